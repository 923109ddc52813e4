"""Why a layer's tiles are as large as they are (the compile report, backend/writers.report).

A tile size is limited by a buffer when one more row or output group would overflow half of
that buffer; otherwise the mapper (mapper/mapping.py) chose the smaller tile among the
candidates by predicted cycles, and the reason gives the cycles of the chosen tiling and of
the largest one that fits (PredictedCycles, which the mapper records with its choice).
"""

from dataclasses import dataclass

from ..config import HardwareConfig
from .tiling import LayerGeometry, TilePlan, occupancy


@dataclass(frozen=True)
class PredictedCycles:
    """The cost model's cycles for a layer (simulated memory, no read latency: what the
    compiler maps for by default) with the chosen tiling and with the largest that fits."""
    chosen: int
    largest: int
    largest_plan: TilePlan


def overflowing(g: LayerGeometry, config: HardwareConfig, rows: int, kgroups: int) -> list[str]:
    """The buffers whose half a tile of rows x kgroups overflows, with the numbers."""
    out = []
    for what, (used, half) in occupancy(g, config, rows, kgroups).items():
        if used > half:
            buffer, unit = what.removesuffix(")").split(" (")  # "input (words per bank)"
            out.append(f"half the {buffer} buffer ({used:,} of {half:,} {unit})")
    return out


def _limit(size: int, total: int, unit: str, over: list[str]) -> str | None:
    """unit: "row" or "output group" (a tile has `size` of the layer's `total`)."""
    if size == total:
        return None
    why = f"why {size} {unit if size == 1 else unit + 's'} per tile (of {total})"
    if over:
        return f"{why}: {size + 1} would overflow {' and '.join(over)}"
    return f"{why}: more fit; the mapper chose {size} by predicted cycles"


def reasons(g: LayerGeometry, p: TilePlan, predicted: PredictedCycles,
            config: HardwareConfig) -> list[str]:
    """One line per tile dimension of plan p that is not whole, and the predicted cycles when
    the mapper chose smaller tiles than fit."""
    lines = [line for line in (
        _limit(p.rows, g.out_h, "row", overflowing(g, config, p.rows + 1, p.kgroups)),
        _limit(p.kgroups, g.out_groups, "output group",
               overflowing(g, config, p.rows, p.kgroups + 1))) if line]
    if any(line.endswith("by predicted cycles") for line in lines):
        lines.append(_cycles(p, predicted))
    return lines


def _cycles(p: TilePlan, predicted: PredictedCycles) -> str:
    chosen, biggest, largest = predicted.chosen, predicted.largest, predicted.largest_plan
    verdict = ("smaller tiles let the next one load while this one computes" if chosen < biggest
               else f"as fast, and {p.dram_bytes:,} DRAM bytes against {largest.dram_bytes:,}"
               if chosen == biggest else "slower here: the mapper planned for another memory")
    return (f"predicted cycles (cost model, simulated memory with no read latency): "
            f"{chosen:,} with these tiles, {biggest:,} with the largest that fit "
            f"({largest.rows} rows x {largest.kgroups} groups, {largest.order}): {verdict}")
