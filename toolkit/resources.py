"""The files the toolkit ships: the sample data and the course, in a clone or an install.

In the repository they live at the top (``sample_data/``, ``notebooks/``); the wheel
carries them inside the package (``toolkit/_shipped/sample_data``, ``toolkit/_shipped/course``;
see ``pyproject.toml``). :func:`sample_data_dir` and :func:`course_dir` find them either way
through :mod:`importlib.resources`, so that code, notebooks and the command line behave the
same in a clone and after ``pip install``. :func:`copy_course` puts a copy of the course
where a trainer wants it.

Examples
--------
>>> (sample_data_dir() / "units.csv").is_file()
True
>>> (course_dir() / "en" / "00_introduction.ipynb").is_file()
True
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

__all__ = ["COURSE_FILES", "copy_course", "course_dir", "sample_data_dir"]

_REPOSITORY = Path(__file__).resolve().parent.parent


def _shipped(name: str, in_repository: str) -> Path:
    packaged = Path(str(resources.files("toolkit") / "_shipped" / name))
    if packaged.is_dir():
        return packaged
    return _REPOSITORY / in_repository


def sample_data_dir() -> Path:
    """The folder of the synthetic sample data (CSV tables, data dictionary, roster)."""
    return _shipped("sample_data", "sample_data")


def course_dir() -> Path:
    """The folder of the course: the editions ``id/``, ``en/`` (each with ``solutions/``),
    the trainer's guide and the explorer app."""
    return _shipped("course", "notebooks")


#: What :func:`copy_course` copies, relative to :func:`course_dir`: the per-language
#: editions (``id/``, ``en/``, executed; the bilingual sources are authoring text files in
#: the repository's ``course/notebooks/``), the trainer's guide and the explorer app.
COURSE_FILES = (
    "*.ipynb", "README.md", "id/*.ipynb", "id/solutions/*.ipynb", "en/*.ipynb",
    "en/solutions/*.ipynb",
)  # fmt: skip


def copy_course(target: str | Path) -> list[Path]:
    """Copy the course into ``target`` (created), refusing to overwrite any existing file.

    Parameters
    ----------
    target : str or Path
        Folder for the course; it may exist, but none of the course's files may.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileExistsError
        If any of the course's files already exists there (nothing is copied then).
    FileNotFoundError
        If the course cannot be found (a broken install).
    """
    source = course_dir()
    files = sorted(p for pattern in COURSE_FILES for p in source.glob(pattern))
    if not files:
        raise FileNotFoundError(f"The course was not found in {source}; reinstall the toolkit.")
    target = Path(target)
    pairs = [(p, target / p.relative_to(source)) for p in files]
    existing = [str(dst) for _, dst in pairs if dst.exists()]
    if existing:
        raise FileExistsError(
            f"{len(existing)} file(s) of the course already exist, e.g. {existing[0]}; nothing "
            "was copied. Choose a new or empty folder."
        )
    written = []
    for src, dst in pairs:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    return written
