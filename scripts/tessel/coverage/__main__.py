"""python -m tessel.coverage [--clean] [--check]: merge the coverage of the last `make coverage`
regression into build/coverage/ (summary.md, summary.json, coverage.info, html/).

    --clean   delete earlier runs' coverage files (before a new regression), merge nothing
    --check   fail (exit 1) if a metric is below tb/coverage_thresholds.yaml (CI)
"""

import argparse
import sys

from ..errors import TesselError
from ..paths import build_dir
from . import check, clean, merge, output_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tessel.coverage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clean", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    sim_dir = build_dir() / "sim"
    if args.clean:
        clean(sim_dir)
        return 0
    try:
        summary = merge(sim_dir)
    except TesselError as error:
        print(f"coverage: {error}", file=sys.stderr)
        return 1
    metrics = summary["metrics"]
    print(f"coverage: {summary['runs']['code']} runs merged into {output_dir()}/summary.md: "
          + ", ".join(f"{k} {v}" for k, v in metrics.items() if v is not None))
    if args.check:
        failures = check(summary)
        for failure in failures:
            print(f"coverage: FAILED: {failure}", file=sys.stderr)
        if failures:
            return 1
        print("coverage: every metric meets its threshold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
