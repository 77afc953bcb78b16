"""The README's table of ORG/LOC scores, printed from a model's ``training.json``.

    .venv/bin/python scripts/model-table.py [models/orgloc/training.json]

Rows: the test part overall and by section (most documents first), then the dev part, then the
split's scored_only documents overall and by section when it names some; columns: the
rules alone, the model alone, the shipped join of both, and underthesea's ``ner`` on the same
documents (overlap F1, ORG / LOC). tests/extractor/test_model_table.py checks that the README shows
the table of the committed model.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

SYSTEMS = ("rules", "model", "rules+model", "underthesea_ner")
HEADER = ("| part (documents) | rules | model alone | rules + model (shipped) | underthesea `ner` |\n"
          "|---|---|---|---|---|")


def _cell(scores: dict, system: str) -> str:
    by_label = scores.get(system) or {}
    return " / ".join(f"{(by_label.get(label) or {}).get('overlap_f1', 0.0):.3f}" for label in ("ORG", "LOC"))


def _row(name: str, scores: dict) -> str:
    return f"| {name} ({scores.get('documents', 0)}) | " + " | ".join(_cell(scores, s) for s in SYSTEMS) + " |"


def model_table(report: dict) -> str:
    test, dev = report.get("scores_on_test") or {}, report.get("scores_on_dev") or {}
    rows = [HEADER, _row("test part, all sections", test)]
    sections = sorted((test.get("by_section") or {}).items(), key=lambda kv: (-kv[1].get("documents", 0), kv[0]))
    rows += [_row(f"test: {name}", scores) for name, scores in sections]
    rows.append(_row("dev part", dev))
    unseen = report.get("scores_on_unseen") or {}
    if unseen:  # the split's scored_only gold: never trained on, never used to choose
        rows.append(_row("scored only, all sections", unseen))
        sections = sorted((unseen.get("by_section") or {}).items(), key=lambda kv: (-kv[1].get("documents", 0), kv[0]))
        rows += [_row(f"scored only: {name}", scores) for name, scores in sections]
    return "\n".join(rows)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "models/orgloc/training.json")
    print(model_table(json.loads(path.read_text(encoding="utf-8"))))
