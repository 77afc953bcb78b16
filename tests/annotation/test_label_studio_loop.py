"""The annotation loop against a real Label Studio on 127.0.0.1, started from ``.venv-labelstudio``
(made by `make labelstudio`, which `make test` depends on): push tasks with the extractor's
predictions, correct one span through the API as an annotator would, pull, import, see the
corrected span in ``annotations/`` with who corrected it and when, the rescoring find exactly that
span, the training data change by that span alone, and the model retrained on the small set before
and after the correction score differently. One server for the whole module."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from vnfacts.extractor.evaluate import evaluate
from vnfacts.extractor.ner_model import load_spacy
from vnfacts.extractor.ner_model import blank_nlp
from vnfacts.extractor.train import load_parts, make_examples, paragraphs, predict_docs, train
from vnfacts.annotation import server
from vnfacts.annotation.client import LabelStudio
from vnfacts.annotation.labelstudio import labelling_config
from vnfacts.cli import main

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO / "annotations" / "devset.jsonl"
ARTICLES = REPO / "corpus" / "articles.jsonl"


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    try:
        server.label_studio_executable()
    except server.ServerError as err:
        if os.environ.get("CI"):  # CI installs it through locks/labelstudio.txt: a missing one is a failure
            pytest.fail(f"Label Studio is missing in CI: {err}")
        pytest.skip(f"Label Studio's virtual environment could not be created: {err}")
    running = server.start(tmp_path_factory.mktemp("label-studio"), timeout=240)
    print(f"Label Studio ready in {running.startup_seconds:.1f} s at {running.url}")
    try:
        yield running
    finally:
        running.stop()


def gold_docs() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()][:2]


def training_gold_docs() -> list[dict]:
    """Two gold documents of the train split (the seed devset is never trained on, guide: Splits)."""
    split = yaml.safe_load((REPO / "annotations" / "split.yaml").read_text(encoding="utf-8"))
    held_out = set(split.get("dev") or [])
    docs = [json.loads(line) for name in split["files"] if Path(name).name != DEVSET.name
            for line in (REPO / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [d for d in docs if d["id"] not in held_out][:2]


def entities_of(result: list[dict], text: str) -> list[tuple]:
    """(start, end, label, norm) of each span of a Label Studio result (the texts here have no emoji,
    so UTF-16 and code-point offsets agree)."""
    norms = {r["id"]: json.loads(r["value"]["text"][0]) for r in result if r["from_name"] == "norm"}
    return sorted((r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], norms[r["id"]])
                  for r in result if r["type"] == "labels")


def as_docs(path: Path) -> dict[str, dict]:
    return {d["id"]: d for d in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_push_correct_pull_import_changes_the_annotations_and_the_score(label_studio, tmp_path, capsys):
    gold = training_gold_docs()
    assert len(gold) == 2
    inputs = tmp_path / "docs.jsonl"
    inputs.write_text("".join(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n" for d in gold),
                      encoding="utf-8")
    url, token = label_studio.url, label_studio.token
    client = LabelStudio(url, token)

    # 1. push: a new project with the generated config, tasks with the extractor's predictions
    assert main(["annotate", "push", str(inputs), "--url", url, "--token", token, "--title", "vnfacts loop test",
                 "--model-version", "rules-test-1"]) == 0
    project = int(re.search(r"sent to project (\d+)", capsys.readouterr().err).group(1))
    assert client.project(project)["label_config"].strip() == labelling_config().strip()
    tasks = {t["data"]["id"]: t for t in client.tasks(project)}
    assert set(tasks) == {d["id"] for d in gold}
    for t in tasks.values():
        assert [p["model_version"] for p in t["predictions"]] == ["rules-test-1"]

    # 2. the annotator accepts the predictions as they are and submits
    annotation_ids = {}
    for doc_id, t in tasks.items():
        prediction = t["predictions"][0]
        annotation_ids[doc_id] = client.annotate(t["id"], prediction["result"], prediction["id"])["id"]
    out = tmp_path / "annotations" / "labelstudio.jsonl"
    pull = ["annotate", "pull", "--url", url, "--token", token, "--project", str(project), "-o", str(out),
            "--articles", str(ARTICLES)]
    assert main(pull) == 0
    first = as_docs(out)
    predicted = {doc_id: first[doc_id]["entities"] for doc_id in first}
    assert first[gold[1]["id"]]["provenance"]["annotator"] == server.DEFAULT_USER
    assert first[gold[1]["id"]]["provenance"]["from_prediction"] == "rules-test-1"
    before = evaluate(list(first.values()), [{"id": k, "entities": v} for k, v in predicted.items()])

    # 3. the annotator corrects one extractor error in the second document, as the gold says
    doc = gold[1]
    corrected, fix = correct_one_span(tasks[doc["id"]]["predictions"][0]["result"], doc)
    correction = client.update_annotation(annotation_ids[doc["id"]], corrected)

    # 4. pull again: the changed document conflicts with the earlier import and nothing is written...
    assert main(pull) == 1
    assert "already in" in capsys.readouterr().err and as_docs(out) == first
    # ...until the annotator's newer version is allowed to replace it
    assert main(pull + ["--replace", "--save-export", str(tmp_path / "export.json")]) == 0
    second = as_docs(out)
    at = [e for e in second[doc["id"]]["entities"] if (e["start"], e["end"]) == fix["span"]]
    if fix["kind"] == "removed":
        assert at == [] and len(second[doc["id"]]["entities"]) == len(first[doc["id"]]["entities"]) - 1
    else:  # added, or its norm corrected: now exactly the gold fact
        assert at == [fix["gold"]]
    assert second[gold[0]["id"]]["entities"] == first[gold[0]["id"]]["entities"]
    assert json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))  # the raw export is kept

    # ...with who corrected it and when: the annotation Label Studio saved for the correction
    was, now = first[doc["id"]]["provenance"], second[doc["id"]]["provenance"]
    assert now["annotator"] == server.DEFAULT_USER and now["task"] == tasks[doc["id"]]["id"]
    assert now["updated_at"] == correction["updated_at"] and now["updated_at"] > was["updated_at"]
    assert now["created_at"] == was["created_at"] and now["imported_at"] >= was["imported_at"]
    assert now["from_prediction"] == "rules-test-1"

    # 5. the same predictions now score lower against the corrected annotations, and the one error
    #    the rescoring finds is the corrected span
    after = evaluate(list(second.values()), [{"id": k, "entities": v} for k, v in predicted.items()])
    assert before["macro_norm_f1"] == 1.0 and before["errors"] == []
    assert after["labels"][fix["label"]]["norm"]["f1"] < 1.0
    assert after["macro_norm_f1"] < before["macro_norm_f1"]
    error_kind = {"removed": "false_alarm", "added": "miss", "norm": "wrong_norm"}[fix["kind"]]
    assert [(e["doc"], e["kind"], e["label"], e["start"], e["end"]) for e in after["errors"]] == \
        [(doc["id"], error_kind, fix["label"], *fix["span"])]

    # 6. retrain the ORG/LOC model on the annotations before and after the correction (a small
    #    set: these two documents) and score both models against the corrected annotations
    if fix["label"] not in ("ORG", "LOC"):
        pytest.skip(f"the extractor made no ORG/LOC error to correct here (corrected a {fix['label']})")
    snapshot = tmp_path / "before-correction.jsonl"
    snapshot.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in first.values()), encoding="utf-8")
    reports, scores = {}, {}
    for name, data in (("before", snapshot), ("after", out)):
        split = tmp_path / f"split-{name}.yaml"
        split.write_text(f"files: [{json.dumps(str(data))}]\ndev: []\n", encoding="utf-8")
        reports[name] = train(split=split, out=tmp_path / "models" / name, epochs=10, seed=0, score_rules=False)
        nlp = load_spacy(str(tmp_path / "models" / name))
        gold_orgloc = [{**d, "entities": [e for e in d["entities"] if e["label"] in ("ORG", "LOC")]}
                       for d in second.values()]
        scores[name] = evaluate(gold_orgloc, predict_docs(nlp, gold_orgloc, ["ORG", "LOC"]))
    assert reports["before"]["data_sha256"] != reports["after"]["data_sha256"]
    # the training data the correction went into: the spans `train` teaches from each differ by
    # the corrected span alone, taught before and not after (removed), or after and not before (added)
    span = (*fix["span"], fix["label"])
    taught = {name: trained_spans(tmp_path / f"split-{name}.yaml", doc["id"]) for name in reports}
    assert taught["before"] ^ taught["after"] == {span}
    assert (span in taught["after"]) == (fix["kind"] == "added")
    label = fix["label"]
    with capsys.disabled():
        print(f"\n{fix['kind']} {label} span {fix['span']} in {doc['id']}; the model's {label} overlap F1 against the corrected annotations: "
              f"{scores['before']['labels'][label]['overlap']['f1']} before, {scores['after']['labels'][label]['overlap']['f1']} after")
    assert scores["after"]["per_document"][doc["id"]] != scores["before"]["per_document"][doc["id"]]
    assert scores["after"]["labels"][label] != scores["before"]["labels"][label]

    # 7. and `vnfacts evaluate --compare OLD NEW` shows what changed, with its HTML report
    html = tmp_path / "compare.html"
    assert main(["evaluate", "--gold", str(out), "--compare", str(tmp_path / "models" / "before"),
                 str(tmp_path / "models" / "after"), "--html", str(html)]) == 0
    assert "before -> after" in capsys.readouterr().out and "<svg" in html.read_text(encoding="utf-8")


def trained_spans(split: Path, doc_id: str) -> set[tuple[int, int, str]]:
    """The ORG/LOC spans `vnfacts train` teaches from a split for one document: its training
    examples (one a sentence), their gold spans on the document's own offsets."""
    [doc] = [d for d in load_parts(split)[0] if d["id"] == doc_id]
    examples = make_examples(blank_nlp(["ORG", "LOC"]), [doc], ["ORG", "LOC"])[0]
    return {(a + span.start_char, a + span.end_char, span.label_)
            for (a, _), example in zip(paragraphs(doc["text"]), examples) for span in example.reference.ents}


