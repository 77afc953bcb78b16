"""Events: triggers, the main event first, its date, place, organizers, refs and attendance."""
import json
from pathlib import Path

from vnfacts.extractor.evaluate import evaluate
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import extract

REPO = Path(__file__).resolve().parents[2]

TWO_EVENTS = (
    "Nghệ An tổng kết công tác bảo trợ xã hội\n"
    "Ngày 5/3/2024, tại Hội trường Sở Y tế, Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An tổ chức Hội nghị "
    "tổng kết thực hiện Quyết định số 1438/QĐ-TTg năm 2023. Dự hội nghị có hơn 200 đại biểu. "
    "Năm qua, tỉnh đã tổ chức 90 lớp tập huấn cho cán bộ cơ sở. "
    "Ngày 20/3/2024, tại thành phố Vinh, Sở Lao động - Thương binh và Xã hội tiếp tục tổ chức lớp tập huấn "
    "cho 150 học viên."
)


def events(text, published="2024-03-21"):
    return extract(Document(id="t", text=text, published=published)).events


def test_article_with_two_events_main_event_first():
    found = events(TWO_EVENTS)
    assert [(e.type, e.date, e.province) for e in found] == [
        ("so_ket", "2024-03-05", "Nghệ An"), ("tap_huan", "2024-03-20", "Nghệ An")]
    main = found[0]
    assert main.organizers == ["Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An"]
    assert main.legal_refs == ["1438/QĐ-TTg"]
    assert main.participants == 200
    assert main.location == "Hội trường Sở Y tế"
    assert main.sentence == 1 and found[1].sentence == 4
    assert found[1].location == "thành phố Vinh"


def test_a_count_of_past_trainings_is_not_an_event():
    found = events(TWO_EVENTS)
    assert all(e.sentence != 3 for e in found)


def test_issuing_a_document_is_not_an_event_and_features_have_none():
    assert events("Ngày 29/10/2018, Thủ tướng Chính phủ ban hành Quyết định số 1438/QĐ-TTg phê duyệt Đề án.") == []
    assert events("Trẻ em khuyết tật cần được hỗ trợ nhiều hơn để tiếp cận giáo dục.") == []


def test_name_le_is_not_a_ceremony():
    assert events("Ông Lê Văn Thinh cho biết Sở sẽ tiếp tục hỗ trợ trẻ em.") == []


def test_national_bodies_meet_at_the_national_seat():
    found = events("Ngày 27/3, tại cơ quan Trung ương Hội, Hội Người cao tuổi Việt Nam tổ chức hội nghị sơ kết.",
                   "2018-03-28")
    assert [(e.type, e.date, e.province, e.location) for e in found] == [
        ("so_ket", "2018-03-27", "Hà Nội", "cơ quan Trung ương Hội")]


def test_devset_main_events_and_entity_scores_meet_the_bar():
    gold = [json.loads(line) for line in (REPO / "annotations/devset.jsonl").read_text(encoding="utf-8").splitlines()]
    pred = [extract(Document(id=d["id"], text=d["text"], published=d.get("published"))).to_json() for d in gold]
    report = evaluate(gold, pred)
    me = report["main_event"]
    assert me["documents"] == 5
    assert me["date"]["correct"] >= 4 and me["type"]["correct"] >= 4 and me["province"]["correct"] >= 4
    assert report["labels"]["ORG"]["overlap"]["f1"] >= 0.80
    assert report["labels"]["LOC"]["norm"]["f1"] >= 0.85


def test_trigger_words_that_are_no_event():
    assert events("Trong ảnh là mẹ bé tại lễ tang ở một ngôi chùa.") == []
    assert events("Quang cảnh phiên họp.") == []
    assert events("Công ty sử dụng con dấu để ký kết các văn bản đưa lao động đi làm việc.") == []
    assert events("Hợp đồng về các khoản đóng góp được ký kết tại đây, cũng không được thông báo.") == []
    signed = events("Sáng nay, tại Hà Nội, Tổng Liên đoàn Lao động Việt Nam và Hội Liên hiệp Phụ nữ Việt Nam "
                    "đã ký kết chương trình phối hợp.", "2017-06-09")
    assert [(e.type, e.province) for e in signed] == [("ky_ket", "Hà Nội")]


def test_the_address_does_not_go_on_into_a_title_with_a_lower_case_syllable():
    # `Đại úy Lê Hùng` is no address part: `úy` is lower case although À-Ỹ holds its letter
    found = events("Ngày 5/3/2024, Công an tỉnh Nghệ An tổ chức lớp tập huấn tại Khách sạn Mường Thanh, "
                   "Đại úy Lê Hùng, Phó trưởng phòng chủ trì.")
    assert [(e.type, e.location) for e in found] == [("tap_huan", "Khách sạn Mường Thanh")]


