"""The Python API behind `vnfacts extract` and `vnfacts evaluate`, and the extract format read
back for storage (`vnfacts load --extracted`)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from vnfacts.extractor.distributed import extract_in_processes
from vnfacts.extractor.extractions import extract_with_documents, extraction_line, read_extractions
from vnfacts.extractor.inputs import read_documents
from vnfacts.extractor.models import Document, Extraction
from vnfacts.extractor.pipeline import DocumentError
from vnfacts.extractor.runs import Progress, RunSummary


def _extract_inputs(inputs: Iterable[str | Path], progress: bool, summary: RunSummary,
                    jobs: int = 1) -> Iterator[tuple[Document, Extraction] | DocumentError]:
    bar = Progress("documents", enabled=progress)
    documents = read_documents(inputs)
    results = extract_in_processes(documents, jobs) if jobs > 1 else extract_with_documents(documents)
    for result in results:
        failed = isinstance(result, DocumentError)
        summary.add(result if failed else result[1])
        bar.update(failed=failed)
        yield result
    if progress:
        bar.close()


def extract_documents(inputs: Iterable[str | Path], progress: bool = False,
                      summary: RunSummary | None = None) -> Iterator[Extraction | DocumentError]:
    """Extract every document of ``inputs``; yields an Extraction or a DocumentError for each."""
    summary = summary if summary is not None else RunSummary()
    for result in _extract_inputs(inputs, progress, summary):
        yield result if isinstance(result, DocumentError) else result[1]


def extract_to(inputs: Iterable[str | Path], out: IO[str], progress: bool = True, errors: IO[str] | None = None,
               jobs: int = 1) -> RunSummary:
    """`vnfacts extract`: write one JSON line per document, report failures on ``errors``; with
    ``jobs`` > 1, extracted by that many worker processes (the same lines in the same order)."""
    errors = errors or sys.stderr
    summary = RunSummary()
    for result in _extract_inputs(inputs, progress, summary, jobs):
        if isinstance(result, DocumentError):
            print(f"vnfacts extract: error: {result}", file=errors)
        else:
            document, extraction = result
            out.write(extraction_line(document, extraction) + "\n")
    if progress:
        for line in summary.lines():
            print(line, file=errors)
    return summary


__all__ = ["RunSummary", "extract_documents", "extract_to", "extract_with_documents", "extraction_line",
           "read_extractions"]
