"""Cell parsing rules of ../shared/domain.md §3 (analytics/parsing.py).

Speed is checked by hand, never asserted here. Measured on 1M-row Series (2-core box under load,
CPU seconds): parse_scores 0.01 s on ints/floats, 0.03 s on label strings (str dtype), 0.04 s on
object labels; parse_dates 0.33 s on ISO "2024-03-05 14:02:11" text, ~1 s on Google-Forms
"3/5/2024 14:02:11" or "5 Maret 2024" text, 0.02 s on datetime64 or Excel serials.
    s = pd.Series(...1_000_000 values...); t = time.process_time(); parse_scores(s, ...)
"""

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.ingest.parsing import (
    CellError,
    ColumnError,
    normalize_age,
    normalize_education,
    normalize_gender,
    normalize_text,
    parse_dates,
    parse_scores,
)

LABELS = yaml.safe_load((Path(__file__).parent.parent / "data" / "labels.yaml").read_text("utf-8"))
SETS = LABELS["sets"]
NOT_ANSWERED = LABELS["not_answered"]
GENERIC4 = {name: SETS[name] for name in ["baik4", "puas4", "setuju4", "sts4"]}
TODAY = datetime.date(2026, 11, 21)


def scores(values, sets=GENERIC4, lo=1, hi=4, column="IKM1"):
    return parse_scores(pd.Series(values, dtype=object), column, lo, hi, sets, NOT_ANSWERED)


def as_list(series):
    return [None if pd.isna(x) else x for x in series]


# ---------------------------------------------------------------------------------------------
# Scores: numbers and blanks
# ---------------------------------------------------------------------------------------------

def test_numbers_in_every_spelling_read_as_integers():
    r = scores([4, 4.0, "4", " 4 ", "4,0", np.int64(2), 1])
    assert as_list(r.scores) == [4, 4, 4, 4, 4, 2, 1]
    assert r.errors == []
    assert r.label_set is None


def test_fractions_and_out_of_scale_numbers_are_errors_never_clipped():
    r = scores([3.5, "3,5", 0, 5, "5", -1])
    assert as_list(r.scores) == [None] * 6
    msgs = [e.message for e in r.errors]
    assert msgs == [
        "nilai 3,5 bukan bilangan bulat (skala 1–4)",
        "nilai 3,5 bukan bilangan bulat (skala 1–4)",
        "jawaban 0 di luar skala 1–4",
        "jawaban 5 di luar skala 1–4",
        "jawaban 5 di luar skala 1–4",
        "jawaban -1 di luar skala 1–4",
    ]
    assert [e.value for e in r.errors] == ["3.5", "3,5", "0", "5", "5", "-1"]


def test_blanks_are_not_answered_without_error():
    r = scores([None, np.nan, "", "   ", "-", "–", "Tidak menjawab", "TIDAK MENJAWAB", "n/a", pd.NA,
                3])
    assert as_list(r.scores) == [None] * 10 + [3]
    assert r.errors == []


def test_numeric_fast_path_int_and_float_dtypes():
    r = parse_scores(pd.Series([1, 2, 3, 4, 5, 0]), "IKM1", 1, 4, GENERIC4, NOT_ANSWERED)
    assert str(r.scores.dtype) == "Int8"
    assert as_list(r.scores) == [1, 2, 3, 4, None, None]
    assert [(e.index, e.value, e.message) for e in r.errors] == [
        (4, "5", "jawaban 5 di luar skala 1–4"), (5, "0", "jawaban 0 di luar skala 1–4")]

    r = parse_scores(pd.Series([1.0, np.nan, 2.5, 4.0]), "IKM1", 1, 4, GENERIC4, NOT_ANSWERED)
    assert as_list(r.scores) == [1, None, None, 4]
    assert [e.message for e in r.errors] == ["nilai 2,5 bukan bilangan bulat (skala 1–4)"]


def test_error_index_is_the_callers_index_label():
    values = pd.Series(["4", "9", "Lumayan"], index=[2, 3, 4], dtype=object)  # e.g. Excel rows
    r = parse_scores(values, "IKM1", 1, 4, GENERIC4, NOT_ANSWERED)
    assert list(r.scores.index) == [2, 3, 4]
    assert [e.index for e in r.errors] == [3, 4]


