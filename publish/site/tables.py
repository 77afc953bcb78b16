"""How the site's table and row pages print vnfacts values for people (the ``render_cell`` hook and
the script ``static/tables.js``); JSON and CSV keep the stored values.

- coded columns (``labels.yaml`` ``coded_columns``: a fact's label, an event's type, a figure's
  qualifier, an article's date source) print their Vietnamese name, the code beside it;
- figures print as Vietnamese writes them (``12.289``, ``3,55``, never ``24.0``);
- a document id prints with the form people write when that differs only in how it is written
  (``2/2017/TT-BYT`` beside ``02/2017/TT-BYT``), read from the mentions that cite it;
- an article's title links to its article page, clipped when it is a sentence, and so is the title
  Datasette prints beside an ``article_id``.

Long text is clipped on table pages by Datasette itself (``truncate_cells_html``, set by
``vnfacts serve``); the row page shows it whole.
"""
from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict

import regex
from markupsafe import Markup, escape

from vnfacts.extractor.clean import canonical
from vnfacts.publish.site.vietnamese import clipped, labels_file, vietnamese_name, vietnamese_number

# Columns holding a figure (a count of people, an amount): printed the Vietnamese way.
FIGURE_COLUMNS = {("mentions", "value"), ("mentions", "of_value"), ("events", "participants")}
# Columns holding a legal document's canonical id.
DOCUMENT_COLUMNS = {("mentions", "doc_id"), ("event_documents", "doc_id"), ("legal_documents", "id")}

_LEADING_ZEROS = regex.compile(r"(?<![0-9])0+(?=[0-9])")
_NUMBERED_TOKEN = regex.compile(r"(?<![\w/])\d[\w/.\-&]*\w")


def coded_columns() -> dict[tuple[str, str], str]:
    """(table, column) -> the kind of names (``labels.yaml``) its codes have."""
    return {tuple(key.split(".", 1)): kind for key, kind in labels_file()["coded_columns"].items()}


def same_document_id(written: str, doc_id: str) -> bool:
    """True when ``written`` is ``doc_id`` written another way: zeros before a number, case,
    Unicode form or tone placement."""
    def key(text: str) -> str:
        return _LEADING_ZEROS.sub("", canonical(text)).casefold()
    return key(written) == key(doc_id)


def written_form(mention_text: str, doc_id: str) -> str | None:
    """The form of ``doc_id`` a mention writes (``Thông tư 02/2017/TT-BYT`` -> ``02/2017/TT-BYT``),
    when it is the whole id written differently; else None."""
    for token in _NUMBERED_TOKEN.findall(mention_text or ""):
        if token != doc_id and same_document_id(token, doc_id):
            return token
    return None


def written_forms(conn: sqlite3.Connection) -> dict[str, str]:
    """doc id -> the form its mentions write most often, for the documents written otherwise than
    their id. Only the mentions that may write it otherwise are read: those whose text does not
    hold the id as stored (another Unicode form, case) or has a zero before a digit (``02/2017``)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for doc_id, text in conn.execute("SELECT doc_id, text FROM mentions WHERE label = 'LEGAL_REF' "
                                     "AND doc_id IS NOT NULL AND (instr(text, doc_id) = 0 OR text GLOB '*0[0-9]*')"):
        form = written_form(text, doc_id)
        if form:
            seen[doc_id][form] += 1
    return {doc_id: forms.most_common(1)[0][0] for doc_id, forms in seen.items()}


def coded_cell(code, kind: str) -> Markup:
    return Markup(f'<span class="vn-coded" data-code="{escape(code)}">{escape(vietnamese_name(code, kind))}</span> '
                  f'<code class="vn-code">{escape(code)}</code>')


def figure_cell(value) -> Markup:
    return Markup(f'<span class="vn-figure" data-value="{escape(value)}">{escape(vietnamese_number(value))}</span>')


def document_cell(doc_id: str, href: str | None, written: str | None) -> Markup:
    shown = f'<a href="{escape(href)}">{escape(doc_id)}</a>' if href else str(escape(doc_id))
    if written:
        shown += f' <span class="vn-written" title="cách viết trong bài">({escape(written)})</span>'
    return Markup(shown)


def article_reference_cell(article_id: str, title: str, href: str) -> Markup:
    """An ``article_id`` cell Datasette would show with the article's whole title as its label:
    the same link, the title clipped (a sentence-long title once on every row of a list)."""
    shown = clipped(title)
    hint = f' title="{escape(title)}"' if shown != title else ""
    return Markup(f'<a href="{escape(href)}"{hint}>{escape(shown)}</a>&nbsp;<em>{escape(article_id)}</em>')


def title_cell(title: str, href: str) -> Markup:
    shown = clipped(title)
    hint = f' title="{escape(title)}"' if shown != title else ""
    return Markup(f'<a class="vn-article-link" href="{escape(href)}"{hint}>{escape(shown)}</a>')
