"""pyuvm environment of tessel_dma: sequences, drivers, monitors, scoreboard, coverage.

The scoreboard's reference is memory semantics, computed from each command: a read must
deliver exactly the bytes of its rows, in order, packed; a write must change exactly the bytes
of its rows to the stream's bytes and nothing else. The AXI side is the ArenaRam slave
(axi_mem.py), whose arena is the memory the scoreboard inspects.
"""

from collections import deque

import cocotb
from cocotb_coverage.coverage import CoverCross, CoverPoint, coverage_db
from pyuvm import (ConfigDB, uvm_analysis_port, uvm_component, uvm_driver, uvm_env, uvm_monitor,
                   uvm_sequence, uvm_sequencer, uvm_subscriber)

from dma_items import PAGE, READ, WRITE, DmaCmdItem, random_cmd
from tessel.coverage import functional

ERROR_NAMES = {0: "none", 1: "cmd_rd", 2: "cmd_wr", 3: "window_rd", 4: "window_wr",
               5: "slverr_rd", 6: "slverr_wr", 7: "decerr_rd", 8: "decerr_wr"}


def _imp(name, parent, fn):
    return uvm_subscriber.uvm_AnalysisImp(name, parent, fn)


# ---------------------------------------------------------------------- sequences
class RandomCmdSeq(uvm_sequence):
    """`count` random commands of one direction inside `region`."""

    def __init__(self, name, direction=READ, count=1, region=None, beat_bytes=16, rng=None):
        super().__init__(name)
        self.direction, self.count, self.region = direction, count, region
        self.beat_bytes, self.rng = beat_bytes, rng

    async def body(self):
        for _ in range(self.count):
            item = random_cmd(self.rng, self.direction, self.region, self.beat_bytes)
            await self.start_item(item)
            await self.finish_item(item)


class ListCmdSeq(uvm_sequence):
    """Given commands, in order (directed cases)."""

    def __init__(self, name, items=()):
        super().__init__(name)
        self.items = list(items)

    async def body(self):
        for item in self.items:
            await self.start_item(item)
            await self.finish_item(item)


# ---------------------------------------------------------------------- driver, monitors
class DmaCmdDriver(uvm_driver):
    """Hands each command (and a write's stream beats) to the BFM; done when accepted."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.bfm.send_cmd(item)
            self.seq_item_port.item_done()


class DmaMonitor(uvm_monitor):
    """Publishes what the BFM observed: accepted commands, whole read transfers (the beats up
    to rd_last), done pulses and errors, each on its own analysis port."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.cmd_ap = uvm_analysis_port("cmd_ap", self)
        self.read_ap = uvm_analysis_port("read_ap", self)
        self.done_ap = uvm_analysis_port("done_ap", self)
        self.error_ap = uvm_analysis_port("error_ap", self)
        self.partial_read = []  # beats of a read transfer not finished yet

    async def _forward(self, queue, ap):
        while True:
            ap.write(await queue.get())

    async def _reads(self):
        while True:
            beat = await self.bfm.read_beats.get()
            self.partial_read.append(beat)
            if beat.last:
                transfer, self.partial_read = self.partial_read, []
                self.read_ap.write(transfer)

    async def run_phase(self):
        cocotb.start_soon(self._forward(self.bfm.accepted_cmds, self.cmd_ap))
        cocotb.start_soon(self._forward(self.bfm.dones, self.done_ap))
        cocotb.start_soon(self._forward(self.bfm.errors, self.error_ap))
        await self._reads()


