"""Every label the toolkit shows exists in Indonesian and in English."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

import toolkit
from toolkit.i18n import LABELS, LANGUAGES, label


def _label_dicts():
    found = {}
    for info in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.isupper() and name.endswith("LABELS") and isinstance(value, dict):
                found[f"{info.name}.{name}"] = value
    return found


DICTS = _label_dicts()


def test_label_dicts_are_found():
    # guards the next test against silently checking nothing
    assert "toolkit.i18n.LABELS" in DICTS
    assert "toolkit.plots.roi.LABELS" in DICTS
    assert "toolkit.report.sections.reaction.LABELS" in DICTS
    assert len(DICTS) >= 25


@pytest.mark.parametrize("where", sorted(DICTS))
def test_every_key_has_both_languages(where):
    missing = {
        key: sorted(set(LANGUAGES) - {k for k, v in texts.items() if str(v).strip()})
        for key, texts in DICTS[where].items()
        if not isinstance(texts, dict) or set(LANGUAGES) - {k for k, v in texts.items() if v}
    }
    assert not missing, f"{where}: keys without a text in every language: {missing}"


def test_codes_of_the_data_model_are_labelled():
    from toolkit.schema import ABSENCE_REASONS, METHODS, PROVIDERS, SCHEDULES

    for code in (*METHODS, *PROVIDERS, *SCHEDULES, *ABSENCE_REASONS):
        assert code in LABELS, code
        assert label(code, "id") != label(code, "en") or code in {
            "seminar",
            "e_learning",
            "internal",
        }


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="must be one of 'id', 'en'"):
        label("workshop", lang="fr")


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_localized_numbers_read_back_the_indonesian_way(x):
    import pandas as pd

    from toolkit.i18n import localize_numbers
    from toolkit.readers import parse_numbers

    text = localize_numbers(f"{x:,.2f}", "id")
    assert "," in text  # the decimal comma
    values, bad = parse_numbers(pd.Series([text]), integer=False)
    assert not bad.iloc[0] and values.iloc[0] == pytest.approx(x, abs=1e-6)
