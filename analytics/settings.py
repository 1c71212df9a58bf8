"""Every path the project uses, in one place."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
INSTRUMENTS_DIR = DATA_DIR / "instruments"
RULES_DIR = DATA_DIR / "rules"
LABELS_FILE = DATA_DIR / "labels.yaml"
GRADES_FILE = RULES_DIR / "grades-14-2017.yaml"
DEFAULT_DB = DATA_DIR / "dasbor.duckdb"
DEFAULT_RULES = "zi-2019"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit --db wins, then env DASBOR_DB, then data/dasbor.duckdb."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("DASBOR_DB") or DEFAULT_DB)
