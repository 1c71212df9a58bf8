"""Page-level data shaping (analytics/views.py): what the pages show, without Streamlit."""
from __future__ import annotations

import io
from datetime import date
from fractions import Fraction

import pandas as pd
import pytest

from analytics.ingest import importer
from analytics.store import offices, queries
from analytics import store
from analytics.ingest import preview
from analytics.domain import periods, readiness
from analytics.present import views
from tests.fixtures.make_fixtures import REG, export_csv

TODAY = date(2026, 11, 21)


def respondents(prefix, count, day, office, ikm_score, ipk_score=4):
    """Canonical rows: (respondent id, day, office, ikm answers (21), ipk answers (8))."""
    return [(f"{prefix}{i}", day, office, [ikm_score] * 21, [ipk_score] * 8) for i in range(count)]


@pytest.fixture
def con(make_store):
    con = make_store(dict.fromkeys(["Kantor Besar", "Kantor Kecil", "Kantor Sepi"], "Kanwil A"))
    yield con
    con.close()


def ingest(con, rows, name="export.csv"):
    report = importer.ingest(con, export_csv(rows), name, importer.ImportOptions(today=TODAY))
    assert report.status == "imported", report.message
    return report


# --- periods --------------------------------------------------------------------------------------

@pytest.mark.parametrize("granularity,month,label,first,last", [
    ("month", date(2026, 10, 1), "2026-10", date(2026, 10, 1), date(2026, 10, 1)),
    ("quarter", date(2026, 8, 1), "2026-Q3", date(2026, 7, 1), date(2026, 9, 1)),
    ("semester", date(2026, 8, 1), "2026-S2", date(2026, 7, 1), date(2026, 12, 1)),
    ("year", date(2026, 2, 1), "2026", date(2026, 1, 1), date(2026, 12, 1)),
])
def test_period_labels_and_buckets(granularity, month, label, first, last):
    assert periods.label(granularity, month) == label
    assert periods.bucket(granularity, month) == (first, last)


def test_period_labels_match_the_query_labels(con):
    ingest(con, respondents("A", 3, date(2026, 8, 5), "Kantor Besar", 3))
    for granularity in periods.GRANULARITIES:
        frame = queries.indices(con, period=granularity)
        assert frame["period"].unique().tolist() == [periods.label(granularity, date(2026, 8, 1))]


def test_report_period_ends_at_the_chosen_month_and_knows_the_previous_one():
    period = periods.report_period("quarter", date(2026, 8, 1))
    assert (period.label, period.start, period.end) == ("2026-Q3", date(2026, 7, 1), date(2026, 8, 1))
    assert period.partial                       # September is not in the window
    assert (period.previous_label, period.previous_start) == ("2026-Q2", date(2026, 4, 1))
    january = periods.report_period("month", date(2026, 1, 1))
    assert january.previous_label == "2025-12" and not january.partial


# --- overview -------------------------------------------------------------------------------------

def test_overview_change_against_previous_period_small_samples_and_silent_offices(con):
    ingest(con, respondents("S", 40, date(2026, 9, 3), "Kantor Besar", 3)
           + respondents("O", 40, date(2026, 10, 3), "Kantor Besar", 4)
           + respondents("K", 12, date(2026, 10, 3), "Kantor Kecil", 3, 3))
    period = periods.report_period("month", date(2026, 10, 1))
    frame = queries.indices(con, period="month", window=queries.Window(period.previous_start, period.end),
                            instruments=["ikm", "ipk"])
    ready = queries.readiness(con, "zi-2019", queries.Window(period.start, period.end))
    table = views.overview(frame, offices.list_offices(con), ("ikm", "ipk"), period, ready, REG)
    assert table["office"].tolist() == ["Kantor Besar", "Kantor Kecil", "Kantor Sepi"]   # best first
    besar = table.iloc[0]
    assert (besar["svc_value"], besar["svc_delta"], besar["svc_n"], besar["svc_grade"]) == (100.0, 25.0, 40, "A")
    assert besar["zi"] == "wbbm"
    kecil = table.iloc[1]
    assert kecil["svc_value"] == 75.0 and pd.isna(kecil["svc_delta"]) and kecil["zi"] == "insufficient"
    assert views.is_small(kecil["svc_n"]) and not views.is_small(besar["svc_n"])
    sepi = table.iloc[2]
    assert sepi["svc_n"] == 0 and pd.isna(sepi["svc_value"])   # no data: still listed


