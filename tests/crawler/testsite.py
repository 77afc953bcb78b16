"""A small hostile web site on 127.0.0.1 for crawler tests: listings with pagination, articles,
a robots.txt, 500s that recover, a slow page, a page slower than the timeout, a redirect, a
redirect loop, a windows-1258 page without any charset declaration, a binary file, a truncated
response, an oversized page, and links with tracking parameters and fragments."""
from __future__ import annotations

import socket
import threading
import time
import unicodedata
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Vietnamese sentences with every tone on every kind of vowel, so encoding mistakes show.
SENTENCES = [
    "Sở Lao động - Thương binh và Xã hội tỉnh tổ chức hội nghị tập huấn cho 120 cán bộ cơ sở.",
    "Theo Quyết định số 1438/QĐ-TTg, các em được hỗ trợ học phí và chăm sóc sức khỏe.",
    "Ủy ban nhân dân huyện đã trao 35 suất quà cho người cao tuổi có hoàn cảnh khó khăn.",
    "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025 đạt kết quả tốt.",
    "Phó Chủ tịch Hội nhấn mạnh việc nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau.",
]
BOILERPLATE_TOP = """<header><nav><a href="/">Trang chủ</a> <a href="/news/">Tin tức</a> <a href="/gioi-thieu.html">Giới thiệu</a>
<a href="/private/">Quản trị</a></nav></header>"""
BOILERPLATE_BOTTOM = """<footer><p>Bản quyền thuộc về Trang thử nghiệm. Địa chỉ: số 1 đường Thử, Hà Nội.</p></footer>"""


def article_text(n: int) -> tuple[str, list[str]]:
    title = f"Bài số {n}: hỗ trợ trẻ em khuyết tật ở xã Đồng Tâm"
    paras = [f"{SENTENCES[(n + i) % len(SENTENCES)]} Đây là đoạn {i + 1} của bài {n}." for i in range(4)]
    return title, paras


def encode_windows_1258(html: str) -> bytes:
    """windows-1258 has precomposed base letters (ă, ơ, ê...) and writes tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in html:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
                   + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def article_html(n: int, charset: str | None = "utf-8", related: list[str] = ()) -> str:
    title, paras = article_text(n)
    meta = f'<meta charset="{charset}">' if charset else ""
    rel = "".join(f'<li><a href="{u}">Tin liên quan</a></li>' for u in related)
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html><html lang="vi"><head>{meta}<title>{title} - Trang thử nghiệm</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2023-07-{n % 28 + 1:02d}T09:30:00+07:00">
</head><body>{BOILERPLATE_TOP}
<article><h1 class="title">{title}</h1><div class="content">
{body}
<div class="share"><p>Chia sẻ bài viết</p></div>
</div></article>
<aside class="related"><h3>Tin liên quan</h3><ul>{rel}</ul></aside>
{BOILERPLATE_BOTTOM}</body></html>"""


def expected_text(n: int) -> str:
    title, paras = article_text(n)
    return "\n".join([title] + paras)


PROFILE_YAML = """
name: testsite
site: {base}
start_urls: [/news/]
follow: ['^/news/(page/\\d+/)?$', '^/go/', '^/loop/']
articles: ['^/(news|private)/[a-z0-9-]+-(?P<id>t-\\d+)\\.html$']
article:
  extractor: css
  title: 'h1.title'
  body: '.content'
  remove: ['.share']
  min_chars: 50
politeness:
  download_delay: 0
  autothrottle: false
  concurrency_per_domain: 4
  timeout: {timeout}
  retries: 2
  backoff: 0.1
  max_page_bytes: 200000
"""


