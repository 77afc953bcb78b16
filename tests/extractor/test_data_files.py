"""The extractor's data files (extractor/data/*.yaml), tested as data, the way reporters-db tests its
own: each file parses with no key given twice, holds the keys its finder reads with the types it
expects (a small schema per file), and no list names an entry twice as its finder compares them
(folded, lower-case or as written). The level words and the place aliases are shared by several
finders: every one of them must mean the same thing everywhere."""
from __future__ import annotations

from collections import Counter

import pytest
import yaml

from vnfacts.extractor.clean import canonical, fold_query
from vnfacts.extractor.levels import level_forms, level_words
from vnfacts.extractor.resources import data_file, load_data


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load keeps the last of two equal keys without a word: here it is an error."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = [k for k, n in Counter(keys).items() if n > 1]
        if twice:
            raise yaml.constructor.ConstructorError(None, None, f"keys given twice: {twice}", node.start_mark)
        return super().construct_mapping(node, deep=deep)


# A schema: a type; [schema] a list of it; {key_schema: value_schema} a mapping; a dict of named
# fields ({"name": str, "?also": [str]}, `?` optional) a record; a tuple, any one of its schemas.
WORDS = [str]
SCHEMAS = {
    "abbreviations.yaml": {"sentence_abbreviations": WORDS},
    "dates.yaml": {
        "day_leads": WORDS, "bare_day_leads": WORDS, "period_leads": WORDS, "year_lead": str,
        "month_lead": str, "quarter_lead": str, "quarter_lead_spellings": WORDS, "month_year_leads": WORDS,
        "season_leads": WORDS, "named_day_before": WORDS, "not_decade_before": WORDS, "range_open": WORDS, "range_join": WORDS,
        "quarters": {str: int}, "min_year": int, "max_year": int, "max_bare_range_years": int,
        "month_names": {str: int}, "decade_leads": WORDS,
        "not_year_after": WORDS, "not_year_before": WORDS, "ordinal_before_year": WORDS, "lunar_after": WORDS,
        "month_word_after": WORDS, "month_word_not_after": WORDS, "month_word_time_before": WORDS, "target_before": WORDS, "start_before": WORDS,
        "life_date_before": WORDS, "not_happened_in_sentence": WORDS,
        "relative": {"day_parts": WORDS, "days": {str: int}, "day_part_days": {str: int},
                     "units": {str: {str: int}}, "positions": WORDS, "position_not_before": WORDS,
                     "count_words": WORDS, "day_count_words": WORDS, "day_not_after": WORDS, "age_after": WORDS, "position_not_after": WORDS, "not_before": WORDS, "not_before_shifted": WORDS, "weekdays": {str: int},
                     "weekday_words": {str: int}, "weekday_before": {str: int}, "weekday_not_after": WORDS}},
    "event_kinds.yaml": {"heads_named_by_what_follows": WORDS, "performed_at_a_gathering": WORDS,
                         "kinds": [{"kind": str, "type": str, "phrases": WORDS}]},
    "event_classifier.yaml": {
        "data": str, "out": str, "seed": int, "epochs": int, "batch_size": int, "dropout": float,
        "model": {str: (str, int, bool)}, "feature_repeat": int, "window_words": int, "position_bounds": [int],
        "threshold": float},
    "events.yaml": {
        "specific_triggers": WORDS,
        "specific_before": WORDS, "specific_after": WORDS, "today_after": WORDS, "same_day_words": WORDS, "days_apart_words": {str: int}, "day_counts": {str: int}, "caption_openers": WORDS, "generic_kinds": WORDS, "vaguest_kinds": WORDS, "ceremony_word_kinds": WORDS, "done_before": WORDS, "name_after": WORDS, "event_name_after": WORDS, "refers_back_before": WORDS, "happened": WORDS, "not_events": WORDS,
        "needs_context": {str: WORDS}, "nominalizers": WORDS, "issuing": WORDS, "held_despite_issuing": WORDS, "handing_verbs": WORDS,
        "organizer_verbs": WORDS, "organizer_joiners": WORDS, "organizer_after": WORDS,
        "location_lead": WORDS, "place_openers": WORDS, "place_phrase_ends_before": WORDS,
        "not_address_openers": WORDS, "not_organizer_before": WORDS, "attendee_units": WORDS,
        "attendance_words": WORDS, "national_markers": WORDS, "future_markers": WORDS, "recent_markers": WORDS,
        "day_adverbial_words": WORDS, "not_venue_after": WORDS, "reporting_verbs": WORDS, "source_before": WORDS,
        "until_before": WORDS,
        "needs_day": WORDS},
    "figures.yaml": {
        "qualifiers": {str: str}, "multipliers": {str: int}, "measure_units": {str: str},
        "glued_units": WORDS, "classifier_heads": WORDS, "unit_compounds": WORDS, "unit_modifiers": WORDS,
        "excluded_units": WORDS, "kind_units": WORDS, "kind_nouns_before": WORDS, "reference_units": WORDS, "excluded_before": WORDS,
        "quantity_before": WORDS, "street_name_starts": WORDS, "max_digits": int,
        "bare_percent_after": WORDS, "share_nouns": WORDS, "not_unit_start": WORDS, "range_join": WORDS,
        "of_words": WORDS, "max_word_syllables": int},
    "legal_refs.yaml": {
        "types": [{"name": str, "words": WORDS, "?abbreviations": WORDS, "code": str}],
        "citation_type_codes": WORDS, "party_issuers": WORDS, "code_spellings": {str: str},
        "issuers": [{"pattern": str, "name": str, "code": str}], "issuer_overrides": {str: {str: str}}, "issuer_free_codes": WORDS,
        "issuer_priors": {str: WORDS}, "query_default_types": WORDS},
    "orgs.yaml": {
        "heads": [{"words": str, "?local": bool, "?needs_place": bool, "?bare_ok": bool, "?numbered": bool}],
        "heads_in_lower_case": WORDS, "compound_before": WORDS, "not_named_by_place_alone": WORDS,
        "not_after_head": {str: WORDS}, "plural_before": WORDS, "session_words": WORDS, "place_of_office_words": WORDS, "body_of_place_nouns": WORDS, "joining_words": WORDS,
        "generic_names": WORDS, "stop_words": WORDS, "not_stop_words": WORDS, "titles": WORDS, "family_names": WORDS,
        "named_after": WORDS, "person_words": WORDS, "brand_kind_words": WORDS, "legal_form_words": WORDS, "product_nouns": WORDS, "goods_words": WORDS, "press_words": WORDS, "listed_kind_words": WORDS, "known": [{"name": str, "?also": WORDS, "?exact": bool, "?capitalised": bool}],
        "abbreviations": {str: str}, "common_noun_abbreviations": WORDS, "credits_no_outlet": WORDS, "cities": WORDS},
    "pipeline.yaml": {"stages": {str: str}, "label_priority": WORDS, "settings": {str: dict}},
    "places.yaml": {
        "merger_date": str, "levels": [{"word": str, "?short": WORDS, "level": (str, WORDS)}],
        "level_word_sets": {str: WORDS},
        "aliases": {"as_written": {str: str}, "after_prefix": {str: {"province": str, "?district": str}}},
        "countries_need_cue": WORDS, "regions": WORDS, "country_cues": WORDS, "occupation_words": WORDS, "member_words": WORDS, "work_title_words": WORDS, "foreign_unit_words": WORDS, "demonym_words": WORDS,
        "venue_words": WORDS, "landmark_words": WORDS, "landmark_words_lower_case_only": WORDS, "landmark_compound_before": WORDS, "known_venues": {str: str}, "renamed": [{"new": str, "old": str, "date": str}],
        "national_seat": str},
    "world.yaml": {"source_of_this_file": str, "countries": {str: str}, "cities": {str: str}},
    "programs.yaml": {
        "keywords": WORDS, "generic_before": WORDS, "list_markers": WORDS, "bad_first_words": WORDS, "stop_words": WORDS,
        "trailing_words": WORDS, "keyword_compounds": WORDS, "inside_names_after": WORDS,
        "show_before": WORDS, "show_after": WORDS, "show_in_name": WORDS, "course_first_words": WORDS,
        "facility_verbs": WORDS, "facility_words": WORDS, "movement_groups": WORDS,
        "needs_anchor": WORDS, "anchors": WORDS, "continue_after_comma": WORDS, "max_words": int,
        "not_programs": WORDS, "link_words": WORDS},
}


