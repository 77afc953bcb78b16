"""The trained ORG/LOC model and the optional transformers backend, as pipeline stages.

``ner_model_predict`` (:func:`predict_entities`) runs the model its settings in
``extractor/data/pipeline.yaml`` name::

    settings:
      ner_model_predict:
        backend: spacy            # or: transformers
        path: models/orgloc       # in the vnfacts home, or absolute; null: no model
        labels: [ORG, LOC]

and the predictions are used in one of two ways, by the stages the config lists after it:
``ner_model`` (:func:`join_entities`, after the rules' ``places`` and ``orgs``) adds the model's
spans where the rules found nothing; ``model_places`` and ``model_orgs`` stand in for the
``places`` and ``orgs`` finders (the model alone). :func:`pipeline_config` writes either config.

``backend: spacy`` loads a model that ``vnfacts train`` built (extractor/train.py): a blank
multilingual (``xx``) spaCy pipeline with this project's tokenizer (registered by name as
``vnfacts.tokenizer.v1``, so the saved ``config.cfg`` refers to it) and an ``ner`` component.
``backend: transformers`` loads a token-classification checkpoint (a fine-tuned PhoBERT, say)
from a local folder with ``local_files_only``: nothing is ever downloaded. Its labels are the
checkpoint's ``id2label`` in BIO form (``B-ORG``, ``I-LOC``...).

Both return spans on the canonical text; their norms come from the same code as the rules'
(:mod:`vnfacts.extractor.orgs`, :mod:`vnfacts.extractor.places`). spaCy and torch are imported only here, and
only when a model is configured.
"""
from __future__ import annotations

import bisect
import os
import re

import regex
import sys
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from .models import Span
from .context import stage
from .resources import MissingDataError, load_data, unbroken_by_alarms, user_path

# Characters the tokenizer always splits at, even with no space around them (`học;chương`,
# `2022,UBND`, `TP.HCMcùng`): so that every annotated span starts and ends on a token boundary.
INFIX_CHARS = r"""[\.,;:/\\\(\)\[\]&\-\"“”'‘’!?…+=%]"""


class ModelError(Exception):
    """A configured model that cannot be loaded (missing folder, missing optional package)."""


def model_config() -> dict[str, Any]:
    """The model the default pipeline config runs (the ``ner_model_predict`` stage's settings; empty
    when it runs none)."""
    return dict((load_data("pipeline.yaml").get("settings") or {}).get("ner_model_predict") or {})


def resolve_path(path: str | os.PathLike) -> Path:
    """A model folder: absolute, relative to the current folder, or in the vnfacts home (``models/orgloc``)."""
    try:
        return user_path(path, "model folder")
    except MissingDataError as err:
        raise ModelError(f"{err} (build one with `vnfacts train`, or give the path of a model folder)") from None


# ---------------------------------------------------------------------------------------------
# spaCy: tokenizer registered by name, blank pipeline, loading


def create_tokenizer():
    """The spaCy tokenizer ``vnfacts.tokenizer.v1``: one token per syllable, split at the characters
    in :data:`INFIX_CHARS` too. Registered through the ``spacy_tokenizers`` entry point, so that a
    shipped model loads with plain ``spacy.load(path)`` once vnfacts is installed."""
    import spacy
    from spacy.tokenizer import Tokenizer

    def make(nlp):
        base = nlp.Defaults
        infixes = list(base.infixes or []) + [INFIX_CHARS]
        return Tokenizer(nlp.vocab, rules={}, prefix_search=spacy.util.compile_prefix_regex(base.prefixes).search,
                         suffix_search=spacy.util.compile_suffix_regex(base.suffixes).search,
                         infix_finditer=spacy.util.compile_infix_regex(infixes).finditer)
    return make


def _register_tokenizer() -> None:
    """Register the tokenizer by hand where the entry point is not installed (a bare checkout)."""
    import spacy

    if "vnfacts.tokenizer.v1" not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register("vnfacts.tokenizer.v1", func=create_tokenizer)


