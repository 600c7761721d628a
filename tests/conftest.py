"""Shared fixtures: a private copy of the sample data that a test may damage."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

import toolkit

SAMPLE = toolkit.SAMPLE_DATA
# the course package (course/: the editions' generator, the book) is not installed
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.fixture(scope="session")
def sample():
    """The sample data, loaded once (read-only: do not modify the frames)."""
    from toolkit.data import load

    return load(SAMPLE)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the sample tables (CSV files only) in a fresh folder."""
    target = tmp_path / "data"
    target.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy2(f, target / f.name)
    return target


def read_raw(path: Path) -> pd.DataFrame:
    """A CSV as text, exactly as a spreadsheet user would see it."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_raw(df: pd.DataFrame, path: Path, **kw) -> None:
    df.to_csv(path, index=False, lineterminator="\n", **kw)
