"""The event linker: each article's events (guide: Events), the main event first.

It runs after every finder and resolver, so it reads the settled spans with their norms:

1. a sentence that names a kind of event (``Hội nghị``, ``tập huấn``, ``ngày hội việc làm``,
   ``trao quà``, ``khám bệnh miễn phí``...; ``data/event_kinds.yaml``) is a candidate, of the first
   kind it names; the sentence classifier (:mod:`.event_sentences`, ``models/events``) decides
   whether it reports one that took place (issuing a document, a count of past events, a scheme
   in general, an undated announcement do not). Without the classifier the rules decide alone: a
   sign that it took place (``tổ chức``/``diễn ra``/``tham dự``, or a date) and no issuing;
2. each mention takes from its sentence the date (a DATE span), the place (``tại ...``), the
   province by order of evidence (the venue, else the locality in an organizer's name, else the
   article's own province: its dateline or lead), the organizers (ORGs before
   ``tổ chức``/``phối hợp``, or after ``do``), the documents it implements (LEGAL_REF ids,
   PROGRAM refs) and the attendance (a FIGURE of ``đại biểu``/``người`` near ``tham dự``);
3. mentions of one event are merged (same type or a more general one, no conflicting date), so
   the title, the lead and later paragraphs that speak of the same conference become one event; a
   later mention retypes only a gathering called generically or told without a day, and a signing
   and a conference stay two events, the conference first;
4. the main event is the first one the article reports; every event keeps its sentence index.
"""
from __future__ import annotations

import bisect
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import regex

from .clean import fold, fold_query
from .models import Event, Span
from .context import stage
from .dates import is_planned
from .document import YEAR_FRAMING_SOURCES, is_target
from .event_sentences import (ClassifierError, KindMatch, announced_without_day, classifier_folder, classifier_text,
                              clause_bounds, counted_before, day_of, event_probabilities, find_kind, kinds,
                              load_classifier, mask_not_events, read_kind, strong_rule)
from .event_sentences import exact_pattern as _exact_pattern, phrase_pattern as _phrase_pattern
from .levels import level_forms
from .world import world_places
from .resources import load_data


def _alternation(phrases, gap: str = " ") -> str:
    """Folded phrases as a regex alternation (no boundaries), longest first, `gap` between words."""
    words = sorted({fold_query(p) for p in phrases}, key=len, reverse=True)
    return "|".join(gap.join(map(re.escape, w.split())) for w in words)


def _days_apart(count_words, direction_words) -> str:
    """`trước đó 1 ngày`, `hai ngày sau đó` (folded): the count and the direction as named groups."""
    count = r"(?P<n>\d{1,2}|" + _alternation(count_words) + r")"
    way = r"(?P<way>" + _alternation(direction_words) + r")"
    return rf"(?<![a-z0-9])(?:{way}\s+{count}\s+ngay|{count}\s+ngay\s+{way})(?![a-z0-9])"


def _days_apart_pattern(direction_words, count_words) -> regex.Pattern:
    return regex.compile(_days_apart(count_words, direction_words))


@lru_cache(maxsize=1)
def _data() -> dict:
    data = load_data("events.yaml")
    dates_data = load_data("dates.yaml")
    return {
        "specific_triggers": tuple(fold_query(t) for t in data["specific_triggers"]),
        "specific_lead": re.compile(r"(?:" + _alternation(data["specific_before"]) + r")\s+(?:\S+\s+)?$"),
        "specific_tail": re.compile(r"^\S*(?:\s+\S+){0,3}\s+(?:" + _alternation(data["specific_after"]) + r")(?![a-z])"),
        "today_tail": re.compile(r"^\S*(?:\s+\S+){0,3}\s+(?:" + _alternation(data["today_after"]) + r")(?![a-z])"),
        "happened": _phrase_pattern(data["happened"]),
        "needs_context": {t: _phrase_pattern(w) for t, w in (data.get("needs_context") or {}).items()},
        "needs_context_words": dict(data.get("needs_context") or {}),
        "nominalized": re.compile(r"(?<![a-z])(?:" + _alternation(data["nominalizers"]) + r")\s+$"),
        "happened_exact": _exact_pattern(data["happened"]),
        "issuing": _phrase_pattern(data["issuing"]),
        "held_despite_issuing": re.compile(_alternation(data["held_despite_issuing"], r"\s+")),
        "organizer_verbs": _phrase_pattern(data["organizer_verbs"]),
        "organizer_joiner": re.compile(r"\s*(?:,|-|" + _alternation(data["organizer_joiners"]) + r")\s*"),
        "organizer_after": re.compile(r"(?<![a-z])(?:" + _alternation(data["organizer_after"]) + r")\s+"),
        "location_lead": _phrase_pattern(data["location_lead"]),
        "place_opener": re.compile(r"(?:" + _alternation([*data["place_openers"], *level_forms()]) + r")\b"),
        "phrase_break": re.compile(r"[,;]|\.(?=\s|$)|\s(?=" + "|".join(map(re.escape, data["place_phrase_ends_before"])) + ")"),
        "not_address_openers": tuple(data["not_address_openers"]),
        "not_organizer_before": re.compile(r"(?:" + _alternation(data["not_organizer_before"]) + r")\s*$"),
        "attendee_units": {fold_query(u) for u in data["attendee_units"]},
        "attendance": _phrase_pattern(data["attendance_words"]),
        "national": _phrase_pattern(data["national_markers"]),
        "national_exact": _exact_pattern(data["national_markers"]),
        "generic_kinds": frozenset(data["generic_kinds"]),
        "vaguest_kinds": frozenset(data["vaguest_kinds"]),
        "ceremony_word_kinds": frozenset(data["ceremony_word_kinds"]),
        "gathering_heads": tuple(fold_query(w) for w in [*data["specific_before"],
                                                         *load_data("event_kinds.yaml")["heads_named_by_what_follows"]]),
        "national_seat": load_data("places.yaml")["national_seat"],
        "adverbial_before": re.compile(r"(?:^|[,;:\n-])\s*(?:(?:" + _alternation(
            [*data["day_adverbial_words"], *dates_data["relative"]["day_parts"], *dates_data["day_leads"]])
            + r")\s+)*\(?\s*$"),
        "not_venue_after": re.compile(r"(?<![a-z])(?:" + _alternation(data["not_venue_after"]) + r")(?:\s+\S+){0,4}\s*$"),
        "reporting": _phrase_pattern(data["reporting_verbs"]),
        "same_day": _phrase_pattern(data["same_day_words"]),
        "days_apart": _days_apart_pattern(data["days_apart_words"], data["day_counts"]),
        "days_apart_words": {fold_query(w): int(v) for w, v in data["days_apart_words"].items()},
        "day_counts": {fold_query(w): int(v) for w, v in data["day_counts"].items()},
        "refers_back": re.compile(r"(?<![a-z])(?:" + _alternation(data["refers_back_before"]) + r")\s+(?:mot\s+)?(?:\S+\s+)?$"),
        "at_gathering_lead": re.compile(r"(?:" + _alternation(data["refers_back_before"]) + r")\s+(?:buoi\s+|cuoc\s+)?"),
        "event_name_after": re.compile(r"(?<![a-z])(?:" + _alternation(data["event_name_after"]) + r")\s+$"),
        "caption_opener": re.compile(r"^\W*(?:" + _alternation(data["caption_openers"], r"\s+") + r")(?![a-z])"),
        "adverbial_after": re.compile(r"\s*\)?\s*(?:[,;]|\.?\s*$|\.\s)"),
        "source_before": re.compile(r"(?:^|[,;:(\n])\s*(?:" + _alternation(data["source_before"]) + r")(?![a-z])[^,;:]*$"),
        "until_before": re.compile(r"(?<![a-z])(?:" + _alternation(data["until_before"]) + r")\s+$"),
        "time_word_before": re.compile(r"(?<![a-z])(?:" + _alternation(
            [*data["day_adverbial_words"], *dates_data["relative"]["day_parts"]]) + r")\s+$"),
    }


