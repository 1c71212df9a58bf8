"""Reading an office master file (CSV/XLSX: nama, kanwil, jenis, alias) into the store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.store import offices as stored
from analytics.store.offices import MasterError

_MASTER_COLUMNS = {"nama": "name", "name": "name", "nama kantor": "name", "kantor": "name",
                   "kanwil": "kanwil", "jenis": "office_type", "type": "office_type", "tipe": "office_type",
                   "alias": "aliases", "aliases": "aliases"}


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
    frame = pd.DataFrame({
        "name": frame["name"].str.strip(), "kanwil": frame["kanwil"].map(_clean),
        "office_type": frame["office_type"].map(_clean),
        "aliases": [[a for a in str(v).split(";") if a.strip()] if pd.notna(v) else [] for v in frame["aliases"]]})
    return stored.save_master(con, frame)


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or pd.isna(value):
        return None
    text = str(value).strip()
    return text or None
