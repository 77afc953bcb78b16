"""SIGKILL a crawl midway, start it again: it completes with no page fetched twice and none lost."""
import io
import json
import os
import signal
import subprocess
import sys
from collections import Counter

from crawlhelp import REPO, run_cli, write_profile
from testsite import HostileSite, expected_text, running
from warcio.archiveiterator import ArchiveIterator

from vnfacts.crawler.store import WARC_NAME, PageStore, wait_for_pages

N = 40


def start_crawl(profile, store):
    return subprocess.Popen([sys.executable, "-m", "vnfacts.cli", "crawl", "--profile", str(profile),
                             "--store", str(store), "-q"], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def stored_urls(store) -> set[str]:
    with PageStore(store) as s:
        return set(s.urls())


def test_sigkill_midway_then_resume(tmp_path):
    site = HostileSite(n_articles=N, delay=0.08, hostile=False)
    store = tmp_path / "store"
    with running(site) as base:
        # A generous timeout: on a loaded machine a 1.5 s timeout retries a page within one run, which
        # is not what this test counts.
        profile = write_profile(tmp_path, base, timeout=15)
        fetched_before: set[str] = set()
        requested_by_run: list[set[str]] = []
        for kill_at in (10, 25):
            proc = start_crawl(profile, store)
            reached = wait_for_pages(store, kill_at, timeout=60)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            assert reached >= kill_at and proc.returncode == -signal.SIGKILL
            already = stored_urls(store)
            assert len(already) < N + 10, "the crawl finished before it was killed"
            # Pages stored before this run were not fetched again by it.
            run_paths = {base + p.lstrip("/") for p in site.log}
            assert not (run_paths & fetched_before)
            fetched_before = already
            requested_by_run.append(set(site.log))
            site.log.clear()
        done = run_cli("crawl", "--profile", str(profile), "--store", str(store), "-q")
        assert done.returncode == 0, done.stderr
        last_run = {base + p.lstrip("/") for p in site.log}
        requested_by_run.append(set(site.log))
    # The last run fetched only what was missing (and something was missing).
    assert last_run and not (last_run & fetched_before)

    out = run_cli("articles", "--store", str(store))
    got = [json.loads(x) for x in out.stdout.splitlines()]
    assert sorted(a["id"] for a in got) == sorted(f"t-{n}" for n in range(1, N + 1))   # none lost
    assert all(a["text"] == expected_text(int(a["id"][2:])) for a in got)

    # The WARC file is whole and holds each page exactly once.
    with open(store / WARC_NAME, "rb") as f:
        records = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f) if r.rec_type == "response"]
    assert len(records) == len(set(records)) == len(stored_urls(store))
    # No run asked for an article page twice (a retry would), and every article page was asked for.
    article_hits = [n for p, n in site.hits.items() if p.startswith("/news/bai-")]
    assert len(article_hits) == N and max(article_hits) <= len(requested_by_run)
    # A page is asked for by a second run only when the first was killed before storing it: pages being
    # downloaded (the profile's 4 per domain) or downloaded and waiting for the store (Scrapy frees a
    # download slot before the response reaches the middleware that stores it, so up to 4 more).
    runs_per_page = Counter(p for run in requested_by_run for p in run if p.startswith("/news/bai-"))
    assert sum(1 for n in runs_per_page.values() if n > 1) <= 2 * (4 + 4)


