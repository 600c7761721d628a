"""Build the course book offline: ``build/course/id`` and ``build/course/en``.

``python -m course.build`` (``make course``) first checks that every per-language edition
exists and is in step with its source in ``course/notebooks/`` (:func:`course.editions.stale`;
it fails loudly otherwise: run ``make course-notebooks``), then, for each language, stages a
Sphinx source folder in ``build/course/_src/<lang>`` from

* the pages in ``course/pages/<lang>/`` (the manager track, the statistics primer, the
  facilitator's guide, the course's own evaluation, the glossary),
* the executed editions ``notebooks/<lang>/*.ipynb``, prepared for reading: ``check`` cells
  removed, the ``parameters`` input hidden, each exercise followed by its worked solution
  (taken from ``notebooks/<lang>/solutions/``) in a collapsed dropdown, concept-check
  answers collapsed, key takeaways in a box,
* the causal diagram drawn by :mod:`course.figures`, and the course-evaluation files,

and runs Sphinx (MyST-NB, nothing executed) on it. MathJax 2 is copied from the installed
``jupyter_server_mathjax`` into the build; a page that asks for any other host in a
``<script>`` or ``<link>`` fails the build.
"""

from __future__ import annotations

import argparse
import base64
import copy
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from course import editions

ROOT = editions.ROOT
COURSE = ROOT / "course"
OUT = ROOT / "build" / "course"

WORDS = {
    "id": {
        "solution": "Penyelesaian Latihan {n}",
        "solutions": "Penyelesaian latihan",
        "takeaways": "Poin utama",
        "answer": "Jawaban",
        "widget": "*(Widget interaktif: berjalan di JupyterLab, atau sebagai aplikasi web "
        "dengan `make explore`. Buku ini menampilkan keluaran cetaknya.)*",
    },
    "en": {
        "solution": "Solution to exercise {n}",
        "solutions": "Solutions to the exercises",
        "takeaways": "Key takeaways",
        "answer": "Answer",
        "widget": "*(An interactive widget: it runs in JupyterLab, or as a web app with "
        "`make explore`. The book shows what it prints.)*",
    },
}
_WIDGET = "application/vnd.jupyter.widget-view+json"
_EXERCISE = re.compile(r"^#{2,4}\s+(?:Exercise|Latihan)\s+(\d+)\b.*$", re.MULTILINE)
_EXERCISES = re.compile(r"^#{2,3}\s+(?:Exercises|Latihan)\s*$", re.MULTILINE)
_SOLUTION = re.compile(
    r"^#{2,4}\s+(?:(?:Exercise|Latihan|Solution|Penyelesaian)\s+)?(\d+)\b[.:]?\s*(.*)$",
    re.MULTILINE,
)
#: With "Exercise N" / "Latihan N" headings only those start a solution ("#### 2. Step" not).
_SOLUTION_NAMED = re.compile(r"^#{2,4}\s+(?:Exercise|Latihan)\s+(\d+)\b[.:]?\s*(.*)$", re.MULTILINE)
_DETAILS = re.compile(
    r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.DOTALL | re.IGNORECASE
)
_TAKEAWAYS = re.compile(r"^\s*\*\*(Key takeaways|Poin utama)\.?\*\*[.:]?\s*", re.IGNORECASE)


class BookError(RuntimeError):
    """The book cannot be built (missing or stale editions, a page loading a remote file)."""


# ----------------------------------------------------------------------------- solutions
def _solution_segments(nb: nbformat.NotebookNode) -> dict[int, tuple[str, list]]:
    """The solutions notebook cut at its "Exercise N" headings: {N: (title, cells)}.

    A markdown cell holding a heading part-way (the end of one solution's discussion, then
    the next heading) is split at the heading; cells before the first heading (imports,
    loading the data) belong to no solution.
    """
    segments: dict[int, tuple[str, list]] = {}
    current = None
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    heading = _SOLUTION_NAMED if _SOLUTION_NAMED.search(prose) else _SOLUTION
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            pieces, last = [], 0
            for m in heading.finditer(cell.source):
                pieces.append((None, cell.source[last : m.start()]))
                last = m.end()
                pieces.append((m, ""))
            pieces.append((None, cell.source[last:]))
            for m, text in pieces:
                if m is not None:
                    current = int(m.group(1))
                    segments.setdefault(current, (m.group(2).strip(), []))
                elif text.strip() and current is not None:
                    segments[current][1].append(nbformat.v4.new_markdown_cell(text.strip()))
        elif current is not None and "check" not in tags:
            segments[current][1].append(cell)
    return segments


