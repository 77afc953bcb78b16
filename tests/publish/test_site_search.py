"""The search as people use it: every written form of a query, results grouped by article with the
matched words marked, facets that filter, pages, and the CSV and JSON exports (through a real
Datasette on 127.0.0.1) and the command line."""
from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
import urllib.parse
import urllib.request
from contextlib import redirect_stderr, redirect_stdout

import pytest

from vnfacts.extractor.clean import fold_query
from vnfacts.publish.search import FACETS, Filters, facet_value, search
from publish_helpers import DECISION_ID, SAFETY_TIMEOUT_S, fetch

CLUBS = "de-an-nhan-rong-mo-hinh-cau-lac-bo-lien-the-he-tu-giup-nhau"  # Đề án 1533's programme


def citation_key(answer):
    return sorted((m["kind"], m["article_id"], m["doc_id"], m.get("event_id") or "", m["sentence"]) for m in answer.matches)


@pytest.mark.parametrize("forms, doc_id", [
    (["QĐ-TTg 1438", "quyết định 1438 năm 2018", "quyet dinh 1438 nam 2018", "  Quyết   định\u00a01438 ",
      unicodedata.normalize("NFD", "Quyết định số 1438"), "1438/QĐ-TTg"], DECISION_ID),
    (["Nghị định 56/2017", "nghi dinh 56/2017", "Nghị định 56 năm 2017", "56/2017/NĐ-CP", "NĐ-CP 56/2017"], "56/2017/NĐ-CP"),
])
def test_every_written_form_resolves_to_the_same_citations(db, forms, doc_id):
    answers = [search(db, q) for q in forms]
    for q, a in zip(forms, answers):
        assert a.kind == "citation", (q, a.message)
        assert doc_id in [d["id"] for d in a.documents], q
    assert answers[0].matches
    by_doc = [[m for m in a.matches if m["doc_id"] == doc_id] for a in answers]
    keys = [sorted((m["kind"], m["article_id"], m["sentence"]) for m in ms) for ms in by_doc]
    assert all(k == keys[0] for k in keys[1:])


def test_a_year_that_does_not_fit_finds_nothing(db):
    assert search(db, "quyết định 1438 năm 2016").matches == []


@pytest.mark.parametrize("query", ["Đề án 1533", "de an 1533", "ĐỀ ÁN  1533", unicodedata.normalize("NFD", "Đề án số 1533")])
def test_a_programme_number_names_its_programme(db, query):
    answer = search(db, query)
    assert answer.kind == "programme", answer.message
    assert answer.programme["id"] == CLUBS
    assert "1533/QĐ-TTg" in [d["id"] for d in answer.documents]
    assert any(m["doc_id"] == "1533/QĐ-TTg" for m in answer.matches)


def test_an_unknown_programme_number_falls_back_to_documents(db):
    answer = search(db, "Đề án 1438")  # no programme carries that number by name, a decision does
    assert answer.kind in ("programme", "citation")
    answer = search(db, "Đề án 99999")
    assert answer.kind == "citation" and "Không có chương trình nào mang số 99999" in answer.message and not answer.matches


def test_results_are_grouped_by_article_with_the_cited_words_marked(db):
    answer = search(db, "Nghị định 56/2017")
    assert answer.groups and answer.articles == len({m["article_id"] for m in answer.matches})
    assert sum(len(g["matches"]) for g in answer.groups) == len(answer.matches)
    assert len({g["article_id"] for g in answer.groups}) == len(answer.groups)  # one title per article
    dates = [g["date"] or "" for g in answer.groups]
    assert dates == sorted(dates, reverse=True) or "" in dates
    for g in answer.groups:
        title = db.execute("SELECT title FROM articles WHERE id = ?", (g["article_id"],)).fetchone()[0]
        assert g["title"] == title
        for m in g["matches"]:
            assert m["article_id"] == g["article_id"]
            if m["kind"] == "mention":
                marked = [m["sentence"][s:e] for s, e in m["highlights"]]
                assert m["cited_as"] in marked
                # provenance: the stored offsets still point at the cited words in the article
                text = db.execute("SELECT text FROM articles WHERE id = ?", (m["article_id"],)).fetchone()[0]
                assert text[m["start"]:m["end"]] == m["cited_as"]


