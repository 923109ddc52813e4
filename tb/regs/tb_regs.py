"""pyuvm tests of tessel_regs, the AXI4-Lite register file (tb/regs/testplan.md).

The reference is the register model of tessel.register_map, read from rtl/regs/tessel_regs.rdl,
the file the register block is generated from: a mirror of every rw field, the hardware inputs for ro fields, the
configuration for the build-parameter registers, SLVERR for every unmapped offset. Register
accesses are sequence items driven through cocotbext-axi's AxiLiteMaster; an AXI4-Lite monitor
publishes each completed access to the scoreboard and the coverage collector; a hardware-side
BFM drives the accelerator's status inputs and records the command pulses.
"""

import itertools
import logging
import random
import zlib

import cocotb
import pyuvm
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge
from cocotb_coverage.coverage import CoverCross, CoverPoint, coverage_db
from cocotbext.axi import AxiLiteBus, AxiLiteMaster, AxiResp
from pyuvm import (ConfigDB, uvm_analysis_port, uvm_driver, uvm_env, uvm_monitor,
                   uvm_sequence, uvm_sequence_item, uvm_sequencer, uvm_subscriber, uvm_test)

from tessel.config import load_config
from tessel.sim import config_from_env
from tessel.coverage import functional
from tessel.register_map import load

CONFIG = config_from_env()  # the configuration the RTL was built for
RMAP = load(CONFIG)  # the address registers' width follows the build
COUNTERS = ["CYCLES", "BUSY_CYCLES", "STALL_CYCLES", "BYTES_READ", "BYTES_WRITTEN"]


# ---------------------------------------------------------------------- items and sequences
class RegItem(uvm_sequence_item):
    """One AXI4-Lite access: a read, or a write of `data` under byte strobes `strb`."""

    def __init__(self, name="reg", op="read", offset=0, data=0, strb=0xF):
        super().__init__(name)
        self.op, self.offset, self.data, self.strb = op, offset, data, strb
        self.resp = None     # filled in by the driver
        self.rdata = None

    def __str__(self):
        what = f"write {self.data:#010x} strb {self.strb:#x}" if self.op == "write" else "read"
        return f"{what} at {self.offset:#05x}"


def register_words():
    """Every mapped 32-bit word: offset -> (name, register, word index). The words of a 64-bit
    register are NAME_LO and NAME_HI."""
    words = {}
    for r in RMAP.registers:
        names = [r.name] if r.width == 32 else [f"{r.name}_LO", f"{r.name}_HI"]
        words.update({offset: (name, r, i) for i, (offset, name) in enumerate(zip(r.words, names))})
    words[RMAP.count_offset] = ("PARAM_COUNT", None, 0)
    words.update({p.offset: (p.name, None, 0) for p in RMAP.parameters})
    return words


WORDS = register_words()
MAPPED = {offset: name for offset, (name, _, _) in WORDS.items()}
NAMED = {name: offset for offset, name in MAPPED.items()}


def word_bits(reg, index, access):
    """The bits of one 32-bit word of `reg` with the given access."""
    return reg.mask(access) >> 32 * index & 0xFFFF_FFFF


def counter(name):
    """A word of a counter, which the scoreboard leaves to RegCounterTest."""
    return any(name.startswith(c) for c in COUNTERS + ["LAYER_CYCLES"])


class RandomAccessSeq(uvm_sequence):
    """Random reads and writes: mostly mapped registers, some unmapped offsets, random data and
    byte strobes. START is never written (the accelerator would start). With `sweep`, every
    mapped register is first read and written once, in random order."""

    def __init__(self, name, count, rng, sweep=False):
        super().__init__(name)
        self.count, self.rng, self.sweep = count, rng, sweep

    async def body(self):
        rng = self.rng
        mapped = list(MAPPED)
        sweep = [(op, offset) for offset in mapped for op in ("read", "write")] if self.sweep else []
        rng.shuffle(sweep)
        commands = RMAP["CTRL"].mask("w1p")
        unmapped = [o for o in range(0, 1 << RMAP.addr_width, 4) if o not in MAPPED]
        for i in range(len(sweep) + self.count):
            if i < len(sweep):
                op, offset = sweep[i]
            else:
                offset = rng.choice(mapped) if rng.random() < 0.85 else rng.choice(unmapped)
                op = rng.choice(["read", "write"])
            if op == "read":
                item = RegItem("read", "read", offset)
            else:
                data = rng.getrandbits(32)
                if MAPPED.get(offset) == "CTRL":
                    data &= ~commands  # IRQ_EN only: START would start the accelerator
                item = RegItem("write", "write", offset, data,
                               rng.choice([0xF, 0xF, 0x1, 0x2, 0x4, 0x8, 0x3, 0xC]))
            await self.start_item(item)
            await self.finish_item(item)


