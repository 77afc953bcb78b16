"""Profiles, URLs, dates, encodings and HTML -> article, on saved pages (no network)."""
import json
import unicodedata
from pathlib import Path

import pytest

from vnfacts.crawler.article import decode_html, extract_article, is_html
from vnfacts.crawler.dates import parse_vietnamese
from vnfacts.crawler.profile import ProfileError, available_profiles, generic_profile, load_profile, profile_from_dict
from vnfacts.crawler.urls import canonical_url

REPO = Path(__file__).resolve().parents[2]
HTML = REPO / "corpus" / "html"


def saved_path(site: str, path: str) -> Path:
    return HTML / site / (path.strip("/") + ("/index.html" if path.endswith("/") else ""))


def saved_page(site: str, path: str) -> bytes:
    return saved_path(site, path).read_bytes()


def test_every_shipped_profile_loads_and_names_its_pages():
    names = available_profiles()
    assert {"tinh-portal", "bao-xahoi", "hoi-bao-tro"} <= set(names)
    for name in names:
        p = load_profile(name)
        assert p.start_urls and p.articles and p.politeness["obey_robots"]


@pytest.mark.parametrize("site", ["tinh-portal", "bao-xahoi", "hoi-bao-tro"])
def test_profiles_read_their_saved_pages_exactly(site):
    """Every saved article page of the site gives back its corpus text, date and id."""
    want = {r["id"]: r for r in map(json.loads, (REPO / "corpus" / "articles.jsonl").open(encoding="utf-8"))}
    manifest = [r for r in map(json.loads, (HTML / "manifest.jsonl").open(encoding="utf-8")) if r["site"] == site]
    assert len(manifest) >= 10
    profile = load_profile(site)
    for row in manifest:
        url = profile.site.rstrip("/") + row["path"]
        assert profile.classify(url) == "article"
        art = extract_article(saved_page(site, row["path"]), url, profile, "text/html")
        assert art is not None, row["id"]
        assert art.id == row["id"]
        assert art.text.split() == want[row["id"]]["text"].split(), row["id"]
        assert art.published == want[row["id"]]["published"]
        assert unicodedata.is_normalized("NFC", art.text)
    # Listing pages are listing pages, not articles; boilerplate never reaches the text.
    first = profile.start_urls[0]
    assert profile.classify(first) == "listing"
    assert profile.classify(profile.site + "quan-tri/dang-nhap.html") is None


def test_portal_pages_are_windows_1258_and_decode_to_nfc():
    raw = saved_page("tinh-portal", "/tin-tuc/")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text, enc = decode_html(raw, "text/html")
    assert enc == "cp1258" and "Tin tức - Sự kiện" in unicodedata.normalize("NFC", text)


def test_decoding_order():
    utf8 = "<p>Hội nghị tập huấn</p>".encode()
    assert decode_html(utf8, "text/html; charset=ISO-8859-1")[0] == "<p>Hội nghị tập huấn</p>"  # wrong default ignored
    cp = "<p>Tr\u00ea\u0301 em c\u00f3</p>".encode("cp1258")  # ê + combining acute, as windows-1258 writes tones
    text, enc = decode_html(cp, "text/html")
    assert enc == "cp1258" and unicodedata.normalize("NFC", text) == "<p>Trế em có</p>"
    assert decode_html("\ufeff<p>ầ</p>".encode("utf-8"), "")[0] == "<p>ầ</p>"
    stale_meta = '<meta charset="windows-1258"><p>Hội nghị</p>'.encode("utf-8")  # moved to UTF-8, kept the old <meta>
    assert decode_html(stale_meta, "text/html") == ('<meta charset="windows-1258"><p>Hội nghị</p>', "utf-8")
    from testsite import encode_windows_1258
    declared = encode_windows_1258('<meta charset="windows-1258"><p>Hội nghị</p>')
    assert not declared.isascii()
    text, enc = decode_html(declared, "text/html")
    assert enc == "cp1258" and unicodedata.normalize("NFC", text).endswith("<p>Hội nghị</p>")
    # a legacy page behind a server that says ISO-8859-1 by default: the header is no evidence
    legacy = encode_windows_1258("<p>Trẻ em được hỗ trợ học nghề</p>")
    text, enc = decode_html(legacy, "text/html; charset=ISO-8859-1")
    assert enc == "cp1258" and unicodedata.normalize("NFC", text) == "<p>Trẻ em được hỗ trợ học nghề</p>"
    # a UTF-8 page with one bad byte stays UTF-8, declared or not (one replacement character)
    damaged = "<p>Người cao tuổi được chúc thọ, mừng thọ tại xã</p>".encode() .replace(b"<p>", b"<p>\xff", 1)
    for ctype in ("text/html; charset=utf-8", "text/html"):
        text, enc = decode_html(damaged, ctype)
        assert enc == "utf-8" and text == "<p>\ufffdNgười cao tuổi được chúc thọ, mừng thọ tại xã</p>"
    assert not is_html("application/pdf", b"%PDF-1.4")
    assert not is_html("", b"\x00\x01binary")
    assert is_html("text/html", b"<html>")


