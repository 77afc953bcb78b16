"""Fuzzing the extraction pipeline (vnfacts.extractor.pipeline.extract) with Vietnamese-like text:
no exception, no hang, and offsets exact on the text as given, in every written variant."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline, extract, warm_up

from fuzz_strategies import VARIANTS, examples, hard_limit, vietnamese_text

# One example extracts six variants of up to ~10,000 characters: about 0.1-0.5 s on a busy core.
PER_EXAMPLE = settings(max_examples=examples(200), deadline=timedelta(seconds=10),
                       suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HARD_LIMIT_S = 30  # a hang, not a slow example: fail rather than wait


def setup_module():
    warm_up(default_pipeline())  # loading data files is not the first example's time


def assert_offsets_exact(text: str, doc_id: str = "fuzz") -> None:
    with hard_limit(HARD_LIMIT_S):
        extraction = extract(Document(doc_id, text))
    for sentence, (start, end) in enumerate(extraction.sentences):
        assert 0 <= start <= end <= len(text), (sentence, start, end)
    for entity in extraction.entities:
        assert 0 <= entity.start < entity.end <= len(text), entity
        assert text[entity.start:entity.end] == entity.text, entity
        assert entity.sentence is None or 0 <= entity.sentence < len(extraction.sentences), entity
    for event in extraction.events:
        assert event.sentence is None or 0 <= event.sentence < len(extraction.sentences), event


@PER_EXAMPLE
@given(text=vietnamese_text())
@example(text="Ngày 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức hội nghị về Quyết định số 1438/QĐ-TTg với 120 đại biểu.")
@example(text="Uỷ ban nhân dân tỉnh Khánh Hoà\u2028Quyết định 1438/QĐ-TTg\u0300\u0300 ngày 29/5/2025")
def test_offsets_are_exact_in_every_written_variant(text):
    for name, variant in VARIANTS.items():
        assert_offsets_exact(variant(text), f"fuzz-{name}")


@settings(max_examples=examples(40), deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_any_unicode_text_is_extracted(text):
    assert_offsets_exact(text)
