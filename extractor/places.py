"""LOC: provinces, districts, communes, countries and named venues, with the province they are in.

The administrative units come from the ``vietnamadminunits`` package (MIT): it carries both the
63 provinces with their districts and communes as they were until 30 June 2025 and the 34
provinces and communes after the merger, plus which old province went into which new one. We
read its JSON data files directly (its parser modules pull in geometry libraries we do not need).

``norm.province`` is the province as it was when the article was published (the old province
for an article from before 1 July 2025); ``norm.province_today`` is the post-merger province the
place belongs to now. How articles write units (level words, ``TP.HCM``, countries, venue words) is
in ``data/places.yaml``.

Matching runs on the accent-folded text, so NFD input, old tone placement and text without
diacritics all match; capitalisation on the canonical text tells a name from a common word.
"""
from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from functools import lru_cache
from itertools import compress, count as count_from
from pathlib import Path
from typing import Iterable, NamedTuple

import regex

from .clean import canonical, fold_query
from .context import stage
from .document import VENUE_SOURCE, main_province
from .levels import level_forms, level_words
from .models import Span
from . import clean as clean_module
from .resources import cached, data_file, load_data, package_folder
from .tokens import (FOLDED_SYLLABLE, FoldedPhrases, TokenList, document_tokens, matches_at_openings,
                     not_a_vietnamese_name, opening_syllables, vietnamese_syllable)
from .work import count
from .world import world_places, world_sources

# What may sit between two syllables of one name: spaces, or a hyphen between spaces.
_NAME_GAP = re.compile(r"[ \t]+|[ \t]*-[ \t]*")  # never across a line break
_MAX_NAME_TOKENS = 5


class Unit(NamedTuple):
    """One administrative unit as the gazetteer knows it. (A named tuple: the gazetteer's 14,000 of
    them are read back from the cache at every start, 1.6x faster than frozen dataclasses.)"""

    name: str  # short name without prefix: "Thủ Dầu Một"
    level: str  # province | district | ward | country (a country or a city abroad: extractor/world.py)
    province: str | None  # short name of the province it was in (in its own era)
    province_today: str | None  # short name of the post-merger province
    era: str  # "legacy" (before the merger), "2025" (after) or "any" (countries, aliases)


def key_of(name: str) -> str:
    """Gazetteer key: folded syllables joined by single spaces (hyphens dropped)."""
    return " ".join(FOLDED_SYLLABLE.findall(fold_query(name)))


@lru_cache(maxsize=1)
def _gazetteer_files() -> dict[str, Path]:
    """The data files the vietnamadminunits package installed, by name: found without importing the
    package, whose parser pulls in geopy and shapely (a second of start-up)."""
    folder = package_folder("vietnamadminunits")
    data = folder / "data" if folder else None
    return {f.name: f for f in data.iterdir() if f.is_file()} if data and data.is_dir() else {}


def gazetteer_json(name: str) -> dict:
    """One of the JSON tables vietnamadminunits ships as its package data (``data/<name>``);
    tests/extractor/test_places.py pins what they hold (unit counts before and after the 2025
    merger), so an upgrade that changes them fails loudly."""
    try:
        found = _gazetteer_files()[name]
    except KeyError:
        raise RuntimeError(f"vietnamadminunits data/{name} is not installed: reinstall vnfacts with its "
                           f"dependencies (vietnamadminunits, see pyproject.toml)") from None
    return json.loads(found.read_text(encoding="utf-8"))


