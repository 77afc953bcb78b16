"""Programmes as the site shows them: names merged into one programme per real programme, noise set
aside by the guide's rules, each mention placed where it happened, each programme with its events.
On the bundled corpus's database (the `db` fixture) and on small databases built here."""
from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import Counter

import pytest

from vnfacts.extractor.clean import fold_query
from vnfacts.extractor.document import is_estimated_date
from vnfacts.publish.load import load_documents
from vnfacts.publish.programmes import (SET_ASIDE_REASONS, UNKNOWN, name_key, not_a_programme, mention_places, programme_groups, programme_report,
                                        programmes_numbered, scope_free_key)


def owner(programmes, name_id):
    return next(p for p in programmes if any(n["id"] == name_id for n in p["names"]))


def test_one_programme_under_its_names_number_and_decision(db):
    programmes, _ = programme_groups(db)
    # `Đề án 1533` (seed-004, its decision 1533/QĐ-TTg), its worded name with `CLB` and spelled out,
    # and Bình Dương's plan of it: one programme, named as the approving decision names it
    clubs = owner(programmes, "de-an-1533")
    ids = {n["id"] for n in clubs["names"]}
    assert {"de-an-1533", "de-an-nhan-rong-mo-hinh-clb-lien-the-he-tu-giup-nhau",
            "de-an-nhan-rong-mo-hinh-cau-lac-bo-lien-the-he-tu-giup-nhau"} <= ids
    assert "1533/QĐ-TTg" in clubs["refs"]
    assert clubs["name"] == "Đề án nhân rộng mô hình Câu lạc bộ liên thế hệ tự giúp nhau"
    assert clubs["id"] == "de-an-nhan-rong-mo-hinh-cau-lac-bo-lien-the-he-tu-giup-nhau"
    assert clubs["mentions"] == sum(n["mentions"] for n in clubs["names"])
    # a heading in capitals that runs on into the sentence is the same programme
    assert owner(programmes, "chuong-trinh-trai-tim-cho-em-ung-ho-truc-tiep")["id"] == "chuong-trinh-trai-tim-cho-em"
    # the extractor ends a name before a clause (`Chương trình chống lao vẫn duy trì ...`), and the
    # site would merge one that ran on (test_names_compare_however_they_are_written)
    assert owner(programmes, "chuong-trinh-chong-lao")["mentions"] >= 2
    # a scope (`tại Quảng Nam`) does not make another programme
    assert owner(programmes, "chuong-trinh-nang-niu-su-song-tai-quang-nam")["id"] == "chuong-trinh-nang-niu-su-song"
    # every name row is in exactly one programme or set aside
    rows = {r[0] for r in db.execute("SELECT id FROM programmes")}
    _, set_aside = programme_groups(db)
    listed = [n["id"] for p in programmes for n in p["names"]] + [s["id"] for s in set_aside]
    assert sorted(listed) == sorted(rows)
    assert len(programmes) < len(rows)


def test_a_plan_carrying_out_a_programme_stays_a_programme_of_its_own(db):
    programmes, _ = programme_groups(db)
    disabled = owner(programmes, "de-an-ho-tro-tre-em-khuyet-tiep-can-cac-dich-vu-bao-ve-cham-soc-giao-duc-tai-cong-dong")
    plan = owner(programmes, "ke-hoach-thuc-hien-de-an-ho-tro-tre-em-khuyet-tat-tiep-can-cac-dich-vu-bao-ve-cham-soc-giao-duc"
                             "-tai-cong-dong")
    assert plan is not disabled
    assert disabled["refs"] == ["1438/QĐ-TTg"] and plan["refs"] == ["1438/QĐ-TTg"]


def test_different_approving_documents_keep_one_wording_apart(db):
    programmes, _ = programme_groups(db)
    national = owner(programmes, "de-an-phat-trien-nghe-ctxh-tai-viet-nam")
    city = owner(programmes, "de-an-phat-trien-nghe-ctxh-tren-dia-ban-thanh-pho")
    assert national is not city
    assert national["refs"] == ["32/2010/QĐ-TTg"] and "1511/2011/QĐ-UBND" in city["refs"]