@dataclass
class _Mention:
    sentence: int
    type: str
    kind: str
    rank: int  # the kind's place in event_kinds.yaml: the lower, the more specific
    start: int  # offset of the phrase that names the kind
    date: str | None = None
    province: str | None = None
    location: str | None = None
    organizers: list[str] = field(default_factory=list)
    legal_refs: list[str] = field(default_factory=list)
    participants: int | None = None
    specific: bool = False
    held_by: bool = False  # its organizers are the subject of an organizing verb (`MTF đã tổ chức`)
    refers_back: bool = False  # said of a gathering told before (`Tại buổi lễ, ...`, `Cũng trong buổi công bố`)
    gathering_noun: bool = False  # named by a gathering's noun (`lễ tôn vinh`, `buổi tập huấn`), not by a verb (`diễu hành`)
    at_gathering: bool = False  # its sentence opens at a gathering told before (`Tại hội nghị, ... tại đợt ký kết`)


@dataclass
class _Candidate:
    """A sentence that names a kind of event, with what the rules read in it."""
    sentence: int
    match: KindMatch
    written: str  # the sentence, phrases that are no event blanked out (`lễ tang`, `trao đổi`)
    inside: list[Span]  # the sentence's spans
    dates: list[Span]  # its DATE spans with a value
    at: int = 0  # where the sentence starts in the article (the classifier reads its stretch: the lead or further down)


@stage("events", requires=("spans", "document"), assigns="events")
def link_events(spans: list[Span], ctx, classifier: str | None = None) -> list[Event]:
    """The document's events, main event first (see the module docstring). ``classifier`` is the
    folder of the sentence classifier (``models/events``; its ``threshold`` in its
    ``training.json``); None decides by the rules alone."""
    spans = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in spans]
    candidates = [c for i in range(len(ctx.sentences)) if (c := _candidate(i, spans, ctx, starts)) is not None]
    accepted = _classified(candidates, classifier) if classifier else None
    if accepted is None:
        accepted = [c for c in candidates if _rules_accept(c)]
    events = _conference_first(_merge([_mention(c, spans, ctx) for c in accepted]))
    _date_main_from_lead(events, spans, ctx, starts)
    _main_from_sentence_before(events, spans, ctx, starts)
    province = _article_province(ctx, spans)
    # a day written without its year takes the article's year only when that year frames the article
    # (stated, or the year its lead or its dates name): its first full date may be a birth date or an
    # anniversary (`27/7/1947`), no evidence for the year of the event (guide: DATE)
    year = str(ctx.document.year) if ctx.document.year and ctx.document.date_source in YEAR_FRAMING_SOURCES else None
    dates = [s for s in spans if s.label == "DATE" and s.norm.get("value")]
    out = []
    for m in events:
        if m.date and year:
            # `--05-09`: a day the DATE finder could not place in a year takes the article's year
            m.date = _in_year(m.date, year)
        elif m.date is None or m.date.startswith("--"):
            m.date = _dated_by_name(ctx, m, dates)
        if m.province is None and _national(m, ctx):
            # the venue is a national body's seat (`bên hành lang Quốc hội`, `tại Bộ VHTTDL`): evidence of
            # where it was held, before the article's own province
            m.province = _data()["national_seat"]
        if m.province is None:
            m.province = province
        m.province = m.province or None  # NO_PROVINCE: held abroad or in several provinces
        out.append(Event(type=m.type, kind=m.kind, date=m.date, province=m.province, location=m.location,
                         organizers=m.organizers, legal_refs=m.legal_refs, participants=m.participants,
                         sentence=m.sentence))
    return out


def _article_province(ctx, spans: list[Span]) -> str | None:
    """The article's own province, the last evidence of an event's: the one its lead names, or the one
    it names most when that is a place in its own right somewhere in the text. Named only inside bodies'
    names (`Sở Giao dịch chứng khoán TP HCM`, `Ngân hàng ... chi nhánh Kon Tum`), it is merely mentioned:
    the article is not about it (guide: Events, arguments)."""
    province = ctx.document.province
    if province and ctx.document.province_evidence != "lead" and not any(
            s.label == "LOC" and s.norm.get("province") == province for s in spans):
        return None
    return province


def _in_year(value: str, year: str) -> str:
    """``--05-09`` (or a range of such days) in ``year``."""
    return "/".join(f"{year}{part[1:]}" if part.startswith("--") else part for part in value.split("/"))


def _dated_by_name(ctx, m: _Mention, dates: list[Span]) -> str | None:
    """An event's date completed by the year its name is written with (guide: DATE, the same event's
    year): a day without its year takes the one year the gathering's name carries in its own sentence,
    else anywhere in the article (`cuộc họp báo Banking Vietnam 2017 diễn ra chiều nay (15/5)`; `hội nghị
    ĐBND năm 2017` in another paragraph); an event told without a date takes its own sentence's (`đã
    từng dự thi Hoa hậu Liên lục địa 2015`)."""
    s_start, s_end = ctx.sentences[m.sentence]
    years = _named_years(ctx, m.kind, dates, s_start, s_end)
    if not years and m.date:
        years = _named_years(ctx, m.kind, dates, 0, len(ctx.text))
    if len(years) != 1:
        return m.date
    year = years.pop()
    return _in_year(m.date, year) if m.date else year


