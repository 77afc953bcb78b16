"""The tables derived from the facts: legal documents and programmes.

A legal document's row (its type, number, year, code, issuer, signing date, counts) is read from
every mention citing it and every event naming it; a programme's row from its mentions. Each row is
a function of those facts alone, so it is computed from them whenever they change: the transaction
that replaces an article updates the documents and programmes the article named before or names
now (`update_derived`), and what the tables hold always agrees with the mentions, whatever point a
load was killed at. `rebuild_derived` computes every row the same way (a database from before).
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from typing import Iterable

from vnfacts.extractor.clean import fold_query

DOCUMENT_COLUMNS = ("id", "type", "number", "year", "code", "issuer", "signed", "mentions", "articles", "events")
PROGRAMME_COLUMNS = ("id", "name", "name_folded", "ref", "period", "mentions", "articles")


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


def most_common(values: Iterable) -> object:
    """The value given most often (ties: the first in text order), None for none."""
    counts = Counter(v for v in values if v not in (None, ""))
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


def document_row(doc_id: str, norm: dict) -> dict:
    """A legal document's row from one norm (its id's number when the norm gives none); no counts."""
    number = norm.get("number")
    if not isinstance(number, int):
        m = re.match(r"\d+", doc_id)
        number = int(m.group(0)) if m else None
    return {"id": doc_id, "type": _text(norm.get("type")), "number": number,
            "year": norm.get("year") if isinstance(norm.get("year"), int) else None,
            "code": _text(norm.get("code")), "issuer": None, "signed": None,
            "mentions": 0, "articles": 0, "events": 0}


def cited_document(conn: sqlite3.Connection, doc_id: str) -> dict | None:
    """The row of ``doc_id`` as its mentions and events give it; None when nothing cites it."""
    cited = conn.execute("SELECT article_id, norm FROM mentions WHERE doc_id = ?", (doc_id,)).fetchall()
    events = conn.execute("SELECT count(DISTINCT event_id) FROM event_documents WHERE doc_id = ?",
                          (doc_id,)).fetchone()[0]
    if not cited and not events:
        return None
    norms = [json.loads(norm) for _, norm in cited]
    row = document_row(doc_id, {key: most_common(n.get(key) for n in norms)
                                for key in ("type", "number", "year", "code")})
    row["issuer"] = most_common(n.get("issuer") for n in norms)
    row["signed"] = most_common(n.get("signed") for n in norms)
    row["mentions"], row["articles"], row["events"] = len(cited), len({a for a, _ in cited}), events
    return row


def named_programme(conn: sqlite3.Connection, programme_id: str) -> dict | None:
    """The row of a programme as its mentions give it; None when no mention names it. Its ``ref``
    is the legal document its mentions tie it to most often, if that document has a row."""
    seen = [(name, json.loads(norm), article_id) for name, norm, article_id in conn.execute(
        "SELECT name, norm, article_id FROM mentions WHERE programme_id = ?", (programme_id,))]
    if not seen:
        return None
    name = most_common(n for n, _, _ in seen)
    ref = most_common(norm.get("ref") for _, norm, _ in seen)
    if ref is not None and not conn.execute("SELECT 1 FROM legal_documents WHERE id = ?", (ref,)).fetchone():
        ref = None
    return {"id": programme_id, "name": name, "name_folded": fold_query(name), "ref": ref,
            "period": most_common(norm.get("period") for _, norm, _ in seen),
            "mentions": len(seen), "articles": len({a for _, _, a in seen})}


def update_derived(conn: sqlite3.Connection, doc_ids: Iterable[str], programme_ids: Iterable[str]) -> None:
    """Bring the rows of these legal documents and programmes in line with the facts (inside the
    caller's transaction): each is written anew, or deleted when nothing names it any more. A
    document that appears or disappears also changes the ``ref`` of the programmes tied to it."""
    doc_ids, programme_ids = sorted(set(doc_ids)), set(programme_ids)
    had_row = _with_rows(conn, "legal_documents", doc_ids)
    for doc_id in doc_ids:
        _write(conn, "legal_documents", DOCUMENT_COLUMNS, doc_id, cited_document(conn, doc_id))
    appeared_or_gone = had_row ^ _with_rows(conn, "legal_documents", doc_ids)
    programme_ids |= programmes_tied_to(conn, appeared_or_gone)
    for programme_id in sorted(programme_ids):
        _write(conn, "programmes", PROGRAMME_COLUMNS, programme_id, named_programme(conn, programme_id))


def rebuild_derived(conn: sqlite3.Connection) -> None:
    """Compute every legal document and programme anew from all the facts (inside the caller's
    transaction): what `update_derived` keeps, for a database whose tables may disagree."""
    doc_ids = {r[0] for r in conn.execute(
        "SELECT doc_id FROM mentions WHERE doc_id IS NOT NULL UNION SELECT doc_id FROM event_documents"
        " UNION SELECT id FROM legal_documents")}
    programme_ids = {r[0] for r in conn.execute(
        "SELECT programme_id FROM mentions WHERE programme_id IS NOT NULL UNION SELECT id FROM programmes")}
    update_derived(conn, doc_ids, programme_ids)


def programmes_tied_to(conn: sqlite3.Connection, doc_ids: set[str]) -> set[str]:
    """The programmes some mention ties to one of ``doc_ids`` (its norm's ``ref``)."""
    found: set[str] = set()
    for chunk in _chunks(sorted(doc_ids)):
        found |= {r[0] for r in conn.execute(
            "SELECT DISTINCT programme_id FROM mentions WHERE programme_id IS NOT NULL"
            f" AND json_extract(norm, '$.ref') IN ({', '.join('?' * len(chunk))})", chunk)}
    return found


def _with_rows(conn: sqlite3.Connection, table: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found |= {r[0] for r in conn.execute(
            f"SELECT id FROM [{table}] WHERE id IN ({', '.join('?' * len(chunk))})", chunk)}
    return found


def _chunks(ids: list[str], size: int = 500) -> Iterable[list[str]]:
    """``ids`` in lists short enough for SQLite's limit on the parameters of one statement."""
    return (ids[start:start + size] for start in range(0, len(ids), size))


def _write(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], key: str, row: dict | None) -> None:
    """Write ``row`` under ``key`` (updated in place when it exists: it keeps its rowid), or delete it."""
    if row is None:
        conn.execute(f"DELETE FROM [{table}] WHERE id = ?", (key,))
        return
    names = ", ".join(f"[{c}]" for c in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != "id")
    conn.execute(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})"
                 f" ON CONFLICT(id) DO UPDATE SET {updates}", [row[c] for c in columns])
