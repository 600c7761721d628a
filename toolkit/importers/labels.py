"""Answer labels of Indonesian (and English) forms, and the numbers they stand for.

Questionnaires are often exported with the label the respondent clicked rather than its number.
The scales below are built in; a mapping file can add its own (``scale`` column, see
:mod:`toolkit.importers.mapping`). Labels are compared without regard to case, surrounding
blanks, repeated blanks and a trailing full stop.

========================  =====================================================================
scale                     labels, from the lowest number up
========================  =====================================================================
``agree5``                Sangat Tidak Setuju, Tidak Setuju, Netral/Ragu-ragu/Cukup Setuju,
                          Setuju, Sangat Setuju (STS/TS/N/S/SS; English Strongly disagree …)
``quality5``              Sangat Kurang (Sangat Buruk), Kurang, Cukup, Baik, Sangat Baik
                          (English Very poor … Excellent)
``ikm``                   the answers of the IKM questionnaire of PermenPANRB 14/2017, per element:
                          Tidak/Kurang/–/Sangat sesuai, Tidak mudah … Sangat mudah, Tidak cepat …
                          Sangat cepat, Sangat mahal/Cukup mahal/Murah/Gratis, Tidak kompeten …
                          Sangat kompeten, Tidak sopan dan ramah … Sangat sopan dan ramah, Tidak ada
                          … Dikelola dengan baik, Buruk/Cukup/Baik/Sangat Baik (1 to 4)
``correct``               Benar/Salah, Correct/Incorrect, Ya/Tidak (1/0)
========================  =====================================================================

Examples
--------
>>> to_numbers(pd.Series(["Sangat Setuju", "ts", " Netral ", "4", ""]), "agree5")[0].tolist()
[5.0, 2.0, 3.0, 4.0, nan]
>>> to_numbers(pd.Series(["Sangat mudah", "Gratis"]), "ikm")[0].tolist()
[4.0, 4.0]
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "SCALES", "normalise_label", "parse_scale", "parse_choices", "slot_codes", "to_numbers",
]  # fmt: skip


def _levels(*groups: tuple[str, ...]) -> dict[str, int]:
    return {label: value for value, labels in enumerate(groups, start=1) for label in labels}


#: Built-in scales: normalised label → number.
SCALES: dict[str, dict[str, int]] = {
    "agree5": _levels(
        ("sangat tidak setuju", "sts", "strongly disagree"),
        ("tidak setuju", "ts", "disagree"),
        (
            "netral",
            "n",
            "ragu-ragu",
            "ragu ragu",
            "cukup setuju",
            "neutral",
            "neither agree nor disagree",
        ),
        ("setuju", "s", "agree"),
        ("sangat setuju", "ss", "strongly agree"),
    ),  # fmt: skip
    "quality5": _levels(
        ("sangat kurang", "sangat buruk", "very poor"),
        ("kurang", "buruk", "poor"),
        ("cukup", "sedang", "fair", "average"),
        ("baik", "good"),
        ("sangat baik", "very good", "excellent"),
    ),
    "ikm": _levels(
        (
            "tidak sesuai",
            "tidak mudah",
            "tidak cepat",
            "sangat mahal",
            "tidak kompeten",
            "tidak sopan dan ramah",
            "tidak ada",
            "buruk",
            "tidak baik",
        ),
        (
            "kurang sesuai",
            "kurang mudah",
            "kurang cepat",
            "cukup mahal",
            "kurang kompeten",
            "kurang sopan dan ramah",
            "ada tetapi tidak berfungsi",
            "cukup",
            "kurang baik",
        ),
        (
            "sesuai",
            "mudah",
            "cepat",
            "murah",
            "kompeten",
            "sopan dan ramah",
            "berfungsi kurang maksimal",
            "baik",
        ),
        (
            "sangat sesuai",
            "sangat mudah",
            "sangat cepat",
            "gratis",
            "sangat kompeten",
            "sangat sopan dan ramah",
            "dikelola dengan baik",
            "sangat baik",
        ),
    ),  # fmt: skip
    "correct": {
        "benar": 1,
        "correct": 1,
        "ya": 1,
        "true": 1,
        "salah": 0,
        "incorrect": 0,
        "tidak": 0,
        "false": 0,
    },  # fmt: skip
}


def normalise_label(text: pd.Series) -> pd.Series:
    """Lower case, single blanks, no surrounding blanks or trailing full stop.

    Examples
    --------
    >>> normalise_label(pd.Series(["  Sangat   Setuju. "])).tolist()
    ['sangat setuju']
    """
    s = text.astype("str").str.strip().str.lower().str.replace(r"\s+", " ", regex=True)
    return s.str.replace(r"\.$", "", regex=True)


def parse_scale(spec: str) -> dict[str, int]:
    """A custom scale written in a mapping file: ``"Sangat puas=4|Puas=3|Kurang puas=2"``.

    Examples
    --------
    >>> parse_scale("Sangat puas=4 | Puas=3")
    {'sangat puas': 4, 'puas': 3}
    """
    out: dict[str, int] = {}
    for part in str(spec).split("|"):
        label, sep, value = part.rpartition("=")
        if not sep or not label.strip():
            raise ValueError(f"{part.strip()!r} is not 'label=number'")
        out[normalise_label(pd.Series([label])).iloc[0]] = int(value.strip())
    return out


def parse_choices(spec: str) -> dict[str, str]:
    """Checkbox options and their codes, as a mapping file writes them: ``"Pagi=pagi|Sore=sore"``.

    Examples
    --------
    >>> parse_choices("Selasa pagi=tue_0800 | Rabu pagi=wed_0800")
    {'selasa pagi': 'tue_0800', 'rabu pagi': 'wed_0800'}
    """
    out: dict[str, str] = {}
    for part in str(spec).split("|"):
        label, sep, code = part.rpartition("=")
        if not sep or not label.strip() or not code.strip():
            raise ValueError(f"{part.strip()!r} is not 'option=code'")
        out[normalise_label(pd.Series([label])).iloc[0]] = code.strip()
    return out


_DAY_CODES = {
    "senin": "mon", "monday": "mon", "selasa": "tue", "tuesday": "tue", "rabu": "wed",
    "wednesday": "wed", "kamis": "thu", "thursday": "thu", "jumat": "fri", "jum'at": "fri",
    "friday": "fri", "sabtu": "sat", "saturday": "sat", "minggu": "sun", "sunday": "sun",
}  # fmt: skip


def slot_codes(labels: pd.Series) -> pd.Series:
    """Weekly slots written for people back to codes: ``Sabtu 08.00`` is ``sat_0800``.

    The inverse of :func:`toolkit.i18n.slot_label` (Indonesian or English day, ``HH.MM`` or
    ``HH:MM``); anything else is missing.

    Examples
    --------
    >>> slot_codes(pd.Series(["Sabtu 08.00", "Tuesday 13:00", "pagi"])).tolist()
    ['sat_0800', 'tue_1300', nan]
    """
    parts = normalise_label(labels).str.extract(r"^([a-z']+)\s+(\d{1,2})[.:](\d{2})$")
    day = parts[0].map(_DAY_CODES)
    code = day + "_" + parts[1].str.zfill(2) + parts[2]
    return code.where(day.notna())


def to_numbers(text: pd.Series, scale: str | dict[str, int] | None) -> tuple[pd.Series, pd.Series]:
    """Answers as numbers: digits as they are, labels through ``scale``.

    Returns the numbers (NaN for empty cells) and a mask of cells that are neither a number
    nor a label of the scale. Each distinct answer is read once.
    """
    labels = SCALES.get(scale, {}) if isinstance(scale, str) else (scale or {})
    codes, distinct = pd.factorize(text.astype("str"), sort=False)
    s = normalise_label(pd.Series(distinct, dtype="str"))
    empty = s.eq("") | s.eq("-")
    numbers = pd.to_numeric(s.str.replace(",", ".", regex=False).where(~empty), errors="coerce")
    from_label = s.map(labels).astype("float64")
    values = numbers.astype("float64").fillna(from_label)
    bad = values.isna() & ~empty
    return (
        pd.Series(values.to_numpy()[codes], index=text.index),
        pd.Series(bad.to_numpy()[codes], index=text.index),
    )
