"""Import pipeline behaviour a user relies on: rejects kept, all-or-nothing, no double counting."""
from datetime import date

import pytest

from tests.conftest import ENGINES

from analytics.store import queries, writes
from analytics import store
from tests.reference import Respondent
from tests.fixtures.make_fixtures import canonical_csv, export_grid, ingest_bytes, write_xlsx

OFFICE = "Kantor Imigrasi Kelas I TPI Uji"


def people(months, per_month=3, score=3, office=OFFICE):
    return [Respondent(office, None, date(2024, m, 10 + i), {"ikm": (score,) * 21, "ipk": (4,) * 8})
            for m in months for i in range(per_month)]


def counts(con):
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("batches", "respondents", "answer_rows", "answer_sums", "respondent_counts", "rejected_rows")}


@pytest.fixture(params=ENGINES)
def con(make_store, request):
    return make_store({OFFICE: "Kanwil Uji"}, path=request.param)


def with_bad_cells(content: bytes) -> bytes:
    lines = content.decode().splitlines()
    cells = lines[2].split(",")
    cells[3] = "5"                      # IKM1 = 5 on a 1–4 scale
    lines[2] = ",".join(cells)
    cells = lines[3].split(",")
    cells[1] = "31/02/2024"             # no such date
    lines[3] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode()


def test_valid_rows_imported_and_invalid_rows_kept_with_reason(con):
    report = ingest_bytes(con, with_bad_cells(canonical_csv(people([1, 2]))))
    assert (report.status, report.rows_read, report.rows_imported, report.rows_rejected) == ("imported", 6, 4, 2)
    bad = {(e.row, e.column, e.value) for e in report.errors}
    assert (3, "IKM1", "5") in bad                      # data row 2 is Excel row 3
    assert any(e.row == 4 and e.column == "Tanggal" and e.value == "31/02/2024" for e in report.errors)
    kept = store.rejects(con, report.batch_id)
    assert list(kept["source_row"]) == [3, 4]
    assert "skala 1–4" in kept["reasons"][0] and '"IKM1": "5"' in kept["row_data"][0]


def test_strict_refuses_whole_file_and_writes_nothing(con):
    before = counts(con)
    report = ingest_bytes(con, with_bad_cells(canonical_csv(people([1]))), strict=True)
    assert report.status == "refused" and "--strict" in report.message and "baris 3" in report.message
    assert counts(con) == before


def test_reimporting_same_content_imports_nothing_and_names_the_batch(con):
    content = canonical_csv(people([1]))
    first = ingest_bytes(con, content)
    again = ingest_bytes(con, content, name="renamed.csv")
    assert again.status == "already_imported" and f"batch {first.batch_id}" in again.message
    assert counts(con)["respondents"] == 3


def test_overlapping_exports_skip_stored_respondents(con):
    ingest_bytes(con, canonical_csv(people([1, 2, 3])), name="jan-mar.csv")
    report = ingest_bytes(con, canonical_csv(people([1, 2, 3, 4, 5, 6])), name="jan-jun.csv")
    assert (report.rows_imported, report.rows_duplicate) == (9, 9)
    n = queries.indices(con, by="office", period="all")
    assert n.loc[n.instrument == "ikm", "n"].item() == 18


def test_same_respondent_twice_in_one_file_is_rejected(con):
    rows = people([1], per_month=2)
    content = canonical_csv(rows)
    lines = content.decode().splitlines()
    lines.append(lines[1])                              # the same respondent id again
    report = ingest_bytes(con, ("\n".join(lines) + "\n").encode())
    assert report.rows_imported == 2 and report.rows_rejected == 1
    assert "sudah ada di baris 2" in report.errors[0].message


def test_unknown_office_rejected_with_its_name_unless_creation_allowed(con):
    content = canonical_csv(people([1], office="Lapas Kelas III Baru"))
    refused = ingest_bytes(con, content)
    assert refused.status == "refused" and "Lapas Kelas III Baru" in refused.message
    created = ingest_bytes(con, content, create_offices=True)
    assert created.rows_imported == 3
    assert "Lapas Kelas III Baru" in con.execute("SELECT name FROM offices").fetchdf()["name"].tolist()


def test_office_names_match_through_abbreviations(con):
    report = ingest_bytes(con, canonical_csv(people([1], office="KANIM KLS. I TPI UJI")))
    assert report.rows_imported == 3


