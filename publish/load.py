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
import queue
import re
import sqlite3
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterable

from vnfacts.extractor.clean import fold_query, folded_text
from vnfacts.extractor.models import Document, Extraction
from vnfacts.extractor.extractions import extract_with_documents
from vnfacts.extractor.pipeline import DocumentError
from vnfacts.extractor.runs import Progress, RunSummary

from .derived import rebuild_derived, update_derived
from .programmes import PROGRAMME_ROW_TABLES, programme_rows
from .summaries import SUMMARIES, Delta, contributions, stored_contributions
from .schema import TABLES, connect, ensure_schema, fts_paused, refresh_statistics, refuse_foreign_database
from .sources import first_of_each_id, located_documents, located_extractions, reader_title
from .transactions import WRITE_PATIENCE_S, DatabaseBusyError, is_busy, savepoint, write_transaction

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

    mentions = []
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
        elif e.label == "PROGRAM":
            name = _text(norm.get("name")) or " ".join(e.text.split())
            row["name"], row["period"] = name, _text(norm.get("period"))
            row["programme_id"] = programme_slug(name)
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

    title = reader_title(doc.title, text) or ""
    article = {
        "id": doc.id, "title": title or None, "url": doc.url, "source": doc.source,
        "licence": _text(doc.extra.get("licence") or doc.extra.get("license")),
        "published": doc.published, "date": date, "date_source": date_source, "year": year,
        "province": province, "province_today": today_of.get(province) if province else None,
        "facts": len(mentions), "events": len(events), "text": text,
        "title_folded": fold_query(title) if title else None, "text_folded": folded_text(text),
        "fetched_at": _text(doc.extra.get("fetched_at")),
    }
    return {"article": article, "mentions": mentions, "events": events, "organizers": organizers,
            "event_documents": event_documents, **programme_rows(article, mentions, events)}


@lru_cache(maxsize=None)
def _insert_sql(table: str) -> str:
    columns = TABLES[table][0]
    return (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"VALUES ({', '.join(f':{c}' for c in columns)})")


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    """Insert ``rows``, dicts with every column of ``table`` (a missing one is an error)."""
    if rows:
        conn.executemany(_insert_sql(table), rows)


def _upsert_article(conn: sqlite3.Connection, article: dict) -> None:
    """Insert the article's row, or update it in place: it keeps its rowid, so re-loading changes nothing."""
    columns = TABLES["articles"][0]
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != "id")
    conn.execute(f"{_insert_sql('articles')} ON CONFLICT(id) DO UPDATE SET {updates}", article)


def store_article(conn: sqlite3.Connection, rows: dict, patience_s: float = WRITE_PATIENCE_S) -> None:
    """Replace one article and all its facts in a single transaction (waiting for the database
    while another connection holds it: `write_transaction`)."""
    refused = store_batch(conn, [rows], patience_s)
    if refused:
        raise refused[0][1]


def store_batch(conn: sqlite3.Connection, batch: list[dict], patience_s: float = WRITE_PATIENCE_S
                ) -> list[tuple[str, Exception]]:
    """Replace the articles of ``batch`` (each as `article_rows` gives it) in one transaction, each
    in a savepoint of it, so that each stays all or nothing: an article whose rows SQLite refuses
    is rolled back alone, and returned with its error; the others are committed, with the legal
    documents and programmes they named before or name now brought in line once for the batch.
    Should that fail, the batch is written again with each article's own (so the one at fault
    costs only itself). An error that concerns the whole database is raised."""
    try:
        return write_transaction(conn, lambda: _replace_articles(conn, batch, derived_each=False), patience_s)
    except _DerivedRefused:
        return write_transaction(conn, lambda: _replace_articles(conn, batch, derived_each=True), patience_s)


class _DerivedRefused(Exception):
    """The batch's legal documents or programmes could not be written: one article's at a time, then."""


def _replace_articles(conn: sqlite3.Connection, batch: list[dict], derived_each: bool) -> list[tuple[str, Exception]]:
    refused: list[tuple[str, Exception]] = []
    changes = Delta()  # what the batch's articles take from and add to the summary tables
    with fts_paused(conn, [rows["article"]["id"] for rows in batch]):
        for rows in batch:
            try:
                with savepoint(conn, "article"):
                    delta = _replace_article(conn, rows)
                    if derived_each:
                        _update_summaries(conn, delta)
            except Exception as err:
                if is_busy(err) or concerns_the_whole_database(err):
                    raise
                refused.append((rows["article"]["id"], err))
                continue
            changes.merge(delta)
    if not derived_each:
        try:
            with savepoint(conn, "derived"):
                _update_summaries(conn, changes)
        except Exception as err:
            if is_busy(err) or concerns_the_whole_database(err):
                raise
            raise _DerivedRefused() from err
    return refused


