"""Find named programmes, schemes, plans and campaigns (PROGRAM) and link them to the documents
that approve them.

A PROGRAM is a keyword (``Đề án``, ``Chương trình``, ``Kế hoạch``...) followed by its name or
number. Where the name ends is the hard part in Vietnamese: names hold commas (``bảo vệ, chăm
sóc, giáo dục``) and locatives (``tại cộng đồng``). The name runs until strong punctuation, a stop
word (a verb or preposition that starts the rest of the clause), or a comma that does not open a
period phrase; the lists of words are in ``data/programs.yaml``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .clean import canonical, fold, fold_query
from .context import stage
from .levels import level_words
from .models import Span
from .resources import load_data
from .tokens import not_a_vietnamese_name, prefix_tree_alternation

_PERIOD = re.compile(
    r",?\s*(?:giai doan\s+(?:tu\s+(?:nam\s+)?)?(?P<a>(?:19|20)\d\d)\s*(?:-|den|toi)\s*(?:nam\s+)?(?P<b>(?:19|20)\d\d)"
    r"|(?:giai doan\s+)?(?:den|toi)\s+nam\s+(?P<to>(?:19|20)\d\d)"
    r"|(?:nam|ky)\s+(?P<year>(?:19|20)\d\d)"
    r"|(?P<c>(?:19|20)\d\d)\s*-\s*(?P<d>(?:19|20)\d\d))(?![\d])"
)
_STRONG_END = re.compile(r"[.;:!?()\[\]\"“”\n…]|(?<!\d)\s-\s|\s-\s(?!\d)|,")


def _forms(words) -> frozenset[str]:
    """Words as a document with diacritics writes them: canonical, lower-case, single-spaced."""
    return frozenset(" ".join(canonical(w).lower().split()) for w in words)


@dataclass(frozen=True)
class _Listed:
    """A word list of programs.yaml: its folded alternation (group ``w``) in the context a finder
    reads it in, and the forms it is written in (:meth:`_Reading.listed`)."""

    pattern: re.Pattern
    forms: frozenset[str]


# Where a list's words are read: right before a position, at it, inside a span, after a blank.
_BEFORE, _AT, _WITHIN = (r"(?:^|[^a-z0-9])", r"\s+$"), ("", r"(?![a-z0-9])"), (r"(?<![a-z0-9])", r"(?![a-z0-9])")


def _alternation(words) -> str:
    return "|".join(map(re.escape, sorted({fold_query(w) for w in words}, key=len, reverse=True)))


def _listed(words, around: tuple[str, str]) -> _Listed:
    return _Listed(re.compile(f"{around[0]}(?P<w>{_alternation(words)}){around[1]}"), _forms(words))


@lru_cache(maxsize=1)
def _config():
    cfg = load_data("programs.yaml")
    keywords = sorted({fold_query(k) for k in cfg["keywords"]})
    # the keywords as a tree of their prefixes, the lookbehind after the first letter (only where a
    # keyword's first letter stands is it tried): the same matches as their alternation longest
    # first, since keywords that match at one place are prefixes of one another
    kw = prefix_tree_alternation(keywords, gap=" ", after_first="(?<![a-z0-9].)")
    facilities = [*cfg["facility_words"], *load_data("places.yaml")["landmark_words"]]
    return {
        "keyword": re.compile(rf"(?:{kw})(?![a-z0-9])"),
        "keyword_forms": _forms(cfg["keywords"]),
        "generic": _listed(cfg["generic_before"], _BEFORE),
        "list_marker": _listed(cfg["list_markers"], _BEFORE),
        # a stop word, or a broadcast phrase (which also ends a show's name)
        "stop": _listed([*cfg["stop_words"], *cfg["show_after"]], (r"\s", r"(?![a-z0-9])")),
        "bad_first": _listed(cfg["bad_first_words"], _AT),
        "trailing": _listed(cfg["trailing_words"], (r"\s", "$")),
        "compound": _listed(cfg["keyword_compounds"], _AT),
        "inside_name": _listed(cfg["inside_names_after"], _BEFORE),
        "show_before": _listed(cfg["show_before"], _BEFORE),
        "show_after": _listed(cfg["show_after"], (r"\s*", r"(?![a-z0-9])")),
        "show_in_name": _listed(cfg["show_in_name"], _WITHIN),
        "course": _listed(cfg["course_first_words"], _AT),
        "facility_verb": _listed(cfg["facility_verbs"], _AT),
        # a facility, after a verb of building or not (group `v`, checked on its own)
        "facility": _listed(facilities, (rf"(?:(?P<v>{_alternation(cfg['facility_verbs'])})\s+)?", r"(?![a-z0-9])")),
        # `dự án Luật ...`: a bill, a draft of a legal document (guide: PROGRAM)
        "draft": _listed([t["name"] for t in load_data("legal_refs.yaml")["types"]], _AT),
        "movement_group": _listed(cfg["movement_groups"], _AT),
        "after_comma": tuple(cfg["continue_after_comma"]),
        "max_words": int(cfg["max_words"]),
        "not_programs": tuple(cfg["not_programs"]),
        "needs_anchor": frozenset(cfg["needs_anchor"]),
        "anchor": re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, cfg["anchors"])) + r")\s+(?P<next>[a-z0-9]+)"),
        "links": re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, cfg["link_words"])) + r")(?![a-z])"),
        "city_short": _city_short(),
    }


def _city_short() -> tuple[re.Pattern, int]:
    """A level word's abbreviation (`TP`, `T.P`, folded) right before a dot, and how far back to look
    for it: `TP.HCM` goes on."""
    shorts = sorted({fold(s) for lw in level_words() for s in lw.short}, key=len, reverse=True)
    return re.compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, shorts)) + r")$"), 1 + len(shorts[0])


@dataclass(frozen=True)
class _Reading:
    """The text a finder reads, its folded twin, and how the listed words are matched in it: as
    written where it has diacritics (`đẳng` is not `đang`), by their folded forms where it was typed
    without."""

    text: str
    folded: str
    plain: bool

    def listed(self, start: int, end: int, forms: frozenset[str]) -> bool:
        return self.plain or " ".join(self.text[start:end].lower().split()) in forms

    def first(self, words: _Listed, start: int, end: int) -> re.Match | None:
        """The first match of ``words`` in [start, end) written as listed."""
        for m in words.pattern.finditer(self.folded, start, end):
            if self.listed(m.start("w"), m.end("w"), words.forms):
                return m
        return None

    def starts(self, words: _Listed, at: int) -> re.Match | None:
        """``words`` matched at ``at``, if written as listed."""
        m = words.pattern.match(self.folded, at)
        return m if m and self.listed(m.start("w"), m.end("w"), words.forms) else None

    def ends_with(self, words: _Listed, end: int, reach: int = 24) -> bool:
        """Whether the text before ``end`` ends with ``words`` as listed."""
        start = max(0, end - reach)
        m = words.pattern.search(self.folded[start:end])
        return bool(m) and self.listed(start + m.start("w"), start + m.end("w"), words.forms)


def _name_end(t: _Reading, start: int, limit: int) -> int:
    """Where the programme name starting at ``start`` ends (exclusive)."""
    cfg = _config()
    text, folded = t.text, t.folded
    pos = start
    while pos < limit:
        strong = _STRONG_END.search(folded, pos, limit)
        stop = t.first(cfg["stop"], pos, strong.start() if strong else limit)
        if stop:
            return stop.start()
        if not strong:
            return limit
        if strong.group(0) == ",":
            after = folded[strong.end():limit].lstrip()
            if after.startswith(cfg["after_comma"]):
                pos = strong.end()
                continue
            # a list of short items inside the name: "bảo vệ, chăm sóc, giáo dục, tại cộng đồng"
            if text[strong.end():limit].lstrip()[:1].islower() and _short_item(t, strong.end(), limit):
                pos = strong.end()
                continue
        city_short, reach = cfg["city_short"]
        if strong.group(0) == "." and re.match(r"[A-Z]", text[strong.end():strong.end() + 1] or " ") and \
                city_short.search(folded[max(0, strong.start() - reach):strong.start()]):
            pos = strong.end()  # TP.HCM inside a name
            continue
        return strong.start()
    return limit


def _short_item(t: _Reading, pos: int, limit: int) -> bool:
    """After a comma: is the next item short (at most six words before the next punctuation or
    period phrase) and free of stop words? Then it is part of the name."""
    cfg = _config()
    rest = t.folded[pos:min(limit, pos + 120)]
    item = re.split(r"[,.;:!?()\n…]|\s-\s|\sgiai doan\s|\sden nam\s", rest)[0]
    words = item.split()
    # (the stop pattern wants a blank before its word: the comma's own blank, or none)
    return 0 < len(words) <= 6 and not t.first(cfg["stop"], pos if rest[:1].isspace() else pos - 1, pos + len(item))


def _drop_trailing_function_words(t: _Reading, start: int, end: int) -> int:
    cfg = _config()
    trailing = cfg["trailing"]
    while (m := trailing.pattern.search(t.folded, start, end)) and t.listed(m.start("w"), m.end("w"), trailing.forms):
        end = m.start()
    return end


def _trim(text: str, start: int, end: int) -> int:
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return end


def _period(folded_name: str) -> tuple[str | None, tuple[int, int] | None]:
    m = None
    for m in _PERIOD.finditer(folded_name):
        pass  # the last period phrase is the programme's period
    if not m:
        return None, None
    if m["a"]:
        return f"{m['a']}/{m['b']}", m.span()
    if m["c"]:
        return f"{m['c']}/{m['d']}", m.span()
    if m["to"]:
        return f"/{m['to']}", m.span()
    return m["year"], m.span()


@stage("finder", assigns="programs")
def find_programs(ctx) -> list[Span]:
    text, folded = ctx.text, ctx.folded
    t = _Reading(text, folded, ctx.without_diacritics)
    cfg = _config()
    spans: list[Span] = []
    shows: set[str] = set()  # the names of shows: the same name elsewhere is the show too
    named: list[tuple[Span, str]] = []
    unsure: list[tuple[Span, str]] = []  # lower-case descriptive names: programmes if said again
    given: set[str] = set()  # the folded text of each programme found so far (`_earlier_name`)
    for m in cfg["keyword"].finditer(folded):
        kstart, kend = m.span()
        sentence = ctx.sentence_of(kstart)
        limit = sentence[1] if sentence else len(text)
        if not t.listed(kstart, kend, cfg["keyword_forms"]):
            continue
        if t.ends_with(cfg["list_marker"], kstart, reach=12):
            members = _shared_keyword_list(t, kstart, kend, limit)
            spans += members
            named += [(span, _name_key(span.norm["name"])) for span in members]
            given.update(folded[span.start:span.end] for span in members)
            continue
        if _not_a_keyword(t, kstart, kend):
            continue
        rest = folded[kend:limit]
        words = rest.split()
        if not words or not text[kend:kend + 1].isspace():
            continue
        name_start = kend + (len(rest) - len(rest.lstrip()))
        quoted = _quoted_name_end(text, name_start, limit)
        if quoted is None and (not words[0][:1].isalnum() or _not_a_name(t, m.group(0), name_start)):
            continue
        number = re.match(r"\d{1,5}(?:[a-z](?![a-z0-9]))?(?!\d)(?![/.,]\d)", folded[name_start:limit])
        if quoted is None and not number and re.match(r"\d", folded[name_start:name_start + 1]):
            continue  # a count, not a number naming it: "chương trình 10.000 nụ cười"
        if quoted is not None:
            # a quoted name ends at its closing quote, with a period phrase after it if any
            end = quoted + _period_after(folded, quoted, limit)
        elif number:
            end = name_start + number.end()  # "Đề án 1533", "Chương trình 135": the number is the name
        else:
            end = _name_end(t, name_start, limit)
            # a kind of programme in a few lower-case words, then its name in quotes: `Phong trào thi
            # đua “Cả nước chung tay vì người nghèo”`, `Chương trình hành động “Vì trẻ em”`
            kind = text[name_start:end].split()
            quoted_after = _quoted_name_end(text, end, limit) if len(kind) <= 3 and \
                all(w.islower() for w in kind) else None
            if quoted_after is not None:
                quoted = end = quoted_after + _period_after(folded, quoted_after, limit)
        # cap the length in words
        name_words = folded[name_start:end].split()
        if len(name_words) > cfg["max_words"]:
            cut = re.match(r"\s*(?:\S+\s+){%d}" % cfg["max_words"], folded[name_start:end])
            end = name_start + (cut.end() if cut else end - name_start)
        if quoted is None:
            end = _trim(text, kstart, end)
            end = _drop_trailing_function_words(t, name_start, end)
        if end <= name_start:
            continue
        keyword_text = text[kstart:kend]
        name_text = text[name_start:end]
        if m.group(0) == "chuong trinh" and _is_show(t, kstart, name_start, quoted or end):
            shows.add(_name_key(name_text))
            continue
        if quoted is None and t.listed(name_start, end, cfg["facility_verb"].forms) and not t.plain:
            continue  # the keyword and an activity alone: "Dự án xây dựng"
        repeated = _earlier_name(folded, kstart, end, given) if quoted is None else None
        if repeated:
            end = repeated  # a name the article gave a programme before, the clause after it left out
        if folded[kstart:end].startswith(cfg["not_programs"]):
            continue
        span = _program_span(text, folded, kstart, end)
        named_here = repeated or quoted is not None or (
            (keyword_text[:1].isupper() or _named_lowercase(name_text, spans, kstart, text))
            and (m.group(0) not in cfg["needs_anchor"] or _anchored(folded[name_start:end], name_text, cfg)))
        if named_here:
            spans.append(span)
            named.append((span, _name_key(name_text)))
            given.add(folded[kstart:end])
        elif len(folded[name_start:end].split()) >= 3 and not re.search(r"\d", folded[name_start:end]):
            # (a count inside, `kế hoạch hành động 6 điểm`, describes the plan: no name)
            unsure.append((span, _name_key(name_text)))
    # a descriptive name the article gives again is a programme's name: `đề án truy xuất nguồn gốc
    # thịt heo` three times, `chương trình xây dựng nông thôn mới` twice
    times = Counter(fold_query(s.norm["name"]) for s, _ in [*named, *unsure])
    named += [(s, key) for s, key in unsure if times[fold_query(s.norm["name"])] >= 2]
    named.sort(key=lambda pair: pair[0].start)
    return [span for span, key in named if not _begins_with_any(key, shows)]


def _begins_with_any(key: str, names: set[str]) -> bool:
    """Whether one of ``names`` is ``key`` or its first words (each word end looked up once)."""
    return any(key[:cut] in names for cut in _word_ends(key))


def _word_ends(words: str) -> list[int]:
    """Where each of the first words of ``words`` ends: before each blank, and at the end."""
    return [len(words), *(m.start() for m in re.finditer(" ", words))]


def _program_span(text: str, folded: str, kstart: int, end: int) -> Span:
    """The PROGRAM span from the keyword at ``kstart`` to ``end``: its name without its period."""
    period, pspan = _period(folded[kstart:end])
    if pspan:
        name = (text[kstart:kstart + pspan[0]] + " " + text[kstart + pspan[1]:end])
    else:
        name = text[kstart:end]
    name = " ".join(name.replace(" ,", ",").split()).strip(" ,")
    return Span(kstart, end, "PROGRAM", {"name": _QUOTES.sub("", name), "ref": None, "period": period})


def _earlier_name(folded: str, kstart: int, end: int, given: set[str]) -> int | None:
    """The end of the longest programme found earlier whose whole name starts this mention
    (`Chương trình chống lao ...; ... chương trình chống lao tiếp cận ...`), if any: each of the
    mention's word ends looked up once (not each earlier programme compared, which a document
    naming thousands of programmes would make quadratic)."""
    here = folded[kstart:end]
    return max((kstart + cut for cut in _word_ends(here) if here[:cut] in given), default=None)


def _name_key(name: str) -> str:
    return fold_query(_QUOTES.sub("", name))


def _shared_keyword_list(t: _Reading, kstart: int, kend: int, limit: int) -> list[Span]:
    """Programmes listed after one plural keyword, one PROGRAM each with the keyword in its name
    (guide): `các chương trình 135, xây dựng nông thôn mới, mục tiêu quốc gia giảm nghèo`, `hai
    chương trình Cấp cứu Nhi khoa và Nâng niu Sự sống`. A list only when its first member is a
    number or every member is named (a capital, a number): `các chương trình phòng chống HIV và ma
    túy` is one description, not two programmes."""
    text = t.text
    start = kend + len(text[kend:limit]) - len(text[kend:limit].lstrip())
    end = _trim(text, start, _name_end(t, start, limit))
    members, at = [], start
    for sep in [*re.finditer(r"\s*,\s*|\s+và\s+", text[start:end]), None]:
        stop = start + sep.start() if sep else end
        if stop > at:
            members.append((at, stop))
        at = start + sep.end() if sep else end
    if len(members) < 2 or any(len(text[a:b].split()) > 8 for a, b in members):
        return []
    named = [bool(re.search(r"\d|[A-ZĐ]", text[a:b])) for a, b in members]
    if not (re.match(r"\d", text[members[0][0]:members[0][1]]) or all(named)):
        return []
    keyword = " ".join(text[kstart:kend].split())
    out = []
    for k, (a, b) in enumerate(members):
        span = _program_span(text, t.folded, kstart, b) if k == 0 else _program_span(text, t.folded, a, b)
        if k:
            span.norm["name"] = f"{keyword} {span.norm['name']}"
        out.append(span)
    return out


def _not_a_keyword(t: _Reading, kstart: int, kend: int) -> bool:
    """The keyword is generic (`các chương trình`), part of a body's name (`Ban quản lý dự án`,
    `Sở Kế hoạch và Đầu tư`) or of another noun (`chiến lược gia`, `kế hoạch hóa`)."""
    cfg = _config()
    return (t.ends_with(cfg["generic"], kstart, reach=12)
            or t.ends_with(cfg["inside_name"], kstart, reach=16)
            or bool(t.starts(cfg["compound"], kstart)))


def _not_a_name(t: _Reading, keyword: str, name_start: int) -> bool:
    """What follows the keyword is no programme's name: a clause (`Đề án nêu rõ`, `Dự án thứ hai`),
    a degree course (`chương trình tiến sĩ`), a facility (`dự án xây dựng cầu ...`: a LOC) or a bill
    (`dự án Luật ...`), a
    religion's or a foreign group (`phong trào Hồi giáo ...`, `phong trào Hezbollah`)."""
    cfg = _config()
    if t.starts(cfg["bad_first"], name_start):
        return True
    if keyword == "chuong trinh":
        return bool(t.starts(cfg["course"], name_start))
    if keyword == "du an":
        facility = t.starts(cfg["facility"], name_start)
        built = facility and (facility["v"] is None or t.listed(facility.start("v"), facility.end("v"), cfg["facility_verb"].forms))
        return bool(built or t.starts(cfg["draft"], name_start))
    if keyword == "phong trao":
        first = t.text[name_start:].split(None, 1)[0]
        return bool(t.starts(cfg["movement_group"], name_start)) or \
            not_a_vietnamese_name(first.strip(".,;:!?\"“”()"))
    return False


