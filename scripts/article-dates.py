"""Check the article's own date (extractor/document.py) over whole corpora (issue #15, Time).

For every article: its date and ``date_source``; an estimate (``ESTIMATED_DATE_SOURCES``) must be no
later than the newest date of a thing the article reports as having happened (``happened_dates``),
and no date may be later than the crawl (the input's ``fetched_at``/``crawled``, else the day the
script runs). Prints a JSON summary (counts by source, the years estimates give, every violation
with its document id) and exits 1 if there is any violation.

    .venv/bin/python scripts/article-dates.py corpus/articles.jsonl ../shared/corpus/baomoi-all.jsonl.gz
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from vnfacts.extractor.document import ESTIMATED_DATE_SOURCES, date_problem
from vnfacts.extractor.inputs import read_documents
from vnfacts.extractor.models import Document
from vnfacts.extractor.pipeline import DocumentError, default_pipeline


def check(document: Document) -> tuple[str | None, str | None, str | None]:
    """(date, source, violation or None) of one article."""
    ctx = default_pipeline().context(document, until="places")
    return ctx.document.date, ctx.document.date_source, date_problem(ctx)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+")
    args = p.parse_args()
    summary = {}
    failed = False
    for path in args.files:
        sources, years, violations, errors, n = Counter(), Counter(), [], [], 0
        for doc in read_documents([path]):
            n += 1
            try:
                if isinstance(doc, DocumentError):
                    raise doc
                date, source, violation = check(doc)
            except DocumentError as err:  # named by its document; the others are still checked
                errors.append(str(err))
                continue
            sources[source or "none"] += 1
            if source in ESTIMATED_DATE_SOURCES:
                years[date[:4]] += 1
            if violation:
                violations.append({"id": doc["id"], "problem": violation})
        failed |= bool(violations)
        summary[path] = {"articles": n, "date_source": dict(sources.most_common()),
                         "estimated_years": dict(sorted(years.items())), "violations": violations, "errors": errors}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