def test_several_instruments_side_by_side(con):
    rows = [Respondent(OFFICE, None, date(2024, 1, 5),
                       {"ikm": (4,) * 21, "ipk": (3,) * 8, "spkp": (6,) * 8, "spak": (5,) * 5})]
    report = ingest_bytes(con, canonical_csv(rows, ("ikm", "ipk", "spkp", "spak")))
    assert report.instruments == ["ikm", "ipk", "spak", "spkp"]
    got = queries.indices(con, period="all").set_index("instrument")
    assert got.loc["spak", "percent"] == pytest.approx(83.33) and got.loc["ipk", "converted"] == 75.0


def test_delete_batch_removes_its_rows_and_nothing_else(con):
    ingest_bytes(con, canonical_csv(people([1], score=4)), name="a.csv")
    before = queries.indices(con, period="all")
    second = ingest_bytes(con, canonical_csv(people([2], score=1)[:2], with_id=False), name="b.csv")
    assert not queries.indices(con, period="all").equals(before)
    assert store.delete_batch(con, second.batch_id)
    assert queries.indices(con, period="all").equals(before)
    assert counts(con)["batches"] == 1
    assert not store.delete_batch(con, 999)


def test_a_row_without_any_answer_is_rejected_but_blank_rows_are_skipped(con):
    content = canonical_csv(people([1], per_month=1)).decode()
    blank_answers = "R9,2024-01-20," + OFFICE + "," + "," * 28
    content = content + ",,,," + "," * 28 + "\n" + blank_answers + "\n"
    report = ingest_bytes(con, content.encode())
    assert (report.rows_read, report.rows_imported, report.rows_rejected) == (2, 1, 1)
    assert "tanpa satu pun jawaban" in report.errors[0].message


def test_office_matching_does_not_depend_on_stored_keys(con):
    # A store written by an older name_key holds other keys; matching must still follow the alias text.
    con.execute("UPDATE office_aliases SET alias_key = 'stale ' || alias_key")
    assert ingest_bytes(con, canonical_csv(people([1], office="Kanim Kls I TPI Uji"))).rows_imported == 3


def test_same_respondent_on_two_sheets_names_the_first_sheet(con, tmp_path):
    sheets = {title: export_grid([["R1", day, OFFICE, [3] * 21]], ("ikm",))
              for title, day in (("Januari", "2024-01-05"), ("Februari", "2024-02-05"))}
    content = write_xlsx(tmp_path / "dua-bulan.xlsx", sheets).read_bytes()
    report = ingest_bytes(con, content, name="dua-bulan.xlsx")
    assert (report.rows_imported, report.rows_rejected) == (1, 1)
    assert report.errors[0].sheet == "Februari"
    assert "sudah ada di sheet Januari, baris 2" in report.errors[0].message


def _pooled(con):
    sums = con.execute("SELECT office_id, month, instrument, item_no, n_answers, score_sum FROM pooled_sums "
                       "ORDER BY 1, 2, 3, 4").fetchall()
    counts = con.execute("SELECT office_id, month, instrument, n FROM pooled_counts ORDER BY 1, 2, 3").fetchall()
    units = [(o, m, i, n, k, round(x, 9), list(sums), list(answers)) for o, m, i, n, k, x, sums, answers in
             con.execute("SELECT office_id, month, instrument, n, k, index_float, score_sums, n_answers "
                         "FROM pooled_units ORDER BY 1, 2, 3").fetchall()]
    return sums, counts, units, _integrity_rows(con), [
        (o, m, i, n, list(mins), list(days), n_timed, days_active, c, pattern)
        for o, m, i, n, mins, days, n_timed, days_active, c, pattern in con.execute(
            "SELECT office_id, month, instrument, n, min_counts, day_counts, n_timed, active_days, modal_count, "
            "modal_pattern FROM integrity_months ORDER BY 1, 2, 3").fetchall()], \
        con.execute("SELECT * FROM integrity_bursts ORDER BY 1, 2, 3").fetchall()


def _integrity_rows(con):
    return con.execute("SELECT respondent_id, batch_id, office_id, instrument, month, response_date, response_ts, "
                       "pattern, min_score, profile FROM integrity_rows ORDER BY 1, 4").fetchall()


def _code(scores) -> int:
    """An answer vector's code (migration 010) worked out here: 3 bits an item, 7 = blank, item 1 highest."""
    return sum((7 if x is None else int(x)) << (3 * (20 - j)) for j, x in enumerate(scores))


