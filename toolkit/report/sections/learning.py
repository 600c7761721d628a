"""Level 2 (learning): pre- and post-test scores, Hake's gain, the paired effect size."""

from __future__ import annotations

from toolkit.report import figures
from toolkit.report.core import Analysis, Col, Figure, KeyFigure, Paragraph, Section
from toolkit.report.needs import Need, table

#: Templates of this section.
LABELS = {
    "title": {"id": "Level 2 – Pembelajaran", "en": "Level 2 – Learning"},
    "prepost": {"id": "Skor sebelum dan sesudah", "en": "Scores before and after"},
    "by_method": {"id": "Pembelajaran menurut metode", "en": "Learning by method"},
    "by_provider": {"id": "Pembelajaran menurut penyelenggara", "en": "Learning by provider"},
    "name": {"id": "Kenaikan skor tes", "en": "Rise in test scores"},
    "verdict_up": {
        "id": "Peserta belajar: skor tes naik dari {pre} ke {post} benar (gain Hake {g}, "
        "kategori {band}).",
        "en": "Participants learned: test scores rose from {pre} to {post} correct (Hake "
        "gain {g}, {band}).",
    },
    "verdict_none": {
        "id": "Tidak ada kenaikan skor tes yang jelas: {pre} sebelum dan {post} sesudah pelatihan.",
        "en": "No clear rise in test scores: {pre} before and {post} after training.",
    },
    "verdict_down": {
        "id": "Skor tes turun dari {pre} ke {post} benar; periksa kunci jawaban dan "
        "kesetaraan tes sebelum dan sesudah.",
        "en": "Test scores fell from {pre} to {post} correct; check the answer keys and "
        "whether the pre- and post-tests are equivalent.",
    },
    "verdict_unknown": {
        "id": "Skor tes {pre} sebelum dan {post} sesudah pelatihan; datanya terlalu sedikit "
        "untuk menilai ketidakpastiannya.",
        "en": "Test scores were {pre} before and {post} after training; there are too few "
        "data to judge the uncertainty.",
    },
    "detail": {
        "id": "{n} peserta mengikuti kedua tes. Rata-rata kenaikan {diff} poin persen "
        "({ci_words} {ci}); efek berpasangan d_z = {dz} ({ci_words} {dz_ci}).",
        "en": "{n} participants took both tests. Mean rise {diff} percentage points "
        "({ci_words} {ci}); paired effect size d_z = {dz} ({ci_words} {dz_ci}).",
    },
    "unpaired": {
        "id": "{n} peserta hanya mengikuti salah satu tes dan tidak dihitung.",
        "en": "{n} participants took only one of the tests and are not counted.",
    },
    "chart": {
        "id": "Rata-rata skor tes (persen benar) sebelum dan sesudah",
        "en": "Mean test score (percent correct) before and after",
    },
    "group_table": {
        "id": "Skor sebelum dan sesudah, dan gain Hake, menurut {what}",
        "en": "Scores before and after, and Hake's gain, by {what}",
    },
    "one_group": {
        "id": "Semua sesi memiliki {what} yang sama ({value}); perbandingan tidak dapat dibuat.",
        "en": "Every session has the same {what} ({value}); no comparison can be made.",
    },
    "pre": {"id": "Sebelum", "en": "Before"},
    "post": {"id": "Sesudah", "en": "After"},
    "gain": {"id": "Gain Hake", "en": "Hake's gain"},
    "band": {"id": "Kategori", "en": "Band"},
    "low": {"id": "rendah", "en": "low"},
    "medium": {"id": "sedang", "en": "medium"},
    "high": {"id": "tinggi", "en": "high"},
    "method_word": {"id": "metode", "en": "method"},
    "provider_word": {"id": "penyelenggara", "en": "provider"},
}


def scores(ctx):
    """Paired pre/post scores per participant and session (used by every analysis of the section)."""
    from toolkit.learning import prepost_scores

    return ctx.memo("prepost_scores", lambda: prepost_scores(ctx.data.tests))


def _paired(ctx):
    s = scores(ctx)
    return s.dropna(subset=["pre", "post"])


def _band(ctx, code) -> str:
    return LABELS.get(str(code), {}).get(ctx.lang, str(code))


