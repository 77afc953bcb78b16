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

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
DROPPED = "\u200b\u200c\u200d\u2060\u00ad\ufeff"

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_SIMPLE_MAP = {**{ord(c): "-" for c in DASHES}, **{ord(c): " " for c in SPACES}}
# Text that needs the slow, cluster-by-cluster path: combining marks, or characters we drop.
_NEEDS_SLOW_PATH = re.compile("[\u0300-\u036f" + DROPPED + "]")
# A run of letters (NFC), and the oa/oe/uy pairs whose tone placement varies. The run is found first
# and searched for a pair after: one pattern `letters* pair letters*` backtracks quadratically over a
# long run of letters with no pair (80,000 letters took a minute).
_LETTERS = "A-Za-zÀ-ỹĐđ"
_LETTER_RUN = re.compile(rf"[{_LETTERS}]+")
_OA_OE_UY = re.compile("[oOòóõỏọÒÓÕỎỌ][aAeEàáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸ]|[uUùúũủụÙÚŨỦỤ][yYỳýỹỷỵỲÝỸỶỴ]")


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
    lower = "".join(bases).lower()
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


def _fix_run(m: re.Match) -> str:
    run = m.group(0)
    if not _OA_OE_UY.search(run):
        return run
    return _fix_short_syllable(run) if len(run) <= MAX_CACHED_RUN else _fix_syllable(run)


def _fix_tones(text: str) -> str:
    return _LETTER_RUN.sub(_fix_run, text)


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


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ to d, one character for one character."""
    return text.translate(_FOLD_TABLE)


def canonical(text: str) -> str:
    """The canonical form of ``text`` without the offset map (for queries and keys)."""
    return clean_text(text).text


def folded_text(text: str) -> str:
    """``clean_text(text).folded`` without building the canonical text and its offset map (storage
    folds whole articles). Composed text skips tone placement: folding drops the tone mark
    wherever it sits, and the dashes and spaces map in the same pass."""
    if _NEEDS_SLOW_PATH.search(text):
        return clean_text(text).folded
    return text.translate(_SIMPLE_MAP_AND_FOLD)


def fold_query(text: str) -> str:
    """Canonical, folded, single-spaced form of a user's query or a gazetteer key."""
    return " ".join(folded_text(text).split())


@dataclass(frozen=True)
class CleanText:
    """Canonical text, its folded twin, and the way back to the input's offsets."""

    original: str
    text: str
    folded: str
    _starts: tuple[int, ...] | None = None  # original start of each canonical char (None: identity)
    _ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a canonical ``[start, end)`` span to the input's offsets."""
        if self._starts is None:
            return start, end
        if start >= end:
            pos = self._starts[start] if start < len(self._starts) else len(self.original)
            return pos, pos
        return self._starts[start], self._ends[end - 1]

    def original_span(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


def clean_text(text: str) -> CleanText:
    """Build the canonical text, the folded text and the offset map for ``text``."""
    if not _NEEDS_SLOW_PATH.search(text):
        # Fast path: already composed; every change is one character for one character.
        canon = _fix_tones(text.translate(_SIMPLE_MAP))
        return CleanText(text, canon, fold(canon))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if cluster[0] in DROPPED:
            out = "".join(c for c in cluster[1:])  # a stray mark after a dropped char stays
        else:
            out = unicodedata.normalize("NFC", cluster).translate(_SIMPLE_MAP)
        for ch in out:
            pieces.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    canon = _fix_tones("".join(pieces))
    return CleanText(text, canon, fold(canon), tuple(starts), tuple(ends))
