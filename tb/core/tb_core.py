"""pyuvm environment of the compute core: random layers, each run through its tiling plan,
scoreboard against tessel.golden, functional coverage. Number of layers: TESSEL_CORE_LAYERS
(default 100); TESSEL_REQUIRE_COVERAGE: cover-point prefixes that must be fully hit."""

import os

import cocotb
import numpy as np
from pyuvm import (ConfigDB, uvm_analysis_port, uvm_component, uvm_driver, uvm_env, uvm_root,
                   uvm_sequence, uvm_sequence_item, uvm_sequencer, uvm_subscriber, uvm_test)

import coverage
from core_bfm import CoreBfm
from layers import random_core_layer
from tessel.coverage import functional


class LayerItem(uvm_sequence_item):
    def __init__(self, name, layer):
        super().__init__(name)
        self.layer = layer


class RandomLayerSeq(uvm_sequence):
    async def body(self):
        count = ConfigDB().get(None, "", "LAYERS")
        rng = ConfigDB().get(None, "", "RNG")
        config = ConfigDB().get(None, "", "BFM").config
        for index in range(count):
            item = LayerItem(f"layer{index}", random_core_layer(rng, config))
            await self.start_item(item)
            await self.finish_item(item)


class CoreDriver(uvm_driver):
    """Loads each layer's buffers, runs its tile, reads the output back."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.ap = uvm_analysis_port("ap", self)

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            out, cycles, lanes, tiles = await self.bfm.run_layer(item.layer.data(self.bfm.config))
            item.layer.tiles = tiles
            self.ap.write((item.layer, out, cycles, lanes))
            self.seq_item_port.item_done()


class Scoreboard(uvm_subscriber):
    """Every output byte against tessel.golden."""

    def build_phase(self):
        self.checked, self.failures = 0, []

    def write(self, result):
        layer, out, cycles, lanes = result
        want = layer.expected()
        self.checked += 1
        if out.shape != want.shape or not np.array_equal(out, want):
            bad = np.argwhere(out != want) if out.shape == want.shape else []
            self.failures.append(f"{layer.describe()}: {len(bad)} of {want.size} bytes differ, "
                                 f"first at {bad[0].tolist() if len(bad) else out.shape}")
            self.logger.error(self.failures[-1])
        else:
            self.logger.info(f"ok {layer.describe()}: {layer.tiles} tiles, {cycles} cycles")

    def check_phase(self):
        expected = ConfigDB().get(None, "", "LAYERS")
        assert self.checked == expected, f"checked {self.checked} of {expected} layers"
        assert not self.failures, f"{len(self.failures)} layers wrong: {self.failures[:3]}"


class CoverageCollector(uvm_subscriber):
    def build_phase(self):
        self.config = ConfigDB().get(None, "", "BFM").config

    def write(self, result):
        layer, out, _, _ = result
        coverage.sample(layer, out, coverage.layer_info(layer, self.config, out))
        coverage.sample_tiling(layer.tiles)

    def report_phase(self):
        coverage.coverage_db.export_to_yaml("coverage_core.yml")  # in the simulation's build folder
        functional.export("core", ("core.", "tiling."))  # testplan bins for make coverage
        holes = [name for name in coverage.coverage_db
                 if name.startswith(("core.", "tiling."))
                 and coverage.coverage_db[name].cover_percentage < 100]
        self.logger.info(f"functional coverage in coverage_core.yml; bins not hit in: {holes or 'none'}")
        ConfigDB().set(None, "", "COVERAGE_HOLES", holes)


class CoreEnv(uvm_env):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = CoreDriver("driver", self)
        self.scoreboard = Scoreboard("scoreboard", self)
        self.coverage = CoverageCollector("coverage", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)
        self.driver.ap.connect(self.scoreboard.analysis_export)
        self.driver.ap.connect(self.coverage.analysis_export)


class CoreRandomTest(uvm_test):
    def build_phase(self):
        self.env = CoreEnv("env", self)

    async def run_phase(self):
        self.raise_objection()
        await RandomLayerSeq("random").start(self.env.seqr)
        self.drop_objection()


@cocotb.test()
async def random_layers(dut):
    bfm = CoreBfm(dut)
    await bfm.reset()
    seed = cocotb.RANDOM_SEED
    dut._log.info(f"random layers, seed {seed}")
    ConfigDB().set(None, "*", "BFM", bfm)
    ConfigDB().set(None, "*", "RNG", np.random.default_rng(seed))
    ConfigDB().set(None, "*", "LAYERS", int(os.environ.get("TESSEL_CORE_LAYERS", "100")))
    await uvm_root().run_test(CoreRandomTest, keep_singletons=True)
    required = [p for p in os.environ.get("TESSEL_REQUIRE_COVERAGE", "").split(",") if p]
    holes = [h for h in ConfigDB().get(None, "", "COVERAGE_HOLES") if h.startswith(tuple(required))]
    assert not holes, f"functional coverage holes: {holes}"
