"""What a person sees, in headless Chromium, on the bundled database: the province map, the home
page's overview and the dashboard (year axes, integer counts, links to the rows, the estimates
switch), Datasette's tables in Vietnamese (folded descriptions, clipped text, figures as written,
documents as written), an event's row page and the article page.

Every request the pages make must go to the site itself. Screenshots go to tests/artifacts/publish/;
with VNFACTS_UPDATE_DOCS_IMG=1 the README's (docs/img/) are taken again."""
from __future__ import annotations

import json
import os
import re
import urllib.parse
from pathlib import Path

import pytest

from vnfacts.publish.serve import database_name
from vnfacts.publish.site.province_map import counts_by_region
from vnfacts.publish.site.vietnamese import stated_date_sources, vietnamese_name, vietnamese_number
from test_publish_browser import page  # noqa: F401  (a fresh context; nothing may load from outside the site)

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(autouse=True)
def no_script_errors(page):
    """On top of the page fixture's check (every request stays on the site): no script fails."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield
    assert not errors, errors


def screenshot(page, artifacts, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=full_page)
    if os.environ.get("VNFACTS_UPDATE_DOCS_IMG"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_IMG / f"{name}.png"), full_page=full_page)


def show_the_table(page) -> None:
    """Scroll so that the screenshot shows the table's first rows (under its facets)."""
    page.evaluate("window.scrollTo(0, document.querySelector('table.rows-and-columns').getBoundingClientRect().top"
                  " + window.scrollY - 120)")


def marks(page) -> dict[str, int]:
    return {m.get_attribute("data-province"): int(m.get_attribute("data-count"))
            for m in page.query_selector_all("#vn-map circle.vn-mark")}


def test_the_map_counts_articles_by_province_after_and_before_the_merger(page, site, db, artifacts):
    page.goto(site.url + "-/map")
    assert page.inner_text("h1") == "Bản đồ: bài viết theo tỉnh, thành"
    assert len(page.query_selector_all("#vn-map g.vn-province")) == 34
    expected = dict(db.execute("SELECT province_today, count(*) FROM articles WHERE province_today IS NOT NULL "
                               "GROUP BY province_today"))
    assert marks(page) == expected
    # every circle shows its count, written beside it, and the table lists the same
    for name, count in expected.items():
        label = page.query_selector(f'#vn-map text.vn-mark-count[data-province="{name}"]')
        assert label.text_content() == vietnamese_number(count)
        assert page.inner_text(f'#vn-map-table tr[data-province="{name}"] td.vn-count') == vietnamese_number(count)
    unplaced = db.execute("SELECT count(*) FROM articles WHERE province IS NULL").fetchone()[0]
    assert f"{unplaced} không rõ tỉnh, thành" in page.inner_text("#vn-map-summary")
    # a bigger count has a bigger circle
    radii = {m.get_attribute("data-province"): float(m.get_attribute("r"))
             for m in page.query_selector_all("#vn-map circle.vn-mark")}
    ranked = sorted(expected, key=expected.get)
    assert radii[ranked[0]] <= radii[ranked[-1]] and expected[ranked[0]] < expected[ranked[-1]]
    screenshot(page, artifacts, "map")

    # the switch to the 63 provinces redraws the map at once
    page.check("input[name=era][value=before]")
    page.wait_for_url(re.compile(r"era=before"))
    assert len(page.query_selector_all("#vn-map g.vn-province")) == 63
    before = dict(db.execute("SELECT province, count(*) FROM articles WHERE province IS NOT NULL GROUP BY province"))
    assert marks(page) == counts_by_region(before, "before")[0]

    # a circle leads to the rows it counts
    busiest = max(expected, key=expected.get)
    page.goto(site.url + "-/map")
    page.click(f'#vn-map a.vn-mark-link:has(circle[data-province="{busiest}"])')
    page.wait_for_selector("table.rows-and-columns")
    assert f"{expected[busiest]} row" in page.inner_text("h3")


