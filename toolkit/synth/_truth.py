"""Population values of the effects planted by :mod:`toolkit.synth` (``truth.json``).

Every value is in the unit an analysis reports. ``truth_methods`` sorts the keys into
``parameter``, ``analytic``, ``monte_carlo``, ``realised`` (facts of the generated data: table
sizes, extreme claims) and ``about`` (descriptions):

* **parameter**: the number is a planted parameter already on the reported scale (IKM points,
  absence shares by schedule, rupiah rates);
* **analytic**: an exact expectation under the generating model (ordered-probit item means,
  shares mixed over the population mix of methods and schedules, availability coverage by
  Gauss–Hermite quadrature);
* **monte_carlo**: a large-sample simulation of the generating model with a fixed random
  stream (``truth`` stream of the seed), for values that depend on a non-linear mix (percent
  correct under a ceiling, behaviour ratings on a bounded scale, Cronbach's alpha).

"Population" mixes use the planted shares (programme weights, method given programme,
schedule given method, unit size weights, position and grade given unit), not the realised
sample.
"""

from __future__ import annotations

import copy
import functools
from itertools import combinations

import numpy as np
from scipy.special import expit, ndtr, ndtri

from toolkit.schema import (
    ABSENCE_REASONS,
    GRADES,
    IKM_ELEMENTS,
    METHODS,
    POSITION_TYPES,
    PROVIDERS,
    SCHEDULES,
    TABLES,
)
from toolkit.synth import _bank as bank
from toolkit.synth import _model as M
from toolkit.synth import _params as P

_MC = 200_000
_OFFICE = SCHEDULES.index("office_hours")
_EXEC = POSITION_TYPES.index("executor")


# ----------------------------------------------------------------------------- population mixes
def _mixes() -> dict:
    pw = P.PROGRAM_WEIGHTS / P.PROGRAM_WEIGHTS.sum()
    joint_pm = pw[:, None] * P.METHOD_GIVEN_PROGRAM  # programme x method
    p_method = joint_pm.sum(0)
    prog_given_method = joint_pm / p_method
    joint_ms = p_method[:, None] * P.SCHEDULE_GIVEN_METHOD  # method x schedule
    # Participants: trained unit templates by size weight, position | unit, grade | position.
    w = np.array([u[3] if u[2] else 0.0 for u in bank.UNITS])
    w = w / w.sum()
    health = np.array([u[1] in bank.HEALTH_TYPES for u in bank.UNITS])
    frontline = np.array([u[4] for u in bank.UNITS])
    pos_given_unit = P.POSITION_PROBS[np.where(health, 0, 1)]
    joint_up = w[:, None] * pos_given_unit  # unit x position
    p_pos = joint_up.sum(0)
    p_grade = p_pos @ P.GRADE_PROBS
    p_front_exec = float((joint_up[:, _EXEC] * frontline).sum())
    # Position x frontline groups (for availability).
    groups = np.array(
        [[joint_up[~frontline, p].sum(), joint_up[frontline, p].sum()] for p in range(3)]
    )
    return {
        "p_method": p_method,
        "prog_given_method": prog_given_method,
        "joint_ms": joint_ms,
        "p_schedule": joint_ms.sum(0),
        "p_grade": p_grade,
        "p_pos": p_pos,
        "p_front_exec": p_front_exec,
        "groups": groups,
    }


def _p_missed(mix) -> np.ndarray:
    """Population P(missed hours | schedule), frontline executors' extra included."""
    p = P.P_MISSED.copy()
    p[_OFFICE] *= 1 + (P.FRONTLINE_MISSED_FACTOR - 1) * mix["p_front_exec"]
    return p


def _named(values, names) -> dict:
    return {n: float(v) for n, v in zip(names, values, strict=True)}


# ----------------------------------------------------------------------------- sections
def _ikm_dynamic(builder) -> dict:
    """Effects of the dynamic design: by cohort and event time, and their simple average."""
    units = builder.units
    q = np.arange(len(P.PERIODS))
    trained = units.cohort >= 0
    mult = builder.effect_multiplier(units.cohort, q)
    points = P.IKM_EFFECT.mean() * 25
    by_cohort = {}
    cells = []
    for c in sorted(set(units.cohort[trained])):
        row = np.flatnonzero(units.cohort == c)[0]
        effects = {int(e): float(points * mult[row, c + e]) for e in range(len(q) - c)}
        by_cohort[P.PERIODS[c]] = effects
        cells += list(effects.values()) * int((units.cohort == c).sum())
    return {
        "ikm_design": "dynamic: the effect grows with time since training and differs by "
        "cohort (IKM_DYNAMIC_COHORT, IKM_DYNAMIC_RAMP)",
        "ikm_effect_by_cohort_event_points": by_cohort,
        "ikm_effect_simple_att_points": float(np.mean(cells)),
    }


