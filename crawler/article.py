"""HTML to article: decode the bytes right, then read title, publication date and body text.

Encoding, in order: byte-order mark, the HTTP ``Content-Type`` charset, ``<meta charset>``,
strict UTF-8, then the profile's ``fallback_encoding`` (``windows-1258``, still served by old
Vietnamese sites). windows-1258 writes tone marks as combining characters, so every text is
NFC-normalized (the text layer's first rule) before it leaves this module.

Body: with ``extractor: css`` the profile's ``body`` selector picks the paragraphs (after the
``remove`` selectors drop boilerplate inside them); otherwise trafilatura finds the main text.
The article text is the title, a newline, then the body (unless the body already starts with
the title), because headlines carry facts too.
"""
from __future__ import annotations

import importlib.resources
import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parsel import Selector

from vnfacts.extractor.clean import fold_query

from .dates import date_from_markup, parse_vietnamese
from .profile import Profile

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_CUT_SHORT = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\]|\[&hellip;\])\s*$")
_BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, th, figcaption"
HTML_TYPES = ("text/html", "application/xhtml+xml")
RELATED_FILE = importlib.resources.files("vnfacts.crawler").joinpath("data", "related_headings.txt")


@dataclass
class Article:
    id: str
    url: str
    title: str
    published: str | None
    text: str
    # When the crawler fetched the page (ISO 8601 UTC, the store's WARC-Date): the article existed
    # then, so no date estimated for it may be later.
    fetched_at: str | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "url": self.url, "title": self.title, "published": self.published,
                "fetched_at": self.fetched_at, "text": self.text}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


# Charsets a server sends by default, not because it knows: a Vietnamese page is never really Latin-1,
# and these decode any bytes, so trusting them would turn windows-1258 or UTF-8 pages into mojibake.
_DEFAULT_HEADER_CHARSETS = {"latin_1", "iso8859-1", "ascii", "cp1252"}


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8 but for a few bad bytes: legacy Vietnamese text almost never forms valid UTF-8
    sequences, so one bad byte in a UTF-8 page must not send it to windows-1258."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return good >= 4 * max(bad, 1)


