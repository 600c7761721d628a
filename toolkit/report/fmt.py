"""Numbers as the report writes them: one way per kind, in the report's language.

Indonesian writes ``1.284`` and ``6,0``; English ``1,284`` and ``6.0``. Negative numbers
take a true minus sign (``−``), intervals are always written ``low s.d. high`` (Indonesian)
or ``low to high`` (English), percentages without a space (``82%``), money in rupiah with
the scale word (``Rp 402,1 juta``). Missing values are an en dash.

Examples
--------
>>> number(1284.456, 1), number(1284.456, 1, lang="en")
('1.284,5', '1,284.5')
>>> number(-0.25, 2, sign=True), number(0.25, 2, sign=True)
('−0,25', '+0,25')
>>> percent(81.96), percent(0.5, 1, lang="en")
('82%', '0.5%')
>>> interval(-3.04, 0.4, 1), interval(-3.04, 0.4, 1, lang="en")
('−3,0 s.d. 0,4', '−3.0 to 0.4')
>>> rupiah(402_123_456), rupiah(2_956_100_000, lang="en"), rupiah(950_000)
('Rp 402,1 juta', 'Rp 2.96 billion', 'Rp 950.000')
>>> count(12345), number(float("nan"))
('12.345', '–')
>>> date("2024-03-04"), date("2024-03-04", lang="en")
('4 Maret 2024', '4 March 2024')
"""

from __future__ import annotations

import math

from toolkit.i18n import localize_numbers

__all__ = ["MISSING", "count", "date", "interval", "number", "percent", "rupiah", "to_float"]

#: What a missing value looks like in the report.
MISSING = "–"
_MINUS = "−"


def _missing(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def number(x, decimals: int = 1, lang: str = "id", *, sign: bool = False) -> str:
    """``x`` with ``decimals`` decimals and thousands separators, in ``lang``'s style."""
    if _missing(x):
        return MISSING
    x = float(x)
    if math.isinf(x):
        return ("" if x > 0 else _MINUS) + "∞"
    text = f"{abs(x):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        x = 0.0  # no "−0,0"
    prefix = _MINUS if x < 0 else ("+" if sign and x > 0 else "")
    return prefix + localize_numbers(text, lang)


def count(n, lang: str = "id") -> str:
    """A whole number with thousands separators."""
    return number(n, 0, lang)


def percent(x, decimals: int = 0, lang: str = "id", *, sign: bool = False) -> str:
    """``x`` (already in percent) followed by ``%``."""
    text = number(x, decimals, lang, sign=sign)
    return text if text == MISSING else text + "%"


def interval(low, high, decimals: int = 1, lang: str = "id", *, suffix: str = "") -> str:
    """A confidence interval, written the report's one way."""
    if _missing(low) or _missing(high):
        return MISSING
    word = {"id": "s.d.", "en": "to"}[lang]
    return f"{number(low, decimals, lang)}{suffix} {word} {number(high, decimals, lang)}{suffix}"


_SCALES = {
    "id": ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta")),
    "en": ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")),
}


def rupiah(x, lang: str = "id", *, exact: bool = False) -> str:
    """An amount in rupiah: ``Rp 402,1 juta`` (or every digit with ``exact``)."""
    if _missing(x):
        return MISSING
    x = float(x)
    sign = _MINUS if x < 0 else ""
    if not exact:
        for size, word in _SCALES[lang]:
            if abs(x) >= size:
                digits = 2 if abs(x) / size < 10 else 1
                return f"{sign}Rp {number(abs(x) / size, digits, lang)} {word}"
    return f"{sign}Rp {number(abs(x), 0, lang)}"


_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip


def date(value, lang: str = "id") -> str:
    """A calendar date written out: ``4 Maret 2024``."""
    import pandas as pd

    if value is None or pd.isna(value):
        return MISSING
    ts = pd.Timestamp(value)
    return f"{ts.day} {_MONTHS[lang][ts.month - 1]} {ts.year}"


def to_float(text: str, lang: str = "id") -> float:
    """Read back a number written by this module (tests use it).

    Examples
    --------
    >>> to_float("−1.284,5"), to_float("+0.25", lang="en"), to_float("82%")
    (-1284.5, 0.25, 82.0)
    """
    t = text.strip().rstrip("%").replace(_MINUS, "-").replace("+", "")
    t = t.replace(".", "").replace(",", ".") if lang == "id" else t.replace(",", "")
    return float(t)
