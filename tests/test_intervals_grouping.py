"""Shared helpers: proportion intervals against statsmodels, group codes against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from toolkit.grouping import group_codes, group_sums
from toolkit.intervals import newcombe_difference, wilson_interval


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_equals_statsmodels(confidence):
    n = np.repeat(np.arange(1, 41), 41)
    x = np.tile(np.arange(41), 40)
    keep = x <= n
    low, high = wilson_interval(x[keep], n[keep], confidence=confidence)
    ref_low, ref_high = proportion_confint(x[keep], n[keep], alpha=1 - confidence, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)


def test_wilson_published_values():
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (score, no correction):
    # 81/263 -> 0.2553 to 0.3662; 0/20 -> 0.0000 to 0.1611
    assert np.round(wilson_interval(81, 263), 4).tolist() == [0.2553, 0.3662]
    assert np.round(wilson_interval(0, 20), 4).tolist() == [0.0, 0.1611]


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError, match="between 0 and `n`"):
        wilson_interval(5, 4)


@given(st.integers(0, 200), st.integers(1, 200), st.integers(0, 200), st.integers(1, 200))
def test_newcombe_equals_statsmodels(x1, n1, x2, n2):
    x1, x2 = min(x1, n1), min(x2, n2)
    d, low, high = newcombe_difference(x1, n1, x2, n2)
    ref = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    np.testing.assert_allclose([low, high], ref, atol=1e-10)
    assert low <= d <= high


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 3)), max_size=60))
def test_group_codes_match_pandas_groupby(rows):
    df = pd.DataFrame(rows, columns=["g", "h"])
    codes, keys = group_codes(df, ["g", "h"])
    ref = df.groupby(["g", "h"], sort=True, dropna=True).ngroup().fillna(-1).to_numpy(dtype=int)
    np.testing.assert_array_equal(codes, ref)
    expected = df.dropna().drop_duplicates().sort_values(["g", "h"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(keys, expected, check_dtype=False)
    values = np.arange(len(df), dtype=float)
    keep = ref >= 0
    expected_sums = np.bincount(ref[keep], weights=values[keep], minlength=len(keys))
    np.testing.assert_allclose(group_sums(codes, len(keys), values), expected_sums)


def test_group_codes_keep_category_order():
    df = pd.DataFrame({"m": pd.Categorical(["seminar", "workshop"], ["workshop", "seminar"])})
    codes, keys = group_codes(df, ["m"])
    assert codes.tolist() == [1, 0]
    assert keys["m"].tolist() == ["workshop", "seminar"]
