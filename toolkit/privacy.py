"""Personal data: NIP checks, keyed pseudonyms, and turning a raw roster into participants.

A civil servant's NIP (Nomor Induk Pegawai) has 18 digits:

========  =====================================
digits    meaning
========  =====================================
1–8       birth date, YYYYMMDD
9–14      first appointment (TMT CPNS), YYYYMM
15        sex: 1 male, 2 female
16–18     serial number, 001–999
========  =====================================

A NIP alone therefore reveals birth date, appointment month and sex: it is personal data
under UU 27/2022 (Pelindungan Data Pribadi). The toolkit never analyses raw NIPs: they are
replaced by a keyed hash (HMAC-SHA256) before anything else happens, and names are dropped.
The key is a secret the office keeps (argument or the ``TOOLKIT_PSEUDONYM_KEY`` environment
variable); there is no default key, so pseudonyms cannot be recomputed by someone who only
has the toolkit and a list of NIPs.

Examples
--------
>>> parse_nip(["198503122010012001"])[["birth_date", "appointment", "sex"]]
  birth_date appointment sex
0 1985-03-12     2010-01   F
>>> pseudonymize_nip(["198503122010012001"], key="rahasia-kantor-tanjungpinang")
array(['P-7995e673046980b6'], dtype=object)
"""

from __future__ import annotations

import hmac
import os
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "KEY_ENV",
    "MIN_KEY_LENGTH",
    "NipError",
    "parse_nip",
    "nip_problems",
    "nip_digits",
    "pseudonymize_nip",
    "pseudonymize_identity",
    "keyed_codes",
    "resolve_key",
    "age_band",
]

#: Environment variable read when no key is passed.
KEY_ENV = "TOOLKIT_PSEUDONYM_KEY"

#: Length of the hexadecimal part of a pseudonym (64 bits: collisions are negligible even for
#: millions of people; a collision is detected and raised anyway).
PSEUDONYM_HEX = 16


class NipError(ValueError):
    """Raised when NIPs fail the structural check; ``problems`` lists each bad one."""

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems
        lines = [
            f"  position {row.position}: {row.reason}"
            for row in problems.head(20).itertuples(index=False)
        ]
        more = len(problems) - 20
        tail = [f"  … and {more} more"] if more > 0 else []
        super().__init__(
            f"{len(problems)} value(s) are not valid 18-digit NIPs "
            "(values are not shown, as they are personal data):\n" + "\n".join(lines + tail)
        )


def nip_digits(values: Iterable) -> pd.Series:
    """NIPs as their digits: blanks, dots, hyphens and apostrophes removed, empty for missing.

    Spreadsheets store NIPs with spaces or dots ("19850312 201001 2 001"); this is the text
    every NIP function checks and hashes.

    Examples
    --------
    >>> nip_digits(["1985.0312.2010.01.2.001", None]).tolist()
    ['198503122010012001', '']
    """
    s = pd.Series(list(values) if not isinstance(values, pd.Series) else values, dtype=object)
    s = s.reset_index(drop=True)
    # Spreadsheets store NIPs as numbers or with spaces ("19850312 201001 2 001").
    text = s.where(s.notna(), "").astype("str")
    for mark in (" ", "\t", "\n", "\r", "\u00a0", ".", "-", "'"):  # plain (Arrow) replaces
        text = text.str.replace(mark, "", regex=False)
    return text


def nip_problems(values: Iterable) -> pd.DataFrame:
    """Check NIP structure; return one row per invalid value (position and reason).

    Checks, vectorised: 18 digits; birth date a real date; appointment a real month after
    the birth month; sex digit 1 or 2; serial 001–999. Raw values are *not* echoed back.

    Examples
    --------
    >>> nip_problems(["198503122010012001", "19850312201001200", "198502302010012001"])
       position                                           reason
    0         2                        not 18 digits (17 digits)
    1         3  digits 1–8 are not a real birth date (YYYYMMDD)
    """
    text = nip_digits(values)
    reasons = pd.Series("", index=text.index, dtype="str")
    is18 = text.str.fullmatch(r"\d{18}")
    reasons[~is18] = "not 18 digits (" + text[~is18].str.len().astype(str) + " digits)"
    reasons[~is18 & ~text.str.fullmatch(r"\d*")] = "contains characters other than digits"
    reasons[text.eq("")] = "empty"
    ok = is18.copy()
    birth = pd.to_datetime(text.str[:8].where(ok), format="%Y%m%d", errors="coerce")
    bad = ok & birth.isna()
    reasons[bad] = "digits 1–8 are not a real birth date (YYYYMMDD)"
    ok &= ~bad
    appt = pd.to_datetime(text.str[8:14].where(ok) + "01", format="%Y%m%d", errors="coerce")
    bad = ok & (appt.isna() | (appt <= birth))
    reasons[bad] = "digits 9–14 are not an appointment month (YYYYMM) after the birth date"
    ok &= ~bad
    bad = ok & ~text.str[14].isin(["1", "2"])
    reasons[bad] = "digit 15 (sex) is not 1 or 2"
    ok &= ~bad
    bad = ok & text.str[15:18].eq("000")
    reasons[bad] = "digits 16–18 (serial) are 000"
    out = pd.DataFrame({"position": np.arange(1, len(text) + 1), "reason": reasons})
    return out[out["reason"] != ""].reset_index(drop=True)


