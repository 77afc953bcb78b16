"""The document-wide token list and the phrase trie find exactly what the per-window scan and the
regex alternations they replace find (the finders' speed-up must not change a single fact)."""
from __future__ import annotations

import re
import unicodedata

import regex
from hypothesis import given, settings, strategies as st

from vnfacts.extractor.clean import clean_text
from vnfacts.extractor.tokens import (FOLDED_SYLLABLE, ORG_WORD, PHRASE_WORD, PhraseTrie, document_tokens,
                                     prefix_tree_alternation, scan, token_list, words_after)

WORDS = ["so", "soa", "y", "yte", "te", "tinh", "nghe", "an", "hội", "NCT", "(TTX)", "LĐ-TB&XH", "TP.HCM", "dantri.vn", "Đ",
         "Hoà", "ђак", "_x", "12", "1.438"]
GAPS = [" ", "  ", ", ", ".", "\n", "-", "\u00a0", "\t", ". ", ")"]


class _Doc:
    """What a finder's context offers the token layer: the text, its folded twin, a memo."""

    def __init__(self, text: str):
        clean = clean_text(text)
        self.text, self.folded, self.memo = clean.text, clean.folded, {}


texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=40).map(
    lambda parts: "".join(w + g for w, g in parts))


def test_org_words_are_the_same_whichever_module_splits_the_text():
    """ORG_WORD tokens of text made of Latin and Vietnamese letters and common punctuation are split
    by `re` (its classes spelled out), elsewhere by `regex`: the same tokens either way, for every
    such character alone, inside a code and in a run, and for text holding another script."""
    from vnfacts.extractor.tokens import _PLAIN_RANGES

    plain = [chr(c) for low, high in _PLAIN_RANGES for c in range(low, high + 1)]
    texts = [" ".join(plain), " ".join("A" + c + "B" for c in plain), " ".join("AB" + c + "C1" for c in plain),
             "".join(plain), "Sở LĐ-TB&XH TP.HCM dantri.vn ђак Hội NCT", "ĐH Квант-2 Trường 19-5"]
    for text in texts:
        got = token_list(text, text, ORG_WORD)
        assert list(zip(got.words, got.starts, got.ends)) == \
            [(m.group(), m.start(), m.end()) for m in ORG_WORD.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_document_tokens_are_the_scan_of_the_text_and_of_each_line(text, data):
    doc = _Doc(text)
    for pattern, on_folded in ((ORG_WORD, False), (FOLDED_SYLLABLE, True)):
        every = document_tokens(doc, pattern, on_folded=on_folded)
        expected = scan(doc.text, doc.folded, pattern, on_folded=on_folded)
        assert [(t.start, t.end, t.text, t.folded) for t in every] == \
            [(t.start, t.end, t.text, t.folded) for t in expected]
        assert every.words == [doc.folded[t.start:t.end] if on_folded else t.text for t in expected]
        # a window between line breaks holds the tokens a scan of that line finds
        pos = 0
        for line in doc.text.split("\n"):
            window = every.window(pos, pos + len(line))
            assert [(t.start, t.end) for t in window] == \
                [(t.start, t.end) for t in scan(doc.text, doc.folded, pattern, pos, pos + len(line), on_folded=on_folded)]
            pos += len(line) + 1
        assert every.starts_name_flags() == [t.starts_name for t in expected]


def _alternation(keys, module):
    ordered = sorted(keys, key=lambda k: (-len(k), k))
    body = "|".join(module.escape(k).replace(r"\ ", r"\s+") for k in ordered)
    return module.compile(r"(?<![\w])(?:" + body + r")(?![\w])")


keys = st.sets(st.lists(st.sampled_from([w.lower() for w in WORDS]), min_size=1, max_size=4).map(" ".join),
               min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(texts, keys)
def test_the_trie_finds_what_an_overlapped_alternation_finds(text, phrases):
    doc = _Doc(text.lower())
    expected = [(m.start(), m.end(), " ".join(m.group(0).split()))
                for m in _alternation(phrases, regex).finditer(doc.folded, overlapped=True)]
    found = []
    for start, end, phrase in PhraseTrie(phrases).find(doc):
        if not found or found[-1][0] != start:  # the longest phrase at each position
            found.append((start, end, phrase))
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(texts, keys)
def test_the_trie_with_re_finds_each_phrase_where_re_finditer_does(text, phrases):
    doc = _Doc(unicodedata.normalize("NFD", text))
    per_phrase: dict[str, list] = {p: [] for p in phrases}
    for start, end, phrase in PhraseTrie(phrases, module=re).find(doc):
        mine = per_phrase[phrase]
        if not mine or mine[-1][1] <= start:
            mine.append((start, end))
    for phrase in phrases:
        assert per_phrase[phrase] == [m.span() for m in _alternation([phrase], re).finditer(doc.folded)]


@settings(max_examples=300, deadline=None)
@given(texts, keys)
def test_the_prefix_tree_matches_where_the_alternation_does(text, phrases):
    """Where a whole phrase stands, as the event kinds' first scan asks it: with the word-boundary
    lookbehind after the first character (so the pattern opens with a literal), at the same
    positions as the alternation of the phrases longest first, with its diacritics or folded."""
    doc = _Doc(text)
    tree = re.compile(prefix_tree_alternation(phrases, after_first=r"(?<![\w].)") + r"(?![\w])")
    for source in (doc.text.lower(), doc.folded):
        expected = [m.start() for m in _alternation(phrases, re).finditer(source)]
        found = [m.start() for m in tree.finditer(source)]
        assert bool(found) == bool(expected)
        if expected:
            assert found[0] == expected[0]
        alternation = _alternation(phrases, re)
        assert [i for i in range(len(source) + 1) if alternation.match(source, i)] == \
            [i for i in range(len(source) + 1) if tree.match(source, i)]


_PHRASE_PIECES = ["5", "%", " ", "  ", "\t", "\n", ",", "-", "người", "trẻ", "em", "hộ-khẩu", "Đ", "_", "1.289", "tỷ"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PHRASE_PIECES), max_size=16).map("".join), st.integers(0, 13))
def test_the_phrase_after_a_position_is_read_as_one_word_at_a_time(text, limit):
    """words_after reads its words in one match: the words of reading them one at a time (the first
    may touch the position, each other one follows spaces or tabs), up to the limit."""
    one = regex.compile(r"[ \t]*(%|" + PHRASE_WORD.pattern + ")")
    doc = _Doc(text)
    for pos in range(len(doc.text) + 1):
        expected, at = [], pos
        while len(expected) < limit:
            m = one.match(doc.text, at)
            if not m or (m.start(1) == at and expected):
                break
            expected.append(m.span(1))
            at = m.end(1)
        found = words_after(doc.text, doc.folded, pos, limit)
        assert [(t.start, t.end) for t in found] == expected
        assert all(t.folded == doc.folded[t.start:t.end] for t in found)


