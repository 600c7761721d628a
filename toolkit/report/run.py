"""Running the sections: needs checked first, each analysis isolated, readiness recorded.

:func:`run_sections` runs every analysis whose needs are met and catches what goes wrong
inside one (a bug, or data the analysis cannot handle): the report then says in one line
that this part could not be computed, the traceback goes to the report's log, and the
other analyses go on. :func:`readiness` tells, without running anything, which analyses
the data support and what to add for the others.
"""

from __future__ import annotations

import traceback
import warnings
from dataclasses import dataclass, field

import pandas as pd

from toolkit.report.core import Paragraph
from toolkit.report.needs import unmet

__all__ = ["LABELS", "Part", "SectionResult", "readiness", "run_sections"]

#: Words of the readiness table and of the gaps.
LABELS = {
    "gap": {
        "id": "Analisis ini tidak dapat dibuat dari data yang diberikan: {reason}. "
        "Agar dapat dibuat: {fix}.",
        "en": "This analysis cannot be made from the data given: {reason}. To make it "
        "possible: {fix}.",
    },
    "failed": {
        "id": "Analisis ini gagal dihitung ({error}). Rinciannya ada di report.log; bagian "
        "lain laporan tidak terpengaruh.",
        "en": "This analysis failed ({error}). The details are in report.log; the other "
        "parts of the report are not affected.",
    },
    "possible": {"id": "dapat dibuat", "en": "possible"},
    "not_possible": {"id": "tidak dapat dibuat", "en": "not possible"},
    "failed_status": {"id": "gagal", "en": "failed"},
    "section": {"id": "Bagian", "en": "Section"},
    "analysis": {"id": "Analisis", "en": "Analysis"},
    "status": {"id": "Status", "en": "Status"},
    "why": {"id": "Alasan", "en": "Why not"},
    "add": {"id": "Yang perlu ditambahkan", "en": "What to add"},
}


@dataclass
class Part:
    """What one analysis produced: its status, blocks, and why not (if it did not run)."""

    section: str
    key: str
    title: str
    status: str  # "ok", "missing" or "failed"
    blocks: list
    reason: str = ""
    fix: str = ""
    error: str = ""


@dataclass
class SectionResult:
    """A section's title, level and parts, ready to render."""

    key: str
    title: str
    level: int | None
    parts: list = field(default_factory=list)


def _gap(analysis, data, lang, data_dir) -> Part | None:
    miss = unmet(analysis.needs, data, data_dir)
    if miss is None:
        return None
    reason, fix = miss.reason[lang], miss.need.fix[lang]
    text = LABELS["gap"][lang].format(reason=reason, fix=fix)
    return Part("", analysis.key, analysis.title[lang], "missing", [Paragraph(text, "gap")],
                reason, fix)  # fmt: skip


def run_sections(ctx, sections, *, progress=None, log=None) -> list[SectionResult]:
    """Run every analysis of ``sections`` on ``ctx``.

    Parameters
    ----------
    ctx : toolkit.report.core.Context
    sections : list of Section
    progress : callable, optional
        Called with each analysis key once it is done (a progress bar's update).
    log : list, optional
        Receives ``(section, analysis, text)`` for every failure (with its traceback) and
        every warning an analysis raised.

    Returns
    -------
    list of SectionResult
    """
    log = [] if log is None else log
    results = []
    for section in sections:
        result = SectionResult(section.key, section.title[ctx.lang], section.level)
        for analysis in section.analyses:
            part = _gap(analysis, ctx.data, ctx.lang, ctx.data_dir) or _run(
                ctx, section, analysis, log
            )
            part.section = section.key
            result.parts.append(part)
            if progress is not None:
                progress(analysis.key)
        results.append(result)
    return results


def _run(ctx, section, analysis, log) -> Part:
    title = analysis.title[ctx.lang]
    n_key_figures = len(ctx.key_figures)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            blocks = analysis.run(ctx)
    except Exception as exc:  # a failure in one analysis must not stop the report
        del ctx.key_figures[n_key_figures:]
        error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        log.append((section.key, analysis.key, traceback.format_exc()))
        text = LABELS["failed"][ctx.lang].format(error=error)
        return Part("", analysis.key, title, "failed", [Paragraph(text, "error")], error=error)
    for w in caught:
        log.append((section.key, analysis.key, f"warning: {w.category.__name__}: {w.message}"))
    return Part("", analysis.key, title, "ok", list(blocks))


def readiness(
    data, sections=None, *, lang: str = "id", results=None, data_dir=None
) -> pd.DataFrame:
    """Which analyses the data support, why not, and what to add.

    Parameters
    ----------
    data : toolkit.data.EvaluationData
    sections : list of Section, optional
        The report's sections by default.
    lang : {"id", "en"}
    results : list of SectionResult, optional
        Results of a run (in the same language): its statuses are used as they are, and
        analyses that failed are marked so.
    data_dir : Path, optional
        The data folder (where the evaluation plan is looked for).

    Returns
    -------
    DataFrame
        ``section, analysis, key, possible`` (bool), ``status`` (words), ``why``, ``add``.

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> table = readiness(load(toolkit.SAMPLE_DATA), lang="en", data_dir=toolkit.SAMPLE_DATA)
    >>> bool(table["possible"].all())
    True
    """
    from toolkit.report.sections import sections as all_sections

    sections = all_sections() if sections is None else sections
    done = {(p.section, p.key): p for r in results or [] for p in r.parts}
    rows = []
    for section in sections:
        for analysis in section.analyses:
            part = done.get((section.key, analysis.key))
            if part is None:  # not run: check its needs now
                miss = unmet(analysis.needs, data, data_dir)
                status = "possible" if miss is None else "not_possible"
                why = miss.reason[lang] if miss else ""
                add = miss.need.fix[lang] if miss else ""
            else:  # the run already checked the needs: no second pass over the data
                status = {"ok": "possible", "missing": "not_possible"}.get(
                    part.status, "failed_status"
                )
                why, add = (part.error or part.reason), part.fix
            rows.append({
                "section": section.title[lang],
                "analysis": analysis.title[lang],
                "key": analysis.key,
                "possible": status == "possible",
                "status": LABELS[status][lang],
                "why": why,
                "add": add,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=["section", "analysis", "key", "possible", "status",
                                       "why", "add"])  # fmt: skip
