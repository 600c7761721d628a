"""Level 4 (results): the public satisfaction index (IKM) and what training caused.

The first half of Level 4 is *measuring* the organisation's results: the Indeks Kepuasan
Masyarakat (IKM) of PermenPANRB No. 14 Tahun 2017, computed here per unit and period from
the citizens' survey (table ``ikm_responses``). The second half is *attributing* a change to
the training: the tables :func:`did_table` (as ietoolkit's ``ieddtab``) and
:func:`balance_table` (as ``iebaltab``) are here; the estimators :func:`did` and
:func:`event_study` live in :mod:`toolkit.impact` and are re-exported, so that
``toolkit.results`` is the one place to reach for Level 4.

Examples
--------
>>> import pandas as pd
>>> responses = pd.DataFrame({"unit_id": ["U01"] * 3, "period": ["2024Q1"] * 3,
...                           **{f"u{j}": [4, 3, 4] for j in range(1, 10)}})
>>> ikm(responses, by=["unit_id", "period"])[["unit_id", "ikm", "converted", "grade"]]
  unit_id       ikm  converted grade
0     U01  3.666667  91.666667     A
>>> ikm_grade(91.48).label_id
'Sangat baik'
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from toolkit.grouping import group_codes, group_sums
from toolkit.schema import IKM_ELEMENTS
from toolkit.validation import as_list, check_columns, check_number, check_one_of

if TYPE_CHECKING:  # re-exported from toolkit.impact on first use: see __getattr__ below
    from toolkit.impact import (
        EventStudyResult,
        did,
        event_study,
        period_index,
        period_label,
    )

__all__ = [
    "IKM_GRADES",
    "IkmGrade",
    "ikm",
    "ikm_grade",
    "ikm_elements",
    "ikm_priorities",
    "ikm_panel",
    "did_table",
    "BalanceTable",
    "balance_table",
    # re-exported from toolkit.impact
    "EventStudyResult",
    "did",
    "event_study",
    "period_index",
    "period_label",
]

#: Re-exported from :mod:`toolkit.impact`, which is imported on first use: it imports
#: ``scipy.stats``, which takes longer to import than pandas, and measuring the IKM needs
#: none of it (PEP 562 module ``__getattr__``).
_FROM_IMPACT = ("SE_TYPES", "EventStudyResult", "did", "event_study", "period_index",
                "period_label")  # fmt: skip


def __getattr__(name: str):
    if name in _FROM_IMPACT:
        from toolkit import impact

        value = getattr(impact, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FROM_IMPACT})


#: The named weightings :func:`ikm` accepts (besides a mapping).
WEIGHTS = ("exact", "literal", "report_0111")

#: Grade bands of PermenPANRB 14/2017 on the converted scale (25-100), classified on the
#: value rounded to 2 decimals: (grade, lowest converted value, Indonesian label, English).
IKM_GRADES = (
    ("A", 88.31, "Sangat baik", "Very good"),
    ("B", 76.61, "Baik", "Good"),
    ("C", 65.00, "Kurang baik", "Less than good"),
    ("D", 25.00, "Tidak baik", "Not good"),
)

#: The nine elements (unsur) of the regulation, in its order.
DEFAULT_ELEMENTS = tuple(code for code, _, _ in IKM_ELEMENTS)
_NAMES = {code: (name_id, name_en) for code, name_id, name_en in IKM_ELEMENTS}


class IkmGrade(NamedTuple):
    """Grade of one converted IKM score (see :func:`ikm_grade`)."""

    score_rounded: float
    grade: str
    label_id: str
    label_en: str


# ---------------------------------------------------------------------------------------
# grades


def _cents(converted: np.ndarray) -> np.ndarray:
    """Converted score rounded half up to 2 decimals, as integer hundredths (NaN kept)."""
    # Snap binary noise first (76.615 * 100 is 7661.4999...), then round half up.
    return np.floor(np.round(converted * 100.0, 6) + 0.5)


def _grade_arrays(converted: np.ndarray) -> tuple[np.ndarray, ...]:
    cents = _cents(np.asarray(converted, dtype="float64"))
    bad = ~np.isnan(cents) & ((cents < 2500) | (cents > 10000))
    if bad.any():
        raise ValueError(
            "A converted IKM must lie in [25, 100] (IKM 1-4 times 25), but "
            f"{np.asarray(converted)[bad][0]!r} was passed. Pass scale='index' for scores "
            "on the 1-4 scale."
        )
    lows = np.array([round(low * 100) for _, low, _, _ in IKM_GRADES])
    # index of the first band whose lower bound the score reaches (bands are descending)
    idx = np.argmax(cents[:, None] >= lows[None, :], axis=1)
    missing = np.isnan(cents)
    pick = np.array([g[0] for g in IKM_GRADES], dtype=object)
    grade = np.where(missing, None, pick[idx])
    lab_id = np.where(missing, None, np.array([g[2] for g in IKM_GRADES], dtype=object)[idx])
    lab_en = np.where(missing, None, np.array([g[3] for g in IKM_GRADES], dtype=object)[idx])
    return cents / 100.0, grade, lab_id, lab_en


def ikm_grade(score, *, scale: str = "converted"):
    """Grade (A-D) and performance label of an IKM score, per PermenPANRB 14/2017.

    Parameters
    ----------
    score : float or array-like
        Converted IKM (25-100) or, with ``scale="index"``, the IKM on the 1-4 scale.
        Missing values give a missing grade.
    scale : {"converted", "index"}
        Scale of ``score``; ``"index"`` multiplies by 25 first.

    Returns
    -------
    IkmGrade or pandas.DataFrame
        For a scalar, a named tuple ``(score_rounded, grade, label_id, label_en)``; for an
        array, a DataFrame with columns ``score, score_rounded, grade, label_id, label_en``.

    Raises
    ------
    ValueError
        If a converted score lies outside [25, 100].

    Notes
    -----
    The grade is read from the converted value rounded **half up** to 2 decimals:

    =====  ===============  ===============  ===========
    grade  converted IKM    IKM (1-4)        label
    =====  ===============  ===============  ===========
    A      88.31 - 100.00   3.5324 - 4.00    Sangat baik
    B      76.61 - 88.30    3.0644 - 3.532   Baik
    C      65.00 - 76.60    2.60 - 3.064     Kurang baik
    D      25.00 - 64.99    1.00 - 2.5996    Tidak baik
    =====  ===============  ===============  ===========

    Rounding half up is what a hand calculation and a spreadsheet's ``ROUND`` do, so
    88.305 becomes 88.31 and grade A. ``numpy.round`` and ``pandas.Series.round`` round
    half to *even* (88.305 becomes 88.30, grade B), and Python's ``round`` works on the
    binary value (76.615 is stored as 76.61499..., giving 76.61 where a person writes
    76.62): the toolkit removes the binary noise at the sixth decimal of the percentage
    before rounding, so that the decimal number written in a report decides.

    References
    ----------
    Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
    Masyarakat Unit Penyelenggara Pelayanan Publik, Lampiran (nilai persepsi, interval,
    mutu pelayanan).

    Examples
    --------
    >>> ikm_grade(91.48)
    IkmGrade(score_rounded=91.48, grade='A', label_id='Sangat baik', label_en='Very good')
    >>> ikm_grade(3.2, scale="index").grade
    'B'
    >>> ikm_grade([64.99, 65.0, 76.6, 76.61, 88.3, 88.305])[["score_rounded", "grade"]]
       score_rounded grade
    0          64.99     D
    1          65.00     C
    2          76.60     C
    3          76.61     B
    4          88.30     B
    5          88.31     A
    """
    check_one_of("scale", scale, ("converted", "index"))
    scalar = np.ndim(score) == 0
    values = np.atleast_1d(np.asarray(score, dtype="float64"))
    if scale == "index":
        values = values * 25.0
    rounded, grade, lab_id, lab_en = _grade_arrays(values)
    if scalar:
        return IkmGrade(float(rounded[0]), grade[0], lab_id[0], lab_en[0])
    return pd.DataFrame(
        {
            "score": values,
            "score_rounded": rounded,
            "grade": pd.array(grade, dtype="str"),
            "label_id": pd.array(lab_id, dtype="str"),
            "label_en": pd.array(lab_en, dtype="str"),
        }
    )


# ---------------------------------------------------------------------------------------
# weights and the one-pass grouped sums


def _weights(weights, elements: list[str]) -> tuple[np.ndarray, str]:
    k = len(elements)
    if isinstance(weights, str):
        check_one_of("weights", weights, WEIGHTS)
        if weights == "exact":
            return np.full(k, 1.0 / k), "exact"
        digits = 2 if weights == "literal" else 3
        w = round(1.0 / k, digits)
        total = w * k
        if abs(total - 1.0) > 1e-12:
            warnings.warn(
                f"weights={weights!r} uses the rounded weight {w:.{digits}f} for each of the "
                f"{k} elements; they sum to {total:.{digits}f}, not 1, so the converted IKM "
                f"cannot exceed {100 * total:.{digits - 1}f} and every score is "
                f"{100 * abs(1 - total):.{digits - 1}f}% off. Use weights='exact' (1/k) "
                "unless you must reproduce a report that used the rounded weight.",
                UserWarning,
                stacklevel=3,
            )
        return np.full(k, w), weights
    if not isinstance(weights, Mapping):
        raise TypeError(
            "`weights` must be 'exact', 'literal' or a mapping {element: weight}, but "
            f"{type(weights).__name__} was passed."
        )
    missing = [e for e in elements if e not in weights]
    extra = [e for e in weights if e not in elements]
    if missing or extra:
        raise ValueError(
            f"`weights` must give one weight for each element {elements}; missing "
            f"{missing}, unknown {extra}."
        )
    w = np.array([float(weights[e]) for e in elements])
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError(f"`weights` must be non-negative numbers, but {dict(weights)} was passed.")
    if abs(w.sum() - 1.0) > 1e-6:
        raise ValueError(
            f"`weights` must sum to 1 (PermenPANRB 14/2017), but they sum to {w.sum():.6g}. "
            "Divide each weight by their total."
        )
    return w, "custom"


def _tally(s: pd.Series, group: np.ndarray, keep: np.ndarray, n_groups: int):
    """Answers 0 (none) … 4 per group of an integer element column, and which rows are
    answered; None for other dtypes. Raises the general path's error for a value off 1–4.
    """
    if not pd.api.types.is_integer_dtype(s.dtype):
        return None, None
    missing = s.isna().to_numpy()
    values = s.to_numpy(dtype=np.int64, na_value=0)
    if not keep.all():
        missing, values = missing[keep], values[keep]
    bad = ~missing & ((values < 1) | (values > 4))
    if bad.any():
        raise ValueError(
            f"IKM element {s.name!r} must hold whole numbers 1-4 (or be empty when not "
            f"answered), but {int(bad.sum())} value(s) are not, e.g. {values[bad][0]:g}."
        )
    tally = np.bincount(group * 5 + values, minlength=5 * n_groups).reshape(n_groups, 5)
    return tally, ~missing


def _sums_counts(df: pd.DataFrame, elements: list[str], by: list[str]):
    """Per group: respondents (at least one answer, all answers), sums and counts of answers."""
    group, keys = group_codes(df, by)
    keep = group >= 0
    if not keep.all():
        group = group[keep]
    n_groups = len(keys)
    sums = np.empty((n_groups, len(elements)))
    counts = np.empty((n_groups, len(elements)))
    n_answers = np.zeros(int(keep.sum()), dtype=np.int64)
    for j, col in enumerate(elements):  # one pass per element column, all groups at once
        tally, answered = _tally(df[col], group, keep, n_groups)
        if tally is not None:  # whole numbers: one integer bincount of group x answer
            counts[:, j] = tally[:, 1:].sum(axis=1)
            sums[:, j] = tally @ np.arange(5)
            n_answers += answered
            continue
        values = df[col].to_numpy(dtype="float64", na_value=np.nan)
        if not keep.all():
            values = values[keep]
        answered = ~np.isnan(values)
        bad = answered & ((values < 1) | (values > 4) | (values != np.floor(values)))
        if bad.any():
            raise ValueError(
                f"IKM element {col!r} must hold whole numbers 1-4 (or be empty when not "
                f"answered), but {int(bad.sum())} value(s) are not, e.g. {values[bad][0]:g}."
            )
        sums[:, j] = group_sums(group, n_groups, np.where(answered, values, 0.0))
        counts[:, j] = group_sums(group, n_groups, answered)
        n_answers += answered
    n = np.bincount(group[n_answers > 0], minlength=n_groups)
    n_complete = np.bincount(group[n_answers == len(elements)], minlength=n_groups)
    return keys, n, n_complete, sums, counts


def _check(df, by, elements) -> tuple[list[str], list[str]]:
    by = check_columns(df, by, param="by")
    elements = list(DEFAULT_ELEMENTS) if elements is None else as_list(elements)
    if not elements:
        raise ValueError("`elements` must name at least one element column, e.g. ['u1', 'u2'].")
    check_columns(df, elements, param="elements")
    return by, elements


# ---------------------------------------------------------------------------------------
# public functions


def ikm(df: pd.DataFrame, *, by=None, weights="exact", elements=None) -> pd.DataFrame:
    """Public satisfaction index (IKM) per PermenPANRB 14/2017, per group in one pass.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per respondent (table ``ikm_responses``), one column per element with
        answers 1 (tidak baik) to 4 (sangat baik); empty when the element was not answered.
    by : str or list of str, optional
        Columns to compute the index for, e.g. ``["unit_id", "period"]``. All groups are
        computed in one vectorised pass; rows with a missing key are left out.
    weights : {"exact", "literal", "report_0111"} or mapping, default "exact"
        ``"exact"``: 1/k for each of the k elements, as the regulation defines the weight
        (bobot nilai rata-rata tertimbang = jumlah bobot / jumlah unsur = 1/9). The
        regulation then prints it rounded, and published survey reports copy a rounding:
        ``"literal"`` uses 2 decimals (0.11 for nine elements: they sum to 0.99, capping the
        converted index at 99) and ``"report_0111"`` 3 decimals (0.111: they sum to 0.999,
        capping it at 99.9, the weight most survey reports print). Both warn; use them only
        to reproduce a published figure. A mapping ``{element: weight}`` gives unequal
        weights, which must sum to 1.
    elements : list of str, optional
        Element columns; the nine of the regulation (``u1`` ... ``u9``) by default. Units
        that add elements list them here.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``n`` (respondents who answered at least
        one element; a blank form does not count), ``n_complete`` (respondents who
        answered every element), ``nrr_<element>`` (the element's average score), ``ikm``
        (1-4), ``converted`` (25-100), ``grade``, ``label_id``, ``label_en`` and
        ``weights`` ("exact", "literal", "report_0111" or "custom").

    Notes
    -----
    For element :math:`j` answered by :math:`n_j` respondents,

    .. math:: \\mathrm{NRR}_j = \\frac{1}{n_j}\\sum_{i \\text{ answered } j} x_{ij},\\qquad
              \\mathrm{IKM} = \\sum_j w_j\\,\\mathrm{NRR}_j,\\qquad
              \\mathrm{IKM}_{25} = 25\\,\\mathrm{IKM}.

    Missing data: each element's average uses the respondents who answered that element,
    so a skipped question does not drop the respondent's other answers. A group in which
    nobody answered some element has no IKM (missing), since the weights would no longer
    sum to 1. The grade is that of :func:`ikm_grade` (converted value rounded half up to
    2 decimals).

    Rounding trap: with the printed weight 0,11 and nine elements,
    :math:`9 \\times 0.11 = 0.99`, so :math:`\\Sigma\\mathrm{NRR} = 32.9311` gives 90.56
    instead of 91.48 and no unit can reach 100.

    References
    ----------
    Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
    Masyarakat Unit Penyelenggara Pelayanan Publik, Lampiran.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"unit_id": ["U01", "U01", "U02"],
    ...                    **{f"u{j}": [4, 3, 2] for j in range(1, 10)}})
    >>> df.loc[0, "u9"] = None      # one respondent skipped element 9
    >>> out = ikm(df, by="unit_id")
    >>> out[["unit_id", "n", "nrr_u1", "nrr_u9", "converted", "grade", "label_id"]]
      unit_id  n  nrr_u1  nrr_u9  converted grade     label_id
    0     U01  2     3.5     3.0  86.111111     B         Baik
    1     U02  1     2.0     2.0  50.000000     D   Tidak baik
    """
    by, elements = _check(df, by, elements)
    w, kind = _weights(weights, elements)
    keys, n, n_complete, sums, counts = _sums_counts(df, elements, by)
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = np.where(counts > 0, sums / np.where(counts > 0, counts, 1), np.nan)
    index = nrr @ w
    converted = 25.0 * index
    _, grade, lab_id, lab_en = _grade_arrays(converted)
    out = keys.copy()
    out["n"] = n
    out["n_complete"] = n_complete
    for j, col in enumerate(elements):
        out[f"nrr_{col}"] = nrr[:, j]
    out["ikm"] = index
    out["converted"] = converted
    out["grade"] = pd.array(grade, dtype="str")
    out["label_id"] = pd.array(lab_id, dtype="str")
    out["label_en"] = pd.array(lab_en, dtype="str")
    out["weights"] = kind
    return out


def ikm_elements(df: pd.DataFrame, *, by=None, elements=None) -> pd.DataFrame:
    """Per-element table of the IKM: average (NRR), converted value and grade of each element.

    Parameters
    ----------
    df, by, elements
        As in :func:`ikm`.

    Returns
    -------
    pandas.DataFrame
        One row per group and element: the ``by`` columns, ``element``, ``name_id``,
        ``name_en``, ``n_answered``, ``nrr`` (1-4), ``converted`` (``25 * nrr``), ``grade``,
        ``label_id`` and ``label_en``. An element nobody answered has missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({f"u{j}": [4, 3] for j in range(1, 10)}).assign(u3=[2, 2])
    >>> ikm_elements(df).loc[1:3, ["element", "name_id", "nrr", "grade"]]
      element                          name_id  nrr grade
    1      u2  Sistem, Mekanisme, dan Prosedur  3.5     B
    2      u3               Waktu Penyelesaian  2.0     D
    3      u4                      Biaya/Tarif  3.5     B
    """
    by, elements = _check(df, by, elements)
    keys, _, _, sums, counts = _sums_counts(df, elements, by)
    k = len(elements)
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = np.where(counts > 0, sums / np.where(counts > 0, counts, 1), np.nan)
    _, grade, lab_id, lab_en = _grade_arrays(25.0 * nrr.ravel())
    out = keys.loc[np.repeat(np.arange(len(keys)), k)].reset_index(drop=True)
    out["element"] = np.tile(np.array(elements, dtype=object), len(keys))
    out["element"] = out["element"].astype("str")
    out["name_id"] = out["element"].map(lambda e: _NAMES.get(e, (e, e))[0])
    out["name_en"] = out["element"].map(lambda e: _NAMES.get(e, (e, e))[1])
    out["n_answered"] = counts.ravel().astype(np.int64)
    out["nrr"] = nrr.ravel()
    out["converted"] = 25.0 * nrr.ravel()
    out["grade"] = pd.array(grade, dtype="str")
    out["label_id"] = pd.array(lab_id, dtype="str")
    out["label_en"] = pd.array(lab_en, dtype="str")
    return out


def ikm_priorities(df: pd.DataFrame, *, by=None, elements=None, n_lowest: int = 3) -> pd.DataFrame:
    """Flag the elements to improve first: the lowest-scoring ones and any below grade B.

    Parameters
    ----------
    df, by, elements
        As in :func:`ikm`.
    n_lowest : int, default 3
        How many of the lowest elements of each group to flag.

    Returns
    -------
    pandas.DataFrame
        The table of :func:`ikm_elements` sorted from the lowest element within each group,
        with ``rank`` (1 = lowest NRR; ties share the lower rank) and ``priority``: True for
        the ``n_lowest`` lowest elements and for every element graded C or D.

    Notes
    -----
    PermenPANRB 14/2017 asks units to follow up the survey by improving the elements with
    the lowest scores first; an element below 76.61 (converted), i.e. below "Baik", is a
    priority whatever its rank.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({f"u{j}": [4, 4] for j in range(1, 10)}).assign(u3=[2, 3], u7=[3, 4])
    >>> ikm_priorities(df, n_lowest=2)[["element", "nrr", "grade", "rank", "priority"]].head(3)
      element  nrr grade  rank  priority
    0      u3  2.5     D     1      True
    1      u7  3.5     B     2      True
    2      u1  4.0     A     3     False
    """
    n_lowest = int(check_number("n_lowest", n_lowest, low=0))
    by_cols, _ = _check(df, by, elements)
    table = ikm_elements(df, by=by, elements=elements)
    if by_cols:
        ranks = table.groupby(by_cols, observed=True, sort=False)["nrr"].rank(method="min")
    else:
        ranks = table["nrr"].rank(method="min")
    table["rank"] = ranks.astype("Int64")
    table["priority"] = (
        ((table["rank"] <= n_lowest) | table["grade"].isin(["C", "D"])).fillna(False).astype(bool)
    )
    table = table.sort_values([*by_cols, "rank"], kind="stable", na_position="last")
    return table.reset_index(drop=True)


def ikm_panel(
    responses: pd.DataFrame,
    *,
    units: pd.DataFrame | None = None,
    unit: str = "unit_id",
    period: str = "period",
    weights="exact",
    elements: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Unit x period IKM, ready for :func:`did` and :func:`event_study`.

    Parameters
    ----------
    responses : pandas.DataFrame
        Table ``ikm_responses``.
    units : pandas.DataFrame, optional
        Table ``units``; when given, its ``trained`` and ``first_trained_period`` columns
        are joined and the treatment timing is derived.
    unit, period : str
        Key columns.
    weights, elements
        As in :func:`ikm`.

    Returns
    -------
    pandas.DataFrame
        One row per unit and period: ``unit``, ``period``, ``t`` (consecutive integer of the
        quarter, see :func:`period_index`), ``n`` (respondents), ``ikm``, ``converted``;
        with ``units`` also ``treated`` (bool, ever trained), ``first_treated`` (integer
        quarter of first training, missing if never) and ``treated_post`` (bool, trained
        by this period).

    Examples
    --------
    >>> import pandas as pd
    >>> responses = pd.DataFrame({"unit_id": ["U01", "U01", "U02", "U02"],
    ...                           "period": ["2024Q1", "2024Q2"] * 2,
    ...                           **{f"u{j}": [3, 4, 3, 3] for j in range(1, 10)}})
    >>> units = pd.DataFrame({"unit_id": ["U01", "U02"], "trained": [True, False],
    ...                       "first_trained_period": ["2024Q2", None]})
    >>> ikm_panel(responses, units=units)[["unit_id", "period", "converted", "treated_post"]]
      unit_id  period  converted  treated_post
    0     U01  2024Q1       75.0         False
    1     U01  2024Q2      100.0          True
    2     U02  2024Q1       75.0         False
    3     U02  2024Q2       75.0         False
    """
    from toolkit.impact import period_index

    out = ikm(responses, by=[unit, period], weights=weights, elements=elements)
    out = out[[unit, period, "n", "ikm", "converted"]].copy()
    out.insert(2, "t", period_index(out[period]))
    if units is None:
        return out
    check_columns(units, [unit, "trained", "first_trained_period"], param="units")
    info = units[[unit, "trained", "first_trained_period"]].copy()
    info[unit] = info[unit].astype("str")
    first = period_index(info["first_trained_period"])
    info["first_treated"] = first
    info["treated"] = info["trained"].astype(bool)
    key = out[unit].astype("str")
    merged = pd.DataFrame({unit: key}).merge(info, on=unit, how="left", validate="many_to_one")
    out["treated"] = merged["treated"].fillna(False).astype(bool).to_numpy()
    out["first_treated"] = merged["first_treated"].to_numpy()
    started = out["first_treated"].notna() & (out["t"] >= out["first_treated"])
    out["treated_post"] = started.fillna(False).astype(bool)
    return out


