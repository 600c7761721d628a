"""Labels in Indonesian (``id``, the default) and English (``en``).

Every label the toolkit shows a person (codes of the data model, column headings, level
names, grades) is looked up here, so that a figure or table can be drawn in either
language. Modules with labels of their own keep them in a dict of the same shape
(``{key: {"id": ..., "en": ...}}``) and pass it as ``extra``; a test checks that every
key of every such dict has both languages.

Examples
--------
>>> label("project_based")
'Pembelajaran berbasis proyek'
>>> label("project_based", lang="en")
'Project-based learning'
>>> label("no_such_code", lang="en")
'no_such_code'
>>> relabel(["workshop", "seminar"], lang="en")
['Workshop', 'Seminar']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from toolkit.validation import check_one_of

__all__ = [
    "LANGUAGES",
    "LABELS",
    "format_p",
    "label",
    "localize_numbers",
    "relabel",
    "slot_label",
]

LANGUAGES = ("id", "en")

#: Labels of the data model's codes and of common headings.
LABELS: dict[str, dict[str, str]] = {
    # Kirkpatrick and Phillips levels
    "level_1": {"id": "Level 1 – Reaksi", "en": "Level 1 – Reaction"},
    "level_2": {"id": "Level 2 – Pembelajaran", "en": "Level 2 – Learning"},
    "level_3": {"id": "Level 3 – Perilaku", "en": "Level 3 – Behaviour"},
    "level_4": {"id": "Level 4 – Hasil", "en": "Level 4 – Results"},
    "level_5": {"id": "Level 5 – ROI", "en": "Level 5 – ROI"},
    # methods
    "workshop": {"id": "Lokakarya", "en": "Workshop"},
    "seminar": {"id": "Seminar", "en": "Seminar"},
    "project_based": {"id": "Pembelajaran berbasis proyek", "en": "Project-based learning"},
    "simulation": {"id": "Simulasi", "en": "Simulation"},
    "e_learning": {"id": "E-learning", "en": "E-learning"},
    # providers
    "internal": {"id": "Internal", "en": "Internal"},
    "university": {"id": "Perguruan tinggi", "en": "University"},
    "professional_org": {"id": "Organisasi profesi", "en": "Professional organisation"},
    # schedules
    "office_hours": {"id": "Jam kerja", "en": "Office hours"},
    "after_hours": {"id": "Di luar jam kerja", "en": "After hours"},
    "weekend": {"id": "Akhir pekan", "en": "Weekend"},
    "flexible": {"id": "Fleksibel", "en": "Flexible"},
    # absence reasons
    "workload": {"id": "Beban kerja", "en": "Workload"},
    "schedule_conflict": {"id": "Bentrok jadwal", "en": "Schedule conflict"},
    "leave": {"id": "Cuti", "en": "Leave"},
    "illness": {"id": "Sakit", "en": "Illness"},
    "official_travel": {"id": "Dinas luar", "en": "Official travel"},
    "other": {"id": "Lainnya", "en": "Other"},
    # position types, sex
    "structural": {"id": "Struktural", "en": "Structural"},
    "functional": {"id": "Fungsional", "en": "Functional"},
    "executor": {"id": "Pelaksana", "en": "Executor"},
    "F": {"id": "Perempuan", "en": "Female"},
    "M": {"id": "Laki-laki", "en": "Male"},
    # phases, raters, waves
    "pre": {"id": "Sebelum (pre-test)", "en": "Before (pre-test)"},
    "post": {"id": "Sesudah (post-test)", "en": "After (post-test)"},
    "self": {"id": "Diri sendiri", "en": "Self"},
    "supervisor": {"id": "Atasan langsung", "en": "Supervisor"},
    "baseline": {"id": "Sebelum pelatihan", "en": "Baseline"},
    "followup_3m": {"id": "3 bulan setelah", "en": "3 months after"},
    "followup_6m": {"id": "6 bulan setelah", "en": "6 months after"},
    # required drivers (behaviour items whose construct starts with driver_)
    "driver_supervisor_support": {"id": "Dukungan atasan", "en": "Supervisor support"},
    "driver_opportunity_to_apply": {
        "id": "Kesempatan menerapkan",
        "en": "Opportunity to apply",
    },
    "driver_resources": {"id": "Sumber daya", "en": "Resources"},
    "driver_recognition": {"id": "Pengakuan", "en": "Recognition"},
    # common headings
    "unit": {"id": "Unit kerja (OPD)", "en": "Unit (OPD)"},
    "program": {"id": "Program", "en": "Programme"},
    "method": {"id": "Metode", "en": "Method"},
    "provider": {"id": "Penyelenggara", "en": "Provider"},
    "period": {"id": "Periode", "en": "Period"},
    "schedule": {"id": "Jadwal", "en": "Schedule"},
    "participants": {"id": "Peserta", "en": "Participants"},
    "sessions": {"id": "Sesi", "en": "Sessions"},
    "n": {"id": "Jumlah", "en": "Count"},
    "share": {"id": "Proporsi", "en": "Share"},
    "mean": {"id": "Rata-rata", "en": "Mean"},
    "estimate": {"id": "Estimasi", "en": "Estimate"},
    "ci": {"id": "Interval kepercayaan (IK) 95%", "en": "95% confidence interval"},
    "ci_short": {"id": "IK 95%", "en": "95% CI"},
    "ci_low": {"id": "IK bawah", "en": "CI low"},
    "ci_high": {"id": "IK atas", "en": "CI high"},
    "se": {"id": "Galat baku", "en": "Standard error"},
    "n_clusters": {"id": "Jumlah sesi (klaster)", "en": "Sessions (clusters)"},
    "design_effect": {"id": "Efek desain", "en": "Design effect"},
    "p_value": {"id": "Nilai p", "en": "p-value"},
}


def label(key: str, lang: str = "id", extra: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Return the label of ``key`` in ``lang``; the key itself when none is known.

    Parameters
    ----------
    key : str
        A code of the data model or a heading key.
    lang : {"id", "en"}
        Language; Indonesian by default.
    extra : mapping, optional
        A module's own labels, looked up before the shared ones.
    """
    check_one_of("lang", lang, LANGUAGES)
    for table in (extra or {}, LABELS):
        if key in table:
            return table[key][lang]
    return str(key)


