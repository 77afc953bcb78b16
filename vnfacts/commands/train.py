"""`vnfacts train [--split annotations/split.yaml] [--out models/orgloc]`: build the ORG/LOC model;
`vnfacts train --events [--data annotations/event-sentences/sentences.jsonl] [--out models/events]`: the events
sentence classifier."""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--split", default="annotations/split.yaml",
                   help="YAML naming the annotation files and the dev ids (default: annotations/split.yaml)")
    p.add_argument("--out", default=None, help="model folder to write (default: models/orgloc; with --events, models/events)")
    p.add_argument("--epochs", type=int, default=None, help="passes over the training data (default: 20; with --events, the recipe's)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: 0; with --events, the recipe's)")
    p.add_argument("--vectors", default=None, metavar="FOLDER",
                   help="static vectors for the ORG/LOC model's tok2vec layer (`vnfacts vectors`; e.g. models/vectors)")
    p.add_argument("--labels", default="ORG,LOC", help="comma-separated labels to learn (default: ORG,LOC)")
    p.add_argument("--max-train-docs", type=int, default=None, help="train on at most this many documents")
    p.add_argument("--no-rule-scores", action="store_true", help="skip scoring the rule pipeline on dev")
    p.add_argument("--rescore", action="store_true",
                   help="score the model already in --out again (dev and test parts, the rules, the shipped "
                        "combination, underthesea) without training it: after a change to the rules or the combination")
    p.add_argument("--events", action="store_true",
                   help="build the events sentence classifier instead (recipe: extractor/data/event_classifier.yaml)")
    p.add_argument("--data", default=None, help="with --events: the labelled sentences "
                                                "(default: annotations/event-sentences/sentences.jsonl)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    from vnfacts.extractor.train import TrainError, rescore, train, train_events

    log = (lambda msg: None) if args.quiet else (lambda msg: print(f"vnfacts train: {msg}", file=sys.stderr))
    if args.events:
        args.out = args.out or "models/events"
        build = lambda: train_events(data=args.data, out=args.out, seed=args.seed, epochs=args.epochs, log=log)
        shown = ("data_sha256", "seed", "epochs", "sentences", "train_seconds", "scores_on_heldout")
    elif args.rescore:
        args.out = args.out or "models/orgloc"
        build = lambda: rescore(split=args.split, out=args.out, log=log)
        shown = ("labels", "data_sha256", "scores_on_dev")
    else:
        args.out = args.out or "models/orgloc"
        build = lambda: train(split=args.split, out=args.out,
                              labels=[x.strip() for x in args.labels.split(",") if x.strip()],
                              epochs=20 if args.epochs is None else args.epochs, seed=args.seed or 0,
                              max_train_docs=args.max_train_docs, score_rules=not args.no_rule_scores, log=log,
                              vectors=args.vectors)
        shown = ("labels", "epochs", "data_sha256", "train_seconds", "total_seconds", "scores_on_dev")
    try:
        report = build()
    except TrainError as err:
        print(f"vnfacts train: {err}", file=sys.stderr)
        return 2
    print(json.dumps({k: report[k] for k in shown}, ensure_ascii=False, indent=2))
    print(f"model written to {args.out}", file=sys.stderr)
    return 0
