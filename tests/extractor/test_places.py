"""LOC: gazetteer places with the province at publication and today, written every way."""
import unicodedata

import pytest

from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline, extract
from vnfacts.extractor import places as places_module
from vnfacts.extractor.places import find_places, gazetteer


def context(text, published=None):
    """The document's context as the stage `places` sees it (every earlier stage has run)."""
    return default_pipeline().context(Document(id="t", text=text, published=published), until="places")


def places(text, published="2023-07-18"):
    ctx = context(text, published)
    return [(ctx.clean.original_span(s.start, s.end), s.norm["province"], s.norm["province_today"])
            for s in find_places(ctx)]


def test_merger_mapping_comes_from_the_package():
    gaz = gazetteer()
    assert gaz.today_of["Bình Dương"] == "Hồ Chí Minh"
    assert gaz.today_of["Hà Giang"] == "Tuyên Quang"
    assert gaz.today_of["Hà Nội"] == "Hà Nội"
    assert len({u.province for units in gaz.units.values() for u in units
                if u.level == "province" and u.era == "legacy"}) == 63
    assert len({u.province for units in gaz.units.values() for u in units
                if u.level == "province" and u.era == "2025"}) == 34


def test_binh_duong_before_the_merger_keeps_its_province_and_records_today():
    assert places("Hội nghị tại tỉnh Bình Dương đã diễn ra.", "2023-07-18") == [
        ("tỉnh Bình Dương", "Bình Dương", "Hồ Chí Minh")]


def test_binh_duong_after_the_merger_is_in_ho_chi_minh_city():
    assert places("Hội nghị tại Bình Dương đã diễn ra.", "2025-09-01") == [
        ("Bình Dương", "Hồ Chí Minh", "Hồ Chí Minh")]


@pytest.mark.parametrize("written", ["TP.HCM", "TP HCM", "Tp. Hồ Chí Minh", "thành phố Hồ Chí Minh", "TPHCM"])
def test_ho_chi_minh_city_abbreviations(written):
    assert places(f"Sáng nay tại {written}, trời mưa.") == [(written, "Hồ Chí Minh", "Hồ Chí Minh")]


def test_nfd_input_offsets_point_into_the_input():
    text = unicodedata.normalize("NFD", "Hội nghị ở tỉnh Nghệ An và Hà Nội.")
    ctx = context(text)
    found = [(s.norm["province"], text[slice(*ctx.clean.to_original(s.start, s.end))]) for s in find_places(ctx)]
    assert found == [("Nghệ An", unicodedata.normalize("NFD", "tỉnh Nghệ An")),
                     ("Hà Nội", unicodedata.normalize("NFD", "Hà Nội"))]


def test_old_tone_placement():
    assert places("Đoàn công tác đến tỉnh Hoà Bình và Thanh Hoá.") == [
        ("tỉnh Hoà Bình", "Hòa Bình", "Phú Thọ"), ("Thanh Hoá", "Thanh Hóa", "Thanh Hóa")]


def test_text_without_diacritics():
    assert places("Hoi nghi tai tinh Nghe An va TP HCM.") == [
        ("tinh Nghe An", "Nghệ An", "Nghệ An"), ("TP HCM", "Hồ Chí Minh", "Hồ Chí Minh")]


def test_address_chain_venue_and_district():
    found = places("Ngày 29/5 tại khách sạn Hacinco số 110, Thái Thịnh, Đống Đa, Hà Nội, Hội tổ chức tập huấn.")
    assert found == [("khách sạn Hacinco", "Hà Nội", "Hà Nội"), ("Thái Thịnh", "Hà Nội", "Hà Nội"),
                     ("Đống Đa", "Hà Nội", "Hà Nội"), ("Hà Nội", "Hà Nội", "Hà Nội")]


def test_districts_and_communes_with_prefixes():
    found = places("Tại huyện Bàu Bàng và phường Chánh Nghĩa, thành phố Thủ Dầu Một, tỉnh Bình Dương.")
    assert [(t, p) for t, p, _ in found] == [("huyện Bàu Bàng", "Bình Dương"), ("phường Chánh Nghĩa", "Bình Dương"),
                                             ("thành phố Thủ Dầu Một", "Bình Dương"), ("tỉnh Bình Dương", "Bình Dương")]


