"""The layering of scripts/tessel (the table and the check are in scripts/layering.py; the
picture in docs/architecture.md): no module imports from a layer above its own or from its
sibling, no import cycles between files or folders, nothing imports tb/."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import layering  # noqa: E402


def test_scripts_tessel_follows_the_layers():
    findings = layering.check(layering.REPO / "scripts")
    assert not findings, "\n".join(f.message for f in findings)


def test_every_folder_and_top_level_module_has_a_layer():
    units = {layering.unit(m) for m in layering.modules(layering.REPO / "scripts")}
    assert units <= set(layering.LAYER_OF), units - set(layering.LAYER_OF)


def tree(root: Path, files: dict) -> Path:
    """A synthetic scripts/tessel under root: {relative path: source}."""
    for name, text in files.items():
        path = root / "tessel" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def messages(root: Path) -> str:
    return "\n".join(f.message for f in layering.check(root))


def test_an_upward_import_is_named_with_file_line_module_and_layers(tmp_path):
    root = tree(tmp_path, {"__init__.py": "", "config.py": "x = 1\n",
                           "backend/__init__.py": "",
                           "backend/program.py": "import os\n\n\ndef late():\n"
                                                 "    from ..runtime import driver\n",
                           "runtime/__init__.py": "", "runtime/driver.py": "from ..config import x\n"})
    found = messages(root)
    assert ("tessel/backend/program.py:5: tessel.backend.program (layer 3 lower) imports "
            "tessel.runtime.driver (layer 5 run), a layer above") in found
    assert "runtime/driver.py" not in found  # downward: allowed


def test_siblings_tb_cycles_and_unplaced_modules_are_reported(tmp_path):
    root = tree(tmp_path, {
        "__init__.py": "",
        "mapper/__init__.py": "", "mapper/cost.py": "from tessel.backend import program\n",
        "backend/__init__.py": "", "backend/program.py": "from ..backend import layout\n",
        "backend/layout.py": "from . import program\n",
        "bench/__init__.py": "", "bench/core.py": "import tb.core.tiles\n",
        "ir/__init__.py": "from ..quantizer import q\n",
        "quantizer/__init__.py": "", "quantizer/q.py": "from ..ir import graph\n",
        "ir/graph.py": "", "stray.py": ""})
    found = messages(root)
    assert "tessel.mapper.cost imports tessel.backend.program: mapper/ and backend/ are siblings" \
        in found
    assert "tessel/bench/core.py:1: imports tb.core.tiles: nothing under scripts/tessel imports tb/" \
        in found
    assert "import cycle between files: tessel.backend.layout <-> tessel.backend.program" in found
    assert "import cycle between folders: tessel.ir <-> tessel.quantizer" in found
    assert "tessel/stray.py: stray is in no layer of the table" in found


@pytest.mark.parametrize("source,imported", [
    ("from .. import sim\n", "tessel.sim"),                      # from pkg import submodule
    ("from ..runtime import driver, SimOptions\n", "tessel.runtime"),  # a name: the package
    ("import tessel.runtime.driver as d\n", "tessel.runtime.driver"),
])
def test_imports_resolve_to_the_module_they_load(tmp_path, source, imported):
    root = tree(tmp_path, {"__init__.py": "", "sim.py": "", "runtime/__init__.py": "",
                           "runtime/driver.py": "", "ir/__init__.py": "", "ir/graph.py": source})
    assert imported in {i.imported for i in layering.imports(root)
                        if i.importer == "tessel.ir.graph"}