_EPISODE_BEFORE = re.compile(r"(?:^|[^a-z])(?:tap|mua)\s+(?:thu\s+)?\d+\s+(?:cua\s+)?$")
_EPISODE_AFTER = re.compile(r"\s*(?:tap|mua)\s+(?:thu\s+)?\d+(?!\d)")


def _is_show(t: _Reading, kstart: int, name_start: int, end: int) -> bool:
    """`Chương trình` names a show: a show verb before it (`dẫn chương trình ...`), an episode or a
    season (`tập 3 của chương trình ...`, `... mùa 8`), a broadcast phrase right after the name
    (`... lên sóng`), a word of the stage or screen in the name."""
    cfg = _config()
    return (t.ends_with(cfg["show_before"], kstart)
            or bool(_EPISODE_BEFORE.search(t.folded[max(0, kstart - 20):kstart]) or _EPISODE_AFTER.match(t.folded, end))
            or bool(t.starts(cfg["show_after"], end))
            or t.first(cfg["show_in_name"], name_start, end) is not None)


_OPEN_CLOSE = {"“": "”", '"': '"', "'": "'", "‘": "’", "«": "»"}
_QUOTES = re.compile("[“”\"‘’'«»]")


def _quoted_name_end(text: str, start: int, limit: int) -> int | None:
    """End (after the closing quote) of a name written in quotes right after the keyword."""
    close = _OPEN_CLOSE.get(text[start:start + 1])
    if not close:
        return None
    end = text.find(close, start + 1, min(limit, start + 200))
    return end + 1 if end > start + 1 else None


