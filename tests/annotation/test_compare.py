"""`vnfacts evaluate --compare OLD NEW`: what changed per label and per document, and the offline
HTML report."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from vnfacts.extractor.compare import compare, render_html
from vnfacts.extractor.evaluate import evaluate
from vnfacts.cli import main

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO / "annotations" / "devset.jsonl"


def gold_docs() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def predictions_from(gold: list[dict], keep) -> list[dict]:
    return [{"id": d["id"], "entities": [e for e in d["entities"] if keep(d, e)], "events": d["events"]} for d in gold]


def test_compare_finds_fixed_and_introduced_errors_per_label_and_document():
    gold = gold_docs()
    old = predictions_from(gold, lambda d, e: e["label"] != "DATE")  # every DATE missed
    new = copy.deepcopy(predictions_from(gold, lambda d, e: True))
    # an introduced error: a LOC with the wrong province (its norm is what the evaluation compares)
    loc = next(e for e in new[1]["entities"] if e["label"] == "LOC")
    loc["norm"] = {"province": "Hà Nội"} if loc["norm"]["province"] != "Hà Nội" else {"province": "Huế"}
    c = compare(evaluate(gold, old), evaluate(gold, new), "old", "new")
    assert c["labels"]["DATE"]["norm"] == {"old": 0.0, "new": 1.0, "delta": 1.0}
    assert c["labels"]["LOC"]["norm"]["delta"] < 0
    n_dates = sum(e["label"] == "DATE" for d in gold for e in d["entities"])
    assert len(c["fixed"]) == n_dates and all(e["kind"] == "miss" and e["label"] == "DATE" for e in c["fixed"])
    assert [(e["doc"], e["kind"], e["label"], e["start"]) for e in c["introduced"]] == [
        (gold[1]["id"], "wrong_norm", "LOC", loc["start"])]
    doc = c["per_document"][gold[1]["id"]]
    assert doc["introduced"] == 1 and "LOC" in doc["changed"]


def test_compare_command_prints_the_changes_and_writes_an_offline_html_report(tmp_path, capsys):
    gold = gold_docs()
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    for path, preds in ((old, predictions_from(gold, lambda d, e: e["label"] == "LEGAL_REF")),
                        (new, predictions_from(gold, lambda d, e: e["label"] in ("LEGAL_REF", "FIGURE")))):
        path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
    report = tmp_path / "report" / "compare.html"
    assert main(["evaluate", "--gold", str(DEVSET), "--compare", str(old), str(new), "--html", str(report)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"FIGURE\s+\d+\s+0>\d+\s+0\.000>1\.000", out)
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing to fetch: opens offline
    assert "Errors fixed (" in page and "FIGURE" in page


def test_compare_of_a_missing_side_is_a_clear_error(tmp_path, capsys):
    assert main(["evaluate", "--gold", str(DEVSET), "--compare", str(tmp_path / "nope"), str(DEVSET),
                 "--html", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "neither a predictions file nor a model folder" in err and "Traceback" not in err


def test_html_escapes_document_text():
    gold = [{"id": "<x>", "text": "a <b> c", "entities": [{"start": 2, "end": 5, "label": "ORG", "text": "<b>",
                                                           "norm": {"name": "<b>"}}], "events": []}]
    page = render_html(compare(evaluate(gold, []), evaluate(gold, [{"id": "<x>", "entities": gold[0]["entities"]}])))
    assert "<x>" not in page and "&lt;x&gt;" in page
    assert "<mark>&lt;b&gt;</mark>" in page  # the fixed miss, its span marked in its escaped context
