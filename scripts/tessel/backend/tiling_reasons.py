"""Why a layer's tiles are as large as they are (the compile report, writers.report).

A tile size is limited by a buffer when one more row or output group would overflow half of
that buffer; otherwise the mapper (mapper/mapping.py) chose the smaller tile among the
candidates by predicted cycles, and the reason gives the cycles of the chosen tiling and of
the largest one that fits.
"""

from ..config import HardwareConfig
from ..mapper.cost import Memory, layer_cost, shape_of
from .tiling import INPUT_OUTER, WEIGHTS_OUTER, largest_tile, occupancy, walk

# What the compiler maps for (executable.build's default): the simulated DRAM, no read latency.
PLANNED_MEMORY = Memory()


def overflowing(g, config: HardwareConfig, rows: int, kgroups: int) -> list[str]:
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


def reasons(layer, config: HardwareConfig) -> list[str]:
    """layer: an executable.CompiledLayer. One line per tile dimension that is not whole, and
    the predicted cycles when the mapper chose smaller tiles than fit."""
    g, p = layer.image.geometry, layer.plan
    lines = [line for line in (
        _limit(p.rows, g.out_h, "row", overflowing(g, config, p.rows + 1, p.kgroups)),
        _limit(p.kgroups, g.out_groups, "output group",
               overflowing(g, config, p.rows, p.kgroups + 1))) if line]
    if any(line.endswith("by predicted cycles") for line in lines):
        lines.append(_cycles(layer, config))
    return lines


def _cycles(layer, config: HardwareConfig) -> str:
    g, p = layer.image.geometry, layer.plan
    shape, params = shape_of(layer.hw, layer.image), len(layer.image.params)

    def cost(plan):
        return layer_cost(layer.hw.name, "", shape, plan, params, config, PLANNED_MEMORY).cycles
    rows, kgroups = largest_tile(g, config, layer.hw.op.source)
    largest = min((walk(g, config, rows, kgroups, order) for order in (WEIGHTS_OUTER, INPUT_OUTER)),
                  key=lambda plan: (cost(plan), plan.dram_bytes))
    chosen, biggest = cost(p), cost(largest)
    verdict = ("smaller tiles let the next one load while this one computes" if chosen < biggest
               else f"as fast, and {p.dram_bytes:,} DRAM bytes against {largest.dram_bytes:,}"
               if chosen == biggest else "slower here: the mapper planned for another memory")
    return (f"predicted cycles (cost model, simulated memory with no read latency): "
            f"{chosen:,} with these tiles, {biggest:,} with the largest that fit "
            f"({rows} rows x {kgroups} groups, {largest.order}): {verdict}")