def test_countries_and_words_that_only_look_like_them():
    found = places("Bộ Lao động hợp tác với Lào, Nhật Bản và nước Anh. Anh Nam cho biết.")
    assert [t for t, _, _ in found] == ["Lào", "Nhật Bản", "Anh"]
    assert all(p is None for _, p, _ in found)


def test_pacific_is_not_binh_duong_and_regions_have_no_province():
    assert places("Các nền kinh tế châu Á - Thái Bình Dương và châu Âu họp.") == [
        ("châu Á - Thái Bình Dương", None, None), ("châu Âu", None, None)]


def test_huế_before_2025_is_thừa_thiên_huế_and_known_venues():
    assert places("Hội nghị tại Trung tâm Hội nghị Quốc gia. Tháng 9 tại Huế.", "2017-05-09") == [
        ("Trung tâm Hội nghị Quốc gia", "Hà Nội", "Hà Nội"), ("Huế", "Thừa Thiên Huế", "Huế")]
    assert places("Hội nghị tại Huế.", "2025-09-01") == [("Huế", "Huế", "Huế")]


def test_ambiguous_district_takes_the_province_written_after_it():
    assert places("anh Thanh (31 tuổi, ngụ huyện Châu Thành, Trà Vinh) cho biết.", "2017-05-18") == [
        ("huyện Châu Thành", "Trà Vinh", "Vĩnh Long"), ("Trà Vinh", "Trà Vinh", "Vĩnh Long")]


def test_main_province_of_an_article():
    doc = Document(id="t", text="Nghệ An: tập huấn cán bộ\nNgày 22/12, tại tỉnh Nghệ An, Sở tổ chức hội nghị.",
                   published="2022-12-22")
    ctx = default_pipeline().context(doc, until="orgs")
    assert (ctx.document.province, ctx.document.province_today, ctx.document.province_evidence) == \
        ("Nghệ An", "Nghệ An", "lead")


def test_loc_inside_an_org_is_not_a_loc_in_the_pipeline():
    result = extract(Document(id="t", text="UBND tỉnh Bình Dương họp tại Hà Nội.", published="2023-01-01"))
    assert [(e.label, e.text) for e in result.entities] == [("ORG", "UBND tỉnh Bình Dương"), ("LOC", "Hà Nội")]


def test_a_place_after_a_sentence_opening_word():
    assert [t for t, _, _ in places("Tại Hà Nội, hội nghị diễn ra. Sáng nay Đà Nẵng mưa.")] == ["Hà Nội", "Đà Nẵng"]


def test_the_place_data_the_gazetteer_reads_is_pinned():
    """What vietnamadminunits ships and the gazetteer reads: the units before and after the merger of
    1 July 2025. An upgrade of the package that changes them must fail here, not shift places silently."""
    from vnfacts.extractor.places import gazetteer_json

    legacy = gazetteer_json("parser_legacy.json")
    current = gazetteer_json("parser_from_2025.json")
    merger = gazetteer_json("converter_2025.json")["DICT_PROVINCE"]
    assert len(legacy["DICT_PROVINCE"]) == 63
    assert sum(len(d) for d in legacy["DICT_PROVINCE_DISTRICT"].values()) == 696
    assert sum(len(w) for p in legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].values() for w in p.values()) == 9996
    assert len(current["DICT_PROVINCE"]) == 34
    assert sum(len(w) for w in current["DICT_PROVINCE_WARD_NO_ACCENTED"].values()) == 3305
    assert len(merger) == 34 and sum(len(olds) for olds in merger.values()) == 63  # every old province goes somewhere
    assert sorted(o for olds in merger.values() for o in olds) == sorted(legacy["DICT_PROVINCE"])


