"""Pipeline: the main job in one call — compile, validate, write the dataset, load the chosen
store, and write the default views."""

from __future__ import annotations

from pathlib import Path

from .build import OUTPUT_FILES, BuildResult, build
from .store import OXIGRAPH_DIR, build_oxigraph


def run_build(seeds: Path, out: Path, store: str = "memory", views: bool = True,
              candidates: Path | None = None) -> str:
    """Build everything from ``seeds`` into ``out``; returns the printed summary."""
    out = Path(out)
    result = build(seeds, out, candidates=candidates)
    lines = [summary(result)]
    if store == "oxigraph":
        build_oxigraph(out / "dataset.nq", out / OXIGRAPH_DIR)
        lines.append(f"oxigraph store: {out / OXIGRAPH_DIR}")
    if views:
        from .views import write_default_views

        for path in write_default_views(result.dataset, out / "views"):
            lines.append(f"view: {path}")
    lines.append(f"outputs: {', '.join(sorted(OUTPUT_FILES))} in {out}/")
    return "\n".join(lines)


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
