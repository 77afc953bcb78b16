"""Search latency on a synthetic database of 1 million articles: the citation search (any written
form, `vnfacts.publish.search.search`) and the site's canned queries (`publish/site/metadata.yaml`), against
what a user would otherwise do in Datasette: a "contains" filter, i.e. a ``LIKE`` scan of the facts.

The database is built by SQL from the real one the loading benchmark writes (``load.db``, the
corpus's articles and facts), into the real schema (``vnfacts.publish.schema.ensure_schema``): each template
article is replicated with its own id, a date shifted by up to ten years and a province cycling
through the 63; with it, its citations, programme mentions, the figures in the sentences of those
mentions (what the canned queries read), its events, their organizers and cited documents. To stay
within minutes and a few GB, synthetic articles carry no body text, their other facts (dates,
places, organizations, other figures) are left out and the full-text indexes stay empty: neither
the citation search nor the canned queries read them. The database lives under the work folder
and is reused while the template and the size are the same.
"""
from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import yaml

from .common import (REPO, WORK_DIR, latency_summary, load_corpus, new_record, print_table, ratio)

FULL = {"articles": 1_000_000, "runs": 30, "budget_s": 12.0}
QUICK = {"articles": 3_000, "runs": 3, "budget_s": 2.0}
TARGET_CITATION_P95_MS = 50.0
# Datasette shows at most this many rows of a query (its max_returned_rows); it fetches one more
# to know there are more. Its sql_time_limit_ms (1 s by default) stops slower queries.
DATASETTE_MAX_ROWS = 1000
# The facts the citation search and the canned queries read; the rest are not replicated.
REPLICATED_LABELS = ("LEGAL_REF", "PROGRAM")


def template_db(work_dir: Path, quick: bool) -> Path:
    """The loading benchmark's database of the real corpus; built when missing."""
    from .extraction import extractions_for
    from .loading import LOAD_DB, QUICK_ARTICLES, build_load_db

    path = work_dir / (f"quick-{LOAD_DB}" if quick else LOAD_DB)
    if not path.exists():
        corpus, _ = load_corpus()
        docs = corpus[:QUICK_ARTICLES] if quick else corpus
        build_load_db(path, docs, extractions_for(docs, work_dir, cache=not quick))
    return path


def _template_key(template: Path) -> str:
    """A checksum of the template's content: reloading the same facts gives the same key."""
    import hashlib

    from vnfacts.publish.load import fact_checksums

    return hashlib.sha1(json.dumps(fact_checksums(template), sort_keys=True).encode()).hexdigest()[:16]


def synthetic_db(work_dir: Path, template: Path, n_articles: int) -> tuple[Path, dict[str, Any]]:
    """The synthetic database of ``n_articles``, reused when valid, else built."""
    path = work_dir / f"search-{n_articles}.db"
    if path.exists():
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            meta = dict(conn.execute("SELECT key, value FROM bench_meta"))
            conn.close()
            if meta.get("template") == _template_key(template) and int(meta.get("articles", -1)) == n_articles:
                return path, {"reused": True, **json.loads(meta["build"])}
        except sqlite3.Error:
            pass
    return path, {"reused": False, **build_synthetic(path, template, n_articles)}


