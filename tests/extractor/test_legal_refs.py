"""LEGAL_REF: every written form, normalized ids, resolution within a document."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import extract


def refs(text, published=None):
    result = extract(Document(id="t", text=text, published=published))
    return [e for e in result.entities if e.label == "LEGAL_REF"]


def ids(text):
    return [e.norm["id"] for e in refs(text)]


@pytest.mark.parametrize("text, span, doc_id, doc_type, number, year, code", [
    ("Theo Quyết định số 1438/QĐ-TTg về việc", "Quyết định số 1438/QĐ-TTg", "1438/QĐ-TTg", "Quyết định", 1438, None, "QĐ-TTg"),
    ("ban hành Quyết định số 32/2010/QĐ-TTg phê duyệt", "Quyết định số 32/2010/QĐ-TTg", "32/2010/QĐ-TTg", "Quyết định", 32, 2010, "QĐ-TTg"),
    ("thực hiện Nghị quyết 57-NQ/TW về", "Nghị quyết 57-NQ/TW", "57-NQ/TW", "Nghị quyết", 57, None, "NQ/TW"),
    ("triển khai Nghị quyết số 57/NQ-TW của", "Nghị quyết số 57/NQ-TW", "57-NQ/TW", "Nghị quyết", 57, None, "NQ/TW"),
    ("thực hiện Chỉ thị số 05-CT/TU của", "Chỉ thị số 05-CT/TU", "5-CT/TU", "Chỉ thị", 5, None, "CT/TU"),
    ("theo Nghị định 136/2013/NĐ-CP quy định", "Nghị định 136/2013/NĐ-CP", "136/2013/NĐ-CP", "Nghị định", 136, 2013, "NĐ-CP"),
    ("Thông tư số 02/2019/TT-BLĐTBXH hướng dẫn", "Thông tư số 02/2019/TT-BLĐTBXH", "2/2019/TT-BLĐTBXH", "Thông tư", 2, 2019, "TT-BLĐTBXH"),
    ("Thông tư liên tịch số 06/2016/TTLT-BLĐTBXH-BTC về", "Thông tư liên tịch số 06/2016/TTLT-BLĐTBXH-BTC", "6/2016/TTLT-BLĐTBXH-BTC", "Thông tư liên tịch", 6, 2016, "TTLT-BLĐTBXH-BTC"),
    ("Kế hoạch số 1941/KH-UBND ngày", "Kế hoạch số 1941/KH-UBND", "1941/KH-UBND", "Kế hoạch", 1941, None, "KH-UBND"),
    ("Công văn số 123/LĐTBXH-BTXH gửi", "Công văn số 123/LĐTBXH-BTXH", "123/LĐTBXH-BTXH", "Công văn", 123, None, "LĐTBXH-BTXH"),
    ("theo Hướng dẫn số 12/HD-UBND của", "Hướng dẫn số 12/HD-UBND", "12/HD-UBND", "Hướng dẫn", 12, None, "HD-UBND"),
    ("thực hiện Kết luận số 45-KL/TW của", "Kết luận số 45-KL/TW", "45-KL/TW", "Kết luận", 45, None, "KL/TW"),
    ("Thông báo số 64/TB-VPCP ngày", "Thông báo số 64/TB-VPCP", "64/TB-VPCP", "Thông báo", 64, None, "TB-VPCP"),
    ("Luật Trẻ em số 102/2016/QH13 có hiệu lực", "Luật Trẻ em số 102/2016/QH13", "102/2016/QH13", "Luật", 102, 2016, "QH13"),
    ("Bộ luật Lao động số 45/2019/QH14 quy định", "Bộ luật Lao động số 45/2019/QH14", "45/2019/QH14", "Bộ luật", 45, 2019, "QH14"),
    ("Pháp lệnh số 26/2005/PL-UBTVQH11 về", "Pháp lệnh số 26/2005/PL-UBTVQH11", "26/2005/PL-UBTVQH11", "Pháp lệnh", 26, 2005, "PL-UBTVQH11"),
    ("UBND có văn bản số 3535/UBND-KT đồng ý", "văn bản số 3535/UBND-KT", "3535/UBND-KT", "Văn bản", 3535, None, "UBND-KT"),
    ("theo Văn bản 2103/2009 của Thủ tướng Chính phủ và", "Văn bản 2103/2009", "2103/2009/VB", "Văn bản", 2103, 2009, "VB"),
    ("tại Tờ trình số 10-TTr/BCS ngày 11/01/2017", "Tờ trình số 10-TTr/BCS", "10-TTr/BCS", "Tờ trình", 10, None, "TTr/BCS"),
    ("theo Nghị định 105 năm 2014 của Chính phủ quy định", "Nghị định 105 năm 2014", "105/2014/NĐ-CP", "Nghị định", 105, 2014, "NĐ-CP"),
])
def test_written_forms(text, span, doc_id, doc_type, number, year, code):
    found = refs(text)
    assert len(found) == 1, found
    e = found[0]
    assert e.text == span
    assert (e.norm["id"], e.norm["type"], e.norm["number"], e.norm["year"], e.norm["code"]) == (doc_id, doc_type, number, year, code)


def test_dash_variants_spaces_and_leading_zeros():
    assert ids("theo Quyết định số 1438/QĐ–TTg") == ["1438/QĐ-TTg"]
    assert ids("theo Quyết định số 1438/QĐ — TTg") == ["1438/QĐ-TTg"]
    assert ids("theo Quyết định số 1438 / QĐ-TTg") == ["1438/QĐ-TTg"]
    assert ids("Chỉ thị 005-CT/TU") == ["5-CT/TU"]
    assert ids("Nghị quyết số: 20-NQ/TW") == ["20-NQ/TW"]


def test_headline_capitals_and_no_diacritics():
    assert ids("THỰC HIỆN QUYẾT ĐỊNH SỐ 1438/QĐ-TTG CỦA THỦ TƯỚNG") == ["1438/QĐ-TTg"]
    assert ids("theo quyet dinh so 1438/QD-TTg cua Thu tuong") == ["1438/QĐ-TTg"]
    assert ids("Thong tu so 02/2019/TT-BLDTBXH") == ["2/2019/TT-BLĐTBXH"]


def test_nfd_and_old_tones_keep_offsets():
    text = unicodedata.normalize("NFD", "Uỷ ban ban hành Quyết định số 434/QĐ-UBND ngày 26/02/2019")
    (e,) = refs(text)
    assert text[e.start:e.end] == e.text
    assert unicodedata.normalize("NFC", e.text) == "Quyết định số 434/QĐ-UBND"
    assert e.norm["id"] == "434/QĐ-UBND" and e.norm["signed"] == "2019-02-26"


def test_code_alone_and_shared_type_word():
    assert ids("thực hiện 57-NQ/TW của Bộ Chính trị") == ["57-NQ/TW"]
    assert ids("Quyết định số 1438/QĐ-TTg và 434/QĐ-UBND") == ["1438/QĐ-TTg", "434/QĐ-UBND"]
    # numbers that are not citations
    assert ids("tỷ lệ 3/4 hộ, phòng 12-A, ngày 22/12/2022, 61/91 xã") == []


def test_signed_and_issuer():
    (e,) = refs("Quyết định số 1438/QĐ-TTg ngày 29/10/2018 của Thủ tướng Chính phủ về việc phê duyệt")
    assert e.norm["signed"] == "2018-10-29"
    assert e.norm["issuer"] == "Thủ tướng Chính phủ"
    (e,) = refs("Ủy ban nhân dân tỉnh Bình Dương ban hành Quyết định số 434/QĐ-UBND.")
    assert e.norm["issuer"] == "Ủy ban nhân dân tỉnh Bình Dương"
    (e,) = refs("Quyết định số 434/QĐ-UBND đã được triển khai.")
    assert e.norm["issuer"] is None and e.norm["signed"] is None


def test_bare_number_resolves_within_the_document():
    text = "Sau khi có Quyết định 1533, các tỉnh triển khai. Quyết định 1533/QĐ-TTg là chủ trương đúng."
    assert ids(text) == ["1533/QĐ-TTg", "1533/QĐ-TTg"]
    assert ids("sau khi có Quyết định 1533 của Thủ tướng Chính phủ") == ["1533/QĐ-TTg"]
    assert ids("Nghị quyết 57 của Bộ Chính trị") == ["57-NQ/TW"]
    assert ids("trên cơ sở Quyết định 1533 đã ban hành") == ["1533/QĐ"]
    # a type word with no number is not a citation, nor a lower-case one before a duration
    assert ids("Quyết định của Thủ tướng đã nêu rõ") == []
    assert ids("các văn bản 2 năm qua đều chậm") == []


def test_abbreviated_type_words_only_in_capitals():
    assert ids("theo QĐ 1438 của Thủ tướng Chính phủ") == ["1438/QĐ-TTg"]
    assert ids("có nd 12 người") == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="Quyếtđịnhsố QĐ-TTgNghịquyết/0123456789 ,.\n–ăâêôơưĐđ", max_size=120))
def test_random_text_never_raises_and_spans_index_the_input(text):
    result = extract(Document(id="r", text=text))
    for e in result.entities:
        assert text[e.start:e.end] == e.text
        assert 0 <= e.start < e.end <= len(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["1533", "12", "2017", "/", "-", " ", ".", "QĐ", "TTg", "NQ", "BNV", "a", "Đ", "_", "x1"]),
                max_size=14).map("".join))
def test_the_code_pattern_finds_what_the_lookbehind_before_the_number_found(text):
    """_CODE_TOKEN checks what stands before the number after its first digit (so the scan skips to
    digits): the same matches, groups and all, as with the lookbehind before the number."""
    import re

    from vnfacts.extractor.legal_refs import _CODE_TOKEN

    before = re.compile(_CODE_TOKEN.pattern.replace(r"(?P<num>\d(?<![\w/.\-]\d)\d{0,4})", r"(?<![\w/.\-])(?P<num>\d{1,5})"))
    assert before.pattern != _CODE_TOKEN.pattern
    assert [m.groupdict() | {"span": m.span()} for m in _CODE_TOKEN.finditer(text)] == \
        [m.groupdict() | {"span": m.span()} for m in before.finditer(text)]