_NAME_WORDS = 8  # a gathering's name between its kind's phrase and its year: at most this many words
_WRITTEN_YEAR = re.compile(r"^(?:nam\s+)?\d{4}$")  # `2017`, `năm 2017` (folded); not `năm học 2016`


def _named_years(ctx, kind: str, dates: list[Span], start: int, end: int) -> set[str]:
    """Years written right after a name ending capitalised that a phrase of ``kind`` opens, in the clause,
    between ``start`` and ``end`` (`họp báo Banking Vietnam 2017`, `cuộc thi ... (Intel ISEF 2017)`,
    `hội nghị ĐBND năm 2017`): the gathering's own year. Not a period it reviews (`tổng kết năm 2016`:
    no name), nor the year of a name no gathering opens (`Luật Trẻ em 2016`)."""
    phrases = next((k for k in kinds() if k.kind == kind), None)
    if phrases is None:
        return set()
    years = set()
    for span in dates:
        if not start <= span.start < end or not re.fullmatch(r"\d{4}", str(span.norm["value"])) \
                or not _WRITTEN_YEAR.match(ctx.folded[span.start:span.end]):
            continue
        sentence = ctx.sentence_of(span.start) or (0, span.start)
        clause = max(sentence[0], *(ctx.text.rfind(c, sentence[0], span.start) + 1 for c in ",;:"))
        segment = ctx.text[clause:span.start]
        pattern = phrases.pattern(exact=not segment.isascii())
        found = list(pattern.finditer(fold(segment) if segment.isascii() else segment.lower()))
        if not found:
            continue
        # a name ends with a capitalised word before its year (`lễ hội khai ấn đền Trần 2017`, `(Intel ISEF
        # 2017)`) or opens capitalised right after the phrase (`cuộc thi Hoa hậu hoàn vũ 2015`); a law's
        # sentence-case title after a verb does not (`hội nghị triển khai Luật Trẻ em 2016`), nor a review's period
        words = [w.strip("(“”\"'–-") for w in segment[found[-1].end():].split()]
        words = [w for w in words if w]
        if _data()["time_word_before"].search(fold(segment)):
            continue  # `tổ chức Triển lãm Thế giới vào năm 2020`: the time of the gathering, not its name's year
        if 1 <= len(words) <= _NAME_WORDS and (words[-1][:1].isupper() or words[0][:1].isupper()):
            years.add(str(span.norm["value"]))
    return years


def _date_main_from_lead(events: list[_Mention], spans: list[Span], ctx, starts: list[int]) -> None:
    """The main event told without a day takes the day the article's lead opens with (`Sáng 13/6, tại
    Hà Nội, Tổng Công ty ... đã chính thức khai trương ...`): the lead reports the article's main
    happening in words no kind lists, and a later sentence names it as a gathering, either referring
    back to it (`Tại buổi lễ, ...`, `Cũng trong buổi công bố quyết định`) or held by a body the lead
    names as the one acting that day (`Sáng 27/3, đại tá ..., Phó giám đốc Công an tỉnh Bến Tre đã thưởng
    nóng ...` then the caption `Đại tá ..., Phó giám đốc Công an tỉnh Bến Tre trao quyết định khen
    thưởng`). Only when the lead names that day as its time, no other event has it, and the main
    event is told near the lead; a gathering neither referring back nor held by the lead's actor keeps
    no day (`Chiều tối qua (30.5), ... vận thăng rơi` then `Lãnh đạo thành phố ... thăm hỏi`)."""
    if not events or events[0].date is not None or events[0].sentence > _LEAD_REACH:
        return
    main = events[0]
    for i in range(min(_LEAD_SENTENCES, len(ctx.sentences))):
        s_start, s_end = ctx.sentences[i]
        lo, hi = bisect.bisect_left(starts, s_start), bisect.bisect_left(starts, s_end)
        dates = [s for s in spans[lo:hi] if s.label == "DATE" and s.norm.get("value")]
        if not dates:
            continue
        day = _event_day(ctx, dates, s_start, s_end, s_end)
        # the day opens the lead as its time: after a time of day (`Sáng 13/6`) or with its own lead
        # word (`Ngày 9/7, ...`), not a bare number at the start of a line
        opens = ctx.folded[s_start:dates[0].start].strip(" ,(") or ctx.folded[dates[0].start].isalpha()
        if day and day_of([dates[0]]) and opens and \
                _data()["adverbial_before"].search(ctx.folded[s_start:dates[0].start]) and dates[0].norm["value"] == day:
            lead_actors = _names(ctx, [s for s in spans[lo:hi] if s.label == "ORG"])
            if (main.refers_back or _same_body(lead_actors, main.organizers)) and all(e.date != day for e in events):
                main.date = day
            return


def _main_from_sentence_before(events: list[_Mention], spans: list[Span], ctx, starts: list[int]) -> None:
    """The main event first named as `Sự kiện` opening its sentence, with no day, is the happening the
    sentence before tells (`Đó là những gì đã diễn ra tại chương trình “...” sáng 27-5 tại Bảo tàng Phụ nữ
    Việt Nam. Sự kiện được tổ chức nhằm ...`): it takes that sentence's day, and its venue when it has
    none. Only when that day is no other event's."""
    main = events[0] if events else None
    if main is None or main.date is not None or main.sentence == 0 or main.kind not in _data()["vaguest_kinds"]:
        return
    s_start, s_end = ctx.sentences[main.sentence]
    if ctx.text[s_start:main.start].strip(" \"“”'‘’(-–"):
        return  # the word does not open the sentence: not said of the happening just told
    p_start, p_end = ctx.sentences[main.sentence - 1]
    lo, hi = bisect.bisect_left(starts, p_start), bisect.bisect_left(starts, p_end)
    dates = [s for s in spans[lo:hi] if s.label == "DATE" and s.norm.get("value")]
    day = _event_day(ctx, dates, p_start, p_end, p_end) if dates else None
    if day is None or any(e.date == day for e in events):
        return
    main.date, main.sentence = day, main.sentence - 1
    if main.location is None:
        location, province = _place(ctx, spans[lo:hi], p_start, p_end)
        if location is not None:
            main.location, main.province = location, province if province is not None else main.province


def _same_body(names: list[str], others: list[str]) -> bool:
    """Whether a body of ``names`` is one of ``others``, named in full or short (`Công ty TNHH Thăm dò
    và Khai thác Dầu khí ExxonMobil` and `ExxonMobil`)."""
    folded = [fold_query(n) for n in names]
    return any(re.search(rf"(?<!\w){re.escape(o)}(?!\w)", n) or re.search(rf"(?<!\w){re.escape(n)}(?!\w)", o)
               for o in map(fold_query, others) for n in folded if o and n)


