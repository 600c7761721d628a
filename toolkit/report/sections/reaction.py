"""Level 1 (reaction): the rating-scale items, the Net Promoter Score and the comments."""

from __future__ import annotations

import numpy as np

from toolkit.report import figures
from toolkit.report.core import Analysis, Col, Figure, KeyFigure, Paragraph, Section
from toolkit.report.needs import Need, instrument_items, nps_item, table

#: Templates of this section.
LABELS = {
    "title": {"id": "Level 1 – Reaksi peserta", "en": "Level 1 – Participants' reaction"},
    "items": {"id": "Penilaian butir reaksi", "en": "Reaction items"},
    "nps": {"id": "Net Promoter Score", "en": "Net Promoter Score"},
    "by_method": {"id": "Reaksi menurut metode", "en": "Reaction by method"},
    "comments": {"id": "Komentar peserta", "en": "Participants' comments"},
    "top2_name": {"id": "Jawaban setuju/sangat setuju", "en": "Answers agree/strongly agree"},
    "verdict_good": {
        "id": "Peserta menilai pelatihan dengan baik: rata-rata {top2} jawaban pada butir "
        "reaksi setuju atau sangat setuju.",
        "en": "Participants rated the training well: on average {top2} of answers to the "
        "reaction items agree or strongly agree.",
    },
    "verdict_mixed": {
        "id": "Reaksi peserta beragam: rata-rata {top2} jawaban pada butir reaksi setuju atau "
        "sangat setuju.",
        "en": "Participants' reaction was mixed: on average {top2} of answers to the reaction "
        "items agree or strongly agree.",
    },
    "verdict_poor": {
        "id": "Peserta tidak puas dengan pelatihan: rata-rata hanya {top2} jawaban pada butir "
        "reaksi setuju atau sangat setuju.",
        "en": "Participants were not satisfied with the training: on average only {top2} of "
        "answers to the reaction items agree or strongly agree.",
    },
    "items_text": {
        "id": "{n} jawaban pada {k} butir skala. Butir tertinggi: {hi_item} ({hi}); butir "
        "terendah: {lo_item} ({lo}).",
        "en": "{n} answers to {k} rating-scale items. Highest item: {hi_item} ({hi}); lowest "
        "item: {lo_item} ({lo}).",
    },
    "items_table": {
        "id": "Persentase jawaban setuju/sangat setuju (dua kategori teratas) per butir",
        "en": "Share of agree/strongly agree answers (top two categories) per item",
    },
    "items_chart": {
        "id": "Jawaban setuju/sangat setuju per butir, dengan IK 95%",
        "en": "Agree/strongly agree answers per item, with 95% CI",
    },
    "nps_text": {
        "id": "Net Promoter Score (butir {item}): {nps} ({ci_words} {ci}; n = {n}). "
        "{promoters} responden adalah promotor (9–10) dan {detractors} detraktor (0–6).",
        "en": "Net Promoter Score (item {item}): {nps} ({ci_words} {ci}; n = {n}). "
        "{promoters} of respondents are promoters (9–10) and {detractors} detractors (0–6).",
    },
    "nps_more": {
        "id": "Butir berskala 0–10 lainnya ({others}) tidak dihitung sebagai NPS.",
        "en": "The other 0–10 items ({others}) are not counted as NPS.",
    },
    "method_table": {
        "id": "Jawaban setuju/sangat setuju menurut metode (semua butir skala)",
        "en": "Agree/strongly agree answers by method (all rating-scale items)",
    },
    "one_method": {
        "id": "Semua sesi menggunakan satu metode ({method}); perbandingan antarmetode tidak "
        "dapat dibuat.",
        "en": "Every session used one method ({method}); methods cannot be compared.",
    },
    "comments_text": {
        "id": "{n} komentar tertulis. Tema yang paling sering: {theme} ({pct} komentar).",
        "en": "{n} written comments. Most frequent theme: {theme} ({pct} of comments).",
    },
    "comments_table": {
        "id": "Tema komentar (satu komentar dapat memuat beberapa tema)",
        "en": "Themes of the comments (a comment can raise several themes)",
    },
    "item": {"id": "Butir", "en": "Item"},
    "text": {"id": "Pertanyaan", "en": "Question"},
    "answers": {"id": "Jawaban", "en": "Answers"},
    "mean": {"id": "Rata-rata", "en": "Mean"},
    "top2": {"id": "Setuju/sangat setuju", "en": "Agree/strongly agree"},
    "theme": {"id": "Tema", "en": "Theme"},
    "count": {"id": "Komentar", "en": "Comments"},
    "share": {"id": "Persentase", "en": "Share"},
}

