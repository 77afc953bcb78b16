"""Read a user's citation query with the same parser as running text.

``QĐ 1438``, ``quyet dinh 1438``, ``1438/QĐ-TTg``, ``QĐ-TTg 1438``, ``Nghị quyết 57``, ``57-NQ/TW``,
``Nghị định 56/2017`` and ``quyết định 1438 năm 2018`` all become a :class:`CitationQuery`;
:func:`candidate_ids` lists the canonical ids it may mean, most likely first, from the documents a
database knows (when given) and the issuer priors of ``data/legal_refs.yaml``. ``Đề án 1533`` and
``de an 1533`` name a programme by its number (:func:`parse_programme_query`), which is the number
of the decision approving it. Diacritics, case, NFD, old tone placement and extra spaces do not
matter.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Iterable

from .clean import canonical, fold, fold_query
from .legal_refs import build_norm, legal_data
from .resources import load_data

MAX_QUERY_CHARS = 200  # a citation is short; longer input is not a citation query


@dataclass(frozen=True)
class CitationQuery:
    """What a query pins down. Fields left None match anything."""

    number: int
    type: str | None = None  # canonical type name, e.g. "Quyết định"
    year: int | None = None
    code: str | None = None  # full code, e.g. "QĐ-TTg" or "NQ/TW"
    id: str | None = None  # canonical id when the query holds a full code

    def matches(self, doc: dict) -> bool:
        """Does a legal document (a dict with id, type, number, year, code, signed?) fit this query?"""
        if doc.get("number") != self.number:
            return False
        if self.id is not None:
            return code_key(doc.get("id")) == code_key(self.id)
        return (all(getattr(self, k) is None or doc.get(k) == getattr(self, k) for k in ("type", "code"))
                and year_fits(self.year, doc.get("year"), doc.get("signed")))

    def to_json(self) -> dict:
        return asdict(self)


def year_fits(wanted: int | None, year: int | None, signed: str | None = None) -> bool:
    """Does a document of code year ``year`` (signed on ``signed``) fit a query's year? A code
    without a year (``1438/QĐ-TTg``) is dated by its signing, and fits when that is unknown: the
    year a person adds (``quyết định 1438 năm 2018``) is the year the document was signed, which
    is the year in its code when the code has one."""
    if wanted is None or year == wanted:
        return True
    if year is not None:
        return False
    return not signed or str(signed)[:4] == str(wanted)


def code_key(code: str | None) -> str | None:
    """A code or id compared without its separators' kind: ``QĐ/TTg`` is the ``QĐ-TTg`` an article
    wrote, ``KHLT-UBND-UBMTTQ`` the ``KHLT/UBND-UBMTTQ`` (codes keep the separators as written)."""
    return code.replace("/", "-") if isinstance(code, str) else code


_CODE = re.compile(r"(?<![\w/])(?P<num>\d{1,5})(?:\s?/\s?(?P<year>(?:19|20)\d\d))?\s?[/\-]\s?(?P<segs>[a-z&][a-z&]*\d{0,3}(?:\s?[/\-]\s?[a-z&][a-z&]*\d{0,3}){0,4})(?![\w])")
_SEP = re.compile(r"\s?[/\-]\s?")
# A code written before its number, as in an index or a spreadsheet: `QĐ-TTg 1438`, `NĐ-CP số 56`.
_CODE_FIRST = re.compile(r"^(?P<segs>[a-z&]+\d{0,3}(?:\s?[/\-]\s?[a-z&]+\d{0,3}){1,4})\s(?:so\s)?(?P<rest>\d.*)$")
# The year a person adds to a number: `1438 năm 2018`, `56/2017` (no code after it), `1438 ngày 29/10/2018`.
_YEAR_SAID = re.compile(r"(?<![\d/])(?P<num>\d{1,5})(?:\s?/\s?|\s(?:nam\s|ngay\s\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?))"
                        r"(?P<year>(?:19|20)\d\d)(?![\d/\-\w])")


def _type_pattern() -> re.Pattern:
    data = legal_data()
    names = sorted([w for t in data.types for w in t.words] + [a.lower() for a in data.by_abbreviation],
                   key=len, reverse=True)
    return re.compile(r"(?<![a-z])(?P<type>" + "|".join(map(re.escape, names)) + r")(?![a-z])")


def _type_from(word: str):
    data = legal_data()
    return data.by_word.get(word) or data.by_abbreviation.get(word.upper())


def parse_citation_query(query: str) -> CitationQuery | None:
    """Parse a query; None when it is not a citation (no number, or too long to be one)."""
    if not isinstance(query, str) or not query.strip() or len(query) > MAX_QUERY_CHARS:
        return None
    text = " ".join(canonical(query).split())
    folded = fold(text)
    code_first = _CODE_FIRST.match(folded)
    if code_first and _CODE.fullmatch(code_first["rest"]) is None:  # `QĐ-TTg 1438` is `1438/QĐ-TTg`
        rest = text[code_first.start("rest"):]
        return parse_citation_query(f"{rest}/{text[:code_first.end('segs')]}")
    type_match = _type_pattern().search(folded)
    doc_type = _type_from(type_match["type"]) if type_match else None
    m = _CODE.search(folded)
    if m:
        segments = [text[s:e] for s, e in _segment_spans(m)]
        year = int(m["year"]) if m["year"] else None
        norm = build_norm(int(m["num"]), year, segments, doc_type, _separators(m))
        if norm:
            return CitationQuery(number=norm["number"], type=norm["type"], year=year, code=norm["code"], id=norm["id"])
    said = _YEAR_SAID.search(folded)
    year = int(said["year"]) if said else None
    if said:
        folded = folded[:said.start()] + said["num"] + folded[said.end():]
    numbers = re.findall(r"(?<![\d/])(\d{1,5})(?![\d/])", folded)
    if len(numbers) != 1:
        return None
    rest = re.sub(r"\d+|\bso\b|[^a-z]+", " ", folded).split()
    known_words = set(type_match["type"].split()) if type_match else set()
    if any(w not in known_words for w in rest):
        return None  # words we cannot read: "bao nhieu 1438 nguoi" is not a citation
    return CitationQuery(number=int(numbers[0]), type=doc_type.name if doc_type else None, year=year)


@dataclass(frozen=True)
class ProgrammeQuery:
    """A programme named by its keyword and number (`Đề án 1533`, `chuong trinh 135`, `Đề án 06`):
    by custom the number of the decision approving it."""

    keyword: str  # folded: "de an" (data/programs.yaml lists "đề án")
    number: int
    suffix: str = ""  # `Chương trình 30a`

    @property
    def folded_name(self) -> str:
        return f"{self.keyword} {self.number}{self.suffix}"

    def to_json(self) -> dict:
        return asdict(self)


def parse_programme_query(query: str) -> ProgrammeQuery | None:
    """``Đề án 1533``, ``de an so 1533``, ``CHƯƠNG TRÌNH 30a`` -> a :class:`ProgrammeQuery`; None for
    anything else (a programme named by words is searched as words)."""
    if not isinstance(query, str) or not query.strip() or len(query) > MAX_QUERY_CHARS:
        return None
    folded = " ".join(fold(canonical(query)).split())
    keywords = "|".join(re.escape(fold_query(k)) for k in load_data("programs.yaml")["keywords"])
    m = re.fullmatch(rf"(?P<keyword>{keywords})\s(?:so\s)?(?P<number>\d{{1,5}})(?P<suffix>[a-z]?)", folded)
    if m is None:
        return None
    return ProgrammeQuery(keyword=m["keyword"], number=int(m["number"]), suffix=m["suffix"])


def _segment_spans(m: re.Match) -> list[tuple[int, int]]:
    start = m.start("segs")
    spans, pos = [], 0
    segs = m["segs"]
    for sep in _SEP.finditer(segs):
        spans.append((start + pos, start + sep.start()))
        pos = sep.end()
    spans.append((start + pos, start + len(segs)))
    return spans


def _separators(m: re.Match) -> list[str]:
    """The ``/`` or ``-`` between each two segments of the code, as written: a state code keeps
    them (``2/KHLT/UBND-UBMTTQ`` is not ``2/KHLT-UBND-UBMTTQ``), as the finder keeps them."""
    return [sep.group().strip() for sep in _SEP.finditer(m["segs"])]


def candidate_ids(query: CitationQuery, known: Iterable[dict] = ()) -> list[str]:
    """Canonical ids the query may mean, most likely first.

    ``known`` are legal documents from a database (dicts with id, type, number, year, code and
    optionally ``mentions``); those that match come first, most mentioned first. Then, for a query
    with no code, the readings the issuer priors suggest, then the generic ``NUMBER/TYPECODE``.
    """
    found = sorted((d for d in known if query.matches(d)), key=lambda d: (-int(d.get("mentions") or 0), d["id"]))
    out = [d["id"] for d in found]
    if query.id:
        return out or [query.id]
    data = legal_data()
    types = [t for t in data.types if query.type in (None, t.name)]
    config = load_data("legal_refs.yaml")
    priors = config.get("issuer_priors", {})
    for t in types if query.type else [data.by_code[code] for code in config["query_default_types"]]:
        for issuer in priors.get(t.code, []):
            norm = build_norm(query.number, query.year, [t.code, *issuer.split("-")], t)
            if norm and norm["id"] not in out:
                out.append(norm["id"])
        generic = f"{query.number}/{t.code}"
        if generic not in out:
            out.append(generic)
    return out
