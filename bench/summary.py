"""``python -m bench.summary [DIR]``: the key figures of the latest full record of each benchmark
in DIR (default bench/results), as the Markdown table the README's Benchmarks section shows."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import RESULTS_DIR


def latest(results: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(results.glob("*.json")):
        if path.name.endswith("-quick.json"):
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        out[record["benchmark"]] = {**record, "_file": path.name}
    return out


def rows(records: dict[str, dict]) -> list[tuple[str, str, str]]:
    out = []
    if r := records.get("extraction"):
        f1, f2 = r["full_pipeline"]["1_process"], r["full_pipeline"]["2_processes"]
        r1, r2 = r["rule_finders"]["1_process"], r["rule_finders"]["2_processes"]
        ref, sc = r["reference"], r["reference"]["scores"]
        out += [
            ("extraction, full pipeline", f"{f1['articles_per_s']} articles/s, {f1['chars_per_s']:,} chars/s on 1 process "
             f"({f1['articles']:,} articles); {f2['articles_per_s']} articles/s, {f2['chars_per_s']:,} chars/s on 2 "
             f"({f2['articles']:,} articles, the workers got {f2.get('cores_used')} cores); "
             f"peak RSS {f2['peak_rss_mb_per_worker']} MB a worker",
             f"2/1 processes {r['full_pipeline']['speedup_2_vs_1']}x"),
            ("extraction vs underthesea.ner", f"pipeline {ref['pipeline']['chars_per_s']:,} chars/s, underthesea "
             f"{ref['underthesea']['chars_per_s']:,} chars/s ({ref['sample']['articles']} articles); ORG/LOC overlap F1 "
             f"{sc['pipeline']['ORG']['overlap_f1']}/{sc['pipeline']['LOC']['overlap_f1']} vs "
             f"{sc['underthesea']['ORG']['overlap_f1']}/{sc['underthesea']['LOC']['overlap_f1']} ({sc['documents']} dev documents)",
             f"speedup_vs_underthesea {r['speedup_vs_underthesea']}x (target {r['target_speedup_vs_underthesea']}x: "
             f"{'met' if r['target_met'] else 'not met'})"),
            ("extraction, rule finders alone", f"{r1['mb_per_s']} MB/s on 1 process, {r2['mb_per_s']} MB/s on 2",
             f"target 1 MB/s per core: {'met' if r['rule_finders']['target_met'] else 'not met'}"),
        ]
    if r := records.get("loading"):
        ours, theirs = r["vnfacts_load"], r["sqlite_utils_insert"]
        out.append(("loading", f"{ours['facts_per_s']:,} facts/s ({ours['facts']:,} facts, {ours['articles']} articles); "
                    f"{ours['db_mb_per_1000_articles']} MB per 1,000 articles",
                    f"{r['ratio_facts_per_s_vs_sqlite_utils']}x the facts/s of a bare sqlite-utils insert of the "
                    f"same rows ({theirs['facts_per_s']:,}/s), {r['ratio_facts_per_cpu_s_vs_sqlite_utils']}x per CPU "
                    f"second, {r['ratio_db_size_vs_sqlite_utils']}x its size; "
                    f"{r['ratio_facts_per_s_vs_flat_facts']}x the facts alone as one flat table"
                    if "ratio_facts_per_cpu_s_vs_sqlite_utils" in r else
                    f"{r['ratio_facts_per_s_vs_sqlite_utils']}x the facts/s of a bare sqlite-utils insert "
                    f"({theirs['facts_per_s']:,}/s), {r['ratio_db_size_vs_sqlite_utils']}x its size"))
    if r := records.get("search"):
        c = r["citation_search"]["all"]
        canned = ", ".join(f"{k} {v['median_ms']}/{v['p95_ms']}" + (f" (CPU {v['cpu_median_ms']})" if "cpu_median_ms" in v else "")
                           for k, v in r["canned_queries"].items())
        out.append(("search, citation", f"median {c['median_ms']} ms, p95 {c['p95_ms']} ms on "
                    f"{r['database']['articles']:,} articles", f"LIKE scan / citation search "
                    f"{r['ratio_like_scan_vs_citation_search_median']}x; target p95 < 50 ms: "
                    f"{'met' if r['citation_search']['target_met'] else 'not met'}"))
        out.append(("search, canned queries (median/p95 ms)", canned, ""))
        if pages := r.get("pages"):
            out.append(("search, pages (median/p95 ms, HTTP)",
                        ", ".join(f"{k} {v['median_ms']}/{v['p95_ms']}" for k, v in pages.items()),
                        f"target 50 ms median: {'met' if r.get('pages_target_met') else 'not met'}"))
    if r := records.get("crawl"):
        out.append(("crawl", f"{r['pages_per_s']['with_store']} pages/s with the page store, "
                    f"{r['pages_per_s']['without_store']} without ({r['site']['pages']:,} pages)",
                    f"with/without {r['ratio_with_vs_without_store']}x; store writes "
                    f"{r['store_write_share_of_crawl_time']:.0%} of the crawl, {r['store_write_ms_per_page']} ms a page"))
    if r := records.get("scaling"):
        out.append(("scaling (Dask)", f"{r['one_worker']['articles_per_s']} articles/s on 1 worker, "
                    f"{r['two_workers']['articles_per_s']} on 2 ({r['corpus']['articles']} articles; the workers got "
                    f"{r['one_worker'].get('cores_used')} and {r['two_workers'].get('cores_used')} cores)",
                    f"2/1 workers {r['speedup_2_vs_1_workers']}x, outputs identical: {r['outputs_identical']}"))
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    records = latest(Path(argv[0]) if argv else RESULTS_DIR)
    print("| benchmark | measured | ratio |\n|---|---|---|")
    for name, measured, ratio in rows(records):
        print(f"| {name} | {measured} | {ratio} |")
    print("\nrecords: " + ", ".join(r["_file"] for r in records.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
