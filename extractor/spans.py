"""Keeping the longest of overlapping spans, in O(n log n): shared by the pipeline's overlap
settling and by finders that pick among overlapping candidates of their own."""
from __future__ import annotations

import bisect
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")  # anything with integer .start and .end


def keep_longest(items: Iterable[T], tie_break: Callable[[T], object] = lambda item: 0) -> list[T]:
    """Non-overlapping items, the longer first (then ``tie_break``, then the earlier), by start."""
    ordered = sorted(items, key=lambda s: (-(s.end - s.start), tie_break(s), s.start))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[T] = []
    for item in ordered:
        if item.end <= item.start:
            continue
        i = bisect.bisect_right(starts, item.start)
        if (i > 0 and ends[i - 1] > item.start) or (i < len(starts) and starts[i] < item.end):
            continue
        starts.insert(i, item.start)
        ends.insert(i, item.end)
        kept.append(item)
    kept.sort(key=lambda s: s.start)
    return kept
