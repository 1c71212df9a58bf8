"""From an export file to stored rows: read, map columns, validate cells, write in one transaction."""