def build_synthetic(path: Path, template: Path, n_articles: int) -> dict[str, Any]:
    from vnfacts.publish.schema import ensure_schema

    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")  # a scratch file, rebuilt from scratch after a crash
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    conn.execute("PRAGMA temp_store = MEMORY")
    ensure_schema(conn)
    # Bulk insert first, indexes after: drop the secondary indexes and the full-text triggers.
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER [{name}]")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX [{name}]")
    conn.execute("ATTACH DATABASE ? AS t", (str(template),))
    conn.execute("BEGIN")
    conn.execute("""CREATE TEMP TABLE tpl AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, title, source, licence, facts, events, title_folded,
               CASE length(date) WHEN 4 THEN date || '-07-01' WHEN 7 THEN date || '-15'
                    ELSE coalesce(date, '2024-07-01') END AS base_date
        FROM t.articles""")
    n_template = conn.execute("SELECT count(*) FROM temp.tpl").fetchone()[0]
    replicas = math.ceil(n_articles / n_template)
    conn.execute("CREATE TEMP TABLE prov AS SELECT row_number() OVER (ORDER BY name) - 1 AS i, name, province_today FROM provinces")
    n_prov = conn.execute("SELECT count(*) FROM temp.prov").fetchone()[0]
    # One row per synthetic article: its template, id, day shift and province.
    conn.execute("""CREATE TEMP TABLE syn AS
        WITH RECURSIVE r(r) AS (SELECT 0 UNION ALL SELECT r + 1 FROM r WHERE r + 1 < :replicas)
        SELECT r.r * :n + a.i AS k, a.id AS src, printf('syn%07d', r.r * :n + a.i) AS id,
               (r.r * 7919 + a.i * 104729) % 3650 AS shift, p.name AS province, p.province_today,
               date(a.base_date, printf('-%d days', (r.r * 7919 + a.i * 104729) % 3650)) AS date
        FROM r CROSS JOIN temp.tpl a JOIN temp.prov p ON p.i = (r.r * 31 + a.i) % :nprov
        WHERE r.r * :n + a.i < :total ORDER BY k""",
                 {"replicas": replicas, "n": n_template, "nprov": n_prov, "total": n_articles})
    conn.execute("CREATE INDEX temp.syn_src ON syn(src)")
    conn.execute("""INSERT INTO articles (id, title, url, source, licence, published, date, date_source, year,
                                          province, province_today, facts, events, text, title_folded, text_folded)
        SELECT s.id, a.title, NULL, a.source, a.licence, NULL, s.date, 'synthetic', CAST(substr(s.date, 1, 4) AS INTEGER),
               s.province, s.province_today, a.facts, a.events, NULL, a.title_folded, NULL
        FROM temp.syn s JOIN temp.tpl a ON a.id = s.src
        ORDER BY s.k""")
    labels = ", ".join(f"'{label}'" for label in REPLICATED_LABELS)
    # Citations and programme mentions, plus the figures in the same sentences (figures_for_programme).
    conn.execute(f"""CREATE TEMP TABLE tm AS SELECT m.* FROM t.mentions m
        WHERE m.label IN ({labels}) OR (m.label = 'FIGURE' AND EXISTS (
            SELECT 1 FROM t.mentions p WHERE p.article_id = m.article_id AND p.sentence_index = m.sentence_index
            AND p.label = 'PROGRAM'))""")
    conn.execute("""INSERT INTO mentions (id, article_id, position, label, start, [end], sentence_index, sentence, text,
                                          text_folded, doc_id, doc_type, programme_id, period, name, date_value, value,
                                          unit, qualifier, of_value, province, province_today, norm, date, year)
        SELECT s.id || substr(m.id, length(m.article_id) + 1), s.id, m.position, m.label, m.start, m.[end],
               m.sentence_index, m.sentence, m.text, m.text_folded, m.doc_id, m.doc_type, m.programme_id, m.period,
               m.name, m.date_value, m.value, m.unit, m.qualifier, m.of_value, m.province, m.province_today, m.norm,
               a.date, a.year
        FROM temp.syn s JOIN temp.tm m ON m.article_id = s.src JOIN articles a ON a.id = s.id
        ORDER BY s.k, m.position""")
    conn.execute("""INSERT INTO events (id, article_id, position, is_main, type, date, year, province, province_today,
                                        location, participants, sentence_index, sentence)
        SELECT s.id || substr(e.id, length(e.article_id) + 1), s.id, e.position, e.is_main, e.type,
               date(CASE length(e.date) WHEN 4 THEN e.date || '-07-01' WHEN 7 THEN e.date || '-15' ELSE e.date END, printf('-%d days', s.shift)),
               CAST(substr(date(CASE length(e.date) WHEN 4 THEN e.date || '-07-01' WHEN 7 THEN e.date || '-15' ELSE e.date END, printf('-%d days', s.shift)), 1, 4) AS INTEGER), CASE WHEN e.province IS NULL THEN NULL ELSE s.province END,
               CASE WHEN e.province IS NULL THEN NULL ELSE s.province_today END, e.location, e.participants,
               e.sentence_index, e.sentence
        FROM temp.syn s JOIN t.events e ON e.article_id = s.src
        ORDER BY s.k, e.position""")
    conn.execute("""INSERT INTO event_organizers (event_id, position, name)
        SELECT s.id || substr(o.event_id, length(e.article_id) + 1), o.position, o.name
        FROM temp.syn s JOIN t.events e ON e.article_id = s.src JOIN t.event_organizers o ON o.event_id = e.id""")
    conn.execute("""INSERT INTO event_documents (event_id, doc_id)
        SELECT s.id || substr(x.event_id, length(e.article_id) + 1), x.doc_id
        FROM temp.syn s JOIN t.events e ON e.article_id = s.src JOIN t.event_documents x ON x.event_id = e.id""")
    conn.execute("INSERT INTO legal_documents SELECT * FROM t.legal_documents")
    conn.execute("INSERT INTO programmes SELECT * FROM t.programmes")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE t")
    ensure_schema(conn)  # the schema's own indexes, now over the whole data
    # Counts of the derived tables over the synthetic articles (what refresh_derived would write).
    conn.execute("BEGIN")
    conn.execute("""UPDATE legal_documents SET mentions = c.n, articles = c.a FROM (
        SELECT doc_id, count(*) AS n, count(DISTINCT article_id) AS a FROM mentions WHERE doc_id IS NOT NULL
        GROUP BY doc_id) c WHERE c.doc_id = legal_documents.id""")
    conn.execute("""UPDATE legal_documents SET events = c.n FROM (
        SELECT doc_id, count(DISTINCT event_id) AS n FROM event_documents GROUP BY doc_id) c
        WHERE c.doc_id = legal_documents.id""")
    conn.execute("""UPDATE programmes SET mentions = c.n, articles = c.a FROM (
        SELECT programme_id, count(*) AS n, count(DISTINCT article_id) AS a FROM mentions
        WHERE programme_id IS NOT NULL GROUP BY programme_id) c WHERE c.programme_id = programmes.id""")
    counts = {table: conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
              for table in ("articles", "mentions", "events", "event_documents", "event_organizers",
                            "legal_documents", "programmes")}
    build = {"seconds": round(time.perf_counter() - started, 1), "template_articles": n_template,
             "replicas": replicas, "rows": counts, "replicated_labels": [*REPLICATED_LABELS, "FIGURE in their sentences"]}
    conn.execute("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.executemany("INSERT INTO bench_meta VALUES (?, ?)", [
        ("template", _template_key(template)), ("articles", str(n_articles)), ("build", json.dumps(build))])
    conn.execute("COMMIT")
    conn.close()
    tmp.replace(path)
    return build


