"""`vnfacts train [--split annotations/split.yaml] [--out models/orgloc]`: build the ORG/LOC model."""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--split", default="annotations/split.yaml",
                   help="YAML naming the annotation files and the dev ids (default: annotations/split.yaml)")
    p.add_argument("--out", default="models/orgloc", help="model folder to write (default: models/orgloc)")
    p.add_argument("--epochs", type=int, default=20, help="passes over the training documents (default: 20)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--vectors", default=None, metavar="FOLDER",
                   help="static vectors for the tok2vec layer (`vnfacts vectors`; e.g. models/vectors; default: none)")
    p.add_argument("--labels", default="ORG,LOC", help="comma-separated labels to learn (default: ORG,LOC)")
    p.add_argument("--max-train-docs", type=int, default=None, help="train on at most this many documents")
    p.add_argument("--no-rule-scores", action="store_true", help="skip scoring the rule pipeline on dev")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    from vnfacts.extractor.train import TrainError, train

    log = (lambda msg: None) if args.quiet else (lambda msg: print(f"vnfacts train: {msg}", file=sys.stderr))
    try:
        report = train(split=args.split, out=args.out, labels=[x.strip() for x in args.labels.split(",") if x.strip()],
                       epochs=args.epochs, seed=args.seed, max_train_docs=args.max_train_docs,
                       score_rules=not args.no_rule_scores, log=log,
                       vectors=args.vectors)
    except TrainError as err:
        print(f"vnfacts train: {err}", file=sys.stderr)
        return 2
    print(json.dumps({k: report[k] for k in ("labels", "epochs", "data_sha256", "train_seconds", "total_seconds",
                                             "scores_on_dev")}, ensure_ascii=False, indent=2))
    print(f"model written to {args.out}", file=sys.stderr)
    return 0
