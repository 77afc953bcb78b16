"""The pipeline's stage graph tells the truth: stages declare what they require and assign, a config
is checked at start-up, and a stage removed from the config takes its results with it."""
from __future__ import annotations

import pytest

from vnfacts.extractor import places
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import Pipeline, PipelineConfigError
from vnfacts.extractor.resources import load_data

TEXT = ("Sáng ngày 14 tháng 7 năm 2023, Sở Lao động - Thương binh và Xã hội tỉnh Bình Dương tổ chức hội nghị sơ kết Đề án 1533 "
        "theo Quyết định số 1438/QĐ-TTg tại thành phố Thủ Dầu Một, với 120 đại biểu tham dự.")


def config_without(*names: str) -> dict:
    base = load_data("pipeline.yaml")
    return {**base, "stages": {k: v for k, v in base["stages"].items() if k not in names}}


def labels(pipeline: Pipeline) -> set[str]:
    return {e.label for e in pipeline.extract(Document("t", TEXT, "2023-07-18")).entities}


def test_the_default_config_finds_every_label_and_the_document():
    result = Pipeline.from_config(load_data("pipeline.yaml")).extract(Document("t", TEXT))
    assert {e.label for e in result.entities} == {"LEGAL_REF", "PROGRAM", "DATE", "FIGURE", "ORG", "LOC"}
    assert (result.document.date, result.document.date_source) == ("2023-07-14", "first_date")
    assert (result.document.province, result.document.province_evidence) == ("Bình Dương", "lead")
    assert result.events[0].province == "Bình Dương"


def test_a_removed_finder_takes_its_label_and_nothing_recomputes_it(monkeypatch):
    pipeline = Pipeline.from_config(config_without("figures", "ner_model"))  # the model fills gaps after every finder
    assert labels(pipeline) == {"LEGAL_REF", "PROGRAM", "DATE", "ORG", "LOC"}
    # without the places finder and the stages that need it, the gazetteer is never asked for places
    pipeline = Pipeline.from_config(config_without("places", "document_province", "orgs", "ner_model"))

    def no_gazetteer(ctx):
        raise AssertionError("the places finder ran though the config removed it")
    monkeypatch.setattr(places, "find_places", no_gazetteer)
    monkeypatch.setattr(places, "find_place_candidates", no_gazetteer)
    result = pipeline.extract(Document("t", TEXT, "2023-07-18"))
    assert {e.label for e in result.entities} == {"LEGAL_REF", "PROGRAM", "DATE", "FIGURE"}
    assert result.document.province is None and all(ev.province is None for ev in result.events)


@pytest.mark.parametrize("removed, needer, missing", [
    (("places",), "document_province", "places"),
    (("dates",), "document_date", "dates"),
    (("document_province",), "orgs", "document.province"),
    (("settle",), "prefer_model_names", "spans"),
])
def test_a_missing_requirement_is_a_clear_error_at_start_up(removed, needer, missing):
    with pytest.raises(PipelineConfigError, match=f"stage '{needer}' requires '{missing}'"):
        Pipeline.from_config(config_without(*removed))


def test_two_stages_assigning_one_field_and_unknown_stages_are_refused():
    base = load_data("pipeline.yaml")
    doubled = {**base, "stages": {**base["stages"], "more_places": "vnfacts.extractor.places:find_places"}}
    with pytest.raises(PipelineConfigError, match="both assign 'places'"):
        Pipeline.from_config(doubled)
    with pytest.raises(PipelineConfigError, match="cannot load stage"):
        Pipeline.from_config({**base, "stages": {**base["stages"], "x": "vnfacts.extractor.places:no_such"}})
    with pytest.raises(PipelineConfigError, match="not declared as a stage"):
        Pipeline.from_config({**base, "stages": {**base["stages"], "x": "vnfacts.extractor.places:today_of"}})
