"""Work counters: how many elementary operations the text layer and the finders did.

Wall time on a shared machine says little about how a stage grows with its input; the number of
tokens a finder walked, gazetteer keys it looked up or characters it scanned says exactly that.
Each finder adds its counts once per document or per loop (a local integer added at the end, never
a dictionary update per character), so counting costs nothing measurable.
tests/extractor/test_linear_work.py doubles adversarial inputs and checks that no counter more than
doubles (plus a log factor); bench/extraction.py reports them beside the times.
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from typing import Iterator

WORK: Counter = Counter()  # operation name -> how many since the process started


def count(name: str, n: int = 1) -> None:
    """Add ``n`` operations of kind ``name`` (``places.tokens``, ``clean.slow_chars``...)."""
    WORK[name] += n


@contextmanager
def counting() -> Iterator[Counter]:
    """The operations done inside the block: ``with counting() as work: ...`` then ``work``."""
    done: Counter = Counter()
    before = Counter(WORK)
    try:
        yield done
    finally:
        done.update({k: v - before.get(k, 0) for k, v in WORK.items() if v != before.get(k, 0)})
