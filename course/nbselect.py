"""Which notebooks nbval checks: the per-language editions, or the bilingual sources.

A pytest plugin (``-p course.nbselect`` in pyproject.toml's ``addopts``), so that the choice
applies to the whole run without a second ``conftest`` module beside ``tests/conftest.py``.
The switch is :data:`course.editions.EDITIONS_ARE_THE_COURSE`: while it is True the
editions (``notebooks/id``, ``notebooks/en``) are checked and the sources (authoring files,
their outputs stripped) skipped; while False the sources are checked and the editions
skipped. Notebooks outside the course (the Voilà app) are always checked.
"""

from __future__ import annotations

from pathlib import Path

from course import editions

_ROOT = Path(__file__).resolve().parent.parent


def ignored(root: Path = _ROOT) -> list[Path]:
    """The notebook files and folders nbval leaves out under the current switch."""
    if editions.EDITIONS_ARE_THE_COURSE:
        return [Path(p) for p in editions.sources(root)]
    return [root / "notebooks" / lang for lang in editions.LANGS]


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Leave out the notebooks (or folders) :func:`ignored` names; no opinion otherwise."""
    path = Path(collection_path).resolve()
    for skip in ignored():
        if path == skip.resolve():
            return True
    return None
