"""Golden semantics of the data-movement and elementwise ops: concatenation, upsampling,
table functions and the (broadcast) product. docs/quantization.md states each exactly."""

import torch

from ..ir import Concat, Mul, Table, Upsample
from .arithmetic import round_shift, saturate


def concat(op: Concat, inputs: list[torch.Tensor], zero_points: list[int]) -> torch.Tensor:
    """Each input requantized to the output's QParams, written to its own channel range.
    A multiplier of exactly 2^S (equal QParams) leaves the codes unchanged."""
    q, zy = op.quant, op.out_q.zero_point
    parts = [saturate(round_shift((x.to(torch.int64) - zx) * m, s), zy)
             for x, zx, m, s in zip(inputs, zero_points, q.multiplier, q.shift)]
    return torch.cat(parts, dim=1)


def mul(op: Mul, inputs: list[torch.Tensor], zero_points: list[int]) -> torch.Tensor:
    """(a - za) * (b - zb) is 17-bit signed, times a 31-bit multiplier: below 2^48."""
    (a, b), (za, zb) = inputs, zero_points
    product = (a.to(torch.int64) - za) * (b.to(torch.int64) - zb)  # b broadcasts over pixels
    return saturate(round_shift(product * op.quant.multiplier, op.quant.shift), op.out_q.zero_point)


def _bilinear_2x_rows(v: torch.Tensor, dim: int) -> torch.Tensor:
    """3 * v[i] + v[i -/+ 1] for output rows 2i / 2i+1 (edges repeat): weights x4 along dim."""
    n = v.shape[dim]
    before = torch.cat([v.narrow(dim, 0, 1), v.narrow(dim, 0, n - 1)], dim)
    after = torch.cat([v.narrow(dim, 1, n - 1), v.narrow(dim, n - 1, 1)], dim)
    pair = torch.stack([3 * v + before, 3 * v + after], dim + 1)
    return pair.flatten(dim, dim + 1)


def upsample(op: Upsample, x: torch.Tensor, zx: int) -> torch.Tensor:
    if op.mode == "nearest":
        return x.repeat_interleave(op.factor[0], 2).repeat_interleave(op.factor[1], 3)
    # Bilinear 2x, half-pixel centres: weights 9/16, 3/16, 3/16, 1/16 of the four nearest
    # inputs, one rounding at the end (a shift by 4), output QParams = input QParams.
    total = _bilinear_2x_rows(_bilinear_2x_rows(x.to(torch.int64) - zx, 2), 3)
    return saturate(round_shift(total, 4), zx)


def table(op: Table, x: torch.Tensor, zx: int) -> torch.Tensor:
    return torch.from_numpy(op.quant.table)[x.to(torch.int64)]
