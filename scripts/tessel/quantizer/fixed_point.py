"""Real-valued rescale factors as an integer multiplier and a right shift: m ~ M * 2^-s.

M is normalised to [2^30, 2^31) so it keeps 31 significant bits, and 1 <= s <= 62 so that
an int32 accumulator times M fits in a signed 64-bit product (docs/quantization.md).
"""

import math

from ..errors import QuantizationError

MULT_BITS = 31
MAX_SHIFT = 62


def quantize_multiplier(m: float, what: str = "rescale factor") -> tuple[int, int]:
    """(M, s) with m ~ M / 2^s; M == 0 for m == 0."""
    if not math.isfinite(m) or m < 0:
        raise QuantizationError(f"{what} {m!r} must be finite and non-negative")
    if m == 0:
        return 0, MULT_BITS
    mantissa, exponent = math.frexp(m)  # m = mantissa * 2^exponent, mantissa in [0.5, 1)
    multiplier = round(mantissa * (1 << MULT_BITS))
    shift = MULT_BITS - exponent
    if multiplier == 1 << MULT_BITS:  # mantissa rounded up to 1.0
        multiplier //= 2
        shift -= 1
    if shift > MAX_SHIFT:  # tiny factor: keep the largest shift, lose leading bits
        multiplier, shift = round(m * 2.0 ** MAX_SHIFT), MAX_SHIFT
    if shift < 1:
        raise QuantizationError(f"{what} {m:g} is too large for an int32 multiplier (>= 2^30)")
    return multiplier, shift


def quantize_multipliers_shared(factors: list[float], what: str = "rescale factor"
                                ) -> tuple[list[int], int]:
    """Several factors with one shared shift, set by the largest of them."""
    _, shift = quantize_multiplier(max(factors), what)
    return [round(f * 2.0 ** shift) for f in factors], shift
