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


def test_indonesian_labels_never_write_sk_for_an_interval():
    # "SK" reads as Surat Keputusan to a civil servant: intervals are "IK" (interval
    # kepercayaan), and "selang kepercayaan" is not used beside it
    import re

    offenders = {
        f"{where}[{key!r}]": texts["id"]
        for where, table in DICTS.items()
        for key, texts in table.items()
        if isinstance(texts, dict)
        and re.search(r"\bSK\b|\bCI\b|[Ss]elang kepercayaan", str(texts.get("id", "")))
    }
    assert not offenders, offenders
    assert label("ci_short") == "IK 95%" and label("ci").endswith("(IK) 95%")


@pytest.mark.parametrize(
    ("p", "lang", "prefix", "expected"),
    [
        (0.0, "id", True, "p < 0,001"),
        (0.0009999, "en", True, "p < 0.001"),
        (1e-300, "id", False, "< 0,001"),
        (0.001, "id", True, "p = 0,001"),  # 0.001 itself is not below 0.001
        (0.0234, "id", True, "p = 0,023"),
        (0.0235, "en", False, "0.024"),  # three decimals, rounded half to even
        (0.04999, "en", True, "p = 0.050"),
        (1.0, "id", False, "1,000"),
        (float("nan"), "en", True, "–"),
        (None, "id", True, "–"),
    ],
)
def test_format_p(p, lang, prefix, expected):
    from toolkit.i18n import format_p

    assert format_p(p, lang, prefix=prefix) == expected


@given(st.floats(min_value=0, max_value=1))
def test_format_p_never_prints_zero(p):
    from toolkit.i18n import format_p

    for lang in LANGUAGES:
        text = format_p(p, lang)
        assert text not in {"p = 0,000", "p = 0.000"} and "0.0 " not in text + " "
        if p < 0.001:
            assert text == ("p < 0,001" if lang == "id" else "p < 0.001")
        else:
            assert float(text[4:].replace(",", ".")) == pytest.approx(p, abs=0.0005 + 1e-12)


def test_format_p_vectorised_keeps_the_index():
    import pandas as pd

    from toolkit.i18n import format_p

    s = pd.Series([0.2, 0.00001, float("nan")], index=["a", "b", "c"])
    out = format_p(s, "id", prefix=False)
    assert out.to_dict() == {"a": "0,200", "b": "< 0,001", "c": "–"}
    with pytest.raises(ValueError, match="between 0 and 1"):
        format_p([0.5, 1.5])


def test_indonesian_course_prose_uses_one_term_per_concept():
    # IK (never SK, read as Surat Keputusan), pendorong wajib, data contoh, titik impas
    import re

    from course import editions

    banned = re.compile(
        r"\bSK 95|[Ss]elang kepercayaan|[Ff]aktor pendorong|[Dd]ata sampel|titik pengembalian"
    )
    paths = editions.sources()  # the bilingual sources, course/notebooks/*.md
    assert paths
    offenders = {}
    for path in paths:
        nb = editions.read_source(path)
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "markdown" and "lang-en" not in tags:
                hits = banned.findall(cell.source)
                if hits:
                    offenders.setdefault(path.name, []).extend(hits)
    assert not offenders, offenders
