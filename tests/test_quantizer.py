"""Quantization parameters, observers and the accuracy they keep."""

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel.errors import QuantizationError
from tessel.ir import QParams
from tessel.quantizer.observers import MinMaxObserver, MSEObserver, PercentileObserver, make_observer


def test_qparams_from_range_contains_zero_exactly():
    q = QParams.from_range(-1.0, 3.0)
    assert q.scale == pytest.approx(4.0 / 255)
    assert q.dequantize(q.quantize(0.0)) == 0.0
    assert QParams.from_range(0.5, 2.0).zero_point == 0  # widened to include 0
    assert QParams.from_range(-2.0, -0.5).zero_point == 255
    assert QParams.from_range(0.0, 0.0) == QParams(1.0, 0)


def test_input_quantization_rounds_half_to_even_and_saturates():
    q = QParams(0.5, 10)
    assert q.quantize(np.array([0.25, 0.75, -100.0, 1000.0])).tolist() == [10, 12, 0, 255]


@pytest.mark.parametrize("bad", [0.0, -1.0, float("inf")])
def test_qparams_reject_bad_scale(bad):
    with pytest.raises(ValueError):
        QParams(bad, 0)


def observe(observer, data):
    for chunk in data.split(50_000):
        observer.update(chunk)
    return observer.qparams()


def test_percentile_clips_rare_outliers(rng):
    data = torch.from_numpy(rng.normal(0, 1, 200_000)).float()
    data[:5] = 1000.0
    assert observe(PercentileObserver(), data).scale < observe(MinMaxObserver(), data).scale / 20


def test_mse_observer_minimises_quantization_error(rng):
    data = torch.from_numpy(rng.laplace(0, 1, 200_000)).float()  # heavy tails
    wide, mse = observe(MinMaxObserver(), data), observe(MSEObserver(), data)
    values = data.numpy().astype(np.float64)

    def error(q):
        return np.mean((q.dequantize(q.quantize(values)) - values) ** 2)
    # 8-bit Laplace: the best clip is ~0.83 of the observed range and saves ~1/4 of the error.
    assert mse.scale < 0.9 * wide.scale
    assert error(mse) < 0.85 * error(wide)
    with pytest.raises(ValueError, match="unknown observer"):
        make_observer("histogram")


def small_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.ReLU6(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4)).eval()


@pytest.mark.parametrize("observer", ["minmax", "percentile", "mse"])
def test_int8_output_tracks_float(observer):
    model = small_model()
    x = torch.randn(64, 3, 10, 10)
    net = tessel.compile(model, x, observer=observer)
    want = model(x).detach().numpy()
    got = net.predict(x)
    assert np.abs(got - want).max() < 0.1 * np.abs(want).max()


def test_fused_activations_become_clamps():
    net = tessel.compile(small_model(), torch.randn(32, 3, 10, 10))
    conv1, conv2 = net.graph.ops[0], net.graph.ops[1]
    assert (conv1.quant.clamp_min, conv1.quant.clamp_max) == (conv1.out_q.zero_point, 255)
    assert conv2.quant.clamp_max == conv2.out_q.quantize_value(6.0)
    assert conv1.quant.weight.dtype == np.int8 and np.abs(conv1.quant.weight).max() == 127


def test_accumulator_overflow_is_a_clear_error():
    model = nn.Sequential(nn.Conv2d(512, 1, 7)).eval()
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].bias.fill_(1e9)
    with pytest.raises(QuantizationError, match="layer '0'"):
        tessel.compile(model, torch.rand(2, 512, 7, 7) * 1e-6)
