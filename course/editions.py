"""Per-language JupyterLab editions of the bilingual course notebooks.

The authoring sources are ``notebooks/NN_*.ipynb``, ``notebooks/explore.ipynb`` and
``notebooks/solutions/*.ipynb``: every markdown cell tagged ``lang-en`` or ``lang-id``,
code cells shared. For each language this writes ``notebooks/<lang>/`` (and
``notebooks/<lang>/solutions/``) with

* the prose of that language only (cells tagged with the other language dropped);
* ``LANG = "<lang>"`` in the ``parameters`` cell, so tables and figures use its labels;
* every ``check`` cell collapsed (``metadata.jupyter.source_hidden`` / ``outputs_hidden``):
  still run, out of the reader's way;

then executes each edition in its own folder with nbclient (the kernel of this Python),
removes ``metadata.execution`` and renumbers widget model ids, so that two runs on the same
sources write the same bytes.

Run ``python -m course.editions`` (``make course-notebooks``); ``--check`` only verifies
that the committed editions are in step with the sources (no execution), ``-j`` sets the
number of notebooks executed at once.

THE SWITCH. :data:`EDITIONS_ARE_THE_COURSE` says which notebooks nbval checks
(the pytest plugin ``course/nbselect.py`` reads it): while ``False`` the sources are checked and the
editions skipped; once ``True`` the editions are checked, the sources skipped, and this
command also strips the sources' outputs (they are authoring files then).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

#: Flip to True once the content is final (see the module docstring).
EDITIONS_ARE_THE_COURSE = True

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("id", "en")
#: Notebooks in notebooks/ that are not part of the course (the Voilà app).
NOT_COURSE = frozenset({"explore_app.ipynb"})
LANG_TAG = {"id": "lang-id", "en": "lang-en"}
_LANG_LINE = re.compile(r"""^(LANG\s*=\s*)(["'])(?:id|en)\2""", re.MULTILINE)
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


class EditionError(RuntimeError):
    """The editions are missing or out of step with the sources."""


def sources(root: Path = ROOT) -> list[Path]:
    """The bilingual source notebooks, course first, then solutions (relative order fixed)."""
    base = root / "notebooks"
    course = [p for p in sorted(base.glob("*.ipynb")) if p.name not in NOT_COURSE]
    return course + sorted((base / "solutions").glob("*.ipynb"))


def edition_path(source: Path, lang: str, root: Path = ROOT) -> Path:
    """Where the ``lang`` edition of ``source`` lives: ``notebooks/<lang>/…``."""
    return root / "notebooks" / lang / source.relative_to(root / "notebooks")


def edition(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """The ``lang`` edition of a bilingual notebook, not executed (outputs kept as they are).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("Hello", metadata={"tags": ["lang-en"]}),
    ...     nbformat.v4.new_markdown_cell("Halo", metadata={"tags": ["lang-id"]}),
    ...     nbformat.v4.new_code_cell('LANG = "id"', metadata={"tags": ["parameters"]}),
    ...     nbformat.v4.new_code_cell("assert True", metadata={"tags": ["check"]})])
    >>> en = edition(nb, "en")
    >>> [c.source for c in en.cells]
    ['Hello', 'LANG = "en"', 'assert True']
    >>> en.cells[2].metadata.jupyter
    {'source_hidden': True, 'outputs_hidden': True}
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    other = LANG_TAG["en" if lang == "id" else "id"]
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        tags = cell.metadata.get("tags", [])
        if other in tags:
            continue
        if cell.cell_type == "code":
            if "parameters" in tags:
                cell.source = _LANG_LINE.sub(rf'\g<1>"{lang}"', cell.source)
            if "check" in tags:
                cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        cell.metadata.pop("execution", None)
        cells.append(cell)
    out.cells = cells
    return out


def signature(nb: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    """What the in-step test compares: each cell's type, source and tags."""
    return [(c.cell_type, c.source, tuple(c.metadata.get("tags", []))) for c in nb.cells]


def stale(root: Path = ROOT) -> list[str]:
    """The editions that are missing or whose cells differ from their sources' (no execution)."""
    problems = []
    for src in sources(root):
        nb = nbformat.read(src, as_version=4)
        for lang in LANGS:
            target = edition_path(src, lang, root)
            if not target.is_file():
                problems.append(f"{target.relative_to(root)} is missing")
            elif signature(nbformat.read(target, as_version=4)) != signature(edition(nb, lang)):
                problems.append(f"{target.relative_to(root)} is out of step with its source")
    for lang in LANGS:
        known = {edition_path(s, lang, root) for s in sources(root)}
        for extra in sorted((root / "notebooks" / lang).rglob("*.ipynb")):
            if extra not in known and ".ipynb_checkpoints" not in extra.parts:
                problems.append(f"{extra.relative_to(root)} has no source")
    return problems


def _renumber_widgets(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Replace the random widget model ids by ids derived from the notebook's name."""
    ids: list[str] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            model = output.get("data", {}).get(_WIDGET_MIME, {}).get("model_id")
            if model and model not in ids:
                ids.append(model)
    state = nb.metadata.get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    ids += [key for key in state if key not in ids]
    if not ids:
        return nb
    text = json.dumps(nb)
    for i, old in enumerate(ids):
        text = text.replace(old, uuid.uuid5(uuid.NAMESPACE_URL, f"{name}#{i}").hex)
    return nbformat.from_dict(json.loads(text))


def execute(nb: nbformat.NotebookNode, folder: Path, timeout: int = 900):
    """Run ``nb`` in ``folder`` with a kernel of this Python (never another environment)."""
    import ipykernel.kernelspec
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from traitlets import default

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return self.kernel_spec_class(
                resource_dir=ipykernel.kernelspec.RESOURCES,
                **ipykernel.kernelspec.get_kernel_dict(),
            )

    class ThisPythonKernel(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return ThisPython(data_dir=self.data_dir)

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="this-python",
        kernel_manager_class=ThisPythonKernel,
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    ).execute()
    return nb


def _try_edition(job: tuple[str, str, str, bool]) -> tuple[str, str]:
    """(written path, "") or ("", why it failed): one failure does not stop the others."""
    try:
        return _write_edition(job), ""
    except EditionError as err:
        return "", str(err)


def _write_edition(job: tuple[str, str, str, bool]) -> str:
    src, lang, root, run = job
    source, root_path = Path(src), Path(root)
    target = edition_path(source, lang, root_path)
    nb = edition(nbformat.read(source, as_version=4), lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    if run:
        from nbclient.exceptions import CellExecutionError

        try:
            nb = execute(nb, target.parent)
        except CellExecutionError as err:  # the edition is left as it was
            plain = re.sub(r"\x1b\[[0-9;]*m", "", str(err))
            lines = [x for x in plain.splitlines() if x.strip()]
            raise EditionError(f"{source.name} ({lang}) failed: {lines[-1][:300]}") from None
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nb = _renumber_widgets(nb, f"{lang}/{source.name}")
    nbformat.write(nb, target)
    return str(target.relative_to(root_path))


def strip_outputs(path: Path) -> None:
    """Remove the outputs, execution counts and widget state of an authoring source."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def build(root: Path = ROOT, jobs: int = 2, run: bool = True, only=None) -> list[str]:
    """Write (and execute) every edition; returns the files written."""
    chosen = [s for s in sources(root) if not only or s.stem in only or s.name in only]
    work = [(str(s), lang, str(root), run) for s in chosen for lang in LANGS]
    if jobs > 1 and run:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_try_edition, work))
    else:
        results = [_try_edition(job) for job in work]
    failed = [why for _, why in results if why]
    if failed:
        raise EditionError(
            f"{len(failed)} edition(s) could not be executed (the others were written):\n  "
            + "\n  ".join(failed)
        )
    written = [path for path, _ in results]
    if not only:  # editions whose source is gone
        for lang in LANGS:
            known = {edition_path(s, lang, root) for s in sources(root)}
            for extra in (root / "notebooks" / lang).rglob("*.ipynb"):
                if extra not in known and ".ipynb_checkpoints" not in extra.parts:
                    extra.unlink()
    if EDITIONS_ARE_THE_COURSE and run:
        for src in chosen:
            strip_outputs(src)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.editions", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check the editions are in step")
    parser.add_argument("--no-execute", action="store_true", help="write without executing")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="notebooks run at once")
    parser.add_argument("only", nargs="*", help="only these notebooks (stem or file name)")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            print("Run `make course-notebooks` to regenerate the editions.", file=sys.stderr)
        return 1 if problems else 0
    try:
        written = build(jobs=args.jobs, run=not args.no_execute, only=set(args.only))
    except EditionError as err:
        print(err, file=sys.stderr)
        return 1
    for path in written:
        print("wrote", path)
    if not args.only:
        from course.timings import write_readme

        if write_readme():
            print("wrote notebooks/README.md (the timing table)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
