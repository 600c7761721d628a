"""Machine-readable schemas of the evaluation tables.

Each table of the data model (see ``sample_data/README.md``) is described once here: its
columns, their kind, allowed values and meaning, its key, and the tables it refers to.
From this single description the toolkit derives

* the pandera schema of a typed table (:meth:`Table.pandera_schema`), whose checks
  :func:`toolkit.data.load` runs vectorised (without importing pandera),
* the dtypes of the loaded tables (categoricals for codes, small integers for answers),
* the data dictionary in ``sample_data/README.md`` (:func:`data_dictionary`), which a test
  keeps in step with this module.

Examples
--------
>>> TABLES["sessions"].column("method").categories
('workshop', 'seminar', 'project_based', 'simulation', 'e_learning')
>>> TABLES["reaction"].key
('participant_id', 'session_id', 'item_code')
>>> [t for t in TABLES][:3]
['units', 'participants', 'sessions']
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "NA_CODE",
    "TABLES",
    "Column",
    "ForeignKey",
    "Table",
    "data_dictionary",
    "IKM_ELEMENTS",
    "METHODS",
    "PROVIDERS",
    "SCHEDULES",
    "ABSENCE_REASONS",
    "COST_CATEGORIES",
]

#: Answer code for "tidak tahu" / not applicable in reaction surveys: kept outside the scale.
NA_CODE = 99

METHODS = ("workshop", "seminar", "project_based", "simulation", "e_learning")
PROVIDERS = ("internal", "university", "professional_org")
SCHEDULES = ("office_hours", "after_hours", "weekend", "flexible")
ABSENCE_REASONS = (
    "workload",
    "schedule_conflict",
    "leave",
    "illness",
    "official_travel",
    "other",
)
COST_CATEGORIES = (
    "needs_analysis",
    "design_development",
    "facilitator_fees",
    "materials",
    "venue_catering",
    "travel_accommodation",
    "participant_salaries",
    "evaluation",
    "overhead",
)
POSITION_TYPES = ("structural", "functional", "executor")
GRADES = ("I", "II", "III", "IV", "PPPK")
SEXES = ("F", "M")
AGE_BANDS = ("<30", "30-39", "40-49", "50+")
INSTRUMENTS = ("reaction", "knowledge_test", "behavior", "ikm")
PHASES = ("pre", "post")
RATERS = ("self", "supervisor")
WAVES = ("baseline", "followup_3m", "followup_6m")

#: The nine IKM elements (unsur) of PermenPANRB No. 14 Tahun 2017, in the regulation's order:
#: (column, official Indonesian name, English name).
IKM_ELEMENTS = (
    ("u1", "Persyaratan", "Requirements"),
    ("u2", "Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures"),
    ("u3", "Waktu Penyelesaian", "Completion time"),
    ("u4", "Biaya/Tarif", "Cost/fee"),
    ("u5", "Produk Spesifikasi Jenis Pelayanan", "Service product specification"),
    ("u6", "Kompetensi Pelaksana", "Staff competence"),
    ("u7", "Perilaku Pelaksana", "Staff behaviour"),
    ("u8", "Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"),
    ("u9", "Sarana dan Prasarana", "Facilities and infrastructure"),
)

#: Column kinds and the pandas dtype each becomes after loading.
KINDS = {
    "id": "category",  # identifiers and codes with an open vocabulary
    "category": "category",  # codes from a fixed list (or an open one, if categories is None)
    "text": "str",
    "int": "int64",
    "small_int": "Int16",  # answers and ratings; nullable: a missing answer stays missing
    "float": "float64",
    "bool": "bool",
    "date": "datetime64[s]",
    "period": "category",  # a quarter written 2024Q1
}


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        Column name as it appears in the file header.
    kind : str
        One of the keys of ``KINDS``.
    description : str
        What the column holds, for the data dictionary.
    categories : tuple of str, optional
        Allowed codes for ``kind="category"``; None means an open vocabulary.
    low, high : float, optional
        Inclusive bounds for numeric kinds.
    nullable : bool
        Whether an empty cell is allowed.
    example : str
        A typical value, for the data dictionary.
    """

    name: str
    kind: str
    description: str
    categories: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    nullable: bool = False
    example: str = ""

    @property
    def dtype(self) -> str:
        """The pandas dtype of the column once loaded."""
        return KINDS[self.kind]

    def allowed(self) -> str:
        """Describe the allowed values in words (for messages and the data dictionary)."""
        if self.categories is not None:
            return "one of " + ", ".join(self.categories)
        if self.kind == "bool":
            return "true/false (also 1/0, ya/tidak, yes/no)"
        if self.kind == "date":
            return "a date, 2024-03-15 (also 15/03/2024)"
        if self.kind == "period":
            return "a quarter such as 2024Q1"
        if self.kind in {"int", "small_int", "float"}:
            word = "a whole number" if self.kind != "float" else "a number"
            if self.low is not None and self.high is not None:
                return f"{word} from {self.low:g} to {self.high:g}"
            if self.low is not None:
                return f"{word} of at least {self.low:g}"
            return word
        if self.kind == "id":
            return "an identifier (text)"
        if self.kind == "category":
            return "a code (text)"
        return "text"


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that must match the key of another table."""

    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of the data model: its columns, primary key and references."""

    name: str
    description: str
    one_row_per: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rules: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        """Names of the columns, in file order."""
        return [c.name for c in self.columns]

    def pandera_schema(self, *, values_only: bool = False):
        """Build the pandera ``DataFrameSchema`` for the *typed* table.

        The schema checks dtypes, allowed codes, ranges, missing values and the uniqueness
        of the key. It is built on demand because importing pandera takes about a second.
        With ``values_only=True`` it checks only the values present (no dtype or
        missing-value checks), as the loader does after parsing, which reports those itself.
        """
        import pandera.pandas as pa

        cols = {}
        for c in self.columns:
            checks = []
            if c.categories is not None:
                checks.append(pa.Check.isin(list(c.categories)))
            if c.low is not None and c.high is not None:
                checks.append(pa.Check.in_range(c.low, c.high))
            elif c.low is not None:
                checks.append(pa.Check.ge(c.low))
            if c.kind == "period":
                checks.append(pa.Check.str_matches(r"^\d{4}Q[1-4]$"))
            if c.kind == "id":
                checks.append(pa.Check.str_length(min_value=1))
            dtype = None if c.kind in {"category", "id", "period", "text"} else c.dtype
            cols[c.name] = pa.Column(
                None if values_only else dtype,
                checks=checks,
                nullable=c.nullable or values_only,
                description=c.description,
                title=c.name,
            )
        return pa.DataFrameSchema(
            cols,
            unique=list(self.key) if self.key else None,
            name=self.name,
            strict=False,
            report_duplicates="all",
        )


