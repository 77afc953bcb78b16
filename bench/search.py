"""Search latency on a synthetic database of 1 million articles: the citation search (any written
form, `vnfacts.publish.search.search`), the site's canned queries and the overview dashboard's charts
(`publish/site/metadata.yaml`), against what a user would otherwise do in Datasette: a "contains"
filter, i.e. a ``LIKE`` scan of the facts; and the site's pages as a browser gets them from
`vnfacts serve` on 127.0.0.1 (the home page, the dashboard, citations, programmes, an article, maps).

The database (``vnfacts.publish.synthetic``) is built by SQL from the real one the loading
benchmark writes (``load.db``, the corpus's articles and facts), into the real schema: each template
article replicated with its own id, date and province, with only the facts the queries read. It
lives under the work folder and is reused while the template and the size are the same. Every query
is a named function of the storage package (``vnfacts.publish.queries``, ``.search``).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from .common import WORK_DIR, latency_summary, load_corpus, new_record, print_table, ratio

FULL = {"articles": 1_000_000, "runs": 30, "budget_s": 12.0, "growth": (10_000, 100_000)}
QUICK = {"articles": 3_000, "runs": 3, "budget_s": 2.0, "growth": (1_000,)}
TARGET_CITATION_P95_MS = 50.0
TARGET_CANNED_MEDIAN_MS = 50.0  # every canned query and page, at a million articles
# Datasette shows at most this many rows of a query (its max_returned_rows); it fetches one more
# to know there are more. Its sql_time_limit_ms (1 s by default) stops slower queries.
DATASETTE_MAX_ROWS = 1000


def template_db(work_dir: Path, quick: bool) -> Path:
    """The loading benchmark's database of the real corpus; built when missing or written by
    another schema version (its facts could not be compared, nor replicated into this one)."""
    from vnfacts.publish.schema import SCHEMA_VERSION

    from .extraction import extractions_for
    from .loading import LOAD_DB, QUICK_ARTICLES, build_load_db

    path = work_dir / (f"quick-{LOAD_DB}" if quick else LOAD_DB)
    if not path.exists() or _schema_version(path) != SCHEMA_VERSION:
        corpus, _ = load_corpus()
        docs = corpus[:QUICK_ARTICLES] if quick else corpus
        build_load_db(path, docs, extractions_for(docs, work_dir, cache=not quick))
    return path


def _schema_version(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _template_key(template: Path) -> str:
    """A checksum of the template's content: reloading the same facts gives the same key."""
    import hashlib

    from vnfacts.publish.load import fact_checksums

    return hashlib.sha1(json.dumps(fact_checksums(template), sort_keys=True).encode()).hexdigest()[:16]


def synthetic_db(work_dir: Path, template: Path, n_articles: int) -> tuple[Path, dict[str, Any]]:
    """The synthetic database of ``n_articles``, reused when built by this schema from this
    template, else built."""
    from vnfacts.publish.schema import SCHEMA_VERSION
    from vnfacts.publish.synthetic import read_notes

    path = work_dir / f"search-{n_articles}.db"
    notes = read_notes(path) if path.exists() else {}
    if (notes.get("template") == _template_key(template) and int(notes.get("articles", -1)) == n_articles
            and notes.get("schema") == str(SCHEMA_VERSION)):
        return path, {"reused": True, **json.loads(notes["build"])}
    return path, {"reused": False, **build_synthetic(path, template, n_articles)}


def build_synthetic(path: Path, template: Path, n_articles: int) -> dict[str, Any]:
    """Build the database beside ``path`` and move it there once whole, noting what it was built from."""
    from vnfacts.publish.schema import SCHEMA_VERSION
    from vnfacts.publish.synthetic import REPLICATED_LABELS, build_synthetic as build, write_notes

    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    built = build(tmp, template, n_articles)
    result = {"seconds": round(time.perf_counter() - started, 1), **built,
              "replicated_labels": [*REPLICATED_LABELS, "FIGURE in their sentences"]}
    write_notes(tmp, {"template": _template_key(template), "articles": str(n_articles), "schema": str(SCHEMA_VERSION),
                      "build": json.dumps(result)})
    tmp.replace(path)
    return result


