"""Events as general news writes them (issue #15): a future marker in another clause, the venue of a
gathering announced for later, a headline that names the gathering a later sentence says was held,
today's occurrence, and the gatherings named otherwise (a leaders' talks, a congress)."""
import unicodedata

from vnfacts.extractor.clean import canonical
from vnfacts.extractor.event_sentences import announced_without_day, find_kind
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import extract


def events(text, published=None):
    return [(e.type, e.kind, e.date, e.province) for e in extract(Document(id="t", text=text, published=published)).events]


def without_diacritics(text):
    """The text as typed without diacritics, case kept."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def announced(sentence):
    sentence = canonical(sentence)
    return announced_without_day(sentence, find_kind(sentence), has_day=False)


def test_a_future_marker_counts_only_in_the_clause_that_names_the_gathering():
    assert announced("Hội thảo sẽ được tổ chức tại Huế.")
    assert announced("Trong năm nay, thành phố dự kiến tổ chức ngày hội việc làm.")
    # held; what comes next is another clause
    assert not announced("Kết luận nội dung phiên họp, Phó Chủ tịch Quốc hội cho biết, đây là bộ luật lớn nên "
                         "Ủy ban sẽ gửi phiếu xin ý kiến đại biểu.")
    assert not announced("Phát biểu tại hội thảo, ông Tuấn khẳng định: Bộ sẽ xử lý kiên quyết các vi phạm.")
    # the same in text written without diacritics or in NFD
    assert not announced("Phat bieu tai hoi thao, ong Tuan khang dinh: Bo se xu ly kien quyet cac vi pham.")
    assert announced(unicodedata.normalize("NFD", "Hội thảo sẽ được tổ chức tại Huế."))


def test_the_venue_of_a_gathering_announced_for_a_later_month_is_not_the_events_province():
    text = ("Sáng nay, các quan chức đã dự cuộc họp đầu tiên của nhóm PPWE tại Hà Nội. Phát biểu khai mạc "
            "cuộc họp, Thứ trưởng Bộ Lao động - Thương binh và Xã hội đã thông báo chủ đề của Diễn đàn Phụ nữ "
            "và Kinh tế 2017, được tổ chức vào tháng 9 tại Huế.")
    assert events(text, "2017-05-09") == [("hoi_nghi", "cuộc họp", "2017-05-09", "Hà Nội")]


def test_a_headline_that_names_the_gathering_is_the_one_a_later_sentence_says_was_held():
    text = ("Hội nghị Ban Điều hành Đề án 1533 về nhân rộng mô hình Câu lạc bộ Liên thế hệ tự giúp nhau\n\n"
            "Ngày 27/3, tại Hà Nội, Ban Điều hành Đề án 1533 về nhân rộng mô hình CLB Liên thế hệ tự giúp nhau "
            "tổ chức hội nghị đánh giá kết quả thực hiện năm 2017, triển khai nhiệm vụ năm 2018.")
    assert events(text, "2018-03-28") == [("so_ket", "sơ kết", "2018-03-27", "Hà Nội")]


def test_a_gathering_said_of_today_is_an_event():
    text = "Chương trình ký kết hợp tác hôm nay giữa Sở Lao động - Thương binh và Xã hội và các trường là một mô hình sáng tạo."
    assert [e[:2] for e in events(text)] == [("ky_ket", "ký kết")]
    # `hiện nay` is no occurrence of today
    assert events("Việc ký kết hợp tác giữa các trường hiện nay còn ít.") == []


def test_leaders_talks_and_a_congress_are_meetings():
    assert events("Sáng 29-6-2017, tại Thủ đô Mátxcơva, Chủ tịch nước Trần Đại Quang hội kiến Thủ tướng "
                  "Chính phủ Liên bang Nga Dmitry Medvedev.") == [("hoi_nghi", "gặp mặt, giao lưu", "2017-06-29", None)]
    assert events("Ngày 20/3, Đại hội đại biểu Hội Nông dân tỉnh Nghệ An lần thứ X đã khai mạc tại thành phố Vinh.",
                  "2022-03-20") == [("hoi_nghi", "hội nghị", "2022-03-20", "Nghệ An")]


def test_a_gathering_on_the_same_day_takes_the_day_told_before_it():
    told = "Sáng 9/2, Sở Giáo dục và Đào tạo tỉnh Thanh Hóa tổ chức hội nghị sơ kết học kỳ I. "
    same_day = told + "Chiều cùng ngày, Phòng Giáo dục và Đào tạo thành phố Thanh Hóa tổ chức tập huấn cho giáo viên."
    assert [e[2] for e in events(same_day, "2017-02-10")] == ["2017-02-09", "2017-02-09"]
    # without `cùng ngày` the training has no day of its own
    other = told + "Phòng Giáo dục và Đào tạo thành phố Thanh Hóa cũng tổ chức tập huấn cho giáo viên."
    assert [e[2] for e in events(other, "2017-02-10")] == ["2017-02-09", None]
    # written without diacritics
    assert [e[2] for e in events(without_diacritics(same_day), "2017-02-10")][1] == "2017-02-09"


def test_a_photo_caption_of_a_scene_is_no_event_of_its_own():
    assert events("Quang cảnh phiên họp.") == []
    assert events("Toàn cảnh hội nghị sơ kết.") == []
    assert events("Toan canh hoi nghi so ket.") == []
    # the same words inside a sentence that reports the gathering do not make it a caption
    assert [e[:2] for e in events("Sáng 12/4, Sở Y tế tổ chức hội nghị sơ kết; toàn cảnh hội nghị được truyền trực tuyến.",
                                  "2024-04-12")] == [("so_ket", "sơ kết")]
