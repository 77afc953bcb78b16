"""Assemble the extraction pipeline from ``data/pipeline.yaml`` and run it on documents.

The config lists the stages in order, each named and given as ``module:function``. Every stage
function declares what it reads and writes (:func:`vnfacts.extractor.context.stage`), and the
pipeline checks at start-up that each requirement is assigned by an earlier stage: a config that
leaves one out fails with a message naming the stage and what it lacks. The kinds of stage:

- a *finder* returns :class:`~vnfacts.extractor.models.Span` objects on the canonical text for its
  one context field (``places``, ``dates``...);
- *settle* keeps non-overlapping spans (the guide: spans never overlap, the longer, more specific
  span wins) into ``ctx.spans``;
- a *resolver* completes the kept spans' norms with what the whole document says (a bare
  ``Quyết định 1533`` takes the code written elsewhere);
- a *step* sets its fields itself (the document stage: the article's date and province);
- the *event linker* reads the kept spans and returns the document's events.

Finally offsets go back to the input text exactly as given, and each fact names its sentence.
"""
from __future__ import annotations

import importlib
import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

from .clean import clean_text
from .context import SPAN_FIELDS, TEXT_FIELDS, Context, StageSpec, stage
from .models import Document, Entity, Event, Extraction, Span
from .norms import norm_dict
from .resources import load_data
from .sentences import sentence_index, split_sentences
from .spans import keep_longest
from .work import count


class DocumentError(Exception):
    """A document that cannot be processed; carries its id so the caller can name it."""

    def __init__(self, doc_id: str | None, message: str):
        super().__init__(f"{doc_id or '?'}: {message}")
        self.doc_id = doc_id
        self.message = message


class PipelineConfigError(ValueError):
    """A pipeline config that cannot run: an unknown stage, or a requirement no earlier stage assigns."""


def _resolve_ref(ref: str) -> Callable:
    module, _, name = ref.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as err:
        raise PipelineConfigError(f"cannot load stage {ref!r}: {err}") from None


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable
    spec: StageSpec
    settings: dict[str, Any]


def _check_graph(stages: list[Stage]) -> None:
    """Every requirement assigned by an earlier stage, nothing assigned twice."""
    assigned: dict[str, str] = {f: "the text layer" for f in TEXT_FIELDS}
    for st in stages:
        for need in st.spec.requires:
            if need not in assigned:
                raise PipelineConfigError(
                    f"stage {st.name!r} requires {need!r}, which no earlier stage assigns: "
                    f"put the stage that assigns it before {st.name!r}, or remove {st.name!r}")
        for out in st.spec.assigns:
            if out in assigned:
                raise PipelineConfigError(f"stages {assigned[out]!r} and {st.name!r} both assign {out!r}")
            assigned[out] = st.name


@dataclass
class Pipeline:
    stages: list[Stage]
    label_priority: list[str]
    warm: bool = False  # every stage has run once in this process (warm_up)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Pipeline":
        settings = config.get("settings") or {}
        stages = []
        for name, ref in (config.get("stages") or {}).items():
            func = _resolve_ref(ref)
            spec = getattr(func, "stage", None)
            if spec is None:
                raise PipelineConfigError(f"{ref!r} (stage {name!r}) is not declared as a stage (@stage)")
            stages.append(Stage(name, func, spec, dict(settings.get(name) or {})))
        _check_graph(stages)
        return cls(stages=stages, label_priority=list(config.get("label_priority") or []))

    def __call__(self, doc: Document) -> Extraction:
        return self.extract(doc)

    def context(self, doc: Document, until: str | None = None) -> Context:
        """The document's context after every stage before ``until`` (all of them without it)."""
        if not isinstance(doc.text, str):
            raise DocumentError(doc.id, "`text` must be a string")
        ctx = new_context(doc)
        for st in self.stages:
            if st.name == until:
                break
            run_stage(st, ctx, self.label_priority)
        return ctx

    def extract(self, doc: Document) -> Extraction:
        ctx = self.context(doc)
        return to_extraction(doc, ctx, ctx.spans if ctx.spans is not None else settled(ctx, self.label_priority),
                             ctx.events or [])


