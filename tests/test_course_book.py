"""The course book in a real browser, offline: both languages, the switch, no checks shown.

The book is built once (``course.build.build``, what ``make course`` runs) into a temporary
folder, served on 127.0.0.1 and opened in Debian's Chromium through Playwright. Every
request to any other host is blocked and fails the test. On every page of both languages
no ``assert`` and no Python error or traceback may be shown, folded solutions included; the language link leads to
the same page in the other language; a solution opens when its toggle is clicked. A missing
edition makes the build fail loudly.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

from course import build as book  # noqa: E402
from course import editions  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
#: Visible text that means a check or an error reached the reader.
FORBIDDEN = {
    "assert": re.compile(r"\bassert\b"),
    "traceback": re.compile(r"Traceback \(most recent call last\)"),
    "python error": re.compile(
        r"^\s*\w*(Error|Exception|Warning): ", re.MULTILINE
    ),  # as Python prints it
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The book, built as ``make course`` does. Editions out of step with their sources are
    tests/test_course_editions.py's failure, not this one's: they are built with a warning."""
    out = tmp_path_factory.mktemp("course")
    book.build(out, allow_stale=True)
    return out


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(_Quiet, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("The book's browser test needs Debian's Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A page that may load only from the book's server; other requests are recorded."""
    context = browser.new_context()
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith((server + "/", "data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    errors: list[str] = []
    missing: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    yield tab
    context.close()
    assert blocked == [], f"requests to other hosts: {blocked[:5]}"
    assert errors == [], f"JavaScript errors: {errors[:3]}"
    assert missing == [], f"files the book asked for and does not have: {missing[:5]}"


def _pages(built: Path, lang: str) -> list[str]:
    root = built / lang
    pages = [
        str(p.relative_to(root)) for p in sorted(root.rglob("*.html"))
        if not p.name.startswith(("genindex", "search")) and "_static" not in p.parts
    ]  # fmt: skip
    return pages


def test_the_build_loads_nothing_from_other_hosts(built):
    for lang in editions.LANGS:
        assert book.remote_assets(built / lang) == {}
        assert (built / lang / "_static" / "mathjax" / "MathJax.js").is_file()
    assert (built / "index.html").is_file()


@pytest.mark.parametrize("lang", editions.LANGS)
def test_every_page_shows_no_check_and_no_error(built, server, page, lang):
    pages = _pages(built, lang)
    notebooks = [p for p in pages if p.startswith("notebooks/")]
    assert len(notebooks) == len([s for s in editions.sources() if s.parent.name != "solutions"])
    assert {"manager.html", "primer.html", "facilitator.html", "glossary.html"} <= set(pages)
    shown = {}
    for name in pages:
        page.goto(f"{server}/{lang}/{name}")
        assert page.get_attribute("html", "lang") == lang
        assert page.locator("#language-switch").count() == 1, (lang, name)
        text = page.text_content("main")  # folded solutions and answers included
        found = sorted(what for what, pattern in FORBIDDEN.items() if pattern.search(text))
        if page.locator(".output.traceback, .output.error").count():
            found.append("error output")
        if found:
            shown[name] = found
    assert shown == {}, f"pages of {lang} that show checks or errors: {shown}"


@pytest.mark.parametrize("lang", editions.LANGS)
def test_language_switch_leads_to_the_same_page(server, page, lang):
    other = "en" if lang == "id" else "id"
    for name in ("index.html", "notebooks/04_learning.html", "facilitator.html"):
        page.goto(f"{server}/{lang}/{name}")
        page.click("#language-switch")
        page.wait_for_load_state()
        assert page.url == f"{server}/{other}/{name}"
        assert page.get_attribute("html", "lang") == other
        page.click("#language-switch")
        page.wait_for_load_state()
        assert page.url == f"{server}/{lang}/{name}"


@pytest.mark.parametrize("lang", editions.LANGS)
def test_solutions_are_folded_and_open(server, page, lang):
    page.goto(f"{server}/{lang}/notebooks/03_reaction.html")
    solutions = page.locator("details.solution")
    assert solutions.count() >= 4
    first = solutions.first
    assert first.get_attribute("open") is None
    body = first.locator(".sd-summary-content")
    assert not body.is_visible()
    first.locator("summary").click()
    assert first.get_attribute("open") is not None
    body.wait_for(state="visible")
    assert "reaction" in body.inner_text() or "summary" in body.inner_text()
    word = {"id": "Penyelesaian Latihan 1", "en": "Solution to exercise 1"}[lang]
    assert word in first.locator("summary").inner_text()


def test_formulas_are_drawn_by_the_books_own_mathjax(server, page):
    page.goto(f"{server}/en/notebooks/03_reaction.html")
    page.wait_for_selector(".MathJax, .MathJax_Display", state="attached", timeout=30_000)
    assert page.locator(".MathJax, .MathJax_Display").count() > 0


def test_pages_in_both_languages_carry_their_own_prose(built):
    facilitator = {
        lang: (built / lang / "facilitator.html").read_text("utf-8") for lang in editions.LANGS
    }
    assert "Agenda dua hari" in facilitator["id"] and "Two-day agenda" in facilitator["en"]
    assert "Two-day agenda" not in facilitator["id"]
    for lang in editions.LANGS:
        primer = (built / lang / "primer.html").read_text("utf-8")
        assert "_images/selection_into_methods.png" in primer
        assert (built / lang / "_images" / "selection_into_methods.png").is_file()


def test_make_course_fails_loudly_without_an_edition(tmp_path):
    """The build command, on a copy of the course with one edition removed."""
    for name in ("course", "notebooks", "toolkit", "sample_data"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    missing = tmp_path / "notebooks" / "en" / "04_learning.ipynb"
    missing.unlink()
    done = subprocess.run(
        [sys.executable, "-m", "course.build", "--out", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1
    assert "notebooks/en/04_learning.ipynb is missing" in done.stderr
    assert "make course-notebooks" in done.stderr
    assert not (tmp_path / "out" / "en").exists()


def test_a_notebook_is_prepared_for_reading(tmp_path):
    """Checks removed, parameters folded, each solution after its exercise, boxes and folds."""
    import nbformat

    new_md, new_code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(
        cells=[
            new_code('LANG = "en"', metadata={"tags": ["parameters"]}),
            new_code("x = 1"),
            new_code("if SAMPLE:\n    assert x == 1", metadata={"tags": ["check"]}),
            new_md("1. Why?\n   <details><summary>Answer</summary>Because.</details>",
                   metadata={"tags": ["concept-check"]}),
            new_md("**Key takeaways**\n\n- one\n- two", metadata={"tags": ["takeaways"]}),
            new_md("### Exercise 1 (warm-up)\n\nCount.", metadata={"tags": ["exercise"]}),
            new_md("### Exercise 2\n\nPlot.", metadata={"tags": ["exercise"]}),
        ]
    )  # fmt: skip
    solutions = nbformat.v4.new_notebook(
        cells=[
            new_code("import toolkit"),
            new_md("### Exercise 1 (warm-up)\n\nCount the rows."),
            new_code("print(3)", outputs=[nbformat.v4.new_output("stream", text="3\n")]),
            new_code("assert True", metadata={"tags": ["check"]}),
            new_md("Three.\n\n### Exercise 2\n\nA plot."),
        ]
    )  # fmt: skip
    out = book.prepare(nb, solutions, "en", tmp_path, "00_x")
    tags = [c.metadata.get("tags", []) for c in out.cells]
    assert "hide-input" in tags[0] and "remove-cell" in tags[2]
    assert ":::{dropdown} Answer\nBecause.\n:::" in out.cells[3].source
    assert out.cells[4].source.startswith("::::{admonition} Key takeaways\n:class: tip takeaways")
    first, second = out.cells[6], out.cells[8]
    assert first.source.startswith("::::{dropdown} Solution to exercise 1 (warm-up)")
    assert "Count the rows." in first.source and "print(3)" in first.source
    assert "```text\n3\n```" in first.source and "Three." in first.source
    assert "assert" not in first.source  # the solution's check cell stays out
    assert (
        second.source.startswith("::::{dropdown} Solution to exercise 2")
        and "A plot." in second.source
    )
    assert [c.source[:14] for c in out.cells[5:9:2]] == ["### Exercise 1", "### Exercise 2"]
