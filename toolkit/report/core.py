"""The report's building blocks: sections of analyses, their context, and what they produce.

A :class:`Section` is a chapter of the report (one Kirkpatrick level, the programme, the
recommendations …). It holds :class:`Analysis` parts; each declares its
:class:`~toolkit.report.needs.Need` s and a ``run(ctx)`` function that returns blocks:
:class:`Paragraph` (a sentence generated from results), :class:`Table` (cells already
written in the report's language) and :class:`Figure` (inline SVG). A level's main
analysis also records a :class:`KeyFigure` for the executive summary.

Examples
--------
>>> import pandas as pd
>>> ctx = Context(data=None, lang="id")
>>> df = pd.DataFrame({"method": ["workshop", "seminar", "simulation"], "n": [12, 3, 40],
...                    "share": [81.5, 40.0, 77.0]})
>>> t = ctx.table(df, [Col("Metode", "method", "label"), Col("n", "n", "int"),
...                    Col("Setuju", "share", "pct", 1)], "Contoh", min_n="n")
>>> t.rows
[['Lokakarya', '–', '–'], ['Seminar', '–', '–'], ['Simulasi', '40', '77,0%']]
>>> ctx.direction(0.2, 1.4), ctx.direction(-0.1, 0.3)
('verdict_up', 'verdict_none')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.disclosure import MIN_GROUP, check_min_group, suppress
from toolkit.i18n import label
from toolkit.report import fmt

__all__ = [
    "Analysis",
    "Col",
    "Context",
    "Figure",
    "KeyFigure",
    "MIN_GROUP",
    "Paragraph",
    "Section",
    "Table",
]


@dataclass
class Paragraph:
    """One paragraph; ``kind`` is ``p``, ``verdict``, ``note``, ``gap`` or ``error``."""

    text: str
    kind: str = "p"
    block: str = "paragraph"


@dataclass
class Table:
    """A table whose cells are already formatted text (escaped when rendered)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    note: str = ""
    block: str = "table"


@dataclass
class Figure:
    """A figure as inline SVG markup made by :mod:`toolkit.report.figures`."""

    caption: str
    svg: str
    block: str = "figure"


@dataclass
class KeyFigure:
    """The headline figure of a level, for the executive summary and ``key_figures.csv``."""

    level: int
    key: str
    name: str
    estimate: float
    ci_low: float
    ci_high: float
    n: int
    shown: str
    verdict: str
    chart: Figure | None = None


@dataclass(frozen=True)
class Analysis:
    """One analysis of a section: what it needs, and how it runs."""

    key: str
    title: dict
    needs: tuple
    run: Callable[[Context], list]


@dataclass(frozen=True)
class Section:
    """A chapter of the report."""

    key: str
    title: dict
    analyses: tuple[Analysis, ...]
    level: int | None = None


@dataclass(frozen=True)
class Col:
    """A column of a report table.

    ``kind``: ``text``, ``label`` (a code, labelled through :mod:`toolkit.i18n`), ``int``,
    ``num`` (``decimals``), ``pct`` (``decimals``), ``ci`` (``source`` is a pair of
    columns), ``pct_ci``, ``idr``.
    """

    header: str
    source: str | tuple[str, str]
    kind: str = "text"
    decimals: int = 1
    sign: bool = False


