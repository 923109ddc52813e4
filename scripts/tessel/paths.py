"""Where Tessel finds its configuration and writes generated output."""

import os
from pathlib import Path

# scripts/tessel/paths.py -> repository root (the package is installed in editable mode).
REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIGS_DIR = REPO_ROOT / "configs"


def gen_dir() -> Path:
    """Root of generated output: $TESSEL_GEN_DIR, else gen/ in the checkout."""
    return Path(os.environ.get("TESSEL_GEN_DIR", REPO_ROOT / "gen"))


def cache_dir(kind: str) -> Path:
    """A cache folder under gen/ (e.g. trained zoo weights), created on demand."""
    path = gen_dir() / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_dir() -> Path:
    path = REPO_ROOT / "build"
    path.mkdir(parents=True, exist_ok=True)
    return path
