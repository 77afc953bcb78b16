"""Read documents from what users point `vnfacts` at: JSONL, .txt files, folders, stdin.

Every problem becomes a :class:`~vnfacts.extractor.pipeline.DocumentError` in the stream, named by the
document id (or file and line), so one bad document never stops the others.
"""
from __future__ import annotations

import datetime
import gzip
import json
import re
import sys
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

from .models import Document
from .pipeline import DocumentError

MAX_TEXT_CHARS = 20_000_000  # larger texts are refused, not truncated


def _decode(raw: bytes, where: str) -> str:
    if b"\x00" in raw[:8192]:
        raise DocumentError(where, "binary file (NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentError(where, f"not UTF-8 text (byte {err.start}): {err.reason}") from None


def document_from_json(obj: object, where: str) -> Document:
    """Validate one JSON object of the input contract and build a Document."""
    if not isinstance(obj, dict):
        raise DocumentError(where, f"expected a JSON object, got {type(obj).__name__}")
    doc_id = obj.get("id")
    name = str(doc_id) if doc_id not in (None, "") else where
    if doc_id in (None, ""):
        raise DocumentError(name, "missing `id`")
    if not isinstance(doc_id, str):  # 7 and "7" would be one article in the database
        raise DocumentError(f"{where} ({doc_id!r})", f"`id` must be a string, got {type(doc_id).__name__}")
    text = obj.get("text")
    if text is None:
        raise DocumentError(name, "missing `text`")
    if not isinstance(text, str):
        raise DocumentError(name, f"`text` must be a string, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(name, f"text of {len(text):,} characters is over the limit of {MAX_TEXT_CHARS:,}")
    published = obj.get("published")
    if published is not None and not isinstance(published, str):
        raise DocumentError(name, "`published` must be an ISO date string or null")
    if published and not _is_iso_date(published):
        raise DocumentError(name, f"`published` must be an ISO date (YYYY-MM-DD, a time may follow), got {published[:40]!r}")
    for key in ("text", "title", "url", "source"):
        value = obj.get(key)
        if key != "text" and value is not None and not isinstance(value, str):
            raise DocumentError(name, f"`{key}` must be a string or null, got {type(value).__name__}")
        if isinstance(value, str):
            _check_encodable(value, name, key)
    known = {"id", "text", "published", "title", "url", "source"}
    return Document(id=str(doc_id), text=text, published=published or None, title=obj.get("title"),
                    url=obj.get("url"), source=obj.get("source"),
                    extra={k: v for k, v in obj.items() if k not in known})


def _is_iso_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return len(value) == 10 or value[10] in "T "


def _check_encodable(value: str, name: str, key: str) -> None:
    """A lone surrogate (``"\\ud800"`` in JSON) is valid JSON but no text: nothing could store it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise DocumentError(name, f"`{key}` holds a lone surrogate (U+{ord(value[err.start]):04X}) at character "
                                  f"{err.start}, not text") from None


_ID_FIELD = re.compile(rb'"id"\s*:\s*"((?:[^"\\]|\\.){1,200})"')


def _id_in(raw: bytes) -> str:
    """The document id a broken line seems to give, to name it in the error."""
    m = _ID_FIELD.search(raw[:100_000])
    return f" (id {m.group(1).decode('utf-8', 'replace')!r})" if m else ""


def json_line(text: str, where: str):
    """The JSON value of one line, or a DocumentError saying why it cannot be read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DocumentError(where, f"invalid JSON: {err.msg} (column {err.colno})") from None
    except RecursionError:  # valid JSON nested thousands deep: no document, and too deep for Python
        raise DocumentError(where, "lists or objects nested too deeply to read: the line is skipped") from None
    except ValueError as err:  # a number of over 4,300 digits, which Python refuses to convert
        raise DocumentError(where, f"cannot read the line: {str(err).split(';')[0]}") from None


def read_jsonl(stream: Iterable[bytes] | IO, name: str) -> Iterator[Document | DocumentError]:
    """Documents of a JSONL stream of bytes (a text stream is read through its bytes when it has
    them); a line that is not UTF-8, not JSON or not a document is an error naming the file, the
    line and the id it seems to give, and the other lines are still read."""
    # Iterating bytes splits at b"\n" only: JSON strings may hold U+2028, U+0085 and other
    # characters that str.splitlines (and text streams) would break a line at.
    raw = getattr(stream, "buffer", stream)
    seen_any = False
    for lineno, line in enumerate(raw, 1):
        if isinstance(line, str):  # a text stream without bytes underneath (io.StringIO)
            line = line.encode("utf-8", "surrogatepass")
        if not line.strip():
            continue
        seen_any = True
        where = f"{name}:{lineno}"
        try:
            text = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as err:
            yield DocumentError(where + _id_in(line), f"not UTF-8 (byte {err.start} of the line): the line is skipped")
            continue
        try:
            obj = json_line(text, where + _id_in(line))
        except DocumentError as err:
            yield err
            continue
        try:
            yield document_from_json(obj, where)
        except DocumentError as err:
            yield err
    if not seen_any:
        yield DocumentError(name, "empty input: no documents")


def _read_path(path: Path) -> Iterator[Document | DocumentError]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".txt", ".jsonl") and p.is_file())
        if not files:
            yield DocumentError(str(path), "folder holds no .txt or .jsonl files")
        for f in files:
            yield from _read_path(f)
        return
    if not path.exists():
        yield DocumentError(str(path), "no such file or folder")
        return
    if path.suffix in (".jsonl", ".json", ".ndjson"):
        yield from _read_jsonl_file(path)
        return
    if path.name.endswith((".jsonl.gz", ".ndjson.gz")):
        yield from _read_gzip_jsonl_file(path)
        return
    try:
        raw = path.read_bytes()
        text = _decode(raw, str(path))
    except DocumentError as err:
        yield err
        return
    except OSError as err:
        yield DocumentError(str(path), f"cannot read: {err.strerror}")
        return
    if not text.strip():
        yield DocumentError(path.stem, f"empty file {path}")
    elif len(text) > MAX_TEXT_CHARS:
        yield DocumentError(path.stem, f"text of {len(text):,} characters is over the limit of {MAX_TEXT_CHARS:,}")
    else:
        yield Document(id=path.stem, text=text)