def blank_nlp(labels: list[str]):
    """A blank ``xx`` pipeline with our tokenizer and an empty NER component for ``labels``."""
    import spacy

    _register_tokenizer()
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "vnfacts.tokenizer.v1"}}})
    ner = nlp.add_pipe("ner")
    for label in labels:
        ner.add_label(label)
    return nlp


def spacy_folder(path: str | os.PathLike) -> str:
    """``path`` if it holds a spaCy pipeline (its ``config.cfg``), else :class:`ModelError`."""
    if not (Path(path) / "config.cfg").exists():
        raise ModelError(f"no spaCy model at {path} (run `vnfacts train` to build it)")
    return str(path)


@lru_cache(maxsize=4)
def load_spacy(path: str):
    """The spaCy pipeline at ``path``, loaded (and spaCy imported) on first use, never cut off
    halfway by a document's time budget; its matrix products done by numpy's BLAS when that runs on
    one thread (:func:`_blas_ops`)."""
    spacy_folder(path)
    with unbroken_by_alarms():
        one_thread = _numpy_on_one_thread()
        _import_spacy(needs_torch=_needs_torch(path))
        import spacy

        _register_tokenizer()
        nlp = spacy.load(Path(path))
    if one_thread:
        ops = _blas_ops()
        for _, component in nlp.pipeline:
            for layer in component.model.walk():
                layer.ops = ops
    return nlp


# Words of a spaCy config that name a layer run by PyTorch (thinc's wrappers, spacy-transformers).
_TORCH_ARCHITECTURES = re.compile(r"PyTorch|Torch|[Tt]ransformer")


def _needs_torch(path: str) -> bool:
    """Whether the spaCy pipeline at ``path`` names a PyTorch-backed layer in its config."""
    return bool(_TORCH_ARCHITECTURES.search((Path(path) / "config.cfg").read_text(encoding="utf-8")))


def _import_spacy(needs_torch: bool) -> None:
    """Import spaCy, without torch unless the model needs it. thinc imports torch, when it is
    installed, the moment spaCy is imported (only to offer its PyTorch wrappers): 1-2 CPU-seconds
    of every command's start on a machine with the transformers backend installed, for models
    (tok2vec and ner, the events textcat) that never run a PyTorch layer. torch is hidden only for
    that import and stays importable afterwards (the transformers backend imports it itself)."""
    if "spacy" in sys.modules or "torch" in sys.modules or needs_torch:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]


_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


@lru_cache(maxsize=1)
def _numpy_on_one_thread() -> bool:
    """Whether numpy's BLAS runs on one thread: as the user's environment says, else numpy is
    imported here on one thread (OpenBLAS reads the variable once, when it loads). A numpy another
    module imported first keeps its threads, and the model its default (blis). Decided once: the
    next model loaded finds numpy imported here."""
    chosen = next((os.environ[v] for v in _THREAD_VARIABLES if os.environ.get(v)), None)
    if chosen is not None:
        return chosen.strip() == "1"
    if "numpy" in sys.modules:
        return False
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)
    return True


@lru_cache(maxsize=1)
def _blas_ops():
    """thinc's NumpyOps with its matrix products done by numpy (OpenBLAS) instead of blis: the same
    predictions (every span of the 930 annotated and corpus documents compared), in 0.76x the CPU
    time here, where blis runs its generic kernel (``BLIS_ARCH_DEBUG=1``: `generic`). On several
    threads OpenBLAS spends more CPU than it saves on these small products, hence one thread only."""
    from thinc.api import NumpyOps

    return NumpyOps(use_blis=False)


