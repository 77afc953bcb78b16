"""`vnfacts articles --store DIR`: the stored articles as JSONL (id, url, title, published, text),
read from the page store without touching the network, ready for `vnfacts extract` or `load`."""
from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", required=True, metavar="DIR", help="page store folder written by `vnfacts crawl`")
    p.add_argument("--profile", help="read with this profile instead of the one recorded in the store")
    p.add_argument("-o", "--output", help="write JSONL here (default, or -: stdout)")


def run(args: argparse.Namespace) -> int:
    from vnfacts.crawler.profile import ProfileError
    from vnfacts.crawler.read import write_articles
    from vnfacts.crawler.store import StoreError

    if args.output == "-":
        args.output = None  # the usual spelling of stdout, not a file named "-"
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        n = write_articles(args.store, out, args.profile)
    except (ProfileError, StoreError) as err:
        print(f"vnfacts articles: error: {err}", file=sys.stderr)
        return 2
    finally:
        if args.output:
            out.close()
    print(f"{n} articles", file=sys.stderr)
    return 0