def test_key_walk_finds_every_key_length_and_stops_where_no_key_goes_on():
    """The gazetteer keys opening at a word are found by one walk along their prefixes: every length
    that is a key, longest first (`ba ria vung tau` and the town `ba ria`; `ha` opens `ha noi` but is
    no key), and the walk reads no syllable after the run stops opening a key."""
    from vnfacts.extractor.places import _key_lengths
    from vnfacts.extractor.work import counting

    gaz = gazetteer()
    words = "ha noi va ba ria vung tau xyz".split()
    with counting() as work:
        assert _key_lengths(words, 0, 5, gaz.units, gaz.key_prefixes) == [2]
    assert work["places.keys_read"] == 3  # `ha`, `ha noi`, `ha noi va`: no key opens so
    assert _key_lengths(words, 3, 5, gaz.units, gaz.key_prefixes) == [4, 2, 1]  # `ba` is a key too
    assert _key_lengths(words, 3, 3, gaz.units, gaz.key_prefixes) == [2, 1]  # at most `limit` syllables
    assert _key_lengths(words, 7, 1, gaz.units, gaz.key_prefixes) == []


def test_a_line_up_of_names_that_are_also_districts_and_communes_is_no_address():
    # `Hoài An` is a district and `Quốc Chí`, `Duy Thanh`, `Văn Vũ` read as communes: in a comma list
    # that goes on with names that are no places, they are people (an address goes on to its district
    # or province); read from the list's end, each goes with the one after it
    found = places("Trận đấu ở Tam Kỳ, Quảng Nam. Đội hình Quảng Nam: Tuấn Mạnh, Trọng Bình, Ti Phông, Hoài An, "
                   "Đình Khương, Quốc Chí, Duy Thanh, Văn Vũ, Tấn Điền, Zarour Chaher.")
    assert [t for t, _, _ in found] == ["Tam Kỳ", "Quảng Nam", "Quảng Nam"]


def test_a_list_of_communes_the_gazetteer_does_not_all_know_stays_a_list_of_places():
    found = places("Lũ quét qua các xã Châu Thôn, Châu Kim, Tiền Phong, Hạnh Dịch... (huyện Quế Phong, tỉnh Nghệ An).")
    assert [t for t, _, _ in found] == ["xã Châu Thôn", "Châu Kim", "Tiền Phong", "huyện Quế Phong", "tỉnh Nghệ An"]


def test_a_foreign_word_opening_a_sentence_before_a_place_makes_another_name():
    # a Vietnamese word before a place may only open the sentence (`Tại Hà Nội`); a foreign one is
    # part of another name (a club `Sanna Khánh Hòa`, a company `Yamaha Malaysia`)
    found = places("Sanna Khánh Hòa thắng. Yamaha Malaysia cho biết. Tại Hà Nội, trời mưa.")
    assert [t for t, _, _ in found] == ["Hà Nội"]


def test_landmarks_named_after_a_lower_case_noun():
    found = places("Đoàn đi qua QL 1A, dừng ở hồ Núi Cốc và núi Bà Đen rồi về đường Trường Chinh, Hà Nội. "
                   "Cô Hồ Thị Lan kể; hội chợ Hàng Việt diễn ra; các hộ Dân tộc được ủng hộ Qatar.")
    assert [t for t, _, _ in found] == ["QL 1A", "hồ Núi Cốc", "núi Bà Đen", "đường Trường Chinh", "Hà Nội", "Qatar"]


def test_regions_of_vietnam_and_of_the_world_are_places_with_no_province():
    found = places("Mưa lớn ở Tây Nguyên, miền Trung và Đồng bằng sông Cửu Long; hàng từ Bắc Âu, Nam Bộ.",
                   "2017-05-01")
    assert found == [("Tây Nguyên", None, None), ("miền Trung", None, None),
                     ("Đồng bằng sông Cửu Long", None, None), ("Bắc Âu", None, None), ("Nam Bộ", None, None)]


