"""`vnfacts crawl` and `vnfacts articles` as a user meets them: errors without tracebacks, and the
articles JSONL feeding `vnfacts extract -` (the same pipe feeds `vnfacts load`)."""
import json
import shutil
import socket
from pathlib import Path

from crawlhelp import run_cli, write_profile

from vnfacts.crawler.profile import load_profile
from vnfacts.crawler.run import open_store_for

REPO = Path(__file__).resolve().parents[2]


def store_from_snapshots(folder: Path, site: str = "hoi-bao-tro", how_many: int = 3) -> list[str]:
    """A page store filled from saved pages (what a crawl of the bundled site would store)."""
    profile = load_profile(site)
    rows = [r for r in map(json.loads, (REPO / "corpus/html/manifest.jsonl").open(encoding="utf-8")) if r["site"] == site]
    with open_store_for(profile, folder) as store:
        for i, r in enumerate(rows[:how_many]):
            page = REPO / "corpus/html" / site / (r["path"].strip("/") + "/index.html")
            url = profile.site.rstrip("/") + r["path"]
            store.add(url, url, 200, [("Content-Type", "text/html; charset=UTF-8")], page.read_bytes(),
                      fetched_at=f"2024-03-0{i + 1}T08:00:00Z")
        listing = REPO / "corpus/html" / site / "hoat-dong/index.html"
        store.add(profile.start_urls[0], profile.start_urls[0], 200, [("Content-Type", "text/html")], listing.read_bytes())
    return [r["id"] for r in rows[:how_many]]


def test_articles_pipe_into_extract(tmp_path):
    ids = store_from_snapshots(tmp_path / "s")
    arts = run_cli("articles", "--store", str(tmp_path / "s"))
    assert arts.returncode == 0, arts.stderr
    rows = [json.loads(x) for x in arts.stdout.splitlines()]
    assert [r["id"] for r in rows] == ids                      # the listing page is not an article
    assert all(set(r) == {"id", "url", "title", "published", "fetched_at", "text"} for r in rows)
    # Each article carries when its page was fetched: no date estimated for it may be later.
    assert [r["fetched_at"] for r in rows] == [f"2024-03-0{i + 1}T08:00:00Z" for i in range(len(ids))]
    facts = run_cli("extract", "-q", "-", input=arts.stdout)
    assert facts.returncode == 0, facts.stderr
    out = [json.loads(x) for x in facts.stdout.splitlines()]
    assert [o["id"] for o in out] == ids and all(o["entities"] for o in out)
    # Offsets index the crawled text exactly.
    by_id = {r["id"]: r["text"] for r in rows}
    for o in out:
        for e in o["entities"]:
            assert by_id[o["id"]][e["start"]:e["end"]] == e["text"]
    # The whole pipeline: `vnfacts articles --store s | vnfacts load --db facts.db -`.
    loaded = run_cli("load", "--db", str(tmp_path / "facts.db"), "-", input=arts.stdout)
    assert loaded.returncode == 0, loaded.stderr
    import sqlite3
    with sqlite3.connect(tmp_path / "facts.db") as db:
        stored = dict(db.execute("select id, fetched_at from articles"))
    assert stored == {r["id"]: r["fetched_at"] for r in rows}   # the crawl date reaches the database


def test_articles_can_be_reread_with_another_profile(tmp_path):
    store_from_snapshots(tmp_path / "s")
    # The generic profile (trafilatura decides what is an article) over the same stored pages.
    shutil.copy(REPO / "crawler/profiles/_generic.yaml", tmp_path / "g.yaml")
    text = (tmp_path / "g.yaml").read_text(encoding="utf-8") + "site: https://hoibaotro.test/\n"
    (tmp_path / "g.yaml").write_text(text, encoding="utf-8")
    out = run_cli("articles", "--store", str(tmp_path / "s"), "--profile", str(tmp_path / "g.yaml"))
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 3


def test_clear_errors(tmp_path):
    cases = [
        (["crawl", "--profile", "no-such-site", "--store", str(tmp_path / "a")], "no profile named 'no-such-site'"),
        (["crawl", "--start", "not a url", "--store", str(tmp_path / "b")], "--start must be an http(s) URL"),
        (["articles", "--store", str(tmp_path / "empty")], "not a page store"),
    ]
    for args, message in cases:
        done = run_cli(*args)
        assert done.returncode == 2, args
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    store_from_snapshots(tmp_path / "s", how_many=1)
    done = run_cli("crawl", "--profile", "bao-xahoi", "--store", str(tmp_path / "s"))
    assert done.returncode == 2 and "holds pages of profile 'hoi-bao-tro'" in done.stderr


def test_an_unreachable_site_is_an_error(tmp_path):
    with socket.socket() as s:           # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    profile = write_profile(tmp_path, f"http://127.0.0.1:{port}/", timeout=1)
    done = run_cli("crawl", "--profile", str(profile), "--store", str(tmp_path / "s"))
    assert done.returncode == 1 and "nothing could be fetched" in done.stderr and "Connection" in done.stderr
    assert "Traceback" not in done.stderr
