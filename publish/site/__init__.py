"""The vnfacts Datasette plugin: the citation search page, the programme pages and the site's metadata.

Installed through the ``datasette`` entry point (pyproject.toml), so plain ``datasette vnfacts.db``
loads it, as ``vnfacts serve`` does; its templates and static files live beside this module. It
acts only on vnfacts databases (those with the tables :data:`VNFACTS_TABLES`). It registers:

- ``vn_fold(text)``, an SQL function folding text like the search columns, and
  ``vn_cites(query, id, type, number, year, code)``, true when a document is one the written
  citation names (canned queries use both); both refuse text longer than their caps with
  SQLite's "string or blob too big", so every call is short;
- the metadata of ``metadata.yaml`` (titles, descriptions, facets, canned queries, the dashboard)
  for every vnfacts database, under its name (the ``get_metadata`` hook);
- ``/-/citations?q=...`` (HTML, ``.json``, ``.csv``), ``/-/programmes`` and ``/-/programmes/<id>``
  (and ``.json``): the search and programme pages of :mod:`.search_pages`;
- ``/-/map``: articles, events or programme mentions by province, before or after the 2025 merger,
  drawn offline (``map_pages.py``, ``province_map.py``; templates reuse it through the global
  ``vn_province_map``);
- ``/-/articles/<id>`` (and ``.json``): an article's text with its facts highlighted, and its events;
  the articles table links each title to it (the ``render_cell`` hook);
- the template filters ``vn_name`` (a code's Vietnamese name, from ``labels.yaml``), ``vn_number``
  (12.289, 3,55) and ``vn_quote`` (a value quoted as one path segment);
- guards: canned-query parameters longer than :data:`MAX_PARAMETER_CHARS` get a 400 (the
  ``asgi_wrapper`` hook), a page that finds the database locked gets a 503 saying so in
  Vietnamese with a way to try again (the ``handle_exception`` hook), and the database's file
  path is shown nowhere (``/-/databases`` is replaced, ``pragma_database_list()`` reads no file).

Every page only reads.
"""
from __future__ import annotations

import copy
import importlib.resources
import json
import os
import sqlite3
import urllib.parse
from functools import lru_cache

import regex
import yaml
from markupsafe import Markup
from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Request, Response

from vnfacts.extractor.clean import fold_query
from vnfacts.publish.article import article_report, event_report, text_runs
from vnfacts.publish.search import MAX_QUERY_CHARS, document_matches
from vnfacts.publish.transactions import is_busy
from vnfacts.publish.site import search_pages
from vnfacts.publish.site.dashboard import OverviewFilters, overview
from vnfacts.publish.site.plugin_templates import translate_plugin_templates
from vnfacts.publish.site.map_pages import MapQuery, map_page_context
from vnfacts.publish.site.province_map import province_map_svg
from vnfacts.publish.site.tables import (DOCUMENT_COLUMNS, FIGURE_COLUMNS, article_reference_cell, coded_cell,
                                         coded_columns, document_cell, figure_cell, title_cell, written_forms)
from vnfacts.publish.site.vietnamese import (TITLE_CHARS, clipped, is_estimated_date, vietnamese_date,
                                             vietnamese_name, vietnamese_names, vietnamese_number)

# A database is a vnfacts database when it has these tables (`vnfacts load` makes them).
VNFACTS_TABLES = ("articles", "mentions", "legal_documents")
METADATA_FILE = importlib.resources.files(__name__).joinpath("metadata.yaml")


def has_vnfacts_tables(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return all(t in names for t in VNFACTS_TABLES)


_files_seen: dict[str, tuple[tuple[int, ...], bool]] = {}  # path -> (its version, is a vnfacts database)


def _file_is_vnfacts(path: str, version: tuple[int, ...]) -> bool:
    seen = _files_seen.get(path)
    if seen is not None and seen[0] == version:
        return seen[1]
    try:
        # timeout=0: this runs in the server's event loop, which must never wait for a lock
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0)
        try:
            answer = has_vnfacts_tables(conn)
        finally:
            conn.close()
    except sqlite3.OperationalError:  # locked for a moment while `vnfacts load` commits
        return seen[1] if seen is not None else False
    except sqlite3.Error:  # not a database
        answer = False
    _files_seen[path] = (version, answer)
    return answer


