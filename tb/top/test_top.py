"""Network-level regression: compiled networks run on tessel_top with the DRAM model; every
output byte is compared with the golden model. Random AXI stalls exercise backpressure; fault
runs check that each error is reported as itself and that a good run follows it bit-exact.
Tests that take a seed are random tests: make regress runs them with many (tb/conftest.py)."""

import numpy as np
import pytest

import tessel
from tessel import golden, zoo
from tessel.backend.program import HEADER, build_parameters, header_bytes, layer_record
from tessel.fuzz import faults as fuzz_faults
from tessel.fuzz import networks as fuzz_networks
from tessel.runtime.simulation import MEM_BASE, SimOptions, run_images

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


@pytest.mark.parametrize("target", ["small", "small_buffers"])
def test_resnet_style(target):
    entry = networks.resnet_style()
    network = compile_entry(entry, target)
    if target == "small_buffers":  # most layers take many tiles
        assert max(len(l.plan.tiles) for l in network.executable.layers) > 4
    assert_bit_exact(network, network.quantize_input(entry.eval_x[:2]))


@pytest.mark.seeds(*range(10))
def test_random_network(seed):
    entry = networks.random_network(seed)
    network = compile_entry(entry, "small_buffers" if seed % 3 == 0 else "small")
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


def _byte_changed_by(record, size, values, field, new):
    """(offset, xor mask) of the first byte that differs when `field` takes `new`."""
    a = record.encode(**values).to_bytes(size, "little")
    b = record.encode(**{**values, field: new}).to_bytes(size, "little")
    i = next(i for i in range(size) if a[i] != b[i])
    return i, a[i] ^ b[i]


def test_faults_are_reported_and_a_good_run_follows():
    entry = zoo.load("digits")
    network = compile_entry(entry, "small")
    ex = network.executable
    config = ex.config
    header = HEADER.decode(int.from_bytes(ex.program[:header_bytes()], "little"))
    magic_at, magic_xor = _byte_changed_by(HEADER, header_bytes(), header, "magic", header["magic"] ^ 1)
    k_p_at, k_p_xor = _byte_changed_by(HEADER, header_bytes(), header, "k_p", header["k_p"] + 1)
    record = layer_record(config).decode(int.from_bytes(ex.program[header_bytes():header_bytes() + 64], "little"))
    op_at, op_xor = _byte_changed_by(layer_record(config), 64, record, "op", 3)
    weights = ex.memory[f"weights/{ex.layers[0].hw.name}"]
    faults = (
        {"kind": "corrupt", "offset": magic_at, "xor": magic_xor, "expect": "MAGIC"},
        {"kind": "corrupt", "offset": k_p_at, "xor": k_p_xor, "expect": "CONFIG"},
        {"kind": "corrupt", "offset": header_bytes() + op_at, "xor": op_xor, "expect": "RECORD"},
        {"kind": "window", "bytes": weights.offset, "expect": "WINDOW_RD"},
        {"kind": "axi", "offset": weights.offset + 8, "resp": 2, "write": False,
         "expect": "SLVERR_RD"},
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
