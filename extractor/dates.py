"""DATE finder: calendar days, months, quarters, years and ranges of them (guide: DATE).

Patterns run over ``ctx.folded`` (lower case, no diacritics, same length as the canonical text),
so ``Ngày 29 tháng 5``, ``NGÀY 29 THÁNG 5`` and ``ngay 29 thang 5`` are one pattern. Each match is
an *atom* (a day, a month, a quarter, a year or a compact range) holding its parsed parts; atoms
joined by ``từ X đến Y`` or ``X - Y`` become one range span; parts missing a year take the
document's year (guide, settled cases); finally every atom becomes a ``Span`` with its ISO value.

Relative and spoken dates (``hôm qua``, ``chiều nay``, ``tuần tới``, ``năm ngoái``, ``thứ Hai vừa
qua``, ``cuối năm``) are atoms of their own, found by a second set of patterns; their value is
computed from the input's ``published`` and is null without it, while ``norm.relative`` always says
what they are (``day-1``, ``week+1``, ``mon-1``; guide, DATE). A weekday joins the date written after
it (``thứ Sáu ngày 14/7``); a relative year joins the day or month before it (``11-7 năm nay``).

Not DATE: durations (``6 tháng``, ``10 năm``, ``3 tháng tới``: a number before the unit word), clock
times, lunar dates (``tháng Giêng``, ``15/8 âm lịch``). The words the finder reads are in
``data/dates.yaml``.
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from functools import lru_cache

import regex

from .clean import fold
from .context import stage
from .models import Span
from .resources import load_data
from .spans import keep_longest
from .tokens import FOLDED_SYLLABLE, TokenList, document_tokens
from .work import count



@dataclass
class Atom:
    """One date expression before values are computed: parsed parts and its span."""

    start: int
    end: int
    kind: str  # day, month, quarter, year, years, days, months, decade
    y: int | None = None
    m: int | None = None
    d: int | None = None
    y2: int | None = None  # end of a compact range
    m2: int | None = None
    d2: int | None = None
    year_digits: int = 4  # a 5-digit year ("25/3/20210") makes the date impossible; 2: "12/5/98"
    range_only: bool = False  # "ngày 6" alone is no date, only the start of a range; "2 năm nay" only after a date
    list_only: bool = False  # a bare "16/2" is a date only after another in a list ("ngày 15 và 16/2")
    # A relative date: its unit (day, week, month, year; "weekday" for "thứ Hai vừa qua"), the
    # offset in that unit from the article's date, and a weekday (1 = Monday ... 7 = Sunday).
    rel_unit: str | None = None
    rel_offset: int = 0
    weekday: int | None = None

    @property
    def relative(self) -> str | None:
        """``norm.relative`` (guide, DATE): ``day-1``, ``week+1``, ``week-1/mon``, ``mon-1``, ``year+0``."""
        if self.rel_unit is None:
            return None
        if self.rel_unit == "weekday":
            return f"{_WEEKDAY_NAMES[self.weekday - 1]}{self.rel_offset:+d}"
        day = f"/{_WEEKDAY_NAMES[self.weekday - 1]}" if self.weekday else ""
        return f"{self.rel_unit}{self.rel_offset:+d}{day}"


_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _words(words: list[str]) -> str:
    """Alternation of folded words, longest first, spaces matching any run of spaces."""
    folded = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in folded)


def _written_words(words: list[str]) -> str:
    """Alternation of words as written, lower case (matched on the lower-cased canonical text)."""
    lowered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in lowered)


def word_alternation(words: list[str], folded: bool) -> str:
    """A regex alternation of ``words``: folded (for the folded text) or as written, lower case."""
    return _words(words) if folded else _written_words(words)


@lru_cache(maxsize=4)
def _words_before(key: str, folded: bool) -> regex.Pattern:
    """The words of ``dates.yaml``'s list ``key`` ending right before a date (folded, or as written:
    `tối 20/5` is an evening, `tới 2030` a target), REVERSE."""
    words = word_alternation(load_data("dates.yaml")[key], folded=folded)
    return regex.compile(rf"(?:^|[^\w])(?:{words})\s*$", regex.REVERSE)


@lru_cache(maxsize=2)
def _not_happened(folded: bool) -> regex.Pattern:
    """Words near a date that make it planned or in force, not happened (folded, or as written)."""
    words = word_alternation(load_data("dates.yaml")["not_happened_in_sentence"], folded=folded)
    return regex.compile(rf"(?<!\w)(?:{words})(?!\w)")


TARGET_WINDOW = 30  # characters before a date where `đến`, `từ`, `tầm nhìn` make it a target or a start


def written_after(ctx, start: int, key: str) -> bool:
    """Whether the date at ``start`` follows one of the words of ``dates.yaml``'s list ``key``
    (``target_before``: `đến năm 2030`; ``life_date_before``: `SN 1964`)."""
    source = ctx.folded if ctx.without_diacritics else ctx.text
    before = source[max(0, start - TARGET_WINDOW):start]
    return bool(_words_before(key, ctx.without_diacritics).search(before if ctx.without_diacritics else before.lower()))


PLANNED_BEFORE, PLANNED_AFTER = 60, 25  # characters around a date where "sẽ", "dự kiến"... speak of it


def is_planned(ctx, start: int, end: int) -> bool:
    """A date in a question, or near words that make it what will be or a rule in force (``sẽ``,
    ``dự kiến``, ``có hiệu lực``): its clause, up to PLANNED_BEFORE characters before it and
    PLANNED_AFTER after it, within its sentence and between semicolons."""
    sentence = ctx.sentence_of(start)
    if sentence is None:
        return False
    source = ctx.folded if ctx.without_diacritics else ctx.text
    if source[sentence[0]:sentence[1]].rstrip().endswith("?"):
        return True
    before = source[max(sentence[0], start - PLANNED_BEFORE):start].rsplit(";", 1)[-1]
    after = source[end:min(sentence[1], end + PLANNED_AFTER)].split(";", 1)[0]
    pattern = _not_happened(ctx.without_diacritics)
    return any(pattern.search(part.lower()) for part in (before, after))


@dataclass(frozen=True)
class _WordTest:
    """Words looked for right before or after a match: with their diacritics on the canonical text
    (``đó`` is not ``do``), or folded when the document has none."""

    written: regex.Pattern
    folded: regex.Pattern
    before: bool

    @classmethod
    def of(cls, words: list[str], before: bool) -> "_WordTest":
        if before:
            fmt = r"(?:^|[^\w])(?:{})\s*$"
            flags = regex.REVERSE
        else:
            fmt = r"\s*(?:{})(?!\w)"
            flags = 0
        return cls(regex.compile(fmt.format(_written_words(words)), flags),
                   regex.compile(fmt.format(_words(words)), flags), before)

    def found(self, text: str, folded: str, start: int, end: int, plain: bool) -> bool:
        """The words stand right before ``start`` (``before``) or right after ``end``."""
        source, pattern = (folded, self.folded) if plain else (text, self.written)
        if self.before:
            return pattern.search(source[max(0, start - 40):start].lower()) is not None
        return pattern.match(source[end:end + 40].lower()) is not None


@dataclass(frozen=True)
class _Relative:
    """The words of relative dates (``relative`` in ``data/dates.yaml``), each keyed as written,
    lower case, with its folded twin for text without diacritics."""

    patterns: tuple[tuple[str, regex.Pattern], ...]  # (kind, pattern on the folded text)
    # kind -> the folded syllables its pattern opens with (None: it may open otherwise)
    openers: dict[str, frozenset[str] | None]
    days: dict[str, int]
    day_part_days: dict[str, int]
    day_parts: frozenset[str]
    units: dict[str, dict[str, int]]  # tuần/tháng/năm -> word -> offset
    positions: frozenset[str]
    weekdays: dict[str, int]
    weekday_words: dict[str, int]
    weekday_before: dict[str, int]  # `hôm thứ Sáu`: the word before a weekday, the offset it gives
    count_before: _WordTest  # "những năm trước", "mỗi tuần" (and a number: "3 tháng tới")
    not_before: _WordTest  # "năm trước đó"
    not_before_shifted: _WordTest  # "tháng sau khi" (but "năm nay khi" is this year)
    day_count_before: _WordTest  # "mấy hôm nay": these past days
    day_not_after: _WordTest  # "như hôm nay": as now
    age_after: _WordTest  # "năm nay 41 tuổi": the age's year
    position_not_after: _WordTest  # "6 tháng đầu năm", "dịp đầu năm"
    position_not_before: regex.Pattern  # folded: "cuối năm học", "cuối năm 2016", "cuối tháng Mười"
    weekday_not_after: regex.Pattern  # REVERSE, folded: "lần thứ 4 tới"


_UNIT_NAMES = {"tuần": "week", "tháng": "month", "năm": "year"}


def _first_syllables(words) -> frozenset[str] | None:
    """The folded first word of each of ``words``, or None if one is not a single syllable of
    :data:`FOLDED_SYLLABLE` (then its pattern is tried wherever any relative form may open)."""
    first = frozenset(fold(str(w)).split()[0] for w in words)
    return first if all(map(FOLDED_SYLLABLE.fullmatch, first)) else None


def _relative_patterns(data: dict, month_words: list[str]) -> _Relative:
    rel = data["relative"]
    units = {unit: {str(w): int(v) for w, v in words.items()} for unit, words in rel["units"].items()}
    unit_words = [w for words in units.values() for w in words]
    weekdays = {str(k).lower(): int(v) for k, v in rel["weekdays"].items()}
    day_parts = rf"(?:{_words(rel['day_parts'])})"
    wd = rf"(?P<wd>{_words(list(weekdays))})"
    patterns = (
        ("rel_day", rf"(?:{day_parts}\s+)?(?P<word>{_words(list(rel['days']) + list(rel['day_part_days']))})"),
        ("rel_unit", rf"(?P<unit>{_words(list(units))})\s+(?P<word>{_words(unit_words)})"),
        ("rel_position", rf"(?P<pos>{_words(rel['positions'])})\s+(?P<unit>{_words(list(units))})"),
        ("rel_weekday", rf"{wd}\s+(?:(?P<word>{_words(list(rel['weekday_words']))})"
                        rf"|(?P<unit>{_words(['tuần'])})\s+(?P<uword>{_words(list(units['tuần']))}))"),
        ("past_weekday", rf"(?P<word>{_words(list(rel['weekday_before']))})\s+{wd}"),
        ("weekday", wd),
    )
    # (no first-character lookahead here: the regex module scans literal alternations faster without)
    compiled = tuple((kind, regex.compile(rf"(?<![\w/.,-]){pattern}(?!\w)")) for kind, pattern in patterns)
    opening_words = {"rel_day": [*rel["day_parts"], *rel["days"], *rel["day_part_days"]], "rel_unit": list(units),
                     "rel_position": rel["positions"], "rel_weekday": list(weekdays), "weekday": list(weekdays),
                     "past_weekday": list(rel["weekday_before"])}
    follow = rel["position_not_before"] + unit_words + month_words
    return _Relative(
        patterns=compiled,
        openers={kind: _first_syllables(words) for kind, words in opening_words.items()},
        days={str(k): int(v) for k, v in rel["days"].items()},
        day_part_days={str(k): int(v) for k, v in rel["day_part_days"].items()},
        day_parts=frozenset(rel["day_parts"]),
        units=units,
        positions=frozenset(rel["positions"]),
        weekdays=weekdays,
        weekday_words={str(k): int(v) for k, v in rel["weekday_words"].items()},
        weekday_before={str(k): int(v) for k, v in rel["weekday_before"].items()},
        count_before=_WordTest.of(rel["count_words"], before=True),
        not_before=_WordTest.of(rel["not_before"], before=False),
        not_before_shifted=_WordTest.of(rel["not_before_shifted"], before=False),
        day_count_before=_WordTest.of(rel["day_count_words"], before=True),
        day_not_after=_WordTest.of(rel["day_not_after"], before=True),
        age_after=_WordTest(*(regex.compile(rf"\s*\d+\s*(?:{alternation})(?!\w)") for alternation in
                              (_written_words(rel["age_after"]), _words(rel["age_after"]))), before=False),
        position_not_after=_WordTest.of(rel["position_not_after"], before=True),
        position_not_before=regex.compile(rf"\s*(?:\d|(?:{_words(follow)})(?!\w))"),
        weekday_not_after=regex.compile(rf"(?:^|[^\w])(?:{_words(rel['weekday_not_after'])})\s*$", regex.REVERSE),
    )


def _days_said_before_a_date(rel: dict) -> list[str]:
    """The relative days and weekdays that may stand before a day set off by a comma (``hôm nay, 8-5,``,
    ``thứ Sáu, 14/7``): the written day is the one they name (guide: DATE, a relative day gives way)."""
    days = [*rel["days"], *(f"{part} {day}" for part in rel["day_parts"] for day in rel["day_part_days"])]
    return [*days, *rel["weekdays"]]


@dataclass(frozen=True)
class _Patterns:
    atoms: regex.Pattern
    bare_day_lead: regex.Pattern  # a time-of-day word right before a bare "26/5"
    range_open: regex.Pattern  # "từ " right before the first date of a range
    range_join: regex.Pattern  # what may stand between the two dates of a range
    named_day: regex.Pattern  # "Ngày Dân số thế giới " before "11-7" (canonical text)
    quarters: dict[str, int]
    quarter_words: frozenset[str]  # "quý", "quí" and their folded forms
    month_year_lead: regex.Pattern  # REVERSE: "từ ", "đến " before a bare "7/2010"
    named_day_before: regex.Pattern  # REVERSE: "Quốc khánh ", "Valentine " before a bare "2/9"
    not_decade_before: regex.Pattern  # "những năm 20 tuổi": an age
    month_names: dict[str, int]  # canonical month word -> month
    not_year_after: regex.Pattern
    not_year_before: regex.Pattern
    ordinal_number: regex.Pattern  # "lần thứ 2 " before "năm 2017": an edition, no duration
    min_year: int
    max_year: int
    max_bare_range: int
    relative: _Relative
    lunar_after: regex.Pattern  # "âm lịch" after a day or month: a lunar date
    month_word_after: _WordTest  # "tháng sáu tới": the lower-case month word is a month
    month_word_not_after: _WordTest  # "mỗi tháng hai lần": a count
    month_word_time_before: _WordTest  # "hồi giữa tháng hai": a time word before the month


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    data = load_data("dates.yaml")
    day_lead = rf"(?:(?:{_words(data['day_leads'])})\s+)"
    month = regex.escape(fold(data["month_lead"]))
    year = regex.escape(fold(data["year_lead"]))
    quarter_words = [data["quarter_lead"], *data["quarter_lead_spellings"]]
    quarter = _words(quarter_words)
    period = _words(data["period_leads"])
    y4 = r"\d{4,5}"  # five digits: a typo kept as an impossible date
    # `/2023`, `-2023`, `.2023` (`tháng 11.2016`: a dot only right before four digits), `năm 2023`
    sep_year = rf"(?:\s*[/-]\s*(?P<y>{y4})|\.(?P<y>\d{{4}})|,?\s+{year}\s+(?P<y>{y4}))"
    # At one position the first alternative that matches is taken: longer forms come first.
    alternatives = [
        # 29/5/2025, 29-5-2025, 29.5.2025 (same separator twice), with or without "ngày"; a stray space
        # before the year is the same date ("ngày 1-1- 2018")
        rf"(?P<full>{day_lead}?(?P<d>\d{{1,2}})(?P<s>[/.-])(?P<m>\d{{1,2}})(?P=s) ?(?P<y>{y4}))",
        # 12/5/98: a two-digit year
        rf"(?P<full2>(?P<lead>{day_lead})?(?P<d>\d{{1,2}})(?P<s>[/.-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d\d))",
        # ngày 12 tháng Sáu (năm 2025), 12 tháng sáu năm 2025: the month in words
        rf"(?P<text_name>(?P<lead>{day_lead})?(?P<d>\d{{1,2}})\s+{month}\s+(?P<mn>{_words(list(data['month_names']))}){sep_year}?)",
        # ngày 29 tháng 5 năm 2025 / 29 tháng 5 năm 2025 / ngày 29 tháng 5
        rf"(?P<text>(?P<lead>{day_lead})?(?P<d>\d{{1,2}})\s+{month}\s+(?P<m>\d{{1,2}}){sep_year}?)",
        # ngày 6, 7, 8, 9 tháng 7; ngày 25, 26 và 27/9/2014: three or more days (checked later: consecutive)
        rf"(?P<day_run>{day_lead}(?P<d>\d{{1,2}})(?P<middle>(?:\s*,\s*\d{{1,2}})+)\s*(?:,|va)\s*(?P<d2>\d{{1,2}})"
        rf"(?:\s+{month}\s+|[/.-])(?P<m>\d{{1,2}})(?:[/.-](?P<y>{y4})|\s+{year}\s+(?P<y>{y4}))?)",
        # ngày 6-9/5/2025, ngày 9 - 21/5, and (checked later) từ 17-18/5, sáng 13-14/6
        rf"(?P<days>(?P<lead>{day_lead})?(?P<d>\d{{1,2}})\s*-\s*(?P<d2>\d{{1,2}})[/.-](?P<m>\d{{1,2}})(?:[/.-](?P<y>{y4}))?)",
        # ngày 22/12, ngày 22-12 (the lead makes it a date) and a bare 22/12 (checked later)
        rf"(?P<dm>(?P<lead>{day_lead})?(?P<d>\d{{1,2}})(?P<s>[/.-])(?P<m>\d{{1,2}}))",
        # ngày 6 (only as the start of a range: "từ ngày 6 đến ngày 9/5/2025"; also "từ 12 đến 22/5")
        rf"(?P<day>(?P<lead>{day_lead})?(?P<d>\d{{1,2}})(?!\d))",
        # 6/1970-12/1979 (a CV's line): a range of months over years, no lead word or "tháng" before it
        rf"(?P<month_years>(?:{month}\s+)?(?P<m>\d{{1,2}})/(?P<y>\d{{4}})\s*-\s*(?P<m2>\d{{1,2}})/(?P<y2>\d{{4}}))",
        # 7/2010: a month of a year with no lead word (checked later: only after "từ", "đến")
        rf"(?P<month_year>(?P<m>\d{{1,2}})/(?P<y>\d{{4}}))",
        # tháng 1-6/2024
        rf"(?P<months>{month}\s+(?P<m>\d{{1,2}})\s*-\s*(?P<m2>\d{{1,2}})\s*[/-]\s*(?P<y>{y4}))",
        # tháng 7/2023, tháng 7 năm 2023, tháng 7
        rf"(?P<month>{month}\s+(?P<m>\d{{1,2}}){sep_year}?)",
        # tháng Một, tháng Giêng (checked for capitals on the canonical text)
        rf"(?P<month_name>{month}\s+(?P<mn>{_words(list(data['month_names']))}){sep_year}?)",
        # những năm 1990, thập niên 1990
        rf"(?P<decade>(?:{_words(data['decade_leads'])})\s+(?P<y>\d{{3}}0|[1-9]0)"
        rf"(?:\s+cua\s+the\s+k[yi]\s+(?P<century>truoc|[ivx]+|\d{{1,2}}))?)",
        # quý II/2024, quý 2 năm 2024, quý III
        rf"(?P<quarter>(?:{quarter})\s+(?P<q>iv|i{{1,3}}|[1-4]){sep_year}?)",
        # giai đoạn 2021-2025, nhiệm kỳ 2016 - 2018, giai đoạn từ 2021 đến 2025, năm học 2023-2024
        rf"(?P<period>(?:{period})\s+(?:tu\s+(?:{year}\s+)?)?(?P<y>\d{{4}})\s*(?:-|den|toi)\s*(?:{year}\s+)?(?P<y2>\d{{4}}))",
        # mùa giải 2016/17, mùa 2017-2018: a season, a range of two years
        rf"(?P<season>(?:{_words(data['season_leads'])})\s+(?P<y>\d{{4}})\s*[/-]\s*(?P<y2>\d{{4}}|\d\d))",
        # năm 2022, năm 2014-2016
        rf"(?P<year>{year}\s+(?P<y>\d{{4}})(?:\s*-\s*(?P<y2>\d{{4}}))?)",
        # 2019 - 2025 with no lead word
        r"(?P<bare_years>(?P<y>(?:1[89]|2[01])\d\d)\s*-\s*(?P<y2>(?:1[89]|2[01])\d\d))",
        # 2016/17, 2016/2017 with no lead word: a season (checked later: years that follow each other)
        r"(?P<bare_season>(?P<y>(?:19|20)\d\d)/(?P<y2>\d{4}|\d\d))",
        # 2017 with no lead word (checked against its neighbours later)
        r"(?P<bare_year>(?P<y>(?:19|20)\d\d))",
    ]
    # Every form starts with a digit or a lead word: a cheap first test at each position.
    leads = data["day_leads"] + data["period_leads"] + data["decade_leads"] + data["season_leads"] + [
        data["month_lead"], data["year_lead"], *quarter_words]
    first = "".join(sorted({fold(w)[0] for w in leads}))
    atoms = regex.compile(
        rf"(?=[0-9{first}])(?<![\w/.,-])(?:" + "|".join(alternatives) + r")(?!\w|[/.,-]\d)",
        regex.V0,
    )
    return _Patterns(
        atoms=atoms,
        bare_day_lead=regex.compile(rf"(?:^|[^\w])(?:(?:{_words(data['bare_day_leads'])})\s*\(?"
                                    rf"|(?:{_words(_days_said_before_a_date(data['relative']))})\s*,)\s*$", regex.REVERSE),
        range_open=regex.compile(rf"(?:^|[^\w])(?P<open>{_words(data['range_open'])})\s+$", regex.REVERSE),
        range_join=regex.compile(rf"\s*(?:{_words(data['range_join'])})\s*"),
        # A named day: "Ngày" + a capitalized word + up to five more words, then the date.
        named_day=regex.compile(r"(?:^|[^\w])Ngày\s+\p{Lu}\w*(?:\s+\w+){0,5}\s+$", regex.REVERSE),
        quarters={str(k).lower(): int(v) for k, v in data["quarters"].items()},
        quarter_words=frozenset(w.lower() for w in quarter_words) | frozenset(fold(w) for w in quarter_words),
        month_year_lead=regex.compile(rf"(?:^|[^\w])(?:{_words(data['month_year_leads'])})\s+$", regex.REVERSE),
        named_day_before=regex.compile(rf"(?:^|[^\w])(?:{_words(data['named_day_before'])})\s+$", regex.REVERSE),
        not_decade_before=regex.compile(rf"\s+(?:{_words(data['not_decade_before'])})(?!\w)"),
        month_names={str(k): int(v) for k, v in data["month_names"].items()},
        not_year_after=regex.compile(rf"(?:^|[^\w])(?:{_words(data['not_year_after'])})\s*$", regex.REVERSE),
        not_year_before=regex.compile(rf"\s+(?:{_words(data['not_year_before'])})(?!\w)"),
        ordinal_number=regex.compile(rf"(?:^|[^\w])(?:{_words(data['ordinal_before_year'])})\s+\d+\s*$", regex.REVERSE),
        min_year=int(data["min_year"]),
        max_year=int(data["max_year"]),
        max_bare_range=int(data["max_bare_range_years"]),
        relative=_relative_patterns(data, list(data["month_names"])),
        lunar_after=regex.compile(rf"\s*\(?\s*(?:{_words(data['lunar_after'])})(?!\w)"),
        month_word_after=_WordTest.of(data["month_word_after"], before=False),
        month_word_not_after=_WordTest.of(data["month_word_not_after"], before=True),
        month_word_time_before=_WordTest.of(data["month_word_time_before"], before=True),
    )


# Lead words whose folded form is another word's too: "năm" and the "Nam" of "Việt Nam"; "tháng" opening
# a date and "thắng" (won), "thẳng" (straight), "thang" (a scale: "chấm theo thang 10"); between a day and
# a month a "thang" is a typo of tháng ("ngày 21 thang 6 năm 2017")
_FOLDED_TWINS = ((regex.compile(r"(?<!\w)nam(?!\w)"), "năm"), (regex.compile(r"^thang(?!\w)"), "tháng"))
# "6 tháng", "10 năm": a duration, not a date; not the end of a code ("U20 năm nay") nor a number on the
# line before ("tháng 5/2017\nTháng vừa qua")
_NUMBER_BEFORE = regex.compile(r"(?<!\w)\d+[^\S\n]*\Z")
_NUMBER_AFTER = regex.compile(r"\s*(?:%|\d)")


def _int(match: regex.Match, name: str) -> int | None:
    value = match.group(name)
    return int(value) if value else None


def _is_word(text: str, start: int, end: int, word: str, plain: bool) -> bool:
    """The canonical text holds ``word`` at ``start`` ("năm", not the "Nam" of "Việt Nam"), or
    only its folded form when the document is written without diacritics."""
    written = text[start:end].lower()
    return written == word or (plain and written == fold(word))


@dataclass
class _Read:
    """One match of the atom pattern and what its parser may look at around it."""

    match: regex.Match
    text: str  # canonical
    folded: str
    p: _Patterns
    plain: bool  # the document is written without diacritics

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()

    @property
    def before(self) -> str:
        """The folded text just before the match, where the context words are."""
        return self.folded[max(0, self.start - 40):self.start]

    def number(self, name: str) -> int | None:
        return _int(self.match, name)

    def optional_year(self) -> tuple[int | None, int]:
        """(year, digits) of an optional year: a missing one counts as well formed."""
        y = self.match.group("y")
        return (int(y), len(y)) if y else (None, 4)


def _names_nam_wrongly(match: regex.Match, text: str, folded: str, plain: bool) -> bool:
    """A "nam" the pattern read that is not the word năm (the "Nam" of "Việt Nam"), or a "thang" that
    is not tháng ("thắng 1 trận", "duỗi thẳng 8 tuyến")."""
    start, end = match.span()
    return any(not _is_word(text, start + m.start(), start + m.end(), word, plain)
               for pattern, word in _FOLDED_TWINS for m in pattern.finditer(folded[start:end]))


def _atom(match: regex.Match, text: str, folded: str, p: _Patterns, plain: bool) -> Atom | None:
    """Turn one regex match into an Atom, or None when the context says it is no date."""
    kind = next(k for k in _PARSERS if match.start(k) >= 0)
    if _names_nam_wrongly(match, text, folded, plain):
        return None
    return _PARSERS[kind](_Read(match, text, folded, p, plain))


def _full_day(r: _Read) -> Atom | None:
    """29/5/2025, 29-5-2025, 29.5.2025: day, month and year, with or without "ngày"."""
    y = r.match.group("y")
    return Atom(r.start, r.end, "day", int(y), r.number("m"), r.number("d"), year_digits=len(y))


def _full_day_short_year(r: _Read) -> Atom | None:
    """12/5/98: a two-digit year (its century is chosen later, from the article's year); with dots
    only after "ngày" or a time of day, and never a number ("số 1/2/15")."""
    if r.p.not_year_after.search(r.before):
        return None
    if r.match.group("s") == "." and not (r.match.group("lead") or r.p.bare_day_lead.search(r.before)):
        return None
    return Atom(r.start, r.end, "day", r.number("y"), r.number("m"), r.number("d"), year_digits=2)


def _day_in_words(r: _Read) -> Atom | None:
    """ngày 29 tháng 5 (năm 2025), ngày 12 tháng Sáu, 12 tháng sáu năm 2025: a date only with "ngày" or
    a year, else "3 tháng 5" is a duration."""
    if not r.match.group("lead") and not r.match.group("y"):
        return None
    if _NUMBER_BEFORE.search(r.before):
        return None
    month = _month_word(r) if r.match.group("mn") else r.number("m")
    if month is None:
        return None
    y, digits = r.optional_year()
    return Atom(r.start, r.end, "day", y, month, r.number("d"), year_digits=digits)


# After a bare "1-3" or "4/6", a unit of time or age makes it a count ("tước GPLX từ 1-3 tháng"), and
# a bound a mark ("từ 8/10 trở lên"); as written, lower case ("chiều 10-2 Ngày 10-2" has the next
# sentence's day after it), and not a year after it ("11-7 năm nay", "14/2 năm 2017")
_AMOUNT_AFTER = regex.compile(r"\s+(?:tháng|năm(?!\s+(?:\d|nay|ngoái|tới|sau|trước))|ngày|tuần|tuổi|giờ|phút|lần"
                              r"|điểm|trở lên|trở xuống)(?!\w)")


def _days(r: _Read) -> Atom | None:
    """ngày 6-9/5/2025, ngày 9 - 21/5: a range of days in one month, the first day first; without
    `ngày` only after `từ` or a time of day (`diễn ra từ 17-18/5`, `sáng 13-14/6`), as a bare 9.6 is."""
    d, d2 = r.number("d"), r.number("d2")
    if d is None or d2 is None or d >= d2 or d2 > 31:
        return None
    # "hai ngày (29 - 30/6)", not a team's formation "(3-4-3)"
    in_brackets = r.before.rstrip().endswith("(") and r.folded[r.end:r.end + 1] == ")" \
        and r.folded[r.match.start("m") - 1] in "/."
    if not r.match.group("lead") and not (r.number("m") and (r.p.range_open.search(r.before)
                                                             or r.p.bare_day_lead.search(r.before) or in_brackets)):
        return None  # (without `ngày` and a month, `từ 20-30%`, `từ 36-42 triệu đồng` are amounts)
    return Atom(r.start, r.end, "days", r.number("y"), r.number("m"), d, d2=d2)


def _day_run(r: _Read) -> Atom | None:
    """ngày 6, 7, 8, 9 tháng 7; các ngày 25, 26 và 27/9/2014: consecutive days sharing a month are one
    range (guide: readers f, k); days that skip are a list, read day by day."""
    days = [r.number("d"), *map(int, regex.findall(r"\d+", r.match.group("middle"))), r.number("d2")]
    if any(b != a + 1 for a, b in zip(days, days[1:])):
        return None
    y, digits = r.optional_year()
    return Atom(r.start, r.end, "days", y, r.number("m"), days[0], d2=days[-1], year_digits=digits)


def _day_month(r: _Read) -> Atom | None:
    """ngày 22/12, and a bare 26/5 after a time-of-day word or a clock time (``vào 1h45, 4/6``), in
    brackets, after a named day (``Quốc khánh 2/9``), before the colon of a headline (``Giá vàng
    11/7:``), or in a list after a date (``ngày 15 và 16/2``: kept only there, see :func:`_lists`)."""
    if not r.match.group("lead"):
        if _AMOUNT_AFTER.match(r.text, r.end) or _PERCENT_BEFORE.search(r.before):
            return None  # "từ 1-3 tháng": a count; "từ 8/10 trở lên": a mark; "67% (4/6)": a share's fraction
        # a bare 9.6 is a date only after a time-of-day word ("Chiều 9.6") or a named day ("thần tài 6.2")
        after_lead = bool(r.p.bare_day_lead.search(r.before) or _CLOCK_BEFORE.search(r.before)
                          or r.p.named_day_before.search(r.before))
        in_brackets = r.before.endswith("(") and r.folded[r.end:r.end + 1] == ")"
        if not _valid_day(None, r.number("m"), r.number("d")):
            return None
        if r.match.group("s") == ".":
            if not after_lead:
                return Atom(r.start, r.end, "day", None, r.number("m"), r.number("d"), list_only=True)
        elif not (after_lead or in_brackets or r.p.named_day.search(r.text[max(0, r.start - 80):r.start])
                  or _headline_date(r)):
            return Atom(r.start, r.end, "day", None, r.number("m"), r.number("d"), list_only=True)
    return Atom(r.start, r.end, "day", None, r.number("m"), r.number("d"))


_PERCENT_BEFORE = regex.compile(r"%\s*\(?\s*$")
# A clock time before a bare day, with the comma that sets the day apart: "vào 1h45, 4/6", "lúc 20:00 6/7"
_CLOCK_BEFORE = regex.compile(r"(?<![\w/.,:])\d{1,2}(?:h\d{0,2}|:\d\d|\s*gio(?:\s*\d{1,2})?)(?:p|\s*phut)?\s*,?\s*$")


def _headline_date(r: _Read) -> bool:
    """A bare 20/5 at the end of a headline's topic, before its colon (``Tin thể thao HOT 20/5:``,
    ``Giá vàng 11/7:``): the bulletin's day. Only on the first line, and only before a colon."""
    return r.text[r.end:r.end + 1] == ":" and "\n" not in r.text[:r.start] and r.start < 200


