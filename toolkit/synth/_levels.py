"""Level 1–5 tables, availability and comments of the synthetic data (a builder mixin).

:class:`LevelTables` is mixed into :class:`toolkit.synth._build.Builder`; each table reads the
core parts (units, participants, sessions, enrolments, item parameters) and draws from its own
random stream, so that its rows do not depend on which other tables are built.
"""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy.special import expit, ndtr

from toolkit.data import as_typed
from toolkit.schema import IKM_ELEMENTS, RATERS, WAVES
from toolkit.synth import _bank as bank
from toolkit.synth import _model as M
from toolkit.synth import _params as P


class LevelTables:
    """Tables of Levels 1–5, availability and comments (needs the core builder parts)."""

    # ------------------------------------------------------------------ Level 1
    @cached_property
    def _t_reaction(self) -> pd.DataFrame:
        rng = self.rng("reaction")
        E, S = self.enroll, self.sessions
        session_effect = rng.standard_normal(S.n)
        idx = np.flatnonzero(E.attended > 0)
        s = E.session[idx]
        n, k = idx.size, len(bank.REACTION_ITEMS)
        resp, skipped = M.reaction_answers(rng, session_effect[s], S.method[s], S.provider[s], k)
        rows = np.repeat(idx, k)
        return as_typed(
            "reaction",
            pd.DataFrame(
                {
                    **self._ids_of(rows),
                    "item_code": M.cat(
                        np.tile(np.arange(k), n), [r[0] for r in bank.REACTION_ITEMS]
                    ),
                    "response": M.int16(resp.ravel(), skipped.ravel()),
                }
            ),
        )

    # ------------------------------------------------------------------ Level 2
    @cached_property
    def _t_tests(self) -> pd.DataFrame:
        rng = self.rng("tests")
        E, S, items_ = self.enroll, self.sessions, self.items
        session_gain = P.GAIN_SESSION_SD * rng.standard_normal(S.n)
        idx = np.flatnonzero(E.attended > 0)
        n, s = idx.size, E.session[idx]
        grade = self.people.grade[E.person[idx]]
        ceiling = rng.random(n) < P.CEILING_SHARE
        pre = P.ABILITY_MEAN[grade] + P.ABILITY_SD * rng.standard_normal(n)
        pre = pre + P.CEILING_SHIFT * ceiling
        post = pre + P.METHOD_GAIN[S.method[s]] + session_gain[s]
        post = post + P.GAIN_PERSON_SD * rng.standard_normal(n)
        items = S.program[s][:, None] * 10 + np.arange(10)
        a, b = items_.a[items], items_.b[items]
        theta = np.stack([pre, post], axis=1)[:, :, None]  # (n, phase, item)
        prob = P.GUESSING + (1 - P.GUESSING) * expit(a[:, None, :] * (theta - b[:, None, :]))
        correct = rng.random(prob.shape) < prob
        blank = rng.random(prob.shape) < P.TEST_SKIP
        takes_post = rng.random(n) < np.where(E.completed[idx], P.P_POST[0], P.P_POST[1])
        present = np.ones(prob.shape, bool)
        present[:, 1, :] = takes_post[:, None]
        keep = present.ravel()
        rows = np.repeat(idx, 20)[keep]
        phase = np.tile(np.repeat([0, 1], 10), n)[keep]
        return as_typed(
            "tests",
            pd.DataFrame(
                {
                    **self._ids_of(rows),
                    "phase": M.cat(phase, ("pre", "post")),
                    "item_code": M.cat(
                        np.broadcast_to(items[:, None, :], prob.shape).ravel()[keep], items_.code
                    ),
                    "correct": M.int16(correct.ravel()[keep], blank.ravel()[keep]),
                }
            ),
        )

    # ------------------------------------------------------------------ Level 3
    @cached_property
    def behavior_pattern(self) -> SimpleNamespace:
        """Rows every followed-up enrolment gets, by programme: rater x wave x item."""
        comp_index = {c: i for i, (c, _) in enumerate(bank.COMPETENCIES)}
        rater, wave, item, start = [], [], [], [0]
        for prog in bank.PROGRAMS:
            comp_items = sorted(
                2 * comp_index[c] + j for c in bank.PROGRAM_COMPETENCIES[prog] for j in (0, 1)
            )
            for r in range(2):
                for w in range(3):
                    its = comp_items + ([12, 13, 14, 15] if r == 0 and w > 0 else [])
                    rater += [r] * len(its)
                    wave += [w] * len(its)
                    item += its
            start.append(len(item))
        return SimpleNamespace(
            rater=np.array(rater), wave=np.array(wave), item=np.array(item), start=np.array(start)
        )

    @cached_property
    def _t_behavior(self) -> pd.DataFrame:
        rng = self.rng("behavior")
        E, S, pat = self.enroll, self.sessions, self.behavior_pattern
        done = np.flatnonzero(E.completed)
        idx = done[rng.random(done.size) < P.BEHAVIOR_SAMPLE]
        n, s = idx.size, E.session[idx]
        prog = S.program[s]
        person = P.BEHAVIOR_PERSON_SD * rng.standard_normal(n)
        rater_re = P.BEHAVIOR_RATER_SD * rng.standard_normal((n, 2))
        driver = rng.standard_normal(n)
        lengths = pat.start[prog + 1] - pat.start[prog]
        grp, within = M.ranges(lengths)
        row = pat.start[prog][grp] + within
        r, w, it = pat.rater[row], pat.wave[row], pat.item[row]
        level = person[grp] + rater_re[grp, r]
        change = M.behavior_change(S.method[s], driver)[grp]
        latent = M.behavior_mean(it, r, w, level, change)
        latent = latent + P.BEHAVIOR_RESID_SD * rng.standard_normal(grp.size)
        drv = it >= 12
        d_latent = (
            P.DRIVER_MU[np.maximum(it - 12, 0)]
            + P.DRIVER_LOADING * driver[grp]
            + P.DRIVER_RESID_SD * rng.standard_normal(grp.size)
        )
        rating = 1 + np.where(drv, M.ordinal(d_latent, P.TAU_AGREE), M.ordinal(latent, P.TAU_FREQ))
        # Whole waves missing: nonresponse, and follow-ups after the data cut-off.
        skip_wave = rng.random((n, 2, 3)) < P.BEHAVIOR_NONRESPONSE
        offsets = np.array(P.WAVE_DAYS).astype("timedelta64[D]")
        anchor = np.where(np.arange(3) == 0, S.start[s][:, None], S.end[s][:, None])
        skip_wave |= ((anchor + offsets) > P.DATA_CUTOFF)[:, None, :]
        keep = ~skip_wave[grp, r, w]
        blank = rng.random(grp.size) < P.BEHAVIOR_SKIP
        behav_codes = [f"B{j + 1:02d}" for j in range(12)] + [f"D{j + 1:02d}" for j in range(4)]
        return as_typed(
            "behavior",
            pd.DataFrame(
                {
                    **self._ids_of(idx[grp][keep]),
                    "rater": M.cat(r[keep], RATERS),
                    "wave": M.cat(w[keep], WAVES),
                    "item_code": M.cat(it[keep], behav_codes),
                    "rating": M.int16(rating[keep], blank[keep]),
                }
            ),
        )

    # ------------------------------------------------------------------ Level 4
    def effect_multiplier(self, cohort: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Units x quarters multiplier of IKM_EFFECT once trained: 1, or the dynamic design's."""
        if self.design == "constant":
            return np.ones((len(cohort), len(q)))
        order = np.unique(cohort[cohort >= 0])
        rank = np.searchsorted(order, cohort)
        size = P.IKM_DYNAMIC_COHORT[np.minimum(rank, len(P.IKM_DYNAMIC_COHORT) - 1)]
        e = np.maximum(q[None, :] - cohort[:, None], 0)
        return size[:, None] * (P.IKM_DYNAMIC_START + P.IKM_DYNAMIC_RAMP * e)

    @cached_property
    def ikm_means(self) -> SimpleNamespace:
        """Expected element scores (1–4) of every unit x quarter, and who was treated."""
        rng = self.rng("ikm")
        U = self.units

        def clipped(sd_clip, size):
            sd, clip = sd_clip
            return np.clip(sd * rng.standard_normal(size), -clip, clip)

        unit = clipped(P.IKM_UNIT_SD, U.n)
        unit_elem = clipped(P.IKM_UNIT_ELEMENT_SD, (U.n, 9))
        noise = clipped(P.IKM_NOISE_SD, (U.n, M.NQ))
        q = np.arange(M.NQ)
        treated = (U.cohort[:, None] >= 0) & (q[None, :] >= U.cohort[:, None])
        dose = treated * self.effect_multiplier(U.cohort, q)
        mean = M.ikm_mean(unit, unit_elem, noise, U.cohort, q, dose)
        lo, hi = P.IKM_MEAN_RANGE
        n_clipped = int(((mean < lo) | (mean > hi)).sum())
        n_resp = rng.integers(P.IKM_RESPONDENTS[0], P.IKM_RESPONDENTS[1] + 1, size=(U.n, M.NQ))
        return SimpleNamespace(
            mean=np.clip(mean, lo, hi), treated=treated, n_clipped=n_clipped, n_resp=n_resp, rng=rng
        )

    @cached_property
    def _t_ikm_responses(self) -> pd.DataFrame:
        cells = self.ikm_means
        rng = cells.rng
        U = self.units
        counts = cells.n_resp.ravel()
        cell, rank = M.ranges(counts)
        # Work in blocks of cells so that huge scales do not need huge temporaries.
        bounds = np.searchsorted(np.cumsum(counts), np.arange(0, counts.sum(), 2_000_000), "right")
        bounds = np.unique(np.concatenate([[0], bounds, [counts.size]]))
        scores, blanks = [], []
        rho = P.IKM_RESPONDENT_SHARE
        for c0, c1 in zip(bounds[:-1], bounds[1:], strict=True):
            sel = np.repeat(np.arange(c0, c1), counts[c0:c1])
            p = (cells.mean.reshape(-1, 9)[sel] - 1) / 3
            z = np.sqrt(rho) * rng.standard_normal((sel.size, 1))
            u = ndtr(z + np.sqrt(1 - rho) * rng.standard_normal((sel.size, 9)))
            f0 = (1 - p) ** 3
            f1 = f0 + 3 * p * (1 - p) ** 2
            f2 = 1 - p**3
            scores.append((1 + (u > f0) + (u > f1) + (u > f2)).astype(np.int16))
            blanks.append(rng.random((sel.size, 9)) < P.IKM_MISSING)
        score = np.concatenate(scores)
        blank = np.concatenate(blanks)
        width = len(str(P.IKM_RESPONDENTS[1]))
        resp_ids = np.char.add(
            "R", np.char.zfill(np.arange(1, counts.max() + 1).astype(str), width)
        )
        cols = {
            "unit_id": M.cat(cell // M.NQ, U.id),
            "period": M.cat(cell % M.NQ, P.PERIODS),
            "respondent_id": M.cat(rank, resp_ids),
        }
        for j, (code, _, _) in enumerate(IKM_ELEMENTS):
            cols[code] = M.int16(score[:, j], blank[:, j])
        return as_typed("ikm_responses", pd.DataFrame(cols))

    # ------------------------------------------------------------------ Level 5
    @cached_property
    def _t_costs(self) -> pd.DataFrame:
        rng = self.rng("costs")
        E, S, Pp = self.enroll, self.sessions, self.people
        ns = S.n
        fee = S.jp * P.FEE_PER_JP[S.provider]
        fee = fee * np.exp(P.FEE_NOISE_SD * rng.standard_normal(ns) - P.FEE_NOISE_SD**2 / 2)
        enrolled = np.bincount(E.session, minlength=ns)
        elearn = S.method == M.E_LEARNING
        materials = np.where(elearn, P.MATERIALS_E_LEARNING, enrolled * P.MATERIALS_PER_PARTICIPANT)
        days = np.ceil(E.attended / P.JP_PER_DAY[S.schedule[E.session]])
        catering = np.bincount(
            E.session, weights=days * P.CATERING_PER_DAY[S.schedule[E.session]], minlength=ns
        )
        catering = np.where(elearn, 0.0, catering)
        travel = P.TRAVEL_MEDIAN[S.provider] * np.exp(P.TRAVEL_LOG_SD * rng.standard_normal(ns))
        salary = np.bincount(
            E.session,
            weights=E.attended * P.JP_HOURS * P.HOURLY_COMPENSATION[Pp.grade[E.person]],
            minlength=ns,
        )
        cats = ("facilitator_fees", "materials", "venue_catering", "travel_accommodation")
        amounts = np.stack(
            [
                np.round(fee, -3),
                materials,
                np.round(catering),
                np.round(travel, -3),
                np.rint(salary),
            ],
            axis=1,
        )
        sess_cat = np.array([*cats, "participant_salaries"], dtype=object)
        si, ci = np.nonzero(amounts > 0)
        delivery = np.bincount(S.program, weights=amounts[:, :4].sum(1), minlength=6)
        progs = np.unique(S.program)
        npr = progs.size

        def uniform(lo_hi):
            return np.round(rng.uniform(*lo_hi, size=npr) * self.scale, -5)

        prog_amounts = np.stack(
            [
                uniform(P.NEEDS_ANALYSIS),
                uniform(P.DESIGN),
                uniform(P.EVALUATION),
                np.round(P.OVERHEAD_SHARE * delivery[progs], -3),
            ],
            axis=1,
        )
        prog_cat = np.array(
            ["needs_analysis", "design_development", "evaluation", "overhead"], dtype=object
        )
        prorate = np.ones((npr, 4))
        prorate[:, 1] = rng.choice([2.0, 3.0], size=npr)
        category = np.concatenate([sess_cat[ci], np.tile(prog_cat, npr)])
        df = pd.DataFrame(
            {
                "session_id": np.concatenate([S.id[si], np.full(4 * npr, None, dtype=object)]),
                "program": np.array(bank.PROGRAMS, dtype=object)[
                    np.concatenate([S.program[si], np.repeat(progs, 4)])
                ],
                "category": category,
                "amount_idr": np.concatenate([amounts[si, ci], prog_amounts.ravel()]).astype(
                    np.int64
                ),
                "prorate_years": np.concatenate([np.ones(si.size), prorate.ravel()]),
                "description": pd.Series(category).map(bank.COST_DESCRIPTIONS).to_numpy(object),
            }
        )
        return as_typed("costs", df)

    @cached_property
    def benefits(self) -> SimpleNamespace:
        rng = self.rng("benefits")
        E = self.enroll
        done = np.flatnonzero(E.completed)
        idx = done[rng.random(done.size) < P.BENEFIT_SAMPLE]
        n = idx.size
        k = 1 + (rng.random(n) < P.P_TWO_MEASURES)
        score = np.log(P.MEASURE_WEIGHTS) + rng.gumbel(size=(n, 4))
        top = np.argsort(-score, axis=1, kind="stable")[:, :2]
        pi, col = np.nonzero(np.arange(2) < k[:, None])
        measure = top[pi, col]
        srt = np.lexsort((measure, pi))
        pi, measure = pi[srt], measure[srt]
        m = pi.size
        value = P.BENEFIT_MEDIAN[measure] * np.exp(P.BENEFIT_LOG_SD * rng.standard_normal(m))
        value = np.maximum(np.round(value / 50_000) * 50_000, 50_000)
        attribution = np.clip(np.round(rng.beta(*P.ATTRIBUTION_BETA, m) * 20) / 20, 0.05, 1.0)
        confidence = np.clip(np.round(rng.beta(*P.CONFIDENCE_BETA, m) * 20) / 20, 0.1, 1.0)
        missing = rng.random(m) < P.BENEFIT_MISSING
        n_ext = max(1, round(P.EXTREME_SHARE * m))
        candidates = np.flatnonzero(~missing)
        extreme = np.zeros(m, bool)
        extreme[rng.choice(candidates, size=min(n_ext, candidates.size), replace=False)] = True
        factor = rng.uniform(*P.EXTREME_FACTOR, size=m)
        value = np.where(extreme, np.round(P.BENEFIT_MEDIAN[measure] * factor, -6), value)
        attribution = np.where(extreme, 1.0, attribution)
        confidence = np.where(extreme, 1.0, confidence)
        value = np.where(missing, np.nan, value)
        enrol = idx[pi]
        df = pd.DataFrame(
            {
                "participant_id": M.cat(E.person[enrol], self.people.id),
                "program": M.cat(self.sessions.program[E.session[enrol]], bank.PROGRAMS),
                "measure": M.cat(measure, P.MEASURES),
                "annual_value_idr": value,
                "attribution": attribution,
                "confidence": confidence,
            }
        )
        return SimpleNamespace(table=as_typed("benefit_estimates", df), extreme=extreme)

    @cached_property
    def _t_benefit_estimates(self) -> pd.DataFrame:
        return self.benefits.table

    # ------------------------------------------------------------------ availability
    @cached_property
    def _t_availability(self) -> pd.DataFrame:
        rng = self.rng("availability")
        Pp, U = self.people, self.units
        logit = M.availability_logit(Pp.pos, U.frontline[Pp.unit])
        logit = logit + P.AVAILABILITY_PERSON_SD * rng.standard_normal(Pp.n)[:, None]
        available = rng.random(logit.shape) < expit(logit)
        k = len(P.SLOTS)
        return as_typed(
            "availability",
            pd.DataFrame(
                {
                    "participant_id": M.cat(np.repeat(np.arange(Pp.n), k), Pp.id),
                    "slot": M.cat(np.tile(np.arange(k), Pp.n), P.SLOTS),
                    "available": available.ravel(),
                }
            ),
        )

    # ------------------------------------------------------------------ comments
    @cached_property
    def _t_comments(self) -> pd.DataFrame:
        rng = self.rng("comments")
        E, S = self.enroll, self.sessions
        att = np.flatnonzero(E.attended > 0)
        idx = att[rng.random(att.size) < P.P_COMMENT]
        n, s = idx.size, E.session[idx]
        p_theme, p_neg = M.theme_probabilities(S.schedule[s], S.method[s], S.provider[s])
        mention = rng.random(p_theme.shape) < p_theme
        negative = rng.random(p_theme.shape) < p_neg
        pick = rng.random(p_theme.shape)
        text = np.full(n, "", dtype=object)
        for j, theme in enumerate(bank.COMMENT_THEMES):
            neg, pos = (np.array(x, dtype=object) for x in bank.COMMENT_SENTENCES[theme])
            sentence = np.where(
                negative[:, j],
                neg[(pick[:, j] * neg.size).astype(int)],
                pos[(pick[:, j] * pos.size).astype(int)],
            )
            sentence = np.where(mention[:, j], sentence, "")
            sep = np.where((text != "") & (sentence != ""), " ", "")
            text = text + sep + sentence
        generic = np.array(bank.COMMENT_GENERIC, dtype=object)
        none = ~mention.any(1)
        text = np.where(none, generic[rng.integers(0, generic.size, n)], text)
        thanks = ~none & (rng.random(n) < 0.15)
        text = np.where(thanks, text + " Terima kasih.", text)
        lower = rng.random(n) < 0.1
        text = np.where(lower, pd.Series(text, dtype=object).str.lower().to_numpy(object), text)
        return as_typed("comments", pd.DataFrame({**self._ids_of(idx), "text": text}))
