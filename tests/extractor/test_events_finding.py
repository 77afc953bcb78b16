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


def test_activities_named_by_their_verb_on_a_stated_day_are_events():
    # a performance, a prize paid out, a secret ballot, a reception, a leader's inspection: no gathering's
    # noun, but the verb names the activity and the sentence gives its day
    assert brief("Tối 29/6, người mẫu Lan Anh tham gia trình diễn tại chương trình thời trang Xuân Hè diễn ra "
                 "tại TP.HCM.") == [("le", "gala, đêm nhạc", "2024-06-29", "Hồ Chí Minh")]
    assert brief("Sáng 8/7 tại Hà Nội, Công ty Xổ số điện toán Việt Nam đã trả thưởng giải Jackpot trị giá 30 tỷ "
                 "đồng cho một khách hàng.") == [("le", "trao giải", "2024-07-08", "Hà Nội")]
    assert brief("Sáng 9/7, Quốc hội đã phê chuẩn việc bổ nhiệm 3 Phó Thủ tướng bằng hình thức bỏ phiếu kín.") == [
        ("hoi_nghi", "cuộc họp", "2024-07-09", None)]
    assert brief("Trong cuộc tiếp đón đoàn vận động viên sáng 11/7, Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch đã "
                 "chúc mừng thành tích của đoàn.") == [("hoi_nghi", "gặp mặt, giao lưu", "2024-07-11", None)]
    assert brief("Sáng 2/7, Phó Thủ tướng đã thị sát công trường xây dựng cầu Mỹ Thuận 2 tại tỉnh Vĩnh Long.") == [
        ("khac", "giám sát, kiểm tra", "2024-07-02", "Vĩnh Long")]


def test_a_verb_of_an_activity_names_no_event_without_a_day_or_inside_another_word():
    assert brief("Ca sĩ Minh Anh thường biểu diễn ở các phòng trà của Hà Nội.") == []  # a habit, no day
    # `chương trình diễn ra` holds the syllables `trình diễn`; the performing arts are a field, a
    # player's `màn trình diễn` a match; a team's `ra quân` its first match, not a launch
    assert brief("Ngày 5/7, chương trình diễn ra tại nhiều địa phương với hàng nghìn lượt người tham gia.") == []
    assert brief("Ngày 4/7, UBND tỉnh Lâm Đồng có văn bản chấn chỉnh hoạt động biểu diễn nghệ thuật trên địa bàn.") == []
    assert brief("Màn trình diễn của tiền đạo Minh Vương ngày 6/7 khiến người hâm mộ thất vọng.") == []
    assert brief("Ngày 3/7, đội tuyển futsal U20 Việt Nam ra quân tại giải châu Á bằng trận thắng Đài Loan.") == []


def test_a_verb_that_needs_a_day_gives_way_to_the_sentences_other_kind_without_one():
    # `trình diễn` with no day names no performance: the `sự kiện` it took place at is the candidate
    assert brief("Ảnh tại sự kiện: đây là lần đầu tiên các người mẫu khuyết tật trình diễn trước đông người.") == [
        ("khac", "sự kiện", None, None)]


def test_a_meeting_said_done_is_held_though_its_clause_tells_what_comes_next():
    assert brief("Hiệu trưởng Trường THPT Nguyễn Trãi cho hay: “Chúng tôi đã họp hội đồng kỷ luật nhà trường ngay "
                 "sau khi sự việc xảy ra và sẽ sớm có quyết định kỷ luật.") == [("hoi_nghi", "cuộc họp", None, None)]
    # without `đã` the same clause announces it (and without a day it is no event yet)
    assert brief("Hiệu trưởng cho biết nhà trường sẽ họp hội đồng kỷ luật để xem xét.") == []


def test_a_health_check_is_no_inspection_and_a_briefing_meeting_is_a_press_briefing():
    assert brief("Em Lan được đưa đến Bệnh viện Nhi tỉnh Thanh Hóa kiểm tra sức khỏe sáng 3/7.") == []
    assert brief("Ngày 24-7, Ban Quản lý dự án họp cung cấp thông tin về tiến độ các gói thầu.") == [
        ("khac", "họp báo", "2024-07-24", None)]


def test_a_programme_of_the_evening_that_a_body_holds_is_an_event():
    # `tổ chức chương trình “...”`: the name the PROGRAM finder reads is the gathering held that evening
    assert brief("Tối 24-5, tại Nhà văn hóa huyện Hòa Vang, Câu lạc bộ Tuổi trẻ vì biển đảo phối hợp với Đồn Biên "
                 "phòng Hòa Vang tổ chức chương trình “Chăm lo hậu phương - Vững lòng biển đảo” lần thứ 3.") == [
        ("khac", "sự kiện", "2024-05-24", "Đà Nẵng")]
    # a national programme carried out is no gathering
    assert brief("Bộ Lao động - Thương binh và Xã hội được giao tổ chức thực hiện Chương trình mục tiêu quốc gia "
                 "giảm nghèo bền vững.") == []


