"""models.as_record: what dataclasses.asdict gives, for every record the JSON lines are built from,
without sharing a list or dict with the record."""
from __future__ import annotations

from dataclasses import asdict

import pytest

from vnfacts.extractor.models import DocumentFacts, Entity, Event, as_record
from vnfacts.extractor.norms import NormError, norm_dict


def test_as_record_equals_asdict_and_copies_containers():
    entity = Entity(3, 12, "LEGAL_REF", "1438/QĐ-TTg", {"id": "1438/QĐ-TTg", "number": 1438, "year": None}, 0)
    event = Event("hoi_nghi", kind="hội nghị", organizers=["Sở Y tế tỉnh Nghệ An"], legal_refs=[], participants=200)
    facts = DocumentFacts(date="2023-06-05", province="Nghệ An")
    for record in (entity, event, facts):
        assert as_record(record) == asdict(record)
        assert list(as_record(record)) == list(asdict(record))  # same key order: same JSON line
    out = as_record(event)
    out["organizers"].append("Bộ Y tế")
    assert event.organizers == ["Sở Y tế tỉnh Nghệ An"]
    out = as_record(entity)
    out["norm"]["year"] = 2016
    assert entity.norm["year"] is None
    assert facts.to_json() == {**asdict(facts), "year": 2023}


def test_norm_dict_fills_missing_fields_and_refuses_unknown_ones():
    assert norm_dict("ORG", {"name": "Sở Y tế"}) == {"name": "Sở Y tế"}
    assert norm_dict("LOC", {"province": "Nghệ An"}) == {"province": "Nghệ An", "province_today": None}
    with pytest.raises(NormError, match="head"):
        norm_dict("ORG", {"name": "Sở Y tế", "head": "Sở"})