def spacy_spans(nlp, text: str, labels: set[str], sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, label) the model predicts on ``text``, sentence by sentence."""
    pieces = sentences or [(0, len(text))]
    out = []
    for doc, (s, _) in zip(nlp.pipe(text[a:b] for a, b in pieces), pieces):
        for ent in doc.ents:
            if ent.label_ in labels:
                out.append((s + ent.start_char, s + ent.end_char, ent.label_))
    return out


# ---------------------------------------------------------------------------------------------
# transformers: a token-classification checkpoint from a local folder


@lru_cache(maxsize=2)
def load_transformers(path: str):
    try:
        import torch  # noqa: F401
        from transformers import AutoModelForTokenClassification, AutoTokenizer
    except ImportError as err:
        raise ModelError("the transformers backend needs the optional extra: pip install 'vnfacts[transformers]'") from err
    p = Path(path)
    if not (p / "config.json").exists():
        raise ModelError(f"no token-classification checkpoint at {p}")
    tokenizer = AutoTokenizer.from_pretrained(p, local_files_only=True)
    if not getattr(tokenizer, "is_fast", False):
        raise ModelError(f"{p}: the checkpoint needs a fast tokenizer (offsets are read from it)")
    model = AutoModelForTokenClassification.from_pretrained(p, local_files_only=True)
    model.eval()
    return tokenizer, model


def transformers_spans(tokenizer, model, text: str, labels: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) on ``text`` (one sentence) from BIO predictions, sub-words joined back
    into character spans through the fast tokenizer's offsets."""
    import torch

    id2label = model.config.id2label
    max_len = min(getattr(tokenizer, "model_max_length", 512) or 512, 512)
    enc = tokenizer(text, return_offsets_mapping=True, truncation=True, max_length=max_len, return_tensors="pt")
    offsets = enc.pop("offset_mapping")[0].tolist()
    with torch.no_grad():
        logits = model(**enc).logits[0]
    tags = [id2label[int(i)] for i in logits.argmax(-1).tolist()]
    out: list[tuple[int, int, str]] = []
    current: list | None = None
    for (s, e), tag in zip(offsets, tags):
        if s == e:  # special tokens
            continue
        prefix, _, label = tag.partition("-")
        if prefix in ("B", "I") and label in labels:
            if current and prefix == "I" and current[2] == label:
                current[1] = e
                continue
            if current:
                out.append(tuple(current))
            current = [s, e, label]
        else:
            if current:
                out.append(tuple(current))
            current = None
    if current:
        out.append(tuple(current))
    return out


# ---------------------------------------------------------------------------------------------
# The finder


def predict(text: str, sentences: list[tuple[int, int]], config: dict[str, Any]) -> list[tuple[int, int, str]]:
    """Raw (start, end, label) predictions of the configured model on canonical ``text``."""
    labels = set(config.get("labels") or ["ORG", "LOC"])
    backend = config.get("backend", "spacy")
    path = str(resolve_path(config["path"]))
    if backend == "spacy":
        return spacy_spans(load_spacy(path), text, labels, sentences)
    if backend == "transformers":
        tokenizer, model = load_transformers(path)
        return _transformers_by_sentence(tokenizer, model, text, labels, sentences)
    raise ModelError(f"unknown ner_model backend {backend!r} (spacy or transformers)")


def _transformers_by_sentence(tokenizer, model, text, labels, sentences):
    out = []
    for a, b in sentences or [(0, len(text))]:
        for s, e, lab in transformers_spans(tokenizer, model, text[a:b], labels):
            out.append((a + s, a + e, lab))
    return out


def to_spans(ctx, raw: list[tuple[int, int, str]], source: str) -> list[Span]:
    """Model predictions as spans with the same norms the rules give."""
    return _with_norms(ctx, _trimmed_spans(ctx, raw, source))


