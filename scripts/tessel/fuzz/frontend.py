"""Models the front end must refuse: unsupported layers, options and operations, odd shapes,
data-dependent control flow, in-place operations, non-tensor returns. Each case puts one
offending module at a known path behind a supported stem; the refusal must be a TesselError
that names that path (tests/test_frontend_fuzz.py).

HAND holds cases written out; random_case(seed) draws an offender with random options from
OFFENDERS and hides it at a random depth of a random input shape.
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
    ("dilated conv", lambda r, c, h, w: nn.Conv2d(c, c, 3, padding=int(r.integers(0, 3)),
                                                  dilation=int(r.integers(2, 4)))),
    ("grouped conv", lambda r, c, h, w: nn.Sequential(nn.Conv2d(c, 2 * c, 1), nn.Conv2d(
        2 * c, 2 * c, 3, padding=1, groups=int(r.choice([2, 2 * c]))))),
    ("stride 3+", lambda r, c, h, w: nn.Conv2d(c, c, 3, stride=int(r.integers(3, 5)), padding=1)),
    ("kernel 8+", lambda r, c, h, w: nn.Conv2d(c, c, int(r.integers(8, 10)), padding=4)),
    ("padding mode", lambda r, c, h, w: nn.Conv2d(c, c, 3, padding=1, padding_mode=str(
        r.choice(["reflect", "replicate", "circular"])))),
    ("conv transpose", lambda r, c, h, w: nn.ConvTranspose2d(c, c, int(r.integers(1, 4)),
                                                             stride=int(r.integers(1, 3)))),
    ("upsample", lambda r, c, h, w: nn.Upsample(scale_factor=2,
                                                mode=str(r.choice(["nearest", "bilinear"])))),
    ("group norm", lambda r, c, h, w: nn.GroupNorm(1, c)),
    ("layer norm", lambda r, c, h, w: nn.LayerNorm([c, h, w])),
    ("instance norm", lambda r, c, h, w: nn.InstanceNorm2d(c, affine=True)),
    ("activation", lambda r, c, h, w: [nn.Sigmoid, nn.Tanh, nn.GELU, nn.SiLU, nn.ELU, nn.Softplus,
                                       nn.Hardswish, nn.PReLU, nn.Mish][int(r.integers(9))]()),
    ("softmax", lambda r, c, h, w: nn.Softmax(dim=1)),
    ("negative leaky slope", lambda r, c, h, w: nn.LeakyReLU(-float(r.uniform(0.01, 1)))),
    ("hardtanh", lambda r, c, h, w: nn.Hardtanh(-float(r.uniform(0.5, 2)), float(r.uniform(0.5, 2)))),
    ("dilated max pool", lambda r, c, h, w: nn.MaxPool2d(2, 1, dilation=int(r.integers(2, 4)))),
    ("avg pool divisor", lambda r, c, h, w: nn.AvgPool2d(2, 1, divisor_override=3)),
    ("avg pool without pad", lambda r, c, h, w: nn.AvgPool2d(3, 1, padding=1, count_include_pad=False)),
    ("adaptive max pool", lambda r, c, h, w: nn.AdaptiveMaxPool2d(1)),
    ("pixel shuffle", lambda r, c, h, w: nn.Sequential(nn.Conv2d(c, 4 * c, 1), nn.PixelShuffle(2))),
    ("recurrent", lambda r, c, h, w: Recurrent(c, str(r.choice(["LSTM", "GRU", "RNN", "attention"])))),
    ("linear on a map", lambda r, c, h, w: nn.Linear(w, 3)),
    ("batchnorm1d", lambda r, c, h, w: nn.Sequential(nn.Flatten(), nn.BatchNorm1d(c * h * w))),
    ("concatenation", lambda r, c, h, w: Fn(lambda x: torch.cat([x, x], 1), "cat")),
    ("product", lambda r, c, h, w: Fn(lambda x: x * x, "x * x")),
    ("scalar", lambda r, c, h, w: Fn(lambda x: x * float(r.uniform(0.1, 3)), "x * s")),
    ("constant add", lambda r, c, h, w: Fn(lambda x: x + 1.0, "x + 1")),
    ("in-place add", lambda r, c, h, w: Fn(lambda x: x.add_(1), "x.add_(1)")),
    ("in-place mul", lambda r, c, h, w: Fn(lambda x: x.mul_(2), "x.mul_(2)")),
    ("in-place clamp", lambda r, c, h, w: Fn(lambda x: x.clamp_(-1, 1), "x.clamp_(-1, 1)")),
    ("permute", lambda r, c, h, w: Fn(lambda x: x.permute(0, 1, 3, 2), "permute")),
    ("slice", lambda r, c, h, w: Fn(lambda x: x[:, :, 1:], "x[:, :, 1:]")),
    ("pad", lambda r, c, h, w: Fn(lambda x: F.pad(x, (1, 1, 1, 1)), "F.pad")),
    ("channel mean", lambda r, c, h, w: Fn(lambda x: x.mean(1, keepdim=True), "x.mean(1)")),
    ("squeeze-excite", lambda r, c, h, w: Fn(lambda x: x * x.mean((2, 3), keepdim=True), "x * mean")),
    ("batch flatten", lambda r, c, h, w: Fn(lambda x: x.reshape(-1), "x.reshape(-1)")),
    ("data-dependent if", lambda r, c, h, w: Fn(_data_dependent, "if x.mean() > 0")),
    ("data-dependent loop", lambda r, c, h, w: Fn(_loop, "while x.abs().max() > 1")),
    ("item", lambda r, c, h, w: Fn(lambda x: x - x.max().item(), "x.max().item()")),
    ("boolean mask", lambda r, c, h, w: Fn(lambda x: x[x > 0].sum() + x, "x[x > 0]")),
]

# Non-tensor returns: the top-level module is at fault.
RETURNS = [("tuple", lambda y: (y, y)), ("one-tuple", lambda y: (y,)), ("list", lambda y: [y]),
           ("dict", lambda y: {"out": y}), ("None", lambda y: None), ("int", lambda y: 3),
           ("tensor and int", lambda y: (y, 1))]


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
