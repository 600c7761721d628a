"""Slot recommendation: exact MILP and greedy against brute force, guarantees, planted truth."""

from __future__ import annotations

import json
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

import toolkit
from toolkit import scheduling as sc

SLOTS = ["mon_0800", "tue_1000", "wed_1300", "thu_1530", "fri_1900", "sat_0800", "sat_1000"]


def long_table(matrix: np.ndarray, slots=SLOTS) -> pd.DataFrame:
    n, m = matrix.shape
    return pd.DataFrame(
        {
            "participant_id": np.repeat([f"p{i:03d}" for i in range(n)], m),
            "slot": np.tile(slots[:m], n),
            "available": matrix.ravel().astype(bool),
        }
    )


def brute_force(matrix, k, allowed=None, units=None, min_share=None):
    """Best coverage over every k-subset of the allowed columns (None if none is feasible)."""
    m = matrix.shape[1]
    cols = [j for j in range(m) if allowed is None or allowed[j]]
    best = None
    for combo in combinations(cols, k):
        covered = matrix[:, list(combo)].any(axis=1)
        if min_share is not None:
            ok = all(covered[units == u].mean() >= min_share - 1e-12 for u in np.unique(units))
            if not ok:
                continue
        best = max(best or 0, int(covered.sum()))
    return best


instances = st.integers(2, 7).flatmap(
    lambda m: st.tuples(
        st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=1, max_size=14),
        st.integers(1, m),
    )
)


@settings(max_examples=60, deadline=None)
@given(instances)
def test_exact_and_greedy_against_brute_force(instance):
    rows, k = instance
    matrix = np.array(rows, dtype=bool)
    opt = brute_force(matrix, k)
    exact = sc.recommend_slots(long_table(matrix), k=k, method="exact", min_group=0)
    assert exact.n_covered == opt and exact.optimal
    assert len(exact.slots) == k and len(set(exact.slots)) == k
    greedy = sc.recommend_slots(long_table(matrix), k=k, method="greedy", min_group=0)
    # Nemhauser-Wolsey-Fisher: greedy >= (1 - (1 - 1/k)^k) OPT > (1 - 1/e) OPT
    assert greedy.n_covered >= sc.greedy_guarantee(k) * opt - 1e-9
    assert greedy.n_covered >= (1 - 1 / np.e) * opt
    assert greedy.upper_bound >= opt  # the online bound is a true upper bound
    assert greedy.n_covered <= opt


@settings(max_examples=40, deadline=None)
@given(instances, st.data())
def test_exclusions_and_unit_minimum_against_brute_force(instance, data):
    rows, k = instance
    matrix = np.array(rows, dtype=bool)
    m = matrix.shape[1]
    excluded = data.draw(st.lists(st.sampled_from(SLOTS[:m]), max_size=m - k, unique=True))
    allowed = np.array([s not in excluded for s in SLOTS[:m]])
    units = np.array(
        data.draw(st.lists(st.sampled_from("AB"), min_size=len(rows), max_size=len(rows)))
    )
    share = data.draw(st.sampled_from([0.3, 0.5, 1.0]))
    people = pd.DataFrame(
        {"participant_id": [f"p{i:03d}" for i in range(len(rows))], "unit_id": units}
    )
    opt = brute_force(matrix, k, allowed=allowed)
    rec = sc.recommend_slots(long_table(matrix), k=k, exclude=excluded, min_group=0)
    assert rec.n_covered == opt and not set(rec.slots) & set(excluded)
    fair = brute_force(matrix, k, allowed=allowed, units=units, min_share=share)
    if fair is None:
        with pytest.raises(ValueError, match="of every unit"):
            sc.recommend_slots(long_table(matrix), k=k, exclude=excluded, participants=people,
                               min_unit_coverage=share, min_group=0)  # fmt: skip
    else:
        rec = sc.recommend_slots(long_table(matrix), k=k, exclude=excluded, participants=people,
                                 min_unit_coverage=share, min_group=0)  # fmt: skip
        assert rec.n_covered == fair and rec.by_unit["meets_minimum"].all()