def test_csv_string_and_nullable_int_columns():
    csv_column = pd.Series(["4", None, "Baik", " 2 "], dtype="str")
    r = parse_scores(csv_column, "IKM1", 1, 4, GENERIC4, NOT_ANSWERED)
    assert as_list(r.scores) == [4, None, 3, 2]
    r = parse_scores(pd.Series([1, None, 7], dtype="Int64"), "IKM1", 1, 4, GENERIC4, NOT_ANSWERED)
    assert as_list(r.scores) == [1, None, None]
    assert [e.index for e in r.errors] == [2]


def test_wide_scale_uses_int16():
    r = parse_scores(pd.Series([1, 200]), "X", 1, 200, {}, NOT_ANSWERED)
    assert str(r.scores.dtype) == "Int16"
    assert as_list(r.scores) == [1, 200]


# ---------------------------------------------------------------------------------------------
# Scores: labels
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["baik4", "puas4", "setuju4", "sts4"])
def test_each_generic_label_set_reads_1_to_4(name):
    r = scores(SETS[name], sets={name: SETS[name]})
    assert as_list(r.scores) == [1, 2, 3, 4]
    assert r.label_set == name
    assert r.errors == []


@pytest.mark.parametrize("name", [n for n in SETS if n.startswith("skm_")])
def test_each_skm_label_set_reads_1_to_4(name):
    allowed = {**GENERIC4, name: SETS[name]}  # as for an skm item: generic sets plus its own
    r = scores(list(reversed(SETS[name])), sets=allowed)
    assert as_list(r.scores) == [4, 3, 2, 1]
    assert r.errors == []


def test_labels_are_case_and_whitespace_insensitive():
    r = scores(["sangat baik", "  KURANG   baik ", "Baik\u00a0", "tidak BAIK"])
    assert as_list(r.scores) == [4, 2, 3, 1]
    assert r.label_set == "baik4"


def test_number_prefixed_labels():
    r = scores(["4 - Sangat Baik", "(3) Baik", "3. Baik", "4 Sangat Baik", "2) Kurang Baik",
                "1: Tidak Baik"])
    assert as_list(r.scores) == [4, 3, 3, 4, 2, 1]
    assert r.errors == []
    assert r.label_set == "baik4"


def test_bare_number_prefix_is_enough():
    r = scores(["(2)", "4.", "3 -", "4 - Sangat Memuaskan"])
    assert as_list(r.scores) == [2, 4, 3, 4]
    assert r.errors == []


def test_prefix_disagreeing_with_label_is_a_cell_error():
    r = scores(["2 - Sangat Baik", "Baik"])
    assert as_list(r.scores) == [None, 3]
    (err,) = r.errors
    assert err.index == 0 and err.value == "2 - Sangat Baik"
    assert "nomor 2 tidak cocok dengan label 'Sangat Baik'" in err.message


def test_prefix_out_of_scale_is_a_cell_error():
    r = scores(["5 - Sangat Baik", "Baik"])
    assert as_list(r.scores) == [None, 3]
    assert r.errors[0].message == "jawaban 5 di luar skala 1–4"


def test_numbers_and_labels_mix_in_one_column():
    r = scores([4, "3", "Puas", "Sangat Puas", None])
    assert as_list(r.scores) == [4, 3, 3, 4, None]
    assert r.label_set == "puas4"


def test_tidak_setuju_ambiguity_raises_column_error():
    with pytest.raises(ColumnError) as info:
        scores(["Tidak Setuju", "Setuju", "Setuju", None], column="IKM7")
    err = info.value
    message = str(err)
    assert "IKM7" in message and "Tidak Setuju" in message
    assert "1 menurut set setuju4" in message and "2 menurut set sts4" in message
    assert err.column == "IKM7" and err.label == "Tidak Setuju"
    assert err.readings == {"setuju4": 1, "sts4": 2}


def test_sangat_tidak_setuju_resolves_the_column_to_sts4():
    r = scores(["Tidak Setuju", "Setuju", "Sangat Tidak Setuju", "Sangat Setuju"])
    assert r.label_set == "sts4"
    assert as_list(r.scores) == [2, 3, 1, 4]


def test_kurang_setuju_resolves_the_column_to_setuju4():
    r = scores(["Tidak Setuju", "Kurang Setuju", "Setuju"])
    assert r.label_set == "setuju4"
    assert as_list(r.scores) == [1, 2, 3]


