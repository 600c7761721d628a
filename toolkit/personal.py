"""Recognising personal data in text: NIPs in any writing, NIKs, e-mail addresses, phones.

A participant may type a NIP into a comment ("NIP saya 19850312 201001 2 001"), a roster
exported from Excel may show a NIP as ``1.98503E+17``, and an id column may hold NIPs where
pseudonyms were expected. The toolkit never shows such values: free text is scrubbed before
it is analysed or displayed (:func:`scrub`), id columns are checked (:func:`looks_like_nip`),
and problem messages hide a value that contains personal data (:func:`redact`).

The patterns are deliberately broad: a run of 16 to 19 digits in any spacing (NIP: 18
digits; NIK, the population number: 16), a number in scientific notation of that size, an
e-mail address, and an Indonesian phone number (``08…``, ``+62 8…``, ``(021) …``).

Examples
--------
>>> scrub("NIP saya 19850312 201001 2 001, hubungi 0812-3456-7890 atau a.b@mail.go.id")
'NIP saya [data pribadi], hubungi [data pribadi] atau [data pribadi]'
>>> looks_like_nip(pd.Series(["P-1a2b", "1.98503E+17", "198503122010012001", "U01"])).tolist()
[False, True, True, False]
>>> redact("198503122010012001")
'(not shown: personal data)'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = [
    "PLACEHOLDER",
    "HIDDEN",
    "PERSONAL",
    "looks_like_nip",
    "scrub",
    "scrub_series",
    "redact",
    "contains",
]

#: What replaces personal data in free text.
PLACEHOLDER = "[data pribadi]"
#: What a problem message shows instead of a value that contains personal data.
HIDDEN = "(not shown: personal data)"

# A NIP (18 digits), NIK (16), or one with a digit too few or too many, written with one
# kind of separator or none: "19850312 201001 2 001", "1985.0312.2010.01.2.001". The digits
# are counted after matching; a toolkit pseudonym ("P-" + 16 hex digits) is not one.
_NUMBER = r"(?<![\w.,])(?<!\bP-)\d+(?:(?P<sep>[ \t.\-/'])\d+(?:(?P=sep)\d+)*)?(?![\w]|[.,]\d)"
_SCIENTIFIC = r"(?<![\w.])\d[.,]\d+\s?[eE]\+?1[5-9](?![\w])"  # 1.98503E+17: a NIP Excel rounded
_EMAIL = r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
_PHONE = (
    # mobile: 0812-3456-7890, +62 812 3456 7890, 081234567890
    r"(?<![\w+.])(?<!\bP-)(?:\+62[ \-]?|(?<!\d)62|(?<!\d)0)8\d{1,3}(?P<msep>[ .\-]?)\d{3,4}"
    r"(?P=msep)\d{2,5}(?![\w]|[.,]\d)"
    r"|(?<![\w])\(0\d{1,3}\)[ .\-]?\d{2,4}[ .\-]?\d{2,5}(?![\w]|[.,]\d)"  # (0771) 312345
    r"|(?<![\w.])0\d{1,3}-\d{5,8}(?![\w]|[.,]\d)"  # 021-5551234
)
#: Candidates for personal data; :func:`contains` and :func:`scrub` keep the real ones.
PERSONAL = re.compile(
    f"(?P<email>{_EMAIL})|(?P<sci>{_SCIENTIFIC})|(?P<phone>{_PHONE})|(?P<number>{_NUMBER})"
)


def _personal(match: re.Match) -> bool:
    if match.group("number") is None:
        return True
    number, sep = match.group("number"), match.group("sep")
    if sep in {".", ","} and number.count(sep) == 1:
        return False  # a decimal number such as 81.2270588303163
    digits = sum(ch.isdigit() for ch in number)
    return 16 <= digits <= 19


def _replace(match: re.Match) -> str:
    return PLACEHOLDER if _personal(match) else match.group(0)


def scrub(text: str) -> str:
    """Replace NIPs, NIKs, e-mail addresses and phone numbers in ``text`` by a placeholder.

    Examples
    --------
    >>> scrub("Materi bagus. NIK 3171 0123 4567 8901, telp (021) 555-1234")
    'Materi bagus. NIK [data pribadi], telp [data pribadi]'
    >>> scrub("Durasi 20 JP terlalu singkat untuk 2024; skor 402.968973 206.5904")
    'Durasi 20 JP terlalu singkat untuk 2024; skor 402.968973 206.5904'
    """
    return PERSONAL.sub(_replace, text)


def scrub_series(text: pd.Series) -> tuple[pd.Series, int]:
    """Scrub a text column; return it and how many cells changed.

    Only cells with an ``@`` or at least eight digits (a vectorised count) are scrubbed one
    by one.

    Examples
    --------
    >>> out, n = scrub_series(pd.Series(["baik", "wa 081234567890", None]))
    >>> out.tolist(), n
    (['baik', 'wa [data pribadi]', nan], 1)
    """
    candidate = (text.str.count(r"\d").fillna(0) >= 8) | text.str.contains("@", regex=False)
    candidate = candidate.fillna(False).astype(bool)
    if not candidate.any():
        return text, 0
    out = text.copy()
    out[candidate] = text[candidate].map(scrub)
    changed = int((out[candidate] != text[candidate]).sum())
    return out, changed


def contains(value: object) -> bool:
    """Whether the text of ``value`` contains personal data.

    Examples
    --------
    >>> contains("x@y.id"), contains("U01"), contains(198503122010012001)
    (True, False, True)
    >>> contains('<svg viewBox="0 0 402.968973 206.5904">'), contains("0.81227058830316301")
    (False, False)
    """
    if value is None:
        return False
    return any(_personal(m) for m in PERSONAL.finditer(str(value)))


def redact(value: object) -> object:
    """``value`` unchanged, or :data:`HIDDEN` when it contains personal data.

    Examples
    --------
    >>> redact("U01"), redact("P-0123456789012345"), redact("1985 0312 2010 01 2 001")
    ('U01', 'P-0123456789012345', '(not shown: personal data)')
    """
    return HIDDEN if contains(value) else value


def looks_like_nip(text: pd.Series) -> np.ndarray:
    """Cells that are a NIP or NIK in any writing (spaces, dots, 16–19 digits, ``E+`` form).

    Examples
    --------
    >>> looks_like_nip(pd.Series(["1985.0312.2010.01.2.001", "19850312201001200", "2024"]))
    array([ True,  True, False])
    """
    s = text.astype("str").str.strip()
    long = s.str.len() >= 11  # the shortest form, 1.98503E+17, has 11 characters
    if not long.any():
        return np.zeros(len(s), dtype=bool)
    s = s.where(long, "")
    digits = s.str.count(r"\d")
    number = s.str.fullmatch(_NUMBER) & digits.between(16, 19)
    whole = number | s.str.fullmatch(_SCIENTIFIC)
    return whole.fillna(False).to_numpy(dtype=bool)