def _schema_errors(value, schema, path: str) -> list[str]:
    if isinstance(schema, tuple):
        tried = [_schema_errors(value, option, path) for option in schema]
        return [] if any(not errors for errors in tried) else tried[0]
    if isinstance(schema, type):
        ok = isinstance(value, schema) and not (schema is int and isinstance(value, bool))
        return [] if ok else [f"{path}: {type(value).__name__}, not {schema.__name__}"]
    if isinstance(schema, list):
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return [e for i, item in enumerate(value) for e in _schema_errors(item, schema[0], f"{path}[{i}]")]
    if not isinstance(value, dict):
        return [f"{path}: not a mapping"]
    if len(schema) == 1 and isinstance(next(iter(schema)), type):  # {key type: value type}
        (key_type, value_schema), = schema.items()
        return [e for k, v in value.items() for e in
                _schema_errors(k, key_type, f"{path} key") + _schema_errors(v, value_schema, f"{path}.{k}")]
    fields = {name.lstrip("?"): field for name, field in schema.items()}
    required = {name for name in schema if not name.startswith("?")}
    errors = [f"{path}: lacks {name}" for name in sorted(required - set(value))]
    errors += [f"{path}: unknown key {name}" for name in sorted(set(value) - set(fields))]
    return errors + [e for name, v in value.items() if name in fields
                     for e in _schema_errors(v, fields[name], f"{path}.{name}")]


