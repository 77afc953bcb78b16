"""`vnfacts extract --jobs N`: worker processes on one machine give the lines one process gives, in
the same order; bad documents are still reported by id and cost only themselves, each document
keeps its time budget in a worker, and a document that kills its worker costs only itself."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import vnfacts.extractor.pipeline as pipeline
from vnfacts.extractor.distributed import extract_in_processes
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import DocumentError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "articles.jsonl"
CHILD_ENV = {**os.environ, "PYTHONHASHSEED": "0"}


def vnfacts(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnfacts.cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=CHILD_ENV, timeout=600)


def test_jobs_write_the_lines_one_process_writes_in_its_order(tmp_path):
    """The bundled corpus (real articles), with a line that is not JSON, a text that is a number,
    an NFD copy and a copy with a no-break space and old tone placement among them."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    import unicodedata
    odd = [
        "{not json",
        json.dumps({"id": "number-text", "text": 12345}),
        json.dumps({**first, "id": "nfd", "text": unicodedata.normalize("NFD", first["text"])}, ensure_ascii=False),
        json.dumps({**first, "id": "nbsp-old-tones",
                    "text": first["text"].replace(" ", "\u00a0", 5).replace("hòa", "hoà")}, ensure_ascii=False),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines[:7] + odd + lines[7:]) + "\n", encoding="utf-8")
    one, two = vnfacts("extract", source, "-o", tmp_path / "one.jsonl"), vnfacts("extract", source, "-j", "2",
                                                                                  "-o", tmp_path / "two.jsonl")
    assert one.returncode == two.returncode == 1  # the two bad lines
    written = (tmp_path / "two.jsonl").read_text(encoding="utf-8")
    assert written == (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    ids = [json.loads(line)["id"] for line in written.splitlines()]
    assert len(ids) == len(lines) + 2 and ids[7:9] == ["nfd", "nbsp-old-tones"]
    errors = [line for line in two.stderr.splitlines() if "error:" in line]
    assert errors == [line for line in one.stderr.splitlines() if "error:" in line]
    assert any(f"{source}:8" in e for e in errors) and any("number-text" in e for e in errors)
    assert f"done: {len(lines) + 4} documents, 2 failed" in two.stderr  # the progress line, then the summary
    assert f"{len(lines) + 2} documents extracted, 2 failed" in two.stderr


def slow_and_quick() -> list[Document]:
    slow = Document("slow", "Sở Y tế tỉnh Nghệ An họp ngày 5/6/2023 về Quyết định 1438/QĐ-TTg. " * 20_000)
    return [slow, Document("quick", "Quyết định số 1438/QĐ-TTg."), DocumentError("line 3", "invalid JSON")]


def test_each_document_keeps_its_time_budget_in_a_worker(monkeypatch):
    monkeypatch.setattr(pipeline, "budget_for", lambda text: 0.2)  # the workers are forked with it
    results = list(extract_in_processes(slow_and_quick(), jobs=2))
    assert isinstance(results[0], DocumentError) and results[0].doc_id == "slow"
    assert "longer than its budget" in str(results[0])
    document, extraction = results[1]
    assert document.id == "quick" and extraction.entities[0].norm["id"] == "1438/QĐ-TTg"
    assert isinstance(results[2], DocumentError) and results[2].doc_id == "line 3"


def test_a_document_that_kills_its_worker_costs_only_itself(monkeypatch):
    real = pipeline.Pipeline.extract

    def extract(self, doc):
        if doc.id == "fatal":
            os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
        return real(self, doc)

    monkeypatch.setattr(pipeline.Pipeline, "extract", extract)
    documents = [Document(f"d{i}", f"Quyết định số {1400 + i}/QĐ-TTg.") for i in range(20)]
    documents.insert(11, Document("fatal", "Quyết định số 1/QĐ-TTg."))
    results = list(extract_in_processes(documents, jobs=2))
    assert [r.doc_id if isinstance(r, DocumentError) else r[0].id for r in results] == [d.id for d in documents]
    failed = [r for r in results if isinstance(r, DocumentError)]
    assert [r.doc_id for r in failed] == ["fatal"] and "ended the worker process" in str(failed[0])
    assert all(r[1].entities[0].norm["number"] == int(r[0].id[1:]) + 1400 for r in results if r not in failed)


def test_a_budget_ends_the_document_even_inside_a_handler_of_its_own_errors():
    # the alarm may go off inside code that recovers from its own errors (a cache read that
    # rebuilds on any Exception): the budget must still end the document there
    from vnfacts.extractor.pipeline import BudgetExceeded, time_budget

    def recovering_work():
        deadline = time.monotonic() + 2.0  # far past the budget: ends the test if the alarm is lost
        while time.monotonic() < deadline:
            try:
                sum(range(10_000))
            except Exception:  # noqa: BLE001 - as resources.cached does around a pickle
                pass

    with pytest.raises(BudgetExceeded):
        with time_budget(0.05):
            recovering_work()
