"""Simulated survey responses for the integrity tests, and a plain-numpy reference of the counts the
store computes (domain.integrity.UnitInputs), independent of the SQL.

Honest offices are not uniform random: each office has its own leniency, drifting a little month to
month; each respondent has a personal level (many answer mostly 3s and 4s) and some answer every item
the same (straight-lining is common and honest on short forms); arrivals follow office hours with a
morning peak on working days; profiles are skewed. Fabrications are added as extra respondents.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from analytics.domain import integrity
from analytics.domain import periods

K = 8                      # items (an IPK-like 1–4 form: short forms share patterns most often)
TOP = 4
FIRST = date(2025, 1, 1)
DAYS = 30                  # every simulated month has 30 days; weekday = day % 7 (5, 6 closed)


@dataclass
class Responses:
    office: np.ndarray     # int
    month: np.ndarray      # 0-based month number
    day: np.ndarray        # 1..30
    second: np.ndarray     # seconds after midnight, local time
    scores: np.ndarray     # (n, K) uint8
    profile: np.ndarray    # int code of the profile fields

    def __len__(self):
        return len(self.office)

    def plus(self, other: "Responses") -> "Responses":
        return Responses(*(np.concatenate([getattr(self, f), getattr(other, f)])
                           for f in ("office", "month", "day", "second", "scores", "profile")))


def honest(rng: np.random.Generator, offices: int = 30, months: int = 12) -> Responses:
    size = np.exp(rng.normal(np.log(70), 0.8, offices)).clip(8, 800)          # typical forms per month
    leniency = rng.normal(0.0, 0.35, offices)
    drift = np.cumsum(rng.normal(0.0, 0.06, (offices, months)), axis=1)
    n = rng.poisson(size[:, None] * rng.uniform(0.8, 1.2, (offices, months)))
    office = np.repeat(np.repeat(np.arange(offices), months), n.ravel())
    month = np.repeat(np.tile(np.arange(months), offices), n.ravel())
    total = len(office)
    person = rng.normal(0.0, 0.5, total)
    latent = (3.05 + leniency[office] + drift[office, month] + person)[:, None] \
        + rng.normal(0.0, 0.1, K)[None, :] + rng.normal(0.0, 0.5, (total, K))
    scores = np.clip(np.rint(latent), 1, TOP).astype(np.uint8)
    flat = rng.random(total) < 0.15                                            # honest straight-liners
    scores[flat] = np.clip(np.rint(3.05 + leniency[office[flat]] + person[flat]), 1, TOP)[:, None]
    workdays = np.array([d for d in range(1, DAYS + 1) if d % 7 not in (5, 6)])
    day = rng.choice(workdays, total)
    hour = rng.choice(np.arange(8, 16), total, p=np.array([3, 4, 4, 2, 2, 2, 2, 1]) / 20)
    second = hour * 3600 + rng.integers(0, 3600, total)
    online = rng.random(offices) < 0.1                        # offices with an online form: some evenings
    evening = online[office] & (rng.random(total) < 0.08)
    second[evening] = rng.integers(19 * 3600, 23 * 3600, evening.sum())
    # Group visits (a family, a school class, a queue after a hearing): up to 15 forms in ten minutes.
    for o, m in zip(*np.nonzero(rng.random((offices, months)) < 0.3)):
        rows = np.flatnonzero((office == o) & (month == m))
        group = rows[:rng.integers(5, 16)]
        day[group] = day[group[0]]
        second[group] = second[group[0]] % 86400 // 600 * 600 + rng.integers(0, 600, len(group))
    profile = (rng.choice(2, total, p=[0.55, 0.45]) * 1000 + rng.choice(5, total, p=[.1, .3, .3, .2, .1]) * 100
               + rng.choice(7, total, p=[.08, .14, .42, .1, .21, .04, .01]) * 10
               + rng.choice(5, total, p=[.12, .32, .28, .1, .18]))
    return Responses(office, month, day, second, scores, profile)


def forms(office: int, month: int, count: int, pattern=(TOP,) * K, day: int = 10, start: int = 10 * 3600,
          spread: int = 600, rng: np.random.Generator | None = None) -> Responses:
    """`count` identical forms with `pattern` at one office, spread over `spread` seconds from `start`."""
    rng = rng or np.random.default_rng(0)
    return Responses(np.full(count, office), np.full(count, month), np.full(count, day),
                     start + np.sort(rng.integers(0, spread, count)), np.tile(np.array(pattern, np.uint8), (count, 1)),
                     rng.integers(0, 10_000, count))


def _month(number: int) -> date:
    return periods.add_months(FIRST, number)


def _timestamp(month: int, day: int, second: int) -> datetime:
    """The simulated calendar has 30-day months: day 30 of February is shown as 2 March."""
    return datetime.combine(_month(int(month)), datetime.min.time()) + timedelta(days=int(day) - 1,
                                                                                 seconds=int(second))


def unit_inputs(r: Responses, rules: integrity.Rules, kanwil: str = "Kanwil Uji", names=None,
                instrument: str = "ipk") -> list[integrity.UnitInputs]:
    """The counts of every office × month (small months pooled by quarter), as the store would give them."""
    names = names or {}
    offices, months = int(r.office.max()) + 1, int(r.month.max()) + 1
    monthly_n = np.zeros((offices, months), int)
    np.add.at(monthly_n, (r.office, r.month), 1)
    assigned = integrity.assign_units([(o, instrument, _month(m), monthly_n[o, m])
                                       for o in range(offices) for m in range(months) if monthly_n[o, m]], rules.min_n)
    # unit id per respondent
    keys = {}
    unit_of = np.empty(len(r), int)
    kind_start = {}
    for (o, _, m), ks in assigned.items():
        keys.setdefault((o, ks), len(keys))
    lookup = np.full((offices, months), -1)
    for (o, _, m), ks in assigned.items():
        lookup[o, (m.year - FIRST.year) * 12 + m.month - 1] = keys[(o, ks)]
        kind_start[keys[(o, ks)]] = (o, ks)
    unit_of = lookup[r.office, r.month]
    code = (r.scores.astype(np.int64) * (5 ** np.arange(K))).sum(axis=1)
    is_max = (r.scores == TOP).all(axis=1)
    t = (r.month.astype(np.int64) * 40 + r.day) * 86400 + r.second                  # seconds, ordered
    order = np.lexsort((t, unit_of))
    u_sorted, t_sorted, c_sorted, p_sorted = unit_of[order], t[order], code[order], r.profile[order]
    key_sorted = u_sorted.astype(np.int64) * 10**9 + t_sorted
    in_window = np.searchsorted(key_sorted, key_sorted + 599, side="right") - np.arange(len(order))
    same = np.zeros(len(order), bool)
    same[1:] = ((u_sorted[1:] == u_sorted[:-1]) & (t_sorted[1:] - t_sorted[:-1] <= 120)
                & (c_sorted[1:] == c_sorted[:-1]) & (p_sorted[1:] == p_sorted[:-1]))
    out = []
    burst_min = int(rules.signal("burst_pattern")["min_count"])
    for uid in range(len(keys)):
        o, (kind, start) = kind_start[uid]
        lo, hi = np.searchsorted(u_sorted, [uid, uid + 1])
        if hi == lo:
            continue
        members = order[lo:hi]
        n = hi - lo
        values, counts = np.unique(c_sorted[lo:hi], return_counts=True)
        top = int(np.argmax(counts))
        modal_pattern = tuple(int(v) for v in r.scores[members[np.argmax(c_sorted[lo:hi] == values[top])]])
        windows = in_window[lo:hi]
        burst_count = int(windows.max())
        burst_start = burst_pattern = None
        burst_pattern_count = 0
        if burst_count >= burst_min:
            first = lo + int(np.argmax(windows == burst_count))
            inside = c_sorted[first:first + burst_count]
            bv, bc = np.unique(inside, return_counts=True)
            burst_pattern_count = int(bc.max())
            pick = first + int(np.argmax(inside == bv[np.argmax(bc)]))
            burst_pattern = tuple(int(v) for v in r.scores[order[pick]])
            burst_start = _timestamp(r.month[order[first]], r.day[order[first]], r.second[order[first]])
        doubles = same[lo:hi]
        double_first = None
        if doubles.any():
            i = order[lo + int(np.argmax(doubles))]
            double_first = _timestamp(r.month[i], r.day[i], r.second[i])
        hours = r.second[members] // 3600
        night = (hours >= 22) | (hours < 5) | (r.day[members] % 7 == 6)
        months_in = tuple(sorted({_month(int(m)) for m in r.month[members]}))
        out.append(integrity.UnitInputs(
            office_id=o, office=names.get(o, f"Kantor {o:02d}"), kanwil=kanwil, instrument=instrument, kind=kind,
            start=start, months=months_in, n=n, all_max=int(is_max[members].sum()), modal_count=int(counts[top]),
            modal_pattern=modal_pattern, percent=float(r.scores[members].mean() / TOP * 100),
            n_timed=n, active_days=len({(int(m), int(d)) for m, d in zip(r.month[members], r.day[members])}),
            out_of_hours=int(night.sum()), rush=int((r.day[members] > DAYS - 3).sum()), rush_expected=3 / DAYS,
            burst_count=burst_count, burst_start=burst_start, burst_pattern_count=burst_pattern_count,
            burst_pattern=burst_pattern, double_pairs=int(doubles.sum()), double_first=double_first))
    return out
