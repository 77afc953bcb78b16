"""Which sentences report an event, and of what kind (guide: Events, `type` and `kind`).

Two passes over a sentence:

1. the rules (``data/event_kinds.yaml``): the first kind whose phrase the sentence holds is the
   candidate's kind and type (`Hội nghị tập huấn` -> `tập huấn`, `tap_huan`); a sentence with no
   such phrase is no event;
2. the sentence classifier (spaCy ``textcat``, trained by ``vnfacts train --events`` into
   ``models/events`` from ``annotations/event-sentences/sentences.jsonl``): whether the candidate reports a
   gathering or activity that took place (or is scheduled with a date), as opposed to issuing a
   document, a plan signed by one official, a count of past events, a scheme in general or a
   future event without a date. It reads the sentence without diacritics (so text typed without
   them reads the same) and, as features, what the rules know about it: the kind, whether the
   sentence has a day, a sign it took place, a word of issuing, a count before the phrase, a
   future marker (:func:`feature_words`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .clean import canonical, fold, fold_query
from .resources import load_data
from .tokens import prefix_tree_alternation

ACCEPT = "EVENT"
REJECT = "OTHER"
CLASSIFIER_LABELS = (ACCEPT, REJECT)


def _whole_words(words, word: str, tree: bool) -> re.Pattern:
    """``words`` where no character of the class ``word`` stands before or after them: longest
    first, or as a tree of prefixes (:func:`prefix_tree_alternation`: only where, not which)."""
    if tree:
        return re.compile(prefix_tree_alternation(words, after_first=f"(?<!{word}.)") + f"(?!{word})")
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(f"(?<!{word})(?:{alternation})(?!{word})")


def phrase_pattern(phrases, tree: bool = False) -> re.Pattern:
    """Folded phrases (no diacritics, lower case), longest first, as whole words."""
    return _whole_words({fold_query(p) for p in phrases}, "[a-z0-9]", tree)


def exact_pattern(phrases, tree: bool = False) -> re.Pattern:
    """Lower-case phrases with their diacritics (`lễ` is not the name `Lê`), as whole words."""
    return _whole_words({" ".join(canonical(p).lower().split()) for p in phrases}, r"[\w]", tree)


@dataclass(frozen=True)
class Kind:
    kind: str  # the short Vietnamese label (`ngày hội việc làm`)
    type: str  # the guide's type (`khac`)
    rank: int  # its place in the data file: the lower, the more specific
    phrases: tuple[str, ...]
    # the first word of each phrase, folded and as written: a sentence without one of them cannot
    # hold the kind (a substring test, before the kind's pattern is run)
    folded_firsts: tuple[str, ...] = ()
    exact_firsts: tuple[str, ...] = ()

    def pattern(self, exact: bool) -> re.Pattern:
        """Its phrases as whole words, with their diacritics (:func:`exact_pattern`) or folded."""
        return _kind_pattern(self.phrases, exact)


@lru_cache(maxsize=None)
def _kind_pattern(phrases: tuple[str, ...], exact: bool) -> re.Pattern:
    # compiled when a sentence first holds one of the kind's words, not all 64 at start-up (20 ms)
    return (exact_pattern if exact else phrase_pattern)(phrases)


@dataclass(frozen=True)
class KindMatch:
    kind: Kind
    start: int  # offsets of the phrase in the sentence
    end: int


@lru_cache(maxsize=1)
def kinds() -> tuple[Kind, ...]:
    entries = load_data("event_kinds.yaml")["kinds"]
    return tuple(Kind(kind=e["kind"], type=e["type"], rank=i, phrases=tuple(e["phrases"]),
                      folded_firsts=tuple({fold_query(p).split()[0] for p in e["phrases"]}),
                      exact_firsts=tuple({canonical(p).lower().split()[0] for p in e["phrases"]}))
                 for i, e in enumerate(entries))


def kind_types() -> dict[str, str]:
    """kind label -> the guide's type."""
    return {k.kind: k.type for k in kinds()}


@lru_cache(maxsize=2)
def _not_events(exact: bool) -> re.Pattern:
    return (exact_pattern if exact else phrase_pattern)(load_data("events.yaml")["not_events"])


def mask_not_events(written: str) -> str:
    """``written`` with the phrases that hold a kind's word but are no event (`lễ tang`, `trao đổi`,
    `đăng ký kết hôn`; events.yaml ``not_events``) blanked out, same length. Matched with their
    diacritics, as the kinds' phrases are, unless the text has none (`trao doi` is `trao đổi`)."""
    lower = written.lower()
    exact = not written.isascii()
    if not _any_not_event(exact).search(lower):
        return written
    return _not_events(exact).sub(lambda m: " " * len(m.group(0)), lower)


