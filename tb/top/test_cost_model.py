"""The cost model keeps predicting the RTL: a subset of the benchmark's shapes (tessel.bench
cost runs all of them) at two configurations, one with many tiles per layer and a slow DRAM.
Each layer's predicted cycles must meet the benchmark's targets against the hardware's layer
counter (cost_model_err_max for each layer, cost_model_err_mean for their mean); the outputs
are also checked against the golden model."""

import pytest

from tessel.bench import TARGETS
from tessel.calibration import rtl_check

PICK = ("conv1", "layer1.0.conv2", "layer2.0.conv1", "layer2.0.conv3", "layer4.0.conv3", "maxpool")


@pytest.mark.parametrize("target,rows,max_k,max_w,latency", [
    ("zcu104", 2, 32, 56, 0),
    ("small_buffers", 4, 32, 14, 30),
    ("small_ports", 4, 32, 14, 30),
])
def test_predicted_cycles_match_the_rtl(target, rows, max_k, max_w, latency):
    shapes = [s for s in rtl_check.resnet50_shapes(rows, max_k, max_w) if s.name in PICK]
    shapes = rtl_check.fitting(shapes, target)
    assert len(shapes) >= 4, f"only {len(shapes)} shapes fit {target}"
    results = rtl_check.compare(shapes, target, latency=latency)
    print(rtl_check.table(results))
    errors = [r.error for r in results]
    assert TARGETS["cost_model_err_max"].met(max(errors)), rtl_check.table(results)
    assert TARGETS["cost_model_err_mean"].met(sum(errors) / len(errors)), rtl_check.table(results)
