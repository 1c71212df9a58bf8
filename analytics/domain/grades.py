"""Mutu pelayanan (PermenPANRB 14/2017, ../shared/domain.md §4.7): the one grade lookup, used by SQL
results, charts and tables alike. The table itself is data (data/rules/grades-14-2017.yaml)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from analytics.domain.instruments import Grade
from analytics.domain.rounding import hundredths


def grade_of(converted, grades: Sequence[Grade]) -> Grade | None:
    """The grade of a rounded 25–100 value: the first (highest) grade whose minimum it reaches.
    None when there is no value (an instrument without the 25–100 conversion)."""
    units = hundredths(converted)
    if units is None:
        return None
    for grade in grades:
        if units >= hundredths(grade.min):
            return grade
    return grades[-1]


def letters_of(converted: pd.Series, grades: Sequence[Grade]) -> pd.Series:
    """Grade letters of a column of rounded converted values (None where not defined): grade_of on
    whole arrays — the same hundredths, compared with the same minimums, the highest grade reached."""
    values = converted.to_numpy(dtype="float64", na_value=np.nan)
    units = np.floor(values * 100 + 0.5)             # rounding.hundredths, element-wise
    letters = np.full(len(values), grades[-1].grade, dtype=object)
    for grade in reversed(grades):                   # lowest first, so the highest grade reached stays
        letters[units >= hundredths(grade.min)] = grade.grade
    letters[np.isnan(values)] = None
    return pd.Series(letters, index=converted.index, dtype=object)


def by_letter(letter: str | None, grades: Sequence[Grade]) -> Grade | None:
    return next((g for g in grades if g.grade == letter), None) if letter else None
