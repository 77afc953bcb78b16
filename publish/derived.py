"""The tables derived from the facts: legal documents and programmes.

A legal document's row (its type, number, year, code, issuer, signing date, counts) is a function
of every mention citing it and every event naming it; a programme's row of its mentions. Those
facts' values are counted in ``summary_values`` (:mod:`vnfacts.publish.summaries`), which each
article's replacement updates by what it takes away and adds, so a row is computed from a few
counted values, not from all the mentions (a document cited a million times costs what a document
cited once does). The transaction that replaces articles updates the documents and programmes they
named before or name now (`update_derived`), and what the tables hold always agrees with the
mentions, whatever point a load was killed at. `rebuild_derived` counts everything anew (a
database from before).
"""
from __future__ import annotations

import re
import sqlite3
from typing import Iterable

from vnfacts.extractor.clean import fold_query

from .summaries import field_values, programmes_tied_to, rebuild_summaries

DOCUMENT_COLUMNS = ("id", "type", "number", "year", "code", "issuer", "signed", "mentions", "articles", "events")
PROGRAMME_COLUMNS = ("id", "name", "name_folded", "ref", "period", "mentions", "articles")


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


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


def _most_common(counted: list[tuple[object, int]]) -> object:
    """The value given most often, from values with their counts (ties: the least as text, so that
    the order the facts were loaded in never matters); None for none."""
    return min(counted, key=lambda vn: (-vn[1], str(vn[0])))[0] if counted else None


def _count(values: dict[str, list[tuple[object, int]]], field: str) -> int:
    return sum(n for _, n in values.get(field, []))


def cited_document(conn: sqlite3.Connection, doc_id: str) -> dict | None:
    """The row of ``doc_id`` as its mentions and events give it (their values, counted in
    ``summary_values``); None when nothing cites it."""
    values = field_values(conn, "document", doc_id)
    mentions, events = _count(values, "#mentions"), _count(values, "#events")
    if not mentions and not events:
        return None
    row = document_row(doc_id, {key: _most_common(values.get(key, [])) for key in ("type", "number", "year", "code")})
    row["issuer"] = _most_common(values.get("issuer", []))
    row["signed"] = _most_common(values.get("signed", []))
    row["mentions"], row["articles"], row["events"] = mentions, _count(values, "#articles"), events
    return row


def named_programme(conn: sqlite3.Connection, programme_id: str) -> dict | None:
    """The row of a programme as its mentions give it (their values, counted in ``summary_values``);
    None when no mention names it. Its ``ref`` is the legal document its mentions tie it to most
    often, if that document has a row."""
    values = field_values(conn, "programme", programme_id)
    mentions = _count(values, "#mentions")
    if not mentions:
        return None
    name = _most_common(values.get("name", []))
    ref = _most_common(values.get("ref", []))
    if ref is not None and not conn.execute("SELECT 1 FROM legal_documents WHERE id = ?", (ref,)).fetchone():
        ref = None
    return {"id": programme_id, "name": name, "name_folded": fold_query(name), "ref": ref,
            "period": _most_common(values.get("period", [])),
            "mentions": mentions, "articles": _count(values, "#articles")}


def update_derived(conn: sqlite3.Connection, doc_ids: Iterable[str], programme_ids: Iterable[str]) -> None:
    """Bring the rows of these legal documents and programmes in line with the facts (inside the
    caller's transaction, after the summary tables were): each is written anew, or deleted when
    nothing names it any more. A document that appears or disappears also changes the ``ref`` of
    the programmes tied to it."""
    doc_ids, programme_ids = sorted(set(doc_ids)), set(programme_ids)
    had_row = _with_rows(conn, "legal_documents", doc_ids)
    for doc_id in doc_ids:
        _write(conn, "legal_documents", DOCUMENT_COLUMNS, doc_id, cited_document(conn, doc_id))
    appeared_or_gone = had_row ^ _with_rows(conn, "legal_documents", doc_ids)
    programme_ids |= programmes_tied_to(conn, appeared_or_gone)
    for programme_id in sorted(programme_ids):
        _write(conn, "programmes", PROGRAMME_COLUMNS, programme_id, named_programme(conn, programme_id))


def rebuild_derived(conn: sqlite3.Connection) -> None:
    """Count the summary tables anew from all the facts and compute every legal document and
    programme from them (inside the caller's transaction): what each load keeps up to date, for a
    database whose tables may disagree."""
    rebuild_summaries(conn)
    doc_ids = {r[0] for r in conn.execute(
        "SELECT id FROM summary_values WHERE kind = 'document' UNION SELECT id FROM legal_documents")}
    programme_ids = {r[0] for r in conn.execute(
        "SELECT id FROM summary_values WHERE kind = 'programme' UNION SELECT id FROM programmes")}
    update_derived(conn, doc_ids, programme_ids)


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
