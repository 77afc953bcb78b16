"""Label Studio formats without a server: config, tasks, the export read back, validation,
conflicts, and the round trip through the `vnfacts annotate` command."""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from vnfacts.extractor.models import LABELS
from vnfacts.annotation.labelstudio import OffsetMap, export_tasks, label_hints, labelling_config, read_export
from vnfacts.annotation.loop import build_tasks, import_export
from vnfacts.annotation.schema import empty_norm
from vnfacts.cli import main

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO / "annotations" / "devset.jsonl"
ARTICLES = REPO / "corpus" / "articles.jsonl"


def gold_docs() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def facts(doc: dict) -> tuple:
    return (doc["id"], doc["text"], [(e["start"], e["end"], e["label"], e["text"], e["norm"]) for e in doc["entities"]],
            doc["events"])


def test_config_is_generated_from_the_guide_labels():
    root = ET.fromstring(labelling_config())
    labels = root.find("Labels")
    assert [l.get("value") for l in labels.findall("Label")] == list(LABELS)
    assert all(l.get("hint") and l.get("hint") != l.get("value") for l in labels.findall("Label"))  # the guide's definitions
    norm = [t for t in root.iter("TextArea") if t.get("name") == "norm"][0]
    assert norm.get("perRegion") == "true" and norm.get("toName") == root.find("Text").get("name")


def test_shipped_label_hints_are_the_guides_headings():
    """The package carries the guide's one-line label definitions (an installed vnfacts has no guide):
    this keeps vnfacts/annotation/label_hints.yaml equal to annotations/ANNOTATION_GUIDE.md."""
    from_guide = label_hints(REPO / "annotations" / "ANNOTATION_GUIDE.md")
    assert set(from_guide) == set(LABELS)
    assert label_hints() == from_guide, "copy the guide's `### LABEL: ...` headings into vnfacts/annotation/label_hints.yaml"


def test_config_command_writes_the_same_xml(tmp_path, capsys):
    assert main(["annotate", "config", "-o", str(tmp_path / "c.xml")]) == 0
    assert (tmp_path / "c.xml").read_text(encoding="utf-8") == labelling_config()


def test_round_trip_through_the_command_gives_back_the_gold(tmp_path):
    tasks_file, out = tmp_path / "tasks.json", tmp_path / "ann" / "out.jsonl"
    assert main(["annotate", "export", "--annotations", str(DEVSET), "--no-predictions", "-o", str(tasks_file)]) == 0
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    # the shape of Label Studio's JSON export: tasks with data, annotations with result lists
    assert all({"id", "data", "annotations", "predictions"} <= set(t) for t in tasks)
    assert all(t["annotations"][0]["result"] and not t["annotations"][0]["was_cancelled"] for t in tasks)
    assert main(["annotate", "import", str(tasks_file), "-o", str(out), "--articles", str(ARTICLES)]) == 0
    back = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [facts(d) for d in back] == [facts(d) for d in gold_docs()]
    assert all(d["provenance"]["tool"] == "label-studio" and d["provenance"]["imported_at"] for d in back)


def test_export_with_predictions_carries_the_model_version_and_one_norm_per_span(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) for d in gold_docs()[:2]),
                    encoding="utf-8")
    tasks, errors = build_tasks([docs], model_version="test-model-7")
    assert not errors and len(tasks) == 2
    from vnfacts.extractor.pipeline import extract
    from vnfacts.extractor.models import Document

    for task in tasks:
        [prediction] = task["predictions"]
        assert prediction["model_version"] == "test-model-7"
        spans = [r for r in prediction["result"] if r["type"] == "labels"]
        norms = {r["id"]: r for r in prediction["result"] if r["from_name"] == "norm"}
        expected = extract(Document(id=task["data"]["id"], text=task["data"]["text"])).entities
        assert len(spans) == len(expected) and set(norms) == {s["id"] for s in spans}
        for span, entity in zip(spans, expected):
            assert (span["value"]["start"], span["value"]["end"], span["value"]["labels"]) == (entity.start, entity.end, [entity.label])
            assert json.loads(norms[span["id"]]["value"]["text"][0]) == entity.norm


