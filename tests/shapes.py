"""Data folders of other shapes than the sample, for testing every user-facing path.

Each shape starts from :func:`toolkit.synth.generate` with a seed other than the sample's
(so that no number is the sample's) at a small scale, then changes what an office's data
may change: fewer methods or providers, one programme, no comparison units, some
behaviour waves or raters only, no NPS item or one named otherwise, other codes for
everything, optional tables left out, only the core tables, three sessions, XLSX and
``;``-CSV files with decimal commas and dd/mm/yyyy dates, a larger size. Every foreign key
stays consistent, so every folder passes :func:`toolkit.data.load`. No shape writes
``truth.json`` or ``evaluation_plan.csv``.

Examples
--------
>>> sorted(SHAPES)[:2]
['core_only', 'drivers_removed']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit import synth
from toolkit.data import EvaluationData, as_typed
from toolkit.schema import TABLES
from toolkit.synth._io import csv_frame, xlsx_bytes

CORE = ("units", "participants", "sessions", "enrollments")

#: The shapes: name → options of :func:`make_shape`.
SHAPES: dict[str, dict] = {
    "methods_1": {"seed": 11, "methods": ["workshop"]},
    "methods_2": {"seed": 12, "methods": ["workshop", "seminar"]},
    "methods_3_providers_2": {
        "seed": 13,
        "methods": ["seminar", "simulation", "e_learning"],
        "providers": ["internal", "university"],
    },  # fmt: skip
    "methods_5": {"seed": 14, "scale": 0.6},
    "provider_1": {"seed": 15, "providers": ["internal"]},
    "providers_partners_only": {"seed": 16, "providers": ["university", "professional_org"]},
    "one_programme": {"seed": 17, "one_programme": True},
    "no_comparison_units": {"seed": 18, "all_trained": True},
    "waves_baseline_3m": {"seed": 19, "waves": ["baseline", "followup_3m"]},
    "waves_baseline_6m": {"seed": 20, "waves": ["baseline", "followup_6m"]},
    "waves_baseline_only": {"seed": 21, "waves": ["baseline"]},
    "self_rater_only": {"seed": 22, "raters": ["self"]},
    "no_nps_item": {"seed": 23, "drop_nps": True},
    "nps_named_otherwise": {"seed": 24, "nps_construct": "would_recommend"},
    "other_codes": {"seed": 25, "recode": True},
    "drivers_removed": {"seed": 26, "drop_drivers": True},
    "tiny_3_sessions": {"seed": 27, "n_sessions": 3},
    "mixed_xlsx_csv": {"seed": 28, "mixed_formats": True},
    "core_only": {"seed": 29, "tables": CORE},
    "larger": {"seed": 30, "scale": 1.5},
    **{
        f"no_{name}": {"seed": 40 + i, "drop": [name]}
        for i, name in enumerate(
            (
                "comments",
                "benefit_estimates",
                "availability",
                "costs",
                "behavior",
                "tests",
                "reaction",
                "ikm_responses",
            )
        )  # fmt: skip
    },
}


def expected_absent(name: str) -> set[str]:
    """Tables the shape leaves out (no file)."""
    opts = SHAPES[name]
    absent = set(opts.get("drop", ()))
    if "tables" in opts:
        absent |= set(TABLES) - set(opts["tables"])
    return absent


def _frames(seed: int, scale: float) -> dict[str, pd.DataFrame]:
    data = synth.generate(seed=seed, scale=scale)
    out = {}
    for name, df in data.tables().items():
        df = df.copy()
        for col in df.columns:  # plain text and numbers, so that codes can change freely
            if isinstance(df[col].dtype, pd.CategoricalDtype):
                df[col] = df[col].astype("str").where(df[col].notna(), None)
        out[name] = df
    return out


def _keep_sessions(f: dict, keep: pd.Series) -> None:
    """Keep only the sessions where ``keep`` is true, and everything that refers to them."""
    f["sessions"] = f["sessions"][keep.to_numpy()].reset_index(drop=True)
    ids = set(f["sessions"]["session_id"])
    for name in ("enrollments", "reaction", "tests", "behavior", "comments"):
        f[name] = f[name][f[name]["session_id"].isin(ids)].reset_index(drop=True)
    c = f["costs"]
    f["costs"] = c[c["session_id"].isna() | c["session_id"].isin(ids)].reset_index(drop=True)
    people = set(f["enrollments"]["participant_id"])
    f["participants"] = f["participants"][f["participants"]["participant_id"].isin(people)]
    for name in ("benefit_estimates", "availability"):
        f[name] = f[name][f[name]["participant_id"].isin(people)].reset_index(drop=True)
    programmes = set(f["sessions"]["program"])
    f["costs"] = f["costs"][f["costs"]["program"].isin(programmes)].reset_index(drop=True)
    b = f["benefit_estimates"]
    f["benefit_estimates"] = b[b["program"].isin(programmes)].reset_index(drop=True)


def _recode(f: dict) -> None:
    """Other codes for units, sessions, items, slots and programmes than the sample's."""
    units = {u: f"OPD-{i + 1:02d}" for i, u in enumerate(sorted(f["units"]["unit_id"]))}
    sessions = {s: f"K-2025-{i + 1:03d}" for i, s in enumerate(sorted(f["sessions"]["session_id"]))}
    inst = f["instruments"]
    prefix = {"reaction": "Q", "knowledge_test": "T-", "behavior": "BEH-", "ikm": ""}
    items = {}
    for kind, group in inst.groupby("instrument", sort=False):
        for i, code in enumerate(group["item_code"]):
            items[code] = code if kind == "ikm" else f"{prefix[kind]}{i + 1}"
    programmes = {p: f"prog_{i + 1}" for i, p in enumerate(sorted(f["sessions"]["program"]))}
    slots = sorted(f["availability"]["slot"].unique())
    days = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu")
    times = ("pagi", "siang", "sore", "malam", "lembur")
    new_slots = {s: f"{days[i // 5 % 6]}_{times[i % 5]}" for i, s in enumerate(slots)}
    for df in f.values():
        for col, mapping in (("unit_id", units), ("session_id", sessions), ("item_code", items),
                             ("program", programmes), ("slot", new_slots)):  # fmt: skip
            if col in df.columns:
                df[col] = df[col].map(lambda v, m=mapping: m.get(v, v) if isinstance(v, str) else v)
    a = f["availability"]  # keep 24 of the 30 slots: another number of slots
    f["availability"] = a[a["slot"].isin(sorted(set(new_slots.values()))[:24])]


