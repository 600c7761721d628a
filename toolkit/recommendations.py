"""Recommendations generated from the evidence, in Indonesian and English.

The article ends with two recommendations (flexible schedules; partnerships with universities
and professional organisations) stated without numbers. :func:`recommend` turns the analyses
of :mod:`toolkit.participation`, :mod:`toolkit.scheduling` and :mod:`toolkit.providers` into a
table of recommendations, each carrying the number that triggered it, the threshold it was
compared with, how strong the evidence is, and the analysis it comes from, e.g. "53 % of
absences cite workload or schedule conflicts → offer flexible formats (flexible timing,
asynchronous or blended options, recordings, make-up sessions): flexible sessions lost hours
in 13 % of invitations against 26 % for weekend sessions".

Stated availability is weighed against observed attendance: the slots most staff *say* they
can attend (often Saturday mornings) are reported as live repeats, not as the schedule, when
sessions of that type lost more hours than flexible ones (:func:`toolkit.scheduling.slot_schedule`
maps a slot to its schedule type). The 20 JP rules count civil servants (PNS) only: the 20 JP
minimum is a PNS right (PP 11/2017 as amended by PP 17/2020; Peraturan LAN 10/2018), while the
competency development of contract staff (PPPK) rests on PP 49/2018 and their work agreement;
:func:`recommend_from_data` leaves people whose ``grade`` is ``"PPPK"`` out of them.

Thresholds are parameters with documented defaults (:data:`THRESHOLDS`), never hidden
constants: pass ``thresholds={"work_absence_share": 0.3}`` to change one. Each rule:

==========================  =================================================  ==========
rule                        fires when                                         default
==========================  =================================================  ==========
``flexible_schedule``       share of absences citing workload or schedule      0.40
                            conflicts ≥ ``work_absence_share``
``leave_office_hours``      missed-hours share in office-hours sessions minus  0.10
                            the other schedules ≥ ``office_hours_gap``
``jp_shortfall``            share of PNS meeting 20 JP (latest year) <         0.80
                            ``jp_meeting_share``
``unit_focus``              some unit's share of PNS meeting 20 JP <           0.50
                            ``unit_meeting_share`` (units of ≥ 5 people)
``partner_speakers``        a partner's trainer rating exceeds internal by     0.25
                            ≥ ``rating_difference`` points (CI above 0)
``partner_cost``            a partner's cost per participant-JP is ≥           1.50
                            ``cost_ratio`` times internal
``no_learning_advantage``   no partner's effect on learning gain differs from  CI has 0
                            internal (every interval contains 0)
``partnership_tradeoff``    moving budget to partners trains ≥ ``trained_drop``  0.05
                            fewer people (relative change)
==========================  =================================================  ==========

Strength: ``"strong"`` when the whole confidence interval lies beyond the threshold,
``"moderate"`` when only the estimate does (the interval straddles it).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit.disclosure import MIN_GROUP
from toolkit.i18n import localize_numbers, slot_label
from toolkit.intervals import newcombe_difference
from toolkit.validation import check_number, check_one_of

__all__ = ["COLUMNS", "LABELS", "RULES", "THRESHOLDS", "recommend", "recommend_from_data"]

#: Default thresholds of the rules (see the module docstring).
THRESHOLDS: dict[str, float] = {
    "work_absence_share": 0.40,
    "office_hours_gap": 0.10,
    "jp_meeting_share": 0.80,
    "unit_meeting_share": 0.50,
    "rating_difference": 0.25,
    "cost_ratio": 1.50,
    "trained_drop": 0.05,
}

#: Rules in the order they are reported.
RULES = (
    "flexible_schedule",
    "leave_office_hours",
    "jp_shortfall",
    "unit_focus",
    "partner_speakers",
    "partner_cost",
    "no_learning_advantage",
    "partnership_tradeoff",
)

#: Columns of :func:`recommend`.
COLUMNS = (
    "rule", "status", "fired", "strength", "value", "ci_low", "ci_high", "threshold",
    "comparison", "evidence", "source", "text_id", "text_en",
)  # fmt: skip

#: Labels of the rules (``toolkit.i18n.label(..., extra=LABELS)``).
LABELS: dict[str, dict[str, str]] = {
    "flexible_schedule": {"id": "Jadwal fleksibel", "en": "Flexible schedule"},
    "leave_office_hours": {"id": "Kurangi sesi jam kerja", "en": "Fewer office-hour sessions"},
    "jp_shortfall": {"id": "Pemenuhan 20 JP", "en": "Meeting 20 JP"},
    "unit_focus": {"id": "Unit prioritas", "en": "Units to focus on"},
    "partner_speakers": {"id": "Narasumber mitra", "en": "Partner speakers"},
    "partner_cost": {"id": "Biaya mitra", "en": "Cost of partners"},
    "no_learning_advantage": {
        "id": "Tidak ada keunggulan hasil belajar",
        "en": "No learning advantage",
    },
    "partnership_tradeoff": {"id": "Timbal balik kemitraan", "en": "Partnership trade-off"},
    "fired": {"id": "Berlaku", "en": "Fired"},
    "silent": {"id": "Tidak berlaku", "en": "Silent"},
    "no_data": {"id": "Tidak ada data", "en": "No data"},
    "strong": {"id": "Kuat", "en": "Strong"},
    "moderate": {"id": "Sedang", "en": "Moderate"},
}

_PARTNER_NAMES = {
    "university": ("perguruan tinggi", "universities"),
    "professional_org": ("organisasi profesi", "professional organisations"),
}


# --------------------------------------------------------------------------- formatting
def _pct(x: float, lang: str, digits: int = 0) -> str:
    return localize_numbers(f"{100 * x:.{digits}f}%", lang).replace("-", "−")


def _num(x: float, lang: str, digits: int = 2) -> str:
    return localize_numbers(f"{x:,.{digits}f}", lang).replace("-", "−")


def _both(fn, *args, **kw) -> tuple[str, str]:
    return fn(*args, "id", **kw), fn(*args, "en", **kw)


def _strength(value, low, high, threshold, above: bool) -> str:
    bound = low if above else high
    if bound is None or bound != bound:
        return "moderate"
    return "strong" if (bound >= threshold if above else bound < threshold) else "moderate"


def _row(rule, fired, value, threshold, comparison, source, texts=("", ""), **kw) -> dict:
    above = comparison in (">=", ">")
    low, high = kw.get("ci_low", np.nan), kw.get("ci_high", np.nan)
    return {
        "rule": rule,
        "status": "fired" if fired else "silent",
        "fired": bool(fired),
        "strength": _strength(value, low, high, threshold, above) if fired else "",
        "value": float(value) if value is not None else np.nan,
        "ci_low": float(low) if low is not None else np.nan,
        "ci_high": float(high) if high is not None else np.nan,
        "threshold": threshold,
        "comparison": comparison,
        "evidence": kw.get("evidence", ""),
        "source": source,
        "text_id": texts[0] if fired else "",
        "text_en": texts[1] if fired else "",
    }


# --------------------------------------------------------------------------- the rules
#: How each schedule type is named in a sentence (``"... against 26% for weekend sessions"``).
_SCHEDULE_PHRASES = {
    "office_hours": ("pada jam kerja", "in office hours"),
    "after_hours": ("di luar jam kerja", "after office hours"),
    "weekend": ("pada sesi akhir pekan", "for weekend sessions"),
    "flexible": ("pada jadwal fleksibel", "on a flexible schedule"),
}


def _series(items: list[str], conj: str) -> str:
    """``a, b and c`` (``a, b dan c``)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conj} {items[-1]}"