def test_labels_valid_in_two_sets_with_the_same_score_are_fine():
    r = scores(["Setuju", "Sangat Setuju"])
    assert as_list(r.scores) == [3, 4]
    assert r.label_set in ("setuju4", "sts4")


def test_number_prefixes_settle_an_otherwise_ambiguous_column():
    r = scores(["1 - Tidak Setuju", "3 - Setuju"])
    assert r.label_set == "setuju4"
    assert as_list(r.scores) == [1, 3]


def test_only_the_choice_of_one_set_removes_the_ambiguity():
    # What the importer does after the user picked a set for an ambiguous column.
    r = scores(["Tidak Setuju", "Setuju"], sets={"sts4": SETS["sts4"]})
    assert as_list(r.scores) == [2, 3]


def test_unknown_label_beside_a_known_set_refuses_the_whole_column():
    # Rejecting only the 'Lumayan' rows would bias the index (issue 9): the column is refused.
    with pytest.raises(ColumnError) as info:
        scores(["Baik", "Lumayan", "Sangat Baik"], column="IKM4")
    assert info.value.code == "labels_unresolved" and info.value.column == "IKM4"
    assert "'Lumayan'" in str(info.value) and "Tidak Baik / Kurang Baik / Baik / Sangat Baik" in str(info.value)


def test_column_of_unknown_labels_only():
    r = scores(["abc", "xyz", "4x"])
    assert as_list(r.scores) == [None, None, None]
    assert len(r.errors) == 3
    assert r.label_set is None
    assert "Tidak Puas / Kurang Puas / Puas / Sangat Puas" in r.errors[0].message


def test_label_sets_of_another_length_are_ignored():
    # On a 1-4 item, the 6-point "Agak Setuju" is not an answer: the column is refused whole.
    with pytest.raises(ColumnError) as info:
        scores(["Agak Setuju", "Setuju"], sets={**GENERIC4, "setuju6": SETS["setuju6"]})
    assert info.value.code == "labels_unresolved" and "'Agak Setuju'" in str(info.value)


def test_six_point_column_setuju6():
    allowed = {"setuju6": SETS["setuju6"], "bintang6": SETS["bintang6"]}
    r = scores(["Sangat Tidak Setuju", "Tidak Setuju", "Agak Tidak Setuju", "Agak Setuju", "Setuju",
                "Sangat Setuju", "6", 7], sets=allowed, lo=1, hi=6)
    assert as_list(r.scores) == [1, 2, 3, 4, 5, 6, 6, None]
    assert r.label_set == "setuju6"
    assert [e.message for e in r.errors] == ["jawaban 7 di luar skala 1–6"]


def test_star_ratings_count_stars():
    allowed = {"setuju6": SETS["setuju6"], "bintang6": SETS["bintang6"]}
    r = scores(["★", "★★★", " ★★★★★★ ", "★★☆☆☆☆", "★★★★★★★"], sets=allowed, lo=1, hi=6)
    assert as_list(r.scores) == [1, 3, 6, 2, None]
    assert r.errors[0].message == "jawaban 7 di luar skala 1–6"


def test_booleans_are_not_answers():
    r = scores([True, 3])
    assert as_list(r.scores) == [None, 3]
    assert len(r.errors) == 1


# ---------------------------------------------------------------------------------------------
# Scores: property test
# ---------------------------------------------------------------------------------------------

LO, HI = 1, 4
BLANKS = [None, np.nan, "", "  ", "-", "Tidak menjawab", "NA"]
JUNK = ["Lumayan", "abc", "4x", "x4", "3,5", "1.5", "4.5.6", "??", "Sangat", "Agak Setuju"]

valid_int = st.integers(LO, HI).flatmap(
    lambda n: st.sampled_from([("valid", n, n), ("valid", float(n), n), ("valid", f" {n} ", n)]))
blank = st.sampled_from(BLANKS).map(lambda v: ("blank", v, None))
any_float = st.floats(allow_nan=True, allow_infinity=True).map(
    lambda f: ("blank", f, None) if np.isnan(f)
    else ("valid", f, int(f)) if f.is_integer() and LO <= f <= HI else ("invalid", f, None))
any_int = st.integers(-1000, 1000).map(
    lambda n: ("valid", n, n) if LO <= n <= HI else ("invalid", n, None))
junk_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ?!#", min_size=1).filter(
    lambda t: t.strip() not in ("", "na", "n a") and len(t.split()) < 4)
