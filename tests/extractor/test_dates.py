"""DATE: every written form of the guide, years from context, variants of the same text."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from vnfacts.extractor.dates import find_dates
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline, extract


def context(text, published=None):
    """The document's context as the stage `dates` sees it (every earlier stage has run)."""
    return default_pipeline().context(Document(id="t", text=text, published=published), until="dates")


def dates(text, published="2025-06-30"):
    ctx = context(text, published)
    return [(ctx.clean.original_span(s.start, s.end), s.norm["value"]) for s in find_dates(ctx)]


@pytest.mark.parametrize("text, span, value", [
    ("Ngày 29 tháng 5 năm 2025 tại Hà Nội", "Ngày 29 tháng 5 năm 2025", "2025-05-29"),
    ("họp ngày 3 tháng 9, Sở", "ngày 3 tháng 9", "2025-09-03"),
    ("ký ngày 29/5/2025 về việc", "ngày 29/5/2025", "2025-05-29"),
    ("ban hành 29-5-2025.", "29-5-2025", "2025-05-29"),
    ("hiệu lực từ 29.5.2025,", "29.5.2025", "2025-05-29"),
    ("Ngày 22/12, Sở Lao động", "Ngày 22/12", "2025-12-22"),
    ("đến hết tháng 7/2023 đã", "tháng 7/2023", "2023-07"),
    ("trong tháng 7 năm 2023 đã", "tháng 7 năm 2023", "2023-07"),
    ("kết quả quý II/2024 cho thấy", "quý II/2024", "2024-04/2024-06"),
    ("số liệu quý 3 năm 2017", "quý 3 năm 2017", "2017-07/2017-09"),
    ("trong năm 2022, tỉnh", "năm 2022", "2022"),
    ("giai đoạn 2021-2025 và", "giai đoạn 2021-2025", "2021/2025"),
    ("giai đoạn 2021 - 2023.", "giai đoạn 2021 - 2023", "2021/2023"),
    ("nhiệm kỳ 2016-2018,", "nhiệm kỳ 2016-2018", "2016/2018"),
    ("kế hoạch hành động 2019 – 2025;", "2019 – 2025", "2019/2025"),
    ("từ ngày 06/5 đến ngày 09/5/2025 tại", "từ ngày 06/5 đến ngày 09/5/2025", "2025-05-06/2025-05-09"),
    ("từ 1/1/2016 đến 31/5/2017", "từ 1/1/2016 đến 31/5/2017", "2016-01-01/2017-05-31"),
    ("từ tháng 1 đến tháng 6/2024", "từ tháng 1 đến tháng 6/2024", "2024-01/2024-06"),
    ("Từ ngày 9 - 21/5, tại Hà Nội", "Từ ngày 9 - 21/5", "2025-05-09/2025-05-21"),
    ("ngày 25/3/20210, Thủ tướng", "ngày 25/3/20210", None),
    ("ngày 31/2/2020 là ngày", "ngày 31/2/2020", None),
    ("chiều 26/5, tại", "26/5", "2025-05-26"),
    ("Sáng nay (9/5), một số", "9/5", "2025-05-09"),
    ("Chiều 9.6, tại Hà Nội", "9.6", "2025-06-09"),
    ("Sáng qua (16.6), Ban Chỉ đạo đã họp", "16.6", "2025-06-16"),
    ("chiều qua 16.6, tại Hà Nội", "16.6", "2025-06-16"),
    ("cuối năm 2016 đã", "năm 2016", "2016"),
    ("những năm 1990 xuống còn", "những năm 1990", "1990/1999"),
    ("Ngày Dân số thế giới 11-7 năm nay", "11-7 năm nay", "2025-07-11"),
    ("kể từ tháng Một vừa qua", "tháng Một", "2025-01"),
    ("Luật Trẻ em năm 2016 quy định", "năm 2016", "2016"),
    ("Bộ luật Dân sự 2015 quy định", "2015", "2015"),
    ("trong năm APEC 2017 tại", "2017", "2017"),
    ("thành lập (1997) cũng là", "1997", "1997"),
    ("(24-6-1957/ 24-6-2017) và", "24-6-1957/ 24-6-2017", "1957-06-24/2017-06-24"),
])
def test_written_forms(text, span, value):
    assert dates(text) == [(span, value)]


