"""The event linker: each article's events (guide: Events), the main event first.

It runs after every finder and resolver, so it reads the settled spans with their norms:

1. a sentence that holds a trigger phrase (``tổ chức Hội nghị``, ``tập huấn``, ``sơ kết``,
   ``ký kết``, ``lễ``...; ``data/events.yaml``) and shows the event took place (a verb such as
   ``tổ chức``/``diễn ra``/``tham dự``, or a date) is an event mention; issuing a document is not;
2. each mention takes from its sentence the date (a DATE span), the place (``tại ...``; LOC
   spans give the province), the organizers (ORGs before ``tổ chức``/``phối hợp``, or after
   ``do``), the documents it implements (LEGAL_REF ids, PROGRAM refs) and the attendance (a
   FIGURE of ``đại biểu``/``người`` near ``tham dự``);
3. mentions of one event are merged (same type or a more general one, no conflicting date), so
   the title, the lead and later paragraphs that speak of the same conference become one event;
4. the main event is the first one the article reports; every event keeps its sentence index.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .clean import canonical, fold, fold_query
from .models import Event, Span
from .context import stage
from .levels import level_forms
from .resources import load_data


def _phrase_pattern(phrases) -> re.Pattern:
    words = sorted({fold_query(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?![a-z0-9])")


def _exact_pattern(phrases) -> re.Pattern:
    """Lower-case phrases with their diacritics (`lễ` is not the name `Lê`)."""
    words = sorted({" ".join(canonical(p).lower().split()) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?![\w])")


def _alternation(phrases, gap: str = " ") -> str:
    """Folded phrases as a regex alternation (no boundaries), longest first, `gap` between words."""
    words = sorted({fold_query(p) for p in phrases}, key=len, reverse=True)
    return "|".join(gap.join(map(re.escape, w.split())) for w in words)


@lru_cache(maxsize=1)
def _data() -> dict:
    data = load_data("events.yaml")
    triggers = {t: _phrase_pattern(words) for t, words in data["triggers"].items()}
    return {
        "triggers": triggers,
        "triggers_exact": {t: _exact_pattern(words) for t, words in data["triggers"].items()},
        "specific_triggers": tuple(fold_query(t) for t in data["specific_triggers"]),
        "specific_lead": re.compile(r"(?:" + _alternation(data["specific_before"]) + r")\s+(?:\S+\s+)?$"),
        "specific_tail": re.compile(r"^\S*(?:\s+\S+){0,3}\s+(?:" + _alternation(data["specific_after"]) + r")(?![a-z])"),
        "priority": data["type_priority"],
        "happened": _phrase_pattern(data["happened"]),
        "not_events": _exact_pattern(data["not_events"]),
        "needs_context": {t: _phrase_pattern(w) for t, w in (data.get("needs_context") or {}).items()},
        "needs_context_words": dict(data.get("needs_context") or {}),
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
        "national": [fold_query(m) for m in data["national_markers"]],
        "national_seat": load_data("places.yaml")["national_seat"],
    }


@dataclass
class _Mention:
    sentence: int
    type: str
    start: int  # offset of the trigger
    date: str | None = None
    province: str | None = None
    location: str | None = None
    organizers: list[str] = field(default_factory=list)
    legal_refs: list[str] = field(default_factory=list)
    participants: int | None = None
    specific: bool = False


@stage("events", requires=("spans", "document"), assigns="events")
def link_events(spans: list[Span], ctx) -> list[Event]:
    """The document's events, main event first (see the module docstring)."""
    spans = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in spans]
    mentions = [m for i in range(len(ctx.sentences)) for m in _mentions_in(i, spans, ctx, starts)]
    events = _merge(mentions)
    province = ctx.document.province
    year = str(ctx.document.year) if ctx.document.year else None
    out = []
    for m in events:
        if m.date and year:
            # `--05-09`: a day the DATE finder could not place in a year takes the article's year
            m.date = "/".join(f"{year}{part[1:]}" if part.startswith("--") else part for part in m.date.split("/"))
        if m.province is None:
            m.province = province
        if m.province is None and _national(m, ctx):
            m.province = _data()["national_seat"]
        out.append(Event(type=m.type, date=m.date, province=m.province, location=m.location,
                         organizers=m.organizers, legal_refs=m.legal_refs, participants=m.participants,
                         sentence=m.sentence))
    return out


