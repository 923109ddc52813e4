"""The board backend: the accelerator on a ZCU104 under PYNQ 3.x, through the same driver.

The bitstream (a .bit with its .hwh beside it, from the FuseSoC target zcu104) holds the
accelerator as one IP, `accel` in fpga/zcu104/tessel_zcu104_bd.tcl: its registers on a PS
master port, its DMA master on an HP port and its interrupt pin `irq` on the PS. The DMA window
is one physically contiguous buffer (`pynq.allocate`): its physical address becomes WIN_BASE
and PROG_BASE (the program is the window's first byte) and every data address in the program
is an offset from WIN_BASE, so the compiled image is copied in unchanged. The HP ports do not
snoop the CPU's caches: the buffer is flushed before a register write that may start the
accelerator and invalidated before it is read. `pynq` exists on the board only and is imported
here, on first use.
"""

import asyncio
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..backend.program import build_parameters
from ..errors import BackendError, TesselError
from ..register_map import RegisterMap, load
from .driver import AcceleratorError, AcceleratorTimeout, Driver, window_bytes


@dataclass(frozen=True)
class BoardOptions:
    bitfile: str = "tessel.bit"   # the bitstream; PYNQ reads the .hwh of the same name beside it
    ip: str = "accel"             # the accelerator's cell in the block design (tessel_shell)
    irq: str = "irq"              # its interrupt pin: an attribute of the IP when wired to the PS
    timeout_s: float = 10.0       # per image, from START to the interrupt


def require_pynq():
    """The pynq module, or a BackendError that says where it runs."""
    try:
        import pynq
    except ImportError as error:
        raise BackendError(f"the PYNQ backend needs the pynq package, which runs on the board "
                           f"(a ZCU104 with the PYNQ 3 image); here, use backend='verilator' "
                           f"({error})") from None
    return pynq


class PynqMmio:
    """The driver's Mmio over PYNQ: registers through the IP's MMIO, the DMA window in a
    contiguous buffer, the end of a run through PYNQ's asyncio interrupt (else polled)."""

    def __init__(self, ip, buffer, irq=None, timeout_s: float = 10.0,
                 registers: RegisterMap | None = None):
        self.ip, self.buffer, self.irq, self.timeout_s = ip, buffer, irq, timeout_s
        self.base = int(buffer.physical_address)
        registers = registers or load()
        self.status, self.irq_status = registers["STATUS"], registers["IRQ_STATUS"]
        self.dirty = False  # the CPU wrote the buffer since the last flush

    async def read32(self, offset: int) -> int:
        return self.ip.mmio.read(offset)

    async def write32(self, offset: int, value: int) -> None:
        self._flush()  # this write may start the accelerator: its DMA must see the CPU's writes
        self.ip.mmio.write(offset, value)

    async def write_memory(self, address: int, data: bytes) -> None:
        start = self._index(address, len(data))
        self.buffer[start:start + len(data)] = np.frombuffer(bytes(data), np.uint8)
        self.dirty = True

    async def read_memory(self, address: int, size: int) -> bytes:
        start = self._index(address, size)
        self._flush()                    # an invalidate would drop CPU writes not yet flushed
        self.buffer.sync_from_device()   # the accelerator wrote behind the CPU's caches
        return self.buffer[start:start + size].tobytes()

    def _flush(self) -> None:
        if self.dirty:
            self.buffer.sync_to_device()
            self.dirty = False

    def _index(self, address: int, size: int) -> int:
        """Bus address -> index in the buffer (the driver speaks bus addresses)."""
        start = address - self.base
        if start < 0 or start + size > self.buffer.nbytes:
            raise TesselError(f"{size} bytes at {address:#x} are outside the DMA window buffer "
                              f"[{self.base:#x}, {self.base + self.buffer.nbytes:#x})")
        return start

    async def wait_irq(self) -> None:
        if self.irq is not None:
            try:
                await asyncio.wait_for(self.irq.wait(), self.timeout_s)
            except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
                raise self._timeout("no interrupt") from None
            return
        # No interrupt wired to the PS: poll its causes (the interrupt is IRQ_EN and their OR).
        deadline = time.monotonic() + self.timeout_s
        while not self.ip.mmio.read(self.irq_status.offset) & self.irq_status.mask("w1c"):
            if time.monotonic() > deadline:
                raise self._timeout("IRQ_STATUS still 0")
            await asyncio.sleep(0)

    def _timeout(self, what: str) -> AcceleratorTimeout:
        status = self.ip.mmio.read(self.status.offset)
        flags = ", ".join(f.name for f in self.status.fields if status & f.mask) or "idle"
        return AcceleratorTimeout(f"{what} {self.timeout_s} s after START: STATUS reads "
                                  f"{status:#x} ({flags})")


