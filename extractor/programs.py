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
from functools import lru_cache

from .clean import fold
from .context import stage
from .levels import level_words
from .models import Span
from .resources import load_data
from .tokens import prefix_tree_alternation

_PERIOD = re.compile(
    r",?\s*(?:giai doan\s+(?:tu\s+(?:nam\s+)?)?(?P<a>(?:19|20)\d\d)\s*(?:-|den|toi)\s*(?:nam\s+)?(?P<b>(?:19|20)\d\d)"
    r"|(?:giai doan\s+)?(?:den|toi)\s+nam\s+(?P<to>(?:19|20)\d\d)"
    r"|(?:nam|ky)\s+(?P<year>(?:19|20)\d\d)"
    r"|(?P<c>(?:19|20)\d\d)\s*-\s*(?P<d>(?:19|20)\d\d))(?![\d])"
)
_STRONG_END = re.compile(r"[.;:!?()\[\]\"“”\n…]|(?<!\d)\s-\s|\s-\s(?!\d)|,")


@lru_cache(maxsize=1)
def _config():
    cfg = load_data("programs.yaml")
    # the keywords as a tree of their prefixes, the lookbehind after the first letter (only where a
    # keyword's first letter stands is it tried): the same matches as their alternation longest
    # first, since keywords that match at one place are prefixes of one another
    kw = prefix_tree_alternation(cfg["keywords"], gap=" ", after_first="(?<![a-z0-9].)")
    generic = "|".join(map(re.escape, sorted(cfg["generic_before"], key=len, reverse=True)))
    stops = "|".join(map(re.escape, sorted(cfg["stop_words"], key=len, reverse=True)))
    return {
        "keyword": re.compile(rf"(?:{kw})(?![a-z0-9])"),
        "generic": re.compile(rf"(?:^|[^a-z])(?:{generic})\s+$"),
        "stop": re.compile(rf"\s(?:{stops})(?![a-z0-9])"),
        "bad_first": re.compile(r"(?:" + "|".join(map(re.escape, sorted(cfg["bad_first_words"], key=len, reverse=True))) + r")(?![a-z0-9])"),
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


def _name_end(text: str, folded: str, start: int, limit: int) -> int:
    """Where the programme name starting at ``start`` ends (exclusive)."""
    cfg = _config()
    pos = start
    while pos < limit:
        strong = _STRONG_END.search(folded, pos, limit)
        stop = cfg["stop"].search(folded, pos, strong.start() if strong else limit)
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
            if text[strong.end():limit].lstrip()[:1].islower() and _short_item(folded, strong.end(), limit):
                pos = strong.end()
                continue
        city_short, reach = cfg["city_short"]
        if strong.group(0) == "." and re.match(r"[A-Z]", text[strong.end():strong.end() + 1] or " ") and \
                city_short.search(folded[max(0, strong.start() - reach):strong.start()]):
            pos = strong.end()  # TP.HCM inside a name
            continue
        return strong.start()
    return limit


def _short_item(folded: str, pos: int, limit: int) -> bool:
    """After a comma: is the next item short (at most six words before the next punctuation or
    period phrase) and free of stop words? Then it is part of the name."""
    rest = folded[pos:min(limit, pos + 120)]
    item = re.split(r"[,.;:!?()\n]|\s-\s|\sgiai doan\s|\sden nam\s", rest)[0]
    words = item.split()
    return 0 < len(words) <= 6 and not _config()["stop"].search(" " + item)


_TRAILING = re.compile(r"(?:\s+(?:ve|cua|va|cho|tai|voi|cac|nhung|o|tu|den|trong|tren|duoi|nay|do|la))+$")


def _drop_trailing_function_words(folded: str, start: int, end: int) -> int:
    m = _TRAILING.search(folded, start, end)
    return m.start() if m else end


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
    cfg = _config()
    spans: list[Span] = []
    for m in cfg["keyword"].finditer(folded):
        kstart, kend = m.span()
        sentence = ctx.sentence_of(kstart)
        limit = sentence[1] if sentence else len(text)
        if cfg["generic"].search(folded[max(0, kstart - 12):kstart]):
            continue
        rest = folded[kend:limit]
        words = rest.split()
        if not words or not text[kend:kend + 1].isspace():
            continue
        name_start = kend + (len(rest) - len(rest.lstrip()))
        quoted = _quoted_name_end(text, name_start, limit)
        if quoted is None and (not words[0][:1].isalnum() or cfg["bad_first"].match(rest.lstrip())):
            continue
        number = re.match(r"\d{1,5}(?![\d/.,]\d)", folded[name_start:limit])
        if quoted is not None:
            # a quoted name ends at its closing quote, with a period phrase after it if any
            end = quoted + _period_after(folded, quoted, limit)
        elif number:
            end = name_start + number.end()  # "Đề án 1533", "Chương trình 135": the number is the name
        else:
            end = _name_end(text, folded, name_start, limit)
        # cap the length in words
        name_words = folded[name_start:end].split()
        if len(name_words) > cfg["max_words"]:
            cut = re.match(r"\s*(?:\S+\s+){%d}" % cfg["max_words"], folded[name_start:end])
            end = name_start + (cut.end() if cut else end - name_start)
        if quoted is None:
            end = _trim(text, kstart, end)
            end = _drop_trailing_function_words(folded, name_start, end)
        if end <= name_start:
            continue
        keyword_text = text[kstart:kend]
        name_text = text[name_start:end]
        if quoted is None and keyword_text[:1].islower() and not _named_lowercase(name_text, spans, kstart, text):
            continue
        folded_span = folded[kstart:end]
        if folded_span.startswith(cfg["not_programs"]):
            continue
        if quoted is None and m.group(0) in cfg["needs_anchor"] and \
                not _anchored(folded[name_start:end], name_text, cfg):
            continue
        period, pspan = _period(folded[kstart:end])
        if pspan:
            name = (text[kstart:kstart + pspan[0]] + " " + text[kstart + pspan[1]:end])
        else:
            name = text[kstart:end]
        name = " ".join(name.replace(" ,", ",").split()).strip(" ,")
        name = _QUOTES.sub("", name)
        spans.append(Span(kstart, end, "PROGRAM", {"name": name, "ref": None, "period": period}))
    return spans


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
    if any(cfg["bad_first"].match(folded_name, a.start("next")) for a in anchors):
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
    if re.match(r"\d", name) or re.search(r"\b[A-ZĐ][A-ZĐa-zđ-]*[A-ZĐ]\b|\b[A-ZĐ]\w+", name):
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
        num = re.match(r"\s*(\d{1,5})(?!\d)", folded[p.start:p.end].split(" ", 1)[-1].lstrip()
                       if False else re.sub(r"^[a-z ]+?(?=\d|$)", "", folded[p.start:p.end]))
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
