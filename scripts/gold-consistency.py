"""Consistency of the gold ORG, LOC and PROGRAM spans across documents (gold only, never predictions).

Every annotated span text is a key (NFC, lower case, runs of whitespace as one space). Each place a
key's text stands in any gold document, as whole words, is an occurrence, classified by the spans
over it in that document:

- ``agree``: a span exactly over it with the key's main label (the label most of its spans carry);
- ``label``: a span exactly over it with another label (`Sở Y tế` ORG here, LOC there);
- ``boundary``: spans of the key's label that cut it, start or end inside it, or lie inside it
  without covering it (`tỉnh Nghệ An` one LOC here, `Nghệ An` alone there; `Phó Chủ tịch UBND
  tỉnh` against `UBND tỉnh`), shown with the words one side has and the other has not;
- ``missing``: no span touches it at all, counted only where it is written exactly (case and
  diacritics) as one of the key's annotated spans (`Anh` the country, not `anh` the pronoun);
- an occurrence inside a longer span (a place inside an ORG name, `Chính phủ` in `Văn phòng Chính
  phủ`) is a name of its own and is not counted.

Counts are printed per kind, per label (the key's main label), per batch file and per part of the
split (`train`, `dev`, `test`, `scored_only` as `vnfacts train` draws them), then the keys with the
most inconsistent occurrences, each with examples (document id and offsets into the text as given):

    .venv/bin/python scripts/gold-consistency.py annotations/batch-*.jsonl [--split annotations/split.yaml]
        [--top 40] [--examples 3] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

LABELS = ("ORG", "LOC", "PROGRAM")
WORD = re.compile(r"\w+")


def normalized(text: str) -> tuple[str, list[int]]:
    """(text in NFC, lower case, whitespace runs as one space; offset map): ``where[i]`` is the
    offset in ``text`` of normalized character ``i``, ``where[len]`` is ``len(text)``."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isspace():
            while j < len(text) and text[j].isspace():
                j += 1
            out.append(" ")
            where.append(i)
        else:
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            piece = unicodedata.normalize("NFC", text[i:j]).lower()
            out.extend(piece)
            where.extend([i] * len(piece))
        i = j
    where.append(len(text))
    return "".join(out), where


def key_of(text: str) -> str:
    return normalized(text)[0].strip()


