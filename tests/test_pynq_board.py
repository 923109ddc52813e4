"""The PYNQ backend without a board or a simulator: the fake PYNQ (tb/top/fake_pynq) in front of
a Python stand-in for the accelerator. tb/top/test_pynq.py runs the same code on the RTL."""

import asyncio
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel.paths import REPO_ROOT
from tessel.register_map import load
from tessel.runtime.driver import AcceleratorTimeout, window_bytes
from tessel.runtime.pynq_board import BoardOptions, run_images

REGS = load()


class StandIn:
    """Registers in a dict and a bytearray of memory at `base`. START with `finishes` writes
    `pattern` at WIN_BASE + `output_offset` (the accelerator's writes go to DRAM, behind the
    CPU's caches) and sets IRQ_STATUS.DONE; without, the run never ends (STATUS.BUSY)."""

    base, size = 0x4000_0000, 0x80_0000

    def __init__(self, config, finishes=True, output_offset=0, pattern=b""):
        self.regs = {p.offset: v for p, v in zip(REGS.parameters, REGS.parameter_values(config).values())}
        self.regs[REGS.offset("ID")] = REGS.id
        self.memory = bytearray(self.size)
        self.finishes, self.output_offset, self.pattern = finishes, output_offset, pattern
        self.at_start = None  # the memory when START was written

    def read32(self, offset):
        return self.regs.get(offset, 0)

    def write32(self, offset, value):
        if offset == REGS.offset("IRQ_STATUS"):
            self.regs[offset] = self.regs.get(offset, 0) & ~value
        elif offset == REGS.offset("CTRL") and value & 1:
            self.at_start = bytes(self.memory)
            self.regs[REGS.offset("STATUS")] = 1  # BUSY
            if self.finishes:
                out = self.reg64("WIN_BASE") - self.base + self.output_offset
                self.memory[out:out + len(self.pattern)] = self.pattern
                self.regs[REGS.offset("STATUS")] = 2  # DONE
                self.regs[REGS.offset("IRQ_STATUS")] = 1
                self.regs[REGS.offset("CYCLES")] = 1234
        elif offset == REGS.offset("CTRL") and value & 2:
            self.regs[REGS.offset("STATUS")] = 0
        else:
            self.regs[offset] = value

    def reg64(self, name):
        low, high = REGS[name].words
        return self.regs.get(low, 0) | self.regs.get(high, 0) << 32

    def write_memory(self, address, data):
        self.memory[address - self.base:address - self.base + len(data)] = data

    def read_memory(self, address, size):
        return bytes(self.memory[address - self.base:address - self.base + size])

    async def wait_irq(self):
        if not self.regs.get(REGS.offset("IRQ_STATUS")):
            await asyncio.sleep(3600)


@pytest.fixture(scope="module")
def network():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3)).eval()
    return tessel.compile(model, torch.randn(8, 1, 8, 8), target="zcu104")


@pytest.fixture
def fake_pynq(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO_ROOT / "tb" / "top" / "fake_pynq"))
    monkeypatch.delitem(sys.modules, "pynq", raising=False)
    import pynq
    for name in ("tessel.bit", "tessel.hwh"):
        (tmp_path / name).write_bytes(b"")
    return pynq


def test_missing_pynq_is_a_clear_error(network, monkeypatch):
    monkeypatch.setitem(sys.modules, "pynq", None)  # import pynq fails, as off the board
    x = np.zeros((1, 1, 8, 8), np.uint8)
    with pytest.raises(tessel.BackendError, match="needs the pynq package, which runs on the board"):
        network.predict(x, backend="pynq", bitfile="tessel.bit")
    with pytest.raises(tessel.BackendError, match="no option bitfle; it takes bitfile, ip"):
        network.predict(x, backend="pynq", bitfle="tessel.bit")
    with pytest.raises(tessel.BackendError, match="'golden' has no option bitfile"):
        network.predict(x, backend="golden", bitfile="tessel.bit")


def test_cli_without_pynq_fails_before_compiling():
    out = subprocess.run([sys.executable, "-m", "tessel.cli", "run", "digits", "--backend", "pynq",
                          "--bitfile", "nowhere.bit"], capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "needs the pynq package" in out.stderr


def test_the_window_is_relocated_flushed_and_invalidated(network, fake_pynq, tmp_path):
    ex = network.executable
    pattern = bytes(range(1, ex.output_bytes + 1))
    device = StandIn(network.config, output_offset=ex.memory["output"].offset, pattern=pattern)
    fake_pynq.attach(device)
    x = network.quantize_input(torch.randn(1, 1, 8, 8))
    out, stats = run_images(ex, x, BoardOptions(bitfile=str(tmp_path / "tessel.bit")))
    (_, base, size), = [e for e in fake_pynq.log if e[0] == "allocate"]
    window = window_bytes(ex.memory.size)
    assert base != device.base and size == window
    # Program data addresses are offsets from WIN_BASE; PROG_BASE is absolute: both the buffer.
    assert device.reg64("WIN_BASE") == device.reg64("PROG_BASE") == base
    assert device.reg64("WIN_LIMIT") == base + window
    # Flushed before START: the device memory held the image and the input at the buffer.
    at = base - device.base
    assert device.at_start[at:at + len(ex.image)] == ex.image
    at += ex.memory["input"].offset
    assert device.at_start[at:at + len(ex.input_bytes(x[0]))] == ex.input_bytes(x[0])
    # Invalidated before reading: the output is what the device wrote, not the CPU's stale copy.
    np.testing.assert_array_equal(out[0], ex.output_from_bytes(pattern))
    assert stats[0]["cycles"] == 1234


@pytest.mark.parametrize("interrupt", [True, False], ids=["interrupt", "polled"])
def test_a_run_that_never_ends_times_out(network, fake_pynq, tmp_path, interrupt):
    fake_pynq.attach(StandIn(network.config, finishes=False), interrupt=interrupt)
    x = np.zeros((1, 1, 8, 8), np.uint8)
    what = "no interrupt" if interrupt else "IRQ_STATUS still 0"
    with pytest.raises(AcceleratorTimeout, match=f"{what} 0.2 s after START: STATUS reads 0x1 .BUSY."):
        run_images(network.executable, x, BoardOptions(bitfile=str(tmp_path / "tessel.bit"), timeout_s=0.2))


def test_inside_a_running_event_loop(network, fake_pynq, tmp_path):
    """In a notebook an event loop already runs: the run polls from a worker thread."""
    ex = network.executable
    fake_pynq.attach(StandIn(network.config, output_offset=ex.memory["output"].offset,
                             pattern=bytes(ex.output_bytes)))

    async def notebook_cell():
        x = np.zeros((2, 1, 8, 8), np.uint8)
        return run_images(ex, x, BoardOptions(bitfile=str(tmp_path / "tessel.bit")))
    out, stats = asyncio.run(notebook_cell())
    assert out.shape == (2, *ex.output_shape) and len(stats) == 2


def test_board_files_and_ip_name_are_checked(network, fake_pynq, tmp_path):
    fake_pynq.attach(StandIn(network.config))
    x = np.zeros((1, 1, 8, 8), np.uint8)
    with pytest.raises(tessel.BackendError, match="other.hwh not found"):
        (tmp_path / "other.bit").write_bytes(b"")
        run_images(network.executable, x, BoardOptions(bitfile=str(tmp_path / "other.bit")))
    with pytest.raises(tessel.BackendError, match="has no IP 'tessel_0'; its IPs: accel"):
        run_images(network.executable, x, BoardOptions(bitfile=str(tmp_path / "tessel.bit"), ip="tessel_0"))