_GOOD, _POOR = 80.0, 60.0


def _items(ctx):
    from toolkit.reaction import scale_items

    d = ctx.data
    return scale_items(d.instruments, d.reaction)


def _item_text(ctx, codes):
    inst = ctx.data.instruments.drop_duplicates("item_code").set_index("item_code")
    col = "text_id" if ctx.lang == "id" else "text_en"
    return [str(inst[col].get(c, "")) for c in codes]


def likert(ctx):
    """The likert summary of every rating-scale reaction item."""
    from toolkit.reaction import likert_summary

    d = ctx.data
    return ctx.memo(
        "likert", lambda: likert_summary(d.reaction, items=_items(ctx), instruments=d.instruments)
    )


def _run_items(ctx):
    s = likert(ctx)
    s = s[s["n"] > 0]
    top2 = float(s["top2_pct"].mean())
    big = s[s["n"] >= ctx.min_group]  # the sentence names only items the table shows
    big = big if len(big) else s
    hi, lo = big.loc[big["top2_pct"].idxmax()], big.loc[big["top2_pct"].idxmin()]
    key = "verdict_good" if top2 >= _GOOD else "verdict_mixed" if top2 >= _POOR else "verdict_poor"
    verdict = ctx.say(LABELS, key, top2=ctx.pct(top2))
    s = s.assign(text=_item_text(ctx, s["item_code"].astype("str")))
    chart = figures.bars(
        s["item_code"].astype("str").tolist(), s["top2_pct"], low=s["top2_ci_low"],
        high=s["top2_ci_high"], lang=ctx.lang, unit="%", decimals=0,
    )  # fmt: skip
    figure = Figure(ctx.say(LABELS, "items_chart"), chart)
    ctx.key_figures.append(
        KeyFigure(
            1,
            "reaction_top2",
            ctx.say(LABELS, "top2_name"),
            top2,
            np.nan,
            np.nan,
            int(s["n"].sum()),
            f"{ctx.pct(top2)} (n = {ctx.count(s['n'].sum())})",
            verdict,
            figure,
        )  # fmt: skip
    )
    text = ctx.say(
        LABELS, "items_text", n=ctx.count(s["n"].sum()), k=ctx.count(len(s)),
        hi_item=str(hi["item_code"]), hi=ctx.pct(hi["top2_pct"]),
        lo_item=str(lo["item_code"]), lo=ctx.pct(lo["top2_pct"]),
    )  # fmt: skip
    cols = [
        Col(ctx.say(LABELS, "item"), "item_code", "text"),
        Col(ctx.say(LABELS, "text"), "text", "text"),
        Col(ctx.say(LABELS, "answers"), "n", "int"),
        Col(ctx.say(LABELS, "mean"), "mean", "num", 2),
        Col(ctx.say(LABELS, "top2"), "top2_pct", "pct"),
        Col(ctx.ci_words(), ("top2_ci_low", "top2_ci_high"), "pct_ci", 0),
    ]
    return [
        Paragraph(verdict, "verdict"),
        Paragraph(text),
        # items answered by the same people add up to no total: primary rule only
        ctx.table(s, cols, ctx.say(LABELS, "items_table"), min_n="n", complementary=False),
        figure,
    ]


def nps(ctx):
    """The NPS of the first 0–10 reaction item, and the 0–10 items found."""
    from toolkit.reaction import net_promoter_score, nps_items

    d = ctx.data
    items = nps_items(d.instruments, d.reaction)
    return items, ctx.memo(
        "nps", lambda: net_promoter_score(d.reaction, item=items[0], instruments=d.instruments)
    )


def _run_nps(ctx):
    items, table_ = nps(ctx)
    r = table_.iloc[0]
    shown = f"{ctx.num(r['estimate'], 1, sign=True)} ({ctx.ci_words()} {ctx.ci(r['ci_low'], r['ci_high'])}; n = {ctx.count(r['n'])})"
    ctx.key_figures.append(
        KeyFigure(
            1,
            "nps",
            LABELS["nps"][ctx.lang],
            float(r["estimate"]),
            float(r["ci_low"]),
            float(r["ci_high"]),
            int(r["n"]),
            shown,
            "",
        )  # fmt: skip
    )
    blocks = [
        Paragraph(
            ctx.say(
                LABELS,
                "nps_text",
                item=items[0],
                nps=ctx.num(r["estimate"], 1, sign=True),
                ci_words=ctx.ci_words(),
                ci=ctx.ci(r["ci_low"], r["ci_high"]),
                n=ctx.count(r["n"]),
                promoters=ctx.pct(r["pct_promoters"]),
                detractors=ctx.pct(r["pct_detractors"]),
            )  # fmt: skip
        )
    ]
    if len(items) > 1:
        blocks.append(Paragraph(ctx.say(LABELS, "nps_more", others=", ".join(items[1:])), "note"))
    return blocks