def _period_after(folded: str, pos: int, limit: int) -> int:
    m = re.match(r",?\s*(?:giai doan\s+[\d\s\-]+\d|(?:giai doan\s+)?den nam\s+\d{4})", folded[pos:limit])
    return m.end() if m else 0


def _anchored(folded_name: str, name_text: str, cfg) -> bool:
    """A plan is named when it names what it carries out ("Kế hoạch thực hiện Đề án 1533"), or
    has a capitalised name ("Kế hoạch Hành động ...") or its own period, and no anaphoric keyword
    ("Kế hoạch thực hiện Đề án trong giai đoạn ...": the plan of an Đề án named earlier)."""
    anchors = list(cfg["anchor"].finditer(folded_name))
    if any(cfg["bad_first"].pattern.match(folded_name, a.start("next")) for a in anchors):
        return False
    if anchors:
        return True
    return bool(re.match(r"\s*[A-ZĐ]", name_text)) or bool(_PERIOD.search(folded_name))


def _named_lowercase(name: str, found: list[Span], kstart: int, text: str) -> bool:
    """A lower-case keyword names a programme when its name is specific: a number, a capitalised
    word or acronym, a period, or when it is an item of a list (after ``:`` or ``;``) or continues
    a list of programmes."""
    if text[:kstart].rstrip()[-1:] in (":", ";"):
        return True
    named_part = re.split(r"\s(?:tại|ở)\s", name, maxsplit=1)[0]  # a place it is held in names nothing
    if re.match(r"\d", name) or re.search(r"\b[A-ZĐ][A-ZĐa-zđ-]*[A-ZĐ]\b|\b[A-ZĐ]\w+", named_part):
        return True
    if _PERIOD.search(fold(name)):
        return True
    # an enumeration that began with a named programme: "Chương trình A, ...; chương trình B"
    return bool(found) and kstart - found[-1].end <= 80


