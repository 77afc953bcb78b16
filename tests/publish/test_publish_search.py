"""Search by any written form of a citation, folded full-text search, and odd queries."""
from __future__ import annotations

import io
import json
import unicodedata
from contextlib import redirect_stderr, redirect_stdout

import pytest

from vnfacts.publish.search import fts_query, search
from publish_helpers import DECISION_FORMS, DECISION_ID


def matches_key(answer):
    return sorted((m["kind"], m["article_id"], m["doc_id"], m.get("event_id") or "", m["sentence"] or "")
                  for m in answer.matches)


def test_every_written_form_of_a_decision_finds_the_same_citations(db):
    answers = [search(db, q) for q in DECISION_FORMS]
    for a in answers:
        assert a.kind == "citation", a.message
        assert DECISION_ID in [d["id"] for d in a.documents]
    first = matches_key(answers[0])
    assert first, "seed-002 cites Quyết định số 1438/QĐ-TTg"
    assert all(matches_key(a) == first for a in answers[1:])
    seed = [m for m in answers[0].matches if m["article_id"] == "seed-002" and m["kind"] == "mention"]
    assert seed and "1438/QĐ-TTg" in seed[0]["sentence"]
    assert seed[0]["date"] == "2023-07-18"  # the article's publication date
    # the events listed are exactly those linked to the document in the database
    events = {m["event_id"] for m in answers[0].matches if m["kind"] == "event"}
    expected = {r[0] for r in db.execute("SELECT event_id FROM event_documents WHERE doc_id = ?", (DECISION_ID,))}
    assert events == expected


def test_a_party_resolution_by_its_short_name(db):
    answer = search(db, "Nghị quyết 57")
    assert answer.kind == "citation"
    assert "57-NQ/TW" in [d["id"] for d in answer.documents]
    assert {m["article_id"] for m in answer.matches} >= {"seed-000"}


def test_a_citation_nobody_cites_gets_a_clear_answer(db):
    answer = search(db, "Quyết định 99999")
    assert answer.kind == "citation" and not answer.matches
    assert "Không bài viết nào dẫn" in answer.message


@pytest.mark.parametrize("query, kind", [
    ("", "empty"),
    ("   \n\t ", "empty"),
    ("x" * 10_240, "too_long"),
    ("1438' OR 1=1; DROP TABLE articles; --", None),
    ('"unbalanced (quote* NEAR AND OR', None),
    ("%_[]*?^$\\", None),
    ("!!! ??? ...", "no_words"),
])
def test_odd_queries_get_a_clear_answer(db, query, kind):
    answer = search(db, query)
    assert answer.message
    if kind:
        assert answer.kind == kind
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] > 0  # nothing was dropped


def test_words_are_searched_without_diacritics_case_or_tone_placement(db):
    forms = ["hoà nhập", "hòa nhập", "HOA NHAP", unicodedata.normalize("NFD", "hoà nhập")]
    found = [{m["article_id"] for m in search(db, q).matches} for q in forms]
    assert found[0], "some article speaks of hòa nhập"
    assert all(f == found[0] for f in found[1:])
    # đ and d meet: "Đồng Nai" / "dong nai"
    assert {m["article_id"] for m in search(db, "đồng").matches} == {m["article_id"] for m in search(db, "dong").matches}
    assert fts_query('a"b OR c') == '"a" "b" "or" "c"'


def test_search_command_prints_one_json_object_per_match(corpus_db):
    from vnfacts.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["search", "--db", str(corpus_db), "--json", "quyet", "dinh", "1438"]) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines
    for line in lines:
        assert {"article_id", "doc_id", "sentence", "date", "province"} <= set(line)
        assert line["doc_id"] == DECISION_ID
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main(["search", "--db", str(corpus_db), "'; DROP TABLE x; --"]) == 0
    assert out.getvalue().strip()
    err = io.StringIO()
    with redirect_stderr(err):
        assert main(["search", "--db", str(corpus_db) + ".missing", "QĐ 1438"]) == 2
    assert "no such database" in err.getvalue()
