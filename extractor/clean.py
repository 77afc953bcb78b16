"""The text layer every finder works on.

Vietnamese text arrives as NFC or NFD, with old or new tone placement (``hoà``/``hòa``,
``Uỷ``/``Ủy``), any of half a dozen dashes and odd spaces. :func:`clean_text` maps it to one
canonical form and keeps an offset map back to the input, plus an accent-folded copy of the
canonical text (``quyết định`` -> ``quyet dinh``) that has exactly the same length, so a match
found on the folded text is also a match on the canonical text, and :meth:`CleanText.to_original`
turns it into offsets on the input exactly as given.

Canonical form:
- NFC;
- tone mark of an open ``oa``/``oe``/``uy`` syllable on the first vowel (``hòa``, ``thủy``,
  ``Ủy``: the placement most Vietnamese news uses), and on the second vowel when a consonant
  closes the syllable (``hoàn``, ``khoảng``);
- every dash variant as ``-``; non-breaking and other odd spaces as `` ``; zero-width
  characters, soft hyphens and BOMs dropped.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from .work import count

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
DROPPED = "\u200b\u200c\u200d\u2060\u00ad\ufeff"

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_SIMPLE_MAP = {**{ord(c): "-" for c in DASHES}, **{ord(c): " " for c in SPACES}}
_SIMPLE_CHARS = re.compile("[" + DASHES + SPACES + "]")


def _simple(text: str) -> str:
    """Dashes and odd spaces mapped (``str.translate`` looks every character up: most texts have
    none of them, and the few that have some are changed where they are)."""
    return _SIMPLE_CHARS.sub(lambda m: _SIMPLE_MAP[ord(m.group(0))], text) if _SIMPLE_CHARS.search(text) else text
# Text that needs the slow, cluster-by-cluster path: combining marks, or characters we drop.
_NEEDS_SLOW_PATH = re.compile("[\u0300-\u036f" + DROPPED + "]")
# A run of letters (NFC), and the oa/oe/uy pairs whose tone placement varies. The run is found first
# and searched for a pair after: one pattern `letters* pair letters*` backtracks quadratically over a
# long run of letters with no pair (80,000 letters took a minute).
_LETTERS = "A-Za-zÀ-ỹĐđ"
_LETTER_RUN = re.compile(rf"[{_LETTERS}]+")
_LETTER_RUN_BACK = regex.compile(rf"[{_LETTERS}]+", regex.REVERSE)  # .match(text, pos, end): the run ending at end
_OA_OE_UY = re.compile("[oOòóõỏọÒÓÕỎỌ][aAeEàáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸ]|[uUùúũủụÙÚŨỦỤ][yYỳýỹỷỵỲÝỸỶỴ]")
# The pair's vowels with a tone mark: a run's tone moves only from one of its first pair's vowels to
# the other (_fix_syllable), so a run whose pairs have none is left as it is (`hoa`, `quyết`,
# `chuyển`: half the pairs). Tested on the pair found, not in the pattern: four branches made re
# scan twice as slowly.
_TONED_VOWELS = frozenset("òóõỏọÒÓÕỎỌàáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸùúũủụÙÚŨỦỤỳýỹỷỵỲÝỸỶỴ")


def _split_tone(ch: str) -> tuple[str, str]:
    """'ò' -> ('o', '\\u0300'); letters without a tone mark -> (letter, '')."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in decomposed if c in TONE_MARKS)
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", base), tone


def _fix_syllable(syl: str) -> str:
    """Move the tone mark of an oa/oe/uy syllable to its canonical vowel (length-preserving)."""
    bases, tones = zip(*(_split_tone(c) for c in syl))
    marked = [i for i, t in enumerate(tones) if t]
    if len(marked) != 1:
        return syl
    # one character for each letter: `İ` lower-cases to two (i + a combining dot), which would shift
    # every position after it; such a letter is kept as it is (it is no vowel of a pair)
    lower = "".join(low if len(low := base.lower()) == 1 else base for base in bases)
    m = re.search(r"(oa|oe|uy)", lower)
    if not m:
        return syl
    first, second = m.start(), m.start() + 1
    if lower[:first].endswith("q"):  # "qu" is a consonant: quý, quà keep the mark where it is
        return syl
    if lower[:first].endswith("g") and lower[first] == "u":
        return syl
    closed = second + 1 < len(lower)
    want = second if closed else first
    have = marked[0]
    if have == want or have not in (first, second):
        return syl
    tone = tones[have]
    chars = list(bases)
    chars[want] = unicodedata.normalize("NFC", chars[want] + tone)
    return "".join(chars)


