"""Loading speed: facts per second into SQLite (`vnfacts load`'s storing half) and database size
per 1,000 articles, against what a user with `vnfacts extract` output would otherwise do: insert
the facts with sqlite-utils, one bulk insert, no per-article transactions, indexes or full-text
search.

Extraction is not timed here (the extraction benchmark does that): the facts come from the
extraction benchmark's cache, or are extracted first.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from .common import WORK_DIR, Stopwatch, load_corpus, new_record, print_table, ratio

QUICK_ARTICLES = 6
REPEATS = 3  # disk flushes vary a lot on a shared machine: the median of three runs is reported
LOAD_DB = "load.db"


def _documents_and_extractions(docs: list[dict], extractions: list[dict]):
    from vnfacts.extractor.inputs import document_from_json
    from vnfacts.extractor.models import Extraction

    for d, x in zip(docs, extractions):
        yield document_from_json(d, d["id"]), Extraction.from_json(x)


def build_load_db(db_path: Path, docs: list[dict], extractions: list[dict]) -> dict[str, Any]:
    """Store the extracted articles into a new database the way `vnfacts load` does; time the
    row building (Python) and the storing (SQLite) apart."""
    from vnfacts.publish.load import article_rows, provinces_today, store_article
    from vnfacts.publish.schema import connect, ensure_schema

    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    conn = connect(str(db_path))
    try:
        with Stopwatch() as t_schema:
            ensure_schema(conn)
        today_of = provinces_today(conn)
        pairs = list(_documents_and_extractions(docs, extractions))
        rows_s = store_s = 0.0
        facts = events = 0
        started = time.perf_counter()
        for doc, extraction in pairs:
            t = time.perf_counter()
            rows = article_rows(doc, extraction, today_of)
            rows_s += time.perf_counter() - t
            t = time.perf_counter()
            store_article(conn, rows)
            store_s += time.perf_counter() - t
            facts += len(rows["mentions"])
            events += len(rows["events"])
        seconds = time.perf_counter() - started
    finally:
        conn.close()
    size = os.path.getsize(db_path)
    return {"articles": len(docs), "facts": facts, "events": events, "seconds": round(seconds, 2),
            "facts_per_s": round(facts / seconds), "articles_per_s": round(len(docs) / seconds, 1),
            "db_bytes": size, "db_mb_per_1000_articles": round(size / len(docs) * 1000 / 1e6, 2),
            "time_split_s": {"schema": round(t_schema.seconds, 3), "article_rows (python)": round(rows_s, 2),
                             "store_article (sqlite, one fsync'ed transaction per article, "
                             "with its legal documents and programmes)": round(store_s, 2)}}


def sqlite_utils_baseline(db_path: Path, extractions: list[dict]) -> dict[str, Any]:
    """The facts as `sqlite-utils insert facts.db facts -` would store them: one flat table."""
    import sqlite_utils

    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    rows = [{"article_id": x["id"], "position": i, "label": e["label"], "start": e["start"], "end": e["end"],
             "text": e["text"], "sentence": e["sentence"], "norm": json.dumps(e["norm"], ensure_ascii=False)}
            for x in extractions for i, e in enumerate(x["entities"])]
    with Stopwatch() as t:
        db = sqlite_utils.Database(db_path)
        db["facts"].insert_all(rows, batch_size=1000)
        db.conn.close()
    return {"facts": len(rows), "seconds": round(t.seconds, 3), "facts_per_s": round(len(rows) / t.seconds),
            "db_bytes": os.path.getsize(db_path),
            "how": "sqlite_utils insert_all of the flattened facts (no articles, events, indexes or full-text search)"}


def median_run(runs: list[dict]) -> dict:
    """The run with the median facts per second."""
    return dict(sorted(runs, key=lambda r: r["facts_per_s"])[len(runs) // 2])


def run(quick: bool = False, work_dir: Path = WORK_DIR, sizes: dict | None = None) -> dict[str, Any]:
    from .extraction import extractions_for

    record = new_record("loading", quick)
    corpus, info = load_corpus()
    docs = corpus[:QUICK_ARTICLES] if quick else corpus
    record["corpus"] = {**info, "articles_loaded": len(docs)}
    work_dir.mkdir(parents=True, exist_ok=True)
    with Stopwatch() as t_extract:
        extractions = extractions_for(docs, work_dir, cache=not quick)
    record["extraction_seconds_not_counted"] = round(t_extract.seconds, 1)

    repeats = 1 if quick else REPEATS
    runs_ours, runs_theirs = [], []
    for _ in range(repeats):  # alternate, so the disk's mood hits both alike
        runs_ours.append(build_load_db(work_dir / (f"quick-{LOAD_DB}" if quick else LOAD_DB), docs, extractions))
        runs_theirs.append(sqlite_utils_baseline(work_dir / "load-sqlite-utils.db", extractions))
    ours = median_run(runs_ours)
    theirs = median_run(runs_theirs)
    ours["runs_facts_per_s"] = [r["facts_per_s"] for r in runs_ours]
    theirs["runs_facts_per_s"] = [r["facts_per_s"] for r in runs_theirs]
    record["vnfacts_load"] = ours
    record["sqlite_utils_insert"] = theirs
    record["ratio_facts_per_s_vs_sqlite_utils"] = ratio(ours["facts_per_s"], theirs["facts_per_s"], 3)
    record["ratio_db_size_vs_sqlite_utils"] = ratio(ours["db_bytes"], theirs["db_bytes"])

    print_table("Loading", ["run", "articles", "facts", "seconds", "facts/s", "DB MB", "MB per 1,000 articles"], [
        ["vnfacts load (storing)", ours["articles"], ours["facts"], ours["seconds"], ours["facts_per_s"],
         ours["db_bytes"] / 1e6, ours["db_mb_per_1000_articles"]],
        ["sqlite-utils insert_all", len(docs), theirs["facts"], theirs["seconds"], theirs["facts_per_s"],
         theirs["db_bytes"] / 1e6, round(theirs["db_bytes"] / len(docs) * 1000 / 1e6, 2)],
    ])
    print(f"ratio: vnfacts load / sqlite-utils = {record['ratio_facts_per_s_vs_sqlite_utils']}x facts/s, "
          f"{record['ratio_db_size_vs_sqlite_utils']}x database size")
    print_table("Where the loading time goes", ["part", "seconds"], [[k, v] for k, v in ours["time_split_s"].items()])
    return record
