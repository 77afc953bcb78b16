"""What the site shows about programmes: the list, and one programme's mentions over time, by
province, and the figures reported next to it. Plain functions on an SQLite connection, so the
plugin, the tests and anyone else read the same numbers."""
from __future__ import annotations

import sqlite3
from typing import Any

from vnfacts.extractor.document import ESTIMATED_DATE_SOURCES

UNKNOWN = "(unknown)"


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def programme_index(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(conn, "SELECT id, name, ref, period, mentions, articles FROM programmes"
                       " ORDER BY mentions DESC, articles DESC, name")


def programme_report(conn: sqlite3.Connection, slug: str, estimated_dates: bool = True) -> dict[str, Any] | None:
    """One programme: its row, mentions per year and per province, its mentions and figures.
    ``estimated_dates=False`` counts the mentions of articles whose date was estimated from their
    facts (``articles.date_source`` in ESTIMATED_DATE_SOURCES) under an unknown year."""
    found = _rows(conn, "SELECT id, name, ref, period, mentions, articles FROM programmes WHERE id = ?", (slug,))
    if not found:
        return None
    estimated = list(ESTIMATED_DATE_SOURCES) if not estimated_dates else []
    marks = ", ".join("?" * len(estimated)) or "NULL"
    by_year = _rows(conn, f"""
        SELECT coalesce(CAST(year AS TEXT), ?) AS label, count(*) AS mentions, count(DISTINCT article_id) AS articles
        FROM (SELECT m.article_id, CASE WHEN a.date_source IN ({marks}) THEN NULL ELSE m.year END AS year
              FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.programme_id = ?)
        GROUP BY year ORDER BY year IS NULL, year""", (UNKNOWN, *estimated, slug))
    by_province = _rows(conn, """
        SELECT coalesce(a.province, ?) AS label, count(*) AS mentions, count(DISTINCT m.article_id) AS articles
        FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.programme_id = ?
        GROUP BY a.province ORDER BY a.province IS NULL, mentions DESC, a.province""", (UNKNOWN, slug))
    mentions = _rows(conn, """
        SELECT m.id, m.article_id, a.title, m.text, m.period, m.sentence, a.date, a.province
        FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.programme_id = ?
        ORDER BY a.date IS NULL, a.date, m.article_id, m.position""", (slug,))
    figures = _rows(conn, """
        SELECT DISTINCT f.id, f.article_id, f.text, f.value, f.unit, f.qualifier, f.of_value, f.sentence
        FROM mentions m JOIN mentions f ON f.article_id = m.article_id AND f.sentence_index = m.sentence_index
        WHERE m.programme_id = ? AND f.label = 'FIGURE'
        ORDER BY f.article_id, f.position""", (slug,))
    return {"programme": found[0], "by_year": by_year, "by_province": by_province,
            "mentions": mentions, "figures": figures}