def test_the_map_counts_events_and_a_programmes_mentions(page, site, db, artifacts):
    page.goto(site.url + "-/map?measure=events")
    expected = dict(db.execute("SELECT province_today, count(*) FROM events WHERE province_today IS NOT NULL "
                               "GROUP BY province_today"))
    assert marks(page) == expected
    programme = db.execute("SELECT id, name, mentions FROM programmes ORDER BY mentions DESC, id LIMIT 1").fetchone()
    page.select_option("#vn-map-programme", programme["id"])
    page.wait_for_url(re.compile(r"measure=programme"))
    assert "lần nhắc đến chương trình" in page.inner_text("h1")
    by_province = dict(db.execute(
        "SELECT a.province_today, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.programme_id = ? AND a.province_today IS NOT NULL GROUP BY a.province_today", (programme["id"],)))
    assert marks(page) == by_province
    # leaving out estimated dates keeps only the articles that state theirs
    page.goto(site.url + "-/map?estimates=0")
    assert page.is_checked("input[name=estimates]")
    stated = dict(db.execute(
        f"SELECT province_today, count(*) FROM articles WHERE province_today IS NOT NULL AND date_source IN "
        f"({', '.join('?' * len(stated_date_sources()))}) GROUP BY province_today", stated_date_sources()))
    assert marks(page) == stated
    screenshot(page, artifacts, "map-stated-dates")


def year_ticks(page, chart: str) -> list[int]:
    return [int(t.text_content()) for t in page.query_selector_all(f"#{chart} .vn-x-tick")]


