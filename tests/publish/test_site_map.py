"""The province map, the overview's numbers, the tables' written forms, titles and the demo's
provenance, on real data: vietnamadminunits' coordinates, the bundled corpus's database and manifest."""
from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from vnfacts.crawler.demo import manifest_rows, with_provenance
from vnfacts.publish.article import original_address
from vnfacts.publish.load import load_documents
from vnfacts.publish.site.dashboard import OverviewFilters, first_things_to_try, overview
from vnfacts.publish.site.map_pages import MapQuery, province_counts, rows_link
from vnfacts.publish.site.province_map import (counts_by_region, mark_radius, province_map_svg, province_shapes,
                                               region_of)
from vnfacts.publish.site.tables import written_form, written_forms
from vnfacts.publish.site.vietnamese import (clipped, is_estimated_date, stated_date_sources, vietnamese_date)
from vnfacts.publish.sources import is_dateline, reader_title
from publish_helpers import CORPUS

REPO = Path(__file__).resolve().parents[2]


# -- the map ---------------------------------------------------------------------------------
def test_the_map_has_63_provinces_before_the_merger_and_34_after(db):
    before, after = province_shapes("before"), province_shapes("after")
    assert len(before.regions) == 63 and len(after.regions) == 34
    # the shapes are the provinces table's names (renamed Huế counted once, under its current name)
    names = {r["name"] for r in db.execute("SELECT name FROM provinces WHERE is_current = 1 OR name = province_today")}
    assert set(after.regions) == {r[0] for r in db.execute("SELECT DISTINCT province_today FROM provinces")}
    assert set(after.regions) <= names | set(before.regions)
    # a merged province is the union of its old provinces' cells
    olds = [r[0] for r in db.execute("SELECT name FROM provinces WHERE province_today = 'Hồ Chí Minh' AND name != 'Thừa Thiên Huế'")]
    assert sorted(olds) == ["Bà Rịa - Vũng Tàu", "Bình Dương", "Hồ Chí Minh"]
    assert after.regions["Hồ Chí Minh"].cells == sum(before.regions[o].cells for o in olds)


def test_provinces_lie_where_their_coordinates_say(db):
    """North is up and the south lower: Hà Nội's shape is north of Huế's, Huế's of Cà Mau's, and
    each shape's centre is near the province's coordinates in the provinces table."""
    shapes = province_shapes("before")
    north_to_south = ["Lào Cai", "Hà Nội", "Nghệ An", "Huế", "Đà Nẵng", "Khánh Hòa", "Hồ Chí Minh", "Cà Mau"]
    ys = [shapes.regions[p].centre[1] for p in north_to_south]
    assert ys == sorted(ys)
    assert shapes.regions["Lai Châu"].centre[0] < shapes.regions["Quảng Ninh"].centre[0]  # west to east
    latitudes = dict(db.execute("SELECT name, latitude FROM provinces"))
    degrees_per_px = (max(latitudes.values()) - min(latitudes.values())) / (ys[-1] - ys[0])
    for name in north_to_south:
        y0 = shapes.regions["Hà Nội"].centre[1]
        expected = latitudes["Hà Nội"] - (shapes.regions[name].centre[1] - y0) * degrees_per_px
        assert abs(expected - latitudes[name]) < 1.0, name  # within a degree of its coordinates


@pytest.mark.parametrize("written, era, region", [
    ("Khánh Hòa", "after", "Khánh Hòa"), ("Khánh Hoà", "after", "Khánh Hòa"),  # old tone placement
    (unicodedata.normalize("NFD", "Đắk Lắk"), "before", "Đắk Lắk"), ("ha noi", "after", "Hà Nội"),
    ("Thừa Thiên Huế", "before", "Huế"), ("Thừa Thiên Huế", "after", "Huế"),
    ("Bình Dương", "after", "Hồ Chí Minh"), ("Bình Dương", "before", "Bình Dương"),
    ("Quảng Nam", "after", "Đà Nẵng"), ("Atlantis", "after", None), ("", "after", None), (None, "before", None),
])
def test_any_spelling_of_a_province_finds_its_region(written, era, region):
    assert region_of(written, era) == region