_LEAD_SENTENCES = 3  # the title, the lead and the sentence after it
_LEAD_REACH = 6  # the main event's first mention at most this many sentences in


def _candidate(i: int, spans: list[Span], ctx, starts: list[int]) -> _Candidate | None:
    s_start, s_end = ctx.sentences[i]
    sentence = ctx.text[s_start:s_end]
    written = mask_not_events(sentence)
    lo, hi = bisect.bisect_left(starts, s_start), bisect.bisect_left(starts, s_end)
    inside = spans[lo:hi]  # the sentence's spans: a slice of the sorted list, not a scan of all
    unnamed = _without_names(written, inside, s_start)
    dates = [s for s in inside if s.label == "DATE" and s.norm.get("value")]
    # masked again only when masking or blanking names changed it (a blank may join two words of a
    # not-event phrase): the same text again holds no not-event phrase
    match = read_kind(unnamed, day_of(dates) is not None, masked=unnamed is sentence)
    if match is None:
        return None
    if counted_before(fold(unnamed[:match.start])):
        return None  # `319 lớp tập huấn`: a count of past events (a number inside a name is none:
        # `Lữ đoàn Công binh 83 tổ chức`)
    if _data()["caption_opener"].match(fold(written)):
        return None  # `Quang cảnh phiên họp.`: a photo caption of a gathering told elsewhere
    return _Candidate(i, match, written, inside, dates, s_start)



_NAME_LABELS = ("ORG", "LOC", "PROGRAM", "LEGAL_REF")


def _without_names(written: str, inside: list[Span], s_start: int) -> str:
    """The sentence with its names blanked out (same length): a kind's word inside a name is no
    event (`Diễn đàn hợp tác kinh tế châu Á - Thái Bình Dương`, `Trung tâm Hội nghị Quốc gia`),
    unless the name is a gathering someone attends or holds (`dự Diễn đàn Doanh nhân trẻ`: the ORG
    finder reads its head as a body's). The sentence itself when nothing is blanked."""
    out = written
    for span in inside:
        if span.label in _NAME_LABELS and not _names_attended_event(written, span.start - s_start):
            lo, hi = max(0, span.start - s_start), min(len(written), span.end - s_start)
            if lo < hi:
                out = out[:lo] + " " * (hi - lo) + out[hi:]
    return out


def _names_attended_event(written: str, at: int) -> bool:
    """Whether the name at ``at`` opens with a kind's phrase right after a verb of attending or
    holding (events.yaml ``event_name_after``: `dự Diễn đàn ...`, `khai mạc Hội nghị ...`), or the
    verb and the name's first word make one (`tổ chức chương trình “Chăm lo hậu phương”`)."""
    lo = max(0, at - 20)
    verb = _data()["event_name_after"].search(fold(written[lo:at])) if at > 0 else None
    if verb is None:
        return False
    return any((match := find_kind(written[start:at + 40])) is not None and match.start == 0
               for start in (at, lo + verb.start()))


def _classified(candidates: list[_Candidate], classifier: str) -> list[_Candidate] | None:
    """The candidates the sentence classifier takes for events (P(event) >= its threshold); None
    when the classifier's folder cannot be found."""
    if not candidates:
        return []
    try:
        classifier_folder(classifier)
    except ClassifierError as err:
        # an installed package without the user's models/: the rules decide, and the user is told
        warnings.warn(f"{err}; events are decided by the rules alone", stacklevel=2)
        return None
    days = [day_of(c.dates) is not None for c in candidates]
    # the rules settle some sentences whatever the classifier says: only the others are read by it,
    # and a document with none of them never loads spaCy
    settled = [_settled_by_rules(c, day) for c, day in zip(candidates, days)]
    undecided = [i for i, s in enumerate(settled) if s is None]
    if undecided:
        nlp, threshold = _classifier(classifier)
        texts = [classifier_text(candidates[i].written, candidates[i].match, has_day=days[i], at=candidates[i].at)
                 for i in undecided]
        for i, p in zip(undecided, event_probabilities(nlp, texts)):
            settled[i] = p >= threshold
    return [c for c, accepted in zip(candidates, settled) if accepted]


def _settled_by_rules(c: _Candidate, has_day: bool) -> bool | None:
    """False with no day where one is needed, else True for a strong rule or a phrase said of
    today, whatever the classifier says; None: the classifier decides."""
    if announced_without_day(c.written, c.match, has_day=has_day) or (
            _lacks_context(c, has_day) and _data()["nominalized"].search(fold(c.written[:c.match.start]))):
        return False  # (`Việc ký kết hợp tác ... còn ít`: the act in general; a caption's `X và Y ký kết` stays the classifier's)
    return True if strong_rule(c.written, c.match, has_day=has_day) or _today(c) else None


def _today(c: _Candidate) -> bool:
    """The phrase is said of today's occurrence (`Chương trình ký kết hợp tác hôm nay`: events.yaml
    ``today_after``): this gathering, taking place, whatever the classifier says."""
    folded = fold(c.written)
    return bool(_data()["today_tail"].search(folded[c.match.start:c.match.start + 60]))


@lru_cache(maxsize=2)
def _classifier(path: str):
    nlp = load_classifier(path)
    return nlp, float(nlp.get_pipe("textcat").cfg.get("threshold", 0.5))


def _rules_accept(c: _Candidate) -> bool:
    """The rules' decision alone: a sign that it took place (another word than the phrase itself:
    `phiên họp` is no `họp`) or a date, the context a signing needs, and no issuing."""
    d = _data()
    written, at, end = c.written, c.match.start, c.match.end
    folded = fold(written)
    rest = written[:at] + " " * (end - at) + written[end:]
    happened = (d["happened"].search(fold(rest)) if written.isascii()
                else d["happened_exact"].search(rest.lower()))  # `mở` is not `mô`
    if not happened and not c.dates:
        return False
    if _lacks_context(c, has_day=bool(c.dates)):
        return False
    return not (d["issuing"].search(folded) and not d["held_despite_issuing"].search(folded))


def _lacks_context(c: _Candidate, has_day: bool) -> bool:
    """A kind that needs more than its phrase (a signing: events.yaml ``needs_context``) told with
    no day and none of its context words (`Việc ký kết hợp tác ... hiện nay còn ít`)."""
    context = _data()["needs_context"].get(c.match.kind.type)
    if context is None or has_day:
        return False
    written, at, end = c.written, c.match.start, c.match.end
    rest = written[:at] + " " * (end - at) + written[end:]
    return not (context.search(fold(rest)) if written.isascii()
                else _exact_pattern_cached(c.match.kind.type).search(rest.lower()))


