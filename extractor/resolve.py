"""Complete facts with what the whole document says (eyecite's *resolve* step).

A bare ``Quyết định 1533`` takes the full id when the same type and number appear with a code
elsewhere in the document, or when the sentence names its issuer (``của Thủ tướng Chính phủ`` ->
``1533/QĐ-TTg``); otherwise it keeps ``1533/QĐ``, as the guide says.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .legal_refs import legal_data
from .context import stage
from .models import Span



@stage("resolver", requires="spans", assigns=())
def resolve_legal_refs(spans: list[Span], ctx=None) -> list[Span]:
    refs = [s for s in spans if s.label == "LEGAL_REF"]
    party = legal_data().party_issuers
    overrides = legal_data().issuer_overrides
    # first the bare citations whose sentence names the issuer, then those that borrow the code
    # from another citation of the same type and number (which may be one just completed)
    for s in refs:
        norm, scratch = s.norm, s.scratch
        if scratch.get("bare") and scratch.get("issuer_code") and not _has_coded_twin(norm, refs) \
                and norm["code"] not in legal_data().issuer_free_codes:
            issuer = overrides.get(norm["code"], {}).get(scratch["issuer_code"], scratch["issuer_code"])
            if issuer in party:
                norm["code"] = f"{norm['code']}/{issuer}"
                norm["id"] = f"{norm['number']}-{norm['code']}"
            else:
                norm["code"] = f"{norm['code']}-{issuer}"
                year = f"{norm['year']}/" if norm["year"] else ""
                norm["id"] = f"{norm['number']}/{year}{norm['code']}"
            scratch["bare"] = False
    coded: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for s in refs:
        if not s.scratch.get("bare"):
            coded[(s.norm["type"], s.norm["number"])][s.norm["id"]] += 1
    for s in refs:
        norm = s.norm
        if s.scratch.get("bare"):
            known = coded.get((norm["type"], norm["number"]))
            candidates = [i for i, _ in known.most_common()] if known else []
            candidates = [i for i in candidates if norm["year"] in (None, _norm_for_id(i, refs)["year"])]
            if candidates:
                full = _norm_for_id(candidates[0], refs)
                norm.update({k: full[k] for k in ("id", "year", "code")})
    return spans


def _has_coded_twin(norm: dict, refs: list[Span]) -> bool:
    return any(not r.scratch.get("bare") and r.norm["type"] == norm["type"] and r.norm["number"] == norm["number"]
               and norm["year"] in (None, r.norm["year"]) for r in refs)


def _norm_for_id(doc_id: str, refs: list[Span]) -> dict:
    return next(s.norm for s in refs if s.norm["id"] == doc_id and not s.scratch.get("bare"))
