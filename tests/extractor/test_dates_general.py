"""DATE in general news (sport, fashion, portraits, bulletins): the written forms issue #15/#16 found
missing, and the look-alikes around them that must stay no date. Every sentence is made up."""
import unicodedata

import pytest

from test_dates import context, dates
from vnfacts.extractor.dates import find_dates


@pytest.mark.parametrize("text, expected", [
    # a CV's lines: months over years, with no lead word, and a `Từ ... đến ...` of bare months
    ("Tiểu sử\n3/1975-11/1981: Học đại học.\n12/1981 - 2/1990: Giảng viên.",
     [("3/1975-11/1981", "1975-03/1981-11"), ("12/1981 - 2/1990", "1981-12/1990-02")]),
    ("Từ 8/2011 đến 4/2014: Giám đốc Sở.", [("Từ 8/2011 đến 4/2014", "2011-08/2014-04")]),
    ("thi công từ tháng 3/2015-9/2017. Sau", [("từ tháng 3/2015-9/2017", "2015-03/2017-09")]),
    # seasons: a lead word, an adjective between (the span is the years), a bare pair of following years
    ("vô địch ở mùa giải 2014/15 và mùa 2018-2019.", [("mùa giải 2014/15", "2014/2015"), ("mùa 2018-2019", "2018/2019")]),
    ("ghi bàn ở mùa giải đáng nhớ 1999/00 rồi", [("1999/00", "1999/2000")]),
    ("bộ sưu tập thu đông 2015/2016 của", [("2015/2016", "2015/2016")]),
    # a list of days sharing the month written after the last: each day is a DATE
    ("họp vào ngày 21 và 22/3 tới.", [("ngày 21", "--03-21"), ("22/3", "--03-22")]),
    ("quan sát vào rạng sáng 8 và 9/10 trên bầu trời.", [("8", "--10-08"), ("9/10", "--10-09")]),
    ("thi trong hai ngày 3 và 4.6.", [("ngày 3", "--06-03"), ("4.6", "--06-04")]),
    # three or more days that follow each other are one range; days that skip are a list
    ("mưa lớn trong các ngày 6, 7, 8, 9 tháng 7 tại", [("ngày 6, 7, 8, 9 tháng 7", "--07-06/--07-09")]),
    ("trong các ngày 25, 26 và 27/9/2014, ông", [("ngày 25, 26 và 27/9/2014", "2014-09-25/2014-09-27")]),
    ("vào các ngày 12/11, 19/11 và 3/12 tới.", [("ngày 12/11", "--11-12"), ("19/11", "--11-19"), ("3/12", "--12-03")]),
    # a bare day/month where the words around it make it a day
    ("Tin thể thao 9/3: Đội tuyển thắng.", [("9/3", "--03-09")]),
    ("Trận đấu diễn ra vào 2h30, 5/8, trên sân", [("5/8", "--08-05")]),
    ("mít tinh chào mừng Quốc khánh 2/9 và Valentine 14/2.", [("2/9", "--09-02"), ("14/2", "--02-14")]),
    ("mưa còn kéo dài đến hết 21/8, mưa", [("21/8", "--08-21")]),
    ("phiên tòa trong hai ngày (24 - 25/7), với", [("24 - 25/7", "--07-24/--07-25")]),
    # decades with two digits, and of a named century
    ("mốt của thập niên 60 trở lại", [("thập niên 60", "1960/1969")]),
    ("từ những năm 40 của thế kỷ trước", [("những năm 40 của thế kỷ trước", "1940/1949")]),
    ("thập niên 30 của thế kỷ XIX", [("thập niên 30 của thế kỷ XIX", "1830/1839")]),
    # other spellings and leads
    ("lợi nhuận quí 2/2015 tăng", [("quí 2/2015", "2015-04/2015-06")]),
    ("nhận việc hồi giữa tháng tư mà chưa", [("tháng tư", "--04")]),
    ("vào đội tuyển U19 năm 2016 và lớp 12 năm 2016", [("năm 2016", "2016"), ("năm 2016", "2016")]),
    ("ngày 5 thang 9 năm 2016 tại", [("ngày 5 thang 9 năm 2016", "2016-09-05")]),
])
def test_general_news_forms(text, expected):
    assert dates(text, None) == expected


@pytest.mark.parametrize("text, span, value, relative", [
    ("bị đánh vào thứ năm tuần trước và", "thứ năm tuần trước", "2025-06-26", "week-1/thu"),
    ("khai trương vào thứ sáu tuần này", "thứ sáu tuần này", "2025-07-04", "week+0/fri"),
    ("Bảng xếp hạng tháng 5/2025\nTháng vừa qua, xe bán chạy", "Tháng vừa qua", "2025-05", "month-1"),
    ("đội U21 năm nay thi đấu", "năm nay", "2025", "year+0"),
    ("ghi bàn ở mùa giải năm nay khi có", "năm nay", "2025", "year+0"),
])
def test_general_news_relative_dates(text, span, value, relative):
    ctx = context(text, "2025-06-30")
    found = [(ctx.clean.original_span(s.start, s.end), s.norm) for s in find_dates(ctx)
             if s.norm["relative"] is not None]
    assert found == [(span, {"value": value, "relative": relative})]


@pytest.mark.parametrize("text", [
    # numbers in codes, fractions, shares, scores, formations, counts of months
    "theo Nghị định 15/2016/NĐ-CP và từ 12/2015/NĐ-CP", "tỷ lệ 3/4 dân số, 1/2 số hộ", "67% (4/6) giao bóng",
    "Đội hình ra sân (4-4-2): thủ môn", "tước giấy phép lái xe từ 1-3 tháng", "số 2016/17 của sở",
    "giai đoạn 2013/2018 của", "những năm 20 tuổi", "Với 3 trận thắng 1 trận hòa", "duỗi thẳng 8 tuyến",
    "chấm theo thang 10, điểm", "mỗi bên 7/8 điểm", "đạt mức điểm từ 8/10 trở lên",
    # periods, habits, ages and spans of days (guide, DATE: `tuần qua` like `năm qua`)
    "sao mặc đẹp nhất tuần qua", "cuối tuần qua, giới thời trang", "sơ kết 6 tháng đầu năm", "6 tháng cuối năm",
    "kiêng kỵ dịp đầu năm", "lang thang mấy hôm nay", "thành tích như hôm nay", "trái ngọt như ngày hôm nay", "mới năm nay 41 tuổi", "Cùng năm này, chị",
    "thế hệ thứ năm này", "từ hàng ngàn năm nay", "ở thành phố bao năm nay", "cuối tháng ba người đến",
])
def test_general_news_look_alikes_stay_no_date(text):
    assert dates(text, None) == []


def test_new_forms_read_in_nfd_with_no_break_spaces():
    text = "Tiểu sử\n6/1970-12/1979: Nhập ngũ. Trước thềm trận chung kết mùa giải 2016/17 vào ngày 15 và 16/2 tới."
    written = unicodedata.normalize("NFD", text).replace(" ", "\u00a0")
    assert [value for _, value in dates(written, None)] == ["1970-06/1979-12", "2016/2017", "--02-15", "--02-16"]