@pytest.mark.parametrize("name, reason", [
    ("chương trình khám", "activity"),
    ("Chương trình phối hợp", "activity"),
    ("kế hoạch hành động", "activity"),
    ("cuộc vận động 5", "cut_off_campaign"),
    ("chương trình Chủ tịch Quốc hội Nguyễn Thị Kim Ngân", "agenda"),
    ("Chương trình kéo dài đến hết", "bare_keyword"),
    ("Chương trình", "bare_keyword"),
    ("dự án Luật Trợ giúp pháp lý", "bill"),
    ("Dự án luật", "bill"),
    ("Hội nghị tổng kết", "no_keyword"),
])
def test_names_the_guide_says_are_not_programmes(name, reason):
    assert not_a_programme(name) == reason
    assert not_a_programme(unicodedata.normalize("NFD", name)) == reason
    if "kéo dài" not in name:  # clause words are told apart by their diacritics (`vẫn` is not `vận`)
        assert not_a_programme(fold_query(name)) == reason  # without diacritics


@pytest.mark.parametrize("name", ["Đề án 1533", "Chương trình 112", "cuộc vận động Toàn dân đoàn kết xây dựng nông thôn mới",
                                  "chương trình bếp cơm tình thương", "Kế hoạch hành động quốc gia về trẻ em",
                                  "phong trào thi đua yêu nước", "Dự án đường sắt Cát Linh - Hà Đông",
                                  "Chương trình hành động thực hiện Nghị quyết 57"])
def test_named_programmes_are_kept(name):
    assert not_a_programme(name) is None


def test_names_compare_however_they_are_written():
    forms = ["Đề án nhân rộng mô hình CLB Liên thế hệ tự giúp nhau",
             "ĐỀ ÁN NHÂN RỘNG MÔ HÌNH CÂU LẠC BỘ LIÊN THẾ HỆ TỰ GIÚP NHAU",
             unicodedata.normalize("NFD", "Đề án nhân rộng mô hình Câu lạc bộ liên thế hệ tự giúp nhau"),
             "De an nhan rong mo hinh cau lac bo lien the he tu giup nhau",
             "Đề án  nhân rộng\u00a0mô hình Câu lạc bộ liên thế hệ tự giúp nhau"]
    assert len({name_key(f) for f in forms}) == 1
    # old and new tone placement
    assert name_key("chương trình hoà nhập") == name_key("chương trình hòa nhập")
    # the clause word needs its diacritics: `vận` is not `vẫn`
    assert name_key("cuộc vận động Toàn dân") == "cuoc van dong toan dan"
    assert name_key("Chương trình chống lao vẫn duy trì mục tiêu") == name_key("Chương trình chống lao")
    assert scope_free_key("de an x tren dia ban tinh binh duong", ["Bình Dương"]) == "de an x"
    assert scope_free_key("de an x tai binh duong", ["Bình Dương"]) == "de an x"
    assert scope_free_key("de an x tai cong dong", ["Bình Dương"]) == "de an x tai cong dong"


def test_a_mention_is_placed_where_it_happened(db):
    """seed-004 has no province of its own; its meeting was held in Hà Nội."""
    assert db.execute("SELECT province FROM articles WHERE id = 'seed-004'").fetchone()[0] is None
    report = programme_report(db, "de-an-1533")
    there = [m for m in report["mentions"] if m["article_id"] == "seed-004"]
    assert there and all(m["province"] == "Hà Nội" for m in there)
    assert {m["province_source"] for m in there} <= {"event", "sentence", "main_event"}
    labels = {r["label"]: r["mentions"] for r in report["by_province"]}
    assert labels.get("Hà Nội") == len(there)
    assert sum(labels.values()) == report["programme"]["mentions"] == len(report["mentions"])
    unknown_before = sum(1 for m in report["mentions"] if m["article_province"] is None)
    assert labels.get(UNKNOWN, 0) < unknown_before


