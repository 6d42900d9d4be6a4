"""Does ``optimize()`` after the bulk load pay? Loads one N-Quads file into two Oxigraph stores,
with and without compaction, and times every named query's full answer on each (in process, no
time-limit child, medians of ``--repeat``), with the load time and the size on disk.

    python benchmarks/answers.py --store-only 1M --workdir DIR    # makes DIR/dataset.nq
    python benchmarks/optimize.py --workdir DIR
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import PARAMS  # noqa: E402


def measure(nquads: Path, target: Path, optimize: bool, repeat: int) -> tuple[float, int, dict[str, float]]:
    from kg import query as q
    from kg.store.oxigraph import OxigraphStore, build_oxigraph

    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    build_oxigraph(nquads, target, optimize=optimize)
    load = time.perf_counter() - start
    size = int(subprocess.run(["du", "-sm", str(target)], capture_output=True, text=True).stdout.split()[0])
    store = OxigraphStore(target, read_only=True)
    times = {}
    for name, named in q.catalogue().items():
        parsed, bindings = q._prepared(store, named, {p.name: PARAMS[p.name] for p in named.params if p.required})
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            sum(1 for _ in store.stream(parsed, bindings, timeout=None)[1])
            runs.append(time.perf_counter() - t)
        times[name] = statistics.median(runs)
    store.close()
    shutil.rmtree(target, ignore_errors=True)
    return load, size, times


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, required=True, help="a folder holding dataset.nq")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    nquads = args.workdir / "dataset.nq"
    res = {opt: measure(nquads, args.workdir / f"optimize-{opt}", opt, args.repeat) for opt in (True, False)}
    (load_o, size_o, t_o), (load_n, size_n, t_n) = res[True], res[False]
    print(f"load: {load_o:.1f} s optimized, {load_n:.1f} s not ({load_o / load_n:.2f}x); "
          f"size: {size_o} MB against {size_n} MB ({size_o / size_n:.2f}x)")
    print("| query | optimized (s) | not optimized (s) | not / optimized |\n|---|---:|---:|---:|")
    for name in t_o:
        print(f"| {name} | {t_o[name]:.3f} | {t_n[name]:.3f} | {t_n[name] / t_o[name]:.2f} |")
    ratios = sorted(t_n[n] / t_o[n] for n in t_o)
    print(f"median: queries {statistics.median(ratios):.2f}x slower without optimize()")


if __name__ == "__main__":
    main()
