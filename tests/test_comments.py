"""Theme coding of Indonesian comments: crafted sentences, morphology, counts and quotes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

import toolkit
from toolkit import comments as cm
from toolkit.comments import (
    THEMES,
    UNCODED,
    code_themes,
    example_quotes,
    theme_counts,
)
from toolkit.i18n import LANGUAGES

HSET = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def frame(texts, session="S1"):
    return pd.DataFrame(
        {
            "participant_id": [f"P{i:02d}" for i in range(len(texts))],
            "session_id": session,
            "text": texts,
        }
    )


def themes_of(text):
    out = code_themes(frame([text]))
    return set(out["theme"].astype(str)) - {UNCODED}


# One sentence per theme that must fire, written as participants write.
FIRES = {
    "time_schedule": [
        "Waktunya terlalu singkat",
        "Jadwal bentrok dengan rapat kantor",
        "mohon dijadwalkan ulang",
        "Acaranya sering ditunda",
        "Kurangnya waktu karena keterbatasan jadwal kerja",
    ],
    "speaker": [
        "Narasumbernya sangat menguasai",
        "pemateri kurang komunikatif",
        "Widyaiswara menyampaikan dengan jelas",
        "pelatihnya ramah",
    ],
    "materials": ["Materinya lengkap", "Modul dibagikan terlambat", "tolong kirim slide-nya"],
    "facilities": ["Ruangannya panas, AC mati", "Konsumsi enak", "Proyektor buram"],
    "online_delivery": ["Sinyal zoom putus-putus", "E-learning sering error", "elearning lambat"],
    "relevance": [
        "Sangat bermanfaat",
        "Materi bisa diterapkan di kantor",
        "penerapannya jelas",
        "Sesuai dengan tugas saya",
        "Relevan dgn tupoksi",
    ],
    "method_practice": [
        "Lebih banyak praktik",
        "Perbanyak studi kasus",
        "mempraktikkan langsung sangat membantu",
        "Simulasi penanganan bencana seru",
        "berdiskusi dalam kelompok",
        "terlalu banyak teori, membosankan",
        "Materi terlalu teoritis",
    ],
    "organisation": ["Panitia sigap", "Penyelenggaraannya rapi", "Sertifikat belum terbit"],
    "budget_cost": ["Anggaran terbatas", "biaya transportasi tidak diganti", "pendanaan kurang"],
    "follow_up": [
        "Mohon ada pelatihan lanjutan",
        "Perlu tindak lanjut",
        "agar berkelanjutan",
        "semoga pelatihan seperti ini terus diadakan",
    ],
}

# Near misses that must stay silent for the named theme.
SILENT = {
    "speaker": ["Pelatihan ini bagus", "pelatihannya oke"],  # pelatih-an = training
    "time_schedule": ["Selama pelatihan lancar", "Kesempatan yang baik", "pagi yang cerah"],
    "relevance": ["Seperti terapi saja", "mudah digunakan"],
    "materials": ["Pemateri hebat"],  # pe-materi is the speaker
    "facilities": ["memakan tenaga", "acara meriah"],  # makan needs no prefix; ac ≠ acara
    "method_practice": ["Pelatihan yang baik"],
}


@pytest.mark.parametrize(("theme", "text"), [(t, s) for t, texts in FIRES.items() for s in texts])
def test_each_theme_fires(theme, text):
    assert theme in themes_of(text)


@pytest.mark.parametrize(("theme", "text"), [(t, s) for t, texts in SILENT.items() for s in texts])
def test_theme_stays_silent_on_near_misses(theme, text):
    assert theme not in themes_of(text)


def test_every_theme_has_a_firing_sentence():
    assert set(FIRES) == set(THEMES)


@pytest.mark.parametrize(
    "variant",
    ["MATERI", "materinya", "Materi.", "(materi)", "materi-materi", "bahan ajar", "bahan-ajar"],
)
def test_case_punctuation_and_suffix_variants(variant):
    assert "materials" in themes_of(f"Saya suka {variant} hari ini")


@pytest.mark.parametrize(
    "word", ["terapkan", "diterapkan", "menerapkan", "penerapan", "penerapannya", "terapkanlah"]
)
def test_prefix_and_nasal_assimilation(word):
    # root "terap": di-, meN- (t -> n), peN- (t -> n), -kan, -an, -nya, -lah
    assert "relevance" in themes_of(word)


def test_negation_flag():
    coded = code_themes(frame(["Materi kurang relevan", "Materi relevan", "tidak ada relevansi"]))
    rel = coded[coded.theme == "relevance"].set_index("participant_id")["negated"]
    assert rel.to_dict() == {"P00": True, "P01": False, "P02": True}
    # the negation word must come before the keyword, within two words
    far = code_themes(frame(["tidak setuju kalau dikatakan materinya buruk"]))
    assert not far.loc[far.theme == "materials", "negated"].item()


def test_uncoded_blank_and_missing_comments():
    texts = ["Bagus sekali", "-", "   ", None, "Terima kasih"]
    coded = code_themes(frame(texts))
    assert coded["participant_id"].tolist() == ["P00", "P04"]
    assert (coded["theme"] == UNCODED).all() and coded["keyword"].isna().all()


def test_output_shape_order_and_extra_columns():
    c = frame(["Waktu kurang, narasumber bagus", "AC panas"]).assign(method="workshop")
    coded = code_themes(c)
    assert list(coded.columns) == [
        "participant_id",
        "session_id",
        "method",
        "theme",
        "keyword",
        "negated",
    ]
    assert coded["theme"].astype(str).tolist() == ["time_schedule", "speaker", "facilities"]
    assert coded["keyword"].tolist() == ["waktu", "narasumber", "ac"]
    assert list(coded["theme"].cat.categories) == [*THEMES, UNCODED]


def test_custom_dictionary_and_validation():
    mine = {"leadership": {"id": "Kepemimpinan", "en": "Leadership", "keywords": ("pemimpin",)}}
    coded = code_themes(frame(["Pemimpinnya inspiratif", "Biasa"]), dictionary=mine)
    assert coded["theme"].astype(str).tolist() == ["leadership", UNCODED]
    with pytest.raises(ValueError, match="lacks"):
        code_themes(frame(["x"]), dictionary={"a": {"id": "A"}})
    with pytest.raises(ValueError, match="reserved"):
        code_themes(frame(["x"]), dictionary={UNCODED: {"id": "", "en": "", "keywords": ("x",)}})
    with pytest.raises(KeyError, match="`comments`"):
        code_themes(pd.DataFrame({"participant_id": ["P1"], "session_id": ["S1"]}))


# --------------------------------------------------------------------------------------
# theme_counts
# --------------------------------------------------------------------------------------
SENTENCES = [s for texts in FIRES.values() for s in texts] + ["Bagus", "Oke", "-"]


def random_comments(seed, n=60):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "participant_id": [f"P{i:03d}" for i in range(n)],
            "session_id": rng.choice(["S1", "S2", "S3"], n),
            "text": rng.choice(SENTENCES, n),
        }
    )


def test_theme_counts_match_crosstab_and_statsmodels():
    coded = code_themes(random_comments(1))
    out = theme_counts(coded, by="session_id", confidence=0.9)
    ref = pd.crosstab(coded["session_id"], coded["theme"], dropna=False)
    n_ref = coded.drop_duplicates(["participant_id", "session_id"]).groupby("session_id").size()
    got = out.pivot(index="session_id", columns="theme", values="count")
    pd.testing.assert_frame_equal(got, ref, check_names=False, check_dtype=False)
    np.testing.assert_array_equal(
        out.groupby("session_id")["n_comments"].first(), n_ref.reindex(got.index)
    )
    lo, hi = proportion_confint(out["count"], out["n_comments"], alpha=0.1, method="wilson")
    np.testing.assert_allclose(out["ci_low"], 100 * lo)
    np.testing.assert_allclose(out["ci_high"], 100 * hi)
    assert len(out) == 3 * (len(THEMES) + 1)  # every theme, zero counts kept


def test_theme_counts_counts_each_comment_once_per_theme():
    coded = code_themes(frame(["waktu dan jadwal dan jam", "Bagus"]))
    out = theme_counts(coded).set_index("theme")
    assert out.loc["time_schedule", "count"] == 1
    assert out.loc["time_schedule", "n_comments"] == 2
    assert out.loc["time_schedule", "pct"] == 50
    assert out.loc["speaker", "count"] == 0 and out.loc["speaker", "ci_low"] == 0
    # a comment listed twice (e.g. tables concatenated by mistake) still counts once
    pd.testing.assert_frame_equal(theme_counts(pd.concat([coded, coded])), theme_counts(coded))


@HSET
@given(st.integers(0, 10_000))
def test_property_counts_by_equal_per_group_and_ci_contains(seed):
    coded = code_themes(random_comments(seed, n=30))
    out = theme_counts(coded, by="session_id")
    assert ((out.ci_low <= out.pct) & (out.pct <= out.ci_high)).all()
    for session, part in coded.groupby("session_id"):
        alone = theme_counts(part)
        mine = out[out.session_id == session].drop(columns="session_id")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone)
    src = random_comments(seed, n=30)
    written = src[src["text"] != "-"].groupby("session_id").size()
    n_comments = out.groupby("session_id")["n_comments"].first()
    pd.testing.assert_series_equal(n_comments, written, check_names=False)


def test_theme_counts_bad_input():
    coded = code_themes(frame(["waktu"]))
    with pytest.raises(KeyError, match="Did you mean 'session_id'"):
        theme_counts(coded, by="sesion_id")
    with pytest.raises(ValueError, match="output column"):
        theme_counts(coded.assign(count=1), by="count")


# --------------------------------------------------------------------------------------
# example_quotes
# --------------------------------------------------------------------------------------
def test_example_quotes_deterministic_and_order_free():
    c = random_comments(4, n=80)
    coded = code_themes(c)
    a = example_quotes(c, coded, n=2, seed=3)
    b = example_quotes(c.sample(frac=1, random_state=1), coded.sample(frac=1, random_state=2),
                       n=2, seed=3)  # fmt: skip
    pd.testing.assert_frame_equal(a, b)
    assert a.groupby("theme", observed=True).size().max() <= 2
    assert UNCODED not in set(a["theme"].astype(str))
    merged = a.merge(c, on=["participant_id", "session_id"], suffixes=("", "_src"))
    assert (merged["text"] == merged["text_src"]).all()
    other = example_quotes(c, coded, n=2, seed=4)
    assert not other.equals(a)  # the seed matters


def test_example_quotes_theme_selection_and_errors():
    c = frame(["Bagus", "Waktunya kurang", "Jadwal padat"])
    coded = code_themes(c)
    q = example_quotes(c, coded, themes=[UNCODED, "time_schedule"], n=5)
    assert q["theme"].astype(str).tolist() == [UNCODED, "time_schedule", "time_schedule"]
    assert q["rank"].tolist() == [1, 1, 2]
    with pytest.raises(ValueError, match="not one of"):
        example_quotes(c, coded, themes="weather")
    with pytest.raises(ValueError, match="`n`"):
        example_quotes(c, coded, n=0)


def test_labels_have_both_languages():
    for key, value in cm.LABELS.items():
        assert set(value) == set(LANGUAGES), key
    for code, theme in THEMES.items():
        assert theme["keywords"] or theme["roots"], code


def test_recall_of_the_sample_data_generator_keywords():
    """Every sample comment the generator planted with a theme keyword is coded with it.

    ``sample_data/truth.json`` ("comment_keywords") holds the regular expressions of the
    keywords the synthetic-data generator wrote into the comments of each theme.
    """
    truth_file = toolkit.SAMPLE_DATA / "truth.json"
    comments_file = toolkit.SAMPLE_DATA / "comments.csv"
    if not (truth_file.exists() and comments_file.exists()):
        pytest.skip("sample data not generated")
    planted = json.loads(truth_file.read_text(encoding="utf-8")).get("comment_keywords")
    if not planted:
        pytest.skip("truth.json has no comment_keywords")
    com = pd.read_csv(comments_file, dtype=str, keep_default_na=False)
    coded = code_themes(com)
    ours = {"time": "time_schedule"}
    key = ["participant_id", "session_id"]
    for theme, pattern in planted.items():
        has = com[com["text"].str.lower().str.contains(pattern, regex=True)][key]
        found = coded[coded["theme"] == ours.get(theme, theme)][key]
        missed = has.merge(found, how="left", indicator=True).query("_merge == 'left_only'")
        assert len(has) > 0, theme
        assert missed.empty, (theme, missed.head())
