"""Search the published facts: by any written form of a citation, else by words.

A query goes through the citation parser (``vnfacts.extractor.cite.parse_citation_query``): ``QĐ 1438``,
``quyet dinh 1438``, ``1438/QĐ-TTg`` and ``Quyết định số 1438`` all name the same decision and give
the same answer: every article sentence and every event that cites the matching document(s). A
query that is not a citation is looked up in the full-text index of facts and articles, folded
(diacritics, case, tone placement, đ/d). Every query gets an :class:`Answer`, never an exception:
empty, too long or wordless queries get a message saying so.

A programme named by its number (``Đề án 1533``, ``de an 1533``) answers with that programme
(the site opens its page) and the citations of the documents approving it.

Results come grouped by article (:attr:`Answer.groups`, one page of them at a time), each match
with the places its matched words stand in its sentence (``highlights``), the venue of its event,
and the province where it happened (:func:`vnfacts.publish.programmes.mention_places`); facets
(year, province, event type, document) count articles and filter (:class:`Filters`), and
:func:`csv_text` writes every match that passes the filters.

The same function serves `vnfacts search` and the site's search page.
"""
from __future__ import annotations

import csv
import heapq
import io
import math
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from typing import Any, Mapping

from vnfacts.extractor.cite import CitationQuery, code_key, parse_programme_query, year_fits
from vnfacts.extractor.clean import clean_text, fold_query
from vnfacts.extractor.document import is_estimated_date
from vnfacts.publish.programmes import matching_programmes, mention_places, programme_groups, programmes_numbered

MAX_QUERY_CHARS = 300  # a citation or a few words; longer input is refused with a message
MAX_RESULTS = 500
PER_PAGE = 20  # articles on a page of results
MAX_RELATED_PROGRAMMES = 10  # programmes whose names hold a word query, listed above its results
EXAMPLES = ("QĐ 1438", "quyet dinh 1438", "1438/QĐ-TTg", "Nghị quyết 57", "Đề án 1533", "quyết định 1438 năm 2018")


@dataclass
class Filters:
    """What the facets keep: each field left None keeps everything."""

    year: str | None = None
    province: str | None = None
    event_type: str | None = None
    doc: str | None = None

    @classmethod
    def from_mapping(cls, args: Mapping[str, Any]) -> "Filters":
        """From request or command-line arguments; empty and over-long values are ignored."""
        values = {f.name: args.get(f.name) for f in fields(cls)}
        return cls(**{k: str(v).strip() for k, v in values.items()
                      if v is not None and str(v).strip() and len(str(v)) <= MAX_QUERY_CHARS})

    def keeps(self, match: dict[str, Any], except_facet: str | None = None) -> bool:
        return self.keeps_values({f: facet_value(match, f) for f in FACETS}, except_facet)

    def keeps_values(self, values: dict[str, str | None], except_facet: str | None = None) -> bool:
        """Like :meth:`keeps`, on a match's facet values already read."""
        for name in FACETS:
            want = getattr(self, name)
            if want is not None and name != except_facet and values[name] != want:
                return False
        return True

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v is not None}


FACETS = tuple(f.name for f in fields(Filters))


def facet_value(match: dict[str, Any], facet: str) -> str | None:
    """A match's value for a facet: its year, province, event type or cited document."""
    if facet == "year":
        return (match.get("date") or "")[:4] or None
    if facet == "doc":
        return match.get("doc_id")
    return match.get(facet)


@dataclass
class Answer:
    """What a query found. ``kind``: citation, programme, text, empty, too_long or no_words.

    ``matches`` holds every match the filters keep; ``groups`` one page of them by article;
    ``facets`` the values of each facet with their count of articles (under the other filters)."""

    query: str
    kind: str
    message: str
    documents: list[dict[str, Any]] = field(default_factory=list)  # legal documents a citation matched
    matches: list[dict[str, Any]] = field(default_factory=list)
    programme: dict[str, Any] | None = None  # the programme a query such as `Đề án 1533` names
    related_programmes: list[dict[str, Any]] = field(default_factory=list)  # programmes whose names hold the words
    filters: dict[str, str] = field(default_factory=dict)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    groups: list[dict[str, Any]] = field(default_factory=list)
    articles: int = 0  # articles the filtered matches stand in
    page: int = 1
    pages: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def parse_citation(query: str):
    """The citation the query names, or None. Uses the project's citation parser."""
    from vnfacts.extractor.cite import parse_citation_query

    try:
        return parse_citation_query(query)
    except (ValueError, TypeError):  # a parser refusing odd input means "not a citation"
        return None


