"""`vnfacts extract --no-model`: the rule stages alone, whatever the pipeline config says."""
from __future__ import annotations

import json

import pytest

from vnfacts.cli import main
from vnfacts.extractor import pipeline as pipeline_module
from vnfacts.extractor.ner_model import pipeline_config
from vnfacts.extractor.pipeline import choose_pipeline, configured_pipeline, default_pipeline, rules_pipeline
from vnfacts.extractor.resources import load_data

ARTICLE = {"id": "a1", "text": "Ngày 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức hội nghị về Quyết định số 1438/QĐ-TTg "
                               "với 120 đại biểu tại khách sạn Mường Thanh."}


@pytest.fixture(autouse=True)
def configured_again():
    yield
    choose_pipeline(None)
    rules_pipeline.cache_clear()


def test_the_rules_pipeline_drops_a_model_the_config_joins(monkeypatch):
    with_model = pipeline_config(load_data("pipeline.yaml"), {"backend": "spacy", "path": "models/orgloc"})
    assert "ner_model" in with_model["stages"]
    monkeypatch.setattr(pipeline_module, "load_data", lambda name: with_model)
    rules_pipeline.cache_clear()
    names = [st.name for st in rules_pipeline().stages]
    assert "ner_model" not in names and "ner_model_predict" not in names
    assert {"places", "orgs", "legal_refs", "dates", "figures", "events"} <= set(names)


def test_no_model_writes_what_the_rules_find(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["extract", "-q", str(source), "-o", str(tmp_path / "plain.jsonl")]) == 0
    assert default_pipeline() is configured_pipeline()
    assert main(["extract", "-q", "--no-model", str(source), "-o", str(tmp_path / "rules.jsonl")]) == 0
    assert default_pipeline() is rules_pipeline()
    plain = json.loads((tmp_path / "plain.jsonl").read_text(encoding="utf-8"))
    rules = json.loads((tmp_path / "rules.jsonl").read_text(encoding="utf-8"))
    labels = {e["label"] for e in rules["entities"]}
    assert {"ORG", "LOC", "LEGAL_REF", "DATE", "FIGURE"} <= labels
    # the shipped config runs no model (path: null), so both give the same facts
    assert plain == rules


def test_a_missing_model_folder_leaves_org_and_loc_to_the_rules_and_says_so(tmp_path):
    """An installed package has no models/ of its own: the rules run alone, with a warning naming the
    folder and how to give it (the events classifier does the same)."""
    import pytest

    from vnfacts.extractor.models import Document
    from vnfacts.extractor.ner_model import pipeline_config
    from vnfacts.extractor.pipeline import Pipeline
    from vnfacts.extractor.resources import load_data

    missing = {"backend": "spacy", "path": str(tmp_path / "no-model"), "labels": ["ORG", "LOC"]}
    pipeline = Pipeline.from_config(pipeline_config(load_data("pipeline.yaml"), missing))
    with pytest.warns(UserWarning, match="no-model.*rules alone"):
        facts = pipeline.extract(Document("t", "Sở Y tế tỉnh Nghệ An họp tại TP Vinh.")).to_json()["entities"]
    assert {e["label"] for e in facts} == {"ORG", "LOC"}
