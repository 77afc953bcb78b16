"""Soak: the site serves its file while `vnfacts load` stores ~600 articles into it, killed twice
midway (SIGKILL) and started again, and four clients keep asking for pages.

Every answer must be a page or a clean refusal (never a 5xx, never a hang past the safety timeout),
and the file, once the last load has finished, must equal one clean load of the same input
(`fact_checksums`), with no foreign-key violation (every province a fact names has its row).
Bounded: the clients stop when the loads end or after SOAK_WINDOW_S, each after
MAX_REQUESTS_PER_THREAD; the test takes about two minutes on two cores."""
from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from publish_helpers import CHILD_ENV, ROOT, corpus_documents, count_articles, fetch
from vnfacts.publish.load import fact_checksums
from vnfacts.publish.schema import connect, ensure_schema
from vnfacts.publish.serve import Site, database_name

pytestmark = pytest.mark.slow

SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "baomoi-social.jsonl"  # 634 articles, where it exists
CORPUS_COPIES = 10  # elsewhere: the bundled corpus (60) ten times, each copy under new ids
KILL_AT_ARTICLES = (200, 400)
SERVED_AS_KILLED_S = 1.5  # the file as a kill left it is served this long before the load starts again
CLIENT_THREADS = 4
SOAK_WINDOW_S = 200
MAX_REQUESTS_PER_THREAD = 2000
LOAD_TIMEOUT_S = 240


def soak_input(tmp_path: Path) -> Path:
    if SHARED_CORPUS.is_file():
        return SHARED_CORPUS
    path = tmp_path / "corpus-x10.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for copy in range(CORPUS_COPIES):
            for doc in corpus_documents():
                out.write(json.dumps({**doc, "id": f"{doc['id']}-{copy}"}, ensure_ascii=False) + "\n")
    return path


def vnfacts(*args) -> list[str]:
    return [sys.executable, "-P", "-m", "vnfacts", *map(str, args)]


def extracted(source: Path, tmp_path: Path) -> Path:
    """``source`` as `vnfacts extract` writes it: the loads then only store, one commit after the
    other, so the kills land in commits as often as anywhere and the site meets the loader's locks
    all the time."""
    out = tmp_path / "extracted.jsonl"
    r = subprocess.run(vnfacts("extract", "-q", "-o", out, source), capture_output=True, text=True, cwd=ROOT,
                       env=CHILD_ENV, timeout=LOAD_TIMEOUT_S)
    assert r.returncode == 0, r.stderr[-2000:]
    return out


def start_load(db: Path, source: Path, log: Path) -> subprocess.Popen:
    with open(log, "a") as out:
        return subprocess.Popen(vnfacts("load", "-q", "--db", db, "--extracted", source), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT, env=CHILD_ENV)


def kill_when_stored(load: subprocess.Popen, db: Path, articles: int) -> None:
    deadline = time.monotonic() + LOAD_TIMEOUT_S
    try:
        while count_articles(db) < articles:
            assert load.poll() is None, f"the load ended (code {load.returncode}) before {articles} articles"
            assert time.monotonic() < deadline, f"{articles} articles not stored within {LOAD_TIMEOUT_S} s"
            time.sleep(0.05)
        # not at once: the poll's read lock has just held the loader's commit back; a moment later
        # the kill lands anywhere in an article's work, often within a commit (a journal to play back)
        time.sleep(random.uniform(0.0, 0.3))
    finally:
        load.send_signal(signal.SIGKILL)
        load.wait()


def pages(name: str) -> list[str]:
    """Home, a table, the citation search and a canned query."""
    q = urllib.parse.urlencode
    return ["/", f"/{name}/mentions?_size=20&_facet=label", "/-/citations.json?" + q({"q": "Nghị định 136"}),
            f"/{name}/most_cited_documents.json?_shape=array"]


def ask_until(site, paths: list[str], stop: threading.Event) -> list[tuple[str, int, str]]:
    """Ask for ``paths`` in turn until ``stop`` is set, the window ends or the budget is spent:
    each answer's path, status and, for a server error, the start of its body."""
    answers = []
    deadline = time.monotonic() + SOAK_WINDOW_S
    for i in range(MAX_REQUESTS_PER_THREAD):
        if stop.is_set() or time.monotonic() > deadline:
            break
        status, body = fetch(site, paths[i % len(paths)])
        answers.append((paths[i % len(paths)], status, str(body)[:300] if status >= 500 else ""))
    return answers


def test_the_site_serves_through_killed_and_restarted_loads(tmp_path):
    source = extracted(soak_input(tmp_path), tmp_path)
    reference = tmp_path / "reference.db"
    clean = subprocess.run(vnfacts("load", "-q", "--db", reference, "--extracted", source), capture_output=True,
                           text=True, cwd=ROOT, env=CHILD_ENV, timeout=LOAD_TIMEOUT_S)
    assert clean.returncode == 0, clean.stderr[-2000:]

    db = tmp_path / "served.db"
    conn = connect(str(db))  # an empty vnfacts database: the site needs its tables to start
    ensure_schema(conn)
    conn.close()
    log = tmp_path / "load.log"
    stop = threading.Event()
    with Site(db) as site, ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        paths = pages(database_name(db))
        clients = [pool.submit(ask_until, site, paths[i:] + paths[:i], stop) for i in range(CLIENT_THREADS)]
        try:
            for articles in KILL_AT_ARTICLES:
                kill_when_stored(start_load(db, source, log), db, articles)
                time.sleep(SERVED_AS_KILLED_S)
            last = start_load(db, source, log)
            last.wait(timeout=LOAD_TIMEOUT_S)
        finally:
            stop.set()
            answers = [answer for client in clients for answer in client.result(timeout=SOAK_WINDOW_S)]
    assert last.returncode == 0, log.read_text()[-2000:]
    server_errors = [a for a in answers if a[1] >= 500]
    assert len(answers) > 100 and not server_errors, (len(answers), server_errors[:5])
    assert all(status == 200 or 400 <= status < 500 for _, status, _ in answers)
    assert fact_checksums(db) == fact_checksums(reference)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
