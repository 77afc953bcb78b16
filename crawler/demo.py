"""The bundled corpus, the way a real crawl would get it: serve each site of corpus/html on
127.0.0.1, crawl it with its profile into a page store, then read the articles out of the stores.

    crawl_bundled_corpus(store_dir) -> path of the articles JSONL

The JSONL (id, url, title, published, text, source, licence) is what `vnfacts extract` and
`vnfacts load` read; its texts equal those of corpus/articles.jsonl (tests/crawler/test_bundled_corpus.py
checks it). A crawl reads what a page shows; where each bundled article comes from and under which
terms is in the corpus's manifest (html/manifest.jsonl), so the demo adds it to each article:
``source``, ``licence``, and as ``url`` the original's address when the manifest knows one (the
address the page was crawled from, on a reserved ``.test`` host, stays as ``crawled_url``).
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


def manifest_rows(corpus_html: Path) -> dict[str, dict]:
    """id -> the manifest's row for that article (site, path, published, source, licence, url)."""
    with (corpus_html / "manifest.jsonl").open(encoding="utf-8") as f:
        return {row["id"]: row for row in map(json.loads, filter(str.strip, f))}


def with_provenance(article: dict, manifest: dict[str, dict]) -> dict:
    """``article`` (a line the crawl wrote) with the source, licence and original address its
    manifest row gives; an article the manifest does not list is left as it is."""
    row = manifest.get(article.get("id"))
    if row is None:
        return article
    article = dict(article)
    for key in ("source", "licence"):
        if row.get(key) and not article.get(key):
            article[key] = row[key]
    if row.get("url") and row["url"] != article.get("url"):
        article["crawled_url"] = article.get("url")
        article["url"] = row["url"]
    return article


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
    crawled = out.with_suffix(".crawled")
    with crawled.open("w", encoding="utf-8") as f:
        total = sum(write_articles(store_dir / site, f) for site in sites)
    manifest = manifest_rows(corpus_html)
    tmp = out.with_suffix(".tmp")
    with crawled.open(encoding="utf-8") as lines, tmp.open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(with_provenance(json.loads(line), manifest), ensure_ascii=False) + "\n")
    tmp.replace(out)
    crawled.unlink()
    if progress:
        print(f"{total} articles from {len(sites)} bundled sites -> {out}", file=sys.stderr)
    return out