def vnfacts_databases(datasette) -> list[str]:
    """Names of the attached databases that are vnfacts databases, in the order Datasette lists them.
    A file's answer is kept while the file is the same version (`serve.file_version`: which file, its
    time, size and SQLite's change counter; a time alone missed two commits within one clock tick)."""
    from vnfacts.publish.serve import file_version  # (serve imports this module)

    names = []
    for name, db in datasette.databases.items():
        if name.startswith("_") or db.is_memory or not db.path:
            continue
        version = file_version(str(db.path))
        if version is None:
            continue  # the file is gone
        if _file_is_vnfacts(str(db.path), version):
            names.append(name)
    return names


@lru_cache(maxsize=1)
def _site_metadata_template() -> dict:
    return yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))


def site_metadata(database_names: list[str]) -> dict:
    """The site's metadata with its database section under each vnfacts database's name (the
    dashboard reads the first one); empty when no vnfacts database is served. Built once for each
    list of names: Datasette asks for it twice a table at each visit of its home page (a deep copy
    each time: 70 ms for a vnfacts file), and only merges its own metadata into it, the same each time."""
    return _site_metadata(tuple(database_names))


@lru_cache(maxsize=8)
def _site_metadata(database_names: tuple[str, ...]) -> dict:
    if not database_names:
        return {}
    metadata = copy.deepcopy(_site_metadata_template())
    section = metadata["databases"].pop("DATABASE")
    metadata["databases"] = {name: copy.deepcopy(section) for name in database_names}
    database_path = "/" + urllib.parse.quote(database_names[0])
    for dashboard in (metadata.get("plugins", {}).get("datasette-dashboards") or {}).values():
        for part in list(dashboard.get("charts", {}).values()) + list(dashboard.get("filters", {}).values()):
            if part.get("db") == "DATABASE":
                part["db"] = database_names[0]
            if "query" in part:
                part["query"] = part["query"].replace("{database_path}", database_path)
    return metadata


@hookimpl
def get_metadata(datasette, key, database, table):
    names = tuple(vnfacts_databases(datasette))
    return _table_settings(names) if key == "tables" else site_metadata(list(names))


# What a table's settings need that its descriptions do not: Datasette asks for the key "tables"
# to check a table's permissions (twice a table at each visit of its home page) and its facets, and
# deep-copies the answer each time; with the descriptions of every table and column that was 20 of
# the home page's 30 ms of CPU at a million articles.
DESCRIPTIVE_KEYS = ("description", "columns")


@lru_cache(maxsize=8)
def _table_settings(database_names: tuple[str, ...]) -> dict:
    """The site's metadata as Datasette asks for it under the key "tables": each table's settings
    (facets, hidden, sort...) without its descriptions."""
    return {"databases": {name: {"tables": {table: {k: v for k, v in settings.items() if k not in DESCRIPTIVE_KEYS}
                                            for table, settings in (section.get("tables") or {}).items()}}
                          for name, section in _site_metadata(database_names).get("databases", {}).items()}}


@hookimpl
def extra_template_vars(datasette, database, table, view_name, request):
    names = vnfacts_databases(datasette)
    found = {"vnfacts_database": names[0] if names else None, "vn_names": vietnamese_names()}
    if view_name == "index" and names and request is not None:
        # the home page's overview: counts and charts by year, filtered (dashboard.py, charts.js)
        async def with_overview():
            db = datasette.databases[names[0]]
            filters = OverviewFilters.from_args(request.args)
            found_overview = await db.execute_fn(
                lambda conn: overview(conn, filters, datasette.urls.database(db.name)))
            chart_data = json.dumps(found_overview["charts"], ensure_ascii=False).replace("</", "<\\/")
            return {**found, "vn_overview": found_overview, "vn_overview_charts": chart_data}
        return with_overview()
    if view_name == "row" and table == "events" and database in names and request is not None:
        # an event's row page also shows its organizers and the documents it cites (row.html)
        async def with_event():
            event_id = tilde_decode(request.url_vars.get("pks", ""))
            db = datasette.databases[database]
            return {**found, "vn_event": await db.execute_fn(lambda conn: event_report(conn, event_id))}
        return with_event()
    return found


