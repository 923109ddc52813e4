"""Board descriptions (configs/boards/<board>.yaml): the FPGA resources an accelerator may use,
the clock it runs at and the DRAM bandwidth the programmable logic can reach: one DDR budget
shared by every master's reads and writes, and what each HP port moves on its own.

    board = load_board("zcu104")
    board.budget()                      # {"DSP48E2": 1555, ...}: usable minus the shell
    board.dram.ddr_bytes_per_s          # every master together, reads and writes
    board.port_bytes_per_s(128, 200)    # one 128-bit master on one HP port, per direction

Missing, unknown or malformed fields are errors that name the field and the file.
"""

from dataclasses import dataclass
from pathlib import Path

from ..config import check_keys, read_yaml
from ..errors import ConfigError
from ..paths import CONFIGS_DIR

BOARDS_DIR = CONFIGS_DIR / "boards"
# The resources every board lists, in report order. BRAM36 counts a RAMB18 as half.
RESOURCES = ("DSP48E2", "BRAM36", "URAM", "LUT", "FF")


@dataclass(frozen=True)
class Dram:
    hp_ports: int            # AXI slave ports from the PL into the PS DDR controller
    hp_port_width_bits: int  # data bits per beat of one port, per direction
    hp_burst_beats: int      # the longest burst a port passes on (longer ones are cut)
    hp_outstanding: int      # bursts a port accepts per direction before it waits
    ddr_mt_per_s: float      # DDR transfers per second, millions
    ddr_width_bits: int      # DDR data bus
    efficiency: float        # sustained share of the DDR peak, reads and writes mixed

    @property
    def ddr_peak_bytes_per_s(self) -> float:
        return self.ddr_mt_per_s * 1e6 * self.ddr_width_bits / 8

    @property
    def ddr_bytes_per_s(self) -> float:
        """What the DDR sustains for every master together, reads and writes."""
        return self.ddr_peak_bytes_per_s * self.efficiency


@dataclass(frozen=True)
class Board:
    name: str
    description: str
    part: str
    board_part: str
    clock_mhz: float
    resources: dict        # device totals
    usable_fraction: dict  # share of each resource a design may plan to use
    shell: dict            # used by the block design around the accelerator
    dram: Dram
    path: Path | None = None

    def budget(self) -> dict:
        """What the accelerator itself may use: usable share of the device minus the shell."""
        return {r: int(self.resources[r] * self.usable_fraction[r]) - self.shell[r] for r in RESOURCES}

    def over_budget(self, resources: dict) -> dict:
        """resource -> (estimate, budget) for each budget `resources` exceeds."""
        budget = self.budget()
        return {r: (resources[r], budget[r]) for r in RESOURCES if resources[r] > budget[r]}

    def within_budget(self, resources: dict) -> bool:
        return not self.over_budget(resources)

    def has_ports_for(self, config) -> bool:
        """An HP port for each of the configuration's AXI masters (the main one and its weight
        masters), each as wide as the bus."""
        return (config.axi.data_width <= self.dram.hp_port_width_bits
                and 1 + config.axi.weight_ports <= self.dram.hp_ports)

    def port_bytes_per_s(self, data_width_bits: int, latency_ns: float,
                         clock_mhz: float | None = None) -> float:
        """What one AXI master on one HP port sustains per direction: a beat per fabric cycle,
        unless the bursts the port holds in flight (hp_outstanding, each cut to
        hp_burst_beats) cannot cover the DRAM's latency (Little's law: bytes in flight over
        latency). The DDR's own limit, shared by all masters, is dram.ddr_bytes_per_s."""
        beat = min(data_width_bits, self.dram.hp_port_width_bits) / 8
        line = beat * (clock_mhz or self.clock_mhz) * 1e6
        in_flight = self.dram.hp_outstanding * self.dram.hp_burst_beats * beat
        return min(line, in_flight / (latency_ns * 1e-9))

_NUMBER = (int, float)
_FIELDS = {  # field -> expected type (None: a nested mapping, checked on its own)
    "name": str, "description": str, "part": str, "board_part": str, "clock_mhz": _NUMBER,
    "resources": None, "usable_fraction": None, "shell": None, "dram": None,
}
_DRAM_FIELDS = {"hp_ports": int, "hp_port_width_bits": int, "hp_burst_beats": int,
                "hp_outstanding": int, "ddr_mt_per_s": _NUMBER,
                "ddr_width_bits": int, "efficiency": _NUMBER}


def _check_fields(data, expected: dict, where: str) -> None:
    check_keys(data, list(expected), where)
    for field, kind in expected.items():
        value = data[field]
        if kind is None:
            continue
        if isinstance(value, bool) or not isinstance(value, kind):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            raise ConfigError(f"{where}.{field}: expected {names}, got {value!r}")
        if kind is not str and value <= 0:
            raise ConfigError(f"{where}.{field}: must be positive, got {value!r}")


def _resource_map(data, where: str, valid, expected: str) -> dict:
    """A mapping with exactly the RESOURCES as keys, each value passing `valid`."""
    check_keys(data, RESOURCES, where)
    for r in RESOURCES:
        if isinstance(data[r], bool) or not isinstance(data[r], _NUMBER) or not valid(data[r]):
            raise ConfigError(f"{where}.{r}: expected {expected}, got {data[r]!r}")
    return {r: data[r] for r in RESOURCES}


def available_boards() -> list[str]:
    return sorted(p.stem for p in BOARDS_DIR.glob("*.yaml"))


def board_for(config) -> Board:
    """The board whose part a hardware configuration names."""
    for name in available_boards():
        board = load_board(name)
        if board.part == config.part:
            return board
    raise ConfigError(f"{config.name}: no board in {BOARDS_DIR} has part {config.part}")


def load_board(board: str | Path = "zcu104") -> Board:
    """A board name (configs/boards/<name>.yaml) or the path of a board file."""
    path, data = read_yaml(board, BOARDS_DIR, "board", available_boards())
    where = path.name
    _check_fields(data, _FIELDS, where)
    _check_fields(data["dram"], _DRAM_FIELDS, f"{where}.dram")
    dram = Dram(**data["dram"])
    if not 0 < dram.efficiency <= 1:
        raise ConfigError(f"{where}.dram.efficiency: a fraction in (0, 1], got {dram.efficiency!r}")
    resources = _resource_map(data["resources"], f"{where}.resources",
                              lambda v: isinstance(v, int) and v > 0, "a count > 0")
    usable = _resource_map(data["usable_fraction"], f"{where}.usable_fraction",
                           lambda v: 0 < v <= 1, "a fraction in (0, 1]")
    shell = _resource_map(data["shell"], f"{where}.shell",
                          lambda v: isinstance(v, int) and v >= 0, "a count >= 0")
    return Board(name=data["name"], description=data["description"], part=data["part"],
                 board_part=data["board_part"], clock_mhz=data["clock_mhz"], resources=resources,
                 usable_fraction=usable, shell=shell, dram=dram, path=path)
