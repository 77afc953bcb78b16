"""Rebuild corpus/html/: the bundled articles (corpus/articles.jsonl) as three static web sites.

Each site is a kind the corpus comes from, with the layout, boilerplate and date forms such sites
use, listing pages with pagination and a robots.txt:

    tinh-portal/   a provincial department's portal: legacy windows-1258 pages, dates as
                   "Thứ 3, Ngày 18/07/2023, 11:00", pages /tin-tuc/trang-N.html
    bao-xahoi/     a national newspaper: UTF-8, <meta article:published_time> + JSON-LD,
                   "Thứ Năm, 22/12/2022 10:46", tracking parameters on listing links
    hoi-bao-tro/   an association's (WordPress-like) site: "Ngày đăng: 28/03/2018", <time>

Every article page carries its id in its URL and its source and licence in <meta> tags;
html/manifest.jsonl lists id, site, path, source, licence and the original's address (url), when known. The text of the page's title + body
paragraphs is the article's `text` line by line, so crawling the sites gives back the same text.
Deterministic: run it twice, get the same bytes. Run from the repo root:

    python corpus/build_snapshots.py
"""
from __future__ import annotations

import json
import re
import shutil
import sys
import unicodedata
from html import escape
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "html"
PER_PAGE = 8
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
SITES = {
    "tinh-portal": "Cổng thông tin điện tử Sở Lao động - Thương binh và Xã hội tỉnh Mẫu",
    "bao-xahoi": "Báo Xã Hội điện tử",
    "hoi-bao-tro": "Hội Bảo trợ người khuyết tật và trẻ em mồ côi",
}
# Seed articles go where their kind of source is; the others are dealt out in turn.
SEED_SITES = {"seed-000": "hoi-bao-tro", "seed-001": "bao-xahoi", "seed-002": "tinh-portal",
              "seed-003": "tinh-portal", "seed-004": "hoi-bao-tro"}
DEAL = ["bao-xahoi", "bao-xahoi", "tinh-portal", "hoi-bao-tro"]


def slug(text: str, limit: int = 60) -> str:
    base = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    base = "".join(c for c in base if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:limit].rstrip("-") or "bai-viet"


def times_of(article: dict) -> tuple[str | None, str | None]:
    """(date, HH:MM) of publication; the time only when the article's own dateline gives one."""
    if not article.get("published"):
        return None, None
    m = re.search(r"\b(\d{1,2}):(\d{2})\b", article["text"][:400])
    return article["published"], (f"{int(m.group(1)):02d}:{m.group(2)}" if m else "08:00")


def lines_of(article: dict) -> tuple[str, list[str]]:
    lines = [" ".join(x.split()) for x in article["text"].split("\n")]
    lines = [x for x in lines if x]
    return lines[0], lines[1:]


def paragraphs(lines: list[str], tag: str = "p") -> str:
    return "\n".join(f"<{tag}>{escape(x, quote=False)}</{tag}>" for x in lines)


def vn_weekday(iso: str) -> int:
    from datetime import date
    return date.fromisoformat(iso).weekday()


def dmy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def article_path(site: str, a: dict) -> str:
    title, _ = lines_of(a)
    if site == "tinh-portal":
        return f"/tin-tuc/{slug(title)}-{a['id']}.html"
    if site == "bao-xahoi":
        return f"/xa-hoi/{slug(title)}-{a['id']}.htm"
    return f"/bai-viet/{a['id']}/{slug(title)}/"


def listing_path(site: str, page: int) -> str:
    if site == "tinh-portal":
        return "/tin-tuc/" if page == 1 else f"/tin-tuc/trang-{page}.html"
    if site == "bao-xahoi":
        return "/xa-hoi/" if page == 1 else f"/xa-hoi/trang-{page}/"
    return "/hoat-dong/" if page == 1 else f"/hoat-dong/page/{page}/"


