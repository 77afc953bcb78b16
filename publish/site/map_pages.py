"""The map page, ``/-/map``: articles, events or programme mentions counted by province, on the
provinces before or after the 2025 merger (``publish/site/province_map.py`` draws it).

Query string: ``measure`` (articles, events, programme), ``programme`` (a programme id, with
``measure=programme``; none counts every programme), ``era`` (after, before) and ``estimates=0``
to leave out articles whose date is an estimate. Each province's circle links to its rows.
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.parse
from dataclasses import dataclass, field

from vnfacts.publish.site.province_map import ERAS, counts_by_region, province_map_svg, province_shapes, region_of
from vnfacts.publish.site.vietnamese import stated_date_sources, vietnamese_name

MEASURES = ("articles", "events", "programme")


@dataclass
class MapQuery:
    """What a visitor asked the map for, each value checked (anything unknown falls back to the default)."""
    measure: str = "articles"
    era: str = "after"
    programme: str | None = None
    estimates: bool = True  # count articles whose date is an estimate

    @classmethod
    def from_args(cls, args) -> "MapQuery":
        measure = args.get("measure") if args.get("measure") in MEASURES else "articles"
        era = args.get("era") if args.get("era") in ERAS else "after"
        programme = (args.get("programme") or "").strip()[:200] or None
        return cls(measure, era, programme if measure == "programme" else None, args.get("estimates") != "0")

    def query_string(self, **changes) -> str:
        values = {"measure": self.measure, "era": self.era, "programme": self.programme,
                  "estimates": None if self.estimates else "0", **changes}
        return urllib.parse.urlencode({k: v for k, v in values.items() if v is not None})


@dataclass
class ProvinceCounts:
    """Counts by province as stored (names before the merger), and the rows with no province."""
    counts: dict[str, int] = field(default_factory=dict)
    unplaced: int = 0


def _date_filter(query: MapQuery, alias: str) -> tuple[str, list]:
    if query.estimates:
        return "", []
    stated = stated_date_sources()
    return f" AND {alias}.date_source IN ({', '.join('?' * len(stated))})", list(stated)


def province_counts(conn: sqlite3.Connection, query: MapQuery) -> ProvinceCounts:
    """What ``query`` counts, by the province stored with each row: an article's province, an
    event's, or, for programme mentions, the province of the article that mentions them (from the
    summary tables each load keeps: `vnfacts.publish.summaries`)."""
    dates, params = _date_filter(query, "s")
    if query.measure == "articles":
        sql = f"SELECT s.province, sum(s.articles) FROM summary_articles s WHERE 1 = 1{dates} GROUP BY s.province"
    elif query.measure == "events":
        sql = f"SELECT s.province, sum(s.events) FROM summary_events s WHERE 1 = 1{dates} GROUP BY s.province"
    elif query.programme:
        params = [query.programme] + params
        sql = (f"SELECT s.province, sum(s.mentions) FROM summary_programme_mentions s "
               f"WHERE s.programme_id = ?{dates} GROUP BY s.province")
    else:
        sql = (f"SELECT s.province, sum(s.mentions) FROM summary_mentions s "
               f"WHERE s.label = 'PROGRAM'{dates} GROUP BY s.province")
    found = ProvinceCounts()
    for province, count in conn.execute(sql, params):
        if province is None:
            found.unplaced += count
        else:
            found.counts[province] = count
    return found


def programme_choices(conn: sqlite3.Connection) -> list[dict]:
    """The programmes a visitor can map, the most mentioned first."""
    cursor = conn.execute("SELECT id, name, mentions FROM programmes ORDER BY mentions DESC, name LIMIT 500")
    return [{"id": r[0], "name": r[1], "mentions": r[2]} for r in cursor]


def rows_link(database_path: str, query: MapQuery, stored_names: list[str]) -> str:
    """The table rows behind a province's count: ``database_path`` is the database's URL path."""
    column = "province_today" if query.era == "after" else "province"
    names = sorted(set(stored_names))
    if query.era == "after":
        names = sorted({region_of(n, "after") for n in names})
    where = {column: names[0]} if len(names) == 1 else {f"{column}__in": json.dumps(names, ensure_ascii=False)}
    if not query.estimates:
        where["date_source__in"] = json.dumps(list(stated_date_sources()))
    if query.measure == "articles":
        return f"{database_path}/articles?" + urllib.parse.urlencode(where)
    if query.measure == "events":
        where.pop("date_source__in", None)  # the events table has no date_source: the count says which
        return f"{database_path}/events?" + urllib.parse.urlencode(where)
    # programme mentions: the mentions of the articles of that province
    conditions = [f"{column} IN ({', '.join(sql_literal(n) for n in names)})"]
    if not query.estimates:
        conditions.append(f"date_source IN ({', '.join(sql_literal(s) for s in stated_date_sources())})")
    articles = "article_id IN (SELECT id FROM articles WHERE " + " AND ".join(conditions) + ")"
    args = {"label": "PROGRAM", "_where": articles}
    if query.programme:
        args["programme_id"] = query.programme
    return f"{database_path}/mentions?" + urllib.parse.urlencode(args)


def sql_literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


async def map_page_context(datasette, db, query: MapQuery) -> dict:
    """Everything ``vnfacts_map.html`` shows for ``query`` on the database ``db``."""
    found = await db.execute_fn(lambda conn: province_counts(conn, query))
    programmes = await db.execute_fn(programme_choices)
    known = query.programme is None or bool(await db.execute_fn(lambda conn: conn.execute(
        "SELECT 1 FROM programmes WHERE id = ?", (query.programme,)).fetchone()))
    # The shapes take a second or two to build the first time: not in the server's event loop.
    await asyncio.get_running_loop().run_in_executor(None, province_shapes, query.era)
    regions, unknown_names = counts_by_region(found.counts, query.era)
    stored_by_region: dict[str, list[str]] = {}
    for name in found.counts:
        region = region_of(name, query.era)
        if region is not None:
            stored_by_region.setdefault(region, []).append(name)
    database_path = datasette.urls.database(db.name)
    links = {region: rows_link(database_path, query, names) for region, names in stored_by_region.items()}
    unit = vietnamese_name(query.measure, "measures")
    svg = province_map_svg(found.counts, query.era, href=links.get, unit=unit,
                           label=f"{unit} theo tỉnh, thành ({vietnamese_name(query.era, 'eras')})")
    ranked = sorted(regions.items(), key=lambda item: (-item[1], item[0]))
    return {"query": query, "svg": svg, "ranked": ranked, "links": links, "unit": unit,
            "unplaced": found.unplaced + unknown_names, "total": sum(found.counts.values()) + found.unplaced,
            "programmes": programmes, "programme_known": known, "measures": MEASURES, "eras": ERAS,
            "provinces": len(province_shapes(query.era).regions)}