_UNIT_PIECES = ["bang", "Bang", "thủ đô", "thủ  đô", "TP", "TP.", "tỉnh", "Tỉnh", "Telangana", "Kinshasa", "Homs",
                "Nguyễn", "NGUYỄN", "Lê", "Đức", "Thọ", "ông", "Ông", "chú", "Trung", "Dân", "xbang", "2bang", "Đ",
                "thu do", "ђак", "Hà-Bắc"]
_UNIT_GAPS = [" ", "  ", "\t", ", ", ".", "-", "\n", "\u00a0", "", "(", "'"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_UNIT_PIECES), st.sampled_from(_UNIT_GAPS)), max_size=30).map(
    lambda parts: "".join(w + g for w, g in parts)), st.sampled_from(["nfc", "nfd"]))
def test_a_pattern_tried_at_its_opening_syllables_finds_what_finditer_finds(text, form):
    """matches_at_openings tries a pattern only where one of its opening syllables stands: the
    matches of finditer over the whole text, for the pattern that uses it (units abroad), on text
    with and without diacritics, composed or not, with words glued to letters, digits and other
    scripts."""
    from vnfacts.extractor.places import _unit_abroad_pattern
    from vnfacts.extractor.tokens import matches_at_openings

    doc = _Doc(unicodedata.normalize("NFD", text) if form == "nfd" else text)
    pattern, openings = _unit_abroad_pattern()
    assert openings is not None
    assert [m.span() for m in matches_at_openings(doc, pattern, openings)] == \
        [m.span() for m in pattern.finditer(doc.text)]


def _kind_phrase_words() -> list[str]:
    from vnfacts.extractor.resources import load_data

    phrases = [p for e in load_data("event_kinds.yaml")["kinds"] for p in e["phrases"]]
    return phrases[::7] + sorted({w for p in phrases for w in p.split()})[:60] + ["Hội", "HỘI", "hoi", "nghi", "xhội", "Lê"]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_each_kind_is_tried_only_where_some_kinds_phrase_opens(data):
    """find_kind tries each kind's pattern only where the tree of all kinds' phrases matches
    (_phrase_starts, _matches_at): every kind's matches are those of its finditer over the sentence,
    with diacritics and folded, words glued and phrases run together."""
    from vnfacts.extractor.clean import fold
    from vnfacts.extractor.event_sentences import _any_kind, _kinds_opening_at, _matches_at, _phrase_starts, kinds

    words = _kind_phrase_words()
    text = "".join(w + g for w, g in data.draw(st.lists(st.tuples(st.sampled_from(words),
                                                                  st.sampled_from([" ", "  ", ", ", "", "\n"])), max_size=25)))
    for exact, target in ((True, text.lower()), (False, fold(text))):
        starts = _phrase_starts(_any_kind(exact), target)
        for kind in kinds():
            pattern = kind.pattern(exact)
            assert [m.span() for m in _matches_at(pattern, target, starts)] == [m.span() for m in pattern.finditer(target)]
        # the kinds find_kind tries: every kind that matches, in the kinds' order
        tried = _kinds_opening_at(target, starts, exact)
        assert {k.kind for k in kinds() if k.pattern(exact).search(target)} <= {k.kind for k in tried}
        assert [k.rank for k in tried] == sorted(k.rank for k in tried)