def search(conn: sqlite3.Connection, query: str | None, limit: int = MAX_RESULTS,
           filters: Filters | None = None, page: int = 1, per_page: int = PER_PAGE) -> Answer:
    """Answer ``query`` from the database behind ``conn`` (read-only use): the matches the
    ``filters`` keep, and page ``page`` of them grouped by article."""
    answer = unfiltered_search(conn, query, limit)
    if answer.matches or answer.kind in ("citation", "programme", "text"):
        arrange(conn, answer, filters or Filters(), page, per_page)
    return answer


def unfiltered_search(conn: sqlite3.Connection, query: str | None, limit: int = MAX_RESULTS) -> Answer:
    """Every match of ``query`` (at most ``limit`` of each kind), with highlights, venues and places."""
    query = query or ""
    shown = " ".join(query.split())
    if not shown:
        return Answer(query="", kind="empty",
                      message="Nhập một văn bản (" + ", ".join(EXAMPLES) + ") hoặc vài từ.")
    if len(query) > MAX_QUERY_CHARS:
        return Answer(query=shown[:80] + "…", kind="too_long",
                      message=f"Câu tìm dài {len(query):,} ký tự; tối đa {MAX_QUERY_CHARS}. ".replace(",", ".")
                              + "Nhập một văn bản hoặc vài từ.")
    numbered = parse_programme_query(shown)
    if numbered is not None:
        return programme_search(conn, shown, numbered, limit)
    citation = parse_citation(shown)
    if citation is not None:
        return citation_search(conn, shown, citation, limit)
    return text_search(conn, shown, limit)


def programme_search(conn: sqlite3.Connection, query: str, numbered, limit: int = MAX_RESULTS) -> Answer:
    """`Đề án 1533`: the programme so numbered and the citations of the documents approving it;
    when no programme has that number, the documents with that number."""
    found = programmes_numbered(conn, numbered.keyword, numbered.number)
    if not found:
        answer = citation_search(conn, query, CitationQuery(number=numbered.number), limit)
        answer.message = f"Không có chương trình nào mang số {numbered.number}. " + answer.message
        return answer
    programme = found[0]
    refs = programme["refs"]
    documents = _rows(conn, f"SELECT id, type, number, year, code, issuer, signed, mentions, articles, events"
                            f" FROM legal_documents WHERE id IN ({', '.join('?' * len(refs))})", refs) if refs else []
    answer = citation_search_of(conn, query, documents, limit) if documents else Answer(query=query, kind="programme", message="")
    answer.kind, answer.programme = "programme", {k: programme[k] for k in ("id", "name", "refs", "mentions", "articles")}
    answer.message = (f"{query}: chương trình «{programme['name']}» ({programme['mentions']} lần nhắc đến trong "
                      f"{programme['articles']} bài viết)" + (f", phê duyệt bởi {', '.join(refs)}. " if refs else ". ")
                      + (answer.message if documents else ""))
    return answer


@lru_cache(maxsize=256)
def _cached_citation(query: str):
    return parse_citation(query) if len(query) <= MAX_QUERY_CHARS else None


def document_matches(query: str | None, doc_id: str | None, doc_type: str | None, number: int | None,
                     year: int | None, code: str | None) -> int:
    """1 when the legal document (its columns) is one the written citation ``query`` names, else 0.

    Registered on the site as the SQL function ``vn_cites(query, id, type, number, year, code)``
    so canned queries take any written form of a citation."""
    if not isinstance(query, str) or not query.strip():
        return 0
    if query.strip() == doc_id:
        return 1
    citation = _cached_citation(" ".join(query.split()))
    if citation is None or citation.number != number:
        return 0
    wanted = {"type": None if citation.code else citation.type, "code": code_key(citation.code)}
    have = {"type": doc_type, "code": code_key(code)}
    return int(all(v is None or have[k] == v for k, v in wanted.items()) and year_fits(citation.year, year))


