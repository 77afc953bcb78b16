"""The site in headless Chromium: the citation search page, a programme page with its charts, an article page.

Every request the pages make must go to the site itself (the machines have no internet: charts
have to work offline). Screenshots go to tests/artifacts/publish/."""
from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path

import pytest

from vnfacts.publish.load import load_documents
from vnfacts.publish.programmes import programme_report
from vnfacts.publish.serve import Site
from vnfacts.publish.site.vietnamese import vietnamese_name
from publish_helpers import DECISION_ID


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    yield page
    context.close()
    foreign = [u for u in requests if not u.startswith(site.url) and not u.startswith("data:")]
    assert not foreign, f"the page loaded something from outside the site: {foreign}"


def test_search_page_from_the_home_page(page, site, artifacts):
    page.goto(site.url)
    assert "vnfacts" in page.inner_text("h1")
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
    page.fill("#vn-q", "quyet dinh 1438")
    page.click("form.vn-search button[type=submit]")
    page.wait_for_selector("#vn-results")
    assert "1438" in urllib.parse.unquote(page.url)
    message = page.inner_text("#vn-message")
    assert DECISION_ID in message
    rows = page.query_selector_all("#vn-results .vn-match")
    assert rows
    assert any(r.get_attribute("data-article") == "seed-002" for r in rows)
    assert any("1438/QĐ-TTg" in r.inner_text() for r in rows)
    page.screenshot(path=str(artifacts / "citation-search.png"), full_page=True)


def test_search_page_answers_an_odd_query(page, site, artifacts):
    page.goto(site.url + "-/citations?" + urllib.parse.urlencode({"q": "'; DROP TABLE articles; --"}))
    assert page.inner_text("#vn-message")
    page.goto(site.url + "-/citations?" + urllib.parse.urlencode({"q": "x" * 10_240}))
    assert "tối đa 300" in page.inner_text("#vn-message")  # the limit, said in Vietnamese
    page.screenshot(path=str(artifacts / "citation-search-too-long.png"))


def test_programme_page_draws_its_charts(page, site, db, artifacts):
    busiest = db.execute("SELECT id FROM programmes ORDER BY mentions DESC, id LIMIT 1").fetchone()
    assert busiest is not None, "the corpus yields at least one programme"
    programme = programme_report(db, busiest["id"])["programme"]  # the programme that name is one of
    by_province = len(programme_report(db, busiest["id"])["by_province"])
    page.goto(site.url + "-/programmes")
    page.click(f"a[href='/-/programmes/{programme['id']}']")
    page.wait_for_selector("#chart-by-year svg rect.vn-bar")
    page.wait_for_selector("#chart-by-province svg rect.vn-bar")
    assert page.inner_text("h1") == programme["name"]
    year_bars = page.query_selector_all("#chart-by-year rect.vn-bar")
    province_bars = page.query_selector_all("#chart-by-province rect.vn-bar")
    assert sum(int(b.get_attribute("data-value")) for b in year_bars) == programme["mentions"]
    assert sum(int(b.get_attribute("data-value")) for b in province_bars) == programme["mentions"]
    assert len(province_bars) == by_province
    assert all(float(b.get_attribute("width")) > 0 for b in year_bars + province_bars)
    assert page.query_selector_all("#vn-mentions tbody tr")
    page.screenshot(path=str(artifacts / "programme.png"), full_page=True)


def test_overview_dashboard_draws_offline(page, site, db, artifacts):
    page.goto(site.url + "-/dashboards/overview")
    # vega renders each chart as an SVG with marks; metrics are plain numbers
    page.wait_for_function("document.querySelectorAll('.vega-embed svg .mark-rect path, .vega-embed svg .mark-arc path').length > 0")
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert str(articles) in page.inner_text("body")
    assert len(page.query_selector_all(".vega-embed svg")) >= 4
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)


# Year labels closer than this read as one number ("20132014"): about a space at the axis' 10 px font.
MIN_LABEL_GAP_PX = 4
# The x-axis labels each chart by year draws and shows (Vega hides overlapping ones with opacity 0), as boxes.
YEAR_LABELS_JS = """chart => [...document.querySelectorAll(`#card-${chart} svg .role-axis-label text`)]
    .filter(t => /^\\d{4}$/.test(t.textContent) && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0')
    .map(t => { const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right]; })"""