def _range_start_day(r: _Read) -> Atom | None:
    """ngày 6: no date alone, only the start of a range ("từ ngày 6 đến ngày 9/5/2025"); a bare 12
    only right after `từ` ("từ 12 đến 22/5")."""
    if not (r.match.group("lead") or r.p.range_open.search(r.before) or r.p.bare_day_lead.search(r.before)):
        return None  # (after a time of day: the first of a list, "rạng sáng 11 và 12/2")
    return Atom(r.start, r.end, "day", None, None, r.number("d"), range_only=True)


def _months(r: _Read) -> Atom | None:
    """tháng 1-6/2024: a range of months in one year, the first month first."""
    m, m2 = r.number("m"), r.number("m2")
    if m is None or m2 is None or m >= m2:
        return None
    return Atom(r.start, r.end, "months", r.number("y"), m, m2=m2)


def _month_years(r: _Read) -> Atom | None:
    """6/1970-12/1979: the months from one to the other (a line of a CV), the first first."""
    m, m2, y, y2 = r.number("m"), r.number("m2"), r.number("y"), r.number("y2")
    if not (1 <= m <= 12 and 1 <= m2 <= 12 and r.p.min_year <= y <= r.p.max_year) or (y, m) >= (y2, m2) \
            or y2 > y + r.p.max_bare_range or r.folded[r.end:r.end + 1] == "/" \
            or (not r.folded[r.start].isdigit() and _NUMBER_BEFORE.search(r.before)):  # "6 tháng ...": a duration
        return None
    return Atom(r.start, r.end, "months", y, m, y2=y2, m2=m2)