def _trigger(folded: str, written: str | None = None) -> tuple[str, int] | None:
    """The event type a sentence speaks of and where its trigger is (by type priority). With the
    sentence as written, triggers must match with their diacritics unless it has none."""
    d = _data()
    best = None
    exact = written is not None and not written.isascii()
    for event_type in d["priority"]:
        if exact:
            m = d["triggers_exact"][event_type].search(written.lower())
        else:
            m = d["triggers"][event_type].search(folded)
        if m:
            rank = d["priority"].index(event_type)
            if best is None or rank < best[2]:
                best = (event_type, m.start(), rank)
    return (best[0], best[1]) if best else None


def _mentions_in(i: int, spans: list[Span], ctx, starts: list[int]) -> list[_Mention]:
    d = _data()
    s_start, s_end = ctx.sentences[i]
    written = _mask(ctx.text[s_start:s_end], d["not_events"])  # `lễ tang`, `ngày lễ`: not events
    folded = fold(written)
    found = _trigger(folded, written)
    if not found:
        return []
    event_type, at = found
    trigger_end = at + _trigger_length(folded, written, event_type, at)
    if re.search(r"\d[\d.,]*\s+(?:[a-z]+\s+){0,2}$", folded[:at]):
        return []  # `319 lớp tập huấn`: a count of past events, not an event
    lo, hi = bisect.bisect_left(starts, s_start), bisect.bisect_left(starts, s_end)
    inside = spans[lo:hi]  # the sentence's spans: a slice of the sorted list, not a scan of all
    dates = [s for s in inside if s.label == "DATE" and s.norm.get("value")]
    # the sign that it took place must be another word than the trigger (`phiên họp` is no `họp`)
    rest = written[:at] + " " * (trigger_end - at) + written[trigger_end:]
    happened = (d["happened"].search(fold(rest)) if written.isascii()
                else d["happened_exact"].search(rest.lower()))  # `mở` is not `mô`
    if not happened and not dates:
        return []
    context = d["needs_context"].get(event_type)
    if context is not None and not dates and not (context.search(fold(rest)) if written.isascii()
                                                  else _exact_pattern_cached(event_type).search(rest.lower())):
        return []
    if d["issuing"].search(folded) and not d["held_despite_issuing"].search(folded):
        return []
    mention = _Mention(sentence=i, type=event_type, start=s_start + at)
    # A specific occurrence (`hội nghị sơ kết`, `sự kiện ký kết`, `ký kết ... hôm nay`) may tell
    # what an earlier, plainer mention of the same gathering was.
    mention.specific = bool(d["specific_lead"].search(folded[:at]) or d["specific_tail"].search(folded[at:at + 60])
                            or folded.startswith(d["specific_triggers"], at) or dates)
    mention.date = _event_date(dates)
    mention.location, mention.province = _place(ctx, inside, s_start, s_end)
    where = None
    if mention.location:
        loc_at = ctx.text.find(mention.location, s_start, s_end)
        where = (loc_at, loc_at + len(mention.location)) if loc_at >= 0 else None
    mention.organizers = _organizers(ctx, [s for s in inside if not (where and where[0] <= s.start < where[1])],
                                     s_start, s_end, s_start + at)
    mention.legal_refs = _refs(inside)
    mention.participants = _participants(ctx, spans, i)
    return [mention]


@lru_cache(maxsize=None)
def _exact_pattern_cached(event_type: str) -> re.Pattern:
    return _exact_pattern(_data()["needs_context_words"][event_type])


def _mask(text: str, pattern: re.Pattern) -> str:
    """``text`` with the phrases ``pattern`` finds blanked out (same length)."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text.lower()) if pattern.search(text.lower()) else text


def _trigger_length(folded: str, written: str, event_type: str, at: int) -> int:
    d = _data()
    pattern = d["triggers"][event_type] if written.isascii() else d["triggers_exact"][event_type]
    m = pattern.match(folded if written.isascii() else written.lower(), at)
    return len(m.group(0)) if m else 0


def _event_date(dates: list[Span]) -> str | None:
    """The first day-level date of the sentence (a day, or a range of days), else any date."""
    day = re.compile(r"^(\d{4}|-)-?-?\d{2}-\d{2}")
    for s in dates:
        if day.match(s.norm["value"]):
            return s.norm["value"]
    return None


def _place(ctx, inside: list[Span], s_start: int, s_end: int) -> tuple[str | None, str | None]:
    """(location text, province) from `tại ...` and the sentence's LOC spans."""
    d = _data()
    locs = [s for s in inside if s.label == "LOC"]
    orgs = [s for s in inside if s.label == "ORG"]
    location = None
    for m in d["location_lead"].finditer(ctx.folded, s_start, s_end):
        start = m.end()
        while start < s_end and ctx.text[start] == " ":
            start += 1
        if start >= s_end or any(o.start == start for o in orgs) or _trigger(ctx.folded[start:start + 12]):
            continue  # `tại Hội nghị` names the event itself, not its place
        end = _phrase_end(ctx, start, s_end, orgs, locs)
        if end > start and (ctx.text[start].isupper() or any(l.start == start for l in locs)
                            or d["place_opener"].match(ctx.folded[start:end])):
            location = _trim_location(ctx, start, end, locs)
            break
    province = None
    if location is not None:
        loc_start = ctx.text.find(location, s_start)
        for l in locs:
            if loc_start <= l.start < loc_start + len(location) and l.norm.get("province"):
                province = l.norm["province"]
    if province is None:
        for l in locs:
            if l.norm.get("province"):
                province = l.norm["province"]
                break
    return location, province


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


