"""Import of models as people write them, and clear errors for what is not supported."""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from tessel.errors import InputError, UnsupportedModelError
from tessel.frontend import import_model
from tessel.ir import ActivationOp, Add, AvgPool, Conv2d, MaxPool, ScaleShift
from tessel.ir.float_eval import run_float


def randomize_batchnorm(model):
    torch.manual_seed(0)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    return model.eval()


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += x  # in-place residual, as torchvision writes it
        return F.relu(out, inplace=True)


class Everything(nn.Module):
    """Every supported op, in the forms people use."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 5, stride=2, padding=2), nn.BatchNorm2d(8),
                                  nn.ReLU6())
        self.blocks = nn.Sequential(Block(8), nn.Sequential(Block(8)))
        self.post = nn.BatchNorm2d(8)  # after an activation: stays a scale-shift
        self.leaky = nn.LeakyReLU(0.1)
        self.conv1x1 = nn.Conv2d(8, 16, 1)
        self.conv_rect = nn.Conv2d(16, 16, (1, 7), padding=(0, 3))
        self.pool = nn.AvgPool2d(2, padding=1)
        self.drop = nn.Dropout(0.3)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        if x.dim() != 4 or x.shape[1] != 3:  # shape checks inside forward
            raise ValueError("expected RGB images")
        x = self.stem(x)
        x = F.max_pool2d(x, 3, stride=1, padding=1)
        x = self.blocks(x)
        x = self.leaky(self.post(x))
        x = F.relu(F.max_pool2d(self.conv1x1(x), 2))  # relu after pool: commuted and fused
        x = self.pool(self.conv_rect(x))
        x = self.drop(torch.flatten(x, 1))
        return self.fc2(F.relu(self.fc1(x)))


def kinds(graph):
    return [type(op).__name__ for op in graph.ops]


def test_everything_imports_and_matches_float():
    model = randomize_batchnorm(Everything())
    x = torch.randn(4, 3, 12, 12)
    graph = import_model(model, x)
    assert torch.allclose(run_float(graph, x), model(x), atol=1e-4)
    assert graph.output_shape == (10,)
    # BatchNorm after conv is folded; the one after an activation becomes a scale-shift.
    assert sum(isinstance(op, ScaleShift) for op in graph.ops) == 1
    assert sum(isinstance(op, Conv2d) for op in graph.ops) == 9
    assert [op.activation.kind for op in graph.ops if isinstance(op, Add)] == ["relu", "relu"]
    stem = graph.ops[0]
    assert stem.activation.kind == "relu6" and stem.stride == (2, 2)
    assert graph.op("conv1x1").activation.kind == "relu"  # moved in front of the max pool
    assert [op.activation.kind for op in graph.ops if isinstance(op, ActivationOp)] == ["leaky_relu"]
    fc1 = graph.op("fc1")
    assert fc1.from_linear and fc1.kernel == (2, 2) and fc1.activation.kind == "relu"


def test_global_pool_forms():
    class Net(nn.Module):
        def __init__(self, form):
            super().__init__()
            self.conv = nn.Conv2d(2, 4, 3)
            self.form = form
            self.gap = nn.AdaptiveAvgPool2d(1)

        def forward(self, x):
            x = self.conv(x)
            if self.form == "mean":
                return x.mean((2, 3))
            if self.form == "mean_keepdim":
                return x.mean(dim=(-1, -2), keepdim=True)
            return self.gap(x).view(x.size(0), -1)

    x = torch.randn(2, 2, 9, 9)
    for form in ("mean", "mean_keepdim", "adaptive"):
        model = Net(form).eval()
        graph = import_model(model, x)
        pool = graph.ops[-1]
        assert isinstance(pool, AvgPool) and pool.kernel == (7, 7), form
        assert torch.allclose(run_float(graph, x), model(x), atol=1e-5)


def test_adaptive_pool_to_divisible_size():
    model = nn.Sequential(nn.Conv2d(1, 2, 1), nn.AdaptiveAvgPool2d((2, 3))).eval()
    graph = import_model(model, torch.randn(1, 1, 8, 9))
    assert graph.ops[-1].kernel == (4, 3)


def test_maxpool_with_indices_and_clamp_forms():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3)

        def forward(self, x):
            x = torch.clamp(self.conv(x), 0, 6)
            return F.max_pool2d(x, 2)

    graph = import_model(Net().eval(), torch.randn(1, 1, 8, 8))
    assert kinds(graph) == ["Conv2d", "MaxPool"]
    assert graph.ops[0].activation.kind == "relu6"


def assert_unsupported(model, x, *fragments):
    with pytest.raises(UnsupportedModelError) as info:
        import_model(model.eval(), x)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def test_unsupported_layers_are_named():
    x = torch.randn(1, 4, 8, 8)
    big = torch.randn(1, 4, 20, 20)
    assert_unsupported(nn.Sequential(nn.Conv2d(4, 4, 17, padding=8)), big, "layer '0' (Conv2d)",
                       "17x17")
    assert_unsupported(nn.Sequential(nn.Conv2d(4, 4, 3, stride=9)), big, "stride")
    assert_unsupported(nn.Sequential(nn.Conv2d(4, 4, 3, padding=3, dilation=2)), x, "dilated")
    assert_unsupported(nn.Sequential(nn.ConvTranspose2d(4, 4, 3, groups=2)), x,
                       "layer '0' (ConvTranspose2d)", "groups=2")
    assert_unsupported(nn.Sequential(nn.Conv2d(4, 4, 3), nn.PReLU(4)), x, "layer '1'", "4 slopes")
    assert_unsupported(nn.Sequential(nn.Upsample(scale_factor=1.5)), x, "integer factors")
    assert_unsupported(nn.Sequential(nn.Upsample(scale_factor=4, mode="bilinear")), x, "only 2x")
    assert_unsupported(nn.Sequential(nn.Conv2d(4, 4, 3, padding=1, padding_mode="reflect")), x, "pad")
    assert_unsupported(nn.Sequential(nn.Linear(8, 3)), x, "Linear", "flattened")
    assert_unsupported(nn.Sequential(nn.MaxPool2d(2, ceil_mode=True)), torch.randn(1, 4, 7, 7), "ceil_mode")


def test_unsupported_functional_ops_name_the_code():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 1)

        def forward(self, x):
            return torch.cat([self.conv(x), x], dim=2)

    assert_unsupported(Net(), torch.randn(1, 4, 4, 4), "cat", "test_frontend.py:", "dim 2")

    class SoftmaxInside(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 1)

        def forward(self, x):
            return self.conv(torch.softmax(self.conv(x), dim=1))

    assert_unsupported(SoftmaxInside(), torch.randn(1, 4, 4, 4), "softmax",
                       "only on a model output")


def test_bad_inputs_and_modes():
    model = nn.Sequential(nn.Conv2d(4, 4, 1))
    with pytest.raises(UnsupportedModelError, match="training mode"):
        import_model(model.train(), torch.randn(1, 4, 4, 4))
    with pytest.raises(InputError, match=r"shape \(N, C, H, W\); got \(4, 4, 4\)"):
        import_model(model.eval(), torch.randn(4, 4, 4))

    class TwoOutputs(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 1)

        def forward(self, x):
            return self.conv(x), x

    assert_unsupported(TwoOutputs(), torch.randn(1, 4, 4, 4), "returns x", "not a tensor computed")

    class NestedOutputs(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 1)

        def forward(self, x):
            return {"a": self.conv(x)}

    assert_unsupported(NestedOutputs(), torch.randn(1, 4, 4, 4), "returns a dict")


class EdgeLayers(nn.Module):
    """Layers beyond plain CNNs, in the forms people write them."""

    def __init__(self):
        super().__init__()
        self.dilated = nn.Conv2d(3, 6, 3, padding="same", dilation=2)
        self.dw = nn.Conv2d(6, 6, 5, stride=2, padding=2, groups=6)
        self.up = nn.ConvTranspose2d(6, 4, 3, stride=2, padding=1, output_padding=1)
        self.prelu = nn.PReLU()

    def forward(self, x):
        y = F.hardswish(self.dilated(x))
        y = self.prelu(self.dw(y))
        y = self.up(y)
        y = y * torch.clamp(y, -1, 1)
        z = F.interpolate(y, scale_factor=2, mode="bilinear", align_corners=False)
        return torch.cat([F.max_pool2d(z, 2), y / 6.0 + 0.5], dim=1)


def test_edge_layers_import_exactly():
    torch.manual_seed(0)
    model, x = EdgeLayers().eval(), torch.randn(2, 3, 8, 8)
    graph = import_model(model, x)
    assert [op.kind for op in graph.ops].count("table") == 5  # hardswish, prelu, clamp, /6, +0.5
    assert graph.op("dilated").padding == (2, 2) and graph.op("dw").groups == 6
    assert torch.allclose(run_float(graph, x), model(x), atol=1e-5)