junk = st.one_of(st.sampled_from(JUNK), junk_text).map(lambda t: ("text", t, None))
label = st.sampled_from([lab for n in GENERIC4 for lab in SETS[n]]).map(lambda t: ("label", t, None))
cells = st.lists(st.one_of(valid_int, blank, any_float, any_int, junk, label), max_size=40)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_property_parse_scores_mixtures(cells):
    values = pd.Series([v for _, v, _ in cells], dtype=object)
    try:
        r = parse_scores(values, "IKM1", LO, HI, GENERIC4, NOT_ANSWERED)
    except ColumnError:
        return  # only ever for an ambiguous label mixture
    assert r.scores.index.equals(values.index)
    got = as_list(r.scores)
    assert all(s is None or LO <= s <= HI for s in got)

    error_rows = [e.index for e in r.errors]
    assert len(error_rows) == len(set(error_rows)), "at most one CellError per cell"
    for i, (kind, _, expected) in enumerate(cells):
        if kind == "valid":
            assert got[i] == expected and i not in error_rows
        elif kind == "blank":
            assert got[i] is None and i not in error_rows
        elif kind == "invalid":
            assert got[i] is None and i in error_rows
        else:  # text or a label: scored, or exactly one error
            assert (got[i] is None) == (i in error_rows)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                          st.integers(-10, 10).map(float)), max_size=40))
def test_property_numeric_fast_path(floats):
    r = parse_scores(pd.Series(floats, dtype="float64"), "IKM1", LO, HI, GENERIC4, NOT_ANSWERED)
    error_rows = {e.index for e in r.errors}
    for i, f in enumerate(floats):
        ok = not np.isnan(f) and f.is_integer() and LO <= f <= HI
        assert (r.scores[i] == f) if ok else pd.isna(r.scores[i])
        assert (i in error_rows) == (not ok and not np.isnan(f))


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

def dates(values, today=TODAY):
    return parse_dates(pd.Series(values, dtype=object), "Tanggal", today)


def ts(text):
    return pd.Timestamp(text)


@pytest.mark.parametrize("text, expected, has_time", [
    ("2024-03-05", "2024-03-05", False),
    ("2024-03-05 14:02:11", "2024-03-05 14:02:11", True),
    ("2024-03-05T14:02:11", "2024-03-05 14:02:11", True),
    ("2024/03/05", "2024-03-05", False),
    ("05/03/2024", "2024-03-05", False),
    ("5-3-2024", "2024-03-05", False),
    ("05.03.2024", "2024-03-05", False),
    ("5 Maret 2024", "2024-03-05", False),
    ("05 Mar 2024", "2024-03-05", False),
    ("5-Agu-2024", "2024-08-05", False),
    ("5 Agt 2024", "2024-08-05", False),
    ("5 Ags 2024", "2024-08-05", False),
    ("1 Mei 2024", "2024-05-01", False),
    ("3 Okt 2024", "2024-10-03", False),
    ("3 Des 2024", "2024-12-03", False),
    ("3 Peb 2024", "2024-02-03", False),
    ("3 Feb 2024", "2024-02-03", False),
    ("17 Agustus 2024", "2024-08-17", False),
    ("5 March 2024", "2024-03-05", False),
    ("March 5, 2024", "2024-03-05", False),
    ("Selasa, 5 Maret 2024", "2024-03-05", False),
    ("  5   MARET 2024 ", "2024-03-05", False),
    ("05/03/2024 14.02", "2024-03-05 14:02:00", True),
    ("45356", "2024-03-05", False),
])
def test_date_forms(text, expected, has_time):
    r = dates([text])
    assert r.errors == []
    assert r.dates[0] == ts(expected)
    assert bool(r.has_time[0]) is has_time


def test_real_datetime_cells():
    r = parse_dates(pd.Series([pd.Timestamp("2024-03-05 14:02:11"), pd.NaT]), "Tanggal", TODAY)
    assert r.dates[0] == ts("2024-03-05 14:02:11") and bool(r.has_time[0])
    assert [e.message for e in r.errors] == ["tanggal kosong"]

    r = dates([datetime.date(2024, 3, 5), datetime.datetime(2024, 3, 5, 9, 30)])
    assert list(r.dates) == [ts("2024-03-05"), ts("2024-03-05 09:30")]
    assert list(r.has_time) == [False, True]
    assert r.day_first is None


