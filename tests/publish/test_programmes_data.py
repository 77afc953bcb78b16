"""publish/data/programmes.yaml: the aliases say where each comes from and name real documents; the
word lists are written as they are compared."""
from __future__ import annotations

import yaml

from vnfacts.extractor.cite import parse_citation_query
from vnfacts.extractor.clean import canonical, fold_query
from vnfacts.publish.programmes import DATA_FILE, name_key, not_a_programme

DATA = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def test_every_alias_has_a_source_and_an_approving_document():
    seen: dict[str, str] = {}
    for entry in DATA["aliases"]:
        assert entry["name"].strip() and entry["names"], entry
        citation = parse_citation_query(entry["ref"])
        assert citation is not None and citation.id == entry["ref"], entry["ref"]
        for alias in entry["names"]:
            assert alias["name"].strip() and len(alias["source"].strip()) > 10, alias
        for name in [entry["name"], *(a["name"] for a in entry["names"])]:
            assert not_a_programme(name) is None, name
            key = name_key(name)
            assert seen.setdefault(key, entry["ref"]) == entry["ref"], f"{name!r} is listed under two programmes"


def test_word_lists_are_written_as_they_are_compared():
    for kind in ("generic_names", "campaign_keywords", "person_titles", "draft_keywords", "scope_places",
                 "implementing_plan"):
        words = DATA[kind]
        assert words and len(set(words)) == len(words), kind
        assert all(w == fold_query(w) for w in words), kind  # folded: no diacritics, lower case
    clause = DATA["clause_words"]
    assert clause and all(w == canonical(w).lower() and w != fold_query(w) or w == fold_query(w) for w in clause)
    assert any(w != fold_query(w) for w in clause)  # kept with diacritics (`vẫn` is not `vận`)
