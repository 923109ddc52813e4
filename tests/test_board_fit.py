"""Every shipped hardware configuration (configs/*.yaml) fits the board its part names: the
resource model's estimate within each usable budget, and an HP port for each AXI master."""

from dataclasses import replace

import pytest

from tessel.config import PpuConfig, available_targets, load_config
from tessel.mapper.board import board_for
from tessel.mapper.resources import estimate


def over_budget(config) -> dict:
    """resource -> (estimate, budget) for each budget `config` exceeds on its board."""
    return board_for(config).over_budget(estimate(config))


@pytest.mark.parametrize("target", available_targets())
def test_shipped_configuration_fits_its_board(target):
    config = load_config(target)
    board = board_for(config)
    assert over_budget(config) == {}, f"{target} is over the {board.name} budget"
    assert board.has_ports_for(config), f"{target}: more AXI masters than {board.name} HP ports"


def test_over_budget_names_the_resource():
    # The zcu104 array with two pixels per cycle in the PPU: 16 more lanes of wide
    # requantization multipliers than the DSPs allow (and their logic more than the LUTs).
    config = replace(load_config("zcu104"), ppu=PpuConfig(2))
    over = over_budget(config)
    assert "DSP48E2" in over and "BRAM36" not in over
