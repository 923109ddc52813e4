"""A fake PYNQ, for tests only: the PYNQ 3 calls that tessel.runtime.pynq_board makes (Overlay,
allocate, an IP's mmio and interrupt, a buffer's cache maintenance), forwarded to a device
instead of a board. tb/top/tb_pynq.py attaches the cocotb simulation of tessel_top; the unit
tests attach a Python stand-in. Put tb/top/fake_pynq on sys.path and `import pynq`.

A device has blocking read32(offset), write32(offset, value), write_memory(address, data) and
read_memory(address, size), a coroutine wait_irq() (returns when the interrupt is high), and
`base`, `size`: the bus addresses of its memory.

Buffers model what the board's caches do to the accelerator: the numpy array is the CPU's view,
the device memory is DRAM. sync_to_device writes back only the cache lines the CPU changed,
sync_from_device replaces the CPU's view (unflushed CPU writes are lost, as on the board).
Buffers are placed the way a CMA allocator would, one after the other from 2 MB into the
device's memory, not at its base: a test then proves that the driver relocates the window.
"""

from pathlib import Path

import numpy as np

IP_NAME = "accel"         # the accelerator's cell and interrupt pin in the block design
IRQ_PIN = "irq"           # (fpga/zcu104/tessel_zcu104_bd.tcl)
LINE = 64                 # bytes per cache line (Cortex-A53)
PAGE = 4096
CMA_OFFSET = 0x20_0000

device = None                 # what the fake board forwards to (attach)
interrupt_connected = True    # whether the next Overlay's IP has its interrupt wired to the PS
log = []                      # what the board code did: ("overlay", path), ("allocate", address,
                              # bytes), ("flush", bytes written), ("invalidate", bytes),
                              # ("interrupt", pin) for each wait
_next_address = None


def attach(dev, interrupt: bool = True) -> None:
    """Forward everything to `dev` from now on; forget earlier buffers and the log."""
    global device, interrupt_connected, _next_address
    device, interrupt_connected, _next_address = dev, interrupt, None
    log.clear()


class MMIO:
    def __init__(self, base_addr: int, length: int):
        self.base_addr, self.length = base_addr, length

    def read(self, offset: int = 0, length: int = 4) -> int:
        assert length == 4 and offset % 4 == 0 and offset < self.length, (offset, length)
        return device.read32(offset)

    def write(self, offset: int, data: int) -> None:
        assert offset % 4 == 0 and offset < self.length and 0 <= int(data) < 1 << 32, (offset, data)
        device.write32(offset, int(data))


class Interrupt:
    def __init__(self, pinname: str):
        self.pinname = pinname

    async def wait(self) -> None:
        log.append(("interrupt", self.pinname))
        await device.wait_irq()


class DefaultIP:
    def __init__(self, description: dict):
        self.mmio = MMIO(description["phys_addr"], description["addr_range"])
        for pin, details in description["interrupts"].items():
            setattr(self, pin, Interrupt(details["fullpath"]))

    def read(self, offset: int = 0) -> int:
        return self.mmio.read(offset)

    def write(self, offset: int, value: int) -> None:
        self.mmio.write(offset, value)


class Overlay:
    def __init__(self, bitfile_name: str, download: bool = True):
        if device is None:
            raise RuntimeError("fake pynq: no device attached (pynq.attach)")
        if not Path(bitfile_name).is_file():
            raise IOError(f"Bitstream file {bitfile_name} does not exist.")
        interrupts = {IRQ_PIN: {"controller": "", "index": 0,  # straight to pl_ps_irq0
                                "fullpath": f"{IP_NAME}/{IRQ_PIN}"}} if interrupt_connected else {}
        self.ip_dict = {IP_NAME: {"phys_addr": 0xA000_0000, "addr_range": 0x1000,
                                  "type": "module_ref:tessel_shell:1.0", "interrupts": interrupts}}
        self._ip = DefaultIP(self.ip_dict[IP_NAME])
        log.append(("overlay", str(bitfile_name)))

    def __getattr__(self, name: str):
        if name in self.__dict__.get("ip_dict", {}):
            return self._ip
        raise AttributeError(f"Could not find IP or hierarchy {name} in overlay")


class PynqBuffer(np.ndarray):
    """A numpy array with the board buffer's address and cache maintenance."""

    def sync_to_device(self) -> None:
        data = self._lines()
        changed = np.ones(len(data) // LINE, bool) if self._device is None else \
            (data != self._device).reshape(-1, LINE).any(axis=1)
        for first, last in _runs(np.flatnonzero(changed)):
            device.write_memory(self.physical_address + first * LINE,
                                data[first * LINE:last * LINE].tobytes())
        self._device = data
        log.append(("flush", int(changed.sum()) * LINE))

    def sync_from_device(self) -> None:
        data = np.frombuffer(device.read_memory(self.physical_address, self._padded), np.uint8)
        self.view(np.uint8).reshape(-1)[:] = data[:self.nbytes]
        self._device = data.copy()
        log.append(("invalidate", self._padded))

    flush, invalidate = sync_to_device, sync_from_device

    def freebuffer(self) -> None:
        log.append(("free", self.physical_address))

    close = freebuffer

    @property
    def _padded(self) -> int:
        return -(-self.nbytes // LINE) * LINE

    def _lines(self) -> np.ndarray:
        data = np.zeros(self._padded, np.uint8)
        data[:self.nbytes] = np.frombuffer(self.tobytes(), np.uint8)
        return data


def allocate(shape, dtype="u4", target=None, **kwargs) -> PynqBuffer:
    global _next_address
    buffer = np.zeros(shape, dtype).view(PynqBuffer)
    address = _next_address or device.base + CMA_OFFSET
    _next_address = address + -(-buffer.nbytes // PAGE) * PAGE
    if _next_address > device.base + device.size:
        raise RuntimeError(f"fake pynq: {buffer.nbytes} bytes do not fit the device's memory")
    buffer.physical_address = buffer.device_address = address
    buffer._device = None  # what the device memory holds, as far as the CPU knows
    log.append(("allocate", address, buffer.nbytes))
    return buffer


def _runs(indices: np.ndarray):
    """Consecutive runs in sorted indices, as (first, last + 1)."""
    if not len(indices):
        return
    breaks = np.flatnonzero(np.diff(indices) > 1)
    starts = np.concatenate(([indices[0]], indices[breaks + 1]))
    ends = np.concatenate((indices[breaks], [indices[-1]])) + 1
    yield from zip(starts.tolist(), ends.tolist())
