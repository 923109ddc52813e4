"""The golden model's float64 convolution and pooling against loop-level int64 arithmetic.

golden/ops.py relies on float64 being exact for integer partial sums below 2^53; this
re-derives every output of random layers with explicit integer loops and exact rounding.
"""

from fractions import Fraction

import numpy as np
import pytest

from tessel import golden
from tessel.ir import INPUT, AvgPool, Conv2d, MaxPool
from tessel.quantizer.random_graphs import random_graph

exact = np.frompyfunc(lambda n, d: round(Fraction(int(n), int(d))), 2, 1)


def windows(x: np.ndarray, kernel, stride, padding, pad_value):
    """(N, C, KH, KW, OH, OW) integer view of every window, padded with pad_value."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    xp = np.pad(x.astype(np.int64), ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=pad_value)
    oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.empty((*x.shape[:2], kh, kw, oh, ow), np.int64)
    for ky in range(kh):
        for kx in range(kw):
            out[:, :, ky, kx] = xp[:, :, ky:ky + sh * (oh - 1) + 1:sh, kx:kx + sw * (ow - 1) + 1:sw]
    return out


def reference(graph, x):
    op = graph.ops[-1]
    zx = graph.qparams_of(INPUT).zero_point
    zy = op.out_q.zero_point
    if isinstance(op, Conv2d):
        q = op.quant
        win = windows(x, op.kernel, op.stride, op.padding, zx) - zx
        acc = np.einsum("ncyxhw,kcyx->nkhw", win, q.weight.astype(np.int64)) + q.bias[:, None, None]
        prod = acc * q.multiplier[:, None, None]
        rounded = exact(prod, (1 << q.shift.astype(object))[:, None, None]).astype(np.int64)
        return np.clip(rounded + zy, q.clamp_min, q.clamp_max)
    if isinstance(op, MaxPool):
        return windows(x, op.kernel, op.stride, op.padding, 0).max(axis=(2, 3))
    win = windows(x, op.kernel, op.stride, op.padding, zx) - zx
    return np.clip(exact(win.sum(axis=(2, 3)), op.quant.divisor).astype(np.int64) + zy, 0, 255)


@pytest.mark.parametrize("kind", ["conv2d", "linear", "max_pool", "avg_pool", "global_avg_pool"])
def test_golden_equals_integer_loops(kind, rng):
    for _ in range(15):
        graph, x = random_graph(kind, rng)
        assert np.array_equal(golden.run(graph, x), reference(graph, x)), graph.ops[-1]


def test_large_accumulators_stay_exact(rng):
    """Near the int32 accumulator bound the float64 path must still be exact."""
    graph, x = random_graph("conv2d", rng)
    op = graph.ops[0]
    op.quant.weight[:] = 127
    op.quant.bias[:] = 2 ** 30
    x[:] = 255
    graph.input_q = type(graph.input_q)(graph.input_q.scale, 0)
    assert np.array_equal(golden.run(graph, x), reference(graph, x))


def test_golden_rejects_wrong_input(rng):
    graph, x = random_graph("conv2d", rng)
    with pytest.raises(ValueError, match="uint8"):
        golden.run(graph, x.astype(np.float32))
