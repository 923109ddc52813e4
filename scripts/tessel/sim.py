"""Build and run a cocotb test module under Verilator: every testbench (tb/<block>/test_*.py)
and the runtime's simulator backend.

Builds are cached per (toplevel, parameters, configuration contents) under build/sim/, so a
pytest run that parametrises over seeds rebuilds nothing. The configuration is a HardwareConfig
(from a file or not: a DSE result simulates as it is); the cocotb process reads it back from
config.json in the build folder, named by $TESSEL_CONFIG_JSON (config_from_env). Every run
prints its seed and the command that reproduces it.

Coverage mode (`coverage=True`, or TESSEL_COVERAGE=1 for a whole regression: `make coverage`)
builds with Verilator line, toggle and user coverage in separate build folders; every run
writes its own coverage-<run>.dat and, through $TESSEL_FUNCTIONAL_COVERAGE, its testplan bins
to functional-<run>.json beside it. `python -m tessel.coverage` merges them.
"""

import fcntl
import hashlib
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from cocotb_tools.runner import get_runner, outdated

from . import rtlfiles
from .config import HardwareConfig
from .paths import build_dir as build_root, shown
from .progress import note
from .rtlgen import generated_packages, write_if_changed
from .tools import use_verilator

RTL = rtlfiles.RTL
COMMON_RTL = rtlfiles.COMMON
LAST_BUILD = "last_build_seconds"  # in the build folder: how long its last full build took
CONFIG_ENV = "TESSEL_CONFIG_JSON"  # the run's configuration (to_dict JSON) for the cocotb side
BUILD_ARGS = ["--assert", "-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique",
              "-CFLAGS", "-std=c++20", "-j", "2"]
# optimise=True (models that run millions of cycles): Verilator's -O3 (inline everything) and the
# C++ compiler's -O2 for every file (tools.verilator_env's -O1/-O0 keep small models' builds short).
OPTIMISED_ARGS = ["-O3", "-CFLAGS", "-O2"]


def seed_from_env(default: int) -> int:
    return int(os.environ.get("TESSEL_SEED", default))


def config_from_env() -> HardwareConfig:
    """In a cocotb test: the configuration the model was built for (written by run)."""
    path = Path(os.environ[CONFIG_ENV])
    return HardwareConfig.from_dict(json.loads(path.read_text()), str(path))


def coverage_from_env() -> bool:
    """TESSEL_COVERAGE=1: every simulation builds and runs with code coverage (make coverage).
    (Not COVERAGE: cocotb takes that as its Python-coverage switch.)"""
    return os.environ.get("TESSEL_COVERAGE") == "1"


