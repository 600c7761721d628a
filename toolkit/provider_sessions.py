"""One row per session: cost, reach, JP delivered, learning gain and trainer ratings.

:func:`session_table` is the input of every provider comparison in :mod:`toolkit.providers`
(which re-exports it: import it from either module).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.learning import prepost_scores
from toolkit.roi import fully_loaded_costs
from toolkit.schema import NA_CODE
from toolkit.validation import as_list, check_columns, check_one_of

__all__ = ["BUDGET_CATEGORIES", "session_table"]

#: Cost categories paid from the training budget for a session (cash, not staff time).
BUDGET_CATEGORIES = ("facilitator_fees", "materials", "venue_catering", "travel_accommodation")


def session_table(
    costs: pd.DataFrame,
    enrollments: pd.DataFrame,
    sessions: pd.DataFrame,
    *,
    tests: pd.DataFrame | None = None,
    reaction: pd.DataFrame | None = None,
    trainer_item: str = "R03",
    categories="budget",
    na_code: int = NA_CODE,
) -> pd.DataFrame:
    """One row per session: cost, reach, JP delivered, learning gain and trainer ratings.

    Parameters
    ----------
    costs, enrollments, sessions : DataFrame
        The tables of the data model.
    tests : DataFrame, optional
        Long pre/post answers; gains are post − pre percent correct per participant
        (:func:`toolkit.learning.prepost_scores`, unanswered items counted wrong).
    reaction : DataFrame, optional
        Long reaction answers; the ``trainer_item`` answers on the scale are kept ("tidak
        tahu" ``na_code`` and empty answers are left out).
    trainer_item : str
        Item code of the trainer (narasumber) rating.
    categories : {"budget", "all"} or list of str
        Session-level cost categories to count (see the module docstring).

    Returns
    -------
    DataFrame
        ``session_id, program, method, provider, schedule, jp, cost_idr, fee_idr,
        travel_idr, n_enrolled, n_attended, n_completed, jp_delivered, n_tested, gain_sum,
        n_rated, rating_sum``. Sums, not means, so that groups are pooled correctly.

    Examples
    --------
    >>> ses = pd.DataFrame({"session_id": ["S1"], "program": "p", "method": "workshop",
    ...                     "provider": "internal", "schedule": "office_hours", "jp": [10]})
    >>> enr = pd.DataFrame({"participant_id": ["a", "b"], "session_id": "S1",
    ...                     "attended_jp": [10.0, 0.0], "completed": [True, False]})
    >>> cst = pd.DataFrame({"session_id": "S1", "program": "p",
    ...                     "category": ["facilitator_fees", "participant_salaries"],
    ...                     "amount_idr": [3_500_000, 375_000]})
    >>> session_table(cst, enr, ses)[["cost_idr", "fee_idr", "n_attended", "jp_delivered"]]
        cost_idr    fee_idr  n_attended  jp_delivered
    0  3500000.0  3500000.0           1          10.0
    """
    check_columns(sessions, ["session_id", "program", "method", "provider", "jp"], param="sessions")
    check_columns(
        enrollments,
        ["participant_id", "session_id", "attended_jp", "completed"],
        param="enrollments",
    )
    if isinstance(categories, str):
        check_one_of("categories", categories, ("budget", "all"))
    sid = sessions["session_id"].astype("str")
    out = pd.DataFrame({"session_id": sid.to_numpy()})
    for col in ("program", "method", "provider", "schedule", "jp"):
        if col in sessions.columns:
            out[col] = sessions[col].to_numpy()
    lines = fully_loaded_costs(costs, by="session_id")
    lines = lines[lines["session_id"].notna() & (lines["category"] != "total")]
    wide = lines.pivot_table(
        index="session_id", columns="category", values="amount_idr", aggfunc="sum", observed=True
    )
    if isinstance(categories, str):
        cats = list(BUDGET_CATEGORIES) if categories == "budget" else list(wide.columns)
    else:
        cats = as_list(categories)
    wide = wide.reindex(index=sid, columns=sorted(set(wide.columns) | set(cats)), fill_value=0.0)
    wide = wide.fillna(0.0)
    out["cost_idr"] = wide[cats].sum(axis=1).to_numpy()
    out["fee_idr"] = wide.get("facilitator_fees", pd.Series(0.0, index=sid)).to_numpy()
    out["travel_idr"] = wide.get("travel_accommodation", pd.Series(0.0, index=sid)).to_numpy()
    enr = enrollments.assign(session_id=enrollments["session_id"].astype("str"))
    att = pd.to_numeric(enr["attended_jp"]).astype(float)
    agg = pd.DataFrame(
        {
            "session_id": enr["session_id"],
            "n_enrolled": 1,
            "n_attended": (att > 0).astype(int),
            "n_completed": enr["completed"].astype("boolean").fillna(False).astype(int),
            "jp_delivered": att,
        }
    ).groupby("session_id", sort=False)[["n_enrolled", "n_attended", "n_completed", "jp_delivered"]]
    out = out.join(agg.sum(), on="session_id")
    if tests is not None and len(tests):
        sc = prepost_scores(tests).dropna(subset=["pre", "post"])
        g = (sc["post"] - sc["pre"]).groupby(sc["session_id"].astype("str")).agg(["size", "sum"])
        out = out.join(g.rename(columns={"size": "n_tested", "sum": "gain_sum"}), on="session_id")
    if reaction is not None and len(reaction):
        r = reaction.loc[reaction["item_code"].astype("str") == trainer_item]
        v = pd.to_numeric(r["response"]).astype(float)
        ok = v.notna() & (v != na_code)
        g = v[ok].groupby(r.loc[ok, "session_id"].astype("str")).agg(["size", "sum"])
        out = out.join(g.rename(columns={"size": "n_rated", "sum": "rating_sum"}), on="session_id")
    for col in ("n_enrolled", "n_attended", "n_completed", "n_tested", "n_rated"):
        out[col] = out[col].fillna(0).astype(np.int64) if col in out else np.int64(0)
    for col in ("jp_delivered", "gain_sum", "rating_sum"):
        out[col] = out[col].fillna(0.0).astype(float) if col in out else 0.0
    return out