def _trimmed_spans(ctx, raw: list[tuple[int, int, str]], source: str) -> list[Span]:
    """Model predictions as spans, trimmed of the spaces and punctuation the tokenizer left at the
    edges; their norms empty (:func:`_with_norms`)."""
    spans = []
    for start, end, label in raw:
        while start < end and not ctx.text[start].isalnum():
            start += 1
        while end > start and not ctx.text[end - 1].isalnum() and ctx.text[end - 1] != ")":
            end -= 1
        if end > start:
            spans.append(Span(start, end, label, {}, source))
    return spans


def _with_norms(ctx, spans: list[Span]) -> list[Span]:
    """``spans`` with the norms the rules give (set in place): called on the spans that are kept only,
    since a norm reads the text around the name."""
    from .orgs import expect_names_read_again, org_norm
    from .places import place_norm

    # one walk for all the names a norm reads again elsewhere in the text, not one each
    expect_names_read_again(ctx, [(s.start, s.end) for s in spans if s.label == "ORG"])
    for s in spans:
        s.norm = org_norm(ctx, s.start, s.end) if s.label == "ORG" else \
            place_norm(ctx, s.start, s.end) if s.label == "LOC" else {}
    return spans


def _source(config: dict[str, Any]) -> str:
    return f"model:{config.get('backend', 'spacy')}"


def _apart_from(spans: list[Span], rules: list[Span]) -> list[Span]:
    """The model's spans where the rules found nothing (the rules' spans win where both speak).
    One sort and a binary search per span: the rules' spans by start, with the furthest end reached
    so far, tell whether any of those starting before a span's end reaches past its start."""
    ordered = sorted((r.start, r.end) for r in rules)
    starts = [start for start, _ in ordered]
    reach, furthest = [], -1
    for _, end in ordered:
        furthest = max(furthest, end)
        reach.append(furthest)
    kept = []
    for s in spans:
        before = bisect.bisect_left(starts, s.end)  # rules starting before the span ends
        if before == 0 or reach[before - 1] <= s.start:
            kept.append(s)
    return kept


@stage("finder", assigns="model_predictions")
def predict_entities(ctx, **config) -> list[tuple[int, int, str, str]]:
    """(start, end, label, source) the configured model predicts; none when no model is configured
    (``path: null``). Its ``settings`` in pipeline.yaml are the model's config."""
    if not config.get("path"):
        return []
    try:
        raw = predict(ctx.text, ctx.sentences, config)
    except ModelError as err:
        # an installed package without the user's models/ (as the events classifier): the rules find
        # ORG and LOC alone, and the user is told how to give the model
        warnings.warn(f"{err}; ORG and LOC are found by the rules alone", stacklevel=2)
        return []
    ctx.memo[_RAN] = True  # the model read this document (no prediction then means it found no name)
    terms = _bracketed_terms(ctx.text)
    return [(s, e, label, _source(config)) for s, e, label in _split_at_dashed_bodies(ctx.text, raw)
            if not _opens_a_word(ctx.text, s, e) and not _ends_inside_a_word(ctx.text, s, e)
            and ctx.text[s:e] not in terms]


_ACRONYM_IN_BRACKETS = regex.compile(r"[^\S\n]*\((\p{Lu}[\p{Lu}\d]{1,9})\)")
_WORD_BEFORE = regex.compile(r"(?<![\w-])([\w-]+)[^\S\n]*$")


def _bracketed_terms(text: str) -> frozenset[str]:
    """The acronyms the document defines in brackets after three or more words in lower case, read
    back to punctuation or a verb or preposition (a stop word of the ORG finder; `và`, `về` join
    a name's words, `các` counts them: `Mạng lưới các viện đào tạo hợp tác (PTIN)`): `dựa trên mạng nơ-ron tái phát (RNN)`, `(CPI)` after `chỉ số giá tiêu dùng`:
    the short form of a term. A capitalised word before them makes the words a body's name (`Đối tác
    chính sách về khoa học công nghệ sáng tạo (PPSTI)`, `Tổ chức Y tế thế giới (WHO)`)."""
    from .clean import fold_query
    from .orgs import unnamed_words

    _, plural, _, stop = unnamed_words()
    stop = stop - {"và", "về"}
    terms = set()
    for m in _ACRONYM_IN_BRACKETS.finditer(text):
        end, lower_words = m.start(), 0
        while (word := _WORD_BEFORE.search(text, max(0, end - 60), end)) and word.group(1)[0].islower() \
                and (word.group(1) not in stop or fold_query(word.group(1)) in plural):
            lower_words, end = lower_words + 1, word.start()
        if lower_words >= 3 and (word is None or word.group(1)[0].islower()):
            terms.add(m.group(1))
    return frozenset(terms)