def test_words_are_marked_however_they_are_written(db):
    for query in ["hoà nhập", "HOA NHAP", unicodedata.normalize("NFD", "hòa nhập")]:
        answer = search(db, query)
        assert answer.kind == "text" and answer.matches
        marked = [m["sentence"][s:e] for m in answer.matches for s, e in m["highlights"]]
        assert marked
        assert all(set(fold_query(w).split()) <= {"hoa", "nhap"} for w in marked)
        assert any(fold_query(w) == "hoa nhap" for w in marked)  # the words together, marked as one


def test_facets_count_articles_and_filter(db):
    answer = search(db, "hoà nhập")
    assert set(answer.facets) == set(FACETS)
    province = answer.facets["province"][0]
    filtered = search(db, "hoà nhập", filters=Filters(province=province["value"]))
    assert filtered.matches and all(m["province"] == province["value"] for m in filtered.matches)
    assert filtered.articles == province["articles"]
    assert filtered.filters == {"province": province["value"]}
    selected = [r for r in filtered.facets["province"] if r["selected"]]
    assert [r["value"] for r in selected] == [province["value"]]
    # two filters together: each facet counts under the others
    year = filtered.facets["year"][0]["value"]
    both = search(db, "hoà nhập", filters=Filters(province=province["value"], year=year))
    assert both.matches and all(facet_value(m, "year") == year and m["province"] == province["value"] for m in both.matches)
    types = search(db, "hoà nhập", filters=Filters(event_type=answer.facets["event_type"][0]["value"]))
    assert types.matches and all(m["event_type"] == answer.facets["event_type"][0]["value"] for m in types.matches)
    assert search(db, "hoà nhập", filters=Filters(province="Nowhere")).matches == []


def test_pages_of_articles(db):
    whole = search(db, "tre em")
    assert whole.articles > 3
    per_page = 3
    seen = []
    pages = math.ceil(whole.articles / per_page)
    for n in range(1, pages + 1):
        answer = search(db, "tre em", page=n, per_page=per_page)
        assert answer.pages == pages and answer.page == n and len(answer.groups) <= per_page
        seen += [g["article_id"] for g in answer.groups]
    assert len(seen) == len(set(seen)) == whole.articles
    assert search(db, "tre em", page=999, per_page=per_page).page == pages  # past the end: the last page


def get(site, path):
    with urllib.request.urlopen(site.url.rstrip("/") + path, timeout=SAFETY_TIMEOUT_S) as response:
        return response.status, response.headers, response.geturl(), response.read()


def test_csv_and_json_exports_hold_the_filtered_matches(site):
    params = {"q": "hoà nhập"}
    data = fetch(site, "/-/citations.json?" + urllib.parse.urlencode(params))[1]
    province = data["facets"]["province"][0]["value"]
    params["province"] = province
    status, headers, _, body = get(site, "/-/citations.csv?" + urllib.parse.urlencode(params))
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert "attachment" in headers["content-disposition"]
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with its mark: spreadsheets read the diacritics
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    filtered = fetch(site, "/-/citations.json?" + urllib.parse.urlencode(params))[1]
    assert filtered["filters"] == {"province": province}
    assert len(rows) == len(filtered["matches"]) > 0
    assert all(r["province"] == province for r in rows)
    assert [(r["article_id"], r["sentence"]) for r in rows] == [(m["article_id"], m["sentence"]) for m in filtered["matches"]]
    assert all({"hoa", "nhap"} & set(re.findall(r"\w+", fold_query(r["sentence"]))) for r in rows)


