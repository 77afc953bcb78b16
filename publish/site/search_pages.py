"""The site's search and programme pages (routes registered by ``vnfacts.publish.site``).

- ``/-/citations?q=...`` (HTML), ``.json`` and ``.csv``: :func:`vnfacts.publish.search.search`,
  filtered by the facets in the query string (``year``, ``province``, ``event_type``, ``doc``),
  one page of articles at a time (``page``); the CSV and the JSON hold every match the filters
  keep. A query naming a programme by its number (``Đề án 1533``) opens the programme's page.
- ``/-/programmes`` (and ``?q=`` to search the names): every programme, merged from its names,
  sorted the Vietnamese way; the names set aside, with the reason.
- ``/-/programmes/<id>`` (and ``.json``): a programme found by the id of any of its names (the
  article page links each written name), redirected to its main id.
"""
from __future__ import annotations

import json
import urllib.parse

from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from vnfacts.extractor.clean import fold_query
from vnfacts.publish.programmes import find_programme, matching_programmes, programme_index, programme_report
from vnfacts.publish.search import EXAMPLES, FACETS, MAX_QUERY_CHARS, Filters, csv_text, marked_runs, search
from vnfacts.publish.site.vietnamese import vietnamese_name, vietnamese_number, vietnamese_sort_key

NO_DATABASE = "<p>No vnfacts database is attached to this site.</p>"


async def _database(datasette):
    from vnfacts.publish.site import facts_database

    return await facts_database(datasette)


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def search_url(datasette, query: str, filters: dict, **changes) -> str:
    """The search page's address for ``query`` with ``filters`` changed by ``changes`` (None removes)."""
    params = {"q": query, **filters, **changes}
    return datasette.urls.path("/-/citations") + "?" + urllib.parse.urlencode(
        {k: v for k, v in params.items() if v not in (None, "")})


