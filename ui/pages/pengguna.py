"""Pengguna: the administrator manages accounts in the app — list, create (role, Kanwil or offices,
upload right), change role and assignment, disable/enable, reset a password (shown once). The rules
and the audit entries are in analytics/accounts.py, the same functions the CLI (`users …`) calls."""
import pandas as pd
import streamlit as st

from analytics import accounts
from analytics.domain import access
from analytics.errors import DasborError
from analytics.store import access as access_store
from ui import session, state, widgets
from ui.text import message, t


def _choices() -> tuple[list[str], dict[int, str]]:
    offices = state.office_list()
    kanwils = sorted(k for k in offices["kanwil"].dropna().unique())
    return kanwils, dict(zip(offices["office_id"].astype(int), offices["name"]))


def _users() -> pd.DataFrame:
    with state.cursor() as cur:
        return access_store.list_users(cur)


def user_table(users: pd.DataFrame, names: dict[int, str]) -> None:
    office_names = [", ".join(names.get(int(o), o) for o in str(v).split(", ") if o) if v else ""
                    for v in users["offices"]]
    widgets.table(pd.DataFrame({
        t("col_username"): users["username"], t("col_display_name"): users["display_name"],
        t("col_role"): users["role"], t("col_kanwil"): users["kanwils"], t("col_office"): office_names,
        t("col_can_upload"): users["can_upload"], t("col_disabled"): users["disabled"],
        t("col_last_login"): users["last_login"]}), height=min(38 + 35 * len(users), 420))


def account_fields(prefix: str, kanwils, names, current: dict | None = None) -> dict:
    """Role, name, Kanwil(s), office(s) and the upload right, for the create and change forms."""
    current = current or {}
    role = st.selectbox(t("col_role"), list(access.ROLES), key=f"{prefix}_role",
                        index=list(access.ROLES).index(current.get("role", "office")))
    display = st.text_input(t("col_display_name"), value=current.get("display_name", ""), key=f"{prefix}_display")
    chosen_kanwils = st.multiselect(t("col_kanwil"), kanwils, key=f"{prefix}_kanwils", help=t("users_kanwil_help"),
                                    default=[k for k in current.get("kanwils", []) if k in kanwils])
    chosen_offices = st.multiselect(t("col_office"), list(names), format_func=names.get, key=f"{prefix}_offices",
                                    help=t("users_office_help"),
                                    default=[o for o in current.get("offices", []) if o in names])
    upload = st.checkbox(t("col_can_upload"), value=bool(current.get("can_upload", False)), key=f"{prefix}_upload",
                         help=t("users_upload_help"))
    return {"role": role, "display_name": display, "kanwils": tuple(chosen_kanwils),
            "office_names": tuple(names[o] for o in chosen_offices), "can_upload": upload}


def _apply(action, done: str, **shown) -> None:
    """Run an account change; a wrong input is a plain message naming the control, never a traceback."""
    principal = session.principal()
    try:
        with state.writer() as cur:
            result = action(cur, principal.actor, principal.user_id)
    except DasborError as exc:
        st.error(message(exc))
        return
    if isinstance(result, str):                 # a new password: shown this once, stored only hashed
        st.success(t(done, **shown))
        st.code(result, language=None)
        return
    st.session_state["_flash"] = t(done, **shown)
    st.rerun()


def create_form(kanwils, names) -> None:
    with st.form("user_add", clear_on_submit=False):
        st.markdown(f"**{t('users_add')}**")
        username = st.text_input(t("col_username"), key="user_add_name")
        fields = account_fields("user_add", kanwils, names)
        submitted = st.form_submit_button(t("users_add_button"), type="primary", icon=":material/person_add:")
    if submitted:
        def add(cur, actor, uid) -> str:
            password = access.new_password()
            accounts.add_user(cur, username, fields["role"], password, fields["display_name"], fields["kanwils"],
                              fields["office_names"], fields["can_upload"], actor, uid)
            return password
        _apply(add, "users_added", username=username)


def change_form(users: pd.DataFrame, kanwils, names) -> None:
    if users.empty:
        return
    st.markdown(f"**{t('users_change')}**")
    username = st.selectbox(t("col_username"), users["username"].tolist(), key="user_pick")
    row = users[users["username"] == username].iloc[0]
    current = {"role": row["role"], "display_name": row["display_name"],
               "kanwils": [k for k in str(row["kanwils"] or "").split("; ") if k],
               "offices": [int(o) for o in str(row["offices"] or "").split(", ") if o],
               "can_upload": bool(row["can_upload"])}
    with st.form(f"user_change_{username}"):
        fields = account_fields(f"user_change_{username}", kanwils, names, current)
        submitted = st.form_submit_button(t("users_change_button"), icon=":material/save:")
    if submitted:
        _apply(lambda cur, actor, uid: accounts.update_user(cur, username, actor=actor, actor_user_id=uid, **fields),
               "users_changed", username=username)
    left, right = st.columns(2)
    disabled = bool(row["disabled"])
    if left.button(t("users_enable" if disabled else "users_disable"), key="user_toggle",
                   icon=":material/toggle_on:" if disabled else ":material/block:",
                   disabled=username == session.principal().name):      # an admin cannot lock itself out
        _apply(lambda cur, actor, uid: accounts.set_disabled(cur, username, not disabled, actor),
               "users_enabled" if disabled else "users_disabled", username=username)
    if right.button(t("users_reset"), key="user_reset", icon=":material/key:"):
        _apply(lambda cur, actor, uid: accounts.reset_password(cur, username, None, actor),
               "users_reset_done", username=username)


def body() -> None:
    st.title(t("pengguna_title"))
    if not state.viewer_scope().office_master:          # admin only; a direct call stops here
        st.error(t("signin_needed"))
        return
    st.caption(t("pengguna_caption"))
    widgets.flash()
    kanwils, names = _choices()
    users = _users()
    user_table(users, names)
    left, right = st.columns(2)
    with left:
        create_form(kanwils, names)
    with right:
        change_form(users, kanwils, names)


widgets.run_page(body)
