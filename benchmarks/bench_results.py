"""Benchmark of Level 4: ``ikm(by=[unit, period])`` and ``did`` at scale (not a timed test).

Run ``python benchmarks/bench_results.py`` (add ``--small`` for a quick run). It prints, from
one run on this machine:

* ``ikm`` on 10,000,000 responses (2,000 units x 40 quarters, 9 elements, 2 % unanswered)
  against one pandas ``groupby(...).mean()`` pass over the same columns (goal: at most 2x).
  The responses are as an export gives them to ``load()``: rows in the order citizens
  answered (shuffled, not sorted by unit or period), ``unit_id`` and ``period``
  categoricals of the values present, categories sorted, the answers ``Int16``,
  as ``toolkit.data.load()`` types them;
* ``did`` with unit and period fixed effects and unit-clustered SEs on a 2,000-unit x
  40-quarter panel against statsmodels' formula OLS with the same fixed effects as dummies
  and ``cov_type="cluster"`` (and linearmodels' PanelOLS, when installed), checking that the
  estimates agree.

It also prints how long ``import toolkit.results`` takes against ``import pandas`` (the
median of ``--import-repeat`` fresh interpreters each, alternating; goal, issue 16: at most
1.3x): scipy.stats (through toolkit.impact) is imported only when an estimator is used.

The data are generated here with numpy (fixed seed), so the benchmark needs nothing else.
BLAS runs single-threaded for every contender (``OPENBLAS_NUM_THREADS=1`` unless set): on a
small shared machine, multi-threaded OpenBLAS can be 100x slower under load, which would
measure the machine rather than the code.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from _common import as_loaded, best_of, import_seconds  # noqa: E402

from toolkit.results import did, ikm  # noqa: E402

ELEMENTS = [f"u{j}" for j in range(1, 10)]


def responses(n: int, n_units: int, n_periods: int, seed: int = 2024) -> pd.DataFrame:
    """IKM responses in export order (rows shuffled: independent random unit and period per
    row), codes and answers typed as ``load()`` types them."""
    rng = np.random.default_rng(seed)
    units = np.array([f"U{i:04d}" for i in range(n_units)])
    periods = np.array([f"{2015 + q // 4}Q{q % 4 + 1}" for q in range(n_periods)])
    df = pd.DataFrame(
        {
            "unit_id": as_loaded(pd.Categorical.from_codes(rng.integers(0, n_units, n), units)),
            "period": as_loaded(pd.Categorical.from_codes(rng.integers(0, n_periods, n), periods)),
        }
    )
    for col in ELEMENTS:
        values = pd.array(rng.integers(1, 5, n, dtype=np.int16), dtype="Int16")
        values[rng.random(n) < 0.02] = pd.NA
        df[col] = values
    return df


def panel(n_units: int, n_periods: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_periods)
    period = np.tile(np.arange(n_periods), n_units)
    treated = (unit % 2 == 0).astype(np.int8)
    post = (period >= n_periods // 2).astype(np.int8)
    y = (
        75
        + rng.normal(0, 3, n_units)[unit]
        + 0.1 * period
        + 2.0 * treated * post
        + rng.normal(0, 1, len(unit))
    )
    return pd.DataFrame({"unit": unit, "period": period, "treated": treated, "post": post, "y": y})


def bench_ikm(n: int, n_units: int, n_periods: int, repeat: int) -> None:
    df = responses(n, n_units, n_periods)
    by = ["unit_id", "period"]
    t_pd = t_ikm = np.inf
    for _ in range(repeat):  # interleaved: a busy machine slows both alike
        t, ref = best_of(lambda: df.groupby(by, observed=True)[ELEMENTS].mean(), 1)
        t_pd = min(t_pd, t)
        t, out = best_of(lambda: ikm(df, by=by), 1)
        t_ikm = min(t_ikm, t)
    ref = ref.reset_index().sort_values(by).reset_index(drop=True)  # categories in load() order
    mine = out.sort_values(by).reset_index(drop=True)
    np.testing.assert_allclose(mine["nrr_u1"].to_numpy(), ref["u1"].to_numpy(dtype="float64"))
    print(f"ikm(by=[unit, period]) on {n:,} responses, {len(out):,} groups; rows in export "
          "order (shuffled), codes as load() types them (categoricals of the values present, "
          "categories sorted), answers Int16")  # fmt: skip
    print(f"  pandas groupby().mean(): {t_pd:8.3f} s")
    print(f"  toolkit ikm():           {t_ikm:8.3f} s   ratio {t_ikm / t_pd:.2f}x (goal <= 2x)")


def bench_did(n_units: int, n_periods: int, repeat: int) -> None:
    import statsmodels.formula.api as smf

    df = panel(n_units, n_periods)
    t_ours, out = best_of(
        lambda: did(df, outcome="y", treated="treated", post="post", unit="unit", period="period"),
        repeat,
    )
    ours = out.set_index("term").loc["did"]

    def statsmodels_fit():
        model = smf.ols("y ~ treated:post + C(unit) + C(period)", df)
        return model.fit(cov_type="cluster", cov_kwds={"groups": df["unit"]})

    t_sm, sm = best_of(statsmodels_fit, 1)
    assert np.isclose(sm.params["treated:post"], ours["estimate"], rtol=1e-8)
    print(f"did (unit + period FE, clustered SEs) on {n_units:,} units x {n_periods} periods")
    print(f"  statsmodels formula OLS: {t_sm:8.3f} s")
    print(f"  toolkit did():           {t_ours:8.3f} s   ratio {t_ours / t_sm:.4f}x "
          f"({t_sm / t_ours:.0f} times faster)")  # fmt: skip
    try:
        from linearmodels import PanelOLS
    except ImportError:
        return
    idx = df.set_index(["unit", "period"]).assign(d=lambda d: d["treated"] * d["post"])

    def linearmodels_fit():
        model = PanelOLS(idx["y"], idx[["d"]], entity_effects=True, time_effects=True)
        return model.fit(cov_type="clustered", cluster_entity=True)

    t_lm, lm = best_of(linearmodels_fit, repeat)
    assert np.isclose(lm.params["d"], ours["estimate"], rtol=1e-8)
    print(f"  linearmodels PanelOLS:   {t_lm:8.3f} s   ratio toolkit/linearmodels "
          f"{t_ours / t_lm:.2f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100x smaller, for a smoke run")
    parser.add_argument("--import-repeat", type=int, default=7, help="fresh interpreters")
    args = parser.parse_args()
    print(f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    imports = import_seconds("toolkit.results", args.import_repeat)
    print(
        f"import (median of {args.import_repeat} fresh interpreters): pandas "
        f"{imports['pandas']:.3f} s, toolkit.results {imports['toolkit.results']:.3f} s, "
        f"ratio {imports['toolkit.results'] / imports['pandas']:.2f}x (goal <= 1.3x)"
    )
    if args.small:
        bench_ikm(100_000, 200, 20, repeat=3)
        bench_did(200, 20, repeat=3)
    else:
        bench_ikm(10_000_000, 2_000, 40, repeat=3)
        bench_did(2_000, 40, repeat=3)


if __name__ == "__main__":
    main()