def provenance_meta(a: dict) -> str:
    return (f'<meta name="dcterms.identifier" content="{escape(a["id"])}">\n'
            f'<meta name="dcterms.source" content="{escape(a["source"])}">\n'
            f'<meta name="dcterms.rights" content="{escape(a["licence"])}">')


# -- site 1: the provincial portal (windows-1258) ----------------------------------------------
PORTAL_MENU = """<div id="banner"><a href="/"><img src="/images/banner.jpg" alt="Sở LĐ-TB&amp;XH tỉnh Mẫu"></a></div>
<ul class="menu-top"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu.html">Giới thiệu</a></li>
<li><a href="/tin-tuc/">Tin tức - Sự kiện</a></li><li><a href="/van-ban/">Văn bản</a></li>
<li><a href="/thu-tuc-hanh-chinh/">Thủ tục hành chính</a></li><li><a href="/quan-tri/dang-nhap.html">Đăng nhập</a></li></ul>"""
PORTAL_FOOTER = """<div id="footer"><p>CỔNG THÔNG TIN ĐIỆN TỬ SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH MẪU</p>
<p>Địa chỉ: Số 1, đường Trung tâm, thành phố Mẫu. Điện thoại: 0274 3 800 000</p>
<p>Ghi rõ nguồn "Cổng thông tin điện tử Sở LĐ-TB&amp;XH" khi phát hành lại thông tin từ website này.</p></div>"""


def portal_page(title: str, content: str, extra_head: str = "") -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1258" />
<title>{escape(title)}</title>
{extra_head}
</head>
<body>
{PORTAL_MENU}
<table id="main" width="100%"><tr>
<td class="cot-trai" valign="top"><div class="box-trai"><h3>Liên kết website</h3>
<ul><li><a href="/lien-ket/bo-ldtbxh.html">Bộ Lao động - Thương binh và Xã hội</a></li>
<li><a href="/lien-ket/ubnd-tinh.html">UBND tỉnh Mẫu</a></li></ul></div></td>
<td class="cot-giua" valign="top">
{content}
</td></tr></table>
{PORTAL_FOOTER}
</body></html>
"""


def portal_article(a: dict, related: list[tuple[str, str]]) -> str:
    title, body = lines_of(a)
    day, hm = times_of(a)
    date_html = ""
    if day:
        date_html = f'<div class="ngay-dang">Thứ {vn_weekday(day) + 2 if vn_weekday(day) < 6 else "CN"}, Ngày {dmy(day)}, {hm}</div>'
    related_html = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t in related)
    content = f"""<div class="duong-dan"><a href="/">Trang chủ</a> &gt; <a href="/tin-tuc/">Tin tức - Sự kiện</a></div>
{date_html}
<h1 class="tieu-de">{escape(title)}</h1>
<div class="noi-dung-bai-viet">
{paragraphs(body)}
<div class="chia-se"><p>Chia sẻ: <a href="#">Facebook</a> | <a href="#">Zalo</a> | <a href="javascript:window.print()">In trang</a></p></div>
</div>
<div class="tin-khac"><h3>Các tin khác</h3><ul>{related_html}</ul></div>"""
    return portal_page(title, content, provenance_meta(a))


def portal_listing(items: list[tuple[str, dict]], page: int, pages: int) -> str:
    rows = []
    for path, a in items:
        title, body = lines_of(a)
        lead = body[0][:180] + "..." if body else ""
        rows.append(f'<div class="tin"><a class="tieu-de-tin" href="{path}">{escape(title)}</a>'
                    f'<p class="tom-tat">{escape(lead, quote=False)}</p></div>')
    nav = " ".join(f'<a href="{listing_path("tinh-portal", n)}">{n}</a>' if n != page else f"<b>{n}</b>"
                   for n in range(1, pages + 1))
    content = f'<h2>Tin tức - Sự kiện</h2>\n<div class="danh-sach-tin">{"".join(rows)}</div>\n<div class="phan-trang">Trang: {nav}</div>'
    return portal_page("Tin tức - Sự kiện", content)


# -- site 2: the national newspaper (UTF-8, meta + JSON-LD) -------------------------------------
PAPER_NAV = """<header class="header"><a class="logo" href="/">Báo Xã Hội</a>
<nav class="main-nav"><a href="/">Trang chủ</a><a href="/thoi-su/">Thời sự</a><a href="/xa-hoi/">Xã hội</a>
<a href="/kinh-te/">Kinh tế</a><a href="/phap-luat/">Pháp luật</a><a href="/video/">Video</a></nav>
<form class="search" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm"></form></header>"""
PAPER_FOOTER = """<footer class="footer"><p>© Báo Xã Hội điện tử. Giấy phép số 000/GP-BTTTT.</p>
<p>Tòa soạn: 1 phố Báo Chí, Hà Nội. Email: toasoan@baoxahoi.test</p><p>Không được sao chép khi chưa được đồng ý.</p></footer>"""


