"""`vnfacts annotate import` on exports that are structurally wrong: hand-made, each breaking one
thing. Every one is refused with exit code 1 (the command's code for an export with problems), a
message naming the task and what is wrong, no internal error, and nothing written."""
from __future__ import annotations

import copy
import json

import pytest

from vnfacts.annotation.labelstudio import export_tasks, read_export
from vnfacts.cli import main

TEXT = "Ngày 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức hội nghị triển khai Quyết định số 1438/QĐ-TTg với 120 đại biểu."
GOLD = {
    "id": "fz-1", "text": TEXT, "published": "2023-06-05", "source": None,
    "entities": [
        {"start": 0, "end": 13, "label": "DATE", "text": "Ngày 5/6/2023", "norm": {"value": "2023-06-05"}},
        {"start": 15, "end": 35, "label": "ORG", "text": "Sở Y tế tỉnh Nghệ An", "norm": {"name": "Sở Y tế tỉnh Nghệ An"}},
        {"start": 64, "end": 89, "label": "LEGAL_REF", "text": "Quyết định số 1438/QĐ-TTg",
         "norm": {"id": "1438/QĐ-TTg", "type": "Quyết định", "number": 1438, "year": None, "code": "QĐ-TTg",
                  "signed": None, "issuer": None}},
        {"start": 94, "end": 106, "label": "FIGURE", "text": "120 đại biểu",
         "norm": {"value": 120, "unit": "đại biểu", "qualifier": None, "of": None}},
    ],
    "events": [{"type": "hoi_nghi", "date": "2023-06-05", "province": "Nghệ An", "location": None,
                "organizers": ["Sở Y tế tỉnh Nghệ An"], "legal_refs": ["1438/QĐ-TTg"], "participants": 120}],
}


def good_export() -> list[dict]:
    """One task (id 1) with GOLD as its completed annotation, as `vnfacts annotate export` writes it."""
    return export_tasks([GOLD], gold={GOLD["id"]: GOLD})


def results(export: list[dict]) -> list[dict]:
    return export[0]["annotations"][0]["result"]


def span(export: list[dict], label: str) -> dict:
    return next(r for r in results(export) if r["type"] == "labels" and r["value"]["labels"] == [label])


def norm(export: list[dict], label: str) -> dict:
    region = span(export, label)["id"]
    return next(r for r in results(export) if r["from_name"] == "norm" and r["id"] == region)


def events(export: list[dict]) -> dict:
    return next(r for r in results(export) if r["from_name"] == "events")


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def set_norm(label: str, **fields):
    def change(export):
        value = {**GOLD_NORMS[label], **fields}
        norm(export, label)["value"]["text"] = [json.dumps(value, ensure_ascii=False, allow_nan=True)]
    return change


def set_event(**fields):
    def change(export):
        events(export)["value"]["text"] = [json.dumps([{**GOLD["events"][0], **fields}], ensure_ascii=False)]
    return change


GOLD_NORMS = {e["label"]: e["norm"] for e in GOLD["entities"]}


def replace_export(value):
    def change(export):
        export[:] = value
    return change


def assign(path: str, value):
    """A change setting one field, named by a path from the task: ``annotations.0.result.0.value``."""
    def change(export):
        target = export[0]
        *steps, last = path.split(".")
        for step in steps:
            target = target[int(step)] if step.isdigit() else target[step]
        if value is DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return change


DELETE = object()