def test_every_data_file_has_a_schema():
    files = {p.name for p in data_file("").iterdir() if p.name.endswith(".yaml")}
    assert files == set(SCHEMAS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_data_file_parses_and_fits_its_schema(name):
    data = yaml.load(data_file(name).read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    assert data == load_data(name)
    assert _schema_errors(data, SCHEMAS[name], name) == []


# How each finder compares a list's entries: folded (no diacritics, lower case), lower (with its
# diacritics, any case: `Sở` is not `số`) or as written. A file's lists take its default unless named.
_FOLDED, _LOWER, _EXACT = fold_query, (lambda s: " ".join(canonical(s).lower().split())), (lambda s: s)
COMPARED = {
    "abbreviations.yaml": (_EXACT, {}),
    "dates.yaml": (_FOLDED, {"month_word_after": _LOWER, "month_word_not_after": _LOWER}),
    "event_kinds.yaml": (_LOWER, {}),
    "event_classifier.yaml": (_EXACT, {}),
    "events.yaml": (_FOLDED, {"happened": _LOWER, "not_events": _LOWER, "needs_context": _LOWER,
                              "place_phrase_ends_before": _EXACT, "not_address_openers": _EXACT}),
    "figures.yaml": (_LOWER, {"glued_units": _FOLDED, "range_join": _FOLDED, "of_words": _FOLDED,
                              "street_name_starts": _EXACT}),
    "legal_refs.yaml": (_EXACT, {"types": _FOLDED}),
    "orgs.yaml": (_LOWER, {"heads_in_lower_case": _FOLDED, "body_of_place_nouns": _FOLDED, "generic_names": _FOLDED, "plural_before": _FOLDED,
                           "not_named_by_place_alone": _FOLDED, "cities": _EXACT}),
    "pipeline.yaml": (_EXACT, {}),
    "places.yaml": (_FOLDED, {"regions": _EXACT, "levels": _EXACT, "level_word_sets": _EXACT,
                              "landmark_words": _EXACT, "landmark_words_lower_case_only": _EXACT}),  # matched as written: `lăng`, `làng`
    "programs.yaml": (_LOWER, {"needs_anchor": _FOLDED, "anchors": _FOLDED, "continue_after_comma": _FOLDED,
                               "not_programs": _FOLDED, "link_words": _FOLDED}),
    "world.yaml": (_FOLDED, {}),
}


def _word_lists(value, path: str):
    """(path, list) of every list of strings in a parsed file."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        yield path, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _word_lists(v, f"{path}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _word_lists(v, f"{path}.{k}" if path else str(k))


def _duplicates(words, key) -> list[str]:
    counts = Counter(key(w) for w in words)
    return sorted(k for k, n in counts.items() if n > 1)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_no_list_names_an_entry_twice(name):
    default, by_key = COMPARED[name]
    twice = {}
    for path, words in _word_lists(load_data(name), ""):
        key = by_key.get(path.split(".")[0].split("[")[0], default)
        if _duplicates(words, key):
            twice[path] = _duplicates(words, key)
    assert twice == {}


def test_each_org_head_and_known_name_is_listed_once():
    orgs = load_data("orgs.yaml")
    assert _duplicates([h["words"] for h in orgs["heads"]], _LOWER) == []
    forms = [form for k in orgs["known"] for form in [k["name"], *(k.get("also") or [])]]
    assert _duplicates(forms, _EXACT) == []


def test_level_words_and_their_subsets():
    assert {level for lw in level_words() for level in lw.levels} == {"province", "district", "ward"}
    assert _duplicates([lw.word for lw in level_words()], _FOLDED) == []
    for subset in load_data("places.yaml")["level_word_sets"]:
        assert set(level_forms(subset)) <= set(level_forms())  # raises on a form `levels` lacks


def test_event_types_agree():
    from vnfacts.extractor.models import EVENT_TYPES

    kinds = load_data("event_kinds.yaml")["kinds"]
    assert {k["type"] for k in kinds} <= set(EVENT_TYPES)
    assert set(load_data("events.yaml")["needs_context"]) <= {k["type"] for k in kinds}
    for key in ("generic_kinds", "vaguest_kinds", "ceremony_word_kinds"):
        assert set(load_data("events.yaml")[key]) <= {k["kind"] for k in kinds}, key
    assert _duplicates([k["kind"] for k in kinds], _LOWER) == []
    # a phrase names one kind: the first listed would always take it from the second
    assert _duplicates([p for k in kinds for p in k["phrases"]], _LOWER) == []
    # the bare heads and the verbs of performing are kinds' phrases: the kind choice compares the
    # phrases it found against them
    phrases = {_FOLDED(p) for k in kinds for p in k["phrases"]}
    for key in ("heads_named_by_what_follows", "performed_at_a_gathering"):
        assert {_FOLDED(w) for w in load_data("event_kinds.yaml")[key]} <= phrases, key


def test_legal_type_codes_agree():
    legal = load_data("legal_refs.yaml")
    codes = {t["code"] for t in legal["types"]}
    assert set(legal["query_default_types"]) <= codes
    assert set(legal["issuer_priors"]) <= codes


def _org_province_aliases() -> list[tuple[str, str]]:
    """(an ORG name written with a place alias of places.yaml, its norm.name) for every alias written
    with a level word: `TP.HCM`, `Tp. HCM` (``as_written``) and a level word before an
    ``after_prefix`` alias (`TP TDM`, `thành phố HCM`)."""
    aliases = load_data("places.yaml")["aliases"]
    shorts = tuple(short for lw in level_words() for short in lw.short)
    cases = [(f"Sở Y tế {alias}", f"Sở Y tế Thành phố {province}")
             for alias, province in aliases["as_written"].items() if alias.startswith(shorts)]
    for key, alias in aliases["after_prefix"].items():
        written = key.upper() if len(key.split()) == 1 else key.title()
        name = alias.get("district") or alias["province"]
        cases += [(f"Sở Y tế TP {written}", f"Sở Y tế Thành phố {name}"),
                  (f"Sở Y tế Tp. {written}", f"Sở Y tế Thành phố {name}"),
                  (f"Sở Y tế thành phố {written}", f"Sở Y tế thành phố {name}")]
    return cases


@pytest.mark.parametrize("written, name", _org_province_aliases())
def test_every_province_alias_of_places_expands_in_org_names(written, name):
    """`Sở Y tế Tp. HCM` -> `Sở Y tế Thành phố Hồ Chí Minh`, not `Thành phố HCM`: ORG names read the
    aliases the LOC finder reads (places.yaml), not copies of their own."""
    from vnfacts.extractor.orgs import _expand
    assert _expand(written) == name
