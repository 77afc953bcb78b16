"""The summary tables and the derived tables are kept up to date by each load from what the loaded
articles change alone; on real SQLite files they must always equal what counting all the facts
gives, and a load in pieces, with articles changed and emptied, the tables of one clean load."""
from __future__ import annotations

import copy
import shutil
import sqlite3
from pathlib import Path

import pytest

from publish_helpers import CORPUS
from vnfacts.extractor.extractions import extract_with_documents
from vnfacts.publish.load import fact_checksums, refresh_derived, store_extractions
from vnfacts.publish.schema import connect, ensure_schema, schema_gaps
from vnfacts.publish.sources import first_of_each_id, located_documents
from vnfacts.publish.summaries import SUMMARIES


@pytest.fixture(scope="module")
def extracted() -> list:
    """The bundled corpus's documents with their extractions (in memory, to be changed)."""
    return list(extract_with_documents(first_of_each_id(located_documents([CORPUS]))))


def changed(extracted: list) -> dict[str, tuple]:
    """New versions of three articles: one that cites and names nothing any more, one moved to
    another province and year, one whose programme is named otherwise."""
    def first(predicate):
        return next((doc, x) for doc, x in extracted if doc.id not in out and predicate(x))

    out = {}
    doc, x = first(lambda x: any(e.label == "LEGAL_REF" for e in x.entities) and x.events)
    emptied = copy.deepcopy(x)
    emptied.entities, emptied.events = [], []
    out[doc.id] = (doc, emptied)
    doc, x = first(lambda x: x.document is not None and x.document.province not in (None, "Cà Mau")
                   and any(e.label == "PROGRAM" for e in x.entities))
    moved = copy.deepcopy(x)
    moved.document.province, moved.document.date = "Cà Mau", "2019-03-02"
    out[doc.id] = (doc, moved)
    doc, x = first(lambda x: any(e.label == "PROGRAM" for e in x.entities))
    renamed = copy.deepcopy(x)
    for e in renamed.entities:
        if e.label == "PROGRAM":
            e.norm = {**(e.norm or {}), "name": "Chương trình Nâng bước em tới trường"}
    out[doc.id] = (doc, renamed)
    return out


def rebuilt(path: Path, tmp_path: Path) -> dict:
    """The checksums of a copy of ``path`` whose summary and derived tables were counted anew."""
    copy_path = tmp_path / f"rebuilt-{path.name}"
    shutil.copy(path, copy_path)
    conn = connect(str(copy_path))
    refresh_derived(conn)
    conn.close()
    return fact_checksums(copy_path)


def test_a_load_in_pieces_with_changed_articles_gives_the_tables_of_a_clean_load(tmp_path, extracted):
    new_versions = changed(extracted)
    final = [new_versions.get(doc.id, (doc, x)) for doc, x in extracted]
    half = len(extracted) // 2
    pieces = tmp_path / "pieces.db"
    assert store_extractions(pieces, extracted[:half]).failed == 0
    assert store_extractions(pieces, extracted[half:]).failed == 0
    # the changed articles, loaded again one by one and then together (each its own batch first)
    for item in new_versions.values():
        assert store_extractions(pieces, [item]).failed == 0
    assert store_extractions(pieces, list(new_versions.values())).failed == 0
    clean = tmp_path / "clean.db"
    assert store_extractions(clean, final).failed == 0
    got, want = fact_checksums(pieces), fact_checksums(clean)
    assert got == want
    assert rebuilt(pieces, tmp_path) == got  # and what counting every fact anew gives
    conn = sqlite3.connect(pieces)
    emptied = next(doc.id for doc, x in new_versions.values() if not x.entities)
    assert conn.execute("SELECT facts FROM articles WHERE id = ?", (emptied,)).fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM programmes WHERE name = 'Chương trình Nâng bước em tới trường'"
                        ).fetchone()[0] == 1
    assert conn.execute("SELECT sum(articles) FROM summary_articles WHERE province = 'Cà Mau' AND year = 2019"
                        ).fetchone()[0] >= 1
    conn.close()


