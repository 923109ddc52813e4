"""The ops beyond plain CNNs: golden model against PyTorch where PyTorch has the operator
(tests/test_golden_vs_torch.py runs every random kind), against float where it has not; several
outputs, the host's softmax/argmax, concatenation scales, and the accelerator's refusal."""

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import tessel
from tessel import golden
from tessel.errors import UnsupportedModelError
from tessel.golden.elementwise import _bilinear_2x_rows
from tessel.ir import INPUT, Concat, Conv2d, QParams, Table
from tessel.ir.float_eval import run_float
from tessel.ir.functions import FUNCTIONS, apply_function
from tessel.quantizer.random_graphs import random_graph
from tessel.quantizer.tensor_ops import quantize_table
from tessel.reference.torch_quantized import reference_op

TABLE_FUNCTIONS = [f for f in FUNCTIONS if f not in ("hardtanh", "scale", "offset")]


@pytest.mark.parametrize("function", TABLE_FUNCTIONS)
def test_table_is_within_one_lsb_of_float(function, rng):
    """Over all 256 codes, at random scales: where the float result lies in the output's
    range, the table's value is within 1 LSB of it (half an LSB plus float64 noise)."""
    for _ in range(20):
        in_q = QParams(float(10 ** rng.uniform(-3, -0.5)), int(rng.integers(0, 256)))
        real = (np.arange(256) - in_q.zero_point) * in_q.scale
        parameters = (0.25,) if function == "prelu" else ()
        f = apply_function(function, parameters, torch.from_numpy(real)).numpy()
        out_q = QParams.from_range(f.min() * rng.uniform(0.5, 1.0), f.max() * rng.uniform(0.5, 1.0))
        op = Table("t", [INPUT], (1, 1, 1), "test", function=function, parameters=parameters)
        op.out_q = out_q
        table = quantize_table(op, [in_q]).table
        inside = (f >= out_q.dequantize(0)) & (f <= out_q.dequantize(255))
        error = np.abs(out_q.dequantize(table).astype(np.float64) - f)[inside] / out_q.scale
        assert error.max(initial=0) <= 1.0, (function, in_q, out_q, error.max())
        assert (table[~inside & (f > 0)] == 255).all() and (table[~inside & (f < 0)] == 0).all()


def test_bilinear_upsampling_matches_float_and_differs_from_pytorch_only_on_ties(rng):
    compared = mismatched = 0
    for _ in range(20):
        graph, x = random_graph("upsample_bilinear", rng)
        op, q = graph.ops[-1], graph.input_q
        ours = golden.run(graph, x).astype(np.int64)
        exact = F.interpolate(torch.from_numpy(x).double() - q.zero_point, scale_factor=2,
                              mode="bilinear", align_corners=False).numpy() + q.zero_point
        assert np.abs(ours - np.clip(exact, 0, 255)).max() <= 0.5
        theirs = reference_op(graph, op, [x]).astype(np.int64)
        sums = _bilinear_2x_rows(_bilinear_2x_rows(torch.from_numpy(x).long() - q.zero_point, 2),
                                 3).numpy()
        differ = ours != theirs
        assert not (differ & (sums % 16 != 8)).any(), "mismatch away from an exact tie"
        compared, mismatched = compared + ours.size, mismatched + differ.sum()
    assert mismatched / compared < 0.05


