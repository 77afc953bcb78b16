"""Site profiles: everything the crawler knows about one site, read from a YAML data file.

Adding a site means adding ``crawler/profiles/NAME.yaml`` (see README "Crawling"); no code.
A profile says where to start, which links are listing pages (followed for links) and which are
articles (stored and later read as articles), how to read title, date and body, and how politely
to fetch. ``--base-url`` moves a profile to another address (a local copy of the site, a mirror).
"""
from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from .urls import canonical_url, path_and_query, site_of

PROFILES_DIR = importlib.resources.files("vnfacts.crawler").joinpath("profiles")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and the field."""


# Politeness defaults: a guest on a small government server, not a load test.
DEFAULT_POLITENESS: dict[str, Any] = {
    "obey_robots": True,
    "user_agent": "vnfacts-crawler/0.1 (+https://github.com/vnfacts/vnfacts; research crawler)",
    "download_delay": 1.0,          # seconds between requests to one domain (before AutoThrottle)
    "concurrency_per_domain": 2,
    "concurrency": 8,
    "autothrottle": True,
    "autothrottle_target_concurrency": 1.0,
    "autothrottle_max_delay": 30.0,
    "timeout": 30.0,                # seconds per request
    "retries": 3,                   # extra attempts on 5xx, 408, 429 and network errors
    "backoff": 2.0,                 # first retry waits this long, then twice as long each time
    "backoff_max": 60.0,
    "max_page_bytes": 5_000_000,    # larger responses are abandoned
    "max_redirects": 5,
}

DEFAULT_ARTICLE: dict[str, Any] = {
    "extractor": "trafilatura",     # or "css": paragraphs from `body`
    "title": None,                  # CSS selector; default og:title, <h1>, <title>
    "published": None,              # CSS selector of the element holding the date text
    "body": None,                   # CSS selector of the body paragraphs (extractor: css)
    "remove": [],                   # CSS selectors dropped before reading the body
    "min_chars": 300,               # shorter bodies are not articles
    "fallback_encoding": "windows-1258",
}


@dataclass(frozen=True)
class Profile:
    name: str
    site: str                                   # root URL of the site
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    follow: tuple[re.Pattern, ...]              # listing and pagination pages
    articles: tuple[re.Pattern, ...]            # article pages (group `id` names the article)
    links: tuple[str, ...] = ()                 # CSS areas links are taken from (default: whole page)
    deny: tuple[re.Pattern, ...] = ()
    depth_limit: int = 0                        # 0: no limit
    generic: bool = False                       # follow every same-site link, keep what trafilatura calls an article
    article: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_ARTICLE))
    politeness: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_POLITENESS))
    description: str = ""
    source: str = ""                            # file the profile came from
    origin: "Profile | None" = field(default=None, compare=False, repr=False)  # before rebased()

    # -- which pages are what ---------------------------------------------------------------
    def on_site(self, url: str) -> bool:
        site = site_of(url)
        return any(site == d or site.endswith("." + d) for d in self.allowed_domains)

    def classify(self, url: str) -> str | None:
        """'article', 'listing' or None (not to be fetched) for a canonical URL."""
        if urlsplit(url).scheme not in ("http", "https") or not self.on_site(url):
            return None
        where = path_and_query(url)
        if any(p.search(where) for p in self.deny):
            return None
        if any(p.search(where) for p in self.articles):
            return "article"
        if self.generic or any(p.search(where) for p in self.follow):
            return "listing"
        return None

    def article_id(self, url: str) -> str | None:
        """The id named by an `articles` pattern's ``(?P<id>...)`` group, if any."""
        where = path_and_query(url)
        for p in self.articles:
            m = p.search(where)
            if m and "id" in p.groupindex and m.group("id"):
                return m.group("id")
        return None

    def rebased(self, base_url: str) -> "Profile":
        """The same site fetched from ``base_url`` (a local copy, a mirror). Pages are still stored
        under the site's own URLs (:meth:`site_url`), so a store does not depend on the mirror's
        address: crawled again from another port, it is resumed, not doubled."""
        origin = self.origin or self
        base = canonical_url(base_url if base_url.endswith("/") else base_url + "/")
        old = _slash(origin.site)
        starts = tuple(base + s[len(old):] if s.startswith(old) else s for s in origin.start_urls)
        return replace(origin, site=base, start_urls=starts, allowed_domains=(site_of(base),), origin=origin)

    def site_url(self, url: str) -> str:
        """A fetched URL as the site's own URL (unchanged unless the profile was rebased)."""
        if self.origin is not None and url.startswith(_slash(self.site)):
            return _slash(self.origin.site) + url[len(_slash(self.site)):]
        return url

    def fetch_url(self, url: str) -> str:
        """The inverse of :meth:`site_url`: where a site URL is fetched from."""
        if self.origin is not None and url.startswith(_slash(self.origin.site)):
            return _slash(self.site) + url[len(_slash(self.origin.site)):]
        return url

    def with_politeness(self, **changes: Any) -> "Profile":
        """The same profile with some politeness settings changed (``download_delay=0`` for a local copy)."""
        merged = _merge(DEFAULT_POLITENESS, {**self.politeness, **changes}, f"{self.source}: politeness")
        origin = replace(self.origin, politeness=merged) if self.origin else None
        return replace(self, politeness=merged, origin=origin)

    def to_dict(self) -> dict[str, Any]:
        """The YAML form, so a store can record exactly which profile filled it."""
        return {
            "name": self.name, "description": self.description, "site": self.site,
            "start_urls": list(self.start_urls), "allowed_domains": list(self.allowed_domains),
            "follow": [p.pattern for p in self.follow], "articles": [p.pattern for p in self.articles],
            "links": list(self.links), "deny": [p.pattern for p in self.deny],
            "depth_limit": self.depth_limit, "generic": self.generic,
            "article": dict(self.article), "politeness": dict(self.politeness),
        }


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _patterns(raw: Any, where: str) -> tuple[re.Pattern, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ProfileError(f"{where}: expected a list of regular expressions")
    out = []
    for pat in raw:
        try:
            out.append(re.compile(pat))
        except re.error as err:
            raise ProfileError(f"{where}: bad regular expression {pat!r}: {err}") from None
    return tuple(out)


def _strings(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ProfileError(f"{where}: expected a list of strings")
    return tuple(raw)


def _merge(defaults: dict[str, Any], given: Any, where: str) -> dict[str, Any]:
    if given is None:
        return dict(defaults)
    if not isinstance(given, dict):
        raise ProfileError(f"{where}: expected a mapping")
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ProfileError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(defaults))}")
    merged = dict(defaults)
    for key, value in given.items():
        default = defaults[key]
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ProfileError(f"{where}.{key}: expected a number >= 0, got {value!r}")
        elif isinstance(default, bool) and not isinstance(value, bool):
            raise ProfileError(f"{where}.{key}: expected true or false, got {value!r}")
        merged[key] = value
    if "remove" in merged:
        merged["remove"] = list(_strings(merged["remove"], f"{where}.remove"))
    if merged.get("extractor", "trafilatura") not in ("trafilatura", "css"):
        raise ProfileError(f"{where}.extractor: expected 'trafilatura' or 'css', got {merged['extractor']!r}")
    if merged.get("extractor") == "css" and not merged.get("body"):
        raise ProfileError(f"{where}: extractor 'css' needs a `body` selector")
    return merged


