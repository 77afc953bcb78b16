"""What every benchmark shares: the corpus, timing, memory, tables and the JSON records."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "bench" / "results"
# Scratch space for databases, caches and sites: never committed, reused between runs when valid.
WORK_DIR = Path(os.environ.get("VNFACTS_BENCH_WORK", "/tmp/vnfacts-bench"))
BUNDLED_CORPUS = REPO / "corpus" / "articles.jsonl"
# The larger shared corpus exists on the project's development machines only; a fresh clone
# benchmarks on the bundled corpus alone (the record names which corpus was used).
SHARED_CORPUS = REPO.parent / "shared" / "corpus" / "baomoi-social.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_corpus() -> tuple[list[dict], dict[str, Any]]:
    """The unique articles of the bundled corpus, plus the shared corpus when it is there."""
    docs: dict[str, dict] = {}
    sources = []
    for path in (BUNDLED_CORPUS, SHARED_CORPUS):
        if path.exists():
            sources.append(str(path.relative_to(REPO.parent) if path.is_relative_to(REPO.parent) else path))
            for d in read_jsonl(path):
                docs.setdefault(d["id"], d)
    articles = list(docs.values())
    return articles, {"sources": sources, "unique_articles": len(articles),
                      "characters": sum(len(d["text"]) for d in articles),
                      "utf8_bytes": sum(len(d["text"].encode("utf-8")) for d in articles)}


def repeat_to(docs: list[dict], n: int) -> list[dict]:
    """``n`` documents cycling through ``docs``; repeats get distinct ids (``ID#2``...)."""
    out = []
    for i in range(n):
        d = docs[i % len(docs)]
        k = i // len(docs)
        out.append(d if k == 0 else {**d, "id": f"{d['id']}#{k + 1}"})
    return out


def text_size(docs: Iterable[dict]) -> tuple[int, int]:
    """(characters, UTF-8 bytes) of the documents' texts."""
    chars = nbytes = 0
    for d in docs:
        chars += len(d["text"])
        nbytes += len(d["text"].encode("utf-8"))
    return chars, nbytes


def code_fingerprint() -> str:
    """A hash of the extractor's code and data: cached extractions are valid only for it."""
    digest = hashlib.sha1()
    for path in sorted((REPO / "extractor").rglob("*")):
        if path.suffix in (".py", ".yaml", ".txt", ".json") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), by linear interpolation between order statistics."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_summary(seconds: list[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in seconds]
    return {"runs": len(ms), "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(percentile(ms, 95), 2), "max_ms": round(max(ms), 2)}


def ratio(a: float | None, b: float | None, digits: int = 2) -> float | None:
    """a / b, rounded; None when either is missing or b is zero."""
    if not a or not b:
        return None
    return round(a / b, digits)


def machine() -> dict[str, Any]:
    """What the figures were measured on, including how busy the machine was."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": load}


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                             timeout=10)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def new_record(name: str, quick: bool) -> dict[str, Any]:
    return {"benchmark": name, "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "commit": git_commit(), "quick": quick, "machine": machine()}


def write_record(record: dict[str, Any], results_dir: Path = RESULTS_DIR) -> Path:
    """``results_dir/NAME-YYYYMMDDTHHMMSSZ.json`` (a quick run is marked ``-quick``)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = record["started"].replace("-", "").replace(":", "").replace("+0000", "Z").replace("+00:00", "Z")
    name = f"{record['benchmark']}-{stamp}{'-quick' if record.get('quick') else ''}.json"
    path = results_dir / name
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def print_table(title: str, headers: list[str], rows: list[list[Any]], out=None) -> None:
    """A plain aligned table on stdout."""
    out = out or sys.stdout
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    print(f"\n{title}", file=out)
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths))), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))), file=out)
    out.flush()


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        return f"{v:.3g}" if abs(v) < 0.01 else f"{v:.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


class Stopwatch:
    """``with Stopwatch() as t: ...`` then ``t.seconds`` (and ``t.cpu_seconds``)."""

    def __enter__(self) -> "Stopwatch":
        self.start = time.perf_counter()
        self.cpu_start = time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start
        self.cpu_seconds = time.process_time() - self.cpu_start  # every thread of this process