def test_overview_table_marks_small_samples_and_formats_numbers_the_indonesian_way(con):
    ingest(con, respondents("K", 12, date(2026, 10, 3), "Kantor Kecil", 3, 2)
           + respondents("B", 1234, date(2026, 10, 3), "Kantor Besar", 4, 1))
    period = periods.report_period("month", date(2026, 10, 1))
    frame = queries.indices(con, period="month", instruments=["ikm", "ipk"])
    table = views.overview(frame, offices.list_offices(con), ("ikm", "ipk"), period, None, REG)
    html = views.overview_table(table, ("ikm", "ipk"), REG, "id", selected_office="Kantor Kecil").to_html()
    assert "75,00 *" in html and "50,00 *" in html          # n = 12 < 30
    assert "100,00 *" not in html and "100,00" in html and "25,00 *" not in html
    assert "1.234" in html                      # thousands separator
    assert "▶ Kantor Kecil" in html
    columns = views.overview_columns(("ikm", "ipk"), REG, "id")
    assert columns["office"] == "Kantor" and columns["anti_grade"] == "Kategori IPK"
    assert columns["svc_grade"] == "Mutu IKM"
    english = views.overview_table(table, ("ikm", "ipk"), REG, "en").to_html()
    assert "75.00 *" in english and "1,234" in english


def test_integrity_column_pending_is_shown_as_pending_never_as_none(con):
    ingest(con, respondents("K", 12, date(2026, 10, 3), "Kantor Kecil", 3, 2)
           + respondents("B", 40, date(2026, 10, 3), "Kantor Besar", 4, 1))
    period = periods.report_period("month", date(2026, 10, 1))
    frame = queries.indices(con, period="month", instruments=["ikm", "ipk"])
    table = views.overview(frame, offices.list_offices(con), ("ikm", "ipk"), period, None, REG)
    ids = dict(zip(table["office"], table["office_id"]))
    column = views.overview_columns(("ikm", "ipk"), REG, "id")["integrity"]
    pending = views.overview_table(views.with_integrity(table, None), ("ikm", "ipk"), REG, "id").data
    assert pending[column].tolist() == ["dihitung…"] * len(table)
    known = views.with_integrity(table, {ids["Kantor Kecil"]: 2})
    shown = views.overview_table(known, ("ikm", "ipk"), REG, "id").data.set_index("Kantor")[column]
    assert shown.to_dict() == {"Kantor Besar": "", "Kantor Kecil": "⚑ perlu klarifikasi (2)", "Kantor Sepi": ""}


def test_headline_is_pooled_not_an_average_of_offices(con):
    # 100 respondents at 4 in one office, 10 at 1 in another: pooled 3.7273, office mean 2.5.
    ingest(con, respondents("B", 100, date(2026, 10, 3), "Kantor Besar", 4)
           + respondents("K", 10, date(2026, 10, 3), "Kantor Kecil", 1))
    period = periods.report_period("month", date(2026, 10, 1))
    pooled = queries.indices(con, by="kanwil", period="month", instruments=["ikm", "ipk"])
    tile = views.headline(pooled, ("ikm", "ipk"), period, REG)[0]
    assert tile.n == 110
    assert tile.value == pooled.loc[pooled["instrument"] == "ikm", "converted"].item() == 93.18
    assert tile.delta is None and tile.grade == "A"