def _mention(c: _Candidate, spans: list[Span], ctx) -> _Mention:
    d = _data()
    s_start, s_end = ctx.sentences[c.sentence]
    folded, at = fold(c.written), c.match.start
    kind = c.match.kind
    mention = _Mention(sentence=c.sentence, type=kind.type, kind=kind.kind, rank=kind.rank, start=s_start + at)
    # A specific occurrence (`hội nghị sơ kết`, `sự kiện ký kết`, `ký kết ... hôm nay`) may tell
    # what an earlier, plainer mention of the same gathering was.
    mention.specific = bool(d["specific_lead"].search(folded[:at]) or d["specific_tail"].search(folded[at:at + 60])
                            or folded.startswith(d["specific_triggers"], at) or c.dates)
    mention.date = _event_day(ctx, c.dates, s_start, s_end, s_start + at)
    mention.gathering_noun = bool(d["specific_lead"].search(folded[:at])) or _opens_with_head(folded[at:c.match.end])
    mention.refers_back = bool(d["refers_back"].search(folded[max(0, at - 24):at]))
    mention.at_gathering = _opens_at_gathering(folded)
    if mention.date is None and d["same_day"].search(folded[:at]):
        # `cùng ngày`: the last day written before the phrase, in its own sentence too (`Chiều 7-7, ông
        # ... xác nhận trưa cùng ngày HĐND TP đã ... biểu quyết`: the day it was told is the meeting's)
        mention.date = _day_before(ctx, spans, s_start + at)
    if mention.date is None:
        mention.date = _days_from_day_before(ctx, spans, folded[:at], s_start + at)
    mention.location, mention.province = _place(ctx, c.inside, s_start, s_end)
    where = None
    if mention.location:
        loc_at = ctx.text.find(mention.location, s_start, s_end)
        where = (loc_at, loc_at + len(mention.location)) if loc_at >= 0 else None
    organizer_spans, mention.held_by = _organizer_spans(
        ctx, [s for s in c.inside if not (where and where[0] <= s.start < where[1])], s_start, fold(c.written))
    mention.organizers = _names(ctx, organizer_spans)
    if mention.province is None:
        mention.province = _organizer_province(ctx, organizer_spans)
    mention.legal_refs = _refs(c.inside)
    mention.participants = _participants(ctx, spans, c.sentence)
    return mention


def _event_day(ctx, dates: list[Span], s_start: int, s_end: int, phrase_at: int) -> str | None:
    """The event's own day among the sentence's: the first written as the sentence's time adverbial
    (`Sáng 12-4, ...`, `..., ngày 6-7, Trường ... tổ chức`), else its first day that is no target or
    start (`trực thuộc ... từ ngày 1/7`: the day a decision takes effect) nor the day it was told
    (`Ngày 13/6, Sở cho biết Hội đồng ... vừa họp`). Another date of the sentence (an anniversary in
    brackets) is not the event's."""
    d = _data()
    candidates = [span for span in dates if day_of([span]) and not is_target(ctx, span)
                  and not _longer_than_a_gathering(span.norm["value"])]
    days = [span for span in candidates if not d["reporting"].search(ctx.folded, span.end, max(span.end, phrase_at))
            and not d["source_before"].search(ctx.folded[s_start:span.start])]
    for span in days:
        if d["until_before"].search(ctx.folded, max(s_start, span.start - 24), span.start):
            return _until_range(ctx, span)  # `kéo dài hết ngày 12/7`: the last of its days
    for span in days:
        if d["adverbial_before"].search(ctx.folded[s_start:span.start]) \
                and d["adverbial_after"].match(ctx.folded, span.end, s_end):
            return span.norm["value"]
    if len(days) < len(candidates):
        # a sentence dated by the day it was told: another day it writes is the event's only as a time
        # (`sẽ ... tham dự Hội nghị ... từ ngày 5 đến 11-7`), not a noun's (`kỷ luật kíp cấp cứu ngày 9/7`)
        days = [span for span in days if "/" in span.norm["value"]
                or d["time_word_before"].search(ctx.folded, max(0, span.start - 16), span.start)]
    if days:
        return day_of(days)
    # no day: a month or a year written as the sentence's time (`Cuối năm 2016, tại một sự kiện ra mắt
    # phim`, `vào cuối tháng 1/2017, tại cuộc họp`), or a month after the gathering's name with a time
    # word that ends its clause (`tại sự kiện Met Gala đầu tháng 5.`; a year there is a period: `cuộc họp
    # đầu tiên của Nhóm PPWE trong 2017`), is the event's date, as coarse as the text gives it (`--05`)
    for span in dates:
        if not _MONTH_OR_YEAR.match(str(span.norm["value"])) or is_target(ctx, span) \
                or not d["adverbial_after"].match(ctx.folded, span.end, s_end):
            continue
        if span.end <= phrase_at and d["adverbial_before"].search(ctx.folded[s_start:span.start]) \
                or span.start > phrase_at and _MONTH.search(str(span.norm["value"])) \
                and d["time_word_before"].search(ctx.folded, max(s_start, span.start - 16), span.start) \
                and not is_planned(ctx, span.start, span.end):  # `sẽ trình lên Hội nghị ... vào tháng 11/2017`
            return span.norm["value"]
    return None


_MONTH_OR_YEAR = re.compile(r"^(?:\d{4}|-)(?:-\d{2})?$")  # `2016`, `2017-01`, `--05`
_MONTH = re.compile(r"-\d{2}$")


def _until_range(ctx, last: Span) -> str | None:
    """The days of a gathering told to last until ``last`` (`Phiên họp dự kiến kéo dài hết ngày 12/7`):
    from the last day written before it (`Hôm nay (11/7), ... khai mạc Phiên họp`), if a gathering's few
    days apart; else none of the sentence's days is the gathering's day."""
    end = str(last.norm["value"])
    start = next((str(s.norm["value"]) for s in reversed(ctx.dates) if s.start < last.start
                  and _DAY_PART.match(str(s.norm.get("value") or ""))), None)
    return f"{start}/{end}" if start and _within(start, f"{start}/{end}") else None
_LONGEST_EVENT = timedelta(days=92)  # a festival or a campaign month, not a period or an anniversary


