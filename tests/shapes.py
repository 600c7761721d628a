"""Data folders of other shapes than the sample, for testing every user-facing path.

Each shape starts from :func:`toolkit.synth.generate` with a seed of its own (never the
sample's 2025, so that no figure is the sample's) at scale 0.3 (the larger shape: 1.5), and
then changes what an office's data may change: fewer methods or providers, one programme, no
comparison units, some behaviour waves or raters only, no NPS item or one named otherwise,
other codes for units, sessions, items, slots and programmes, no ``driver_*`` items, optional
tables left out, only the core tables, three sessions, XLSX files next to ``;``-separated CSV
with decimal commas and dd/mm/yyyy dates, a larger size.

Every change is a vectorised pandas operation with no random draw, so a shape's files are the
same bytes on every run. After the changes, :func:`_prune` keeps every reference consistent
(enrolments → participants and sessions; answers and comments → enrolments; costs → sessions
of the same programme; benefit estimates → programmes the participant took; availability →
participants; knowledge-test items → programmes that have sessions), so every folder passes
:func:`toolkit.data.load`. No shape writes ``truth.json``, ``evaluation_plan.csv`` or the
``raw/`` roster.

Examples
--------
>>> len(SHAPES) >= 22
True
>>> sorted(expected_absent("no_costs"))
['costs']
>>> "instruments" in expected_absent("core_only")
True
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit import synth
from toolkit.data import EvaluationData, as_typed, empty_table
from toolkit.schema import METHODS, PROVIDERS, TABLES
from toolkit.synth._io import FIXED_TIME, fixed_zip

#: The tables every folder needs.
CORE = ("units", "participants", "sessions", "enrollments")
#: The tables whose rows refer to items of ``instruments``.
ANSWERS = ("reaction", "tests", "behavior")
#: The tables that may be left out, one shape each (``evaluation_plan.csv`` is never written).
OPTIONAL = (
    "comments",
    "benefit_estimates",
    "availability",
    "costs",
    "behavior",
    "tests",
    "reaction",
    "ikm_responses",
)
#: File suffixes :func:`toolkit.data.load` reads.
SUFFIXES = (".csv", ".xlsx", ".xlsm")
#: Scale of every shape but the larger one.
SCALE = 0.3

#: The shapes: name → options of :func:`build` (``about`` says what the shape is).
SHAPES: dict[str, dict] = {
    "methods_1_workshop": {
        "about": "one delivery method: only the workshop sessions",
        "seed": 11,
        "methods": ["workshop"],
    },
    "methods_2": {
        "about": "two methods: workshop and seminar sessions",
        "seed": 12,
        "methods": ["workshop", "seminar"],
    },
    "methods_3": {
        "about": "three methods: seminar, simulation and e-learning sessions",
        "seed": 21,
        "methods": ["seminar", "simulation", "e_learning"],
    },
    "methods_5_providers_3": {
        "about": "the full set: all five methods and all three providers",
        "seed": 17,
        "methods": list(METHODS),
        "providers": list(PROVIDERS),
    },
    "provider_1_internal": {
        "about": "one provider: only sessions run by the office itself",
        "seed": 13,
        "providers": ["internal"],
    },
    "providers_2_partners": {
        "about": "two providers: university and professional organisation, no internal",
        "seed": 14,
        "providers": ["university", "professional_org"],
    },
    "one_programme": {
        "about": "one programme: its sessions, test items, costs and benefit claims only",
        "seed": 15,
        "one_programme": True,
    },
    "no_comparison_units": {
        "about": "every unit trained (first_trained_period set): no comparison units",
        "seed": 16,
        "all_trained": True,
    },
    "waves_baseline_3m": {
        "about": "behaviour rated at baseline and 3 months only",
        "seed": 18,
        "waves": ["baseline", "followup_3m"],
    },
    "waves_baseline_6m": {
        "about": "behaviour rated at baseline and 6 months only",
        "seed": 19,
        "waves": ["baseline", "followup_6m"],
    },
    "waves_baseline_only": {
        "about": "behaviour rated at baseline only: no follow-up",
        "seed": 20,
        "waves": ["baseline"],
    },
    "rater_self_only": {
        "about": "behaviour rated by the participants only: no supervisor ratings",
        "seed": 22,
        "raters": ["self"],
    },
    "no_nps_item": {
        "about": "no 0-10 recommend item in the reaction survey, and no answers to it",
        "seed": 23,
        "drop_nps": True,
    },
    "nps_would_recommend": {
        "about": "the 0-10 item's construct is would_recommend, not recommend",
        "seed": 24,
        "nps_construct": "would_recommend",
    },
    "other_codes": {
        "about": "units OPD-01, sessions K-2025-001, items Q1/T-1/BEH-1, Indonesian slot "
        "and programme codes (18 slots)",
        "seed": 26,
        "recode": True,
    },
    "drivers_removed": {
        "about": "no driver_* behaviour items, and no ratings of them",
        "seed": 27,
        "drop_drivers": True,
    },
    **{
        f"no_{table}": {
            "about": f"everything but {table}.csv",
            "seed": 40 + i,
            "drop": [table],
        }
        for i, table in enumerate(OPTIONAL)
    },
    "core_only": {
        "about": "only units, participants, sessions and enrollments",
        "seed": 31,
        "tables": list(CORE),
    },
    "tiny_3_sessions": {
        "about": "three sessions and only the participants enrolled in them",
        "seed": 28,
        "n_sessions": 3,
    },
    "mixed_xlsx_csv": {
        "about": "XLSX workbooks next to ;-separated CSV (decimal commas, thousands dots, "
        "dd/mm/yyyy dates, ya/tidak) and a CSV with BOM",
        "seed": 29,
        "mixed_formats": True,
    },
    "larger_scale_1_5": {
        "about": "scale 1.5: 30 units, 900 civil servants, 60 sessions",
        "seed": 32,
        "scale": 1.5,
    },
}

#: Tables written as workbooks (native cell types) by the mixed shape.
XLSX_TABLES = ("units", "participants", "instruments")
#: Tables written the Indonesian-Excel way by the mixed shape: ``;``, decimal commas, CRLF.
LOCALE_TABLES = ("sessions", "enrollments", "costs", "benefit_estimates")
#: Tables written as comma-separated UTF-8 with a byte-order mark by the mixed shape.
BOM_TABLES = ("comments",)

#: Time stamp of every workbook (its properties and its zip entries).

_PROGRAMMES = {
    "service_excellence": "pelayanan_prima",
    "public_communication": "komunikasi_publik",
    "leadership": "kepemimpinan",
    "collaboration": "kolaborasi",
    "disaster_response": "tanggap_bencana",
    "digital_services": "layanan_digital",
}
_DAYS = {
    "mon": "senin",
    "tue": "selasa",
    "wed": "rabu",
    "thu": "kamis",
    "fri": "jumat",
    "sat": "sabtu",
    "sun": "minggu",
}
_TIMES = {"0800": "pagi", "1300": "siang", "1530": "sore"}  # 10.00 and 19.00 are dropped
_ITEM_PREFIX = {"reaction": "Q", "knowledge_test": "T-", "behavior": "BEH-"}


# ----------------------------------------------------------------------------- public API
def expected_absent(name: str) -> set[str]:
    """Tables that shape ``name`` leaves out (no file, empty after loading).

    Parameters
    ----------
    name : str
        A key of :data:`SHAPES`.

    Returns
    -------
    set of str
        Table names; ``instruments`` is among them when no answer table is written.

    Examples
    --------
    >>> expected_absent("methods_2")
    set()
    """
    opts = SHAPES[name]
    absent = set(opts.get("drop", ()))
    if "tables" in opts:
        absent |= set(TABLES) - set(opts["tables"])
    if set(ANSWERS) <= absent:
        absent.add("instruments")
    return absent


def build(name: str) -> EvaluationData:
    """The typed tables of shape ``name``, before they are written.

    Parameters
    ----------
    name : str
        A key of :data:`SHAPES`.

    Returns
    -------
    EvaluationData
        Typed tables (:func:`toolkit.data.as_typed`); the absent ones empty, ``present``
        naming the others in schema order.
    """
    opts = SHAPES[name]
    f = _frames(opts["seed"], opts.get("scale", SCALE))
    _apply(f, opts)
    absent = expected_absent(name)
    present = tuple(t for t in TABLES if t not in absent)
    frames = {t: as_typed(t, f[t]) if t in present else empty_table(t) for t in TABLES}
    return EvaluationData(**frames, present=present)


def make_shape(name: str, directory: Path) -> Path:
    """Write the data folder of shape ``name`` into ``directory`` (created) and return it.

    Table files already in ``directory`` are removed first; other files are left alone.

    Parameters
    ----------
    name : str
        A key of :data:`SHAPES`.
    directory : Path
        Target folder.

    Returns
    -------
    Path
        ``directory``, which :func:`toolkit.data.load` reads without error.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        for suffix in SUFFIXES:
            (directory / f"{table}{suffix}").unlink(missing_ok=True)
    data = build(name)
    synth.write(data, directory)
    if SHAPES[name].get("mixed_formats"):
        _rewrite_mixed(data, directory)
    return directory


