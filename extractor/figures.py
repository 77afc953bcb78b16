"""FIGURE finder: quantities written with digits and what they count (guide: FIGURE).

A FIGURE span is an optional qualifier (``hơn``, ``khoảng``...) + the number + its unit or counted
noun phrase: ``hơn 500 đại biểu``, ``3,55%``, ``61/91 xã``, ``1,5 tỷ đồng``. One regex finds the
numbers over the whole text; each number is then read in its few neighbouring words:

- before it: qualifiers (the nearest wins: ``khoảng hơn`` -> ``more_than``), and words that make it
  an identifier rather than a quantity (``số 110``, ``Chuyên đề 2``, ``hệ số 1,25``);
- after it: a multiplier (``triệu``, ``tỷ``), a measure unit (``đồng``, ``%``, ``ha``; money is
  multiplied out), an excluded unit (ages ``tuổi``, durations ``năm``/``tháng``, multiples ``lần``)
  or a counted noun. The counted noun is one word, found by the longest match in underthesea's
  Vietnamese word list (shipped as ``data/viet74k-words.txt``: ``trẻ em``, ``đại biểu``), a domain compound from ``data/figures.yaml``
  (``cơ sở trợ giúp xã hội``), or a classifier with its noun (``lượt người``, ``lớp tập huấn``).

A number with no unit takes the unit of the range it opens (``từ 1.210.000 lên 1.300.000 đồng``);
otherwise it is no FIGURE. Numbers inside DATE spans are left to the DATE finder. Words are looked
up in lower case with their diacritics, and by their folded form when the text has none.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import regex

from .clean import canonical, fold
from .context import stage
from .models import Span
from . import clean as clean_module
from .resources import cached, data_file, load_data
from .tokens import Token, not_a_vietnamese_name, token, words_after, words_before

WORD_LIST = "viet74k-words.txt"  # package data: underthesea's multi-syllable words

# Numbers: English groups (1,234,567 or 1,234.5: unambiguous), Vietnamese groups (12.289 or
# 1.234,5), then plain integers and decimals (3,55; 1.5).
_NUMBER = (r"\d{1,3}(?:,\d{3})+\.\d+(?!\d)"
           r"|\d{1,3}(?:,\d{3}){2,}(?![\d])(?!\.\d)"
           r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)"
           r"|\d+(?:[.,]\d+)?")
_FIGURE = regex.compile(
    r"(?<![\w/.,:;])(?<![^\W\d_]-)"  # not glued to a word, a code or a clock time
    rf"(?P<num>{_NUMBER})(?:/(?P<of>{_NUMBER}))?"
    r"(?![\d]|[.,]\d)"
)
_ENGLISH_GROUPS = regex.compile(r"\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}")
_VIETNAMESE_GROUPS = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_NOT_DIGIT = regex.compile(r"\D")
_NUMBER_BEFORE = regex.compile(r"\d[%\w]*\s*$", regex.REVERSE)
_RATE = regex.compile(r"(?:/[^\W\d_]+)+")  # "đồng/tháng", "%/năm", "đồng/người/tháng"


def _lower_and_folded(words) -> tuple[frozenset[str], frozenset[str]]:
    """A word list as a set of lower-case phrases and a set of folded phrases."""
    lower = {" ".join(str(w).lower().split()) for w in words}
    return frozenset(lower), frozenset(fold(w) for w in lower)


def _table(mapping: dict) -> tuple[dict, dict]:
    lower = {" ".join(str(k).lower().split()): v for k, v in mapping.items()}
    return lower, {fold(k): v for k, v in lower.items()}


@dataclass(frozen=True)
class _Lexicon:
    qualifiers: tuple[dict, dict]
    multipliers: tuple[dict, dict]
    measure_units: tuple[dict, dict]
    glued_units: regex.Pattern
    classifier_heads: tuple[frozenset, frozenset]
    unit_compounds: tuple[frozenset, frozenset]
    unit_modifiers: tuple[frozenset, frozenset]
    excluded_units: tuple[frozenset, frozenset]
    excluded_before: tuple[frozenset, frozenset]
    bare_percent_after: tuple[frozenset, frozenset]
    not_unit_start: tuple[frozenset, frozenset]
    range_join: regex.Pattern
    of_words: regex.Pattern
    max_syllables: int
    street_names: regex.Pattern  # "43 Nguyễn Chí Thanh": an address
    max_digits: int
    reference_units: tuple[frozenset, frozenset]
    share_nouns: tuple[frozenset, frozenset]
    quantity_before: tuple[frozenset, frozenset]
    kind_units: tuple[frozenset, frozenset]
    kind_nouns_before: tuple[frozenset, frozenset]
    words: tuple = (frozenset(), frozenset())  # multi-syllable dictionary words: lower, folded


@lru_cache(maxsize=1)
def _dictionary(max_syllables: int) -> tuple[frozenset[str], frozenset[str]]:
    """The multi-syllable words of underthesea's Vietnamese word list, shipped as package data
    (``data/viet74k-words.txt``, with its source and licence): a missing file is an install error.
    Read back from the cache (:func:`~vnfacts.extractor.resources.cached`) once built."""
    return cached(f"words-{max_syllables}", [data_file(WORD_LIST), __file__, clean_module.__file__],
                  lambda: _read_dictionary(max_syllables))


def _read_dictionary(max_syllables: int) -> tuple[frozenset[str], frozenset[str]]:
    words = set()
    for line in data_file(WORD_LIST).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        parts = line.strip().lower().split()
        if 2 <= len(parts) <= max_syllables:
            words.add(canonical(" ".join(parts)))  # the same tone placement as the text
    return _lower_and_folded(words)


def _alternation(words) -> str:
    items = sorted({fold(str(w).lower()) for w in words}, key=lambda w: (-len(w), w))  # stable across hash seeds
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in items)


@lru_cache(maxsize=2)
def _lexicon(plain: bool) -> _Lexicon:
    """The figure words. A document written with diacritics looks them up as written only (its
    folded sets are empty: `ha` is not `hà`); one written without, by their folded forms too."""
    lex = _all_forms_lexicon()
    if plain:
        return lex
    return replace(lex, **{f.name: (value[0], type(value[1])()) for f in fields(lex)
                           if isinstance(value := getattr(lex, f.name), tuple)})


@lru_cache(maxsize=1)
def _all_forms_lexicon() -> _Lexicon:
    data = load_data("figures.yaml")
    max_syllables = int(data["max_word_syllables"])
    return _Lexicon(
        qualifiers=_table(data["qualifiers"]),
        multipliers=_table(data["multipliers"]),
        measure_units=_table(data["measure_units"]),
        glued_units=regex.compile(rf"(?:{_alternation(data['glued_units'])})(?![^\W\d_])"),
        classifier_heads=_lower_and_folded(data["classifier_heads"]),
        unit_compounds=_lower_and_folded(data["unit_compounds"]),
        unit_modifiers=_lower_and_folded(data["unit_modifiers"]),
        excluded_units=_lower_and_folded(data["excluded_units"]),
        excluded_before=_lower_and_folded(data["excluded_before"]),
        bare_percent_after=_lower_and_folded(data["bare_percent_after"]),
        not_unit_start=_lower_and_folded(data["not_unit_start"]),
        range_join=regex.compile(rf"\s*(?:{_alternation(data['range_join'])})\s*"),
        of_words=regex.compile(rf"\s+(?:{_alternation(data['of_words'])})\s+"),
        max_syllables=max_syllables,
        street_names=regex.compile(r"[ \t]+(?:" + "|".join(regex.escape(w) for w in sorted(
            data["street_name_starts"], key=len, reverse=True)) + r")(?!\w)"),
        max_digits=int(data["max_digits"]),
        reference_units=_lower_and_folded(data["reference_units"]),
        share_nouns=_lower_and_folded(data["share_nouns"] + data["unit_compounds"]),
        quantity_before=_lower_and_folded(data["quantity_before"]),
        kind_units=_lower_and_folded(data["kind_units"]),
        kind_nouns_before=_lower_and_folded(data["kind_nouns_before"]),
        words=_dictionary(max_syllables),
    )


def is_dictionary_word(phrase: str, *, as_written: bool = False) -> bool:
    """Whether ``phrase`` (two or more syllables, as written or folded) is a word of the shipped
    Vietnamese word list (``ý kiến``, ``pháp luật``). ``as_written``: with its diacritics unless
    the phrase has none (`tỉnh để` is no `tình đề`)."""
    lowered, folded = _all_forms_lexicon().words
    key = canonical(" ".join(phrase.lower().split()))
    return key in lowered or ((not as_written or key.isascii()) and fold(key) in folded)


@lru_cache(maxsize=1)
def dictionary_syllables() -> frozenset[str]:
    """The syllables of the shipped Vietnamese word list's words, in lower case (``ý``, ``kiến``)."""
    return frozenset(s for w in _all_forms_lexicon().words[0] for s in w.split())