async def citations(datasette, request):
    fmt = request.url_vars.get("format") or ""
    db = await _database(datasette)
    if db is None:
        return Response.json({"error": "no vnfacts database attached"}, status=404) if fmt else \
            Response.html(NO_DATABASE, status=404)
    query = request.args.get("q", "")
    filters = Filters.from_mapping(request.args)
    page = _page_number(request.args.get("page"))
    answer = await db.execute_fn(lambda conn: search(conn, query, filters=filters, page=page))
    if fmt == ".json":
        return Response.json(answer.to_json())
    if fmt == ".csv":
        name = "vnfacts-" + ("-".join(fold_query(answer.query).split())[:60] or "search") + ".csv"
        return Response("\ufeff" + csv_text(answer), content_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{urllib.parse.quote(name)}"'})
    if answer.kind == "programme":
        return Response.redirect(datasette.urls.path("/-/programmes/" + urllib.parse.quote(answer.programme["id"])))
    for group in answer.groups:
        for m in group["matches"]:
            m["runs"] = marked_runs(m["sentence"], m.get("highlights") or [])
    shown_query = query if len(query) <= MAX_QUERY_CHARS else ""
    links = {
        "facet": {facet: {row["value"]: search_url(datasette, shown_query, answer.filters,
                                                   **{facet: None if row["selected"] else row["value"], "page": None})
                          for row in rows} for facet, rows in answer.facets.items()},
        "unfilter": {facet: search_url(datasette, shown_query, answer.filters, **{facet: None}) for facet in answer.filters},
        "page": {n: search_url(datasette, shown_query, answer.filters, page=n) for n in range(1, answer.pages + 1)},
        "json": datasette.urls.path("/-/citations.json") + "?" + urllib.parse.urlencode({"q": shown_query, **answer.filters}),
        "csv": datasette.urls.path("/-/citations.csv") + "?" + urllib.parse.urlencode({"q": shown_query, **answer.filters}),
    }
    return Response.html(await datasette.render_template(
        "vnfacts_citations.html",
        {"answer": answer, "q": shown_query, "examples": EXAMPLES, "database": db.name, "facets": FACETS,
         "links": links},
        request=request))


async def programmes(datasette, request):
    db = await _database(datasette)
    if db is None:
        return Response.html(NO_DATABASE, status=404)
    query = request.args.get("q", "")[:MAX_QUERY_CHARS]

    found, set_aside = await db.execute_fn(programme_index)
    shown = matching_programmes(found, query) if query.strip() else found
    shown = sorted(shown, key=lambda p: vietnamese_sort_key(p["name"]))
    return Response.html(await datasette.render_template(
        "vnfacts_programmes.html",
        {"programmes": shown, "total": len(found), "set_aside": sorted(set_aside, key=lambda r: vietnamese_sort_key(r["name"])),
         "q": query, "database": db.name}, request=request))


async def programme(datasette, request):
    as_json = request.url_vars.get("format") == ".json"
    db = await _database(datasette)
    slug = urllib.parse.unquote(request.url_vars["slug"])
    estimates = request.args.get("estimates") != "0"  # "0": articles whose date is an estimate count under no year
    report = await db.execute_fn(lambda conn: programme_report(conn, slug, estimated_dates=estimates)) \
        if db is not None else None
    if report is None:
        # a name the guide rules out (the article page links every PROGRAM) says why it has no page
        set_aside = await db.execute_fn(lambda conn: find_programme(conn, slug)[1]) if db is not None else None
        if as_json:
            return Response.json({"error": f"no programme {slug[:300]!r}",
                                  **({"set_aside": set_aside} if set_aside else {})}, status=404)
        return Response.html(await datasette.render_template(
            "vnfacts_programme.html", {"report": None, "slug": slug[:300], "set_aside": set_aside,
                                       "database": db.name if db else None},
            request=request), status=404)
    main_id = report["programme"]["id"]
    if main_id != slug:  # one page per programme, whichever of its names was followed
        suffix = ".json" if as_json else ""
        query = "?" + request.query_string if request.query_string else ""
        return Response.redirect(datasette.urls.path("/-/programmes/" + urllib.parse.quote(main_id) + suffix) + query)
    if as_json:
        return Response.json(report)
    chart_data = json.dumps({"by_year": report["by_year"], "by_province": report["by_province"]},
                            ensure_ascii=False).replace("</", "<\\/")
    return Response.html(await datasette.render_template(
        "vnfacts_programme.html",
        {"report": report, "slug": slug, "database": db.name, "chart_data": chart_data, "estimates": estimates,
         "figure_values": [figure_values(g["values"]) for g in report["figures_by_province_year"]],
         "sentence_spans": {"figures": sentence_row_spans(report["figures"]),
                            "mentions": sentence_row_spans(report["mentions"])}},
        request=request))


def sentence_row_spans(rows: list[dict]) -> list[int]:
    """How many rows each row's sentence cell spans: a run of rows from one sentence of one article
    (the figures of a sentence, the names of a programme in it) shows the sentence once, in its
    first row (the run's length), the others none (0). A sentence of 60 words was printed five
    times over for its five figures."""
    spans: list[int] = []
    first = 0  # the first row of the current run
    for i, row in enumerate(rows):
        if i and row["sentence"] and (row["article_id"], row["sentence_index"]) == (
                rows[first]["article_id"], rows[first]["sentence_index"]):
            spans.append(0)
            spans[first] += 1
        else:
            first = i
            spans.append(1)
    return spans


def figure_values(values: list[dict]) -> Markup:
    """The figures of one province and year as the page spells them (`hơn 5.000 người; 3,55 %`),
    escaped. Written here, not in the template: a programme's page spells up to 500 of them, and
    each value through the template's filters cost more than the rest of the page (escaping is
    per character: the whole of each value at once gives what escaping its parts does)."""
    spelled = []
    for v in values:
        qualifier = vietnamese_name(v["qualifier"], "qualifiers") + " " if v["qualifier"] else ""
        unit = " " + v["unit"] if v["unit"] else ""
        of = "/" + vietnamese_number(v["of_value"]) if v.get("of_value") is not None else ""  # `49/63 tỉnh`
        spelled.append(str(escape(qualifier + vietnamese_number(v["value"]) + of + unit)))
    return Markup("; ".join(spelled))


ROUTES = [
    (r"^/-/citations(?P<format>\.json|\.csv)?$", citations),
    (r"^/-/programmes$", programmes),
    (r"^/-/programmes/(?P<slug>[a-z0-9-]+?)(?P<format>\.json)?$", programme),
    # any other path under /-/programmes is no programme (Datasette would read it as a row: 500)
    (r"^/-/programmes/(?P<slug>.+?)(?P<format>\.json)?$", programme),
]