class SeveralOutputs(nn.Module):
    """Two heads (one upsampled and concatenated into the other, YOLO-style) and a softmax."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.SiLU())
        self.down = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.head1 = nn.Conv2d(8, 4, 1)
        self.head2 = nn.Conv2d(16, 4, 3, padding=2, dilation=2)
        self.fc = nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        fine = self.stem(x)
        coarse = torch.relu(self.down(fine))
        joined = torch.cat([fine, F.interpolate(coarse, scale_factor=2)], dim=1)
        h1 = self.head1(coarse)
        return h1, self.head2(joined), torch.softmax(self.fc(torch.flatten(h1, 1)), dim=1)


def test_several_outputs_come_back_in_order_and_softmax_runs_on_the_host():
    torch.manual_seed(0)
    model, x = SeveralOutputs().eval(), torch.randn(16, 3, 8, 8)
    network = tessel.compile(model, x)
    graph = network.graph
    assert graph.outputs == ["head1", "head2", "fc"] and graph.host_ops == {2: "softmax"}
    assert [o.shape for o in golden.run(graph, network.input_u8(x))] == \
        [(16, 4, 4, 4), (16, 4, 8, 8), (16, 5, 1, 1)]
    floats = run_float(graph, x)
    expected = model(x)
    for ours, theirs in zip(floats[:2], expected[:2]):
        assert torch.allclose(ours, theirs, atol=1e-5)
    predicted = network.predict(x)
    codes = network.predict_int(x)
    assert [p.shape for p in predicted] == [(16, 4, 4, 4), (16, 4, 8, 8), (16, 5)]
    assert [c.shape for c in codes] == [(16, 4, 4, 4), (16, 4, 8, 8), (16, 5)]
    assert np.allclose(predicted[2].sum(axis=1), 1.0, atol=1e-5)
    for ours, theirs in zip(predicted, expected):
        cosine = (ours.ravel() @ theirs.detach().numpy().ravel()) / (
            np.linalg.norm(ours) * np.linalg.norm(theirs.detach().numpy()))
        assert cosine > 0.98
    with pytest.raises(UnsupportedModelError, match=r"layer 'stem.2' \(SiLU\).*does not run "
                                                    r"table silu"):
        network.executable  # noqa: B018 (building it is the check)


def test_argmax_at_the_end_runs_on_the_host():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 6, 3), nn.ReLU(), nn.Flatten(), nn.Linear(6 * 6 * 6, 4))
    x = torch.randn(32, 3, 8, 8)

    class ArgMax(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = model

        def forward(self, x):
            return self.body(x).argmax(dim=1)

    network = tessel.compile(ArgMax().eval(), x)
    assert network.graph.host_ops == {0: "argmax"} and network.graph.output_shape == (4,)
    classes = network.predict(x)
    assert classes.shape == (32,)
    assert (classes == model(x).argmax(1).numpy()).mean() >= 0.9
    with pytest.raises(UnsupportedModelError, match="host argmax"):
        network.executable  # noqa: B018


def test_concat_inputs_that_requantize_take_the_concat_scale():
    """A producer that requantizes writes the concatenation's codes (identity multiplier
    2^30 / 2^30); the graph input cannot, so the concat requantizes it."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Conv2d(3, 4, 1), nn.Conv2d(3, 4, 3, padding=1)

        def forward(self, x):
            return torch.cat([self.a(x), x, self.b(x) * 4.0], 1)

    torch.manual_seed(0)
    model, calibration = Net().eval(), torch.randn(8, 3, 6, 6)
    network = tessel.compile(model, calibration)
    graph = network.graph
    concat = next(op for op in graph.ops if isinstance(op, Concat))
    for name, m, s in zip(concat.inputs, concat.quant.multiplier, concat.quant.shift):
        if name != INPUT:  # a convolution and a table (x * 4.0)
            assert graph.qparams_of(name) == concat.out_q and (m, s) == (1 << 30, 30)
    assert concat.inputs[1] == INPUT and graph.input_q != concat.out_q
    assert concat.quant.multiplier[1] / 2 ** concat.quant.shift[1] == pytest.approx(
        graph.input_q.scale / concat.out_q.scale)
    error = np.abs(network.predict(calibration) - model(calibration).detach().numpy())
    assert error.max() <= 2 * concat.out_q.scale  # input rounding plus the output rounding


def test_the_accelerator_refuses_new_convolution_forms_naming_the_layer():
    x = torch.randn(4, 4, 12, 12)
    for layer, what in ((nn.Conv2d(4, 4, 3, groups=4), "dwconv3x3"),
                        (nn.Conv2d(4, 4, 3, dilation=2), "/d2"),
                        (nn.Conv2d(4, 4, 9, padding=4), "conv9x9"),
                        (nn.Conv2d(4, 4, 3, stride=4), "conv3x3/s4"),
                        (nn.ConvTranspose2d(4, 4, 2, stride=2), "convT2x2")):
        network = tessel.compile(nn.Sequential(nn.Conv2d(4, 4, 1), layer).eval(), x)
        with pytest.raises(UnsupportedModelError, match=rf"layer '1' .*{what}.* yet"):
            network.executable  # noqa: B018


def test_plain_networks_still_build_for_the_accelerator():
    """A Linear over an 8 x 8 map is a convolution with an 8 x 8 kernel: it runs, although a
    Conv2d of that kernel is refused (above)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(8 * 8 * 8, 10)).eval()
    network = tessel.compile(model, torch.randn(4, 3, 16, 16))
    assert len(network.executable.layers) == 3


@pytest.mark.parametrize("after", ["relu", "bn"])
def test_an_output_read_by_a_later_layer_is_not_fused_into(after):
    """relu(conv) (or bn(conv)) and conv returned together: the ReLU or BatchNorm must not be
    folded into the convolution, whose own output is returned too."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.bn = nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4)

        def forward(self, x):
            y = self.conv(x)
            return (torch.relu(y) if after == "relu" else self.bn(y)), y  # y: a second output

    torch.manual_seed(0)
    model, x = Net().eval(), torch.randn(8, 3, 6, 6)
    model.bn.running_mean.uniform_(-1, 1)
    graph = tessel.compile(model, x).graph
    assert len(graph.outputs) == 2 and graph.op("conv").activation.kind == "none"
    for ours, theirs in zip(run_float(graph, x), model(x), strict=True):
        assert torch.allclose(ours, theirs, atol=1e-5)
