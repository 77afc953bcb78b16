"""The site's counts read the summary tables (`vnfacts.publish.summaries`) instead of counting the
facts: on a real database they must give what counting the facts gives, for every programme, every
filter of the dashboard and every measure of the map."""
from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import pytest

from vnfacts.extractor.clean import fold_query
from vnfacts.publish.programmes import mention_places
from vnfacts.publish.queries import canned_queries, dashboard_chart_queries, with_filters
from vnfacts.publish.site import prepare_connection
from vnfacts.publish.site.dashboard import OverviewFilters, overview
from vnfacts.publish.site.map_pages import MapQuery, province_counts
from vnfacts.publish.site.vietnamese import stated_date_sources

# The queries as they counted the facts before the summary tables: the reference the site's
# queries must keep giving.
REFERENCE_CANNED = {
    "figures_for_programme": """select p.name as programme, f.text as figure, f.value, f.unit, f.qualifier, f.of_value,
       f.article_id, f.date, f.sentence
from programmes p
cross join mentions m on m.programme_id = p.id
join mentions f on f.article_id = m.article_id and f.sentence_index = m.sentence_index
               and f.label = 'FIGURE'
where p.name_folded like '%' || vn_fold(:programme) || '%'
group by f.id
order by f.article_id, f.position""",
}
REFERENCE_CHARTS = {
    "articles-count": """SELECT count(*) AS count FROM articles WHERE 1 = 1 [[ AND province = :province ]]
[[ AND (:dates = '' OR NOT vn_estimated(date_source)) ]]""",
    "facts-count": """SELECT count(*) AS count FROM mentions m JOIN articles a ON a.id = m.article_id WHERE 1 = 1
[[ AND a.province = :province ]] [[ AND (:dates = '' OR NOT vn_estimated(a.date_source)) ]]""",
    "articles-by-year": """SELECT CAST(year AS TEXT) AS year, count(*) AS articles,
       CASE WHEN vn_estimated(date_source) THEN 'ước tính' ELSE 'bài ghi' END AS dated,
       '{database_path}/articles?year=' || year [[ || '&province=' || :province ]] AS rows
FROM articles WHERE year IS NOT NULL [[ AND province = :province ]]
[[ AND (:dates = '' OR NOT vn_estimated(date_source)) ]]
GROUP BY year, dated ORDER BY year, dated""",
    "events-by-year": """SELECT CAST(e.year AS TEXT) AS year, count(*) AS events,
       '{database_path}/events?year=' || e.year [[ || '&type=' || :event_type ]] AS rows
FROM events e JOIN articles a ON a.id = e.article_id
WHERE e.year IS NOT NULL [[ AND a.province = :province ]] [[ AND e.type = :event_type ]]
[[ AND (:dates = '' OR NOT vn_estimated(a.date_source)) ]]
GROUP BY e.year ORDER BY e.year""",
    "facts-by-label": """SELECT vn_name(m.label, 'labels') AS label, count(*) AS facts,
       '{database_path}/mentions?label=' || m.label AS rows
FROM mentions m JOIN articles a ON a.id = m.article_id WHERE 1 = 1 [[ AND a.province = :province ]]
[[ AND (:dates = '' OR NOT vn_estimated(a.date_source)) ]]
GROUP BY m.label ORDER BY facts DESC""",
    "events-by-type": """SELECT vn_name(e.type, 'event_types') AS type, count(*) AS events,
       '{database_path}/events?type=' || e.type AS rows
FROM events e JOIN articles a ON a.id = e.article_id WHERE 1 = 1 [[ AND a.province = :province ]]
[[ AND e.type = :event_type ]] [[ AND (:dates = '' OR NOT vn_estimated(a.date_source)) ]]
GROUP BY e.type ORDER BY events DESC""",
    "most-cited": """SELECT d.id AS document, count(DISTINCT m.article_id) AS articles,
       '/-/citations?q=' || d.id AS rows
FROM legal_documents d JOIN mentions m ON m.doc_id = d.id JOIN articles a ON a.id = m.article_id
WHERE 1 = 1 [[ AND a.province = :province ]] [[ AND (:dates = '' OR NOT vn_estimated(a.date_source)) ]]
GROUP BY d.id ORDER BY articles DESC, count(*) DESC, d.id LIMIT 15""",
    "programmes-by-province": """SELECT coalesce(a.province, '(không rõ)') AS province, count(*) AS mentions,
       CASE WHEN a.province IS NULL THEN '{database_path}/mentions?label=PROGRAM'
            ELSE '/-/map?measure=programme&era=before' END AS rows
FROM mentions m JOIN articles a ON a.id = m.article_id
WHERE m.label = 'PROGRAM' [[ AND a.province = :province ]]
[[ AND (:dates = '' OR NOT vn_estimated(a.date_source)) ]]
GROUP BY a.province ORDER BY mentions DESC""",
}


@pytest.fixture
def conn(db):
    prepare_connection(db)  # vn_fold, vn_name, vn_estimated, as the site's plugin registers them
    return db


def rows(conn, sql, params=()):
    return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def placed_from_the_facts(conn, written: str) -> list[tuple]:
    """`programme_mentions_by_province` counted from every mention, each placed from the facts
    (events and places of its article) by the programme page's rule (`programmes.mention_places`)."""
    mentions = [dict(zip(("programme", "article_id", "sentence_index", "article_province"), r)) for r in conn.execute(
        "SELECT p.name, m.article_id, m.sentence_index, a.province FROM programmes p"
        " CROSS JOIN mentions m ON m.programme_id = p.id JOIN articles a ON a.id = m.article_id"
        " WHERE p.name_folded LIKE '%' || vn_fold(?) || '%'", (written,))]
    mention_places(conn, mentions)
    counts: Counter = Counter()
    articles: dict[tuple, set] = defaultdict(set)
    for m in mentions:
        key = (m["programme"], m["province"] or "(không rõ)")
        counts[key] += 1
        articles[key].add(m["article_id"])
    return sorted(((p, place, n, len(articles[(p, place)])) for (p, place), n in counts.items()),
                  key=lambda r: (-r[2], r[0], r[1]))


