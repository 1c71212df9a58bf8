"""What the CLI and the Integritas page show of the integrity signals (analytics.domain.integrity):
records for JSON, tables with the evidence written out, the funnel plot's points and limits, an
office's own history, the Ringkasan badge and the Metode table — all from Result lists, no Streamlit.
The wording is "perlu klarifikasi" with the evidence, never a verdict.
"""
from __future__ import annotations

import pandas as pd

from analytics.domain import integrity
from analytics.domain.integrity import Result, Rules, Signal
from analytics.i18n import integer, num, t

FAMILIES = ("content", "timing", "duplicate", "history")


# --- records and tables -----------------------------------------------------------------------------

def records(results: list[Result]) -> list[dict]:
    """One object per unit examined: office, kanwil, instrument, period, n, signals (those that fire:
    id, value, threshold, evidence), and whether it needs clarification and why."""
    out = []
    for r in results:
        u = r.unit
        out.append({"office": u.office, "kanwil": u.kanwil, "instrument": u.instrument, "period": u.label,
                     "months": [m.strftime("%Y-%m") for m in u.months], "n": u.n, "clarify": r.clarify,
                     "because": list(r.because),
                     "signals": [{k: v for k, v in s.as_dict().items() if k != "family"} for s in r.signals],
                     "unavailable": list(r.unavailable)})
    return out


def status_text(result: Result, lang: str | None) -> str:
    if result.clarify:
        return t("ig_status_clarify", lang)
    return t("ig_status_signal", lang) if result.signals else t("ig_status_none", lang)


def signal_name(signal_id: str, lang: str | None) -> str:
    return t(f"ig_name_{signal_id}", lang)


def _pct(share, lang) -> str:
    return num(100 * share, 1, lang)


def evidence_text(signal: Signal, lang: str | None) -> str:
    """The evidence of one signal in a sentence: counts, the window, the shared pattern, the limit."""
    e, sid = signal.evidence, signal.id
    if sid in ("all_max", "uniform"):
        return t(f"ig_ev_{sid}", lang, count=integer(e["count"], lang), n=integer(e["n"], lang),
                 share=_pct(signal.value, lang), limit=_pct(signal.threshold, lang),
                 peer=_pct(e["peer_share"], lang), phi=num(e["phi"], 2, lang), peers=e["peers"],
                 pattern=e.get("pattern", ""))
    if sid == "burst":
        return t("ig_ev_burst", lang, count=integer(e["count"], lang), start=_when(e["start"]),
                 end=_clock(e["end"]), usual=num(e["usual_per_window"], 2, lang),
                 threshold=integer(signal.threshold, lang))
    if sid == "burst_pattern":
        return t("ig_ev_burst_pattern", lang, count=integer(e["count"], lang), of=integer(e["of"], lang),
                 start=_when(e["start"]), end=_clock(e["end"]), pattern=e["pattern"],
                 usual=_pct(e["usual_share"], lang))
    if sid == "out_of_hours":
        return t("ig_ev_out_of_hours", lang, count=integer(e["count"], lang), n=integer(e["n_timed"], lang),
                 share=_pct(signal.value, lang), night_from=f"{int(e['from']):02d}", night_to=f"{int(e['to']):02d}")
    if sid == "double_submit":
        return t("ig_ev_double_submit", lang, pairs=integer(e["pairs"], lang), minutes=e["minutes"],
                 first=_when(e["first"]))
    if sid == "end_rush":
        return t("ig_ev_end_rush", lang, count=integer(e["count"], lang), n=integer(e["n"], lang),
                 days=e["days"], share=_pct(signal.value, lang), expected=_pct(e["expected_share"], lang))
    if sid in ("jump_all_max", "jump_uniform"):
        return t(f"ig_ev_{sid}", lang, now=_pct(e["now"], lang), before=_pct(e["before"], lang),
                 months=len(e["months"]), first=e["months"][0], last=e["months"][-1],
                 n_before=integer(e["n_before"], lang))
    return t("ig_ev_jump_index", lang, now=num(e["now"], 2, lang), before=num(e["before"], 2, lang),
             rise=num(signal.value, 2, lang), months=len(e["months"]), first=e["months"][0], last=e["months"][-1])


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "—"


def _clock(moment) -> str:
    return moment.strftime("%H:%M") if moment is not None else "—"


def because_text(result: Result, lang: str | None) -> str:
    parts = []
    for reason in result.because:
        if "+" in reason or reason in FAMILIES:
            families = [t(f"ig_family_{f}", lang) for f in reason.split("+")]
            parts.append(t("ig_because_families", lang, families=", ".join(families)))
        else:
            parts.append(signal_name(reason, lang))
    return "; ".join(parts)


def table(results: list[Result], lang: str | None, only_clarify: bool = False) -> pd.DataFrame:
    """One row per unit with a signal (or needing clarification only): status, signals, evidence."""
    rows = []
    for r in results:
        if not r.signals or (only_clarify and not r.clarify):
            continue
        u = r.unit
        rows.append({t("col_office", lang): u.office, "Kanwil": u.kanwil, t("h_instrument", lang): u.instrument.upper(),
                     t("axis_period", lang): u.label, "n": u.n, t("ig_col_status", lang): status_text(r, lang),
                     t("ig_col_because", lang): because_text(r, lang),
                     t("ig_col_signals", lang): ", ".join(signal_name(s.id, lang) for s in r.signals),
                     t("ig_col_evidence", lang): " · ".join(evidence_text(s, lang) for s in r.signals)})
    frame = pd.DataFrame(rows, columns=[t("col_office", lang), "Kanwil", t("h_instrument", lang),
                                        t("axis_period", lang), "n", t("ig_col_status", lang),
                                        t("ig_col_because", lang), t("ig_col_signals", lang),
                                        t("ig_col_evidence", lang)])
    order = frame[t("ig_col_status", lang)] != t("ig_status_clarify", lang)
    return frame.assign(_o=order).sort_values(["_o", t("col_office", lang), t("axis_period", lang)]) \
        .drop(columns="_o").reset_index(drop=True)


