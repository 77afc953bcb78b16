"""Issue #15 on the pages people read, in headless Chromium: every date the site shows that is an
estimate (an article's date it did not state: `date_source` first_date, lead_year, dated_facts) is
marked as one (`.vn-date.vn-estimated`, "ước tính", where it comes from in the tooltip), and no
stated date is: the citation search's articles and matches, a programme's mentions, figures and
chart of mentions by year (its estimated share drawn apart), with the switch that leaves the
estimates out. Screenshots go to tests/artifacts/publish/."""
from __future__ import annotations

import urllib.parse

import pytest

from vnfacts.publish.site import prepare_connection
from vnfacts.publish.site.vietnamese import is_estimated_date, vietnamese_date, vietnamese_name


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def date_sources(db) -> dict[str, str | None]:
    prepare_connection(db)  # the site's SQL functions (vn_estimated), for the queries below
    return dict(db.execute("SELECT id, date_source FROM articles"))


def shown_date(element) -> tuple[str, bool, str | None] | None:
    """(the date as written, marked as an estimate, its tooltip) of a `.vn-date` inside ``element``."""
    date = element.query_selector(".vn-date")
    if date is None:
        return None
    return date.get_attribute("data-date"), "vn-estimated" in date.get_attribute("class"), date.get_attribute("title")


def drawn_estimates(page, chart: str, key: str) -> dict[str, int]:
    """The estimated share each bar or column of ``chart`` draws apart, by its attribute ``key``."""
    return dict(page.eval_on_selector_all(
        f"#{chart} .vn-bar-estimated", f"parts => parts.map(p => [p.getAttribute('{key}'), +p.getAttribute('data-value')])"))


def leave_estimates_out(page, form: str, checkbox: str, chart: str) -> None:
    """Tick the switch that leaves out articles whose date is an estimate, and send the form: the
    chart drawn again draws no estimated share."""
    page.check(checkbox)
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f"#{chart} svg")
    assert "estimates=0" in page.url
    assert page.query_selector_all(f"#{chart} .vn-bar-estimated") == []


def test_the_citation_search_marks_the_estimated_dates(page, site, db, artifacts):
    sources = date_sources(db)
    # the document most cited by articles whose date is an estimate, and by some that state theirs
    doc_id = db.execute(
        "SELECT m.doc_id FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.doc_id IS NOT NULL"
        " GROUP BY m.doc_id HAVING sum(vn_estimated(a.date_source)) > 0 ORDER BY count(DISTINCT m.article_id) DESC, m.doc_id"
        " LIMIT 1").fetchone()[0]
    page.goto(site.url + "-/citations?" + urllib.parse.urlencode({"q": doc_id}))
    groups = page.query_selector_all("#vn-results .vn-group")
    assert groups
    seen = set()
    for group in groups:
        article = group.get_attribute("data-article")
        row = db.execute("SELECT date, date_source FROM articles WHERE id = ?", (article,)).fetchone()
        date, estimated, tooltip = shown_date(group.query_selector(".vn-meta")) or (None, False, None)
        assert (date, estimated) == (row["date"], is_estimated_date(row["date_source"])), article
        if estimated:
            assert tooltip == vietnamese_name(row["date_source"], "date_sources")
            assert "(ước tính)" in group.query_selector(".vn-meta").inner_text()
            assert vietnamese_date(row["date"]) in group.query_selector(".vn-meta").inner_text()
        seen.add(estimated)
        for match in group.query_selector_all(".vn-match"):
            found = shown_date(match.query_selector(".vn-what"))
            if found is None:
                continue
            event = match.get_attribute("data-event")
            own = db.execute("SELECT date FROM events WHERE id = ?", (event,)).fetchone()[0] if event else None
            assert found[1] == (own is None and is_estimated_date(sources[article])), (article, event)
    assert seen == {True, False}, "the corpus has cited articles of both kinds of date"
    # the year facet says how many of each year's articles are counted there by an estimate
    expected = dict(db.execute(
        "SELECT year, count(DISTINCT article_id) FROM ("
        " SELECT substr(a.date, 1, 4) AS year, a.id AS article_id FROM mentions m JOIN articles a ON a.id = m.article_id"
        "  WHERE m.doc_id = ? AND vn_estimated(a.date_source)"
        " UNION SELECT substr(a.date, 1, 4), a.id FROM event_documents ed JOIN events e ON e.id = ed.event_id"
        "  JOIN articles a ON a.id = e.article_id WHERE ed.doc_id = ? AND e.date IS NULL AND vn_estimated(a.date_source))"
        " GROUP BY year", (doc_id, doc_id)))
    shown = {li.get_attribute("data-value"): li.query_selector(".vn-estimated")
             for li in page.query_selector_all(".vn-facet[data-facet=year] li")}
    assert expected and {y: e.inner_text() for y, e in shown.items() if e} == {y: f"({n} ước tính)" for y, n in expected.items()}
    page.screenshot(path=str(artifacts / "estimated-dates-citations.png"), full_page=True)


