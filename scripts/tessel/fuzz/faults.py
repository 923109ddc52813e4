"""The fault campaign on the whole top level: fuzzed networks (fuzz/networks.py) run with random
faults (runtime/sim_job.run_fault): AXI SLVERR/DECERR at random addresses, soft resets at
random cycles, long memory stalls, DMA windows too small, random bit flips in the program's
header and layer records, and in the parameters and weights. A fault run passes when

- it ends as the fault allows: the matching error code (an AXI error that fired, a window too
  small, a corrupted image's check), a run the bench aborted (reset), or a bit-exact result; a
  corrupted program may end in any error code, or keep moving data past the watchdog (a
  runaway, counted apart) but never stop moving (a hang);
- it never completes with a different result: a silent wrong result is a failure of any kind,
  counted apart (`silent_wrong`);
- no burst reached outside the DMA window it was given (the memory model's guard), up to the
  end of the soft reset after it;
- the soft reset ends and the clean run after it is bit-exact.

The faults of network `seed` come from the seed: `--replay SEED` reruns them alone.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .. import golden
from ..backend.program import header_bytes, record_bytes
from ..runtime.driver import window_bytes
from ..runtime.simulation import NetworkRun, SimOptions, SimulationFailed, run_batch
from .networks import OPTIONS, TARGETS, Fuzzed, fuzzed

KINDS = ("corrupt", "corrupt", "weights", "weights", "axi", "axi", "reset", "stall", "window")
AXI_ERRORS = {(2, False): "SLVERR_RD", (3, False): "DECERR_RD", (2, True): "SLVERR_WR",
              (3, True): "DECERR_WR"}
FAULTS_PER_NETWORK = 10
NETWORKS_PER_INVOCATION = 4


def random_fault(f: Fuzzed, rng: np.random.Generator) -> dict:
    ex = f.network.executable
    kind = str(rng.choice(KINDS))
    if kind == "corrupt":
        program = header_bytes() + len(ex.layers) * record_bytes(ex.config)
        return {"kind": kind, "flips": [[int(rng.integers(program)), 1 << int(rng.integers(8))]
                                        for _ in range(int(rng.integers(1, 4)))]}
    if kind == "weights":  # parameter words or weights of a random layer
        regions = [r for r in ex.memory.regions if r.kind in ("parameters", "weights") and r.size]
        flips = []
        for _ in range(int(rng.integers(1, 4))):
            region = regions[int(rng.integers(len(regions)))]
            flips.append([region.offset + int(rng.integers(region.size)), 1 << int(rng.integers(8))])
        return {"kind": kind, "flips": flips}
    if kind == "axi":
        write = bool(rng.random() < 0.4)
        regions = [r for r in ex.memory.regions if r.size and (not write or r.kind == "tensor"
                                                                and r.name != "input")]
        region = regions[int(rng.integers(len(regions)))]
        return {"kind": kind, "offset": region.offset + int(rng.integers(region.size)),
                "resp": int(rng.choice([2, 3])), "write": write, "region": region.name}
    if kind == "reset":
        return {"kind": kind, "at": float(rng.uniform(0, 1.1))}
    if kind == "stall":
        return {"kind": kind, "at": float(rng.uniform(0, 1)), "cycles": int(10 ** rng.uniform(2, 4.5)),
                "percent": int(rng.choice([90, 99, 100, 100]))}
    beat = ex.config.axi.data_width // 8
    return {"kind": kind, "bytes": int(rng.integers(window_bytes(ex.memory.size) // beat)) * beat}


def faults_for(f: Fuzzed, count: int = FAULTS_PER_NETWORK) -> list[dict]:
    rng = np.random.default_rng([f.seed, 7])
    return [{**random_fault(f, rng), "index": i} for i in range(count)]


def bit_exact(hex_output: str | None, want: np.ndarray, ex) -> bool:
    """A run's output (hex, None if it did not complete) equals the golden output."""
    return hex_output is not None and np.array_equal(
        ex.output_from_bytes(bytes.fromhex(hex_output)).ravel(), want)


SILENT_WRONG = "the run completed with a wrong result and no error"


def verdict(fault: dict, want: np.ndarray, ex) -> str | None:
    """None if the fault run passed, else what went wrong."""
    def exact(hex_output):
        return bit_exact(hex_output, want, ex)

    error, kind = fault["error"], fault["kind"]
    if fault["escapes"]["reads"] or fault["escapes"]["writes"]:
        return f"bursts outside the DMA window: {fault['escapes']}"
    if not fault["recovered"]:
        return "the soft reset never finished"
    if not exact(fault.get("clean")):
        return "the clean run after the fault is not bit-exact"
    if error == "TIMEOUT" and not (kind == "corrupt" and fault["progressing"]):
        return "no interrupt: the accelerator hangs"
    if error is None and not exact(fault["output"]):
        return SILENT_WRONG
    if kind == "axi" and fault["fired"] and error != AXI_ERRORS[fault["resp"], fault["write"]]:
        return f"the AXI error was reported as {error}"
    if kind == "axi" and not fault["fired"] and error is not None:
        return f"error {error} without a fault"
    allowed = {"reset": {"ABORTED"}, "window": {"WINDOW_RD", "WINDOW_WR"}, "stall": set(),
               "weights": {"PARAM_CRC", "WEIGHTS"}}
    if kind in allowed and error is not None and error not in allowed[kind]:
        return f"error {error}"
    return None