def _c(name, kind, description, **kw) -> Column:
    return Column(name, kind, description, **kw)


def _fk(cols, table, ref=None) -> ForeignKey:
    cols = (cols,) if isinstance(cols, str) else tuple(cols)
    ref = cols if ref is None else ((ref,) if isinstance(ref, str) else tuple(ref))
    return ForeignKey(cols, table, ref)


_PARTICIPANT = _c(
    "participant_id",
    "id",
    "Pseudonymised civil servant (never a raw NIP)",
    example="P-3fa9c0e1d2b4a7f8",
)
_SESSION = _c("session_id", "id", "Training session", example="S01")
_ITEM = _c("item_code", "id", "Item of the instrument bank (instruments table)", example="R01")

_TABLE_LIST = (
    Table(
        "units",
        "Organisational units (OPD) serving the public, trained or used as comparison.",
        "organisational unit (OPD)",
        (
            _c("unit_id", "id", "Unit code", example="U01"),
            _c("unit_name", "text", "Unit name in Indonesian", example="Dinas Kependudukan"),
            _c(
                "service_type",
                "category",
                "Kind of public service the unit delivers",
                example="civil_registry",
            ),
            _c(
                "trained",
                "bool",
                "Whether the unit's staff took part in the programme",
                example="true",
            ),
            _c(
                "first_trained_period",
                "period",
                "Quarter in which the unit's staff were first trained; empty if never",
                nullable=True,
                example="2024Q2",
            ),
        ),
        key=("unit_id",),
        rules=("first_trained_period is filled exactly when trained is true",),
    ),
    Table(
        "participants",
        "Civil servants invited to the programme, pseudonymised.",
        "civil servant (pseudonymised)",
        (
            _PARTICIPANT,
            _c("unit_id", "id", "Unit the participant works in", example="U01"),
            _c(
                "position_type",
                "category",
                "Position type: structural (struktural), functional (fungsional), "
                "executor (pelaksana)",
                categories=POSITION_TYPES,
                example="executor",
            ),
            _c(
                "grade",
                "category",
                "Civil-service grade (golongan) or PPPK",
                categories=GRADES,
                example="III",
            ),
            _c(
                "sex",
                "category",
                "Sex: F (perempuan) or M (laki-laki)",
                categories=SEXES,
                example="F",
            ),
            _c("age_band", "category", "Age band", categories=AGE_BANDS, example="30-39"),
        ),
        key=("participant_id",),
        foreign_keys=(_fk("unit_id", "units"),),
        rules=("participant_id is never an 18-digit NIP",),
    ),
    Table(
        "sessions",
        "Training sessions (classes) of the programme.",
        "training session",
        (
            _SESSION,
            _c(
                "program",
                "category",
                "Programme (topic) the session belongs to",
                example="service_excellence",
            ),
            _c("method", "category", "Delivery method", categories=METHODS, example="workshop"),
            _c(
                "provider",
                "category",
                "Who delivered it",
                categories=PROVIDERS,
                example="university",
            ),
            _c("start_date", "date", "First day", example="2024-03-04"),
            _c("end_date", "date", "Last day (not before start_date)", example="2024-03-06"),
            _c(
                "jp",
                "int",
                "Planned lesson hours (JP, 45 minutes each)",
                low=1,
                high=500,
                example="24",
            ),
            _c("schedule", "category", "When it ran", categories=SCHEDULES, example="office_hours"),
        ),
        key=("session_id",),
        rules=("end_date is not before start_date",),
    ),
    Table(
        "enrollments",
        "Who was invited to which session, and how much of it they attended.",
        "participant x session",
        (
            _PARTICIPANT,
            _SESSION,
            _c(
                "attended_jp",
                "float",
                "Lesson hours (JP) attended; at most the session's jp",
                low=0,
                high=500,
                example="18",
            ),
            _c("completed", "bool", "Completed the session (certificate issued)", example="true"),
            _c(
                "absence_reason",
                "category",
                "Main reason for missed hours; empty when none were missed",
                categories=ABSENCE_REASONS,
                nullable=True,
                example="workload",
            ),
        ),
        key=("participant_id", "session_id"),
        foreign_keys=(_fk("participant_id", "participants"), _fk("session_id", "sessions")),
        rules=("attended_jp is at most the session's jp",),
    ),
    Table(
        "instruments",
        "The item bank: every survey, test and rating item, in Indonesian and English.",
        "survey or test item",
        (
            _c(
                "instrument",
                "category",
                "Instrument the item belongs to",
                categories=INSTRUMENTS,
                example="reaction",
            ),
            _ITEM,
            _c("level", "int", "Kirkpatrick level the item measures", low=1, high=4, example="1"),
            _c("construct", "category", "What the item measures", example="relevance"),
            _c(
                "program",
                "category",
                "Programme of a knowledge-test item; empty otherwise",
                nullable=True,
                example="service_excellence",
            ),
            _c("text_id", "text", "Item text in Indonesian", example="Materi relevan …"),
            _c("text_en", "text", "Item text in English", example="The content is relevant …"),
            _c("scale_min", "int", "Lowest answer on the scale", low=0, high=10, example="1"),
            _c("scale_max", "int", "Highest answer on the scale", low=1, high=10, example="5"),
            _c(
                "reverse_keyed",
                "bool",
                "Whether a high answer means a worse result",
                example="false",
            ),
        ),
        key=("item_code",),
        rules=("scale_min is below scale_max",),
    ),
    Table(
        "reaction",
        "Level 1: end-of-session survey answers, long format.",
        "respondent x item",
        (
            _PARTICIPANT,
            _SESSION,
            _ITEM,
            _c(
                "response",
                "small_int",
                f"Answer on the item's scale; {NA_CODE} = tidak tahu / not applicable; "
                "empty = not answered",
                low=0,
                high=NA_CODE,
                nullable=True,
                example="4",
            ),
        ),
        key=("participant_id", "session_id", "item_code"),
        foreign_keys=(
            _fk(("participant_id", "session_id"), "enrollments"),
            _fk("item_code", "instruments"),
        ),
        rules=(f"response lies on the item's scale (instruments) or is {NA_CODE}",),
    ),
    Table(
        "tests",
        "Level 2: knowledge-test answers before and after the session, item by item.",
        "participant x phase x item",
        (
            _PARTICIPANT,
            _SESSION,
            _c(
                "phase",
                "category",
                "pre (before) or post (after)",
                categories=PHASES,
                example="pre",
            ),
            _ITEM,
            _c(
                "correct",
                "small_int",
                "1 if the answer was correct, 0 if not; empty if not answered",
                low=0,
                high=1,
                nullable=True,
                example="1",
            ),
        ),
        key=("participant_id", "session_id", "phase", "item_code"),
        foreign_keys=(
            _fk(("participant_id", "session_id"), "enrollments"),
            _fk("item_code", "instruments"),
        ),
        rules=("item_code is a knowledge_test item",),
    ),
    Table(
        "behavior",
        "Level 3: on-the-job behaviour ratings by the participant and the supervisor (atasan).",
        "participant x rater x wave x item",
        (
            _PARTICIPANT,
            _SESSION,
            _c(
                "rater",
                "category",
                "self or supervisor (atasan langsung)",
                categories=RATERS,
                example="supervisor",
            ),
            _c(
                "wave",
                "category",
                "Before training, 3 or 6 months after",
                categories=WAVES,
                example="followup_3m",
            ),
            _ITEM,
            _c(
                "rating",
                "small_int",
                "Rating on the item's scale; empty if not rated",
                low=0,
                high=10,
                nullable=True,
                example="4",
            ),
        ),
        key=("participant_id", "session_id", "rater", "wave", "item_code"),
        foreign_keys=(
            _fk(("participant_id", "session_id"), "enrollments"),
            _fk("item_code", "instruments"),
        ),
        rules=("rating lies on the item's scale (instruments)",),
    ),
    Table(
        "ikm_responses",
        "Level 4: citizens' public-satisfaction survey (IKM, PermenPANRB 14/2017), one row "
        "per respondent, one column per element.",
        "citizen respondent x period",
        (
            _c("unit_id", "id", "Unit whose service was rated", example="U01"),
            _c("period", "period", "Survey quarter", example="2024Q1"),
            _c("respondent_id", "id", "Survey respondent (anonymous)", example="R000001"),
            *(
                _c(
                    code,
                    "small_int",
                    f"Element {code[1:]}: {name_id} ({name_en}); 1 tidak "
                    "baik … 4 sangat baik; empty if not answered",
                    low=1,
                    high=4,
                    nullable=True,
                    example="3",
                )
                for code, name_id, name_en in IKM_ELEMENTS
            ),
        ),
        key=("unit_id", "period", "respondent_id"),
        foreign_keys=(_fk("unit_id", "units"),),
    ),
    Table(
        "costs",
        "Level 5: cost lines, for a session or for a whole programme.",
        "cost line",
        (
            _c(
                "session_id",
                "id",
                "Session the cost belongs to; empty for programme-level costs",
                nullable=True,
                example="S01",
            ),
            _c("program", "category", "Programme the cost belongs to", example="leadership"),
            _c(
                "category",
                "category",
                "Phillips cost category",
                categories=COST_CATEGORIES,
                example="facilitator_fees",
            ),
            _c("amount_idr", "int", "Amount in rupiah", low=0, high=1e13, example="7500000"),
            _c(
                "prorate_years",
                "float",
                "Years over which the cost is spread (design costs); 1 for costs of a single year",
                low=1,
                high=50,
                example="1",
            ),
            _c(
                "description",
                "text",
                "What the cost was for",
                nullable=True,
                example="Honorarium narasumber",
            ),
        ),
        key=(),
        foreign_keys=(_fk("session_id", "sessions"),),
        rules=("a session_id, when given, belongs to the programme named in program",),
    ),
    Table(
        "benefit_estimates",
        "Level 5: participants' own estimates of the yearly value of what changed, with the "
        "share they attribute to training and their confidence (Phillips).",
        "participant estimate",
        (
            _PARTICIPANT,
            _c(
                "program",
                "category",
                "Programme the benefit is claimed for",
                example="service_excellence",
            ),
            _c("measure", "category", "What improved", example="time_saved"),
            _c(
                "annual_value_idr",
                "float",
                "Estimated value over one year in rupiah; empty "
                "when the participant gave no figure",
                low=0,
                high=1e12,
                nullable=True,
                example="6000000",
            ),
            _c(
                "attribution",
                "float",
                "Share of the change due to training (0–1)",
                low=0,
                high=1,
                example="0.5",
            ),
            _c(
                "confidence",
                "float",
                "Confidence in the estimate (0–1)",
                low=0,
                high=1,
                example="0.7",
            ),
        ),
        key=("participant_id", "program", "measure"),
        foreign_keys=(_fk("participant_id", "participants"),),
    ),
    Table(
        "availability",
        "Which weekly time slots each civil servant could attend.",
        "participant x time slot",
        (
            _PARTICIPANT,
            _c("slot", "category", "Weekly slot: day and time block", example="tue_0800"),
            _c("available", "bool", "Whether the person can attend in that slot", example="true"),
        ),
        key=("participant_id", "slot"),
        foreign_keys=(_fk("participant_id", "participants"),),
    ),
    Table(
        "comments",
        "Free-text answers to the end-of-session survey, in Indonesian.",
        "free-text answer",
        (
            _PARTICIPANT,
            _SESSION,
            _c("text", "text", "The comment as written", example="Materinya sangat bermanfaat"),
        ),
        key=("participant_id", "session_id"),
        foreign_keys=(_fk(("participant_id", "session_id"), "enrollments"),),
    ),
)

