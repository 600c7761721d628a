"""Helpers shared by the benchmarks: data typed as ``load()`` types it, timing, imports.

Every benchmark builds its tables as an export reaches an analysis: rows in export order
(shuffled) and code columns typed by :func:`as_loaded` exactly as ``toolkit.data.load()``
(and ``toolkit.data.as_typed``) type an open code: a categorical of the values present,
categories sorted.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pandas as pd


def as_loaded(values) -> pd.Categorical:
    """``values`` (strings, or a categorical) as ``load()`` types an open code column.

    A categorical of the values present, categories sorted; a categorical is recoded from
    its codes (no string is built per row).

    Examples
    --------
    >>> as_loaded(["b", "a", "b"]).categories.tolist()
    ['a', 'b']
    >>> c = as_loaded(pd.Categorical(["z", "x"], categories=["z", "y", "x"]))
    >>> c.categories.tolist(), c.codes.tolist()
    (['x', 'z'], [1, 0])
    """
    if not isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        values = pd.array(values, dtype="str")
        return pd.Categorical(
            values, categories=pd.Index(pd.unique(values), dtype="str").sort_values()
        )
    cat = pd.Categorical(values)
    codes = cat.codes
    present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(cat.categories)))
    names = pd.Index(cat.categories.astype("str")[present], dtype="str")
    order = names.argsort()
    remap = np.full(len(cat.categories) + 1, -1, dtype=np.int64)  # the last: missing (-1)
    remap[present[order]] = np.arange(len(order))
    return pd.Categorical.from_codes(remap[codes], names[order])


def best_of(fn, repeat: int) -> tuple[float, object]:
    """The lowest wall time of ``repeat`` calls of ``fn`` (seconds) and its last result."""
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def import_seconds(module: str, repeat: int) -> dict[str, float]:
    """Median seconds of ``import pandas`` and of ``import <module>``, each in ``repeat``
    fresh interpreters (alternating; the interpreter's own start is not counted)."""
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    times: dict[str, list[float]] = {"pandas": [], module: []}
    for _ in range(repeat):
        for name in times:
            out = subprocess.run([sys.executable, "-c", code.format(name)], check=True,
                                 capture_output=True, text=True).stdout  # fmt: skip
            times[name].append(float(out))
    return {name: float(np.median(t)) for name, t in times.items()}
