"""Cross-check the golden model against PyTorch's quantized operators, op by op.

Each op is given the golden model's own input tensors, so differences never compound: what is
measured is how often the integer contract and PyTorch round differently.
"""

from dataclasses import dataclass, field

import numpy as np

from .. import golden
from ..ir import Graph
from ..quantizer.random_graphs import KINDS, random_graph
from ..progress import progress
from .torch_quantized import reference_op, select_engine


@dataclass
class Agreement:
    elements: int = 0
    exact: int = 0
    max_lsb: int = 0
    per_op: dict = field(default_factory=dict)  # key -> [elements, exact, max_lsb]

    def add(self, key: str, ours: np.ndarray, theirs: np.ndarray) -> None:
        if ours.shape != theirs.shape:
            raise AssertionError(f"{key}: golden shape {ours.shape} != PyTorch {theirs.shape}")
        diff = np.abs(ours.astype(np.int64) - theirs.astype(np.int64))
        n, exact, worst = diff.size, int((diff == 0).sum()), int(diff.max(initial=0))
        self.elements, self.exact, self.max_lsb = self.elements + n, self.exact + exact, max(self.max_lsb, worst)
        row = self.per_op.setdefault(key, [0, 0, 0])
        row[0], row[1], row[2] = row[0] + n, row[1] + exact, max(row[2], worst)

    @property
    def exact_frac(self) -> float:
        return self.exact / self.elements if self.elements else 1.0

    def as_dict(self) -> dict:
        return {"elements": self.elements, "exact_frac": self.exact_frac, "max_lsb": self.max_lsb,
                "per_op": {k: {"elements": n, "exact_frac": e / n if n else 1.0, "max_lsb": m}
                           for k, (n, e, m) in self.per_op.items()}}


def check_graph(graph: Graph, x_u8: np.ndarray, agreement: Agreement | None = None,
                key=lambda op: op.name) -> Agreement:
    """Compare every op of a quantized graph with PyTorch on the golden intermediates."""
    select_engine()
    agreement = agreement or Agreement()
    values = golden.run(graph, x_u8, keep=True)
    for op in progress(graph.ops, desc=f"golden vs PyTorch, {graph.name}", unit="layer"):
        theirs = reference_op(graph, op, [values[name] for name in op.inputs])
        agreement.add(key(op), values[op.name], theirs.reshape(values[op.name].shape))
    return agreement


# PyTorch's quantized bilinear upsampling rounds exact ties (sum / 16 = k + 1/2) its own way;
# tests/test_golden_breadth.py checks that it differs from the golden model on those only.
TIES_ROUNDED_OTHERWISE = ("upsample_bilinear",)


def check_random_ops(cases_per_kind: int = 40, seed: int = 0) -> Agreement:
    """Random shapes and quantization parameters for every kind of op."""
    rng = np.random.default_rng(seed)
    agreement = Agreement()
    cases = [(kind, i) for kind in KINDS if kind not in TIES_ROUNDED_OTHERWISE
             for i in range(cases_per_kind)]
    for kind, _ in progress(cases, desc="golden vs PyTorch (random ops)", unit="op"):
        graph, x_u8 = random_graph(kind, rng)
        check_graph(graph, x_u8, agreement, key=lambda op, kind=kind, graph=graph:
                    _random_key(kind, op, graph.output))
    return agreement


def _random_key(kind: str, op, output: str) -> str:
    """The op under test by its kind; its operands: scale-shifts as such, others (a gate's
    pooling) as "kind:op", which the per-kind metrics leave out."""
    if op.name == output:
        return kind
    return op.kind if op.kind == "scale_shift" else f"{kind}:{op.kind}"