def path_segment(value) -> str:
    """``value`` quoted as one URL path segment (a slash in an id stays inside the id)."""
    return urllib.parse.quote(str(value), safe="")


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["vn_name"] = vietnamese_name
    env.filters["vn_number"] = vietnamese_number
    env.filters["vn_quote"] = path_segment
    env.filters["vn_clip"] = clipped
    env.filters["vn_date"] = vietnamese_date
    env.filters["vn_estimated"] = is_estimated_date
    env.globals["vn_province_map"] = province_map_template
    translate_plugin_templates(env)  # the dashboard's button and tooltips in Vietnamese


def province_map_template(counts, era="after", href_prefix=None, unit=""):
    """Template global ``vn_province_map(counts, era, href_prefix, unit)``: the province map
    (:func:`~vnfacts.publish.site.province_map.province_map_svg`), each circle linked to
    ``href_prefix`` followed by the province's name, quoted."""
    href = (lambda name: href_prefix + urllib.parse.quote(name)) if href_prefix else None
    return province_map_svg(counts or {}, era, href=href, unit=unit)


def article_path(datasette, article_id) -> str:
    return datasette.urls.path("/-/articles/" + path_segment(article_id))


def answers_for_file(store: dict[str, tuple[int, dict]], path) -> dict:
    """The answers ``store`` remembers for the file at ``path`` as it is now: emptied when its
    modification time changed (every write changes it)."""
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = -1
    seen = store.get(str(path))
    if seen is None or seen[0] != mtime:
        seen = store[str(path)] = (mtime, {})
    return seen[1]


_written_forms_seen: dict[str, tuple[int, dict]] = {}  # database path -> (mtime_ns, {"forms": forms})


async def document_written_forms(datasette, database: str) -> dict[str, str]:
    """:func:`~vnfacts.publish.site.tables.written_forms` of a database, read again when its file changes."""
    db = datasette.databases[database]
    answers = answers_for_file(_written_forms_seen, db.path)
    if "forms" not in answers:
        answers["forms"] = await db.execute_fn(written_forms)
    return answers["forms"]


# The facts table's `date` and `year` are its article's: an estimate is marked there as on every
# page (issue #15), by the site's one way of showing a date (templates/_vnfacts_date.html).
ARTICLE_DATE_COLUMNS = {("mentions", "date"), ("mentions", "year")}
REMEMBERED_DATE_SOURCES = 4_096  # articles whose date source is remembered (a page of facts spans a few)
_date_sources_seen: dict[str, tuple[int, dict]] = {}  # database path -> (mtime_ns, id -> source)


async def article_date_source(datasette, database: str, article_id: str) -> str | None:
    """Where an article's date comes from (``articles.date_source``), remembered while the file is unchanged."""
    db = datasette.databases[database]
    sources = answers_for_file(_date_sources_seen, db.path)
    if article_id not in sources:
        if len(sources) >= REMEMBERED_DATE_SOURCES:
            sources.clear()
        found = await db.execute("SELECT date_source FROM articles WHERE id = ?", [article_id])
        sources[article_id] = found.rows[0][0] if found.rows else None
    return sources[article_id]


def estimated_date_cell(datasette, database: str, article_id, value):
    """An awaitable of the cell of an article's date or year marked as an estimate, or of None (the
    cell as Datasette shows it) when the article states its date."""
    async def cell():
        source = await article_date_source(datasette, database, str(article_id))
        if not is_estimated_date(source):
            return None
        key = (id(datasette.jinja_env), str(value), source)
        if key not in _estimated_cells:  # a page of facts repeats its few articles' dates
            if len(_estimated_cells) >= REMEMBERED_DATE_SOURCES:
                _estimated_cells.clear()
            template = estimated_date_template(datasette.jinja_env)
            _estimated_cells[key] = Markup(await template.render_async(date=str(value), source=source))
        return _estimated_cells[key]
    return cell()


_estimated_cells: dict[tuple, Markup] = {}  # (Jinja environment, date, source) -> the cell


_estimated_date_templates: dict[int, object] = {}  # id of a Jinja environment -> the template compiled in it


