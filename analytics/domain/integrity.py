"""Response-integrity signals (issue 11): the pure statistics, on plain data, no I/O but the rules file.

A *unit* is one office × instrument × month; the months of a quarter with n < min_n are pooled into
one unit labelled with the quarter (`assign_units`). For each unit the store supplies counts
(`UnitInputs`); `evaluate` turns them into the signals that fire, each with its value, threshold and
evidence, and decides whether the unit needs clarification ("perlu klarifikasi"):

* funnel signals (all-maximum share, most-common-vector share) against the unit's peers — the units of
  the same Kanwil, instrument and calendar quarter — with binomial limits widened by a multiplicative
  overdispersion factor φ estimated from the peers' winsorised z-scores (Spiegelhalter 2005);
* timing signals (10-minute burst against the usual rate, out-of-hours share, end-of-period rush) and
  double submits, which need a time of day (otherwise "not available");
* jumps against the office's own previous months (all-maximum share, most-common-vector share, index).

A unit needs clarification when signals of at least `min_families` families fire, or a signal listed
under `alone` (the jumps) fires: one share over one line is never enough. Signals never drop or
reweight a response. Thresholds and families are data: data/rules/integrity-*.yaml.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from analytics import settings
from analytics.domain import periods

DEFAULT_RULES = "integrity-2026"
TIME_ZONES = {"UTC": 0, "WIB": 7, "WITA": 8, "WIT": 9}     # hours east of UTC


# --- the rules file ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignalRule:
    id: str
    family: str
    params: dict
    needs_time: bool = False
    kind: str = "line"

    def __getitem__(self, key):
        return self.params[key]


@dataclass(frozen=True)
class Rules:
    id: str
    name: str
    min_n: int
    min_families: int
    alone: tuple[str, ...]
    funnel_z: float
    winsor: float
    min_peers: int
    history_months: int
    history_within: int
    signals: dict[str, SignalRule]

    def signal(self, signal_id: str) -> SignalRule:
        return self.signals[signal_id]


def rules_path(rules_id: str = DEFAULT_RULES) -> Path:
    return settings.RULES_DIR / f"{rules_id}.yaml"


def known_rules() -> list[str]:
    return sorted(p.stem for p in settings.RULES_DIR.glob("integrity-*.yaml"))


@lru_cache(maxsize=None)
def load_rules(rules_id: str = DEFAULT_RULES) -> Rules:
    path = rules_path(rules_id)
    if not path.exists():
        raise KeyError(f"aturan integritas '{rules_id}' tidak dikenal (tersedia: {', '.join(known_rules())})")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    signals = {}
    for signal_id, spec in doc["signals"].items():
        spec = dict(spec)
        signals[signal_id] = SignalRule(id=signal_id, family=spec.pop("family"),
                                        needs_time=bool(spec.pop("needs_time", False)),
                                        kind=spec.pop("kind", "line"), params=spec)
    return Rules(id=doc["id"], name=doc["name"], min_n=int(doc["min_n"]),
                 min_families=int(doc["clarify"]["min_families"]), alone=tuple(doc["clarify"]["alone"]),
                 funnel_z=float(doc["funnel"]["z"]), winsor=float(doc["funnel"]["winsor"]),
                 min_peers=int(doc["funnel"]["min_peers"]), history_months=int(doc["history"]["months"]),
                 history_within=int(doc["history"]["within"]), signals=signals)


def local_offset_hours(export_tz: str, office_tz: str) -> int:
    """Hours to add to an exported time to get the office's local time."""
    return TIME_ZONES[office_tz] - TIME_ZONES[export_tz]


# --- units ------------------------------------------------------------------------------------------

def assign_units(monthly, min_n: int) -> dict[tuple[int, str, date], tuple[str, date]]:
    """(office_id, instrument, month) → (kind, first month) of the unit it is examined in: the month
    itself when n ≥ min_n, else its quarter (the quarter's small months pooled into one unit).
    monthly: iterable of (office_id, instrument, month, n)."""
    return {(int(office), instrument, month):
            ("month", month) if n >= min_n else ("quarter", periods.bucket("quarter", month)[0])
            for office, instrument, month, n in monthly}


