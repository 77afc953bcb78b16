"""The article's own date (extractor/document.py): published, else a dateline, else an estimate from
the dates of things that happened, never later than the newest of them nor after the crawl, marked
as an estimate where it is stored."""
import datetime
import json
import sqlite3
from pathlib import Path

import pytest

from vnfacts.extractor.document import ESTIMATED_DATE_SOURCES, happened_dates
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline, extract
from vnfacts.publish.load import load_documents
from vnfacts.publish.programmes import programme_report, UNKNOWN

REPO = Path(__file__).resolve().parents[2]


def document(text, published=None, **extra):
    ctx = default_pipeline().context(Document(id="t", text=text, published=published, extra=extra), until="places")
    return ctx.document.date, ctx.document.date_source


def test_published_wins_and_is_no_estimate():
    text = "Tin tức\nNgày 3/3/2016, Sở tổ chức hội nghị. Đề án đến năm 2030."
    assert document(text, "2017-05-02") == ("2017-05-02", "published")
    assert "published" not in ESTIMATED_DATE_SOURCES and "dateline" not in ESTIMATED_DATE_SOURCES


def test_a_programme_end_never_dates_the_article():
    text = ("Triển khai Đề án hỗ trợ trẻ em khuyết tật giai đoạn 2021 - 2030\n"
            "Năm 2030, tỉnh phấn đấu 100% xã đạt chuẩn. Đến năm 2030, mọi trẻ em được hỗ trợ; tầm nhìn 2030 "
            "là đích đến. Trong năm 2016, tỉnh đã hỗ trợ 300 em; năm 2016 cũng là năm đầu tiên. "
            "Mục tiêu đến năm 2030 được nhắc lại.")
    date, source = document(text)
    assert source in ESTIMATED_DATE_SOURCES
    assert date == "2016"


def test_an_estimate_is_never_later_than_the_newest_date_that_happened():
    text = ("Hội nghị sơ kết\nDự kiến ngày 1/9/2018 sẽ khai trương trung tâm. Luật có hiệu lực từ ngày 1/1/2018. "
            "Ngày 3/3/2017, Sở tổ chức hội nghị sơ kết. Tăng lương từ năm 2019?")
    ctx = default_pipeline().context(Document(id="t", text=text), until="places")
    happened = [v for _, v in happened_dates(ctx, ctx.dates, ctx.programs)]
    assert happened == ["2017-03-03"]
    assert (ctx.document.date, ctx.document.date_source) == ("2017-03-03", "first_date")


def test_nothing_after_the_crawl_dates_the_article():
    text = "Tin tức\nNgày 20/6/2017, Sở họp. Trước đó, ngày 2/4/2017, Bộ đã họp."
    assert document(text) == ("2017-06-20", "first_date")
    assert document(text, crawled="2017-05-01T08:00:00Z") == ("2017-04-02", "first_date")
    future = (datetime.date.today() + datetime.timedelta(days=400)).strftime("%d/%m/%Y")
    assert document(f"Tin tức\nNgày {future}, Sở họp. Năm 2016 đã qua.") == ("2016", "lead_year")


def test_the_fetch_date_of_vnfacts_articles_bounds_the_article_date():
    text = "Tin tức\nNgày 20/6/2017, Sở họp. Trước đó, ngày 2/4/2017, Bộ đã họp."
    assert document(text, fetched_at="2017-05-01T08:00:00Z") == ("2017-04-02", "first_date")


def test_an_evening_is_no_target():
    # `tối` (evening) and `tới` (until) fold alike: with diacritics, only the written word counts
    assert document("Tin tức\nTối 20/5/2017, Hội tổ chức lễ vinh danh. Tới năm 2030 sẽ mở rộng.") == (
        "2017-05-20", "first_date")
    # without diacritics `toi` may be `tới`: the date is left out rather than guessed
    assert document("Tin tuc\nToi 20/5/2017, Hoi to chuc le vinh danh.") == (None, None)


def test_a_dateline_after_the_crawl_is_no_dateline():
    text = "Hà Nội, 20/6/2017 - Sở họp. Trước đó, ngày 2/4/2017, Bộ đã họp."
    assert document(text) == ("2017-06-20", "dateline")
    assert document(text, crawled="2017-05-01") == ("2017-04-02", "first_date")


def test_nothing_certain_gives_no_date():
    assert document("Tin tức\nSở họp bàn kế hoạch. Đến năm 2030 đạt chuẩn.") == (None, None)


def test_relative_dates_do_not_date_an_article_without_published():
    assert document("Tin tức\nChiều qua, Sở họp. Năm ngoái tỉnh đạt chuẩn.") == (None, None)


@pytest.mark.parametrize("how", ["nfd", "plain"])
def test_messy_text_is_dated_the_same(how):
    import unicodedata
    text = "Tin tức\nDự kiến sẽ khai trương ngày 1/9/2018. Ngày 3/3/2017, Sở tổ chức hội nghị."
    if how == "nfd":
        text = unicodedata.normalize("NFD", text)
    else:
        text = "Tin tuc\nDu kien se khai truong ngay 1/9/2018. Ngay 3/3/2017, So to chuc hoi nghi."
    assert document(text) == ("2017-03-03", "first_date")


