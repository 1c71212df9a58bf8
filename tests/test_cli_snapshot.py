"""What the CLI prints on a fixed demo store stays what it printed before the layout change.

The snapshot (tests/snapshots/cli_demo_2026-11-21.json) was written by the code *before* issue 7's
refactor, on the demo store of 2026-11-21; its numbers are checked independently elsewhere (golden
cases, the SQL-vs-reference property test). Here it guards against a refactor changing any figure.
The same store then feeds the Kesiapan page's data: verdicts and reasons must equal the CLI's.
The store is conftest's demo_db (built with DEMO_TODAY = 2026-11-21, the snapshot's date).
"""
import json
import shlex
from pathlib import Path

import pytest

from analytics import cli, store
from analytics.domain import periods
from analytics.domain.instruments import load_registry
from analytics.present import views
from analytics.store import queries

SNAPSHOT = Path(__file__).parent / "snapshots" / "cli_demo_2026-11-21.json"
EXPECTED = json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def cli_json(db, command: str, capsys):
    code = cli.main([*shlex.split(command), "--db", str(db), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("command", sorted(EXPECTED))
def test_cli_output_is_unchanged(demo_db, command, capsys):
    got = cli_json(demo_db, command.replace("--office Kantor Imigrasi Kelas I TPI Bandung",
                                            "--office 'Kantor Imigrasi Kelas I TPI Bandung'"), capsys)
    for row in got:
        row.pop("shortfalls", None)          # new in issue 7: the structured form of the reasons
    assert got == EXPECTED[command]


@pytest.mark.parametrize("rules", ["zi-2019", "zi-2021"])
def test_cli_and_kesiapan_page_give_the_same_verdicts_and_reasons(demo_db, rules, capsys):
    from_cli = cli_json(demo_db, f"readiness --rules {rules} --from 2024-11 --to 2026-10", capsys)
    con = store.connect(demo_db, read_only=True)
    try:
        window = queries.Window(periods.parse_month("2024-11"), periods.parse_month("2026-10"))
        page = views.readiness_table(queries.readiness(con, rules, window), load_registry(), "id")
    finally:
        con.close()
    assert [(r["office"], r["wbk"], r["wbbm"], "; ".join(r["reasons"])) for r in from_cli] == \
        list(page[["office", "wbk", "wbbm", "reasons"]].itertuples(index=False, name=None))
    assert any(r["reasons"] for r in from_cli)          # the comparison covers offices with shortfalls


def test_readiness_reasons_follow_the_cli_language(demo_db, capsys):
    english = cli_json(demo_db, "readiness --from 2026-07 --to 2026-09 --lang en", capsys)
    reasons = [reason for row in english for reason in row["reasons"]]
    assert reasons and all(" short of " in r or "respondents" in r for r in reasons)
    assert not any("kurang" in r for r in reasons)
