"""NIP checks, keyed pseudonyms and the raw roster."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE
from hypothesis import given
from hypothesis import strategies as st

from toolkit.data import DataError, read_roster
from toolkit.privacy import KEY_ENV, NipError, age_band, nip_problems, parse_nip, pseudonymize_nip

VALID = "198503122010012001"
KEY = "kunci-rahasia-kantor-2024"


def test_pseudonym_matches_openssl():
    # Independent reference, computed outside Python:
    #   $ printf '198503122010012001' | openssl dgst -sha256 -hmac kunci-rahasia-kantor-2024
    #   SHA2-256(stdin)= 6c8e23f504007458c68bda27ff021937f3a41c5ca3a2d790755f812a370d9ac6
    assert pseudonymize_nip([VALID], key=KEY)[0] == "P-6c8e23f504007458"


def test_hmac_primitive_against_rfc4231_vector():
    # RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"
    import hmac

    digest = hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest()
    assert digest == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"


def test_same_nip_same_pseudonym_and_formats_are_equivalent():
    out = pseudonymize_nip([VALID, "1985 0312 2010 01 2 001", int(VALID), "1985.0312.2010.01.2.001"],
                           key=KEY)  # fmt: skip
    assert len(set(out)) == 1
    assert re.fullmatch(r"P-[0-9a-f]{16}", out[0])


def test_key_changes_the_pseudonym():
    assert pseudonymize_nip([VALID], key=KEY)[0] != pseudonymize_nip([VALID], key=KEY + "x")[0]


def test_no_default_key(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(ValueError, match=KEY_ENV):
        pseudonymize_nip([VALID])


def test_key_from_environment(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    assert pseudonymize_nip([VALID])[0] == "P-6c8e23f504007458"


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("19850312201001200", "not 18 digits"),
        ("1985031220100120011", "not 18 digits"),
        ("19850312201001200A", "other than digits"),
        ("198502302010012001", "birth date"),
        ("198503122010132001", "appointment month"),
        ("198503121980012001", "appointment month"),  # appointed before birth
        ("198503122010013001", "digit 15"),
        ("198503122010012000", "serial"),
        ("", "empty"),
    ],
)
def test_structure_problems(nip, reason):
    problems = nip_problems([VALID, nip])
    assert problems["position"].tolist() == [2]
    assert reason in problems.loc[0, "reason"]
    with pytest.raises(NipError) as info:
        pseudonymize_nip([VALID, nip], key=KEY)
    if nip:
        assert nip not in str(info.value), "NIPs are personal data: never echo them"


def test_parse_nip_fields():
    parts = parse_nip(["199912312022031001", VALID])
    assert parts["birth_date"].dt.strftime("%Y-%m-%d").tolist() == ["1999-12-31", "1985-03-12"]
    assert parts["appointment"].tolist() == ["2022-03", "2010-01"]
    assert parts["sex"].tolist() == ["M", "F"]


def test_age_band_boundaries():
    births = pd.Series(pd.to_datetime(["1994-01-01", "1994-01-02", "1974-01-01", "1974-01-02"]))
    # on 2024-01-01: exactly 30, one day short of 30, exactly 50, one day short of 50
    assert age_band(births, on="2024-01-01").tolist() == ["30-39", "<30", "50+", "40-49"]


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=30))
def test_pseudonyms_are_a_function_of_the_nip(serials):
    nips = [f"19800101200501{1 + s % 2}{1 + s % 999:03d}" for s in serials]
    out = pseudonymize_nip(nips, key=KEY)
    mapping = {}
    for nip, code in zip(nips, out, strict=True):
        assert mapping.setdefault(nip, code) == code
    assert len(set(mapping.values())) == len(mapping)


# --------------------------------------------------------------------------- the roster


SAMPLE_KEY = "contoh-kunci-data-sintetis"  # the synthetic sample's documented demo key


def test_roster_becomes_the_sample_participants(sample):
    from toolkit.synth import SAMPLE_KEY as key

    assert key == SAMPLE_KEY
    people = read_roster(SAMPLE / "raw" / "roster.xlsx", key=key, on="2024-01-01")
    expected = sample.participants.set_index("participant_id").loc[
        people["participant_id"].astype(str)
    ]
    got = people.set_index("participant_id")
    for col in ["unit_id", "position_type", "grade", "sex", "age_band"]:
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col


def test_roster_output_has_no_nip_or_name():
    from toolkit.synth import SAMPLE_KEY as key

    raw = pd.read_excel(SAMPLE / "raw" / "roster.xlsx", dtype=str)
    people = read_roster(SAMPLE / "raw" / "roster.xlsx", key=key)
    text = people.to_csv()
    assert not any(n in text for n in raw["nip"])
    assert not any(n in text for n in raw["nama"])
    assert "nip" not in people.columns and "nama" not in people.columns


def test_shipped_tables_hold_no_nip():
    nip_like = re.compile(r"(?<!\d)(19|20)\d{6}(19|20)\d{4}[12]\d{3}(?!\d)")
    for path in sorted(SAMPLE.glob("*.csv")) + [SAMPLE / "truth.json"]:
        assert not nip_like.search(path.read_text(encoding="utf-8")), path.name
    json.loads((SAMPLE / "truth.json").read_text())


def test_roster_with_bad_nip_names_rows_not_values(tmp_path):
    roster = pd.DataFrame(
        {
            "nip": [VALID, "198502302010012001"],
            "nama": ["Siti", "Budi"],
            "unit_id": ["U01", "U01"],
            "position_type": ["pelaksana", "fungsional"],
            "grade": ["III", "III"],
        }
    )
    path = tmp_path / "roster.csv"
    roster.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_roster(path, key=KEY)
    hit = info.value.problems.iloc[0]
    assert (hit["file"], hit["row"], hit["column"]) == ("roster.csv", 3, "nip")
    assert "birth date" in hit["expected"]
    assert "198502302010012001" not in str(info.value)


def test_roster_sex_column_must_agree_with_the_nip(tmp_path):
    path = tmp_path / "roster.csv"
    pd.DataFrame(
        {"nip": [VALID], "unit_id": ["U01"], "position_type": ["executor"], "grade": ["III"],
         "sex": ["L"]}  # NIP digit 15 is 2 (female), the column says laki-laki
    ).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(DataError, match="sex coded in NIP digit 15"):
        read_roster(path, key=KEY)


def test_roster_missing_column(tmp_path):
    path = tmp_path / "roster.csv"
    pd.DataFrame({"NIP": [VALID], "unit": ["U01"], "position_type": ["executor"],
                  "grade": ["III"]}).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(DataError, match="rename column 'unit' to 'unit_id'"):
        read_roster(path, key=KEY)


def test_pseudonyms_are_unique_in_the_sample(sample):
    ids = sample.participants["participant_id"].astype(str)
    assert ids.is_unique and ids.str.fullmatch(r"P-[0-9a-f]{16}").all()
    assert np.all(ids.str.len() == 18)