def _fence(text: str, info: str = "") -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def _output_markdown(output, images: Path, stem: str, rel: str, lang: str) -> str:
    """One code output as MyST: text, an image file, or raw HTML."""
    kind = output.get("output_type")
    if kind == "stream":
        return _fence(output.get("text", ""), "text") if output.get("name") == "stdout" else ""
    if kind == "error":
        raise BookError(f"{stem}: a solution cell failed ({output.get('ename')})")
    data = output.get("data", {})
    if _WIDGET in data:
        return WORDS[lang]["widget"]
    if "image/png" in data:
        images.mkdir(parents=True, exist_ok=True)
        n = len(list(images.glob(f"{stem}_*.png")))
        name = f"{stem}_{n + 1}.png"
        (images / name).write_bytes(base64.b64decode(data["image/png"]))
        return f"![]({rel}/{name})"
    if "text/html" in data:
        return "```{raw} html\n" + data["text/html"].rstrip() + "\n```"
    if "text/markdown" in data:
        return data["text/markdown"]
    if "text/plain" in data:
        return _fence(data["text/plain"], "text")
    return ""


def _solution_cell(n: int, title: str, cells: list, lang: str, images: Path, stem: str):
    """A markdown cell: a collapsed dropdown holding one worked solution."""
    parts = []
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code" and cell.source.strip():
            parts.append(_fence(cell.source, "python"))
            for output in cell.get("outputs", []):
                text = _output_markdown(output, images, f"{stem}_{n}_{i}", "_solutions", lang)
                if text:
                    parts.append(text)
    sep = " " if title.startswith("(") else ": "  # "Exercise 1 (warm-up)" keeps its brackets
    heading = WORDS[lang]["solution"].format(n=n) + (f"{sep}{title}" if title else "")
    body = "\n\n".join(parts)
    colons = ":" * max(4, max((len(r) for r in re.findall(r"^:{3,}", body, re.M)), default=0) + 1)
    return nbformat.v4.new_markdown_cell(
        f"{colons}{{dropdown}} {heading}\n:class-container: solution\n\n{body}\n{colons}",
        metadata={"tags": ["solution"]},
    )


# ----------------------------------------------------------------------------- notebooks
def _concept_answers(source: str) -> str:
    def dropdown(m):
        return f"\n\n:::{{dropdown}} {m.group(1).strip()}\n{m.group(2).strip()}\n:::\n\n"

    return _DETAILS.sub(dropdown, source)


