"""The explorer's pure functions (filters, summaries, rendering) and its widgets, no browser.

The browser test (tests/test_browser.py) checks the same numbers through Voilà and Chromium.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import shapes
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.behavior import behavior_change
from toolkit.data import EvaluationData
from toolkit.explore import (
    FILTERS,
    LABELS,
    NOT_TRAINED,
    OVERVIEW,
    SECTIONS,
    Explorer,
    comparison_units,
    filter_data,
    filter_options,
    format_number,
    section_figure,
    section_html,
    summaries,
    summarize,
)
from toolkit.learning import normalized_gain, prepost_scores
from toolkit.participation import attendance_summary
from toolkit.reaction import likert_summary, net_promoter_score
from toolkit.results import ikm

TABLES = [
    "units",
    "participants",
    "sessions",
    "enrollments",
    "reaction",
    "tests",
    "behavior",
    "ikm_responses",
    "costs",
    "benefit_estimates",
    "availability",
    "comments",
]


def _keys(df: pd.DataFrame) -> set[int]:
    """The rows of a table as a set of row hashes (to compare row sets)."""
    return set(pd.util.hash_pandas_object(df, index=False).tolist())


@pytest.fixture(scope="module")
def workshops(sample):
    return filter_data(sample, method="workshop")


@pytest.fixture(scope="module")
def workshop_summary(workshops):
    return summaries(workshops)


# --------------------------------------------------------------------------- filter_data
def test_options_of_the_sample(sample):
    options = filter_options(sample)
    assert set(options) == set(FILTERS)
    assert options["unit"] == [f"U{i:02d}" for i in range(1, 21)]
    assert options["method"] == ["workshop", "seminar", "project_based", "simulation", "e_learning"]
    assert options["period"] == sorted(options["period"])
    assert options["cohort"][-1] == NOT_TRAINED
    assert set(options["cohort"][:-1]) == set(
        sample.units["first_trained_period"].dropna().astype("str")
    )


def test_no_filter_keeps_everything(sample):
    same = filter_data(sample)
    for name in TABLES:
        assert getattr(same, name).equals(getattr(sample, name).reset_index(drop=True)), name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("method", "workshop"),
        ("program", "leadership"),
        ("provider", "university"),
        ("period", "2024Q3"),
    ],
)
def test_session_filters_keep_only_their_sessions(sample, name, value):
    out = filter_data(sample, **{name: value})
    sessions = out.sessions
    kept = (
        sessions["start_date"].dt.to_period("Q").astype("str")
        if name == "period"
        else sessions[name].astype("str")
    )
    assert len(sessions) > 0
    assert (kept == value).all()
    ids = set(sessions["session_id"].astype("str"))
    for table in ("enrollments", "reaction", "tests", "behavior", "comments"):
        df = getattr(out, table)
        assert set(df["session_id"].astype("str")) <= ids, table
    # nothing of a kept session is lost
    full = sample.reaction[sample.reaction["session_id"].astype("str").isin(ids)]
    assert len(out.reaction) == len(full)
    # units, people and the IKM follow only the unit filters
    assert len(out.units) == len(sample.units)
    assert len(out.ikm_responses) == len(sample.ikm_responses)


def test_unit_and_cohort_filters(sample):
    out = filter_data(sample, unit=["U01", "U03"])
    assert set(out.participants["unit_id"].astype("str")) == {"U01", "U03"}
    assert set(out.ikm_responses["unit_id"].astype("str")) == {"U01", "U03"}
    people = set(out.participants["participant_id"].astype("str"))
    for table in ("enrollments", "reaction", "tests", "behavior", "availability"):
        assert set(getattr(out, table)["participant_id"].astype("str")) <= people, table

    untrained = filter_data(sample, cohort=NOT_TRAINED)
    assert len(untrained.units) > 0
    assert not untrained.units["trained"].any()
    assert untrained.enrollments.empty  # nobody in an untrained unit was invited
    first = filter_data(sample, cohort="2024Q1")
    assert (first.units["first_trained_period"].astype("str") == "2024Q1").all()
    assert set(first.ikm_responses["unit_id"].astype("str")) == set(
        first.units["unit_id"].astype("str")
    )


def test_a_list_is_the_union_of_its_values(sample):
    both = filter_data(sample, method=["workshop", "seminar"])
    one = filter_data(sample, method="workshop")
    other = filter_data(sample, method="seminar")
    for name in ("sessions", "enrollments", "reaction", "tests", "behavior"):
        assert _keys(getattr(both, name)) == _keys(getattr(one, name)) | _keys(getattr(other, name))


_COMBOS = st.fixed_dictionaries(
    {},
    optional={
        "unit": st.sampled_from(["U01", "U04", "U07", "U15", "U20"]),
        "method": st.sampled_from(["workshop", "seminar", "simulation"]),
        "provider": st.sampled_from(["internal", "university"]),
        "period": st.sampled_from(["2024Q1", "2024Q3", "2025Q2"]),
        "cohort": st.sampled_from(["2024Q1", "2024Q3", NOT_TRAINED]),
    },
)


@settings(max_examples=10, deadline=None)
@given(first=_COMBOS, second=_COMBOS)
def test_filters_compose(sample, first, second):
    """Filtering twice keeps the rows that pass both filters (the intersection)."""
    both = filter_data(filter_data(sample, **first), **second)
    one, two = filter_data(sample, **first), filter_data(sample, **second)
    for name in TABLES:
        rows = _keys(getattr(both, name))
        assert rows == _keys(getattr(one, name)) & _keys(getattr(two, name)), name
    combined = filter_data(sample, **{**first, **second})  # one call, when the keys differ
    if not set(first) & set(second):
        for name in TABLES:
            assert _keys(getattr(combined, name)) == _keys(getattr(both, name)), name


def test_bad_filters_say_what_to_do(sample):
    with pytest.raises(ValueError, match="Did you mean 'workshop'"):
        filter_data(sample, method="workshops")
    with pytest.raises(ValueError, match="`unit` must be one of"):
        filter_data(sample, unit=["U01", "U99"])
    with pytest.raises(TypeError, match="toolkit.data.load"):
        filter_data(sample.units)
    with pytest.raises(TypeError):
        filter_data(sample, "workshop")  # filters are keyword-only


# --------------------------------------------------------------------------- summaries
def test_numbers_are_the_toolkits(workshops, workshop_summary):
    """Every table is the toolkit function's output on the same filtered data."""
    out, f = workshop_summary, workshops
    assert set(out["status"]["state"]) == {"ok"}
    extra = ["n_people", "suppressed", "suppression", "total_suppressed"]

    likert = likert_summary(
        f.reaction[f.reaction["item_code"].astype("str") != "R08"], instruments=f.instruments
    )
    pd.testing.assert_frame_equal(out["reaction_items"].drop(columns=extra), likert)
    nps = net_promoter_score(f.reaction, instruments=f.instruments)
    pd.testing.assert_frame_equal(out["reaction_nps"].drop(columns=extra), nps)

    scores = prepost_scores(f.tests)
    gain = normalized_gain(scores)
    pd.testing.assert_frame_equal(out["learning"].drop(columns=extra), gain)
    with_method = scores.merge(f.sessions[["session_id", "method"]], on="session_id")
    pd.testing.assert_frame_equal(
        out["learning_by_method"].drop(columns=extra), normalized_gain(with_method, by="method")
    )

    change = behavior_change(f.behavior, instruments=f.instruments)
    pd.testing.assert_frame_equal(out["behavior"].drop(columns=extra), change)

    # Level 4: the selected units are the trained ones (no unit filter: every trained unit)
    trained = f.units.loc[f.units["first_trained_period"].notna(), "unit_id"]
    responses = f.ikm_responses[f.ikm_responses["unit_id"].isin(trained)].reset_index(drop=True)
    index = ikm(responses, by="period")
    pd.testing.assert_frame_equal(out["ikm"].drop(columns=extra), index)
    assert len(trained) == 14 and len(responses) < len(f.ikm_responses)

    attendance = attendance_summary(f.enrollments, f.sessions, participants=f.participants)
    pd.testing.assert_frame_equal(out["participation"], attendance)
    by_schedule = attendance_summary(
        f.enrollments, f.sessions, participants=f.participants, by="schedule"
    )
    pd.testing.assert_frame_equal(
        out["participation_by_schedule"].drop(columns=extra[2:]), by_schedule
    )

    kpi = out["kpi"].set_index("key")["value"]
    assert kpi["n_sessions"] == len(f.sessions) == 8  # every workshop had someone attending
    assert kpi["n_participants"] == f.enrollments["participant_id"].nunique()
    assert kpi["reaction_top2"] == likert["top2_pct"].mean()
    assert kpi["reaction_nps"] == nps.loc[0, "estimate"]
    assert kpi["learning_pre"] == gain.loc[0, "mean_pre"]
    assert kpi["learning_post"] == gain.loc[0, "mean_post"]
    assert kpi["learning_ngain"] == gain.loc[0, "ngain_percent"]
    assert kpi["learning_g_class"] == gain.loc[0, "g_class"]
    sup = change.set_index(["rater", "wave_to"])["estimate"]
    assert kpi["behavior_supervisor_followup_6m"] == sup["supervisor", "followup_6m"]
    assert kpi["behavior_self_followup_3m"] == sup["self", "followup_3m"]
    assert kpi["ikm_first"] == index["converted"].iloc[0]
    assert kpi["ikm_latest"] == index["converted"].iloc[-1]
    assert kpi["attendance_share"] == attendance.loc[0, "attended_share"]
    assert kpi["jp_share"] == attendance.loc[0, "jp_share"]
    assert kpi["jp_delivered"] == attendance.loc[0, "jp_delivered"]


