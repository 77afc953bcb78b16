"""Reading what users give `vnfacts extract` and `vnfacts load`: every valid document read, every
bad one named by file, line and id, and the others still read."""
from __future__ import annotations

import io
import json

from vnfacts.extractor.inputs import read_documents, read_jsonl
from vnfacts.extractor.pipeline import DocumentError


def line(**doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n"


def split(results):
    docs = [r for r in results if not isinstance(r, DocumentError)]
    return docs, [r for r in results if isinstance(r, DocumentError)]


def test_line_separators_inside_json_strings_stay_inside_their_document(tmp_path):
    odd = "\u2028 \u2029 \u0085 \x1c \x1d \x1e \x0b \x0c"
    path = tmp_path / "in.jsonl"
    path.write_bytes(line(id="a", text=f"Một{odd}hai") + line(id="b", text="Ba") + b'{"id": "c", "text": "bon}\n')
    docs, errors = split(list(read_documents([path])))
    assert [(d.id, d.text) for d in docs] == [("a", f"Một{odd}hai"), ("b", "Ba")]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}:3 (id 'c'): invalid JSON")


def test_one_invalid_byte_costs_its_line_only(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(line(id="a", text="Một") + b'{"id": "b", "text": "Hai \xff"}\n' + line(id="c", text="Ba"))
    docs, errors = split(list(read_documents([path])))
    assert [d.id for d in docs] == ["a", "c"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}:2 (id 'b'): not UTF-8")


def test_standard_input_is_read_as_bytes_too():
    stream = io.TextIOWrapper(io.BytesIO(line(id="a", text="Một\u2028hai") + b'{"id": "b", "text": "\xfe"}\n'),
                              encoding="utf-8")
    docs, errors = split(list(read_jsonl(stream, "<stdin>")))
    assert [(d.id, d.text) for d in docs] == [("a", "Một\u2028hai")]
    assert str(errors[0]).startswith("<stdin>:2 (id 'b'): not UTF-8")


def test_fields_are_checked_strictly(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(line(id=7, text="a") + line(id="p", text="a", published="2024-13-45")
                     + line(id="t", text="a", title=5) + line(id="u", text="a", url=["x"])
                     + b'{"id": "s", "text": "a \\ud800 b"}\n' + line(id="ok", text="a", published="2024-05-06T10:00:00+07:00"))
    docs, errors = split(list(read_documents([path])))
    assert [d.id for d in docs] == ["ok"]
    messages = [str(e) for e in errors]
    assert "`id` must be a string, got int" in messages[0] and f"{path}:1" in messages[0]
    assert messages[1].startswith("p: `published` must be an ISO date")
    assert messages[2] == "t: `title` must be a string or null, got int"
    assert messages[3] == "u: `url` must be a string or null, got list"
    assert messages[4].startswith("s: `text` holds a lone surrogate (U+D800)")


def test_a_document_over_its_time_budget_is_reported_and_the_next_is_extracted():
    from vnfacts.extractor.models import Document
    from vnfacts.extractor.pipeline import budget_for, extract_many

    slow = Document("slow", "Sở Y tế tỉnh Nghệ An họp ngày 5/6/2023 về Quyết định 1438/QĐ-TTg. " * 20_000)
    quick = Document("quick", "Quyết định số 1438/QĐ-TTg.")
    results = list(extract_many([slow, quick], budget=0.2))
    assert isinstance(results[0], DocumentError) and results[0].doc_id == "slow"
    assert "longer than its budget of 0 s" in str(results[0])
    assert not isinstance(results[1], DocumentError) and results[1].entities[0].norm["id"] == "1438/QĐ-TTg"
    assert budget_for("x" * 5_000_000) > 100  # the default leaves the largest real documents room
