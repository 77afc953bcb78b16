"""Named questions to a vnfacts database, for the commands and the benchmarks.

All of vnfacts' SQL lives in this package: ``load.py`` writes the database, ``search.py`` and
``programmes.py`` answer the site, ``synthetic.py`` builds the search benchmark's database, and this
module asks the rest. Rows come back as dicts, through sqlite-utils (``Database.query``).
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any, Iterable

import yaml

from .schema import database

METADATA_FILE = Path(__file__).with_name("site") / "metadata.yaml"  # the site's canned queries


def rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Every row of a query, as dicts."""
    return list(database(conn).query(sql, params))


def connect_read_only(db_path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing database file (never creates one)."""
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no database at {db_path}")
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


# -- the commands ----------------------------------------------------------------------------
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


# -- the benchmarks --------------------------------------------------------------------------
def cited_documents(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Documents with a type and a number that some article cites, the most cited first."""
    return rows(conn, "SELECT id, type, number FROM legal_documents WHERE type IS NOT NULL AND number IS NOT NULL"
                      " AND articles > 0 ORDER BY articles DESC, id")


def document_most_cited_by_events(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """The typed, numbered document the most events cite (then articles), if any."""
    found = rows(conn, "SELECT type, number FROM legal_documents WHERE type IS NOT NULL AND number IS NOT NULL"
                       " ORDER BY events DESC, articles DESC, id LIMIT 1")
    return found[0] if found else None


def most_mentioned_programme(conn: sqlite3.Connection) -> str | None:
    """The name of the programme with the most mentions, if any."""
    found = rows(conn, "SELECT name FROM programmes ORDER BY mentions DESC, id LIMIT 1")
    return found[0]["name"] if found else None


def facts_per_article(conn: sqlite3.Connection) -> float:
    """Mentions per article, over the whole database."""
    return rows(conn, "SELECT 1.0 * (SELECT count(*) FROM mentions) / max(1, (SELECT count(*) FROM articles)) AS n")[0]["n"]


def query_plan(conn: sqlite3.Connection, sql: str, params: Any) -> list[str]:
    """SQLite's plan for ``sql``: where its time goes (index searches, scans, temporary sorts)."""
    return [row["detail"] for row in rows(conn, "EXPLAIN QUERY PLAN " + sql, params)]


def canned_queries() -> dict[str, str]:
    """The SQL of each of the site's canned queries, by name (``site/metadata.yaml``)."""
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    return {name: q["sql"] for name, q in metadata["databases"]["DATABASE"]["queries"].items()}


def dashboard_chart_queries(database_path: str = "/DATABASE", filters: Iterable[str] = ()) -> dict[str, str]:
    """The SQL of each chart of the overview dashboard (``site/metadata.yaml``), by name, as
    datasette-dashboards runs it with the ``filters`` chosen (`with_filters`)."""
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    charts = metadata["plugins"]["datasette-dashboards"]["overview"]["charts"]
    return {name: with_filters(chart["query"], filters).replace("{database_path}", database_path)
            for name, chart in charts.items()}


def with_filters(sql: str, filters: Iterable[str]) -> str:
    """A dashboard query with the ``filters`` chosen (names of its parameters): each optional
    ``[[ ... ]]`` part is kept when every parameter it names is chosen, else dropped."""
    chosen = set(filters)

    def optional(m: re.Match) -> str:
        return m.group(1) if set(re.findall(r":(\w+)", m.group(1))) <= chosen else ""

    return re.sub(r"\[\[(.*?)\]\]", optional, sql, flags=re.S)


def canned_query_rows(conn: sqlite3.Connection, sql: str, params: dict[str, Any], max_rows: int) -> list[tuple]:
    """A canned query's first ``max_rows`` rows, fetched as Datasette fetches them (plain tuples)."""
    return conn.execute(sql, params).fetchmany(max_rows)


def like_scan(conn: sqlite3.Connection, words: str, limit: int = 500) -> list[tuple]:
    """Datasette's "contains" filter on the facts, ordered like the citation search: what a user
    without the citation search would run."""
    return conn.execute("""SELECT m.article_id, m.sentence, m.text, a.date, a.province
        FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE m.text_folded LIKE '%' || ? || '%' ORDER BY a.date, m.article_id, m.position LIMIT ?""",
                        (words, limit)).fetchall()