MAX_HELD_ERRORS = 100  # of a file that looks binary, before any document shows it is not


def _read_jsonl_file(path: Path) -> Iterator[Document | DocumentError]:
    try:
        with path.open("rb") as f:
            first_line = f.read(8192).split(b"\n", 1)[0]
            f.seek(0)
            if b"\x00" in first_line:
                yield from _unless_binary(read_jsonl(f, str(path)), str(path))
            else:
                yield from read_jsonl(f, str(path))
    except OSError as err:
        yield DocumentError(str(path), f"cannot read: {err.strerror}")


def _read_gzip_jsonl_file(path: Path) -> Iterator[Document | DocumentError]:
    """A gzip-compressed JSONL file (the 35k-article corpus ships so), read as a stream."""
    try:
        with gzip.open(path, "rb") as f:
            yield from read_jsonl(f, str(path))
    except (OSError, EOFError, zlib.error) as err:
        yield DocumentError(str(path), f"cannot read as gzip: {err}")


def _unless_binary(items: Iterator[Document | DocumentError], name: str) -> Iterator[Document | DocumentError]:
    """The items of a file whose first line holds NUL bytes, as UTF-16, compressed and other binary
    files do: one error for the whole file when no line is a document, else every document (the
    first line was one damaged line) and the errors of the lines before it."""
    held: list[DocumentError] = []
    more = 0
    for item in items:
        if isinstance(item, Document):
            yield from held
            if more:
                yield DocumentError(name, f"and {more} more unreadable lines before the first document")
            yield item
            yield from items
            return
        if len(held) < MAX_HELD_ERRORS:
            held.append(item)
        else:
            more += 1
    yield DocumentError(name, "binary file (NUL bytes), not text")


def read_documents(inputs: Iterable[str | Path], stdin: IO[str] | None = None) -> Iterator[Document | DocumentError]:
    """Yield the documents of every input in order; ``-`` reads JSONL from standard input."""
    for item in inputs:
        if str(item) == "-":
            yield from read_jsonl(stdin if stdin is not None else sys.stdin, "<stdin>")
        else:
            yield from _read_path(Path(item))
