"""A synthetic vnfacts database of any size, built by SQL from a real one, to measure search at
scale (``python -m bench search``).

Each article of the template (a database `vnfacts load` wrote) is replicated with its own id, a
date shifted by up to ten years and a province cycling through the 63; with it, its citations,
programme mentions, the figures in the sentences of those mentions (what the canned queries read),
its events, their organizers and cited documents. To stay within minutes and a few GB, synthetic
articles carry no body text, their other facts (dates, places, organizations, other figures) are
left out and the full-text indexes stay empty: neither the citation search nor the canned queries
read them. The schema is the real one (`schema.ensure_schema`).
"""
from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

from .derived import rebuild_derived
from .schema import ensure_schema, fill_programme_rows, refresh_statistics

# The facts the citation search and the canned queries read; the rest are not replicated.
REPLICATED_LABELS = ("LEGAL_REF", "PROGRAM")
NOTES_TABLE = "bench_meta"  # what the database was built from, for whoever reuses it


def build_synthetic(path: str | Path, template: str | Path, n_articles: int) -> dict[str, Any]:
    """Write a database of ``n_articles`` synthetic articles to the new file ``path``, replicated
    from ``template``. Returns the template's size, the replicas made and the rows per table."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # a scratch file, rebuilt from scratch after a crash
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -400000")
        conn.execute("PRAGMA temp_store = MEMORY")
        ensure_schema(conn)
        _drop_indexes_and_triggers(conn)  # bulk insert first, indexes after
        conn.execute("ATTACH DATABASE ? AS t", (str(template),))
        conn.execute("BEGIN")
        n_template, replicas = _plan_articles(conn, n_articles)
        _copy_facts(conn)
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE t")
        ensure_schema(conn)  # the schema's own indexes, now over the whole data
        conn.execute("BEGIN")
        fill_programme_rows(conn)
        rebuild_derived(conn)  # the summary tables, legal documents and programmes, as loads keep them
        refresh_statistics(conn)  # as every load leaves them
        counts = {table: conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
                  for table in ("articles", "mentions", "events", "event_documents", "event_organizers",
                                "legal_documents", "programmes")}
        conn.execute("COMMIT")
    finally:
        conn.close()
    return {"template_articles": n_template, "replicas": replicas, "rows": counts}


def _drop_indexes_and_triggers(conn: sqlite3.Connection) -> None:
    """The secondary indexes and the full-text triggers: cheaper rebuilt once than kept up to date."""
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER [{name}]")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX [{name}]")


def _plan_articles(conn: sqlite3.Connection, n_articles: int) -> tuple[int, int]:
    """Insert the synthetic articles, each with its template, id, day shift and province (kept in
    ``temp.syn`` for the facts). Returns the template's article count and the replicas needed."""
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
    return n_template, replicas


def _copy_facts(conn: sqlite3.Connection) -> None:
    """Each synthetic article's facts and events, from its template article's."""
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


def write_notes(path: str | Path, notes: dict[str, str]) -> None:
    """Keep ``notes`` (what the database was built from) in the database itself."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute(f"CREATE TABLE IF NOT EXISTS {NOTES_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany(f"INSERT OR REPLACE INTO {NOTES_TABLE} VALUES (?, ?)", list(notes.items()))
        conn.execute("COMMIT")
    finally:
        conn.close()


def read_notes(path: str | Path) -> dict[str, str]:
    """The notes `write_notes` kept; empty when the file has none or is not a database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute(f"SELECT key, value FROM {NOTES_TABLE}"))
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
