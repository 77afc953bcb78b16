"""`vnfacts vectors CORPUS... [--out models/vectors]`: floret subword vectors trained on a raw corpus.

The ORG/LOC model's config uses them (`vnfacts train --vectors models/vectors`). Needs the `train`
extra (floret); `make vectors` builds them from ../shared/corpus/baomoi-all.jsonl.gz.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import fields
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    from vnfacts.extractor.vectors import FloretSettings

    p.add_argument("inputs", nargs="+", metavar="CORPUS", help="JSONL (or .jsonl.gz) articles, .txt files or folders")
    p.add_argument("--out", default="models/vectors", help="vectors folder to write (default: models/vectors)")
    for f in fields(FloretSettings):
        p.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=f.default,
                       help=f"floret's {f.name} (default: {f.default})")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    from vnfacts.extractor.vectors import FloretSettings, VectorsError, prepare_corpus, train_vectors

    log = (lambda msg: None) if args.quiet else (lambda msg: print(f"vnfacts vectors: {msg}", file=sys.stderr))
    settings = FloretSettings(**{f.name: getattr(args, f.name) for f in fields(FloretSettings)})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.txt"
            info = prepare_corpus(args.inputs, corpus, log=log)
            info["inputs"] = [Path(i).name for i in args.inputs]
            log(f"{info['sentences']:,} sentences, {info['tokens']:,} tokens; training floret")
            record = train_vectors(corpus, args.out, settings, corpus_info=info, log=log)
    except VectorsError as err:
        print(f"vnfacts vectors: error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(record, ensure_ascii=False, indent=2))
    print(f"vectors written to {args.out}", file=sys.stderr)
    return 0
