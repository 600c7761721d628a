"""Level 4 (results): public satisfaction (IKM) and what training changed in it."""

from __future__ import annotations

import numpy as np

from toolkit.report import figures
from toolkit.report.core import Analysis, Col, Figure, KeyFigure, Paragraph, Section
from toolkit.report.needs import table, treated_and_comparison_units

#: Templates of this section.
LABELS = {
    "title": {
        "id": "Level 4 – Hasil: kepuasan masyarakat",
        "en": "Level 4 – Results: public satisfaction",
    },
    "level": {"id": "Indeks Kepuasan Masyarakat", "en": "Public satisfaction index (IKM)"},
    "did": {"id": "Dampak pelatihan pada IKM", "en": "Effect of training on the IKM"},
    "ikm_name": {"id": "IKM (nilai konversi)", "en": "IKM (converted)"},
    "did_name": {
        "id": "Selisih kenaikan IKM unit dilatih vs pembanding",
        "en": "Extra rise of trained units' IKM over comparison units",
    },
    "level_text": {
        "id": "IKM seluruh unit yang disurvei: {ikm} (mutu {grade}, {grade_label}) dari {n} "
        "responden, {periods} periode ({first} – {last}), {units} unit.",
        "en": "IKM of all units surveyed: {ikm} (grade {grade}, {grade_label}) from {n} "
        "respondents, {periods} periods ({first} – {last}), {units} units.",
    },
    "level_verdict": {
        "id": "Kepuasan masyarakat berada pada mutu {grade} ({grade_label}): IKM {ikm}. "
        "Data ini tidak memungkinkan memisahkan pengaruh pelatihan dari perubahan lain.",
        "en": "Public satisfaction is at grade {grade} ({grade_label}): IKM {ikm}. These data "
        "cannot separate the effect of training from other changes.",
    },
    "lowest": {
        "id": "Unsur dengan nilai terendah: {elements}.",
        "en": "Lowest-rated elements: {elements}.",
    },
    "period_table": {"id": "IKM per periode", "en": "IKM by period"},
    "chart": {
        "id": "IKM (nilai konversi) per periode: unit dilatih dan unit pembanding",
        "en": "IKM (converted) by period: trained and comparison units",
    },
    "chart_all": {"id": "IKM (nilai konversi) per periode", "en": "IKM (converted) by period"},
    "verdict_up": {
        "id": "Pelatihan menaikkan kepuasan masyarakat: setelah pelatihan, IKM unit yang "
        "dilatih naik {est} poin lebih banyak daripada unit pembanding.",
        "en": "Training raised public satisfaction: after training, the IKM of trained units "
        "rose {est} points more than in comparison units.",
    },
    "verdict_none": {
        "id": "Tidak terdeteksi pengaruh pelatihan pada IKM: selisih antara unit dilatih dan "
        "pembanding {est} poin, dengan interval yang mencakup nol.",
        "en": "No effect of training on the IKM was detected: the difference between trained "
        "and comparison units is {est} points, with an interval that includes zero.",
    },
    "verdict_down": {
        "id": "IKM unit yang dilatih turun {est} poin dibanding unit pembanding setelah pelatihan.",
        "en": "After training, the IKM of trained units fell {est} points relative to "
        "comparison units.",
    },
    "verdict_unknown": {
        "id": "Setelah pelatihan, IKM unit yang dilatih berubah {est} poin dibanding unit "
        "pembanding, tetapi unitnya terlalu sedikit untuk menilai ketidakpastiannya.",
        "en": "After training, the IKM of trained units changed by {est} points relative to "
        "comparison units, but there are too few units to judge the uncertainty.",
    },
    "few_clusters": {
        "id": "Hanya {n} unit: galat baku berkelompok kurang andal dengan kurang dari 20 "
        "unit; baca intervalnya dengan hati-hati.",
        "en": "Only {n} units: clustered standard errors are unreliable with fewer than 20 "
        "units; read the interval with care.",
    },
    "did_text": {
        "id": "Selisih-dalam-selisih dengan efek tetap unit dan periode: {est} poin ({ci_words} "
        "{ci}), {n_units} unit ({n_treated} dilatih, {n_comparison} pembanding), {n} "
        "pengamatan unit × periode. Hasil ini sahih bila tanpa pelatihan IKM kedua kelompok "
        "akan bergerak sejajar.",
        "en": "Difference-in-differences with unit and period fixed effects: {est} points "
        "({ci_words} {ci}), {n_units} units ({n_treated} trained, {n_comparison} "
        "comparison), {n} unit × period observations. This holds if, without training, both "
        "groups' IKM would have moved in parallel.",
    },
    "staggered": {
        "id": "Unit dilatih pada periode yang berbeda-beda; estimator efek tetap dua arah "
        "dapat bias bila efeknya berubah menurut waktu.",
        "en": "Units were trained in different periods; the two-way fixed-effects estimator "
        "can be biased when the effect changes over time.",
    },
    "trained": {"id": "Unit dilatih", "en": "Trained units"},
    "comparison": {"id": "Unit pembanding", "en": "Comparison units"},
    "respondents": {"id": "Responden", "en": "Respondents"},
    "units_word": {"id": "unit", "en": "units"},
    "grade": {"id": "Mutu", "en": "Grade"},
}