# -- queries --------------------------------------------------------------------------------
def citation_queries(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Written forms of the most and the least cited document, and of one nobody cites."""
    from vnfacts.extractor.clean import fold_query

    docs = conn.execute("SELECT id, type, number FROM legal_documents WHERE type IS NOT NULL AND number IS NOT NULL"
                        " AND articles > 0 ORDER BY articles DESC, id").fetchall()
    if not docs:
        return {"not cited": ["Quyết định 99999"]}
    out = {}
    for name, (doc_id, doc_type, number) in (("most cited", docs[0]), ("least cited", docs[-1])):
        out[f"{name} ({doc_id})"] = [doc_id, f"{doc_type} {number}", f"{doc_type} số {number}",
                                     fold_query(f"{doc_type} {number}")]
    out["not cited"] = ["Quyết định số 99999/QĐ-TTg"]
    return out


def canned_queries() -> dict[str, str]:
    metadata = yaml.safe_load((REPO / "publish" / "site" / "metadata.yaml").read_text(encoding="utf-8"))
    return {name: q["sql"] for name, q in metadata["databases"]["DATABASE"]["queries"].items()}


def canned_params(conn: sqlite3.Connection) -> dict[str, str]:
    """Parameters a user would type: the document most events cite (as `TYPE NUMBER`), the most
    mentioned programme's name without diacritics."""
    from vnfacts.extractor.clean import fold_query

    doc = conn.execute("SELECT type, number FROM legal_documents WHERE type IS NOT NULL AND number IS NOT NULL"
                       " ORDER BY events DESC, articles DESC, id LIMIT 1").fetchone()
    row = conn.execute("SELECT name FROM programmes ORDER BY mentions DESC, id LIMIT 1").fetchone()
    return {"doc": f"{doc[0]} {doc[1]}" if doc else "Quyết định 1438",
            "programme": fold_query(row[0]) if row else "chuong trinh"}


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


# The citation search's slowest part: the cited sentences, ordered by date (publish/search.py).
CITATION_MENTIONS_SQL = """SELECT m.article_id, m.sentence, a.date FROM mentions m JOIN articles a ON a.id = m.article_id
    WHERE m.doc_id IN (?) ORDER BY a.date IS NULL, a.date, m.article_id, m.position LIMIT 500"""


def query_plan(conn: sqlite3.Connection, sql: str, params) -> list[str]:
    """SQLite's plan for ``sql``: where its time goes (index searches, scans, temporary sorts)."""
    return [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def like_scan(conn: sqlite3.Connection, words: str, limit: int = 500) -> list:
    """Datasette's "contains" filter on the facts, ordered like the citation search."""
    return conn.execute("""SELECT m.article_id, m.sentence, m.text, a.date, a.province
        FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE m.text_folded LIKE '%' || ? || '%' ORDER BY a.date, m.article_id, m.position LIMIT ?""",
                        (words, limit)).fetchall()


def run(quick: bool = False, work_dir: Path = WORK_DIR, sizes: dict | None = None) -> dict[str, Any]:
    from vnfacts.extractor.clean import fold_query
    from vnfacts.publish.search import document_matches, search
    from vnfacts.publish.serve import open_read_only

    sizes = {**(QUICK if quick else FULL), **(sizes or {})}
    record = new_record("search", quick)
    work_dir.mkdir(parents=True, exist_ok=True)
    template = template_db(work_dir, quick)
    path, build = synthetic_db(work_dir, template, sizes["articles"])
    record["database"] = {"articles": sizes["articles"], "bytes": os.path.getsize(path), "build": build,
                          "note": "synthetic: template articles replicated with new ids, dates and provinces; "
                                  "no body text, only the facts the queries read, full-text indexes empty"}
    with sqlite3.connect(f"file:{template}?mode=ro", uri=True) as t:
        per_article_real = t.execute("SELECT 1.0 * (SELECT count(*) FROM mentions) / max(1, (SELECT count(*) FROM articles))").fetchone()[0]
    per_article_here = build["rows"]["mentions"] / max(1, build["rows"]["articles"])
    record["database"]["mentions_per_article"] = {"real_corpus": round(per_article_real, 2), "synthetic": round(per_article_here, 2)}
    record["database"]["caveat"] = (f"a query whose plan SCANs mentions reads {per_article_here:.2f} facts per article here "
                                    f"but {per_article_real:.1f} in a real database: expect it about "
                                    f"{per_article_real / max(per_article_here, 1e-9):.0f}x slower there; index searches are not affected")
    conn = open_read_only(path)
    conn.create_function("vn_fold", 1, lambda text: fold_query(text) if isinstance(text, str) else text,
                         deterministic=True)  # as the site's plugin registers them
    conn.create_function("vn_cites", 6, document_matches, deterministic=True)

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
    canned: dict[str, Any] = {}
    for name, sql in canned_queries().items():
        wanted = {k: v for k, v in params.items() if f":{k}" in sql}
        times, rows = timed_runs(lambda sql=sql, wanted=wanted: conn.execute(sql, wanted).fetchmany(DATASETTE_MAX_ROWS + 1),
                                 sizes["runs"], sizes["budget_s"])
        canned[name] = {"params": wanted, "rows": len(rows), **latency_summary(times),
                        "plan": query_plan(conn, sql, wanted)}

    # The alternative: a LIKE scan for the most cited document's number, over every fact.
    number = first_doc.split()[-1]
    like_times, like_rows = timed_runs(lambda: like_scan(conn, fold_query(number)), max(3, sizes["runs"] // 10),
                                       sizes["budget_s"])
    most_cited = [v["median_ms"] for v in citations.values() if v["group"] == next(iter(citations.values()))["group"]]
    like = {"query": f"text_folded LIKE '%{fold_query(number)}%'", "rows": len(like_rows), **latency_summary(like_times)}
    record["citation_search"] = {"queries": citations, "all": overall, "target_p95_ms": TARGET_CITATION_P95_MS,
                                 "target_met": overall["p95_ms"] < TARGET_CITATION_P95_MS}
    record["canned_queries"] = canned
    record["citation_search"]["plan_of_cited_sentences"] = query_plan(conn, CITATION_MENTIONS_SQL, [most_cited_id])
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
    print_table("Canned queries", ["query", "rows", "median ms", "p95 ms", "scans mentions"],
                [[name, v["rows"], v["median_ms"], v["p95_ms"], "yes" if "SCAN m" in v["plan"] else "no"]
                 for name, v in canned.items()])
    print(f"caveat: {record['database']['caveat']}")
    return record