def test_every_programme_page_lists_its_events_and_decision(db):
    programmes, _ = programme_groups(db)
    with_events = 0
    for p in programmes:
        report = programme_report(db, p["id"])
        articles = {m["article_id"] for m in report["mentions"]}
        assert report["programme"]["articles"] == len(articles)
        for e in report["events"]:
            assert e["link"] in ("document", "sentence", "article")
            if e["link"] != "document":
                assert e["article_id"] in articles
        with_events += bool(report["events"])
        known = {r[0] for r in db.execute("SELECT id FROM legal_documents")}
        assert sorted(d["id"] for d in report["documents"]) == sorted(r for r in p["refs"] if r in known)
    assert with_events >= 0.8 * len(programmes)
    clubs = programme_report(db, "de-an-1533")
    assert {e["article_id"] for e in clubs["events"]} >= {"seed-004"}
    assert any(e["province"] == "Hà Nội" for e in clubs["events"])


def test_figures_by_province_and_year(db):
    found = 0
    programmes, _ = programme_groups(db)
    for p in programmes:
        report = programme_report(db, p["id"])
        assert sum(g["figures"] for g in report["figures_by_province_year"]) == len(report["figures"])
        for f in report["figures"]:
            same_sentence = [m for m in report["mentions"]
                             if (m["article_id"], m["sentence_index"]) == (f["article_id"], f["sentence_index"])]
            assert same_sentence and f["province"] == same_sentence[0]["province"]
        found += len(report["figures"])
    assert found > 0


def test_a_programme_number_finds_its_programme(db):
    assert [p["id"] for p in programmes_numbered(db, "de an", 1533)] == [
        "de-an-nhan-rong-mo-hinh-cau-lac-bo-lien-the-he-tu-giup-nhau"]
    assert programmes_numbered(db, "de an", 9999) == []
    assert programme_report(db, "no-such-programme") is None


def test_names_a_new_article_ties_to_the_same_decision_merge(tmp_path):
    """On a fresh database: two articles, two wordings, one decision; and a noisy name set aside."""
    docs = [{"id": "a", "published": "2020-05-04",
             "text": "Ngày 4/5/2020, tại Hà Nội, Bộ Lao động tổ chức hội nghị triển khai Đề án 1533. "
                     "Quyết định số 1533/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Đề án 1533."},
            {"id": "b", "published": "2021-06-01",
             "text": "Hội nghị sơ kết Đề án nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau được tổ chức tại Cần Thơ."}]
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    load_documents(tmp_path / "two.db", [corpus])
    conn = sqlite3.connect(tmp_path / "two.db")
    try:
        programmes, _ = programme_groups(conn)
        names = {n["name"] for p in programmes for n in p["names"]}
        assert any("1533" in n for n in names)
        clubs = owner(programmes, next(n["id"] for p in programmes for n in p["names"] if "1533" in n["name"]))
        assert len({a for a in (n["id"] for n in clubs["names"])}) == len(clubs["names"]) >= 2
        report = programme_report(conn, clubs["id"])
        assert {r["label"] for r in report["by_province"]} >= {"Hà Nội", "Cần Thơ"}
    finally:
        conn.close()


def test_the_vietnamese_alphabetical_order():
    from vnfacts.publish.site.vietnamese import vietnamese_sort_key

    words = ["an", "an ninh", "anh", "ăn", "âm", "ba", "bà", "bả", "bã", "bá", "bạ", "chương trình", "dự án", "Đà Nẵng",
             "đề án", "e", "ê", "o", "ô", "ơ", "u", "ư", "y"]
    shuffled = list(reversed(words))
    assert sorted(shuffled, key=vietnamese_sort_key) == words
    # the same order whatever the normalization, the tone placement or the case
    assert vietnamese_sort_key(unicodedata.normalize("NFD", "Đề án"))[:2] == vietnamese_sort_key("Đề án")[:2]
    assert vietnamese_sort_key("hoà")[:2] == vietnamese_sort_key("hòa")[:2]
    assert vietnamese_sort_key("ĐỀ ÁN")[:2] == vietnamese_sort_key("đề án")[:2]


def test_every_reason_has_a_vietnamese_name():
    from vnfacts.publish.site.vietnamese import vietnamese_names

    assert set(vietnamese_names()["set_aside_reasons"]) == set(SET_ASIDE_REASONS)


