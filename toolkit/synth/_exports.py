"""The sample's own tables written back as the exports offices receive: forms, Moodle, IKM apps.

These are the inputs of :mod:`toolkit.importers`, made from the tables so that a round trip
(export → import → tables) can be asserted: a Google Forms reaction export with the NIP,
the question texts as headers, labelled answers and the free-text suggestion; a Moodle quiz
*Grades* download per session and phase (``ID number`` holds the NIP); an IKM survey export
with the questionnaire's answer labels and the survey date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.schema import NA_CODE

__all__ = [
    "forms_export", "availability_export", "moodle_export", "ikm_export", "sample_exports",
    "IKM_ANSWERS", "AGREE_ANSWERS", "SLOT_QUESTION",
]  # fmt: skip
#: The exports written into the sample's ``raw/`` folder: file name → (source, what).
SAMPLE_EXPORTS = {
    "forms_reaksi.csv": "a Google Forms reaction export of every session",
    "forms_ketersediaan.csv": "a Google Forms availability survey (a checkbox question)",
    "moodle_S01_pre.csv": "Moodle's quiz Grades download of session S01's pre-test",
    "skm_2024Q1.csv": "an IKM survey export of the first quarter of 2024, every unit",
}

#: The labels written for answers 1–5 of the agreement items.
AGREE_ANSWERS = ("Sangat Tidak Setuju", "Tidak Setuju", "Netral", "Setuju", "Sangat Setuju")
#: The answers of the IKM questionnaire (PermenPANRB 14/2017), 1 to 4, per element u1 … u9.
IKM_ANSWERS = {
    "u1": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "u2": ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    "u3": ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    "u4": ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    "u5": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "u6": ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    "u7": ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
           "Sangat sopan dan ramah"),
    "u8": ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
           "Dikelola dengan baik"),
    "u9": ("Buruk", "Cukup", "Baik", "Sangat Baik"),
}  # fmt: skip


def _nips(participants: pd.DataFrame, roster: pd.DataFrame, key: str) -> pd.Series:
    """participant_id → NIP, through the roster and the key."""
    from toolkit.privacy import pseudonymize_nip

    ids = pseudonymize_nip(roster["nip"], key=key)
    return pd.Series(roster["nip"].to_numpy(), index=ids)


def forms_export(data, roster: pd.DataFrame, key: str) -> pd.DataFrame:
    """A Google Forms reaction export of every session: one row per participant and session."""
    inst = data.instruments[data.instruments["instrument"] == "reaction"]
    text = dict(zip(inst["item_code"].astype("str"), inst["text_id"], strict=True))
    wide = data.reaction.astype({"item_code": "str"}).pivot_table(
        index=["participant_id", "session_id"], columns="item_code", values="response",
        aggfunc="first", observed=True,
    )  # fmt: skip
    out = pd.DataFrame(index=wide.index)
    out["Timestamp"] = "2024/03/15 10:00:00 AM GMT+7"
    nips = _nips(data.participants, roster, key)
    out["NIP"] = wide.index.get_level_values(0).astype("str").map(nips)
    out["Kode sesi"] = wide.index.get_level_values(1).astype("str")
    for code in wide.columns:
        v = wide[code]
        scale_max = int(inst.loc[inst["item_code"].astype("str") == code, "scale_max"].iloc[0])
        if scale_max == 5:
            labels = np.array(["", *AGREE_ANSWERS], dtype=object)
            cell = pd.Series(labels[v.fillna(0).astype(int).clip(0, 5)], index=v.index)
        else:
            cell = v.astype("Int64").astype("str").where(v.notna(), "")
        out[text[code]] = cell.where(v.ne(NA_CODE).fillna(True), "Tidak tahu").fillna("")
    comments = data.comments.set_index(["participant_id", "session_id"])["text"]
    out["Saran untuk pelatihan berikutnya"] = out.index.map(comments.to_dict()).fillna("")
    return out.reset_index(drop=True)


#: The checkbox question of the availability survey.
SLOT_QUESTION = "Jadwal yang memungkinkan untuk mengikuti pelatihan"


def availability_export(data, roster: pd.DataFrame, key: str) -> pd.DataFrame:
    """A Google Forms availability survey: one row per civil servant, the slots ticked in
    one checkbox cell (``Selasa 08.00, Rabu 10.00``), as :func:`toolkit.i18n.slot_label`
    writes them."""
    from toolkit.i18n import slot_label

    a = data.availability[data.availability["available"].astype(bool)]
    codes = a["slot"].astype("str")
    label = {c: slot_label(c, "id") for c in codes.unique()}
    ticked = (
        codes.map(label).groupby(a["participant_id"].astype("str"), observed=True).agg(", ".join)
    )
    people = data.availability["participant_id"].astype("str").unique()
    nips = _nips(data.participants, roster, key)
    return pd.DataFrame(
        {
            "Timestamp": "2024/01/10 09:00:00 AM GMT+7",
            "NIP": pd.Series(people).map(nips).to_numpy(),
            SLOT_QUESTION: pd.Series(people).map(ticked).fillna("").to_numpy(),
        }
    )


def moodle_export(data, roster: pd.DataFrame, key: str, session: str, phase: str) -> pd.DataFrame:
    """Moodle's quiz Grades download for one session and phase (English interface)."""
    t = data.tests.astype({"session_id": "str", "item_code": "str", "phase": "str"})
    t = t[(t["session_id"] == session) & (t["phase"] == phase)]
    wide = t.pivot_table(index="participant_id", columns="item_code", values="correct",
                         aggfunc="first", observed=True)  # fmt: skip
    nips = _nips(data.participants, roster, key)
    out = pd.DataFrame(
        {
            "Surname": "Peserta",
            "First name": [f"No {i + 1}" for i in range(len(wide))],
            "ID number": wide.index.astype("str").map(nips),
            "Email address": [f"peserta{i + 1}@contoh.go.id" for i in range(len(wide))],
            "State": "Finished",
            "Started on": "15 March 2024 10:23 AM",
            "Completed": "15 March 2024 10:41 AM",
            "Time taken": "18 mins",
            f"Grade/{len(wide.columns)}.00": wide.sum(axis=1).map("{:.2f}".format).to_numpy(),
        }
    )
    for k, code in enumerate(wide.columns, start=1):
        v = wide[code]
        out[f"Q. {k} /1.00"] = v.map(lambda x: "-" if pd.isna(x) else f"{x:.2f}").to_numpy()
    average = {c: "" for c in out.columns} | {"Surname": "Overall average"}
    return pd.concat([out, pd.DataFrame([average])], ignore_index=True)