def test_the_numbers_change_with_the_filter(sample, workshop_summary):
    everything = summaries(sample)["kpi"].set_index("key")["value"]
    workshops = workshop_summary["kpi"].set_index("key")["value"]
    assert everything["n_sessions"] == 40
    assert everything["reaction_nps"] != workshops["reaction_nps"]
    assert everything["learning_ngain"] != workshops["learning_ngain"]
    # the IKM does not follow session filters
    assert everything["ikm_latest"] == workshops["ikm_latest"]


def _state(sample, min_group=5, **filters):
    out = summaries(filter_data(sample, **filters), min_group=min_group)
    return out, out["status"].set_index("section")


def test_suppression_starts_below_five_people(sample):
    # U15's workshops: five people answered the reaction survey, two have behaviour pairs
    out, status = _state(sample, method="workshop", unit="U15")
    assert status.loc["reaction", "n_people"] == 5
    assert status.loc["reaction", "state"] == "ok"
    assert "reaction_items" in out
    assert status.loc["behavior", "n_people"] == 2
    assert status.loc["behavior", "state"] == "suppressed"
    assert "behavior" not in out
    kpi = out["kpi"].set_index("key")
    assert not kpi.loc["reaction_top2", "suppressed"]
    assert kpi.loc["behavior_self_followup_3m", "suppressed"]
    assert np.isnan(kpi.loc["behavior_self_followup_3m", "value"])

    # U11's workshops: four people
    out, status = _state(sample, method="workshop", unit="U11")
    assert status.loc["reaction", "n_people"] == 4
    assert status.loc["reaction", "state"] == "suppressed"
    assert "reaction_items" not in out and "reaction_nps" not in out
    kpi = out["kpi"].set_index("key")
    assert kpi.loc[["reaction_top2", "reaction_nps"], "suppressed"].all()
    assert kpi.loc[["reaction_top2", "reaction_nps"], "value"].isna().all()

    # the threshold is a parameter: at six, five people are too few
    _, status = _state(sample, min_group=6, method="workshop", unit="U15")
    assert status.loc["reaction", "state"] == "suppressed"


