"""make lint: verilator --lint-only -Wall over every RTL file, for every target configuration.

Waivers live in lint/waivers.vlt, each with its reason. Exit status 1 on any warning.
"""

import sys

from tessel.config import available_targets, load_config
from tessel.paths import REPO_ROOT
from tessel.rtlgen import generated_packages
from tessel.tools import verilator_lint


def rtl_files():
    files = sorted(p for p in (REPO_ROOT / "rtl").rglob("*.sv") if not p.name.endswith("_pkg.sv"))
    packages = sorted((REPO_ROOT / "rtl").rglob("*_pkg.sv"))
    return packages + files


def main() -> int:
    failed = False
    for target in available_targets():
        clean, output = verilator_lint([*generated_packages(load_config(target)), *rtl_files()])
        status = "clean" if clean else "FAILED"
        print(f"lint [{target}]: {len(rtl_files())} files, {status}")
        if status != "clean":
            print(output)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
