"""Fuzzing `vnfacts extract` and `vnfacts load` (run in-process through vnfacts.cli.main) with JSONL
files where random bad lines are mixed in among good documents: no internal error, exit code 1 with
each bad line reported, every good document out (extract) or stored (load) with exact offsets."""
from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnfacts.cli import main
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import default_pipeline, extract, warm_up

from fuzz_strategies import BAD_LINES, NOT_FOR_PYTHON, damaged, examples, json_values, jsonl_with_bad_lines

# A few documents of up to a few thousand characters each: well under a second an example,
# except loading, which commits each article with fsync.
FUZZ = settings(max_examples=examples(80), deadline=timedelta(seconds=15),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LOAD_FUZZ = settings(FUZZ, max_examples=examples(25), deadline=timedelta(seconds=30))


def setup_module():
    os.environ.pop("VNFACTS_DEBUG", None)  # an internal error must show as exit code 70, not be raised
    warm_up(default_pipeline())


def run(*argv: str, stdin: bytes | None = None) -> tuple[int, str]:
    """``vnfacts ARGV`` in this process: exit code and standard error."""
    err = io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(list(argv))
    finally:
        sys.stdin = old_stdin
    return code, err.getvalue()


def assert_no_internal_error(code: int, err: str) -> None:
    assert code != 70 and "internal error" not in err and "Traceback" not in err, err


def extracted_lines(path: Path) -> list[dict]:
    # split at "\n" only: str.splitlines would also split at the U+2028 a JSON string may hold raw
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def assert_every_good_document_out(lines: list[dict], good: list[dict]) -> None:
    """Each good document once, in input order, with its text as given and exact offsets."""
    by_id = {line["id"]: line for line in lines}
    assert [line["id"] for line in lines if line["id"] in {d["id"] for d in good}] == [d["id"] for d in good]
    for doc in good:
        out = by_id[doc["id"]]
        assert out["text"] == doc["text"]
        for entity in out["entities"]:
            assert doc["text"][entity["start"]:entity["end"]] == entity["text"], entity


@FUZZ
@given(case=jsonl_with_bad_lines(), from_stdin=st.booleans())
def test_extract_reports_bad_lines_and_writes_every_good_document(case, from_stdin):
    data, good = case
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_bytes(data)
        code, err = run("extract", "-" if from_stdin else str(source), "-o", str(out), "-q",
                        stdin=data if from_stdin else None)
        assert_no_internal_error(code, err)
        assert code == 1 and "vnfacts extract: error:" in err, err
        assert_every_good_document_out(extracted_lines(out), good)


@st.composite
def text_folders(draw) -> tuple[dict[str, bytes], dict[str, str]]:
    """A folder's .txt files: UTF-8 texts (the good ones), and binary, non-UTF-8, empty or blank files.
    (A NUL byte makes a file binary; a leading BOM is the encoding's, not the text's.)"""
    text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=200)
    good = {f"good-{n}": draw(text.filter(lambda t: t.strip() and not t.startswith("\ufeff")))
            for n in range(draw(st.integers(1, 3)))}
    bad = draw(st.lists(st.sampled_from([b"", b"  \n", b"\x00\x01\x02", "Quyết định".encode("utf-16"), b"\xc3\x28"]),
                        min_size=1, max_size=3))
    files = {f"{name}.txt": text.encode("utf-8") for name, text in good.items()}
    files.update({f"bad-{n}.txt": content for n, content in enumerate(bad)})
    return files, good


@settings(FUZZ, max_examples=examples(15))
@given(case=text_folders())
def test_extract_reads_every_good_text_file_of_a_folder(case):
    files, good = case
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "texts", Path(tmp) / "out.jsonl"
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content)
        code, err = run("extract", str(folder), "-o", str(out), "-q")
        assert_no_internal_error(code, err)
        assert code == 1, err
        lines = {line["id"]: line for line in extracted_lines(out)}
        assert {k: v["text"] for k, v in lines.items() if k in good} == good


