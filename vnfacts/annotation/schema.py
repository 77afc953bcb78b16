"""The guide-format annotation record and its validation.

A document of ``annotations/*.jsonl`` is ``{"id", "text", "published", "source", "entities",
"events"}``; each entity is ``{"start", "end", "label", "text", "norm"}`` with offsets into
``text`` (Python ``str`` indices, end exclusive). :func:`check_document` lists every way a record
breaks the contract of ANNOTATION_GUIDE.md, so an import can name each problem instead of
silently dropping or repairing anything.
"""
from __future__ import annotations

import importlib.resources
import math
import reprlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from vnfacts.extractor.event_sentences import kind_types
from vnfacts.extractor.models import EVENT_TYPES, LABELS
from vnfacts.extractor.norms import json_types, optional_fields

EVENT_FIELDS_FILE = importlib.resources.files("vnfacts.annotation").joinpath("event_fields.yaml")


def is_integer(value: Any) -> bool:
    """A JSON integer: ``true`` is not one, although Python's bool is an int."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """A JSON number: an integer or a finite float (Python's json reads ``NaN`` and ``Infinity``)."""
    return is_integer(value) or (isinstance(value, float) and math.isfinite(value))


_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": is_integer,
    "number": is_number,
    "list of strings": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "null": lambda v: v is None,
}

# A value quoted in a message: short and shallow whatever it is, so that a message about a
# megabyte of nested lists is one readable line (and quoting it never recurses deeply).
_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother = 3, 80, 80
_BRIEF.maxlist = _BRIEF.maxdict = _BRIEF.maxtuple = 6


def brief(value: Any) -> str:
    """``repr(value)``, cut short for a message."""
    return _BRIEF.repr(value)


def id_name(value: Any) -> str:
    """An id as a message names it: a short string or an integer as it is, anything else quoted."""
    if is_integer(value) or (isinstance(value, str) and 0 < len(value) <= 100):
        return str(value)
    return brief(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an annotation, named by where it is: task, document and span."""

    where: str  # e.g. "task 12 (doc seed-001), span 40-52 ORG"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@lru_cache(maxsize=1)
def norm_fields() -> dict[str, Any]:
    """The JSON types of every label's norm fields (from the norm types, vnfacts.extractor.norms: the
    guide's fields under ``labels``, the extractor's additions under ``optional``) and of the event
    record (``event``, from ``event_fields.yaml``)."""
    with EVENT_FIELDS_FILE.open("r", encoding="utf-8") as f:
        event_spec = yaml.safe_load(f)
    events, event_optional = event_spec["event"], event_spec.get("event_optional") or {}
    labels = {label: json_types(label, include_optional=False) for label in LABELS}
    optional = {label: {k: v for k, v in json_types(label).items() if k in optional_fields(label)}
                for label in LABELS if optional_fields(label)}
    return {"labels": labels, "optional": optional, "event": events, "event_optional": event_optional}


def empty_norm(label: str) -> dict[str, Any]:
    """A norm with every field of ``label`` set to null: the template for a span added by hand."""
    return {name: None for name in norm_fields()["labels"][label]}


def _check_fields(record: Any, spec: dict[str, list[str]], where: str, what: str,
                  optional: dict[str, list[str]] | None = None) -> list[Problem]:
    if not isinstance(record, dict):
        return [Problem(where, f"{what} must be a JSON object, got {brief(record)}")]
    problems = []
    missing = [k for k in spec if k not in record]
    spec = {**spec, **(optional or {})}
    extra = [k for k in record if k not in spec]
    if missing:
        problems.append(Problem(where, f"{what} lacks field(s) {', '.join(missing)}"))
    if extra:
        problems.append(Problem(where, f"{what} has unknown field(s) {', '.join(extra)} "
                                       f"(allowed: {', '.join(spec)})"))
    for key, allowed in spec.items():
        if key in record and not any(_TYPE_CHECKS[t](record[key]) for t in allowed):
            problems.append(Problem(where, f"{what} field {key!r} is {brief(record[key])}; expected {' or '.join(allowed)}"))
    return problems


def span_name(entity: dict[str, Any]) -> str:
    start, end, label = (entity.get(k) for k in ("start", "end", "label"))
    offsets = "-".join(str(v) if is_integer(v) or v is None else brief(v) for v in (start, end))
    return f"span {offsets} {label if isinstance(label, str) else brief(label)}"


def check_entities(text: str, entities: list[dict[str, Any]], where: str) -> list[Problem]:
    """Offsets inside the text, span text equal to the text at those offsets, known labels,
    the label's norm fields, and no two spans overlapping."""
    problems: list[Problem] = []
    labels = norm_fields()["labels"]
    placed: list[tuple[int, int, str]] = []
    for entity in entities:
        if not isinstance(entity, dict):
            problems.append(Problem(where, f"an entity must be a JSON object, got {brief(entity)}"))
            continue
        at = f"{where}, {span_name(entity)}"
        start, end, label = entity.get("start"), entity.get("end"), entity.get("label")
        known_label = isinstance(label, str) and label in labels
        if not known_label:
            problems.append(Problem(at, f"unknown label {brief(label)} (the guide's labels: {', '.join(labels)})"))
        if not (is_integer(start) and is_integer(end)):
            problems.append(Problem(at, f"offsets must be integers, got {brief(start)} and {brief(end)}"))
        elif not 0 <= start < end <= len(text):
            problems.append(Problem(at, f"offsets outside the text or empty (text has {len(text)} characters)"))
        elif entity.get("text") != text[start:end]:
            problems.append(Problem(at, f"span text {brief(entity.get('text'))} differs from the document's "
                                        f"text at these offsets {brief(text[start:end])}"))
        else:
            placed.append((start, end, span_name(entity)))
        if known_label:
            optional = (norm_fields().get("optional") or {}).get(label)
            problems.extend(_check_fields(entity.get("norm"), labels[label], at, "norm", optional))
        extra = set(entity) - {"start", "end", "label", "text", "norm"}
        if extra:
            problems.append(Problem(at, f"unknown entity field(s) {', '.join(sorted(extra))}"))
    placed.sort()
    for (s1, e1, n1), (s2, e2, n2) in zip(placed, placed[1:]):
        if s2 < e1:
            problems.append(Problem(f"{where}, {n2}", f"overlaps {n1} (spans never overlap)"))
    return problems