# Syllables are short (nghiêng: 7 letters) and few: those are cached. A longer run is not a
# syllable and caching it would let odd input fill memory (65,536 runs of 1,000 letters: 140 MB).
MAX_CACHED_RUN = 10
_fix_short_syllable = lru_cache(maxsize=65536)(_fix_syllable)


def _fix_run(run: str) -> str:
    return _fix_short_syllable(run) if len(run) <= MAX_CACHED_RUN else _fix_syllable(run)


def _fix_tones(text: str) -> str:
    """Fix the tone placement of every letter run that holds an oa/oe/uy pair with a tone mark on one
    of its vowels (:data:`_TONED_VOWELS`; no other run changes). The pairs are found
    first and each one's run read around it (most runs hold none); a run is read once, and the
    backward read stops at the end of the previous run, so the work is linear in the text."""
    pieces: list[str] = []
    copied = run_end = runs = 0
    for m in _OA_OE_UY.finditer(text):
        if m.start() < run_end:
            continue  # a second pair in a run already fixed
        first, second = m.group()
        if first not in _TONED_VOWELS and second not in _TONED_VOWELS:
            continue  # no tone mark on the pair (a later pair of its run may have one)
        back = _LETTER_RUN_BACK.match(text, run_end, m.start())
        start = back.start() if back else m.start()
        run_end = _LETTER_RUN.match(text, m.start()).end()
        run = text[start:run_end]
        fixed = _fix_run(run)
        runs += 1
        if fixed != run:
            pieces += (text[copied:start], fixed)
            copied = run_end
    count("clean.tone_runs", runs)
    if not pieces:
        return text
    pieces.append(text[copied:])
    return "".join(pieces)


_FOLD_TABLE: dict[int, str] = {}
for _cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
    _c = chr(_cp)
    _f = "".join(x for x in unicodedata.normalize("NFD", _c) if not unicodedata.combining(x)).lower()
    if _c in "Đđ":
        _f = "d"
    if len(_f) == 1 and _f != _c:
        _FOLD_TABLE[_cp] = _f

# _SIMPLE_MAP's characters fold to nothing else, and map to none _FOLD_TABLE changes: one pass does both.
_SIMPLE_MAP_AND_FOLD = {**_FOLD_TABLE, **_SIMPLE_MAP}