@dataclass
class Context:
    """What every analysis gets: the data, the language, options and shared results.

    ``min_group`` is the report's small-cell threshold (:data:`toolkit.disclosure.MIN_GROUP`
    unless the command gets ``--min-group N``): :meth:`table` and :meth:`protect` apply it.
    """

    data: object
    lang: str
    data_dir: Path | None = None
    meta: dict = field(default_factory=dict)
    key_figures: list = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    min_group: int = MIN_GROUP

    def __post_init__(self):
        self.min_group = check_min_group(self.min_group)

    # ---------------------------------------------------------------- words and numbers
    def say(self, templates: dict, key: str, **fields) -> str:
        """The template ``key`` in the report's language, filled with ``fields`` (text)."""
        return templates[key][self.lang].format(**fields)

    def label(self, code) -> str:
        """A data-model code in the report's language; an office's own code (a programme,
        a construct) is shown with spaces for underscores."""
        text = label(str(code), self.lang)
        return text.replace("_", " ") if text == str(code) else text

    def num(self, x, decimals: int = 1, sign: bool = False) -> str:
        return fmt.number(x, decimals, self.lang, sign=sign)

    def pct(self, x, decimals: int = 0, sign: bool = False) -> str:
        return fmt.percent(x, decimals, self.lang, sign=sign)

    def count(self, n) -> str:
        return fmt.count(n, self.lang)

    def ci(self, low, high, decimals: int = 1, suffix: str = "") -> str:
        return fmt.interval(low, high, decimals, self.lang, suffix=suffix)

    def idr(self, x, exact: bool = False) -> str:
        return fmt.rupiah(x, self.lang, exact=exact)

    def date(self, value) -> str:
        return fmt.date(value, self.lang)

    def ci_words(self) -> str:
        """How intervals are introduced: ``IK 95%`` (interval kepercayaan) or ``95% CI``."""
        return {"id": "IK 95%", "en": "95% CI"}[self.lang]

    def codes(self, values: Sequence) -> str:
        """Labelled codes joined as a list in prose ("A, B dan C")."""
        words = [self.label(v) for v in values]
        if len(words) <= 1:
            return "".join(words)
        last = {"id": " dan ", "en": " and "}[self.lang]
        return ", ".join(words[:-1]) + last + words[-1]

    @staticmethod
    def direction(low, high) -> str:
        """Which verdict an interval supports: ``verdict_up`` (all above 0), ``verdict_down``
        (all below), ``verdict_none`` (contains 0) or ``verdict_unknown`` (no interval)."""
        if not (np.isfinite(low) and np.isfinite(high)):
            return "verdict_unknown"
        return "verdict_up" if low > 0 else "verdict_down" if high < 0 else "verdict_none"

    def memo(self, key: str, compute: Callable[[], object]):
        """``compute()`` once per report, shared by every section that asks for ``key``."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    # ---------------------------------------------------------------------------- tables
    def protect(
        self, df: pd.DataFrame, count: str, *, within=None, complementary: bool = True
    ) -> pd.DataFrame:
        """``df`` with the report's small-cell policy applied.

        :func:`toolkit.disclosure.suppress` with :attr:`min_group`: rows resting on fewer
        people are blanked, and (``complementary``) so are the next-smallest rows of each
        partition (``within``; the whole table by default) whenever a total would give a
        hidden row back. Use it for what a section draws or words from a group table, so
        that charts and sentences show only what the table shows.
        """
        return suppress(
            df, count, within=within, min_group=self.min_group, complementary=complementary
        )

    def table(
        self,
        df: pd.DataFrame,
        cols: Sequence[Col],
        caption: str,
        *,
        min_n: str | None = None,
        within=None,
        complementary: bool = True,
        note: str = "",
    ) -> Table:
        """Format ``df`` as a report table, small groups protected.

        With ``min_n`` (the column counting the people behind each row), the rows go
        through :meth:`protect` first: a row of fewer than :attr:`min_group` people keeps its
        leading labels (the text and label columns before the first figure) and shows "–"
        in every other cell, and with ``complementary`` (the default, for rows that add up
        to a total printed in the table or its section, or to 100 %) further rows, the
        smallest first, are hidden until no total can give a hidden row back (see
        :func:`toolkit.disclosure.suppress`; ``within`` names partitions of the rows). Pass
        ``complementary=False`` only for rows that add up to nothing (items, waves, years of
        the same people). A table of people's groups must always get ``min_n``.
        """
        numeric = [c.kind not in ("text", "label") for c in cols]
        hidden = np.zeros(len(df), dtype=bool)
        if min_n is not None and len(df):
            df = self.protect(df, min_n, within=within, complementary=complementary)
            hidden = df["suppressed"].to_numpy(dtype=bool)
        cells = [self._column(df, c) for c in cols]
        rows = [list(r) for r in zip(*cells, strict=True)] if cells else []
        if hidden.any():
            lead = next((i for i, is_num in enumerate(numeric) if is_num), len(cols))
            for i in np.flatnonzero(hidden):
                rows[i] = [cell if j < lead else fmt.MISSING for j, cell in enumerate(rows[i])]
            m = self.min_group
            extra = {
                "id": f"Kelompok dengan kurang dari {m} orang tidak ditampilkan (–), begitu pula "
                "kelompok lain yang dapat mengungkapkannya dari jumlah totalnya.",
                "en": f"Groups of fewer than {m} people are not shown (–), nor are other groups "
                "from which they could be worked out with the total.",
            }[self.lang]
            note = f"{note} {extra}".strip()
        return Table(caption, [c.header for c in cols], rows, numeric, note)

    def _column(self, df: pd.DataFrame, c: Col) -> list[str]:
        if c.kind in ("ci", "pct_ci"):
            lo, hi = c.source
            suffix = "%" if c.kind == "pct_ci" else ""
            return [
                fmt.interval(a, b, c.decimals, self.lang, suffix=suffix)
                for a, b in zip(df[lo], df[hi], strict=True)
            ]
        values = df[c.source]
        if c.kind == "text":
            return ["" if pd.isna(v) else str(v) for v in values]
        if c.kind == "label":
            return ["" if pd.isna(v) else self.label(v) for v in values]
        if c.kind == "int":
            return [fmt.count(v, self.lang) for v in values]
        if c.kind == "num":
            return [fmt.number(v, c.decimals, self.lang, sign=c.sign) for v in values]
        if c.kind == "pct":
            return [fmt.percent(v, c.decimals, self.lang, sign=c.sign) for v in values]
        if c.kind == "idr":
            return [fmt.rupiah(v, self.lang, exact=True) for v in values]
        raise ValueError(f"unknown column kind {c.kind!r}")
