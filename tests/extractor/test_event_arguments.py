"""The event's arguments as a reader gives them (issue #15, guide: Events): its date, with the year
only where the article gives one, and its province by order of evidence (the venue, the organizer's
locality, the article's own)."""
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import extract
from vnfacts.extractor.places import today_of


def events(text, published=None):
    return [(e.kind, e.date, e.province, e.location) for e in extract(Document(id="t", text=text,
                                                                              published=published)).events]


def test_a_day_takes_the_year_the_gatherings_name_is_written_with():
    # no `published`: the press conference's own name carries the year of its day
    # (past the lead, whose year the DATE finder reads as the article's frame)
    briefing = ("Chưa ngân hàng nào bị nhiễm mã độc\nMã độc tống tiền đang lây lan trên toàn cầu. "
                "Nhiều máy tính đã bị mã hóa dữ liệu. "
                "Tại cuộc họp báo Banking Vietnam 2017 diễn ra chiều nay (15/5), ông Hoàng Minh Tiến cho biết "
                "các ngân hàng vẫn an toàn.")
    assert events(briefing) == [("họp báo", "2017-05-15", None, None)]
    # the same gathering named with its year in another paragraph
    elsewhere = ("Phát huy sức mạnh nhân dân\nNhân dân bàn việc của thôn. Các đại biểu nêu nhiều ý kiến.\n"
                 "Theo kế hoạch, hội nghị ĐBND năm 2017 được tiến hành ở thôn, làng, tổ dân phố.\n"
                 "Sáng 6-2, UBND xã Tản Lĩnh tổ chức hội nghị ĐBND tại nhà văn hóa thôn.")
    assert [date for _, date, _, _ in events(elsewhere)] == ["2017-02-06"]
    # a name in sentence case ends with its proper name before the year
    festival = ("Trắng đêm chờ xin ấn\nNgười dân đứng xếp hàng từ đêm. Trời rất lạnh. Theo thông báo của BTC lễ hội "
                "khai ấn đền Trần 2017, lễ hội khai ấn diễn ra từ 5h ngày 11/2 tại đền Trần.")
    assert [(kind, date) for kind, date, _, _ in events(festival)] == [("lễ hội", "2017-02-11")]


def test_a_year_that_names_no_gathering_gives_no_year():
    # a law's year in the event's sentence (past the lead, whose year the DATE finder reads as the frame)
    lead = "Chăm lo cho trẻ em\nNgành lao động tiếp tục chăm lo cho trẻ em khó khăn. "
    implementing = lead + ("Sáng 12/1, Sở Lao động - Thương binh và Xã hội tổ chức hội nghị triển khai Luật Trẻ "
                           "em 2016 tại hội trường Sở.")
    assert [date for _, date, _, _ in events(implementing)] == ["--01-12"]
    # a period a review covers: no name between the phrase and the year
    reviewed = lead + "Sáng 12/1, Sở Lao động - Thương binh và Xã hội tổ chức hội nghị tổng kết năm 2016."
    assert [date for _, date, _, _ in events(reviewed)] == ["--01-12"]


def test_a_bodys_seat_after_tai_is_the_venue_and_gives_its_province():
    honoured = ("Cậu học trò được vinh danh\n"
                "Ngày 29.5, tại Trường THPT TX.Quảng Trị, Sở GD-ĐT tỉnh Quảng Trị đã tổ chức lễ tuyên dương "
                "Phạm Huy, cậu học trò vừa đạt giải 3 cuộc thi khoa học kỹ thuật quốc tế do Intel tổ chức tại Mỹ.")
    assert events(honoured) == [("trao giải", "--05-29", "Quảng Trị", "Trường THPT TX.Quảng Trị")]