def _observed(attendance):
    """Missed-hours share per schedule type, for types with at least MIN_GROUP people."""
    if attendance is None or "schedule" not in attendance.columns:
        return None
    who = "n_participants" if "n_participants" in attendance.columns else "n_invited"
    ok = attendance[(attendance[who] >= MIN_GROUP) & (attendance["n_invited"] > 0)]
    share = ok["n_missed"].to_numpy(dtype=float) / ok["n_invited"].to_numpy(dtype=float)
    return pd.Series(share, index=ok["schedule"].astype("str").to_numpy())


def _flexible(absence, slots, attendance, th):
    """Flexible formats, weighing stated availability against observed attendance.

    The article's "jadwal fleksibel" is flexible timing: asynchronous or blended options,
    recordings and make-up sessions, not a choice of weekly slots. Stated availability
    (``slots``) says when staff *could* come; the enrolments (``attendance``) show where
    invitations actually lost hours. When the slots most staff call convenient are of a
    schedule type that lost more hours than flexible sessions, the text says so and keeps
    them as live repeats, not as the schedule.
    """
    rows = absence[(absence["kind"] == "group") & (absence["reason"] == "work")]
    if len(rows) != 1:
        raise ValueError(
            "`absence` must be the overall absence_reasons table (no `by`), with the 'work' "
            "group of reasons."
        )
    r = rows.iloc[0]
    t = th["work_absence_share"]
    fired = r["share"] >= t
    ev = f"{int(r['n_absences'])} of {int(r['n'])} absences with a reason"
    tid = (
        f"{_pct(r['share'], 'id')} ketidakhadiran (IK 95% {_pct(r['ci_low'], 'id')} s.d. "
        f"{_pct(r['ci_high'], 'id')}) karena beban kerja atau bentrok jadwal → sediakan format "
        "yang fleksibel: waktu yang fleksibel, pilihan asinkron atau campuran (blended), rekaman, "
        "dan sesi pengganti"
    )
    ten = (
        f"{_pct(r['share'], 'en')} of absences (95% CI {_pct(r['ci_low'], 'en')} to "
        f"{_pct(r['ci_high'], 'en')}) cite workload or schedule conflicts → offer flexible "
        "formats: flexible timing, asynchronous or blended options, recordings and make-up "
        "sessions"
    )
    seen = _observed(attendance)
    flex = seen.get("flexible") if seen is not None else None
    if flex is not None:
        others = seen.drop("flexible").sort_values()
        if len(others):
            parts = [(_pct(v, "id"), _pct(v, "en"), _SCHEDULE_PHRASES.get(k, (k, k)))
                     for k, v in others.items()]  # fmt: skip
            tid += (
                f". Undangan pada jadwal fleksibel kehilangan JP pada {_pct(flex, 'id')} kasus, "
                "dibanding " + _series([f"{a} {ph[0]}" for a, _, ph in parts], "dan")
            )
            ten += (
                f". Invitations on a flexible schedule lost hours in {_pct(flex, 'en')} of cases, "
                "against " + _series([f"{b} {ph[1]}" for _, b, ph in parts], "and")
            )
            ev += "; missed hours " + ", ".join(f"{k} {v:.3f}" for k, v in seen.items())
    if slots is not None:
        names = " & ".join(slots.slots)
        names_id = " & ".join(slot_label(x, "id") for x in slots.slots)
        names_en = " & ".join(slot_label(x, "en") for x in slots.slots)
        now_id = now_en = ""
        if slots.comparison is not None:
            cur = slots.comparison.iloc[0]
            now_id = f" (jadwal sekarang {_pct(cur['share'], 'id')})"
            now_en = f" (current schedule {_pct(cur['share'], 'en')})"
        reach = "reaches" if len(slots.slots) == 1 else "reach"
        from toolkit.scheduling import slot_schedule

        kinds = slot_schedule(slots.slots).dropna()
        worse = (
            [seen[k] for k in kinds if k in seen.index and seen[k] > flex]
            if flex is not None
            else []
        )
        if worse:
            lost = max(worse)
            tid += (
                f". Menurut ketersediaan yang dinyatakan, {names_id} menjangkau "
                f"{_pct(slots.share, 'id')} pegawai{now_id}, tetapi sesi jenis itu kehilangan JP "
                f"pada {_pct(lost, 'id')} undangan: gunakan slot tersebut untuk sesi ulangan "
                "tatap muka yang disertai rekaman dan sesi pengganti, bukan sebagai seluruh jadwal"
            )
            ten += (
                f". By stated availability, {names_en} {reach} {_pct(slots.share, 'en')} of "
                f"staff{now_en}, but sessions of that type lost hours in {_pct(lost, 'en')} of "
                "invitations: use those slots for live repeats with a recording and a make-up "
                "session, not as the whole schedule"
            )
        else:
            tid += (
                f"; sesi ulangan tatap muka pada {names_id} menjangkau "
                f"{_pct(slots.share, 'id')} pegawai{now_id}"
            )
            ten += f"; live repeats at {names_en} reach {_pct(slots.share, 'en')} of staff{now_en}"
        ev += f"; slots {names}: {slots.n_covered} of {slots.n_staff} staff (stated)"
    return _row(
        "flexible_schedule", fired, r["share"], t, ">=",
        "toolkit.participation.absence_reasons; toolkit.participation.attendance_summary; "
        "toolkit.scheduling.recommend_slots",
        (tid + ".", ten + "."), ci_low=r["ci_low"], ci_high=r["ci_high"], evidence=ev,
    )  # fmt: skip


