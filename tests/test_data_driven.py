"""Instruments and rules are data: a new instrument or a new threshold needs no code change."""
import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from analytics import settings, store
from analytics.domain import readiness
from analytics.present import views
from analytics.ingest import importer
from analytics.store import queries
from analytics.domain.instruments import load_registry

NEW_INSTRUMENT = """
id: sipp
name: "Survei Uji Coba"
index_name: "ISU"
role: service
scale: {min: 1, max: 5}
code_prefixes: [SIPP]
label_sets: []
items:
  - {number: 1, code: SIPP1, statement: "Loket mudah ditemukan", aspect: "Sarana"}
  - {number: 2, code: SIPP2, statement: "Antrian tertib", aspect: "Prosedur"}
"""


def copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR / "instruments", target / "instruments")
    shutil.copytree(settings.DATA_DIR / "rules", target / "rules")
    shutil.copy(settings.DATA_DIR / "labels.yaml", target / "labels.yaml")
    return target


def test_a_sixth_instrument_is_imported_and_computed(make_store, tmp_path):
    data = copy_data(tmp_path)
    (data / "instruments" / "sipp.yaml").write_text(NEW_INSTRUMENT, encoding="utf-8")
    registry = load_registry(data)
    con = make_store({"Bapas Kelas I Uji": "Kanwil Uji"})
    csv = "Kantor,Tanggal,SIPP1,Antrian tertib\nBapas Kelas I Uji,2024-05-02,5,4\nBapas Kelas I Uji,2024-05-03,3,\n"
    report = importer.ingest(con, csv.encode(), "sipp.csv", importer.ImportOptions(today=date(2026, 1, 1)),
                             registry)
    assert (report.status, report.instruments, report.rows_imported) == ("imported", ["sipp"], 2)
    (row,) = queries.indices(con, period="all", registry=registry).to_dict("records")
    # NRR1 = 8/2, NRR2 = 4/1 → index 4.0 on 1–5: percent 80, no 25–100 conversion.
    assert (row["n"], row["index"], row["percent"], row["grade"]) == (2, 4.0, 80.0, None)


def test_a_changed_threshold_changes_the_verdict(tmp_path):
    data = copy_data(tmp_path)
    rules = data / "rules" / "zi-2019.yaml"
    rules.write_text(rules.read_text().replace("wbk: 16.00", "wbk: 16.50"), encoding="utf-8")
    registry = load_registry(data)
    ikm = readiness.SurveyPart(registry.get("ikm"), 30, Fraction("3.25"))    # nilai 16,25
    ipk = readiness.SurveyPart(registry.get("ipk"), 30, Fraction(4))
    assert readiness.readiness(load_registry().rule_set("zi-2019"), ikm, ipk).wbk == "yes"
    verdict = readiness.readiness(registry.rule_set("zi-2019"), ikm, ipk)
    assert verdict.wbk == "no" and verdict.service_nilai == Decimal("16.25")
    assert "IKM 16,25 — kurang 0,25 untuk WBK (≥ 16,50)" in views.reason_texts(verdict.shortfalls, "id")


def test_a_rule_pair_in_the_wrong_order_is_refused_when_the_rules_load(tmp_path):
    # readiness weighs each instrument by its role, so [ipk, ikm] would silently swap the weights
    data = copy_data(tmp_path)
    rules = data / "rules" / "zi-2019.yaml"
    rules.write_text(rules.read_text().replace("[[ikm, ipk]", "[[ipk, ikm]"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"zi-2019.yaml: pair \['ipk', 'ikm'\] must be \[service, anticorruption\]"):
        load_registry(data)


def test_migrations_apply_once(tmp_path):
    path = tmp_path / "m.duckdb"
    with store.connect(path) as con:
        version = store.schema_version(con)
        assert version == store.migrations()[-1][0]
    with store.connect(path) as con:
        assert store.migrate(con) == version
        assert con.execute("SELECT count(*) FROM schema_version").fetchall()[0][0] == len(store.migrations())


def test_migration_002_keeps_every_answer_in_its_item_position(tmp_path):
    import duckdb

    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    con.execute(store.migrations()[0][1].read_text())
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, '001_initial.sql')")
    # Respondent 1 left IPK item 2 blank; respondent 2 answered only IPK item 3.
    con.execute("INSERT INTO answers VALUES (1, 1, 'ipk', 1, 4), (1, 1, 'ipk', 3, 2), (2, 1, 'ipk', 3, 1), "
                "(1, 1, 'ikm', 1, 3)")
    con.close()
    with store.connect(path) as con:
        rows = con.execute("SELECT respondent_id, instrument, scores FROM answer_rows ORDER BY ALL").fetchall()
        assert "answers" not in {t for (t,) in con.execute("SHOW TABLES").fetchall()}
    assert rows == [(1, "ikm", [3]), (1, "ipk", [4, None, 2]), (2, "ipk", [None, None, 1])]
