"""Search the published facts: by any written form of a citation, else by words.

A query goes through the citation parser (``vnfacts.extractor.cite.parse_citation_query``): ``QĐ 1438``,
``quyet dinh 1438``, ``1438/QĐ-TTg`` and ``Quyết định số 1438`` all name the same decision and give
the same answer: every article sentence and every event that cites the matching document(s). A
query that is not a citation is looked up in the full-text index of facts and articles, folded
(diacritics, case, tone placement, đ/d). Every query gets an :class:`Answer`, never an exception:
empty, too long or wordless queries get a message saying so.

The same function serves `vnfacts search` and the site's search page.
"""
from __future__ import annotations

import heapq
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from vnfacts.extractor.cite import code_key, year_fits
from vnfacts.extractor.clean import clean_text, fold_query

MAX_QUERY_CHARS = 300  # a citation or a few words; longer input is refused with a message
MAX_RESULTS = 500
EXAMPLES = ("QĐ 1438", "quyet dinh 1438", "1438/QĐ-TTg", "Nghị quyết 57")


@dataclass
class Answer:
    """What a query found. ``kind``: citation, text, empty, too_long or no_words."""

    query: str
    kind: str
    message: str
    documents: list[dict[str, Any]] = field(default_factory=list)  # legal documents a citation matched
    matches: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def parse_citation(query: str):
    """The citation the query names, or None. Uses the project's citation parser."""
    from vnfacts.extractor.cite import parse_citation_query

    try:
        return parse_citation_query(query)
    except (ValueError, TypeError):  # a parser refusing odd input means "not a citation"
        return None


def search(conn: sqlite3.Connection, query: str | None, limit: int = MAX_RESULTS) -> Answer:
    """Answer ``query`` from the database behind ``conn`` (read-only use)."""
    query = query or ""
    shown = " ".join(query.split())
    if not shown:
        return Answer(query="", kind="empty",
                      message="Type a citation (" + ", ".join(EXAMPLES) + ") or a few words.")
    if len(query) > MAX_QUERY_CHARS:
        return Answer(query=shown[:80] + "…", kind="too_long",
                      message=f"The query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS}. "
                              "Type a citation or a few words.")
    citation = parse_citation(shown)
    if citation is not None:
        return citation_search(conn, shown, citation, limit)
    return text_search(conn, shown, limit)


@lru_cache(maxsize=256)
def _cached_citation(query: str):
    return parse_citation(query) if len(query) <= MAX_QUERY_CHARS else None


def document_matches(query: str | None, doc_id: str | None, doc_type: str | None, number: int | None,
                     year: int | None, code: str | None) -> int:
    """1 when the legal document (its columns) is one the written citation ``query`` names, else 0.

    Registered on the site as the SQL function ``vn_cites(query, id, type, number, year, code)``
    so canned queries take any written form of a citation."""
    if not isinstance(query, str) or not query.strip():
        return 0
    if query.strip() == doc_id:
        return 1
    citation = _cached_citation(" ".join(query.split()))
    if citation is None or citation.number != number:
        return 0
    wanted = {"type": None if citation.code else citation.type, "code": code_key(citation.code)}
    have = {"type": doc_type, "code": code_key(code)}
    return int(all(v is None or have[k] == v for k, v in wanted.items()) and year_fits(citation.year, year))


def matching_documents(conn: sqlite3.Connection, citation) -> list[dict[str, Any]]:
    """Legal documents with the citation's number and, where the citation gives them, its type,
    year and code (or exactly its id)."""
    sql = "SELECT id, type, number, year, code, issuer, signed, mentions, articles, events FROM legal_documents WHERE number = ?"
    params: list[Any] = [citation.number]
    for column in ("type", "year", "code"):
        value = getattr(citation, column, None)
        if column == "type" and getattr(citation, "code", None):
            continue  # a full code names the document: `45/2019/QH14` is a Bộ luật or a Luật alike
        if column == "code" and value is not None:  # written with `/` or `-` between its parts alike
            sql += " AND replace(code, '/', '-') = ?"
            params.append(code_key(value))
        elif column == "year" and value is not None:  # the year in its code, else its signing (cite.year_fits)
            sql += " AND (year = ? OR (year IS NULL AND (signed IS NULL OR substr(signed, 1, 4) = ?)))"
            params.extend([value, str(value)])
        elif value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    if getattr(citation, "id", None) and getattr(citation, "code", None) is None:
        sql += " AND id = ?"
        params.append(citation.id)
    sql += " ORDER BY articles DESC, mentions DESC, id"
    return _rows(conn, sql, params)


# A document's citing sentences, newest first, straight from the index (the benchmark shows its plan).
MENTIONS_OF_DOCUMENT = """
    SELECT 'mention' AS kind, m.article_id, m.doc_id, NULL AS event_id, NULL AS event_type,
           m.sentence, m.text AS cited_as, m.date, a.province, a.title, m.start, m.end
    FROM mentions m JOIN articles a ON a.id = m.article_id
    WHERE m.doc_id = ?
    ORDER BY m.date DESC, m.article_id DESC, m.position DESC LIMIT ?"""


