"""Level 5 (Phillips ROI): fully loaded costs, isolated benefits, and their ratio."""

from __future__ import annotations

import warnings

import numpy as np

from toolkit.report import figures
from toolkit.report.core import Analysis, Col, Figure, KeyFigure, Paragraph, Section
from toolkit.report.needs import table

#: Templates of this section.
LABELS = {
    "title": {"id": "Level 5 – Laba atas investasi (ROI)", "en": "Level 5 – Return on investment"},
    "costs": {"id": "Biaya penuh", "en": "Fully loaded costs"},
    "roi": {"id": "Manfaat dan ROI", "en": "Benefits and ROI"},
    "name": {"id": "ROI tahun pertama", "en": "First-year ROI"},
    "costs_text": {
        "id": "Biaya penuh tahun ini: {total} dari {lines} baris biaya. Komponen terbesar: "
        "{top} ({share}).",
        "en": "Fully loaded costs this year: {total} from {lines} cost lines. Largest "
        "component: {top} ({share}).",
    },
    "no_salaries": {
        "id": "Tidak ada baris biaya waktu peserta (participant_salaries); biaya penuh "
        "dan ROI menjadi terlalu menguntungkan.",
        "en": "There is no cost line for participants' time (participant_salaries); the "
        "fully loaded cost is understated and the ROI too favourable.",
    },
    "cost_table": {"id": "Biaya penuh menurut komponen", "en": "Fully loaded costs by component"},
    "verdict_gain": {
        "id": "Pelatihan menghasilkan lebih dari biayanya pada tahun pertama: setiap Rp 1 "
        "menghasilkan manfaat terisolasi Rp {bcr} (ROI {roi}).",
        "en": "Training returned more than it cost in the first year: each Rp 1 spent "
        "returned Rp {bcr} in isolated benefits (ROI {roi}).",
    },
    "verdict_loss": {
        "id": "Pada tahun pertama manfaat belum menutup biaya penuh: setiap Rp 1 menghasilkan "
        "manfaat terisolasi Rp {bcr} (ROI {roi}); manfaat yang tidak dirupiahkan tidak "
        "termasuk.",
        "en": "In the first year benefits did not cover the full cost: each Rp 1 spent "
        "returned Rp {bcr} in isolated benefits (ROI {roi}); benefits not valued in "
        "rupiah are not included.",
    },
    "roi_text": {
        "id": "Manfaat terisolasi (konservatif) {benefits} terhadap biaya penuh {costs}: BCR "
        "{bcr}, ROI {roi}, balik modal {payback}.",
        "en": "Isolated benefits (conservative) {benefits} against fully loaded costs "
        "{costs}: BCR {bcr}, ROI {roi}, payback {payback}.",
    },
    "estimates_text": {
        "id": "Dari {n} estimasi manfaat peserta, {with_value} memuat angka; {no_data} tanpa "
        "angka dihitung nol dan {extreme} klaim ekstrem tidak dihitung. Nilai yang diklaim "
        "{claimed}; setelah dikalikan atribusi dan keyakinan tersisa {benefits}.",
        "en": "Of {n} benefit estimates by participants, {with_value} give a figure; {no_data} "
        "without a figure count as zero and {extreme} extreme claims are not counted. Value "
        "claimed {claimed}; after attribution and confidence {benefits} remain.",
    },
    "months": {"id": "{m} bulan", "en": "{m} months"},
    "never": {"id": "tidak tercapai", "en": "never"},
    "chart": {
        "id": "Biaya penuh dan manfaat terisolasi",
        "en": "Fully loaded costs and isolated benefits",
    },
    "component": {"id": "Komponen", "en": "Component"},
    "amount": {"id": "Jumlah", "en": "Amount"},
    "share": {"id": "Porsi", "en": "Share"},
    "benefits_bar": {"id": "Manfaat", "en": "Benefits"},
    "costs_bar": {"id": "Biaya", "en": "Costs"},
}


def costs(ctx):
    """Fully loaded costs of the whole evaluation (used by both analyses of the section)."""
    from toolkit.roi import fully_loaded_costs

    return ctx.memo("costs", lambda: fully_loaded_costs(ctx.data.costs, by=None))