def _ikm(builder) -> dict:
    eff = P.IKM_EFFECT
    codes = [c for c, _, _ in IKM_ELEMENTS]
    return {
        "ikm_effect_points": float(eff.mean() * 25),
        "ikm_effect_start": "from the unit's first_trained_period on (that quarter included), "
        "constant afterwards; comparison units never treated",
        "ikm_element_effects_points": _named(eff * 25, codes),
        "ikm_element_effects_nrr": _named(eff, codes),
        "ikm_trend_points_per_quarter": P.IKM_TREND * 25,
        "ikm_season_points": _named(P.IKM_SEASON * 25, ("Q1", "Q2", "Q3", "Q4")),
        "ikm_baseline_points": float(P.IKM_BASE.mean() * 25),
        "ikm_trained_baseline_gap_points": P.IKM_TRAINED_GAP * 25,
        "ikm_unit_sd_points": P.IKM_UNIT_SD[0] * 25,
        "ikm_missing_share": _named(P.IKM_MISSING, codes),
        "ikm_respondents_per_unit_period": list(P.IKM_RESPONDENTS),
        "ikm_clipped_cells": builder.ikm_means.n_clipped,
    }


def _learning(builder, mix, rng) -> dict:
    items = builder.items
    pre_pc, post_pc, pre_pc9, post_pc9, ceil_pre = {}, {}, {}, {}, {}
    mis = list(items.code).index(P.MISKEYED_ITEM)
    for m, method in enumerate(METHODS):
        prog = rng.choice(6, size=_MC, p=mix["prog_given_method"][:, m])
        grade = rng.choice(len(GRADES), size=_MC, p=mix["p_grade"])
        ceiling = rng.random(_MC) < P.CEILING_SHARE
        pre = P.ABILITY_MEAN[grade] + P.ABILITY_SD * rng.standard_normal(_MC)
        pre = pre + P.CEILING_SHIFT * ceiling
        post = pre + P.METHOD_GAIN[m] + P.GAIN_SESSION_SD * rng.standard_normal(_MC)
        post = post + P.GAIN_PERSON_SD * rng.standard_normal(_MC)
        it = prog[:, None] * 10 + np.arange(10)
        a, b = items.a[it], items.b[it]
        valid = it != mis
        for theta, out, out9 in ((pre, pre_pc, pre_pc9), (post, post_pc, post_pc9)):
            prob = P.GUESSING + (1 - P.GUESSING) * expit(a * (theta[:, None] - b))
            out[method] = 100 * prob.mean()
            out9[method] = 100 * ((prob * valid).sum(1) / valid.sum(1)).mean()
            if theta is pre:
                ceil_pre[method] = 100 * prob[ceiling].mean()
    gain = {m: post_pc[m] - pre_pc[m] for m in METHODS}
    gain9 = {m: post_pc9[m] - pre_pc9[m] for m in METHODS}
    hake = {m: gain[m] / (100 - pre_pc[m]) for m in METHODS}
    pm = mix["p_method"]
    return {
        "learning_pre_pct_by_method": pre_pc,
        "learning_post_pct_by_method": post_pc,
        "learning_gain_pct_points_by_method": gain,
        "learning_gain_pct_points_by_method_without_miskeyed": gain9,
        "learning_hake_g_by_method": hake,
        "learning_gain_pct_points_overall": float(
            sum(pm[i] * gain[m] for i, m in enumerate(METHODS))
        ),
        "learning_method_gain_logits": _named(P.METHOD_GAIN, METHODS),
        "learning_ceiling_share": P.CEILING_SHARE,
        "learning_ceiling_pre_pct": float(np.mean(list(ceil_pre.values()))),
        "learning_miskeyed_item": P.MISKEYED_ITEM,
        "learning_miskeyed_discrimination": P.MISKEYED_DISCRIMINATION,
        "learning_guessing": P.GUESSING,
        "learning_missing_answer_share": P.TEST_SKIP,
    }