def new_context(doc: Document) -> Context:
    """The text layer of a document: canonical text, sentences, and the date it says it was published."""
    clean = clean_text(doc.text)
    dateline = None if doc.published else find_dateline(clean.text)
    return Context(doc=doc, clean=clean, sentences=split_sentences(clean.text), published=doc.published or dateline,
                   published_source="published" if doc.published else "dateline" if dateline else None)


def run_stage(st: Stage, ctx: Context, label_priority: list[str]) -> None:
    kind = st.spec.kind
    if kind == "finder":
        setattr(ctx, st.spec.assigns[0], st.func(ctx, **st.settings))
    elif kind == "settle":
        ctx.spans = st.func(ctx, label_priority)
    elif kind == "resolver":
        ctx.spans = st.func(ctx.spans, ctx, **st.settings)
    elif kind == "events":
        ctx.events = st.func(ctx.spans, ctx, **st.settings)
    else:
        st.func(ctx, **st.settings)


@stage("settle", requires=(), assigns="spans")
def settled(ctx: Context, label_priority: list[str]) -> list[Span]:
    """Every finder's spans so far, overlaps settled (:func:`settle_overlaps`)."""
    found = [s for name in SPAN_FIELDS for s in (getattr(ctx, name) or ())]
    return settle_overlaps(found, label_priority)


def _drop_crossing(spans: list[Span], rank: dict[str, int]) -> list[Span]:
    """Of two spans that cross (overlap, neither holding the other), keep the one of the
    higher-priority label: "ban hành Quyết định số 464" read as an ORG must not eat the
    LEGAL_REF "Quyết định số 464/BNV". Containment is left to the longer-span rule."""
    by_start = sorted(spans, key=lambda s: (s.start, -s.end))
    dropped: set[int] = set()
    compared = 0
    for i, a in enumerate(by_start):
        for k in range(i + 1, len(by_start)):  # (not a slice: copying the rest each time was quadratic)
            b = by_start[k]
            if b.start >= a.end:
                break
            compared += 1
            if b.end > a.end and b.start > a.start:  # crossing
                worse = b if (rank.get(b.label, len(rank)), -len(b)) > (rank.get(a.label, len(rank)), -len(a)) else a
                dropped.add(id(worse))
    count("settle.compared", compared)
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
                               norm=norm_dict(span.label, span.norm), sentence=sentence_index(ctx.sentences, span.start)))
    return Extraction(id=doc.id, entities=entities, events=events, sentences=sentences, document=ctx.document)


# A dateline near the top of an article: "Minh Quân 22/12/2022 10:46", "Thứ Năm, 22/12/2022",
# "Ngày đăng: 28/03/2018", "Hà Nội, 22/12/2022 - ...": a full date with a clock time after it,
# ending a short line, or after a place at the start of a line and before a dash. A date inside a
# sentence ("Nghị quyết 01/NQ-CP ngày 1/1/2017", "Dự kiến ngày 1/9/2018") is no dateline.
_DATELINE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")
_DATELINE_TIME = re.compile(r"\s*(?:[-|,]\s*)?\d{1,2}\s*[:h]\s*\d\d")
_DATELINE_PLACE = re.compile(r"^\s*\(?[^\W\d][^\n,.;:!?()]{0,30}\)?,\s*$")
_DATELINE_DASH = re.compile(r"\s*[-–|]\s")
_DATELINE_LINE = 40  # characters: a byline or dateline line, not a sentence


def find_dateline(text: str) -> str | None:
    """ISO date of the first dateline in the first 400 characters, if it is a valid date."""
    for m in _DATELINE.finditer(text[:400]):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        ends_short_line = not text[m.end():line_end].strip() and line_end - line_start <= _DATELINE_LINE
        after_place = _DATELINE_PLACE.match(text[line_start:m.start()]) and _DATELINE_DASH.match(text, m.end())
        if _DATELINE_TIME.match(text, m.end()) or ends_short_line or after_place:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


@lru_cache(maxsize=1)
def configured_pipeline() -> Pipeline:
    """The pipeline described by ``extractor/data/pipeline.yaml``."""
    return Pipeline.from_config(load_data("pipeline.yaml"))


