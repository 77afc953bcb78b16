"""`vnfacts load`: extract articles and store them with their facts in SQLite.

Loading is read -> extract -> store, and storing takes a document with its extraction
(`store_extraction`), so `vnfacts extract` output, which carries its documents, is stored the same
way (`load_extracted`). Each article is written in one transaction: its old facts are deleted and
the new ones inserted, or (crash, kill, bad document) nothing changes and the previous facts stay
whole. A document that cannot be extracted never reaches the database, and one whose rows SQLite
refuses costs only itself. The same transaction brings the tables derived from the facts (legal
documents, programmes: :mod:`vnfacts.publish.derived`) in line for what the article named before
and names now, so they agree with the mentions at every commit, and loading the same input twice
gives the same database.
"""
from __future__ import annotations

import json
import re
import sqlite3
import sys
from pathlib import Path
from typing import IO, Iterable

from vnfacts.extractor.clean import clean_text, fold_query
from vnfacts.extractor.models import Document, Extraction
from vnfacts.extractor.extractions import extract_with_documents
from vnfacts.extractor.pipeline import DocumentError
from vnfacts.extractor.runs import Progress, RunSummary

from .derived import rebuild_derived, update_derived
from .schema import connect, database, ensure_schema, refuse_foreign_database
from .sources import first_of_each_id, located_documents, located_extractions, reader_title
from .transactions import WRITE_PATIENCE_S, DatabaseBusyError, write_transaction

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?$")


def programme_slug(name: str) -> str:
    """A programme's id: its folded name as a URL-safe slug (`Đề án 1533` -> `de-an-1533`)."""
    return re.sub(r"[^0-9a-z]+", "-", fold_query(name)).strip("-") or "programme"


def _year(date: str | None) -> int | None:
    m = _ISO_DATE.match(date or "")
    return int(m.group(1)) if m else None


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


def article_date(doc: Document, extraction: Extraction) -> tuple[str | None, str | None]:
    """The article's date and where it came from, as the extractor's document stage decided it
    (:mod:`vnfacts.extractor.document`): storage never decides it again."""
    facts = extraction.document
    return (facts.date, facts.date_source) if facts is not None else (None, None)


def article_province(extraction: Extraction) -> str | None:
    """The province the article is about, as the extractor's document stage decided it."""
    return extraction.document.province if extraction.document is not None else None


def article_rows(doc: Document, extraction: Extraction, today_of: dict[str, str]) -> dict:
    """Every row one article contributes: the article, its mentions, events and their links."""
    text = doc.text
    date, date_source = article_date(doc, extraction)
    year = _year(date)
    province = article_province(extraction)
    sentences = [text[s:e] for s, e in extraction.sentences]

    def sentence_text(index):
        return sentences[index] if index is not None and 0 <= index < len(sentences) else None

    mentions, documents, programmes = [], {}, {}
    for position, e in enumerate(extraction.entities):
        norm = e.norm or {}
        row = {
            "id": f"{doc.id}:{position:05d}", "article_id": doc.id, "position": position, "label": e.label,
            "start": e.start, "end": e.end, "sentence_index": e.sentence, "sentence": sentence_text(e.sentence),
            "text": e.text, "text_folded": fold_query(e.text),
            "doc_id": None, "doc_type": None, "programme_id": None, "period": None, "name": None,
            "date_value": None, "value": None, "unit": None, "qualifier": None, "of_value": None,
            "province": None, "province_today": None,
            "norm": json.dumps(norm, ensure_ascii=False, sort_keys=True), "date": date, "year": year,
        }
        if e.label == "LEGAL_REF" and norm.get("id"):
            row["doc_id"], row["doc_type"] = norm["id"], _text(norm.get("type"))
            documents.setdefault(norm["id"], norm)
        elif e.label == "PROGRAM":
            name = _text(norm.get("name")) or " ".join(e.text.split())
            row["name"], row["period"] = name, _text(norm.get("period"))
            row["programme_id"] = programme_slug(name)
            programmes.setdefault(row["programme_id"], name)
        elif e.label == "ORG":
            row["name"] = _text(norm.get("name"))
        elif e.label == "DATE":
            row["date_value"] = _text(norm.get("value"))
        elif e.label == "FIGURE":
            row["value"], row["unit"] = _number(norm.get("value")), _text(norm.get("unit"))
            row["qualifier"], row["of_value"] = _text(norm.get("qualifier")), _number(norm.get("of"))
        elif e.label == "LOC":
            row["province"] = _text(norm.get("province"))
            row["province_today"] = _text(norm.get("province_today")) or today_of.get(row["province"])
        mentions.append(row)

    events, organizers, event_documents = [], [], []
    for position, ev in enumerate(extraction.events):
        event_id = f"{doc.id}:e{position:03d}"
        events.append({
            "id": event_id, "article_id": doc.id, "position": position, "is_main": int(position == 0),
            "type": ev.type, "kind": ev.kind, "date": ev.date, "year": _year(ev.date), "province": ev.province,
            "province_today": today_of.get(ev.province) if ev.province else None, "location": ev.location,
            "participants": ev.participants if isinstance(ev.participants, int) else None,
            "sentence_index": ev.sentence, "sentence": sentence_text(ev.sentence),
        })
        organizers.extend({"event_id": event_id, "position": i, "name": name}
                          for i, name in enumerate(dict.fromkeys(n for n in ev.organizers if n)))
        for doc_id in dict.fromkeys(r for r in ev.legal_refs if r):
            event_documents.append({"event_id": event_id, "doc_id": doc_id})
            documents.setdefault(doc_id, {"id": doc_id})

    canonical = clean_text(text)
    title = reader_title(doc.title, text) or ""
    article = {
        "id": doc.id, "title": title or None, "url": doc.url, "source": doc.source,
        "licence": _text(doc.extra.get("licence") or doc.extra.get("license")),
        "published": doc.published, "date": date, "date_source": date_source, "year": year,
        "province": province, "province_today": today_of.get(province) if province else None,
        "facts": len(mentions), "events": len(events), "text": text,
        "title_folded": fold_query(title) if title else None, "text_folded": canonical.folded,
    }
    return {"article": article, "mentions": mentions, "events": events, "organizers": organizers,
            "event_documents": event_documents, "documents": documents, "programmes": programmes}


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    """Insert ``rows``. Inside a transaction sqlite-utils writes in a savepoint of it, so the
    article stays all or nothing."""
    database(conn)[table].insert_all(rows)