def _update_summaries(conn: sqlite3.Connection, delta: Delta) -> None:
    """Apply ``delta`` to the summary tables, then bring the legal documents and programmes whose
    counted values changed in line with them."""
    delta.apply(conn)
    update_derived(conn, delta.touched("document"), delta.touched("programme"))


def _replace_article(conn: sqlite3.Connection, rows: dict) -> Delta:
    """Replace one article's rows (inside the caller's transaction). Returns what that changes in
    the summary tables: what its new rows add less what its stored rows added."""
    article_id = rows["article"]["id"]
    delta = contributions(rows["article"], rows["mentions"], rows["events"], rows["event_documents"])
    delta.merge(stored_contributions(conn, [article_id]), sign=-1)
    conn.execute("DELETE FROM event_organizers WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)", (article_id,))
    conn.execute("DELETE FROM event_documents WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)", (article_id,))
    for table in PROGRAMME_ROW_TABLES:
        conn.execute(f"DELETE FROM [{table}] WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    _upsert_article(conn, rows["article"])
    _insert(conn, "mentions", rows["mentions"])
    _insert(conn, "events", rows["events"])
    _insert(conn, "event_organizers", rows["organizers"])
    _insert(conn, "event_documents", rows["event_documents"])
    for table in PROGRAMME_ROW_TABLES:
        _insert(conn, table, rows[table])
    return delta


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


# A load writes many articles per transaction (each in a savepoint of it, so each is still all or
# nothing): the disk is flushed once per batch, the full-text indexes take the batch's words at
# once, and the legal documents and programmes are computed once per batch. A batch is committed
# when it holds BATCH_ARTICLES, or BATCH_SECONDS after its first article arrived: a slow source
# (extraction, a pipe) still shows its articles on the site within half a second, and the site
# serving the file sees a load progress. While the source is ahead (documents wait in the queue),
# a batch fills up to BATCH_ARTICLES: the legal documents and programmes a batch names are computed
# anew from all their mentions, ~3.5 s a batch at a million articles (1,278 articles stored there
# in batches of 500: 10.9 CPU s on them; of 1,000: 7.1), for ~100 MB of rows in memory.
BATCH_ARTICLES = 1000
BATCH_SECONDS = 0.5
# Pages the writer's connection may keep in memory (KiB when negative): a batch that does not fit
# would spill into the file before its commit, which locks the site's readers out until then.
WRITER_CACHE_KIB = 256_000
# Documents read ahead of the writer, at most: reading and extracting go on while a batch commits.
READ_AHEAD = 2_000


def store_extractions(db_path: str | Path, items: Iterable[tuple[Document, Extraction] | DocumentError],
                      progress: bool = False, errors: IO[str] | None = None,
                      patience_s: float = WRITE_PATIENCE_S, force: bool = False) -> RunSummary:
    """Store every (document, extraction) of ``items`` in the SQLite file ``db_path``. A
    DocumentError among them, or a document whose rows SQLite refuses, is reported on ``errors``
    (named by its id) and counted, and the others are still stored. Returns the run's summary. A
    database that another connection keeps locked for ``patience_s`` stops the load with
    :class:`LoadStoppedError`, which names the first document not stored. An SQLite file of
    something else is refused (`ForeignDatabaseError`) unless ``force``.

    ``items`` is read in this thread (extraction's time budget needs the main thread) and stored
    by a writer thread, in batches (`BATCH_ARTICLES`)."""
    refuse_foreign_database(db_path, force)
    writer = _BatchWriter(db_path, patience_s, errors or sys.stderr, progress)
    writer.start()
    try:
        for item in items:
            writer.put(item)
    except BaseException:
        writer.stop(commit=False)  # what the writer holds uncommitted is rolled back
        raise
    writer.stop(commit=True)
    return writer.summary


_END = object()  # what the reading thread puts after the last item


class _BatchWriter(threading.Thread):
    """The thread that stores what `store_extractions` reads: it owns the connection, the summary
    and the progress line, and keeps the error that stopped it for the reading thread to raise."""

    def __init__(self, db_path: str | Path, patience_s: float, errors: IO[str], progress: bool):
        super().__init__(name="vnfacts-load-writer", daemon=True)
        self.db_path, self.patience_s, self.errors, self.progress = db_path, patience_s, errors, progress
        self.queue: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
        self.summary = RunSummary()
        self.failure: BaseException | None = None
        self.commit_at_end = True

    def put(self, item) -> None:
        """Hand one item to the writer (waiting while it is READ_AHEAD behind); raises the error
        that stopped it, if it stopped."""
        while not self._offered(item):
            pass

    def stop(self, commit: bool) -> None:
        """Let the writer store what it holds (or, not ``commit``, drop it) and end; raises the
        error that stopped it, if any, when ``commit``."""
        self.commit_at_end = commit
        try:
            while self.is_alive() and not self._offered(_END):
                pass
        finally:
            self.join()
        if commit and self.failure is not None:
            raise self.failure

    def _offered(self, item) -> bool:
        if self.failure is not None or not self.is_alive():
            if item is _END:
                return True
            raise self.failure or RuntimeError("the load's writer thread ended")
        try:
            self.queue.put(item, timeout=0.1)
            return True
        except queue.Full:
            return False

    def run(self) -> None:
        try:
            conn = connect(str(self.db_path))
            try:
                conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
                ensure_schema(conn, self.patience_s)
                self._store_all(conn, provinces_today(conn))
            finally:
                conn.close()
        except BaseException as err:  # noqa: BLE001 - handed to the reading thread, which raises it
            self.failure = err

    def _store_all(self, conn: sqlite3.Connection, today_of: dict[str, str]) -> None:
        bar = Progress("articles loaded", enabled=self.progress, stream=self.errors)
        batch: list[tuple[Document, Extraction, dict]] = []
        deadline = None
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                item = self.queue.get(timeout=timeout)
            except queue.Empty:
                item = None  # the batch is BATCH_SECONDS old
            if not self.commit_at_end:  # the reading failed: the batch held is dropped
                return
            if item is not None and item is not _END:
                built = self._rows_of(item, today_of)
                if built is None:
                    bar.update(failed=True)
                else:
                    batch.append(built)
                    deadline = deadline or time.monotonic() + BATCH_SECONDS
            if batch and (item is None or item is _END or len(batch) >= BATCH_ARTICLES):
                self._commit(conn, batch, bar)
                batch, deadline = [], None
            if item is _END:
                break
        # the planner's statistics, for the sizes this load left (ANALYZE: milliseconds); a file
        # kept locked now keeps the older ones, which the next load refreshes
        try:
            write_transaction(conn, lambda: refresh_statistics(conn), self.patience_s)
        except DatabaseBusyError:
            pass
        if self.progress:
            bar.close()

    def _rows_of(self, item, today_of: dict[str, str]) -> tuple[Document, Extraction, dict] | None:
        """The item's document, extraction and rows; None (reported) for a DocumentError or a
        document whose rows cannot be built."""
        if not isinstance(item, DocumentError):
            doc, extraction = item
            try:
                return doc, extraction, article_rows(doc, extraction, today_of)
            except Exception as err:  # noqa: BLE001 - one document's data costs only itself
                item = DocumentError(doc.id, f"not stored: {type(err).__name__}: {err}")
        self._report(item)
        return None

    def _report(self, item: Extraction | DocumentError) -> None:
        self.summary.add(item)
        if isinstance(item, DocumentError):
            print(f"vnfacts load: error: {item}", file=self.errors)

    def _commit(self, conn: sqlite3.Connection, batch: list[tuple[Document, Extraction, dict]], bar: Progress) -> None:
        try:
            refused = dict(store_batch(conn, [rows for _, _, rows in batch], self.patience_s))
        except DatabaseBusyError as err:
            raise LoadStoppedError(err, self.summary.documents, batch[0][0].id) from err
        for doc, extraction, _ in batch:
            err = refused.get(doc.id)
            self._report(extraction if err is None else DocumentError(doc.id, f"not stored: {type(err).__name__}: {err}"))
            bar.update(failed=err is not None)


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
        for table, (keys, counts) in SUMMARIES.items():
            out[table] = _checksum(conn.execute(
                f"SELECT * FROM [{table}] ORDER BY {', '.join(f'[{c}]' for c in (*keys, *counts))}"))
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
