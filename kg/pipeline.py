"""Pipeline: the main job in one call. Compile and validate, then write the dataset, load the
chosen store and draw the default views into one new build that replaces the old one atomically."""

from __future__ import annotations

from pathlib import Path

from . import progress
from .build import BuildResult, compile_and_validate, serialize
from .files import CANDIDATES_DIR, DATASET_FILE, OUTPUT_FILES, OXIGRAPH_DIR, VIEWS_DIR, staged_build, write_atomic


def run_build(seeds: Path, out: Path, store: str = "memory", views: bool = True,
              candidates: Path | None = None) -> str:
    """Build everything from ``seeds`` into ``out``; returns the printed summary."""
    out = Path(out)
    with progress.steps(2 + (store == "oxigraph") + views, "kg build") as step:
        step("compile and validate")
        result = compile_and_validate(seeds, candidates=candidates)
        lines = [summary(result)]
        with staged_build(out) as stage:
            step("write the dataset")
            write_atomic(serialize(result), stage)
            if store == "oxigraph":
                from .store.oxigraph import build_oxigraph

                step("load Oxigraph")
                build_oxigraph(stage / DATASET_FILE, stage / OXIGRAPH_DIR)
                lines.append(f"oxigraph store: {out / OXIGRAPH_DIR}")
                if result.candidate_view is not None:
                    view = stage / CANDIDATES_DIR
                    build_oxigraph(view / DATASET_FILE, view / OXIGRAPH_DIR)
            if views:
                step("draw the views")
                for path in draw_views(stage, store == "oxigraph"):
                    lines.append(f"view: {out / VIEWS_DIR / path.name}")
    lines.append(f"outputs: {', '.join(sorted(OUTPUT_FILES))} in {out}/")
    if result.candidate_view is not None:
        lines.append(f"with candidates: {out / CANDIDATES_DIR}/ (read it with --with-candidates)")
    return "\n".join(lines)


def draw_views(stage: Path, on_disk: bool) -> list[Path]:
    """The default views of the build in ``stage``, projected from Oxigraph (its on-disk store if
    the build made one, else the dataset loaded in memory): rdflib's engine needs minutes for the
    projections of a corpus of 50 documents. A build finishes its views: no time limit."""
    from .store.oxigraph import OxigraphStore
    from .views import write_default_views

    source = OxigraphStore(stage / OXIGRAPH_DIR if on_disk else None)
    if not on_disk:
        source.load_file(stage / DATASET_FILE, lenient=True)
    source.timeout = None
    try:
        return write_default_views(source, stage / VIEWS_DIR)
    finally:
        source.close()


def summary(result: BuildResult) -> str:
    """A short text summary: counts by class and by document, and the SHACL result."""
    order = ["Actor", "Pressure", "Policy", "Agreement", "PolicyReversal", "Statistic", "Place", "Instrument",
             "Document", "Evidence"]
    order += sorted(set(result.counts_by_class) - set(order))
    by_class = ", ".join(f"{k} {result.counts_by_class.get(k, 0)}" for k in order)
    lines = [f"things: {by_class}", "triples by document:"]
    for name, count in result.counts_by_document.items():
        lines.append(f"  {name}: {count}")
    lines.append(f"triples: {len(result.dataset)}")
    lines.append("SHACL: conforms" if result.conforms else "SHACL: does NOT conform")
    return "\n".join(lines)
