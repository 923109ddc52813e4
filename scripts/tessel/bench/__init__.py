"""Benchmarks: scripts that print numbers. Each group measures a set of metrics; results are
merged into build/bench.json (a flat JSON object: metric name -> number).

    python -m tessel.bench all        # every group (make bench)
    python -m tessel.bench golden     # one group
"""

import json
import platform
import time
from dataclasses import dataclass

from ..mapper.board import RESOURCES
from ..paths import build_dir
from ..textable import table


@dataclass(frozen=True)
class Target:
    value: float
    better: str  # "higher" or "lower"

    def met(self, measured: float) -> bool:
        return measured >= self.value if self.better == "higher" else measured <= self.value

    def __str__(self):
        return f"{'>=' if self.better == 'higher' else '<='} {self.value:g}"


def _coverage_targets() -> dict:
    from ..coverage import thresholds
    return thresholds()["targets"]


def _resource_tolerances() -> dict:
    from ..mapper.resources import TOLERANCE
    return TOLERANCE


# Every metric a group reports, with its target where the project set one.
TARGETS = {
    "golden_images_per_s": Target(1000, "higher"),
    "golden_vs_torch_exact_frac": Target(0.999, "higher"),
    "golden_vs_torch_max_lsb": Target(1, "lower"),
    "digits_int8_drop_pp": Target(1.0, "lower"),
    "mnist_int8_drop_pp": Target(1.0, "lower"),
    "core_mac_util_1x1": Target(0.85, "higher"),
    "core_mac_util_3x3": Target(0.85, "higher"),
    "core_mac_util_stem": Target(0.6, "higher"),
    "dsp_packing_ratio": Target(0.5, "lower"),
    "dma_read_frac": Target(0.95, "higher"),
    "dma_write_frac": Target(0.95, "higher"),
    "e2e_bitexact_frac": Target(1.0, "higher"),
    "sim_cycles_per_s": Target(100_000, "higher"),
    "make_sim_seconds": Target(900, "lower"),
    "cost_model_err_mean": Target(0.05, "lower"),
    "cost_model_err_max": Target(0.10, "lower"),
    "dse_seconds_resnet50": Target(10, "lower"),
    "resnet50_mac_util_pred": Target(0.80, "higher"),
    "fuzz_networks_bitexact": Target(300, "higher"),  # in a 30-minute campaign
    "fuzz_networks_failed": Target(0, "lower"),
    "fault_runs_ok": Target(500, "higher"),
    "fault_runs_failed": Target(0, "lower"),
    "fault_runs_silent_wrong": Target(0, "lower"),
    # Read from where they are kept: the coverage goals (tb/coverage_thresholds.yaml), the
    # resource model's tolerances (the ones its tests hold it to).
    **{metric: Target(goal, "higher") for metric, goal in _coverage_targets().items()},
    **{f"resource_model_err_max_{r.lower()}": Target(tolerance, "lower")
       for r, tolerance in _resource_tolerances().items()},
    **{f"zcu104_model_{r.lower()}_of_budget": Target(1.0, "lower") for r in RESOURCES},
}


def groups() -> dict:
    from . import accuracy, core, cost, coverage, dma, dse, dsp, e2e, fuzz, golden, resources
    return {"golden": golden.run, "accuracy": accuracy.run, "core": core.run, "dsp": dsp.run,
            "dma": dma.run, "e2e": e2e.run, "cost": cost.run, "dse": dse.run,
            "coverage": coverage.run, "fuzz": fuzz.run,
            "resources": resources.run}


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
