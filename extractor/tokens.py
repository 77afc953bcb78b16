"""Words of the canonical text, the one way every finder reads them.

A :class:`Token` is a span of the canonical text with its lower-case and folded forms (the folded
form is the same slice of the document's folded twin, which has the same length). What counts as
one word differs between finders, and each finder's rule is a named pattern here:

- :data:`ORG_WORD`: letters and digits, with codes kept whole (``LĐ-TB&XH``, ``TP.HCM``, ``dantri.vn``);
- :data:`FOLDED_SYLLABLE`: a run of ASCII letters and digits of the folded text (places match
  gazetteer keys, so text with or without diacritics gives the same tokens);
- :data:`PHRASE_WORD`: letters, hyphen-joined words and ``%``, only spaces or tabs between them
  (figures read the few words around a number: punctuation ends the phrase).

:func:`scan` finds the tokens of a pattern; :func:`document_tokens` finds them once per document
as a :class:`TokenList` (a finder reads every token's word, but builds a :class:`Token` only for
the few it looks at); :func:`words_after` and :func:`words_before` read the phrase next to a
position.
"""
from __future__ import annotations

import bisect
import operator
import re
from functools import lru_cache
from itertools import accumulate, compress, count as count_from
from typing import Sequence

import regex

from .clean import fold, fold_query
from .work import count

# Acronyms with inner punctuation stay one token (LĐ-TB&XH, TP.HCM); else letters/digits runs.
ORG_WORD = regex.compile(r"\p{Lu}[\p{Lu}\p{N}]*(?:[&.\-][\p{Lu}\p{N}]+)+|[\p{L}\p{N}]+(?:\.vn)?")
# On the folded text: ASCII letters and digits.
FOLDED_SYLLABLE = re.compile(r"[a-z0-9]+")
# Letters (no digits), hyphen-joined words; after a number `%` is a word too.
PHRASE_WORD = regex.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_PHRASE_WORD_BEFORE = regex.compile(r"(" + PHRASE_WORD.pattern + r")[ \t]*$", regex.REVERSE)
_BEFORE_WINDOW = 40  # characters looked back for one word before a position


def starts_name(first: str) -> bool:
    """Whether a word whose first character is ``first`` may be a word of a name: a capital or a
    digit first (`Hội NCT`, `Trường 19-5`)."""
    return first.isupper() or first.isdigit()


class Token:
    """One word: where it is in the canonical text (``start``, ``end``), as written (``text``), in
    lower case (``lower``) and folded (``folded``, the same slice of the folded twin)."""

    __slots__ = ("start", "end", "text", "lower", "folded", "starts_name")

    def __init__(self, start: int, end: int, text: str, folded: str):
        self.start, self.end, self.text, self.folded = start, end, text, folded
        self.lower = text.lower()
        # read in every loop of the finders, so set once here
        self.starts_name = starts_name(text[:1])

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"

    @property
    def capital(self) -> bool:
        """Written with a capital initial."""
        return self.text[:1].isupper()

    @property
    def digit(self) -> bool:
        """Begins with a digit."""
        return self.text[:1].isdigit()

    @property
    def acronym(self) -> bool:
        """Two letters or more, all capitals (`UBND`, `LĐ-TB&XH`)."""
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    def same(self, word: tuple[str, str]) -> bool:
        """Whether this token is ``word`` (lower, folded): with its diacritics when the text has
        them (`Sở` is not `số`, `Vụ` is not `Vũ`), by the folded form when it has none."""
        return self.lower == word[0] or (self.text.isascii() and self.folded == word[1])


def token(text: str, folded: str, start: int, end: int) -> Token:
    """The token at ``[start, end)`` of the canonical text and its folded twin."""
    return Token(start, end, text[start:end], folded[start:end])


def scan(text: str, folded: str, word, start: int = 0, end: int | None = None, *,
         on_folded: bool = False) -> list[Token]:
    """Every token ``word`` (a compiled pattern) finds in ``[start, end)``, matched on the canonical
    text, or on the folded twin with ``on_folded``."""
    source = folded if on_folded else text
    end = len(source) if end is None else end
    return [Token(m.start(), m.end(), text[m.start():m.end()], folded[m.start():m.end()])
            for m in word.finditer(source, start, end)]


