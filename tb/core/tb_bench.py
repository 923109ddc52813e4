"""Benchmark run: layers described in $TESSEL_BENCH_LAYERS (JSON), run on the core; each layer's
cycle and busy-lane counts (read from the hardware counters) go to $TESSEL_BENCH_RESULTS.
Every output is still checked against tessel.golden: a fast wrong answer is no result."""

import json
import os

import cocotb
import numpy as np

from core_bfm import CoreBfm
from layers import CoreLayer
from tessel import golden
from tessel.ir import INPUT, Conv2d
from tessel.plan.input_packing import pack_input, packed_conv
from tessel.quantizer.random_graphs import quantize_random


def make_layer(spec: dict, rng) -> CoreLayer:
    c, k, (kh, kw), stride, padding, (h, w) = (spec["c"], spec["k"], spec["kernel"],
                                               tuple(spec["stride"]), tuple(spec["padding"]), spec["in_hw"])
    oh = (h + 2 * padding[0] - kh) // stride[0] + 1
    ow = (w + 2 * padding[1] - kw) // stride[1] + 1
    op = Conv2d("conv", [INPUT], (k, oh, ow), spec["name"], stride=stride, padding=padding,
                weight=rng.normal(0, 1 / np.sqrt(c * kh * kw), (k, c, kh, kw)).astype(np.float32),
                bias=rng.normal(0, 0.1, k).astype(np.float32))
    graph, x = quantize_random([op], (c, h, w), rng, batch=1)
    if spec.get("pack_input"):
        packed = packed_conv(graph.ops[0])
        xp = pack_input(x[0], graph.ops[0], graph.input_q.zero_point)
        layer = CoreLayer("conv", graph, packed, [xp])
        layer.expected = lambda: golden.run(graph, x)[0]
        return layer
    return CoreLayer("conv", graph, graph.ops[0], [x[0]])


@cocotb.test()
async def bench_layers(dut):
    bfm = CoreBfm(dut)
    await bfm.reset()
    rng = np.random.default_rng(cocotb.RANDOM_SEED)
    specs = json.loads(open(os.environ["TESSEL_BENCH_LAYERS"]).read())
    results = []
    for spec in specs:
        layer = make_layer(spec, rng)
        tile = layer.tile(bfm.config)
        await bfm.load(tile)
        cycles, lanes = await bfm.run(tile)
        out = await bfm.read_output(tile)
        assert np.array_equal(out, layer.expected()), f"{spec['name']}: output differs from golden"
        results.append({**spec, "cycles": cycles, "lanes": lanes})
        dut._log.info(f"{spec['name']}: {cycles} cycles, utilization "
                      f"{lanes / (cycles * bfm.config.array.macs_per_cycle):.3f}")
    with open(os.environ["TESSEL_BENCH_RESULTS"], "w") as f:
        json.dump(results, f, indent=1)