@lru_cache(maxsize=2)
def _any_not_event(exact: bool) -> re.Pattern:
    """What :func:`_not_events` finds somewhere, as a tree of prefixes (where, not which phrase)."""
    return (exact_pattern if exact else phrase_pattern)(load_data("events.yaml")["not_events"], tree=True)


def find_kind(written: str, masked: bool = False) -> KindMatch | None:
    """The most specific kind a sentence names, and where. ``written`` is the sentence (canonical
    text); its phrases must match with their diacritics unless it has none. A phrase right after a
    word that makes it a body's name (`của Diễn đàn`, `thành viên Diễn đàn`: events.yaml
    ``name_after``) names no event. ``masked``: :func:`mask_not_events` is known to leave
    ``written`` as it is (the caller's own masking found nothing in it)."""
    if not masked:
        written = mask_not_events(written)
    exact = not written.isascii()
    target = written.lower() if exact else fold(written)
    opens = _phrase_starts(_any_kind(exact), target)
    if not opens:
        return None  # most sentences name no kind: one scan instead of one per kind
    before_name = _before_name()
    present = _kinds_opening_at(target, opens, exact)

    def names_event(at: int) -> bool:
        return not before_name.search(fold(target[max(0, at - 16):at]))

    first = next((KindMatch(k, m.start(), m.end()) for k in present
                  for m in _matches_at(k.pattern(exact), target, opens) if names_event(m.start())), None)
    if first is None:
        return None
    # a longer phrase of a later kind that holds this one says more (`thăm hỏi và tặng quà` is a
    # visit, not `tặng quà`; `Lễ công bố quyết định` a meeting, not a launch): each kind's longest
    # phrase at each word start up to the phrase's own (a phrase of some kind opens there)
    starts = [at for at in [0] + [m.end() for m in _WORD_GAP.finditer(target, max(0, first.start - 40), first.start)]
              if at in opens]
    wider = [KindMatch(k, at, m.end()) for k in present if k is not first.kind for at in starts
             if at <= first.start and (m := k.pattern(exact).match(target, at)) is not None
             and m.end() >= first.end and m.end() - at > first.end - first.start and names_event(at)]
    return max(wider, key=lambda m: (m.end - m.start, -m.kind.rank)) if wider else first


_WORD_GAP = re.compile(r"\s+")


def _kinds_opening_at(target: str, starts: list[int], exact: bool) -> list[Kind]:
    """The kinds (in their order) one of whose phrases' first words is written at one of ``starts``:
    the only ones whose pattern may match there. (Each kind's first words looked up by the text at
    each start, a few lengths each, instead of each of ~150 words looked for in the sentence.)"""
    by_word, lengths = _kinds_by_first_word(exact)
    ranks = {rank for at in starts for n in lengths for rank in by_word.get(target[at:at + n], ())}
    return [k for k in kinds() if k.rank in ranks]


@lru_cache(maxsize=2)
def _kinds_by_first_word(exact: bool) -> tuple[dict[str, list[int]], tuple[int, ...]]:
    """Each first word of a kind's phrases (as written, or folded) -> the ranks of the kinds with
    it; and the lengths of those words."""
    by_word: dict[str, list[int]] = {}
    for k in kinds():
        for word in (k.exact_firsts if exact else k.folded_firsts):
            by_word.setdefault(word, []).append(k.rank)
    return by_word, tuple(sorted({len(word) for word in by_word}))


def _phrase_starts(tree: re.Pattern, target: str) -> list[int]:
    """Every place where a phrase of ``tree`` (a prefix tree of phrases, matched where their
    alternation is) opens in ``target``: where each kind's pattern may match, found in one scan."""
    found = []
    m = tree.search(target)
    while m is not None:
        found.append(m.start())
        m = tree.search(target, m.start() + 1)
    return found


def _matches_at(pattern: re.Pattern, target: str, starts: list[int]) -> list[re.Match]:
    """``pattern.finditer(target)`` for a pattern that can match only at ``starts`` (ascending):
    tried there alone, left to right, not overlapping (a kind's pattern opens with a lookbehind and
    is otherwise tried at every character)."""
    found, free = [], 0
    for at in starts:
        if at >= free and (m := pattern.match(target, at)) is not None:
            found.append(m)
            free = m.end()
    return found


