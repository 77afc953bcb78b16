"""FIGURE: numbers, multipliers, percentages, fractions, qualifiers, units, and the exclusions."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from vnfacts.extractor.figures import find_figures
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline, extract


def context(text, published=None):
    """The document's context as the stage `figures` sees it (every earlier stage has run)."""
    return default_pipeline().context(Document(id="t", text=text, published=published), until="figures")


def figures(text):
    ctx = context(text)
    return [(ctx.clean.original_span(s.start, s.end), s.norm) for s in find_figures(ctx)]


def norm(value, unit, qualifier=None, of=None):
    return {"value": value, "unit": unit, "qualifier": qualifier, "of": of}


@pytest.mark.parametrize("text, span, expected", [
    ("tỉnh có 12.289 trẻ em có hoàn cảnh", "12.289 trẻ em", norm(12289, "trẻ em")),
    ("cùng hơn 500 đại biểu là đại diện", "hơn 500 đại biểu", norm(500, "đại biểu", "more_than")),
    ("phát hành 175.000 ấn phẩm tuyên truyền", "175.000 ấn phẩm", norm(175000, "ấn phẩm")),
    ("đã tổ chức 90 lớp tập huấn cho", "90 lớp tập huấn", norm(90, "lớp tập huấn")),
    ("với khoảng 8.500 người tham gia", "khoảng 8.500 người", norm(8500, "người", "approx")),
    ("chiếm 3,55% tổng dân số", "3,55%", norm(3.55, "%")),
    ("cấp thẻ cho 100% trẻ em khuyết tật", "100% trẻ em", norm(100, "%")),
    ("đến nay đã có 61/91 xã, phường", "61/91 xã", norm(61, "xã", of=91)),
    ("hỗ trợ 1,5 tỷ đồng cho", "1,5 tỷ đồng", norm(1500000000, "đồng")),
    ("quyên góp 2 triệu USD", "2 triệu USD", norm(2000000, "usd")),
    ("đón 3 nghìn lượt khách", "3 nghìn lượt khách", norm(3000, "lượt khách")),
    ("trao 5 ngàn suất quà", "5 ngàn suất quà", norm(5000, "suất quà")),
    ("đã đưa ra 5 quan điểm", "5 quan điểm", norm(5, "quan điểm")),
    ("thực hiện qua 03 nội dung:", "03 nội dung", norm(3, "nội dung")),
    ("hỗ trợ gần 1.000 CLB Liên thế hệ", "gần 1.000 CLB", norm(1000, "clb", "approx")),
    ("có trên 136.036 người hưởng", "trên 136.036 người", norm(136036, "người", "more_than")),
    ("có dưới 5% hộ nghèo", "dưới 5% hộ nghèo", norm(5, "%", "less_than")),
    ("lên tới 16.000.000 đồng", "lên tới 16.000.000 đồng", norm(16000000, "đồng", "up_to")),
    ("chi phí thấp hơn 195.000 đồng không", "thấp hơn 195.000 đồng", norm(195000, "đồng", "less_than")),
    ("khoảng hơn 92.300 người, chiếm", "khoảng hơn 92.300 người", norm(92300, "người", "more_than")),
    ("mức 1.300.000 đồng/tháng từ", "1.300.000 đồng/tháng", norm(1300000, "đồng")),
    ("tăng 3%/năm", "3%/năm", norm(3, "%")),
    ("thu 500.000đ mỗi người", "500.000đ", norm(500000, "đồng")),
    ("trồng 12,5 ha rừng", "12,5 ha", norm(12.5, "ha")),
    ("đạt 1,234,567 USD", "1,234,567 USD", norm(1234567, "usd")),
    ("quỹ 2,500.75 USD", "2,500.75 USD", norm(2500.75, "usd")),
    ("3 trong 5 tỉnh đạt", "3 trong 5 tỉnh", norm(3, "tỉnh", of=5)),
    ("có 50 chỗ ngồi cho khách", "50 chỗ ngồi", norm(50, "chỗ ngồi")),  # after a verb, seats are counted
    ("sinh 480 Nm mô-men xoắn", "480 Nm", norm(480, "nm")),
    ("giá 2 triệu bảng Anh", "2 triệu bảng Anh", norm(2000000, "gbp")),  # currencies by ISO code
    ("lương 75 triệu euro", "75 triệu euro", norm(75000000, "eur")),
    ("chi 58 tỉ cho dự án", "58 tỉ", norm(58000000000, "đồng")),  # money in đồng when no unit is written
    # a unit of measure makes a distance of what a name or a house word before would exclude
    ("cách thành phố Raqa 55km về phía tây", "55km", norm(55, "km")), ("cách nhà 2km sau", "2km", norm(2, "km")),
    ("bộ nhớ 64GB, camera", "64GB", norm(64, "gb")), ("pin 3400 mAh", "3400 mAh", norm(3400, "mah")),
    ("nhiệt độ 36,2 độ C", "36,2 độ C", norm(36.2, "độ c")),  # the `độ` of `nhiệt độ` is no `about`
    # "số 63" alone is an identifier; after "trong" it counts: the whole of which 45 are a part.
    ("có 45 trong số 63 tỉnh, thành phố", "45 trong số 63 tỉnh", norm(45, "tỉnh", of=63)),
    ("CÓ 45 TRONG SỐ 63 TỈNH", "45 TRONG SỐ 63 TỈNH", norm(45, "tỉnh", of=63)),
    ("có 28 cơ sở trợ giúp xã hội công lập (Trung", "28 cơ sở trợ giúp xã hội công lập",
     norm(28, "cơ sở trợ giúp xã hội công lập")),
    ("thành lập 99 Câu lạc bộ liên thế hệ", "99 Câu lạc bộ", norm(99, "câu lạc bộ")),
    ("là 21 tỷ 300 triệu đồng.", "21 tỷ 300 triệu đồng", norm(21300000000, "đồng")),
    ("vượt qua con số 1 triệu USD.", "1 triệu USD", norm(1000000, "usd")),
    ("tại 100% số quận huyện và", "100% số quận huyện", norm(100, "%")),
    ("chính xác 100% đối với nhiều ca", "100%", norm(100, "%")),
    ("chiếm 70% thành viên", "70%", norm(70, "%")),
    ("có 8 huyện miền núi tỉnh Quảng Nam", "8 huyện miền núi", norm(8, "huyện miền núi")),
    ("tại 3 miền Bắc, Trung, Nam", "3 miền", norm(3, "miền")),
])
def test_written_forms(text, span, expected):
    assert figures(text) == [(span, expected)]


