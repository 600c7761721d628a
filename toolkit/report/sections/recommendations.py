"""Recommendations generated from the evidence, with the number and threshold behind each."""

from __future__ import annotations

from toolkit.report.core import Analysis, Col, Paragraph, Section
from toolkit.report.needs import table

#: Templates of this section.
LABELS = {
    "title": {"id": "Rekomendasi", "en": "Recommendations"},
    "rules": {"id": "Rekomendasi dari bukti", "en": "Recommendations from the evidence"},
    "intro": {
        "id": "{fired} dari {rules} aturan rekomendasi terpenuhi oleh data ini; {no_data} "
        "tidak dapat diperiksa karena datanya tidak ada. Setiap aturan membandingkan satu "
        "angka dengan ambang yang terdokumentasi.",
        "en": "{fired} of {rules} recommendation rules are met by these data; {no_data} "
        "could not be checked for lack of data. Each rule compares one figure with a "
        "documented threshold.",
    },
    "none": {
        "id": "Tidak ada rekomendasi yang memenuhi ambang buktinya pada data ini.",
        "en": "No recommendation meets its threshold of evidence in these data.",
    },
    "table": {"id": "Semua aturan rekomendasi", "en": "Every recommendation rule"},
    "rule": {"id": "Aturan", "en": "Rule"},
    "status": {"id": "Status", "en": "Status"},
    "strength": {"id": "Kekuatan bukti", "en": "Strength of evidence"},
}


def _run(ctx):
    from toolkit.recommendations import LABELS as RULES
    from toolkit.recommendations import recommend_from_data

    table_ = recommend_from_data(
        ctx.data, current=ctx.meta.get("current_slots"), include_silent=True
    )
    fired = table_[table_["fired"]]
    ctx.cache["recommendations"] = fired.assign(text=fired[f"text_{ctx.lang}"])[
        ["rule", "strength", "value", "ci_low", "ci_high", "threshold", "evidence", "text"]
    ]
    blocks = [
        Paragraph(
            ctx.say(
                LABELS,
                "intro",
                fired=ctx.count(len(fired)),
                rules=ctx.count(len(table_)),
                no_data=ctx.count((table_["status"] == "no_data").sum()),
            )  # fmt: skip
        )
    ]
    if fired.empty:
        blocks.append(Paragraph(ctx.say(LABELS, "none"), "verdict"))
    for text in fired[f"text_{ctx.lang}"]:
        blocks.append(Paragraph(text, "verdict"))
    shown = table_.assign(
        name=[RULES[r][ctx.lang] for r in table_["rule"]],
        state=[RULES[s][ctx.lang] for s in table_["status"]],
        power=[RULES[s][ctx.lang] if s else "" for s in table_["strength"].fillna("")],
    )
    cols = [
        Col(LABELS["rule"][ctx.lang], "name", "text"),
        Col(LABELS["status"][ctx.lang], "state", "text"),
        Col(LABELS["strength"][ctx.lang], "power", "text"),
    ]
    blocks.append(ctx.table(shown, cols, ctx.say(LABELS, "table")))
    return blocks


SECTION = Section(
    "recommendations",
    LABELS["title"],
    (
        Analysis(
            "recommendations", LABELS["rules"], (table("sessions"), table("enrollments")), _run
        ),
    ),
)