def _in(words: tuple, tokens: list[Token]) -> bool:
    """Whether the words (lower, folded: the folded set is empty for a text with diacritics) hold the phrase."""
    if " ".join(t.lower for t in tokens) in words[0]:
        return True
    return bool(words[1]) and " ".join(t.folded for t in tokens) in words[1]  # (no folded join when empty)


def _get(table: tuple[dict, dict], tokens: list[Token]):
    lower = " ".join(t.lower for t in tokens)
    if lower in table[0]:
        return True, table[0][lower]
    if table[1]:
        folded = " ".join(t.folded for t in tokens)
        if folded in table[1]:
            return True, table[1][folded]
    return False, None


def _longest_in(tokens: list[Token], i: int, table: tuple, most: int) -> int:
    """How many tokens from ``i`` form the longest phrase of ``table`` (lower, folded: sets or dicts,
    read as :func:`_in` reads them; 0 if none). Most tokens open no phrase of a table: their first
    word tells at once, before any phrase is joined."""
    if i >= len(tokens) or not _opens_phrase(tokens[i], table):
        return 0
    return _longest(tokens, i, lambda t: _in(table, t), most)


def _longest_suffix_in(tokens: list[Token], table: tuple, most: int = 3) -> int:
    """As :func:`_longest_in`, for the phrases that end the tokens."""
    for n in range(min(most, len(tokens)), 0, -1):
        if _opens_phrase(tokens[-n], table) and _in(table, tokens[-n:]):
            return n
    return 0