def parse_nip(values: Iterable) -> pd.DataFrame:
    """Split valid NIPs into birth date, appointment month and sex.

    Raises
    ------
    NipError
        If any value is not a structurally valid NIP.

    Examples
    --------
    >>> parse_nip(["199001012015031002"]).loc[0, "sex"]
    'M'
    """
    problems = nip_problems(values)
    if len(problems):
        raise NipError(problems)
    text = nip_digits(values)
    return pd.DataFrame(
        {
            "birth_date": pd.to_datetime(text.str[:8], format="%Y%m%d"),
            "appointment": pd.PeriodIndex(text.str[8:12] + "-" + text.str[12:14], freq="M").astype(
                "str"
            ),
            "sex": np.where(text.str[14] == "1", "M", "F"),
        }
    )


#: Shortest key accepted: 16 characters (a short key can be guessed, and every pseudonym with it).
MIN_KEY_LENGTH = 16


def resolve_key(key: str | bytes | None) -> bytes:
    """The pseudonymisation key as bytes: normalised, and refused when missing or short.

    A text key is normalised to Unicode NFC and stripped of surrounding blanks and line
    breaks, so that the same key typed on another machine, pasted with a trailing newline or
    read from a file gives the same pseudonyms.

    Raises
    ------
    ValueError
        When there is no key, or it has fewer than 16 characters after normalisation.

    Examples
    --------
    >>> resolve_key("kunci-rahasia-kantor-2024\\n") == resolve_key(" kunci-rahasia-kantor-2024")
    True
    >>> resolve_key("x")
    Traceback (most recent call last):
    ...
    ValueError: The pseudonymisation key has 1 character(s); at least 16 are needed...
    """
    if key is None:
        key = os.environ.get(KEY_ENV)
    if key is None or len(key) == 0 or (isinstance(key, str) and not key.strip()):
        raise ValueError(
            "A pseudonymisation key is needed: pass key=... or set the environment variable "
            f"{KEY_ENV}. Use the same secret key every time, keep it out of shared files, and "
            "store it where the office keeps other secrets."
        )
    if isinstance(key, str):
        key = unicodedata.normalize("NFC", key).strip().encode("utf-8")
    else:
        key = bytes(key).strip()
    n = len(key.decode("utf-8", errors="replace"))
    if n < MIN_KEY_LENGTH:
        raise ValueError(
            f"The pseudonymisation key has {n} character(s); at least {MIN_KEY_LENGTH} are "
            "needed, so that it cannot be guessed. Choose a long random phrase and keep it "
            "secret."
        )
    return key


def pseudonymize_nip(values: Iterable, *, key: str | bytes | None = None) -> np.ndarray:
    """Map NIPs to stable keyed pseudonyms ``"P-" + 16 hex digits`` of HMAC-SHA256.

    Parameters
    ----------
    values : iterable of str or int
        NIPs. Spaces, dots and hyphens inside a NIP are ignored (spreadsheet formats).
    key : str or bytes, optional
        Secret key of at least 16 characters; when None, the ``TOOLKIT_PSEUDONYM_KEY``
        environment variable. There is no default key. The key is normalised first (Unicode
        NFC, surrounding blanks and line breaks removed; see :func:`resolve_key`).

    Returns
    -------
    numpy.ndarray of str
        One pseudonym per value, in order. The same NIP and key always give the same
        pseudonym; without the key a pseudonym cannot be linked back to a NIP.

    Raises
    ------
    NipError
        If a value is not a structurally valid NIP (the message gives positions, never values).
    ValueError
        If no key is given, the key is shorter than 16 characters, or two different NIPs
        collide (practically impossible).

    Notes
    -----
    pseudonym = "P-" + hex(HMAC-SHA256(key, nip))[:16]. A keyed hash, unlike a plain hash,
    cannot be reversed by hashing every possible NIP, because the key is unknown (the NIP
    space is small enough to enumerate, which makes plain hashes unsafe).

    References
    ----------
    Undang-Undang No. 27 Tahun 2022 tentang Pelindungan Data Pribadi. RFC 2104 (HMAC).

    Examples
    --------
    >>> pseudonymize_nip(["198503122010012001", "1985 0312 2010 01 2 001"],
    ...                  key="kunci-rahasia-kantor-2024")
    array(['P-6c8e23f504007458', 'P-6c8e23f504007458'], dtype=object)
    """
    secret = resolve_key(key)
    problems = nip_problems(values)
    if len(problems):
        raise NipError(problems)
    return keyed_codes(nip_digits(values), secret)


