"""Sentence boundaries on the canonical text, so every fact can name the sentence it came from."""
from __future__ import annotations

from functools import lru_cache

import regex

from .resources import load_data

# A sentence ends at a line break, or at . ! ? … followed by space and something that can open a
# sentence (a capital, a digit, a quote or a bracket). \p{Lu}, not a range such as À-Ỹ: that one
# holds the lower-case letters too (`vậy. đó là` is one sentence). The mark is matched and left
# out of the break (\K), not looked behind for at every character: the pattern then opens with a
# character class the scan skips to; no line break right after the mark, where `\n+` breaks.
_BREAK = regex.compile(r"\n+|[.!?…]\K(?!\n)[\"”’)]?\s+(?=[\"“‘(\[\p{Lu}0-9])")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(load_data("abbreviations.yaml")["sentence_abbreviations"])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``[start, end)`` of each non-blank sentence of ``text``, leading/trailing space trimmed."""
    abbreviations = _abbreviations()
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BREAK.finditer(text):
        if m.group(0)[0] != "\n":
            before = text[start:m.start()].rstrip("\"”’)")
            words = before.rsplit(None, 1)  # (no word: [])
            last = words[-1] if words else ""
            if last.endswith(".") and last[:-1].lstrip("(\"“") in abbreviations:
                continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    trimmed = []
    for s, e in out:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if e - trail > s + lead:
            trimmed.append((s + lead, e - trail))
    return trimmed


def sentence_index(sentences: list[tuple[int, int]], offset: int) -> int | None:
    """Index of the sentence that holds ``offset`` (binary search), or None."""
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid][1] <= offset:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(sentences) and sentences[lo][0] <= offset < sentences[lo][1]:
        return lo
    return None
