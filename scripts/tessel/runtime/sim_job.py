"""Runs inside the simulator (a cocotb test module): the driver against the RTL.

The job file ($TESSEL_JOB) lists one or more networks, each in its own DMA window of the memory
model (their DRAM images are preloaded side by side: +dram), with its input images (already in
the bytes the accelerator reads), its fault runs and where the memory sits while it runs (the
model's window moves with its contents, so a network can run at any address). Every run's
result is appended to a JSON lines file as it finishes, so a simulation that dies still tells
how far it got. Python only programs registers and waits for the interrupt: the run itself is
all C++.
"""

import json
import os
import time

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, FallingEdge, First, RisingEdge, Timer
from cocotb.utils import get_sim_time
from cocotbext.axi import AxiLiteBus, AxiLiteMaster

from tessel.plan.descriptor import layer_record
from tessel.runtime.driver import AcceleratorError, AcceleratorTimeout, Driver
from tessel.sim import config_from_env

CLOCK_NS = 10


def walk_position(state: int, config) -> tuple[int, int]:
    """(band, block) of tessel_ctrl_tile_walk's packed state {band, bands, block, blocks,
    out_half}, whose widths are the layer record's oh and kgroups fields."""
    width = {f.name: f.width for f in layer_record(config).fields}
    coord, group = width["oh"], width["kgroups"]
    block = state >> (1 + group) & ((1 << group) - 1)
    band = state >> (1 + 2 * group + coord)
    return band, block


class RunAborted(Exception):
    """The bench stopped a run on purpose (a soft reset at a chosen cycle)."""