def correct_one_span(result: list[dict], gold: dict) -> tuple[list[dict], dict]:
    """What an annotator does with one error of the extractor: add a fact it missed, fix a norm it
    got wrong, or delete a false alarm (where it made no error, delete its first span)."""
    regions = {(r["value"]["start"], r["value"]["end"]): r["id"] for r in result if r["type"] == "labels"}
    predicted = [{"start": s, "end": e, "label": label, "norm": norm} for s, e, label, norm in entities_of(result, gold["text"])]
    errors = evaluate([gold], [{"id": gold["id"], "entities": predicted}])["errors"]
    # an ORG/LOC error first, of whatever kind (those are what the trainable model learns), then a miss,
    # a wrong norm, a false alarm
    order = ("miss", "wrong_norm", "false_alarm")
    errors = sorted((e for e in errors if e["kind"] in order), key=lambda e: (e["label"] not in ("ORG", "LOC"), order.index(e["kind"])))
    kinds = {kind: [e for e in errors[:1] if e["kind"] == kind] for kind in order}
    fields = ("start", "end", "label", "text", "norm")
    if kinds["miss"]:
        miss = kinds["miss"][0]
        fact = next(e for e in gold["entities"] if (e["start"], e["end"]) == (miss["start"], miss["end"]))
        span = {"start": fact["start"], "end": fact["end"], "text": fact["text"]}
        return result + [
            {"id": "added-1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
             "value": {**span, "labels": [fact["label"]]}},
            {"id": "added-1", "from_name": "norm", "to_name": "text", "type": "textarea", "origin": "manual",
             "value": {**span, "text": [json.dumps(fact["norm"], ensure_ascii=False)]}},
        ], {"kind": "added", "span": (fact["start"], fact["end"]), "label": fact["label"],
            "gold": {k: fact[k] for k in fields}}
    if kinds["wrong_norm"]:
        wrong = kinds["wrong_norm"][0]
        region = regions[(wrong["start"], wrong["end"])]
        fixed = [dict(r, value=dict(r["value"], text=[json.dumps(wrong["expected"], ensure_ascii=False)]))
                 if r["id"] == region and r["from_name"] == "norm" else r for r in result]
        span_text = gold["text"][wrong["start"]:wrong["end"]]
        return fixed, {"kind": "norm", "span": (wrong["start"], wrong["end"]), "label": wrong["label"],
                       "gold": {"start": wrong["start"], "end": wrong["end"], "label": wrong["label"],
                                "text": span_text, "norm": wrong["expected"]}}
    target = kinds["false_alarm"][0] if kinds["false_alarm"] else predicted[0]
    region = regions[(target["start"], target["end"])]
    return [r for r in result if r["id"] != region], {"kind": "removed", "span": (target["start"], target["end"]),
                                                        "label": target["label"]}


