"""What the site prints for people: Vietnamese names of codes, and numbers written the Vietnamese way.

The names live in one data file, ``labels.yaml`` beside this module; templates reach them through
the ``vn_name`` filter (``{{ m.label|vn_name('labels') }}``) and numbers through ``vn_number``
(``{{ 12289|vn_number }}`` -> ``12.289``, ``{{ 3.55|vn_number }}`` -> ``3,55``).
"""
from __future__ import annotations

import importlib.resources
import unicodedata
from functools import lru_cache

import yaml

from vnfacts.extractor.document import STATED_DATE_SOURCES, is_estimated_date  # noqa: F401 (re-exported)

LABELS_FILE = importlib.resources.files(__package__).joinpath("labels.yaml")
KINDS = ("labels", "event_types", "qualifiers", "date_sources", "set_aside_reasons", "measures", "eras")


@lru_cache(maxsize=1)
def labels_file() -> dict:
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def vietnamese_names() -> dict[str, dict[str, str]]:
    """kind -> code -> Vietnamese name, for each of :data:`KINDS`."""
    data = labels_file()
    return {kind: {str(code): str(name) for code, name in (data.get(kind) or {}).items()} for kind in KINDS}


def vietnamese_name(code, kind: str) -> str:
    """The Vietnamese name of ``code``; an unknown code is shown as it is (never hidden), none as ''."""
    if code is None or code == "":
        return ""
    return vietnamese_names()[kind].get(str(code), str(code))


def vietnamese_number(value) -> str:
    """A number as Vietnamese writes it: ``.`` between thousands, ``,`` before decimals.

    Text (already written by a person) and None pass through unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        written = f"{value:,}"
    else:
        written = f"{value:,.6f}".rstrip("0").rstrip(".")
    return written.translate(_ENGLISH_TO_VIETNAMESE_SEPARATORS)


_ENGLISH_TO_VIETNAMESE_SEPARATORS = str.maketrans({",": ".", ".": ","})  # 12,289.5 -> 12.289,5


# Vietnamese alphabetical order: each letter with its vowel marks is a letter of its own (a ă â b c
# d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), tones come second (dictionary order: none,
# huyền, hỏi, ngã, sắc, nặng), case last.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # with the Latin letters Vietnamese borrows (f j w z)
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=65_536)  # a pure function of the text; the programme list sorts every name at each visit
def vietnamese_sort_key(text: str | None) -> tuple:
    """A key sorting ``text`` the Vietnamese way (`Đ` after `D`, `Ă`/`Â` after `A`, tones
    secondary), whatever its normalization (NFC, NFD, old or new tone placement)."""
    from vnfacts.extractor.clean import canonical  # the project's one canonical form

    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", canonical(text or "")).lower():
        parts = unicodedata.normalize("NFD", ch)
        tone = next((m for m in parts[1:] if m in _TONE_RANK), "")
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m != tone))
        if base in _LETTER_RANK:
            letters.append((2, _LETTER_RANK[base], ""))
        else:  # a word ends before the next begins (`an` < `an ninh` < `anh`); digits before letters
            letters.append((0, 0, "") if base.isspace() else (1, 0, base))
        tones.append(_TONE_RANK[tone])
    return tuple(letters), tuple(tones), text or ""


def stated_date_sources() -> tuple[str, ...]:
    """The ``date_source`` values of dates an article states itself (the extractor's document stage
    decides: :data:`vnfacts.extractor.document.STATED_DATE_SOURCES`); every other one is an estimate."""
    return STATED_DATE_SOURCES


TITLE_CHARS = 120  # a headline a reader takes in at a glance; longer ones are sentences


def clipped(text, limit: int = TITLE_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with ``…`` when cut."""
    if text is None:
        return ""
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def vietnamese_date(value) -> str:
    """An ISO date as Vietnamese writes it: ``2023-07-18`` -> ``18/07/2023``, ``2017-06`` ->
    ``06/2017``, a year as it is, a day whose year the article does not give (guide: DATE)
    ``--06-04`` -> ``04/06``, a range ``2017-02-06/2017-03-09`` -> ``06/02/2017 – 09/03/2017``;
    anything else unchanged, none as ''."""
    if value is None:
        return ""
    value = str(value)
    ends = value.split("/")
    if len(ends) == 2 and all(_iso_date_parts(end) for end in ends):
        return " – ".join(vietnamese_date(end) for end in ends)
    parts = _iso_date_parts(value)
    return "/".join(reversed(parts)) if parts else value


def _iso_date_parts(value: str) -> list[str] | None:
    """The parts of an ISO date (``2023-07-18``, ``2017-06``, ``2017``, ``--06-04``), else None."""
    parts = value[2:].split("-") if value.startswith("--") else value.split("-")
    if not all(p.isdigit() for p in parts):
        return None
    if value.startswith("--"):
        return parts if len(parts) == 2 and all(len(p) == 2 for p in parts) else None
    return parts if len(parts[0]) == 4 and len(parts) <= 3 and all(len(p) == 2 for p in parts[1:]) else None