def _reaction(mix, rng) -> dict:
    tau5 = ndtri(np.array(P.REACTION_CUM))
    tau11 = ndtri(np.array(P.RECOMMEND_CUM))
    pm = mix["p_method"]
    codes = [r[0] for r in bank.REACTION_ITEMS]
    constructs = [r[1] for r in bank.REACTION_ITEMS]

    def mean5(mu):
        return 1 + ndtr(np.asarray(mu)[..., None] - tau5).sum(-1)

    methods = np.arange(len(METHODS))
    shares = P.PROVIDER_SHARES
    # Expected rating by method (rows) and item (columns), for each provider.
    by_provider = np.stack(
        [mean5(M.reaction_mean(methods, np.full(methods.size, i))[:, :7]) for i in range(3)]
    )
    trainer = {p: float(pm @ by_provider[i, :, M.TRAINER]) for i, p in enumerate(PROVIDERS)}
    effect = {p: trainer[p] - trainer["internal"] for p in PROVIDERS[1:]}
    mixed = np.tensordot(shares, by_provider, axes=1)  # method x item, providers mixed
    item_means = pm @ mixed
    by_method = {m: float(mixed[i].mean()) for i, m in enumerate(METHODS)}
    mu_rec = M.reaction_mean(methods, np.zeros(methods.size, int))[:, 7]
    promoters = float(pm @ ndtr(mu_rec - tau11[8]))
    detractors = float(pm @ ndtr(tau11[6] - mu_rec))
    # Cronbach's alpha of the seven 1–5 items (Monte Carlo, no missing answers).
    method = rng.choice(len(METHODS), size=_MC, p=pm)
    provider = rng.choice(3, size=_MC, p=shares)
    mu = M.reaction_mean(method, provider)[:, :7]
    load = P.REACTION_LOADING[:7]
    latent = (
        mu
        + load * rng.standard_normal((_MC, 1))
        + np.sqrt(1 - load**2) * rng.standard_normal((_MC, 7))
    )
    y = 1 + np.searchsorted(tau5, latent)
    k = y.shape[1]
    alpha = k / (k - 1) * (1 - y.var(0, ddof=1).sum() / y.sum(1).var(ddof=1))
    return {
        "reaction_trainer_provider_effect_points": effect,
        "reaction_trainer_mean_by_provider": trainer,
        "reaction_trainer_provider_shift_latent": _named(P.TRAINER_PROVIDER_SHIFT, PROVIDERS),
        "reaction_item_means": _named(item_means, codes[:7]),
        "reaction_item_constructs": dict(zip(codes, constructs, strict=True)),
        "reaction_mean_by_method": by_method,
        "reaction_method_shift_latent": _named(P.REACTION_METHOD_SHIFT, METHODS),
        "reaction_nps": 100 * (promoters - detractors),
        "reaction_promoter_share": promoters,
        "reaction_detractor_share": detractors,
        "reaction_cronbach_alpha": float(alpha),
        "reaction_na_share": dict(P.REACTION_NA),
        "reaction_skip_share": P.REACTION_SKIP,
    }


