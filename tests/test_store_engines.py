"""Golden boundaries through the whole store on both engines: PostgreSQL's avg() of integers is
numeric and DuckDB's double, so the half-up boundaries of domain.md §golden (converted 76,605 → 76,61 B,
88,305 → 88,31 A) must come out the same through import, pooled sums and queries on each."""
from datetime import date

import pytest

from analytics import cli, store
from analytics.domain.instruments import load_registry
from analytics.store import queries
from tests.conftest import ENGINES, POSTGRES
from tests.pg_server import Server
from tests.reference import Respondent
from tests.fixtures.make_fixtures import canonical_csv, ingest_bytes

OFFICE = "Lapas Kelas IIA Batas"


def ipk_rows(fours: int) -> list[Respondent]:
    """625 respondents × 8 IPK items all answered: 5000 answers, `fours` of them 4 and the rest 3,
    so the index is (15000 + fours) / 5000 exactly."""
    scores = [4] * fours + [3] * (5000 - fours)
    return [Respondent(OFFICE, None, date(2024, 3, 1 + i % 28), {"ipk": tuple(scores[i * 8:(i + 1) * 8])})
            for i in range(625)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fours,converted,grade", [(321, 76.61, "B"), (2661, 88.31, "A")])
def test_half_up_boundary_on_each_engine(make_store, engine, fours, converted, grade):
    con = make_store({OFFICE: "Kanwil Batas"}, path=engine)
    try:
        report = ingest_bytes(con, canonical_csv(ipk_rows(fours), ("ipk",)))
        assert report.rows_imported == 625
        (row,) = queries.indices(con, by="office", period="all").to_dict("records")
    finally:
        con.close()
    assert (row["n"], row["converted"], row["grade"]) == (625, converted, grade)


def tie_rows() -> list[Respondent]:
    """1000 respondents answering every IKM item alike, 199 of them 4 and the rest 3: every NRR and
    the IKM index are 3,199 exactly, so the ZI 2019 nilai is 3,199 / 4 × 20 = 15,995, a rounding tie
    (the float product is 15,99499…). IPK all 4."""
    ikm_items = len(load_registry().get("ikm").items)
    return [Respondent(OFFICE, None, date(2024, 3, 1 + i % 28),
                       {"ikm": (4 if i < 199 else 3,) * ikm_items, "ipk": (4,) * 8}) for i in range(1000)]


@pytest.mark.parametrize("engine", ENGINES)
def test_readiness_rounds_a_nilai_tie_half_up_on_each_engine(make_store, engine):
    con = make_store({OFFICE: "Kanwil Batas"}, path=engine)
    try:
        assert ingest_bytes(con, canonical_csv(tie_rows(), ("ikm", "ipk"))).rows_imported == 1000
        (row,) = queries.readiness(con, "zi-2019").to_dict("records")
    finally:
        con.close()
    # 15,995 → 16,00 half-up: exactly the WBK threshold, met with ≥; WBBM (18,00) is 2,00 short.
    assert (row["service_n"], row["service_nilai"], row["wbk"], row["wbbm"]) == (1000, 16.00, "yes", "no")
    (short,) = row["shortfalls"]
    assert (short.kind, short.levels, str(short.value), str(short.gap)) == ("nilai", ("wbbm",), "16.00", "2.00")


# --- PostgreSQL specifics: connection reuse, backups -------------------------------------------------

def test_postgresql_cursors_reuse_connections_but_never_one_left_in_a_transaction(make_store):
    con = make_store(path=POSTGRES)
    try:
        pid = lambda cur: cur.execute("SELECT pg_backend_pid()").fetchall()[0][0]     # noqa: E731
        with con.cursor() as first:
            used = pid(first)
        with con.cursor() as again, con.cursor() as meanwhile:
            assert pid(again) == used                      # taken back from the pool
            assert pid(meanwhile) != used                  # two at once: two connections
        broken = con.cursor()
        broken_pid = pid(broken)
        broken.execute("BEGIN")
        broken.close()                                     # closed mid-transaction: not pooled
        with con.cursor() as a, con.cursor() as b, con.cursor() as c:
            assert broken_pid not in {pid(a), pid(b), pid(c)}
    finally:
        con.close()


def test_a_postgresql_restart_costs_no_failed_query():
    # After a restart (or failover) every pooled and held connection is dead; the next page must not
    # be the one that finds out. A server of its own: the session's server serves the other tests.
    server = Server()
    try:
        con = store.connect(server.new_database())
        try:
            with con.cursor() as cursor:                  # one connection idle in the pool
                assert store.fetch_one(cursor, "SELECT count(*) FROM offices")[0] == 0
            server.restart()
            assert store.fetch_one(con, "SELECT count(*) FROM offices")[0] == 0      # the held one
            with con.cursor() as cursor:
                assert store.fetch_one(cursor, "SELECT count(*) FROM offices")[0] == 0   # the pooled one
            with store.transaction(con):                 # and writes work again
                con.execute("INSERT INTO offices (office_id, name) VALUES (1, 'Lapas Uji')")
            assert store.fetch_one(con, "SELECT name FROM offices")[0] == "Lapas Uji"
        finally:
            con.close()
    finally:
        server.stop()


@pytest.mark.parametrize("command", [["backup", "--out", "x.bak"], ["restore", "--from", "x.bak"]])
def test_backup_and_restore_of_a_postgresql_store_point_to_pg_dump(make_store, command, capsys, monkeypatch):
    url = make_store(path=POSTGRES)
    target = url.url
    url.close()
    monkeypatch.setattr("builtins.input", lambda *_: pytest.fail("asked before refusing"))
    assert cli.main([*command, "--db", target]) == 2
    err = capsys.readouterr().err
    assert "adalah PostgreSQL" in err and "pg_dump" in err and "pg_restore" in err