@lru_cache(maxsize=1)
def rules_pipeline() -> Pipeline:
    """The configured pipeline without the statistical model, whatever its settings say
    (`vnfacts extract --no-model`)."""
    from .ner_model import pipeline_config

    return Pipeline.from_config(pipeline_config(load_data("pipeline.yaml"), None))


_CHOSEN: list[Pipeline] = []  # the pipeline a command chose for this process, if any


def choose_pipeline(pipeline: Pipeline | None) -> None:
    """Make ``pipeline`` what :func:`default_pipeline` gives in this process (None: the configured one
    again): a command's choice (`--no-model`) reaches every document it extracts."""
    _CHOSEN[:] = [pipeline] if pipeline is not None else []


def default_pipeline() -> Pipeline:
    """The pipeline a command chose (:func:`choose_pipeline`), else the configured one."""
    return _CHOSEN[0] if _CHOSEN else configured_pipeline()


def extract(doc: Document) -> Extraction:
    """Extract the facts of one document with the default pipeline."""
    return default_pipeline().extract(doc)


# The time one document may take: enough for the largest documents the tests and benchmarks run
# (5 MB in under a minute here) several times over, so that only a runaway stage hits it.
BUDGET_SECONDS = 30.0
BUDGET_SECONDS_PER_CHAR = 20e-6


class BudgetExceeded(BaseException):
    """A document took longer than its budget. A BaseException, as KeyboardInterrupt is: it is
    raised wherever the alarm finds the document (inside a cache read, a library call), and a
    handler there that catches Exception to recover from its own errors must not swallow it, or
    the document would run on unbounded (the alarm goes off once)."""


def budget_for(text: str) -> float:
    return BUDGET_SECONDS + BUDGET_SECONDS_PER_CHAR * len(text)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in the block after ``seconds`` (SIGALRM: main thread only;
    elsewhere, as in a Dask worker's thread, the block runs unbounded)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    # The alarm goes off again every _REFIRE seconds until the block ends: a raise can be lost (in
    # code that swallows every exception, or where Python ignores one, as in a finalizer), and a
    # document then ran on unbounded (a fresh-clone run saw the 1.3 MB `slow` document of
    # test_extract_jobs finish within a 0.2 s budget).
    active = [True]

    def on_alarm(signum, frame):
        if active[0]:
            raise BudgetExceeded()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REFIRE)
    try:
        yield
    finally:
        while True:  # a re-fire landing here, before the flag is down, must not skip the clean-up
            try:
                active[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except BudgetExceeded:
                continue


_REFIRE = 0.25  # seconds between the budget's alarms once it has run out


_WARM_TEXT = "Ngày 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức hội nghị về Quyết định số 1438/QĐ-TTg với 120 đại biểu."


def warm_up(pipeline: Pipeline) -> None:
    """Run every stage once, outside any budget: the imports and data files the stages load on first
    use must never be cut off halfway by a budget (a module interrupted while importing stays broken).
    What only some documents need (spaCy and the events classifier, for a sentence the rules leave
    undecided) loads when first needed, shielded from the budget (``resources.unbroken_by_alarms``)."""
    if not pipeline.warm:
        pipeline.extract(Document("warm-up", _WARM_TEXT))
        pipeline.warm = True


def extract_many(docs: Iterable[Document | DocumentError],
                 budget: float | None = None) -> Iterator[Extraction | DocumentError]:
    """Extract each document; a failure yields a :class:`DocumentError` and the run goes on. Each
    document has a time budget (``budget`` seconds, else :func:`budget_for` its length): one that
    runs over is reported and skipped, never allowed to hang the run."""
    pipeline = default_pipeline()
    warm_up(pipeline)
    for doc in docs:
        if isinstance(doc, DocumentError):
            yield doc
            continue
        seconds = budget or (budget_for(doc.text) if isinstance(doc.text, str) else None)
        try:
            with time_budget(seconds):
                result = pipeline.extract(doc)
        except BudgetExceeded:
            yield DocumentError(doc.id, f"extraction took longer than its budget of {seconds:.0f} s; the document "
                                        f"is skipped (report it: a stage should not be that slow)")
            continue
        except DocumentError as err:
            yield err
            continue
        except Exception as err:  # a bug in one stage must not lose the other documents
            yield DocumentError(doc.id, f"extraction failed: {type(err).__name__}: {err}")
            continue
        yield result