def _behavior(builder, mix, rng) -> dict:

    pm = mix["p_method"]
    method = rng.choice(len(METHODS), size=_MC, p=pm)
    u = rng.random(_MC)
    cum = np.cumsum(mix["prog_given_method"][:, method].T, axis=1)
    prog = np.minimum((u[:, None] >= cum).sum(1), 5)
    pat = builder.behavior_pattern
    # Competency items of each programme: the pattern rows of the self rater at baseline.
    comp = {
        g: pat.item[pat.start[g] : pat.start[g + 1]][
            (pat.rater[pat.start[g] : pat.start[g + 1]] == 0)
            & (pat.wave[pat.start[g] : pat.start[g + 1]] == 0)
        ]
        for g in range(6)
    }
    n_items = np.array([comp[g].size for g in range(6)])
    lengths = n_items[prog]
    grp = np.repeat(np.arange(_MC), lengths)
    starts = np.cumsum(lengths) - lengths
    rank = np.arange(grp.size) - starts[grp]
    table = np.full((6, 4), -1)
    for g in range(6):
        table[g, : n_items[g]] = comp[g]
    item = table[prog[grp], rank]
    person = P.BEHAVIOR_PERSON_SD * rng.standard_normal(_MC)
    rater_re = P.BEHAVIOR_RATER_SD * rng.standard_normal((_MC, 2))
    driver = rng.standard_normal(_MC)
    change = M.behavior_change(method, driver)
    tau = np.array(P.TAU_FREQ)
    expected = np.empty((2, 3, grp.size))
    for r in range(2):
        for w in range(3):
            mu = M.behavior_mean(item, r, w, person[grp] + rater_re[grp, r], change[grp])
            expected[r, w] = 1 + ndtr((mu[:, None] - tau) / P.BEHAVIOR_RESID_SD).sum(1)
    mean = expected.mean(2)
    change_pts = {
        rater: {
            wave: float(mean[r, w] - mean[r, 0])
            for w, wave in ((1, "followup_3m"), (2, "followup_6m"))
        }
        for r, rater in enumerate(("self", "supervisor"))
    }
    by_method = {
        m: float((expected[1, 1] - expected[1, 0])[method[grp] == i].mean())
        for i, m in enumerate(METHODS)
        if pm[i] > 0
    }
    # Drivers -> application: slope of a person's supervisor-rated 3-month change on the
    # mean of the four driver ratings at 3 months (sampled ratings, as an analyst sees them).
    d_lat = (
        P.DRIVER_MU[None, :]
        + P.DRIVER_LOADING * driver[:, None]
        + P.DRIVER_RESID_SD * rng.standard_normal((_MC, 4))
    )
    d_mean = (1 + np.searchsorted(np.array(P.TAU_AGREE), d_lat)).mean(1)
    person_change = np.bincount(grp, weights=expected[1, 1] - expected[1, 0]) / lengths
    slope = np.polyfit(d_mean, person_change, 1)[0]
    return {
        "behavior_change_points": change_pts,
        "behavior_supervisor_change_3m_by_method_points": by_method,
        "behavior_self_inflation_points": float(mean[0, 0] - mean[1, 0]),
        "behavior_baseline_mean": {"self": float(mean[0, 0]), "supervisor": float(mean[1, 0])},
        "behavior_driver_slope_points": float(slope),
        "behavior_driver_slope_latent": P.DRIVER_SLOPE,
        "behavior_fade_6m": P.FADE_6M,
        "behavior_sample_share": P.BEHAVIOR_SAMPLE,
        "behavior_wave_nonresponse": {
            rater: _named(P.BEHAVIOR_NONRESPONSE[r], ("baseline", "followup_3m", "followup_6m"))
            for r, rater in enumerate(("self", "supervisor"))
        },
        "behavior_followups_after": str(P.DATA_CUTOFF) + " are not observed (data cut-off)",
    }


def _participation(mix) -> dict:
    p_missed = _p_missed(mix)
    w = mix["p_schedule"] * p_missed
    overall = (w[:, None] * P.REASON_GIVEN_SCHEDULE).sum(0) / w.sum()
    return {
        "absence_reason_share_by_schedule": {
            s: _named(P.REASON_GIVEN_SCHEDULE[i], ABSENCE_REASONS) for i, s in enumerate(SCHEDULES)
        },
        "absence_reason_share_overall": _named(overall, ABSENCE_REASONS),
        "absence_missed_share_by_schedule": _named(p_missed, SCHEDULES),
        "absence_zero_share_of_missed": P.P_ZERO_GIVEN_MISSED,
        "completion_min_attended_share": P.COMPLETION_MIN_SHARE,
    }


def _costs(builder) -> dict:
    fee = P.FEE_PER_JP
    return {
        "cost_facilitator_fee_per_jp_idr": _named(fee, PROVIDERS),
        "cost_facilitator_ratio_per_jp": {
            p: float(fee[i] / fee[0]) for i, p in enumerate(PROVIDERS)
        },
        "cost_hourly_compensation_idr_by_grade": _named(P.HOURLY_COMPENSATION, GRADES),
        "cost_jp_hours": P.JP_HOURS,
        "cost_materials_per_participant_idr": P.MATERIALS_PER_PARTICIPANT,
        "cost_materials_e_learning_session_idr": P.MATERIALS_E_LEARNING,
        "cost_catering_per_participant_day_idr": _named(P.CATERING_PER_DAY, SCHEDULES),
        "cost_jp_per_day": _named(P.JP_PER_DAY, SCHEDULES),
        "cost_travel_median_idr": _named(P.TRAVEL_MEDIAN, PROVIDERS),
        "cost_overhead_share_of_delivery": P.OVERHEAD_SHARE,
        "cost_programme_ranges_idr": {
            "needs_analysis": [v * builder.scale for v in P.NEEDS_ANALYSIS],
            "design_development": [v * builder.scale for v in P.DESIGN],
            "evaluation": [v * builder.scale for v in P.EVALUATION],
        },
        "cost_design_prorate_years": [2, 3],
    }


