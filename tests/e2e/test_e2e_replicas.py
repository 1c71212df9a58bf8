"""Several app servers behind one address (issue 14, docs/deploy.md §3), end to end on loopback: the
suite's throwaway PostgreSQL, two `streamlit run server.py` replicas on it, and Debian's HAProxy
with the shipped deploy/haproxy.cfg (only its three addresses replaced by free ports, by
servers.haproxy_config), driven by chromium through the proxy.

- six browser sessions upload a file each through the proxy (they alternate between the replicas by
  the SERVERID cookie): all six land;
- a guest whose session lives on replica 2 is refused at the next interaction after an admin on
  replica 1 revokes the link;
- the CLI imports into the same store while both replicas serve, and both show the new batch.
"""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analytics import accounts, store
from analytics.domain import access
from analytics.store import access as access_db, offices
from e2e_support import assert_no_errors, choose, dataframe_text, open_page, run_and_wait, wait_for_app, widget
from export_builder import write_export
from tests import servers
from tests.conftest import pg_server

KANWIL = "Kanwil Replika"
OFFICES = [f"Kantor Replika {i}" for i in range(1, 8)]        # 1–6 the uploads, 7 the CLI import
ADMIN, PASSWORD = "admin", "replika-e2e-rahasia"
N = 12                                                        # respondents per file


@dataclass
class Cluster:
    url: str             # the proxy: the only address the browsers use
    db: str              # the PostgreSQL URL both replicas (and the CLI) use
    logs: list[Path]
    link_token: str

    def log_tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{servers.log_tail(log, 1500)}" for log in self.logs)


def _prepare(db: str) -> str:
    """Offices, the admin account, and a share link of office 1 for September 2026 (its token)."""
    con = store.connect(db)
    try:
        for name in OFFICES:
            offices.add_office(con, name, KANWIL)
        accounts.add_user(con, ADMIN, "admin", PASSWORD, actor="e2e")
        admin = accounts.principal_of_user(access_db.user(con, ADMIN))
        frame = offices.list_offices(con)
        office_1 = int(frame.loc[frame["name"] == OFFICES[0], "office_id"].iloc[0])
        spec = access.LinkSpec("Tamu Replika", (office_1,), ("ikm", "ipk"), date(2026, 9, 1), date(2026, 9, 1),
                               tuple(access.GUEST_PAGES), False, 14)
        return accounts.create_link(con, admin, access.scope_for(admin, frame), spec, accounts.now())
    finally:
        con.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replicas")
    db = pg_server().new_database()
    token = _prepare(db)
    proxy, app1, app2 = (servers.free_port() for _ in range(3))
    logs = [tmp / "app1.log", tmp / "app2.log", tmp / "haproxy.log"]
    procs = []
    try:
        # Both replicas start at once (they take turns migrating: an advisory lock), then the proxy.
        procs += [servers.spawn_app(db, port, log) for port, log in ((app1, logs[0]), (app2, logs[1]))]
        for proc, port, log in zip(procs, (app1, app2), logs):
            servers.wait_healthy(proc, f"http://127.0.0.1:{port}/_stcore/health", log)
        procs.append(servers.start_haproxy(proxy, app1, app2, tmp))
    except servers.ServerError as exc:
        for proc in procs:
            servers.stop(proc)
        pytest.fail(str(exc), pytrace=False)
    try:
        yield Cluster(f"http://127.0.0.1:{proxy}", db, logs, token)
    finally:
        for proc in reversed(procs):
            servers.stop(proc)


def replica_of(ctx) -> str | None:
    return next((c["value"] for c in ctx.cookies() if c["name"] == "SERVERID"), None)


def signed_in(new_context, cluster: Cluster, replica: str | None = None):
    """A browser context signed in as admin through the proxy; `replica` pins it (the SERVERID
    cookie a browser would have from an earlier visit), else HAProxy picks and sets the cookie."""
    ctx = new_context(None)
    if replica:
        ctx.add_cookies([{"name": "SERVERID", "value": replica, "url": cluster.url}])
    response = ctx.request.post(f"{cluster.url}/masuk", form={"username": ADMIN, "password": PASSWORD},
                                max_redirects=0)
    assert response.status == 303, f"sign-in through the proxy: HTTP {response.status}\n{cluster.log_tail()}"
    assert replica_of(ctx) in ("app1", "app2"), ctx.cookies()          # the proxy's stickiness cookie
    return ctx