def test_a_region_after_another_capitalised_word_is_part_of_another_name():
    # `Hoàng Anh Tây Nguyên` (a club), `Việt Nam Bộ luật` (a heading run on): no region of its own;
    # a word that only opens the sentence (`Tại`) does not count
    assert places("Đội Hoàng Anh Tây Nguyên thắng. Tổng kết: Việt Nam Bộ luật mới.", "2017-05-01") == []
    assert places("Tại Tây Nguyên mưa to.", "2017-05-01") == [("Tây Nguyên", None, None)]


def test_a_district_name_the_article_gives_a_person_is_that_person():
    # `Đức Thọ` is a district of Hà Tĩnh, the province of the article; `Lê Đức Thọ` is a farmer named in
    # full once, then by his given names; with its province after it, it is the district
    text = "Tại Hà Tĩnh, nông dân Lê Đức Thọ trồng cam. Năm nay Đức Thọ thu 5 tấn. Cam bán ở Đức Thọ, Hà Tĩnh."
    ctx = context(text, "2017-05-01")
    found = [(s.start, ctx.text[s.start:s.end]) for s in find_places(ctx)]
    assert found == [(4, "Hà Tĩnh"), (text.rindex("Đức Thọ"), "Đức Thọ"), (text.rindex("Hà Tĩnh"), "Hà Tĩnh")]


def test_names_in_the_closing_byline_are_no_places_but_where_the_writer_reports_from_is():
    assert places("Hội nghị diễn ra ở Hà Nội./. Kim Dung/VOV-TP HCM", "2017-05-01") == [
        ("Hà Nội", "Hà Nội", "Hà Nội")]
    assert [t for t, _, _ in places("Cầu thủ bị chấn thương. Anh Khoa (từ Cheonan, Hàn Quốc)", "2017-05-01")] == [
        "Hàn Quốc"]
    assert places("Tin từ Huế. Khánh Hòa", "2017-05-01") == [("Huế", "Thừa Thiên Huế", "Huế")]


def test_bridges_temples_stations_junctions_grounds_and_hamlets_are_places():
    text = ("Xe qua cầu Trường Tiền, dừng ở ga La Khê, rẽ tại nút giao Ô Chợ Dừa rồi lên dốc Cun; lễ ở đền Trần, "
            "trận đấu trên sân Thống Nhất; nhà ở thôn Xuân Lộc, xã Thanh Xuân, huyện Sóc Sơn, Hà Nội.")
    found = [t for t, _, _ in places(text, "2017-05-01")]
    assert found[:7] == ["cầu Trường Tiền", "ga La Khê", "nút giao Ô Chợ Dừa", "dốc Cun", "đền Trần",
                         "sân Thống Nhất", "thôn Xuân Lộc"]


def test_a_landmark_noun_that_ends_a_compound_opens_no_place():
    # `yêu cầu`, `nhu cầu` (to ask, a need), `gia đình` (a family), `xe tay ga` (a scooter), `tầng hầm`
    text = ("Bộ yêu cầu Sở Y tế báo cáo; nhu cầu Hà Nội tăng; gia đình Nguyễn Văn A; xe tay ga Yamaha; "
            "tầng hầm Vincom; Công ty Thăm dò và Khai thác Dầu khí ExxonMobil; Trưởng ban nhân dân ấp Tân Hóa.")
    assert [t for t, _, _ in places(text, "2017-05-01")] == ["Hà Nội"]


def test_a_unit_abroad_is_one_place_with_no_province():
    text = ("Lũ ở bang Telangana, thủ đô Kinshasa, tỉnh Homs, TP.Medan và thủ đô Seoul; Cục Điều tra Liên "
            "bang Mỹ; tỉnh Nghệ An; Tp.HCM Nghị định 48.")
    assert places(text, "2017-05-01") == [
        ("bang Telangana", None, None), ("thủ đô Kinshasa", None, None), ("tỉnh Homs", None, None),
        ("TP.Medan", None, None), ("thủ đô Seoul", None, None),
        ("tỉnh Nghệ An", "Nghệ An", "Nghệ An"), ("Tp.HCM", "Hồ Chí Minh", "Hồ Chí Minh")]