@lru_cache(maxsize=2)
def _any_kind(exact: bool) -> re.Pattern:
    """Every kind's phrases in one alternation: it finds something wherever some kind's pattern does
    (a tree of their prefixes: one search of it costs what one kind's does)."""
    phrases = [p for e in load_data("event_kinds.yaml")["kinds"] for p in e["phrases"]]
    return (exact_pattern if exact else phrase_pattern)(phrases, tree=True)


@lru_cache(maxsize=1)
def _before_name() -> re.Pattern:
    return _ending_with_words("name_after")


@lru_cache(maxsize=None)
def _ending_with_words(key: str) -> re.Pattern:
    """Folded text that ends with one of the words of events.yaml's list ``key`` and a space."""
    words = sorted({fold_query(w) for w in load_data("events.yaml")[key]}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\s+$")


@lru_cache(maxsize=1)
def _feature_patterns() -> dict[str, re.Pattern]:
    """Whether a sentence holds one of each list's phrases (searched for, never read): trees of
    their prefixes (:func:`prefix_tree_alternation`)."""
    data = load_data("events.yaml")
    patterns = {name: phrase_pattern(data[key], tree=True) for name, key in (
        ("happened", "happened"), ("issuing", "issuing"), ("future", "future_markers"),
        ("recent", "recent_markers"))}
    patterns["held_despite_issuing"] = phrase_pattern(data["held_despite_issuing"], tree=True)
    return patterns


_DAY_VALUE = re.compile(r"^(\d{4}|-)-?-?\d{2}-\d{2}")


def day_of(dates) -> str | None:
    """The first day-level value among a sentence's DATE spans (a day, or a range of days)."""
    for span in dates:
        if _DAY_VALUE.match(span.norm["value"]):
            return span.norm["value"]
    return None


def sentence_days(sentences: list[str]) -> list[bool]:
    """Whether each sentence names a day, as the pipeline reads it (its DATE finder, so `Sáng 12-4`
    and `tối 2.10` count as in the linker): the classifier's ``__day`` at training time."""
    from .models import Document
    from .pipeline import default_pipeline

    pipeline = default_pipeline()
    out = []
    for sentence in sentences:
        ctx = pipeline.context(Document(id="sentence", text=sentence), until="document_date")
        out.append(day_of([s for s in ctx.dates or () if s.norm.get("value")]) is not None)
    return out


# A number right before the phrase, one or two words between (`319 lớp tập huấn`, `1.200 buổi`); a
# number a comma closes is a date or a clause of its own (`Chiều 8.2, buổi họp báo`), and the end of a
# day (`ngày 10/5 có cuộc hội đàm`, `ngày 15.6 có buổi`: `.` groups thousands in threes) is no count,
# nor a number a word of time or order names (`tháng 5 có cuộc họp`, `năm 2016 tại sự kiện`, `lần thứ 2`),
# nor one glued to letters, a name's (`VF3 được trình làng`, `U23 Việt Nam`).
_COUNT_BEFORE = re.compile(r"(?<![\w/.,-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\s+(?:[a-z]+\s+){0,2}$")
_NUMBER_NAMED_BY = re.compile(r"(?<![a-z])(?:ngay|thang|nam|thu|so|khoa|lan|ky|dot|quy)\s*$")


def counted_before(folded_before: str) -> bool:
    """Whether the folded text before a kind's phrase ends with a count of it (`319 lớp tập huấn`);
    after a verb of handing over, the number counts the things handed in one act, not events
    (`trao 100 suất học bổng`, `bàn giao 10 căn nhà tình nghĩa`: events.yaml `handing_verbs`)."""
    m = _COUNT_BEFORE.search(folded_before)
    return (bool(m) and not _NUMBER_NAMED_BY.search(folded_before, 0, m.start())
            and not _ending_with_words("handing_verbs").search(folded_before, 0, m.start()))


_DAY = re.compile(r"(?<![\d/.-])(?:\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?|ngay\s+\d{1,2})(?![\d])")


def feature_words(sentence: str, match: KindMatch | None, has_day: bool | None = None,
                  at: int | None = None) -> list[str]:
    """What the rules know about a candidate sentence, as words the classifier reads beside it:
    ``__kind_<n>``, ``__type_<t>``, ``__day`` (the sentence names a day: the DATE spans when given,
    else a day-like pattern), ``__happened``, ``__issuing``, ``__future``, ``__recent``,
    ``__count`` (a number right before the phrase: `319 lớp tập huấn`), and ``__pos<n>`` when the
    offset ``at`` where the sentence starts in its article is known (:func:`position_word`).
    ``__issuing`` is a word of issuing a document in a sentence that does not also say a gathering
    was held."""
    phrase = None if match is None else (match.kind.rank, match.kind.type, match.start, match.end)
    words = list(_feature_words(sentence, phrase, has_day))
    return words if at is None else words + [position_word(at)]


def position_word(at: int) -> str:
    """``__pos<n>``: the stretch of the article a sentence starting at character ``at`` falls in, ``n``
    the number of ``position_bounds`` (data/event_classifier.yaml) at or before it: the title and
    lead report the article's event more often than a paragraph far down."""
    return f"__pos{sum(at >= bound for bound in _recipe()['position_bounds'])}"


@lru_cache(maxsize=64)
def _feature_words(sentence: str, phrase: tuple[int, str, int, int] | None, has_day: bool | None) -> tuple[str, ...]:
    """:func:`feature_words` of a sentence and its kind's (rank, type, start, end), kept for the few
    latest sentences: the rules' first pass and the classifier's text ask it of the same candidate
    up to three times."""
    folded = fold(sentence)
    out = []
    if phrase is not None:
        rank, kind_type, start, end = phrase
        out += [f"__kind_{rank}", f"__type_{kind_type}"]
        if counted_before(folded[:start]):
            out.append("__count")
    if has_day if has_day is not None else _DAY.search(folded):
        out.append("__day")
    patterns = _feature_patterns()
    # the sign that it took place must be another word than the phrase (`phiên họp` is no `họp`)
    rest = folded if phrase is None else folded[:start] + " " * (end - start) + folded[end:]
    for name in ("happened", "future", "recent"):
        if patterns[name].search(rest):
            out.append(f"__{name}")
    # a plan `đã được UBND tỉnh phê duyệt` reviewed at a conference that `tổ chức`: still held
    if patterns["issuing"].search(folded) and not patterns["held_despite_issuing"].search(folded):
        out.append("__issuing")
    return tuple(out)


def classifier_text(sentence: str, match: KindMatch | None, has_day: bool | None = None,
                    at: int | None = None) -> str:
    """The text the classifier reads for a canonical sentence and its kind (offsets into it), starting
    at ``at`` in its article when known: the feature words (repeated, so a long sentence does not drown
    them), then the words around the phrase that names the kind, folded (lower case, no
    diacritics: NFD, old tone placement and text typed without diacritics read alike). Both
    settings are in ``data/event_classifier.yaml`` (``feature_repeat``, ``window_words``)."""
    recipe = _recipe()
    features = feature_words(sentence, match, has_day, at) * recipe["feature_repeat"]
    folded = fold(sentence)
    words = folded.split()
    at = len(folded[:match.start].split()) if match is not None else 0
    window = recipe["window_words"]
    return " ".join(features) + " | " + " ".join(words[max(0, at - window):at + window + 1])


def sentence_text(raw: str, has_day: bool | None = None, at: int | None = None) -> str:
    """What the classifier reads for a sentence as written anywhere (a labelled sentence, NFD or
    old tone placement included), starting at ``at`` in its article: its canonical form, its kind,
    then :func:`classifier_text`."""
    sentence = canonical(raw)
    return classifier_text(sentence, read_kind(sentence, has_day), has_day, at)


def read_kind(sentence: str, has_day: bool | None, masked: bool = False) -> KindMatch | None:
    """The kind a candidate sentence names (:func:`find_kind`), as the linker reads it: in a sentence
    known to name no day (``has_day`` False), a phrase that names an event only on a stated day
    (`khi đi thị sát`, `tham gia trình diễn`: events.yaml ``needs_day``) names none, and the
    sentence's other kinds are read (`được trao ... vào cuối buổi trình diễn`: a show)."""
    match = find_kind(sentence, masked=masked)
    while has_day is False and match is not None and needs_a_day(sentence, match):
        sentence = sentence[:match.start] + " " * (match.end - match.start) + sentence[match.end:]
        match = find_kind(sentence)
    return match


def strong_rule(sentence: str, match: KindMatch | None, has_day: bool | None = None) -> bool:
    """The rules' first pass: a sentence that names a day and a sign that the event took place,
    with no word of issuing, no count before the phrase and no future marker, is an event whatever
    the classifier says (on the training sentences, cross-validated, this adds recall for a little
    precision: README, Events)."""
    found = set(feature_words(sentence, match, has_day))
    return {"__day", "__happened"} <= found and not found & {"__issuing", "__count", "__future"}


def announced_without_day(sentence: str, match: KindMatch | None, has_day: bool | None = None) -> bool:
    """No day where an event needs one, whatever the classifier says: a future marker in the clause
    that names it (`Hội thảo sẽ được tổ chức vào tháng 9 tại Huế`: an announcement, no event yet;
    `Phát biểu tại hội thảo, ông ... khẳng định: Bộ sẽ xử lý` is held), or a phrase that names an event
    only on a stated day (`Trao đổi với báo chí, ông ...`: an interview; events.yaml ``needs_day``)."""
    found = set(feature_words(sentence, match, has_day))
    if "__day" in found:
        return False
    if match is None:
        return "__future" in found
    folded = fold(sentence)
    future = _feature_patterns()["future"].search(clause_around(folded, match.start, match.end))
    return bool(future and not done_before(sentence, match)) or needs_a_day(sentence, match)


def done_before(sentence: str, match: KindMatch) -> bool:
    """Whether a word that says it is done stands just before the phrase (`đã họp`, `vừa tổ chức hội
    nghị`: events.yaml ``done_before``): the gathering took place, whatever its clause says will come
    next (`đã họp hội đồng kỷ luật ... và sẽ sớm có quyết định`)."""
    before = sentence[:match.start]
    if sentence.isascii():
        return bool(_done_before(False).search(fold(before)))
    return bool(_done_before(True).search(before.lower()))


@lru_cache(maxsize=2)
def _done_before(exact: bool) -> re.Pattern:
    words = load_data("events.yaml")["done_before"]
    pattern = (exact_pattern if exact else phrase_pattern)(words).pattern
    return re.compile(f"(?:{pattern})(?:\\s+\\S+){{0,2}}\\s+$")


def needs_a_day(sentence: str, match: KindMatch) -> bool:
    """Whether the phrase that names the kind names an event only on a stated day (events.yaml
    ``needs_day``: `trả lời báo chí`, `biểu diễn`, `thị sát`)."""
    return _needs_day().fullmatch(fold(sentence[match.start:match.end])) is not None


# What ends a clause around a kind's phrase: a comma, semicolon, colon, bracket, quotation mark, a
# dash between spaces or a full stop. A future marker in another clause (`Kết luận phiên họp, ông ...
# cho biết, Ủy ban sẽ gửi phiếu`, a quotation about what comes next) does not make the gathering an
# announcement.
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”]|\s[-–]\s|\.\s")