def keyed_codes(text: pd.Series, secret: bytes, prefix: str = "") -> np.ndarray:
    """``"P-" + hex(HMAC-SHA256(secret, prefix + value))[:16]`` of each value, once per value.

    The HMAC's key schedule is computed once and copied for every distinct value; empty
    values give an empty string. Raises ValueError if two values collide.

    Examples
    --------
    >>> keyed_codes(pd.Series(["198503122010012001"]), b"kunci-rahasia-kantor-2024")
    array(['P-6c8e23f504007458'], dtype=object)
    """
    codes, uniq = pd.factorize(text.astype("str"), sort=False)
    digest = hmac.digest  # one C call per value (OpenSSL's one-shot HMAC)
    n = PSEUDONYM_HEX // 2
    arr = np.array(
        [
            "P-" + digest(secret, (prefix + v).encode(), "sha256")[:n].hex() if v else ""
            for v in uniq.tolist()  # one bulk conversion, not one per element
        ],
        dtype=object,
    )
    if len(set(arr)) != len(arr):
        raise ValueError("Two different values received the same pseudonym; use a different key.")
    return arr[codes]


def pseudonymize_identity(
    values: Iterable, *, kind: str, key: str | bytes | None = None
) -> np.ndarray:
    """Keyed pseudonyms of e-mail addresses or names, for exports that have no NIP.

    Parameters
    ----------
    values : iterable of str
        E-mail addresses (compared in lower case, blanks removed) or names (lower case,
        single blanks).
    kind : {"email", "name"}
        What the values are; part of the hashed text, so an e-mail and a name never give
        the same pseudonym.
    key : str or bytes, optional
        As for :func:`pseudonymize_nip`.

    Returns
    -------
    numpy.ndarray of str
        ``"P-" + 16 hex digits`` of HMAC-SHA256(key, kind + ":" + value); empty values give
        an empty string (the caller reports them).

    Notes
    -----
    A form identified by e-mail links to the participants table only if the participants
    were pseudonymised from the same e-mail; NIPs are the better key (:func:`read_roster`).

    Examples
    --------
    >>> a = pseudonymize_identity(["Budi@Kantor.go.id "], kind="email",
    ...                           key="kunci-rahasia-kantor-2024")
    >>> b = pseudonymize_identity(["budi@kantor.go.id"], kind="email",
    ...                           key="kunci-rahasia-kantor-2024")
    >>> bool(a[0] == b[0]), a[0].startswith("P-")
    (True, True)
    """
    if kind not in ("email", "name"):
        raise ValueError(f"`kind` must be 'email' or 'name', but {kind!r} was passed.")
    secret = resolve_key(key)
    s = pd.Series(list(values), dtype="str").fillna("").str.lower().str.strip()
    s = s.str.replace(r"\s+", "" if kind == "email" else " ", regex=True)
    return keyed_codes(s, secret, prefix=f"{kind}:")


def age_band(birth_date: pd.Series, *, on: str | pd.Timestamp) -> pd.Series:
    """Age band (<30, 30-39, 40-49, 50+) of each birth date on the date ``on``.

    Examples
    --------
    >>> age_band(pd.Series(pd.to_datetime(["1994-01-02", "1994-01-01"])), on="2024-01-01")
    0      <30
    1    30-39
    dtype: str
    """
    on = pd.Timestamp(on)
    b = pd.to_datetime(birth_date)
    age = (
        on.year
        - b.dt.year
        - ((b.dt.month > on.month) | ((b.dt.month == on.month) & (b.dt.day > on.day)))
    )
    bands = pd.cut(age, [-np.inf, 29, 39, 49, np.inf], labels=["<30", "30-39", "40-49", "50+"])
    return pd.Series(bands.astype("str"), index=birth_date.index)
