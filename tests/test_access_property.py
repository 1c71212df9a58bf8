"""Property: for random principals and random, tampered requests (office ids inside and outside the
scope, months outside a link's period, instruments a link does not hold, every grouping), no page data
function returns a row of an office outside the scope, guests never receive a personal field or a
figure from fewer than small_sample respondents, and an empty scope returns nothing."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from analytics import settings
from analytics.domain import access
from analytics.domain.access import PERSONAL_FIELDS, Principal
from analytics.present import scoped
from analytics.store import offices as office_store
from analytics.store import queries
from tests.fixtures.make_fixtures import export_csv, ingest_bytes

KANWILS = ["Kanwil A", "Kanwil B", "Kanwil C"]
OFFICES = {f"Kantor {k[-1]}{i}": k for k in KANWILS for i in range(1, 4)}          # 9 offices, 3 Kanwil
INSTRUMENTS = ["ikm", "ipk"]
MONTHS = [date(2026, m, 1) for m in range(1, 7)]


@pytest.fixture(scope="module")
def door_store(make_store):
    """9 offices over 6 months; sizes 5…40 so some cells fall below small_sample (30)."""
    con = make_store(OFFICES)
    rows = []
    for number, office in enumerate(OFFICES):
        for month in MONTHS:
            size = 5 + (number * 7 + month.month * 3) % 36
            rows += [[f"{office[-2:]}-{month.month}-{i}", f"2026-{month.month:02d}-10", office]
                     + [1 + (i + number) % 4] * 21 + [1 + (i * month.month) % 4] * 8 for i in range(size)]
    report = ingest_bytes(con, export_csv(rows), "semua.csv")
    assert report.status == "imported", report.message
    yield con, office_store.list_offices(con)
    con.close()


ids = st.integers(min_value=-3, max_value=14)                     # real ids are 1…9; others are tampering
months = st.sampled_from([None, date(2025, 12, 1), *MONTHS, date(2026, 9, 1)])
principals = st.one_of(
    st.builds(Principal, role=st.just("admin"), name=st.just("a")),
    st.builds(Principal, role=st.just("kanwil"), name=st.just("k"),
              kanwils=st.lists(st.sampled_from(KANWILS + ["Kanwil Tidak Ada"]), max_size=2).map(tuple)),
    st.builds(Principal, role=st.just("office"), name=st.just("o"), offices=st.lists(ids, max_size=2).map(tuple),
              can_upload=st.booleans()),
    st.builds(Principal, role=st.just("guest"), name=st.just("g"), offices=st.lists(ids, max_size=4).map(tuple),
              instruments=st.lists(st.sampled_from(INSTRUMENTS + ["spkp"]), max_size=2).map(tuple),
              month_from=months, month_to=months,
              pages=st.lists(st.sampled_from(list(access.ALL_PAGES)), max_size=4).map(tuple)),
    st.builds(Principal, role=st.sampled_from(["", "root", "Admin"]), name=st.just("x")),
)
requests = st.fixed_dictionaries({
    "offices": st.one_of(st.none(), st.lists(ids, max_size=5).map(tuple)),
    "start": months, "end": months,
    "instruments": st.one_of(st.none(), st.lists(st.sampled_from(INSTRUMENTS + ["spkp"]), max_size=2)),
    "by": st.sampled_from(queries.GROUPINGS), "period": st.sampled_from(["month", "quarter", "all"]),
    "instrument": st.sampled_from(INSTRUMENTS + ["spkp"]), "by_office": st.booleans(),
})


def office_ids_in(frame: pd.DataFrame, names: dict[str, int]) -> set[int]:
    found = set()
    if "office_id" in frame:
        found |= {int(i) for i in frame["office_id"]}
    if "office" in frame:
        found |= {names[n] for n in frame["office"].dropna()}
    return found


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(principal=principals, request=requests)
def test_no_page_data_leaves_the_scope(door_store, principal, request):
    con, every = door_store
    names = dict(zip(every["name"], every["office_id"].astype(int)))
    scope = access.scope_for(principal, every)
    door = scoped.Scoped(scoped.StoreSource(con), scope)
    window = queries.Window(request["start"], request["end"], request["offices"])
    frames = {
        "indices": door.indices(request["by"], request["period"], window, request["instruments"]),
        "items": door.items(request["instrument"], window, by_period=request["period"], by_office=request["by_office"]),
        "readiness": door.readiness("zi-2019", window),
        "offices": door.offices(),
    }
    for name, frame in frames.items():
        assert office_ids_in(frame, names) <= set(scope.offices), (name, scope)
        if scope.instruments is not None:
            column = "instrument" if "instrument" in frame else None
            if column:
                assert set(frame[column]) <= set(scope.instruments), name
        if principal.role == "guest":
            assert not (set(frame.columns) & PERSONAL_FIELDS), name
    if request["by"] == "office":
        assert set(frames["indices"]["unit"].astype(int)) <= set(scope.offices)
    assert set(door.months_with_data()) <= {m for m in MONTHS if scope.months_within(m, m) is not None}
    if scope.hide_small:
        small = settings.get("small_sample")
        few = frames["indices"][frames["indices"]["n"] < small]
        assert few["converted"].isna().all() and few["index"].isna().all()
        assert frames["items"][frames["items"]["n"] < small]["nrr"].isna().all()
    if scope.empty:
        assert all(frame.empty for frame in frames.values()) and door.months_with_data() == []
    if principal.role == "office" and request["by"] != "office":
        # The pooled comparison may draw on the Kanwil's offices, never beyond them, and names none.
        assert frames["indices"]["office"].isna().all()
