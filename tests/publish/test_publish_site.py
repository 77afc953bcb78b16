"""The Datasette site, through its JSON API, served by a real `datasette` on 127.0.0.1."""
from __future__ import annotations

import html.parser
import itertools
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from vnfacts.publish.schema import TABLES
from vnfacts.publish.serve import database_name
from vnfacts.publish.summaries import SUMMARIES
from publish_helpers import DECISION_FORMS, DECISION_ID

REPO = Path(__file__).resolve().parents[2]


def get(site, path: str, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(site.url.rstrip("/") + path, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def get_json(site, path: str):
    status, body = get(site, path)
    assert status == 200, (path, body[:500])
    return json.loads(body)


def canned(site, corpus_db, name: str, **params):
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    return get_json(site, f"/{database_name(corpus_db)}/{name}.json?{query}")


def busiest_programme(db) -> dict:
    row = db.execute("SELECT * FROM programmes ORDER BY mentions DESC, id LIMIT 1").fetchone()
    assert row is not None, "the corpus yields at least one programme"
    return dict(row)


def test_metadata_describes_every_table_and_column(site, corpus_db):
    metadata = get_json(site, "/-/metadata.json")
    assert metadata["title"] and metadata["license"] and metadata["source"]
    tables = metadata["databases"][database_name(corpus_db)]["tables"]
    for table, (columns, _, _) in TABLES.items():
        assert tables[table]["description"], table
        assert set(tables[table]["columns"]) == set(columns), table
    for table in SUMMARIES:  # counts kept for the site's pages: described, and out of the table list
        assert tables[table]["description"] and tables[table]["hidden"] is True, table


@pytest.mark.parametrize("table, facet", [
    ("mentions", "label"), ("mentions", "province"), ("mentions", "year"), ("mentions", "doc_type"),
    ("events", "type"), ("events", "province"), ("legal_documents", "type"), ("articles", "year"),
])
def test_facets(site, corpus_db, table, facet):
    data = get_json(site, f"/{database_name(corpus_db)}/{table}.json")
    assert facet in data["facet_results"], data["facet_results"].keys()


def test_label_facet_counts_the_facts(site, corpus_db, db):
    data = get_json(site, f"/{database_name(corpus_db)}/mentions.json?_facet=label")
    counts = {r["value"]: r["count"] for r in data["facet_results"]["label"]["results"]}
    expected = dict(db.execute("SELECT label, count(*) FROM mentions GROUP BY label").fetchall())
    assert counts == expected and counts.get("LEGAL_REF")


def test_canned_most_cited_documents(site, corpus_db, db):
    rows = canned(site, corpus_db, "most_cited_documents")
    top = db.execute("SELECT id, articles FROM legal_documents ORDER BY articles DESC, mentions DESC, id LIMIT 1").fetchone()
    assert rows and (rows[0]["doc_id"], rows[0]["articles"]) == tuple(top)
    assert DECISION_ID in {r["doc_id"] for r in rows}


def test_canned_events_citing_a_document(site, corpus_db, db):
    expected_by_id = {r[0] for r in db.execute("SELECT event_id FROM event_documents WHERE doc_id = ?", (DECISION_ID,))}
    assert expected_by_id, "seed-002 reports an event implementing Quyết định 1438/QĐ-TTg"
    answers = [canned(site, corpus_db, "events_citing_document", doc=q) for q in DECISION_FORMS]
    for rows in answers:
        assert {r["event_id"] for r in rows} == expected_by_id
        assert {r["doc_id"] for r in rows} == {DECISION_ID}
    by_number = canned(site, corpus_db, "events_citing_document", doc="1438")
    assert expected_by_id <= {r["event_id"] for r in by_number}
    assert all(r["doc_id"].startswith("1438/") for r in by_number)
    for odd in ("", "'; DROP TABLE events; --", "x" * 300, "hoà nhập"):  # longer: refused (test_publish_reliability)
        assert canned(site, corpus_db, "events_citing_document", doc=odd) == []
    # the document with the most events gives a non-empty answer whenever events cite documents
    busiest = db.execute("SELECT doc_id, count(*) FROM event_documents GROUP BY doc_id ORDER BY 2 DESC, 1 LIMIT 1").fetchone()
    if busiest:
        assert len(canned(site, corpus_db, "events_citing_document", doc=busiest[0])) == busiest[1]


def test_canned_programme_mentions_by_province_and_year(site, corpus_db, db):
    programme = busiest_programme(db)
    # typed without diacritics, the folded name still matches
    typed = programme["name_folded"]
    by_province = canned(site, corpus_db, "programme_mentions_by_province", programme=typed)
    by_year = canned(site, corpus_db, "programme_mentions_by_year", programme=programme["name"])
    mine = [r for r in by_province if r["programme"] == programme["name"]]
    assert sum(r["mentions"] for r in mine) == programme["mentions"]
    assert sum(r["articles"] for r in mine) >= programme["articles"]  # an article may tell it in two provinces
    assert sum(r["mentions"] for r in by_year if r["programme"] == programme["name"]) == programme["mentions"]


def test_the_canned_query_and_the_programme_page_place_mentions_alike(site, corpus_db, db):
    """One rule places a programme's mentions (`programmes.where_it_happened`): the canned query
    `programme_mentions_by_province` gives, for the names of a programme, the page's counts by province."""
    ids = [r[0] for r in db.execute("SELECT id FROM programmes ORDER BY mentions DESC, id")]
    checked, merged, moved = 0, 0, 0
    for name_id in ids[:15]:
        status, body = get(site, f"/-/programmes/{urllib.parse.quote(name_id)}.json")
        report = json.loads(body)
        if status == 404 and report.get("set_aside") or report.get("programme", {}).get("id") != name_id:
            continue  # a name set aside (no page), or reached from another of its names
        page = {r["label"]: r["mentions"] for r in report["by_province"]}
        names = {n["name"] for n in report["programme"]["names"]}
        rows = [r for n in names for r in canned(site, corpus_db, "programme_mentions_by_province", programme=n)
                if r["programme"] == n]
        counted: Counter = Counter()
        for r in rows:
            counted[r["province"]] += r["mentions"]
        assert dict(counted) == page, name_id
        if len(names) == 1:  # one name: its articles too (several names may share an article)
            assert {r["province"]: r["articles"] for r in rows} == \
                {r["label"]: r["articles"] for r in report["by_province"]}
        checked += 1
        merged += len(names) > 1
        # placed by the places its sentence names or the article's main event, away from the
        # article's province: where the former rule of the canned query (the sentence's event,
        # else the article's province) disagreed with the page
        moved += sum(m["province_source"] in ("sentence", "main_event") and m["province"] != m["article_province"]
                     for m in report["mentions"])
    assert checked >= 10 and merged >= 1 and moved >= 1


def test_canned_figures_for_a_programme(site, corpus_db, db):
    row = db.execute("""
        SELECT p.name, count(DISTINCT f.id) FROM mentions m JOIN programmes p ON p.id = m.programme_id
        JOIN mentions f ON f.article_id = m.article_id AND f.sentence_index = m.sentence_index AND f.label = 'FIGURE'
        GROUP BY p.id ORDER BY 2 DESC, p.id LIMIT 1""").fetchone()
    name = row[0] if row else busiest_programme(db)["name"]
    rows = canned(site, corpus_db, "figures_for_programme", programme=name)
    if row:
        assert len({(r["article_id"], r["figure"]) for r in rows if r["programme"] == name}) >= 1
        assert all(r["figure"] in r["sentence"] for r in rows)
    else:
        assert rows == []


def test_citation_search_gives_the_same_events_for_four_written_forms(site):
    answers = [get_json(site, "/-/citations.json?" + urllib.parse.urlencode({"q": q})) for q in DECISION_FORMS]
    for a in answers:
        assert a["kind"] == "citation" and DECISION_ID in [d["id"] for d in a["documents"]]
    events = [sorted(m["event_id"] for m in a["matches"] if m["kind"] == "event") for a in answers]
    articles = [sorted({m["article_id"] for m in a["matches"]}) for a in answers]
    assert all(e == events[0] for e in events)
    assert events[0], "seed-002 reports an event implementing Quyết định 1438/QĐ-TTg"
    assert all(a == articles[0] for a in articles) and "seed-002" in articles[0]


@pytest.mark.parametrize("query", ["", "x" * 10_240, "1' OR '1'='1'; DROP TABLE articles; --", "trẻ em khuyết tật",
                                   '"NEAR(* AND'])
def test_odd_queries_on_the_site_get_a_page_not_an_error(site, corpus_db, query):
    status, body = get(site, "/-/citations?" + urllib.parse.urlencode({"q": query}))
    assert status == 200
    assert 'id="vn-message"' in body and "Traceback" not in body
    data = get_json(site, "/-/citations.json?" + urllib.parse.urlencode({"q": query}))
    assert data["message"]


def test_the_site_is_read_only(site, corpus_db, db):
    name = database_name(corpus_db)
    before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    status, _ = get(site, f"/{name}.json?" + urllib.parse.urlencode({"sql": "DELETE FROM articles"}))
    assert status >= 400
    status, _ = get(site, f"/{name}/most_cited_documents", data=b"x=1")  # POST to a canned query
    assert status >= 400
    status, _ = get(site, f"/{name}/articles", data=b"x=1")
    assert status >= 400
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == before


def test_programme_page_json_and_missing_programme(site, db):
    programme = busiest_programme(db)
    report = get_json(site, f"/-/programmes/{programme['id']}.json")  # the programme this name is one of
    names = {n["id"]: n["mentions"] for n in report["programme"]["names"]}
    assert names[programme["id"]] == programme["mentions"]
    total = sum(names.values())
    assert report["programme"]["mentions"] == total == len(report["mentions"])
    assert sum(r["mentions"] for r in report["by_year"]) == total
    assert sum(r["mentions"] for r in report["by_province"]) == total
    status, body = get(site, "/-/programmes/no-such-programme")
    assert status == 404 and "Không tìm thấy chương trình" in body


class SentenceCells(html.parser.HTMLParser):
    """The rows of each table of a page (by its id) and each row's sentence cell: (text, rowspan) or None."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list] = {}
        self.table = self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self.table is not None and attrs.get("data-header") is None:
            self.table.append(None)
        elif tag == "td" and "vn-sentence" in (attrs.get("class") or "") and self.table:
            self.cell = ["", int(attrs.get("rowspan", 1))]

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.table[-1] = (self.cell[0].strip(), self.cell[1])
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data


def test_programme_page_shows_a_sentence_once_for_its_figures_and_names(site, db):
    """A programme's figures told in one sentence, and its names in one sentence, share one cell
    with that sentence (rowspan): a sentence of five figures was printed five times over."""
    from vnfacts.publish.programmes import programme_report

    shared = 0
    for (slug,) in db.execute("SELECT id FROM programmes ORDER BY mentions DESC, id LIMIT 20").fetchall():
        report = programme_report(db, slug)
        if report is None:  # a name the guide sets aside: no page
            continue
        status, page = get(site, "/-/programmes/" + urllib.parse.quote(report["programme"]["id"]))
        assert status == 200
        tables = SentenceCells()
        tables.feed(page)
        for table, rows in (("vn-figures", report["figures"]), ("vn-mentions", report["mentions"])):
            shown = tables.tables.get(table, [])[1:]  # the header's row first
            assert len(shown) == len(rows), (slug, table)
            runs = [list(group) for _, group in itertools.groupby(
                rows, key=lambda r: (r["article_id"], r["sentence_index"]) if r["sentence"] else object())]
            cells = [cell for cell in shown if cell is not None]
            assert [(" ".join(text.split()), span) for text, span in cells] == \
                   [(" ".join((run[0]["sentence"] or "").split()), len(run)) for run in runs], (slug, table)
            shared += sum(len(run) > 1 for run in runs)
    assert shared >= 2  # the corpus has programmes named twice in a sentence, figures told together


def test_datasette_table_search_folds_diacritics_and_tone_placement(site, corpus_db):
    name = database_name(corpus_db)
    found = []
    for q in ("hoà nhập", "hòa nhập", "hoa nhap", "quyết định", "quyet dinh"):
        rows = get_json(site, f"/{name}/articles.json?" + urllib.parse.urlencode({"_search": q, "_shape": "array", "_col": "id"}))
        found.append({r["id"] for r in rows})
    assert found[0] and found[0] == found[1] == found[2]
    assert found[3] and found[3] == found[4]


def test_serve_command_prints_its_url_and_serves(corpus_db):
    import os
    import signal
    import subprocess
    import sys

    from vnfacts.publish.serve import free_port
    from publish_helpers import ROOT

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vnfacts.cli", "serve", "--db", str(corpus_db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        url = None
        for line in proc.stderr:
            if line.startswith("Serving"):
                url = line.split(" at ")[1].split()[0]
                break
        assert url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(url + "-/citations.json?q=1438", timeout=30) as response:
            assert json.loads(response.read())["kind"] == "citation"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    missing = subprocess.run([sys.executable, "-m", "vnfacts.cli", "serve", "--db", str(corpus_db) + ".nope"],
                             capture_output=True, text=True, cwd=ROOT, env=os.environ)
    assert missing.returncode == 2 and "no such database" in missing.stderr
    for setting, said in ((["facet_time_limt_ms", "1"], "no such Datasette setting"),
                          (["facet_time_limit_ms", "fast"], "'fast' is not a valid int")):
        wrong = subprocess.run([sys.executable, "-m", "vnfacts.cli", "serve", "--db", str(corpus_db), "--setting", *setting],
                               capture_output=True, text=True, cwd=ROOT, env=os.environ)
        assert wrong.returncode == 2 and f"--setting {setting[0]}: " in wrong.stderr and said in wrong.stderr


@pytest.mark.parametrize("path", ["/-/programmes/x/y", "/-/programmes/x/y.json", "/-/programmes/%3Cb%3E"])
def test_a_path_that_names_no_programme_is_a_404(site, path):
    status, body = get(site, path)
    assert status == 404 and "<b>" not in body


def test_programme_mentions_count_where_the_event_of_their_sentence_happened(tmp_path):
    """A Bình Dương article that reports a review of Đề án 1533 held in Hà Nội: that mention counts
    for Hà Nội, the article's other mentions for Bình Dương (the canned query, on a real file)."""
    import sqlite3

    import yaml

    from vnfacts.publish.load import load_documents
    from vnfacts.publish.site import prepare_connection

    text = ("Bình Dương triển khai Đề án 1533\nNgày 9/6/2023, UBND tỉnh Bình Dương họp về Đề án 1533 tại TP "
            "Thủ Dầu Một, tỉnh Bình Dương. Tỉnh Bình Dương có nhiều trẻ em khuyết tật. Ngày 5/6/2023, tại "
            "Khách sạn Thắng Lợi, Hà Nội, Bộ Lao động - Thương binh và Xã hội tổ chức hội nghị sơ kết Đề án 1533.")
    source = tmp_path / "d.jsonl"
    source.write_text(json.dumps({"id": "p1", "published": "2023-06-10", "text": text}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    assert load_documents(tmp_path / "db.db", [source]).failed == 0
    metadata = yaml.safe_load((REPO / "publish" / "site" / "metadata.yaml").read_text(encoding="utf-8"))
    sql = metadata["databases"]["DATABASE"]["queries"]["programme_mentions_by_province"]["sql"]
    conn = sqlite3.connect(tmp_path / "db.db")
    prepare_connection(conn)
    rows = conn.execute(sql, {"programme": "de an 1533"}).fetchall()
    assert {province: mentions for _, province, mentions, _ in rows} == {"Bình Dương": 2, "Hà Nội": 1}


def test_the_table_settings_datasette_copies_keep_every_setting_but_the_descriptions(site, corpus_db):
    """Under the key "tables" (permissions, facets: deep-copied at each question) the plugin answers
    with each table's settings without its descriptions; the site's metadata keeps them."""
    from vnfacts.publish.serve import make_datasette
    from vnfacts.publish.site import get_metadata

    name = database_name(corpus_db)
    datasette = make_datasette(corpus_db)
    full = get_metadata(datasette, None, None, None)["databases"][name]["tables"]
    settings = get_metadata(datasette, "tables", name, None)["databases"][name]["tables"]
    assert set(settings) == set(full)
    for table, described in full.items():
        assert settings[table] == {k: v for k, v in described.items() if k not in ("description", "columns")}
    assert any("facets" in s for s in settings.values()) and any(s.get("hidden") for s in settings.values())
    assert all(full[t].get("description") for t in full)


def test_the_map_of_programme_mentions_says_it_counts_them_by_the_article_s_province(site):
    """The map counts a programme's mentions where its articles are (the summary tables' key), its
    page where they happened: the map says so, so that nobody takes the two for the same count."""
    status, body = get(site, "/-/map?measure=programme")
    assert status == 200 and 'id="vn-map-programme-rule"' in body and "tỉnh, thành của bài viết" in body
    status, body = get(site, "/-/map?measure=events")
    assert status == 200 and "vn-map-programme-rule" not in body


def test_table_pages_keep_their_facets_and_suggest_none(site, corpus_db):
    """Suggesting facets tried one on every column at each visit (most of a table page's time at a
    million articles): `vnfacts serve` turns it off; the tables' own facets and `_facet=` stay."""
    data = get_json(site, f"/{database_name(corpus_db)}/mentions.json?_facet=sentence_index")
    assert data["suggested_facets"] == []
    assert {"label", "province", "year", "doc_type", "sentence_index"} <= set(data["facet_results"])


def table_settings() -> dict[str, dict]:
    from vnfacts.publish.site import _site_metadata_template

    return _site_metadata_template()["databases"]["DATABASE"]["tables"]


def reads_every_row(plan: list[str], table: str) -> bool:
    """A query plan that reads each row of ``table`` itself (a scan of the table, not of an index
    holding every column the query needs)."""
    return any(step == f"SCAN {table}" or (step.startswith(f"SCAN {table} USING INDEX")) for step in plan)


def test_table_pages_count_their_facets_and_sort_from_indexes(db):
    """Each table's page counts its facets (metadata.yaml), unfiltered and filtered by any value of
    another of them, without reading the table's rows one by one (the tables that grow with the
articles), and lists its newest rows without
    sorting them all: at 900,000 facts that was 0.3-1.7 s a facet (the facts' document types read the
    whole table), and 0.2 s to sort the articles or the events by date. Datasette's facet query,
    as it writes it (datasette.facets.ColumnFacet)."""
    plans = {}
    for table, settings in table_settings().items():
        if table != "articles" and not {"article_id", "event_id"} & set(TABLES.get(table, ({},))[0]):
            continue  # a table that does not grow with the articles (provinces, documents cited)
        facets = settings.get("facets") or []
        filters = [("", [])] + [(f" WHERE [{f}] = ?", [value]) for f in facets
                                for (value,) in db.execute(f"SELECT [{f}] FROM [{table}] WHERE [{f}] IS NOT NULL LIMIT 1")]
        for facet in facets:
            for where, params in filters:
                sql = (f"SELECT [{facet}] AS value, count(*) AS count FROM (SELECT * FROM [{table}]{where})"
                       f" WHERE [{facet}] IS NOT NULL GROUP BY [{facet}] ORDER BY count DESC, value LIMIT 31")
                plans[(table, facet, where)] = [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql, params)]
        if settings.get("sort_desc"):
            sql = f"SELECT * FROM [{table}] ORDER BY [{settings['sort_desc']}] DESC LIMIT 51"
            plans[(table, "sort", "")] = [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql)]
    assert {("mentions", "doc_type", ""), ("articles", "sort", ""), ("events", "province", " WHERE [type] = ?")} <= set(plans)
    read_whole = {key: plan for key, plan in plans.items() if key[1] != "sort" and reads_every_row(plan, key[0])}
    assert read_whole == {}
    sorted_whole = {key: plan for key, plan in plans.items()
                    if key[1] == "sort" and (f"SCAN {key[0]}" in plan or "USE TEMP B-TREE FOR ORDER BY" in plan)}
    assert sorted_whole == {}


def facet_counts(site, name: str, column: str) -> dict:
    data = get_json(site, f"/{name}/mentions.json?_facet={column}&_size=1")
    return {r["value"]: r["count"] for r in data["facet_results"][column]["results"]}


def test_facet_counts_are_those_of_the_file_as_it_is(corpus_db, tmp_path):
    """The site remembers a table page's facet counts while the file is unchanged, and counts again
    after each commit, even two commits that leave the file's size and modification time alike
    (SQLite's change counter in the file's header tells them apart)."""
    import shutil
    import sqlite3

    from vnfacts.publish.serve import Site

    path = tmp_path / "vnfacts.db"
    shutil.copy(corpus_db, path)
    name = database_name(path)

    def counted() -> dict:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT label, count(*) FROM mentions GROUP BY label"))
        finally:
            conn.close()

    conn = sqlite3.connect(path)
    rows = [r for (r,) in conn.execute("SELECT rowid FROM mentions WHERE label = 'DATE' ORDER BY rowid LIMIT 3")]
    conn.close()

    def relabel(old: str, new: str, n: int) -> None:
        """The same three facts each time (`n` of them), so that the file's pages, once split for
        both labellings, are reused and its size stays as it was."""
        conn = sqlite3.connect(path)
        try:
            with conn:
                conn.execute(f"UPDATE mentions SET label = ? WHERE label = ? AND rowid IN ({', '.join('?' * n)})",
                             (new, old, *rows[:n]))
        finally:
            conn.close()

    relabel("DATE", "ORG", 3)  # both labellings written once before the site opens: the index pages
    relabel("ORG", "DATE", 3)  # they need are in the file (an index page split grows it by a page)
    with Site(path) as site:
        assert facet_counts(site, name, "label") == facet_counts(site, name, "label") == counted()
        relabel("DATE", "ORG", 3)
        assert facet_counts(site, name, "label") == counted()
        stat = path.stat()
        relabel("ORG", "DATE", 3)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same size and time as before this commit
        assert path.stat().st_size == stat.st_size
        assert facet_counts(site, name, "label") == counted()


def test_facets_over_the_time_limit_are_counted_in_the_background_and_shown(corpus_db, tmp_path):
    """A facet count over Datasette's facet time limit (at ~30M facts, the facts table's label and
    year) goes on in the background and is remembered for the file as it is: the page that asked
    says the facet timed out, a later one shows its counts, and after a commit the new counts.
    Datasette alone never remembers a count that timed out: every visit timed out again. A limit of
    1 ms over 109,500 synthetic facts (counting a facet takes 7-20 ms) stands in for 500 ms over 30M."""
    import sqlite3
    import time

    from vnfacts.publish.serve import Site
    from vnfacts.publish.synthetic import build_synthetic

    path = tmp_path / "synthetic.db"
    build_synthetic(path, corpus_db, 30_000)
    name = database_name(path)
    facets = ("label", "year", "doc_type")

    def counted() -> dict:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return {f: dict(conn.execute(f"SELECT [{f}], count(*) AS n FROM mentions WHERE [{f}] IS NOT NULL "
                                         f"GROUP BY [{f}] ORDER BY n DESC, [{f}] LIMIT 30"))  # a facet's first 30
                    for f in facets}
        finally:
            conn.close()

    def shown_once_counted(site) -> dict:
        deadline = time.monotonic() + 120
        while True:
            data = get_json(site, f"/{name}/mentions.json?_size=1")
            results = data["facet_results"]
            if all(f in results for f in facets) or time.monotonic() > deadline:
                return {f: {r["value"]: r["count"] for r in results[f]["results"]} for f in facets if f in results}
            time.sleep(0.2)

    with Site(path, settings={"facet_time_limit_ms": 1}) as site:
        status, page = get(site, f"/{name}/mentions?_size=1")  # the first visit: Datasette's English said "timed out"
        assert status == 200
        timed_out = re.search(r'<p class="facets-timed-out">Đang đếm tiếp \(([^)]*)\)', page)
        assert timed_out and {"label", "year"} <= set(timed_out.group(1).split(", ")), page[:2000]
        assert shown_once_counted(site) == counted()
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE mentions SET label = 'ORG' WHERE rowid IN "
                         "(SELECT rowid FROM mentions WHERE label = 'LEGAL_REF' LIMIT 7)")
        conn.close()
        assert "label" not in get_json(site, f"/{name}/mentions.json?_size=1")["facet_results"]  # counted anew
        assert shown_once_counted(site) == counted()
        assert counted()["label"]["ORG"] == 7  # the synthetic facts have no organizations: these 7 show the commit


def test_a_figure_out_of_a_whole_is_shown_with_its_whole(site, db):
    """`49/63 tỉnh` is 49 provinces out of 63: the programme page shows `49/63`, not a bare 49, in its
    figures and in the values of each province and year."""
    from vnfacts.publish.programmes import programme_report
    from vnfacts.publish.site.vietnamese import vietnamese_number

    rows = db.execute("SELECT DISTINCT pf.programme_id, m.value, m.of_value FROM programme_figures pf"
                      " JOIN mentions m ON m.id = pf.figure_id WHERE m.of_value IS NOT NULL ORDER BY 1").fetchall()
    assert rows  # the corpus reports shares of a whole for its programmes (`12/20 xã`)
    checked = 0
    for slug, value, of in rows[:5]:
        report = programme_report(db, slug)
        if report is None or not any(f["of_value"] == of for f in report["figures"]):
            continue
        status, page = get(site, "/-/programmes/" + urllib.parse.quote(report["programme"]["id"]))
        # the value cell (the second of a figure's row; the first is the figure as written)
        value_cells = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", page.split('id="vn-figures"', 1)[1])
        assert status == 200 and f"{vietnamese_number(value)}/{vietnamese_number(of)}" in \
            [cell.split(" ")[-1] for cell in value_cells], slug
        checked += 1
    assert checked
    from vnfacts.publish.site.search_pages import figure_values

    assert str(figure_values([{"qualifier": None, "value": 49, "unit": "tỉnh", "of_value": 63},
                              {"qualifier": None, "value": 3.55, "unit": "%", "of_value": None}])) == "49/63 tỉnh; 3,55 %"