def test_offsets_are_utf16_units_in_label_studio_and_code_points_here():
    text = "Hà Nội 😀 ngày 22/12/2022 😀 có 12.289 trẻ em"
    m = OffsetMap(text)
    for i in range(len(text) + 1):
        assert m.to_js(i) == len(text[:i].encode("utf-16-le")) // 2
        assert m.from_js(m.to_js(i)) == i
    assert m.from_js(m.to_js(7) + 1) is None  # inside the surrogate pair of 😀
    start = text.index("ngày")
    doc = {"id": "emoji", "text": text, "published": None, "source": None, "events": [],
           "entities": [{"start": start, "end": start + 15, "label": "DATE", "text": text[start:start + 15],
                         "norm": {"value": "2022-12-22"}}]}
    tasks = export_tasks([doc], gold={"emoji": doc})
    value = tasks[0]["annotations"][0]["result"][0]["value"]
    assert value["start"] == start + 1  # one emoji before the span: one extra UTF-16 unit
    back = read_export(tasks)
    assert not back.problems and back.documents[0]["entities"] == doc["entities"]


def _devset_export() -> list[dict]:
    docs = gold_docs()[:2]
    return export_tasks(docs, gold={d["id"]: d for d in docs})


def _labels(task: dict) -> list[dict]:
    return [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]


def _norm(task: dict, region: str) -> dict:
    return [r for r in task["annotations"][0]["result"] if r["from_name"] == "norm" and r["id"] == region][0]


def test_malformed_export_names_every_problem_and_changes_nothing(tmp_path):
    folder = tmp_path / "annotations"
    folder.mkdir()
    out = folder / "labelstudio.jsonl"
    out.write_text('{"id": "earlier", "text": "x", "entities": [], "events": []}\n', encoding="utf-8")
    before = out.read_bytes()
    tasks = _devset_export()
    first, second = tasks
    spans = _labels(first)
    spans[0]["value"]["start"] += 3  # wrong offsets: the span text no longer matches
    spans[1]["value"]["labels"] = ["PERSON"]  # unknown label
    spans[2]["value"]["start"] = spans[1]["value"]["start"]  # overlaps the span before it
    spans[2]["value"]["text"] = first["data"]["text"][spans[2]["value"]["start"]:spans[2]["value"]["end"]]
    _norm(first, spans[2]["id"])["value"]["start"] = spans[2]["value"]["start"]
    _norm(first, spans[3]["id"])["value"]["text"] = ['{"name": ']  # norm that is not JSON
    _norm(first, spans[4]["id"])["value"]["text"] = ['{"value": 3}']  # norm with the wrong fields
    second["data"]["text"] = second["data"]["text"].replace("Nghệ An", "Nghe An", 1)  # text differs from the article

    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    code = main(["annotate", "import", str(path), "-o", str(out), "--articles", str(ARTICLES)])
    assert code == 1
    assert out.read_bytes() == before  # nothing changed
    outcome = import_export(json.loads(path.read_text(encoding="utf-8")), output=out, annotations_dir=folder,
                            articles=[ARTICLES])
    problems = [str(p) for p in outcome.problems]
    text = "\n".join(problems)
    s0, s1, s2, s3, s4 = spans[:5]
    assert f"task 1 (doc seed-000), span {s0['value']['start']}-{s0['value']['end']} ORG: span text" in text
    assert f"span {s1['value']['start']}-{s1['value']['end']} PERSON: unknown label 'PERSON'" in text
    assert f"span {s2['value']['start']}-{s2['value']['end']} ORG: overlaps span" in text
    assert f"span {s3['value']['start']}-{s3['value']['end']} {s3['value']['labels'][0]}: the norm is not valid JSON" in text
    assert f"span {s4['value']['start']}-{s4['value']['end']} {s4['value']['labels'][0]}: norm lacks field(s)" in text
    assert "task 2 (doc seed-001): the task's text differs from the article's" in text
    assert not outcome.written
    assert len(set(problems)) == len(problems)  # each problem once


def test_two_labels_on_one_span_or_a_span_without_norm_are_named_once():
    tasks = _devset_export()[:1]
    spans = _labels(tasks[0])
    spans[0]["value"]["labels"] = ["ORG", "LOC"]
    results = tasks[0]["annotations"][0]["result"]
    results.remove(_norm(tasks[0], spans[1]["id"]))
    problems = [str(p) for p in read_export(tasks).problems]
    s0, s1 = spans[0]["value"], spans[1]["value"]
    assert problems == [
        f"task 1 (doc seed-000), span {s0['start']}-{s0['end']} ['ORG', 'LOC']: a span must carry exactly one label, got ['ORG', 'LOC']",
        f"task 1 (doc seed-000), span {s1['start']}-{s1['end']} {s1['labels'][0]}: the span has no norm: fill the norm field, "
        f"e.g. {json.dumps(empty_norm(s1['labels'][0]), ensure_ascii=False)}"]