def check_events(events: Any, where: str) -> list[Problem]:
    if not isinstance(events, list):
        return [Problem(where, f"events must be a JSON list, got {type(events).__name__}")]
    spec = norm_fields()["event"]
    problems = []
    for i, event in enumerate(events):
        at = f"{where}, event {i}"
        problems.extend(_check_fields(event, spec, at, "event", norm_fields()["event_optional"]))
        if isinstance(event, dict) and event.get("type") not in EVENT_TYPES:
            problems.append(Problem(at, f"unknown event type {brief(event.get('type'))} (allowed: {', '.join(EVENT_TYPES)})"))
        kind = event.get("kind") if isinstance(event, dict) else None
        if isinstance(kind, str) and kind_types().get(kind) != event.get("type"):
            problems.append(Problem(at, f"kind {brief(kind)} is not a kind of type {brief(event.get('type'))} "
                                        f"(kinds: extractor/data/event_kinds.yaml)"))
    return problems


def check_document(doc: Any, where: str | None = None) -> list[Problem]:
    """Every problem of one guide-format document."""
    if not isinstance(doc, dict):
        return [Problem(where or "document", f"a document must be a JSON object, got {brief(doc)}")]
    where = where or f"doc {id_name(doc.get('id'))}"
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        return [Problem(where, "missing document `id`")]
    if not isinstance(doc.get("text"), str):
        return [Problem(where, "missing document `text`")]
    if not isinstance(doc.get("entities"), list):
        return [Problem(where, "`entities` must be a list")]
    problems = [Problem(where, f"`{key}` must be a string or null, got {brief(doc[key])}")
                for key in ("published", "source") if doc.get(key) is not None and not isinstance(doc[key], str)]
    return problems + check_entities(doc["text"], doc["entities"], where) + check_events(doc.get("events", []), where)
