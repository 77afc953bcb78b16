"""Storage takes extractions: `vnfacts load --extracted` stores `vnfacts extract` output and gives
the database `vnfacts load` gives on the texts; a bad line costs only its own article."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from publish_helpers import CHILD_ENV, CORPUS, ROOT, article_facts, corpus_documents
from vnfacts.publish.load import fact_checksums


def vnfacts(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnfacts.cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=CHILD_ENV, timeout=300)


def test_extract_then_load_extracted_gives_the_database_load_gives(tmp_path):
    extracted, a, b = tmp_path / "x.jsonl", tmp_path / "a.db", tmp_path / "b.db"
    r = vnfacts("extract", CORPUS, "-o", extracted, "-q")
    assert r.returncode == 0, r.stderr
    r = vnfacts("load", "--extracted", extracted, "--db", a, "-q")
    assert r.returncode == 0, r.stderr
    r = vnfacts("load", CORPUS, "--db", b, "-q")
    assert r.returncode == 0, r.stderr
    via_extract, direct = fact_checksums(a), fact_checksums(b)
    assert via_extract == direct
    assert via_extract["articles"][0] == len(corpus_documents()) and via_extract["mentions"][0] > 0
    assert via_extract["articles_fts"][0] > 0 and via_extract["mentions_fts"][0] > 0


def test_the_crawl_time_goes_through_extract_to_load_extracted(tmp_path):
    article = {"id": "c1", "text": "Sáng 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức hội nghị tập huấn.",
               "fetched_at": "2023-06-06T08:00:00Z", "licence": "CC BY 4.0"}
    source, extracted, db = tmp_path / "in.jsonl", tmp_path / "x.jsonl", tmp_path / "a.db"
    source.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    assert vnfacts("extract", source, "-o", extracted, "-q").returncode == 0
    assert json.loads(extracted.read_text(encoding="utf-8"))["fetched_at"] == "2023-06-06T08:00:00Z"
    r = vnfacts("load", "--extracted", extracted, "--db", db, "-q")
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select fetched_at, licence from articles where id = 'c1'").fetchone() == \
            ("2023-06-06T08:00:00Z", "CC BY 4.0")


def _extract_lines(tmp_path: Path) -> dict[str, dict]:
    out = tmp_path / "x.jsonl"
    r = vnfacts("extract", CORPUS, "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    return {d["id"]: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_a_bad_line_is_reported_and_the_others_are_loaded(tmp_path, corpus_db):
    lines = _extract_lines(tmp_path)
    path = tmp_path / "db.db"
    shutil.copy(corpus_db, path)
    before = article_facts(path)
    damaged = {**lines["seed-002"], "entities": [{**lines["seed-002"]["entities"][0], "start": "0"}]}
    elsewhere = {**lines["seed-003"], "text": "Một văn bản khác."}  # facts of another text
    no_text = {k: v for k, v in lines["seed-004"].items() if k != "text"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([
        json.dumps(lines["seed-000"], ensure_ascii=False),
        "{not json",
        json.dumps(damaged, ensure_ascii=False),
        json.dumps({"id": "seed-005", "error": "seed-005: extraction failed: boom"}),  # the Dask job's error line
        json.dumps(elsewhere, ensure_ascii=False),
        json.dumps(no_text, ensure_ascii=False),
        json.dumps(corpus_documents()[6], ensure_ascii=False),  # an input line, not extracted
        json.dumps(lines["seed-001"], ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    r = vnfacts("load", "-q", "--db", path, "--extracted", bad, tmp_path / "missing.jsonl")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    for expected in ("bad.jsonl:2: invalid JSON", "seed-002: ", "bad.jsonl:3: entity 0: `start` has the wrong type",
                     "seed-005: ", "bad.jsonl:4: not extracted: seed-005: extraction failed: boom",
                     "seed-003: ", "bad.jsonl:5: entity 0: `text` is not the document's text",
                     "seed-004: ", "bad.jsonl:6: no `text`", "bad.jsonl:7: not a `vnfacts extract` line",
                     "missing.jsonl: cannot read"):
        assert expected in r.stderr, (expected, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 7
    assert article_facts(path) == before  # the good lines stored the same facts, the bad ones changed nothing
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_load_needs_inputs_or_extracted_files(tmp_path):
    for args in ([], [CORPUS, "--extracted", CORPUS]):
        r = vnfacts("load", "-q", "--db", tmp_path / "x.db", *args)
        assert r.returncode == 2 and "--extracted" in r.stderr and "Traceback" not in r.stderr


def test_the_dask_task_writes_what_extract_writes(tmp_path):
    """The cluster's output is `vnfacts extract` output, so `vnfacts load --extracted` stores it;
    the task is part of the package, which imports no Dask (the job script does)."""
    from vnfacts.extractor.distributed import extract_partition

    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:5]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = vnfacts("extract", path, "-q")
    assert r.returncode == 0, r.stderr
    out = list(extract_partition(lines + ["", '{"id": "x"}']))
    assert out[:5] == r.stdout.splitlines()
    assert json.loads(out[5]) == {"id": "x", "error": "x: missing `text`"}
    imports = subprocess.run([sys.executable, "-c", "import sys, vnfacts, vnfacts.extractor.distributed; "
                              "print(vnfacts.extract_partition.__module__, 'dask' in sys.modules)"],
                             capture_output=True, text=True, cwd=ROOT, check=True)
    assert imports.stdout.split() == ["vnfacts.extractor.distributed", "False"]
