"""The arithmetic of ../shared/domain.md §4 and §6, exact: NRR, index, the ×25 conversion, percent,
the ZI nilai and the Krejcie–Morgan sample. Rounding lives in analytics/domain/rounding.py.

The functions take Fractions for exact work and also floats or numpy arrays (the SQL path), so
each rule is written once.
"""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

import numpy as np

from analytics.domain.instruments import Instrument
from analytics.domain.rounding import round_half_up

CONVERSION_FACTOR = 25        # nilai konversi 25–100 = index × 25, for 1–4 instruments (§4.5)


def nrr(score_sum: int, n_answers: int) -> Fraction:
    """NRR_i = Σ scores_i / n_i, unrounded."""
    return Fraction(score_sum, n_answers)


def index_from_sums(item_sums: Sequence[tuple[int, int]]) -> Fraction:
    """Index = Σ (1/k)·NRR_i over the k items with at least one answer. item_sums: (score_sum, n_i)."""
    answered = [(int(s), int(n)) for s, n in item_sums if n > 0]
    if not answered:
        raise ValueError("no item has an answer: the index is undefined")
    # Over a common denominator in plain integers: one Fraction at the end instead of one per item
    # (Fraction additions normalise at each step; 20× slower on 900 offices' readiness).
    common = math.lcm(*(n for _, n in answered))
    return Fraction(sum(s * (common // n) for s, n in answered), common * len(answered))


def index_from_nrr(nrrs: Sequence[Fraction | Decimal | str]) -> Fraction:
    """Index from published NRR values (equal weights 1/k)."""
    values = [v if isinstance(v, Fraction) else Fraction(Decimal(str(v))) for v in nrrs]
    return sum(values, Fraction(0)) / len(values)


def converted(index):
    """Nilai konversi (25–100) = Index × 25; only defined for 1–4 instruments (§4.5)."""
    return index * CONVERSION_FACTOR


def percent(index, scale_max: int):
    """Index / scale_max × 100, for every instrument."""
    return index / scale_max * 100


def shown_value(index, inst: Instrument):
    """The figure a page shows for an index (or an NRR) of `inst`: converted for 1–4, else percent."""
    return converted(index) if inst.is_four_point else percent(index, inst.scale_max)


def shown_column(inst: Instrument) -> str:
    """The indices column holding `shown_value`: 'converted' or 'percent'."""
    return "converted" if inst.is_four_point else "percent"


def nilai(index, scale_max, weight):
    """Survey result scored against its weight in the ZI evaluation sheet: Index / scale_max × bobot (§5).
    Exact for a Fraction index; float arrays (the SQL path) take the weights as floats, one per value."""
    exact = isinstance(index, (Fraction, int))
    return index / scale_max * (Fraction(weight) if exact else np.asarray(weight, dtype="float64"))


def index_at_nilai(value: Decimal, scale_max: int, weight: Decimal) -> Fraction:
    """The index whose nilai is `value` (a ZI threshold drawn on an index or converted axis)."""
    return Fraction(value) / Fraction(weight) * scale_max


def krejcie_morgan(population: int) -> int:
    """Minimum sample for population N (PermenPANRB 14/2017, §6)."""
    if population < 1:
        raise ValueError("population must be at least 1")
    value = (Fraction("3.841") * population * Fraction("0.25")
             / (Fraction("0.0025") * (population - 1) + Fraction("0.9603")))
    return int(round_half_up(value, 0))
