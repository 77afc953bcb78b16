"""scripts/gold-consistency.py on small gold-shaped files cut from the real gold (batch-d's White House
and TP.HCM sentences), run as a command: each kind of inconsistency is found where it is and nowhere
else, offsets point into the text as given (also NFD text), and counts come per part of a split."""
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "gold-consistency.py"


def span(text, words, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return {"start": start, "end": start + len(words), "label": label, "text": words, "norm": {}}


def write(path, docs):
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")


def run(*args):
    out = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def gold(tmp_path):
    a = "Bà Betsy Devos tại Nhà Trắng. Ông chủ Nhà Trắng cho biết. Sở Y tế TP.HCM họp tại tỉnh Nghệ An."
    b = "Họ đến Nhà Trắng dùng trà. Sở Y tế TP.HCM kiểm tra tỉnh Nghệ An. Hà Anh viết bài."
    # c is NFD (decomposed tones) and lists Anh the country without a span
    c = unicodedata.normalize("NFD", "Họ sang Anh và tới Nhà Trắng. Ông Nguyễn Văn Anh nói.")
    docs_d = [
        {"id": "d-1", "text": a, "entities": [span(a, "Nhà Trắng", "LOC"), span(a, "Nhà Trắng", "ORG", 1),
                                              span(a, "Sở Y tế TP.HCM", "ORG"), span(a, "tỉnh Nghệ An", "LOC")]},
        {"id": "d-2", "text": b, "entities": [span(b, "Nhà Trắng", "ORG"), span(b, "Sở Y tế", "ORG"),
                                              span(b, "TP.HCM", "LOC"), span(b, "Nghệ An", "LOC")]},
    ]
    anh = unicodedata.normalize("NFD", "Anh")
    # a shared plural head stays outside the first place of a list (the guide): no cut of `tỉnh Nghệ An`
    lst = "Mưa lớn ở các tỉnh Nghệ An, Hà Tĩnh."
    docs_e = [{"id": "e-1", "text": c, "entities": [span(c, unicodedata.normalize("NFD", "Nhà Trắng"), "ORG")]},
              {"id": "e-3", "text": lst, "entities": [span(lst, "Nghệ An", "LOC"), span(lst, "Hà Tĩnh", "LOC")]},
              {"id": "e-2", "text": "Đại sứ Anh tới.", "entities": [span("Đại sứ Anh tới.", "Anh", "LOC")]}]
    assert anh in c
    write(tmp_path / "batch-d.jsonl", docs_d)
    write(tmp_path / "batch-e.jsonl", docs_e)
    return tmp_path / "batch-d.jsonl", tmp_path / "batch-e.jsonl", c


def test_each_kind_found_with_offsets_into_the_text_as_given(tmp_path):
    d, e, c = gold(tmp_path)
    run(d, e, "--json", tmp_path / "out.json")
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    keys = out["keys"]
    # Nhà Trắng: ORG three times, LOC once -> the LOC one is the label inconsistency
    assert keys["nhà trắng"]["label"] == "ORG"
    assert [(o["kind"], o["doc"]) for o in keys["nhà trắng"]["occurrences"]] == [("label", "d-1")]
    # Sở Y tế TP.HCM one ORG in d-1, cut in two in d-2: a boundary inconsistency, shown with the cut spans
    [cut] = keys["sở y tế tp.hcm"]["occurrences"]
    assert cut["kind"] == "boundary" and cut["doc"] == "d-2" and cut["detail"] == "[Sở Y tế]"
    # tỉnh Nghệ An against Nghệ An alone
    [nghe_an] = keys["tỉnh nghệ an"]["occurrences"]
    assert (nghe_an["kind"], nghe_an["doc"]) == ("boundary", "d-2")
    # Anh: the country after `sang` in the NFD document is missing, with offsets into the NFD text;
    # `Hà Anh` and `Văn Anh` (a person's name) are not counted
    missing = [o for o in keys["anh"]["occurrences"] if o["kind"] == "missing"]
    assert [(o["doc"], c[o["start"]:o["end"]]) for o in missing] == [("e-1", unicodedata.normalize("NFD", "Anh"))]
    # Sở Y tế inside the longer ORG of d-1 is a name of its own: no inconsistency
    assert keys["sở y tế"]["occurrences"] == []
    totals = out["summary"]["totals"]
    assert (totals["label"], totals["boundary"], totals["missing"]) == (1, 2, 1)


def test_counts_per_part_of_a_split_and_the_printed_report(tmp_path):
    d, e, _ = gold(tmp_path)
    (tmp_path / "annotations").mkdir()
    for f in (d, e):
        (tmp_path / "annotations" / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    split = tmp_path / "annotations" / "split.yaml"
    split.write_text("files: [annotations/batch-d.jsonl]\ndev: [d-2]\n"
                     "scored_only: {files: [annotations/batch-e.jsonl]}\n", encoding="utf-8")
    text = run(tmp_path / "annotations" / "batch-d.jsonl", tmp_path / "annotations" / "batch-e.jsonl",
               "--split", split, "--examples", "1")
    part_lines = {line.split()[0]: line.split() for line in text.splitlines()
                  if line.startswith("  ") and line.split()[0] in ("train", "dev", "scored_only")}
    # d-1 trains (the LOC Nhà Trắng), d-2 is dev (both boundary cuts), e-1 scored only (missing Anh)
    assert part_lines["train"][1:] == ["label", "1", "boundary", "0", "missing", "0"]
    assert part_lines["dev"][1:] == ["label", "0", "boundary", "2", "missing", "0"]
    assert part_lines["scored_only"][1:] == ["label", "0", "boundary", "0", "missing", "1"]
    assert "d-1" in text and "… Bà Betsy Devos tại [Nhà Trắng]. Ông chủ" in text


def test_a_span_off_its_text_is_named(tmp_path):
    bad = {"id": "x-1", "text": "Tại Hà Nội.", "entities": [{"start": 0, "end": 3, "label": "LOC", "text": "Hà Nội"}]}
    write(tmp_path / "batch-x.jsonl", [bad])
    out = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "batch-x.jsonl")], capture_output=True,
                         text=True, cwd=REPO, timeout=60)
    assert out.returncode != 0 and "x-1" in out.stderr and "does not match" in out.stderr