class Gazetteer:
    """Every unit name (folded key) -> the units it may denote."""

    def __init__(self) -> None:
        legacy = gazetteer_json("parser_legacy.json")
        current = gazetteer_json("parser_from_2025.json")
        merger = gazetteer_json("converter_2025.json")["DICT_PROVINCE"]
        self.units: dict[str, list[Unit]] = {}
        new_short = {k: v["provinceShort"] for k, v in current["DICT_PROVINCE"].items()}
        old_short = {k: v["provinceShort"] for k, v in legacy["DICT_PROVINCE"].items()}
        today_of_old = {old: new_short[new] for new, olds in merger.items() for old in olds}
        self.today_of = {old_short[k]: v for k, v in today_of_old.items()}  # "Bình Dương" -> "Hồ Chí Minh"
        for short in new_short.values():
            self.today_of.setdefault(short, short)
        for r in load_data("places.yaml").get("renamed") or []:  # `Thừa Thiên Huế` -> `Huế`: the name it had
            self.today_of.setdefault(r["old"], self.today_of.get(r["new"], r["new"]))
        for pkey, short in old_short.items():
            self._add(Unit(short, "province", short, today_of_old[pkey], "legacy"))
        for short in new_short.values():
            self._add(Unit(short, "province", short, short, "2025"))
        for pkey, districts in legacy["DICT_PROVINCE_DISTRICT"].items():
            for d in districts.values():
                self._add(Unit(d["districtShort"], "district", old_short[pkey], today_of_old[pkey], "legacy"))
        for pkey, districts in legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items():
            for wards in districts.values():
                for w in wards.values():
                    self._add(Unit(w["wardShort"], "ward", old_short[pkey], today_of_old[pkey], "legacy"))
        for pkey, wards in current["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
            for w in wards.values():
                self._add(Unit(w["wardShort"], "ward", new_short[pkey], new_short[pkey], "2025"))
        for place in world_places():  # countries and foreign cities: the "country" level is abroad
            self._add(Unit(place.name, "country", None, None, "any"))
        self.province_keys = {key_of(s) for s in list(old_short.values()) + list(new_short.values())}
        self.longest = _longest_by_first_word(self.units)
        self.key_prefixes = _key_prefixes(self.units)

    def _add(self, unit: Unit) -> None:
        if not isinstance(unit.name, str) or not unit.name.strip():
            return  # a few records in the package have no short name
        bucket = self.units.setdefault(key_of(unit.name), [])
        if unit not in bucket:
            bucket.append(unit)

    def lookup(self, key: str, levels: Iterable[str]) -> list[Unit]:
        wanted = set(levels)
        return [u for u in self.units.get(key, ()) if u.level in wanted]


def _longest_by_first_word(keys) -> dict[str, int]:
    """First syllable of a key -> the most syllables a key that starts with it has: a finder reads
    at most that many tokens from a word, and none from a word that opens no name."""
    longest: dict[str, int] = {}
    for key in keys:
        words = key.split()
        if words:
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


def _key_prefixes(keys) -> frozenset[str]:
    """Every key and every run of its first syllables (`ha`, `ha noi` of `ha noi`): a walk from a
    word reads the next syllable only while what it read so far opens a key."""
    out = set()
    for key in keys:
        words = key.split()
        out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return frozenset(out)


def _key_lengths(words: list[str], i: int, limit: int, keys, prefixes) -> list[int]:
    """The numbers of syllables n <= ``limit`` for which ``words[i:i+n]`` joined is one of ``keys``,
    longest first: one walk along ``prefixes`` (:func:`_key_prefixes`) instead of a key built and
    looked up for every length."""
    found = []
    key = words[i]
    n = 1
    while key in prefixes:
        if key in keys:
            found.append(n)
        if n == limit:
            break
        key = key + " " + words[i + n]
        n += 1
    count("places.keys_read", n)
    found.reverse()
    return found


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built from vietnamadminunits' JSON once and then read back from the cache
    (:func:`~vnfacts.extractor.resources.cached`), rebuilt when those files, places.yaml or this code change."""
    files = _gazetteer_files()
    sources = [files[name] for name in GAZETTEER_FILES if name in files]
    sources += [data_file("places.yaml"), __file__, clean_module.__file__, *world_sources()]
    return cached("gazetteer", sources, Gazetteer)


GAZETTEER_FILES = ("parser_legacy.json", "parser_from_2025.json", "converter_2025.json")


def today_of(province: str | None) -> str | None:
    """The post-merger province a (pre- or post-merger) province belongs to."""
    return gazetteer().today_of.get(province) if province else None


# ---------------------------------------------------------------------------------------------
# Document era and the province an article is about


def is_after_merger(ctx) -> bool:
    """Whether the article speaks from after the merger of 1 July 2025 (its date: ``ctx.document``)."""
    when = ctx.document.date if ctx.document else None
    return bool(when) and when >= load_data("places.yaml")["merger_date"][: len(when)]


def _norm(unit: Unit, after_merger: bool) -> dict:
    """norm for a unit: province at publication, province today."""
    if unit.level == "country":
        return {"province": None, "province_today": None}
    province = unit.province_today if (after_merger and unit.era == "legacy") else unit.province
    return {"province": province, "province_today": unit.province_today}


def _pick(units: list[Unit], after_merger: bool, doc_provinces: Counter, prefer: set | None = None) -> Unit | None:
    """Choose among homonymous units: one in the province written right after it (`prefer`), else
    the article's era first, then a province the article names."""
    if not units:
        return None
    preferred = [u for u in units if prefer and u.province in prefer]
    if preferred:
        units = preferred
    era = "2025" if after_merger else "legacy"
    ranked = sorted(units, key=lambda u: (u.era not in (era, "any"), -doc_provinces.get(u.province_today, 0)))
    best = ranked[0]
    if best.level in ("district", "ward"):
        in_doc = [u for u in ranked if doc_provinces.get(u.province_today)]
        if in_doc:
            return in_doc[0]
        if len({u.province_today for u in units}) > 1:
            return None  # ambiguous and the article gives no hint
    return best


# ---------------------------------------------------------------------------------------------
# Finding places


def _tokens(ctx) -> TokenList:
    """The folded syllables of the whole document (:data:`FOLDED_SYLLABLE`): with or without
    diacritics, a name gives the gazetteer's key; capitals are read on the canonical text."""
    return document_tokens(ctx, FOLDED_SYLLABLE, on_folded=True)


def _spaced(text: str, toks: TokenList, i: int) -> bool:
    """Whether only spaces part token i from the next: one name goes on (`Nghệ An Tân`); a spaced dash
    parts two (`Nam Định - Ninh Bình - Thái Bình`, a list; `Sài Gòn - Gia Định`)."""
    return bool(_SPACES.fullmatch(text, toks.ends[i], toks.starts[i + 1]))


_SPACES = re.compile(r"[ \t]+")


def _joined(text: str, toks: TokenList, i: int, n: int) -> bool:
    """Whether tokens i..i+n-1 of the document's token list form one name (only spaces or a spaced
    hyphen between them)."""
    starts, ends, gap = toks.starts, toks.ends, _NAME_GAP.fullmatch
    return all(gap(text[ends[k]:starts[k + 1]]) for k in range(i, i + n - 1))


@lru_cache(maxsize=1)
def _prefixes() -> list[tuple[list[str], tuple[str, ...], frozenset[str] | None]]:
    """(folded words, levels that may follow, the only spellings allowed or None) of every level word
    and abbreviation, longest first. An abbreviation counts only as written (`TP`, `Tp`, `tp`, not
    `tP`): its folded letters are too common otherwise."""
    out = []
    for lw in level_words():
        out.append((key_of(lw.word).split(), lw.levels, None))
        spellings: dict[str, set[str]] = {}
        for short in lw.short:
            spellings.setdefault(key_of(short), set()).add(short)
        out.extend((key.split(), lw.levels, frozenset(written)) for key, written in spellings.items())
    return sorted(out, key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def _prefixes_by_first_word() -> dict[str, list[tuple[list[str], tuple[str, ...], frozenset[str] | None]]]:
    """:func:`_prefixes` by their first folded word (each list still longest first): a token
    tries only the prefixes that can start with it."""
    index: dict[str, list] = {}
    for prefix in _prefixes():
        index.setdefault(prefix[0][0], []).append(prefix)
    return index


@lru_cache(maxsize=1)
def _alias_patterns() -> list[tuple[re.Pattern, str | None, str]]:
    """Short forms of provinces, and regions (province None), matched as written; with the folded
    syllable every match opens with (`tp` of `TP.HCM`), looked for first."""
    data = load_data("places.yaml")
    items = list(data["aliases"]["as_written"].items()) + [(r, None) for r in data.get("regions") or []]
    out = []
    for written, province in sorted(items, key=lambda kv: -len(kv[0])):
        words = r"\s*-\s*".join(r"\s+".join(re.escape(w) for w in part.split()) for part in written.split("-"))
        opening = FOLDED_SYLLABLE.match(key_of(written))
        if opening is None:
            raise ValueError(f"places.yaml: the alias or region {written!r} must open with a letter or a digit")
        out.append((re.compile(r"(?<![\w.])" + words + r"(?![\w])"), province, opening.group()))
    return out


def _alias_matches(ctx):
    """Every match of each alias pattern, pattern by pattern, as ``finditer`` gives them: a match
    opens a word (no letter, digit or dot before it), so a pattern is tried only where the folded
    syllable it opens with stands, found for all of them in one pass over the document's syllables
    (73 patterns each looked for in the whole text cost 2% of the rules' time)."""
    patterns = _alias_patterns()
    syllables = document_tokens(ctx, FOLDED_SYLLABLE, on_folded=True)
    starts: dict[str, list[int]] = {}
    for k in syllables.indexes_of({opening for _, _, opening in patterns}):
        starts.setdefault(syllables.words[k], []).append(syllables.starts[k])
    text = ctx.text
    for pattern, province, opening in patterns:
        free = 0
        for at in starts.get(opening, ()):
            if at >= free and (m := pattern.match(text, at)) is not None:
                yield m, province
                free = m.end()


def _prefix_at(ctx, toks: TokenList, i: int) -> tuple[int, tuple[str, ...]] | None:
    """If a prefix starts at token i, (number of prefix tokens, levels it introduces)."""
    words = toks.words
    for prefix_words, levels, spellings in _prefixes_by_first_word().get(words[i], ()):
        n = len(prefix_words)
        if i + n <= len(toks) and words[i:i + n] == prefix_words and _joined(ctx.text, toks, i, n):
            if spellings is not None and ctx.text[toks.starts[i]:toks.ends[i + n - 1]] not in spellings:
                continue
            return n, levels
    return None


@lru_cache(maxsize=1)
def _after_prefix_keys() -> tuple[dict, frozenset[str]]:
    """places.yaml's names read after a level word (`Thủ Đức` of `TP Thủ Đức`), with their prefixes."""
    after_prefix = load_data("places.yaml")["aliases"]["after_prefix"]
    return after_prefix, _key_prefixes(after_prefix)


def find_place_candidates(ctx) -> list[tuple[int, int, Unit | None, str]]:
    """All place mentions as (start, end, unit or None, how), before choosing among homonyms.

    ``how`` is ``prefixed``, ``bare``, ``alias`` or ``country``. Bare districts and communes are
    returned too; :func:`find_places` keeps them only when the article backs them up.
    """
    text, toks = ctx.text, _tokens(ctx)
    out: list[tuple[int, int, Unit | None, str]] = []
    for m, province in _alias_matches(ctx):
        if province is None:
            if not _after_another_name(text, m.start()):
                end = _country_after_a_part(text, m) or m.end()
                out.append((m.start(), end, Unit(text[m.start():end], "country", None, None, "any"), "country"))
        else:
            out.append((m.start(), m.end(), Unit(province, "province", province, today_of(province), "any"), "alias"))
    prefix_index = _prefixes_by_first_word()
    gaz = gazetteer()
    # Only a token that opens a level word or a gazetteer key can start a place: the others are
    # skipped without building them.
    names = toks.starts_name_flags()
    words, keys, key_prefixes, longest = toks.words, gaz.units, gaz.key_prefixes, gaz.longest
    # (a level word anywhere, a key's first word when capitalised: read off the few capitalised
    # words rather than testing every word twice)
    opens = set(toks.indexes_of(prefix_index)).union(i for i in compress(count_from(), names) if words[i] in longest)
    last = len(words) - 1
    next_free = 0
    for i in sorted(opens):
        if i < next_free:
            continue  # inside the place found last
        found = _prefixed_place(ctx, toks, names, i) if words[i] in prefix_index else None
        # a bare name is a key, or its first two words open one (most capitalised words neither)
        if not found and names[i] and (words[i] in keys or i < last and f"{words[i]} {words[i + 1]}" in key_prefixes):
            found = _bare_place(ctx, toks, names, i)
        if found:
            start, end, units, how, nxt = found
            for u in units:
                out.append((start, end, u, how))
            next_free = nxt
    count("places.tokens", len(toks))
    return out


_NAME_AFTER = regex.compile(r"[ \t]+(\p{Lu}\p{L}*(?:[ \t]+\p{Lu}\p{L}*){0,3})")


def _country_after_a_part(text: str, region) -> int | None:
    """Where a country written right after a `miền` region ends (`miền Nam Thái Lan`, `miền Trung Việt
    Nam`): the part of that country is one LOC (guide: a named region of a country)."""
    if not region.group(0).lower().startswith("miền "):
        return None
    m = _NAME_AFTER.match(text, region.end())
    if not m:
        return None
    ends = [m.start(1) + w.end() for w in regex.finditer(r"\S+", m.group(1))]
    for end in reversed(ends):  # the longest country name first
        if any(u.level == "country" for u in gazetteer().units.get(key_of(text[m.start(1):end]), ())):
            return end
    return None


_WORD_BEFORE = regex.compile(r"(\p{Lu}[\p{L}\d]*)[ \t]+$")


def _after_another_name(text: str, start: int) -> bool:
    """Whether a region written at ``start`` follows a capitalised word that makes another name with it
    or runs a heading on (`Hoàng Anh Tây Nguyên`, `Việt Nam Bộ luật`): not an acronym (`ASEAN`), nor a
    cue word for a place opening the sentence (`Tại Tây Nguyên`)."""
    m = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return bool(m) and not m.group(1).isupper() and key_of(m.group(1)) not in _country_rules()[1]


def _prefixed_place(ctx, toks: TokenList, names: list[bool], i: int):
    """(start, end, units, "prefixed", next token) of a level word and the name after it
    (`tỉnh Nghệ An`, `TP. Thủ Đức`) at token i, or None."""
    prefix = _prefix_at(ctx, toks, i)
    if not prefix:
        return None
    text, words, starts, ends = ctx.text, toks.words, toks.starts, toks.ends
    n_prefix, levels = prefix
    j = i + n_prefix
    if j >= len(toks) or not names[j] or not re.fullmatch(r"\.\s*|\s+", text[ends[j - 1]:starts[j]]):
        return None
    gaz = gazetteer()
    after_prefix, after_prefix_prefixes = _after_prefix_keys()
    limit = min(_MAX_NAME_TOKENS, len(toks) - j)
    lengths = sorted(set(_key_lengths(words, j, limit, gaz.units, gaz.key_prefixes))
                     | set(_key_lengths(words, j, limit, after_prefix, after_prefix_prefixes)), reverse=True)
    for n in lengths:
        if not _joined(text, toks, j, n):
            continue
        key = " ".join(words[j:j + n])
        if key in after_prefix:
            a = after_prefix[key]
            level = "district" if "district" in a else "province"
            unit = Unit(a.get("district") or a["province"], level, a["province"], today_of(a["province"]), "any")
            return starts[i], ends[j + n - 1], [unit], "prefixed", j + n
        units = _spelled_as(text[starts[j]:ends[j + n - 1]], gaz.lookup(key, levels))
        if units:
            return starts[i], ends[j + n - 1], units, "prefixed", j + n
    return None


def _bare_place(ctx, toks: TokenList, names: list[bool], i: int):
    """(start, end, units, "bare" or "country", next token) of a capitalised name the gazetteer
    knows (`Nghệ An`, `Lào`) at token i, or None."""
    text, words, starts, ends = ctx.text, toks.words, toks.starts, toks.ends
    gaz = gazetteer()
    limit = min(_MAX_NAME_TOKENS, len(toks) - i)
    for n in _key_lengths(words, i, limit, gaz.units, gaz.key_prefixes):
        key = " ".join(words[i:i + n])
        if not all(names[i + 1:i + n]) and not any(u.level == "country" for u in gaz.units[key]):
            continue  # `Việt nam`: countries are matched even when a later syllable is not capitalised
        if not _joined(text, toks, i, n):
            continue
        units = _spelled_as(text[starts[i]:ends[i + n - 1]], gaz.lookup(key, ("province", "district", "ward", "country")))
        if not units:
            continue
        # A longer capitalised run means a different name (a person, an ORG); after a country, a
        # foreign name is not its part (`Tổng thống Mỹ Donald Trump`).
        nxt = i + n
        if nxt < len(toks) and names[nxt] and _spaced(text, toks, nxt - 1) \
                and not text[starts[i]:ends[nxt - 1]].isupper() \
                and not (units[0].level == "country" and not_a_vietnamese_name(text[starts[nxt]:ends[nxt]])):
            return None
        # ... and so does a capitalised word right before it (`Thái Bình Dương`),
        # unless it is an acronym (`NCT Việt Nam`) or the text is in capitals.
        if i > 0 and names[i - 1] and _spaced(text, toks, i - 1) \
                and not text[starts[i - 1]:ends[i - 1]].isupper() \
                and not text[starts[i]:ends[i + n - 1]].isupper() \
                and not (_opens_sentence(text, starts[i - 1]) and vietnamese_syllable(words[i - 1])):
            return None  # (`Tại Hà Nội`: the word before only opens the sentence, if it is a
            # Vietnamese word: `Sanna Khánh Hòa`, `Yamaha Malaysia` opening one are other names)
        how = "country" if units[0].level == "country" else "bare"
        return starts[i], ends[i + n - 1], units, how, i + n
    return None


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` is the first of its sentence, line or bracket."""
    at = start  # read back over blanks, quotes and brackets (not a copy of the text before)
    while at > 0 and text[at - 1] in " \t\"“‘'(":
        at -= 1
    return at == 0 or text[at - 1] in ".!?:;\n…"


def _spelled_as(written: str, units: list[Unit]) -> list[Unit]:
    """A one-syllable name must match with its diacritics (`Chủ` is not the town `Chũ`) unless the
    text has none; longer names match folded (spellings such as `Đăk Lăk` vary)."""
    if written.isascii() or " " in written.strip():
        return units
    return [u for u in units if canonical(u.name).lower() == written.lower()]


@lru_cache(maxsize=1)
def _country_rules() -> tuple[frozenset[str], frozenset[str]]:
    data = load_data("places.yaml")
    return (frozenset(key_of(c) for c in data["countries_need_cue"]),
            frozenset(key_of(c) for c in data["country_cues"]))


def _country_ok(ctx, start: int, end: int, unit: Unit) -> bool:
    """`Lào` but not `Lao động`; `Anh`, `Mỹ` only after a cue word (`nước Anh`, `tại Mỹ`)."""
    need_cue, cues = _country_rules()
    written = ctx.text[start:end]
    if written.lower() != unit.name.lower():
        if not written.isascii():
            return False  # same letters, other diacritics: another word
        following = ctx.folded[end:end + 6]
        if re.match(r"\s+dong\b", following):
            return False
    key = key_of(written)
    if key not in need_cue and written.lower() == unit.name.lower():
        return True
    before = FOLDED_SYLLABLE.findall(ctx.folded[max(0, start - 20):start])
    return bool(before) and (before[-1] in cues or " ".join(before[-2:]) in cues)


def _drop_contained(spans: list[Span]) -> list[Span]:
    """Spans not held inside a longer one, in one sorted pass (the all-pairs test was quadratic)."""
    kept, best_start, best_end = [], -1, -1
    for span in sorted(spans, key=lambda sp: (sp.start, -sp.end)):
        inside = span.end < best_end or (span.end == best_end and best_start < span.start)
        if not inside:
            kept.append(span)
        if span.end > best_end:
            best_start, best_end = span.start, span.end
    return kept


# A run of capitalised words (`Nguyễn Đức Phúc`, `Rihanna`): a person's name is looked for in these,
# after a word for a person before one of its words; the runs found first, the words before each looked
# up in a set after, since most of the text is in lower case and the cue words are many.
_NAME_RUN = regex.compile(r"\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}\p{Ll}+)*")
_WORD_IN_RUN = regex.compile(r"\S+")
_CAPITAL_NEXT = regex.compile(r"[ \t]*\p{Lu}")
_SPACED = regex.compile(r"[ \t]+")
_MAX_CUE_WORDS = 3


@lru_cache(maxsize=1)
def _person_cues() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(the words for a person or an occupation, as written and capitalised; the member words; the family
    names): orgs.yaml's person_words and family_names, places.yaml's occupation_words and member_words."""
    orgs, data = load_data("orgs.yaml"), load_data("places.yaml")
    cues = set(orgs["person_words"]) | set(data["occupation_words"])
    if any(len(c.split()) > _MAX_CUE_WORDS for c in cues):
        raise ValueError(f"a word for a person has more than {_MAX_CUE_WORDS} words")
    forms = frozenset(c for w in cues for c in (w, w[:1].upper() + w[1:]))
    return forms, frozenset(data["member_words"]), frozenset(orgs["family_names"])


def _words_before(text: str, at: int) -> list[str]:
    """The whole words written before ``at`` on its line, separated by spaces or tabs only, the last
    right before ``at`` (none unless a space or tab precedes it); punctuation opening the first kept."""
    start = max(0, at - 40)
    seg = text[start:at]
    if not seg or seg[-1] not in " \t":
        return []
    seg = seg[seg.rfind("\n") + 1:]
    words = _SPACED.split(seg.strip(" \t"))
    if start > 0 and len(seg) == at - start and not text[start - 1].isspace():
        words = words[1:]  # the window cut a word
    return words


_OPENING_PUNCTUATION = "([\"'“‘-–,;:"


@lru_cache(maxsize=1)
def _cue_last_words() -> frozenset[str]:
    return frozenset(c.split()[-1] for c in _person_cues()[0])


def _cue_before(text: str, at: int, cues: frozenset[str]) -> str | None:
    """The word for a person (longest first) ending right before ``at``, after no letter or digit. The
    word right before is looked at first: most are the last word of no cue."""
    end = at
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    if end == at:
        return None
    begin = end
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    if text[begin:end].lstrip(_OPENING_PUNCTUATION) not in _cue_last_words():
        return None
    words = _words_before(text, at)
    for k in range(min(_MAX_CUE_WORDS, len(words)), 0, -1):
        first = words[-k]
        opening = len(first) - len(first.lstrip(_OPENING_PUNCTUATION))  # (`(ông Nam)`: no letter before it)
        cue = " ".join([first[opening:]] + words[len(words) - k + 1:])
        if cue in cues:
            return cue
    return None


def _after_capitalised_word(text: str, at: int) -> bool:
    """Whether a capitalised word (letters only up to the spaces) stands right before ``at``."""
    i = at
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == at or i == 0 or not text[i - 1].isalpha():
        return False
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return text[j].isupper()


def person_names(ctx, for_bodies: bool = False) -> frozenset[str]:
    """Names the article gives a person: after a word for a person or an occupation (`chú Trung Dân`,
    `người mẫu Kim Tiên`), at most four words and the whole capitalised run, and the given names of a
    full name (`Nguyễn Đức Phúc` -> `Đức Phúc`). One sense per article: the same name written alone
    elsewhere is that person, not a place of that name (guide: persons' names read as places are
    removed), nor a body. ``for_bodies``: not after a word that also stands before a body's name
    (places.yaml member_words: `cầu thủ Swansea`). One walk of the text gives both."""
    key = f"places.person_names.{for_bodies}"
    if key not in ctx.memo:
        cues, members, families = _person_cues()
        text = ctx.text
        every, of_persons_only, full = set(), set(), set()
        for run in _NAME_RUN.finditer(text):
            if _CAPITAL_NEXT.match(text, run.end()):
                continue  # runs on into another capitalised word (`UBND`, `A`): no name of these words
            words = [(run.start() + w.start(), w.group()) for w in _WORD_IN_RUN.finditer(run.group())]
            if words[0][1] in families and 3 <= len(words) <= 4 and not _after_capitalised_word(text, run.start()):
                full.add(" ".join(w for _, w in words[1:]))  # (`ông Lê Đức Thọ` -> `Đức Thọ`)
            for i, (at, _) in enumerate(words):
                if len(words) - i > 4:
                    continue
                # inside the run the cue is the capitalised word before (`Bà Nga`, `Ông Nguyễn Văn Nam`)
                cue = _cue_before(text, at, cues) if i == 0 else words[i - 1][1] if words[i - 1][1] in cues else None
                if cue is None:
                    continue
                name = " ".join(w for _, w in words[i:])
                every.add(name)
                if cue not in members and cue[:1].lower() + cue[1:] not in members:
                    of_persons_only.add(name)
                break
        for found, memo in ((every, "places.person_names.False"), (of_persons_only, "places.person_names.True")):
            found |= {n.split(" ", 1)[1] for n in found if n.count(" ") >= 2 and n.split(" ", 1)[0] in families}
            ctx.memo[memo] = frozenset(found | full)
    return ctx.memo[key]


_SYLLABLE_BEFORE = regex.compile(r"([\p{L}]+)[ \t]+$")


def is_person_name(ctx, start: int, end: int, for_bodies: bool = False) -> bool:
    """Whether a span that may be a place (or, ``for_bodies``, a body) is a person's name in this
    article (:func:`person_names`). Provinces and countries stay places even so (a V.League club
    `cầu thủ Thanh Hóa`, `Nga` the country and `bà Nga`), unless a person word stands right before this
    mention (with its diacritics where the text has them: `bầu cử Mỹ` is no `cụ Mỹ`)."""
    written = " ".join(ctx.text[start:end].split())
    if written not in person_names(ctx, for_bodies):
        return False
    before = _SYLLABLE_BEFORE.search(ctx.text, max(0, start - 16), start)
    if before and _is_person_word(before.group(1)):
        return True
    units = gazetteer().units.get(key_of(written), ())
    return not any(u.level in ("province", "country") for u in units)


def _is_person_word(word: str) -> bool:
    """A word of orgs.yaml person_words, compared with its diacritics unless it is written without any."""
    if word.isascii():
        return key_of(word) in _person_word_keys()
    return canonical(word).lower() in _person_words()


_QUOTED = regex.compile(r"[\"“‘']([^\"“”‘’'\n]{1,150})[\"”’']")


@lru_cache(maxsize=1)
def _work_word_before() -> regex.Pattern:
    """A word for a work (places.yaml work_title_words) ending right before a quote."""
    words = {f for w in load_data("places.yaml")["work_title_words"] for form in (w, fold_query(w))
             for f in (form, form[:1].upper() + form[1:])}  # also as typed without diacritics (`bai hat`)
    alternation = "|".join(regex.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True))
    return regex.compile(r"(?<![\p{L}\d])(?:" + alternation + r")[ \t]+$")


def inside_work_title(ctx, start: int, end: int) -> bool:
    """Whether a span lies inside the title of a work written in quotes after its word (`phim "Matxcơva -
    Mùa thay lá"`): no LOC nor ORG there (guide). The quotes are found first, the word before each
    looked at after: most texts quote little."""
    key = "places.work_titles"
    if key not in ctx.memo:
        before = _work_word_before()
        ctx.memo[key] = [m.span(1) for m in _QUOTED.finditer(ctx.text)
                         if before.search(ctx.text, max(0, m.start() - 24), m.start())]
    return any(a <= start and end <= b for a, b in ctx.memo[key])


def is_demonym(ctx, start: int, end: int) -> bool:
    """Whether a place of Vietnam, written by its name alone, follows a word for its people (`người Hà
    Nội`, `cô gái Huế`; places.yaml `demonym_words`): the text names the people, not the place. A
    country stays a place; so does a unit with its level word (`người dân xã Trung An`: the gold
    tags it, though the guide makes `người dân phường Nghi Thủy` a demonym)."""
    before = FOLDED_SYLLABLE.findall(ctx.folded[max(0, start - 20):start])
    if not any(" ".join(before[-n:]) in _demonym_keys() for n in (1, 2) if len(before) >= n):
        return False
    units = gazetteer().units.get(key_of(ctx.text[start:end]), ())
    return bool(units) and not any(u.level == "country" for u in units)


@lru_cache(maxsize=1)
def _demonym_keys() -> frozenset[str]:
    return frozenset(key_of(w) for w in load_data("places.yaml")["demonym_words"])


@lru_cache(maxsize=1)
def _person_word_keys() -> frozenset[str]:
    return frozenset(key_of(w) for w in load_data("orgs.yaml")["person_words"])


@lru_cache(maxsize=1)
def _person_words() -> frozenset[str]:
    return frozenset(canonical(w).lower() for w in load_data("orgs.yaml")["person_words"])


# A byline closing the article: after its last sentence, only a name or two and their paper
# (`... hoạt động./. Kim Dung/VOV-TP HCM`, `Đức Nam`), then maybe a note in brackets: a source
# (`Hoàng Hà (theo Dân trí)`) or where the writer reports from, a place (`Anh Khoa (từ Cheonan, Hàn Quốc)`).
_BYLINE = regex.compile(r"(?:^|[.!?…\"”»)][ \t]+)(\p{Lu}[\p{L}.]*(?:[ \t]+\p{Lu}[\p{L}.]*){0,3}"
                        r"(?:[ \t]*[/–-][^.!?\n(]*)?)(?:[ \t]*\([^()\n]*\))?[ \t]*$")


@lru_cache(maxsize=4)  # asked for each place of the article (a text's hash is kept with it: a cheap key)
def byline(text: str) -> tuple[int, int] | None:
    """(start, end) of the writer's name and paper in the byline that closes the article, or None: the
    names there are no places (guide: bylines `Khánh Hòa`, `Hà Giang` are no LOC)."""
    m = _BYLINE.search(text, max(0, len(text) - 120))
    return m.span(1) if m else None


def in_byline(text: str, start: int, end: int) -> bool:
    found = byline(text)
    return found is not None and found[0] <= start and end <= found[1]


@stage("finder", requires="document", assigns="places")
def find_places(ctx) -> list[Span]:
    """LOC spans of the document; the province each place was in at the article's date, and today."""
    after = is_after_merger(ctx)
    candidates = find_place_candidates(ctx)
    by_span: dict[tuple[int, int], list[tuple[Unit, str]]] = {}
    for start, end, unit, how in candidates:
        by_span.setdefault((start, end), []).append((unit, how))
    # Provinces the article names (by their post-merger province, so old and new names agree).
    doc_provinces: Counter = Counter()
    for (start, end), options in by_span.items():
        hows = {h for _, h in options}
        provinces = [u for u, h in options if u.level == "province"]
        if provinces and (hows & {"prefixed", "alias"} or "bare" in hows):
            doc_provinces[provinces[0].province_today] += 1
    spans: list[Span] = []
    starts = {}
    for (s_, e_), options in by_span.items():
        for u, _ in options:
            if u.level == "province":
                starts.setdefault(s_, set()).add(u.province)
    for (start, end), options in sorted(by_span.items()):
        units = [u for u, _ in options]
        hows = {h for _, h in options}
        # `huyện Châu Thành, Trà Vinh`: the province written right after a district decides it
        follow = re.match(r"\s*[,(-]\s*", ctx.text[end:end + 6])
        here = starts.get(end + follow.end()) if follow else None
        prefer = here or set()
        provinces = [u for u in units if u.level == "province"]
        countries = [u for u in units if u.level == "country"]
        if provinces and not ("prefixed" in hows and any(u.level != "province" for u in units)
                              and _opens_below_province(ctx, start, end)):
            unit = _pick(provinces, after, doc_provinces)
        elif countries:
            if not _country_ok(ctx, start, end, countries[0]):
                continue
            unit = countries[0]
        elif "prefixed" in hows:
            unit = _pick(units, after, doc_provinces, prefer)
            if unit is None:
                spans.append(Span(start, end, "LOC", {"province": None, "province_today": None}, "gazetteer"))
                continue
        else:
            # A bare district or commune name: only in a province the article is about.
            lower_units = [u for u in units if u.level in ("district", "ward") and doc_provinces.get(u.province_today)]
            lower_units = [u for u in lower_units if u.level == "district"] or lower_units \
                or _the_one_district_after_a_cue(ctx, start, units)
            if not lower_units:
                continue
            unit = _pick(lower_units, after, doc_provinces, prefer)
            if unit is None or (unit.level == "ward" and not _in_address(ctx, end)):
                continue
        # the unit's level: orgs tell a list of parallel bodies from an address (`_add_list_members`)
        spans.append(Span(start, end, "LOC", _norm(unit, after), "gazetteer",
                          scratch={"level": unit.level, "bare": not hows & {"prefixed", "alias"}}))
    spans = _address_chains(ctx, _not_in_lists_of_other_names(ctx, spans))
    _as_named_then(ctx, spans)
    main, _ = main_province(ctx, spans)  # a venue with no address of its own is in it
    spans.extend(_venues(ctx, spans, main))
    spans.extend(_units_abroad(ctx))
    spans.extend(_the_city_again(ctx, main))
    spans = _drop_contained(spans)  # `châu Á` inside `châu Á - Thái Bình Dương`
    starts = {sp.start for sp in spans}
    spans = [sp for sp in spans if not _a_persons_name(ctx, sp, starts) and not inside_work_title(ctx, sp.start, sp.end)]
    spans.sort(key=lambda s: s.start)
    return spans


# `TP` alone, the city the article is about written again (`chính quyền TP`, `trên địa bàn TP xảy ra`): not
# part of a longer word or name (`Sơn Tùng M-TP`, `TP.HCM`, `TP Hà Nội`), nor a level in a list (`tỉnh, TP`).
_BARE_CITY = regex.compile(r"(?<![\p{L}\d.&/-])(?<!tỉnh,[ \t])(?<!tỉnh[/-])TP(?![\p{L}\d&/-])"
                           r"(?![ \t]*\.?[ \t]*[\p{Lu}\d])")


def _the_city_again(ctx, main: str | None) -> list[Span]:
    """`TP` alone where the article is about a centrally-run city (orgs.yaml cities): that city (the
    gold of batches a-q tags 15 of the 20 written so outside a body's name, always as the article's
    city); a body's name that holds it (`UBND TP`, `Công an TP`) is found later and settles over it."""
    if main is None or main not in _central_cities():
        return []
    norm = {"province": main, "province_today": today_of(main)}
    return [Span(m.start(), m.end(), "LOC", dict(norm), "gazetteer") for m in _BARE_CITY.finditer(ctx.text)
            if not _names_no_city_after(ctx.text[max(0, m.start() - 24):m.start()])]


def _names_no_city_after(before: str) -> bool:
    """Whether the words before a bare `TP` make it part of something else: a body's acronym (`THADS
    TP`, `BHXH TP`: the body's name), a title (`Chủ tịch TP`: the office), `toàn` (`Toàn TP có 112
    điểm thi`: citywide)."""
    words = before.split()
    if not words:
        return False
    last = words[-1]
    if sum(c.isupper() for c in last) >= 2 and last.isupper() or last.lower() == "toàn":
        return True
    tail = " ".join(words[-3:]).lower()
    return any(tail == t or tail.endswith(" " + t) for t in _titles())


@lru_cache(maxsize=1)
def _central_cities() -> frozenset[str]:
    return frozenset(load_data("orgs.yaml")["cities"])


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(" ".join(t.lower().split()) for t in load_data("orgs.yaml")["titles"])


def _a_persons_name(ctx, span: Span, place_starts: set[int]) -> bool:
    """A place found by its name alone that is a person's here: in the closing byline, or a bare
    district or commune name the article gives a person (:func:`is_person_name`), unless the place
    it is in follows it (`ở Đức Thọ, Hà Tĩnh`)."""
    if in_byline(ctx.text, span.start, span.end) or is_demonym(ctx, span.start, span.end):
        return True
    if not (span.scratch.get("bare") and span.scratch.get("level") in ("district", "ward")):
        return False
    follow = re.match(r"\s*[,(]\s*", ctx.text[span.end:span.end + 6])
    return not (follow and span.end + follow.end() in place_starts) and is_person_name(ctx, span.start, span.end)


def _the_one_district_after_a_cue(ctx, start: int, units: list[Unit]) -> list[Unit]:
    """A bare name after a word for a place (`tới từ Nha Trang`, `ở Đà Lạt`; places.yaml
    `country_cues`) that the gazetteer knows as a district of one province only, and as no commune of
    another: that district, in an article that does not name its province."""
    if len({u.province_today for u in units}) != 1 or not any(u.level == "district" for u in units):
        return []
    before = FOLDED_SYLLABLE.findall(ctx.folded[max(0, start - 12):start])
    if not before or before[-1] not in _locative_cues():
        return []
    return [u for u in units if u.level == "district"]


@lru_cache(maxsize=1)
def _locative_cues() -> frozenset[str]:
    """The cue words of places.yaml that say where (`tại`, `ở`, `từ`, `đến`), not whose (`của`, `và`)."""
    return frozenset(key_of(w) for w in ("tại", "ở", "từ", "đến", "tới", "sang", "về"))


def _opens_below_province(ctx, start: int, end: int) -> bool:
    """`thị xã Quảng Trị`: a level word below a province opens the span, so a province of the same
    name is not meant."""
    words = FOLDED_SYLLABLE.findall(ctx.folded, start, end)
    return any(words[:len(key)] == key for key in _below_province_keys())


@lru_cache(maxsize=1)
def _below_province_keys() -> list[list[str]]:
    return [key_of(form).split() for lw in level_words() if "province" not in lw.levels for form in lw.forms]


def _in_address(ctx, end: int) -> bool:
    """A bare commune name counts when an address goes on after it (`Thái Thịnh, Đống Đa`)."""
    return bool(re.match(r",\s*\w", ctx.text[end:end + 3]))


# The items of a comma list next to a span that are names: capitalised words (up to four), up to the
# next comma or the end, and from the list's start or the previous comma.
_NEXT_NAME = regex.compile(r"[ \t]*,[ \t]*(\p{Lu}[\p{L}\d]*(?:[ \t]+\p{Lu}[\p{L}\d]*){0,3})(?=[ \t]*(?:[,.;:)…]|$))",
                           regex.M)
_PREVIOUS_NAME = regex.compile(r"(?:^|[,:;(][ \t]*)(\p{Lu}[\p{L}\d]*(?:[ \t]+\p{Lu}[\p{L}\d]*){0,3})[ \t]*,[ \t]*$",
                               regex.M)


def next_listed_name(text: str, end: int) -> int | None:
    """Where the name that follows a span ending at ``end`` in a comma list starts (`Hoài An, [Quốc
    Chí], ...`), or None."""
    m = _NEXT_NAME.match(text, end)
    return m.start(1) if m else None


def previous_listed_name(text: str, start: int) -> int | None:
    """Where the name before a span starting at ``start`` in a comma list starts, or None."""
    floor = max(0, start - 60)
    m = _PREVIOUS_NAME.search(text, floor, start)
    return m.start(1) if m else None


def _listed_with_other_names(ctx, end: int, place_starts) -> bool:
    """Whether a comma list goes on after a place with two names that are no place (``place_starts``:
    where the places found start): a list of people (a team's line-up `Hoài An, Quốc Chí, Duy Thanh`,
    where `Hoài An` is also a district), not an address, which goes on to the district or province,
    nor a list of places the gazetteer does not all know (`Châu Kim, Tiền Phong, Hạnh Dịch...`)."""
    for _ in range(2):
        m = _NEXT_NAME.match(ctx.text, end)
        if not m or m.start(1) in place_starts:
            return False
        end = m.end(1)
    return True


def _not_in_lists_of_other_names(ctx, spans: list[Span]) -> list[Span]:
    """The places but the bare district and commune names (no level word) that a list goes on after
    with a name that is no place; read from the list's end, so that in a line-up of names that are
    also communes (`Quốc Chí, Duy Thanh, Văn Vũ, Tấn Điền`) each goes with the one after it."""
    starts = {sp.start for sp in spans}
    dropped = set()
    for i in range(len(spans) - 1, -1, -1):
        span = spans[i]
        if span.scratch.get("bare") and span.scratch.get("level") in ("district", "ward") \
                and _listed_with_other_names(ctx, span.end, starts):
            dropped.add(i)
            starts.discard(span.start)
    return [sp for i, sp in enumerate(spans) if i not in dropped]


_RUN = regex.compile(r"(?<![\p{L}\d])(\p{Lu}\p{L}*(?:[ \t]+[\p{Lu}\d]\p{L}*){0,3})[ \t]*,[ \t]*$")


def _address_chains(ctx, spans: list[Span]) -> list[Span]:
    """`số 110, Thái Thịnh, Đống Đa, Hà Nội`: a capitalised item before a district of a known
    province, in a comma-separated address, is a place in that province too; not in a list that goes
    on after it with a name that is no place (a line-up)."""
    out = list(spans)
    place_starts = {sp.start for sp in spans}
    covered = _Coverage(len(ctx.text), spans)
    # (floor, cursor) where a walk already went on: a later walk that gets there finds every item
    # further back already in `out` (a walk goes on to its end once it has gone on once), so it stops
    # there; without this a comma list of n places was walked n times.
    walked: set[tuple[int, int]] = set()
    steps = 0
    known = sorted(spans, key=lambda s: s.start)
    for span in known:
        if not span.norm.get("province") or _listed_with_other_names(ctx, span.end, place_starts):
            continue
        sentence = ctx.sentence_of(span.start)
        floor = sentence[0] if sentence else 0
        cursor = span.start
        chain_len = 0
        while (floor, cursor) not in walked:
            steps += 1
            before = ctx.text[max(floor, cursor - 60):cursor]
            m = _RUN.search(before)
            if not m:
                break
            start = cursor - len(before) + m.start(1)
            end = start + len(m.group(1))
            if covered.holds(start):
                walked.add((floor, cursor))
                cursor, chain_len = start, chain_len + 1
                continue
            # Only when the chain already holds a district or commune (not just a province).
            if chain_len == 0 and _level_of(ctx, span) == "province":
                break
            out.append(Span(start, end, "LOC", dict(span.norm), "gazetteer"))
            covered.add(start, end)
            walked.add((floor, cursor))
            cursor, chain_len = start, chain_len + 1
    count("places.address_steps", steps)
    return out


class _Coverage:
    """Which characters of the text some span covers: one byte each, so asking costs O(1)."""

    def __init__(self, length: int, spans: list[Span]):
        self.flags = bytearray(length)
        for span in spans:
            self.add(span.start, span.end)

    def add(self, start: int, end: int) -> None:
        self.flags[start:end] = b"\x01" * (end - start)

    def holds(self, pos: int) -> bool:
        return 0 <= pos < len(self.flags) and self.flags[pos] == 1


def _level_of(ctx, span: Span) -> str:
    key = key_of(_province_prefix().sub("", ctx.text[span.start:span.end]))
    return "province" if key in gazetteer().province_keys else "lower"


@lru_cache(maxsize=1)
def _province_prefix() -> re.Pattern:
    """A province-level word opening a name, in any case, a dot after it."""
    forms = sorted((form for lw in level_words("province") for form in lw.forms), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(map(re.escape, forms)) + r")\.?\s*", re.I)


@lru_cache(maxsize=1)
def _venue_pattern() -> FoldedPhrases:
    return _word_pattern(load_data("places.yaml")["venue_words"])


@lru_cache(maxsize=1)
def _landmark_pattern() -> FoldedPhrases:
    return _word_pattern(load_data("places.yaml")["landmark_words"])


def _word_pattern(phrases) -> FoldedPhrases:
    """Any of ``phrases`` on the folded text, longest first, before a space."""
    return FoldedPhrases((key_of(w) for w in phrases), then=r"\s+(?=\S)")


@lru_cache(maxsize=1)
def _landmark_words() -> tuple[frozenset[str], frozenset[str]]:
    """The landmark nouns as written, also capitalised but those that open persons' names
    (`landmark_words_lower_case_only`), and the words before them that make a compound."""
    data = load_data("places.yaml")
    nouns = {canonical(w) for w in data["landmark_words"]}
    lower_only = {canonical(w) for w in data["landmark_words_lower_case_only"]}
    nouns |= {w[:1].upper() + w[1:] for w in nouns - lower_only if w[:1].islower()}
    return frozenset(nouns), frozenset(canonical(w) for w in data["landmark_compound_before"])


def _venue_openers(ctx):
    """Where a venue's or a landmark's name opens (the match of its noun): a landmark noun only as
    written in the data, diacritics included, or capitalised (`sông`, `Quốc lộ`, not `song`; `hồ`, not
    `Hồ Chí Minh` nor `hộ`; `QL`), on the name's line, and not ending a compound (`hội chợ`)."""
    yield from _venue_pattern().finditer(ctx)
    nouns, compounds = _landmark_words()
    for m in _landmark_pattern().finditer(ctx):
        written = ctx.text[m.start():m.end()]
        before = ctx.text[max(0, m.start() - 12):m.start()].split()
        if " ".join(written.split()) not in nouns or "\n" in written or (before and before[-1].lower() in compounds):
            continue
        if written[:1].isupper() and _after_another_name(ctx.text, m.start()):
            # capitalised after a capitalised word, it goes on a name (`Đào Vịnh Thắng`, `Quả Cầu Vàng`),
            # unless that word is a landmark noun too: the landmark opens there (`Hồ Núi Cốc`)
            opener = _landmark_pattern().pattern.match(ctx.folded, m.start() - len(before[-1]) - 1) if before else None
            if opener and opener.end() == m.start() and before[-1].lower() in nouns:
                yield opener
            continue
        yield m


# A capitalised name, or a number after `số` (`đường số 13`); its last word may keep one lower-case
# syllable when the clause ends there (`Hội trường Sở Y tế,`, `Hội trường Thành ủy.`), after a word,
# not after a number (`vốn cho metro số 2 thiếu;`). A spaced dash
# joins the places a road or a junction links (`cao tốc Ninh Bình - Hải Phòng - Quảng Ninh`, `nút giao
# Ô Chợ Dừa - Hoàng Cầu`). A year after the name's first word is the year of what the sentence
# names, not part of the place (`lễ hội khai ấn đền Trần 2017`); a number first is (`Quốc lộ 1`).
_VENUE_NAME = regex.compile(r"(?:số[ \t]+(?=\d))?[\p{Lu}\d][\p{L}\d'&]*"
                            r"(?:(?:[ -]|[ \t]+[-–][ \t]+)(?!(?:1[89]|20)\d\d(?![\p{L}\d]))[\p{Lu}\d][\p{L}\d'&]*){0,5}"
                            r"(?:(?<=(?<![\p{L}\d'&])\p{Lu}[\p{L}'&]*) \p{Ll}+(?=[,.;:)]|$))?")


def _venues(ctx, places: list[Span], main: str | None) -> list[Span]:
    """`khách sạn Thắng Lợi`, `Hội trường UBND tỉnh`: a venue word and a capitalised name."""
    out = []
    by_start = sorted(range(len(places)), key=lambda k: places[k].start)  # places by start, as indexes
    starts = [places[k].start for k in by_start]

    def starting_in(lo: int, hi: int) -> list[Span]:
        """The places that start in [lo, hi], in the order of ``places``."""
        found = by_start[bisect.bisect_left(starts, lo):bisect.bisect_right(starts, hi)]
        return [places[k] for k in sorted(found)]
    for m in _venue_openers(ctx):
        name = _VENUE_NAME.match(ctx.text, m.end())
        if not name:
            continue
        start, end = m.start(), name.end()
        for key in _known_venues():
            if ctx.folded.startswith(key, start) and not ctx.folded[start + len(key):start + len(key) + 1].isalnum():
                end = max(end, start + len(key))  # `Trung tâm Hội nghị Quốc gia`: the whole known name
        # The province: an address right after the venue, else the article's province.
        sentence = ctx.sentence_of(start) or (start, len(ctx.text))
        nearby = [p for p in starting_in(end, min(sentence[1], end + 80)) if p.norm.get("province")
                  and _address_between(ctx.text[end:p.start])]
        inside = [p for p in starting_in(start, end) if p.end <= end and p.norm.get("province")]
        chosen = (inside or nearby)
        known = _known_venues().get(key_of(ctx.text[start:end]))
        if known:
            norm = {"province": known, "province_today": today_of(known)}
        elif len({p.norm["province"] for p in inside if p.scratch.get("level") == "province"}) > 1:
            norm = {"province": None, "province_today": None}  # a road between provinces (guide)
        elif chosen:
            norm = dict(chosen[-1].norm) if nearby and not inside else dict(chosen[0].norm)
        else:
            norm = {"province": main, "province_today": today_of(main)}
        out.append(Span(start, end, "LOC", norm, VENUE_SOURCE))
    return out


@lru_cache(maxsize=1)
def _unit_abroad_pattern() -> tuple[regex.Pattern, frozenset[str] | None]:
    """A unit word (places.yaml `foreign_unit_words`, or a level word as written) and the capitalised
    name after it (words joined by spaces or hyphens); and the syllables a unit word opens with."""
    words = set(load_data("places.yaml")["foreign_unit_words"]) | {lw.word for lw in level_words()}
    shorts = {short for lw in level_words() for short in lw.short}  # `TP`, `TP.`: a dot only after these
    alternatives = [regex.escape(w).replace(r"\ ", r"[ \t]+") + r"[ \t]+" for w in words]
    alternatives += [regex.escape(w) + r"(?:\.[ \t]*|[ \t]+)" for w in shorts]
    pattern = regex.compile(r"(?<![\p{L}\d])(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")"
                            r"(\p{Lu}\p{Ll}[\p{L}']*(?:(?:[ \t]+|-)\p{Lu}\p{Ll}[\p{L}']*){0,3})")  # no acronym (`TP.HCM`)
    return pattern, opening_syllables(words | shorts)


def _units_abroad(ctx) -> list[Span]:
    """`bang Telangana`, `thủ đô Kinshasa`, `tỉnh Homs`, `TP Medan`: a unit word and a name abroad, one
    LOC with no province. Abroad: a name the gazetteer knows as a country or city abroad, or one
    it does not know with a syllable no Vietnamese word has (`Homs`; not `Hà Bắc`, which may be an
    old unit of Vietnam)."""
    out = []
    gaz = gazetteer()
    _, compounds = _landmark_words()
    for m in matches_at_openings(ctx, *_unit_abroad_pattern()):
        before = ctx.text[max(0, m.start() - 12):m.start()].split()
        if before and before[-1].lower() in compounds:
            continue  # `Cục Điều tra Liên bang Mỹ`: a federal body, not a state
        name = m.group(1)
        units = gaz.units.get(key_of(name), ())
        if any(u.level != "country" for u in units):
            continue  # a unit of Vietnam: the gazetteer's finders read it
        foreign = [w for w in FOLDED_SYLLABLE.findall(fold_query(name)) if not vietnamese_syllable(w)]
        if units or foreign:
            out.append(Span(m.start(), m.end(), "LOC", {"province": None, "province_today": None}, "gazetteer"))
    return out


def _address_between(between: str) -> bool:
    """Whether the text between a venue and a place is an address (`số 110, Thái Thịnh, `): commas,
    numbers and capitalised names only, not a clause."""
    if re.search(r"[.;:!?()]", between):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in ("số", "đường", "phố", "ngõ", "ngách")
               for w in re.findall(r"[^\s,]+", between))


