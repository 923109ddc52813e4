"""DRAM allocation: where the program, parameters, weights and every activation tensor live.

Addresses are offsets from the DMA window base (the buffer the driver hands the accelerator),
so a compiled program runs wherever that buffer lands. Activation tensors share one arena:
a tensor occupies its bytes only from the layer that writes it to the last layer that reads it,
and tensors whose lifetimes do not overlap reuse the same bytes (first fit, largest first).
"""

from dataclasses import dataclass, field

REGION_ALIGN = 256    # a whole number of bursts of every bus width
TENSOR_ALIGN = 256


def align(value: int, to: int) -> int:
    return -(-value // to) * to


@dataclass
class Region:
    name: str
    offset: int
    size: int
    kind: str          # program, parameters, weights, tensor
    detail: str = ""
    lifetime: tuple = ()  # tensors: (first layer, last layer) using it

    @property
    def end(self) -> int:
        return self.offset + self.size


@dataclass
class MemoryMap:
    regions: list = field(default_factory=list)

    @property
    def size(self) -> int:
        return max((r.end for r in self.regions), default=0)

    def __getitem__(self, name: str) -> Region:
        for region in self.regions:
            if region.name == name:
                return region
        raise KeyError(f"no region {name!r} in the memory map")

    def add(self, name: str, size: int, kind: str, detail: str = "") -> Region:
        region = Region(name, align(self.size, REGION_ALIGN), size, kind, detail)
        self.regions.append(region)
        return region

    def allocate_tensors(self, tensors: list[tuple[str, int, int, int, str]], reuse: bool = True) -> None:
        """tensors: (name, bytes, first layer, last layer, detail). Packs them into one arena;
        reuse=False gives every tensor its own bytes (all intermediates survive a run)."""
        base = align(self.size, REGION_ALIGN)
        placed = []
        for name, size, first, last, detail in sorted(tensors, key=lambda t: (-t[1], t[0])):
            size = align(size, TENSOR_ALIGN)
            busy = sorted((p.offset, p.end) for p in placed
                          if not reuse or not (p.lifetime[1] < first or last < p.lifetime[0]))
            offset = base
            for start, end in busy:
                if offset + size <= start:
                    break
                offset = max(offset, end)
            region = Region(name, offset, size, "tensor", detail, (first, last))
            placed.append(region)
        self.regions.extend(sorted(placed, key=lambda r: r.offset))

    def table(self) -> str:
        lines = [f"{'offset':>12}  {'bytes':>12}  {'kind':<10}  {'name':<28}  detail",
                 f"{'-' * 12}  {'-' * 12}  {'-' * 10}  {'-' * 28}  {'-' * 30}"]
        for r in sorted(self.regions, key=lambda r: (r.offset, r.name)):
            life = f" (layers {r.lifetime[0]}..{r.lifetime[1]})" if r.lifetime else ""
            lines.append(f"{r.offset:#12x}  {r.size:>12,}  {r.kind:<10}  {r.name[:28]:<28}  "
                         f"{r.detail}{life}")
        lines.append(f"total {self.size:,} bytes")
        return "\n".join(lines)
