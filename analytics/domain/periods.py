"""The period vocabulary: month, quarter, semester, year and all; their labels (2024-03, 2024-Q1,
2024-S1, 2024, all), parsing `YYYY-MM`, and the period before. Months are `date`s on the 1st."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from analytics.errors import BadValue

PERIODS = ("month", "quarter", "semester", "year", "all")
GRANULARITIES = PERIODS[:-1]           # what a page may group a trend by
MONTHS_PER = {"month": 1, "quarter": 3, "semester": 6, "year": 12}


def parse_month(text: str | None) -> date | None:
    """'2024-03' → date(2024, 3, 1); None or '' → None. Raises BadValue (a ValueError) naming the form."""
    if not text:
        return None
    try:
        year, month = (int(part) for part in str(text).split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise BadValue("bad_month", text=text) from None


def month_text(month: date) -> str:
    return f"{month:%Y-%m}"


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_number(month: date) -> int:
    """Months since year 0: consecutive months differ by 1."""
    return month.year * 12 + month.month - 1


def bucket(granularity: str, month: date) -> tuple[date, date]:
    """First and last month of the calendar period (of that granularity) holding `month`."""
    size = MONTHS_PER[granularity]
    first = date(month.year, (month.month - 1) // size * size + 1, 1)
    return first, add_months(first, size - 1)


def label(granularity: str, month: date | None) -> str:
    """The label of the period holding `month`: 2024-03, 2024-Q1, 2024-S1, 2024, or 'all'."""
    if granularity == "all":
        return "all"
    if granularity == "month":
        return month_text(month)
    if granularity == "quarter":
        return f"{month.year}-Q{(month.month - 1) // 3 + 1}"
    if granularity == "semester":
        return f"{month.year}-S{1 if month.month <= 6 else 2}"
    if granularity == "year":
        return str(month.year)
    raise ValueError(f"periode harus salah satu dari {', '.join(PERIODS)}")


def previous_start(granularity: str, month: date) -> date:
    """First month of the period before the one holding `month`."""
    first, _ = bucket(granularity, month)
    return bucket(granularity, add_months(first, -1))[0]


def latest_full_quarter_start(today: date) -> date:
    """First month of the quarter holding `today`: months before it belong to ended quarters."""
    return bucket("quarter", date(today.year, today.month, 1))[0]


@dataclass(frozen=True)
class Period:
    """The period a page reports on (ending at the user's `end` month) and the one before it."""
    label: str
    start: date
    end: date              # the user's end month (the period may go on after it)
    partial: bool          # the period goes on after `end`
    previous_label: str
    previous_start: date


def report_period(granularity: str, end: date) -> Period:
    first, last = bucket(granularity, end)
    before = previous_start(granularity, end)
    return Period(label=label(granularity, end), start=first, end=end, partial=end < last,
                  previous_label=label(granularity, before), previous_start=before)


def is_cut(granularity: str, period_label: str, start: date | None, end: date | None) -> bool:
    """Whether the window [start, end] cuts the period of that label short."""
    month = start if start and label(granularity, start) == period_label else end
    if month is None or label(granularity, month) != period_label:
        return False
    first, last = bucket(granularity, month)
    return bool((start and first < start) or (end and last > end))
