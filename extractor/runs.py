"""Long runs over many documents: progress on stderr (items done, rate, time left) and a summary at the end."""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO

from .models import Extraction
from .pipeline import DocumentError


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60:d}:{seconds % 60:02d}"


class Progress:
    """Report ``done/total``, rate and ETA at most every ``every`` seconds.

    On a terminal the line is redrawn in place; elsewhere (CI logs) one line is printed per
    interval, so logs stay readable.
    """

    def __init__(self, what: str, total: int | None = None, stream: IO[str] | None = None,
                 every: float = 1.0, enabled: bool = True):
        self.what = what
        self.total = total
        self.stream = stream or sys.stderr
        self.every = every if self.stream.isatty() else max(every, 5.0)
        self.enabled = enabled
        self.done = 0
        self.failed = 0
        self.start = time.monotonic()
        self._last = self.start
        self._tty = self.stream.isatty()

    def update(self, n: int = 1, failed: bool = False) -> None:
        self.done += n
        self.failed += int(failed)
        now = time.monotonic()
        if self.enabled and now - self._last >= self.every:
            self._last = now
            self._write(self.line(now), final=False)

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        rate = self.done / elapsed
        parts = [f"{self.done}" + (f"/{self.total}" if self.total else "") + f" {self.what}"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        parts.append(f"{rate:.1f}/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"{_duration((self.total - self.done) / rate)} left")
        parts.append(f"{_duration(elapsed)} elapsed")
        return ", ".join(parts)

    def _write(self, text: str, final: bool) -> None:
        if self._tty:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> str:
        line = self.line()
        if self.enabled:
            self._write("done: " + line, final=True)
        return line


@dataclass
class RunSummary:
    """What a long run did: documents done and failed, facts per label, the failures' messages."""

    documents: int = 0
    failed: int = 0
    labels: Counter = field(default_factory=Counter)
    legal_ids: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def add(self, result: Extraction | DocumentError) -> None:
        if isinstance(result, DocumentError):
            self.failed += 1
            self.errors.append(str(result))
            return
        self.documents += 1
        for e in result.entities:
            self.labels[e.label] += 1
            if e.label == "LEGAL_REF" and e.norm.get("id"):
                self.legal_ids[e.norm["id"]] += 1

    def lines(self, top: int = 10) -> list[str]:
        out = [f"{self.documents} documents extracted, {self.failed} failed, {sum(self.labels.values())} facts"]
        if self.labels:
            out.append("facts per label: " + ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items())))
        if self.legal_ids:
            out.append("most cited documents: " + ", ".join(f"{k} ({v})" for k, v in self.legal_ids.most_common(top)))
        return out
