"""Grouping in one vectorised pass, shared by every ``by=`` argument of the toolkit.

:func:`group_codes` gives each row an integer group code once; analyses then compute all
groups' sums with ``numpy.bincount`` (or one sparse product) instead of a Python loop over
groups. :func:`check_by` validates a ``by`` argument the same way everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.validation import check_columns

__all__ = ["group_codes", "group_sums", "check_by"]


def group_codes(df: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """One integer code per row (-1 where a key is missing) and the table of observed keys.

    Keys are sorted (categoricals in category order) and only observed combinations are
    kept, as ``groupby(by, observed=True, sort=True)`` would, but without its per-function
    passes: the codes are computed once and reused for every column. One categorical column
    whose categories are all observed (as ``load()`` types codes) gives its codes as stored.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["b", "a", "b", None], "q": [1, 1, 2, 2]})
    >>> codes, keys = group_codes(df, ["unit", "q"])
    >>> codes.tolist()
    [1, 0, 2, -1]
    >>> keys
      unit  q
    0    a  1
    1    b  1
    2    b  2
    """
    n = len(df)
    if not by:
        return np.zeros(n, dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    if len(by) == 1 and isinstance(df[by[0]].dtype, pd.CategoricalDtype):  # codes as stored
        col = df[by[0]]
        codes = col.cat.codes.to_numpy()
        n_cat = len(col.cat.categories)
        if n and codes.min() >= 0 and n_cat <= max(4 * n, 1_000_000):
            used = np.bincount(codes, minlength=n_cat) > 0
            if used.all():  # every category observed (as load() types codes): code = group
                keys = pd.Categorical.from_codes(np.arange(n_cat), dtype=col.dtype)
                return codes.astype(np.int64), pd.DataFrame({by[0]: keys})
    codes, uniques = [], []
    for col in by:
        s = df[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes.append(s.cat.codes.to_numpy().astype(np.int64))
            uniques.append(s.dtype)
        else:
            c, u = pd.factorize(s, sort=True)
            codes.append(c.astype(np.int64))
            uniques.append(pd.Index(u))
    sizes = [len(u.categories) if isinstance(u, pd.CategoricalDtype) else len(u) for u in uniques]
    valid = np.logical_and.reduce([c >= 0 for c in codes])
    combined = np.zeros(n, dtype=np.int64)
    for c, size in zip(codes, sizes, strict=True):
        combined = combined * max(size, 1) + np.maximum(c, 0)
    total = int(np.prod([max(s, 1) for s in sizes], dtype=np.float64))
    if total <= max(4 * n, 1_000_000):
        present = np.flatnonzero(np.bincount(combined[valid], minlength=total))
        remap = np.full(total, -1, dtype=np.int64)
        remap[present] = np.arange(len(present))
        group = remap[combined]
    else:
        present, inverse = np.unique(combined[valid], return_inverse=True)
        group = np.full(n, -1, dtype=np.int64)
        group[valid] = inverse
    group[~valid] = -1
    parts = np.unravel_index(present, [max(s, 1) for s in sizes])
    keys = {}
    for col, u, part in zip(by, uniques, parts, strict=True):
        if isinstance(u, pd.CategoricalDtype):
            keys[col] = pd.Categorical.from_codes(part, dtype=u)
        else:
            keys[col] = u.take(part)
    return group, pd.DataFrame(keys)


def group_sums(codes: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    """Sum ``values`` (1-D, or 2-D with one column per variable) per group code.

    Rows with code -1 are ignored. Boolean columns are counted with an integer
    ``bincount``; other columns are summed in row order (``bincount`` weights, taken as
    float64 one column at a time), so the result does not depend on how ``values`` is
    passed. Without code -1 no row is copied.

    Examples
    --------
    >>> group_sums(np.array([0, 1, 0, -1]), 2, np.array([1.0, 2.0, 3.0, 100.0]))
    array([4., 2.])
    >>> group_sums(np.array([0, 1, 0]), 2, np.array([[True, 1.5], [False, 2.0], [True, 3.0]]))
    array([[2. , 4.5],
           [0. , 2. ]])
    """
    codes = np.asarray(codes)
    keep = None if codes.size == 0 or codes.min() >= 0 else codes >= 0
    kept = codes if keep is None else codes[keep]
    values = np.asarray(values)

    def one(col: np.ndarray) -> np.ndarray:
        col = col if keep is None else col[keep]
        if col.dtype == bool:
            return np.bincount(kept[col], minlength=n_groups).astype("float64")
        return np.bincount(kept, weights=col, minlength=n_groups)

    if values.ndim == 1:
        return one(values)
    out = np.empty((n_groups, values.shape[1]))
    for j in range(values.shape[1]):
        out[:, j] = one(values[:, j])
    return out


def check_by(df: pd.DataFrame, by, reserved=()) -> list[str]:
    """Validate ``by``: the columns exist and none shares a name with an output column.

    Examples
    --------
    >>> check_by(pd.DataFrame({"unit_id": [1], "n": [2]}), "unit_id", reserved=("n",))
    ['unit_id']
    >>> check_by(pd.DataFrame({"unit_id": [1], "n": [2]}), "n", reserved=("n",))
    Traceback (most recent call last):
    ...
    ValueError: `by` names column 'n', which is also an output column of this function; rename it first, e.g. df.rename(columns={'n': 'n_group'}).
    """
    by = check_columns(df, by, param="by")
    clash = [b for b in by if b in reserved]
    if clash:
        raise ValueError(
            f"`by` names column {clash[0]!r}, which is also an output column of this "
            "function; rename it first, e.g. df.rename(columns={"
            f"{clash[0]!r}: {clash[0] + '_group'!r}}})."
        )
    return by
