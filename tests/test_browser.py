"""The explorer as a web app, in a real browser: Voilà serves ``notebooks/explore_app.ipynb``
(the app alone, as ``make explore`` does) on 127.0.0.1 and Debian's Chromium, driven by
Playwright at 1280 × 720 (a projector), changes the filters and the language as a person
would and reads the numbers off the page. The page must show nothing but the app (no
notebook prose, code or error), every filter's label and chosen option in full, and the
same numbers as :func:`toolkit.explore.summarize`.

Needs ``/usr/bin/chromium`` (Debian package ``chromium``) and the Python packages
``playwright`` and ``voila``; ``make test`` installs them. Playwright's own browser download
(``playwright install``) is never used. When something is missing the test fails and says
what to install: it never skips silently.

Every request to a host other than this machine is blocked and recorded. The only ones
allowed are the Font Awesome style sheets that Voilà's "lab" template links from a CDN
(icons only; nothing on the page needs them). Screenshots of the app are kept in
``test-artifacts/`` (``explorer.png``: Level 1 in Indonesian; ``explorer_en.png``: the
same in English; ``explorer_level4.png``, ``explorer_level2.png`` and
``explorer_participation.png``: other tabs, for a person to look at).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from toolkit.explore import LABELS, filter_data, format_number, summarize
from toolkit.i18n import label
from toolkit.report.pdf import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore_app.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
#: Remote requests Voilà's lab template makes by itself (icon fonts); blocked like the rest.
KNOWN_REMOTE = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free",)
START_TIMEOUT = 30  # seconds for Voilà to listen
PAGE_TIMEOUT = 60_000  # ms for the notebook to run and the explorer to appear
UPDATE_TIMEOUT = 30_000  # ms for the page to show a new filter's numbers
LANG = "id"  # the app's default language
VIEWPORT = {"width": 1280, "height": 720}  # a 1280 × 720 projector


def _require() -> None:
    """Fail (not skip) with the install commands when a tool of the test is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)")
    for module in ("playwright", "voila"):
        if importlib.util.find_spec(module) is None:
            missing.append(f"the Python package {module} (.venv/bin/pip install {module})")
    if missing:
        pytest.fail(
            "The browser test needs " + " and ".join(missing) + "; `make test` installs them. "
            "Never run `playwright install`: the test uses Debian's Chromium.",
            pytrace=False,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voilà serving the explorer notebook on a free local port; always stopped afterwards."""
    _require()
    port = _free_port()
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    command = [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOK),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--show_tracebacks=True",
    ]
    with open(log_path, "w") as log:
        # its own process group, so that stopping it also stops the kernels it started
        server = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"Voilà did not start on port {port} within {START_TIMEOUT} s:\n"
                    + log_path.read_text(),
                    pytrace=False,
                )
            time.sleep(0.2)
        yield {"url": f"http://127.0.0.1:{port}/", "log": log_path}
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=5)


def _page_numbers(page) -> pd.DataFrame:
    """Every key number on the page: key, value, suppressed, text."""
    rows = page.eval_on_selector_all(
        ".explore-app .kpi",
        """els => els.map(e => ({key: e.dataset.key, value: e.dataset.value ?? null,
                                 suppressed: e.dataset.suppressed === 'true',
                                 text: e.textContent}))""",
    )
    return pd.DataFrame(rows, columns=["key", "value", "suppressed", "text"]).set_index("key")


def _wait_for(page, filters: dict, log: Path, lang: str = LANG) -> None:
    """Wait until the page shows the numbers of ``filters`` in ``lang`` (the app's state)."""
    expected = json.dumps(filters, sort_keys=True, separators=(",", ":"))
    try:
        page.wait_for_function(
            "([want, lang]) => { const s = document.querySelector('.explore-app .explore-state');"
            " return s?.dataset.filters === want && s?.dataset.lang === lang; }",
            arg=[expected, lang],
            timeout=UPDATE_TIMEOUT,
        )
    except Exception as err:  # Playwright's TimeoutError: add what the server said
        raise AssertionError(
            f"the page never showed the filters {expected}:\n{log.read_text()[-4000:]}"
        ) from err


def _check_numbers(page, data, filters: dict, lang: str = LANG) -> pd.DataFrame:
    """The page's key numbers equal summarize() of the same filter; return the expected kpi."""
    expected = summarize(data, **filters)["kpi"].set_index("key")
    shown = _page_numbers(page)
    assert sorted(shown.index) == sorted(expected.index)
    message = label("suppressed_short", lang, extra=LABELS).format(m=5)
    for key, row in expected.iterrows():
        got = shown.loc[key]
        assert got["suppressed"] == row["suppressed"], key
        if row["suppressed"]:
            assert got["text"] == message, key
            assert pd.isna(got["value"]), key  # no number hidden in the page either
        elif pd.isna(row["value"]):  # a number that does not exist (e.g. no class gain)
            assert got["value"] in ("", None) and got["text"] == "–", key
        else:
            assert float(got["value"]) == pytest.approx(row["value"], rel=1e-12), key
            assert got["text"] == format_number(row["value"], row["kind"], lang=lang), key
    return expected


def _choose(page, name: str, text: str) -> None:
    page.select_option(f".explore-app .explore-filter-{name} select", label=text)


def _open_tab(page, title: str) -> None:
    page.locator(".explore-app .lm-TabBar-tab", has_text=title).click()


#: Text of the course notebook (notebooks/<lang>/explore.ipynb) never to reach the app's page.
COURSE_TEXT = ("Latihan", "Exercises", "Pertanyaan.", "Question.", "DATA_DIR", "import ",
               "assert ", "filter_data(", "Traceback", "Error")  # fmt: skip

#: JavaScript: the parts of the page outside the app that show text, and what they show.
_OUTSIDE_TEXT = """() => {
  const app = document.querySelector('.explore-app');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, box = node.parentElement;
    if (!box || app.contains(node) || !node.textContent.trim()) continue;
    const style = getComputedStyle(box);
    if (style.display === 'none' || style.visibility === 'hidden' || !box.offsetParent) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(box.tagName)) continue;
    found.push(node.textContent.trim());
  }
  return found;
}"""

#: JavaScript: every filter whose label or chosen option does not fit its box.
_CUT_OFF = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const box of document.querySelectorAll('.explore-app .explore-filter')) {
    const select = box.querySelector('select'), name = box.querySelector('label');
    ctx.font = getComputedStyle(select).font;
    const widest = Math.max(...[...select.options].map(o => ctx.measureText(o.text).width));
    const room = select.clientWidth - 28;  // padding and the arrow
    if (widest > room) out.push({filter: box.className, widest, room});
    if (name && name.scrollWidth > name.clientWidth + 1)
      out.push({filter: box.className, label: name.textContent});
  }
  return out;
}"""


def _figure(page, section: str) -> None:
    """Wait until the figure of ``section`` is drawn and decoded (not a broken image)."""
    page.wait_for_function(
        "s => { const img = document.querySelector(`.explore-app img.explore-figure-${s}`);"
        " return img && img.complete && img.naturalWidth > 0 && img.offsetParent !== null; }",
        arg=section,
        timeout=UPDATE_TIMEOUT,
    )


def _screenshot(page, name: str) -> None:
    """The whole app (all of its height, 1280 px wide) into test-artifacts/<name>."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate("() => document.querySelector('.explore-app').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(720, int(height) + 40)})
    page.locator(".explore-app").screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size(VIEWPORT)