def unit_label(kind: str, start: date) -> str:
    return periods.month_text(start) if kind == "month" else periods.label("quarter", start)


@dataclass(frozen=True)
class UnitInputs:
    """Counts of one office × instrument × period, as the store computes them."""
    office_id: int
    office: str
    kanwil: str | None
    instrument: str
    kind: str                           # "month" | "quarter" (pooled small months)
    start: date                         # first month of the period
    months: tuple[date, ...]            # the months pooled (one for a month unit)
    n: int
    all_max: int                        # forms with every answered item at the scale maximum
    modal_count: int                    # forms equal to the most common answer vector
    modal_pattern: tuple | None
    percent: float | None = None        # index as percent of the scale maximum (jump_index)
    n_timed: int = 0                    # forms with a time of day
    active_days: int = 0                # days with timed forms
    out_of_hours: int = 0
    rush: int = 0                       # forms in the last `last_days` days of their month
    rush_expected: float = 0.0          # share the calendar alone gives (mean over forms)
    burst_count: int = 0                # most timed forms in one window
    burst_start: datetime | None = None
    burst_pattern_count: int = 0        # of those, forms with the burst's most common vector
    burst_pattern: tuple | None = None
    double_pairs: int = 0               # consecutive forms: same answers and profile within the window
    double_first: datetime | None = None

    @property
    def label(self) -> str:
        return unit_label(self.kind, self.start)

    @property
    def quarter(self) -> date:
        return date(self.start.year, (self.start.month - 1) // 3 * 3 + 1, 1)     # periods.bucket's, inline: hot


@dataclass(frozen=True)
class Signal:
    id: str
    family: str
    value: float
    threshold: float
    evidence: dict

    def as_dict(self) -> dict:
        return {"id": self.id, "family": self.family, "value": self.value, "threshold": self.threshold,
                "evidence": {k: _plain(v) for k, v in self.evidence.items()}}


@dataclass(frozen=True)
class Result:
    unit: UnitInputs
    signals: tuple[Signal, ...]           # the signals that fire
    unavailable: tuple[str, ...]          # signals that could not be computed (no time of day, …)
    clarify: bool                         # "perlu klarifikasi"
    because: tuple[str, ...] = field(default=())   # the combination rule that holds: families or a signal id
    funnels: tuple | None = None          # (all-max, most-common-vector) Funnel of the peer group, if any


def _plain(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# --- answer vectors as exact integers (migration 010) ------------------------------------------------
# 3 bits per item, item 1 in the highest bits: digit = the score (1–6), 7 = blank, 0 = past the vector's
# end. Injective, and the codes sort as the vectors do (lexicographically, a blank above every score, a
# vector before its extensions — DuckDB's list and PostgreSQL's array order), so the "smallest of equally
# common vectors" is the smallest code. 21 × 3 = 63 bits: a BIGINT holds any vector of ≤ 21 items.
PATTERN_BITS, PATTERN_ITEMS, PATTERN_BLANK = 3, 21, 7


def pattern_fits(scale_min: int, scale_max: int, k: int) -> bool:
    """Whether an instrument's answer vectors have an exact code (scores 1–6, at most 21 items)."""
    return 1 <= scale_min and scale_max < PATTERN_BLANK and k <= PATTERN_ITEMS


def encode_patterns(scores, blank):
    """The code of each row of an (n × k) score matrix (numpy), blank[i, j] = item j left blank."""
    import numpy as np
    n, k = scores.shape
    if k > PATTERN_ITEMS:
        raise ValueError(f"{k} items: an answer vector's code holds at most {PATTERN_ITEMS}")
    digits = np.where(blank, PATTERN_BLANK, scores).astype(np.int64)
    if ((digits < 1) | (digits > PATTERN_BLANK)).any():
        raise ValueError("a score outside 1–6 has no code")
    shifts = np.array([PATTERN_BITS * (PATTERN_ITEMS - 1 - j) for j in range(k)], dtype=np.int64)
    return (digits << shifts).sum(axis=1) if n else np.zeros(0, dtype=np.int64)


_DIGITS = {str(d): d for d in range(1, PATTERN_BLANK)} | {str(PATTERN_BLANK): None}


def decode_pattern(code) -> tuple | None:
    """The answer vector of a code (None stays None): scores as int, blanks as None. With 3 bits an
    item the code's octal digits are the items (21 digits; trailing zeros are past the vector's end)."""
    if code is None:
        return None
    return tuple(_DIGITS[d] for d in format(int(code), f"0{PATTERN_ITEMS}o").rstrip("0"))


def pattern_text(pattern) -> str:
    """An answer vector as the user reads it: '4 4 4 – 4' (– = blank)."""
    return " ".join("–" if v is None else str(int(v)) for v in pattern) if pattern is not None else ""


# --- statistics -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Funnel:
    """Upper/lower limits θ ± z·√(φ·θ(1−θ)/n) of a peer group's pooled share θ."""
    theta: float
    phi: float
    z: float
    peers: int

    def _spread(self, n) -> float:
        return self.z * math.sqrt(self.phi * self.theta * (1 - self.theta) / n)

    def upper(self, n) -> float:
        return min(1.0, self.theta + self._spread(n))

    def lower(self, n) -> float:
        return max(0.0, self.theta - self._spread(n))


def winsorise(values: list[float], share: float) -> list[float]:
    """Values below the `share` quantile / above the 1 − `share` quantile set to those quantiles."""
    if not values:
        return []
    ordered = sorted(values)
    low, high = _quantile(ordered, share), _quantile(ordered, 1 - share)
    return [min(max(v, low), high) for v in values]


def _quantile(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def funnel(counts: list[int], ns: list[int], z: float, winsor: float) -> Funnel | None:
    """The funnel of a peer group (counts[i] of ns[i]); None without respondents. θ = pooled share;
    φ = mean of the squared winsorised z-scores, at least 1 (no narrowing below binomial)."""
    total = sum(ns)
    if total == 0:
        return None
    theta = sum(counts) / total
    # A share of exactly 0 or 1 has no binomial spread: use half a form either way.
    theta = min(max(theta, 0.5 / total), 1 - 0.5 / total)
    scores = [(c / n - theta) / math.sqrt(theta * (1 - theta) / n) for c, n in zip(counts, ns) if n > 0]
    phi = max(1.0, sum(s * s for s in winsorise(scores, winsor)) / len(scores)) if scores else 1.0
    return Funnel(theta=theta, phi=phi, z=z, peers=len(scores))


def poisson_tail(count: int, rate: float) -> float:
    """P(X ≥ count) for X ~ Poisson(rate)."""
    if count <= 0:
        return 1.0
    term = math.exp(-rate)
    below = term
    for k in range(1, count):
        term *= rate / k
        below += term
    return max(0.0, 1.0 - below)


def binomial_tail(count: int, trials: int, p: float) -> float:
    """P(X ≥ count) for X ~ Binomial(trials, p)."""
    if count <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return min(1.0, sum(math.comb(trials, k) * p ** k * (1 - p) ** (trials - k) for k in range(count, trials + 1)))


def burst_threshold(rate: float, windows: float, alpha: float, min_count: int) -> int:
    """Fewest forms in one window that the usual rate explains with probability < alpha over all
    `windows` windows of the period (Bonferroni), and at least min_count."""
    count = min_count
    while windows * poisson_tail(count, rate) > alpha and count < 10_000:
        count += 1
    return count


def _share_z(now: int, n: int, before: int, n_before: int) -> float:
    """Two-proportion z of now/n against before/n_before (pooled variance)."""
    pooled = (now + before) / (n + n_before)
    if pooled in (0.0, 1.0):
        return 0.0
    return (now / n - before / n_before) / math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n_before))


# --- evaluation -------------------------------------------------------------------------------------

def evaluate(units: list[UnitInputs], rules: Rules, examined_from: date | None = None) -> list[Result]:
    """The signals of every unit starting on or after `examined_from` (earlier units serve as history
    and as peers only), in the order given."""
    groups: dict[tuple, list[UnitInputs]] = {}
    for u in units:
        groups.setdefault((u.kanwil, u.instrument, u.quarter), []).append(u)
    funnels = {}
    for key, members in groups.items():
        if len(members) < rules.min_peers:
            continue
        ns = [m.n for m in members]
        funnels[key] = (funnel([m.all_max for m in members], ns, rules.funnel_z, rules.winsor),
                        funnel([m.modal_count for m in members], ns, rules.funnel_z, rules.winsor))
    history: dict[tuple, dict[date, UnitInputs]] = {}
    for u in units:
        if u.kind == "month" and u.n >= rules.min_n:
            history.setdefault((u.office_id, u.instrument), {})[u.start] = u
    results = []
    for u in units:
        if examined_from is not None and u.start < examined_from:
            continue
        results.append(_evaluate_unit(u, rules, funnels.get((u.kanwil, u.instrument, u.quarter)),
                                      history.get((u.office_id, u.instrument), {})))
    return results


def _evaluate_unit(u: UnitInputs, rules: Rules, peer_funnels, own_history: dict) -> Result:
    fired: list[Signal] = []
    unavailable: list[str] = []
    s = rules.signals
    # content: funnels against peers
    if peer_funnels is None or u.n == 0:
        unavailable += ["all_max", "uniform"]
    else:
        for signal_id, count, f in (("all_max", u.all_max, peer_funnels[0]), ("uniform", u.modal_count,
                                                                                 peer_funnels[1])):
            limit = f.upper(u.n)
            share = count / u.n
            if share > limit and count >= s[signal_id]["min_count"]:
                evidence = {"count": count, "n": u.n, "peer_share": f.theta, "phi": f.phi, "peers": f.peers,
                            "z": (share - f.theta) / math.sqrt(f.phi * f.theta * (1 - f.theta) / u.n)}
                if signal_id == "uniform":
                    evidence["pattern"] = pattern_text(u.modal_pattern)
                fired.append(Signal(signal_id, s[signal_id].family, share, limit, evidence))
    # timing and duplicates: need a time of day
    if u.n_timed == 0:
        unavailable += [sid for sid, rule in s.items() if rule.needs_time]
    else:
        fired += _timed_signals(u, rules)
    rush = _end_rush(u, s["end_rush"])
    if rush:
        fired.append(rush)
    # history
    jumps, missing = _jumps(u, rules, own_history)
    fired += jumps
    unavailable += missing
    families = sorted({sig.family for sig in fired})
    alone = [sig.id for sig in fired if sig.id in rules.alone]
    because = tuple(alone) + ((("+".join(families)),) if len(families) >= rules.min_families else ())
    return Result(unit=u, signals=tuple(fired), unavailable=tuple(unavailable), clarify=bool(because),
                  because=because, funnels=peer_funnels)


def _timed_signals(u: UnitInputs, rules: Rules) -> list[Signal]:
    fired = []
    burst = rules.signal("burst")
    slots = burst["opening_hours"] * 60 / burst["window_minutes"]
    windows = max(u.active_days, 1) * slots
    rate = u.n_timed / windows
    needed = burst_threshold(rate, windows, burst["alpha"], burst["min_count"])
    end = u.burst_start + timedelta(minutes=burst["window_minutes"]) if u.burst_start else None
    if u.burst_count >= needed:
        fired.append(Signal("burst", burst.family, u.burst_count, needed, {
            "start": u.burst_start, "end": end, "count": u.burst_count, "usual_per_window": rate,
            "pattern_count": u.burst_pattern_count, "pattern": pattern_text(u.burst_pattern)}))
    pattern = rules.signal("burst_pattern")
    if u.burst_count >= pattern["min_count"] and u.burst_pattern is not None:
        share = u.burst_pattern_count / u.burst_count
        # The unit's own share of its most common vector, the burst's forms left out when it is that vector.
        same = u.burst_pattern == u.modal_pattern
        rest_n = u.n - (u.burst_count if same else 0)
        base = ((u.modal_count - u.burst_pattern_count) if same else u.modal_count) / rest_n if rest_n > 0 else 0.0
        tail = binomial_tail(u.burst_pattern_count, u.burst_count, base)
        if share >= pattern["min_share"] and tail < pattern["alpha"]:
            fired.append(Signal("burst_pattern", pattern.family, share, pattern["min_share"], {
                "start": u.burst_start, "end": end, "count": u.burst_pattern_count, "of": u.burst_count,
                "pattern": pattern_text(u.burst_pattern), "usual_share": base, "p": tail}))
    night = rules.signal("out_of_hours")
    share = u.out_of_hours / u.n_timed
    if share >= night["min_share"] and u.out_of_hours >= night["min_count"]:
        fired.append(Signal("out_of_hours", night.family, share, night["min_share"], {
            "count": u.out_of_hours, "n_timed": u.n_timed, "from": night["night_from"], "to": night["night_to"]}))
    double = rules.signal("double_submit")
    share = u.double_pairs / u.n
    if u.double_pairs >= double["min_pairs"] and share >= double["min_share"]:
        fired.append(Signal("double_submit", double.family, u.double_pairs, double["min_pairs"], {
            "pairs": u.double_pairs, "n": u.n, "first": u.double_first, "minutes": double["window_minutes"]}))
    return fired


def _end_rush(u: UnitInputs, rule: SignalRule) -> Signal | None:
    if u.n == 0 or not 0 < u.rush_expected < 1:
        return None
    share = u.rush / u.n
    z = (share - u.rush_expected) / math.sqrt(u.rush_expected * (1 - u.rush_expected) / u.n)
    if share >= rule["min_share"] and z >= rule["z"]:
        return Signal("end_rush", rule.family, share, rule["min_share"], {
            "count": u.rush, "n": u.n, "days": rule["last_days"], "expected_share": u.rush_expected, "z": z})
    return None


def history_months(u: UnitInputs, rules: Rules, own_history: dict) -> list[UnitInputs]:
    """The office's previous months the jumps compare with: the last `months` months with n ≥ min_n
    among the `within` months before the unit; fewer than `months` → []."""
    since = periods.add_months(u.start, -rules.history_within)
    before = [own_history[m] for m in sorted(own_history) if since <= m < u.start]
    return before[-rules.history_months:] if len(before) >= rules.history_months else []


def _jumps(u: UnitInputs, rules: Rules, own_history: dict) -> tuple[list[Signal], list[str]]:
    ids = ["jump_all_max", "jump_uniform", "jump_index"]
    if u.kind != "month" or u.n < rules.min_n:
        return [], ids
    before = history_months(u, rules, own_history)
    if not before:
        return [], ids
    n_before = sum(h.n for h in before)
    months = lambda: [periods.month_text(h.start) for h in before]     # evidence only: built when a jump fires
    fired = []
    for signal_id, now, then in (("jump_all_max", u.all_max, sum(h.all_max for h in before)),
                                 ("jump_uniform", u.modal_count, sum(h.modal_count for h in before))):
        rule = rules.signal(signal_id)
        rise = now / u.n - then / n_before
        z = _share_z(now, u.n, then, n_before)
        if rise >= rule["min_rise"] and z >= rule["z"]:
            fired.append(Signal(signal_id, rule.family, rise, rule["min_rise"], {
                "now": now / u.n, "before": then / n_before, "n": u.n, "n_before": n_before, "z": z,
                "months": months()}))
    rule = rules.signal("jump_index")
    known = [h for h in before if h.percent is not None]
    if u.percent is not None and len(known) == len(before):
        then = sum(h.percent * h.n for h in known) / n_before
        rise = u.percent - then
        if rise >= rule["min_rise"]:
            fired.append(Signal("jump_index", rule.family, rise, rule["min_rise"], {
                "now": u.percent, "before": then, "n": u.n, "n_before": n_before, "months": months()}))
    return fired, []
