"""The register map as Python objects, read from rtl/regs/tessel_regs.rdl with the SystemRDL
compiler at run time: the driver's and the testbench's offsets, fields, error codes and
build-parameter registers. Nothing here repeats a number of the map.

The build-parameter registers (the RDL's PARAM array) are every numeric field of the hardware
configuration, in the order of tessel.config's dataclasses, so a new configuration field gets
its register without anyone re-typing it; their names (PARAM_ARRAY_K_P, ...) are made here.
"""

from dataclasses import dataclass
from functools import lru_cache

from systemrdl import RDLCompiler
from systemrdl.node import RegNode

from .config import HardwareConfig, declared
from .paths import REPO_ROOT

SOURCE = REPO_ROOT / "rtl" / "regs" / "tessel_regs.rdl"


def _named(items, name: str, missing: str):
    """The item called `name`; KeyError '<missing> <name>' if there is none."""
    for item in items:
        if item.name == name:
            return item
    raise KeyError(f"{missing} {name}")


@dataclass(frozen=True)
class Field:
    name: str
    lsb: int
    width: int
    access: str   # ro, rw, w1p (write 1 to pulse, reads 0) or w1c (write 1 to clear)
    reset: int
    desc: str
    values: dict  # code -> (name, description), for enumerated fields

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb

    @property
    def bits(self) -> str:
        return str(self.lsb) if self.width == 1 else f"{self.lsb + self.width - 1}:{self.lsb}"


@dataclass(frozen=True)
class Register:
    name: str
    offset: int
    width: int    # 32, or 64: two 32-bit words, the low one first
    desc: str
    fields: tuple

    @property
    def reset(self) -> int:
        return sum(f.reset << f.lsb for f in self.fields)

    @property
    def access(self) -> str:
        kinds = sorted({f.access for f in self.fields})
        return kinds[0] if len(kinds) == 1 else "mixed"

    @property
    def words(self) -> list[int]:
        """Byte offsets of the register's 32-bit words, the low one first."""
        return [self.offset + 4 * i for i in range(self.width // 32)]

    def field(self, name: str) -> Field:
        return _named(self.fields, name, f"{self.name} has no field")

    def mask(self, access: str) -> int:
        """Bits of this register with the given access."""
        return sum(f.mask for f in self.fields if f.access == access)


@dataclass(frozen=True)
class Parameter:
    """A read-only register holding one number of the hardware configuration."""
    name: str
    offset: int
    path: tuple  # e.g. ("array", "k_p")
    kind: type   # int, bool or float (read in thousandths)

    def value(self, config: HardwareConfig) -> int:
        value = config
        for part in self.path:
            value = getattr(value, part)
        return int(round(value * 1000)) if self.kind is float else int(value)


@dataclass(frozen=True)
class RegisterMap:
    name: str
    addr_width: int
    id: int
    version: tuple  # (major, minor)
    layer_counters: int
    registers: tuple
    count_offset: int  # PARAM_COUNT
    param_offset: int
    parameters: tuple

    def __getitem__(self, name: str) -> Register:
        return _named(self.registers, name, "no register")

    def offset(self, name: str) -> int:
        if name == "PARAM_COUNT":
            return self.count_offset
        for p in self.parameters:
            if p.name == name:
                return p.offset
        return self[name].offset

    @property
    def error_codes(self) -> dict:
        """code -> name (ERR_CODE.CODE)."""
        return {code: name for code, (name, _) in self["ERR_CODE"].field("CODE").values.items()}

    def parameter_values(self, config: HardwareConfig) -> dict:
        """Register name -> the value a build for `config` reads back."""
        return {p.name: p.value(config) for p in self.parameters}

    def mismatched_parameters(self, config: HardwareConfig, read) -> list[str]:
        """Compare the hardware's build parameters (`read(offset)` returns a register) with
        `config`; the descriptions of every difference (empty: the program fits)."""
        problems = []
        count = read(self.count_offset)
        if count != len(self.parameters):
            problems.append(f"PARAM_COUNT is {count}, expected {len(self.parameters)}")
        for p in self.parameters[:count]:
            want, got = p.value(config), read(p.offset)
            if got != want:
                problems.append(f"{p.name} ({'.'.join(p.path)}) is {got}, the program was "
                                f"compiled for {want}")
        return problems


def config_parameters() -> list[tuple[tuple, type]]:
    """(path, type) of every numeric field of HardwareConfig, in declaration order."""
    return [(tuple(path.split(".")), f.type) for path, f in declared(HardwareConfig)
            if f.type in (int, bool, float)]


def rdl_parameters(dma_addr_width: int) -> dict:
    """The values of the RDL file's parameters for a build."""
    return {"DMA_ADDR_WIDTH": dma_addr_width, "PARAMS": len(config_parameters())}


def compile_rdl(dma_addr_width: int):
    """The elaborated map (systemrdl's RootNode) of a build whose DMA addresses have
    `dma_addr_width` bits; the PeakRDL exporters take it."""
    from peakrdl_regblock.udps import ALL_UDPS
    compiler = RDLCompiler()
    for udp in ALL_UDPS:  # peakrdl-regblock's properties; soft: only those the file declares
        compiler.register_udp(udp, soft=True)
    compiler.compile_file(str(SOURCE))
    return compiler.elaborate(parameters=rdl_parameters(dma_addr_width))


def _access(node) -> str:
    if node.get_property("singlepulse"):
        return "w1p"
    if node.get_property("onwrite") is not None:
        return node.get_property("onwrite").name.replace("woclr", "w1c")
    return "rw" if node.is_sw_writable else "ro"


def _field(node) -> Field:
    encode = node.get_property("encode")
    values = {m.value: (m.name, m.rdl_desc or "") for m in encode} if encode else {}
    return Field(node.inst_name, node.lsb, node.width, _access(node),
                 node.get_property("reset") or 0, node.get_property("desc") or "", values)


@lru_cache(maxsize=None)
def _load(dma_addr_width: int) -> RegisterMap:
    top = compile_rdl(dma_addr_width).top
    registers, params = [], None
    for node in top.children():
        if not isinstance(node, RegNode):
            continue
        if node.is_array:
            params = node
            continue
        reg = Register(node.inst_name, node.raw_address_offset, node.get_property("regwidth"),
                       node.get_property("desc") or "", tuple(_field(f) for f in node.fields()))
        registers.append(reg)
    by_name = {r.name: r for r in registers}
    count_offset = by_name.pop("PARAM_COUNT").offset
    registers = [r for r in registers if r.name != "PARAM_COUNT"]
    parameters = tuple(
        Parameter("PARAM_" + "_".join(path).upper() + ("_MILLI" if kind is float else ""),
                  params.raw_address_offset + i * params.array_stride, path, kind)
        for i, (path, kind) in enumerate(config_parameters()))
    version = by_name["VERSION"]
    return RegisterMap(top.inst_name, top.get_property("tessel_addr_width"),
                       by_name["ID"].reset,
                       (version.field("MAJOR").reset, version.field("MINOR").reset),
                       top.get_property("tessel_layer_counters"), tuple(registers),
                       count_offset, params.raw_address_offset, parameters)


def load(config: HardwareConfig | None = None) -> RegisterMap:
    """The map of a build for `config` (only the width of the address registers' high words
    depends on it); without one, the widest DMA address (64 bits)."""
    return _load(config.axi.addr_width if config else 64)