def test_counts_fold_into_the_provinces_after_the_merger():
    counts = {"Hồ Chí Minh": 5, "Bình Dương": 2, "Bà Rịa - Vũng Tàu": 1, "Hà Nội": 4, "nowhere": 3}
    assert counts_by_region(counts, "after") == ({"Hồ Chí Minh": 8, "Hà Nội": 4}, 3)
    assert counts_by_region(counts, "before") == ({"Hồ Chí Minh": 5, "Bình Dương": 2, "Bà Rịa - Vũng Tàu": 1,
                                                   "Hà Nội": 4}, 3)


def test_circle_areas_are_proportional_to_counts():
    assert mark_radius(0, 10) == 0
    big, quarter = mark_radius(40, 40), mark_radius(10, 40)
    assert big ** 2 / quarter ** 2 == pytest.approx(4)
    assert mark_radius(1, 10_000) > 0  # a count of one stays visible


def test_the_svg_marks_each_counted_province_once():
    svg = str(province_map_svg({"Hà Nội": 12289, "Bình Dương": 3, "Hồ Chí Minh": 4}, "after",
                               href=lambda p: "/rows?p=" + p, unit="bài viết"))
    assert svg.count("<g class=\"vn-province") == 34
    assert svg.count('<circle class="vn-mark"') == 2
    assert 'data-province="Hồ Chí Minh" data-count="7"' in svg
    assert ">12.289</text>" in svg  # written the Vietnamese way
    assert 'href="/rows?p=Hà Nội"' in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_map_counts_agree_with_the_tables(db):
    for era, column in (("after", "province_today"), ("before", "province")):
        found = province_counts(db, MapQuery("articles", era))
        regions, unknown = counts_by_region(found.counts, era)
        assert unknown == 0
        expected = dict(db.execute(f"SELECT {column}, count(*) FROM articles WHERE {column} IS NOT NULL GROUP BY {column}"))
        if era == "before":  # the renamed province is drawn under its current name
            expected["Huế"] = expected.pop("Thừa Thiên Huế", 0) + expected.get("Huế", 0)
            expected = {k: v for k, v in expected.items() if v}
        assert regions == expected
        assert found.unplaced == db.execute("SELECT count(*) FROM articles WHERE province IS NULL").fetchone()[0]
    events = province_counts(db, MapQuery("events", "after"))
    assert sum(events.counts.values()) + events.unplaced == db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_programme_counts_and_the_estimates_switch(db):
    programme = db.execute("SELECT id, mentions FROM programmes ORDER BY mentions DESC, id LIMIT 1").fetchone()
    one = province_counts(db, MapQuery("programme", "after", programme["id"]))
    assert sum(one.counts.values()) + one.unplaced == programme["mentions"]
    every = province_counts(db, MapQuery("programme", "after"))
    assert sum(every.counts.values()) + every.unplaced >= programme["mentions"]
    stated = province_counts(db, MapQuery("articles", "after", estimates=False))
    placeholders = ", ".join("?" * len(stated_date_sources()))
    assert sum(stated.counts.values()) + stated.unplaced == db.execute(
        f"SELECT count(*) FROM articles WHERE date_source IN ({placeholders})", stated_date_sources()).fetchone()[0]


def test_links_lead_to_the_rows_counted(db):
    link = rows_link("/db", MapQuery("articles", "before"), ["Thừa Thiên Huế", "Huế"])
    assert link.startswith("/db/articles?province__in=")
    assert "Th%E1%BB%ABa+Thi%C3%AAn+Hu%E1%BA%BF" in link
    link = rows_link("/db", MapQuery("programme", "after", "x'y"), ["Bình Dương"])
    assert "province_today+IN+%28%27H%E1%BB%93+Ch%C3%AD+Minh%27%29" in link and "programme_id=x%27y" in link


def test_a_query_string_is_checked():
    query = MapQuery.from_args({"measure": "'; drop", "era": "1975", "programme": "x", "estimates": "0"})
    assert (query.measure, query.era, query.programme, query.estimates) == ("articles", "after", None, False)
    assert MapQuery.from_args({"measure": "programme", "programme": "p" * 500}).programme == "p" * 200