def test_the_overview_draws_years_on_a_continuous_axis_with_integer_counts(page, site, db, artifacts):
    page.goto(site.url)
    page.wait_for_selector("#chart-articles-by-year svg rect.vn-column")
    bars = page.query_selector_all("#chart-articles-by-year rect.vn-column")
    expected = dict(db.execute("SELECT year, count(*) FROM articles WHERE year IS NOT NULL GROUP BY year"))
    assert {int(b.get_attribute("data-year")): int(b.get_attribute("data-value")) for b in bars} == expected
    # the axis is continuous: a column's place is proportional to its year, gaps included
    xs = {int(b.get_attribute("data-year")): float(b.get_attribute("x")) for b in bars}
    first, last = min(xs), max(xs)
    per_year = (xs[last] - xs[first]) / (last - first)
    assert all(abs(xs[y] - (xs[first] + (y - first) * per_year)) < 0.01 for y in xs)
    ticks = year_ticks(page, "chart-articles-by-year")
    steps = {b - a for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and ticks[0] >= first and ticks[-1] <= last
    counts = [t.text_content() for t in page.query_selector_all("#chart-articles-by-year .vn-y-tick")]
    assert all(re.fullmatch(r"\d+", c) for c in counts) and counts[0] == "0"
    screenshot(page, artifacts, "home")

    # one switch leaves out estimated dates; a column leads to its rows
    page.check("#vn-no-estimates")
    page.wait_for_url(re.compile(r"estimates=0"))
    page.wait_for_selector("#chart-articles-by-year svg")
    stated = dict(db.execute(f"SELECT year, count(*) FROM articles WHERE year IS NOT NULL AND date_source IN "
                             f"({', '.join('?' * len(stated_date_sources()))}) GROUP BY year", stated_date_sources()))
    shown = {int(b.get_attribute("data-year")): int(b.get_attribute("data-value"))
             for b in page.query_selector_all("#chart-articles-by-year rect.vn-column")}
    assert shown == stated
    year = max(stated, key=stated.get)
    page.click(f'#chart-articles-by-year a:has(rect[data-year="{year}"])')
    page.wait_for_selector("table.rows-and-columns")
    assert f"{stated[year]} row" in page.inner_text("h3")


def test_the_dashboard_has_integer_counts_and_one_tick_a_year(page, site, artifacts):
    page.goto(site.url + "-/dashboards/overview")
    page.wait_for_function("document.querySelectorAll('#chart-articles-by-year svg .mark-rect path').length > 0")
    page.wait_for_function("document.querySelectorAll('#chart-most-cited svg .role-axis-label text').length > 0")
    for chart in ("articles-by-year", "events-by-year"):
        labels = [t.text_content() for t in page.query_selector_all(f"#chart-{chart} svg .role-axis-label text")]
        years = [int(t) for t in labels if re.fullmatch(r"(19|20)\d\d", t)]
        counts = [t for t in labels if not re.fullmatch(r"(19|20)\d\d", t)]
        assert years == sorted(set(years)), labels  # one label a year at most, in order
        assert counts and all(re.fullmatch(r"\d+", c) for c in counts), labels
        assert len(counts) == len(set(counts)), labels  # no 0.5 tick printed as a second "1"
    facts_axis = [t.text_content() for t in page.query_selector_all("#chart-facts-by-label svg .role-axis-label text")]
    assert vietnamese_name("LEGAL_REF", "labels") in facts_axis and "LEGAL_REF" not in facts_axis
    screenshot(page, artifacts, "dashboard")


def test_tables_fold_descriptions_clip_text_and_print_vietnamese(page, site, corpus_db, db, artifacts):
    name = database_name(corpus_db)
    page.goto(f"{site.url}{name}/articles")
    assert page.query_selector("details.vn-column-descriptions summary").inner_text().startswith("Mô tả các cột")
    assert not page.is_visible("dl.column-descriptions")  # folded until asked
    texts = [c.inner_text() for c in page.query_selector_all("table.rows-and-columns td.col-text")]
    assert texts and all(len(t) <= 161 for t in texts)
    assert any(t.endswith("…") for t in texts)
    longest = db.execute("SELECT id, text, title FROM articles ORDER BY length(title) DESC LIMIT 1").fetchone()
    title = page.query_selector(f'td.col-title a[href="/-/articles/{longest["id"]}"]')
    assert len(title.inner_text()) <= 120 and title.get_attribute("title") == longest["title"]
    show_the_table(page)
    screenshot(page, artifacts, "table-articles", full_page=False)
    # the row page shows the whole text
    page.goto(f"{site.url}{name}/articles/{longest['id']}")
    assert page.text_content("td.col-text") == longest["text"]

    # figures as written, labels and qualifiers in Vietnamese, facets too
    page.goto(f"{site.url}{name}/mentions?label=FIGURE&_sort=id")
    rows = json.loads(page.context.request.get(f"{site.url}{name}/mentions.json?label=FIGURE&_sort=id&_shape=array").text())
    values = [c.inner_text() for c in page.query_selector_all("td.col-value")]
    assert values == [vietnamese_number(r["value"]) if r["value"] is not None else "\u00a0" for r in rows][:len(values)]
    assert not any(re.search(r"\d\.0$", v) for v in values)
    assert any("." in v and v.replace(".", "").isdigit() for v in values)  # a thousands separator
    assert all(c.inner_text().startswith(vietnamese_name("FIGURE", "labels")) for c in page.query_selector_all("td.col-label"))
    assert "Số liệu" in page.inner_text("#facet-label")
    qualified = [c.inner_text() for c in page.query_selector_all("td.col-qualifier") if c.inner_text().strip()]
    assert qualified and all(q.split()[0] in {"hơn", "dưới", "tới", "khoảng"} for q in qualified)
    page.goto(f"{site.url}{name}/mentions?label=FIGURE&_sort=id&_col=article_id&_col=text&_col=value&_col=unit"
              "&_col=qualifier&_col=sentence")
    show_the_table(page)
    screenshot(page, artifacts, "table-figures", full_page=False)

    page.goto(f"{site.url}{name}/events")
    cells = page.query_selector_all("td.col-type")
    assert cells
    for cell in cells:  # the Vietnamese name, the code kept beside it
        code = cell.query_selector("code.vn-code").inner_text()
        assert cell.query_selector(".vn-coded").inner_text() == vietnamese_name(code, "event_types") != code
    assert "Sơ kết, tổng kết" in page.inner_text("#facet-type")


def test_documents_show_the_form_people_write(page, site, corpus_db, artifacts):
    name = database_name(corpus_db)
    page.goto(f"{site.url}{name}/legal_documents")
    cell = next(c for c in page.query_selector_all("td.col-id") if c.inner_text().startswith("2/2017/TT-BYT"))
    assert cell.inner_text() == "2/2017/TT-BYT (02/2017/TT-BYT)"
    show_the_table(page)
    screenshot(page, artifacts, "table-documents", full_page=False)
    page.goto(f"{site.url}{name}/mentions?doc_id=2%2F2017%2FTT-BYT")
    assert all(c.inner_text() == "2/2017/TT-BYT (02/2017/TT-BYT)" for c in page.query_selector_all("td.col-doc_id"))
    page.click("td.col-doc_id a")
    page.wait_for_url(re.compile("legal_documents"))


def test_an_events_row_page_shows_its_organizers_and_documents(page, site, corpus_db, db, artifacts):
    event = db.execute("SELECT e.id, e.type FROM events e WHERE EXISTS (SELECT 1 FROM event_documents d WHERE d.event_id = e.id) "
                       "AND EXISTS (SELECT 1 FROM event_organizers o WHERE o.event_id = e.id) ORDER BY e.id LIMIT 1").fetchone()
    organizers = [r[0] for r in db.execute("SELECT name FROM event_organizers WHERE event_id = ? ORDER BY position", (event["id"],))]
    documents = [r[0] for r in db.execute("SELECT doc_id FROM event_documents WHERE event_id = ? ORDER BY doc_id", (event["id"],))]
    page.goto(f"{site.url}{database_name(corpus_db)}/events?id={urllib.parse.quote(event['id'])}")
    page.click("td.col-id a")
    page.wait_for_selector("#vn-event-links")
    assert page.inner_text("#vn-event-organizers") == "; ".join(organizers)
    assert [a.inner_text() for a in page.query_selector_all("#vn-event-documents a")] == documents
    assert vietnamese_name(event["type"], "event_types") in page.inner_text("#vn-event-links h2")
    assert vietnamese_name(event["type"], "event_types") in page.inner_text("td.col-type")
    screenshot(page, artifacts, "event-row")


def test_a_sentence_long_title_is_clipped_beside_each_of_its_rows(page, site, corpus_db, db):
    longest = db.execute("SELECT id, title FROM articles ORDER BY length(title) DESC LIMIT 1").fetchone()
    page.goto(f"{site.url}{database_name(corpus_db)}/mentions?article_id={urllib.parse.quote(longest['id'])}")
    cells = page.query_selector_all("td.col-article_id")
    assert cells
    for cell in cells:
        link = cell.query_selector("a")
        assert len(link.inner_text()) <= 120 and link.get_attribute("title") == longest["title"]
        assert cell.query_selector("em").inner_text() == longest["id"]
    link.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert longest["id"] in page.inner_text("h1")


def test_the_article_page_names_source_licence_original_and_date_provenance(page, site, db, artifacts):
    article = db.execute("SELECT * FROM articles WHERE url LIKE 'https://github.com/%' ORDER BY events DESC, id LIMIT 1").fetchone()
    page.goto(site.url + "-/articles/" + article["id"])
    assert page.inner_text("h1") == article["title"]
    assert article["source"] in page.inner_text("#vn-article-source")
    assert page.get_attribute("#vn-original", "href") == article["url"]
    assert article["licence"] in page.inner_text(".vn-article-meta")
    if article["date"]:
        shown = page.inner_text("#vn-article-date")
        assert vietnamese_name(article["date_source"], "date_sources") in shown
        assert "/".join(reversed(article["date"].split("-"))) in shown
    screenshot(page, artifacts, "article-source", full_page=False)
    # the sentence-long title of the bundled corpus is clipped where titles are listed and as a heading
    long = db.execute("SELECT id, title FROM articles ORDER BY length(title) DESC LIMIT 1").fetchone()
    assert len(long["title"]) > 300
    page.goto(site.url + "-/articles/" + long["id"])
    assert len(page.inner_text("h1")) <= 120 and page.get_attribute("h1", "title") == long["title"]
    assert len(page.title()) <= 120


def test_charts_js_years_gaps_and_links(page, site):
    """The site's chart script on a page of its own: 2001 and 2009 stand eight years apart, a count
    of 1 gets the ticks 0 and 1 only, and bars with an address are links."""
    data = {"years": [{"year": 2001, "count": 1, "href": "/a?year=2001"}, {"year": 2009, "count": 1, "href": "/a?year=2009"}],
            "bars": [{"label": "Hà Nội", "mentions": 3, "articles": 2, "href": "/m?p=1"},
                     {"label": "Huế", "mentions": 1, "articles": 1}]}
    page.goto(site.url + "-/map")  # any page of the site, so that the script loads from the site itself
    page.set_content(
        f'<script type="application/json" id="vn-chart-data">{json.dumps(data)}</script>'
        '<div class="vn-chart" id="y" data-kind="years" data-series="years" data-unit="bài"></div>'
        '<div class="vn-chart" id="b" data-series="bars"></div>'
        f'<script src="{site.url}-/static-plugins/vnfacts/charts.js"></script>')
    page.wait_for_selector("#y svg rect.vn-column")
    assert year_ticks(page, "y") == list(range(2001, 2010))
    columns = {int(c.get_attribute("data-year")): float(c.get_attribute("x")) for c in page.query_selector_all("#y rect.vn-column")}
    ticks = {int(t.text_content()): float(t.get_attribute("x")) for t in page.query_selector_all("#y .vn-x-tick")}
    assert ticks[2009] - ticks[2001] == pytest.approx(8 * (ticks[2002] - ticks[2001]))
    assert columns[2009] - columns[2001] == pytest.approx(ticks[2009] - ticks[2001])
    assert [t.text_content() for t in page.query_selector_all("#y .vn-y-tick")] == ["0", "1"]
    assert [a.get_attribute("href") for a in page.query_selector_all("#y a.vn-column-link")] == ["/a?year=2001", "/a?year=2009"]
    assert [a.get_attribute("href") for a in page.query_selector_all("#b a.vn-bar-link")] == ["/m?p=1"]
    assert len(page.query_selector_all("#b rect.vn-bar")) == 2