def _run_by_method(ctx):
    from toolkit.reaction import likert_summary

    d = ctx.data
    methods = d.sessions["method"].astype("str").unique()
    if len(methods) < 2:
        return [Paragraph(ctx.say(LABELS, "one_method", method=ctx.label(methods[0])), "note")]
    frame = d.reaction.merge(d.sessions[["session_id", "method"]], on="session_id")
    frame = frame[frame["item_code"].astype("str").isin(_items(ctx))]
    scale = d.instruments.set_index("item_code").loc[_items(ctx), ["scale_min", "scale_max"]]
    if scale.drop_duplicates().shape[0] != 1:
        return []  # items on different scales cannot be pooled
    lo, hi = (int(v) for v in scale.iloc[0])
    pooled = frame.assign(item_code="all")
    s = likert_summary(pooled, by="method", scale=(lo, hi))
    s = s[s["n"] > 0]
    n_people = frame.groupby("method", observed=True)["participant_id"].nunique()
    s = s.assign(people=s["method"].map(n_people).astype(float))
    cols = [
        Col(ctx.label("method"), "method", "label"),
        Col(ctx.label("participants"), "people", "int"),
        Col(ctx.say(LABELS, "answers"), "n", "int"),
        Col(ctx.say(LABELS, "mean"), "mean", "num", 2),
        Col(ctx.say(LABELS, "top2"), "top2_pct", "pct"),
        Col(ctx.ci_words(), ("top2_ci_low", "top2_ci_high"), "pct_ci", 0),
    ]
    return [ctx.table(s, cols, ctx.say(LABELS, "method_table"), min_n="people")]


def _run_comments(ctx):
    from toolkit.comments import LABELS as THEMES
    from toolkit.comments import code_themes, theme_counts

    counts = theme_counts(code_themes(ctx.data.comments))
    counts = counts[counts["count"] > 0].sort_values("count", ascending=False, kind="stable")
    counts = counts.assign(name=[THEMES[str(t)][ctx.lang] for t in counts["theme"]])
    coded = counts[counts["theme"].astype("str") != "uncoded"]
    blocks = []
    if len(coded):
        top = coded.iloc[0]
        blocks.append(
            Paragraph(
                ctx.say(
                    LABELS,
                    "comments_text",
                    n=ctx.count(top["n_comments"]),
                    theme=top["name"],
                    pct=ctx.pct(top["pct"]),
                )  # fmt: skip
            )
        )
    cols = [
        Col(ctx.say(LABELS, "theme"), "name", "text"),
        Col(ctx.say(LABELS, "count"), "count", "int"),
        Col(ctx.say(LABELS, "share"), "pct", "pct"),
        Col(ctx.ci_words(), ("ci_low", "ci_high"), "pct_ci", 0),
    ]
    blocks.append(ctx.table(counts, cols, ctx.say(LABELS, "comments_table"), min_n="count"))
    return blocks


def _scale_items_answered(d):
    from toolkit.reaction import scale_items

    if scale_items(d.instruments, d.reaction):
        return None
    return {
        "id": "tidak ada butir reaksi berskala (selain butir 0–10) yang dijawab",
        "en": "no rating-scale reaction item (other than 0–10 items) was answered",
    }


_SCALE_ITEMS = Need(
    "reaction_scale_items",
    _scale_items_answered,
    {
        "id": "tambahkan butir reaksi berskala, mis. 1–5, di instruments.csv dan reaction.csv",
        "en": "add rating-scale reaction items, e.g. 1–5, to instruments.csv and reaction.csv",
    },
)

_REACTION = (table("reaction"), instrument_items("reaction", what=LABELS["items"]))

SECTION = Section(
    "reaction",
    LABELS["title"],
    (
        Analysis("reaction_items", LABELS["items"], (*_REACTION, _SCALE_ITEMS), _run_items),
        Analysis("nps", LABELS["nps"], (*_REACTION, nps_item()), _run_nps),
        Analysis(
            "reaction_by_method", LABELS["by_method"], (*_REACTION, _SCALE_ITEMS), _run_by_method
        ),  # fmt: skip
        Analysis("comments", LABELS["comments"], (table("comments"),), _run_comments),
    ),
    level=1,
)