_NEXT_SYLLABLE = re.compile(r"[ \t\u00a0]+(\w+)")


def _opens_a_word(text: str, start: int, end: int) -> bool:
    """Whether a one-syllable name is the first syllable of a word the next one completes (`Ý kiến
    của chuyên gia`: an opinion, not Italy; `Pháp luật`, `Nam giới`): the model reads a capitalised
    syllable that opens a sentence as a name. The word list is the shipped dictionary's."""
    from .figures import is_dictionary_word

    name = text[start:end]
    if not name.isalpha():
        return False  # more than one syllable, or a code
    following = _NEXT_SYLLABLE.match(text, end)
    return following is not None and is_dictionary_word(f"{name} {following.group(1)}")


_LAST_TWO_SYLLABLES = re.compile(r"(\w+)[ \t\u00a0]+(\w+)$")


def _ends_inside_a_word(text: str, start: int, end: int) -> bool:
    """Whether a name ends on a lower-case syllable that opens a word with the next one and closes
    none with the one before (`Tổng công ty trực | thuộc`, `Đại hội đồng cổ đông bất | thường`,
    `Trung tâm dịch vụ bán | đấu giá`): the model cut a phrase inside a word, so it read no name
    there. The word list is the shipped dictionary's."""
    from .figures import is_dictionary_word

    last_two = _LAST_TWO_SYLLABLES.search(text, start, end)
    following = _NEXT_SYLLABLE.match(text, end)
    if last_two is None or following is None or not last_two.group(2).islower() or not following.group(1).islower():
        return False
    return is_dictionary_word(f"{last_two.group(2)} {following.group(1)}", as_written=True) \
        and not is_dictionary_word(f"{last_two.group(1)} {last_two.group(2)}", as_written=True)


_DASH = re.compile(r"\s+[-–—]\s+")


