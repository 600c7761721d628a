"""What each analysis of the report needs from the data, checked before it runs.

A :class:`Need` is a named condition on the loaded tables with the words for what is
missing and how to supply it, in Indonesian and English. Analyses declare a tuple of needs;
:func:`unmet` returns the first one that fails, which the report states in one short
paragraph and ``python -m toolkit check`` lists in its readiness table.

Examples
--------
>>> import toolkit
>>> from toolkit.data import load
>>> data = load(toolkit.SAMPLE_DATA, tables=["units", "participants", "sessions", "enrollments"])
>>> unmet((table("enrollments"), table("reaction")), data).key
'table:reaction'
>>> unmet((table("enrollments"),), data) is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "PLAN_FILE",
    "Need",
    "Unmet",
    "behavior_waves",
    "instrument_items",
    "nps_item",
    "plan_file",
    "table",
    "treated_and_comparison_units",
    "unmet",
]


@dataclass(frozen=True)
class Need:
    """A condition an analysis needs, with its wording.

    Parameters
    ----------
    key : str
        Stable identifier (``table:reaction``, ``nps_item`` …).
    check : callable
        ``check(data)`` returns None when the need is met, else a dict ``{"id": …,
        "en": …}`` saying what the data lack (with the figures found).
    fix : dict
        What to add, in both languages.
    folder : bool
        ``check`` looks at the data folder too: it is called as ``check(data, data_dir)``.
    """

    key: str
    check: Callable[..., dict | None]
    fix: dict
    folder: bool = False


def unmet(needs, data, data_dir=None) -> Unmet | None:
    """The first need of ``needs`` that ``data`` (and their folder) do not meet; else None."""
    for need in needs:
        reason = need.check(data, data_dir) if need.folder else need.check(data)
        if reason is not None:
            return Unmet(need.key, need, reason)
    return None


@dataclass(frozen=True)
class Unmet:
    """A need that the data do not meet: ``key``, the ``need`` and the ``reason`` (id/en)."""

    key: str
    need: Need
    reason: dict


def table(name: str, *, min_rows: int = 1) -> Need:
    """The table ``name`` is present with at least ``min_rows`` rows."""

    def check(data):
        df = getattr(data, name)
        if name not in data.present:
            return {"id": f"tabel {name} tidak diberikan", "en": f"no {name} table was given"}
        if len(df) < min_rows:
            return {
                "id": f"tabel {name} hanya berisi {len(df)} baris (perlu {min_rows})",
                "en": f"the {name} table has {len(df)} rows (needs {min_rows})",
            }
        return None

    return Need(
        f"table:{name}",
        check,
        {
            "id": f"tambahkan {name}.csv atau {name}.xlsx (lihat kamus data)",
            "en": f"add {name}.csv or {name}.xlsx (see the data dictionary)",
        },
    )


def instrument_items(instrument: str, *, what: dict, min_items: int = 1) -> Need:
    """The item bank has at least ``min_items`` items of ``instrument`` that were answered."""

    def check(data):
        inst = data.instruments
        items = set(inst.loc[inst["instrument"] == instrument, "item_code"].astype(str))
        answers = {
            "reaction": data.reaction,
            "knowledge_test": data.tests,
            "behavior": data.behavior,
        }.get(instrument)
        if answers is not None and len(answers):
            items &= set(answers["item_code"].astype(str).unique())
        if len(items) < min_items:
            return {
                "id": f"{what['id']}: {len(items)} butir ditemukan (perlu {min_items})",
                "en": f"{what['en']}: {len(items)} items found (needs {min_items})",
            }
        return None

    return Need(
        f"items:{instrument}",
        check,
        {
            "id": f"daftarkan butir instrumen {instrument} di instruments.csv",
            "en": f"list the {instrument} items in instruments.csv",
        },
    )


def nps_item() -> Need:
    """A reaction item on a 0–10 scale ("would you recommend…"): the NPS item."""
    from toolkit.reaction import nps_items

    def check(data):
        if not nps_items(data.instruments, data.reaction):
            return {
                "id": "tidak ada butir reaksi berskala 0–10 (butir rekomendasi)",
                "en": "no reaction item on a 0–10 scale (the recommend item)",
            }
        return None

    return Need(
        "nps_item",
        check,
        {
            "id": "tambahkan butir 'Seberapa mungkin Anda merekomendasikan pelatihan ini?' "
            "dengan scale_min 0 dan scale_max 10",
            "en": "add a 'How likely are you to recommend this training?' item with "
            "scale_min 0 and scale_max 10",
        },
    )


def behavior_waves(*, min_waves: int = 2) -> Need:
    """Behaviour ratings in at least two waves, one of them ``baseline``, for one rater."""

    def check(data):
        b = data.behavior
        waves = (
            b.loc[b["rating"].notna()].groupby("rater", observed=True)["wave"].unique()
            if len(b)
            else pd.Series(dtype=object)
        )
        ok = any("baseline" in set(w) and len(set(w)) >= min_waves for w in waves)
        if not ok:
            found = sorted({str(x) for w in waves for x in w}) or ["–"]
            return {
                "id": "perlu penilaian baseline dan sekurang-kurangnya satu gelombang tindak "
                f"lanjut dari penilai yang sama; ditemukan: {', '.join(found)}",
                "en": "needs baseline ratings and at least one follow-up wave by the same "
                f"rater; found: {', '.join(found)}",
            }
        return None

    return Need(
        "behavior_waves",
        check,
        {
            "id": "kumpulkan penilaian perilaku sebelum pelatihan (baseline) dan 3 atau 6 "
            "bulan sesudahnya (followup_3m, followup_6m)",
            "en": "collect behaviour ratings before training (baseline) and 3 or 6 months "
            "after (followup_3m, followup_6m)",
        },
    )


_ONE = {f"u{j}": 4 for j in range(1, 10)}  # any answer: only the panel's shape is needed


def treated_and_comparison_units(*, min_periods: int = 2, min_units: int = 2) -> Need:
    """IKM of trained and never-trained units (``min_units`` of each), before and after."""

    def check(data):
        units, ikm = data.units, data.ikm_responses
        n_trained = n_comparison = 0
        periods = ikm["period"].nunique() if len(ikm) else 0
        before_after = False
        if len(units) and periods >= min_periods:
            from toolkit.results import ikm_panel

            panel = ikm_panel(ikm[["unit_id", "period"]].assign(**_ONE), units=units)
            per_unit = panel.groupby("unit_id", observed=True).agg(
                treated=("treated", "first"),
                before=("treated_post", lambda x: (~x).any()),
                after=("treated_post", "any"),
            )
            n_trained = int(per_unit["treated"].sum())
            n_comparison = len(per_unit) - n_trained
            trained = per_unit[per_unit["treated"]]
            before_after = (
                min(n_trained, n_comparison) >= min_units
                and bool(trained["before"].any())
                and bool(trained["after"].any())
            )
        if not before_after:
            return {
                "id": f"perlu sekurang-kurangnya {min_units} unit yang dilatih dan {min_units} "
                "unit pembanding dengan IKM sebelum dan sesudah pelatihan; ditemukan "
                f"{n_trained} unit dilatih, {n_comparison} unit pembanding, {periods} periode",
                "en": f"needs at least {min_units} trained and {min_units} comparison units "
                f"with IKM before and after training; found {n_trained} trained units, "
                f"{n_comparison} comparison units, {periods} periods",
            }
        return None

    return Need(
        "comparison_units",
        check,
        {
            "id": "sertakan survei IKM unit yang belum dilatih (trained = tidak) untuk "
            "periode yang sama",
            "en": "include IKM surveys of units not trained (trained = false) for the same periods",
        },
    )


#: The evaluation plan's file name in the data folder (read by :func:`toolkit.plan.read_plan`).
PLAN_FILE = "evaluation_plan.csv"


def plan_file() -> Need:
    """An evaluation plan, ``evaluation_plan.csv``, in the data folder."""

    def check(data, data_dir):
        if data_dir is not None and (data_dir / PLAN_FILE).is_file():
            return None
        return {
            "id": "tidak ada rencana evaluasi (evaluation_plan.csv) yang diberikan",
            "en": "no evaluation plan (evaluation_plan.csv) was supplied",
        }

    return Need(
        "evaluation_plan",
        check,
        {
            "id": "tulis rencana evaluasi: tujuan, indikator per level, instrumen, waktu dan "
            "target, dalam evaluation_plan.csv (lihat kamus data)",
            "en": "write the evaluation plan: objectives, indicators per level, instrument, "
            "timing and target, in evaluation_plan.csv (see the data dictionary)",
        },
        folder=True,
    )
