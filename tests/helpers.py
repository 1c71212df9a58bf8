"""Small builders shared by tests: canonical export files and in-memory stores."""
from __future__ import annotations

import csv
import io
from datetime import date

from analytics.ingest import importer
from analytics.store import offices
from analytics import store
from analytics.domain.instruments import load_registry

REG = load_registry()
PROFILE = ["ID Responden", "Tanggal", "Kantor"]


def canonical_csv(respondents, instruments=("ikm", "ipk"), with_id=True) -> bytes:
    """Respondents (analytics.reference.Respondent) as a canonical export CSV."""
    codes = [item.code for i in instruments for item in REG.get(i).items]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PROFILE + codes)
    for number, r in enumerate(respondents, start=1):
        scores = [s for i in instruments
                  for s in r.answers.get(i, (None,) * REG.get(i).k)]
        writer.writerow([f"R{number:06d}" if with_id else "", r.day.isoformat(), r.office]
                        + ["" if s is None else s for s in scores])
    return out.getvalue().encode("utf-8")


def memory_store(office_kanwil: dict[str, str | None]):
    con = store.connect(":memory:")
    for name, kanwil in office_kanwil.items():
        offices.add_office(con, name, kanwil)
    return con


def ingest_bytes(con, content: bytes, name="export.csv", **options):
    return importer.ingest(con, content, name, importer.ImportOptions(today=date(2026, 11, 21), **options))