def _month_year(r: _Read) -> Atom | None:
    """7/2010 with no "tháng": a month only after a range word (``Từ 7/2010 đến 5/2013``), never inside a
    number (``12/2015/NĐ-CP``)."""
    m, y = r.number("m"), r.number("y")
    if not (1 <= m <= 12 and r.p.min_year <= y <= r.p.max_year) or r.folded[r.end:r.end + 1] == "/" \
            or not r.p.month_year_lead.search(r.before):
        return None
    return Atom(r.start, r.end, "month", y, m)


def _month(r: _Read) -> Atom | None:
    """tháng 7/2023, tháng 7 năm 2023, tháng 7; not the "6 tháng 5 ngày" of a duration."""
    if _NUMBER_BEFORE.search(r.before):
        return None
    y, digits = r.optional_year()
    return Atom(r.start, r.end, "month", y, r.number("m"), year_digits=digits)


def _month_name(r: _Read) -> Atom | None:
    """tháng Một, tháng Giêng: a month word as written (capitalised), or its folded form in plain text."""
    if _NUMBER_BEFORE.search(r.before):
        return None
    month = _month_word(r)
    if month is None:
        return None
    y, digits = r.optional_year()
    return Atom(r.start, r.end, "month", y, month, year_digits=digits)


def _month_word(r: _Read) -> int | None:
    """The month the match's month word (group ``mn``) names: as written (capitalised), in lower case
    where the words around it show it is the month, or folded in plain text; lunar ones are none."""
    written = " ".join(r.text[r.match.start("mn"):r.match.end("mn")].split())
    month = r.p.month_names.get(written)
    if month is None and not r.plain and written.islower() and written != "năm":
        month = _lower_case_month(r, written)
    if month is None and r.plain:  # "thang Mot": only the folded form is there
        month = next((v for k, v in r.p.month_names.items() if fold(k) == fold(written)
                      and written[:1].isupper()), None)
    return month


