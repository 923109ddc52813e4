"""tessel.timing's netlist walk on small hand-made yosys netlists (make timing runs it on the
synthesized design)."""

import json

import pytest

from tessel import timing
from tessel.paths import REPO_ROOT

LUT = {"I0": "input", "I1": "input", "O": "output"}
FF = {"C": "input", "CE": "input", "R": "input", "D": "input", "Q": "output"}
CARRY = {"CI": "input", "S": "input", "DI": "input", "CO": "output", "O": "output"}
DSP = {"A": "input", "B": "input", "PCIN": "input", "P": "output", "PCOUT": "output",
       "CLK": "input"}
RAM = {"CLKARDCLK": "input", "ADDRARDADDR": "input", "DOUTADOUT": "output"}


def cell(kind, directions, src="rtl/core/tessel_x.sv:10.3-12.4", parameters=None, **pins):
    return {"type": kind, "port_directions": directions, "parameters": parameters or {},
            "attributes": {"src": src}, "connections": {p: b for p, b in pins.items()}}


def design(tmp_path, cells, names=None):
    """A netlist of `cells` (bits 2.. are nets; 1 the clock), its ports clk and out."""
    module = {"ports": {"clk": {"direction": "input", "bits": [1]},
                        "out": {"direction": "output", "bits": [99]}},
              "cells": cells,
              "netnames": {name: {"bits": [bit], "hide_name": 0} for name, bit in (names or {}).items()}}
    path = tmp_path / "netlist.json"
    path.write_text(json.dumps({"modules": {"top": module}}))
    return timing.Netlist.read(path, "top")


def flop(d, q, src="rtl/core/tessel_x.sv:10.3-12.4"):
    return cell("FDRE", FF, src, C=[1], CE=["1"], R=["0"], D=[d], Q=[q])


def test_luts_between_registers_are_levels(tmp_path):
    netlist = design(tmp_path, {
        "a": flop(99, 2), "l1": cell("LUT2", LUT, I0=[2], I1=[2], O=[3]),
        "l2": cell("LUT2", LUT, I0=[3], I1=[2], O=[4]),
        "b": flop(4, 5, src="rtl/core/tessel_y.sv:20.1-21.1")}, {"a_q": 2, "b_q": 5})
    worst = timing.endpoint_paths(netlist)[0]
    assert (worst.end, worst.module, worst.arrival.luts, worst.arrival.deepest) == ("b_q", "tessel_y", 2, 2)
    assert worst.arrival.start == "register a_q"
    assert worst.arrival.ns == pytest.approx(2 * timing.lut_level_ns())


def test_deepest_lut_path_is_kept_beside_the_slowest(tmp_path):
    # Into b: one LUT after an unregistered DSP (slow) and three LUTs from a (deep).
    netlist = design(tmp_path, {
        "a": flop(99, 2),
        "m": cell("DSP48E2", DSP, A=[2], B=[2], PCIN=["0"], P=[3], PCOUT=[12], CLK=[1]),
        "l1": cell("LUT2", LUT, I0=[2], I1=[2], O=[4]),
        "l2": cell("LUT2", LUT, I0=[4], I1=[4], O=[5]),
        "l3": cell("LUT2", LUT, I0=[5], I1=[3], O=[6]),
        "b": flop(6, 7)}, {"b_q": 7})
    path = next(p for p in timing.endpoint_paths(netlist) if p.end == "b_q")
    assert (path.arrival.dsps, path.arrival.luts, path.arrival.deepest) == (1, 1, 3)


def test_carry_chain_and_unregistered_dsp_add_to_the_path(tmp_path):
    netlist = design(tmp_path, {
        "a": flop(99, 2),
        "c0": cell("CARRY4", CARRY, CI=["0"], S=[2], DI=["0"], CO=[3], O=[10]),
        "c1": cell("CARRY4", CARRY, CI=[3], S=["0"], DI=["0"], CO=[11], O=[4]),
        "m": cell("DSP48E2", DSP, A=[4], B=[2], PCIN=["0"], P=[5], PCOUT=[12], CLK=[1]),
        "b": flop(5, 6)}, {"b_q": 6})
    path = next(p for p in timing.endpoint_paths(netlist) if p.end == "b_q")
    assert (path.arrival.carries, path.arrival.dsps, path.arrival.luts) == (2, 1, 0)
    assert path.arrival.ns > timing.DSP_COMB_NS


def test_registered_dsp_and_ram_output_end_and_start_paths(tmp_path):
    registered = {"PREG": "1"}
    netlist = design(tmp_path, {
        "a": flop(99, 2),
        "l": cell("LUT2", LUT, I0=[2], I1=[2], O=[3]),
        "m": cell("DSP48E2", DSP, parameters=registered, A=[3], B=[2], PCIN=["0"], P=[4],
                  PCOUT=[12], CLK=[1]),
        "r": cell("RAMB36E2", RAM, parameters={"DOA_REG": "0"}, CLKARDCLK=[1],
                  ADDRARDADDR=[4], DOUTADOUT=[5]),
        "b": flop(5, 6)}, {"b_q": 6})
    paths = {p.end: p for p in timing.endpoint_paths(netlist)}
    into_dsp = next(p for end, p in paths.items() if end.startswith("DSP48E2"))
    assert (into_dsp.arrival.luts, into_dsp.arrival.dsps) == (1, 0)
    # b_q starts at the RAM's data output, without its output register.
    assert paths["b_q"].arrival.ns == timing.RAM_NOREG_NS
    assert "without output register" in paths["b_q"].arrival.start


def test_budget_is_the_levels_that_fit_the_period():
    budget, period = timing.lut_budget(300), 1000 / 300
    assert timing.CLOCK_OVERHEAD_NS + budget * timing.lut_level_ns() <= period
    assert timing.CLOCK_OVERHEAD_NS + (budget + 1) * timing.lut_level_ns() > period
    assert timing.lut_budget(150) > budget


def test_black_box_copy_keeps_the_ports_only():
    text = timing.stub_text(REPO_ROOT / "rtl" / "core" / "tessel_dpe_pair.sv")
    assert text.startswith("module tessel_dpe_pair") and text.rstrip().endswith("endmodule")
    for port in ("clk_i", "valid_i", "first_i", "act_i", "w0_i", "w1_i", "acc0_o", "acc1_o"):
        assert port in text
    assert "always_ff" not in text


def test_module_runs_name_the_unknown_module():
    assert [r.top for r in timing.module_runs(["tessel_ppu", "tessel_crc32"])] == \
        ["tessel_ppu", "tessel_crc32"]
    with pytest.raises(ValueError, match="tessel_nope"):
        timing.module_runs(["tessel_ppu", "tessel_nope"])