def flat(results: list[Result], lang: str | None) -> pd.DataFrame:
    """The CLI's csv/table: one row per unit examined, signals and evidence as text."""
    rows = [{"office": r.unit.office, "kanwil": r.unit.kanwil, "instrument": r.unit.instrument,
             "period": r.unit.label, "n": r.unit.n, "clarify": r.clarify,
             "signals": ", ".join(s.id for s in r.signals),
             "evidence": " · ".join(evidence_text(s, lang) for s in r.signals)} for r in results]
    return pd.DataFrame(rows, columns=["office", "kanwil", "instrument", "period", "n", "clarify", "signals",
                                       "evidence"])


def clarify_counts(results: list[Result]) -> dict[int, int]:
    """office_id → units needing clarification (the Ringkasan badge)."""
    counts: dict[int, int] = {}
    for r in results:
        if r.clarify:
            counts[r.unit.office_id] = counts.get(r.unit.office_id, 0) + 1
    return counts


def time_unavailable(results: list[Result]) -> int:
    """Units whose export carried no time of day (the time-based signals say 'not available')."""
    return sum("burst" in r.unavailable for r in results)


# --- funnel and history -----------------------------------------------------------------------------

def funnel_points(results: list[Result], kanwil: str | None, instrument: str, period: str) -> pd.DataFrame:
    """The units of one Kanwil × instrument × period on the funnel: office, n, all-max share, fired."""
    rows = [{"office": r.unit.office, "n": r.unit.n, "share": r.unit.all_max / r.unit.n if r.unit.n else 0.0,
             "all_max": r.unit.all_max, "fired": any(s.id == "all_max" for s in r.signals), "clarify": r.clarify}
            for r in results if r.unit.kanwil == kanwil and r.unit.instrument == instrument and r.unit.label == period]
    return pd.DataFrame(rows, columns=["office", "n", "share", "all_max", "fired", "clarify"])


def funnel_of(results: list[Result], kanwil: str | None, instrument: str, period: str):
    """The all-max funnel (θ, φ) the units of that period were judged against, or None (too few peers)."""
    for r in results:
        if r.unit.kanwil == kanwil and r.unit.instrument == instrument and r.unit.label == period:
            return r.funnels[0] if r.funnels else None
    return None


def history(results: list[Result], office: str, instrument: str) -> pd.DataFrame:
    """One office × instrument over the periods examined: n, all-max and most-common-vector share,
    index percent, whether it needs clarification."""
    rows = [{"period": r.unit.label, "n": r.unit.n, "all_max": r.unit.all_max / r.unit.n if r.unit.n else 0.0,
             "uniform": r.unit.modal_count / r.unit.n if r.unit.n else 0.0, "percent": r.unit.percent,
             "clarify": r.clarify, "signals": ", ".join(s.id for s in r.signals)}
            for r in results if r.unit.office == office and r.unit.instrument == instrument]
    return pd.DataFrame(rows, columns=["period", "n", "all_max", "uniform", "percent", "clarify", "signals"]) \
        .sort_values("period").reset_index(drop=True)


# --- Metode -----------------------------------------------------------------------------------------

def threshold_text(rules: Rules, signal_id: str, lang: str | None) -> str:
    """The threshold of one signal as the rules file sets it, in words."""
    p = rules.signal(signal_id).params
    values = {k: (num(v * 100, 0, lang) if isinstance(v, float) and v < 1 and k in ("min_share",) else v)
              for k, v in p.items()}
    if signal_id in ("all_max", "uniform"):
        values.update(z=num(rules.funnel_z, 2, lang), winsor=num(rules.winsor * 100, 0, lang),
                      peers=rules.min_peers)
    if signal_id in ("jump_all_max", "jump_uniform"):
        values.update(rise=num(p["min_rise"] * 100, 0, lang), z=num(p["z"], 1, lang))
    if signal_id.startswith("jump_"):
        values.update(months=rules.history_months, within=rules.history_within, min_n=rules.min_n)
    if signal_id in ("burst", "burst_pattern"):
        values.update(alpha=num(p["alpha"], 3, lang))
    if signal_id == "out_of_hours":
        values.update(night_from=f"{int(p['night_from']):02d}", night_to=f"{int(p['night_to']):02d}")
    return t(f"ig_thr_{signal_id}", lang, **values)


def method_table(rules: Rules, lang: str | None) -> pd.DataFrame:
    """Every signal of the rules file: name, family, what it measures, threshold, false-positive causes."""
    rows = []
    for signal_id, rule in rules.signals.items():
        rows.append({t("m_ig_col_signal", lang): signal_name(signal_id, lang),
                     t("m_ig_col_family", lang): t(f"ig_family_{rule.family}", lang)
                     + (" · " + t("m_ig_alone", lang) if signal_id in rules.alone else ""),
                     t("m_ig_col_what", lang): t(f"ig_what_{signal_id}", lang),
                     t("m_ig_col_threshold", lang): threshold_text(rules, signal_id, lang),
                     t("m_ig_col_fp", lang): t(f"ig_fp_{signal_id}", lang)})
    return pd.DataFrame(rows)


def signal_ids() -> list[str]:
    """Every signal id of the rules in force (for the i18n key test)."""
    return list(integrity.load_rules().signals)
