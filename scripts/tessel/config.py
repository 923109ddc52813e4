"""Hardware configurations (configs/<target>.yaml): one file per target, read here and
nowhere else in Python. Unknown or missing fields are errors that name the field."""

from dataclasses import MISSING, dataclass, fields
from pathlib import Path

import yaml

from .errors import ConfigError
from .paths import CONFIGS_DIR


@dataclass(frozen=True)
class ArrayConfig:
    k_p: int  # output channels per cycle
    y_p: int  # output pixels per cycle
    c_p: int  # reduction lanes per dot-product engine
    dsp_packing: bool  # two int8 multiplies per DSP

    @property
    def macs_per_cycle(self) -> int:
        return self.k_p * self.y_p * self.c_p

    @property
    def act_banks(self) -> int:
        """Activation banks: 2 * y_p rounded up to a power of two, so y_p output pixels at
        stride 1 or 2 always hit distinct banks and a column's bank is its low bits (the RTL's
        act_banks function in the generated tessel_desc_pkg)."""
        return 1 << (2 * self.y_p - 1).bit_length()


@dataclass(frozen=True)
class PpuConfig:
    pixels: int  # output pixels finished per cycle


@dataclass(frozen=True)
class BufferConfig:
    act_bank_words: int
    weight_words: int
    param_words: int
    out_bank_words: int


@dataclass(frozen=True)
class AxiConfig:
    data_width: int       # bits per beat of the DMA's AXI4 masters
    addr_width: int       # byte address bits
    id_width: int         # AXI ID bits
    max_outstanding: int  # bursts in flight per DMA engine
    weight_ports: int = 0  # read masters of their own for weights (0: weights on the main one)


@dataclass(frozen=True)
class HardwareConfig:
    name: str
    description: str
    part: str
    clock_mhz: float
    array: ArrayConfig
    ppu: PpuConfig
    buffers: BufferConfig
    axi: AxiConfig
    path: Path | None = None

    def check(self) -> None:
        """Combinations the RTL refuses at elaboration, refused here first by name."""
        a = self.array
        if a.k_p != a.c_p:
            raise ConfigError(f"{self.name}: array.k_p ({a.k_p}) must equal array.c_p ({a.c_p}): "
                              "an output word is one pixel's k_p channels, the next layer's c_p")
        if a.y_p % self.ppu.pixels:
            raise ConfigError(f"{self.name}: array.y_p ({a.y_p}) must be a multiple of "
                              f"ppu.pixels ({self.ppu.pixels})")
        if a.dsp_packing and a.k_p % 2:
            raise ConfigError(f"{self.name}: array.dsp_packing needs an even array.k_p")
        if self.axi.weight_ports > 4:
            raise ConfigError(f"{self.name}: axi.weight_ports ({self.axi.weight_ports}) must be "
                              "0 to 4 (read masters of the weight DMA)")


def check_keys(data, names, where: str) -> None:
    """`data` is a mapping with exactly the keys `names` (errors name the file and field)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    unknown = sorted(set(data) - set(names))
    missing = [n for n in names if n not in data]
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    if missing:
        raise ConfigError(f"{where}: missing field(s) {', '.join(missing)}")


def _build(cls, data, where: str):
    if isinstance(data, dict):  # a field with a default (added later) may be left out
        data = {**{f.name: f.default for f in fields(cls)
                   if f.name != "path" and f.default is not MISSING}, **data}
    check_keys(data, [f.name for f in fields(cls) if f.name != "path"], where)
    values = {}
    for f in fields(cls):
        if f.name == "path":
            continue
        value = data[f.name]
        nested = {"array": ArrayConfig, "ppu": PpuConfig, "buffers": BufferConfig,
                  "axi": AxiConfig}.get(f.name)
        if nested is not None:
            value = _build(nested, value, f"{where}.{f.name}")
        elif f.type in (int, "int") and (not isinstance(value, int) or isinstance(value, bool)
                                          or value < (f.default != 0)):
            # An integer field must be positive, unless 0 is its default (none of a thing).
            kind = "a non-negative" if f.default == 0 else "a positive"
            raise ConfigError(f"{where}.{f.name}: expected {kind} integer, got {value!r}")
        elif f.type in (bool, "bool") and not isinstance(value, bool):
            raise ConfigError(f"{where}.{f.name}: expected true or false, got {value!r}")
        values[f.name] = value
    return cls(**values)


def to_yaml(config: HardwareConfig, header: str = "") -> str:
    """The configuration as a file load_config reads back (header: comment lines on top)."""
    def plain(obj):
        return {f.name: plain(getattr(obj, f.name)) if hasattr(getattr(obj, f.name), "__dataclass_fields__")
                else getattr(obj, f.name) for f in fields(obj) if f.name != "path"}
    comments = "".join(f"# {line}\n" for line in header.splitlines())
    return comments + yaml.safe_dump(plain(config), sort_keys=False)


def available_targets() -> list[str]:
    return sorted(p.stem for p in CONFIGS_DIR.glob("*.yaml"))


def read_yaml(name: str | Path, folder: Path, kind: str, available: list) -> tuple[Path, object]:
    """(path, contents) of `folder`/<name>.yaml, or of the file `name` if it is a path."""
    path = Path(name) if str(name).endswith((".yaml", ".yml")) else folder / f"{name}.yaml"
    if not path.is_file():
        raise ConfigError(f"unknown {kind} {str(name)!r}: no {path}; available {kind}s: "
                          f"{', '.join(available) or 'none'}")
    try:
        return path, yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from error


def load_config(target: str | Path) -> HardwareConfig:
    """A target name (configs/<name>.yaml) or the path of a configuration file."""
    path, data = read_yaml(target, CONFIGS_DIR, "target", available_targets())
    config = _build(HardwareConfig, data, path.name)
    config = HardwareConfig(**{**config.__dict__, "path": path})
    config.check()
    return config
