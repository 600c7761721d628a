"""The course's timings, measured from the notebooks themselves (``course/notebooks/*.md``).

Each notebook states its time in its first cell ("*Time: about 60 minutes*" /
"*Waktu: sekitar 60 menit*"); the facilitator's guide (the book) and the trainer's guide
(``notebooks/README.md``, between the ``timings`` markers) print that figure beside what
was counted: sections (``##`` headings before the exercises), exercises and words of prose,
so that a guide can never disagree with a notebook again. ``make course-notebooks``
rewrites the README's table.
"""

from __future__ import annotations

import re
from pathlib import Path

from course import editions

_TIME = {
    "en": re.compile(r"Time: about (\d+) minutes"),
    "id": re.compile(r"Waktu: sekitar (\d+) menit"),
}
_SECTION = re.compile(r"^## (?!Exercises|Latihan)", re.MULTILINE)
_EXERCISES = re.compile(r"^#{2,3} (?:Exercises|Latihan)\s*$", re.MULTILINE)
_EXERCISE = re.compile(r"^#{3,4} (?:Exercise|Latihan) \d+", re.MULTILINE)
_LIST_ITEM = re.compile(r"^\d+\. ", re.MULTILINE)
BEGIN, END = "<!-- timings: begin (written by make course-notebooks) -->", "<!-- timings: end -->"
HEADER = {
    "en": ("notebook", "stated time", "sections", "exercises", "words"),
    "id": ("notebook", "waktu yang dinyatakan", "bagian", "latihan", "kata"),
}
UNIT = {"en": "min", "id": "menit"}


def measure(path: Path, lang: str = "en") -> dict:
    """Stated minutes, sections, exercises and words of one source's ``lang`` prose."""
    nb = editions.read_source(path)
    prose = [
        c.source for c in nb.cells
        if c.cell_type == "markdown" and editions.LANG_TAG["id" if lang == "en" else "en"]
        not in c.metadata.get("tags", [])
    ]  # fmt: skip
    text = "\n\n".join(prose)
    stated = _TIME[lang].search(text)
    exercises = len(_EXERCISE.findall(text))
    if not exercises:  # one cell listing the exercises as a numbered list
        block = _EXERCISES.search(text)
        if block:
            rest = text[block.end() :]
            stop = re.search(r"^#{1,2} ", rest, re.MULTILINE)
            exercises = len(_LIST_ITEM.findall(rest[: stop.start()] if stop else rest))
    return {
        "notebook": path.stem,
        "minutes": int(stated.group(1)) if stated else None,
        "sections": len(_SECTION.findall(text)),
        "exercises": exercises,
        "words": len(text.split()),
    }


def table(lang: str = "en", root: Path = editions.ROOT) -> list[dict]:
    """:func:`measure` for every course notebook (not the solutions)."""
    return [measure(p, lang) for p in editions.sources(root) if p.parent.name != "solutions"]


def markdown(lang: str = "en", root: Path = editions.ROOT, words: bool = True) -> str:
    """The timing table as Markdown, with the total (``words=False``: without word counts)."""
    rows = table(lang, root)
    head = HEADER[lang][: 5 if words else 4]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for r in rows:
        minutes = f"{r['minutes']} {UNIT[lang]}" if r["minutes"] else "–"
        count = f"{r['words']:,}".replace(",", "." if lang == "id" else ",")
        cells = [f"`{r['notebook']}`", minutes, str(r["sections"]), str(r["exercises"])]
        lines.append("| " + " | ".join(cells + ([count] if words else [])) + " |")
    total = sum(r["minutes"] or 0 for r in rows)
    hours = f"{total / 60:.1f}".replace(".", "," if lang == "id" else ".")
    label, h = {"en": ("total", "h"), "id": ("jumlah", "jam")}[lang]
    lines.append(f"| {label} | {total} {UNIT[lang]} (≈ {hours} {h}) |" + " |" * (len(head) - 2))
    return "\n".join(lines)


def write_readme(root: Path = editions.ROOT) -> bool:
    """Rewrite the table between the markers of ``notebooks/README.md``; True if changed."""
    path = root / "notebooks" / "README.md"
    text = path.read_text("utf-8")
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{markdown('en', root, words=False)}\n{END}{tail}"
    if new != text:
        path.write_text(new, "utf-8")
    return new != text
