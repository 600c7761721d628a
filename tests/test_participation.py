"""Attendance, absence reasons and 20 JP fulfilment: JP arithmetic, references, planted truth."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import toolkit
from toolkit import participation as pa
from toolkit.roi import JP_MINUTES
from toolkit.synth import generate


@pytest.fixture(scope="module")
def truth():
    with open(toolkit.SAMPLE_DATA / "truth.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def big():
    """A larger synthetic sample (same model, 20 x the sessions and people)."""
    return generate(scale=20, tables=["enrollments"])


# ----------------------------------------------------------------------------- JP arithmetic
@pytest.mark.parametrize(
    ("minutes", "rounding", "expected"),
    [
        (45, "exact", 1.0),
        (90, "exact", 2.0),
        (60, "exact", 4 / 3),
        (60, "floor", 1.0),
        (89.99999999999, "floor", 2.0),  # float noise does not lose a JP
        (67.5, "nearest", 2.0),  # 1.5 JP rounds half up
        (66, "nearest", 1.0),
        (0, "floor", 0.0),
        (900, "exact", 20.0),  # the yearly right: 20 JP = 15 hours
    ],
)
def test_minutes_to_jp_cases(minutes, rounding, expected):
    assert pa.minutes_to_jp(minutes, rounding=rounding) == pytest.approx(expected)


def test_jp_minutes_constant_is_shared_with_roi():
    assert pa.JP_MINUTES == JP_MINUTES == 45
    assert pa.jp_to_minutes(20) == 900.0


@given(st.lists(st.floats(0, 10_000, allow_nan=False), min_size=1, max_size=20))
def test_minutes_jp_round_trip(minutes):
    jp = pa.minutes_to_jp(minutes)
    np.testing.assert_allclose(pa.jp_to_minutes(jp), minutes, rtol=1e-12, atol=1e-9)
    floor = pa.minutes_to_jp(minutes, rounding="floor")
    assert np.all(floor <= jp + 1e-9) and np.all(jp - floor < 1)


def test_minutes_to_jp_rejects_bad_input():
    with pytest.raises(ValueError, match="at least 0"):
        pa.minutes_to_jp(-5)
    with pytest.raises(ValueError, match="`rounding` must be one of"):
        pa.minutes_to_jp(45, rounding="ceil")


def sessions_across_new_year():
    return pd.DataFrame(
        {
            "session_id": ["S1", "S2", "S3"],
            "method": ["workshop", "e_learning", "seminar"],
            "start_date": pd.to_datetime(["2024-12-30", "2024-06-03", "2023-12-31"]),
            "end_date": pd.to_datetime(["2025-01-02", "2024-06-05", "2025-01-01"]),
            "jp": [16, 12, 24],
        }
    )


def test_year_of_a_session_spanning_new_year():
    s = sessions_across_new_year()
    end = pa.jp_by_year(s)
    assert end.set_index("session_id")["year"].to_dict() == {"S1": 2025, "S2": 2024, "S3": 2025}
    start = pa.jp_by_year(s, year_by="start")
    assert start.set_index("session_id")["year"].to_dict() == {"S1": 2024, "S2": 2024, "S3": 2023}
    pro = pa.jp_by_year(s, year_by="prorate")
    # S1: 30-31 Dec 2024 (2 days) and 1-2 Jan 2025 (2 days); S3: 1 + 366 (leap) + 1 days
    got = {(r.session_id, r.year): r.share for r in pro.itertuples()}
    assert got[("S1", 2024)] == got[("S1", 2025)] == 0.5
    assert got[("S3", 2024)] == pytest.approx(366 / 368)
    assert pro.groupby("session_id")["share"].sum().tolist() == pytest.approx([1, 1, 1])


@given(st.dates(), st.integers(0, 800))
def test_prorated_shares_sum_to_one(start, days):
    s = pd.DataFrame(
        {
            "session_id": ["S"],
            "start_date": [pd.Timestamp(start)],
            "end_date": [pd.Timestamp(start) + pd.Timedelta(days=days)],
        }
    )
    pro = pa.jp_by_year(s, year_by="prorate")
    assert pro["share"].sum() == pytest.approx(1.0)
    assert (pro["share"] > 0).all()
    assert pro["year"].tolist() == list(range(start.year, pro["year"].max() + 1))


def test_jp_fulfilment_partial_sessions_and_year_boundary():
    s = sessions_across_new_year()
    enr = pd.DataFrame(
        {
            "participant_id": ["a", "a", "b", "c"],
            "session_id": ["S1", "S2", "S2", "S3"],
            "attended_jp": [12.5, 12.0, 7.0, 24.0],  # a attended part of S1
        }
    )
    people = pd.DataFrame({"participant_id": ["a", "b", "c", "d"]})
    res = pa.jp_fulfilment(enr, s, participants=people, year=[2024, 2025], min_group=0)
    pp = res.per_person.set_index(["participant_id", "year"])
    # by end date: S1 (Dec-Jan) and S3 count in 2025; S2 (e-learning) is non-classical
    assert pp.loc[("a", 2024), ["jp_classical", "jp_nonclassical"]].tolist() == [0.0, 12.0]
    assert pp.loc[("a", 2025), "jp_total"] == 12.5
    assert pp.loc[("c", 2025), "meets"] and not pp.loc[("c", 2024), "meets"]
    assert pp.loc[("d", 2024), "jp_total"] == 0.0  # invited to nothing: zero, still counted
    assert pp.loc[("a", 2024), "shortfall"] == 8.0
    pro = pa.jp_fulfilment(enr, s, participants=people, year=2024, year_by="prorate", min_group=0)
    p24 = pro.per_person.set_index("participant_id")["jp_total"]
    assert p24["a"] == pytest.approx(12.0 + 12.5 / 2)
    assert p24["c"] == pytest.approx(24 * 366 / 368)


def test_jp_fulfilment_extra_development_counts():
    s = sessions_across_new_year()
    enr = pd.DataFrame({"participant_id": ["a"], "session_id": ["S2"], "attended_jp": [12.0]})
    extra = pd.DataFrame(
        {"participant_id": ["a", "b"], "year": 2024, "jp": [8.0, 3.0], "classical": [False, True]}
    )
    people = pd.DataFrame({"participant_id": ["a", "b"]})
    res = pa.jp_fulfilment(enr, s, participants=people, year=2024, extra=extra, min_group=0)
    pp = res.per_person.set_index("participant_id")
    assert pp.loc["a", "jp_nonclassical"] == 20.0 and pp.loc["a", "meets"]
    assert pp.loc["b", "jp_classical"] == 3.0


def test_jp_fulfilment_matches_pandas_on_sample(sample):
    res = pa.jp_fulfilment(
        sample.enrollments, sample.sessions, participants=sample.participants, by="unit_id"
    )
    # independent reference: merge + groupby on the end year
    m = sample.enrollments.merge(sample.sessions, on="session_id")
    m["year"] = m["end_date"].dt.year
    ref = m.groupby(["participant_id", "year"], observed=True)["attended_jp"].sum()
    pp = res.per_person.set_index(["participant_id", "year"])["jp_total"]
    joined = pp.to_frame().join(ref.rename("ref"), how="left").fillna({"ref": 0.0})
    np.testing.assert_allclose(joined["jp_total"], joined["ref"])
    assert len(res.per_person) == 2 * len(sample.participants)
    s = res.summary.set_index("year")
    for year, row in s.iterrows():
        tot = joined.xs(year, level="year")["ref"]
        assert row["n_meeting"] == int((tot >= 20).sum())
        assert row["median_jp"] == np.median(tot)
        low, high = proportion_confint(row["n_meeting"], row["n"], method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    # the numbers quoted in notebook 08
    assert s.loc[2024, "n_meeting"] == 234 and s.loc[2025, "n_meeting"] == 393
    assert res.distribution.groupby("year")["n"].sum().tolist() == [600, 600]


def test_jp_fulfilment_behind_lists_pseudonyms_only(sample):
    people = sample.participants.assign(nama="Nama Asli", nip="199001012015031001")
    res = pa.jp_fulfilment(
        sample.enrollments, sample.sessions, participants=people, by="unit_id", n_behind=7
    )
    b = res.behind
    assert b.columns.tolist() == [
        "year",
        "rank",
        "participant_id",
        "unit_id",
        "jp_total",
        "shortfall",
    ]
    assert b.groupby("year").size().tolist() == [7, 7]
    assert b["participant_id"].str.match(r"^P-[0-9a-f]{16}$").all()
    for year, part in b.groupby("year"):
        pp = res.per_person
        lagging = pp.loc[(pp["year"] == year) & ~pp["meets"], "jp_total"]
        assert part["jp_total"].max() <= lagging.nsmallest(7).max()
        assert part["rank"].tolist() == list(range(1, 8))
    shown = set(res.per_person.columns) | set(res.groups.columns) | set(b.columns)
    assert not {"nama", "nip"} & shown


def test_small_units_are_suppressed(sample):
    people = sample.participants.copy()
    people["unit_id"] = people["unit_id"].astype("str")
    people.loc[people.index[:3], "unit_id"] = "TINY"
    res = pa.jp_fulfilment(sample.enrollments, sample.sessions, participants=people, by="unit_id")
    tiny = res.groups[res.groups["unit_id"] == "TINY"]
    assert tiny["suppressed"].all() and tiny["share_meeting"].isna().all()
    assert tiny["n"].isna().all()
    att = pa.attendance_summary(
        sample.enrollments, sample.sessions, participants=people, by="unit_id"
    )
    row = att[att["unit_id"] == "TINY"].iloc[0]
    assert row["suppressed"] and np.isnan(row["n_invited"]) and np.isnan(row["missed_share"])
    # complementary suppression: the smallest other unit goes too, so that the total minus
    # the shown units does not give TINY back; every other unit is shown
    full = pa.attendance_summary(
        sample.enrollments, sample.sessions, participants=people, by="unit_id", min_group=0
    )
    others = full[full["unit_id"] != "TINY"]
    smallest = others.loc[others["n_participants"].idxmin(), "unit_id"]
    hidden = set(att.loc[att["suppressed"], "unit_id"])
    assert hidden == {"TINY", smallest}
    assert full["n_invited"].sum() - att["n_invited"].sum() != row_invited(full, "TINY")


def row_invited(table, unit):
    return table.loc[table["unit_id"] == unit, "n_invited"].iloc[0]


# ----------------------------------------------------------------------------- attendance
def test_attendance_summary_matches_pandas(sample):
    out = pa.attendance_summary(
        sample.enrollments, sample.sessions, by=["schedule", "method"], min_group=0
    )
    m = sample.enrollments.merge(sample.sessions, on="session_id")
    ref = m.groupby(["schedule", "method"], observed=True).agg(
        n_invited=("jp", "size"),
        n_attended=("attended_jp", lambda s: int((s > 0).sum())),
        n_completed=("completed", "sum"),
        jp_planned=("jp", "sum"),
        jp_delivered=("attended_jp", "sum"),
    )
    ref["n_missed"] = (
        (m["attended_jp"] < m["jp"]).groupby([m["schedule"], m["method"]], observed=True).sum()
    )
    got = out.set_index(["schedule", "method"])
    for col in ref.columns:
        np.testing.assert_allclose(got.loc[ref.index, col], ref[col], err_msg=col)
    low, high = proportion_confint(got["n_missed"], got["n_invited"], method="wilson")
    np.testing.assert_allclose(got["missed_ci_low"], low)
    np.testing.assert_allclose(got["missed_ci_high"], high)
    assert (got["jp_ci_low"] <= got["jp_share"]).all() and (
        got["jp_share"] <= got["jp_ci_high"]
    ).all()


def test_jp_share_interval_is_the_linearised_ratio():
    # reference: the ratio estimator's textbook linearised variance, computed by hand
    rng = np.random.default_rng(3)
    planned = rng.choice([8, 16, 24], 50)
    attended = np.floor(planned * rng.uniform(0.5, 1, 50))
    enr = pd.DataFrame({"participant_id": [f"p{i}" for i in range(50)],
                        "session_id": [f"S{p}" for p in planned], "attended_jp": attended,
                        "completed": True})  # fmt: skip
    ses = pd.DataFrame({"session_id": ["S8", "S16", "S24"], "jp": [8, 16, 24]})
    row = pa.attendance_summary(enr, ses).iloc[0]
    r = attended.sum() / planned.sum()
    se = np.sqrt(((attended - r * planned) ** 2).sum() / (50 * 49)) / planned.mean()
    t = stats.t.ppf(0.975, 49)
    assert row["jp_share"] == pytest.approx(r)
    assert (row["jp_ci_low"], row["jp_ci_high"]) == pytest.approx((r - t * se, r + t * se))


def test_attendance_errors_name_the_fix(sample):
    with pytest.raises(KeyError, match="Did you mean 'schedule'"):
        pa.attendance_summary(sample.enrollments, sample.sessions, by="schedul")
    bad = sample.enrollments.assign(session_id=sample.enrollments["session_id"].astype("str"))
    bad.loc[0, "session_id"] = "S99"
    with pytest.raises(ValueError, match="S99"):
        pa.attendance_summary(bad, sample.sessions)
    with pytest.raises(ValueError, match="also an output column"):
        pa.attendance_summary(
            sample.enrollments.assign(n_invited=1), sample.sessions, by="n_invited"
        )


# ----------------------------------------------------------------------------- reasons
def test_absence_shares_are_consistent(sample):
    out = pa.absence_reasons(sample.enrollments, sample.sessions, by="schedule")
    reasons = out[out["kind"] == "reason"]
    np.testing.assert_allclose(reasons.groupby("schedule", observed=True)["share"].sum(), 1.0)
    groups = out[out["kind"] == "group"].set_index(["schedule", "reason"])["n_absences"]
    summed = reasons.groupby(["schedule", "reason_group"], observed=True)["n_absences"].sum()
    np.testing.assert_array_equal(groups.loc[summed.index].to_numpy(), summed.to_numpy())
    low, high = proportion_confint(reasons["n_absences"], reasons["n"], method="wilson")
    np.testing.assert_allclose(reasons["ci_low"], low)
    np.testing.assert_allclose(reasons["ci_high"], high)


def test_unrecorded_reasons_are_counted_apart():
    enr = pd.DataFrame({"participant_id": list("abcdefg"), "session_id": "S1",
                        "attended_jp": [0, 4, 4, 8, 2, 3, 1],
                        "absence_reason": ["workload", None, "illness", None, "leave",
                                           "workload", "workload"]})  # fmt: skip
    ses = pd.DataFrame({"session_id": ["S1"], "jp": [8]})
    out = pa.absence_reasons(enr, ses, min_group=0)
    row = out[out["reason"] == "workload"].iloc[0]
    assert (row["n_absences"], row["n"], row["n_missed"], row["n_unrecorded"]) == (3, 5, 6, 1)
    with pytest.raises(ValueError, match="gives no group"):
        pa.absence_reasons(enr, ses, groups={"workload": "work"})


def test_planted_overall_absence_shares_recovered(sample, truth):
    """Overall shares at scale 1 against the population truth and the design-based truth.

    The population share of workload is 0.2995 (schedule mix of the population); the sample
    shows 0.342 (116 of 339). That is sampling noise, not bias: the expected share given the
    schedules of the 339 missed invitations (mean of P(reason | schedule) over them) is
    0.2985, and the Wilson interval 0.294–0.394 contains both.
    """
    out = pa.absence_reasons(sample.enrollments, sample.sessions)
    reasons = out[out["kind"] == "reason"].set_index("reason")
    m = sample.enrollments.merge(sample.sessions, on="session_id")
    missed = m[m["absence_reason"].notna()]
    by_sched = pd.DataFrame(truth["absence_reason_share_by_schedule"]).T
    conditional = by_sched.loc[missed["schedule"].astype("str")].mean()
    for reason, true in truth["absence_reason_share_overall"].items():
        low, high = reasons.loc[reason, ["ci_low", "ci_high"]]
        assert low <= true <= high, reason
        assert low <= conditional[reason] <= high, reason
    assert reasons.loc["workload", "share"] == pytest.approx(116 / 339)


def test_planted_shares_by_schedule_recovered_at_scale(big, truth):
    """Every reason x schedule share and missed share at scale 20 (Bonferroni over 28 intervals)."""
    e, s = big.enrollments, big.sessions
    out = pa.absence_reasons(e, s, by="schedule", confidence=1 - 0.05 / 28)
    got = out[out["kind"] == "reason"].set_index(["schedule", "reason"])
    for sched, shares in truth["absence_reason_share_by_schedule"].items():
        for reason, true in shares.items():
            low, high = got.loc[(sched, reason), ["ci_low", "ci_high"]]
            assert low <= true <= high, (sched, reason)
    att = pa.attendance_summary(e, s, by="schedule", confidence=1 - 0.05 / 28).set_index("schedule")
    for sched, true in truth["absence_missed_share_by_schedule"].items():
        low, high = att.loc[sched, ["missed_ci_low", "missed_ci_high"]]
        assert low <= true <= high, sched


def test_bins_validated(sample):
    with pytest.raises(ValueError, match="increasing positive"):
        pa.jp_fulfilment(sample.enrollments, sample.sessions, bins=(20, 10))
    res = pa.jp_fulfilment(sample.enrollments, sample.sessions, bins=(5, 20))
    labels = res.distribution["bin"].unique().tolist()
    assert labels == ["0", "(0, 5)", "[5, 20)", "≥ 20"]
    for a, b in pairwise(res.distribution["upper"].unique()[:3]):
        assert a < b


# ------------------------------------------- 20 JP on category codes (issue 16): same output
def _pseudonyms(n: int, seed: int) -> np.ndarray:
    """``n`` distinct pseudonyms in toolkit.privacy's format (P- + 16 hex digits)."""
    rng = np.random.default_rng(seed)
    ids = np.unique(np.array([f"P-{v:016x}" for v in rng.integers(0, 2**63, 2 * n)]))
    return rng.permutation(ids)[:n]


