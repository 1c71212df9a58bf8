"""Golden boundaries through the whole store on both engines: PostgreSQL's avg() of integers is
numeric and DuckDB's double, so the half-up boundaries of domain.md §golden (converted 76,605 → 76,61 B,
88,305 → 88,31 A) must come out the same through import, pooled sums and queries on each."""
from datetime import date

import pytest

from analytics.store import queries
from tests.conftest import ENGINES
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