def paper_page(title: str, main: str, head: str = "", aside: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - Báo Xã Hội điện tử</title>
{head}
</head>
<body>
{PAPER_NAV}
<div class="container"><main class="main">{main}</main>
<aside class="sidebar">{aside}</aside></div>
{PAPER_FOOTER}
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"event": "pageview"}});</script>
</body></html>
"""


def paper_sidebar(most_read: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{p}#binh-luan">{escape(t)}</a></li>' for p, t in most_read)
    return f'<div class="box most-read"><h3>Đọc nhiều</h3><ol>{items}</ol></div>' \
           '<div class="box ads"><a href="https://quangcao.test/?utm_source=baoxahoi">Quảng cáo</a></div>'


def paper_article(a: dict, path: str, related: list[tuple[str, str]]) -> str:
    title, body = lines_of(a)
    day, hm = times_of(a)
    head = [provenance_meta(a), f'<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{escape(title)}">']
    date_html = ""
    if day:
        head.append(f'<meta property="article:published_time" content="{day}T{hm}:00+07:00">')
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title[:110],
              "datePublished": f"{day}T{hm}:00+07:00", "publisher": {"@type": "Organization", "name": "Báo Xã Hội"}}
        head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
        date_html = f'<span class="date">{WEEKDAYS[vn_weekday(day)]}, {dmy(day)} {hm}</span>'
    head.append(f'<link rel="canonical" href="{path}">')
    half = max(1, len(body) // 2)
    related_html = "".join(f'<li><a href="{p}?utm_source=related&amp;utm_medium=box">{escape(t)}</a></li>' for p, t in related)
    main = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/xa-hoi/">Xã hội</a></div>
<article class="detail">
<h1 class="detail-title">{escape(title)}</h1>
<div class="detail-meta">{date_html}<span class="share"><a href="#">Chia sẻ</a></span></div>
<div class="detail-content">
{paragraphs(body[:half])}
<div class="ad-inline"><p>Quảng cáo</p></div>
<div class="box-related"><p class="box-title">Xem thêm</p><ul>{related_html}</ul></div>
{paragraphs(body[half:])}
</div>
<div class="detail-tags">Từ khóa: <a href="/tag/xa-hoi/">xã hội</a></div>
</article>"""
    return paper_page(title, main, "\n".join(head), paper_sidebar(related))


