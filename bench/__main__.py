"""``python -m bench [NAME...] [--quick]``: run the benchmarks (all by default), print each table
and write each JSON record under bench/results/."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

from .common import RESULTS_DIR, WORK_DIR, write_record

BENCHMARKS = ("extraction", "loading", "search", "crawl", "scaling")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run; figures mean nothing)")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="where JSON records go (default bench/results)")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="scratch folder for databases and sites")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    names = args.names or list(BENCHMARKS)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        t = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        try:
            record = module.run(quick=args.quick, work_dir=args.work)
        except Exception as err:  # noqa: BLE001 - one benchmark failing must not hide the others
            print(f"bench {name}: failed: {type(err).__name__}: {err}", file=sys.stderr)
            failed.append(name)
            continue
        record["wall_seconds"] = round(time.perf_counter() - t, 1)
        record["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        path = write_record(record, args.results)
        print(f"{name}: {record['wall_seconds']} s; record: {path}", flush=True)
    print(f"\nall benchmarks: {time.perf_counter() - started:.0f} s"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