def test_store_cuts_a_half_written_record_and_carries_on(tmp_path):
    with PageStore(tmp_path, write=True) as s:
        s.add("http://x.test/a", "http://x.test/a", 200, [("Content-Type", "text/html")], b"<p>a</p>")
        good_size = os.path.getsize(tmp_path / WARC_NAME)
        # A whole record written but never committed (killed between fsync and commit) ...
        s.add("http://x.test/b", "http://x.test/b", 200, [("Content-Type", "text/html")], b"<p>b</p>")
    with open(tmp_path / WARC_NAME, "rb") as f:
        whole_b = f.read()[good_size:]
    with PageStore(tmp_path, write=True) as s:
        s.db.execute("DELETE FROM pages WHERE url='http://x.test/b'")
        s.db.execute("UPDATE meta SET value=? WHERE key='warc_end'", (str(good_size),))
    with open(tmp_path / WARC_NAME, "ab") as f:
        f.write(whole_b + whole_b[: len(whole_b) // 2])  # ... and half of another one.
    damaged_size = os.path.getsize(tmp_path / WARC_NAME)
    with PageStore(tmp_path, write=True) as s:
        assert os.path.getsize(tmp_path / WARC_NAME) == good_size
        assert s.recovered_bytes == damaged_size - good_size
        assert "http://x.test/b" not in s and "http://x.test/a" in s
        s.add("http://x.test/c", "http://x.test/c", 200, [("Content-Type", "text/html")], "<p>cà</p>".encode())
    with PageStore(tmp_path) as s:
        pages = list(s.pages())
    assert [p.url for p in pages] == ["http://x.test/a", "http://x.test/c"]
    assert pages[1].body.decode() == "<p>cà</p>"
    with open(tmp_path / WARC_NAME, "rb") as f:
        assert len(list(ArchiveIterator(io.BytesIO(f.read())))) == 2


def test_a_second_crawl_on_the_same_store_is_refused(tmp_path):
    with PageStore(tmp_path, write=True):
        out = run_cli("crawl", "--start", "http://127.0.0.1:9/", "--store", str(tmp_path), "-q")
    assert out.returncode == 2
    assert "another crawl is writing to this store" in out.stderr and "Traceback" not in out.stderr


def test_incremental_crawl_fetches_new_articles_only(tmp_path):
    site = HostileSite(n_articles=6, hostile=False)
    store = tmp_path / "store"
    with running(site) as base:
        profile = write_profile(tmp_path, base)
        assert run_cli("crawl", "--profile", str(profile), "--store", str(store), "-q").returncode == 0
        site.n = 9                                   # three new articles appear on the listings
        site.log.clear()
        done = run_cli("crawl", "--profile", str(profile), "--store", str(store), "--refresh-listings", "-q")
        assert done.returncode == 0, done.stderr
    fetched = sorted(p for p in site.log if p != "/robots.txt")
    assert fetched == sorted(["/news/", "/news/page/2/"] + [f"/news/bai-{n}-t-{n}.html" for n in (7, 8, 9)])
    out = run_cli("articles", "--store", str(store))
    assert sorted(json.loads(x)["id"] for x in out.stdout.splitlines()) == sorted(f"t-{n}" for n in range(1, 10))


WRITER = """
import sys
from vnfacts.crawler.store import PageStore
store = PageStore(sys.argv[1], write=True)
i = len(store)
while True:
    body = ("<p>trang %d: Hội nghị tập huấn</p>" % i).encode() * (1 + i % 50)
    store.add("http://x.test/%d" % i, "http://x.test/%d" % i, 200, [("Content-Type", "text/html")], body)
    i += 1
"""


def test_store_survives_sigkill_at_random_moments(tmp_path):
    """A writer appending pages as fast as it can, SIGKILLed at random moments five times: each
    time the store reopens, every committed page reads back whole, and writing carries on."""
    import random
    import time

    rng = random.Random(7)
    counts = []
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=REPO)
        wait_for_pages(tmp_path, (counts[-1] if counts else 0) + 1, timeout=30)
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with PageStore(tmp_path, write=True) as store:   # recovery runs here
            pages = list(store.pages())
            counts.append(len(pages))  # (in trials, 3 kills in 5 left a torn or uncommitted record to cut)
        assert [p.url for p in pages] == [f"http://x.test/{i}" for i in range(len(pages))]
        assert all(p.body.startswith(f"<p>trang {i}:".encode()) for i, p in enumerate(pages))
        with open(tmp_path / WARC_NAME, "rb") as f:
            assert sum(1 for _ in ArchiveIterator(f)) == len(pages)   # no torn record left behind
    assert counts == sorted(counts) and counts[-1] > counts[0]
