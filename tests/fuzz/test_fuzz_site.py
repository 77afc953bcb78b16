"""Fuzzing the site: one vnfacts.publish.serve.Site on 127.0.0.1 serving a small database, sent
random citation searches, programme slugs, canned-query parameters and ?sql= calls of the site's
SQL functions. Every answer is a page (200) or a clean refusal (4xx), never a 500 and never a
hang (each request has a timeout), and the site still answers afterwards. About 250 requests."""
from __future__ import annotations

import json
import string
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnfacts.publish.serve import SETTINGS, Site, database_name

from fuzz_strategies import SYLLABLES, examples, queries

# Datasette stops a query after its time limit; the timeout only turns a hang into a failure.
REQUEST_TIMEOUT_S = SETTINGS["sql_time_limit_ms"] / 1000 + 10
SITE_FUZZ = settings(max_examples=examples(60), deadline=timedelta(seconds=2 * REQUEST_TIMEOUT_S),
                     suppress_health_check=[HealthCheck.too_slow])
CANNED_QUERIES = {"events_citing_document": "doc", "programme_mentions_by_province": "programme",
                  "programme_mentions_by_year": "programme", "figures_for_programme": "programme",
                  "most_cited_documents": None}


@pytest.fixture(scope="module")
def site(small_db):
    with Site(small_db) as running:
        yield running


@pytest.fixture(scope="module")
def db_name(small_db) -> str:
    return database_name(small_db)


def get(site, path: str) -> tuple[int, str]:
    """Status and body of a GET on the site."""
    try:
        with urllib.request.urlopen(site.url.rstrip("/") + path, timeout=REQUEST_TIMEOUT_S) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def assert_page_or_clean_refusal(status: int, body: str, path: str) -> None:
    assert status == 200 or 400 <= status < 500, (status, path, body[:500])


def query_string(params: dict) -> str:
    """Parameters percent-encoded: text as UTF-8, bytes as they are (not always UTF-8)."""
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


@SITE_FUZZ
@given(q=st.one_of(queries(), st.binary(max_size=30)), as_json=st.booleans())
def test_citation_search_answers_every_query(site, q, as_json):
    path = f"/-/citations{'.json' if as_json else ''}?" + query_string({"q": q})
    status, body = get(site, path)
    assert status == 200, (status, path, body[:500])
    if as_json:
        assert json.loads(body)["kind"] in {"citation", "text", "empty", "too_long", "no_words"}


slugs = st.one_of(st.text(alphabet=string.ascii_lowercase + string.digits + "-", max_size=40),
                  st.sampled_from(["de-an-1533", "chuong-trinh-112", "-", "--", "a" * 300]),
                  st.text(max_size=20))


@SITE_FUZZ
@given(slug=slugs, as_json=st.booleans())
def test_programme_pages_answer_every_slug(site, slug, as_json):
    path = "/-/programmes/" + urllib.parse.quote(slug, safe="") + (".json" if as_json else "")
    status, body = get(site, path)
    assert_page_or_clean_refusal(status, body, path)


parameter_values = st.one_of(queries(), st.sampled_from(SYLLABLES), st.text(max_size=310), st.binary(max_size=20),
                             st.sampled_from(["", "%", "%%", "_", "'", "1438", "QĐ 1438", "x" * 300, "x" * 301]))


@SITE_FUZZ
@given(query=st.sampled_from(sorted(CANNED_QUERIES)), value=parameter_values,
       extra=st.dictionaries(st.sampled_from(["_shape", "_size", "_next", "_json", "_sort", "_labels", "doc", "programme"])
                             | st.text(min_size=1, max_size=8), parameter_values, max_size=3),
       as_json=st.booleans())
def test_canned_queries_answer_every_parameter(site, db_name, query, value, extra, as_json):
    params = {**extra, **({CANNED_QUERIES[query]: value} if CANNED_QUERIES[query] else {})}
    path = f"/{db_name}/{query}{'.json' if as_json else ''}?" + query_string(params)
    status, body = get(site, path)
    assert_page_or_clean_refusal(status, body, path)


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Arguments of the site's SQL functions as SQL expressions: texts, repetitions SQLite builds
# itself (so that the request stays short), numbers, nulls and blobs.
sql_arguments = st.one_of(
    queries().map(sql_literal), st.text(max_size=30).map(sql_literal),
    st.builds(lambda n, s: f"replace(printf('%.*c', {n}, 'x'), 'x', {sql_literal(s)})",
              st.integers(0, 2_000), st.sampled_from(["a", "hoà", "\u0300", "QĐ 1438 ", "/"])),
    st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=False).map(repr).filter(lambda r: "inf" not in r),
    st.just("null"), st.binary(max_size=8).map(lambda b: f"x'{b.hex()}'"),
    st.integers(0, 0x10FFFF).map(lambda c: f"char({c})"))

sql_calls = st.one_of(
    st.builds(lambda a: f"select vn_fold({a}) as folded", sql_arguments),
    st.builds(lambda a: f"select count(*) as n from programmes where name_folded like '%' || vn_fold({a}) || '%'", sql_arguments),
    st.builds(lambda a: f"select id from legal_documents where vn_cites({a}, id, type, number, year, code)", sql_arguments),
    st.builds(lambda a, b, c: f"select vn_cites({a}, {b}, {c}, 1438, null, 'QĐ-TTg')", sql_arguments, sql_arguments, sql_arguments),
)


@settings(SITE_FUZZ, max_examples=examples(30))
@given(sql=sql_calls)
def test_sql_calling_the_site_functions_is_answered_or_refused(site, db_name, sql):
    path = f"/{db_name}.json?" + query_string({"sql": sql, "_shape": "array"})
    status, body = get(site, path)
    assert_page_or_clean_refusal(status, body, path)


def test_the_site_still_answers_after_the_fuzzing(site, db_name):
    status, body = get(site, f"/{db_name}.json?" + query_string({"sql": "select 1 as one", "_shape": "array"}))
    assert status == 200 and json.loads(body) == [{"one": 1}]
    assert site.process.poll() is None