def test_change_is_the_exact_difference_of_the_shown_values():
    assert views.change(86.23, 86.59) == -0.36
    assert views.change(0.3, 0.1) == 0.2
    assert pd.isna(views.change(None, 80.0))


# --- trend ----------------------------------------------------------------------------------------

def test_trend_rows_with_change_small_sample_and_cut_periods(con):
    ingest(con, respondents("A", 40, date(2026, 7, 3), "Kantor Besar", 3)
           + respondents("B", 20, date(2026, 8, 3), "Kantor Besar", 4)
           + respondents("C", 40, date(2026, 10, 3), "Kantor Besar", 3))
    frame = queries.indices(con, period="quarter", instruments=["ikm"])
    trend = views.trend(frame, REG.get("ikm"), "quarter", date(2026, 8, 1), date(2026, 10, 1))
    assert trend["period"].tolist() == ["2026-Q3", "2026-Q4"]
    assert trend["n"].tolist() == [60, 40]
    assert trend["partial"].tolist() == [True, True]     # window starts in August, ends in October
    monthly = views.trend(queries.indices(con, period="month", instruments=["ikm"]), REG.get("ikm"))
    assert monthly["value"].tolist() == [75.0, 100.0, 75.0]
    assert monthly["delta"].iloc[1:].tolist() == [25.0, -25.0] and pd.isna(monthly["delta"].iloc[0])
    assert monthly["small"].tolist() == [False, True, False]


def test_trends_of_every_office_at_once_equal_trend_per_office(con):
    ingest(con, respondents("A", 40, date(2026, 7, 3), "Kantor Besar", 3)
           + respondents("B", 20, date(2026, 8, 3), "Kantor Besar", 4)
           + respondents("C", 12, date(2026, 8, 9), "Kantor Kecil", 2)
           + respondents("D", 35, date(2026, 10, 3), "Kantor Kecil", 4)
           + respondents("E", 31, date(2026, 9, 3), "Kantor Besar", 1))
    for period, start, end in (("month", None, None), ("quarter", date(2026, 8, 1), date(2026, 10, 1))):
        frame = queries.indices(con, by="office", period=period)
        for inst in (REG.get("ikm"), REG.get("ipk")):
            found = views.trends(frame, inst, period, start, end)
            units = sorted(frame.loc[frame["instrument"] == inst.id, "unit"].unique())
            assert sorted(found) == units and len(units) == 2
            for unit in units:
                one = views.trend(frame[frame["unit"] == unit], inst, period, start, end)
                pd.testing.assert_frame_equal(found[unit].reset_index(drop=True), one.reset_index(drop=True))


@pytest.mark.parametrize("rules,instrument,expected", [
    ("zi-2019", "ikm", {"wbk": 80.0, "wbbm": 90.0}),       # 16/20×4 = 3,20 → 80; 18/20×4 = 3,60 → 90
    ("zi-2019", "ipk", {"wbk": 90.0, "wbbm": 90.0}),       # 13,5/15×4 = 3,60 → 90
    ("zi-2021", "spkp", {"wbk": 80.0, "wbbm": 90.0}),      # 14/17,5 → 80 %; 15,75/17,5 → 90 %
    ("zi-2021", "spak", {"wbk": 90.0, "wbbm": 90.0}),
])
def test_thresholds_on_the_chart_scale(rules, instrument, expected):
    assert readiness.threshold_on_scale(REG.rule_set(rules), REG.get(instrument)) == expected


# --- items ----------------------------------------------------------------------------------------

def _items_frame(nrr_by_month: dict[str, dict[int, float]]) -> pd.DataFrame:
    inst = REG.get("ikm")
    rows = [{"period": month, "item_no": no, "code": inst.item(no).code, "statement": inst.item(no).statement,
             "aspect": inst.item(no).aspect, "n": 50, "nrr": value}
            for month, values in nrr_by_month.items() for no, value in values.items()]
    return pd.DataFrame(rows)


