"""Tables for the CLI and benchmarks (aligned plain text, no colour codes in logs) and for
generated Markdown reports."""


def table(rows: list[list], header: list[str]) -> str:
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]])


def markdown(rows: list[list], header: list[str], align: str = "") -> str:
    """A Markdown table; align has an "l" or "r" per column (default: the first column left,
    the others right, as numbers read best)."""
    align = align or "l" + "r" * (len(header) - 1)

    def line(cells):
        return "| " + " | ".join(cells) + " |"
    return "\n".join([line([str(c) for c in header]),
                      "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"]
                     + [line([_fmt(c) for c in row]) for row in rows])


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
