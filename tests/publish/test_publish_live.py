"""The site while `vnfacts load` writes to the database it serves, and after the file is replaced.

Each test starts its own site on a copy of the corpus database, on 127.0.0.1, and stops it. The
load adds the corpus again under new ids while four client threads keep asking the site for pages
for a bounded time: every answer must be a page or a clean refusal, never a server error, and the
new articles must show without a restart. A 500 once in a few runs came from the site looking at
the file (`file_version`) through a descriptor it then closed, which let go of the read locks of its
SQL threads: that is checked at once, without a race to win (another process asks for the commit
lock), and the long version of the race is `python -m bench.live_reads`."""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from vnfacts.publish.serve import Site, database_name, file_version, kept_open_descriptor, make_datasette, open_read_only
from publish_helpers import corpus_documents, fetch

CLIENT_THREADS = 4
LOAD_WINDOW_S = 60  # requests stop when the load ends, or after this long
# Requests are paced, so that they span the load however long a busy machine takes to commit its
# first batch (a count of requests alone could be spent before it: seen at load average 5).
REQUEST_PAUSE_S = 0.02
MAX_REQUESTS_PER_THREAD = 2000
LOAD_TIMEOUT_S = 180


def count_path(name: str) -> str:
    return f"/{name}.json?" + urllib.parse.urlencode({"sql": "select count(*) as n from articles", "_shape": "array"})


def pages(name: str) -> list[str]:
    """Pages that read every part of the database: tables, facets, counts, canned queries, search."""
    q = urllib.parse.urlencode
    return ["/", f"/{name}", count_path(name),
            f"/{name}/articles?_size=5", f"/{name}/mentions.json?_facet=label&_size=5",
            f"/{name}/events_citing_document.json?" + q({"doc": "QĐ 1438"}),
            f"/{name}/programme_mentions_by_year.json?programme=chuong", "/-/citations.json?" + q({"q": "QĐ 1438"}),
            "/-/programmes", "/-/dashboards/overview"]


def ask_until(site, paths: list[str], stop: threading.Event) -> list[tuple[str, int, object]]:
    """Ask for ``paths`` in turn until ``stop`` is set (or the request budget is spent)."""
    answers = []
    for i in range(MAX_REQUESTS_PER_THREAD):
        if stop.is_set():
            break
        path = paths[i % len(paths)]
        status, body = fetch(site, path)
        answers.append((path, status, body))
        stop.wait(REQUEST_PAUSE_S)
    return answers


def articles_on_the_site(site, name: str) -> int:
    status, rows = fetch(site, count_path(name))
    assert status == 200, rows
    return rows[0]["n"]


def write_corpus_under_new_ids(path, copies: int = 1) -> int:
    documents = corpus_documents()
    with open(path, "w", encoding="utf-8") as out:
        for copy in range(copies):
            for doc in documents:
                out.write(json.dumps({**doc, "id": f"{doc['id']}-again-{copy}"}, ensure_ascii=False) + "\n")
    return copies * len(documents)