class ListSeq(uvm_sequence):
    def __init__(self, name, items):
        super().__init__(name)
        self.items = items

    async def body(self):
        for item in self.items:
            await self.start_item(item)
            await self.finish_item(item)


# ---------------------------------------------------------------------- BFMs, driver, monitor
class HwBfm:
    """The accelerator side of tessel_regs: drives its status inputs, counts command pulses."""

    INPUTS = ("busy_i", "done_i", "error_i", "err_code_i", "err_addr_i", "array_busy_i",
              "dma_stall_i", "bytes_read_i", "bytes_written_i", "layer_cycles_we_i",
              "layer_cycles_idx_i", "layer_cycles_i")

    def __init__(self, dut):
        self.dut = dut
        self.starts = self.soft_resets = 0
        self.cycle = self.start_cycle = self.done_cycle = 0
        self.values = {name: 0 for name in self.INPUTS}

    async def reset(self):
        dut = self.dut
        cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
        for name in self.INPUTS:
            self.set(name, 0)
        dut.rst_i.value = 1
        await ClockCycles(dut.clk_i, 3)
        dut.rst_i.value = 0
        cocotb.start_soon(self._watch())

    def set(self, name, value):
        self.values[name] = value
        getattr(self.dut, name).value = value

    async def pulse(self, name):
        self.set(name, 1)
        await RisingEdge(self.dut.clk_i)
        self.set(name, 0)

    async def _watch(self):
        dut = self.dut
        while True:
            await RisingEdge(dut.clk_i)  # values read now are the ones this edge sampled
            self.cycle += 1
            if dut.start_o.value:
                self.starts += 1
                self.start_cycle = self.cycle
            self.soft_resets += int(dut.soft_reset_o.value)
            if dut.done_i.value:
                self.done_cycle = self.cycle


class RegDriver(uvm_driver):
    def build_phase(self):
        self.master = ConfigDB().get(self, "", "AXIL")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            if item.op == "read":
                result = await self.master.read(item.offset, 4)
                item.rdata = int.from_bytes(result.data, "little")
            else:
                # AxiLiteMaster derives WSTRB from the address and length: write each run of
                # enabled bytes (one access per run keeps one strobe pattern per write).
                lanes = [i for i in range(4) if item.strb >> i & 1]
                first, last = lanes[0], lanes[-1]
                assert lanes == list(range(first, last + 1)), "non-contiguous strobes"
                data = item.data.to_bytes(4, "little")[first:last + 1]
                result = await self.master.write(item.offset + first, data)
            item.resp = int(result.resp)
            self.seq_item_port.item_done()


class AxilMonitor(uvm_monitor):
    """Reassembles AXI4-Lite transactions from the bus (AW+W+B, AR+R) and publishes them."""

    def build_phase(self):
        self.dut = ConfigDB().get(self, "", "DUT")
        self.ap = uvm_analysis_port("ap", self)

    async def run_phase(self):
        dut = self.dut
        aws, ws, ars = [], [], []
        while True:
            await RisingEdge(dut.clk_i)
            if dut.s_axil_awvalid.value and dut.s_axil_awready.value:
                aws.append(int(dut.s_axil_awaddr.value))
            if dut.s_axil_wvalid.value and dut.s_axil_wready.value:
                ws.append((int(dut.s_axil_wdata.value), int(dut.s_axil_wstrb.value)))
            if dut.s_axil_arvalid.value and dut.s_axil_arready.value:
                ars.append(int(dut.s_axil_araddr.value))
            if dut.s_axil_bvalid.value and dut.s_axil_bready.value:
                data, strb = ws.pop(0)
                item = RegItem("seen", "write", aws.pop(0) & ~3, data, strb)
                item.resp = int(dut.s_axil_bresp.value)
                self.ap.write(item)
            if dut.s_axil_rvalid.value and dut.s_axil_rready.value:
                item = RegItem("seen", "read", ars.pop(0) & ~3)
                item.rdata, item.resp = int(dut.s_axil_rdata.value), int(dut.s_axil_rresp.value)
                self.ap.write(item)