def prepare(nb, solutions, lang: str, images: Path, stem: str) -> nbformat.NotebookNode:
    """An executed edition made ready for the book (see the module docstring)."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # no widget JavaScript in the book
    cells = []
    for cell in nb.cells:
        tags = list(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if _WIDGET in output.get("data", {}):
                    output["data"] = {"text/markdown": WORDS[lang]["widget"]}
            if "check" in tags:
                tags.append("remove-cell")
            if "parameters" in tags:
                tags.append("hide-input")
        else:
            if "takeaways" in tags or _TAKEAWAYS.match(cell.source):
                body = _TAKEAWAYS.sub("", cell.source, count=1).strip()
                cell.source = (
                    f"::::{{admonition}} {WORDS[lang]['takeaways']}\n:class: tip takeaways\n\n"
                    f"{body}\n::::"
                )
            if "<details" in cell.source:
                cell.source = _concept_answers(cell.source)
        cell.metadata["tags"] = tags
        cells.append(cell)
    nb.cells = cells
    if solutions is None:
        return nb
    segments = _solution_segments(solutions)
    by_number = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for m in _EXERCISE.finditer(cell.source):
                by_number[int(m.group(1))] = i
    block = None
    if not by_number:
        block = next(
            (i for i, c in enumerate(nb.cells)
             if c.cell_type == "markdown" and _EXERCISES.search(c.source)),
            None,
        )  # fmt: skip
    after: dict[int | None, list] = {}
    for n, (title, seg) in sorted(segments.items()):
        where = by_number.get(n, block)
        if where is None and by_number:
            where = max(by_number.values())
        after.setdefault(where, []).append(_solution_cell(n, title, seg, lang, images, stem))
    out = []
    for i, cell in enumerate(nb.cells):
        out.append(cell)
        out.extend(after.get(i, []))
    if None in after:
        out.append(nbformat.v4.new_markdown_cell(f"## {WORDS[lang]['solutions']}"))
        out.extend(after[None])
    nb.cells = out
    return nb


def _notebook_entries(lang: str, src: Path) -> list[str]:
    """Stage every course notebook of ``lang``; returns their document names, in order."""
    names = []
    target = src / "notebooks"
    images = target / "_solutions"
    for source in editions.sources():
        if source.parent.name == "solutions":
            continue
        nb = nbformat.read(editions.edition_path(source, lang), as_version=4)
        sol_path = editions.edition_path(
            source.parent / "solutions" / f"{source.stem}_solutions{source.suffix}", lang
        )
        sol = nbformat.read(sol_path, as_version=4) if sol_path.is_file() else None
        book = prepare(nb, sol, lang, images, source.stem)
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(book, target / f"{source.stem}.ipynb")
        names.append(f"notebooks/{source.stem}")
    return names


def stage(lang: str, out: Path = OUT) -> Path:
    """The Sphinx source folder of ``lang``: pages, notebooks, figures, downloads."""
    from course.figures import causal_diagram

    src = out / "_src" / lang
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(COURSE / "pages" / lang, src)
    shutil.copytree(COURSE / "evaluation", src / "evaluation")
    causal_diagram(lang, src / "_figures" / "selection_into_methods.png")
    notebooks = _notebook_entries(lang, src)
    from course.timings import markdown

    fill = {"index.md": ("{{notebooks}}", "\n".join(notebooks)),
            "facilitator.md": ("{{timings}}", markdown(lang))}  # fmt: skip
    for name, (mark, text) in fill.items():
        page = src / name
        page.write_text(page.read_text("utf-8").replace(mark, text), "utf-8")
    return src


# ----------------------------------------------------------------------------- checking
class _Remote(HTMLParser):
    def __init__(self):
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        url = values.get("src") if tag == "script" else values.get("href")
        remote = url and re.match(r"^(https?:)?//", url)
        local = url and re.match(r"^(https?:)?//(localhost|127\.0\.0\.1)([:/]|$)", url)
        if tag in ("script", "link") and remote and not local:
            self.remote.append(f"<{tag}> {url}")


def remote_assets(folder: Path) -> dict[str, list[str]]:
    """The pages of ``folder`` whose <script> or <link> elements point to another host."""
    found = {}
    for page in sorted(folder.rglob("*.html")):
        parser = _Remote()
        parser.feed(page.read_text("utf-8"))
        if parser.remote:
            found[str(page.relative_to(folder))] = parser.remote
    return found


def _mathjax() -> Path:
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).resolve().parent / "static"


_LANDING = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Evaluasi Pelatihan ASN / Evaluating ASN
training</title></head><body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>Evaluasi Pelatihan ASN &middot; Evaluating ASN training</h1>
<ul><li><a href="id/index.html" hreflang="id">Kursus dalam Bahasa Indonesia</a></li>
<li><a href="en/index.html" hreflang="en">The course in English</a></li></ul>
</body></html>
"""


def build(
    out: Path = OUT, langs=editions.LANGS, quiet: bool = True, allow_stale: bool = False
) -> list[Path]:
    """Check the editions, stage and build each language; returns the language folders.

    ``allow_stale`` (a preview while the sources are being edited) builds from editions
    that are out of step with their sources, with a warning; a missing edition always fails.
    """
    problems = editions.stale()
    if allow_stale:
        for problem in problems:
            print("warning:", problem, file=sys.stderr)
        problems = [p for p in problems if not p.endswith("out of step with its source")]
    if problems:
        raise BookError(
            "The per-language notebooks are missing or out of step with their sources:\n  "
            + "\n  ".join(problems)
            + "\nRun `make course-notebooks` (it regenerates and executes them), then "
            "`make course` again."
        )
    built = []
    for lang in langs:
        src = stage(lang, out)
        target = out / lang
        if target.exists():
            shutil.rmtree(target)
        env = {**os.environ, "COURSE_LANG": lang}
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(COURSE), "-n", "-W",
               "--keep-going", "-E", str(src), str(target)]  # fmt: skip
        if quiet:
            cmd.insert(3, "-q")
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode:
            raise BookError(f"Sphinx failed for {lang}:\n{done.stdout}\n{done.stderr}")
        shutil.copytree(_mathjax(), target / "_static" / "mathjax", dirs_exist_ok=True)
        remote = remote_assets(target)
        if remote:
            raise BookError(f"pages of {lang} load files from other hosts: {remote}")
        built.append(target)
    (out / "index.html").write_text(_LANDING, "utf-8")
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.build", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    parser.add_argument("--lang", choices=editions.LANGS, action="append", help="one language")
    parser.add_argument(
        "--allow-stale",
        action="store_true",
        help="preview: build even if editions are out of step with the sources",
    )
    args = parser.parse_args(argv)
    try:
        built = build(args.out, tuple(args.lang or editions.LANGS), allow_stale=args.allow_stale)
    except BookError as err:
        print(f"make course failed: {err}", file=sys.stderr)
        return 1
    for folder in built:
        print("built", folder / "index.html")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
