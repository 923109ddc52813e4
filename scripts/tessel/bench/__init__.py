"""Benchmarks: scripts that print numbers. Each group measures a set of metrics; results are
merged into build/bench.json (a flat JSON object: metric name -> number). This module holds
the metrics' targets; __main__.py runs the groups.

    python -m tessel.bench all        # every group (make bench)
    python -m tessel.bench golden     # one group
"""

from dataclasses import dataclass

from ..mapper.board import RESOURCES


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


def _lut_level_budget() -> int:
    from ..config import load_config
    from ..timing import lut_budget
    return lut_budget(load_config("zcu104").clock_mhz)


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
    "zcu104_default_fits": Target(1, "higher"),
    "timing_max_lut_levels": Target(_lut_level_budget(), "lower"),
    "timing_paths_over_budget": Target(0, "lower"),
    # Whole networks on the RTL (rtl_networks.py), at configs/zcu104.yaml and (_dse) at the
    # DSE's chosen design.
    **{metric + suffix: target for suffix in ("", "_dse") for metric, target in {
        "resnet50_rtl_bitexact": Target(1, "higher"),
        "resnet18_rtl_bitexact": Target(1, "higher"),
        "resnet50_rtl_model_err": Target(0.03, "lower"),
        "resnet50_rtl_layer_err_max": Target(0.10, "lower"),
        "resnet50_rtl_seconds": Target(180, "lower")}.items()},
    # Read from where they are kept: the coverage goals (tb/coverage_thresholds.yaml), the
    # resource model's tolerances (the ones its tests hold it to).
    **{metric: Target(goal, "higher") for metric, goal in _coverage_targets().items()},
    **{f"resource_model_err_max_{r.lower()}": Target(tolerance, "lower")
       for r, tolerance in _resource_tolerances().items()},
    **{f"zcu104_model_{r.lower()}_of_budget": Target(1.0, "lower") for r in RESOURCES},
}