# ---------------------------------------------------------------------- scoreboard, coverage
class RegScoreboard(uvm_subscriber):
    """Predicts every read from the register map: rw fields from a mirror of what was written
    (under the strobes), ro fields from the hardware inputs and the build configuration,
    SLVERR and 0 for unmapped offsets. Counters are checked by their own test."""

    def build_phase(self):
        self.hw = ConfigDB().get(self, "", "HW")
        self.config = CONFIG
        self.mirror = {offset: reg.reset >> 32 * i & word_bits(reg, i, "rw")
                       for offset, (_, reg, i) in WORDS.items() if reg}
        self.irq_status = 0       # predicted by the tests that drive done/error
        self.status_done = False  # STATUS.DONE, likewise
        self.checked = 0

    def expected(self, offset):
        name = MAPPED.get(offset)
        v = self.hw.values
        if name is None:
            return AxiResp.SLVERR, 0
        if name == "PARAM_COUNT":
            return AxiResp.OKAY, len(RMAP.parameters)
        if name.startswith("PARAM_"):
            return AxiResp.OKAY, RMAP.parameter_values(self.config)[name]
        status = RMAP["STATUS"]
        fixed = {"ID": RMAP.id, "VERSION": RMAP["VERSION"].reset,
                 "STATUS": (v["busy_i"] << status.field("BUSY").lsb
                            | v["error_i"] << status.field("ERROR").lsb
                            | int(self.status_done) << status.field("DONE").lsb),
                 "IRQ_STATUS": self.irq_status, "ERR_CODE": v["err_code_i"],
                 "ERR_ADDR_LO": v["err_addr_i"] & 0xFFFFFFFF, "ERR_ADDR_HI": v["err_addr_i"] >> 32}
        if name in fixed:
            return AxiResp.OKAY, fixed[name]
        return AxiResp.OKAY, self.mirror[offset]  # rw bits (only DmaAddrWidth address bits exist)

    def write(self, item):
        name = MAPPED.get(item.offset)
        if item.op == "write":
            want = AxiResp.OKAY if name else AxiResp.SLVERR
            assert item.resp == want, f"{item}: {AxiResp(item.resp).name}, expected {want.name}"
            if item.offset in self.mirror:
                _, reg, word = WORDS[item.offset]
                mask = (sum(0xFF << 8 * i for i in range(4) if item.strb >> i & 1)
                        & word_bits(reg, word, "rw"))
                self.mirror[item.offset] = (self.mirror[item.offset] & ~mask) | (item.data & mask)
            self.checked += 1
            return
        if name and counter(name):
            return  # counters: RegCounterTest checks them against its own counts
        resp, value = self.expected(item.offset)
        assert (item.resp, item.rdata) == (resp, value), (
            f"{item} ({name or 'unmapped'}): {AxiResp(item.resp).name} {item.rdata:#010x}, "
            f"expected {resp.name} {value:#010x}")
        self.checked += 1


class RegCoverage(uvm_subscriber):
    def build_phase(self):
        names = sorted(set(MAPPED.values()) | {"unmapped"})

        @CoverPoint("regs.register", xf=lambda item: MAPPED.get(item.offset, "unmapped"),
                    bins=names)
        @CoverPoint("regs.op", xf=lambda item: item.op, bins=["read", "write"])
        @CoverPoint("regs.resp", xf=lambda item: item.resp, bins=[0, 2])
        @CoverPoint("regs.partial", xf=lambda item: item.op == "write" and item.strb != 0xF,
                    bins=[True, False])
        @CoverCross("regs.register_op", items=["regs.register", "regs.op"])
        def sample(item):
            pass

        self.sample = sample

    def write(self, item):
        self.sample(item)

    def report_phase(self):
        coverage_db.export_to_yaml("coverage_regs.yml")  # in the simulation's build folder
        functional.export("regs", ("regs.",))  # testplan bins for make coverage


