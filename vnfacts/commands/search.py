"""`vnfacts search --db PATH QUERY`: articles and events citing a document (any written form of
the citation), else articles and facts holding the words."""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="PATH", help="SQLite file written by `vnfacts load`")
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="a citation in any written form (QĐ 1438, quyet dinh 1438, 1438/QĐ-TTg, Nghị quyết 57) or words")
    p.add_argument("--json", action="store_true", help="one JSON object per match")
    p.add_argument("--csv", action="store_true", help="the matches as CSV (the site's /-/citations.csv)")
    p.add_argument("--limit", type=int, default=500, help="at most this many matches of each kind (default 500)")
    for facet, example in (("year", "2023"), ("province", "Hà Nội"), ("event-type", "hoi_nghi"), ("doc", "1438/QĐ-TTg")):
        p.add_argument(f"--{facet}", metavar="VALUE", help=f"keep only matches of this {facet.replace('-', ' ')} ({example})")


def run(args: argparse.Namespace) -> int:
    from vnfacts.publish.search import Filters, csv_text, search
    from vnfacts.publish.serve import open_read_only

    try:
        conn = open_read_only(args.db)
    except (FileNotFoundError, ValueError) as err:
        print(f"vnfacts search: error: {err}", file=sys.stderr)
        return 2
    try:
        filters = Filters.from_mapping({"year": args.year, "province": args.province, "event_type": args.event_type,
                                        "doc": args.doc})
        answer = search(conn, " ".join(args.query), limit=max(1, args.limit), filters=filters)
    finally:
        conn.close()
    if args.csv:
        sys.stdout.write(csv_text(answer))
        print(answer.message, file=sys.stderr)
        return 0
    if args.json:
        for match in answer.matches:
            print(json.dumps({"query": answer.query, "query_kind": answer.kind, **match}, ensure_ascii=False))
        print(answer.message, file=sys.stderr)
        return 0
    print(answer.message)
    if answer.programme:
        print(f"programme: {answer.programme['name']} (id {answer.programme['id']})")
    if answer.filters:
        print("filters: " + ", ".join(f"{k}={v}" for k, v in answer.filters.items())
              + f"; {len(answer.matches)} matches in {answer.articles} articles")
    for m in answer.matches:
        where = ", ".join(x for x in (m.get("date"), m.get("province")) if x) or "date and place unknown"
        head = f"[{m['kind']}] {m['article_id']}"
        if m.get("event_id"):
            head += f" event {m['event_id']} ({m.get('event_type')})"
        if m.get("doc_id"):
            head += f" cites {m['doc_id']}"
        elif m.get("label"):
            head += f" {m['label']} {m.get('fact')!r}"
        print(f"{head} | {where}")
        if m.get("sentence"):
            print(f"    {m['sentence']}")
    return 0