# ----------------------------------------------------------------------------- building
def _frames(seed: int, scale: float) -> dict[str, pd.DataFrame]:
    """The generated tables with plain text instead of categoricals, so codes can change."""
    data = synth.generate(seed=seed, scale=scale)
    out = {}
    for name, df in data.tables().items():
        df = df.copy()
        for col in df.columns:
            if isinstance(df[col].dtype, pd.CategoricalDtype):
                df[col] = df[col].astype("str").where(df[col].notna())
        out[name] = df
    return out


def _pairs(df: pd.DataFrame, cols: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(df[cols])


def _apply(f: dict[str, pd.DataFrame], o: dict) -> None:
    """Apply the options ``o`` of a shape to the frames ``f`` (in place)."""
    ses = f["sessions"]
    keep = pd.Series(True, index=ses.index)
    if "methods" in o:
        keep &= ses["method"].isin(o["methods"])
    if "providers" in o:
        keep &= ses["provider"].isin(o["providers"])
    if o.get("one_programme"):  # the programme with most sessions (ties: first by name)
        counts = ses.groupby("program").size().sort_values(ascending=False, kind="stable")
        keep &= ses["program"] == counts.index[0]
    if "n_sessions" in o:
        keep &= pd.Series(np.arange(len(ses)) < o["n_sessions"], index=ses.index)
    f["sessions"] = ses[keep]
    if o.get("all_trained"):
        _all_trained(f)
    beh = f["behavior"]
    if "waves" in o:
        beh = beh[beh["wave"].isin(o["waves"])]
    if "raters" in o:
        beh = beh[beh["rater"].isin(o["raters"])]
    f["behavior"] = beh
    inst = f["instruments"]
    nps = (inst["instrument"] == "reaction") & (inst["scale_min"] == 0) & (inst["scale_max"] == 10)
    if o.get("drop_nps"):
        inst = inst[~nps]
    if "nps_construct" in o:
        inst = inst.assign(construct=inst["construct"].where(~nps, o["nps_construct"]))
    if o.get("drop_drivers"):
        drivers = (inst["instrument"] == "behavior") & inst["construct"].str.startswith("driver_")
        inst = inst[~drivers]
    f["instruments"] = inst
    _prune(f)
    if o.get("recode"):
        _recode(f)


def _all_trained(f: dict[str, pd.DataFrame]) -> None:
    """Mark every unit trained; a unit never trained gets the quarter of its first session
    (or, with no participant in any session, the latest cohort's quarter)."""
    u = f["units"]
    e = (
        f["enrollments"]
        .merge(f["participants"][["participant_id", "unit_id"]], on="participant_id")
        .merge(f["sessions"][["session_id", "start_date"]], on="session_id")
    )
    first = e.groupby("unit_id")["start_date"].min().dt.to_period("Q").astype("str")
    period = u["first_trained_period"]
    period = period.fillna(u["unit_id"].map(first)).fillna(period.dropna().max())
    f["units"] = u.assign(trained=True, first_trained_period=period)


def _prune(f: dict[str, pd.DataFrame]) -> None:
    """Drop every row whose references no longer hold (after sessions or items were dropped)."""
    ses = f["sessions"]
    people = f["participants"]
    enr = f["enrollments"]
    enr = enr[enr["session_id"].isin(ses["session_id"]) & enr["participant_id"].isin(
        people["participant_id"])]  # fmt: skip
    people = people[people["participant_id"].isin(enr["participant_id"])]
    people = people[people["unit_id"].isin(f["units"]["unit_id"])]
    f["participants"], f["enrollments"] = people, enr
    programmes = ses["program"].unique()
    inst = f["instruments"]
    stale = (inst["instrument"] == "knowledge_test") & ~inst["program"].isin(programmes)
    f["instruments"] = inst = inst[~stale]
    keys = _pairs(enr, ["participant_id", "session_id"])
    for name in (*ANSWERS, "comments"):
        df = f[name]
        ok = _pairs(df, ["participant_id", "session_id"]).isin(keys)
        if name in ANSWERS:
            ok &= df["item_code"].isin(inst["item_code"])
        f[name] = df[ok]
    c = f["costs"]
    own = c["session_id"].isna() | c["session_id"].isin(ses["session_id"])
    f["costs"] = c[own & c["program"].isin(programmes)]
    taken = enr.merge(ses[["session_id", "program"]], on="session_id")
    b = f["benefit_estimates"]
    ok = _pairs(b, ["participant_id", "program"]).isin(_pairs(taken, ["participant_id", "program"]))
    f["benefit_estimates"] = b[ok]
    a = f["availability"]
    f["availability"] = a[a["participant_id"].isin(people["participant_id"])]
    i = f["ikm_responses"]
    f["ikm_responses"] = i[i["unit_id"].isin(f["units"]["unit_id"])]
    for name, df in f.items():
        f[name] = df.reset_index(drop=True)


def _recode(f: dict[str, pd.DataFrame]) -> None:
    """Other codes than the sample's for units, sessions, items, programmes and slots."""
    units = pd.Series(sorted(f["units"]["unit_id"]))
    unit_map = pd.Series(
        "OPD-" + pd.Series(np.arange(1, len(units) + 1)).astype("str").str.zfill(2).to_numpy(),
        index=units.to_numpy(),
    )
    ses = f["sessions"].sort_values(["start_date", "session_id"], kind="stable")
    year = ses["start_date"].dt.year.astype("str")
    seq = (ses.groupby(year).cumcount() + 1).astype("str").str.zfill(3)
    session_map = pd.Series(("K-" + year + "-" + seq).to_numpy(), index=ses["session_id"])
    inst = f["instruments"]
    seq = (inst.groupby("instrument", sort=False).cumcount() + 1).astype("str")
    prefix = inst["instrument"].map(_ITEM_PREFIX)
    item_map = pd.Series(
        (prefix + seq).where(prefix.notna(), inst["item_code"]).to_numpy(),
        index=inst["item_code"].to_numpy(),
    )
    programmes = pd.Series(ses["program"].unique())
    programme_map = pd.Series(
        programmes.map(_PROGRAMMES).fillna("prog_" + programmes).to_numpy(),
        index=programmes.to_numpy(),
    )
    maps = {
        "unit_id": unit_map,
        "session_id": session_map,
        "item_code": item_map,
        "program": programme_map,
    }
    for df in f.values():
        for col, mapping in maps.items():
            if col in df.columns:
                new = df[col].map(mapping)
                df[col] = new.where(new.notna(), df[col])
    a = f["availability"]
    parts = a["slot"].str.extract(r"^([a-z]{3})_(\d{4})$")
    slot = parts[0].map(_DAYS) + "_" + parts[1].map(_TIMES)
    f["availability"] = a.assign(slot=slot)[slot.notna()].reset_index(drop=True)


# ----------------------------------------------------------------------------- mixed files
def _indonesian_number(text: pd.Series, *, group: bool) -> pd.Series:
    """``1234567.5`` → ``1234567,5`` (``1.234.567,5`` with ``group``), as Excel writes it."""
    whole = text.str.extract(r"^(-?\d+)")[0].fillna("")
    frac = text.str.extract(r"\.(\d+)$")[0]
    if group:
        whole = whole.str.replace(r"(\d)(?=(?:\d{3})+$)", r"\1.", regex=True)
    return whole + ("," + frac).fillna("")


def _locale_csv(name: str, text: pd.DataFrame) -> bytes:
    """The canonical text cells of table ``name`` the way Indonesian Excel saves CSV."""
    out = text.copy()
    for col in TABLES[name].columns:
        s = out[col.name]
        filled = s.ne("")
        if col.kind == "float":  # no thousands dots: "850.000" alone would be ambiguous
            out[col.name] = _indonesian_number(s, group=False).where(filled, "")
        elif col.kind == "int" and col.name.endswith("_idr"):
            out[col.name] = ("Rp " + _indonesian_number(s, group=True)).where(filled, "")
        elif col.kind == "date":
            out[col.name] = s.str.replace(r"^(\d{4})-(\d{2})-(\d{2})$", r"\3/\2/\1", regex=True)
        elif col.kind == "bool":
            out[col.name] = s.map({"true": "ya", "false": "tidak"}).fillna("")
    buf = io.StringIO()
    out.to_csv(buf, index=False, sep=";", lineterminator="\r\n")
    return buf.getvalue().encode("utf-8")


def _xlsx(name: str, df: pd.DataFrame) -> bytes:
    """Table ``name`` as a workbook with native cell types, byte-deterministic."""
    cells = df.astype(object).where(df.notna(), None)
    raw = io.BytesIO()
    with pd.ExcelWriter(raw, engine="openpyxl") as writer:
        cells.to_excel(writer, sheet_name=name, index=False)
        writer.book.properties.creator = "shapes"
        writer.book.properties.created = FIXED_TIME
        writer.book.properties.modified = FIXED_TIME
    return fixed_zip(raw.getvalue())


def _rewrite_mixed(data: EvaluationData, directory: Path) -> None:
    """Rewrite some of the canonical CSV files as workbooks, locale CSV and CSV with BOM."""
    for name in data.present:
        path = directory / f"{name}.csv"
        if name in XLSX_TABLES:
            (directory / f"{name}.xlsx").write_bytes(_xlsx(name, getattr(data, name)))
            path.unlink()
        elif name in LOCALE_TABLES or name in BOM_TABLES:
            text = pd.read_csv(path, dtype="str", keep_default_na=False, na_filter=False)
            if name in LOCALE_TABLES:
                path.write_bytes(_locale_csv(name, text))
            else:
                path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
