"""Scoring helpers shared by :mod:`toolkit.behavior` and :mod:`toolkit.transfer`.

Both modules build on the same per-participant behaviour scores; keeping the helpers here
lets :mod:`toolkit.transfer` use them without importing :mod:`toolkit.behavior` (which
re-exports the transfer functions), so the two never import each other.
"""

from __future__ import annotations

import numpy as np

from toolkit.grouping import check_by
from toolkit.validation import as_list, check_columns, check_number, check_one_of

_KEY = ["participant_id", "session_id"]
_REQUIRED = ["participant_id", "session_id", "rater", "wave", "item_code", "rating"]
_RATERS = ("self", "supervisor")
#: Names a `by` column may not take (``method`` is allowed: the result's becomes stat_method).
_RESERVED = {
    *_REQUIRED, "wave_from", "wave_to", "n", "estimate", "ci_low", "ci_high", "driver", "score",
    "slope",
}  # fmt: skip


def _check_each(param, values, allowed):
    values = as_list(values)
    for v in values:
        check_one_of(param, v, allowed)
    return values


def _check_common(df, by, min_items, confidence):
    check_columns(df, _REQUIRED, param="df")
    by = check_by(df, by, reserved=_RESERVED)
    if min_items is not None:
        check_number("min_items", min_items, low=1)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    return by


def _item_sets(df, instruments, items):
    """Return (competency item codes, {driver item: construct})."""
    drivers: dict[str, str] = {}
    if instruments is not None:
        check_columns(instruments, ["item_code", "construct"], param="instruments")
        codes = instruments["item_code"].astype("str")
        construct = instruments["construct"].astype("str")
        is_driver = construct.fillna("").str.startswith("driver_").to_numpy(dtype=bool)
        drivers = dict(zip(codes[is_driver], construct[is_driver], strict=True))
        present = set(df["item_code"].astype("str").unique())
        competency = [c for c in codes[~is_driver] if c in present]
    else:
        competency = sorted(set(df["item_code"].astype("str").unique()))
    if items is not None:
        competency = as_list(items)
    if not competency:
        raise ValueError(
            "No competency items to score: pass `items=` with the item codes, or an "
            "`instruments` table whose behaviour items are in the data."
        )
    return competency, drivers


def _scores(df, codes, *, by, min_items, raters=None, waves=None, counts=False):
    """Per participant × rater × wave score: mean of the items rated, if enough were.

    A Series ``score``; with ``counts=True`` a frame with ``mean`` and ``count`` (items rated).
    """
    code = df["item_code"].astype("str")
    asked = code.isin(codes).to_numpy()
    keep = asked & df["rating"].notna().to_numpy()
    if raters is not None:
        keep &= df["rater"].astype("str").isin(raters).to_numpy()
    if waves is not None:
        keep &= df["wave"].astype("str").isin(waves).to_numpy()
    cols = [*by, *_KEY, "rater", "wave"]
    sub = df.loc[keep, cols].copy()
    sub["rater"] = sub["rater"].astype("str")
    sub["wave"] = sub["wave"].astype("str")
    sub["rating"] = df.loc[keep, "rating"].to_numpy(dtype=float, na_value=np.nan)
    g = sub.groupby(cols, observed=True, sort=False)["rating"].agg(["mean", "count"])
    if min_items is None:  # half the competency items this participant was asked, rounded up
        items = df.loc[asked, [*by, *_KEY]].assign(_item=code[asked])
        n_asked = items.groupby([*by, *_KEY], observed=True)["_item"].nunique()
        need = np.ceil(n_asked.reindex(g.index.droplevel(["rater", "wave"])).to_numpy() / 2)
    else:
        need = int(min_items)
    enough = g["count"].to_numpy() >= need
    return g.loc[enough] if counts else g.loc[enough, "mean"].rename("score")
