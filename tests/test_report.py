"""The report: built from results on any data shape, safe with the user's files, checkable."""

from __future__ import annotations

import html
import os
import re
import signal
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE, read_raw, write_raw

from toolkit.__main__ import main
from toolkit.data import DataError, load
from toolkit.report import MARKER, OutputError, build_report, fmt

STAMP = "2026-01-01 00:00 WIB"
SAMPLE_WORDS = re.compile(r"tanjungpinang|synthetic|sintetis|truth|planted", re.I)
NIP_LIKE = re.compile(r"(?<!\d)(19|20)\d{6}(19|20)\d{4}[12]\d{3}(?!\d)")


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rep") / "report"
    build_report(SAMPLE, out, generated=STAMP, log=None)
    return out


def _summary_values(page: str) -> dict[str, str]:
    """The key figures as shown in the executive summary: data-key → text."""
    found = re.findall(r'<strong class="kf" data-key="([^"]+)">([^<]*)</strong>', page)
    return {key: html.unescape(text) for key, text in found}


def _numbers(text: str, lang: str) -> list[float]:
    """Every number in a shown key figure, in order (Indonesian or English style)."""
    text = text.replace("IK 95%", "").replace("95% CI", "")
    sep = r"[.,]"
    pattern = rf"[−+]?\d{{1,3}}(?:{'[.]' if lang == 'id' else ','}\d{{3}})*(?:{sep}\d+)?"
    return [fmt.to_float(m, lang) for m in re.findall(pattern, text)]


