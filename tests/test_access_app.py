"""Every page as each role, through AppTest on the demo store: what each role is offered and shown.
AppTest cannot send cookies: the `app` fixture (tests/test_app.py) makes a real account and session
and patches only ui.session.cookie; the session row is checked on every rerun as in the browser."""
from __future__ import annotations

from datetime import date

import pytest
from streamlit import dataframe_util

from analytics.store import access as db
from tests.test_app import APP, _clear_caches, app, demo_on, demo_store, errors, texts  # noqa: F401 — fixtures
from ui import session, state

JABAR = "Kanwil Kemenkumham Jawa Barat"
DEPOK = "Kantor Imigrasi Kelas II Non TPI Depok"
BANDUNG = "Kantor Imigrasi Kelas I TPI Bandung"
ROLE_PAGES = {
    "admin": ["ringkasan", "tren", "unsur", "kesiapan", "laporan", "integritas", "unggah", "bagikan", "audit",
              "pengguna", "metode"],
    "kanwil": ["ringkasan", "tren", "unsur", "kesiapan", "laporan", "integritas", "unggah", "bagikan", "audit", "metode"],
    "office": ["ringkasan", "tren", "unsur", "kesiapan", "laporan", "metode"],
    "guest": ["ringkasan", "tren", "kesiapan"],
}
ACCOUNTS = {"admin": {}, "kanwil": {"kanwils": (JABAR,)}, "office": {"offices": (DEPOK,)},
            "guest": {"guest": {"offices": (DEPOK, BANDUNG), "month_from": date(2026, 7, 1),
                                "month_to": date(2026, 9, 1), "pages": ("ringkasan", "tren", "kesiapan")}}}


def shown(element):
    """A table as the viewer reads it: the Styler's display text (e.g. '87,56', 'data belum cukup'),
    else the plain values."""
    styled = element.proto.arrow_data.styler.display_values
    return dataframe_util.convert_arrow_bytes_to_pandas_df(styled) if styled else element.value


def every_text(at) -> str:
    """Everything a page shows as text: titles, captions, markdown, alerts, metrics, table cells, options."""
    parts = []
    for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in [*at.dataframe, *at.table]:
        parts.append(frame.value.to_string() if hasattr(frame.value, "to_string") else str(frame.value))
        parts.append(shown(frame).to_string())
    for box in at.selectbox:
        parts += [str(o) for o in box.options]
    return "\n".join(parts)


@pytest.mark.parametrize("engine", ["duckdb", "postgresql"])
@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_each_role_is_offered_its_pages_and_every_one_opens(app, request, engine, role):
    at = app(demo_on(engine, request), role=None if role == "guest" else role, **ACCOUNTS[role])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    for page in ROLE_PAGES[role]:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert not errors(at), (page, errors(at))
        assert texts(at.title), page
    registered = [info.get("url_pathname") or "ringkasan" for info in at._registered_pages.values()]
    assert sorted(registered) == sorted(ROLE_PAGES[role])
    for page in set(ROLE_PAGES["admin"]) - set(ROLE_PAGES[role]):
        with pytest.raises(ValueError, match="Could not find a navigation page"):   # not in st.navigation
            at.switch_page(f"ui/pages/{page}.py")


def test_nobody_signed_in_sees_only_the_sign_in_page(app, demo_store):
    at = app(demo_store[0], role=None)
    at.run()
    assert texts(at.title) == ["Masuk ke Dasbor IKM–IPK"]
    assert "Silakan masuk" in texts(at.info)[0]
    assert not at.dataframe and not at.metric and not at.sidebar.selectbox


def test_a_tampered_cookie_gets_a_clear_page_and_an_audit_entry(app, demo_store, monkeypatch):
    at = app(demo_store[0], role=None)
    monkeypatch.setattr(session, "cookie", lambda: "dipalsukan-bukan-sesi")
    at.run()
    assert not at.exception
    assert "Sesi ini tidak dikenal" in texts(at.warning)[0]
    assert not at.dataframe
    with state.cursor() as cur:
        entry = db.audit_entries(cur).iloc[0]
    assert entry["action"] == "session_refused" and '"why": "unknown"' in entry["detail"]