def reference_report(db, programme) -> dict:
    """A programme's counts and lists as reading every one of its facts gives them (what the page
    showed before it read the rows each load keeps)."""
    ids = [n["id"] for n in programme["names"]]
    marks = ", ".join("?" * len(ids))
    mentions = [dict(r) for r in db.execute(
        f"SELECT m.article_id, m.sentence_index, m.year, a.province AS article_province FROM mentions m"
        f" JOIN articles a ON a.id = m.article_id WHERE m.programme_id IN ({marks})", ids)]
    mention_places(db, mentions)
    sentences = {(m["article_id"], m["sentence_index"]): m for m in mentions}
    figures = [(f["id"], sentences[(f["article_id"], f["sentence_index"])]["province"]) for f in db.execute(
        f"SELECT id, article_id, sentence_index FROM mentions WHERE label = 'FIGURE' AND article_id IN"
        f" (SELECT article_id FROM mentions WHERE programme_id IN ({marks})) ORDER BY id", ids)
        if (f["article_id"], f["sentence_index"]) in sentences]
    events = {r[0] for r in db.execute(
        f"SELECT e.id FROM events e WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.programme_id IN ({marks})"
        f" AND m.article_id = e.article_id AND (m.sentence_index = e.sentence_index OR e.is_main = 1))", ids)}
    if programme["refs"]:
        events |= {r[0] for r in db.execute(
            f"SELECT event_id FROM event_documents WHERE doc_id IN ({', '.join('?' * len(programme['refs']))})",
            programme["refs"])}
    count = lambda key: sorted((str(k), sum(1 for m in mentions if m[key] == k),  # noqa: E731
                                len({m["article_id"] for m in mentions if m[key] == k}))
                               for k in {m[key] for m in mentions})
    return {"by_year": count("year"), "by_province": count("province"), "figures": figures, "events": events}


def test_a_programme_page_counts_every_fact_and_lists_the_first(db):
    """Its counts (from the rows each load keeps) are those of every mention, figure and event;
    its lists are complete up to the page's length, the first ones beyond it."""
    programmes, _ = programme_groups(db)
    shortened = 0
    for p in programmes:
        want = reference_report(db, p)
        full = programme_report(db, p["id"], shown=10_000)
        got = lambda rows: sorted((r["label"].replace(UNKNOWN, "None"), r["mentions"], r["articles"]) for r in rows)  # noqa: E731
        assert got(full["by_year"]) == want["by_year"] and got(full["by_province"]) == want["by_province"]
        assert [(f["id"], f["province"]) for f in full["figures"]] == want["figures"]
        assert {e["id"] for e in full["events"]} == want["events"]
        assert full["totals"] == {"mentions": p["mentions"], "figures": len(want["figures"]), "events": len(want["events"])}
        short = programme_report(db, p["id"], shown=2)
        assert short["totals"] == full["totals"] and short["by_province"] == full["by_province"]
        assert [e["id"] for e in short["events"]] == [e["id"] for e in full["events"]][:2]
        assert [f["id"] for f in short["figures"]] == [f["id"] for f in full["figures"]][:2]
        assert [m["id"] for m in short["mentions"]] == [m["id"] for m in full["mentions"]][:2]
        shortened += full["totals"]["mentions"] > 2
    assert shortened >= 3


def test_a_programme_page_without_estimated_dates_counts_their_figures_under_no_year(db):
    """The figures of articles whose date is an estimate fall in their province's group of no year,
    with the same totals and articles (an article has one year, whichever is shown)."""
    estimated = {r[0] for r in db.execute("SELECT id, date_source FROM articles") if is_estimated_date(r[1])}
    moved = 0
    for p in programme_groups(db)[0]:
        full = programme_report(db, p["id"], shown=10_000)
        undated = programme_report(db, p["id"], estimated_dates=False, shown=10_000)
        want = Counter((f["province"] or UNKNOWN, None if f["article_id"] in estimated else f["year"]) for f in full["figures"])
        assert {(g["province"], g["year"]): g["figures"] for g in undated["figures_by_province_year"]} == dict(want)
        assert [f["id"] for f in undated["figures"]] == [f["id"] for f in full["figures"]]
        assert undated["totals"] == full["totals"] and undated["programme"]["articles"] == full["programme"]["articles"]
        moved += any(f["article_id"] in estimated and f["year"] is not None for f in full["figures"])
    assert moved >= 1