@contextmanager
def loading(db, inputs, log_path):
    """`vnfacts load` adding ``inputs`` to ``db`` in a subprocess; killed if it outlives the test."""
    with open(log_path, "w") as log:
        loader = subprocess.Popen([sys.executable, "-P", "-m", "vnfacts", "load", "--quiet", "--db", str(db), str(inputs)],
                                  stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            yield loader
            loader.wait(timeout=LOAD_TIMEOUT_S)
        finally:
            if loader.poll() is None:
                loader.kill()
                loader.wait()


def ask_during(site, paths: list[str], loader: subprocess.Popen) -> list[tuple[str, int, object]]:
    """Every answer the client threads got while the loader ran (at most LOAD_WINDOW_S)."""
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        clients = [pool.submit(ask_until, site, paths[i:] + paths[:i], stop) for i in range(CLIENT_THREADS)]
        try:
            loader.wait(timeout=LOAD_WINDOW_S)
        except subprocess.TimeoutExpired:
            pass
        stop.set()
        return [answer for client in clients for answer in client.result()]


def test_serving_while_loading_answers_every_request(corpus_db, tmp_path):
    db = tmp_path / "live.db"
    shutil.copyfile(corpus_db, db)
    more = tmp_path / "more.jsonl"
    # Several copies: the loader commits a batch every 0.5 s, and one copy of the corpus is now
    # extracted within a single batch, which the site could only see whole.
    added = write_corpus_under_new_ids(more, copies=8)
    name = database_name(db)
    with Site(db) as site:
        before = articles_on_the_site(site, name)
        with loading(db, more, tmp_path / "load.log") as loader:
            answers = ask_during(site, pages(name), loader)
        assert loader.returncode == 0, (tmp_path / "load.log").read_text()[-2000:]
        server_errors = [a for a in answers if a[1] >= 500]
        assert answers and not server_errors, (len(answers), server_errors[:5])
        assert all(status == 200 or 400 <= status < 500 for _, status, _ in answers)
        # the requests ran while the articles were being written, and saw them arrive
        counts_seen = {rows[0]["n"] for path, status, rows in answers if path == count_path(name) and status == 200}
        assert any(before < n < before + added for n in counts_seen), sorted(counts_seen)
        # the site sees the new articles without a restart
        assert articles_on_the_site(site, name) == before + added


def test_a_replaced_file_is_served_without_a_restart(corpus_db, tmp_path):
    db = tmp_path / "live.db"
    shutil.copyfile(corpus_db, db)
    name = database_name(db)
    smaller = tmp_path / "smaller.db"
    shutil.copyfile(corpus_db, smaller)
    with sqlite3.connect(smaller) as conn:
        conn.execute("DELETE FROM articles WHERE id NOT IN (SELECT id FROM articles ORDER BY id LIMIT 5)")
    conn.close()
    with Site(db) as site:
        assert articles_on_the_site(site, name) == len(corpus_documents())
        os.replace(smaller, db)  # what `mv new.db live.db` does: a new file under the same name
        # asked a few times: each of Datasette's SQL threads has its own connection
        assert [articles_on_the_site(site, name) for _ in range(9)] == [5] * 9
        status, _ = fetch(site, f"/{name}/articles")
        assert status == 200


def test_no_connection_of_the_site_can_write(corpus_db, db):
    async def try_to_write():
        served = make_datasette(corpus_db).databases[database_name(corpus_db)]
        try:
            await served.execute_write("DELETE FROM articles")
        finally:
            served.close()

    with pytest.raises(sqlite3.OperationalError, match="readonly"), ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, try_to_write()).result()  # its own event loop (Playwright's may run here)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(corpus_documents())


def another_process_can_commit(path) -> bool:
    """Whether a process other than this one gets the exclusive lock a commit takes, at once (SQLite's
    POSIX locks only keep other processes out)."""
    take_it = ("import sqlite3, sys\nconn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
               "try:\n    conn.execute('BEGIN EXCLUSIVE')\nexcept sqlite3.OperationalError:\n    sys.exit(5)\n")
    answer = subprocess.run([sys.executable, "-c", take_it, str(path)], capture_output=True, text=True)
    assert answer.returncode in (0, 5), answer.stderr
    return answer.returncode == 0


def test_looking_at_the_served_file_keeps_the_readers_locks(corpus_db, tmp_path):
    """A page's reader holds SQLite's read lock while its query runs, and the site looks at the file
    (`file_version`) at each schema question on another thread meanwhile: were that look to close a
    descriptor of the file, the process's locks would go with it, and a load's commit would write
    under the reader (the 500 on the home page, "database disk image is malformed")."""
    db = tmp_path / "live.db"
    shutil.copyfile(corpus_db, db)
    reader = open_read_only(db)
    try:
        reading = reader.execute("SELECT id, text FROM mentions")
        reading.fetchone()  # the query runs: its read lock is held
        assert not another_process_can_commit(db)
        first = file_version(db)
        looking = threading.Thread(target=file_version, args=(db,))  # as the event loop's thread does
        looking.start()
        looking.join()
        assert file_version(db) == first and first[4] > 0  # the header's change counter, read
        assert not another_process_can_commit(db)
        assert len(reading.fetchall()) > 1000
    finally:
        reader.close()
    assert another_process_can_commit(db)