def test_explorer_in_chromium(voila, sample):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    blocked, sockets, errors = [], [], []

    def local_only(route):
        host = urlparse(route.request.url).hostname
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT, service_workers="block")
            context.route("**/*", local_only)
            page = context.new_page()
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(voila["url"], timeout=PAGE_TIMEOUT)
            page.wait_for_selector(
                ".explore-app .explore-state", state="attached", timeout=PAGE_TIMEOUT
            )
            _wait_for(page, {}, voila["log"])

            # 0. the page is the app alone: no prose, code, output or error around it
            outside = page.evaluate(_OUTSIDE_TEXT)
            assert outside == [], outside
            text = page.locator("body").inner_text()
            assert not [t for t in COURSE_TEXT if t in text], text[:2000]
            assert page.locator(".jp-RenderedMarkdown, .jp-InputArea-editor").count() == 0
            assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            assert page.evaluate(_CUT_OFF) == []  # every filter's label and option in full

            everything = _check_numbers(page, sample, {})
            assert everything.loc["n_participants", "value"] == sample.participants.shape[0]

            # 1. a method: the workshops
            _choose(page, "method", label("workshop", LANG))
            _wait_for(page, {"method": "workshop"}, voila["log"])
            workshops = _check_numbers(page, sample, {"method": "workshop"})
            assert workshops.loc["n_sessions", "value"] < everything.loc["n_sessions", "value"]
            _check_against_toolkit(page, filter_data(sample, method="workshop"))
            _open_tab(page, label("level_1", LANG))
            _figure(page, "reaction")
            _screenshot(page, "explorer.png")

            # 2. the language toggle: every text in English, the same numbers
            page.locator(".explore-app .explore-lang button", has_text="English").click()
            _wait_for(page, {"method": "workshop"}, voila["log"], lang="en")
            _check_numbers(page, sample, {"method": "workshop"}, lang="en")
            english = page.locator(".explore-app").inner_text()
            for key in ("n_participants", "level_1", "reset", "method", "help_reaction_nps"):
                assert label(key, "en", extra=LABELS) in english, key
                assert label(key, "id", extra=LABELS) not in english, key
            assert page.evaluate(_CUT_OFF) == []
            _figure(page, "reaction")
            _screenshot(page, "explorer_en.png")
            page.locator(".explore-app .explore-lang button", has_text="Bahasa Indonesia").click()
            _wait_for(page, {"method": "workshop"}, voila["log"])
            assert (
                label("n_participants", "id", extra=LABELS)
                in page.locator(".explore-app").inner_text()
            )

            # 3. then a unit: U15's workshops, five people at Level 1, two at Level 3
            name = sample.units.set_index("unit_id").loc["U15", "unit_name"]
            _choose(page, "unit", f"U15 · {name}")
            both = {"method": "workshop", "unit": "U15"}
            _wait_for(page, both, voila["log"])
            small = _check_numbers(page, sample, both)
            assert small.loc["n_sessions", "value"] == 3  # the workshops U15's staff attended
            assert not small.loc["reaction_top2", "suppressed"]  # exactly 5 people: shown
            assert small.loc["reaction_top2", "n_people"] == 5
            assert small.loc["behavior_self_followup_3m", "suppressed"]  # 2 people: hidden
            _open_tab(page, label("level_3", LANG))
            section = page.locator(".explore-app .explore-section[data-section='behavior']")
            assert section.get_attribute("data-state") == "suppressed"
            assert section.locator(".explore-suppressed").is_visible()
            _check_against_toolkit(page, filter_data(sample, **both))
            _open_tab(page, label("level_4", LANG))
            _figure(page, "results")
            _screenshot(page, "explorer_level4.png")

            # 4. clear the filters: back to the first numbers; the other tabs' screenshots
            page.locator(".explore-app .explore-reset").first.click()
            _wait_for(page, {}, voila["log"])
            _check_numbers(page, sample, {})
            for tab, section, shot in (
                ("level_2", "learning", "explorer_level2.png"),
                ("participation", "participation", "explorer_participation.png"),
            ):
                _open_tab(page, label(tab, LANG, extra=LABELS))
                _figure(page, section)
                _screenshot(page, shot)
            text = page.locator("body").inner_text()
            assert "Traceback" not in text and "Error" not in text
        finally:
            browser.close()

    assert not errors, errors
    log = voila["log"].read_text()
    assert "Traceback" not in log, log[-4000:]
    assert all(urlparse(u).hostname in LOCAL_HOSTS for u in sockets), sockets
    unexpected = [u for u in blocked if not u.startswith(KNOWN_REMOTE)]
    assert not unexpected, f"the page asked for remote resources: {unexpected}"
    assert len(blocked) <= 2, blocked  # the two Font Awesome style sheets at most
    print(
        f"browser test: {time.monotonic() - started:.1f} s, {len(blocked)} remote requests blocked"
    )


