"""pyuvm tests of tessel_dma (read + write engines on one AXI4 master), see tb/dma/testplan.md.

Every test builds the same environment (dma_env.DmaEnv) on an ArenaRam with random pauses on
all five AXI channels and random latency; variants differ in their scenario and in ConfigDB
knobs. Seeds: cocotb.RANDOM_SEED (printed by the runner, TESSEL_SEED reproduces it).
Knobs (environment): TESSEL_DMA_DESCRIPTORS (random commands per run, default 600),
TESSEL_DMA_LONG=1 adds the maximum-count commands (16 MB rows, 65535 rows / planes).
"""

import logging
import os
import random
import zlib
from itertools import islice

import cocotb
import numpy
import pyuvm
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiBus, AxiResp
from pyuvm import ConfigDB, uvm_test

from tessel.sim import config_from_env

from axi_mem import ArenaMemory, ArenaRam
from dma_bfm import DmaBfm
from dma_env import ERROR_NAMES, DmaCoverage, DmaEnv, ListCmdSeq, RandomCmdSeq
from dma_items import PAGE, READ, WRITE, DmaCmdItem, Region, random_cmd

ERR = {name: code for code, name in ERROR_NAMES.items()}
TOP_OF_SPACE = 1 << 40


def pauses(rng, prob):
    """Pause generator for one AXI channel: random stalls in bursts of 1..8 cycles."""
    while True:
        if prob and rng.random() < prob / 4:
            for _ in range(rng.randint(1, 8)):
                yield True
        else:
            yield False


