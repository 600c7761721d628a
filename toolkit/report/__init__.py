"""The evaluation report: sections generated from the results of one office's data.

``python -m toolkit report --data DIR --out DIR`` (what ``make report`` runs) calls
:func:`build_report`: the data are validated, every section checks what it needs and runs
in this process, every sentence is filled from computed results through Indonesian and
English templates, and one self-contained HTML page (optionally a PDF) is written. What the
data cannot support is stated in the report and in ``python -m toolkit check``
(:func:`readiness`). The course notebooks in ``notebooks/`` are a different product: they
teach on the sample data.

Modules: :mod:`~toolkit.report.needs` (what analyses need), :mod:`~toolkit.report.core`
(sections, context, blocks), :mod:`~toolkit.report.sections` (one module per section),
:mod:`~toolkit.report.run` (running and readiness), :mod:`~toolkit.report.fmt` (numbers),
:mod:`~toolkit.report.figures` (charts), :mod:`~toolkit.report.appendix` (methods),
:mod:`~toolkit.report.output` (safe writing), :mod:`~toolkit.report.pdf` (printing),
:mod:`~toolkit.report.build` (the whole).
"""

from toolkit.report.build import FORMATS, ReportResult, build_report, metadata
from toolkit.report.output import MARKER, OutputError
from toolkit.report.run import readiness

__all__ = [
    "FORMATS",
    "MARKER",
    "OutputError",
    "ReportResult",
    "build_report",
    "metadata",
    "readiness",
]
