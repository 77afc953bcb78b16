"""The raw page store: every fetched response, kept before any parsing.

Layout of a store folder::

    pages.warc.gz   the responses, one gzip member per WARC record, append-only
    index.sqlite    one row per stored record (URL, final URL, status, offsets), WAL mode
    profile.yaml    the profile the store was crawled with (so `vnfacts articles` can re-read it)
    failures        table in index.sqlite: URLs that could not be fetched, with the reason

Why WARC plus a SQLite index: WARC is the web-archive standard, readable by every archive tool
(warcio, pywb, the Internet Archive's), and append-only, so a crash can at worst leave one
half-written record at the end. The index is the commit point: a record counts only once its
row is committed, and the row is committed only after the record's bytes are fsync'ed. On
opening, anything in the WARC past the last committed record (a record being written when the
process was killed) is cut off, so the store is never corrupt and a page is either fully stored
or not stored at all (and then fetched again). SQLite gives the fast "is this URL stored?"
lookup that resuming needs.
"""
from __future__ import annotations

import fcntl
import io
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_NAME = "pages.warc.gz"
INDEX_NAME = "index.sqlite"
LOCK_NAME = ".lock"
REQUESTED_HEADER = "WARC-X-Requested-URI"  # the URL asked for, when redirects led elsewhere

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,          -- canonical URL requested
    final_url TEXT NOT NULL,       -- URL the response came from (after redirects)
    status INTEGER NOT NULL,
    content_type TEXT,
    fetched_at TEXT NOT NULL,      -- ISO 8601 UTC
    offset INTEGER NOT NULL,       -- of the WARC record in pages.warc.gz
    length INTEGER NOT NULL,
    size INTEGER NOT NULL          -- body bytes
);
CREATE INDEX IF NOT EXISTS pages_final_url ON pages(final_url);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Headers that describe the transfer, not the page: the stored body is already decoded.
TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class StoreError(RuntimeError):
    """A store folder that cannot be used (locked by another crawl, not a store, damaged)."""