class DmaBaseTest(uvm_test):
    """Environment, memory arena, AXI slave and reset; subclasses write `scenario`."""

    ARENA_SIZE = 1 << 20
    LATENCY = (0.3, 24)  # probability of extra latency per burst, at most this many cycles

    def build_phase(self):
        self.dut = cocotb.top
        logging.getLogger("cocotb.tessel_dma_flat.m_axi").setLevel(logging.WARNING)
        self.seed = cocotb.RANDOM_SEED ^ zlib.crc32(type(self).__name__.encode())
        self.rng = random.Random(self.seed)
        # cocotb-coverage draws weighted solutions (DmaShape's soft constraints) from numpy's
        # global generator, which cocotb does not seed: without this a seed does not reproduce
        # the commands.
        numpy.random.seed(self.seed % 2**32)
        self.bfm = DmaBfm(self.dut, self.rng)
        self.bb = self.bfm.beat_bytes
        base = self.arena_base()
        self.arena = ArenaMemory(base, self.ARENA_SIZE, self.rng)
        half = self.ARENA_SIZE // 2
        self.regions = {READ: Region(base, half), WRITE: Region(base + half, half)}
        ConfigDB().set(None, "*", "BFM", self.bfm)
        ConfigDB().set(None, "*", "ARENA", self.arena)
        ConfigDB().set(None, "*", "BEAT_BYTES", self.bb)
        self.env = DmaEnv("env", self)
        self.ram = ArenaRam(AxiBus.from_prefix(self.dut, "m_axi"), self.dut.clk_i, self.dut.rst_i,
                            self.arena, self.rng, latency_prob=self.LATENCY[0],
                            max_latency=self.LATENCY[1])

    def arena_base(self):
        """A random page-aligned place in the 40-bit space."""
        return PAGE * self.rng.randrange(1, (TOP_OF_SPACE - 2 * self.ARENA_SIZE) // PAGE)

    def set_window(self, base, limit):
        self.bfm.set_window(base, limit)
        self.env.scoreboard.set_window(base, limit)

    def randomize_traffic(self):
        """New backpressure on every channel and stream (sometimes none at all)."""
        rng = self.rng
        calm = rng.random() < 0.2
        self.ram.set_pause_generators(lambda: pauses(rng, 0 if calm else rng.uniform(0, 0.6)))
        self.bfm.rd_ready_prob = 1.0 if calm else rng.uniform(0.3, 1.0)
        self.bfm.wr_valid_prob = 1.0 if calm else rng.uniform(0.3, 1.0)

    async def run_phase(self):
        self.raise_objection()
        self.logger.info(f"{type(self).__name__}: seed {self.seed} (cocotb seed "
                         f"{cocotb.RANDOM_SEED}), {self.bfm.data_width}-bit, arena at "
                         f"{self.arena.base:#x}")
        await self.bfm.reset()
        self.set_window(self.arena.base, self.arena.base + self.ARENA_SIZE)
        await self.scenario()
        self.drop_objection()

    async def scenario(self):
        raise NotImplementedError

    # -- helpers for scenarios
    async def run_batch(self, reads=(), writes=()):
        """Run the given commands (both directions concurrently), wait until the DMA is idle,
        then check everything."""
        env = self.env
        tasks = [cocotb.start_soon(ListCmdSeq("rd", reads).start(env.rd_seqr)),
                 cocotb.start_soon(ListCmdSeq("wr", writes).start(env.wr_seqr))]
        for task in tasks:
            await task
        items = (*reads, *writes)
        work = sum(i.total // self.bb + i.rows * i.planes for i in items)  # ~ beats + bursts
        await self.bfm.wait_idle(200_000 + 40 * work)  # generous even under heavy backpressure
        env.scoreboard.check_idle()

    def cmd(self, direction, offset, row_bytes, rows=1, row_stride=0, planes=1, plane_stride=0):
        """A command at `offset` inside the direction's region (writes get random data)."""
        item = DmaCmdItem(f"{direction}_cmd", direction, self.regions[direction].base + offset,
                          row_bytes, rows, row_stride, planes, plane_stride)
        if direction == WRITE:
            item.data = self.rng.randbytes(item.total)
        return item

    async def expect_error(self, code, addr, *, within=200_000):
        """The DMA reports exactly this error, drains (busy low) and then stays silent."""
        bfm = self.bfm
        for _ in range(within):
            if bfm.err_seen:
                break
            await RisingEdge(self.dut.clk_i)
        assert bfm.err_seen, f"no error reported (expected {ERROR_NAMES[code]} at {addr:#x})"
        report = bfm.last_error
        # The consumer stops taking data: the DMA must drain its AXI reads regardless.
        rd_ready_prob, bfm.rd_ready_prob = bfm.rd_ready_prob, 0.0
        assert (report.code, report.addr) == (code, addr), (
            f"error {ERROR_NAMES.get(report.code, report.code)} at {report.addr:#x}, expected "
            f"{ERROR_NAMES[code]} at {addr:#x}")
        for _ in range(within):
            await RisingEdge(self.dut.clk_i)
            if not self.dut.busy_o.value:
                break
        assert not self.dut.busy_o.value, "DMA did not drain after the error (hang)"
        bfm.rd_ready_prob = rd_ready_prob
        assert self.dut.err_valid_o.value, "error not held until soft reset"
        assert not self.dut.rd_cmd_ready_o.value and not self.dut.wr_cmd_ready_o.value, \
            "a stopped DMA accepts commands"
        self.check_nothing_new_after(report.cycle)
        return report

    def check_nothing_new_after(self, stop_cycle):
        """No AW or AR, and no W beat with a strobe, presented after the stop cycle."""
        for channel, presented, done, strobe in self.bfm.handshakes:
            if presented > stop_cycle and (channel != "w" or strobe):
                raise AssertionError(f"{channel} handshake at cycle {done} presented at cycle "
                                     f"{presented}, after the stop at cycle {stop_cycle}"
                                     + (f" with WSTRB {strobe:#x}" if strobe else ""))

    async def soft_reset(self, tasks=()):
        """Pulse clear_i, wait until the DMA has drained, let the sequences in `tasks` run
        out (their remaining commands are dropped), and settle the scoreboard."""
        bfm = self.bfm
        bfm.soft_reset()
        await RisingEdge(self.dut.clk_i)
        await RisingEdge(self.dut.clk_i)
        await bfm.wait_idle()
        assert not self.dut.err_valid_o.value, "error still reported after soft reset"
        assert self.dut.rd_cmd_ready_o.value and self.dut.wr_cmd_ready_o.value, \
            "not accepting commands after the soft reset drained"
        self.check_nothing_new_after(bfm.clear_cycles[-1] + 1)
        bfm.handshakes.clear()
        for task in tasks:
            await task
        self.env.scoreboard.settle_after_stop(self.env.monitor.partial_read)
        self.env.monitor.partial_read = []
        bfm.resume()

    async def clean_transfers(self, count=6):
        """A few random commands in both directions that must complete exactly."""
        reads = [self.random_cmd(READ) for _ in range(count)]
        writes = [self.random_cmd(WRITE) for _ in range(count)]
        await self.run_batch(reads, writes)

    def random_cmd(self, direction):
        return random_cmd(self.rng, direction, self.regions[direction], self.bb)

    def disjoint_writes(self, count):
        """Random writes whose bytes do not overlap, so that after a stop every byte of each
        is either its old or its new value."""
        writes, used = [], []
        while len(writes) < count:
            item = self.random_cmd(WRITE)
            lo, hi = item.extent
            if all(hi <= a or b <= lo for a, b in used):
                writes.append(item)
                used.append((lo, hi))
        return writes


@pyuvm.test()
class DmaRandomTest(DmaBaseTest):
    """Constrained-random commands in both directions at once, in batches, under random
    backpressure; the scoreboard checks every byte and memory is compared whole after each
    batch. Fails if a coverage bin of the command space stays empty."""

    async def scenario(self):
        total = int(os.environ.get("TESSEL_DMA_DESCRIPTORS", "600"))
        left = {READ: total // 2, WRITE: total - total // 2}
        env = self.env
        while any(left.values()):
            self.randomize_traffic()
            tasks = []
            for direction in (READ, WRITE):
                n = min(left[direction], self.rng.randint(1, 16))
                left[direction] -= n
                seq = RandomCmdSeq(f"{direction}_seq", direction, n, self.regions[direction],
                                   self.bb, self.rng)
                tasks.append(cocotb.start_soon(seq.start(env.seqr(direction))))
            for task in tasks:
                await task
            await self.bfm.wait_idle()
            env.scoreboard.check_idle()
        stats = env.scoreboard.stats
        assert stats["reads"] + stats["writes"] == total, stats
        # Reads in flight reach the configured limit and never pass it.
        limit = config_from_env().axi.max_outstanding
        seen = self.ram.read_if.max_outstanding
        assert seen == limit, f"at most {seen} read bursts in flight, configured {limit}"
        self.logger.info(f"{stats}, {seen} read bursts in flight at most")
        holes = [h for h in DmaCoverage.missing("dma.cmd") + DmaCoverage.missing("dma.cross")
                 if ">65536" not in h]
        assert not holes, f"coverage holes after {total} random commands: {holes}"


@pyuvm.test()
class DmaBoundaryTest(DmaBaseTest):
    """Directed corner cases at the top of the 40-bit address space: every byte lane, page
    edges, maximum bursts, long rows, every stride dimension (overlapping and zero strides
    for reads), under random backpressure."""

    LONG = False  # add the maximum-count commands (DmaLongTest)

    def arena_base(self):
        # The window limit is a 40-bit value, so the last page stays outside the arena.
        return TOP_OF_SPACE - self.ARENA_SIZE - PAGE

    async def scenario(self):
        bb = self.bb
        max_burst = min(PAGE, 256 * bb)
        cases = []
        for d in (READ, WRITE):
            c = lambda *a, d=d, **k: self.cmd(d, *a, **k)  # noqa: E731
            cases.append([c(3 * PAGE + off, 1) for off in range(bb)] + [c(4 * PAGE - 1, 1)])
            cases.append([c(PAGE * 20, bb), c(PAGE * 20 + 2 * bb - 1, bb + 1),
                          c(PAGE * 20 + 8 * bb + 1, bb - 1), c(PAGE * 20 + 16 * bb + 1, 2 * bb)])
            cases.append([c(5 * PAGE - 100, 100), c(6 * PAGE, 100), c(7 * PAGE - 1, 2),
                          c(9 * PAGE - 5, 2 * PAGE + 10)])
            cases.append([c(24 * PAGE, max_burst), c(26 * PAGE - 1, max_burst + 1),
                          c(28 * PAGE + 5, 256 * bb), c(32 * PAGE + 3, 3 * max_burst - 7)])
            cases.append([c(40 * PAGE + 3, 65536)])
            cases.append([c(64 * PAGE + 1, 37, rows=5, row_stride=100),
                          c(66 * PAGE, 1, rows=33, row_stride=1),
                          c(67 * PAGE + 2, bb - 1, rows=9, row_stride=bb),
                          c(68 * PAGE + 7, bb + 1, rows=6, row_stride=2 * bb + 3),
                          c(70 * PAGE - 50, 33, rows=4, row_stride=PAGE)])  # rows across pages
            cases.append([c(72 * PAGE + 5, 19, rows=4, row_stride=64, planes=3, plane_stride=1000),
                          c(76 * PAGE + 1, 1, rows=3, row_stride=1, planes=5, plane_stride=7),
                          c(78 * PAGE + 9, 100, rows=1, row_stride=12345, planes=1,
                            plane_stride=999)])
        # Reads may revisit bytes: repeated rows, repeated planes, interleaved planes.
        r = lambda *a, **k: self.cmd(READ, *a, **k)  # noqa: E731
        cases.append([r(80 * PAGE + 3, 41, rows=5, row_stride=0),
                      r(81 * PAGE, 10, rows=3, row_stride=4, planes=4, plane_stride=0),
                      r(82 * PAGE + 1, 24, rows=4, row_stride=64, planes=3, plane_stride=8)])
        if self.LONG:
            cases += self.maximum_count_cases()
        for batch in cases:
            self.randomize_traffic()
            await self.run_batch([i for i in batch if i.direction == READ],
                                 [i for i in batch if i.direction == WRITE])
        self.logger.info(f"{self.env.scoreboard.stats}")

    def maximum_count_cases(self):
        return [[self.cmd(READ, 0, (1 << 24) - 1)], [self.cmd(WRITE, 0, (1 << 24) - 1)],
                [self.cmd(READ, 0, 1, rows=65535, row_stride=3)],
                [self.cmd(WRITE, 0, 1, rows=65535, row_stride=3)],
                [self.cmd(READ, 0, 2, planes=65535, plane_stride=2)]]


class DmaLongTest(DmaBoundaryTest):
    """DmaBoundaryTest plus the maximum counts: 16 MB rows, 65535 rows, 65535 planes
    (TESSEL_DMA_LONG=1; minutes)."""
    ARENA_SIZE = 1 << 26
    LONG = True


if os.environ.get("TESSEL_DMA_LONG") == "1":
    pyuvm.test()(DmaLongTest)


@pyuvm.test()
class DmaWindowTest(DmaBaseTest):
    """Address window: exact fits pass; a command leaving it by one byte at either end, or a
    later row leaving it, stops with a window error at the first burst outside, with every
    earlier burst done and nothing outside ever touched; malformed commands; the reset window
    [0, 0) refuses everything. Each error is followed by a soft reset and clean transfers."""

    async def scenario(self):
        self.bfm.watch_axi = True
        bb, rng = self.bb, self.rng
        for direction in (READ, WRITE):
            code = ERR["window_rd" if direction == READ else "window_wr"]
            region = self.regions[direction]
            # A window with unaligned ends inside the region.
            base = region.base + 8 * PAGE + rng.randrange(1, bb)
            limit = base + 20 * PAGE + rng.randrange(1, 3 * bb)
            window = (base, limit)
            self.set_window(*window)
            off, size = base - region.base, limit - base
            self.randomize_traffic()
            # Exact fits: first byte at the base, last byte just below the limit.
            fits = [self.cmd(direction, off, 1), self.cmd(direction, off + size - 1, 1),
                    self.cmd(direction, off, size)]
            await self.run_batch(*self.split(fits))
            # One byte too low: the first burst is refused.
            await self.violation(self.cmd(direction, off - 1, 50), code, window)
            # One byte too high, in a long row: the burst holding the limit is refused.
            await self.violation(self.cmd(direction, off + 3, size - 2), code, window)
            # A 2-D command whose fourth row leaves the window.
            await self.violation(self.cmd(direction, off + 5, 40, rows=6, row_stride=size // 3 - 7),
                                 code, window)
            # A 3-D command whose second plane lies 4 GB higher: addresses are computed wide
            # (nothing wraps), so that plane is outside the window.
            await self.violation(self.cmd(direction, off + 9, 16, rows=2, row_stride=32, planes=2,
                                          plane_stride=(1 << 32) - 1), code, window)
            # Every field at random widths up to its whole width, leaving the window within
            # a few bursts.
            for _ in range(self.WIDE_COMMANDS):
                await self.violation(self.wide_cmd(direction, window), code, window)
            # Malformed commands (a zero count) are refused when accepted.
            cmd_code = ERR["cmd_rd" if direction == READ else "cmd_wr"]
            for zero in ("row_bytes", "rows", "planes"):
                item = self.cmd(direction, off + 64, 16)
                setattr(item, zero, 0)
                item.data = b""
                await self.violation(item, cmd_code, window, addr=item.addr)
        # The reset value of the window, [0, 0), refuses every command.
        await self.violation(self.cmd(READ, 0, 16), ERR["window_rd"], (0, 0))
        holes = [h for h in DmaCoverage.missing("dma.error.kind") if "window" in h or "cmd" in h]
        assert not holes, f"window/command errors never seen: {holes}"

    WIDE_COMMANDS = 10  # per direction

    def wide_cmd(self, direction, window):
        """A random command whose fields take random widths up to their whole width (rows up to
        16 MB, up to 65535 rows or planes, strides up to 4 GB), starting inside `window` and
        leaving it within 64 bursts. The scoreboard keeps every byte of a command, so a read
        moves at most 16 MB, a write 1 MB, and at most 2^17 rows; a write's rows do not
        overlap."""
        rng, (base, limit) = self.rng, window
        most = 1 << 24 if direction == READ else 1 << 20
        wide = lambda bits: rng.getrandbits(rng.randint(1, bits))  # noqa: E731
        while True:
            fields = dict(row_bytes=max(1, wide(24)), rows=max(1, wide(16)), row_stride=wide(32),
                          planes=max(1, wide(16)), plane_stride=wide(32))
            if (fields["row_bytes"] * fields["rows"] * fields["planes"] > most
                    or fields["rows"] * fields["planes"] > 1 << 17):
                continue
            plane_bytes = (fields["rows"] - 1) * fields["row_stride"] + fields["row_bytes"]
            if direction == WRITE and (  # rows apart: after the stop each byte is old or new
                    fields["rows"] > 1 and fields["row_stride"] < fields["row_bytes"]
                    or fields["planes"] > 1 and fields["plane_stride"] < plane_bytes):
                continue
            item = DmaCmdItem(f"{direction}_cmd", direction, rng.randrange(base, limit), **fields)
            if any(a < base or a + n > limit for a, n in islice(item.bursts(self.bb), 64)):
                if direction == WRITE:
                    item.data = rng.randbytes(item.total)
                return item

    @staticmethod
    def split(items):
        return [i for i in items if i.direction == READ], [i for i in items if i.direction == WRITE]

    async def violation(self, item, code, window, addr=None):
        """Send `item` under `window`: expect `code` at `addr`, by default the first burst
        (by the split rule) that leaves the window; then soft reset and clean transfers under
        the full window."""
        base, limit = window
        if addr is None:
            addr = next(a for a, n in item.bursts(self.bb) if a < base or a + n > limit)
        self.set_window(base, limit)
        await ListCmdSeq("violating", [item]).start(self.env.seqr(item.direction))
        await self.expect_error(code, addr)
        await self.soft_reset()
        self.set_window(self.arena.base, self.arena.base + self.ARENA_SIZE)
        await self.clean_transfers(2)


@pyuvm.test()
class DmaErrorResponseTest(DmaBaseTest):
    """SLVERR and DECERR injected on read data and on write responses, at random places in
    random commands while both engines are busy: the exact code and failing address are
    reported, the job stops (no new AR/AW, W beats owed carry WSTRB 0), nothing outside the
    commands' bytes changes, and after a soft reset transfers are clean again."""

    ROUNDS = 3  # per direction and response

    async def scenario(self):
        self.bfm.watch_axi = True
        rng, bb = self.rng, self.bb
        for _ in range(self.ROUNDS):
            for direction in (READ, WRITE):
                for resp in (AxiResp.SLVERR, AxiResp.DECERR):
                    self.randomize_traffic()
                    other = READ if direction == WRITE else WRITE
                    if direction == WRITE:
                        mine = self.disjoint_writes(rng.randint(1, 3))
                        theirs = [self.random_cmd(READ) for _ in range(rng.randint(0, 3))]
                        # Sometimes nobody takes the read data: reads back up to the AXI R
                        # channel, and the write error must still drain them.
                        if rng.random() < 0.5:
                            self.bfm.rd_ready_prob = 0.0
                    else:
                        mine = [self.random_cmd(READ) for _ in range(rng.randint(1, 3))]
                        theirs = self.disjoint_writes(rng.randint(0, 3))
                    a, n = rng.choice(list(mine[-1].rows_addresses()))
                    self.arena.inject(a + rng.randrange(n), 1, resp)
                    seen = len(self.arena.log.error_beats)
                    tasks = [cocotb.start_soon(ListCmdSeq("mine", mine).start(self.env.seqr(direction))),
                             cocotb.start_soon(ListCmdSeq("theirs", theirs).start(self.env.seqr(other)))]
                    await self.wait_first_error(seen)
                    kind, burst_addr, beat, got_resp = self.arena.log.error_beats[seen]
                    assert got_resp == int(resp)
                    name = (f"{'slverr' if resp == AxiResp.SLVERR else 'decerr'}_"
                            f"{'rd' if kind == 'read' else 'wr'}")
                    if kind == "read":  # the first byte the DMA wanted from the failing beat
                        addr = burst_addr if beat == 0 else burst_addr - burst_addr % bb + beat * bb
                    else:               # the failing burst
                        addr = burst_addr
                    await self.expect_error(ERR[name], addr)
                    self.arena.errors.clear()
                    await self.soft_reset(tasks)
                    self.randomize_traffic()
                    await self.clean_transfers(3)
        holes = [h for h in DmaCoverage.missing("dma.error.kind") if "err_" in h]
        assert not holes, f"response errors never seen: {holes}"

    async def wait_first_error(self, seen, within=50_000):
        for _ in range(within):
            if len(self.arena.log.error_beats) > seen:
                return
            await RisingEdge(self.dut.clk_i)
        raise AssertionError("the injected error was never hit")


@pyuvm.test()
class DmaSoftResetTest(DmaBaseTest):
    """Soft reset at random moments of random traffic in both directions: the DMA drains and
    goes idle without an error, a read delivered a prefix of its bytes, a write changed only
    its own bytes (each old or new), and the next transfers are exact."""

    ROUNDS = 8

    async def scenario(self):
        self.bfm.watch_axi = True
        rng = self.rng
        for _ in range(self.ROUNDS):
            self.randomize_traffic()
            writes = self.disjoint_writes(rng.randint(1, 6))
            reads = [self.random_cmd(READ) for _ in range(rng.randint(1, 6))]
            tasks = [cocotb.start_soon(ListCmdSeq("rd", reads).start(self.env.rd_seqr)),
                     cocotb.start_soon(ListCmdSeq("wr", writes).start(self.env.wr_seqr))]
            await ClockCycles(self.dut.clk_i, rng.randint(1, 400))
            await self.soft_reset(tasks)
            await self.clean_transfers(3)
