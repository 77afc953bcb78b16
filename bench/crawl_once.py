"""One timed crawl, in its own process (Scrapy's reactor starts once per process):

    python -m bench.crawl_once --start URL --store DIR --depth N [--no-store]

Crawls with the generic profile and politeness off (no delay, no AutoThrottle, no robots.txt,
16 requests at a time) and prints one JSON line: pages fetched, seconds, and the seconds spent
writing the raw page store. ``--no-store`` leaves the store middleware out: the same crawl
without keeping the pages, the alternative the store's overhead is measured against.
"""
from __future__ import annotations

import argparse
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl_once")
    parser.add_argument("--start", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-store", action="store_true")
    args = parser.parse_args(argv)

    from vnfacts.crawler import run as crawl_run
    from vnfacts.crawler.profile import generic_profile
    from vnfacts.crawler.store import PageStore

    profile = generic_profile(args.start, args.depth).with_politeness(
        download_delay=0, autothrottle=False, obey_robots=False, concurrency=args.concurrency,
        concurrency_per_domain=args.concurrency)

    store_seconds = [0.0]
    add = PageStore.add

    def timed_add(self, *a, **k):  # the store's own share of the crawl's time
        t = time.perf_counter()
        try:
            return add(self, *a, **k)
        finally:
            store_seconds[0] += time.perf_counter() - t

    PageStore.add = timed_add
    if args.no_store:
        settings = crawl_run.scrapy_settings

        def without_store(*a, **k):
            s = settings(*a, **k)
            s["DOWNLOADER_MIDDLEWARES"] = {k: v for k, v in s["DOWNLOADER_MIDDLEWARES"].items()
                                           if not k.endswith("StoreMiddleware")}
            return s

        crawl_run.scrapy_settings = without_store
    started = time.perf_counter()
    result = crawl_run.crawl(profile, args.store, progress=False, log_level="ERROR")
    seconds = time.perf_counter() - started
    print(json.dumps({"store": not args.no_store, "fetched": result.fetched, "stored": result.stored,
                      "failed": result.failed, "seconds": round(seconds, 3),
                      "pages_per_s": round(result.fetched / seconds, 1), "store_seconds": round(store_seconds[0], 3),
                      "finish_reason": result.finish_reason}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