# -- the overview and the demo's first steps --------------------------------------------------
def test_the_overview_counts_by_year_and_leaves_estimates_out(db):
    everything = overview(db, OverviewFilters(), "/db")
    assert everything["articles"] == db.execute("SELECT count(*) FROM articles").fetchone()[0]
    years = everything["charts"]["articles_by_year"]
    assert sum(r["count"] for r in years) == db.execute("SELECT count(*) FROM articles WHERE year IS NOT NULL").fetchone()[0]
    assert [r["year"] for r in years] == sorted(r["year"] for r in years)
    assert all(r["href"] == f"/db/articles?year={r['year']}" for r in years)
    stated = overview(db, OverviewFilters(estimates=False), "/db")
    assert stated["articles"] == everything["articles"] - everything["estimated"] - db.execute(
        "SELECT count(*) FROM articles WHERE date_source IS NULL").fetchone()[0]
    assert all("date_source__in" in r["href"] for r in stated["charts"]["articles_by_year"])
    hanoi = overview(db, OverviewFilters(province="Hà Nội"), "/db")
    assert hanoi["articles"] == db.execute("SELECT count(*) FROM articles WHERE province = 'Hà Nội'").fetchone()[0]
    assert hanoi["provinces"][0] < hanoi["provinces"][-1]


def test_estimates_are_every_date_source_an_article_does_not_state():
    assert stated_date_sources() == ("published", "dateline")
    assert [is_estimated_date(s) for s in ("published", "dateline", "first_date", "lead_year", "dated_facts",
                                           "a_source_added_later", None, "")] == [False, False, True, True, True,
                                                                                  True, False, False]


def test_the_first_things_to_try_exist(db):
    tries = dict(first_things_to_try(db))
    paths = list(tries.values())
    assert paths[0] == "/" and any(p.startswith("/-/citations?q=") for p in paths)
    assert any(p.startswith("/-/programmes/") for p in paths) and "/-/map?measure=events" in paths
    article = next(p for p in paths if p.startswith("/-/articles/"))
    assert db.execute("SELECT count(*) FROM articles WHERE id = ?", (article.rsplit("/", 1)[1],)).fetchone()[0] == 1


# -- what tables and pages print ----------------------------------------------------------------
@pytest.mark.parametrize("mention, doc_id, form", [
    ("Thông tư 02/2017/TT-BYT", "2/2017/TT-BYT", "02/2017/TT-BYT"),
    ("Thông tư liên tịch số 04/2012/TTLT-BYT-BTC,", "4/2012/TTLT-BYT-BTC", "04/2012/TTLT-BYT-BTC"),
    (unicodedata.normalize("NFD", "Quyết định số 1438/qđ-ttg"), "1438/QĐ-TTg",
     unicodedata.normalize("NFD", "1438/qđ-ttg")),
    ("Nghị định 144/2013", "144/2013/NĐ-CP", None),  # a part of the id is no other form of it
    ("Quyết định số 1438/QĐ-TTg", "1438/QĐ-TTg", None),  # written as the id
    ("Thông tư 20/2017/TT-BYT", "2/2017/TT-BYT", None),
])
def test_the_written_form_of_a_document(mention, doc_id, form):
    assert written_form(mention, doc_id) == form


def test_written_forms_come_from_the_mentions(db):
    forms = written_forms(db)
    assert forms.get("2/2017/TT-BYT") == "02/2017/TT-BYT"
    assert all(form != doc_id for doc_id, form in forms.items())


@pytest.mark.parametrize("line, dateline", [
    ("Thứ 3, Ngày 18/07/2023, 11:00", True), ("Thứ Năm, 22/12/2022 10:46", True),
    ("Thứ\u00a03,\u00a0Ngày\u00a018/07/2023", True), ("Cập nhật lúc 10h46", True),
    (unicodedata.normalize("NFD", "Thứ Hai, 05.06.2017 - 09:15 GMT+7"), True),
    ("Ngày 18/7/2023: Bình Dương sơ kết Đề án hỗ trợ trẻ em khuyết tật", False),
    ("Từ 1/7, đăng ảnh trẻ em trên 7 tuổi lên mạng phải xin phép", False),
    ("Hành trình 9 năm chữa lành 3.500 trái tim lỗi nhịp", False),
])
def test_a_dateline_is_told_from_a_headline(line, dateline):
    assert is_dateline(line) is dateline


