"""Hardware configurations: a HardwareConfig is a value. configs/<target>.yaml files are read
here and nowhere else in Python (load_config, at the edge: the CLI, compile); everything below
takes the object, and a configuration crosses a process boundary as its to_dict JSON. Unknown
or missing fields are errors that name the field; every numeric field declares its legal range
once, here (docs/configuration.md is generated from these declarations)."""

import hashlib
import json
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from pathlib import Path

import yaml

from .errors import ConfigError, InputTypeError
from .paths import CONFIGS_DIR


@dataclass(frozen=True)
class Range:
    """The legal values of a numeric field and what sets them (the RTL or the program format)."""
    lo: float
    hi: float
    why: str
    power_of_two: bool = False
    integer: bool = True

    def allows(self, value) -> bool:
        return self.lo <= value <= self.hi and (
            not self.power_of_two or value & (value - 1) == 0)

    def __str__(self) -> str:
        kind = "a power of two" if self.power_of_two else "an integer" if self.integer else "a number"
        return f"{kind} from {self.lo:g} to {self.hi:g}"


def ranged(lo, hi, doc: str, why: str, power_of_two=False, integer=True, **options):
    """A dataclass field with its meaning and legal range."""
    return field(metadata={"doc": doc, "range": Range(lo, hi, why, power_of_two, integer)},
                 **options)


def described(doc: str, **options):
    """A dataclass field that has a meaning but no numeric range (text, true/false)."""
    return field(metadata={"doc": doc}, **options)


_BUFFER_WHY = ("two equal halves (double buffering); the loader counts words in 16 bits "
               "(tessel_ctrl_loader.sv)")


@dataclass(frozen=True)
class ArrayConfig:
    k_p: int = ranged(8, 32, "output channels per cycle (DPE rows)",
                      "equals c_p; k_last is 6 bits and DPEs come in pairs", power_of_two=True)
    y_p: int = ranged(1, 31, "output pixels per cycle (DPE columns)",
                      "a pass's pixels, cols, is 5 bits in the descriptor")
    c_p: int = ranged(8, 32, "reduction lanes per dot-product engine",
                      "one AXI beat (8 * c_p bits, 64..512) is one word; c_last is 6 bits",
                      power_of_two=True)
    dsp_packing: bool = described("two int8 multiplies per DSP")

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
    pixels: int = ranged(1, 16, "output pixels finished per cycle (output banks)",
                         "a column's output bank is its low bits; divides y_p (at most 31)",
                         power_of_two=True)


@dataclass(frozen=True)
class BufferConfig:
    act_bank_words: int = ranged(2, 1 << 16, "words of c_p bytes per activation bank",
                                 _BUFFER_WHY, power_of_two=True)
    weight_words: int = ranged(2, 1 << 16, "words of k_p * c_p bytes", _BUFFER_WHY,
                               power_of_two=True)
    param_words: int = ranged(2, 1024, "per-output-group parameter words",
                              "kgroups, the output groups of a layer, is 10 bits: more words "
                              "are never addressed", power_of_two=True)
    out_bank_words: int = ranged(2, 1 << 16, "words of k_p bytes per output (and residual) bank",
                                 _BUFFER_WHY, power_of_two=True)


@dataclass(frozen=True)
class AxiConfig:
    data_width: int = ranged(64, 256, "bits per beat of the DMA's AXI4 masters",
                             "8 * c_p, one word per beat; the DMA itself takes up to 512 (tessel_dma_burst_gen.sv)",
                             power_of_two=True)
    addr_width: int = ranged(33, 64, "byte address bits",
                             "the registers hold 33..64-bit addresses (tessel_regs.sv)")
    id_width: int = ranged(1, 32, "AXI ID bits",
                           "at least 1 (a port of ID bits); every engine uses one ID")
    max_outstanding: int = ranged(2, 64, "bursts in flight per DMA engine",
                                  "at least 2 (tessel_dma_rd.sv, tessel_dma_wr.sv); each is an "
                                  "entry of a tracking FIFO per engine")
    weight_ports: int = ranged(0, 4, "read masters of their own for weights (0: weights on "
                                     "the main one)",
                               "tessel_dma_weights.sv has 1..4 (a ZCU104 has four HP ports)",
                               default=0)


