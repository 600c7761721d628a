"""Level 3 (behaviour): change in on-the-job behaviour, rated by participants and supervisors."""

from __future__ import annotations

from toolkit.report import figures
from toolkit.report.core import Analysis, Col, Figure, KeyFigure, Paragraph, Section
from toolkit.report.needs import Need, behavior_waves, table

#: Templates of this section.
LABELS = {
    "title": {"id": "Level 3 – Perilaku di tempat kerja", "en": "Level 3 – Behaviour at work"},
    "change": {"id": "Perubahan perilaku", "en": "Change in behaviour"},
    "drivers": {"id": "Faktor pendukung penerapan", "en": "Required drivers"},
    "name": {
        "id": "Perubahan skor perilaku ({rater}, {wave})",
        "en": "Change in behaviour score ({rater}, {wave})",
    },
    "verdict_up": {
        "id": "Perilaku kerja membaik: menurut {rater}, skor naik {diff} poin (skala {scale}) "
        "{wave} pelatihan.",
        "en": "Behaviour at work improved: according to {rater_en}, scores rose {diff} points "
        "(on a {scale} scale) {wave} training.",
    },
    "verdict_none": {
        "id": "Tidak ada perubahan perilaku kerja yang jelas menurut {rater} {wave} pelatihan "
        "({diff} poin, skala {scale}).",
        "en": "No clear change in behaviour at work according to {rater_en} {wave} training "
        "({diff} points on a {scale} scale).",
    },
    "verdict_down": {
        "id": "Perilaku kerja memburuk menurut {rater}: skor turun {diff} poin (skala {scale}) "
        "{wave} pelatihan.",
        "en": "Behaviour at work worsened according to {rater_en}: scores fell {diff} points "
        "(on a {scale} scale) {wave} training.",
    },
    "verdict_unknown": {
        "id": "Menurut {rater}, skor perilaku berubah {diff} poin (skala {scale}) {wave} "
        "pelatihan; datanya terlalu sedikit untuk menilai ketidakpastiannya.",
        "en": "According to {rater_en}, behaviour scores changed by {diff} points (on a {scale} "
        "scale) {wave} training; there are too few data to judge the uncertainty.",
    },
    "rows_text": {
        "id": "Perbandingan dengan baseline untuk setiap penilai dan gelombang yang ada di "
        "data ({waves}). Butir driver_* (faktor pendukung) tidak termasuk dalam skor.",
        "en": "Comparisons with baseline for every rater and wave in the data ({waves}). "
        "driver_* items (required drivers) are not part of the score.",
    },
    "table": {
        "id": "Skor perilaku rata-rata sebelum dan sesudah, per penilai dan gelombang",
        "en": "Mean behaviour score before and after, by rater and wave",
    },
    "chart": {
        "id": "Perubahan skor perilaku dari baseline, dengan IK 95%",
        "en": "Change in behaviour score from baseline, with 95% CI",
    },
    "drivers_text": {
        "id": "{n} peserta dinilai pada butir faktor pendukung ({items}).",
        "en": "{n} participants were rated on driver items ({items}).",
    },
    "drivers_table": {
        "id": "Faktor pendukung: rata-rata penilaian per butir",
        "en": "Required drivers: mean rating per item",
    },
    "rater": {"id": "Penilai", "en": "Rater"},
    "wave": {"id": "Gelombang", "en": "Wave"},
    "before": {"id": "Baseline", "en": "Baseline"},
    "after": {"id": "Sesudah", "en": "After"},
    "change_col": {"id": "Perubahan", "en": "Change"},
    "item": {"id": "Butir", "en": "Item"},
    "construct": {"id": "Faktor", "en": "Driver"},
    "mean": {"id": "Rata-rata", "en": "Mean"},
    "ratings": {"id": "Penilaian", "en": "Ratings"},
    "after_wave": {"id": "{months} bulan setelah", "en": "{months} months after"},
    "supervisor_word": {"id": "atasan", "en": "supervisors"},
    "self_word": {"id": "peserta sendiri", "en": "participants themselves"},
}


def _waves(d) -> list[str]:
    waves = d.behavior["wave"]
    return [w for w in waves.cat.categories if w != "baseline" and (waves == w).any()]


def change(ctx):
    """Paired change from baseline to each follow-up wave present, per rater present."""
    from toolkit.behavior import behavior_change

    d = ctx.data

    def compute():
        raters = tuple(
            r for r in d.behavior["rater"].cat.categories if (d.behavior["rater"] == r).any()
        )
        out = behavior_change(d.behavior, instruments=d.instruments, rater=raters,
                              compare=("baseline", *_waves(d)))  # fmt: skip
        return out[out["n"] >= 2].reset_index(drop=True)

    return ctx.memo("behavior_change", compute)


def _wave_words(ctx, wave: str) -> str:
    months = str(wave).removeprefix("followup_").removesuffix("m")
    return ctx.say(LABELS, "after_wave", months=months)


def _scale(ctx) -> str:
    inst = ctx.data.instruments
    b = inst[
        (inst["instrument"] == "behavior")
        & ~inst["construct"].astype("str").str.startswith("driver_")
    ]
    lo, hi = int(b["scale_min"].min()), int(b["scale_max"].max())
    return f"{lo}–{hi}"


