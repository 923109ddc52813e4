"""The resource model (tessel.mapper.resources) against the yosys runs stored by
`python -m tessel.calibration.calibrate_resources` (no yosys here)."""

import copy
import json
from dataclasses import replace

import pytest

from tessel.config import load_config
from tessel.mapper import resources
from tessel.calibration.calibrate_resources import VARIANTS

DATA = json.loads(resources.CALIBRATION.read_text())


def test_model_is_within_tolerance_on_every_run():
    assert len(DATA["runs"]) >= 4
    assert resources.calibration_failures(DATA) == []


@pytest.mark.parametrize("resource, scale", [("LUT", 1.2), ("FF", 0.8)])
def test_a_model_off_by_a_fifth_fails(resource, scale):
    wrong = copy.deepcopy(DATA["fit"])
    wrong[resource] = {name: value * scale for name, value in wrong[resource].items()}
    assert any(f" {resource}:" in f for f in resources.calibration_failures(DATA, wrong))


def test_dsp_model_counts_packing():
    wrong = copy.deepcopy(DATA["fit"])
    wrong["DSP48E2"]["per_ppu_lane"] += 2
    assert resources.calibration_failures(DATA, wrong)
    packed = load_config("zcu104")
    assert resources.array_dsps(packed) == 8 * 8 * 16  # 64 pairs x 16 lanes, one DSP per lane
    unpacked = replace(packed, array=replace(packed.array, dsp_packing=False))
    assert resources.array_dsps(unpacked) == 2 * resources.array_dsps(packed)


def test_stored_fit_is_the_fit_of_the_stored_runs():
    assert resources.fit(DATA["runs"]) == DATA["fit"]
    fitted = [name for name, run in DATA["runs"].items() if not run["held_out"]]
    assert fitted and all(not VARIANTS[name][1] for name in fitted)


def test_estimate_grows_with_the_array():
    base = load_config("small")
    wider = replace(base, array=replace(base.array, y_p=4))
    small, large = resources.estimate(base), resources.estimate(wider)
    assert large["DSP48E2"] > small["DSP48E2"] and large["LUT"] > small["LUT"]
    # Twice the activation banks: more block RAM or UltraRAM (whichever the mapping picks).
    assert large["FF"] > small["FF"] and large["URAM"] + large["BRAM36"] > small["URAM"] + small["BRAM36"]


def test_ram_style_follows_the_mapping():
    text = resources.ram_style_xdc(load_config("zcu104"))
    kinds = {m.name: resources.map_memory(m.width, m.depth)["kind"]
             for m in resources.memories(load_config("zcu104"))}
    # 128 bits x 4096 words: two URAM288 (4K x 72 each) against sixteen 4K x 9 RAMB36.
    assert kinds["activation bank"] == "uram"
    assert ("RAM_STYLE ultra [get_cells -quiet -hierarchical -filter {NAME =~ "
            "*/u_top/u_core/u_act/gen_bank*u_ram/") in text
    assert text.count("RAM_STYLE ultra") == sum(k == "uram" for k in kinds.values())