def _office_hours(attendance, th):
    check_one_of("attendance (by)", "schedule", list(attendance.columns))
    sched = attendance["schedule"].astype("str")
    office = attendance[sched == "office_hours"]
    other = attendance[sched != "office_hours"]
    x1, n1 = office["n_missed"].sum(), office["n_invited"].sum()
    x2, n2 = other["n_missed"].sum(), other["n_invited"].sum()
    who = "n_participants" if "n_participants" in attendance.columns else "n_invited"
    people = (office[who].sum(), other[who].sum())
    if n1 == 0 or n2 == 0 or min(people) < MIN_GROUP:
        return None  # a comparison resting on a handful of people is not published
    d, lo, hi = newcombe_difference(x1, n1, x2, n2)
    t = th["office_hours_gap"]
    tid = (
        f"{_pct(x1 / n1, 'id')} undangan sesi jam kerja kehilangan JP, dibanding "
        f"{_pct(x2 / n2, 'id')} di luar jam kerja (selisih {_pct(d, 'id')}, IK 95% "
        f"{_pct(lo, 'id')} s.d. {_pct(hi, 'id')}) → pindahkan sesi ke luar jam kerja, "
        "sebaiknya dalam format fleksibel atau campuran (blended)."
    )
    ten = (
        f"{_pct(x1 / n1, 'en')} of office-hours invitations lose hours against "
        f"{_pct(x2 / n2, 'en')} outside office hours (difference {_pct(d, 'en')}, 95% CI "
        f"{_pct(lo, 'en')} to {_pct(hi, 'en')}) → move sessions out of office hours, "
        "preferably into flexible or blended formats."
    )
    ev = f"{int(x1)}/{int(n1)} office hours vs {int(x2)}/{int(n2)} other schedules"
    return _row(
        "leave_office_hours", d >= t, d, t, ">=", "toolkit.participation.attendance_summary",
        (tid, ten), ci_low=lo, ci_high=hi, evidence=ev,
    )  # fmt: skip


