"""The benchmarks at tiny sizes: each runs end to end through `python -m bench NAME --quick` and
writes a JSON record of the right shape with its ratio computed. No timing is asserted (the
figures of a quick run mean nothing; `make bench` measures)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, dict]:
    """Run every benchmark once, quick, with results and scratch files in a temporary folder."""
    tmp = tmp_path_factory.mktemp("bench")
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--results", str(tmp / "results"),
                           "--work", str(tmp / "work")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = {}
    for path in sorted((tmp / "results").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        assert path.name.startswith(record["benchmark"] + "-") and path.name.endswith("-quick.json")
        out[record["benchmark"]] = record
    out["_stdout"] = done.stdout
    return out


def _positive(x) -> bool:
    return isinstance(x, (int, float)) and x > 0


def test_every_benchmark_writes_a_record_and_prints_its_ratio(records):
    assert set(records) - {"_stdout"} == {"extraction", "loading", "search", "crawl", "scaling"}
    for name, record in records.items():
        if name == "_stdout":
            continue
        assert record["quick"] is True and record["machine"]["cpus"] >= 1 and record["started"]
    assert records["_stdout"].count("ratio:") >= 5


def test_extraction_record(records):
    r = records["extraction"]
    for part in ("full_pipeline", "rule_finders"):
        for run in ("1_process", "2_processes"):
            assert r[part][run]["articles"] > 0 and _positive(r[part][run]["chars_per_s"])
            assert _positive(r[part][run]["peak_rss_mb_per_worker"])
        assert _positive(r[part]["speedup_2_vs_1"])
    assert _positive(r["speedup_vs_underthesea"])
    ref = r["reference"]
    assert r["speedup_vs_underthesea"] == pytest.approx(ref["underthesea"]["seconds"] / ref["pipeline"]["seconds"], rel=0.05)
    scores = ref["scores"]
    for system in ("pipeline", "underthesea"):
        assert 0 <= scores[system]["ORG"]["overlap_f1"] <= 1 and 0 <= scores[system]["LOC"]["overlap_f1"] <= 1
    assert isinstance(scores["pipeline_scores_higher"], bool) and isinstance(r["target_met"], bool)
    assert r["profile"]["stages"] and r["profile"]["top_functions_by_own_time"]
    start_up = r["start_up"]["no_bytecode"]["sentence_for_the_classifier"]["rules"]  # whole processes
    assert _positive(start_up["empty_cache_cpu_s"]) and _positive(start_up["cache_built_cpu_s"])


def test_loading_record(records):
    r = records["loading"]
    ours, theirs = r["vnfacts_load"], r["sqlite_utils_insert"]
    assert ours["facts"] == theirs["facts"] > 0
    assert _positive(ours["facts_per_s"]) and _positive(ours["db_mb_per_1000_articles"])
    assert r["ratio_facts_per_s_vs_sqlite_utils"] == pytest.approx(ours["facts_per_s"] / theirs["facts_per_s"], rel=0.01)


def test_search_record(records):
    r = records["search"]
    assert r["database"]["build"]["rows"]["articles"] == r["database"]["articles"]
    queries = r["citation_search"]["queries"]
    assert any(q["kind"] == "citation" and q["matches"] > 0 for q in queries.values())
    assert all(q["p95_ms"] >= q["median_ms"] >= 0 and q["runs"] >= 3 for q in queries.values())
    assert set(r["canned_queries"]) >= {"events_citing_document", "most_cited_documents"}
    assert _positive(r["ratio_like_scan_vs_citation_search_median"])
    assert isinstance(r["citation_search"]["target_met"], bool)
    assert any(name.startswith("chart ") for name in r["canned_queries"])
    # every page answers on the synthetic database, the programme's and the article's included
    assert {"home (overview)", "programme (most mentioned)", "article (most facts)"} <= set(r["pages"])
    assert all(p["status"] == 200 and p["bytes"] > 0 for p in r["pages"].values()), r["pages"]
    # the server's CPU a request, from /proc (Linux): a number, none negative
    assert all(isinstance(p["server_cpu_ms"], float) and p["server_cpu_ms"] >= 0 for p in r["pages"].values())


def test_crawl_record(records):
    r = records["crawl"]
    assert all(run["fetched"] == r["site"]["pages"] for run in r["runs"])
    assert {run["store"] for run in r["runs"]} == {True, False}
    assert all(run["stored"] == run["fetched"] for run in r["runs"] if run["store"])
    assert all(run["stored"] == 0 for run in r["runs"] if not run["store"])
    assert _positive(r["ratio_with_vs_without_store"]) and 0 < r["store_write_share_of_crawl_time"] < 1


def test_scaling_record(records):
    r = records["scaling"]
    assert r["outputs_identical"] is True
    assert r["one_worker"]["output_lines"] == r["two_workers"]["output_lines"] == r["corpus"]["articles"]
    assert r["one_worker"]["errors"] == 0
    assert _positive(r["speedup_2_vs_1_workers"])