@pytest.mark.parametrize("text, iso", [
    ("Thứ Năm, 22/12/2022 10:46", "2022-12-22"),
    ("Thứ 3, Ngày 18/07/2023, 11:00", "2023-07-18"),
    ("Ngày đăng: 28/03/2018", "2018-03-28"),
    ("Cập nhật ngày 5 tháng 3 năm 2023", "2023-03-05"),
    ("Ngay 5 thang 3 nam 2023", "2023-03-05"),
    ("Chủ nhật, 1-1-2017 - 07:00", "2017-01-01"),
    ("2023-07-18T11:00:00+07:00", "2023-07-18"),
    ("Minh Quân 22/12/2022 10:46", "2022-12-22"),
    ("31/02/2023", None),
    ("không có ngày", None),
])
def test_vietnamese_dates(text, iso):
    assert parse_vietnamese(text) == iso
    assert parse_vietnamese(unicodedata.normalize("NFD", text)) == iso


def test_canonical_urls_drop_tracking_parameters_and_fragments():
    a = canonical_url("HTTP://Bao.VN:80/xa-hoi/bai-1.htm?utm_source=fb&id=3&fbclid=x&zarsrc=1#binh-luan")
    assert a == "http://bao.vn/xa-hoi/bai-1.htm?id=3"
    assert canonical_url("https://bao.vn/x?page=2&utm_medium=list") == "https://bao.vn/x?page=2"


def test_profile_errors_are_clear(tmp_path):
    with pytest.raises(ProfileError, match="no profile named 'nope'"):
        load_profile("nope")
    with pytest.raises(ProfileError, match="`site` must be"):
        profile_from_dict({"site": "ftp://x", "articles": ["x"]}, "p.yaml")
    with pytest.raises(ProfileError, match="bad regular expression"):
        profile_from_dict({"site": "https://x.vn/", "articles": ["("]}, "p.yaml")
    with pytest.raises(ProfileError, match="unknown setting"):
        profile_from_dict({"site": "https://x.vn/", "articles": ["x"], "politeness": {"speed": 3}}, "p.yaml")
    with pytest.raises(ProfileError, match="expected a number"):
        profile_from_dict({"site": "https://x.vn/", "articles": ["x"], "politeness": {"timeout": "fast"}}, "p.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid YAML"):
        load_profile(bad)


