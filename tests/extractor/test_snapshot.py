"""The facts extracted from every gold document and the bundled corpus are those recorded in
snapshots/facts.jsonl.gz (scripts/snapshot-facts.py writes it): a refactoring changes none of them,
and a change of the rules that is meant to refresh the record in the same commit."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("snapshot_facts", REPO / "scripts" / "snapshot-facts.py")
snapshot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(snapshot)


def describe(old: dict, new: dict) -> str:
    """The first differences of one document, readably."""
    lines = [f"{new['input']} {new['id']}:"]
    old_e = {json.dumps(e, ensure_ascii=False, sort_keys=True) for e in old["entities"]}
    new_e = {json.dumps(e, ensure_ascii=False, sort_keys=True) for e in new["entities"]}
    lines += [f"  - {e}" for e in sorted(old_e - new_e)[:5]] + [f"  + {e}" for e in sorted(new_e - old_e)[:5]]
    if old["events"] != new["events"]:
        lines.append(f"  events: {old['events']} -> {new['events']}")
    if old["sentences"] != new["sentences"]:
        lines.append("  sentences differ")
    return "\n".join(lines)


def test_extracted_facts_are_the_recorded_ones():
    recorded = snapshot.read_snapshot()
    now = [json.loads(json.dumps(row, sort_keys=True)) for row in snapshot.current()]
    assert [(r["input"], r["id"]) for r in now] == [(r["input"], r["id"]) for r in recorded]
    changed = [describe(old, new) for old, new in zip(recorded, now) if old != new]
    assert not changed, (f"{len(changed)} documents give other facts than recorded "
                         f"(refresh with scripts/snapshot-facts.py only if the change is meant):\n" + "\n".join(changed[:8]))
