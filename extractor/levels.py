"""Administrative level words (`tỉnh`, `thành phố`/`TP`, `huyện`, `xã`...): how articles write the
level of a unit before its name.

They have one home, ``levels`` in ``data/places.yaml``, read here by every finder. A rule that
deliberately takes only some of them names its subset there (``level_word_sets``), so the
subsets are visible and checked (tests/extractor/test_data_files.py) instead of being typed
again, differently, in code.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .resources import load_data


@dataclass(frozen=True)
class LevelWord:
    """One level word and its written forms."""

    word: str  # the full form: "thành phố"
    short: tuple[str, ...]  # abbreviations as written: ("TP", "Tp", "tp", "T.P")
    levels: tuple[str, ...]  # the units that may follow it: ("province", "district")

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.word, *self.short)

    @property
    def capitalised(self) -> str:
        """As a name spells it out: `Thành phố`."""
        return self.word[0].upper() + self.word[1:]


@lru_cache(maxsize=1)
def _all_level_words() -> tuple[LevelWord, ...]:
    out = []
    for entry in load_data("places.yaml")["levels"]:
        levels = entry["level"] if isinstance(entry["level"], list) else [entry["level"]]
        out.append(LevelWord(entry["word"], tuple(entry.get("short") or ()), tuple(levels)))
    return tuple(out)


def level_words(level: str | None = None) -> tuple[LevelWord, ...]:
    """Every level word in the order of the data file (longest first), or those before a unit of
    ``level`` (``province``: `tỉnh`, `thành phố`/`TP`...)."""
    return tuple(lw for lw in _all_level_words() if level is None or level in lw.levels)


@lru_cache(maxsize=None)
def level_forms(subset: str | None = None) -> tuple[str, ...]:
    """Written forms of the level words: all of them, or the subset a rule names in the data file."""
    every = tuple(form for lw in level_words() for form in lw.forms)
    if subset is None:
        return every
    chosen = tuple(load_data("places.yaml")["level_word_sets"][subset])
    unknown = [form for form in chosen if form not in every]
    if unknown:
        raise ValueError(f"level_word_sets.{subset}: {unknown} are not level words (places.yaml `levels`)")
    return chosen
