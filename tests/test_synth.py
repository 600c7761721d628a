"""Tests of the synthetic-data generator (toolkit.synth) and of the committed sample data."""

from __future__ import annotations

import json
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit import synth
from toolkit.privacy import age_band, nip_problems, parse_nip, pseudonymize_nip
from toolkit.schema import TABLES
from toolkit.synth import _bank as bank
from toolkit.synth._io import json_bytes

SAMPLE = toolkit.SAMPLE_DATA


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def data():
    return synth.generate()


@pytest.fixture(scope="module")
def truth():
    return synth.truth()


@pytest.fixture(scope="module")
def sessions(data):
    return data.sessions.set_index("session_id")


def _with_session(df, data):
    return df.merge(data.sessions, on="session_id", how="left")


# ----------------------------------------------------------------------------- determinism
def test_generate_is_deterministic(data):
    again = synth.generate()
    for name, df in data.tables().items():
        pd.testing.assert_frame_equal(df, getattr(again, name), obj=name)


def test_other_seed_gives_other_data(data):
    other = synth.generate(seed=7, tables=["reaction"])
    assert not other.reaction["response"].equals(data.reaction["response"])


def test_committed_sample_is_reproduced_byte_for_byte(tmp_path):
    files = synth.write_sample(tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in files)
    raw = [
        "raw/roster.xlsx",
        "raw/forms_reaksi.csv",
        "raw/forms_ketersediaan.csv",
        "raw/moodle_S01_pre.csv",
        "raw/skm_2024Q1.csv",
    ]
    assert names == sorted([f"{t}.csv" for t in TABLES] + ["truth.json", *raw])
    for rel in names:
        assert (tmp_path / rel).read_bytes() == (SAMPLE / rel).read_bytes(), (
            f"sample_data/{rel} differs from a fresh `python -m toolkit.synth sample_data/`"
        )


def test_write_leaves_other_files_alone(tmp_path, data):
    (tmp_path / "README.md").write_text("someone else's file\n")
    (tmp_path / "notes.csv").write_text("a,b\n")
    small = synth.generate(scale=0.1, tables=["sessions"])
    written = synth.write(small, tmp_path)
    assert [p.name for p in written] == ["sessions.csv"]
    assert (tmp_path / "README.md").read_text() == "someone else's file\n"
    assert (tmp_path / "notes.csv").exists()


def test_main_writes_everything(tmp_path, capsys):
    assert synth.main([str(tmp_path / "out"), "--scale", "0.1", "--seed", "2025"]) == 0
    assert (tmp_path / "out" / "raw" / "roster.xlsx").exists()
    assert json.loads((tmp_path / "out" / "truth.json").read_text())["scale"] == 0.1
    assert "units.csv" in capsys.readouterr().out