_CLAUSE_END = regex.compile(r"\s*(?:[,.;:!?)\]\n\"”]|$)")


def _lower_case_month(r: _Read, written: str) -> int | None:
    """``tháng sáu``: a month only with a year, a relative word or the end of the phrase after it,
    and no quantity before it (``mỗi tháng hai lần`` counts)."""
    month = next((v for k, v in r.p.month_names.items() if k.lower() == written), None)
    if month is None or r.p.month_word_not_after.found(r.text, r.folded, r.start, r.end, r.plain) \
            or r.p.not_year_before.match(r.folded, r.end):  # "cuối tháng ba người": a count
        return None
    if r.match.group("y") or _CLAUSE_END.match(r.text, r.end) \
            or r.p.month_word_after.found(r.text, r.folded, r.start, r.end, r.plain) \
            or r.p.month_word_time_before.found(r.text, r.folded, r.start, r.end, r.plain):
        return month
    return None


def _decade(r: _Read) -> Atom | None:
    """những năm 1990, thập niên 1990: the ten years from that one; thập niên 80 (of the twentieth century,
    the one before the articles'), thập niên 20 của thế kỷ XIX; not the age of ``những năm 20 tuổi``."""
    y = r.number("y")
    century = r.match.group("century")
    if y < 100:
        if r.p.not_decade_before.match(r.folded, r.end):
            return None
        number = _century_number(century) if century and century != "truoc" else 20
        if number is None:
            return None
        y += (number - 1) * 100
    elif century:
        return None
    if not r.p.min_year <= y <= r.p.max_year:
        return None
    return Atom(r.start, r.end, "years", y, y2=y + 9)


