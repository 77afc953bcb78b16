"""What the site shows about programmes: one programme per real programme, and for each its names,
the decisions approving it, its events, its mentions by province and year, and the figures
reported with it. Plain functions on an SQLite connection, so the plugin, the tests and anyone else
read the same numbers.

The ``programmes`` table has one row per written name (a slug of the folded name, as ``vnfacts
load`` writes it). Here names are merged into programmes, at read time, so that the merge always
agrees with the facts and with ``data/programmes.yaml``:

1. names listed together in the data file's ``aliases`` are one programme, with the name it gives;
2. names the text ties to the same approving document are one programme (``norm.ref``), except a
   plan carrying out a programme (``Kế hoạch thực hiện Đề án ...``), a programme of its own;
3. a name that is a keyword and a number (``Đề án 1533``) joins the programme approved by the
   document of that number (``1533/QĐ-TTg``);
4. names equal once folded (case, diacritics, tone placement, abbreviations spelled out: ``CLB`` is
   ``Câu lạc bộ``) are one programme, and so are names that differ only by their scope (``... trên
   địa bàn tỉnh Bình Dương``), unless the documents approving them differ.

Names that the guide's PROGRAM settled cases say are not programmes (``chương trình khám``,
``cuộc vận động 5``) are set aside with the reason (:func:`not_a_programme`).

A mention's province is where it happened: the province of the event told in the same sentence,
else of the place the sentence names, else of the article's main event, else the article's.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from vnfacts.extractor.clean import canonical, fold_query
from vnfacts.extractor.document import is_estimated_date
from vnfacts.extractor.resources import load_data

UNKNOWN = "(không rõ)"  # the chart label of mentions whose province or year no fact gives
DATA_FILE = Path(__file__).with_name("data") / "programmes.yaml"


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _chunks(values: list, size: int = 500) -> Iterable[list]:
    return (values[i:i + size] for i in range(0, len(values), size))


# -- names ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def programme_data() -> dict[str, Any]:
    """``data/programmes.yaml`` with its word lists folded, and the extractor's programme keywords
    and abbreviations (their one home: extractor/data/programs.yaml and orgs.yaml)."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    lists = ("generic_names", "campaign_keywords", "person_titles", "draft_keywords", "scope_places",
             "implementing_plan")
    out = {k: sorted({fold_query(w) for w in data[k]}, key=len, reverse=True) for k in lists}
    # clause words keep their diacritics: folded, `vẫn` would be the `vận` of `cuộc vận động`
    out["clause_words"] = sorted({canonical(w).lower() for w in data["clause_words"]}, key=len, reverse=True)
    out["aliases"] = data["aliases"]
    out["keywords"] = sorted({fold_query(k) for k in load_data("programs.yaml")["keywords"]}, key=len, reverse=True)
    out["abbreviations"] = {k: v for k, v in load_data("orgs.yaml")["abbreviations"].items() if re.fullmatch(r"\w+", k)}
    return out


def _words(folded: str) -> str:
    """Folded text as words separated by single spaces (punctuation dropped: `tp.hcm` -> `tp hcm`)."""
    return " ".join(re.findall(r"\w+", folded))


def _phrase(words: list[str]) -> str:
    return r"(?:" + "|".join(re.escape(w) for w in words) + r")"


@lru_cache(maxsize=65_536)  # a pure function of the name; every page of programmes asks again
def name_key(name: str) -> str:
    """The words a name is compared by: a heading in capitals cut where the capitals end
    (`CHƯƠNG TRÌNH TRÁI TIM CHO EM Ủng hộ trực tiếp`), cut before a word that starts a clause
    (`Chương trình chống lao vẫn duy trì ...`), abbreviations spelled out as ORG names spell them
    (`CLB` -> `Câu lạc bộ`), folded, one word per space."""
    data = programme_data()
    tokens = name.split()
    capitals = next((i for i, t in enumerate(tokens) if not t.isupper()), len(tokens))
    if 2 <= capitals < len(tokens):
        tokens = tokens[:capitals]
    text = " ".join(data["abbreviations"].get(t, t) for t in tokens)
    words = re.findall(r"\w+", canonical(text).lower())
    keyword = _keyword_of(_words(fold_query(" ".join(words))))
    head = len(keyword.split()) if keyword else 0  # a clause word inside the keyword is the keyword's
    tail = " ".join(words[head:])
    clause = re.search(r"(?:^|\s)" + _phrase(data["clause_words"]) + r"(?=\s|$)", tail)
    if clause:
        tail = tail[:clause.start()]
    return _words(fold_query(" ".join(words[:head]) + " " + tail))


