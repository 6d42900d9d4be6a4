"""Answers at a million triples: for every named query on the Oxigraph store, the first page
(``Store.page``, what ``kg query NAME`` shows), the full answer (``Store.stream``, what CSV and
JSON write), and the raw engine on the same text (pyoxigraph on a store opened once, iterating
every solution and reading every value); ``kg query`` as a subprocess (table and CSV); the load against a raw
``bulk_load`` of the same file; start-up of ``kg --help`` and ``kg query --list`` against
``python -c pass``; peak memory. One run, medians of ``--repeat``.

    python benchmarks/answers.py                    # ~1M triples, in a temp dir
    python benchmarks/answers.py --size 10 --repeat 3
    python benchmarks/answers.py --store-only 1M --workdir DIR   # then: kg query NAME --data DIR

Results go to ``results/answers.json`` and ``ANSWERS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from scale import PARAMS, Corpus, seed_build  # noqa: E402

RESULTS = HERE / "results" / "answers.json"
REPORT = HERE / "ANSWERS.md"
TARGETS = {"first_page_s": 0.3, "full_over_raw": 1.2}


def timed(fn, repeat: int, warm: bool = False) -> tuple[float, object]:
    times, value = [], fn() if warm else None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def make_store(size: str, workdir: Path) -> tuple[Path, dict]:
    """The corpus of ``size`` as ``kg build --store oxigraph`` leaves it: dataset.nq and oxigraph/."""
    from kg.store.oxigraph import build_oxigraph

    workdir.mkdir(parents=True, exist_ok=True)
    made = workdir / "corpus.json"
    if made.exists() and json.loads(made.read_text())["size"] == size and (workdir / "oxigraph").is_dir():
        return workdir / "dataset.nq", json.loads(made.read_text())["info"]  # made by an earlier run
    corpus = Corpus(seed_build(workdir))
    scale = corpus.multiple_for(size)
    nq = workdir / "dataset.nq"
    info = {"copies": scale, "quads": corpus.write(scale, nq)}
    build_oxigraph(nq, workdir / "oxigraph", timings=info)   # load_s, index_s (the page index)
    made.write_text(json.dumps({"size": size, "info": info}), encoding="utf-8")
    return nq, info


def raw_load(nq: Path, workdir: Path) -> float:
    import pyoxigraph as ox

    target = workdir / "raw-oxigraph"
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    store = ox.Store(str(target))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    elapsed = time.perf_counter() - start
    del store
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def raw_iterate(store, text: str) -> int:
    """pyoxigraph alone on an open store: run ``text`` and read every value of every solution."""
    n = 0
    for solution in store.query(text):
        for term in solution:
            if term is not None:
                term.value  # noqa: B018 - read it, as any consumer must
        n += 1
    return n


def kg_cli(*args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          env=dict(os.environ, COLUMNS="120"))
    if proc.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed: {proc.stderr.strip()}")
    return time.perf_counter() - start


def start_up(repeat: int) -> dict:
    def run(*cmd: str) -> float:
        return timed(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat)[0]
    base = run(sys.executable, "-c", "pass")
    return {"python_s": base,
            "help_s": run(sys.executable, "-m", "kg", "--help"),
            "list_s": run(sys.executable, "-m", "kg", "query", "--list")}


def run(size: str, repeat: int, workdir: Path) -> dict:
    from kg.errors import KGError
    from kg import query as q
    from kg.store.oxigraph import OxigraphStore
    import pyoxigraph as ox

    nq, info = make_store(size, workdir)
    location = workdir / "oxigraph"
    store = OxigraphStore(location, read_only=True)
    raw_store = ox.Store.read_only(str(location))
    out = {"size": size, **info, "queries": {}}
    for name, nq_ in q.catalogue().items():
        params = {p.name: PARAMS[p.name] for p in nq_.params if p.required}
        parsed, bindings = q._prepared(store, nq_, params)
        try:
            out["queries"][name] = measure(store, raw_store, workdir, name, parsed, bindings, params, repeat)
        except KGError as exc:  # a query past the time limit is reported, not fatal
            out["queries"][name] = {"error": str(exc)}
        print(f"  {name}: {out['queries'][name]}", file=sys.stderr, flush=True)
    store.close()
    # after the queries, so that they run in a process of a user's size (a bulk load grows it)
    out["raw_load_s"] = raw_load(nq, workdir)
    out["start_up"] = start_up(repeat)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["machine"] = {"cpus": os.cpu_count(), "load": os.getloadavg(), "python": platform.python_version()}
    return out


def measure(store, raw_store, workdir: Path, name: str, parsed, bindings, params: dict, repeat: int) -> dict:
    from kg.sparql import with_values

    first, page = timed(lambda: store.page(parsed, bindings), repeat)
    text = with_values(parsed, bindings, into_optionals=True)  # as the Oxigraph store words it
    # each after one run that warms the engine's caches: a page read through the index does not
    full, rows = timed(lambda: sum(1 for _ in store.stream(parsed, bindings)[1]), max(1, repeat // 2), warm=True)
    raw, raw_rows = timed(lambda: raw_iterate(raw_store, text), max(1, repeat // 2), warm=True)
    args = [name, "--data", str(workdir), *[a for k, v in params.items() for a in ("-p", f"{k}={v}")]]
    table = kg_cli("query", *args)
    csv_all = kg_cli("query", *args, "--format", "csv")
    return {"rows": rows, "raw_rows": raw_rows, "total": page.total, "first_page_s": first,
            "full_s": full, "raw_s": raw, "cli_table_s": table, "cli_csv_s": csv_all}


def report(r: dict) -> str:
    su = r["start_up"]
    lines = [f"# Answers at {r['quads']:,} quads ({r['copies']} copies of the seed build), Oxigraph",
             "",
             f"Load: {r['load_s']:.1f} s (kg's build_oxigraph: bulk load and optimize) against {r['raw_load_s']:.1f} s raw `bulk_load` "
             f"({r['load_s'] / r['raw_load_s']:.2f}x); then the page index (`kg.store.pages`, every "
             f"query with a `# page-key:` answered once): {r.get('index_s', 0):.1f} s. Load average during the run: "
             f"{', '.join(f'{x:.1f}' for x in r['machine']['load'])} on {r['machine']['cpus']} CPUs.",
             "",
             "| query | rows | first page (s) | full answer (s) | raw engine (s) | full / raw | `kg query` table (s) | `kg query --format csv` (s) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, e in r["queries"].items():
        if "error" in e:
            lines.append(f"| {name} | {e['error']} | | | | | | |")
            continue
        lines.append(f"| {name} | {e['rows']:,} | {e['first_page_s']:.3f} | {e['full_s']:.3f} | {e['raw_s']:.3f} | "
                     f"{e['full_s'] / e['raw_s']:.2f} | {e['cli_table_s']:.2f} | {e['cli_csv_s']:.2f} |")
    lines += ["", f"Start-up: `python -c pass` {su['python_s']:.3f} s; `kg --help` {su['help_s']:.3f} s "
              f"({su['help_s'] / su['python_s']:.1f}x); `kg query --list` {su['list_s']:.3f} s "
              f"({su['list_s'] / su['python_s']:.1f}x). Peak memory of the benchmark process: "
              f"{r['peak_rss_mb']:.0f} MB.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1M", help="copies of the seed build, or 1M: a million quads")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--store-only", metavar="SIZE", default=None,
                    help="only build the corpus and its store in --workdir (usable as kg --data DIR)")
    args = ap.parse_args(argv)
    if args.store_only:
        if args.workdir is None:
            ap.error("--store-only needs --workdir")
        _, info = make_store(args.store_only, args.workdir)
        print(f"{info['quads']:,} quads in {args.workdir}: kg query NAME --data {args.workdir}")
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-answers-"))
    try:
        result = run(args.size, args.repeat, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2), encoding="utf-8")
    REPORT.write_text(report(result), encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
