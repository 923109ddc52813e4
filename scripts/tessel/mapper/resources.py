"""FPGA resources of a hardware configuration, without synthesis.

    estimate(config)  -> {"DSP48E2": .., "BRAM36": .., "URAM": .., "LUT": .., "FF": ..}

Structural where the structure is known, fitted where it is not (docs/fpga.md):
- DSP48E2: the DPE array's multipliers exactly (one per lane and pair of output channels with
  DSP packing, two without) plus, per post-processing lane (k_p x ppu.pixels), the DSPs yosys
  builds its wide requantization multipliers from, plus a constant (address arithmetic);
  with weight masters, the few DSPs of the controller's weight split; the last three fitted on
  the calibration runs.
- BRAM36 / URAM: every buffer of the design (memories()) mapped the way yosys's memory_libmap
  maps it: of LUT RAM, RAMB18/RAMB36 in each aspect ratio and URAM288, the cheapest by
  yosys's own cell costs (its xilinx library files) plus its read-mux and write-demux costs.
  RAMB18 counts as half a BRAM36.
- LUT / FF: a linear model over structural terms (features(): MAC lanes, accumulators, PPU
  lanes, weight-word bits, weight masters x weight-word bits, a constant) whose coefficients
  are fitted on yosys runs of tessel_top (tessel.calibration.calibrate_resources; data in
  resource_calibration.json), plus the LUT RAM, read registers and muxes of the buffer
  mapping.
- The integrity checks (rtl/common/tessel_crc32.sv, tessel_beat_check.sv; docs/program.md):
  their two memories of weight check sums in the block-RAM mapping, and the LUT/FF of their CRC
  blocks as yosys builds them alone at the configuration's bus width (integrity_resources), so
  that runs of tessel_top made before the checks existed (`"integrity"` absent) still calibrate
  the rest of the model.
yosys's LUT counts are upper bounds of what Vivado needs (docs/fpga.md).
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..config import HardwareConfig
from .board import RESOURCES

CALIBRATION = Path(__file__).with_name("resource_calibration.json")


# ---------------------------------------------------------------------- memories
@dataclass(frozen=True)
class Memory:
    name: str
    width: int   # bits per word
    depth: int   # words
    count: int = 1
    cell: str = ""  # instance path of its tessel_sdp_ram(s) under tessel_top (glob)


@cache
def _fixed_sizes() -> tuple[int, int]:
    """Bits of one channel's post-processing parameters; entries of the layer-cycle memory."""
    from ..plan.descriptor import PARAM_CHANNEL
    from ..register_map import load as load_registers
    return PARAM_CHANNEL.width, load_registers().layer_counters


def memories(config: HardwareConfig, integrity: bool = True) -> list[Memory]:
    """The design's block-RAM candidates: every tessel_sdp_ram instance (one write port, one
    registered read port). FIFOs (combinational read) are LUT RAM or registers: in the fit.
    integrity: with the controller's weight check sums (two read ports: two copies)."""
    a, b = config.array, config.buffers
    param_bits, layer_counters = _fixed_sizes()
    checks = [Memory("weight check sums", 32, b.param_words, 2, "u_ctrl/u_check_*")]
    return (checks if integrity else []) + [Memory("activation bank", a.c_p * 8, b.act_bank_words, a.act_banks,
                   "u_core/u_act/gen_bank*u_ram"),
            Memory("weights", a.k_p * a.c_p * 8, b.weight_words, 1, "u_core/u_weights"),
            Memory("parameters", a.k_p * param_bits, b.param_words, 1, "u_core/u_params"),
            Memory("output bank", a.k_p * 8, b.out_bank_words, config.ppu.pixels,
                   "u_core/gen_out_bank*u_out"),
            Memory("residual bank", a.k_p * 8, b.out_bank_words, config.ppu.pixels,
                   "u_core/gen_out_bank*u_res"),
            # 64-bit entries, but tessel_top writes 32-bit counts: yosys drops the constant half.
            Memory("layer cycle counters", 32, layer_counters, 1, "u_regs/u_layer_cycles")]


# yosys share/xilinx: lutrams_xcu.txt, brams_xc4v.txt (with HAS_SIZE_36, cascade), urams.txt.
# (kind, cost per cell, address bits, widths, byte width, BRAM36 per cell)
_LUTRAM = [("lutram", 16, 5, (14,), 0, 0), ("lutram", 16, 6, (7,), 0, 0),     # SDP
           ("lutram", 16, 5, (8,), 0, 0), ("lutram", 16, 6, (4,), 0, 0),      # DP
           ("lutram", 16, 7, (2,), 0, 0), ("lutram", 16, 8, (1,), 0, 0)]
