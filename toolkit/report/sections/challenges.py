"""Challenges: missed hours and why, schedules, and the 20 JP yearly right."""

from __future__ import annotations

from toolkit.report import figures
from toolkit.report.core import Analysis, Col, Figure, Paragraph, Section
from toolkit.report.needs import Need, table

#: Templates of this section.
LABELS = {
    "title": {
        "id": "Tantangan: kehadiran dan hak 20 JP",
        "en": "Challenges: attendance and the 20 JP right",
    },
    "reasons": {"id": "Alasan tidak hadir", "en": "Reasons for missed hours"},
    "schedule": {"id": "Kehadiran menurut jadwal", "en": "Attendance by schedule"},
    "jp": {"id": "Hak 20 JP per tahun", "en": "The 20 JP yearly right"},
    "reasons_text": {
        "id": "{n} undangan dengan jam yang terlewat mencatat alasannya. Alasan terbanyak: "
        "{top} ({share}, {ci_words} {ci}); alasan pekerjaan (beban kerja dan bentrok jadwal) "
        "bersama-sama {work}.",
        "en": "{n} invitations with missed hours recorded a reason. Most frequent: {top} "
        "({share}, {ci_words} {ci}); work reasons (workload and schedule conflicts) together "
        "{work}.",
    },
    "unrecorded": {
        "id": "{n} undangan dengan jam yang terlewat tidak mencatat alasan dan tidak dihitung.",
        "en": "{n} invitations with missed hours have no reason recorded and are not counted.",
    },
    "reasons_table": {"id": "Alasan tidak hadir", "en": "Reasons for missed hours"},
    "reasons_chart": {
        "id": "Persentase alasan di antara undangan dengan alasan tercatat, dengan IK 95%",
        "en": "Share of each reason among invitations with a recorded reason, with 95% CI",
    },
    "schedule_text": {
        "id": "Jam terlewat paling sering pada jadwal {worst} ({worst_share} undangan) dan "
        "paling jarang pada jadwal {best} ({best_share}).",
        "en": "Hours were missed most often in {worst} sessions ({worst_share} of "
        "invitations) and least often in {best} sessions ({best_share}).",
    },
    "one_schedule": {
        "id": "Semua sesi memakai jadwal yang sama ({schedule}).",
        "en": "Every session ran on the same schedule ({schedule}).",
    },
    "schedule_table": {
        "id": "Kehadiran menurut jadwal sesi",
        "en": "Attendance by session schedule",
    },
    "jp_text": {
        "id": "Tahun {year}: {share} pegawai ({ci_words} {ci}) mencapai 20 JP dari pelatihan "
        "program ini; {zero} pegawai tanpa JP sama sekali; rata-rata {mean} JP.",
        "en": "Year {year}: {share} of staff ({ci_words} {ci}) reached 20 JP from this "
        "programme's training; {zero} staff had no JP at all; mean {mean} JP.",
    },
    "jp_note": {
        "id": "Hanya JP dari data ini yang dihitung; pengembangan kompetensi lain di luar "
        "program tidak tercatat di sini.",
        "en": "Only JP in these data are counted; other competency development outside the "
        "programme is not recorded here.",
    },
    "jp_table": {"id": "Pemenuhan 20 JP per tahun", "en": "20 JP fulfilment by year"},
    "reason": {"id": "Alasan", "en": "Reason"},
    "absences": {"id": "Undangan", "en": "Invitations"},
    "share": {"id": "Persentase", "en": "Share"},
    "invited": {"id": "Undangan", "en": "Invitations"},
    "missed": {"id": "Jam terlewat", "en": "Missed hours"},
    "completed": {"id": "Selesai", "en": "Completed"},
    "year": {"id": "Tahun", "en": "Year"},
    "staff": {"id": "Pegawai", "en": "Staff"},
    "meeting": {"id": "Mencapai 20 JP", "en": "Reached 20 JP"},
    "mean_jp": {"id": "Rata-rata JP", "en": "Mean JP"},
}


def absences(ctx):
    """Shares of the reasons for missed hours."""
    from toolkit.participation import absence_reasons

    d = ctx.data
    return ctx.memo("absence", lambda: absence_reasons(d.enrollments, d.sessions))


def _run_reasons(ctx):
    a = absences(ctx)
    reasons = a[(a["kind"] == "reason") & (a["n_absences"] > 0)].sort_values(
        "n_absences", ascending=False, kind="stable"
    )
    work = a[(a["kind"] == "group") & (a["reason"] == "work")]
    top = reasons.iloc[0]
    text = ctx.say(
        LABELS, "reasons_text", n=ctx.count(top["n"]), top=ctx.label(top["reason"]).lower(),
        share=ctx.pct(100 * top["share"]), ci_words=ctx.ci_words(),
        ci=ctx.ci(100 * top["ci_low"], 100 * top["ci_high"], 0, suffix="%"),
        work=ctx.pct(100 * work["share"].iloc[0]) if len(work) else "0%",
    )  # fmt: skip
    blocks = [Paragraph(text)]
    unrecorded = int(reasons["n_unrecorded"].max()) if len(reasons) else 0
    if unrecorded:
        blocks.append(Paragraph(ctx.say(LABELS, "unrecorded", n=ctx.count(unrecorded)), "note"))
    shown = reasons.assign(
        pct=100 * reasons["share"], lo=100 * reasons["ci_low"], hi=100 * reasons["ci_high"]
    )
    # the shares add up to 100 %: a rare reason is hidden with the next-rarest
    shown = ctx.protect(shown, "n_absences")
    cols = [
        Col(LABELS["reason"][ctx.lang], "reason", "label"),
        Col(LABELS["absences"][ctx.lang], "n_absences", "int"),
        Col(LABELS["share"][ctx.lang], "pct", "pct"),
        Col(ctx.ci_words(), ("lo", "hi"), "pct_ci", 0),
    ]
    blocks.append(ctx.table(shown, cols, ctx.say(LABELS, "reasons_table"), min_n="n_absences"))
    shown = shown[~shown["suppressed"]]
    svg = figures.bars([ctx.label(r) for r in shown["reason"]], shown["pct"], low=shown["lo"],
                       high=shown["hi"], lang=ctx.lang, unit="%", decimals=0)  # fmt: skip
    blocks.append(Figure(ctx.say(LABELS, "reasons_chart"), svg))
    return blocks