# ------------------------------------------------------------------------- the sample
def test_sample_report_files_and_readiness(sample_report):
    names = sorted(p.name for p in sample_report.iterdir())
    assert names == sorted(
        [MARKER, "index.html", "key_figures.csv", "readiness.csv", "recommendations.csv"]
    )
    readiness = pd.read_csv(sample_report / "readiness.csv")
    assert readiness["possible"].all(), readiness.loc[~readiness["possible"], ["key", "why"]]
    page = (sample_report / "index.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in page and "Ringkasan eksekutif" in page
    assert "<script" not in page  # nothing to run, nothing to fetch
    assert not re.search(r"""(?:src|href)=["']?https?://""", page)
    assert not NIP_LIKE.search(page)


def test_every_summary_number_is_the_toolkits_result(sample_report, sample):
    """Recomputed here with the toolkit's functions, independently of the report's code."""
    from toolkit.behavior import behavior_change
    from toolkit.learning import prepost_scores, prepost_test
    from toolkit.reaction import likert_summary, net_promoter_score
    from toolkit.results import did, ikm, ikm_panel
    from toolkit.roi import fully_loaded_costs, isolated_benefits, roi

    page = (sample_report / "index.html").read_text(encoding="utf-8")
    shown = {k: _numbers(v, "id") for k, v in _summary_values(page).items()}
    d = sample
    inst = d.instruments
    react = inst[inst["instrument"] == "reaction"]
    likert_items = react.loc[react["scale_max"] <= 7, "item_code"].tolist()  # R01–R07, 1–5
    top2 = likert_summary(d.reaction, items=likert_items, instruments=inst)
    nps = net_promoter_score(d.reaction, item="R08", instruments=inst).iloc[0]
    test = prepost_test(prepost_scores(d.tests).dropna()).iloc[0]
    change = behavior_change(d.behavior, instruments=inst, rater="supervisor",
                             compare=("baseline", "followup_3m")).iloc[0]  # fmt: skip
    panel = ikm_panel(d.ikm_responses, units=d.units)
    effect = did(panel, outcome="converted", treated="treated", post="treated_post",
                 unit="unit_id", period="period").iloc[0]  # fmt: skip
    overall = ikm(d.ikm_responses).iloc[0]
    costs = fully_loaded_costs(d.costs, by=None)
    benefits = isolated_benefits(d.benefit_estimates)
    with warnings.catch_warnings():  # a missing salary line, if any, is not tested here
        warnings.simplefilter("ignore", UserWarning)
        result = roi(benefits, costs)
    expected = {
        "reaction_top2": [(top2["top2_pct"].mean(), 0), (top2["n"].sum(), 0)],
        "nps": [(nps["estimate"], 1), (nps["ci_low"], 1), (nps["ci_high"], 1), (nps["n"], 0)],
        "score_change": [
            (test["estimate"], 1),
            (test["ci_low"], 1),
            (test["ci_high"], 1),
            (test["n"], 0),
        ],  # fmt: skip
        "behavior_supervisor_followup_3m": [
            (change["estimate"], 2),
            (change["ci_low"], 2),
            (change["ci_high"], 2),
            (change["n"], 0),
        ],  # fmt: skip
        "ikm": [(overall["converted"], 2), (overall["n"], 0)],
        "ikm_did": [
            (effect["estimate"], 1),
            (effect["ci_low"], 1),
            (effect["ci_high"], 1),
            (effect["n_clusters"], 0),
        ],  # fmt: skip
        "roi": [(result.roi_pct, 0), (result.bcr, 2)],
    }
    assert set(shown) == set(expected)
    for key, values in expected.items():
        got = shown[key]
        for i, (value, decimals) in enumerate(values):
            assert got[i] == pytest.approx(round(float(value), decimals), abs=1e-9), (key, i)


def test_key_figures_csv_matches_the_page(sample_report):
    table = pd.read_csv(sample_report / "key_figures.csv")
    page = (sample_report / "index.html").read_text(encoding="utf-8")
    assert dict(zip(table["key"], table["shown"], strict=True)) == _summary_values(page)
    assert set(table["level"]) == {1, 2, 3, 4, 5}


def test_same_input_same_bytes(sample_report, tmp_path):
    again = build_report(SAMPLE, tmp_path / "again", generated=STAMP, log=None).out
    for page in sample_report.iterdir():
        assert page.read_bytes() == (again / page.name).read_bytes(), page.name


def test_intervals_are_ik_not_sk(sample_report):
    # civil servants read "SK" as Surat Keputusan: the report writes IK (interval kepercayaan),
    # spelled out once, in the summary, before any "IK 95%"
    page = (sample_report / "index.html").read_text(encoding="utf-8")
    assert "SK 95" not in page and "selang kepercayaan" not in page.lower()
    assert page.count("IK 95%") >= 5
    assert page.index("IK 95%") == page.index("IK 95% = interval kepercayaan 95%")


def test_english_report_is_english(tmp_path):
    out = build_report(SAMPLE, tmp_path / "en", lang="en", log=None).out
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Executive summary" in page
    for indonesian in ("Ringkasan", "peserta", "s.d.", "IK 95%", "Lampiran"):
        assert indonesian not in page, indonesian


def test_indonesian_tables_use_indonesian_numbers(sample_report):
    page = (sample_report / "index.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert cells
    for cell in cells:
        assert not re.search(r"\d,\d{3}(?!\d)", cell) or "," in cell.split(".")[-1], cell
        assert not re.search(r"\d\.\d{1,2}(?:%|$)", cell), cell  # 0.42 would be 0,42
    for raw in ("share_agree", "ci_low", "dtype", "array(", "NaN", "nan%", "snake"):
        assert raw not in page


# --------------------------------------------------------------------- other shapes
@pytest.fixture(scope="module")
def shape_dirs(tmp_path_factory):
    from shapes import make_shape

    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = make_shape(name, tmp_path_factory.mktemp("shape") / name)
        return cache[name]

    return get


@pytest.fixture(scope="module")
def sample_figures(sample_report) -> list[str]:
    """The sample's shown key figures: none may appear in another data set's report."""
    return pd.read_csv(sample_report / "key_figures.csv")["shown"].tolist()


def _shape_names():
    from shapes import SHAPES

    return sorted(SHAPES)


@pytest.mark.slow
@pytest.mark.parametrize("name", _shape_names())
def test_report_on_other_shapes(name, shape_dirs, sample_figures, tmp_path, capsys):
    """The report on each shape, in one of the two languages (every other shape in
    English: both languages run on half the shapes each; the sample's report runs in both)."""
    from shapes import expected_absent

    data_dir = shape_dirs(name)
    lang = ("id", "en")[_shape_names().index(name) % 2]
    out = tmp_path / f"report-{lang}"
    rc = main(["report", "--data", str(data_dir), "--out", str(out), "--lang", lang])
    err = capsys.readouterr().err
    assert rc == 0, err
    page = (out / "index.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    assert not SAMPLE_WORDS.search(page), SAMPLE_WORDS.search(page).group(0)
    for shown in sample_figures:
        assert shown not in page, shown
    readiness = pd.read_csv(out / "readiness.csv")
    assert not (out / "report.log").exists() or "Traceback" not in (out / "report.log").read_text()
    missing = readiness.loc[~readiness["possible"]]
    for _, row in missing.iterrows():  # every gap is stated, with what to add
        assert row["why"] in text and row["add"] in text
    assert not NIP_LIKE.search(page)
    figures = pd.read_csv(out / "key_figures.csv")
    for key, shown in zip(figures["key"], figures["shown"], strict=True):
        assert shown in text, key
    expected = _expected_key_figures(load(data_dir))
    got = dict(zip(figures["key"], figures["estimate"], strict=True))
    assert set(got) == set(expected), name
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), (name, key)
    absent = expected_absent(name)
    if absent:
        assert not readiness["possible"].all(), f"{name}: absent {absent} but all possible"


def _expected_key_figures(d) -> dict[str, float]:
    """The summary's figures recomputed from the toolkit's functions, by the documented rules."""
    from toolkit.behavior import behavior_change
    from toolkit.learning import prepost_scores, prepost_test
    from toolkit.reaction import likert_summary, net_promoter_score
    from toolkit.results import did, ikm, ikm_panel
    from toolkit.roi import fully_loaded_costs, isolated_benefits, roi

    out: dict[str, float] = {}
    inst = d.instruments
    if len(d.reaction):
        react = inst[inst["instrument"] == "reaction"]
        answered = react[react["item_code"].isin(d.reaction["item_code"].unique())]
        zero_ten = (answered["scale_min"] == 0) & (answered["scale_max"] == 10)
        items = answered.loc[~zero_ten, "item_code"].astype(str).tolist()
        if items:
            s = likert_summary(d.reaction, items=items, instruments=inst)
            out["reaction_top2"] = s.loc[s["n"] > 0, "top2_pct"].mean()
        nps = answered[zero_ten].sort_values("construct", key=lambda c: c != "recommend",
                                             kind="stable")  # fmt: skip
        if len(nps):
            item = str(nps["item_code"].iloc[0])
            out["nps"] = net_promoter_score(d.reaction, item=item, instruments=inst)["estimate"][0]
    if len(d.tests):
        paired = prepost_scores(d.tests).dropna(subset=["pre", "post"])
        if len(paired) >= 2:
            out["score_change"] = prepost_test(paired)["estimate"].iloc[0]
    if len(d.behavior):
        rated = d.behavior[d.behavior["rating"].notna()]
        raters = tuple(sorted(set(rated["rater"].astype(str)), key=["supervisor", "self"].index))
        waves = [w for w in ("followup_3m", "followup_6m") if (rated["wave"] == w).any()]
        if waves and (rated["wave"] == "baseline").any():
            c = behavior_change(d.behavior, instruments=inst, rater=raters,
                                compare=("baseline", *waves))  # fmt: skip
            c = c[c["n"] >= 2]
            if len(c):
                c = c.assign(pref=(c["rater"] != "supervisor").astype(int))
                r = c.sort_values(["pref", "wave_to"], kind="stable").iloc[0]
                out[f"behavior_{r['rater']}_{r['wave_to']}"] = r["estimate"]
    if len(d.ikm_responses):
        out["ikm"] = ikm(d.ikm_responses)["converted"].iloc[0]
        if len(d.units) and d.ikm_responses["period"].nunique() >= 2:
            panel = ikm_panel(d.ikm_responses, units=d.units)
            treated = panel[panel["treated"]]
            n_treated = treated["unit_id"].nunique()
            n_comparison = panel["unit_id"].nunique() - n_treated
            before_after = treated["treated_post"].any() and (~treated["treated_post"]).any()
            if min(n_treated, n_comparison) >= 2 and before_after:
                est = did(panel, outcome="converted", treated="treated", post="treated_post",
                          unit="unit_id", period="period")  # fmt: skip
                out["ikm_did"] = est["estimate"].iloc[0]
    if len(d.costs) and len(d.benefit_estimates):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            result = roi(isolated_benefits(d.benefit_estimates),
                         fully_loaded_costs(d.costs, by=None))  # fmt: skip
        out["roi"] = result.roi_pct
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", _shape_names())
def test_check_on_other_shapes(name, shape_dirs, capsys):
    rc = main(["check", "--data", str(shape_dirs(name))])
    out = capsys.readouterr().out
    assert rc == 0
    assert "Analyses these data support" in out


def test_check_on_bad_data_lists_problems_and_readiness(data_copy, capsys):
    df = read_raw(data_copy / "reaction.csv")
    df.loc[3, "response"] = "7"  # outside 1–5
    write_raw(df, data_copy / "reaction.csv")
    assert main(["check", "--data", str(data_copy)]) == 2
    out = capsys.readouterr().out
    assert "reaction.csv" in out and "cannot be used yet" in out
    assert "Analyses these data support" in out
    assert "no reaction table was given" in out  # the broken table counts as absent


def test_no_nps_item_means_no_nps_and_the_report_says_so(data_copy, tmp_path):
    inst = read_raw(data_copy / "instruments.csv")
    r = read_raw(data_copy / "reaction.csv")
    write_raw(inst[inst["item_code"] != "R08"], data_copy / "instruments.csv")
    write_raw(r[r["item_code"] != "R08"], data_copy / "reaction.csv")
    out = build_report(data_copy, tmp_path / "o", lang="en", log=None)
    table = out.readiness.set_index("key")
    assert not table.loc["nps", "possible"]
    assert "0–10" in table.loc["nps", "why"]
    assert "nps" not in set(pd.read_csv(out.out / "key_figures.csv")["key"])


def test_nps_item_is_found_by_its_scale_not_its_name(data_copy, tmp_path, sample):
    from toolkit.reaction import likert_summary

    inst = read_raw(data_copy / "instruments.csv")
    inst.loc[inst["item_code"] == "R08", "construct"] = "would_recommend"
    write_raw(inst, data_copy / "instruments.csv")
    out = build_report(data_copy, tmp_path / "o", lang="en", log=None).out
    figures = pd.read_csv(out / "key_figures.csv").set_index("key")
    assert "nps" in figures.index
    # the 0–10 item is not pooled with the 1–5 items in the agree share
    items = [f"R0{i}" for i in range(1, 8)]
    n = likert_summary(sample.reaction, items=items, instruments=sample.instruments)["n"].sum()
    assert figures.loc["reaction_top2", "n"] == n


# --------------------------------------------------------------- hostile content
def test_cell_text_from_the_data_is_escaped(data_copy, tmp_path):
    inst = read_raw(data_copy / "instruments.csv")
    inst.loc[inst["item_code"] == "R01", "text_en"] = '<img src=x onerror="alert(1)">'
    write_raw(inst, data_copy / "instruments.csv")
    out = build_report(data_copy, tmp_path / "o", lang="en", log=None).out
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x" in page


# ------------------------------------------------------------------- output safety
def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_refuses_a_folder_it_did_not_write(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    before = _tree(mine)
    assert main(["report", "--data", str(SAMPLE), "--out", str(mine)]) == 2
    assert _tree(mine) == before
    with pytest.raises(OutputError, match="not a report written by this toolkit"):
        build_report(SAMPLE, mine, log=None)


def test_refuses_the_current_folder_when_it_holds_anything(tmp_path, monkeypatch):
    (tmp_path / "thesis.docx").write_bytes(b"precious")
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--data", str(SAMPLE), "--out", "."]) == 2
    assert (tmp_path / "thesis.docx").read_bytes() == b"precious"


@pytest.mark.parametrize("where", ["same", "inside", "around"])
def test_refuses_the_data_folder_inside_or_around(data_copy, where):
    target = {"same": data_copy, "inside": data_copy / "report", "around": data_copy.parent}[where]
    before = _tree(data_copy.parent)
    with pytest.raises(OutputError, match="data folder"):
        build_report(data_copy, target, log=None)
    assert _tree(data_copy.parent) == before


def test_replaces_a_previous_report_but_not_files_added_to_it(tmp_path, capsys):
    out = tmp_path / "report"
    build_report(SAMPLE, out, generated="first", log=None)
    build_report(SAMPLE, out, generated="second", log=None)  # a report replaces a report
    assert "second" in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no temporary folder
    (out / "my-notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="my-notes.txt"):
        build_report(SAMPLE, out, log=None)
    assert (out / "my-notes.txt").read_text() == "mine"


@pytest.mark.parametrize("stop", [KeyboardInterrupt, "sigterm", RuntimeError])
def test_interruption_keeps_the_previous_report(tmp_path, monkeypatch, stop):
    from toolkit.report import build as build_module

    out = tmp_path / "report"
    build_report(SAMPLE, out, generated="previous", log=None)
    before = _tree(out)

    def interrupt(*args, **kwargs):
        if stop == "sigterm":
            os.kill(os.getpid(), signal.SIGTERM)
        raise stop("stopped")

    monkeypatch.setattr(build_module, "_key_figures_frame", interrupt)  # while writing
    with pytest.raises(BaseException):  # noqa: B017 — KeyboardInterrupt, Terminated, RuntimeError
        build_report(SAMPLE, out, log=None)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        out = build_report(SAMPLE, tmp_path / "r", log=None).out
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o755
    assert (out / "index.html").stat().st_mode & 0o777 == 0o644


def test_bad_data_writes_nothing(data_copy, tmp_path):
    df = read_raw(data_copy / "sessions.csv")
    df.loc[0, "method"] = "webinar"
    write_raw(df, data_copy / "sessions.csv")
    with pytest.raises(DataError, match="webinar"):
        build_report(data_copy, tmp_path / "out", log=None)
    assert list(tmp_path.iterdir()) == [data_copy]


def test_command_line_reports_bad_data_with_exit_code_2(data_copy, tmp_path, capsys):
    (data_copy / "units.csv").write_bytes(b"")
    assert main(["report", "--data", str(data_copy), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "units.csv" in err and "empty" in err


# ------------------------------------------------------------ a failing analysis
def test_a_failing_analysis_is_one_line_and_the_rest_is_written(tmp_path, monkeypatch, capsys):
    from toolkit.report.sections import learning

    def broken(ctx):
        raise ZeroDivisionError("planted bug")

    section = learning.SECTION
    analyses = tuple(
        a if a.key != "prepost" else type(a)(a.key, a.title, a.needs, broken)
        for a in section.analyses
    )
    monkeypatch.setattr(learning, "SECTION", type(section)(section.key, section.title,
                                                           analyses, section.level))  # fmt: skip
    out = tmp_path / "r"
    assert main(["report", "--data", str(SAMPLE), "--out", str(out), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "learning/prepost" in err and "Traceback" not in err
    assert "ZeroDivisionError: planted bug" in (out / "report.log").read_text()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "This analysis failed (ZeroDivisionError: planted bug)" in page
    assert "Level 3" in page and "Net Promoter Score" in page  # the rest is there
    readiness = pd.read_csv(out / "readiness.csv").set_index("key")
    assert readiness.loc["prepost", "status"] == "failed"


# ------------------------------------------------------------------------ metadata
def test_cover_shows_office_title_and_period(tmp_path, data_copy):
    (data_copy / "report.toml").write_text(
        'office = "BKPSDM Kabupaten Contoh"\ntitle = "Evaluasi Pelatihan 2025"\n',
        encoding="utf-8",
    )
    out = build_report(data_copy, tmp_path / "r", log=None).out
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "BKPSDM Kabupaten Contoh" in page and "<h1>Evaluasi Pelatihan 2025</h1>" in page
    out = build_report(data_copy, tmp_path / "r", office="Override", log=None).out
    assert "Override" in (out / "index.html").read_text(encoding="utf-8")


def test_unknown_metadata_key_is_refused(tmp_path, data_copy):
    (data_copy / "report.toml").write_text('ofice = "typo"\n', encoding="utf-8")
    with pytest.raises(OutputError, match="ofice"):
        build_report(data_copy, tmp_path / "r", log=None)


def test_no_plan_means_the_objectives_section_says_none_was_supplied(data_copy, tmp_path):
    (data_copy / "evaluation_plan.csv").unlink()
    out = build_report(data_copy, tmp_path / "r", lang="en", log=None)
    page = (out.out / "index.html").read_text(encoding="utf-8")
    assert "no evaluation plan (evaluation_plan.csv) was supplied" in page
    assert not np.any(out.readiness.set_index("key").loc[["evaluation_plan"], "possible"])


# ----------------------------------------------------------------------------- PDF
@pytest.mark.slow
def test_pdf_is_printed_offline_with_pages_and_page_numbers(shape_dirs, tmp_path):
    from toolkit.report.pdf import page_count

    out = tmp_path / "r"
    rc = main(["report", "--data", str(shape_dirs("one_programme")), "--out", str(out),
               "--format", "html,pdf", "--office", "BKPSDM Contoh"])  # fmt: skip
    assert rc == 0
    pdf = (out / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) > 1
    names = {p.name for p in out.iterdir()}
    assert "report.pdf" in names and "index.html" in names


def test_pdf_needs_chromium_and_says_what_to_install(tmp_path):
    from toolkit.report.pdf import print_pdf

    page = tmp_path / "p.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        print_pdf(page, tmp_path / "p.pdf", chromium="/nonexistent/chromium")
    assert not (tmp_path / "p.pdf").exists()


def test_a_pdf_failure_writes_no_report(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CHROMIUM", "/nonexistent/chromium")
    out = tmp_path / "r"
    assert main(["report", "--data", str(SAMPLE), "--out", str(out), "--format", "html,pdf"]) == 2
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_page_opens_in_chromium_without_errors_or_requests(sample_report):
    """No console error, no script error, no request beyond the file itself."""
    from playwright.sync_api import sync_playwright

    from toolkit.report.pdf import CHROMIUM_ARGS, chromium_path

    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: errors.append(f"dialog: {d.message}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto((sample_report / "index.html").as_uri(), wait_until="load")
            n_svg = page.locator("svg").count()
            headings = page.locator("h2").all_inner_texts()
        finally:
            browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert n_svg >= 15  # charts and formulas are drawn inline
    assert headings[0] == "Ringkasan eksekutif" and headings[-1].endswith("Kesiapan data")


PAYLOAD = '<img src=x onerror="alert(1)">'


def test_no_payload_from_any_text_or_code_column_survives(tmp_path):
    """Script payloads in every id, code and text column end up escaped, never as markup."""
    from toolkit import synth
    from toolkit.data import EvaluationData, as_typed
    from toolkit.schema import TABLES

    data = synth.generate(seed=5, scale=0.2)
    frames = {}
    for name, df in data.tables().items():
        df = df.copy()
        for col in TABLES[name].columns:
            if col.kind in ("id", "text") or (col.kind == "category" and not col.allowed):
                if col.name in ("participant_id", "respondent_id"):
                    continue  # pseudonyms are never shown
                s = df[col.name].astype("str")
                df[col.name] = (s + PAYLOAD).where(df[col.name].notna(), None)
        frames[name] = as_typed(name, df)
    folder = tmp_path / "data"
    synth.write(EvaluationData(**frames, present=data.present), folder)
    (folder / "report.toml").write_text(f"office = '{PAYLOAD}'\n", encoding="utf-8")
    for lang in ("id", "en"):
        out = build_report(folder, tmp_path / lang, lang=lang, log=None)
        assert out.failed == []
        page = (out.out / "index.html").read_text(encoding="utf-8")
        tags, handlers = _markup(page)
        assert not tags & {"img", "script", "iframe", "object"}, tags
        assert handlers == set()
        assert "&lt;img src=x" in page  # the text is shown, as text


def _markup(page: str) -> tuple[set[str], set[str]]:
    """Every element name and every ``on…`` event-handler attribute in the page."""
    from html.parser import HTMLParser

    tags, handlers = set(), set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add(tag)
            handlers.update(name for name, _ in attrs if name.startswith("on"))

    Collect().feed(page)
    return tags, handlers


def test_current_slots_from_the_metadata_file_are_compared(tmp_path, data_copy):
    (data_copy / "report.toml").write_text('current_slots = ["tue_0800", "wed_0800"]\n',
                                           encoding="utf-8")  # fmt: skip
    out = build_report(data_copy, tmp_path / "r", lang="en", log=None).out
    page = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "Saturday 08:00 & Saturday 10:00 reach 89% of staff (current schedule 39%)" in page
    out = build_report(data_copy, tmp_path / "r", lang="en", current_slots="sat_0800,sat_1000",
                       log=None).out  # fmt: skip
    page = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "(current schedule 89%)" in page


def test_version_and_default_data_work_from_any_folder(tmp_path, monkeypatch, capsys):
    from toolkit import __version__

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and __version__ in capsys.readouterr().out
    assert main(["check"]) == 0  # the sample data, wherever the command runs
    assert "20 of 20" in capsys.readouterr().out


def test_a_folder_without_tables_is_refused_and_nothing_written(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", "--data", str(empty), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "units.csv" in err and "written" not in err
    assert not (tmp_path / "r").exists()
    assert main(["check", "--data", str(empty)]) == 2


def test_min_group_option_and_loader_notes(data_copy, tmp_path, capsys):
    units = read_raw(data_copy / "units.csv")
    write_raw(units.assign(kepala_dinas="x"), data_copy / "units.csv")  # ignored, with a note
    out = tmp_path / "ten"
    args = ["report", "--data", str(data_copy), "--out", str(out), "--lang", "en"]
    assert main([*args, "--min-group", "10"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Figures resting on fewer than 10 people are not shown" in page
    assert "Groups of fewer than 5 people" not in page
    err = capsys.readouterr().err
    assert "Note: units.csv: column 'kepala_dinas' ignored" in err
    assert main([*args[:-4], "--out", str(tmp_path / "bad"), "--min-group", "-1"]) == 2
    assert "`min_group` must be a whole number" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()
