"""ORG: specific named organizations, found by rules over head nouns, with their full names.

An ORG starts at a head noun (``Sở``, ``UBND``, ``Hội``, ``Trường``...; ``data/orgs.yaml``) and
runs over the capitalised words of its name, the lower-case syllables inside them (``Sở Y tế``,
``Hội Cứu trợ trẻ em tàn tật Việt Nam``) and a locality that is part of the name (``UBND tỉnh
Bình Dương``, ``Sở LĐ-TB&XH TP.HCM``). It stops at a verb or preposition, at a title, at a person's
name, and right after a locality. Titles are never part of the span since a span starts at a head.
Generic and anaphoric mentions (``các Sở, ngành``, ``Hội`` alone) are dropped.

Bodies known by name (``Chính phủ``, ``Quốc hội``, ``UNICEF``) are found anywhere, and a name
found once in running text is found again in the all-capitals title and in lower-case repeats.

``norm.name`` expands the abbreviations listed in the data file and completes a local body
written without its province (``Sở Lao động - Thương binh và Xã hội``, ``UBND tỉnh``) with the
province the article is about, when the article makes it clear.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count as count_from

import regex

from .clean import canonical, fold, fold_query
from .models import Span
from .context import stage
from . import places
from .levels import level_forms, level_words
from .resources import load_data
from .tokens import FOLDED_SYLLABLE, ORG_WORD, FoldedPhrases, PhraseTrie, Token, TokenList, document_tokens, scan, starts_name, vietnamese_syllable
from .work import count

_MAX_LOWER_RUN = 6
_ASCII_LOWER_BYTES = b"abcdefghijklmnopqrstuvwxyz"
# Lower-case words that may tell the kind of body before its name (`Trường mầm non tư thục Sen Vàng`,
# `Ban quản lý dự án quận Hoàn Kiếm`, `Công ty cổ phần xây dựng Hòa Bình`).
_MAX_KIND_WORDS = 4


@lru_cache(maxsize=1)
def _data() -> dict:
    data = load_data("orgs.yaml")
    lower_ok = {fold_query(h) for h in data["heads_in_lower_case"]}
    heads = []
    for h in data["heads"]:
        words = h["words"]
        heads.append({
            "words": _words(words),
            "lower_ok": fold_query(words) in lower_ok,
            "case_sensitive": words.isupper() or words.endswith("."),
            "abbreviated": words.endswith("."),  # `P.`: written with its dot
            "text": words,
            "local": bool(h.get("local")),
            "needs_place": bool(h.get("needs_place")),
            "bare_ok": bool(h.get("bare_ok")),
            "numbered": bool(h.get("numbered")),
        })
    heads.sort(key=lambda h: -len(h["words"]))
    known = []
    for k in data["known"]:
        for form in [k["name"], *(k.get("also") or [])]:
            known.append((form, k["name"], bool(k.get("exact"))))
    return {
        "heads": heads,
        "not_after": {_words(k): [_words(w) for w in v] for k, v in data["not_after_head"].items()},
        "not_after_folded": {fold_query(k): _by_first_word(_words(w) for w in v) for k, v in data["not_after_head"].items()},
        "generic": {fold_query(g) for g in data["generic_names"]},
        "stop": [_words(w) for w in data["stop_words"]],
        "titles": sorted((_words(t) for t in data["titles"]), key=len, reverse=True),
        "family": [_words(f) for f in data["family_names"]],
        "named_after": [_words(n) for n in data["named_after"]],
        "stop_index": _by_first_word(_words(w) for w in data["stop_words"]),
        "not_stop_index": _by_first_word(_words(w) for w in data["not_stop_words"]),
        "title_index": _by_first_word(_words(t) for t in data["titles"]),
        "family_index": _by_first_word(_words(f) for f in data["family_names"]),
        "named_after_index": _by_first_word(_words(n) for n in data["named_after"]),
        "person_words": _first_words(_words(w) for w in data["person_words"]),
        "compound_before_first": _first_words(_words(w) for w in data["compound_before"]),
        "not_named_by_place": {fold_query(h) for h in data["not_named_by_place_alone"]},
        "head_index": _heads_by_first_word(heads),
        # first words (lower case) of the heads that may be written in lower case (`trường`)
        "lower_case_openers": frozenset(w for h in heads if h["lower_ok"] for w in h["words"][0]),
        "known": known,
        "abbreviations": data["abbreviations"],
        "capitalised_only": {k["name"] for k in data["known"] if k.get("capitalised")},
        "plural_before": {fold_query(w) for w in data["plural_before"]},
        "place_of_office": frozenset(canonical(w).lower() for w in data["place_of_office_words"]),
        "body_of_place": [fold_query(w).split() for w in data["body_of_place_nouns"]],
        "joining": [_words(w)[0] for w in data["joining_words"]],
        "cities": set(data["cities"]),
    }


@lru_cache(maxsize=1)
def unnamed_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """The guide's words for what is no name, folded: generic heads (`Ban Thường vụ`, `Sở`), plural
    markers (`các`), and the stop words a name never runs on into (`tổ chức`, `tại`), folded and, last,
    lower-case with their diacritics (folded, `Nam` would be the stop word `năm`). The trained
    model's spans are held to them too (extractor/ner_model.py), each of them: built once."""
    data = _data()
    return (frozenset(data["generic"]), frozenset(data["plural_before"]),
            frozenset(" ".join(f for _, f in words) for words in data["stop"]),
            frozenset(" ".join(w for w, _ in words) for words in data["stop"]))


def place_of_office_words() -> frozenset[str]:
    """Stop words after which a name goes on with the place of an office (`Đại sứ quán Việt Nam tại
    Qatar`), lower case with their diacritics (orgs.yaml ``place_of_office_words``)."""
    return _data()["place_of_office"]


def opens_with_head(text: str) -> bool:
    """Whether a name begins with a head noun, or a noun that makes a body of a place (orgs.yaml
    ``body_of_place_nouns``), and goes on after it, in any case (`công an phường Thịnh Liệt`, `cục
    Hàng không dân dụng Australia`, `đội tuyển Việt Nam`; not `cơ quan Trung ương Hội`)."""
    words = fold_query(text).split()
    return any(len(words) > len(opener) and words[:len(opener)] == opener for opener in _name_openers())


def opens_as_another_word(text: str) -> bool:
    """Whether a name begins with a head noun followed by what makes it no body (orgs.yaml
    ``not_after_head``: `Hội nghị`, `Hội báo Xuân` a press fair, `Bộ luật`, `Trung tâm Hội nghị` a venue):
    the rules' own test, for the names the model proposes. The longest head is read first, as the rules
    read it (`Hội đồng`, `Bộ đội Biên phòng` are heads of their own); a single word is compared in any
    case but capitalised, where the writer made it part of a name (`đoàn Thể thao Việt Nam`)."""
    words = fold_query(text).split()
    head = next((h for h in _heads_folded() if words[:len(h)] == h), None)
    if head is None or len(words) == len(head):
        return False
    after = _not_after_head_folded().get(" ".join(head), ())
    # one capitalised word after the head is the writer's name (`đoàn Thể thao Việt Nam`, not `đoàn thể`)
    capitalised = text.split()[len(head)][:1].isupper() and not text.isupper()
    return any(words[len(head):len(head) + len(w)] == w and (len(w) > 1 or not capitalised) for w in after)


@lru_cache(maxsize=1)
def _heads_folded() -> tuple[list[str], ...]:
    """The heads' words, folded, longest first."""
    heads = {fold_query(h["words"]) for h in load_data("orgs.yaml")["heads"]}
    return tuple(h.split() for h in sorted(heads, key=lambda h: -len(h.split())))


@lru_cache(maxsize=1)
def _not_after_head_folded() -> dict[str, list[list[str]]]:
    data = load_data("orgs.yaml")["not_after_head"]
    return {fold_query(head): [fold_query(w).split() for w in after] for head, after in data.items()}


@lru_cache(maxsize=1)
def _name_openers() -> tuple[list[str], ...]:
    """The folded words of the heads matched in any case and of the nouns that make a body of a place
    (:func:`opens_with_head`): built once, not at each name asked about."""
    data = _data()
    heads = [[folded for _, folded in h["words"]] for h in data["heads"] if not h["case_sensitive"]]
    return tuple(heads + data["body_of_place"])


@lru_cache(maxsize=1)
def name_part_abbreviations() -> frozenset[str]:
    """The abbreviations that stand for words inside names (`CTXH`, `LĐ-TB&XH`, `BHXH`: orgs.yaml
    ``abbreviations``): alone, one names a field or a kind of body, not a body (the gold tags 9 of
    some 1,100 bare occurrences); and those of common nouns (``common_noun_abbreviations``: `NK`,
    `BST`, `DN`), which name no body anywhere."""
    data = load_data("orgs.yaml")
    return frozenset(data["abbreviations"]) | frozenset(data["common_noun_abbreviations"])


def _heads_by_first_word(heads: list[dict]) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for head in heads:
        for key in {head["words"][0][0], head["words"][0][1]}:
            if head not in index.setdefault(key, []):
                index[key].append(head)
    return index


def _tokens(ctx, start: int, end: int) -> list[Token]:
    """The words of ``[start, end)``, codes such as ``LĐ-TB&XH`` and ``TP.HCM`` whole (:data:`ORG_WORD`)."""
    return scan(ctx.text, ctx.folded, ORG_WORD, start, end)


def _words(phrase: str) -> tuple[tuple[str, str], ...]:
    """A data phrase as tokens (lower, folded) for :meth:`Token.same`."""
    return tuple((w.lower(), fold(w)) for w in ORG_WORD.findall(canonical(phrase)))


def _starts_with(toks: list[Token], i: int, words) -> bool:
    if i + len(words) > len(toks):
        return False
    for k, word in enumerate(words):
        if not toks[i + k].same(word):
            return False
    return True


def _first_words(phrases) -> tuple[frozenset[str], frozenset[str]]:
    """The first words of ``phrases``, lower and folded, as sets for :func:`_same_as_any`."""
    phrases = list(phrases)
    return frozenset(p[0][0] for p in phrases), frozenset(p[0][1] for p in phrases)


