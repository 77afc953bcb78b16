"""Keeping the longest of overlapping spans, in O(n log n): shared by the pipeline's overlap
settling and by finders that pick among overlapping candidates of their own."""
from __future__ import annotations

from typing import Callable, Iterable, TypeVar

from .work import count

T = TypeVar("T")  # anything with integer .start and .end


def keep_longest(items: Iterable[T], tie_break: Callable[[T], object] = lambda item: 0) -> list[T]:
    """Non-overlapping items, the longer first (then ``tie_break``, then the earlier), by start."""
    ordered = sorted(items, key=lambda s: (-(s.end - s.start), tie_break(s), s.start))
    if not ordered:
        return []
    # One byte per character between the first start and the last end: set where a kept item
    # lies. The kept items never overlap, so marking them costs the text's length at most, and
    # asking about an item costs its own length (a sorted list with inserts was quadratic).
    low = min(s.start for s in ordered)
    taken = bytearray(max(s.end for s in ordered) - low + 1)
    kept: list[T] = []
    for item in ordered:
        if item.end <= item.start:
            continue
        start, end = item.start - low, item.end - low
        if taken.find(1, start, end) >= 0:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(item)
    count("spans.kept_tested", len(ordered))
    kept.sort(key=lambda s: s.start)
    return kept
