"""Range observers: they watch a tensor over the calibration batches and choose its range.

minmax      the observed minimum and maximum (what PyTorch's MinMaxObserver does).
percentile  clips the tails at the 0.01th / 99.99th percentile, so a few outliers do not
            stretch the scale of every other value.
mse         searches the clipping range that minimises the quantization mean squared error.
The last two keep a bounded random sample of each batch, so memory stays small.
"""

import numpy as np
import torch

from ..errors import InputError
from ..ir import QParams

SAMPLE_PER_BATCH = 1 << 17


class MinMaxObserver:
    def __init__(self):
        self.lo, self.hi = np.inf, -np.inf

    def update(self, x: torch.Tensor) -> None:
        self.lo = min(self.lo, float(x.min()))
        self.hi = max(self.hi, float(x.max()))

    def qparams(self) -> QParams:
        return QParams.from_range(self.lo, self.hi)


class _SampleObserver(MinMaxObserver):
    """Keeps min/max and, per batch, a uniform random sample of at most SAMPLE_PER_BATCH values
    weighted by how many values each one stands for, so batches of any size count fairly."""

    def __init__(self, seed: int = 0):
        super().__init__()
        self.generator = torch.Generator().manual_seed(seed)
        self.values, self.weights = [], []

    def update(self, x: torch.Tensor) -> None:
        super().update(x)
        flat = x.detach().reshape(-1).float()
        if flat.numel() > SAMPLE_PER_BATCH:
            index = torch.randperm(flat.numel(), generator=self.generator)[:SAMPLE_PER_BATCH]
            weight, flat = flat.numel() / SAMPLE_PER_BATCH, flat[index]
        else:
            weight = 1.0
        self.values.append(flat.numpy().astype(np.float64))
        self.weights.append(np.full(flat.numel(), weight))

    def sample(self) -> tuple[np.ndarray, np.ndarray]:
        values, weights = np.concatenate(self.values), np.concatenate(self.weights)
        order = np.argsort(values)
        return values[order], weights[order]


class PercentileObserver(_SampleObserver):
    def __init__(self, percentile: float = 99.99, seed: int = 0):
        super().__init__(seed)
        self.percentile = percentile

    def qparams(self) -> QParams:
        values, weights = self.sample()
        cumulative = np.cumsum(weights) / weights.sum()
        lo = values[np.searchsorted(cumulative, 1.0 - self.percentile / 100.0)]
        hi = values[min(np.searchsorted(cumulative, self.percentile / 100.0), len(values) - 1)]
        return QParams.from_range(max(lo, self.lo), min(hi, self.hi))


class MSEObserver(_SampleObserver):
    # Candidate ranges: the observed range shrunk by geometric steps down to 1/10^4, so one
    # extreme outlier cannot hide the range that suits the bulk of the values.
    FRACTIONS = np.geomspace(1.0, 1e-4, 100)

    def qparams(self) -> QParams:
        values, weights = self.sample()
        best, best_error = QParams.from_range(self.lo, self.hi), np.inf
        for fraction in self.FRACTIONS:
            q = QParams.from_range(self.lo * fraction, self.hi * fraction)
            error = np.average((q.dequantize(q.quantize(values)) - values) ** 2, weights=weights)
            if error < best_error:
                best, best_error = q, error
        return best


OBSERVERS = {"minmax": MinMaxObserver, "percentile": PercentileObserver, "mse": MSEObserver}


def check_observer(name: str) -> None:
    if not isinstance(name, str) or name not in OBSERVERS:
        raise InputError(f"unknown observer {name!r}; choose one of {', '.join(OBSERVERS)}")


def make_observer(name: str):
    check_observer(name)
    return OBSERVERS[name]()