def test_a_protest_on_a_stated_day_is_an_event_of_its_own_kind():
    assert brief("Sáng 10/7, hàng trăm người dân tập trung biểu tình trước trụ sở quốc hội ở thủ đô Cairo để phản "
                 "đối thỏa thuận biên giới.") == [("khac", "biểu tình, tuần hành", "2024-07-10", None)]  # abroad
    assert brief("Người dân nhiều nước thường biểu tình phản đối chiến tranh.") == []  # no day: a habit


def test_a_product_unveiled_is_a_launch_and_a_number_inside_a_name_is_no_count():
    assert brief("Tại sự kiện diễn ra chiều 5/7 ở TP.HCM, hãng Samsung đã chính thức giới thiệu mẫu điện thoại "
                 "mới.") == [("le", "ra mắt, công bố", "2024-07-05", "Hồ Chí Minh")]
    # `VF3` is a name, not `3 lớp tập huấn`
    assert brief("Chiếc xe điện VF3 được trình làng tại triển lãm ô tô Việt Nam sáng 6/7.") == [
        ("le", "ra mắt, công bố", "2024-07-06", None)]
    # `Lữ đoàn 83` is a body: its `83` counts no programme
    assert brief("Tối 24-5, tại Nhà văn hóa huyện Hòa Vang, Lữ đoàn 83 tổ chức chương trình “Chăm lo hậu phương”.") \
        == [("khac", "sự kiện", "2024-05-24", "Đà Nẵng")]
    assert brief("Năm qua, Sở Lao động đã tổ chức 319 lớp tập huấn cho cán bộ cơ sở.") == []  # still a count


def test_someone_going_to_check_is_no_inspection_visit():
    # `đến kiểm tra` of a delegation is an inspection; a guard who `đi kiểm tra` a broken window is not
    assert brief("Sáng 9/5, ông Hồng, bảo vệ của UBND xã, thấy cửa sổ bị cạy phá nên liền đi kiểm tra thì phát hiện "
                 "đồ đạc bị xáo trộn.") == []


def test_phrases_that_are_no_event_are_masked_in_text_typed_without_diacritics():
    # `trao doi` is `trao đổi` (exchanging views) and `tang hoa` flowers, as with diacritics
    assert brief("Chieu 10/7, ong Nam trao doi voi phong vien ve ke hoach cua tinh.") == []
    assert brief("Sang 3/7, Tinh uy Bac Ninh to chuc Hoi nghi cong bo quyet dinh ve cong tac can bo; lanh dao tinh "
                 "tang hoa chuc mung tan Pho Bi thu.") == [("hoi_nghi", "hội nghị", "2024-07-03", "Bắc Ninh")]


def test_the_new_phrases_read_the_same_in_nfd():
    import unicodedata

    text = "Sáng 8/7 tại Hà Nội, Công ty Xổ số điện toán Việt Nam đã trả thưởng giải Jackpot cho một khách hàng."
    assert brief(unicodedata.normalize("NFD", text)) == brief(text) == [("le", "trao giải", "2024-07-08", "Hà Nội")]


def test_a_number_after_a_verb_of_handing_over_counts_the_things_handed_not_events():
    # `100 suất học bổng` are a hundred scholarships handed over at one event; `20 đợt trao quà` and
    # `3 lớp tập huấn` still count past gatherings (no verb of handing over before the number)
    assert brief("Ngày 5/6, Hội Khuyến học tỉnh Nghệ An trao 100 suất học bổng cho học sinh nghèo vượt khó.") == [
        ("le", "trao học bổng", "2024-06-05", "Nghệ An")]
    assert brief("Năm 2023, hội đã tổ chức 20 đợt trao quà cho người nghèo.") == []


def test_counted_before_reads_the_verb_before_the_number():
    from vnfacts.extractor.clean import fold
    from vnfacts.extractor.event_sentences import counted_before

    assert counted_before(fold("Năm qua, hội đã tổ chức 319 lớp "))
    assert not counted_before(fold("Sáng nay, hội trao 100 suất "))
    assert not counted_before(fold("Chiều 12/4, Sở đã bàn giao 10 căn "))
    assert not counted_before(fold("Chiều 12/4, Sở đã bàn  giao 10 căn "))  # a double space, as pages have


def test_a_decision_to_set_up_an_inspection_team_is_not_its_visit():
    assert brief("Ngày 22/3, Chủ tịch UBND TP Hà Nội đã quyết định thành lập đoàn thanh tra liên ngành thanh tra "
                 "toàn diện việc chặt hạ cây xanh.") == []
    assert brief("Sáng 26/3, đoàn thanh tra liên ngành đã đến kiểm tra việc chặt hạ cây xanh tại quận Hoàn Kiếm, "
                 "Hà Nội.") == [("khac", "giám sát, kiểm tra", "2024-03-26", "Hà Nội")]
