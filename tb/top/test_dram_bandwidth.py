"""The simulated DRAM's shared DDR budget (tb/top/tessel_dram_bandwidth.sv, SimOptions
.ddr_bytes_per_cycle): single-layer networks of ResNet-50 shapes at small_ports (three 64-bit
masters, 24 bytes a cycle of reads and 8 of writes at most) run with no limit and with two.
At 4 bytes a cycle every layer is held to it (DRAM bytes over the layer counter's cycles),
where it moved more without the limit; at 10, more than the maxpool layer averages without a
limit, its loads and drains still slow down where they overlap. Each time the cost model with
the same budget (Memory.ddr_bytes_per_cycle) must meet the benchmark's targets against the
hardware's layer counter; the outputs are checked against the golden model."""

import pytest

from tessel.bench import TARGETS
from tessel.calibration import rtl_check

TARGET = "small_ports"
PICK = ("layer1.0.conv1", "layer4.0.conv3", "maxpool")


@pytest.fixture(scope="module")
def shapes():
    picked = [s for s in rtl_check.resnet50_shapes(4, 32, 14) if s.name in PICK]
    return rtl_check.fitting(picked, TARGET)


@pytest.fixture(scope="module")
def unlimited(shapes):
    return {r.shape.name: r for r in rtl_check.compare(shapes, TARGET)}


def check_model(results):
    print(rtl_check.table(results))
    errors = [r.error for r in results]
    assert TARGETS["cost_model_err_max"].met(max(errors)), rtl_check.table(results)
    assert TARGETS["cost_model_err_mean"].met(sum(errors) / len(errors)), rtl_check.table(results)


def test_a_tight_budget_holds_every_layer_to_it(shapes, unlimited):
    limit = 4.0
    results = rtl_check.compare(shapes, TARGET, ddr_bytes_per_cycle=limit)
    assert len(results) == len(PICK)
    for r in results:
        assert unlimited[r.shape.name].bytes_per_cycle > limit, rtl_check.table([r])
        assert r.bytes_per_cycle <= limit, rtl_check.table([r])
        assert r.bound == "ddr"
    check_model(results)


def test_overlapping_loads_and_drains_share_a_budget_above_the_average(shapes, unlimited):
    limit = 10.0
    (pool,) = rtl_check.compare([s for s in shapes if s.name == "maxpool"], TARGET,
                                ddr_bytes_per_cycle=limit)
    free = unlimited["maxpool"]
    assert free.bytes_per_cycle < limit and pool.measured > 1.05 * free.measured, \
        rtl_check.table([free, pool])
    check_model([pool])
