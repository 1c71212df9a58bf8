"""Synthetic demo data: written as export files by analytics/demo/generator.py and loaded through the same
import pipeline as a user's upload, with every batch marked is_demo."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from analytics.demo import generator
from analytics.ingest import importer
from analytics.ingest import office_master


def load_demo(con, today: date | None = None, registry=None) -> list[importer.ImportReport]:
    """Generate the demo exports and import them (office master first). Idempotent: re-running
    imports nothing new, since identical files are recognised."""
    today = today or date.today()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generator.write_demo_exports(Path(tmp), today)
        office_master.import_master(con, paths[0])
        options = importer.ImportOptions(source="demo", is_demo=True, today=today)
        return [importer.ingest(con, p.read_bytes(), p.name, options, registry) for p in paths[1:]]
