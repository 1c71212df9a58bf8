"""The office master in the store: offices, their Kanwil and type, and the aliases exports use."""
from __future__ import annotations

import pandas as pd

from analytics import store
from analytics.domain.offices import name_key
from analytics.errors import InputError


class MasterError(InputError, ValueError):
    """The office master file (or one of its names) cannot be used; a ValueError for old callers."""


def list_offices(con) -> pd.DataFrame:
    return con.execute("""
        SELECT o.office_id, o.name, o.kanwil, o.office_type,
               coalesce(string_agg(a.alias, '; ' ORDER BY a.alias)
                        FILTER (WHERE a.alias <> o.name), '') AS aliases
        FROM offices o LEFT JOIN office_aliases a USING (office_id)
        GROUP BY o.office_id, o.name, o.kanwil, o.office_type ORDER BY o.kanwil, o.name
    """).fetchdf()


def resolve(con, names) -> dict[str, int | None]:
    """Map each distinct office name as written to an office_id (None when unknown)."""
    # Keys are recomputed from the alias text, so a refined name_key also applies to stores built
    # before it (the stored alias_key only guards uniqueness at insert time).
    known = {name_key(alias): office_id
             for alias, office_id in con.execute("SELECT alias, office_id FROM office_aliases").fetchall()}
    return {name: known.get(name_key(name)) for name in names}


def add_office(con, name: str, kanwil: str | None = None, office_type: str | None = None,
               aliases=(), created_by_batch: int | None = None) -> int:
    """Create an office (or update its Kanwil/type) and register its name and aliases."""
    row = store.fetch_one(con, "SELECT office_id FROM offices WHERE name = ?", [name])
    if row:
        office_id = row[0]
        con.execute("UPDATE offices SET kanwil = coalesce(?, kanwil), office_type = coalesce(?, office_type) "
                    "WHERE office_id = ?", [kanwil, office_type, office_id])
    else:
        office_id = store.fetch_one(con, 
            "INSERT INTO offices (name, kanwil, office_type, created_by_batch) VALUES (?, ?, ?, ?) "
            "RETURNING office_id", [name, kanwil, office_type, created_by_batch])[0]
    for alias in [name, *aliases]:
        alias = str(alias).strip()
        if alias:
            key = name_key(alias)
            owner = store.fetch_one(con, "SELECT office_id FROM office_aliases WHERE alias_key = ?", [key])
            if owner and owner[0] != office_id:
                raise MasterError("alias_taken", alias=alias)
            if not owner:
                con.execute("INSERT INTO office_aliases (alias_key, alias, office_id) VALUES (?, ?, ?)",
                            [key, alias, office_id])
    return office_id


def save_master(con, frame: pd.DataFrame) -> int:
    """Add or update every office of a master frame (name, kanwil, office_type, aliases as a list), all
    or nothing, in a few set statements per file (not several per office). As row by row in file order:
    a repeated name updates its office (a later non-empty Kanwil/type wins), new offices get ids in
    file order, and a name or alias whose key another office holds already (in the store or earlier in
    the file) is refused, naming the first such alias. Returns the number of rows."""
    names = [str(n) for n in frame["name"]]
    master = (pd.DataFrame({"name": names, "kanwil": list(frame["kanwil"]), "office_type": list(frame["office_type"])},
                           dtype=object)
              .groupby("name", sort=False).last().reset_index())          # last() skips missing values
    rows = [(name, str(a).strip()) for name, aliases in zip(names, frame["aliases"])
            for a in [name, *aliases] if str(a).strip()]
    aliases = pd.DataFrame(rows, columns=["name", "alias"], dtype=object)
    aliases["ord"] = range(len(aliases))          # file order, alias by alias: the order of the checks
    aliases["alias_key"] = [name_key(a) for a in aliases["alias"]]
    first_owner = aliases.groupby("alias_key")["name"].transform("first")
    in_file = aliases[aliases["name"] != first_owner]
    with store.transaction(con), store.registered(con, master) as m, store.registered(con, aliases) as a:
        con.execute(f"""
            UPDATE offices SET kanwil = coalesce(m.kanwil, offices.kanwil),
                               office_type = coalesce(m.office_type, offices.office_type)
            FROM {m} m WHERE offices.name = m.name""")
        con.execute(f"""
            INSERT INTO offices (name, kanwil, office_type)
            SELECT m.name, m.kanwil, m.office_type FROM {m} m
            WHERE NOT EXISTS (SELECT 1 FROM offices o WHERE o.name = m.name)
            ORDER BY (SELECT min(ord) FROM {a} x WHERE x.name = m.name)""")
        taken = store.fetch_one(con, f"""
            SELECT a.ord, a.alias FROM {a} a JOIN offices o ON o.name = a.name
            JOIN office_aliases k ON k.alias_key = a.alias_key
            WHERE k.office_id <> o.office_id ORDER BY a.ord LIMIT 1""")
        clash = [(int(r.ord), r.alias) for r in in_file.itertuples()][:1] + ([tuple(taken)] if taken else [])
        if clash:
            raise MasterError("alias_taken", alias=min(clash)[1])
        con.execute(f"""
            INSERT INTO office_aliases (alias_key, alias, office_id)
            SELECT a.alias_key, (array_agg(a.alias ORDER BY a.ord))[1], min(o.office_id) FROM {a} a JOIN offices o ON o.name = a.name
            WHERE NOT EXISTS (SELECT 1 FROM office_aliases k WHERE k.alias_key = a.alias_key)
            GROUP BY a.alias_key""")
    return len(frame)


def copy_master(con, offices_frame: pd.DataFrame) -> None:
    """Load a copy of list_offices() (ids kept) into an empty store, e.g. the upload preview's."""
    if offices_frame.empty:
        return
    master = offices_frame[["office_id", "name", "kanwil", "office_type"]]
    aliases = pd.DataFrame(
        [(name_key(alias), alias, int(row.office_id)) for row in offices_frame.itertuples()
         for alias in [row.name, *[a for a in str(row.aliases or "").split("; ") if a]]],
        columns=["alias_key", "alias", "office_id"]).drop_duplicates("alias_key")
    with store.registered(con, master) as rows, store.registered(con, aliases) as names:
        con.execute(f"INSERT INTO offices (office_id, name, kanwil, office_type) "
                    f"SELECT office_id, name, kanwil, office_type FROM {rows}")
        con.execute(f"INSERT INTO office_aliases (alias_key, alias, office_id) "
                    f"SELECT alias_key, alias, office_id FROM {names}")
    # Offices the import creates get ids after the copied ones (generate_series: both engines have it;
    # DuckDB has no setval).
    con.execute("SELECT count(nextval('office_id_seq')) FROM generate_series(1, ?)",
                [int(offices_frame["office_id"].max())]).fetchall()