_ROMAN = {"i": 1, "v": 5, "x": 10}


def _century_number(written: str) -> int | None:
    """19 or XIX (folded, lower case): the century's number; None if not a plausible one."""
    if written.isdigit():
        number = int(written)
    else:
        values = [_ROMAN[c] for c in written]
        number = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return number if 11 <= number <= 21 else None


def _two_digit_end(y: int, y2: int) -> int:
    """The second year of ``2016/17``: the first after ``y`` ending in those digits; four digits as written."""
    if y2 >= 100:
        return y2
    end = y - y % 100 + y2
    return end if end > y else end + 100


def _season(r: _Read) -> Atom | None:
    """mùa giải 2016/17, mùa 2017-2018: the two years of a season (guide: a season is a range)."""
    y = r.number("y")
    y2 = _two_digit_end(y, r.number("y2"))
    if not (r.p.min_year <= y < y2 <= y + r.p.max_bare_range) or r.folded[r.end:r.end + 1] == "/":
        return None
    return Atom(r.start, r.end, "years", y, y2=y2)


def _bare_season(r: _Read) -> Atom | None:
    """2016/17, 2016/2017 with no lead word: a season when the second year follows the first (not
    after `số`, a type word, nor inside a number ``2016/17/QĐ``)."""
    y = r.number("y")
    y2 = _two_digit_end(y, r.number("y2"))
    if y2 != y + 1 or r.folded[r.end:r.end + 1] == "/" or r.folded[r.start - 1:r.start] in (":", "/") \
            or r.p.not_year_after.search(r.before):
        return None
    return Atom(r.start, r.end, "years", y, y2=y2)


def _quarter(r: _Read) -> Atom | None:
    """quý II/2024, quý 2 năm 2024, quý III: its three months; not "Quỹ 2" nor "quy i..."."""
    numeral = r.match.group("q")
    written = r.text[r.match.start("q"):r.match.end("q")]
    word = r.text[r.start:r.match.start("q")].strip().lower()
    if not (written.isdigit() or written.isupper()) or word not in r.p.quarter_words:
        return None  # "Quỹ 2", "quy i..." are no quarters
    y, digits = r.optional_year()
    q = r.p.quarters[numeral]
    return Atom(r.start, r.end, "quarter", y, 3 * q - 2, m2=3 * q, year_digits=digits)


def _period(r: _Read) -> Atom | None:
    """giai đoạn 2021-2025, nhiệm kỳ 2016 - 2018, năm học 2023-2024: a range of years."""
    y, y2 = r.number("y"), r.number("y2")
    if not (r.p.min_year <= y < y2 <= r.p.max_year):
        return None
    return Atom(r.start, r.end, "years", y, y2=y2)


def _year(r: _Read) -> Atom | None:
    """năm 2022, and năm 2014-2016 as a range; not the "10 năm" of a duration."""
    if _NUMBER_BEFORE.search(r.before) and not r.p.ordinal_number.search(r.before):
        return None
    y, y2 = r.number("y"), r.number("y2")
    if not r.p.min_year <= y <= r.p.max_year:
        return None
    if y2 is not None:
        if not y < y2 <= r.p.max_year:
            return None
        return Atom(r.start, r.end, "years", y, y2=y2)
    return Atom(r.start, r.end, "year", y)


def _bare_years(r: _Read) -> Atom | None:
    """2019 - 2025 with no lead word: a range of years, if a short one."""
    y, y2 = r.number("y"), r.number("y2")
    if not (y < y2 <= y + r.p.max_bare_range):
        return None
    return Atom(r.start, r.end, "years", y, y2=y2)


def _bare_year(r: _Read) -> Atom | None:
    """A year written alone: "(1997)", "trong 2017", "APEC 2017", "Bộ luật Dân sự 2015", "kỳ thi THPT
    quốc gia 2016", "so với 2015": any 19xx/20xx that is no identifier (after `số`, `mã`, a type
    word, inside a code `10-MT:2015/BTNMT`, a size `1080 x 1920`) and counts nothing (`2000 người`)."""
    start, end, folded, p = r.start, r.end, r.folded, r.p
    if _NUMBER_AFTER.match(folded[end:end + 3]) or p.not_year_after.search(r.before) \
            or p.not_year_before.match(folded, end) or folded[start - 1:start] in (":", "/") \
            or folded[end:end + 1] == "/" or _DURATION_BEFORE.search(r.before):
        return None
    return Atom(start, end, "year", r.number("y"))


