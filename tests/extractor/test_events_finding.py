"""Finding and typing events (issue #15, branch ev10): gatherings told in words the kinds list did not
reach, words that hold a kind's word but tell nothing of the gathering, and which mention names the
kind. These run the shipped pipeline with the shipped classifier (models/events); the sentences are
written here, not taken from the training data or the gold."""
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import extract


def brief(text, published="2024-07-12"):
    return [(e.type, e.kind, e.date, e.province)
            for e in extract(Document(id="t", text=text, published=published)).events]


def test_a_councils_numbered_session_is_a_meeting():
    # `Kỳ họp thứ 5` names the session: it was held, not merely counted
    assert brief("Phát biểu tại Kỳ họp thứ 5 HĐND tỉnh Nghệ An chiều 8/7, Chủ tịch UBND tỉnh khẳng định tỉnh "
                 "sẽ hoàn thành các chỉ tiêu.") == [("hoi_nghi", "cuộc họp", "2024-07-08", "Nghệ An")]


def test_flowers_given_at_a_conference_are_no_handover_of_gifts():
    assert brief("Sáng 3/7, Tỉnh ủy Bắc Ninh tổ chức Hội nghị công bố quyết định về công tác cán bộ; lãnh đạo "
                 "tỉnh tặng hoa chúc mừng tân Phó Bí thư.") == [("hoi_nghi", "hội nghị", "2024-07-03", "Bắc Ninh")]


def test_handing_over_an_appointment_decision_is_a_meeting_not_a_gift():
    assert brief("Chiều 10/7, Bộ trưởng Bộ Y tế trao quyết định bổ nhiệm Giám đốc Bệnh viện Bạch Mai.") == [
        ("hoi_nghi", "cuộc họp", "2024-07-10", None)]


def test_a_delegation_that_comes_to_inspect_is_an_inspection_visit():
    assert brief("Sáng 5/7, đoàn công tác của Bộ Y tế do Thứ trưởng dẫn đầu đã đến kiểm tra công tác phòng chống "
                 "dịch tại Bệnh viện Đa khoa tỉnh Quảng Nam.") == [("khac", "giám sát, kiểm tra", "2024-07-05", "Quảng Nam")]


def test_a_named_kind_of_ceremony_told_later_says_what_the_gathering_was():
    # the lead's `giao lưu với khán giả` is the concert the next sentence dates: a `lễ` word would not
    # retype it (said of many things at a gathering), `đêm nhạc` does
    assert brief("Ca sĩ Minh Anh bất ngờ khi xuống giao lưu với hàng nghìn khán giả tại Bắc Ninh.\n"
                 "Tối 6/7, Minh Anh xuất hiện trong đêm nhạc ngoài trời tổ chức tại Nhà văn hóa tỉnh Bắc Ninh.") == [
        ("le", "gala, đêm nhạc", "2024-07-06", "Bắc Ninh")]