def _as_loaded(values) -> pd.Categorical:
    """A categorical of the values present, categories in order of first appearance (as a
    user might build it; load() sorts them, see the sorted variants below)."""
    values = pd.array(values, dtype="str")
    return pd.Categorical(values, categories=pd.Index(pd.unique(values), dtype="str"))


def _jp_tables(seed: int, n_people: int = 400, n_rows: int = 1500):
    rng = np.random.default_rng(seed)
    ids = _pseudonyms(n_people, seed)
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, 60), unit="D")
    sessions = pd.DataFrame({
        "session_id": [f"S{i:03d}" for i in range(60)],
        "method": rng.choice(["workshop", "seminar", "e_learning"], 60),
        "start_date": start, "end_date": start + pd.to_timedelta(rng.integers(0, 20, 60), "D"),
    })  # fmt: skip
    people = pd.DataFrame(
        {"participant_id": ids, "unit_id": rng.choice(["U1", "U2", "U3"], n_people)}
    )
    enrolled = ids[rng.integers(0, n_people - 20, n_rows)]  # the last 20 never enrolled
    enr = pd.DataFrame({
        "participant_id": enrolled, "session_id": sessions["session_id"].to_numpy()[rng.integers(0, 60, n_rows)],
        "attended_jp": rng.choice([0.0, 4.0, 8.0, 12.0, 16.0, 24.0], n_rows),
    })  # fmt: skip
    return enr, sessions, people


