"""Small typed models shared by every stage: documents in, spans, entities and events out."""
from __future__ import annotations

import copy
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from functools import lru_cache
from typing import Any

_PLAIN = frozenset({str, int, float, bool, type(None)})


def as_record(obj) -> dict[str, Any]:
    """``dataclasses.asdict(obj)``, without its deep copy of every plain value: each JSON line is
    built from these (asdict was a fifth of the time of writing an extraction). Lists, tuples,
    dicts and records inside are copied as asdict copies them."""
    return {name: _copied(getattr(obj, name)) for name in _field_names(type(obj))}


@lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _copied(value):
    if value.__class__ in _PLAIN:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return as_record(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_copied(v) for v in value)
    if isinstance(value, dict):
        return {_copied(k): _copied(v) for k, v in value.items()}
    return copy.deepcopy(value)


LABELS = ("LEGAL_REF", "PROGRAM", "DATE", "FIGURE", "ORG", "LOC")
EVENT_TYPES = ("hoi_nghi", "tap_huan", "hoi_thao", "so_ket", "ky_ket", "le", "khac")


@dataclass
class Document:
    """One article as `vnfacts extract` reads it."""

    id: str
    text: str
    published: str | None = None  # ISO date, when known
    title: str | None = None
    url: str | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def stored_fields(self) -> dict[str, Any]:
        """What storage keeps of the input besides its facts: the text, and the title, url,
        published date, source, licence and crawl time (``fetched_at``, `vnfacts articles`) the input
        gave (absent ones left out), so `load --extracted` stores what `load` does."""
        fields = {"text": self.text, "title": self.title, "url": self.url, "published": self.published,
                  "source": self.source, "licence": self.extra.get("licence") or self.extra.get("license"),
                  "fetched_at": self.extra.get("fetched_at")}
        return {k: v for k, v in fields.items() if v is not None}


@dataclass
class Span:
    """A fact found on the canonical text (offsets into ``CleanText.text``)."""

    start: int
    end: int
    label: str
    norm: dict[str, Any]  # the label's norm fields only (vnfacts.extractor.norms)
    source: str = "rules"  # which component found it: rules, model, gazetteer...
    scratch: dict[str, Any] = field(default_factory=dict)  # a finder's working data, never output

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Entity:
    """A fact with its provenance, offsets into the input text exactly as given."""

    start: int
    end: int
    label: str
    text: str
    norm: dict[str, Any]
    sentence: int | None = None  # index into Extraction.sentences

    def to_json(self) -> dict[str, Any]:
        return as_record(self)


@dataclass
class Event:
    """An event the article reports as taking place (the guide's event record)."""

    type: str
    kind: str | None = None  # the finer kind, a short Vietnamese label (data/event_kinds.yaml)
    date: str | None = None
    province: str | None = None
    location: str | None = None
    organizers: list[str] = field(default_factory=list)
    legal_refs: list[str] = field(default_factory=list)
    participants: int | None = None
    sentence: int | None = None  # the sentence the event was read from

    def to_json(self) -> dict[str, Any]:
        return as_record(self)


@dataclass
class DocumentFacts:
    """What the article as a whole is: when it speaks from and which province it is about, each with
    where it came from. Decided once, by :mod:`vnfacts.extractor.document`; every later stage and
    storage read it."""

    date: str | None = None  # ISO day, month or year
    date_source: str | None = None  # published | dateline | first_date | lead_year | dated_facts
    province: str | None = None  # as at the article's date (before the 2025 merger: the old province)
    province_today: str | None = None  # the province it belongs to since the merger of 1 July 2025
    province_evidence: str | None = None  # lead (the only one the lead names) | most_named (2x any other)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None

    def to_json(self) -> dict[str, Any]:
        return {**as_record(self), "year": self.year}


@dataclass
class Extraction:
    """Everything extracted from one document: one line of `vnfacts extract` output."""

    id: str
    entities: list[Entity]
    events: list[Event]
    sentences: list[tuple[int, int]]  # [start, end) of each sentence in the input text
    document: DocumentFacts | None = None

    def to_json(self, document: Document | None = None) -> dict[str, Any]:
        """The JSON line; given the ``document`` it was extracted from, the line also carries the
        document's stored fields, so that storage needs nothing else (`vnfacts load --extracted`)."""
        out = {
            "id": self.id,
            "entities": [e.to_json() for e in self.entities],
            "events": [e.to_json() for e in self.events],
            "sentences": [list(s) for s in self.sentences],
        }
        if self.document is not None:
            out["document"] = self.document.to_json()
        if document is not None:
            out.update(document.stored_fields())
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> "Extraction":
        """The extraction of one JSON line (:meth:`to_json`'s inverse; document fields are ignored).

        Raises ValueError naming the first field that is missing or of the wrong type, so a
        damaged line is refused before it reaches storage."""
        for key, kind in (("entities", list), ("events", list), ("sentences", list)):
            if not isinstance(obj.get(key), kind):
                raise ValueError(f"`{key}` must be a list")
        entities = [_from_json(Entity, e, _ENTITY_FIELDS, f"entity {i}") for i, e in enumerate(obj["entities"])]
        events = [_from_json(Event, e, _EVENT_FIELDS, f"event {i}") for i, e in enumerate(obj["events"])]
        for i, sentence in enumerate(obj["sentences"]):
            if not (isinstance(sentence, list) and len(sentence) == 2 and all(isinstance(n, int) for n in sentence)):
                raise ValueError(f"sentence {i} must be [start, end]")
        facts = obj.get("document")
        if facts is not None:
            if not isinstance(facts, dict):
                raise ValueError("`document` must be an object")
            facts = _from_json(DocumentFacts, {k: v for k, v in facts.items() if k != "year"}, _DOCUMENT_FIELDS,
                               "document")
        return cls(id=str(obj["id"]), entities=entities, events=events,
                   sentences=[(s, e) for s, e in obj["sentences"]], document=facts)


_OPTIONAL_TEXT = (str, type(None))
_OPTIONAL_INT = (int, type(None))
# The JSON types storage relies on, field by field (what to_json writes).
_ENTITY_FIELDS: dict[str, Any] = {"start": int, "end": int, "label": str, "text": str, "norm": dict,
                                  "sentence": _OPTIONAL_INT}
_DOCUMENT_FIELDS: dict[str, Any] = {"date": _OPTIONAL_TEXT, "date_source": _OPTIONAL_TEXT, "province": _OPTIONAL_TEXT,
                                    "province_today": _OPTIONAL_TEXT, "province_evidence": _OPTIONAL_TEXT}
_EVENT_FIELDS: dict[str, Any] = {"type": str, "kind": _OPTIONAL_TEXT, "date": _OPTIONAL_TEXT, "province": _OPTIONAL_TEXT,
                                 "location": _OPTIONAL_TEXT, "organizers": list, "legal_refs": list,
                                 "participants": object, "sentence": _OPTIONAL_INT}


def _from_json(cls, obj: Any, types: dict[str, Any], what: str):
    """``cls(**obj)``, refusing what is not an object of exactly these fields and types."""
    if not isinstance(obj, dict):
        raise ValueError(f"{what} must be an object")
    for key, value in obj.items():
        if key not in types:
            raise ValueError(f"{what}: unknown field `{key}`")
        if not isinstance(value, types[key]) or (types[key] is list and not all(isinstance(v, _OPTIONAL_TEXT) for v in value)):
            raise ValueError(f"{what}: `{key}` has the wrong type ({type(value).__name__})")
    missing = [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
               and f.name not in obj]
    if missing:
        raise ValueError(f"{what}: missing `{missing[0]}`")
    return cls(**obj)