def test_persistent_weak_items_need_three_consecutive_months_among_the_three_weakest():
    base = {no: 3.5 for no in range(1, 8)}
    months = {
        "2026-01": {**base, 18: 3.0, 17: 3.1, 19: 3.2, 1: 3.4},
        "2026-02": {**base, 18: 3.0, 17: 3.1, 1: 3.2, 19: 3.45},
        "2026-03": {**base, 18: 3.0, 17: 3.1, 19: 3.2, 1: 3.4},
        # 2026-04 has no data: every run breaks here
        "2026-05": {**base, 18: 3.0, 17: 3.1, 19: 3.2},
        "2026-06": {**base, 18: 3.0, 17: 3.3, 19: 3.2, 2: 3.1},
        "2026-07": {**base, 18: 3.0, 17: 3.3, 19: 3.2, 2: 3.1},
    }
    runs = views.persistent_weak(_items_frame(months))
    found = {(r.code, r.months, r.first, r.last, r.ongoing) for r in runs.itertuples()}
    assert found == {("IKM18", 3, "2026-01", "2026-03", False), ("IKM17", 3, "2026-01", "2026-03", False),
                     ("IKM18", 3, "2026-05", "2026-07", True), ("IKM19", 3, "2026-05", "2026-07", True)}
    assert views.persistent_weak(_items_frame(months), min_run=4).empty


def test_persistent_weak_breaks_ties_by_item_number():
    months = {m: {1: 3.0, 2: 3.0, 3: 3.0, 4: 3.0} for m in ("2026-01", "2026-02", "2026-03")}
    assert views.persistent_weak(_items_frame(months))["code"].tolist() == ["IKM1", "IKM2", "IKM3"]


def test_aspects_ranked_by_mean_item_nrr():
    frame = _items_frame({"all": {17: 3.0, 19: 3.4, 1: 3.5, 2: 3.7}})
    aspects = views.aspects(frame)
    assert aspects["aspect"].tolist() == ["Pengaduan", "Persyaratan"]
    assert aspects["nrr"].round(4).tolist() == [3.2, 3.6]


# --- ZI readiness ---------------------------------------------------------------------------------

def _readiness_row(service=("ikm", 45, "3.124"), anti=("ipk", 45, "3.6"), rules="zi-2019"):
    """One queries.readiness row, its verdict from the domain rule (3,124 → IKM nilai 15,62; 3,6 → IPK 13,50)."""
    parts = [readiness.SurveyPart(REG.get(i), n, Fraction(index)) for i, n, index in (service, anti)]
    verdict = readiness.readiness(REG.rule_set(rules), *parts)
    return pd.DataFrame([dict(
        office_id=1, office="Kantor", kanwil="Kanwil A", rules=rules, service_instrument=service[0],
        service_n=service[1], service_nilai=float(verdict.service_nilai), anticorruption_instrument=anti[0],
        anticorruption_n=anti[1], anticorruption_nilai=float(verdict.anticorruption_nilai), wbk=verdict.wbk,
        wbbm=verdict.wbbm, shortfalls=verdict.shortfalls)])


def test_readiness_distance_in_the_users_terms():
    table = views.readiness_table(_readiness_row(), REG, "id")
    row = table.iloc[0]
    assert row["need_wbk"] == "butuh +0,38 nilai IKM"             # 16,00 − 15,62; IPK 13,50 passes 13,50
    assert row["need_wbbm"] == "butuh +2,38 nilai IKM"
    assert "IKM 15,62 — kurang 0,38 untuk WBK (≥ 16,00)" in row["reasons"]
    english = views.readiness_table(_readiness_row(), REG, "en").iloc[0]
    assert english["need_wbk"] == "needs +0.38 IKM nilai"


