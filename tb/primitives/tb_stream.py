"""FIFO and skid buffer: random traffic under random backpressure; every word arrives once,
in order (the reference is a Python queue: these blocks compute nothing)."""

import os
import random
from collections import deque

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge

WORDS = 3000


async def reset(dut):
    dut.rst_i.value = 1
    dut.in_valid_i.value = 0
    dut.out_ready_i.value = 0
    for _ in range(3):
        await RisingEdge(dut.clk_i)
    dut.rst_i.value = 0


@cocotb.test()
async def random_backpressure(dut):
    rng = random.Random(cocotb.RANDOM_SEED)
    width = len(dut.in_data_i)
    cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    await reset(dut)
    sent, expected, received = 0, deque(), 0
    p_valid, p_ready = rng.uniform(0.2, 1.0), rng.uniform(0.2, 1.0)
    word = rng.getrandbits(width)
    while received < WORDS:
        dut.in_valid_i.value = int(sent < WORDS and rng.random() < p_valid)
        dut.in_data_i.value = word
        dut.out_ready_i.value = int(rng.random() < p_ready)
        await ReadOnly()
        if dut.in_valid_i.value and dut.in_ready_o.value:
            expected.append(word)
            sent += 1
            word = rng.getrandbits(width)
        if dut.out_valid_o.value and dut.out_ready_i.value:
            got = int(dut.out_data_o.value)
            assert expected, f"word {got:#x} came out before any went in"
            want = expected.popleft()
            assert got == want, f"word {received}: got {got:#x}, expected {want:#x}"
            received += 1
        await RisingEdge(dut.clk_i)
    assert not expected