def test_the_day_the_press_was_told_is_not_the_meetings():
    told = ("Xử lý kỷ luật kíp cấp cứu\nLiên quan tới vụ xe cấp cứu, chiều ngày 11/7 thông tin tới báo chí, "
            "ông Nguyễn Thành, Giám đốc Trung tâm Cấp cứu 115 Hà Nội, cơ quan này đã tiến hành họp và đưa ra "
            "hình thức kỷ luật với kíp cấp cứu ngày 9/7.")
    assert [(kind, date) for kind, date, _, _ in events(told)] == [("cuộc họp", None)]


def test_another_day_of_a_sentence_dated_by_its_telling_is_the_events_only_as_its_time():
    announced = ("Thủ tướng sẽ dự Hội nghị Thượng đỉnh G20\nNgày 29-6, Người phát ngôn Bộ Ngoại giao cho biết, "
                 "Thủ tướng sẽ thăm Cộng hòa Liên bang Đức, tham dự Hội nghị Thượng đỉnh G20 tại thành phố "
                 "Hamburg, Đức từ ngày 5 đến 11-7.")
    assert [(kind, date, province) for kind, date, province, _ in events(announced)] == [
        ("hội nghị", "--07-05/--07-11", None)]


def test_an_anniversarys_span_is_no_gatherings_days_and_its_latest_year_dates_the_day():
    remembered = ("Lãnh đạo TP.HCM tưởng nhớ ông Phạm Văn Chiêu\nNhân kỷ niệm 110 năm ngày sinh ông Phạm Văn Chiêu, "
                  "nguyên Bí thư Tỉnh ủy (16-6-1907 – 16-6-2017). Sáng 16-6, Phó Bí thư Thành ủy TP.HCM Võ Thị Dung "
                  "dẫn đầu đoàn cán bộ thành phố đến thăm gia đình ông. Tại buổi lễ, các đại biểu đã thắp hương.")
    found = extract(Document(id="t", text=remembered))
    assert [(e.kind, e.date) for e in found.events][:1] == [("lễ, kỷ niệm", "2017-06-16")]
    assert [e.norm["value"] for e in found.entities if e.label == "DATE"] == ["1907-06-16/2017-06-16", "2017-06-16"]


def test_a_gathering_told_as_where_the_lead_happened_takes_the_leads_day_written_with_its_lead_word():
    spoke = ("Ngoại trưởng Mỹ hối thúc Nga\n"
             "Ngày 9/7, Ngoại trưởng Mỹ Rex Tillerson đang ở thăm Ukraine đã lên tiếng hối thúc Nga hành động. "
             "Phát biểu trong một cuộc họp báo sau cuộc gặp với Tổng thống Ukraine, ông Tillerson nhấn mạnh "
             "Nga cần hành động.")
    assert [(kind, date) for kind, date, _, _ in events(spoke)] == [("họp báo", "--07-09")]


def test_an_undated_article_names_hue_as_it_was_before_the_renaming():
    # the merged provinces of an undated article keep their old names (the legacy era): so does Huế
    rite = ("Hàng nghìn người xem lễ Tắm Phật ở xứ Huế\nChiều 9/5, Ban trị sự Giáo hội Phật giáo Việt Nam tỉnh "
            "Thừa Thiên - Huế đã tổ chức lễ Tắm Phật ở chùa Diệu Đế.")
    found = extract(Document(id="t", text=rite))
    assert [e.province for e in found.events] == ["Thừa Thiên Huế"]
    assert found.document.province == "Thừa Thiên Huế" and found.document.province_today == "Huế"
    assert today_of("Thừa Thiên Huế") == "Huế"
    dated = extract(Document(id="t", text=rite, published="2025-09-01"))
    assert [e.province for e in dated.events] == ["Huế"]


def test_a_gathering_told_to_last_until_a_day_takes_its_days():
    session = ("Hôm nay, Ủy ban Thường vụ Quốc hội khai mạc Phiên họp thứ 12\nHôm nay (11/7), Ủy ban Thường vụ "
               "Quốc hội khai mạc Phiên họp thứ 12. Phiên họp dự kiến kéo dài hết ngày 12/7 với nhiều nội dung.")
    assert [(kind, date) for kind, date, _, _ in events(session)] == [("cuộc họp", "--07-11/--07-12")]