def _jp(fulfilment, th):
    s = fulfilment.summary.sort_values("year").iloc[-1]
    t = th["jp_meeting_share"]
    behind = fulfilment.behind
    k = int((behind["year"] == s["year"]).sum())
    y = int(s["year"])
    tid = (
        f"Hanya {_pct(s['share_meeting'], 'id')} PNS memenuhi 20 JP pada {y} "
        f"(IK 95% {_pct(s['ci_low'], 'id')} s.d. {_pct(s['ci_high'], 'id')}); {int(s['n_zero'])} "
        f"orang tanpa JP sama sekali → prioritaskan {k} PNS yang paling tertinggal (daftar "
        "pseudonim) dan hitung juga pengembangan nonklasikal (e-learning, coaching)."
    )
    ten = (
        f"Only {_pct(s['share_meeting'], 'en')} of civil servants (PNS) met 20 JP in {y} "
        "(95% CI "
        f"{_pct(s['ci_low'], 'en')} to {_pct(s['ci_high'], 'en')}); {int(s['n_zero'])} had none "
        f"→ give priority to the {k} furthest behind (pseudonym list) and count non-classical "
        "development (e-learning, coaching) too."
    )
    ev = f"{int(s['n_meeting'])} of {int(s['n'])} PNS in {y}; mean {s['mean_jp']:.1f} JP"
    return _row(
        "jp_shortfall", s["share_meeting"] < t, s["share_meeting"], t, "<",
        "toolkit.participation.jp_fulfilment", (tid, ten),
        ci_low=s["ci_low"], ci_high=s["ci_high"], evidence=ev,
    )  # fmt: skip


