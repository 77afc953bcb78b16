"""A programme's events are stored with each article (``programme_events``, schema version 5): its
page lists and counts them from those rows, and must give what deriving them from the facts gave
(the page of version 4, `events_as_the_facts_give_them`), on the bundled corpus, on a synthetic
database and on a file of version 4 brought up to date; a re-loaded article replaces its rows."""
from __future__ import annotations

import gzip
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from publish_helpers import CHILD_ENV, ROOT, corpus_documents
from vnfacts.publish.load import fact_checksums, load_documents
from vnfacts.publish.programmes import PROGRAMME_ROW_TABLES, programme_groups, programme_report
from vnfacts.publish.queries import canned_queries
from vnfacts.publish.schema import SCHEMA_VERSION, connect, ensure_schema, fill_programme_rows, schema_gaps
from vnfacts.publish.synthetic import build_synthetic
from vnfacts.publish.transactions import write_transaction

# A file `vnfacts load` wrote at schema version 4 (commit f5bb003), of five articles of the bundled
# corpus (seed-002, seed-004, baomoi-22372386, baomoi-22256103, baomoi-21486869): programmes with
# several names and approving documents, events told in sentences naming them, events citing them.
VERSION_4_FILE = Path(__file__).parent / "data" / "schema-v4.db.gz"