def _organizers(ctx, inside: list[Span], s_start: int, s_end: int, trigger_at: int) -> list[str]:
    d = _data()
    orgs = [s for s in inside if s.label == "ORG"]
    verb = d["organizer_verbs"].search(ctx.folded, s_start, s_end)
    names: list[str] = []
    if verb:
        # The subject before the verb: the ORGs of the clause that ends at the verb, skipping
        # partners after "phối hợp với" and the place after "tại".
        for o in orgs:
            if o.end <= verb.start():
                before = ctx.folded[max(s_start, o.start - 12):o.start]
                if d["not_organizer_before"].search(before):
                    continue
                names.append(o.norm.get("name") or ctx.text[o.start:o.end])
        if names:
            # the ORG nearest the verb is the organizer; partners joined by "và" come along
            last = [o for o in orgs if o.end <= verb.start() and (o.norm.get("name") or "") in names]
            keep = [last[-1]]
            for o in reversed(last[:-1]):
                between = ctx.folded[o.end:keep[0].start]
                if d["organizer_joiner"].fullmatch(between):
                    keep.insert(0, o)
                else:
                    break
            names = [o.norm.get("name") or ctx.text[o.start:o.end] for o in keep]
    if not names:
        for m in d["organizer_after"].finditer(ctx.folded[s_start:s_end]):
            at = s_start + m.end()
            hit = [o for o in orgs if o.start == at]
            if hit:
                names.append(hit[0].norm.get("name") or ctx.text[hit[0].start:hit[0].end])
    seen = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen


def _refs(inside: list[Span]) -> list[str]:
    refs: list[str] = []
    for s in inside:
        ref = s.norm.get("id") if s.label == "LEGAL_REF" else s.norm.get("ref") if s.label == "PROGRAM" else None
        if ref and ref not in refs:
            refs.append(ref)
    return refs


def _participants(ctx, spans: list[Span], i: int) -> int | None:
    """An attendance count: a FIGURE of attendees in a sentence that speaks of attending."""
    d = _data()
    for j in range(i, min(i + 3, len(ctx.sentences))):
        s_start, s_end = ctx.sentences[j]
        if not d["attendance"].search(ctx.folded, s_start, s_end):
            continue
        for s in spans:
            if s.label == "FIGURE" and s_start <= s.start < s_end:
                unit = fold_query(str(s.norm.get("unit") or ""))
                value = s.norm.get("value")
                if unit in d["attendee_units"] and isinstance(value, (int, float)):
                    return int(value)
    return None


def _compatible(a: _Mention, b: _Mention) -> bool:
    if a.date and b.date and a.date != b.date:
        return False
    if a.province and b.province and a.province != b.province:
        return False
    return True


def _merge(mentions: list[_Mention]) -> list[_Mention]:
    """Mentions of one event become one: a later mention with no conflicting date or province
    completes the earlier one; the more specific type wins (a conference where a plan is signed
    is a signing)."""
    priority = _data()["priority"]
    events: list[_Mention] = []
    for m in mentions:
        target = next((e for e in events if _compatible(e, m)), None)
        if target is None:
            events.append(m)
            continue
        if m.specific and priority.index(m.type) < priority.index(target.type) and m.type != "le":
            target.type = m.type
        for attr in ("date", "province", "location", "participants"):
            if getattr(target, attr) is None and getattr(m, attr) is not None:
                setattr(target, attr, getattr(m, attr))
        if not target.organizers:
            target.organizers = list(m.organizers)
        for attr in ("legal_refs",):
            for v in getattr(m, attr):
                if v not in getattr(target, attr):
                    getattr(target, attr).append(v)
    return events


def _national(m: _Mention, ctx) -> bool:
    """Whether the event's organizers or place are national bodies (held at the national seat)."""
    markers = _data()["national"]
    texts = [fold_query(o) + " " for o in m.organizers] + [fold_query(m.location or "")]
    return any(marker in t for t in texts for marker in markers)
