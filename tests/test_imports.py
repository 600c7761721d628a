"""Importing the Level 1 and Level 4 modules stays light: no scipy.stats, no scipy.optimize.

``scipy.stats`` alone takes longer to import than pandas; the analyses import it where
they use it (issue 16: ``import toolkit.reaction`` / ``toolkit.results`` at most 1.3x
``import pandas``, printed by ``benchmarks/bench_level12.py`` and ``bench_results.py``).
Each check runs in a fresh interpreter, so modules other tests imported do not count; the
test fails as soon as one of these modules (or anything it imports) imports a heavy module
at its top again.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy.stats", "scipy.optimize", "statsmodels", "matplotlib")


def _modules_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "module", ["toolkit.reaction", "toolkit.results", "toolkit.intervals", "toolkit.grouping"]
)
def test_import_does_not_load_heavy_modules(module):
    loaded = _modules_after(f"import {module}")
    assert module in loaded
    assert not [m for m in HEAVY if m in loaded], f"`import {module}` imports {HEAVY}"


def test_the_check_can_fail():
    """The same check sees scipy.stats when it is imported (the test is not vacuous)."""
    assert "scipy.stats" in _modules_after("import toolkit.reaction\nfrom scipy import stats")


def test_lazy_re_exports_of_results():
    """``toolkit.results`` still offers the estimators of ``toolkit.impact`` (on first use)."""
    import toolkit.impact
    import toolkit.results

    for name in ("did", "event_study", "period_index", "period_label", "EventStudyResult"):
        assert getattr(toolkit.results, name) is getattr(toolkit.impact, name)
        assert name in dir(toolkit.results)
    assert toolkit.results.SE_TYPES == toolkit.impact.SE_TYPES
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        toolkit.results.nope  # noqa: B018
    namespace: dict = {}
    exec("from toolkit.results import *", namespace)
    assert namespace["did"] is toolkit.impact.did