class TokenList(Sequence):
    """The tokens of one pattern over a whole document, or a window of them: every token's
    ``words`` (as the pattern matched it) and offsets are there at once, a :class:`Token` is built
    the first time it is read (``toks[k]``) and shared by every window of the same document."""

    __slots__ = ("text", "folded", "words", "starts", "ends", "base", "size", "_made")

    def __init__(self, text: str, folded: str, words: list[str], starts: list[int], ends: list[int],
                 base: int = 0, size: int | None = None, made: list | None = None):
        self.text, self.folded, self.words, self.starts, self.ends = text, folded, words, starts, ends
        self.base = base
        self.size = len(words) - base if size is None else size
        # the document's tokens built so far, by index (None: not yet): a list reads faster than a dict
        self._made = [None] * len(words) if made is None else made

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, k):
        # the finders read tokens one at a time, most of them again and again: that path first
        if k.__class__ is int and 0 <= k < self.size:
            tok = self._made[k + self.base]
            if tok is not None:
                return tok
        elif k.__class__ is not int:
            return [self[i] for i in range(*k.indices(self.size))]  # a slice
        elif -self.size <= k < 0:
            k += self.size
        else:
            raise IndexError(k)
        k += self.base
        tok = self._made[k]
        if tok is None:
            start, end = self.starts[k], self.ends[k]
            tok = self._made[k] = Token(start, end, self.text[start:end], self.folded[start:end])
        return tok

    def window(self, start: int, end: int) -> "TokenList":
        """The tokens inside ``[start, end)`` of the text (indexes from 0 again)."""
        return self.between(*self.bounds(start, end))

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The document indexes ``lo, hi`` of the tokens inside ``[start, end)`` of the text (those
        of :meth:`window`: ``tokens[lo:hi]``, without building it)."""
        lo = bisect.bisect_left(self.starts, start, self.base, self.base + self.size)
        return lo, bisect.bisect_left(self.ends, end + 1, lo, self.base + self.size)  # those that end by `end`

    def between(self, lo: int, hi: int) -> "TokenList":
        """The tokens of document indexes ``[lo, hi)`` (indexes from 0 again)."""
        return TokenList(self.text, self.folded, self.words, self.starts, self.ends, lo, hi - lo, self._made)

    def indexes_of(self, words) -> list[int]:
        """The indexes of the tokens whose word is one of ``words`` (a set or a dict), in order,
        without building the tokens."""
        base = self.base
        mine = self.words if base == 0 and self.size == len(self.words) else self.words[base:base + self.size]
        return list(compress(count_from(), map(words.__contains__, mine)))

    def starts_of(self, words) -> list[int]:
        """Where the tokens whose word is one of ``words`` (a set) start, in order."""
        starts = self.starts
        return [starts[self.base + k] for k in self.indexes_of(words)]

    def starts_name_flags(self) -> list[bool]:
        """:attr:`Token.starts_name` of every token of the document (a capital or a digit first),
        without building the tokens."""
        firsts = list(map(self.text.__getitem__, self.starts))
        return list(map(operator.or_, map(str.isupper, firsts), map(str.isdigit, firsts)))


def document_tokens(ctx, word, *, on_folded: bool = False) -> TokenList:
    """Every token ``word`` (a compiled pattern) finds in the document of ``ctx``, on its canonical
    text or on the folded twin with ``on_folded``: one split per document and pattern, kept in the
    document's memo for every finder that reads the same words."""
    key = ("tokens", word.pattern, on_folded)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = token_list(ctx.text, ctx.folded, word, on_folded=on_folded)
    return found


def token_list(text: str, folded: str, word, *, on_folded: bool = False) -> TokenList:
    """Every token ``word`` finds in ``text`` (or in its folded twin ``folded``, with ``on_folded``):
    :func:`document_tokens` without a document's memo."""
    # split with the pattern as a group: gap, word, gap, word, ..., gap, all in C
    source = folded if on_folded else text
    twin = _re_twin(word)
    parts = (twin[0] if twin and not twin[1].search(source) else _splitter(word)).split(source)
    offsets = list(accumulate(map(len, parts), initial=0))
    words = parts[1::2]
    count("tokens.documents_split", 1)
    count("tokens.words", len(words))
    return TokenList(text, folded, words, offsets[1:-1:2], offsets[2::2])


