"""No input makes the extractor's work grow faster than its length: each adversarial kind of text
(letter runs with no space, bracketed acronyms, comma lists of places, venues, numbers, capitalised
words, long sentences, zero-width characters, titles in capitals) is extracted at n and at 2n
pieces, and every work counter (vnfacts.extractor.work) may at most double, plus a log factor.
Counters, not wall time: the machine is shared, the counts are exact."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vnfacts.extractor.clean import clean_text, clear_memos, fold_query
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import rules_pipeline, warm_up
from vnfacts.extractor.resources import load_data
from vnfacts.extractor.work import counting

SYLLABLES = ["hoà", "thuỷ", "Uỷ", "oa", "Nam", "Bình", "Sơn", "An", "Phú", "Hội", "Sở", "Trung", "tâm", "Việt",
             "người", "cao", "tuổi", "khỏe", "quý", "Đống", "Đa", "xã", "tỉnh", "TP", "UBND"]
# capitalised places, unknown names among them: one long address chain
PLACES = ["Hà Nội", "Bình Dương", "Đống Đa", "Nghệ An", "Quảng Trị", "Thái Thịnh", "Lào", None]
PREFIXED = ["huyện Châu Thành", "xã An Bình", "tỉnh Nghệ An", "thị xã Quảng Trị"]


def _name(i: int) -> str:
    """A capitalised name different for each i (`Bac`, `Bad`...): repeated inputs must not all
    be the same name, or finders that remember names would see only one."""
    letters = "bcdghklmnpqrstvx"
    out = ""
    i += len(letters)
    while i:
        i, r = divmod(i, len(letters))
        out = letters[r] + out
    name = out.capitalize() + "a"
    # a country's name (`Nga`, Russia, at i = 115) would give the larger document alone a place,
    # and an ORG in capitals one more walk: the test would see a size's content, not its growth
    return name + "c" if fold_query(name) in _WORLD_NAMES else name


_WORLD_NAMES = frozenset(fold_query(k) for part in ("countries", "cities") for k in load_data("world.yaml")[part])


# Each kind: the text of piece i, given the words a test drew.
KINDS = {
    "letter run": lambda words, i: "".join(words).replace(" ", ""),  # one run, no space anywhere
    "bracketed acronyms": lambda words, i: f"Trung tâm {_name(i)} {words[0]} ({_name(i).upper()[:4]}X) và ",
    "place list": lambda words, i: f"{PLACES[i % len(PLACES)] or _name(i)}, ",
    "prefixed place list": lambda words, i: f"{PREFIXED[i % len(PREFIXED)]}, {words[0].capitalize()}, ",
    # one capitalised run of names that open longer gazetteer keys (`Bà Rịa` of `Bà Rịa Vũng Tàu`):
    # every word starts a walk along the keys' prefixes (places.keys_read)
    "gazetteer key runs": lambda words, i: f"Bà Rịa Vũng Tàu Hà Nội Thái Bình {_name(i)} ",
    "venues": lambda words, i: f"tại khách sạn {_name(i)} {words[0]}, số {i}, Thái Thịnh, Đống Đa, Hà Nội. ",
    "numbers": lambda words, i: f"{i}.289 trẻ em, {i % 97},5% và ngày {i % 28 + 1}/5/2023, ",
    "capitalised words": lambda words, i: " ".join(w.capitalize() for w in words) + f" {_name(i)} ",
    "long sentence": lambda words, i: f"Sở {_name(i)} {' '.join(words)} phối hợp với UBND huyện {_name(i)} ",
    "zero-width": lambda words, i: unicodedata.normalize("NFD", " ".join(words)) + "\u200b ",
    "titles in capitals": lambda words, i: f"HỘI {' '.join(words).upper()} {_name(i).upper()}\n"
                                           f"Hội {' '.join(words)} {_name(i)} họp.\n",
}
# The counters any document of some length must show: the test would pass vacuously without them.
ALWAYS_COUNTED = ("clean.chars", "tokens.words", "places.tokens", "orgs.lines")


# The rules' counters: the statistical model's own cost is linear by construction (a CNN over the
# tokens, a transition-based parser), and what it proposes is a different set at each size, so its
# spans' work is tested apart (test_model_names_are_normalized_in_one_walk).
PIPELINE = rules_pipeline()


def _work(text: str) -> dict[str, int]:
    clear_memos()  # both sizes from the same start: no strings remembered from an earlier example
    with counting() as work:
        PIPELINE.extract(Document("doubling", text))
    return dict(work)


def _document(kind: str, words: list[str], pieces: int) -> str:
    make = KINDS[kind]
    return "".join(make(words, i) for i in range(pieces))


def setup_module():
    warm_up(PIPELINE)


@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=6), pieces=st.integers(60, 160))
def test_no_counter_more_than_doubles_when_the_input_doubles(kind, words, pieces):
    small = _work(_document(kind, words, pieces))
    large = _work(_document(kind, words, 2 * pieces))
    for name in ALWAYS_COUNTED:
        assert small.get(name, 0) > 0, f"{name} was not counted ({kind})"
    grew = {name: (small.get(name, 0), n) for name, n in large.items() if n > 2.3 * small.get(name, 0) + 64}
    assert not grew, f"{kind}: work grew faster than the input (n -> 2n pieces): {grew}"


def test_one_zero_width_character_costs_only_its_cluster():
    """One zero-width space in a long text: only that character takes the slow cleaning path,
    and offsets still map back exactly on both sides of it."""
    text = "Quyết định số 1438/QĐ-TTg về hoà nhập. " * 2000
    text = text[:40000] + "\u200b" + text[40000:]
    with counting() as work:
        clean = clean_text(text)
    assert work["clean.slow_chars"] == 1 and work["clean.chars"] == len(text)
    assert clean.text == clean_text(text.replace("\u200b", "")).text and "hòa" in clean.text
    at = clean.text.index("1438", 50000)
    start, end = clean.to_original(at, at + 4)
    assert text[start:end] == "1438" and start == at + 1  # one character dropped before it
    start, end = clean.to_original(10, 20)
    assert text[start:end] == clean.text[10:20]


def test_a_long_run_of_letters_is_cleaned_in_one_pass():
    """`oà` repeated with no space is one letter run: fixed once, not once per pair in it."""
    for n in (1000, 2000):
        with counting() as work:
            clean_text("oà" * n)
        assert work["clean.tone_runs"] == 1


def test_model_names_are_normalized_in_one_walk():
    """However many ORG spans the model proposes, their names in capitals (whose norm reads the name
    where it is written in ordinary case) are looked for in the text in one walk (one walk per name
    was quadratic), and a span longer than any name is not normalized at all."""
    from vnfacts.extractor.ner_model import MAX_NAME_WORDS, to_spans

    text = "".join(f"CÔNG TY CỔ PHẦN {_name(i).upper()} ký với HỘI NÔNG DÂN {_name(i).upper()} tại Hà Nội. "
                   for i in range(200))
    ctx = PIPELINE.context(Document("model", text), until="figures")
    names = [(m.start(), m.end()) for m in __import__("re").finditer(r"CÔNG TY CỔ PHẦN \w+|HỘI NÔNG DÂN \w+", text)]
    walks = []
    for how_many in (20, 400):
        clear_memos()
        ctx.memo.clear()
        with counting() as work:
            spans = to_spans(ctx, [(s, e, "ORG") for s, e in names[:how_many]], "model:test")
        walks.append(work.get("tokens.phrase_walks", 0))
        assert len(spans) == how_many
    assert walks[1] == walks[0] > 0  # one walk of the same document, whatever the number of names
    long_run = " ".join(["Hội"] * (MAX_NAME_WORDS + 5))
    from vnfacts.extractor.ner_model import _spans
    ctx2 = PIPELINE.context(Document("long", long_run), until="figures")
    ctx2.model_predictions = [(0, len(long_run), "ORG", "model:test")]
    assert _spans(ctx2, "ORG") == []



def _date_texts() -> list[str]:
    """Folded texts to scan for dates: the bundled articles, each also without diacritics and in
    NFD, and the adversarial kinds above (dates, numbers and lead words glued or spaced oddly)."""
    import json
    from pathlib import Path

    from vnfacts.extractor.clean import fold

    lines = (Path(__file__).resolve().parents[2] / "corpus" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    texts += [fold(t) for t in texts[:10]] + [unicodedata.normalize("NFD", t) for t in texts[:10]]
    texts += [_document(kind, ["ngày", "tháng", "năm", "quý"], 40) for kind in KINDS]
    texts += ["ngày6-9/5/2025,ngày 9 -21/5;tháng 1-6/2024 sáng nay(9/5) thứ Sáu tuần sau, những năm 1990-2000 "
              "quý II/2024 giai đoạn từ 2021 đến 2025 năm2022 Chủ nhật tới 12.5.2025 hôm qua chiều mai",
              "digits of other scripts: ngày ١٢/٥/٢٠٢٥, ngày１２/５, (٣) tháng ５ năm ２０２５ — ngày ٩"]
    return [fold(clean_text(t).text) for t in texts]


def test_the_date_scan_tries_only_where_a_form_opens_and_finds_every_overlapped_match():
    """Dates are matched only at a number or a word that opens a form (dates._starts): the same
    matches as the regex run from every position of the text (finditer overlapped)."""
    from vnfacts.extractor import dates

    p = dates._patterns()
    atom_starts, relative_starts = dates._starts()
    matched = 0
    for folded in _date_texts():
        for pattern, opening in [(p.atoms, atom_starts)] + [(pat, relative_starts) for _, pat in p.relative.patterns]:
            everywhere = [m.span() for m in pattern.finditer(folded, overlapped=True)]
            assert [m.span() for m in dates._matches_from(pattern, folded, dates._word_starts(opening, folded))] == everywhere
            assert dates._word_starts(opening, folded) == [m.start() for m in opening.pattern.finditer(folded)]
            matched += len(everywhere)
        # each relative kind's pattern tried only where its own opening syllables stand
        starts_of = dates._relative_starts(p.relative, folded, dates._word_starts(relative_starts, folded))
        for kind, pattern in p.relative.patterns:
            assert [m.span() for m in dates._matches_from(pattern, folded, starts_of[kind])] == \
                [m.span() for m in pattern.finditer(folded, overlapped=True)]
    assert matched > 500
