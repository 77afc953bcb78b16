"""Run one crawl: a profile's spider into a store folder, with the profile's politeness.

``crawl(profile, store_dir)`` runs Scrapy in this process (Twisted's reactor cannot be started
twice in one process: call it once, or run ``vnfacts crawl`` (``python -m vnfacts crawl``) in a
subprocess as :mod:`vnfacts.crawler.demo` does).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .profile import Profile, ProfileError, generic_profile, load_profile
from .store import PageStore, StoreError


@dataclass
class CrawlResult:
    fetched: int
    replayed: int
    stored: int
    failed: int
    pages_in_store: int
    finish_reason: str


def scrapy_settings(profile: Profile, progress: bool = True, log_level: str = "WARNING",
                    redis_url: str | None = None, redis_idle: float = 10.0, refresh_listings: bool = False) -> dict:
    p = profile.politeness
    settings = {
        "BOT_NAME": "vnfacts",
        "USER_AGENT": p["user_agent"],
        "ROBOTSTXT_OBEY": p["obey_robots"],
        "DOWNLOAD_DELAY": p["download_delay"],
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "CONCURRENT_REQUESTS": int(p["concurrency"]),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(p["concurrency_per_domain"]),
        "AUTOTHROTTLE_ENABLED": p["autothrottle"],
        "AUTOTHROTTLE_START_DELAY": max(p["download_delay"], 0.01),
        "AUTOTHROTTLE_MAX_DELAY": p["autothrottle_max_delay"],
        "AUTOTHROTTLE_TARGET_CONCURRENCY": p["autothrottle_target_concurrency"],
        "DOWNLOAD_TIMEOUT": p["timeout"],
        "RETRY_ENABLED": True,
        "RETRY_TIMES": int(p["retries"]),
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "VNFACTS_BACKOFF": p["backoff"],
        "VNFACTS_BACKOFF_MAX": p["backoff_max"],
        "DOWNLOAD_MAXSIZE": int(p["max_page_bytes"]),
        "DOWNLOAD_WARNSIZE": int(p["max_page_bytes"]) // 2,
        "REDIRECT_MAX_TIMES": int(p["max_redirects"]),
        "DOWNLOAD_FAIL_ON_DATALOSS": True,   # a truncated response is a failure, never a stored page
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,     # no consoles or control servers: a crawl opens no ports
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": log_level,
        "DEPTH_LIMIT": profile.depth_limit,
        "DOWNLOADER_MIDDLEWARES": {
            "vnfacts.crawler.spider.BackoffMiddleware": 545,
            "vnfacts.crawler.spider.StoreMiddleware": 540,
        },
        "EXTENSIONS": {"vnfacts.crawler.spider.CrawlProgress": 500},
        "VNFACTS_PROGRESS": progress,
        "VNFACTS_REFRESH_LISTINGS": refresh_listings,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    if redis_url:
        # Several machines share one queue and one seen-set in Redis (scrapy-redis); each keeps
        # its own store folder.
        settings.update({
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,
            "REDIS_URL": redis_url,
            "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
            "VNFACTS_REDIS_IDLE": redis_idle,
        })
    return settings


def open_store_for(profile: Profile, store_dir: str | Path) -> PageStore:
    """Open the store for writing and record the profile in it; refuse a store of another site."""
    store = PageStore(store_dir, write=True)
    recorded = Path(store_dir) / "profile.yaml"
    if recorded.exists():
        old = yaml.safe_load(recorded.read_text(encoding="utf-8")) or {}
        if old.get("name") != profile.name:
            store.close()
            raise StoreError(f"{store_dir} holds pages of profile {old.get('name')!r}, not {profile.name!r}; "
                             "use another --store")
    tmp = recorded.with_suffix(".tmp")
    # The site's own profile, not a mirror's: pages are stored under the site's URLs.
    site_profile = profile.origin or profile
    tmp.write_text(yaml.safe_dump(site_profile.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(recorded)  # atomic: a kill never leaves half a profile
    return store


def crawl(profile: Profile | str | Path, store_dir: str | Path, progress: bool = True, log_level: str = "WARNING",
          redis_url: str | None = None, redis_idle: float = 10.0, refresh_listings: bool = False) -> CrawlResult:
    """Crawl ``profile`` (a Profile, a profile name or a YAML path) into the store folder
    ``store_dir`` (created, or resumed) and return the counts. Runs Scrapy's reactor in this
    process, which can happen once per process."""
    from scrapy.crawler import CrawlerProcess

    from .spider import ProfileSpider

    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    store = open_store_for(profile, store_dir)
    if redis_url:
        # An idle engine looks for work every 5 s (its heartbeat); with a shared queue other
        # machines fill, look twice a second so an idle machine joins in at once.
        from scrapy.core.engine import ExecutionEngine
        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 0.5
    try:
        settings = scrapy_settings(profile, progress, log_level, redis_url, redis_idle, refresh_listings)
        process = CrawlerProcess(settings=settings)
        crawler = process.create_crawler(ProfileSpider)
        crawler.vnfacts_store = store
        crawler.vnfacts_profile = profile
        process.crawl(crawler, profile=profile)
        _quiet_logs()  # after crawl(): it installs the log handler the filter goes on
        process.start()
        stats = crawler.stats
        replayed = stats.get_value("vnfacts/replayed", 0)
        return CrawlResult(fetched=max(stats.get_value("downloader/response_count", 0) - replayed, 0),
                           replayed=replayed, stored=stats.get_value("vnfacts/stored", 0),
                           failed=stats.get_value("vnfacts/failed", 0), pages_in_store=len(store),
                           finish_reason=stats.get_value("finish_reason", "unknown"))
    finally:
        store.close()


class _NoTracebacks(logging.Filter):
    """Scrapy logs a traceback with every network error (connection refused, robots.txt
    unreachable...): one line each is enough, the failures table keeps the reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _quiet_logs() -> None:
    if os.environ.get("VNFACTS_DEBUG"):
        return
    import warnings

    from scrapy.exceptions import ScrapyDeprecationWarning
    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning)  # the libraries' business, not the user's
    for handler in logging.getLogger().handlers:
        handler.addFilter(_NoTracebacks())


def resolve_profile(name: str | None, start: str | None, base_url: str | None, depth: int) -> Profile:
    if bool(name) == bool(start):
        raise ProfileError("give exactly one of --profile NAME and --start URL")
    profile = load_profile(name) if name else generic_profile(start, depth)
    return profile.rebased(base_url) if base_url else profile
