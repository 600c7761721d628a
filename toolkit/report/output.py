"""Where the report is written, safely: never over what the toolkit did not write.

The rules (:func:`check_target`):

* ``--out`` must not be, contain or lie inside the data folder;
* an existing ``--out`` must be empty or a previous report of this toolkit (it holds the
  marker file :data:`MARKER`, which lists the files that report wrote), and hold nothing
  else than those files;
* the new report is built in a hidden temporary folder beside ``--out`` and swapped in
  only when complete (:func:`staging`); on any error, Ctrl-C or SIGTERM the temporary
  folder is removed and the previous report is left as it was.

Files are created with the user's umask (a report folder is shared like any output).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
from pathlib import Path

__all__ = ["MARKER", "OutputError", "Terminated", "check_target", "staging"]

#: The file that marks a folder as a report written by this toolkit (JSON: files written).
MARKER = ".asn-toolkit-report.json"


class OutputError(ValueError):
    """The report cannot be written where asked; nothing was written or removed."""


def _within(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def check_target(out: Path, data_dir: Path | None = None) -> None:
    """Refuse an output folder that would put files the toolkit did not write at risk.

    Parameters
    ----------
    out : Path
        The report folder asked for (resolved).
    data_dir : Path, optional
        The data folder (resolved).

    Raises
    ------
    OutputError
        With the reason and what to do instead.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (Path(d) / "notes.txt").write_text("mine")
    ...     check_target(Path(d))
    Traceback (most recent call last):
    ...
    toolkit.report.output.OutputError: ...
    """
    out = Path(out).resolve()
    if data_dir is not None:
        data_dir = Path(data_dir).resolve()
        if _within(out, data_dir) or _within(data_dir, out):
            raise OutputError(
                f"The report folder {out} is, contains or lies inside the data folder "
                f"{data_dir}. Choose a folder outside the data, e.g. --out build/report."
            )
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder. Choose another --out.")
    if not out.exists():
        return
    content = {p.name for p in out.iterdir()}
    if not content:
        return
    marker = out / MARKER
    if MARKER not in content:
        raise OutputError(
            f"{out} already exists and is not a report written by this toolkit "
            f"({len(content)} item(s) in it, e.g. {sorted(content)[0]}). Nothing was "
            "changed. Choose a new or empty folder for --out."
        )
    try:
        written = set(json.loads(marker.read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutputError(f"{marker} cannot be read ({exc}); remove {out} yourself.") from exc
    foreign = sorted(content - written - {MARKER})
    if foreign:
        raise OutputError(
            f"{out} is a previous report, but holds files it did not write: "
            f"{', '.join(foreign[:5])}. Move them elsewhere, or choose another --out."
        )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fix_modes(folder: Path) -> None:
    mask = _umask()
    folder.chmod(0o777 & ~mask)
    for path in folder.rglob("*"):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~mask)


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that the clean-up runs."""


@contextlib.contextmanager
def _sigterm_raises():
    def handler(signum, frame):
        raise Terminated(f"stopped by signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def staging(out: Path):
    """A temporary folder to build the report in, swapped into ``out`` when complete.

    Yields the temporary folder. On normal exit its files are listed in :data:`MARKER`,
    modes follow the umask, and it replaces ``out`` (the previous report, checked by
    :func:`check_target`, is removed only after the swap). On any exception — including
    Ctrl-C and SIGTERM — the temporary folder is removed and ``out`` is untouched.
    """
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _sigterm_raises():
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
        try:
            yield tmp
            files = sorted(p.relative_to(tmp).parts[0] for p in tmp.iterdir())
            (tmp / MARKER).write_text(
                json.dumps({"tool": "asn-training-toolkit", "files": files}, indent=1) + "\n",
                encoding="utf-8",
            )
            _fix_modes(tmp)
            _swap(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _swap(tmp: Path, out: Path) -> None:
    """Put ``tmp`` in place of ``out`` with signals held off between the two renames."""
    old = out.with_name(f".{out.name}-previous-{os.getpid()}")
    blocked = {signal.SIGINT, signal.SIGTERM}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if out.exists():
            if any(out.iterdir()):
                out.rename(old)
            else:
                out.rmdir()  # an empty folder: nothing of anybody's is lost
        try:
            tmp.rename(out)
        except OSError:
            if old.exists():
                old.rename(out)  # put the previous report back
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if old.exists():
        shutil.rmtree(old)
