"""The random-network fuzzer: random supported models (fuzz/models.py) with random and extreme
quantization (zero points 0 and 255, tiny and huge scales, saturating requantization), compiled
for a random target and run on the RTL, under random memory stalls, against the golden model.

Everything about network `seed` (model, quantization, target, images, stalls) comes from the
seed, and every network runs after a reset of the simulation, so `--replay SEED` reproduces a
failure alone. Networks of one target share a simulator invocation (run_batch).
"""

import re
import time
import traceback
from dataclasses import dataclass, field

import numpy as np
import torch

from .. import golden
from ..config import load_config
from ..errors import TesselError
from ..frontend import import_model
from ..ir import Conv2d, QParams
from ..network import CompiledNetwork
from ..quantizer import calibrate, quantize_graph
from ..runtime.simulation import NetworkRun, SimOptions, SimulationFailed, run_batch
from .models import random_data, random_model

TARGETS = ("small", "small_buffers", "small_ports", "zcu104")
MAX_MACS = 1_500_000      # per image: keeps one network's simulation around a second
BATCH = 8                 # networks per simulator invocation
OPTIONS = SimOptions(timeout_cycles=5_000_000)  # a fuzzed network runs well under a second
NAMES_A_LAYER = re.compile(r"(layer|operation) '[^']+'")


@dataclass
class Fuzzed:
    """One fuzzed network: compiled (network, images, stall) or refused or crashed."""
    seed: int
    target: str
    network: CompiledNetwork | None = None
    images: np.ndarray | None = None
    stall: tuple = (0, 0, 1)  # memory stall percent, read latency, stall seed
    refusal: str | None = None
    crash: str | None = None


def extreme(q: QParams, rng: np.random.Generator) -> QParams:
    """QParams pushed to an edge: a tiny scale (everything saturates), a huge one (everything
    collapses onto the zero point), zero point 0 or 255, or a random zero point."""
    scale, zero_point = q.scale, q.zero_point
    for _ in range(int(rng.integers(1, 3))):
        edge = int(rng.integers(5))
        if edge == 0:
            scale *= float(10 ** -rng.uniform(1, 3))
        elif edge == 1:
            scale *= float(10 ** rng.uniform(1, 3))
        else:
            zero_point = (0, 255, int(rng.integers(256)))[edge - 2]
    return QParams(scale, zero_point)


