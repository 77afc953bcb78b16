"""`vnfacts demo`: the main job on the bundled corpus, end to end.

1. serve the bundled sites (``corpus/html``) on 127.0.0.1 and crawl them into a raw page store;
2. read the stored articles, extract their facts and load them into SQLite;
3. print a summary (articles, facts per label, most cited documents) and where the results are;
4. print what to open and try first (a citation search, a programme, the map, an article);
5. serve the database with Datasette on 127.0.0.1 until Ctrl-C (skip with ``--no-serve``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", default=None,
                   help="the bundled corpus folder (default: corpus/ of the checkout or of $VNFACTS_HOME)")
    p.add_argument("--out", default="out", help="where results go (default: out)")
    p.add_argument("--port", type=int, default=8001, help="Datasette port (default: 8001; 0 picks a free one)")
    p.add_argument("--no-serve", action="store_true", help="stop after loading; do not start Datasette")


def summary_lines(db_path: Path, top: int = 10) -> list[str]:
    """What the demo database holds, read back from the database itself."""
    from vnfacts.publish.queries import database_summary

    held = database_summary(db_path, top)
    lines = [f"articles: {held['articles']}", f"events: {held['events']}",
             "facts per label: " + ", ".join(f"{r['label']} {r['facts']}" for r in held["facts_per_label"])]
    lines.append("most cited documents:")
    lines += [f"  {r['id']:<28} {r['mentions']:>3} mentions in {r['articles']} articles" for r in held["most_cited"]]
    return lines


def what_to_try_lines(db_path: Path, port: int) -> list[str]:
    """The pages to open first, as addresses on the demo's server (paths when the port is chosen
    at start), read from the database."""
    from vnfacts.publish.queries import connect_read_only
    from vnfacts.publish.site.dashboard import first_things_to_try

    conn = connect_read_only(db_path)
    try:
        tries = first_things_to_try(conn)
    finally:
        conn.close()
    base = f"http://127.0.0.1:{port}" if port else ""
    width = max(len(what) for what, _ in tries)
    return ["what to open and try first:"] + [f"  {what:<{width}}  {base}{path}" for what, path in tries]


def run(args: argparse.Namespace) -> int:
    from vnfacts.crawler.demo import crawl_bundled_corpus
    from vnfacts.publish.load import load_documents

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from vnfacts.extractor.resources import user_path

    html = (Path(args.corpus) if args.corpus else user_path("corpus", "bundled corpus folder")) / "html"
    print(f"[1/3] crawling the bundled sites under {html} (served on 127.0.0.1)", file=sys.stderr)
    articles = crawl_bundled_corpus(out / "store", out / "articles.jsonl", corpus_html=html)
    db_path = out / "vnfacts.db"
    print(f"[2/3] extracting and loading {articles} into {db_path}", file=sys.stderr)
    summary = load_documents(db_path, [articles], progress=True)
    print("[3/3] summary", file=sys.stderr)
    for line in summary_lines(db_path):
        print(line)
    print(f"raw pages: {out / 'store'}\narticles: {articles}\ndatabase: {db_path}")
    if summary.failed:
        print(f"{summary.failed} documents failed (see the messages above)", file=sys.stderr)
    for line in what_to_try_lines(db_path, 0 if args.no_serve else args.port):
        print(line)
    if args.no_serve:
        print(f"(these pages, once served: vnfacts serve --db {db_path})")
        return 1 if summary.failed else 0
    from vnfacts.publish.serve import serve

    return serve(db_path, port=args.port)
