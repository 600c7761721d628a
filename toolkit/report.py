"""The report: every notebook executed on the chosen data and converted to HTML.

``python -m toolkit report --data DIR --out DIR`` (what ``make report`` runs) validates the
data first, then executes each chapter notebook through papermill with the data folder and
language as parameters, converts it to HTML and writes an index page. Everything is built
in a temporary folder beside the output and moved into place only when complete, so a
failure never leaves half a report and never damages an earlier one.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from toolkit.data import load
from toolkit.findings import key_findings

__all__ = ["NOTEBOOKS_DIR", "chapters", "build_report"]

#: The folder of chapter notebooks.
NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"

#: Notebooks that are not chapters of the report (interactive ones).
NOT_CHAPTERS = {"explore.ipynb"}


def chapters(directory: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The chapter notebooks, in order (``00_…`` to ``10_…``).

    Examples
    --------
    >>> [p.name for p in chapters()][:1]
    ['00_introduction.ipynb']
    """
    return sorted(p for p in directory.glob("[0-9][0-9]_*.ipynb") if p.name not in NOT_CHAPTERS)


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].replace("*", "").replace("`", "").strip()
    return "Untitled"


def _strip_volatile(nb) -> None:
    """Remove timestamps and durations that papermill records, for reproducible output."""
    nb.metadata.pop("papermill", None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = f"injected-parameters-{i}"  # papermill draws a random id


_REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>\s*')
_MODULE_SCRIPT = re.compile(r'<script type="module">(?:(?!</script>).)*</script>\s*', re.S)


def _offline(page: str) -> str:
    """Drop the template's scripts that load from the internet (require.js, MathJax, mermaid).

    The report must open without a network; none of the chapters needs those scripts.
    """
    page = _REMOTE_SCRIPT.sub("", page)
    return _MODULE_SCRIPT.sub(lambda m: "" if "https://" in m.group(0) else m.group(0), page)


#: Formulas are typeset by a copy of MathJax shipped inside the report (no network needed).
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


def _copy_mathjax(target: Path) -> None:
    """Copy MathJax (from the jupyter-server-mathjax package) into the report folder."""
    import jupyter_server_mathjax

    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(static, target, ignore=shutil.ignore_patterns("localization"))


def _keep_language(nb, lang: str) -> None:
    """Drop the prose of the other language: cells tagged ``lang-en`` or ``lang-id``.

    The course notebooks carry each explanation in English and in Indonesian (both show in
    JupyterLab); a report shows one. Untagged cells are kept.
    """
    other = {"id": "lang-en", "en": "lang-id"}[lang]
    nb.cells = [c for c in nb.cells if other not in c.metadata.get("tags", [])]


def _execute(path: Path, parameters: dict, workdir: Path):
    import nbformat
    import papermill

    out = workdir / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters=parameters,
        cwd=str(path.parent),
        progress_bar=False,
        log_output=False,
        kernel_name="python3",
    )
    nb = nbformat.read(out, as_version=4)
    _strip_volatile(nb)
    return nb


_TEXT = {
    "heading": {"id": "Laporan evaluasi pelatihan ASN", "en": "ASN training evaluation report"},
    "intro": {
        "id": "Temuan utama di setiap level, dihitung dari data yang dipilih. Setiap bab adalah "
        "notebook yang dijalankan ulang pada data tersebut.",
        "en": "Key findings at each level, computed from the chosen data. Each chapter is a "
        "notebook re-executed on those data.",
    },
    "findings": {"id": "Temuan utama", "en": "Key findings"},
    "recommendations": {"id": "Rekomendasi", "en": "Recommendations"},
    "no_recommendations": {
        "id": "Tidak ada rekomendasi yang dapat diturunkan dari data ini",
        "en": "No recommendation could be derived from these data",
    },
    "chapters": {"id": "Bab", "en": "Chapters"},
    "generated": {"id": "Dibuat", "en": "Generated"},
}
#: The one line of the report that changes from run to run (tests ignore it).
GENERATED_PREFIX = '<p class="generated">'