def matching_documents(conn: sqlite3.Connection, citation) -> list[dict[str, Any]]:
    """Legal documents with the citation's number and, where the citation gives them, its type,
    year and code (or exactly its id)."""
    sql = "SELECT id, type, number, year, code, issuer, signed, mentions, articles, events FROM legal_documents WHERE number = ?"
    params: list[Any] = [citation.number]
    for column in ("type", "year", "code"):
        value = getattr(citation, column, None)
        if column == "type" and getattr(citation, "code", None):
            continue  # a full code names the document: `45/2019/QH14` is a Bộ luật or a Luật alike
        if column == "code" and value is not None:  # written with `/` or `-` between its parts alike
            sql += " AND replace(code, '/', '-') = ?"
            params.append(code_key(value))
        elif column == "year" and value is not None:  # the year in its code, else its signing (cite.year_fits)
            sql += " AND (year = ? OR (year IS NULL AND (signed IS NULL OR substr(signed, 1, 4) = ?)))"
            params.extend([value, str(value)])
        elif value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    if getattr(citation, "id", None) and getattr(citation, "code", None) is None:
        sql += " AND id = ?"
        params.append(citation.id)
    sql += " ORDER BY articles DESC, mentions DESC, id"
    return _rows(conn, sql, params)


# A document's citing sentences, newest first, straight from the index (the benchmark shows its plan).
MENTIONS_OF_DOCUMENT = """
    SELECT 'mention' AS kind, m.article_id, m.doc_id, NULL AS event_id, NULL AS event_type,
           m.sentence, m.text AS cited_as, m.date, a.province, a.title, m.start, m.end, m.sentence_index
    FROM mentions m JOIN articles a ON a.id = m.article_id
    WHERE m.doc_id = ?
    ORDER BY m.date DESC, m.article_id DESC, m.position DESC LIMIT ?"""


def _newest_mentions(conn: sqlite3.Connection, ids: list[str], limit: int) -> list[dict[str, Any]]:
    """The mentions of these documents, newest first, at most ``limit``: one index-ordered query
    per document (no sort of every citing sentence of a much-cited decree), merged."""
    per_document = [_rows(conn, MENTIONS_OF_DOCUMENT, [doc_id, limit]) for doc_id in ids]
    key = lambda m: (m["date"] or "", m["article_id"], m["start"])  # noqa: E731 - the sort order above
    return list(heapq.merge(*per_document, key=key, reverse=True))[:limit]


def citation_search(conn: sqlite3.Connection, query: str, citation, limit: int = MAX_RESULTS) -> Answer:
    documents = matching_documents(conn, citation)
    if not documents:
        return Answer(query=query, kind="citation", documents=[],
                      message=f"Không bài viết nào dẫn {_describe(citation)}.")
    return citation_search_of(conn, query, documents, limit, _describe(citation))


