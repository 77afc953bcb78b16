"""What the fuzz tests feed the entry points: Vietnamese-like text with the things that break
text code (codes, dates, combining marks, line and paragraph separators, control and zero-width
characters, very long letter runs), its written variants, random query strings, and a hard time
limit so that a hang fails the test instead of stalling the suite."""
from __future__ import annotations

import contextlib
import json
import os
import string
import unicodedata

from hypothesis import strategies as st

from vnfacts.extractor.pipeline import BudgetExceeded, time_budget

# Every test's number of examples is multiplied by this: `VNFACTS_FUZZ_SCALE=10` for a longer hunt.
SCALE = float(os.environ.get("VNFACTS_FUZZ_SCALE") or 1)


def examples(n: int) -> int:
    """``n`` examples, scaled by VNFACTS_FUZZ_SCALE."""
    return max(1, round(n * SCALE))

SYLLABLES = (
    "Quyết định số Nghị quyết Thông tư ngày tháng năm Sở Y tế tỉnh Nghệ An UBND Hà Nội hội nghị tổ chức "
    "trẻ em người cao tuổi Đề án Chương trình hòa nhập Ủy ban nhân dân TP.HCM Bình Dương đại biểu khoảng "
    "hơn tỷ đồng triệu giai đoạn quý Thủ tướng Chính phủ Bộ Lao động Thương binh Xã hội huyện xã phường "
    "thị trấn Điều khoản Luật tại với và của tham dự sơ kết tổng kết tập huấn ký kết lễ khai mạc Hội "
    "Người khuyết tật Việt Nam Trung tâm Công tác Quỹ Bảo trợ khuyết tật Phó Chủ tịch ông bà lượt hộ "
    "nghèo hoà thuỷ khoẻ Uỷ quan trọng được"
).split()
CODES = ("1438/QĐ-TTg", "57-NQ/TW", "56/2017/NĐ-CP", "99/2015/QH13", "1533/QĐ-UBND", "QĐ 1438", "Đề án 1533",
         "quyet dinh 1438", "NQ-TW", "45/2019/QH14", "Nghị định 56", "khoản 6 Điều 7", "TP.HCM", "LĐ-TB&XH")
NUMBERS = ("12.289", "3,55%", "1,5 tỷ đồng", "21 tỷ 300 triệu đồng", "61/91 xã", "1,234,567", "0", "00", "120",
           "99999999999999999999", "3 trong 5 tỉnh", "-7", "1.000.000.000.000.000.000")
PUNCTUATION = (". ", ", ", ": ", "; ", " (", ") ", '"', "“", "”", " - ", " – ", " — ", "…", "/", "\n", "\n\n", "\t",
               "!", "?", " ", "  ")
# Characters text code trips on: combining marks (tone and hook marks, stacked), line and paragraph
# separators that str.splitlines honours, control characters, zero-width and odd spaces, an emoji
# (two UTF-16 units), a replacement character and a byte-order mark.
ODD = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302\u0301", "\u0306\u0323", "\u0300" * 30,
       "\u2028", "\u2029", "\u0085", "\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\u200b", "\u200c", "\u200d",
       "\ufeff", "\u00a0", "\u202f", "\u3000", "😀", "\ufffd", "\u00ad", "\u2060")


@st.composite
def dates(draw) -> str:
    """A date as articles write it, valid or not (``25/3/20210``, ``31/2/2023``, ``0/0/0``)."""
    day, month = draw(st.integers(0, 40)), draw(st.integers(0, 14))
    year = draw(st.sampled_from([1990, 2015, 2023, 2025, 2026, 20210, 0, 99]))
    form = draw(st.sampled_from([
        "ngày {d} tháng {m} năm {y}", "{d}/{m}/{y}", "{d}-{m}-{y}", "{d}.{m}.{y}", "ngày {d}/{m}", "tháng {m}/{y}",
        "quý II/{y}", "năm {y}", "giai đoạn {y} - {y2}", "{y} – {y2}", "từ ngày {d}/{m} đến ngày {d}/{m}/{y}",
        "những năm {y}", "chiều {d}/{m}",
    ]))
    return form.format(d=day, m=month, y=year, y2=year + draw(st.integers(-3, 10)))


def letter_runs(max_size: int = 6_000):
    """A very long run of letters with no space: one token as long as a paragraph."""
    return st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "đ", "Ư", "ệ", "o\u0300", "1"]),
                     st.integers(200, max_size))