class SimMmio:
    """Registers through an AXI4-Lite master; DRAM words straight from the memory model."""

    def __init__(self, dut, timeout_cycles: int):
        self.dut = dut
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk_i, dut.rst_i)
        self.mem = dut.u_mem.mem
        self.beat = len(dut.m_axi_rdata) // 8  # tessel_top's DRAM bus (flat in tessel_sim_top)
        self.base = int(dut.u_mem.base.value)  # where the DRAM window starts (it may move)
        self.timeout = timeout_cycles
        self.abort_after = None  # cycles after which wait_irq gives up on purpose (RunAborted)
        self.wait_seconds = 0.0  # wall time spent waiting for interrupts (the simulation itself)
        self.wait_cpu_seconds = 0.0  # the simulator's CPU time in those waits (load aside)
        self.heartbeat_cycles = 0  # wake every so many cycles of a run to call heartbeat(cycles)
        self.heartbeat = None

    async def read32(self, offset: int) -> int:
        return await self.axil.read_dword(offset)

    async def write32(self, offset: int, value: int) -> None:
        await self.axil.write_dword(offset, value)

    async def wait_irq(self) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            await self._wait_irq()
        finally:
            self.wait_seconds += time.perf_counter() - start
            self.wait_cpu_seconds += time.process_time() - cpu

    async def _wait_irq(self) -> None:
        # Timers, not ClockCycles: counting cycles would run Python on every clock edge. With a
        # heartbeat, Python wakes every heartbeat_cycles to report progress (a few register reads).
        start = get_sim_time("ns")
        end, aborting = self.timeout, False
        if self.abort_after is not None and max(1, self.abort_after) <= end:
            end, aborting = max(1, self.abort_after), True
        while not self.dut.irq_o.value:
            waited = round((get_sim_time("ns") - start) / CLOCK_NS)
            if waited >= end:
                if aborting:
                    raise RunAborted()
                raise AcceleratorTimeout(f"no interrupt after {self.timeout:,} cycles: {self.where()}")
            step = min(end - waited, self.heartbeat_cycles or end)
            timer = Timer(step * CLOCK_NS, unit="ns")
            fired = await First(RisingEdge(self.dut.irq_o), timer)
            if fired is timer and self.heartbeat and waited + step < end:
                await self.heartbeat(waited + step)

    def layer(self) -> int | None:
        """The layer the controller works on (None where the model does not show it)."""
        try:
            return int(self.dut.u_top.u_ctrl.layer_q.value)
        except (AttributeError, ValueError):
            return None

    def where(self) -> str:
        """Where the controller is, for a run that does not finish."""
        ctrl, core = self.dut.u_top.u_ctrl, self.dut.u_top.u_core
        try:
            band, block = walk_position(int(ctrl.u_walk.q.value), config_from_env())
            return (f"controller state {int(ctrl.state_q.value)} layer {int(ctrl.layer_q.value)} "
                    f"band {band}, block {block}, DMA busy {int(self.dut.u_top.u_dma.busy_o.value)}; "
                    f"core active {int(core.active_q.value)}, sequencer busy "
                    f"{int(core.u_seq.running_q.value)}, passes in flight {int(core.inflight_q.value)}, "
                    f"block waiting {int(core.block_valid.value)}, PPU loading "
                    f"{int(core.u_ppu.loading_q.value)}")
        except (AttributeError, ValueError) as error:
            return f"controller state unreadable ({error})"

    def guard(self, base: int, size: int) -> None:
        """Count bursts outside [base, base + size) from now on (the window given to the DMA)."""
        mem = self.dut.u_mem
        mem.guard_lo.value, mem.guard_hi.value = base, base + size
        self.guard_seen = (int(mem.guard_reads.value), int(mem.guard_writes.value))

    def escapes(self) -> dict:
        """Bursts outside the guarded window since guard(): reads, writes, the last address."""
        mem = self.dut.u_mem
        reads, writes = (int(mem.guard_reads.value) - self.guard_seen[0],
                         int(mem.guard_writes.value) - self.guard_seen[1])
        return {"reads": reads, "writes": writes,
                "address": int(mem.guard_addr.value) if reads or writes else None}

    def _words(self, address: int, size: int) -> range:
        first = (address - self.base) // self.beat
        return range(first, first + -(-size // self.beat))

    async def write_memory(self, address: int, data: bytes) -> None:
        assert (address - self.base) % self.beat == 0, "writes start on a beat"
        data = bytes(data) + bytes(-len(data) % self.beat)
        for i, word in enumerate(self._words(address, len(data))):
            self.mem[word].value = int.from_bytes(data[i * self.beat:(i + 1) * self.beat], "little")

    async def read_memory(self, address: int, size: int) -> bytes:
        data = b"".join(int(self.mem[w].value).to_bytes(self.beat, "little")
                        for w in self._words(address, size))
        return data[:size]


@cocotb.test()
async def run_job(dut):
    await execute(dut)


async def execute(dut):
    """The job, for run_job and for test modules that watch the run too."""
    job = json.loads(open(os.environ["TESSEL_JOB"]).read())
    await start(dut)
    mmio = SimMmio(dut, job["timeout_cycles"])
    await Driver(mmio, mmio.base, 0).check_build(job["build_parameters"])
    inputs = np.load(job["inputs"])
    with open(job["results"], "a") as results:
        def record(**entry):
            results.write(json.dumps(entry) + "\n")
            results.flush()

        mmio.heartbeat_cycles = job.get("heartbeat_cycles", 0)
        for index, net in enumerate(job["networks"]):
            mmio.base = net["dram_base"]
            await reset(dut, *net["stall"], dram_base=mmio.base)
            driver = Driver(mmio, mmio.base + net["base"], net["window_bytes"])
            images = inputs[f"n{index}"]
            if net["faults"]:  # a clean run first: the faults' times are fractions of its cycles
                pristine = await mmio.read_memory(driver.base, driver.size)
                reference = await guarded_run(driver, mmio, net, images[0])
                for fault in net["faults"]:
                    result = await run_fault(driver, mmio, net, images[0], fault, reference.cycles,
                                             pristine)
                    record(network=index, fault=result)
                    assert result["recovered"], f"the soft reset after {fault} never finished"
            for image in images:
                mmio.wait_seconds, mmio.wait_cpu_seconds, started = 0.0, 0.0, time.perf_counter()
                mmio.heartbeat = Heartbeat(driver, mmio, lambda **entry: record(network=index, **entry))
                try:
                    result = await guarded_run(driver, mmio, net, image, net["layers"])
                except AcceleratorError as error:  # the job ends: run_batch raises it
                    record(network=index, error=str(error))
                    return
                result.run_seconds = time.perf_counter() - started
                result.simulation_seconds = mmio.wait_seconds
                result.simulation_cpu_seconds = mmio.wait_cpu_seconds
                stats = {k: v for k, v in result.__dict__.items() if k != "output"}
                # Regions to read back after each run (intermediate tensors, for debugging).
                stats["dump"] = {name: (await mmio.read_memory(driver.base + offset, size)).hex()
                                 for name, offset, size in net["dump"]}
                record(network=index, run=stats, output=result.output.hex())


class Heartbeat:
    """Progress of one run while it goes: the cycles so far, the layer the controller is on and
    the cycle counts of the layers finished since the last beat (the per-layer counters are
    written as each layer ends; those of later layers still hold an older run's)."""

    def __init__(self, driver: Driver, mmio: SimMmio, record):
        self.driver, self.mmio, self.record, self.reported = driver, mmio, record, 0
        self.started = time.perf_counter()

    async def __call__(self, cycles: int) -> None:
        layer = self.mmio.layer()
        finished = []
        for index in range(self.reported, layer or 0):
            await self.driver.write("LAYER_SELECT", index)
            finished.append([index, await self.driver.read64("LAYER_CYCLES")])
        self.reported = max(self.reported, layer or 0)
        self.record(progress={"cycles": cycles, "layer": layer, "layer_cycles": finished,
                              "seconds": round(time.perf_counter() - self.started, 1)})


async def start(dut) -> None:
    """Start the clock and reset tessel_sim_top."""
    cocotb.start_soon(Clock(dut.clk_i, CLOCK_NS, unit="ns").start())
    dut.rst_i.value = 1
    await ClockCycles(dut.clk_i, 4)
    dut.rst_i.value = 0


async def reset(dut, stall_percent: int, latency: int, seed: int,
                dram_base: int | None = None) -> None:
    """Reset tessel_sim_top with these memory stalls (and the memory's window moved to
    dram_base, its contents with it): what follows runs as if it came first."""
    mem = dut.u_mem
    await FallingEdge(dut.clk_i)
    mem.stall_pct.value, mem.latency.value, mem.seed.value = stall_percent, latency, seed
    if dram_base is not None:
        mem.base.value = dram_base
    dut.rst_i.value = 1
    await ClockCycles(dut.clk_i, 4)
    dut.rst_i.value = 0


async def guarded_run(driver: Driver, mmio: SimMmio, net: dict, image, layers: int = 0):
    """One run that must stay inside its window (the memory model counts bursts outside)."""
    mmio.guard(driver.base, driver.size)
    result = await driver.run(net["input_offset"], image.tobytes(), net["output_offset"],
                              net["output_bytes"], layers)
    escapes = mmio.escapes()
    assert not escapes["reads"] + escapes["writes"], f"a burst outside the DMA window: {escapes}"
    return result


async def run_fault(driver: Driver, mmio: SimMmio, net: dict, image, fault: dict,
                    reference_cycles: int, pristine: bytes) -> dict:
    """One run with a fault, then a soft reset and a clean run of the same image. Kinds:
    corrupt  program bytes XORed (`flips`: [[offset, mask]...], or `offset`, `xor`); after the
             run the whole window is rewritten from `pristine` (its contents before any run): a
             corrupted record may have sent a layer's output over weights or the program
    window   a DMA window of `bytes` only
    axi      the memory answers `resp` (2 SLVERR, 3 DECERR) to the first burst touching window
             offset `offset` (`write`: a write burst)
    reset    a soft reset `at` (a fraction of the clean run's cycles) after START
    stall    the memory stalls `percent` of cycles for `cycles` cycles from `at`
    The watchdog gives a fault run 20 times the clean run's cycles (at least 100,000).
    Returns the fault with: error (the driver's error name, None, TIMEOUT or ABORTED), output
    (hex, when the run completed), bytes_written (BYTES_WRITTEN when an error stopped it), escapes (bursts outside the window until the soft reset
    ended), fired (axi),
    progressing (TIMEOUT: the accelerator was still moving data), recovered (the soft reset
    ended), clean (hex output of the clean run after)."""
    mem, result = mmio.dut.u_mem, {}
    flips = fault.get("flips") or ([[fault["offset"], fault["xor"]]] if fault["kind"] == "corrupt" else [])
    beats = {}  # each beat read and written once: a write to the model is seen a step later
    for offset, mask in flips:
        address = driver.base + offset
        start = address - (address - mmio.base) % mmio.beat
        if start not in beats:
            beats[start] = bytearray(await mmio.read_memory(start, mmio.beat))
        beats[start][address - start] ^= mask
    for start, word in beats.items():
        await mmio.write_memory(start, bytes(word))
    size = driver.size
    if fault["kind"] == "window":
        driver.size = fault["bytes"]
    if fault["kind"] == "axi":
        mem.err_addr.value, mem.err_resp.value = driver.base + fault["offset"], fault["resp"]
        mem.err_write.value, mem.err_armed.value = int(fault["write"]), 1
    if fault["kind"] == "reset":
        mmio.abort_after = int(fault["at"] * reference_cycles)
    stall = cocotb.start_soon(long_stall(mem, int(fault["at"] * reference_cycles), fault["cycles"],
                                         fault["percent"])) if fault["kind"] == "stall" else None
    mmio.guard(driver.base, driver.size)
    timeout, mmio.timeout = mmio.timeout, min(mmio.timeout, max(100_000, 20 * reference_cycles))
    try:
        run = await driver.run(net["input_offset"], image.tobytes(), net["output_offset"],
                               net["output_bytes"])
        result.update(error=None, output=run.output.hex())
    except AcceleratorError as error:
        result.update(error=error.name, code=error.code, address=error.address, message=str(error),
                      bytes_written=await driver.read64("BYTES_WRITTEN"))
    except AcceleratorTimeout:
        result.update(error="TIMEOUT", progressing=await progressing(driver))
    except RunAborted:
        result.update(error="ABORTED")
    mmio.abort_after, mmio.timeout, driver.size = None, timeout, size
    if stall is not None:
        await stall
    if fault["kind"] == "axi":
        result["fired"] = not int(mem.err_armed.value)
        mem.err_armed.value = 0
    if flips:
        await mmio.write_memory(driver.base, pristine)
    result["recovered"] = await soft_reset(driver)
    result["escapes"] = mmio.escapes()  # the run and the drain after it
    if not result["recovered"]:  # the accelerator is stuck: nothing after this run means anything
        return {**fault, **result}
    result["clean"] = (await guarded_run(driver, mmio, net, image)).output.hex()
    return {**fault, **result}


async def long_stall(mem, at: int, cycles: int, percent: int) -> None:
    # Change the memory's stalls between clock edges: a change at an edge races the DUT.
    await Timer(max(1, at) * CLOCK_NS, unit="ns")
    await FallingEdge(mem.clk_i)
    normal, mem.stall_pct.value = int(mem.stall_pct.value), percent
    await Timer(max(1, cycles) * CLOCK_NS, unit="ns")
    await FallingEdge(mem.clk_i)
    mem.stall_pct.value = normal


async def progressing(driver: Driver, cycles: int = 50_000) -> bool:
    """After a timeout: does the accelerator still move data (a long run, not a hang)?"""
    names = ("BYTES_READ", "BYTES_WRITTEN")
    before = [await driver.read64(n) for n in names]
    await Timer(cycles * CLOCK_NS, unit="ns")
    return before != [await driver.read64(n) for n in names]


async def soft_reset(driver: Driver) -> bool:
    """Driver.soft_reset: False if STATUS.BUSY never falls."""
    try:
        await driver.soft_reset()
    except AcceleratorTimeout:
        return False
    return True
