"""`vnfacts extract INPUT... [-o OUT.jsonl]`: facts of each document as one JSON line."""
from __future__ import annotations

import argparse
import sys

from vnfacts.api import extract_to


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSONL file of {id, text, published?}, a .txt file, a folder of .txt files, or - for JSONL on stdin")
    p.add_argument("-o", "--output", help="write JSONL here (default: stdout)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        summary = extract_to(args.inputs, out, progress=not args.quiet)
    finally:
        if args.output:
            out.close()
    return 1 if summary.failed else 0
