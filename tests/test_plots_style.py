"""The shared figure style: one colour per delivery method in every chart, numbers in the
figure's language, a resolution a projector can show. Checked on the figures' data and
artists, never on images."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from toolkit.comments import code_themes, theme_counts
from toolkit.i18n import label
from toolkit.learning import prepost_scores
from toolkit.methods import method_comparison, method_frame
from toolkit.participation import absence_reasons
from toolkit.plots import (
    absence_bars,
    behavior_change_plot,
    cost_outcome_plot,
    method_plot,
    prepost_plot,
    theme_bars,
)
from toolkit.plots._style import (
    COURSE_DPI,
    METHOD_COLORS,
    MIN_DPI,
    OTHER_COLORS,
    PALETTE,
    get_ax,
    localize_axes,
    method_colors,
    number_formatter,
    series_colors,
)

#: Okabe & Ito (2008), "Color Universal Design": the eight colours of the palette.
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _ticks(ax, axis="y"):
    ax.figure.canvas.draw()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels if t.get_text()]


def _legend_colours(ax):
    """{legend text: colour of its handle} (lines, error bars, bars alike)."""
    legend = ax.get_legend()
    out = {}
    for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
        colour = handle.get_facecolor() if hasattr(handle, "get_width") else handle.get_color()
        out[text.get_text()] = to_hex(np.asarray(colour).reshape(-1, 4)[0]).upper()
    return out


# --- method colours ---------------------------------------------------------------------


def test_every_method_of_the_sample_has_its_own_okabe_ito_colour(sample):
    methods = set(sample.sessions["method"].astype("str"))
    assert methods <= set(METHOD_COLORS)
    assert len(set(METHOD_COLORS.values())) == len(METHOD_COLORS)
    assert set(METHOD_COLORS.values()) <= OKABE_ITO
    assert not set(OTHER_COLORS) & set(METHOD_COLORS.values())


def test_unknown_codes_get_stable_distinct_colours():
    first = method_colors(["bimtek", "coaching", "mentoring", "workshop"])
    again = method_colors(["workshop", "mentoring", "coaching", "bimtek", "bimtek"])
    assert first == {k: again[k] for k in first}  # order and duplicates do not matter
    unknown = [first[k] for k in ("bimtek", "coaching", "mentoring")]
    assert len(set(unknown)) == 3 and set(unknown) <= set(OTHER_COLORS)
    assert first["workshop"] == METHOD_COLORS["workshop"]
    # more unknown codes than colours: still a colour each, never a method's colour
    many = method_colors([f"m{i}" for i in range(12)])
    assert len(many) == 12 and set(many.values()) <= set(OTHER_COLORS)
    assert method_colors([np.nan, None, "seminar"]) == {"seminar": METHOD_COLORS["seminar"]}


def test_series_colours_fall_back_to_the_palette_without_methods():
    assert series_colors(["internal", "university"]) == {
        "internal": PALETTE[0],
        "university": PALETTE[1],
    }
    assert series_colors(["university", "seminar"])["seminar"] == METHOD_COLORS["seminar"]


@pytest.fixture(scope="module")
def gain_by_method(sample):
    return method_comparison(method_frame(sample, "learning"))


def _method_plot_colours(ax):
    """Face colour of each estimate point (the last scatter), by method on the axis."""
    points = ax.collections[-1]
    return [to_hex(c).upper() for c in points.get_edgecolors()]


def test_method_colours_are_identical_across_charts(sample, gain_by_method):
    # chart 1: the method comparison (dot-whisker), methods in the table's order
    ax1 = method_plot(gain_by_method, lang="en")
    drawn1 = ax1.drawn.set_index("method")["color"]
    assert _method_plot_colours(ax1) == [METHOD_COLORS[m] for m in ax1.drawn["method"]]
    # chart 2: pre/post means by method, methods in another (alphabetical) order
    tests = sample.tests.merge(sample.sessions[["session_id", "method"]], on="session_id")
    ax2 = prepost_plot(prepost_scores(tests, by="method"), by="method", kind="summary")
    lines = _legend_colours(ax2)
    drawn2 = ax2.drawn.drop_duplicates("group").set_index("group")["color"]
    # chart 3: comment themes by method
    comments = sample.comments.merge(sample.sessions[["session_id", "method"]], on="session_id")
    ax3 = theme_bars(theme_counts(code_themes(comments), by="method"), lang="en")
    bars = {}
    for container in ax3.containers:
        if container.get_label() and not container.get_label().startswith("_"):
            bars[container.get_label()] = to_hex(container.patches[0].get_facecolor()).upper()
    for method, colour in METHOD_COLORS.items():
        assert drawn1[method] == drawn2[method] == colour
        assert lines[label(method, "id")] == colour  # the legend names the method
        assert bars[label(method, "en")] == colour


def test_method_plot_keeps_method_colours_and_tells_hue_by_marker(gain_by_method):
    both = pd.concat([gain_by_method.assign(model="raw"), gain_by_method.assign(model="adjusted")])
    ax = method_plot(both, hue="model", lang="en")
    assert ax.drawn["color"].tolist() == [METHOD_COLORS[m] for m in ax.drawn["method"]]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Raw", "Adjusted"]
    markers = [h.get_marker() for h in ax.get_legend().legend_handles]
    assert markers[0] != markers[1]


def test_absence_bars_by_method_use_method_colours(sample):
    enr = sample.enrollments.merge(sample.sessions[["session_id", "method"]], on="session_id")
    ax = absence_bars(absence_reasons(enr, by="method", min_group=0), lang="en")
    got = _legend_colours(ax)
    for method in set(enr["method"].astype("str")):
        assert got[label(method, "en")] == METHOD_COLORS[method]


# --- numbers in the figure's language ---------------------------------------------------


def test_number_formatter_writes_indonesian_and_english():
    f_id, f_en = number_formatter("id"), number_formatter("en")
    assert f_id.format_ticks([-0.5, 0.0, 0.5, 1.0]) == ["−0,5", "0,0", "0,5", "1,0"]
    assert f_en.format_ticks([-0.5, 0.0, 0.5, 1.0]) == ["−0.5", "0.0", "0.5", "1.0"]
    assert f_id.format_ticks([0, 1_250_000, 2_500_000]) == ["0", "1.250.000", "2.500.000"]
    assert f_en.format_ticks([0, 0.25, 0.5]) == ["0.00", "0.25", "0.50"]
    assert number_formatter("id", decimals=1).format_ticks([1284.45]) == ["1.284,5"]
    with pytest.raises(ValueError, match="lang"):
        number_formatter("fr")


def test_behavior_plot_ticks_have_decimal_commas_in_indonesian():
    res = pd.DataFrame({"rater": ["self", "supervisor"], "wave_to": "followup_3m",
                        "estimate": [0.6, 0.4], "ci_low": [0.4, 0.1], "ci_high": [0.8, 0.7],
                        "n": [30, 28]})  # fmt: skip
    ticks_id = _ticks(behavior_change_plot(res, lang="id"))
    ticks_en = _ticks(behavior_change_plot(res, lang="en"))
    assert any("," in t for t in ticks_id) and not any("." in t for t in ticks_id)
    assert any("." in t for t in ticks_en) and not any("," in t for t in ticks_en)
    assert [t.replace(",", ".") for t in ticks_id] == ticks_en


def test_rupiah_axis_uses_dots_for_thousands_in_indonesian():
    q = pd.DataFrame({"provider": ["internal"] * 2 + ["university"] * 2,
                      "measure": ["fee_per_jp", "trainer_rating"] * 2,
                      "estimate": [350e3, 4.1, 1e6, 4.5], "ci_low": [330e3, 4.0, 0.9e6, 4.3],
                      "ci_high": [370e3, 4.2, 1.1e6, 4.7]})  # fmt: skip
    ax = cost_outcome_plot(q, lang="id")
    xt = _ticks(ax, "x")
    assert any(t.endswith(".000") for t in xt), xt  # 1.000.000, not 1,000,000 or 1e6
    assert any("," in t for t in _ticks(ax, "y"))  # ratings 4,2 …


def test_localize_axes_leaves_category_axes_alone():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.5, 1.5])
    ax.set_xticks([0, 1], ["Sebelum", "Sesudah"])
    localize_axes(ax, "id")
    assert _ticks(ax, "x") == ["Sebelum", "Sesudah"]
    assert all("," in t for t in _ticks(ax, "y"))


# --- resolution -------------------------------------------------------------------------


def test_new_figures_are_at_least_110_dpi_even_if_the_notebook_asks_less():
    assert MIN_DPI >= 110 and COURSE_DPI >= MIN_DPI
    with plt.rc_context({"figure.dpi": 80}):
        assert get_ax().figure.dpi >= 110
    with plt.rc_context({"figure.dpi": COURSE_DPI}):
        assert get_ax().figure.dpi == COURSE_DPI


def test_course_notebooks_draw_at_least_110_dpi():
    # the notebooks set the resolution in their import cell; 80 dpi was too small on a projector
    import re

    from course import editions

    found = {}
    for path in editions.sources():  # the bilingual sources, course/notebooks/*.md
        nb = editions.read_source(path)
        for cell in nb.cells:
            for value in re.findall(
                r"""rcParams\[["']figure\.dpi["']\]\s*=\s*(\d+)""", cell.source
            ):
                found[path.name] = int(value)
    assert found, "no notebook sets figure.dpi: the check would test nothing"
    assert all(v >= MIN_DPI for v in found.values()), found
