"""The bundled corpus crawled from its HTML snapshots equals corpus/articles.jsonl, so the demo's
extraction is the same whichever way it reads the corpus."""
import json
from pathlib import Path

import pytest

from vnfacts.crawler.demo import crawl_bundled_corpus

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    out = crawl_bundled_corpus(tmp_path_factory.mktemp("stores"), progress=False)
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


def corpus():
    return {r["id"]: r for r in map(json.loads, (REPO / "corpus" / "articles.jsonl").open(encoding="utf-8"))}


def test_crawl_gives_back_every_bundled_article(crawled):
    want = corpus()
    assert sorted(a["id"] for a in crawled) == sorted(want)
    for a in crawled:
        assert a["text"].split() == want[a["id"]]["text"].split(), a["id"]     # same text, whitespace aside
        assert a["published"] == want[a["id"]]["published"], a["id"]
        # Fetched from 127.0.0.1, stored under the sites' own URLs.
        crawled_from = a.get("crawled_url") or a["url"]
        assert crawled_from.startswith(("https://sldtbxh.tinh-mau.test/", "https://baoxahoi.test/", "https://hoibaotro.test/"))
        assert a["title"]
        # where it comes from, its terms and the original's address, from the corpus's manifest
        assert (a["source"], a["licence"]) == (want[a["id"]]["source"], want[a["id"]]["licence"]), a["id"]
        assert a["url"] == want[a["id"]].get("url", crawled_from), a["id"]


def test_extraction_is_the_same_either_way(crawled):
    from vnfacts.extractor.models import Document
    from vnfacts.extractor.pipeline import extract

    want = corpus()
    sample = [a for a in crawled if a["id"].startswith("seed-")] + [a for a in crawled if a["id"].startswith("baomoi-")][:3]
    for a in sample:
        w = want[a["id"]]
        facts = lambda text: sorted((e.label, " ".join(e.text.split()), json.dumps(e.norm, sort_keys=True, ensure_ascii=False))  # noqa: E731
                                    for e in extract(Document(id=a["id"], text=text, published=w["published"])).entities)
        assert facts(a["text"]) == facts(w["text"]), a["id"]


def test_a_store_does_not_depend_on_the_mirror_address(tmp_path):
    """Crawled again from a server on another port, a store is resumed, not doubled."""
    from crawlhelp import run_cli

    from vnfacts.crawler.serve import serve_directory
    from vnfacts.crawler.store import PageStore

    site = REPO / "corpus" / "html" / "hoi-bao-tro"
    runs = []
    for _ in range(2):
        with serve_directory(site) as base:
            done = run_cli("crawl", "--profile", "hoi-bao-tro", "--store", str(tmp_path), "--base-url", base, "--delay", "0")
        assert done.returncode == 0, done.stderr
        runs.append(done.stderr)
    assert "this run fetched 0, stored 0, replayed 18" in runs[1], runs[1]
    with PageStore(tmp_path) as store:
        assert len(store) == 18 and all(u.startswith("https://hoibaotro.test/") for u in store.urls())


def test_snapshots_are_up_to_date(tmp_path):
    """corpus/html is exactly what corpus/build_snapshots.py makes of corpus/articles.jsonl."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_snapshots", REPO / "corpus" / "build_snapshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path / "html")
    built = {p.relative_to(tmp_path / "html"): p.read_bytes() for p in (tmp_path / "html").rglob("*") if p.is_file()}
    shipped = {p.relative_to(REPO / "corpus" / "html"): p.read_bytes() for p in (REPO / "corpus" / "html").rglob("*") if p.is_file()}
    assert built.keys() == shipped.keys()
    assert [k for k in built if built[k] != shipped[k]] == []