def tokens(long_runs: bool = True):
    """One piece of text; syllables most often, so that the finders have sentences to work on."""
    weighted = [(st.sampled_from(SYLLABLES), 10), (st.sampled_from(CODES), 2), (st.sampled_from(NUMBERS), 2),
                (dates(), 2), (st.sampled_from(PUNCTUATION), 3), (st.sampled_from(ODD), 2), (st.text(max_size=4), 1),
                (st.integers(0, 10**7).map(str), 1), (letter_runs(), 1 if long_runs else 0)]
    return st.one_of(*[strategy for strategy, weight in weighted for _ in range(weight)])


@st.composite
def vietnamese_text(draw, min_tokens: int = 10, max_tokens: int = 150, long_runs: bool = True) -> str:
    """Text that looks like an article to the finders, with the odd characters mixed in."""
    parts = draw(st.lists(tokens(long_runs), min_size=min_tokens, max_size=max_tokens))
    separators = draw(st.lists(st.sampled_from([" ", " ", " ", "", "\n"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, separators))


# ---------------------------------------------------------------------------------------------
# Written variants of one text: what the offsets must stay exact on

OLD_TONES = {new: old for old, new in {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe",
    "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy", "Uỷ": "Ủy", "Oà": "Òa"}.items()}


def old_tones(text: str) -> str:
    """The tone of ``oa``/``oe``/``uy`` on the second vowel (``hoà``, ``Uỷ``), as older texts write it."""
    text = unicodedata.normalize("NFC", text)
    for new, old in OLD_TONES.items():
        text = text.replace(new, old)
    return text


def with_zero_width(text: str, every: int = 3) -> str:
    """A zero-width space after every ``every``-th character (inside words too)."""
    return "".join(ch + ("\u200b" if i % every == every - 1 else "") for i, ch in enumerate(text))


VARIANTS = {
    "as drawn": lambda t: t,
    "NFC": lambda t: unicodedata.normalize("NFC", t),
    "NFD": lambda t: unicodedata.normalize("NFD", t),
    "old tones": old_tones,
    "zero-width": with_zero_width,
    "no-break spaces": lambda t: t.replace(" ", "\u00a0"),
}


# ---------------------------------------------------------------------------------------------
# Query strings

def queries():
    """What a user (or a script) may type into a search box."""
    written = st.lists(st.one_of(st.sampled_from(SYLLABLES), st.sampled_from(CODES), st.sampled_from(NUMBERS),
                                 st.sampled_from(ODD), st.sampled_from(PUNCTUATION)), max_size=8).map(" ".join)
    fts_syntax = st.lists(st.sampled_from(['"', "*", "NEAR(", ")", "AND", "OR", "NOT", "^", ":", "-", "+", "'",
                                           "%", "_", "\\", "{", "}", "[", "]", "quyet", "1438"]), max_size=10).map("".join)
    return st.one_of(written, fts_syntax, st.text(max_size=40), st.text(alphabet=string.digits + "/-. ", max_size=30),
                     st.builds(lambda c, n: c * n, st.sampled_from(["a", "1", " ", "\u0300", "/", '"']), st.integers(250, 1200)))


# ---------------------------------------------------------------------------------------------
# A hard limit on one example: hypothesis' deadline reports a slow example only after it returns,
# so a hang needs an alarm to fail at all.

class Hang(Exception):
    """An example ran past its hard time limit."""


@contextlib.contextmanager
def hard_limit(seconds: float):
    """Raise :class:`Hang` in the block after ``seconds``: the pipeline's own time budget (SIGALRM;
    main thread only), reported as a hang."""
    try:
        with time_budget(seconds):
            yield
    except BudgetExceeded:
        raise Hang(f"no answer within {seconds} s") from None


# ---------------------------------------------------------------------------------------------
# JSONL input with bad lines mixed in

# Lines no reader should take for a document, each for its own reason.
BAD_LINES = (
    b"{not json", b"[1, 2]", b'"a string"', b"null", b"42", b"{}", b'{"text": "no id"}', b'{"id": 7, "text": "x"}',
    b'{"id": "", "text": "x"}', b'{"id": "bad-text", "text": 5}', b'{"id": "bad-text-2", "text": ["a"]}',
    b'{"id": "no-text"}', b'{"id": "bad-published", "text": "x", "published": "yesterday"}',
    b'{"id": "bad-published-2", "text": "x", "published": 2023}', b'{"id": "bad-title", "text": "x", "title": {}}',
    b'{"id": "surrogate", "text": "a\\ud800b"}', b"\xff\xfe\x00bad bytes", b"\xc3\x28 not UTF-8",
    b'{"id": "raw-nul", "text": "a\x00b"}', b"\x00\x00\x00\x00", b'{"id": "nan", "text": NaN}',
    b'{"id": "dup-key", "text": 1, "text": {"a": 1}}', b"\xef\xbb\xbf{broken after a BOM",
)
# Valid JSON that Python's json module cannot hold: nested past the recursion limit, or a number of
# more than 4,300 digits (RecursionError and ValueError, not JSONDecodeError).
NOT_FOR_PYTHON = (
    b"[" * 5_000 + b"]" * 5_000,
    b'{"id": "deep", "text": "x", "extra": ' + b"[" * 3_000 + b"]" * 3_000 + b"}",
    b'{"id": "big-number", "text": "x", "n": ' + b"9" * 5_000 + b"}",
)


@st.composite
def good_documents(draw, count: int) -> list[dict]:
    """``count`` valid input documents with distinct ids, some with the optional fields."""
    docs = []
    for n in range(count):
        doc = {"id": f"good-{n}-{draw(st.text(max_size=6))}", "text": draw(vietnamese_text(min_tokens=0, max_tokens=150))}
        if draw(st.booleans()):
            doc["published"] = draw(st.sampled_from(["2023-07-14", "2026-01-31T08:00:00+07:00", "1999-12-31 23:59", None,
                                                     "2024-02-29", "0001-01-01", "9999-12-31T23:59:59"]))
        if draw(st.booleans()):
            doc["title"] = draw(vietnamese_text(min_tokens=0, max_tokens=8, long_runs=False))
        docs.append(doc)
    return docs


def document_line(doc: dict, ascii_only: bool) -> bytes:
    return json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8")


@st.composite
def jsonl_with_bad_lines(draw, max_good: int = 4, bad_lines=BAD_LINES + NOT_FOR_PYTHON) -> tuple[bytes, list[dict]]:
    """A JSONL file's bytes (good documents and bad lines in random order, blank lines, CRLF or LF
    endings, a BOM sometimes) and the good documents it holds, in the file's order."""
    good = draw(good_documents(draw(st.integers(1, max_good))))
    bad = draw(st.lists(st.one_of(st.sampled_from(bad_lines), st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"\n", b"")).filter(bytes.strip)),
                        min_size=1, max_size=5))
    if draw(st.booleans()):  # a bad line under a good document's id must not take the good one with it
        victim = draw(st.sampled_from(good))["id"]
        bad.append(json.dumps({"id": victim, "text": draw(st.sampled_from([5, None, ["x"], {}]))}).encode("utf-8"))
    lines = [document_line(d, draw(st.booleans())) for d in good] + bad + draw(st.lists(st.sampled_from([b"", b"  ", b"\t"]), max_size=2))
    order = draw(st.permutations(range(len(lines))))
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = b"".join(lines[i] + ending for i in order)
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, [good[i] for i in order if i < len(good)]


