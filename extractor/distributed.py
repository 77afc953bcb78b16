"""Extraction on a Dask cluster: the function each task maps over one partition of JSONL lines
(README, "Extraction over many machines").

Nothing here imports Dask: the job script builds the bag, and the workers need only vnfacts
installed to run this. The output lines are what `vnfacts extract` writes, documents included, so
`vnfacts load --extracted` stores them.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from .extractions import extract_with_documents, extraction_line
from .inputs import document_from_json
from .models import Document
from .pipeline import DocumentError


def _documents(lines: Iterable[str]) -> Iterator[Document | DocumentError]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield document_from_json(json.loads(line), f"line {number} of the partition")
        except DocumentError as err:
            yield err
        except ValueError as err:  # not JSON
            yield DocumentError(f"line {number} of the partition", f"invalid JSON: {err}")


def extract_partition(lines: Iterable[str]) -> Iterator[str]:
    """One partition of input JSONL lines -> output JSONL lines (`vnfacts extract` format). A
    document that cannot be read or extracted becomes an ``{"id", "error"}`` line; the others go on."""
    for result in extract_with_documents(_documents(lines)):
        if isinstance(result, DocumentError):  # a bad document is reported, the others go on
            yield json.dumps({"id": result.doc_id, "error": str(result)}, ensure_ascii=False)
        else:
            yield extraction_line(*result)
