"""PROGRAM: named programmes with name, period and the approving document."""
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import extract


def programs(text):
    return [e for e in extract(Document(id="t", text=text)).entities if e.label == "PROGRAM"]


def test_numbered_programme_takes_the_decision_with_its_number():
    (p,) = programs("Các tỉnh triển khai Đề án 1533 hiệu quả, theo Quyết định số 1533/QĐ-TTg.")[:1]
    assert p.text == "Đề án 1533"
    assert p.norm == {"name": "Đề án 1533", "ref": "1533/QĐ-TTg", "period": None}


def test_name_with_list_and_period():
    text = ("Quyết định số 1438/QĐ-TTg phê duyệt Đề án hỗ trợ trẻ em khuyết tật tiếp cận các dịch vụ bảo vệ, "
            "chăm sóc, giáo dục tại cộng đồng giai đoạn 2019 – 2025. Sở đã họp.")
    (p,) = programs(text)
    assert p.text.endswith("giai đoạn 2019 – 2025")
    assert p.norm["name"] == "Đề án hỗ trợ trẻ em khuyết tật tiếp cận các dịch vụ bảo vệ, chăm sóc, giáo dục tại cộng đồng"
    assert p.norm["period"] == "2019/2025"
    assert p.norm["ref"] == "1438/QĐ-TTg"


def test_until_year_and_plan_that_carries_out_a_programme():
    (p,) = programs("UBND ban hành Kế hoạch thực hiện Chương trình phát triển công tác xã hội đến năm 2030, với mục tiêu rõ.")
    assert p.text == "Kế hoạch thực hiện Chương trình phát triển công tác xã hội đến năm 2030"
    assert p.norm["period"] == "/2030"


def test_not_programmes():
    assert programs("Đề án đã được triển khai. Các chương trình khác cũng vậy.") == []
    assert programs("Sở xây dựng kế hoạch tích cực phối hợp với các ngành.") == []
    assert programs("Kế hoạch số 1941/KH-UBND ngày 07/5/2021") == []  # a citation, not a programme
    assert programs("theo Chương trình Phát triển Liên hợp quốc (UNDP)") == []  # an organization


def test_no_diacritics_and_capitals():
    (p,) = programs("TRIỂN KHAI ĐỀ ÁN 1533 TẠI ĐỊA PHƯƠNG")
    assert p.norm["name"] == "ĐỀ ÁN 1533"
    (p,) = programs("trien khai De an 1533 tai dia phuong")
    assert p.text == "De an 1533"


def test_quoted_names():
    (p,) = programs("Quỹ phát động chương trình “Trái tim cho em” tại Hà Nội.")
    assert p.text == "chương trình “Trái tim cho em”"
    assert p.norm["name"] == "chương trình Trái tim cho em"
    (p,) = programs("triển khai Đề án \"Hỗ trợ nhóm trẻ độc lập\" giai đoạn 2016-2020, nhiều nơi")
    assert p.text == "Đề án \"Hỗ trợ nhóm trẻ độc lập\" giai đoạn 2016-2020" and p.norm["period"] == "2016/2020"


def test_enumerated_programmes_in_lower_case():
    found = programs("Hội có 3 chương trình trọng tâm, gồm: chương trình bếp cơm tình thương; chương trình ánh sáng cho người mù nghèo.")
    assert [p.norm["name"] for p in found] == ["chương trình bếp cơm tình thương", "chương trình ánh sáng cho người mù nghèo"]


def test_named_plan():
    (p,) = programs("Các nước thảo luận Kế hoạch Hành động về Phát triển nông thôn, đô thị.")
    assert p.text.startswith("Kế hoạch Hành động về Phát triển nông thôn")


def test_words_are_matched_with_their_diacritics():
    # folded, `đẳng` is the stop word `đang`, `tư` of `đầu tư` the `từ` a name may not end with,
    # `cơ` the `có` that starts a clause, `để ăn` the keyword `đề án`
    assert [p.text for p in programs("Chiến lược quốc gia về bình đẳng giới giai đoạn 2021-2030 đã được ban hành.")] == \
        ["Chiến lược quốc gia về bình đẳng giới giai đoạn 2021-2030"]
    assert [p.text for p in programs("Chương trình hỗ trợ đầu tư cho vùng khó khăn.")] == \
        ["Chương trình hỗ trợ đầu tư cho vùng khó khăn"]
    assert [p.text for p in programs("Chương trình hỗ trợ cơ sở vật chất cho trường học.")] == \
        ["Chương trình hỗ trợ cơ sở vật chất cho trường học"]
    assert programs("Gia đình không có tiền để ăn học nên em bỏ học.") == []
    # typed without diacritics, the folded forms still stop a name
    assert [p.text for p in programs("trien khai Chuong trinh muc tieu quoc gia giam ngheo do UBND tinh chu tri")] == \
        ["Chuong trinh muc tieu quoc gia giam ngheo"]


