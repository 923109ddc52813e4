"""Compute-core MAC utilization on ResNet-50's distinct convolution shapes (zcu104 config).

Each shape keeps its real width and channel counts (what decides utilization); height and the
number of output channel groups are cut so that one simulation stays short. Utilization is
counted by the hardware: busy MAC lanes / (k_p * y_p * c_p * cycles with a tile in progress).
The 7x7 stride-2 stem runs with its input packed (plan/input_packing.py), as the compiler
runs it.
"""

import json
import tempfile
from pathlib import Path

from .. import rtlfiles
from ..calibration.rtl_check import input_rows, resnet50_convs
from ..config import load_config
from ..paths import REPO_ROOT
from ..sim import run as run_sim

TARGET = "zcu104"
OUTPUT_ROWS = 4      # rows of output per shape
OUTPUT_GROUPS = 4    # output channel groups per shape


def reduced(shape: dict, config) -> dict:
    """The shape with OUTPUT_ROWS output rows and at most OUTPUT_GROUPS output groups."""
    rows = input_rows(OUTPUT_ROWS, shape["kernel"], shape["stride"], shape["padding"])
    k = min(shape["k"], OUTPUT_GROUPS * config.array.k_p)
    spec = dict(shape, k=k, in_hw=(rows, shape["w"]))
    if shape["c"] * 2 <= config.array.c_p and shape["kernel"][1] > 1:
        spec["pack_input"] = True
    return spec


def classify(spec: dict) -> str:
    if spec["kernel"] == (7, 7) or spec.get("pack_input"):
        return "stem"
    return f"{spec['kernel'][0]}x{spec['kernel'][1]}"


def run() -> dict:
    config = load_config(TARGET)
    specs = [reduced(s, config) for s in resnet50_convs()]
    with tempfile.TemporaryDirectory() as tmp:
        layers, results = Path(tmp) / "layers.json", Path(tmp) / "results.json"
        layers.write_text(json.dumps(specs))
        run_sim("tessel_core", rtlfiles.CORE, "tb_bench", REPO_ROOT / "tb" / "core",
                config=config, seed=3,
                extra_env={"TESSEL_BENCH_LAYERS": str(layers), "TESSEL_BENCH_RESULTS": str(results)})
        measured = json.loads(results.read_text())
    lanes, capacity = {}, {}
    for r in measured:
        group = classify(r)
        lanes[group] = lanes.get(group, 0) + r["lanes"]
        capacity[group] = capacity.get(group, 0) + r["cycles"] * config.array.macs_per_cycle
        print(f"  {r['name']:<28} {r['c']:>5}->{r['k']:<5} {r['kernel']} s{r['stride'][0]} "
              f"w{r['w']:<4} util {r['lanes'] / (r['cycles'] * config.array.macs_per_cycle):.3f}")
    metrics = {f"core_mac_util_{g}": round(lanes[g] / capacity[g], 4) for g in ("1x1", "3x3", "stem")
               if g in lanes}
    metrics["core_bench_shapes"] = len(measured)
    return metrics