def _check_against_toolkit(page, data) -> None:
    """Some of the page's numbers, recomputed with the toolkit's functions directly."""
    from toolkit.participation import attendance_summary
    from toolkit.reaction import likert_summary, net_promoter_score
    from toolkit.results import ikm

    shown = _page_numbers(page)
    nps = net_promoter_score(data.reaction, item="R08")
    likert = likert_summary(
        data.reaction[data.reaction["item_code"].astype("str") != "R08"],
        instruments=data.instruments,
    )
    trained = data.units.loc[data.units["first_trained_period"].notna(), "unit_id"]
    selected = data.ikm_responses["unit_id"].isin(trained)  # Level 4's selected units
    index = ikm(data.ikm_responses[selected.to_numpy()], by="period")
    attendance = attendance_summary(data.enrollments, data.sessions, participants=data.participants)
    for key, value in (
        ("reaction_nps", nps.loc[0, "estimate"]),
        ("reaction_top2", likert["top2_pct"].mean()),
        ("ikm_latest", index["converted"].iloc[-1]),
        ("attendance_share", attendance.loc[0, "attended_share"]),
    ):
        if not shown.loc[key, "suppressed"]:
            assert float(shown.loc[key, "value"]) == pytest.approx(value, rel=1e-12), key
    assert not shown.loc["reaction_top2", "suppressed"]