_DURATION_BEFORE = regex.compile(r"\d\s+nam\s*$", regex.REVERSE)  # "sau 10 năm 2017": its "năm" is the duration's


# The outer named groups of the atom pattern, one per written form, with the parser of that form.
_PARSERS = {
    "full": _full_day,
    "full2": _full_day_short_year,
    "text_name": _day_in_words,
    "text": _day_in_words,
    "day_run": _day_run,
    "days": _days,
    "dm": _day_month,
    "day": _range_start_day,
    "month_years": _month_years,
    "month_year": _month_year,
    "months": _months,
    "month": _month,
    "month_name": _month_name,
    "quarter": _quarter,
    "period": _period,
    "season": _season,
    "bare_season": _bare_season,
    "decade": _decade,
    "year": _year,
    "bare_years": _bare_years,
    "bare_year": _bare_year,
}


def _group_text(r: _Read, name: str) -> str:
    """A group as written on the canonical text, lower case, single spaces."""
    return " ".join(r.text[r.match.start(name):r.match.end(name)].lower().split())


def _lookup(r: _Read, written: str, words: dict[str, int] | frozenset[str]) -> int | bool | None:
    """``written`` in ``words`` with its diacritics (``tới`` is not ``tôi``), or folded in text
    written without any; a set gives True."""
    keys = [written] if not r.plain else [k for k in words if fold(k) == fold(written)]
    for key in keys:
        if key in words:
            return True if isinstance(words, frozenset) else words[key]
    return None


def _rel_day(r: _Read) -> Atom | None:
    """hôm nay, hôm qua, ngày mai; a time of day with nay, qua, mai (sáng nay, chiều qua, tối hôm qua)."""
    rel = r.p.relative
    whole = _group_text(r, 0)
    word = _group_text(r, "word")
    if whole == word:
        offset = _lookup(r, word, rel.days)
    else:
        part = whole[:len(whole) - len(word)].strip()
        offset = _lookup(r, word, rel.day_part_days) if _lookup(r, part, rel.day_parts) else None
    if offset is None or (whole == word and (rel.day_count_before.found(r.text, r.folded, r.start, r.end, r.plain)
                                             or rel.day_not_after.found(r.text, r.folded, r.start, r.end, r.plain))):
        return None
    if word == "mai" and r.text[r.match.start("word")] == "M" and not r.text[r.start:r.end].isupper():
        return None  # "chiều Mai": a name
    return Atom(r.start, r.end, "relative", rel_unit="day", rel_offset=offset)


def _counted(r: _Read) -> bool:
    """A number or a quantity word before the unit: a duration (``3 tháng tới``, ``những năm trước``)."""
    return bool(_NUMBER_BEFORE.search(r.before)) \
        or r.p.relative.count_before.found(r.text, r.folded, r.start, r.end, r.plain)


def _rel_unit(r: _Read) -> Atom | None:
    """tuần tới, tháng trước, năm ngoái, năm nay: the unit before or after the article's."""
    rel = r.p.relative
    unit = _group_text(r, "unit")
    words = next((rel.units[u] for u in rel.units if _lookup(r, unit, frozenset([u]))), None)
    offset = _lookup(r, _group_text(r, "word"), words) if words else None
    if offset is None or rel.not_before.found(r.text, r.folded, r.start, r.end, r.plain) \
            or (offset != 0 and rel.not_before_shifted.found(r.text, r.folded, r.start, r.end, r.plain)) \
            or rel.age_after.found(r.text, r.folded, r.start, r.end, r.plain):
        return None
    name = next(_UNIT_NAMES[u] for u in rel.units if fold(u) == fold(unit))
    number = bool(_NUMBER_BEFORE.search(r.before))
    if _counted(r) and not (name == "year" and number):
        return None
    # after a number, "năm nay" only completes a date written before it ("11-7 năm nay")
    return Atom(r.start, r.end, "relative", rel_unit=name, rel_offset=offset, range_only=number)


def _rel_position(r: _Read) -> Atom | None:
    """cuối năm, đầu tháng, cuối tuần with nothing after them: a position in the article's year,
    month or week (the position stays outside when a word follows: ``cuối năm 2016``, ``cuối năm nay``)."""
    rel = r.p.relative
    if not _lookup(r, _group_text(r, "pos"), rel.positions) or rel.position_not_before.match(r.folded, r.end) \
            or rel.position_not_after.found(r.text, r.folded, r.start, r.end, r.plain):
        return None
    unit = _group_text(r, "unit")
    if not _lookup(r, unit, frozenset(rel.units)) or _counted(r):
        return None
    name = next(_UNIT_NAMES[u] for u in rel.units if fold(u) == fold(unit))
    return Atom(r.start, r.end, "relative", rel_unit=name)


def _weekday_of(r: _Read) -> int | None:
    """The weekday written (thứ Hai, thứ 2, Chủ nhật), not the ordinal ``lần thứ hai``."""
    rel = r.p.relative
    written = " ".join(r.text[r.match.start("wd"):r.match.end("wd")].split())
    day = _lookup(r, written.lower(), rel.weekdays)
    if day is None or rel.weekday_not_after.search(r.before):
        return None
    name = written.split()[-1]
    if written.lower().startswith("thứ") or fold(written).startswith("thu "):
        if not (name[0].isdigit() or name[0].isupper() or _names_its_week(r)):
            return None
    return day


def _names_its_week(r: _Read) -> bool:
    """``thứ hai tuần này``, ``thứ bảy tuần trước``: in lower case a weekday only with its week after it
    (else ``thứ hai`` is mostly "second")."""
    try:
        return r.match.group("uword") is not None
    except IndexError:
        return False


def _rel_weekday(r: _Read) -> Atom | None:
    """thứ Hai vừa qua, thứ Sáu tới (the nearest one before or after), thứ Hai tuần trước."""
    day = _weekday_of(r)
    if day is None:
        return None
    rel = r.p.relative
    if r.match.group("word"):
        offset = _lookup(r, _group_text(r, "word"), rel.weekday_words)
        return None if offset is None else Atom(r.start, r.end, "relative", rel_unit="weekday",
                                                rel_offset=offset, weekday=day)
    week = next(rel.units[u] for u in rel.units if _UNIT_NAMES[u] == "week")
    offset = _lookup(r, _group_text(r, "uword"), week) if _lookup(r, _group_text(r, "unit"), frozenset(["tuần"])) else None
    return None if offset is None else Atom(r.start, r.end, "relative", rel_unit="week", rel_offset=offset, weekday=day)


def _past_weekday(r: _Read) -> Atom | None:
    """hôm thứ Sáu, hôm Chủ nhật: the nearest such weekday before the article's day (guide: DATE)."""
    day = _weekday_of(r)
    offset = _lookup(r, _group_text(r, "word"), r.p.relative.weekday_before) if day is not None else None
    return None if offset is None else Atom(r.start, r.end, "relative", rel_unit="weekday", rel_offset=offset,
                                            weekday=day)


def _weekday(r: _Read) -> Atom | None:
    """A weekday alone: kept only when a date follows it (``thứ Sáu ngày 14/7``)."""
    day = _weekday_of(r)
    return None if day is None else Atom(r.start, r.end, "weekday", weekday=day, range_only=True)


_RELATIVE_PARSERS = {"rel_day": _rel_day, "rel_unit": _rel_unit, "rel_position": _rel_position,
                     "rel_weekday": _rel_weekday, "past_weekday": _past_weekday, "weekday": _weekday}


@dataclass(frozen=True)
class _Opening:
    """Where a form may start: ``pattern`` (on the folded text), and what it opens with, for
    trying it only at the folded syllables that can open it: its lead words, a number."""

    pattern: regex.Pattern
    leads: frozenset[str]
    digits: bool


