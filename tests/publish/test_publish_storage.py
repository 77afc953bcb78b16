"""What storage promises (README, "Reliability"): every fact's province has its row, a document
that cannot be stored costs only itself, schema creation survives a kill, concurrent writers wait
for each other, derived tables agree with the facts after any kill, foreign files are left alone,
duplicate ids are reported."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publish_helpers import count_articles, CHILD_ENV, CORPUS, ROOT, corpus_documents
from vnfacts.extractor.extractions import extraction_line, read_extractions
from vnfacts.publish.load import (fact_checksums, load_documents, load_extracted, refresh_derived,
                                  store_extractions)
from vnfacts.publish.programmes import PROGRAMME_ROW_TABLES
from vnfacts.publish.schema import FTS, FTS_TRIGGERS, connect, ensure_schema, fill_programme_rows
from vnfacts.publish.transactions import locking_pids, write_transaction

CHILD_TIMEOUT_S = 300  # a safety net: a child load of the corpus takes seconds


def write_jsonl(path: Path, documents: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    return path


class Lines:
    """An ``errors`` stream for the loader that keeps what it was told."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, s): self.parts.append(s)
    def flush(self): pass
    def isatty(self): return False

    @property
    def text(self) -> str:
        return "".join(self.parts)


# An article from before Thừa Thiên Huế was renamed Huế (1 January 2025): the extractor names the
# province as it was then.
HUE_2024 = {"id": "hue-2024", "published": "2024-03-05", "title": "Thừa Thiên Huế triển khai Đề án 06",
            "text": "Ngày 5/3/2024, UBND tỉnh Thừa Thiên Huế tổ chức hội nghị triển khai Đề án 06 tại thành phố "
                    "Huế. Tỉnh Thừa Thiên Huế đặt mục tiêu hoàn thành trong năm 2024."}


def test_every_province_a_fact_names_has_its_row(tmp_path, corpus_db):
    path = tmp_path / "db.db"
    shutil.copy(corpus_db, path)
    load_documents(path, [write_jsonl(tmp_path / "hue.jsonl", [HUE_2024])])
    conn = sqlite3.connect(path)
    try:
        named = {r[0] for r in conn.execute("SELECT province FROM mentions WHERE article_id = 'hue-2024'")}
        assert "Thừa Thiên Huế" in named, "the old name is what this test is about"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        row = conn.execute("SELECT province_today, is_current FROM provinces WHERE name = 'Thừa Thiên Huế'").fetchone()
        assert row == ("Huế", 0)
    finally:
        conn.close()


# --- child processes: `vnfacts` as users run it, killed and raced -------------------------------

def vnfacts_command(*args) -> list[str]:
    return [sys.executable, "-P", "-m", "vnfacts", *map(str, args)]


def run_vnfacts(*args) -> subprocess.CompletedProcess:
    return subprocess.run(vnfacts_command(*args), capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env=CHILD_ENV, timeout=CHILD_TIMEOUT_S, stdin=subprocess.DEVNULL)


