"""Coverage of the RTL regression, read from the last `make coverage` (build/coverage/summary.json):
this group does not rerun the regression (that takes many minutes, docs/coverage.md)."""

import json

from ..coverage import METRICS, output_dir


def run() -> dict:
    path = output_dir() / "summary.json"
    if not path.exists():
        print(f"coverage: no {path}: run `make coverage` first (nothing reported)")
        return {}
    summary = json.loads(path.read_text())
    print(f"coverage: from `{summary['command']}` on {summary['date']} (commit {summary['commit']})")
    return {metric: summary["metrics"][metric] for metric in METRICS}