@stage("resolver", requires="spans", assigns=())
def resolve_program_refs(spans: list[Span], ctx) -> list[Span]:
    """``ref``: the LEGAL_REF that approves or carries the programme.

    - ``Đề án 1533`` with a LEGAL_REF numbered 1533 in the document;
    - a LEGAL_REF and the programme in the same sentence joined by a linking word (``Quyết định
      ... phê duyệt Đề án ...``, ``Kế hoạch số ... về đề án ...``), nothing but the link between;
    - other mentions of a programme with the same name (or a name it begins) take the same ref.
    """
    cfg = _config()
    refs = [s for s in spans if s.label == "LEGAL_REF"]
    programs = [s for s in spans if s.label == "PROGRAM"]
    folded = ctx.folded
    for p in programs:
        num = re.match(r"\s*(\d{1,5})(?!\d)", re.sub(r"^[a-z ]+?(?=\d|$)", "", folded[p.start:p.end]))
        if num:
            n = int(num.group(1))
            match = [r for r in refs if r.norm.get("number") == n]
            match.sort(key=lambda r: (r.norm.get("type") != "Quyết định", "/" not in r.norm.get("code", "") and "-" not in r.norm.get("code", "")))
            if match:
                p.norm["ref"] = match[0].norm["id"]
                continue
        sentence = ctx.sentence_of(p.start)
        best = None
        for r in refs:
            if sentence and not (sentence[0] <= r.start < sentence[1]):
                continue
            if r.end <= p.start:
                between = folded[r.end:p.start]
            elif p.end <= r.start:
                between = folded[p.end:r.start]
            else:
                continue
            if len(between) > 160 or not cfg["links"].search(between):
                continue
            if any(o is not p and (r.end <= o.start < p.start or p.end <= o.start < r.start) for o in programs):
                continue  # another programme stands between them
            dist = len(between)
            if best is None or dist < best[0]:
                best = (dist, r)
        if best:
            p.norm["ref"] = best[1].norm["id"]
    # the same programme named again (or inside a plan that carries it out) takes the same ref
    named = [(_tokens(p.norm["name"]), p) for p in programs if p.norm["ref"]]
    for p in programs:
        if p.norm["ref"]:
            continue
        mine = _tokens(p.norm["name"])
        best = max(((len(mine & other) / min(len(mine), len(other)), o) for other, o in named
                    if len(mine) >= 4 and len(other) >= 4), default=None, key=lambda x: x[0])
        if best and best[0] >= 0.8:
            p.norm["ref"] = best[1].norm["ref"]
    return spans


def _tokens(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", fold(name)))