class HostileSite:
    """Routes of the hostile site; ``hits`` counts requests per path (query included)."""

    def __init__(self, n_articles: int = 6, delay: float = 0.0, slow: float = 0.5, too_slow: float = 3.0,
                 hostile: bool = True):
        self.n = n_articles
        self.hostile = hostile        # link the failing, slow, redirecting and binary pages
        self.delay = delay            # added to every response (to make a crawl last a while)
        self.slow, self.too_slow = slow, too_slow
        self.hits: Counter = Counter()
        self.times: dict[str, list[float]] = {}   # path -> when each request came
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.flaky_left = 2           # /news/...-t-108.html answers 500 this many times first

    # what a test may expect -------------------------------------------------------------------
    def good_articles(self) -> dict[str, str]:
        """id -> text of every article the crawl must store and read back."""
        ids = {f"t-{n}": expected_text(n) for n in range(1, self.n + 1)}
        if self.hostile:
            for n in (107, 108, 109, 110):  # redirect target, flaky, slow, windows-1258
                ids[f"t-{n}"] = expected_text(n)
        return ids

    def listing(self, page: int) -> str:
        per = 5
        numbers = list(range(1, self.n + 1))
        chunk = numbers[(page - 1) * per: page * per]
        links = []
        for i, n in enumerate(chunk):
            url = f"/news/bai-{n}-t-{n}.html"
            links.append(f'<a href="{url}">Bài {n}</a>')
            # The same article again, with tracking parameters and a fragment.
            links.append(f'<a href="{url}?utm_source=home&utm_medium=list&fbclid=abc{i}#comments">Bài {n} (lại)</a>')
        pages = (self.n + per - 1) // per
        if page < pages:
            links.append(f'<a class="next" href="/news/page/{page + 1}/">Trang sau</a>')
        if page == 1 and self.hostile:
            links += ['<a href="/go/t-107">Chuyển hướng</a>', '<a href="/loop/a">Vòng lặp</a>',
                      '<a href="/news/bai-108-t-108.html">Lỗi 500</a>', '<a href="/news/bai-109-t-109.html">Chậm</a>',
                      '<a href="/news/bai-110-t-110.html">windows-1258</a>', '<a href="/news/bao-cao-t-111.html">Tệp</a>',
                      '<a href="/news/cat-ngang-t-112.html">Cắt ngang</a>', '<a href="/news/qua-lon-t-113.html">Quá lớn</a>',
                      '<a href="/news/qua-cham-t-114.html">Quá chậm</a>', '<a href="/private/bi-mat-t-199.html">Bí mật</a>',
                      '<a href="https://elsewhere.test/news/x-t-1.html">Trang khác</a>']
        return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tin tức</title></head><body>{BOILERPLATE_TOP}" \
               f"<ul>{''.join(f'<li>{x}</li>' for x in links)}</ul>{BOILERPLATE_BOTTOM}</body></html>"

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = urlsplit(h.path).path
        with self.lock:
            self.hits[h.path] += 1
            self.times.setdefault(h.path, []).append(time.monotonic())
            self.log.append(h.path)
        if self.delay:
            time.sleep(self.delay)
        if path == "/robots.txt":
            return self.send(h, 200, "User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/news/" or path.startswith("/news/page/"):
            page = int(path.strip("/").split("/")[-1]) if "/page/" in path else 1
            return self.send(h, 200, self.listing(page))
        if path == "/go/t-107":
            return self.redirect(h, "/news/bai-107-t-107.html")
        if path in ("/loop/a", "/loop/b"):
            return self.redirect(h, "/loop/b" if path == "/loop/a" else "/loop/a")
        if path == "/news/bai-108-t-108.html":
            with self.lock:
                fail = self.flaky_left > 0
                self.flaky_left -= int(fail)
            if fail:
                return self.send(h, 500, "<html><body>Lỗi máy chủ</body></html>")
        if path == "/news/bai-109-t-109.html":
            time.sleep(self.slow)
        if path == "/news/qua-cham-t-114.html":
            time.sleep(self.too_slow)
        if path == "/news/bai-110-t-110.html":
            # Legacy Vietnamese page: windows-1258 (tones as combining marks), no charset anywhere.
            return self.send(h, 200, encode_windows_1258(article_html(110, charset=None)), "text/html")
        if path == "/news/bao-cao-t-111.html":
            return self.send(h, 200, b"%PDF-1.4\x00\x01\x02binary" * 50, "application/octet-stream")
        if path == "/news/cat-ngang-t-112.html":
            body = article_html(112).encode("utf-8")
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 3])
            h.wfile.flush()
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if path == "/news/qua-lon-t-113.html":
            return self.send(h, 200, article_html(113) + "<!--" + "x" * 400_000 + "-->")
        m = path.rsplit("-t-", 1)
        if path.startswith(("/news/", "/private/")) and len(m) == 2 and m[1].endswith(".html"):
            n = int(m[1][:-5])
            related = [f"/news/bai-{k}-t-{k}.html?utm_campaign=related" for k in (n + 1, n + 2) if k <= self.n]
            return self.send(h, 200, article_html(n, related=related))
        return self.send(h, 404, "<html><body>Không tìm thấy</body></html>")

    @staticmethod
    def send(h, status: int, body: str | bytes, ctype: str = "text/html; charset=utf-8") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    @staticmethod
    def redirect(h, to: str) -> None:
        h.send_response(301)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()


@contextmanager
def running(site: HostileSite):
    """Serve ``site`` on 127.0.0.1 (free port) for the ``with`` block; yields the base URL."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            try:
                site.handle(self)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