def _opens_phrase(tok: Token, table: tuple) -> bool:
    """Whether a phrase of ``table`` begins with the word ``tok`` (as written, or folded when the
    table has folded forms)."""
    return tok.lower in _first_words(table[0]) or bool(table[1]) and tok.folded in _first_words(table[1])


_FIRST_WORDS: dict[int, tuple[Any, frozenset[str]]] = {}


def _first_words(phrases) -> frozenset[str]:
    """The first words of a lexicon's phrases, computed once per collection (by its identity: the
    lexicons live as long as the process, and the collection is kept with its words)."""
    found = _FIRST_WORDS.get(id(phrases))
    if found is None or found[0] is not phrases:
        found = _FIRST_WORDS[id(phrases)] = (phrases, frozenset(p.split(" ", 1)[0] for p in phrases))
    return found[1]


def _longest(tokens: list[Token], i: int, test, most: int) -> int:
    """How many tokens from ``i`` form the longest phrase that passes ``test`` (0 if none)."""
    for n in range(min(most, len(tokens) - i), 0, -1):
        if test(tokens[i:i + n]):
            return n
    return 0


def _number(raw: str) -> Decimal | None:
    """Read a written number: '.' groups thousands and ',' is the decimal mark, unless the
    English convention is unambiguous (two ',' groups, or ',' groups then '.')."""
    if _ENGLISH_GROUPS.fullmatch(raw):
        plain = raw.replace(",", "")
    elif _VIETNAMESE_GROUPS.fullmatch(raw):
        plain = raw.replace(".", "").replace(",", ".")
    else:
        plain = raw.replace(",", ".")
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class _Candidate:
    start: int
    end: int
    num_start: int
    value: Decimal
    status: str  # unit: a FIGURE; none: no unit yet; excluded: an age, a duration, an identifier
    unit: str | None = None
    qualifier: str | None = None
    of: Decimal | None = None
    multiplier: Decimal = Decimal(1)  # triệu, tỷ... written after the number

    @property
    def multiplied(self) -> bool:
        return self.multiplier != 1