def test_rebase_and_generic_profile():
    p = load_profile("bao-xahoi").rebased("http://127.0.0.1:8123/")
    assert p.start_urls == ("http://127.0.0.1:8123/xa-hoi/",)
    assert p.classify("http://127.0.0.1:8123/xa-hoi/bai-baomoi-1.htm") == "article"
    assert p.classify("https://baoxahoi.test/xa-hoi/bai-baomoi-1.htm") is None  # no longer that site
    assert p.site_url("http://127.0.0.1:8123/xa-hoi/x.htm?a=1") == "https://baoxahoi.test/xa-hoi/x.htm?a=1"
    assert p.fetch_url("https://baoxahoi.test/xa-hoi/x.htm") == "http://127.0.0.1:8123/xa-hoi/x.htm"
    assert p.rebased("http://127.0.0.1:9/").site_url("http://127.0.0.1:9/a") == "https://baoxahoi.test/a"
    assert load_profile("bao-xahoi").site_url("https://baoxahoi.test/a") == "https://baoxahoi.test/a"
    g = generic_profile("https://www.tinh.gov.vn/tin-tuc/", depth_limit=3)
    assert g.generic and g.depth_limit == 3
    assert g.classify("https://tinh.gov.vn/van-ban/1.html") == "listing"      # same site, without www.
    assert g.classify("https://other.vn/x.html") is None
    assert g.classify("https://tinh.gov.vn/tim-kiem?q=x") is None             # denied
    with pytest.raises(ProfileError):
        generic_profile("tinh.gov.vn")


# -- properties ------------------------------------------------------------------------------
from datetime import date as _date  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_names = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(path=st.lists(st.text("abcxyz0123-", min_size=1, max_size=6), max_size=4),
       params=st.lists(st.tuples(_names, st.text("abc12", max_size=4)), max_size=4),
       tracking=st.lists(st.sampled_from(["utm_source", "utm_campaign", "fbclid", "gclid", "zarsrc"]), max_size=3),
       fragment=st.text("abc", max_size=4))
def test_canonical_url_is_idempotent_and_ignores_tracking(path, params, tracking, fragment):
    from urllib.parse import urlencode
    base = "https://Bao.VN/" + "/".join(path)
    from vnfacts.crawler.urls import is_tracking
    clean = [(k, v) for k, v in params if not is_tracking(k)]
    noisy = params + [(t, "x") for t in tracking]
    a = canonical_url(base + ("?" + urlencode(clean) if clean else ""))
    b = canonical_url(base + ("?" + urlencode(noisy) if noisy else "") + ("#" + fragment if fragment else ""))
    assert a == b == canonical_url(a)


@settings(max_examples=150, deadline=None)
@given(day=st.dates(min_value=_date(1990, 1, 1), max_value=_date(2040, 12, 31)),
       form=st.sampled_from(["Thứ Năm, {d:02d}/{m:02d}/{y} 10:46", "Ngày đăng: {d}/{m}/{y}", "ngày {d} tháng {m} năm {y}",
                             "Cập nhật {d:02d}-{m:02d}-{y} 07:00", "{y}-{m:02d}-{d:02d}T08:00:00+07:00"]))
def test_every_date_form_reads_back(day, form):
    text = form.format(d=day.day, m=day.month, y=day.year)
    assert parse_vietnamese(text) == day.isoformat()


def test_generic_profile_reads_the_bundled_sites_without_a_profile():
    """trafilatura alone (layout tables unwrapped, related boxes cut) finds every saved article with
    its exact text, and no listing page passes for an article."""
    want = {r["id"]: r for r in map(json.loads, (REPO / "corpus" / "articles.jsonl").open(encoding="utf-8"))}
    rows = list(map(json.loads, (HTML / "manifest.jsonl").open(encoding="utf-8")))
    for row in rows:
        generic = generic_profile(load_profile(row["site"]).site)
        url = generic.site.rstrip("/") + row["path"]
        art = extract_article(saved_page(row["site"], row["path"]), url, generic, "text/html")
        assert art is not None and art.text.split() == want[row["id"]]["text"].split(), row["id"]
    article_files = {saved_path(r["site"], r["path"]) for r in rows}
    listings = [p for p in HTML.rglob("*.htm*") if p not in article_files]   # listings and home pages
    assert len(listings) == 11
    for page in listings:
        site = page.relative_to(HTML).parts[0]
        generic = generic_profile(load_profile(site).site)
        assert extract_article(page.read_bytes(), generic.site + "x/", generic, "text/html") is None, page
