"""Text from the data never runs as HTML or JavaScript in any output of the project.

A hostile data folder is built from a generated shape: every value of every free-text and
open-code column (unit ids and names, participant, session, item and respondent ids,
programmes, constructs, measures, slots, item texts, comments, cost descriptions) gets a
payload appended. The loader accepts all of them; the columns with a fixed list of codes
(grade, method, provider, schedule …), the dates, numbers and periods cannot carry one.

Then every HTML page the project writes from these data is parsed: the report (both
languages), the explorer (its tabs, key-number cards and widgets) and every course notebook's
outputs (HTML tables, Markdown, the explorer's widget state). No element, event handler or
``javascript:`` URL may come from a payload, and the payload must still be there as text.
Finally Chromium opens the report and the explorer's tabs and no dialog may fire.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.html_text import escape_md
from toolkit.report.pdf import CHROMIUM_ARGS
from toolkit.schema import TABLES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import make_shape

from course import editions

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")

#: Appended to every open value: an element with a handler, a script, a break out of a
#: quoted attribute (either quote) into an SVG with a handler, and a javascript: link.
PAYLOAD = (
    "<img src=x onerror=alert(1)><script>alert(2)</script>"
    "'\"><svg onload=alert(3)>[x](javascript:alert(4))"
)
#: What a payload looks like when it survived unescaped in raw HTML; Markdown adds a link.
RAW_HTML = ("<img", "<script", "<svg")
RAW_MARKDOWN = (*RAW_HTML, "](javascript:")
#: Values the toolkit gives a meaning to (the recommend and trainer constructs, the nine
#: IKM elements, which are also columns of ikm_responses): left as they are.
MEANINGFUL = {"recommend", "trainer", *(f"u{i}" for i in range(1, 10))}
#: Elements no data-derived page may hold (the report's charts are inline <svg>: allowed).
FORBIDDEN_TAGS = {"script", "img", "iframe", "object", "embed", "frame", "base", "meta"}
#: The report's own <meta> elements (charset, viewport, generator).
REPORT_META = {"charset", "name", "content"}
#: Attributes that hold a URL (a javascript: URL in them runs when followed or loaded).
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "srcset", "codebase", "ping", "style",
}  # fmt: skip


# ----------------------------------------------------------------------------- checking
class _Scan(HTMLParser):
    """Every injected element, handler or javascript: URL of a page, and its text."""

    def __init__(self, allow_meta: bool = False):
        super().__init__(convert_charrefs=True)
        self.allow_meta = allow_meta
        self.found: list[str] = []
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        names = {name for name, _ in attrs}
        if tag in FORBIDDEN_TAGS and not (
            tag == "meta" and self.allow_meta and names <= REPORT_META
        ):
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            url = "".join((value or "").split()).lower()
            js = name in URL_ATTRIBUTES and "javascript:" in url
            if name.startswith("on") or js or name == "srcdoc":
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def injections(page: str, *, allow_meta: bool = False) -> tuple[list[str], str]:
    """The injected elements and attributes of an HTML ``page``, and its text content."""
    scan = _Scan(allow_meta=allow_meta)
    scan.feed(page)
    scan.close()
    return scan.found, "".join(scan.text)


def _markdown_html(text: str) -> str:
    """``text`` rendered by mistune (nbconvert's renderer): raw HTML passes, as in Jupyter."""
    import mistune

    render = mistune.create_markdown(escape=False, plugins=["strikethrough", "table", "math"])
    return render(text)


def test_the_checks_find_a_payload():
    """The checks below can fail: a raw payload is found, an escaped one is not."""
    found, _ = injections(f"<td>{PAYLOAD}</td>")
    assert any("<img" in f for f in found) and any("onerror" in f for f in found)
    assert any("<script" in f for f in found) and any("onload" in f for f in found)
    assert injections('<a href=" JavaScript:alert(4)">x</a>')[0]
    found, text = injections(f"<td>{escape_md(PAYLOAD)}</td>")
    assert found == [] and "<img src=x onerror=alert" in text
    assert injections(_markdown_html(PAYLOAD))[0]
    assert injections(_markdown_html(escape_md(PAYLOAD)))[0] == []


# ----------------------------------------------------------------------------- escape_md
_PIECES = st.sampled_from(
    [*"ab1 .-+*_#<>&\"'`[]()!|~$=:/\\\n\t", "javascript:", "http://x.y", "&amp;", "1. "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_escape_md_renders_as_the_text_itself(text):
    """Markdown shows escape_md(text) as text's characters, in one paragraph, no markup."""
    text = text.lstrip()  # leading blanks would make an indented code block: no markup either
    scan = _Scan()
    scan.feed(_markdown_html(escape_md(text)))
    scan.close()
    shown = "".join(scan.text)
    assert scan.found == [] and scan.tags <= {"p"}
    assert " ".join(shown.split()) == " ".join(text.split())


# ----------------------------------------------------------------------------- hostile data
def _open_columns() -> dict[str, list[str]]:
    """Per table, its columns of free text and open codes (those that can carry a payload)."""
    return {
        name: [
            c.name
            for c in table.columns
            if c.kind in ("id", "text") or (c.kind == "category" and c.categories is None)
        ]
        for name, table in TABLES.items()
    }


def hostile_folder(directory: Path, keep=frozenset()) -> Path:
    """The shape with every open value (but ``keep`` and :data:`MEANINGFUL`) + PAYLOAD."""
    make_shape("methods_5_providers_3", directory)
    spared = set(keep) | MEANINGFUL | {""}
    for name, columns in _open_columns().items():
        path = directory / f"{name}.csv"
        if not path.exists():
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in columns:
            df[col] = df[col].where(df[col].isin(spared), df[col] + PAYLOAD)
        df.to_csv(path, index=False, lineterminator="\n")
    return directory


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return hostile_folder(tmp_path_factory.mktemp("hostile"))


def test_the_hostile_data_load_with_a_payload_in_every_open_column(hostile):
    from toolkit.data import load

    data = load(hostile)
    for name, columns in _open_columns().items():
        for col in columns:
            values = data.tables()[name][col].dropna().astype("str")
            assert values.str.endswith(PAYLOAD).any(), (name, col)


# ----------------------------------------------------------------------------- the report
@pytest.fixture(scope="module")
def report_pages(hostile, tmp_path_factory) -> dict[str, str]:
    """Every HTML file of the hostile data's report, in both languages (the cover's office,
    title and date and the current slots carry the payload too)."""
    from toolkit.report.build import build_report

    slots = pd.read_csv(hostile / "availability.csv", dtype=str)["slot"].unique()[:2].tolist()
    pages = {}
    for lang in ("id", "en"):
        out = tmp_path_factory.mktemp(f"report_{lang}")
        result = build_report(
            hostile, out, lang=lang, office=PAYLOAD, title=PAYLOAD, current_slots=slots,
            generated=PAYLOAD, log=None,
        )  # fmt: skip
        assert result.failed == [], result.failed
        pages |= {f"{lang}/{p.name}": p.read_text("utf-8") for p in sorted(out.glob("*.html"))}
    return pages


def test_report_shows_every_payload_as_text(report_pages):
    assert sorted(report_pages) == ["en/index.html", "id/index.html"]
    for name, page in report_pages.items():
        found, text = injections(page, allow_meta=True)
        assert found == [], (name, found[:5])
        assert text.count(PAYLOAD) >= 20, name  # in tables, sentences and chart labels


def test_report_charts_draw_labels_as_written():
    """Chart labels are XML-escaped text; a pair of $ does not start mathtext (nor fail)."""
    from toolkit.report import figures

    name = "<b onclick=alert(1)>$\\alert(2)$</b> & co"
    for svg in (
        figures.bars([name], [1.0], xlabel=name),
        figures.grouped_bars([name], {name: [1.0]}, ylabel=name),
        figures.lines([name], {name: [1.0]}, ylabel=name),
    ):
        found, text = injections(svg)
        assert found == [] and text.count(name) >= 2


# ----------------------------------------------------------------------------- the explorer
def _widget_html(widget) -> list[str]:
    """The HTML of every ipywidgets.HTML inside ``widget``."""
    import ipywidgets as w

    out = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        out += _widget_html(child)
    return out


@pytest.fixture(scope="module")
def explorer_pages(hostile) -> dict[str, str]:
    """The explorer's tabs for three selections, and the app's own HTML widgets."""
    from toolkit.data import load
    from toolkit.explore import SECTIONS, Explorer, filter_data, filter_options, section_html
    from toolkit.explore import summaries as explore_summaries

    data = load(hostile)
    options = filter_options(data)
    selections = [{}, {"program": options["program"][0]}, {"unit": options["unit"][0]}]
    pages = {}
    for chosen in selections:
        out = explore_summaries(filter_data(data, **chosen))
        for section in SECTIONS:
            for lang in ("id", "en"):
                pages[f"{chosen}/{section}/{lang}"] = section_html(
                    out, section, lang=lang, instruments=data.instruments
                )
    app = Explorer(data, lang="en")
    pages |= {f"app/{i}": page for i, page in enumerate(_widget_html(app.widget))}
    app.set_filters(program=options["program"][0])
    pages |= {f"app/program/{i}": page for i, page in enumerate(_widget_html(app.widget))}
    return pages


def test_explorer_shows_every_payload_as_text(explorer_pages):
    texts = []
    for name, page in explorer_pages.items():
        found, text = injections(page)
        assert found == [], (name, found[:5])
        assert not any(mark in page for mark in RAW_HTML), name
        texts.append(text)
    assert "\n".join(texts).count(PAYLOAD) >= 10  # item texts, unit ids, slots …


# ----------------------------------------------------------------------------- notebooks
def _literals(notebook: dict) -> set[str]:
    """The strings a notebook names in code that also runs on other data.

    Codes a notebook names itself (an item, a slot, a construct) keep their value in the
    hostile data, or the notebook would not find them; the checks of the sample's own
    figures (``if SAMPLE:`` blocks and asserts) do not run on other data and do not count.
    """
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node):
            if isinstance(node.test, ast.Name) and node.test.id == "SAMPLE":
                for child in node.orelse:
                    self.visit(child)
            else:
                self.generic_visit(node)

        def visit_Assert(self, node):
            pass

        def visit_Constant(self, node):
            if isinstance(node.value, str):
                found.add(node.value)

    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            Visitor().visit(ast.parse("".join(cell["source"])))
    return found


#: The course's sources (course/notebooks/*.md, solutions apart) and the Voila app.
_SOURCES = {p.stem: p for p in editions.sources() if p.parent.name != "solutions"}
COURSE = sorted([*_SOURCES, "explore_app"])
#: Notebooks whose outputs show no code or name from the data (counts and shares only).
NO_DATA_TEXT = {"00_introduction"}


@pytest.fixture(scope="module")
def hostile_for_notebooks(tmp_path_factory) -> Path:
    keep = set()
    for name in COURSE:
        keep |= _literals(_notebook(name))
    return hostile_folder(tmp_path_factory.mktemp("hostile_nb"), keep=keep)


def _notebook(name: str):
    """Course notebook ``name``: its source (:func:`course.editions.read_source`) or the app."""
    import nbformat

    if name in _SOURCES:
        return editions.read_source(_SOURCES[name])
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _run(name: str, data_dir: Path, workdir: Path):
    """Notebook ``name`` executed on ``data_dir`` in this Python (never written back)."""
    import ipykernel.kernelspec
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from traitlets import default

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return self.kernel_spec_class(
                resource_dir=ipykernel.kernelspec.RESOURCES,
                **ipykernel.kernelspec.get_kernel_dict(),
            )

    class ThisPythonKernel(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return ThisPython(data_dir=self.data_dir)

    nb = _notebook(name)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", []) and "DATA_DIR = None" in first.source
    first.source = first.source.replace("DATA_DIR = None", f"DATA_DIR = {str(data_dir)!r}")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="this-python",
        kernel_manager_class=ThisPythonKernel,
        resources={"metadata": {"path": str(workdir)}},
    ).execute()
    return nb


def _notebook_pages(nb) -> dict[str, tuple[str, str]]:
    """Every HTML and Markdown output of ``nb`` and its widgets' HTML: (kind, text)."""
    pages = {}
    for i, cell in enumerate(nb.cells):
        for j, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            for mime in ("text/html", "text/markdown", "image/svg+xml"):
                if mime in data:
                    pages[f"cell {i} output {j} {mime}"] = (mime, data[mime])
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for key, model in state.get("state", {}).items():
        value = model.get("state", {}).get("value")
        if model.get("model_name") in {"HTMLModel", "HTMLMathModel"}:
            pages[f"widget {key}"] = ("text/html", value or "")
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("name", COURSE)
def test_notebook_outputs_show_every_payload_as_text(name, hostile_for_notebooks, tmp_path):
    nb = _run(name, hostile_for_notebooks, tmp_path)
    pages = _notebook_pages(nb)
    assert pages, "the notebook shows no table"
    shown = []
    for where, (mime, text) in pages.items():
        marks = RAW_MARKDOWN if mime == "text/markdown" else RAW_HTML
        raw = [mark for mark in marks if mark in text]
        page = _markdown_html(text) if mime == "text/markdown" else text
        found, words = injections(page)
        assert raw == [] and found == [], (name, where, raw, found[:3])
        shown.append(words)
    assert ("<img src=x onerror=alert(1)>" in "".join(shown)) == (name not in NO_DATA_TEXT)


def test_every_styler_in_the_course_escapes():
    """A pandas Styler shows cell text as HTML unless told to escape it (pandas' default)."""
    import nbformat

    notebooks = {p: editions.read_source(p) for p in editions.sources()}
    for path in sorted(NOTEBOOKS.glob("**/*.ipynb")):  # the editions and the app
        notebooks[path] = nbformat.read(path, as_version=4)
    assert len(notebooks) > len(editions.sources())
    for path, nb in notebooks.items():
        for cell in nb.cells:
            if cell.cell_type == "code" and ".style" in cell.source:
                assert 'format(escape="html")' in cell.source, (path.name, cell.source[:200])


# ----------------------------------------------------------------------------- Chromium
def _require_browser() -> None:
    """Fail (not skip) with the install commands when Chromium or Playwright is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("the Python package playwright (.venv/bin/pip install playwright)")
    if missing:
        pytest.fail(
            "The browser check needs " + " and ".join(missing) + "; `make test` installs them. "
            "Never run `playwright install`: the test uses Debian's Chromium.",
            pytrace=False,
        )


def _dialogs(pages: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    """The dialogs each page opens in Chromium (file:// pages; the network is blocked)."""
    from playwright.sync_api import sync_playwright

    fired: dict[str, list[str]] = {}

    def local_only(route):
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(service_workers="block")
            context.route("**/*", local_only)
            for i, (name, html) in enumerate(pages.items()):
                path = tmp_path / f"page{i}.html"
                path.write_text(html, encoding="utf-8")
                seen = fired.setdefault(name, [])
                page = context.new_page()
                page.on("dialog", lambda d, seen=seen: (seen.append(d.message), d.dismiss()))
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(300)  # late handlers (a failed image, a deferred script)
                page.close()
        finally:
            browser.close()
    return fired


@pytest.mark.slow
def test_no_dialog_fires_in_chromium(report_pages, explorer_pages, tmp_path):
    _require_browser()
    explorer = "".join(explorer_pages.values())
    control = f"<!doctype html><html><body><p>{PAYLOAD}</p></body></html>"
    fired = _dialogs(
        {
            "control": control,
            "report": report_pages["en/index.html"],
            "explorer": f"<!doctype html><html><body>{explorer}</body></html>",
        },
        tmp_path,
    )
    assert sorted(fired.pop("control")) == ["1", "2", "3"]  # the check sees a raw payload run
    assert fired == {"report": [], "explorer": []}
