"""Where each document of a load comes from (file and line), so that an id given twice in one load
is reported with both places, and the first one kept; and the title a reader would give it.

The documents are read by the extractor's readers (`vnfacts.extractor.inputs.read_jsonl`,
`vnfacts.extractor.extractions.parse_extraction_line`), line by line: a JSONL line's place is
``FILE:LINE``, a text file's its path.
"""
from __future__ import annotations

import sys
from pathlib import Path

import regex
from typing import IO, Iterable, Iterator, TypeVar

from vnfacts.extractor.extractions import parse_extraction_line, read_extractions
from vnfacts.extractor.inputs import read_documents, read_jsonl
from vnfacts.extractor.models import Document, Extraction
from vnfacts.extractor.pipeline import DocumentError

JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")  # what `read_documents` reads as JSONL
FOLDER_SUFFIXES = (".txt", ".jsonl")  # the files of a folder it reads

Item = TypeVar("Item")


class CountedLines:
    """The lines of a byte stream, counted as a reader takes them: when the reader yields a
    document, ``line`` is the number of the line it came from."""

    def __init__(self, stream: Iterable[bytes]):
        self.stream = stream
        self.line = 0

    def __iter__(self) -> Iterator[bytes]:
        for self.line, text in enumerate(self.stream, 1):
            yield text


def located_documents(inputs: Iterable[str | Path], stdin: IO | None = None
                      ) -> Iterator[tuple[str, Document | DocumentError]]:
    """What `read_documents` yields for ``inputs``, each with its place."""
    for item in inputs:
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from _located_jsonl(getattr(stream, "buffer", stream), "<stdin>")
            continue
        for path in _files_read(Path(item)):
            if path.suffix in JSONL_SUFFIXES and path.is_file() and not _is_binary(path):
                with path.open("rb") as f:
                    yield from _located_jsonl(f, str(path))
            else:  # a text file, or what the reader reports as an error
                yield from ((str(path), doc) for doc in read_documents([path]))


def _files_read(path: Path) -> list[Path]:
    """The files `read_documents` reads for ``path``: a folder's .txt and .jsonl files in order."""
    if not path.is_dir():
        return [path]
    files = sorted(p for p in path.iterdir() if p.suffix in FOLDER_SUFFIXES and p.is_file())
    return files or [path]  # an empty folder: the reader says so


def _is_binary(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return b"\x00" in f.read(8192)
    except OSError:
        return True  # let the reader report it


def _located_jsonl(stream: Iterable[bytes], name: str) -> Iterator[tuple[str, Document | DocumentError]]:
    lines = CountedLines(stream)
    for doc in read_jsonl(lines, name):
        yield (f"{name}:{lines.line}" if lines.line else name), doc


def located_extractions(files: Iterable[str | Path], stdin: IO | None = None
                        ) -> Iterator[tuple[str, tuple[Document, Extraction] | DocumentError]]:
    """What `read_extractions` yields for ``files``, each with its place."""
    for item in files:
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from _located_extraction_lines(stream, "<stdin>")
            continue
        try:
            f = open(item, "rb")
        except OSError:  # a folder, a missing file: the reader says what
            yield from ((str(item), x) for x in read_extractions([item]))
            continue
        with f:
            yield from _located_extraction_lines(f, str(item))


def _located_extraction_lines(lines: Iterable[bytes | str], name: str
                              ) -> Iterator[tuple[str, tuple[Document, Extraction] | DocumentError]]:
    """`read_extractions`'s reading of one stream, line by line, with the lines' places."""
    seen_any = False
    for number, line in enumerate(lines, 1):
        where = f"{name}:{number}"
        try:
            text = line.decode("utf-8-sig") if isinstance(line, bytes) else line
        except UnicodeDecodeError as err:
            yield where, DocumentError(where, f"not UTF-8 text (byte {err.start}): {err.reason}")
            continue
        if text.strip():
            seen_any = True
            yield where, parse_extraction_line(text, where)
    if not seen_any:
        yield name, DocumentError(name, "empty input: no extracted documents")


def first_of_each_id(located: Iterable[tuple[str, Item]]) -> Iterator[Item | DocumentError]:
    """The items of ``located`` (a document, a (document, extraction) pair or a DocumentError, each
    with its place); a document whose id came before in the same load is replaced by a
    DocumentError naming both places: the first is kept, a later one would silently replace it."""
    first_place: dict[str, str] = {}
    for place, item in located:
        doc = item[0] if isinstance(item, tuple) else item
        if isinstance(doc, Document):
            if doc.id in first_place:
                yield DocumentError(doc.id, f"duplicate id at {place}: the document with this id at "
                                            f"{first_place[doc.id]} is kept")
                continue
            first_place[doc.id] = place
        yield item


# -- titles ----------------------------------------------------------------------------------
# A dateline is a date or a time with at most a few words around it: `Thứ 3, Ngày 18/07/2023, 11:00`,
# `Thứ Năm, 22/12/2022 10:46`, `Cập nhật lúc 10:46`. A headline that starts with a date goes on
# for more words (`Ngày 18/7/2023: Bình Dương sơ kết Đề án...`).
_DATE_OR_TIME = regex.compile(r"(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d|\d{1,2}\s*[:hg]\s*\d{2})(?!\d)")
DATELINE_MAX_WORDS = 4
DATELINE_MAX_CHARS = 80
TITLE_LINES = 5  # lines of the text looked at when the given title is a dateline or missing


def is_dateline(line: str) -> bool:
    """True when ``line`` is a date or time with at most :data:`DATELINE_MAX_WORDS` words: a
    dateline, which is never a title."""
    line = line.strip()
    if len(line) > DATELINE_MAX_CHARS or not _DATE_OR_TIME.search(line):
        return False
    return len(regex.findall(r"\p{L}+", _DATE_OR_TIME.sub(" ", line))) <= DATELINE_MAX_WORDS


def reader_title(title: str | None, text: str | None) -> str | None:
    """The title a reader would give the article: the given one unless it is empty or a
    dateline, else the first of the text's first lines that is neither. Kept as written (a title
    that is a whole sentence stays whole here: the site clips it where it lists titles)."""
    candidates = [title or ""] + (text or "").split("\n", TITLE_LINES)[:TITLE_LINES]
    for candidate in candidates:
        candidate = " ".join(candidate.split())
        if candidate and not is_dateline(candidate):
            return candidate
    return " ".join(title.split()) if title and title.strip() else None
