"""`vnfacts evaluate --gold GOLD.jsonl [--pred PRED.jsonl] [--json] [--errors]`."""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--gold", required=True, help="gold annotations (guide-format JSONL)")
    p.add_argument("--pred", help="predictions (`vnfacts extract` output); default: run the extractor on the gold texts")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON")
    p.add_argument("--errors", action="store_true", help="list every miss, false alarm and wrong norm with its context")
    p.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"),
                   help="what changed between two predictions files or model folders (extractor/compare.py)")
    p.add_argument("--html", default="out/compare.html",
                   help="with --compare: the offline HTML report with charts (default: out/compare.html)")


def run(args: argparse.Namespace) -> int:
    from vnfacts.extractor.evaluate import evaluate, format_errors, format_report, predict_gold_texts, read_jsonl

    try:
        gold = read_jsonl(args.gold)
        pred = [] if args.compare else read_jsonl(args.pred) if args.pred else predict_gold_texts(gold)
    except (OSError, ValueError, RuntimeError) as err:
        print(f"vnfacts evaluate: error: {err}", file=sys.stderr)
        return 2
    if not gold:
        print(f"vnfacts evaluate: error: {args.gold} holds no documents", file=sys.stderr)
        return 2
    if args.compare:
        from vnfacts.extractor.compare import run_compare

        return run_compare(gold, *args.compare, html_path=args.html, as_json=args.json)
    report = evaluate(gold, pred)
    if args.json:
        if not args.errors:
            report = {k: v for k, v in report.items() if k != "errors"}
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(format_report(report))
    if args.errors:
        print()
        print(format_errors(report))
    return 0
