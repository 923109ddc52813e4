"""Models the front end must refuse: unsupported layers, options and operations, odd shapes,
data-dependent control flow, non-tensor returns. Each case puts one offending module at a known
path behind a supported stem; the refusal must be a TesselError that names that path
(tests/test_frontend_fuzz.py).

HAND holds cases written out; random_case(seed) draws an offender with random options from
OFFENDERS and hides it at a random depth of a random input shape. The other way round,
accepted_case(seed) draws layers beyond plain CNNs (ACCEPTED: depthwise, grouped, dilated,
large and transposed convolutions, concatenation, upsampling, table activations, products,
several outputs, a softmax at the end) that must import, quantize and stay near float.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Fn(nn.Module):
    """An operation written in forward, as people write custom blocks."""

    def __init__(self, fn, name: str = ""):
        super().__init__()
        self.fn, self.name = fn, name

    def forward(self, x):
        return self.fn(x)

    def extra_repr(self):
        return self.name


class Nest(nn.Module):
    """Holds a child under the attribute `name`: makes module paths deeper."""

    def __init__(self, name: str, child: nn.Module):
        super().__init__()
        self.child_name = name
        setattr(self, name, child)

    def forward(self, x):
        return getattr(self, self.child_name)(x)


class Recurrent(nn.Module):
    """An LSTM, GRU or attention over the pixels as a sequence."""

    def __init__(self, c: int, kind: str):
        super().__init__()
        self.kind = kind
        self.layer = (nn.MultiheadAttention(c, 1, batch_first=True) if kind == "attention"
                      else getattr(nn, kind)(c, c, batch_first=True))

    def forward(self, x):
        seq = x.flatten(2).transpose(1, 2)
        out = self.layer(seq, seq, seq) if self.kind == "attention" else self.layer(seq)
        return out[0].transpose(1, 2).reshape(x.shape)


class Model(nn.Module):
    """A supported stem (conv, BatchNorm, ReLU), then the offender."""

    def __init__(self, c_in: int, c: int, offender: nn.Module, returns=None):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU())
        self.offender = offender
        self.returns = returns

    def forward(self, x):
        y = self.offender(self.stem(x))
        return self.returns(y) if self.returns else y


def _data_dependent(x):
    if x.mean() > 0:  # Python control flow on a value
        return x * 2
    return x


def _loop(x):
    while x.abs().max() > 1:  # a loop that runs as long as the data says
        x = x / 2
    return x


# Offenders: (name, factory(rng, c, h, w) -> module). Every option drawn is unsupported.
OFFENDERS = [
    ("stride 9+", lambda r, c, h, w: nn.Conv2d(c, c, 3, stride=int(r.integers(9, 12)), padding=1)),
    ("kernel 17+", lambda r, c, h, w: nn.Conv2d(c, c, int(r.integers(17, 19)), padding=8)),
    ("padding mode", lambda r, c, h, w: nn.Conv2d(c, c, 3, padding=1, padding_mode=str(
        r.choice(["reflect", "replicate", "circular"])))),
    ("grouped conv transpose", lambda r, c, h, w: nn.Sequential(nn.Conv2d(c, 2 * c, 1),
                                                                nn.ConvTranspose2d(2 * c, 2 * c, 2, 2, groups=2))),
    ("fractional upsample", lambda r, c, h, w: nn.Upsample(scale_factor=float(r.choice([1.5, 2.5])))),
    ("bilinear 3x+", lambda r, c, h, w: nn.Upsample(scale_factor=int(r.integers(3, 5)), mode="bilinear")),
    ("aligned bilinear", lambda r, c, h, w: nn.Upsample(scale_factor=2, mode="bilinear",
                                                        align_corners=True)),
    ("group norm", lambda r, c, h, w: nn.GroupNorm(1, c)),
    ("layer norm", lambda r, c, h, w: nn.LayerNorm([c, h, w])),
    ("instance norm", lambda r, c, h, w: nn.InstanceNorm2d(c, affine=True)),
    ("selu", lambda r, c, h, w: nn.SELU()),
    ("per-channel prelu", lambda r, c, h, w: nn.Sequential(nn.Conv2d(c, 2 * c, 1), nn.PReLU(2 * c))),
    ("softmax inside", lambda r, c, h, w: nn.Sequential(nn.Softmax(dim=1), nn.Conv2d(c, c, 1))),
    ("softmax over pixels", lambda r, c, h, w: nn.Softmax(dim=int(r.integers(2, 4)))),
    ("negative leaky slope", lambda r, c, h, w: nn.LeakyReLU(-float(r.uniform(0.01, 1)))),
    ("dilated max pool", lambda r, c, h, w: nn.MaxPool2d(2, 1, dilation=int(r.integers(2, 4)))),
    ("avg pool divisor", lambda r, c, h, w: nn.AvgPool2d(2, 1, divisor_override=3)),
    ("avg pool without pad", lambda r, c, h, w: nn.AvgPool2d(3, 1, padding=1, count_include_pad=False)),
    ("adaptive max pool", lambda r, c, h, w: nn.AdaptiveMaxPool2d(1)),
    ("pixel shuffle", lambda r, c, h, w: nn.Sequential(nn.Conv2d(c, 4 * c, 1), nn.PixelShuffle(2))),
    ("recurrent", lambda r, c, h, w: Recurrent(c, str(r.choice(["LSTM", "GRU", "RNN", "attention"])))),
    ("linear on a map", lambda r, c, h, w: nn.Linear(w, 3)),
    ("batchnorm1d", lambda r, c, h, w: nn.Sequential(nn.Flatten(), nn.BatchNorm1d(c * h * w))),
    ("concatenation over pixels", lambda r, c, h, w: _cat_over(int(r.integers(2, 4)))),
    ("product over pixels", lambda r, c, h, w: Fn(lambda x: x * x.mean(1, keepdim=True), "x * channel mean")),
    ("division by a tensor", lambda r, c, h, w: Fn(lambda x: x / (x.abs() + 1), "x / (|x| + 1)")),
    ("constant tensor add", lambda r, c, h, w: Fn(lambda x: x + torch.ones(c, 1, 1), "x + ones")),
    ("permute", lambda r, c, h, w: Fn(lambda x: x.permute(0, 1, 3, 2), "permute")),
    ("slice", lambda r, c, h, w: Fn(lambda x: x[:, :, 1:], "x[:, :, 1:]")),
    ("pad", lambda r, c, h, w: Fn(lambda x: F.pad(x, (1, 1, 1, 1)), "F.pad")),
    ("channel mean", lambda r, c, h, w: Fn(lambda x: x.mean(1, keepdim=True), "x.mean(1)")),
    ("batch flatten", lambda r, c, h, w: Fn(lambda x: x.reshape(-1), "x.reshape(-1)")),
    ("data-dependent if", lambda r, c, h, w: Fn(_data_dependent, "if x.mean() > 0")),
    ("data-dependent loop", lambda r, c, h, w: Fn(_loop, "while x.abs().max() > 1")),
    ("item", lambda r, c, h, w: Fn(lambda x: x - x.max().item(), "x.max().item()")),
    ("boolean mask", lambda r, c, h, w: Fn(lambda x: x[x > 0].sum() + x, "x[x > 0]")),
]

# Returns that are not a tensor or a flat tuple/list of tensors: the top-level module is at fault.
RETURNS = [("dict", lambda y: {"out": y}), ("None", lambda y: None), ("int", lambda y: 3),
           ("tensor and int", lambda y: (y, 1)), ("nested tuple", lambda y: ((y, y), y))]


def _cat_over(dim: int) -> Fn:
    return Fn(lambda x: torch.cat([x, x], dim), f"cat over dim {dim}")


def _scalar_arithmetic(a: float) -> Fn:
    """(x + a) * 2 / 3, a drawn once (not at every call)."""
    return Fn(lambda x: (x + a) * 2 / 3, f"(x + {a:.3g}) * 2 / 3")


class SqueezeExcite(nn.Module):
    """x * gate(fc(pool(x))), as torchvision writes it."""

    def __init__(self, c: int, gate: nn.Module):
        super().__init__()
        self.fc1, self.fc2 = nn.Conv2d(c, max(1, c // 2), 1), nn.Conv2d(max(1, c // 2), c, 1)
        self.gate = gate

    def forward(self, x):
        return x * self.gate(self.fc2(torch.relu(self.fc1(x.mean((2, 3), keepdim=True)))))


class Branches(nn.Module):
    """Two branches concatenated over channels (the second optionally downsampled and
    upsampled back), as detectors and U-Nets join features."""

    def __init__(self, c: int, up: str):
        super().__init__()
        self.a = nn.Conv2d(c, c, 3, padding=1)
        self.b = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(c, c, 1)) if up else nn.Conv2d(c, c, 1)
        self.up = nn.Upsample(scale_factor=2, mode=up) if up else nn.Identity()

    def forward(self, x):
        return torch.cat([self.a(x), self.up(self.b(x)), x], dim=1)


class Heads(nn.Module):
    """Several outputs: the input and a head, optionally ending in a softmax."""

    def __init__(self, c: int, softmax: bool):
        super().__init__()
        self.head = nn.Conv2d(c, 3, 1)
        self.softmax = softmax

    def forward(self, x):
        y = self.head(x)
        return (torch.relu(x), torch.softmax(y, 1) if self.softmax else y)


# Layers beyond plain CNNs: (name, factory(rng, c, h, w) -> module) for even h, w >= 4.
ACCEPTED = [
    ("depthwise conv", lambda r, c, h, w: nn.Conv2d(c, c, int(r.choice([3, 5])), padding="same",
                                                    groups=c)),
    ("grouped conv", lambda r, c, h, w: nn.Sequential(nn.Conv2d(c, 2 * c, 1), nn.Conv2d(
        2 * c, 4 * c, 3, padding=1, stride=int(r.integers(1, 3)), groups=2))),
    ("dilated conv", lambda r, c, h, w: nn.Conv2d(c, c, 3, padding=int(r.integers(0, 3)),
                                                  dilation=int(r.choice([2, 4])))),
    ("large conv", lambda r, c, h, w: nn.Conv2d(c, c, int(r.integers(8, 17)),
                                                stride=int(r.integers(1, 9)), padding=4)),
    ("conv transpose", lambda r, c, h, w: nn.ConvTranspose2d(c, c, int(r.integers(2, 5)), stride=2,
                                                             padding=int(r.integers(0, 2)))),
    ("upsample", lambda r, c, h, w: nn.Upsample(scale_factor=int(r.integers(1, 4)))),
    ("bilinear 2x", lambda r, c, h, w: nn.Upsample(scale_factor=2, mode="bilinear")),
    ("activation", lambda r, c, h, w: [nn.Sigmoid, nn.Tanh, nn.GELU, nn.SiLU, nn.ELU, nn.Softplus,
                                       nn.Hardswish, nn.Hardsigmoid, nn.PReLU, nn.Mish][int(r.integers(10))]()),
    ("hardtanh", lambda r, c, h, w: nn.Hardtanh(-float(r.uniform(0.5, 2)), float(r.uniform(0.5, 2)))),
    ("scalar arithmetic", lambda r, c, h, w: _scalar_arithmetic(float(r.uniform(-1, 1)))),
    ("product", lambda r, c, h, w: Fn(lambda x: x * torch.sigmoid(x), "x * sigmoid(x)")),
    ("squeeze-excite", lambda r, c, h, w: SqueezeExcite(c, [nn.Sigmoid, nn.Hardsigmoid][int(r.integers(2))]())),
    ("concatenation", lambda r, c, h, w: Branches(c, str(r.choice(["", "nearest", "bilinear"])))),
    ("several outputs", lambda r, c, h, w: Heads(c, bool(r.integers(2)))),
]


def accepted_case(seed: int):
    """(model, calibration images, what): a supported stem, then a random layer of ACCEPTED."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    c_in, c = int(rng.integers(1, 5)), int(rng.integers(1, 9))
    h, w = (2 * int(rng.integers(2, 9)) for _ in range(2))
    name, factory = ACCEPTED[int(rng.integers(len(ACCEPTED)))]
    if name in ("large conv", "dilated conv"):  # room for kernels up to 16 (dilated: 9) wide
        h, w = h + 12, w + 12
    return Model(c_in, c, factory(rng, c, h, w)).eval(), torch.randn(16, c_in, h, w), name