def test_empty_selection_says_no_data(sample):
    out, status = _state(sample, cohort=NOT_TRAINED)
    assert (status.drop(index="results")["state"] == "no_data").all()
    assert status.loc["results", "state"] == "ok"
    assert set(out["kpi"]["section"]) == {"overview", "results"}


@pytest.mark.parametrize(
    "filters",
    [
        {"method": "seminar", "unit": "U08"},
        {"method": "simulation", "unit": "U03"},
        {"method": "e_learning", "unit": "U08"},
        {"method": "project_based", "unit": "U16"},
    ],
)
def test_small_rows_are_blanked(sample, filters):
    out = summaries(filter_data(sample, **filters))
    found = 0
    for name, table in out.items():
        if "suppressed" not in table.columns:
            continue
        small = table["suppressed"].to_numpy(dtype=bool)
        found += small.sum()
        if "n_people" in table.columns and name != "kpi":
            assert table.loc[small, "n_people"].isna().all(), name  # no count published
            assert (table.loc[~small, "n_people"] >= 5).all(), name
        for column in ("n", "mean", "estimate", "converted", "top2_pct", "g_class"):
            if column in table.columns:
                assert table.loc[small, column].isna().all(), (name, column)
    kpi = out["kpi"]
    assert kpi.loc[kpi["suppressed"], "value"].isna().all()
    shown = kpi[~kpi["suppressed"] & kpi["value"].notna()]
    zeros = (shown["section"] == "overview") & (shown["value"] == 0)  # nobody: true zeros
    assert (shown.loc[~zeros, "n_people"] >= 5).all()
    assert (shown.loc[zeros, "n_people"] == 0).all()
    assert found > 0  # each of these selections has a hidden row


