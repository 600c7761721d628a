"""The wheel carries what users need, and an installed toolkit works from any folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit.__main__ import main
from toolkit.resources import copy_course, course_dir, sample_data_dir

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "toolkit", "sample_data", "notebooks")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a clean copy of the sources (no stale build folder)."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(out), "-q",
         "--disable-pip-version-check"],
        check=True, capture_output=True,
    )  # fmt: skip
    (found,) = out.glob("*.whl")
    return found


def test_wheel_carries_the_sample_data_the_course_and_the_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = "toolkit/_shipped/"
    for table in ("units", "participants", "sessions", "enrollments", "reaction", "tests"):
        assert f"{shipped}sample_data/{table}.csv" in names
    assert f"{shipped}sample_data/README.md" in names  # the data dictionary
    assert f"{shipped}sample_data/raw/roster.xlsx" in names
    assert f"{shipped}sample_data/raw/forms_reaksi.csv" in names  # the importers' examples
    # the per-language editions (id/, en/) with their solutions, and the explorer app
    for nb in ROOT.glob("notebooks/**/*.ipynb"):
        if ".ipynb_checkpoints" not in nb.parts:
            assert f"{shipped}course/{nb.relative_to(ROOT / 'notebooks').as_posix()}" in names
    assert f"{shipped}course/README.md" in names  # the trainer's guide
    assert f"{shipped}course/en/solutions/03_reaction_solutions.ipynb" in names
    # the bilingual sources (course/notebooks/*.md) are authoring files, not shipped
    course_md = [n for n in names if n.startswith(f"{shipped}course/") and n.endswith(".md")]
    assert course_md == [f"{shipped}course/README.md"]
    assert {
        "toolkit/report/templates/report.html.j2",
        "toolkit/report/templates/report.css",
    } <= names
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "toolkit").rglob("*.py")}
    assert modules - names == set(), "modules missing from the wheel: list them in pyproject.toml"
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "build/", ".venv"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_clone_finds_the_same_files():
    assert (sample_data_dir() / "units.csv").is_file()
    assert (course_dir() / "en" / "solutions").is_dir()


def test_course_is_copied_once_and_never_overwritten(tmp_path, capsys):
    assert main(["course", str(tmp_path / "c")]) == 0
    copied = sorted(p.relative_to(tmp_path / "c") for p in (tmp_path / "c").rglob("*.ipynb"))
    expected = sorted(p.relative_to(course_dir()) for p in course_dir().rglob("*.ipynb"))
    assert copied == expected and (tmp_path / "c" / "README.md").is_file()
    mine = tmp_path / "c" / "en" / "00_introduction.ipynb"
    mine.write_text("my edits", encoding="utf-8")
    assert main(["course", str(tmp_path / "c")]) == 2
    assert "already exist" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "my edits"
    with pytest.raises(FileExistsError):
        copy_course(tmp_path / "c")


@pytest.mark.slow
def test_installed_wheel_works_from_an_empty_folder(wheel, tmp_path):
    """A fresh virtual environment, the wheel, and the commands run from an empty folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_ = venv / "bin"
    subprocess.run([bin_ / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel)], check=True, capture_output=True)  # fmt: skip
    work = tmp_path / "empty"
    work.mkdir()

    def run(*args):
        return subprocess.run(args, cwd=work, capture_output=True, text=True, check=True)

    assert run(bin_ / "asn-toolkit", "--version").stdout.startswith("asn-toolkit ")
    run(bin_ / "asn-toolkit", "report", "--out", "rep", "--lang", "en")
    page = (work / "rep" / "index.html").read_text(encoding="utf-8")
    assert "Executive summary" in page and "This analysis failed" not in page
    assert "cannot be made from the data given" not in page  # the sample supports everything
    run(bin_ / "asn-toolkit", "course", "c")
    run(bin_ / "jupyter", "nbconvert", "--to", "notebook", "--execute",
        "c/en/00_introduction.ipynb", "--output", "executed.ipynb")  # fmt: skip
    assert (work / "c" / "en" / "executed.ipynb").is_file()
    sample = run(bin_ / "python", "-c", "import toolkit; print(toolkit.SAMPLE_DATA)").stdout.strip()
    draft = run(bin_ / "asn-toolkit", "import", "forms", f"{sample}/raw/forms_reaksi.csv",
                "--draft-map", "--data", sample).stdout  # fmt: skip
    assert "NIP,participant_nip" in draft and ",item,R08," in draft
    toolkit_file = run(bin_ / "python", "-c", "import toolkit; print(toolkit.__file__)").stdout
    assert str(venv) in toolkit_file  # the installed package, not the clone
