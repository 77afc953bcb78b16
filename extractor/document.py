"""The article as a whole, understood once: the date it speaks from and the province it is about.

Two stages fill :class:`~vnfacts.extractor.models.DocumentFacts` (``ctx.document``); every later
stage (places, organizations, events) and storage read it, and nothing decides these again.

- ``document_date`` (after the DATE finder): ``published`` as the input gives it, else a dateline
  near the top; else an *estimate* from the dates of things that happened: the first full date the
  article writes; else a bare year in its lead (the first three sentences); else the year its dates
  name most often, when it is named at least twice and twice as often as any other (years inside
  document codes such as ``144/2013/NĐ-CP`` are no dates). ``date_source`` names which, and
  :data:`ESTIMATED_DATE_SOURCES` are estimates (storage and the site can leave them out).
  An estimate is one of the article's dated facts that happened, so never later than the newest of
  them: a date inside a programme's name (``Đề án ... đến năm 2030``), a target after ``đến``,
  ``tới``, ``tầm nhìn`` (``data/dates.yaml``: ``target_before``), the end of a period (``giai đoạn
  2021-2025`` counts as 2021) and anything after the crawl (the input's ``fetched_at`` or ``crawled``,
  else the day of extraction) never make one. A dateline after the crawl is no dateline.
- ``document_province`` (after the places finder): the only province the lead names, else the one
  named at least twice as often as any other; none when it is not clear. Named as at the article's
  date (the old province before the merger of 1 July 2025), with the province it belongs to today.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter

from .context import Context, stage
from .dates import is_planned, written_after
from .models import DocumentFacts, Span

VENUE_SOURCE = "venue"  # Span.source of a venue (`khách sạn Thắng Lợi`): its province is the article's, no evidence of it
LEAD_SENTENCES = 3  # "the lead": the title and first sentences, where an article says what it is about
_FULL_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"^(?:19|20)\d\d")
# date_source values of dates the article states itself (its page's `published`, its dateline), and
# those estimated from its facts. One home for the distinction: storage, the site's switch that leaves
# estimates out, the map and the programme pages all ask here.
STATED_DATE_SOURCES = ("published", "dateline")
ESTIMATED_DATE_SOURCES = ("first_date", "lead_year", "dated_facts")
# date_source values whose year frames the article's days written without one (an event's `Sáng 12-4`):
# the stated ones only. No estimate does: its first full date may be a birth date, an anniversary or a
# decision's (`kỷ niệm 70 năm (27/7/1947 - 27/7/2017)`), a bare year in its lead or the year its dates
# name most the year of a figure (`bằng 44,2% so với năm 2016`, `báo cáo tài chính năm 2015`). The years
# the guide lets a day borrow (the same sentence, the headline's frame) the DATE finder gives it.
YEAR_FRAMING_SOURCES = STATED_DATE_SOURCES


def is_estimated_date(date_source: str | None) -> bool:
    """True when an article has a date and did not state it (any source but the stated ones, so a
    source added later counts as an estimate until it is listed as stated)."""
    return bool(date_source) and date_source not in STATED_DATE_SOURCES


def lead_end(ctx: Context) -> int:
    """Canonical offset where the lead ends."""
    return ctx.sentences[min(LEAD_SENTENCES, len(ctx.sentences)) - 1][1] if ctx.sentences else 0


def is_target(ctx: Context, span: Span) -> bool:
    """A date written as a target, an end or the start of what it begins (``đến năm 2030``, ``từ
    ngày 1/7``, ``tầm nhìn 2045``; ``data/dates.yaml``: ``target_before``), not the day of a thing."""
    return written_after(ctx, span.start, "target_before") or written_after(ctx, span.start, "start_before")


def is_life_date(ctx: Context, span: Span) -> bool:
    """A day of someone's or something's life (``SN 1964``, ``thành lập năm 1945``; ``dates.yaml``:
    ``life_date_before``): it happened, but it is not what the article reports on."""
    return written_after(ctx, span.start, "life_date_before")


CRAWL_DATE_FIELDS = ("fetched_at", "crawled")  # input fields saying when the page was fetched (`vnfacts articles`)


def crawl_bound(ctx: Context) -> str:
    """The last day the article can speak of as past: when its page was fetched (the input's
    ``fetched_at``, as `vnfacts articles` writes it, or ``crawled``), else today."""
    for name in CRAWL_DATE_FIELDS:
        crawled = ctx.doc.extra.get(name)
        if isinstance(crawled, str):
            try:
                return datetime.date.fromisoformat(crawled[:10]).isoformat()
            except ValueError:
                pass
    return datetime.date.today().isoformat()


def happened_dates(ctx: Context, dates: list[Span], programs: list[Span]) -> list[tuple[int, str]]:
    """(start, value) of the dates of things that happened and can date the article, in text order:
    not inside a programme's name, not a target (``đến năm 2030``), not in a sentence about what will
    be or is in force (``sẽ``, ``dự kiến``, ``có hiệu lực``), not a birth or a founding (``SN 1964``),
    not begun after the crawl (a range by its first end)."""
    bound = crawl_bound(ctx)
    inside = [(p.start, p.end) for p in programs]
    out = []
    for span in sorted(dates, key=lambda s: s.start):
        value = str(span.norm.get("value") or "")
        if not _YEAR.match(value) or value.split("/")[0] > bound:
            continue
        if any(a <= span.start and span.end <= b for a, b in inside):
            continue
        if is_target(ctx, span) or is_planned(ctx, span.start, span.end) or is_life_date(ctx, span):
            continue
        out.append((span.start, value))
    return out


def article_date(ctx: Context, dates: list[Span], programs: list[Span] = ()) -> tuple[str | None, str | None]:
    """(date, source) of the article: see the module docstring for the order of evidence."""
    if ctx.published and (ctx.published_source == "published" or ctx.published[:10] <= crawl_bound(ctx)):
        return ctx.published, ctx.published_source or "published"
    values = happened_dates(ctx, dates, list(programs))
    for _, value in values:
        if _FULL_DAY.match(value):
            return value[:10], "first_date"
    end = lead_end(ctx)
    for start, value in values:
        if start < end and re.fullmatch(r"\d{4}", value):
            return value, "lead_year"
    years = Counter(value[:4] for _, value in values)
    ranked = years.most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0], "dated_facts"
    return None, None


def date_problem(ctx: Context) -> str | None:
    """What is wrong with the article's date as decided (``ctx.document``), or None: an estimate
    after the crawl, or later than the newest date of a thing the article reports as having happened
    (issue #15: no article is dated into its own future). `scripts/article-dates.py` runs it on whole
    corpora."""
    date, source = ctx.document.date, ctx.document.date_source
    if not date or source not in ESTIMATED_DATE_SOURCES:
        return None
    bound = crawl_bound(ctx)
    if date[:10] > bound:
        return f"estimate {date} after the crawl {bound}"
    starts = [value.split("/")[0] for _, value in happened_dates(ctx, ctx.dates, ctx.programs)]
    newest = max(starts, default=None)
    if newest is None or date[:len(newest)] > newest[:len(date)]:
        return f"estimate {date} later than its newest dated fact {newest}"
    return None


@stage("step", requires=("dates", "programs"), assigns="document")
def date_document(ctx: Context) -> None:
    date, source = article_date(ctx, ctx.dates, ctx.programs)
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
