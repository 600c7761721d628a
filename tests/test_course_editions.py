"""The per-language editions of the course stay in step with the bilingual sources.

The sources are jupytext MyST markdown files in ``course/notebooks/``; ``notebooks/id`` and
``notebooks/en`` are generated from them by ``course/editions.py`` (``make
course-notebooks``) and committed executed. These tests check that every source survives
jupytext unchanged (read, write, read); regenerate every edition's cells from its source
without executing anything and compare them with the committed ones; check that an edition
holds only its language; that no other notebook lives beside the editions; that two
executions write the same bytes; that the trainer's guide's timing table is the notebooks'
own; and that the course's own evaluation (a reaction form and a pre/post quiz) goes
through ``python -m toolkit import`` and the toolkit's analyses.
"""

from __future__ import annotations

import doctest
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent

from course import editions, timings  # noqa: E402

SOURCES = editions.sources()
PAIRS = [(s, lang) for s in SOURCES for lang in editions.LANGS]
OTHER = {"id": "lang-en", "en": "lang-id"}


def _id(pair) -> str:
    source, lang = pair
    return editions.edition_path(source, lang).relative_to(ROOT / "notebooks").as_posix()


def test_the_sources_are_the_course_text_files():
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"course/notebooks/00_introduction.md", "course/notebooks/11_national.md",
            "course/notebooks/explore.md",
            "course/notebooks/solutions/explore_solutions.md"} <= names  # fmt: skip
    assert all(p.suffix == ".md" for p in SOURCES)
    assert {p.parent for p in SOURCES} == {
        ROOT / "course" / "notebooks",
        ROOT / "course" / "notebooks" / "solutions",
    }


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_source_round_trips_through_jupytext(source):
    """Read, write, read: the same cells (type, text, tags and other metadata) and the same
    text, so an author's save in JupyterLab changes nothing that was not edited."""
    text = source.read_text("utf-8")
    nb = editions.read_source(source)
    written = editions.source_text(nb)
    again = jupytext.reads(written, fmt=editions.SOURCE_FORMAT)
    assert editions.signature(again) == editions.signature(nb)
    assert [c.metadata for c in again.cells] == [c.metadata for c in nb.cells]
    assert written == text, (
        f"{source.relative_to(ROOT)} is not as jupytext writes it: "
        "run `python -m course.editions --normalize`"
    )
    # every read gives the same cell ids (so two builds write the same editions)
    assert [c.id for c in editions.read_source(source).cells] == [c.id for c in nb.cells]
    assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_no_notebook_beside_the_editions():
    """No .ipynb under notebooks/ but the editions and the Voila app, none in the sources'
    folder: an unexecuted notebook cannot come back."""
    found = sorted(
        p.relative_to(ROOT).as_posix()
        for folder in (ROOT / "notebooks", ROOT / "course" / "notebooks")
        for p in folder.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )
    editions_ = {editions.edition_path(s, lang).relative_to(ROOT).as_posix() for s, lang in PAIRS}
    assert [p for p in found if p not in editions_] == ["notebooks/explore_app.ipynb"]
    assert editions.strays() == []