def descriptors_of_this_process() -> set[tuple[int, int]]:
    """(device, inode) of each file this process has open (Linux)."""
    files = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            st = os.stat(f"/proc/self/fd/{fd}")
        except OSError:  # the descriptor listdir itself used, closed since
            continue
        files.add((st.st_dev, st.st_ino))
    return files


def test_the_served_file_looked_at_after_it_is_replaced(corpus_db, tmp_path):
    """A file replaced under the path is looked at anew (its own descriptor); the replaced one's is
    closed once no connection of the process holds a lock on it."""
    db = tmp_path / "live.db"
    shutil.copyfile(corpus_db, db)
    before = file_version(db)
    assert before[:2] in descriptors_of_this_process()
    newer = tmp_path / "newer.db"
    shutil.copyfile(corpus_db, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("DELETE FROM articles WHERE id IN (SELECT id FROM articles LIMIT 1)")
    conn.close()
    os.replace(newer, db)
    after = file_version(db)
    assert after[:2] != before[:2] and after[4] == before[4] + 1  # another file, one commit further
    assert os.fstat(kept_open_descriptor(db)).st_ino == after[1]
    assert before[:2] not in descriptors_of_this_process()  # the replaced file's was closed
    os.unlink(db)
    assert file_version(db) is None


def answer_with_headers(site, path: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(site.url.rstrip("/") + path, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8")


def test_a_page_that_finds_the_database_locked_says_so_in_vietnamese(corpus_db, tmp_path):
    """Another program holds the write lock longer than a reader waits (SQLite's busy timeout, 5 s):
    the page cannot answer, and says so (503, Retry-After, a link to the same page), never a 500."""
    db = tmp_path / "live.db"
    shutil.copyfile(corpus_db, db)
    name = database_name(db)
    with Site(db) as site:
        writer = sqlite3.connect(db, isolation_level=None)
        try:
            writer.execute("BEGIN EXCLUSIVE")
            page = answer_with_headers(site, "/-/programmes?q=tr%E1%BA%BB+em")
            data = answer_with_headers(site, count_path(name))
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        status, headers, body = page
        assert (status, headers.get("Retry-After")) == (503, "5"), body[-500:]
        assert "Cơ sở dữ liệu đang được cập nhật" in body and "Vui lòng thử lại" in body
        assert 'id="vn-retry" href="/-/programmes?q=tr%E1%BA%BB+em"' in body
        status, headers, body = data
        assert (status, headers.get("Retry-After")) == (503, "5")
        assert json.loads(body)["error"].startswith("Trang này chưa trả lời được")
        assert articles_on_the_site(site, name) == len(corpus_documents())  # the lock let go: pages again


def test_a_file_that_becomes_a_vnfacts_database_is_listed_even_within_one_clock_tick(tmp_path):
    """The site asks which attached files are vnfacts databases and remembers the answer for the file
    as it is: a file whose tables arrive with its time unchanged (two commits within one tick of the
    clock) is asked again, because its size and SQLite's change counter moved."""
    from types import SimpleNamespace

    from vnfacts.publish.site import VNFACTS_TABLES, vnfacts_databases

    path = tmp_path / "later.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    before = os.stat(path).st_mtime_ns
    site = SimpleNamespace(databases={"later": SimpleNamespace(path=str(path), is_memory=False)})
    assert vnfacts_databases(site) == []
    for table in VNFACTS_TABLES:
        conn.execute(f"CREATE TABLE {table} (id)")
    conn.commit()
    conn.close()
    os.utime(path, ns=(before, before))  # the same tick of the clock
    assert vnfacts_databases(site) == ["later"]