def decode_html(body: bytes, content_type: str = "", fallback: str = "windows-1258") -> tuple[str, str]:
    """(text, encoding used): byte-order mark; the HTTP charset, unless it is a server default
    (ISO-8859-1...); ``<meta charset>``; UTF-8; then ``fallback``. A declared legacy charset loses to
    bytes that are valid UTF-8 (old templates keep a windows-1258 ``<meta>`` after a site moves to
    UTF-8), and a UTF-8 page with a few bad bytes stays UTF-8 (replacement characters in their place)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(enc, errors="replace"), enc
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:4096])
    declared = [enc for enc in (_codec(header.group(1)) if header else None,
                                _codec(meta.group(1).decode("ascii")) if meta else None) if enc]
    if header and declared and declared[0] in _DEFAULT_HEADER_CHARSETS:
        declared.pop(0)
    if body.isascii():
        return body.decode("ascii"), declared[0] if declared else "utf-8"
    try:
        return body.decode("utf-8"), "utf-8"  # valid UTF-8 is UTF-8, whatever is declared
    except UnicodeDecodeError:
        pass
    for enc in declared:
        if enc == "utf-8":
            return body.decode("utf-8", errors="replace"), "utf-8"  # declared UTF-8, a few bad bytes
        if enc.startswith("utf"):
            continue  # UTF-16/32 without a byte-order mark: not what the page is
        try:
            return body.decode(enc), enc
        except UnicodeDecodeError:
            continue
    if _mostly_utf8(body):
        return body.decode("utf-8", errors="replace"), "utf-8"
    enc = _codec(fallback) or "cp1258"
    return body.decode(enc, errors="replace"), enc


def is_html(content_type: str, body: bytes) -> bool:
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype and ctype not in HTML_TYPES:
        return False
    head = body[:1024].lstrip().lower()
    if b"\x00" in body[:8192]:
        return False
    return bool(ctype) or head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta"))


def squash(text: str) -> str:
    """Collapse HTML source whitespace (not no-break spaces, which are content) and trim."""
    return _SPACES.sub(" ", text).strip()


def _node_text(node) -> str:
    return squash("".join(node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()))


def css_paragraphs(sel: Selector, body_css: str, remove: list[str]) -> list[str]:
    """Text of each block the ``body`` selector picks; a picked container is read block by block."""
    for css in remove:
        sel.css(css).drop()
    lines = []
    for node in sel.css(body_css):
        blocks = node.css(_BLOCKS)
        if blocks and node.root.tag not in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"):
            for b in blocks:
                if b.xpath("ancestor::p|ancestor::li|ancestor::blockquote"):  # nested inside another block
                    continue
                line = _node_text(b)
                if line:
                    lines.append(line)
        else:
            line = _node_text(node)
            if line:
                lines.append(line)
    return lines


def _title(sel: Selector, css: str | None) -> str:
    if css:
        found = squash("".join(sel.css(css).xpath(".//text()").getall()))
        if found:
            return found
    for value in (sel.css('meta[property="og:title"]::attr(content)').get(),
                  "".join(sel.css("h1 ::text").getall()), sel.css("title::text").get()):
        if value and squash(value):
            return squash(value)
    return ""


def _published(sel: Selector, css: str | None) -> str | None:
    found = date_from_markup(sel)
    if found:
        return found
    if css:
        for node in sel.css(css):
            text = squash("".join(node.xpath(".//text()").getall())) or node.attrib.get("content", "")
            found = parse_vietnamese(text)
            if found:
                return found
    return None


@lru_cache(maxsize=1)
def related_headings() -> frozenset[str]:
    lines = RELATED_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(fold_query(x) for x in lines if x.strip() and not x.startswith("#"))


def cut_related_box(text: str, sel: Selector) -> str:
    """Cut a trailing "Các tin khác" box (a related-links heading followed only by links)."""
    lines = text.split("\n")
    anchors = {squash(" ".join(a.xpath(".//text()").getall())) for a in sel.css("a[href]")}
    for i in range(len(lines) - 1, 0, -1):
        if fold_query(lines[i].rstrip(" :")) in related_headings():
            rest = [x.lstrip("-•* ").strip() for x in lines[i + 1:]]
            if all(x in anchors for x in rest if x):
                return "\n".join(lines[:i]).rstrip()
            break
    return text


def looks_like_listing(sel: Selector, text: str) -> bool:
    """A page of teasers, not an article: trafilatura may keep teasers as text, but then many of its
    lines are headlines that link to the articles or leads cut short with an ellipsis."""
    anchors = {squash(" ".join(a.xpath(".//text()").getall())) for a in sel.css("a[href]")}
    anchors = {a for a in anchors if len(a) >= 20}
    lines = [line for line in text.split("\n") if line]
    teasers = sum(1 for line in lines if line in anchors or _CUT_SHORT.search(line))
    return teasers >= 3 and teasers >= 0.3 * len(lines)


def compose_text(title: str, body: str) -> str:
    norm = lambda s: " ".join(s.split())  # noqa: E731
    if not title or norm(body).startswith(norm(title)):
        return body
    return f"{title}\n{body}" if body else title


def url_id(url: str) -> str:
    return "u" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def extract_article(body: bytes, url: str, profile: Profile, content_type: str = "",
                    fetched_at: str | None = None) -> Article | None:
    """The article of one stored page (fetched at ``fetched_at``), or None when the page is not an article."""
    if not is_html(content_type, body):
        return None
    cfg = profile.article
    html, _ = decode_html(body, content_type, cfg["fallback_encoding"])
    html = unicodedata.normalize("NFC", html)
    sel = Selector(text=html, base_url=url)
    title = _title(sel, cfg.get("title"))
    published = _published(sel, cfg.get("published"))
    if cfg["extractor"] == "css":
        text = "\n".join(css_paragraphs(sel, cfg["body"], cfg.get("remove") or []))
    else:
        text, meta = _trafilatura(html, url)
        text = cut_related_box(text, sel)
        title = title or meta.get("title") or ""
        if not cfg.get("published"):
            # trafilatura guesses a date from anywhere in the page (an event's date in the body,
            # a copyright year); a profile that says where its dates are is trusted alone.
            published = published or meta.get("date")
    if len(text) < cfg["min_chars"] or (profile.generic and looks_like_listing(sel, text)):
        return None
    text = unicodedata.normalize("NFC", compose_text(title, text))
    return Article(id=profile.article_id(url) or url_id(url), url=url, title=title, published=published, text=text,
                   fetched_at=fetched_at)


_BLOCK_TAGS = ("div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "article", "section")


def unwrap_layout_tables(html: str) -> str:
    """Old Vietnamese portals lay pages out with tables; trafilatura then reads the whole page as one
    table row ("| | ..."). A table whose cells hold blocks (paragraphs, headings, divs) is layout, not
    data: its rows and cells become divs. Data tables (cells of plain text) are kept."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    changed = False
    for table in list(root.iter("table")):
        rows = table.xpath("./tr|./tbody/tr|./thead/tr")
        cells = [c for r in rows for c in r if c.tag in ("td", "th")]
        if any(c.xpath("|".join(f".//{t}" for t in _BLOCK_TAGS)) for c in cells):
            for el in [table, *table.xpath("./tbody|./thead"), *rows, *cells]:
                el.tag = "div"
            changed = True
    return lxml.html.tostring(root, encoding="unicode") if changed else html


def _trafilatura(html: str, url: str) -> tuple[str, dict]:
    import trafilatura

    html = unwrap_layout_tables(html)
    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=True,
                                      favor_precision=True, with_metadata=True, deduplicate=False)
    if doc is None:
        return "", {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = "\n".join(squash(line) for line in (data.get("text") or "").splitlines() if squash(line))
    return text, {"title": data.get("title"), "date": (data.get("date") or "")[:10] or None}