def _counted_noun(tokens: list[Token], i: int, lex: _Lexicon) -> int:
    """How many tokens from ``i`` make the counted noun (0: none)."""
    if i >= len(tokens) or tokens[i].lower == "%":
        return 0
    n = _longest_in(tokens, i, lex.unit_compounds, 6)
    if not n and (_longest_in(tokens, i, lex.not_unit_start, 2) or
                  _longest_in(tokens, i, lex.excluded_units, 2)):
        return 0
    if not n and tokens[i].capital and not_a_vietnamese_name(tokens[i].text):
        return 0  # a model's name, not a counted noun: "iPhone 7 Plus", "5 Yamaha"
    if not n:
        head = _longest_in(tokens, i, lex.classifier_heads, 2)
        if head and i + head < len(tokens) and not _in(lex.not_unit_start, tokens[i + head:i + head + 1]):
            n = head + _word(tokens, i + head, lex)
        else:
            n = _word(tokens, i, lex)
    mod = _longest_in(tokens, i + n, lex.unit_modifiers, 3)
    return n + mod


def _is_word(tokens: list[Token], lex: _Lexicon) -> bool:
    """A multi-syllable dictionary word whose later syllables are no function words (the word
    list also holds phrases such as "người là", "tỉnh có")."""
    if len(tokens) < 2 or not _in(lex.words, tokens):
        return False
    if not tokens[0].capital and any(t.capital for t in tokens[1:]):
        return False  # "miền Bắc", "tỉnh Quảng Nam": a name begins
    return not any(_in(lex.not_unit_start, [t]) for t in tokens[1:])


def _word(tokens: list[Token], i: int, lex: _Lexicon) -> int:
    """Length of the dictionary word at ``i`` (1 when the dictionary holds no longer word)."""
    longest = _longest(tokens, i, lambda t: _is_word(t, lex), lex.max_syllables)
    return longest or 1


def _headline(token: Token, text: str) -> bool:
    word = text[token.start:token.end]
    return len(word) > 1 and word.isupper()


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos].rstrip(" \t\"“‘(")
    return not before or before[-1] in "\n.!?:;…-•"


