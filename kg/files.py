"""Files: the names of a build's outputs, the package's own data files, and writing both safely.

A build is all-or-nothing: :func:`staged_build` gives a fresh folder to write the whole build in,
and on success makes the output path (a symbolic link) point at it with one atomic rename, so a
reader sees the old build or the new one, never a mix. The generations live beside the output
path in ``.NAME.builds/``; the one before the current is kept for readers still using it, and
leftovers of a build that died are removed when the next build starts.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
import time
from importlib.resources import files as _package_files
from pathlib import Path
from typing import Iterator

from .errors import KGError

DATASET_FILE = "dataset.nq"
OXIGRAPH_DIR = "oxigraph"
VIEWS_DIR = "views"
#: After ``kg build --with-candidates``: the dataset as if the candidates were curated, what rests
#: on them alone marked unreviewed (``--with-candidates`` read commands open it).
CANDIDATES_DIR = "with-candidates"
SUMMARY_FILE = "summary.json"
#: The dataset files of a build: name -> rdflib serialisation format.
OUTPUT_FILES = {"dataset.trig": "trig", DATASET_FILE: "nquads", "union.ttl": "turtle", "dataset.jsonld": "json-ld"}
STALE_TMP_S = 600
PREVIOUS = "previous"


class OutputError(KGError):
    """An output that cannot be written: a read-only folder, a full disk, a path in the way."""


def package_file(name: str) -> Path:
    """A data file shipped inside the package (``ontology.ttl``, ``shapes.ttl``, ``queries/x.rq``)."""
    return Path(str(_package_files("kg").joinpath(name)))


def page_asset(name: str) -> str:
    """A page file of the package (``static/NAME``: .css, .js, .html) as text to inline in a page;
    ``</script`` and ``</style`` are escaped so that the text cannot end its own element."""
    text = package_file(f"static/{name}").read_text(encoding="utf-8")
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE) if not name.endswith(".html") else text


def _io_error(exc: OSError, path: Path) -> OutputError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "not writable (permission denied or read-only file system)"
    return OutputError(f"cannot write: {reason}", str(path))


def write_atomic(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write every file to a temporary name in ``out_dir`` first, then rename them all.

    If anything fails before the renames, the temporary files are removed and the previous
    outputs are left untouched; the error is one :class:`OutputError` line.
    """
    out_dir = Path(out_dir)
    staged: list[tuple[Path, Path]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale_temps(target)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        mode = 0o666 & ~_umask()
        for tmp, target in staged:
            os.chmod(tmp, mode)
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise _io_error(exc, Path(exc.filename) if exc.filename else out_dir) from None
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return [target for _, target in staged]


def _remove_stale_temps(target: Path) -> None:
    """Temporary files of ``target`` left by a writer that died long ago."""
    cutoff = time.time() - STALE_TMP_S
    for old in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- whole builds ------------------------------------------------------------------------------

def generations_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.builds"


@contextlib.contextmanager
def staged_build(out: Path) -> Iterator[Path]:
    """A fresh folder for a whole build; on success ``out`` becomes a link to it, atomically.

    Raises :class:`OutputError` when another build of ``out`` is running, or ``out`` is a file or
    a folder holding files no build wrote.
    """
    out = Path(out)
    home = generations_dir(out)
    try:
        home.mkdir(parents=True, exist_ok=True)
        lock = open(home / "lock", "w")
    except OSError as exc:
        raise _io_error(exc, home) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError("another build of this folder is running; wait for it to finish", str(out)) from None
        _check_replaceable(out)
        _remove_leftovers(out, home)
        before = _current(out)
        try:
            stage = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=home))
            os.chmod(stage, 0o777 & ~_umask())  # a build folder, readable as any other (mkdtemp makes it private)
        except OSError as exc:
            raise _io_error(exc, home) from None
        try:
            yield stage
            before = _switch(out, home, stage) or before
        except OSError as exc:  # a store or view that could not be written (disk full, read-only)
            shutil.rmtree(stage, ignore_errors=True)
            raise _io_error(exc, Path(exc.filename) if exc.filename else stage) from None
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        if before is not None:
            (home / PREVIOUS).write_text(before.name + "\n", encoding="utf-8")
        _remove_leftovers(out, home)


def _current(out: Path) -> Path | None:
    if out.is_symlink():
        return (out.parent / os.readlink(out)).resolve()
    return None


def _check_replaceable(out: Path) -> None:
    if out.is_symlink() or not out.exists():
        return
    if not out.is_dir():
        raise OutputError("exists and is not a folder; choose another output folder", str(out))
    ours = set(OUTPUT_FILES) | {SUMMARY_FILE, VIEWS_DIR, OXIGRAPH_DIR, OXIGRAPH_DIR + ".pages", CANDIDATES_DIR}
    strangers = sorted(p.name for p in out.iterdir() if p.name not in ours and not p.name.startswith("."))
    if strangers:
        raise OutputError(f"holds files no build wrote ({', '.join(strangers[:3])}); "
                          f"choose another output folder", str(out))


def _switch(out: Path, home: Path, stage: Path) -> Path | None:
    """Point ``out`` at ``stage`` with one rename. A folder of an older layout is moved aside
    first (and returned), as the generation before this one."""
    link = home / f".link-{os.getpid()}"
    aside = None
    try:
        link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(stage, out.parent), link)
        if out.exists() and not out.is_symlink():
            aside = home / f"{time.strftime('%Y%m%d-%H%M%S')}-moved-aside"
            os.rename(out, aside)
        os.replace(link, out)
        return aside
    except OSError as exc:
        link.unlink(missing_ok=True)
        raise _io_error(exc, out) from None


def _remove_leftovers(out: Path, home: Path) -> None:
    """Every generation but the current one and the one before it (kept for readers that still
    use it): the rest are older builds, or builds that died before they were switched in."""
    keep = {p.name for p in (_current(out),) if p is not None}
    with contextlib.suppress(OSError):
        keep.add((home / PREVIOUS).read_text(encoding="utf-8").strip())
    for item in home.iterdir():
        if item.is_dir() and not item.is_symlink() and item.name not in keep:
            shutil.rmtree(item, ignore_errors=True)
        elif item.name.startswith(".link-"):
            with contextlib.suppress(OSError):
                item.unlink()
