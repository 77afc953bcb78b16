"""Find and normalize citations of legal, administrative and Party documents (LEGAL_REF).

Three written shapes, all read by the same parser:

- a type word, optionally ``số``, and a numbered code: ``Quyết định số 1438/QĐ-TTg``,
  ``Nghị quyết 57-NQ/TW``, ``Luật Trẻ em số 102/2016/QH13``;
- a numbered code alone, when it holds a known type code: ``57-NQ/TW``, ``và 434/QĐ-UBND``;
- a type word and a bare number: ``Quyết định 1533`` (completed later by
  :func:`vnfacts.extractor.resolve.resolve_legal_refs` from the rest of the document).

Keywords are matched on the folded text, so ``quyet dinh so 1438/QD-TTg`` and upper-case headlines
are read like ``Quyết định số 1438/QĐ-TTg``. Document types, type codes, Party issuers, code
spellings and issuers live in ``data/legal_refs.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .clean import fold
from .context import stage
from .models import Span
from .resources import load_data


@dataclass(frozen=True)
class DocType:
    name: str
    code: str
    words: tuple[str, ...]
    abbreviations: tuple[str, ...]


@dataclass(frozen=True)
class LegalData:
    types: tuple[DocType, ...]
    by_word: dict[str, DocType]
    by_abbreviation: dict[str, DocType]  # folded upper-case abbreviation -> type
    by_code: dict[str, DocType]  # type code -> type (first listed wins)
    citation_codes: frozenset[str]
    party_issuers: frozenset[str]
    spellings: dict[str, str]
    issuers: tuple[tuple[re.Pattern, str, str], ...]
    issuer_overrides: dict[str, dict[str, str]]  # type code -> issuer code -> code used in ids
    issuer_free_codes: frozenset[str]  # type codes an issuer never completes (`2103/2009/VB`)


@lru_cache(maxsize=1)
def legal_data() -> LegalData:
    raw = load_data("legal_refs.yaml")
    types = tuple(DocType(t["name"], t["code"], tuple(t["words"]), tuple(t.get("abbreviations") or ()))
                  for t in raw["types"])
    by_code: dict[str, DocType] = {}
    for t in types:
        by_code.setdefault(t.code, t)
    return LegalData(
        types=types,
        by_word={w: t for t in types for w in t.words},
        by_abbreviation={fold(a).upper(): t for t in types for a in t.abbreviations},
        by_code=by_code,
        citation_codes=frozenset(raw["citation_type_codes"]),
        party_issuers=frozenset(raw["party_issuers"]),
        spellings={str(k): str(v) for k, v in raw["code_spellings"].items()},
        issuers=tuple((re.compile(i["pattern"]), i["name"], i["code"]) for i in raw["issuers"]),
        issuer_overrides={k: dict(v) for k, v in (raw.get("issuer_overrides") or {}).items()},
        issuer_free_codes=frozenset(raw["issuer_free_codes"]),
    )


# --- patterns -------------------------------------------------------------------------------
# A numbered code on the canonical text: NUMBER [/YEAR] (/|-) SEGMENT ((/|-) SEGMENT)*.
# Segments are letters (with Đ and &) optionally followed by digits (QH14); a space is allowed
# around a separator only before a segment that starts with a capital, so prose such as
# "Quyết định 1533 - một bước tiến" is never read as a code.
_SEG = r"[A-Za-zĐđƯư&][A-Za-zĐđƯư&]*\d{0,3}"
_SEP = r"(?:\s?[/\-]\s?(?=[A-ZĐƯ&])|[/\-])"
# (the lookbehind after the number's first digit, not before it: the scan then skips to a digit)
_CODE_TOKEN = re.compile(
    rf"(?P<num>\d(?<![\w/.\-]\d)\d{{0,4}})(?:\s?/\s?(?P<year>(?:19|20)\d\d))?(?P<sep>{_SEP})(?P<segs>{_SEG}(?:{_SEP}{_SEG}){{0,4}})(?![\w])"
)
_SEG_SPLIT = re.compile(r"\s?([/\-])\s?")


def _type_words_regex() -> str:
    words = sorted((w for t in legal_data().types for w in t.words), key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    words = _type_words_regex()
    abbrevs = sorted(legal_data().by_abbreviation, key=len, reverse=True)
    abbr = "|".join(re.escape(a.lower()) for a in abbrevs)
    return {
        # type word (+ số) right before a code token: matched on folded text, anchored at the end
        "typed_prefix": re.compile(rf"(?<![a-z0-9])(?P<type>{words}|{abbr})(?:\s+so)?\s*[:.]?\s*$"),
        # Luật/Bộ luật + its name + số right before the code token
        "law_prefix": re.compile(r"(?<![a-z0-9])(?P<type>bo luat|luat)\b[^.;:\n()]{1,90}?\bso\s*:?\s*$"),
        # type word (+ số) + bare number, no code after it
        "bare": re.compile(
            rf"(?<![a-z0-9])(?P<type>{words}|{abbr})(?P<so>\s+so)?\s*:?\s*(?P<num>\d{{1,5}})"
            rf"(?:/(?P<year>(?:19|20)\d\d)|\s+nam\s+(?P<year_said>(?:19|20)\d\d)(?!\d))?"  # "Nghị định 105 năm 2014"
            rf"(?![\d.,]*\d)(?!\s?[/\-]\s?[a-z&])(?![a-z])"
        ),
        # what may follow a bare citation whose type word is written in lower case ("theo quyết
        # định 1533 của ...", "năm 2014"); anything else is a verb and a count: "thông báo 3 lần",
        # "các văn bản 2 năm qua"
        "bare_lower_follow": re.compile(r"\s*(?:[,.;:)\]\n]|$|cua\b|do\b|ngay\b|nam\s+(?:19|20)\d\d\b|ve\b|ban hanh\b|quy dinh\b|da\b|nay\b|va\b)"),
    }


# --- normalization --------------------------------------------------------------------------
def canonical_segment(seg: str) -> str:
    """One code segment as the guide writes it: QD -> QĐ, TTG -> TTg, nq -> NQ, TƯ -> TW."""
    seg = seg.replace(" ", "")
    data = legal_data()
    if seg.upper() in data.spellings:
        return data.spellings[seg.upper()]
    key = fold(seg).upper()
    if key in data.spellings:
        return data.spellings[key]
    if seg.islower() or seg.isupper() or not any(c.isalpha() for c in seg):
        return seg.upper()
    return seg  # mixed case the issuer chose: keep it


def build_norm(number: int, year: int | None, segments: list[str], doc_type: DocType | None,
               separators: list[str] | None = None) -> dict[str, Any] | None:
    """The guide's norm for a numbered citation, or None when it is not one we can read.

    ``separators`` are the ``/`` or ``-`` written between segments (default ``-``): a state code
    keeps them as written (``KHLT/UBND-UBMTTQ``); a Party code is always ``TYPE/ISSUER``."""
    data = legal_data()
    segs = [canonical_segment(s) for s in segments if s]
    seps = list(separators or [])[:max(len(segs) - 1, 0)]
    seps += ["-"] * (len(segs) - 1 - len(seps))
    if not segs:
        return None
    type_code_index = next((i for i, s in enumerate(segs) if s in data.by_code or s.rstrip("0123456789") == "QH"), None)
    is_party = len(segs) >= 2 and segs[-1] in data.party_issuers and year is None
    if is_party:
        type_code = segs[0]
        issuer = segs[-1] if segs[-1] != "TƯ" else "TW"
        code = f"{type_code}/{issuer}"
        doc_id = f"{number}-{code}"
    else:
        code = segs[0] + "".join(sep + seg for sep, seg in zip(seps, segs[1:]))
        doc_id = f"{number}/{year}/{code}" if year else f"{number}/{code}"
    if doc_type is None:
        if type_code_index is None:
            return None
        first = segs[type_code_index]
        doc_type = data.by_code.get(first) or (data.by_code["QH"] if first.startswith("QH") else None)
        if doc_type is None:
            return None
    return {"id": doc_id, "type": doc_type.name, "number": number, "year": year, "code": code,
            "signed": None, "issuer": None}


def bare_norm(number: int, doc_type: DocType, year: int | None = None) -> dict[str, Any]:
    """Norm of a type word + bare number (and year) before resolution: id NUMBER[/YEAR]/TYPECODE."""
    doc_id = f"{number}/{year}/{doc_type.code}" if year else f"{number}/{doc_type.code}"
    return {"id": doc_id, "type": doc_type.name, "number": number, "year": year,
            "code": doc_type.code, "signed": None, "issuer": None}


def _doc_type_for(word: str, canonical_word: str) -> DocType | None:
    data = legal_data()
    if word in data.by_word:
        return data.by_word[word]
    # Abbreviations count only in capitals in running text (QĐ 1438), never "qd" or "nd".
    if canonical_word.isupper():
        return data.by_abbreviation.get(word.upper())
    return None


# --- signed date and issuer ------------------------------------------------------------------
_SIGNED = re.compile(
    r"\s*,?\s*(?:\(\s*)?(?:ban hanh |ky )?ngay\s+(?P<d>\d{1,2})\s*(?:[/.\-]|\s+thang\s+)\s*(?P<m>\d{1,2})\s*(?:[/.\-]|\s+nam\s+)\s*(?P<y>(?:19|20)\d\d)(?!\d)"
)
_AFTER_ISSUER = re.compile(r"\s*,?\s*(?:do\s+|cua\s+)")
_BEFORE_ISSUER = re.compile(r"(?:da\s+)?(?:ky\s+ban\s+hanh|ban\s+hanh|ky|phe\s+duyet|co)\s+$")


def find_signed(folded: str, end: int) -> tuple[str | None, int]:
    """ISO date of ``ngày dd/mm/yyyy`` directly after a citation, and where it ends."""
    m = _SIGNED.match(folded, end)
    if not m:
        return None, end
    d, mth, y = int(m["d"]), int(m["m"]), int(m["y"])
    if not (1 <= mth <= 12 and 1 <= d <= 31):
        return None, end
    return f"{y:04d}-{mth:02d}-{d:02d}", m.end()


def _issuer_at(text: str, folded: str, pos: int) -> tuple[str, str] | None:
    """An issuer named at ``pos`` (folded text): (canonical name, code) or None."""
    for pattern, name, code in legal_data().issuers:
        m = pattern.match(folded, pos)
        if not m:
            continue
        place = ""
        if "place" in pattern.groupindex and m.group("place"):
            # keep the level word and the capitalised name after it: "tỉnh Bình Dương ban hành"
            words = text[m.start("place"):m.end("place")].split()
            kept = [w for i, w in enumerate(words) if i == 0 or w[:1].isupper()]
            kept = words[:1] + [w for w in words[1:len(kept)] if w[:1].isupper()]
            place = " " + " ".join(kept)
        return name.format(place=place), code
    return None


def find_issuer(text: str, folded: str, start: int, end: int, sentence: tuple[int, int] | None) -> tuple[str, str] | None:
    """The issuer the sentence names for the citation at [start, end): after it (``của X``,
    ``do X``) or right before it (``X ban hành``, ``X đã ký``)."""
    m = _AFTER_ISSUER.match(folded, end)
    if m:
        found = _issuer_at(text, folded, m.end())
        if found:
            return found
    lo = sentence[0] if sentence else max(0, start - 200)
    before = folded[lo:start]
    verb = _BEFORE_ISSUER.search(before)
    if verb:
        window_end = lo + verb.start()
        head = folded[max(lo, window_end - 80):window_end]
        for pattern, _, _ in legal_data().issuers:
            for hit in pattern.finditer(head):
                if hit.end() >= len(head.rstrip()) - 1:
                    return _issuer_at(text, folded, max(lo, window_end - 80) + hit.start())
    return None


# --- finding -----------------------------------------------------------------------------------
def _typed_start(folded: str, text: str, token_start: int) -> tuple[int, DocType | None]:
    """Start of the type word introducing the code token at ``token_start`` and its type."""
    pats = _patterns()
    window = folded[max(0, token_start - 40):token_start]
    m = pats["typed_prefix"].search(window)
    if m:
        s = token_start - len(window) + m.start("type")
        e = token_start - len(window) + m.end("type")
        doc_type = _doc_type_for(m["type"], text[s:e])
        if doc_type:
            return s, doc_type
    window = folded[max(0, token_start - 110):token_start]
    m = pats["law_prefix"].search(window)
    if m:
        s = token_start - len(window) + m.start("type")
        return s, legal_data().by_word[m["type"]]
    return token_start, None


@stage("finder", assigns="legal_refs")
def find_legal_refs(ctx) -> list[Span]:
    """LEGAL_REF spans of a document (``ctx`` is an :class:`vnfacts.extractor.pipeline.Context`)."""
    return find_legal_refs_in(ctx.text, ctx.folded, ctx.sentence_of)


def find_legal_refs_in(text: str, folded: str, sentence_of=None) -> list[Span]:
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for m in _CODE_TOKEN.finditer(text):
        parts = _SEG_SPLIT.split(m["segs"])
        segments, separators = parts[::2], parts[1::2]
        # Prose, not a code: every letter segment must have a capital (TTg, QĐ, UBND).
        if not all(any(c.isupper() for c in s) for s in segments):
            continue
        start, doc_type = _typed_start(folded, text, m.start())
        if m["sep"].strip() == "-" and m["year"] is None and doc_type is None and len(segments) < 2:
            continue  # "3-CT" alone is too weak; Party numbers come as 57-NQ/TW
        norm = build_norm(int(m["num"]), int(m["year"]) if m["year"] else None, segments, doc_type, separators)
        if norm is None:
            continue
        spans.append(Span(start, m.end(), "LEGAL_REF", norm))
        taken.append((start, m.end()))
    for m in _patterns()["bare"].finditer(folded):
        s, e = m.start(), m.end()
        if any(s < te and ts < e for ts, te in taken):
            continue
        type_text = text[m.start("type"):m.end("type")]
        doc_type = _doc_type_for(m["type"], type_text)
        if doc_type is None or doc_type.code == "QH":
            continue  # a law is cited by its name or full number, never "Luật 12"
        said_year = m["year"] or m["year_said"]
        if type_text[:1].islower() and not m["so"] and not said_year and \
                not _patterns()["bare_lower_follow"].match(folded, e):
            continue
        year = int(said_year) if said_year else None
        # scratch `bare`: the resolver completes its code from the rest of the document
        spans.append(Span(s, e, "LEGAL_REF", bare_norm(int(m["num"]), doc_type, year), scratch={"bare": True}))
    for span in spans:
        span.norm["signed"], _ = find_signed(folded, span.end)
        sentence = sentence_of(span.start) if sentence_of else None
        _, after = find_signed(folded, span.end)
        found = find_issuer(text, folded, span.start, after, sentence)
        if found:
            span.norm["issuer"] = found[0]
            span.scratch["issuer_code"] = found[1]  # for the resolver: the code this issuer gives
    return spans