def store_article(conn: sqlite3.Connection, rows: dict, patience_s: float = WRITE_PATIENCE_S) -> None:
    """Replace one article and all its facts in a single transaction (waiting for the database
    while another connection holds it: `write_transaction`)."""
    write_transaction(conn, lambda: _replace_article(conn, rows), patience_s)


def _replace_article(conn: sqlite3.Connection, rows: dict) -> None:
    article_id = rows["article"]["id"]
    # what the article named before: their rows change with it
    doc_ids = {r[0] for r in conn.execute(
        "SELECT doc_id FROM mentions WHERE article_id = ? AND doc_id IS NOT NULL UNION "
        "SELECT doc_id FROM event_documents WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
        (article_id, article_id))}
    programme_ids = {r[0] for r in conn.execute(
        "SELECT programme_id FROM mentions WHERE article_id = ? AND programme_id IS NOT NULL", (article_id,))}
    conn.execute("DELETE FROM event_organizers WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)", (article_id,))
    conn.execute("DELETE FROM event_documents WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)", (article_id,))
    conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    article = rows["article"]
    exists = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
    if exists:  # update in place: the article keeps its rowid, so re-loading changes nothing
        sets = ", ".join(f"[{c}] = ?" for c in article if c != "id")
        conn.execute(f"UPDATE articles SET {sets} WHERE id = ?",
                     [v for c, v in article.items() if c != "id"] + [article_id])
    else:
        _insert(conn, "articles", [article])
    _insert(conn, "mentions", rows["mentions"])
    _insert(conn, "events", rows["events"])
    _insert(conn, "event_organizers", rows["organizers"])
    _insert(conn, "event_documents", rows["event_documents"])
    # In the same transaction, so that they agree with the mentions after a kill at any point.
    update_derived(conn, doc_ids | set(rows["documents"]), programme_ids | set(rows["programmes"]))


def refresh_derived(conn: sqlite3.Connection, patience_s: float = WRITE_PATIENCE_S) -> None:
    """Compute every legal document and programme anew from all the facts, in one transaction (what
    each article's transaction keeps up to date; for a database written by an older version)."""
    write_transaction(conn, lambda: rebuild_derived(conn), patience_s)


def provinces_today(conn: sqlite3.Connection) -> dict[str, str]:
    """Each province before the 2025 merger -> the province it belongs to today."""
    return dict(conn.execute("SELECT name, province_today FROM provinces"))


def store_extraction(conn: sqlite3.Connection, doc: Document, extraction: Extraction,
                     today_of: dict[str, str] | None = None, patience_s: float = WRITE_PATIENCE_S) -> None:
    """Store one document with its extraction, replacing what the database held of it, in one
    transaction. ``today_of`` (`provinces_today`) saves reading the provinces for every article."""
    today_of = today_of if today_of is not None else provinces_today(conn)
    store_article(conn, article_rows(doc, extraction, today_of), patience_s)


# SQLite's primary result codes that concern the file, not the rows one document brings: full disk,
# I/O error, read-only file, permission, corruption, not a database, cannot open, out of memory.
_DATABASE_WIDE_CODES = {13, 10, 8, 3, 11, 26, 14, 7}


def concerns_the_whole_database(err: BaseException) -> bool:
    """Whether ``err``, raised while storing one document, would refuse every other one too (the
    load stops) rather than only this document's rows (a value that cannot be bound, a constraint)."""
    if isinstance(err, (OSError, MemoryError, DatabaseBusyError)):
        return True
    code = getattr(err, "sqlite_errorcode", None)
    return isinstance(err, sqlite3.Error) and code is not None and code & 0xFF in _DATABASE_WIDE_CODES


