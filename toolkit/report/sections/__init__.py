"""The sections of the report, in order; each module holds one and its templates."""

from __future__ import annotations

__all__ = ["sections"]


def sections() -> list:
    """Every section of the report, in reading order."""
    from toolkit.report.sections import (
        behavior,
        challenges,
        impact,
        learning,
        objectives,
        programme,
        reaction,
        recommendations,
        roi,
    )

    return [
        programme.SECTION,
        objectives.SECTION,
        reaction.SECTION,
        learning.SECTION,
        behavior.SECTION,
        impact.SECTION,
        roi.SECTION,
        challenges.SECTION,
        recommendations.SECTION,
    ]
