"""Packed bit-field records shared by the Python back end and the RTL.

A record is an ordered list of fields; `encode` packs values into an int whose bit layout is
exactly the SystemVerilog `struct packed` that rtlgen generates from the same list (the first
field is the most significant, as in SystemVerilog).
"""

from dataclasses import dataclass

from ..errors import FieldOverflowError


@dataclass(frozen=True)
class Field:
    name: str
    width: int
    doc: str
    signed: bool = False


class Record:
    def __init__(self, name: str, doc: str, fields: list[Field]):
        self.name, self.doc, self.fields = name, doc, fields
        names = [f.name for f in fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{name}: duplicate field names")

    @property
    def width(self) -> int:
        return sum(f.width for f in self.fields)

    def encode(self, **values) -> int:
        """Pack named values (missing ones are 0); a value that does not fit names its field."""
        unknown = set(values) - {f.name for f in self.fields}
        if unknown:
            raise KeyError(f"{self.name}: unknown field(s) {sorted(unknown)}")
        word = 0
        for f in self.fields:
            value = int(values.get(f.name, 0))
            lo, hi = (-(1 << (f.width - 1)), (1 << (f.width - 1)) - 1) if f.signed else (0, (1 << f.width) - 1)
            if not lo <= value <= hi:
                raise FieldOverflowError(
                    f"{self.name}.{f.name} ({f.doc}) = {value} does not fit its {f.width} "
                    f"{'signed ' if f.signed else ''}bits ({lo}..{hi}): the hardware cannot "
                    "express it (docs/program.md)")
            word = (word << f.width) | (value & ((1 << f.width) - 1))
        return word

    def decode(self, word: int) -> dict:
        values = {}
        for f in reversed(self.fields):
            value = word & ((1 << f.width) - 1)
            if f.signed and value >> (f.width - 1):
                value -= 1 << f.width
            values[f.name] = value
            word >>= f.width
        return dict(reversed(list(values.items())))

    def sv_struct(self) -> str:
        lines = [f"  // {self.doc} ({self.width} bits)", "  typedef struct packed {"]
        for f in self.fields:
            kind = "logic signed" if f.signed else "logic"
            lines.append(f"    {kind} [{f.width - 1}:0] {f.name};  // {f.doc}")
        lines.append(f"  }} {self.name}_t;")
        return "\n".join(lines)