def _longer_than_a_gathering(value: str) -> bool:
    """A range of days longer than any gathering lasts: the span of an anniversary (`16-6-1907 –
    16-6-2017`), a period works are eligible in (`từ ngày 1/11/2016 - 31/10/2017`)."""
    if "/" not in value:
        return False
    start, end = value.split("/", 1)
    if not all(_DAY_PART.match(v) for v in (start, end)):
        return False
    try:
        first, last = (date.fromisoformat(("2001" + v[1:]) if v.startswith("--") else v) for v in (start, end))
    except ValueError:
        return False
    if last < first and end.startswith("--"):
        last = last.replace(year=first.year + 1)  # `--12-28/--01-03`: over the new year
    return last - first > _LONGEST_EVENT


def _days_from_day_before(ctx, spans: list[Span], folded: str, before: int) -> str | None:
    """The day a gathering is said to be some days from the day just told (`Trước đó 1 ngày, AFC đã tổ chức
    họp kỹ thuật` after `... ngày 17-5`: `--05-16`), from ``folded``, its sentence before the phrase."""
    d = _data()
    said = d["days_apart"].search(folded)
    day = _day_before(ctx, spans, before) if said else None
    if day is None or not _DAY_PART.match(day):
        return None
    count = said.group("n")
    days = int(count) if count.isdigit() else d["day_counts"][count]
    way = d["days_apart_words"][" ".join(said.group("way").split())]
    if day[:4].isdigit():
        return (date.fromisoformat(day) + timedelta(days=way * days)).isoformat()
    # a day without its year: moved alike in a leap year and in another, else which one is unknown
    moved = {(date.fromisoformat(year + day[1:]) + timedelta(days=way * days)).isoformat()[4:]
             for year in ("2000", "2001") if year == "2000" or day[2:] != "02-29"}
    return "-" + moved.pop() if len(moved) == 1 else None


def _day_before(ctx, spans: list[Span], before: int) -> str | None:
    """The last day written before ``before`` that is no target or start (`Cùng ngày`: that day)."""
    for span in reversed(spans):
        if span.start < before and span.label == "DATE" and span.norm.get("value") \
                and day_of([span]) and not is_target(ctx, span):
            return span.norm["value"]
    return None


@lru_cache(maxsize=None)
def _exact_pattern_cached(event_type: str) -> re.Pattern:
    return _exact_pattern(_data()["needs_context_words"][event_type])


def _place(ctx, inside: list[Span], s_start: int, s_end: int) -> tuple[str | None, str | None]:
    """(location text, its province) from `tại ...` and the LOC spans inside it: the venue. A place
    the sentence merely mentions (`hỗ trợ trẻ em tỉnh Quảng Nam`) is not where the event was."""
    d = _data()
    locs = [s for s in inside if s.label == "LOC"]
    orgs = [s for s in inside if s.label == "ORG"]
    location = None
    for m in d["location_lead"].finditer(ctx.folded, s_start, s_end):
        if d["not_venue_after"].search(ctx.folded, max(s_start, m.start() - 60), m.start()):
            continue  # `Tổng lãnh sự Hà Lan tại TP.HCM`: where someone serves
        start = m.end()
        while start < s_end and ctx.text[start] == " ":
            start += 1
        if start >= s_end or _names_event(ctx.folded[start:start + 12]):
            continue  # `tại Hội nghị` names the event itself, not its place
        if _later_in_clause(ctx, inside, m.start(), s_start, s_end):
            continue  # `Diễn đàn ... được tổ chức vào tháng 9 tại Huế`: where an announced one will be
        seat = next((o for o in orgs if o.start == start), None)
        if seat is not None:
            # `tại Trường THPT TX.Quảng Trị`, `tại UBND tỉnh Quảng Nam`: the body's seat is the venue, in
            # the province its name holds (none named: the next evidence decides)
            return ctx.text[seat.start:seat.end], _organizer_province(ctx, [seat])
        end = _phrase_end(ctx, start, s_end, orgs, locs)
        if end > start and (ctx.text[start].isupper() or any(l.start == start for l in locs)
                            or d["place_opener"].match(ctx.folded[start:end])):
            location = _trim_location(ctx, start, end, locs)
            break
    province = None
    if location is not None:
        loc_start = ctx.text.find(location, s_start)
        venue = [l for l in locs if loc_start <= l.start < loc_start + len(location)]
        provinces = list(dict.fromkeys(l.norm["province"] for l in venue if l.norm.get("province")))
        if len(provinces) > 1:
            return location, NO_PROVINCE  # `kiểm tra ở Quảng Ngãi, Ninh Thuận`: several, none is the event's
        if provinces:
            province = provinces[-1]
        elif venue and all(_abroad(ctx.text[l.start:l.end]) for l in venue):
            return location, NO_PROVINCE  # `tại thành phố Porto, Bồ Đào Nha`: held abroad
    return location, province


# The venue says the event has no province of its own (abroad, or several provinces): the article's
# province does not stand in for it.
NO_PROVINCE = ""


@lru_cache(maxsize=1)
def _foreign_names() -> frozenset[str]:
    return frozenset(fold_query(p.name) for p in world_places() if p.country != "VN")


@lru_cache(maxsize=1)
def _world_names() -> frozenset[str]:
    return frozenset(fold_query(p.name) for p in world_places())


def _abroad(name: str) -> bool:
    """Whether a place name is a country or city abroad (`Mỹ`, `Matxcơva`; not `Việt Nam`)."""
    return fold_query(name) in _foreign_names()


def _later_in_clause(ctx, inside: list[Span], at: int, s_start: int, s_end: int) -> bool:
    """Whether the clause around ``at`` holds a date that begins after the article's own date."""
    article = ctx.document.date if ctx.document else None
    if not article:
        return False
    lo, hi = clause_bounds(ctx.folded[s_start:s_end], at - s_start, at - s_start)
    for span in inside:
        if span.label == "DATE" and s_start + lo <= span.start < s_start + hi and span.norm.get("value"):
            start = str(span.norm["value"]).split("/")[0]
            if start[:4].isdigit() and start > article[:len(start)]:
                return True
    return False


def _names_event(folded: str) -> bool:
    """Whether a phrase opens with the name of a kind of event (`tại Hội nghị`: the event itself)."""
    match = find_kind(folded)
    return match is not None and match.start == 0


def _trim_location(ctx, start: int, end: int, locs: list[Span]) -> str:
    """Cut lower-case words trailing after the last place or capitalised word (`Hà Nội tiếp tục`)."""
    phrase = ctx.text[start:end]
    last = None
    for m in re.finditer(r"\S+", phrase):
        word = m.group(0)
        if word[0].isupper() or any(l.start <= start + m.start() < l.end for l in locs):
            last = m.end()
    if last is not None and len(phrase[last:].split()) >= 2:
        phrase = phrase[:last]  # one lower-case syllable may belong to the name (`Sở Y tế`)
    return phrase.strip(" ,.;")