def test_summaries_count_what_the_facts_hold(db):
    """Each summary table against the same count made directly over the facts."""
    def same(summary_sql, facts_sql):
        assert sorted(map(tuple, db.execute(summary_sql)), key=repr) == sorted(map(tuple, db.execute(facts_sql)), key=repr)

    same("SELECT province, date_source, year, articles FROM summary_articles",
         "SELECT province, date_source, year, count(*) FROM articles GROUP BY 1, 2, 3")
    same("SELECT label, province, date_source, mentions FROM summary_mentions",
         "SELECT m.label, a.province, a.date_source, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id"
         " GROUP BY 1, 2, 3")
    same("SELECT doc_id, province, date_source, mentions, articles FROM summary_citations",
         "SELECT m.doc_id, a.province, a.date_source, count(*), count(DISTINCT m.article_id) FROM mentions m"
         " JOIN articles a ON a.id = m.article_id WHERE m.doc_id IS NOT NULL GROUP BY 1, 2, 3")
    same("SELECT type, year, province, article_province, date_source, events FROM summary_events",
         "SELECT e.type, e.year, e.province, a.province, a.date_source, count(*) FROM events e"
         " JOIN articles a ON a.id = e.article_id GROUP BY 1, 2, 3, 4, 5")
    same("SELECT programme_id, sum(mentions) FROM programme_places GROUP BY 1",
         "SELECT programme_id, count(*) FROM mentions WHERE programme_id IS NOT NULL GROUP BY 1")
    same("SELECT id, n FROM summary_values WHERE kind = 'document' AND field = '#events'",
         "SELECT doc_id, count(*) FROM event_documents GROUP BY doc_id")
    same("SELECT programme_id, figure_id FROM programme_figures",
         "SELECT DISTINCT m.programme_id, f.id FROM mentions m JOIN mentions f ON f.article_id = m.article_id"
         " AND f.sentence_index = m.sentence_index AND f.label = 'FIGURE' WHERE m.programme_id IS NOT NULL")
    assert db.execute("SELECT count(*) FROM summary_articles").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM programme_figures").fetchone()[0] > 0


def test_a_file_from_before_the_summaries_gets_them_counted_once(tmp_path, corpus_db):
    path = tmp_path / "v3.db"
    shutil.copy(corpus_db, path)
    conn = sqlite3.connect(path)
    for table in SUMMARIES:
        conn.execute(f"DROP TABLE [{table}]")
    conn.execute("DELETE FROM programme_figures")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    conn = connect(str(path))
    ensure_schema(conn)
    conn.close()
    assert fact_checksums(path) == fact_checksums(corpus_db)


def test_a_file_with_the_retired_summary_of_programme_places_loses_it_and_nothing_else(tmp_path, corpus_db):
    """`summary_programme_places` (schema 4 kept it, by a rule the programme page did not follow)
    is dropped by the next load's schema check, and the file then equals a new one."""
    path = tmp_path / "old.db"
    shutil.copy(corpus_db, path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE summary_programme_places (programme_id, province, mentions INTEGER NOT NULL,"
                 " articles INTEGER NOT NULL)")
    conn.execute("CREATE INDEX idx_summary_programme_places_key ON summary_programme_places (programme_id, province)")
    conn.execute("INSERT INTO summary_programme_places VALUES ('x', 'Hà Nội', 1, 1)")
    conn.commit()
    assert schema_gaps(conn) == ["retired table summary_programme_places"]
    conn.close()
    conn = connect(str(path))
    ensure_schema(conn)
    assert schema_gaps(conn) == []
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'summary_programme_places%'"
                        " OR name LIKE 'idx_summary_programme_places%'").fetchone()[0] == 0
    conn.close()
    assert fact_checksums(path) == fact_checksums(corpus_db)


def test_the_served_database_counts_every_table_of_a_small_file(corpus_db):
    """Datasette's home page asks for each table's rows (within a time limit, stopping at the first
    that runs over: the page shows none then): a small file has them all, exact."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from vnfacts.publish.serve import database_name, make_datasette

    db = make_datasette(corpus_db).databases[database_name(corpus_db)]
    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the browser tests may run one in this thread
        counts = pool.submit(lambda: asyncio.run(db.table_counts(limit=5_000))).result()
    conn = sqlite3.connect(f"file:{corpus_db}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert counts == {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
    conn.close()
