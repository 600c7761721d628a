"""The report as PDF: the HTML page printed by Debian's Chromium through Playwright.

Chromium prints exactly what the browser shows (the same SVG charts and formulas), on A4
with the page number in the footer. Every request that is not a local file is blocked, so
printing never touches the network. Chromium is the system's (``apt-get install
chromium``) or the one named by ``TOOLKIT_CHROMIUM``; Playwright's own browser downloads
are never used.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "check_available",
    "chromium_path",
    "page_count",
    "print_pdf",
]

#: Where Debian's Chromium lives.
CHROMIUM = "/usr/bin/chromium"

#: Flags for headless Chromium on a server (no sandbox, no background network).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

_INSTALL = (
    "install Playwright's Python package (pip install playwright, or the toolkit's [pdf] "
    "extra; never `playwright install`) and Debian's Chromium (apt-get install chromium), "
    "or set TOOLKIT_CHROMIUM to a Chromium executable"
)


def chromium_path(chromium: str | None = None) -> str:
    """The Chromium executable to use: the argument, ``TOOLKIT_CHROMIUM``, then Debian's.

    Raises
    ------
    RuntimeError
        If that file does not exist, saying what to install.
    """
    path = chromium or os.environ.get("TOOLKIT_CHROMIUM") or CHROMIUM
    if not Path(path).is_file():
        raise RuntimeError(f"The PDF needs Chromium, but {path} does not exist: {_INSTALL}.")
    return path


def check_available(chromium: str | None = None) -> str:
    """Check that Playwright and Chromium are there before any work; return Chromium's path.

    Raises
    ------
    RuntimeError
        Saying what to install.
    """
    path = chromium_path(chromium)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(f"The PDF needs Playwright: {_INSTALL}.") from exc
    return path


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF (its page objects).

    Examples
    --------
    >>> page_count(b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type/Page/Parent >>")
    2
    """
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def print_pdf(
    html_path: Path, pdf_path: Path, *, chromium: str | None = None, footer_label: str = ""
) -> int:
    """Print the local page ``html_path`` to ``pdf_path`` (A4, page numbers); return pages.

    Parameters
    ----------
    html_path : Path
        A self-contained HTML file.
    pdf_path : Path
        Where to write the PDF.
    chromium : str, optional
        Chromium executable (see :func:`chromium_path`).
    footer_label : str
        Text at the left of every page's footer (the page number is at the right).

    Returns
    -------
    int
        Number of pages written.

    Raises
    ------
    RuntimeError
        If Playwright or Chromium is missing (with what to install).

    Examples
    --------
    >>> print_pdf(Path("report/index.html"), Path("report/report.pdf"))  # doctest: +SKIP
    14
    """
    import html

    executable = check_available(chromium)
    from playwright.sync_api import sync_playwright

    footer = (
        '<div style="font-size:8px;color:#777;width:100%;padding:0 16mm;display:flex;'
        f'justify-content:space-between"><span>{html.escape(footer_label)}</span>'
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )
    url = Path(html_path).resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("file:", "data:"))
                    else route.abort()
                ),
            )
            page.goto(url, wait_until="load")
            page.pdf(
                path=str(pdf_path), format="A4", print_background=True,
                display_header_footer=True, header_template="<div></div>",
                footer_template=footer, prefer_css_page_size=False,
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            )  # fmt: skip
        finally:
            browser.close()
    return page_count(Path(pdf_path).read_bytes())