def test_a_threshold_both_levels_share_is_one_reason_naming_both():
    row = views.readiness_table(_readiness_row(service=("ikm", 45, "3.8"), anti=("ipk", 45, "3.5")), REG, "id").iloc[0]
    assert row["reasons"] == "IPK 13,13 — kurang 0,37 untuk WBK dan WBBM (≥ 13,50)"
    assert row["need_wbk"] == row["need_wbbm"] == "butuh +0,37 nilai IPK"


def test_readiness_below_30_respondents_is_not_enough_data_not_a_fail():
    frame = _readiness_row(service=("ikm", 24, "3.8"), anti=("ipk", 24, "3.95"))
    row = views.readiness_table(frame, REG, "id").iloc[0]
    assert row["need_wbk"].startswith("butuh 6 responden IKM lagi (n = 24 < 30)")
    assert views.verdict_text(row["wbk"], "id") == "… data belum cukup"
    assert views.readiness_counts(frame) == {"wbbm": 0, "wbk": 0, "no": 0, "insufficient": 1}


def test_readiness_table_agrees_with_the_query(con):
    ingest(con, respondents("A", 30, date(2026, 7, 3), "Kantor Besar", 4)
           + respondents("B", 29, date(2026, 7, 3), "Kantor Kecil", 4))
    frame = queries.readiness(con, "zi-2019")
    table = views.readiness_table(frame, REG, "id").set_index("office")
    assert table.loc["Kantor Besar", "wbbm"] == "yes" and table.loc["Kantor Besar", "need_wbbm"] == "terpenuhi"
    assert table.loc["Kantor Kecil", "wbk"] == "insufficient"
    shown, decimals = views.readiness_display(table.reset_index(), "id")
    assert "Jarak ke WBK" in shown.columns and decimals["nilai layanan"] == 2


# --- upload ---------------------------------------------------------------------------------------

def test_rejects_csv_keeps_the_original_cells_neutralised(con):
    rows = respondents("A", 2, date(2026, 10, 3), "Kantor Besar", 4)
    rows[1] = ("=HYPERLINK(1)", date(2026, 10, 3), "Kantor Besar", [5] + [4] * 20, [4] * 8)
    prepared = importer.prepare(con, export_csv(rows), "x.csv", importer.ImportOptions(today=TODAY))
    data = views.rejects_csv(prepared.rejected, "id")
    assert data.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert frame.loc[0, "Baris"] == "3"
    assert "jawaban 5 di luar skala 1–4" in frame.loc[0, "Alasan"]
    assert frame.loc[0, "ID Responden"] == "'=HYPERLINK(1)"


def test_preview_indices_come_from_the_file_alone_and_leave_the_store_untouched(con):
    ingest(con, respondents("OLD", 5, date(2026, 9, 3), "Kantor Besar", 1))
    content = export_csv(respondents("NEW", 3, date(2026, 10, 3), "Kantor Baru", 4))
    options = importer.ImportOptions(today=TODAY, create_offices=True)
    prepared = importer.prepare(con, content, "baru.csv", options)
    assert prepared.unknown_offices == ["Kantor Baru"]
    frame = preview.preview_indices(offices.list_offices(con), [prepared], create_offices=True)
    assert frame[["office", "period", "instrument", "n", "converted"]].values.tolist() == [
        ["Kantor Baru", "2026-10", "ikm", 3, 100.0], ["Kantor Baru", "2026-10", "ipk", 3, 100.0]]
    assert len(offices.list_offices(con)) == 3
    assert store.fetch_one(con, "SELECT count(*) FROM respondents")[0] == 5


