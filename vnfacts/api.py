"""The Python API behind `vnfacts extract` and `vnfacts evaluate`."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from vnfacts.extractor.inputs import read_documents
from vnfacts.extractor.models import Extraction
from vnfacts.extractor.pipeline import DocumentError, extract_many
from vnfacts.extractor.runs import Progress, RunSummary



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