def test_list_of_years():
    assert dates("trong năm 2015, 2016 và 2017 đã") == [("năm 2015", "2015"), ("2016", "2016"), ("2017", "2017")]


def test_range_keeps_tu_only_when_both_ends_are_dates():
    assert dates("Kết quả từ năm 2012 đến nay") == [("năm 2012", "2012")]
    assert dates("từ năm 2012 đến năm 2015") == [("từ năm 2012 đến năm 2015", "2012/2015")]


@pytest.mark.parametrize("text", [
    "sau 10 năm thực hiện", "trong 03 năm qua", "kéo dài 6 tháng", "6 tháng 5 ngày", "lúc 10:46 sáng",
    "trong thời gian qua", "có 61/91 xã, phường", "đạt 12.289 trẻ em", "Quỹ 2 năm nay",
    "Việt Nam 2000 người", "Quyết định số 1438/QĐ-TTg", "hơn 2000 người tham dự",
    "Hội nghị có 2000 đại biểu", "tăng 3,5 lần", "đạt 20.21 điểm",
])
def test_not_dates(text):
    assert dates(text) == []


def test_year_from_published_then_none():
    assert dates("Ngày 27/3, tại Hà Nội", "2018-03-28") == [("Ngày 27/3", "2018-03-27")]
    assert dates("Ngày 27/3, tại Hà Nội", None) == [("Ngày 27/3", "--03-27")]
    assert dates("tháng 9 tới", None) == [("tháng 9", "--09")]


def test_year_from_the_title_or_the_same_day_in_full():
    title = "Những chính sách có hiệu lực từ tháng 6/2017\nTừ 1/6, giá viện phí mới được áp dụng."
    assert ("1/6", "2017-06-01") in dates(title, None)
    full_elsewhere = "Chính sách mới\nNội dung chính.\nTừ 1/7, áp dụng.\nNghị định có hiệu lực từ ngày 1/7/2018."
    assert ("1/7", "2018-07-01") in dates(full_elsewhere, None)
    same_sentence = "Tin tức\nMở đầu.\nSáng 2-7, lễ kỷ niệm ngày thành lập 24-6-2017 diễn ra."
    assert ("2-7", "2017-07-02") in dates(same_sentence, None)


def test_a_period_does_not_date_a_day():
    text = "Tin tức\nMở đầu.\nChiều 9.6, tổng kết giai đoạn 2017-2022 của dự án."
    assert ("9.6", "--06-09") in dates(text, None)


VARIANTS = [
    "NGÀY 29 THÁNG 5 NĂM 2025 TẠI HÀ NỘI",
    "ngay 29 thang 5 nam 2025 tai Ha Noi",
    unicodedata.normalize("NFD", "Ngày 29 tháng 5 năm 2025 tại Hà Nội"),
]


@pytest.mark.parametrize("text", VARIANTS)
def test_capitals_no_diacritics_and_nfd(text):
    assert dates(text) == [(text.rsplit(" ", 3)[0], "2025-05-29")]


def test_old_tone_placement_and_nfd_offsets_through_the_pipeline():
    text = unicodedata.normalize("NFD", "Hội nghị khoá họp ngày 22/12/2022 tại Thanh Hoá, giai đoạn 2021 – 2025.")
    result = extract(Document(id="t", text=text, published=None))
    found = [(text[e.start:e.end], e.norm["value"]) for e in result.entities if e.label == "DATE"]
    assert found == [(unicodedata.normalize("NFD", "ngày 22/12/2022"), "2022-12-22"),
                     (unicodedata.normalize("NFD", "giai đoạn 2021 – 2025"), "2021/2025")]


def test_headline_without_diacritics_in_capitals():
    assert dates("TONG KET GIAI DOAN 2021-2025") == [("GIAI DOAN 2021-2025", "2021/2025")]


