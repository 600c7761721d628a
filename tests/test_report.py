"""The report command: validates first, writes all or nothing, and is reproducible."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import read_raw, write_raw

from toolkit import report
from toolkit.__main__ import main
from toolkit.data import DataError

INTRO = report.NOTEBOOKS_DIR / "00_introduction.ipynb"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rep") / "report"
    report.build_report(report.NOTEBOOKS_DIR.parent / "sample_data", out, notebooks=[INTRO])
    return out


def test_report_has_index_and_chapter(built):
    assert sorted(p.name for p in built.iterdir()) == [
        "00_introduction.html",
        "findings.csv",
        "index.html",
        "manifest.json",
        "mathjax",
        "recommendations.csv",
    ]
    assert (built / "mathjax" / "MathJax.js").is_file()  # formulas typeset offline
    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="00_introduction.html"' in index
    assert "Temuan utama" in index and "Level 4 – Hasil" in index
    findings = pd.read_csv(built / "findings.csv")
    for text in findings["text"]:
        assert html.escape(text) in index
    advice = pd.read_csv(built / "recommendations.csv")
    assert "Rekomendasi" in index
    for text in advice.loc[advice["fired"], "text_id"]:
        assert html.escape(text) in index
    chapter = (built / "00_introduction.html").read_text(encoding="utf-8")
    assert "<img" in chapter or "image/png" in chapter  # figures are embedded, not linked


def test_report_is_offline_and_private(built):
    nip_like = re.compile(r"(?<!\d)(19|20)\d{6}(19|20)\d{4}[12]\d{3}(?!\d)")
    for page in built.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not nip_like.search(text), page.name
        # no remote scripts: every <script src=...> would need the network
        assert not re.search(r"<script[^>]+src=\"https?://", text), page.name
        if page.name != "index.html":
            assert '<script src="mathjax/MathJax.js' in text, page.name


def test_same_input_same_bytes(built, tmp_path):
    again = report.build_report(
        report.NOTEBOOKS_DIR.parent / "sample_data", tmp_path / "r2", notebooks=[INTRO]
    )
    for page in (p for p in built.iterdir() if p.is_file()):
        ours, theirs = page.read_bytes(), (again / page.name).read_bytes()
        if page.name == "index.html":  # the one declared generation-time line may differ
            ours, theirs = (_without_generated(b) for b in (ours, theirs))
        assert ours == theirs, page.name


def _without_generated(page: bytes) -> bytes:
    lines = page.decode("utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(report.GENERATED_PREFIX)]
    assert len(kept) == len(lines) - 1, "exactly one generation-time line"
    return "\n".join(kept).encode()


def test_bad_data_stops_before_any_notebook_runs(data_copy, tmp_path, monkeypatch):
    df = read_raw(data_copy / "sessions.csv")
    df.loc[0, "method"] = "webinar"
    write_raw(df, data_copy / "sessions.csv")
    ran = []
    monkeypatch.setattr(report, "_execute", lambda *a, **k: ran.append(a))
    with pytest.raises(DataError, match="webinar"):
        report.build_report(data_copy, tmp_path / "out")
    assert ran == []
    assert not (tmp_path / "out").exists()


def test_command_line_reports_bad_data_with_exit_code_2(data_copy, tmp_path, capsys):
    (data_copy / "units.csv").write_bytes(b"")
    assert main(["report", "--data", str(data_copy), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "units.csv" in err and "empty" in err


def test_failure_keeps_the_previous_report(tmp_path, monkeypatch):
    previous = tmp_path / "report"
    previous.mkdir()
    (previous / "index.html").write_text("old report")

    def boom(*args, **kwargs):
        raise RuntimeError("kernel died")

    monkeypatch.setattr(report, "_execute", boom)
    with pytest.raises(RuntimeError, match="kernel died"):
        report.build_report(
            report.NOTEBOOKS_DIR.parent / "sample_data", previous, notebooks=[INTRO]
        )
    assert (previous / "index.html").read_text() == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report"], "no temporary folder left"


def test_full_report_on_a_differently_shaped_dataset(tmp_path):
    """Every chapter runs on other data (another seed, half the size) and in English."""
    from toolkit import synth

    other = tmp_path / "other"
    synth.write_sample(other, seed=7, scale=0.5)
    out = report.build_report(other, tmp_path / "report", lang="en", log=None)
    pages = {p.name for p in out.glob("*.html")}
    assert pages == {"index.html"} | {p.with_suffix(".html").name for p in report.chapters()}
    assert len(pages) >= 12  # index and every chapter, 00 to 10
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "Key findings" in index
    findings = pd.read_csv(out / "findings.csv")
    assert set(findings["level"]) == {1, 2, 3, 4, 5}
    assert not findings["text"].str.startswith("Not available").any()


def test_each_report_keeps_the_prose_of_its_language():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · English title", metadata={"tags": ["lang-en"]}),
        nbformat.v4.new_markdown_cell("# 99 · Judul Indonesia", metadata={"tags": ["lang-id"]}),
        nbformat.v4.new_markdown_cell("Both."),
    ]
    for lang, kept in {"id": "Judul Indonesia", "en": "English title"}.items():
        copy = nbformat.from_dict(nb)
        report._keep_language(copy, lang)
        assert [c.source for c in copy.cells] == [f"# 99 · {kept}", "Both."]
        assert report._title(copy) == f"99 · {kept}"
