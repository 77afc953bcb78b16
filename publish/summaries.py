"""Counts of the facts kept up to date by every load, so that the site's overview, charts, maps and
programme queries read a few rows instead of every fact (at a million articles, counting the facts
by label took 1.5 s; the summary has a few hundred rows).

Each summary table counts facts by a key of their columns. What one article adds to each table is
a function of its own rows alone (`contributions`), so the transaction that replaces an article
subtracts what its stored rows added and adds what its new rows add (`Delta`, applied once per
batch of articles, in the batch's transaction): every table then holds, at every commit, what
counting all the facts would give. `rebuild_summaries` counts them all anew the same way (a file
from before these tables; the tests compare both).

``summary_values`` holds, for each legal document and programme, every value its facts give a
field (a document's type, number, year, code, issuer, signing date; a programme's name, approving
document, period) with how many facts give it, and the counts of its mentions, articles and events:
the derived tables' rows (:mod:`vnfacts.publish.derived`) are read from it, so a load never reads
all the mentions of a document cited a million times.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any, Iterable

# table -> (key columns, count columns); a NULL in a key is a value of its own (`IS` compares them)
SUMMARIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # articles by province, date source and year: the overview, its charts, the map of articles
    "summary_articles": (("province", "date_source", "year"), ("articles",)),
    # facts by label and their article's province and date source: the overview's charts
    "summary_mentions": (("label", "province", "date_source"), ("mentions",)),
    # programme mentions by programme and their article's province and date source: the maps
    "summary_programme_mentions": (("programme_id", "province", "date_source"), ("mentions",)),
    # events by type, year, their own province, their article's province and date source
    "summary_events": (("type", "year", "province", "article_province", "date_source"), ("events",)),
    # citations of each legal document by their article's province and date source (articles:
    # an article has one province and one date source, so the counts add up over them)
    "summary_citations": (("doc_id", "province", "date_source"), ("mentions", "articles")),
    # ("document" | "programme", id, field, value) -> how many facts give it; the field `#mentions`,
    # `#articles`, `#events` (value '') counts them
    "summary_values": (("kind", "id", "field", "value"), ("n",)),
}
DOCUMENT_FIELDS = ("type", "number", "year", "code", "issuer", "signed")  # from a citation's norm
PROGRAMME_FIELDS = ("ref", "period")  # from a programme mention's norm (its name is a column)
COUNT_FIELDS = ("#mentions", "#articles", "#events")


def summary_table_sql(table: str) -> str:
    """The statement creating ``table``. Columns carry no type: a value is stored as given (a
    document's number stays an integer, its code text)."""
    keys, counts = SUMMARIES[table]
    columns = ", ".join([*(f"[{k}]" for k in keys), *(f"[{c}] INTEGER NOT NULL" for c in counts)])
    return f"CREATE TABLE [{table}] ({columns})"


def summary_index_name(table: str) -> str:
    return f"idx_{table}_key"


def summary_index_sql(table: str) -> str:
    """The index a row of ``table`` is found by (its key): without it each count added reads the
    whole table."""
    return (f"CREATE INDEX IF NOT EXISTS [{summary_index_name(table)}] ON [{table}] "
            f"({', '.join(f'[{k}]' for k in SUMMARIES[table][0])})")


class Delta:
    """Counts to add to the summary tables: ``(table, key) -> [counts]``, negative to take away."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, tuple], list[int]] = {}

    def add(self, table: str, key: tuple, *counts: int, sign: int = 1) -> None:
        have = self.counts.setdefault((table, key), [0] * len(counts))
        for i, n in enumerate(counts):
            have[i] += sign * n

    def merge(self, other: "Delta", sign: int = 1) -> None:
        for (table, key), counts in other.counts.items():
            self.add(table, key, *counts, sign=sign)

    def touched(self, kind: str) -> set[str]:
        """The documents (``kind`` "document") or programmes whose values change."""
        return {key[1] for (table, key), counts in self.counts.items()
                if table == "summary_values" and key[0] == kind and any(counts)}

    def apply(self, conn: sqlite3.Connection) -> None:
        """Add the counts to the tables (inside the caller's transaction); a row whose counts all
        come to zero is deleted. A row to take from that is not there means the table was out of
        step with the facts: an error (the caller's transaction is rolled back)."""
        for (table, key), counts in self.counts.items():
            if not any(counts):
                continue
            keys, names = SUMMARIES[table]
            found = conn.execute(
                f"UPDATE [{table}] SET {', '.join(f'[{c}] = [{c}] + ?' for c in names)} "
                f"WHERE {' AND '.join(f'[{k}] IS ?' for k in keys)} RETURNING rowid, {', '.join(names)}",
                [*counts, *key]).fetchone()
            if found is None:
                if any(n < 0 for n in counts):
                    raise SummaryOutOfStepError(f"{table}: no row {key!r} to take {counts} from")
                conn.execute(f"INSERT INTO [{table}] VALUES ({', '.join('?' * (len(keys) + len(names)))})",
                             [*key, *counts])
            elif any(n < 0 for n in found[1:]):
                raise SummaryOutOfStepError(f"{table}: {key!r} would count {found[1:]}")
            elif not any(found[1:]):
                conn.execute(f"DELETE FROM [{table}] WHERE rowid = ?", (found[0],))


class SummaryOutOfStepError(Exception):
    """A summary table disagrees with the facts (a file changed behind the loader's back)."""


def contributions(article: dict, mentions: list[dict], events: list[dict], event_documents: list[dict]) -> Delta:
    """What one article adds to every summary table, from its rows: ``article`` (province,
    date_source, year), its ``mentions`` (id, label, doc_id, programme_id, name, norm as JSON),
    ``events`` (type, year, province) and
    ``event_documents`` (doc_id)."""
    delta = Delta()
    province, source = article["province"], article["date_source"]
    delta.add("summary_articles", (province, source, article["year"]), 1)
    for e in events:
        delta.add("summary_events", (e["type"], e["year"], e["province"], province, source), 1)
    cited: set[str] = set()
    named: set[str] = set()
    for m in mentions:
        delta.add("summary_mentions", (m["label"], province, source), 1)
        if m["doc_id"] is not None:
            doc_id, norm = m["doc_id"], json.loads(m["norm"] or "{}")
            delta.add("summary_citations", (doc_id, province, source), 1, int(doc_id not in cited))
            _add_values(delta, "document", doc_id, {f: norm.get(f) for f in DOCUMENT_FIELDS}, doc_id not in cited)
            cited.add(doc_id)
        if m["programme_id"] is not None:
            pid, norm = m["programme_id"], json.loads(m["norm"] or "{}")
            delta.add("summary_programme_mentions", (pid, province, source), 1)
            _add_values(delta, "programme", pid, {"name": m["name"], **{f: norm.get(f) for f in PROGRAMME_FIELDS}},
                        pid not in named)
            named.add(pid)
    for link in event_documents:
        delta.add("summary_values", ("document", link["doc_id"], "#events", ""), 1)
    return delta


def _add_values(delta: Delta, kind: str, key: str, values: dict[str, Any], first_in_article: bool) -> None:
    delta.add("summary_values", (kind, key, "#mentions", ""), 1)
    if first_in_article:
        delta.add("summary_values", (kind, key, "#articles", ""), 1)
    for field, value in values.items():
        if value not in (None, ""):
            delta.add("summary_values", (kind, key, field, value), 1)


# The stored rows `contributions` reads, as the loader writes them.
_ARTICLE_SQL = "SELECT id, province, date_source, year FROM articles WHERE id IN ({marks})"
_MENTIONS_SQL = ("SELECT article_id, id, label, doc_id, programme_id, name, norm FROM mentions"
                 " WHERE article_id IN ({marks}) ORDER BY article_id, position")
_EVENTS_SQL = ("SELECT article_id, type, year, province FROM events"
               " WHERE article_id IN ({marks})")
_EVENT_DOCUMENTS_SQL = ("SELECT e.article_id, x.doc_id FROM event_documents x JOIN events e ON e.id = x.event_id"
                        " WHERE e.article_id IN ({marks})")


def stored_contributions(conn: sqlite3.Connection, article_ids: list[str]) -> Delta:
    """What the stored rows of these articles add to the summary tables (nothing for an article
    the database does not hold)."""
    delta = Delta()
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        grouped: dict[str, dict[str, list]] = defaultdict(lambda: {"mentions": [], "events": [], "event_documents": []})
        articles = _dicts(conn, _ARTICLE_SQL.format(marks=marks), chunk)
        if not articles:
            continue
        for part, sql in (("mentions", _MENTIONS_SQL), ("events", _EVENTS_SQL), ("event_documents", _EVENT_DOCUMENTS_SQL)):
            for row in _dicts(conn, sql.format(marks=marks), chunk):
                grouped[row["article_id"]][part].append(row)
        for article in articles:
            rows = grouped[article["id"]]
            delta.merge(contributions(article, rows["mentions"], rows["events"], rows["event_documents"]))
    return delta


def _dicts(conn: sqlite3.Connection, sql: str, params: Iterable) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def rebuild_summaries(conn: sqlite3.Connection) -> None:
    """Count every summary table anew from all the facts (inside the caller's transaction)."""
    for table in SUMMARIES:
        conn.execute(f"DELETE FROM [{table}]")
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    total = Delta()  # as many keys as the tables have rows: written once, not once per chunk
    for start in range(0, len(ids), 5000):
        total.merge(stored_contributions(conn, ids[start:start + 5000]))
    total.apply(conn)


def field_values(conn: sqlite3.Connection, kind: str, key: str) -> dict[str, list[tuple[Any, int]]]:
    """The values the facts give each field of one document or programme, with how many give each
    (the counts under `#mentions`, `#articles`, `#events`)."""
    out: dict[str, list[tuple[Any, int]]] = defaultdict(list)
    for field, value, n in conn.execute("SELECT field, value, n FROM summary_values WHERE kind = ? AND id = ?",
                                        (kind, key)):
        out[field].append((value, n))
    return out


def programmes_tied_to(conn: sqlite3.Connection, doc_ids: set[str]) -> set[str]:
    """The programmes some mention ties to one of ``doc_ids`` (its norm's ``ref``)."""
    found: set[str] = set()
    ids = sorted(doc_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found |= {r[0] for r in conn.execute(
            "SELECT DISTINCT id FROM summary_values WHERE kind = 'programme' AND field = 'ref'"
            f" AND value IN ({', '.join('?' * len(chunk))})", chunk)}
    return found
