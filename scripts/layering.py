"""The layers of scripts/tessel (the one table of them) and the check that imports follow it.

A module may import modules of its own layer and of layers below, never above; backend/ and
mapper/ (siblings in one layer) never import each other; no import cycles between files or
between folders; nothing imports tb/. tests/test_layers.py runs the check; docs/architecture.md
shows the table and the picture this script draws:

    .venv/bin/python scripts/layering.py                 # list what breaks the rules
    .venv/bin/python scripts/layering.py --diagram       # docs/images/layers.png
"""

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "tessel"

# Bottom to top: (layer, what it holds, its top-level modules and folders under scripts/tessel).
# "__init__" is the package's own __init__.py (its lazy compile/load attributes).
LAYERS = [
    ("base", "errors, paths, configuration, register map",
     ["errors", "paths", "progress", "textable", "tools", "rtlfiles", "config", "register_map"]),
    ("model", "IR, quantizer, front end, golden model, zoo",
     ["ir", "quantizer", "frontend", "golden", "zoo"]),
    ("plan", "hardware layers, shapes, tiling", ["plan"]),
    ("lower", "bytes (backend) and cycles (mapper), siblings", ["backend", "mapper"]),
    ("lowering", "graph to executable: tilings + bytes", ["lowering"]),
    ("run", "RTL generation, simulator, runtime", ["rtlgen", "sim", "runtime"]),
    ("product", "compiled network, artifacts, report",
     ["artifacts", "network", "compiler", "report", "evaluate", "rtl_run"]),
    ("tools", "benchmarks, fuzzers, calibration, synthesis, docs",
     ["bench", "fuzz", "coverage", "reference", "calibration", "synth", "timing", "fpga",
      "docsgen"]),
    ("interface", "command line and the package's entry points",
     ["cli", "cli_bounds", "__main__", "__init__"]),
]
# Folders of one layer that must not import each other.
SIBLINGS = {("backend", "mapper"), ("mapper", "backend")}
LAYER_OF = {unit: index for index, (_, _, units) in enumerate(LAYERS) for unit in units}


@dataclass(frozen=True)
class Import:
    importer: str   # dotted module name (tessel.backend.program)
    file: Path
    line: int
    imported: str   # dotted module name, resolved to the submodule where there is one


@dataclass(frozen=True)
class Finding:
    key: str        # stable, for a list of known findings
    message: str


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path) -> dict[str, Path]:
    """Dotted name -> file of every module under root/tessel (a package is its __init__.py)."""
    return {module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}


def _resolve(name: str, known: dict) -> str:
    """The longest known module `name` starts with (import a.b.c names a.b.c, or a.b)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return name


def imports(root: Path) -> list[Import]:
    """Every import of every module under root/tessel, at any depth (inside functions too);
    relative imports resolved; `from pkg import sub` resolved to the submodule."""
    known = modules(root)
    found = []
    for importer, path in known.items():
        package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [_resolve(alias.name, known) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else _resolve(base, known)
                         for a in node.names]
            else:
                continue
            found += [Import(importer, path, node.lineno, name) for name in dict.fromkeys(names)]
    return found


def unit(module: str) -> str:
    """The top-level module or folder under tessel a module belongs to ("__init__": tessel)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def folder(module: str, known: dict) -> str:
    """The folder a module's file is in, as a dotted package name; a file directly under
    tessel/ stands for itself (those files belong to every layer, so not to one folder)."""
    if known[module].name == "__init__.py":
        return module
    package = module.rpartition(".")[0]
    return module if package == PACKAGE else package


def _cycles(edges: dict) -> list[list]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def check(root: Path) -> list[Finding]:
    """What breaks the layering under root/tessel: unknown modules, imports from a layer above
    or from a sibling, imports of tb, and import cycles between files or between folders."""
    known = modules(root)
    found = []
    for module in known:
        if unit(module) not in LAYER_OF:
            found.append(Finding(f"unplaced {module}", f"{known[module].relative_to(root)}: "
                                 f"{unit(module)} is in no layer of the table (scripts/layering.py)"))
    all_imports = imports(root)
    files, folders = {}, {}
    for i in all_imports:
        where = f"{i.file.relative_to(root)}:{i.line}"
        if i.imported == "tb" or i.imported.startswith("tb."):
            found.append(Finding(f"{i.importer} -> {i.imported}",
                                 f"{where}: imports {i.imported}: nothing under scripts/tessel "
                                 f"imports tb/ (name a testbench module as a string)"))
            continue
        if i.imported not in known or i.imported == i.importer:
            continue
        files.setdefault(i.importer, set()).add(i.imported)
        source, target = folder(i.importer, known), folder(i.imported, known)
        if source != target:
            folders.setdefault(source, set()).add(target)
        low, high = LAYER_OF.get(unit(i.importer)), LAYER_OF.get(unit(i.imported))
        if low is None or high is None:
            continue
        if high > low:
            found.append(Finding(f"{i.importer} -> {i.imported}",
                                 f"{where}: {i.importer} (layer {low} {LAYERS[low][0]}) imports "
                                 f"{i.imported} (layer {high} {LAYERS[high][0]}), a layer above"))
        elif (unit(i.importer), unit(i.imported)) in SIBLINGS:
            found.append(Finding(f"{i.importer} -> {i.imported}",
                                 f"{where}: {i.importer} imports {i.imported}: {unit(i.importer)}/ "
                                 f"and {unit(i.imported)}/ are siblings (layer {low} "
                                 f"{LAYERS[low][0]}) and never import each other"))
    for kind, edges in (("files", files), ("folders", folders)):
        for cycle in _cycles(edges):
            found.append(Finding(f"cycle of {kind}: {', '.join(cycle)}",
                                 f"import cycle between {kind}: {' <-> '.join(cycle)}"))
    return found


def diagram(out: Path) -> Path:
    """The layers as stacked boxes, bottom to top, with what each holds."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, ax = plt.subplots(figsize=(12, 0.75 * len(LAYERS) + 0.8))
    for index, (name, what, units) in enumerate(LAYERS):
        y = index * 0.75
        color = plt.cm.Blues(0.1 + 0.4 * index / len(LAYERS))
        ax.add_patch(FancyBboxPatch((0, y), 9.8, 0.6, boxstyle="round,pad=0.02", fc=color, ec="k"))
        ax.text(0.15, y + 0.42, f"{index}  {name}", fontsize=11, weight="bold", va="center")
        ax.text(0.15, y + 0.16, what, fontsize=8, va="center", style="italic")
        shown = ", ".join(u if u != "__init__" else "tessel/__init__" for u in units)
        ax.text(4.1, y + 0.3, shown, fontsize=9, va="center")
    top = (len(LAYERS) - 1) * 0.75 + 0.6
    ax.add_patch(FancyArrowPatch((10.2, top), (10.2, 0), arrowstyle="-|>", mutation_scale=20))
    ax.text(10.35, top / 2, "imports point down\n(own layer or below);\nbackend and mapper\n"
            "never import each other;\nno cycles; tb/ and tests/\nsit above all",
            fontsize=8, va="center")
    ax.set_xlim(0, 12.2)
    ax.set_ylim(-0.1, top + 0.1)
    ax.axis("off")
    ax.set_title("Layers of scripts/tessel (scripts/layering.py)", fontsize=12)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--diagram", action="store_true", help="write docs/images/layers.png")
    args = parser.parse_args(argv)
    if args.diagram:
        print(diagram(REPO / "docs" / "images" / "layers.png").relative_to(REPO))
        return 0
    findings = check(REPO / "scripts")
    for finding in findings:
        print(finding.message)
    print(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
