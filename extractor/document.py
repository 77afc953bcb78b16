"""The article as a whole, understood once: the date it speaks from and the province it is about.

Two stages fill :class:`~vnfacts.extractor.models.DocumentFacts` (``ctx.document``); every later
stage (places, organizations, events) and storage read it, and nothing decides these again.

- ``document_date`` (after the DATE finder): ``published`` as the input gives it, else a dateline
  near the top; else the first full date the article writes; else a bare year in its lead (the first
  three sentences); else the year its dates name most often, when it is named at least twice and
  twice as often as any other (years inside document codes such as ``144/2013/NĐ-CP`` are no dates).
- ``document_province`` (after the places finder): the only province the lead names, else the one
  named at least twice as often as any other; none when it is not clear. Named as at the article's
  date (the old province before the merger of 1 July 2025), with the province it belongs to today.
"""
from __future__ import annotations

import re
from collections import Counter

from .context import Context, stage
from .models import DocumentFacts, Span

VENUE_SOURCE = "venue"  # Span.source of a venue (`khách sạn Thắng Lợi`): its province is the article's, no evidence of it
LEAD_SENTENCES = 3  # "the lead": the title and first sentences, where an article says what it is about
_FULL_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"^(?:19|20)\d\d")


def lead_end(ctx: Context) -> int:
    """Canonical offset where the lead ends."""
    return ctx.sentences[min(LEAD_SENTENCES, len(ctx.sentences)) - 1][1] if ctx.sentences else 0


def _date_values(dates: list[Span]) -> list[tuple[int, str]]:
    return [(s.start, str(s.norm.get("value") or "")) for s in sorted(dates, key=lambda s: s.start)]


def article_date(ctx: Context, dates: list[Span]) -> tuple[str | None, str | None]:
    """(date, source) of the article: see the module docstring for the order of evidence."""
    if ctx.published:
        return ctx.published, ctx.published_source or "published"
    values = _date_values(dates)
    for _, value in values:
        if _FULL_DAY.match(value):
            return value[:10], "first_date"
    end = lead_end(ctx)
    for start, value in values:
        if start < end and re.fullmatch(r"\d{4}", value):
            return value, "lead_year"
    years = Counter(value[:4] for _, value in values if _YEAR.match(value))
    ranked = years.most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0], "dated_facts"
    return None, None


@stage("step", requires="dates", assigns="document")
def date_document(ctx: Context) -> None:
    date, source = article_date(ctx, ctx.dates)
    ctx.document = DocumentFacts(date=date, date_source=source)


def main_province(ctx: Context, places: list[Span]) -> tuple[str | None, str | None]:
    """(province, evidence): the only province the lead names, else one named at least twice as
    often as any other. Provinces as at the article's date."""
    end = lead_end(ctx)
    named = [s for s in places if s.norm.get("province") and s.source != VENUE_SOURCE]
    lead = {s.norm["province"] for s in named if s.start < end}
    if len(lead) == 1:
        return lead.pop(), "lead"
    ranked = Counter(s.norm["province"] for s in named).most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0], "most_named"
    return None, None


@stage("step", requires=("document", "places"), assigns="document.province")
def locate_document(ctx: Context) -> None:
    from .places import today_of

    province, evidence = main_province(ctx, ctx.places)
    ctx.document.province = province
    ctx.document.province_today = today_of(province) if province else None
    ctx.document.province_evidence = evidence