def _benefits(builder) -> dict:
    B = builder.benefits
    df = B.table[B.extreme]
    claims = [
        {
            "participant_id": str(r.participant_id),
            "program": str(r.program),
            "measure": str(r.measure),
            "annual_value_idr": float(r.annual_value_idr),
        }
        for r in df.itertuples(index=False)
    ]
    sd = P.BENEFIT_LOG_SD
    a1, b1 = P.ATTRIBUTION_BETA
    a2, b2 = P.CONFIDENCE_BETA
    return {
        "benefit_median_annual_value_idr": _named(P.BENEFIT_MEDIAN, P.MEASURES),
        "benefit_mean_annual_value_idr": _named(P.BENEFIT_MEDIAN * np.exp(sd**2 / 2), P.MEASURES),
        "benefit_log_sd": sd,
        "benefit_mean_attribution": a1 / (a1 + b1),
        "benefit_mean_confidence": a2 / (a2 + b2),
        "benefit_missing_share": P.BENEFIT_MISSING,
        "benefit_extreme_claims": claims,
        "benefit_extreme_claim_count": len(claims),
        "benefit_extreme_rule": "annual_value_idr 80-200 x the measure's median, attribution 1, "
        "confidence 1",
    }


def _availability(mix) -> dict:
    groups = mix["groups"]  # position x (not frontline, frontline)
    pos = np.repeat(np.arange(3), 2)
    front = np.tile([False, True], 3)
    weight = groups.ravel()
    logit = M.availability_logit(pos, front)  # group x slot
    nodes, wq = np.polynomial.hermite_e.hermegauss(40)
    wq = wq / wq.sum()
    p = expit(logit[:, None, :] + P.AVAILABILITY_PERSON_SD * nodes[None, :, None])
    log_miss = np.log1p(-p)  # group x node x slot
    best, coverage = {}, {}
    for k in (1, 2, 3, 4):
        combos = np.array(list(combinations(range(len(P.SLOTS)), k)))
        miss = np.exp(log_miss[:, :, combos].sum(-1))  # group x node x combo
        cov = 1 - np.einsum("g,n,gnc->c", weight, wq, miss)
        j = int(np.argmax(cov))
        best[str(k)] = [P.SLOTS[i] for i in combos[j]]
        coverage[str(k)] = float(cov[j])
    slot_share = np.einsum("g,n,gns->s", weight, wq, p)
    return {
        "availability_best_slots": best,
        "availability_best_coverage": coverage,
        "availability_slot_share": _named(slot_share, P.SLOTS),
    }


def _comments(mix) -> dict:
    attend = 1 - _p_missed(mix) * P.P_ZERO_GIVEN_MISSED
    rows = []
    for m in range(len(METHODS)):
        for s in range(len(SCHEDULES)):
            for v in range(3):
                w = mix["joint_ms"][m, s] * attend[s] * P.PROVIDER_SHARES[v]
                if w > 0:
                    rows.append((m, s, v, w))
    m, s, v, w = (np.array(x) for x in zip(*rows, strict=True))
    p_theme, p_neg = M.theme_probabilities(s, m, v)
    themes = bank.COMMENT_THEMES

    def share(mask):
        ww = w * mask
        return _named((ww[:, None] * p_theme).sum(0) / ww.sum(), themes)

    def neg_share(mask):
        ww = (w * mask)[:, None] * p_theme
        return _named((ww * p_neg).sum(0) / ww.sum(0), themes)

    none = np.prod(1 - p_theme, axis=1)
    return {
        "comment_share_of_attendees": P.P_COMMENT,
        "comment_theme_share_overall": share(np.ones_like(w)),
        "comment_theme_share_by_schedule": {sch: share(s == i) for i, sch in enumerate(SCHEDULES)},
        "comment_negative_share_overall": neg_share(np.ones_like(w)),
        "comment_negative_share_speaker_by_provider": _named(P.NEG_SPEAKER, PROVIDERS),
        "comment_no_theme_share": float((w * none).sum() / w.sum()),
        "comment_keywords": dict(bank.COMMENT_KEYWORDS),
    }