# ----------------------------------------------------------------------------- file format
def test_csv_files_follow_the_file_format():
    for name in TABLES:
        raw = (SAMPLE / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r" not in raw, name
        text = raw.decode("utf-8")
        header = text.split("\n", 1)[0]
        assert header == ",".join(TABLES[name].column_names), name
        assert not re.search(r"(^|,)(nan|NaN|<NA>|None|True|False)(,|$)", text, re.M), name
        assert raw.endswith(b"\n")
    sessions = pd.read_csv(SAMPLE / "sessions.csv", dtype=str)
    assert sessions["start_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    units = pd.read_csv(SAMPLE / "units.csv", dtype=str, keep_default_na=False)
    assert set(units["trained"]) == {"true", "false"}
    enrol = pd.read_csv(SAMPLE / "enrollments.csv", dtype=str, keep_default_na=False)
    assert not enrol["attended_jp"].str.contains(r"\.0$").any()  # whole JP written as 18


def test_committed_files_are_modest():
    for f in SAMPLE.rglob("*"):
        if f.is_file():
            assert f.stat().st_size < 3_000_000, f


def test_csv_round_trip_gives_the_generated_values(data):
    for name in ("enrollments", "reaction", "benefit_estimates", "costs"):
        back = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
        typed = getattr(data, name)
        for col in TABLES[name].columns:
            text = back[col.name]
            empty = text.eq("")
            assert (empty.to_numpy() == typed[col.name].isna().to_numpy()).all(), (name, col)
            if col.kind in {"float", "int", "small_int"}:
                got = pd.to_numeric(text.where(~empty), errors="raise").to_numpy(float)
                want = typed[col.name].to_numpy(float, na_value=np.nan)
                np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=f"{name}.{col}")


# ----------------------------------------------------------------------------- schema
def test_every_table_satisfies_its_schema(data):
    assert data.present == tuple(TABLES)
    for name, df in data.tables().items():
        assert len(df) > 0, name
        assert list(df.columns) == TABLES[name].column_names
        TABLES[name].pandera_schema().validate(df, lazy=True)


def test_keys_are_unique_and_foreign_keys_resolve(data):
    for name, table in TABLES.items():
        df = getattr(data, name)
        if table.key:
            assert not df.duplicated(list(table.key)).any(), name
        for fk in table.foreign_keys:
            ref = getattr(data, fk.table)[list(fk.ref_columns)].astype(str)
            keys = set(map(tuple, ref.to_numpy()))
            sub = df[list(fk.columns)].dropna().astype(str)
            bad = [k for k in map(tuple, sub.to_numpy()) if k not in keys]
            assert not bad, (name, fk.table, bad[:3])


def test_rules_hold(data, sessions):
    u = data.units
    assert (u["trained"] == u["first_trained_period"].notna()).all()
    s = data.sessions
    assert (s["end_date"] >= s["start_date"]).all()
    assert s["start_date"].min() >= pd.Timestamp("2024-01-01")
    assert s["end_date"].max() <= pd.Timestamp("2025-12-31")
    e = _with_session(data.enrollments, data)
    assert (e["attended_jp"] <= e["jp"]).all()
    missed = e["attended_jp"] < e["jp"]
    assert (e["absence_reason"].notna() == missed).all()
    assert (~e["completed"] | (e["attended_jp"] >= 0.8 * e["jp"])).all()
    inst = data.instruments.set_index("item_code")
    assert (inst["scale_min"] < inst["scale_max"]).all()
    r = data.reaction.dropna(subset=["response"])
    lo = r["item_code"].map(inst["scale_min"]).astype(int)
    hi = r["item_code"].map(inst["scale_max"]).astype(int)
    resp = r["response"].astype(int)
    assert (((resp >= lo) & (resp <= hi)) | (resp == 99)).all()
    t = _with_session(data.tests, data)
    assert (t["item_code"].map(inst["instrument"]) == "knowledge_test").all()
    assert (t["item_code"].map(inst["program"]).astype(str) == t["program"].astype(str)).all()
    b = data.behavior.dropna(subset=["rating"])
    assert (b["item_code"].map(inst["instrument"]) == "behavior").all()
    assert b["rating"].between(1, 5).all()
    c = data.costs.dropna(subset=["session_id"])
    prog = c["session_id"].map(sessions["program"]).astype(str)
    assert (prog == c["program"].astype(str)).all()
    pid = data.participants["participant_id"].astype(str)
    assert pid.str.fullmatch(r"P-[0-9a-f]{16}").all()


def test_instruments_cover_the_item_bank(data):
    inst = data.instruments
    counts = inst["instrument"].value_counts()
    assert counts["reaction"] == 8 and counts["ikm"] == 9
    kt = inst[inst["instrument"] == "knowledge_test"]
    assert (kt.groupby("program", observed=True).size() == 10).all()
    assert set(kt["program"].astype(str)) == set(bank.PROGRAMS)
    rec = inst.set_index("construct").loc["recommend"]
    assert (rec["scale_min"], rec["scale_max"]) == (0, 10)
    ikm = inst[inst["instrument"] == "ikm"]
    assert ikm["text_id"].tolist()[5] == "Kompetensi Pelaksana"
    assert (ikm["scale_max"] == 4).all() and (ikm["level"] == 4).all()
    drivers = inst[inst["construct"].astype(str).str.startswith("driver_")]
    assert len(drivers) == 4 and (drivers["level"] == 3).all()
    assert inst["text_id"].str.len().gt(5).all() and inst["text_en"].str.len().gt(5).all()


def test_sizes_at_scale_one(data):
    sizes = dict(zip(data.sizes()["table"], data.sizes()["rows"], strict=True))
    assert sizes["units"] == 20 and sizes["participants"] == 600 and sizes["sessions"] == 40
    assert 1200 <= sizes["enrollments"] <= 1500
    assert data.units["trained"].sum() == 14
    assert set(data.units["first_trained_period"].dropna().astype(str)) == {
        "2024Q1",
        "2024Q3",
        "2025Q1",
        "2025Q3",
    }
    assert set(data.sessions["method"].astype(str)) == set(toolkit.schema.METHODS)
    n_resp = data.ikm_responses.groupby(["unit_id", "period"], observed=True).size()
    assert len(n_resp) == 20 * 12 and n_resp.between(100, 200).all()


def test_first_trained_period_is_the_first_attended_quarter(data):
    e = _with_session(data.enrollments[data.enrollments["attended_jp"] > 0], data)
    e = e.merge(data.participants[["participant_id", "unit_id"]], on="participant_id")
    first = e.groupby("unit_id", observed=True)["start_date"].min().dt.to_period("Q").astype(str)
    units = data.units.set_index("unit_id")
    trained = units.loc[units["trained"], "first_trained_period"].astype(str)
    assert first.sort_index().to_dict() == trained.sort_index().to_dict()
    comparison = units.index[~units["trained"]]
    assert not data.participants["unit_id"].isin(comparison).any()


# ----------------------------------------------------------------------------- subsets, scale
@pytest.mark.parametrize("table", ["reaction", "ikm_responses", "costs", "comments"])
def test_subset_gives_identical_rows(data, table):
    part = synth.generate(tables=[table])
    assert table in part.present and "tests" not in part.present
    pd.testing.assert_frame_equal(getattr(part, table), getattr(data, table))
    assert len(part.tests) == 0


def test_dependencies_are_built():
    part = synth.generate(scale=0.1, tables="costs")
    assert part.present == ("units", "participants", "sessions", "enrollments", "costs")


def test_scale_multiplies_counts_and_keeps_distributions(data):
    big = synth.generate(scale=10, tables=["enrollments", "availability"])
    assert len(big.units) == 200 and len(big.participants) == 6000
    assert len(big.sessions) == 400
    assert 9 < len(big.enrollments) / len(data.enrollments) < 11
    assert big.units["unit_id"].is_unique and big.units["unit_name"].is_unique
    assert big.units["trained"].mean() == pytest.approx(data.units["trained"].mean())
    for table, col in [
        ("participants", "position_type"),
        ("participants", "grade"),
        ("sessions", "provider"),
        ("enrollments", "completed"),
    ]:
        small = getattr(data, table)[col].value_counts(normalize=True)
        large = getattr(big, table)[col].value_counts(normalize=True)
        diff = (small - large.reindex(small.index)).abs().max()
        assert diff < 0.06, (table, col, diff)
    share = big.availability.groupby("slot", observed=True)["available"].mean()
    share1 = data.availability.groupby("slot", observed=True)["available"].mean()
    assert (share - share1).abs().max() < 0.08


# ----------------------------------------------------------------------------- pseudonyms
def test_roster_nips_are_valid_and_pseudonymise_to_participant_ids(data):
    r = synth.roster()
    assert r.columns.tolist() == ["nip", "nama", "unit_id", "position_type", "grade"]
    assert len(r) == 30 and r["nip"].str.fullmatch(r"\d{18}").all()
    assert len(nip_problems(r["nip"])) == 0
    first = data.participants.head(30)
    ids = pseudonymize_nip(r["nip"], key=synth.SAMPLE_KEY)
    assert (ids == first["participant_id"].astype(str).to_numpy()).all()
    parts = parse_nip(r["nip"])
    assert (parts["sex"].to_numpy() == first["sex"].astype(str).to_numpy()).all()
    bands = age_band(parts["birth_date"], on="2024-01-01").to_numpy()
    assert (bands == first["age_band"].astype(str).to_numpy()).all()
    assert (r["unit_id"].to_numpy() == first["unit_id"].astype(str).to_numpy()).all()
    assert r["nama"].str.contains(" ").all()
    # A longer roster starts with the same people and names.
    longer = synth.roster(n=40)
    pd.testing.assert_frame_equal(longer.head(30), r)


def test_no_nip_in_any_shipped_table():
    for name in TABLES:
        text = (SAMPLE / f"{name}.csv").read_text(encoding="utf-8")
        assert not re.search(r"(?<!\d)\d{18}(?!\d)", text), name


def test_committed_roster_workbook():
    from openpyxl import load_workbook

    path = SAMPLE / "raw" / "roster.xlsx"
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}
        assert b"2025-01-01T00:00:00Z" in z.read("docProps/core.xml")
    wb = load_workbook(path, read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    assert rows[0] == ("nip", "nama", "unit_id", "position_type", "grade")
    assert len(rows) == 31
    assert all(isinstance(row[0], str) and len(row[0]) == 18 for row in rows[1:])


# ----------------------------------------------------------------------------- truth.json
def test_truth_file_matches_truth_and_is_tidy(truth):
    text = (SAMPLE / "truth.json").read_text(encoding="utf-8")
    on_disk = json.loads(text)
    assert list(on_disk) == sorted(on_disk)
    assert on_disk == json.loads(json_bytes(truth))
    for key in (
        "ikm_effect_points",
        "learning_gain_pct_points_by_method",
        "absence_reason_share_overall",
        "absence_reason_share_by_schedule",
        "reaction_trainer_provider_effect_points",
        "cost_facilitator_ratio_per_jp",
        "cost_hourly_compensation_idr_by_grade",
        "behavior_change_points",
        "behavior_self_inflation_points",
        "learning_miskeyed_item",
        "benefit_extreme_claims",
        "comment_theme_share_by_schedule",
        "seed",
        "scale",
    ):
        assert key in on_disk, key
    for number in re.findall(r"-?\d+\.\d+", text):
        assert len(number.split(".")[1]) <= 6, number
    assert on_disk["ikm_effect_points"] == 4.0 and on_disk["ikm_clipped_cells"] == 0
    assert on_disk["rows"]["reaction"] == len(pd.read_csv(SAMPLE / "reaction.csv"))


def test_truth_values_have_the_planted_direction(truth):
    gain = truth["learning_gain_pct_points_by_method"]
    assert min(gain["simulation"], gain["project_based"]) > gain["workshop"]
    assert gain["workshop"] > max(gain["seminar"], gain["e_learning"])
    eff = truth["reaction_trainer_provider_effect_points"]
    assert 0.2 < eff["professional_org"] < eff["university"] < 0.6
    assert 0.75 < truth["reaction_cronbach_alpha"] < 0.85
    change = truth["behavior_change_points"]
    for rater in ("self", "supervisor"):
        assert change[rater]["followup_3m"] > change[rater]["followup_6m"] > 0
    assert truth["behavior_self_inflation_points"] > 0.3
    share = truth["absence_reason_share_by_schedule"]
    work = {s: v["workload"] + v["schedule_conflict"] for s, v in share.items()}
    assert work["office_hours"] > max(work["flexible"], work["after_hours"])
    assert 0.85 <= truth["availability_best_coverage"]["3"] <= 0.95
    assert truth["cost_facilitator_ratio_per_jp"]["university"] > 2


# ----------------------------------------------------------------------------- planted effects
def test_trainer_rating_by_provider_shows_the_planted_effect(data, truth):
    r = _with_session(data.reaction, data)
    r = r[(r["item_code"] == "R03") & r["response"].notna() & (r["response"] != 99)]
    mean = r.groupby("provider", observed=True)["response"].mean()
    for provider, effect in truth["reaction_trainer_provider_effect_points"].items():
        assert mean[provider] - mean["internal"] == pytest.approx(effect, abs=0.15), provider


def test_reaction_is_skewed_and_has_na_for_e_learning_facilities(data):
    r = _with_session(data.reaction, data)
    likert = r[(r["item_code"] != "R08") & r["response"].between(1, 5)]
    assert likert["response"].isin([4, 5]).mean() > 0.7
    fac = r[r["item_code"] == "R05"]
    na = (fac["response"] == 99).groupby(fac["method"], observed=True).mean()
    assert na["e_learning"] > 0.3 and na.drop("e_learning").max() < 0.05
    assert r["response"].isna().mean() == pytest.approx(0.015, abs=0.01)


def test_workload_share_of_absences(data, truth):
    e = _with_session(data.enrollments.dropna(subset=["absence_reason"]), data)
    office = e[e["schedule"] == "office_hours"]["absence_reason"].value_counts(normalize=True)
    planted = truth["absence_reason_share_by_schedule"]["office_hours"]
    assert office["workload"] == pytest.approx(planted["workload"], abs=0.08)
    overall = e["absence_reason"].value_counts(normalize=True)
    assert overall.index[0] == "workload"
    assert overall["workload"] == pytest.approx(
        truth["absence_reason_share_overall"]["workload"], abs=0.07
    )


def test_learning_gain_by_method_and_the_miskeyed_item(data, truth):
    t = _with_session(data.tests, data)
    pc = (
        t.groupby(["participant_id", "session_id", "method", "phase"], observed=True)["correct"]
        .mean()
        .unstack("phase")
        .dropna()
    )
    gain = ((pc["post"] - pc["pre"]) * 100).groupby("method", observed=True).mean()
    assert min(gain["simulation"], gain["project_based"]) > max(gain["seminar"], gain["e_learning"])
    for method, planted in truth["learning_gain_pct_points_by_method"].items():
        assert gain[method] == pytest.approx(planted, abs=4.5), method
    # Discrimination: item-rest correlation at pre-test among service_excellence takers.
    pre = t[(t["phase"] == "pre") & (t["program"] == "service_excellence")].dropna(
        subset=["correct"]
    )
    pre = pre.assign(correct=pre["correct"].astype(float))
    total = pre.groupby(["participant_id", "session_id"], observed=True)["correct"].transform("sum")
    pre = pre.assign(rest=total - pre["correct"])
    r = (
        pre.groupby("item_code", observed=True)[["correct", "rest"]]
        .corr()
        .xs("rest", level=1)["correct"]
    )
    assert r.idxmin() == truth["learning_miskeyed_item"] and r.min() < 0
    ceiling = pc["pre"].groupby(level=["participant_id", "session_id"]).first()
    assert (ceiling >= 0.9).mean() > 0.05


def test_behavior_change_and_self_inflation(data, truth):
    b = data.behavior[data.behavior["item_code"].str.startswith("B")].dropna(subset=["rating"])
    wide = b.pivot_table(
        index=["participant_id", "session_id", "item_code"],
        columns=["rater", "wave"],
        values="rating",
        observed=True,
    )
    inflation = (wide["self"]["baseline"] - wide["supervisor"]["baseline"]).mean()
    assert inflation == pytest.approx(truth["behavior_self_inflation_points"], abs=0.15)
    sup = wide["supervisor"]
    change3 = (sup["followup_3m"] - sup["baseline"]).mean()
    change6 = (sup["followup_6m"] - sup["baseline"]).mean()
    assert change3 == pytest.approx(
        truth["behavior_change_points"]["supervisor"]["followup_3m"], abs=0.15
    )
    assert 0 < change6 < change3
    waves = data.behavior.groupby(["rater", "wave"], observed=True).size()
    assert waves["supervisor"]["followup_6m"] < waves["supervisor"]["baseline"]
    drivers = data.behavior[data.behavior["item_code"].str.startswith("D")]
    assert set(drivers["wave"].astype(str)) == {"followup_3m", "followup_6m"}
    assert set(drivers["rater"].astype(str)) == {"self"}


def test_ikm_difference_in_differences_recovers_the_effect(data, truth):
    el = [f"u{i}" for i in range(1, 10)]
    ikm = data.ikm_responses.groupby(["unit_id", "period"], observed=True)[el].mean()
    score = (ikm.mean(axis=1) * 25).rename("ikm").reset_index()
    score = score.merge(data.units[["unit_id", "first_trained_period"]], on="unit_id")
    first = score["first_trained_period"].astype(str).where(score["first_trained_period"].notna())
    score["treated"] = (first.notna() & (score["period"].astype(str) >= first.fillna(""))).astype(
        float
    )
    # Two-way fixed effects by double demeaning (balanced panel; constant planted effect).
    y = score.pivot(index="unit_id", columns="period", values="ikm")
    d = score.pivot(index="unit_id", columns="period", values="treated")

    def demean(m):
        return (
            m - m.mean(axis=1).to_numpy()[:, None] - m.mean(axis=0).to_numpy() + m.to_numpy().mean()
        )

    yd, dd = demean(y).to_numpy().ravel(), demean(d).to_numpy().ravel()
    estimate = (yd * dd).sum() / (dd * dd).sum()
    assert estimate == pytest.approx(truth["ikm_effect_points"], abs=1.0)
    # The effect sits in u2, u6, u7, u8: u6 moves more than u1 in trained units.
    assert data.ikm_responses[el].min().min() == 1 and data.ikm_responses[el].max().max() == 4
    assert data.ikm_responses["u4"].isna().mean() > data.ikm_responses["u1"].isna().mean()


def test_costs_follow_the_planted_rates(data, truth, sessions):
    c = data.costs
    fee = c[c["category"] == "facilitator_fees"].copy()
    fee["per_jp"] = fee["amount_idr"] / fee["session_id"].map(sessions["jp"]).astype(float)
    fee["provider"] = fee["session_id"].map(sessions["provider"]).astype(str)
    per_jp = fee.groupby("provider")["per_jp"].mean()
    for provider, ratio in truth["cost_facilitator_ratio_per_jp"].items():
        assert per_jp[provider] / per_jp["internal"] == pytest.approx(ratio, rel=0.1)
    # Participant salaries: attended JP x 0.75 h x hourly compensation by grade, to the rupiah.
    rates = truth["cost_hourly_compensation_idr_by_grade"]
    e = data.enrollments.merge(data.participants[["participant_id", "grade"]], on="participant_id")
    e["cost"] = e["attended_jp"] * truth["cost_jp_hours"] * e["grade"].astype(str).map(rates)
    expected = e.groupby("session_id", observed=True)["cost"].sum().round()
    sal = c[c["category"] == "participant_salaries"].set_index("session_id")["amount_idr"]
    assert (sal.sort_index() == expected[expected > 0].sort_index().astype("int64")).all()
    programme = c[c["session_id"].isna()]
    assert set(programme["category"].astype(str)) == {
        "needs_analysis",
        "design_development",
        "evaluation",
        "overhead",
    }
    design = programme[programme["category"] == "design_development"]["prorate_years"]
    assert design.isin([2, 3]).all()


def test_benefit_estimates_with_missing_and_extreme_claims(data, truth):
    b = data.benefit_estimates
    assert b["annual_value_idr"].isna().mean() == pytest.approx(0.08, abs=0.04)
    assert b["attribution"].gt(0).all() and b["confidence"].gt(0).all()
    claims = pd.DataFrame(truth["benefit_extreme_claims"])
    assert len(claims) >= 1
    merged = claims.merge(b.astype({"participant_id": str, "program": str, "measure": str}))
    assert len(merged) == len(claims)
    median = b["annual_value_idr"].median()
    assert (claims["annual_value_idr"] > 50 * median).all()
    assert (b["annual_value_idr"] > 50 * median).sum() == len(claims)


def test_availability_allows_a_short_schedule_reaching_most_staff(data, truth):
    a = data.availability.pivot(index="participant_id", columns="slot", values="available")
    best3 = truth["availability_best_slots"]["3"]
    assert a[best3].any(axis=1).mean() == pytest.approx(
        truth["availability_best_coverage"]["3"], abs=0.04
    )
    share = a.mean()
    assert share["fri_1300"] < 0.15
    assert share[["sat_0800", "sat_1000"]].min() > share[["mon_0800", "tue_1000"]].max()
    exec_office = data.availability.merge(data.participants, on="participant_id")
    office = exec_office[
        exec_office["slot"].astype(str).str.match(r"(mon|tue|wed|thu)_(0800|1000)")
    ]
    by_pos = office.groupby("position_type", observed=True)["available"].mean()
    assert by_pos["executor"] < by_pos["functional"]


def test_comment_themes_are_planted_and_findable(data, truth):
    patterns = truth["comment_keywords"]
    # Every sentence of a theme matches its own pattern and no other theme's.
    for theme, (neg, pos) in bank.COMMENT_SENTENCES.items():
        for sentence in neg + pos:
            hits = {t for t, p in patterns.items() if re.search(p, sentence, re.I)}
            assert hits == {theme}, sentence
    for sentence in bank.COMMENT_GENERIC:
        assert not any(re.search(p, sentence, re.I) for p in patterns.values()), sentence
    c = _with_session(data.comments, data)
    attendees = (data.enrollments["attended_jp"] > 0).sum()
    assert len(c) / attendees == pytest.approx(0.6, abs=0.05)
    time = c["text"].str.contains(patterns["time"], flags=re.I, regex=True)
    by_schedule = time.groupby(c["schedule"], observed=True).mean()
    assert by_schedule["office_hours"] > by_schedule["flexible"] + 0.1
    overall = {
        t: c["text"].str.contains(p, flags=re.I, regex=True).mean() for t, p in patterns.items()
    }
    for theme, share in truth["comment_theme_share_overall"].items():
        assert overall[theme] == pytest.approx(share, abs=0.06), theme


# ----------------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0}, "`scale` must be a number in (0, 5000.0]"),
        ({"scale": "1"}, "`scale` must be a number"),
        ({"seed": -1}, "`seed` must be a number in [0, inf]"),
        ({"seed": 1.5}, "`seed` must be a whole number"),
        ({"tables": ["reactions"]}, "Did you mean 'reaction'?"),
    ],
)
def test_bad_arguments_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        synth.generate(**kwargs)
