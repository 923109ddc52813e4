"""The edge networks of the zoo, at their small inputs: they import with the layers their
authors wrote (the float IR equals PyTorch), quantize, and int8 stays near float."""

import pytest
import torch

import tessel
import tessel.zoo
from tessel.evaluate import evaluate
from tessel.ir.float_eval import run_float

# kinds of IR op each network must contain, and the least float-vs-int8 cosine on its
# calibration images (random weights: accuracy is meaningless, agreement is not)
EXPECTED = {
    "mobilenet_v2_sim": ({"conv2d", "add"}, "dwconv3x3", 0.7),
    "efficientnet_b0_sim": ({"table", "mul", "add"}, "dwconv5x5", 0.4),
    "mobilenet_v3_small_sim": ({"table", "mul", "add"}, "table hardsigmoid", 0.8),
    "yolo_tiny_sim": ({"upsample", "concat", "activation"}, "upsample2x2 nearest", 0.98),
    "unet_sim": ({"conv_transpose2d", "concat"}, "convT2x2/s2", 0.98),
    "densenet_sim": ({"concat", "scale_shift"}, "concat x3", 0.98),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_edge_network_imports_and_quantizes(name):
    kinds, described, least_cosine = EXPECTED[name]
    entry = tessel.zoo.load(name)
    network = tessel.compile(entry.model, entry.calibration, name=name)
    graph = network.graph
    assert kinds <= {op.kind for op in graph.ops}
    assert any(op.describe().startswith(described) for op in graph.ops)
    floats, expected = run_float(graph, entry.calibration), entry.model(entry.calibration)
    floats = floats if isinstance(floats, tuple) else (floats,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    for ours, theirs in zip(floats, expected, strict=True):
        assert torch.allclose(ours, theirs, atol=1e-3, rtol=1e-3)
    assert name in network.summary()
    assert evaluate(entry, network=network).cosine >= least_cosine


def test_detector_returns_two_heads_in_order():
    entry = tessel.zoo.load("yolo_tiny_sim")
    network = tessel.compile(entry.model, entry.calibration)
    heads = network.predict(entry.calibration)
    assert [h.shape for h in heads] == [tuple(t.shape) for t in entry.model(entry.calibration)]


def test_full_size_listing():
    listed = {m.name: m for m in tessel.zoo.listing()}
    for name in ("mobilenet_v2", "efficientnet_b0", "mobilenet_v3_small", "yolo_tiny", "unet",
                 "densenet"):
        assert listed[name].input_shape == (3, 224, 224)
        assert listed[f"{name}_sim"].input_shape[1] <= 64
