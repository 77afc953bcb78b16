"""The SQLite schema of the published facts (see README, "Storage and publishing").

One row per article, one per extracted fact (``mentions``), one per event, and the things facts
point at: legal documents (by canonical id), programmes (by a slug of their folded name) and
provinces (with the province each one belongs to since the 2025 merger). Foreign keys are declared
so Datasette links rows to each other; indexes sit where the canned queries and the citation
search filter or join.

Full-text search: ``articles_fts`` and ``mentions_fts`` index both the text as written and its
accent-folded twin (``vnfacts.extractor.clean.fold``), with the ``unicode61 remove_diacritics 2``
tokenizer. Old and new tone placement, case and diacritics are folded either way; ``đ``/``d``
only meet in the folded column, which is why it is there.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import sqlite_utils

from vnfacts.extractor.norms import columns as norm_columns

from .derived import rebuild_derived
from .programmes import PROGRAMME_ROW_TABLES, programme_rows
from .summaries import SUMMARIES, summary_index_name, summary_index_sql, summary_table_sql
from .transactions import BUSY_TIMEOUT_S, WRITE_PATIENCE_S, write_transaction

# 1: the first; 2: legal documents and programmes kept in step with the facts by each article's
# transaction (a file of version 1 may have them out of step after a killed load: rebuilt once);
# 3: full-text triggers that pause while a loader indexes its batch in bulk (FTS_PAUSE_TABLE);
# 4: the summary tables (`summaries.SUMMARIES`) and `programme_figures`, filled from the facts once;
# 5: `programme_events` (a programme's page read them through every mention of it), filled once.
SCHEMA_VERSION = 5
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
# Columns added to a table after files were made: an older file lacks them, and the next load adds them.
ADDED_COLUMNS = {("events", "kind"), ("articles", "fetched_at")}

# table -> (columns in order, primary key, foreign keys as (column, other table, other column))
TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...], list[tuple[str, str, str]]]] = {
    "provinces": ({
        "name": str, "full_name": str, "code": str, "province_today": str, "is_current": int,
        "latitude": float, "longitude": float,
    }, "name", []),
    "articles": ({
        "id": str, "title": str, "url": str, "source": str, "licence": str, "published": str,
        "date": str, "date_source": str, "year": int, "province": str, "province_today": str,
        "facts": int, "events": int, "text": str, "title_folded": str, "text_folded": str,
        "fetched_at": str,                                      # when the crawler fetched it (ISO UTC), if it did
    }, "id", [("province", "provinces", "name")]),
    "legal_documents": ({
        "id": str, "type": str, "number": int, "year": int, "code": str, "issuer": str, "signed": str,
        "mentions": int, "articles": int, "events": int,
    }, "id", []),
    "programmes": ({
        "id": str, "name": str, "name_folded": str, "ref": str, "period": str,
        "mentions": int, "articles": int,
    }, "id", [("ref", "legal_documents", "id")]),
    "mentions": ({
        "id": str, "article_id": str, "position": int, "label": str, "start": int, "end": int,
        "sentence_index": int, "sentence": str, "text": str, "text_folded": str,
        "programme_id": str,                                    # PROGRAM: the programme (a slug of its name)
        # the norm fields that have a column, from the norm types (vnfacts.extractor.norms): doc_id,
        # doc_type, name, period, date_value, value, unit, qualifier, of_value, province, province_today
        **norm_columns(),
        "norm": str,                                            # the whole norm, as JSON
        "date": str, "year": int,                               # the article's date and year
    }, "id", [("article_id", "articles", "id"), ("doc_id", "legal_documents", "id"),
              ("programme_id", "programmes", "id"), ("province", "provinces", "name")]),
    "events": ({
        "id": str, "article_id": str, "position": int, "is_main": int, "type": str, "date": str,
        "year": int, "province": str, "province_today": str, "location": str, "participants": int,
        "sentence_index": int, "sentence": str,
        "kind": str,                                            # the finer kind (`ngày hội việc làm`)
    }, "id", [("article_id", "articles", "id"), ("province", "provinces", "name")]),
    "event_organizers": ({
        "event_id": str, "position": int, "name": str,
    }, ("event_id", "position"), [("event_id", "events", "id")]),
    "event_documents": ({
        "event_id": str, "doc_id": str,
    }, ("event_id", "doc_id"), [("event_id", "events", "id"), ("doc_id", "legal_documents", "id")]),
    # what a programme's page counts, kept with each article (`programmes.programme_rows`): where its
    # mentions of each programme happened (no province: ''), and each figure told in a sentence
    # naming a programme, with that sentence's province (`figures_for_programme` reads these pairs
    # instead of looking into the sentence of every mention of the programme)
    "programme_places": ({
        "programme_id": str, "article_id": str, "province": str, "year": int, "date_source": str, "mentions": int,
    }, ("programme_id", "article_id", "province"), [("programme_id", "programmes", "id"),
                                                    ("article_id", "articles", "id")]),
    "programme_figures": ({
        "programme_id": str, "figure_id": str, "article_id": str, "province": str, "year": int, "date_source": str,
    }, ("programme_id", "figure_id"), [("programme_id", "programmes", "id"), ("figure_id", "mentions", "id"),
                                       ("article_id", "articles", "id")]),
    # a programme's events, kept with each article: the main event of an article naming it, and each
    # event told in a sentence naming it (``told``), with the event's date to list them by
    "programme_events": ({
        "programme_id": str, "event_id": str, "article_id": str, "date": str, "told": int,
    }, ("programme_id", "event_id"), [("programme_id", "programmes", "id"), ("event_id", "events", "id"),
                                      ("article_id", "articles", "id")]),
}

INDEXES: list[tuple[str, tuple[str, ...]]] = [
    ("mentions", ("article_id", "position")),
    # the facts table's page (its facets, metadata.yaml): a label's counts by year, province and
    # document type read from this index alone, also once the page is filtered by label (a
    # million articles: 0.3-1.7 s a facet, reading each fact's row, before)
    ("mentions", ("label", "year", "province", "doc_type")),
    # citation search: a document's mentions come out of the index newest first, no sort
    ("mentions", ("doc_id", "date", "article_id", "position")),
    # the programme queries: a programme's mentions with their year, article and sentence from the
    # index alone (mentions by year, the join to the article or to the figures of the sentence)
    ("mentions", ("programme_id", "year", "article_id", "sentence_index")),
    ("mentions", ("province",)),
    # the facts of one sentence, of one label (the figures next to a programme)
    ("mentions", ("article_id", "sentence_index", "label")),
    ("mentions", ("year",)),
    ("events", ("article_id",)),  # an article's events (its page; replaced with it)
    # the events table's page: newest first (its sort) and its facets (type, year, province) from
    # an index, also once filtered by type
    ("events", ("type", "year", "province")),
    ("events", ("date",)),
    ("events", ("year",)),
    ("events", ("province",)),
    ("event_documents", ("doc_id",)),
    ("event_organizers", ("name",)),  # the organizers table's facet (one row an organizer an event)
    ("legal_documents", ("number",)),
    ("articles", ("province",)),
    ("articles", ("year",)),
    # the articles table's page: newest first (its sort), without sorting them all, and its facet
    # by source without reading every article's text
    ("articles", ("date",)),
    ("articles", ("source",)),
    ("articles", ("id", "province")),  # an article's province, for mentions grouped by province, from the index
    # a programme's page: its figures by province and year, its mentions by year and by province,
    # each from an index alone; and each article's rows, replaced with it
    ("programme_figures", ("programme_id", "province", "year", "date_source", "figure_id")),
    ("programme_places", ("programme_id", "year", "date_source", "article_id", "mentions")),
    ("programme_places", ("programme_id", "province", "article_id", "mentions")),
    ("programme_figures", ("article_id",)),
    ("programme_places", ("article_id",)),
    # a programme's page: the first events of each of its names by date, and how many, from the index
    ("programme_events", ("programme_id", "date", "event_id")),
    ("programme_events", ("article_id",)),
]
# Indexes of older versions that those above replace: prefixes of their successors, and the covering
# index of an article's events through which the programme pages of version 4 picked theirs (they
# read `programme_events` now: `events(article_id)` is enough, and cheaper to keep).
RETIRED_INDEXES = ("idx_mentions_programme_id", "idx_mentions_article_id_sentence_index",
                   "idx_events_article_id_is_main_sentence_index_date_id", "idx_mentions_label",
                   "idx_events_type")
# Indexes of some rows only: the facts table's facet on document type counts the legal references,
# a few in a hundred facts (the whole table was read for it: 1.2 s at 900,000 facts, 0.1 s with it).
PARTIAL_INDEXES = {
    "idx_mentions_doc_type": "CREATE INDEX IF NOT EXISTS [idx_mentions_doc_type] ON [mentions] (doc_type)"
                             " WHERE doc_type IS NOT NULL",
}
# Tables of older versions nothing reads or keeps any more: `summary_programme_places` placed a
# programme's mentions by a rule of its own, which its page did not follow; the canned query now
# groups `programme_places`, the page's rows.
RETIRED_TABLES = ("summary_programme_places",)
# Rows ANALYZE reads of each index: enough for the planner's statistics, quick on a million articles.
ANALYSIS_LIMIT = 1000

FTS: dict[str, tuple[str, ...]] = {
    "articles": ("title", "text", "title_folded", "text_folded"),
    "mentions": ("text", "text_folded"),
}

# While this table has a row, the full-text triggers do nothing: a loader adds one in its write
# transaction, indexes the articles of its batch in bulk (`fts_paused`) and deletes it before the
# commit, so nobody ever sees it. Row by row through the triggers, each statement flushed the
# full-text indexes into new segments to be merged later: 70% of the loading time. Its name starts
# with a full-text index's, so that Datasette hides it with that index's own tables.
FTS_PAUSE_TABLE = "articles_fts_paused"
# what the rows of each full-text index belong to: the article whose batch indexes them
FTS_ARTICLE_COLUMN = {"articles": "id", "mentions": "article_id"}


def fts_trigger_sql(table: str) -> dict[str, str]:
    """The triggers that keep ``table``'s full-text index in step (after insert, delete, update),
    by name, each pausing while FTS_PAUSE_TABLE has a row."""
    names = ", ".join(f"[{c}]" for c in FTS[table])
    new = ", ".join(f"new.[{c}]" for c in FTS[table])
    old = ", ".join(f"old.[{c}]" for c in FTS[table])
    insert = f"INSERT INTO [{table}_fts] (rowid, {names}) VALUES (new.rowid, {new});"
    delete = f"INSERT INTO [{table}_fts] ([{table}_fts], rowid, {names}) VALUES ('delete', old.rowid, {old});"
    bodies = {"_ai": insert, "_ad": delete, "_au": f"{delete} {insert}"}
    events = {"_ai": "INSERT", "_ad": "DELETE", "_au": "UPDATE"}
    return {f"{table}{suffix}": f"CREATE TRIGGER [{table}{suffix}] AFTER {events[suffix]} ON [{table}] "
                                f"WHEN NOT EXISTS (SELECT 1 FROM [{FTS_PAUSE_TABLE}]) BEGIN {body} END"
            for suffix, body in bodies.items()}


@contextmanager
def fts_paused(conn: sqlite3.Connection, article_ids: list[str]) -> Iterator[None]:
    """Inside the caller's write transaction: take the rows of these articles out of the full-text
    indexes, pause the triggers while the block replaces the articles, then index whatever rows
    they have at the end in one statement per index (an article the block rolled back is indexed
    again as it was). An error leaves the indexing undone: the caller rolls the transaction back."""
    ids = json.dumps(article_ids, ensure_ascii=False)
    conn.execute(f"INSERT INTO [{FTS_PAUSE_TABLE}] (paused) VALUES (1)")
    for table, columns in FTS.items():
        names = ", ".join(f"[{c}]" for c in columns)
        conn.execute(f"INSERT INTO [{table}_fts] ([{table}_fts], rowid, {names}) SELECT 'delete', rowid, {names} "
                     f"FROM [{table}] WHERE [{FTS_ARTICLE_COLUMN[table]}] IN (SELECT value FROM json_each(?))", (ids,))
    yield
    for table, columns in FTS.items():
        names = ", ".join(f"[{c}]" for c in columns)
        conn.execute(f"INSERT INTO [{table}_fts] (rowid, {names}) SELECT rowid, {names} "
                     f"FROM [{table}] WHERE [{FTS_ARTICLE_COLUMN[table]}] IN (SELECT value FROM json_each(?))", (ids,))
    conn.execute(f"DELETE FROM [{FTS_PAUSE_TABLE}]")


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode: the loader opens its own transactions explicitly
    (`vnfacts.publish.transactions.write_transaction`), each statement waiting for a lock held by
    another connection up to BUSY_TIMEOUT_S."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA journal_mode = DELETE")  # one file, safe after a crash
    conn.execute("PRAGMA synchronous = FULL")
    # Each statement that fires a trigger keeps a journal of its own (to undo it alone): in memory,
    # not in a temporary file, it costs a third as much (inserting the facts took twice as long).
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


class ForeignDatabaseError(Exception):
    """The file is an SQLite database of something else: the loader leaves it alone."""


def refuse_foreign_database(path: str | Path, force: bool = False) -> None:
    """Raise :class:`ForeignDatabaseError` when ``path`` is an SQLite database that is not a vnfacts
    one (tables, but none of vnfacts's), unless ``force``; and whatever ``force`` says, when a table
    has a vnfacts name but lacks vnfacts's columns (nothing could be stored in it). A new path or an
    empty file is fine. Only read: nothing, not even the journal mode, changes before. (Not through
    a read-only connection: that one cannot roll back the journal a killed load may have left.)"""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in (t for t in tables if t in TABLES):
            have = {row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")}
            missing = [c for c in TABLES[table][0] if c not in have and (table, c) not in ADDED_COLUMNS]
            if missing:
                raise ForeignDatabaseError(f"{path}: its table `{table}` is not vnfacts's (no column "
                                           f"{', '.join(missing[:5])}): choose another --db")
    finally:
        conn.close()
    if tables and not force and not any(t in TABLES for t in tables):
        shown = ", ".join(tables[:8]) + (", ..." if len(tables) > 8 else "")
        raise ForeignDatabaseError(f"{path} is an SQLite database of something else (tables: {shown}), not a "
                                   f"vnfacts database: choose another --db, or give --force to add the vnfacts "
                                   f"tables to it")


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over an open connection, leaving its settings alone (no PRAGMA, no plugins):
    the connection may be the loader's, in a transaction, or Datasette's."""
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


FTS_TRIGGERS = ("_ai", "_ad", "_au")  # after insert, delete, update: what keeps an index in step


def schema_gaps(conn: sqlite3.Connection) -> list[str]:
    """What the database lacks of the schema: tables, indexes, full-text indexes with their
    triggers, province rows, the schema version. Empty when it is whole."""
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    gaps = [f"table {t}" for t in (*TABLES, FTS_PAUSE_TABLE, *SUMMARIES) if t not in present]
    gaps += [f"column {t}.{c}" for t, c in _missing_columns(conn, present)]
    gaps += [f"index {_index_name(t, cols)}" for t, cols in INDEXES if _index_name(t, cols) not in present]
    gaps += [f"index {summary_index_name(t)}" for t in SUMMARIES if summary_index_name(t) not in present]
    gaps += [f"index {name}" for name in PARTIAL_INDEXES if name not in present]
    gaps += [f"retired index {name}" for name in RETIRED_INDEXES if name in present]
    gaps += [f"retired table {name}" for name in RETIRED_TABLES if name in present]
    gaps += [f"full-text index {t}_fts" for t in FTS if not _fts_is_whole(t, present)]
    gaps += [f"trigger {name}" for name in _triggers_not_ours(conn)]
    if "provinces" in present:
        known = {name for (name,) in conn.execute("SELECT name FROM provinces")}
        gaps += [f"province {row[0]}" for row in province_rows() if row[0] not in known]
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        gaps.append("schema version")
    return gaps


def _missing_columns(conn: sqlite3.Connection, present: set[str]) -> list[tuple[str, str]]:
    """Columns a table of an older file lacks (`events.kind`), to be added to it."""
    missing = []
    for table, (columns, _, _) in TABLES.items():
        if table in present:
            have = {row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")}
            missing += [(table, c) for c in columns if c not in have]
    return missing


def _index_name(table: str, columns: tuple[str, ...]) -> str:
    return f"idx_{table}_{'_'.join(columns)}"  # the name sqlite-utils gives


def _fts_is_whole(table: str, present: set[str]) -> bool:
    return {f"{table}_fts", *(table + suffix for suffix in FTS_TRIGGERS)} <= present


def _triggers_not_ours(conn: sqlite3.Connection) -> list[str]:
    """The full-text triggers present whose SQL is not `fts_trigger_sql`'s (an older version's)."""
    stored = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    return [name for table in FTS for name, sql in fts_trigger_sql(table).items()
            if name in stored and stored[name] != sql]


def ensure_schema(conn: sqlite3.Connection, patience_s: float = WRITE_PATIENCE_S) -> None:
    """Create whatever tables, indexes, full-text indexes and rows of the schema are missing, in
    one transaction: a kill midway leaves the file as it was, and two loaders creating it at once
    queue (the second finds it whole). A full-text index without its triggers (left by a killed
    load of an older version, which created the schema piece by piece) is built again."""
    if schema_gaps(conn):
        write_transaction(conn, lambda: _fill_schema_gaps(conn), patience_s)


def _fill_schema_gaps(conn: sqlite3.Connection) -> None:
    """`ensure_schema`'s work, inside its transaction: the file is looked at again under the lock."""
    db = database(conn)
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    for name, (columns, pk, fks) in TABLES.items():
        if name not in present:
            db[name].create(columns, pk=pk, foreign_keys=fks, not_null=set(pk) if isinstance(pk, tuple) else {pk})
    for table, column in _missing_columns(conn, present):
        db[table].add_column(column, TABLES[table][0][column])
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    for sql in PARTIAL_INDEXES.values():
        conn.execute(sql)
    for name in RETIRED_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS [{name}]")
    for name in RETIRED_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS [{name}]")
    if FTS_PAUSE_TABLE not in present:
        conn.execute(f"CREATE TABLE [{FTS_PAUSE_TABLE}] (paused INTEGER)")
    for table in SUMMARIES:
        if table not in present:
            conn.execute(summary_table_sql(table))
        conn.execute(summary_index_sql(table))
    for name in _triggers_not_ours(conn):  # an older version's, which kept the index in step
        conn.execute(f"DROP TRIGGER [{name}]")
    for table, columns in FTS.items():
        if not _fts_is_whole(table, present):
            if f"{table}_fts" in present:  # its rows may have missed every change since: index them anew
                db[table].disable_fts()
            db[table].enable_fts(columns, tokenize=FTS_TOKENIZE)
        present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        for name, sql in fts_trigger_sql(table).items():
            if name not in present:
                conn.execute(sql)
    known = {name for (name,) in conn.execute("SELECT name FROM provinces")}
    columns = list(TABLES["provinces"][0])
    db["provinces"].insert_all(dict(zip(columns, row)) for row in province_rows() if row[0] not in known)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 4:
        fill_programme_rows(conn)
        rebuild_derived(conn)
    elif version < 5:
        fill_programme_rows(conn, ("programme_events",))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def fill_programme_rows(conn: sqlite3.Connection, tables: tuple[str, ...] = PROGRAMME_ROW_TABLES) -> None:
    """These tables of `PROGRAMME_ROW_TABLES` written anew from the stored facts, for a file from
    before them (what the loader writes with each article: `programmes.programme_rows`)."""
    for table in tables:
        conn.execute(f"DELETE FROM [{table}]")
    ids = [r[0] for r in conn.execute("SELECT DISTINCT article_id FROM mentions WHERE programme_id IS NOT NULL ORDER BY 1")]
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        marks = ", ".join("?" * len(chunk))
        grouped: dict[str, dict[str, list]] = {i: {"mentions": [], "events": []} for i in chunk}
        for part, sql in (("mentions", "SELECT id, article_id, label, sentence_index, programme_id, province FROM mentions"
                                        f" WHERE article_id IN ({marks}) ORDER BY article_id, position"),
                          ("events", "SELECT id, article_id, sentence_index, province, is_main, date FROM events"
                                     f" WHERE article_id IN ({marks}) ORDER BY article_id, position")):
            cursor = conn.execute(sql, chunk)
            names = [d[0] for d in cursor.description]
            for row in cursor:
                r = dict(zip(names, row))
                grouped[r["article_id"]][part].append(r)
        cursor = conn.execute(f"SELECT id, province, year, date_source FROM articles WHERE id IN ({marks})", chunk)
        for article_id, province, year, date_source in cursor.fetchall():
            article = {"id": article_id, "province": province, "year": year, "date_source": date_source}
            rows = programme_rows(article, grouped[article_id]["mentions"], grouped[article_id]["events"])
            for table in tables:
                if rows[table]:
                    columns = list(TABLES[table][0])
                    conn.executemany(f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                     [[r[c] for c in columns] for r in rows[table]])


def refresh_statistics(conn: sqlite3.Connection) -> None:
    """Give the query planner the tables' sizes and the spread of their indexed values (ANALYZE,
    reading at most ANALYSIS_LIMIT rows of each index), inside the caller's write transaction.
    Without them it takes every table to be as large: `events_citing_document` read each event a
    document is cited by before it checked the document (0.9 s at a million articles, under load);
    with them it checks the document first, through a Bloom filter (37 ms)."""
    conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    conn.execute("ANALYZE")


@lru_cache(maxsize=1)
def province_rows() -> list[tuple]:
    """The 63 provinces before the 2025 merger, each with the province it belongs to today, and
    the old names of renamed ones (`renamed_province_rows`).

    From vietnamadminunits (its legacy table and its 2025 converter's province map)."""
    from vietnamadminunits.database import query

    from vnfacts.extractor.places import gazetteer_json

    legacy = query("SELECT DISTINCT province, provinceShort, provinceCode, provinceKey, provinceLat, provinceLon"
                   " FROM admin_units_legacy ORDER BY provinceCode")
    converter = gazetteer_json("converter_2025.json")
    by_key = {r["provinceKey"]: r for r in legacy}
    today_of: dict[str, str] = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        new_short = by_key[new_key]["provinceShort"] if new_key in by_key else None
        for old in old_keys:
            today_of[old] = new_short
    rows = []
    for r in legacy:
        today = today_of.get(r["provinceKey"])
        rows.append((r["provinceShort"], r["province"], r["provinceCode"], today,
                     int(today == r["provinceShort"]), r["provinceLat"], r["provinceLon"]))
    return rows + renamed_province_rows(rows)


def renamed_province_rows(rows: list[tuple]) -> list[tuple]:
    """A row for each province's name before a renaming without merger (places.yaml `renamed`:
    `Thừa Thiên Huế` -> `Huế`): the extractor writes the old name for articles from before the
    change, and every province a fact names must have its row (foreign keys, the facets' links).
    The old name shares the new one's code, place and province today, and is not current."""
    from vnfacts.extractor.resources import load_data

    by_name = {row[0]: row for row in rows}
    renamed = []
    for r in load_data("places.yaml").get("renamed") or []:
        new = by_name.get(r["new"])
        if new is None or r["old"] in by_name:
            continue
        _, _, code, today, _, latitude, longitude = new
        # The renamings so far made a province (tỉnh) a city (thành phố): the old name was a tỉnh.
        renamed.append((r["old"], f"Tỉnh {r['old']}", code, today, 0, latitude, longitude))
    return renamed
