"""The shapes of tests/shapes.py are what their names say (else the report tests on them
would prove nothing), load without error, and are made the same way every time."""

from __future__ import annotations

import pytest
from shapes import SHAPES, expected_absent, make_shape

from toolkit.data import load


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    cache = {}

    def get(name):
        if name not in cache:
            folder = make_shape(name, tmp_path_factory.mktemp("shape") / name)
            cache[name] = (folder, load(folder))
        return cache[name]

    return get


def test_there_are_at_least_twenty_shapes():
    assert len(SHAPES) >= 20


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_loads_and_leaves_out_what_it_says(name, made):
    folder, data = made(name)
    absent = expected_absent(name)
    assert not absent & set(data.present)
    assert {"units", "participants", "sessions", "enrollments"} <= set(data.present)
    for table in absent:
        assert getattr(data, table).empty
    names = {p.name for p in folder.iterdir()}
    assert "truth.json" not in names and "evaluation_plan.csv" not in names


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("methods_1", lambda d: d.sessions["method"].nunique() == 1),
        ("methods_2", lambda d: d.sessions["method"].nunique() == 2),
        ("methods_3_providers_2", lambda d: d.sessions[["method", "provider"]].nunique().tolist()
         == [3, 2]),
        ("methods_5", lambda d: d.sessions["method"].nunique() == 5),
        ("provider_1", lambda d: set(d.sessions["provider"]) == {"internal"}),
        ("providers_partners_only", lambda d: "internal" not in set(d.sessions["provider"])),
        ("one_programme", lambda d: d.sessions["program"].nunique() == 1),
        ("no_comparison_units", lambda d: bool(d.units["trained"].all())),
        ("waves_baseline_3m", lambda d: set(d.behavior["wave"]) == {"baseline", "followup_3m"}),
        ("waves_baseline_6m", lambda d: set(d.behavior["wave"]) == {"baseline", "followup_6m"}),
        ("waves_baseline_only", lambda d: set(d.behavior["wave"]) == {"baseline"}),
        ("self_rater_only", lambda d: set(d.behavior["rater"]) == {"self"}),
        ("no_nps_item", lambda d: not (d.instruments["scale_max"] == 10).any()),
        ("nps_named_otherwise", lambda d: "recommend" not in set(d.instruments["construct"])),
        ("other_codes", lambda d: d.units["unit_id"].str.startswith("OPD-").all()
         and d.sessions["session_id"].str.startswith("K-2025-").all()
         and d.availability["slot"].nunique() == 24
         and not d.availability["slot"].str.match(r"^[a-z]{3}_\d{4}$").any()),
        ("drivers_removed", lambda d: not d.instruments["construct"].str.startswith("driver_")
         .any()),
        ("tiny_3_sessions", lambda d: len(d.sessions) == 3),
    ],
)  # fmt: skip
def test_shape_has_its_defining_property(name, check, made):
    assert check(made(name)[1])


def test_mixed_shape_mixes_formats(made):
    folder, _ = made("mixed_xlsx_csv")
    assert (folder / "units.xlsx").is_file() and not (folder / "units.csv").exists()
    head = (folder / "enrollments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert ";" in head
    sessions = load(folder, tables=["sessions"]).sessions
    assert sessions["start_date"].notna().all()


def test_same_shape_same_bytes(tmp_path):
    a = make_shape("mixed_xlsx_csv", tmp_path / "a")
    b = make_shape("mixed_xlsx_csv", tmp_path / "b")
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name
