"""The installable package: a wheel built from the checkout, installed into a fresh venv (reusing
.venv's dependencies, offline), compiles and runs the digits network from a folder outside the
checkout, with its own copies of configs/, rtl/ and the simulation harness, and writes nothing
into the installation."""

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
import zlib
from pathlib import Path

import pytest

from tessel import rtlfiles
from tessel.paths import CHECKOUT, CONFIGS_DIR, IN_CHECKOUT

pytestmark = pytest.mark.skipif(not IN_CHECKOUT or shutil.which("git") is None,
                                reason="builds the wheel from a git checkout")


def sh(*args, cwd=None) -> str:
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the checkout's files (tracked and new, not ignored), so
    nothing stale in build/ gets in and the checkout stays untouched."""
    source, dist = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    files = sh("git", "ls-files", "-co", "--exclude-standard", cwd=CHECKOUT).splitlines()
    for name in files:
        if (CHECKOUT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CHECKOUT / name, source / name)
    sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(source),
       "-w", str(dist))
    [built] = dist.glob("tessel-*.whl")
    return built


@pytest.fixture(scope="module")
def tessel(wheel, tmp_path_factory) -> Path:
    """The `tessel` command of a fresh venv holding only the wheel; the dependencies come from
    this interpreter's site-packages through a .pth file (its editable install of Tessel does
    not: a .pth line adds a folder, it does not run the folder's own .pth files)."""
    venv = tmp_path_factory.mktemp("venv")
    sh(sys.executable, "-m", "venv", "--without-pip", "--clear", str(venv))
    python = venv / "bin" / "python"
    site = Path(sh(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    (site / "tessel-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    sh(sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel))
    where = sh(str(python), "-c", "import tessel; print(tessel.__file__)").strip()
    assert Path(where).is_relative_to(site), f"the venv imports Tessel from {where}"
    return venv / "bin" / "tessel"


@pytest.fixture
def outside(tmp_path, monkeypatch) -> Path:
    """A working folder outside the checkout, with the checkout's trained digits weights when it
    has them (training takes a minute on a busy machine)."""
    assert not tmp_path.resolve().is_relative_to(CHECKOUT)
    for weights in (CHECKOUT / "gen" / "zoo").glob("digits-*.pt"):
        (tmp_path / "gen" / "zoo").mkdir(parents=True, exist_ok=True)
        shutil.copy2(weights, tmp_path / "gen" / "zoo" / weights.name)
    for name in ("TESSEL_GEN_DIR", "TESSEL_BUILD_DIR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def installed_files(tessel: Path) -> set:
    site = next(tessel.parents[1].glob("lib/python*/site-packages"))
    return {p for p in site.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_wheel_carries_the_run_time_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    used = [*CONFIGS_DIR.rglob("*"), *rtlfiles.RTL.rglob("*"), *rtlfiles.SIM_TOP]
    needed = [f"tessel/data/{p.relative_to(CHECKOUT)}" for p in used if p.is_file()]
    package_data = sh("git", "ls-files", "scripts/tessel", cwd=CHECKOUT).split()
    needed += [name.removeprefix("scripts/") for name in package_data if not name.endswith(".py")]
    assert any(n.startswith("tessel/data/rtl/regs/") for n in needed)
    assert "tessel/mapper/resource_calibration.json" in needed
    assert [n for n in needed if n not in names] == []


def test_compile_and_zoo_outside_the_checkout(tessel, outside):
    before = installed_files(tessel)
    sh(str(tessel), "compile", "digits", "--target", "small", "-o", "out", cwd=outside)
    manifest = json.loads((outside / "out" / "manifest.json").read_text())
    assert manifest["network"] == "digits" and manifest["config"]["name"] == "small"
    assert {"program.bin", "dram.bin", "tessel_network.h", "reference.npz"} <= set(manifest["files"])
    for name, entry in manifest["files"].items():
        data = (outside / "out" / name).read_bytes()
        assert (len(data), zlib.crc32(data)) == (entry["bytes"], entry["crc32"]), name
    assert list((outside / "gen" / "zoo").glob("digits-*.pt")), "the zoo cache is not in ./gen"
    zoo = sh(str(tessel), "zoo", cwd=outside)
    assert "digits" in zoo and "resnet50" in zoo
    assert installed_files(tessel) == before, "output was written into the installation"


def test_run_outside_the_checkout(tessel, outside):
    """Builds the simulator from the installed RTL (seconds with a warm ccache, minutes without)."""
    before = installed_files(tessel)
    out = sh(str(tessel), "run", "digits", "--target", "small", "--images", "4", cwd=outside)
    assert "output bytes equal to the golden model  100.00 %" in out, out
    [build_log] = (outside / "build" / "sim").glob("tessel_sim_top-*/build.log")
    assert f"{tessel.parents[1]}" in build_log.read_text(), "not built from the installed RTL"
    assert installed_files(tessel) == before, "output was written into the installation"
