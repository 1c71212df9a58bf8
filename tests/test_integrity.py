"""Response-integrity signals (issue 11): the pure statistics on simulated data, no store.

Honest Kanwil (tests/integrity_sim.py: office leniency, respondents who answer mostly 3s and 4s, honest
straight-liners, group visits, evening online forms) must rarely need clarification; injected
fabrications must be flagged with the evidence a Kanwil would ask about.
"""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from analytics.domain import integrity
from tests import integrity_sim as sim

RULES = integrity.load_rules()
EXAMINED = sim._month(6)            # months 7–12 of each simulated year: six months of history before


def _results(responses, month=None):
    results = integrity.evaluate(sim.unit_inputs(responses, RULES), RULES, EXAMINED)
    return results if month is None else [r for r in results if r.unit.start == sim._month(month)]


def _of(results, office):
    found = [r for r in results if r.unit.office_id == office]
    assert len(found) == 1, found
    return found[0]


def _signal(result, signal_id):
    found = [s for s in result.signals if s.id == signal_id]
    assert found, f"{signal_id} did not fire: {[s.id for s in result.signals]}"
    return found[0]


# --- the statistics ---------------------------------------------------------------------------------

def test_rules_file_declares_every_signal_with_a_family():
    assert RULES.id == "integrity-2026" and RULES.min_n == 30
    assert set(RULES.signals) == {"all_max", "uniform", "burst", "burst_pattern", "out_of_hours",
                                  "double_submit", "end_rush", "jump_all_max", "jump_uniform", "jump_index"}
    assert set(RULES.alone) <= set(RULES.signals)
    assert {s.family for s in RULES.signals.values()} == {"content", "timing", "duplicate", "history"}


def test_funnel_is_binomial_without_overdispersion_and_widens_with_it():
    # Every unit exactly at the pooled share: φ = 1 (never narrower than binomial).
    f = integrity.funnel([10, 20, 40], [100, 200, 400], 3.09, 0.1)
    assert f.theta == pytest.approx(0.1) and f.phi == 1.0
    assert f.upper(100) == pytest.approx(0.1 + 3.09 * math.sqrt(0.1 * 0.9 / 100))
    assert f.upper(25) > f.upper(100) > f.upper(400) > f.theta > f.lower(400)
    # Offices that differ far more than binomial noise: φ > 1, limits wider by √φ.
    g = integrity.funnel([5, 30, 10, 45, 20, 60], [100] * 6, 3.09, 0.1)
    assert g.phi > 5
    assert g.upper(100) - g.theta == pytest.approx(math.sqrt(g.phi) * 3.09 * math.sqrt(g.theta * (1 - g.theta) / 100))


def test_winsorised_z_scores_keep_one_outlier_from_hiding_the_others():
    values = [0.0] * 9 + [100.0]
    assert max(integrity.winsorise(values, 0.1)) == pytest.approx(10.0)      # the 90th percentile
    honest = [10] * 19 + [90]                                                # one fabricating office
    f = integrity.funnel(honest, [100] * 20, 3.09, 0.1)
    assert f.phi < 8 and 90 / 100 > f.upper(100)


def test_poisson_and_binomial_tails_and_the_burst_threshold():
    assert integrity.poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2))
    assert integrity.poisson_tail(3, 2.0) == pytest.approx(1 - math.exp(-2) * (1 + 2 + 2))
    assert integrity.binomial_tail(2, 2, 0.5) == pytest.approx(0.25)
    assert integrity.binomial_tail(0, 5, 0.1) == 1.0
    assert integrity.burst_threshold(0.1, 1000, 0.01, 20) == 20
    busy = integrity.burst_threshold(8.0, 1000, 0.01, 20)
    assert busy > 20 and 1000 * integrity.poisson_tail(busy, 8.0) <= 0.01 < 1000 * integrity.poisson_tail(busy - 1, 8.0)


def test_small_months_are_pooled_into_their_quarter():
    got = integrity.assign_units([(1, "ikm", date(2026, 1, 1), 40), (1, "ikm", date(2026, 2, 1), 12),
                                  (1, "ikm", date(2026, 3, 1), 29), (2, "ikm", date(2026, 5, 1), 3)], 30)
    assert got == {(1, "ikm", date(2026, 1, 1)): ("month", date(2026, 1, 1)),
                   (1, "ikm", date(2026, 2, 1)): ("quarter", date(2026, 1, 1)),
                   (1, "ikm", date(2026, 3, 1)): ("quarter", date(2026, 1, 1)),
                   (2, "ikm", date(2026, 5, 1)): ("quarter", date(2026, 4, 1))}
    assert integrity.unit_label("quarter", date(2026, 4, 1)) == "2026-Q2"


def test_time_signals_are_not_available_without_a_time_of_day():
    rng = np.random.default_rng(5)
    units = [replace(u, n_timed=0, burst_count=0, burst_start=None) for u in sim.unit_inputs(sim.honest(rng), RULES)]
    result = integrity.evaluate(units, RULES, EXAMINED)[0]
    assert {"burst", "burst_pattern", "out_of_hours", "double_submit"} <= set(result.unavailable)
    assert "end_rush" not in result.unavailable           # dates alone suffice


