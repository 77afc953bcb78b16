"""The search and programme pages in headless Chromium, as a person uses them: grouped results with
the cited words marked, facets that filter, the CSV download, the programme list and a programme's
page. Screenshots go to tests/artifacts/publish/; VNFACTS_UPDATE_DOCS_IMG=1 retakes the README's
(docs/img/)."""
from __future__ import annotations

import csv
import io
import os
import urllib.parse
from pathlib import Path

import pytest

from vnfacts.extractor.clean import fold_query
from vnfacts.publish.programmes import programme_groups, programme_report
from vnfacts.publish.search import Filters, search
from vnfacts.publish.site.vietnamese import vietnamese_sort_key

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
CLUBS = "de-an-nhan-rong-mo-hinh-cau-lac-bo-lien-the-he-tu-giup-nhau"  # Đề án 1533's programme


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    yield page
    context.close()
    foreign = [u for u in requests if not u.startswith(site.url) and not u.startswith("data:")]
    assert not foreign, f"the page loaded something from outside the site: {foreign}"


def screenshot(page, artifacts, name, in_readme=True):
    page.screenshot(path=str(artifacts / name), full_page=True)
    if in_readme and os.environ.get("VNFACTS_UPDATE_DOCS_IMG"):
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS_IMG / name))


def search_page(site, **params) -> str:
    return site.url + "-/citations?" + urllib.parse.urlencode(params)


def test_results_grouped_by_article_with_marked_citations(page, site, db, artifacts):
    query = "Nghị định 56/2017"
    answer = search(db, query)
    page.goto(site.url)
    page.fill("#vn-q", "nghi dinh  56/2017")  # without diacritics, an extra space: the same answer
    page.click("form.vn-search button[type=submit]")
    page.wait_for_selector("#vn-results")
    groups = page.query_selector_all("#vn-results .vn-group")
    assert [g.get_attribute("data-article") for g in groups] == [g["article_id"] for g in answer.groups]
    for group, expected in zip(groups, answer.groups):
        assert len(group.query_selector_all("h3")) == 1  # one title per article
        assert group.query_selector("h3").inner_text() == (expected["title"] or expected["article_id"])
        matches = group.query_selector_all(".vn-match")
        assert len(matches) == len(expected["matches"])
        for shown, m in zip(matches, expected["matches"]):
            marks = [mk.inner_text() for mk in shown.query_selector_all(".vn-sentence mark")]
            if m["kind"] == "mention":
                assert m["cited_as"] in marks
            assert shown.query_selector(".vn-sentence").text_content() == m["sentence"]  # the sentence whole
    assert "56/2017/NĐ-CP" in page.inner_text("#vn-documents")
    page.set_viewport_size({"width": 1280, "height": 1000})
    screenshot(page, artifacts, "citation-search.png")


def test_an_event_shows_its_venue(page, site, db):
    page.goto(search_page(site, q="quyết định 1438 năm 2018"))
    event = page.query_selector("#vn-results .vn-match-event")
    assert event is not None
    location = db.execute("SELECT location FROM events WHERE id = ?", (event.get_attribute("data-event"),)).fetchone()[0]
    assert location and location in event.query_selector(".vn-venue").inner_text()


def test_facets_filter_and_clear(page, site, db, artifacts):
    query = "hoà nhập"
    whole = search(db, query)
    page.goto(search_page(site, q=query))
    first = page.query_selector("#vn-facets [data-facet=province] li")
    province = first.get_attribute("data-value")
    count = int(first.query_selector(".vn-count").inner_text().replace(".", ""))
    first.query_selector("a").click()
    page.wait_for_url("**province=**")
    filtered = search(db, query, filters=Filters(province=province))
    assert len(page.query_selector_all("#vn-results .vn-group")) == filtered.articles == count < whole.articles
    assert page.query_selector("#vn-facets [data-facet=province] li.vn-selected").get_attribute("data-value") == province
    screenshot(page, artifacts, "citation-search-facets.png", in_readme=False)
    with page.expect_navigation():
        page.click("#vn-facets [data-facet=province] a.vn-clear")
    assert "province=" not in page.url
    assert len(page.query_selector_all("#vn-results .vn-group")) == min(whole.articles, 20)


def test_csv_download_holds_the_filtered_matches(page, site, db):
    query = "hoà nhập"
    year = search(db, query).facets["year"][0]["value"]
    page.goto(search_page(site, q=query, year=year))
    with page.expect_download() as info:
        page.click("#vn-csv")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    expected = search(db, query, filters=Filters(year=year)).matches
    assert [(r["article_id"], r["kind"], r["sentence"]) for r in rows] == \
           [(m["article_id"], m["kind"], m["sentence"]) for m in expected]
    assert all(r["date"].startswith(year) for r in rows)


def test_programme_list_sorted_the_vietnamese_way_and_searchable(page, site, db, artifacts):
    programmes, set_aside = programme_groups(db)
    page.goto(site.url + "-/programmes")
    names = [a.inner_text() for a in page.query_selector_all("#vn-programmes tbody tr td:first-child a")]
    assert len(names) == len(programmes)
    assert names == sorted(names, key=vietnamese_sort_key)
    first_dd = next(i for i, n in enumerate(names) if n.startswith(("Đ", "đ")))
    assert all(not n.lower().startswith("đ") for n in names[:first_dd])
    assert all(fold_query(n)[0] > "d" or n.lower().startswith("đ") for n in names[first_dd:])
    # the noise is set aside, with the guide's reason, not listed
    assert "chương trình khám" not in names and "cuộc vận động 5" not in names
    page.click("#vn-set-aside summary")  # folded away until asked for
    assert "chương trình khám" in page.inner_text("#vn-set-aside")
    screenshot(page, artifacts, "programmes.png")
    page.fill("#vn-programme-q", "tre em khuyet tat")
    page.click("form.vn-search button[type=submit]")
    page.wait_for_url("**q=**")
    found = [a.inner_text() for a in page.query_selector_all("#vn-programmes tbody tr td:first-child a")]
    assert found and len(found) < len(names)
    assert any("trẻ em khuyết tật" in n.lower() for n in found)


def test_a_programme_page_from_its_number(page, site, db, artifacts):
    report = programme_report(db, CLUBS)
    page.goto(site.url)
    page.fill("#vn-q", "de an 1533")
    page.click("form.vn-search button[type=submit]")
    page.wait_for_selector("#chart-by-province svg rect.vn-bar")
    assert urllib.parse.urlparse(page.url).path == f"/-/programmes/{CLUBS}"
    assert page.inner_text("h1") == report["programme"]["name"]
    assert "1533/QĐ-TTg" in page.inner_text("#vn-programme-summary")
    decisions = page.inner_text("#vn-documents")
    for d in report["documents"]:
        assert d["id"] in decisions and (d["issuer"] or "") in decisions
    events = page.query_selector_all("#vn-events tbody tr")
    assert len(events) == len(report["events"]) > 0
    assert "Hà Nội" in page.inner_text("#vn-events")
    # the meeting in Hà Nội counts for Hà Nội, though its article names no province
    bars = {b.get_attribute("data-label"): int(b.get_attribute("data-value"))
            for b in page.query_selector_all("#chart-by-province rect.vn-bar")}
    assert bars.get("Hà Nội", 0) >= 1
    assert sum(bars.values()) == report["programme"]["mentions"]
    rows = page.query_selector_all("#vn-mentions tbody tr")
    assert len(rows) == report["programme"]["mentions"]
    assert "Đề án 1533" in page.inner_text("#vn-names")
    screenshot(page, artifacts, "programme-page.png")