def test_a_country_that_is_also_a_name_after_its_leader_its_people_or_a_movement_into_it():
    text = ("Tổng thống Nga Vladimir Putin gặp đại sứ Mỹ; người Anh đi vào Đức. Bà Nga và anh Đức đến. "
            "Ca sĩ Mỹ Linh hát.")
    assert [t for t, _, _ in places(text, "2017-05-01")] == ["Nga", "Mỹ", "Anh", "Đức"]


def test_places_listed_with_spaced_dashes_are_each_a_place():
    found = places("Cao tốc qua 3 tỉnh Nam Định - Ninh Bình - Thái Bình.", "2017-05-01")
    assert [t for t, _, _ in found] == ["tỉnh Nam Định", "Ninh Bình", "Thái Bình"]
    # a dash inside one name stays one place
    assert [t for t, _, _ in places("Tỉnh Bà Rịa - Vũng Tàu.", "2017-05-01")] == ["Tỉnh Bà Rịa - Vũng Tàu"]


def test_a_road_linking_places_by_dashes_is_one_place_and_a_numbered_street_is_a_place():
    found = places("Tuyến cao tốc Ninh Bình - Hải Phòng - Quảng Ninh giao với đường số 13 (thị xã Dĩ An, "
                   "tỉnh Bình Dương).", "2017-05-01")
    assert found == [("cao tốc Ninh Bình - Hải Phòng - Quảng Ninh", None, None),
                     ("đường số 13", "Bình Dương", "Hồ Chí Minh"), ("thị xã Dĩ An", "Bình Dương", "Hồ Chí Minh"),
                     ("tỉnh Bình Dương", "Bình Dương", "Hồ Chí Minh")]


def test_a_rail_line_named_by_its_number_or_the_places_it_links_is_a_place_but_a_paper_named_metro_is_not():
    # made up; the line opens with its word capitalised too, after no other name
    found = places("Tuyến metro số 2 chậm tiến độ. Metro đưa tin, vốn cho metro số 2 thiếu; tuyến đường sắt đô "
                   "thị Yên Viên - Ngọc Hồi chạy thử.", "2017-05-01")
    assert [t for t, _, _ in found] == ["Tuyến metro số 2", "metro số 2", "tuyến đường sắt đô thị Yên Viên - Ngọc Hồi"]


def test_tp_alone_is_the_centrally_run_city_the_article_is_about():
    # made up: `TP` written again for Cần Thơ; not in a name, an office, a list of levels or `toàn TP`
    text = ("Sáng 3/7, TP Cần Thơ khởi công cầu mới. Theo Sở Xây dựng, trên địa bàn TP hiện có 40 cầu yếu, "
            "chính quyền TP sẽ bố trí vốn. Chủ tịch TP cho biết toàn TP có 12 dự án; ca sĩ Sơn Tùng M-TP hát ở "
            "63 tỉnh, TP.")
    found = [(t, p) for t, p, _ in places(text, "2017-07-03")]
    assert found == [("TP Cần Thơ", "Cần Thơ"), ("TP", "Cần Thơ"), ("TP", "Cần Thơ")]
    # an article about a province: `TP` names none
    assert [t for t, _, _ in places("Tỉnh Nghệ An họp. Trên địa bàn TP có 3 vụ.", "2017-07-03")] == ["Tỉnh Nghệ An"]


def test_a_place_of_vietnam_after_a_word_for_its_people_is_a_demonym():
    text = "Người Hà Nội thanh lịch, cô gái Huế hát; người Mỹ đến; hội nghị tại Hà Nội."
    assert [t for t, _, _ in places(text, "2017-05-01")] == ["Mỹ", "Hà Nội"]


def test_a_bare_district_of_one_province_after_a_word_for_where_is_that_district():
    found = places("Cô bạn 18 tuổi tới từ Nha Trang khiến ai cũng gật gù. Du lịch ở Đà Lạt.", "2017-05-01")
    assert found == [("Nha Trang", "Khánh Hòa", "Khánh Hòa"), ("Đà Lạt", "Lâm Đồng", "Lâm Đồng")]
    # without the word it stays unread, as an article not about its province may use it otherwise
    assert places("Nha Trang khiến ai cũng gật gù.", "2017-05-01") == []