def test_a_range_of_shares_is_no_range_of_days():
    text = "rẻ hơn từ 20-30% so với"
    assert [(span, n["value"], n["unit"]) for span, n in figures(text)] == [("20", 20, "%"), ("30%", 30, "%")]


def test_range_gives_two_figures_with_one_unit():
    assert figures("tăng từ 1.210.000 lên 1.300.000 đồng") == [
        ("1.210.000", norm(1210000, "đồng")), ("1.300.000 đồng", norm(1300000, "đồng"))]
    assert figures("phạt từ 5 triệu đồng đến 10 triệu đồng.") == [
        ("5 triệu đồng", norm(5000000, "đồng")), ("10 triệu đồng", norm(10000000, "đồng"))]
    assert figures("đặt trước từ 5% - 20% giá khởi điểm") == [("5%", norm(5, "%")), ("20%", norm(20, "%"))]


@pytest.mark.parametrize("text", [
    "1. Về kết quả triển khai", "bao gồm: 1.Nâng cao nhận thức", "tại số 110, Thái Thịnh",
    "gọi 0912.345.678 hoặc 024 3823 4567", "khóa XIV, lần thứ 5", "Chuyên đề 2: Nâng cao năng lực",
    "trẻ em dưới 6 tuổi", "trẻ từ 1 đến dưới 16 tuổi", "người 60 tuổi trở lên", "sau 10 năm thực hiện",
    "trong 03 năm", "kéo dài 6 tháng", "gấp 2 lần", "hệ số 1,25", "lúc 10:46", "8h30 sáng",
    "Quyết định số 1438/QĐ-TTg", "Nghị quyết 57-NQ/TW", "COVID-19 lan rộng", "Đề án 1533 về",
    "khoản 6 Điều 7 Luật", "43 Nguyễn Chí Thanh, Ba Đình", "Số tài khoản: 102.010.002.585.585",
    "vào mùng 2 Tết", "Bộ 3 Khoa học Công nghệ", "hạng 3", "thứ 2 đi làm", "Mẫu số 11 ban hành kèm",
    "Nghị định số 116 chồng chéo",
    # durations in hours, a kind of vehicle or hotel, a match's minute, a model's name
    "sau hơn 4 tiếng chờ đợi", "mất 3 tiếng đồng hồ", "xe khách 50 chỗ lật", "mẫu SUV 7 chỗ", "khách sạn 5 sao",
    "phút 42 trận lượt về", "ra mắt iPhone 7 Plus", "Mạng 4G phủ sóng",
])
def test_not_figures(text):
    assert figures(text) == []