def surface(text: str) -> str:
    """The text as written, NFC and single spaces, case kept: what a missing occurrence must equal."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class Doc:
    def __init__(self, doc: dict, batch: str, part: str):
        self.id, self.batch, self.part, self.text = doc["id"], batch, part, doc["text"]
        self.norm, self.where = normalized(self.text)
        self.spans = list(doc.get("entities") or [])

    def touching(self, start: int, end: int) -> list[dict]:
        """Spans overlapping [start, end) in original offsets."""
        return [e for e in self.spans if e["start"] < end and start < e["end"]]


def load(paths: list[str], split: str | None) -> list[Doc]:
    parts = parts_of(split) if split else {}
    docs = []
    for p in paths:
        batch = Path(p).stem
        for lineno, line in enumerate(Path(p).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as err:
                sys.exit(f"{p}:{lineno}: invalid JSON: {err.msg}")
            for e in doc.get("entities") or []:
                if doc["text"][e["start"]:e["end"]] != e["text"]:
                    sys.exit(f"{p}:{lineno}: {doc['id']}: span {e['start']}-{e['end']} {e['text']!r} "
                             f"does not match the text there")
            docs.append(Doc(doc, batch, parts.get(doc["id"], "other")))
    return docs


def parts_of(split: str) -> dict[str, str]:
    """Document id -> part, as `vnfacts train` draws them from the split file."""
    from vnfacts.extractor import train as training
    train, dev, test, _ = training.load_parts(split)
    parts = {d["id"]: name for name, ds in (("train", train), ("dev", dev), ("test", test)) for d in ds}
    parts.update({d["id"]: "scored_only" for d in training.load_scored_only(split)})
    return parts


def keys_of(docs: list[Doc]) -> dict[str, dict]:
    """key -> {labels: Counter, forms: set of surfaces, label: main label}."""
    keys: dict[str, dict] = {}
    for d in docs:
        for e in d.spans:
            if e["label"] not in LABELS:
                continue
            k = key_of(e["text"])
            if not k:
                continue
            info = keys.setdefault(k, {"labels": Counter(), "forms": set()})
            info["labels"][e["label"]] += 1
            info["forms"].add(surface(e["text"]))
    for info in keys.values():
        info["label"] = max(sorted(info["labels"]), key=lambda lab: info["labels"][lab])
    return keys


def word_starts(docs: list[Doc]) -> dict[str, list[tuple[int, int]]]:
    """first word -> [(document index, normalized offset)] of every whole word in the gold."""
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for n, d in enumerate(docs):
        for m in WORD.finditer(d.norm):
            index[m.group()].append((n, m.start()))
    return index


def occurrences(key: str, docs: list[Doc], index) -> list[tuple[int, int, int]]:
    """(document index, start, end) in original offsets of each whole-word occurrence of ``key``."""
    first = WORD.match(key)
    if first:
        candidates = index.get(first.group(), [])
    else:  # a key that opens with punctuation (a quote): scan
        candidates = [(n, m.start()) for n, d in enumerate(docs) for m in re.finditer(re.escape(key), d.norm)]
    out = []
    for n, pos in candidates:
        norm = docs[n].norm
        end = pos + len(key)
        if not norm.startswith(key, pos):
            continue
        if key[-1].isalnum() and end < len(norm) and (norm[end].isalnum() or norm[end] == "_"):
            continue
        if not first and pos > 0 and key[0].isalnum() and norm[pos - 1].isalnum():
            continue
        where = docs[n].where
        out.append((n, where[pos], where[end]))
    return out


NEIGHBOUR_BEFORE = re.compile(r"(\w[\w.&-]*)[ \u00a0]$")
NEIGHBOUR_AFTER = re.compile(r"^[ \u00a0]([\w][\w.&-]*)")


def in_longer_name(text: str, start: int, end: int) -> bool:
    """Whether an unannotated occurrence is glued to a capitalised word or a number on either side,
    so it is part of a longer name nobody tagged as this key (`Hà [Anh]`, `[Galaxy] Note 7`,
    `Phương [Nga]`)."""
    before = NEIGHBOUR_BEFORE.search(unicodedata.normalize("NFC", text[max(0, start - 40):start]))
    after = NEIGHBOUR_AFTER.search(unicodedata.normalize("NFC", text[end:end + 40]))
    return any(m and (m.group(1)[0].isupper() or m.group(1)[0].isdigit()) for m in (before, after))


def classify(info: dict, doc: Doc, start: int, end: int) -> tuple[str | None, str]:
    """(kind, detail) of one occurrence; kind None when it is inside a longer span."""
    touching = doc.touching(start, end)
    exact = [e for e in touching if e["start"] == start and e["end"] == end]
    if exact:
        labels = {e["label"] for e in exact}
        if info["label"] in labels:
            return "agree", ""
        return "label", "/".join(sorted(labels))
    if not touching:
        if surface(doc.text[start:end]) in info["forms"] and not in_longer_name(doc.text, start, end):
            return "missing", ""
        return None, ""
    if any(e["start"] <= start and end <= e["end"] for e in touching):
        return None, ""  # inside a longer span: a name of its own
    same = [e for e in touching if e["label"] == info["label"]]
    if not same:
        if any(e["start"] < start or e["end"] > end for e in touching):
            return None, ""  # another label's span crosses it: the words only happen to meet (`công [dân Việt] Nam`)
        return "label", "/".join(sorted({e["label"] for e in touching})) + " inside"
    if shared_head_list(doc.text, start, end, same):
        return None, ""
    return "boundary", " + ".join(f"[{e['text']}]" for e in sorted(same, key=lambda e: e["start"]))


LIST_COUNT = re.compile(r"(?:^|\W)(?:các|hai|ba|bốn|năm|sáu|bảy|tám|\d+|những|cả|nhiều)[ \u00a0]$", re.I)
LIST_GOES_ON = re.compile(r"^\s*(?:,|và|-|–)\s*\w")


def shared_head_list(text: str, start: int, end: int, same: list[dict]) -> bool:
    """Whether the occurrence is the first member of a list whose plural head is shared (`các tỉnh
    Nam Định, Thái Bình`): the guide leaves that head outside the first place (LOC (reader f),
    settled for every count word in the session 6 audit), so `Nam Định` alone there is no cut."""
    [inner] = same if len(same) == 1 else [None]
    return bool(inner and inner["label"] == "LOC" and inner["end"] == end and inner["start"] > start
                and LIST_COUNT.search(unicodedata.normalize("NFC", text[max(0, start - 20):start]))
                and LIST_GOES_ON.match(text[end:end + 20]))


def audit(docs: list[Doc]) -> dict:
    keys = keys_of(docs)
    index = word_starts(docs)
    found: dict[str, list[dict]] = defaultdict(list)
    for key, info in keys.items():
        for n, start, end in occurrences(key, docs, index):
            kind, detail = classify(info, docs[n], start, end)
            if kind:
                text = docs[n].text
                found[key].append({"kind": kind, "detail": detail, "doc": docs[n].id, "batch": docs[n].batch,
                                   "part": docs[n].part, "start": start, "end": end,
                                   "context": " ".join((text[max(0, start - 30):start] + "[" + text[start:end] + "]"
                                                        + text[end:end + 30]).split())})
    return {"keys": keys, "found": found}


def summary(result: dict) -> dict:
    keys, found = result["keys"], result["found"]
    totals: Counter = Counter()
    by: dict[str, Counter] = {"label": Counter(), "batch": Counter(), "part": Counter()}
    for key, occ in found.items():
        label = keys[key]["label"]
        for o in occ:
            totals[o["kind"]] += 1
            if o["kind"] != "agree":
                by["label"][(label, o["kind"])] += 1
                by["batch"][(o["batch"], o["kind"])] += 1
                by["part"][(o["part"], o["kind"])] += 1
    return {"totals": dict(totals), **{name: {f"{a} {b}": n for (a, b), n in sorted(c.items())}
                                         for name, c in by.items()}}


def worst_keys(result: dict, top: int, kinds=("label", "boundary", "missing")) -> list[tuple[str, Counter]]:
    scored = []
    for key, occ in result["found"].items():
        c = Counter(o["kind"] for o in occ)
        bad = sum(c[k] for k in kinds)
        if bad:
            scored.append((bad, key, c))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(key, c) for _, key, c in scored[:top]]


def report(result: dict, top: int, examples: int, kinds=("label", "boundary", "missing")) -> str:
    s = summary(result)
    lines = ["occurrences per kind: " + ", ".join(f"{k} {v}" for k, v in sorted(s["totals"].items()))]
    for name in ("label", "part", "batch"):
        lines.append(f"inconsistent occurrences per {name}:")
        rows: dict[str, dict] = defaultdict(dict)
        for ab, n in s[name].items():
            a, b = ab.rsplit(" ", 1)
            rows[a][b] = n
        for a, c in rows.items():
            lines.append(f"  {a:14} " + "  ".join(f"{k} {c.get(k, 0):4}" for k in ("label", "boundary", "missing")))
    lines.append(f"keys with the most inconsistent occurrences (top {top}):")
    for key, c in worst_keys(result, top, kinds):
        info = result["keys"][key]
        labels = " ".join(f"{lab}x{n}" for lab, n in info["labels"].most_common())
        lines.append(f"  {key!r} [{labels}] agree {c['agree']} label {c['label']} boundary {c['boundary']} "
                     f"missing {c['missing']}")
        for kind in kinds:
            for o in [o for o in result["found"][key] if o["kind"] == kind][:examples]:
                lines.append(f"    {kind:8} {o['doc']} {o['start']}-{o['end']} ({o['batch']}, {o['part']}) {o['detail']} … {o['context']} …")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", help="gold annotation files (JSONL)")
    ap.add_argument("--split", help="split file (annotations/split.yaml): count per part")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--kinds", default="label,boundary,missing",
                    help="which kinds rank and illustrate the keys listed (comma-separated)")
    ap.add_argument("--json", help="write the summary and every inconsistent occurrence here")
    args = ap.parse_args(argv)
    result = audit(load(args.files, args.split))
    print(report(result, args.top, args.examples, tuple(args.kinds.split(","))))
    if args.json:
        out = {"summary": summary(result),
               "keys": {k: {"labels": dict(v["labels"]), "label": v["label"],
                            "occurrences": [o for o in result["found"].get(k, []) if o["kind"] != "agree"]}
                        for k, v in result["keys"].items()}}
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
