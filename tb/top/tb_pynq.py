"""Runs inside the simulator: the PYNQ backend (tessel.runtime.pynq_board), unchanged, on a fake
PYNQ (fake_pynq/) whose MMIO, buffers and interrupt are this simulation of tessel_top.

The board code is synchronous and runs in a thread (cocotb.task.bridge); the fake calls back into
the simulation with cocotb.task.resume, through the Verilator backend's own SimMmio. The job ($TESSEL_JOB,
written by test_pynq.py) names the pickled network, the images and where the results go; the
pytest side compares them with the golden model.
"""

import json
import os
import pickle
import sys
from pathlib import Path

import cocotb
import numpy as np
from cocotb.task import bridge, resume

from tessel.runtime.driver import AcceleratorError
from tessel.runtime.pynq_board import BoardOptions, run_images
from tessel.runtime.sim_job import SimMmio, start

sys.path.insert(0, str(Path(__file__).parent / "fake_pynq"))
import pynq  # noqa: E402  (the fake)


class SimDevice:
    """The fake PYNQ's hardware: this simulation, called from the board code's thread."""

    def __init__(self, mmio: SimMmio, size: int):
        self.mmio, self.base, self.size = mmio, mmio.base, size

    def read32(self, offset: int) -> int:
        return resume(self.mmio.read32)(offset)

    def write32(self, offset: int, value: int) -> None:
        resume(self.mmio.write32)(offset, value)

    def write_memory(self, address: int, data: bytes) -> None:
        resume(self.mmio.write_memory)(address, data)

    def read_memory(self, address: int, size: int) -> bytes:
        return resume(self.mmio.read_memory)(address, size)

    async def wait_irq(self) -> None:
        try:
            resume(self.mmio.wait_irq)()  # blocks this thread while the simulation runs
        except TimeoutError as error:  # the simulation's own limit: say where the controller is
            raise RuntimeError(f"simulation: {error}") from None


@cocotb.test()
async def pynq_board(dut):
    job = json.loads(Path(os.environ["TESSEL_JOB"]).read_text())
    await start(dut)
    pynq.attach(SimDevice(SimMmio(dut, job["timeout_cycles"]), job["mem_bytes"]))
    results = await bridge(board_session)(job)
    np.save(job["outputs"], results.pop("outputs"))
    np.save(job["polled_outputs"], results.pop("polled_outputs"))
    Path(job["results"]).write_text(json.dumps({**results, "log": pynq.log}))


def board_session(job: dict) -> dict:
    """What a user on the board does, in this order: a corrupted program (the error, decoded),
    then real images with the interrupt (through CompiledNetwork.predict_int), then images on
    an overlay whose interrupt is not wired to the PS (polled)."""
    with open(job["networks"], "rb") as f:
        networks = pickle.load(f)
    network, corrupted = networks["network"], networks["corrupted"]
    x = np.load(job["inputs"])
    options = BoardOptions(bitfile=job["bitfile"], timeout_s=job["timeout_s"])
    try:
        run_images(corrupted, x[:1], options)
        fault = None
    except AcceleratorError as error:
        fault = {"name": error.name, "code": error.code, "address": error.address, "message": str(error)}
    outputs = network.predict_int(x, backend="pynq", bitfile=job["bitfile"], timeout_s=job["timeout_s"])
    stats = network.last_run_stats
    pynq.interrupt_connected = False
    polled, polled_stats = run_images(network.executable, x[:job["polled_images"]],
                                      BoardOptions(bitfile=job["polled_bitfile"], timeout_s=job["timeout_s"]))
    return {"fault": fault, "outputs": outputs, "stats": stats, "polled_outputs": polled,
            "polled_stats": polled_stats}
