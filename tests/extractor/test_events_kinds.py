"""Events named otherwise than the old trigger words: their kind, their type, their arguments, and
the kind stored by `vnfacts load`. These run the shipped pipeline with the shipped classifier
(models/events); the sentences are written here, not taken from the training data."""
import json
import sqlite3
import unicodedata

import pytest

from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import Pipeline, extract
from vnfacts.extractor.resources import load_data
from vnfacts.publish.load import load_documents

JOB_FAIR = ("Sáng 12/4, Trung tâm Dịch vụ việc làm tỉnh Nghệ An tổ chức Ngày hội việc làm tại thành phố Vinh "
            "với hơn 2.000 lao động tham gia.")


def events(text, published="2024-04-12"):
    return extract(Document(id="t", text=text, published=published)).events


def brief(found):
    return [(e.type, e.kind, e.date, e.province) for e in found]


def test_a_job_fair_is_an_event_of_kind_ngay_hoi_viec_lam_with_its_day_place_and_attendance():
    (fair,) = events(JOB_FAIR)
    assert (fair.type, fair.kind, fair.date, fair.province) == ("khac", "ngày hội việc làm", "2024-04-12", "Nghệ An")
    assert fair.organizers == ["Trung tâm Dịch vụ việc làm tỉnh Nghệ An"]
    assert fair.location == "thành phố Vinh"
    assert fair.participants == 2000


@pytest.mark.parametrize("form", ["NFD", "no diacritics"])
def test_the_same_job_fair_written_in_nfd_or_without_diacritics(form):
    if form == "NFD":
        text = unicodedata.normalize("NFD", JOB_FAIR)
    else:
        text = ("Sang 12/4, Trung tam Dich vu viec lam tinh Nghe An to chuc Ngay hoi viec lam tai thanh pho Vinh "
                "voi hon 2.000 lao dong tham gia.")
    assert brief(events(text)) == [("khac", "ngày hội việc làm", "2024-04-12", "Nghệ An")]


def test_free_health_checks_gift_handovers_and_meetings_get_their_kinds():
    assert brief(events("Ngày 5/3, Hội Chữ thập đỏ huyện Quỳ Hợp phối hợp với Bệnh viện Đa khoa tỉnh tổ chức "
                        "khám bệnh miễn phí cho 300 người cao tuổi.")) == [
        ("khac", "khám bệnh miễn phí", "2024-03-05", "Nghệ An")]  # the province of the organizer's district
    assert brief(events("Chiều 20/3, tại xã Hòa Phú, huyện Hòa Vang, TP Đà Nẵng, Hội Liên hiệp Phụ nữ huyện "
                        "trao 50 suất quà cho hộ nghèo.")) == [("le", "trao quà", "2024-03-20", "Đà Nẵng")]
    handover = events("Chiều 28/6, Trung tâm Khuyết tật và Phát triển phối hợp cùng Đại sứ quán Israel tổ chức lễ "
                      "trao tặng 15 chiếc xe lăn cho trẻ em tại TP.HCM.")
    assert brief(handover) == [("le", "trao quà", "2024-06-28", "Hồ Chí Minh")]


def test_a_word_of_a_kind_inside_a_name_is_no_event_of_that_kind():
    found = events("Ngày 9/5, đại biểu các nền kinh tế thành viên Diễn đàn Hợp tác Kinh tế châu Á - Thái Bình Dương "
                   "(APEC) dự cuộc họp đầu tiên tại Hà Nội.")
    assert brief(found) == [("hoi_nghi", "cuộc họp", "2024-05-09", "Hà Nội")]


def test_a_count_of_job_fairs_is_no_event():
    assert events("Năm qua, Trung tâm đã tổ chức 12 phiên giao dịch việc làm cho người lao động.") == []


def test_province_comes_from_the_organizers_name_when_no_venue_is_written():
    found = events("Ngày 5/3/2024, Trường Đại học Cần Thơ tổ chức ngày hội việc làm cho sinh viên năm cuối.")
    assert brief(found) == [("khac", "ngày hội việc làm", "2024-03-05", "Cần Thơ")]


def test_the_venue_wins_over_the_organizers_province():
    found = events("Ngày 5/3/2024, tại Hà Nội, Sở Y tế tỉnh Nghệ An tổ chức hội nghị tập huấn cho cán bộ y tế.")
    assert brief(found) == [("tap_huan", "tập huấn", "2024-03-05", "Hà Nội")]