def sample_exports(data, roster: pd.DataFrame, key: str) -> dict[str, pd.DataFrame]:
    """The exports of :data:`SAMPLE_EXPORTS`, made from the sample's tables."""
    ikm = ikm_export(data)
    return {
        "forms_reaksi.csv": forms_export(data, roster, key),
        "forms_ketersediaan.csv": availability_export(data, roster, key),
        "moodle_S01_pre.csv": moodle_export(data, roster, key, "S01", "pre"),
        "skm_2024Q1.csv": ikm[ikm["Tanggal"].str.startswith("2024-02")].reset_index(drop=True),
    }


def ikm_export(data) -> pd.DataFrame:
    """An IKM survey app export: one row per respondent, labelled answers, survey date."""
    r = data.ikm_responses
    period = r["period"].astype("str")
    month = (period.str[-1].astype(int) - 1) * 3 + 2
    out = pd.DataFrame(
        {
            "No": r["respondent_id"].astype("str"),
            "Tanggal": period.str[:4] + "-" + month.map("{:02d}".format) + "-15",
            "Unit layanan": r["unit_id"].astype("str"),
        }
    )
    for j in range(1, 10):
        code = f"u{j}"
        labels = np.array(["", *IKM_ANSWERS[code]], dtype=object)
        out[f"U{j}"] = labels[r[code].fillna(0).astype(int).to_numpy()]
    return out
