"""Functional coverage: the testplan bins each run hit, and their merge over the regression.

A testbench's coverage subscriber calls `export(testplan, prefixes)` where it already writes
its cocotb-coverage YAML; in coverage mode (tessel.sim sets $TESSEL_FUNCTIONAL_COVERAGE) that
writes the run's bins as JSON beside its coverage .dat. `merge` adds the hits of every run.
"""

import json
import os
from pathlib import Path

ENV = "TESSEL_FUNCTIONAL_COVERAGE"


def bin_label(key) -> str:
    """A bin as text: cross bins (tuples) as 'a x b'."""
    return " x ".join(map(str, key)) if isinstance(key, tuple) else str(key)


def export(testplan: str, prefixes: tuple[str, ...]) -> Path | None:
    """Write every cover item of cocotb-coverage's database under `prefixes` (the testplan's
    cover points and crosses, hits per bin) to $TESSEL_FUNCTIONAL_COVERAGE; nothing outside
    coverage mode. Called again later in the same run, it rewrites the file (the database
    accumulates over the run's tests)."""
    path = os.environ.get(ENV)
    if not path:
        return None
    from cocotb_coverage.coverage import CoverCheck, CoverCross, CoverPoint, coverage_db
    items = {name: {"at_least": item.at_least,
                    "bins": {bin_label(k): hits for k, hits in item.detailed_coverage.items()}}
             for name, item in sorted(coverage_db.items())
             if name.startswith(prefixes) and isinstance(item, (CoverPoint, CoverCross, CoverCheck))}
    Path(path).write_text(json.dumps({"testplan": testplan, "items": items}, indent=1) + "\n")
    return Path(path)


def merge(paths: list[Path]) -> dict:
    """{testplan: {item: {"at_least": n, "bins": {bin: hits summed over the runs}}}}."""
    merged: dict = {}
    for path in paths:
        run = json.loads(path.read_text())
        plan = merged.setdefault(run["testplan"], {})
        for name, item in run["items"].items():
            into = plan.setdefault(name, {"at_least": item["at_least"], "bins": {}})
            for label, hits in item["bins"].items():
                into["bins"][label] = into["bins"].get(label, 0) + hits
    return merged
