"""Reports of a compiled network (CompiledNetwork.report, `tessel report`): what each layer
costs on the accelerator, where the time goes, what the board's resources allow, what
skipping zero weights could save and what more parallelism costs and buys.

    data.py        the numbers: cost model per layer, measured cycles, resources, design space
    plots.py       the PNGs: roofline, per-layer utilization, design-space sweep
    markdown.py    report.md, with the plots beside it

The page the docs show (docs/report_resnet50.md) is written by a tool above the product,
tessel.docsgen: it compiles a network, which the report itself never does.
"""

from pathlib import Path

from ..mapper.board import board_for
from ..mapper.dse import explore
from ..progress import progress
from . import data, markdown, plots


def write_report(network, directory, dse: bool = True) -> Path:
    """report.md and its plots in `directory`; with dse=True the design space of the
    configuration's board is searched first (seconds for ResNet-50)."""
    board = board_for(network.config)
    exploration = None
    if dse:
        exploration = explore(network.graph, board, network.config,
                              f"{network.name}_{board.name}",
                              progress=lambda items: progress(
                                  items, desc=f"design space on {board.name}", unit="config"))
    report = data.build(network, board, exploration)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    images = plots.draw(report, directory)
    path = directory / "report.md"
    path.write_text(markdown.render(report, images))
    return path