def _analyse(m: regex.Match, text: str, folded: str, lex: _Lexicon) -> _Candidate | None:
    raw = m.group("num")
    value = _number(raw)
    if value is None:
        return None
    num_start, end = m.start(), m.end()
    cand = _Candidate(num_start, end, num_start, value, "none")
    if m.group("of"):
        cand.of = _number(m.group("of"))
    digits = _NOT_DIGIT.sub("", raw)
    if (raw[0] == "0" and len(digits) >= 4 and raw[1:2].isdigit()) or len(digits) > lex.max_digits:
        cand.status = "excluded"  # a phone number, a code, an account number
        return cand
    if _REFERENCE.match(folded, end) and _in(lex.reference_units, [Token(
            0, 0, text[end:end + 8].split()[0], folded[end:end + 8].split()[0])]):
        cand.status = "excluded"  # "khoản 6 Điều 7": a reference into a legal text
        return cand
    if lex.street_names.match(text, end):
        cand.status = "excluded"  # a house number: "43 Nguyễn Chí Thanh"
        return cand
    after = text[end:end + 2]
    if after[:1] == "/" or (after[:1] == "-" and after[1:2].isalpha()):
        cand.status = "excluded"  # glued to a code: 1438/QĐ-TTg, 57-NQ/TW
        return cand

    # Before the number: qualifiers (nearest wins), then what makes it an identifier, unless a
    # unit of measure follows: "cách nhà 2km", "cách thành phố Raqa 55km" are distances.
    # (whether a unit follows is read only where an exclusion would apply: most numbers have none)
    before = words_before(text, folded, num_start)
    n = _longest_suffix_in(before, lex.excluded_before)
    if n and not _longest_suffix_in(before, lex.quantity_before) and (
            before[-1].folded == "so" or not (
            n < len(before) and _is_word(before[-n - 1:-n + 1 if n > 1 else None], lex))) \
            and not _measure_follows(text, folded, end, lex):
        cand.status = "excluded"  # but "quan điểm 7 giải pháp": "điểm" ends a word there
        return cand
    qualifier_start = None
    rest = before
    while rest:
        n = _longest_suffix_in(rest, lex.qualifiers)
        if not n:
            break
        found, value_of = _get(lex.qualifiers, rest[-n:])
        if value_of == "approx" and n < len(rest) and _is_word(rest[-n - 1:], lex):
            break  # "nhiệt độ 36,2", "cửa hàng 5": the word ends a noun, it says no "about"
        if cand.qualifier is None:
            cand.qualifier = value_of
        qualifier_start = rest[-n].start
        rest = rest[:-n]
    if qualifier_start is not None and _NUMBER_BEFORE.search(text, max(0, qualifier_start - 12), qualifier_start):
        # "từ 1 đến 5 người", "1.210.000 lên tới 1.300.000": the word joins a range, no qualifier.
        cand.qualifier, qualifier_start = None, None
        rest = before
    if qualifier_start is None and before:
        prev = before[-1]
        word = text[prev.start:prev.end]
        if word[:1].isupper() and not _headline(prev, text) and not _measure_follows(text, folded, end, lex):
            following = words_after(text, folded, end, limit=1)
            named = following and text[following[0].start:following[0].start + 1].isupper()
            if named or not _sentence_initial(text, prev.start):
                cand.status = "excluded"  # "APEC 2017", "Bộ 3 Khoa học": part of a name
                return cand
    if qualifier_start is not None:
        cand.start = qualifier_start

    # After the number: a glued unit, a multiplier, a measure unit, an excluded unit, a noun.
    glued = _glued_unit(text, folded, end, lex)
    if glued:
        found, unit = _get(lex.measure_units, [token(text, folded, end, glued.end())])
        if not found:
            return None
        cand.unit, cand.status, cand.end = unit, "unit", glued.end()
        rate = _RATE.match(text, cand.end)
        if rate:
            cand.end = rate.end()
        if unit == "%":
            _percent_noun(cand, rest, text, folded, lex)
        return cand
    if after[:1].isalpha():
        cand.status = "excluded"  # glued letters: a code (QH14 is caught before), 8h30, 5G
        return cand
    tokens = words_after(text, folded, end)
    i = 0
    n = _longest_in(tokens, 0, lex.multipliers, 2)
    if n:
        cand.multiplier = Decimal(_get(lex.multipliers, tokens[:n])[1])
        cand.end, i = tokens[n - 1].end, n
    n = _longest_in(tokens, i, lex.measure_units, 3)
    if n:
        cand.unit, cand.status = _get(lex.measure_units, tokens[i:i + n])[1], "unit"
        cand.end = tokens[i + n - 1].end
        rate = _RATE.match(text, cand.end)
        if rate:
            cand.end = rate.end()
        if cand.unit == "%":
            _percent_noun(cand, rest, text, folded, lex)
        return cand
    if not cand.multiplied and _longest_in(tokens, i, lex.excluded_units, 2) \
            and not _longest_in(tokens, i, lex.unit_compounds, 6):  # "21 tháng lương"
        cand.status = "excluded"
        return cand
    n = _counted_noun(tokens, i, lex)
    if n and not i and _longest_in(tokens, 0, lex.kind_units, 2) and _longest_suffix_in(rest, lex.kind_nouns_before):
        cand.status = "excluded"  # "xe khách 50 chỗ": the kind of vehicle, not a count
        return cand
    if n:
        cand.unit = " ".join(t.lower for t in tokens[i:i + n])
        cand.status, cand.end = "unit", tokens[i + n - 1].end
    return cand


def _glued_unit(text: str, folded: str, end: int, lex: _Lexicon) -> regex.Match | None:
    """A unit glued to the number at ``end``; one capital letter is none (`4G`, `5G`: a generation)."""
    glued = lex.glued_units.match(folded, end)
    return None if glued and glued.end() - end == 1 and text[end].isupper() else glued


def _measure_follows(text: str, folded: str, end: int, lex: _Lexicon) -> bool:
    """Whether a unit of measure follows the number at ``end``, glued or not (`2km`, `64GB`, `5 kg`)."""
    glued = _glued_unit(text, folded, end, lex)
    if glued and _get(lex.measure_units, [token(text, folded, end, glued.end())])[0]:
        return True
    return bool(_longest_in(words_after(text, folded, end, limit=3), 0, lex.measure_units, 3))