def test_a_capitalised_landmark_noun_opens_a_landmark_but_not_inside_another_name():
    text = ("Dự án mở rộng Xa lộ Hà Nội và Quốc lộ 1; đập của Hồ Núi Cốc bị thấm. Đại tá Đào Vịnh Thắng nói. "
            "Phim được đề cử Quả Cầu Vàng. Ông Hồ Văn Nam đến.")
    assert [t for t, _, _ in places(text, "2017-05-01")] == ["Xa lộ Hà Nội", "Quốc lộ 1", "Hồ Núi Cốc"]


def test_a_miền_region_of_a_country_is_one_place():
    assert places("Lũ ở miền Trung Việt Nam và miền Nam Thái Lan; miền Bắc mưa.", "2017-05-01") == [
        ("miền Trung Việt Nam", None, None), ("miền Nam Thái Lan", None, None), ("miền Bắc", None, None)]


def test_a_person_named_in_full_after_a_capitalised_word_for_a_person_also_in_nfd_and_with_no_break_spaces():
    text = "Ông Lê Đức Thọ ở Hà Tĩnh. Năm nay Đức Thọ thu 5 tấn. Bà\u00a0Nga và Tổng thống Nga\u00a0Vladimir Putin."
    for written in (text, unicodedata.normalize("NFD", text)):
        ctx = context(written, "2017-05-01")
        found = [written[slice(*ctx.clean.to_original(s.start, s.end))] for s in find_places(ctx)]
        assert [unicodedata.normalize("NFC", t) for t in found] == ["Hà Tĩnh", "Nga"]


def test_a_year_after_a_landmarks_name_is_not_part_of_it():
    # `2017` is the festival's year (events read it as the gathering's), not the temple's name
    found = [span for span, _, _ in places(
        "Theo thông báo của BTC lễ hội khai ấn đền Trần 2017, lễ hội diễn ra ngày 11/2 tại đền Trần.")]
    assert found == ["đền Trần", "đền Trần"]
    assert [span for span, _, _ in places("Xe chạy trên Quốc lộ 1 qua Nghệ An.")][0] == "Quốc lộ 1"


def test_a_word_for_a_person_before_a_country_is_compared_with_its_diacritics():
    # `Mỹ` is a person's name after `Tổng thống` (`Tổng thống Mỹ` alone); `bầu cử Mỹ` is the country, not
    # `cụ Mỹ` (an old man) though the two fold alike
    ctx = context("Tổng thống Mỹ nói Nga can thiệp bầu cử Mỹ; cụ Mỹ đã 90 tuổi.", "2017-05-01")
    first, last = ctx.text.index("Mỹ;"), ctx.text.rindex("Mỹ")
    assert not places_module.is_person_name(ctx, first, first + 2)
    assert places_module.is_person_name(ctx, last, last + 2)


def test_a_place_inside_the_title_of_a_work_is_no_place():
    # a film's and a painting's titles, in straight and curly quotes; a programme's places stay (guide)
    text = ("Ca khúc gây sốt trong phim \"Hà Nội - Mùa thu lá bay\" của Đài Truyền hình. Tác phẩm 'Du kích "
            "Cà Mau đánh đồn' được trao giải. Chương trình “Người mẫu Việt Nam” diễn ra tại Đà Nẵng.")
    for written in (text, unicodedata.normalize("NFD", text)):
        found = [unicodedata.normalize("NFC", span) for span, _, _ in places(written, "2017-05-01")]
        assert found == ["Việt Nam", "Đà Nẵng"], found


def test_a_place_inside_a_title_typed_without_diacritics_is_no_place():
    text = "Bai hat 'Ha Noi mua vang nhung con mua' rat hay. Toi song o Ha Noi."
    ctx = context(text, "2017-05-01")
    assert [(ctx.text[s.start:s.end], s.start) for s in find_places(ctx)] == [("Ha Noi", text.rindex("Ha Noi"))]
