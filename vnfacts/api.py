"""The Python API behind `vnfacts extract` and `vnfacts evaluate`."""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

from vnfacts.extractor.inputs import read_documents
from vnfacts.extractor.models import Extraction
from vnfacts.extractor.pipeline import DocumentError, extract_many

from .progress import Progress


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


def extract_documents(inputs: Iterable[str | Path], progress: bool = False,
                      summary: RunSummary | None = None) -> Iterator[Extraction | DocumentError]:
    """Extract every document of ``inputs``; yields an Extraction or a DocumentError for each."""
    summary = summary if summary is not None else RunSummary()
    bar = Progress("documents", enabled=progress)
    for result in extract_many(read_documents(inputs)):
        summary.add(result)
        bar.update(failed=isinstance(result, DocumentError))
        yield result
    if progress:
        bar.close()


def extract_to(inputs: Iterable[str | Path], out: IO[str], progress: bool = True, errors: IO[str] | None = None) -> RunSummary:
    """`vnfacts extract`: write one JSON line per document, report failures on ``errors``."""
    errors = errors or sys.stderr
    summary = RunSummary()
    for result in extract_documents(inputs, progress=progress, summary=summary):
        if isinstance(result, DocumentError):
            print(f"vnfacts extract: error: {result}", file=errors)
        else:
            out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    if progress:
        for line in summary.lines():
            print(line, file=errors)
    return summary