def test_keywords_that_name_no_programme():
    for text in ("Chiến lược gia người Bồ Đào Nha lý giải về thất bại.",  # a coach
                 "Kế hoạch hóa gia đình là một chính sách lớn.",
                 "Lãnh đạo Ban quản lý dự án Đường sắt xin lỗi tác giả.",  # a body's name
                 "Các Bộ trưởng: Tài chính, Kế hoạch và Đầu tư, Công thương.",
                 "Dự án thứ hai nằm ở quận 7.", "Đề án nêu rõ nguyên tắc thực hiện.",  # clauses
                 "Em theo học chương trình tiến sĩ tại Mỹ.",  # a degree course
                 "Dự án xây dựng cầu Đại Ngãi nối Sóc Trăng với Trà Vinh được khởi công.",  # a facility
                 "Quốc hội thảo luận dự án Luật Trợ giúp pháp lý (sửa đổi).",  # a bill
                 "Các binh sĩ thuộc phong trào Hồi giáo vũ trang cũng tham chiến.",  # groups
                 "Sự hỗ trợ của phong trào Hezbollah đã giúp chính quyền.",
                 "Từ ngày 8, chương trình 10.000 nụ cười xác lập kỷ lục.",  # a count
                 "Nhờ những người hiến máu mà phong trào hiến máu tại Việt Nam phát triển."):
        assert programs(text) == [], text


def test_shows_are_no_programmes_and_their_name_stays_one():
    assert programs("Tối 9/6, chương trình Gương mặt điện ảnh lên sóng trên kênh VTV3.") == []
    assert programs("Anh từng dẫn chương trình Hát mãi ước mơ. Chương trình Hát mãi ước mơ giúp nhiều em.") == []
    assert programs("Tập 4 của chương trình \"Người mẫu Việt Nam\" mùa 8 sẽ được phát sóng vào 20h.") == []
    # a charity programme a gala is broadcast for stays a programme
    (p,) = programs("Gala truyền hình trực tiếp trên kênh VTV1 trong khuôn khổ chương trình \"Trái tim cho em\" quyên góp 5 tỷ đồng.")
    assert p.norm["name"] == "chương trình Trái tim cho em"


def test_a_name_given_before_is_read_again_in_lower_case():
    found = programs("Chương trình chống lao vẫn duy trì mục tiêu. Tỷ lệ dân số được chương trình chống lao tiếp cận đạt 100%.")
    assert [p.text for p in found] == ["Chương trình chống lao", "chương trình chống lao"]


def test_a_quoted_name_after_the_keyword_phrase_and_a_lettered_number():
    (p,) = programs("Phong trào thi đua “Cả nước chung tay vì người nghèo” được phát động.")
    assert p.norm["name"] == "Phong trào thi đua Cả nước chung tay vì người nghèo"
    assert [p.text for p in programs("Xã triển khai Chương trình 135 và chương trình 30a.")] == ["Chương trình 135", "chương trình 30a"]


def test_a_descriptive_name_said_again_is_a_programme():
    text = ("Ông phát biểu tại hội nghị sơ kết đề án truy xuất nguồn gốc thịt heo. "
            "Theo ông, đề án truy xuất nguồn gốc thịt heo là chủ trương thiết thực.")
    assert [p.text for p in programs(text)] == ["đề án truy xuất nguồn gốc thịt heo"] * 2
    # said once, a lower-case description names no programme (guide: `chương trình phục hồi kinh tế`)
    assert programs("Bộ đề xuất chương trình phục hồi kinh tế sau đại dịch.") == []


def test_a_plural_keyword_before_named_members_gives_one_programme_each():
    found = programs("Vốn đến qua các chương trình 135, xây dựng nông thôn mới, mục tiêu quốc gia giảm nghèo… đang tạo động lực.")
    assert [(p.text, p.norm["name"]) for p in found] == [
        ("chương trình 135", "chương trình 135"),
        ("xây dựng nông thôn mới", "chương trình xây dựng nông thôn mới"),
        ("mục tiêu quốc gia giảm nghèo", "chương trình mục tiêu quốc gia giảm nghèo")]
    found = programs("Bệnh viện triển khai hai chương trình Cấp cứu Nhi khoa và Nâng niu Sự sống.")
    assert [p.norm["name"] for p in found] == ["chương trình Cấp cứu Nhi khoa", "chương trình Nâng niu Sự sống"]
    # one description, not a list of programmes; a plural keyword alone names none
    assert programs("Tỉnh triển khai các chương trình phòng chống HIV và ma túy.") == []
    assert programs("Các chương trình khác cũng vậy.") == []
