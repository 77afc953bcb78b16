"""The `vnfacts extract` / `vnfacts evaluate` contract, bad input included, through the real command."""
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "annotations" / "devset.jsonl"


def vnfacts(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "vnfacts.cli", *map(str, args)], input=stdin,
                          capture_output=True, text=True, cwd=ROOT)


def lines(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_jsonl_txt_folder_and_stdin(tmp_path):
    (tmp_path / "a.txt").write_text("Theo Quyết định số 1438/QĐ-TTg ngày 29/10/2018.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Nghị quyết 57-NQ/TW của Bộ Chính trị.", encoding="utf-8")
    r = vnfacts("extract", tmp_path, "-q")
    assert r.returncode == 0, r.stderr
    docs = lines(r.stdout)
    assert [d["id"] for d in docs] == ["a", "b"]
    assert docs[0]["entities"][0]["norm"]["id"] == "1438/QĐ-TTg"
    r = vnfacts("extract", "-", "-q", stdin=json.dumps({"id": "s", "text": "Quyết định 1533/QĐ-TTg"}) + "\n")
    assert lines(r.stdout)[0]["entities"][0]["text"] == "Quyết định 1533/QĐ-TTg"
    out = tmp_path / "out.jsonl"
    r = vnfacts("extract", tmp_path / "a.txt", "-o", out)
    assert r.returncode == 0 and lines(out.read_text(encoding="utf-8"))[0]["id"] == "a"
    assert "documents" in r.stderr  # the end-of-run summary
    # `-o -` is stdout, not a file named "-"
    r = subprocess.run([sys.executable, "-m", "vnfacts.cli", "extract", tmp_path / "a.txt", "-o", "-", "-q"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and lines(r.stdout)[0]["id"] == "a" and not (tmp_path / "-").exists()


def test_each_line_carries_what_storage_needs(tmp_path):
    """`vnfacts load --extracted` stores the output alone: the text and the input's title, url,
    published date, source and licence ride along; the facts' keys stay as they were."""
    full = {"id": "full", "text": "Theo Quyết định số 1438/QĐ-TTg.", "title": "Tin", "url": "https://x.vn/1",
            "published": "2024-05-01", "source": "x.vn", "licence": "CC BY 4.0", "other": 1}
    (tmp_path / "in.jsonl").write_text(json.dumps(full, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "bare.txt").write_text("Nghị quyết 57-NQ/TW.", encoding="utf-8")
    out = lines(vnfacts("extract", tmp_path / "in.jsonl", tmp_path / "bare.txt", "-q").stdout)
    assert list(out[0])[:4] == ["id", "entities", "events", "sentences"]
    assert {k: out[0][k] for k in ("text", "title", "url", "published", "source", "licence")} == \
        {k: full[k] for k in ("text", "title", "url", "published", "source", "licence")}
    assert "other" not in out[0]
    assert set(out[1]) == {"id", "entities", "events", "sentences", "document", "text"}


def test_offsets_index_the_input_for_nfc_nfd_and_old_tones(tmp_path):
    base = "Ngày 22/12, Uỷ ban nhân dân tỉnh ban hành Quyết định số 434/QĐ-UBND về hoà nhập cộng đồng."
    rows = [{"id": form, "text": unicodedata.normalize(form, base)} for form in ("NFC", "NFD")]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    docs = lines(vnfacts("extract", path, "-q").stdout)
    assert len(docs) == 2
    for row, doc in zip(rows, docs):
        assert doc["entities"], doc
        for e in doc["entities"]:
            assert row["text"][e["start"]:e["end"]] == e["text"]
        for s, e in doc["sentences"]:
            assert 0 <= s < e <= len(row["text"])
    assert [e["norm"] for e in docs[0]["entities"]] == [e["norm"] for e in docs[1]["entities"]]


def test_bad_input_is_reported_and_loses_nothing(tmp_path):
    good = {"id": "good", "text": "Theo Quyết định số 1438/QĐ-TTg."}
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text("\n".join([
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "notext"}),
        json.dumps({"id": "badtype", "text": 12}),
        json.dumps(["a list"]),
        json.dumps({"id": "good2", "text": "Nghị quyết 57-NQ/TW"}),
    ]) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Quyết định".encode("utf-16"))
    r = vnfacts("extract", jsonl, empty, binary, latin, tmp_path / "missing.jsonl", "-q")
    assert r.returncode == 1
    assert [d["id"] for d in lines(r.stdout)] == ["good", "good2"]
    err = r.stderr
    assert "Traceback" not in err
    for expected in ["mixed.jsonl:2: invalid JSON", "notext: missing `text`", "badtype: `text` must be a string",
                     "expected a JSON object", "empty file", "binary file", "no such file"]:
        assert expected in err, (expected, err)


def test_large_text_is_processed(tmp_path):
    """A 5 MB document (the bundled articles, end to end, repeated) is read whole and correctly."""
    articles = [json.loads(line)["text"] for line in (ROOT / "corpus" / "articles.jsonl").open(encoding="utf-8")]
    block = "\n\n".join(articles)
    text = "\n\n".join([block] * (5_000_000 // len(block) + 1))
    assert len(text.encode("utf-8")) > 5_000_000
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = vnfacts("extract", path, "-q")
    assert r.returncode == 0, r.stderr[-2000:]
    (doc,) = lines(r.stdout)
    assert all(text[e["start"]:e["end"]] == e["text"] for e in doc["entities"])
    ids = [e["norm"]["id"] for e in doc["entities"] if e["label"] == "LEGAL_REF"]
    assert ids.count("1438/QĐ-TTg") >= text.count("Quyết định số 1438/QĐ-TTg")
    assert doc["sentences"][-1][1] <= len(text)


def test_evaluate_prints_the_table_and_scores_legal_refs(tmp_path):
    pred = tmp_path / "pred.jsonl"
    r = vnfacts("extract", ROOT.parent / "shared" / "devset" / "texts", "-o", pred, "-q")
    if r.returncode != 0 or not pred.exists():  # shared/ is not beside the repo: use the gold texts
        vnfacts("extract", DEVSET, "-o", pred, "-q")
    r = vnfacts("evaluate", "--gold", DEVSET, "--pred", pred)
    assert r.returncode == 0, r.stderr
    for label in ["LEGAL_REF", "DATE", "FIGURE", "PROGRAM", "ORG", "LOC", "macro mean of norm F1", "main event right"]:
        assert label in r.stdout
    report = json.loads(vnfacts("evaluate", "--gold", DEVSET, "--json").stdout)
    assert report["labels"]["LEGAL_REF"]["norm"]["f1"] >= 0.8
    assert report["legal_ids"]["f1"] >= 0.8
    errors = vnfacts("evaluate", "--gold", DEVSET, "--errors").stdout
    assert "[[" in errors  # each error shows its context


def test_evaluate_clear_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    r = vnfacts("evaluate", "--gold", bad)
    assert r.returncode == 2 and "invalid JSON" in r.stderr and "Traceback" not in r.stderr
    r = vnfacts("evaluate", "--gold", tmp_path / "nope.jsonl")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    """Loading the same input twice must give the same database: no set-order in any finder."""
    import os
    outs = []
    for seed in ("1", "2"):
        r = subprocess.run([sys.executable, "-m", "vnfacts.cli", "extract", ROOT / "corpus" / "articles.jsonl", "-q"],
                           capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr[-2000:]
        outs.append(r.stdout)
    assert outs[0] == outs[1]


def test_an_output_that_is_also_an_input_is_refused_and_kept(tmp_path):
    path = tmp_path / "in.jsonl"
    original = json.dumps({"id": "a", "text": "Quyết định số 1438/QĐ-TTg"}, ensure_ascii=False) + "\n"
    path.write_text(original, encoding="utf-8")
    r = vnfacts("extract", path, "-o", path)
    assert r.returncode == 2 and "also an input" in r.stderr
    assert path.read_text(encoding="utf-8") == original
    out = tmp_path / "out.jsonl"
    assert vnfacts("extract", path, "-o", out, "-q").returncode == 0
    assert not list(tmp_path.glob("*.partial")) and json.loads(out.read_text(encoding="utf-8"))["id"] == "a"
