"""Bagikan: a kanwil (or admin) user makes a share link for a guest — offices within their own scope,
survey pairs, a month range, pages, downloads, expiry (default 14 days, at most 90) — sees the link
once, and manages their links (last use, use count, one-click revoke). analytics/accounts.py checks
the link against the creator's scope again before it is stored."""
from datetime import datetime

import pandas as pd
import streamlit as st

from analytics import accounts, settings
from analytics.domain import access, periods
from analytics.domain.instruments import load_registry
from ui import session, sidebar, state, widgets
from ui.text import integer, t


def link_form(principal, scope) -> None:
    offices = state.scoped_offices()
    names = dict(zip(offices["office_id"].astype(int), offices["name"]))
    pairs = sidebar.instrument_pairs(load_registry())
    months = [periods.month_text(m) for m in state.months_with_data()]
    with st.form("link_form", clear_on_submit=False):
        label = st.text_input(t("link_label"), key="link_label", placeholder=t("link_label_help"))
        chosen = st.multiselect(t("link_offices"), list(names), format_func=names.get, key="link_offices")
        chosen_pairs = st.multiselect(t("link_pairs"), list(pairs), default=list(pairs)[:1], key="link_pairs")
        left, right = st.columns(2)
        start = left.selectbox(t("link_from"), months, index=max(len(months) - 3, 0), key="link_from") if months else None
        end = right.selectbox(t("link_to"), months, index=len(months) - 1, key="link_to") if months else None
        pages = st.multiselect(t("link_pages"), list(access.GUEST_PAGES), default=list(access.GUEST_PAGES),
                               format_func=lambda p: t({"ringkasan": "page_ringkasan", "tren": "page_tren",
                                                        "unsur": "page_unsur", "kesiapan": "page_kesiapan",
                                                        "laporan": "page_laporan", "metode": "page_metode"}[p]),
                               key="link_pages", help=t("link_pages_help", n=settings.get("small_sample")))
        downloads = st.checkbox(t("link_downloads"), key="link_downloads")
        days = st.number_input(t("link_days", max=access.MAX_LINK_DAYS), min_value=1, max_value=access.MAX_LINK_DAYS,
                               value=access.DEFAULT_LINK_DAYS, step=1, key="link_days")
        submitted = st.form_submit_button(t("link_create"), type="primary", icon=":material/add_link:")
    if not submitted:
        return
    instruments = tuple(dict.fromkeys(i for label_ in chosen_pairs for i in pairs[label_]))
    spec = access.LinkSpec(label=label or "", offices=tuple(int(o) for o in chosen), instruments=instruments,
                           month_from=periods.parse_month(start) if start else None,
                           month_to=periods.parse_month(end) if end else None, pages=tuple(pages),
                           downloads=bool(downloads), days=int(days))
    problems = spec.problems(scope) if spec.month_from and spec.month_to else ["months"]
    if problems:
        st.error(t("link_invalid", problems=", ".join(problems)))
        return
    with state.writer() as cur:
        token = accounts.create_link(cur, principal, scope, spec, accounts.now())
    base = (st.context.url or "").split("/bagikan")[0].rstrip("/") if st.context.url else ""
    st.success(t("link_created"))
    st.code(f"{base}/s/{token}", language=None)


def status_of(row, now: datetime) -> str:
    state_ = access.link_state(None if pd.isna(row.revoked_at) else row.revoked_at, row.expires_at, now)
    return t({"ok": "status_active", "expired": "status_expired", "revoked": "status_revoked"}[state_])


def link_list(principal, scope) -> None:
    st.subheader(t("links_mine"))
    with state.cursor() as cur:
        frame = accounts.links_of(cur, principal, scope)
    if frame.empty:
        st.caption(t("links_none"))
        return
    names = dict(zip(state.office_list()["office_id"].astype(int), state.office_list()["name"]))
    now = accounts.now()
    shown = pd.DataFrame({
        "id": frame["link_id"], t("col_label"): frame["label"], t("col_status"): [status_of(r, now) for r in frame.itertuples()],
        t("col_scope"): [f"{', '.join(names.get(int(o), str(o)) for o in offices)} · {', '.join(i.upper() for i in inst)} · "
                         f"{a:%Y-%m} – {b:%Y-%m}" for offices, inst, a, b in
                         zip(frame["offices"], frame["instruments"], frame["month_from"], frame["month_to"])],
        t("col_expires"): frame["expires_at"], t("col_last_used"): frame["last_used"], t("col_uses"): frame["use_count"],
        t("col_creator"): frame["created_by"]})
    widgets.table(shown)
    active = frame[[status_of(r, now) == t("status_active") for r in frame.itertuples()]]
    if active.empty:
        return
    labels = {int(r.link_id): f"{r.link_id} · {r.label}" for r in active.itertuples()}
    left, right = st.columns([2, 1])
    link_id = left.selectbox(t("link_revoke_pick"), list(labels), format_func=labels.get, key="revoke_link_id")
    if right.button(t("link_revoke"), key="revoke_link_button", icon=":material/link_off:"):
        with state.writer() as cur:
            accounts.revoke_link(cur, principal, scope, int(link_id), accounts.now())
        st.session_state["_flash"] = t("link_revoked_done", id=integer(link_id))
        st.rerun()


def body() -> None:
    principal, scope = session.principal(), state.viewer_scope()
    st.title(t("bagikan_title"))
    widgets.flash()
    if principal is None or not scope.can_share:      # the page is not listed for them; a direct call too
        st.error(t("signin_needed"))
        return
    st.caption(t("bagikan_caption", n=settings.get("small_sample")))
    link_form(principal, scope)
    st.divider()
    link_list(principal, scope)


widgets.run_page(body)
