"""The integer primitives against exact rational arithmetic (Python's Fraction rounds half to even)."""

from fractions import Fraction

import numpy as np
import pytest
import torch

from tessel.errors import QuantizationError
from tessel.golden.arithmetic import divide_round, round_shift, saturate
from tessel.quantizer.fixed_point import quantize_multiplier, quantize_multipliers_shared


def exact_round(numerator: int, denominator: int) -> int:
    return round(Fraction(numerator, denominator))


def test_round_shift_matches_exact_rounding(rng):
    p = rng.integers(-(1 << 62), 1 << 62, 5000, dtype=np.int64)
    shifts = rng.integers(1, 63, 5000)
    got = round_shift(torch.from_numpy(p), torch.from_numpy(shifts)).numpy()
    want = [exact_round(int(a), 1 << int(s)) for a, s in zip(p, shifts)]
    assert got.tolist() == want


@pytest.mark.parametrize("shift", [1, 2, 5, 31, 62])
def test_round_shift_ties_go_to_even(shift):
    half = 1 << (shift - 1)
    ks = range(-6, 6) if shift < 59 else range(-1, 1)  # stay within int64
    ties = [k * (1 << shift) + half for k in ks]
    got = round_shift(torch.tensor(ties), shift).tolist()
    assert got == [k if k % 2 == 0 else k + 1 for k in ks]


def test_divide_round_matches_exact_rounding(rng):
    n = rng.integers(-300_000, 300_000, 5000)
    divisors = rng.integers(1, 200, 5000)
    got = [int(divide_round(torch.tensor([int(a)]), int(d))[0]) for a, d in zip(n[:500], divisors[:500])]
    assert got == [exact_round(int(a), int(d)) for a, d in zip(n[:500], divisors[:500])]
    for d in (2, 4, 6, 30, 196):  # every tie, both signs
        ties = torch.arange(-20, 20) * d + d // 2 if d % 2 == 0 else torch.arange(0)
        assert divide_round(ties, d).tolist() == [exact_round(int(t), d) for t in ties]


def test_saturate_clamps_to_uint8_and_activation_bounds():
    v = torch.tensor([-1000, -5, 0, 100, 300])
    assert saturate(v, 10).tolist() == [0, 5, 10, 110, 255]
    assert saturate(v, 10, 10, 200).tolist() == [10, 10, 10, 110, 200]


def test_quantize_multiplier_precision_and_range(rng):
    for m in 10.0 ** rng.uniform(-12, 8, 2000):
        multiplier, shift = quantize_multiplier(float(m))
        assert 1 <= shift <= 62
        if shift < 62:
            assert (1 << 30) <= multiplier < (1 << 31)
            assert abs(multiplier / 2.0 ** shift - m) <= m * 2.0 ** -31
    assert quantize_multiplier(0.0) == (0, 31)
    assert quantize_multiplier(1.0) == (1 << 30, 30)
    assert quantize_multiplier(0.25) == (1 << 30, 32)


def test_quantize_multiplier_rejects_bad_factors():
    with pytest.raises(QuantizationError, match="too large"):
        quantize_multiplier(2.0 ** 31)
    with pytest.raises(QuantizationError, match="non-negative"):
        quantize_multiplier(-0.5, "layer 'x' factor")
    with pytest.raises(QuantizationError):
        quantize_multiplier(float("nan"))


def test_shared_shift_keeps_ratio():
    (a, b), shift = quantize_multipliers_shared([0.75, 0.1])
    assert (1 << 30) <= a < (1 << 31)
    assert abs(b / 2.0 ** shift - 0.1) < 2.0 ** -31