# ---------------------------------------------------------------------------------------
# attribution tables (estimators in toolkit.impact)


def did_table(
    df: pd.DataFrame,
    *,
    outcomes,
    treated: str,
    post: str,
    covariates=None,
    se: str = "conventional",
    cluster: str | None = None,
) -> pd.DataFrame:
    """Baseline means, the two first differences and the second difference (as ``ieddtab``).

    Parameters
    ----------
    df : pandas.DataFrame
        Observations with the outcome(s), a 0/1 ``treated`` and a 0/1 ``post`` column.
    outcomes : str or list of str
        One table row per outcome.
    treated, post, covariates, se, cluster
        As in :func:`did` (``se`` defaults to conventional, as ``ieddtab``).

    Returns
    -------
    pandas.DataFrame
        One row per outcome: ``outcome``; ``control_baseline_mean, control_baseline_se,
        control_baseline_n, control_first_diff, control_first_diff_se, control_n``; the
        same six for ``treatment_``; ``second_diff, second_diff_se, second_diff_p_value,
        n, se_type``.

    Notes
    -----
    Following ``ieddtab`` (World Bank DIME, ietoolkit), the sample of each row is that of
    the second-difference regression ``y ~ post + treated + post:treated + covariates``;
    the baseline means are means of ``y`` at ``post == 0`` in each group (robust SEs are
    not applied to them, clustered ones are); the first differences are the coefficients
    of ``post`` in ``y ~ post + covariates`` within each group. Without covariates the
    second difference equals treatment's first difference minus control's.

    References
    ----------
    Bjarkefur, K., Cardoso de Andrade, L. et al. ietoolkit: ``ieddtab``. World Bank DIME
    Analytics, https://github.com/worldbank/ietoolkit

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [10, 11, 12, 13, 20, 21, 25, 27],
    ...                    "treated": [0, 0, 0, 0, 1, 1, 1, 1],
    ...                    "post": [0, 0, 1, 1, 0, 0, 1, 1]})
    >>> t = did_table(df, outcomes="y", treated="treated", post="post")
    >>> t[["control_baseline_mean", "control_first_diff", "treatment_first_diff", "second_diff"]]
       control_baseline_mean  control_first_diff  treatment_first_diff  second_diff
    0                   10.5                 2.0                   5.5          3.5
    """
    from toolkit.impact import _SE_LABEL, _binary, _fit, _prepare, _tidy

    covs = as_list(covariates)
    rows = []
    for outcome in as_list(outcomes):
        data, clusters, _ = _prepare(
            df,
            [outcome, treated, post, *covs],
            se=se,
            cluster=cluster,
            unit=None,
            confidence=0.95,
        )
        y = data[outcome].to_numpy(dtype="float64")
        tr = _binary(data[treated], "treated")
        po = _binary(data[post], "post")
        cx = data[covs].to_numpy(dtype="float64") if covs else np.empty((len(y), 0))
        one = np.ones(len(y))

        def fit(mask, X, names, kind, y=y, clusters=clusters):
            sub = (clusters[0][mask], clusters[1]) if clusters else None
            return _fit(y[mask], X[mask], names, se=kind, clusters=sub)

        everyone = np.ones(len(y), dtype=bool)
        design = np.column_stack([one, po, tr, po * tr, cx])
        full = fit(everyone, design, ["c", "post", "treated", "did", *covs], se)
        row = {"outcome": outcome}
        for label, g in (("control", 0.0), ("treatment", 1.0)):
            m = tr == g
            fd = fit(m, np.column_stack([one, po, cx]), ["c", "post", *covs], se)
            b = m & (po == 0)
            base = fit(b, one[:, None], ["c"], "cluster" if clusters else "conventional")
            row[f"{label}_baseline_mean"] = base.beta[0]
            row[f"{label}_baseline_se"] = float(np.sqrt(base.cov[0, 0]))
            row[f"{label}_baseline_n"] = int(b.sum())
            row[f"{label}_first_diff"] = fd.beta[1]
            row[f"{label}_first_diff_se"] = float(np.sqrt(fd.cov[1, 1]))
            row[f"{label}_n"] = int(m.sum())
        tidy = _tidy(full, ["did"], confidence=0.95, method="")
        row.update(
            second_diff=tidy["estimate"].iloc[0],
            second_diff_se=tidy["se"].iloc[0],
            second_diff_p_value=tidy["p_value"].iloc[0],
            n=len(y),
            se_type=_SE_LABEL[se],
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _mean_sd(x: np.ndarray) -> tuple[float, float]:
    """Mean and SD (ddof 1), NaN without a warning when there are too few values."""
    return (float(x.mean()) if len(x) else np.nan), (float(x.std(ddof=1)) if len(x) > 1 else np.nan)


@dataclass(frozen=True)
class BalanceTable:
    """Result of :func:`balance_table`: per-variable ``table`` and the ``joint`` F-test."""

    table: pd.DataFrame
    joint: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The per-variable table."""
        return self.table.copy()


def balance_table(
    df: pd.DataFrame,
    *,
    group: str,
    variables,
    treatment=None,
    se: str = "conventional",
    cluster: str | None = None,
) -> BalanceTable:
    """Balance of trained vs comparison units on baseline characteristics (as ``iebaltab``).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit (or observation) before training.
    group : str
        Column with exactly two groups.
    variables : str or list of str
        Numeric characteristics to compare.
    treatment : object, optional
        The value of ``group`` that marks the trained group; by default ``True``/``1`` if
        present, else the second of the sorted values.
    se : {"conventional", "robust", "cluster"}, default "conventional"
        Covariance for the t-tests and the F-test (``iebaltab``'s ``vce()``).
    cluster : str, optional
        Cluster column for ``se="cluster"``.

    Returns
    -------
    BalanceTable
        ``table``: one row per variable with ``variable, n_control, mean_control,
        sd_control, n_treatment, mean_treatment, sd_treatment, difference, se, p_value,
        normalized_difference``; ``joint``: ``statistic, df1, df2, p_value, n, se_type,
        method`` of the joint F-test.

    Notes
    -----
    ``difference`` is treatment minus control mean; its p-value comes from the regression
    of the variable on a treatment dummy (with ``se="conventional"``, the equal-variance
    t-test). The normalised difference (Imbens and Rubin 2015, eq. 14.1) is
    :math:`(\\bar x_1 - \\bar x_0) / \\sqrt{(s_1^2 + s_0^2)/2}`; beyond about 0.25 in
    absolute value, regression adjustment is sensitive to the model. The joint test
    regresses the treatment dummy on all variables and tests that every slope is zero
    (``reg tmt vars`` then ``testparm vars``), on rows complete in all variables. Each
    variable's own row uses the rows where it is present; a variable with no value in one
    group gets a missing difference, SE and p-value, and the joint test is left missing
    when either group has no row complete in every variable (its ``method`` says so).

    References
    ----------
    Imbens, G. W., & Rubin, D. B. (2015). *Causal Inference for Statistics, Social, and
    Biomedical Sciences*. Cambridge University Press. doi:10.1017/CBO9781139025751
    World Bank DIME Analytics, ietoolkit ``iebaltab``, https://github.com/worldbank/ietoolkit

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"trained": [True, True, True, False, False, False],
    ...                       "staff": [10, 12, 14, 9, 10, 11]})
    >>> bt = balance_table(units, group="trained", variables="staff")
    >>> bt.table[["variable", "mean_control", "mean_treatment", "difference",
    ...           "normalized_difference"]]
      variable  mean_control  mean_treatment  difference  normalized_difference
    0    staff          10.0            12.0         2.0               1.264911
    """
    from toolkit.impact import _SE_LABEL, SE_TYPES, _fit, _prepare, _tidy, _wald

    variables = as_list(variables)
    check_one_of("se", se, SE_TYPES)
    check_columns(df, [group, *variables])
    levels = pd.unique(df[group].dropna())
    if len(levels) != 2:
        raise ValueError(f"`group` must have exactly 2 values, but {group!r} has {len(levels)}.")
    if treatment is None:
        ordered = sorted(levels.tolist())
        treatment = next((v for v in ordered if v is True or v == 1), ordered[1])
    check_one_of("treatment", treatment, levels.tolist())
    rows = []
    for var in variables:
        data, clusters, _ = _prepare(
            df, [group, var], se=se, cluster=cluster, unit=None, confidence=0.95
        )
        x = data[var].to_numpy(dtype="float64")
        t = (data[group] == treatment).to_numpy(dtype="float64")
        x0, x1 = x[t == 0], x[t == 1]
        (m0, s0), (m1, s1) = _mean_sd(x0), _mean_sd(x1)
        se_t, p_t = np.nan, np.nan
        if len(x0) and len(x1):  # a test needs both groups
            X = np.column_stack([np.ones(len(x)), t])
            res = _tidy(_fit(x, X, ["c", "t"], se=se, clusters=clusters), ["t"],
                        confidence=0.95, method="")  # fmt: skip
            se_t, p_t = res["se"].iloc[0], res["p_value"].iloc[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            nd = (m1 - m0) / np.sqrt((s0**2 + s1**2) / 2)
        rows.append({
            "variable": var, "n_control": len(x0), "mean_control": m0, "sd_control": s0,
            "n_treatment": len(x1), "mean_treatment": m1, "sd_treatment": s1,
            "difference": m1 - m0, "se": se_t, "p_value": p_t, "normalized_difference": nd,
        })  # fmt: skip
    data, clusters, _ = _prepare(
        df, [group, *variables], se=se, cluster=cluster, unit=None, confidence=0.95
    )
    t = (data[group] == treatment).to_numpy(dtype="float64")
    method = "F-test: treatment dummy regressed on all variables (iebaltab ftest)"
    if 0 < t.sum() < len(t) and len(t) > len(variables) + 1:
        X = np.column_stack([np.ones(len(t)), data[variables].to_numpy(dtype="float64")])
        f, q, df2, p = _wald(_fit(t, X, ["c", *variables], se=se, clusters=clusters), variables)
    else:  # one group has no row complete in every variable, or too few rows
        f, q, df2, p = np.nan, len(variables), np.nan, np.nan
        method += "; not computed: too few rows complete in every variable in both groups"
    joint = pd.DataFrame({
        "statistic": [f], "df1": [q], "df2": [df2], "p_value": [p], "n": [len(t)],
        "se_type": [_SE_LABEL[se]], "method": [method],
    })  # fmt: skip
    return BalanceTable(pd.DataFrame(rows), joint)