@pytest.mark.parametrize("width", [1280, 900])
def test_dashboard_year_labels_stand_apart(page, site, db, width):
    """The charts by year label their x axis with years that never touch or overlap (the first and
    last were pushed flush against the axis' ends, beside the next: '20132014', '20252026')."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url + "-/dashboards/overview")
    for chart in ("articles-by-year", "events-by-year"):
        page.wait_for_function(f"document.querySelectorAll('#card-{chart} svg .role-axis-label text').length > 0")
        labels = sorted(page.evaluate(YEAR_LABELS_JS, chart), key=lambda label: label[1])
        assert len(labels) >= 3, (chart, labels)
        years = [int(text) for text, _, _ in labels]
        assert years == sorted(set(years)), (chart, labels)
        gaps = [(a[0], b[0], b[1] - a[2]) for a, b in zip(labels, labels[1:])]
        assert all(gap >= MIN_LABEL_GAP_PX for _, _, gap in gaps), (chart, width, gaps)


def test_dashboard_filter_form_speaks_vietnamese(page, site, db):
    """The dashboard's filter button (datasette-dashboards writes 'Apply') reads 'Lọc' and filters."""
    page.goto(site.url + "-/dashboards/overview")
    button = page.query_selector(".dashboard-filters input[type=submit]")
    assert button.get_attribute("value") == "Lọc"
    assert "Apply" not in page.inner_text("body") and "Apply" not in page.content()
    province, articles = db.execute("SELECT province, count(*) FROM articles WHERE province IS NOT NULL "
                                    "GROUP BY province ORDER BY count(*) DESC, province LIMIT 1").fetchone()
    page.select_option("#province", province)
    button.click()
    page.wait_for_url("**province=*")
    assert page.input_value("#province") == province
    page.wait_for_function("n => [...document.querySelectorAll('#card-articles-count p')]"
                           ".some(p => p.textContent.trim() === String(n))", arg=articles)


AXIS_LABELS_JS = """chart => [...document.querySelectorAll(`#card-${chart} svg .role-axis-label text`)].map(t => t.textContent)"""


def test_dashboard_filters_events_by_their_vietnamese_type(page, site, db):
    """The dashboard's event type filter lists the types by their Vietnamese names (it listed the
    codes: hoi_nghi, ky_ket, ...) and filters by the one chosen; a link made with a code still filters."""
    types = dict(db.execute("SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type"))
    busiest = next(iter(types))
    page.goto(site.url + "-/dashboards/overview")
    options = [o for o in page.eval_on_selector_all("#event_type option", "os => os.map(o => o.textContent)") if o]
    assert sorted(options) == sorted(vietnamese_name(t, "event_types") for t in types)
    assert not set(options) & set(types)
    page.select_option("#event_type", label=vietnamese_name(busiest, "event_types"))
    page.click(".dashboard-filters input[type=submit]")
    for url in (None, site.url + "-/dashboards/overview?event_type=" + urllib.parse.quote(busiest)):
        if url:
            page.goto(url)
        page.wait_for_function("() => document.querySelectorAll('#card-events-by-type svg .role-axis-label text').length > 0")
        shown = page.evaluate(AXIS_LABELS_JS, "events-by-type")
        assert vietnamese_name(busiest, "event_types") in shown
        assert not {vietnamese_name(t, "event_types") for t in types if t != busiest} & set(shown), shown


def test_dashboard_bars_open_the_rows_they_count_under_its_filters(page, site, db):
    """A bar of the charts by year opens its rows with the dashboard's filters the table has (the
    articles of that year in the province chosen, the events of that year of the type chosen):
    it opened every article or event of the year, whatever the filter."""
    province = db.execute("SELECT province FROM articles WHERE province IS NOT NULL AND year IS NOT NULL "
                          "GROUP BY province ORDER BY count(*) DESC, province LIMIT 1").fetchone()[0]
    event_type = db.execute("SELECT type FROM events WHERE year IS NOT NULL GROUP BY type "
                            "ORDER BY count(*) DESC, type LIMIT 1").fetchone()[0]
    cases = [("articles-by-year", {"province": province}, "articles", {"province": [province]},
              "SELECT count(*) FROM articles WHERE year = ? AND province = ?", province),
             ("events-by-year", {"event_type": vietnamese_name(event_type, "event_types")}, "events",
              {"type": [event_type]}, "SELECT count(*) FROM events WHERE year = ? AND type = ?", event_type)]
    for chart, filters, table, kept, count_sql, value in cases:
        page.goto(site.url + "-/dashboards/overview?" + urllib.parse.urlencode(filters))
        page.wait_for_selector(f"#card-{chart} svg .mark-rect path")
        page.query_selector_all(f"#card-{chart} svg .mark-rect path")[0].click()
        page.wait_for_url(f"**/{table}?*")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
        assert {k: query.get(k) for k in kept} == kept, page.url
        year = int(query["year"][0])
        shown = json.loads(page.evaluate("url => fetch(url).then(r => r.text())",
                                         page.url.replace(f"/{table}?", f"/{table}.json?")))
        assert shown["filtered_table_rows_count"] == db.execute(count_sql, (year, value)).fetchone()[0] > 0