def _same_as_any(tok: Token, first_words: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether ``tok`` is one of the words (as :meth:`Token.same` compares them)."""
    return tok.lower in first_words[0] or (tok.text.isascii() and tok.folded in first_words[1])


def _gap(text: str, toks: list[Token], i: int) -> str:
    """Text between token i-1 and token i."""
    return text[toks[i - 1].end:toks[i].start]


def _by_first_word(phrases) -> dict[str, list]:
    """Phrases indexed by their first word, both as written (lower) and folded: a token only
    looks at the few phrases that can start with it."""
    index: dict[str, list] = {}
    for phrase in phrases:
        for key in {phrase[0][0], phrase[0][1]}:
            index.setdefault(key, []).append(phrase)
    return index


def _any_at(toks: list[Token], i: int, index: dict[str, list]) -> bool:
    tok = toks[i]
    for words in index.get(tok.lower, ()):
        if _starts_with(toks, i, words):
            return True
    if tok.text.isascii():
        for words in index.get(tok.folded, ()):
            if _starts_with(toks, i, words):
                return True
    return False


def _is_stop(toks: list[Token], i: int) -> bool:
    data = _data()
    return _any_at(toks, i, data["stop_index"]) and not _any_at(toks, i, data["not_stop_index"])


def _title_at(toks: list[Token], i: int) -> bool:
    return toks[i].starts_name and _any_at(toks, i, _data()["title_index"])


def _person_at(toks: list[Token], i: int) -> bool:
    """A family name followed by capitalised given names (and not a name an ORG carries)."""
    d = _data()
    if not toks[i].starts_name or toks[i].acronym or not _any_at(toks, i, d["family_index"]):
        return False
    if _any_at(toks, i, d["named_after_index"]):
        return False
    return i + 1 < len(toks) and toks[i + 1].starts_name and not toks[i + 1].acronym


def _title_or_person_at(toks: list[Token], i: int) -> bool:
    """A title or a person's name opens at token i: the words of an ORG name stop before either."""
    return _title_at(toks, i) or _person_at(toks, i)


def _level_word_at(toks: list[Token], i: int, plain: bool = True) -> bool:
    return not toks[i].starts_name and _locality_word_at(toks, i, plain) is not None


def _locality_word_at(toks: list[Token], i: int, plain: bool = True):
    """The first of :func:`_locality_words` (in their order) that opens at token i, or None. In
    text typed with diacritics (``plain`` False) a word must be written with the level word's own
    (`Hải quan` holds no `quận`, `Hải quan` is no `Hải` of a district)."""
    index = _locality_index()
    tok = toks[i]
    candidates = index.get(tok.lower, [])
    if tok.text.isascii() and tok.folded != tok.lower:
        candidates = sorted(candidates + index.get(tok.folded, []))
    found = next((w for _, w in candidates if _starts_with(toks, i, w)
                  and (plain or all(toks[i + n].lower == word[0] for n, word in enumerate(w)))), None)
    if found is not None and len(found) == 1 and not tok.starts_name and _opens_word_at(toks, i):
        return None  # `xã hội` (society), `khu vực` (a region): a word the level word opens
    return found


def _opens_word_at(toks: list[Token], i: int) -> bool:
    """Whether the syllable at token i and the next, in lower case and one space apart, are a word of
    the shipped word list (with their diacritics where the text has them)."""
    from .figures import is_dictionary_word

    return i + 1 < len(toks) and not toks[i + 1].starts_name and toks[i].end + 1 == toks[i + 1].start \
        and is_dictionary_word(f"{toks[i].text} {toks[i + 1].text}", as_written=True)


@lru_cache(maxsize=1)
def _locality_index() -> dict[str, list]:
    """:func:`_locality_words` by their first word (lower and folded), each as (its rank, words)."""
    index: dict[str, list] = {}
    for rank, words in enumerate(_locality_words()):
        for key in {words[0][0], words[0][1]}:
            index.setdefault(key, []).append((rank, words))
    return index


@lru_cache(maxsize=1)
def _locality_words():
    return [_words(w) for w in level_forms()]


@lru_cache(maxsize=1)
def _government_tiers() -> frozenset[str]:
    """`tỉnh`, `huyện`, `xã` folded: the tiers a `cấp` names."""
    return frozenset(fold(w) for w in level_forms("government_tier"))


def _mostly_capitals(text: str) -> bool:
    """More than 12 letters, more than 70% of them capitals (a title in capitals)."""
    # Most lines are mostly lower case: an ASCII lower-case letter is no capital, so a line with
    # 3 x (its other characters) <= 7 x (those letters) cannot be 70% capitals. They are counted as
    # the bytes a-z of its UTF-8 (no byte of a longer sequence is ASCII): two passes in C, where
    # counting each letter was 26, and reading every letter is a loop of its own.
    encoded = text.encode("utf-8", "surrogatepass")
    lower = len(encoded) - len(encoded.translate(None, _ASCII_LOWER_BYTES))
    if 3 * (len(text) - lower) <= 7 * lower:
        return False
    letters = list(filter(str.isalpha, text))
    return len(letters) > 12 and sum(map(str.isupper, letters)) > 0.7 * len(letters)


# ---------------------------------------------------------------------------------------------


@stage("finder", requires=("places", "dates", "document.province"), assigns="orgs")
def find_orgs(ctx) -> list[Span]:
    """ORG spans on the canonical text, each with ``norm.name`` (a local body written without its
    province, `UBND tỉnh`, is completed with the article's province)."""
    return _find_orgs(ctx)


_CAPITALISED_RUN = regex.compile(r"\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*)*")


def a_persons_name(ctx, start: int, end: int) -> bool:
    """Whether an ORG span is a name the article gives a person (`danh hài Trường Giang`, `em gái
    Kylie`, `nghi phạm Đoàn Thị Hoa`: places.person_names), alone or, a name of two words at least,
    running on into lower-case words (`Trường Giang diễn`), so no body wherever it is written; not after a word that stands before bodies
    too (`cầu thủ Swansea`), and never a province or country (places.is_person_name)."""
    run = _CAPITALISED_RUN.match(ctx.text, start, end)
    if run is None or run.end() < end and (any(c.isupper() for c in ctx.text[run.end():end])
                                           or " " not in ctx.text[start:run.end()].strip()):
        return False  # one name running on: of two words at least (`ông Chính` makes no `Chính phủ` his)
    return places.is_person_name(ctx, start, run.end(), for_bodies=True)


def no_body_here(ctx, start: int, end: int) -> bool:
    """Whether an ORG span names no body: a person's name (:func:`a_persons_name`), words inside a
    work's title (`đêm nhạc "Quỹ nhi đồng của Thục"`: places.inside_work_title) or a product's name
    (:func:`is_product_name`)."""
    return a_persons_name(ctx, start, end) or places.inside_work_title(ctx, start, end) \
        or is_product_name(ctx, start, end) or names_a_kind_by_country(ctx.text[start:end])


@lru_cache(maxsize=1)
def _kind_before_country() -> regex.Pattern:
    data = load_data("orgs.yaml")
    kinds = _alternation(_as_typed(data["brand_kind_words"] + data["press_words"]))
    return regex.compile(r"(?:" + kinds + r")(?:[ \t]+(?:nước|nuoc))?[ \t]+(\p{Lu}.*)")


def names_a_kind_by_country(name: str) -> bool:
    """Whether an ORG's words are a word for companies or the press and a country alone (`công ty Nhật
    Bản`, `hãng xe nước Đức`, `Báo chí Pháp`): the companies or papers of that country, no one body."""
    m = _kind_before_country().fullmatch(name.strip())
    return bool(m) and any(u.level == "country" for u in places.gazetteer().units.get(places.key_of(m.group(1)), ()))


# A product's or model's name: capitalised words, joined parts and numbers (`Galaxy Note 8`, `Zalo Pay`,
# `SH300i`, `Strarex-VK`).
_PRODUCT_WORD = r"\p{Lu}[\p{L}\p{M}\d]*(?:[-/][\p{L}\d]+)*"
_PRODUCT_NAME = r"(" + _PRODUCT_WORD + r"(?:[ \t]+(?:" + _PRODUCT_WORD + r"|\d[\p{L}\d]*))*)(?![\p{L}\p{M}\d])"


@lru_cache(maxsize=1)
def _product_words() -> tuple[FoldedPhrases, frozenset[str]]:
    """The words for a model or version (orgs.yaml product_nouns) and for goods (goods_words), found on
    the folded text with `mới` after them or not; and the folded goods words."""
    data = load_data("orgs.yaml")
    goods = frozenset(places.key_of(w) for w in data["goods_words"])
    nouns = {places.key_of(w) for w in data["product_nouns"]} | goods
    return FoldedPhrases(nouns, then=r"(?:\s+moi)?[ \t]+(?=\S)"), goods


_PRODUCT_NAME_AT = regex.compile(_PRODUCT_NAME)
_OF = regex.compile(r"[ \t]+(?:của|cua)[ \t]+(\p{L})")


def product_names(ctx) -> tuple[frozenset[str], tuple[tuple[int, int], ...]]:
    """The names this article gives a product, and where it writes them so: after a word for a model or
    version (`thuê bao IMS`), but a maker's version of a thing (`Phiên bản Renault của chiếc crossover`:
    Renault is the maker); after a word for goods when its maker follows (`xe ga mới NVX của Yamaha`).
    One sense per article, as for persons' names: written alone elsewhere the name is the product, no
    body (`Bình xăng của NVX`). Not a name the article also writes after a word for a company (`hãng
    Mozilla`), nor a place."""
    key = "orgs.product_names"
    if key not in ctx.memo:
        words, goods = _product_words()
        names, where = set(), []
        for m in words.finditer(ctx):
            name = _PRODUCT_NAME_AT.match(ctx.text, m.end())
            if name is None:
                continue
            of = _OF.match(ctx.text, name.end())
            noun = regex.sub(r"\s+moi$", "", " ".join(ctx.folded[m.start():m.end()].split()))
            if (of is not None and of.group(1).isupper()) if noun in goods else (of is None or of.group(1).isupper()):
                where.append(name.span(1))
                names.add(" ".join(name.group(1).split()))
        names = {n for n in names if not places.gazetteer().units.get(places.key_of(n))}
        ctx.memo[key] = (frozenset(names - _brands_named(ctx)) if names else frozenset(), tuple(where))
    return ctx.memo[key]


def is_product_name(ctx, start: int, end: int) -> bool:
    """Whether an ORG span is a product's name in this article (:func:`product_names`) or lies inside
    one written after its word (`phiên bản Samsung Galaxy J`: a brand inside a model's name is no ORG)."""
    names, where = product_names(ctx)
    if not where:
        return False
    return " ".join(ctx.text[start:end].split()) in names or any(a <= start and end <= b for a, b in where)


def org_norm(ctx, start: int, end: int) -> dict:
    """``norm`` for an ORG span found by other means (the trained model)."""
    text = ctx.text
    toks = _tokens(ctx, start, end)
    head = _head_at(toks, 0, text) if toks else None
    places = [p for p in ctx.places or () if start <= p.start and p.end <= end]
    locality = "place" if places else None
    if toks and any(_starts_with(toks, len(toks) - len(w), w) for w in _locality_words() if len(toks) >= len(w)):
        locality = locality or "bare"
    info = {"head": head["text"] if head else None, "local": bool(head and head["local"]), "locality": locality}
    return {"name": _norm_name(ctx, Span(start, end, "ORG", {}, scratch=info))}


def _find_orgs(ctx) -> list[Span]:
    places = ctx.places
    place_at = {p.start: p for p in places}
    date_starts = frozenset(d.start for d in ctx.dates)
    text = ctx.text
    found: list[tuple[int, int, dict]] = []
    every = document_tokens(ctx, ORG_WORD)
    # Only a token that is the first word of a head noun can open an ORG: the walk starts there,
    # and at a token in lower case only when a head may be written so (_head_opens_name).
    openers = _head_openers(text, every)
    lines = 0
    for s_start, s_end in ctx.sentences:
        for line_start, line_end in _lines(text, s_start, s_end):
            lines += 1
            lo, hi = every.bounds(line_start, line_end)
            here = openers[bisect.bisect_left(openers, lo):bisect.bisect_left(openers, hi)]
            if not here or _mostly_capitals(text[line_start:line_end]):
                continue  # no head noun; or an all-capitals title: only known and repeated names (below)
            toks = every.between(lo, hi)
            next_free = 0
            for k in here:
                i = k - toks.base
                if i < next_free:
                    continue  # inside the ORG found last
                hit = _org_at(ctx, toks, i, place_at, date_starts)
                if hit:
                    found.append(hit)
                    next_free = hit[3]
    count("orgs.lines", lines)
    count("orgs.head_walks", len(openers))
    spans = [Span(s, e, "ORG", {}, scratch=info) for s, e, info, _ in found]
    spans = _add_list_members(ctx, spans, places)
    spans = _add_bracketed(ctx, spans)
    spans = _add_known(ctx, spans)
    spans = _add_repeats(ctx, spans)
    spans = _add_bare_brands(ctx, spans)
    spans = _add_listed_brands(ctx, spans)
    spans = _add_sites(ctx, spans)
    spans = _add_age_group_teams(ctx, spans, place_at)
    spans = _add_closing_credit(ctx, spans)
    spans = [sp for sp in spans if not no_body_here(ctx, sp.start, sp.end)]
    ctx.memo["orgs.spans"] = spans  # their names are looked for again in other case (_occurrences)
    for span in spans:
        span.norm = {"name": _norm_name(ctx, span)}
    return sorted(spans, key=lambda s: s.start)


def _head_openers(text: str, every: TokenList) -> list[int]:
    """Indexes of the tokens where an ORG may open: the first word of a head noun, capitalised
    (or a digit) or one of the heads written in lower case."""
    data = _data()
    head_index, lower_case = data["head_index"], data["lower_case_openers"]
    lowered = list(map(str.lower, every.words))
    starts = every.starts
    return [k for k in compress(count_from(), map(head_index.__contains__, lowered))
            if lowered[k] in lower_case or starts_name(text[starts[k]])]


def _add_list_members(ctx, spans: list[Span], places: list[Span]) -> list[Span]:
    """Bodies listed after one that shares their head noun: `bệnh viện huyện Phú Ninh, Quế Sơn và
    Nông Sơn`, `các Sở LĐ-TB&XH Hà Tĩnh, Thanh Hóa`: each place is an ORG named with the head
    (guide, settled cases)."""
    out = list(spans)
    place_at = {p.start: p for p in places}
    ending_at: dict[int, list[Span]] = {}  # places by their end, in the order of `places`
    for p in places:
        ending_at.setdefault(p.end, []).append(p)
    for span in spans:
        if span.scratch.get("locality") != "place":
            continue
        own = [p for p in ending_at.get(span.end, ()) if span.start <= p.start]
        if not own or own[0].scratch.get("level") is None:
            continue  # (members share a unit's level: a body named after a venue or a word the
            # gazetteer reads as a place, `Công ty tư vấn tâm lý Hồn Việt, TP.HCM`, has its address after it)
        stem = ctx.text[span.start:own[0].start].rstrip()
        level = _list_level().match(ctx.text[own[0].start:own[0].end])
        pos = span.end
        while True:
            m = re.match(r"\s*(?:,|và|,\s*và)\s*", ctx.text[pos:pos + 8])
            if not m or (pos + m.end()) not in place_at:
                break
            member = place_at[pos + m.end()]
            if member.norm.get("province") is None:
                break
            if _address_step(own[0], member):
                break  # `Công an quận Bình Tân, TP.HCM`: the city is where the district is, not a second body
            written = ctx.text[member.start:member.end]
            place_words = written if level is None or written.lower().startswith(level.group(1).lower()) \
                else f"{level.group(1)} {written}"
            out.append(Span(member.start, member.end, "ORG", {},
                            scratch={**span.scratch, "locality": "place", "listed_as": f"{stem} {place_words}"}))
            pos = member.end
    return out


def _address_step(before: Span, after: Span) -> bool:
    """Whether `after` is a unit of another level than `before` (its province after a district, a
    district after a ward): the next step of an address, where a list of bodies names units of one
    level. Places the gazetteer did not level (venues) never decide."""
    levels = before.scratch.get("level"), after.scratch.get("level")
    return None not in levels and levels[0] != levels[1]


@lru_cache(maxsize=1)
def _list_level() -> re.Pattern:
    """The level word a listed place opens with (`huyện` of `huyện Phú Ninh`), in any case."""
    return re.compile(r"(?i)(" + "|".join(map(re.escape, level_forms())) + r")\s")


_BRACKETED = regex.compile(r"\((\p{Lu}[\p{Lu}\d&]{1,9})\)")
# A short name in brackets: one word in Latin letters, capitalised, no Vietnamese syllable (`Viwasupco`,
# `Eurocham`, `VietinBank`).
_BRACKETED_SHORT_NAME = regex.compile(r"\(([A-Z][A-Za-z]{4,19})\)")


def _bracketed(pattern: regex.Pattern, text: str):
    """(start, word's start, word's end, word) of each match of ``pattern`` (a bracketed word, its
    one group) with the spaces or tabs before it, its start that of those spaces: the matches of the
    pattern with ``[ \\t]*`` before it, found from the brackets (a pattern that opens with optional
    spaces is tried at every character)."""
    free = 0
    for m in pattern.finditer(text):
        start = m.start()
        while start > free and text[start - 1] in " \t":
            start -= 1
        yield start, m.start(1), m.end(1), m.group(1)
        free = m.end()


def _is_joining(tok: Token) -> bool:
    """`và`, `về`: words that may join the parts of a name."""
    return any(tok.same(word) for word in _data()["joining"])


def _add_bracketed(ctx, spans: list[Span]) -> list[Span]:
    """`Tổ chức Lao động Quốc tế (ILO)`, `Nhóm đặc trách về khai khoáng (MTF)`: a bracketed
    acronym after a name is an ORG of its own (guide, settled cases), and it marks the end of a
    name that may be written all in lower case after its head. So is a short name in Latin letters
    right after a body's name (`Công ty cổ phần nước sạch Vinaconex (Viwasupco)`, `Hiệp hội DN châu
    Âu (Eurocham)`), unless it is a place. Later bare uses of either are the same body."""
    text = ctx.text
    index = _SpanIndex(spans)
    acronyms: dict[str, Span] = {}
    place_starts = {p.start for p in ctx.places}
    short_names = [b for b in _bracketed(_BRACKETED_SHORT_NAME, text) if b[1] not in place_starts
                   and not vietnamese_syllable(b[3].lower())]  # (`(Thanh)`: a person)
    found = [(*b, False) for b in _bracketed(_BRACKETED, text)] + [(*b, True) for b in short_names]
    for start, a_start, a_end, acronym, short_name in sorted(found, key=lambda b: b[0]):
        named = next((o for o in index.overlapping(start - 1, start) if o.end == start), None)
        if named is None and short_name:
            continue  # a word in brackets is a short name only after a body's name (`(Huế)`, `(Hùng)` elsewhere)
        if named is None:
            named = _lower_case_name_before(ctx, start)
            inside = index.overlapping(named.start, named.end) if named is not None else []
            if named is not None and all(named.start <= o.start and o.end <= named.end for o in inside):
                # the bracket shows where the name ends: it replaces the shorter spans inside it
                # (`Nhóm Bạn` in `Nhóm Bạn về người khuyết tật (GOFD)`)
                for o in inside:
                    index.remove(o)
                index.add(named)
            else:
                named = None
        if named is None:
            continue
        if index.free(a_start, a_end):
            index.add(Span(a_start, a_end, "ORG", {}, scratch={"acronym_of": named}))
            acronyms.setdefault(acronym, named)
    written_at = _acronyms_written(ctx, acronyms)
    for acronym, named in acronyms.items():
        for start in written_at.get(acronym, ()):
            end = start + len(acronym)
            if index.free(start, end):
                index.add(Span(start, end, "ORG", {}, scratch={"acronym_of": named}))
    return index.spans


_WORD_OR_DOT = re.compile(r"[\w.]")
_WORD = re.compile(r"\w")


def _acronyms_written(ctx, acronyms) -> dict[str, list[int]]:
    """Where each acronym is written as a word of its own (no word character or dot before it, no
    word character after it), by acronym, left to right: one pass over the tokens that can open
    one (a regex per acronym was one pass over the text each)."""
    found: dict[str, list[int]] = {}
    if not acronyms:
        return found
    text = ctx.text
    by_opening: dict[str, list[str]] = {}
    longest = max(map(len, acronyms))
    for acronym in acronyms:
        opening = FOLDED_SYLLABLE.match(fold(acronym))
        if opening is None:  # not a Latin letter or digit first: looked for on its own
            found[acronym] = _written_alone(text, acronym)
        else:
            by_opening.setdefault(opening.group(0), []).append(acronym)
    toks = document_tokens(ctx, FOLDED_SYLLABLE, on_folded=True)
    for k in compress(count_from(), map(by_opening.__contains__, toks.words)):
        start = toks.starts[k]
        if start > 0 and _WORD_OR_DOT.match(text, start - 1):
            continue
        for size in range(len(toks.words[k]), longest + 1):
            acronym = text[start:start + size]
            if acronym in acronyms and not _WORD.match(text, start + size):
                found.setdefault(acronym, []).append(start)
    return found


def _written_alone(text: str, acronym: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<![\w.])" + re.escape(acronym) + r"(?![\w])", text)]


def _lower_case_name_before(ctx, end: int) -> Span | None:
    """A capitalised head noun and the words up to ``end`` in the same clause (no verb or
    preposition but `về`/`và`), as an ORG span."""
    text = ctx.text
    line_start = text.rfind("\n", 0, end) + 1
    toks = _tokens(ctx, max(line_start, end - 120), end)
    for i in range(len(toks) - 1, -1, -1):
        if i < len(toks) - 1 and re.search(r"[^\s\-]", _gap(text, toks, i + 1)):
            return None  # punctuation: the clause ends here
        head = _head_at(toks, i, text) if toks[i].starts_name else None
        if head is not None and i < len(toks) - 1:
            if any(_is_stop(toks, k) and not _is_joining(toks[k]) for k in range(i + len(head["words"]), len(toks))):
                return None
            if fold_query(text[toks[i].start:end]) in _data()["generic"]:
                return None
            info = {"head": head["text"], "local": head["local"], "locality": None}
            return Span(toks[i].start, toks[-1].end, "ORG", {}, scratch=info)
        if _is_stop(toks, i) and not _is_joining(toks[i]):
            return None
    return None


def _lines(text: str, start: int, end: int):
    """(start, end) of each line of ``text[start:end]``."""
    pos = start
    while (newline := text.find("\n", pos, end)) >= 0:
        yield pos, newline
        pos = newline + 1
    yield pos, end


def _head_at(toks: list[Token], i: int, text: str):
    # Heads by the token's first word, longest first (an ASCII token's folded form is its lower case,
    # so its folded key names the same heads).
    for head in _data()["head_index"].get(toks[i].lower, ()):
        words = head["words"]
        if not _starts_with(toks, i, words):
            continue
        if head["abbreviated"]:
            written = " ".join(t.text for t in toks[i:i + len(words)])
            if written + "." != head["text"] or not text.startswith(".", toks[i + len(words) - 1].end):
                continue
        elif head["case_sensitive"] and " ".join(t.text for t in toks[i:i + len(words)]) != head["text"]:
            continue
        if len(words) > 1 and not all(re.fullmatch(r"[ \t]+", _gap(text, toks, k)) for k in range(i + 1, i + len(words))):
            continue
        return head
    return None


def _org_at(ctx, toks: list[Token], i: int, place_at: dict, date_starts: frozenset = frozenset()):
    """(start, end, info, next token index) of an ORG opening at token i, or None."""
    head = _head_at(toks, i, ctx.text)
    if head is None or not _head_opens_name(ctx, toks, i, head):
        return None
    j = i + len(head["words"])
    walk = _NameWalk(ctx.text, toks, place_at, head, i, j, k=j, last=j - 1, plain=ctx.without_diacritics,
                     date_starts=date_starts)
    while walk.k < len(toks):
        walk.read_gap()
        for rule in _NAME_RULES:
            verdict = rule(walk)
            if verdict:
                break  # the first rule that applies decides
        if verdict == _NO_ORG:
            return None
        if verdict == _ENDS:
            break
    return _found_org(walk)


def _head_opens_name(ctx, toks: list[Token], i: int, head: dict) -> bool:
    """Whether the head noun at token i is one, not a syllable of another word or name."""
    d = _data()
    j = i + len(head["words"])
    # Titles and other words that share a head's first syllable: Bộ trưởng, Hội nghị, Viện trưởng.
    if j < len(toks) and _any_at(toks, j, d["not_after_folded"].get(fold_query(head["text"]), {})):
        return False
    # Heads are looked up folded; a word typed without diacritics matches one spelled with them
    # only in text typed so, and never in lower case (`dai bieu` is not `Đài`; `Yên Phong` holds
    # no `Phòng`).
    if toks[i].text.isascii() and not head["text"].split()[0].isascii() \
            and not (toks[i].starts_name and ctx.without_diacritics):
        return False
    # A head in lower case is a head only for a few nouns, and never as the end of a compound
    # word (`cơ sở`, `cán bộ`, `nhân viên`, `thị trường`).
    if not toks[i].starts_name:
        if not head["lower_ok"] or (toks[i].text.isascii() and not head["text"].isascii()):
            return False  # (in lower case, typed without diacritics, no head that has them anywhere)
        if i > 0 and _same_as_any(toks[i - 1], d["compound_before_first"]) \
                and (_opens_word_at(toks, i - 1) or not (i > 1 and _opens_word_at(toks, i - 2))):
            return False  # (not after the end of another word: `phát hiện phòng khám`, `hiện` closes
            # `phát hiện` and opens no `hiện phòng`; `một tạp chí` is still no name)
        return True
    return not _inside_place_name(ctx.text, toks, i) and not _inside_person_name(ctx.text, toks, i) \
        and not _opens_person_name(ctx.text, toks, i, head)


def _opens_person_name(text: str, toks: list[Token], i: int, head: dict) -> bool:
    """Whether a head that is also a family name (`Đoàn`) opens a person's name: two or three given
    names follow, the whole capitalised run, each a Vietnamese syllable, together no word of the
    dictionary (`Đoàn Thanh Niên`, `Đoàn Kiểm Tra`) nor a province, district or country (`Đoàn Việt
    Nam`, a delegation; a commune's name is a common pair of given names, `Minh Khai`):
    `Tiến sĩ Đoàn Ngọc Hải,`, `các ông Trần Quốc Toản, Đoàn Mạnh Giao và ...` (the gold of batches
    a-q has no body named so)."""
    from .figures import dictionary_syllables, is_dictionary_word

    if len(head["words"]) != 1 or not _any_at(toks, i, _data()["family_index"]):
        return False
    j = i + 1
    while j < len(toks) and j - i <= 4 and toks[j].capital and text[toks[j - 1].end:toks[j].start] == " ":
        j += 1
    given = [toks[k] for k in range(i + 1, j)]
    if not 2 <= len(given) <= 3 or any(t.acronym or t.lower not in dictionary_syllables() for t in given):
        return False
    name = " ".join(t.text for t in given)
    units = places.gazetteer().units.get(places.key_of(name), ())
    return not is_dictionary_word(name) and not any(u.level in _PLACE_NAME_LEVELS for u in units)


def _inside_person_name(text: str, toks: list[Token], i: int) -> bool:
    """Whether the capitalised head at token i is a syllable of a person's name: a given name after
    a family name that opens the name (`PGS Nguyễn Trường Sơn`, `ông Nguyễn Trường Trúc`), or a
    family name after a word for a person (`cháu Đoàn Thanh Hà`)."""
    d = _data()
    if i == 0 or text[toks[i - 1].end:toks[i].start] != " ":
        return False
    before = toks[i - 1]
    if before.starts_name and not before.acronym and _any_at(toks, i - 1, d["family_index"]):
        return i < 2 or not toks[i - 2].starts_name or toks[i - 2].acronym  # the family name opens it
    return not before.starts_name and _same_as_any(before, d["person_words"]) \
        and _any_at(toks, i, d["family_index"])


_PLACE_NAME_LEVELS = frozenset({"province", "district", "country"})


def _inside_place_name(text: str, toks: list[Token], i: int) -> bool:
    """Whether the capitalised head at token i is a syllable of a place's name the gazetteer knows:
    `Tây Ban Nha`, `Hải Phòng`, `Yên Phong` (the head inside it), `Hội An`, `Trường Sa` (a city or
    a district whose name opens with the head). Two to four capitalised words joined by spaces;
    a commune's name is too common a pair of syllables to rule out a body's name that opens so."""
    units = places.gazetteer().units
    for first in range(max(0, i - 2), i + 1):
        for last in range(max(i, first + 1), min(first + 4, len(toks))):
            words = toks[first:last + 1]
            if not all(t.starts_name for t in words) \
                    or any(not text[a.end:b.start].isspace() or len(text[a.end:b.start]) > 2 for a, b in zip(words, words[1:])):
                break
            found = units.get(places.key_of(" ".join(t.text for t in words)), ())
            if any(u.level in _PLACE_NAME_LEVELS or first < i for u in found):
                return True
    return False


def _found_org(walk: _NameWalk):
    """The ORG the walk read, unless it is a bare head, a generic name or a plural mention."""
    head, toks, i, text = walk.head, walk.toks, walk.i, walk.text
    if head["needs_place"] and walk.locality is None:
        return None
    if not walk.has_name and walk.locality is None and not head["bare_ok"]:
        return None
    start, end = toks[i].start, toks[walk.last].end
    if head["abbreviated"] and walk.last < walk.j:  # `P.` alone
        return None
    if fold_query(text[start:end]) in _data()["generic"]:
        return None
    # Generic: các Sở, những Hội, mọi Trường; but `các Sở LĐ-TB&XH Hà Tĩnh, Thanh Hóa` lists bodies.
    plural = i > 0 and toks[i - 1].folded in _data()["plural_before"] and not toks[i].acronym
    if plural and not (walk.locality == "place" and re.match(r"\s*,\s*\w", text[end:end + 4])):
        return None
    if _session_before().search(text, max(0, start - 30), start):
        return None  # `Kỳ họp thứ 4 HĐND thành phố Hà Nội`: the session's name
    info = {"head": head["text"], "local": head["local"], "locality": walk.locality}
    return start, end, info, walk.last + 1


@lru_cache(maxsize=1)
def _session_before() -> re.Pattern:
    """A session word and its ordinal just before a name (orgs.yaml ``session_words``)."""
    words = "|".join(map(re.escape, load_data("orgs.yaml")["session_words"]))
    return re.compile(rf"(?i)(?<!\w)(?:{words})\s+thứ\s+\w+\s*$")


# What a rule of the name walk decides about token k; a rule that returns None leaves it to the next.
_GO_ON = "go on"  # the name goes on at the (moved) token k
_ENDS = "ends"  # the name ends at token `last`
_NO_ORG = "no org"  # the head opens no ORG after all


@dataclass
class _NameWalk:
    """The words of a name after its head noun, read one token (k) at a time by the rules below."""

    text: str
    toks: list[Token]
    place_at: dict  # LOC spans by their start
    head: dict
    i: int  # the head's first token
    j: int  # the first token after the head
    k: int  # the token being read
    last: int  # the last token inside the name
    has_name: bool = False  # a capitalised word (or a city after the kind of body) names it
    locality: str | None = None  # "place" (a LOC span), "bare" (tỉnh, Thành phố...), "level" or None
    after_bracket: bool = False  # token k follows a bracketed acronym inside the name
    gap: str = ""  # text between token k-1 and token k (the bracket skipped blanked)
    plain: bool = False  # the text is typed without diacritics (words then match by their folded form)
    date_starts: frozenset = frozenset()  # where the DATE spans the dates finder read begin

    def read_gap(self) -> None:
        self.gap = _gap(self.text, self.toks, self.k)
        if self.after_bracket:
            self.gap = self.gap.replace(")", " ", 1)
            self.after_bracket = False

    def spaced(self, n: int) -> bool:
        """Only spaces between token n-1 and token n."""
        return not re.search(r"\S", _gap(self.text, self.toks, n))


def _punctuation_ends_name(walk: _NameWalk) -> str | None:
    """A line break, a comma, a colon, a quote, a bracket or a full stop ends a name (not the dot of `P.`)."""
    gap = walk.gap.strip()
    if "\n" in walk.gap or re.search(r"[,;:!?\"“”]", walk.gap) \
            or (gap and gap not in ("-", "&", "(", ")", ".", "–")):
        return _ENDS
    if gap == ")" or (gap == "." and not (walk.head["abbreviated"] and walk.k == walk.j)):
        return _ENDS
    return None


def _date_ends_name(walk: _NameWalk) -> str | None:
    """`Báo Giao thông chiều 8/2`, `Tỉnh ủy Yên Bái Sáng 8/2`, `Bộ Chính trị sáng 9/5`: a date, and
    the time of day that leads it, end a name (a year after a name is a DATE of its own: guide)."""
    return _ENDS if _date_at(walk, walk.k) else None


def _date_at(walk: _NameWalk, n: int) -> bool:
    """Whether a DATE, or the time of day before one, opens at token n."""
    toks = walk.toks
    return toks[n].start in walk.date_starts or (
        n + 1 < len(toks) and toks[n + 1].start in walk.date_starts and walk.spaced(n + 1) and toks[n].lower in _day_parts())


@lru_cache(maxsize=1)
def _day_parts() -> frozenset[str]:
    """`sáng`, `chiều`, `tối`...: the times of day the dates finder reads before a day (dates.yaml)."""
    return frozenset(load_data("dates.yaml")["relative"]["day_parts"])


def _acronym_in_brackets(walk: _NameWalk) -> str | None:
    """`Trường Đại học (ĐH) Lao động - Xã hội (CSII) TP.HCM`: an acronym in brackets inside a name."""
    if walk.gap.strip() != "(":
        return None
    toks, k = walk.toks, walk.k
    if toks[k].acronym and walk.text.startswith(")", toks[k].end) and k + 1 < len(toks) \
            and re.fullmatch(r"\)[ \t]+", _gap(walk.text, toks, k + 1)) \
            and (toks[k + 1].starts_name or walk.place_at.get(toks[k + 1].start) is not None) \
            and not _title_or_person_at(toks, k + 1):
        walk.k += 1
        walk.after_bracket = True
        return _GO_ON
    return _ENDS  # at the end of a name the acronym is an ORG of its own (_add_bracketed)


def _place_ends_name(walk: _NameWalk) -> str | None:
    """`UBND tỉnh Bình Dương`, `Sở LĐ-TB&XH TP.HCM`: a place (a LOC span) ends the name, inside it."""
    toks = walk.toks
    place = walk.place_at.get(toks[walk.k].start)
    if place is None or place.end > toks[-1].end:
        return None
    if not walk.has_name and fold_query(walk.head["text"]) in _data()["not_named_by_place"]:
        return _NO_ORG  # `Hội Hà Nội`, `Trường Việt Nam`: a place alone does not name these
    while walk.k < len(toks) and toks[walk.k].end <= place.end:
        walk.k += 1
    walk.last, walk.locality = walk.k - 1, "place"
    return _ENDS


def _plural_before_listed_places(walk: _NameWalk) -> str | None:
    """`UBND các tỉnh Nam Định, Ninh Bình, Thái Bình`: a head that only a place names, `các`, then a
    list of places names one body per place (guide: lists that share a head noun); the name reads on
    to the first place (the others are listed after it, :func:`_add_list_members`). `UBND các tỉnh`
    alone is generic; so are `bệnh viện các huyện Phú Ninh, Quế Sơn` (the gold keeps the places)."""
    toks, k = walk.toks, walk.k
    if walk.has_name or not walk.head["needs_place"] or toks[k].folded not in _data()["plural_before"] \
            or k + 1 >= len(toks):
        return None
    place = walk.place_at.get(toks[k + 1].start)
    listed = place and _LISTED_NEXT.match(walk.text, place.end)
    if not listed or walk.place_at.get(listed.end()) is None:
        return None
    walk.k += 1
    return _GO_ON


_LISTED_NEXT = re.compile(r"\s*(?:,|và|,\s*và)\s*")


def _bare_level_word(walk: _NameWalk) -> str | None:
    """`UBND tỉnh`, `Sở LĐ-TB&XH Thành phố`: a level word with no place after it ends the name."""
    toks, k = walk.toks, walk.k
    level_word = _locality_word_at(toks, k, walk.plain)
    if level_word is None:
        return None
    nxt = k + len(level_word)
    word_goes_on = nxt < len(toks) and walk.spaced(nxt) and not _is_stop(toks, nxt)
    if not word_goes_on:
        if walk.head["local"] or walk.has_name or toks[k].text[0].isupper():
            walk.last, walk.k, walk.locality = nxt - 1, nxt, "bare"
        return _ENDS
    if not toks[k].starts_name or toks[nxt].starts_name:
        return _ENDS  # `tỉnh Xyz` the gazetteer does not know: leave the place alone
    return None  # `Xã hội` in `Lao động - Thương binh và Xã hội`: an ordinary word of the name


def _level_of_government(walk: _NameWalk) -> str | None:
    """`Ủy ban nhân dân cấp tỉnh`: `cấp` and the level end the name."""
    toks, k = walk.toks, walk.k
    if toks[k].folded == "cap" and k + 1 < len(toks) and toks[k + 1].folded in _government_tiers():
        walk.last, walk.k, walk.locality = k + 1, k + 2, "level"
        return _ENDS
    return None


def _joining_word(walk: _NameWalk) -> str | None:
    """`Giáo dục và Đào tạo`, `Ủy ban Quốc gia về Người cao tuổi`: `và`/`về` inside a name."""
    toks, k = walk.toks, walk.k
    if not _is_joining(toks[k]):
        return None
    # inside the name when a capitalised word that opens no other ORG follows
    if k + 1 < len(toks) and toks[k + 1].starts_name and walk.has_name and _head_at(toks, k + 1, walk.text) is None \
            and not _title_or_person_at(toks, k + 1) and walk.spaced(k + 1):
        walk.k += 1
        return _GO_ON
    return _ENDS


def _lower_case_stop_word(walk: _NameWalk) -> str | None:
    """A verb or preposition in lower case (`tổ chức`, `tại`) ends the name."""
    return _ENDS if _is_stop(walk.toks, walk.k) and not walk.toks[walk.k].starts_name else None


def _capitalised_word(walk: _NameWalk) -> str | None:
    """`Hội NCT Việt Nam`: a capitalised word is in the name, unless a title, a person or another body."""
    toks, k = walk.toks, walk.k
    if not toks[k].starts_name:
        return None
    if _title_or_person_at(toks, k) or (not walk.has_name and toks[k].text[0].isdigit() and not walk.head["numbered"]):
        return _ENDS  # (a number names only the heads numbered so: `Quân khu 7`, not `Sở 3`)
    if walk.has_name and walk.gap.strip() in ("-", "–") and _head_at(toks, k, walk.text) is not None:
        return _ENDS  # `Quỹ Tấm lòng Việt - Đài Truyền hình Việt Nam`: two bodies
    walk.has_name, walk.last, walk.k = True, k, k + 1
    return _GO_ON


def _dash_before_lower_case(walk: _NameWalk) -> str | None:
    """`Sở Y tế - nơi ...`: a dash (or `&`) before a lower-case word is not inside a name."""
    return _ENDS if walk.gap.strip() in ("-", "&", "–") else None


def _kind_before_proper_name(walk: _NameWalk) -> str | None:
    """`Trường mầm non Sen Vàng`, `Hội luật gia TPHCM`: the kind of body in lower case, then its name."""
    if walk.has_name:
        return None
    toks, k = walk.toks, walk.k
    run = k  # a few lower-case words that describe the kind of body
    while run < len(toks) and run - k < _MAX_KIND_WORDS and not toks[run].starts_name and not _is_stop(toks, run) \
            and walk.spaced(run) and (run == k or walk.place_at.get(toks[run].start) is None):
        run += 1
    named = toks[run].starts_name or walk.place_at.get(toks[run].start) is not None if run < len(toks) else False
    if k < run < len(toks) and named and not toks[run].text[0].isdigit() and walk.spaced(run) \
            and toks[run].text not in _data()["abbreviations"] \
            and not _title_or_person_at(toks, run) and _head_at(toks, run, walk.text) is None \
            and (walk.place_at.get(toks[run].start) is None or toks[walk.i].starts_name):
        walk.k = run  # (`Hội luật gia TPHCM`: a capitalised head, its kind, then its city; a field's
        # abbreviation names no body: `cơ sở đào tạo ngành CTXH`)
        if walk.place_at.get(toks[run].start) is not None:
            walk.has_name = True
        return _GO_ON
    if k < run < len(toks) and toks[walk.i].starts_name and _gap(walk.text, toks, run).strip() in ("-", "–") \
            and toks[run].starts_name and _head_at(toks, run, walk.text) is not None:
        # `Cục công nghệ tin học - Ngân hàng Nhà nước`: a unit named in lower case, then the body it
        # belongs to (read next as a name of its own)
        walk.last, walk.has_name = run - 1, True
    return _ENDS


def _lower_case_run(walk: _NameWalk) -> int:
    """The token after the lower-case syllables from token k (no verb, no punctuation, up to a locality)."""
    toks, k = walk.toks, walk.k
    run = k
    while run < len(toks) and run - k < _MAX_LOWER_RUN and not toks[run].starts_name \
            and not _is_stop(toks, run) and walk.spaced(run) and not _date_at(walk, run) \
            and (run == k or (walk.place_at.get(toks[run].start) is None and not _level_word_at(toks, run, walk.plain))):
        run += 1
    return run


def _syllables_before_locality(walk: _NameWalk) -> str | None:
    """`Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An`: lower-case syllables up to a locality."""
    toks, k = walk.toks, walk.k
    run = _lower_case_run(walk)
    if k < run < len(toks) and (walk.place_at.get(toks[run].start) is not None or _level_word_at(toks, run, walk.plain)):
        walk.last, walk.k = run - 1, run  # the locality is read next
        return _GO_ON
    return None


def _lower_case_syllables(walk: _NameWalk) -> str | None:
    """`Hội Cứu trợ trẻ em tàn tật Việt Nam`: lower-case syllables inside a name that goes on after them."""
    toks, k = walk.toks, walk.k
    run = _lower_case_run(walk)
    if run == k:
        return _ENDS
    ends_name = run >= len(toks) or (toks[run].starts_name and _head_at(toks, run, walk.text) is None) \
        or walk.place_at.get(toks[run].start) is not None
    if run - k == 1 and _opens_word(walk, k):
        return _ENDS  # `Bệnh viện đa khoa tỉnh Hòa Bình xác nhận`, `Cục I thanh tra`: a verb's first syllable
    if run - k <= 1 or (ends_name and run < len(toks) and not _title_or_person_at(toks, run) and walk.spaced(run)):
        walk.last, walk.k = run - 1, run
        return _GO_ON
    if toks[k - 1].starts_name and not toks[k - 1].acronym and (k - 2 < walk.i or not toks[k - 2].starts_name or k - 2 < walk.j) \
            and (not toks[k - 1].text.isascii() or len(toks[k - 1].text) <= 4) and walk.spaced(k):
        # the second syllable of a word that opens a name component (`Y tế`, `và Đào tạo`),
        # not a verb after a proper name (`Sen Vàng mắng`); then the name ends. A syllable that
        # opens a word with the next one brings it (`Khoa Thận nhân tạo`, `báo Người lao động`).
        walk.last = k + 1 if _opens_word(walk, k) else k
    return _ENDS


def _opens_word(walk: _NameWalk, k: int) -> bool:
    """Whether the lower-case syllable at token k opens a word of the shipped word list with the
    next one (`xác nhận`, `nhân tạo`) and closes none with the one before (`Y tế`, `Hồi sức`): a
    name ends at a word's end, never inside it."""
    from .figures import is_dictionary_word

    toks = walk.toks
    return k + 1 < len(toks) and not toks[k + 1].starts_name and walk.spaced(k + 1) \
        and is_dictionary_word(f"{toks[k].text} {toks[k + 1].text}", as_written=True) \
        and not is_dictionary_word(f"{toks[k - 1].text} {toks[k].text}", as_written=True)


# The rules in the order they read a token after the head; the first that applies decides.
_NAME_RULES = (
    _punctuation_ends_name,
    _date_ends_name,
    _acronym_in_brackets,
    _plural_before_listed_places,
    _place_ends_name,
    _bare_level_word,
    _level_of_government,
    _joining_word,
    _lower_case_stop_word,
    _capitalised_word,
    _dash_before_lower_case,
    _kind_before_proper_name,
    _syllables_before_locality,
    _lower_case_syllables,
)


# ---------------------------------------------------------------------------------------------


class _SpanIndex:
    """ORG spans found so far, non-overlapping and sorted by start: an overlap query costs
    O(log n) instead of a scan over every span, which made long documents quadratic."""

    def __init__(self, spans: list[Span]):
        self.spans = sorted(spans, key=lambda sp: sp.start)
        self.starts = [sp.start for sp in self.spans]

    def overlapping(self, start: int, end: int) -> list[Span]:
        i = bisect.bisect_left(self.starts, end)  # spans[:i] start before `end`
        found = []
        while i > 0 and self.spans[i - 1].end > start:  # their ends increase: walk back
            i -= 1
            found.append(self.spans[i])
        return found

    def free(self, start: int, end: int) -> bool:
        return not self.overlapping(start, end)

    def add(self, span: Span) -> None:
        i = bisect.bisect_left(self.starts, span.start)
        self.starts.insert(i, span.start)
        self.spans.insert(i, span)

    def remove(self, span: Span) -> None:
        i = bisect.bisect_left(self.starts, span.start)
        while self.spans[i] is not span:
            i += 1
        del self.starts[i], self.spans[i]


@lru_cache(maxsize=1)
def _known_scanners() -> list[tuple["_Alternations", str, dict[str, str]]]:
    """The known names as three sets of alternations (as written, any case, folded), longest first,
    each with the map from a matched text's key to its norm.name. Each set holds one alternation per
    first folded syllable of its names: a name can only start where a token with that syllable
    starts, so the text is not tried at every character, only at those tokens."""
    groups: dict[str, tuple[dict[str, list[str]], dict[str, str]]] = {"exact": ({}, {}), "nocase": ({}, {}), "folded": ({}, {})}
    for form, name, exact in sorted(_data()["known"], key=lambda kn: (-len(kn[0]), kn[0])):
        opening = _opening_syllable(form)
        if len(form.split()) == 1 or exact:
            kind, key, pattern = "exact", form, regex.escape(form)
        else:
            kind, key = "nocase", " ".join(canonical(form).lower().split())
            pattern = r"\s+".join(regex.escape(w) for w in canonical(form).split())
            words = fold_query(form).split()
            groups["folded"][0].setdefault(opening, []).append(r"\s+".join(regex.escape(w) for w in words))
            groups["folded"][1].setdefault(" ".join(words), name)
        groups[kind][0].setdefault(opening, []).append(pattern)
        groups[kind][1].setdefault(key, name)
    scanners = []
    for kind, (by_opening, names) in groups.items():
        if not by_opening:
            continue
        left = r"(?<![\w.])" if kind == "exact" else r"(?<![\w])"
        flags = regex.IGNORECASE if kind == "nocase" else 0
        alternations = _Alternations({opening: left + "(?:" + "|".join(patterns) + r")(?![\w])"
                                      for opening, patterns in by_opening.items()}, flags)
        scanners.append((alternations, kind, names))
    return scanners


@lru_cache(maxsize=1)
def _known_openings() -> frozenset[str]:
    """The folded syllables any known name opens with."""
    return frozenset().union(*(alternations for alternations, _, _ in _known_scanners()))


class _Alternations(dict):
    """Patterns by the syllable they open with, each compiled the first time a text asks for it
    (most documents need a few of them: compiling them all cost a fifth of a second at start-up)."""

    def __init__(self, patterns: dict[str, str], flags: int):
        super().__init__(patterns)
        self.flags = flags
        self.compiled: dict[str, regex.Pattern] = {}

    def pattern(self, opening: str) -> regex.Pattern:
        found = self.compiled.get(opening)
        if found is None:
            found = self.compiled[opening] = regex.compile(self[opening], self.flags)
        return found


def _opening_syllable(form: str) -> str:
    """The folded syllable a known name opens with (`uy` of `Ủy ban nhân dân`)."""
    opening = FOLDED_SYLLABLE.match(fold(canonical(form)))
    if opening is None:
        raise ValueError(f"orgs.yaml known: {form!r} must open with a letter or a digit")
    return opening.group(0)


def _known_matches(ctx) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, norm.name) of every known name, longest first."""
    found = []
    toks = document_tokens(ctx, FOLDED_SYLLABLE, on_folded=True)
    tried = 0
    text = ctx.text
    # the tokens that open some known name, in one pass over the document (then each set's own)
    candidates = list(compress(count_from(), map(_known_openings().__contains__, toks.words)))
    for alternations, kind, names in _known_scanners():
        source = ctx.folded if kind == "folded" else text
        openers = (k for k in candidates if toks.words[k] in alternations)
        if kind == "folded":  # names written without diacritics: a word with them opens none (_add_known)
            openers = (k for k in openers if text[toks.starts[k]:toks.ends[k]].isascii())
        for k in openers:
            tried += 1
            m = alternations.pattern(toks.words[k]).match(source, toks.starts[k])
            if m is None:
                continue
            written = m.group(0)
            key = written if kind == "exact" else " ".join(written.lower().split())
            name = names.get(key)
            if name is not None:
                found.append((m.start(), m.end(), kind, name))
    count("orgs.known_tries", tried)
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    return found


def _add_known(ctx, spans: list[Span]) -> list[Span]:
    index = _SpanIndex(spans)
    for s, e, kind, name in _known_matches(ctx):
        if kind == "folded" and not ctx.text[s:e].isascii():
            continue  # same letters, other diacritics: another phrase
        if name in _data()["capitalised_only"] and not ctx.text[s].isupper():
            continue
        # Inside a longer ORG already found? Keep the longer one. Over shorter ones (`Quỹ Nhi
        # đồng Liên hợp` cut before a lower-case syllable)? The known name replaces them.
        overlapping = index.overlapping(s, e)
        if all(s <= o.start and o.end <= e and (o.end - o.start) < (e - s) for o in overlapping):
            for o in overlapping:
                index.remove(o)
            index.add(Span(s, e, "ORG", {}, scratch={"known": name}))
    return index.spans


def _add_repeats(ctx, spans: list[Span]) -> list[Span]:
    """A name found in running text, found again where rules cannot see it (titles in capitals,
    `Hội cứu trợ trẻ em tàn tật Việt Nam` in lower case)."""
    names = {fold_query(ctx.text[s.start:s.end]) for s in spans
             if len(ctx.text[s.start:s.end].split()) >= 3 and "known" not in s.scratch}
    if not names:
        return spans
    # the longest name written at each position (as one alternation of them all, tried everywhere)
    found = []
    for start, end, key in PhraseTrie(names).find(ctx):
        if not found or found[-1][0] != start:
            found.append((start, end, key))
    index = _SpanIndex(spans)
    for start, end, key in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if index.free(start, end):
            index.add(Span(start, end, "ORG", {}, scratch={"repeat_of": key}))
    return index.spans


# A capitalised name (at most four words, dots, dashes and `&` inside a word) right after a kind word,
# and the same written alone; not followed by another capitalised word or a digit (`Sao Việt 6`).
_BRAND_WORD = r"\p{Lu}[\p{L}\p{M}\d'’+]*(?:[.&-][\p{L}\p{M}\d]+)*"
_BRAND_NAME = r"(" + _BRAND_WORD + r"(?:[ \t]+" + _BRAND_WORD + r"){0,3})(?![\p{L}\p{M}\d])(?![ \t]*[\p{Lu}\d])"


def _alternation(words) -> str:
    return "|".join(regex.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(set(words), key=len, reverse=True))


def _as_typed(words) -> set[str]:
    """Lower-case words as they may be written: also capitalised, and without diacritics (a text typed
    so: `cong ty`; ASCII forms match only ASCII text)."""
    return {f for w in words for form in (w, fold_query(w)) for f in (form, form[:1].upper() + form[1:])}


@lru_cache(maxsize=1)
def _after_brand_kind_word() -> regex.Pattern:
    """A name after a word for a company or brand (orgs.yaml brand_kind_words, past a legal form:
    `công ty TNHH Nam Triệu`)."""
    data = load_data("orgs.yaml")
    forms = r"(?:(?:" + _alternation(data["legal_form_words"]) + r")[ \t]+)*"
    kinds = _alternation(_as_typed(data["brand_kind_words"]))
    return regex.compile(r"\b(?:" + kinds + r")[ \t]+" + forms + _BRAND_NAME)  # (`\b` scans faster than a lookbehind)


def _written_alone(names) -> regex.Pattern:
    """``names`` as capitalised, each a whole name: not part of a longer one, nor a product's brand
    before its model (`Nokia 6`, `Honda City`, `Apple Watch`: no ORG, guide)."""
    return regex.compile(r"(?<![\p{L}\p{M}\d.&-])(?:" + _alternation(names)
                         + r")(?![\p{L}\p{M}\d]|[.&-][\p{L}\d])(?![ \t]*[\p{Lu}\d])")


def reads_as_vietnamese(name: str) -> bool:
    """Whether every word of a name is a Vietnamese syllable (of the shipped word list), capitalised
    only at its start: such a name is also a person's, a place's or a word's (`Hòa Phát`, `Khai thác`),
    where `Mozilla`, `VinFast`, `Co.op` are not."""
    from .figures import dictionary_syllables

    syllables = dictionary_syllables()
    return all(canonical(w).lower() in syllables and not any(c.isupper() for c in w[1:]) for w in name.split())


def _brands_named(ctx) -> frozenset[str]:
    """The names this article writes after a word for a company or brand (`hãng Mozilla`, `công ty
    Canaccord Genuity`), but after a plural marker (`các công ty Internet`: a kind of company), places
    and the names it gives a person."""
    names = set()
    plural = _data()["plural_before"]
    for m in _after_brand_kind_word().finditer(ctx.text):
        before = FOLDED_SYLLABLE.findall(ctx.folded[max(0, m.start() - 8):m.start()])
        if before and before[-1] in plural:
            continue
        name = " ".join(m.group(1).split())
        # an acronym names many things (`công ty IT`), a Vietnamese name also a person or a place
        if name.isupper() or reads_as_vietnamese(name) or places.gazetteer().units.get(places.key_of(name)) \
                or name in places.person_names(ctx, for_bodies=True):
            continue
        names.add(name)
    return frozenset(names)


def _add_bare_brands(ctx, spans: list[Span]) -> list[Span]:
    """A company or brand written alone: a name the article writes after a kind word elsewhere (`Hãng
    Mozilla đã quyết định ... dự án của Mozilla`), as capitalised there, where no ORG is found already
    (the repeats of :func:`_add_repeats` need three words)."""
    here = _brands_named(ctx)
    if not here:
        return spans
    found = [(m.start(), m.end()) for m in _written_alone(here).finditer(ctx.text)]
    index = _SpanIndex(spans)
    for start, end in sorted(set(found), key=lambda f: (-(f[1] - f[0]), f[0])):
        if index.free(start, end):
            index.add(Span(start, end, "ORG", {}, scratch={"brand": True}))
    return index.spans


@lru_cache(maxsize=1)
def _list_after_kind() -> regex.Pattern:
    """A plural word for companies or brands (brand_kind_words, listed_kind_words), lower-case words
    that qualify it (`lớn`, `nổi tiếng`, `gas khác`), and `như`/`gồm`/`bao gồm` opening the list."""
    data = load_data("orgs.yaml")
    kinds = _alternation(_as_typed(data["brand_kind_words"] + data["listed_kind_words"]))
    plural = _alternation(_as_typed(["các", "những", "nhiều"]))
    return regex.compile(r"\b(?:" + plural + r")[ \t]+(?:" + kinds + r")(?:[ \t]+\p{Ll}+){0,4}?[ \t]+"
                         r"(?:như|gồm|bao gồm|nhu|gom|bao gom)[ \t]+")


_LISTED_NAME = regex.compile(_BRAND_WORD + r"(?:[ \t]+" + _BRAND_WORD + r"){0,3}(?![\p{L}\p{M}\d])")
_LIST_SEPARATOR = regex.compile(r"[ \t]*,[ \t]*|[ \t]+(?:và|hay|hoặc)[ \t]+")


def _add_listed_brands(ctx, spans: list[Span]) -> list[Span]:
    """The names listed after a plural word for companies or brands (`các thương hiệu lớn như Hermes, LV,
    Chanel`): each an ORG where no span stands, two names at least; not a name that reads as Vietnamese
    words (a person's, a place's), nor a place."""
    text = ctx.text
    listed = []
    for m in _list_after_kind().finditer(text):
        names, at = [], m.end()
        while (name := _LISTED_NAME.match(text, at)) is not None:
            names.append(name.span())
            separator = _LIST_SEPARATOR.match(text, name.end())
            if separator is None:
                break
            at = separator.end()
        if len(names) >= 2:
            listed += [(a, b) for a, b in names if not reads_as_vietnamese(text[a:b])
                       and not places.gazetteer().units.get(places.key_of(text[a:b]))]
    if not listed:
        return spans
    index = _SpanIndex(spans)
    for start, end in listed:
        if index.free(start, end):
            index.add(Span(start, end, "ORG", {}, scratch={"brand": True}))
    return index.spans


# ---------------------------------------------------------------------------------------------
# norm.name


# A site's domain written as a word (`Vogue.com`, `boldsky.com`, `Paultan.org`, `Dantri.com.vn`): not
# part of an address (`@`, `/`, a dot before it) nor a longer host (`on.gdt.gov.vn`).
_SITE = regex.compile(r"(?<![\w./@-])[A-Za-z][A-Za-z0-9-]*\.(?:com|net|org|info|tv|vn|com\.vn|net\.vn|org\.vn|co\.uk)(?![\w@/-]|\.\w)")
# Its dot and top-level domain, looked for first: the pattern above opens with a lookbehind, so it is
# tried at every character, and 92% of the articles write no domain at all.
_SITE_ENDING = re.compile(r"\.(?:com|net|org|info|tv|vn|co\.uk)")


def _add_sites(ctx, spans: list[Span]) -> list[Span]:
    """A news site or web outlet named by its domain (`theo trang tin boldsky.com`, `Ảnh: Cult of
    Mac`, `tạp chí Vogue.com`) is an ORG, as a paper is (guide: credits and outlets cited as a source;
    41 of the 45 domains written so in the gold are ORG), where no ORG stands."""
    if _SITE_ENDING.search(ctx.text) is None:
        return spans
    index = _SpanIndex(spans)
    for m in _SITE.finditer(ctx.text):
        if index.free(m.start(), m.end()):
            index.add(Span(m.start(), m.end(), "ORG", {}, scratch={"site": True}))
    return index.spans


def _without_plural(name: str) -> str:
    """`UBND các tỉnh Nam Định` is named `UBND tỉnh Nam Định` (:func:`_plural_before_listed_places`)."""
    return _plural_before_level().sub("", name)


@lru_cache(maxsize=1)
def _plural_before_level() -> re.Pattern:
    plural = "|".join(map(re.escape, load_data("orgs.yaml")["plural_before"]))
    levels = "|".join(map(re.escape, level_forms()))
    return re.compile(rf"(?i)(?<!\w)(?:{plural})\s+(?=(?:{levels})\s)")


# The source an article closes with: `Theo dantri`, `(Theo BĐS)`, `Đức Hạnh (SKĐS)`, `Phúc Hưng/Vnexpress`.
_CLOSING_CREDIT = regex.compile(
    r"(?:\(\s*Theo:?\s+(?:[^()\n/]{1,40}/)?([^()\n/]{2,40}?)\s*\)|(?<![\w(])Theo:?\s+(?:[^\n()./,;]{1,40}/)?([^\n()./,;]{2,40}?)"
    r"|\((\p{Lu}[\p{Lu}\d.&-]{1,15})\))[\s.]*\Z")


def _add_closing_credit(ctx, spans: list[Span]) -> list[Span]:
    """The outlet an article's last words credit is an ORG (guide: news agencies and papers in bylines
    and credits; in the train and dev gold every closing `Theo X` and bracketed acronym is one, but
    `(TH)`, `tổng hợp`), where no ORG stands."""
    m = _CLOSING_CREDIT.search(ctx.text, max(0, len(ctx.text) - 120))
    if m is None:
        return spans
    group = next(g for g in (1, 2, 3) if m.group(g))
    start, end = m.span(group)
    if fold_query(m.group(group)) in {fold_query(w) for w in load_data("orgs.yaml")["credits_no_outlet"]}:
        return spans
    index = _SpanIndex(spans)
    if index.free(start, end):
        index.add(Span(start, end, "ORG", {}, scratch={"credit": True}))
    return index.spans


# An age group (`U23`, `U19`) written before a place: a national or provincial team.
_AGE_GROUP = regex.compile(r"(?<![\w-])U\d{2}[ \t]+")


def _add_age_group_teams(ctx, spans: list[Span], place_at: dict) -> list[Span]:
    """`U23 Việt Nam`, `U20 Costa Rica`: an age group and the place after it are a team, named
    `Đội tuyển U23 Việt Nam` (guide: a team written with its age group is ORG), where no ORG stands."""
    index = _SpanIndex(spans)
    for m in _AGE_GROUP.finditer(ctx.text):
        place = place_at.get(m.end())
        if place is not None and index.free(m.start(), place.end):
            written = " ".join(ctx.text[m.start():place.end].split())
            index.add(Span(m.start(), place.end, "ORG", {}, scratch={"team": f"Đội tuyển {written}"}))
    return index.spans


def _expand(text: str) -> str:
    """Expand abbreviations token by token and normalise dashes and spaces."""
    pattern, expansions = _expansions()
    out = pattern.sub(lambda m: expansions[m.group(0)], text)
    out = _spell_out_after_level(out)
    out = re.sub(r"\s*\(([^)]*)\)\s*", lambda m: f" ({m.group(1)}) " if m.group(1).startswith("Cơ sở") else " ", out)
    out = re.sub(r"\s*-\s*", " - ", out)
    return " ".join(out.split())


@lru_cache(maxsize=1)
def _expansions() -> tuple[re.Pattern, dict[str, str]]:
    """Every abbreviation a name spells out (orgs.yaml and places), and one pattern for them, longest first."""
    expansions = {**_place_expansions(), **_data()["abbreviations"]}
    keys = sorted(expansions, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w])"), expansions


def _place_expansions() -> dict[str, str]:
    """Places as places.yaml writes them, spelled out: a level word's abbreviation (`TP`, `Tp.` ->
    `Thành phố`) and a province alias written with one (`TP.HCM`, `Tp. HCM` -> `Thành phố Hồ Chí
    Minh`). An alias without a level word (`Sài Gòn`, `HN`) stays as written: it may be part of a
    name (`Báo Sài Gòn Giải phóng`)."""
    by_short = {short: lw for lw in level_words() for short in lw.short}
    out = {}
    for short, lw in by_short.items():
        out[short] = out[short + "."] = lw.capitalised
    for written, province in load_data("places.yaml")["aliases"]["as_written"].items():
        level = next((lw for short, lw in by_short.items() if written.startswith(short)), None)
        if level is not None:
            out[written] = f"{level.capitalised} {province}"
    return out


def _spell_out_after_level(name: str) -> str:
    """`Thành phố TDM` -> `Thành phố Thủ Dầu Một`: a short name places.yaml reads after a level word
    (``aliases.after_prefix``), spelled out."""
    pattern, names = _after_level_aliases()
    return pattern.sub(lambda m: f"{m.group(1)} {names[' '.join(m.group(2).lower().split())]}", name)


@lru_cache(maxsize=1)
def _after_level_aliases() -> tuple[re.Pattern, dict[str, str]]:
    aliases = load_data("places.yaml")["aliases"]["after_prefix"]
    names = {key: alias.get("district") or alias["province"] for key, alias in aliases.items()}
    words = sorted({w for lw in level_words() for w in (lw.word, lw.capitalised)}, key=len, reverse=True)
    keys = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, words)) + r")\s+("
                         + "|".join(r"\s+".join(map(re.escape, k.split())) for k in keys) + r")(?![\w])", re.I)
    return pattern, names


@lru_cache(maxsize=1)
def _known_by_key() -> dict[str, str]:
    return {fold_query(form): name for form, name, _ in _data()["known"]}


def _locality_phrase(province: str) -> str:
    return f"Thành phố {province}" if province in _data()["cities"] else f"tỉnh {province}"


@lru_cache(maxsize=1)
def _bare_province_locality() -> re.Pattern:
    """`tỉnh`, `Thành phố` ending a name: the article's province completes it."""
    words = [v for lw in level_words("province") for v in (lw.word, lw.capitalised)]
    return re.compile(r"\s(?:" + "|".join(map(re.escape, words)) + r")$")


