"""Bus functional model of tessel_dma's non-AXI ports (the AXI port belongs to the
cocotbext-axi slave in axi_mem.py). It owns every signal access of the testbench.

One coroutine runs per clock: it samples the handshakes of the edge that just passed (values
read right after RisingEdge are the ones the DUT saw at that edge), then drives the next
cycle's values. Drivers put work in its queues; monitors read what it observed from theirs.
"""

import random
from collections import deque
from dataclasses import dataclass

import cocotb
from cocotb.clock import Clock
from cocotb.queue import Queue
from cocotb.triggers import ClockCycles, Event, RisingEdge

from dma_items import READ, WRITE, DmaCmdItem


@dataclass
class ReadBeat:
    data: bytes
    last: bool
    nbytes: int
    cycle: int


@dataclass
class ErrorReport:
    code: int
    addr: int
    cycle: int


class DmaBfm:
    def __init__(self, dut, rng: random.Random):
        self.dut, self.rng = dut, rng
        self.data_width = len(dut.rd_data_o)
        self.beat_bytes = self.data_width // 8
        self.addr_width = len(dut.win_base_i)
        self.cycle = 0
        # Stream behaviour: probability of rd_ready per cycle, of offering a wr beat per cycle.
        self.rd_ready_prob = 1.0
        self.wr_valid_prob = 1.0
        self.cmd_queues = {READ: deque(), WRITE: deque()}
        self.wr_beats = deque()
        self._clear_pending = False
        # What the monitors read.
        self.accepted_cmds = Queue()  # DmaCmdItem, in acceptance order (both directions)
        self.read_beats = Queue()     # ReadBeat
        self.dones = Queue()          # (direction, cycle)
        self.errors = Queue()         # ErrorReport
        self.err_seen = False
        self.last_error = None
        self.discard = False  # soft reset under way: drop new commands at once
        # Optional record of every AW, W and AR handshake with the cycle its valid rose
        # (error and soft-reset tests check that nothing new was presented after the stop).
        self.watch_axi = False
        self.handshakes = []  # (channel, presented cycle, handshake cycle, wstrb or None)
        self.clear_cycles = []  # cycles at whose end clear_i was driven high
        self._presented = {"aw": None, "w": None, "ar": None}
        self._task = None

    # ------------------------------------------------------------------ set-up
    async def reset(self):
        dut = self.dut
        if self._task is None:
            cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
        for name in ("clear_i", "stop_i", "rd_cmd_valid_i", "wr_cmd_valid_i", "wr_valid_i",
                     "rd_ready_i", "wr_last_i", "win_base_i", "win_limit_i", "rd_cmd_i", "wr_cmd_i",
                     "wr_data_i"):
            getattr(dut, name).value = 0
        dut.rst_i.value = 1
        await ClockCycles(dut.clk_i, 4)
        dut.rst_i.value = 0
        await RisingEdge(dut.clk_i)
        if self._task is None:
            self._task = cocotb.start_soon(self._run())

    def set_window(self, base: int, limit: int):
        self.dut.win_base_i.value = base
        self.dut.win_limit_i.value = limit

    # ------------------------------------------------------------------ driver side
    async def send_cmd(self, item: DmaCmdItem):
        """Queue a command (and for a write its stream beats); return once it is accepted."""
        item.accepted = Event()
        item.dropped = self.discard
        if self.discard:
            return
        self.cmd_queues[item.direction].append(item)
        if item.direction == WRITE:
            self.queue_write_data(item.data)
        await item.accepted.wait()

    def queue_write_data(self, data: bytes):
        bb = self.beat_bytes
        beats = [data[i:i + bb] for i in range(0, len(data), bb)]
        for i, beat in enumerate(beats):
            # Bytes past the command's end are padding the DMA must ignore: make them random.
            padded = beat + self.rng.randbytes(bb - len(beat))
            self.wr_beats.append((int.from_bytes(padded, "little"), i == len(beats) - 1))

    def soft_reset(self):
        """Pulse clear_i next cycle; drop every command and stream beat not yet accepted, and
        every command sent until resume()."""
        self._clear_pending = True
        self.discard = True

    def resume(self):
        self.discard = False
        self.err_seen = False

    def idle(self) -> bool:
        return not any(self.cmd_queues.values()) and not self.wr_beats

    async def wait_idle(self, timeout_cycles=200_000):
        """Until nothing is queued here and the DUT reports not busy."""
        quiet = 0
        for _ in range(timeout_cycles):
            await RisingEdge(self.dut.clk_i)
            quiet = quiet + 1 if self.idle() and not self.dut.busy_o.value else 0
            if quiet == 2:  # one more edge: the monitors have taken what was sampled
                return
        raise TimeoutError(f"DMA still busy after {timeout_cycles} cycles (hang?)")

    # ------------------------------------------------------------------ the clock loop
    async def _run(self):
        dut, rng = self.dut, self.rng
        clk = RisingEdge(dut.clk_i)
        rd_cmd_valid = wr_cmd_valid = wr_valid = rd_ready = clear = False
        err_prev = False
        while True:
            await clk
            self.cycle += 1
            # ---- sample the edge that just happened
            for direction, valid, ready in ((READ, rd_cmd_valid, dut.rd_cmd_ready_o),
                                            (WRITE, wr_cmd_valid, dut.wr_cmd_ready_o)):
                if valid and ready.value:
                    item = self.cmd_queues[direction].popleft()
                    item.accept_cycle = self.cycle
                    self.accepted_cmds.put_nowait(item)
                    item.accepted.set()
            wr_taken = wr_valid and bool(dut.wr_ready_o.value)
            if wr_taken:
                self.wr_beats.popleft()
            if rd_ready and dut.rd_valid_o.value:
                value = int(dut.rd_data_o.value)
                self.read_beats.put_nowait(ReadBeat(value.to_bytes(self.beat_bytes, "little"),
                                                    bool(dut.rd_last_o.value),
                                                    int(dut.rd_bytes_o.value), self.cycle))
            if dut.rd_done_o.value:
                self.dones.put_nowait((READ, self.cycle))
            if dut.wr_done_o.value:
                self.dones.put_nowait((WRITE, self.cycle))
            err = bool(dut.err_valid_o.value)
            if err and not err_prev:
                self.err_seen = True
                self.last_error = ErrorReport(int(dut.err_code_o.value),
                                              int(dut.err_addr_o.value), self.cycle)
                self.errors.put_nowait(self.last_error)
            err_prev = err
            if self.watch_axi:
                self._watch()
            # ---- drive the next cycle
            clear, self._clear_pending = self._clear_pending, False
            if clear:
                self.clear_cycles.append(self.cycle)
                for queue in self.cmd_queues.values():
                    for item in queue:
                        item.dropped = True
                        item.accepted.set()
                    queue.clear()
                self.wr_beats.clear()
            dut.clear_i.value = clear
            rd_cmd_valid = bool(self.cmd_queues[READ]) and not clear
            if rd_cmd_valid:
                dut.rd_cmd_i.value = self.cmd_queues[READ][0].pack(self.addr_width)
            dut.rd_cmd_valid_i.value = rd_cmd_valid
            wr_cmd_valid = bool(self.cmd_queues[WRITE]) and not clear
            if wr_cmd_valid:
                dut.wr_cmd_i.value = self.cmd_queues[WRITE][0].pack(self.addr_width)
            dut.wr_cmd_valid_i.value = wr_cmd_valid
            # A stream beat once offered stays offered until taken.
            if not wr_valid or wr_taken or clear:
                wr_valid = bool(self.wr_beats) and not clear and rng.random() < self.wr_valid_prob
            if wr_valid:
                data, last = self.wr_beats[0]
                dut.wr_data_i.value = data
                dut.wr_last_i.value = last
            dut.wr_valid_i.value = wr_valid
            rd_ready = rng.random() < self.rd_ready_prob
            dut.rd_ready_i.value = rd_ready

    def _watch(self):
        dut = self.dut
        for ch in ("aw", "w", "ar"):
            if not getattr(dut, f"m_axi_{ch}valid").value:
                continue
            if self._presented[ch] is None:
                self._presented[ch] = self.cycle
            if getattr(dut, f"m_axi_{ch}ready").value:
                strobe = int(dut.m_axi_wstrb.value) if ch == "w" else None
                self.handshakes.append((ch, self._presented[ch], self.cycle, strobe))
                self._presented[ch] = None
