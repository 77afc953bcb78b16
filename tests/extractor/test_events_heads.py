"""Which kind an event gets, and which mentions become one event (issue #15, branch ev13). The phrase
that heads the gathering's noun phrase names its kind, whatever its complement names; a later mention
tells what a gathering called generically was, not what one of a kind of its own was; a signing and a
conference stay two events, the conference first. These run the shipped pipeline with the shipped
classifier; the sentences are written here, not taken from the gold."""
import unicodedata

import pytest

from vnfacts.extractor.event_sentences import find_kind
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import extract


def events(text, published="2024-06-14"):
    return extract(Document(id="t", text=text, published=published)).events


def brief(found):
    return [(e.type, e.kind, e.date) for e in found]


HONOURING = ("Tối 14/6, tại Nhà hát thành phố Vinh, Hội Chữ thập đỏ tỉnh Nghệ An tổ chức lễ tôn vinh Người hiến "
             "máu tiêu biểu năm 2024.")


def test_a_ceremony_honouring_blood_donors_is_an_award_whatever_it_honours():
    assert brief(events(HONOURING)) == [("le", "trao giải", "2024-06-14")]


@pytest.mark.parametrize("form", ["NFD", "no diacritics"])
def test_the_head_decides_in_nfd_and_without_diacritics(form):
    text = unicodedata.normalize("NFD", HONOURING) if form == "NFD" else (
        "Toi 14/6, tai Nha hat thanh pho Vinh, Hoi Chu thap do tinh Nghe An to chuc le ton vinh Nguoi hien "
        "mau tieu bieu nam 2024.")
    assert [(e.type, e.kind) for e in events(text)] == [("le", "trao giải")]


def test_a_headline_that_names_the_gathering_by_what_it_honours_takes_the_kind_of_the_dated_ceremony():
    found = events("Tôn vinh những người hiến máu tình nguyện của tỉnh\n" + HONOURING)
    assert brief(found) == [("le", "trao giải", "2024-06-14")]


@pytest.mark.parametrize("sentence, kind", [
    # a kind's phrase in the complement says what the gathering was about
    ("Sáng 5/6, Hội Chữ thập đỏ huyện trao quà cho 50 người hiến máu tình nguyện.", "trao quà"),
    ("Sáng 5/6, Đoàn Thanh niên tổ chức Hội thi tuyên truyền về hiến máu tình nguyện.", "hội thi"),
    ("Sáng 5/6, Công ty Xây dựng số 4 tổ chức khởi công xây dựng nhà tình nghĩa cho gia đình bà Lan.",
     "khánh thành"),
    # a bare head takes the kind that follows it
    ("Sáng 5/6, Hội Chữ thập đỏ tỉnh tổ chức Ngày hội hiến máu tình nguyện.", "hiến máu"),
    ("Sáng 5/6, Sở Tư pháp tổ chức Hội nghị sơ kết công tác 6 tháng đầu năm.", "sơ kết"),
    ("Sáng 5/6, Hội Khuyến học tỉnh trao 100 suất học bổng cho học sinh nghèo.", "trao học bổng"),
    # joined by `và`, the second phrase is no complement: the kinds file's order decides
    ("Sáng 5/6, Hội Chữ thập đỏ trao quà và khám bệnh miễn phí cho người nghèo.", "khám bệnh miễn phí"),
])
def test_the_phrase_heading_the_noun_phrase_names_the_kind(sentence, kind):
    assert find_kind(sentence).kind.kind == kind


def test_things_performed_at_a_gathering_named_otherwise_do_not_make_it_a_show():
    found = events("Ngày 7/6, tại Hà Nội, sự kiện Triển lãm Công nghệ số 2024 đã chính thức khai mạc với hàng loạt "
                   "giải pháp kết nối thông minh được trình diễn.")
    assert [(e.type, e.kind) for e in found] == [("khac", "sự kiện")]
    # named by nothing else, a performance on a stated day is a show
    assert brief(events("Tối 29/5, người mẫu Lan Anh tham gia trình diễn tại Nhà hát Lớn Hà Nội.")) == [
        ("le", "gala, đêm nhạc", "2024-05-29")]


def test_a_gathering_of_a_kind_of_its_own_keeps_it_when_another_kind_is_told_the_same_day():
    found = events("Chiều 12/6, tại thành phố Vinh, UBND tỉnh Nghệ An tổ chức lễ khánh thành Bệnh viện Ung bướu. "
                   "Chiều 12/6, các đại biểu dự Diễn đàn đầu tư y tế tại thành phố Vinh.")
    assert [(e.type, e.kind) for e in found][0] == ("le", "khánh thành")


def test_a_signing_told_before_the_conference_is_its_own_event_after_it():
    found = events("Chủ tịch UBND tỉnh Nghệ An và Tỉnh trưởng tỉnh Gangwon đã ký kết Biên bản ghi nhớ hợp tác giữa "
                   "hai địa phương. Đây là phát biểu của Tỉnh trưởng tại Hội nghị hợp tác kinh tế Gangwon - Nghệ An "
                   "do UBND tỉnh Nghệ An tổ chức tại thành phố Vinh ngày 9/6.")
    assert [(e.type, e.date) for e in found] == [("hoi_nghi", "2024-06-09"), ("ky_ket", None)]


def test_a_signing_told_at_the_conference_takes_the_conferences_day():
    found = events("Sáng 16/6, tại TP.HCM, Ngân hàng Nhà nước chi nhánh TP.HCM tổ chức hội nghị kết nối ngân hàng với "
                   "doanh nghiệp. Tại hội nghị, 21 chi nhánh ngân hàng đã ký kết hợp đồng tín dụng với 100 doanh "
                   "nghiệp.")
    assert [(e.type, e.date) for e in found] == [("hoi_nghi", "2024-06-16"), ("ky_ket", "2024-06-16")]


def test_a_general_meeting_of_shareholders_is_a_meeting_not_a_congress():
    found = events("Chiều 5/6, Đại hội đồng cổ đông bất thường của Ngân hàng TMCP Bưu điện Liên Việt đã bầu ông "
                   "Nguyễn Đức Hưởng làm Chủ tịch Hội đồng quản trị.")
    assert [(e.type, e.kind) for e in found] == [("hoi_nghi", "cuộc họp")]
    assert find_kind("Đại hội Đảng bộ tỉnh lần thứ XIX đã bầu Ban Chấp hành.").kind.kind == "hội nghị"


def test_a_delegation_sent_to_a_place_is_a_supervision_visit():
    # guide, reader eve: a ministry's delegation sent to the scene of an incident is `giám sát, kiểm tra`
    found = events("Bộ trưởng Bộ Y tế đã cử đoàn công tác của Bộ lên Bệnh viện Đa khoa tỉnh Hòa Bình ngay trong "
                   "chiều ngày 29/5.")
    assert [(e.type, e.kind, e.date) for e in found] == [("khac", "giám sát, kiểm tra", "2024-05-29")]