def test_a_programme_number_opens_its_page(site):
    status, _, url, body = get(site, "/-/citations?" + urllib.parse.urlencode({"q": "de an 1533"}))
    assert status == 200 and urllib.parse.urlparse(url).path == f"/-/programmes/{CLUBS}"
    assert "Đề án nhân rộng mô hình Câu lạc bộ liên thế hệ tự giúp nhau" in body.decode()
    data = fetch(site, "/-/citations.json?" + urllib.parse.urlencode({"q": "Đề án 1533"}))[1]
    assert data["kind"] == "programme" and data["programme"]["id"] == CLUBS
    # any of a programme's names leads to its one page
    status, _, url, _ = get(site, "/-/programmes/de-an-1533")
    assert urllib.parse.urlparse(url).path == f"/-/programmes/{CLUBS}"


def test_the_command_line_filters_and_writes_csv(corpus_db):
    from vnfacts.cli import main

    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main(["search", "--db", str(corpus_db), "--csv", "--province", "Hà Nội", "Nghị", "định", "56/2017"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows and all(r["province"] == "Hà Nội" and r["doc_id"].startswith("56/2017") for r in rows)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main(["search", "--db", str(corpus_db), "--json", "--year", "2017", "hoà nhập"]) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and all(line["date"].startswith("2017") for line in lines)


def test_a_name_set_aside_says_why_it_has_no_page(site):
    status, body = fetch(site, "/-/programmes/chuong-trinh-kham")
    assert status == 404 and "chương trình khám" in body and "không phải chương trình có tên" in body
    status, body = fetch(site, "/-/programmes/chuong-trinh-kham.json")
    assert status == 404 and body["set_aside"]["reason"]


def test_a_passage_read_from_a_window_is_the_passage_of_the_whole_text():
    from vnfacts.extractor.clean import clean_text
    from vnfacts.publish.search import passage

    filler = "Các đại biểu thảo luận về chính sách an sinh. " * 40
    for text in [filler + "Hội nghị về hoà nhập cộng đồng cho người khuyết tật. " + filler,
                 unicodedata.normalize("NFD", filler + "Hội nghị về hoà nhập cộng đồng. " + filler),
                 "Ngắn: hòa nhập."]:
        folded = clean_text(text).folded
        shown = passage(text, ["hoa", "nhap"], folded=folded)
        assert shown == passage(text, ["hoa", "nhap"])
        assert "nhập" in unicodedata.normalize("NFC", shown)


def test_words_list_the_programmes_whose_names_hold_them(db, site):
    answer = search(db, "nang niu su song")
    ids = [p["id"] for p in answer.related_programmes]
    assert ids[0] == "chuong-trinh-nang-niu-su-song"  # the most mentioned first
    # old tone placement (`hoà`) finds the name written with the new (`hòa`); a word no name holds, none
    assert [p["id"] for p in search(db, "hoà nhập").related_programmes] == [
        "chuong-trinh-tai-hoa-nhap-cong-dong-cho-nguoi-sau-cai-nghien-ma-tuy"]
    assert search(db, "khinh khí cầu").related_programmes == []
    _, page = fetch(site, "/-/citations?" + urllib.parse.urlencode({"q": "Nâng niu sự sống"}))
    assert 'href="/-/programmes/chuong-trinh-nang-niu-su-song"' in page


@pytest.mark.parametrize("sentence", [
    "Hội nghị về hoà nhập cộng đồng.",                                  # old tone placement
    unicodedata.normalize("NFD", "Hội nghị về hòa nhập cộng đồng."),     # decomposed
    "Hội nghị về HÒA\u00a0NHẬP cộng đồng.",                              # capitals, a no-break space
])
def test_marks_index_the_sentence_as_written(sentence):
    from vnfacts.publish.search import marked_runs, word_spans

    spans = word_spans(sentence, ["hoa", "nhap"])
    assert len(spans) == 1
    start, end = spans[0]
    assert fold_query(sentence[start:end]) == "hoa nhap"
    runs = marked_runs(sentence, spans)
    assert "".join(text for text, _ in runs) == sentence
    assert [text for text, marked in runs if marked] == [sentence[start:end]]


def test_a_programme_number_without_a_known_decision(db):
    answer = search(db, "chuong trinh 112")  # seed-003 names it, no decision beside it
    assert answer.kind == "programme" and answer.programme["id"] == "chuong-trinh-112"
    assert answer.documents == [] and answer.matches == [] and "Chương trình 112" in answer.message
