"""Bad models, calibration data and images through the API (tessel.compile, import_model,
quantize, predict): each is refused with an error naming the input, layer or parameter, and
nothing is written (the generated-files folder stays as it was) or changed."""

import numpy as np
import pytest
import torch
import torch.nn as nn

import tessel
from tessel.errors import InputError, UnsupportedModelError
from tessel.quantizer import quantize

from .conftest import cli_refused


class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.conv1(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.layer1 = nn.Sequential(Block(4))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(4 * 8 * 8, 3))

    def forward(self, x):
        return self.head(self.layer1(self.stem(x)))


def net() -> Net:
    torch.manual_seed(0)
    return Net().eval()


def images(n=8) -> torch.Tensor:
    return torch.randn(n, 1, 8, 8, generator=torch.Generator().manual_seed(1))


@pytest.fixture
def gen(tmp_path, monkeypatch):
    """Generated files go to a folder of the test's own, which must stay absent."""
    folder = tmp_path / "gen"
    monkeypatch.setenv("TESSEL_GEN_DIR", str(folder))
    return folder


def with_value(x: torch.Tensor, index, value) -> torch.Tensor:
    x = x.clone()
    x[index] = value
    return x


def with_parameter(path: str, index, value) -> Net:
    model = net()
    with torch.no_grad():
        model.get_parameter(path)[index] = value
    return model


@pytest.mark.parametrize("data, culprits", [
    (images()[:0], ["the calibration data is empty", "(0, 1, 8, 8)"]),
    (with_value(images(), (3, 0, 2, 2), float("nan")), ["1 NaN value", "image 3"]),
    (with_value(images(), (0, 0, 7, 7), float("inf")), ["1 infinite value", "image 0"]),
    (torch.full((4, 1, 8, 8), float("nan")), ["256 NaN values"]),
    (torch.zeros(4, 1, 8, 8), ["all zeros", "no range"]),
    (images()[0], ["shape (N, C, H, W)", "got (1, 8, 8)"]),
    (torch.randn(4, 3, 8, 8), ["3 channels", "layer 'stem.0' (Conv2d)", "takes 1"]),
    (images().to(torch.int64), ["float images", "torch.int64"]),
    (torch.complex(images(), images()), ["float images", "torch.complex64"]),
    (images() > 0, ["float images", "torch.bool"]),
    (np.zeros((4, 1, 8, 8), np.uint8), ["float images", "uint8"]),
], ids=["empty", "nan-pixel", "inf-pixel", "all-nan", "all-zero", "3-d", "channels", "int",
        "complex", "bool", "numpy-uint8"])
def test_bad_calibration_data_is_refused(gen, expect_refused, data, culprits):
    with expect_refused(InputError, *culprits, unchanged=[gen]):
        tessel.compile(net(), data, target="small")


@pytest.mark.parametrize("model, culprits", [
    (lambda: with_parameter("layer1.0.conv1.weight", (0, 0, 0), float("nan")),
     ["layer1.0.conv1.weight has 3 NaN values"]),
    (lambda: with_parameter("head.1.bias", 2, float("inf")), ["head.1.bias has 1 infinite value"]),
], ids=["nan-weight", "inf-bias"])
def test_non_finite_parameter_is_refused_by_name(gen, expect_refused, model, culprits):
    with expect_refused(InputError, *culprits, unchanged=[gen]):
        tessel.compile(model(), images(), target="small")


@pytest.mark.parametrize("value, culprits", [
    (-0.5, ["stem.1.running_var has 1 negative value", "variance"]),
    (float("nan"), ["stem.1.running_var has 1 NaN value"]),
])
def test_bad_batchnorm_statistics_are_refused(gen, expect_refused, value, culprits):
    model = net()
    model.stem[1].running_var[2] = value
    with expect_refused(InputError, *culprits, unchanged=[gen]):
        tessel.compile(model, images(), target="small")


@pytest.mark.parametrize("call, error, culprits", [
    (lambda: tessel.compile(net(), None), TypeError, ["calibration data", "got None"]),
    (lambda: tessel.compile(net(), [[0.5]]), TypeError, ["calibration data", "got a list"]),
    (lambda: tessel.compile(lambda x: x, images()), TypeError, ["torch.nn.Module", "a function"]),
    (lambda: tessel.compile(net(), images(), observer="foo"), ValueError,
     ["'foo'", "minmax, percentile, mse"]),
    (lambda: tessel.compile(net(), images(), target=None), TypeError, ["target", "NoneType"]),
    (lambda: tessel.compile(net(), images(), name=7), TypeError, ["name", "int"]),
], ids=["none", "list", "function", "observer", "target", "name"])
def test_api_misuse_says_what_was_expected(gen, expect_refused, call, error, culprits):
    with expect_refused(error, *culprits, unchanged=[gen]) as info:
        call()
    assert isinstance(info.value, tessel.TesselError)  # the command line reports it, too


def test_model_in_training_mode_is_refused_and_left_as_it_was(gen, expect_refused):
    model = net().train()
    with expect_refused(UnsupportedModelError, "training mode", "model.eval()", unchanged=[gen]):
        tessel.compile(model, images(), target="small")
    assert model.training


def test_quantize_checks_data_against_the_graph(expect_refused):
    from tessel.frontend import import_model
    graph = import_model(net(), images()[:1])
    with expect_refused(InputError, "(N, 1, 8, 8)", "got (4, 1, 9, 9)"):
        quantize(graph, torch.randn(4, 1, 9, 9))


@pytest.fixture(scope="module")
def compiled():
    return tessel.compile(net(), images(), target="small")


@pytest.mark.parametrize("x, culprits", [
    (with_value(images(4), (2, 0, 1, 1), float("nan")), ["1 NaN value", "image 2"]),
    (torch.randn(2, 3, 8, 8), ["(N, 1, 8, 8)", "got (2, 3, 8, 8)"]),
    (np.zeros((2, 8, 8), np.uint8), ["(N, 1, 8, 8)", "got (2, 8, 8)"]),
    (torch.ones(2, 1, 8, 8, dtype=torch.int32), ["float images", "int32"]),
    (images()[:0], ["empty"]),
], ids=["nan", "shape", "uint8-shape", "int", "empty"])
def test_bad_images_to_predict_are_refused(compiled, gen, expect_refused, x, culprits):
    with expect_refused(InputError, *culprits, unchanged=[gen]):
        compiled.predict(x)


USER_MODEL = '''
import torch, torch.nn as nn

def nan_calibration():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU()).eval()
    x = torch.randn(4, 1, 8, 8)
    x[1, 0, 0, 0] = float("nan")
    return model, x
'''


def test_compile_of_a_user_model_with_nan_calibration_writes_nothing(tmp_path):
    (tmp_path / "user_net.py").write_text(USER_MODEL)
    out = tmp_path / "out"
    cli_refused("compile", "user_net:nan_calibration", "--target", "small", "-o", out,
                culprits=["calibration data has 1 NaN value", "image 1"], unchanged=[tmp_path],
                cwd=tmp_path, env={"TESSEL_GEN_DIR": str(tmp_path / "gen")})
    assert not out.exists()