def _units(fulfilment, th):
    g = fulfilment.groups
    if g is None or g.empty:
        return None
    last = g[(g["year"] == g["year"].max()) & ~g["suppressed"]]
    unit_col = [c for c in g.columns if c not in ("year",)][0]
    t = th["unit_meeting_share"]
    low = last[last["share_meeting"] < t].sort_values("share_meeting")
    worst = last.loc[last["share_meeting"].idxmin()] if len(last) else None
    value = float(worst["share_meeting"]) if worst is not None else np.nan
    names = ", ".join(
        f"{u} ({_pct(v, 'en')})" for u, v in zip(low[unit_col], low["share_meeting"], strict=True)
    )
    names_id = localize_numbers(names, "id")
    y = int(g["year"].max())
    tid = f"Unit dengan < {_pct(t, 'id')} PNS memenuhi 20 JP pada {y}: {names_id} → fokus."
    ten = f"Units where < {_pct(t, 'en')} of PNS met 20 JP in {y}: {names} → focus there."
    ev = f"{len(low)} of {len(last)} units (suppressed units left out)"
    return _row(
        "unit_focus", len(low) > 0, value, t, "<", "toolkit.participation.jp_fulfilment (by unit)",
        (tid, ten), evidence=ev, ci_low=worst["ci_low"] if worst is not None else np.nan,
        ci_high=worst["ci_high"] if worst is not None else np.nan,
    )  # fmt: skip


def _partner_speakers(model, th):
    eff = model.provider_effects()
    if eff.empty:
        return None
    best = eff.loc[eff["estimate"].idxmax()]
    t = th["rating_difference"]
    fired = best["estimate"] >= t and best["ci_low"] > 0
    who = best["term"][len("provider[") : -1]
    name_id, name_en = _PARTNER_NAMES.get(who, (who, who))
    d_id, d_en = _both(_num, best["estimate"])
    tid = (
        f"Narasumber dari {name_id} dinilai {d_id} poin lebih tinggi daripada internal (IK 95% "
        f"{_num(best['ci_low'], 'id')} s.d. {_num(best['ci_high'], 'id')}, dengan kontrol program "
        "dan peserta) → jalin kemitraan untuk program yang sangat bergantung pada narasumber."
    )
    ten = (
        f"Speakers from {name_en} are rated {d_en} points higher than internal ones (95% CI "
        f"{_num(best['ci_low'], 'en')} to {_num(best['ci_high'], 'en')}, controlling for "
        "programme and participants) → partner for speaker-dependent programmes."
    )
    ev = "; ".join(
        f"{r.term}: {r.estimate:+.2f} [{r.ci_low:+.2f}, {r.ci_high:+.2f}]" for r in eff.itertuples()
    )
    return _row(
        "partner_speakers", fired, best["estimate"], t, ">=", "toolkit.providers.provider_model",
        (tid, ten), ci_low=best["ci_low"], ci_high=best["ci_high"], evidence=ev,
    )  # fmt: skip


def _partner_cost(costs, th):
    rows = costs[(costs["measure"] == "cost_per_jp_delivered") & costs["ratio"].notna()]
    col = [c for c in costs.columns if c not in ("measure",)][0]
    rows = rows[rows[col].astype("str") != "internal"]
    if rows.empty:
        return None
    worst = rows.loc[rows["ratio"].idxmax()]
    t = th["cost_ratio"]
    who = str(worst[col])
    name_id, name_en = _PARTNER_NAMES.get(who, (who, who))
    tid = (
        f"Sesi {name_id} berbiaya {_num(worst['ratio'], 'id', 1)}× sesi internal per JP peserta "
        f"(IK 95% {_num(worst['ratio_ci_low'], 'id', 1)} s.d. {_num(worst['ratio_ci_high'], 'id', 1)}"
        ") → gunakan mitra secara selektif dan latih narasumber internal (training of trainers)."
    )
    ten = (
        f"Sessions by {name_en} cost {_num(worst['ratio'], 'en', 1)}× internal ones per "
        f"participant-JP (95% CI {_num(worst['ratio_ci_low'], 'en', 1)} to "
        f"{_num(worst['ratio_ci_high'], 'en', 1)}) → use partners selectively and train "
        "internal trainers (training of trainers)."
    )
    ev = "; ".join(f"{r[col]}: {r['ratio']:.2f}x" for _, r in rows.iterrows())
    return _row(
        "partner_cost", worst["ratio"] >= t, worst["ratio"], t, ">=",
        "toolkit.providers.cost_per_outcome", (tid, ten),
        ci_low=worst["ratio_ci_low"], ci_high=worst["ratio_ci_high"], evidence=ev,
    )  # fmt: skip


