"""Fuzzing `vnfacts annotate import` (and read_export behind it) with random structures: random
JSON, and good Label Studio exports with random parts replaced, deleted or duplicated. Whatever
comes in: no internal error, an answer of 0 (imported) or 1 (problems, each naming a task or the
file, and nothing written); what is imported passes the guide's checks with exact offsets; and a
valid document goes out to Label Studio and comes back the same."""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnfacts.annotation.labelstudio import export_tasks, read_export
from vnfacts.annotation.schema import check_document
from vnfacts.cli import main
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline, extract, warm_up

from fuzz_strategies import damaged, examples, hard_limit, json_values, vietnamese_text

READ_FUZZ = settings(max_examples=examples(300), deadline=timedelta(seconds=5),
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
COMMAND_FUZZ = settings(READ_FUZZ, max_examples=examples(60))

# The words of an export, so that random structures reach past the first checks.
EXPORT_KEYS = ("id", "data", "text", "published", "source", "annotations", "result", "value", "start", "end",
               "labels", "type", "from_name", "to_name", "was_cancelled", "completed_by", "drafts", "created_at",
               "updated_at", "prediction", "model_version", "project")
EXPORT_WORDS = ("labels", "textarea", "label", "norm", "events", "ORG", "LOC", "DATE", "{}", "[]", '{"name": "x"}')

EXPORT_VALUES = json_values(EXPORT_KEYS, EXPORT_WORDS)

TEXT = "Ngày 5/6/2023 😀, Sở Y tế tỉnh Nghệ An tổ chức hội nghị triển khai Quyết định số 1438/QĐ-TTg với 120 đại biểu."


def setup_module():
    os.environ.pop("VNFACTS_DEBUG", None)
    warm_up(default_pipeline())


def gold_document(doc_id: str, text: str) -> dict:
    """A guide-format document whose facts are the extractor's: valid by construction."""
    extraction = extract(Document(doc_id, text)).to_json()
    return {"id": doc_id, "text": text, "published": None, "source": None,
            "entities": [{k: e[k] for k in ("start", "end", "label", "text", "norm")} for e in extraction["entities"]],
            "events": [{k: v for k, v in event.items() if k != "sentence"} for event in extraction["events"]]}


GOOD_EXPORT = export_tasks([gold_document("fz-1", TEXT)], gold={"fz-1": gold_document("fz-1", TEXT)})


def damaged_exports():
    """The good export with a few random places replaced by random JSON, deleted or duplicated."""
    return damaged(GOOD_EXPORT, EXPORT_VALUES)


def assert_imported_documents_are_valid(documents: list[dict]) -> None:
    for doc in documents:
        assert check_document(doc) == []
        for entity in doc["entities"]:
            assert doc["text"][entity["start"]:entity["end"]] == entity["text"]


def assert_read_cleanly(export) -> None:
    with hard_limit(10):
        result = read_export(export)
    for problem in result.problems:
        assert problem.where.startswith(("task ", "export")) and problem.message
    if result.problems:
        return
    assert_imported_documents_are_valid(result.documents)


@READ_FUZZ
@given(export=EXPORT_VALUES)
def test_random_json_is_read_or_refused(export):
    assert_read_cleanly(export)


@READ_FUZZ
@given(export=damaged_exports())
def test_a_damaged_export_is_read_or_refused(export):
    assert_read_cleanly(export)


@COMMAND_FUZZ
@given(export=st.one_of(damaged_exports(), EXPORT_VALUES), raw=st.one_of(st.none(), st.binary(max_size=60)))
def test_the_import_command_answers_0_or_1_and_writes_only_a_valid_import(export, raw):
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "export.json", Path(tmp) / "annotations" / "labelstudio.jsonl"
        path.write_bytes(raw if raw is not None else json.dumps(export, ensure_ascii=False).encode("utf-8"))
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["annotate", "import", str(path), "-o", str(out), "--articles"])
        message = err.getvalue()
        assert code in (0, 1) and "internal error" not in message and "Traceback" not in message, message
        if code == 1:
            assert "problem: " in message and "nothing written" in message and not out.exists(), message
        elif out.exists():
            assert_imported_documents_are_valid([json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line])


@settings(READ_FUZZ, max_examples=examples(40), deadline=timedelta(seconds=10))
@given(text=vietnamese_text(max_tokens=60))
def test_a_valid_document_comes_back_from_label_studio_the_same(text):
    """Out as a task (offsets in UTF-16 units) and back (code points): the same facts, whatever the text holds."""
    gold = gold_document("round-trip", text)
    result = read_export(export_tasks([gold], gold={gold["id"]: gold}))
    assert result.problems == []
    back = result.documents[0]
    assert (back["text"], back["entities"], back["events"]) == (gold["text"], gold["entities"], gold["events"])
