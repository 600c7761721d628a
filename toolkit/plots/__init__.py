"""Figures for every level of the evaluation, labelled in Indonesian or English.

Functions live in one submodule per concern and are re-exported here lazily, so that
``import toolkit`` never imports matplotlib. See :mod:`toolkit.plots._style` for the
contract every figure function follows (tidy data in, ``Axes`` out, ``ax.drawn`` attached).
"""

from __future__ import annotations

import importlib

#: Public figure function -> submodule that defines it.
_WHERE: dict[str, str] = {
    # Level 1
    "likert_bars": "reaction",
    "likert_colors": "reaction",
    "theme_bars": "reaction",
    # Level 2
    "prepost_plot": "learning",
    "item_map": "learning",
    # Level 3
    "behavior_change_plot": "behavior",
    # Level 4
    "ikm_profile": "impact",
    "event_study_plot": "impact",
    "did_plot": "impact",
    # Level 5
    "roi_waterfall": "roi",
    "roi_tornado": "roi",
    # challenges and recommendations
    "absence_bars": "participation",
    "jp_histogram": "participation",
    "cost_outcome_plot": "participation",
    "slot_heatmap": "participation",
    # delivery methods
    "method_plot": "methods",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        module = importlib.import_module(f"toolkit.plots.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'toolkit.plots' has no attribute {name!r}")
