"""Integer parameters of concatenation, the broadcast product and table functions, and the
choice of concatenation scales (docs/quantization.md)."""

import numpy as np
import torch

from ..ir import INPUT, QMAX, QMIN, Concat, ConcatQuant, Graph, Mul, MulQuant, QParams, Table, TableQuant
from ..ir.functions import apply_function
from .fixed_point import quantize_multiplier


def align_concat_ranges(graph: Graph, ranges: dict[str, QParams]) -> dict[str, QParams]:
    """Give every concatenation input that requantizes anyway (it owns its range) the
    concatenation's QParams, so its producer writes the concatenation's codes straight into
    its channel range and the concatenation's own requantization of it is the identity.
    Later concatenations first, so a chain (DenseNet) shares the last one's QParams."""
    ranges = dict(ranges)
    for op in reversed(graph.ops):
        if isinstance(op, Concat) and op.name in ranges:
            for name in op.inputs:
                if name != INPUT and name in ranges:
                    ranges[name] = ranges[op.name]
    return ranges


def quantize_concat(op: Concat, in_q: list[QParams]) -> ConcatQuant:
    pairs = [quantize_multiplier(q.scale / op.out_q.scale, f"{op.source}: input {i} rescale factor")
             for i, q in enumerate(in_q)]
    return ConcatQuant(multiplier=[m for m, _ in pairs], shift=[s for _, s in pairs])


def quantize_mul(op: Mul, in_q: list[QParams]) -> MulQuant:
    m, s = quantize_multiplier(in_q[0].scale * in_q[1].scale / op.out_q.scale,
                               f"{op.source}: product rescale factor")
    return MulQuant(multiplier=m, shift=s)


def quantize_table(op: Table, in_q: list[QParams]) -> TableQuant:
    """table[q] = the output code nearest f(real value of q): within half an output LSB of
    the float function wherever that lies inside the output range."""
    codes = np.arange(QMIN, QMAX + 1, dtype=np.float64)
    real = torch.from_numpy((codes - in_q[0].zero_point) * in_q[0].scale)
    values = apply_function(op.function, op.parameters, real).numpy()
    return TableQuant(table=op.out_q.quantize(values))