def _effects_in_words(eff: pd.DataFrame, digits: int) -> tuple[str, str]:
    """Provider effects as people read them: ``perguruan tinggi −0,5 (IK 95% −4,8 s.d. 3,8)``."""
    out = []
    for lang, i, ci, to in (("id", 0, "IK 95%", "s.d."), ("en", 1, "95% CI", "to")):
        parts = []
        for r in eff.itertuples():
            who = r.term.removeprefix("provider[").removesuffix("]")
            name = _PARTNER_NAMES.get(who, (who, who))[i]
            est = localize_numbers(f"{r.estimate:+.{digits}f}", lang).replace("-", "−")
            lo = _num(r.ci_low, lang, digits)
            hi = _num(r.ci_high, lang, digits)
            parts.append(f"{name} {est} ({ci} {lo} {to} {hi})")
        out.append("; ".join(parts))
    return out[0], out[1]


def _no_learning(model, th):
    eff = model.provider_effects()
    if eff.empty:
        return None
    contains = bool(((eff["ci_low"] <= 0) & (eff["ci_high"] >= 0)).all())
    widest = eff.loc[(eff["ci_high"] - eff["ci_low"]).idxmax()]
    ev = "; ".join(
        f"{r.term}: {r.estimate:+.1f} [{r.ci_low:+.1f}, {r.ci_high:+.1f}]" for r in eff.itertuples()
    )
    said_id, said_en = _effects_in_words(eff, 1)
    tid = (
        "Tidak ada bukti bahwa sesi mitra menghasilkan peningkatan nilai tes yang berbeda dari "
        f"sesi internal ({said_id}) → tawar harga, bukan hanya kualitas; ukur hasil belajar per "
        "program sebelum memperluas kemitraan."
    )
    ten = (
        "No evidence that partner sessions produce different test gains from internal ones "
        f"({said_en}) → negotiate on price, not only quality; measure learning per programme "
        "before scaling partnerships up."
    )
    return _row(
        "no_learning_advantage", contains, widest["estimate"], 0.0, "CI contains",
        "toolkit.providers.provider_model (learning gain)", (tid, ten),
        ci_low=widest["ci_low"], ci_high=widest["ci_high"], evidence=ev,
    )  # fmt: skip


def _tradeoff(scenario, th):
    tot = scenario[scenario["provider"] == "total"].set_index("measure")
    if "participants" not in tot.index:
        return None
    p = tot.loc["participants"]
    rel = -p["change"] / p["current"] if p["current"] else np.nan
    rel_lo = -p["change_ci_high"] / p["current"]
    rel_hi = -p["change_ci_low"] / p["current"]
    t = th["trained_drop"]
    shift, src = float(scenario["shift"].iloc[0]), str(scenario["source"].iloc[0])
    extra_en = extra_id = ""
    if "mean_trainer_rating" in tot.index and np.isfinite(tot.loc["mean_trainer_rating", "change"]):
        r = tot.loc["mean_trainer_rating"]
        extra_en = f", for {r['change']:+.2f} points of mean trainer rating"
        extra_id = f", dengan perubahan rata-rata penilaian narasumber {_num(r['change'], 'id')}"
    lost = -p["change"]
    src_id = "internal" if src == "internal" else src
    tid = (
        f"Jika {_pct(shift, 'id')} anggaran sesi {src_id} dialihkan ke mitra, peserta yang "
        f"terlatih berkurang {_num(lost, 'id', 0)} orang ({_pct(rel, 'id')}, IK 95% "
        f"{_pct(rel_lo, 'id')} s.d. {_pct(rel_hi, 'id')}){extra_id} → biayai mitra dari anggaran "
        "tambahan atau khususkan untuk program prioritas."
    )
    ten = (
        f"Moving {_pct(shift, 'en')} of the {src} budget to partners would train "
        f"{_num(lost, 'en', 0)} fewer people ({_pct(rel, 'en')}, 95% CI {_pct(rel_lo, 'en')} to "
        f"{_pct(rel_hi, 'en')}){extra_en} → fund partners from extra budget or reserve them "
        "for priority programmes."
    )
    ev = f"participants {p['current']:.0f} → {p['scenario']:.0f}"
    return _row(
        "partnership_tradeoff", rel >= t, rel, t, ">=", "toolkit.providers.partnership_scenario",
        (tid, ten), ci_low=rel_lo, ci_high=rel_hi, evidence=ev,
    )  # fmt: skip


