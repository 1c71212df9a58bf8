"""The indices an import would add, before the user confirms: the prepared files committed into an
in-memory store that holds a copy of the office master, then the same index query as the pages."""
from __future__ import annotations

import pandas as pd

from analytics import store
from analytics.ingest import importer
from analytics.store import offices, queries


def preview_indices(offices_frame: pd.DataFrame, prepared: list[importer.Prepared],
                    create_offices: bool) -> pd.DataFrame:
    """queries.indices(by office, month) over the prepared files alone. The copy keeps every
    office_id: a prepared file already carries the ids of the real store."""
    mem = store.connect(":memory:")
    try:
        offices.copy_master(mem, offices_frame)
        options = importer.ImportOptions(create_offices=create_offices, source="preview")
        for item in prepared:
            importer.commit(mem, item, options)
        return queries.indices(mem, by="office", period="month")
    finally:
        mem.close()