def _apply(f: dict, o: dict) -> None:
    ses = f["sessions"]
    if "methods" in o:
        _keep_sessions(f, ses["method"].isin(o["methods"]))
    if "providers" in o:
        _keep_sessions(f, f["sessions"]["provider"].isin(o["providers"]))
    if "n_sessions" in o:
        _keep_sessions(f, pd.Series(np.arange(len(f["sessions"])) < o["n_sessions"]))
    if o.get("one_programme"):
        first = sorted(f["sessions"]["program"])[0]
        _keep_sessions(f, f["sessions"]["program"] == first)
    if o.get("all_trained"):
        u = f["units"]
        first = u["first_trained_period"].dropna().min()
        f["units"] = u.assign(
            trained=True, first_trained_period=u["first_trained_period"].fillna(first)
        )
    b = f["behavior"]
    if "waves" in o:
        f["behavior"] = b[b["wave"].isin(o["waves"])].reset_index(drop=True)
    if "raters" in o:
        f["behavior"] = f["behavior"][f["behavior"]["rater"].isin(o["raters"])]
    inst = f["instruments"]
    nps = inst.loc[(inst["instrument"] == "reaction") & (inst["scale_max"] == 10), "item_code"]
    if o.get("drop_nps"):
        f["instruments"] = inst[~inst["item_code"].isin(nps)]
        f["reaction"] = f["reaction"][~f["reaction"]["item_code"].isin(nps)]
    if "nps_construct" in o:
        inst.loc[inst["item_code"].isin(nps), "construct"] = o["nps_construct"]
    if o.get("drop_drivers"):
        drivers = inst.loc[inst["construct"].str.startswith("driver_"), "item_code"]
        f["instruments"] = f["instruments"][~f["instruments"]["item_code"].isin(drivers)]
        f["behavior"] = f["behavior"][~f["behavior"]["item_code"].isin(drivers)]
    if o.get("recode"):
        _recode(f)


def _write(f: dict, present: list[str], directory: Path, mixed: bool) -> None:
    typed = {n: as_typed(n, f[n].reset_index(drop=True)) for n in present}
    data = EvaluationData(
        **{n: typed.get(n, f[n].iloc[:0]) for n in TABLES}, present=tuple(present)
    )
    synth.write(data, directory)
    if not mixed:
        return
    for name in ("units", "sessions", "participants"):  # as exported from Excel
        path = directory / f"{name}.csv"
        (directory / f"{name}.xlsx").write_bytes(xlsx_bytes(csv_frame(name, typed[name]), name))
        path.unlink()
    for name in ("enrollments", "costs", "benefit_estimates"):  # Indonesian-locale CSV
        text = csv_frame(name, typed[name])
        for col in TABLES[name].columns:
            if col.kind == "float":
                text[col.name] = text[col.name].str.replace(".", ",", regex=False)
            elif col.kind == "date":
                text[col.name] = pd.to_datetime(text[col.name]).dt.strftime("%d/%m/%Y")
        text.to_csv(directory / f"{name}.csv", index=False, sep=";", lineterminator="\n")


def make_shape(name: str, directory: Path) -> Path:
    """Write the data folder of shape ``name`` into ``directory`` (created) and return it."""
    o = SHAPES[name]
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    f = _frames(o["seed"], o.get("scale", 0.3))
    _apply(f, o)
    present = [t for t in TABLES if t not in expected_absent(name)]
    if not set(present) & {"reaction", "tests", "behavior"}:
        present = [t for t in present if t != "instruments"]
    _write(f, present, directory, o.get("mixed_formats", False))
    return directory
