"""One article as the site shows it: its text cut into plain runs and highlighted facts, and its events.

``article_report(conn, id)`` reads everything the article page (``/-/articles/<id>``) and its JSON
need, or returns None for an unknown id. The text is split here, not in the template, so the
template only prints runs of text (escaped) and marks around them.
"""
from __future__ import annotations

import json
import sqlite3
import urllib.parse

# Longer ids are no article's (the corpus's are under 40 characters): answered without a query.
MAX_ARTICLE_ID_CHARS = 200

ARTICLE_COLUMNS = ("id", "title", "url", "source", "licence", "published", "date", "date_source", "year",
                   "province", "province_today", "facts", "events", "text")
MENTION_COLUMNS = ("id", "position", "label", "start", "end", "sentence_index", "text", "doc_id", "doc_type",
                   "programme_id", "name", "period", "date_value", "value", "unit", "qualifier", "of_value",
                   "province", "province_today", "norm")
EVENT_COLUMNS = ("id", "position", "is_main", "type", "date", "year", "province", "province_today", "location",
                 "participants", "sentence_index", "sentence")


# Top-level names reserved for tests and examples (RFC 2606, RFC 6761): an address under one of
# them leads nowhere (the bundled sites are crawled under *.test), so it is not offered as a link.
RESERVED_TLDS = ("test", "example", "invalid", "localhost")


def original_address(url) -> str | None:
    """``url`` when a reader can follow it to the original: http(s), with a host outside the
    reserved names; else None."""
    if not isinstance(url, str):
        return None
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme not in ("http", "https") or not host or host.rsplit(".", 1)[-1] in RESERVED_TLDS:
        return None
    return url.strip()


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    # Column names from the cursor: whatever row factory the connection (Datasette's) has.
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _columns(names: tuple[str, ...], alias: str) -> str:
    return ", ".join(f"{alias}.[{n}]" for n in names)


def article_mentions(conn: sqlite3.Connection, article_id: str) -> list[dict]:
    """The article's facts in text order; ``programme_page`` says whether their programme has a page."""
    mentions = _rows(conn, f"SELECT {_columns(MENTION_COLUMNS, 'm')}, p.id IS NOT NULL AS programme_page "
                           "FROM mentions m LEFT JOIN programmes p ON p.id = m.programme_id "
                           "WHERE m.article_id = ? ORDER BY m.start, m.[end], m.position", (article_id,))
    for m in mentions:
        m["norm"] = json.loads(m["norm"]) if m["norm"] else None
        m["programme_page"] = bool(m["programme_page"])
    return mentions


def article_events(conn: sqlite3.Connection, article_id: str) -> list[dict]:
    """The article's events in their order, each with its organizers and the documents it cites."""
    events = _rows(conn, f"SELECT {_columns(EVENT_COLUMNS, 'e')} FROM events e WHERE e.article_id = ? "
                         "ORDER BY e.position", (article_id,))
    return [_with_organizers_and_documents(conn, e) for e in events]


def _with_organizers_and_documents(conn: sqlite3.Connection, event: dict) -> dict:
    event["organizers"] = [r["name"] for r in _rows(
        conn, "SELECT name FROM event_organizers WHERE event_id = ? ORDER BY position", (event["id"],))]
    event["documents"] = [r["doc_id"] for r in _rows(
        conn, "SELECT doc_id FROM event_documents WHERE event_id = ? ORDER BY doc_id", (event["id"],))]
    return event


def event_report(conn: sqlite3.Connection, event_id: str) -> dict | None:
    """One event (its row, organizers, documents, and its article's id and title); None when unknown."""
    if not isinstance(event_id, str) or len(event_id) > MAX_ARTICLE_ID_CHARS + 20:
        return None
    found = _rows(conn, f"SELECT {_columns(EVENT_COLUMNS, 'e')}, e.article_id, a.title AS article_title "
                        "FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id = ?", (event_id,))
    return _with_organizers_and_documents(conn, found[0]) if found else None


def text_runs(text: str, mentions: list[dict]) -> list[dict]:
    """``text`` cut at the facts' offsets: ``{"text": ..., "mention": fact or None}`` in order.

    Offsets index the stored text exactly (both count code points). A fact overlapping the one
    before it, or outside the text, is left unmarked rather than cutting another fact in two (the
    loader stores none such; the page counts the marks it shows)."""
    runs, at = [], 0
    for m in mentions:
        start, end = m["start"], m["end"]
        if not (isinstance(start, int) and isinstance(end, int)) or start < at or end <= start or end > len(text):
            continue
        if start > at:
            runs.append({"text": text[at:start], "mention": None})
        runs.append({"text": text[start:end], "mention": m})
        at = end
    if at < len(text):
        runs.append({"text": text[at:], "mention": None})
    return runs


def label_counts(mentions: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m["label"]] = counts.get(m["label"], 0) + 1
    return counts


def article_report(conn: sqlite3.Connection, article_id: str) -> dict | None:
    """The article (every stored column but the folded twins), its facts, its events and the
    count of facts by label; None when no article has this id."""
    if not isinstance(article_id, str) or len(article_id) > MAX_ARTICLE_ID_CHARS:
        return None
    found = _rows(conn, f"SELECT {_columns(ARTICLE_COLUMNS, 'a')} FROM articles a WHERE a.id = ?", (article_id,))
    if not found:
        return None
    mentions = article_mentions(conn, article_id)
    found[0]["original"] = original_address(found[0]["url"])
    return {"article": found[0], "mentions": mentions, "events": article_events(conn, article_id),
            "labels": label_counts(mentions)}