# name -> (change to a good export, what the message says: the task's name and what is wrong)
BAD_EXPORTS = {
    "a list of non-objects": (replace_export([1, "task", None, [1, 2]]),
                              ["task #1: a task must be a JSON object, got 1", "task #2: a task must be a JSON object",
                               "task #3: a task must be a JSON object, got None", "task #4: a task must be a JSON object"]),
    "a task without data": (assign("data", DELETE), ["task 1: no `data` object"]),
    "data that is a string": (assign("data", "Ngày 5/6/2023"), ["task 1: no `data` object (got 'Ngày 5/6/2023')"]),
    "data without text": (assign("data.text", DELETE), ["task 1 (doc fz-1)", "task data lacks the document `id` or `text`"]),
    "published that is a list": (assign("data.published", ["2023-06-05"]),
                                 ["task 1 (doc fz-1): task data `published` must be a string or null, got ['2023-06-05']"]),
    "annotations that are an object": (assign("annotations", {"result": []}),
                                       ["task 1 (doc fz-1): `annotations` must be a list, got {'result': []}"]),
    "an annotation that is a string": (assign("annotations.0", "done"),
                                       ["task 1 (doc fz-1), annotation #1: an annotation must be a JSON object, got 'done'"]),
    "result that is not a list": (assign("annotations.0.result", {"value": {}}),
                                  ["task 1 (doc fz-1), annotation 1: `result` must be a list of results, got {'value': {}}"]),
    "result that is a string": (assign("annotations.0.result", "ORG"),
                                ["task 1 (doc fz-1), annotation 1: `result` must be a list of results, got 'ORG'"]),
    "a result that is a number": (assign("annotations.0.result.0", 42),
                                  ["task 1 (doc fz-1), annotation 1, result #1: a result must be a JSON object, got 42"]),
    "a result without value": (assign("annotations.0.result.0.value", DELETE),
                               ["task 1 (doc fz-1), annotation 1, result #1 (region", "`value` must be a JSON object, got None"]),
    "a value that is a list": (assign("annotations.0.result.0.value", [0, 13]),
                               ["result #1 (region", "`value` must be a JSON object, got [0, 13]"]),
    "a result without region id": (assign("annotations.0.result.0.id", DELETE),
                                   ["task 1 (doc fz-1), annotation 1, result #1: `id` (the region) must be a string or an integer, got None"]),
    "start: true": (assign("annotations.0.result.0.value.start", True),
                    ["task 1 (doc fz-1), annotation 1, result #1 (region", "`value.start` must be an integer offset, got True"]),
    "end: false": (assign("annotations.0.result.0.value.end", False), ["`value.end` must be an integer offset, got False"]),
    "offsets as strings": (assign("annotations.0.result.0.value.start", "0"),
                           ["result #1 (region", "`value.start` must be an integer offset, got '0'"]),
    "offsets as floats": (assign("annotations.0.result.0.value.end", 13.0), ["`value.end` must be an integer offset, got 13.0"]),
    "labels as a string": (assign("annotations.0.result.0.value.labels", "DATE"),
                           ["`value.labels` must be a list of label names, got 'DATE'"]),
    "labels nested": (assign("annotations.0.result.0.value.labels", [["DATE"]]),
                      ["`value.labels` must be a list of label names, got [['DATE']]"]),
    "span text that is a number": (assign("annotations.0.result.0.value.text", 5), ["`value.text` must be the span's text, got 5"]),
    "was_cancelled as a string": (assign("annotations.0.was_cancelled", "no"),
                                  ["task 1 (doc fz-1), annotation 1: `was_cancelled` must be true, false or null, got 'no'"]),
    "completed_by nested": (assign("annotations.0.completed_by", [[3]]), ["`completed_by` must be a user id"]),
    "created_at as a number": (assign("annotations.0.created_at", 1700000000), ["`created_at` must be a timestamp string"]),
    "drafts as a number": (assign("drafts", 2), ["task 1 (doc fz-1): `drafts` must be a list, got 2"]),
    "nested nonsense 100 levels deep": (assign("annotations.0.result.0.value.labels", nested(100)),
                                          ["task 1: nests lists or objects more than 32 levels deep"]),
    "a norm holding 5,000 nested lists": (lambda export: norm(export, "ORG")["value"].update(text=["[" * 5000 + "]" * 5000]),
                                          ["task 1 (doc fz-1), span 15-35 ORG: the norm cannot be read (RecursionError"]),
    "a norm with a 5,000-digit number": (lambda export: norm(export, "FIGURE")["value"].update(text=['{"value": ' + "9" * 5000 + "}"]),
                                         ["span 94-106 FIGURE: the norm cannot be read (ValueError"]),
    "a norm offset of true": (lambda export: norm(export, "DATE")["value"].update(start=True),
                              ["span 0-13 DATE: the norm field belongs to a different span (True-13)"]),
    "a figure value of true": (set_norm("FIGURE", value=True),
                               ["span 94-106 FIGURE: norm field 'value' is True; expected number or null"]),
    "a figure value of NaN": (set_norm("FIGURE", value=float("nan")),
                              ["span 94-106 FIGURE: norm field 'value' is nan; expected number or null"]),
    "a legal number of true": (set_norm("LEGAL_REF", number=True),
                               ["span 64-89 LEGAL_REF: norm field 'number' is True; expected integer"]),
    "participants: true": (set_event(participants=True),
                           ["task 1 (doc fz-1), event 0: event field 'participants' is True; expected integer or null"]),
    "organizers nested": (set_event(organizers=[["Sở Y tế"]]),
                          ["event 0: event field 'organizers' is [['Sở Y tế']]; expected list of strings"]),
}


def import_command(tmp_path, export, capsys) -> tuple[int, str]:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    code = main(["annotate", "import", str(path), "-o", str(tmp_path / "out" / "labelstudio.jsonl"), "--articles"])
    return code, capsys.readouterr().err


def test_the_good_export_imports(tmp_path, capsys):
    code, err = import_command(tmp_path, good_export(), capsys)
    assert code == 0, err
    written = json.loads((tmp_path / "out" / "labelstudio.jsonl").read_text(encoding="utf-8"))
    assert written["entities"] == GOLD["entities"] and written["events"] == GOLD["events"]


@pytest.mark.parametrize("name", BAD_EXPORTS)
def test_a_malformed_export_is_refused_naming_the_task(tmp_path, capsys, name):
    change, messages = BAD_EXPORTS[name]
    export = good_export()
    change(export)
    code, err = import_command(tmp_path, export, capsys)
    assert code == 1, err
    assert "internal error" not in err and "Traceback" not in err
    for message in messages:
        assert message in err, err
    assert "nothing written" in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, message", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply to read"),
    ('[{"id": ' + "1" * 5000 + "}]", "cannot read: Exceeds the limit"),
])
def test_an_export_that_json_cannot_hold_in_python_is_refused(tmp_path, capsys, content, message):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    code = main(["annotate", "import", str(path), "-o", str(tmp_path / "out.jsonl"), "--articles"])
    err = capsys.readouterr().err
    assert code == 1 and message in err and "internal error" not in err
    assert not (tmp_path / "out.jsonl").exists()


def test_one_bad_task_is_named_and_the_good_one_is_not_blamed():
    export = good_export() + copy.deepcopy(good_export())
    export[1]["id"] = 2
    export[1]["annotations"][0]["result"] = "nonsense"
    problems = [str(p) for p in read_export(export).problems]
    assert problems == ["task 2 (doc fz-1), annotation 1: `result` must be a list of results, got 'nonsense'"]


@pytest.mark.parametrize("bad", [True, False, "3", 3.0, [3], {"n": 3}])
def test_booleans_and_other_non_integers_are_never_offsets_in_guide_files(tmp_path, capsys, bad):
    doc = copy.deepcopy(GOLD)
    doc["entities"][0]["start"] = bad
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["annotate", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "offsets must be integers" in err and "internal error" not in err
