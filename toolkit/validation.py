"""Argument checks shared by every public function.

One place produces the "must be one of …, but … was passed" messages, so that every
function in the toolkit speaks the same way about bad arguments. Data problems in the
user's *files* are reported differently, through :class:`toolkit.data.DataError`.

Examples
--------
>>> check_one_of("alternative", "two-sided", ("two-sided", "less", "greater"))
'two-sided'
>>> check_one_of("alternative", "both", ("two-sided", "less", "greater"))
Traceback (most recent call last):
...
ValueError: `alternative` must be one of 'two-sided', 'less', 'greater', but 'both' was passed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = [
    "check_columns",
    "check_number",
    "check_one_of",
    "closest",
    "as_list",
]


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """Return the candidate closest to ``name``, or None when nothing is similar.

    Comparison ignores case, surrounding blanks and the difference between spaces,
    hyphens and underscores, so that ``"Unit ID"`` finds ``"unit_id"``.

    Examples
    --------
    >>> closest("partcipant_id", ["participant_id", "session_id"])
    'participant_id'
    >>> closest("Unit ID", ["unit_id", "unit_name"])
    'unit_id'
    >>> closest("zzz", ["unit_id"]) is None
    True
    """
    candidates = list(candidates)

    def norm(s: str) -> str:
        return str(s).strip().lower().replace(" ", "_").replace("-", "_")

    lookup = {norm(c): c for c in candidates}
    if norm(name) in lookup:
        return lookup[norm(name)]
    match = difflib.get_close_matches(norm(name), list(lookup), n=1, cutoff=cutoff)
    return lookup[match[0]] if match else None


def _quote_all(values: Iterable[object]) -> str:
    return ", ".join(repr(v) for v in values)


def check_one_of(param: str, value: object, allowed: Sequence[object]) -> object:
    """Return ``value`` if it is one of ``allowed``; raise a ValueError naming the fix otherwise.

    Parameters
    ----------
    param : str
        Name of the parameter, as the user typed it.
    value : object
        The value received.
    allowed : sequence
        The accepted values, in the order they should be listed.

    Returns
    -------
    object
        ``value`` unchanged.

    Raises
    ------
    ValueError
        Listing the accepted values and, for strings, the closest one.
    """
    if value in allowed:
        return value
    hint = ""
    if isinstance(value, str):
        near = closest(value, [a for a in allowed if isinstance(a, str)])
        if near is not None:
            hint = f" Did you mean {near!r}?"
    raise ValueError(
        f"`{param}` must be one of {_quote_all(allowed)}, but {value!r} was passed.{hint}"
    )


def check_number(
    param: str,
    value: float,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Check that ``value`` is a real number inside the given bounds.

    Examples
    --------
    >>> check_number("confidence", 0.95, low=0, high=1, low_open=True, high_open=True)
    0.95
    >>> check_number("confidence", 95, low=0, high=1, low_open=True, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: `confidence` must be a number in (0, 1), but 95 was passed.
    """
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    bounds = f"{lo}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi}"
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        raise ValueError(f"`{param}` must be a number in {bounds}, but {value!r} was passed.")
    return value


def as_list(value: str | Sequence[str] | None) -> list[str]:
    """Normalise a column name or a list of names (or None) to a list.

    Examples
    --------
    >>> as_list("unit_id"), as_list(["a", "b"]), as_list(None)
    (['unit_id'], ['a', 'b'], [])
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def check_columns(df, columns: str | Sequence[str] | None, *, param: str = "columns") -> list[str]:
    """Check that every named column is in ``df``; suggest the closest name when one is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> check_columns(pd.DataFrame({"unit_id": [1]}), "unit_id", param="by")
    ['unit_id']
    >>> check_columns(pd.DataFrame({"unit_id": [1]}), "unit", param="by")
    Traceback (most recent call last):
    ...
    KeyError: "`by` names column 'unit', which is not in the data. Did you mean 'unit_id'?"
    """
    names = as_list(columns)
    present = [str(c) for c in df.columns]
    for name in names:
        if name not in df.columns:
            near = closest(name, present)
            hint = f" Did you mean {near!r}?" if near else f" Available: {_quote_all(present)}."
            raise KeyError(f"`{param}` names column {name!r}, which is not in the data.{hint}")
    return names
