"""Read documents from what users point `vnfacts` at: JSONL, .txt files, folders, stdin.

Every problem becomes a :class:`~vnfacts.extractor.pipeline.DocumentError` in the stream, named by the
document id (or file and line), so one bad document never stops the others.
"""
from __future__ import annotations

import json
import sys
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
    known = {"id", "text", "published", "title", "url", "source"}
    return Document(id=str(doc_id), text=text, published=published or None, title=obj.get("title"),
                    url=obj.get("url"), source=obj.get("source"),
                    extra={k: v for k, v in obj.items() if k not in known})


def read_jsonl(stream: IO[str], name: str) -> Iterator[Document | DocumentError]:
    seen_any = False
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        seen_any = True
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield DocumentError(where, f"invalid JSON: {err.msg} (column {err.colno})")
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
    try:
        raw = path.read_bytes()
        text = _decode(raw, str(path))
    except DocumentError as err:
        yield err
        return
    except OSError as err:
        yield DocumentError(str(path), f"cannot read: {err.strerror}")
        return
    if path.suffix in (".jsonl", ".json", ".ndjson"):
        yield from read_jsonl(text.splitlines(), str(path))
    elif not text.strip():
        yield DocumentError(path.stem, f"empty file {path}")
    elif len(text) > MAX_TEXT_CHARS:
        yield DocumentError(path.stem, f"text of {len(text):,} characters is over the limit of {MAX_TEXT_CHARS:,}")
    else:
        yield Document(id=path.stem, text=text)


def read_documents(inputs: Iterable[str | Path], stdin: IO[str] | None = None) -> Iterator[Document | DocumentError]:
    """Yield the documents of every input in order; ``-`` reads JSONL from standard input."""
    for item in inputs:
        if str(item) == "-":
            yield from read_jsonl(stdin if stdin is not None else sys.stdin, "<stdin>")
        else:
            yield from _read_path(Path(item))