def test_the_event_takes_its_own_day_not_another_date_of_the_sentence():
    anniversary = ("Hướng đến kỷ niệm 70 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2017), ngày 6-7, "
                   "Trường Cao đẳng Cảnh sát nhân dân II tổ chức lễ khởi công công trình tại huyện Củ Chi.")
    assert [e.date for e in events(anniversary, None)] == ["2017-07-06"]
    in_force = "Để triển khai Thông tư có hiệu lực từ ngày 1/7, chiều 9/5, Bộ Y tế tổ chức hội nghị tập huấn."
    assert [e.date for e in events(in_force, "2017-05-10")] == ["2017-05-09"]
    takes_effect = ("Vừa qua, Liên đoàn Lao động huyện Mỹ Đức tổ chức hội nghị chuyển giao 77 công đoàn cơ sở "
                    "về trực thuộc Liên đoàn Lao động huyện từ ngày 1/7.")
    assert [e.date for e in events(takes_effect, "2017-07-05")] == [None]


def test_a_day_without_its_year_takes_only_a_year_that_frames_the_article():
    # no `published`: the first full date the article writes is a birth date, no year for the event
    birth = ("Sáng 12-4, Sở Lao động - Thương binh và Xã hội tổ chức hội nghị sơ kết tại Hà Nội. "
             "Hội nghị bàn về việc chăm lo cho trẻ em. Nhiều ý kiến được nêu ra. "
             "Ông Nguyễn Văn A (sinh ngày 3/2/1960) phát biểu.")
    assert [e.date for e in events(birth, None)] == ["--04-12"]
    # nor does the year its dates name most (the year of a plan, a report, a figure: guide, DATE)
    named_most = ("Sáng 12-4, Sở Lao động - Thương binh và Xã hội tổ chức hội nghị sơ kết tại Hà Nội. "
                  "Hội nghị bàn về việc chăm lo cho trẻ em. Nhiều ý kiến được nêu ra. "
                  "Năm 2017, thành phố tiếp tục chăm lo cho trẻ em; kế hoạch năm 2017 được triển khai.")
    assert [e.date for e in events(named_most, None)] == ["--04-12"]
    # the year the headline frames the article with does (the DATE finder's)
    framed = "Sơ kết chăm lo trẻ em năm 2017\n" + named_most
    assert [e.date for e in events(framed, None)] == ["2017-04-12"]


def test_a_date_closed_by_a_comma_is_no_count_of_events():
    found = events("Chiều 8.2, buổi họp báo ra mắt chương trình The Voice đã diễn ra tại TP.HCM", None)
    assert [(e.type, e.kind, e.date, e.province) for e in found] == [("khac", "họp báo", "--02-08", "Hồ Chí Minh")]
    assert events("Năm qua, tỉnh đã tổ chức 90 lớp tập huấn cho cán bộ cơ sở.", None) == []


def test_the_day_it_was_told_and_where_a_guest_serves_are_not_the_events():
    told = "Ngày 13/6, Sở Y tế Thanh Hóa cho biết Hội đồng kỷ luật của cơ quan này vừa họp và đưa ra hình thức kỷ luật."
    assert [(e.type, e.date) for e in events(told, "2017-06-14")] == [("hoi_nghi", None)]
    briefed = "Chiều 28.6, Bộ Y tế đã chính thức có thông tin với báo chí về trường hợp bác sĩ Hoàng Công Lương."
    assert [(e.kind, e.date) for e in events(briefed, "2017-06-29")] == [("họp báo", "2017-06-28")]
    guest = ("Khánh thành trường Đèn Đom Đóm tại xã Hàm Cần, huyện Hàm Thuận Nam, Bình Thuận. "
             "Buổi lễ khánh thành có sự tham gia của ông Simon van der Burg, Tổng lãnh sự Hà Lan tại TP.HCM.")
    assert [(e.type, e.province) for e in events(guest, None)] == [("le", "Bình Thuận")]


def test_a_national_organizer_alone_gives_no_province():
    briefing = "Chiều 10/7, Bộ Tư pháp tổ chức họp báo về cải cách thủ tục hành chính."
    assert [(e.kind, e.province) for e in events(briefing, "2017-07-11")] == [("họp báo", None)]


def test_talking_to_the_press_is_a_briefing_only_on_a_stated_day_and_a_family_rite_is_none():
    interview = "Trao đổi với báo chí về lịch nghỉ lễ, Cục trưởng Hà Tất Thắng cho biết Bộ đã chốt phương án."
    assert events(interview, "2017-07-11") == []
    briefing = "Trao đổi với báo chí chiều 10/7, Thứ trưởng Bộ Tư pháp Nguyễn Khánh Ngọc nhấn mạnh các định hướng."
    assert [(e.kind, e.date) for e in events(briefing, "2017-07-11")] == [("họp báo", "2017-07-10")]
    assert events("Đến sáng 18/6, gia đình đã tổ chức lễ truy điệu và an táng cho nạn nhân.", "2017-06-19") == []
