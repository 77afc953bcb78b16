"""`vnfacts cite QUERY [--db PATH] [--json]`: the canonical id(s) a written citation may mean."""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help='a citation as a person writes it, quoted or not: QĐ 1438, quyet dinh 1438, 1438/QĐ-TTg, NQ 57')
    p.add_argument("--db", help="a vnfacts database: rank the documents it knows first")
    p.add_argument("--json", action="store_true", help="print the reading and the ids as JSON")


def run(args: argparse.Namespace) -> int:
    from vnfacts.extractor.cite import CitationQuery, candidate_ids, parse_citation_query, parse_programme_query

    written = " ".join(args.query)
    query = parse_citation_query(written)
    programme = parse_programme_query(written) if query is None else None
    if programme is not None:  # `Đề án 1533`: the decision approving it carries its number
        print(f"vnfacts cite: {written[:80]!r} names a programme by its number: the decision approving it may be",
              file=sys.stderr)
        query = CitationQuery(number=programme.number, type="Quyết định")
    if query is None:
        print(f"vnfacts cite: {written[:80]!r} is not a citation: write a document type and number "
              f"(\"QĐ 1438\", \"Nghị quyết 57\") or a numbered code (\"1438/QĐ-TTg\", \"57-NQ/TW\")", file=sys.stderr)
        return 1
    known: list[dict] = []
    if args.db:  # only then: the storage package's import (sqlite-utils) costs a third of a second
        from vnfacts.publish.queries import known_documents

        try:
            known = known_documents(args.db, query.number)
        except (OSError, sqlite3.Error) as err:
            print(f"vnfacts cite: error: cannot read {args.db}: {err}", file=sys.stderr)
            return 2
    ids = candidate_ids(query, known)
    in_db = {d["id"] for d in known}
    if args.json:
        print(json.dumps({"query": written, "reading": query.to_json(), "ids": ids,
                          "in_database": [i for i in ids if i in in_db]}, ensure_ascii=False))
        return 0
    for doc_id in ids:
        print(doc_id + ("\t(in database)" if doc_id in in_db else ""))
    return 0
