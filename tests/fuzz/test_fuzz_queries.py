"""Fuzzing the query entry points: vnfacts.publish.search.search, `vnfacts search`, the citation
parser and `vnfacts cite`, on random query strings and on random written forms of the documents
a small database knows."""
from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import unicodedata
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnfacts.cli import main
from vnfacts.extractor.cite import candidate_ids, parse_citation_query
from vnfacts.extractor.clean import fold
from vnfacts.publish.search import search

from fuzz_strategies import examples, hard_limit, queries

QUERY_FUZZ = settings(max_examples=examples(400), deadline=timedelta(seconds=5),
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
COMMAND_FUZZ = settings(QUERY_FUZZ, max_examples=examples(120))
ANSWER_KINDS = {"citation", "programme", "text", "empty", "too_long", "no_words"}


@pytest.fixture(scope="module")
def conn(small_db):
    connection = sqlite3.connect(f"file:{small_db}?mode=ro", uri=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def legal_documents(conn) -> list[tuple]:
    return conn.execute("SELECT id, type, number, code FROM legal_documents ORDER BY id").fetchall()


def setup_module():
    os.environ.pop("VNFACTS_DEBUG", None)


def run(*argv: str) -> tuple[int, str, str]:
    """``vnfacts ARGV`` in this process: exit code (argparse's too), standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as stop:  # argparse refusing a query that looks like an option
            code = stop.code
    return code, out.getvalue(), err.getvalue()


@QUERY_FUZZ
@given(query=queries())
def test_search_answers_every_query(conn, query):
    with hard_limit(10):
        answer = search(conn, query)
    assert answer.kind in ANSWER_KINDS and answer.message
    json.dumps(answer.to_json(), ensure_ascii=False)


@COMMAND_FUZZ
@given(query=queries().filter(lambda q: "\x00" not in q))
def test_search_command_answers_every_query(small_db, query):
    code, out, err = run("search", "--db", str(small_db), "--json", "--", query)
    assert code == 0 and "internal error" not in err and "Traceback" not in err, err
    for line in out.splitlines():
        assert json.loads(line)["query_kind"] in ANSWER_KINDS


@QUERY_FUZZ
@given(query=queries())
def test_the_citation_parser_reads_or_refuses_every_query(legal_documents, query):
    with hard_limit(10):
        citation = parse_citation_query(query)
    if citation is not None:
        known = [dict(zip(("id", "type", "number", "code"), row)) for row in legal_documents]
        assert candidate_ids(citation, known)


@COMMAND_FUZZ
@given(query=queries().filter(lambda q: "\x00" not in q), with_db=st.booleans())
def test_cite_command_answers_every_query(small_db, query, with_db):
    code, out, err = run("cite", *(["--db", str(small_db)] if with_db else []), "--json", "--", query)
    assert code in (0, 1) and "internal error" not in err and "Traceback" not in err, err
    if code == 0:
        assert json.loads(out)["ids"]


@st.composite
def written_forms(draw, legal_documents) -> tuple[str, str]:
    """A document the database knows and one way a person may write it: its id or its type and
    number, with or without diacritics, in any case, with `/` for `-` and spaces around them."""
    doc_id, doc_type, number, code = draw(st.sampled_from(legal_documents))
    form = draw(st.sampled_from([doc_id, f"{doc_type} {number}", f"{doc_type} số {number}", f"{doc_type} {doc_id}",
                                 f"{doc_type} số {doc_id}"]))
    if draw(st.booleans()):
        form = fold(form)
    form = draw(st.sampled_from([form, form.lower(), form.upper()]))
    if draw(st.booleans()):
        form = form.replace("-", "/")  # 1438/QĐ/TTg for 1438/QĐ-TTg
    if draw(st.booleans()):
        form = form.replace("/", " / ")
    if draw(st.booleans()):
        form = unicodedata.normalize("NFD", form)
    return doc_id, form


@settings(QUERY_FUZZ, max_examples=examples(300))
@given(data=st.data())
def test_every_written_form_of_a_known_document_finds_it(conn, legal_documents, data):
    doc_id, form = data.draw(written_forms(legal_documents))
    answer = search(conn, form)
    assert answer.kind == "citation", (form, answer.message)
    assert doc_id in [d["id"] for d in answer.documents], (form, answer.message)