# -- queries --------------------------------------------------------------------------------
def citation_queries(conn) -> dict[str, list[str]]:
    """Written forms of the most and the least cited document, and of one nobody cites."""
    from vnfacts.extractor.clean import fold_query
    from vnfacts.publish.queries import cited_documents

    docs = cited_documents(conn)
    if not docs:
        return {"not cited": ["Quyết định 99999"]}
    out = {}
    for name, doc in (("most cited", docs[0]), ("least cited", docs[-1])):
        doc_id, doc_type, number = doc["id"], doc["type"], doc["number"]
        out[f"{name} ({doc_id})"] = [doc_id, f"{doc_type} {number}", f"{doc_type} số {number}",
                                     fold_query(f"{doc_type} {number}")]
    out["not cited"] = ["Quyết định số 99999/QĐ-TTg"]
    return out


def canned_params(conn) -> dict[str, str]:
    """Parameters a user would type: the document most events cite (as `TYPE NUMBER`), the most
    mentioned programme's name without diacritics."""
    from vnfacts.extractor.clean import fold_query
    from vnfacts.publish.queries import document_most_cited_by_events, most_mentioned_programme

    doc = document_most_cited_by_events(conn)
    programme = most_mentioned_programme(conn)
    return {"doc": f"{doc['type']} {doc['number']}" if doc else "Quyết định 1438",
            "programme": fold_query(programme) if programme else "chuong trinh"}


def timed_runs(fn, runs: int, budget_s: float) -> tuple[list[float], Any]:
    """One untimed warm-up, then up to ``runs`` timed runs (at least 3) within ``budget_s``."""
    result = fn()
    times: list[float] = []
    spent = 0.0
    while len(times) < runs and (len(times) < 3 or spent < budget_s):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
        spent += times[-1]
    return times, result


