"""The SQL used by the app and the plain-Python reference agree on random data (domain.md §4)."""
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.domain import periods
from analytics.store import queries
from tests import reference
from tests.conftest import ENGINES
from tests.fixtures.make_fixtures import REG, canonical_csv, ingest_bytes

OFFICES = {"Lapas Kelas IIA Uji": "Kanwil A", "Rutan Kelas I Uji": "Kanwil A", "Bapas Kelas I Uji": "Kanwil B"}
INSTRUMENTS = ("ikm", "ipk", "spak")


def answers(instrument):
    inst = REG.get(instrument)
    score = st.one_of(st.none(), st.integers(inst.scale_min, inst.scale_max))
    return st.tuples(*[score] * inst.k)


respondent = st.builds(
    reference.Respondent,
    office=st.sampled_from(sorted(OFFICES)),
    kanwil=st.none(),     # filled from OFFICES below
    day=st.dates(date(2023, 11, 1), date(2025, 2, 28)),
    answers=st.fixed_dictionaries({i: answers(i) for i in INSTRUMENTS}),
)
month = st.one_of(st.none(), st.dates(date(2023, 10, 1), date(2025, 3, 31)).map(lambda d: d.replace(day=1)))


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(respondent, min_size=1, max_size=40), by=st.sampled_from(queries.GROUPINGS),
       period=st.sampled_from(periods.PERIODS), start=month, end=month)
def test_sql_matches_reference(make_store, engine, rows, by, period, start, end):
    rows = [reference.Respondent(r.office, OFFICES[r.office], r.day, r.answers) for r in rows]
    con = make_store(OFFICES, path=engine)
    report = ingest_bytes(con, canonical_csv(rows, INSTRUMENTS))
    answered = [r for r in rows if any(s is not None for v in r.answers.values() for s in v)]
    assert report.rows_imported == len(answered)

    window = queries.Window(start, end)
    got = queries.indices(con, by=by, period=period, window=window)
    got = got[["office", "kanwil", "period", "instrument", "n", "index", "converted", "percent", "grade"]]
    got = [{k: (None if v != v else v) for k, v in row.items()}          # NaN → None
           for row in got.astype(object).to_dict("records")]
    expected = reference.indices(rows, REG, by=by, period=period, start=start, end=end)
    key = lambda r: tuple("" if r[k] is None else str(r[k]) for k in ("office", "kanwil", "period", "instrument"))
    con.close()
    assert sorted(got, key=key) == sorted(expected, key=key)
