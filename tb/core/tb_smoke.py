"""Bring-up: one layer of each kind, compared with the golden model."""

import numpy as np
import cocotb

from tessel import golden
from tessel.quantizer.random_graphs import Limits, random_graph
from core_bfm import CoreBfm
from tiles import build_tile


@cocotb.test()
async def one_of_each(dut):
    bfm = CoreBfm(dut)
    await bfm.reset()
    rng = np.random.default_rng(cocotb.RANDOM_SEED)
    limits = Limits(max_channels=12, max_size=6, kernels=(1, 2, 3))
    for kind in ["conv2d", "max_pool", "avg_pool", "scale_shift", "activation", "add", "linear"]:
        graph, x = random_graph(kind, rng, limits, batch=1)
        op = graph.ops[-1]
        values = golden.run(graph, x, keep=True)
        tile = build_tile(bfm.config, graph, op, [values[n][0] for n in op.inputs])
        await bfm.load(tile)
        cycles, lanes = await bfm.run(tile)
        got = await bfm.read_output(tile)
        want = values[op.name][0]
        bad = np.argwhere(got != want)
        dut._log.info(f"{kind} {op.describe()} {graph.input_shape}->{op.out_shape}: {cycles} cycles, "
                      f"{len(bad)} wrong of {want.size}")
        assert not len(bad), f"{kind}: first wrong {bad[:5].tolist()} got {got[tuple(bad[0])]} want {want[tuple(bad[0])]}"