def _norm_name(ctx, span: Span) -> str:
    info = span.scratch  # what the finder learnt of the name while reading it
    if "known" in info or "team" in info:
        return info.get("known") or info["team"]
    if "acronym_of" in info:
        named = info["acronym_of"]
        return named.norm["name"] if "name" in named.norm else _norm_name(ctx, named)
    written = info.get("listed_as") or ctx.text[span.start:span.end]
    if _mostly_capitals(written) or "repeat_of" in info:
        written = _mixed_case_form(ctx, span) or written
    name = _expand(_without_plural(written))
    name = name[0].upper() + name[1:]
    known_name = _known_by_key().get(fold_query(name)) or _known_after_kind_word(name, info.get("head"))
    if known_name:
        return known_name
    province = ctx.document.province if ctx.document else None
    locality = info.get("locality")
    if province and locality == "bare":
        name = _bare_province_locality().sub(" " + _locality_phrase(province), name)
    elif province and info.get("local") and locality is None:
        name = f"{name} {_locality_phrase(province)}"
    return name


def _known_after_kind_word(name: str, head: str | None) -> str | None:
    """The known body its own head names by its known short name: `tập đoàn Viettel` -> `Tập đoàn Viễn
    thông Quân đội` (a known name that opens with the head; `Trung tâm nghiên cứu APEC` is another body)."""
    if not head or not fold_query(name).startswith(fold_query(head) + " "):
        return None
    known = _known_by_key().get(fold_query(" ".join(name.split()[len(head.split()):])))
    return known if known and fold_query(known).startswith(fold_query(head) + " ") else None