def _split_at_dashed_bodies(text: str, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The predictions with an ORG that joins two bodies by a dash cut in two, where both parts
    open with a head: a unit and the body above it (`Cục Công nghệ tin học - Ngân hàng Nhà nước`,
    `Tổng cục Thủy lợi – Bộ NN&PTNT`), not one name with a dash (`Bộ Lao động - Thương binh và Xã hội`)."""
    from .orgs import opens_with_head

    out = []
    for start, end, label in raw:
        if label == "ORG":
            for dash in _DASH.finditer(text, start, end):
                if text[dash.end()].isupper() and opens_with_head(text[start:dash.start()]) \
                        and opens_with_head(text[dash.end():end]):
                    out.append((start, dash.start(), label))
                    start = dash.end()
        out.append((start, end, label))
    return out


_RAN = "ner_model_predict.ran"


# The longest name the model may propose, in words: longer runs are headings in capitals or clauses
# (the longest ORG or LOC of the gold has 20), and normalizing a span costs its length, so an unbounded one would
# make a document's cost grow faster than its length.
MAX_NAME_WORDS = 24


def _spans(ctx, label: str, normed: bool = True) -> list[Span]:
    return _as_spans(ctx, [p for p in ctx.model_predictions if p[2] == label and ctx.text.count(" ", p[0], p[1]) < MAX_NAME_WORDS],
                     normed)


def _as_spans(ctx, predictions: list[tuple[int, int, str, str]], normed: bool = True) -> list[Span]:
    """The predictions as spans (:func:`to_spans`), their norms left empty unless ``normed``."""
    by_source: dict[str, list] = {}
    for s, e, label, source in predictions:
        by_source.setdefault(source, []).append((s, e, label))
    make = to_spans if normed else _trimmed_spans
    return [span for source, raw in by_source.items() for span in make(ctx, raw, source)]


@stage("finder", requires=("model_predictions", "legal_refs", "programs", "dates", "places", "orgs", "figures"),
       assigns="model_entities")
def join_entities(ctx) -> list[Span]:
    """Join mode: the model's ORG and LOC spans where the rules found nothing, of any label (a
    figure or a date the rules read is never cut by a name the model guessed around it)."""
    from .orgs import no_body_here

    spans = sorted(_spans(ctx, "ORG", normed=False) + _spans(ctx, "LOC", normed=False), key=lambda s: s.start)
    spans = [s for s in spans if _named_as_the_guide_says(ctx.text[s.start:s.end])
             and not (_a_persons_name(ctx, s) if s.label == "LOC" else no_body_here(ctx, s.start, s.end))]
    figures = [f for f in ctx.figures if not _unit_capitalised(ctx.text[f.start:f.end])]
    rules = ctx.legal_refs + ctx.programs + ctx.dates + ctx.orgs + ctx.places + figures
    # the norms of the spans kept only: most of the model's names are where a rule span stands
    return _with_norms(ctx, _apart_from(spans, rules))


def _a_persons_name(ctx, span: Span) -> bool:
    """A model LOC that is a person's name in this article, in its closing byline, a demonym, or words
    inside a work's title (places.py)."""
    from .places import in_byline, inside_work_title, is_demonym, is_person_name

    return in_byline(ctx.text, span.start, span.end) or is_person_name(ctx, span.start, span.end) \
        or is_demonym(ctx, span.start, span.end) or inside_work_title(ctx, span.start, span.end)


def _unit_capitalised(figure: str) -> bool:
    """Whether a figure's unit is a capitalised word (`83 Hải quân`, `175 Bộ Quốc phòng`): a unit is
    written in lower case (or is a code, `USD`), so the number is part of a name the model may find
    (`Lữ đoàn Công binh 83 Hải quân`, `Bệnh viện 175 Bộ Quốc phòng`)."""
    word = re.search(r"[^\W\d_]+", figure)
    return bool(word) and word.group()[0].isupper() and not word.group().isupper()


@stage("resolver", requires=("spans", "model_predictions"), assigns=())
def prefer_model_names(spans: list[Span], ctx) -> list[Span]:
    """Where the model and the rules both name something, as chosen on the dev part of the split
    (README, "The trained model"): a model ORG takes the place of the rule ORG and LOC spans it
    covers or crosses (`U23 Việt Nam`, not LOC `Việt Nam`; a name the rules cut short), unless it
    would cut a span of another label; inside one rule span, the rules' reading stands. Norms stay
    the data files' (``org_norm``). A document the model did not read (no model configured, or its
    folder missing) keeps the rules' spans."""
    if not ctx.memo.get(_RAN):
        return spans
    from .orgs import no_body_here, opens_with_head

    names = [p for p in ctx.model_predictions if p[2] == "ORG" and ctx.text.count(" ", p[0], p[1]) < MAX_NAME_WORDS
             and _named_as_the_guide_says(ctx.text[p[0]:p[1]]) and not no_body_here(ctx, p[0], p[1])]
    kept = sorted(spans, key=lambda sp: sp.start)   # settled: no two overlap, so ends are sorted too
    starts = [sp.start for sp in kept]
    ends = [sp.end for sp in kept]

    def overlapped(s: int, e: int) -> range:
        return range(bisect.bisect_right(ends, s), bisect.bisect_left(starts, e))

    replaced: set[int] = set()
    orgs = []
    for s, e, label, source in names:
        hit = overlapped(s, e)
        if not hit or any(kept[i].label not in ("ORG", "LOC") or _by_model(kept[i]) or i in replaced for i in hit):
            continue
        if len(hit) == 1 and kept[hit[0]].start <= s and e <= kept[hit[0]].end:
            continue  # inside one rule span, or the same: the rules' longer reading stands (a venue
            # `Hội trường Sở Y tế`, `Trung tâm Dịch vụ việc làm tỉnh Nghệ An` and not its first words)
        if ctx.text[s].islower() and kept[hit[0]].start > s and not (
                opens_with_head(ctx.text[s:e]) and all(kept[i].label == "LOC" for i in hit)):
            continue  # stretched back over lower-case words (`cơ quan Trung ương Hội`): a name starts
            # at its head, in lower case too when a place follows it (`công an phường Thịnh Liệt`;
            # not `phòng đào tạo Trường ĐH Ngoại thương`, two bodies)
        orgs.append((s, e, label, source))
        replaced.update(hit)
    model_orgs = _as_spans(ctx, orgs)
    out = sorted([sp for i, sp in enumerate(kept) if i not in replaced] + model_orgs, key=lambda sp: sp.start)
    return _not_among_other_names(ctx.text, out)