class LoadStoppedError(Exception):
    """The database stayed locked: the load stopped, and says which documents it did not store."""

    def __init__(self, busy: DatabaseBusyError, stored: int, first_not_stored: str):
        super().__init__(f"{busy}: {stored} documents of this run were stored, {first_not_stored} and the "
                         f"documents after it were not; load them again when the database is free")


def store_extractions(db_path: str | Path, items: Iterable[tuple[Document, Extraction] | DocumentError],
                      progress: bool = False, errors: IO[str] | None = None,
                      patience_s: float = WRITE_PATIENCE_S, force: bool = False) -> RunSummary:
    """Store every (document, extraction) of ``items`` in the SQLite file ``db_path``. A
    DocumentError among them, or a document whose rows SQLite refuses, is reported on ``errors``
    (named by its id) and counted, and the others are still stored. Returns the run's summary. A
    database that another connection keeps locked for ``patience_s`` stops the load with
    :class:`LoadStoppedError`, which names the first document not stored. An SQLite file of
    something else is refused (`ForeignDatabaseError`) unless ``force``."""
    errors = errors or sys.stderr
    summary = RunSummary()
    refuse_foreign_database(db_path, force)
    conn = connect(str(db_path))
    try:
        ensure_schema(conn, patience_s)
        today_of = provinces_today(conn)
        bar = Progress("articles loaded", enabled=progress, stream=errors)
        for item in items:
            if not isinstance(item, DocumentError):
                item = _stored(conn, *item, today_of, patience_s, summary)
            summary.add(item)
            if isinstance(item, DocumentError):
                print(f"vnfacts load: error: {item}", file=errors)
            bar.update(failed=isinstance(item, DocumentError))
        if progress:
            bar.close()
    finally:
        conn.close()
    return summary


def _stored(conn: sqlite3.Connection, doc: Document, extraction: Extraction, today_of: dict[str, str],
            patience_s: float, summary: RunSummary) -> Extraction | DocumentError:
    """Store one document: its extraction once stored, or the DocumentError of one whose rows
    SQLite refused (rolled back; the load goes on with the others)."""
    try:
        store_extraction(conn, doc, extraction, today_of, patience_s)
    except DatabaseBusyError as err:
        raise LoadStoppedError(err, summary.documents, doc.id) from err
    except Exception as err:
        if concerns_the_whole_database(err):
            raise
        return DocumentError(doc.id, f"not stored: {type(err).__name__}: {err}")
    return extraction


def load_documents(db_path: str | Path, inputs: Iterable[str | Path], progress: bool = False,
                   errors: IO[str] | None = None, stdin: IO[str] | None = None,
                   patience_s: float = WRITE_PATIENCE_S, force: bool = False) -> RunSummary:
    """`vnfacts load`: read the documents of ``inputs``, extract them, store them with their facts.

    Returns the run's summary; documents that fail are reported on ``errors`` and counted there, an
    id given twice too (the first is kept: `sources.first_of_each_id`)."""
    documents = first_of_each_id(located_documents(inputs, stdin=stdin))
    return store_extractions(db_path, extract_with_documents(documents),
                             progress=progress, errors=errors, patience_s=patience_s, force=force)


def load_extracted(db_path: str | Path, files: Iterable[str | Path], progress: bool = False,
                   errors: IO[str] | None = None, stdin: IO[str] | None = None,
                   patience_s: float = WRITE_PATIENCE_S, force: bool = False) -> RunSummary:
    """`vnfacts load --extracted`: store what `vnfacts extract` (or the Dask job) wrote, the same
    database `load_documents` gives on the texts. A bad line is reported with its id, file and line,
    and so is an id given twice (the first is kept)."""
    extracted = first_of_each_id(located_extractions(files, stdin=stdin))
    return store_extractions(db_path, extracted, progress=progress, errors=errors,
                             patience_s=patience_s, force=force)


def fact_checksums(db_path: str | Path) -> dict[str, tuple[int, str]]:
    """Row count and checksum of everything two equal loads must share, for comparisons: the
    content of every table (rowids left out), the words of each full-text index (per column, with
    how many rows and times they occur: what a search can find) and the schema itself."""
    from .schema import FTS, TABLES

    conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
    try:
        out = {}
        for table, (columns, pk, _) in TABLES.items():
            keys = ", ".join(f"[{k}]" for k in ((pk,) if isinstance(pk, str) else pk))
            out[table] = _checksum(conn.execute(
                f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}] ORDER BY {keys}"))
        for table in FTS:  # the index's words, not its pages: those depend on the order of updates
            conn.execute(f"CREATE VIRTUAL TABLE temp.[{table}_fts_words] USING fts5vocab(main, '{table}_fts', 'col')")
            out[f"{table}_fts"] = _checksum(conn.execute(
                f"SELECT term, col, doc, cnt FROM temp.[{table}_fts_words] ORDER BY term, col"))
        out["schema"] = _checksum(conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"))
        return out
    finally:
        conn.close()


def _checksum(rows: Iterable[tuple]) -> tuple[int, str]:
    import hashlib

    digest = hashlib.sha256()
    n = 0
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False).encode())
        n += 1
    return n, digest.hexdigest()