def test_a_birth_or_a_founding_never_dates_the_article():
    # a portrait's subject born in 1964, a school founded in 1945: these happened, but the article
    # is about neither; the year that frames its days is the one the lead reports (2017)
    text = ("Người thầy của bản làng\nThầy Nguyễn Văn A (SN 1964) dạy học ở xã từ năm 1990. Trường thành lập "
            "ngày 2/9/1945. Năm 2017, thầy được tặng Bằng khen; năm 2017 thầy nhận thêm 2 lớp.")
    date, source = document(text)
    assert (date, source in ESTIMATED_DATE_SOURCES) == ("2017", True)
    # folded text (no diacritics) reads the same words
    folded = "Nguoi thay cua ban lang\nThay A (sinh nam 1964) day hoc o xa. Nam 2017, thay duoc tang Bang khen."
    assert document(folded) == ("2017", "lead_year")


def test_storage_keeps_date_source_and_programme_years_can_leave_estimates_out(tmp_path):
    docs = [
        {"id": "a", "published": "2023-07-14", "text": "Tin tức\nNgày 14/7/2023, tỉnh sơ kết Đề án 1533 tại Hà Nội."},
        {"id": "b", "text": "Tin tức\nNgày 3/3/2016, tỉnh triển khai Đề án 1533 tại Hà Nội."},
    ]
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    db = tmp_path / "vnfacts.db"
    assert load_documents(db, [source]).failed == 0
    conn = sqlite3.connect(db)
    stored = dict((i, (d, s)) for i, d, s in conn.execute("SELECT id, date, date_source FROM articles"))
    assert stored == {"a": ("2023-07-14", "published"), "b": ("2016-03-03", "first_date")}
    slug = conn.execute("SELECT programme_id FROM mentions WHERE label = 'PROGRAM'").fetchone()[0]
    with_estimates = {r["label"]: r["mentions"] for r in programme_report(conn, slug)["by_year"]}
    without = {r["label"]: r["mentions"] for r in programme_report(conn, slug, estimated_dates=False)["by_year"]}
    assert with_estimates == {"2016": 1, "2023": 1}
    assert without == {"2023": 1, UNKNOWN: 1}
    assert extract(Document(id="b", text=docs[1]["text"])).to_json()["document"]["date_source"] == "first_date"


@pytest.mark.parametrize("text, dateline", [
    ("Minh Quân 22/12/2022 10:46\n\n(Baonghean.vn) - Trên địa bàn", "2022-12-22"),
    ("Thứ 3, Ngày 18/07/2023, 11:00\nBÌNH DƯƠNG TỔ CHỨC SƠ KẾT", "2023-07-18"),
    ("Ngày đăng: 28/03/2018\n\nNgày 27/3, tại cơ quan", "2018-03-28"),
    ("Thứ Năm, 22/12/2022\nTin tức", "2022-12-22"),
    ("Hà Nội, 22/12/2022 - Sở tổ chức hội nghị", "2022-12-22"),
    ("Tin tức\nThực hiện Nghị quyết số 01/NQ-CP ngày 1/1/2017 của Chính phủ, tỉnh đã triển khai.", None),
    ("Tin tức\nDự kiến ngày 1/9/2018 sẽ khai trương trung tâm.", None),
    ("Từ 1/4/2017, Hà Nội chấm dứt sử dụng văn bản giấy\nNội dung", None),
])
def test_a_dateline_is_a_date_set_apart_at_the_top(text, dateline):
    ctx = default_pipeline().context(Document(id="t", text=text), until="places")
    assert (ctx.published, ctx.published_source) == ((dateline, "dateline") if dateline else (None, None))
    if dateline:
        assert (ctx.document.date, ctx.document.date_source) == (dateline, "dateline")


def test_no_article_of_the_bundled_corpus_or_the_gold_is_dated_into_its_own_future():
    # the whole 35k corpus is checked by scripts/article-dates.py (README, Dates and figures)
    from vnfacts.extractor.document import date_problem
    from vnfacts.extractor.inputs import read_documents

    paths = [REPO / "corpus/articles.jsonl", *sorted((REPO / "annotations").glob("batch-*.jsonl"))]
    estimated = 0
    for doc in read_documents(paths):
        ctx = default_pipeline().context(doc, until="places")
        assert date_problem(ctx) is None, doc.id
        estimated += ctx.document.date_source in ESTIMATED_DATE_SOURCES
    assert estimated > 100


def test_a_date_later_than_what_happened_is_reported():
    from vnfacts.extractor.document import date_problem

    ctx = default_pipeline().context(Document(id="t", text="Tin tức\nNgày 3/3/2017, Sở họp.",
                                              extra={"fetched_at": "2017-04-01"}), until="places")
    assert date_problem(ctx) is None
    ctx.document.date = "2017-03-20"
    assert date_problem(ctx) == "estimate 2017-03-20 later than its newest dated fact 2017-03-03"
    ctx.document.date = "2017-05-01"
    assert date_problem(ctx) == "estimate 2017-05-01 after the crawl 2017-04-01"
