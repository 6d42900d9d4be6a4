"""Extracting many documents: workers, staging, streaming."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import progress
from ..errors import KGError
from ..gazetteer import Gazetteer
from .extractor import Extractor
from .model import ExtractError, MAX_BYTES
from .render import render_yaml
from .text import read_input


_WORKER: dict[str, Any] = {}


def _init_worker(gazetteer: Gazetteer, max_bytes: int) -> None:
    _WORKER["extractor"] = Extractor(gazetteer)
    _WORKER["max_bytes"] = max_bytes


def _extract_one(args: tuple[str, str]) -> tuple[str, Any, dict | None, list[tuple[str, str]] | None]:
    """Worker task: read, extract and stage one document; returns (path, stem, counts, staged),
    or (path, (message, file, line), None, None) on an error."""
    path_s, stage_s = args
    path, stage = Path(path_s), Path(stage_s)
    try:
        text = read_input(path, _WORKER["max_bytes"])
        stem = path.stem
        ex = _WORKER["extractor"].process(text, stem)
        body = render_yaml(ex, path.name)
        staged = []
        for name, data in ((f"{stem}.txt", text), (f"{stem}.yaml", body)):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=stage)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(data)
            staged.append((tmp, name))
        return path_s, stem, ex.counts(), staged
    except KGError as exc:
        return path_s, (exc.message, exc.file, exc.line), None, None


@dataclass
class ExtractSummary:
    """What one ``extract_files`` run wrote."""

    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    documents: int = 0

    def render(self) -> str:
        order = ["sentences", "entities", "Pressure", "Agreement", "Policy", "PolicyReversal", "Statistic", "Actor"]
        parts = [f"{k} {self.counts.get(k, 0)}" for k in order]
        lines = [f"documents: {self.documents}", "candidates: " + ", ".join(parts)]
        lines += [f"wrote: {p}" for p in self.files[:20]]
        if len(self.files) > 20:
            lines.append(f"... and {len(self.files) - 20} more files")
        return "\n".join(lines)


def extract_files(paths: Iterable[Path], out_dir: Path, seeds: Path | None = None, jobs: int = 1,
                  max_bytes: int = MAX_BYTES, gazetteer: Gazetteer | None = None) -> ExtractSummary:
    """Extract candidates from every document into ``out_dir`` (``STEM.yaml`` + ``STEM.txt``).

    Documents are processed in parallel across ``jobs`` processes and streamed (each worker
    writes its own files to a staging folder); nothing appears in ``out_dir`` unless every
    document succeeds.
    """
    paths = list(dict.fromkeys(Path(p) for p in paths))
    if not paths:
        raise ExtractError("no documents given")
    stems: dict[str, Path] = {}
    for p in paths:
        if p.stem == "catalogue":
            raise ExtractError("a document may not be called catalogue (its candidate file would be "
                               "mistaken for catalogue.yaml): rename it", str(p))
        if p.stem in stems:
            raise ExtractError(f"two documents would write the same candidate file {p.stem}.yaml "
                               f"({stems[p.stem]} and {p})", str(p))
        stems[p.stem] = p
    if gazetteer is None:
        gazetteer = Gazetteer.from_seeds(seeds)
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExtractError(f"cannot create the output folder: {exc.strerror}", str(out_dir)) from None
    stage = Path(tempfile.mkdtemp(prefix=".kg-extract-", dir=out_dir))
    summary = ExtractSummary()
    staged_all: list[tuple[str, str]] = []
    try:
        tasks = [(str(p), str(stage)) for p in paths]
        with progress.steps(len(tasks), "kg extract") as step:
            for path_s, stem_or_err, counts, staged in _run(tasks, gazetteer, max_bytes, jobs):
                step(Path(path_s).name)
                if counts is None:
                    message, file, line = stem_or_err
                    raise ExtractError(message, file or path_s, line)
                staged_all.extend(staged or [])
                summary.documents += 1
                for k, v in counts.items():
                    summary.counts[k] = summary.counts.get(k, 0) + v
        for tmp, name in staged_all:
            target = out_dir / name
            os.replace(tmp, target)
            if name.endswith(".yaml"):
                summary.files.append(target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    shutil.rmtree(stage, ignore_errors=True)
    return summary


def _run(tasks, gazetteer: Gazetteer, max_bytes: int, jobs: int) -> Iterator:
    if jobs <= 1 or len(tasks) == 1:
        _init_worker(gazetteer, max_bytes)
        for task in tasks:
            yield _extract_one(task)
        return
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(gazetteer, max_bytes)) as pool:
        chunk = max(1, min(16, len(tasks) // (jobs * 8) or 1))
        try:
            yield from pool.imap_unordered(_extract_one, tasks, chunksize=chunk)
        except BaseException:
            pool.terminate()
            raise
