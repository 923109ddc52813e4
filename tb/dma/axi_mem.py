"""AXI4 memory slave for the DMA testbench, built on cocotbext-axi's slave models.

cocotbext-axi's AxiRamRead/AxiRamWrite answer every burst OKAY (SLVERR only when their
memory raises) and start each burst as soon as they see it. This model keeps their channel
objects (and so their pause generators and reset handling) and replaces the burst loops to add
  - a memory arena at a base address anywhere in the 40-bit space (accesses outside it are
    recorded as stray and answered DECERR: the DMA's window must keep it from ever doing that),
  - per-burst random latency before the first read beat / the write response,
  - error injection: bytes that answer SLVERR or DECERR (a read beat touching one fails; a write
    burst writing one fails, and the failing beat writes nothing),
  - a log of every burst and of every byte written, with the simulation time, for the
    scoreboard ("no write after the error", "never outside the window").
"""

import random
from dataclasses import dataclass, field

from cocotb.triggers import ClockCycles
from cocotb.utils import get_sim_time
from cocotbext.axi import AxiResp
from cocotbext.axi.axi_slave import AxiSlaveRead, AxiSlaveWrite


@dataclass
class Burst:
    kind: str     # "read" or "write"
    addr: int     # AxADDR
    beats: int
    time_ns: float
    resp: int = 0  # worst response given


@dataclass
class WriteOp:
    addr: int
    data: bytes
    time_ns: float


@dataclass
class MemoryLog:
    bursts: list = field(default_factory=list)
    writes: list = field(default_factory=list)
    stray: list = field(default_factory=list)  # (kind, addr, length) outside the arena
    error_beats: list = field(default_factory=list)  # (kind, burst addr, beat index, resp)


class ArenaMemory:
    """The bytes behind both slaves: `size` bytes at address `base`."""

    def __init__(self, base: int, size: int, rng: random.Random):
        self.base, self.size = base, size
        self.mem = bytearray(rng.getrandbits(8) for _ in range(size)) if size <= 1 << 16 else \
            bytearray(rng.randbytes(size))
        self.errors: list[tuple[int, int, int]] = []  # (first byte, end, AxiResp)
        self.log = MemoryLog()

    def contains(self, addr: int, length: int) -> bool:
        return self.base <= addr and addr + length <= self.base + self.size

    def read(self, addr: int, length: int) -> bytes:
        return bytes(self.mem[addr - self.base:addr - self.base + length])

    def clip(self, addr: int, length: int) -> tuple[int, int] | None:
        """[first, end) of the bytes [addr, addr + length) that lie in the arena (None: none)."""
        first, end = max(addr, self.base), min(addr + length, self.base + self.size)
        return (first, end) if first < end else None

    def read_clipped(self, addr: int, length: int) -> bytes:
        """The bytes [addr, addr + length), zero outside the arena (the DMA must never fetch
        those: its window lies inside the arena)."""
        inside = self.clip(addr, length)
        if inside is None:
            return bytes(length)
        first, end = inside
        return bytes(first - addr) + self.read(first, end - first) + bytes(addr + length - end)

    def write(self, addr: int, data: bytes) -> None:
        self.mem[addr - self.base:addr - self.base + len(data)] = data

    def inject(self, first: int, length: int, resp: AxiResp) -> None:
        self.errors.append((first, first + length, int(resp)))

    def resp_for(self, addr: int, length: int) -> int:
        for first, end, resp in self.errors:
            if addr < end and first < addr + length:
                return resp
        return int(AxiResp.OKAY)

    def accept(self, kind: str, ax, prefix: str, lanes: int) -> tuple[int, int, "Burst"]:
        """Checks an AR/AW request (full-width INCR bursts only) and logs it: its address,
        beats and the logged burst."""
        addr, beats = int(getattr(ax, f"{prefix}addr")), int(getattr(ax, f"{prefix}len")) + 1
        assert int(getattr(ax, f"{prefix}size")) == (lanes - 1).bit_length(), "narrow burst"
        assert int(getattr(ax, f"{prefix}burst")) == 1, "not INCR"
        burst = Burst(kind, addr, beats, get_sim_time("ns"))
        self.log.bursts.append(burst)
        return addr, beats, burst


class _Timing:
    def __init__(self, rng: random.Random, latency_prob: float, max_latency: int):
        self.rng, self.latency_prob, self.max_latency = rng, latency_prob, max_latency

    async def latency(self, clock):
        if self.max_latency and self.rng.random() < self.latency_prob:
            await ClockCycles(clock, self.rng.randint(1, self.max_latency))