def estimated_date_template(env):
    """The template of an estimated date's cell, compiled once (compiling costs milliseconds; a page
    of facts has a hundred such cells)."""
    if id(env) not in _estimated_date_templates:
        _estimated_date_templates[id(env)] = env.from_string(
            '{% from "_vnfacts_date.html" import vn_dated %}{{ vn_dated(date, true, source) }}')
    return _estimated_date_templates[id(env)]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """vnfacts values as people read them (``tables.py``): titles linked to the article page,
    codes in Vietnamese, figures the Vietnamese way, document ids with their written form."""
    if table is None or value is None or database not in vnfacts_databases(datasette):
        return None
    if table == "articles" and column == "title":
        article_id = row["id"] if "id" in row.keys() else None
        return title_cell(str(value), article_path(datasette, article_id)) if article_id is not None else None
    if column == "article_id" and isinstance(value, dict) and len(str(value.get("label") or "")) > TITLE_CHARS:
        # the foreign key Datasette expanded to the article's title
        href = datasette.urls.row(database, "articles", tilde_encode(str(value["value"])))
        return article_reference_cell(str(value["value"]), str(value["label"]), href)
    if (table, column) in ARTICLE_DATE_COLUMNS and "article_id" in row.keys():
        article_id = row["article_id"]
        article_id = article_id.get("value") if isinstance(article_id, dict) else article_id  # a foreign key Datasette expanded
        return estimated_date_cell(datasette, database, article_id, value) if article_id is not None else None
    kind = coded_columns().get((table, column))
    if kind and isinstance(value, str):
        return coded_cell(value, kind)
    if (table, column) in FIGURE_COLUMNS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return figure_cell(value)
    if (table, column) in DOCUMENT_COLUMNS:
        doc_id = value.get("value") if isinstance(value, dict) else value  # a foreign key Datasette expanded
        if not isinstance(doc_id, str):
            return None

        async def with_written_form():
            forms = await document_written_forms(datasette, database)
            href = datasette.urls.row(database, "legal_documents", tilde_encode(doc_id))
            return document_cell(doc_id, href, forms.get(doc_id))
        return with_written_form()
    return None


@hookimpl
def extra_css_urls(database, datasette):
    # The site's look on Datasette's own pages of a vnfacts database too (tables, rows, queries).
    if database in vnfacts_databases(datasette):
        return [datasette.urls.static_plugins("vnfacts", "vnfacts.css")]
    return []


@hookimpl
def extra_js_urls(database, view_name, datasette):
    if database in vnfacts_databases(datasette) and view_name in ("table", "row"):
        return [datasette.urls.static_plugins("vnfacts", "tables.js")]
    return []


@hookimpl
def extra_body_script(database, table, view_name, datasette):
    """What ``static/tables.js`` needs: the Vietnamese names of coded columns (for the facets) and,
    on the documents table, the written forms of the ids on the page."""
    if database not in vnfacts_databases(datasette) or view_name not in ("table", "row"):
        return None

    async def script():
        names = {f"{t}.{c}": vietnamese_names()[kind] for (t, c), kind in coded_columns().items() if t == table}
        forms = await document_written_forms(datasette, database) if table == "legal_documents" else {}
        data = json.dumps({"names": names, "writtenForms": forms}, ensure_ascii=False).replace("</", "<\\/")
        return f"window.vnfactsTables = {data};"
    return script()


# The SQL functions run in Python inside SQLite, where Datasette's time limit cannot stop them (it
# checks between SQLite instructions, a few hundred calls apart): each call must take a few
# milliseconds at most, whatever text a visitor makes SQLite build. Hence caps on their input.
MAX_FOLD_CHARS = 1_000  # a sentence (the corpus's longest is 693 characters), a title, a name
MAX_CITATION_CHARS = MAX_QUERY_CHARS  # what the citation search takes
# A Vietnamese letter carries two combining marks at most; Unicode normalization sorts a letter's
# marks in quadratic time, so a longer run of marks is cut to this many before folding.
MAX_MARKS_PER_LETTER = 4
_MARKS_BEYOND_THE_FEW = regex.compile(r"(?<=\p{M}{%d})\p{M}+" % MAX_MARKS_PER_LETTER)


def refuse_overlong(text: str, limit: int) -> None:
    """Raise past ``limit`` characters; sqlite3 turns OverflowError into "string or blob too big"."""
    if len(text) > limit:
        raise OverflowError(f"{len(text):,} characters; the limit is {limit:,}")