class RegEnv(uvm_env):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = RegDriver.create("driver", self)
        self.monitor = AxilMonitor.create("monitor", self)
        self.scoreboard = RegScoreboard.create("scoreboard", self)
        self.coverage = RegCoverage.create("coverage", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.monitor.ap.connect(self.coverage.analysis_export)


# ---------------------------------------------------------------------- tests
class RegBaseTest(uvm_test):
    def build_phase(self):
        dut = cocotb.top
        self.dut = dut
        self.seed = cocotb.RANDOM_SEED ^ zlib.crc32(type(self).__name__.encode())
        self.rng = random.Random(self.seed)
        self.hw = HwBfm(dut)
        ConfigDB().set(None, "*", "DUT", dut)
        ConfigDB().set(None, "*", "HW", self.hw)
        logging.getLogger("cocotb.tessel_regs.s_axil").setLevel(logging.WARNING)
        self.master = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk_i, dut.rst_i)
        ConfigDB().set(None, "*", "AXIL", self.master)
        self.env = RegEnv("env", self)

    async def run_phase(self):
        self.raise_objection()
        self.logger.info(f"{type(self).__name__}: seed {self.seed}")
        await self.hw.reset()
        await self.scenario()
        await ClockCycles(self.dut.clk_i, 2)  # let the monitor publish the last access
        self.drop_objection()

    async def access(self, *items):
        await ListSeq("direct", list(items)).start(self.env.seqr)
        return items

    async def read(self, name):
        (item,) = await self.access(RegItem("read", "read", NAMED[name]))
        assert item.resp == AxiResp.OKAY, f"read of {name}: {AxiResp(item.resp).name}"
        return item.rdata

    async def write(self, name, value, strb=0xF):
        (item,) = await self.access(RegItem("write", "write", NAMED[name], value, strb))
        return item.resp

    async def read64(self, name):
        lo = await self.read(f"{name}_LO")
        return (await self.read(f"{name}_HI")) << 32 | lo


@pyuvm.test()
class RegResetTest(RegBaseTest):
    """Every register reads its reset value (ID, VERSION, zeros) and every build parameter
    equals the configuration the RTL was built for; a driver's check accepts this build and
    refuses another configuration."""

    async def scenario(self):
        for offset in sorted(MAPPED):
            await self.access(RegItem("read", "read", offset))
        config = CONFIG
        values = {}
        for offset in [RMAP.count_offset] + [p.offset for p in RMAP.parameters]:
            (item,) = await self.access(RegItem("read", "read", offset))
            values[offset] = item.rdata
        problems = RMAP.mismatched_parameters(config, lambda o: values[o])
        assert not problems, problems
        other = "zcu104" if config.name == "small" else "small"
        assert RMAP.mismatched_parameters(load_config(other), lambda o: values[o]), \
            f"the {config.name} build reads back as if it were {other}"
        assert self.env.scoreboard.checked >= len(MAPPED)


@pyuvm.test()
class RegRandomAccessTest(RegBaseTest):
    """Random reads and writes with random byte strobes over the whole space (mapped and
    unmapped), with random hardware status inputs: rw fields read back what was written,
    read-only fields ignore writes, unmapped offsets answer SLVERR and change nothing, the
    window and program base reach the hardware outputs."""

    async def scenario(self):
        rng, hw, sb = self.rng, self.hw, self.env.scoreboard
        for round_ in range(8):
            hw.set("busy_i", rng.getrandbits(1))
            hw.set("err_code_i", rng.getrandbits(8))
            hw.set("err_addr_i", rng.getrandbits(64))
            await RandomAccessSeq("random", 60, rng, sweep=round_ == 0).start(self.env.seqr)
            await ClockCycles(self.dut.clk_i, 2)
            aw = len(self.dut.win_base_o)
            for name, port in (("PROG_BASE", "prog_base_o"), ("WIN_BASE", "win_base_o"),
                               ("WIN_LIMIT", "win_limit_o")):
                low, high = RMAP[name].words
                want = (sb.mirror[high] << 32 | sb.mirror[low]) & ((1 << aw) - 1)
                got = int(getattr(self.dut, port).value)
                assert got == want, f"{port} = {got:#x}, expected {want:#x}"
        assert hw.starts == 0 and hw.soft_resets == 0, "a command pulse nobody asked for"
        holes = [f"{b}" for b, hits in coverage_db["regs.register_op"].detailed_coverage.items()
                 if not hits]
        assert not holes, f"registers never read or written: {holes}"
        self.logger.info(f"{sb.checked} accesses checked")


