"""Extraction speed before and after a change: ``python -m bench.before_after --base COMMIT``.

The extractor's code of ``COMMIT`` (``git archive``, into the scratch folder) and the working copy's
(or that of ``--head COMMIT``, so that editing the working copy meanwhile changes nothing) each run
in a process of their own, both loaded at once, and take turns batch by batch (20 articles with the
rules alone, the same with the shipped pipeline, the scanning reference on them; the side that goes
first alternates): on a shared machine the others' load then falls on both sides alike, where
whole runs one after the other differed by 10-20% with the same code. Each side extracts with the
rules alone (``vnfacts extract --no-model``: :func:`vnfacts.extractor.pipeline.rules_pipeline`) and
with the shipped pipeline (the ORG/LOC model on), each document cleaned, run stage by stage and
written as its JSON line, and times the scanning reference of ``bench.extraction`` on the same
texts, all in CPU-seconds of its process. The record gives, for each side, the CPU time of each
stage (the least over the rounds), characters per CPU-second, the ratio to the scanning reference,
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


def resolve(commit: str) -> str:
    """The full hash a commit name (`main`, `HEAD~2`) stands for now."""
    return subprocess.run(["git", "rev-parse", commit], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def export_extractor(commit: str, work_dir: Path) -> Path:
    """The ``extractor/`` folder of ``commit``, unpacked under ``work_dir`` (reused when there)."""
    full = resolve(commit)
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
        import importlib.util

        import vnfacts.extractor as package

        package.__path__[:] = [folder]
        # and its data files (importlib.resources reads them through the package's spec): the other
        # commit's pipeline.yaml names the stages its code has
        package.__spec__ = importlib.util.spec_from_file_location(
            package.__name__, str(Path(folder) / "__init__.py"), submodule_search_locations=[folder])


def _pipelines() -> dict[str, Any]:
    from vnfacts.extractor.pipeline import default_pipeline, rules_pipeline

    return {"rules": rules_pipeline(), "shipped": default_pipeline()}


def stage_seconds(pipeline, docs: list[dict]) -> dict[str, Any]:
    """CPU-seconds of each stage of ``pipeline`` over ``docs`` in this process (cleaning and
    sentences, each stage, the JSON line), and a digest of the lines."""
    from vnfacts.extractor.inputs import document_from_json
    from vnfacts.extractor.pipeline import new_context, run_stage, to_extraction

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
    return {"stages": dict(stages), "digest": digest.hexdigest()}


def serve(articles: int, extractor: str | None) -> None:
    """One side: load its code, both pipelines and the articles, say so, then measure each batch
    asked for on standard input (``{"kind": "rules"|"shipped"|"scan", "from": i, "to": j}``, one a
    line) and answer on standard output, until standard input ends."""
    _use_extractor(extractor)
    from vnfacts.extractor import pipeline as pipeline_module
    from vnfacts.extractor.inputs import document_from_json

    from .extraction import scanning_reference

    docs = load_corpus()[0][:articles]
    pipelines = _pipelines()
    for pipeline in pipelines.values():  # data files, gazetteer and models loaded before any clock runs
        for d in docs[:20]:  # (the events classifier loads at the first sentence the rules leave undecided)
            pipeline.extract(document_from_json(d, d["id"]))
    _answer({"code": str(Path(pipeline_module.__file__).parent), "articles": len(docs),
             "characters": text_size(docs)[0]})
    for line in sys.stdin:
        ask = json.loads(line)
        batch = docs[ask["from"]:ask["to"]]
        if ask["kind"] == "scan":
            _answer({"cpu_seconds": scanning_reference(batch)["cpu_seconds"]})
        else:
            _answer(stage_seconds(pipelines[ask["kind"]], batch))


def _answer(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class _Side:
    """A serving process (:func:`serve`) of one side's code."""

    def __init__(self, articles: int, extractor: Path | None):
        command = [sys.executable, "-m", "bench.before_after", "--serve", "--articles", str(articles)]
        if extractor is not None:
            command += ["--extractor", str(extractor)]
        self.process = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ready = self._read()

    def ask(self, kind: str, start: int, end: int) -> dict[str, Any]:
        self.process.stdin.write(json.dumps({"kind": kind, "from": start, "to": end}) + "\n")
        self.process.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the measuring process stopped (exit {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def _one_round(sides: dict[str, _Side], articles: int, batch: int, turn: int) -> dict[str, dict]:
    """Every article once through each side, batch by batch, the sides taking turns."""
    out = {name: {"rules": Counter(), "shipped": Counter(), "scan": 0.0, "digests": {k: hashlib.sha1() for k in KINDS}}
           for name in sides}
    names = list(sides)
    for n, start in enumerate(range(0, articles, batch)):
        end = min(start + batch, articles)
        order = names if (n + turn) % 2 == 0 else names[::-1]
        for kind in (*KINDS, "scan"):
            for name in order:
                got = sides[name].ask(kind, start, end)
                if kind == "scan":
                    out[name]["scan"] += got["cpu_seconds"]
                else:
                    out[name][kind].update(got["stages"])
                    out[name]["digests"][kind].update(got["digest"].encode())
    return {name: {"rules": dict(r["rules"]), "shipped": dict(r["shipped"]), "scanning_reference_cpu_seconds": r["scan"],
                   "digests": {k: h.hexdigest()[:16] for k, h in r["digests"].items()}} for name, r in out.items()}


def _summary(runs: list[dict[str, Any]], kind: str, chars: int) -> dict[str, Any]:
    """The least CPU time of each stage over the rounds, and what it makes per character."""
    stages = {name: round(min(r[kind].get(name, 0.0) for r in runs), 3) for name in runs[0][kind]}
    total = min(sum(r[kind].values()) for r in runs)
    scan = min(r["scanning_reference_cpu_seconds"] for r in runs)
    return {"cpu_seconds": round(total, 3), "chars_per_cpu_s": round(chars / total),
            "ratio_to_scanning_reference": ratio(scan, total, 4),
            "stages": dict(sorted(stages.items(), key=lambda kv: -kv[1])),
            "digests": sorted({r["digests"][kind] for r in runs})}


def run(base: str, rounds: int = 2, articles: int = 100_000, work_dir: Path = WORK_DIR,
        head: str | None = None, batch: int = 20, start_up: bool = True) -> dict[str, Any]:
    record = new_record("extraction-before-after", quick=articles < 50)
    base_code = export_extractor(base, work_dir)
    head_code = export_extractor(head, work_dir) if head else None
    record["base"] = f"{base} ({resolve(base)[:12]})"  # a branch name moves: the commit measured
    record["head"] = f"{head} ({resolve(head)[:12]})" if head else "working copy"
    record["rounds"] = rounds
    sides = {"before": _Side(articles, base_code), "after": _Side(articles, head_code)}
    try:
        count, chars = sides["after"].ready["articles"], sides["after"].ready["characters"]
        runs: dict[str, list] = {"before": [], "after": []}
        for r in range(rounds):
            for name, got in _one_round(sides, count, batch, r).items():
                runs[name].append(got)
            print(f"round {r + 1}: rules {sum(runs['before'][-1]['rules'].values()):.2f} -> "
                  f"{sum(runs['after'][-1]['rules'].values()):.2f} CPU-s, shipped "
                  f"{sum(runs['before'][-1]['shipped'].values()):.2f} -> "
                  f"{sum(runs['after'][-1]['shipped'].values()):.2f}", flush=True)
    finally:
        for side in sides.values():
            side.close()
    record["code"] = {name: side.ready["code"] for name, side in sides.items()}
    record["corpus"] = {"articles": count, "characters": chars, "batch": batch}
    for kind in KINDS:
        before, after = _summary(runs["before"], kind, chars), _summary(runs["after"], kind, chars)
        record[kind] = {"before": before, "after": after,
                        "speedup": ratio(before["cpu_seconds"], after["cpu_seconds"]),
                        "same_output": before["digests"] == after["digests"] and len(after["digests"]) == 1}
    record["scanning_reference"] = {name: {"cpu_seconds": round(min(r["scanning_reference_cpu_seconds"] for r in rs), 3)}
                                    for name, rs in runs.items()}
    record["runs"] = runs
    if start_up:  # each side's `vnfacts extract` with one document, in fresh processes
        from .extraction import print_start_up, start_up as measure_start_up

        record["start_up"] = {"before": measure_start_up(work_dir, quick=articles < 50, extractor=base_code),
                              "after": measure_start_up(work_dir, quick=articles < 50, extractor=head_code)}

    for kind in KINDS:
        rec = record[kind]
        names = list(rec["before"]["stages"])
        rows = [[name, rec["before"]["stages"][name], rec["after"]["stages"].get(name, 0.0),
                 ratio(rec["before"]["stages"][name], rec["after"]["stages"].get(name))] for name in names]
        rows.append(["total", rec["before"]["cpu_seconds"], rec["after"]["cpu_seconds"], rec["speedup"]])
        print_table(f"{kind}: CPU-seconds by stage over {count} articles (least of {rounds} rounds)",
                    ["stage", "before", "after", "x"], rows)
        print(f"{kind}: {rec['before']['chars_per_cpu_s']:,} -> {rec['after']['chars_per_cpu_s']:,} chars/CPU-s; "
              f"scanning reference {rec['before']['ratio_to_scanning_reference']} -> "
              f"{rec['after']['ratio_to_scanning_reference']} of its speed; same output: {rec['same_output']}")
    for side, su in record.get("start_up", {}).items():
        print(f"start-up, {side}:")
        print_start_up(su)
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.before_after", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the commit to compare the working copy with (default main)")
    parser.add_argument("--head", default=None, help="a commit to measure instead of the working copy")
    parser.add_argument("--rounds", type=int, default=2, help="turns each side takes (default 2)")
    parser.add_argument("--articles", type=int, default=100_000, help="at most this many corpus articles")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="scratch folder for the base's code")
    parser.add_argument("--results", type=Path, default=None, help="where the JSON record goes (default bench/results)")
    parser.add_argument("--batch", type=int, default=20, help="articles a side extracts in one turn (default 20)")
    parser.add_argument("--no-start-up", action="store_true", help="leave out the start-up measures (~1 min a side)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # one side, in a child process
    parser.add_argument("--extractor", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.articles, args.extractor)
        return 0
    record = run(args.base, args.rounds, args.articles, args.work, args.head, args.batch, not args.no_start_up)
    path = write_record(record, *([args.results] if args.results else []))
    print(f"record: {path}")
    return 0 if all(record[kind]["same_output"] for kind in KINDS) else 1


if __name__ == "__main__":
    sys.exit(main())
