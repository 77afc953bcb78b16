"""A real crawl (Scrapy in a subprocess, as `vnfacts crawl` runs) of a hostile site on 127.0.0.1."""
import json

from crawlhelp import run_cli, write_profile
from testsite import HostileSite, running

from vnfacts.crawler.store import PageStore


def test_crawl_stores_exactly_the_expected_articles(tmp_path):
    site = HostileSite(n_articles=12, slow=0.4, too_slow=2.5)
    store = tmp_path / "store"
    with running(site) as base:
        profile = write_profile(tmp_path, base, timeout=1.5)
        done = run_cli("crawl", "--profile", str(profile), "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "fetched" in done.stderr and "stored" in done.stderr  # the progress summary

    out = run_cli("articles", "--store", str(store))
    assert out.returncode == 0, out.stderr
    got = {a["id"]: a for a in map(json.loads, out.stdout.splitlines())}
    want = site.good_articles()
    assert set(got) == set(want)
    for art_id, text in want.items():
        assert got[art_id]["text"] == text, art_id
        assert got[art_id]["published"].startswith("2023-07-")
    # The windows-1258 page (no charset declared anywhere) decodes to NFC text.
    assert got["t-110"]["title"] == "Bài số 110: hỗ trợ trẻ em khuyết tật ở xã Đồng Tâm"
    # The redirect's article is stored under its final URL.
    assert got["t-107"]["url"].endswith("/news/bai-107-t-107.html")

    hits = site.hits
    # robots.txt obeyed: the disallowed page was never requested.
    assert not [p for p in hits if p.startswith("/private/")]
    # Tracking parameters and fragments: each article fetched once, under its clean URL.
    assert not [p for p in hits if "utm_" in p or "fbclid" in p]
    for n in range(1, 13):
        assert hits[f"/news/bai-{n}-t-{n}.html"] == 1
    # 500s recovered after retries; the truncated and too slow pages were retried, then given up.
    assert hits["/news/bai-108-t-108.html"] == 3
    first, second, third = site.times["/news/bai-108-t-108.html"]
    assert second - first >= 0.1 and third - second >= 0.2   # backoff 0.1 s, then doubled
    assert hits["/news/cat-ngang-t-112.html"] == 3
    assert hits["/news/qua-cham-t-114.html"] == 3
    # The redirect loop ended.
    assert hits["/loop/a"] + hits["/loop/b"] <= 8

    with PageStore(store) as s:
        failures = s.failures()
        urls = s.urls()
        # The raw record: URL asked for, final URL, status, headers, fetch time, body as served.
        redirected = s.get(base + "go/t-107")
        assert redirected.url == base + "go/t-107" and redirected.final_url == base + "news/bai-107-t-107.html"
        assert redirected.status == 200 and redirected.content_type == "text/html; charset=utf-8"
        assert redirected.fetched_at.endswith("Z") and b"<h1 class=\"title\">" in redirected.body
        assert s.get(base + "news/bai-107-t-107.html").body == redirected.body
    failed_paths = {u.split("/", 3)[3] for u in failures}
    assert {"news/cat-ngang-t-112.html", "news/qua-lon-t-113.html", "news/qua-cham-t-114.html"} <= failed_paths
    assert failures[base + "private/bi-mat-t-199.html"] == "forbidden by robots.txt"
    # The binary file was fetched and kept (the store keeps every response) but is no article.
    assert any(u.endswith("/news/bao-cao-t-111.html") for u in urls)
    assert "t-111" not in got
    # Nothing off-site.
    assert all(u.startswith(base) for u in urls)


def test_generic_profile_follows_same_site_links_and_keeps_articles(tmp_path):
    site = HostileSite(n_articles=12, hostile=False)
    store = tmp_path / "store"
    with running(site) as base:
        done = run_cli("crawl", "--start", base + "news/", "--store", str(store), "--depth", "1", "--delay", "0", "-q")
    assert done.returncode in (0, 1), done.stderr
    out = run_cli("articles", "--store", str(store))
    assert out.returncode == 0, out.stderr
    arts = [json.loads(x) for x in out.stdout.splitlines()]
    texts = {a["text"] for a in arts}
    # Depth 1: the articles linked from the first listing page, not those on page 2 and beyond.
    for n in range(1, 6):
        assert any(expected_body(n) in t for t in texts), n
    assert not any(f"bài {n}." in t for n in range(6, 13) for t in texts)
    # The listing page itself is not an article; the boilerplate is gone.
    assert all("Bản quyền thuộc về" not in t and "Trang chủ" not in t for t in texts)
    assert not [p for p in site.hits if p.startswith("/private/")]


def expected_body(n: int) -> str:
    from testsite import article_text
    return article_text(n)[1][0]