def _phrase_end(ctx, start: int, s_end: int, orgs: list[Span], locs: list[Span]) -> int:
    """End of a place phrase: through comma-separated address parts, up to an ORG, a verb or the end.
    It may end at a comma (the address may go on after it), a semicolon, a full stop, or the space
    before a verb or preposition (``place_phrase_ends_before``)."""
    pos = start
    text = ctx.text
    phrase_break = _data()["phrase_break"]
    while True:
        m = phrase_break.search(text, pos, s_end)
        end = m.start() if m else s_end
        if not m or text[m.start()] != ",":
            return end
        nxt = m.end()
        while nxt < s_end and text[nxt] == " ":
            nxt += 1
        if nxt >= s_end or any(o.start == nxt for o in orgs):
            return end
        if any(l.start == nxt for l in locs) or (text[nxt].isupper() and not any(o.start <= nxt < o.end for o in orgs)):
            # the address goes on, unless a capitalised word opens a new clause
            follow = re.match(r"[^\s,]+(?:\s[^\s,]+)?", text[nxt:s_end])
            if follow and any(l.start == nxt for l in locs) or _looks_like_place(text[nxt:nxt + 40]):
                pos = nxt
                continue
        return end


# One to four capitalised syllables, then a comma or the end (\p{Lu}: a range such as À-Ỹ holds
# the lower-case letters too).
_CAPITALISED_PLACE = regex.compile(r"(?:\p{Lu}[^\s,]*\s?){1,4}(?:,|$)")


def _looks_like_place(s: str) -> bool:
    """`Thái Thịnh, Đống Đa`: one to four capitalised syllables, then a comma or the end."""
    return bool(_CAPITALISED_PLACE.match(s)) and not s.startswith(_data()["not_address_openers"])


def _organizer_spans(ctx, inside: list[Span], s_start: int, folded: str) -> tuple[list[Span], bool]:
    """The ORGs that hold the event, and whether they are the subject of an organizing verb (with
    partners joined by `và`, a comma or a dash; else the ORG right after `do`). Companies,
    associations and foreign bodies count as any other ORG. ``folded`` is the sentence folded, its
    phrases that are no event blanked (`trao đổi` holds no `trao`)."""
    d = _data()
    orgs = [s for s in inside if s.label == "ORG"]
    verb = d["organizer_verbs"].search(folded)
    if verb:
        verb_at = s_start + verb.start()
        # The subject before the verb: the ORGs of the clause that ends at the verb, skipping
        # partners after "phối hợp với" and the place after "tại".
        subject = [o for o in orgs if o.end <= verb_at
                   and not d["not_organizer_before"].search(ctx.folded[max(s_start, o.start - 12):o.start])]
        if subject:
            # the ORG nearest the verb is the organizer; partners joined by "và" come along
            keep = [subject[-1]]
            for o in reversed(subject[:-1]):
                if d["organizer_joiner"].fullmatch(ctx.folded[o.end:keep[0].start]):
                    keep.insert(0, o)
                else:
                    break
            return keep, True
    after = []
    for m in d["organizer_after"].finditer(folded):
        after += [o for o in orgs if o.start == s_start + m.end()][:1]
    return after, False


def _names(ctx, orgs: list[Span]) -> list[str]:
    return list(dict.fromkeys(o.norm.get("name") or ctx.text[o.start:o.end] for o in orgs))


def _organizer_province(ctx, orgs: list[Span]) -> str | None:
    """The province an organizer's name holds (`Trường Đại học Cần Thơ`, `Sở Y tế tỉnh Nghệ An`):
    the first LOC the places finder read inside the first organizer that has one."""
    for o in orgs:
        for place in ctx.places or ():
            if o.start <= place.start and place.end <= o.end and place.norm.get("province"):
                return place.norm["province"]
    return None


def _refs(inside: list[Span]) -> list[str]:
    refs: list[str] = []
    for s in inside:
        ref = s.norm.get("id") if s.label == "LEGAL_REF" else s.norm.get("ref") if s.label == "PROGRAM" else None
        if ref and ref not in refs:
            refs.append(ref)
    return refs


def _participants(ctx, spans: list[Span], i: int) -> int | None:
    """An attendance count: a FIGURE of attendees in a sentence that speaks of attending.
    ``spans`` are sorted by start: each sentence's are found by bisection, not by reading all."""
    d = _data()
    for j in range(i, min(i + 3, len(ctx.sentences))):
        s_start, s_end = ctx.sentences[j]
        if not d["attendance"].search(ctx.folded, s_start, s_end):
            continue
        lo = bisect.bisect_left(spans, s_start, key=_start_of)
        for s in spans[lo:bisect.bisect_left(spans, s_end, lo, key=_start_of)]:
            if s.label == "FIGURE":
                unit = fold_query(str(s.norm.get("unit") or ""))
                value = s.norm.get("value")
                if unit in d["attendee_units"] and isinstance(value, (int, float)):
                    return int(value)
    return None


def _start_of(span: Span) -> int:
    return span.start


def _compatible(a: _Mention, b: _Mention) -> bool:
    """Whether two mentions may be one event: no conflicting date or province, and not another kind
    of gathering that someone is said to hold (`MTF đã tổ chức Hội thảo` inside a conference,
    `ExxonMobil phối hợp tổ chức các khóa tập huấn` beside a signing: an event of its own, guide,
    Events). A generic kind (`tại hội nghị`) names the gathering already reported, whatever it was."""
    if a.date and b.date and a.date != b.date and not _within(a.date, b.date) and not _within(b.date, a.date):
        return False
    if a.province and b.province and a.province != b.province:
        return False
    generic = _data()["generic_kinds"]
    # a plain mention (`Hội nghị Ban Điều hành ...` as a headline: a generic kind, no day, no
    # organizer; or the headline itself, whatever it names: `Tôn vinh người hiến máu`) is the gathering a
    # later one says someone held (`tổ chức hội nghị đánh giá`, `tổ chức lễ tôn vinh`)
    plain = (a.kind in generic or a.sentence == 0) and not a.date and not a.organizers
    plain_b = b.kind in generic and not b.date and not b.organizers
    if {a.type, b.type} == {"ky_ket", "hoi_nghi"} and not (plain if a.type == "hoi_nghi" else plain_b):
        return False  # a signing at a conference is its own event beside it, told before or after (guide: Events, reader a)
    return not (b.held_by and a.type != b.type and b.kind not in generic and not plain)