def fuzzed(seed: int) -> Fuzzed:
    """Network `seed`, compiled (or refused with a TesselError, or crashed: a bug)."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    target = TARGETS[int(rng.integers(len(TARGETS)))]
    result = Fuzzed(seed, target, stall=(int(rng.choice([0, 0, 10, 30, 60])), int(rng.integers(0, 9)),
                                         int(rng.integers(1, 1 << 30))))
    try:
        for _ in range(20):  # redraw networks too large to simulate quickly
            model, shape = random_model(rng)
            data = random_data(rng, shape)
            graph = import_model(model, data, f"fuzz{seed}")
            if sum(op.macs() for op in graph.ops if isinstance(op, Conv2d)) <= MAX_MACS:
                break
        ranges = calibrate(graph, data)
        ranges = {name: extreme(q, rng) if rng.random() < 0.4 else q for name, q in ranges.items()}
        network = CompiledNetwork(quantize_graph(graph, ranges), load_config(target), "minmax")
        network.executable
        result.network = network
        result.images = np.concatenate([network.quantize_input(data[:1]),  # calibration-like,
                                        rng.integers(0, 256, (1, *shape), dtype=np.uint8),  # any,
                                        np.full((1, *shape), rng.choice([0, 255]), np.uint8)])  # extreme
    except TesselError as error:
        result.refusal = f"{type(error).__name__}: {error}"
    except Exception:  # noqa: BLE001  (a crash is what the fuzzer looks for)
        result.crash = traceback.format_exc()
    return result


@dataclass
class Report:
    seed: int
    minutes: float = 0.0
    generated: int = 0
    refused: int = 0
    simulated: int = 0
    bitexact: int = 0
    images: int = 0
    cycles: int = 0
    by_target: dict = field(default_factory=lambda: {t: 0 for t in TARGETS})
    refusals: dict = field(default_factory=dict)   # first words of the reason -> count
    failures: list = field(default_factory=list)   # (seed, what)

    def lines(self) -> list[str]:
        targets = ", ".join(f"{t} {n}" for t, n in self.by_target.items())
        lines = [f"{self.generated} networks in {self.minutes:.1f} min (seeds {self.seed}.."
                 f"{self.seed + self.generated - 1}): {self.simulated} simulated ({targets}), "
                 f"{self.images} images, {self.cycles:,} cycles; {self.bitexact} bit-exact; "
                 f"{self.refused} refused by the compiler; {len(self.failures)} failed"]
        lines += [f"  refused {n}x: {reason}"
                  for reason, n in sorted(self.refusals.items(), key=lambda r: -r[1])]
        lines += [f"  FAILED seed {seed}: {what}\n"
                  f"    replay: python -m tessel.fuzz networks --replay {seed}"
                  for seed, what in self.failures]
        return lines


def judge(f: Fuzzed, report: Report) -> None:
    """Count a network the compiler refused or that crashed."""
    report.generated += 1
    if f.crash:
        report.failures.append((f.seed, f"the compiler crashed:\n{f.crash}"))
    elif f.refusal:
        report.refused += 1
        if not NAMES_A_LAYER.search(f.refusal):
            report.failures.append((f.seed, f"a refusal that names no layer: {f.refusal}"))
        reason = re.sub(r"(?<!\w)-?\d[\d.e+-]*", "N", re.sub(r"'[^']*'", "'…'", f.refusal))[:100]
        report.refusals[reason] = report.refusals.get(reason, 0) + 1


def simulate(group: list[Fuzzed], report: Report, options: SimOptions) -> None:
    """Run a group of one target in one invocation; check every image against the golden model."""
    try:
        results = run_batch([NetworkRun(f.network.executable, f.images, stall=f.stall) for f in group],
                            options)
        failure = None
    except SimulationFailed as error:
        results, failure = error.results, str(error).splitlines()[0]
    for i, (f, result) in enumerate(zip(group, results)):
        if len(result["outputs"]) < len(f.images):  # the simulation stopped here: rerun the rest
            report.failures.append((f.seed, f"the simulation failed: {failure}"))
            if group[i + 1:]:
                simulate(group[i + 1:], report, options)
            return
        want = golden.run(f.network.graph, f.images)
        bad = int((result["outputs"].reshape(want.shape) != want).sum())
        report.simulated += 1
        report.by_target[f.target] += 1
        report.images += len(f.images)
        report.cycles += sum(r["cycles"] for r in result["runs"])
        if bad:
            report.failures.append((f.seed, f"{f.target}, stall {f.stall}: {bad} of {want.size} "
                                            f"output bytes differ from the golden model"))
        else:
            report.bitexact += 1


def campaign(minutes: float, seed: int = 1, batch: int = BATCH, log=print,
             options: SimOptions | None = None) -> Report:
    """Fuzz for `minutes` (then finish the networks already compiled)."""
    options = options or OPTIONS
    report, pending = Report(seed), {t: [] for t in TARGETS}
    start = time.monotonic()
    next_seed = seed
    while time.monotonic() - start < minutes * 60:
        f = fuzzed(next_seed)
        next_seed += 1
        judge(f, report)
        if f.network is not None:
            pending[f.target].append(f)
            if len(pending[f.target]) >= batch:
                simulate(pending[f.target], report, options)
                pending[f.target] = []
                log(f"[{(time.monotonic() - start) / 60:.1f} min] {report.generated} networks, "
                    f"{report.bitexact} bit-exact, {report.refused} refused, "
                    f"{len(report.failures)} failed")
    for group in pending.values():
        if group:
            simulate(group, report, options)
    report.minutes = (time.monotonic() - start) / 60
    return report


def replay(seed: int, log=print) -> Report:
    """Network `seed` alone, described layer by layer."""
    f = fuzzed(seed)
    report = Report(seed)
    judge(f, report)
    if f.network is not None:
        log(f"seed {seed}: target {f.target}, stall {f.stall}\n{f.network.summary()}")
        simulate([f], report, OPTIONS)
    return report