# ----------------------------------------------------------------------------- all
#: How each value was obtained (keys not listed are planted parameters).
_KINDS = {
    "about": {
        "seed",
        "scale",
        "generator",
        "reference_date",
        "data_cutoff",
        "pseudonym_key",
        "truth_methods",
        "truth_monte_carlo_size",
        "ikm_effect_start",
        "ikm_design",
        "behavior_followups_after",
        "benefit_extreme_rule",
        "comment_keywords",
        "reaction_item_constructs",
    },
    "realised": {
        "rows",
        "units_trained_by_cohort",
        "units_comparison",
        "ikm_clipped_cells",
        "benefit_extreme_claims",
        "benefit_extreme_claim_count",
    },
    "monte_carlo": {
        "learning_pre_pct_by_method",
        "learning_post_pct_by_method",
        "learning_gain_pct_points_by_method",
        "learning_gain_pct_points_by_method_without_miskeyed",
        "learning_gain_pct_points_overall",
        "learning_hake_g_by_method",
        "learning_ceiling_pre_pct",
        "reaction_cronbach_alpha",
        "behavior_change_points",
        "behavior_supervisor_change_3m_by_method_points",
        "behavior_self_inflation_points",
        "behavior_baseline_mean",
        "behavior_driver_slope_points",
    },
    "analytic": {
        "ikm_effect_points",
        "ikm_baseline_points",
        "reaction_trainer_provider_effect_points",
        "reaction_trainer_mean_by_provider",
        "reaction_item_means",
        "reaction_mean_by_method",
        "reaction_nps",
        "reaction_promoter_share",
        "reaction_detractor_share",
        "absence_reason_share_overall",
        "absence_missed_share_by_schedule",
        "benefit_mean_annual_value_idr",
        "benefit_mean_attribution",
        "benefit_mean_confidence",
        "availability_best_slots",
        "availability_best_coverage",
        "availability_slot_share",
        "comment_theme_share_overall",
        "comment_theme_share_by_schedule",
        "comment_negative_share_overall",
        "comment_no_theme_share",
    },
}


@functools.lru_cache(maxsize=4)
def _simulated(seed: int) -> dict:
    """The Monte Carlo parts. They depend on the seed only (item parameters and the ``truth``
    stream), not on the scale, so they are computed once per seed and process."""
    from toolkit.synth._build import Builder

    builder = Builder(seed, 1.0, key="")  # only item parameters and streams are used
    mix = _mixes()
    rng = builder.rng("truth")
    out = _learning(builder, mix, rng)
    out.update(_reaction(mix, rng))
    out.update(_behavior(builder, mix, rng))
    return out


def compute_truth(builder) -> dict:
    """Everything planted in ``builder``'s data, as a JSON-ready dict (see module docs)."""
    mix = _mixes()
    units = builder.units
    cohorts = {}
    for q in sorted(set(units.cohort[units.cohort >= 0])):
        cohorts[P.PERIODS[q]] = int((units.cohort == q).sum())
    out = {
        "seed": builder.seed,
        "scale": builder.scale,
        "generator": "toolkit.synth",
        "reference_date": str(P.REFERENCE_DATE),
        "data_cutoff": str(P.DATA_CUTOFF),
        "pseudonym_key": "SAMPLE_KEY in toolkit/synth.py (demonstration key, synthetic data only)",
        "units_trained_by_cohort": cohorts,
        "units_comparison": int((units.cohort < 0).sum()),
        "rows": {name: int(len(builder.table(name))) for name in TABLES},
    }
    out.update(_ikm(builder))
    if builder.design == "dynamic":
        out.update(_ikm_dynamic(builder))
    out.update(copy.deepcopy(_simulated(builder.seed)))
    out.update(_participation(mix))
    out.update(_costs(builder))
    out.update(_benefits(builder))
    out.update(_availability(mix))
    out.update(_comments(mix))
    out["truth_monte_carlo_size"] = _MC
    kinds: dict[str, list[str]] = {k: [] for k in ("analytic", "monte_carlo", "parameter")}
    kinds.update(realised=[], about=[])
    for key in sorted(out) + ["truth_methods"]:
        kind = next((k for k, keys in _KINDS.items() if key in keys), "parameter")
        kinds[kind].append(key)
    out["truth_methods"] = kinds
    return out