def _not_among_other_names(text: str, spans: list[Span]) -> list[Span]:
    """The spans but the model's names listed between two names that no span holds: a list of people
    (a line-up `Kroos, Casemiro, Modric`), where a list of places or bodies has its neighbours found too."""
    from .places import gazetteer, key_of, next_listed_name, previous_listed_name

    starts = {sp.start for sp in spans}
    rule_places = {sp.start for sp in spans if sp.label == "LOC" and not _by_model(sp)}

    def among_other_names(sp: Span) -> bool:
        after, before = next_listed_name(text, sp.end), previous_listed_name(text, sp.start)
        # a place the model alone reads (not a country) is listed among places the rules know
        # too; between two names the rules do not read as places it is a name in a line-up (`Hùng Dũng,
        # Thành Lương, Quang Hải`); a country the rules leave to a cue stays (`sang Nhật, Anh, Đức, Mỹ`)
        held = starts
        units = gazetteer().units.get(key_of(text[sp.start:sp.end]), ())
        if sp.label == "LOC" and not any(u.level == "country" for u in units):
            held = rule_places
        return after is not None and before is not None and after not in held and before not in held

    return [sp for sp in spans if not (_by_model(sp) and sp.label in ("ORG", "LOC") and among_other_names(sp))]


def _by_model(span: Span) -> bool:
    return span.source.startswith("model:")


@lru_cache(maxsize=1)
def _level_words() -> frozenset[str]:
    from .clean import fold_query
    from .levels import level_forms

    return frozenset(fold_query(w) for w in level_forms())