_SPLITTERS: dict = {}


def _splitter(word):
    """``word`` wrapped in one capturing group (its own groups made non-capturing), for ``split``."""
    if word not in _SPLITTERS:
        module = regex if isinstance(word, regex.Pattern) else re
        if word.groups:
            raise ValueError(f"a token pattern must have no capturing group: {word.pattern!r}")
        _SPLITTERS[word] = module.compile("(" + word.pattern + ")", word.flags)
    return _SPLITTERS[word]


# The characters of Latin and Vietnamese text and its punctuation (99.5% of the articles of
# baomoi-all hold no other): on text made of them only, ORG_WORD's `\p{...}` classes are written out
# as the characters `regex` puts in them, and `re` splits it (1.6x faster than `regex` here).
_PLAIN_RANGES = ((0x0000, 0x024F), (0x1E00, 0x1EFF), (0x2000, 0x206F))


@lru_cache(maxsize=4)
def _re_twin(word) -> tuple[re.Pattern, re.Pattern] | None:
    """For :data:`ORG_WORD`: its splitter written for `re` with each class spelled out over
    :data:`_PLAIN_RANGES` (the same splits on text of those characters, as it is the same pattern
    over the same classes), and a pattern that finds a character outside them (where `regex` splits
    instead). None for any other pattern."""
    if word is not ORG_WORD:
        return None
    chars = "".join(chr(c) for low, high in _PLAIN_RANGES for c in range(low, high + 1))

    def spelled(prop: str) -> str:
        """The characters of ``[prop]`` (a `regex` class body) among the plain ones, as `re` ranges."""
        return _as_ranges(sorted(map(ord, regex.findall(f"[{prop}]", chars))))
    source = word.pattern
    for prop in (r"\p{Lu}\p{N}", r"\p{L}\p{N}"):
        source = source.replace(f"[{prop}]", f"[{spelled(prop)}]")
    source = source.replace(r"\p{Lu}", "[" + spelled(r"\p{Lu}") + "]")
    if r"\p" in source:
        raise ValueError(f"a class left for `regex` in {source!r}")
    outside = "[^" + "".join(f"{_re_char(low)}-{_re_char(high)}" for low, high in _PLAIN_RANGES) + "]"
    return re.compile("(" + source + ")"), re.compile(outside)


def _re_char(code: int) -> str:
    return f"\\U{code:08x}"


def _as_ranges(codes: list[int]) -> str:
    """Sorted code points as the body of a `re` class (runs written `a-b`)."""
    out, start = [], None
    for k, code in enumerate(codes):
        if start is None:
            start = code
        if k + 1 == len(codes) or codes[k + 1] != code + 1:
            out.append(_re_char(start) if start == code else f"{_re_char(start)}-{_re_char(code)}")
            start = None
    return "".join(out)


def words_after(text: str, folded: str, pos: int, limit: int = 12) -> list[Token]:
    """The phrase right after ``pos`` (:data:`PHRASE_WORD` words and ``%``): the first word may touch
    ``pos`` (`5%`), the others follow spaces or tabs; anything else ends the phrase."""
    if limit < 1:
        return []
    m = _phrase_after(limit).match(text, pos)
    return [token(text, folded, start, end) for start, end in m.spans("word")] if m else []


@lru_cache(maxsize=16)
def _phrase_after(limit: int) -> regex.Pattern:
    """Up to ``limit`` words of :func:`words_after` in one match (each word's span: ``spans("word")``);
    a word is as long as it can be, so the words are those of reading them one at a time."""
    word = "(?P<word>%|" + PHRASE_WORD.pattern + ")"
    return regex.compile(rf"[ \t]*{word}(?:[ \t]+{word}){{0,{limit - 1}}}")


def words_before(text: str, folded: str, pos: int, limit: int = 4) -> list[Token]:
    """The phrase right before ``pos`` (:data:`PHRASE_WORD` words, nearest last), spaces or tabs
    between them; a word is looked for at most 40 characters back."""
    out: list[Token] = []
    while len(out) < limit:
        m = _PHRASE_WORD_BEFORE.search(text, max(0, pos - _BEFORE_WINDOW), pos)
        if not m or m.end() != pos or (out and m.end(1) == pos):
            break
        out.insert(0, token(text, folded, *m.span(1)))
        pos = m.start(1)
    return out