def test_kanwil_sees_only_its_kanwil(app, demo_store):
    at = app(demo_store[0], role="kanwil", kanwils=(JABAR,))
    at.run()
    assert at.selectbox(key="kanwil").options == ["Semua Kanwil", JABAR]
    table = at.dataframe[0].value
    assert len(table) > 0 and all(name in every_text(at) for name in table["Kantor"])
    with state.cursor() as cur:
        jabar = set(cur.execute("SELECT name FROM offices WHERE kanwil = ?", [JABAR]).fetchdf()["name"])
        others = set(cur.execute("SELECT name FROM offices WHERE kanwil <> ?", [JABAR]).fetchdf()["name"])
    assert set(table["Kantor"]) == jabar
    for page in ROLE_PAGES["kanwil"]:
        at.switch_page(f"ui/pages/{page}.py").run()
        shown = every_text(at)
        assert not [o for o in others if o in shown], page


def test_office_user_never_sees_another_office_by_name_but_gets_the_pooled_kanwil(app, demo_store):
    at = app(demo_store[0], role="office", offices=(DEPOK,))
    at.run()
    with state.cursor() as cur:
        others = set(cur.execute("SELECT name FROM offices WHERE name <> ?", [DEPOK]).fetchdf()["name"])
    assert at.dataframe[0].value["Kantor"].tolist() == [DEPOK]
    assert at.metric and JABAR in every_text(at)                   # the Kanwil's pooled tile stays
    for page in ROLE_PAGES["office"]:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception
        shown = every_text(at)
        assert not [o for o in others if o in shown], page
        assert not [a for a in ("Kanim Bandung", "Lapas Cirebon") if a in shown], page     # no alias either


def test_guest_sees_the_link_scope_a_footer_and_no_small_figures(app, demo_store):
    at = app(demo_store[0], **ACCOUNTS["guest"])
    at.run()
    assert not at.exception and not errors(at)
    assert at.selectbox(key="office").options == ["Semua kantor", BANDUNG, DEPOK]
    assert at.selectbox(key="start").options == ["2026-07", "2026-08", "2026-09"]
    assert at.selectbox(key="pair").options == ["IKM/IPK"]
    assert not at.dataframe and at.table                           # no download toolbar
    footer = [c for c in texts(at.caption) if c.startswith("Dibagikan kepada")]
    assert footer and "Ombudsman RI Perwakilan Uji" in footer[0] and "2026-07 – 2026-09" in footer[0]
    assert DEPOK in footer[0] and "IKM, IPK" in footer[0]
    assert not at.get("download_button")


def test_guest_tampering_with_the_url_is_dropped_and_logged(app, demo_store):
    at = app(demo_store[0], office="Lapas Kelas IIA Cirebon", start="2025-01", **ACCOUNTS["guest"])
    at.run()
    assert not at.exception and not errors(at)
    assert at.selectbox(key="office").value == ""                  # back to the link's own scope
    assert "Lapas Kelas IIA Cirebon" not in every_text(at)
    assert at.selectbox(key="start").value == "2026-07"
    with state.cursor() as cur:
        found = db.audit_entries(cur)
    violations = found[found["action"] == "scope_violation"]["detail"].tolist()
    assert any("Cirebon" in d for d in violations) and any("2025-01" in d for d in violations)


def test_revoking_a_link_stops_the_guest_on_the_next_rerun(app, demo_store):
    at = app(demo_store[0], **ACCOUNTS["guest"])
    at.run()
    assert at.table
    with state.writer() as cur:
        cur.execute("UPDATE share_links SET revoked_at = current_timestamp")
    at.selectbox(key="granularity").select("quarter").run()
    assert "dicabut" in texts(at.warning)[0] and not at.table and not at.dataframe


def test_upload_page_deletes_only_within_scope(app, demo_store):
    at = app(demo_store[0], role="kanwil", kanwils=(JABAR,))
    with state.cursor() as cur:
        held = db.batch_offices(cur)
        jabar = set(cur.execute("SELECT office_id FROM offices WHERE kanwil = ?", [JABAR]).fetchdf()["office_id"])
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    assert not at.exception and not errors(at)
    offered = set(at.selectbox(key="delete_batch_id").options)
    inside = {str(b) for b, offices in held.items() if offices and offices <= jabar}
    assert inside and len(inside) < len(held)                              # the demo has other Kanwil
    assert {o.split(" · ")[0] for o in offered} == inside                  # nothing of another Kanwil
    uploader = app(demo_store[0], role="office", offices=(DEPOK,), can_upload=True)
    uploader.run()
    uploader.switch_page("ui/pages/unggah.py").run()
    assert not uploader.exception and not errors(uploader)
    assert not [b for b in uploader.button if b.key == "delete_batch_button"]   # uploads, never deletes
    assert not [s for s in uploader.selectbox if s.key == "delete_batch_id"]