def _run_change(ctx):
    c = change(ctx)
    if c.empty:
        raise ValueError("no rater has ratings at baseline and follow-up for two participants")
    # headline: the supervisor's first follow-up when rated, else the participant's own
    order = c.assign(pref=(c["rater"] != "supervisor").astype(int)).sort_values(
        ["pref", "wave_to"], kind="stable"
    )
    r = order.iloc[0]
    rater_word = LABELS[f"{r['rater']}_word"]
    fields = {"rater": rater_word["id"], "rater_en": rater_word["en"],
              "wave": _wave_words(ctx, r["wave_to"]).lower(), "scale": _scale(ctx),
              "diff": ctx.num(abs(r["estimate"]), 2)}  # fmt: skip
    key = ctx.direction(r["ci_low"], r["ci_high"])
    if key in ("verdict_none", "verdict_unknown"):
        fields["diff"] = ctx.num(r["estimate"], 2, sign=True)
    verdict = ctx.say(LABELS, key, **fields)
    c = c.assign(
        rater_label=[ctx.label(x) for x in c["rater"]],
        wave_label=[_wave_words(ctx, w) for w in c["wave_to"]],
    )
    labels = [f"{a}, {b}" for a, b in zip(c["rater_label"], c["wave_label"], strict=True)]
    svg = figures.bars(labels, c["estimate"], low=c["ci_low"], high=c["ci_high"],
                       lang=ctx.lang, decimals=2, reference=0.0)  # fmt: skip
    figure = Figure(ctx.say(LABELS, "chart"), svg)
    name = ctx.say(LABELS, "name", rater=ctx.label(r["rater"]).lower(),
                   wave=_wave_words(ctx, r["wave_to"]).lower())  # fmt: skip
    shown = (
        f"{ctx.num(r['estimate'], 2, sign=True)} ({ctx.ci_words()} "
        f"{ctx.ci(r['ci_low'], r['ci_high'], 2)}; n = {ctx.count(r['n'])})"
    )
    ctx.key_figures.append(
        KeyFigure(
            3,
            f"behavior_{r['rater']}_{r['wave_to']}",
            name,
            float(r["estimate"]),
            float(r["ci_low"]),
            float(r["ci_high"]),
            int(r["n"]),
            shown,
            verdict,
            figure,
        )  # fmt: skip
    )
    cols = [
        Col(LABELS["rater"][ctx.lang], "rater_label", "text"),
        Col(LABELS["wave"][ctx.lang], "wave_label", "text"),
        Col(ctx.label("participants"), "n", "int"),
        Col(LABELS["before"][ctx.lang], "mean_from", "num", 2),
        Col(LABELS["after"][ctx.lang], "mean_to", "num", 2),
        Col(LABELS["change_col"][ctx.lang], "estimate", "num", 2, sign=True),
        Col(ctx.ci_words(), ("ci_low", "ci_high"), "ci", 2),
    ]
    waves = ", ".join(_wave_words(ctx, w).lower() for w in _waves(ctx.data))
    return [
        Paragraph(verdict, "verdict"),
        Paragraph(ctx.say(LABELS, "rows_text", waves=waves)),
        # rater × wave rows of overlapping people add up to no total: primary rule only
        ctx.table(c, cols, ctx.say(LABELS, "table"), min_n="n", complementary=False),
        figure,
    ]


def _driver_items(d) -> list[str]:
    inst = d.instruments
    drivers = inst[
        (inst["instrument"] == "behavior")
        & inst["construct"].astype("str").str.startswith("driver_")
    ]
    answered = set(d.behavior["item_code"].astype("str").unique()) if len(d.behavior) else set()
    return [c for c in drivers["item_code"].astype("str") if c in answered]


def _run_drivers(ctx):
    d = ctx.data
    items = _driver_items(d)
    rated = d.behavior[
        d.behavior["item_code"].astype("str").isin(items) & d.behavior["rating"].notna()
    ]
    per = (
        rated.groupby("item_code", observed=True)
        .agg(mean=("rating", "mean"), n=("participant_id", "nunique"), ratings=("rating", "size"))
        .reset_index()
    )
    inst = d.instruments.drop_duplicates("item_code").set_index("item_code")
    constructs = per["item_code"].astype("str").map(inst["construct"].astype("str"))
    per = per.assign(construct=[ctx.label(c).removeprefix("driver ") for c in constructs])
    cols = [
        Col(LABELS["item"][ctx.lang], "item_code", "text"),
        Col(LABELS["construct"][ctx.lang], "construct", "text"),
        Col(ctx.label("participants"), "n", "int"),
        Col(LABELS["mean"][ctx.lang], "mean", "num", 2),
    ]
    text = ctx.say(LABELS, "drivers_text", n=ctx.count(rated["participant_id"].nunique()),
                   items=", ".join(items))  # fmt: skip
    caption = ctx.say(LABELS, "drivers_table")  # items of the same people: no total
    return [Paragraph(text), ctx.table(per, cols, caption, min_n="n", complementary=False)]


def _has_drivers(d):
    if _driver_items(d):
        return None
    return {
        "id": "tidak ada butir perilaku dengan construct berawalan driver_ yang dinilai",
        "en": "no behaviour item whose construct starts with driver_ was rated",
    }


_DRIVERS = Need(
    "driver_items",
    _has_drivers,
    {
        "id": "tambahkan butir faktor pendukung (construct driver_supervisor_support, "
        "driver_opportunity_to_apply …) ke instrumen perilaku",
        "en": "add required-driver items (construct driver_supervisor_support, "
        "driver_opportunity_to_apply …) to the behaviour instrument",
    },
)

SECTION = Section(
    "behavior",
    LABELS["title"],
    (
        Analysis(
            "behavior_change", LABELS["change"], (table("behavior"), behavior_waves()), _run_change
        ),  # fmt: skip
        Analysis("drivers", LABELS["drivers"], (table("behavior"), _DRIVERS), _run_drivers),
    ),
    level=3,
)