def syllable_starts(ctx, words) -> list[int]:
    """Where the document's folded syllables (:data:`FOLDED_SYLLABLE`) that are one of ``words`` (a
    set) start, in order: the places a phrase that opens with one of them may be tried."""
    return document_tokens(ctx, FOLDED_SYLLABLE, on_folded=True).starts_of(words)


def opening_syllables(phrases) -> frozenset[str] | None:
    """The folded first syllable of each of ``phrases`` (as written, in any case), where a match of
    one of them must open (:func:`matches_at_openings`); None when one opens with no letter or digit."""
    openings = [FOLDED_SYLLABLE.match(fold(p)) for p in phrases]
    return frozenset(m.group() for m in openings) if all(openings) else None


def matches_at_openings(ctx, pattern, openings: frozenset[str] | None, text: str | None = None) -> list:
    """What ``pattern.finditer`` finds in the document's canonical text (or ``text``, of the same
    length, such as its folded twin), for a pattern whose every match opens a word (no letter or
    digit before it) with one of the folded syllables ``openings``: ``pattern.match`` tried only where
    one of them stands (:func:`syllable_starts`), left to right and not overlapping, instead of at
    every character (a pattern that opens with a lookbehind or a long alternation is tried at each
    one). No character but a letter or a digit folds to one, so such a match opens a folded syllable.
    ``openings`` None: ``finditer`` itself."""
    source = ctx.text if text is None else text
    if openings is None:
        return list(pattern.finditer(source))
    found, free, match = [], 0, pattern.match
    for start in syllable_starts(ctx, openings):
        if start >= free and (m := match(source, start)) is not None:
            found.append(m)
            free = m.end()
    return found


class FoldedPhrases:
    """Folded phrases (``khach san``, ``ql``; a space between words stands for any whitespace) found
    as whole words on a document's folded text, each match the longest phrase at its place that
    ``then`` (a regex that cannot open with a letter or digit, such as ``\\s+``) follows, left to right
    and not overlapping, as ``finditer`` of the alternation of the phrases longest first finds them.

    The pattern is a tree of the phrases' prefixes (:func:`prefix_tree_alternation`): the phrases
    that match at one place are prefixes of one another (no two branches of a node match the same
    character), and the tree tries the longer first. It is tried only where a folded syllable that
    opens a phrase stands (:func:`syllable_starts`), as a whole-word match must open there."""

    def __init__(self, phrases, then: str):
        phrases = set(phrases)
        self.pattern = re.compile(prefix_tree_alternation(phrases, after_first="(?<![a-z0-9].)") + then)
        # a phrase that opens with another character is looked for at every position
        self.openings = opening_syllables(phrases)

    def finditer(self, ctx) -> list[re.Match]:
        return matches_at_openings(ctx, self.pattern, self.openings, ctx.folded)


def prefix_tree_alternation(phrases, gap: str = r"\s+", escape=re.escape, after_first: str = "") -> str:
    """A regex source that matches what the alternation ``p1|p2|...`` of ``phrases`` matches (a
    space in a phrase stands for ``gap``), written as a tree of their common prefixes
    (``h(?:oi(?:\\s+nghi|\\s+thao)|op)``): a search then tries one branch per character at each
    position instead of every phrase. The same strings match, not always the same one first: for
    whether (or where) something matches, not for which phrase a finder keeps. ``after_first``
    goes right after each first character: a lookbehind there (``(?<!\\w.)``, no word character
    before the phrase) leaves the pattern opening with a literal, so that ``re`` skips at once the
    positions where no phrase's first character stands."""
    end = ""  # the key that marks a phrase ending at a node
    root: dict = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[end] = True

    def written(node: dict, first: bool = False) -> str:
        branches = [(gap if char == " " else escape(char)) + (after_first if first else "") + written(child)
                    for char, child in sorted(node.items()) if char != end]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end in node else body
    return written(root, first=True)


@lru_cache(maxsize=2)
def _trie_patterns(module):
    """A word character, a non-word one, spaces, a chunk without spaces: in ``module``'s reading.
    Compiled once (a trie is built per document: the modules' own caches cost more to ask)."""
    return module.compile(r"\w"), module.compile(r"\W"), module.compile(r"\s+"), module.compile(r"\S+")


