"""Graph passes run after import. Each pass is one file with `match(graph, op)` and
`transform(graph, op)`; run_passes applies them in order until none matches."""

from ...ir import Graph
from . import fold_batchnorm, fuse_activation

PIPELINE = (fold_batchnorm, fuse_activation)


def run_passes(graph: Graph, passes=PIPELINE) -> Graph:
    for p in passes:
        changed = True
        while changed:
            changed = False
            for op in list(graph.ops):
                if op in graph.ops and p.match(graph, op):
                    p.transform(graph, op)
                    changed = True
    graph.check()
    return graph
