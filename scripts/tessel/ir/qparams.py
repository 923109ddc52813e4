"""Per-tensor affine quantization of activations: real = scale * (q - zero_point), q in [0, 255]."""

from dataclasses import dataclass

import numpy as np

QMIN, QMAX = 0, 255


@dataclass(frozen=True)
class QParams:
    scale: float
    zero_point: int

    def __post_init__(self):
        if not (self.scale > 0 and np.isfinite(self.scale)):
            raise ValueError(f"scale must be positive and finite, got {self.scale}")
        if not QMIN <= self.zero_point <= QMAX:
            raise ValueError(f"zero point {self.zero_point} is outside [{QMIN}, {QMAX}]")

    @classmethod
    def from_range(cls, lo: float, hi: float) -> "QParams":
        """The uint8 affine mapping of [lo, hi], widened to contain 0 so that 0 is exact."""
        lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
        if hi - lo <= 0 or not np.isfinite(hi - lo):
            return cls(1.0, 0)
        scale = (hi - lo) / (QMAX - QMIN)
        zero_point = int(np.clip(np.rint(QMIN - lo / scale), QMIN, QMAX))
        return cls(scale, zero_point)

    def quantize(self, x) -> np.ndarray:
        """Host-side input quantization: round half to even (numpy rint), saturate to uint8."""
        x = np.asarray(x, dtype=np.float64)
        return np.clip(np.rint(x / self.scale) + self.zero_point, QMIN, QMAX).astype(np.uint8)

    def quantize_value(self, x: float) -> int:
        return int(self.quantize(np.array([x]))[0])

    def dequantize(self, q) -> np.ndarray:
        return (np.asarray(q, dtype=np.float32) - self.zero_point) * np.float32(self.scale)