def _occurrences(ctx, key: str) -> list[tuple[int, int]]:
    """Where the folded text writes ``key`` (any whitespace between its words), left to right and
    not overlapping, as ``re.finditer`` of the key would find them. The keys of every ORG found are
    looked for in one walk, the first time one is asked for: one walk per key was quadratic."""
    memo = ctx.memo.get("orgs.occurrences")
    if memo is None or key not in memo:
        memo = expect_names(ctx, [key])
    return memo[key]


def expect_names_read_again(ctx, spans: list[tuple[int, int]]) -> None:
    """Before the norms of names found by other means are asked for one by one (:func:`org_norm`
    of the model's spans): where the names written in capitals are written in ordinary case, in one
    walk (:func:`expect_names`). A name in ordinary case is its own form: no walk for it."""
    text = ctx.text
    keys = [fold_query(text[s:e]) for s, e in spans if _mostly_capitals(text[s:e])]
    if keys:
        expect_names(ctx, keys)


def expect_names(ctx, keys) -> dict[str, list[tuple[int, int]]]:
    """Find where the folded ``keys`` (and every ORG found) are written in one walk, before their
    names are asked for one by one (the model's spans): a walk per new name would be quadratic.
    The walk looks for the keys not looked for yet only (where a key is written does not depend on
    the other keys looked for with it)."""
    memo = ctx.memo.setdefault("orgs.occurrences", {})
    wanted = set(keys) - memo.keys()
    if not memo:
        wanted |= {fold_query(ctx.text[s.start:s.end]) for s in ctx.memo.get("orgs.spans", ())}
    if not wanted:
        return memo
    for key in wanted:
        memo[key] = []
    for start, end, phrase in PhraseTrie(wanted, module=re).find(ctx):
        mine = memo[phrase]
        if not mine or mine[-1][1] <= start:
            mine.append((start, end))
    return memo


def _mixed_case_form(ctx, span: Span) -> str | None:
    """The same name written in ordinary case elsewhere in the article."""
    key = fold_query(ctx.text[span.start:span.end])
    memo = ctx.memo.setdefault("orgs.mixed_case_form", {})
    if key not in memo:
        memo[key] = _mixed_case_search(ctx, key)
    return memo[key]


def _mixed_case_search(ctx, key: str) -> str | None:
    best = None
    for start, end in _occurrences(ctx, key):
        written = ctx.text[start:end]
        if _mostly_capitals(written):
            continue
        capitals = sum(c.isupper() for c in written)
        if best is None or capitals > best[0]:
            best = (capitals, written)
    return best[1] if best else None