def test_numbers_inside_dates_are_left_to_dates():
    assert figures("ngày 5/7/2023 có 5 người") == [("5 người", norm(5, "người"))]
    assert figures("từ ngày 5/7 đến ngày 9/7/2023") == []


@pytest.mark.parametrize("text, span", [
    ("HƠN 500 ĐẠI BIỂU THAM DỰ HỘI NGHỊ", "HƠN 500 ĐẠI BIỂU"),
    ("hon 500 dai bieu tham du hoi nghi", "hon 500 dai bieu"),
    (unicodedata.normalize("NFD", "hơn 500 đại biểu tham dự hội nghị"),
     unicodedata.normalize("NFD", "hơn 500 đại biểu")),
])
def test_capitals_no_diacritics_and_nfd(text, span):
    (found, found_norm), = figures(text)
    assert found == span
    assert found_norm["value"] == 500 and found_norm["qualifier"] == "more_than"
    assert found_norm["unit"] in ("đại biểu", "dai bieu")


def test_old_tone_placement():
    # the unit is written canonically (thủy), the span keeps the input's own spelling (thuỷ)
    assert figures("cứu 100 thuỷ thủ, 20 hộ gia đình được hoà nhập") == [
        ("100 thuỷ thủ", norm(100, "thủy thủ")), ("20 hộ gia đình", norm(20, "hộ gia đình"))]


def test_without_diacritics_words_are_read_by_their_folded_form_only_there():
    # "thu" (to collect) is not "thứ" (ordinal) in a text with diacritics
    assert figures("Sở thu 500.000 đồng của mỗi hộ") == [("500.000 đồng", norm(500000, "đồng"))]
    assert figures("lan thu 5 to chuc hoi nghi") == []


def test_offsets_through_the_pipeline_on_nfd_input():
    text = unicodedata.normalize("NFD", "Năm 2022, tỉnh hỗ trợ khoảng 8.500 người khuyết tật với 1,5 tỷ đồng.")
    result = extract(Document(id="t", text=text))
    found = [(text[e.start:e.end], e.norm["value"]) for e in result.entities if e.label == "FIGURE"]
    assert found == [(unicodedata.normalize("NFD", "khoảng 8.500 người khuyết tật"), 8500),
                     (unicodedata.normalize("NFD", "1,5 tỷ đồng"), 1500000000)]


PIECES = list("0123456789.,/%- :()\n") + [
    "hơn ", "khoảng ", "trên ", "gần ", "tỷ ", "triệu ", "nghìn ", "đồng", " người", " trẻ em", " tuổi",
    " năm", "số ", "từ ", " đến ", " lên ", "\u0301", "\u0300", "\u00a0", "ĐẠI BIỂU", " trong ", "QĐ-TTg"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.text(max_size=60)))
def test_random_text_never_raises_and_spans_index_the_input(text):
    ctx = context(text)
    for span in find_figures(ctx):
        assert 0 <= span.start < span.end <= len(ctx.text)
        start, end = ctx.clean.to_original(span.start, span.end)
        assert 0 <= start < end <= len(text)
        assert isinstance(span.norm["value"], (int, float))
    for entity in extract(Document(id="t", text=text)).entities:
        assert entity.text == text[entity.start:entity.end]


@pytest.mark.parametrize("text, kept", [
    # a road's, a milestone's or an army unit's number names it: no count
    ("Tai nạn xảy ra trên quốc lộ 14 đoạn qua huyện Chư Sê.", []),
    ("Tại Km 15 QL1A có 3 xe va chạm.", ["3 xe"]),
    ("Bộ Tư lệnh Quân khu 7 tặng 200 suất quà.", ["200 suất quà"]),
    ("Tai nan tren quoc lo 14 doan qua huyen Chu Se.", []),  # typed without diacritics
])
def test_a_number_that_names_a_road_or_unit_is_no_figure(text, kept):
    assert [span for span, _ in figures(text)] == kept
