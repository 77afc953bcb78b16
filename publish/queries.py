"""Named questions to a vnfacts database, for the commands.

All of vnfacts' SQL lives in this package: ``load.py`` writes the database, ``search.py`` and
``programmes.py`` answer the site, and this module asks the rest. Rows come back as dicts, through
sqlite-utils (``Database.query``).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from .schema import database


def rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Every row of a query, as dicts."""
    return list(database(conn).query(sql, params))


def connect_read_only(db_path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing database file (never creates one)."""
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no database at {db_path}")
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def known_documents(db_path: str | Path, number: int) -> list[dict[str, Any]]:
    """Legal documents with this number in a vnfacts database (`vnfacts cite --db`)."""
    conn = connect_read_only(db_path)
    try:
        return rows(conn, "SELECT id, type, number, year, code, mentions FROM legal_documents WHERE number = ?",
                    [number])
    finally:
        conn.close()


def database_summary(db_path: str | Path, top: int = 10) -> dict[str, Any]:
    """What a database holds (`vnfacts demo`): articles, events, facts per label (most first) and
    the ``top`` most mentioned documents."""
    conn = connect_read_only(db_path)
    try:
        db = database(conn)
        return {
            "articles": db["articles"].count,
            "events": db["events"].count,
            "facts_per_label": rows(conn, "SELECT label, count(*) AS facts FROM mentions GROUP BY label"
                                          " ORDER BY count(*) DESC"),
            "most_cited": rows(conn, "SELECT id, mentions, articles FROM legal_documents"
                                     " ORDER BY mentions DESC, id LIMIT ?", [top]),
        }
    finally:
        conn.close()
