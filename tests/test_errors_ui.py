"""The upload page and the page wrapper render DasborErrors in the page's language for the "ui"
surface: the control to use, never a command-line flag; other exceptions are shown as bugs."""
from __future__ import annotations

import re

from analytics import store
from analytics.store import offices
from ui import widgets
from tests.test_app import app, errors, export_csv, good_rows, open_page, texts  # noqa: F401 — fixture

FLAG = re.compile(r"(?<![\w-])--[a-z]")
HEADER = ["ID Responden", "Tanggal"] + [f"IKM{i}" for i in range(1, 22)] + [f"IPK{i}" for i in range(1, 9)]


def no_office_csv(count=3) -> bytes:
    rows = [",".join(HEADER)] + [",".join([f"R{i}", "2026-10-05"] + ["3"] * 21 + ["4"] * 8) for i in range(count)]
    return ("\n".join(rows) + "\n").encode()


def test_a_refused_upload_in_english_names_the_box_not_a_flag_and_the_box_works(app, tmp_path):
    db = tmp_path / "kantor.duckdb"
    con = store.connect(db)
    offices.add_office(con, "Lapas Kelas IIB Garut", "Kanwil Uji")
    con.close()
    at = app(db, lang="en")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    at.get("file_uploader")[0].set_value(("tanpa_kantor.csv", no_office_csv(), "text/csv")).run()
    assert not at.exception
    (refusal,) = [e for e in errors(at) if "tanpa_kantor.csv" in e]
    assert refusal.startswith("tanpa_kantor.csv: cannot be imported — tanpa_kantor.csv: no office column")
    assert "choose the office in the 'Office' box above" in refusal
    assert not FLAG.search(refusal), refusal
    assert at.selectbox(key="upload_office").label == "Office"
    at.selectbox(key="upload_office").set_value("Lapas Kelas IIB Garut").run()
    assert not [e for e in errors(at) if "tanpa_kantor.csv" in e]
    assert any("tanpa_kantor.csv: 3 rows read, 3 valid, 0 rejected" in s for s in texts(at.success))


def test_rejected_rows_on_the_page_follow_its_language(app, tmp_path):
    at = app(tmp_path / "new.duckdb", lang="en")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    rows = good_rows("Kantor Baru", 2)
    rows[1][3] = 7                                         # IKM1 off the 1–4 scale, row 3
    at.get("file_uploader")[0].set_value(("baris.csv", export_csv(rows), "text/csv")).run()
    assert not at.exception
    rejected = [d.value for d in at.dataframe if "Reasons" in d.value.columns][0]
    reasons = dict(zip(rejected["Row"], rejected["Reasons"]))
    assert "IKM1: answer 7 is outside the scale 1–4" in reasons[3]
    assert "office 'Kantor Baru' is not in the office master" in reasons[2]
    assert "tick 'Create the missing offices'" in reasons[2] and not FLAG.search(reasons[2])


def test_an_input_error_on_a_page_renders_for_the_page(app, tmp_path, monkeypatch):
    def locked():
        raise store.StoreError("db_locked", hint="db_locked", path="x.duckdb")
    monkeypatch.setattr(widgets, "demo_banner", locked)
    at = app(tmp_path / "new.duckdb", lang="en")
    at.run()
    assert not at.exception
    (message,) = errors(at)
    assert message == ("This page cannot be shown: database x.duckdb is in use by another process (e.g. the "
                       "running app); stop that process (e.g. a command-line import that is writing), then "
                       "reload the page.")


def test_a_bug_on_a_page_is_called_a_bug_in_english(app, tmp_path, monkeypatch):
    def broken():
        raise KeyError("internal column")
    monkeypatch.setattr(widgets, "demo_banner", broken)
    at = app(tmp_path / "new.duckdb", lang="en")
    at.run()
    (message,) = errors(at)
    assert message.startswith("This page cannot be shown because of an unexpected error (a bug)")
    assert "server log" in message and "internal column" not in message