_BRAM = [("bram", 129, 14, (1, 2, 4, 9, 18, 36), 9, 0.5),                    # RAMB18
         ("bram", 257, 15, (1, 2, 4, 9, 18, 36, 72), 9, 1.0),                # RAMB36
         ("bram", 513, 16, (1, 2, 4, 9), 9, 2.0)]                            # cascaded pair
_URAM = [("uram", 1024, 12, (72,), 8, 0), ("uram", 1024, 12, (72,), 9, 0)]
FACTOR_MUX = FACTOR_DEMUX = 0.5  # memory_libmap's weights of read-mux and write-demux bits
LUTS_PER_LUTRAM = 8              # RAM64M8 / RAM32M16 and the deeper single-bit cells


@cache
def map_memory(width: int, depth: int, uram: bool = True) -> dict:
    """Resources of one width x depth memory as yosys memory_libmap maps it: the cheapest of
    registers (one cost unit per bit) and every RAM cell in every aspect ratio."""
    best = {"kind": "registers", "cost": float(width * depth), "BRAM36": 0, "URAM": 0,
            "LUT": 0, "FF": width * depth}
    for kind, cell_cost, abits, widths, byte, bram36 in _LUTRAM + _BRAM + (_URAM if uram else []):
        for index, w in enumerate(widths):
            cell_depth = 1 << (abits - index if kind == "bram" else abits)
            blocks = math.ceil(depth / cell_depth)
            mux = FACTOR_MUX * (blocks - 1) * width + (FACTOR_DEMUX * blocks if blocks > 1 else 0)
            if kind == "lutram":  # cost scales with the bits used; no packing across blocks
                cells = blocks * math.ceil(width / w)
                cost = cell_cost * blocks * width / w + mux
            else:  # padded to whole bytes, address blocks packed side by side
                step = min(byte, w)
                cells = math.ceil(blocks * math.ceil(width / step) * step / w)
                cost = cell_cost * cells + mux
            if cost < best["cost"]:
                mux_luts = width * math.ceil((blocks - 1) / 3)  # a LUT6 selects 1 of 4
                best = {"kind": kind, "cost": cost, "BRAM36": cells * bram36,
                        "URAM": cells if kind == "uram" else 0,
                        "LUT": mux_luts + (cells * LUTS_PER_LUTRAM if kind == "lutram" else 0),
                        "FF": width if kind == "lutram" else 0}  # LUT RAM: read register in FFs
    return best


def memory_mismatches(measured: dict) -> list[str]:
    """Shapes ("WxD") whose yosys BRAM36/URAM counts map_memory does not reproduce exactly, or
    whose LUT/FF counts it misses by more than 16."""
    wrong = []
    for shape, got in measured.items():
        w, d = map(int, shape.split("x"))
        m = map_memory(w, d)
        if (m["BRAM36"] != got["BRAM36"] or m["URAM"] != got["URAM"]
                or abs(m["LUT"] - got["LUT"]) > 16 or abs(m["FF"] - got["FF"]) > 16):
            wrong.append(shape)
    return wrong


def memory_resources(config: HardwareConfig, uram: bool = True, integrity: bool = True) -> dict:
    total = {"BRAM36": 0.0, "URAM": 0, "LUT": 0, "FF": 0}
    for m in memories(config, integrity):
        mapped = map_memory(m.width, m.depth, uram)
        for key in total:
            total[key] += m.count * mapped[key]
    return total


def ram_style_xdc(config: HardwareConfig) -> str:
    """Vivado RAM_STYLE constraints that build each buffer as this model maps it (Vivado
    infers UltraRAM only when asked, UG949)."""
    style = {"uram": "ultra", "bram": "block", "lutram": "distributed", "registers": "registers"}
    lines = []
    for m in memories(config):
        kind = map_memory(m.width, m.depth)["kind"]
        lines.append(f"# {m.name}: {m.count} x {m.width} bits x {m.depth} words -> {kind}")
        lines.append(f"set_property RAM_STYLE {style[kind]} [get_cells -quiet -hierarchical "
                     f"-filter {{NAME =~ */u_top/{m.cell}/mem_q_reg*}}]")
    return "\n".join(lines) + "\n"