@lru_cache(maxsize=1)
def _starts() -> tuple[_Opening, _Opening]:
    """Where an atom, and where a relative form, may start (folded text): a number, or a word that
    opens one of their forms (every form opens with a number or a lead word and a space, after no
    letter, digit or ``/.,-``). Trying the patterns only there gives the matches of an overlapped
    scan from every position in a fraction of the time."""
    data = load_data("dates.yaml")
    rel = data["relative"]
    atom_leads = data["day_leads"] + data["period_leads"] + data["decade_leads"] + data["season_leads"] + [
        data["month_lead"], data["year_lead"], data["quarter_lead"], *data["quarter_lead_spellings"]]
    relative_leads = [*rel["day_parts"], *rel["days"], *rel["day_part_days"], *rel["units"], *rel["positions"],
                      *rel["weekdays"]]

    def opening(words: list[str], digits: bool) -> _Opening:
        first = sorted({fold(str(w)).split()[0] for w in words}, key=len, reverse=True)
        lead = "(?:" + "|".join(map(regex.escape, first)) + r")(?!\w)"
        return _Opening(regex.compile(r"(?<![\w/.,-])(?:" + (r"\d|" if digits else "") + lead + ")"),
                        frozenset(first), digits)
    return opening(atom_leads, True), opening(relative_leads, False)


# A digit other than 0-9 (`\d` is any script's): the syllables of the folded text hold only ASCII
_OTHER_DIGIT = regex.compile(r"[\d--[0-9]]", regex.V1)


def _word_starts(opening: _Opening, folded: str, syllables: TokenList | None = None) -> list[int]:
    """Where ``opening`` (one of :func:`_starts`) finds a form may start. A match opens with a word
    character after none, so at the start of a run of ASCII letters and digits (a syllable of
    :data:`FOLDED_SYLLABLE`) or at a digit of another script: the pattern is tried only at the
    syllables that are a lead word or begin with a digit, and at those digits."""
    if not all(map(FOLDED_SYLLABLE.fullmatch, opening.leads)):  # (a lead word with other characters)
        return [m.start() for m in opening.pattern.finditer(folded)]
    if syllables is None:
        words_at = ((m.group(), m.start()) for m in FOLDED_SYLLABLE.finditer(folded))
    else:
        words_at = zip(syllables.words, syllables.starts)
    leads, digits = opening.leads, opening.digits
    tried = [start for word, start in words_at if word in leads or (digits and word[0] <= "9")]
    if digits and not folded.isascii():
        tried = sorted(tried + [m.start() for m in _OTHER_DIGIT.finditer(folded)])
    match = opening.pattern.match
    return [start for start in tried if match(folded, start)]


def _matches_from(pattern: regex.Pattern, folded: str, starts: list[int]) -> list[regex.Match]:
    """``pattern``'s match at each of ``starts`` (as ``finditer(overlapped=True)`` finds them there)."""
    return [m for i in starts if (m := pattern.match(folded, i)) is not None]


def _relative_starts(rel: _Relative, folded: str, starts: list[int]) -> dict[str, list[int]]:
    """Of the places where a relative form may open, those where each kind's pattern may: the
    syllable there is one its pattern opens with (most are `năm`, `tháng`, `thứ`: one kind each)."""
    syllables = [m.group() if (m := FOLDED_SYLLABLE.match(folded, start)) else "" for start in starts]
    return {kind: starts if rel.openers[kind] is None else
            [start for start, syllable in zip(starts, syllables) if syllable in rel.openers[kind]]
            for kind, _ in rel.patterns}


def _scan(text: str, folded: str, p: _Patterns, plain: bool, syllables: TokenList | None = None) -> list[Atom]:
    """Every atom; the regex is run from each possible start so shorter overlapping forms are seen.
    Relative forms have patterns of their own (``tháng sau`` and ``tháng Sáu`` fold alike: both are
    tried, the written diacritics decide); the longer of overlapping atoms wins. ``syllables``: the
    folded text's :data:`FOLDED_SYLLABLE` tokens, when the document has them already."""
    atom_starts, relative_starts = (_word_starts(opening, folded, syllables) for opening in _starts())
    starts_of = _relative_starts(p.relative, folded, relative_starts)
    count("dates.starts_tried", len(atom_starts) + sum(map(len, starts_of.values())))
    found = []
    for match in _matches_from(p.atoms, folded, atom_starts):
        atom = _atom(match, text, folded, p, plain)
        if atom is not None:
            found.append(atom)
    for kind, pattern in p.relative.patterns:
        for match in _matches_from(pattern, folded, starts_of[kind]):
            if _names_nam_wrongly(match, text, folded, plain):
                continue
            atom = _RELATIVE_PARSERS[kind](_Read(match, text, folded, p, plain))
            if atom is not None:
                found.append(atom)
    return keep_longest(found)


_WEEKDAY_JOIN = regex.compile(r"\s*,?\s*")  # "thứ Sáu ngày 14/7", "Thứ Hai, 12/5/2025"
_DATE_AFTER = regex.compile(r"[\s,]*\(?\s*")  # "Sáng nay (9/5)", "hôm qua, 12/5"
_DAY_KINDS = ("day", "days")


def _attach(atoms: list[Atom], folded: str, p: _Patterns) -> list[Atom]:
    """A weekday joins the date after it; a relative day before a written date gives way to it;
    a relative year joins the day or month before it (``11-7 năm nay``); lunar dates go."""
    kept: list[Atom] = []
    for i, a in enumerate(atoms):
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        date_next = nxt is not None and nxt.kind in _DAY_KINDS and nxt.m is not None
        if a.kind == "weekday":
            if date_next and _WEEKDAY_JOIN.fullmatch(folded, a.end, nxt.start):
                nxt.start = a.start
            continue
        if a.kind == "relative" and a.rel_unit in ("day", "weekday") and date_next \
                and _DATE_AFTER.fullmatch(folded, a.end, nxt.start):
            continue
        if a.kind in _DAY_KINDS + ("month", "months") and p.lunar_after.match(folded, a.end):
            continue
        prev = kept[-1] if kept else None
        if a.kind == "relative" and a.rel_unit == "year" and folded.startswith("nam", a.start) and prev is not None \
                and prev.kind in _DAY_KINDS + ("month", "months", "quarter") and prev.y is None \
                and prev.rel_unit is None and not prev.range_only and folded[prev.end:a.start].isspace():
            prev.end, prev.rel_unit, prev.rel_offset = a.end, "year", a.rel_offset
            continue
        kept.append(a)
    return kept


_LIST_JOIN = regex.compile(r"\s*(?:,|va|hoac)\s*")  # folded: "ngày 15 và 16/2", "16/12, 23/12"


def _lists(atoms: list[Atom], folded: str) -> list[Atom]:
    """Days in a list: a bare day/month after a date and a comma or ``và`` is a date (``các ngày 16/12,
    23/12 và 6/1``), others stay no date; a first day that leaves its month out takes the month and
    year of the day after it (``ngày 15 và 16/2``, ``rạng sáng 11 và 12/2``: two DATEs; guide, lists)."""
    kept: list[Atom] = []
    for a in atoms:
        prev = kept[-1] if kept else None
        if a.list_only:
            if prev is None or prev.kind not in _DAY_KINDS or prev.rel_unit is not None \
                    or not _LIST_JOIN.fullmatch(folded, prev.end, a.start):
                continue
            a.list_only = False
        kept.append(a)
    for a, b in zip(reversed(kept[:-1]), reversed(kept[1:])):
        if a.kind == "day" and a.m is None and a.range_only and b.kind == "day" and b.m is not None \
                and not b.range_only and _LIST_JOIN.fullmatch(folded, a.end, b.start):
            a.m, a.y, a.year_digits, a.range_only = b.m, b.y, b.year_digits, False
    return kept


@dataclass
class _Range:
    start: int
    end: int
    first: Atom
    last: Atom


def _join_ranges(atoms: list[Atom], folded: str, p: _Patterns) -> list[Atom | _Range]:
    """Join ``từ X đến Y`` (span from ``từ``) and ``X - Y``; drop range-only atoms left alone."""
    out: list[Atom | _Range] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and a.kind == b.kind and a.kind in ("day", "month", "quarter", "year"):
            between = folded[a.end:b.start]
            joined = p.range_join.fullmatch(between)
            opened = p.range_open.search(folded[max(0, a.start - 20):a.start])
            if joined and (opened or between.strip() in ("-", "/")) and not b.range_only:
                start = a.start - (len(folded[max(0, a.start - 20):a.start]) - opened.start("open")) \
                    if opened else a.start
                out.append(_Range(start, b.end, a, b))
                i += 2
                continue
        if not a.range_only:
            opened = p.range_open.search(folded[max(0, a.start - 20):a.start])
            if opened and a.kind in ("days", "months"):  # "từ ngày 9 - 21/5" reads as one range
                a.start -= len(folded[max(0, a.start - 20):a.start]) - opened.start("open")
            out.append(a)
        i += 1
    return out


