"""Extraction over several machines with Dask, shown on one: the same job on a local cluster of
1 and then 2 worker processes, the speed-up measured.

The job is the multi-machine recipe of the README: the input split into JSONL partitions, read
with ``dask.bag.read_text``, each partition extracted by one task
(``vnfacts.extractor.distributed.extract_partition``; the pipeline is loaded once per worker process), the
results written as one JSONL file per partition. On several machines only the cluster changes
(``dask scheduler`` on one, ``dask worker tcp://HOST:8786 --nworkers N --nthreads 1`` on each,
and the paths on a shared file system or object store); the code is the same. Both runs must give
the same output lines.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from vnfacts.extractor.distributed import extract_partition

from .common import WORK_DIR, load_corpus, new_record, print_table, ratio, repeat_to, text_size

FULL = {"articles": 600, "partitions": 30}
QUICK = {"articles": 6, "partitions": 3}


def warm_up() -> int:
    """Load the pipeline in a worker before the clock starts."""
    from vnfacts.extractor.models import Document
    from vnfacts.extractor.pipeline import default_pipeline

    default_pipeline().extract(Document(id="warm-up", text="Quyết định số 1438/QĐ-TTg của UBND tỉnh Bình Dương."))
    return 1


def write_partitions(docs: list[dict], folder: Path, partitions: int) -> list[Path]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    size = -(-len(docs) // partitions)
    paths = []
    for p in range(partitions):
        part = docs[p * size:(p + 1) * size]
        if not part:
            break
        path = folder / f"part-{p:04d}.jsonl"
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in part), encoding="utf-8")
        paths.append(path)
    return paths


def run_on_cluster(workers: int, inputs: Path, outputs: Path) -> dict[str, Any]:
    """The recipe on a LocalCluster of ``workers`` single-threaded processes on 127.0.0.1."""
    import dask
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    dask.config.set({"logging.distributed": "error"})

    shutil.rmtree(outputs, ignore_errors=True)
    outputs.mkdir(parents=True)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
        client.run(warm_up)
        cpu_before = client.run(time.process_time)
        started = time.perf_counter()
        bag = db.read_text(str(inputs / "part-*.jsonl")).map_partitions(extract_partition)
        bag.to_textfiles(str(outputs / "part-*.jsonl"), encoding="utf-8")
        seconds = time.perf_counter() - started
        cpu_after = client.run(time.process_time)
    cpu = sum(cpu_after[w] - cpu_before.get(w, 0.0) for w in cpu_after)
    lines = sorted(line for path in outputs.glob("part-*.jsonl") for line in path.read_text(encoding="utf-8").splitlines())
    return {"workers": workers, "seconds": round(seconds, 2), "output_lines": len(lines),
            "cpu_seconds": round(cpu, 2), "cores_used": round(cpu / seconds, 2),
            "errors": sum(1 for line in lines if '"error"' in line[:200] and json.loads(line).get("error")),
            "_lines": lines}


def run(quick: bool = False, work_dir: Path = WORK_DIR, sizes: dict | None = None) -> dict[str, Any]:
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")  # the workers' start and stop chatter
    sizes = {**(QUICK if quick else FULL), **(sizes or {})}
    record = new_record("scaling", quick)
    corpus, info = load_corpus()
    docs = repeat_to(corpus, sizes["articles"])
    chars, _ = text_size(docs)
    folder = work_dir / "scaling"
    write_partitions(docs, folder / "input", sizes["partitions"])
    one = run_on_cluster(1, folder / "input", folder / "output-1")
    two = run_on_cluster(2, folder / "input", folder / "output-2")
    same = one.pop("_lines") == two.pop("_lines")
    for r in (one, two):
        r["articles_per_s"] = round(len(docs) / r["seconds"], 2)
        r["chars_per_s"] = round(chars / r["seconds"])
    record.update({
        "engine": "Dask distributed (LocalCluster, single-threaded worker processes, 127.0.0.1)",
        "job": "dask.bag.read_text(part-*.jsonl).map_partitions(extract_partition).to_textfiles(...)",
        "corpus": {**info, "articles": len(docs), "characters": chars, "partitions": sizes["partitions"]},
        "one_worker": one, "two_workers": two, "outputs_identical": same,
        "speedup_2_vs_1_workers": ratio(one["seconds"], two["seconds"]),
    })
    if not same or one["output_lines"] != len(docs):
        raise RuntimeError(f"the 1- and 2-worker runs disagree or lost documents: {one} {two}")
    print_table(f"Extraction on a Dask cluster ({len(docs)} articles, {sizes['partitions']} partitions)",
                ["workers", "seconds", "articles/s", "chars/s", "cores got"],
                [[r["workers"], r["seconds"], r["articles_per_s"], r["chars_per_s"], r["cores_used"]] for r in (one, two)])
    print(f"ratio: 2 / 1 workers = {record['speedup_2_vs_1_workers']}x; outputs identical: {same}")
    return record
