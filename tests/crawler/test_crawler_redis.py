"""Several machines, one crawl: two `vnfacts crawl --redis` processes share the queue and the
seen-set through a local Redis (scrapy-redis); each keeps its own page store."""
import json
import shutil
import socket
import subprocess
import sys
import time

import pytest

from crawlhelp import REPO, run_cli, write_profile
from testsite import HostileSite, expected_text, running

from vnfacts.crawler.store import PageStore

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server not installed (`make test` installs it with apt-get)")


@pytest.fixture
def redis_url(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis
        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_two_machines_share_one_crawl(tmp_path, redis_url):
    n = 30
    site = HostileSite(n_articles=n, delay=0.2, hostile=False)
    with running(site) as base:
        profile = write_profile(tmp_path, base)
        # Two requests at a time per machine, so one machine cannot take the whole queue.
        text = profile.read_text(encoding="utf-8").replace("concurrency_per_domain: 4", "concurrency_per_domain: 2\n  concurrency: 2")
        profile.write_text(text, encoding="utf-8")
        machines = [subprocess.Popen([sys.executable, "-m", "vnfacts.cli", "crawl", "--profile", str(profile),
                                      "--store", str(tmp_path / f"machine{i}"), "--redis", redis_url,
                                      "--redis-idle", "5", "-q"], cwd=REPO, stderr=subprocess.PIPE, text=True)
                    for i in (1, 2)]
        for m in machines:
            _, err = m.communicate(timeout=90)
            assert m.returncode == 0, err
    ids = []
    per_machine = []
    for i in (1, 2):
        out = run_cli("articles", "--store", str(tmp_path / f"machine{i}"))
        rows = [json.loads(x) for x in out.stdout.splitlines()]
        assert all(r["text"] == expected_text(int(r["id"][2:])) for r in rows)
        per_machine.append(len(rows))
        ids += [r["id"] for r in rows]
    # Every article stored once, on one machine or the other; both machines worked.
    assert sorted(ids) == sorted(f"t-{k}" for k in range(1, n + 1))
    assert min(per_machine) > 0, per_machine
    # No page was fetched by both (robots.txt aside: each machine reads it itself).
    assert all(count == 1 for path, count in site.hits.items() if path != "/robots.txt"), site.hits
    with PageStore(tmp_path / "machine1") as a, PageStore(tmp_path / "machine2") as b:
        shared = set(a.urls()) & set(b.urls())
    assert {u.rsplit("/", 1)[-1] for u in shared} <= {"robots.txt"}


def test_unreachable_redis_is_a_clear_error(tmp_path):
    done = run_cli("crawl", "--profile", "bao-xahoi", "--store", str(tmp_path / "s"), "--redis", "redis://127.0.0.1:9/0")
    assert done.returncode == 2 and "cannot reach Redis" in done.stderr and "Traceback" not in done.stderr
