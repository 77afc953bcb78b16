#!/usr/bin/env python
"""Write the facts the pipeline extracts from the first gold documents (the seed devset and batches a-c)
and the bundled corpus to tests/extractor/snapshots/facts.jsonl.gz, the record
tests/extractor/test_snapshot.py compares against. Later batches stay out: they hold the split's test
part, whose texts nobody reads while writing rules, and a few hundred documents more would only
slow the test.

Refactorings must leave it unchanged. A change of the rules that is meant to change facts refreshes it
(`.venv/bin/python scripts/snapshot-facts.py`) in the same commit, and the commit says what changed.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "tests" / "extractor" / "snapshots" / "facts.jsonl.gz"
INPUTS = [REPO / "annotations" / name for name in ("batch-a.jsonl", "batch-b.jsonl", "batch-c.jsonl", "devset.jsonl")] \
    + [REPO / "corpus" / "articles.jsonl"]


def facts(extraction: dict) -> dict:
    """What a refactoring must keep: every entity (offsets, label, text, norm, sentence) and event."""
    return {"id": extraction["id"], "entities": extraction["entities"], "events": extraction["events"],
            "sentences": extraction["sentences"]}


def current() -> list[dict]:
    from vnfacts.extractor.inputs import read_documents
    from vnfacts.extractor.pipeline import DocumentError, extract_many

    out = []
    for path in INPUTS:
        for result in extract_many(read_documents([path])):
            if isinstance(result, DocumentError):
                raise SystemExit(f"{path}: {result}")
            out.append({"input": path.name, **facts(result.to_json())})
    return out


def read_snapshot() -> list[dict]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main() -> int:
    rows = current()
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same facts give the same bytes, so an unchanged snapshot never shows in git
    with gzip.GzipFile(SNAPSHOT, "wb", mtime=0) as raw:
        for row in rows:
            raw.write((json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    print(f"{len(rows)} documents, {sum(len(r['entities']) for r in rows)} facts -> {SNAPSHOT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
