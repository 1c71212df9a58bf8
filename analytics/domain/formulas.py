"""The arithmetic of ../shared/domain.md §4–6, exact, in one place.

Reference values are `Fraction`s; rounding is half-up, once, at the end (§4.6). The SQL path computes
indices as float64 and rounds them with `half_up_float`, which falls back to the exact value whenever
the float lies so close to a tie that binary noise could decide it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Callable, Sequence

from analytics.domain.instruments import Grade, Instrument, RoleRule, RuleSet

# A float within this distance (in units of the last kept decimal) of a .5 tie is re-decided exactly.
# float64 error on these magnitudes is ~1e-12 of a unit; the margin is a million times that.
_TIE_MARGIN = 1e-6


def round_half_up(value: Fraction | Decimal | int | str, places: int = 2) -> Decimal:
    """Half-up rounding of an exact value. Floats are refused: they are not exact (use half_up_float)."""
    if isinstance(value, float):
        raise TypeError("round_half_up takes exact values; use half_up_float for floats")
    if isinstance(value, Fraction):
        scaled = value * 10**places
        units = math.floor(scaled + Fraction(1, 2))   # exact: half-up for positive and negative ties
        return Decimal(units).scaleb(-places)
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def half_up_float(value: float, places: int, exact: Callable[[], Fraction]) -> Decimal:
    """Half-up rounding of a float computed from exact data; `exact()` gives the true value near ties."""
    scaled = value * 10**places
    if abs(scaled - math.floor(scaled) - 0.5) < _TIE_MARGIN:
        return round_half_up(exact(), places)
    return Decimal(math.floor(scaled + 0.5)).scaleb(-places)


# --- one unit, one instrument, one window (§4) ---------------------------------------------------

def nrr(score_sum: int, n_answers: int) -> Fraction:
    """NRR_i = Σ scores_i / n_i, unrounded."""
    return Fraction(score_sum, n_answers)


def index_from_sums(item_sums: Sequence[tuple[int, int]]) -> Fraction:
    """Index = Σ (1/k)·NRR_i over the k items with at least one answer. item_sums: (score_sum, n_i)."""
    answered = [(s, n) for s, n in item_sums if n > 0]
    if not answered:
        raise ValueError("no item has an answer: the index is undefined")
    return sum((nrr(s, n) for s, n in answered), Fraction(0)) / len(answered)


def index_from_nrr(nrrs: Sequence[Fraction | Decimal | str]) -> Fraction:
    """Index from published NRR values (equal weights 1/k)."""
    values = [Fraction(Decimal(str(v))) if not isinstance(v, Fraction) else v for v in nrrs]
    return sum(values, Fraction(0)) / len(values)


def converted(index: Fraction) -> Fraction:
    """Nilai konversi (25–100) = Index × 25; only defined for 1–4 instruments (§4.5)."""
    return index * 25


def percent(index: Fraction, scale_max: int) -> Fraction:
    return index / scale_max * 100


def grade_for(converted_rounded: Decimal, grades: Sequence[Grade]) -> Grade:
    """Mutu pelayanan of a rounded 25–100 value (§4.7): the first grade whose minimum it reaches."""
    for grade in grades:
        if converted_rounded >= grade.min:
            return grade
    return grades[-1]


def nilai(index: Fraction, scale_max: int, weight: Decimal) -> Fraction:
    """Survey result scored against its weight in the ZI evaluation sheet: Index / scale_max × bobot."""
    return index / scale_max * Fraction(weight)


def krejcie_morgan(population: int) -> int:
    """Minimum sample for population N (PermenPANRB 14/2017, §6)."""
    if population < 1:
        raise ValueError("population must be at least 1")
    value = (Fraction("3.841") * population * Fraction("0.25")
             / (Fraction("0.0025") * (population - 1) + Fraction("0.9603")))
    return int(round_half_up(value, 0))


# --- ZI readiness of the survey component (§5) ---------------------------------------------------

@dataclass(frozen=True)
class SurveyPart:
    """One instrument's result for a unit in the window, as the readiness rule needs it."""
    instrument: Instrument
    n: int
    index: Fraction | None        # None when n == 0


@dataclass(frozen=True)
class Verdict:
    rules: str
    service: SurveyPart | None
    anticorruption: SurveyPart | None
    service_nilai: Decimal | None
    anticorruption_nilai: Decimal | None
    wbk: str                       # "yes" | "no" | "insufficient"
    wbbm: str
    reasons: tuple[str, ...]       # Indonesian, user's terms


def fmt_id(value: Decimal) -> str:
    """Indonesian number format: 1.234,56."""
    text = f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _rounded_nilai(part: SurveyPart | None, rule: RoleRule) -> Decimal | None:
    if part is None or part.index is None:
        return None
    return round_half_up(nilai(part.index, part.instrument.scale_max, rule.weight), 2)


def _shortfall_reasons(shortfalls: dict) -> list[str]:
    """'IKM 15,62 — kurang 0,38 untuk WBK (≥ 16,00)'; one line for both levels when they share a threshold."""
    lines = []
    for name, value, need in shortfalls["wbk"] + shortfalls["wbbm"]:
        levels = [lv.upper() for lv in ("wbk", "wbbm") if (name, value, need) in shortfalls[lv]]
        line = f"{name} {fmt_id(value)} — kurang {fmt_id(need - value)} untuk {' dan '.join(levels)} (≥ {fmt_id(need)})"
        if line not in lines:
            lines.append(line)
    return lines


def readiness(rules: RuleSet, service: SurveyPart | None, anticorruption: SurveyPart | None) -> Verdict:
    """WBK/WBBM verdicts with reasons. Below min_respondents it is 'insufficient', never 'no'."""
    s_nilai = _rounded_nilai(service, rules.service)
    a_nilai = _rounded_nilai(anticorruption, rules.anticorruption)
    reasons: list[str] = []
    enough = True
    for part, label in ((service, "layanan"), (anticorruption, "antikorupsi")):
        n = part.n if part else 0
        name = part.instrument.index_name if part else label
        if n < rules.min_respondents:
            enough = False
            reasons.append(f"{name}: n = {n} < {rules.min_respondents} responden")
    shortfalls = {"wbk": [], "wbbm": []}     # per level: (instrument, value, threshold)
    for part, value, rule in ((service, s_nilai, rules.service),
                              (anticorruption, a_nilai, rules.anticorruption)):
        if value is None:
            continue
        for level in shortfalls:
            if value < rule.thresholds[level]:
                shortfalls[level].append((part.instrument.index_name, value, rule.thresholds[level]))
    verdicts = {level: "insufficient" if not enough else "no" if shortfalls[level] else "yes"
                for level in shortfalls}
    reasons.extend(_shortfall_reasons(shortfalls))
    return Verdict(rules=rules.id, service=service, anticorruption=anticorruption,
                   service_nilai=s_nilai, anticorruption_nilai=a_nilai,
                   wbk=verdicts["wbk"], wbbm=verdicts["wbbm"], reasons=tuple(reasons))


def half_up_array(values, places: int, exact_at: Callable[[int], Fraction]):
    """Vectorised half_up_float: float64 array in, rounded float64 array out (exact near ties)."""
    import numpy as np

    scaled = np.asarray(values, dtype="float64") * 10**places
    units = np.floor(scaled + 0.5)
    near = np.abs(scaled - np.floor(scaled) - 0.5) < _TIE_MARGIN
    for i in np.flatnonzero(near):
        units[i] = math.floor(exact_at(int(i)) * 10**places + Fraction(1, 2))
    return units / 10**places
