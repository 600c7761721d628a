"""Objectives: the evaluation plan supplied with the data, and which indicators have data."""

from __future__ import annotations

from toolkit.report.core import Analysis, Col, Paragraph, Section
from toolkit.report.needs import PLAN_FILE, plan_file

#: Templates of this section.
LABELS = {
    "title": {"id": "Tujuan dan rencana evaluasi", "en": "Objectives and evaluation plan"},
    "plan": {"id": "Rencana evaluasi", "en": "Evaluation plan"},
    "plan_text": {
        "id": "Rencana evaluasi memuat {objectives} tujuan dengan {indicators} indikator. "
        "{with_data} indikator memiliki data dalam folder ini; {without} belum.",
        "en": "The evaluation plan holds {objectives} objectives with {indicators} "
        "indicators. {with_data} indicators have data in this folder; {without} do not.",
    },
    "missing": {
        "id": "Indikator tanpa data: {codes}.",
        "en": "Indicators without data: {codes}.",
    },
    "table": {"id": "Indikator rencana evaluasi", "en": "Indicators of the evaluation plan"},
    "objective": {"id": "Tujuan", "en": "Objective"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "level": {"id": "Level", "en": "Level"},
    "target": {"id": "Target", "en": "Target"},
    "has_data": {"id": "Ada data", "en": "Has data"},
    "yes": {"id": "ya", "en": "yes"},
    "no": {"id": "tidak", "en": "no"},
}


def _run_plan(ctx):
    from toolkit.plan import check_plan, read_plan

    plan = read_plan(ctx.data_dir / PLAN_FILE)
    checked = check_plan(plan, ctx.data)
    ind = checked.indicators
    lang = ctx.lang
    texts = plan.drop_duplicates("indicator_code").set_index("indicator_code")
    ind = ind.assign(
        text=ind["indicator_code"].map(texts[f"indicator_text_{lang}"]),
        target=ind["indicator_code"].map(texts["target"]),
        data=[LABELS["yes" if x else "no"][lang] for x in ind["has_data"]],
        level_text=ind["level"].astype(int).astype(str),
    )
    n_with = int(ind["has_data"].sum())
    blocks = [
        Paragraph(
            ctx.say(
                LABELS,
                "plan_text",
                objectives=ctx.count(plan["objective_id"].nunique()),
                indicators=ctx.count(len(ind)),
                with_data=ctx.count(n_with),
                without=ctx.count(len(ind) - n_with),
            )  # fmt: skip
        )
    ]
    if n_with < len(ind):
        codes = ", ".join(ind.loc[~ind["has_data"], "indicator_code"].astype(str))
        blocks.append(Paragraph(ctx.say(LABELS, "missing", codes=codes), "note"))
    cols = [
        Col(LABELS["objective"][lang], "objective_id", "text"),
        Col(LABELS["indicator"][lang], "indicator_code", "text"),
        Col(LABELS["level"][lang], "level_text", "text"),
        Col("", "text", "text"),
        Col(LABELS["target"][lang], "target", "text"),
        Col(LABELS["has_data"][lang], "data", "text"),
    ]
    blocks.append(ctx.table(ind, cols, ctx.say(LABELS, "table")))
    return blocks


SECTION = Section(
    "objectives",
    LABELS["title"],
    (Analysis("evaluation_plan", LABELS["plan"], (plan_file(),), _run_plan),),
)
