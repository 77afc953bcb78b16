"""Fixtures of the fuzz tests: a small vnfacts database, built once per module."""
from __future__ import annotations

from pathlib import Path

import pytest

from vnfacts.publish.load import load_documents

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "articles.jsonl"
SMALL_CORPUS_ARTICLES = 8  # the seed articles and a few more: decisions, a Party resolution, programmes


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    """The first articles of the bundled corpus, loaded (a few seconds)."""
    folder = tmp_path_factory.mktemp("fuzz-db")
    articles = folder / "articles.jsonl"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:SMALL_CORPUS_ARTICLES]
    articles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = load_documents(folder / "vnfacts.db", [articles])
    assert summary.failed == 0, summary.errors
    return folder / "vnfacts.db"
