"""Complete facts with what the whole document says (eyecite's *resolve* step).

A bare ``Quyết định 1533`` takes the full id when the same type and number appear with a code
elsewhere in the document, or when the sentence names its issuer (``của Thủ tướng Chính phủ`` ->
``1533/QĐ-TTg``); otherwise it keeps ``1533/QĐ``, as the guide says.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .legal_refs import legal_data
from .models import Span

_INTERNAL_KEYS = ("bare", "issuer_code")


def resolve_legal_refs(spans: list[Span], ctx=None) -> list[Span]:
    refs = [s for s in spans if s.label == "LEGAL_REF"]
    coded: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for s in refs:
        if not s.norm.get("bare"):
            coded[(s.norm["type"], s.norm["number"])][s.norm["id"]] += 1
    party = legal_data().party_issuers
    for s in refs:
        norm = s.norm
        if norm.get("bare"):
            known = coded.get((norm["type"], norm["number"]))
            type_code = legal_data().by_word.get(_first_word(norm["type"]))
            type_code = type_code.code if type_code else norm["code"]
            if known:
                full = _norm_for_id(known.most_common(1)[0][0], refs)
                norm.update({k: full[k] for k in ("id", "year", "code")})
            elif norm.get("issuer_code"):
                issuer = norm["issuer_code"]
                if issuer in party:
                    norm["code"] = f"{type_code}/{issuer}"
                    norm["id"] = f"{norm['number']}-{norm['code']}"
                else:
                    norm["code"] = f"{type_code}-{issuer}"
                    norm["id"] = f"{norm['number']}/{norm['code']}"
        for key in _INTERNAL_KEYS:
            norm.pop(key, None)
    return spans


def _first_word(type_name: str) -> str:
    from .clean import fold
    return fold(type_name)


def _norm_for_id(doc_id: str, refs: list[Span]) -> dict:
    return next(s.norm for s in refs if s.norm["id"] == doc_id and not s.norm.get("bare"))
