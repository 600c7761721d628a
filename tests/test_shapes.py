"""The shapes of tests/shapes.py load, are what their names say, and are made the same way
every time (else the report tests that run on them would prove nothing)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from shapes import (
    ANSWERS,
    BOM_TABLES,
    CORE,
    LOCALE_TABLES,
    OPTIONAL,
    SCALE,
    SHAPES,
    SUFFIXES,
    XLSX_TABLES,
    build,
    expected_absent,
    make_shape,
)

import toolkit
from toolkit import synth
from toolkit.data import load
from toolkit.schema import METHODS, PROVIDERS, TABLES

SAMPLE_SEED = 2025


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Shape name → (folder, loaded data), each shape made and loaded once."""
    cache: dict = {}

    def get(name):
        if name not in cache:
            folder = make_shape(name, tmp_path_factory.mktemp("shape") / name)
            cache[name] = (folder, load(folder))
        return cache[name]

    return get


@pytest.fixture(scope="module")
def sample_people() -> set[str]:
    path = toolkit.SAMPLE_DATA / "participants.csv"
    return set(pd.read_csv(path, dtype="str")["participant_id"])


# ----------------------------------------------------------------------------- the list
def test_there_are_enough_shapes_and_each_names_what_it_is():
    assert len(SHAPES) >= 22
    names = set(SHAPES)
    required = [
        "methods_1_workshop",
        "methods_2",
        "methods_3",
        "methods_5_providers_3",
        "provider_1_internal",
        "providers_2_partners",
        "one_programme",
        "no_comparison_units",
        "waves_baseline_3m",
        "waves_baseline_6m",
        "waves_baseline_only",
        "rater_self_only",
        "no_nps_item",
        "nps_would_recommend",
        "other_codes",
        "drivers_removed",
        *(f"no_{t}" for t in OPTIONAL),
        "core_only",
        "tiny_3_sessions",
        "mixed_xlsx_csv",
        "larger_scale_1_5",
    ]
    assert set(required) <= names
    for opts in SHAPES.values():
        assert opts["about"]


def test_seeds_are_distinct_never_the_samples_and_scales_small():
    seeds = [o["seed"] for o in SHAPES.values()]
    assert len(set(seeds)) == len(seeds)
    assert SAMPLE_SEED not in seeds and synth.DEFAULT_SEED not in seeds
    for name, opts in SHAPES.items():
        assert opts.get("scale", SCALE) <= 0.3 or name.startswith("larger"), name


def test_expected_absent_adds_instruments_only_without_answer_tables():
    assert expected_absent("no_reaction") == {"reaction"}
    assert expected_absent("core_only") == set(TABLES) - set(CORE)
    assert "instruments" not in expected_absent("no_behavior")


# ----------------------------------------------------------------------------- every shape
@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_loads_with_exactly_its_tables(name, made, sample_people):
    folder, data = made(name)
    absent = expected_absent(name)
    files = {p.stem: p for p in folder.iterdir()}
    assert not {"truth", "evaluation_plan", "raw"} & set(files)
    assert all(p.suffix in SUFFIXES for p in files.values())
    assert set(files) == set(TABLES) - absent
    assert set(data.present) == set(TABLES) - absent
    for table in TABLES:
        assert getattr(data, table).empty == (table in absent), table
    assert not set(data.participants["participant_id"]) & sample_people


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_references_agree_beyond_what_load_checks(name, made):
    _, d = made(name)
    programmes = set(d.sessions["program"])
    assert set(d.participants["participant_id"]) == set(d.enrollments["participant_id"])
    assert set(d.costs["program"]) <= programmes
    tests_items = d.instruments[d.instruments["instrument"] == "knowledge_test"]
    assert set(tests_items["program"]) <= programmes
    taken = d.enrollments.merge(d.sessions[["session_id", "program"]], on="session_id")
    pairs = set(zip(taken["participant_id"], taken["program"], strict=True))
    claims = zip(d.benefit_estimates["participant_id"], d.benefit_estimates["program"],
                 strict=True)  # fmt: skip
    assert set(claims) <= pairs
    trained = d.units["trained"].to_numpy(bool)
    assert (d.units["first_trained_period"].notna().to_numpy() == trained).all()


def _defining_checks(opts: dict, d) -> list[bool]:
    """One check per option of the shape that changes what the data hold."""
    ses, beh, inst = d.sessions, d.behavior, d.instruments
    react = inst[inst["instrument"] == "reaction"]
    zero_ten = react[(react["scale_min"] == 0) & (react["scale_max"] == 10)]
    checks = []
    if "methods" in opts:
        checks.append(set(ses["method"]) == set(opts["methods"]))
    if "providers" in opts:
        checks.append(set(ses["provider"]) == set(opts["providers"]))
    if opts.get("one_programme"):
        (programme,) = set(ses["program"])
        tests_items = inst[inst["instrument"] == "knowledge_test"]
        checks += [
            set(tests_items["program"]) == {programme},
            set(d.costs["program"]) == {programme},
            set(d.benefit_estimates["program"]) == {programme},
        ]
    if opts.get("all_trained"):
        checks.append(bool(d.units["trained"].all()))
        checks.append(bool(d.units["first_trained_period"].notna().all()))
    if "waves" in opts:
        checks.append(set(beh["wave"]) == set(opts["waves"]))
    if "raters" in opts:
        checks.append(set(beh["rater"]) == set(opts["raters"]))
    if opts.get("drop_nps"):
        checks.append(zero_ten.empty)
        checks.append(set(d.reaction["item_code"]) <= set(react["item_code"]))
        checks.append(len(d.reaction) > 0)
    if "nps_construct" in opts:
        checks.append(zero_ten["construct"].tolist() == [opts["nps_construct"]])
        checks.append("recommend" not in set(inst["construct"]))
        checks.append(d.reaction["item_code"].isin(zero_ten["item_code"]).any())
    if opts.get("drop_drivers"):
        checks.append(not inst["construct"].str.startswith("driver_").any())
        checks.append(len(beh) > 0)
    if "n_sessions" in opts:
        checks.append(len(ses) == opts["n_sessions"])
    if opts.get("scale", SCALE) > 1:
        checks.append(len(ses) == round(40 * opts["scale"]))
    return checks


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_has_its_defining_property(name, made):
    opts = SHAPES[name]
    checks = _defining_checks(opts, made(name)[1])
    special = opts.get("recode") or opts.get("mixed_formats")
    assert checks or expected_absent(name) or special, f"{name} checks nothing"
    assert all(checks), (name, checks)