def _keyword_of(key: str) -> str | None:
    return next((k for k in programme_data()["keywords"] if key == k or key.startswith(k + " ")), None)


def number_of(key: str) -> tuple[str, int] | None:
    """(keyword, number) of a name that is a keyword and a number (`de an 1533`), else None."""
    keyword = _keyword_of(key)
    m = re.fullmatch(r"(?:so )?0*(\d{1,5})[a-z]?", key[len(keyword):].strip()) if keyword else None
    return (keyword, int(m.group(1))) if m else None


# Why a name is set aside (the guide's PROGRAM settled cases): code -> what it means. The site
# prints the Vietnamese of each code (publish/site/labels.yaml, `set_aside_reasons`).
SET_ASIDE_REASONS = {
    "no_keyword": "no programme keyword",
    "bare_keyword": "a bare keyword",
    "activity": "an activity or a work plan, not a named programme",
    "cut_off_campaign": "a campaign is named by words: a bare number is a cut-off name",
    "agenda": "an agenda or a show (a person's title follows the keyword)",
    "bill": "a draft of a legal document (`dự án Luật ...` is a bill), not a programme",
}


def not_a_programme(name: str) -> str | None:
    """Why the guide's PROGRAM settled cases say ``name`` is not a programme (a code of
    :data:`SET_ASIDE_REASONS`), or None."""
    data = programme_data()
    key = name_key(name)
    keyword = _keyword_of(key)
    if keyword is None:
        return "no_keyword"
    rest = key[len(keyword):].strip()
    if not rest:
        return "bare_keyword"
    if rest in data["generic_names"]:
        return "activity"
    if keyword in data["campaign_keywords"] and re.fullmatch(r"\d+", rest):
        return "cut_off_campaign"
    if re.match(_phrase(data["person_titles"]) + r"(?:\s|$)", rest):
        return "agenda"
    if keyword in data["draft_keywords"] and re.match(_phrase(_document_types()) + r"(?:\s|$)", rest):
        return "bill"
    return None


@lru_cache(maxsize=1)
def _document_types() -> list[str]:
    """The folded type words of legal documents (their one home: extractor/data/legal_refs.yaml)."""
    from vnfacts.extractor.legal_refs import legal_data

    return sorted({w for t in legal_data().types for w in t.words}, key=len, reverse=True)


@lru_cache(maxsize=8)
def _scope_pattern(provinces: tuple[str, ...]) -> re.Pattern:
    places = programme_data()["scope_places"] + sorted({_words(fold_query(p)) for p in provinces}, key=len, reverse=True)
    return re.compile(r"\s(?:tren dia ban\s|(?:tai|o)\s(?=" + _phrase(places) + r"(?:\s|$))).*$")


def scope_free_key(key: str, provinces: Iterable[str]) -> str:
    """``key`` less a trailing scope: `tren dia ban` and what follows, or `tai`/`o` before a place
    (`tai viet nam`, `tai quang nam`; not `tai cong dong`)."""
    m = _scope_pattern(tuple(sorted(provinces))).search(key)
    return key[:m.start()] if m else key


class _Merge:
    """Union-find over name rows, each group knowing its approving documents."""

    def __init__(self, rows: list[dict]):
        self.parent = {r["id"]: r["id"] for r in rows}
        self.refs = {r["id"]: ({r["ref"]} if r["ref"] else set()) for r in rows}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, only_if_compatible: bool = False) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if only_if_compatible and self.refs[ra] and self.refs[rb] and not (self.refs[ra] & self.refs[rb]):
            return  # approved by different documents: two programmes with one wording
        self.parent[rb] = ra
        self.refs[ra] |= self.refs.pop(rb)