def test_summaries_checks_its_arguments(sample):
    with pytest.raises(ValueError, match="min_group"):
        summaries(sample, min_group=0)
    with pytest.raises(ValueError, match="min_group"):
        summaries(sample, min_group=2.5)
    with pytest.raises(TypeError, match="EvaluationData"):
        summaries(sample.reaction)


# --------------------------------------------------------------------------- rendering
def test_format_number():
    assert format_number(0.5, "share") == "50,0%"
    assert format_number(81.2249, "index", lang="en") == "81.22"
    assert format_number(-0.456, "change") == "-0,46"
    assert format_number(0.456, "change", lang="en") == "+0.46"
    assert format_number(1234567, "count") == "1.234.567"
    assert format_number(1234567, "count", lang="en") == "1,234,567"
    assert format_number(None, "pct") == "–"
    with pytest.raises(ValueError, match="`kind` must be one of"):
        format_number(1, "percent")


def _spans(page: str) -> dict[str, dict[str, str]]:
    spans = re.findall(r'<span class="kpi" ([^>]*)>([^<]*)</span>', page)
    out = {}
    for attrs, text in spans:
        values = dict(re.findall(r'data-([a-z]+)="([^"]*)"', attrs))
        out[values["key"]] = {**values, "text": text}
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_section_html_carries_the_numbers(workshops, workshop_summary, lang):
    kpi = workshop_summary["kpi"].set_index("key")
    for section in SECTIONS:
        page = section_html(workshop_summary, section, lang=lang, instruments=workshops.instruments)
        assert f'data-section="{section}" data-state="ok"' in page
        spans = _spans(page)
        assert set(spans) == set(kpi.index[kpi["section"] == section])
        for key, span in spans.items():
            value = kpi.loc[key, "value"]
            if np.isnan(value):  # a number that does not exist: no comparison without its data
                assert span["value"] == "" and span["text"] == "–", key
            else:
                assert float(span["value"]) == value
            assert span["text"] == format_number(value, span["kind"], lang=lang)
        assert "P-" not in page  # no participant pseudonym leaves the summaries


def test_section_html_shows_the_suppression(sample):
    out = summaries(filter_data(sample, method="workshop", unit="U11"))
    for lang, message in (("id", "disembunyikan (n &lt; 5)"), ("en", "suppressed (n &lt; 5)")):
        page = section_html(out, "reaction", lang=lang)
        assert 'data-state="suppressed"' in page
        spans = _spans(page)
        assert set(spans) == {"reaction_top2", "reaction_nps"}
        assert all(s["suppressed"] == "true" and s["text"] == message for s in spans.values())
        assert "value" not in spans["reaction_top2"]
    with pytest.raises(ValueError, match="`section` must be one of"):
        section_html(out, "level_1")


def test_labels_have_both_languages():
    for key, texts in LABELS.items():
        assert set(texts) == {"id", "en"}, key
        assert all(isinstance(t, str) and t for t in texts.values()), key


def test_figures_draw_the_summaries(workshops, workshop_summary):
    out = workshop_summary
    figures = {
        s: section_figure(out, s, lang="en", instruments=workshops.instruments) for s in SECTIONS
    }
    assert all(fig is not None for fig in figures.values())
    drawn = figures["results"].axes[0].drawn
    np.testing.assert_array_equal(drawn["converted"], out["ikm"]["converted"])
    bars = figures["reaction"].axes[0].drawn
    assert set(bars["item_code"].astype("str")) == set(
        out["reaction_items"]["item_code"].astype("str")
    )
    change = figures["behavior"].axes[0].drawn
    np.testing.assert_allclose(
        np.sort(change["estimate"]), np.sort(out["behavior"]["estimate"].to_numpy())
    )


def _layout_problems(fig) -> list:
    """Texts cut off by the figure's edge, and figure legends overlapping an axes (its
    tick labels and axis labels included)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    edge, problems = fig.bbox, []
    drawn = [(ax.get_title() or "axes", ax.get_tightbbox(renderer)) for ax in fig.axes]
    drawn += [(str(t.get_text()), t.get_window_extent(renderer)) for t in fig.texts]
    drawn += [("legend", leg.get_window_extent(renderer)) for leg in fig.legends]
    for what, box in drawn:  # what was drawn: axes with their tick and axis labels, legends
        if (
            box.x0 < edge.x0 - 1
            or box.y0 < edge.y0 - 1
            or box.x1 > edge.x1 + 1
            or (box.y1 > edge.y1 + 1)
        ):
            problems.append(("cut off", what))
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if box.overlaps(ax.get_tightbbox(renderer)):
                problems.append(("legend over axes", [t.get_text() for t in legend.get_texts()]))
    return problems


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    "filters", [{}, {"unit": "U15", "method": "workshop"}, {"cohort": NOT_TRAINED}]
)
def test_figures_fit_their_labels(sample, filters, lang):
    """No label or legend of a tab's figure is cut off, and no legend covers an axes."""
    out = summarize(sample, **filters)
    for section in SECTIONS:
        fig = section_figure(out, section, lang=lang, instruments=sample.instruments)
        if fig is not None:
            assert _layout_problems(fig) == [], (section, filters)


