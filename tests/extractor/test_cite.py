"""A user's query read by the same parser as running text."""
import subprocess
import sys

import pytest

from vnfacts.extractor.cite import candidate_ids, parse_citation_query


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
