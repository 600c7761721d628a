"""Loading and validating the evaluation tables.

(Loader under construction: ``EvaluationData`` and ``as_typed`` are the stable part.)
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from toolkit.schema import TABLES

__all__ = ["EvaluationData", "as_typed", "empty_table"]


def as_typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with the columns, order and dtypes of table ``name``.

    Values must already be of the right Python type (numbers as numbers, dates as dates);
    parsing text from files is the loader's job. Codes become categoricals whose categories
    are the schema's list (fixed vocabularies) or the sorted values present (open ones).

    Examples
    --------
    >>> df = pd.DataFrame({"unit_id": ["U02", "U01"], "unit_name": ["B", "A"],
    ...                    "service_type": ["health", "civil_registry"], "trained": [True, False],
    ...                    "first_trained_period": ["2024Q1", None]})
    >>> as_typed("units", df).dtypes.astype(str).tolist()
    ['category', 'str', 'category', 'bool', 'category']
    """
    table = TABLES[name]
    out = {}
    for col in table.columns:
        s = df[col.name] if col.name in df.columns else pd.Series(pd.NA, index=df.index)
        if col.dtype == "category":
            values = s.astype("str").where(s.notna())
            cats = col.categories
            if cats is None:
                cats = sorted(values.dropna().unique().tolist())
            out[col.name] = pd.Categorical(values, categories=list(cats))
        elif col.dtype == "str":
            out[col.name] = s.astype("str").where(s.notna())
        elif col.dtype.startswith("datetime64"):
            out[col.name] = pd.to_datetime(s).astype(col.dtype)
        else:
            out[col.name] = s.astype(col.dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns and dtypes of table ``name``.

    Examples
    --------
    >>> empty_table("sessions").columns.tolist()[:3]
    ['session_id', 'program', 'method']
    """
    return as_typed(name, pd.DataFrame({c: [] for c in TABLES[name].column_names}))


@dataclass
class EvaluationData:
    """All tables of one evaluation, validated and typed.

    One attribute per table of :data:`toolkit.schema.TABLES`. A table the user did not
    provide is an empty DataFrame with the right columns; ``present`` lists those read.
    """

    units: pd.DataFrame
    participants: pd.DataFrame
    sessions: pd.DataFrame
    enrollments: pd.DataFrame
    instruments: pd.DataFrame
    reaction: pd.DataFrame
    tests: pd.DataFrame
    behavior: pd.DataFrame
    ikm_responses: pd.DataFrame
    costs: pd.DataFrame
    benefit_estimates: pd.DataFrame
    availability: pd.DataFrame
    comments: pd.DataFrame
    present: tuple[str, ...] = ()

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables as a dict, in schema order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in TABLES}

    def sizes(self) -> pd.DataFrame:
        """Rows and columns of every table, as a tidy DataFrame."""
        rows = [
            {"table": name, "rows": len(df), "columns": df.shape[1]}
            for name, df in self.tables().items()
        ]
        return pd.DataFrame(rows)