def paper_listing(items: list[tuple[str, dict]], page: int, pages: int) -> str:
    rows = []
    for i, (path, a) in enumerate(items):
        title, body = lines_of(a)
        lead = body[0][:200] + "..." if body else ""
        tracked = f"{path}?utm_source=xa-hoi&utm_medium=list&utm_campaign=p{page}" if i % 2 else path
        rows.append(f'<article class="story"><h3><a href="{escape(tracked)}">{escape(title)}</a></h3>'
                    f'<p class="sapo">{escape(lead, quote=False)}</p></article>')
    nav = []
    if page > 1:
        nav.append(f'<a class="prev" href="{listing_path("bao-xahoi", page - 1)}">Trang trước</a>')
    if page < pages:
        nav.append(f'<a class="next" href="{listing_path("bao-xahoi", page + 1)}">Trang sau</a>')
    main = f'<h1 class="cate">Xã hội</h1><div class="list-news">{"".join(rows)}</div><div class="pagination">{"".join(nav)}</div>'
    return paper_page("Xã hội", main)


# -- site 3: the association's site (WordPress-like) -------------------------------------------
ASSOC_HEAD = """<link rel="stylesheet" href="/wp-content/themes/hoi/style.css">"""
ASSOC_NAV = """<header id="masthead"><p class="site-title"><a href="/">Hội Bảo trợ người khuyết tật và trẻ em mồ côi</a></p>
<nav id="site-navigation"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu/">Giới thiệu</a></li>
<li><a href="/hoat-dong/">Hoạt động của Hội</a></li><li><a href="/lien-he/">Liên hệ</a></li></ul></nav></header>"""
ASSOC_FOOTER = """<footer id="colophon"><div class="site-info">Hội Bảo trợ người khuyết tật và trẻ em mồ côi.
Trụ sở: 2 phố Hội, Hà Nội. <a href="/wp-login.php">Đăng nhập</a></div></footer>"""


def assoc_page(title: str, content: str, head: str = "") -> str:
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="UTF-8">
<title>{escape(title)} &#8211; Hội Bảo trợ</title>
{ASSOC_HEAD}
{head}
</head>
<body class="wp-site">
{ASSOC_NAV}
<div id="content" class="site-content">
{content}
<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Chuyên mục</h2>
<ul><li><a href="/hoat-dong/">Hoạt động của Hội</a></li><li><a href="/chuyen-muc/thong-bao/">Thông báo</a></li></ul></section></aside>
</div>
{ASSOC_FOOTER}
</body></html>
"""


def assoc_article(a: dict, related: list[tuple[str, str]]) -> str:
    title, body = lines_of(a)
    day, hm = times_of(a)
    posted = ""
    if day:
        posted = f'<span class="posted-on">Ngày đăng: <time class="entry-date published" datetime="{day}T{hm}:00+07:00">{dmy(day)}</time></span>'
    related_html = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t in related)
    content = f"""<main id="main" class="site-main">
<article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{escape(title)}</h1>
<div class="entry-meta">{posted}<span class="byline"> bởi <a href="/author/admin/">admin</a></span></div></header>
<div class="entry-content">
{paragraphs(body)}
</div>
<footer class="entry-footer"><span class="cat-links">Chuyên mục: <a href="/hoat-dong/">Hoạt động của Hội</a></span></footer>
</article>
<nav class="post-navigation"><h2>Bài viết liên quan</h2><ul>{related_html}</ul></nav>
</main>"""
    return assoc_page(title, content, provenance_meta(a))


def assoc_listing(items: list[tuple[str, dict]], page: int, pages: int) -> str:
    rows = []
    for path, a in items:
        title, body = lines_of(a)
        lead = body[0][:160] + " [&hellip;]" if body else ""
        rows.append(f'<article class="post"><h2 class="entry-title"><a href="{path}" rel="bookmark">{escape(title)}</a></h2>'
                    f'<div class="entry-summary"><p>{escape(lead, quote=False)}</p></div>'
                    f'<a class="more-link" href="{path}">Đọc tiếp</a></article>')
    nav = []
    if page < pages:
        nav.append(f'<a class="next page-numbers" href="{listing_path("hoi-bao-tro", page + 1)}">Bài cũ hơn</a>')
    if page > 1:
        nav.append(f'<a class="prev page-numbers" href="{listing_path("hoi-bao-tro", page - 1)}">Bài mới hơn</a>')
    content = f'<main id="main" class="site-main"><h1 class="page-title">Hoạt động của Hội</h1>{"".join(rows)}' \
              f'<nav class="navigation pagination">{"".join(nav)}</nav></main>'
    return assoc_page("Hoạt động của Hội", content)


ROBOTS = {
    "tinh-portal": "User-agent: *\nDisallow: /quan-tri/\nDisallow: /tim-kiem\n",
    "bao-xahoi": "User-agent: *\nDisallow: /tim-kiem\nDisallow: /api/\n\nUser-agent: BadBot\nDisallow: /\n",
    "hoi-bao-tro": "User-agent: *\nDisallow: /wp-admin/\nDisallow: /wp-login.php\n",
}
HOME = {
    "tinh-portal": lambda: portal_page("Trang chủ", '<h2><a href="/tin-tuc/">Tin tức - Sự kiện</a></h2>'),
    "bao-xahoi": lambda: paper_page("Trang chủ", '<h2><a href="/xa-hoi/">Xã hội</a></h2>'),
    "hoi-bao-tro": lambda: assoc_page("Trang chủ", '<main><h2><a href="/hoat-dong/">Hoạt động của Hội</a></h2></main>'),
}


def encode_windows_1258(html: str) -> bytes:
    """windows-1258 has precomposed base letters (ă, ơ, ê...) but writes tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in html:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258", errors="xmlcharrefreplace")


