"""Extraction speed before and after a change: ``python -m bench.before_after --base COMMIT``.

The extractor's code of ``COMMIT`` (``git archive``, into the scratch folder) and the working copy's
(or that of ``--head COMMIT``, so that editing the working copy meanwhile changes nothing) are
measured in turn, in fresh processes, round after round (the machine is shared: taking turns
spreads the others' load over both sides). Each process extracts the same articles with the rules
alone (``vnfacts extract --no-model``: :func:`vnfacts.extractor.pipeline.rules_pipeline`) and with
the shipped pipeline (the ORG/LOC model on), each document cleaned, run stage by stage and written
as its JSON line, and times the scanning reference of ``bench.extraction`` on the same texts; all
in CPU-seconds of that process. The record gives, for each side, the least CPU time of each stage
over the rounds, characters per CPU-second, the ratio to the scanning reference of the same run,
and a digest of the JSON lines: the two sides must write the same facts.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .common import REPO, WORK_DIR, load_corpus, new_record, print_table, ratio, text_size, write_record

KINDS = ("rules", "shipped")


def export_extractor(commit: str, work_dir: Path) -> Path:
    """The ``extractor/`` folder of ``commit``, unpacked under ``work_dir`` (reused when there)."""
    full = subprocess.run(["git", "rev-parse", commit], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    dest = work_dir / f"extractor-{full[:12]}"
    if not (dest / "extractor" / "pipeline.py").exists():
        archive = subprocess.run(["git", "archive", "--format=tar", full, "extractor"], cwd=REPO,
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    return dest / "extractor"


def _use_extractor(folder: str | None) -> None:
    """Import ``vnfacts.extractor``'s modules from ``folder`` (another commit's code) from now on."""
    if folder:
        import vnfacts.extractor as package

        package.__path__[:] = [folder]


def stage_seconds(kind: str, docs: list[dict]) -> dict[str, Any]:
    """CPU-seconds of each stage of one pipeline over ``docs`` in this process (cleaning and
    sentences, each stage, the JSON line), after one warm-up document; and a digest of the lines."""
    from vnfacts.extractor.inputs import document_from_json
    from vnfacts.extractor.pipeline import default_pipeline, new_context, rules_pipeline, run_stage, to_extraction

    pipeline = rules_pipeline() if kind == "rules" else default_pipeline()
    pipeline.extract(document_from_json(docs[0], docs[0]["id"]))
    stages: Counter = Counter()
    digest = hashlib.sha1()
    clock = time.process_time
    for d in docs:
        doc = document_from_json(d, d["id"])
        t = clock()
        ctx = new_context(doc)
        stages["clean+sentences"] += clock() - t
        for st in pipeline.stages:
            t = clock()
            run_stage(st, ctx, pipeline.label_priority)
            stages[st.name] += clock() - t
        t = clock()
        line = json.dumps(to_extraction(doc, ctx, ctx.spans, ctx.events or []).to_json(doc), ensure_ascii=False)
        stages["offsets+json"] += clock() - t
        digest.update(line.encode("utf-8") + b"\n")
    return {"stages": dict(stages), "cpu_seconds": sum(stages.values()), "digest": digest.hexdigest()[:16]}


def measure(articles: int, extractor: str | None) -> dict[str, Any]:
    """One process's figures: both pipelines and the scanning reference over the first ``articles``
    articles of the corpus."""
    _use_extractor(extractor)
    from vnfacts.extractor import pipeline as pipeline_module

    from .extraction import scanning_reference

    docs = load_corpus()[0][:articles]
    out = {"code": str(Path(pipeline_module.__file__).parent), "articles": len(docs),
           "characters": text_size(docs)[0]}
    for kind in KINDS:
        out[kind] = stage_seconds(kind, docs)
    out["scanning_reference_cpu_seconds"] = scanning_reference(docs)["cpu_seconds"]
    return out


def _measure_in_child(articles: int, extractor: Path | None) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.before_after", "--measure", "--articles", str(articles)]
    if extractor is not None:
        command += ["--extractor", str(extractor)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True, timeout=3600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    """The least CPU time of each stage over the rounds, and what it makes per character."""
    chars = runs[0]["characters"]
    stages = {name: round(min(r[kind]["stages"].get(name, 0.0) for r in runs), 3) for name in runs[0][kind]["stages"]}
    total = min(r[kind]["cpu_seconds"] for r in runs)
    scan = min(r["scanning_reference_cpu_seconds"] for r in runs)
    return {"cpu_seconds": round(total, 3), "chars_per_cpu_s": round(chars / total),
            "ratio_to_scanning_reference": ratio(scan, total, 4),
            "stages": dict(sorted(stages.items(), key=lambda kv: -kv[1])),
            "digests": sorted({r[kind]["digest"] for r in runs})}


def run(base: str, rounds: int = 2, articles: int = 100_000, work_dir: Path = WORK_DIR,
        head: str | None = None) -> dict[str, Any]:
    record = new_record("extraction-before-after", quick=articles < 50)
    base_code = export_extractor(base, work_dir)
    head_code = export_extractor(head, work_dir) if head else None
    record["base"] = base
    record["head"] = head or "working copy"
    record["rounds"] = rounds
    runs: dict[str, list] = {"before": [], "after": []}
    for r in range(rounds):
        order = [("before", base_code), ("after", head_code)]
        for side, code in order if r % 2 == 0 else reversed(order):
            runs[side].append(_measure_in_child(articles, code))
            print(f"round {r + 1}, {side}: rules {runs[side][-1]['rules']['cpu_seconds']:.2f} CPU-s, "
                  f"shipped {runs[side][-1]['shipped']['cpu_seconds']:.2f} CPU-s", flush=True)
    first = runs["after"][0]
    record["corpus"] = {"articles": first["articles"], "characters": first["characters"]}
    scan = {side: min(r["scanning_reference_cpu_seconds"] for r in rs) for side, rs in runs.items()}
    record["scanning_reference"] = {side: {"cpu_seconds": s, "chars_per_cpu_s": round(first["characters"] / s)}
                                    for side, s in scan.items()}
    for kind in KINDS:
        before, after = _summary(runs["before"], kind), _summary(runs["after"], kind)
        record[kind] = {"before": before, "after": after,
                        "speedup": ratio(before["cpu_seconds"], after["cpu_seconds"]),
                        "same_output": before["digests"] == after["digests"] and len(after["digests"]) == 1}
    record["runs"] = runs

    for kind in KINDS:
        rec = record[kind]
        names = list(rec["before"]["stages"])
        rows = [[name, rec["before"]["stages"][name], rec["after"]["stages"].get(name, 0.0),
                 ratio(rec["before"]["stages"][name], rec["after"]["stages"].get(name))] for name in names]
        rows.append(["total", rec["before"]["cpu_seconds"], rec["after"]["cpu_seconds"], rec["speedup"]])
        print_table(f"{kind}: CPU-seconds by stage over {first['articles']} articles (least of {rounds} rounds)",
                    ["stage", "before", "after", "x"], rows)
        print(f"{kind}: {rec['before']['chars_per_cpu_s']:,} -> {rec['after']['chars_per_cpu_s']:,} chars/CPU-s; "
              f"scanning reference {rec['before']['ratio_to_scanning_reference']} -> "
              f"{rec['after']['ratio_to_scanning_reference']} of its speed; same output: {rec['same_output']}")
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.before_after", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the commit to compare the working copy with (default main)")
    parser.add_argument("--head", default=None, help="a commit to measure instead of the working copy")
    parser.add_argument("--rounds", type=int, default=2, help="turns each side takes (default 2)")
    parser.add_argument("--articles", type=int, default=100_000, help="at most this many corpus articles")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="scratch folder for the base's code")
    parser.add_argument("--results", type=Path, default=None, help="where the JSON record goes (default bench/results)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # one side, in a child process
    parser.add_argument("--extractor", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.articles, args.extractor)))
        return 0
    record = run(args.base, args.rounds, args.articles, args.work, args.head)
    path = write_record(record, *([args.results] if args.results else []))
    print(f"record: {path}")
    return 0 if all(record[kind]["same_output"] for kind in KINDS) else 1


if __name__ == "__main__":
    sys.exit(main())
