"""Event scores of predictions against gold annotations (issue #15's measures).

For the documents whose gold lists an event: the share where a main event is found (the prediction
lists any event), and where its date, type, province and kind equal the gold main event's; event
recall (gold events matched by a predicted event of the same date and type) and precision (the
other way round); and the gold documents with no event where something was predicted.

    .venv/bin/vnfacts extract annotations/batch-a.jsonl -o pred-a.jsonl
    .venv/bin/python scripts/event-scores.py annotations/batch-a.jsonl pred-a.jsonl [GOLD PRED ...] [--ids split.yaml]

``--ids`` keeps only the documents a split file lists under ``dev`` (those the classifier never read);
``--part train|test`` keeps, of the files a split file names under ``test``, the documents of that
part (``test_fraction_member``), and the other files whole for ``train``. Nobody reads the test part's
errors: score it once, at the end (guide: Splits).

``--by-part`` prints one line per part as ``vnfacts train`` draws them (``load_parts``): the older
social gold (batches a/b/c, whatever part), then the train and dev parts of the other batches, and
the test part only with ``--with-test``:

    .venv/bin/python scripts/event-scores.py --by-part annotations/batch-?.jsonl pred-?.jsonl ...
"""
from __future__ import annotations

import argparse
import json
import os

import yaml


def read(path: str) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        return {d["id"]: d for d in map(json.loads, filter(str.strip, f))}


def test_spec(split_path: str) -> tuple[set[str], float]:
    """(names of the files the split's test part is drawn from, its fraction)."""
    with open(split_path, encoding="utf-8") as f:
        test = yaml.safe_load(f).get("test") or {}
    return {os.path.basename(name) for name in test.get("files") or []}, float(test.get("fraction", 0.0))


def same(a: dict, b: dict) -> bool:
    return a.get("date") == b.get("date") and a.get("type") == b.get("type")


def event_scores(gold: dict[str, dict], pred: dict[str, dict]) -> dict:
    with_event = [i for i, d in gold.items() if d.get("events")]
    mains = [((gold[i]["events"] or [{}])[0], ((pred.get(i) or {}).get("events") or [{}])[0]) for i in with_event]
    gold_events = [(i, e) for i in with_event for e in gold[i]["events"]]
    pred_events = [(i, e) for i in gold for e in (pred.get(i) or {}).get("events") or []]
    n = len(with_event)
    share = (lambda k: round(k / n, 3) if n else None)
    return {
        "documents_with_event": n,
        "main_found": share(sum(bool(p) for _, p in mains)),
        **{f"main_{key}": share(sum(bool(p) and g.get(key) == p.get(key) for g, p in mains))
           for key in ("date", "type", "province", "kind")},
        "event_recall": round(sum(any(same(e, p) for p in (pred.get(i) or {}).get("events") or [])
                                  for i, e in gold_events) / len(gold_events), 3) if gold_events else None,
        "event_precision": round(sum(any(same(e, g) for g in gold[i].get("events") or [])
                                     for i, e in pred_events) / len(pred_events), 3) if pred_events else None,
        "gold_events": len(gold_events), "predicted_events": len(pred_events),
        "no_event_documents_with_prediction": sum(bool((pred.get(i) or {}).get("events"))
                                                  for i, d in gold.items() if not d.get("events")),
    }


OLDER_SOCIAL_GOLD = {"batch-a.jsonl", "batch-b.jsonl", "batch-c.jsonl"}


def scores_by_part(files: list[tuple[str, str]], split: str, with_test: bool) -> dict[str, dict]:
    """Scores per part: ``a/b/c`` (the older social gold), then ``train``, ``dev`` (and ``test``) of
    the other batches, the parts as :func:`vnfacts.extractor.train.load_parts` draws them."""
    from vnfacts.extractor.train import load_parts

    train, dev, test, _ = load_parts(split)
    part_of = {d["id"]: name for name, docs in (("train", train), ("dev", dev), ("test", test)) for d in docs}
    gold: dict[str, dict[str, dict]] = {"a/b/c": {}, "train": {}, "dev": {}, "test": {}}
    pred: dict[str, dict] = {}
    for g, q in files:
        older = os.path.basename(g) in OLDER_SOCIAL_GOLD
        for i, d in read(g).items():
            part = "a/b/c" if older else part_of.get(i)
            if part and (part != "test" or with_test):
                gold[part][i] = d
        pred.update(read(q))
    return {part: event_scores(docs, pred) for part, docs in gold.items() if docs}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", help="GOLD PRED pairs")
    p.add_argument("--ids", help="a split file: keep the documents it lists under `dev`")
    p.add_argument("--part", choices=("train", "test"), help="keep this part of the split's test files")
    p.add_argument("--split", default="annotations/split.yaml", help="the split file --part reads")
    p.add_argument("--by-part", action="store_true",
                   help="one line per part: a/b/c, then train and dev of the other batches")
    p.add_argument("--with-test", action="store_true", help="with --by-part: the test part too (once, at the end)")
    args = p.parse_args()
    if len(args.files) % 2:
        p.error("give GOLD PRED pairs")
    if args.by_part:
        for part, scores in scores_by_part(list(zip(args.files[::2], args.files[1::2])), args.split,
                                           args.with_test).items():
            print(json.dumps({"part": part, **scores}, ensure_ascii=False))
        return
    gold, pred, split_ids = {}, {}, set()
    names, fraction = test_spec(args.split) if args.part else (set(), 0.0)
    for g, q in zip(args.files[::2], args.files[1::2]):
        docs = read(g)
        gold.update(docs)
        pred.update(read(q))
        if os.path.basename(g) in names:
            split_ids |= set(docs)
    if args.part:
        from vnfacts.extractor.train import test_fraction_member

        # the test files' documents by their hash; every other file is all train
        gold = {i: d for i, d in gold.items()
                if (i in split_ids and test_fraction_member(i, fraction)) == (args.part == "test")}
    if args.ids:
        with open(args.ids, encoding="utf-8") as f:
            keep = set(yaml.safe_load(f)["dev"])
        gold = {i: d for i, d in gold.items() if i in keep}
    print(json.dumps(event_scores(gold, pred), ensure_ascii=False))


if __name__ == "__main__":
    main()
