"""Loading speed: facts per second into SQLite (`vnfacts load`'s storing half) and database size
per 1,000 articles, against what a user with `vnfacts extract` output would otherwise do: insert
the same rows with sqlite-utils, one bulk insert per table, no per-article transactions, indexes or
full-text search. A second reference, the facts alone as one flat table (what this benchmark used
before), is kept beside it.

Extraction is not timed here (the extraction benchmark does that): the facts come from the
extraction benchmark's cache, or are extracted first. Storing is timed as `vnfacts load --extracted`
runs it (`store_extractions`: rows built, written in batches of articles, each in a savepoint);
the rows are built once more, untimed, for the reference inserts.
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
# sqlite-utils' insert_all per table, in the order the loader writes them
ROW_TABLES = (("articles", "article"), ("mentions", "mentions"), ("events", "events"),
              ("event_organizers", "organizers"), ("event_documents", "event_documents"))


def _documents_and_extractions(docs: list[dict], extractions: list[dict]):
    from vnfacts.extractor.inputs import document_from_json
    from vnfacts.extractor.models import Extraction

    for d, x in zip(docs, extractions):
        yield document_from_json(d, d["id"]), Extraction.from_json(x)


def _new_file(db_path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def build_load_db(db_path: Path, docs: list[dict], extractions: list[dict]) -> dict[str, Any]:
    """Store the extracted articles into a new database the way `vnfacts load --extracted` does
    (`store_extractions`), timed whole; the row building (Python) is timed apart on the same pairs."""
    from vnfacts.publish.load import article_rows, store_extractions
    from vnfacts.publish.schema import connect, ensure_schema, province_rows

    _new_file(db_path)
    with Stopwatch() as t_schema:  # what a first load does before its first article
        conn = connect(str(db_path))
        ensure_schema(conn)
        conn.close()
    pairs = list(_documents_and_extractions(docs, extractions))
    with Stopwatch() as t_store:
        summary = store_extractions(db_path, pairs)
    today_of = {row[0]: row[3] for row in province_rows()}
    with Stopwatch() as t_rows:
        rows = [article_rows(doc, extraction, today_of) for doc, extraction in pairs]
    facts = sum(len(r["mentions"]) for r in rows)
    assert summary.documents == len(docs) and summary.failed == 0, summary.errors[:3]
    seconds = t_store.seconds
    size = os.path.getsize(db_path)
    return {"articles": len(docs), "facts": facts, "events": sum(len(r["events"]) for r in rows),
            "seconds": round(seconds, 2), "cpu_seconds": round(t_store.cpu_seconds, 2),
            "facts_per_s": round(facts / seconds), "articles_per_s": round(len(docs) / seconds, 1),
            "db_bytes": size, "db_mb_per_1000_articles": round(size / len(docs) * 1000 / 1e6, 2),
            "time_split_s": {"schema (before, not counted)": round(t_schema.seconds, 3),
                             "article_rows (python, part of the storing)": round(t_rows.seconds, 2),
                             "the rest of storing (sqlite: batches of articles, a savepoint each, "
                             "indexes, full-text indexes, legal documents and programmes)":
                                 round(max(0.0, seconds - t_rows.seconds), 2)}}


def stored_rows(docs: list[dict], extractions: list[dict]) -> dict[str, list[dict]]:
    """Every row `vnfacts load` stores for these articles, by table (the derived tables aside)."""
    from vnfacts.publish.load import article_rows
    from vnfacts.publish.schema import province_rows

    today_of = {row[0]: row[3] for row in province_rows()}
    by_table: dict[str, list[dict]] = {table: [] for table, _ in ROW_TABLES}
    for doc, extraction in _documents_and_extractions(docs, extractions):
        rows = article_rows(doc, extraction, today_of)
        for table, key in ROW_TABLES:
            by_table[table].extend([rows[key]] if key == "article" else rows[key])
    return by_table


def sqlite_utils_same_rows(db_path: Path, rows: dict[str, list[dict]]) -> dict[str, Any]:
    """The rows `vnfacts load` stores, as `sqlite-utils insert` would store them: one bulk insert
    per table, no transactions per article, no indexes, no full-text search, no derived tables."""
    import sqlite_utils

    _new_file(db_path)
    with Stopwatch() as t:
        db = sqlite_utils.Database(db_path)
        for table, _ in ROW_TABLES:
            db[table].insert_all(rows[table], batch_size=1000)
        db.conn.close()
    facts = len(rows["mentions"])
    return {"facts": facts, "rows": sum(len(r) for r in rows.values()), "seconds": round(t.seconds, 3),
            "cpu_seconds": round(t.cpu_seconds, 3),
            "facts_per_s": round(facts / t.seconds), "db_bytes": os.path.getsize(db_path),
            "how": "sqlite_utils insert_all of the same rows into the same tables (articles with their "
                   "texts, mentions, events, organizers, documents of events), no indexes or full-text search"}


def sqlite_utils_flat_facts(db_path: Path, extractions: list[dict]) -> dict[str, Any]:
    """The facts alone as `sqlite-utils insert facts.db facts -` would store them: one flat table."""
    import sqlite_utils

    _new_file(db_path)
    rows = [{"article_id": x["id"], "position": i, "label": e["label"], "start": e["start"], "end": e["end"],
             "text": e["text"], "sentence": e["sentence"], "norm": json.dumps(e["norm"], ensure_ascii=False)}
            for x in extractions for i, e in enumerate(x["entities"])]
    with Stopwatch() as t:
        db = sqlite_utils.Database(db_path)
        db["facts"].insert_all(rows, batch_size=1000)
        db.conn.close()
    return {"facts": len(rows), "seconds": round(t.seconds, 3), "cpu_seconds": round(t.cpu_seconds, 3),
            "facts_per_s": round(len(rows) / t.seconds),
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
    rows = stored_rows(docs, extractions)
    runs: dict[str, list[dict]] = {"ours": [], "same": [], "flat": []}
    for _ in range(repeats):  # alternate, so the disk's mood hits all alike
        runs["ours"].append(build_load_db(work_dir / (f"quick-{LOAD_DB}" if quick else LOAD_DB), docs, extractions))
        runs["same"].append(sqlite_utils_same_rows(work_dir / "load-sqlite-utils.db", rows))
        runs["flat"].append(sqlite_utils_flat_facts(work_dir / "load-sqlite-utils-flat.db", extractions))
    ours, theirs, flat = (median_run(runs[k]) for k in ("ours", "same", "flat"))
    for figures, key in ((ours, "ours"), (theirs, "same"), (flat, "flat")):
        figures["runs_facts_per_s"] = [r["facts_per_s"] for r in runs[key]]
    record["vnfacts_load"] = ours
    record["sqlite_utils_insert"] = theirs
    record["sqlite_utils_flat_facts"] = flat
    record["ratio_facts_per_s_vs_sqlite_utils"] = ratio(ours["facts_per_s"], theirs["facts_per_s"], 3)
    record["ratio_db_size_vs_sqlite_utils"] = ratio(ours["db_bytes"], theirs["db_bytes"])
    record["ratio_facts_per_s_vs_flat_facts"] = ratio(ours["facts_per_s"], flat["facts_per_s"], 3)
    # Per CPU second (this process, every thread): what the disk's flushes, which other jobs on a
    # shared machine slow several-fold, leave out of the comparison.
    record["ratio_facts_per_cpu_s_vs_sqlite_utils"] = ratio(theirs["cpu_seconds"], ours["cpu_seconds"], 3)

    print_table("Loading", ["run", "articles", "facts", "seconds", "CPU s", "facts/s", "DB MB", "MB per 1,000 articles"], [
        ["vnfacts load (storing)", ours["articles"], ours["facts"], ours["seconds"], ours["cpu_seconds"], ours["facts_per_s"],
         ours["db_bytes"] / 1e6, ours["db_mb_per_1000_articles"]],
        ["sqlite-utils insert_all, same rows", len(docs), theirs["facts"], theirs["seconds"], theirs["cpu_seconds"],
         theirs["facts_per_s"],
         theirs["db_bytes"] / 1e6, round(theirs["db_bytes"] / len(docs) * 1000 / 1e6, 2)],
        ["sqlite-utils insert_all, flat facts", len(docs), flat["facts"], flat["seconds"], flat["cpu_seconds"],
         flat["facts_per_s"],
         flat["db_bytes"] / 1e6, round(flat["db_bytes"] / len(docs) * 1000 / 1e6, 2)],
    ])
    print(f"ratio: vnfacts load / sqlite-utils (same rows) = {record['ratio_facts_per_s_vs_sqlite_utils']}x facts/s, "
          f"{record['ratio_db_size_vs_sqlite_utils']}x database size; "
          f"vs the flat facts table {record['ratio_facts_per_s_vs_flat_facts']}x facts/s; "
          f"per CPU second {record['ratio_facts_per_cpu_s_vs_sqlite_utils']}x the same rows' insert")
    print_table("Where the loading time goes", ["part", "seconds"], [[k, v] for k, v in ours["time_split_s"].items()])
    return record
