"""`vnfacts crawl --profile NAME | --start URL --store DIR`: fetch a site into a page store.

Killed at any point and started again with the same arguments, it continues where it stopped:
pages already in the store are replayed from it, never fetched again.
"""
from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--profile", help="site profile: a name under crawler/profiles/ or a path to a YAML file")
    which.add_argument("--start", metavar="URL", help="crawl a site with no profile from this URL (generic profile)")
    p.add_argument("--store", required=True, metavar="DIR", help="page store folder (created; resumed if it exists)")
    p.add_argument("--base-url", metavar="URL", help="fetch the profile's site from here (a local copy, a mirror); pages keep the site's URLs")
    p.add_argument("--delay", type=float, metavar="SECONDS",
                   help="seconds between requests to one site, overriding the profile (0 for a local copy)")
    p.add_argument("--depth", type=int, default=2, help="link depth for --start (default: 2)")
    p.add_argument("--refresh-listings", action="store_true",
                   help="fetch listing pages again even if stored (an incremental crawl: new articles only)")
    p.add_argument("--redis", metavar="URL", help="share the queue with other machines through this Redis (scrapy-redis)")
    p.add_argument("--redis-idle", type=float, default=10.0, metavar="SECONDS",
                   help="with --redis: close after the shared queue has been empty this long (default: 10)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--log-level", default="WARNING", type=str.upper,
                   choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], help="Scrapy log level (default: WARNING)")


def run(args: argparse.Namespace) -> int:
    from vnfacts.crawler.profile import ProfileError
    from vnfacts.crawler.run import crawl, resolve_profile
    from vnfacts.crawler.store import StoreError

    try:
        profile = resolve_profile(args.profile, args.start, args.base_url, args.depth)
        if args.delay is not None:
            profile = profile.with_politeness(download_delay=args.delay)
        if args.redis:
            try:
                import scrapy_redis  # noqa: F401
            except ImportError:
                raise ProfileError("--redis needs scrapy-redis: pip install scrapy-redis") from None
            import redis
            try:
                redis.Redis.from_url(args.redis, socket_connect_timeout=5).ping()
            except (redis.RedisError, ValueError) as err:
                raise ProfileError(f"cannot reach Redis at {args.redis}: {err}") from None
        result = crawl(profile, args.store, progress=not args.quiet, log_level=args.log_level.upper(),
                       redis_url=args.redis, redis_idle=args.redis_idle, refresh_listings=args.refresh_listings)
    except (ProfileError, StoreError) as err:
        print(f"vnfacts crawl: error: {err}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(f"{args.store}: {result.pages_in_store} pages stored in total; this run fetched {result.fetched}, "
              f"stored {result.stored}, replayed {result.replayed}, failed {result.failed}", file=sys.stderr)
    if result.pages_in_store == 0 and result.failed:
        from vnfacts.crawler.store import PageStore

        with PageStore(args.store) as store:
            first = next(iter(store.failures().items()), ("?", "?"))
        print(f"vnfacts crawl: error: nothing could be fetched ({result.failed} failed; {first[0]}: {first[1]})",
              file=sys.stderr)
        return 1
    return 0 if result.finish_reason == "finished" else 1
