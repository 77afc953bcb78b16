"""Loading: schema, replacement of an article's facts in one transaction, determinism, kills."""
from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import vnfacts.publish.load as load
from publish_helpers import count_articles, CHILD_ENV, CORPUS, ROOT, article_facts, corpus_documents
from vnfacts.publish.load import fact_checksums, load_documents
from vnfacts.publish.schema import TABLES


def test_schema_shows_the_domain(db):
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(TABLES) <= tables
    assert {"articles_fts", "mentions_fts"} <= tables
    fks = {(t, r["from"], r["table"]) for t in ("mentions", "events", "event_documents", "programmes")
           for r in db.execute(f"PRAGMA foreign_key_list([{t}])")}
    assert ("mentions", "article_id", "articles") in fks
    assert ("mentions", "doc_id", "legal_documents") in fks
    assert ("event_documents", "doc_id", "legal_documents") in fks
    assert ("events", "article_id", "articles") in fks
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(corpus_documents())
    # provinces before the merger, each with its province since 2025, and Thừa Thiên Huế (Huế since 2025)
    assert db.execute("SELECT count(*) FROM provinces").fetchone()[0] == 64
    assert db.execute("SELECT count(DISTINCT province_today) FROM provinces").fetchone()[0] == 34
    assert db.execute("SELECT province_today FROM provinces WHERE name = 'Bình Dương'").fetchone()[0] == "Hồ Chí Minh"


def test_facts_land_with_provenance(db, corpus_db):
    row = db.execute("SELECT * FROM mentions WHERE doc_id = '1438/QĐ-TTg' AND article_id = 'seed-002'").fetchone()
    assert row is not None, "seed-002 cites Quyết định số 1438/QĐ-TTg"
    text = db.execute("SELECT text FROM articles WHERE id = 'seed-002'").fetchone()[0]
    assert text[row["start"]:row["end"]] == row["text"]
    assert row["text"] in row["sentence"]
    assert row["doc_type"] == "Quyết định"
    doc = db.execute("SELECT * FROM legal_documents WHERE id = '1438/QĐ-TTg'").fetchone()
    assert (doc["type"], doc["number"], doc["code"]) == ("Quyết định", 1438, "QĐ-TTg")
    # every mention names an existing article, every cited id an existing document
    assert db.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM mentions WHERE doc_id IS NOT NULL AND doc_id NOT IN "
                      "(SELECT id FROM legal_documents)").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM mentions WHERE programme_id IS NOT NULL AND programme_id NOT IN "
                      "(SELECT id FROM programmes)").fetchone()[0] == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_loading_twice_gives_the_same_database(tmp_path, corpus_db):
    again = tmp_path / "again.db"
    shutil.copy(corpus_db, again)
    load_documents(again, [CORPUS])
    once, twice = fact_checksums(corpus_db), fact_checksums(again)
    assert once == twice
    assert once["mentions"][0] > 0 and once["legal_documents"][0] > 0


def test_a_bad_document_leaves_the_previous_facts(tmp_path, corpus_db):
    path = tmp_path / "db.db"
    shutil.copy(corpus_db, path)
    before = article_facts(path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "seed-002", "text": 12345}) + "\nnot json\n", encoding="utf-8")
    errors = []

    class Sink:
        def write(self, s): errors.append(s)
        def flush(self): pass
        def isatty(self): return False

    summary = load_documents(path, [bad], errors=Sink())
    assert summary.failed == 2
    assert "seed-002" in "".join(errors)
    assert article_facts(path) == before


def test_a_failure_inside_the_transaction_rolls_the_article_back(tmp_path, corpus_db, monkeypatch):
    """A crash after the old facts were deleted and some new ones written changes nothing."""
    path = tmp_path / "db.db"
    shutil.copy(corpus_db, path)
    before = article_facts(path)
    assert before["seed-002"], "seed-002 has facts"
    real_insert = load._insert

    def crash_on_events(conn, table, rows):
        real_insert(conn, table, rows)
        if table == "mentions":
            raise OSError("disk on fire")

    monkeypatch.setattr(load, "_insert", crash_on_events)
    doc = next(d for d in corpus_documents() if d["id"] == "seed-002")
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(OSError):
        load_documents(path, [one])
    assert article_facts(path) == before
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _start_load(db_path: Path, *inputs: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "vnfacts.cli", "load", "-q", "--db", str(db_path), *inputs],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=ROOT, text=True, encoding="utf-8", env=CHILD_ENV)


@pytest.fixture(scope="module")
def child_db(tmp_path_factory) -> Path:
    """The corpus loaded whole by `vnfacts load` in a child process: the reference for the kills."""
    path = tmp_path_factory.mktemp("child") / "reference.db"
    proc = _start_load(path, str(CORPUS))
    _, err = proc.communicate("", timeout=300)
    assert proc.returncode == 0, err
    return path


def _assert_whole_or_absent(path: Path, reference: dict[str, list[tuple]]) -> int:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    got = article_facts(path)
    for article_id, facts in got.items():
        assert facts == reference[article_id], f"{article_id}: facts not whole after the kill"
    return len(got)


def test_killing_a_load_midway_leaves_whole_articles(tmp_path, child_db):
    reference = article_facts(child_db)
    docs = corpus_documents()
    path = tmp_path / "killed.db"
    proc = _start_load(path, "-")
    try:
        for d in docs[:10]:
            proc.stdin.write(json.dumps(d, ensure_ascii=False) + "\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while count_articles(path) < 10 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        assert count_articles(path) == 10
        # Now feed the rest and kill it while it works through them.
        for d in docs[10:]:
            proc.stdin.write(json.dumps(d, ensure_ascii=False) + "\n")
        proc.stdin.flush()
        time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    n = _assert_whole_or_absent(path, reference)
    assert 10 <= n <= len(docs)


def test_killing_a_reload_keeps_every_article_whole(tmp_path, child_db):
    """Re-loading over a full database and killed at several moments: every article stays whole."""
    reference = article_facts(child_db)
    path = tmp_path / "reload.db"
    shutil.copy(child_db, path)
    for delay in (1.5, 3.0, 4.5):  # the child needs ~1 s to start, then loads for several seconds
        proc = _start_load(path, str(CORPUS))
        proc.stdin.close()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _assert_whole_or_absent(path, reference) == len(reference)


def test_load_command_reports_clearly(tmp_path):
    from vnfacts.cli import main

    not_db = tmp_path / "notes.db"
    not_db.write_text("this is not a database\n" * 100, encoding="utf-8")
    assert main(["load", "-q", "--db", str(not_db), str(CORPUS)]) == 2
    assert main(["load", "-q", "--db", str(tmp_path / "x.db"), str(tmp_path / "missing.jsonl")]) == 1