def citation_search_of(conn: sqlite3.Connection, query: str, documents: list[dict], limit: int = MAX_RESULTS,
                       described: str | None = None) -> Answer:
    """The events and sentences citing ``documents``, each with its written form marked."""
    described = described or query
    ids = [d["id"] for d in documents]
    marks = ", ".join("?" for _ in ids)
    events = _rows(conn, f"""
        SELECT 'event' AS kind, e.article_id, ed.doc_id, e.id AS event_id, e.type AS event_type,
               e.sentence, coalesce(e.date, a.date) AS date, e.date AS event_date,
               coalesce(e.province, a.province) AS province,
               a.title, e.location, e.province AS venue_province, e.sentence_index
        FROM event_documents ed JOIN events e ON e.id = ed.event_id JOIN articles a ON a.id = e.article_id
        WHERE ed.doc_id IN ({marks})
        ORDER BY coalesce(e.date, a.date) IS NULL, coalesce(e.date, a.date), e.id LIMIT ?""", [*ids, limit])
    mentions = _newest_mentions(conn, ids, limit)
    place_mentions(conn, mentions)
    by_article, every_form = form_patterns(mentions)
    for m in events + mentions:
        m["highlights"] = spans_of(m["sentence"], by_article.get(m["article_id"], every_form))
    matches = events + mentions
    n_articles = len({m["article_id"] for m in matches})
    message = (f"{described}: {len(documents)} văn bản "
               f"({', '.join(ids[:10])}{'…' if len(ids) > 10 else ''}), được dẫn trong {n_articles} "
               f"bài viết và {len(events)} sự kiện.")
    return Answer(query=query, kind="citation", message=message, documents=documents, matches=matches)


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every folded word of ``text`` quoted, all required; None if no word."""
    words = re.findall(r"\w+", fold_query(text))
    return " ".join(f'"{w}"' for w in words[:20]) or None


def text_search(conn: sqlite3.Connection, query: str, limit: int = MAX_RESULTS) -> Answer:
    fts = fts_query(query)
    if fts is None:
        return Answer(query=query, kind="no_words",
                      message="Câu tìm không có từ hay con số nào để tìm, và không phải là một văn bản.")
    facts = _rows(conn, """
        SELECT 'fact' AS kind, m.article_id, m.doc_id, NULL AS event_id, NULL AS event_type, m.label,
               m.text AS fact, m.sentence, a.date, a.province, a.title, m.sentence_index
        FROM mentions_fts JOIN mentions m ON m.rowid = mentions_fts.rowid JOIN articles a ON a.id = m.article_id
        WHERE mentions_fts MATCH ? ORDER BY mentions_fts.rank, m.id LIMIT ?""", [fts, limit])
    articles = _rows(conn, """
        SELECT 'article' AS kind, a.id AS article_id, NULL AS doc_id, NULL AS event_id, NULL AS event_type,
               a.text, a.text_folded, a.date, a.province, a.title, NULL AS sentence_index
        FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
        WHERE articles_fts MATCH ? ORDER BY articles_fts.rank, a.id LIMIT ?""", [fts, limit])
    words = re.findall(r"\w+", fold_query(query))
    for row in articles:
        row["sentence"] = passage(row.pop("text"), words, folded=row.pop("text_folded"))
    place_mentions(conn, facts + articles)
    for m in facts + articles:
        m["highlights"] = word_spans(m["sentence"], words)
    matches = facts + articles
    related = [{"id": p["id"], "name": p["name"], "mentions": p["mentions"]}
               for p in matching_programmes(programme_groups(conn)[0], query)][:MAX_RELATED_PROGRAMMES]
    message = f"Không phải một văn bản; các từ có trong {len(articles)} bài viết và {len(facts)} dữ kiện."
    return Answer(query=query, kind="text", message=message, matches=matches, related_programmes=related)


def _first_hits(folded: str, words: list[str]) -> list[int]:
    return [m.start() for w in words for m in [re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded)] if m]


def passage(text: str, words: list[str], width: int = 160, folded: str | None = None) -> str:
    """The stretch of ``text`` around the first place where its folded form holds the words.

    ``folded``, the article's stored folded text, narrows the work to a window around its first
    hit (folding a whole long article for each result is what made a common word's page slow);
    when the window holds no hit (input whose folding moved the offsets, such as NFD), the whole
    text is read."""
    window_start, window = 0, text
    near = _first_hits(folded, words) if folded and len(text) > 4 * width else []
    if near:
        window_start = max(0, min(near) - 2 * width)
        window = text[window_start:min(near) + 2 * width]
    clean = clean_text(window)
    hits = _first_hits(clean.folded, words)
    if not hits and window_start or len(window) < len(text) and not hits:
        window_start, window, clean = 0, text, clean_text(text)
        hits = _first_hits(clean.folded, words)
    at = min(hits) if hits else 0
    start = max(0, at - width // 2)
    start = clean.folded.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(clean.folded), start + width)
    s, e = (window_start + x for x in clean.to_original(start, end))
    return ("…" if s else "") + " ".join(text[s:e].split()) + ("…" if e < len(text) else "")


def place_mentions(conn: sqlite3.Connection, matches: list[dict[str, Any]]) -> None:
    """Give sentence and article matches the province where they happened (the event told in the
    sentence, the place it names, the article's main event, the article) and the event told in
    their sentence, else the article's main event: its type and venue."""
    for m in matches:
        m["article_province"] = m.get("province")
    mention_places(conn, matches)
    told: dict[tuple, dict] = {}
    articles = sorted({m["article_id"] for m in matches})
    for start in range(0, len(articles), 500):
        chunk = articles[start:start + 500]
        for e in _rows(conn, f"SELECT id, article_id, sentence_index, type, location, province, is_main FROM events"
                             f" WHERE article_id IN ({', '.join('?' * len(chunk))}) ORDER BY position", chunk):
            told.setdefault((e["article_id"], e["sentence_index"]), e)
            if e["is_main"]:
                told.setdefault((e["article_id"], "main"), e)
    for m in matches:
        event = told.get((m["article_id"], m.get("sentence_index"))) or told.get((m["article_id"], "main"))
        m["province"] = m.pop("province") or m["article_province"]
        if event is not None:
            m["event_type"], m["location"] = m.get("event_type") or event["type"], event["location"]
            m["venue_province"] = event["province"]


def form_patterns(mentions: list[dict]) -> tuple[dict[str, re.Pattern], re.Pattern | None]:
    """How the found sentences write the cited documents: a pattern per article of its written
    forms (`Quyết định số 1438/QĐ-TTg`), and one of every form, for an event whose article's
    sentences were not among those found. Longest form first, so a form inside another is not
    marked alone."""
    def pattern(forms):
        return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))) if forms else None

    by_article: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.get("cited_as"):
            by_article[m["article_id"]].add(m["cited_as"])
    return {a: pattern(f) for a, f in by_article.items()}, pattern(set().union(*by_article.values()))


