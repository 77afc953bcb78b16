"""scripts/event-scores.py --by-part: the parts are the ones `vnfacts train` draws (load_parts), the
older social gold scored apart, the test part only when asked; run on real files through the command."""
import json
import subprocess
import sys
from pathlib import Path

from vnfacts.extractor import train as training

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "event-scores.py"
EVENT = {"type": "hoi_nghi", "kind": "hội nghị", "date": "2017-05-09", "province": "Hà Nội"}


def write(path, docs):
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")


def doc_ids(n, in_test):
    """n ids on one side of the test part's hash (fraction 0.5)."""
    out, k = [], 0
    while len(out) < n:
        if training.test_fraction_member(f"doc-{k}", 0.5) == in_test:
            out.append(f"doc-{k}")
        k += 1
    return out


def run(tmp_path, *extra):
    annotations = tmp_path / "annotations"
    annotations.mkdir(exist_ok=True)
    test_ids, rest = doc_ids(2, True), doc_ids(4, False)
    # batch-d: two test-part documents (one right, one missed), four others (all found, one wrong date)
    gold_d = [{"id": i, "text": "x", "events": [EVENT]} for i in test_ids + rest]
    pred_d = [{"id": test_ids[0], "events": [EVENT]}, {"id": test_ids[1], "events": []}] + \
             [{"id": i, "events": [dict(EVENT, date="2017-05-10") if i == rest[0] else EVENT]} for i in rest]
    gold_a = [{"id": "old-1", "text": "x", "events": [EVENT]}, {"id": "old-2", "text": "x", "events": []}]
    pred_a = [{"id": "old-1", "events": [EVENT]}, {"id": "old-2", "events": [EVENT]}]
    write(annotations / "batch-d.jsonl", gold_d)
    write(annotations / "batch-a.jsonl", gold_a)
    write(tmp_path / "pred-d.jsonl", pred_d)
    write(tmp_path / "pred-a.jsonl", pred_a)
    (annotations / "split.yaml").write_text(
        "files: [annotations/batch-a.jsonl, annotations/batch-d.jsonl]\n"
        f"test: {{files: [annotations/batch-d.jsonl], fraction: 0.5}}\ndev: [{rest[1]}]\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCRIPT), "--by-part", "--split", str(annotations / "split.yaml"),
                          str(annotations / "batch-a.jsonl"), str(tmp_path / "pred-a.jsonl"),
                          str(annotations / "batch-d.jsonl"), str(tmp_path / "pred-d.jsonl"), *extra],
                         capture_output=True, text=True, check=True, cwd=REPO).stdout
    return {row["part"]: row for row in map(json.loads, out.splitlines())}


def test_each_part_is_scored_apart_and_the_test_part_only_when_asked(tmp_path):
    parts = run(tmp_path)
    assert list(parts) == ["a/b/c", "train", "dev"]
    assert parts["a/b/c"]["documents_with_event"] == 1 and parts["a/b/c"]["no_event_documents_with_prediction"] == 1
    assert parts["dev"]["documents_with_event"] == 1 and parts["dev"]["main_date"] == 1.0
    train = parts["train"]
    assert train["documents_with_event"] == 3 and train["main_found"] == 1.0 and train["main_date"] == round(2 / 3, 3)
    with_test = run(tmp_path, "--with-test")
    assert with_test["test"]["documents_with_event"] == 2 and with_test["test"]["main_found"] == 0.5
    assert {k: v for k, v in with_test.items() if k != "test"} == parts
