"""The mapper: the cost model's schedule, the per-layer mapping search and the design-space
exploration. (How close the model is to the RTL is checked in tb/top/test_cost_model.py.)"""

from dataclasses import replace

import pytest
import torch
import torch.nn as nn

from tessel import zoo
from tessel.config import PpuConfig, load_config, to_yaml
from tessel.errors import TesselError
from tessel.frontend import import_model
from tessel.mapper import dse
from tessel.mapper.board import load_board
from tessel.mapper.cost import (Memory, TileCycles, Timing, ddr_floor, layer_cost, network_cost,
                                schedule, share_ddr, tile_cycles)
from tessel.plan.shape import param_words, pixels_per_pass
from tessel.plan.tiling import candidates, occupancy, plan


def tiles(*stages):
    return [TileCycles(load, compute, drain, 0, 0) for load, compute, drain in stages]


# The controller's rules, cycle by cycle: a tile is handed to the core when loaded and the
# core's last tile has moved on; the core starts the cycle after the hand-off; a computed tile
# moves to the drain the cycle after the core is done and the drain is free; the next tile's
# set-up starts the cycle after a hand-off.

def test_schedule_overlaps_a_tile_with_its_neighbours():
    # Tile 0: loaded 10, handed off 10, core done 111, moved 112, drained 117.
    # Tile 1: loaded 11+10 = 21, handed off when the core is free (112), done 213, moved 214,
    #         drained 219.
    # Tile 2: set up from 113, loaded 123, handed off 214, done 315, moved 316, drained 321.
    assert schedule(tiles((10, 100, 5), (10, 100, 5), (10, 100, 5))) == 321
    # Load-bound: tile 0 loaded 50, done 56, moved 57, drained 60; tile 1 set up from 51,
    # loaded 101, done 107, moved 108, drained 111.
    assert schedule(tiles((50, 5, 3), (50, 5, 3))) == 111


def test_schedule_waits_for_a_slow_drain():
    # Tile 0: done 12, moved 13, drained 113, drain free 114. Tile 1: handed off 13, done 24,
    # waits for the drain: moved 115, drained 215.
    assert schedule(tiles((1, 10, 100), (1, 10, 100))) == 215


def test_a_shared_ddr_slows_a_load_and_a_drain_only_where_they_overlap():
    # Tile 0 loads 0-100 (10 B/cycle), computes to 201, drains 202-302 (8 B/cycle); tile 1
    # loads 101-201, tile 2 202-302 beside tile 0's drain: 18 B/cycle asked of a 12 B/cycle
    # budget for 100 cycles, each stretched by 100 x (18 / 12 - 1) = 50.
    t = [TileCycles(100, 100, 100, 1000, 800)] * 3
    shared = share_ddr(t, Memory(ddr_bytes_per_cycle=12))
    assert [(x.load, x.drain) for x in shared] == [(100, 150), (100, 100), (150, 100)]
    assert share_ddr(t, Memory(ddr_bytes_per_cycle=18)) == t       # enough for both
    assert share_ddr(t, Memory()) == t                             # no shared budget
    # The floor: 5,400 bytes at 12 per cycle, after the first read's set-up (tile_setup +
    # read_setup, no latency) and before the last response (write_setup).
    timing = Timing()
    head_tail = timing.tile_setup + timing.read_setup + timing.write_setup
    assert ddr_floor(t, Memory(ddr_bytes_per_cycle=12), timing) == 450 + head_tail
    assert ddr_floor(t, Memory(), timing) == 0


def test_a_shared_ddr_budget_binds_a_layer_that_moves_many_bytes(digits):
    """A budget well below a beat per cycle makes every layer take at least its bytes over
    the budget, and the model names it as the bound; a generous one changes nothing."""
    plain = network_cost(digits.executable)
    beat = digits.config.axi.data_width // 8
    tight = network_cost(digits.executable, Memory(ddr_bytes_per_cycle=beat / 4))
    ample = network_cost(digits.executable, Memory(ddr_bytes_per_cycle=4 * beat))
    assert [c.cycles for c in ample] == [c.cycles for c in plain]
    for p, c in zip(plain, tight):
        assert c.cycles >= (c.read_bytes + c.write_bytes) / (beat / 4)
        assert c.cycles > p.cycles and c.bound == "ddr"
    assert all(c.ddr_cycles == 0 for c in plain)