def _within(day: str, span: str) -> bool:
    """Whether ``span`` is a gathering of a few days (at most ``_LONGEST_GATHERING``) that opens on
    ``day``: `Sáng 17/5, Hội nghị ... khai mạc` and `Trong hai ngày từ 17-18/5` are one conference. A
    longer range is a campaign or an anniversary (`1-8/6`, `1907 - 2017`), no gathering's days."""
    if "/" in day or "/" not in span:
        return False
    start, end = span.split("/", 1)
    if not all(_DAY_PART.match(v) for v in (day, start, end)) or start[-5:] != day[-5:]:
        return False
    if "--" not in (start[:2], day[:2]) and start[:4] != day[:4]:
        return False  # another year (compared only where both write it)
    try:
        first, last = (date.fromisoformat(("2001" + v[1:]) if v.startswith("--") else v) for v in (start, end))
    except ValueError:
        return False
    return timedelta(0) < last - first <= _LONGEST_GATHERING


_DAY_PART = re.compile(r"^(?:\d{4}|-)-\d{2}-\d{2}$")
_LONGEST_GATHERING = timedelta(days=6)


def _merge(mentions: list[_Mention]) -> list[_Mention]:
    """Mentions of one event become one: a later mention with no conflicting date or province
    completes the earlier one; the more specific kind wins (`Hội nghị` then `Hội nghị sơ kết`; a
    signing at a conference is no mention of it but an event of its own: :func:`_compatible`); the
    event's sentence is the first that dates it, else its first mention."""
    events: list[_Mention] = []
    for m in mentions:
        target = next((e for e in events if _compatible(e, m)), None)
        if target is None:
            if m.date is None and m.at_gathering and events and events[-1].date is not None:
                # `Tại hội nghị, ... tại đợt ký kết sáng nay, ...`: a gathering of its own held at the one
                # told last, on its day (a signing at a conference, guide: Events)
                m.date = events[-1].date
            events.append(m)
            continue
        # a ceremony's bare word (`lễ`) is said of many things at a gathering (`tại buổi lễ` of a
        # signing): it tells what a gathering called only `sự kiện` was, nothing more; a named kind of
        # ceremony does (`giao lưu với khán giả` then `xuất hiện trong đêm nhạc`: a concert)
        if _names_what_it_was(target, m):
            target.type, target.kind, target.rank = m.type, m.kind, m.rank
        if target.date is None and m.date is not None:
            target.sentence = m.sentence  # its provenance: the sentence that dates it (a headline gives no day)
            if m.location is not None:
                # and its venue (a headline's `đạt giải tại Mỹ` is where the prize was won, not the ceremony)
                target.location, target.province = m.location, m.province
        elif target.date and m.date and _within(target.date, m.date):
            target.date = m.date  # `Sáng 17/5, ... khai mạc` then `Trong hai ngày từ 17-18/5`: the whole range
        for attr in ("date", "province", "location", "participants"):
            if getattr(target, attr) is None and getattr(m, attr) is not None:
                setattr(target, attr, getattr(m, attr))
        if not target.organizers:
            target.organizers = list(m.organizers)
        target.refers_back = target.refers_back or m.refers_back
        for attr in ("legal_refs",):
            for v in getattr(m, attr):
                if v not in getattr(target, attr):
                    getattr(target, attr).append(v)
    return events


_OPENING_CLAUSE = re.compile(r"^\W*([^,;:]*)")


def _opens_at_gathering(folded: str) -> bool:
    """Whether a sentence (folded) opens with a clause at a gathering told before: `Tại hội nghị, ...`,
    `Trong buổi lễ, ...` (events.yaml ``refers_back_before``, then a kind's phrase)."""
    clause = _OPENING_CLAUSE.match(folded).group(1)
    lead = _data()["at_gathering_lead"].match(clause)
    return lead is not None and _names_event(clause[lead.end():])


def _conference_first(events: list[_Mention]) -> list[_Mention]:
    """A signing told before the conference of the same article follows it: signatories sign at a
    conference, not a conference at a signing (guide: Events, a signing at a conference is its own
    `ky_ket` event after the conference)."""
    signing = next((i for i, e in enumerate(events) if e.type == "ky_ket"), None)
    conference = next((i for i, e in enumerate(events) if e.type == "hoi_nghi"), None)
    if signing is None or conference is None or conference < signing:
        return events
    return [*events[:signing], events[conference], *(e for i, e in enumerate(events[signing:], signing) if i != conference)]


def _opens_with_head(phrase: str) -> bool:
    """Whether a kind's phrase (folded) opens with a gathering's bare noun (`lễ tôn vinh`, `hội nghị`)."""
    return any(phrase == h or phrase.startswith(h + " ") for h in _data()["gathering_heads"])


def _names_what_it_was(target: _Mention, m: _Mention) -> bool:
    """Whether a later mention ``m`` of the gathering ``target`` tells what it was: a specific one (`Hội
    nghị sơ kết`, dated), of a more specific kind than a gathering called by a generic kind (`Hội nghị`,
    `sự kiện`), or the first that dates one told before without a day, of a more specific kind (`giao lưu
    với khán giả` then `Hôm 1/7, ... trong đêm nhạc`) or naming it by a gathering's noun (`Tôn vinh người
    hiến máu`, then `Tối nay (14/6) ... đã diễn ra lễ tôn vinh`; not by a verb of what was done at it: `Lễ
    hội đốt lửa` then `diễu hành ... ngày 31/1`). A gathering of a kind of its own keeps it: a kind
    told later at the same gathering is what happened there (`Lễ bàn giao` at a forum's closing). A
    ceremony's bare word (`lễ`) is said of many things at a gathering (`tại buổi lễ` of a signing): it tells
    only what a gathering called `sự kiện` was; a named kind of ceremony tells it always (`giao lưu với
    khán giả` then `xuất hiện trong đêm nhạc`: a concert)."""
    d = _data()
    if not m.specific or (m.kind in d["ceremony_word_kinds"] and target.kind not in d["vaguest_kinds"]):
        return False
    if target.kind in d["generic_kinds"]:
        return m.rank < target.rank
    return target.date is None and m.date is not None and m.kind not in d["generic_kinds"] \
        and (m.rank < target.rank or m.gathering_noun)


def _national(m: _Mention, ctx) -> bool:
    """Whether the event's venue is a national body's seat (`tại cơ quan Trung ương Hội`, `tại Nhà Quốc
    hội`): held at the national seat. National organizers alone say nothing of where (a ministry's
    briefing, the Government's meeting: the guide's order of evidence gives no province)."""
    location = m.location or ""
    if not location or fold_query(location) in _world_names():
        return False  # `tại Việt Nam`: a country is no body's seat
    if location.isascii():
        return bool(_data()["national"].search(fold_query(location)))
    return bool(_data()["national_exact"].search(location.lower()))  # `Bộ`, not `Bồ Đào Nha`
