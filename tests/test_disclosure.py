"""Small-cell protection: the policy function, and the differencing attack on the explorer
and the report (a unit of 3 people in a cohort, one seminar session of 2 people)."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
import shapes
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import synth
from toolkit.data import EvaluationData, as_typed, load
from toolkit.disclosure import MIN_GROUP, SUPPRESSION_COLUMNS, check_min_group, suppress
from toolkit.explore import filter_data, summarize
from toolkit.participation import attendance_summary
from toolkit.schema import TABLES


# ----------------------------------------------------------------------------- the policy
def test_primary_and_complementary():
    t = pd.DataFrame({"g": list("abcd"), "n": [40, 2, 9, 7], "x": [1.0, 2.0, 3.0, 4.0]})
    out = suppress(t, "n")
    assert out["suppression"].tolist() == ["none", "primary", "none", "complementary"]
    assert out.loc[out["suppressed"], ["n", "x"]].isna().all().all()
    assert out.loc[~out["suppressed"], "n"].tolist() == [40, 9]
    assert list(out.columns) == [*t.columns, *SUPPRESSION_COLUMNS]
    assert out["g"].tolist() == list("abcd")  # keys are kept


def test_complement_until_min_group_people():
    # 1 is hidden; the next-smallest (1) makes two rows of 2 people: still < 5, so 3 goes too
    t = pd.DataFrame({"n": [1, 1, 3, 50]})
    assert suppress(t, "n")["suppressed"].tolist() == [True, True, True, False]
    # two small rows that hold min_group people together need no company
    assert suppress(t.assign(n=[2, 3, 9, 50]), "n")["suppressed"].tolist() == [
        True,
        True,
        False,
        False,
    ]


def test_partitions_are_separate():
    t = pd.DataFrame({"cohort": list("AAABB"), "n": [3, 40, 12, 30, 25]})
    out = suppress(t, "n", within="cohort")
    assert out["suppressed"].tolist() == [True, False, True, False, False]
    assert out["cohort"].tolist() == list("AAABB")
    # without partitions the smallest row of the whole table is chosen
    assert suppress(t, "n")["suppressed"].tolist() == [True, False, True, False, False]


def test_a_partition_total_below_min_group_is_flagged():
    t = pd.DataFrame({"p": ["A", "A", "B", "C"], "n": [2, 1, 50, 4]})
    out = suppress(t, "n", within="p")
    assert out["suppressed"].tolist() == [True, True, False, True]
    assert out["total_suppressed"].tolist() == [True, True, False, True]


def test_zeros_missing_forced_kept_and_threshold():
    t = pd.DataFrame({"year": [2024, 2025, 2026], "n": [0, np.nan, 30], "x": [0.0, 1.0, 2.0]})
    out = suppress(t, "n", keep=["year"])
    assert out["suppression"].tolist() == ["none", "primary", "complementary"]
    assert out["year"].tolist() == [2024, 2025, 2026]  # a numeric key is never blanked
    forced = suppress(pd.DataFrame({"n": [30, 40, 50]}), "n", force=[False, True, False])
    assert forced["suppression"].tolist() == ["complementary", "primary", "none"]
    assert not suppress(pd.DataFrame({"n": [3, 40]}), "n", min_group=3)["suppressed"].any()
    assert suppress(pd.DataFrame({"n": [9, 40]}), "n", min_group=10)["suppressed"].all()
    assert suppress(pd.DataFrame({"n": [3, 40]}), "n", complementary=False)[
        "suppressed"
    ].tolist() == [True, False]


def test_bad_arguments():
    t = pd.DataFrame({"n": [3, 40]})
    with pytest.raises(KeyError, match="count"):
        suppress(t, "people")
    with pytest.raises(KeyError, match="within"):
        suppress(t, "n", within="cohort")
    with pytest.raises(ValueError, match="min_group"):
        suppress(t, "n", min_group=-1)
    with pytest.raises(TypeError):
        suppress(t["n"], "n")
    assert check_min_group(MIN_GROUP) == 5


def _check_partition(counts, hidden, m, total_hidden):
    """The invariants of one partition after suppression."""
    pos = counts > 0
    k, s = int((hidden & pos).sum()), counts[hidden & pos].sum()
    assert not (pos & (counts < m) & ~hidden).any()  # primary
    assert k == 0 or (k >= 2 and s >= m) or (hidden | ~pos).all()
    total, shown = counts.sum(), counts[~hidden].sum()
    assert total_hidden.all() == (0 < total < m or k > 0 and (k < 2 or s < m))
    if not total_hidden.any():  # the total is shown: minus the shown rows, no hidden row
        assert not np.isin(total - shown, counts[hidden & pos]).any() or k == 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30)), min_size=1, max_size=30),
    st.integers(2, 10),
)
def test_policy_properties(rows, m):
    t = pd.DataFrame(rows, columns=["part", "n"])
    out = suppress(t, "n", within="part", min_group=m)
    hidden = out["suppressed"].to_numpy()
    for part in t["part"].unique():
        mask = (t["part"] == part).to_numpy()
        counts = t["n"].to_numpy(dtype=float)[mask]
        total_hidden = out["total_suppressed"].to_numpy()[mask]
        _check_partition(counts, hidden[mask], m, total_hidden)
        assert total_hidden.all() == (0 < counts.sum() < m)  # one partitioning: never short


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=5), min_size=2, max_size=5))
def test_two_way_tables(grid):
    width = min(len(r) for r in grid)
    t = pd.DataFrame(
        [(i, j, r[j]) for i, r in enumerate(grid) for j in range(width)], columns=["i", "j", "n"]
    )
    out = suppress(t, "n", within=[["i"], ["j"]])
    hidden = out["suppressed"].to_numpy()
    for col in ("i", "j"):
        for value in t[col].unique():
            mask = (t[col] == value).to_numpy()
            counts = t["n"].to_numpy(dtype=float)[mask]
            total_hidden = one_way(t, col, hidden)[mask]
            _check_partition(counts, hidden[mask], MIN_GROUP, total_hidden)


def one_way(t, col, hidden):
    """``total_suppressed`` of the partitioning by ``col`` alone, given the hidden rows."""
    return suppress(t, "n", within=col, force=hidden)["total_suppressed"].to_numpy()


# ------------------------------------------------------- data with small cells, on disk
def _small_cells() -> tuple[EvaluationData, dict]:
    """A generated evaluation with one unit of 3 people in a cohort of several units, and
    one seminar session of 2 people (the only seminar)."""
    f = shapes._frames(41, 0.3)
    ses, enr, people = f["sessions"], f["enrollments"], f["participants"]
    seminar = ses.loc[ses["method"] == "seminar", "session_id"].iloc[0]
    f["sessions"] = ses[(ses["method"] != "seminar") | (ses["session_id"] == seminar)]
    on = (enr["session_id"] == seminar).to_numpy()
    f["enrollments"] = enr = enr[~(on & (np.cumsum(on) > 2))]
    units = f["units"]
    enrolled = people[people["participant_id"].isin(enr["participant_id"])]
    size = enrolled.groupby("unit_id").size()
    cohorts = units[units["unit_id"].isin(size.index)].groupby("first_trained_period")["unit_id"]
    cohort, members = max(((c, sorted(u)) for c, u in cohorts), key=lambda cu: len(cu[1]))
    small, other = members[0], members[1]
    staff = enrolled.loc[enrolled["unit_id"] == small, "participant_id"]
    moved = people["participant_id"].isin(staff.iloc[3:])
    f["participants"] = people.assign(unit_id=people["unit_id"].where(~moved, other))
    shapes._prune(f)
    data = EvaluationData(**{t: as_typed(t, f[t]) for t in TABLES}, present=tuple(TABLES))
    return data, {"unit": small, "cohort": cohort, "units": members}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    data, info = _small_cells()
    path = tmp_path_factory.mktemp("small_cells")
    synth.write(data, path)
    return path, info


@pytest.fixture(scope="module")
def small(folder):
    path, info = folder
    return load(path), info


def test_the_data_have_the_small_cells(small):
    data, info = small
    enrolled = data.participants[
        data.participants["participant_id"].isin(data.enrollments["participant_id"])
    ]
    assert (enrolled["unit_id"].astype("str") == info["unit"]).sum() == 3
    seminars = data.sessions[data.sessions["method"].astype("str") == "seminar"]
    assert len(seminars) == 1
    assert data.enrollments["session_id"].isin(seminars["session_id"]).sum() == 2


# ----------------------------------------------------------------------------- explorer
_SUMS = ("n_invited", "n_completed", "jp_delivered")


def _truth(data, **filters) -> pd.Series:
    f = filter_data(data, **filters)
    return attendance_summary(f.enrollments, f.sessions, min_group=0).iloc[0]


def test_cohort_minus_units_reveals_no_small_unit(small):
    data, info = small
    total = summarize(data, cohort=info["cohort"])["participation"].iloc[0]
    assert not total["suppressed"]
    shown, hidden = {}, {}
    for unit in info["units"]:
        out = summarize(data, unit=unit)
        state = out["status"].set_index("section").loc["participation", "state"]
        if state == "ok":
            shown[unit] = out["participation"].iloc[0]
            assert shown[unit]["n_participants"] >= MIN_GROUP
        elif state == "suppressed":
            assert "participation" not in out
            kpi = out["kpi"][out["kpi"]["section"] == "participation"]
            assert kpi["value"].isna().all() and kpi["suppressed"].all()
            people = out["kpi"].set_index("key").loc["n_participants"]
            assert np.isnan(people["value"]) and people["suppressed"]  # the overview card too
            hidden[unit] = _truth(data, unit=unit)
    assert info["unit"] in hidden and len(hidden) >= 2
    for col in _SUMS:
        rest = total[col] - sum(row[col] for row in shown.values())
        assert all(not np.isclose(rest, row[col]) for row in hidden.values()), col


def test_the_small_unit_is_hidden_in_every_tab(small):
    data, info = small
    out = summarize(data, unit=info["unit"])
    states = out["status"].set_index("section")["state"]
    assert set(states.drop("results")) <= {"suppressed", "no_data"}


@pytest.mark.parametrize("filters", [{}, {"cohort": "COHORT"}, {"method": "seminar"}])
def test_no_table_of_a_selection_gives_a_row_back(small, filters):
    data, info = small
    filters = {k: info["cohort"] if v == "COHORT" else v for k, v in filters.items()}
    out = summarize(data, **filters)
    for name, table in out.items():
        if name in ("status", "kpi", "learning_scores") or "suppressed" not in table:
            continue
        shown = table[~table["suppressed"].to_numpy(dtype=bool)]
        count = "n_people" if "n_people" in table else "n_participants"
        assert (shown[count] >= MIN_GROUP).all(), name
    by = out.get("participation_by_schedule")
    if by is not None and by["suppressed"].any():
        f = filter_data(data, **filters)
        truth = attendance_summary(f.enrollments, f.sessions, by="schedule", min_group=0)
        total = out["participation"].iloc[0]
        for col in _SUMS:
            rest = total[col] - by.loc[~by["suppressed"], col].sum()
            assert not np.isclose(rest, truth.loc[by["suppressed"].to_numpy(), col]).any()


# ----------------------------------------------------------------------------- report
_COUNT_HEADERS = {"Participants", "Invitations", "Staff", "Respondents", "Answers", "n", "People"}


def _tables(page: str):
    """(caption, headers, rows) of every table of the report's HTML."""
    for t in re.findall(r"<table.*?</table>", page, flags=re.S):
        caption = re.sub(r"<[^>]+>", "", (re.findall(r"<caption.*?</caption>", t, re.S) or [""])[0])
        heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th.*?</th>", t, re.S)]
        rows = [
            [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", r, re.S)]
            for r in re.findall(r"<tr.*?</tr>", t, re.S)
        ]
        yield caption.strip(), heads, [r for r in rows if r]


@pytest.fixture(scope="module")
def report(folder, tmp_path_factory):
    from toolkit.report.build import build_report

    path, _ = folder
    out = tmp_path_factory.mktemp("report") / "out"
    build_report(path, out, lang="en", log=io.StringIO())
    return (out / "index.html").read_text(encoding="utf-8")


def test_the_report_lists_no_person(report):
    assert not re.search(r"P-[0-9a-f]{6,}", report)


def test_no_report_row_rests_on_fewer_than_min_group(report):
    checked = 0
    for caption, heads, rows in _tables(report):
        for j, head in enumerate(heads):
            if head not in _COUNT_HEADERS:
                continue
            for row in rows:
                cell = row[j] if j < len(row) else "–"
                if cell in ("–", ""):
                    continue
                checked += 1
                assert float(cell.replace(",", "")) >= MIN_GROUP, (caption, row)
    assert checked > 0


def test_report_tables_hide_no_single_row(report):
    """Where rows of a group table are hidden, at least two are (the total minus the shown
    rows gives no single hidden row); the seminar of 2 people is one of them."""
    seminar_rows = 0
    for caption, _heads, rows in _tables(report):
        if "by method" not in caption.lower() and "schedule" not in caption.lower():
            continue
        hidden = [r for r in rows if all(c in ("–", "") for c in r[1:])]
        assert len(hidden) != 1, caption
        seminar_rows += sum(r[0] == "Seminar" for r in hidden)
    assert seminar_rows >= 2  # learning and programme chapters at least
