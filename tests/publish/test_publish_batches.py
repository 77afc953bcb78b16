"""Loading in batches (README, "Storage and publishing"): many articles per transaction, each in a
savepoint, the full-text indexes written once per batch with their triggers paused; every article
still all or nothing, the indexes in step with the rows for the loader and for anyone else."""
from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

import vnfacts.publish.load as load
from publish_helpers import CORPUS, fetch
from vnfacts.extractor.extractions import extract_with_documents
from vnfacts.extractor.inputs import read_documents
from vnfacts.extractor.models import Document
from vnfacts.publish.load import fact_checksums, store_extractions
from vnfacts.publish.schema import FTS, FTS_PAUSE_TABLE, FTS_TOKENIZE, connect, database, ensure_schema, fts_trigger_sql
from vnfacts.publish.serve import database_name


@pytest.fixture(scope="module")
def pairs() -> list[tuple[Document, object]]:
    """The bundled corpus, extracted: (document, extraction) pairs as the loader gets them."""
    found = list(extract_with_documents(read_documents([CORPUS])))
    assert all(isinstance(p, tuple) for p in found)
    return found


class Lines:
    def __init__(self):
        self.text = ""

    def write(self, s): self.text += s
    def flush(self): pass
    def isatty(self): return False


def matches(path: Path, table: str, query: str) -> set[str]:
    """The ids (articles) or article ids (mentions) the full-text index finds for ``query``."""
    key = "id" if table == "articles" else "article_id"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute(
            f"SELECT t.[{key}] FROM [{table}] t JOIN [{table}_fts] f ON f.rowid = t.rowid "
            f"WHERE [{table}_fts] MATCH ?", (query,))}
    finally:
        conn.close()


def rewritten(doc: Document, extraction, text: str):
    """``doc`` with a new text and no facts: what a corrected article looks like to the loader."""
    return dataclasses.replace(doc, text=text), dataclasses.replace(extraction, entities=[], events=[], sentences=[])


def test_many_articles_share_a_transaction(tmp_path, pairs, monkeypatch):
    sizes = []
    real = load.store_batch

    def counted(conn, batch, patience_s=load.WRITE_PATIENCE_S):
        sizes.append(len(batch))
        return real(conn, batch, patience_s)

    monkeypatch.setattr(load, "store_batch", counted)
    monkeypatch.setattr(load, "BATCH_SECONDS", 60.0)  # batches close on size alone here
    monkeypatch.setattr(load, "BATCH_ARTICLES", 25)
    summary = store_extractions(tmp_path / "db.db", pairs)
    assert summary.documents == len(pairs) and summary.failed == 0
    assert sizes == [25, 25, len(pairs) - 50]


def test_a_refused_article_in_a_batch_keeps_its_previous_rows_and_words(tmp_path, pairs):
    """One batch replaces article A (its new text has a new word) and fails to replace article B:
    A's old words are gone from the indexes, its new one found; B is exactly as it was."""
    (a_doc, a_x), (b_doc, b_x) = pairs[0], pairs[1]
    path = tmp_path / "db.db"
    assert store_extractions(path, pairs).failed == 0
    b_word = next(w for w in b_doc.text.split() if w.isalpha() and len(w) > 4)
    assert b_doc.id in matches(path, "articles", f'"{b_word}"')
    new_a = rewritten(a_doc, a_x, "Bài viết đã sửa: xylophonzz ở Hà Nội.")
    bad_b = (dataclasses.replace(b_doc, title="Tiêu đề \ud800"), b_x)  # SQLite cannot store a lone surrogate
    errors = Lines()
    summary = store_extractions(path, [new_a, bad_b], errors=errors)
    assert (summary.documents, summary.failed) == (1, 1) and f"{b_doc.id}: not stored" in errors.text

    reference = tmp_path / "reference.db"  # the same history without the refused replacement
    store_extractions(reference, pairs)
    store_extractions(reference, [new_a])
    assert fact_checksums(path) == fact_checksums(reference)
    assert matches(path, "articles", "xylophonzz") == {a_doc.id}
    assert b_doc.id in matches(path, "articles", f'"{b_word}"')
    a_old_word = next(w for w in a_doc.text.split() if w.isalpha() and len(w) > 6 and w not in new_a[0].text)
    assert a_doc.id not in matches(path, "articles", f'"{a_old_word}"')


