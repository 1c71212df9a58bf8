"""A plain-Python reference of the index computation, straight from raw respondent rows.

It shares nothing with the SQL path but the formulas module: the property test in
tests/test_reference_vs_sql.py checks that both agree on random data, blanks and windows included.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from analytics.domain import formulas
from analytics.domain.instruments import Registry


@dataclass(frozen=True)
class Respondent:
    office: str
    kanwil: str | None
    day: date
    answers: dict[str, tuple[int | None, ...]]   # instrument → score per item (None = not answered)


def period_label(day: date, period: str) -> str:
    return {
        "month": f"{day.year}-{day.month:02d}",
        "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
        "semester": f"{day.year}-S{1 if day.month <= 6 else 2}",
        "year": f"{day.year}",
        "all": "all",
    }[period]


def _unit(r: Respondent, by: str) -> tuple[str | None, str | None]:
    return {"office": (r.office, r.kanwil), "kanwil": (None, r.kanwil), "all": (None, None)}[by]


def indices(respondents, registry: Registry, by: str = "office", period: str = "month",
            start: date | None = None, end: date | None = None) -> list[dict]:
    """Rows as the CLI's indices JSON: office, kanwil, period, instrument, n, index, converted, percent, grade."""
    n = defaultdict(int)
    sums = defaultdict(lambda: defaultdict(lambda: [0, 0]))   # key → item → [Σ score, n_i]
    for r in respondents:
        month = date(r.day.year, r.day.month, 1)
        if (start and month < start) or (end and month > end):
            continue
        for instrument, scores in r.answers.items():
            if all(s is None for s in scores):
                continue
            key = (*_unit(r, by), period_label(r.day, period), instrument)
            n[key] += 1
            for item_no, score in enumerate(scores, start=1):
                if score is not None:
                    sums[key][item_no][0] += score
                    sums[key][item_no][1] += 1
    rows = []
    for key in sorted(n, key=lambda k: tuple("" if v is None else v for v in k)):
        office, kanwil, label, instrument = key
        inst = registry.get(instrument)
        index = formulas.index_from_sums(list(sums[key].values()))
        converted = formulas.round_half_up(formulas.converted(index), 2) if inst.is_four_point else None
        rows.append({
            "office": office, "kanwil": kanwil, "period": label, "instrument": instrument, "n": n[key],
            "index": float(formulas.round_half_up(index, 4)),
            "converted": None if converted is None else float(converted),
            "percent": float(formulas.round_half_up(formulas.percent(index, inst.scale_max), 2)),
            "grade": None if converted is None else formulas.grade_for(converted, registry.grades).grade,
        })
    return rows