def _integrity_rebuilt(con):
    """integrity_rows and integrity_months (migration 010) rebuilt in Python from answer_rows × respondents."""
    rows = []
    for rid, batch, office, inst, month, day, ts, scores, *profile in con.execute(
            "SELECT a.respondent_id, a.batch_id, r.office_id, a.instrument, r.month, r.response_date, r.response_ts, "
            "a.scores, r.gender, r.age_band, r.education, r.occupation, r.service_type "
            "FROM answer_rows a JOIN respondents r USING (respondent_id) ORDER BY 1, 4").fetchall():
        rows.append((rid, batch, office, inst, month, day, ts, _code(scores), min(x for x in scores if x is not None),
                     "|".join(p or "" for p in profile) if ts is not None else None))
    groups = {}
    for row in rows:
        groups.setdefault((row[2], row[4], row[3]), []).append(row)
    months = []
    for (office, month, inst), members in sorted(groups.items()):
        counts = {}
        for row in members:
            counts[row[7]] = counts.get(row[7], 0) + 1
        modal = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        months.append((office, month, inst, len(members), [sum(r[8] == s for r in members) for s in range(1, 7)],
                       [sum(r[5].day == d for r in members) for d in range(1, 32)],
                       sum(r[6] is not None for r in members), len({r[5] for r in members if r[6] is not None}),
                       modal[1], modal[0]))
    return rows, months


def _rebuilt(con):
    """The pooled tables as a rebuild from the per-batch tables would make them; pooled_units
    (migration 008) computed here in Python from those sums, the float index to 9 decimals."""
    sums = con.execute("SELECT office_id, month, instrument, item_no, sum(n_answers), sum(score_sum) "
                       "FROM answer_sums GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4").fetchall()
    counts = con.execute("SELECT office_id, month, instrument, sum(n) FROM respondent_counts "
                         "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()
    units = []
    for office, month, instrument, n in counts:
        items = [(int(total), int(n_i)) for o, m, i, _, n_i, total in sums       # PostgreSQL's sum: numeric
                 if (o, m, i) == (office, month, instrument) and n_i > 0]
        units.append((office, month, instrument, n, len(items), round(sum(t / c for t, c in items) / len(items), 9),
                      [t for t, _ in items], [c for _, c in items]))
    source = ("SELECT office_id, instrument, month, response_ts AS ts, pattern, profile, 1 AS is_key "
              "FROM integrity_rows WHERE response_ts IS NOT NULL")
    bursts = con.execute(f"SELECT * FROM ({writes.integrity_bursts_sql(source, 600, 120)}) AS b ORDER BY 1, 2, 3"
                         ).fetchall()                 # every month at once, as migration 010 fills it
    return (sums, counts, units) + _integrity_rebuilt(con) + (bursts,)


@pytest.mark.parametrize("engine", ENGINES)
def test_pooled_sums_equal_a_rebuild_after_imports_and_deletes(make_store, engine):
    con = make_store({OFFICE: "Kanwil Uji", "Lapas Uji": "Kanwil Uji"}, path=engine)
    first = ingest_bytes(con, canonical_csv(people([1, 2], score=3)), "a.csv")
    second = ingest_bytes(con, canonical_csv(people([2, 3], score=4, office="Lapas Uji")
                                             + people([2], per_month=2, score=2)), "b.csv")
    third = ingest_bytes(con, canonical_csv(people([3], score=1), with_id=False), "c.csv")
    assert [r.status for r in (first, second, third)] == ["imported"] * 3
    assert _pooled(con) == _rebuilt(con) and _pooled(con)[0]
    (february,) = [row for row in _pooled(con)[1] if row[1] == date(2024, 2, 1) and row[2] == "ikm"
                   and row[0] == _office_id(con, OFFICE)]
    assert february[3] == 3 + 2                              # a.csv and b.csv pooled for one office-month
    assert store.delete_batch(con, second.batch_id)
    assert _pooled(con) == _rebuilt(con)
    assert not any(row[0] == _office_id(con, "Lapas Uji") for row in _pooled(con)[1])   # zero rows go
    for batch in (first.batch_id, third.batch_id):
        store.delete_batch(con, batch)
    assert _pooled(con) == ([], [], [], [], [], [])


def _office_id(con, name):
    return con.execute("SELECT office_id FROM offices WHERE name = ?", [name]).fetchall()[0][0]
