"""What the pipeline's stages share: the document's context, with one typed field per result, and
the declaration by which a stage says what it reads and what it writes.

Like spaCy's components (``requires=`` / ``assigns=``), each stage declares the context fields it
needs and the ones it fills; :mod:`vnfacts.extractor.pipeline` checks at start-up that every
requirement is assigned by an earlier stage, so removing a stage from the config either removes
its results or fails with a message, and no stage ever computes another's results behind its back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from .clean import CleanText
from .models import Document, DocumentFacts, Event, Span
from .sentences import sentence_index

# Fields every context has from the start (the text layer).
TEXT_FIELDS = ("doc", "clean", "sentences", "published")
# Fields that hold one finder's spans; the `settle` stage reads those that were filled.
SPAN_FIELDS = ("legal_refs", "programs", "dates", "places", "orgs", "model_entities", "figures")


@dataclass
class Context:
    """The document being processed: its text layer, then each stage's results in a typed field."""

    doc: Document
    clean: CleanText
    sentences: list[tuple[int, int]]  # canonical offsets
    published: str | None  # ISO date of publication: the input's `published`, else a dateline
    published_source: str | None = None  # "published" or "dateline"
    # one finder's spans each (canonical offsets), None until the stage that assigns it has run
    legal_refs: list[Span] | None = None
    programs: list[Span] | None = None
    dates: list[Span] | None = None
    places: list[Span] | None = None
    orgs: list[Span] | None = None
    model_predictions: list[tuple[int, int, str, str]] | None = None  # the statistical model's (start, end, label, source)
    model_entities: list[Span] | None = None
    figures: list[Span] | None = None
    document: DocumentFacts | None = None  # the article's date and province (vnfacts.extractor.document)
    spans: list[Span] | None = None  # every finder's spans, overlaps settled, norms resolved
    events: list[Event] | None = None
    memo: dict = field(default_factory=dict)  # a stage's own per-document memo, keyed by that stage

    @property
    def text(self) -> str:
        return self.clean.text

    @property
    def folded(self) -> str:
        return self.clean.folded

    @cached_property
    def without_diacritics(self) -> bool:
        """True for text typed without diacritics: then words are recognised by their folded form
        (elsewhere that would confuse "Nam" with "năm", "thu" with "thứ"). Vietnamese written with
        diacritics has a marked letter in nearly every word; quotes and bullets are far rarer."""
        text = self.clean.text
        non_ascii = len(text) - len(text.encode("ascii", "ignore"))
        return non_ascii < 0.02 * len(text)

    def sentence_of(self, offset: int) -> tuple[int, int] | None:
        i = sentence_index(self.sentences, offset)
        return None if i is None else self.sentences[i]


@dataclass(frozen=True)
class StageSpec:
    """What a stage function reads and writes. ``kind``: ``finder`` (ctx -> spans for its one
    assigned field), ``resolver`` (spans, ctx -> spans), ``events`` (spans, ctx -> events) or
    ``step`` (ctx -> None, setting its assigned fields itself)."""

    kind: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


def stage(kind: str, assigns: tuple[str, ...] | str, requires: tuple[str, ...] | str = ()) -> Callable:
    """Declare a function a pipeline stage (attaches a :class:`StageSpec` as ``func.stage``)."""
    as_tuple = (lambda v: (v,) if isinstance(v, str) else tuple(v))

    def mark(func: Callable) -> Callable:
        func.stage = StageSpec(kind, as_tuple(requires), as_tuple(assigns))
        return func
    return mark
