"""Extraction on a Dask cluster: the function each task maps over one partition of JSONL lines
(README, "Extraction over many machines").

Nothing here imports Dask: the job script builds the bag, and the workers need only vnfacts
installed to run this. The output lines are what `vnfacts extract` writes, documents included, so
`vnfacts load --extracted` stores them.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator


def extract_partition(lines: Iterable[str]) -> Iterator[str]:
    """One partition of input JSONL lines -> output JSONL lines (`vnfacts extract` format). A
    document that cannot be read or extracted becomes an ``{"id", "error"}`` line; the others go on."""
    from vnfacts.api import extraction_line
    from vnfacts.extractor.inputs import document_from_json
    from vnfacts.extractor.pipeline import DocumentError, default_pipeline

    pipeline = default_pipeline()  # cached: loaded once per worker process
    for line in lines:
        if not line.strip():
            continue
        try:
            doc = document_from_json(json.loads(line), "input")
            yield extraction_line(doc, pipeline.extract(doc))
        except (DocumentError, ValueError) as err:  # a bad document is reported, the others go on
            yield json.dumps({"id": getattr(err, "doc_id", None), "error": str(err)}, ensure_ascii=False)