@cache
def _calibration() -> dict:
    return json.loads(CALIBRATION.read_text())


@cache
def _integrity_measured() -> dict:
    return {int(bits): blocks for bits, blocks in _calibration().get("integrity", {}).items()}


def integrity_resources(config: HardwareConfig) -> dict:
    """LUT/FF of the integrity checks' logic: one CRC-32 on the main read stream and a beat
    check per weight stream (each weight master, or the main stream), as yosys built them alone
    at the nearest measured bus width, scaled to this one."""
    measured = _integrity_measured()
    bits = config.axi.data_width
    nearest = min(measured, key=lambda b: (abs(b - bits), b))
    streams = max(config.axi.weight_ports, 1)
    return {r: round(bits / nearest * (measured[nearest]["tessel_crc32"][r]
                                       + streams * measured[nearest]["tessel_beat_check"][r]))
            for r in ("LUT", "FF")}


# ---------------------------------------------------------------------- DSPs
def array_dsps(config: HardwareConfig) -> int:
    a = config.array
    pairs = a.y_p * (a.k_p // 2)
    return pairs * a.c_p * (1 if a.dsp_packing else 2)


def ppu_lanes(config: HardwareConfig) -> int:
    return config.array.k_p * config.ppu.pixels


def weight_split(config: HardwareConfig) -> int:
    """1 with weight masters: the controller then splits each tile's weights into runs."""
    return int(config.axi.weight_ports > 0)


# ---------------------------------------------------------------------- LUT / FF terms
def features(config: HardwareConfig) -> dict:
    """Structural terms the LUT and FF models are linear in (each the size of a block)."""
    a = config.array
    return {
        "constant": 1,                                  # controller, registers, DMA control
        "mac_lanes": a.k_p * a.y_p * a.c_p,             # adder trees, product registers
        "accumulators": a.k_p * a.y_p,                  # int32 accumulators, pool unit, block FIFO
        "ppu_lanes": ppu_lanes(config),                 # requantization, saturation, stage B
        # Weight word pipeline and loader. The DMA's data path grows with the bus, 8 * c_p bits
        # (tessel_top ties them), so with k_p = c_p this term and the constant carry it too.
        "weight_bits": a.k_p * a.c_p * 8,
        # Each weight master: a read engine, a loader gathering weight words and a way into
        # the weight buffer's write mux, all about a weight word wide.
        "weight_master_bits": config.axi.weight_ports * a.k_p * a.c_p * 8,
    }


def _design_matrix(configs: list[HardwareConfig], names: list[str]) -> np.ndarray:
    return np.array([[features(c)[n] for n in names] for c in configs], dtype=float)


def fit(runs: dict) -> dict:
    """Coefficients from the calibration runs (held-out runs excluded): DSPs per PPU lane and
    the DSP constant by least squares, LUT/FF per feature by non-negative least squares on
    what the memories do not explain."""
    fitted = {name: run for name, run in runs.items() if not run["held_out"]}
    configs = [run_config(run) for run in fitted.values()]
    names = list(features(configs[0]))
    measured = {r: np.array([run["resources"][r] for run in fitted.values()], dtype=float)
                for r in RESOURCES}
    # DSP: measured - array = per_lane * ppu_lanes + constant (+ weight_split with weight
    # masters: the multiplies that cut a tile's weights into runs).
    lanes = np.array([[ppu_lanes(c), 1, weight_split(c)] for c in configs], dtype=float)
    rest = measured["DSP48E2"] - np.array([array_dsps(c) for c in configs])
    (per_lane, constant, split), *_ = np.linalg.lstsq(lanes, rest, rcond=None)
    result = {"features": names,
              "DSP48E2": {"per_ppu_lane": round(float(per_lane), 3), "constant": round(float(constant), 3),
                          "weight_split": round(float(split), 3)}}
    matrix = _design_matrix(configs, names)
    for r in ("LUT", "FF"):
        memory = np.array([memory_resources(c, integrity=False)[r] for c in configs])
        coef = _nnls(matrix, measured[r] - memory)
        result[r] = {n: round(float(v), 4) for n, v in zip(names, coef)}
    return result


def _nnls(a: np.ndarray, b: np.ndarray, iterations: int = 200) -> np.ndarray:
    """Non-negative least squares (Lawson-Hanson active set), small problems only."""
    n = a.shape[1]
    x, passive = np.zeros(n), np.zeros(n, dtype=bool)
    for _ in range(iterations):
        w = a.T @ (b - a @ x)
        if passive.all() or w[~passive].max(initial=0) <= 1e-9:
            break
        passive[np.argmax(np.where(passive, -np.inf, w))] = True
        while True:
            z = np.zeros(n)
            z[passive] = np.linalg.lstsq(a[:, passive], b, rcond=None)[0]
            if (z[passive] > 0).all():
                x = z
                break
            neg = passive & (z <= 0)
            alpha = np.min(x[neg] / (x[neg] - z[neg]))
            x = x + alpha * (z - x)
            passive &= x > 1e-12
    return x


@cache
def _coefficients() -> dict:
    """The stored fit (fitted from the stored runs if the file has none yet)."""
    data = _calibration()
    return data["fit"] if "fit" in data else fit(data["runs"])


def estimate(config: HardwareConfig, coefficients: dict | None = None,
             integrity: bool = True) -> dict:
    """Predicted yosys resources of tessel_top for `config` (BRAM36 may end in .5); integrity:
    with the integrity checks (False: the RTL before them, for the runs made then)."""
    k = coefficients or _coefficients()
    mem = memory_resources(config, integrity=integrity)
    if integrity:
        for r, v in integrity_resources(config).items():
            mem[r] += v
    f = features(config)
    dsp = (array_dsps(config) + k["DSP48E2"]["per_ppu_lane"] * ppu_lanes(config)
           + k["DSP48E2"]["constant"] + k["DSP48E2"].get("weight_split", 0) * weight_split(config))
    return {"DSP48E2": int(round(dsp)),
            "BRAM36": mem["BRAM36"],
            "URAM": int(mem["URAM"]),
            "LUT": int(round(mem["LUT"] + sum(k["LUT"][n] * f[n] for n in k["features"]))),
            "FF": int(round(mem["FF"] + sum(k["FF"][n] * f[n] for n in k["features"])))}


# ---------------------------------------------------------------------- checks and report
# How far the model may be from yosys on a stored run (relative; block RAM must be exact).
TOLERANCE = {"DSP48E2": 0.05, "BRAM36": 0.0, "URAM": 0.0, "LUT": 0.15, "FF": 0.15}


def calibration_failures(data: dict, coefficients: dict | None = None) -> list[str]:
    """Every (run, resource) where the model misses yosys by more than TOLERANCE (or predicts
    some where yosys used none)."""
    failures = []
    for name, run in data["runs"].items():
        predicted = estimate_run(run, coefficients or data["fit"])
        for r, err in errors(run, predicted).items():
            if (predicted[r] != 0) if err is None else abs(err) > TOLERANCE[r] + 1e-9:
                failures.append(f"{name} {r}: yosys {run['resources'][r]}, model {predicted[r]}")
    return failures


def run_config(run: dict) -> HardwareConfig:
    """The configuration a stored run synthesized (its to_dict, checked like a file)."""
    return HardwareConfig.from_dict(run["config"],
                                    f"{CALIBRATION.name}: {run['config'].get('name')}")


def estimate_run(run: dict, coefficients: dict | None = None) -> dict:
    return estimate(run_config(run), coefficients, run.get("integrity", False))


def errors(run: dict, predicted: dict) -> dict:
    """Relative error of `predicted` (estimate_run) on one stored run, per resource (None where
    yosys used none)."""
    return {r: (predicted[r] - run["resources"][r]) / run["resources"][r]
            if run["resources"][r] else None for r in RESOURCES}


def report_rows(data: dict) -> tuple[list, list]:
    header = ["run", "k_p,y_p,c_p,pp", "set", "seconds"] + [f"{r} yosys/model" for r in RESOURCES]
    rows = []
    for name, run in data["runs"].items():
        c = run_config(run)
        predicted = estimate_run(run, data["fit"])
        cells = []
        for r, err in errors(run, predicted).items():
            note = f" ({100 * err:+.1f}%)" if err is not None else ""
            cells.append(f"{run['resources'][r]:g}/{predicted[r]:g}{note}")
        rows.append([name, f"{c.array.k_p},{c.array.y_p},{c.array.c_p},{c.ppu.pixels}",
                     "held out" if run["held_out"] else "fit", run["seconds"], *cells])
    return rows, header