def _valid_day(y: int | None, m: int | None, d: int | None) -> bool:
    if m is None or not 1 <= m <= 12:
        return False
    if d is None:
        return True
    last = calendar.monthrange(y if y else 2000, m)[1]  # 2000 is a leap year: 29/2 stays valid
    return 1 <= d <= last


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str:
    if y is None:
        return f"--{m:02d}" + (f"-{d:02d}" if d is not None else "")
    out = f"{y:04d}"
    if m is not None:
        out += f"-{m:02d}"
    if d is not None:
        out += f"-{d:02d}"
    return out


def _bounds(atom: Atom, year: int | None, p: _Patterns) -> tuple[str, str] | None:
    """(first, last) ISO values of an atom; equal for a single day, month or year; None if impossible."""
    y = atom.y if atom.y is not None else year
    if atom.year_digits != 4 or (y is not None and not p.min_year <= y <= 9999):
        return None
    if atom.kind == "year":
        return _iso(y), _iso(y)
    if atom.kind == "years":
        return _iso(atom.y), _iso(atom.y2)
    if atom.kind in ("month", "quarter", "months"):
        m2 = atom.m2 if atom.m2 is not None else atom.m
        y2 = atom.y2 if atom.y2 is not None else y  # "6/1970-12/1979"
        if not (_valid_day(y, atom.m, None) and _valid_day(y2, m2, None)):
            return None
        return _iso(y, atom.m), _iso(y2, m2)
    if atom.kind == "days":
        if not (_valid_day(y, atom.m, atom.d) and _valid_day(y, atom.m, atom.d2)):
            return None
        return _iso(y, atom.m, atom.d), _iso(y, atom.m, atom.d2)
    if not _valid_day(y, atom.m, atom.d):
        return None
    return _iso(y, atom.m, atom.d), _iso(y, atom.m, atom.d)


def _value(item: Atom | _Range, year: int | None, p: _Patterns) -> str | None:
    if isinstance(item, _Range):
        first, last = item.first, item.last
        # The first end borrows what it leaves out from the last: "từ ngày 06/5 đến ngày 09/5/2025".
        if first.y is None and last.y is not None:
            first = Atom(**{**first.__dict__, "y": last.y})
        if first.kind == "day" and first.m is None:
            first = Atom(**{**first.__dict__, "m": last.m})
        a, b = _bounds(first, year, p), _bounds(last, year, p)
        if a is None or b is None:
            return None
        return f"{a[0]}/{b[1]}"
    bounds = _bounds(item, year, p)
    if bounds is None:
        return None
    return bounds[0] if bounds[0] == bounds[1] else f"{bounds[0]}/{bounds[1]}"


def _needs_year(item: Atom | _Range) -> bool:
    atoms = [item.first, item.last] if isinstance(item, _Range) else [item]
    return all(a.y is None for a in atoms) and atoms[-1].kind not in ("year", "years")


def _point_year(item: Atom | _Range, full_only: bool) -> int | None:
    """The year a date states for one point in time (a full day, a month of a year, or with
    ``full_only`` false also a year or a quarter); periods and ranges state none."""
    if isinstance(item, _Range):  # a range of full days dates its neighbours by its end
        return _point_year(item.last, True) if item.first.y and item.first.kind == "day" else None
    kinds = ("day", "month") if full_only else ("day", "month", "year", "quarter")
    if item.kind in kinds and item.y and item.year_digits == 4 and (
            item.kind != "day" or _valid_day(item.y, item.m, item.d)):
        return item.y
    return None


def _document_year(ctx) -> int | None:
    published = ctx.published or ""
    if len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


class _YearFinder:
    """The year of a day or month written without one, when ``published`` is unknown (guide and
    annotation notes): the same day written in full elsewhere in the article, else a year the
    title or lead sentence sets, else a full date in the same sentence."""

    def __init__(self, ctx, items: list) -> None:
        self.ctx = ctx
        self.items = items
        self.full_days: dict[tuple[int, int], int] = {}
        for it in items:
            for atom in ([it.first, it.last] if isinstance(it, _Range) else [it]):
                y = _point_year(atom, True)
                if y and atom.kind == "day":
                    # the same day written with several years (`(16-6-1907 – 16-6-2017)`, an anniversary's
                    # ends): the latest, the one the article speaks from, not a birth or a founding
                    self.full_days[(atom.m, atom.d)] = max(y, self.full_days.get((atom.m, atom.d), y))
        lead_end = ctx.sentences[1][1] if len(ctx.sentences) > 1 else len(ctx.text)
        # a target of the lead (`đến năm 2030`, `tầm nhìn 2045`) is no frame; the year of a plan or an aim
        # may be (`với mục tiêu hoàn thành nhiệm vụ của năm 2017` in January 2017)
        self.lead_year = next((y for it in items if it.start < lead_end
                               and not written_after(ctx, it.start, "target_before")
                               for y in [_point_year(it, False)] if y), None)

    def year_of(self, item: Atom | _Range) -> int | None:
        atom = item.last if isinstance(item, _Range) else item
        if atom.kind == "day" and (atom.m, atom.d) in self.full_days:
            return self.full_days[(atom.m, atom.d)]
        if self.lead_year is not None:
            return self.lead_year
        sentence = self.ctx.sentence_of(item.start)
        if sentence is None:
            return None
        return next((y for it in self.items if sentence[0] <= it.start < sentence[1]
                     for y in [_point_year(it, True)] if y), None)


def _published_day(ctx) -> datetime.date | None:
    """The day the input says the article was published (a dateline is not enough to count days from)."""
    if ctx.published_source != "published" or not ctx.published:
        return None
    try:
        return datetime.date.fromisoformat(ctx.published[:10])
    except ValueError:
        return None


def _century(yy: int, reference: int) -> int:
    """The year ending in ``yy`` at most 10 years after ``reference`` and less than 90 before it."""
    year = reference - reference % 100 + yy
    while year > reference + 10:
        year -= 100
    while year <= reference - 90:
        year += 100
    return year


def _relative_value(atom: Atom, published: datetime.date | None) -> str | None:
    """The ISO value of a relative date counted from the article's day; None without it."""
    if published is None:
        return None
    unit, offset = atom.rel_unit, atom.rel_offset
    if unit == "day":
        return (published + datetime.timedelta(days=offset)).isoformat()
    if unit == "weekday":  # the nearest such weekday strictly before (-1) or after (+1)
        gap = ((published.isoweekday() - atom.weekday) * -offset) % 7 or 7
        return (published + datetime.timedelta(days=offset * gap)).isoformat()
    if unit == "week":
        monday = published - datetime.timedelta(days=published.weekday()) + datetime.timedelta(weeks=offset)
        if atom.weekday:
            return (monday + datetime.timedelta(days=atom.weekday - 1)).isoformat()
        return f"{monday.isoformat()}/{(monday + datetime.timedelta(days=6)).isoformat()}"
    if unit == "month":
        months = published.year * 12 + published.month - 1 + offset
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return f"{published.year + offset:04d}"


@stage("finder", assigns="dates")
def find_dates(ctx) -> list[Span]:
    """DATE spans of the document on canonical offsets, each with ``{"value": ISO | range | None,
    "relative": what a relative date is | None}``."""
    p = _patterns()
    text, folded = ctx.text, ctx.folded
    plain = ctx.without_diacritics
    doc_year = _document_year(ctx)
    published = _published_day(ctx)
    atoms = _lists(_attach(_scan(text, folded, p, plain, document_tokens(ctx, FOLDED_SYLLABLE, on_folded=True)),
                           folded, p), folded)
    reference = doc_year or datetime.date.today().year
    for atom in atoms:
        if atom.year_digits == 2:
            atom.y, atom.year_digits = _century(atom.y, reference), 4
    items = _join_ranges(atoms, folded, p)
    years = _YearFinder(ctx, items) if doc_year is None else None
    spans = []
    for item in items:
        relative = item.relative if isinstance(item, Atom) else None
        if isinstance(item, Atom) and item.kind == "relative":
            value = _relative_value(item, published)
        else:
            year = doc_year
            if relative:  # "11-7 năm nay": the year is counted from the article's
                year = published.year + item.rel_offset if published else None
            elif years is not None and _needs_year(item):
                year = years.year_of(item)
            value = _value(item, year, p)
        if value is None and relative is None and not any(c.isalpha() for c in text[item.start:item.end]):
            continue  # numbers alone that say no day, month or year: `từ 20-30%`, `từ 36-42 triệu đồng`
        spans.append(Span(item.start, item.end, "DATE", {"value": value, "relative": relative}))
    return spans
