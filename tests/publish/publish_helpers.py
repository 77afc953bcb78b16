"""Shared constants and helpers of the storage and publishing tests."""
from __future__ import annotations

import json
import os
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

from vnfacts.publish.serve import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "articles.jsonl"
ARTIFACTS = ROOT / "tests" / "artifacts" / "publish"
CHROMIUM = "/usr/bin/chromium"
# The four written forms of one decision the issue asks for; seed-002 cites it.
DECISION_FORMS = ("QĐ 1438", "quyet dinh 1438", "1438/QĐ-TTg", "Quyết định số 1438")
DECISION_ID = "1438/QĐ-TTg"
# Loads in child processes share one hash seed, so they compare like with like even if a finder's
# output depended on set order.
CHILD_ENV = {**os.environ, "PYTHONHASHSEED": "0"}


def corpus_documents() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_facts(path: Path) -> dict[str, list[tuple]]:
    """Every article's mentions and events, as comparable tuples (rowids left out)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        facts: dict[str, list[tuple]] = {}
        for row in conn.execute("SELECT article_id, id, label, start, [end], text, norm, sentence FROM mentions ORDER BY id"):
            facts.setdefault(row[0], []).append(row[1:])
        for row in conn.execute("SELECT article_id, id, type, date, province FROM events ORDER BY id"):
            facts.setdefault(row[0], []).append(row[1:])
        for (article_id,) in conn.execute("SELECT id FROM articles"):
            facts.setdefault(article_id, [])
        return facts
    finally:
        conn.close()
# Only a safety net, so that a regression fails instead of hanging: the time limit of the site's
# queries plus a generous margin for slow machines. Tests assert on what the site answers.
SAFETY_TIMEOUT_S = SETTINGS["sql_time_limit_ms"] / 1000 + 10


def fetch(site, path: str) -> tuple[int, object]:
    """Status and body (parsed when it is JSON) of a GET on the site."""
    try:
        with urllib.request.urlopen(site.url.rstrip("/") + path, timeout=SAFETY_TIMEOUT_S) as response:
            status, body = response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        status, body = err.code, err.read().decode("utf-8")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def count_articles(path: Path) -> int:
    """Articles stored in ``path`` so far (0 before the table exists), read while a load writes."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet
        return 0