@dataclass
class StoredPage:
    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    fetched_at: str
    body: bytes

    @property
    def content_type(self) -> str:
        for k, v in self.headers:
            if k.lower() == "content-type":
                return v
        return ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class PageStore:
    """Open a store folder for writing (one crawl at a time) or reading (any number)."""

    def __init__(self, folder: str | Path, write: bool = False):
        self.folder = Path(folder)
        self.write = write
        self._lock = None
        if write:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.folder / LOCK_NAME, "w")
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._lock.close()
                raise StoreError(f"{self.folder}: another crawl is writing to this store") from None
        elif not (self.folder / INDEX_NAME).exists():
            raise StoreError(f"{self.folder}: not a page store (no {INDEX_NAME}); crawl into it first")
        self.db = sqlite3.connect(self.folder / INDEX_NAME, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        if write:
            self.db.executescript(SCHEMA)
            self._recover()
            self._warc = open(self.folder / WARC_NAME, "ab")
        else:
            self._check_tables()

    # -- crash safety ------------------------------------------------------------------------
    def _committed_end(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='warc_end'").fetchone()
        return int(row[0]) if row else 0

    def _recover(self) -> None:
        """Cut off WARC bytes past the last committed record (a write the crash interrupted)."""
        path = self.folder / WARC_NAME
        end = self._committed_end()
        size = path.stat().st_size if path.exists() else 0
        if size < end:
            raise StoreError(f"{path}: {size} bytes but the index says {end} were committed; the store "
                             "was damaged outside the crawler")
        if size > end:
            with open(path, "r+b") as f:
                f.truncate(end)
                f.flush()
                os.fsync(f.fileno())
        self.recovered_bytes = size - end

    def _check_tables(self) -> None:
        try:
            self.db.execute("SELECT 1 FROM pages LIMIT 1")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.folder}: index is not readable: {err}") from None

    # -- writing -----------------------------------------------------------------------------
    def add(self, url: str, final_url: str, status: int, headers: list[tuple[str, str]], body: bytes,
            fetched_at: str | None = None) -> None:
        """Append one response and commit it. Safe to kill at any instruction."""
        assert self.write, "store opened read-only"
        fetched_at = fetched_at or _now()
        kept = [(k, v) for k, v in headers if k.lower() not in TRANSFER_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {_reason(status)}", kept, protocol="HTTP/1.1")
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True)
        warc_headers = {"WARC-Date": fetched_at}
        if url != final_url:
            warc_headers[REQUESTED_HEADER] = url
        record = writer.create_warc_record(final_url, "response", payload=io.BytesIO(body),
                                           http_headers=http, warc_headers_dict=warc_headers)
        writer.write_record(record)
        data = buf.getvalue()
        offset = self._warc.tell()
        self._warc.write(data)
        self._warc.flush()
        os.fsync(self._warc.fileno())
        content_type = next((v for k, v in kept if k.lower() == "content-type"), None)
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?)",
                            (url, final_url, status, content_type, fetched_at, offset, len(data), len(body)))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('warc_end', ?)", (str(offset + len(data)),))
            self.db.execute("DELETE FROM failures WHERE url IN (?, ?)", (url, final_url))

    def add_failure(self, url: str, reason: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO failures VALUES (?,?,?)", (url, reason[:500], _now()))

    def set_meta(self, key: str, value: object) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    # -- reading -----------------------------------------------------------------------------
    def get_meta(self, key: str, default: object = None) -> object:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def lookup(self, url: str) -> tuple[int, int] | None:
        """(offset, length) of the stored response for ``url`` (requested or final), if any."""
        row = self.db.execute("SELECT offset, length FROM pages WHERE url=? OR final_url=? LIMIT 1",
                              (url, url)).fetchone()
        return (row[0], row[1]) if row else None

    def __contains__(self, url: str) -> bool:
        return self.lookup(url) is not None

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]

    def urls(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT url FROM pages ORDER BY offset")]

    def failures(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT url, reason FROM failures ORDER BY url"))

    def read(self, offset: int, length: int) -> StoredPage:
        with open(self.folder / WARC_NAME, "rb") as f:
            f.seek(offset)
            data = f.read(length)
        return _parse_record(data)

    def get(self, url: str) -> StoredPage | None:
        where = self.lookup(url)
        return self.read(*where) if where else None

    def pages(self) -> Iterator[StoredPage]:
        """Every committed page, in the order it was stored."""
        rows = self.db.execute("SELECT offset, length FROM pages ORDER BY offset").fetchall()
        with open(self.folder / WARC_NAME, "rb") as f:
            for offset, length in rows:
                f.seek(offset)
                yield _parse_record(f.read(length))

    def close(self) -> None:
        if self.write:
            self._warc.close()
        self.db.close()
        if self._lock:
            self._lock.close()

    def __enter__(self) -> "PageStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _parse_record(data: bytes) -> StoredPage:
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            continue
        final_url = record.rec_headers.get_header("WARC-Target-URI")
        url = record.rec_headers.get_header(REQUESTED_HEADER) or final_url
        status = int(record.http_headers.get_statuscode())
        return StoredPage(url=url, final_url=final_url, status=status,
                          headers=list(record.http_headers.headers),
                          fetched_at=record.rec_headers.get_header("WARC-Date"),
                          body=record.content_stream().read())
    raise StoreError("index points at bytes that hold no WARC response record")


def _reason(status: int) -> str:
    from http import HTTPStatus
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def wait_for_pages(folder: str | Path, count: int, timeout: float = 30.0) -> int:
    """Poll a store being written by another process until it holds ``count`` pages (tests)."""
    deadline = time.monotonic() + timeout
    n = 0
    while time.monotonic() < deadline:
        try:
            db = sqlite3.connect(f"file:{Path(folder) / INDEX_NAME}?mode=ro", uri=True)
            n = db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
            db.close()
        except sqlite3.Error:
            n = 0
        if n >= count:
            return n
        time.sleep(0.02)
    return n