def write(path: Path, html: str, site: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_windows_1258(html) if site == "tinh-portal" else html.encode("utf-8"))


def file_for(site_dir: Path, url_path: str) -> Path:
    return site_dir / (url_path.strip("/") + ("/index.html" if url_path.endswith("/") else ""))


def main(out: Path = OUT) -> None:
    articles = [json.loads(x) for x in (HERE / "articles.jsonl").open(encoding="utf-8") if x.strip()]
    by_site: dict[str, list[dict]] = {s: [] for s in SITES}
    dealt = 0
    for a in articles:
        site = SEED_SITES.get(a["id"])
        if site is None:
            site, dealt = DEAL[dealt % len(DEAL)], dealt + 1
        by_site[site].append(a)
    if out.exists():
        shutil.rmtree(out)
    manifest = []
    for site, items in by_site.items():
        site_dir = out / site
        paths = [article_path(site, a) for a in items]
        titles = [lines_of(a)[0] for a in items]
        for i, (a, path) in enumerate(zip(items, paths)):
            others = [(paths[j % len(items)], titles[j % len(items)]) for j in (i + 1, i + 2, i + 3) if j % len(items) != i]
            html = {"tinh-portal": lambda: portal_article(a, others),
                    "bao-xahoi": lambda: paper_article(a, path, others),
                    "hoi-bao-tro": lambda: assoc_article(a, others)}[site]()
            write(file_for(site_dir, path), html, site)
            manifest.append({"id": a["id"], "site": site, "path": path, "published": a.get("published"),
                             "source": a["source"], "licence": a["licence"], "url": a.get("url")})
        pages = (len(items) + PER_PAGE - 1) // PER_PAGE
        for page in range(1, pages + 1):
            chunk = list(zip(paths, items))[(page - 1) * PER_PAGE: page * PER_PAGE]
            html = {"tinh-portal": portal_listing, "bao-xahoi": paper_listing, "hoi-bao-tro": assoc_listing}[site](chunk, page, pages)
            write(file_for(site_dir, listing_path(site, page)), html, site)
        write(site_dir / "index.html", HOME[site](), site)
        (site_dir / "robots.txt").write_text(ROBOTS[site], encoding="utf-8")
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as f:
        for row in manifest:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = ", ".join(f"{s} {len(v)}" for s, v in by_site.items())
    print(f"{len(manifest)} articles -> {out} ({counts})", file=sys.stderr)


if __name__ == "__main__":
    main()