@lru_cache(maxsize=1)
def _known_venues() -> dict[str, str]:
    return {key_of(k): v for k, v in (load_data("places.yaml").get("known_venues") or {}).items()}


def _as_named_then(ctx, spans: list[Span]) -> None:
    """A province renamed without a merger (`Thừa Thiên Huế` -> `Huế`) keeps its old name in
    articles from before the change, and in undated ones, read as from before as they are for the
    merger (:func:`is_after_merger`): one era for every province an undated article names."""
    when = ctx.document.date if ctx.document else None
    for r in load_data("places.yaml").get("renamed") or []:
        if not when or when < r["date"][: len(when)]:
            for s in spans:
                if s.norm.get("province") == r["new"]:
                    s.norm["province"] = r["old"]


@lru_cache(maxsize=1)
def _model_name_prefix() -> re.Pattern:
    """A level word opening the folded key of a name the trained model found."""
    keys = sorted({key_of(form) for form in level_forms()}, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(map(re.escape, keys)) + r")\b\.?\s*")


def place_norm(ctx, start: int, end: int) -> dict:
    """``norm`` for a LOC span found by other means (the trained model)."""
    after = is_after_merger(ctx)
    for p in ctx.places or ():
        if p.start <= start and end <= p.end or start <= p.start and p.end <= end:
            if p.norm.get("province"):
                return dict(p.norm)
    key = _model_name_prefix().sub("", key_of(ctx.text[start:end]))
    units = gazetteer().units.get(key, [])
    if any(u.level == "country" for u in units):
        return {"province": None, "province_today": None}
    main = ctx.document.province if ctx.document else None
    counts = Counter({today_of(main): 1}) if main else Counter()
    provinces = [u for u in units if u.level == "province"]
    unit = _pick(provinces or units, after, counts)
    if unit is not None:
        return _norm(unit, after)
    return {"province": main, "province_today": today_of(main)}