PIECES = list("0123456789/-.,: ()\n%IV") + [
    "ngày ", "tháng ", "năm ", "quý ", "từ ", " đến ", "giai đoạn ", "chiều ", "Ngày ", "NĂM ", "ngay ",
    "2025", "12", "31", "/", "-", "\u0300", "\u0301", "\u2013", "\u00a0", "Luật ", "APEC ", "(", ")"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.text(max_size=60)))
def test_random_text_never_raises_and_spans_index_the_input(text):
    ctx = context(text, None)
    for span in find_dates(ctx):
        assert 0 <= span.start < span.end <= len(ctx.text)
        start, end = ctx.clean.to_original(span.start, span.end)
        assert 0 <= start < end <= len(text)
        value = span.norm["value"]
        assert value is None or isinstance(value, str)
    for entity in extract(Document(id="t", text=text)).entities:
        assert entity.text == text[entity.start:entity.end]


# Relative and spoken dates (guide, DATE): resolved against `published` (2025-06-30, a Monday).
@pytest.mark.parametrize("text, span, value, relative", [
    ("Hôm nay, tại Hà Nội", "Hôm nay", "2025-06-30", "day+0"),
    ("Tôi hôm nay đến đây", "hôm nay", "2025-06-30", "day+0"),
    ("diễn ra chiều qua tại", "chiều qua", "2025-06-29", "day-1"),
    ("Tối hôm qua, đoàn", "Tối hôm qua", "2025-06-29", "day-1"),
    ("sẽ tiếp tục trong ngày mai.", "ngày mai", "2025-07-01", "day+1"),
    ("họp vào thứ Hai vừa qua", "thứ Hai vừa qua", "2025-06-23", "mon-1"),
    ("khai mạc thứ Sáu tới", "thứ Sáu tới", "2025-07-04", "fri+1"),
    ("làm việc vào thứ 7 tuần trước", "thứ 7 tuần trước", "2025-06-28", "week-1/sat"),
    ("trong tuần tới, Sở", "tuần tới", "2025-07-07/2025-07-13", "week+1"),
    ("so với tháng trước, giá", "tháng trước", "2025-05", "month-1"),
    ("cùng kỳ năm ngoái đã", "năm ngoái", "2024", "year-1"),
    ("kế hoạch năm nay của", "năm nay", "2025", "year+0"),
    ("từ đầu năm đến nay", "đầu năm", "2025", "year+0"),
    ("tổng kết cuối năm, tỉnh", "cuối năm", "2025", "year+0"),
    ("đến cuối năm nay sẽ", "năm nay", "2025", "year+0"),
    ("Ngày Dân số thế giới 11-7 năm nay", "11-7 năm nay", "2025-07-11", "year+0"),
    ("từ tháng 9 năm ngoái đến", "tháng 9 năm ngoái", "2024-09", "year-1"),
    ("Sáng nay (9/5), một số", "9/5", "2025-05-09", None),
    ("hôm qua 6/2 Cục đã họp", "6/2", "2025-02-06", None),
    ("thứ Sáu ngày 14/7 tại", "thứ Sáu ngày 14/7", "2025-07-14", None),
    ("Thứ 3, Ngày 18/07/2023 Hội", "Thứ 3, Ngày 18/07/2023", "2023-07-18", None),
    ("vào thứ Sáu (14/7) tới", "14/7", "2025-07-14", None),
    ("tối 5/7 diễn ra", "5/7", "2025-07-05", None),
    ("Sáng 12-4, tại", "12-4", "2025-04-12", None),
    ("tối 2.10 tại", "2.10", "2025-10-02", None),
    ("đầu tháng 9 sẽ", "tháng 9", "2025-09", None),
    ("dự kiến vào tháng sáu tới", "tháng sáu", "2025-06", None),
    ("từ tháng Mười, Bộ", "tháng Mười", "2025-10", None),
    ("sinh ngày 12/5/98 tại", "ngày 12/5/98", "1998-05-12", None),
    ("hết hạn ngày 1/2/30.", "ngày 1/2/30", "2030-02-01", None),
])
def test_relative_and_spoken_dates(text, span, value, relative):
    ctx = context(text, "2025-06-30")
    found = [(ctx.clean.original_span(s.start, s.end), s.norm) for s in find_dates(ctx)]
    assert found == [(span, {"value": value, "relative": relative})]