#: All tables of the data model, by name, in dependency order.
TABLES: dict[str, Table] = {t.name: t for t in _TABLE_LIST}


def data_dictionary() -> str:
    """Render the data dictionary (Markdown) from the schemas.

    ``sample_data/README.md`` embeds this text between two marker lines; a test fails when
    the file and the schemas drift apart.

    Examples
    --------
    >>> print(data_dictionary().splitlines()[0])
    ### `units.csv`: organisational unit (OPD)
    """
    out: list[str] = []
    for t in TABLES.values():
        out.append(f"### `{t.name}.csv`: {t.one_row_per}")
        out.append("")
        out.append(t.description)
        key = ", ".join(t.key) if t.key else "none (each row is one line)"
        out.append("")
        out.append(f"Key: {key}.")
        for fk in t.foreign_keys:
            out.append(
                f"Refers to `{fk.table}`: ({', '.join(fk.columns)}) must match "
                f"({', '.join(fk.ref_columns)})."
            )
        for rule in t.rules:
            out.append(f"Rule: {rule}.")
        out.append("")
        out.append("| column | type | required | allowed values | meaning | example |")
        out.append("| --- | --- | --- | --- | --- | --- |")
        for c in t.columns:
            req = "no" if c.nullable else "yes"
            out.append(
                f"| `{c.name}` | {c.kind} | {req} | {c.allowed()} | {c.description} | {c.example} |"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


BEGIN_MARK = (
    "<!-- data dictionary: generated by `python -m toolkit.schema`; do not edit by hand -->"
)
END_MARK = "<!-- end of data dictionary -->"


def update_readme(path) -> bool:
    """Replace the generated section of a README with :func:`data_dictionary`.

    Returns True when the file changed.
    """
    from pathlib import Path

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    start = text.index(BEGIN_MARK) + len(BEGIN_MARK)
    end = text.index(END_MARK)
    new = text[:start] + "\n\n" + data_dictionary() + "\n" + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # pragma: no cover
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "sample_data/README.md"
    print("updated" if update_readme(target) else "already up to date", target)
