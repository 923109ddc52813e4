"""Code and functional coverage of the RTL regression (`make coverage`, docs/coverage.md).

`make coverage` runs the tb/ regression with TESSEL_COVERAGE=1: tessel.sim builds every model
with Verilator line, toggle and user coverage, and each run leaves coverage-<run>.dat (and,
from the testbenches' coverage subscribers, functional-<run>.json) in its build folder under
build/sim/. `python -m tessel.coverage` merges them into build/coverage/:

    coverage.info          lcov tracefile of rtl/ (lines and branch arms), html/ from genhtml
    summary.md, .json      line, branch, toggle and user coverage per module and in total,
                           functional coverage per testplan, the exclusions, the biggest holes

Exclusions (each with its reason) are read from tb/coverage_exclusions.yaml, the thresholds CI
enforces (`--check`) from tb/coverage_thresholds.yaml.
"""

import datetime
import json
import platform
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import yaml

from ..errors import TesselError
from ..paths import REPO_ROOT, build_dir
from . import code, functional

EXCLUSIONS = REPO_ROOT / "tb" / "coverage_exclusions.yaml"
THRESHOLDS = REPO_ROOT / "tb" / "coverage_thresholds.yaml"
METRICS = ("cov_line", "cov_toggle", "cov_functional")
HOLES_SHOWN = 8  # per module, in summary.md (summary.json has them all)


def output_dir() -> Path:
    return build_dir() / "coverage"


def run_files(sim_dir: Path) -> tuple[list[Path], list[Path]]:
    """Every run's coverage .dat and functional JSON under build/sim (the testbenches and the
    network-level runs build there alike)."""
    return sorted(sim_dir.glob("*/coverage-*.dat")), sorted(sim_dir.glob("*/functional-*.json"))


def clean(sim_dir: Path) -> None:
    """Forget earlier coverage runs, so the next merge holds only the next regression."""
    dats, jsons = run_files(sim_dir)
    for path in dats + jsons:
        path.unlink()
    shutil.rmtree(output_dir(), ignore_errors=True)


def testplans() -> dict:
    """{block: path} of every tb/<block>/testplan.md."""
    return {p.parent.name: p for p in sorted((REPO_ROOT / "tb").glob("*/testplan.md"))}


def _ratio(hit: int, found: int) -> float | None:
    return round(hit / found, 4) if found else None


# ---------------------------------------------------------------------- merge
def merge(sim_dir: Path) -> dict:
    """Merge every run under `sim_dir`; returns the summary (also written to build/coverage/)."""
    dats, jsons = run_files(sim_dir)
    if not dats:
        raise TesselError(f"no coverage-*.dat under {sim_dir}: run `make coverage` (the regression "
                          "with TESSEL_COVERAGE=1) first")
    exclusions = yaml.safe_load(EXCLUSIONS.read_text()) or {}
    rules = [code.Exclusion.from_yaml(e) for e in exclusions.get("code") or []]
    points: dict = {}
    for path in dats:
        code.read_dat(path, points)
    points = list(points.values())
    code.apply_exclusions(points, rules)

    out = output_dir()
    out.mkdir(parents=True, exist_ok=True)
    code.write_lcov(points, out / "coverage.info")
    html = _genhtml(out / "coverage.info", out / "html")

    modules = _modules(points)
    totals = {k: sum(m[k] for m in modules.values()) for k in
              ("lines", "lines_hit", "branches", "branches_hit", "toggles", "toggles_hit", "user", "user_hit")}
    plans = _functional(functional.merge(jsons), exclusions.get("functional") or [])
    bins = sum(p["bins"] for p in plans.values())
    summary = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "host": platform.node(), "commit": _commit(), "command": "make coverage",
        "runs": {"code": len(dats), "functional": len(jsons)},
        "metrics": {"cov_line": _ratio(totals["lines_hit"], totals["lines"]),
                    "cov_toggle": _ratio(totals["toggles_hit"], totals["toggles"]),
                    "cov_functional": _ratio(sum(p["hit"] for p in plans.values()), bins),
                    "cov_branch": _ratio(totals["branches_hit"], totals["branches"]),
                    "cov_user": _ratio(totals["user_hit"], totals["user"])},
        "totals": totals, "modules": modules, "functional": plans,
        "not_simulated": _not_simulated(points),
        "exclusions": [{"where": r.where(), "kinds": list(r.kinds), "reason": r.reason,
                        "points": dict(r.matched)} for r in rules],
        "html": str(html.relative_to(REPO_ROOT)) if html else None,
    }
    summary["thresholds"] = thresholds()
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    (out / "summary.md").write_text(summary_markdown(summary))
    return summary