def run(quick: bool = False, work_dir: Path = WORK_DIR, sizes: dict | None = None) -> dict[str, Any]:
    from vnfacts.extractor.clean import fold_query
    from vnfacts.publish.queries import connect_read_only, facts_per_article, like_scan, query_plan
    from vnfacts.publish.search import MAX_RESULTS, MENTIONS_OF_DOCUMENT, search
    from vnfacts.publish.serve import open_read_only
    from vnfacts.publish.site import prepare_connection

    sizes = {**(QUICK if quick else FULL), **(sizes or {})}
    record = new_record("search", quick)
    work_dir.mkdir(parents=True, exist_ok=True)
    template = template_db(work_dir, quick)
    path, build = synthetic_db(work_dir, template, sizes["articles"])
    record["database"] = {"articles": sizes["articles"], "bytes": os.path.getsize(path), "build": build,
                          "note": "synthetic: template articles replicated with new ids, dates and provinces; "
                                  "no body text, only the facts the queries read, full-text indexes empty"}
    t = connect_read_only(template)
    per_article_real = facts_per_article(t)
    t.close()
    per_article_here = build["rows"]["mentions"] / max(1, build["rows"]["articles"])
    record["database"]["mentions_per_article"] = {"real_corpus": round(per_article_real, 2), "synthetic": round(per_article_here, 2)}
    record["database"]["caveat"] = (f"a query whose plan SCANs mentions reads {per_article_here:.2f} facts per article here "
                                    f"but {per_article_real:.1f} in a real database: expect it about "
                                    f"{per_article_real / max(per_article_here, 1e-9):.0f}x slower there; index searches are not affected")
    conn = open_read_only(path)
    prepare_connection(conn)  # the site's SQL functions, as its plugin registers them

    citations: dict[str, Any] = {}
    all_times: list[float] = []
    for group, forms in citation_queries(conn).items():
        for q in forms:
            times, answer = timed_runs(lambda q=q: search(conn, q), sizes["runs"], sizes["budget_s"])
            all_times += times
            citations[q] = {"group": group, "kind": answer.kind, "documents": len(answer.documents),
                            "matches": len(answer.matches), **latency_summary(times)}
    overall = latency_summary(all_times)

    most_cited_id, first_doc = next(iter(citation_queries(conn).values()))[:2]
    params = canned_params(conn)
    canned = time_canned_queries(conn, params, sizes["runs"], sizes["budget_s"])

    # The alternative: a LIKE scan for the most cited document's number, over every fact.
    number = first_doc.split()[-1]
    like_times, like_rows = timed_runs(lambda: like_scan(conn, fold_query(number)), max(3, sizes["runs"] // 10),
                                       sizes["budget_s"])
    most_cited = [v["median_ms"] for v in citations.values() if v["group"] == next(iter(citations.values()))["group"]]
    like = {"query": f"text_folded LIKE '%{fold_query(number)}%'", "rows": len(like_rows), **latency_summary(like_times)}
    record["citation_search"] = {"queries": citations, "all": overall, "target_p95_ms": TARGET_CITATION_P95_MS,
                                 "target_met": overall["p95_ms"] < TARGET_CITATION_P95_MS}
    record["canned_queries"] = canned
    record["canned_target_median_ms"] = TARGET_CANNED_MEDIAN_MS
    record["canned_target_met"] = all(v["median_ms"] < TARGET_CANNED_MEDIAN_MS for v in canned.values())
    record["citation_search"]["plan_of_cited_sentences"] = query_plan(conn, MENTIONS_OF_DOCUMENT, [most_cited_id, MAX_RESULTS])
    conn.close()
    record["like_scan"] = like
    record["ratio_like_scan_vs_citation_search_median"] = ratio(like["median_ms"], sorted(most_cited)[len(most_cited) // 2])

    print_table(f"Citation search on {sizes['articles']:,} articles ({os.path.getsize(path) / 1e9:.2f} GB)",
                ["query", "matches", "median ms", "p95 ms"],
                [[q, v["matches"], v["median_ms"], v["p95_ms"]] for q, v in citations.items()]
                + [["all citation queries", None, overall["median_ms"], overall["p95_ms"]],
                   [f"LIKE scan (Datasette 'contains') {number}", like["rows"], like["median_ms"], like["p95_ms"]]])
    print(f"ratio: LIKE scan / citation search = {record['ratio_like_scan_vs_citation_search_median']}x (median); "
          f"citation p95 {overall['p95_ms']} ms (target < {TARGET_CITATION_P95_MS:.0f}: "
          f"{'met' if record['citation_search']['target_met'] else 'NOT met'})")
    print_table("Canned queries", ["query", "rows", "median ms", "p95 ms", "CPU median ms", "scans mentions"],
                [[name, v["rows"], v["median_ms"], v["p95_ms"], v["cpu_median_ms"], "yes" if "SCAN m" in v["plan"] else "no"]
                 for name, v in canned.items()])
    print(f"caveat: {record['database']['caveat']}")
    pages = time_pages(path, sizes["runs"], sizes["budget_s"])
    record["pages"] = pages
    record["pages_target_met"] = all(v["median_ms"] < TARGET_CANNED_MEDIAN_MS for v in pages.values())
    print_table("Pages (a real Datasette on 127.0.0.1, HTTP GET, the whole response; the server's CPU a request)",
                ["page", "status", "KB", "median ms", "p95 ms", "server CPU ms"],
                [[name, v["status"], round(v["bytes"] / 1000, 1), v["median_ms"], v["p95_ms"], v["server_cpu_ms"]]
                 for name, v in pages.items()])
    record["canned_queries_growth"] = canned_growth(work_dir, template, sizes, params, canned)
    growth = record["canned_queries_growth"]
    print_table("Canned queries as the database grows (median ms, wall / CPU)",
                ["query", *(f"{n:,}" for n in growth["articles"])],
                [[name, *(f"{w} / {c}" for w, c in zip(ms, growth["cpu_median_ms"][name]))]
                 for name, ms in growth["median_ms"].items()])
    return record


def time_canned_queries(conn, params: dict[str, str], runs: int, budget_s: float) -> dict[str, Any]:
    """Each canned query's and dashboard chart's rows, latencies and plan, with the parameters a user
    would type (the charts unfiltered, as the dashboard opens)."""
    from vnfacts.publish.queries import canned_queries, canned_query_rows, dashboard_chart_queries, query_plan

    canned: dict[str, Any] = {}
    queries = {**canned_queries(), **{f"chart {name}": sql for name, sql in dashboard_chart_queries().items()}}
    for name, sql in queries.items():
        wanted = {k: v for k, v in params.items() if f":{k}" in sql}
        times, rows = timed_runs(lambda sql=sql, wanted=wanted: canned_query_rows(conn, sql, wanted, DATASETTE_MAX_ROWS + 1),
                                 runs, budget_s)
        canned[name] = {"params": wanted, "rows": len(rows), **latency_summary(times),
                        "cpu_median_ms": cpu_median_ms(lambda sql=sql, wanted=wanted: canned_query_rows(
                            conn, sql, wanted, DATASETTE_MAX_ROWS + 1)),
                        "plan": query_plan(conn, sql, wanted)}
    return canned


def site_pages(conn, database: str) -> dict[str, str]:
    """The project's pages a user opens, by name -> path: the home page's overview, the dashboard,
    the citation search for the most cited document, the programme list and the most mentioned
    programme's page, the article with the most facts, the maps of events and of programme mentions,
    and Datasette's own page of the facts table (its count and facets over every fact)."""
    import urllib.parse

    from vnfacts.publish.queries import rows

    quote = lambda v: urllib.parse.quote(str(v), safe="")  # noqa: E731
    doc = rows(conn, "SELECT id FROM legal_documents ORDER BY articles DESC, id LIMIT 1")
    programme = rows(conn, "SELECT id FROM programmes ORDER BY mentions DESC, id LIMIT 1")
    article = rows(conn, "SELECT id FROM articles ORDER BY facts DESC, id LIMIT 1")
    pages = {"home (overview)": "/", "dashboard": "/-/dashboards/overview", "programme list": "/-/programmes",
             "map of events": "/-/map?measure=events", "map of programme mentions": "/-/map?measure=programme"}
    if doc:
        pages["citations (most cited)"] = "/-/citations?q=" + quote(doc[0]["id"])
    if programme:
        pages["programme (most mentioned)"] = "/-/programmes/" + quote(programme[0]["id"])
    if article:
        pages["article (most facts)"] = "/-/articles/" + quote(article[0]["id"])
    pages["table of facts (Datasette)"] = "/" + quote(database) + "/mentions"
    return pages


def time_pages(path: Path, runs: int, budget_s: float) -> dict[str, Any]:
    """Each page's status, size and latency, as a browser gets it from `vnfacts serve` on 127.0.0.1."""
    import urllib.error
    import urllib.request

    from vnfacts.publish.queries import connect_read_only
    from vnfacts.publish.serve import Site, database_name

    conn = connect_read_only(path)
    pages = site_pages(conn, database_name(path))
    conn.close()

    def get(url):
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                return response.status, len(response.read())
        except urllib.error.HTTPError as err:
            return err.code, len(err.read())

    out: dict[str, Any] = {}
    with Site(path) as site:
        for name, page in pages.items():
            get(site.url.rstrip("/") + page)  # each SQL thread's connection opened before the count
            before = process_cpu_ms(site.process.pid)
            times, (status, size) = timed_runs(lambda page=page: get(site.url.rstrip("/") + page), runs, budget_s)
            spent = process_cpu_ms(site.process.pid)
            out[name] = {"path": page, "status": status, "bytes": size, **latency_summary(times),
                         "server_cpu_ms": None if before is None else round((spent - before) / (len(times) + 1), 1)}
    return out


def process_cpu_ms(pid: int) -> float | None:
    """The CPU time (user and system, every thread) a process has used so far, from Linux's /proc
    (None elsewhere): a page's cost to the server, which the machine's other jobs do not stretch
    as they stretch its wall time. Counted in clock ticks (10 ms): meaningful over many requests."""
    try:
        ticks = 0
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def cpu_median_ms(fn, runs: int = 5) -> float:
    """The median CPU time of ``fn`` (this process): on a shared machine, the wall time of a query
    whose pages are cached is this CPU time stretched by the other jobs, so this is the steadier figure."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return round(sorted(times)[len(times) // 2], 2)


def canned_growth(work_dir: Path, template: Path, sizes: dict, params: dict[str, str],
                  largest: dict[str, Any]) -> dict[str, Any]:
    """The canned queries' medians on smaller synthetic databases (the same parameters), beside the
    largest one's: how each grows with the database."""
    from vnfacts.publish.serve import open_read_only
    from vnfacts.publish.site import prepare_connection

    medians: dict[str, list[float]] = {name: [] for name in largest}
    cpu: dict[str, list[float]] = {name: [] for name in largest}
    for n in sizes["growth"]:
        path, _ = synthetic_db(work_dir, template, n)
        conn = open_read_only(path)
        prepare_connection(conn)
        for name, figures in time_canned_queries(conn, params, sizes["runs"], sizes["budget_s"] / 4).items():
            medians[name].append(figures["median_ms"])
            cpu[name].append(figures["cpu_median_ms"])
        conn.close()
    for name, figures in largest.items():
        medians[name].append(figures["median_ms"])
        cpu[name].append(figures["cpu_median_ms"])
    return {"articles": [*sizes["growth"], sizes["articles"]], "median_ms": medians, "cpu_median_ms": cpu}