def outcome(fault: dict, want: np.ndarray, ex) -> str:
    """How a passing fault run ended, for the report."""
    if fault["error"] == "TIMEOUT":
        return "runaway"
    if fault["error"] is not None:
        return f"error {fault['error']}" if fault["error"] != "ABORTED" else "aborted"
    return "completed bit-exact"  # a different result fails (verdict)


@dataclass
class Report:
    seed: int
    minutes: float = 0.0
    networks: int = 0
    runs: int = 0
    ok: int = 0
    outcomes: Counter = field(default_factory=Counter)   # (kind, how it ended) -> runs
    failures: list = field(default_factory=list)         # (network seed, fault, what)

    @property
    def silent_wrong(self) -> int:
        """Runs that completed with a wrong result and no error (each is also a failure)."""
        return sum(what == SILENT_WRONG for _, _, what in self.failures)

    def lines(self) -> list[str]:
        lines = [f"{self.runs} fault runs on {self.networks} networks in {self.minutes:.1f} min "
                 f"(seed {self.seed}): {self.ok} passed, {len(self.failures)} failed, "
                 f"{self.silent_wrong} silently wrong"]
        lines += [f"  {kind:8} {how}: {n}" for (kind, how), n in sorted(self.outcomes.items())]
        lines += [f"  FAILED network {seed} fault {fault}: {what}\n    replay: python -m tessel.fuzz "
                  f"faults --replay {seed}" for seed, fault, what in self.failures]
        return lines


def simulate(group: list[Fuzzed], report: Report, options: SimOptions) -> None:
    faults = [faults_for(f) for f in group]
    try:
        results = run_batch([NetworkRun(f.network.executable, f.images[:1], tuple(fs), f.stall)
                             for f, fs in zip(group, faults)], options)
        failure = None
    except SimulationFailed as error:
        results, failure = error.results, str(error).splitlines()[0]
    for i, (f, result) in enumerate(zip(group, results)):
        ex = f.network.executable
        want = golden.run(f.network.graph, f.images[:1]).ravel()
        report.networks += 1
        for fault in result["faults"]:
            report.runs += 1
            what = verdict(fault, want, ex)
            if what:
                report.failures.append((f.seed, {k: fault[k] for k in fault
                                                 if k not in ("output", "clean", "message")}, what))
            else:
                report.ok += 1
                report.outcomes[fault["kind"], outcome(fault, want, ex)] += 1
        if not result["outputs"].size:  # the simulation stopped in this network: rerun the rest
            done = len(result["faults"])
            report.runs += 1
            report.failures.append((f.seed, faults[i][done] if done < len(faults[i]) else None,
                                    f"the simulation failed: {failure}"))
            if group[i + 1:]:
                simulate(group[i + 1:], report, options)
            return
        if not np.array_equal(result["outputs"].ravel(), want):
            report.failures.append((f.seed, None, "the last clean run is not bit-exact"))


def campaign(runs: int, seed: int = 1, log=print, options: SimOptions | None = None) -> Report:
    """At least `runs` fault runs, on fuzzed networks from seed `seed` on."""
    options = options or OPTIONS
    report, pending = Report(seed), {t: [] for t in TARGETS}
    start, next_seed = time.monotonic(), seed
    while report.runs < runs:
        f = fuzzed(next_seed)
        next_seed += 1
        if f.network is None:
            continue
        pending[f.target].append(f)
        enough = report.runs + FAULTS_PER_NETWORK * sum(map(len, pending.values())) >= runs
        for target, group in pending.items():
            if group and (len(group) == NETWORKS_PER_INVOCATION or enough):
                simulate(group, report, options)
                pending[target] = []
                log(f"[{(time.monotonic() - start) / 60:.1f} min] {report.runs} fault runs, "
                    f"{report.ok} passed, {len(report.failures)} failed")
    report.minutes = (time.monotonic() - start) / 60
    return report


def replay(seed: int, log=print) -> Report:
    """Network `seed` alone with its faults."""
    f = fuzzed(seed)
    report = Report(seed)
    if f.network is None:
        log(f"network {seed} does not compile: {f.refusal or f.crash}")
        return report
    for fault in faults_for(f):
        log(f"fault {fault}")
    simulate([f], report, OPTIONS)
    return report
