"""The programme and its data: what was delivered, to whom, by which methods and providers."""

from __future__ import annotations

from toolkit.report import figures
from toolkit.report.core import Analysis, Col, Figure, Paragraph, Section
from toolkit.report.needs import table

#: Templates of this section.
LABELS = {
    "title": {"id": "Program dan data", "en": "The programme and its data"},
    "scope": {"id": "Cakupan", "en": "Scope"},
    "scope_text": {
        "id": "Data mencakup {sessions} sesi pelatihan dari {programmes} program ({names}) "
        "antara {start} dan {end}: {invited} undangan kepada {people} pegawai dari {units} "
        "unit kerja. {completed} undangan ({completed_pct}) berakhir dengan sertifikat; "
        "{jp} JP diikuti dari {jp_planned} JP yang direncanakan ({jp_pct}).",
        "en": "The data cover {sessions} training sessions of {programmes} programme(s) "
        "({names}) between {start} and {end}: {invited} invitations to {people} civil "
        "servants from {units} units. {completed} invitations ({completed_pct}) ended with a "
        "certificate; {jp} JP were attended of {jp_planned} JP planned ({jp_pct}).",
    },
    "delivery": {"id": "Metode dan penyelenggara", "en": "Methods and providers"},
    "delivery_text": {
        "id": "Metode yang digunakan: {methods}. Penyelenggara: {providers}.",
        "en": "Methods used: {methods}. Providers: {providers}.",
    },
    "by_method": {
        "id": "Kehadiran dan penyelesaian menurut metode",
        "en": "Attendance and completion by method",
    },
    "completed_chart": {
        "id": "Persentase undangan yang selesai (bersertifikat), menurut metode",
        "en": "Share of invitations completed (certificate), by method",
    },
    "invited": {"id": "Undangan", "en": "Invitations"},
    "completed_share": {"id": "Selesai", "en": "Completed"},
    "jp_share": {"id": "JP diikuti", "en": "JP attended"},
}


def _scope(ctx):
    from toolkit.participation import attendance_summary

    d = ctx.data
    ses, enr = d.sessions, d.enrollments
    overall = ctx.memo("attendance", lambda: attendance_summary(enr, ses)).iloc[0]
    programmes = sorted(ses["program"].astype("str").unique())
    units = d.participants.loc[
        d.participants["participant_id"].isin(enr["participant_id"]), "unit_id"
    ].nunique()
    text = ctx.say(
        LABELS, "scope_text",
        sessions=ctx.count(len(ses)), programmes=ctx.count(len(programmes)),
        names=ctx.codes(programmes), start=ctx.date(ses["start_date"].min()),
        end=ctx.date(ses["end_date"].max()), invited=ctx.count(overall["n_invited"]),
        people=ctx.count(overall["n_participants"]), units=ctx.count(units),
        completed=ctx.count(overall["n_completed"]),
        completed_pct=ctx.pct(100 * overall["completed_share"]),
        jp=ctx.count(overall["jp_delivered"]), jp_planned=ctx.count(overall["jp_planned"]),
        jp_pct=ctx.pct(100 * overall["jp_share"]),
    )  # fmt: skip
    return [Paragraph(text)]


def _delivery(ctx):
    from toolkit.participation import attendance_summary

    ses = ctx.data.sessions
    methods = [m for m in ses["method"].cat.categories if (ses["method"] == m).any()]
    providers = [p for p in ses["provider"].cat.categories if (ses["provider"] == p).any()]
    blocks = [
        Paragraph(
            ctx.say(
                LABELS, "delivery_text", methods=ctx.codes(methods), providers=ctx.codes(providers)
            )  # fmt: skip
        )
    ]
    by = attendance_summary(ctx.data.enrollments, ses, by="method", min_group=ctx.min_group)
    by = by[by["n_invited"].fillna(1) > 0]
    by = ctx.protect(by, "n_participants")  # the methods add up to the totals of the scope
    by = by.assign(
        completed_pct=lambda t: 100 * t["completed_share"],
        lo=lambda t: 100 * t["completed_ci_low"],
        hi=lambda t: 100 * t["completed_ci_high"],
        jp_pct=lambda t: 100 * t["jp_share"],
    )
    sessions_per = ses.groupby("method", observed=True).size()
    by = by.assign(n_sessions=by["method"].map(sessions_per).astype(float))
    cols = [
        Col(ctx.label("method"), "method", "label"),
        Col(ctx.label("sessions"), "n_sessions", "int"),
        Col(ctx.say(LABELS, "invited"), "n_invited", "int"),
        Col(ctx.say(LABELS, "completed_share"), "completed_pct", "pct"),
        Col(ctx.ci_words(), ("lo", "hi"), "pct_ci", 0),
        Col(ctx.say(LABELS, "jp_share"), "jp_pct", "pct"),
    ]
    blocks.append(ctx.table(by, cols, ctx.say(LABELS, "by_method"), min_n="n_participants"))
    shown = by[~by["suppressed"]]
    if len(shown) >= 2:
        svg = figures.bars(
            [ctx.label(m) for m in shown["method"]], shown["completed_pct"],
            low=shown["lo"], high=shown["hi"], lang=ctx.lang, unit="%", decimals=0,
        )  # fmt: skip
        blocks.append(Figure(ctx.say(LABELS, "completed_chart"), svg))
    return blocks


SECTION = Section(
    "programme",
    LABELS["title"],
    (
        Analysis("scope", LABELS["scope"], (table("sessions"), table("enrollments")), _scope),
        Analysis(
            "delivery", LABELS["delivery"], (table("sessions"), table("enrollments")), _delivery
        ),
    ),
)
