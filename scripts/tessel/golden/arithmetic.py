"""The integer primitives of docs/quantization.md, shared by every golden op.

All arithmetic is on int64 tensors. Products of an int32 accumulator and a 31-bit
multiplier stay below 2^62, so nothing here can overflow.
"""

import torch

from ..ir import QMAX, QMIN


def round_shift(p: torch.Tensor, shift) -> torch.Tensor:
    """p / 2^shift rounded to nearest, ties to even (shift >= 1; per element or broadcast).

    floor((p + 2^(s-1) - 1 + bit_s(p)) / 2^s): adding the bit just above the binary point
    turns "ties up" into "ties to even". In hardware that is one adder and one wire.
    """
    shift = torch.as_tensor(shift, dtype=torch.int64)
    half_minus_one = torch.bitwise_left_shift(torch.ones_like(shift), shift - 1) - 1
    odd = torch.bitwise_and(torch.bitwise_right_shift(p, shift), 1)
    return torch.bitwise_right_shift(p + half_minus_one + odd, shift)


def divide_round(n: torch.Tensor, divisor: int) -> torch.Tensor:
    """n / divisor rounded to nearest, ties to even, exactly (divisor > 0)."""
    q = torch.div(n, divisor, rounding_mode="floor")
    twice_remainder = 2 * (n - q * divisor)
    up = (twice_remainder > divisor) | ((twice_remainder == divisor) & (q % 2 == 1))
    return q + up.to(torch.int64)


def saturate(value: torch.Tensor, zero_point: int, clamp_min: int = QMIN,
             clamp_max: int = QMAX) -> torch.Tensor:
    """Add the output zero point and clamp to [clamp_min, clamp_max] within uint8."""
    return torch.clamp(value + zero_point, clamp_min, clamp_max).to(torch.uint8)


def per_channel(values, ndim: int = 4) -> torch.Tensor:
    """An int64 per-channel vector shaped to broadcast over (N, C, H, W)."""
    return torch.as_tensor(values, dtype=torch.int64).view(1, -1, *([1] * (ndim - 2)))
