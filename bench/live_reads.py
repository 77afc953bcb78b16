"""The site asked for pages while `vnfacts load` writes into the file it serves, round after round:

    python -m bench.live_reads [--rounds N] [--copies N] [--per-commit N] [--clients N] [--work DIR]

One real `vnfacts serve` on 127.0.0.1 (:class:`vnfacts.publish.serve.Site`) serves a database of
the bundled corpus; each round a real `vnfacts load --extracted -` adds ``--copies`` copies of the
corpus's extraction under new ids, fed on its standard input ``--per-commit`` lines at a time, each
time after the loader's batch time (BATCH_SECONDS): one commit for each (no extraction during the
load, which only writes), while client threads ask, without a pause, for the pages that read the
schema and count rows at each visit (the home page, the database page, a table with a facet, the
programmes) and an article count. Prints one JSON line: requests, answers by status (0: no
answer), and the first server errors with the error each page showed. A stress check, not a timing:
the figure that matters is the number of 5xx answers (and of no answers), which must be 0
(tests/publish/test_publish_live.py keeps a short version of this in the suite).
"""
from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .common import BUNDLED_CORPUS, WORK_DIR

REQUEST_TIMEOUT_S = 30


def pages(name: str) -> list[str]:
    count = urllib.parse.urlencode({"sql": "select count(*) as n from articles", "_shape": "array"})
    return ["/", f"/{name}", f"/{name}.json?{count}", f"/{name}/mentions?_facet=label&_size=5", "/-/programmes"]


def ask(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as response:
            return response.status, ""
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")
    except OSError as err:  # no answer at all (reset, timeout): status 0, counted apart
        return 0, f"no answer: {err}"


def extracted_corpus(work: Path) -> Path:
    """The bundled corpus as `vnfacts extract` writes it (made once in ``work``)."""
    path = work / "extracted.jsonl"
    if not path.exists():
        with open(path.with_suffix(".part"), "w") as out:
            subprocess.run([sys.executable, "-P", "-m", "vnfacts", "extract", str(BUNDLED_CORPUS)], stdout=out, check=True)
        path.with_suffix(".part").rename(path)
    return path


def copies_under_new_ids(extracted: Path, tag: str, copies: int) -> list[str]:
    items = [json.loads(line) for line in extracted.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.dumps({**item, "id": f"{item['id']}-{tag}-{copy}"}, ensure_ascii=False) + "\n"
            for copy in range(copies) for item in items]


def load_paced(db: Path, lines: list[str], per_commit: int) -> subprocess.CompletedProcess:
    """`vnfacts load --extracted -` fed ``per_commit`` lines, then nothing for longer than the
    loader's batch time, so that it commits each group on its own."""
    from vnfacts.publish.load import BATCH_SECONDS

    loader = subprocess.Popen([sys.executable, "-P", "-m", "vnfacts", "load", "--quiet", "--db", str(db), "--extracted", "-"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for start in range(0, len(lines), per_commit):
        loader.stdin.write("".join(lines[start:start + per_commit]))
        loader.stdin.flush()
        time.sleep(BATCH_SECONDS * 1.5)
    out, err = loader.communicate()
    return subprocess.CompletedProcess(loader.args, loader.returncode, out, err)


def hammer(site_url: str, paths: list[str], stop: threading.Event, answers: list) -> None:
    i = 0
    while not stop.is_set():
        path = paths[i % len(paths)]
        answers.append((path, *ask(site_url.rstrip("/") + path)))
        i += 1


def run(rounds: int, copies: int, per_commit: int, clients: int, work: Path, only: list[str] | None = None) -> dict:
    from vnfacts.publish.load import load_extracted
    from vnfacts.publish.serve import Site, database_name

    work.mkdir(parents=True, exist_ok=True)
    extracted = extracted_corpus(work)
    db = work / "live.db"
    for leftover in (db, Path(f"{db}-journal")):
        leftover.unlink(missing_ok=True)
    load_extracted(db, [extracted])
    name = database_name(db)
    answers: list[tuple[str, int, str]] = []
    load_failures = []
    paths = [p for p in pages(name) if not only or p.split("?")[0] in only or (p == f"/{name}" and "DB" in only)]
    with Site(db) as site:
        for r in range(rounds):
            lines = copies_under_new_ids(extracted, f"round{r}", copies)
            stop = threading.Event()
            threads = [threading.Thread(target=hammer, args=(site.url, paths[i:] + paths[:i], stop, answers))
                       for i in range(clients)]
            for c in threads:
                c.start()
            loader = load_paced(db, lines, per_commit)
            stop.set()
            for c in threads:
                c.join()
            if loader.returncode != 0:
                load_failures.append(loader.stderr[-500:])
    errors = [(path, status, body) for path, status, body in answers if status >= 500 or status == 0]
    return {"rounds": rounds, "clients": clients, "pages": paths, "copies_per_round": copies, "articles_per_commit": per_commit,
            "requests": len(answers),
            "statuses": dict(sorted(collections.Counter(status for _, status, _ in answers).items())),
            "server_errors": len(errors), "server_errors_by_page": dict(collections.Counter(p for p, _, _ in errors)),
            "first_server_errors": [(p, s, _error_text(b)) for p, s, b in errors[:5]], "load_failures": load_failures}


def _error_text(body: str) -> str:
    """What an error page says: its JSON's error, or the text of an HTML page's content, short."""
    import re

    try:
        return str(json.loads(body).get("error"))[:300]
    except (ValueError, AttributeError):
        pass
    content = re.search(r'<section class="content">(.*?)</section>', body, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", content.group(1) if content else body).split())[:300]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.live_reads", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--copies", type=int, default=8, help="copies of the corpus each round's load adds")
    parser.add_argument("--per-commit", type=int, default=30, help="articles the loader is given at a time")
    parser.add_argument("--clients", type=int, default=4, help="threads asking for pages at once")
    parser.add_argument("--only", nargs="+", metavar="PATH",
                        help="ask only for these of the pages (their paths without the query; DB: the database page)")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "live_reads")
    args = parser.parse_args(argv)
    record = run(args.rounds, args.copies, args.per_commit, args.clients, args.work, args.only)
    print(json.dumps(record, ensure_ascii=False))
    return 1 if record["server_errors"] or record["load_failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