def test_one_share_over_its_line_is_not_enough():
    u = integrity.UnitInputs(office_id=1, office="A", kanwil="K", instrument="ipk", kind="month",
                             start=date(2026, 1, 1), months=(date(2026, 1, 1),), n=100, all_max=90,
                             modal_count=90, modal_pattern=(4,) * 8)
    peers = [replace(u, office_id=i, office=str(i), all_max=10, modal_count=10) for i in range(2, 10)]
    result = integrity.evaluate([u, *peers], RULES)[0]
    assert {s.id for s in result.signals} == {"all_max", "uniform"}      # both content: one family
    assert not result.clarify
    timed = replace(u, n_timed=100, active_days=20, out_of_hours=40)
    result = integrity.evaluate([timed, *peers], RULES)[0]
    assert result.clarify and result.because == ("content+timing",)
    night = _signal(result, "out_of_hours")
    assert night.value == pytest.approx(0.4) and night.evidence["count"] == 40


# --- honest offices: few alarms ---------------------------------------------------------------------

def test_honest_kanwil_rarely_need_clarification():
    """200 simulated honest Kanwil × 30 offices × 6 examined months (each with six months of history):
    fewer than one unit needing clarification per Kanwil per ten periods."""
    kanwil, alarms, units, single = 200, 0, 0, 0
    for k in range(kanwil):
        results = _results(sim.honest(np.random.default_rng(10_000 + k)))
        units += len(results)
        alarms += sum(r.clarify for r in results)
        single += sum(bool(r.signals) for r in results)
    periods = 6
    assert units > kanwil * 30 * 4                     # small months pooled into quarters: fewer units
    assert single > 0                                  # single signals do fire on honest offices …
    print(f"honest: {units} units, {single} with a signal, {alarms} needing clarification")
    assert alarms / (kanwil * periods) < 0.1, f"{alarms} alarms in {kanwil * periods} Kanwil-periods"


# --- fabrications are flagged with their evidence ---------------------------------------------------

def _bigger_office(responses, month, most=10_000):
    """An office with at least 60 forms in every month (so each month is examined on its own) and at
    most `most` in `month`."""
    counts = np.zeros((30, 12), int)
    np.add.at(counts, (responses.office, responses.month), 1)
    return int(np.flatnonzero((counts >= 60).all(axis=1) & (counts[:, month] <= most))[0])


def test_a_burst_of_identical_all_max_forms_is_flagged_with_its_window_and_pattern():
    honest = sim.honest(np.random.default_rng(42))
    office = _bigger_office(honest, 8)
    burst = sim.forms(office, 8, 25, day=14, start=13 * 3600 + 5 * 60, spread=420)
    result = _of(_results(honest.plus(burst), 8), office)
    assert result.clarify and "burst_pattern" in result.because
    b = _signal(result, "burst")
    assert b.value >= 25 and b.evidence["count"] >= 25
    assert b.evidence["start"].strftime("%H:%M") >= "13:05"
    assert b.evidence["end"] - b.evidence["start"] == timedelta(minutes=10)
    p = _signal(result, "burst_pattern")
    assert p.evidence["pattern"] == "4 4 4 4 4 4 4 4" and p.evidence["count"] >= 25 and p.value >= 0.6
    assert p.as_dict()["evidence"]["start"].startswith("2025-09-14 13:")
    # The same office's other months stay quiet.
    assert not _of(_results(honest.plus(burst), 7), office).clarify


def test_a_month_where_most_forms_are_identical_is_flagged():
    honest = sim.honest(np.random.default_rng(43))
    office = _bigger_office(honest, 9, most=150)
    n = int(((honest.office == office) & (honest.month == 9)).sum())
    pattern = (3, 4, 3, 3, 4, 3, 3, 4)                                 # not all-max: a briefed answer sheet
    rng = np.random.default_rng(1)
    copied = honest
    for day in (2, 6, 9, 13, 16, 20, 23, 27):                         # spread over the month, 09:00–15:00
        copied = copied.plus(sim.forms(office, 9, n // 8 + 2, pattern, day=day, start=9 * 3600,
                                       spread=6 * 3600, rng=rng))
    result = _of(_results(copied, 9), office)
    u = _signal(result, "uniform")
    assert u.evidence["pattern"] == "3 4 3 3 4 3 3 4" and u.value > 0.5 and u.evidence["count"] > n
    assert u.value > u.threshold > u.evidence["peer_share"]
    jump = _signal(result, "jump_uniform")
    assert result.clarify and "jump_uniform" in result.because
    assert len(jump.evidence["months"]) == 6 and jump.evidence["now"] - jump.evidence["before"] >= 0.25


def test_a_sudden_all_max_jump_after_six_normal_months_is_flagged():
    honest = sim.honest(np.random.default_rng(44))
    office = _bigger_office(honest, 6)
    rows = (honest.office == office) & (honest.month == 6)
    scores = honest.scores.copy()
    flip = np.flatnonzero(rows)[: int(rows.sum() * 0.7)]
    scores[flip] = sim.TOP                                             # 70 % of the month turned all-max
    changed = sim.Responses(honest.office, honest.month, honest.day, honest.second, scores, honest.profile)
    result = _of(_results(changed, 6), office)
    jump = _signal(result, "jump_all_max")
    assert result.clarify and "jump_all_max" in result.because
    assert jump.evidence["months"] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert jump.evidence["now"] >= 0.7 > 0.4 > jump.evidence["before"] and jump.value >= RULES.signal("jump_all_max")["min_rise"]
    assert _signal(result, "jump_index").value >= 12
    before = _of(_results(honest, 6), office)
    assert not before.clarify