KNOWN_KEYS = {"name", "description", "site", "start_urls", "allowed_domains", "follow", "articles", "links",
              "deny", "depth_limit", "generic", "article", "politeness"}


def profile_from_dict(data: Any, source: str = "<profile>") -> Profile:
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a profile is a YAML mapping")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ProfileError(f"{source}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_KEYS))}")
    site = data.get("site")
    if not isinstance(site, str) or urlsplit(site).scheme not in ("http", "https") or not urlsplit(site).hostname:
        raise ProfileError(f"{source}: `site` must be the site's root URL (http:// or https://), got {site!r}")
    site = canonical_url(site)
    starts = _strings(data.get("start_urls") or [site], f"{source}: start_urls")
    starts = tuple(canonical_url(urljoin(site, s)) for s in starts)
    domains = _strings(data.get("allowed_domains"), f"{source}: allowed_domains") or (site_of(site),)
    articles = _patterns(data.get("articles"), f"{source}: articles")
    generic = bool(data.get("generic", False))
    if not articles and not generic:
        raise ProfileError(f"{source}: `articles` (URL patterns of article pages) is required unless generic: true")
    depth = data.get("depth_limit", 0)
    if not isinstance(depth, int) or depth < 0:
        raise ProfileError(f"{source}: depth_limit must be a whole number >= 0")
    name = data.get("name") or Path(source).stem
    return Profile(
        name=str(name), site=site, start_urls=starts, allowed_domains=tuple(d.lower() for d in domains),
        follow=_patterns(data.get("follow"), f"{source}: follow"), articles=articles,
        links=_strings(data.get("links"), f"{source}: links"),
        deny=_patterns(data.get("deny"), f"{source}: deny"), depth_limit=depth, generic=generic,
        article=_merge(DEFAULT_ARTICLE, data.get("article"), f"{source}: article"),
        politeness=_merge(DEFAULT_POLITENESS, data.get("politeness"), f"{source}: politeness"),
        description=str(data.get("description") or ""), source=source)


def available_profiles() -> list[str]:
    return sorted(p.name[:-5] for p in PROFILES_DIR.iterdir() if p.name.endswith(".yaml") and not p.name.startswith("_"))


def load_profile(name_or_path: str | Path) -> Profile:
    """A profile by name (``crawler/profiles/NAME.yaml``) or by path to a YAML file."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = PROFILES_DIR / f"{name_or_path}.yaml"
        if not path.is_file():
            raise ProfileError(f"no profile named {name_or_path!r}; available: {', '.join(available_profiles())}")
    if not path.is_file():
        raise ProfileError(f"{path}: no such profile file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ProfileError(f"{path}: not valid YAML: {err}") from None
    return profile_from_dict(data, str(path))


def generic_profile(start_url: str, depth_limit: int = 2) -> Profile:
    """For a site with no profile yet: follow same-site links to ``depth_limit`` and keep what
    trafilatura recognises as an article (defaults in profiles/_generic.yaml)."""
    parts = urlsplit(start_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProfileError(f"--start must be an http(s) URL, got {start_url!r}")
    data = yaml.safe_load((PROFILES_DIR / "_generic.yaml").read_text(encoding="utf-8"))
    data.update(name=f"generic-{site_of(start_url)}", site=f"{parts.scheme}://{parts.netloc}/",
                start_urls=[start_url], depth_limit=depth_limit)
    return profile_from_dict(data, "generic profile")
