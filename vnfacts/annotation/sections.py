"""The newspaper section an article most likely belongs to, read from cue words (sections.yaml).

The 35k-article corpus carries no section, yet annotation samples must be stratified by section and
scores reported per section. Cue words in the title count three times as much as cue words in the
lead (the first ``LEAD_CHARS`` characters of the text): a headline says what the article is about,
a lead may wander. Matching is word by word on the canonical lower-cased text (NFC, one tone
placement), not on folded text: folding merges `Nga` (Russia) with `ngã` (a fall). The result is a proposal: a gold document's ``section``
is what its annotator confirmed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from vnfacts.extractor.clean import canonical

LEAD_CHARS = 600
TITLE_WEIGHT = 3
OTHER = "khac"  # no cue at all: the reader does not guess


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class SectionReading:
    code: str
    score: int
    runner_up: str | None  # the next best section, when it scored at all


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    data = yaml.safe_load(resources.files("vnfacts.annotation").joinpath("sections.yaml").read_text("utf-8"))
    return tuple(Section(code, spec["name"], tuple(spec["cues"])) for code, spec in data["sections"].items())


@lru_cache(maxsize=1)
def _cue_pattern() -> tuple[re.Pattern[str], dict[str, set[str]]]:
    """One alternation over every cue (longest first), and the sections each cue speaks for."""
    owners: dict[str, set[str]] = {}
    for section in sections():
        for cue in section.cues:
            owners.setdefault(canonical(cue).lower(), set()).add(section.code)
    alternation = "|".join(re.escape(c) for c in sorted(owners, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), owners


def _votes(text: str, weight: int, votes: dict[str, int]) -> None:
    pattern, owners = _cue_pattern()
    for m in pattern.finditer(canonical(text).lower()):
        speakers = owners[m.group(0)]
        if len(speakers) == 1:  # a cue two sections share decides nothing
            code = next(iter(speakers))
            votes[code] = votes.get(code, 0) + weight


def read_section(title: str | None, text: str) -> SectionReading:
    """The section whose cues weigh most in ``title`` and the lead of ``text``; ties go to the one
    listed first in sections.yaml; no cue at all gives ``OTHER``."""
    votes: dict[str, int] = {}
    _votes(title or "", TITLE_WEIGHT, votes)
    lead = text[:LEAD_CHARS]
    if title and lead.startswith(title):  # the corpus repeats the title as the first line
        lead = text[len(title):LEAD_CHARS + len(title)]
    _votes(lead, 1, votes)
    if not votes:
        return SectionReading(OTHER, 0, None)
    order = [s.code for s in sections()]
    ranked = sorted(votes, key=lambda code: (-votes[code], order.index(code)))
    return SectionReading(ranked[0], votes[ranked[0]], ranked[1] if len(ranked) > 1 else None)


def section_names() -> dict[str, str]:
    """Code -> Vietnamese name, ``OTHER`` included."""
    return {**{s.code: s.name for s in sections()}, OTHER: "Khác"}