def _newest_mentions(conn: sqlite3.Connection, ids: list[str], limit: int) -> list[dict[str, Any]]:
    """The mentions of these documents, newest first, at most ``limit``: one index-ordered query
    per document (no sort of every citing sentence of a much-cited decree), merged."""
    per_document = [_rows(conn, MENTIONS_OF_DOCUMENT, [doc_id, limit]) for doc_id in ids]
    key = lambda m: (m["date"] or "", m["article_id"], m["start"])  # noqa: E731 - the sort order above
    return list(heapq.merge(*per_document, key=key, reverse=True))[:limit]


def citation_search(conn: sqlite3.Connection, query: str, citation, limit: int = MAX_RESULTS) -> Answer:
    documents = matching_documents(conn, citation)
    described = _describe(citation)
    if not documents:
        return Answer(query=query, kind="citation", documents=[],
                      message=f"No article cites {described}.")
    ids = [d["id"] for d in documents]
    marks = ", ".join("?" for _ in ids)
    events = _rows(conn, f"""
        SELECT 'event' AS kind, e.article_id, ed.doc_id, e.id AS event_id, e.type AS event_type,
               e.sentence, coalesce(e.date, a.date) AS date, coalesce(e.province, a.province) AS province,
               a.title, e.location
        FROM event_documents ed JOIN events e ON e.id = ed.event_id JOIN articles a ON a.id = e.article_id
        WHERE ed.doc_id IN ({marks})
        ORDER BY coalesce(e.date, a.date) IS NULL, coalesce(e.date, a.date), e.id LIMIT ?""", [*ids, limit])
    mentions = _newest_mentions(conn, ids, limit)
    matches = events + mentions
    n_articles = len({m["article_id"] for m in matches})
    message = (f"{described}: {len(documents)} document{'s' * (len(documents) != 1)} "
               f"({', '.join(ids[:10])}{'…' if len(ids) > 10 else ''}), cited in {n_articles} "
               f"article{'s' * (n_articles != 1)} and {len(events)} event{'s' * (len(events) != 1)}.")
    return Answer(query=query, kind="citation", message=message, documents=documents, matches=matches)


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every folded word of ``text`` quoted, all required; None if no word."""
    words = re.findall(r"\w+", fold_query(text))
    return " ".join(f'"{w}"' for w in words[:20]) or None


def text_search(conn: sqlite3.Connection, query: str, limit: int = MAX_RESULTS) -> Answer:
    fts = fts_query(query)
    if fts is None:
        return Answer(query=query, kind="no_words",
                      message="The query holds no words or numbers to search for, and is not a citation.")
    facts = _rows(conn, """
        SELECT 'fact' AS kind, m.article_id, m.doc_id, NULL AS event_id, NULL AS event_type, m.label,
               m.text AS fact, m.sentence, a.date, a.province, a.title
        FROM mentions_fts JOIN mentions m ON m.rowid = mentions_fts.rowid JOIN articles a ON a.id = m.article_id
        WHERE mentions_fts MATCH ? ORDER BY mentions_fts.rank, m.id LIMIT ?""", [fts, limit])
    articles = _rows(conn, """
        SELECT 'article' AS kind, a.id AS article_id, NULL AS doc_id, NULL AS event_id, NULL AS event_type,
               a.text, a.date, a.province, a.title
        FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
        WHERE articles_fts MATCH ? ORDER BY articles_fts.rank, a.id LIMIT ?""", [fts, limit])
    words = re.findall(r"\w+", fold_query(query))
    for row in articles:
        row["sentence"] = passage(row.pop("text"), words)
    matches = facts + articles
    message = (f"Not a citation; words found in {len(articles)} article{'s' * (len(articles) != 1)} "
               f"and {len(facts)} fact{'s' * (len(facts) != 1)}.")
    return Answer(query=query, kind="text", message=message, matches=matches)


def passage(text: str, words: list[str], width: int = 160) -> str:
    """The stretch of ``text`` around the first place where its folded form holds the words."""
    clean = clean_text(text)
    folded = clean.folded
    hits = [m.start() for w in words for m in [re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded)] if m]
    at = min(hits) if hits else 0
    start = max(0, at - width // 2)
    start = folded.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(folded), start + width)
    s, e = clean.to_original(start, end)
    return ("…" if s else "") + " ".join(text[s:e].split()) + ("…" if e < len(text) else "")


def _describe(citation) -> str:
    if getattr(citation, "id", None):
        base = citation.id
        return f"{citation.type} {base}" if getattr(citation, "type", None) else base
    parts = [citation.type or "document", str(citation.number)]
    if citation.year:
        parts.append(f"of {citation.year}")
    return " ".join(parts)


def _rows(conn: sqlite3.Connection, sql: str, params) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
