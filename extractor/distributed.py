"""Extraction on many cores: worker processes on one machine (`vnfacts extract --jobs N`,
`extract_in_processes`), and the function each task of a Dask cluster maps over one partition of
JSONL lines (README, "Extraction over many machines").

Nothing here imports Dask: the job script builds the bag, and the workers need only vnfacts
installed to run this. The output lines are what `vnfacts extract` writes, documents included, so
`vnfacts load --extracted` stores them.
"""
from __future__ import annotations

import json
from collections import deque
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

from .extractions import extract_with_documents, extraction_line
from .inputs import document_from_json
from .models import Document, Extraction
from .pipeline import DocumentError, extract_many, warm_up, default_pipeline

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# Documents sent to a worker at once: enough that passing them costs little next to extracting
# them (~16 ms a document), few enough that the workers share the end of a run evenly.
CHUNK_DOCUMENTS = 8
# Chunks waiting for or in a worker, per worker: the input is read only this far ahead.
CHUNKS_AHEAD_PER_JOB = 4


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


# -- one machine: worker processes --------------------------------------------------------------
def extract_in_processes(items: Iterable[Document | DocumentError], jobs: int
                         ) -> Iterator[tuple[Document, Extraction] | DocumentError]:
    """What `extract_with_documents` yields for ``items``, in the same order, extracted by ``jobs``
    worker processes. Each worker runs `extract_many` in its main thread, so every document keeps
    its time budget; a document that fails is a DocumentError naming it, and one whose extraction
    ends its worker (a crash, the kernel's OOM killer) is run again alone in a new worker, then
    reported as such; the others go on. Workers are forked (where the platform can), so they share
    this process's hash seed: the same output as one process, whatever a stage's set order."""
    with _Workers(jobs) as workers:
        pending: deque[tuple[list, Future]] = deque()
        for chunk in _chunks(iter(items), CHUNK_DOCUMENTS):
            pending.append((chunk, workers.submit(chunk)))
            if len(pending) >= jobs * CHUNKS_AHEAD_PER_JOB:
                yield from workers.results(*pending.popleft())
        while pending:
            yield from workers.results(*pending.popleft())


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def _warm_worker() -> None:
    warm_up(default_pipeline())


def _extract_chunk(documents: list[Document]) -> list[tuple[str, object]]:
    """In a worker: each document's ("ok", extraction) or ("error", message). (A DocumentError
    does not survive pickling: its message travels instead.)"""
    return [("error", r.message) if isinstance(r, DocumentError) else ("ok", r) for r in extract_many(documents)]


class _Workers:
    """A pool of ``jobs`` processes, started again when one of them dies. (multiprocessing and
    concurrent.futures are imported here, not with the module: ~20 ms of every command's start,
    most of which runs in one process.)"""

    def __init__(self, jobs: int):
        import multiprocessing
        from concurrent.futures.process import BrokenProcessPool

        self.broken = BrokenProcessPool  # what a pool whose worker died raises
        self.jobs = jobs
        self.context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.pool = self._new_pool()
        self.generation = 0  # pools started so far, less one: a future of an older pool is not this one's

    def _new_pool(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=_warm_worker)

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)

    def submit(self, chunk: list) -> Future:
        """Send the chunk's documents (its reading errors stay here) to a worker."""
        documents = [item for item in chunk if not isinstance(item, DocumentError)]
        try:
            future = self.pool.submit(_extract_chunk, documents)
        except self.broken:
            self._restart()
            future = self.pool.submit(_extract_chunk, documents)
        future.generation = self.generation
        return future

    def results(self, chunk: list, future: Future) -> Iterator[tuple[Document, Extraction] | DocumentError]:
        """The chunk's items in order: reading errors as they were, documents with their results."""
        try:
            done = iter(future.result())
        except self.broken:
            if future.generation == self.generation:  # else a new pool was started already
                self._restart()
            done = iter(self._one_by_one([item for item in chunk if not isinstance(item, DocumentError)]))
        for item in chunk:
            if isinstance(item, DocumentError):
                yield item
                continue
            status, value = next(done)
            yield DocumentError(item.id, value) if status == "error" else (item, value)

    def _one_by_one(self, documents: list[Document]) -> list[tuple[str, object]]:
        """A chunk whose worker died: each document again in a worker of its own, so that the one
        that kills it costs only itself."""
        out = []
        for doc in documents:
            try:
                out.extend(self.pool.submit(_extract_chunk, [doc]).result())
            except self.broken:
                out.append(("error", "its extraction ended the worker process (a crash, or killed for memory); "
                                     "the document is skipped"))
                self._restart()
        return out

    def _restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new_pool()
        self.generation += 1