def test_no_figure_for_hidden_or_empty_tabs(sample):
    out = summaries(filter_data(sample, method="workshop", unit="U15"))
    assert section_figure(out, "behavior") is None  # suppressed
    assert section_figure(summaries(filter_data(sample, unit="U02")), "reaction") is None


# --------------------------------------------------------------------------- the widgets
def test_explorer_updates_when_a_filter_changes(sample):
    app = Explorer(sample, lang="en")
    assert app.filter_values() == dict.fromkeys(FILTERS)
    assert 'data-filters="{}"' in app.status.value
    assert app.images["reaction"].value  # the visible tab is drawn
    assert not app.images["results"].value  # the others when they are opened
    app.tabs.selected_index = SECTIONS.index("results")
    assert app.images["results"].value

    app.filters["method"].value = "workshop"  # as a click in the page would
    assert "&quot;method&quot;:&quot;workshop&quot;" in app.status.value
    expected = summarize(sample, method="workshop")["kpi"]
    pd.testing.assert_frame_equal(app.summary["kpi"], expected)
    nps = expected.set_index("key").loc["reaction_nps", "value"]
    assert f'data-value="{float(nps)!r}"' in app.pages["reaction"].value

    app.set_filters(method="workshop", unit="U15")
    assert app.filter_values()["unit"] == "U15"
    assert 'data-state="suppressed"' in app.pages["behavior"].value
    app.tabs.selected_index = SECTIONS.index("behavior")
    assert app.images["behavior"].value == b""
    assert app.images["behavior"].layout.display == "none"

    app.reset.click()
    assert app.filter_values() == dict.fromkeys(FILTERS)
    assert 'data-filters="{}"' in app.status.value
    with pytest.raises(ValueError, match="`filter` must be one of"):
        app.set_filters(methods="workshop")
    with pytest.raises(ValueError, match="`unit` must be one of"):
        app.set_filters(unit="U99")
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Explorer of 20 units and 40 sessions")


def test_explorer_checks_its_arguments(sample):
    with pytest.raises(ValueError, match="`lang` must be one of"):
        Explorer(sample, lang="fr")
    with pytest.raises(ValueError, match="min_group"):
        Explorer(sample, min_group=0)
    with pytest.raises(TypeError, match="EvaluationData"):
        Explorer(sample.tables())
    assert isinstance(filter_data(sample), EvaluationData)


