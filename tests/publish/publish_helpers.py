"""Shared constants and helpers of the storage and publishing tests."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "articles.jsonl"
ARTIFACTS = ROOT / "tests" / "artifacts" / "publish"
CHROMIUM = "/usr/bin/chromium"
# The four written forms of one decision the issue asks for; seed-002 cites it.
DECISION_FORMS = ("QĐ 1438", "quyet dinh 1438", "1438/QĐ-TTg", "Quyết định số 1438")
DECISION_ID = "1438/QĐ-TTg"


def corpus_documents() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
