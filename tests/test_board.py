"""Board descriptions (configs/boards/) and their loader."""

import pytest
import yaml

from tessel.config import load_config
from tessel.errors import ConfigError
from tessel.mapper.board import RESOURCES, board_for, load_board

ZCU104 = load_board("zcu104").path


def test_zcu104_board():
    board = load_board("zcu104")
    assert board.resources == {"DSP48E2": 1728, "BRAM36": 312, "URAM": 96, "LUT": 230400,
                               "FF": 460800}
    budget = board.budget()
    for r in RESOURCES:
        assert 0 < budget[r] < board.resources[r]
    assert budget["DSP48E2"] == int(1728 * board.usable_fraction["DSP48E2"])
    assert board.part == load_config("zcu104").part
    assert board_for(load_config("small")).name == "zcu104"


def test_ddr_is_one_budget_and_a_port_is_a_beat_per_cycle_until_latency_limits_it():
    board = load_board("zcu104")
    assert board.dram.ddr_bytes_per_s == pytest.approx(2133e6 * 8 * 0.8)  # reads and writes
    one_port = board.port_bytes_per_s(128, latency_ns=200, clock_mhz=300)
    assert one_port == pytest.approx(128 / 8 * 300e6)               # 4.8 GB/s per direction
    assert board.port_bytes_per_s(64, 200, clock_mhz=300) == pytest.approx(one_port / 2)
    # Eight bursts of 16 beats in flight (2 KB) cover 200 ns at 4.8 GB/s, not 1 us:
    assert board.port_bytes_per_s(128, 1000, clock_mhz=300) == pytest.approx(8 * 16 * 16 / 1e-6)


def _write(tmp_path, edit):
    data = yaml.safe_load(ZCU104.read_text())
    edit(data)
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.pop("clock_mhz"), r"board.yaml: missing field\(s\) clock_mhz"),
    (lambda d: d.update(speed_grade=2), r"board.yaml: unknown field\(s\) speed_grade"),
    (lambda d: d["resources"].pop("URAM"), r"board.yaml.resources: missing field\(s\) URAM"),
    (lambda d: d["resources"].update(BRAM18=624), r"resources: unknown field\(s\) BRAM18"),
    (lambda d: d["resources"].update(LUT=-1), r"resources.LUT: expected a count > 0, got -1"),
    (lambda d: d["usable_fraction"].update(LUT=1.5), r"usable_fraction.LUT: expected a fraction"),
    (lambda d: d["shell"].update(FF="many"), r"shell.FF: expected a count >= 0"),
    (lambda d: d["dram"].pop("hp_ports"), r"board.yaml.dram: missing field\(s\) hp_ports"),
    (lambda d: d["dram"].update(efficiency=0), r"dram.efficiency: must be positive"),
    (lambda d: d["dram"].pop("hp_burst_beats"), r"dram: missing field\(s\) hp_burst_beats"),
    (lambda d: d.update(clock_mhz="fast"), r"board.yaml.clock_mhz: expected int or float"),
    (lambda d: d.update(dram=[1, 2]), r"board.yaml.dram: expected a mapping"),
])
def test_board_errors_name_the_field(tmp_path, edit, message):
    with pytest.raises(ConfigError, match=message):
        load_board(_write(tmp_path, edit))


def test_unknown_board_lists_the_available_ones():
    with pytest.raises(ConfigError, match="unknown board 'zcu102'.*available boards: zcu104"):
        load_board("zcu102")
