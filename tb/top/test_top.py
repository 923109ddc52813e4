"""Network-level regression: compiled networks run on tessel_top with the DRAM model; every
output byte is compared with the golden model. Random AXI stalls exercise backpressure; fault
runs check that each error is reported as itself and that a good run follows it bit-exact.
Tests that take a seed are random tests: make regress runs them with many (tb/conftest.py)."""

import numpy as np
import pytest

import tessel
from tessel import golden, zoo
from tessel.backend.integrity import crc32
from tessel.backend.program import HEADER, header_bytes, layer_record, record_bytes
from tessel.fuzz import faults as fuzz_faults
from tessel.fuzz import networks as fuzz_networks
from tessel.runtime.driver import window_bytes
from tessel.runtime.simulation import MEM_BASE, NetworkRun, SimOptions, run_batch, run_images

from tb.top import networks


def compile_entry(entry, target):
    return tessel.compile(entry.model, entry.calibration, target=target, name=entry.name)


def assert_bit_exact(network, x_u8, options=None):
    result = run_images(network.executable, x_u8, options)
    out = result[0]
    want = golden.run(network.graph, x_u8)
    bad = np.argwhere(out.reshape(want.shape) != want)
    assert not len(bad), f"{network.name}: {len(bad)} of {want.size} output bytes differ, first {bad[0]}"
    return result


