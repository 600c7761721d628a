"""Core of the synthetic-data generator: units, participants, sessions, enrolments, items.

:class:`Builder` holds one (seed, scale) and computes each part once, on demand
(``functools.cached_property``). The Level 1–5 tables come from the
:class:`toolkit.synth._levels.LevelTables` mixin. The public entry points are in
:mod:`toolkit.synth`.
"""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace

import numpy as np
import pandas as pd

from toolkit.data import as_typed
from toolkit.privacy import age_band, pseudonymize_nip
from toolkit.schema import (
    ABSENCE_REASONS,
    AGE_BANDS,
    GRADES,
    IKM_ELEMENTS,
    METHODS,
    POSITION_TYPES,
    PROVIDERS,
    SCHEDULES,
)
from toolkit.synth import _bank as bank
from toolkit.synth import _model as M
from toolkit.synth import _params as P
from toolkit.synth._levels import LevelTables

#: One independent random stream per part of the generator (spawn key = position).
STREAMS = (
    "units",
    "participants",
    "sessions",
    "enrollments",
    "items",
    "reaction",
    "tests",
    "behavior",
    "ikm",
    "costs",
    "benefits",
    "availability",
    "comments",
    "names",
    "truth",
)


# ----------------------------------------------------------------------------- the builder
class Builder(LevelTables):
    """Builds the tables of one (seed, scale); every part is computed once, on demand."""

    def __init__(self, seed: int, scale: float, key: str, design: str = "constant"):
        self.seed = int(seed)
        self.scale = float(scale)
        self.key = key
        self.design = design
        self.n_units = M.scaled(P.BASE_UNITS, scale, 2)
        self.n_participants = M.scaled(P.BASE_PARTICIPANTS, scale, 10)
        self.n_sessions = M.scaled(P.BASE_SESSIONS, scale, 4)

    def rng(self, stream: str) -> np.random.Generator:
        seq = np.random.SeedSequence(self.seed, spawn_key=(STREAMS.index(stream),))
        return np.random.default_rng(seq)

    # ------------------------------------------------------------------ units
    @cached_property
    def units(self) -> SimpleNamespace:
        n, k = self.n_units, len(bank.UNITS)
        tmpl = np.arange(n) % k
        replica = np.arange(n) // k
        names = np.array([u[0] for u in bank.UNITS], dtype=object)[tmpl]
        ids = np.array([f"U{i + 1:02d}" for i in range(k)])[tmpl]
        if replica.max() > 0:
            width = len(str(replica.max() + 1))
            suffix = np.char.zfill((replica + 1).astype(str), width)
            ids = np.where(replica > 0, np.char.add(np.char.add(ids, "-"), suffix), ids)
            names = np.where(replica > 0, names + " #" + suffix.astype(object), names)
        svc = np.array([bank.SERVICE_TYPES.index(u[1]) for u in bank.UNITS])[tmpl]
        cohort = np.array([P.PERIODS.index(u[2]) if u[2] else -1 for u in bank.UNITS])[tmpl]
        return SimpleNamespace(
            n=n,
            id=ids.astype(object),
            name=names.astype(object),
            service=svc,
            cohort=cohort,
            weight=np.array([u[3] for u in bank.UNITS])[tmpl],
            frontline=np.array([u[4] for u in bank.UNITS])[tmpl],
            health=np.isin(svc, [bank.SERVICE_TYPES.index(h) for h in bank.HEALTH_TYPES]),
        )

    # ------------------------------------------------------------------ participants
    @cached_property
    def people(self) -> SimpleNamespace:
        rng = self.rng("participants")
        U, n = self.units, self.n_participants
        w = U.weight * (U.cohort >= 0)
        unit = rng.choice(U.n, size=n, p=w / w.sum())
        health = U.health[unit]
        pos = M.choice_rows(rng, P.POSITION_PROBS[np.where(health, 0, 1)])
        grade = M.choice_rows(rng, P.GRADE_PROBS[pos])
        female = rng.random(n) < np.where(health, P.FEMALE_SHARE[0], P.FEMALE_SHARE[1])
        lo, hi, a, b = P.AGE_PARAMS[grade].T
        age = lo + (hi - lo) * rng.beta(a, b)
        birth = P.REFERENCE_DATE - np.round(age * 365.25).astype("timedelta64[D]")
        # First appointment: PNS at 21+ (earlier only for the youngest), PPPK in 2021–2023.
        appt_age = np.minimum(age - 0.5, 21.0) + rng.beta(2.0, 4.0, n) * np.maximum(age - 21.5, 0)
        appt_pns = (birth + np.round(appt_age * 365.25).astype("timedelta64[D]")).astype(
            "datetime64[M]"
        )
        appt_pppk = np.datetime64("2021-01") + rng.integers(0, 36, n).astype("timedelta64[M]")
        appt = np.where(grade == GRADES.index("PPPK"), appt_pppk, appt_pns)
        serial0 = rng.integers(1, 1000, n)
        # NIP: birth YYYYMMDD, appointment YYYYMM, sex (1 male, 2 female), serial 001–999.
        prefix = np.char.add(
            np.char.add(
                np.char.replace(np.datetime_as_string(birth, unit="D"), "-", ""),
                np.char.replace(np.datetime_as_string(appt, unit="M"), "-", ""),
            ),
            np.where(female, "2", "1"),
        )
        _, first, inverse = np.unique(prefix, return_index=True, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        _, rank = M.ranges(np.bincount(inverse))
        within = np.empty(n, int)
        within[order] = rank
        serial = (serial0[first][inverse] - 1 + within) % 999 + 1
        nip = np.char.add(prefix, np.char.zfill(serial.astype(str), 3)).astype(object)
        pid = np.asarray(pseudonymize_nip(nip, key=self.key), dtype=object)
        bands = age_band(pd.Series(birth.astype("datetime64[s]")), on=str(P.REFERENCE_DATE))
        band = pd.Categorical(bands, categories=list(AGE_BANDS)).codes.astype(np.int64)
        srt = np.lexsort((pid, unit))
        return SimpleNamespace(
            n=n,
            unit=unit[srt],
            pos=pos[srt],
            grade=grade[srt],
            female=female[srt],
            band=band[srt],
            birth=birth[srt],
            nip=nip[srt],
            id=pid[srt],
        )

    # ------------------------------------------------------------------ sessions
    @cached_property
    def sessions(self) -> SimpleNamespace:
        rng = self.rng("sessions")
        n = self.n_sessions
        qidx = np.array([P.PERIODS.index(q) for q in P.SESSION_QUARTER_WEIGHTS])
        counts = M.largest_remainder(n, np.array(list(P.SESSION_QUARTER_WEIGHTS.values())))
        quarter = np.repeat(qidx, counts)
        qpos, rank = M.ranges(counts)
        # Programmes spread evenly inside each quarter (systematic sampling, random start).
        start_u = rng.random(len(qidx))[qpos]
        cum = np.cumsum(P.PROGRAM_WEIGHTS) / P.PROGRAM_WEIGHTS.sum()
        program = np.searchsorted(cum, (start_u + rank) / counts[qpos], side="right")
        program = np.minimum(program, len(bank.PROGRAMS) - 1)
        method = M.choice_rows(rng, P.METHOD_GIVEN_PROGRAM[program])
        # Providers: exact shares, independent of programme and method.
        perm = rng.permutation(n)
        cum_p = np.cumsum(P.PROVIDER_SHARES)
        provider = np.minimum(np.searchsorted(cum_p, (rng.random() + perm) / n, side="right"), 2)
        schedule = M.choice_rows(rng, P.SCHEDULE_GIVEN_METHOD[method])
        jp = P.JP_CHOICES[method, rng.integers(0, P.JP_CHOICES.shape[1], n)]
        day0 = P.QUARTER_START[quarter] + rng.integers(0, 56, n).astype("timedelta64[D]")
        start, end = M.session_span(rng, day0, schedule, method, jp)
        srt = np.lexsort((program, start))
        return SimpleNamespace(
            n=n,
            id=M.ids("S", n).astype(object),
            quarter=quarter[srt],
            program=program[srt],
            method=method[srt],
            provider=provider[srt],
            schedule=schedule[srt],
            jp=jp[srt],
            start=start[srt],
            end=end[srt],
        )

    # ------------------------------------------------------------------ enrollments
    @cached_property
    def enroll(self) -> SimpleNamespace:
        rng = self.rng("enrollments")
        U, Pp, S = self.units, self.people, self.sessions
        n, npg = Pp.n, len(bank.PROGRAMS)
        k = 1 + M.choice_rows(rng, np.broadcast_to(P.N_SESSIONS_PROBS, (n, 3)))
        svc_aff = np.array([P.PROGRAM_AFFINITY.get(s, (1.0,) * npg) for s in bank.SERVICE_TYPES])
        weights = P.PROGRAM_WEIGHTS * svc_aff[U.service[Pp.unit]] * P.POSITION_AFFINITY[Pp.pos]
        cohort = U.cohort[Pp.unit]
        # Sessions sorted by (programme, quarter): any programme x quarter range is contiguous.
        key = S.program * M.NQ + S.quarter
        by_key = np.argsort(key, kind="stable")
        sorted_key = key[by_key]
        count = np.zeros((M.NQ, npg), int)
        np.add.at(count, (S.quarter, S.program), 1)
        at_or_after = np.cumsum(count[::-1], axis=0)[::-1]  # sessions in quarter >= q
        later = np.vstack([at_or_after[1:], np.zeros((1, npg), int)])  # quarter > q

        def pick(prog, lo, hi, u):
            a = np.searchsorted(sorted_key, prog * M.NQ + lo, side="left")
            b = np.searchsorted(sorted_key, prog * M.NQ + hi, side="right")
            return by_key[a + np.minimum((u * (b - a)).astype(int), b - a - 1)]

        # First session: a programme that runs in the cohort's first quarter (fallbacks for
        # tiny scales: any later quarter, then any quarter).
        masks = (
            count[cohort] > 0,
            at_or_after[cohort] > 0,
            np.broadcast_to(count.sum(0) > 0, (n, npg)),
        )
        level = np.where(masks[0].any(1), 0, np.where(masks[1].any(1), 1, 2))
        mask = np.choose(level[:, None], masks)
        gumbel = rng.gumbel(size=(n, npg))
        with np.errstate(divide="ignore"):
            score = np.where(mask, np.log(weights) + gumbel, -np.inf)
        prog1 = score.argmax(1)
        lo = np.where(level == 2, 0, cohort)
        hi = np.where(level == 0, cohort, M.NQ - 1)
        first = pick(prog1, lo, hi, rng.random(n))
        # Further sessions: other programmes, in quarters after the first.
        mask2 = (later[cohort] > 0) & (np.arange(npg) != prog1[:, None])
        with np.errstate(divide="ignore"):
            score2 = np.where(mask2, np.log(weights) + rng.gumbel(size=(n, npg)), -np.inf)
        top = np.argsort(-score2, axis=1, kind="stable")[:, :2]
        ok = (np.take_along_axis(score2, top, 1) > -np.inf) & (np.arange(2) < (k - 1)[:, None])
        pi, col = np.nonzero(ok)
        more = pick(top[pi, col], cohort[pi] + 1, np.full(pi.size, M.NQ - 1), rng.random(pi.size))
        person = np.concatenate([np.arange(n), pi])
        session = np.concatenate([first, more])
        srt = np.lexsort((session, person))
        person, session = person[srt], session[srt]
        m = person.size
        # Attendance: missed hours depend on the schedule (and frontline executors' workload).
        sched = S.schedule[session]
        jp = S.jp[session]
        frontline_exec = U.frontline[Pp.unit[person]] & (Pp.pos[person] == M.EXECUTOR)
        attended, reason, completed = M.attendance(rng, sched, jp, frontline_exec)
        return SimpleNamespace(
            n=m,
            person=person,
            session=session,
            attended=attended,
            completed=completed,
            reason=reason,
        )

    # ------------------------------------------------------------------ item parameters
    @cached_property
    def items(self) -> SimpleNamespace:
        rng = self.rng("items")
        codes = [f"{bank.TEST_ITEMS[p][0]}{i + 1:02d}" for p in bank.PROGRAMS for i in range(10)]
        b = rng.normal(*P.ITEM_DIFFICULTY, size=len(codes))
        a = np.exp(rng.normal(*P.ITEM_LOG_DISCRIMINATION, size=len(codes)))
        a[codes.index(P.MISKEYED_ITEM)] = P.MISKEYED_DISCRIMINATION
        return SimpleNamespace(code=np.array(codes, dtype=object), a=a, b=b)

    # ------------------------------------------------------------------ typed tables
    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, f"_t_{name}")

    @cached_property
    def _t_units(self) -> pd.DataFrame:
        U = self.units
        trained = U.cohort >= 0
        period = np.where(trained, np.array(P.PERIODS, dtype=object)[U.cohort], None)
        return as_typed(
            "units",
            pd.DataFrame(
                {
                    "unit_id": U.id,
                    "unit_name": U.name,
                    "service_type": np.array(bank.SERVICE_TYPES, dtype=object)[U.service],
                    "trained": trained,
                    "first_trained_period": period,
                }
            ),
        )

    @cached_property
    def _t_participants(self) -> pd.DataFrame:
        Pp = self.people
        return as_typed(
            "participants",
            pd.DataFrame(
                {
                    "participant_id": Pp.id,
                    "unit_id": M.cat(Pp.unit, self.units.id),
                    "position_type": M.cat(Pp.pos, POSITION_TYPES),
                    "grade": M.cat(Pp.grade, GRADES),
                    "sex": np.where(Pp.female, "F", "M"),
                    "age_band": M.cat(Pp.band, AGE_BANDS),
                }
            ),
        )

    @cached_property
    def _t_sessions(self) -> pd.DataFrame:
        S = self.sessions
        return as_typed(
            "sessions",
            pd.DataFrame(
                {
                    "session_id": S.id,
                    "program": M.cat(S.program, bank.PROGRAMS),
                    "method": M.cat(S.method, METHODS),
                    "provider": M.cat(S.provider, PROVIDERS),
                    "start_date": S.start,
                    "end_date": S.end,
                    "jp": S.jp.astype(np.int64),
                    "schedule": M.cat(S.schedule, SCHEDULES),
                }
            ),
        )

    def _ids_of(self, enrol_idx: np.ndarray) -> dict:
        """participant_id and session_id columns for the given enrolment rows."""
        E = self.enroll
        return {
            "participant_id": M.cat(E.person[enrol_idx], self.people.id),
            "session_id": M.cat(E.session[enrol_idx], self.sessions.id),
        }

    @cached_property
    def _t_enrollments(self) -> pd.DataFrame:
        E = self.enroll
        reason = pd.Categorical.from_codes(E.reason, categories=list(ABSENCE_REASONS))
        return as_typed(
            "enrollments",
            pd.DataFrame(
                {
                    **self._ids_of(np.arange(E.n)),
                    "attended_jp": E.attended,
                    "completed": E.completed,
                    "absence_reason": reason,
                }
            ),
        )

    @cached_property
    def _t_instruments(self) -> pd.DataFrame:
        rows = [
            ("reaction", code, 1, cons, None, tid, ten, lo, hi)
            for code, cons, tid, ten, lo, hi in bank.REACTION_ITEMS
        ]
        for prog in bank.PROGRAMS:
            prefix, texts = bank.TEST_ITEMS[prog]
            rows += [
                ("knowledge_test", f"{prefix}{i + 1:02d}", 2, "knowledge", prog, tid, ten, 0, 1)
                for i, (tid, ten) in enumerate(texts)
            ]
        j = 0
        for cons, texts in bank.COMPETENCIES:
            for tid, ten in texts:
                j += 1
                rows.append(("behavior", f"B{j:02d}", 3, cons, None, tid, ten, 1, 5))
        rows += [
            ("behavior", f"D{i + 1:02d}", 3, cons, None, tid, ten, 1, 5)
            for i, (cons, tid, ten) in enumerate(bank.DRIVERS)
        ]
        rows += [
            ("ikm", code, 4, cons, None, name_id, name_en, 1, 4)
            for (code, name_id, name_en), cons in zip(
                IKM_ELEMENTS, bank.IKM_CONSTRUCTS, strict=True
            )
        ]
        cols = ["instrument", "item_code", "level", "construct", "program", "text_id", "text_en"]
        df = pd.DataFrame(rows, columns=[*cols, "scale_min", "scale_max"])
        df["reverse_keyed"] = False
        return as_typed("instruments", df)