def test_the_day_a_source_told_is_not_the_day_of_what_it_told():
    told = ("Đình chỉ trường mầm non\nBộ yêu cầu làm rõ vụ việc. Ảnh cắt từ clip. Theo thông tin từ Phòng "
            "GD&ĐT quận Hai Bà Trưng chiều ngày 6/2, cơ quan này đã làm việc với nhà trường.")
    assert [(kind, date) for kind, date, _, _ in events(told)] == [("buổi làm việc", None)]


def test_the_venue_of_the_sentence_that_dates_the_gathering_wins_over_the_headlines_place():
    honoured = ("Cậu học trò chế cánh tay robot đạt giải tại Mỹ được vinh danh\nNgày 29.5, tại Trường THPT "
                "TX.Quảng Trị, Sở GD-ĐT tỉnh Quảng Trị đã tổ chức lễ tuyên dương Phạm Huy.")
    assert events(honoured) == [("trao giải", "--05-29", "Quảng Trị", "Trường THPT TX.Quảng Trị")]


def test_a_province_named_only_inside_bodies_names_is_not_the_events():
    # the article's most named province, but only in the name of the exchange and of a bank's branch:
    # the shareholders' meeting has no province of its own
    listed = ("Vietjet được chấp thuận niêm yết\nCổ phiếu sẽ giao dịch từ tháng sau. Giá chào sàn chưa được "
              "công bố. Nhà đầu tư đang chờ đợi. Sở Giao dịch chứng khoán TP HCM vừa chấp thuận hồ sơ. "
              "Ngân hàng Vietcombank chi nhánh TP HCM làm đại lý. Tại cuộc họp mới đây, Đại hội đồng cổ đông "
              "Vietjet đã thông qua phương án phát hành cổ phần.")
    found = extract(Document(id="t", text=listed))
    assert found.document.province == "Hồ Chí Minh"  # the article's own province, as stored
    assert [(e.kind, e.province) for e in found.events] == [("cuộc họp", None)]


def test_a_national_bodys_seat_as_venue_is_the_national_seat_before_the_articles_province():
    corridor = ("Chủ tịch Hà Tĩnh nói về vụ nổ tại Formosa\nSau khi vụ nổ xảy ra, lãnh đạo Hà Tĩnh đã vào cuộc. "
                "Trao đổi với báo chí bên hành lang Quốc hội sáng 31-5, Chủ tịch UBND tỉnh Hà Tĩnh Đặng Quốc Khánh "
                "cho hay lãnh đạo tỉnh đã khẩn cấp vào Kỳ Anh.")
    assert events(corridor) == [("họp báo", "--05-31", "Hà Nội", "Quốc hội")]


def test_the_same_day_said_after_the_day_of_the_telling_is_that_day():
    # `cùng ngày` after the day the news was told, in the same sentence: the meeting was held that day
    told = ("Miễn nhiệm chức danh phó chủ tịch thành phố\nChiều 7-7, ông Võ Ngọc Đồng, Giám đốc Sở Nội vụ TP Đà "
            "Nẵng, xác nhận trưa cùng ngày HĐND TP Đà Nẵng đã tổ chức kỳ họp bất thường để biểu quyết miễn nhiệm.")
    assert [(kind, date, province) for kind, date, province, _ in events(told)] == [("cuộc họp", "--07-07", "Đà Nẵng")]
    # without `cùng ngày` the day of the telling stays no evidence of the meeting's
    no_same_day = told.replace("trưa cùng ngày ", "")
    assert [date for _, date, _, _ in events(no_same_day)] == [None]


