"""Runs inside the simulator (a cocotb test module): the driver against the RTL.

The job file ($TESSEL_JOB) names the input images (already in the bytes the accelerator reads)
and where they and the outputs go; the DRAM image is preloaded by the memory model (+dram).
Python only programs registers and waits for the interrupt: the run itself is all C++.
"""

import json
import os
import time

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, First, RisingEdge, Timer
from cocotbext.axi import AxiLiteBus, AxiLiteMaster

from tessel.runtime.driver import AcceleratorError, Driver

CLOCK_NS = 10


class SimMmio:
    """Registers through an AXI4-Lite master; DRAM words straight from the memory model."""

    def __init__(self, dut, timeout_cycles: int):
        self.dut = dut
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk_i, dut.rst_i)
        self.mem = dut.u_mem.mem
        self.beat = len(dut.u_mem.s_axi_rdata) // 8
        self.base = int(dut.u_mem.Base.value)
        self.timeout = timeout_cycles
        self.wait_seconds = 0.0  # wall time spent waiting for interrupts (the simulation itself)

    async def read32(self, offset: int) -> int:
        return await self.axil.read_dword(offset)

    async def write32(self, offset: int, value: int) -> None:
        await self.axil.write_dword(offset, value)

    async def wait_irq(self) -> None:
        start = time.perf_counter()
        try:
            await self._wait_irq()
        finally:
            self.wait_seconds += time.perf_counter() - start

    async def _wait_irq(self) -> None:
        if not self.dut.irq_o.value:
            # A Timer, not ClockCycles: counting cycles would run Python on every clock edge.
            timer = Timer(self.timeout * CLOCK_NS, unit="ns")
            if await First(RisingEdge(self.dut.irq_o), timer) is timer:
                raise TimeoutError(f"no interrupt after {self.timeout:,} cycles: {self.where()}")

    def where(self) -> str:
        """Where the controller is, for a run that does not finish."""
        ctrl, core = self.dut.u_top.u_ctrl, self.dut.u_top.u_core
        try:
            return (f"controller state {int(ctrl.state_q.value)} layer {int(ctrl.layer_q.value)} "
                    f"tile {int(ctrl.tile_q.value)} (band {int(ctrl.band_q.value)}, block "
                    f"{int(ctrl.block_q.value)}), DMA busy {int(self.dut.u_top.u_dma.busy_o.value)}; "
                    f"core active {int(core.active_q.value)}, sequencer busy "
                    f"{int(core.u_seq.running_q.value)}, passes in flight {int(core.inflight_q.value)}, "
                    f"block waiting {int(core.block_valid.value)}, PPU loading "
                    f"{int(core.u_ppu.loading_q.value)}")
        except (AttributeError, ValueError) as error:
            return f"controller state unreadable ({error})"

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
    driver = Driver(mmio, mmio.base, job["window_bytes"])
    await driver.check_build(job["build_parameters"])
    inputs = np.load(job["inputs"])
    faults = [await run_fault(driver, mmio, job, inputs[0], fault) for fault in job.get("faults", [])]
    outputs, stats = [], []
    for image in inputs:
        mmio.wait_seconds, started = 0.0, time.perf_counter()
        result = await driver.run(job["input_offset"], image.tobytes(), job["output_offset"],
                                  job["output_bytes"], job["layers"])
        result.run_seconds = time.perf_counter() - started
        result.simulation_seconds = mmio.wait_seconds
        outputs.append(np.frombuffer(result.output, np.uint8))
        stats.append({k: v for k, v in result.__dict__.items() if k != "output"})
        # Regions to read back after each run (intermediate tensors, for debugging).
        stats[-1]["dump"] = {name: (await mmio.read_memory(mmio.base + offset, size)).hex()
                             for name, offset, size in job.get("dump", [])}
    np.save(job["outputs"], np.stack(outputs))
    with open(job["stats"], "w") as f:
        json.dump({"runs": stats, "faults": faults}, f)


async def start(dut) -> None:
    """Start the clock and reset tessel_sim_top."""
    cocotb.start_soon(Clock(dut.clk_i, CLOCK_NS, unit="ns").start())
    dut.rst_i.value = 1
    await ClockCycles(dut.clk_i, 4)
    dut.rst_i.value = 0


async def run_fault(driver: Driver, mmio: SimMmio, job: dict, image, fault: dict) -> dict:
    """One run with a fault: corrupted program bytes (restored after) or a smaller window.
    Returns the error the driver raised; then a soft reset leaves the accelerator clean."""
    saved = None
    if fault["kind"] == "corrupt":
        address = mmio.base + fault["offset"]
        start = address - (address - mmio.base) % mmio.beat
        saved = (start, await mmio.read_memory(start, mmio.beat))
        word = bytearray(saved[1])
        word[address - start] ^= fault["xor"]
        await mmio.write_memory(start, bytes(word))
    size = driver.size
    if fault["kind"] == "window":
        driver.size = fault["bytes"]
    try:
        await driver.run(job["input_offset"], image.tobytes(), job["output_offset"], job["output_bytes"])
        result = {"error": None}
    except AcceleratorError as error:
        result = {"error": error.name, "code": error.code, "address": error.address, "message": str(error)}
    driver.size = size
    if saved is not None:
        await mmio.write_memory(*saved)
    await driver.soft_reset()
    return {**fault, **result}