@lru_cache(maxsize=8192)
def _named_as_the_guide_says(text: str) -> bool:
    """Whether a model span is a name by the guide's rules (ORG, LOC), with the ORG finder's own
    vocabulary: not a bare head or level word (`Thành phố`, `Ban Thường vụ`), not plural (`UBND các
    tỉnh`), not running on into a stop word (`Hội Nông dân tại`, `Sở Y tế đã`; compared with
    diacritics where the text has them), not a heading in capitals split mid-phrase. Memoized: the
    join and ``prefer_model_names`` ask it of the same names."""
    from .clean import canonical, fold_query
    from .orgs import name_part_abbreviations, opens_as_another_word, place_of_office_words, unnamed_words

    if text.strip() in name_part_abbreviations():
        return False  # `CTXH`, `BHXH` alone: a field or a kind of body
    if opens_as_another_word(text):
        return False  # `Hội nghị ...`, `Hội báo Xuân`: a head the next word makes an event or a title
    generic, plural, stop_folded, stop_written = unnamed_words()
    words = fold_query(text).split()
    if not words or " ".join(words) in generic or " ".join(words) in _level_words() or plural & set(words):
        return False
    # stop words keep their diacritics where the text has them (`Quảng Nam` does not run on into `năm`)
    written = canonical(text).split()
    stop, run = (stop_folded, words) if text.isascii() else (stop_written, [w.lower() for w in written])
    # a capitalised syllable is a name's (`Gia Lai`, `Lầu Năm Góc`, `ấp Đồng Bà Ba`, `Cảnh sát Anh`):
    # stop words are written in lower case, unless the whole span is (a heading in capitals)
    cased = not text.isupper() and len(written) == len(run)

    def runs_on_at(i: int) -> bool:
        if not (" ".join(run[i:]) in stop or run[i] in stop) or cased and written[i][:1].isupper():
            return False
        # `Đại sứ quán Việt Nam tại Qatar`: an office's place ends the name
        return not (cased and written[i].lower() in place_of_office_words() and i + 1 < len(written)
                    and all(w[:1].isupper() for w in written[i + 1:]))

    if any(runs_on_at(i) for i in range(1, len(run))):
        return False  # a stop word after the head: the span runs on
    letters = [w for w in text.split() if any(c.isalpha() for c in w)]
    heading = len(letters) >= 2 and all(w.isupper() for w in letters) and any(len(w) > 4 for w in letters)
    return not heading


@stage("finder", requires=("model_predictions", "document"), assigns="places")
def model_places(ctx) -> list[Span]:
    """Replace mode: the model's LOC spans stand in for the places finder (norms from the gazetteer)."""
    return _spans(ctx, "LOC")


@stage("finder", requires=("model_predictions", "places", "document.province"), assigns="orgs")
def model_orgs(ctx) -> list[Span]:
    """Replace mode: the model's ORG spans stand in for the organizations finder."""
    return _spans(ctx, "ORG")


def find_entities(ctx, config: dict[str, Any] | None = None) -> list[Span]:
    """The configured model's ORG/LOC spans on one context, outside a pipeline: in ``join`` mode only
    where the rules' spans already on the context (``ctx.orgs``, ``ctx.places``) found nothing; in
    ``replace`` mode all of them."""
    config = model_config() if config is None else config
    if not config.get("path"):
        return []
    spans = to_spans(ctx, predict(ctx.text, ctx.sentences, config), _source(config))
    if config.get("mode", "join") == "replace":
        return spans
    return _apart_from(spans, (ctx.orgs or []) + (ctx.places or []))


def pipeline_config(base: dict[str, Any], model: dict[str, Any] | None, mode: str = "join") -> dict[str, Any]:
    """A pipeline config like ``base`` with ``model`` (a ``ner_model`` config, None: the rules alone)
    joined to the rules (``join``) or in place of the places and organizations finders (``replace``)."""
    stages = {k: v for k, v in base["stages"].items() if not v.startswith(__name__ + ":")}
    settings = {k: v for k, v in (base.get("settings") or {}).items() if not k.startswith("ner_model")}
    if model is None:
        return {**base, "stages": stages, "settings": settings}
    predict_stage = {"ner_model_predict": f"{__name__}:predict_entities"}
    out: dict[str, str] = {}
    for name, ref in stages.items():
        if mode == "replace" and name == "places":
            out.update(predict_stage)
            out["model_places"] = f"{__name__}:model_places"
        elif mode == "replace" and name == "orgs":
            out["model_orgs"] = f"{__name__}:model_orgs"
        else:
            out[name] = ref
        if mode == "join" and name == "figures":  # after every rule finder: the model only fills gaps
            out.update(predict_stage)
            out["ner_model"] = f"{__name__}:join_entities"
        if mode == "join" and name == "settle":  # then settles where both name something
            out["prefer_model_names"] = f"{__name__}:prefer_model_names"
    return {**base, "stages": out, "settings": {**settings, "ner_model_predict": dict(model)}}