# The same table as one string indexed by code point (a character past its end stays as it is):
# str.translate reads a sequence twice as fast as a dict.
_FOLD_SEQUENCE = "".join(_FOLD_TABLE.get(cp, chr(cp)) for cp in range(max(_FOLD_TABLE) + 1))


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ to d, one character for one character. ASCII text
    only lowers its capitals; a sentence or a word folded again (the event linker asks for each
    candidate sentence's folded form at every step) is read from a memo."""
    if text.isascii():
        return text.lower()
    return _fold_memoized(text) if len(text) <= MAX_MEMOIZED_FOLD else text.translate(_FOLD_SEQUENCE)


# Sentences and words up to this length are memoized (a whole article is folded once, by clean_text).
MAX_MEMOIZED_FOLD = 2048


@lru_cache(maxsize=512)
def _fold_memoized(text: str) -> str:
    # (str.translate reads every character of text that is not ASCII through the table: ~65 ns each)
    return text.translate(_FOLD_SEQUENCE)


# Finders normalize the same few words and names over and over (a head noun, a gazetteer key):
# strings up to this length are memoized; longer ones are rare and would only fill the memo.
MAX_MEMOIZED = 64


@lru_cache(maxsize=65536)
def _canonical_short(text: str) -> str:
    return clean_text(text).text


def canonical(text: str) -> str:
    """The canonical form of ``text`` without the offset map (for queries and keys)."""
    return _canonical_short(text) if len(text) <= MAX_MEMOIZED else clean_text(text).text


@lru_cache(maxsize=65536)
def _fold_query_short(text: str) -> str:
    return " ".join(folded_text(text).split())


def folded_text(text: str) -> str:
    """``clean_text(text).folded`` without building the canonical text and its offset map (storage
    folds whole articles). Composed text skips tone placement: folding drops the tone mark
    wherever it sits, and the dashes and spaces map in the same pass."""
    if _NEEDS_SLOW_PATH.search(text):
        return clean_text(text).folded
    return text.translate(_SIMPLE_MAP_AND_FOLD)


def fold_query(text: str) -> str:
    """Canonical, folded, single-spaced form of a user's query or a gazetteer key."""
    return _fold_query_short(text) if len(text) <= MAX_MEMOIZED else " ".join(folded_text(text).split())


def clear_memos() -> None:
    """Forget the memoized short strings and syllables: work measured after this is that of a
    process that has seen no text yet (tests/extractor/test_linear_work.py compares such counts)."""
    for memo in (_canonical_short, _fold_query_short, _fix_short_syllable, _fold_memoized):
        memo.cache_clear()


@dataclass(frozen=True)
class CleanText:
    """Canonical text, its folded twin, and the way back to the input's offsets."""

    original: str
    text: str
    folded: str
    # The offset map, as segments of the canonical text (None: canonical offsets are the input's).
    # Segment k starts at canonical offset _seg_starts[k] and at input offset _seg_origins[k]; it is
    # either a stretch copied one character for one (_seg_ends[k] == -1) or the characters one
    # cluster of the input gave, which all map to that whole cluster [_seg_origins[k], _seg_ends[k]).
    _seg_starts: tuple[int, ...] | None = None
    _seg_origins: tuple[int, ...] | None = None
    _seg_ends: tuple[int, ...] | None = None

    def _span_of(self, pos: int) -> tuple[int, int]:
        """The input's [start, end) that canonical character ``pos`` came from."""
        k = bisect.bisect_right(self._seg_starts, pos) - 1
        origin, end = self._seg_origins[k], self._seg_ends[k]
        if end < 0:
            at = origin + pos - self._seg_starts[k]
            return at, at + 1
        return origin, end

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a canonical ``[start, end)`` span to the input's offsets."""
        if self._seg_starts is None:
            return start, end
        if start >= end:
            pos = self._span_of(start)[0] if start < len(self.text) else len(self.original)
            return pos, pos
        return self._span_of(start)[0], self._span_of(end - 1)[1]

    def original_span(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


def _cluster_start(text: str, at: int, floor: int) -> int:
    """Where the cluster (a character and the combining marks after it) holding ``at`` starts."""
    while at > floor and unicodedata.combining(text[at]):
        at -= 1
    return at


def _cluster_end(text: str, at: int) -> int:
    """The end of the cluster that starts at ``at``."""
    at += 1
    while at < len(text) and unicodedata.combining(text[at]):
        at += 1
    return at


def _clean_cluster(cluster: str) -> str:
    if cluster[0] in DROPPED:
        return cluster[1:]  # a stray mark after a dropped char stays
    return unicodedata.normalize("NFC", cluster).translate(_SIMPLE_MAP)


def clean_text(text: str) -> CleanText:
    """Build the canonical text, the folded text and the offset map for ``text``."""
    count("clean.chars", len(text))
    slow = _NEEDS_SLOW_PATH.search(text)
    if slow is None:
        # Fast path: already composed; every change is one character for one character.
        canon = _fix_tones(_simple(text))
        return CleanText(text, canon, fold(canon))
    # Only the clusters that hold a combining mark or a dropped character are rebuilt one by one
    # (NFC, drop); the text between them is copied one character for one, as on the fast path.
    pieces: list[str] = []
    seg_starts: list[int] = []
    seg_origins: list[int] = []
    seg_ends: list[int] = []
    out_len = copied = slow_chars = 0
    while slow is not None:
        i = _cluster_start(text, slow.start(), copied)
        j = _cluster_end(text, i)
        if i > copied:
            seg_starts.append(out_len)
            seg_origins.append(copied)
            seg_ends.append(-1)
            pieces.append(_simple(text[copied:i]))
            out_len += i - copied
        out = _clean_cluster(text[i:j])
        if out:
            seg_starts.append(out_len)
            seg_origins.append(i)
            seg_ends.append(j)
            pieces.append(out)
            out_len += len(out)
        slow_chars += j - i
        copied = j
        slow = _NEEDS_SLOW_PATH.search(text, j)
    if copied < len(text):
        seg_starts.append(out_len)
        seg_origins.append(copied)
        seg_ends.append(-1)
        pieces.append(_simple(text[copied:]))
    count("clean.slow_chars", slow_chars)
    canon = _fix_tones("".join(pieces))
    if not seg_starts:  # nothing but dropped characters
        seg_starts, seg_origins, seg_ends = [0], [len(text)], [len(text)]
    return CleanText(text, canon, fold(canon), tuple(seg_starts), tuple(seg_origins), tuple(seg_ends))
