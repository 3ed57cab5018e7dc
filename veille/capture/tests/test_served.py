"""The saved pages served over HTTP by a local server extract exactly as read from disk, the charset
coming from the Content-Type header as the capture client will pass it."""

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from veille.capture.extract import extract_article

from .saved_pages import PAGES, URLS, page_bytes

CONTENT_TYPES = {"latin1": "text/html; charset=ISO-8859-1"}


class PageHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        name = self.path.strip("/")
        path = PAGES / f"{name}.html"
        if name not in URLS or not path.exists():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES.get(name, "text/html; charset=utf-8"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str) -> tuple[bytes, str]:
    assert url.startswith("http://127.0.0.1:")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    with opener.open(url, timeout=5) as response:
        return response.read(), response.headers["Content-Type"]


@pytest.mark.parametrize("name", sorted(URLS))
def test_served_page_extracts_like_the_saved_file(server, name):
    body, content_type = fetch(f"{server}/{name}")

    served = extract_article(body, url=URLS[name], content_type=content_type)
    saved = extract_article(page_bytes(name), url=URLS[name], content_type=content_type)

    assert content_type == CONTENT_TYPES.get(name, "text/html; charset=utf-8")
    assert served == saved
    assert served.title and served.text


def test_served_latin1_page_is_decoded_with_the_header_charset(server):
    body, content_type = fetch(f"{server}/latin1")
    article = extract_article(body, url=URLS["latin1"], content_type=content_type)

    assert "la médiathèque Françoise-Sagan ouvrira ses portes" in article.text
    assert article.title == "La médiathèque ouvre le dimanche à partir de septembre"
    assert article.language == "fr"