def _modules(points: list) -> dict:
    """Per module (= file): counts and the holes (uncovered lines, branch arms, toggle bits)."""
    modules: dict = {}
    lines = code.line_counts(points)
    by_module = defaultdict(list)
    for p in points:
        by_module[p.module].append(p)
    for name, pts in sorted(by_module.items()):
        file = pts[0].file
        kept = [p for p in pts if p.excluded_by is None]
        per_line = lines.get(file, {})
        missed_lines = [n for n, c in per_line.items() if c == 0]
        m = {"file": file, "lines": len(per_line), "lines_hit": len(per_line) - len(missed_lines),
             "excluded_points": len(pts) - len(kept)}
        for kind, key in (("branch", "branches"), ("toggle", "toggles"), ("user", "user")):
            of_kind = [p for p in kept if p.kind == kind]
            m[key], m[f"{key}_hit"] = len(of_kind), sum(1 for p in of_kind if p.count > 0)
        untoggled = defaultdict(int)  # signal -> bit-directions never seen
        for p in kept:
            if p.kind == "toggle" and p.count == 0:
                untoggled[re.sub(r"(\[\d+\])*$", "", p.signal)] += 1
        m["holes"] = {
            "lines": code.ranges(missed_lines),
            "branches": [f"{p.line} {p.comment}" for p in sorted(kept, key=lambda p: p.line)
                         if p.kind == "branch" and p.count == 0],
            "toggles": dict(sorted(untoggled.items(), key=lambda x: (-x[1], x[0]))),
            "user": [f"{p.line} {p.comment}" for p in kept if p.kind == "user" and p.count == 0],
        }
        modules[name] = m
    return modules


def _not_simulated(points: list) -> list:
    """rtl/ files that declare a module but have no point in any run."""
    seen = {p.file for p in points}
    return [str(f.relative_to(REPO_ROOT)) for f in sorted((REPO_ROOT / "rtl").rglob("*.sv"))
            if str(f.relative_to(REPO_ROOT)) not in seen
            and re.search(r"^\s*module\s", f.read_text(), re.M)]


def _functional(merged: dict, exclusions: list) -> dict:
    """Per testplan: bins hit / bins, holes; bins excluded in tb/coverage_exclusions.yaml
    (functional:, each {item, bin, reason}) are listed, not counted."""
    excluded = {(e["item"], str(e["bin"])): " ".join(e["reason"].split()) for e in exclusions}
    plans = {}
    for block, path in testplans().items():
        items = merged.get(block, {})
        hit = total = 0
        holes, skipped = [], []
        for name, item in sorted(items.items()):
            for label, hits in item["bins"].items():
                if (name, label) in excluded:
                    skipped.append({"bin": f"{name}: {label}", "hits": hits,
                                    "reason": excluded[(name, label)]})
                    continue
                total += 1
                if hits >= item["at_least"]:
                    hit += 1
                else:
                    holes.append(f"{name}: {label}")
        plans[block] = {"testplan": str(path.relative_to(REPO_ROOT)), "items": len(items),
                        "bins": total, "hit": hit, "holes": holes, "excluded": skipped,
                        "ratio": _ratio(hit, total)}
    return plans


def _genhtml(info: Path, html: Path) -> Path | None:
    genhtml = shutil.which("genhtml")
    if genhtml is None:
        print("coverage: genhtml not found (Debian package lcov, installed by `make setup`): no HTML report")
        return None
    shutil.rmtree(html, ignore_errors=True)
    subprocess.run([genhtml, "--quiet", "--branch-coverage", "--legend", "--title", "Tessel rtl/",
                    "--prefix", str(REPO_ROOT), "--output-directory", str(html), str(info)],
                   check=True, cwd=REPO_ROOT)
    return html / "index.html"


def _commit() -> str | None:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO_ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


# ---------------------------------------------------------------------- thresholds
def thresholds() -> dict:
    """{"targets": {metric: value}, "thresholds": {metric: value}} from tb/coverage_thresholds.yaml."""
    data = yaml.safe_load(THRESHOLDS.read_text())
    return {"targets": data["targets"], "thresholds": data["thresholds"]}


def check(summary: dict) -> list[str]:
    """Metrics below their threshold, as messages (empty: all pass)."""
    failures = []
    for metric, minimum in thresholds()["thresholds"].items():
        value = summary["metrics"].get(metric)
        if value is None or value < minimum:
            failures.append(f"{metric} = {value} is below its threshold {minimum} ({THRESHOLDS.name})")
    failures += [f"testplan {b} has no functional coverage data (did its testbench run?)"
                 for b, p in summary["functional"].items() if p["bins"] == 0]
    return failures


# ---------------------------------------------------------------------- summary.md
def _pct(hit: int, found: int) -> str:
    return f"{100 * hit / found:.1f}% ({hit}/{found})" if found else "-"


