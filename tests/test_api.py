"""The public API: tessel.compile and CompiledNetwork."""

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel.config import load_config


def model():
    torch.manual_seed(1)
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3)).eval()


def test_compile_and_predict_shapes():
    x = torch.randn(16, 1, 8, 8)
    net = tessel.compile(model(), x, target="zcu104")
    assert isinstance(net, tessel.CompiledNetwork)
    assert net.predict(x).shape == (16, 3) and net.predict(x).dtype == np.float32
    raw = net.predict_int(x[:2])
    assert raw.dtype == np.uint8 and raw.shape == (2, 3)
    # uint8 input is taken as already quantized
    assert np.array_equal(net.predict_int(net.quantize_input(x[:2])), raw)
    assert "conv3x3" in net.summary() and "linear" in net.summary()


def test_errors_name_what_is_wrong(tmp_path):
    x = torch.randn(4, 1, 8, 8)
    net = tessel.compile(model(), x)
    with pytest.raises(tessel.BackendError, match="unknown backend 'fpga'.*golden"):
        net.predict(x, backend="fpga")
    with pytest.raises(ValueError, match=r"shape \(N, 1, 8, 8\)"):
        net.predict(torch.randn(2, 3, 8, 8))
    with pytest.raises(tessel.ConfigError, match="available targets: .*zcu104"):
        tessel.compile(model(), x, target="nosuchboard")
    bad = tmp_path / "bad.yaml"
    bad.write_text(load_config("zcu104").path.read_text().replace("k_p:", "kp:"))
    with pytest.raises(tessel.ConfigError, match="bad.yaml.array: unknown field.*kp"):
        load_config(bad)


def test_target_configuration_is_read():
    config = load_config("zcu104")
    assert config.part.startswith("xczu7ev")
    assert config.array.macs_per_cycle == config.array.k_p * config.array.y_p * config.array.c_p
