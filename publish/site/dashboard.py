"""The overview on the home page: what the database holds, counted by year on a continuous axis
(every year from the first to the last, none skipped), with filters (province, event type) and one
switch that leaves out the articles whose date is an estimate (``labels.yaml``
``stated_date_sources``). Every bar links to the rows it counts. ``static/charts.js`` draws the
charts from the JSON this module builds.
"""
from __future__ import annotations

import json
import sqlite3
import urllib.parse
from dataclasses import dataclass

from vnfacts.extractor.clean import fold_query
from vnfacts.publish.site.vietnamese import clipped, is_estimated_date, stated_date_sources

MAX_FILTER_CHARS = 100  # a province name or an event type; longer is no value of either


@dataclass
class OverviewFilters:
    province: str | None = None  # an article's province (before the 2025 merger), as stored
    event_type: str | None = None
    estimates: bool = True  # count articles whose date is an estimate

    @classmethod
    def from_args(cls, args) -> "OverviewFilters":
        def value(name):
            text = (args.get(name) or "").strip()
            return text if 0 < len(text) <= MAX_FILTER_CHARS else None
        return cls(value("province"), value("event_type"), args.get("estimates") != "0")


def _article_conditions(filters: OverviewFilters, alias: str = "a", province: str = "province") -> tuple[list[str], list]:
    """The filters on articles, on the table ``alias`` whose article province column is ``province``."""
    conditions, params = [], []
    if filters.province:
        conditions.append(f"{alias}.{province} = ?")
        params.append(filters.province)
    if not filters.estimates:
        stated = stated_date_sources()
        conditions.append(f"{alias}.date_source IN ({', '.join('?' * len(stated))})")
        params += list(stated)
    return conditions, params


def _where(conditions: list[str]) -> str:
    return (" WHERE " + " AND ".join(conditions)) if conditions else ""


def table_link(database_path: str, table: str, args: dict) -> str:
    return f"{database_path}/{table}?" + urllib.parse.urlencode({k: v for k, v in args.items() if v is not None})


def articles_by_year(conn: sqlite3.Connection, filters: OverviewFilters, database_path: str) -> list[dict]:
    conditions, params = _article_conditions(filters)
    counts: dict[int, list[int]] = {}  # year -> [articles, of which dated by an estimate]
    for year, date_source, n in conn.execute(
            f"SELECT a.year, a.date_source, sum(a.articles) FROM summary_articles a"
            f"{_where(conditions + ['a.year IS NOT NULL'])} GROUP BY a.year, a.date_source", params):
        counts.setdefault(year, [0, 0])[0] += n
        counts[year][1] += n if is_estimated_date(date_source) else 0
    stated = None if filters.estimates else json.dumps(list(stated_date_sources()))
    return [{"year": year, "count": count, "estimated": estimated,
             "href": table_link(database_path, "articles", {"year": year, "province": filters.province,
                                                            "date_source__in": stated})}
            for year, (count, estimated) in sorted(counts.items())]


def events_by_year(conn: sqlite3.Connection, filters: OverviewFilters, database_path: str) -> list[dict]:
    """Events by the year they took place, in the articles the filters keep."""
    conditions, params = _article_conditions(filters, "e", province="article_province")
    if filters.event_type:
        conditions.append("e.type = ?")
        params.append(filters.event_type)
    rows = conn.execute(f"SELECT e.year, sum(e.events) FROM summary_events e"
                        f"{_where(conditions + ['e.year IS NOT NULL'])} GROUP BY e.year ORDER BY e.year",
                        params).fetchall()
    # the events table carries no article province or date source: a link narrows by what it has
    return [{"year": year, "count": count,
             "href": table_link(database_path, "events", {"year": year, "type": filters.event_type})}
            for year, count in rows]


def overview(conn: sqlite3.Connection, filters: OverviewFilters, database_path: str) -> dict:
    """Counts, the charts' series and the filters' choices, for the home page (from the summary
    tables each load keeps: `vnfacts.publish.summaries`)."""
    conditions, params = _article_conditions(filters)
    where = _where(conditions)
    articles, undated = conn.execute(
        f"SELECT coalesce(sum(a.articles), 0), sum(CASE WHEN a.year IS NULL THEN a.articles END) FROM summary_articles a{where}",
        params).fetchone()
    estimated = conn.execute(
        f"SELECT coalesce(sum(a.articles), 0) FROM summary_articles a{_where(conditions + ['a.date_source IS NOT NULL', 'a.date_source NOT IN (' + ', '.join('?' * len(stated_date_sources())) + ')'])}",
        params + list(stated_date_sources())).fetchone()[0]
    facts = conn.execute(f"SELECT coalesce(sum(a.mentions), 0) FROM summary_mentions a{where}", params).fetchone()[0]
    return {
        "filters": filters,
        "articles": articles, "undated": undated or 0, "estimated": estimated, "facts": facts,
        "charts": {"articles_by_year": articles_by_year(conn, filters, database_path),
                   "events_by_year": events_by_year(conn, filters, database_path)},
        "provinces": sorted((r[0] for r in conn.execute("SELECT DISTINCT province FROM summary_articles "
                                                        "WHERE province IS NOT NULL")), key=fold_query),
        "event_types": [r[0] for r in conn.execute("SELECT DISTINCT type FROM summary_events WHERE type IS NOT NULL "
                                                   "ORDER BY type")],
    }


def first_things_to_try(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(what, site path) a newcomer should open first, read from the database: the citation
    search for the document most articles cite (as the articles write it), the most mentioned
    programme, the map of events, and the article reporting most events."""
    tries = [("Trang chủ: tổng quan, biểu đồ theo năm", "/")]
    cited = conn.execute("SELECT m.text FROM legal_documents d JOIN mentions m ON m.doc_id = d.id "
                         "ORDER BY d.articles DESC, d.mentions DESC, d.id, m.id LIMIT 1").fetchone()
    if cited:
        tries.append((f"Tìm theo văn bản: {cited[0]}", "/-/citations?" + urllib.parse.urlencode({"q": cited[0]})))
    programme = conn.execute("SELECT id, name FROM programmes ORDER BY mentions DESC, articles DESC, id LIMIT 1").fetchone()
    if programme:
        tries.append((f"Chương trình: {programme[1]}", "/-/programmes/" + urllib.parse.quote(programme[0], safe="")))
    tries.append(("Bản đồ: sự kiện theo tỉnh, thành", "/-/map?measure=events"))
    article = conn.execute("SELECT id, title FROM articles ORDER BY events DESC, facts DESC, id LIMIT 1").fetchone()
    if article:
        tries.append((f"Bài viết: {clipped(article[1] or article[0], 50)}",
                       "/-/articles/" + urllib.parse.quote(article[0], safe="")))
    return tries
