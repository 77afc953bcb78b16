"""The events sentence classifier: its labelled sentences (provenance, a held-out part by document),
its training (seeded, reproducible, scored on the held-out part only) and the model shipped in
models/events being the one those sentences make."""
import hashlib
import json
import unicodedata
from pathlib import Path

import pytest
import yaml

from vnfacts.extractor.event_sentences import kind_types, load_classifier, sentence_text
from vnfacts.extractor.train import TrainError, load_event_sentences, train_events
from vnfacts.extractor.train import test_fraction_member as in_test_part

REPO = Path(__file__).resolve().parents[2]
SENTENCES = REPO / "annotations/event-sentences/sentences.jsonl"
HELD_BACK = REPO / "annotations/event-sentences/held-back.jsonl"  # labelled, not (yet) trained on: its README


def rows(paths=(SENTENCES, HELD_BACK)):
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()]


def gold_documents():
    docs = {}
    for path in sorted((REPO / "annotations").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            docs[doc["id"]] = doc
    return docs


def test_every_sentence_has_its_provenance_and_a_known_label():
    kinds = kind_types()
    for row in rows():
        assert {"doc", "source", "start", "end", "text", "label", "kind", "split", "annotator", "date"} <= set(row)
        assert row["label"] in ("event", "not_event") and row["split"] in ("train", "heldout")
        assert (row["kind"] in kinds) if row["label"] == "event" else row["kind"] is None


def test_sentences_of_gold_documents_are_their_text_at_the_offsets_given():
    docs = gold_documents()
    from_gold = [r for r in rows() if r["source"].startswith("annotations/")]
    assert len(from_gold) > 250
    for row in from_gold:
        assert docs[row["doc"]]["text"][row["start"]:row["end"]] == row["text"]


def test_held_out_part_is_split_by_document_and_keeps_the_dev_documents():
    by_doc = {}
    for row in rows():
        by_doc.setdefault(row["doc"], set()).add(row["split"])
    assert all(len(splits) == 1 for splits in by_doc.values())
    from vnfacts.extractor.train import load_parts

    dev = {d["id"] for d in load_parts(REPO / "annotations/split.yaml")[1]}   # listed and drawn
    assert len(dev) > 50
    assert {d for d, splits in by_doc.items() if d in dev} <= {d for d, s in by_doc.items() if s == {"heldout"}}
    counts = {(r["split"], r["label"]) for r in rows()}
    assert counts == {("train", "event"), ("train", "not_event"), ("heldout", "event"), ("heldout", "not_event")}


def test_no_sentence_comes_from_a_document_of_the_test_part():
    # the test part's documents (guide: Splits) are scored only: their sentences never train nor tune
    split = yaml.safe_load((REPO / "annotations/split.yaml").read_text(encoding="utf-8"))
    test_ids = {json.loads(line)["id"] for name in split["test"]["files"]
                for line in (REPO / name).read_text(encoding="utf-8").splitlines()}
    test_ids = {i for i in test_ids if in_test_part(i, split["test"]["fraction"])}
    assert len(test_ids) > 150
    assert not {r["doc"] for r in rows()} & test_ids


def test_the_shipped_model_is_the_one_these_sentences_make():
    report = json.loads((REPO / "models/events/training.json").read_text(encoding="utf-8"))
    assert report["data_sha256"] == hashlib.sha256(SENTENCES.read_bytes()).hexdigest()
    assert report["sentences"]["heldout"] == sum(r["split"] == "heldout" for r in rows((SENTENCES,)))
    assert load_classifier(str(REPO / "models/events")).pipe_names == ["textcat"]


def test_the_classifier_reads_nfd_old_tones_and_no_diacritics_alike():
    nfc = "Chiều 28/6, Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa tổ chức lễ trao tặng 15 chiếc xe lăn."
    forms = [nfc, unicodedata.normalize("NFD", nfc), nfc.replace("Hòa", "Hoà"),
             "Chieu 28/6, Hoi Lien hiep Phu nu tinh Khanh Hoa to chuc le trao tang 15 chiec xe lan."]
    assert len({sentence_text(s) for s in forms}) == 1


def test_training_is_seeded_scored_on_held_out_rows_only_and_written_with_its_settings(tmp_path):
    first = train_events(out=tmp_path / "a")
    second = train_events(out=tmp_path / "b")
    assert first["scores_on_heldout"] == second["scores_on_heldout"]
    assert (tmp_path / "a/textcat/model").read_bytes() == (tmp_path / "b/textcat/model").read_bytes()
    written = json.loads((tmp_path / "a/training.json").read_text(encoding="utf-8"))
    assert written["data_sha256"] == hashlib.sha256(SENTENCES.read_bytes()).hexdigest()
    scores = written["scores_on_heldout"]
    assert scores["classifier"]["sentences"] == written["sentences"]["heldout"]
    # the classifier must beat taking every candidate the phrases find
    assert scores["rules_then_classifier"]["f1"] > scores["every_candidate"]["f1"]


def test_a_bad_row_is_an_error_naming_its_line(tmp_path):
    bad = tmp_path / "sentences.jsonl"
    bad.write_text('{"text": "Hội nghị.", "label": "event", "split": "train"}\n{"text": "x", "label": "maybe"}\n',
                   encoding="utf-8")
    with pytest.raises(TrainError, match=r"sentences.jsonl:2: needs"):
        load_event_sentences(bad)
    with pytest.raises(TrainError, match="not found"):
        train_events(data=tmp_path / "missing.jsonl", out=tmp_path / "m")


def test_vnfacts_train_events_rebuilds_the_model_from_the_command_line(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "events"
    run = subprocess.run([sys.executable, "-m", "vnfacts", "train", "--events", "--out", str(out), "-q"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    shipped = json.loads((REPO / "models/events/training.json").read_text(encoding="utf-8"))
    assert printed["scores_on_heldout"] == shipped["scores_on_heldout"]  # same data, same seed: same model
    assert (out / "config.cfg").exists()


def test_the_classifier_reads_whether_a_sentence_stands_in_the_lead_or_far_down_its_article():
    sentence = "Chiều 3/9, Hội Nông dân huyện tổ chức hội nghị tập huấn kỹ thuật trồng lúa cho 80 hội viên."
    lead, far = sentence_text(sentence, True, at=120), sentence_text(sentence, True, at=4000)
    assert "__pos0" in lead.split() and "__pos3" in far.split() and "__pos" not in sentence_text(sentence, True)
    # the shipped model learnt the stretch: the same words read differently in the lead and far down
    nlp = load_classifier(str(REPO / "models/events"))
    assert nlp(lead).cats["EVENT"] != nlp(far).cats["EVENT"]
