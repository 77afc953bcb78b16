"""Benchmarks of vnfacts, run on demand (`make bench`, `python -m bench [NAME...]`), never in tests.

Each benchmark measures one part of the system against the alternative a user would otherwise
pick, prints a table with the ratio, and writes a JSON record under ``bench/results/``:

- ``extraction``: the full pipeline and the rule finders alone on 1 and 2 processes, peak memory,
  and ``underthesea.ner`` on the same texts (``speedup_vs_underthesea``), with scores on the dev split;
- ``loading``: facts per second into SQLite and database size per 1,000 articles, against a bare
  ``sqlite-utils`` insert of the same facts;
- ``search``: latency of the citation search, the site's canned queries, the dashboard's charts and
  the site's pages (over HTTP) on a synthetic database of 1 million articles, against a ``LIKE`` scan
  (Datasette's "contains" filter);
- ``crawl``: pages per second from a local site with politeness off, with and without the raw page store;
- ``scaling``: extraction on a Dask cluster of 1 and 2 local workers (the multi-machine recipe).
"""
