"""bench.before_after: another commit's extractor and the working copy's, measured in turn over the
same articles, with a digest of the facts each wrote. No timing is asserted (a few articles mean
nothing; the figures come from full runs)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(tmp_path: Path, base: str, articles: int) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", "bench.before_after", "--base", base, "--rounds", "1",
                           "--articles", str(articles), "--batch", "2", "--results", str(tmp_path / "results"),
                           "--work", str(tmp_path / "work")], cwd=REPO, capture_output=True, text=True, timeout=600)
    records = list((tmp_path / "results").glob("extraction-before-after-*.json"))
    assert len(records) == 1, done.stdout[-3000:] + done.stderr[-3000:]
    return done.returncode, json.loads(records[0].read_text(encoding="utf-8"))


def test_each_side_runs_its_own_code_and_the_record_compares_them(tmp_path):
    code, record = _run(tmp_path, "HEAD", 3)
    assert record["code"]["before"].startswith(str(tmp_path / "work"))
    assert record["code"]["after"] == str(REPO / "extractor")
    for kind in ("rules", "shipped"):
        for side in ("before", "after"):
            summary = record[kind][side]
            assert summary["cpu_seconds"] > 0 and summary["chars_per_cpu_s"] > 0
            assert 0 < summary["ratio_to_scanning_reference"] < 1  # no pipeline outruns a bare scan
            assert {"clean+sentences", "orgs", "places", "offsets+json"} <= set(summary["stages"])
    assert "ner_model_predict" in record["shipped"]["after"]["stages"]
    assert "ner_model_predict" not in record["rules"]["after"]["stages"]
    if not subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "extractor"], cwd=REPO).returncode:
        assert code == 0 and record["rules"]["same_output"] and record["shipped"]["same_output"]


def test_different_facts_are_reported(tmp_path):
    """ed303f2 turned the ORG/LOC model on: the shipped pipeline of its parent writes other facts."""
    code, record = _run(tmp_path, "ed303f2~1", 10)
    assert record["shipped"]["same_output"] is False and code == 1