def _union_by(merge: _Merge, rows: list[dict], key, only_if_compatible: bool) -> None:
    first: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: (-r["mentions"], r["id"])):
        k = key(r)
        if k is None:
            continue
        if k in first:
            merge.union(first[k], r["id"], only_if_compatible)
        else:
            first[k] = r["id"]


def programme_groups(conn: sqlite3.Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(programmes, names set aside). A programme: ``id`` (the id of its main name), ``name``,
    ``names`` (its name rows, most mentioned first), ``refs``, ``period``, ``mentions``,
    ``articles``, ``alias_source``. A name set aside: its row, ``reason_code`` and ``reason``.

    The merge is a function of the name rows alone (and the data file), so it is computed once
    for each state of the table: every page and word search asks for it."""
    rows = conn.execute("SELECT id, name, ref, period, mentions, articles FROM programmes ORDER BY id").fetchall()
    provinces = [r[0] for r in conn.execute("SELECT name FROM provinces")] if _has_table(conn, "provinces") else []
    programmes, set_aside = _merged(tuple(tuple(r) for r in rows), tuple(sorted(provinces)))
    return [dict(p) for p in programmes], [dict(r) for r in set_aside]  # callers may fill in counts


@lru_cache(maxsize=4)
def _merged(rows: tuple[tuple, ...], provinces: tuple[str, ...]) -> tuple[list[dict], list[dict]]:
    kept, set_aside = [], []
    for row in rows:
        r = dict(zip(("id", "name", "ref", "period", "mentions", "articles"), row))
        reason = not_a_programme(r["name"])
        if reason:
            set_aside.append({**r, "reason_code": reason, "reason": SET_ASIDE_REASONS[reason]})
        else:
            kept.append({**r, "key": name_key(r["name"])})
    merge, alias_of = _merge_names(kept, provinces)
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in kept:
        groups[merge.find(r["id"])].append(r)
    programmes = [_programme(members, sorted(merge.refs[root]), alias_of) for root, members in groups.items()]
    programmes.sort(key=lambda p: (-p["mentions"], p["name"]))
    return programmes, set_aside


def _merge_names(kept: list[dict], provinces: tuple[str, ...]) -> tuple[_Merge, dict[str, dict]]:
    """The names of one programme joined, by the rules of the module's docstring, in its order."""
    data = programme_data()
    merge = _Merge(kept)
    plan = re.compile(_phrase(data["implementing_plan"]) + r"\s")
    alias_of: dict[str, dict] = {}
    for entry in data["aliases"]:
        keys = {name_key(entry["name"])} | {name_key(a["name"]) for a in entry["names"]}
        members = [r["id"] for r in kept
                   if r["key"] in keys or (r["ref"] == entry["ref"] and not plan.match(r["key"]))]
        for m in members[1:]:
            merge.union(members[0], m)
        for m in members:
            alias_of[m] = entry
            merge.refs[merge.find(m)].add(entry["ref"])
    _union_by(merge, kept, lambda r: r["ref"] if r["ref"] and not plan.match(r["key"]) else None, False)
    by_number: dict[int, list[str]] = defaultdict(list)  # approving documents' numbers
    for r in kept:
        m = re.match(r"\d+", r["ref"] or "")
        if m and not plan.match(r["key"]):
            by_number[int(m.group(0))].append(r["id"])
    for r in kept:
        numbered = number_of(r["key"])
        for other in by_number.get(numbered[1], []) if numbered else []:
            merge.union(other, r["id"], only_if_compatible=True)
    _union_by(merge, kept, lambda r: r["key"], True)
    _union_by(merge, kept, lambda r: scope_free_key(r["key"], provinces), True)
    return merge, alias_of


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _programme(members: list[dict], refs: list[str], alias_of: dict[str, dict]) -> dict[str, Any]:
    members = sorted(members, key=lambda r: (-r["mentions"], r["id"]))
    entry = next((alias_of[m["id"]] for m in members if m["id"] in alias_of), None)

    def readable(r):  # a worded name over a number, written in lower and upper case, most mentioned
        return (number_of(r["key"]) is not None, r["name"].isupper(), -r["mentions"], len(r["name"]), r["id"])

    named = [m for m in members if entry and m["key"] == name_key(entry["name"])]
    main = named[0] if named else min(members, key=readable)
    periods = Counter(m["period"] for m in members if m["period"])
    return {"id": main["id"], "name": entry["name"] if entry else main["name"],
            "names": [{k: m[k] for k in ("id", "name", "ref", "period", "mentions", "articles")} for m in members],
            "refs": refs, "ref": refs[0] if len(refs) == 1 else (main["ref"] or (refs[0] if refs else None)),
            "period": periods.most_common(1)[0][0] if periods else None,
            "mentions": sum(m["mentions"] for m in members),
            "articles": None,  # filled from the mentions (an article may name several of the names)
            "alias_source": list(entry["names"]) if entry else []}


def programme_index(conn: sqlite3.Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every programme (merged, most mentioned first, with its count of distinct articles) and the
    names set aside: what the site's list shows."""
    programmes, set_aside = programme_groups(conn)
    count_articles(conn, programmes)
    return programmes, set_aside


def count_articles(conn: sqlite3.Connection, programmes: list[dict]) -> None:
    """Fill in each programme's count of distinct articles: a programme of one name has its name
    row's; the articles of several names are counted once each, from their mentions."""
    for p in programmes:
        if len(p["names"]) == 1:
            p["articles"] = p["names"][0]["articles"]
        if len(p["names"]) > 1:
            ids = [n["id"] for n in p["names"]]
            p["articles"] = conn.execute(f"SELECT count(DISTINCT article_id) FROM programme_places"
                                         f" WHERE programme_id IN ({', '.join('?' * len(ids))})", ids).fetchone()[0]


def find_programme(conn: sqlite3.Connection, name_id: str) -> tuple[dict | None, dict | None]:
    """(the programme one of whose names has id ``name_id``, the set-aside name with that id); the
    programme's count of articles is left to fill (`count_articles`, or its page's counts by year)."""
    programmes, set_aside = programme_groups(conn)
    found = next((p for p in programmes if any(n["id"] == name_id for n in p["names"])), None)
    return found, next((s for s in set_aside if s["id"] == name_id), None)


def programmes_numbered(conn: sqlite3.Connection, keyword: str, number: int) -> list[dict[str, Any]]:
    """The programmes a query such as `Đề án 1533` names: a name that is this keyword and number,
    else a programme whose name has the keyword and whose approving document has the number."""
    programmes, _ = programme_groups(conn)
    by_name = [p for p in programmes if any(number_of(name_key(n["name"])) == (keyword, number) for n in p["names"])]
    by_ref = [p for p in programmes if any(re.match(rf"0*{number}(?!\d)", r) for r in p["refs"])
              and any(name_key(n["name"]).startswith(keyword + " ") for n in p["names"])]
    found = by_name or by_ref
    count_articles(conn, found)
    return found


def matching_programmes(programmes: list[dict], query: str) -> list[dict]:
    """The programmes whose names and approving documents hold every word of ``query``, folded
    (`tre em khuyet tat` finds `trẻ em khuyết tật`; `1533` finds the programme of 1533/QĐ-TTg)."""
    wanted = set(re.findall(r"\w+", fold_query(query)))

    def words(p):
        written = " ".join([p["name"], *(n["name"] for n in p["names"]), *p["refs"]])
        return set(re.findall(r"\w+", fold_query(written)))

    return [p for p in programmes if wanted <= words(p)]


# -- one programme's page -----------------------------------------------------------------------
def mention_places(conn: sqlite3.Connection, mentions: list[dict]) -> None:
    """Give each mention (``article_id``, ``sentence_index``, ``article_province``) its
    ``province`` and ``province_source`` (`where_it_happened`)."""
    articles = sorted({m["article_id"] for m in mentions})
    events: dict[str, dict] = defaultdict(dict)
    main_event: dict[str, str] = {}
    places: dict[str, dict] = defaultdict(lambda: defaultdict(Counter))
    for chunk in _chunks(articles):
        marks = ", ".join("?" * len(chunk))
        for article_id, sentence, province, is_main in conn.execute(
                f"SELECT article_id, sentence_index, province, is_main FROM events WHERE article_id IN ({marks})"
                " AND province IS NOT NULL ORDER BY position", chunk):
            events[article_id].setdefault(sentence, province)
            if is_main:
                main_event[article_id] = province
        for article_id, sentence, province in conn.execute(
                f"SELECT article_id, sentence_index, province FROM mentions WHERE article_id IN ({marks})"
                " AND label = 'LOC' AND province IS NOT NULL ORDER BY position", chunk):
            places[article_id][sentence][province] += 1
    for m in mentions:
        a = m["article_id"]
        m["province"], m["province_source"] = where_it_happened(
            m["sentence_index"], events.get(a, {}), places.get(a, {}), main_event.get(a), m.get("article_province"))


def where_it_happened(sentence: int | None, event_provinces: dict, named_provinces: dict[Any, Counter],
                      main_event: str | None, article_province: str | None) -> tuple[str | None, str | None]:
    """(province, how it was found) of what one sentence of an article tells: the province of the
    first event told in it (``event_provinces``: sentence -> province), else the province its
    places name most (``named_provinces``: sentence -> counts, ties to the first named), else the
    province of the article's main event, else the article's."""
    if sentence in event_provinces:
        return event_provinces[sentence], "event"
    if named_provinces.get(sentence):
        return named_provinces[sentence].most_common(1)[0][0], "sentence"
    if main_event is not None:
        return main_event, "main_event"
    return article_province, "article" if article_province else None


def _by_year(conn: sqlite3.Connection, ids: list[str], estimated_dates: bool) -> list[dict[str, Any]]:
    """Mentions and distinct articles of these names by year (``programme_places``). An article
    has one year and one date source: the articles of the groups folded into one year add up."""
    counts: dict[Any, list] = defaultdict(lambda: [0, 0])
    estimated: Counter = Counter()  # of a year's mentions, those of articles whose date is an estimate
    for year, date_source, mentions, articles in conn.execute(
            f"SELECT year, date_source, sum(mentions), count(DISTINCT article_id) FROM programme_places"
            f" WHERE programme_id IN ({', '.join('?' * len(ids))}) GROUP BY 1, 2", ids):
        if not estimated_dates and is_estimated_date(date_source):
            year = None
        counts[year][0] += mentions
        counts[year][1] += articles
        estimated[year] += mentions if year is not None and is_estimated_date(date_source) else 0
    rows = _labelled(counts)
    for row, year in zip(rows, counts):
        row["estimated"] = estimated[year]
    return sorted(rows, key=lambda r: (r["label"] == UNKNOWN, r["label"]))


def _by_province(conn: sqlite3.Connection, ids: list[str]) -> list[dict[str, Any]]:
    """Mentions and distinct articles of these names by the province where they happened."""
    counts = {province or None: [mentions, articles] for province, mentions, articles in conn.execute(
        f"SELECT province, sum(mentions), count(DISTINCT article_id) FROM programme_places"
        f" WHERE programme_id IN ({', '.join('?' * len(ids))}) GROUP BY 1", ids)}  # '': no province known
    return sorted(_labelled(counts), key=lambda r: (r["label"] == UNKNOWN, -r["mentions"], r["label"]))


def _labelled(counts: dict[Any, list]) -> list[dict[str, Any]]:
    return [{"label": UNKNOWN if k is None else str(k), "mentions": n, "articles": a} for k, (n, a) in counts.items()]


def programme_rows(article: dict, mentions: list[dict], events: list[dict]) -> dict[str, list[dict]]:
    """From one article's rows, what a programme's page reads instead of every mention and event,
    by table (`PROGRAMME_ROW_TABLES`): where its programme mentions happened (`where_it_happened`),
    one row per programme and province with how many mentions (``programme_places``; no province
    is ''); each figure told in a sentence naming a programme, with that sentence's province
    (``programme_figures``); and each event of a programme, with its date (``programme_events``):
    the article's main event, and every event told in a sentence naming the programme (``told``)."""
    event_provinces: dict = {}
    main_event = None
    for e in events:  # in position order
        if e["province"] is not None:
            event_provinces.setdefault(e["sentence_index"], e["province"])
            main_event = e["province"] if e["is_main"] else main_event
    named: dict = defaultdict(Counter)
    figures: dict = defaultdict(list)
    for m in mentions:
        if m["label"] == "LOC" and m["province"] is not None:
            named[m["sentence_index"]][m["province"]] += 1
        elif m["label"] == "FIGURE":
            figures[m["sentence_index"]].append(m["id"])
    counted: Counter = Counter()
    paired: dict = {}
    told: dict[str, set] = defaultdict(set)  # programme -> the sentences naming it
    for m in mentions:
        if m["programme_id"] is None:
            continue
        province, _ = where_it_happened(m["sentence_index"], event_provinces, named, main_event, article["province"])
        counted[(m["programme_id"], province or "")] += 1
        if m["sentence_index"] is not None:
            told[m["programme_id"]].add(m["sentence_index"])
            for figure_id in figures.get(m["sentence_index"], []):
                paired.setdefault((m["programme_id"], figure_id), province)
    same = {"article_id": article["id"], "year": article["year"], "date_source": article["date_source"]}
    return {
        "programme_places": [{"programme_id": p, "province": place, "mentions": n, **same}
                             for (p, place), n in counted.items()],
        "programme_figures": [{"programme_id": p, "figure_id": f, "province": place, **same}
                              for (p, f), place in paired.items()],
        "programme_events": [{"programme_id": p, "event_id": e["id"], "article_id": article["id"], "date": e["date"],
                              "told": int(e["sentence_index"] in told[p])}
                             for p in sorted({p for p, _ in counted}) for e in events
                             if e["is_main"] or e["sentence_index"] in told[p]],
    }


PROGRAMME_ROW_TABLES = ("programme_places", "programme_figures", "programme_events")


# Mentions, figures and events a programme's page lists (its counts and charts cover them all): the
# most mentioned programme of a million articles has tens of thousands of each, which no reader
# scrolls through and which took seconds to send; the whole lists are a link away in Datasette.
PAGE_ROWS = 50
VALUES_PER_GROUP = 10  # the figures a province and year's row of the figures table spells out


def programme_report(conn: sqlite3.Connection, name_id: str, estimated_dates: bool = True,
                     shown: int = PAGE_ROWS) -> dict[str, Any] | None:
    """One programme (found by the id of any of its names): its row, names, approving documents,
    counts of its mentions by year and by the province where they happened (`where_it_happened`),
    its events, and the figures reported with it with their counts by province and year; the first
    ``shown`` of its mentions, events and figures, with how many there are in all (``totals``).
    Counts come from the rows each load keeps (``programme_places``, ``programme_figures``), so the
    page costs the same for a programme mentioned ten or ten thousand times.
    ``estimated_dates=False`` counts the mentions of articles whose date is an estimate (guide: the
    article's date) under an unknown year."""
    programme, _ = find_programme(conn, name_id)
    if programme is None:
        return None
    ids = [n["id"] for n in programme["names"]]
    mentions = _first_mentions(conn, ids, shown, estimated_dates)
    mention_places(conn, mentions)
    figures, figure_groups, figure_total = _figures(conn, ids, shown, estimated_dates)
    events, event_total = _events(conn, programme, ids, shown)
    documents = _rows(conn, f"SELECT id, type, issuer, signed, mentions, articles, events FROM legal_documents"
                            f" WHERE id IN ({', '.join('?' * len(programme['refs']))})", programme["refs"]) \
        if programme["refs"] else []
    by_province = _by_province(conn, ids)
    by_year = _by_year(conn, ids, estimated_dates)
    # an article has one year and date source: its articles by year add up to its distinct articles
    programme["articles"] = sum(r["articles"] for r in by_year)
    return {"programme": programme, "documents": documents,
            "by_year": by_year, "by_province": by_province,
            "mentions": mentions, "events": events, "figures": figures, "figures_by_province_year": figure_groups,
            "totals": {"mentions": sum(r["mentions"] for r in by_province), "events": event_total,
                       "figures": figure_total},
            "shown": shown}


def _forget_estimated_years(rows: list[dict], estimated_dates: bool) -> None:
    if not estimated_dates:
        for r in rows:
            if is_estimated_date(r["date_source"]):
                r["year"] = None


def _first_mentions(conn: sqlite3.Connection, ids: list[str], shown: int, estimated_dates: bool) -> list[dict]:
    """The first ``shown`` mentions of these names, by year (unknown last), article and place in
    it (`_first_mention_rows`), then read."""
    chosen = _first_mention_rows(conn, ids, shown)
    mentions = _rows(conn, f"""
        SELECT m.id, m.article_id, a.title, m.text, m.name, m.period, m.sentence_index, m.sentence, a.date, m.year,
               a.province AS article_province, a.date_source
        FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE m.rowid IN ({', '.join('?' * len(chosen))})
        ORDER BY m.year IS NULL, m.year, m.article_id, m.position""", chosen) if chosen else []
    _forget_estimated_years(mentions, estimated_dates)
    return mentions


def _first_mention_rows(conn: sqlite3.Connection, ids: list[str], shown: int) -> list[int]:
    """The rowids of the first ``shown`` mentions of these names by year (unknown last), article,
    sentence and rowid: the first of each name read in the order of the index `mentions(programme_id,
    year, article_id, sentence_index)`, then merged. One query over all the names sorted every
    mention of the programme (28,000 for the most mentioned at a million articles) to keep 50."""
    found = []
    for name_id in ids:
        for dated in ("year IS NOT NULL", "year IS NULL"):
            found += conn.execute(
                f"SELECT year IS NULL, year, article_id, sentence_index IS NOT NULL, sentence_index, rowid FROM mentions"
                f" WHERE programme_id = ? AND {dated} ORDER BY year, article_id, sentence_index, rowid LIMIT ?",
                (name_id, shown)).fetchall()
    return [r[-1] for r in sorted(found, key=lambda r: (r[0], r[1] or 0, r[2], r[3], r[4] or 0, r[5]))[:shown]]


def _figures(conn: sqlite3.Connection, ids: list[str], shown: int, estimated_dates: bool
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """(the first ``shown`` FIGURE facts of the sentences naming the programme, with the sentence's
    province and year; the first ``shown`` of their groups by province and year, each with how many
    it holds and its first VALUES_PER_GROUP spelled out; how many figures in all). Counted, chosen
    and listed by SQLite from an index alone (`programme_figures(programme_id, province, year,
    date_source, figure_id)`): the most mentioned programme has thousands of figures, and reading
    them into Python cost more than the rest of its page. A figure in a sentence naming two of the
    names is counted once: its province is the sentence's and its year and date source the
    article's, so both rows fall in the same group."""
    names = f"programme_id IN ({', '.join('?' * len(ids))})"
    parts: dict[tuple, list[tuple]] = defaultdict(list)  # (province, year shown) -> its (year, date_source)
    counts: Counter = Counter()
    estimated: Counter = Counter()  # of a group's figures, those whose year shown is an estimate
    for province, year, date_source, n in conn.execute(
            f"SELECT province, year, date_source, count(DISTINCT figure_id) FROM programme_figures"
            f" WHERE {names} GROUP BY 1, 2, 3", ids):
        group = (province, None if not estimated_dates and is_estimated_date(date_source) else year)
        parts[group].append((year, date_source))
        counts[group] += n
        estimated[group] += n if group[1] is not None and is_estimated_date(date_source) else 0
    groups = sorted(parts, key=lambda g: (g[0] is None, g[0] or "", g[1] or 0))[:shown]
    spelled = {g: sorted({f for year, date_source in parts[g] for (f,) in conn.execute(
        f"SELECT DISTINCT figure_id FROM programme_figures WHERE {names} AND province IS ? AND year IS ?"
        f" AND date_source IS ? ORDER BY 1 LIMIT ?", [*ids, g[0], year, date_source, VALUES_PER_GROUP])})[:VALUES_PER_GROUP]
        for g in groups}
    listed = [f for (f,) in conn.execute(f"SELECT DISTINCT figure_id FROM programme_figures WHERE {names}"
                                         f" ORDER BY 1 LIMIT ?", [*ids, shown])]
    placed = {f: (province, None if not estimated_dates and is_estimated_date(date_source) else year,
                  estimated_dates and year is not None and is_estimated_date(date_source))
              for f, province, year, date_source in conn.execute(
                  f"SELECT figure_id, province, year, date_source FROM programme_figures WHERE {names}"
                  f" AND figure_id IN ({', '.join('?' * len(listed))})", [*ids, *listed])} if listed else {}
    details = {f["id"]: f for f in _by_id(conn, "id, article_id, sentence_index, text, value, unit, qualifier, of_value, sentence",
                                          listed)}
    # the values spelled out need no sentence (reading the sentences of 500 facts doubled the time)
    values = {f.pop("id"): f for f in _by_id(conn, "id, text, value, unit, qualifier, of_value",
                                             sorted({f for fs in spelled.values() for f in fs}))}
    figures = [{**details[f], "province": placed[f][0], "year": placed[f][1], "year_estimated": placed[f][2]}
               for f in listed]
    table = [{"province": g[0] or UNKNOWN, "year": g[1], "figures": counts[g], "values": [values[f] for f in spelled[g]],
              "estimated_figures": estimated[g]} for g in groups]
    return figures, table, sum(counts.values())


def _by_id(conn: sqlite3.Connection, columns: str, ids: list[str]) -> list[dict]:
    found = []
    for chunk in _chunks(ids):
        found += _rows(conn, f"SELECT {columns} FROM mentions WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
    return found


def _events(conn: sqlite3.Connection, programme: dict, ids: list[str], shown: int) -> tuple[list[dict[str, Any]], int]:
    """(the first ``shown`` events of a programme, by date (unknown last) and id, and how many there
    are). Each says why it belongs (``link``): it cites a document approving the programme
    (``document``), it is told in a sentence naming the programme (``sentence``), or it is the main
    event of an article naming the programme (``article``). The last two are the rows each load
    keeps (``programme_events``): each name's first ``shown`` read in order from its index, then
    merged with the events citing the documents (a few: `event_documents` by document)."""
    by_document: dict[str, str | None] = {}
    if programme["refs"]:
        by_document.update(conn.execute(
            f"SELECT e.id, e.date FROM event_documents ed JOIN events e ON e.id = ed.event_id"
            f" WHERE ed.doc_id IN ({', '.join('?' * len(programme['refs']))})", programme["refs"]))
    dated = dict(by_document)
    for name_id in ids:
        for known in ("date IS NOT NULL", "date IS NULL"):
            dated.update(conn.execute(
                f"SELECT event_id, date FROM programme_events WHERE programme_id = ? AND {known}"
                f" ORDER BY date, event_id LIMIT ?", (name_id, shown)))
    first = sorted(dated, key=lambda e: (dated[e] is None, dated[e] or "", e))[:shown]
    names = f"programme_id IN ({', '.join('?' * len(ids))})"
    told = {event_id for chunk in _chunks(first) for (event_id,) in conn.execute(
        f"SELECT DISTINCT event_id FROM programme_events WHERE {names} AND told = 1"
        f" AND event_id IN ({', '.join('?' * len(chunk))})", ids + chunk)}
    found = {}
    for chunk in _chunks(first):
        for r in _rows(conn, f"""SELECT e.id, e.article_id, a.title, e.type, e.date, e.province, e.location,
                                        e.participants, e.sentence
                                 FROM events e JOIN articles a ON a.id = e.article_id
                                 WHERE e.id IN ({', '.join('?' * len(chunk))})""", chunk):
            link = "document" if r["id"] in by_document else "sentence" if r["id"] in told else "article"
            found[r["id"]] = {**r, "link": link}
    return [found[e] for e in first], _count_events(conn, ids, list(by_document))


def _count_events(conn: sqlite3.Connection, ids: list[str], by_document: list[str]) -> int:
    """How many events a programme has: those of its names' rows and those citing its documents,
    each once (an article naming two of its names has one main event)."""
    names = f"programme_id IN ({', '.join('?' * len(ids))})"
    if len(ids) == 1 and not by_document:
        return conn.execute(f"SELECT count(*) FROM programme_events WHERE {names}", ids).fetchone()[0]
    return conn.execute(
        f"SELECT count(*) FROM (SELECT event_id FROM programme_events WHERE {names}"
        f" UNION SELECT value FROM json_each(?))", [*ids, json.dumps(by_document)]).fetchone()[0]