def test_relative_dates_stay_unresolved_without_published():
    assert [(s, v) for s, v in dates("Chiều qua, tại Hà Nội", None)] == [("Chiều qua", None)]
    ctx = context("thứ Hai tuần trước và 11-7 năm nay", None)
    assert [s.norm for s in find_dates(ctx)] == [{"value": None, "relative": "week-1/mon"}]
    ctx = context("Ngày Dân số thế giới 11-7 năm nay", None)
    assert [s.norm for s in find_dates(ctx)] == [{"value": "--07-11", "relative": "year+0"}]


def test_a_dateline_is_not_enough_to_count_days_from():
    ctx = context("Hà Nội, 22/12/2022 - Chiều qua, Sở tổ chức", None)
    assert ctx.published_source == "dateline"
    assert [s.norm for s in find_dates(ctx) if s.norm["relative"]] == [{"value": None, "relative": "day-1"}]


@pytest.mark.parametrize("text", [
    "trong 3 tháng tới", "những năm trước đây", "mỗi tuần một lần", "năm trước đó", "một tháng sau khi",
    "mỗi tháng hai lần", "lần thứ hai vừa qua", "lần thứ 4 tới thị", "tháng Giêng", "tháng Chạp",
    "rằm tháng 7 âm lịch", "ngày 15/8 (âm lịch)", "những năm qua", "Tư pháp Hà Nam năm qua", "cuối năm học",
    "đầu năm mới", "ngày hôm sau", "Tuấn tới", "thắng trước", "năm tôi 20 tuổi", "chiều Mai đến",
    "số 1/2/15", "mục 1.2.10", "hiện nay", "ngày nay",
])
def test_not_relative_dates(text):
    assert dates(text) == []


def test_an_editions_ordinal_is_no_duration_before_its_year():
    assert dates("Giải báo chí 'Búa liềm vàng' lần thứ 2 năm 2017", None) == [("năm 2017", "2017")]
    assert dates("Hội thi lần 3 năm 2016 khép lại", None) == [("năm 2016", "2016")]
    assert dates("Sau 10 năm 2017 mới có", None) == []


def test_a_target_in_the_lead_frames_no_day_an_aim_for_the_year_does():
    # no `published`: the lead's year frames the article's days unless it is a target (`đến năm 2030`)
    target = dates("Đến năm 2030 xóa nghèo bền vững\nSáng 12/4, tỉnh tổ chức hội nghị.", None)
    assert target[-1] == ("12/4", "--04-12")
    deadline = dates("Tuyến metro số 1 khó xong vào 2020!\nThiếu vốn, metro khó hoàn thành vào năm 2020. "
                     "Ngày 24-5, Ban Quản lý họp báo.", None)
    assert deadline[-1] == ("Ngày 24-5", "--05-24")
    aim = dates("Khí thế đầu xuân\nNgành tư pháp bắt nhịp công việc với mục tiêu hoàn thành nhiệm vụ của năm 2017. "
                "Ngày 6/2, Cục họp giao ban.", None)
    assert aim[-1] == ("Ngày 6/2", "2017-02-06")


@pytest.mark.parametrize("text, expected", [
    ("Thí sinh dự kỳ thi THPT quốc gia 2016 tại Hà Nội.", [("2016", "2016")]),
    ("Doanh thu tăng 60% so với 2015.", [("2015", "2015")]),
    ("Bộ sưu tập xuân hè 2017 của hãng.", [("2017", "2017")]),
    # identifiers, counts, sizes and codes stay out
    ("Có 2017 người tham gia.", []), ("tại số 2017 đường Láng", []), ("độ phân giải 1080 x 1920 pixel", []),
    ("theo QCVN 10-MT:2015/BTNMT về nước biển", []),
    # numbers that would be a range of days but say no month are no date: amounts
    ("rẻ hơn từ 20-30% so với", []), ("phạt từ 36-42 triệu đồng", []),
])
def test_a_bare_year_is_a_date_wherever_it_names_no_thing(text, expected):
    assert dates(text, None) == expected