@pyuvm.test()
class RegOverlapTest(RegBaseTest):
    """Reads and writes in flight together while the master is slow to take the answers (B and
    R ready low at random): the block holds accesses until their answers are taken, takes a read
    and a write offered in the same cycle one after the other, and answers each right (the
    scoreboard checks every one). Reads go to read-only and unmapped offsets and writes to
    rw registers, so the order between the two channels does not change any answer."""

    async def scenario(self):
        rng, master = self.rng, self.master
        for channel in (master.write_if.b_channel, master.read_if.r_channel):
            channel.set_pause_generator(itertools.cycle([rng.random() < 0.6 for _ in range(41)]))
        rw = [o for o, (_, reg, i) in WORDS.items()
              if reg and word_bits(reg, i, "rw") and reg.name not in ("CTRL", "IRQ_STATUS")]
        read_only = [o for o, (name, reg, i) in WORDS.items()
                     if (not reg or not word_bits(reg, i, "rw")) and not counter(name)]
        unmapped = [o for o in range(0, 1 << RMAP.addr_width, 4) if o not in MAPPED]
        accesses, checked = [], self.env.scoreboard.checked
        for _ in range(300):
            if rng.random() < 0.5:
                offset = rng.choice(read_only) if rng.random() < 0.8 else rng.choice(unmapped)
                accesses.append(cocotb.start_soon(master.read(offset, 4)))
            else:
                data = rng.getrandbits(32).to_bytes(4, "little")
                accesses.append(cocotb.start_soon(master.write(rng.choice(rw), data)))
            if rng.random() < 0.5:
                await RisingEdge(self.dut.clk_i)
        for access in accesses:
            await access
        await ClockCycles(self.dut.clk_i, 2)  # let the monitor publish the last answer
        assert self.env.scoreboard.checked - checked == len(accesses)


@pyuvm.test()
class RegControlIrqTest(RegBaseTest):
    """CTRL.START and CTRL.SOFT_RESET give one-cycle pulses (START ignored while busy);
    done/error set STATUS and IRQ_STATUS; the interrupt follows IRQ_EN; write-1-to-clear
    clears only the bits written with 1."""

    async def scenario(self):
        hw, dut, sb = self.hw, self.dut, self.env.scoreboard
        ctrl = RMAP["CTRL"]
        start = 1 << ctrl.field("START").lsb
        soft = 1 << ctrl.field("SOFT_RESET").lsb
        irq_en = 1 << ctrl.field("IRQ_EN").lsb
        done_bit = 1 << RMAP["IRQ_STATUS"].field("DONE").lsb
        error_bit = 1 << RMAP["IRQ_STATUS"].field("ERROR").lsb
        await self.write("CTRL", start)
        await self.write("CTRL", soft)
        await ClockCycles(dut.clk_i, 2)
        assert (hw.starts, hw.soft_resets) == (1, 1), (hw.starts, hw.soft_resets)
        hw.set("busy_i", 1)
        await self.write("CTRL", start)
        await ClockCycles(dut.clk_i, 2)
        assert hw.starts == 1, "START accepted while busy"
        hw.set("busy_i", 0)
        assert await self.read("CTRL") == 0, "command bits read back"
        # A finished program: STATUS.DONE and IRQ_STATUS.DONE; no interrupt until enabled.
        await hw.pulse("done_i")
        sb.irq_status, sb.status_done = done_bit, True
        await ClockCycles(dut.clk_i, 1)
        assert not dut.irq_o.value, "interrupt while IRQ_EN is 0"
        await self.read("STATUS")
        await self.read("IRQ_STATUS")
        await self.write("CTRL", irq_en)
        await ClockCycles(dut.clk_i, 1)
        assert dut.irq_o.value, "no interrupt with IRQ_EN and IRQ_STATUS.DONE"
        # An error: IRQ_STATUS.ERROR on the rising edge of error_i; STATUS.ERROR follows it.
        hw.set("error_i", 1)
        await ClockCycles(dut.clk_i, 2)
        sb.irq_status = done_bit | error_bit
        await self.read("IRQ_STATUS")
        await self.read("STATUS")
        # Writing 0 clears nothing; writing 1 to DONE clears only DONE.
        await self.write("IRQ_STATUS", 0)
        await self.read("IRQ_STATUS")
        await self.write("IRQ_STATUS", done_bit)
        sb.irq_status = error_bit
        await self.read("IRQ_STATUS")
        assert dut.irq_o.value, "ERROR still pending but no interrupt"
        await self.write("IRQ_STATUS", error_bit)
        sb.irq_status = 0
        await self.read("IRQ_STATUS")
        await ClockCycles(dut.clk_i, 1)
        assert not dut.irq_o.value, "interrupt after every cause was cleared"
        # The error level stays, but it does not set IRQ_STATUS again until it rises again.
        await ClockCycles(dut.clk_i, 5)
        await self.read("IRQ_STATUS")
        hw.set("error_i", 0)
        # STATUS.DONE is cleared by START (and set again by done).
        await hw.pulse("done_i")
        sb.irq_status = done_bit
        await self.read("STATUS")
        await self.write("CTRL", start | irq_en)
        sb.status_done = False
        assert not (await self.read("STATUS")) & (1 << RMAP["STATUS"].field("DONE").lsb)