@pytest.fixture(scope="module")
def digits():
    entry = zoo.load("digits")
    from tessel.compiler import compile as compile_network
    return compile_network(entry.model, entry.calibration, "small_buffers", name="digits")


def test_compiled_layers_use_the_fastest_candidate(digits):
    config = digits.config
    cut = 0
    for layer in digits.executable.layers:
        shape = layer.shape
        words = len(layer.image.params)
        cycles = {(p.rows, p.kgroups, p.order): layer_cost("", "", shape, p, words, config).cycles
                  for p in candidates(shape.geometry, config)}
        chosen = cycles[(layer.plan.rows, layer.plan.kgroups, layer.plan.order)]
        assert chosen == min(cycles.values()), layer.hw.name
        cut += len(layer.plan.tiles) > len(plan(shape.geometry, config).tiles)
    assert cut, "no layer was cut into more tiles than the largest plan: nothing overlaps"


def test_candidates_fit_and_cover_every_output(digits):
    config = digits.config
    for layer in digits.executable.layers:
        g = layer.shape.geometry
        for p in candidates(g, config):
            assert all(u <= h for u, h in occupancy(g, config, p.rows, p.kgroups).values())
            covered = {(t.oy0 + r, t.kg0 + k) for t in p.tiles for r in range(t.rows)
                       for k in range(t.kgroups)}
            assert covered == {(y, k) for y in range(g.out_h) for k in range(g.out_groups)}


def test_layer_shapes_agree_with_the_written_layers(digits):
    """The plan's shape of each layer (what the cost model and the DSE time) agrees with the
    layer record the back end writes: sizes, kernel, channel groups, parameter words."""
    for layer in digits.executable.layers:
        g, t = layer.shape.geometry, layer.fields
        assert (t["in_h"], t["in_w"], t["oh"], t["ow"]) == (g.in_h, g.in_w, g.out_h, g.out_w)
        assert (t["kh"], t["kw"]) == g.kernel, layer.hw.name
        assert (t["groups"], t["kgroups"]) == (g.in_groups, g.out_groups), layer.hw.name
        assert param_words(layer.hw, digits.config) == len(layer.image.params), layer.hw.name


def test_network_cost_totals(digits):
    costs = network_cost(digits.executable)
    assert len(costs) == len(digits.executable.layers)
    macs = sum(op.macs() for op in digits.graph.ops if hasattr(op, "macs"))
    assert sum(c.macs for c in costs) == macs
    for c in costs:
        assert c.cycles >= c.compute_cycles > 0
        assert 0 <= c.utilization <= 1


def test_weight_ports_load_weights_beside_the_input(digits):
    """With weight masters a tile's load takes the longer of its streams (not their sum),
    split weights take proportionally fewer beats, and the traffic and the other stages do
    not change."""
    config, memory, timing = digits.config, Memory(read_latency=30), Timing()
    two_masters = replace(config, axi=replace(config.axi, weight_ports=2))
    seen = 0
    for layer in digits.executable.layers:
        shape = layer.shape
        for tile in layer.plan.tiles:
            one = tile_cycles(shape, tile, config, memory, timing)
            two = tile_cycles(shape, tile, two_masters, memory, timing)
            assert (two.compute, two.drain, two.read_bytes, two.write_bytes) == \
                   (one.compute, one.drain, one.read_bytes, one.write_bytes)
            assert two.load <= one.load
            if tile.load_weights and tile.load_input:
                assert two.load < one.load
                seen += 1
    assert seen, "no tile loads both weights and an input band"


