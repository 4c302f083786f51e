"""Writing what outagetl produces: a file replaced atomically, or standard output, and one line
saying why when that fails (a missing folder, a full disk, a file that may not be written)."""
from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """The output could not be written; ``str()`` is the one line to show."""


def _pieces(text: str | Iterable[str]) -> Iterable[str]:
    return (text,) if isinstance(text, str) else text


def write_file(path: str | os.PathLike, text: str | Iterable[str]) -> None:
    """Write ``text`` (UTF-8; a string, or its pieces in order as a renderer gives them) to ``path`` so that a reader sees the old file or the whole new one,
    never half of either: a temporary file in the same folder, then a rename (two runs writing
    one file at once leave one run's whole output). A path that is not a regular file (a
    terminal, ``/dev/full``, a FIFO) cannot be replaced, so it is written in place."""
    target = Path(os.path.realpath(path))  # a symlink's target is what gets replaced, not the link
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        if mode is not None and not stat.S_ISREG(mode):
            with open(target, "w", encoding="utf-8", newline="") as handle:
                for piece in _pieces(text):
                    handle.write(piece)
            return
        _replace(target, text, mode)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _replace(target: Path, text: str | Iterable[str], mode: int | None) -> None:
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        folder = target.parent
        raise OSError(exc.errno, f"cannot create a file in {folder}: {exc.strerror or exc}" if folder.is_dir()
                      else f"no folder {folder}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for piece in _pieces(text):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_stdout(text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, each as it comes) to standard output and flush it. A closed pipe (``| head``) ends the output
    quietly; any other failure (``>/dev/full``) is an OutputError."""
    import click

    try:
        for piece in _pieces(text):
            click.echo(piece, nl=False)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