def test_methods_and_providers_counts(made):
    counts = {
        name: made(name)[1].sessions[["method", "provider"]].nunique().tolist()
        for name in ("methods_1_workshop", "methods_2", "methods_3", "methods_5_providers_3",
                     "provider_1_internal", "providers_2_partners")
    }  # fmt: skip
    assert counts["methods_1_workshop"][0] == 1
    assert counts["methods_2"][0] == 2
    assert counts["methods_3"][0] == 3
    assert counts["methods_5_providers_3"] == [len(METHODS), len(PROVIDERS)]
    assert counts["provider_1_internal"][1] == 1
    assert counts["providers_2_partners"][1] == 2


def test_other_codes_are_the_new_ones(made, sample):
    _, d = made("other_codes")
    assert d.units["unit_id"].str.fullmatch(r"OPD-\d{2}").all()
    ids = pd.concat([d.units["unit_id"], d.participants["unit_id"], d.ikm_responses["unit_id"]])
    assert ids.str.startswith("OPD-").all()
    for table in ("sessions", "enrollments", "reaction", "tests", "behavior", "comments"):
        assert getattr(d, table)["session_id"].str.fullmatch(r"K-20\d\d-\d{3}").all(), table
    assert d.costs["session_id"].dropna().str.startswith("K-").all()
    prefix = {"reaction": r"Q\d+", "knowledge_test": r"T-\d+", "behavior": r"BEH-\d+"}
    for kind, pattern in prefix.items():
        codes = d.instruments.loc[d.instruments["instrument"] == kind, "item_code"]
        assert len(codes) and codes.str.fullmatch(pattern).all(), kind
    for table in ANSWERS:
        assert getattr(d, table)["item_code"].isin(d.instruments["item_code"]).all()
    slots = d.availability["slot"].astype("str")
    assert slots.str.fullmatch(r"(senin|selasa|rabu|kamis|jumat|sabtu)_(pagi|siang|sore)").all()
    assert slots.nunique() == 18 != sample.availability["slot"].nunique()
    assert {"senin_pagi", "sabtu_siang"} <= set(slots)
    old = set(sample.sessions["program"])
    for table in ("sessions", "costs", "benefit_estimates"):
        assert not set(getattr(d, table)["program"]) & old, table
    assert not set(d.instruments["program"].dropna()) & old


def test_mixed_shape_mixes_formats_and_reads_back_the_same(made, tmp_path):
    folder, mixed = made("mixed_xlsx_csv")
    for name in XLSX_TABLES:
        assert (folder / f"{name}.xlsx").is_file() and not (folder / f"{name}.csv").exists()
        assert (folder / f"{name}.xlsx").read_bytes()[:2] == b"PK"
    text = {n: (folder / f"{n}.csv").read_bytes().decode("utf-8") for n in LOCALE_TABLES}
    for name in LOCALE_TABLES:
        assert text[name].split("\r\n", 1)[0].count(";") == len(TABLES[name].columns) - 1
    assert re.search(r";\d{2}/\d{2}/20\d{2};", text["sessions"])
    assert ";ya;" in text["enrollments"] and ";tidak;" in text["enrollments"]
    assert re.search(r";Rp \d{1,3}(\.\d{3})+;", text["costs"])
    assert re.search(r";0,\d+;", text["benefit_estimates"])
    for name in BOM_TABLES:
        assert (folder / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    plain = tmp_path / "plain"
    synth.write(build("mixed_xlsx_csv"), plain)
    same = load(plain)
    assert mixed.present == same.present
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(mixed, name), getattr(same, name), obj=name)


@pytest.mark.parametrize("name", ["mixed_xlsx_csv", "other_codes", "tiny_3_sessions"])
def test_same_shape_same_bytes(name, tmp_path):
    a = make_shape(name, tmp_path / "a")
    b = make_shape(name, tmp_path / "b")
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    for file in files:
        assert (a / file).read_bytes() == (b / file).read_bytes(), file


def test_making_again_in_the_same_folder_replaces_the_tables(tmp_path):
    folder = make_shape("mixed_xlsx_csv", tmp_path / "d")
    make_shape("core_only", folder)
    assert {p.stem for p in folder.iterdir()} == set(CORE)
    assert load(folder).present == CORE
