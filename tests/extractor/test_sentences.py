"""Sentence boundaries on the canonical text."""
from vnfacts.extractor.sentences import split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_a_sentence_ends_before_a_capital():
    assert sentences("Ông A nói vậy. Đó là lý do.") == ["Ông A nói vậy.", "Đó là lý do."]


def test_a_lower_case_letter_with_diacritics_opens_no_sentence():
    # đ, ủ, ở... lie in the range À-Ỹ, yet are lower case: the sentence goes on
    assert sentences("Ông A nói vậy. đó là lý do.") == ["Ông A nói vậy. đó là lý do."]
    assert sentences("Số bệnh nhân do súng đạn tự chế… đã tăng 143%.") == ["Số bệnh nhân do súng đạn tự chế… đã tăng 143%."]
