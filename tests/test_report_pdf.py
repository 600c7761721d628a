"""Printing a local HTML page to PDF with Debian's Chromium (toolkit.report.pdf)."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from toolkit.report.pdf import page_count, print_pdf

PAGES = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<div style="page-break-after: always">first page</div>
<div style="page-break-after: always">second page</div>
<div>third page</div>
</body></html>
"""


@pytest.mark.slow
def test_three_pages_are_printed_and_counted(tmp_path):
    html = tmp_path / "p.html"
    html.write_text(PAGES, encoding="utf-8")
    pdf = tmp_path / "p.pdf"
    assert print_pdf(html, pdf, footer_label="BKPSDM Contoh") == 3
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert page_count(data) == 3


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_outside_requests_are_blocked_and_the_page_still_prints(tmp_path):
    """An image on the network is not fetched: not even from a server on this machine."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        local = f"http://127.0.0.1:{server.server_address[1]}/y.png"
        html = tmp_path / "p.html"
        html.write_text(
            f'<p>text</p><img src="https://example.invalid/x.png"><img src="{local}">'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
            encoding="utf-8",
        )
        pdf = tmp_path / "p.pdf"
        assert print_pdf(html, pdf) == 1
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _Counter.hits == []


def test_missing_chromium_says_what_to_install(tmp_path):
    html = tmp_path / "p.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(RuntimeError) as err:
        print_pdf(html, tmp_path / "p.pdf", chromium="/nonexistent")
    message = str(err.value)
    assert "/nonexistent" in message
    assert "pip install playwright" in message
    assert "never `playwright install`" in message
    assert "apt-get install chromium" in message
    assert "TOOLKIT_CHROMIUM" in message
    assert not (tmp_path / "p.pdf").exists()


def test_chromium_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CHROMIUM", "/nonexistent/from-env")
    with pytest.raises(RuntimeError, match="/nonexistent/from-env"):
        print_pdf(tmp_path / "p.html", tmp_path / "p.pdf")


def test_missing_playwright_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(RuntimeError, match="pip install playwright") as err:
        print_pdf(tmp_path / "p.html", tmp_path / "p.pdf", chromium=sys.executable)
    assert "apt-get install chromium" in str(err.value)
    assert not (tmp_path / "p.pdf").exists()


def test_page_count_skips_the_page_tree():
    two = b"<< /Type /Catalog /Pages 2 0 R >> << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"
    two += b"<< /Type /Page /Parent 2 0 R >>\n<</Type/Page>>"
    assert page_count(two) == 2
