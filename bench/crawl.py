"""Crawl speed: pages per second from a site on 127.0.0.1 with politeness off, with the raw page
store (every response kept as a fsync'ed WARC record plus its index row) and without it (the same
Scrapy crawl keeping nothing, what a crawl without a store would cost).

The site is made from the bundled corpus's real article pages (corpus/html), copied under new
paths until it has the wanted number of articles, reached through numbered listing pages of 50
links; it is served by ``vnfacts.crawler.serve.serve_directory`` (Python's threaded HTTP server) in this
process while each crawl runs in its own process.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .common import REPO, WORK_DIR, new_record, print_table, ratio

FULL = {"pages": 2000, "repeats": 3}
QUICK = {"pages": 20, "repeats": 1}
LINKS_PER_LISTING = 50


def article_pages() -> list[Path]:
    """The bundled corpus's article pages (the manifest's paths)."""
    html = REPO / "corpus" / "html"
    pages = []
    for line in (html / "manifest.jsonl").open(encoding="utf-8"):
        entry = json.loads(line)
        path = html / entry["site"] / entry["path"].lstrip("/")
        if path.is_file():
            pages.append(path)
    if not pages:
        raise FileNotFoundError(f"{html}: no article pages (run python corpus/build_snapshots.py)")
    return pages


def build_site(folder: Path, n_articles: int) -> dict[str, Any]:
    """index.html -> list/N.html (50 articles each, and the next listing) -> a/K.html."""
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(n_articles):
        return json.loads((folder / "site.json").read_text())
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "a").mkdir(parents=True)
    (folder / "list").mkdir()
    sources = article_pages()
    nbytes = 0
    for k in range(n_articles):
        data = sources[k % len(sources)].read_bytes()
        (folder / "a" / f"{k}.html").write_bytes(data)
        nbytes += len(data)
    listings = (n_articles + LINKS_PER_LISTING - 1) // LINKS_PER_LISTING
    for p in range(listings):
        links = "".join(f'<li><a href="/a/{k}.html">Bài {k}</a></li>'
                        for k in range(p * LINKS_PER_LISTING, min(n_articles, (p + 1) * LINKS_PER_LISTING)))
        nxt = f'<a href="/list/{p + 1}.html">Trang sau</a>' if p + 1 < listings else ""
        (folder / "list" / f"{p}.html").write_text(
            f"<!doctype html><html><head><meta charset='utf-8'><title>Tin tức {p}</title></head>"
            f"<body><ul>{links}</ul>{nxt}</body></html>", encoding="utf-8")
    first = "".join(f'<a href="/list/{p}.html">{p}</a> ' for p in range(listings))
    (folder / "index.html").write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>Trang chủ</title>"
                                       f"</head><body>{first}</body></html>", encoding="utf-8")
    info = {"articles": n_articles, "listings": listings, "pages": n_articles + listings + 1,
            "article_bytes": nbytes, "source_pages": len(sources)}
    (folder / "site.json").write_text(json.dumps(info))
    marker.write_text(str(n_articles))
    return info


def crawl_once(base_url: str, store: Path, no_store: bool) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.crawl_once", "--start", base_url + "index.html", "--store", str(store),
           "--depth", "2"] + (["--no-store"] if no_store else [])
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"crawl failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool = False, work_dir: Path = WORK_DIR, sizes: dict | None = None) -> dict[str, Any]:
    from vnfacts.crawler.serve import serve_directory

    sizes = {**(QUICK if quick else FULL), **(sizes or {})}
    record = new_record("crawl", quick)
    site = build_site(work_dir / f"site-{sizes['pages']}", sizes["pages"])
    record["site"] = site
    runs: list[dict] = []
    with serve_directory(work_dir / f"site-{sizes['pages']}") as base_url, \
            tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        for i in range(sizes["repeats"]):
            for no_store in (False, True):  # alternate, so load on the machine hits both alike
                r = crawl_once(base_url, Path(tmp) / f"store-{i}-{int(no_store)}", no_store)
                if r["fetched"] < site["pages"]:
                    raise RuntimeError(f"the crawl fetched {r['fetched']} of {site['pages']} pages: {r}")
                runs.append(r)
    with_store = [r for r in runs if r["store"]]
    without = [r for r in runs if not r["store"]]
    # Disk flushes vary a lot on a shared machine: medians of the runs, every run in the record.
    record["runs"] = runs
    record["pages_per_s"] = {"with_store": statistics.median(r["pages_per_s"] for r in with_store),
                             "without_store": statistics.median(r["pages_per_s"] for r in without)}
    record["ratio_with_vs_without_store"] = ratio(record["pages_per_s"]["with_store"], record["pages_per_s"]["without_store"])
    record["store_overhead"] = round(1 - record["ratio_with_vs_without_store"], 3) if record["ratio_with_vs_without_store"] else None
    record["store_write_share_of_crawl_time"] = round(statistics.mean(r["store_seconds"] / r["seconds"] for r in with_store), 3)
    record["store_write_ms_per_page"] = round(statistics.mean(r["store_seconds"] / r["stored"] * 1000 for r in with_store), 2)
    record["settings"] = "generic profile, download_delay 0, AutoThrottle off, robots.txt off, 16 concurrent requests"

    print_table(f"Crawl of {site['pages']:,} pages on 127.0.0.1 (politeness off)",
                ["run", "pages", "seconds", "pages/s", "store writes s"],
                [[f"{'with' if r['store'] else 'without'} page store", r["fetched"], r["seconds"], r["pages_per_s"],
                  r["store_seconds"] if r["store"] else None] for r in runs])
    print(f"ratio: with / without the page store = {record['ratio_with_vs_without_store']}x pages/s (medians); "
          f"store writes take {record['store_write_share_of_crawl_time']:.0%} of the crawl "
          f"({record['store_write_ms_per_page']} ms a page, WARC record + fsync + index commit)")
    return record