def test_greedy_trap_and_the_swap_polish():
    # A = {0, 1, 4, 5, 8} is the largest slot, so plain greedy takes it and then adds 2 people
    # (7 of 9); the optimum B + C = {0..7} covers 8. The 1-swap polish replaces A by C.
    m = np.zeros((9, 3), bool)
    m[[0, 1, 4, 5, 8], 0] = True
    m[[0, 1, 2, 3], 1] = True
    m[[4, 5, 6, 7], 2] = True
    avail = long_table(m, SLOTS[:3])
    exact = sc.recommend_slots(avail, k=2, method="exact", min_group=0)
    greedy = sc.recommend_slots(avail, k=2, method="greedy", min_group=0)
    assert exact.n_covered == 8 and exact.slots == ("tue_1000", "wed_1300")
    chosen, covered, bound = sc._greedy(m, np.ones(9), np.ones(3, bool), 2)
    assert (chosen, covered) == ([0, 1], 7.0) and bound >= 8
    assert covered >= sc.greedy_guarantee(2) * 8
    assert greedy.n_covered == 8 and greedy.slots == exact.slots


@pytest.fixture(scope="module")
def truth():
    with open(toolkit.SAMPLE_DATA / "truth.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_planted_best_coverage_recovered(sample, truth, k):
    rec = sc.recommend_slots(sample.availability, k=k)
    assert rec.method == "exact" and rec.optimal
    true = truth["availability_best_coverage"][str(k)]
    assert rec.ci_low <= true <= rec.ci_high
    low, high = proportion_confint(rec.n_covered, rec.n_staff, method="wilson")
    assert (rec.ci_low, rec.ci_high) == pytest.approx((low, high))
    # the population's best slots reach almost as many in the sample as the sample's best
    m, _, slots = sc.availability_matrix(sample.availability)
    planted = [slots.get_loc(s) for s in truth["availability_best_slots"][str(k)]]
    assert rec.n_covered - 10 <= sc.coverage(m, planted) <= rec.n_covered


def test_slot_shares_recovered(sample, truth):
    cov = sc.slot_coverage(sample.availability, confidence=1 - 0.05 / 30).set_index("slot")
    for slot, true in truth["availability_slot_share"].items():
        assert cov.loc[slot, "ci_low"] <= true <= cov.loc[slot, "ci_high"], slot


def test_sample_recommendation_and_comparison(sample):
    rec = sc.recommend_slots(
        sample.availability, k=2, participants=sample.participants, current=["tue_0800", "wed_0800"]
    )
    assert rec.slots == ("sat_0800", "sat_1000")
    assert (rec.n_covered, rec.n_staff) == (535, 600)
    cmp = rec.comparison.set_index("schedule")
    assert cmp.loc["current", "n_covered"] == 236
    assert cmp.loc["gain", "n_covered"] == 535 - 236
    assert cmp.loc["gain", "newly_covered"] - cmp.loc["gain", "no_longer_covered"] == 299
    # left out: exactly the people available in neither recommended slot, by pseudonym only
    m, people, slots = sc.availability_matrix(sample.availability)
    cols = [slots.get_loc(s) for s in rec.slots]
    expected = set(people[~m[:, cols].any(axis=1)])
    assert set(rec.left_out["participant_id"]) == expected and len(expected) == 65
    assert rec.left_out.columns.tolist() == ["participant_id", "unit_id", "n_slots_available"]
    assert rec.table["cumulative"].iloc[-1] == 535
    assert rec.by_unit["n"].sum() == 600
    assert "89.2 %" in rec.summary("en") and "89,2 %" in rec.summary("id")


def test_auto_switches_to_greedy_and_says_so(sample):
    rec = sc.recommend_slots(sample.availability, k=3, exact_limit=100)
    assert rec.method == "greedy" and "above exact_limit" in rec.status
    exact = sc.recommend_slots(sample.availability, k=3)
    assert rec.n_covered >= rec.guarantee * exact.n_covered
    assert rec.upper_bound >= exact.n_covered


def test_ties_broken_the_same_way_whatever_the_route(sample):
    a = sc.recommend_slots(sample.availability, k=2)
    b = sc.recommend_slots(sample.availability, k=2, participants=sample.participants)
    c = sc.recommend_slots(sample.availability, k=2, method="greedy")
    assert a.slots == b.slots == c.slots


def test_time_limit_returns_a_bounded_answer():
    rng = np.random.default_rng(0)
    m = rng.random((400, 30)) < 0.25
    slots = [f"{d}_{t}" for d in ("mon", "tue", "wed", "thu", "fri", "sat") for t in
             ("0800", "1000", "1300", "1530", "1900")]  # fmt: skip
    rec = sc.recommend_slots(long_table(m, slots), k=4, method="exact", time_limit=0.01)
    greedy = sc.recommend_slots(long_table(m, slots), k=4, method="greedy")
    assert rec.n_covered >= greedy.n_covered
    assert rec.upper_bound >= rec.n_covered


def test_wide_input_and_errors():
    wide = pd.DataFrame({"sat_1000": [True, False], "mon_0800": [False, True]}, index=["a", "b"])
    m, people, slots = sc.availability_matrix(wide)
    assert slots.tolist() == ["mon_0800", "sat_1000"] and m.tolist() == [
        [False, True],
        [True, False],
    ]
    avail = long_table(np.eye(3, dtype=bool), SLOTS[:3])
    with pytest.raises(ValueError, match="more than the 2 slots allowed"):
        sc.recommend_slots(avail, k=3, exclude=["mon_0800"])
    with pytest.raises(ValueError, match="Did you mean 'sat_0800'"):
        sc.recommend_slots(long_table(np.eye(7, dtype=bool)), k=1, exclude=["sat0800"])
    with pytest.raises(ValueError, match="`k` must be a whole number"):
        sc.recommend_slots(avail, k=1.5)
    with pytest.raises(ValueError, match="needs `participants`"):
        sc.recommend_slots(avail, k=1, min_unit_coverage=0.5)


def test_local_search_keeps_the_unit_minimum():
    # Found by hypothesis: the best slot overall (the second) leaves unit B's only person out;
    # with a 30 % minimum per unit the first slot is the only feasible answer (2 covered).
    matrix = np.array([[True, False], [True, True], [False, True], [False, True]])
    people = pd.DataFrame({"participant_id": [f"p{i:03d}" for i in range(4)],
                           "unit_id": ["B", "A", "A", "A"]})  # fmt: skip
    assert brute_force(matrix, 1, units=np.array(["B", "A", "A", "A"]), min_share=0.3) == 2
    rec = sc.recommend_slots(long_table(matrix), k=1, participants=people,
                             min_unit_coverage=0.3, min_group=0)  # fmt: skip
    assert rec.slots == (SLOTS[0],)
    assert rec.n_covered == 2 and rec.by_unit["meets_minimum"].all()


def test_slot_schedule_maps_slots_to_schedule_types():
    from toolkit.scheduling import slot_schedule

    got = slot_schedule(["mon_0700", "fri_1530", "fri_1600", "wed_0600", "sat_0800", "sun_1900",
                         "x"])  # fmt: skip
    assert got.iloc[:6].tolist() == ["office_hours", "office_hours", "after_hours",
                                     "after_hours", "weekend", "weekend"]  # fmt: skip
    assert got.isna().tolist() == [False] * 6 + [True]


def test_stated_vs_observed_on_the_sample(sample):
    """Saturday is what staff say suits them; flexible sessions lose the fewest hours."""
    from toolkit.participation import attendance_summary
    from toolkit.scheduling import slot_coverage, stated_vs_observed

    att = attendance_summary(sample.enrollments, sample.sessions, by="schedule")
    table = stated_vs_observed(slot_coverage(sample.availability), att).set_index("schedule")
    assert table.index[0] == "flexible" and np.isnan(table.loc["flexible", "stated_share"])
    assert table.loc["weekend", "best_slot"] == "sat_1000"
    # independent check: the share of invitations to weekend sessions that lost hours
    enr = sample.enrollments.merge(sample.sessions[["session_id", "jp", "schedule"]])
    weekend = enr[enr["schedule"] == "weekend"]
    missed = (weekend["attended_jp"] < weekend["jp"]).mean()
    assert table.loc["weekend", "missed_share"] == pytest.approx(missed)
    assert round(missed, 3) == 0.264 and round(table.loc["flexible", "missed_share"], 3) == 0.132
    stated = table.loc["weekend", "stated_share"]
    assert table.loc["weekend", "expected_full_share"] == pytest.approx(stated * (1 - missed))
