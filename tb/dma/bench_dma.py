"""DMA throughput benchmark (python -m tessel.bench dma): tessel_dma against cocotbext-axi's
AxiRam with no pauses and a consumer/producer that is always ready, so the bus could move one
beat per cycle. For each transfer size, 8 commands are queued back to back and the throughput
is (beats the bytes need) / (cycles from the first command's acceptance to the last done
pulse); a single command's figure (its latency included) is reported too. Results go to the
JSON file named by TESSEL_BENCH_OUT. Every transfer's data is checked, so speed cannot come
from skipping work.
"""

import json
import logging
import os
import random

import cocotb
from cocotb.triggers import RisingEdge
from cocotbext.axi import AxiBus, AxiRam

from dma_bfm import DmaBfm
from dma_items import READ, WRITE, DmaCmdItem

SIZES = [4096, 16384, 65536]
BACK_TO_BACK = 8
MEM = 1 << 21


async def run_commands(bfm, items):
    """Queue `items`, wait for every done; (first accept cycle, last done cycle)."""
    for item in items:
        cocotb.start_soon(bfm.send_cmd(item))
    dones = []
    while len(dones) < len(items):
        dones.append(await bfm.dones.get())
    while not bfm.accepted_cmds.empty():
        bfm.accepted_cmds.get_nowait()
    first = min(item.accept_cycle for item in items)
    return first, max(cycle for _, cycle in dones)


def check(ram, item, beats):
    want = b"".join(ram.read(a % MEM, n) for a, n in item.rows_addresses())
    if item.direction == READ:
        got = b"".join(b.data for b in beats)[:item.total]
        assert got == want, f"{item}: wrong data"
    else:
        assert want == item.data, f"{item}: memory does not hold the written data"


@cocotb.test()
async def throughput(dut):
    rng = random.Random(cocotb.RANDOM_SEED)
    logging.getLogger("cocotb.tessel_dma_flat.m_axi").setLevel(logging.WARNING)
    bfm = DmaBfm(dut, rng)
    ram = AxiRam(AxiBus.from_prefix(dut, "m_axi"), dut.clk_i, dut.rst_i, size=MEM)
    ram.write(0, rng.randbytes(MEM))
    await bfm.reset()
    bfm.set_window(0, MEM)
    bb = bfm.beat_bytes
    results = {}
    for direction in (READ, WRITE):
        base = 0 if direction == READ else MEM // 2
        for label, count in (("", BACK_TO_BACK), ("_single", 1)):
            worst = 1.0
            for size in SIZES:
                for offset in (0, 5):  # page-aligned start, and a start 5 bytes into a beat
                    items = []
                    for i in range(count):
                        item = DmaCmdItem(direction=direction, addr=base + i * size + offset,
                                          row_bytes=size)
                        if direction == WRITE:
                            item.data = rng.randbytes(size)
                        items.append(item)
                    first, last = await run_commands(bfm, items)
                    beats = []
                    while not bfm.read_beats.empty():
                        beats.append(bfm.read_beats.get_nowait())
                    for i, item in enumerate(items):
                        nbeats = -(-size // bb)
                        check(ram, item, beats[i * nbeats:(i + 1) * nbeats])
                    frac = count * size / bb / (last - first)
                    key = f"dma_{direction}_frac{label}_{size // 1024}k" + ("_unaligned" if offset else "")
                    results[key] = round(frac, 4)
                    worst = min(worst, frac)
                    for _ in range(10):
                        await RisingEdge(dut.clk_i)
            results[f"dma_{direction}_frac{label}"] = round(worst, 4)
    results["dma_bus_bits"] = bfm.data_width
    with open(os.environ["TESSEL_BENCH_OUT"], "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