def test_importing_the_module_is_light():
    code = (
        "import sys, toolkit.explore; "
        "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("seed", "scale"), [(7, 0.3), (11, 2.0)])
def test_other_data_and_missing_tables(seed, scale):
    """A differently shaped dataset, then the same without three tables: no error anywhere."""
    from dataclasses import replace

    from toolkit.data import empty_table
    from toolkit.synth import generate

    data = generate(seed=seed, scale=scale)
    options = filter_options(data)
    assert len(options["unit"]) == len(data.units)
    out = summaries(filter_data(data, method=options["method"][0], unit=options["unit"][0]))
    for section in SECTIONS:
        assert 'data-section="' + section in section_html(out, section, lang="en")
        section_figure(out, section)
    missing = {name: empty_table(name) for name in ("tests", "behavior", "ikm_responses")}
    status = summaries(replace(data, **missing))["status"].set_index("section")["state"]
    assert status.to_dict() == {
        "reaction": "ok",
        "learning": "no_data",
        "behavior": "no_data",
        "results": "no_data",
        "participation": "ok",
    }
    app = Explorer(replace(data, **missing), lang="en")
    assert 'data-state="no_data"' in app.pages["results"].value


# --------------------------------------------------------------------------- overview counts
def _direct_overview(data: EvaluationData, filters: dict) -> dict[str, int]:
    """The overview's four counts straight from the raw tables (no filter_data, no toolkit).

    Units are kept by unit id and cohort (first trained quarter as text, "not_trained"
    when missing), sessions by programme, method, provider and start quarter; an
    enrolment counts when its person's unit and its session are kept; attending means
    ``attended_jp`` > 0.
    """

    def allowed(name):
        value = filters.get(name)
        return None if value is None else {str(v) for v in np.atleast_1d(value)}

    units = pd.DataFrame({
        "unit_id": data.units["unit_id"].astype("str"),
        "cohort": data.units["first_trained_period"].astype("str").fillna(NOT_TRAINED),
    })  # fmt: skip
    keep = pd.Series(True, index=units.index)
    for name, column in (("unit", "unit_id"), ("cohort", "cohort")):
        if allowed(name) is not None:
            keep &= units[column].isin(allowed(name))
    sessions = pd.DataFrame({
        "session_id": data.sessions["session_id"].astype("str"),
        "program": data.sessions["program"].astype("str"),
        "method": data.sessions["method"].astype("str"),
        "provider": data.sessions["provider"].astype("str"),
        "period": data.sessions["start_date"].dt.to_period("Q").astype("str"),
    })  # fmt: skip
    keep_s = pd.Series(True, index=sessions.index)
    for name in ("program", "method", "provider", "period"):
        if allowed(name) is not None:
            keep_s &= sessions[name].isin(allowed(name))
    enr = pd.DataFrame({
        "participant_id": data.enrollments["participant_id"].astype("str"),
        "session_id": data.enrollments["session_id"].astype("str"),
        "attended_jp": data.enrollments["attended_jp"].astype("float64"),
    }).merge(pd.DataFrame({
        "participant_id": data.participants["participant_id"].astype("str"),
        "unit_id": data.participants["unit_id"].astype("str"),
    }), on="participant_id")  # fmt: skip
    enr = enr[enr["unit_id"].isin(units["unit_id"][keep]) & enr["session_id"].isin(
        sessions["session_id"][keep_s])]  # fmt: skip
    went = enr[enr["attended_jp"] > 0]
    return {
        "n_units": went["unit_id"].nunique(),
        "n_sessions": went["session_id"].nunique(),
        "n_participants": enr["participant_id"].nunique(),
        "n_attended": went["participant_id"].nunique(),
    }


def _random_filters(data: EvaluationData, n: int, seed: int) -> list[dict]:
    """``n`` filter combinations: 0 to 3 filters each, one code per filter, seeded."""
    rng = np.random.default_rng(seed)
    options = filter_options(data)
    out = []
    for _ in range(n):
        names = rng.choice(FILTERS, size=int(rng.integers(0, 4)), replace=False)
        out.append({str(k): str(rng.choice(options[str(k)])) for k in names})
    return out


def _check_overview(data: EvaluationData, filters: dict, min_group: int = 5) -> str:
    """Every overview card of summarize() against the direct count; what the cards showed."""
    out = summarize(data, min_group=min_group, **filters)
    cards = out["kpi"][out["kpi"]["section"] == "overview"].set_index("key")
    assert list(cards.index) == list(OVERVIEW), filters
    truth = _direct_overview(data, filters)
    invited = truth["n_participants"]
    status = out["status"].set_index("section").loc["participation"]
    if invited == 0:
        assert not cards["suppressed"].any() and (cards["value"] == 0).all(), filters
        return "zero"
    if invited < min_group or status["state"] == "suppressed":
        assert cards["suppressed"].all() and cards["value"].isna().all(), filters
        return "suppressed"
    assert not cards["suppressed"].any(), filters
    for key in OVERVIEW:
        assert cards.loc[key, "value"] == truth[key], (filters, key)
        assert cards.loc[key, "n_people"] == invited, (filters, key)
    return "shown"


def test_overview_counts_of_the_review(sample):
    """The three counts the trainer found wrong, now counted for the selection."""
    cards = summarize(sample, unit="U15", method="workshop")["kpi"].set_index("key")["value"]
    assert cards["n_sessions"] == 3  # U15's staff attended 3 workshops (was: 8, all workshops)
    cards = summarize(sample, method="e_learning", provider="university")["kpi"]
    assert cards.set_index("key").loc["n_units", "value"] == 7  # was: 20 (every unit)
    cards = summarize(sample, cohort=NOT_TRAINED)["kpi"].set_index("key")
    assert cards.loc[list(OVERVIEW), "value"].tolist() == [0, 0, 0, 0]  # was: 40 sessions
    assert not cards.loc[list(OVERVIEW), "suppressed"].any()


def _check_random_overviews(data: EvaluationData, n: int, seed: int) -> list[str]:
    """:func:`_check_overview` on ``n`` seeded filter combinations that use every filter.

    25 combinations per data set (each costs a ``summarize()`` call, about half a second)
    cover every filter (checked here), the empty selection and shown and hidden cards; the
    50 used before cost about 30 s more of ``make test``.
    """
    filters = _random_filters(data, n, seed=seed)
    assert {k for f in filters for k in f} == set(FILTERS), "a filter is never used"
    return [_check_overview(data, f) for f in filters]


def test_overview_counts_equal_direct_counts_on_the_sample(sample):
    seen = _check_random_overviews(sample, 25, seed=15)
    assert seen.count("shown") >= 12 and "zero" in seen, seen


def test_overview_counts_equal_direct_counts_on_another_shape():
    data = shapes.build("other_codes")  # other unit, session and programme codes, scale 0.3
    seen = _check_random_overviews(data, 25, seed=6)
    assert seen.count("shown") >= 12 and "zero" in seen, seen


def test_overview_counts_on_a_second_seed_and_threshold(sample):
    seen = [_check_overview(sample, f, min_group=20) for f in _random_filters(sample, 8, seed=7)]
    assert "suppressed" in seen and "shown" in seen, seen


def test_overview_hides_a_small_unit_and_leaks_no_difference():
    """A unit with 3 invited people (tests/test_disclosure.py's data): its overview is
    hidden, and the cohort's counts minus the shown units' give back no hidden unit."""
    from test_disclosure import _small_cells

    data, info = _small_cells()
    whole = summarize(data, cohort=info["cohort"])["kpi"].set_index("key")
    assert not whole.loc[list(OVERVIEW), "suppressed"].any()
    shown, hidden = {}, {}
    for unit in info["units"]:
        cards = summarize(data, unit=unit)["kpi"].set_index("key").loc[list(OVERVIEW)]
        truth = _direct_overview(data, {"unit": unit})
        if cards["suppressed"].any():
            assert cards["suppressed"].all() and cards["value"].isna().all()
            hidden[unit] = truth
        else:
            shown[unit] = cards["value"]
    assert info["unit"] in hidden and len(hidden) >= 2
    for key in ("n_participants", "n_attended", "n_units"):  # the counts that add up over units
        rest = whole.loc[key, "value"] - sum(v[key] for v in shown.values())
        assert all(rest != t[key] for t in hidden.values()), key


# --------------------------------------------------------------------------- Level 4
def test_level_4_shows_the_comparison_units(sample):
    from toolkit.results import ikm

    out = summarize(sample, unit="U15")
    never = sample.units.loc[sample.units["first_trained_period"].isna(), "unit_id"]
    assert comparison_units(sample, unit="U15") == sorted(never.astype("str"))
    responses = sample.ikm_responses[sample.ikm_responses["unit_id"].isin(never)]
    expected = ikm(responses.reset_index(drop=True), by="period")
    extra = ["n_people", "suppressed", "suppression", "total_suppressed"]
    pd.testing.assert_frame_equal(out["ikm_comparison"].drop(columns=extra), expected)
    versus = out["ikm_versus"]
    np.testing.assert_allclose(versus["converted_comparison"], expected["converted"])
    np.testing.assert_allclose(versus["gap"], versus["converted"] - expected["converted"])
    kpi = out["kpi"].set_index("key")
    assert kpi.loc["ikm_comparison_latest", "value"] == expected["converted"].iloc[-1]
    assert kpi.loc["ikm_comparison_latest", "detail"] == str(expected["period"].iloc[-1])

    fig = section_figure(out, "results", lang="en")
    drawn = fig.axes[0].drawn
    assert set(drawn["group"]) == {"selected", "comparison"}
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0].startswith("Selected units: 1 trained unit")
    assert legend[1] == "Comparison units: 6 units never trained"
    assert legend[2] == "First trained (2025Q1)"  # sample_data/units.csv: U15,...,2025Q1
    page = section_html(out, "results", lang="en")
    assert "Comparison: 6 units never trained" in page and "difference-in-differences" in page

    # the untrained cohort is compared with the trained units; no filter: trained vs not
    assert len(comparison_units(sample, cohort=NOT_TRAINED)) == 14
    groups = summarize(sample)["ikm_groups"].set_index("group")
    assert groups["kind"].to_dict() == {"selected": "trained", "comparison": "not_trained"}
    assert groups["n_units"].tolist() == [14, 6]


