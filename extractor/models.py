"""Small typed models shared by every stage: documents in, spans, entities and events out."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

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
        return asdict(self)


@dataclass
class Event:
    """An event the article reports as taking place (the guide's event record)."""

    type: str
    date: str | None = None
    province: str | None = None
    location: str | None = None
    organizers: list[str] = field(default_factory=list)
    legal_refs: list[str] = field(default_factory=list)
    participants: int | None = None
    sentence: int | None = None  # the sentence the event was read from

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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
        return {**asdict(self), "year": self.year}


@dataclass
class Extraction:
    """Everything extracted from one document: one line of `vnfacts extract` output."""

    id: str
    entities: list[Entity]
    events: list[Event]
    sentences: list[tuple[int, int]]  # [start, end) of each sentence in the input text
    document: DocumentFacts | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "entities": [e.to_json() for e in self.entities],
            "events": [e.to_json() for e in self.events],
            "sentences": [list(s) for s in self.sentences],
        }
        if self.document is not None:
            out["document"] = self.document.to_json()
        return out