def run(toplevel: str, sources: list[Path], test_module: str, test_dir: Path, *,
        config: HardwareConfig, parameters: dict | None = None, seed: int = 1,
        extra_env: dict | None = None, waves: bool = False, testcase: str | None = None,
        coverage: bool = False, defines: dict | None = None, plusargs: list | None = None,
        quiet: bool = False, public: dict | None = None, optimise: bool = False) -> None:
    """Build `toplevel` from the generated packages of `config` + common RTL + `sources` and run
    the cocotb tests in `test_module` (a module in `test_dir`, named as a string: a testbench is
    never imported here). Fails if any test fails.

    Every signal is visible to cocotb unless `public` ({module: ("signal" or "*", ...)}) names
    the only ones the test touches: Verilator then optimises across the rest of the design,
    which runs it several times faster (docs/benchmarks.md). A named signal a module lacks
    stays hidden (an AttributeError in the test, not a failed build)."""
    use_verilator()
    coverage = coverage or coverage_from_env()
    parameters = dict(parameters or {})
    packages = generated_packages(config)
    defines = {"TESSEL_ASSERT_ON": 1, **(defines or {})}  # assertions are on in simulation
    key = json.dumps([toplevel, config.label, sorted(parameters.items()), coverage]
                     + (["optimised"] if optimise else [])
                     + ([sorted(defines.items())] if defines else [])
                     + ([sorted((m, list(v)) for m, v in public.items())] if public else []),
                     default=str)
    build_dir = build_root() / "sim" / f"{toplevel}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"
    waves = waves or os.environ.get("TESSEL_WAVES") == "1"
    build_args = (BUILD_ARGS + (["--coverage-line", "--coverage-toggle", "--coverage-user"]
                                if coverage else []) + (OPTIMISED_ARGS if optimise else []))
    runner = get_runner("verilator")
    build_dir.mkdir(parents=True, exist_ok=True)
    # Parallel test workers may want the same model: one builds it, the others wait and then
    # find it up to date (Verilator leaves identical files untouched, so make relinks nothing
    # while another worker runs the binary).
    with open(build_dir / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        all_sources = [*packages, *COMMON_RTL, *sources]
        if public:
            all_sources.insert(0, write_if_changed(build_dir / "public.vlt", public_control(public)))
            build_args = build_args + ["--no-public-flat-rw"]  # after the runner's --public-flat-rw
        stale = outdated(build_dir / toplevel, all_sources)
        if stale:
            note(f"building {toplevel} for {config.name} with Verilator ({last_build(build_dir)})")
        start = time.perf_counter()
        runner.build(sources=all_sources, includes=[RTL / "common"],
                     hdl_toplevel=toplevel, parameters=parameters, defines=defines,
                     build_dir=build_dir,
                     build_args=build_args + (["--trace-fst", "--trace-structs"] if waves else []),
                     waves=waves, timescale=("1ns", "1ps"), log_file=build_dir / "build.log")
        if stale:
            (build_dir / LAST_BUILD).write_text(f"{time.perf_counter() - start:.0f}\n")
        # Written under the lock: a parallel worker never reads half of it.
        config_json = write_if_changed(build_dir / "config.json",
                                       json.dumps(config.to_dict(), indent=1) + "\n")
    sys.path.insert(0, str(test_dir))
    reproduce = (f"TESSEL_SEED={seed} {'TESSEL_WAVES=1 ' if waves else ''}"
                 f".venv/bin/python -m pytest {shown(test_dir)}")
    if not quiet:
        print(f"\n{toplevel} [{config.name} {parameters}] seed {seed}: reproduce with `{reproduce}`")
    plusargs = list(plusargs or [])
    # Runs of one model (parallel workers, the runtime's many runs) each keep their own files.
    run_id = f"{seed}-{os.getpid()}-{time.time_ns()}"
    extra_env = {CONFIG_ENV: str(config_json), **(extra_env or {})}
    if coverage:
        plusargs.append(f"+verilator+coverage+file+{build_dir}/coverage-{run_id}.dat")
        extra_env["TESSEL_FUNCTIONAL_COVERAGE"] = str(build_dir / f"functional-{run_id}.json")
    results = runner.test(test_module=test_module, hdl_toplevel=toplevel, hdl_toplevel_lang="verilog",
                          build_dir=build_dir, test_dir=build_dir, seed=seed, waves=waves,
                          testcase=testcase, extra_env=extra_env, plusargs=plusargs,
                          log_file=build_dir / "run.log" if quiet else None,
                          results_xml=str(build_dir / f"results-{run_id}.xml"))  # one per run
    failures, total = check_results(results)
    results.unlink()
    assert total > 0, f"{toplevel}: no test ran ({results})"
    assert failures == 0, f"{toplevel}: {failures} of {total} tests failed (seed {seed}): {reproduce}"


def public_control(public: dict) -> str:
    """A Verilator control file making exactly these signals visible to VPI."""
    lines = [f'public_flat_rw -module "{module}" -var "{signal}"'
             for module, signals in sorted(public.items()) for signal in signals]
    return "`verilator_config\n// generated by tessel.sim, do not edit\n" + "\n".join(lines) + "\n"


def last_build(build_dir: Path) -> str:
    """How long building this model took last time, as the build message says it."""
    try:
        return f"last build took {int((build_dir / LAST_BUILD).read_text())} s"
    except (OSError, ValueError):
        return "the first build takes a few minutes"


def check_results(results_xml: Path) -> tuple[int, int]:
    root = ET.parse(results_xml).getroot()
    cases = list(root.iter("testcase"))
    failed = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
    return failed, len(cases)
