"""``build_report``: the evaluation report of one data folder, as HTML (and PDF).

The data are validated first (a :class:`~toolkit.data.DataError` stops everything before
any file is written), then every section runs in this process, the page is rendered from
one Jinja2 template with every cell escaped, and the files are written into a temporary
folder that replaces ``out`` only when complete (:mod:`toolkit.report.output`).
"""

from __future__ import annotations

import datetime as _dt
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.disclosure import MIN_GROUP, check_min_group
from toolkit.i18n import label
from toolkit.report import fmt
from toolkit.report.core import Context
from toolkit.report.output import OutputError, check_target, staging
from toolkit.report.run import LABELS as RUN_LABELS
from toolkit.report.run import readiness, run_sections
from toolkit.validation import check_one_of

__all__ = ["FORMATS", "LABELS", "METADATA_FILE", "ReportResult", "build_report", "metadata"]

#: Output formats of :func:`build_report`.
FORMATS = ("html", "pdf")

#: The optional file in the data folder that describes the evaluation (TOML).
METADATA_FILE = "report.toml"

_STDERR = object()  # the default log: standard error as it is when the report runs

_META_KEYS = {"office", "title", "programme", "period", "data_source", "current_slots"}

#: Words of the cover, the summary and the page.
LABELS = {
    "kicker": {"id": "Laporan evaluasi pelatihan", "en": "Training evaluation report"},
    "title": {"id": "Evaluasi program pelatihan ASN", "en": "Evaluation of ASN training"},
    "office": {"id": "Instansi", "en": "Office"},
    "office_missing": {
        "id": "tidak disebutkan (gunakan --office atau office di report.toml)",
        "en": "not stated (use --office or office in report.toml)",
    },
    "programmes": {"id": "Program", "en": "Programme(s)"},
    "period": {"id": "Periode", "en": "Period"},
    "source": {"id": "Sumber data", "en": "Data source"},
    "source_files": {
        "id": "{n} tabel dari folder {folder}: {tables}",
        "en": "{n} tables from the folder {folder}: {tables}",
    },
    "generated": {"id": "Dibuat", "en": "Generated"},
    "summary": {"id": "Ringkasan eksekutif", "en": "Executive summary"},
    "ci_note": {
        "id": "IK 95% = interval kepercayaan 95%: rentang nilai yang sejalan dengan data ini; "
        "makin sempit, makin pasti perkiraannya.",
        "en": "95% CI = 95% confidence interval: the range of values consistent with these "
        "data; the narrower, the more precise the estimate.",
    },
    "recommendations": {"id": "Rekomendasi", "en": "Recommendations"},
    "contents": {"id": "Daftar isi", "en": "Contents"},
    "appendix": {"id": "Lampiran", "en": "Appendix"},
    "methods": {"id": "Metode, rumus dan standar", "en": "Methods, formulas and standards"},
    "readiness": {"id": "Kesiapan data", "en": "Data readiness"},
    "readiness_text": {
        "id": "Setiap analisis laporan, apakah data ini memungkinkannya, dan apa yang perlu "
        "ditambahkan bila tidak. Tabel yang sama dicetak oleh python -m toolkit check.",
        "en": "Every analysis of the report, whether these data support it, and what to add "
        "when they do not. python -m toolkit check prints the same table.",
    },
    "level_gap": {
        "id": "Tidak dinilai: {reason}.",
        "en": "Not assessed: {reason}.",
    },
    "level_failed": {
        "id": "Tidak dinilai: analisisnya gagal (lihat report.log).",
        "en": "Not assessed: the analysis failed (see report.log).",
    },
    "no_recommendations": {
        "id": "Tidak ada rekomendasi yang memenuhi ambang buktinya pada data ini.",
        "en": "No recommendation meets its threshold of evidence in these data.",
    },
}


@dataclass
class ReportResult:
    """What :func:`build_report` wrote: the folder, its files and the analyses that failed."""

    out: Path
    files: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    readiness: pd.DataFrame | None = None