def test_the_pause_is_never_seen_and_other_writers_keep_the_indexes_in_step(tmp_path, pairs):
    path = tmp_path / "db.db"
    store_extractions(path, pairs[:5])
    conn = sqlite3.connect(path)
    try:
        assert conn.execute(f"SELECT count(*) FROM [{FTS_PAUSE_TABLE}]").fetchone()[0] == 0
        # a program other than the loader, writing plain SQL: the triggers index what it writes
        conn.execute("UPDATE articles SET title = 'Hội nghị quokkaz' WHERE id = ?", (pairs[0][0].id,))
        conn.execute("UPDATE mentions SET text = 'wombatz', text_folded = 'wombatz' WHERE article_id = ? AND position = 0",
                     (pairs[1][0].id,))
        conn.execute("DELETE FROM articles WHERE id = ?", (pairs[2][0].id,))
        conn.commit()
    finally:
        conn.close()
    assert matches(path, "articles", "quokkaz") == {pairs[0][0].id}
    assert matches(path, "articles", "quokkaz hoi nghi") == {pairs[0][0].id}  # the folded twin too
    assert matches(path, "mentions", "wombatz") == {pairs[1][0].id}
    assert pairs[2][0].id not in matches(path, "articles", "a OR e OR o OR u OR i")
    check = sqlite3.connect(path)
    try:
        for table in FTS:  # the index agrees with its content table
            check.execute(f"INSERT INTO [{table}_fts] ([{table}_fts]) VALUES ('integrity-check')")
    finally:
        check.close()


def test_a_file_with_the_triggers_of_schema_version_2_is_brought_up_to_date(tmp_path, pairs):
    """The triggers sqlite-utils made (no pause): replaced, the index kept, the result a clean load's."""
    path = tmp_path / "old.db"
    conn = connect(str(path))
    ensure_schema(conn)
    db = database(conn)
    for table, columns in FTS.items():
        for name in fts_trigger_sql(table):
            conn.execute(f"DROP TRIGGER [{name}]")
        db[table].disable_fts()
        db[table].enable_fts(columns, tokenize=FTS_TOKENIZE, create_triggers=True)
    conn.execute("DROP INDEX idx_mentions_programme_id_year_article_id_sentence_index")
    conn.execute("CREATE INDEX idx_mentions_programme_id ON mentions(programme_id)")  # what version 2 had
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    assert store_extractions(path, pairs[:10]).failed == 0  # written through the old triggers
    assert store_extractions(path, pairs).failed == 0       # the schema is updated first
    conn = sqlite3.connect(path)
    try:
        stored = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        conn.close()
    assert stored == {name: sql for table in FTS for name, sql in fts_trigger_sql(table).items()}
    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert "idx_mentions_programme_id" not in indexes
    assert "idx_mentions_programme_id_year_article_id_sentence_index" in indexes
    clean = tmp_path / "clean.db"
    store_extractions(clean, pairs)
    assert fact_checksums(path) == fact_checksums(clean)


def test_a_failing_source_stops_the_writer_and_keeps_committed_articles_whole(tmp_path, pairs):
    def source():
        yield from pairs[:7]
        raise RuntimeError("the input went away")

    path = tmp_path / "db.db"
    with pytest.raises(RuntimeError, match="the input went away"):
        store_extractions(path, source())
    assert not any(t.name == "vnfacts-load-writer" for t in threading.enumerate())
    reference = tmp_path / "reference.db"
    store_extractions(reference, pairs[:7])
    conn = sqlite3.connect(path)
    stored = {r[0] for r in conn.execute("SELECT id FROM articles")}
    conn.close()
    assert stored <= {d.id for d, _ in pairs[:7]}  # what was committed, if anything, and nothing half
    if stored == {d.id for d, _ in pairs[:7]}:
        assert fact_checksums(path) == fact_checksums(reference)


def test_a_copy_loaded_again_gives_the_same_file(tmp_path, corpus_db, pairs):
    """Re-loading every article replaces each in place: same rows, same words, same schema."""
    path = tmp_path / "again.db"
    shutil.copy(corpus_db, path)
    assert store_extractions(path, pairs).failed == 0
    assert fact_checksums(path) == fact_checksums(corpus_db)


def test_the_site_hides_the_pause_table(site, corpus_db):
    status, body = fetch(site, f"/{database_name(corpus_db)}.json")
    assert status == 200
    hidden = {t["name"]: t["hidden"] for t in body["tables"]}
    assert hidden[FTS_PAUSE_TABLE] is True and hidden["articles"] is False
