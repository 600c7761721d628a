"""Per-language JupyterLab editions of the bilingual course notebooks.

The authoring sources are text: jupytext MyST markdown (``md:myst``) in ``course/notebooks/``
(``NN_*.md``, ``explore.md``) and ``course/notebooks/solutions/``, every markdown cell
tagged ``lang-en`` or ``lang-id``, code cells shared. They hold no outputs. Authors open
them in JupyterLab as notebooks (jupytext: *Open With → Jupytext Notebook*) or in any text
editor; :func:`read_source` is the one reader of a source (:func:`source_text` its writer).
For each language this writes ``notebooks/<lang>/`` (and ``notebooks/<lang>/solutions/``),
``.ipynb`` files, with

* the prose of that language only (cells tagged with the other language dropped);
* ``LANG = "<lang>"`` in the ``parameters`` cell, so tables and figures use its labels;
* every ``check`` cell collapsed (``metadata.jupyter.source_hidden`` / ``outputs_hidden``):
  still run, out of the reader's way;

then executes each edition in its own folder with nbclient (the kernel of this Python),
removes ``metadata.execution`` and renumbers widget model ids, so that two runs on the same
sources write the same bytes.

Run ``python -m course.editions`` (``make course-notebooks``); ``--check`` only verifies
that the committed editions are in step with the sources (no execution), ``-j`` sets the
number of notebooks executed at once, ``--normalize`` rewrites the sources as jupytext
writes them.

The editions are the course: nbval checks them (they are committed executed); the sources,
being text, are never collected by nbval. No other ``.ipynb`` may live in ``notebooks/``
besides the editions and the Voilà app (:func:`strays`), so that no unexecuted notebook
is committed. The files this command wrote are listed in ``notebooks/.editions``
(:data:`RECORD`): an edition whose source is gone is removed only if it is listed there; any
other notebook is left where it is, and ``--check`` names it.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("id", "en")
#: Where the sources live, relative to the repository, and their jupytext format.
SOURCE_DIR = Path("course") / "notebooks"
SOURCE_FORMAT = "md:myst"
#: The editions this command wrote, relative to the repository (one path per line).
RECORD = Path("notebooks") / ".editions"
_RECORD_HEADER = (
    "# The editions `python -m course.editions` wrote (do not edit): only these are removed\n"
    "# when their source in course/notebooks/ is gone; any other notebook is left alone.\n"
)
#: Notebooks in notebooks/ that are not part of the course (the Voilà app).
NOT_COURSE = frozenset({"explore_app.ipynb"})
LANG_TAG = {"id": "lang-id", "en": "lang-en"}
_LANG_LINE = re.compile(r"""^(LANG\s*=\s*)(["'])(?:id|en)\2""", re.MULTILINE)
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Kept in every source's header: the jupytext version that saved a file is not recorded,
#: so that saving with another version changes nothing.
_JUPYTEXT_META = {"notebook_metadata_filter": "-jupytext.text_representation.jupytext_version"}


class EditionError(RuntimeError):
    """The editions are missing or out of step with the sources."""


def sources(root: Path = ROOT) -> list[Path]:
    """The bilingual sources (``course/notebooks/*.md``), course first, then solutions.

    Examples
    --------
    >>> [p.relative_to(ROOT).as_posix() for p in sources()][:2]
    ['course/notebooks/00_introduction.md', 'course/notebooks/01_objectives.md']
    >>> sources()[-1].relative_to(ROOT).as_posix()
    'course/notebooks/solutions/explore_solutions.md'
    """
    base = root / SOURCE_DIR
    return sorted(base.glob("*.md")) + sorted((base / "solutions").glob("*.md"))


def edition_path(source: Path, lang: str, root: Path = ROOT) -> Path:
    """Where the ``lang`` edition of ``source`` lives: ``notebooks/<lang>/….ipynb``.

    Examples
    --------
    >>> source = ROOT / "course" / "notebooks" / "solutions" / "03_reaction_solutions.md"
    >>> edition_path(source, "en").relative_to(ROOT).as_posix()
    'notebooks/en/solutions/03_reaction_solutions.ipynb'
    """
    relative = source.relative_to(root / SOURCE_DIR).with_suffix(".ipynb")
    return root / "notebooks" / lang / relative


def _stable_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Cell ids from each cell's type and text (jupytext keeps none): the same every read."""
    seen: dict[str, int] = {}
    for cell in nb.cells:
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        seen[digest] = seen.get(digest, 0) + 1
        cell["id"] = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"
    return nb


def read_source(path: Path) -> nbformat.NotebookNode:
    """A bilingual source (jupytext MyST markdown) as a notebook; the one reader of sources.

    The cells keep their type, text and metadata (tags, ``jupyter``) exactly; their ids are
    derived from their text, so that two reads (and two builds) give the same notebook;
    jupytext's own header is left out of the notebook's metadata.

    Examples
    --------
    >>> nb = read_source(ROOT / "course" / "notebooks" / "03_reaction.md")
    >>> nb.cells[0].metadata.tags, nb.cells[0].source.splitlines()[0]
    (['lang-en'], '# 03 · Reaction: what participants thought of the training')
    >>> [c.cell_type for c in nb.cells[2:4]], nb.cells[2].metadata.tags
    (['code', 'code'], ['parameters'])
    >>> sorted(nb.metadata)
    ['kernelspec']
    >>> again = read_source(ROOT / "course" / "notebooks" / "03_reaction.md")
    >>> [c.id for c in again.cells] == [c.id for c in nb.cells]
    True
    """
    nb = jupytext.read(path, fmt=SOURCE_FORMAT)
    nb.metadata.pop("jupytext", None)
    return _stable_ids(nb)


def source_text(nb: nbformat.NotebookNode) -> str:
    """A notebook as the text of a source (what :func:`read_source` reads back).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("Hello", metadata={"tags": ["lang-en"]}),
    ...     nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["check"]})])
    >>> print(source_text(nb))
    ---
    jupytext:
      notebook_metadata_filter: -jupytext.text_representation.jupytext_version
      text_representation:
        extension: .md
        format_name: myst
        format_version: 0.13
    ---
    <BLANKLINE>
    +++ {"tags": ["lang-en"]}
    <BLANKLINE>
    Hello
    <BLANKLINE>
    ```{code-cell}
    :tags: [check]
    <BLANKLINE>
    x = 1
    ```
    <BLANKLINE>
    """
    nb = copy.deepcopy(nb)
    nb.metadata["jupytext"] = dict(_JUPYTEXT_META)
    return jupytext.writes(nb, SOURCE_FORMAT)


def write_source(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path`` as a source (:func:`source_text`, UTF-8)."""
    path.write_text(source_text(nb), encoding="utf-8")


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


def strays(root: Path = ROOT) -> list[Path]:
    """Notebook files that should not exist: any ``.ipynb`` in ``notebooks/`` that is neither
    an edition of a source nor the Voilà app, and any in ``course/notebooks/`` (the sources
    are text). An unexecuted notebook committed there would be a second, stale copy.

    Examples
    --------
    >>> strays()
    []
    """
    known = {edition_path(s, lang, root) for s in sources(root) for lang in LANGS}
    known |= {root / "notebooks" / name for name in NOT_COURSE}
    found = [p for p in (root / "notebooks").rglob("*.ipynb") if p not in known]
    found += list((root / SOURCE_DIR).rglob("*.ipynb"))
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)


def stale(root: Path = ROOT) -> list[str]:
    """The editions that are missing or whose cells differ from their sources' (no execution),
    and the notebooks that should not exist (:func:`strays`)."""
    problems = []
    for src in sources(root):
        nb = read_source(src)
        for lang in LANGS:
            target = edition_path(src, lang, root)
            if not target.is_file():
                problems.append(f"{target.relative_to(root)} is missing")
            elif signature(nbformat.read(target, as_version=4)) != signature(edition(nb, lang)):
                problems.append(f"{target.relative_to(root)} is out of step with its source")
    for extra in strays(root):
        rel = extra.relative_to(root)
        if rel.parts[:2] in {("notebooks", lang) for lang in LANGS}:
            problems.append(f"{rel} has no source")
        else:
            problems.append(
                f"{rel} is not an edition: the sources are {SOURCE_DIR.as_posix()}/*.md "
                "(jupytext MyST), the editions notebooks/<lang>/"
            )
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
    nb = edition(read_source(source), lang)
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
        # the ids are named after the edition's file (as when the sources were .ipynb)
        nb = _renumber_widgets(nb, f"{lang}/{target.name}")
    nbformat.write(nb, target)
    return str(target.relative_to(root_path))


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
    ours = recorded(root) | {root / path for path in written}
    if not only:  # editions this command wrote whose source is gone (--check names the rest)
        for extra in strays(root):
            if extra in ours:
                extra.unlink()
    record(root, {path for path in ours if path.is_file()})
    return written


def recorded(root: Path = ROOT) -> set[Path]:
    """The editions listed in :data:`RECORD` (none if it does not exist)."""
    path = root / RECORD
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {root / line for line in lines if line.strip() and not line.startswith("#")}


def record(root: Path, editions: set[Path]) -> None:
    """List ``editions`` in :data:`RECORD`, sorted (the same bytes for the same files).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> record(root, {root / "notebooks" / "en" / "b.ipynb", root / "notebooks" / "id" / "a.ipynb"})
    >>> sorted(p.relative_to(root).as_posix() for p in recorded(root))
    ['notebooks/en/b.ipynb', 'notebooks/id/a.ipynb']
    """
    lines = sorted(path.relative_to(root).as_posix() for path in editions)
    (root / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (root / RECORD).write_text(_RECORD_HEADER + "".join(f"{x}\n" for x in lines), "utf-8")


def normalize(root: Path = ROOT) -> list[Path]:
    """Rewrite every source as jupytext writes it (:func:`source_text`); returns those changed.

    A source is rewritten only if its cells survive the rewrite unchanged (type, text, tags);
    otherwise :class:`EditionError` names it and nothing is written.
    """
    changed = {}
    for path in sources(root):
        nb = read_source(path)
        text = source_text(nb)
        if signature(jupytext.reads(text, fmt=SOURCE_FORMAT)) != signature(nb):
            raise EditionError(f"{path.relative_to(root)} would not survive a rewrite by jupytext")
        if text != path.read_text("utf-8"):
            changed[path] = text
    for path, text in changed.items():
        path.write_text(text, encoding="utf-8")
    return list(changed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.editions", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check the editions are in step")
    parser.add_argument("--no-execute", action="store_true", help="write without executing")
    parser.add_argument(
        "--normalize", action="store_true", help="only rewrite the sources as jupytext writes them"
    )
    parser.add_argument("-j", "--jobs", type=int, default=2, help="notebooks run at once")
    parser.add_argument("only", nargs="*", help="only these notebooks (stem or file name)")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for p in problems:
            print(p, file=sys.stderr)
        if [p for p in problems if "is not an edition" not in p]:
            print("Run `make course-notebooks` to regenerate the editions.", file=sys.stderr)
        return 1 if problems else 0
    if args.normalize:
        try:
            changed = normalize()
        except EditionError as err:
            print(err, file=sys.stderr)
            return 1
        for path in changed:
            print("rewrote", path.relative_to(ROOT))
        return 0
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
