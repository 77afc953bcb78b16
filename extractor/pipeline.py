"""Assemble the extraction pipeline from ``data/pipeline.yaml`` and run it on documents.

Every stage is a plain public function, named in the config as ``module:function``:

- a *finder* takes a :class:`Context` and returns :class:`~vnfacts.extractor.models.Span` objects on the
  canonical text;
- overlapping spans are settled by :func:`settle_overlaps` (the guide: spans never overlap, the
  longer, more specific span wins);
- a *resolver* takes the kept spans and the context and completes their norms with what the whole
  document says (a bare ``Quyết định 1533`` takes the code written elsewhere);
- the *event linker* reads the kept spans and returns the document's events.

Finally offsets go back to the input text exactly as given, and each fact names its sentence.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

from .clean import CleanText, clean_text
from .models import Document, Entity, Event, Extraction, Span
from .resources import load_data
from .sentences import sentence_index, split_sentences
from .spans import keep_longest


class DocumentError(Exception):
    """A document that cannot be processed; carries its id so the caller can name it."""

    def __init__(self, doc_id: str | None, message: str):
        super().__init__(f"{doc_id or '?'}: {message}")
        self.doc_id = doc_id
        self.message = message


@dataclass
class Context:
    """What every stage may read about the document being processed."""

    doc: Document
    clean: CleanText
    sentences: list[tuple[int, int]]  # canonical offsets
    published: str | None  # ISO date of publication (input's `published`, else a dateline)
    cache: dict[str, Any] = field(default_factory=dict)  # stage-to-stage scratch space

    @property
    def text(self) -> str:
        return self.clean.text

    @property
    def folded(self) -> str:
        return self.clean.folded

    def sentence_of(self, offset: int) -> tuple[int, int] | None:
        i = sentence_index(self.sentences, offset)
        return None if i is None else self.sentences[i]


def _resolve_ref(ref: str) -> Callable:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class Pipeline:
    finders: dict[str, Callable[[Context], list[Span]]]
    resolvers: dict[str, Callable[[list[Span], Context], list[Span]]]
    events: Callable[[list[Span], Context], list[Event]] | None
    label_priority: list[str]

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Pipeline":
        return cls(
            finders={k: _resolve_ref(v) for k, v in (config.get("finders") or {}).items()},
            resolvers={k: _resolve_ref(v) for k, v in (config.get("resolvers") or {}).items()},
            events=_resolve_ref(config["events"]) if config.get("events") else None,
            label_priority=list(config.get("label_priority") or []),
        )

    def __call__(self, doc: Document) -> Extraction:
        return self.extract(doc)

    def extract(self, doc: Document) -> Extraction:
        if not isinstance(doc.text, str):
            raise DocumentError(doc.id, "`text` must be a string")
        clean = clean_text(doc.text)
        sentences = split_sentences(clean.text)
        published = doc.published or find_dateline(clean.text)
        ctx = Context(doc=doc, clean=clean, sentences=sentences, published=published)
        spans: list[Span] = []
        for finder in self.finders.values():
            spans.extend(finder(ctx))
        spans = settle_overlaps(spans, self.label_priority)
        for resolver in self.resolvers.values():
            spans = resolver(spans, ctx)
        events = self.events(spans, ctx) if self.events else []
        return to_extraction(doc, ctx, spans, events)


def _drop_crossing(spans: list[Span], rank: dict[str, int]) -> list[Span]:
    """Of two spans that cross (overlap, neither holding the other), keep the one of the
    higher-priority label: "ban hành Quyết định số 464" read as an ORG must not eat the
    LEGAL_REF "Quyết định số 464/BNV". Containment is left to the longer-span rule."""
    by_start = sorted(spans, key=lambda s: (s.start, -s.end))
    dropped: set[int] = set()
    for i, a in enumerate(by_start):
        for b in by_start[i + 1:]:
            if b.start >= a.end:
                break
            if b.end > a.end and b.start > a.start:  # crossing
                worse = b if (rank.get(b.label, len(rank)), -len(b)) > (rank.get(a.label, len(rank)), -len(a)) else a
                dropped.add(id(worse))
    return [s for s in spans if id(s) not in dropped]


def settle_overlaps(spans: Iterable[Span], label_priority: list[str]) -> list[Span]:
    """Keep non-overlapping spans: crossing spans by label priority, then the longer first, then
    by label priority, then the earlier."""
    rank = {label: i for i, label in enumerate(label_priority)}
    return keep_longest(_drop_crossing(list(spans), rank), tie_break=lambda s: rank.get(s.label, len(rank)))


def to_extraction(doc: Document, ctx: Context, spans: list[Span], events: list[Event]) -> Extraction:
    """Map spans back to the input's offsets and attach sentence provenance."""
    clean = ctx.clean
    sentences = [clean.to_original(s, e) for s, e in ctx.sentences]
    entities = []
    for span in spans:
        start, end = clean.to_original(span.start, span.end)
        entities.append(Entity(start=start, end=end, label=span.label, text=doc.text[start:end],
                               norm=span.norm, sentence=sentence_index(ctx.sentences, span.start)))
    return Extraction(id=doc.id, entities=entities, events=events, sentences=sentences)


# A dateline near the top of an article: "Minh Quân 22/12/2022 10:46" or "Thứ Năm, 22/12/2022".
_DATELINE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")


def find_dateline(text: str) -> str | None:
    """ISO date of the first full dd/mm/yyyy date in the first 400 characters, if it is valid."""
    for m in _DATELINE.finditer(text[:400]):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The pipeline described by ``extractor/data/pipeline.yaml``."""
    return Pipeline.from_config(load_data("pipeline.yaml"))


def extract(doc: Document) -> Extraction:
    """Extract the facts of one document with the default pipeline."""
    return default_pipeline().extract(doc)


def extract_many(docs: Iterable[Document | DocumentError]) -> Iterator[Extraction | DocumentError]:
    """Extract each document; a failure yields a :class:`DocumentError` and the run goes on."""
    pipeline = default_pipeline()
    for doc in docs:
        if isinstance(doc, DocumentError):
            yield doc
            continue
        try:
            yield pipeline.extract(doc)
        except DocumentError as err:
            yield err
        except Exception as err:  # a bug in one stage must not lose the other documents
            yield DocumentError(doc.id, f"extraction failed: {type(err).__name__}: {err}")
