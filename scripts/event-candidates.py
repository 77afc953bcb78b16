"""Draw candidate sentences for annotations/event-sentences/sentences.jsonl (the events classifier's data).

A candidate is a sentence naming a kind of event (extractor/data/event_kinds.yaml). Gold documents
give all their candidates; the corpora give at most --per-kind candidates per kind, from documents
drawn with a fixed seed, so rarer kinds (job fairs, free health checks) are not drowned by `trao`.
Each row carries its provenance (file, document, offsets into the text as given, sentence index);
the label is left to the annotator (`label`: null).

    .venv/bin/python scripts/event-candidates.py --gold annotations/*.jsonl \
        --corpus ../shared/corpus/baomoi-social.jsonl ../shared/corpus/baomoi-all.jsonl.gz -o candidates.jsonl
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import Counter
from pathlib import Path

from vnfacts.extractor.clean import clean_text, fold_query
from vnfacts.extractor.event_sentences import find_kind
from vnfacts.extractor.sentences import split_sentences


def read_jsonl(path: str):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def candidates(doc: dict, source: str):
    clean = clean_text(doc["text"])
    for i, (s, e) in enumerate(split_sentences(clean.text)):
        m = find_kind(clean.text[s:e])
        if m:
            start, end = clean.to_original(s, e)
            yield {"doc": doc["id"], "source": source, "sentence_index": i, "start": start, "end": end,
                   "text": doc["text"][start:end], "rule_kind": m.kind.kind}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gold", nargs="*", default=[])
    p.add_argument("--corpus", nargs="*", default=[])
    p.add_argument("--per-kind", type=int, default=12)
    p.add_argument("--docs", type=int, default=3000, help="documents drawn from each corpus")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--phrase", nargs="*", default=[],
                   help="only corpus sentences holding one of these (folded) phrases, at most --per-kind each")
    p.add_argument("--skip", nargs="*", default=[], help="candidate files already drawn: their documents are skipped")
    p.add_argument("-o", "--out", required=True)
    args = p.parse_args()
    rng = random.Random(args.seed)
    rows, gold_ids = [], set()
    for path in args.gold:
        for doc in read_jsonl(path):
            gold_ids.add(doc["id"])
            rows.extend(candidates(doc, path))
    for path in args.skip:
        gold_ids |= {row["doc"] for row in read_jsonl(path)}
    phrases = [fold_query(p) for p in args.phrase]
    per_kind: Counter = Counter()
    for path in args.corpus:
        docs = [d for d in read_jsonl(path) if d["id"] not in gold_ids and len(d.get("text") or "") < 20000]
        rng.shuffle(docs)
        for doc in docs[:args.docs]:
            found = list(candidates(doc, Path(path).name))
            if phrases:
                found = [dict(r, rule_kind=next(p for p in phrases if p in fold_query(r["text"])))
                         for r in found if any(p in fold_query(r["text"]) for p in phrases)]
            rng.shuffle(found)
            for row in found[:2]:  # at most two a document: many documents, not many sentences of a few
                if per_kind[row["rule_kind"]] < args.per_kind * len(args.corpus):
                    per_kind[row["rule_kind"]] += 1
                    gold_ids.add(row["doc"])
                    rows.append(row)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({**row, "label": None}, ensure_ascii=False) + "\n")
    print(len(rows), "candidates;", dict(per_kind))


if __name__ == "__main__":
    main()
