"""Packaging beyond pyproject.toml: a wheel (and an sdist) carries the files the package needs at
run time from outside scripts/ (tessel.paths.SHIPPED: configurations, RTL, simulation harness),
in a wheel under tessel/data/, laid out as in the checkout. An editable install copies nothing:
it uses the checkout's own files."""

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
SHIPPED = runpy.run_path(str(ROOT / "scripts" / "tessel" / "paths.py"))["SHIPPED"]


def copy_shipped(destination: Path) -> None:
    for name in SHIPPED:
        source, target = ROOT / name, destination / name
        if not source.exists():
            raise SystemExit(f"setup.py: {name} is missing from {ROOT}: build from a checkout")
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


class BuildWithData(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            data = Path(self.build_lib) / "tessel" / "data"
            shutil.rmtree(data, ignore_errors=True)  # nothing stale from an earlier build
            copy_shipped(data)


class SdistWithData(sdist):
    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        copy_shipped(Path(base_dir))


setup(cmdclass={"build_py": BuildWithData, "sdist": SdistWithData})