def test_excel_serial_numbers():
    r = parse_dates(pd.Series([45356, 45356.5, 45356.58334, 12, 99999]), "Tanggal", TODAY)
    assert list(r.dates[:3]) == [ts("2024-03-05"), ts("2024-03-05 12:00"), ts("2024-03-05 14:00:01")]
    assert list(r.has_time[:3]) == [False, True, True]
    assert [e.index for e in r.errors] == [3, 4]
    assert r.errors[0].message.startswith("angka 12 bukan nomor tanggal Excel (1990–2100)")


def test_mixed_object_cells_from_excel():
    r = dates([pd.Timestamp("2024-03-05 10:00"), 45357.0, "7 Maret 2024", None])
    assert list(r.dates[:3]) == [ts("2024-03-05 10:00"), ts("2024-03-06"), ts("2024-03-07")]
    assert [e.message for e in r.errors] == ["tanggal kosong"]


def test_day_first_when_a_first_part_exceeds_12():
    r = dates(["05/03/2024", "13/03/2024"])
    assert r.day_first is True
    assert list(r.dates) == [ts("2024-03-05"), ts("2024-03-13")]


def test_month_first_for_google_forms_when_a_second_part_exceeds_12():
    r = dates(["3/13/2024 14:02:11", "3/5/2024 9:15:00"])
    assert r.day_first is False
    assert list(r.dates) == [ts("2024-03-13 14:02:11"), ts("2024-03-05 09:15:00")]
    assert list(r.has_time) == [True, True]


def test_ambiguous_column_is_day_first():
    r = dates(["05/03/2024", "01/02/2024"])
    assert r.day_first is True
    assert list(r.dates) == [ts("2024-03-05"), ts("2024-02-01")]


def test_day_first_is_not_applicable_to_iso_or_month_names():
    assert dates(["2024-03-05", "5 Maret 2024"]).day_first is None


def test_day_first_column_rejects_a_month_over_12():
    r = dates(["13/03/2024", "03/13/2024"])
    assert r.day_first is True
    assert pd.isna(r.dates[1])
    assert r.errors[0].index == 1
    assert r.errors[0].message == "tanggal tidak ada di kalender (kolom ini dibaca hari/bulan/tahun)"


def test_impossible_calendar_dates_are_errors():
    r = dates(["31/02/2024", "2024-02-30", "29/02/2024", "30 Februari 2024"])
    assert [e.index for e in r.errors] == [0, 1, 3]
    assert r.dates[2] == ts("2024-02-29")


def test_future_date_is_an_error():
    r = dates(["2027-01-02", "2026-11-21 23:59:59", "2026-11-22"])
    assert [(e.index, e.message) for e in r.errors] == [
        (0, "tanggal 2027-01-02 di masa depan"), (2, "tanggal 2026-11-22 di masa depan")]
    assert pd.isna(r.dates[0]) and r.dates[1] == ts("2026-11-21 23:59:59")


def test_unreadable_and_blank_dates_are_errors():
    r = dates(["kemarin", "05/03", "", None, "-", "2024-03-05"])
    unreadable = "tanggal tidak terbaca; contoh yang diterima: 2024-03-05, 05/03/2024, 5 Maret 2024"
    assert [(e.index, e.value, e.message) for e in r.errors] == [
        (0, "kemarin", unreadable), (1, "05/03", unreadable),
        (2, "", "tanggal kosong"), (3, "", "tanggal kosong"), (4, "-", "tanggal kosong")]
    assert r.dates.isna().tolist() == [True] * 5 + [False]


def test_two_digit_years_and_google_forms_csv_timestamps():
    r = dates(["05/03/24", "17/08/24", "2024/03/05 3:15:04 PM GMT+7", "2024/03/06 12:05:00 AM GMT+07:00"])
    assert r.errors == []
    assert [str(d) for d in r.dates] == ["2024-03-05 00:00:00", "2024-08-17 00:00:00", "2024-03-05 15:15:04",
                                         "2024-03-06 00:05:00"]


def test_an_undecidable_order_takes_the_hint_or_says_it_was_only_assumed():
    values = pd.Series(["05/03/2024", "06/04/2024"])
    assumed = parse_dates(values, "Tanggal", TODAY)
    assert assumed.undecided and assumed.day_first
    hinted = parse_dates(values, "Tanggal", TODAY, day_first_hint=False)
    assert not hinted.undecided and [d.month for d in hinted.dates] == [5, 6]
    decided = parse_dates(pd.Series(["05/03/2024", "16/04/2024"]), "Tanggal", TODAY, day_first_hint=False)
    assert not decided.undecided and [d.month for d in decided.dates] == [3, 4]      # values beat the hint


