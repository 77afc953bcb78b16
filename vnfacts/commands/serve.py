"""`vnfacts serve --db PATH [--port N] [--host H] [--setting NAME VALUE]...`: publish the database
with Datasette (read-only)."""
from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="PATH", help="SQLite file written by `vnfacts load`")
    p.add_argument("--port", type=int, default=8001, help="port (default 8001; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1, this machine only)")
    p.add_argument("-q", "--quiet", action="store_true", help="no request log")
    p.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="a Datasette setting in place of the site's own (e.g. facet_time_limit_ms 1000); repeatable")


def run(args: argparse.Namespace) -> int:
    from vnfacts.publish.serve import serve

    if not 0 <= args.port <= 65535:
        print(f"vnfacts serve: error: --port must be between 0 and 65535, not {args.port}", file=sys.stderr)
        return 2
    try:
        return serve(args.db, port=args.port, host=args.host, quiet=args.quiet, settings=dict(args.setting))
    except (OSError, ValueError, RuntimeError) as err:  # a missing or foreign database, a busy port, a wrong setting
        print(f"vnfacts serve: error: {err}", file=sys.stderr)
        return 2
