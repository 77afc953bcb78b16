"""URL canonicalization: one spelling per page, so tracking parameters and fragments never make
the crawler fetch or store a page twice."""
from __future__ import annotations

import importlib.resources
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_FILE = importlib.resources.files("vnfacts.crawler").joinpath("data", "tracking_params.txt")


@lru_cache(maxsize=1)
def tracking_params() -> tuple[frozenset[str], tuple[str, ...]]:
    """(exact names, prefixes) read from data/tracking_params.txt."""
    names, prefixes = set(), []
    for line in TRACKING_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("*"):
            prefixes.append(line[:-1].lower())
        else:
            names.add(line.lower())
    return frozenset(names), tuple(prefixes)


def is_tracking(name: str) -> bool:
    names, prefixes = tracking_params()
    low = name.lower()
    return low in names or low.startswith(prefixes)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the default port, the fragment and tracking parameters;
    keep the other query parameters in their order (order can matter to a site)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def path_and_query(url: str) -> str:
    """The part of a URL that profile patterns match: path plus ``?query`` when there is one."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def site_of(url: str) -> str:
    """Host without a leading ``www.``: links to www.x.vn and x.vn are the same site."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
