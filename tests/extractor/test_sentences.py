"""Sentence boundaries on the canonical text."""
import regex
from hypothesis import example, given, settings, strategies as st

from vnfacts.extractor.sentences import _BREAK, split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_a_sentence_ends_before_a_capital():
    assert sentences("Ông A nói vậy. Đó là lý do.") == ["Ông A nói vậy.", "Đó là lý do."]


def test_a_lower_case_letter_with_diacritics_opens_no_sentence():
    # đ, ủ, ở... lie in the range À-Ỹ, yet are lower case: the sentence goes on
    assert sentences("Ông A nói vậy. đó là lý do.") == ["Ông A nói vậy. đó là lý do."]
    assert sentences("Số bệnh nhân do súng đạn tự chế… đã tăng 143%.") == ["Số bệnh nhân do súng đạn tự chế… đã tăng 143%."]


_PIECES = [".", "!", "?", "…", "\n", "\n\n", " ", "  ", "\t", "\"", "”", "’", ")", "(", "“", "[", "A", "Đ", "a", "đ", "1",
           "TP.", "ông"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@example("vậy.\n Điện. “Ông”! (Đ)… 1.\n\n\tA")
def test_the_breaks_are_those_of_the_mark_looked_behind_for(text):
    """The break pattern matches its mark and leaves it out (`\\K`) instead of looking behind at
    every character: the same breaks as the lookbehind form, line breaks after a mark included."""
    looked_behind = regex.compile(r"\n+|(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(\[\p{Lu}0-9])")
    assert [m.span() for m in _BREAK.finditer(text)] == [m.span() for m in looked_behind.finditer(text)]
