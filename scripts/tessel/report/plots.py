"""The report's plots, one PNG each: the roofline with every layer, per-layer MAC utilization,
and the design-space sweep of latency against DSPs.

Figures are made with matplotlib's object API (Figure, not pyplot): savefig renders PNG with
the Agg backend, and no global plotting state leaks into the caller (a notebook, the tests).
"""

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import ScalarFormatter

from ..mapper.cost import milliseconds
from . import data

BOUND_COLORS = {"compute": "tab:blue", "port": "tab:orange", "ddr": "tab:red"}
DPI = 120


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=DPI)
    return path


def roofline(report: data.Report, path: Path) -> Path:
    """x: MACs per DRAM byte, y: MACs per cycle, each convolution a point numbered as in the
    layer table. The roof is the array's MACs per cycle or what the bus moves, whichever is
    lower: reads and writes have their own AXI channels, so the bus moves up to twice a
    direction's bytes per cycle when both are busy (solid), a direction's alone when one is
    (dashed). Layers without MACs (pooling, elementwise) have no place on it."""
    rows = report.conv_rows
    peak, bus = report.config.array.macs_per_cycle, report.bus_bytes_per_cycle
    fig = Figure(figsize=(8, 5.5), layout="constrained")
    ax = fig.subplots()
    x = np.array([r.cost.intensity for r in rows])
    lo, hi = min(x.min(), peak / bus) / 2, max(x.max(), peak / bus) * 2
    roof_x = np.geomspace(lo, hi, 200)
    ax.plot(roof_x, np.minimum(peak, 2 * bus * roof_x), color="black", lw=1.5,
            label=f"roof: {peak:,} MACs/cycle, or {2 * bus:g} B/cycle (reads + writes)")
    ax.plot(roof_x, np.minimum(peak, bus * roof_x), color="black", lw=1, ls="--",
            label=f"roof with one direction busy: {bus:g} B/cycle")
    ddr = report.memory.ddr_bytes_per_cycle
    if ddr:  # every master's reads and writes share it
        ax.plot(roof_x, np.minimum(peak, ddr * roof_x), color="tab:red", lw=1, ls=":",
                label=f"roof of the shared DDR: {ddr:.1f} B/cycle")
    for bound, color in BOUND_COLORS.items():
        mine = [r for r in rows if r.cost.bound == bound]
        if mine:
            ax.scatter([r.cost.intensity for r in mine], [r.achieved for r in mine], color=color,
                       s=22, label=f"{bound}-bound (model, {report.board.name} DRAM)", zorder=3)
    measured = [r for r in rows if r.measured]
    if measured:
        ax.scatter([r.cost.intensity for r in measured],
                   [r.cost.macs / r.measured for r in measured], facecolors="none",
                   edgecolors="black", s=40, zorder=4,
                   label=f"measured ({report.run}, its own memory)")
    for r in rows:
        ax.annotate(str(r.index), (r.cost.intensity, r.achieved), xytext=(3, 2),
                    textcoords="offset points", fontsize=6, color="dimgray")
    ax.set(xscale="log", yscale="log", xlim=(lo, hi),
           xlabel="arithmetic intensity (MACs per DRAM byte, reads + writes)",
           ylabel="achieved MACs per cycle",
           title=f"{report.name} on {report.config.name}: roofline "
                 f"({report.config.clock_mhz:g} MHz, {report.board.name} DRAM)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    return _save(fig, path)


def utilization(report: data.Report, path: Path) -> Path:
    """Bars of MAC utilization per convolution layer, colored by bound: predicted, and
    measured beside it when a run happened."""
    rows = report.conv_rows
    measured = any(r.measured for r in rows)
    fig = Figure(figsize=(max(8, 0.2 * len(rows) + 2), 5), layout="constrained")
    ax = fig.subplots()
    x = np.arange(len(rows))
    width = 0.4 if measured else 0.8
    ax.bar(x - (width / 2 if measured else 0), [100 * r.cost.utilization for r in rows], width,
           color=[BOUND_COLORS[r.cost.bound] for r in rows])
    legend = [Patch(color=color, label=f"predicted ({report.board.name} DRAM), {bound}-bound")
              for bound, color in BOUND_COLORS.items()]
    if measured:
        ax.bar(x + width / 2, [100 * (r.measured_utilization or 0) for r in rows], width,
               color="dimgray")
        legend.append(Patch(color="dimgray", label=f"measured ({report.run}, its own memory)"))
    legend.append(ax.axhline(100 * report.utilization, color="black", ls="--", lw=1,
                             label=f"whole network, predicted: {100 * report.utilization:.1f} %"))
    ax.set_xticks(x, [f"{r.index} {r.cost.name}" for r in rows], rotation=90, fontsize=6)
    ax.set(ylim=(0, 100), ylabel="MAC utilization (%)", xlim=(-1, len(rows)),
           title=f"{report.name} on {report.config.name}: MAC utilization per layer "
                 f"({report.config.array.macs_per_cycle:,} MACs/cycle)")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(handles=legend, loc="upper right", fontsize=8)
    return _save(fig, path)


def dse_sweep(report: data.Report, path: Path) -> Path:
    """Latency against DSP48E2 for every configuration that fits the board, colored by array
    size, the Pareto front, the chosen configuration and this build."""
    ex, board = report.exploration, report.board
    fig = Figure(figsize=(8.5, 5.5), layout="constrained")
    ax = fig.subplots()
    sizes = sorted({c.config.array.macs_per_cycle for c in ex.fitting})
    colors = dict(zip(sizes, [f"C{i}" for i in range(len(sizes))]))
    for size in sizes:
        mine = [c for c in ex.fitting if c.config.array.macs_per_cycle == size]
        ax.scatter([c.resources["DSP48E2"] for c in mine],
                   [data.latency_ms(c, board) for c in mine], s=12, alpha=0.6,
                   color=colors[size], label=f"{size:,} MACs/cycle")
    front = data.pareto(ex.fitting)
    ax.step([c.resources["DSP48E2"] for c in front], [data.latency_ms(c, board) for c in front],
            where="post", color="black", lw=1, label="Pareto front")
    best = data.chosen(ex)
    a = best.config.array
    ax.scatter([best.resources["DSP48E2"]], [data.latency_ms(best, board)], marker="*", s=220,
               color="red", edgecolors="black", zorder=5, label="chosen by the search")
    ax.annotate(f"chosen: {a.k_p}x{a.y_p}x{a.c_p}, {best.resources['DSP48E2']:,} DSP, "
                f"{data.latency_ms(best, board):.3g} ms", (best.resources["DSP48E2"],
                data.latency_ms(best, board)), xytext=(-12, 8), textcoords="offset points",
                ha="right", va="bottom", fontsize=9)
    ax.scatter([report.resources["DSP48E2"]], [milliseconds(report.cycles, board.clock_mhz)], marker="D",
               s=60, color="white", edgecolors="black", zorder=5,
               label=f"this build ({report.config.name}, its own mapping)")
    budget = board.budget()["DSP48E2"]
    ax.axvline(budget, color="gray", ls=":", lw=1, label=f"{board.name} DSP budget ({budget:,})")
    latencies = [data.latency_ms(c, board) for c in ex.fitting]
    if max(latencies) > 5 * min(latencies):  # a log axis only when the range needs one
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_formatter(ScalarFormatter())
        ax.tick_params(axis="y", which="minor", labelsize=7)
    ax.set(xlabel="DSP48E2 (resource model)",
           ylabel=f"latency per image (ms at {board.clock_mhz:g} MHz)",
           title=f"{report.name} on {board.name}: {len(ex.fitting)} configurations that fit "
                 f"(latency with the largest tiles, as the search ranks them)")
    ax.title.set_fontsize(10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    return _save(fig, path)


def draw(report: data.Report, directory: Path) -> dict:
    """Every plot the report has data for: {name: path}."""
    paths = {"roofline": roofline(report, directory / "roofline.png"),
             "utilization": utilization(report, directory / "utilization.png")}
    if report.exploration is not None:
        paths["dse"] = dse_sweep(report, directory / "dse.png")
    return paths