ARTICLE_ID = "seed-002"  # facts of every label, an event citing 1438/QĐ-TTg, programmes with pages
# The README shows this screenshot; VNFACTS_UPDATE_DOCS_IMG=1 retakes it (else it goes to the artifacts).
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "article-page.png"


def test_article_page_shows_every_fact(page, site, db, artifacts):
    article = db.execute("SELECT * FROM articles WHERE id = ?", (ARTICLE_ID,)).fetchone()
    facts = db.execute("SELECT label, text, doc_id FROM mentions WHERE article_id = ? ORDER BY start",
                       (ARTICLE_ID,)).fetchall()
    page.goto(site.url + "-/citations?" + urllib.parse.urlencode({"q": "1438/QĐ-TTg"}))
    page.click(f"#vn-results .vn-group[data-article='{ARTICLE_ID}'] a.vn-article-link")
    page.wait_for_selector("#vn-article-text")
    assert page.inner_text("h1") == article["title"]
    assert vietnamese_name(article["date_source"], "date_sources") in page.inner_text("#vn-article-date")

    marks = page.query_selector_all("#vn-article-text mark")
    assert len(marks) == len(facts)
    for mark, fact in zip(marks, facts):
        assert mark.text_content() == fact["text"]
        assert mark.get_attribute("class") == f"vn-{fact['label']}"
        assert mark.get_attribute("title").startswith(vietnamese_name(fact["label"], "labels"))
    # the text shown is the stored text, facts and all
    assert page.text_content("#vn-article-text") == article["text"]

    legend = page.inner_text("#vn-legend")
    for label in {f["label"] for f in facts}:
        assert vietnamese_name(label, "labels") in legend
    cited = page.query_selector("#vn-article-text a[href*='/-/citations?q='] mark.vn-LEGAL_REF")
    assert cited is not None
    assert page.query_selector("#vn-article-text a[href^='/-/programmes/'] mark.vn-PROGRAM") is not None

    card = page.query_selector(".vn-event")
    assert "Sơ kết, tổng kết" in card.query_selector("h3").inner_text()
    assert "1438/QĐ-TTg" in card.inner_text() and "Bình Dương" in card.inner_text()
    # the bundled corpus gives no article's address: the page says where it comes from, links nowhere
    assert page.query_selector("#vn-original") is None
    assert article["source"] in page.inner_text("#vn-article-source")
    page.screenshot(path=str(artifacts / "article-page.png"), full_page=True)
    if os.environ.get("VNFACTS_UPDATE_DOCS_IMG"):
        page.set_viewport_size({"width": 1280, "height": 1100})
        page.screenshot(path=str(DOCS_SCREENSHOT))


def test_article_page_links_to_the_original(browser, tmp_path):
    """An article with an address links to it; one whose address is not http(s) gets no link."""
    documents = [{"id": "with-url", "title": "Hội nghị tập huấn", "url": "https://example.org/bai-goc",
                  "source": "example.org", "licence": "CC BY 4.0",
                  "text": "Ngày 9/5/2017, tại Hà Nội, Bộ Lao động tổ chức hội nghị theo Quyết định số 1438/QĐ-TTg."},
                 {"id": "odd-url", "title": "Bài khác", "url": "javascript:alert(1)", "text": "Tại Hà Nội."}]
    corpus = tmp_path / "two.jsonl"
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    load_documents(tmp_path / "two.db", [corpus])
    with Site(tmp_path / "two.db") as two:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(two.url + "-/articles/with-url")
            link = page.query_selector("#vn-original")
            assert link.get_attribute("href") == "https://example.org/bai-goc"
            assert "example.org" in page.inner_text("#vn-article-source")
            page.goto(two.url + "-/articles/odd-url")
            assert page.query_selector("#vn-original") is None
        finally:
            context.close()
