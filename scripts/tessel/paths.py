"""Where Tessel finds its sources (configurations, RTL, simulation harness) and writes output.

In a checkout (the editable install `make setup` makes) they are the checkout's own files and
output goes to its gen/ and build/. An installed wheel carries the same files under tessel/data/,
laid out as in the checkout (setup.py copies SHIPPED there), and writes to gen/ and build/ in the
current directory, never into the installation. $TESSEL_GEN_DIR and $TESSEL_BUILD_DIR override
either.
"""

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parents[1]  # scripts/tessel -> the repository, when there is one
IN_CHECKOUT = (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "scripts" / "tessel").is_dir()
# What the package needs at run time from outside scripts/, relative to the checkout.
SHIPPED = ("configs", "rtl", "tb/top/tessel_dram_bandwidth.sv", "tb/top/tessel_axi_mem.sv",
           "tb/top/tessel_sim_top.sv")
# The root of configs/, rtl/ and tb/top/: the checkout, or the installed copy of SHIPPED.
REPO_ROOT = CHECKOUT if IN_CHECKOUT else PACKAGE / "data"
CONFIGS_DIR = REPO_ROOT / "configs"


def output_root() -> Path:
    """Where gen/ and build/ go by default: the checkout, else the current directory."""
    return CHECKOUT if IN_CHECKOUT else Path.cwd()


def gen_dir() -> Path:
    """Root of generated output: $TESSEL_GEN_DIR, else gen/ (output_root)."""
    return Path(os.environ.get("TESSEL_GEN_DIR", output_root() / "gen"))


def cache_dir(kind: str) -> Path:
    """A cache folder under gen/ (e.g. trained zoo weights), created on demand."""
    path = gen_dir() / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_dir() -> Path:
    """Root of build output (simulators, images, reports): $TESSEL_BUILD_DIR, else build/
    (output_root); created on demand."""
    path = Path(os.environ.get("TESSEL_BUILD_DIR", output_root() / "build"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def shown(path: Path) -> str:
    """A path as messages print it: relative to the checkout when inside it."""
    return str(path.relative_to(CHECKOUT)) if IN_CHECKOUT and path.is_relative_to(CHECKOUT) else str(path)