def test_dates_keep_the_callers_index_and_a_datetime_dtype():
    r = parse_dates(pd.Series(["2024-03-05", "x"], index=[7, 8]), "Tanggal", TODAY)
    assert list(r.dates.index) == [7, 8] and list(r.has_time.index) == [7, 8]
    assert pd.api.types.is_datetime64_dtype(r.dates.dtype)
    assert r.has_time.dtype == bool
    assert r.errors[0].index == 8


def test_dates_string_dtype_input():
    r = parse_dates(pd.Series(["2024-03-05 14:02:11", None, "3/5/2024 14:02:11"], dtype="str"),
                    "Tanggal", TODAY)
    assert r.dates[0] == ts("2024-03-05 14:02:11")
    assert r.dates[2] == ts("2024-05-03 14:02:11")  # nothing decides: day-first
    assert [e.index for e in r.errors] == [1]


date_cells = st.one_of(
    st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)).flatmap(lambda d: st.sampled_from([
        d.isoformat(), d.strftime("%d/%m/%Y"), f"{d.day} {d.strftime('%B')} {d.year}", d])),
    st.text(max_size=20),
    st.none(),
    st.floats(allow_nan=True),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(date_cells, max_size=30))
def test_property_parse_dates_each_cell_is_a_date_or_one_error(cells):
    r = parse_dates(pd.Series(cells, dtype=object), "Tanggal", TODAY)
    error_rows = [e.index for e in r.errors]
    assert len(error_rows) == len(set(error_rows))
    assert set(error_rows) == set(np.flatnonzero(r.dates.isna().to_numpy()))
    assert (r.dates.dropna() <= pd.Timestamp(TODAY) + pd.Timedelta(days=1)).all()


# ---------------------------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------------------------

def test_normalize_gender():
    raw = ["L", "l", "Laki-laki", "Laki laki", "LAKI-LAKI", "Pria", "Male", "M",
           "P", "Perempuan", "wanita", "Female", "f", " P ", "x", "", None]
    assert as_list(normalize_gender(pd.Series(raw, dtype=object))) == (
        ["L"] * 8 + ["P"] * 6 + [None] * 3)


def test_normalize_age():
    raw = [17, 19.0, "20", "35 tahun", "35 th", 49, "50", 60, "75", "20-30 tahun", "> 50", "17 - 25",
           "< 20", "di bawah 20 tahun", "60 tahun ke atas", ">= 60", "abc", "", None, "1", 200]
    assert as_list(normalize_age(pd.Series(raw, dtype=object))) == [
        "<20", "<20", "20-29", "30-39", "30-39", "40-49", "50-59", "60+", "60+", "20-29", "50-59",
        "<20", "<20", "<20", "60+", "60+", None, None, None, None, None]


def test_normalize_education():
    raw = ["SD", "SLTP", "SMP", "SLTA", "SMA", "SMK", "MA", "SMU", "D1", "D-II", "Diploma III", "D3",
           "D-IV", "D4", "S1", "S-1", "Sarjana", "Strata 1", "Sarjana (S1)", "S2", "Magister", "S3",
           "Doktor", "SMA/Sederajat", "tamat SD", "tidak sekolah", "", None]
    assert as_list(normalize_education(pd.Series(raw, dtype=object))) == [
        "SD", "SMP", "SMP", "SMA", "SMA", "SMA", "SMA", "SMA", "D1", "D2", "D3", "D3",
        "D4", "D4", "S1", "S1", "S1", "S1", "S1", "S2", "S2", "S3",
        "S3", "SMA", "SD", None, None, None]


def test_normalize_text():
    raw = ["  Pegawai   Swasta ", "PNS", "", "   ", None, "a\n b", 5]
    assert as_list(normalize_text(pd.Series(raw, dtype=object))) == [
        "Pegawai Swasta", "PNS", None, None, None, "a b", "5"]


def test_cell_error_is_a_plain_record():
    e = CellError(index=3, value="9", message="jawaban 9 di luar skala 1–4")
    assert (e.index, e.value, e.message) == (3, "9", "jawaban 9 di luar skala 1–4")