def test_the_title_a_reader_would_choose():
    text = "Thứ 3, Ngày 18/07/2023, 11:00\nBÌNH DƯƠNG TỔ CHỨC SƠ KẾT ĐỀ ÁN\n18/07/2023\nSở Lao động..."
    assert reader_title("Thứ 3, Ngày 18/07/2023, 11:00", text) == "BÌNH DƯƠNG TỔ CHỨC SƠ KẾT ĐỀ ÁN"
    assert reader_title(None, "  Hội nghị\u00a0tập huấn \nthân bài") == "Hội nghị tập huấn"
    assert reader_title("Tiêu đề  có   khoảng trắng", "x") == "Tiêu đề có khoảng trắng"
    assert reader_title("", "") is None
    assert reader_title("Thứ 3, 18/07/2023", "Thứ 3, 18/07/2023") == "Thứ 3, 18/07/2023"  # nothing better


def test_clipped_titles_and_vietnamese_dates():
    sentence = "Tham dự Hội nghị có ông Dương Anh Đức, Thành ủy viên, Phó Chủ tịch UBND TP.HCM " * 6
    short = clipped(sentence)
    assert len(short) <= 120 and short.endswith("…") and sentence.startswith(short[:-1])
    assert clipped("Ngắn gọn") == "Ngắn gọn" and clipped(None) == ""
    assert [vietnamese_date(v) for v in ("2023-07-18", "2017-06", "2017", None, "không rõ")] == \
        ["18/07/2023", "06/2017", "2017", "", "không rõ"]
    # a day without its year (guide: DATE), a range; a slash that joins no dates stays as written
    assert [vietnamese_date(v) for v in ("--06-04", "2017-02-06/2017-03-09", "--01-01/--05-23", "2019/2025", "1/2", "--06")] == \
        ["04/06", "06/02/2017 – 09/03/2017", "01/01 – 23/05", "2019 – 2025", "1/2", "--06"]


@pytest.mark.parametrize("url, shown", [
    ("https://github.com/magizbox/scraper/blob/HEAD/vn_news/data/1.txt", True),
    ("http://baomoi.com/a.epi", True), ("https://sldtbxh.tinh-mau.test/tin-tuc/a.html", False),
    ("https://x.example/a", False), ("javascript:alert(1)", False), ("ftp://a.vn/x", False), (None, False),
    ("https://localhost/x", False),
])
def test_only_addresses_that_lead_somewhere_are_offered(url, shown):
    assert (original_address(url) is not None) is shown


def test_the_demo_carries_source_licence_and_original_from_the_manifest():
    manifest = manifest_rows(REPO / "corpus" / "html")
    corpus = {r["id"]: r for r in map(json.loads, CORPUS.read_text(encoding="utf-8").splitlines())}
    assert manifest.keys() == corpus.keys()
    crawled = {"id": "baomoi-22721218", "url": "https://sldtbxh.tinh-mau.test/tin-tuc/x.html", "title": "t", "text": "t"}
    carried = with_provenance(crawled, manifest)
    assert carried["source"] == corpus["baomoi-22721218"]["source"]
    assert carried["licence"] == corpus["baomoi-22721218"]["licence"]
    assert carried["url"] == corpus["baomoi-22721218"]["url"] and carried["crawled_url"] == crawled["url"]
    seed = with_provenance({"id": "seed-002", "url": "https://sldtbxh.tinh-mau.test/s.html"}, manifest)
    assert seed["url"] == "https://sldtbxh.tinh-mau.test/s.html" and "crawled_url" not in seed
    assert seed["source"] == corpus["seed-002"]["source"]
    assert with_provenance({"id": "not-bundled", "url": "u"}, manifest) == {"id": "not-bundled", "url": "u"}


def test_loading_keeps_a_readers_title(tmp_path):
    documents = [{"id": "dateline-title", "title": "Thứ 3, Ngày 18/07/2023, 11:00",
                  "text": "Thứ 3, Ngày 18/07/2023, 11:00\nBình Dương sơ kết Đề án 1533\nNội dung."},
                 {"id": "no-title", "text": "Hội nghị tập huấn tại Hà Nội\nNội dung."}]
    corpus = tmp_path / "two.jsonl"
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    load_documents(tmp_path / "two.db", [corpus])
    conn = sqlite3.connect(tmp_path / "two.db")
    titles = dict(conn.execute("SELECT id, title FROM articles"))
    folded = dict(conn.execute("SELECT id, title_folded FROM articles"))
    conn.close()
    assert titles == {"dateline-title": "Bình Dương sơ kết Đề án 1533", "no-title": "Hội nghị tập huấn tại Hà Nội"}
    assert folded["dateline-title"] == "binh duong so ket de an 1533"