class ArenaRead(AxiSlaveRead):
    def __init__(self, bus, clock, reset, arena: ArenaMemory, timing: _Timing):
        self.arena, self.timing = arena, timing
        super().__init__(bus, clock, reset)
        self.ar_channel.queue_occupancy_limit = 16  # let the DMA reach its outstanding limit
        self.max_outstanding = 0  # most read bursts seen in flight (this one + those queued)

    async def _process_read(self):
        lanes = self.byte_lanes
        while True:
            ar = await self.ar_channel.recv()
            addr, beats, burst = self.arena.accept("read", ar, "ar", lanes)
            await self.timing.latency(self.clock)
            aligned = addr - addr % lanes
            for n in range(beats):
                word = aligned + n * lanes
                r = self.r_channel._transaction_obj()
                r.rid = int(ar.arid)
                r.rlast = n == beats - 1
                if not self.arena.contains(word, lanes):
                    self.arena.log.stray.append(("read", word, lanes))
                    r.rresp, data = int(AxiResp.DECERR), bytes(lanes)
                else:
                    r.rresp = self.arena.resp_for(word, lanes)
                    data = self.arena.read(word, lanes)
                if r.rresp:
                    self.arena.log.error_beats.append(("read", addr, n, r.rresp))
                    data = bytes(lanes)
                burst.resp = max(burst.resp, r.rresp)
                r.rdata = int.from_bytes(data, "little")
                await self.r_channel.send(r)
                self.max_outstanding = max(self.max_outstanding, 1 + self.ar_channel.count())


class ArenaWrite(AxiSlaveWrite):
    def __init__(self, bus, clock, reset, arena: ArenaMemory, timing: _Timing):
        self.arena, self.timing = arena, timing
        super().__init__(bus, clock, reset)
        self.aw_channel.queue_occupancy_limit = 16

    async def _process_write(self):
        lanes = self.byte_lanes
        while True:
            aw = await self.aw_channel.recv()
            addr, beats, burst = self.arena.accept("write", aw, "aw", lanes)
            aligned = addr - addr % lanes
            resp = int(AxiResp.OKAY)
            for n in range(beats):
                w = await self.w_channel.recv()
                assert int(w.wlast) == (n == beats - 1), "WLAST misplaced"
                strb, data = int(w.wstrb), int(w.wdata).to_bytes(lanes, "little")
                word = aligned + n * lanes
                if n == 0:
                    # A strobe below the burst's address in its first beat is a protocol error.
                    assert strb & ((1 << (addr % lanes)) - 1) == 0, "strobe below AWADDR"
                runs, start = [], None
                for i in range(lanes + 1):
                    on = i < lanes and strb >> i & 1
                    if on and start is None:
                        start = i
                    elif not on and start is not None:
                        runs.append((start, i))
                        start = None
                beat_resp = int(AxiResp.OKAY)
                for first, end in runs:
                    if not self.arena.contains(word + first, end - first):
                        self.arena.log.stray.append(("write", word + first, end - first))
                        beat_resp = int(AxiResp.DECERR)
                    else:
                        beat_resp = max(beat_resp, self.arena.resp_for(word + first, end - first))
                if beat_resp:
                    self.arena.log.error_beats.append(("write", addr, n, beat_resp))
                else:
                    now = get_sim_time("ns")
                    for first, end in runs:
                        self.arena.write(word + first, data[first:end])
                        self.arena.log.writes.append(WriteOp(word + first, data[first:end], now))
                resp = max(resp, beat_resp)
            burst.resp = resp
            await self.timing.latency(self.clock)
            b = self.b_channel._transaction_obj()
            b.bid = int(aw.awid)
            b.bresp = resp
            await self.b_channel.send(b)


class ArenaRam:
    """Read and write slaves on one AXI4 bus, sharing one arena."""

    def __init__(self, bus, clock, reset, arena: ArenaMemory, rng: random.Random, *,
                 latency_prob: float = 0.0, max_latency: int = 0):
        timing = _Timing(rng, latency_prob, max_latency)
        self.arena = arena
        self.read_if = ArenaRead(bus.read, clock, reset, arena, timing)
        self.write_if = ArenaWrite(bus.write, clock, reset, arena, timing)

    @property
    def channels(self):
        return [self.write_if.aw_channel, self.write_if.w_channel, self.write_if.b_channel,
                self.read_if.ar_channel, self.read_if.r_channel]

    def set_pause_generators(self, make_generator) -> None:
        """One generator per channel (AW, W, B, AR, R), from `make_generator()`."""
        for channel in self.channels:
            channel.set_pause_generator(make_generator())
