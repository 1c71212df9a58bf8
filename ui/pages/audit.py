"""Audit: the append-only log — an admin sees every entry, a kanwil user their own and those of their
links (sign-ins and failures, links made/used/refused/revoked, uploads, deletes, scope violations)."""
import json

import pandas as pd
import streamlit as st

from analytics import accounts
from ui import session, state, widgets
from ui.text import t


def body() -> None:
    principal, scope = session.principal(), state.viewer_scope()
    st.title(t("audit_title"))
    if principal is None or principal.is_guest or "audit" not in scope.pages:
        st.error(t("signin_needed"))
        return
    st.caption(t("audit_caption_all" if scope.audit_all else "audit_caption_own"))
    with state.cursor() as cur:
        frame = accounts.audit_entries(cur, principal, scope)
    actions = sorted(frame["action"].unique()) if not frame.empty else []
    chosen = st.multiselect(t("audit_action"), actions, key="audit_actions")
    if chosen:
        frame = frame[frame["action"].isin(chosen)]
    shown = pd.DataFrame({t("col_time"): frame["logged_at"], t("col_actor"): frame["actor"],
                          t("col_action"): frame["action"],
                          t("col_detail"): [", ".join(f"{k}={v}" for k, v in json.loads(d).items())
                                            for d in frame["detail"]]})
    widgets.table(shown, height=min(38 + 35 * len(shown), 720))


widgets.run_page(body)