def _run_schedule(ctx):
    from toolkit.participation import attendance_summary

    d = ctx.data
    s = attendance_summary(d.enrollments, d.sessions, by="schedule", min_group=ctx.min_group)
    s = s[s["n_invited"].fillna(1) > 0]
    if len(s) < 2:
        return [
            Paragraph(ctx.say(LABELS, "one_schedule", schedule=ctx.label(s["schedule"].iloc[0])))
        ]
    s = ctx.protect(s, "n_participants")  # the schedules add up to every invitation
    big = s[~s["suppressed"]]
    blocks = []
    if len(big) >= 2:
        worst = big.loc[big["missed_share"].idxmax()]
        best = big.loc[big["missed_share"].idxmin()]
        blocks.append(
            Paragraph(
                ctx.say(
                    LABELS,
                    "schedule_text",
                    worst=ctx.label(worst["schedule"]).lower(),
                    worst_share=ctx.pct(100 * worst["missed_share"]),
                    best=ctx.label(best["schedule"]).lower(),
                    best_share=ctx.pct(100 * best["missed_share"]),
                )  # fmt: skip
            )
        )
    s = s.assign(missed=100 * s["missed_share"], done=100 * s["completed_share"])
    cols = [
        Col(ctx.label("schedule"), "schedule", "label"),
        Col(LABELS["invited"][ctx.lang], "n_invited", "int"),
        Col(LABELS["missed"][ctx.lang], "missed", "pct"),
        Col(LABELS["completed"][ctx.lang], "done", "pct"),
    ]
    blocks.append(ctx.table(s, cols, ctx.say(LABELS, "schedule_table"), min_n="n_participants"))
    return blocks


def fulfilment(ctx):
    """20 JP fulfilment per year."""
    from toolkit.participation import jp_fulfilment

    d = ctx.data
    ppl = d.participants if len(d.participants) else None
    return ctx.memo(
        "fulfilment", lambda: jp_fulfilment(d.enrollments, d.sessions, participants=ppl)
    )


def _run_jp(ctx):
    s = fulfilment(ctx).summary
    last = s.iloc[-1]
    blocks = [
        Paragraph(
            ctx.say(
                LABELS,
                "jp_text",
                year=str(int(last["year"])),
                share=ctx.pct(100 * last["share_meeting"]),
                ci_words=ctx.ci_words(),
                ci=ctx.ci(100 * last["ci_low"], 100 * last["ci_high"], 0, suffix="%"),
                zero=ctx.count(last["n_zero"]),
                mean=ctx.num(last["mean_jp"], 1),
            )  # fmt: skip
        ),
        Paragraph(ctx.say(LABELS, "jp_note"), "note"),
    ]
    s = s.assign(pct=100 * s["share_meeting"], lo=100 * s["ci_low"], hi=100 * s["ci_high"],
                 year_text=s["year"].astype(int).astype(str))  # fmt: skip
    cols = [
        Col(LABELS["year"][ctx.lang], "year_text", "text"),
        Col(LABELS["staff"][ctx.lang], "n", "int"),
        Col(LABELS["meeting"][ctx.lang], "pct", "pct"),
        Col(ctx.ci_words(), ("lo", "hi"), "pct_ci", 0),
        Col(LABELS["mean_jp"][ctx.lang], "mean_jp", "num", 1),
    ]
    # one row per year, each over all staff in scope: rows add up to no total
    blocks.append(ctx.table(s, cols, ctx.say(LABELS, "jp_table"), min_n="n", complementary=False))
    return blocks


def _reasons_recorded(d):
    n = int(d.enrollments["absence_reason"].notna().sum()) if len(d.enrollments) else 0
    if n:
        return None
    return {
        "id": "tidak ada undangan dengan alasan tidak hadir (absence_reason) yang tercatat",
        "en": "no invitation has a recorded reason for missed hours (absence_reason)",
    }


_REASONS = Need(
    "absence_reasons",
    _reasons_recorded,
    {
        "id": "isi kolom absence_reason di enrollments untuk setiap undangan dengan jam terlewat",
        "en": "fill absence_reason in enrollments for every invitation with missed hours",
    },
)
_CORE = (table("sessions"), table("enrollments"))

SECTION = Section(
    "challenges",
    LABELS["title"],
    (
        Analysis("absence_reasons", LABELS["reasons"], (*_CORE, _REASONS), _run_reasons),
        Analysis("attendance_by_schedule", LABELS["schedule"], _CORE, _run_schedule),
        Analysis("jp_fulfilment", LABELS["jp"], _CORE, _run_jp),
    ),
)
