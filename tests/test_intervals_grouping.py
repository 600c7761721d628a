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


@given(st.lists(st.tuples(st.integers(-1, 4), st.booleans(), st.floats(-1e6, 1e6)), max_size=60))
def test_group_sums_bool_and_float_columns_equal_pandas(rows):
    """Booleans are counted with an integer bincount, floats summed in row order: the same
    numbers as pandas' groupby-sum (and as casting everything to float64 first)."""
    codes = np.array([r[0] for r in rows], dtype=np.int64)
    flags = np.array([r[1] for r in rows], dtype=bool)
    x = np.array([r[2] for r in rows], dtype="float64")
    both = np.column_stack([flags, x])  # float64 2-D, as the analyses pass it
    got = group_sums(codes, 5, both)
    frame = pd.DataFrame({"g": codes, "f": flags.astype(float), "x": x})[codes >= 0]
    ref = frame.groupby("g")[["f", "x"]].sum().reindex(range(5), fill_value=0.0)
    np.testing.assert_allclose(got, ref.to_numpy(), rtol=1e-12, atol=1e-6)
    np.testing.assert_array_equal(group_sums(codes, 5, flags), got[:, 0])
    np.testing.assert_array_equal(group_sums(codes, 5, x), got[:, 1])
    keep = codes >= 0  # the earlier implementation: cast, mask, float bincount
    old = np.bincount(codes[keep], weights=x[keep], minlength=5)
    np.testing.assert_array_equal(got[:, 1], old)