# --------------------------------------------------------------------------- public
def _civil_servants(participants, enrollments):
    """People who hold the 20 JP right (PNS) and their enrolments: PPPK left out.

    Contract staff are recognised by ``grade == "PPPK"`` (the data dictionary's code);
    without a ``grade`` column everyone is kept.
    """
    if not len(participants) or "grade" not in participants.columns:
        return participants, enrollments
    pppk = participants["grade"].astype("str").str.strip().str.upper() == "PPPK"
    keep = participants.loc[~pppk]
    ids = set(participants.loc[pppk, "participant_id"].astype("str"))
    return keep, enrollments[~enrollments["participant_id"].astype("str").isin(ids)]


def recommend(
    *,
    absence: pd.DataFrame | None = None,
    slots=None,
    attendance: pd.DataFrame | None = None,
    fulfilment=None,
    rating_model=None,
    costs: pd.DataFrame | None = None,
    gain_model=None,
    scenario: pd.DataFrame | None = None,
    thresholds: Mapping[str, float] | None = None,
    include_silent: bool = False,
) -> pd.DataFrame:
    """Evidence-generated recommendations with the numbers and thresholds behind each.

    Parameters
    ----------
    absence : DataFrame, optional
        :func:`toolkit.participation.absence_reasons` (overall, without ``by``).
    slots : SlotRecommendation, optional
        :func:`toolkit.scheduling.recommend_slots` (with ``current`` for the comparison).
    attendance : DataFrame, optional
        :func:`toolkit.participation.attendance_summary` with ``by="schedule"``.
    fulfilment : JPFulfilment, optional
        :func:`toolkit.participation.jp_fulfilment` of the civil servants (PNS) who hold the
        20 JP right (with ``by="unit_id"`` for ``unit_focus``); leave PPPK out.
    rating_model : ProviderModel, optional
        :func:`toolkit.providers.provider_model` of the trainer rating.
    costs : DataFrame, optional
        :func:`toolkit.providers.cost_per_outcome` by provider, reference internal.
    gain_model : ProviderModel, optional
        :func:`toolkit.providers.provider_model` of the learning gain.
    scenario : DataFrame, optional
        :func:`toolkit.providers.partnership_scenario`.
    thresholds : mapping, optional
        Overrides of :data:`THRESHOLDS`.
    include_silent : bool
        Also list the rules that did not fire (``status`` "silent") or had no data
        (``"no_data"``).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: ``rule``, ``status``, ``fired``, ``strength``, ``value`` (the
        number compared), ``ci_low``, ``ci_high``, ``threshold``, ``comparison``, ``evidence``
        (the counts behind it), ``source`` (the analysis), ``text_id``, ``text_en``.

    Examples
    --------
    >>> absence = pd.DataFrame({"kind": ["group"], "reason": ["work"], "n_absences": [53],
    ...     "n": [100], "share": [0.53], "ci_low": [0.43], "ci_high": [0.63]})
    >>> out = recommend(absence=absence)
    >>> out[["rule", "strength", "value", "threshold"]]
                    rule strength  value  threshold
    0  flexible_schedule   strong   0.53        0.4
    >>> print(out.loc[0, "text_en"])
    53% of absences (95% CI 43% to 63%) cite workload or schedule conflicts → offer flexible formats: flexible timing, asynchronous or blended options, recordings and make-up sessions.
    >>> recommend(absence=absence, thresholds={"work_absence_share": 0.6}).empty
    True
    """
    th = dict(THRESHOLDS)
    for key, value in (thresholds or {}).items():
        check_one_of("thresholds", key, tuple(THRESHOLDS))
        check_number(f"thresholds[{key!r}]", value, low=0)
        th[key] = float(value)
    check_one_of("include_silent", include_silent, (False, True))
    inputs = {
        "flexible_schedule": (absence, lambda: _flexible(absence, slots, attendance, th)),
        "leave_office_hours": (attendance, lambda: _office_hours(attendance, th)),
        "jp_shortfall": (fulfilment, lambda: _jp(fulfilment, th)),
        "unit_focus": (fulfilment, lambda: _units(fulfilment, th)),
        "partner_speakers": (rating_model, lambda: _partner_speakers(rating_model, th)),
        "partner_cost": (costs, lambda: _partner_cost(costs, th)),
        "no_learning_advantage": (gain_model, lambda: _no_learning(gain_model, th)),
        "partnership_tradeoff": (scenario, lambda: _tradeoff(scenario, th)),
    }
    rows = []
    for rule in RULES:
        given, run = inputs[rule]
        row = run() if given is not None else None
        if row is None:
            row = {c: np.nan for c in COLUMNS} | {
                "rule": rule, "status": "no_data", "fired": False, "strength": "",
                "evidence": "", "source": "", "text_id": "", "text_en": "", "comparison": "",
            }  # fmt: skip
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    if not include_silent:
        out = out[out["fired"]].reset_index(drop=True)
    return out


