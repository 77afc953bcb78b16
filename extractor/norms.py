"""Each label's normalized value (the guide's ``norm``) as a typed record, in the manner of eyecite's
citation classes carrying typed metadata.

The record types are the one home of the norm fields: the extractor's output is checked against
them, and what other parts need is derived from them, so a new norm field is one edit here:

- the JSON types of each field, for validating annotations and the empty template Label Studio
  shows for a hand-added span (:func:`json_types`);
- the storage columns of the ``mentions`` table (:func:`columns`);
- what "the normalized value is right" means in evaluation (:func:`evaluation_key`).

Finders keep their own working data in ``Span.scratch``, never in ``norm``.
"""
from __future__ import annotations

import re

import typing
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from .clean import canonical
from .models import as_record


def norm_field(*, column: str | None = None, key: str | None = None, optional: bool = False) -> Any:
    """A norm field. ``column``: the ``mentions`` column that stores it; ``key``: how evaluation
    compares it (``exact``, ``number``, ``first_word``; none: not part of correctness);
    ``optional``: added by the extractor beyond the guide, so annotations may leave it out."""
    return field(default=None, metadata={"column": column, "key": key, "optional": optional})


@dataclass
class LegalRefNorm:
    id: str = norm_field(column="doc_id", key="exact")  # canonical id: 1438/QĐ-TTg
    type: str = norm_field(column="doc_type")  # Quyết định, Nghị quyết...
    number: int = norm_field()
    year: int | None = norm_field()
    code: str = norm_field()  # QĐ-TTg
    signed: str | None = norm_field()  # ISO date the document was signed, when written
    issuer: str | None = norm_field()


@dataclass
class ProgramNorm:
    name: str = norm_field(column="name")
    ref: str | None = norm_field(key="exact")  # the approving document's id
    period: str | None = norm_field(column="period")  # 2019/2025, /2030


@dataclass
class DateNorm:
    value: str | None = norm_field(column="date_value", key="exact")  # ISO day, month, year or range
    # what a relative date is, counted from the article's date: day-1, week+1, mon-1, year+0 (guide, DATE);
    # null for a date written in full. Annotations may leave it out (then null).
    relative: str | None = norm_field(key="exact", optional=True)


@dataclass
class FigureNorm:
    value: float | None = norm_field(column="value", key="number")  # multipliers applied
    unit: str | None = norm_field(column="unit", key="first_word")
    qualifier: str | None = norm_field(column="qualifier")  # more_than, less_than, up_to, about
    of: float | None = norm_field(column="of_value")  # 61/91 xã: of 91


@dataclass
class OrgNorm:
    name: str = norm_field(column="name")  # abbreviations expanded, locality completed


@dataclass
class LocNorm:
    province: str | None = norm_field(column="province", key="exact")  # at the article's date
    province_today: str | None = norm_field(column="province_today", optional=True)  # since 1 July 2025


NORM_TYPES: dict[str, type] = {"LEGAL_REF": LegalRefNorm, "PROGRAM": ProgramNorm, "DATE": DateNorm,
                               "FIGURE": FigureNorm, "ORG": OrgNorm, "LOC": LocNorm}


class NormError(ValueError):
    """A norm that does not fit its label's type (a finder leaking working data, say)."""


def norm_dict(label: str, norm: dict[str, Any]) -> dict[str, Any]:
    """``norm`` checked against its label's type: every field present (missing ones null), no other."""
    kind = NORM_TYPES[label]
    extra = set(norm).difference(_names(kind))
    if extra:
        raise NormError(f"{label} norm has fields its type does not: {', '.join(sorted(extra))}")
    return as_record(kind(**norm))


@lru_cache(maxsize=None)
def _names(kind: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(kind))


_JSON = {str: "string", int: "integer", float: "number", bool: "boolean"}


@lru_cache(maxsize=None)
def json_types(label: str, include_optional: bool = True) -> dict[str, list[str]]:
    """field -> the JSON types its value may take (``"null"`` when it may be null)."""
    kind = NORM_TYPES[label]
    hints = typing.get_type_hints(kind)
    out = {}
    for f in fields(kind):
        if f.metadata.get("optional") and not include_optional:
            continue
        args = typing.get_args(hints[f.name]) or (hints[f.name],)
        out[f.name] = [_JSON[a] if a is not float else "number" for a in args if a is not type(None)]
        if type(None) in args:
            out[f.name].append("null")
    return out


def optional_fields(label: str) -> set[str]:
    return {f.name for f in fields(NORM_TYPES[label]) if f.metadata.get("optional")}


@lru_cache(maxsize=1)
def columns() -> dict[str, type]:
    """The ``mentions`` columns norms are stored in (column -> Python type), in the types' order."""
    out: dict[str, type] = {}
    for kind in NORM_TYPES.values():
        hints = typing.get_type_hints(kind)
        for f in fields(kind):
            column = f.metadata.get("column")
            if column and column not in out:
                base = [a for a in (typing.get_args(hints[f.name]) or (hints[f.name],)) if a is not type(None)][0]
                out[column] = base
    return out


def stored_values(label: str, norm: dict[str, Any]) -> dict[str, Any]:
    """column -> value of one norm, for its ``mentions`` row."""
    return {f.metadata["column"]: norm.get(f.name) for f in fields(NORM_TYPES[label]) if f.metadata.get("column")}


def _key_part(how: str, value: Any) -> Any:
    if how == "number":
        return round(float(value), 6) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if how == "first_word":  # a word, not what a blank ends: `tỉnh, thành phố` and `tỉnh/thành phố` -> tỉnh
        words = re.findall(r"\w+|%", canonical((value or "").strip()).lower())
        return words[0] if words else ""
    return value


def evaluation_key(label: str, norm: dict[str, Any] | None) -> Any:
    """What must agree for a normalized value to be right: the fields the type marks with ``key``
    (one value, or a tuple of several); True for a label with none (ORG: an overlap match counts)."""
    norm = norm or {}
    parts = tuple(_key_part(f.metadata["key"], norm.get(f.name)) for f in fields(NORM_TYPES[label])
                  if f.metadata.get("key"))
    if not parts:
        return True
    return parts[0] if len(parts) == 1 else parts


