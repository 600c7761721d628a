"""The explorer as a web app, in a real browser: Voilà serves ``notebooks/explore.ipynb``
on 127.0.0.1 and Debian's Chromium, driven by Playwright, changes the filters as a person
would and reads the numbers off the page.

Needs ``/usr/bin/chromium`` (Debian package ``chromium``) and the Python packages
``playwright`` and ``voila``; ``make test`` installs them. Playwright's own browser download
(``playwright install``) is never used. When something is missing the test fails and says
what to install: it never skips silently.

Every request to a host other than this machine is blocked and recorded. The only ones
allowed are the Font Awesome style sheets that Voilà's "lab" template links from a CDN
(icons only; nothing on the page needs them). A screenshot of the app is kept in
``test-artifacts/explorer.png``.
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

from toolkit.explore import LABELS, filter_data, format_number, summaries
from toolkit.i18n import label
from toolkit.report.pdf import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
#: Remote requests Voilà's lab template makes by itself (icon fonts); blocked like the rest.
KNOWN_REMOTE = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free",)
START_TIMEOUT = 30  # seconds for Voilà to listen
PAGE_TIMEOUT = 60_000  # ms for the notebook to run and the explorer to appear
UPDATE_TIMEOUT = 30_000  # ms for the page to show a new filter's numbers
LANG = "id"  # the notebook's default language


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


def _wait_for(page, filters: dict, log: Path) -> None:
    """Wait until the page shows the numbers of ``filters`` (the app's state element)."""
    expected = json.dumps(filters, sort_keys=True, separators=(",", ":"))
    try:
        page.wait_for_function(
            "want => document.querySelector('.explore-app .explore-state')"
            "?.dataset.filters === want",
            arg=expected,
            timeout=UPDATE_TIMEOUT,
        )
    except Exception as err:  # Playwright's TimeoutError: add what the server said
        raise AssertionError(
            f"the page never showed the filters {expected}:\n{log.read_text()[-4000:]}"
        ) from err


def _check_numbers(page, data, filters: dict) -> pd.DataFrame:
    """The page's key numbers equal summaries() of the same filter; return the expected kpi."""
    expected = summaries(filter_data(data, **filters))["kpi"].set_index("key")
    shown = _page_numbers(page)
    assert sorted(shown.index) == sorted(expected.index)
    message = label("suppressed_short", LANG, extra=LABELS).format(m=5)
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
            assert got["text"] == format_number(row["value"], row["kind"], lang=LANG), key
    return expected


def _choose(page, name: str, text: str) -> None:
    page.select_option(f".explore-app .explore-filter-{name} select", label=text)


def _open_tab(page, title: str) -> None:
    page.locator(".explore-app .lm-TabBar-tab", has_text=title).click()


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
            context = browser.new_context(
                viewport={"width": 1280, "height": 1000}, service_workers="block"
            )
            context.route("**/*", local_only)
            page = context.new_page()
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(voila["url"], timeout=PAGE_TIMEOUT)
            page.wait_for_selector(
                ".explore-app .explore-state", state="attached", timeout=PAGE_TIMEOUT
            )
            _wait_for(page, {}, voila["log"])
            everything = _check_numbers(page, sample, {})
            assert everything.loc["n_participants", "value"] == sample.participants.shape[0]

            # 1. a method: the workshops
            _choose(page, "method", label("workshop", LANG))
            _wait_for(page, {"method": "workshop"}, voila["log"])
            workshops = _check_numbers(page, sample, {"method": "workshop"})
            assert workshops.loc["n_sessions", "value"] < everything.loc["n_sessions", "value"]
            _check_against_toolkit(page, filter_data(sample, method="workshop"))
            _open_tab(page, label("level_1", LANG))
            figure = page.locator(".explore-app img.explore-figure-reaction")
            figure.wait_for(state="visible", timeout=UPDATE_TIMEOUT)
            assert figure.evaluate("img => img.naturalWidth") > 0
            ARTIFACTS.mkdir(exist_ok=True)
            page.set_viewport_size({"width": 1280, "height": 2400})  # the whole app in view
            page.locator(".explore-app").screenshot(path=str(ARTIFACTS / "explorer.png"))
            page.set_viewport_size({"width": 1280, "height": 1000})

            # 2. then a unit: U15's workshops, five people at Level 1, two at Level 3
            name = sample.units.set_index("unit_id").loc["U15", "unit_name"]
            _choose(page, "unit", f"U15 · {name}")
            both = {"method": "workshop", "unit": "U15"}
            _wait_for(page, both, voila["log"])
            small = _check_numbers(page, sample, both)
            assert not small.loc["reaction_top2", "suppressed"]  # exactly 5 people: shown
            assert small.loc["reaction_top2", "n_people"] == 5
            assert small.loc["behavior_self_followup_3m", "suppressed"]  # 2 people: hidden
            _open_tab(page, label("level_3", LANG))
            section = page.locator(".explore-app .explore-section[data-section='behavior']")
            assert section.get_attribute("data-state") == "suppressed"
            assert section.locator(".explore-suppressed").is_visible()
            _check_against_toolkit(page, filter_data(sample, **both))

            # 3. clear the filters: back to the first numbers
            page.locator(".explore-app .explore-reset").first.click()
            _wait_for(page, {}, voila["log"])
            _check_numbers(page, sample, {})
        finally:
            browser.close()

    assert not errors, errors
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
    index = ikm(data.ikm_responses, by="period")
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