def test_another_kind_of_gathering_held_by_another_body_is_its_own_event():
    found = events("Ngày 9/5, tại Hà Nội, Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An tổ chức hội nghị "
                   "với các doanh nghiệp. Ngày 9/5, tại Hà Nội, Trường Đại học Vinh tổ chức hội thảo về việc làm "
                   "cho sinh viên.")
    assert [(e.type, e.kind, e.organizers) for e in found] == [
        ("hoi_nghi", "hội nghị", ["Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An"]),
        ("hoi_thao", "hội thảo", ["Trường Đại học Vinh"])]


def test_a_generic_word_said_again_refers_back_to_the_training():
    found = events("Ngày 22/12, Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An tổ chức Hội nghị tập huấn cho cán "
                   "bộ cơ sở. Phát biểu tại hội nghị, Trường Đào tạo bồi dưỡng cán bộ trao đổi với các học viên.",
                   "2022-12-23")
    assert brief(found) == [("tap_huan", "tập huấn", "2022-12-22", "Nghệ An")]


def test_without_the_classifier_the_rules_decide_and_the_user_is_told():
    config = load_data("pipeline.yaml")
    config = {**config, "settings": {**config["settings"], "events": {"classifier": "no/such/events-model"}}}
    pipeline = Pipeline.from_config(config)
    with pytest.warns(UserWarning, match="events are decided by the rules alone"):
        found = pipeline(Document(id="t", text=JOB_FAIR, published="2024-04-12")).events
    assert brief(found) == [("khac", "ngày hội việc làm", "2024-04-12", "Nghệ An")]


def loaded_job_fair(tmp_path):
    """(the database file, the input) after `vnfacts load` of the job fair."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "fair", "text": JOB_FAIR, "published": "2024-04-12"}, ensure_ascii=False)
                      + "\n", encoding="utf-8")
    db = tmp_path / "facts.db"
    load_documents(db, [source])
    return db, source


def test_load_stores_the_kind_in_the_events_table(tmp_path):
    db, _ = loaded_job_fair(tmp_path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT type, kind, date, province FROM events WHERE article_id = 'fair'").fetchall()
    assert rows == [("khac", "ngày hội việc làm", "2024-04-12", "Nghệ An")]


def test_a_file_made_before_kinds_gets_the_column_on_the_next_load(tmp_path):
    db, source = loaded_job_fair(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE events DROP COLUMN kind")  # the events table as it was before `kind`
    load_documents(db, [source], force=True)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT kind FROM events WHERE article_id = 'fair'").fetchall() == [("ngày hội việc làm",)]


def test_an_exhibition_fair_or_camp_held_on_a_day_is_an_event_a_room_named_after_shows_is_not():
    assert brief(events("Sáng 8/5, Sở Văn hóa tỉnh Thanh Hóa khai mạc triển lãm ảnh về biển đảo tại thành phố "
                        "Thanh Hóa.")) == [("khac", "sự kiện", "2024-05-08", "Thanh Hóa")]
    assert brief(events("Ngày 14/7, hội trại khoa học dành cho học sinh ba miền đã bế mạc tại Đà Nẵng.")) == [
        ("khac", "sự kiện", "2024-07-14", "Đà Nẵng")]
    assert events("Tầng hai của bảo tàng là phòng triển lãm và thư viện, mở cửa từ ngày 1/6 tới nay.") == []


def test_a_leader_receiving_a_visitor_is_a_meeting_reporting_directly_to_a_minister_is_not():
    assert brief(events("Chiều 5/3, tại Hà Nội, Chủ tịch nước tiếp Đại sứ Hàn Quốc đến chào từ biệt.")) == [
        ("hoi_nghi", "gặp mặt, giao lưu", "2024-03-05", "Hà Nội")]
    assert events("Sở phải báo cáo trực tiếp Bộ trưởng trước ngày 10/3 về các trường hợp vi phạm.") == []


def test_a_film_festival_written_lhp_is_a_festival():
    assert brief(events("Tối 20/5, LHP quốc tế Hà Nội lần thứ 5 đã khai mạc tại Nhà hát Lớn Hà Nội.")) == [
        ("le", "lễ hội", "2024-05-20", "Hà Nội")]


def test_a_village_festival_and_its_opening_are_festivals():
    assert brief(events("Sáng 9/2, UBND huyện Phú Vang đánh trống khai hội vật làng Sình tại sân đình làng, "
                        "tỉnh Thừa Thiên Huế.")) == [("le", "lễ hội", "2024-02-09", "Thừa Thiên Huế")]
    assert brief(events("Tối 7/2, làng An Định tổ chức hội làng với phong tục xin lửa đầu năm tại Hà Nội.")) == [
        ("le", "lễ hội", "2024-02-07", "Hà Nội")]
