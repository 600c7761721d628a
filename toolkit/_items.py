"""Numerical core of the item statistics: the item matrix, the Likert tally, the factor model.

Private module behind :mod:`toolkit.reliability` and :mod:`toolkit.reaction` (whose public
functions and documentation live there). :func:`prepare` turns long or wide answers into a
respondents x items array with group codes (answers coded, reverse-keyed items recoded,
scales checked); :func:`moments` gives every group's listwise item and total moments from
a few products with a sparse group indicator; :func:`likert_tally` counts every (group,
item, scale point) cell in one ``numpy.bincount``; :func:`item_scales` reads the item
bank; :func:`fit_factors` fits the factor model by maximum likelihood (as R's
``factanal``) or minimum residual (as ``psych::fa``) and :func:`one_factor_omega` turns
one factor per group into McDonald's omega.

Examples
--------
Three items with correlations .48, .40 and .30 fit one factor exactly, with loadings
.8, .6 and .5:

>>> import numpy as np
>>> corr = np.array([[1.0, 0.48, 0.40], [0.48, 1.0, 0.30], [0.40, 0.30, 1.0]])
>>> load, psi, converged = fit_factors(corr, 1, "ml")
>>> np.round(load[:, 0], 4).tolist(), converged
([0.8, 0.6, 0.5], True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from toolkit.grouping import group_codes
from toolkit.schema import NA_CODE
from toolkit.validation import as_list, check_columns, check_number, closest

__all__ = [
    "HEYWOOD_BOUND",
    "Items",
    "Moments",
    "covariances",
    "integer_responses",
    "item_scales",
    "item_series",
    "likert_tally",
    "fit_factors",
    "moments",
    "one_factor_omega",
    "pairwise_alpha",
    "prepare",
    "present_items",
    "row_group_codes",
]

#: Lower bound of a uniqueness in the fit; a uniqueness at the bound is a Heywood case.
HEYWOOD_BOUND = 0.005


# --------------------------------------------------------------------------------------------
# the item matrix: long or wide answers -> respondents x items, with group codes
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Items:
    x: np.ndarray  # respondents x items, float, NaN = missing
    g: np.ndarray  # group code of each respondent (0 .. n_groups-1)
    groups: pd.DataFrame  # one row per group, the by columns (no column when by is empty)
    names: list[str]  # item names
    present: np.ndarray  # groups x items: item answered by someone in the group
    shown: np.ndarray | None = None  # long data: respondent x item has a row (item was given)
    reversed: np.ndarray | None = None  # items: recoded as min + max - x
    answered: np.ndarray | None = None  # respondents x items: ~isnan(x)


def _col_codes(col: pd.Series, sort: bool = False) -> tuple[np.ndarray, int]:
    """Integer codes of one column, in order of appearance or sorted (categorical: category
    order); a missing value is a code of its own. For respondents, never for groups."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype(np.int64)
        n = len(col.cat.categories)
        if not len(codes) or codes.min() >= 0:  # no missing value: no code for it
            return codes, n
        return np.where(codes < 0, n, codes), n + 1
    codes, uniques = pd.factorize(col, sort=sort, use_na_sentinel=False)
    return codes.astype(np.int64), len(uniques)


def _subject_codes(data: pd.DataFrame, subject: list[str], sort: bool) -> tuple[np.ndarray, int]:
    code, n = _col_codes(data[subject[0]], sort)
    for col in subject[1:]:
        c, m = _col_codes(data[col], sort)
        code, uniques = pd.factorize(code * m + c, sort=sort)
        n = len(uniques)
    return code.astype(np.int64), n


def _item_codes(col: pd.Series, name: str, drop: bool = True) -> tuple[np.ndarray, list[str]]:
    """Codes of the items with rows, in sorted (categorical: category) order.

    With ``drop=False`` the codes of a categorical are its category codes and every category
    is named, used or not (the caller drops the unused ones: :func:`_drop_unused`).
    """
    categorical = isinstance(col.dtype, pd.CategoricalDtype)
    codes, names = (col.cat.codes.to_numpy(), col.cat.categories) if categorical else (None, None)
    if not categorical:
        codes, names = pd.factorize(col, sort=True)
    if (codes < 0).any():
        raise ValueError(f"Column {name!r} has missing item codes; drop those rows first.")
    if categorical and drop:  # fast path: no hashing of 10^7 labels; unused categories dropped
        used = np.bincount(codes, minlength=len(names)) > 0
        names = names[used]
        if not used.all():
            codes = (np.cumsum(used) - 1)[codes]
    return codes, [str(n) for n in names]