def _assert_same_jp(a, b):
    for field in ("per_person", "summary", "groups", "distribution", "behind"):
        x, y = getattr(a, field), getattr(b, field)
        if x is None:
            assert y is None
            continue
        pd.testing.assert_frame_equal(x, y, check_exact=True, check_categorical=False)


@pytest.mark.parametrize("year_by", ["end", "start", "prorate"])
def test_jp_fulfilment_same_on_codes_strings_and_any_row_order(year_by):
    """Categoricals of the values present (first appearance, rows shuffled), plain strings,
    or sorted categories as load() types them (also with unused categories, as after a
    filter): identical output, to the last bit. The categorical paths match pseudonyms on
    their bytes (hash or binary search), the string path through pandas; the tie order of
    ``behind`` is the pseudonyms' order."""
    enr, ses, ppl = _jp_tables(7)
    kw = {"by": "unit_id", "year_by": year_by, "n_behind": 25, "min_group": 3}
    plain = pa.jp_fulfilment(enr, ses, participants=ppl, **kw)
    shuffled = enr.sample(frac=1.0, random_state=3)
    loaded = {c: _as_loaded(shuffled[c]) for c in ("participant_id", "session_id")}
    typed = shuffled.assign(**loaded)
    ppl_typed = ppl.assign(participant_id=_as_loaded(ppl["participant_id"]))
    ses_typed = ses.assign(session_id=_as_loaded(ses["session_id"]))
    _assert_same_jp(plain, pa.jp_fulfilment(typed, ses_typed, participants=ppl_typed, **kw))
    sorted_cats = typed.assign(participant_id=typed["participant_id"].cat.reorder_categories(
        sorted(typed["participant_id"].cat.categories)))  # fmt: skip
    ppl_sorted = ppl_typed.assign(participant_id=ppl_typed["participant_id"].cat.reorder_categories(
        sorted(ppl_typed["participant_id"].cat.categories)))  # fmt: skip
    _assert_same_jp(plain, pa.jp_fulfilment(sorted_cats, ses, participants=ppl_sorted, **kw))
    # a subset of the people (categories unchanged, as after filtering a loaded table)
    sub = ppl_sorted.iloc[::2]
    enr_sub = enr[enr["participant_id"].isin(sub["participant_id"].astype(str))]
    typed_sub = sorted_cats[sorted_cats["participant_id"].isin(sub["participant_id"])]
    assert len(sub["participant_id"].cat.categories) > len(sub)
    _assert_same_jp(
        pa.jp_fulfilment(enr_sub, ses, participants=ppl.iloc[::2], **kw),
        pa.jp_fulfilment(typed_sub, ses, participants=sub, **kw),
    )
    # without participants: the people enrolled, in the order of their pseudonyms
    kw.pop("by")
    _assert_same_jp(pa.jp_fulfilment(enr, ses, **kw), pa.jp_fulfilment(typed, ses, **kw))
    _assert_same_jp(pa.jp_fulfilment(enr, ses, **kw), pa.jp_fulfilment(sorted_cats, ses, **kw))


