"""The packed first layer computes exactly the original convolution."""

import numpy as np
import pytest
import torch

from tessel import golden
from tessel.golden import ops
from tessel.ir import INPUT, Conv2d
from tessel.plan.input_packing import pack_input, packed_conv, worth_packing
from tessel.quantizer.random_graphs import quantize_random


@pytest.mark.parametrize("c,kernel,stride,padding", [
    (3, (7, 7), (2, 2), (3, 3)),   # the ResNet stem
    (1, (5, 5), (1, 1), (2, 2)),   # the MNIST stem
    (3, (3, 3), (1, 1), (1, 1)),
    (2, (3, 5), (2, 1), (0, 2)),
])
def test_packed_conv_is_identical(c, kernel, stride, padding, rng):
    h, w = 13, 11
    oh = (h + 2 * padding[0] - kernel[0]) // stride[0] + 1
    ow = (w + 2 * padding[1] - kernel[1]) // stride[1] + 1
    k = 7
    op = Conv2d("stem", [INPUT], (k, oh, ow), "test", stride=stride, padding=padding,
                weight=rng.normal(0, 0.3, (k, c, *kernel)).astype(np.float32),
                bias=rng.normal(0, 0.1, k).astype(np.float32))
    graph, x = quantize_random([op], (c, h, w), rng, batch=1)
    assert worth_packing(op, 16)
    want = golden.run(graph, x)[0]
    packed = packed_conv(op)
    xp = pack_input(x[0], op, graph.input_q.zero_point)
    assert xp.shape == (c * kernel[1], h, ow)
    got = ops.conv2d(packed, torch.from_numpy(xp[None]), graph.input_q.zero_point).numpy()[0]
    assert np.array_equal(got, want)


def test_wide_inputs_are_not_packed(rng):
    op = Conv2d("c", [INPUT], (4, 8, 8), "t", weight=np.zeros((4, 16, 3, 3), np.float32),
                bias=np.zeros(4, np.float32), stride=(1, 1), padding=(1, 1))
    assert not worth_packing(op, 16)