def test_bad_token_is_a_clear_error(label_studio, tmp_path, capsys):
    code = main(["annotate", "pull", "--url", label_studio.url, "--token", "wrong", "--project", "1",
                 "-o", str(tmp_path / "o.jsonl")])
    err = capsys.readouterr().err
    assert code == 2 and "HTTP 401" in err and "Traceback" not in err


def test_gold_annotations_round_trip_through_label_studio(label_studio, tmp_path, capsys):
    """Gold pushed as annotations and pulled back: the same documents, spans, norms and events."""
    assert main(["annotate", "push", "--annotations", str(DEVSET), "--no-predictions", "--url", label_studio.url,
                 "--token", label_studio.token, "--title", "gold round trip"]) == 0
    project = int(re.search(r"sent to project (\d+)", capsys.readouterr().err).group(1))
    out = tmp_path / "annotations" / "gold.jsonl"
    assert main(["annotate", "pull", "--url", label_studio.url, "--token", label_studio.token,
                 "--project", str(project), "-o", str(out), "--articles", str(ARTICLES)]) == 0
    gold = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    back = as_docs(out)
    assert [(d["id"], d["text"], d["entities"], d["events"]) for d in gold] == \
        [(d["id"], back[d["id"]]["text"], back[d["id"]]["entities"], back[d["id"]]["events"]) for d in gold]


CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by `make chromium` (a dependency of `make test`)


def edited(norm: dict) -> dict:
    """The norm an annotator types instead: its first text field amended (valid for every label)."""
    new = dict(norm)
    key = next((k for k, v in norm.items() if isinstance(v, str)), None)
    if key is None:
        key = next(k for k in norm if k in ("name", "province", "value", "issuer", "unit", "ref"))
        new[key] = "sửa"
    else:
        new[key] = norm[key] + " (sửa)"
    return new


def test_an_annotator_edits_a_norm_in_the_browser(label_studio, tmp_path, capsys):
    """A real edit in Label Studio's page (headless Chromium): select a span, edit its norm beside
    it, Submit; the pull brings exactly that change into the annotations file."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (make chromium)")
    doc = gold_docs()[0]
    inputs = tmp_path / "doc.jsonl"
    inputs.write_text(json.dumps({"id": doc["id"], "text": doc["text"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    url = label_studio.url
    assert main(["annotate", "push", str(inputs), "--url", url, "--token", label_studio.token,
                 "--title", "browser edit"]) == 0
    project = int(re.search(r"sent to project (\d+)", capsys.readouterr().err).group(1))
    client = LabelStudio(url, label_studio.token)
    [task] = client.tasks(project)
    prediction = task["predictions"][0]["result"]

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(f"{url}/user/login/")
            page.fill("input[name=email]", label_studio.user)
            page.fill("input[name=password]", label_studio.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{url}/projects/{project}/data?task={task['id']}")
            page.locator(".htx-highlight").first.click()
            region = page.locator("[data-testid=textarea-regions] [data-testid=textarea-region]").first
            old = json.loads(region.inner_text())
            new = edited(old)
            region.locator("button").first.click()  # the pencil: edit the norm in place
            box = page.locator("[data-testid=textarea-regions] textarea").first
            box.fill(json.dumps(new, ensure_ascii=False))
            page.get_by_role("button", name="Submit").click()
            page.wait_for_function(
                f"fetch('/api/tasks/{task['id']}').then(r => r.json()).then(t => t.annotations.length > 0)", timeout=30_000)
        finally:
            browser.close()

    out = tmp_path / "annotations" / "labelstudio.jsonl"
    assert main(["annotate", "pull", "--url", url, "--token", label_studio.token, "--project", str(project),
                 "-o", str(out), "--articles", str(ARTICLES)]) == 0
    [stored] = as_docs(out).values()
    before = entities_of(prediction, doc["text"])
    after = [(e["start"], e["end"], e["label"], e["norm"]) for e in stored["entities"]]
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    (_, _, _, was), (_, _, _, now) = changed[0]
    assert (was, now) == (old, new)
    assert stored["provenance"]["annotator"] == label_studio.user