def test_jp_fulfilment_on_codes_matches_a_merge():
    """Independent reference on shuffled, load()-typed tables: merge + groupby per year."""
    enr, ses, ppl = _jp_tables(11)
    typed = enr.sample(frac=1.0, random_state=1).assign(
        participant_id=lambda d: _as_loaded(d["participant_id"])
    )
    ppl_typed = ppl.sample(frac=1.0, random_state=2).assign(
        participant_id=lambda d: _as_loaded(d["participant_id"]))  # fmt: skip
    res = pa.jp_fulfilment(typed, ses, participants=ppl_typed, by="unit_id", min_group=0)
    m = enr.merge(ses, on="session_id").assign(year=lambda d: d["end_date"].dt.year)
    ref = m.groupby(["participant_id", "year"])["attended_jp"].sum()
    pp = res.per_person.set_index(["participant_id", "year"])["jp_total"]
    # one row per person and year, the people in the order of their pseudonyms (not of the rows)
    assert pp.index.get_level_values(0)[: len(ppl)].tolist() == sorted(ppl["participant_id"])
    assert pp.index.get_level_values(1).is_monotonic_increasing
    got = pp.to_frame().join(ref.rename("ref")).fillna({"ref": 0.0})
    np.testing.assert_array_equal(got["jp_total"], got["ref"])
    per_unit = got.join(ppl.set_index("participant_id")["unit_id"], on="participant_id")
    med = per_unit.groupby(["unit_id", "year"])["ref"].median()
    groups = res.groups.set_index(["unit_id", "year"])
    np.testing.assert_array_equal(groups["median_jp"], med.loc[groups.index])
    for year, part in res.behind.groupby("year"):  # fewest JP, ties by pseudonym
        cand = got.xs(year, level="year").query("ref < 20").reset_index()
        expect = cand.sort_values(["ref", "participant_id"])["participant_id"].head(10)
        assert part["participant_id"].tolist() == expect.tolist()