def test_the_generator_documents_itself():
    result = doctest.testmod(editions, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0


@pytest.mark.parametrize("pair", PAIRS, ids=[_id(p) for p in PAIRS])
def test_edition_is_generated_from_its_source(pair):
    source, lang = pair
    target = editions.edition_path(source, lang)
    assert target.is_file(), f"{target} is missing: run `make course-notebooks`"
    committed = nbformat.read(target, as_version=4)
    expected = editions.edition(editions.read_source(source), lang)
    got, want = editions.signature(committed), editions.signature(expected)
    if got != want:
        first = next(
            (k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
            min(len(got), len(want)),
        )
        pytest.fail(
            f"{target.relative_to(ROOT)} is out of step with {source.name} (first difference at "
            f"cell {first}): run `make course-notebooks`",
            pytrace=False,
        )


@pytest.mark.parametrize("pair", PAIRS, ids=[_id(p) for p in PAIRS])
def test_edition_holds_one_language_checks_collapsed_and_is_executed(pair):
    source, lang = pair
    nb = nbformat.read(editions.edition_path(source, lang), as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        assert OTHER[lang] not in tags, cell.source[:80]
        assert "execution" not in cell.metadata
        if cell.cell_type != "code":
            continue
        if "parameters" in tags and "LANG" in cell.source:
            assert f'LANG = "{lang}"' in cell.source
        if "check" in tags:
            assert cell.metadata.get("jupyter") == {"source_hidden": True, "outputs_hidden": True}
        if cell.source.strip():
            assert cell.execution_count is not None, "the editions are committed executed"
        assert not [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def test_no_edition_without_a_source():
    assert [p for p in editions.stale() if "has no source" in p] == []


def test_the_record_lists_the_editions_the_build_wrote():
    """notebooks/.editions names every edition (what the build may remove once its source
    is gone) and nothing else."""
    expected = {
        editions.edition_path(s, lang) for s in editions.sources() for lang in editions.LANGS
    }
    assert editions.recorded() == expected, "run `make course-notebooks`"


def _tiny(folder: Path) -> Path:
    """A bilingual source tree with one notebook (a figure, a widget, a check)."""
    (folder / "course" / "notebooks" / "solutions").mkdir(parents=True)
    (folder / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Tiny", metadata={"tags": ["lang-en"]}),
            nbformat.v4.new_markdown_cell("# Mungil", metadata={"tags": ["lang-id"]}),
            nbformat.v4.new_code_cell('DATA_DIR = None\nLANG = "id"', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(
                "import os\nimport ipywidgets as w\nprint(LANG, os.path.basename(os.getcwd()))\n"
                "w.IntSlider(3)"
            ),
            nbformat.v4.new_code_cell("assert LANG in ('id', 'en')", metadata={"tags": ["check"]}),
        ]
    )  # fmt: skip
    path = folder / "course" / "notebooks" / "00_tiny.md"
    editions.write_source(nb, path)
    return path


def test_editions_are_executed_in_their_folder_and_deterministic(tmp_path):
    source = _tiny(tmp_path)
    editions.build(root=tmp_path, jobs=1)
    first = {
        lang: editions.edition_path(source, lang, tmp_path).read_bytes() for lang in editions.LANGS
    }
    editions.build(root=tmp_path, jobs=1)
    for lang, text in first.items():
        assert editions.edition_path(source, lang, tmp_path).read_bytes() == text
    en = nbformat.read(editions.edition_path(source, "en", tmp_path), as_version=4)
    assert [c.source for c in en.cells if c.cell_type == "markdown"] == ["# Tiny"]
    assert en.cells[2].outputs[0]["text"] == "en en\n"  # LANG set; run in notebooks/en
    # widget model ids named after the edition's file, whatever the source's suffix
    widget = en.cells[2].outputs[-1]["data"]["application/vnd.jupyter.widget-view+json"]
    assert widget["model_id"] == uuid.uuid5(uuid.NAMESPACE_URL, "en/00_tiny.ipynb#0").hex
    assert editions.stale(tmp_path) == []
    # a source edited after the editions were made is reported, and so is a lost edition
    nb = editions.read_source(source)
    nb.cells[0].source = "# Tiny, edited"
    editions.write_source(nb, source)
    editions.edition_path(source, "id", tmp_path).unlink()
    assert sorted(editions.stale(tmp_path)) == [
        "notebooks/en/00_tiny.ipynb is out of step with its source",
        "notebooks/id/00_tiny.ipynb is missing",
    ]


def test_a_stray_notebook_is_reported_and_kept(tmp_path):
    """An .ipynb beside the editions or among the sources is named by --check; the build
    removes only editions it wrote whose source is gone, and never the Voila app."""
    source = _tiny(tmp_path)
    gone = source.with_name("01_gone.md")
    shutil.copyfile(source, gone)
    editions.build(root=tmp_path, jobs=1, run=False)
    gone.unlink()  # its editions stay behind, listed in the record as written by the build
    orphan = tmp_path / "notebooks" / "en" / "01_gone.ipynb"
    assert orphan in editions.recorded(tmp_path)
    (tmp_path / "notebooks" / "id" / "01_gone.ipynb").unlink()
    app = tmp_path / "notebooks" / "explore_app.ipynb"
    unexecuted = tmp_path / "notebooks" / "00_tiny.ipynb"
    among_sources = tmp_path / "course" / "notebooks" / "solutions" / "00_tiny_solutions.ipynb"
    for path in (app, unexecuted, among_sources):
        nbformat.write(editions.read_source(source), path)
    assert editions.strays(tmp_path) == sorted([among_sources, unexecuted, orphan])
    problems = editions.stale(tmp_path)
    assert "notebooks/en/01_gone.ipynb has no source" in problems
    assert [p.split()[0] for p in problems if "is not an edition" in p] == [
        "course/notebooks/solutions/00_tiny_solutions.ipynb", "notebooks/00_tiny.ipynb",
    ]  # fmt: skip
    editions.build(root=tmp_path, jobs=1, run=False)
    assert not orphan.exists() and unexecuted.exists() and among_sources.exists()
    assert app.exists()
    assert orphan not in editions.recorded(tmp_path)


def test_a_notebook_the_build_did_not_write_is_never_removed(tmp_path):
    """A trainer's own notebook saved beside the editions has no source either, but the
    build did not write it: --check names it, and the build leaves it as it is."""
    source = _tiny(tmp_path)
    editions.build(root=tmp_path, jobs=1, run=False)
    mine = tmp_path / "notebooks" / "en" / "my_notes.ipynb"
    nbformat.write(editions.read_source(source), mine)
    before = mine.read_bytes()
    assert "notebooks/en/my_notes.ipynb has no source" in editions.stale(tmp_path)
    editions.build(root=tmp_path, jobs=1, run=False)
    assert mine.read_bytes() == before and mine not in editions.recorded(tmp_path)
    assert editions.recorded(tmp_path) == {
        editions.edition_path(source, lang, tmp_path) for lang in editions.LANGS
    }


def test_the_trainers_guide_times_are_the_notebooks_own():
    readme = (ROOT / "notebooks" / "README.md").read_text("utf-8")
    table = readme.split(timings.BEGIN)[1].split(timings.END)[0].strip()
    assert table == timings.markdown("en", words=False), "run `make course-notebooks` to rewrite it"
    rows = timings.table("en")
    assert {r["notebook"] for r in rows} >= {"00_introduction", "06_impact", "10_conclusion"}
    assert all(r["minutes"] and r["sections"] and r["exercises"] for r in rows), rows
    # both languages state the same time
    assert [r["minutes"] for r in rows] == [r["minutes"] for r in timings.table("id")]


# ----------------------------------------------------------------- the course's own evaluation
EVALUATION = ROOT / "course" / "evaluation"


@pytest.fixture(scope="module")
def course_run(tmp_path_factory) -> Path:
    """The example reaction form and pre/post quiz imported with the command line."""
    out = tmp_path_factory.mktemp("course_run")
    env = {**os.environ, "TOOLKIT_PSEUDONYM_KEY": "kunci-uji-kursus-2026"}
    common = ["--data", str(EVALUATION), "--session", "KURSUS-1", "--out", str(out)]
    commands = [
        ["forms", "forms_reaksi_kursus.csv", "--map", "map_reaksi_kursus.csv"],
        ["moodle", "moodle_kuis_kursus_pre.csv", "--map", "map_kuis_kursus.csv", "--phase", "pre"],
        ["moodle", "moodle_kuis_kursus_post.csv", "--map", "map_kuis_kursus.csv", "--phase", "post",
         "--append"],
    ]  # fmt: skip
    for args in commands:
        args = [str(EVALUATION / a) if a.endswith(".csv") else a for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "toolkit", "import", *args, *common],
            env=env, capture_output=True, text=True, cwd=out,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    return out


def test_course_evaluation_instruments_are_in_the_toolkits_format():
    from toolkit.data import read_table

    bank = read_table(EVALUATION / "instruments.csv", table="instruments")
    sample = pd.read_csv(ROOT / "sample_data" / "instruments.csv", nrows=0)
    assert list(pd.read_csv(EVALUATION / "instruments.csv", nrows=0)) == list(sample)
    by_level = bank.groupby("level")["item_code"].agg(list)
    assert by_level[1] == [f"KR0{i}" for i in range(1, 9)]
    assert by_level[2] == [f"EV{i:02d}" for i in range(1, 11)]
    assert (bank["text_id"].str.len() > 10).all() and (bank["text_en"].str.len() > 10).all()


def test_course_evaluation_imports_and_analyses(course_run):
    from toolkit import learning, reaction
    from toolkit.data import read_table

    bank = read_table(EVALUATION / "instruments.csv", table="instruments")
    answers = read_table(course_run / "reaction.csv", table="reaction")
    tests = read_table(course_run / "tests.csv", table="tests")
    form = pd.read_csv(EVALUATION / "forms_reaksi_kursus.csv", dtype=str)
    # every answer of the export arrived: 17 forms × 8 items, labels turned into numbers
    assert len(answers) == 17 * 8 and answers["participant_id"].nunique() == 17
    summary = reaction.likert_summary(
        answers, items=[f"KR0{i}" for i in range(1, 8)], instruments=bank
    )
    relevant = form.iloc[:, 2].map({"Sangat Setuju": 5, "Setuju": 4, "Netral": 3, "Tidak Setuju": 2,
                                    "Sangat Tidak Setuju": 1})  # fmt: skip
    assert summary.set_index("item_code").loc["KR01", "mean"] == pytest.approx(relevant.mean())
    scores = learning.prepost_scores(tests)
    change = learning.prepost_test(scores).set_index("test").loc["paired_t"]
    assert change["n"] == 17  # 18 took the pre-quiz, 17 the post-quiz
    assert change["ci_low"] > 0  # the example run shows learning
    # no NIP, e-mail or name is written
    nips = set(form["NIP"])
    for name in ("reaction.csv", "tests.csv", "comments.csv"):
        text = (course_run / name).read_text("utf-8")
        assert not [n for n in nips if n in text] and "@contoh.go.id" not in text
        assert "Peserta" not in text


@pytest.mark.parametrize("lang", editions.LANGS)
def test_the_agendas_give_each_notebook_its_stated_time(lang):
    """Every agenda row that runs a notebook lasts as long as the notebook says it takes."""
    import re

    stated = {r["notebook"][:2]: r["minutes"] for r in timings.table(lang)}
    page = (ROOT / "course" / "pages" / lang / "facilitator.md").read_text("utf-8")
    rows = re.findall(r"^\| (\d\d)[:.](\d\d)–(\d\d)[:.](\d\d) \| (\d\d) ", page, re.MULTILINE)
    lasting = [
        (nb, (int(h2) * 60 + int(m2)) - (int(h1) * 60 + int(m1))) for h1, m1, h2, m2, nb in rows
    ]
    assert len(lasting) == 4 + 11  # the one-day introduction and the two days
    assert [(nb, minutes) for nb, minutes in lasting if minutes != stated[nb]] == []
    two_days = sorted(nb for nb, _ in lasting[4:])
    assert two_days == [f"{i:02d}" for i in range(11)]