def test_admin_manages_users_on_the_users_page(app, demo_store):
    at = app(demo_store[0], role="admin")
    at.run()
    at.switch_page("ui/pages/pengguna.py").run()
    assert not at.exception and not errors(at)
    at.text_input(key="user_add_name").input("kepala.depok")
    at.selectbox(key="user_add_role").select("office")
    at.button(key="FormSubmitter:user_add-Buat akun").click().run()
    assert errors(at) == ["akun kantor memerlukan minimal satu kantor; pilih di kotak 'Kantor'"]   # names the control
    with state.cursor() as cur:
        depok = int(cur.execute("SELECT office_id FROM offices WHERE name = ?", [DEPOK]).fetchone()[0])
    at.multiselect(key="user_add_offices").select(depok)
    at.button(key="FormSubmitter:user_add-Buat akun").click().run()
    assert not at.exception and not errors(at)
    assert any("kepala.depok" in s for s in texts(at.success)) and at.code      # the password, once
    with state.cursor() as cur:
        made = db.user(cur, "kepala.depok")
        assert made["role"] == "office" and list(made["offices"]) == [depok] and not made["can_upload"]
        assert db.audit_entries(cur).iloc[0]["action"] == "user_added"


def test_guest_reads_data_belum_cukup_where_a_small_figure_is_withheld(app, demo_store):
    """LPKA Bandung had 25 and 22 respondents in Mar/Apr 2026 (< small_sample; IKM 85,71 and 85,12):
    a guest gets the words 'data belum cukup' in place of its figures, next to the n, on every page."""
    lpka = "LPKA Kelas II Bandung"
    at = app(demo_store[0], granularity="month",
             guest={"offices": (lpka, DEPOK), "month_from": date(2026, 3, 1), "month_to": date(2026, 4, 1),
                    "pages": ("ringkasan", "tren", "kesiapan")})
    at.run()
    assert not at.exception and not errors(at)
    table = shown(at.table[0])
    row = table[table["Kantor"] == lpka].iloc[0]
    assert (row["IKM"], row["n IKM"]) == ("data belum cukup", "22")
    assert "85,12" not in every_text(at)
    at.switch_page("ui/pages/kesiapan.py").run()
    at.radio(key="zi_window").set_value("filter").run()            # the sidebar's months: 2026-03 – 2026-04
    at.selectbox(key="start").select("2026-04").run()
    assert not at.exception and not errors(at)
    table = shown(at.table[0])
    assert "data belum cukup" in table[table.iloc[:, 0] == lpka].iloc[0].tolist()
    at.selectbox(key="start").select("2026-03")
    at.switch_page("ui/pages/tren.py").run()
    at.selectbox(key="office").select(lpka).run()
    assert not at.exception and not errors(at)
    assert [m.value for m in at.metric] == ["data belum cukup"] * 2              # April, IKM and IPK


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_integrity_signals_on_ringkasan_only_for_roles_with_the_integritas_page(app, demo_store, role, monkeypatch):
    """docs/security.md: "perlu klarifikasi" is for admin and kanwil; an office user or a guest gets the
    Ringkasan table without its Integritas column, and no signals are computed for them."""
    asked = []
    real = state._integrity
    monkeypatch.setattr(state, "_integrity", lambda *a: asked.append(a) or real(*a))
    at = app(demo_store[0], role=None if role == "guest" else role, **ACCOUNTS[role])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = [*at.dataframe, *at.table][0].value                   # a link without downloads: st.table
    columns = list(shown.data.columns if hasattr(shown, "data") else shown.columns)
    assert "Kantor" in columns and ("Integritas" in columns) == ("integritas" in ROLE_PAGES[role]), columns
    state._BACKGROUND.submit(lambda: None).result(timeout=120)      # the worker is past anything it was given
    assert bool(asked) == ("integritas" in ROLE_PAGES[role])
