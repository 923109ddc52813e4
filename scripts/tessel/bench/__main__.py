"""python -m tessel.bench [all | GROUP ...]: run benchmark groups, merge into build/bench.json."""

import json
import platform
import sys
import time

from ..paths import build_dir
from ..textable import table
from . import (TARGETS, accuracy, core, cost, coverage, dma, dse, dsp, e2e, fuzz, golden, resources,
               rtl_networks, timing)


def groups() -> dict:
    return {"golden": golden.run, "accuracy": accuracy.run, "core": core.run, "dsp": dsp.run,
            "dma": dma.run, "e2e": e2e.run, "cost": cost.run, "dse": dse.run,
            "coverage": coverage.run, "fuzz": fuzz.run,
            "resources": resources.run, "resnet": rtl_networks.run, "timing": timing.run}


def results_path():
    return build_dir() / "bench.json"


def run(names: list[str]) -> dict:
    available = groups()
    unknown = [n for n in names if n not in available and n != "all"]
    if unknown:
        raise SystemExit(f"unknown benchmark group(s) {unknown}; choose from all, "
                         f"{', '.join(available)}")
    selected = list(available) if "all" in names else names
    path = results_path()
    results = json.loads(path.read_text()) if path.exists() else {}
    measured = {}
    for name in selected:
        start = time.perf_counter()
        metrics = available[name]()
        print(f"[{name}] {time.perf_counter() - start:.1f} s", flush=True)
        measured.update(metrics)
    results.update(measured)
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    rows = []
    for metric, value in measured.items():
        target = TARGETS.get(metric)
        verdict = "" if target is None else ("met" if target.met(value) else "MISSED")
        rows.append([metric, value, str(target or ""), verdict])
    print(f"\n{platform.node()} ({platform.machine()}), results merged into {path}")
    print(table(rows, ["metric", "value", "target", ""]))
    return measured


if __name__ == "__main__":
    run(sys.argv[1:] or ["all"])
