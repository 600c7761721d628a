"""Shared pieces of the synthetic-data generator: vectorised helpers and model formulas.

The formulas (behaviour ratings, availability, comment themes) are used both to draw the
data (:mod:`toolkit.synth._levels`) and to compute their population values
(:mod:`toolkit.synth._truth`), so that the two cannot drift apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri

from toolkit.schema import METHODS, NA_CODE, POSITION_TYPES, SCHEDULES
from toolkit.synth import _params as P

NQ = len(P.PERIODS)
E_LEARNING = METHODS.index("e_learning")
OFFICE = SCHEDULES.index("office_hours")
EXECUTOR = POSITION_TYPES.index("executor")


# ----------------------------------------------------------------------------- helpers
def choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category per row of ``probs`` (rows sum to 1), vectorised inverse-CDF draw."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None] * cum[:, -1:]
    return np.minimum((u >= cum).sum(axis=1), probs.shape[1] - 1)


def largest_remainder(n: int, weights: np.ndarray) -> np.ndarray:
    """Split ``n`` into integer counts proportional to ``weights`` (Hamilton's method)."""
    raw = n * np.asarray(weights, float) / np.sum(weights)
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return counts


def ordinal(latent: np.ndarray, thresholds) -> np.ndarray:
    """Number of thresholds below each latent value (0 … len(thresholds))."""
    return np.searchsorted(np.asarray(thresholds, float), latent, side="left").astype(np.int16)


def int16(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.IntegerArray:
    mask = np.zeros(len(values), bool) if missing is None else np.asarray(missing, bool)
    return pd.arrays.IntegerArray(np.asarray(values, np.int16), mask)


def cat(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, np.int64), categories=list(categories))


def ranges(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of the given lengths: the group of every element and its rank inside it."""
    group = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.cumsum(lengths) - lengths
    return group, np.arange(group.size) - starts[group]


def ids(prefix: str, n: int, width: int = 2) -> np.ndarray:
    width = max(width, len(str(n)))
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def scaled(base: int, scale: float, minimum: int) -> int:
    return max(minimum, round(base * scale))


def tau(cumulative) -> np.ndarray:
    """Ordered-probit thresholds: normal quantiles of cumulative probabilities."""
    return ndtri(np.asarray(cumulative, float))


TRAINER = 2  # column of R03 in REACTION_ITEMS


def reaction_mean(method: np.ndarray, provider: np.ndarray) -> np.ndarray:
    """Latent mean of every reaction item (columns in REACTION_ITEMS order) per respondent:
    item intercept, method shift, and the provider shift of the trainer item."""
    mu = P.REACTION_ITEM_MU + P.REACTION_METHOD_SHIFT[np.asarray(method)][:, None]
    mu[:, TRAINER] += P.TRAINER_PROVIDER_SHIFT[np.asarray(provider)]
    return mu


def session_span(rng, day0, schedule, method, jp) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of each session from its earliest day ``day0``.

    Weekend sessions meet on Saturdays a week apart, the others on consecutive working days
    (``JP_PER_DAY`` of the schedule); e-learning stays open 13 or 20 days (the one draw
    from ``rng``) and project-based learning ends ``PROJECT_DAYS`` later.
    """
    weekend = schedule == SCHEDULES.index("weekend")
    start = np.where(
        weekend,
        np.busday_offset(day0, 0, roll="forward", weekmask="Sat"),
        np.busday_offset(day0, 0, roll="forward"),
    )
    days = np.ceil(jp / P.JP_PER_DAY[schedule]).astype(int)
    end = np.where(
        weekend,
        start + (7 * (days - 1)).astype("timedelta64[D]"),
        np.busday_offset(start, days - 1, roll="forward"),
    )
    window = rng.choice([13, 20], size=len(day0)).astype("timedelta64[D]")
    end = np.where(method == E_LEARNING, start + window, end)
    end = np.where(method == METHODS.index("project_based"), end + P.PROJECT_DAYS, end)
    return start, end


def attendance(rng, sched, jp, frontline_exec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Attended JP, absence reason (-1: none) and completion of each invitation.

    Missed hours depend on the schedule, more often for frontline executors in office
    hours; a missed session is skipped whole or attended in part (a Beta share of its JP).
    """
    m = len(sched)
    p_missed = P.P_MISSED[sched] * np.where(
        frontline_exec & (sched == OFFICE), P.FRONTLINE_MISSED_FACTOR, 1.0
    )
    missed = rng.random(m) < p_missed
    zero = missed & (rng.random(m) < P.P_ZERO_GIVEN_MISSED)
    share = rng.beta(*P.PARTIAL_BETA, size=m)
    partial = np.clip(np.floor(share * jp), 1, jp - 1)
    attended = np.where(missed, np.where(zero, 0.0, partial), jp).astype(float)
    reason = np.where(missed, choice_rows(rng, P.REASON_GIVEN_SCHEDULE[sched]), -1)
    completed = (attended >= P.COMPLETION_MIN_SHARE * jp) & (rng.random(m) >= P.P_FAIL_OTHER)
    return attended, reason, completed


def ikm_mean(unit, unit_elem, noise, cohort, q, dose) -> np.ndarray:
    """Mean IKM element score per unit x quarter x element: base, unit and trained-unit
    gap, unit x element, trend and season, noise, and ``dose`` (units x quarters) of the
    training effect."""
    return (
        P.IKM_BASE[None, None, :]
        + (unit + P.IKM_TRAINED_GAP * (cohort >= 0))[:, None, None]
        + unit_elem[:, None, :]
        + (P.IKM_TREND * q + P.IKM_SEASON[q % 4])[None, :, None]
        + noise[:, :, None]
        + dose[:, :, None] * P.IKM_EFFECT[None, None, :]
    )


def reaction_answers(rng, effect, method, provider, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Answers of each respondent to the ``k`` reaction items, and which were skipped.

    ``effect``, ``method`` and ``provider`` are the respondents' session effect, method and
    provider. An ordered-probit model with a session share of the latent variance; the last
    item is the 0–10 "recommend" item; "tidak tahu" (``NA_CODE``) more often for facilities
    and the trainer in e-learning; skipped answers drawn apart (missing, not ``NA_CODE``).
    """
    n = len(effect)
    share = P.REACTION_SESSION_SHARE
    theta = np.sqrt(share) * effect + np.sqrt(1 - share) * rng.standard_normal(n)
    mu = reaction_mean(method, provider)
    load = P.REACTION_LOADING
    latent = mu + load * theta[:, None] + np.sqrt(1 - load**2) * rng.standard_normal((n, k))
    resp = np.empty((n, k), np.int16)
    resp[:, :-1] = 1 + ordinal(latent[:, :-1], tau(P.REACTION_CUM))
    resp[:, -1] = ordinal(latent[:, -1], tau(P.RECOMMEND_CUM))
    elearn = method == E_LEARNING
    p_na = np.full((n, k), P.REACTION_NA["base"])
    p_na[:, -1] = 0.0
    p_na[elearn, 4] = P.REACTION_NA["facilities_e_learning"]
    p_na[elearn, TRAINER] = P.REACTION_NA["trainer_e_learning"]
    u = rng.random((n, k))
    resp[u < p_na] = NA_CODE
    skipped = (u >= p_na) & (u < p_na + P.REACTION_SKIP)
    return resp, skipped


def behavior_change(method: np.ndarray, driver: np.ndarray) -> np.ndarray:
    """Latent 3-month change of each followed-up enrolment (before the self extra, fading)."""
    return P.CHANGE_3M + P.METHOD_CHANGE[method] + P.DRIVER_SLOPE * driver


def behavior_mean(item, rater, wave, level, change) -> np.ndarray:
    """Latent mean of competency ratings (item intercept, person and rater level, self bias,
    change at follow-ups, fading at 6 months); the residual is added by the caller."""
    follow = np.where(wave > 0, change + np.where(rater == 0, P.SELF_EXTRA_CHANGE, 0.0), 0.0)
    return (
        P.BEHAVIOR_ITEM_MU[np.minimum(item, 11)]
        + level
        + np.where(rater == 0, P.SELF_BIAS, 0.0)
        + follow * np.where(wave == 2, P.FADE_6M, 1.0)
    )


def availability_logit(pos: np.ndarray, frontline: np.ndarray) -> np.ndarray:
    """Logit of P(available) per person (rows) and slot (columns), person effect excluded."""
    base = np.log(P.AVAILABILITY_BASE / (1 - P.AVAILABILITY_BASE)).ravel()
    office = np.zeros((len(P.DAYS), len(P.TIMES)), bool)
    office[:5, :4] = True
    office = office.ravel()
    shift_office = P.AVAILABILITY_OFFICE_SHIFT[pos] + np.where(
        frontline & (pos == EXECUTOR), P.AVAILABILITY_FRONTLINE_SHIFT, 0.0
    )
    shift = np.where(office, shift_office[:, None], P.AVAILABILITY_OTHER_SHIFT[pos][:, None])
    return base + shift


def theme_probabilities(schedule, method, provider) -> tuple[np.ndarray, np.ndarray]:
    """P(theme mentioned) and P(negative | mentioned), per comment and theme."""
    n = len(schedule)
    elearn = method == E_LEARNING
    office = schedule == OFFICE
    p_theme = np.stack(
        [
            P.THEME_TIME[schedule],
            np.full(n, P.THEME_SPEAKER),
            np.full(n, P.THEME_MATERIALS),
            np.where(elearn, P.THEME_FACILITIES[1], P.THEME_FACILITIES[0]),
            np.full(n, P.THEME_RELEVANCE),
        ],
        axis=1,
    )
    p_neg = np.stack(
        [
            np.where(office, P.NEG_TIME[0], P.NEG_TIME[1]),
            P.NEG_SPEAKER[provider],
            np.full(n, P.NEG_MATERIALS),
            np.full(n, P.NEG_FACILITIES),
            np.full(n, P.NEG_RELEVANCE),
        ],
        axis=1,
    )
    return p_theme, p_neg