# ---------------------------------------------------------------------- scoreboard
class DmaScoreboard(uvm_component):
    def build_phase(self):
        self.arena = ConfigDB().get(self, "", "ARENA")
        self.beat_bytes = ConfigDB().get(self, "", "BEAT_BYTES")
        self.cmd_export = _imp("cmd_export", self, self.on_cmd)
        self.read_export = _imp("read_export", self, self.on_read)
        self.done_export = _imp("done_export", self, self.on_done)
        self.error_export = _imp("error_export", self, self.on_error)
        self.model = bytearray(self.arena.mem)
        self.pending_reads = deque()    # (item, expected bytes), acceptance order
        self.reads_delivered = 0        # transfers that ended with rd_last, all checked
        self.reads_done = 0
        self.inflight_writes = deque()  # (item, old bytes of its rows' parts), acceptance order
        self.batch_writes = []          # rows of every write accepted since the last idle check
        self.writes_checked_upto = 0    # index into the arena's write log
        self.bursts_checked_upto = 0
        self.expected_bursts = {"read": [], "write": []}  # by the split rule, acceptance order
        self.window = (0, 0)
        self.errors = []                # ErrorReport, as they came
        self.stats = {"reads": 0, "writes": 0, "bytes_read": 0, "bytes_written": 0}

    def set_window(self, base, limit):
        self.window = (base, limit)

    def _fail(self, message):
        self.logger.error(message)
        raise AssertionError(message)

    # -- commands
    def on_cmd(self, item: DmaCmdItem):
        arena = self.arena
        if item.malformed():
            return
        self.expected_bursts[item.direction].extend(item.bursts(self.beat_bytes))
        # Rows may reach past the arena (window tests): only their bytes inside it are modelled.
        if item.direction == READ:
            expected = b"".join(arena.read_clipped(a, n) for a, n in item.rows_addresses())
            self.pending_reads.append((item, expected))
        else:
            old = []  # (first byte, its offset in the command's data, old bytes) per row part
            offset = 0
            for a, n in item.rows_addresses():
                inside = arena.clip(a, n)
                if inside is not None:
                    first, end = inside
                    lo, hi = first - arena.base, end - arena.base
                    data_at = offset + first - a
                    old.append((first, data_at, bytes(self.model[lo:hi])))
                    self.model[lo:hi] = item.data[data_at:data_at + end - first]
                    self.batch_writes.append((first, end))
                offset += n
            self.inflight_writes.append((item, old))

    # -- read transfers
    def on_read(self, beats):
        if not self.pending_reads:
            self._fail(f"read transfer of {len(beats)} beats with no read command outstanding")
        item, expected = self.pending_reads.popleft()
        bb = self.beat_bytes
        nbeats = -(-item.total // bb)
        if len(beats) != nbeats:
            self._fail(f"{item}: {len(beats)} beats, expected {nbeats}")
        for i, beat in enumerate(beats[:-1]):
            if beat.nbytes != bb:
                self._fail(f"{item}: beat {i} rd_bytes={beat.nbytes}, expected {bb}")
        last_bytes = item.total - (nbeats - 1) * bb
        if beats[-1].nbytes != last_bytes:
            self._fail(f"{item}: last beat rd_bytes={beats[-1].nbytes}, expected {last_bytes}")
        got = b"".join(b.data for b in beats)[:item.total]
        if got != expected:
            first = next(i for i in range(item.total) if got[i] != expected[i])
            self._fail(f"{item}: byte {first} of the transfer is {got[first]:#04x}, expected "
                       f"{expected[first]:#04x} ({sum(g != e for g, e in zip(got, expected))} "
                       f"bytes differ)")
        self.reads_delivered += 1
        self.stats["reads"] += 1
        self.stats["bytes_read"] += item.total

    # -- done pulses
    def on_done(self, event):
        direction, _ = event
        if direction == READ:
            self.reads_done += 1
            if self.reads_done > self.reads_delivered:
                self._fail("rd_done before the transfer's last beat was delivered")
            return
        if not self.inflight_writes:
            self._fail("wr_done with no write command outstanding")
        item, _ = self.inflight_writes.popleft()
        self._check_write(item)
        self.stats["writes"] += 1
        self.stats["bytes_written"] += item.total

    def _check_write(self, item):
        """At done, the command's bytes hold its data, except bytes a later command still in
        flight also writes (the model already holds the later value there)."""
        later = [(a, a + n) for other, _ in self.inflight_writes for a, n in other.rows_addresses()]
        base = self.arena.base
        for a, n in item.rows_addresses():
            got = self.arena.mem[a - base:a - base + n]
            want = self.model[a - base:a - base + n]
            if got == want:
                continue
            for i in range(n):
                if got[i] != want[i] and not any(lo <= a + i < hi for lo, hi in later):
                    self._fail(f"{item}: byte at {a + i:#x} is {got[i]:#04x} after wr_done, "
                               f"expected {want[i]:#04x}")

    def on_error(self, report):
        self.errors.append(report)
        self.logger.info(f"DMA error {ERROR_NAMES.get(report.code, report.code)} at "
                         f"{report.addr:#x} (cycle {report.cycle})")

    # -- checks at quiet points (the test calls these with the DMA idle)
    def check_idle(self):
        """Nothing outstanding; memory equals the model everywhere (so every byte around each
        transfer is untouched); every write the slave saw fell inside a command's rows; every
        burst stayed inside the window; nothing reached outside the arena."""
        if self.pending_reads:
            self._fail(f"{len(self.pending_reads)} read commands never delivered their data "
                       f"(first: {self.pending_reads[0][0]})")
        if self.inflight_writes:
            self._fail(f"{len(self.inflight_writes)} write commands never reported done "
                       f"(first: {self.inflight_writes[0][0]})")
        if self.reads_done != self.reads_delivered:
            self._fail(f"{self.reads_delivered} read transfers but {self.reads_done} rd_done")
        self._check_memory()
        self._check_logs()

    def _check_bursts(self, complete):
        """The bursts on AXI are the commands' bursts by the split rule, in order (after a stop,
        a prefix of them)."""
        bb = self.beat_bytes
        new = self.arena.log.bursts[self.bursts_checked_upto:]
        for kind in ("read", "write"):
            got = [(b.addr, b.beats) for b in new if b.kind == kind]
            want = [(a, (a % bb + n + bb - 1) // bb) for a, n in self.expected_bursts[kind]]
            if complete and len(got) != len(want) or got != want[:len(got)]:
                i = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w),
                         min(len(got), len(want)))
                self._fail(f"{kind} burst {i}: {got[i] if i < len(got) else 'none'} (address, "
                           f"beats), expected {want[i] if i < len(want) else 'none'}")
            self.expected_bursts[kind] = []

    def _check_memory(self):
        mem, model = self.arena.mem, self.model
        if mem != model:
            diff = [i for i in range(len(mem)) if mem[i] != model[i]]
            self._fail(f"{len(diff)} bytes differ from the model, first at "
                       f"{self.arena.base + diff[0]:#x}: {mem[diff[0]]:#04x}, expected "
                       f"{model[diff[0]]:#04x}")

    def _check_logs(self, complete=True):
        self._check_bursts(complete)
        log, bb = self.arena.log, self.beat_bytes
        if log.stray:
            self._fail(f"access outside the memory arena: {log.stray[:4]}")
        rows = sorted(self.batch_writes)
        for op in log.writes[self.writes_checked_upto:]:
            end = op.addr + len(op.data)
            if not _covered(rows, op.addr, end):
                self._fail(f"write of {len(op.data)} bytes at {op.addr:#x} outside every "
                           f"command's rows")
        self.writes_checked_upto = len(log.writes)
        self.batch_writes = []
        base, limit = self.window
        for burst in log.bursts[self.bursts_checked_upto:]:
            last_beat = burst.addr - burst.addr % bb + (burst.beats - 1) * bb
            if burst.addr < base or last_beat >= limit:
                self._fail(f"{burst.kind} burst at {burst.addr:#x} ({burst.beats} beats) leaves "
                           f"the window [{base:#x}, {limit:#x})")
            if burst.addr // PAGE != (last_beat + bb - 1) // PAGE:
                self._fail(f"{burst.kind} burst at {burst.addr:#x} crosses 4 KB")
        self.bursts_checked_upto = len(log.bursts)

    def settle_after_stop(self, partial_read):
        """After an error or a soft reset: the commands in flight end without completing.
        A read delivered a prefix of its bytes; a write changed some of its bytes (each byte
        old or new). Anything else in memory must be unchanged. Adopt what memory holds."""
        if self.pending_reads and partial_read:
            item, expected = self.pending_reads[0]
            got = b"".join(b.data for b in partial_read)
            if any(b.nbytes != self.beat_bytes or b.last for b in partial_read):
                self._fail(f"{item}: partial transfer has a short or last beat")
            if got != expected[:len(got)]:
                self._fail(f"{item}: bytes delivered before the stop are not its first bytes")
        self.pending_reads.clear()
        base = self.arena.base
        for item, old in self.inflight_writes:
            for a, data_at, before in old:
                n = len(before)
                got = self.arena.mem[a - base:a - base + n]
                new = item.data[data_at:data_at + n]
                for i in range(n):
                    if got[i] != before[i] and got[i] != new[i]:
                        self._fail(f"{item}: byte at {a + i:#x} is {got[i]:#04x}: neither old "
                                   f"{before[i]:#04x} nor new {new[i]:#04x}")
                self.model[a - base:a - base + n] = got
        self.inflight_writes.clear()
        self.reads_done = self.reads_delivered
        self._check_memory()
        self._check_logs(complete=False)


def _covered(rows, lo, hi) -> bool:
    """[lo, hi) lies inside the union of the sorted intervals `rows`."""
    for a, b in rows:
        if a > lo:
            break
        if b > lo:
            lo = b
            if lo >= hi:
                return True
    return lo >= hi


# ---------------------------------------------------------------------- coverage
SIZE_BINS = ["1", "2-16", "17-256", "257-4096", "4097-65536", ">65536"]


def size_bin(total):
    if total == 1:
        return "1"
    for label, limit in (("2-16", 16), ("17-256", 256), ("257-4096", 4096), ("4097-65536", 65536)):
        if total <= limit:
            return label
    return ">65536"


class DmaCoverage(uvm_component):
    """Functional coverage of the commands the DMA accepted and of the errors it reported."""

    def build_phase(self):
        self.beat_bytes = ConfigDB().get(self, "", "BEAT_BYTES")
        self.cmd_export = _imp("cmd_export", self, self.on_cmd)
        self.error_export = _imp("error_export", self, self.on_error)
        bb = self.beat_bytes
        max_burst = min(PAGE, 256 * bb)

        def full_burst(item):
            # Some row holds a whole maximum burst (256 beats, or a 4 KB page when that is less).
            return any((a + max_burst - 1) // max_burst * max_burst + max_burst <= a + n
                       for a, n in item.rows_addresses())

        @CoverPoint("dma.cmd.direction", xf=lambda i: i.direction, bins=[READ, WRITE])
        @CoverPoint("dma.cmd.size", xf=lambda i: size_bin(i.total), bins=SIZE_BINS)
        @CoverPoint("dma.cmd.start", xf=lambda i: "aligned" if i.addr % bb == 0 else "unaligned",
                    bins=["aligned", "unaligned"])
        @CoverPoint("dma.cmd.end", bins=["aligned", "unaligned"],
                    xf=lambda i: "aligned" if (i.addr + i.row_bytes) % bb == 0 else "unaligned")
        @CoverPoint("dma.cmd.cross_4k", xf=lambda i: i.crosses_4k(), bins=[True, False])
        @CoverPoint("dma.cmd.dims", xf=lambda i: i.dims, bins=[1, 2, 3])
        @CoverPoint("dma.cmd.full_burst", xf=full_burst, bins=[True, False])
        @CoverCross("dma.cross.direction_size", items=["dma.cmd.direction", "dma.cmd.size"],
                    ign_bins=[(None, ">65536")])
        @CoverCross("dma.cross.direction_dims", items=["dma.cmd.direction", "dma.cmd.dims"])
        @CoverCross("dma.cross.direction_cross_4k",
                    items=["dma.cmd.direction", "dma.cmd.cross_4k"])
        @CoverCross("dma.cross.direction_start_end",
                    items=["dma.cmd.direction", "dma.cmd.start", "dma.cmd.end"])
        def sample(item):
            pass

        @CoverPoint("dma.error.kind", xf=lambda code: ERROR_NAMES.get(code, "unknown"),
                    bins=[ERROR_NAMES[c] for c in range(1, 9)])
        def sample_error(code):
            pass

        self._sample, self._sample_error = sample, sample_error

    def on_cmd(self, item):
        if not item.malformed():
            self._sample(item)

    def report_phase(self):
        coverage_db.export_to_yaml("coverage_dma.yml")  # in the simulation's build folder
        functional.export("dma", ("dma.",))  # testplan bins for make coverage

    def on_error(self, report):
        self._sample_error(report.code)

    @staticmethod
    def missing(prefix):
        """Bins of every cover item under `prefix` with no hit."""
        holes = []
        for name, item in coverage_db.items():
            if name.startswith(prefix) and hasattr(item, "detailed_coverage"):
                holes += [f"{name}:{b}" for b, hits in item.detailed_coverage.items() if hits == 0]
        return holes


# ---------------------------------------------------------------------- environment
class DmaEnv(uvm_env):
    """Sequencer + driver per direction, one monitor, the scoreboard and the coverage."""

    def build_phase(self):
        self.rd_seqr = uvm_sequencer("rd_seqr", self)
        self.wr_seqr = uvm_sequencer("wr_seqr", self)
        self.rd_driver = DmaCmdDriver.create("rd_driver", self)
        self.wr_driver = DmaCmdDriver.create("wr_driver", self)
        self.monitor = DmaMonitor.create("monitor", self)
        self.scoreboard = DmaScoreboard.create("scoreboard", self)
        self.coverage = DmaCoverage.create("coverage", self)

    def connect_phase(self):
        self.rd_driver.seq_item_port.connect(self.rd_seqr.seq_item_export)
        self.wr_driver.seq_item_port.connect(self.wr_seqr.seq_item_export)
        m, sb, cov = self.monitor, self.scoreboard, self.coverage
        m.cmd_ap.connect(sb.cmd_export)
        m.cmd_ap.connect(cov.cmd_export)
        m.read_ap.connect(sb.read_export)
        m.done_ap.connect(sb.done_export)
        m.error_ap.connect(sb.error_export)
        m.error_ap.connect(cov.error_export)

    def seqr(self, direction):
        return self.rd_seqr if direction == READ else self.wr_seqr