@pytest.mark.parametrize("target,images,stall", [("small", 20, 0), ("zcu104", 8, 25)])
def test_digits_real_images(target, images, stall):
    entry = zoo.load("digits")
    network = compile_entry(entry, target)
    assert_bit_exact(network, network.quantize_input(entry.eval_x[:images]),
                     SimOptions(stall_percent=stall, latency=stall // 5, seed=3))


def test_mnist_real_images():
    entry = zoo.load("mnist")
    network = compile_entry(entry, "small")
    assert_bit_exact(network, network.quantize_input(entry.eval_x[:5]))


@pytest.mark.parametrize("target", ["small", "small_buffers", "small_ports"])
def test_resnet_style(target):
    entry = networks.resnet_style()
    network = compile_entry(entry, target)
    if target != "small":  # tiny buffers: most layers take many tiles
        assert max(len(l.plan.tiles) for l in network.executable.layers) > 4
    assert_bit_exact(network, network.quantize_input(entry.eval_x[:2]))


@pytest.mark.seeds(*range(10))
def test_random_network(seed):
    entry = networks.random_network(seed)
    network = compile_entry(entry, ("small_buffers", "small", "small_ports")[seed % 3])
    try:
        network.executable
    except tessel.TesselError as error:
        # Tiny buffers cannot hold one output group of a wide kernel: a clear refusal naming
        # the layer, then the network runs on the ordinary configuration.
        assert "does not fit the core's buffers" in str(error) and "layer '" in str(error)
        network = compile_entry(entry, "small")
    print(f"random network seed {seed}: {[l.hw.describe() for l in network.executable.layers]}")
    assert_bit_exact(network, network.quantize_input(entry.eval_x[:2]),
                     SimOptions(stall_percent=(seed * 7) % 40, latency=seed % 4, seed=seed))


def corrupt(ex, field: str, change, expect: str, in_record: bool = False) -> dict:
    """A fault setting `field` of the program header (or of the first layer record) to
    change(its value). A changed record gets the header CRC that matches it: the program is
    well-formed but wrong, as a compiler bug would make it, so the record check must see it."""
    program = bytearray(ex.program)
    spec, start, size = ((layer_record(ex.config), header_bytes(), record_bytes(ex.config))
                         if in_record else (HEADER, 0, header_bytes()))
    values = spec.decode(int.from_bytes(program[start:start + size], "little"))
    program[start:start + size] = spec.encode(**{**values, field: change(values[field])}) \
        .to_bytes(size, "little")
    if in_record:
        header = HEADER.decode(int.from_bytes(program[:header_bytes()], "little"))
        header["crc"] = crc32(bytes(program[header_bytes():]))
        program[:header_bytes()] = HEADER.encode(**header).to_bytes(header_bytes(), "little")
    return {"kind": "corrupt", "expect": expect,
            "flips": [[i, a ^ b] for i, (a, b) in enumerate(zip(ex.program, program)) if a != b]}


def flip(region, at: float, bit: int, expect: str) -> dict:
    """A fault flipping one bit of a region of the DRAM image, `at` (0 to 1) into it."""
    return {"kind": "corrupt", "flips": [[region.offset + int(at * (region.size - 1)), 1 << bit]],
            "expect": expect}


@pytest.mark.parametrize("target", ["small", "small_ports"])  # weights on the main / own masters
def test_faults_are_reported_and_a_good_run_follows(target):
    entry = zoo.load("digits")
    network = compile_entry(entry, target)
    ex = network.executable
    weights = ex.memory[f"weights/{ex.layers[0].hw.name}"]
    last = ex.layers[-1].hw.name
    records = ex.memory["program"]
    faults = (
        corrupt(ex, "magic", lambda v: v ^ 1, "MAGIC"),
        corrupt(ex, "k_p", lambda v: v + 1, "CONFIG"),
        corrupt(ex, "op", lambda v: 3, "RECORD", in_record=True),
        {"kind": "window", "bytes": weights.offset, "expect": "WINDOW_RD"},
        {"kind": "axi", "offset": weights.offset + 8, "resp": 2, "write": False,
         "expect": "SLVERR_RD"},
        # Corrupted bytes: the last record, the header's CRC, parameters, weights (the first
        # and the last layer's, the last one late in the layer), the weights' check sums.
        flip(records, 1.0, 7, "PROGRAM_CRC"),
        corrupt(ex, "crc", lambda v: v ^ 1 << 20, "PROGRAM_CRC"),
        flip(ex.memory[f"params/{last}"], 0.3, 2, "PARAM_CRC"),
        flip(weights, 0.0, 0, "WEIGHTS"),
        flip(ex.memory[f"weights/{last}"], 0.9, 5, "WEIGHTS"),
        flip(ex.memory[f"params/{last}"], 0.999, 1, "PARAM_CRC"),
    )
    x = network.quantize_input(entry.eval_x[:3])
    out, runs, reported = assert_bit_exact(network, x, SimOptions(faults=faults))
    want = golden.run(network.graph, x[:1]).ravel()
    for fault in reported:
        assert fault["error"] == fault["expect"], fault
        clean = ex.output_from_bytes(bytes.fromhex(fault["clean"])).ravel()
        assert np.array_equal(clean, want), f"the run after {fault} is not bit-exact"
    assert reported[3]["address"] >= MEM_BASE + weights.offset  # the first burst outside the window
    assert reported[4]["address"] // 64 == (MEM_BASE + weights.offset + 8) // 64
    assert reported[5]["address"] == reported[6]["address"] == MEM_BASE  # PROG_BASE
    assert reported[7]["address"] == MEM_BASE + ex.memory[f"params/{last}"].offset
    assert reported[8]["address"] == MEM_BASE + weights.offset  # the first tile's weights
    assert reported[9]["address"] >= MEM_BASE + ex.memory[f"weights/{last}"].offset
    # Stopped before anything was written: corrupted records or first-layer data.
    assert [f["bytes_written"] for f in reported[5:7] + reported[8:9]] == [0, 0, 0], reported


# Alternating address bits from bit 4 up in the 40-bit space, and their complement: windows
# (and so programs) need only be aligned to a bus beat.
HIGH_BASES = (0xAA_AAAA_AAA0, 0x55_5555_5550)


@pytest.mark.parametrize("target", ["small", "small_ports"])  # weights on the main / own masters
def test_high_addresses(target):
    """The same network with the DRAM at HIGH_BASES[0], then [1], then [0] again, each with a
    wrong program version, a read DECERR, a write SLVERR, a window fault and a bad record
    before its images: every run is bit-exact and every error names its high address, so each
    address bit of the registers, the controller's commands, the AXI address channels and the
    error address rises and falls."""
    entry = zoo.load("digits")
    network = compile_entry(entry, target)
    ex = network.executable
    weights = ex.memory[f"weights/{ex.layers[0].hw.name}"].offset
    output = ex.memory["output"].offset
    faults = (
        corrupt(ex, "version", lambda v: v + 1, "VERSION"),
        {"kind": "axi", "offset": weights + 8, "resp": 3, "write": False, "expect": "DECERR_RD"},
        {"kind": "axi", "offset": output, "resp": 2, "write": True, "expect": "SLVERR_WR"},
        {"kind": "window", "bytes": weights, "expect": "WINDOW_RD"},
        corrupt(ex, "op", lambda v: 3, "RECORD", in_record=True),
    )
    bases = (HIGH_BASES[0], HIGH_BASES[1], HIGH_BASES[0])
    x = network.quantize_input(entry.eval_x[:2])
    results = run_batch([NetworkRun(ex, x, faults, dram_base=b) for b in bases])
    want = golden.run(network.graph, x)
    window = window_bytes(ex.memory.size)
    for i, (base, result) in enumerate(zip(bases, results)):
        start = base + i * window  # run_batch puts the networks' windows side by side
        assert np.array_equal(result["outputs"].reshape(want.shape), want), f"at {start:#x}"
        reported = result["faults"]
        assert [f["error"] for f in reported] == [f["expect"] for f in faults], reported
        for fault in reported:
            clean = ex.output_from_bytes(bytes.fromhex(fault["clean"])).ravel()
            assert np.array_equal(clean, want[:1].ravel()), f"the run after {fault} at {start:#x}"
        # The memory fails the whole burst holding the byte: its first beat is reported.
        assert reported[0]["address"] == start  # PROG_BASE
        assert start + weights <= reported[1]["address"] <= start + weights + 8
        assert reported[2]["address"] >= start + output
        assert reported[3]["address"] >= start + weights
        assert reported[4]["address"] == start + header_bytes()  # the record's address


# The fuzzers' networks (python -m tessel.fuzz, docs/verification.md): a few fixed seeds here,
# SEEDS more under make regress. A seed a campaign finds failing joins the list.
@pytest.mark.seeds(1, 2, 3)
def test_fuzzed_network(seed):
    report = fuzz_networks.replay(seed)
    assert not report.failures, "\n".join(report.lines())


@pytest.mark.seeds(4)
def test_fuzzed_faults(seed):
    report = fuzz_faults.replay(seed)
    assert not report.failures, "\n".join(report.lines())