def test_weight_ports_choices_cost_the_chosen_array():
    entry = zoo.load("digits")
    graph = import_model(entry.model, entry.calibration[:1], "digits")
    board = load_board("zcu104")
    result = dse.explore(graph, board, load_config("zcu104"), "digits_zcu104")
    best, choices = result.best, dse.weight_ports_choices(result)
    assert [c.weight_ports for c in choices] == list(range(board.dram.hp_ports))
    chosen = next(c for c in choices if c.weight_ports == best.config.axi.weight_ports)
    assert chosen.cycles == best.cycles and chosen.resources == best.resources
    # Digits' weights and inputs fit one tile: masters of their own overlap the two loads.
    assert all(c.cycles < choices[0].cycles for c in choices[1:])
    # Each master costs logic (and the first the weight split's few DSPs), no memory.
    for a, b in zip(choices, choices[1:]):
        assert b.resources["LUT"] > a.resources["LUT"] and b.resources["FF"] > a.resources["FF"]
        assert b.resources["DSP48E2"] >= a.resources["DSP48E2"]
        assert all(b.resources[r] == a.resources[r] for r in ("BRAM36", "URAM"))
    macs = sum(op.macs() for op in graph.ops if hasattr(op, "macs"))
    lanes = best.config.array.macs_per_cycle
    assert all(c.utilization == pytest.approx(macs / (c.cycles * lanes)) for c in choices)


def test_dse_picks_a_configuration_that_fits():
    entry = zoo.load("digits")
    graph = import_model(entry.model, entry.calibration[:1], "digits")
    board = load_board("zcu104")
    result = dse.explore(graph, board, load_config("zcu104"), "digits_zcu104")
    best = result.best
    budget = board.budget()
    assert all(best.resources[r] <= budget[r] for r in budget)
    assert best.cycles <= min(c.cycles for c in result.fitting[:dse.REFINE])

def test_a_written_configuration_reads_back(tmp_path):
    config = replace(load_config("zcu104"), name="chosen", path=None)
    path = tmp_path / "chosen.yaml"
    path.write_text(to_yaml(config, "generated"))
    back = load_config(path)
    assert replace(back, path=None) == config


def test_dse_refuses_a_board_too_small():
    entry = zoo.load("digits")
    graph = import_model(entry.model, entry.calibration[:1], "digits")
    board = load_board("zcu104")
    tiny = replace(board, resources={**board.resources, "DSP48E2": 10})
    with pytest.raises(TesselError, match="no configuration"):
        dse.explore(graph, tiny, load_config("zcu104"), "x")


def test_dse_tries_the_networks_own_widths():
    """Widths that divide an output map join the powers of two: a 28-wide map (and its 14- and
    7-wide successors) fills every pass of 7 or 14 columns, against 28 of 32 slots at 8."""
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.ReLU())
    torch.manual_seed(0)
    graph = import_model(model.eval(), torch.randn(2, 3, 28, 28), "widths")
    assert [op.out_shape[2] for op in graph.ops if op.out_shape[2] > 1] == [28, 14, 7]
    assert dse.columns(graph) == [2, 4, 7, 8, 14, 16]


@pytest.mark.parametrize("y_p,banks", [(1, 2), (2, 4), (3, 8), (7, 16), (8, 16), (14, 32)])
def test_activation_banks_hold_every_column_of_a_stride_two_step(y_p, banks):
    base = load_config("zcu104")
    config = replace(base, array=replace(base.array, y_p=y_p), ppu=PpuConfig(1))
    config.check()
    assert config.array.act_banks == banks
    # y_p columns at stride 2 span 2 * y_p - 1 positions: all in distinct banks.
    assert len({(2 * i) % banks for i in range(y_p)}) == y_p
    assert pixels_per_pass(config, 56, 2) == y_p


def test_dse_utilization_floor_trades_latency_for_efficiency():
    entry = zoo.load("digits")
    graph = import_model(entry.model, entry.calibration[:1], "digits")
    board, base = load_board("zcu104"), load_config("zcu104")
    result = dse.explore(graph, board, base, "fastest")
    fastest = result.best
    floor = 2 * fastest.utilization
    efficient = dse.explore(graph, board, base, "efficient", min_utilization=floor).best
    chosen = dse.choose(result, floor)  # the same choice from the search already done
    assert (chosen.cycles, chosen.resources) == (efficient.cycles, efficient.resources)
    assert efficient.utilization >= floor
    assert efficient.cycles > fastest.cycles  # else the fastest would have met the floor
    assert efficient.config.array.macs_per_cycle < fastest.config.array.macs_per_cycle
    with pytest.raises(TesselError, match="reaches a MAC utilization of 0.99 on digits"):
        dse.explore(graph, board, base, "x", min_utilization=0.99)
    with pytest.raises(TesselError, match="between 0 and 1"):
        dse.explore(graph, board, base, "x", min_utilization=1.5)
