"""`vnfacts vectors`: floret trained for real on a small corpus gives a spaCy vectors folder that
covers unseen words through their n-grams, and the ORG/LOC model trains on top of it."""
import json
from pathlib import Path

import pytest

from vnfacts.cli import main
from vnfacts.extractor.vectors import FloretSettings, corpus_lines, prepare_corpus, train_vectors

pytest.importorskip("floret")
REPO = Path(__file__).resolve().parents[2]
TINY = dict(dim=16, bucket=2000, epoch=2, min_count=1)


def test_corpus_lines_are_tokenized_canonical_sentences(tmp_path):
    nfd = "Sở LĐ-TB&XH tỉnh Nghệ An họp.\nNgày 12/4, UBND TP.HCM tổ chức hội nghị."
    import unicodedata
    doc = tmp_path / "a.jsonl"
    doc.write_text(json.dumps({"id": "a", "text": unicodedata.normalize("NFD", nfd)}) + "\n", encoding="utf-8")
    errors = []
    lines = list(corpus_lines([doc, tmp_path / "missing.jsonl"], errors))
    assert lines[0] == "Sở LĐ - TB & XH tỉnh Nghệ An họp ."
    assert "12 / 4 ," in lines[1] and all(unicodedata.is_normalized("NFC", line) for line in lines)
    assert len(errors) == 1 and "missing.jsonl" in str(errors[0])


@pytest.fixture(scope="module")
def tiny_vectors(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vectors")
    info = prepare_corpus([REPO / "corpus" / "articles.jsonl"], tmp / "corpus.txt")
    record = train_vectors(tmp / "corpus.txt", tmp / "vectors", FloretSettings(**TINY), corpus_info=info)
    return tmp / "vectors", record


def test_vectors_folder_loads_in_spacy_and_covers_unseen_words(tiny_vectors):
    import spacy
    from vnfacts.extractor.ner_model import _register_tokenizer

    folder, record = tiny_vectors
    assert record["settings"]["dim"] == 16 and record["corpus"]["tokens"] > 10_000
    assert len(record["corpus"]["sha256"]) == 64
    _register_tokenizer()
    nlp = spacy.load(folder)
    assert nlp.vocab.vectors.mode == "floret" and nlp.vocab.vectors.shape == (2000, 16)
    unseen = nlp.vocab["Lao-động-xyz"].vector  # never in the corpus: built from its n-grams
    assert unseen.shape == (16,) and abs(unseen).sum() > 0
    assert json.loads((folder / "vectors.json").read_text())["words_seen"] > 1000


def test_ner_trains_on_top_of_the_vectors(tiny_vectors, tmp_path):
    from vnfacts.extractor.train import train

    folder, _ = tiny_vectors
    (tmp_path / "seed.jsonl").write_text((REPO / "annotations/devset.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    split = tmp_path / "split.yaml"
    split.write_text(f"files: [{tmp_path / 'seed.jsonl'}]\ndev: [seed-004]\n", encoding="utf-8")
    report = train(split=split, out=tmp_path / "model", epochs=2, seed=0, score_rules=False, vectors=folder,
                   max_train_docs=2)
    assert report["vectors"] == str(folder)
    cfg = (tmp_path / "model" / "config.cfg").read_text()
    assert "include_static_vectors = true" in cfg and "vnfacts.tokenizer.v1" in cfg


def test_cli_names_a_missing_corpus(tmp_path, capsys):
    assert main(["vectors", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "v"), "-q"]) == 2
    assert "no readable sentence" in capsys.readouterr().err
