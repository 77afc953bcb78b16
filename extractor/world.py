"""Countries and foreign cities as the Vietnamese press writes them, with the source of every
spelling.

pycountry (the iso-codes project) is the maintained source: its ISO 3166-1 names in English, which
the press uses for many countries (`Kenya`, `Brazil`), and their Vietnamese translations, older
transliterations (`Bra-xin`) still found in official texts. ``data/world.yaml`` holds the spellings
the press uses (`Mỹ`, `Italia`, `Ấn Độ`) and foreign cities. The gazetteer
(:mod:`vnfacts.extractor.places`) reads :func:`world_places`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .resources import data_file, load_data, package_folder

PYCOUNTRY_EN = "pycountry ISO 3166-1 (English name)"
PYCOUNTRY_VI = "pycountry ISO 3166-1 (Vietnamese translation)"


@dataclass(frozen=True)
class WorldPlace:
    name: str
    kind: str  # "country" or "city"
    country: str  # ISO 3166-1 alpha-2
    source: str


def _written_as_is(name: str) -> bool:
    """Not an index form (`Korea, Republic of`, `Cocos (Keeling) Islands`): no one writes those."""
    return "," not in name and "(" not in name


def _pycountry_names() -> list[WorldPlace]:
    import gettext  # (only when the gazetteer is built: not at every start)

    import pycountry

    vietnamese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)
    out = []
    for c in pycountry.countries:
        english = getattr(c, "common_name", None) or c.name
        if _written_as_is(english):
            out.append(WorldPlace(english, "country", c.alpha_2, PYCOUNTRY_EN))
        translated = vietnamese.gettext(c.name)
        # Only the hyphenated transliterations (`Bra-xin`, `Ca-na-đa`): no Vietnamese word is written
        # so. The others are one syllable (`Ý`, `Nhật`), everyday words at a sentence start, or old
        # Sino-Vietnamese names that are also people's names (`Nam Dương`, Indonesia, signs articles):
        # world.yaml lists those worth the risk, places.yaml says which need a cue word before them.
        if translated != c.name and _written_as_is(translated) and "-" in translated:
            out.append(WorldPlace(translated, "country", c.alpha_2, PYCOUNTRY_VI))
    return out


@lru_cache(maxsize=1)
def world_places() -> tuple[WorldPlace, ...]:
    """Every spelling, first source first: data/world.yaml, then pycountry's English and Vietnamese."""
    data = load_data("world.yaml")
    source = data["source_of_this_file"]
    places = [WorldPlace(name, "country", code, source) for name, code in data["countries"].items()]
    places += [WorldPlace(name, "city", code, source) for name, code in data["cities"].items()]
    seen = {p.name.lower() for p in places}
    for p in _pycountry_names():
        if p.name.lower() not in seen:
            seen.add(p.name.lower())
            places.append(p)
    return tuple(places)


def world_sources() -> list:
    """What :func:`world_places` reads, for caches built from it to notice a change: the data file,
    this module, and pycountry's country database and Vietnamese translation (as its installed
    file list names them)."""
    folder = package_folder("pycountry")
    wanted = ("databases/iso3166-1.json", "locales/vi/LC_MESSAGES/iso3166-1.mo")
    installed = [folder / name for name in wanted if (folder / name).is_file()] if folder else []
    return [data_file("world.yaml"), Path(__file__), *installed]