@dataclass(frozen=True)
class HardwareConfig:
    name: str = described("the target's name (folders under gen/ take it)")
    description: str = described("one line for people")
    part: str = described("the FPGA part the design is built for")
    clock_mhz: float = ranged(1, 1000, "accelerator clock in MHz (cycle counts to time)",
                              "positive; UltraScale+ fabric runs well below 1 GHz", integer=False)
    array: ArrayConfig = described("the MAC array")
    ppu: PpuConfig = described("the post-processing unit")
    buffers: BufferConfig = described("on-chip buffers")
    axi: AxiConfig = described("the DMA's AXI4 masters")
    path: Path | None = field(default=None, compare=False)  # where it was read, if from a file

    @property
    def where(self) -> str:
        """How errors name this configuration: its file, else its name."""
        return self.path.name if self.path else self.name

    @classmethod
    def from_dict(cls, data, where: str = "config") -> "HardwareConfig":
        """A configuration from its to_dict form (a YAML file's contents, a manifest's field,
        a DSE result), checked like a file; errors name `where` and the field."""
        config = _build(cls, data, where)
        config.check(where)
        return config

    def to_dict(self) -> dict:
        """Every field (defaults included, not the file it came from) as plain data."""
        return _plain(self)

    @property
    def label(self) -> str:
        """What generated packages and build folders are named by: the name and a hash of the
        contents, so a configuration without a file has a stable name and two configurations
        of one name never share a folder."""
        digest = hashlib.sha1(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()
        return f"{self.name}-{digest[:10]}"

    def check(self, where: str | None = None) -> None:
        """Every field in its range, then the combinations the RTL refuses at elaboration,
        refused here first by name (errors begin with `where`, default self.where)."""
        where = where or self.where
        for path, value, limits in ranged_values(self):
            if not limits.allows(value):
                raise ConfigError(f"{where}: {path} = {value!r}: must be {limits}; "
                                  f"{limits.why}")
        a = self.array
        if a.k_p != a.c_p:
            raise ConfigError(f"{where}: array.k_p ({a.k_p}) must equal array.c_p ({a.c_p}): "
                              "an output word is one pixel's k_p channels, the next layer's c_p")
        if a.y_p % self.ppu.pixels:
            raise ConfigError(f"{where}: array.y_p ({a.y_p}) must be a multiple of "
                              f"ppu.pixels ({self.ppu.pixels})")
        if self.axi.data_width != 8 * a.c_p:
            raise ConfigError(f"{where}: axi.data_width ({self.axi.data_width}) must be "
                              f"8 * array.c_p ({8 * a.c_p}): one bus beat is one word")


def declared(cls, prefix: str = ""):
    """(field path, dataclass field) of every leaf field of a configuration class."""
    for f in fields(cls):
        if f.name == "path":
            continue
        if is_dataclass(f.type):
            yield from declared(f.type, f"{prefix}{f.name}.")
        else:
            yield f"{prefix}{f.name}", f


def ranged_values(config: HardwareConfig):
    """(field path, value, Range) of every numeric field of `config`."""
    for path, f in declared(HardwareConfig):
        if "range" in f.metadata:
            value = config
            for name in path.split("."):
                value = getattr(value, name)
            yield path, value, f.metadata["range"]


def range_table() -> str:
    """The declared fields as a Markdown table (docs/configuration.md holds it verbatim)."""
    rows = []
    for path, f in declared(HardwareConfig):
        limits = f.metadata.get("range")
        legal = (f"{limits.lo:g} .. {limits.hi:g}" + (", power of two" if limits.power_of_two else "")
                 if limits else "true / false" if f.type is bool else "text")
        default = "" if f.default is MISSING else f" (default {f.default})"
        rows.append(f"| `{path}` | {legal}{default} | {f.metadata['doc']} | "
                    f"{limits.why if limits else ''} |")
    return "\n".join(["| field | legal values | meaning | why this range |", "|---|---|---|---|",
                      *rows])


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


def _kind(f) -> tuple[tuple, str]:
    """The Python types a field's value may take, and how an error says what it must be."""
    limits = f.metadata.get("range")
    if limits is None:
        return (f.type,), "true or false" if f.type is bool else "text"
    return ((int,) if limits.integer else (int, float)), str(limits)


def _build(cls, data, file: str, prefix: str = ""):
    if isinstance(data, dict):  # a field with a default (added later) may be left out
        data = {**{f.name: f.default for f in fields(cls)
                   if f.name != "path" and f.default is not MISSING}, **data}
    check_keys(data, [f.name for f in fields(cls) if f.name != "path"],
               f"{file}.{prefix[:-1]}" if prefix else file)
    values = {}
    for f in fields(cls):
        if f.name == "path":
            continue
        value = data[f.name]
        if is_dataclass(f.type):
            value = _build(f.type, value, file, f"{prefix}{f.name}.")
        else:
            types, expected = _kind(f)
            if isinstance(value, bool) != (f.type is bool) or not isinstance(value, types):
                raise ConfigError(f"{file}: {prefix}{f.name} = {value!r}: expected {expected}")
        values[f.name] = value
    return cls(**values)


def _plain(obj) -> dict:
    return {f.name: _plain(getattr(obj, f.name)) if is_dataclass(getattr(obj, f.name))
            else getattr(obj, f.name) for f in fields(obj) if f.name != "path"}


def to_yaml(config: HardwareConfig, header: str = "") -> str:
    """The configuration as a file load_config reads back (header: comment lines on top)."""
    comments = "".join(f"# {line}\n" for line in header.splitlines())
    return comments + yaml.safe_dump(config.to_dict(), sort_keys=False)


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
    if not isinstance(target, (str, Path)):
        raise InputTypeError(f"target must be a configuration name or the path of a .yaml "
                             f"file; got {type(target).__name__}")
    path, data = read_yaml(target, CONFIGS_DIR, "target", available_targets())
    return replace(HardwareConfig.from_dict(data, path.name), path=path)