# ---------------------------------------------------------------------------------------------
# Random and damaged structures

JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(-10, 300) | st.floats(allow_nan=True)
                | st.text(max_size=12))


def json_values(keys: tuple[str, ...] = (), words: tuple[str, ...] = ()):
    """Random JSON, its object keys often ``keys`` and its strings often ``words``, so that random
    structures reach past a reader's first checks."""
    scalars = JSON_SCALARS | st.sampled_from(words) if words else JSON_SCALARS
    names = st.sampled_from(keys) | st.text(max_size=6) if keys else st.text(max_size=6)
    return st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                        | st.dictionaries(names, children, max_size=5), max_leaves=25)


def places(value, path: tuple = ()) -> list[tuple]:
    """Every place in a nested structure: the path of each list item and object field."""
    found = []
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        found.append(path + (key,))
        found.extend(places(child, path + (key,)))
    return found


@st.composite
def damaged(draw, original, values, keep: tuple = (), scalars_under: tuple = ()):
    """A copy of ``original`` with one to four random places replaced by one of ``values``, deleted,
    duplicated or wrapped in a list. Top-level fields in ``keep`` stay whole; under a field named in
    ``scalars_under`` only a scalar replaces a value."""
    value = json.loads(json.dumps(original))
    for _ in range(draw(st.integers(1, 4))):
        spots = [p for p in places(value) if p[0] not in keep]
        if not spots:
            break
        path = draw(st.sampled_from(spots))
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "wrap"]))
        scalars_only = any(name in path for name in scalars_under)
        if action == "delete":
            del parent[key]
        elif action == "replace" or scalars_only:
            parent[key] = draw(JSON_SCALARS if scalars_only else values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
        else:
            parent[key] = [parent[key]]
    return value