def clause_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the clause of ``folded`` that holds the phrase at ``start:end``."""
    before = [m.end() for m in _CLAUSE_BREAK.finditer(folded, 0, start)]
    after = _CLAUSE_BREAK.search(folded, end)
    return (before[-1] if before else 0), (after.start() if after else len(folded))


def clause_around(folded: str, start: int, end: int) -> str:
    """The clause of ``folded`` that holds the phrase at ``start:end``, the phrase itself blanked."""
    lo, hi = clause_bounds(folded, start, end)
    return folded[lo:start] + " " + folded[end:hi]


@lru_cache(maxsize=1)
def _needs_day() -> re.Pattern:
    return phrase_pattern(load_data("events.yaml")["needs_day"])


@lru_cache(maxsize=1)
def _recipe() -> dict:
    return load_data("event_classifier.yaml")


class ClassifierError(Exception):
    """A configured events model that cannot be loaded."""


@lru_cache(maxsize=2)
def classifier_folder(path: str) -> str:
    """The folder of the spaCy textcat pipeline ``path`` names, checked without loading it (nor
    importing spaCy): :class:`ClassifierError` when there is none."""
    from .ner_model import ModelError, resolve_path, spacy_folder

    try:
        return spacy_folder(resolve_path(path))
    except ModelError as err:
        raise ClassifierError(f"events model: {err}") from None


@lru_cache(maxsize=2)
def load_classifier(path: str):
    """The spaCy textcat pipeline at ``path`` (a folder written by ``vnfacts train --events``)."""
    from .ner_model import load_spacy, ModelError

    try:
        return load_spacy(classifier_folder(path))
    except ModelError as err:
        raise ClassifierError(f"events model: {err}") from None


def event_probabilities(nlp: Any, texts: list[str]) -> list[float]:
    """P(the sentence reports an event) for each classifier text."""
    return [doc.cats.get(ACCEPT, 0.0) for doc in nlp.pipe(texts)]


