"""`vnfacts extract INPUT... [-o OUT.jsonl]`: facts of each document as one JSON line."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from vnfacts.api import extract_to
from vnfacts.extractor.pipeline import choose_pipeline, rules_pipeline


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSONL file of {id, text, published?}, a .txt file, a folder of .txt files, or - for JSONL on stdin")
    p.add_argument("-o", "--output", help="write JSONL here (default, or -: stdout)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--no-model", action="store_true",
                   help="the rules alone: no statistical model, whatever the pipeline config says")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="extract in N worker processes (default 1; 0: one per core): the same output, in the same order")


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"not a number of processes: {n}")
    return n or os.cpu_count() or 1


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    if args.output == "-":
        args.output = None  # the usual spelling of stdout, not a file named "-"
    if args.no_model:
        choose_pipeline(rules_pipeline())
    if args.output and any(i != "-" and _same_file(args.output, i) for i in args.inputs):
        print(f"vnfacts extract: error: the output {args.output} is also an input: it would be emptied before "
              f"it is read; write to another file", file=sys.stderr)
        return 2
    if not args.output:
        summary = extract_to(args.inputs, sys.stdout, progress=not args.quiet, jobs=args.jobs)
        return 1 if summary.failed else 0
    # written beside and renamed at the end: an interrupted run never leaves half a file in its place
    tmp = Path(args.output).with_name(Path(args.output).name + ".partial")
    try:
        with tmp.open("w", encoding="utf-8") as out:
            summary = extract_to(args.inputs, out, progress=not args.quiet, jobs=args.jobs)
        tmp.replace(args.output)
    finally:
        tmp.unlink(missing_ok=True)
    return 1 if summary.failed else 0
