"""The accelerator driver: everything software does to run a compiled network, over an MMIO
interface (Mmio) that a backend provides. Register names and fields come from the register
map (rtl/regs/tessel_regs.rdl, read by tessel.register_map); errors become exceptions that say what went wrong and where.
"""

import zlib
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import TesselError
from ..register_map import RegisterMap, load


class AcceleratorError(TesselError):
    """The accelerator stopped a run with an error code."""

    def __init__(self, code: int, name: str, description: str, address: int):
        super().__init__(f"accelerator error {code} {name} at address {address:#x}: {description}")
        self.code, self.name, self.address = code, name, address


class BuildMismatchError(TesselError):
    """The accelerator was built with other parameters than the program was compiled for."""


class ImageMismatchError(TesselError):
    """The DRAM image to load is not the one that was compiled (its CRC-32 differs)."""


class AcceleratorTimeout(TesselError, TimeoutError):
    """A run did not finish (no interrupt) in the time allowed."""


def window_bytes(size: int) -> int:
    """The DMA window for `size` bytes of memory map: whole 4 KB pages."""
    return -(-size // 4096) * 4096


def check_image(image: bytes, crc32: int | None) -> None:
    """Refuse an image whose CRC-32 is not the one recorded when it was written."""
    if crc32 is not None and zlib.crc32(image) != crc32:
        raise ImageMismatchError(f"the DRAM image's CRC-32 is {zlib.crc32(image):#010x}, "
                                 f"{crc32:#010x} was recorded when it was written: not loaded")


class Mmio(Protocol):
    async def read32(self, offset: int) -> int: ...
    async def write32(self, offset: int, value: int) -> None: ...
    async def wait_irq(self) -> None: ...
    async def write_memory(self, address: int, data: bytes) -> None: ...
    async def read_memory(self, address: int, size: int) -> bytes: ...


@dataclass
class RunResult:
    output: bytes
    cycles: int
    busy_cycles: int
    stall_cycles: int
    bytes_read: int
    bytes_written: int
    layer_cycles: list = field(default_factory=list)


class Driver:
    def __init__(self, mmio: Mmio, window_base: int, window_bytes: int,
                 registers: RegisterMap | None = None):
        self.mmio, self.base, self.size = mmio, window_base, window_bytes
        self.map = registers or load()
        self.offsets = {r.name: r.offset for r in self.map.registers}
        self.fields = {(r.name, f.name): f for r in self.map.registers for f in r.fields}

    # ---- registers ---------------------------------------------------------------------
    async def read(self, name: str) -> int:
        return await self.mmio.read32(self.offsets[name])

    async def write(self, name: str, value: int) -> None:
        await self.mmio.write32(self.offsets[name], value)

    async def read64(self, name: str) -> int:
        low, high = self.map[name].words
        low_word = await self.mmio.read32(low)  # reading the low word latches a counter's high word
        return low_word | (await self.mmio.read32(high)) << 32

    async def write64(self, name: str, value: int) -> None:
        low, high = self.map[name].words
        await self.mmio.write32(low, value & 0xFFFF_FFFF)
        await self.mmio.write32(high, value >> 32)

    def bit(self, register: str, name: str) -> int:
        return 1 << self.fields[(register, name)].lsb

    # ---- set-up ------------------------------------------------------------------------
    async def check_build(self, build_parameters: dict) -> None:
        """Refuse to run a program compiled for another configuration (read-back registers)."""
        if await self.read("ID") != self.map.id:
            raise BuildMismatchError(f"no Tessel accelerator at this address (ID reads "
                                     f"{await self.read('ID'):#x})")
        # A program's build parameter is the register whose configuration path ends in its
        # name (k_p: array.k_p) or spells it (ppu_pixels: ppu.pixels).
        registers = {key: p.offset for key in build_parameters for p in self.map.parameters
                     if key in (p.path[-1], "_".join(p.path))}
        missing = sorted(set(build_parameters) - set(registers))
        if missing:
            raise BuildMismatchError(f"the register map reads back no {', '.join(missing)}")
        for key, offset in registers.items():
            built = await self.mmio.read32(offset)
            if built != build_parameters[key]:
                raise BuildMismatchError(f"the program was compiled for {key} = "
                                         f"{build_parameters[key]}, the accelerator has {built}")

    async def load_image(self, image: bytes, crc32: int | None = None) -> None:
        """The compiled DRAM image (program, parameters, weights) at the window base; with
        crc32 (what the compiled directory's manifest recorded) only if the image has it."""
        check_image(image, crc32)
        if len(image) > self.size:
            raise TesselError(f"the image needs {len(image):,} bytes, the window has {self.size:,}")
        await self.mmio.write_memory(self.base, image)

    # ---- a run ---------------------------------------------------------------------------
    async def run(self, input_offset: int, input_data: bytes, output_offset: int,
                  output_bytes: int, layers: int = 0) -> RunResult:
        await self.mmio.write_memory(self.base + input_offset, input_data)
        await self.write64("WIN_BASE", self.base)
        await self.write64("WIN_LIMIT", self.base + self.size)
        await self.write64("PROG_BASE", self.base)
        await self.write("IRQ_STATUS", self.bit("IRQ_STATUS", "DONE") | self.bit("IRQ_STATUS", "ERROR"))
        irq_en = self.bit("CTRL", "IRQ_EN")
        await self.write("CTRL", irq_en | self.bit("CTRL", "START"))
        await self.mmio.wait_irq()
        status = await self.read("STATUS")
        await self.write("IRQ_STATUS", self.bit("IRQ_STATUS", "DONE") | self.bit("IRQ_STATUS", "ERROR"))
        if status & self.bit("STATUS", "ERROR"):
            raise await self.error()
        result = RunResult(await self.mmio.read_memory(self.base + output_offset, output_bytes),
                           await self.read64("CYCLES"), await self.read64("BUSY_CYCLES"),
                           await self.read64("STALL_CYCLES"), await self.read64("BYTES_READ"),
                           await self.read64("BYTES_WRITTEN"))
        for index in range(min(layers, self.map.layer_counters)):
            await self.write("LAYER_SELECT", index)
            result.layer_cycles.append(await self.read64("LAYER_CYCLES"))
        return result

    async def error(self) -> AcceleratorError:
        code = await self.read("ERR_CODE") & 0xFF
        address = await self.read64("ERR_ADDR")
        name, description = self.fields[("ERR_CODE", "CODE")].values.get(code, ("UNKNOWN", "unknown code"))
        return AcceleratorError(code, name, description, address)

    async def soft_reset(self, polls: int = 20_000) -> None:
        """Clear an error or stop a run; returns once STATUS.BUSY is low (the DMA has drained
        its bursts in flight). Raises AcceleratorTimeout if BUSY stays high for `polls` reads."""
        await self.write("CTRL", self.bit("CTRL", "SOFT_RESET"))
        for _ in range(polls):
            if not await self.read("STATUS") & self.bit("STATUS", "BUSY"):
                return
        raise AcceleratorTimeout(f"STATUS.BUSY still set {polls:,} register reads after "
                                 f"CTRL.SOFT_RESET: the DMA did not drain")
