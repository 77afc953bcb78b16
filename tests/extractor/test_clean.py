"""The text layer: one canonical form, offsets that go back to the input exactly."""
import re
import unicodedata

from hypothesis import given, settings, strategies as st

from vnfacts.extractor.clean import canonical, clean_text, fold, fold_query, folded_text

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 ,.;:/-–—\u00a0\u200b\n" + "QĐTTgNQ"


def test_old_and_new_tone_placement_meet():
    assert canonical("hoà bình") == canonical("hòa bình") == "hòa bình"
    assert canonical("Uỷ ban") == canonical("Ủy ban") == "Ủy ban"
    assert canonical("thuỷ lợi") == canonical("thủy lợi") == "thủy lợi"
    assert canonical("khoẻ") == "khỏe"
    # closed syllables and qu- keep the mark on the main vowel
    assert canonical("hoàn thành quý Quỳnh Nguyễn") == "hoàn thành quý Quỳnh Nguyễn"


def test_nfd_and_dashes_and_spaces():
    nfd = unicodedata.normalize("NFD", "Quyết định số 1438/QĐ–TTg")
    ct = clean_text(nfd)
    assert ct.text == "Quyết định số 1438/QĐ-TTg"
    assert ct.folded == "quyet dinh so 1438/qd-ttg"
    assert clean_text("a\u00a0b\u2014c\u200bd").text == "a b-cd"


def test_fold_keeps_length_and_maps_d():
    for s in ["Đắk Lắk", "ĐỀ ÁN", "Hòa nhập", "x"]:
        assert len(fold(s)) == len(s)
    assert fold("Đắk Lắk") == "dak lak"
    assert fold_query("  Hoà   NHẬP ") == "hoa nhap"


def test_offsets_map_back_for_a_span():
    text = unicodedata.normalize("NFD", "Theo Quyết định số 1438/QĐ-TTg của Thủ tướng")
    ct = clean_text(text)
    m = re.search("1438/QĐ-TTg", ct.text)
    s, e = ct.to_original(*m.span())
    assert unicodedata.normalize("NFC", text[s:e]) == "1438/QĐ-TTg"


@st.composite
def mixed_text(draw):
    """Vietnamese-ish text, each run independently NFC or NFD (mixed input)."""
    runs = draw(st.lists(st.tuples(st.text(alphabet=ALPHABET, max_size=30), st.booleans()), max_size=6))
    return "".join(unicodedata.normalize("NFD" if nfd else "NFC", run) for run, nfd in runs)


@settings(max_examples=300, deadline=None)
@given(mixed_text(), st.data())
def test_canonical_offsets_land_on_the_same_substring(text, data):
    ct = clean_text(text)
    assert len(ct.folded) == len(ct.text)
    n = len(ct.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    s, e = ct.to_original(start, end)
    assert 0 <= s <= e <= len(text)
    # the original substring, cleaned, is the canonical substring
    if start < end:
        assert clean_text(text[s:e]).text == ct.text[start:end] or \
            canonical(text[s:e]) == canonical(ct.text[start:end])
    # and the whole text maps to the whole input (modulo dropped characters at the edges)
    whole = ct.to_original(0, n)
    assert canonical(text[whole[0]:whole[1]]) == ct.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_nfc_and_nfd_give_the_same_canonical_text(text):
    assert clean_text(unicodedata.normalize("NFD", text)).text == clean_text(unicodedata.normalize("NFC", text)).text


def test_only_syllable_sized_runs_are_cached():
    from vnfacts.extractor.clean import MAX_CACHED_RUN, _fix_short_syllable, _fix_syllable

    before = _fix_short_syllable.cache_info().currsize
    long_run = "hoà" + "ạ" * 1000
    assert canonical(long_run) == _fix_syllable(long_run)  # placed the same way, just not cached
    assert _fix_short_syllable.cache_info().currsize == before
    canonical("xoè")
    assert _fix_short_syllable.cache_info().currsize <= before + 1 and MAX_CACHED_RUN >= len("nghiêng")


def _whole_text_slow_path(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The cleaning every text with a combining mark or a dropped character used to get: cluster by
    cluster over the whole text (the reference the local slow path must equal)."""
    from vnfacts.extractor.clean import DROPPED, _SIMPLE_MAP, _fix_tones

    pieces, spans, i = [], [], 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        out = cluster[1:] if cluster[0] in DROPPED else unicodedata.normalize("NFC", cluster).translate(_SIMPLE_MAP)
        pieces.append(out)
        spans += [(i, j)] * len(out)
        i = j
    return _fix_tones("".join(pieces)), spans


@settings(max_examples=400, deadline=None)
@given(mixed_text())
def test_the_slow_path_only_where_needed_equals_the_whole_text_slow_path(text):
    canon, spans = _whole_text_slow_path(text)
    ct = clean_text(text)
    assert ct.text == canon
    for k, (start, end) in enumerate(spans):
        assert ct.to_original(k, k + 1) == (start, end)


def test_folded_text_is_the_folded_canonical_text():
    for text in ["Uỷ ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa",
                 "Quyết\u00a0định 1438/QĐ\u2013TTg", unicodedata.normalize("NFD", "Hoà nhập Đắk Lắk"),
                 "ngày\u200b 5/6", "12.289 trẻ em, 3,55%"]:
        assert folded_text(text) == clean_text(text).folded
    assert folded_text("Uỷ ban Khánh Hoà\u00a0\u2014 Đắk") == "uy ban khanh hoa - dak"


@settings(max_examples=300, deadline=None)
@given(st.one_of(mixed_text(), st.text(max_size=40)))
def test_folded_text_agrees_with_clean_text_on_any_input(text):
    assert folded_text(text) == clean_text(text).folded
    assert fold_query(text) == " ".join(fold(canonical(text)).split())


def test_a_letter_that_lower_cases_to_two_shifts_no_tone_mark():
    # `İ` lower-cases to `i` + a combining dot: the positions of the letters after it must not move
    # (the mark of `İoàn` landed on the n, and `İİoaò` raised IndexError, failing its document)
    from vnfacts.extractor.clean import canonical

    assert canonical("İoàn") == "İoàn"
    assert canonical("İİoaò") == "İİoaò"
    assert canonical("İhoà Bình") == "İhòa Bình"
