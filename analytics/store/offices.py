"""The office master: names, Kanwil, type and aliases, and matching the names exports use."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics import store
from analytics.errors import InputError

# Long forms and abbreviations that name the same thing; applied in order to lower-cased text whose
# punctuation is already spaces. Class numbers are Roman after "kelas": "Kls 2 A" = "Kelas IIA".
_PHRASES = [
    (r"\bkanim\b", "kantor imigrasi"),
    (r"\bkantor wilayah\b", "kanwil"),
    (r"\b(kementerian hukum dan (hak asasi manusia|ham)|kemenkumham|kemkumham)\b", "kemenkumham"),
    (r"\blembaga pemasyarakatan perempuan\b|\blpp\b", "lapas perempuan"),
    (r"\blembaga pemasyarakatan narkotika\b|\blpn\b", "lapas narkotika"),
    (r"\blembaga pemasyarakatan\b", "lapas"),
    (r"\blembaga pembinaan khusus anak\b", "lpka"),
    (r"\brumah tahanan( negara)?\b", "rutan"),
    (r"\bbalai pemasyarakatan\b", "bapas"),
    (r"\brumah penyimpanan benda sitaan( negara)?\b", "rupbasan"),
    (r"\b(kls|klas|kl)\b", "kelas"),
    (r"\bnon ?tpi\b", "nontpi"),
    (r"\bkelas ([1-4]|iv|iii|ii|i)(?: ?(a|b))?\b",              # "2 A", "II A", "2A" = "IIA"
     lambda m: f"kelas {_ROMAN.get(m.group(1), m.group(1))}{m.group(2) or ''}"),
]
_ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv"}


@lru_cache(maxsize=65536)        # called per row by the importer; exports repeat a few names
def name_key(name: str) -> str:
    """A matching key: case, spacing, punctuation and common abbreviations do not matter."""
    text = re.sub(r"[^0-9a-z]+", " ", str(name).lower()).strip()
    for pattern, repl in _PHRASES:
        text = re.sub(pattern, repl, text)
    return re.sub(r"\s+", " ", text).strip()


def list_offices(con) -> pd.DataFrame:
    return con.execute("""
        SELECT o.office_id, o.name, o.kanwil, o.office_type,
               coalesce(string_agg(a.alias, '; ' ORDER BY a.alias)
                        FILTER (WHERE a.alias <> o.name), '') AS aliases
        FROM offices o LEFT JOIN office_aliases a USING (office_id)
        GROUP BY ALL ORDER BY o.kanwil, o.name
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
                con.execute("INSERT INTO office_aliases VALUES (?, ?, ?)", [key, alias, office_id])
    return office_id


_MASTER_COLUMNS = {"nama": "name", "name": "name", "nama kantor": "name", "kantor": "name",
                   "kanwil": "kanwil", "jenis": "office_type", "type": "office_type", "tipe": "office_type",
                   "alias": "aliases", "aliases": "aliases"}


class MasterError(InputError, ValueError):
    """The office master file (or one of its names) cannot be used; a ValueError for old callers."""


def read_master(path: Path) -> pd.DataFrame:
    """Read an office master file (CSV or XLSX): nama, kanwil, jenis, alias (';'-separated)."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
            frame = pd.read_excel(path, engine="calamine", dtype=str)
        else:
            frame = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    except OSError as exc:            # a missing or unreadable file: the user names another one
        raise MasterError("file_unreadable", at_file=path.name, reason=exc.strerror or str(exc)) from None
    except Exception as exc:  # noqa: BLE001 — pandas/calamine raise many types on a malformed file
        raise MasterError("master_unreadable", at_file=path.name, error=f"{type(exc).__name__}: {exc}") from None
    frame = frame.rename(columns=lambda c: _MASTER_COLUMNS.get(str(c).strip().lower(), str(c)))
    if "name" not in frame.columns:
        raise MasterError("master_no_name", at_file=path.name)
    for column in ("kanwil", "office_type", "aliases"):
        if column not in frame.columns:
            frame[column] = None
    frame = frame[frame["name"].notna() & (frame["name"].str.strip() != "")]
    return frame[["name", "kanwil", "office_type", "aliases"]]


def import_master(con, path: Path) -> int:
    """Add or update every office of a master file, all or nothing. Returns the number of offices."""
    frame = read_master(path)
    con.execute("BEGIN")
    try:
        for row in frame.itertuples(index=False):
            aliases = [a for a in str(row.aliases or "").split(";") if a.strip()] if pd.notna(row.aliases) else []
            add_office(con, row.name.strip(), _clean(row.kanwil), _clean(row.office_type), aliases)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(frame)


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or pd.isna(value):
        return None
    text = str(value).strip()
    return text or None