def metadata(data_dir: Path, **options) -> dict:
    """The evaluation's description: ``report.toml`` in the data folder, then ``options``.

    Keys: ``office``, ``title``, ``programme``, ``period``, ``data_source`` (text) and
    ``current_slots`` (list of availability slot codes: the schedule in use, compared
    with the recommended slots). Options that are None do not override the file.

    Raises
    ------
    OutputError
        If ``report.toml`` cannot be read or holds unknown keys.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "report.toml").write_text('office = "BKPSDM"\\n', encoding="utf-8")
    ...     metadata(Path(d), title="Evaluasi 2025", current_slots="tue_0800, wed_0800")
    {'office': 'BKPSDM', 'title': 'Evaluasi 2025', 'current_slots': ['tue_0800', 'wed_0800']}
    """
    meta: dict = {}
    path = Path(data_dir) / METADATA_FILE
    if path.is_file():
        try:
            meta = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise OutputError(f"{path} is not valid TOML: {exc}") from exc
        unknown = sorted(set(meta) - _META_KEYS)
        if unknown:
            raise OutputError(
                f"{path}: unknown key(s) {', '.join(unknown)}; known keys are "
                f"{', '.join(sorted(_META_KEYS))}."
            )
    meta.update({k: v for k, v in options.items() if v is not None})
    if isinstance(meta.get("current_slots"), str):
        meta["current_slots"] = [s.strip() for s in meta["current_slots"].split(",") if s.strip()]
    return meta


def _cover(ctx, data_dir: Path, generated: str) -> dict:
    t = {k: v[ctx.lang] for k, v in LABELS.items()}
    d, meta = ctx.data, ctx.meta
    programmes = meta.get("programme") or (
        ctx.codes(sorted(d.sessions["program"].astype("str").unique())) if len(d.sessions) else ""
    )
    period = meta.get("period") or (
        f"{ctx.date(d.sessions['start_date'].min())} – {ctx.date(d.sessions['end_date'].max())}"
        if len(d.sessions)
        else fmt.MISSING
    )
    source = meta.get("data_source") or t["source_files"].format(
        n=len(d.present), folder=data_dir.name, tables=", ".join(d.present)
    )
    return {
        "title": meta.get("title") or t["title"],
        "rows": [
            (t["office"], meta.get("office") or t["office_missing"]),
            (t["programmes"], programmes or fmt.MISSING),
            (t["period"], period),
            (t["source"], source),
        ],
        "generated": generated,
    }


def _summary(ctx, results) -> list[dict]:
    by_level = {}
    for kf in ctx.key_figures:
        by_level.setdefault(kf.level, []).append(kf)
    levels = []
    for level in range(1, 6):
        figures = by_level.get(level, [])
        entry = {"level": level, "name": label(f"level_{level}", ctx.lang), "figures": figures}
        entry["verdict"] = next((f.verdict for f in figures if f.verdict), "")
        entry["chart"] = next((f.chart for f in figures if f.chart is not None), None)
        if not figures:
            parts = [p for r in results if r.level == level for p in r.parts]
            first = parts[0] if parts else None
            if first is not None and first.status == "failed":
                entry["gap"] = LABELS["level_failed"][ctx.lang]
            else:
                reason = first.reason if first is not None else fmt.MISSING
                entry["gap"] = LABELS["level_gap"][ctx.lang].format(reason=reason)
        levels.append(entry)
    return levels


def _readiness_rows(table: pd.DataFrame, lang: str) -> dict:
    headers = [RUN_LABELS[k][lang] for k in ("section", "analysis", "status", "why", "add")]
    return {"headers": headers, "rows": table.to_dict("records")}


def _render(ctx, results, table, cover) -> str:
    import jinja2

    from toolkit import __version__
    from toolkit.report.appendix import methods

    here = Path(__file__).parent / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(here), autoescape=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )  # fmt: skip
    recs = ctx.cache.get("recommendations")
    recommendations = [] if recs is None else recs.to_dict("records")
    return env.get_template("report.html.j2").render(
        lang=ctx.lang, version=__version__, css=(here / "report.css").read_text("utf-8"),
        t={k: v[ctx.lang] for k, v in LABELS.items()}, cover=cover,
        summary=_summary(ctx, results), recommendations=recommendations,
        recommendations_gap=LABELS["no_recommendations"][ctx.lang],
        sections=results, methods=methods(ctx.lang, ctx.min_group), readiness=_readiness_rows(table, ctx.lang),
    )  # fmt: skip


def _key_figures_frame(ctx) -> pd.DataFrame:
    cols = ["level", "key", "name", "estimate", "ci_low", "ci_high", "n", "shown", "verdict"]
    return pd.DataFrame([{c: getattr(k, c) for c in cols} for k in ctx.key_figures], columns=cols)