def relabel(
    keys: Iterable[str], lang: str = "id", extra: Mapping[str, Mapping[str, str]] | None = None
) -> list[str]:
    """Label every key of ``keys`` (see :func:`label`)."""
    return [label(k, lang, extra) for k in keys]


_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d)")


def localize_numbers(text: str, lang: str = "id") -> str:
    """Write the numbers in ``text`` the way ``lang`` does: Indonesian 1.234.567,89.

    ``text`` is written the English way (``f"{x:,.2f}"``); in Indonesian the separators
    between digits are swapped. Other commas and full stops (punctuation) are left alone.

    Examples
    --------
    >>> localize_numbers("Rp 1,231,722; BCR 0.42, ROI -58%.")
    'Rp 1.231.722; BCR 0,42, ROI -58%.'
    >>> localize_numbers("BCR 0.42", lang="en")
    'BCR 0.42'
    """
    check_one_of("lang", lang, LANGUAGES)
    if lang == "en":
        return text
    return _SEPARATOR.sub(lambda m: "." if m.group(0) == "," else ",", text)


def format_p(p, lang: str = "id", *, prefix: bool = True):
    """A p-value as the course and the report write it: ``p < 0,001``, else three decimals.

    Below 0.001 the value is written as a bound (``p < 0,001`` / ``p < 0.001``), never as
    ``0,000`` or ``0.0``; otherwise with three decimals, in ``lang``'s style. A missing
    value is an en dash.

    Parameters
    ----------
    p : float or array-like
        One p-value, or many (a Series, array or list: formatted in one vectorised pass).
    lang : {"id", "en"}
        Indonesian writes a decimal comma.
    prefix : bool
        Write ``p = 0,023`` / ``p < 0,001`` (for sentences); False gives ``0,023`` /
        ``< 0,001`` (for a table column headed "p").

    Returns
    -------
    str, or pandas.Series of str
        A string for a scalar; a Series (same index for a Series) for many.

    Examples
    --------
    >>> format_p(0.0004), format_p(0.0004, "en"), format_p(0.02349, "en")
    ('p < 0,001', 'p < 0.001', 'p = 0.023')
    >>> format_p(0.001, prefix=False), format_p(float("nan"))
    ('0,001', '–')
    >>> format_p([0.5, 1e-12, None], "id", prefix=False).tolist()
    ['0,500', '< 0,001', '–']
    """
    import numpy as np
    import pandas as pd

    check_one_of("lang", lang, LANGUAGES)
    scalar = np.ndim(p) == 0
    values = pd.Series([p] if scalar else p, dtype="object")
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    if ((x < 0) | (x > 1)).any():
        raise ValueError("a p-value lies between 0 and 1.")
    sep = "," if lang == "id" else "."
    three = x.round(3).map(lambda v: f"{v:.3f}", na_action="ignore").astype("str")
    three = three.str.replace(".", sep, regex=False)
    head_eq, head_lt = ("p = ", "p < ") if prefix else ("", "< ")
    out = pd.Series(
        np.where(x < 0.001, f"{head_lt}0{sep}001", head_eq + three),
        index=values.index,
        dtype="str",
    )
    out = out.where(x.notna(), "–")
    if isinstance(p, pd.Series):
        out.index = p.index
    return out.iloc[0] if scalar else out


_DAYS = {
    "mon": ("Senin", "Monday"), "tue": ("Selasa", "Tuesday"), "wed": ("Rabu", "Wednesday"),
    "thu": ("Kamis", "Thursday"), "fri": ("Jumat", "Friday"), "sat": ("Sabtu", "Saturday"),
    "sun": ("Minggu", "Sunday"),
}  # fmt: skip
_SLOT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)_([01]\d|2[0-3])([0-5]\d)$")


def slot_label(code: str, lang: str = "id") -> str:
    """A weekly slot written for people: ``sat_0800`` is ``Sabtu 08.00`` (``Saturday 08:00``).

    Codes of the ``day_HHMM`` form (English three-letter day, 24-hour start time) are
    written out; any other code an office uses is shown as it is.

    Examples
    --------
    >>> slot_label("sat_0800"), slot_label("sat_0800", "en"), slot_label("senin_pagi")
    ('Sabtu 08.00', 'Saturday 08:00', 'senin_pagi')
    """
    check_one_of("lang", lang, LANGUAGES)
    m = _SLOT.match(str(code))
    if m is None:
        return str(code)
    day = _DAYS[m.group(1)][0 if lang == "id" else 1]
    sep = "." if lang == "id" else ":"
    return f"{day} {m.group(2)}{sep}{m.group(3)}"
