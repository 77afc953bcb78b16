"""The Scrapy spider that a profile drives, and the pieces around it.

- :class:`ProfileSpider` starts at the profile's start URLs and follows only links the profile
  calls listing or article pages (every same-site link, to a depth limit, for the generic profile).
  It parses nothing else: pages are read into articles later, from the store.
- :class:`StoreMiddleware` writes every final response (after redirects and retries, body decoded)
  to the :class:`~vnfacts.crawler.store.PageStore`, and answers requests for pages already stored from the
  store instead of the network. That is how a killed crawl resumes: started again, it walks the
  same links, replays what it has and fetches only what it lacks.
- :class:`BackoffMiddleware` makes retries wait ``backoff * 2**(n-1)`` seconds.
- :class:`CrawlProgress` prints pages fetched, replayed, stored, failed and the rate on stderr.
"""
from __future__ import annotations

import asyncio
import sys
import time

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from .profile import Profile
from .store import PageStore, StoreError
from .urls import canonical_url

REPLAYED = "vnfacts_replayed"


class ProfileSpider(scrapy.Spider):
    name = "vnfacts"

    def __init__(self, profile: Profile, **kwargs):
        # The name keys the shared queue and seen-set in Redis: one per site.
        super().__init__(name=f"vnfacts-{profile.name}", **kwargs)
        self.profile = profile
        self._idle_since: float | None = None
        self.allowed_domains = list(profile.allowed_domains)
        self.links = LinkExtractor(restrict_css=profile.links or (), canonicalize=False, unique=True,
                                   tags=("a", "area", "link"), attrs=("href",))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.redis_idle = crawler.settings.getfloat("VNFACTS_REDIS_IDLE", 0)
        if spider.redis_idle:
            crawler.signals.connect(spider.idle, signal=signals.spider_idle)
            crawler.signals.connect(spider.busy, signal=signals.response_received)
        return spider

    def idle(self):
        """With a shared queue, an empty queue may only mean that the other machines have not yet
        sent their links: wait ``redis_idle`` seconds without work before closing."""
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.redis_idle:
            raise DontCloseSpider

    def busy(self, *args, **kwargs):
        self._idle_since = None

    async def start(self):
        for url in self.profile.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def parse(self, response: Response):
        if not isinstance(response, TextResponse):
            return  # a binary file: stored, nothing to follow
        depth = response.meta.get("depth", 0)
        if self.profile.depth_limit and depth >= self.profile.depth_limit:
            return
        try:
            links = self.links.extract_links(response)
        except Exception:  # noqa: BLE001 - a page lxml cannot parse has no links to follow
            return
        for link in links:
            url = canonical_url(link.url)
            if self.profile.classify(url):
                yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def failed(self, failure):
        request = failure.request
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        if failure.check(IgnoreRequest) and "robots" in reason.lower():
            reason = "forbidden by robots.txt"
        stats = self.crawler.stats
        stats.inc_value("vnfacts/failed")
        store: PageStore | None = getattr(self.crawler, "vnfacts_store", None)
        if store is not None:
            status = getattr(getattr(failure.value, "response", None), "status", None)
            store.add_failure(self.profile.site_url(request.url), f"HTTP {status}" if status else reason)
        self.logger.info("failed %s: %s", request.url, reason)


class StoreMiddleware:
    """Downloader middleware between RetryMiddleware (550) and the spider: sees final responses."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store: PageStore = crawler.vnfacts_store
        self.profile: Profile = crawler.vnfacts_profile
        self.refresh_listings = crawler.settings.getbool("VNFACTS_REFRESH_LISTINGS")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if self.refresh_listings and self.profile.classify(request.url) == "listing":
            return None  # an incremental crawl: listings again from the network, for new articles
        where = self.store.lookup(self.profile.site_url(request.url))
        if where is None:
            return None
        page = self.store.read(*where)
        self.crawler.stats.inc_value("vnfacts/replayed")
        request.meta[REPLAYED] = True
        cls = HtmlResponse if "html" in page.content_type.lower() else Response
        if cls is Response and page.content_type.lower().startswith("text/"):
            cls = TextResponse
        return cls(url=self.profile.fetch_url(page.final_url), status=page.status, headers=page.headers,
                   body=page.body, request=request, flags=["stored"])

    def process_response(self, request, response, spider=None):
        if request.meta.get(REPLAYED) or "stored" in response.flags:
            return response
        if response.status >= 500:
            return response  # retries are used up; the errback records it as a failure
        requested = (request.meta.get("redirect_urls") or [request.url])[0]
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, values in response.headers.items() for v in values]
        site_url = self.profile.site_url
        self.store.add(site_url(canonical_url(requested)), site_url(canonical_url(response.url)), response.status,
                       headers, response.body)
        self.crawler.stats.inc_value("vnfacts/stored")
        return response


class BackoffMiddleware:
    """Wait before a retried request: ``backoff * 2**(retry_times-1)`` seconds, capped."""

    def __init__(self, base: float, cap: float):
        self.base, self.cap = base, cap

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("VNFACTS_BACKOFF"), crawler.settings.getfloat("VNFACTS_BACKOFF_MAX"))

    async def process_request(self, request, spider=None):
        tries = request.meta.get("retry_times", 0)
        if tries and self.base > 0:
            await asyncio.sleep(min(self.cap, self.base * 2 ** (tries - 1)))
        return None


class CrawlProgress:
    """Extension: a progress line on stderr every few seconds and a summary at the end."""

    def __init__(self, crawler, every: float, enabled: bool):
        self.crawler, self.every, self.enabled = crawler, every, enabled
        self.start = time.monotonic()
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("VNFACTS_PROGRESS_EVERY", 5.0),
                  crawler.settings.getbool("VNFACTS_PROGRESS", True))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def counts(self) -> dict[str, int]:
        s = self.crawler.stats
        fetched = s.get_value("downloader/response_count", 0) - s.get_value("vnfacts/replayed", 0)
        return {"fetched": max(fetched, 0), "replayed": s.get_value("vnfacts/replayed", 0),
                "stored": s.get_value("vnfacts/stored", 0), "failed": s.get_value("vnfacts/failed", 0)}

    def line(self) -> str:
        c = self.counts()
        elapsed = max(time.monotonic() - self.start, 1e-9)
        return (f"crawl {self.crawler.spider.profile.name}: {c['fetched']} fetched, {c['stored']} stored, "
                f"{c['replayed']} already in store, {c['failed']} failed, {c['fetched'] / elapsed:.1f} pages/s, "
                f"{int(elapsed) // 60}:{int(elapsed) % 60:02d} elapsed")

    def opened(self, spider):
        from twisted.internet import task
        self.start = time.monotonic()
        if self.enabled:
            self.task = task.LoopingCall(self._print)
            self.task.start(self.every, now=False)

    def _print(self):
        print(self.line(), file=sys.stderr, flush=True)

    def closed(self, spider, reason):
        if self.task and self.task.running:
            self.task.stop()
        if self.enabled:
            print(f"done ({reason}): " + self.line(), file=sys.stderr, flush=True)


__all__ = ["ProfileSpider", "StoreMiddleware", "BackoffMiddleware", "CrawlProgress", "StoreError"]
