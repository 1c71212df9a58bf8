"""store.offices.save_master (set statements per file) against a plain row-by-row reference of the
same rules, on random master files with repeated names, shared aliases and existing offices."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from analytics import store
from analytics.domain.offices import name_key
from analytics.store import offices
from analytics.store.offices import MasterError
from tests.conftest import POSTGRES, store_target

NAMES = ["Lapas Uji", "Rutan Uji", "Bapas Uji", "Kantor Imigrasi Uji", "LPKA Uji"]   # distinct keys
ALIASES = ["lapas  uji", "RUTAN UJI", "Kanim-Uji", "Lapas Kls IIA Uji", "Lapas Kelas IIA Uji", " "]


def reference(existing: dict, rows: list) -> tuple[dict, dict] | str:
    """Row by row: offices {name: [kanwil, type]} in id order, aliases {key: (alias, name)}; or the
    alias refused first."""
    found = {name: list(v) for name, v in existing.items()}
    keys = {name_key(n): (n, n) for n in existing}
    for name, kanwil, kind, aliases in rows:
        if name in found:
            found[name] = [kanwil or found[name][0], kind or found[name][1]]
        else:
            found[name] = [kanwil, kind]
        for alias in [name, *aliases]:
            alias = alias.strip()
            if not alias:
                continue
            owner = keys.get(name_key(alias))
            if owner and owner[1] != name:
                return alias
            keys.setdefault(name_key(alias), (alias, name))
    return found, keys


def stored(con) -> tuple[dict, dict]:
    frame = con.execute("SELECT office_id, name, kanwil, office_type FROM offices ORDER BY office_id").fetchall()
    names = {i: n for i, n, _, _ in frame}
    keys = {k: (a, names[o]) for k, a, o in con.execute("SELECT alias_key, alias, office_id FROM office_aliases")
            .fetchall()}
    return {n: [k, t] for _, n, k, t in frame}, keys


row = st.tuples(st.sampled_from(NAMES), st.sampled_from([None, "Kanwil A", "Kanwil B"]),
                st.sampled_from([None, "Lapas", "Rutan"]), st.lists(st.sampled_from(ALIASES), max_size=2))


@settings(max_examples=60, deadline=None)
@given(existing=st.lists(st.sampled_from(NAMES), max_size=2, unique=True), rows=st.lists(row, min_size=1, max_size=6))
def test_set_statements_equal_the_row_by_row_rules(existing, rows):
    con = store.connect(":memory:")
    try:
        check(con, existing, rows)
    finally:
        con.close()


@settings(max_examples=15, deadline=None)     # a fresh PostgreSQL database per example costs ~0,5 s
@given(existing=st.lists(st.sampled_from(NAMES), max_size=2, unique=True), rows=st.lists(row, min_size=1, max_size=6))
def test_set_statements_equal_the_row_by_row_rules_on_postgresql(existing, rows):
    con = store.connect(store_target(POSTGRES))
    try:
        check(con, existing, rows)
    finally:
        con.close()


def check(con, existing, rows):
    for name in existing:
        offices.add_office(con, name, "Kanwil Lama", None)
    before = stored(con)
    expected = reference({n: ["Kanwil Lama", None] for n in existing}, rows)
    frame = pd.DataFrame(rows, columns=["name", "kanwil", "office_type", "aliases"])
    if isinstance(expected, str):
        with pytest.raises(MasterError) as refused:
            offices.save_master(con, frame)
        assert refused.value.params["alias"] == expected
        assert stored(con) == before                                  # all or nothing
    else:
        assert offices.save_master(con, frame) == len(rows)
        assert stored(con) == expected
        assert list(stored(con)[0]) == list(expected[0])              # ids in file order