def test_level_4_without_comparison_units():
    data = shapes.build("no_comparison_units")  # every unit trained
    assert comparison_units(data) == []
    out = summarize(data)
    kpi = out["kpi"].set_index("key")
    assert kpi.loc[["ikm_comparison_first", "ikm_comparison_latest"], "value"].isna().all()
    assert "none (every unit is in the selection)" in section_html(out, "results", lang="en")
    assert set(section_figure(out, "results").axes[0].drawn["group"]) == {"selected"}
    one = comparison_units(data, unit=filter_options(data)["unit"][0])  # the other units
    assert len(one) == len(data.units) - 1


def test_the_comparison_hides_with_the_selection(sample):
    """A quarter hidden for the selected units is hidden for the comparison units too (the
    comparison is the cohort minus the selection: showing it would give the selection back)."""
    out = summarize(sample, unit="U15", min_group=130)
    versus = out["ikm_versus"]
    small = versus["suppressed"].to_numpy()
    assert small.any() and not small.all()
    assert versus.loc[small, "comparison_suppressed"].all()
    assert versus.loc[small, ["converted_comparison", "gap"]].isna().all().all()
    comparison = out["ikm_comparison"]
    hidden = set(comparison.loc[comparison["suppressed"], "period"].astype("str"))
    assert set(versus.loc[small, "period"]) <= hidden


