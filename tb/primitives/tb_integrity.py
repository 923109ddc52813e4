"""The integrity checks against the golden ones (tessel.backend.integrity): random streams with
gaps between beats and new streams at random. Every cycle the output must be zlib's CRC-32 of
the stream so far (tessel_crc32), or the 32-bit sum of its beats' checks (tessel_beat_check)."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge

from tessel.backend.integrity import beat_checks, crc32

CYCLES = 3000
P_NEW_STREAM = 0.02


class StreamCrc:
    """zlib.crc32 of the beats since the stream began."""
    latency = 1  # cycles from a beat to the output
    def __init__(self):
        self.taken = bytearray()

    def begin(self, _first_index):
        self.taken.clear()

    def beat(self, data: bytes):
        self.taken += data

    def value(self) -> int:
        return crc32(bytes(self.taken))


class StreamCheckSum:
    """The 32-bit sum of CRC-32(index, beat) over the beats since the stream began."""
    latency = 2  # the beat's check, then the sum
    def __init__(self, beat_bytes: int):
        self.beat_bytes, self.index, self.sum = beat_bytes, 0, 0

    def begin(self, first_index: int):
        self.index, self.sum = first_index, 0

    def beat(self, data: bytes):
        check = int(beat_checks(data, self.beat_bytes, first_index=self.index)[0])
        self.index, self.sum = self.index + 1, (self.sum + check) & 0xFFFF_FFFF

    def value(self) -> int:
        return self.sum


async def streams(dut, output, start, model):
    """Random beats and new streams (start(rng, new) drives the start signals and gives the
    stream's first index); every cycle `output` must be model.value() of the beats taken
    model.latency cycles before or earlier (a new stream shows from the next cycle)."""
    rng = random.Random(cocotb.RANDOM_SEED)
    beat_bytes = len(dut.data_i) // 8
    p_valid = rng.uniform(0.3, 1.0)
    cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    began, after = None, []  # the cycle the stream began; the model's value after each cycle
    for cycle in range(CYCLES):
        new = began is None or rng.random() < P_NEW_STREAM
        first_index = start(rng, new)
        # a beat in the cycle of a start is not taken: none is driven there
        valid = began is not None and not new and rng.random() < p_valid
        data = rng.randbytes(beat_bytes)
        dut.valid_i.value = int(valid)
        dut.data_i.value = int.from_bytes(data, "little")
        await ReadOnly()
        if began is not None:
            got, want = int(output.value), after[max(cycle - model.latency, began)]
            assert got == want, f"cycle {cycle}: got {got:#010x}, expected {want:#010x}"
        if new:
            model.begin(first_index)
            began = cycle
        if valid:
            model.beat(data)
        after.append(model.value())
        await RisingEdge(dut.clk_i)


@cocotb.test()
async def crc_is_zlib(dut):
    """tessel_crc32: crc_o is zlib.crc32 of the beats since clear_i."""
    def start(_rng, new):
        dut.clear_i.value = int(new)
        return 0

    await streams(dut, dut.crc_o, start, StreamCrc())


@cocotb.test()
async def sum_is_beat_checks(dut):
    """tessel_beat_check: sum_o is the sum of CRC-32(index, beat) over the beats since start_i,
    the index counting on from index_i (some streams start near the top of the 32-bit range)."""
    def start(rng, new):
        first = rng.choice([rng.getrandbits(16), (1 << 32) - CYCLES - rng.getrandbits(8)])
        dut.start_i.value = int(new)
        dut.index_i.value = first
        return first

    await streams(dut, dut.sum_o, start, StreamCheckSum(len(dut.data_i) // 8))
