"""The site in headless Chromium: the citation search page and a programme page with its charts.

Every request the pages make must go to the site itself (the machines have no internet: charts
have to work offline). Screenshots go to tests/artifacts/publish/."""
from __future__ import annotations

import urllib.parse

import pytest

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
    rows = page.query_selector_all("#vn-results tr.vn-match")
    assert rows
    assert any(r.get_attribute("data-article") == "seed-002" for r in rows)
    assert any("1438/QĐ-TTg" in r.inner_text() for r in rows)
    page.screenshot(path=str(artifacts / "citation-search.png"), full_page=True)


def test_search_page_answers_an_odd_query(page, site, artifacts):
    page.goto(site.url + "-/citations?" + urllib.parse.urlencode({"q": "'; DROP TABLE articles; --"}))
    assert page.inner_text("#vn-message")
    page.goto(site.url + "-/citations?" + urllib.parse.urlencode({"q": "x" * 10_240}))
    assert "limit" in page.inner_text("#vn-message")
    page.screenshot(path=str(artifacts / "citation-search-too-long.png"))


def test_programme_page_draws_its_charts(page, site, db, artifacts):
    programme = db.execute("SELECT id, name, mentions FROM programmes ORDER BY mentions DESC, id LIMIT 1").fetchone()
    assert programme is not None, "the corpus yields at least one programme"
    by_province = db.execute("SELECT count(DISTINCT coalesce(a.province, '')) FROM mentions m JOIN articles a "
                             "ON a.id = m.article_id WHERE m.programme_id = ?", (programme["id"],)).fetchone()[0]
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