def vn_fold(text):
    """SQL ``vn_fold(text)``: ``text`` folded like the search columns; other values unchanged."""
    if not isinstance(text, str):
        return text
    refuse_overlong(text, MAX_FOLD_CHARS)
    return fold_query(_MARKS_BEYOND_THE_FEW.sub("", text))


def vn_cites(query, doc_id, doc_type, number, year, code) -> int:
    """SQL ``vn_cites(query, id, type, number, year, code)``: 1 when the document is one the
    written citation ``query`` names."""
    if isinstance(query, str):
        refuse_overlong(query, MAX_CITATION_CHARS)
    return document_matches(query, doc_id, doc_type, number, year, code)


def vn_name(code, kind):
    """SQL ``vn_name(code, kind)``: the Vietnamese name of a code (``labels.yaml``); a code with no
    name, or a kind that is none, comes back as it is."""
    if kind not in vietnamese_names() or not isinstance(code, str):
        return code
    refuse_overlong(code, MAX_FOLD_CHARS)  # a code is a word: like the other functions, a cap
    return vietnamese_name(code, kind)


def vn_estimated(date_source) -> int:
    """SQL ``vn_estimated(date_source)``: 1 when an article's date is an estimate (``labels.yaml``)."""
    if isinstance(date_source, str):
        refuse_overlong(date_source, MAX_FOLD_CHARS)
    return int(isinstance(date_source, str) and is_estimated_date(date_source))


def hide_file_paths(action, table, column, _database, _trigger) -> int:
    """SQLite authorizer: ``pragma_database_list()`` shows no file (its ``file`` column reads as
    NULL), so ``?sql=`` cannot tell where the database lives. Everything else is allowed."""
    if action == sqlite3.SQLITE_READ and table == "pragma_database_list" and column == "file":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    # The functions are cheap to register and harmless elsewhere; canned queries and pages that
    # use them exist only on vnfacts databases.
    conn.create_function("vn_fold", 1, vn_fold, deterministic=True)
    conn.create_function("vn_cites", 6, vn_cites, deterministic=True)
    conn.create_function("vn_name", 2, vn_name, deterministic=True)
    conn.create_function("vn_estimated", 1, vn_estimated, deterministic=True)
    conn.set_authorizer(hide_file_paths)


# Canned-query parameters are a citation or a programme name: longer values are refused before
# the query runs, with a message (the functions' own caps would refuse them too, less clearly).
MAX_PARAMETER_CHARS = MAX_QUERY_CHARS


def canned_query_names() -> set[str]:
    return set(_site_metadata_template()["databases"]["DATABASE"].get("queries", {}))


def overlong_parameter_message(datasette, path: str, query_string: str) -> str | None:
    """Why a request to a canned query of a vnfacts database is refused, or None when its
    parameters all fit in :data:`MAX_PARAMETER_CHARS`."""
    database, _, page = path.strip("/").partition("/")
    if page.split(".")[0] not in canned_query_names() or database not in vnfacts_databases(datasette):
        return None
    for name, value in urllib.parse.parse_qsl(query_string, keep_blank_values=True):
        if len(value) > MAX_PARAMETER_CHARS:
            return (f"The parameter {name} is {len(value):,} characters long; the limit is "
                    f"{MAX_PARAMETER_CHARS} characters.")
    return None


async def refusal(datasette, request: Request, message: str) -> Response:
    """A 400 answer shaped like Datasette's own errors: JSON for .json paths, else its error page."""
    info = {"ok": False, "error": message, "status": 400, "title": "Parameter too long"}
    if request.path.endswith(".json"):
        return Response.json(info, status=400)
    # request=None: this runs before Datasette's own middleware (no CSRF token to show)
    return Response.html(await datasette.render_template("error.html", info, request=None), status=400)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def refuse_overlong_parameters(scope, receive, send):
            if scope["type"] == "http":
                request = Request(scope, receive)
                message = overlong_parameter_message(datasette, request.path, request.query_string)
                if message:
                    await (await refusal(datasette, request, message)).asgi_send(send)
                    return
            await app(scope, receive, send)
        return refuse_overlong_parameters
    return wrap


# A page whose reading waited longer than SQLite's busy timeout for the file's lock (a load writing a
# large batch on a slow disk, another program holding a write lock) cannot answer yet: it says so,
# with Retry-After and a link to try again, where Datasette answered 500 "database is locked".
BUSY_RETRY_AFTER_S = 5
BUSY_TITLE = "Cơ sở dữ liệu đang được cập nhật"
BUSY_MESSAGE = ("Trang này chưa trả lời được vì dữ liệu đang được ghi vào cơ sở dữ liệu. "
                "Vui lòng thử lại sau vài giây.")


