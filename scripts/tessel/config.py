"""Hardware configurations (configs/<target>.yaml): one file per target, read here and
nowhere else in Python. Unknown or missing fields are errors that name the field."""

from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from .errors import ConfigError
from .paths import CONFIGS_DIR


@dataclass(frozen=True)
class ArrayConfig:
    k_p: int  # output channels per cycle
    y_p: int  # output pixels per cycle
    c_p: int  # reduction lanes per dot-product engine

    @property
    def macs_per_cycle(self) -> int:
        return self.k_p * self.y_p * self.c_p


@dataclass(frozen=True)
class AxiConfig:
    data_width: int


@dataclass(frozen=True)
class HardwareConfig:
    name: str
    description: str
    part: str
    clock_mhz: float
    array: ArrayConfig
    axi: AxiConfig
    path: Path | None = None


def _build(cls, data, where: str):
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    names = {f.name for f in fields(cls) if f.name != "path"}
    unknown = sorted(set(data) - names)
    missing = sorted(names - set(data))
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    if missing:
        raise ConfigError(f"{where}: missing field(s) {', '.join(missing)}")
    values = {}
    for f in fields(cls):
        if f.name == "path":
            continue
        value = data[f.name]
        nested = {"array": ArrayConfig, "axi": AxiConfig}.get(f.name)
        if nested is not None:
            value = _build(nested, value, f"{where}.{f.name}")
        elif f.type in (int, "int") and (not isinstance(value, int) or value <= 0):
            raise ConfigError(f"{where}.{f.name}: expected a positive integer, got {value!r}")
        values[f.name] = value
    return cls(**values)


def available_targets() -> list[str]:
    return sorted(p.stem for p in CONFIGS_DIR.glob("*.yaml"))


def load_config(target: str | Path) -> HardwareConfig:
    """A target name (configs/<name>.yaml) or the path of a configuration file."""
    path = Path(target) if str(target).endswith((".yaml", ".yml")) else CONFIGS_DIR / f"{target}.yaml"
    if not path.is_file():
        raise ConfigError(f"unknown target {str(target)!r}: no {path}; available targets: "
                          f"{', '.join(available_targets())}")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from error
    config = _build(HardwareConfig, data, path.name)
    return HardwareConfig(**{**config.__dict__, "path": path})
