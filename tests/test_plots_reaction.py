"""Level 1 figures, checked through the data they draw (``ax.drawn``) and their artists."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.comments import UNCODED, code_themes, theme_counts
from toolkit.plots import reaction as pr
from toolkit.plots.reaction import likert_bars, likert_colors, theme_bars
from toolkit.reaction import likert_summary

matplotlib.use("Agg")

HSET = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BANK = pd.DataFrame(
    {
        "item_code": ["R01", "R02"],
        "scale_min": 1,
        "scale_max": 5,
        "reverse_keyed": False,
        "text_id": ["Materi relevan", "Narasumber menguasai materi"],
        "text_en": ["Content is relevant", "Speaker knows the subject"],
    }
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def answers():
    return pd.DataFrame(
        {
            "method": ["workshop"] * 6 + ["seminar"] * 6,
            "item_code": ["R01", "R01", "R01", "R02", "R02", "R02"] * 2,
            "response": [4, 5, 99, 1, 2, 2, 3, 3, 4, 5, 5, 5],
        }
    )


def test_segments_centred_on_neutral_odd_scale():
    df = pd.DataFrame({"item_code": "R01", "response": [1, 2, 3, 3, 4, 4, 4, 5]})
    ax = likert_bars(likert_summary(df, scale=(1, 5)))
    d = ax.drawn
    assert d["point"].tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(d["pct"], [12.5, 12.5, 25, 37.5, 12.5])
    # the neutral segment (3) straddles 0 exactly in its middle
    neutral = d[d.point == 3].iloc[0]
    assert neutral["left"] == pytest.approx(-neutral["width"] / 2)
    # segments are contiguous and span 100 %
    right = (d["left"] + d["width"]).to_numpy()
    np.testing.assert_allclose(d["left"].to_numpy()[1:], right[:-1])
    assert right[-1] - d["left"].iloc[0] == pytest.approx(100)
    assert d["left"].iloc[0] == pytest.approx(-(12.5 + 12.5 + 25 / 2))


def test_even_scale_centred_between_middle_points_and_zero_points_kept():
    df = pd.DataFrame({"item_code": "R01", "response": [1, 1, 3, 4, 4, 4]})  # 2 unused
    ax = likert_bars(likert_summary(df, scale=(1, 4)), point_labels="agreement", lang="en")
    d = ax.drawn.set_index("point")
    assert list(d.index) == [1, 2, 3, 4]
    assert d.loc[2, "width"] == 0 and d.loc[2, "count"] == 0  # zero-width, still drawn
    assert d.loc[3, "left"] == pytest.approx(0.0)  # the centre line between points 2 and 3
    assert d.loc[1, "left"] == pytest.approx(-100 / 3)
    handles, labels = ax.get_legend_handles_labels()
    assert labels == ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
    # every scale point is an artist, including the zero-width one
    assert sum(len(c.patches) for c in ax.containers) == 4


def test_labels_in_both_languages_and_groups():
    summ = likert_summary(answers(), by="method", instruments=BANK)
    ax_id = likert_bars(summ, instruments=BANK, lang="id", show_n=False)
    labels_id = [t.get_text() for t in ax_id.get_yticklabels()]
    assert labels_id[0] == "Materi relevan · Seminar"
    assert "Narasumber menguasai materi · Lokakarya" in labels_id
    ax_en = likert_bars(summ, instruments=BANK, lang="en")
    labels_en = [t.get_text() for t in ax_en.get_yticklabels()]
    assert labels_en[-1] == "Speaker knows the subject · Workshop (n = 3)"
    assert ax_en.get_xlabel() == "Share of answers (%)"
    assert ax_id.get_xlabel() == "Persentase jawaban (%)"
    d = ax_en.drawn
    assert {"row", "method", "item_code", "label", "point", "left", "width", "pct"} <= set(d)
    assert len(d) == 4 * 5


def test_long_labels_wrapped_on_the_axis_not_in_the_data():
    summ = likert_summary(answers(), by="method", instruments=BANK)
    ax = likert_bars(summ, instruments=BANK, lang="en", wrap=20)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[-1] == "Speaker knows the\nsubject · Workshop\n(n = 3)"
    assert all(len(line) <= 20 for t in ticks for line in t.split("\n"))
    assert ax.drawn["label"].iloc[-1] == "Speaker knows the subject · Workshop (n = 3)"
    flat = likert_bars(summ, instruments=BANK, lang="en", wrap=None)
    assert "\n" not in "".join(t.get_text() for t in flat.get_yticklabels())
    with pytest.raises(ValueError, match="`wrap`"):
        likert_bars(summ, wrap=3)


def test_drawn_matches_summary_and_colours():
    summ = likert_summary(answers(), instruments=BANK)
    ax = likert_bars(summ, point_labels=["a", "b", "c", "d", "e"])
    d = ax.drawn
    for row, s in summ.iterrows():
        seg = d[d.row == row]
        np.testing.assert_allclose(seg["pct"], [s[f"pct_{p}"] for p in range(1, 6)])
        assert seg["count"].tolist() == [s[f"count_{p}"] for p in range(1, 6)]
    assert d[d.row == 0]["color"].tolist() == likert_colors(5)
    assert ax.get_legend_handles_labels()[1] == ["a", "b", "c", "d", "e"]
    assert [t.get_text() for t in ax.texts] == [f"{w:.0f}%" for w in d.loc[d.width >= 8, "width"]]


@HSET
@given(
    st.lists(st.integers(1, 7), min_size=1, max_size=40),
    st.sampled_from([(1, 5), (1, 4), (1, 7), (1, 6)]),
)
def test_property_widths_sum_to_100_and_centre(values, scale):
    lo, hi = scale
    values = [min(v, hi) for v in values]
    ax = likert_bars(likert_summary(pd.DataFrame({"item_code": "R", "response": values}),
                                    scale=scale))  # fmt: skip
    d = ax.drawn
    assert len(d) == hi - lo + 1
    assert d["width"].sum() == pytest.approx(100)
    below = d.loc[d.point < (lo + hi) / 2, "width"].sum()
    neutral = d.loc[d.point == (lo + hi) / 2, "width"].sum()
    assert d["left"].iloc[0] == pytest.approx(-(below + neutral / 2))
    plt.close("all")


def test_mixed_scales_and_bad_options_raise():
    df = pd.DataFrame({"item_code": ["A", "B"], "response": [1, 9]})
    bank = pd.DataFrame({"item_code": ["A", "B"], "scale_min": [1, 0], "scale_max": [5, 10]})
    summ = likert_summary(df, instruments=bank)
    with pytest.raises(ValueError, match="share a scale"):
        likert_bars(summ)
    with pytest.raises(ValueError, match="4- or 5-point"):
        likert_bars(summ[summ.item_code == "B"], point_labels="agreement")
    with pytest.raises(ValueError, match="`lang`"):
        likert_bars(summ[summ.item_code == "A"], lang="fr")
    with pytest.raises(ValueError, match="3 labels"):
        likert_bars(summ[summ.item_code == "A"], point_labels=["x", "y", "z"])
    with pytest.raises(ValueError, match="no rows"):
        likert_bars(summ.iloc[:0])


def test_eleven_point_scale_interpolates_colours():
    df = pd.DataFrame({"item_code": "R10", "response": [0, 5, 9, 10]})
    ax = likert_bars(likert_summary(df, scale=(0, 10)))
    assert ax.drawn["point"].tolist() == list(range(11))
    assert len(set(ax.drawn["color"])) == 11
    assert likert_colors(3) == ["#8c2d04", "#d9d9d9", "#08306b"]


def test_uses_given_axes():
    fig, ax = plt.subplots()
    out = likert_bars(likert_summary(answers(), instruments=BANK), ax=ax)
    assert out is ax


# --------------------------------------------------------------------------------------
# theme_bars
# --------------------------------------------------------------------------------------
def coded():
    texts = ["Jadwal padat", "Waktu kurang", "Modul bagus", "Oke", "AC panas", "Waktunya pas"]
    return code_themes(
        pd.DataFrame(
            {
                "participant_id": [f"P{i}" for i in range(6)],
                "session_id": ["S1", "S1", "S1", "S2", "S2", "S2"],
                "text": texts,
            }
        )
    )


def test_theme_bars_draws_shares_sorted():
    counts = theme_counts(coded())
    ax = theme_bars(counts, lang="en")
    d = ax.drawn
    assert d["theme"].iloc[0] == "time_schedule" and d["pct"].iloc[0] == pytest.approx(50)
    assert UNCODED not in set(d["theme"])
    assert d["pct"].is_monotonic_decreasing
    heights = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(heights, sorted(d["pct"]))
    assert ax.get_yticklabels()[0].get_text() == "Time and schedule"
    with_uncoded = theme_bars(counts, include_uncoded=True, sort=False).drawn
    assert with_uncoded["theme"].iloc[-1] == UNCODED


def test_theme_bars_grouped():
    counts = theme_counts(coded(), by="session_id")
    ax = theme_bars(counts)
    d = ax.drawn
    assert set(d["group"]) == {"S1", "S2"}
    s1 = d[(d.group == "S1") & (d.theme == "time_schedule")]["pct"].item()
    assert s1 == pytest.approx(200 / 3)
    assert len(ax.get_legend().get_texts()) == 2


def test_labels_have_both_languages():
    for key, value in pr.LABELS.items():
        assert set(value) == {"id", "en"}, key
