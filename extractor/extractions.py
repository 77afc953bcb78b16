"""The output of `vnfacts extract` as a file format: a document extracted with its document kept
beside it, one JSON line per document written, and read back (by `vnfacts load --extracted`), each
bad line named by its id, file and line while the others go on."""
from __future__ import annotations

import json
import sys
from collections import deque
from pathlib import Path
from typing import IO, Iterable, Iterator

from .inputs import document_from_json, json_line
from .models import Document, Extraction
from .norms import NORM_TYPES, json_types
from .pipeline import DocumentError, extract_many


def extract_with_documents(items: Iterable[Document | DocumentError]) -> Iterator[tuple[Document, Extraction] | DocumentError]:
    """Extract each document of ``items`` (as `read_documents` yields them); yields each document
    with its extraction, or the DocumentError of one that could not be read or extracted."""
    waiting: deque = deque()

    def remember(items):
        for item in items:
            waiting.append(item)
            yield item

    # extract_many yields one result per item, in order: a result's document is the oldest waiting
    for result in extract_many(remember(items)):
        document = waiting.popleft()
        yield result if isinstance(result, DocumentError) else (document, result)


def extraction_line(document: Document, extraction: Extraction) -> str:
    """One line of `vnfacts extract` output: the facts, with the document fields storage needs."""
    return json.dumps(extraction.to_json(document), ensure_ascii=False)


def read_extractions(paths: Iterable[str | Path], stdin: IO[str] | None = None) -> Iterator[tuple[Document, Extraction] | DocumentError]:
    """What `vnfacts extract` (or the Dask job) wrote, read back: each line's document and
    extraction. A line that cannot be stored becomes a DocumentError naming its id, file and line;
    the other lines go on. ``-`` reads standard input."""
    for path in paths:
        if str(path) == "-":
            yield from _extraction_lines(stdin if stdin is not None else sys.stdin, "<stdin>")
        elif Path(path).is_dir():
            yield DocumentError(str(path), "is a folder: name its files (FOLDER/part-*.jsonl)")
        else:
            try:
                with open(path, "rb") as f:
                    yield from _extraction_lines(f, str(path))
            except OSError as err:
                yield DocumentError(str(path), f"cannot read: {err.strerror}")


def _extraction_lines(lines: Iterable[bytes | str], name: str) -> Iterator[tuple[Document, Extraction] | DocumentError]:
    seen_any = False
    for lineno, line in enumerate(lines, 1):
        where = f"{name}:{lineno}"
        try:  # line by line, so that one damaged line costs only its own document
            text = line.decode("utf-8-sig") if isinstance(line, bytes) else line
        except UnicodeDecodeError as err:
            yield DocumentError(where, f"not UTF-8 text (byte {err.start}): {err.reason}")
            continue
        if text.strip():
            seen_any = True
            yield parse_extraction_line(text, where)
    if not seen_any:
        yield DocumentError(name, "empty input: no extracted documents")


# What an extract line holds besides the document's own fields.
_EXTRACTION_KEYS = ("entities", "events", "sentences", "document")


def parse_extraction_line(line: str, where: str) -> tuple[Document, Extraction] | DocumentError:
    """The document and extraction of one extract line, or why it cannot be stored."""
    try:
        obj = json_line(line, where)
    except DocumentError as err:
        return err
    if not isinstance(obj, dict):
        return DocumentError(where, f"expected a JSON object, got {type(obj).__name__}")
    doc_id = obj.get("id")

    def refused(message: str) -> DocumentError:
        named = doc_id not in (None, "")
        return DocumentError(str(doc_id) if named else where, f"{where}: {message}" if named else message)

    if "error" in obj:  # the Dask job's line for a document it could not extract
        return refused(f"not extracted: {obj['error']}")
    if "entities" not in obj:
        return refused("not a `vnfacts extract` line (no `entities`)")
    if "text" not in obj:
        return refused("no `text` (written by an older `vnfacts extract`? extract again)")
    try:
        document = document_from_json({k: v for k, v in obj.items() if k not in _EXTRACTION_KEYS}, where)
        extraction = Extraction.from_json(obj)
    except DocumentError as err:
        return refused(err.message)
    except ValueError as err:
        return refused(str(err))
    problem = _offsets_problem(document.text, extraction) or _facts_problem(extraction)
    return refused(problem) if problem else (document, extraction)


def _offsets_problem(text: str, extraction: Extraction) -> str | None:
    """Why the facts do not fit the text (they were extracted from another one), if they do not."""
    for i, e in enumerate(extraction.entities):
        if text[e.start:e.end] != e.text or not 0 <= e.start <= e.end:
            return f"entity {i}: `text` is not the document's text at [{e.start}, {e.end})"
    for i, (start, end) in enumerate(extraction.sentences):
        if not 0 <= start <= end <= len(text):
            return f"sentence {i}: [{start}, {end}) is outside the text"
    return None


_JSON_TYPES = {"string": lambda v: isinstance(v, str), "null": lambda v: v is None,
               "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
               "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
               "boolean": lambda v: isinstance(v, bool)}


def _sentence_problem(what: str, sentence, count: int) -> str | None:
    if sentence is not None and (isinstance(sentence, bool) or not 0 <= sentence < count):
        return f"{what}: sentence {sentence!r} is not one of the {count} sentences"
    return None


def _facts_problem(extraction: Extraction) -> str | None:
    """Why the facts cannot be stored as they are (norms not of their label's type, sentence indexes
    outside the sentences), if they cannot: such a line is refused, never stored half right."""
    count = len(extraction.sentences)
    for i, e in enumerate(extraction.entities):
        if e.label not in NORM_TYPES:
            return f"entity {i}: unknown label {e.label!r}"
        types = json_types(e.label)
        for key, value in e.norm.items():
            if key not in types:
                return f"entity {i}: `{key}` is no norm field of {e.label}"
            if not any(_JSON_TYPES[t](value) for t in types[key]):
                return f"entity {i}: norm `{key}` must be {' or '.join(types[key])}, got {type(value).__name__}"
        problem = _sentence_problem(f"entity {i}", e.sentence, count)
        if problem:
            return problem
    for i, ev in enumerate(extraction.events):
        problem = _sentence_problem(f"event {i}", ev.sentence, count)
        if problem:
            return problem
    return None