def stored(db: Path) -> dict[str, tuple[str, list[tuple]]]:
    """Article id -> (text, its mentions' offsets and text)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        articles = {row[0]: (row[1], []) for row in conn.execute("SELECT id, text FROM articles")}
        for article_id, start, end, text in conn.execute("SELECT article_id, start, [end], text FROM mentions"):
            articles[article_id][1].append((start, end, text))
        return articles
    finally:
        conn.close()


def assert_every_good_document_stored(db: Path, good: list[dict]) -> None:
    articles = stored(db)
    for doc in good:
        text, mentions = articles[doc["id"]]
        assert text == doc["text"]
        for start, end, mention in mentions:
            assert text[start:end] == mention


@LOAD_FUZZ
@given(case=jsonl_with_bad_lines(max_good=3))
def test_load_stores_every_good_document(case):
    data, good = case
    with tempfile.TemporaryDirectory() as tmp:
        source, db = Path(tmp) / "in.jsonl", Path(tmp) / "facts.db"
        source.write_bytes(data)
        code, err = run("load", "--db", str(db), str(source), "-q")
        assert_no_internal_error(code, err)
        assert code == 1, err
        assert_every_good_document_stored(db, good)


@LOAD_FUZZ
@given(case=jsonl_with_bad_lines(max_good=3, bad_lines=BAD_LINES))
def test_load_extracted_stores_every_good_document(case):
    data, good = case
    with tempfile.TemporaryDirectory() as tmp:
        source, extracted, db = Path(tmp) / "in.jsonl", Path(tmp) / "x.jsonl", Path(tmp) / "facts.db"
        source.write_bytes(data)
        run("extract", str(source), "-o", str(extracted), "-q")
        # the extract output with the same bad lines mixed in again
        extracted.write_bytes(extracted.read_bytes() + data)
        code, err = run("load", "--db", str(db), "--extracted", str(extracted), "-q")
        assert_no_internal_error(code, err)
        assert code == 1, err
        assert_every_good_document_stored(db, good)


@pytest.mark.parametrize("line", [b"[" * 5_000 + b"]" * 5_000, b'{"id": "n", "text": "x", "entities": [], "n": ' + b"9" * 5_000 + b"}"],
                         ids=["nested 5,000 deep", "5,000-digit number"])
def test_load_extracted_survives_json_python_cannot_hold(tmp_path, line):
    extracted = tmp_path / "x.jsonl"
    extracted.write_bytes(line + b'\n{"id": "ok", "text": "x", "entities": [], "events": [], "sentences": [[0, 1]]}\n')
    code, err = run("load", "--db", str(tmp_path / "facts.db"), "--extracted", str(extracted), "-q")
    assert_no_internal_error(code, err)
    assert code == 1 and "ok" in stored(tmp_path / "facts.db")


def extract_line(doc_id: str, text: str) -> dict:
    """What `vnfacts extract` writes for one document."""
    document = Document(doc_id, text, published="2023-06-05")
    return extract(document).to_json(document)


GOOD_LINE = extract_line("line-1", "Ngày 5/6/2023, Sở Y tế tỉnh Nghệ An tổ chức hội nghị triển khai Quyết định số "
                                   "1438/QĐ-TTg và Đề án 1533 với 120 đại biểu tại Hà Nội.")
EXTRACT_KEYS = ("entities", "events", "sentences", "document", "start", "end", "label", "text", "norm", "sentence",
                "type", "date", "province", "location", "organizers", "legal_refs", "participants", "date_source")
EXTRACT_WORDS = ("LEGAL_REF", "PROGRAM", "DATE", "FIGURE", "ORG", "LOC", "hoi_nghi", "2023-06-05", "Nghệ An")


@LOAD_FUZZ
@given(line=damaged(GOOD_LINE, json_values(EXTRACT_KEYS, EXTRACT_WORDS), keep=("id", "text"), scalars_under=("norm",)))
def test_load_extracted_stores_or_refuses_a_damaged_line(line):
    """An extract line with random parts replaced (a norm's values by scalars only: the tests
    below), deleted or duplicated: stored with exact offsets or refused, and the next line stored."""
    with tempfile.TemporaryDirectory() as tmp:
        extracted, db = Path(tmp) / "x.jsonl", Path(tmp) / "facts.db"
        good = {**GOOD_LINE, "id": "line-2"}
        extracted.write_text(json.dumps(line, ensure_ascii=False, allow_nan=True) + "\n"
                             + json.dumps(good, ensure_ascii=False) + "\n", encoding="utf-8")
        code, err = run("load", "--db", str(db), "--extracted", str(extracted), "-q")
        assert_no_internal_error(code, err)
        assert code in (0, 1), err
        assert_every_good_document_stored(db, [good])
        for text, mentions in stored(db).values():
            assert all(text[start:end] == mention for start, end, mention in mentions)


def damaged_norm(label: str, field: str, value) -> dict:
    line = json.loads(json.dumps(GOOD_LINE))
    next(e for e in line["entities"] if e["label"] == label)["norm"][field] = value
    return line


@pytest.mark.parametrize("label, field, value", [("PROGRAM", "ref", []), ("LEGAL_REF", "id", ["1438/QĐ-TTg"])])
def test_load_extracted_survives_a_norm_value_that_is_a_list(tmp_path, label, field, value):
    assert_damaged_norm_refused(tmp_path, damaged_norm(label, field, value))


def test_load_extracted_refuses_a_norm_value_of_the_wrong_type(tmp_path):
    assert_damaged_norm_refused(tmp_path, damaged_norm("FIGURE", "unit", {"a": 1}))


def assert_damaged_norm_refused(tmp_path, line: dict) -> None:
    """The damaged line is reported and not stored; the good line after it is stored."""
    extracted = tmp_path / "x.jsonl"
    extracted.write_text(json.dumps(line, ensure_ascii=False) + "\n"
                         + json.dumps({**GOOD_LINE, "id": "line-2"}, ensure_ascii=False) + "\n", encoding="utf-8")
    code, err = run("load", "--db", str(tmp_path / "facts.db"), "--extracted", str(extracted), "-q")
    assert_no_internal_error(code, err)
    assert code == 1 and set(stored(tmp_path / "facts.db")) == {"line-2"}


@pytest.mark.parametrize("sentence", [True, 5])
def test_load_extracted_refuses_a_sentence_index_outside_the_sentences(tmp_path, sentence):
    line = json.loads(json.dumps(GOOD_LINE))
    line["entities"][0]["sentence"] = sentence
    extracted = tmp_path / "x.jsonl"
    extracted.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    code, err = run("load", "--db", str(tmp_path / "facts.db"), "--extracted", str(extracted), "-q")
    assert code == 1 and "line-1" in err, err


def test_extract_as_a_subprocess_reports_bad_lines_without_a_traceback(tmp_path):
    """Once through the real `vnfacts` program, bounded in time: all the bad lines, one good document."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(BAD_LINES + NOT_FOR_PYTHON) 
                      + '\n{"id": "good", "text": "Ngày 5/6/2023, Quyết định 1438/QĐ-TTg."}\n'.encode("utf-8"))
    result = subprocess.run([sys.executable, "-m", "vnfacts", "extract", str(source), "-q"],
                            capture_output=True, timeout=120, env={k: v for k, v in os.environ.items() if k != "VNFACTS_DEBUG"})
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1 and "Traceback" not in err and "internal error" not in err, err
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good"]
    assert err.count("vnfacts extract: error:") == len(BAD_LINES + NOT_FOR_PYTHON)
