"""The README's ORG/LOC table is the committed model's: printed from models/orgloc/training.json."""
import json
import runpy
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
model_table = runpy.run_path(str(REPO / "scripts/model-table.py"))["model_table"]


def test_the_readme_shows_the_committed_models_scores():
    report = json.loads((REPO / "models/orgloc/training.json").read_text(encoding="utf-8"))
    assert report["scores_on_test"]["documents"] >= 200 and report["scores_on_test"]["by_section"]
    assert model_table(report) in (REPO / "README.md").read_text(encoding="utf-8"), \
        "README: paste the output of `python scripts/model-table.py` (the model was retrained)"


def test_the_table_has_a_row_per_section_most_documents_first():
    scores = lambda org, n: {"documents": n, "rules": {"ORG": {"overlap_f1": org}, "LOC": {"overlap_f1": 0.5}}}  # noqa: E731
    report = {"scores_on_test": {**scores(0.7, 3), "by_section": {"a": scores(0.1, 1), "b": scores(0.25, 2)}},
              "scores_on_dev": scores(0.9, 4)}
    rows = model_table(report).splitlines()
    assert [r.split(" (")[0] for r in rows[2:]] == ["| test part, all sections", "| test: b", "| test: a", "| dev part"]
    assert rows[3].startswith("| test: b (2) | 0.250 / 0.500 | 0.000 / 0.000 |")