def test_existing_annotations_are_kept_and_conflicts_reported(tmp_path, capsys):
    folder = tmp_path / "annotations"
    folder.mkdir()
    gold = gold_docs()[:2]
    (folder / "batch.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in gold), encoding="utf-8")
    out = folder / "labelstudio.jsonl"
    tasks = _devset_export()
    # the same annotations again: nothing to do
    same = import_export(copy.deepcopy(tasks), output=out, annotations_dir=folder, articles=[])
    assert same.ok and same.merge.unchanged == ["seed-000", "seed-001"] and not out.exists()
    # an annotator relabelled one span of seed-001: a conflict with batch.jsonl, nothing written
    span = [r for r in _labels(tasks[1]) if r["value"]["labels"] == ["ORG"]][0]
    span["value"]["labels"] = ["LOC"]
    _norm(tasks[1], span["id"])["value"]["text"] = ['{"province": "Nghệ An"}']
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    batch_before = (folder / "batch.jsonl").read_bytes()
    assert main(["annotate", "import", str(path), "-o", str(out), "--articles"]) == 1
    err = capsys.readouterr().err
    assert f"doc seed-001 (already in {folder / 'batch.jsonl'}): span {span['value']['start']}-{span['value']['end']}" in err
    assert "label ORG -> LOC" in err
    assert (folder / "batch.jsonl").read_bytes() == batch_before and not out.exists()


def test_who_annotated_and_when_is_recorded_and_disagreements_reported():
    tasks = _devset_export()[:1]
    record = tasks[0]["annotations"][0]
    record.update(completed_by=3, created_at="2026-11-20T10:00:00Z", updated_at="2026-11-20T10:05:00Z")
    result = read_export(copy.deepcopy(tasks), users={3: "lan@example.org"})
    prov = result.documents[0]["provenance"]
    assert (prov["annotator"], prov["updated_at"]) == ("lan@example.org", "2026-11-20T10:05:00Z")
    second = copy.deepcopy(record)
    second.update(completed_by=4, updated_at="2026-11-21T09:00:00Z")
    second["result"] = [r for r in second["result"] if r["id"] != second["result"][0]["id"]]  # one span fewer
    tasks[0]["annotations"].append(second)
    disagree = read_export(copy.deepcopy(tasks), users={3: "lan@example.org", 4: "minh@example.org"})
    assert not disagree.documents
    assert "2 annotations (lan@example.org, minh@example.org) disagree" in str(disagree.problems[0])
    chosen = read_export(tasks, users={3: "lan@example.org", 4: "minh@example.org"}, annotator="minh@example.org")
    assert chosen.documents[0]["provenance"]["annotator"] == "minh@example.org"
    assert len(chosen.documents[0]["entities"]) == len(gold_docs()[0]["entities"]) - 1


def test_task_without_annotation_is_reported_not_imported():
    tasks = _devset_export()
    tasks[1]["drafts"] = [{"result": tasks[1]["annotations"][0]["result"]}]
    tasks[1]["annotations"] = []
    result = read_export(tasks)
    assert [d["id"] for d in result.documents] == ["seed-000"]
    assert any("doc seed-001" in n and "no completed annotation" in n and "1 unsubmitted draft" in n
               for n in result.notes)


@pytest.mark.parametrize("content,message", [("not json", "not JSON"), ('{"a": 1}', "expected a JSON list of tasks")])
def test_unreadable_export_is_a_clear_error(tmp_path, capsys, content, message):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    assert main(["annotate", "import", str(path), "-o", str(tmp_path / "o.jsonl")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_serve_without_the_label_studio_venv_says_how_to_make_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VNFACTS_LABEL_STUDIO_VENV", str(tmp_path / "missing"))
    assert main(["annotate", "serve", "--data-dir", str(tmp_path / "data")]) == 2
    assert "make labelstudio" in capsys.readouterr().err


def test_push_to_a_server_that_is_not_there_is_a_clear_error(tmp_path, capsys):
    from vnfacts.annotation.server import free_port

    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": "Quyết định số 1438/QĐ-TTg"}, ensure_ascii=False), encoding="utf-8")
    code = main(["annotate", "push", str(docs), "--url", f"http://127.0.0.1:{free_port()}", "--token", "t"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach Label Studio" in err and "Traceback" not in err


def test_check_validates_annotation_files(tmp_path, capsys):
    doc = gold_docs()[0]
    bad = dict(doc, entities=[dict(e) for e in doc["entities"]])
    bad["entities"][0]["end"] += 1
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["annotate", "check", str(DEVSET)]) == 0
    assert main(["annotate", "check", str(path)]) == 1
    err = capsys.readouterr().err
    e = bad["entities"][0]
    assert f"{path}:1 (doc {doc['id']}), span {e['start']}-{e['end']} {e['label']}: span text" in err
