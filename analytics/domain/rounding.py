"""The rounding rule of ../shared/domain.md §4.6: half-up, once, at the end, exact at ties.

Exact values (`Fraction`, `Decimal`) round with `round_half_up`. The SQL path computes floats; they
round with `half_up_array`, which re-decides a value from its exact form whenever the
float lies so close to a .5 tie that binary noise could decide it.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Callable

import numpy as np

# A float within this distance (in units of the last kept decimal) of a .5 tie is re-decided exactly.
# float64 error on these magnitudes is ~1e-12 of a unit; the margin is a million times that.
TIE_MARGIN = 1e-6


def round_half_up(value: Fraction | Decimal | int | str, places: int = 2) -> Decimal:
    """Half-up rounding of an exact value. Floats are refused: they are not exact (use half_up_array)."""
    if isinstance(value, float):
        raise TypeError("round_half_up takes exact values; use half_up_array for floats")
    if isinstance(value, Fraction):
        return Decimal(half_up_units(value, places)).scaleb(-places)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def half_up_units(value: Fraction, places: int) -> int:
    """floor(value × 10^places + 1/2), exact for any sign, in integers (no Fraction arithmetic)."""
    scale = 10**places
    return (2 * value.numerator * scale + value.denominator) // (2 * value.denominator)


def near_tie(values, places: int) -> np.ndarray:
    """Which floats lie within TIE_MARGIN of a .5 tie at `places` decimals."""
    scaled = np.asarray(values, dtype="float64") * 10**places
    return np.abs(scaled - np.floor(scaled) - 0.5) < TIE_MARGIN


def half_up_array(values, places: int, exact_at: Callable[[int], Fraction]) -> np.ndarray:
    """Half-up rounding of floats computed from exact data: float64 array in, rounded float64 array
    out; `exact_at(i)` gives the true value of element i, asked only near a tie."""
    scaled = np.asarray(values, dtype="float64") * 10**places
    units = np.floor(scaled + 0.5)
    for i in np.flatnonzero(near_tie(values, places)):
        units[i] = half_up_units(Fraction(exact_at(int(i))), places)
    return units / 10**places


def hundredths(value) -> int | None:
    """A value already rounded to 2 decimals as whole hundredths (exact comparisons with a table)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (Decimal, Fraction, int)):
        return int(round_half_up(Fraction(value) * 100, 0))
    return math.floor(float(value) * 100 + 0.5)
