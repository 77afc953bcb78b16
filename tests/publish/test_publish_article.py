"""The article page's data, HTML and JSON (``/-/articles/<id>``); what a person sees of it in a
browser is checked in test_publish_browser.py."""
from __future__ import annotations

import urllib.parse

import pytest

from vnfacts.publish.article import article_report, text_runs
from publish_helpers import fetch

ARTICLE_ID = "seed-002"  # has facts of every label, an event citing 1438/QĐ-TTg, programmes


def test_text_runs_cover_the_text_and_cut_at_the_facts(db):
    report = article_report(db, ARTICLE_ID)
    text = report["article"]["text"]
    runs = text_runs(text, report["mentions"])
    assert "".join(r["text"] for r in runs) == text
    marked = [r for r in runs if r["mention"]]
    assert len(marked) == len(report["mentions"]) == report["article"]["facts"]
    assert all(r["text"] == r["mention"]["text"] for r in marked)


def test_text_runs_leave_overlapping_and_outside_facts_unmarked():
    facts = [{"start": 0, "end": 4}, {"start": 2, "end": 6}, {"start": 8, "end": 99}, {"start": 5, "end": 7}]
    runs = text_runs("abcdefghij", facts)
    assert [(r["text"], r["mention"] is not None) for r in runs] == [("abcd", True), ("e", False), ("fg", True),
                                                                      ("hij", False)]


def test_article_json(site, db):
    status, body = fetch(site, f"/-/articles/{ARTICLE_ID}.json")
    assert status == 200
    article = db.execute("SELECT * FROM articles WHERE id = ?", (ARTICLE_ID,)).fetchone()
    assert body["article"]["id"] == ARTICLE_ID
    assert body["article"]["text"] == article["text"]
    assert body["article"]["date_source"] == article["date_source"]
    assert "text_folded" not in body["article"]
    mentions = db.execute("SELECT id, label, start, [end], text FROM mentions WHERE article_id = ? ORDER BY start",
                          (ARTICLE_ID,)).fetchall()
    assert [(m["id"], m["label"], m["start"], m["end"], m["text"]) for m in body["mentions"]] == \
        [tuple(m) for m in mentions]
    assert sum(body["labels"].values()) == len(mentions)
    event = body["events"][0]
    assert event["type"] == "so_ket" and "1438/QĐ-TTg" in event["documents"] and event["organizers"]
    assert any(m["programme_page"] for m in body["mentions"] if m["label"] == "PROGRAM")


def test_article_page_html(site, db):
    status, body = fetch(site, f"/-/articles/{ARTICLE_ID}")
    assert status == 200
    facts = db.execute("SELECT count(*) FROM mentions WHERE article_id = ?", (ARTICLE_ID,)).fetchone()[0]
    text = body.split('id="vn-article-text">', 1)[1].split("</div>", 1)[0]
    assert text.count("<mark ") == facts
    assert "Văn bản pháp luật" in body and "Sơ kết, tổng kết" in body
    assert 'href="/-/citations?q=1438/Q%C4%90-TTg"' in body
    assert 'href="/-/programmes/' in body


@pytest.mark.parametrize("odd_id", [
    "no-such-article", "seed-002'", 'seed-002"', "seed-002\"><script>alert(1)</script>", "a/b", "../seed-002",
    "x" * 300, "seed-002' OR '1'='1", "%00", "tiếng việt"])
def test_unknown_or_odd_ids_get_a_clean_404(site, odd_id):
    quoted = urllib.parse.quote(odd_id, safe="")
    status, body = fetch(site, f"/-/articles/{quoted}")
    assert status == 404
    assert "<script>alert" not in body
    status, body = fetch(site, f"/-/articles/{quoted}.json")
    assert status == 404 and body["ok"] is False


def test_an_unencoded_slash_is_a_404(site):
    assert fetch(site, "/-/articles/seed-002/x")[0] == 404


def test_the_pages_link_to_the_article_page(site, corpus_db):
    from vnfacts.publish.serve import database_name

    status, body = fetch(site, "/-/citations?q=" + urllib.parse.quote("quyet dinh 1438"))
    assert status == 200 and f'href="/-/articles/{ARTICLE_ID}"' in body
    status, body = fetch(site, f"/{database_name(corpus_db)}/articles?id={ARTICLE_ID}")
    assert status == 200 and f'class="vn-article-link" href="/-/articles/{ARTICLE_ID}"' in body


def test_a_missing_article_says_so_in_the_site_s_language(site):
    """The 404 page is Vietnamese like the rest of the site ("See all articles" before)."""
    status, body = fetch(site, "/-/articles/no-such-article")
    assert status == 404 and "Không có bài viết mang mã" in body and "mọi bài viết</a>" in body
    assert "See " not in body