def result(ctx):
    """Isolated benefits and the ROI."""
    from toolkit.roi import isolated_benefits, roi

    def compute():
        benefits = isolated_benefits(ctx.data.benefit_estimates)
        with warnings.catch_warnings():  # the missing salary line is stated in the text
            warnings.simplefilter("ignore", UserWarning)
            return benefits, roi(benefits, costs(ctx))

    return ctx.memo("roi", compute)


def _run_costs(ctx):
    from toolkit.plots.roi import LABELS as CATEGORY

    c = costs(ctx)
    total = c[c["category"] == "total"].iloc[0]
    parts = c[(c["category"] != "total") & (c["amount_idr"] > 0)]
    parts = parts.sort_values("amount_idr", ascending=False, kind="stable")
    parts = parts.assign(
        name=[CATEGORY.get(str(k), {}).get(ctx.lang, str(k)) for k in parts["category"]],
        pct=100 * parts["share"],
    )
    top = parts.iloc[0]
    blocks = [
        Paragraph(
            ctx.say(
                LABELS,
                "costs_text",
                total=ctx.idr(total["amount_idr"]),
                lines=ctx.count(total["n_lines"]),
                top=top["name"],
                share=ctx.pct(top["pct"]),
            )
        )  # fmt: skip
    ]
    if not (c.loc[c["category"] == "participant_salaries", "amount_idr"] > 0).any():
        blocks.append(Paragraph(ctx.say(LABELS, "no_salaries"), "note"))
    cols = [
        Col(LABELS["component"][ctx.lang], "name", "text"),
        Col(LABELS["amount"][ctx.lang], "amount_idr", "idr"),
        Col(LABELS["share"][ctx.lang], "pct", "pct", 1),
    ]
    blocks.append(ctx.table(parts, cols, ctx.say(LABELS, "cost_table")))
    return blocks


def _run_roi(ctx):
    benefits, r = result(ctx)
    row = r.table.iloc[0]
    b = benefits.iloc[0]
    roi_text = ctx.pct(row["roi_pct"], 0, sign=True)
    bcr = ctx.num(row["bcr"], 2)
    key = "verdict_gain" if row["roi_pct"] >= 0 else "verdict_loss"
    verdict = ctx.say(LABELS, key, bcr=bcr, roi=roi_text)
    payback = (
        ctx.say(LABELS, "months", m=ctx.num(row["payback_months"], 1))
        if np.isfinite(row["payback_months"])
        else ctx.say(LABELS, "never")
    )
    svg = figures.bars(
        [LABELS["costs_bar"][ctx.lang], LABELS["benefits_bar"][ctx.lang]],
        [row["costs_idr"] / 1e6, row["benefits_idr"] / 1e6], lang=ctx.lang, decimals=1,
        xlabel={"id": "juta rupiah", "en": "million rupiah"}[ctx.lang],
    )  # fmt: skip
    figure = Figure(ctx.say(LABELS, "chart"), svg)
    shown = f"{roi_text} (BCR {bcr}; {ctx.idr(row['benefits_idr'])} / {ctx.idr(row['costs_idr'])})"
    ctx.key_figures.append(
        KeyFigure(
            5,
            "roi",
            LABELS["name"][ctx.lang],
            float(row["roi_pct"]),
            np.nan,
            np.nan,
            int(b["n"]),
            shown,
            verdict,
            figure,
        )  # fmt: skip
    )
    return [
        Paragraph(verdict, "verdict"),
        Paragraph(
            ctx.say(
                LABELS,
                "roi_text",
                benefits=ctx.idr(row["benefits_idr"]),
                costs=ctx.idr(row["costs_idr"]),
                bcr=bcr,
                roi=roi_text,
                payback=payback,
            )
        ),  # fmt: skip
        Paragraph(
            ctx.say(
                LABELS,
                "estimates_text",
                n=ctx.count(b["n"]),
                with_value=ctx.count(b["n_with_value"]),
                no_data=ctx.count(b["n_no_data"]),
                extreme=ctx.count(b["n_extreme"]),
                claimed=ctx.idr(b["claimed_idr"]),
                benefits=ctx.idr(b["benefits_idr"]),
            )  # fmt: skip
        ),
        figure,
    ]


SECTION = Section(
    "roi",
    LABELS["title"],
    (
        Analysis("costs", LABELS["costs"], (table("costs"),), _run_costs),
        Analysis("roi", LABELS["roi"], (table("costs"), table("benefit_estimates")), _run_roi),
    ),
    level=5,
)