def test_today_pinned_to_a_written_day_dates_the_launch_told_later_as_this_morning():
    # `từ hôm nay, 8-5,`: the written day is the DATE (guide: a relative day gives way to it), and the
    # launch `sáng nay` that the next sentence refers back to takes the lead's day; with `published` its year
    text = ("Rau hữu cơ vào siêu thị\nBắt đầu từ hôm nay, 8-5, 6 siêu thị Co.opmart của Liên hiệp HTX Thương mại "
            "TP HCM chính thức bán các sản phẩm hữu cơ.\nTại lễ ra mắt thương hiệu Co.op Organic sáng nay, ông "
            "Phạm Trung Kiên cho biết đơn vị này đưa vào kinh doanh 4 nhóm thực phẩm.")
    assert [(kind, date) for kind, date, _, _ in events(text)] == [("ra mắt, công bố", "--05-08")]
    assert [(kind, date) for kind, date, _, _ in events(text, "2017-05-08")] == [("ra mắt, công bố", "2017-05-08")]


def test_a_month_after_the_gatherings_name_that_ends_its_clause_is_its_date():
    # a past gathering a feature recalls, its month after its name (`--05`: no year written)
    recalled = ("Ca sĩ có bạn trai mới\nCô vừa công bố bạn trai mới với người hâm mộ. "
                "Selena Gomez giới thiệu bạn trai mới với giới truyền thông tại sự kiện Met Gala đầu tháng 5.")
    assert [(kind, date) for kind, date, _, _ in events(recalled)] == [("gala, đêm nhạc", "--05")]
    # a year there is the period of what the gathering opens, not its date
    period = ("Khai mạc cuộc họp đầu tiên\nPhát biểu khai mạc cuộc họp đầu tiên của Nhóm PPWE trong 2017, "
              "Thứ trưởng đã thông báo chủ đề của Diễn đàn.")
    assert [date for _, date, _, _ in events(period)][:1] == [None]
    # a month planned for another gathering the sentence names (`sẽ trình lên Hội nghị Cấp cao APEC vào
    # tháng 11/2017`) is no date of the one told
    planned = ("Hội nghị ở Ninh Bình\nSáng nay, tại Ninh Bình diễn ra hội nghị về phát triển bao trùm. Hội nghị cũng "
               "nghe báo cáo dự kiến sẽ trình lên Hội nghị Cấp cao APEC vào tháng 11/2017.")
    assert all(date != "2017-11" for _, date, _, _ in events(planned))


def test_a_contest_told_without_a_day_takes_the_year_its_name_is_written_with():
    text = ("Hoa hậu trở lại\nHoa hậu Phạm Hương trở lại với công việc sau chuyến đi châu Phi.\n"
            "Trước đó, trong cuộc thi Hoa hậu hoàn vũ 2015, không ít khán giả quốc tế đã nhầm lẫn cô là người Mỹ Latin.")
    assert [(kind, date) for kind, date, _, _ in events(text)] == [("hội thi", "2015")]


def test_a_gathering_some_days_from_the_day_just_told_takes_that_day_moved():
    def told(day, apart):
        return [date for _, date, _, _ in events(
            f"U20 futsal Việt Nam ra quân\nĐội tuyển U20 futsal Việt Nam gặp U20 Tajikistan vào lúc 15 giờ ngày {day} "
            f"tại Bangkok - Thái Lan.\n{apart}, AFC đã tổ chức họp kỹ thuật.")]
    assert told("17-5", "Trước đó 1 ngày") == ["--05-16"]
    assert told("1-3-2016", "Hai ngày sau đó") == ["2016-03-03"]
    assert told("29-2", "Trước đó một ngày") == ["--02-28"]
    # a year-less 1 March: the day before is 28 or 29 February, unknown which
    assert told("1-3", "Trước đó một ngày") == [None]
    # a year after a time word is the time the sentence gives, not the name's (`vào năm 2020`)
    planned = ("Vay 3 tỷ USD xây sân bay\nUAE đã vay 3 tỷ USD mở rộng sân bay.\nUAE vay để chuẩn bị tổ chức "
               "Triển lãm Thế giới vào năm 2020, Bloomberg đưa tin ngày 5/2.")
    assert all(date != "2020-02-05" for _, date, _, _ in events(planned))