def spans_of(sentence: str | None, pattern: re.Pattern | None) -> list[list[int]]:
    """Where the written forms stand in ``sentence``, as [start, end] offsets."""
    if pattern is None or not sentence:
        return []
    return [[m.start(), m.end()] for m in pattern.finditer(sentence)]


def word_spans(text: str | None, words: list[str]) -> list[list[int]]:
    """Where the folded ``words`` stand in ``text`` (however it writes them: diacritics, case,
    NFD, tone placement), as [start, end] offsets into ``text`` itself."""
    if not text or not words:
        return []
    clean = clean_text(text)
    phrase = r"\s+".join(re.escape(w) for w in words)  # the words together first, then each alone
    pattern = re.compile(r"(?<!\w)(?:" + "|".join([phrase] + [re.escape(w) for w in sorted(set(words), key=len, reverse=True)])
                         + r")(?!\w)")
    return [list(clean.to_original(m.start(), m.end())) for m in pattern.finditer(clean.folded)]


def marked_runs(text: str | None, spans: list[list[int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is marked) at ``spans``: what a page prints with ``<mark>``."""
    text = text or ""
    runs, at = [], 0
    for start, end in spans:
        if start < at or end > len(text):
            continue
        if start > at:
            runs.append((text[at:start], False))
        runs.append((text[start:end], True))
        at = end
    if at < len(text):
        runs.append((text[at:], False))
    return runs


def article_date_sources(conn: sqlite3.Connection, article_ids) -> dict[str, str | None]:
    """Where each of these articles' date comes from (``articles.date_source``)."""
    ids, found = sorted(set(article_ids)), {}
    for at in range(0, len(ids), 500):
        chunk = ids[at:at + 500]
        found.update(conn.execute(f"SELECT id, date_source FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    return found


def mark_estimated_dates(conn: sqlite3.Connection, matches: list[dict[str, Any]]) -> None:
    """Each match's ``date_estimated``: true when the date it shows is its article's and that date
    is an estimate (guide: the article's own date); an event's own date is the one its sentence gives."""
    sources = article_date_sources(conn, (m["article_id"] for m in matches))
    for m in matches:
        own_date = m.pop("event_date", None) is not None
        m["date_estimated"] = bool(m.get("date")) and not own_date and is_estimated_date(sources.get(m["article_id"]))


def arrange(conn: sqlite3.Connection, answer: Answer, filters: Filters, page: int, per_page: int) -> None:
    """Filter ``answer``'s matches, count the facets, and group one page of them by article, each
    date saying whether it is an estimate."""
    mark_estimated_dates(conn, answer.matches)
    every = [(m, {f: facet_value(m, f) for f in FACETS}) for m in answer.matches]
    answer.filters = filters.to_json()
    answer.facets = {facet: facet_counts(every, filters, facet) for facet in FACETS}
    answer.matches = [m for m, values in every if filters.keeps_values(values)]
    by_article: dict[str, list[dict]] = {}
    for m in answer.matches:
        by_article.setdefault(m["article_id"], []).append(m)
    order = list(by_article)
    if answer.kind != "text":  # citations: the newest article first; words: the best ranked first
        newest = {a: max((m["date"] or "" for m in ms), default="") for a, ms in by_article.items()}
        order.sort()
        order.sort(key=newest.__getitem__, reverse=True)  # stable: ties stay in id order; undated last
    answer.articles = len(order)
    answer.pages = max(1, math.ceil(len(order) / per_page)) if order else 0
    answer.page = min(max(1, page), max(1, answer.pages))
    shown = order[(answer.page - 1) * per_page: answer.page * per_page]
    about = {r["id"]: r for r in _rows(conn, f"SELECT id, title, date, date_source, province, url FROM articles WHERE id IN "
                                             f"({', '.join('?' * len(shown))})", shown)} if shown else {}
    answer.groups = [{"article_id": a, "title": about.get(a, {}).get("title"), "date": about.get(a, {}).get("date"),
                      "date_source": about.get(a, {}).get("date_source"),
                      "date_estimated": is_estimated_date(about.get(a, {}).get("date_source")),
                      "province": about.get(a, {}).get("province"), "url": about.get(a, {}).get("url"),
                      "matches": by_article[a]} for a in shown]


def facet_counts(matches: list[tuple[dict, dict]], filters: Filters, facet: str) -> list[dict[str, Any]]:
    """The values of ``facet`` among the matches (each with its facet values) the other filters
    keep, with their count of articles, most first; the selected value is marked."""
    articles: dict[str, set] = defaultdict(set)
    estimated: dict[str, set] = defaultdict(set)  # a year's articles counted by a date that is an estimate
    for m, values in matches:
        value = values[facet]
        if value is not None and filters.keeps_values(values, except_facet=facet):
            articles[value].add(m["article_id"])
            if facet == "year" and m.get("date_estimated"):
                estimated[value].add(m["article_id"])
    selected = getattr(filters, facet)
    counts = Counter({v: len(a) for v, a in articles.items()})
    if facet == "year":
        ordered = sorted(counts, reverse=True)
    else:
        ordered = sorted(counts, key=lambda v: (-counts[v], v))
    return [{"value": v, "articles": counts[v], "selected": v == selected,
             **({"estimated": len(estimated[v])} if facet == "year" else {})} for v in ordered]


CSV_COLUMNS = ("article_id", "title", "date", "date_estimated", "province", "kind", "event_id", "event_type", "location", "doc_id",
               "cited_as", "label", "fact", "sentence", "start", "end")


def csv_text(answer: Answer) -> str:
    """Every match the filters keep, one CSV row each (UTF-8 text; the caller adds a BOM for
    spreadsheets), in the columns :data:`CSV_COLUMNS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for m in answer.matches:
        writer.writerow({c: int(v) if isinstance(v := m.get(c), bool) else v for c in CSV_COLUMNS})  # true: 1
    return out.getvalue()


def _describe(citation) -> str:
    if getattr(citation, "id", None):
        base = citation.id
        return f"{citation.type} {base}" if getattr(citation, "type", None) else base
    parts = [citation.type or "văn bản", str(citation.number)]
    if citation.year:
        parts.append(f"năm {citation.year}")
    return " ".join(parts)


def _rows(conn: sqlite3.Connection, sql: str, params) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