class Board:
    """The accelerator on the board: the overlay (opening it downloads the bitstream) and a
    DMA window buffer, reused by every run that fits in it."""

    def __init__(self, options: BoardOptions = BoardOptions()):
        self.pynq = require_pynq()
        bitfile = Path(options.bitfile)
        for path in (bitfile, bitfile.with_suffix(".hwh")):
            if not path.is_file():
                raise BackendError(f"{path} not found: the PYNQ backend needs the bitstream and "
                                   f"its .hwh side by side (docs/runtime.md, 'The board')")
        # PYNQ hooks its interrupt reader to this thread's event loop when the IP is opened
        # (pynq/uio.py), so every wait for the interrupt must run on that loop.
        self.loop = _thread_loop()
        self.overlay = self.pynq.Overlay(str(bitfile))
        if options.ip not in self.overlay.ip_dict:
            raise BackendError(f"{bitfile} has no IP {options.ip!r}; its IPs: "
                               f"{', '.join(sorted(self.overlay.ip_dict))}")
        self.ip = getattr(self.overlay, options.ip)
        self.options, self.key, self.buffer, self.registers = options, _key(options), None, load()

    def window(self, size: int):
        """A contiguous buffer of at least `size` bytes."""
        if self.buffer is None or self.buffer.nbytes < size:
            if self.buffer is not None:
                self.buffer.freebuffer()
            self.buffer = self.pynq.allocate((size,), dtype=np.uint8)
        return self.buffer

    def run(self, executable, images_u8: np.ndarray):
        """uint8 images (N, C, H, W) -> (outputs (N, C, H, W), per-image stats)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.loop.run_until_complete(self.run_async(executable, images_u8))
        # A loop already runs in this thread (a notebook): it cannot be waited on from inside,
        # so the run goes to a worker thread with its own loop and polls for each end.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, self.run_async(executable, images_u8, poll=True)).result()

    async def run_async(self, executable, images_u8: np.ndarray, poll: bool = False):
        """As run(), for a caller on this thread's event loop (`await` in a notebook)."""
        ex = executable
        window = window_bytes(ex.memory.size)
        buffer = self.window(window)
        base = int(buffer.physical_address)
        if base + window > 1 << ex.config.axi.addr_width:
            raise BackendError(f"the DMA window buffer at {base:#x} is beyond the accelerator's "
                               f"{ex.config.axi.addr_width}-bit addresses (axi.addr_width)")
        irq = None if poll else getattr(self.ip, self.options.irq, None)  # absent if not wired
        mmio = PynqMmio(self.ip, buffer, irq, self.options.timeout_s, self.registers)
        driver = Driver(mmio, base, window, self.registers)
        await driver.check_build(build_parameters(ex.config))
        await driver.load_image(ex.image, ex.image_crc32)
        outputs, stats = [], []
        for x in images_u8:
            started = time.perf_counter()
            try:
                result = await driver.run(ex.memory["input"].offset, ex.input_bytes(x),
                                          ex.memory["output"].offset, ex.output_bytes, len(ex.layers))
            except AcceleratorError:
                await driver.soft_reset()  # the error is held until a soft reset: leave it clean
                raise
            outputs.append(ex.output_from_bytes(result.output))
            stats.append({**{k: v for k, v in vars(result).items() if k != "output"},
                          "run_seconds": time.perf_counter() - started, "backend": "pynq"})
        return np.stack(outputs), stats


_board: Board | None = None  # the PL holds one bitstream: the overlay opened last


def open_board(options: BoardOptions | None = None) -> Board:
    """The board for these options; the bitstream is downloaded once per process and kept."""
    global _board
    options = options or BoardOptions()
    if _board is None or _board.key != _key(options):
        _board = Board(options)
    _board.options = options  # irq and timeout may change without a download
    return _board


def run_images(executable, images_u8: np.ndarray, options: BoardOptions | None = None):
    """Run uint8 images (N, C, H, W) on the board; returns (outputs (N, C, H, W), per-image
    stats) as runtime.simulation.run_images does. Errors raise AcceleratorError (decoded from
    ERR_CODE / ERR_ADDR), a run without an end AcceleratorTimeout."""
    return open_board(options).run(executable, images_u8)


def _key(options: BoardOptions) -> tuple:
    return str(Path(options.bitfile).resolve()), options.ip


def _thread_loop() -> asyncio.AbstractEventLoop:
    """This thread's event loop (made and set if it has none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # get_event_loop() without a loop
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:  # not the main thread, after asyncio.run(), or Python >= 3.14
            loop = None
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    return loop