@pyuvm.test()
class RegCounterTest(RegBaseTest):
    """Performance counters count exactly what the hardware reports, clear at START, and
    read as consistent 64-bit values (LO latches HI) also beyond 32 bits; the per-layer
    cycle memory returns what the hardware wrote, and 0 for an index past its end."""

    async def scenario(self):
        rng, hw, dut = self.rng, self.hw, self.dut
        ctrl_start = 1 << RMAP["CTRL"].field("START").lsb
        await self.write("CTRL", ctrl_start)
        counts = dict.fromkeys(COUNTERS, 0)
        # Random activity, one value per cycle, counted here as it is driven.
        for _ in range(2000):
            busy, stall = rng.getrandbits(1), rng.getrandbits(1)
            rd, wr = rng.choice([0, 0, 16, rng.getrandbits(16)]), rng.choice([0, 64, 0xFFFF])
            for name, value in (("array_busy_i", busy), ("dma_stall_i", stall),
                                ("bytes_read_i", rd), ("bytes_written_i", wr)):
                hw.set(name, value)
            await RisingEdge(dut.clk_i)
            counts["BUSY_CYCLES"] += busy
            counts["STALL_CYCLES"] += stall
            counts["BYTES_READ"] += rd
            counts["BYTES_WRITTEN"] += wr
        for name in ("array_busy_i", "dma_stall_i", "bytes_read_i", "bytes_written_i"):
            hw.set(name, 0)
        await hw.pulse("done_i")  # the run is over: CYCLES stops
        for name in COUNTERS[1:]:
            got = await self.read64(name)
            assert got == counts[name], f"{name} = {got}, expected {counts[name]}"
        await ClockCycles(dut.clk_i, 2)
        cycles, run = await self.read64("CYCLES"), hw.done_cycle - hw.start_cycle
        assert cycles == run, f"CYCLES = {cycles} for a run of {run} cycles"
        await ClockCycles(dut.clk_i, 50)
        assert await self.read64("CYCLES") == cycles, "CYCLES counts after done"
        # Beyond 32 bits: 65,600 cycles of 0xFFFF bytes, then the halves must agree.
        await self.write("CTRL", ctrl_start)
        hw.set("bytes_read_i", 0xFFFF)
        await ClockCycles(dut.clk_i, 65_600)
        hw.set("bytes_read_i", 0)
        await RisingEdge(dut.clk_i)
        assert await self.read64("BYTES_READ") == 65_600 * 0xFFFF
        # The _HI register returns the half latched by the last _LO read, not the live one.
        hw.set("bytes_read_i", 0xFFFF)
        lo = await self.read("BYTES_READ_LO")
        await ClockCycles(dut.clk_i, 70_000)
        hw.set("bytes_read_i", 0)
        assert await self.read("BYTES_READ_HI") == 1, "HI not latched by the LO read"
        assert await self.read64("BYTES_READ") > 2 << 32 and lo != 0
        # START clears every counter.
        await self.write("CTRL", ctrl_start)
        await hw.pulse("done_i")
        await ClockCycles(dut.clk_i, 2)
        for name in COUNTERS[1:]:
            assert await self.read64(name) == 0, f"{name} not cleared by START"
        assert await self.read64("CYCLES") == hw.done_cycle - hw.start_cycle
        # Per-layer cycle counters, written by the hardware.
        entries = {i: rng.getrandbits(64) for i in rng.sample(range(RMAP.layer_counters), 20)}
        entries[RMAP.layer_counters - 1] = (1 << 64) - 1
        for index, value in entries.items():
            hw.set("layer_cycles_idx_i", index)
            hw.set("layer_cycles_i", value)
            await hw.pulse("layer_cycles_we_i")
        for index, value in entries.items():
            await self.write("LAYER_SELECT", index)
            assert await self.read64("LAYER_CYCLES") == value, f"layer {index}"
        await self.write("LAYER_SELECT", RMAP.layer_counters)
        assert await self.read64("LAYER_CYCLES") == 0, "a layer past the end reads non-zero"