def recommend_from_data(
    data,
    *,
    k: int = 2,
    current=None,
    shift: float = 0.25,
    rating_items=None,
    thresholds: Mapping[str, float] | None = None,
    include_silent: bool = False,
    seed: int = 2025,
) -> pd.DataFrame:
    """Run every analysis behind :func:`recommend` on an :class:`~toolkit.data.EvaluationData`.

    Analyses whose data are missing are skipped (their rules report ``no_data``): slots
    need ``availability``; provider comparisons need sessions by the office's own
    trainers (``internal``) and by at least one other provider; the speaker rule needs
    rating items of the trainer. Parameters are those of :func:`recommend` and of the
    analyses: ``k`` and ``current`` (the slots in use now, compared with the recommended
    ones; slots not in the availability data are left out of the comparison) for
    :func:`~toolkit.scheduling.recommend_slots`, ``shift`` for
    :func:`~toolkit.providers.partnership_scenario`, ``seed`` for the bootstraps.
    ``rating_items`` are the reaction items that rate the trainer: by default those whose
    construct is ``trainer`` (the data dictionary's convention).

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> recs = recommend_from_data(load(toolkit.SAMPLE_DATA))  # doctest: +SKIP
    """
    from toolkit import participation as pa
    from toolkit import providers as pv
    from toolkit import scheduling as sc
    from toolkit.learning import prepost_scores

    ev: dict = {}
    enr, ses, ppl = data.enrollments, data.sessions, data.participants
    if len(enr) and len(ses):
        if enr["absence_reason"].notna().any():
            ev["absence"] = pa.absence_reasons(enr, ses)
        # the comparison needs every schedule's counts; small groups are dropped in the rule
        ev["attendance"] = pa.attendance_summary(enr, ses, by="schedule", min_group=0)
        unit = "unit_id" if len(ppl) else None
        pns, pns_enr = _civil_servants(ppl, enr)
        if len(pns_enr):
            ev["fulfilment"] = pa.jp_fulfilment(
                pns_enr, ses, participants=pns if len(ppl) else None, by=unit
            )
    if len(data.availability):
        slots = set(data.availability["slot"].astype("str"))
        now = [s for s in (current or []) if s in slots] or None
        ev["slots"] = sc.recommend_slots(data.availability, k=min(k, len(slots)), current=now)
    providers = set(ses["provider"].astype("str")) if len(ses) else set()
    partners = "internal" in providers and len(providers) > 1
    if rating_items is None:
        inst = data.instruments
        trainer = (inst["instrument"] == "reaction") & (
            inst["construct"].astype("str") == "trainer"
        )
        rating_items = inst.loc[trainer, "item_code"].astype("str").tolist()
    if partners and len(data.costs) and len(enr):
        rated = {"reaction": data.reaction, "trainer_item": rating_items[0]} if rating_items else {}
        table = pv.session_table(data.costs, enr, ses, tests=data.tests, **rated)
        ev["costs"] = pv.cost_per_outcome(table, seed=seed)
        ev["scenario"] = pv.partnership_scenario(table, shift=shift, seed=seed)
    if partners and len(data.reaction) and len(ppl) and rating_items:
        r = data.reaction[data.reaction["item_code"].astype("str").isin(list(rating_items))]
        r = r[r["response"].notna() & (r["response"] != 99)]
        frame = r.merge(ses, on="session_id").merge(ppl, on="participant_id")
        frame = frame.assign(rating=frame["response"].astype(float))
        if len(frame):
            ev["rating_model"] = pv.provider_model(frame, outcome="rating")
    if partners and len(data.tests) and len(ppl):
        sc_ = prepost_scores(data.tests).dropna(subset=["pre", "post"])
        frame = sc_.merge(ses, on="session_id").merge(ppl, on="participant_id")
        frame = frame.assign(gain=frame["post"] - frame["pre"])
        if len(frame):
            ev["gain_model"] = pv.provider_model(frame, outcome="gain")
    return recommend(**ev, thresholds=thresholds, include_silent=include_silent)