def _run_prepost(ctx):
    from toolkit.learning import normalized_gain, paired_effect_sizes, prepost_test

    paired = _paired(ctx)
    gain = normalized_gain(paired).iloc[0]
    test = prepost_test(paired).iloc[0]
    es = paired_effect_sizes(paired)
    dz = es[es["measure"] == "d_z"].iloc[0]
    fields = {"pre": ctx.pct(gain["mean_pre"]), "post": ctx.pct(gain["mean_post"]),
              "g": ctx.num(gain["g_class"], 2), "band": _band(ctx, gain["hake_band"])}  # fmt: skip
    verdict = ctx.say(LABELS, ctx.direction(test["ci_low"], test["ci_high"]), **fields)
    svg = figures.grouped_bars(
        [LABELS["name"][ctx.lang]],
        {LABELS["pre"][ctx.lang]: [gain["mean_pre"]], LABELS["post"][ctx.lang]: [gain["mean_post"]]},
        lang=ctx.lang, unit="%", decimals=0,
    )  # fmt: skip
    figure = Figure(ctx.say(LABELS, "chart"), svg)
    shown = (
        f"{ctx.num(test['estimate'], 1, sign=True)} "
        f"({ctx.ci_words()} {ctx.ci(test['ci_low'], test['ci_high'])}; n = {ctx.count(test['n'])})"
    )
    ctx.key_figures.append(
        KeyFigure(
            2,
            "score_change",
            ctx.say(LABELS, "name"),
            float(test["estimate"]),
            float(test["ci_low"]),
            float(test["ci_high"]),
            int(test["n"]),
            shown,
            verdict,
            figure,
        )  # fmt: skip
    )
    blocks = [
        Paragraph(verdict, "verdict"),
        Paragraph(
            ctx.say(
                LABELS,
                "detail",
                n=ctx.count(test["n"]),
                diff=ctx.num(test["estimate"], 1),
                ci_words=ctx.ci_words(),
                ci=ctx.ci(test["ci_low"], test["ci_high"]),
                dz=ctx.num(dz["estimate"], 2),
                dz_ci=ctx.ci(dz["ci_low"], dz["ci_high"], 2),
            )  # fmt: skip
        ),
    ]
    unpaired = len(scores(ctx)) - len(paired)
    if unpaired:
        blocks.append(Paragraph(ctx.say(LABELS, "unpaired", n=ctx.count(unpaired)), "note"))
    blocks.append(figure)
    return blocks


def _by(column: str):
    def run(ctx):
        from toolkit.learning import normalized_gain

        what = LABELS[f"{column}_word"][ctx.lang]
        paired = _paired(ctx).merge(ctx.data.sessions[["session_id", column]], on="session_id")
        values = paired[column].astype("str").unique()
        if len(values) < 2:
            text = ctx.say(LABELS, "one_group", what=what, value=ctx.label(values[0]))
            return [Paragraph(text, "note")]
        g = normalized_gain(paired, by=column)
        g = g[g["n"] > 0].assign(band=lambda t: [_band(ctx, b) for b in t["hake_band"]])
        cols = [
            Col(ctx.label(column), column, "label"),
            Col(ctx.label("participants"), "n", "int"),
            Col(LABELS["pre"][ctx.lang], "mean_pre", "pct", 1),
            Col(LABELS["post"][ctx.lang], "mean_post", "pct", 1),
            Col(LABELS["gain"][ctx.lang], "g_class", "num", 2),
            Col(LABELS["band"][ctx.lang], "band", "text"),
        ]
        caption = ctx.say(LABELS, "group_table", what=what)
        return [ctx.table(g, cols, caption, min_n="n")]

    return run


def _two_phases(d):
    from toolkit.learning import prepost_scores

    if not len(d.tests):
        return None
    n = len(prepost_scores(d.tests).dropna(subset=["pre", "post"]))
    if n >= 2:
        return None
    return {
        "id": f"perlu sekurang-kurangnya 2 peserta dengan pre-test dan post-test; ditemukan {n}",
        "en": f"needs at least 2 participants with both a pre- and a post-test; found {n}",
    }


_PAIRED = Need(
    "prepost_pairs",
    _two_phases,
    {
        "id": "catat tes sebelum (phase = pre) dan sesudah (phase = post) untuk peserta yang sama",
        "en": "record tests before (phase = pre) and after (phase = post) for the same people",
    },
)
_NEEDS = (table("tests"), _PAIRED)

SECTION = Section(
    "learning",
    LABELS["title"],
    (
        Analysis("prepost", LABELS["prepost"], _NEEDS, _run_prepost),
        Analysis("learning_by_method", LABELS["by_method"], _NEEDS, _by("method")),
        Analysis("learning_by_provider", LABELS["by_provider"], _NEEDS, _by("provider")),
    ),
    level=2,
)
