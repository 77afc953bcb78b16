"""A user's query read by the same parser as running text."""
import subprocess
import sys

import pytest

import unicodedata

from vnfacts.extractor.cite import candidate_ids, parse_citation_query, parse_programme_query, year_fits


@pytest.mark.parametrize("query", ["QĐ 1438", "quyet dinh 1438", "Quyết định số 1438", "QUYẾT ĐỊNH 1438", "qd 1438"])
def test_type_and_number(query):
    q = parse_citation_query(query)
    assert (q.type, q.number, q.id) == ("Quyết định", 1438, None)
    assert candidate_ids(q)[0] == "1438/QĐ-TTg"


@pytest.mark.parametrize("query, doc_id", [
    ("1438/QĐ-TTg", "1438/QĐ-TTg"),
    ("quyet dinh so 1438/qd-ttg", "1438/QĐ-TTg"),
    ("57-NQ/TW", "57-NQ/TW"),
    ("Nghị quyết số 57/NQ-TW", "57-NQ/TW"),
    ("32/2010/QĐ-TTg", "32/2010/QĐ-TTg"),
])
def test_full_codes(query, doc_id):
    q = parse_citation_query(query)
    assert q.id == doc_id
    assert candidate_ids(q) == [doc_id]


def test_known_documents_rank_first():
    q = parse_citation_query("NQ 57")
    known = [{"id": "57/NQ-CP", "type": "Nghị quyết", "number": 57, "year": None, "code": "NQ-CP", "mentions": 1},
             {"id": "57-NQ/TW", "type": "Nghị quyết", "number": 57, "year": None, "code": "NQ/TW", "mentions": 9},
             {"id": "57/QĐ-TTg", "type": "Quyết định", "number": 57, "year": None, "code": "QĐ-TTg", "mentions": 50}]
    assert candidate_ids(q, known)[:2] == ["57-NQ/TW", "57/NQ-CP"]
    assert "57/QĐ-TTg" not in candidate_ids(q, known)


@pytest.mark.parametrize("query", ["", "   ", "hoà nhập cộng đồng", "'; DROP TABLE mentions; --", "bao nhieu 1438 nguoi", "x" * 10_000])
def test_not_a_citation(query):
    assert parse_citation_query(query) is None


def test_cli_answers_and_refuses():
    ok = subprocess.run([sys.executable, "-m", "vnfacts.cli", "cite", "quyet dinh 1438"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "1438/QĐ-TTg"
    bad = subprocess.run([sys.executable, "-m", "vnfacts.cli", "cite", "hòa nhập"], capture_output=True, text=True)
    assert bad.returncode == 1 and "not a citation" in bad.stderr


@pytest.mark.parametrize("query, reading", [
    ("Nghị định 56/2017", ("Nghị định", 56, 2017, None)),
    ("nghi dinh 56 nam 2017", ("Nghị định", 56, 2017, None)),
    ("quyết định 1438 năm 2018", ("Quyết định", 1438, 2018, None)),
    ("Quyết định 1438 ngày 29/10/2018", ("Quyết định", 1438, 2018, None)),
    ("QĐ-TTg 1438", ("Quyết định", 1438, None, "1438/QĐ-TTg")),
    ("qd-ttg so 1438", ("Quyết định", 1438, None, "1438/QĐ-TTg")),
    ("NQ/TW 57", ("Nghị quyết", 57, None, "57-NQ/TW")),
    ("  quyet   dinh\u00a0\u00a01438 ", ("Quyết định", 1438, None, None)),
    (unicodedata.normalize("NFD", "Quyết định  1438 năm 2018"), ("Quyết định", 1438, 2018, None)),
    ("Quyêt đinh 1438", ("Quyết định", 1438, None, None)),  # tone marks missing on some letters
])
def test_more_written_forms(query, reading):
    q = parse_citation_query(query)
    assert (q.type, q.number, q.year, q.id) == reading


def test_a_year_said_fits_the_signing_when_the_code_has_none():
    q = parse_citation_query("quyết định 1438 năm 2018")
    decision = {"id": "1438/QĐ-TTg", "type": "Quyết định", "number": 1438, "year": None, "code": "QĐ-TTg"}
    assert q.matches({**decision, "signed": "2018-10-29"})
    assert q.matches(decision)  # signing date unknown: the year cannot rule it out
    assert not q.matches({**decision, "signed": "2016-08-02"})
    assert not q.matches({**decision, "year": 2016, "id": "1438/2016/QĐ-TTg"})
    assert year_fits(None, 2016) and year_fits(2017, 2017) and not year_fits(2017, 2016, "2017-01-01")


@pytest.mark.parametrize("query, reading", [
    ("Đề án 1533", ("de an", 1533, "")),
    ("de an 1533", ("de an", 1533, "")),
    ("ĐỀ ÁN  SỐ 1533", ("de an", 1533, "")),
    (unicodedata.normalize("NFD", "Chương trình 135"), ("chuong trinh", 135, "")),
    ("Chương trình 30a", ("chuong trinh", 30, "a")),
    ("cuoc van dong\u00a05", ("cuoc van dong", 5, "")),
])
def test_a_programme_by_its_number(query, reading):
    q = parse_programme_query(query)
    assert (q.keyword, q.number, q.suffix) == reading
    assert parse_citation_query(query) is None  # a programme is not a legal document


@pytest.mark.parametrize("query", ["Đề án", "Đề án hỗ trợ trẻ em 1533", "1533", "Quyết định 1533", "de an 1533 2018", ""])
def test_not_a_programme_number(query):
    assert parse_programme_query(query) is None


def test_cli_reads_a_programme_number_as_its_approving_decision():
    run = subprocess.run([sys.executable, "-m", "vnfacts.cli", "cite", "de an 1533"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.splitlines()[0] == "1533/QĐ-TTg"
    assert "programme" in run.stderr