def test_mapping_table_names_what_each_column_became(con):
    content = export_csv(respondents("A", 1, date(2026, 10, 3), "Kantor Besar", 4)).replace(
        b"ID Responden,", b"Catatan,ID Responden,", 1).replace(b"\r\nA0,", b"\r\nx,A0,", 1)
    prepared = importer.prepare(con, content, "x.csv", importer.ImportOptions(today=TODAY))
    table = views.mapping_table(prepared.mapping, "id").set_index("Kolom di file")
    assert table.loc["IKM18", "Dibaca sebagai"].startswith("IKM 18: Tersedia ruang kunjungan")
    assert table.loc["Catatan", "Dibaca sebagai"].startswith("diabaikan")


def test_batches_table_marks_demo_data():
    frame = pd.DataFrame([dict(batch_id=1, file_name="demo.csv", imported_at=pd.Timestamp("2026-11-21"),
                               source="demo", is_demo=True, rows_read=1, rows_imported=1, rows_rejected=0,
                               rows_duplicate=0, instruments="ikm")])
    assert views.batches_table(frame, "id")["Demo"].tolist() == ["DATA DEMO SINTETIS"]


# --- method page ----------------------------------------------------------------------------------

def test_method_tables_come_from_the_registry():
    grades = views.grade_table(REG, "id")
    assert grades["Nilai konversi"].tolist() == ["88,31 – 100,00", "76,61 – 88,30", "65,00 – 76,60",
                                                 "25,00 – 64,99"]
    rules = views.rules_table(REG, "id")
    row = rules[(rules["Aturan ZI"] == "zi-2019") & (rules["Predikat"] == "WBK") & (rules["Survei"] == "layanan")]
    assert row["Ambang nilai"].item() == "≥ 16,00" and "IKM ≥ 3,20" in row["Setara indeks"].item()
    assert len(views.instrument_items(REG.get("ikm"), "id")) == 21


def test_office_item_matrix_keeps_the_weakest_offices(con):
    ingest(con, respondents("A", 5, date(2026, 10, 3), "Kantor Besar", 4)
           + respondents("B", 5, date(2026, 10, 3), "Kantor Kecil", 2)
           + respondents("C", 5, date(2026, 10, 3), "Kantor Sepi", 3))
    per_office = queries.items(con, "ikm", by_office=True)
    matrix, total = views.office_item_matrix(per_office, offices.list_offices(con), limit=2)
    assert total == 3
    assert set(matrix["office"]) == {"Kantor Kecil", "Kantor Sepi"}
    assert matrix.loc[matrix["office"] == "Kantor Kecil", "nrr"].eq(2.0).all()
    assert len(matrix) == 2 * 21


def test_preview_keeps_the_office_ids_of_the_real_store():
    """A prepared file carries the real store's office ids: the preview must name the same offices
    even when the master's alphabetical order differs from the id order."""
    con = store.connect(":memory:")
    offices.add_office(con, "Zeta Kantor", "Kanwil B")                 # id 1
    offices.add_office(con, "Alpha Kantor", "Kanwil A", aliases=["Kantor A"])   # id 2
    content = export_csv(respondents("Z", 2, date(2026, 10, 3), "Zeta Kantor", 4, 4)
                         + respondents("A", 3, date(2026, 10, 3), "Kantor A", 2, 2)
                         + respondents("N", 1, date(2026, 10, 3), "Kantor Anyar", 3, 3))
    prepared = importer.prepare(con, content, "x.csv", importer.ImportOptions(today=TODAY, create_offices=True))
    frame = preview.preview_indices(offices.list_offices(con), [prepared], create_offices=True)
    ikm = frame[frame["instrument"] == "ikm"].set_index("office")
    assert ikm.loc["Zeta Kantor", "n"] == 2 and ikm.loc["Zeta Kantor", "converted"] == 100.0
    assert ikm.loc["Alpha Kantor", "n"] == 3 and ikm.loc["Alpha Kantor", "converted"] == 50.0
    assert ikm.loc["Kantor Anyar", "n"] == 1
    table = views.preview_table(frame, "id")
    assert list(table.columns) == ["Kantor", "Periode", "Instrumen", "n", "Nilai konversi", "Persen", "Mutu"]