def found_the_database_busy(exception: BaseException | None) -> bool:
    """Whether ``exception``, or one it was raised from (Datasette wraps some), says the database
    was locked."""
    seen: set[int] = set()
    while exception is not None and id(exception) not in seen:
        if is_busy(exception):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


@hookimpl
def handle_exception(datasette, request, exception):
    if not found_the_database_busy(exception):
        return None

    async def busy_answer():
        headers = {"Retry-After": str(BUSY_RETRY_AFTER_S)}
        if request.path.endswith(".json"):
            return Response.json({"ok": False, "error": BUSY_MESSAGE, "status": 503, "title": BUSY_TITLE},
                                 status=503, headers=headers)
        # the same page again (one leading slash: never a link to another host)
        retry = "/" + request.path.lstrip("/") + (f"?{request.query_string}" if request.query_string else "")
        page = await datasette.render_template("vnfacts_busy.html", {
            "title": BUSY_TITLE, "message": BUSY_MESSAGE, "retry_url": retry,
            "retry_after_s": BUSY_RETRY_AFTER_S}, request=request)
        return Response.html(page, status=503, headers=headers)
    return busy_answer


@hookimpl
def menu_links(datasette):
    if not vnfacts_databases(datasette):
        return []
    return [{"href": datasette.urls.path("/-/citations"), "label": "Tìm theo văn bản"},
            {"href": datasette.urls.path("/-/programmes"), "label": "Chương trình"},
            {"href": datasette.urls.path("/-/map"), "label": "Bản đồ"}]


async def facts_database(datasette):
    """The first attached vnfacts database."""
    names = vnfacts_databases(datasette)
    return datasette.databases[names[0]] if names else None


async def article(datasette, request):
    as_json = request.url_vars.get("format") == ".json"
    # Plugin routes match the raw path: the id arrives percent-encoded.
    article_id = urllib.parse.unquote(request.url_vars["article_id"])
    db = await facts_database(datasette)
    report = await db.execute_fn(lambda conn: article_report(conn, article_id)) if db is not None else None
    if report is None:
        if as_json:
            return Response.json({"ok": False, "error": "no such article", "status": 404}, status=404)
        return Response.html(await datasette.render_template(
            "vnfacts_article.html", {"report": None, "article_id": article_id[:300],
                                     "database": db.name if db else None},
            request=request), status=404)
    if as_json:
        return Response.json(report)
    return Response.html(await datasette.render_template(
        "vnfacts_article.html",
        {"report": report, "a": report["article"], "database": db.name,
         "runs": text_runs(report["article"]["text"] or "", report["mentions"])},
        request=request))


async def province_map_page(datasette, request):
    db = await facts_database(datasette)
    if db is None:
        return Response.html("<p>No vnfacts database is attached to this site.</p>", status=404)
    context = await map_page_context(datasette, db, MapQuery.from_args(request.args))
    return Response.html(await datasette.render_template("vnfacts_map.html", context, request=request))


async def databases_without_paths(datasette, request):
    """``/-/databases`` and ``/-/databases.json`` as Datasette shows them, less each file's path."""
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    listed = [{"name": name, "route": db.route, "size": db.size, "is_mutable": db.is_mutable,
               "is_memory": db.is_memory, "hash": db.hash}
              for name, db in datasette.databases.items() if name != "_internal"]
    if request.url_vars.get("format"):
        return Response.json(listed)
    return Response.html(await datasette.render_template(
        "show_json.html", {"filename": "databases.json", "data_json": json.dumps(listed, indent=4)}, request=request))


@hookimpl
def register_routes():
    # Plugin routes come before Datasette's own: this /-/databases replaces Datasette's.
    return [
        (r"^/-/databases(?P<format>\.json)?$", databases_without_paths),
        *search_pages.ROUTES,  # /-/citations, /-/programmes
        (r"^/-/map$", province_map_page),
        # any id, slashes included: it is only looked up (anything unknown is a 404)
        (r"^/-/articles/(?P<article_id>.+?)(?P<format>\.json)?$", article),
    ]
