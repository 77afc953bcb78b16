"""Reliability and security of the site, against a real Datasette on 127.0.0.1.

Anyone who can open the site can send it SQL and canned-query parameters: the site's own SQL
functions (vn_fold, vn_cites) run in Python inside SQLite, where Datasette's time limit cannot
stop them, so their input is capped and their cost linear. The HTTP timeout
(``publish_helpers.SAFETY_TIMEOUT_S``) is only a safety net so that a regression fails instead of
hanging: the assertions are on what the site answers."""
from __future__ import annotations

import json
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from vnfacts.publish.serve import database_name
from publish_helpers import fetch

# SQL that hands the site's functions far more text than any real call: SQLite builds the text
# itself, so the request stays short.
OVERLONG_CALLS = {
    "vn_fold of 100,000 letters": "select length(vn_fold(printf('%.*c', 100000, 'a')))",
    "vn_fold of 50,000 'oa'": "select length(vn_fold(replace(printf('%.*c', 50000, 'x'), 'x', 'oa')))",
    # one letter carrying 200,000 combining marks: Unicode normalization sorts them (quadratic)
    "vn_fold of one letter with 200,000 marks":
        "select length(vn_fold('a' || replace(printf('%.*c', 100000, 'x'), 'x', char(768, 803))))",
    "vn_cites of 1,000,000 characters":
        "select vn_cites(printf('%.*c', 1000000, '1'), id, type, number, year, code) from legal_documents",
}
# Many short calls: each one is quick, so Datasette's time limit stops the query between two.
MANY_SHORT_CALLS = ("with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000000) "
                    "select count(vn_fold(replace(printf('%.*c', 300, 'x'), 'x', 'hoà') || i)) from n")


def sql_path(corpus_db, sql: str) -> str:
    return f"/{database_name(corpus_db)}.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})


def canned_path(corpus_db, query: str, **params) -> str:
    return f"/{database_name(corpus_db)}/{query}.json?" + urllib.parse.urlencode({**params, "_shape": "array"})


def assert_refused_with_a_message(status: int, body, *words: str) -> None:
    assert 400 <= status < 500, (status, body)
    message = body.get("error") if isinstance(body, dict) else body
    assert message and all(w in message for w in words), message


@pytest.mark.parametrize("name", OVERLONG_CALLS)
def test_overlong_text_to_the_sql_functions_is_refused(site, corpus_db, name):
    status, body = fetch(site, sql_path(corpus_db, OVERLONG_CALLS[name]))
    assert_refused_with_a_message(status, body, "too big")


def test_the_sql_functions_answer_within_their_caps(site, corpus_db):
    status, rows = fetch(site, sql_path(corpus_db, "select vn_fold('Hoà nhập ' || printf('%.*c', 990, 'a')) as folded,"
                                                   " vn_cites('QĐ 1438', '1438/QĐ-TTg', 'Quyết định', 1438, null, 'QĐ-TTg') as cites"))
    assert status == 200, rows
    assert rows[0]["folded"].startswith("hoa nhap aaa") and rows[0]["cites"] == 1


def test_the_time_limit_stops_many_calls_of_the_functions(site, corpus_db):
    status, body = fetch(site, sql_path(corpus_db, MANY_SHORT_CALLS))
    assert_refused_with_a_message(status, body, "too long")


@pytest.mark.parametrize("query, parameter", [
    ("programme_mentions_by_province", "programme"), ("programme_mentions_by_year", "programme"),
    ("figures_for_programme", "programme"), ("events_citing_document", "doc"),
])
def test_overlong_canned_query_parameters_are_refused(site, corpus_db, query, parameter):
    status, body = fetch(site, canned_path(corpus_db, query, **{parameter: "hoà nhập " * 4_000}))
    assert_refused_with_a_message(status, body, parameter, "characters")
    status, html = fetch(site, canned_path(corpus_db, query, **{parameter: "x" * 301}).replace(".json?", "?"))
    assert_refused_with_a_message(status, html, parameter, "characters")
    status, rows = fetch(site, canned_path(corpus_db, query, **{parameter: "x" * 300}))
    assert status == 200 and rows == []


def test_heavy_requests_leave_the_site_answering(site, corpus_db):
    heavy = [sql_path(corpus_db, sql) for sql in OVERLONG_CALLS.values()] + [sql_path(corpus_db, MANY_SHORT_CALLS)]
    # three at a time, as many as Datasette has threads for SQL
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = pool.map(lambda path: fetch(site, path), heavy * 3)
        status, rows = fetch(site, sql_path(corpus_db, "select 1 as one"))
        assert status == 200 and rows == [{"one": 1}]
        for status, body in answers:
            assert_refused_with_a_message(status, body)
    status, rows = fetch(site, sql_path(corpus_db, "select 1 as one"))
    assert status == 200 and rows == [{"one": 1}]


def test_markdown_columns_are_shown_as_text(site, corpus_db):
    # datasette-render-markdown (pulled in by datasette-dashboards) would render any column named
    # *_markdown as HTML: links and images of the visitor's choosing on the site's own pages
    sql = "select '[x](http://evil.example/)' as a_markdown, '![i](http://evil.example/i.png)' as b_markdown"
    status, html = fetch(site, f"/{database_name(corpus_db)}?" + urllib.parse.urlencode({"sql": sql}))
    assert status == 200
    assert "[x](http://evil.example/)" in html and "![i](http://evil.example/i.png)" in html
    assert 'href="http://evil' not in html and 'src="http://evil' not in html


def test_the_database_file_path_is_not_shown(site, corpus_db):
    name = database_name(corpus_db)
    folder = str(corpus_db.resolve().parent)
    paths = ["/", "/-/databases.json", "/-/databases", f"/{name}", f"/{name}.json", f"/{name}/articles.json",
             "/-/metadata.json", "/-/plugins.json", "/-/versions.json", "/-/settings.json", "/-/threads.json",
             sql_path(corpus_db, "select * from pragma_database_list"),
             f"/{name}?" + urllib.parse.urlencode({"sql": "select file, seq || file as f from main.pragma_database_list()"})]
    for path in paths:
        status, body = fetch(site, path)
        assert status == 200, (path, body)
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        assert folder not in text, path
    status, listed = fetch(site, "/-/databases.json")
    assert [d["name"] for d in listed] == [name] and all("path" not in d for d in listed)