def test_the_demo_ends_with_what_to_open(corpus_db):
    from vnfacts.commands.demo import what_to_try_lines

    lines = what_to_try_lines(corpus_db, 8001)
    assert lines[0] == "what to open and try first:"
    assert any(line.endswith("http://127.0.0.1:8001/-/map?measure=events") for line in lines)
    assert any("http://127.0.0.1:8001/-/citations?q=" in line for line in lines)
    assert any("http://127.0.0.1:8001/-/articles/" in line for line in lines)
    assert all(" /-/" not in line for line in lines[1:])  # full addresses, not paths
    assert any(line.strip().endswith(" /-/map?measure=events") for line in what_to_try_lines(corpus_db, 0))


def test_templates_reach_the_map_through_one_global():
    """What a programme page calls: ``vn_province_map(counts, era, href_prefix, unit)``."""
    import asyncio

    from datasette.app import Datasette

    async def render() -> str:
        datasette = Datasette(memory=True)
        await datasette.invoke_startup()
        template = datasette.jinja_env.from_string(
            "{{ vn_province_map({'Hà Nội': 3, 'Thừa Thiên Huế': 1, 'Atlantis': 9}, 'before', '/-/x?p=', 'lần') }}")
        return await template.render_async()

    # a thread of its own: a browser test's playwright may keep an event loop running in this one
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=1) as pool:
        svg = pool.submit(asyncio.run, render()).result()
    assert svg.startswith('<svg class="vn-map"') and svg.count('class="vn-province') == 63
    assert 'href="/-/x?p=H%C3%A0%20N%E1%BB%99i"' in svg and 'data-province="Huế" data-count="1"' in svg
    assert "Atlantis" not in svg and "Hà Nội: 3 lần" in svg


# sqlite3 reports the refusal inside the function as "unraisable" before turning it into the error
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_sql_functions_name_codes_and_estimates(corpus_db):
    from vnfacts.publish.site import prepare_connection

    conn = sqlite3.connect(f"file:{corpus_db}?mode=ro", uri=True)
    prepare_connection(conn)
    try:
        assert conn.execute("SELECT vn_name('so_ket', 'event_types'), vn_name('FIGURE', 'labels'), "
                            "vn_name('unknown', 'labels'), vn_name(5, 'labels'), vn_name(NULL, 'labels'), "
                            "vn_name('so_ket', 'no_kind')").fetchone() == \
            ("Sơ kết, tổng kết", "Số liệu", "unknown", 5, None, "so_ket")
        estimated = conn.execute("SELECT count(*) FROM articles WHERE vn_estimated(date_source)").fetchone()[0]
        placeholders = ", ".join("?" * len(stated_date_sources()))
        assert estimated == conn.execute(f"SELECT count(*) FROM articles WHERE date_source IS NOT NULL AND "
                                         f"date_source NOT IN ({placeholders})", stated_date_sources()).fetchone()[0]
        for call in ("vn_name(?, 'labels')", "vn_estimated(?)"):
            with pytest.raises(sqlite3.DataError, match="too big"):
                conn.execute(f"SELECT {call}", ("x" * 2_000,)).fetchone()
    finally:
        conn.close()


def test_a_map_of_an_unknown_programme_says_so(site, db):
    """A programme id that names none (an old link, a typo) is said, not mapped as zero mentions
    everywhere; a real one is mapped without that message."""
    from publish_helpers import fetch

    status, body = fetch(site, "/-/map?measure=programme&programme=no-such-programme")
    assert status == 200 and 'id="vn-map-unknown-programme"' in body and "no-such-programme" in body
    known = db.execute("SELECT id FROM programmes ORDER BY mentions DESC, id LIMIT 1").fetchone()[0]
    status, body = fetch(site, "/-/map?measure=programme&programme=" + known)
    assert status == 200 and "vn-map-unknown-programme" not in body
    status, body = fetch(site, "/-/map?measure=programme")
    assert status == 200 and "vn-map-unknown-programme" not in body
