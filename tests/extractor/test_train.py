"""`vnfacts train`: a small model trained on a few documents predicts; the finder runs it; the
optional transformers backend runs a tiny random checkpoint built here (skipped without it)."""
import json
from pathlib import Path

import pytest

from vnfacts.extractor import ner_model
from vnfacts.extractor.resources import load_data
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import Pipeline, default_pipeline
from vnfacts.extractor.train import TrainError, load_split, train
from vnfacts.cli import main

REPO = Path(__file__).resolve().parents[2]


def context(text, published="2023-07-18"):
    """The document's context as the stage `ner_model_predict` sees it (every earlier stage has run)."""
    return default_pipeline().context(Document(id="t", text=text, published=published), until="ner_model_predict")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train")
    # a copy under another name: annotations/devset.jsonl itself is always held out
    (tmp / "seed.jsonl").write_text((REPO / "annotations/devset.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    split = tmp / "split.yaml"
    split.write_text(f"files: [{tmp / 'seed.jsonl'}]\ndev: [seed-004]\n", encoding="utf-8")
    out = tmp / "model"
    report = train(split=split, out=out, epochs=12, seed=1, score_rules=False)
    return out, report


def test_training_writes_model_config_hash_and_dev_scores(tiny_model):
    out, report = tiny_model
    assert (out / "config.cfg").exists() and (out / "ner").is_dir()
    assert "vnfacts.tokenizer.v1" in (out / "config.cfg").read_text()
    saved = json.loads((out / "training.json").read_text())
    assert saved["train_ids"] == ["seed-000", "seed-001", "seed-002", "seed-003"]
    assert saved["dev_ids"] == ["seed-004"]
    assert len(saved["data_sha256"]) == 64
    # one devset span runs into the next word with no space (`TP.HCMcùng`): the rest align
    assert saved["spans_misaligned"] <= 1 and saved["spans_aligned"] > 100
    assert saved["loss_per_epoch"][-1] < saved["loss_per_epoch"][0]
    assert set(saved["scores_on_dev"]["model"]) == {"ORG", "LOC"}
    assert [json.loads(l)["id"] for l in (out / "dev-gold.jsonl").read_text().splitlines()] == ["seed-004"]


def test_rescore_scores_the_shipped_combination_again_without_training(tiny_model, capsys):
    from vnfacts.extractor.train import rescore

    out, report = tiny_model
    split = out.parent / "split.yaml"
    weights = (out / "ner" / "model").read_bytes()
    again = rescore(split=split, out=out)
    assert (out / "ner" / "model").read_bytes() == weights   # not trained again
    assert {"model", "rules", "rules+model", "underthesea_ner"} <= set(again["scores_on_dev"])
    assert again["train_ids"] == report["train_ids"] and again["scores_on_dev"]["documents"] == 1
    assert json.loads((out / "training.json").read_text())["scores_on_dev"] == again["scores_on_dev"]
    leaky = out.parent / "leaky.yaml"
    leaky.write_text(f"files: [{out.parent / 'seed.jsonl'}]\ndev: [seed-000]\n", encoding="utf-8")
    assert main(["train", "--rescore", "--split", str(leaky), "--out", str(out), "-q"]) == 2
    assert "trained on" in capsys.readouterr().err


def test_trained_model_predicts_through_the_finder(tiny_model):
    out, _ = tiny_model
    ctx = context("Ngày 14/7/2023 tại Khách sạn Thắng Lợi, Sở Lao động - Thương binh và Xã hội phối hợp với "
                  "các Sở, ngành tổ chức Hội nghị. Sở Lao động - Thương binh và Xã hội tỉnh Bình Dương báo cáo.")
    spans = ner_model.find_entities(ctx, {"backend": "spacy", "path": str(out), "mode": "replace"})
    orgs = [ctx.text[s.start:s.end] for s in spans if s.label == "ORG"]
    assert any(o.startswith("Sở Lao động") for o in orgs), spans
    assert all(s.source == "model:spacy" and "name" in s.norm for s in spans if s.label == "ORG")
    # join mode keeps only what the rules did not find
    joined = ner_model.find_entities(ctx, {"backend": "spacy", "path": str(out), "mode": "join"})
    assert not any(s.start == ctx.text.index("Sở Lao động") for s in joined)


def test_the_seed_devset_is_never_trained_on():
    train_docs, dev_docs, _ = load_split(REPO / "annotations/split.yaml")
    assert {f"seed-00{i}" for i in range(5)} <= {d["id"] for d in dev_docs}
    assert not any(d["id"].startswith("seed-") for d in train_docs)
    assert len(train_docs) + len(dev_docs) >= 40


def test_missing_model_and_bad_split_are_clear_errors(tmp_path, capsys):
    with pytest.raises(ner_model.ModelError, match="vnfacts train"):
        ner_model.find_entities(context("Bộ Y tế họp."), {"backend": "spacy", "path": str(tmp_path / "none")})
    with pytest.raises(TrainError, match="split file not found"):
        load_split(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"files: [{REPO / 'annotations/devset.jsonl'}]\ndev: [no-such-doc]\n", encoding="utf-8")
    assert main(["train", "--split", str(bad), "--out", str(tmp_path / "m"), "-q"]) == 2
    assert "no-such-doc" in capsys.readouterr().err


def test_transformers_backend_runs_a_tiny_random_checkpoint(tmp_path):
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3}
    for word in "Sở Y tế tỉnh Nghệ An tổ chức hội nghị tại Hà Nội .".split():
        vocab.setdefault(word, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                                                cls_token="[CLS]", sep_token="[SEP]")
    labels = ["O", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=32, num_labels=len(labels),
                                     id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    model = transformers.BertForTokenClassification(config)
    fast.save_pretrained(tmp_path)
    model.save_pretrained(tmp_path)
    cfg = {"backend": "transformers", "path": str(tmp_path), "labels": ["ORG", "LOC"]}
    pipeline = Pipeline.from_config(ner_model.pipeline_config(load_data("pipeline.yaml"), cfg, mode="replace"))
    assert "places" not in [st.name for st in pipeline.stages] and "model_places" in [st.name for st in pipeline.stages]
    text = "Sở Y tế tỉnh Nghệ An tổ chức hội nghị tại Hà Nội."
    result = pipeline.extract(Document(id="t", text=text))
    for e in result.entities:
        assert e.label in ("ORG", "LOC") and text[e.start:e.end] == e.text and e.text.strip() == e.text
    tokenizer, loaded = ner_model.load_transformers(str(tmp_path))
    raw = ner_model.transformers_spans(tokenizer, loaded, text, {"ORG", "LOC"})
    assert all(0 <= s < e <= len(text) for s, e, _ in raw)


def test_the_test_part_is_held_out_by_id_hash_and_stays_put(tmp_path):
    from vnfacts.extractor.train import load_parts, test_fraction_member

    docs = [{"id": f"doc-{i}", "text": "x", "entities": []} for i in range(200)]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    split = tmp_path / "split.yaml"
    split.write_text(f"files: [{batch}]\ndev: [doc-0]\ntest: {{files: [{batch}], fraction: 0.5}}\n", encoding="utf-8")
    train_docs, dev_docs, test_docs, _ = load_parts(split)
    ids = lambda part: {d["id"] for d in part}  # noqa: E731
    assert ids(dev_docs) == {"doc-0"} and not (ids(train_docs) & ids(test_docs))
    assert len(train_docs) + len(dev_docs) + len(test_docs) == 200
    assert 70 <= len(test_docs) <= 130  # about half
    # membership depends on the id alone: more documents never move one between parts
    assert all(test_fraction_member(d["id"], 0.5) for d in test_docs)
    assert load_split(split)[0] == train_docs
    split.write_text(f"files: [{batch}]\ntest: {{files: [{tmp_path / 'other.jsonl'}], fraction: 0.5}}\n", encoding="utf-8")
    with pytest.raises(TrainError, match="test files not listed"):
        load_parts(split)


def test_the_dev_part_draws_a_fraction_apart_from_the_test_part(tmp_path):
    from vnfacts.extractor.train import load_parts, test_fraction_member

    docs = [{"id": f"doc-{i}", "text": "x", "entities": []} for i in range(400)]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    split = tmp_path / "split.yaml"
    split.write_text(f"files: [{batch}]\ndev: {{ids: [doc-0], files: [{batch}], fraction: 0.2}}\n"
                     f"test: {{files: [{batch}], fraction: 0.5}}\n", encoding="utf-8")
    train_docs, dev_docs, test_docs, _ = load_parts(split)
    ids = lambda part: {d["id"] for d in part}  # noqa: E731
    assert "doc-0" in ids(dev_docs) and not ids(dev_docs) & ids(test_docs) and not ids(train_docs) & ids(dev_docs)
    assert len(train_docs) + len(dev_docs) + len(test_docs) == 400
    # a fifth of what the test part leaves, drawn by its own hash: independent of the test draw
    assert 20 <= len(dev_docs) <= 65
    assert all(test_fraction_member(i, 0.2, "dev") for i in ids(dev_docs) - {"doc-0"})
    assert any(test_fraction_member(i, 0.2, "dev") for i in ids(test_docs))
    split.write_text(f"files: [{batch}]\ndev: {{files: [{tmp_path / 'x.jsonl'}], fraction: 0.2}}\n", encoding="utf-8")
    with pytest.raises(TrainError, match="dev files not listed"):
        load_parts(split)


def test_scored_only_gold_is_scored_apart_and_never_trained_on(tiny_model, tmp_path):
    from vnfacts.extractor.train import load_scored_only, rescore

    out, report = tiny_model
    seen = out.parent / "seed.jsonl"  # the tiny model's split: trained on seed-000..003, dev seed-004
    other = (REPO / "annotations/batch-a.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "unseen.jsonl").write_text(other + "\n", encoding="utf-8")
    split = tmp_path / "split.yaml"
    split.write_text(f"files: [{seen}]\ndev: [seed-004]\nscored_only: {{files: [{tmp_path / 'unseen.jsonl'}]}}\n",
                     encoding="utf-8")
    unseen_id = json.loads(other)["id"]
    assert [d["id"] for d in load_scored_only(split)] == [unseen_id]
    train_docs, dev_docs, _ = load_split(split)
    assert unseen_id not in {d["id"] for d in train_docs + dev_docs}
    again = rescore(split=split, out=out)
    assert again["scores_on_unseen"]["documents"] == 1 and set(again["scores_on_unseen"]["model"]) == {"ORG", "LOC"}
    assert again["train_ids"] == report["train_ids"]
    # a file both trained on and scored only is refused
    split.write_text(f"files: [{seen}]\nscored_only: {{files: [{seen}]}}\n", encoding="utf-8")
    with pytest.raises(TrainError, match="also listed under `files`"):
        load_scored_only(split)


def test_the_committed_split_is_the_data_the_shipped_model_learnt_from():
    """`vnfacts train` rebuilds the shipped model: the hash of the ids, texts and spans of the
    committed split equals the one the model recorded; correcting a gold event or a norm keeps it."""
    from vnfacts.extractor.train import load_parts

    shipped = json.loads((REPO / "models/orgloc/training.json").read_text(encoding="utf-8"))
    assert load_parts(REPO / "annotations/split.yaml")[3] == shipped["data_sha256"]


def test_the_data_hash_follows_spans_not_events(tmp_path):
    from vnfacts.extractor.train import load_parts

    doc = json.loads((REPO / "annotations/devset.jsonl").read_text(encoding="utf-8").splitlines()[0])
    hashes = []
    for changed in ({}, {"events": []}, {"entities": doc["entities"][1:]}):
        (tmp_path / "gold.jsonl").write_text(json.dumps({**doc, **changed}, ensure_ascii=False) + "\n", encoding="utf-8")
        (tmp_path / "split.yaml").write_text("files: [gold.jsonl]\ndev: []\n", encoding="utf-8")
        hashes.append(load_parts(tmp_path / "split.yaml")[3])
    assert hashes[0] == hashes[1] != hashes[2]