def start_vnfacts(*args) -> subprocess.Popen:
    return subprocess.Popen(vnfacts_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", cwd=ROOT, env=CHILD_ENV, stdin=subprocess.DEVNULL)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=CHILD_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err


@pytest.fixture(scope="module")
def extracted_corpus(tmp_path_factory) -> Path:
    """The corpus as `vnfacts extract` writes it: loading it skips extraction, so races are tight."""
    path = tmp_path_factory.mktemp("extracted") / "corpus.jsonl"
    r = run_vnfacts("extract", CORPUS, "-o", path, "-q")
    assert r.returncode == 0, r.stderr
    return path


@pytest.fixture(scope="module")
def clean_load(tmp_path_factory, extracted_corpus) -> dict:
    """The checksums of one clean load of the corpus, alone, into a new file."""
    path = tmp_path_factory.mktemp("clean") / "clean.db"
    r = run_vnfacts("load", "-q", "--db", path, "--extracted", extracted_corpus)
    assert r.returncode == 0, r.stderr
    return fact_checksums(path)


def schema_only(path: Path) -> Path:
    conn = connect(str(path))
    ensure_schema(conn)
    conn.close()
    return path


def words_found(path: Path, table: str, word: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM [{table}_fts] WHERE [{table}_fts] MATCH ?", (word,)).fetchone()[0]
    finally:
        conn.close()


def assert_whole_schema_and_word_search(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    for table in FTS:
        assert {f"{table}_fts", *(table + suffix for suffix in FTS_TRIGGERS)} <= names
    assert words_found(path, "articles", "quyet") > 0 and words_found(path, "mentions", "quyet") > 0


# A load killed (SIGKILL) while it creates the schema of a new file, right after the full-text
# table of the articles and before its triggers: sqlite-utils fills the table between the two.
KILLED_AFTER_THE_FTS_TABLE = """
import os, signal, sys
import sqlite_utils.db
from vnfacts.publish.load import load_extracted

fill = sqlite_utils.db.Table.populate_fts

def fill_then_die(self, columns):
    fill(self, columns)
    os.kill(os.getpid(), signal.SIGKILL)

sqlite_utils.db.Table.populate_fts = fill_then_die
load_extracted(sys.argv[1], [sys.argv[2]])
"""


def test_a_kill_during_schema_creation_leaves_nothing_half_made(tmp_path, extracted_corpus, clean_load):
    path = tmp_path / "new.db"
    killed = subprocess.run([sys.executable, "-P", "-c", KILLED_AFTER_THE_FTS_TABLE, str(path), str(extracted_corpus)],
                            capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV, timeout=CHILD_TIMEOUT_S)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    r = run_vnfacts("load", "-q", "--db", path, "--extracted", extracted_corpus)
    assert r.returncode == 0, r.stderr
    assert_whole_schema_and_word_search(path)
    assert fact_checksums(path) == clean_load


def test_a_full_text_index_left_without_triggers_is_built_again(tmp_path, extracted_corpus, clean_load):
    """What a kill at that point left with the versions that created the schema piece by piece."""
    path = schema_only(tmp_path / "old.db")
    conn = sqlite3.connect(path)
    for table in FTS:
        for suffix in FTS_TRIGGERS:
            conn.execute(f"DROP TRIGGER [{table}{suffix}]")
    conn.commit()
    conn.close()
    r = run_vnfacts("load", "-q", "--db", path, "--extracted", extracted_corpus)
    assert r.returncode == 0, r.stderr
    assert_whole_schema_and_word_search(path)
    assert fact_checksums(path) == clean_load


def test_concurrent_first_loads_both_succeed(tmp_path, extracted_corpus, clean_load):
    for trial in range(3):  # the race is at the creation of the schema: a few new files
        path = tmp_path / f"race-{trial}.db"
        loads = [start_vnfacts("load", "-q", "--db", path, "--extracted", extracted_corpus) for _ in range(2)]
        results = [finish(proc) for proc in loads]
        assert [code for code, _ in results] == [0, 0], results
        assert fact_checksums(path) == clean_load


def wait_for_lock_of(pid: int, path: Path, proc: subprocess.Popen, timeout_s: float = 60) -> None:
    """Wait until process ``pid`` holds a lock on ``path`` (it is writing, or waiting to commit)."""
    deadline = time.monotonic() + timeout_s
    while pid not in locking_pids(path):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the load never took a lock"
        time.sleep(0.02)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks to see the loader wait")
def test_a_long_reader_delays_a_load_without_breaking_it(tmp_path, extracted_corpus, clean_load):
    path = schema_only(tmp_path / "read.db")
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM articles").fetchone()  # a read lock, held until COMMIT
        load = start_vnfacts("load", "-q", "--db", path, "--extracted", extracted_corpus)
        wait_for_lock_of(load.pid, path, load)  # it has written its first article and waits to commit
        time.sleep(6)  # longer than SQLite's default busy timeout (5 s)
    finally:
        reader.execute("COMMIT")
        reader.close()
    code, err = finish(load)
    assert code == 0, err
    assert fact_checksums(path) == clean_load


def test_a_database_kept_locked_stops_the_load_with_a_clear_message(tmp_path, extracted_corpus):
    path = schema_only(tmp_path / "held.db")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
        r = run_vnfacts("load", "-q", "--wait", "2", "--db", path, "--extracted", extracted_corpus)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.returncode == 75, r.stderr
    first = corpus_documents()[0]["id"]
    assert str(path) in r.stderr and f"{first} and the documents after it were not" in r.stderr, r.stderr
    if Path("/proc/locks").exists():
        assert f"pid {os.getpid()}" in r.stderr, r.stderr
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    conn.close()


# --- one document's failure -------------------------------------------------------------------

def unstorable_copies(doc, extraction) -> list[tuple]:
    """Copies of one document whose rows SQLite refuses, each in its own way (input reading refuses
    such fields, but a program may call storage directly)."""
    huge = dataclasses.replace(extraction.entities[0], start=10 ** 30)
    return [
        (dataclasses.replace(doc, id="lone-surrogate", title="Tiêu đề \ud800"), extraction),
        (dataclasses.replace(doc, id="huge-offset"),
         dataclasses.replace(extraction, entities=[huge, *extraction.entities[1:]])),
        (dataclasses.replace(doc, id="unbindable-url", url={"not", "text"}), extraction),
    ]


def test_a_document_that_cannot_be_stored_costs_only_itself(tmp_path, extracted_corpus):
    pairs = [p for p in read_extractions([extracted_corpus])]
    good = [pairs[0], pairs[1], next(p for p in pairs if p[0].id == "seed-002")]  # seed-002 cites QĐ 1438
    items = [good[0], *unstorable_copies(*good[0]), good[1], good[2]]
    errors = Lines()
    path = tmp_path / "db.db"
    summary = store_extractions(path, items, errors=errors)
    assert summary.failed == 3 and summary.documents == 3, errors.text
    for name in ("lone-surrogate", "huge-offset", "unbindable-url"):
        assert f"{name}: not stored" in errors.text, errors.text
    # the others are stored, with the legal documents and programmes they name, as a load of them alone
    reference = tmp_path / "reference.db"
    good_lines = write_lines(tmp_path / "good.jsonl", [extraction_line(d, x) for d, x in good])
    assert load_extracted(reference, [good_lines]).failed == 0
    assert fact_checksums(path) == fact_checksums(reference)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT mentions FROM legal_documents WHERE id = '1438/QĐ-TTg'").fetchone()[0] > 0
    conn.close()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_bad_fields_in_the_input_cost_only_their_documents(tmp_path, capsys):
    from vnfacts.cli import main

    seed = {d["id"]: d for d in corpus_documents()}
    bad = [{**seed["seed-000"], "id": "title-5", "title": 5}, {**seed["seed-000"], "id": "url-list", "url": ["a"]},
           {**seed["seed-000"], "id": "surrogate", "title": "x\ud800"}]
    path = tmp_path / "db.db"
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in [seed["seed-001"], *bad, seed["seed-002"]]), encoding="utf-8")
    assert main(["load", "-q", "--db", str(path), str(source)]) == 1
    reported = capsys.readouterr().err
    assert all(f"error: {d['id']}" in reported or f"({d['id']!r})" in reported for d in bad), reported
    conn = sqlite3.connect(path)
    assert {r[0] for r in conn.execute("SELECT id FROM articles")} == {"seed-001", "seed-002"}
    assert conn.execute("SELECT count(*) FROM legal_documents WHERE id = '1438/QĐ-TTg'").fetchone()[0] == 1
    conn.close()


# --- derived tables -----------------------------------------------------------------------------

DERIVED = ("legal_documents", "programmes", *PROGRAMME_ROW_TABLES)


def derived_as_the_facts_give_them(path: Path, tmp_path: Path) -> dict:
    """The checksums of the derived tables (and of the rows a programme's page reads) once computed
    anew from all the facts (on a copy)."""
    copy = tmp_path / "rebuilt.db"
    shutil.copy(path, copy)
    conn = connect(str(copy))
    write_transaction(conn, lambda: fill_programme_rows(conn))
    refresh_derived(conn)
    conn.close()
    return {t: fact_checksums(copy)[t] for t in DERIVED}


def assert_derived_agree_with_the_facts(path: Path, tmp_path: Path) -> None:
    assert {t: fact_checksums(path)[t] for t in DERIVED} == derived_as_the_facts_give_them(path, tmp_path)


def test_derived_tables_follow_an_article_that_changes(tmp_path, corpus_db):
    path = tmp_path / "db.db"
    shutil.copy(corpus_db, path)
    conn = sqlite3.connect(path)
    cited = conn.execute("SELECT mentions, articles FROM legal_documents WHERE id = '1438/QĐ-TTg'").fetchone()
    conn.close()
    # seed-002 loaded again with a text that cites nothing: it no longer counts anywhere
    changed = write_jsonl(tmp_path / "changed.jsonl", [{"id": "seed-002", "text": "Không có gì để trích dẫn."}])
    load_documents(path, [changed])
    conn = sqlite3.connect(path)
    now = conn.execute("SELECT mentions, articles FROM legal_documents WHERE id = '1438/QĐ-TTg'").fetchone()
    conn.close()
    assert now is None or now[1] == cited[1] - 1
    assert_derived_agree_with_the_facts(path, tmp_path)


def corpus_under_new_ids(extracted: Path, out: Path, copies: int) -> Path:
    """The extracted corpus ``copies`` times, each copy under new ids: a load long enough to kill."""
    lines = extracted.read_text(encoding="utf-8").splitlines()
    with open(out, "w", encoding="utf-8") as f:
        for copy in range(copies):
            for line in lines:
                obj = json.loads(line)
                f.write(json.dumps({**obj, "id": f"{obj['id']}-{copy}"}, ensure_ascii=False) + "\n")
    return out


def kill_when_stored(path: Path, source: Path, articles: int) -> None:
    """Start a load of ``source`` into ``path`` and SIGKILL it once ``articles`` are in the file."""
    load = start_vnfacts("load", "-q", "--db", path, "--extracted", source)
    try:
        deadline = time.monotonic() + CHILD_TIMEOUT_S
        while count_articles(path) < articles:
            assert load.poll() is None, load.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        load.send_signal(signal.SIGKILL)
        load.wait()
    recover(path)


def recover(path: Path) -> None:
    """Open the file for writing, as the next load does: a journal left by a kill during a commit
    is rolled back (a read-only connection, or a copy of the file alone, would not)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


# A writer killed (SIGKILL) after its changes reached the file, before the commit ended: the file
# holds half a transaction and the journal to undo it ("hot"), which only a writer can play back.
KILLED_DURING_A_COMMIT = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 5")  # so that the changes spill into the file before COMMIT
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE articles SET text = text || ' (half written)'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_journal_of_a_load_killed_during_a_commit_is_played_back(tmp_path, corpus_db):
    path = tmp_path / "hot.db"
    shutil.copy(corpus_db, path)
    killed = subprocess.run([sys.executable, "-c", KILLED_DURING_A_COMMIT, str(path)], capture_output=True,
                            timeout=CHILD_TIMEOUT_S)
    assert killed.returncode == -signal.SIGKILL and Path(f"{path}-journal").stat().st_size > 0
    assert load_documents(path, [write_jsonl(tmp_path / "one.jsonl", corpus_documents()[:1])]).failed == 0
    assert fact_checksums(path) == fact_checksums(corpus_db)


def test_the_site_answers_after_a_load_killed_during_a_commit(tmp_path, corpus_db):
    """The site reads through read-only connections, which cannot play a journal back: the file
    would answer "attempt to write a readonly database" (500) until the next load."""
    from publish_helpers import fetch
    from vnfacts.publish.serve import Site, database_name

    path = tmp_path / "served.db"
    shutil.copy(corpus_db, path)
    name = database_name(path)
    half_written = f"/{name}.json?sql=select+count(*)+as+n+from+articles+where+text+like+'%25half+written%25'&_shape=array"
    with Site(path) as site:
        assert fetch(site, "/")[0] == 200
        killed = subprocess.run([sys.executable, "-c", KILLED_DURING_A_COMMIT, str(path)], capture_output=True,
                                timeout=CHILD_TIMEOUT_S)
        assert killed.returncode == -signal.SIGKILL
        for page in ("/", f"/{name}/articles?_size=5", "/-/citations.json?q=1438%2FQ%C4%90-TTg"):
            status, body = fetch(site, page)
            assert status == 200, (page, str(body)[:500])
        assert fetch(site, half_written) == (200, [{"n": 0}])
    assert fact_checksums(path) == fact_checksums(corpus_db)


def test_derived_tables_agree_with_the_facts_after_kills(tmp_path, extracted_corpus):
    source = corpus_under_new_ids(extracted_corpus, tmp_path / "five.jsonl", 5)
    path = tmp_path / "killed.db"
    for articles in (20, 120, 220):
        kill_when_stored(path, source, articles)
        assert_derived_agree_with_the_facts(path, tmp_path)
    r = run_vnfacts("load", "-q", "--db", path, "--extracted", source)
    assert r.returncode == 0, r.stderr
    clean = tmp_path / "clean.db"
    assert load_extracted(clean, [source]).failed == 0
    assert fact_checksums(path) == fact_checksums(clean)


def test_derived_tables_of_an_older_file_are_rebuilt_once(tmp_path, corpus_db):
    """A file of schema version 1 may hold derived tables out of step (a load killed before its
    final rebuild): the first load of this version rebuilds them."""
    path = tmp_path / "v1.db"
    shutil.copy(corpus_db, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE legal_documents SET mentions = 0, articles = 0")
    conn.execute("DELETE FROM programmes")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    conn = connect(str(path))
    ensure_schema(conn)
    conn.close()
    assert {t: fact_checksums(path)[t] for t in DERIVED} == {t: fact_checksums(corpus_db)[t] for t in DERIVED}


# --- files of something else --------------------------------------------------------------------

def sqlite_file(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path


def test_an_sqlite_database_of_something_else_is_left_alone(tmp_path, capsys):
    from vnfacts.cli import main

    two = write_jsonl(tmp_path / "two.jsonl", corpus_documents()[:2])
    notes = sqlite_file(tmp_path / "notes.db", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
                        "INSERT INTO notes (body) VALUES ('mine')", "PRAGMA journal_mode = WAL")
    before = notes.read_bytes()
    assert main(["load", "-q", "--db", str(notes), str(two)]) == 2
    message = capsys.readouterr().err
    assert str(notes) in message and "notes" in message and "--force" in message, message
    assert notes.read_bytes() == before
    # asked for: the vnfacts tables are added beside the others
    assert main(["load", "-q", "--force", "--db", str(notes), str(two)]) == 0
    conn = sqlite3.connect(notes)
    assert conn.execute("SELECT body FROM notes").fetchall() == [("mine",)]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    conn.close()


def test_a_table_named_like_ours_but_not_ours_is_refused_even_forced(tmp_path, capsys):
    from vnfacts.cli import main

    other = sqlite_file(tmp_path / "blog.db", "CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)")
    two = write_jsonl(tmp_path / "two.jsonl", corpus_documents()[:2])
    assert main(["load", "-q", "--force", "--db", str(other), str(two)]) == 2
    assert "`articles` is not vnfacts's" in capsys.readouterr().err


def test_an_empty_file_or_a_new_path_is_a_new_database(tmp_path):
    two = write_jsonl(tmp_path / "two.jsonl", corpus_documents()[:2])
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for path in (empty, tmp_path / "new.db"):
        assert load_documents(path, [two]).failed == 0
        assert count_articles(path) == 2


# --- an id given twice --------------------------------------------------------------------------

def titles(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT id, title FROM articles"))
    finally:
        conn.close()


def test_an_id_given_twice_is_reported_with_both_places_and_the_first_kept(tmp_path):
    seed = {d["id"]: d for d in corpus_documents()}
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps(seed["seed-001"]) + "\n\n" + json.dumps(seed["seed-002"]) + "\n", encoding="utf-8")
    again = write_jsonl(tmp_path / "b.jsonl", [{**seed["seed-002"], "title": "the second one"}, seed["seed-003"],
                                               {**seed["seed-001"], "title": "the third one"}])
    errors = Lines()
    path = tmp_path / "db.db"
    summary = load_documents(path, [first, again], errors=errors)
    assert summary.failed == 2 and summary.documents == 3, errors.text
    assert f"seed-002: duplicate id at {again}:1: the document with this id at {first}:3 is kept" in errors.text
    assert f"seed-001: duplicate id at {again}:3: the document with this id at {first}:1 is kept" in errors.text
    assert titles(path) == {i: seed[i]["title"] for i in ("seed-001", "seed-002", "seed-003")}


def test_an_id_given_twice_in_extracted_input_is_reported_too(tmp_path, extracted_corpus):
    lines = {json.loads(line)["id"]: line for line in extracted_corpus.read_text(encoding="utf-8").splitlines()}
    second = json.dumps({**json.loads(lines["seed-000"]), "title": "the second one"}, ensure_ascii=False)
    source = write_lines(tmp_path / "x.jsonl", [lines["seed-000"], lines["seed-001"], second])
    errors = Lines()
    path = tmp_path / "db.db"
    assert load_extracted(path, [source], errors=errors).failed == 1
    assert f"seed-000: duplicate id at {source}:3: the document with this id at {source}:1 is kept" in errors.text
    assert titles(path)["seed-000"] == json.loads(lines["seed-000"])["title"]
