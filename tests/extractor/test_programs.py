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
