"""`vnfacts load --db PATH INPUT...`: extract articles and store them with their facts in SQLite;
`vnfacts load --db PATH --extracted FILE...`: store what `vnfacts extract` (or the Dask job) wrote."""
from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="PATH", help="SQLite file to create or update")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="JSONL file of {id, text, published?, title?, url?, source?}, a .txt file, "
                        "a folder of .txt files, or - for JSONL on stdin")
    p.add_argument("--extracted", nargs="+", metavar="FILE",
                   help="instead of INPUT: `vnfacts extract` output (JSONL, - for stdin), stored as it is")
    p.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for a database another process keeps locked before stopping "
                        "(exit 75; default 60)")
    p.add_argument("--force", action="store_true",
                   help="write the vnfacts tables into an SQLite database of something else (refused otherwise)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    from vnfacts.publish.load import LoadStoppedError, load_documents, load_extracted
    from vnfacts.publish.schema import ForeignDatabaseError
    from vnfacts.publish.transactions import DatabaseBusyError

    if bool(args.inputs) == bool(args.extracted):
        print("vnfacts load: error: give either INPUT... (to extract) or --extracted FILE... (extracted already)",
              file=sys.stderr)
        return 2
    try:
        options = {"progress": not args.quiet, "patience_s": args.wait, "force": args.force}
        if args.extracted:
            summary = load_extracted(args.db, args.extracted, **options)
        else:
            summary = load_documents(args.db, args.inputs, **options)
    except ForeignDatabaseError as err:
        print(f"vnfacts load: error: {err}", file=sys.stderr)
        return 2
    except (DatabaseBusyError, LoadStoppedError) as err:  # EX_TEMPFAIL: try again later
        print(f"vnfacts load: error: cannot write: {err}", file=sys.stderr)
        return 75
    except OSError as err:  # unwritable folder, disk full...
        print(f"vnfacts load: error: cannot write {args.db}: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # e.g. a file that is not an SQLite database
        import sqlite3
        if isinstance(err, sqlite3.DatabaseError):
            print(f"vnfacts load: error: {args.db}: {err}", file=sys.stderr)
            return 2
        raise
    if not args.quiet:
        for line in summary.lines():
            print(line, file=sys.stderr)
        print(f"database: {args.db}", file=sys.stderr)
    return 1 if summary.failed else 0