def batches(db: str) -> dict[str, int]:
    con = store.connect(db, read_only=True)
    try:
        frame = store.list_batches(con)
    finally:
        con.close()
    return dict(zip(frame["file_name"], frame["rows_imported"].astype(int)))


def test_six_uploads_through_the_proxy_all_land(cluster, new_context, tmp_path):
    exports = [write_export(tmp_path, n=N, seed=i, office=OFFICES[i - 1], file_name=f"replika_{i}.csv")
               for i in range(1, 7)]
    pages = []
    for export in exports:          # six sessions open at once, alternating between the replicas
        page = signed_in(new_context, cluster).new_page()
        open_page(page, f"{cluster.url}/unggah")
        assert_no_errors(page)
        pages.append(page)
    assert sorted(replica_of(p.context) for p in pages) == ["app1"] * 3 + ["app2"] * 3
    for page, export in zip(pages, exports):
        file_input = widget(page, "upload_files").locator("input[type='file']")
        run_and_wait(page, lambda: file_input.set_input_files(str(export.path)))
        expect(page.locator("[data-testid='stAlertContentSuccess']").filter(
            has_text=f"{export.path.name}: {N} baris dibaca, {N} valid, 0 ditolak")).to_be_visible()
    for page, export in zip(pages, exports):     # confirmed after all six are staged in their replicas
        run_and_wait(page, widget(page, "upload_confirm").get_by_role("button").click)
        expect(page.locator("[data-testid='stAlertContentSuccess']").filter(
            has_text=f"{N} responden diimpor")).to_be_visible()
        wait_for_app(page)
        assert_no_errors(page)
    assert batches(cluster.db) == {f"replika_{i}.csv": N for i in range(1, 7)}


def test_a_link_revoked_on_one_replica_is_refused_on_the_other(cluster, new_context):
    guest_ctx = new_context(None)
    guest_ctx.add_cookies([{"name": "SERVERID", "value": "app2", "url": cluster.url}])
    guest = guest_ctx.new_page()
    open_page(guest, f"{cluster.url}/s/{cluster.link_token}")
    assert_no_errors(guest)
    assert replica_of(guest_ctx) == "app2"
    expect(guest.get_by_text("Tamu Replika").first).to_be_visible()          # "Dibagikan kepada …"

    admin = signed_in(new_context, cluster, "app1").new_page()
    open_page(admin, f"{cluster.url}/bagikan")
    assert replica_of(admin.context) == "app1"
    run_and_wait(admin, widget(admin, "revoke_link_button").get_by_role("button").click)
    expect(admin.get_by_text("dicabut", exact=False).first).to_be_visible()

    choose(guest, widget(guest, "granularity").get_by_role("combobox"), "Triwulanan")   # its next interaction
    expect(guest.get_by_text("Tautan berbagi ini telah dicabut")).to_be_visible()
    assert OFFICES[0] not in guest.locator("[data-testid='stApp']").inner_text()


def test_the_cli_imports_while_both_replicas_serve(cluster, new_context, tmp_path):
    views = {replica: signed_in(new_context, cluster, replica).new_page() for replica in ("app1", "app2")}
    export = write_export(tmp_path, n=N, seed=7, office=OFFICES[6], file_name="replika_cli.csv")
    cli = subprocess.Popen([sys.executable, "-m", "analytics", "ingest", "--db", cluster.db, str(export.path)],
                           cwd=servers.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for page in views.values():         # both replicas serve pages while the import runs
        open_page(page, f"{cluster.url}/unggah")
        assert_no_errors(page)
    out, _ = cli.communicate(timeout=120)
    assert cli.returncode == 0, out
    assert batches(cluster.db).get("replika_cli.csv") == N, out
    for replica, page in views.items():  # the next run on each replica shows the CLI's batch
        assert replica_of(page.context) == replica
        open_page(page, f"{cluster.url}/unggah")
        history = [dataframe_text(page, i) for i in range(page.locator("[data-testid='stDataFrame']").count())]
        assert any(re.search(r"\breplika_cli\.csv\b", text) for text in history), (replica, history)