def test_codes_that_fit_several_instruments_are_settled_by_the_instrument_box(app, tmp_path):
    header = ["Tanggal", "Kantor"] + [f"P{i}" for i in range(1, 9)]
    content = ("\n".join([",".join(header), ",".join(["2026-10-05", "Kantor Baru"] + ["3"] * 8)]) + "\n").encode()
    at = app(tmp_path / "new.duckdb", lang="en")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    at.get("file_uploader")[0].set_value(("generik.csv", content, "text/csv")).run()
    (refusal,) = [e for e in errors(at) if "generik.csv" in e]
    assert "may belong to ikm or ipk or skm or spkp; choose the instrument in the 'Instrument' box" in refusal
    assert not FLAG.search(refusal)
    at.selectbox(key="upload_instrument").select("ipk").run()
    assert not at.exception and not [e for e in errors(at) if "generik.csv" in e]
    assert any("instruments: IPK" in w for w in texts(at.warning) + texts(at.success))


def test_answer_columns_nothing_maps_are_offered_in_the_ignore_box_and_then_import(app, tmp_path):
    header = ["Tanggal", "Kantor"] + [f"IKM{i}" for i in range(1, 22)] + ["Anti Korupsi 1", "Anti Korupsi 2"]
    rows = [",".join(["2026-10-05", "Kantor Baru"] + ["3"] * 21 + ["4", "2"]) for _ in range(3)]
    at = app(tmp_path / "new.duckdb", lang="en")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    at.get("file_uploader")[0].set_value(("lain.tsv", ("\n".join([",".join(header), *rows]) + "\n").encode(),
                                          "text/plain")).run()
    (refusal,) = [e for e in errors(at) if "lain.tsv" in e]
    assert "'Anti Korupsi 1'" in refusal and "'Ignore columns' box" in refusal and not FLAG.search(refusal)
    box = at.multiselect(key="upload_ignore")
    assert box.label == "Ignore columns" and set(box.options) == {"Anti Korupsi 1", "Anti Korupsi 2"}
    box.set_value(["Anti Korupsi 1", "Anti Korupsi 2"]).run()
    assert not at.exception and not [e for e in errors(at) if "lain.tsv" in e]
    lost = next(w for w in texts(at.warning) if "what would not be imported" in w)     # before the summary
    assert "columns you chose to ignore: Anti Korupsi 1, Anti Korupsi 2" in lost
    assert "3 rows rejected" in lost and "Kantor Baru" in lost
    assert any("lain.tsv: 3 rows read" in s for s in texts(at.warning) + texts(at.success))


def test_an_undecidable_date_order_is_settled_by_the_date_order_box(app, tmp_path):
    header = ["Tanggal", "Kantor"] + [f"IKM{i}" for i in range(1, 22)]
    rows = [",".join([d, "Kantor Baru"] + ["3"] * 21) for d in ("05/03/2026", "06/04/2026")]
    at = app(tmp_path / "new.duckdb", lang="en")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    at.get("file_uploader")[0].set_value(("tgl.csv", ("\n".join([",".join(header), *rows]) + "\n").encode(),
                                          "text/csv")).run()
    (refusal,) = [e for e in errors(at) if "tgl.csv" in e]
    assert "'Date order' box" in refusal and not FLAG.search(refusal)
    at.selectbox(key="upload_date_order").select("mdy").run()
    assert not at.exception and not [e for e in errors(at) if "tgl.csv" in e]


def test_unknown_answer_labels_are_offered_in_the_label_table(app, tmp_path):
    """A column whose labels a set covers only partly: the refusal names the 'Answer labels' table
    (not --label), and that table lists each unknown label of the column for its score."""
    at = app(tmp_path / "label.duckdb", lang="en")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    six = ["Sangat Tidak Setuju", "Tidak Setuju", "Kurang Setuju", "Cukup Setuju", "Setuju", "Sangat Setuju"]
    header = ["Tanggal", "Kantor"] + [f"SPKP{i}" for i in range(1, 9)]
    rows = [[f"2026-10-{1 + r:02d}", "Lapas Kelas IIB Garut"] + [six[(r + i) % 6] for i in range(8)] for r in range(6)]
    content = "\n".join(",".join(row) for row in [header, *rows]).encode() + b"\n"
    at.get("file_uploader")[0].set_value(("label.csv", content, "text/csv")).run()
    assert not at.exception
    (refusal,) = [e for e in errors(at) if "label.csv" in e]
    assert "'Answer labels' table above" in refusal and not FLAG.search(refusal), refusal
    offered = at.session_state["_label_options"]
    assert ("SPKP1", "Cukup Setuju") in offered and ("SPKP1", "Kurang Setuju") in offered
    assert all(label in ("Cukup Setuju", "Kurang Setuju") for _, label in offered)
