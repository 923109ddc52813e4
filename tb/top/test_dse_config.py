"""A configuration the design-space exploration produced (a HardwareConfig with no file)
compiles and simulates as it is: generated packages and the Verilator build are named by its
contents, and the cocotb side reads it from the build folder, never from configs/."""

import numpy as np

import tessel
from tessel import golden, zoo
from tessel.config import load_config
from tessel.frontend import import_model
from tessel.mapper.board import load_board
from tessel.mapper.dse import explore
from tessel.runtime.simulation import run_images


def test_a_dse_configuration_simulates_bit_exact():
    entry = zoo.load("digits")
    graph = import_model(entry.model, entry.calibration[:1], entry.name)
    found = explore(graph, load_board("zcu104"), load_config("small"), "dse_digits")
    # The smallest array that fits: a short Verilator build.
    config = min((c.config for c in found.fitting),
                 key=lambda c: (c.array.macs_per_cycle, c.ppu.pixels,
                                sum(vars(c.buffers).values()), c.axi.weight_ports))
    assert config.path is None and config.name == "dse_digits"
    network = tessel.compile(entry.model, entry.calibration, target=config, name=entry.name)
    x = network.quantize_input(entry.eval_x[:4])
    out, _ = run_images(network.executable, x)
    want = golden.run(network.graph, x)
    assert np.array_equal(out.reshape(want.shape), want)
