"""The vnfacts Datasette plugin: the citation search page and the programme pages.

Loaded by `datasette --plugins-dir publish/site/plugins` (see publish/serve.py). It registers:

- ``vn_fold(text)``, an SQL function folding text like the search columns, and
  ``vn_cites(query, id, type, number, year, code)``, true when a document is one the written
  citation names (canned queries use both);
- ``/-/citations?q=...`` (HTML) and ``/-/citations.json?q=...`` (JSON): any written form of a
  citation, or words, answered by :func:`publish.search.search`;
- ``/-/programmes`` and ``/-/programmes/<id>`` (and ``.json``): a programme's mentions with charts
  over time and by province, drawn by the site's own script (``/vnfacts-static/charts.js``).

Every page only reads.
"""
from __future__ import annotations

import json

from datasette import hookimpl
from datasette.utils.asgi import Response

from extractor.clean import fold_query
from publish.programmes import programme_index, programme_report
from publish.search import EXAMPLES, document_matches, search


@hookimpl
def prepare_connection(conn):
    conn.create_function("vn_fold", 1, lambda text: fold_query(text) if isinstance(text, str) else text,
                         deterministic=True)
    conn.create_function("vn_cites", 6, document_matches, deterministic=True)


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/citations"), "label": "Search by citation"},
            {"href": datasette.urls.path("/-/programmes"), "label": "Programmes"}]


async def facts_database(datasette):
    """The first attached database that holds vnfacts tables."""
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if await db.table_exists("legal_documents") and await db.table_exists("mentions"):
            return db
    return None


async def citations(datasette, request):
    as_json = request.url_vars.get("format") == ".json"
    db = await facts_database(datasette)
    if db is None:
        return Response.json({"error": "no vnfacts database attached"}, status=404) if as_json else \
            Response.html("<p>No vnfacts database is attached to this site.</p>", status=404)
    query = request.args.get("q", "")
    answer = await db.execute_fn(lambda conn: search(conn, query))
    if as_json:
        return Response.json(answer.to_json())
    return Response.html(await datasette.render_template(
        "vnfacts_citations.html",
        {"answer": answer, "q": query if len(query) <= 300 else "", "examples": EXAMPLES, "database": db.name},
        request=request))


async def programmes(datasette, request):
    db = await facts_database(datasette)
    if db is None:
        return Response.html("<p>No vnfacts database is attached to this site.</p>", status=404)
    rows = await db.execute_fn(programme_index)
    return Response.html(await datasette.render_template(
        "vnfacts_programmes.html", {"programmes": rows, "database": db.name}, request=request))


async def programme(datasette, request):
    as_json = request.url_vars.get("format") == ".json"
    db = await facts_database(datasette)
    slug = request.url_vars["slug"]
    report = await db.execute_fn(lambda conn: programme_report(conn, slug)) if db is not None else None
    if report is None:
        if as_json:
            return Response.json({"error": f"no programme {slug!r}"}, status=404)
        return Response.html(await datasette.render_template(
            "vnfacts_programme.html", {"report": None, "slug": slug, "database": db.name if db else None},
            request=request), status=404)
    if as_json:
        return Response.json(report)
    return Response.html(await datasette.render_template(
        "vnfacts_programme.html",
        {"report": report, "slug": slug, "database": db.name,
         "chart_data": json.dumps({"by_year": report["by_year"], "by_province": report["by_province"]},
                                  ensure_ascii=False).replace("</", "<\\/")},
        request=request))


@hookimpl
def register_routes():
    return [
        (r"^/-/citations(?P<format>\.json)?$", citations),
        (r"^/-/programmes$", programmes),
        (r"^/-/programmes/(?P<slug>[a-z0-9-]+?)(?P<format>\.json)?$", programme),
    ]