def summary_markdown(s: dict) -> str:
    t, limits = s["totals"], s["thresholds"]
    rows = [("line", "cov_line", t["lines_hit"], t["lines"]),
            ("toggle", "cov_toggle", t["toggles_hit"], t["toggles"]),
            ("functional (testplan bins)", "cov_functional",
             sum(p["hit"] for p in s["functional"].values()), sum(p["bins"] for p in s["functional"].values())),
            ("branch (reported, no target)", "cov_branch", t["branches_hit"], t["branches"]),
            ("user (SV cover points)", "cov_user", t["user_hit"], t["user"])]
    out = [f"# Coverage summary (generated by `python -m tessel.coverage`, do not edit)", "",
           f"`{s['command']}` on {s['date']} ({s['host']}, commit {s['commit']}): "
           f"{s['runs']['code']} simulation runs with code coverage, {s['runs']['functional']} with "
           f"functional coverage. Scope: the sources under rtl/ (not the testbench harnesses, not the "
           f"generated packages). HTML report: `{s['html'] or 'not written (no genhtml)'}`.", "",
           "| metric | measured | threshold (CI) | target |", "|---|---|---|---|"]
    for label, metric, hit, found in rows:
        limit, target = limits["thresholds"].get(metric), limits["targets"].get(metric)
        flag = " **below threshold**" if limit is not None and found and hit / found < limit else ""
        out.append(f"| {label} `{metric}` | {_pct(hit, found) if found else 'none in rtl/'}{flag} | "
                   f"{limit if limit is not None else '-'} | {target if target is not None else '-'} |")
    out += ["", "## Per module", "", "| module | file | lines | branches | toggles | user | excluded points |",
            "|---|---|---|---|---|---|---|"]
    for name, m in s["modules"].items():
        out.append(f"| {name} | {m['file']} | {_pct(m['lines_hit'], m['lines'])} | "
                   f"{_pct(m['branches_hit'], m['branches'])} | {_pct(m['toggles_hit'], m['toggles'])} | "
                   f"{_pct(m['user_hit'], m['user'])} | {m['excluded_points'] or ''} |")
    out.append(f"| **total** | | {_pct(t['lines_hit'], t['lines'])} | {_pct(t['branches_hit'], t['branches'])} "
               f"| {_pct(t['toggles_hit'], t['toggles'])} | {_pct(t['user_hit'], t['user'])} | |")
    if s["not_simulated"]:
        out += ["", f"Not in any coverage build (not counted above): {', '.join(s['not_simulated'])}."]

    out += ["", "## Functional coverage (testplan bins)", "",
            "| testplan | cover items | bins hit | holes | excluded bins |", "|---|---|---|---|---|"]
    for block, p in s["functional"].items():
        out.append(f"| [{block}](../../{p['testplan']}) | {p['items']} | {_pct(p['hit'], p['bins'])} | "
                   f"{', '.join(p['holes']) or 'none'} | "
                   f"{'; '.join(e['bin'] + ' (' + e['reason'] + ')' for e in p['excluded']) or 'none'} |")

    out += ["", "## Exclusions (tb/coverage_exclusions.yaml)", "",
            "| where | points removed | reason |", "|---|---|---|"]
    for e in s["exclusions"]:
        removed = ", ".join(f"{n} {k}" for k, n in sorted(e["points"].items())) or "**none: stale entry?**"
        out.append(f"| {e['where']} | {removed} | {e['reason']} |")

    out += ["", "## Biggest holes", "",
            "Modules by uncovered points (lines, branch arms, toggle bits); the first "
            f"{HOLES_SHOWN} signals per module. summary.json lists every hole.", ""]
    ranked = sorted(s["modules"].items(), key=lambda kv: -(
        kv[1]["lines"] - kv[1]["lines_hit"] + kv[1]["branches"] - kv[1]["branches_hit"]
        + kv[1]["toggles"] - kv[1]["toggles_hit"]))
    for name, m in ranked:
        h = m["holes"]
        if not (h["lines"] or h["branches"] or h["toggles"] or h["user"]):
            continue
        out.append(f"- **{name}** ({m['file']})")
        if h["lines"]:
            out.append(f"  - lines never run: {h['lines']}")
        if h["branches"]:
            shown = h["branches"][:HOLES_SHOWN]
            out.append(f"  - branch arms never taken ({len(h['branches'])}): {'; '.join(shown)}"
                       + (" ..." if len(h["branches"]) > len(shown) else ""))
        if h["toggles"]:
            shown = list(h["toggles"].items())[:HOLES_SHOWN]
            out.append(f"  - signals not fully toggled ({len(h['toggles'])}; missing bit-directions): "
                       + ", ".join(f"`{sig}` {n}" for sig, n in shown)
                       + (" ..." if len(h["toggles"]) > len(shown) else ""))
        if h["user"]:
            out.append(f"  - cover points never hit: {'; '.join(h['user'])}")
    return "\n".join(out) + "\n"