def version_4_file(tmp_path: Path) -> Path:
    """A copy of the file of version 4 (kept compressed: 627 KB -> 96 KB)."""
    path = tmp_path / "v4.db"
    with gzip.open(VERSION_4_FILE) as packed, open(path, "wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def events_as_the_facts_give_them(conn: sqlite3.Connection, programme: dict) -> list[tuple[str, str]]:
    """(event id, link) of each event of a programme, by date (unknown last) and id, derived from
    the facts as the page of schema version 4 derived them at each request: the events citing an
    approving document, and in each article naming one of its names, the main event and the events
    told in a sentence naming one."""
    ids = [n["id"] for n in programme["names"]]
    marks = ", ".join("?" * len(ids))
    told = (f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = e.article_id AND m.sentence_index = e.sentence_index"
            f" AND m.label = 'PROGRAM' AND m.programme_id IN ({marks}))")
    dated, links = {}, {}
    for event_id, date, is_told in conn.execute(
            f"SELECT e.id, e.date, {told} FROM events e WHERE e.article_id IN (SELECT article_id FROM mentions"
            f" WHERE programme_id IN ({marks})) AND (e.is_main = 1 OR {told})", ids * 3):
        dated[event_id], links[event_id] = date, "sentence" if is_told else "article"
    if programme["refs"]:
        for event_id, date in conn.execute(
                f"SELECT e.id, e.date FROM event_documents ed JOIN events e ON e.id = ed.event_id"
                f" WHERE ed.doc_id IN ({', '.join('?' * len(programme['refs']))})", programme["refs"]):
            dated[event_id], links[event_id] = date, "document"
    return [(e, links[e]) for e in sorted(dated, key=lambda e: (dated[e] is None, dated[e] or "", e))]


def assert_pages_list_the_events_the_facts_give(conn: sqlite3.Connection) -> dict[str, int]:
    """Every programme's page against `events_as_the_facts_give_them`: the whole list (links and
    order), its first three, the count. Returns how many events of each link were compared."""
    compared = {"document": 0, "sentence": 0, "article": 0}
    programmes, _ = programme_groups(conn)
    assert programmes
    for p in programmes:
        want = events_as_the_facts_give_them(conn, p)
        full = programme_report(conn, p["id"], shown=100_000)
        assert [(e["id"], e["link"]) for e in full["events"]] == want, p["id"]
        assert full["totals"]["events"] == len(want)
        short = programme_report(conn, p["id"], shown=3)
        assert [(e["id"], e["link"]) for e in short["events"]] == want[:3]
        assert short["totals"]["events"] == len(want)
        for _, link in want:
            compared[link] += 1
    return compared


def test_the_corpus_pages_list_the_events_the_facts_give(db):
    compared = assert_pages_list_the_events_the_facts_give(db)
    assert all(n > 0 for n in compared.values()), compared


@pytest.fixture(scope="module")
def synthetic_db(corpus_db, tmp_path_factory) -> Path:
    """A synthetic database (`vnfacts.publish.synthetic`, what the search benchmark measures) of
    3,000 articles replicated from the corpus's."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.db"
    build_synthetic(path, corpus_db, 3_000)
    return path


def test_the_synthetic_pages_list_the_events_the_facts_give(synthetic_db):
    conn = sqlite3.connect(f"file:{synthetic_db}?mode=ro", uri=True)
    try:
        compared = assert_pages_list_the_events_the_facts_give(conn)
    finally:
        conn.close()
    assert compared["sentence"] > 100 and compared["article"] > 100, compared


# The canned query of a programme's mentions by year as schema version 4 counted them, from every mention.
MENTIONS_BY_YEAR_FROM_THE_FACTS = """
    select p.name as programme, m.year, count(*) as mentions, count(distinct m.article_id) as articles
    from programmes p
    cross join mentions m on m.programme_id = p.id
    where p.name_folded like '%' || vn_fold(:programme) || '%'
    group by p.name, m.year
    order by programme, m.year is null, m.year"""


@pytest.mark.parametrize("database", ["corpus", "synthetic"])
def test_the_canned_mentions_by_year_count_what_the_facts_give(database, corpus_db, synthetic_db):
    from vnfacts.publish.site import prepare_connection

    conn = sqlite3.connect(f"file:{corpus_db if database == 'corpus' else synthetic_db}?mode=ro", uri=True)
    prepare_connection(conn)
    try:
        words = ["", "de an", "chuong trinh", "Đề án 1533", "tre em"]
        words += [r[0] for r in conn.execute("SELECT name FROM programmes ORDER BY mentions DESC, id LIMIT 5")]
        query = canned_queries()["programme_mentions_by_year"]
        assert "programme_places" in query
        rows = 0
        for programme in words:
            want = conn.execute(MENTIONS_BY_YEAR_FROM_THE_FACTS, {"programme": programme}).fetchall()
            assert conn.execute(query, {"programme": programme}).fetchall() == want, programme
            rows += len(want)
        assert rows > 10
    finally:
        conn.close()


# -- a file of version 4 -------------------------------------------------------------------------
def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the file, but the planner's statistics (in order of their text:
    some full-text tables have no rowid)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                             " AND name NOT LIKE 'sqlite_stat%'")]
        return {t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def test_a_version_4_file_gets_its_programme_events_from_its_facts(tmp_path):
    path = version_4_file(tmp_path)
    before = table_rows(path)
    assert "programme_events" not in before
    conn = connect(str(path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    ensure_schema(conn)
    assert schema_gaps(conn) == [] and conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    told = dict(conn.execute("SELECT told, count(*) FROM programme_events GROUP BY told").fetchall())
    compared = assert_pages_list_the_events_the_facts_give(conn)
    conn.close()
    assert told.get(0, 0) > 0 and told.get(1, 0) > 0, told
    assert all(n > 0 for n in compared.values()), compared
    after = table_rows(path)
    # nothing else changed (the provinces may gain the row of a province renamed since the file was made)
    assert set(before) < set(after)
    assert {t: rows for t, rows in after.items() if t in before and t != "provinces"} == \
           {t: rows for t, rows in before.items() if t != "provinces"}
    assert set(before["provinces"]) <= set(after["provinces"])


# A process that brings a file of version 4 up to date and is killed (SIGKILL) midway through
# filling the programmes' events, after the rows of one article.
KILLED_WHILE_FILLING = """
import os, signal, sys
import vnfacts.publish.schema as schema

rows_of = schema.programme_rows

def rows_then_die(*args):
    rows = rows_of(*args)
    if rows["programme_events"]:
        os.kill(os.getpid(), signal.SIGKILL)
    return rows

schema.programme_rows = rows_then_die
schema.ensure_schema(schema.connect(sys.argv[1]))
"""


def test_a_kill_while_a_version_4_file_is_brought_up_to_date_leaves_it_as_it_was(tmp_path):
    path = version_4_file(tmp_path)
    before = table_rows(path)
    killed = subprocess.run([sys.executable, "-P", "-c", KILLED_WHILE_FILLING, str(path)],
                            capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert table_rows(path) == before  # the journal played back: version 4, no table of events
    conn = connect(str(path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    ensure_schema(conn)
    assert_pages_list_the_events_the_facts_give(conn)
    conn.close()


# -- an article loaded again ---------------------------------------------------------------------
def test_an_article_loaded_again_replaces_its_programme_rows(tmp_path, corpus_db):
    """seed-002 (the main event cites 1438/QĐ-TTg, a sentence names its programme) re-loaded with a
    text that names no programme, then as it was: its rows go, then come back, and every table of
    a programme's page always equals what the facts give (filled anew on a copy), with no row
    pointing at an event, figure or article that is gone."""
    path = tmp_path / "db.db"
    shutil.copy(corpus_db, path)
    had = programme_rows_of(path, "seed-002")
    assert had["programme_events"] and had["programme_places"]
    changed = tmp_path / "changed.jsonl"
    changed.write_text('{"id": "seed-002", "text": "Hội nghị tổng kết công tác năm 2024 tại Hà Nội."}\n', encoding="utf-8")
    assert load_documents(path, [changed]).failed == 0
    assert all(not rows for rows in programme_rows_of(path, "seed-002").values())
    assert_programme_rows_as_the_facts_give(path, tmp_path)
    original = tmp_path / "seed-002.jsonl"
    original.write_text(json.dumps(next(d for d in corpus_documents() if d["id"] == "seed-002"), ensure_ascii=False) + "\n",
                        encoding="utf-8")
    assert load_documents(path, [original]).failed == 0
    assert programme_rows_of(path, "seed-002") == had
    assert_programme_rows_as_the_facts_give(path, tmp_path)
    assert {t: fact_checksums(path)[t] for t in PROGRAMME_ROW_TABLES} == \
           {t: fact_checksums(corpus_db)[t] for t in PROGRAMME_ROW_TABLES}


def programme_rows_of(path: Path, article_id: str) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT * FROM [{t}] WHERE article_id = ? ORDER BY 1, 2, 3", (article_id,)).fetchall()
                for t in PROGRAMME_ROW_TABLES}
    finally:
        conn.close()


def assert_programme_rows_as_the_facts_give(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "filled.db"
    shutil.copy(path, copy)
    conn = connect(str(copy))
    write_transaction(conn, lambda: fill_programme_rows(conn))
    conn.close()
    assert {t: fact_checksums(path)[t] for t in PROGRAMME_ROW_TABLES} == \
           {t: fact_checksums(copy)[t] for t in PROGRAMME_ROW_TABLES}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for sql in ("SELECT count(*) FROM programme_events r LEFT JOIN events e ON e.id = r.event_id"
                    " WHERE e.id IS NULL OR e.article_id != r.article_id",
                    "SELECT count(*) FROM programme_figures r LEFT JOIN mentions f ON f.id = r.figure_id WHERE f.id IS NULL",
                    *(f"SELECT count(*) FROM [{t}] r LEFT JOIN articles a ON a.id = r.article_id WHERE a.id IS NULL"
                      for t in PROGRAMME_ROW_TABLES)):
            assert conn.execute(sql).fetchone()[0] == 0, sql
    finally:
        conn.close()
