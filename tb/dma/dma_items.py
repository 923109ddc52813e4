"""DMA commands as pyuvm sequence items, their constrained-random shapes, and the memory
semantics of a command (which bytes it reads or writes: the scoreboard's reference)."""

import random
from dataclasses import dataclass

from cocotb_coverage import crv
from pyuvm import uvm_sequence_item

READ, WRITE = "read", "write"
PAGE = 4096


@dataclass(frozen=True)
class Region:
    """Where random commands of one direction may land: [base, base + size)."""
    base: int
    size: int

    @property
    def end(self) -> int:
        return self.base + self.size


class DmaCmdItem(uvm_sequence_item):
    """One DMA command (tessel_dma_pkg::dma_cmd_t) plus, for writes, the bytes to write."""

    FIELDS = ("addr", "row_bytes", "rows", "row_stride", "planes", "plane_stride")

    def __init__(self, name="dma_cmd", direction=READ, addr=0, row_bytes=1, rows=1, row_stride=0,
                 planes=1, plane_stride=0, data=b""):
        super().__init__(name)
        self.direction = direction
        self.addr, self.row_bytes, self.rows = addr, row_bytes, rows
        self.row_stride, self.planes, self.plane_stride = row_stride, planes, plane_stride
        self.data = data
        self.shape = None  # the DmaShape it was drawn from, if random

    @property
    def total(self) -> int:
        return self.row_bytes * self.rows * self.planes

    @property
    def dims(self) -> int:
        return 3 if self.planes > 1 else 2 if self.rows > 1 else 1

    def rows_addresses(self):
        """(first byte, length) of every row, in transfer order."""
        for p in range(self.planes):
            for r in range(self.rows):
                yield self.addr + p * self.plane_stride + r * self.row_stride, self.row_bytes

    @property
    def extent(self) -> tuple[int, int]:
        """[lowest byte, highest byte + 1) touched."""
        last = self.addr + (self.planes - 1) * self.plane_stride + (self.rows - 1) * self.row_stride
        return self.addr, last + self.row_bytes

    def bursts(self, beat_bytes: int):
        """(first byte, bytes) of each AXI burst, by the DMA's rule: a burst stays inside one
        row and takes as many bytes as it can, up to the next 4 KB boundary and 256 beats."""
        for a, n in self.rows_addresses():
            while n:
                take = min(n, PAGE - a % PAGE, 256 * beat_bytes - a % beat_bytes)
                yield a, take
                a, n = a + take, n - take

    def crosses_4k(self) -> bool:
        return any(a // PAGE != (a + n - 1) // PAGE for a, n in self.rows_addresses())

    def malformed(self) -> bool:
        return self.row_bytes == 0 or self.rows == 0 or self.planes == 0

    def pack(self, addr_width: int) -> int:
        """The dma_cmd_t bit vector (first field most significant)."""
        value = 0
        for name, width in zip(self.FIELDS, (addr_width, 24, 16, 32, 16, 32)):
            field = getattr(self, name)
            assert 0 <= field < 1 << width, f"{name}={field} does not fit {width} bits"
            value = value << width | field
        return value

    def __eq__(self, other):
        return isinstance(other, DmaCmdItem) and all(
            getattr(self, f) == getattr(other, f) for f in ("direction", *self.FIELDS))

    def __str__(self):
        return (f"{self.direction} addr={self.addr:#x} row_bytes={self.row_bytes} rows={self.rows} "
                f"row_stride={self.row_stride} planes={self.planes} "
                f"plane_stride={self.plane_stride}")


class DmaShape(crv.Randomized):
    """The categorical choices behind a random command, solved with constraints; the concrete
    numbers are then drawn inside the chosen categories (DmaShape.realize)."""

    SIZES = ("tiny", "small", "medium", "large")  # total bytes: 1-16, 17-256, 257-4096, 4097-32768
    SIZE_RANGES = {"tiny": (1, 16), "small": (17, 256), "medium": (257, 4096),
                   "large": (4097, 32768)}

    def __init__(self, beat_bytes: int):
        super().__init__()
        self.beat_bytes = beat_bytes
        self.size = "small"
        self.dims = 1
        self.start_aligned = True
        self.end_aligned = True
        self.cross_4k = False
        self.add_rand("size", list(self.SIZES))
        self.add_rand("dims", [1, 2, 3])
        self.add_rand("start_aligned", [True, False])
        self.add_rand("end_aligned", [True, False])
        self.add_rand("cross_4k", [True, False])
        # A single byte cannot cross a page; tiny 3-D commands would have one-byte rows.
        self.add_constraint(lambda cross_4k, size: not (cross_4k and size == "tiny"))
        self.add_constraint(lambda dims, size: not (dims == 3 and size == "tiny"))
        # Distribution: mostly small and medium (fast), regularly large, often unaligned.
        self.add_constraint(lambda size: {"tiny": 2, "small": 4, "medium": 4, "large": 1}[size])
        self.add_constraint(lambda cross_4k: 1 if cross_4k else 3)

    def realize(self, rng: random.Random, direction: str, region: Region) -> DmaCmdItem:
        lo, hi = self.SIZE_RANGES[self.size]
        total = rng.randint(lo, hi)
        if self.size == "tiny" and self.dims == 1 and rng.random() < 0.5:
            total = 1  # the smallest transfer, often
        bb = self.beat_bytes
        if self.dims == 1:
            rows, planes = 1, 1
        elif self.dims == 2:
            rows, planes = rng.randint(2, max(2, min(64, total // 2 or 1))), 1
        else:
            rows = rng.randint(2, max(2, min(8, total // 4 or 1)))
            planes = rng.randint(2, max(2, min(8, total // (2 * rows) or 1)))
        row_bytes = max(1, total // (rows * planes))
        start_off = 0 if self.start_aligned else rng.randrange(1, bb)
        end_off = (start_off + row_bytes) % bb
        if total == 1:
            pass  # one byte: its end is wherever its start puts it
        elif self.end_aligned and end_off:
            row_bytes += bb - end_off
        elif not self.end_aligned and not end_off:
            row_bytes += rng.randrange(1, bb)
        # Strides: packed, gapped, or (reads only) overlapping rows.
        gap = rng.choice([0, 0, rng.randrange(1, 64), rng.randrange(64, 2048)])
        row_stride = row_bytes + gap
        if direction == READ and rows > 1 and rng.random() < 0.15:
            row_stride = rng.randrange(0, row_bytes + 1)  # overlapping or repeated rows
        plane_stride = rows * row_stride + rng.choice([0, rng.randrange(1, 512)])
        if rows == 1:
            row_stride = rng.choice([0, row_stride])  # unused with one row: any value is legal
        if planes == 1:
            plane_stride = rng.choice([0, plane_stride])
        item = DmaCmdItem(f"{direction}_cmd", direction, 0, row_bytes, rows, row_stride, planes,
                          plane_stride)
        first, end = item.extent
        span = end - first
        assert span <= region.size // 2, f"shape too large for the region: {item}"
        # Place it: the start offset as asked, and the first row across a page when asked
        # (the coverage collector records what the command really does).
        if self.cross_4k and row_bytes > 1:
            pages = (region.size - span) // PAGE - 2
            boundary = region.base + PAGE * rng.randint(1, pages)
            into = range((bb - start_off) % bb or bb, min(row_bytes, PAGE), bb)
            addr = boundary - (rng.choice(into) if into else rng.randint(1, min(row_bytes - 1, PAGE - 1)))
        else:
            addr = region.base + rng.randrange(0, region.size - span - bb)
            addr = addr - addr % bb + start_off
        assert region.base <= addr and addr + span <= region.end, f"misplaced: {item}"
        item.addr = addr
        item.shape = self
        return item


def random_cmd(rng: random.Random, direction: str, region: Region, beat_bytes: int) -> DmaCmdItem:
    shape = DmaShape(beat_bytes)
    shape.randomize()
    item = shape.realize(rng, direction, region)
    if direction == WRITE:
        item.data = rng.randbytes(item.total)
    return item
