"""Publication dates as Vietnamese sites write them, to an ISO date (``YYYY-MM-DD``).

Machine-readable forms come first (``<meta property="article:published_time">``, JSON-LD
``datePublished``, ``<time datetime>``), then the text forms of Vietnamese pages::

    Thứ Năm, 22/12/2022 10:46        Thứ 3, Ngày 18/07/2023, 11:00      Ngày đăng: 28/03/2018
    22-12-2022                         ngày 5 tháng 3 năm 2023            Cập nhật: 2023-07-18
Text is accent-folded first (vnfacts.extractor.clean.fold) so ``Ngay 5 thang 3 nam 2023`` also works.
"""
from __future__ import annotations

import json
import re
from datetime import date

from vnfacts.extractor.clean import canonical, fold

META_NAMES = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "dc.date.issued", "dc.date", "date", "article:published", "publish-date", "itemprop:datepublished")

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,\s*)?nam\s+(\d{4})")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat() if 1900 <= y <= 2100 else None
    except ValueError:
        return None


def parse_iso(value: str) -> str | None:
    m = _ISO.search(value or "")
    return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def parse_vietnamese(text: str) -> str | None:
    """The first date in a Vietnamese date line, or None."""
    if not text:
        return None
    folded = fold(canonical(text))
    candidates = []
    for rx, order in ((_WORDS, "dmy"), (_DMY, "dmy"), (_ISO, "ymd")):
        m = rx.search(folded)
        if m:
            a, b, c = (int(g) for g in m.groups())
            iso = _valid(c, b, a) if order == "dmy" else _valid(a, b, c)
            if iso:
                candidates.append((m.start(), iso))
    return min(candidates)[1] if candidates else None


def _jsonld_dates(obj) -> list[str]:
    out = []
    if isinstance(obj, dict):
        if isinstance(obj.get("datePublished"), str):
            out.append(obj["datePublished"])
        for v in obj.values():
            if isinstance(v, (dict, list)):
                out += _jsonld_dates(v)
    elif isinstance(obj, list):
        for v in obj:
            out += _jsonld_dates(v)
    return out


def date_from_markup(sel) -> str | None:
    """From a parsel Selector: meta tags, JSON-LD, then ``<time datetime>``."""
    for meta in sel.css("meta"):
        key = (meta.attrib.get("property") or meta.attrib.get("name") or meta.attrib.get("itemprop") or "").lower()
        if key in META_NAMES or (meta.attrib.get("itemprop") or "").lower() == "datepublished":
            iso = parse_iso(meta.attrib.get("content", ""))
            if iso:
                return iso
    for script in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for value in _jsonld_dates(data):
            iso = parse_iso(value)
            if iso:
                return iso
    for value in sel.css("time::attr(datetime)").getall():
        iso = parse_iso(value)
        if iso:
            return iso
    return None