def _percent_noun(cand: _Candidate, before: list[Token], text: str, folded: str, lex: _Lexicon) -> None:
    """``100% trẻ em``: the counted noun joins a percentage, unless the share is of something
    named after a verb such as ``chiếm``/``tăng`` (``chiếm 70% thành viên`` -> ``70%``)."""
    if before and _longest_suffix_in(before, lex.bare_percent_after):
        return
    if _RANGE_BEFORE.search(text, max(0, cand.num_start - 20), cand.num_start):
        return  # "từ 5% - 20% giá": the second end of a range of shares
    tokens = words_after(text, folded, cand.end)
    i = 1 if tokens and tokens[0].lower in ("số", "so") and len(tokens) > 1 else 0  # "100% số xã"
    n = _counted_noun(tokens, i, lex)
    if n and _longest_in(tokens, i, lex.share_nouns, 6):
        cand.end = tokens[i + n - 1].end


_REFERENCE = regex.compile(r"[ \t]+[^\W\d_]+[ \t]+\d")
_RANGE_BEFORE = regex.compile(r"\d\s*%?\s*(?:-|đến|tới|lên)\s*$", regex.REVERSE)


def _join(cands: list[_Candidate], folded: str, lex: _Lexicon) -> list[_Candidate]:
    """Numbers with no unit take it from the range they open, or from ``x trong y``."""
    out = []
    skip = set()
    for k, cand in enumerate(cands):
        if k in skip:
            continue
        nxt = cands[k + 1] if k + 1 < len(cands) else None
        prev = out[-1] if out else None
        if prev is not None and cand.qualifier == "up_to" and not folded[prev.end:cand.start].strip():
            cand.qualifier, cand.start = None, cand.num_start  # "từ 5 triệu đồng đến 10 triệu đồng"
        if cand.status == "none" and cand.multiplied and nxt is not None and nxt.multiplied \
                and nxt.multiplier < cand.multiplier and not folded[cand.end:nxt.start].strip():
            # "21 tỷ 300 triệu đồng": one amount written in two parts
            cand.value = cand.value * cand.multiplier + nxt.value * nxt.multiplier
            cand.multiplier, cand.end, cand.unit, cand.status = Decimal(1), nxt.end, nxt.unit, nxt.status
            if cand.status == "none":
                cand.status = "unit"
            skip.add(k + 1)
            out.append(cand)
            continue
        if cand.status == "none" and nxt is not None:
            between = folded[cand.end:nxt.num_start]
            if lex.of_words.fullmatch(between) and nxt.status == "unit" and cand.of is None:
                cand.end, cand.unit, cand.of, cand.status = nxt.end, nxt.unit, nxt.value, "unit"
                skip.add(k + 1)
            elif lex.range_join.fullmatch(folded[cand.end:nxt.start]) or \
                    lex.range_join.fullmatch(between):
                cand.status = nxt.status
                cand.unit = nxt.unit
                if not cand.multiplied:  # "từ 1 đến 1,5 tỷ đồng"
                    cand.multiplier = nxt.multiplier
        if cand.status == "none" and cand.multiplied:
            # "58 tỉ", "300 triệu": an amount with no unit written is money in đồng (guide, gold: 41 of 48)
            cand.status, cand.unit = "unit", "đồng"
        if cand.status == "unit":
            out.append(cand)
    return out


@stage("finder", requires="dates", assigns="figures")
def find_figures(ctx) -> list[Span]:
    """FIGURE spans on canonical offsets, each with ``{value, unit, qualifier, of}``; numbers inside
    the DATE finder's spans are dates."""
    lex = _lexicon(ctx.without_diacritics)
    text, folded = ctx.text, ctx.folded
    dates = sorted((s.start, s.end) for s in ctx.dates)
    cands = []
    d = 0
    for m in _FIGURE.finditer(folded):
        while d < len(dates) and dates[d][1] <= m.start():
            d += 1
        if d < len(dates) and dates[d][0] < m.end():
            continue  # a number inside a date
        cand = _analyse(m, text, folded, lex)
        if cand is not None:
            cands.append(cand)
    spans = []
    for cand in _join(cands, folded, lex):
        spans.append(Span(cand.start, cand.end, "FIGURE", {
            "value": _json_number(cand.value * cand.multiplier),
            "unit": cand.unit,
            "qualifier": cand.qualifier,
            "of": _json_number(cand.of) if cand.of is not None else None,
        }))
    return spans
