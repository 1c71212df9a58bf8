"""The one scope function (analytics.domain.access.scope_for) and the scoped data door
(analytics.present.scoped): each role sees exactly its offices, months, instruments and pages;
anything unknown or empty sees nothing."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.domain import access
from analytics.domain.access import Principal
from analytics.present import scoped
from analytics.store import queries

JABAR, JATIM = "Kanwil Kemenkumham Jawa Barat", "Kanwil Kemenkumham Jawa Timur"
OFFICES = pd.DataFrame({"office_id": [1, 2, 3, 4], "name": ["A", "B", "C", "D"],
                        "kanwil": [JABAR, JABAR, JATIM, None]})


def guest(**changes) -> Principal:
    base = dict(role="guest", name="Ombudsman", offices=(1, 3), instruments=("ikm", "ipk"),
                month_from=date(2026, 7, 1), month_to=date(2026, 9, 1), pages=("ringkasan", "tren", "unggah"))
    return Principal(**{**base, **changes})


def test_admin_sees_everything_and_may_do_everything():
    scope = access.scope_for(Principal("admin", "admin"), OFFICES)
    assert scope.offices == (1, 2, 3, 4) and scope.instruments is None and scope.start is None
    assert set(scope.pages) == set(access.ALL_PAGES) | {"pengguna"}
    assert scope.can_upload and scope.can_delete and scope.can_share and scope.audit_all and scope.office_master


def test_kanwil_sees_the_offices_of_its_kanwils():
    scope = access.scope_for(Principal("kanwil", "siti", kanwils=(JABAR,)), OFFICES)
    assert scope.offices == (1, 2) and scope.pool == (1, 2)
    assert "bagikan" in scope.pages and "unggah" in scope.pages and "audit" in scope.pages
    assert scope.can_share and not scope.audit_all and not scope.office_master
    both = access.scope_for(Principal("kanwil", "x", kanwils=(JABAR, JATIM)), OFFICES)
    assert both.offices == (1, 2, 3)


def test_office_sees_its_office_and_pools_its_kanwil_without_names():
    scope = access.scope_for(Principal("office", "depok", offices=(2,)), OFFICES)
    assert scope.offices == (2,) and scope.pool == (1, 2)
    assert set(scope.pages) == {"ringkasan", "tren", "unsur", "kesiapan", "laporan", "metode"}
    assert not scope.can_upload and not scope.can_share
    uploader = access.scope_for(Principal("office", "depok", offices=(2,), can_upload=True), OFFICES)
    assert "unggah" in uploader.pages and uploader.can_upload and not uploader.can_delete


def test_guest_sees_exactly_the_link_and_never_upload():
    scope = access.scope_for(guest(), OFFICES)
    assert scope.offices == (1, 3) and scope.pool == (1, 3)
    assert (scope.start, scope.end) == (date(2026, 7, 1), date(2026, 9, 1))
    assert scope.instruments == ("ikm", "ipk") and scope.pages == ("ringkasan", "tren")    # no unggah
    assert scope.hide_small and not scope.personal and not scope.downloads
    assert not (scope.can_upload or scope.can_delete or scope.can_share)


@pytest.mark.parametrize("principal", [
    None,
    Principal("superuser", "x"),                              # unknown role
    Principal("kanwil", "x"),                                 # no Kanwil
    Principal("kanwil", "x", kanwils=("Kanwil Tidak Ada",)),  # a Kanwil with no office
    Principal("office", "x"),
    Principal("office", "x", offices=(99,)),                  # an office that does not exist
    guest(offices=()), guest(offices=(99,)), guest(instruments=()), guest(pages=("unggah",)),
    guest(month_from=None), guest(month_from=date(2026, 10, 1)),   # from after to
])
def test_fail_closed_unknown_or_empty_sees_nothing(principal):
    scope = access.scope_for(principal, OFFICES)
    assert scope == access.EMPTY and scope.empty and scope.pages == ()


def test_months_and_instruments_are_narrowed():
    scope = access.scope_for(guest(), OFFICES)
    assert scope.months_within(None, None) == (date(2026, 7, 1), date(2026, 9, 1))
    assert scope.months_within(date(2026, 8, 1), date(2027, 1, 1)) == (date(2026, 8, 1), date(2026, 9, 1))
    assert scope.months_within(date(2025, 1, 1), date(2025, 3, 1)) is None
    assert scope.instruments_within(["ikm", "spkp"]) == ("ikm",)
    assert scope.instruments_within(None) == ("ikm", "ipk")


def test_tampered_query_parameters_are_named():
    found = access.out_of_scope_params({"office": "C", "kanwil": JABAR, "start": "2020-01", "end": ""},
                                       ["A"], [JABAR], ["2026-07"])
    assert found == [access.Violation("office", "C"), access.Violation("start", "2020-01")]


class FakeSource:
    """Returns rows of EVERY office whatever it is asked (a broken store): the door must still filter."""

    def offices(self):
        return OFFICES.assign(office_type=None, aliases="")

    def indices(self, by, period, window, instruments):
        return pd.DataFrame({"unit": ["1", "2", "3"], "office": ["A", "B", "C"], "instrument": ["ikm"] * 3,
                             "n": [40, 10, 50], "index": [3.5] * 3, "converted": [87.5] * 3,
                             "percent": [87.5] * 3, "grade": ["B"] * 3})

    def items(self, instrument, window, by_period, by_office):
        return pd.DataFrame({"office_id": [1, 2, 3], "code": ["IKM1"] * 3, "n": [40, 40, 5], "nrr": [3.0] * 3})

    def readiness(self, rules, window):
        return pd.DataFrame({"office_id": [1, 2], "service_instrument": ["ikm", "spkp"],
                             "anticorruption_instrument": ["ipk", "spak"], "service_n": [40, 40],
                             "anticorruption_n": [40, 40], "service_nilai": [50.0, 50.0],
                             "anticorruption_nilai": [40.0, 40.0]})

    def months_with_data(self, scope):
        return [date(2026, m, 1) for m in range(1, 13)]

    def latest_full_quarter(self, today, scope):
        return date(2026, 7, 1), date(2026, 9, 1)


def test_the_door_filters_even_a_source_that_returns_everything():
    door = scoped.Scoped(FakeSource(), access.scope_for(guest(), OFFICES))
    rows = door.indices("office", "month", queries.Window())
    assert rows["unit"].tolist() == ["1", "3"]
    assert rows["converted"].isna().tolist() == [False, False]
    assert door.items("ikm", queries.Window(), by_office=True)["office_id"].tolist() == [1, 3]
    assert door.items("ikm", queries.Window(), by_office=True)["nrr"].isna().tolist() == [False, True]  # n=5
    assert door.items("spkp", queries.Window()).empty                     # instrument outside the link
    assert door.readiness("zi-2019", queries.Window())["office_id"].tolist() == [1]
    assert door.months_with_data() == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert door.offices()["name"].tolist() == ["A", "C"] and "aliases" not in door.offices()
    assert door.window(queries.Window(date(2020, 1, 1), None, (2, 3))) == queries.Window(
        date(2026, 7, 1), date(2026, 9, 1), (3,))
    assert door.window(queries.Window(scope=(2,))).scope == ()              # nothing left → nothing


def test_an_empty_scope_returns_nothing_from_a_real_store(make_store):
    con = make_store({"A": JABAR})
    try:
        door = scoped.Scoped(scoped.StoreSource(con), access.EMPTY)
        assert door.indices("all", "all", queries.Window()).empty
        assert door.months_with_data() == [] and door.offices().empty
        assert queries.Window(scope=()).where()[0] == "FALSE"
    finally:
        con.close()


def _rows(*pairs) -> pd.DataFrame:
    return pd.DataFrame({"office_id": [p[0] for p in pairs], "office_name": [p[1] for p in pairs]})


def test_uploads_write_only_offices_in_scope():
    rows = _rows((1, "A"), (2, "B"), (3, "C"))
    admin = access.scope_for(Principal("admin", "admin"), OFFICES)
    kanwil = access.scope_for(Principal("kanwil", "siti", kanwils=(JABAR,)), OFFICES)
    office = access.scope_for(Principal("office", "depok", offices=(2,), can_upload=True), OFFICES)
    barred = access.scope_for(Principal("office", "depok", offices=(2,)), OFFICES)
    assert access.upload_outside(admin, rows, ["Baru"]) == []                 # admin may create offices
    assert access.upload_outside(kanwil, rows) == ["C"]                       # another Kanwil's office
    assert access.upload_outside(kanwil, _rows((1, "A"), (2, "B"))) == []
    assert access.upload_outside(kanwil, _rows((1, "A")), ["Baru"]) == ["Baru"]   # no office creation
    assert access.upload_outside(office, rows) == ["A", "C"]                  # a neighbour in its Kanwil too
    assert access.upload_outside(office, _rows((2, "B"))) == []
    assert access.upload_outside(barred, _rows((2, "B"))) == ["B"]            # admin did not allow uploads
    assert access.upload_outside(access.EMPTY, _rows((2, "B"))) == ["B"]


def test_batch_deletes_only_within_scope_and_never_by_office_users():
    admin = access.scope_for(Principal("admin", "admin"), OFFICES)
    kanwil = access.scope_for(Principal("kanwil", "siti", kanwils=(JABAR,)), OFFICES)
    office = access.scope_for(Principal("office", "depok", offices=(2,), can_upload=True), OFFICES)
    assert access.may_delete(admin, {3}) and access.may_delete(admin, None)   # even a batch without rows
    assert access.may_delete(kanwil, {1, 2}) and not access.may_delete(kanwil, {2, 3})
    assert not access.may_delete(kanwil, None) and not access.may_delete(kanwil, set())
    assert not access.may_delete(office, {2})
    assert not access.may_delete(access.EMPTY, {2})