class PhraseTrie:
    """Phrases of parts separated by single spaces (``fold_query`` keys: ``so y te tinh nghe an``),
    found where a text writes them with any whitespace between the parts, as the alternation
    ``(?<!\\w)(?:part\\s+part...)(?!\\w)`` would, but in time linear in the text whatever the number
    of phrases: a walk from a position follows one path of a trie of parts.

    ``module`` is ``re`` or ``regex``, whose ``\\w`` and ``\\s`` the phrases are matched with (so the
    result is that of the pattern written with that module)."""

    def __init__(self, phrases, module=regex):
        # a node: (the nodes after each inner part, the phrase each last part ends)
        self.root: tuple[dict, dict] = ({}, {})
        self.longest_part = 0
        self.openings: set[str] = set()  # the first folded syllable of each phrase
        self.unanchored: list[str] = []  # phrases that open with no letter or digit (rare: `(`, Cyrillic)
        for phrase in phrases:
            parts = phrase.split(" ")
            node = self.root
            for part in parts[:-1]:
                node = node[0].setdefault(part, ({}, {}))
            node[1][parts[-1]] = phrase
            self.longest_part = max(self.longest_part, *map(len, parts))
            opening = FOLDED_SYLLABLE.match(phrase)
            if opening:
                self.openings.add(opening.group(0))
            else:
                self.unanchored.append(phrase)
        self._word, self._non_word, self._space, self._chunk = _trie_patterns(module)

    def matches_at(self, text: str, pos: int) -> list[tuple[int, str]]:
        """(end, phrase) of every phrase written at ``pos`` of ``text``."""
        if pos > 0 and self._word.match(text, pos - 1):
            return []
        found = []
        children, ends = self.root
        limit = self.longest_part
        while True:
            chunk = self._chunk.match(text, pos, pos + limit + 1)
            if chunk is None:
                return found
            word = chunk.group(0)
            if ends:  # a last part ends before a non-word character: inside the chunk, or after it
                cuts = [m.start() for m in self._non_word.finditer(word, 1, limit + 1)]
                if len(word) <= limit and not (chunk.end() < len(text) and self._word.match(text, chunk.end())):
                    cuts.append(len(word))
                for cut in cuts:
                    phrase = ends.get(word[:cut])
                    if phrase is not None:
                        found.append((pos + cut, phrase))
            child = children.get(word) if len(word) <= limit else None
            gap = self._space.match(text, chunk.end()) if child else None
            if gap is None:
                return found
            (children, ends), pos = child, gap.end()

    def find(self, ctx, text: str | None = None) -> list[tuple[int, int, str]]:
        """(start, end, phrase) of every phrase at every position of the document's folded text
        (or ``text``, of the same length), by position, longest phrase first at a position. The
        positions tried are the tokens that open a phrase (:func:`document_tokens`), and for a
        phrase that opens with no letter or digit, the places its first character is written."""
        source = ctx.folded if text is None else text
        starts = syllable_starts(ctx, self.openings)
        if self.unanchored:
            for first in {phrase[0] for phrase in self.unanchored}:
                at = source.find(first)
                while at >= 0:
                    starts.append(at)
                    at = source.find(first, at + 1)
            starts = sorted(set(starts))
        out = []
        for start in starts:
            for end, phrase in sorted(self.matches_at(source, start), key=lambda m: (-len(m[1]), m[1])):
                out.append((start, end, phrase))
        count("tokens.phrase_walks", len(starts))
        return out


# A Vietnamese syllable, folded: an onset, one to three vowels, a coda (`tai`, `nguyen`, `o`); a
# foreign word is none (`sanna`, `yamaha`, `wolfsburg`).
_VIETNAMESE_SYLLABLE = re.compile(r"(?:ngh|ch|gh|gi|kh|ng|nh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


def vietnamese_syllable(folded: str) -> bool:
    return bool(_VIETNAMESE_SYLLABLE.fullmatch(folded))


def not_a_vietnamese_name(word: str) -> bool:
    """A capitalised word no Vietnamese syllable spells (`Donald`, `Putin`; not an acronym, `TP`)."""
    return word[1:].islower() and not vietnamese_syllable(fold_query(word).lower())