def ikm_overall(ctx):
    """The IKM of every response."""
    from toolkit.results import ikm

    return ctx.memo("ikm", lambda: ikm(ctx.data.ikm_responses))


def _grade_label(ctx, row) -> str:
    return str(row["label_id"] if ctx.lang == "id" else row["label_en"])


def _run_level(ctx):
    from toolkit.results import ikm, ikm_elements

    d = ctx.data
    overall = ikm_overall(ctx).iloc[0]
    by_period = ikm(d.ikm_responses, by="period")
    periods = [str(p) for p in by_period["period"]]
    fields = {"ikm": ctx.num(overall["converted"], 2), "grade": str(overall["grade"]),
              "grade_label": _grade_label(ctx, overall)}  # fmt: skip
    text = ctx.say(
        LABELS, "level_text", n=ctx.count(overall["n"]), periods=ctx.count(len(periods)),
        first=periods[0], last=periods[-1], units=ctx.count(d.ikm_responses["unit_id"].nunique()),
        **fields,
    )  # fmt: skip
    elements = ikm_elements(d.ikm_responses)
    blocks = []
    verdict = ""
    if not _did_possible(ctx):  # else the verdict comes from the difference-in-differences
        verdict = ctx.say(LABELS, "level_verdict", **fields)
        blocks.append(Paragraph(verdict, "verdict"))
    shown = f"{ctx.num(overall['converted'], 2)} ({fields['grade']}; n = {ctx.count(overall['n'])})"
    ctx.key_figures.append(
        KeyFigure(
            4,
            "ikm",
            LABELS["ikm_name"][ctx.lang],
            float(overall["converted"]),
            np.nan,
            np.nan,
            int(overall["n"]),
            shown,
            verdict,
            _chart(ctx),
        )  # fmt: skip
    )
    blocks.append(Paragraph(text))
    low = elements.nsmallest(3, "nrr") if "nrr" in elements else None
    if low is not None and len(low):
        col = "name_id" if ctx.lang == "id" else "name_en"
        names = [f"{e} ({ctx.num(v, 2)})" for e, v in zip(low[col], low["nrr"], strict=True)]
        blocks.append(Paragraph(ctx.say(LABELS, "lowest", elements=", ".join(names))))
    cols = [
        Col(ctx.label("period"), "period", "text"),
        Col(LABELS["respondents"][ctx.lang], "n", "int"),
        Col(LABELS["ikm_name"][ctx.lang], "converted", "num", 2),
        Col(LABELS["grade"][ctx.lang], "grade", "text"),
    ]
    blocks.append(ctx.table(by_period, cols, ctx.say(LABELS, "period_table"), min_n="n"))
    blocks.append(_chart(ctx))
    return blocks


def _chart(ctx) -> Figure:
    return ctx.memo("ikm_chart", lambda: _make_chart(ctx))