def test_programme_queries_give_what_counting_the_facts_gives(conn):
    names = [r[0] for r in conn.execute("SELECT name FROM programmes")]
    queries = canned_queries()
    assert len(names) > 5
    # every programme by its folded name, a word many share, and one nobody writes
    for written in [fold_query(n) for n in names] + ["chương trình", "trai tim", "khong co chuong trinh nay"]:
        for name, reference in REFERENCE_CANNED.items():
            got, want = rows(conn, queries[name], {"programme": written}), rows(conn, reference, {"programme": written})
            if name == "figures_for_programme":  # one row per figure: the programme named with it may be any
                got, want = [r[1:] for r in got], [r[1:] for r in want]
            assert got == want, (name, written)
        got = rows(conn, queries["programme_mentions_by_province"], {"programme": written})
        assert got == placed_from_the_facts(conn, written), written


def chart_filters(conn):
    provinces = [None] + [r[0] for r in conn.execute("SELECT DISTINCT province FROM articles WHERE province IS NOT NULL")]
    types = [None] + [r[0] for r in conn.execute("SELECT DISTINCT type FROM events WHERE type IS NOT NULL")]
    for province, event_type, dates in itertools.product(provinces, types, ("", "bỏ ngày ước tính")):
        params = {k: v for k, v in {"province": province, "event_type": event_type, "dates": dates}.items() if v}
        yield params


def test_dashboard_charts_give_what_counting_the_facts_gives(conn):
    checked = 0
    for params in chart_filters(conn):
        charts = dashboard_chart_queries(filters=params)
        for name, reference in REFERENCE_CHARTS.items():
            want = rows(conn, with_filters(reference, params).replace("{database_path}", "/DATABASE"), params)
            got = rows(conn, charts[name], params)
            if name in ("facts-by-label", "events-by-type", "programmes-by-province"):  # ties in any order
                got, want = sorted(got), sorted(want)
            assert got == want, (name, params)
            checked += bool(want and want != [(0,)])
    assert checked > 50


def test_the_overview_gives_what_counting_the_facts_gives(conn):
    stated = list(stated_date_sources())
    for params in chart_filters(conn):
        filters = OverviewFilters(params.get("province"), params.get("event_type"), not params.get("dates"))
        got = overview(conn, filters, "/db")
        where, args = ["1 = 1"], []
        if filters.province:
            where.append("a.province = ?")
            args.append(filters.province)
        if not filters.estimates:
            where.append(f"a.date_source IN ({', '.join('?' * len(stated))})")
            args += stated
        a = " AND ".join(where)
        assert (got["articles"], got["undated"]) == tuple(conn.execute(
            f"SELECT count(*), coalesce(sum(a.year IS NULL), 0) FROM articles a WHERE {a}", args).fetchone())
        assert got["facts"] == conn.execute(
            f"SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id WHERE {a}", args).fetchone()[0]
        assert [(c["year"], c["count"]) for c in got["charts"]["articles_by_year"]] == rows(
            conn, f"SELECT a.year, count(*) FROM articles a WHERE {a} AND a.year IS NOT NULL GROUP BY 1 ORDER BY 1", args)
        typed = " AND e.type = ?" if filters.event_type else ""
        assert [(c["year"], c["count"]) for c in got["charts"]["events_by_year"]] == rows(
            conn, f"SELECT e.year, count(*) FROM events e JOIN articles a ON a.id = e.article_id WHERE {a}{typed}"
                  " AND e.year IS NOT NULL GROUP BY 1 ORDER BY 1", args + ([filters.event_type] if typed else []))
    everything = overview(conn, OverviewFilters(), "/db")
    assert everything["provinces"] == sorted((r[0] for r in conn.execute(
        "SELECT DISTINCT province FROM articles WHERE province IS NOT NULL")), key=fold_query)
    assert everything["event_types"] == [r[0] for r in conn.execute(
        "SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY type")]


def test_the_map_counts_what_counting_the_facts_gives(conn):
    stated = list(stated_date_sources())
    programmes = [None] + [r[0] for r in conn.execute("SELECT id FROM programmes ORDER BY mentions DESC LIMIT 10")]
    for estimates in (True, False):
        dates = "" if estimates else f" AND a.date_source IN ({', '.join('?' * len(stated))})"
        args = [] if estimates else stated
        references = [
            ("articles", None, f"SELECT a.province, count(*) FROM articles a WHERE 1 = 1{dates} GROUP BY 1", args),
            ("events", None, f"SELECT e.province, count(*) FROM events e JOIN articles a ON a.id = e.article_id "
                             f"WHERE 1 = 1{dates} GROUP BY 1", args)]
        for programme in programmes:
            which = " AND m.programme_id = ?" if programme else ""
            references.append(("programme", programme,
                               f"SELECT a.province, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
                               f"WHERE m.label = 'PROGRAM'{which}{dates} GROUP BY 1", ([programme] if programme else []) + args))
        for measure, programme, sql, params in references:
            found = province_counts(conn, MapQuery(measure=measure, programme=programme, estimates=estimates))
            want = dict(rows(conn, sql, params))
            assert found.unplaced == want.pop(None, 0) and found.counts == want, (measure, programme, estimates)
            assert want or measure == "programme"