def build_report(
    data: str | Path,
    out: str | Path,
    *,
    lang: str = "id",
    formats=("html",),
    office: str | None = None,
    title: str | None = None,
    current_slots=None,
    generated: str | None = None,
    log=_STDERR,
    min_group: int = MIN_GROUP,
) -> ReportResult:
    """Analyse the tables in ``data`` and write the evaluation report into ``out``.

    Parameters
    ----------
    data : str or Path
        Folder with the evaluation tables (validated first with :func:`toolkit.data.load`)
        and optionally ``report.toml`` (see :func:`metadata`) and ``evaluation_plan.csv``.
    out : str or Path
        Report folder: new, empty, or a previous report of this toolkit (replaced only
        when the new one is complete). Never the data folder or a folder around it.
    lang : {"id", "en"}
        Language of every word and number in the report.
    formats : iterable of {"html", "pdf"}
        ``index.html`` is always written; ``pdf`` adds ``report.pdf`` (A4, page numbers),
        printed by Chromium through Playwright.
    office, title : str, optional
        Shown on the cover; override ``report.toml``.
    current_slots : list of str, optional
        The weekly slots in use now, compared with the recommended ones.
    generated : str, optional
        The cover's date line (the current date and time by default).
    log : file, optional
        Where the progress bar, the loader's notes, the files written and the failed
        analyses are shown (standard error by default); None for silence.
    min_group : int, default 5
        Fewest people a published figure may rest on (:mod:`toolkit.disclosure`): smaller
        groups, and the groups that would give them away by differencing, are not shown.

    Returns
    -------
    ReportResult
        ``out``, the ``files`` written, the analyses that ``failed`` (their tracebacks are
        in ``report.log``) and the ``readiness`` table.

    Raises
    ------
    toolkit.data.DataError
        If the data are invalid (nothing is written).
    toolkit.report.output.OutputError
        If ``out`` is unsafe to write (nothing is written or removed).
    """
    from toolkit.data import load
    from toolkit.report.sections import sections as all_sections

    log = sys.stderr if log is _STDERR else log
    check_one_of("lang", lang, ("id", "en"))
    formats = [formats] if isinstance(formats, str) else list(formats)
    for f in formats:
        check_one_of("formats", f, FORMATS)
    min_group = check_min_group(min_group)
    data_dir, out = Path(data).resolve(), Path(out).resolve()
    check_target(out, data_dir)
    if "pdf" in formats:
        from toolkit.report.pdf import check_available

        check_available()  # before any work: say what to install
    meta = metadata(data_dir, office=office, title=title, current_slots=current_slots)
    evaluation = load(data_dir)
    if log is not None:
        for text in evaluation.notes:
            print(f"Note: {text}", file=log)
    ctx = Context(evaluation, lang, data_dir, meta, min_group=min_group)
    sections = all_sections()
    n_analyses = sum(len(s.analyses) for s in sections)
    problems: list = []
    from tqdm import tqdm

    with tqdm(total=n_analyses, desc="report", unit="analysis", file=log,
              disable=log is None, leave=False) as bar:  # fmt: skip
        results = run_sections(ctx, sections, progress=lambda _: bar.update(), log=problems)
    table = readiness(evaluation, sections, lang=lang, results=results, data_dir=data_dir)
    stamp = generated or _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    page = _render(ctx, results, table, _cover(ctx, data_dir, stamp))
    failed = [f"{s}/{a}" for s, a, text in problems if not text.startswith("warning:")]
    result = ReportResult(out, failed=failed, readiness=table)
    with staging(out) as tmp:
        (tmp / "index.html").write_text(page, encoding="utf-8")
        _key_figures_frame(ctx).to_csv(tmp / "key_figures.csv", index=False, lineterminator="\n")
        table.to_csv(tmp / "readiness.csv", index=False, lineterminator="\n")
        recs = ctx.cache.get("recommendations")
        if recs is not None:
            recs.to_csv(tmp / "recommendations.csv", index=False, lineterminator="\n")
        if problems:
            text = "\n\n".join(f"[{s} / {a}]\n{msg.rstrip()}" for s, a, msg in problems)
            (tmp / "report.log").write_text(text + "\n", encoding="utf-8")
        if "pdf" in formats:
            from toolkit.report.pdf import print_pdf

            print_pdf(tmp / "index.html", tmp / "report.pdf", footer_label=_footer(ctx, stamp))
        result.files = sorted(p.name for p in tmp.iterdir())
    if log is not None:
        for name in result.files:
            print(f"wrote {out / name}", file=log)
        for name in failed:
            print(f"failed: {name} (traceback in {out / 'report.log'})", file=log)
    return result


def _footer(ctx, stamp: str) -> str:
    office = ctx.meta.get("office") or ""
    words = LABELS["kicker"][ctx.lang]
    return f"{words}{' – ' + office if office else ''} · {stamp}"