def random_case(seed: int):
    """(model, example input, path the error must name, what the offender is)."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    c_in, c = int(rng.integers(1, 5)), int(rng.integers(1, 9))
    h, w = int(rng.integers(1, 13)), int(rng.integers(1, 13))
    x = torch.randn(2, c_in, h, w)
    if rng.random() < 0.15:  # the offender is the model's return value
        name, returns = RETURNS[int(rng.integers(len(RETURNS)))]
        return Model(c_in, c, nn.ReLU(), returns).eval(), x, "", f"returns {name}"
    name, factory = OFFENDERS[int(rng.integers(len(OFFENDERS)))]
    offender, path = factory(rng, c, h, w), []
    for _ in range(int(rng.integers(0, 3))):
        attribute = str(rng.choice(["body", "block", "inner", "layer"]))
        offender, path = Nest(attribute, offender), [attribute] + path
    return Model(c_in, c, offender).eval(), x, ".".join(["offender"] + path), name


def hand_cases() -> dict:
    """Cases written out: name -> (model, example input, path the error must name)."""
    x8 = torch.randn(2, 3, 8, 8)
    cases = {name: (Model(3, 4, factory(np.random.default_rng(0), 4, 8, 8)), x8, "offender")
             for name, factory in OFFENDERS}
    cases.update({f"returns {name}": (Model(3, 4, nn.ReLU(), returns), x8, "")
                  for name, returns in RETURNS})
    for name, offender, size in [("ceil mode", nn.MaxPool2d(2, ceil_mode=True), 7),
                                 ("uneven adaptive pool", nn.AdaptiveAvgPool2d(3), 8),
                                 ("kernel larger than the image", nn.Conv2d(4, 4, 5), 3),
                                 ("pool larger than the image", nn.MaxPool2d(4), 2)]:
        cases[name] = (Model(3, 4, offender), torch.randn(2, 3, size, size), "offender")
    return {name: (model.eval(), x, path) for name, (model, x, path) in cases.items()}