def _numbers(s: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(s).to_numpy(dtype=float, na_value=np.nan)


def _row_codes(col: pd.Series) -> np.ndarray:
    """Codes to compare neighbouring rows: categorical codes as stored, else a factorisation."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy()
    return pd.factorize(col, sort=False, use_na_sentinel=False)[0]


def _small_ints(s: pd.Series) -> np.ndarray | None:
    """Answers of an integer column as int8 (missing: ``_NA8``) when all lie in -126 … 127,
    else None: the respondents x items matrix is then built in int8, eight times less memory
    to write at random than float64."""
    if not pd.api.types.is_integer_dtype(s.dtype):
        return None
    v = s.to_numpy(dtype="int16" if s.dtype.itemsize <= 2 else "int64", na_value=0)
    if len(v) and (int(v.min()) <= _NA8 or int(v.max()) > 127):
        return None
    small = v.astype(np.int8)
    small[s.isna().to_numpy()] = _NA8
    return small


#: int8 answer codes: a missing answer, and a respondent x item cell without a row.
_NA8, _EMPTY8 = -127, -128


def _pairs(a, n_a, b, n_b, rounds: int = 8):
    """Dense codes of the distinct (a, b) pairs of the rows, and each code's a and b.

    ``a`` in 0 … n_a-1 (a group), ``b`` in 0 … n_b-1 (a subject). A table indexed by the
    side with more values (a subject answers in few groups) keeps, in each round, one of the
    other side's values per slot (the last one written); rows whose slot holds their value
    get that round's code, the rest go round again. Every round is a scatter and a gather
    into one small table, with no hashing and no sort; after ``rounds`` rounds the few rows
    left (subjects in more groups than that) are numbered through a hash table.
    """
    if n_a > n_b:  # the table is indexed by the side with more values: fewer rounds
        code, cb, ca = _pairs(b, n_b, a, n_a, rounds)
        return code, ca, cb
    n = len(a)
    if a.dtype.itemsize > 4 and n_a < 2**31:  # a table of int32 stays in cache longer
        a = a.astype(np.int32)
    code = np.empty(n, dtype=np.int64)
    table = np.empty(max(n_b, 1), dtype=np.int64 if a.dtype.itemsize > 4 else np.int32)
    out_a, out_b, offset = [], [], 0
    rows, ra, rb = None, a, b
    for _ in range(rounds):
        table.fill(-1)
        table[rb] = ra
        hit = table[rb] == ra
        slots = np.flatnonzero(table >= 0)
        out_a.append(table[slots])
        out_b.append(slots)
        if rows is None and len(slots) == n_b:  # every b: the code is b
            code[:] = rb
        else:  # rows that miss get a wrong code here, replaced in a later round
            rank = np.full(len(table), -1, dtype=np.int64)
            rank[slots] = np.arange(offset, offset + len(slots))
            code[slice(None) if rows is None else rows] = rank[rb]
        offset += len(slots)
        miss = np.flatnonzero(~hit)  # positions, not a mask: a take is faster
        if not len(miss):
            break
        rows = miss if rows is None else rows[miss]
        ra, rb = ra[miss], rb[miss]
    else:  # subjects in more than `rounds` groups: the rest through a hash table
        rest, uniques = pd.factorize(ra.astype(np.int64) * max(n_b, 1) + rb)
        code[rows] = offset + rest
        out_a.append(uniques // max(n_b, 1))
        out_b.append(uniques % max(n_b, 1))
    return code, np.concatenate(out_a).astype(np.int64), np.concatenate(out_b).astype(np.int64)


def _long(data, item, value, subject, by, ordered):
    """Long rows -> (x, g, groups, names, shown).

    With ``ordered``, respondents are sorted by group, then by subject value (category order
    for categoricals), whatever the order of the rows; otherwise they are numbered in order
    of appearance (rows that keep a respondent's rows together) or as :func:`_pairs` finds
    them (rows in export order).

    Neighbouring rows with equal ``by`` and ``subject`` values form a run (long tables keep a
    respondent's rows together), so groups and respondents are coded per run, not per row;
    runs of one respondent anywhere in the table are merged. When every run holds the k
    items in order, the answers are reshaped instead of scattered. Rows in export order
    (runs of one row or two) are coded row by row in whole-column passes instead: group and
    subject codes once, respondents by :func:`_pairs` (a scatter and a gather per round into
    a table of subjects, no hashing of the rows), and the answers scattered into a
    respondents x items array by flat index ``respondent * k + item`` (int8 when the answers
    are small integers).
    """
    subject = check_columns(data, subject, param="subject")
    check_columns(data, item, param="item")
    check_columns(data, value, param="value")
    n = len(data)
    new = np.zeros(n, dtype=bool)
    new[:1] = True
    for col in dict.fromkeys([*by, *subject]):
        c = _row_codes(data[col])
        new[1:] |= c[1:] != c[:-1]
        if np.count_nonzero(new) > n // 2:  # rows in export order: coded row by row
            return _rows(data, item, value, subject, by, ordered)
    start = np.flatnonzero(new)
    codes, names = _item_codes(data[item], item)
    k = len(names)
    values = _numbers(data[value])
    runs = data[list(dict.fromkeys([*by, *subject]))].iloc[start]
    g_run, groups = group_codes(runs, by)
    subj, n_subj = _subject_codes(runs, subject, sort=ordered)
    valid = np.flatnonzero(g_run >= 0)  # runs without a group name are dropped
    resp = np.full(len(start), -1, dtype=np.int64)
    if ordered:  # respondents sorted by group, then subject (item_analysis breaks ties so)
        keys, resp[valid] = np.unique(g_run[valid] * n_subj + subj[valid], return_inverse=True)
    else:
        resp[valid], keys = pd.factorize(g_run[valid] * n_subj + subj[valid], sort=False)
    g = (np.asarray(keys, dtype=np.int64) // max(n_subj, 1)).astype(np.intp)
    regular = (
        k > 0 and len(keys) == len(start) and n == k * len(start)
        and bool((codes.reshape(-1, k) == np.arange(k)).all())
    )  # fmt: skip
    if regular:  # one row per respondent and item, items in order: a reshape, no scatter
        if ordered:
            x = np.empty((len(g), k))
            x[resp] = values.reshape(-1, k)
        else:  # respondents numbered in order of appearance: resp is 0, 1, 2 …
            x = values.reshape(-1, k)
            if not x.flags.writeable:  # a view of the caller's column: recoded in place below
                x = x.copy()
        return x, g, groups, names, np.ones(x.shape, dtype=bool)
    x = np.full((len(g), k), np.nan)
    shown = np.zeros(x.shape, dtype=bool)
    row = np.repeat(resp, np.diff(np.append(start, n)))
    keep = row >= 0
    cell = row[keep] * k + codes[keep]
    shown.ravel()[cell] = True
    if shown.sum() < len(cell):
        _twice(by, subject, item)
    x.ravel()[cell] = values[keep]
    return x, g, groups, names, shown


def _twice(by, subject, item):
    raise ValueError(
        f"Some respondent answers an item twice: the columns {[*by, *subject, item]} must "
        "identify each row. Add the missing key column to `by` (or to `subject`)."
    )


def _columns_any(m: np.ndarray) -> np.ndarray:
    """``m.any(axis=0)`` of a boolean matrix, fast for many rows of few columns.

    NumPy reduces a narrow C-ordered matrix row by row; here whole rows are OR-ed eight bytes
    at a time (a block of ``lcm(k, 8)`` bytes holds whole rows), then the block is split.

    Examples
    --------
    >>> m = np.zeros((100_000, 3), dtype=bool)
    >>> m[99_999, 2] = True
    >>> _columns_any(m).tolist()
    [False, False, True]
    """
    n, k = m.shape
    if not m.flags.c_contiguous or n * k < (1 << 16):
        return m.any(axis=0)
    width = int(np.lcm(k, 8))
    per = width // k  # rows per block
    full = n - n % per
    words = m[:full].reshape(-1).view(np.uint64).reshape(-1, width // 8)
    block = np.bitwise_or.reduce(words, axis=0).view(np.uint8).reshape(per, k)
    return block.any(axis=0) | m[full:].any(axis=0)


def _drop_unused(x, shown, names, col):
    """Keep the columns of the items with rows (all of them, as a rule: then a free check)."""
    if _columns_any(shown).all() or not isinstance(col.dtype, pd.CategoricalDtype):
        return x, shown, names
    used = np.bincount(col.cat.codes.to_numpy(), minlength=len(names)) > 0
    if used.all():
        return x, shown, names
    return x[:, used], shown[:, used], [n for n, u in zip(names, used, strict=True) if u]


def _rows(data, item, value, subject, by, ordered):
    """:func:`_long` for rows in export order: every row coded in whole-column passes."""
    codes, names = _item_codes(data[item], item, drop=False)
    k = len(names)
    one = len(by) == 1 and isinstance(data[by[0]].dtype, pd.CategoricalDtype)
    if one:  # the category codes, the groups observed found among the respondents below
        g_row, groups = data[by[0]].cat.codes.to_numpy(), None
    else:
        g_row, groups = group_codes(data, by)
    subj, n_subj = _subject_codes(data, subject, sort=ordered)
    kept = None if not len(g_row) or g_row.min() >= 0 else np.flatnonzero(g_row >= 0)
    if kept is not None:  # rows without a group name are dropped
        g_row, subj, codes = g_row[kept], subj[kept], codes[kept]
    n_groups = len(data[by[0]].cat.categories) if one else len(groups)
    resp, g, s_of = _pairs(g_row, n_groups, subj, n_subj)
    if one:  # as group_codes: the observed groups, in category order
        used = np.bincount(g, minlength=n_groups) > 0
        g = (np.cumsum(used) - 1)[g]
        dtype = data[by[0]].dtype
        groups = pd.DataFrame({by[0]: pd.Categorical.from_codes(np.flatnonzero(used), dtype=dtype)})
    if ordered:  # respondents sorted by group, then subject (item_analysis breaks ties so)
        order = np.lexsort((s_of, g))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        resp, g = rank[resp], g[order]
    cell = resp * k + codes
    small = _small_ints(data[value])
    if small is not None:  # int8 cells: -128 where no row, -127 where the answer is missing
        x8 = np.full(len(g) * k, _EMPTY8, dtype=np.int8)
        x8[cell] = small if kept is None else small[kept]
        shown = (x8 != _EMPTY8).reshape(-1, k)
        if np.count_nonzero(shown) < len(cell):
            _twice(by, subject, item)
        x = x8.astype(np.float64).reshape(-1, k)
        x[(x8 <= _NA8).reshape(-1, k)] = np.nan
        x, shown, names = _drop_unused(x, shown, names, data[item])
        return x, g.astype(np.intp), groups, names, shown
    values = _numbers(data[value])
    x = np.full((len(g), k), np.nan)
    shown = np.zeros(x.shape, dtype=bool)
    shown.ravel()[cell] = True
    if np.count_nonzero(shown) < len(cell):
        _twice(by, subject, item)
    x.ravel()[cell] = values if kept is None else values[kept]
    x, shown, names = _drop_unused(x, shown, names, data[item])
    return x, g.astype(np.intp), groups, names, shown


def _recode(x, names, *, na_code, reverse, scale, instruments, binary) -> np.ndarray:
    """Apply ``na_code``, check scales, reverse items in place; return the reversed mask."""
    if na_code is not None:
        above = x > na_code
        if above.any():
            r, c = np.argwhere(above)[0]
            raise ValueError(
                f"answers above the 'tidak tahu' code {na_code} were found ({x[r, c]:g} for item "
                f"{names[c]!r}), so {na_code} may be a real score here. Pass na_code=None to "
                "keep every value as a score."
            )
        x[x == na_code] = np.nan
    if binary:
        ok = np.isnan(x) | (x == 0) | (x == 1)
        if not ok.all():
            bad = x[~ok][0]
            raise ValueError(f"Items must be scored 0/1 for this statistic, but {bad:g} was found.")
    if scale is not None:
        ok = isinstance(scale, tuple | list) and len(scale) == 2 and scale[0] < scale[1]
        if not ok:
            raise ValueError(f"`scale` must be a pair (min, max) with min < max, not {scale!r}.")
    lo, hi, keyed = item_scales(names, instruments, scale)
    if lo is None and binary:
        lo, hi = np.zeros(len(names)), np.ones(len(names))
    if lo is not None:
        off = (x < lo) | (x > hi)
        if off.any():
            r, c = np.argwhere(off)[0]
            raise ValueError(
                f"item {names[c]!r} has the answer {x[r, c]:g}, off its scale {lo[c]:g}–{hi[c]:g}; "
                "correct the data or the scale (a 'tidak tahu' code other than 99 goes in na_code)."
            )
        if instruments is not None and scale is None and len(set(zip(lo, hi, strict=True))) > 1:
            spans = pd.Series([f"{a:g}–{b:g}" for a, b in zip(lo, hi, strict=True)], index=names)
            listing = "; ".join(
                f"{s}: {', '.join(ix)}" for s, ix in spans.groupby(spans).groups.items()
            )
            raise ValueError(
                f"the items lie on different scales ({listing}): the widest one would dominate "
                "the total score. Keep the items of one scale (e.g. drop the 0–10 'recommend' "
                "item from the 1–5 reaction scale), or standardise the items first."
            )
    if reverse is None or reverse is False:
        return np.zeros(len(names), dtype=bool)
    if reverse is True:
        if instruments is None:
            raise ValueError(
                "reverse=True takes the reverse-keyed items from the item bank: pass "
                "instruments=data.instruments, or name the items, e.g. reverse=['R06']."
            )
        rev = keyed
    else:
        wanted = as_list(reverse)
        unknown = [w for w in wanted if w not in names]
        if unknown:
            near = closest(unknown[0], names)
            hint = f" Did you mean {near!r}?" if near else ""
            raise KeyError(f"`reverse` names item {unknown[0]!r}, which is not in the data.{hint}")
        rev = np.isin(names, wanted)
        if lo is None:
            raise ValueError(
                "reversing an item needs its scale: pass scale=(min, max), e.g. scale=(1, 5), "
                "or instruments=data.instruments."
            )
    if rev.any():
        x[:, rev] = lo[rev] + hi[rev] - x[:, rev]
    return rev


def prepare(
    data, *, items, item, value, subject, by, binary=False, na_code=NA_CODE, reverse=None,
    scale=None, instruments=None, ordered=False,
) -> Items:  # fmt: skip
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame, but {type(data).__name__} was passed.")
    by = check_columns(data, by, param="by")
    if na_code is not None:
        check_number("na_code", na_code)
    if item is not None or value is not None:
        if item is None or value is None:
            raise ValueError("Long data needs both `item` (item column) and `value` (answers).")
        x, g, groups, names, shown = _long(data, item, value, subject, by, ordered)
    else:
        if items is None:
            items = [
                c for c in data.columns if c not in by and pd.api.types.is_numeric_dtype(data[c])
            ]
        names = check_columns(data, items, param="items")
        x = data[names].apply(pd.to_numeric).to_numpy(dtype=float, na_value=np.nan)
        g, groups = group_codes(data, by)
        x, g = x[g >= 0], g[g >= 0]
        shown = None
        names = [str(n) for n in names]
    rev = _recode(
        x, names, na_code=na_code, reverse=reverse, scale=scale, instruments=instruments,
        binary=binary,
    )  # fmt: skip
    answered = ~np.isnan(x)
    present = (indicator(g, len(groups)) @ answered.astype(float)) > 0
    return Items(x, g, groups.reset_index(drop=True), names, present, shown, rev, answered)


@dataclass(frozen=True)
class Moments:
    n: np.ndarray  # groups: respondents used
    n_dropped: np.ndarray  # groups: respondents dropped listwise
    k: np.ndarray  # groups: items
    mean: np.ndarray  # groups x items
    var: np.ndarray  # groups x items (n - 1 divisor)
    var_total: np.ndarray  # groups
    cov_total: np.ndarray  # groups x items: cov(total, item)
    used: np.ndarray  # respondents kept
    xc: np.ndarray  # centred answers of kept respondents, 0 elsewhere


def indicator(g: np.ndarray, n_groups: int) -> sparse.csc_array:
    """Sparse groups x respondents 0/1 matrix: ``G @ m`` sums the rows of ``m`` by group.

    One nonzero per column, so the compressed-column form is built without sorting and its
    product with a dense array is a single pass over the rows.
    """
    n = len(g)
    return sparse.csc_array((np.ones(n), g, np.arange(n + 1)), shape=(n_groups, n))


def moments(it: Items, total_cov: bool = True) -> Moments:
    """Listwise moments per group: the respondent must answer every item of the group.

    Every group sum (of the items, their squares, the total and its products) is one sparse
    product with the group indicator, for all groups at once; answers are centred on their
    group's item mean first (two-pass sums of squares, stable for any offset).
    """
    x, g, present = it.x, it.g, it.present
    n_groups = present.shape[0]
    G = indicator(g, n_groups)
    answered = it.answered
    ones = np.ones(x.shape[1])
    n_answered = answered.astype(float) @ ones  # row sums as a product: faster than .sum(1)
    complete = (n_answered == present.sum(axis=1)[g]) & (n_answered > 0)
    keep = answered & complete[:, None]  # = the group's items, for complete respondents
    n = G @ complete.astype(float)
    n_dropped = G @ ((n_answered > 0) & ~complete).astype(float)
    xc = np.where(keep, x, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (G @ xc) / n[:, None]
    xc -= np.take(np.nan_to_num(mean), g, axis=0)
    xc *= keep
    total = xc @ ones
    s2, t2 = G @ (xc * xc), G @ (total * total)
    st = G @ (xc * total[:, None]) if total_cov else np.full(s2.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = np.where(n > 1, n - 1, np.nan)
        var = np.where(present, s2 / dof[:, None], np.nan)
        var_total = t2 / dof
        cov_total = np.where(present, st / dof[:, None], np.nan)
    k_g = present.sum(axis=1).astype(float)
    return Moments(n, n_dropped, k_g, mean, var, var_total, cov_total, complete, xc)


def pairwise_alpha(it: Items) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alpha from the pairwise-complete covariance matrix (as pandas ``cov`` and psych)."""
    x, g = it.x, it.g
    n_groups, k = it.present.shape
    valid = ~np.isnan(x)
    xz = np.where(valid, x, 0.0)
    diag = np.zeros(n_groups)
    everything = np.zeros(n_groups)
    n_min = np.full(n_groups, np.inf)
    for a in range(k):  # loop over item pairs, vectorised over groups
        for b in range(a, k):
            m = (valid[:, a] & valid[:, b]).astype(float)
            n_ab = np.bincount(g, weights=m, minlength=n_groups)
            sa = np.bincount(g, weights=xz[:, a] * m, minlength=n_groups)
            sb = np.bincount(g, weights=xz[:, b] * m, minlength=n_groups)
            sab = np.bincount(g, weights=xz[:, a] * xz[:, b] * m, minlength=n_groups)
            both = it.present[:, a] & it.present[:, b]
            with np.errstate(divide="ignore", invalid="ignore"):
                cov = (sab - sa * sb / n_ab) / (n_ab - 1)
            cov = np.where(both, cov, 0.0)
            everything += cov if a == b else 2 * cov
            if a == b:
                diag += cov
            n_min = np.where(both, np.minimum(n_min, n_ab), n_min)
    k_g = it.present.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = k_g / (k_g - 1) * (1 - diag / everything)
    n_any = np.bincount(g, weights=valid.any(axis=1), minlength=n_groups)
    return alpha, np.where(np.isinf(n_min), 0, n_min), n_any


def covariances(it: Items, mo: Moments) -> np.ndarray:
    """groups x items x items listwise covariance matrices, one bincount per item pair."""
    n_groups, k = it.present.shape
    out = np.full((n_groups, k, k), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = np.where(mo.n > 1, mo.n - 1, np.nan)
        for a in range(k):
            for b in range(a, k):
                s = np.bincount(it.g, weights=mo.xc[:, a] * mo.xc[:, b], minlength=n_groups)
                out[:, a, b] = out[:, b, a] = s / dof
    return out


# --------------------------------------------------------------------------------------------
# answers and scales of the item bank (shared with toolkit.reaction), the Likert tally
# --------------------------------------------------------------------------------------------
def item_scales(names, instruments=None, scale=None):
    """(min, max, reverse_keyed) of each item, from ``scale`` or the item bank.

    ``scale`` (a pair) applies to every item and takes precedence over the bank's bounds;
    the bank still supplies ``reverse_keyed``. Without either, min and max are None.
    """
    k = len(names)
    keyed = np.zeros(k, dtype=bool)
    lo = hi = None
    if instruments is not None:
        check_columns(instruments, ["item_code", "scale_min", "scale_max"], param="instruments")
        bank = instruments.assign(item_code=instruments["item_code"].astype("str"))
        bank = bank.drop_duplicates("item_code").set_index("item_code")
        absent = [c for c in names if c not in bank.index]
        if absent and scale is None:
            raise KeyError(
                f"item {absent[0]!r} is not in `instruments`; add it to the item bank or "
                "pass scale=(min, max) for every item."
            )
        found = bank.reindex(pd.Index(names, dtype="str"))
        if "reverse_keyed" in found.columns:
            keyed = found["reverse_keyed"].fillna(False).to_numpy(dtype=bool)
        if scale is None:
            lo = found["scale_min"].to_numpy(dtype=np.int64)
            hi = found["scale_max"].to_numpy(dtype=np.int64)
    if scale is not None:
        lo, hi = np.full(k, scale[0]), np.full(k, scale[1])
    return lo, hi, keyed


def row_group_codes(df: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`toolkit.grouping.group_codes` of every row, computed once per run of rows.

    Long tables keep a session's (or a respondent's) rows together: when every ``by``
    column is categorical and neighbouring rows mostly share their keys, the codes are
    computed for the first row of each run and repeated, instead of for all rows. The
    result is the same as ``group_codes(df, by)``.
    """
    n = len(df)
    if not by or not n or not all(isinstance(df[c].dtype, pd.CategoricalDtype) for c in by):
        return group_codes(df, by)
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for col in by:
        c = df[col].cat.codes.to_numpy()
        new[1:] |= c[1:] != c[:-1]
    start = np.flatnonzero(new)
    if len(start) > n // 4:  # short runs: coding every row is as fast
        return group_codes(df, by)
    codes, keys = group_codes(df[by].iloc[start], by)
    return np.repeat(codes, np.diff(np.append(start, n))), keys


def likert_tally(df, by, items, instruments, scale, na_code):
    """Counts of every (group, item) cell by scale point, "tidak tahu" and empty answers.

    One ``numpy.bincount`` over the rows, of cell x (k + 3) + slot: slots 0 … k-1 are the
    points of the scales, then "tidak tahu", empty and off-scale; each answer's slot is
    looked up in a small table instead of being computed with masks.

    Returns
    -------
    keys, item_idx, lo_i, hi_i, rev_i, tally
        The observed (group, item) cells (``by`` columns and ``item_code``), each cell's item
        index into the item scales ``lo_i``, ``hi_i``, ``rev_i``, and the cells x (k + 3)
        counts (the off-scale slot is always 0: off-scale answers raise).
    """
    g_by, keys_by = row_group_codes(df, by)
    item_s = item_series(df, items)
    categorical = isinstance(item_s.dtype, pd.CategoricalDtype)
    if categorical:
        ic, levels = item_s.cat.codes.to_numpy(), item_s.cat.categories
    else:
        ic, levels = pd.factorize(item_s, sort=True)
    used = np.bincount(ic + 1, minlength=len(levels) + 1)[1:] > 0
    if not used.all():
        ic = np.append(np.cumsum(used) - 1, -1)[ic]
    used_at = np.flatnonzero(used)
    names = pd.Index(levels[used_at]).astype("str")
    lo_i, hi_i, rev_i = item_scales(names, instruments, scale)
    n_items = len(names)
    vmin, vmax = (int(lo_i.min()), int(hi_i.max())) if n_items else (0, -1)
    if vmax >= na_code:
        raise ValueError(f"an item's scale reaches the 'tidak tahu' code {na_code}; fix the bank.")
    k = vmax - vmin + 1
    v = integer_responses(df["response"])
    lut = np.full(na_code + 2, k + 2)  # value + 1 -> slot
    lut[0], lut[na_code + 1], lut[vmin + 1 : vmax + 2] = k + 1, k, np.arange(k)
    low, high = (int(v.min()), int(v.max())) if len(v) else (0, 0)
    if low < -1 or high > na_code or (low == -1 and (v == -1).sum() > df["response"].isna().sum()):
        off_scale(df, v, g_by, ic, names, lo_i, hi_i, na_code)  # raises
    n_cells = len(keys_by) * n_items
    cell = g_by * n_items + ic
    code = cell * (k + 3) + np.take(lut, v + 1)
    if len(cell) and min(g_by.min(), ic.min()) < 0:  # rows without a group or item: dropped
        kept = (g_by >= 0) & (ic >= 0)
        cell, code = cell[kept], code[kept]
    if n_cells * (k + 3) > max(8 * len(cell), 1 << 22):  # sparse cells: number them first
        present, inverse = np.unique(cell, return_inverse=True)
        code = inverse * (k + 3) + code % (k + 3)
        tally = np.bincount(code, minlength=len(present) * (k + 3)).reshape(-1, k + 3)
    else:
        tally = np.bincount(code, minlength=n_cells * (k + 3)).reshape(n_cells, k + 3)
        present = np.flatnonzero(tally.sum(axis=1) > 0)
        tally = tally[present]
    item_idx = present % max(n_items, 1)
    points = np.arange(vmin, vmax + 1)
    on_scale = (points >= lo_i[item_idx, None]) & (points <= hi_i[item_idx, None])
    if tally[:, k + 2].any() or (tally[:, :k] * ~on_scale).any():
        off_scale(df, v, g_by, ic, names, lo_i, hi_i, na_code)  # raises
    keys = keys_by.iloc[present // max(n_items, 1)].reset_index(drop=True)
    if categorical:
        keys["item_code"] = pd.Categorical.from_codes(used_at[item_idx], dtype=item_s.dtype)
    else:
        keys["item_code"] = pd.Index(levels).take(used_at[item_idx])
    return keys, item_idx, lo_i, hi_i, rev_i, tally


def off_scale(df, v, g_by, ic, names, lo_i, hi_i, na_code):
    """Raise the error for answers off their item's scale (called only when there are some)."""
    item = np.maximum(ic, 0)
    valid = (g_by >= 0) & (ic >= 0) & ~df["response"].isna().to_numpy() & (v != na_code)
    bad = valid & ((v < lo_i[item]) | (v > hi_i[item]))
    row = int(np.flatnonzero(bad)[0])
    j = item[row]
    raise ValueError(
        f"{int(bad.sum())} answer(s) lie off their item's scale and are not the 'tidak tahu' "
        f"code {na_code}: e.g. item {names[j]!r} (scale {lo_i[j]}–{hi_i[j]}) has response "
        f"{v[row]} in row {row}. Correct the data, or set the right scale in the item bank."
    )


def integer_responses(s: pd.Series, param: str = "response") -> np.ndarray:
    """Answers as integers (int16 or int64) with missing ones as -1; whole numbers required."""
    if pd.api.types.is_integer_dtype(s.dtype):  # int64, Int16 …: no conversion check needed
        narrow = s.dtype.itemsize <= 2  # Int16 as loaded: keep 16 bits (4x less memory traffic)
        return s.to_numpy(dtype="int16" if narrow else "int64", na_value=-1)
    try:
        values = s.to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"column {param!r} must hold whole numbers (or be empty), but has dtype "
            f"{s.dtype}; convert it with pd.to_numeric first."
        ) from err
    filled = np.where(np.isnan(values), -1.0, values)
    frac = np.mod(filled, 1) != 0
    if frac.any():
        raise ValueError(
            f"column {param!r} must hold whole numbers, but has {values[frac][0]!r} "
            f"(row {int(np.flatnonzero(frac)[0])})."
        )
    return filled.astype(np.int64)


def present_items(s: pd.Series) -> list[str]:
    """Item codes with rows (categorical: from the codes, without converting every label)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(s.cat.categories)) > 0
        return [str(c) for c in s.cat.categories[used]]
    return [str(c) for c in pd.unique(s.dropna().astype("str"))]


def item_series(df: pd.DataFrame, items) -> pd.Series:
    """The item column, restricted (and ordered) to ``items`` when given."""
    s = df["item_code"]
    if items is None:
        return s
    items = [str(i) for i in as_list(items)]
    if len(set(items)) != len(items):
        raise ValueError(f"`items` lists an item more than once: {items!r}.")
    present = set(present_items(s))
    absent = [i for i in items if i not in present]
    if absent:
        near = closest(absent[0], sorted(present))
        hint = f" Did you mean {near!r}?" if near else ""
        raise KeyError(f"`items` names item {absent[0]!r}, which has no rows in the data.{hint}")
    wanted = pd.Index(items)
    if isinstance(s.dtype, pd.CategoricalDtype):  # recode the categories, not the rows
        lookup = np.append(wanted.get_indexer(s.cat.categories.astype("str")), -1)
        codes = lookup[np.asarray(s.cat.codes)]
    else:
        codes = wanted.get_indexer(s.astype("str"))
    return pd.Series(pd.Categorical.from_codes(codes, categories=wanted), index=s.index)


# --------------------------------------------------------------------------------------------
# the factor model
# --------------------------------------------------------------------------------------------
def fit_factors(corr: np.ndarray, n_factors: int = 1, method: str = "ml", lower=HEYWOOD_BOUND):
    """Fit an exploratory factor model to a correlation matrix.

    Parameters
    ----------
    corr : numpy.ndarray
        p x p correlation matrix.
    n_factors : int
        Number of factors q.
    method : {"ml", "minres"}
        ``"ml"`` minimises the maximum-likelihood discrepancy over the uniquenesses as R's
        ``factanal`` does (Jöreskog 1967); ``"minres"`` minimises the sum of squared residuals
        of ``corr - diag(psi)`` beyond the first q factors (ordinary least squares,
        ``psych::fa(fm="minres")``).
    lower : float
        Lower bound of each uniqueness (``factanal``'s default 0.005).

    Returns
    -------
    loadings : numpy.ndarray
        p x q, each factor's loadings summing to a positive number (``factanal``'s sign).
    uniquenesses : numpy.ndarray
        p.
    converged : bool
        Whether L-BFGS-B reported success.

    References
    ----------
    .. [1] Jöreskog, K. G. (1967). Some contributions to maximum likelihood factor analysis.
       Psychometrika, 32(4), 443–482. https://doi.org/10.1007/BF02289658

    Examples
    --------
    >>> import numpy as np
    >>> corr = np.array([[1.0, 0.48, 0.40], [0.48, 1.0, 0.30], [0.40, 0.30, 1.0]])
    >>> np.round(fit_factors(corr, 1, "minres")[1], 4).tolist()
    [0.36, 0.64, 0.75]
    """
    p = corr.shape[0]
    q = n_factors
    try:
        start = (1 - 0.5 * q / p) / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        start = np.full(p, 0.5)
    start = np.clip(start, lower, 1.0)

    if method == "ml":

        def objective(psi):
            sc = 1 / np.sqrt(psi)
            e, v = np.linalg.eigh(corr * np.outer(sc, sc))
            e, v = e[::-1], v[:, ::-1]
            rest = e[q:]
            f = -np.sum(np.log(rest) - rest) - q + p
            load = v[:, :q] * np.sqrt(np.maximum(e[:q] - 1, 0))
            load = load * np.sqrt(psi)[:, None]
            grad = (np.sum(load * load, axis=1) + psi - np.diag(corr)) / psi**2
            return f, grad

    else:

        def objective(psi):
            e, v = np.linalg.eigh(corr - np.diag(psi))
            e, v = e[::-1], v[:, ::-1]
            rest = e[q:]
            f = 0.5 * np.sum(rest**2)
            grad = -np.sum(rest * v[:, q:] ** 2, axis=1)
            return f, grad

    res = optimize.minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(lower, 1.0)] * p,
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 2000},
    )
    psi = res.x
    if method == "ml":
        sc = 1 / np.sqrt(psi)
        e, v = np.linalg.eigh(corr * np.outer(sc, sc))
        e, v = e[::-1], v[:, ::-1]
        load = v[:, :q] * np.sqrt(np.maximum(e[:q] - 1, 0)) * np.sqrt(psi)[:, None]
        psi = np.diag(corr) - np.sum(load * load, axis=1)
    else:
        e, v = np.linalg.eigh(corr - np.diag(psi))
        e, v = e[::-1], v[:, ::-1]
        load = v[:, :q] * np.sqrt(np.maximum(e[:q], 0))
    # sign convention of factanal: each factor's loadings sum to a positive number
    load = load * np.where(load.sum(axis=0) < 0, -1.0, 1.0)
    return load, psi, bool(res.success)


def one_factor_omega(cov: np.ndarray, present: np.ndarray, n: np.ndarray, method: str = "ml"):
    """Omega total of each group from its covariance matrix and a one-factor fit.

    Parameters
    ----------
    cov : numpy.ndarray
        groups x items x items covariance matrices (NaN where undefined).
    present : numpy.ndarray
        groups x items, bool: the items of each group.
    n : numpy.ndarray
        Respondents behind each matrix.
    method : {"ml", "minres"}
        Fit of the factor model (see :func:`fit_factors`).

    Returns
    -------
    omega, converged, heywood : numpy.ndarray
        One value per group (NaN / False where no model can be fitted: fewer than 3 items,
        no more respondents than items, or an item with zero variance).
    loadings : list
        Per group, the standardised loadings as an array over the group's items, or None.

    Notes
    -----
    The model is fitted to the correlation matrix and rescaled to the covariance metric,
    :math:`\\lambda_j \\to s_j\\lambda_j`, :math:`\\psi_j \\to s_j^2\\psi_j`;
    :math:`\\omega = (\\sum\\lambda_j)^2 / ((\\sum\\lambda_j)^2 + \\sum\\psi_j)`. One SciPy
    optimisation per group: the only per-group loop of the reliability code.

    Examples
    --------
    >>> import numpy as np
    >>> lam = np.array([0.8, 0.6, 0.5])
    >>> cov = np.outer(lam, lam) + np.diag(1 - lam**2)
    >>> omega, ok, heywood, load = one_factor_omega(cov[None], np.ones((1, 3), bool), [50])
    >>> round(float(omega[0]), 4), bool(ok[0]), bool(heywood[0])  # 1.9**2 / (1.9**2 + 1.75)
    (0.6735, True, False)
    """
    n_groups = cov.shape[0]
    omega = np.full(n_groups, np.nan)
    converged = np.zeros(n_groups, dtype=bool)
    heywood = np.zeros(n_groups, dtype=bool)
    loadings: list[np.ndarray | None] = [None] * n_groups
    for gi in range(n_groups):  # one optimisation per group: cannot be vectorised
        sel = present[gi]
        s = cov[gi][np.ix_(sel, sel)]
        if sel.sum() < 3 or n[gi] <= sel.sum() or not np.all(np.isfinite(s)):
            continue  # a one-factor model needs 3 items and more respondents than items
        sd = np.sqrt(np.diag(s))
        if np.any(sd == 0):
            continue
        load, psi, ok = fit_factors(s / np.outer(sd, sd), 1, method)
        lam = load[:, 0] * sd
        omega[gi] = lam.sum() ** 2 / (lam.sum() ** 2 + (psi * sd**2).sum())
        converged[gi] = ok
        heywood[gi] = bool(np.any(psi <= HEYWOOD_BOUND + 1e-8))
        loadings[gi] = load[:, 0]
    return omega, converged, heywood, loadings
