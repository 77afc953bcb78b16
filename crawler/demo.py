"""The bundled corpus, the way a real crawl would get it: serve each site of corpus/html on
127.0.0.1, crawl it with its profile into a page store, then read the articles out of the stores.

    crawl_bundled_corpus(store_dir) -> path of the articles JSONL

The JSONL (id, url, title, published, text) is what `vnfacts extract` and `vnfacts load` read;
its texts equal those of corpus/articles.jsonl (tests/crawler/test_bundled_corpus.py checks it).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from vnfacts.extractor.resources import MissingDataError, user_path

from .read import write_articles
from .serve import serve_directory

def default_corpus_html() -> Path:
    """``corpus/html`` of the user's vnfacts home (the checkout, or $VNFACTS_HOME)."""
    return user_path("corpus/html", "folder of bundled sites")


def bundled_sites(corpus_html: Path) -> list[str]:
    """Site folders named in the manifest, each crawled with the profile of the same name."""
    manifest = corpus_html / "manifest.jsonl"
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest}: missing; run python corpus/build_snapshots.py")
    sites = []
    for line in manifest.open(encoding="utf-8"):
        site = json.loads(line)["site"]
        if site not in sites:
            sites.append(site)
    return sites


def crawl_bundled_corpus(store_dir: str | Path, out: str | Path | None = None, corpus_html: str | Path | None = None,
                         progress: bool = True) -> Path:
    """Crawl every bundled site into ``store_dir/SITE`` and write all their articles to ``out``
    (default ``store_dir/articles.jsonl``). Each crawl runs in its own process (Scrapy's reactor
    runs once per process) against a server on 127.0.0.1 that is stopped afterwards."""
    store_dir = Path(store_dir)
    corpus_html = Path(corpus_html) if corpus_html is not None else default_corpus_html()
    if not corpus_html.is_dir():
        raise MissingDataError(f"{corpus_html}: no such folder of bundled sites (give the corpus folder with --corpus)")
    out = Path(out) if out else store_dir / "articles.jsonl"
    store_dir.mkdir(parents=True, exist_ok=True)
    sites = bundled_sites(corpus_html)
    for site in sites:
        with serve_directory(corpus_html / site) as base_url:
            cmd = [sys.executable, "-m", "vnfacts", "crawl", "--profile", site, "--store", str(store_dir / site),
                   "--base-url", base_url, "--delay", "0"] + ([] if progress else ["--quiet"])
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL)
            if done.returncode != 0:
                raise RuntimeError(f"crawling the bundled site {site} failed (exit code {done.returncode})")
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        total = sum(write_articles(store_dir / site, f) for site in sites)
    tmp.replace(out)
    if progress:
        print(f"{total} articles from {len(sites)} bundled sites -> {out}", file=sys.stderr)
    return out