def programme_with_estimated_dates(db) -> str:
    return db.execute(
        "SELECT programme_id FROM programme_places GROUP BY programme_id"
        " HAVING sum(vn_estimated(date_source)) > 0"
        " ORDER BY sum(mentions) DESC, programme_id LIMIT 1").fetchone()[0]


def test_a_programme_page_marks_its_estimated_dates_and_can_leave_them_out(page, site, db, artifacts):
    from vnfacts.publish.programmes import programme_report

    sources = date_sources(db)
    slug = programme_with_estimated_dates(db)
    report = programme_report(db, slug)
    page.goto(site.url + "-/programmes/" + urllib.parse.quote(report["programme"]["id"]))
    page.wait_for_selector("#chart-by-year svg")

    rows = page.query_selector_all("#vn-mentions tbody tr")
    assert len(rows) == len(report["mentions"])
    marked = []
    for row, mention in zip(rows, report["mentions"]):
        assert row.get_attribute("data-mention") == mention["id"]
        date, estimated, _ = shown_date(row) or (None, False, None)
        assert (date, estimated) == (mention["date"], bool(mention["date"]) and is_estimated_date(sources[mention["article_id"]]))
        marked.append(estimated)
    assert any(marked)
    for row, figure in zip(page.query_selector_all("#vn-figures tbody tr"), report["figures"]):
        found = shown_date(row)
        assert (found[1] if found else False) == (figure["year"] is not None and is_estimated_date(sources[figure["article_id"]]))

    # the chart by year: each year's share of mentions in articles with an estimated date, drawn apart
    expected = {str(r["label"]): r["estimated"] for r in report["by_year"] if r["estimated"]}
    assert expected and sum(expected.values()) == sum(
        n for (n,) in db.execute("SELECT mentions FROM programme_places WHERE programme_id IN "
                                 f"({', '.join('?' * len(report['programme']['names']))}) AND vn_estimated(date_source)",
                                 [n["id"] for n in report["programme"]["names"]]))
    assert drawn_estimates(page, "chart-by-year", "data-label") == expected
    assert "ước tính" in page.inner_text("#vn-by-year-estimated")
    page.screenshot(path=str(artifacts / "estimated-dates-programme.png"), full_page=True)

    # leaving the estimates out: no year of the chart counts them, the dates stay marked
    leave_estimates_out(page, "#vn-programme-filters", "#vn-programme-filters input[name=estimates]", "chart-by-year")
    assert page.is_checked("#vn-programme-filters input[name=estimates]")
    assert [bool(r.query_selector(".vn-date.vn-estimated")) for r in page.query_selector_all("#vn-mentions tbody tr")] == marked


def test_the_facts_table_marks_the_date_of_an_article_that_estimates_it(page, site, db, corpus_db, artifacts):
    """The facts table's `date` and `year` are their article's: marked where that is an estimate,
    left as Datasette shows them where the article states it."""
    from vnfacts.publish.serve import database_name

    sources = date_sources(db)
    estimated = next(a for a, s in sorted(sources.items()) if is_estimated_date(s))
    stated = next(a for a, s in sorted(sources.items()) if s and not is_estimated_date(s))
    for article, marked in ((estimated, True), (stated, False)):
        page.goto(site.url + database_name(corpus_db) + "/mentions?" + urllib.parse.urlencode({"article_id": article}))
        cells = page.query_selector_all("table.rows-and-columns td.col-date, table.rows-and-columns td.col-year")
        assert cells, article
        assert {bool(c.query_selector(".vn-date.vn-estimated")) for c in cells} == {marked}, article
        if marked:
            assert all("(ước tính)" in c.inner_text() for c in cells)
            assert cells[0].query_selector(".vn-date").get_attribute("title") == vietnamese_name(sources[article], "date_sources")
            page.screenshot(path=str(artifacts / "estimated-dates-facts-table.png"), full_page=False)


def test_the_home_page_draws_each_year_s_estimated_articles_apart(page, site, db, artifacts):
    """The overview's columns of articles by year: the share whose date is an estimate drawn at the
    top of each column (as many as the articles say), none once the switch leaves them out."""
    date_sources(db)
    expected = dict(db.execute("SELECT CAST(year AS TEXT), count(*) FROM articles WHERE year IS NOT NULL"
                               " AND vn_estimated(date_source) GROUP BY year"))
    assert expected
    page.goto(site.url)
    page.wait_for_selector("#chart-articles-by-year svg")
    assert drawn_estimates(page, "chart-articles-by-year", "data-year") == expected
    assert "ước tính" in page.inner_text("#vn-articles-by-year-estimated")
    page.screenshot(path=str(artifacts / "estimated-dates-home.png"), full_page=False)
    leave_estimates_out(page, "#vn-overview-form", "#vn-no-estimates", "chart-articles-by-year")
    assert page.query_selector("#vn-articles-by-year-estimated") is None