def _recommendations(evaluation, lang: str) -> tuple[list[str], pd.DataFrame | None]:
    """Texts of the recommendations that fired, or the reason there are none."""
    from toolkit.recommendations import recommend_from_data

    try:
        table = recommend_from_data(evaluation)
    except (ValueError, KeyError) as exc:
        return [f"{_TEXT['no_recommendations'][lang]}: {exc}"], None
    texts = table.loc[table["fired"], f"text_{lang}"].tolist()
    return texts or [_TEXT["no_recommendations"][lang] + "."], table


def _index_page(entries, findings, recommendations, lang: str, generated: str) -> str:
    from toolkit.i18n import label

    t = {k: v[lang] for k, v in _TEXT.items()}
    levels = []
    for level, group in findings.groupby("level", sort=True):
        items = "".join(f"<li>{html.escape(text)}</li>" for text in group["text"])
        levels.append(f"<h3>{html.escape(label(f'level_{level}', lang))}</h3>\n<ul>{items}</ul>")
    chapters = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(title)}</a></li>'
        for href, title in entries
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{t['heading']}</title>\n"
        "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.5}"
        "h3{margin-bottom:.2em}.generated{color:#666;font-size:.9em}</style>\n"
        "</head>\n<body>\n"
        f"<h1>{t['heading']}</h1>\n<p>{t['intro']}</p>\n"
        f"<h2>{t['findings']}</h2>\n" + "\n".join(levels) + "\n"
        f"<h2>{t['recommendations']}</h2>\n<ul>"
        + "".join(f"<li>{html.escape(text)}</li>" for text in recommendations)
        + "</ul>\n"
        f"<h2>{t['chapters']}</h2>\n<ol>\n{chapters}\n</ol>\n"
        f"{GENERATED_PREFIX}{t['generated']}: {html.escape(generated)}</p>\n"
        "</body>\n</html>\n"
    )


def build_report(
    data: str | Path,
    out: str | Path,
    *,
    lang: str = "id",
    with_code: bool = False,
    notebooks: list[Path] | None = None,
    log=sys.stderr,
) -> Path:
    """Execute the chapter notebooks on ``data`` and write the HTML report to ``out``.

    Parameters
    ----------
    data : str or Path
        Folder with the evaluation tables (validated first with :func:`toolkit.data.load`).
    out : str or Path
        Report folder; replaced only once the new report is complete.
    lang : {"id", "en"}
        Language of the report's labels.
    with_code : bool
        Show code cells (reviewer mode); hidden by default.
    notebooks : list of Path, optional
        Chapters to run; all of :func:`chapters` by default.

    Returns
    -------
    Path
        The report folder.

    Raises
    ------
    toolkit.data.DataError
        If the data are invalid; raised before any notebook runs.
    """
    from nbconvert import HTMLExporter

    from toolkit.validation import check_one_of

    check_one_of("lang", lang, ("id", "en"))
    data = Path(data).resolve()
    out = Path(out).resolve()
    evaluation = load(data)  # stops here, before any notebook runs, if the data are invalid
    todo = chapters() if notebooks is None else list(notebooks)
    out.parent.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(
        template_name="lab", exclude_input=not with_code, mathjax_url=MATHJAX_URL
    )
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    params = {"DATA_DIR": str(data), "LANG": lang}
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        entries = []
        from tqdm import tqdm

        for path in tqdm(todo, desc="notebooks", unit="nb", file=log, disable=log is None):
            with tempfile.TemporaryDirectory() as work:
                nb = _execute(path, params, Path(work))
            _keep_language(nb, lang)
            title = _title(nb)
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
            body = _offline(body)
            target = path.with_suffix(".html").name
            (tmp / target).write_text(body, encoding="utf-8")
            entries.append((target, title))
        findings = key_findings(evaluation, lang=lang)
        advice, table = _recommendations(evaluation, lang)
        stamp = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        _copy_mathjax(tmp / "mathjax")
        (tmp / "index.html").write_text(
            _index_page(entries, findings, advice, lang, stamp), encoding="utf-8"
        )
        findings.to_csv(tmp / "findings.csv", index=False, lineterminator="\n")
        if table is not None:
            table.to_csv(tmp / "recommendations.csv", index=False, lineterminator="\n")
        (tmp / "manifest.json").write_text(
            json.dumps({"data": data.name, "lang": lang, "chapters": entries}, indent=2) + "\n",
            encoding="utf-8",
        )
        old = out.with_name(out.name + ".old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"report written to {out}", file=log)
    return out
