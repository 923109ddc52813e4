"""Random PyTorch models built only from what the front end supports (frontend/export.py
SUPPORTED): convolutions of every kernel shape, stride and padding, BatchNorm (folded or
standalone), the activations, max and average pooling, residual adds, global pooling, Flatten
and Linear heads; weights and BatchNorm statistics at random scales."""

import numpy as np
import torch
import torch.nn as nn

ACTIVATIONS = (nn.ReLU, nn.ReLU6, lambda: nn.LeakyReLU(0.1), lambda: nn.LeakyReLU(0.01),
               lambda: nn.Hardtanh(0, 6), nn.Identity)


class Residual(nn.Module):
    def __init__(self, body: nn.Module, after: nn.Module):
        super().__init__()
        self.body, self.after = body, after

    def forward(self, x):
        return self.after(self.body(x) + x)


class Net(nn.Module):
    def __init__(self, features: list, head: list):
        super().__init__()
        self.features = nn.Sequential(*features)
        self.head = nn.Sequential(*head)

    def forward(self, x):
        return self.head(self.features(x))


def _activation(rng) -> nn.Module:
    return ACTIVATIONS[int(rng.integers(len(ACTIVATIONS)))]()


def _batchnorm(rng, c: int) -> nn.BatchNorm2d:
    bn = nn.BatchNorm2d(c)
    bn.running_mean.uniform_(-1, 1)
    bn.running_var.uniform_(0.2, 3)
    bn.weight.data.uniform_(-1.5, 1.5)  # negative scales too
    bn.bias.data.uniform_(-1, 1)
    return bn


def _conv(rng, c: int, h: int, w: int, residual: bool = False):
    """(layers, out channels, out h, out w) of a random convolution that fits an h x w input."""
    if residual:  # same shape out: odd kernel, padding k // 2, stride 1
        kh = kw = int(rng.choice([1, 3, 5]))
        k, stride, pad = c, (1, 1), (kh // 2, kw // 2)
    else:
        kh, kw = (int(rng.integers(1, 8)) for _ in range(2))
        if rng.random() < 0.5:
            kw = kh
        stride = tuple(int(rng.integers(1, 3)) for _ in range(2))
        pad = (int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1)))
        kh, kw = min(kh, h + 2 * pad[0]), min(kw, w + 2 * pad[1])
        pad = (min(pad[0], kh // 2), min(pad[1], kw // 2))
        k = int(rng.integers(1, 48))
    conv = nn.Conv2d(c, k, (kh, kw), stride, pad, bias=bool(rng.random() < 0.7))
    conv.weight.data *= float(10 ** rng.uniform(-1.5, 1))
    layers = [conv] + ([_batchnorm(rng, k)] if rng.random() < 0.5 else []) + [_activation(rng)]
    oh, ow = ((n + 2 * p - kk) // s + 1 for n, p, kk, s in zip((h, w), pad, (kh, kw), stride))
    return layers, k, oh, ow


def _pool(rng, h: int, w: int):
    kh, kw = min(int(rng.integers(1, 8)), h), min(int(rng.integers(1, 8)), w)
    if rng.random() < 0.6:
        kw = kh = min(kh, kw)
    stride = (int(rng.integers(1, kh + 1)), int(rng.integers(1, kw + 1)))
    pad = (int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1)))
    pool = (nn.MaxPool2d if rng.random() < 0.5 else nn.AvgPool2d)((kh, kw), stride, pad)
    return pool, *((n + 2 * p - k) // s + 1 for n, p, k, s in zip((h, w), pad, (kh, kw), stride))


def random_model(rng: np.random.Generator) -> tuple[nn.Module, tuple[int, int, int]]:
    """A random eval-mode model and its input shape (C, H, W)."""
    c = int(rng.choice([1, 2, 3, 4, 8, 16, 20]))
    h = int(rng.integers(1, 21))
    w = h if rng.random() < 0.6 else int(rng.integers(1, 21))
    shape, features = (c, h, w), []
    for _ in range(int(rng.integers(1, 6))):
        kind = rng.choice(["conv", "conv", "conv", "residual", "pool", "batchnorm", "activation"])
        if kind == "conv":
            layers, c, h, w = _conv(rng, c, h, w)
            features += layers
        elif kind == "residual":
            layers, *_ = _conv(rng, c, h, w, residual=True)
            features.append(Residual(nn.Sequential(*layers[:-1]), _activation(rng)))
        elif kind == "pool":
            pool, h, w = _pool(rng, h, w)
            features.append(pool)
        elif kind == "batchnorm":
            features.append(_batchnorm(rng, c))
        else:
            features.append(nn.LeakyReLU(float(rng.choice([0.01, 0.1, 0.25]))))
    head = []
    ending = rng.choice(["gap_linear", "flatten_linear", "feature_map"])
    if ending == "gap_linear":
        head = [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        features_out = c
    elif ending == "flatten_linear" and c * h * w <= 512 and max(h, w) <= 7:
        head = [nn.Flatten()]
        features_out = c * h * w
    else:
        features_out = None
    if features_out is not None:
        for _ in range(int(rng.integers(1, 3))):
            out = int(rng.integers(1, 33))
            head += [nn.Linear(features_out, out), _activation(rng)]
            features_out = out
    return Net(features, head).eval(), shape


def random_data(rng: np.random.Generator, shape: tuple, n: int = 8) -> torch.Tensor:
    """Calibration images at a random scale and offset."""
    x = rng.normal(float(rng.uniform(-1, 1)), float(10 ** rng.uniform(-1, 1)), (n, *shape))
    return torch.from_numpy(x.astype(np.float32))