# --------------------------------------------------------------------------- explanations
def _headings(page: str) -> list[list[str]]:
    return [
        re.findall(r"<th>([^<]*)</th>", t) for t in re.findall(r"<thead>.*?</thead>", page, re.S)
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_metric_is_explained_and_headings_are_distinct(workshops, workshop_summary, lang):
    from toolkit._explore_app import _SHOWN, _fields, _help

    for section in SECTIONS:
        page = section_html(workshop_summary, section, lang=lang, instruments=workshops.instruments)
        for heads in _headings(page):
            assert len(heads) == len(set(heads)), heads  # e.g. two columns titled "Kategori"
        for key, help_ in re.findall(r'data-help="([^"]*)">([^<]*)<', page):
            assert help_.strip(), (section, key)  # every key number has its explanation
    for name in _SHOWN:
        for _column, head, kind, _mask in _fields(name):
            if kind not in {"code", "text", "item"} or head.endswith("_band"):
                assert _help(head, lang), (name, head)
    for key in workshop_summary["kpi"]["key"]:
        assert _help(key, lang), key
    page = section_html(workshop_summary, "learning", lang=lang)
    hake, ngain = (
        ("Kategori Hake", "Kategori N-gain") if lang == "id" else ("Hake band", "N-gain band")
    )
    assert hake in page and ngain in page
    if lang == "id":  # one term for the interval, never "SK" (read as Surat Keputusan)
        page = section_html(workshop_summary, "reaction", lang=lang)
        assert "SK 95" not in page and "IK 95%" in page
        assert "Interval kepercayaan (IK) 95%" in page  # spelled out once


# --------------------------------------------------------------------------- language toggle
def _app_text(app) -> str:
    """Every text of the app: its HTML widgets, labels, options, button and tab titles."""
    parts = [app.header.value, app.status.value, *(p.value for p in app.pages.values())]
    parts += [app.reset.description, *app.tabs.titles]
    for dropdown in app.filters.values():
        parts += [dropdown.description, *(text for text, _ in dropdown.options)]
    return "\n".join(parts)


def test_the_language_toggle_switches_every_text(sample):
    import html

    app = Explorer(sample)
    assert app.language.value == "id" and 'data-lang="id"' in app.status.value  # default
    app.set_filters(unit="U15", method="workshop")
    summary, figure = app.summary, app.images["reaction"].value
    app.language.value = "en"
    assert app.summary is summary  # relabelled, not recomputed
    assert app.filter_values()["unit"] == "U15" and app.filter_values()["method"] == "workshop"
    assert 'data-lang="en"' in app.status.value and '"unit":"U15"' in html.unescape(
        app.status.value
    )
    assert app.images["reaction"].value != figure  # the figure is redrawn in English
    english = _app_text(app)
    assert app.tabs.titles[0] == "Level 1 – Reaction"
    assert app.filters["method"].description == "Method"
    assert app.filters["method"].options[0] == ("(all)", "")
    assert app.reset.description == "Clear filters"
    assert "Invited participants" in english and "95% CI" in english
    from toolkit.i18n import LABELS as SHARED

    left = [
        texts["id"]
        for texts in [*LABELS.values(), *SHARED.values()]
        if texts["id"] != texts["en"] and len(texts["id"]) > 6 and "{" not in texts["id"]
        and re.search(rf"(?<!\w){re.escape(html.escape(texts['id'], quote=False))}(?!\w)",
                      english)
    ]  # fmt: skip
    assert left == []
    app.language.value = "id"
    indonesian = _app_text(app)
    assert "Peserta diundang" in indonesian and "Invited participants" not in indonesian
    assert app.tabs.titles[0] == "Level 1 – Reaksi"