@given(
    st.lists(st.integers(0, 2**20), min_size=1, max_size=60, unique=True),
    st.lists(st.integers(0, 2**20), max_size=60),
    st.booleans(),
    st.sampled_from(["P-{:016x}", "{:06d}", "U{}"]),
)
def test_match_equals_a_hash_lookup(index, values, sort_index, fmt):
    """_match (identity, binary search on bytes, 64-bit hashes, or pandas) = get_indexer."""
    index = sorted(index) if sort_index else index
    idx = pd.Index([fmt.format(v) for v in index], dtype="str")
    val = pd.Index([fmt.format(v) for v in values], dtype="str")
    expected = pd.Index(idx.to_numpy(dtype=object)).get_indexer(val.to_numpy(dtype=object))
    np.testing.assert_array_equal(pa._match(val, idx), expected)
    np.testing.assert_array_equal(pa._match(idx, idx), np.arange(len(idx)))


def test_match_falls_back_on_hash_collisions(monkeypatch):
    """With a deliberately poor hash (16 buckets) _match still answers exactly: colliding
    hashes send it to pandas' string hash table."""
    rng = np.random.default_rng(4)
    ids = _pseudonyms(300, 4)
    index = pd.Index(ids[:250], dtype="str")
    values = pd.Index(ids[rng.integers(0, 300, 400)], dtype="str")
    expected = pd.Index(ids[:250].astype(object)).get_indexer(values.to_numpy(dtype=object))
    np.testing.assert_array_equal(pa._match(values, index), expected)
    monkeypatch.setattr(pa, "_hash64", lambda fixed: fixed[:, -1].astype(np.uint64))
    np.testing.assert_array_equal(pa._match(values, index), expected)