def _make_chart(ctx) -> Figure:
    panel = ikm_by_unit(ctx)
    if "treated" in panel and panel["treated"].nunique() == 2:
        wide = panel.groupby(["period", "treated"], observed=True)["converted"].mean().unstack()
        series = {
            LABELS["trained"][ctx.lang]: wide[True].to_numpy(),
            LABELS["comparison"][ctx.lang]: wide[False].to_numpy(),
        }
        caption = ctx.say(LABELS, "chart")
    else:
        wide = panel.groupby("period", observed=True)["converted"].mean().to_frame("all")
        series = {"IKM": wide["all"].to_numpy()}
        caption = ctx.say(LABELS, "chart_all")
    svg = figures.lines([str(p) for p in wide.index], series, lang=ctx.lang, decimals=0)
    return Figure(caption, svg)


def ikm_by_unit(ctx):
    """The unit × quarter IKM panel (with training status when units are given), computed
    once for the chart and the difference-in-differences."""
    from toolkit.results import ikm_panel

    d = ctx.data
    units = d.units if len(d.units) else None
    return ctx.memo("ikm_panel", lambda: ikm_panel(d.ikm_responses, units=units))


def did_estimate(ctx):
    """Two-way fixed-effects DiD of the converted IKM, with the panel it was fitted on."""
    from toolkit.results import did

    def compute():
        panel = ikm_by_unit(ctx)
        est = did(panel, outcome="converted", treated="treated", post="treated_post",
                  unit="unit_id", period="period")  # fmt: skip
        return panel, est

    return ctx.memo("did", compute)


def _did_possible(ctx) -> bool:
    from toolkit.report.needs import unmet

    return ctx.memo("did_possible", lambda: unmet(_DID_NEEDS, ctx.data) is None)


def _run_did(ctx):
    panel, est = did_estimate(ctx)
    r = est[est["term"] == "did"].iloc[0]
    key = ctx.direction(r["ci_low"], r["ci_high"])
    signed = key in ("verdict_none", "verdict_unknown")
    value = r["estimate"] if signed else abs(r["estimate"])
    verdict = ctx.say(LABELS, key, est=ctx.num(value, 1, sign=signed))
    units = panel.drop_duplicates("unit_id")
    n_treated = int(units["treated"].sum())
    shown = (
        f"{ctx.num(r['estimate'], 1, sign=True)} ({ctx.ci_words()} "
        f"{ctx.ci(r['ci_low'], r['ci_high'])}; {ctx.count(r['n_clusters'])} "
        f"{ctx.say(LABELS, 'units_word')})"
    )
    ctx.key_figures.append(
        KeyFigure(
            4,
            "ikm_did",
            LABELS["did_name"][ctx.lang],
            float(r["estimate"]),
            float(r["ci_low"]),
            float(r["ci_high"]),
            int(r["n_clusters"]),
            shown,
            verdict,
            _chart(ctx),
        )  # fmt: skip
    )
    blocks = [
        Paragraph(verdict, "verdict"),
        Paragraph(
            ctx.say(
                LABELS,
                "did_text",
                est=ctx.num(r["estimate"], 1, sign=True),
                ci_words=ctx.ci_words(),
                ci=ctx.ci(r["ci_low"], r["ci_high"]),
                n_units=ctx.count(len(units)),
                n_treated=ctx.count(n_treated),
                n_comparison=ctx.count(len(units) - n_treated),
                n=ctx.count(r["n"]),
            )  # fmt: skip
        ),
    ]
    if len(units) < 20:
        blocks.append(Paragraph(ctx.say(LABELS, "few_clusters", n=ctx.count(len(units))), "note"))
    if units.loc[units["treated"], "first_treated"].nunique() > 1:
        blocks.append(Paragraph(ctx.say(LABELS, "staggered"), "note"))
    return blocks


_DID_NEEDS = (table("ikm_responses"), table("units"), treated_and_comparison_units())

SECTION = Section(
    "impact",
    LABELS["title"],
    (
        Analysis("ikm_level", LABELS["level"], (table("ikm_responses"),), _run_level),
        Analysis("ikm_did", LABELS["did"], _DID_NEEDS, _run_did),
    ),
    level=4,
)
