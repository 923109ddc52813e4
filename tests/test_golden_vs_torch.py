"""The golden model against PyTorch's own quantized operators (fbgemm), op by op, on random
shapes and quantization parameters."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tessel import golden
from tessel.ir import INPUT
from tessel.quantizer.random_graphs import KINDS, random_graph
from tessel.reference.crosscheck import TIES_ROUNDED_OTHERWISE, check_graph, check_random_ops
from tessel.reference.torch_quantized import reference_op

# Average pooling: PyTorch multiplies the window sum by a float32 reciprocal of the area, so
# an exact tie (sum / area = k + 1/2) can land either side; the golden model rounds the exact
# quotient (docs/quantization.md). Every other op must agree on every element.
POOLS = ("avg_pool", "global_avg_pool")


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in POOLS + TIES_ROUNDED_OTHERWISE])
def test_op_matches_pytorch(kind, rng):
    agreement = None
    for _ in range(25):
        graph, x = random_graph(kind, rng)
        agreement = check_graph(graph, x, agreement)
    assert agreement.max_lsb <= 1
    assert agreement.exact_frac >= 0.999, agreement.as_dict()


@pytest.mark.parametrize("kind", POOLS)
def test_average_pool_differs_only_on_exact_ties(kind, rng):
    compared = mismatched = 0
    for _ in range(40):
        graph, x = random_graph(kind, rng)
        op = graph.ops[0]
        ours = golden.run(graph, x).astype(np.int64)
        theirs = reference_op(graph, op, [x]).astype(np.int64)
        zx = graph.qparams_of(INPUT).zero_point
        sums = F.avg_pool2d(torch.from_numpy(x).double() - zx, op.kernel, op.stride, op.padding,
                            divisor_override=1).numpy().astype(np.int64)
        tie = 2 * (sums % op.quant.divisor) == op.quant.divisor
        differ = ours != theirs
        assert np.abs(ours - theirs).max() <= 1
        assert not (differ & ~tie).any(), f"{op.describe()}: mismatch away from a tie"
        compared, mismatched = compared + ours.size, mismatched + differ.sum()
    assert mismatched / compared < 0.01


def test_crosscheck_detects_a_wrong_golden_model(rng, monkeypatch):
    """The cross-check can fail: break the golden conv's rounding and it must notice."""
    import tessel.golden.ops as ops
    monkeypatch.setattr(ops, "round_shift", lambda p, s: (p >> s))  # truncation, not rounding
    agreement = check_random_ops(cases_per_kind=5, seed=1)
    assert agreement.per_op["conv2d"][1] < agreement.per_op["conv2d"][0]
