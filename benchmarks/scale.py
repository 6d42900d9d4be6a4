"""Scale benchmark: synthetic corpora shaped like the seed graph, from 1x to 1000x, timed on every
embedded store (rdflib memory, on-disk Oxigraph).

A corpus of size N is N copies of the real seed build, written straight as N-Quads: copy 0 is the
seed itself; copy k renames its documents, evidence and statements (pressures, policies,
agreements, reversals, statistics) with ``-k<k>``, and its actors to one of ``sqrt(N)`` variants
(``-v<k mod sqrt(N)>``), so actors recur across documents as they do in the real corpus. Three hub
actors (Donald Trump, Mexico, the United States) and the instruments are shared by every copy,
so a query bound to ``actor=donald-trump`` grows with the corpus. The ontology graph is kept once;
the named-graph layout (ontology, catalogue, one graph per document) and the vocabulary are the
seed's own.

For each size and store, one subprocess (so peak memory is its own) loads the corpus, runs every
named query of the catalogue (median of ``--repeat`` runs, bound with the same parameters at every
size), the pressure and policy projections of :mod:`kg.analysis`, PageRank and betweenness
(k-sampled on large graphs) of the full projection, and writes the pressure view.

    python benchmarks/scale.py                       # every size, both stores -> results/, RESULTS.md
    python benchmarks/scale.py --sizes 1,10 --repeat 3
    python benchmarks/scale.py --report              # rewrite RESULTS.md from results/scale.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
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
RESULTS = HERE / "results" / "scale.json"
REPORT = HERE / "RESULTS.md"
SIZES = (1, 10, 100, 250, 1000)
STORES = ("memory", "oxigraph")
ID = "https://w3id.org/migration-kg/id/"
ONTOLOGY_GRAPH = "<https://w3id.org/migration-kg/ontology>"
CATALOGUE_GRAPH = f"<{ID}graph/catalogue>"
MKG = "https://w3id.org/migration-kg/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABELS = ("<http://www.w3.org/2000/01/rdf-schema#label>", "<http://www.w3.org/2004/02/skos/core#altLabel>")
ACTOR_CLASSES = ("Actor", "Person", "State", "GovernmentBody", "Administration", "InternationalOrganization",
                 "CivilSocietyOrganization", "PopulationGroup", "CriminalGroup")
HUBS = ("donald-trump", "mexico", "united-states")
SHARED_CLASSES = ("Instrument",)
# parameters bound at every size: the hub actor, and things of copy 0 (the seed's own ids)
PARAMS = {"actor": "donald-trump", "thing": "trump-tariff-threat-2019", "pressure": "trump-tariff-threat-2019",
          "document": "002_2cdf664f68f1b5a3", "target": "mexico", "party": "mexico", "class": "mkg:Person"}
TARGETS = {"load_s": 5.0, "query_s": 0.5, "projection_s": 2.0, "pagerank_s": 1.0, "speedup": 10.0}


# --- the generator ---------------------------------------------------------------------------------

_IRI = re.compile(r"<([^>]*)>")
_QUAD = re.compile(r'^(<[^>]*>|_:\S+) (<[^>]*>) (.*) (<[^>]*>) \.$')


class Corpus:
    """The seed build as line templates, each a function of the copy number."""

    def __init__(self, seed_nq: Path):
        lines = Path(seed_nq).read_text(encoding="utf-8").splitlines()
        quads = [m.groups() for m in map(_QUAD.match, lines) if m]
        if len(quads) != len([ln for ln in lines if ln.strip()]):
            raise SystemExit(f"{seed_nq}: not N-Quads of one quad per line")
        self.ontology = [ln for ln, q in zip(lines, quads) if q[3] == ONTOLOGY_GRAPH]
        kinds: dict[str, str] = {}
        for s, p, o, g in quads:
            if p == RDF_TYPE and g == CATALOGUE_GRAPH and s.startswith(f"<{ID}") and o.startswith(f"<{MKG}"):
                cls = o[len(MKG) + 1:-1]
                slug = s[len(ID) + 1:-1]
                kind = ("actor" if cls in ACTOR_CLASSES else "shared" if cls in SHARED_CLASSES
                        else "document" if cls == "Document" else "statement")
                if kinds.get(slug) != "actor":  # an actor is an actor whatever else it is
                    kinds[slug] = kind
        for hub in HUBS:
            kinds[hub] = "shared"
        self.kinds = kinds
        # catalogue lines by the kind of their subject: shared ones once, actors once per variant
        self.once, self.per_variant, self.per_copy = [], [], []
        for (s, p, o, g), line in zip(quads, lines):
            if g == ONTOLOGY_GRAPH:
                continue
            kind = self._kind(s)
            template = self._template(s, p, o, g, kind)
            if g == CATALOGUE_GRAPH and kind == "shared":
                self.once.append(template)
            elif g == CATALOGUE_GRAPH and kind == "actor":
                self.per_variant.append(template)
            else:
                self.per_copy.append(template)
        self.seed_triples = len(quads)

    def _kind(self, term: str) -> str:
        if not term.startswith(f"<{ID}"):
            return "other"
        rest = term[len(ID) + 1:-1]
        if rest.startswith("doc/"):
            return "document"
        if rest.startswith("evidence/"):
            return "evidence"
        return self.kinds.get(rest, "shared" if rest.startswith("graph/") else "statement")

    def _iri(self, iri: str) -> str:
        if not iri.startswith(ID):
            return "<" + iri.replace("{", "{{").replace("}", "}}") + ">"
        rest = iri[len(ID):]
        if rest.startswith("doc/"):
            return f"<{ID}{rest}{{k}}>"
        if rest.startswith("evidence/"):
            stem, span = rest[len("evidence/"):].split("/", 1)
            return f"<{ID}evidence/{stem}{{k}}/{span}>"
        kind = self.kinds.get(rest, "shared" if rest.startswith("graph/") else "statement")
        if kind == "actor":
            return f"<{ID}{rest}{{v}}>"
        if kind == "shared":
            return f"<{ID}{rest}>"
        return f"<{ID}{rest}{{k}}>"

    def _template(self, s: str, p: str, o: str, g: str, kind: str) -> str:
        def term(t: str) -> str:
            return self._iri(t[1:-1]) if t.startswith("<") else t.replace("{", "{{").replace("}", "}}")
        obj = term(o)
        if p in LABELS and kind in ("actor", "statement") and o.startswith('"'):
            close = obj.rindex('"')  # the label names its copy, so names stay distinct
            obj = obj[:close] + ("{vl}" if kind == "actor" else "{kl}") + obj[close:]
        elif p == f"<{MKG}fileName>":
            obj = obj.replace('.txt"', '{k}.txt"')
        return f"{term(s)} {term(p)} {obj} {term(g)} .\n"

    def write(self, scale: int, out: Path) -> int:
        """Write the corpus of ``scale`` copies to ``out``; returns the number of quads."""
        variants = max(1, round(math.sqrt(scale)))
        n = 0
        with open(out, "w", encoding="utf-8", buffering=1 << 20) as f:
            f.writelines(line + "\n" for line in self.ontology)
            n += len(self.ontology)
            f.writelines(t.format(k="", v="", kl="", vl="") for t in self.once)
            n += len(self.once)
            for k in range(scale):
                v = k % variants
                ctx = {"k": f"-k{k}" if k else "", "kl": f" ({k})" if k else "",
                       "v": f"-v{v}" if v else "", "vl": f" [{v}]" if v else ""}
                if k < variants:
                    f.writelines(t.format(**ctx) for t in self.per_variant)
                    n += len(self.per_variant)
                f.writelines(t.format(**ctx) for t in self.per_copy)
                n += len(self.per_copy)
        return n


# --- one run: a corpus on a store, in its own process --------------------------------------------

def _median(times: list[float]) -> float:
    return statistics.median(times) if times else float("nan")


def _timed(fn, repeat: int):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return _median(times), value, times


def query_cases() -> list[tuple[str, dict[str, str]]]:
    """Every named query with its required parameters, plus who-pressured-whom bound to the hub."""
    from kg.query import catalogue

    cases = []
    for name, nq in catalogue().items():
        cases.append((name, {p.name: PARAMS[p.name] for p in nq.params if p.required}))
    cases.append(("who-pressured-whom", {"actor": PARAMS["actor"]}))
    return cases


def run_one(nq: Path, store: str, repeat: int, workdir: Path) -> dict:
    import networkx as nx

    from kg import analysis
    from kg.query import run
    from kg.store import MemoryStore, OxigraphStore, build_oxigraph

    out: dict = {"store": store, "repeat": repeat}
    started = time.perf_counter()
    if store == "memory":
        st = MemoryStore.from_file(nq)
    else:
        location = build_oxigraph(nq, workdir / "oxigraph")
        out["bulk_load_s"] = time.perf_counter() - started
        reopened = time.perf_counter()
        st = OxigraphStore(location, read_only=True)
        out["reopen_s"] = time.perf_counter() - reopened
        out["disk_mb"] = sum(p.stat().st_size for p in location.rglob("*") if p.is_file()) / 2 ** 20
    out["load_s"] = time.perf_counter() - started
    out["rss_after_load_mb"] = _rss_mb()

    bindings: dict[str, str] = {}
    if store == "oxigraph":  # record how each query's parameters reach pyoxigraph
        real = st.store

        class Spy:
            def query(self, sparql, **kwargs):
                Spy.last = (sparql, kwargs.get("substitutions") or {})
                return real.query(sparql, **kwargs)
        st.store = Spy()

    out["queries"] = {}
    for name, params in query_cases():
        key = name + "".join(f" {k}={v}" for k, v in params.items())
        median, result, times = _timed(lambda: run(st, name, params), repeat)
        entry = {"median_s": median, "runs_s": times, "rows": len(result.rows)}
        if store == "oxigraph" and params:
            substituted = sorted(str(v.value) for v in Spy.last[1])
            inline = sorted(set(params) - set(substituted))
            entry["binding"] = ", ".join([f"?{n} by substitution" for n in substituted] +
                                         [f"?{n} by VALUES (not projected)" for n in inline])
        out["queries"][key] = entry

    ctx_s, ctx, _ = _timed(lambda: analysis.GraphContext.load(st), repeat)
    pressure_s, pressure, _ = _timed(lambda: analysis.project(st, "pressure", ctx), repeat)
    policy_s, policy, _ = _timed(lambda: analysis.project(st, "policy", ctx), repeat)
    full_s, full, _ = _timed(lambda: analysis.project(st, "full", ctx), 1)
    out["projection"] = {
        "context_s": ctx_s, "pressure_s": pressure_s, "policy_s": policy_s, "full_s": full_s,
        "pressure_nodes": pressure.number_of_nodes(), "pressure_edges": pressure.number_of_edges(),
        "policy_nodes": policy.number_of_nodes(), "policy_edges": policy.number_of_edges(),
        "full_nodes": full.number_of_nodes(), "full_edges": full.number_of_edges()}
    simple = nx.DiGraph(full)
    k = 500 if simple.number_of_nodes() > 2000 else None
    out["pagerank_s"], _, _ = _timed(lambda: nx.pagerank(simple), repeat)
    out["betweenness_s"], _, _ = _timed(lambda: nx.betweenness_centrality(simple, k=k, seed=0), 1)
    out["betweenness_k"] = k
    out["pressure_pagerank_s"], _, _ = _timed(lambda: nx.pagerank(nx.DiGraph(pressure), weight="weight"), repeat)
    try:
        from kg.views import write_view
    except ImportError:
        out["view_s"] = None
    else:
        out["view_s"], _, _ = _timed(lambda: write_view(pressure, workdir / "pressure.html",
                                                        "Pressure network"), 1)
        out["view_kb"] = (workdir / "pressure.html").stat().st_size / 1024
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    st.close()
    return out


def _rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return float("nan")


# --- the whole benchmark ------------------------------------------------------------------------

def seed_build(workdir: Path) -> Path:
    from kg.build import build

    out = workdir / "seed"
    if not (out / "dataset.nq").exists():
        build(ROOT / "seeds", out)
    return out / "dataset.nq"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated multiples of the seed")
    ap.add_argument("--stores", default=",".join(STORES))
    ap.add_argument("--repeat", type=int, default=5, help="runs per query (median); 1 for rdflib past --big")
    ap.add_argument("--big", type=int, default=500_000, help="triples past which rdflib runs each step once")
    ap.add_argument("--workdir", type=Path, default=None, help="where corpora and stores go (default: a temp dir)")
    ap.add_argument("--report", action="store_true", help="only rewrite RESULTS.md from results/scale.json")
    ap.add_argument("--one", nargs=3, metavar=("NQ", "STORE", "REPEAT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:
        workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
        try:
            print(json.dumps(run_one(Path(args.one[0]), args.one[1], int(args.one[2]), workdir)))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    if args.report:
        write_report(json.loads(RESULTS.read_text()))
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(seed_build(workdir))
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "platform": platform.platform(), "versions": _versions()},
               "seed_triples": corpus.seed_triples, "sizes": []}
    try:
        for scale in [int(s) for s in args.sizes.split(",")]:
            nq = workdir / f"corpus-{scale}x.nq"
            started = time.perf_counter()
            triples = corpus.write(scale, nq)
            entry = {"scale": scale, "triples": triples, "generate_s": time.perf_counter() - started,
                     "documents": 5 * scale, "runs": {}}
            print(f"{scale}x: {triples:,} triples generated in {entry['generate_s']:.1f} s", flush=True)
            for store in args.stores.split(","):
                repeat = 1 if store == "memory" and triples > args.big else args.repeat
                proc = subprocess.run([sys.executable, __file__, "--one", str(nq), store, str(repeat)],
                                      capture_output=True, text=True, cwd=ROOT)
                if proc.returncode != 0:
                    entry["runs"][store] = {"error": proc.stderr.strip().splitlines()[-1:]}
                    print(f"  {store}: FAILED {proc.stderr[-2000:]}", flush=True)
                    continue
                entry["runs"][store] = run = json.loads(proc.stdout.strip().splitlines()[-1])
                total = sum(q["median_s"] for q in run["queries"].values())
                print(f"  {store}: load {run['load_s']:.2f} s, queries {total:.2f} s, "
                      f"peak {run['peak_rss_mb']:.0f} MB", flush=True)
            results["sizes"].append(entry)
            nq.unlink()
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=1))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    write_report(results)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("rdflib", "pyoxigraph", "networkx", "scipy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


# --- the report ---------------------------------------------------------------------------------

def _s(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 10 else f"{x:.1f}"


def write_report(results: dict) -> None:
    sizes = results["sizes"]
    lines = ["# Scale benchmark", "",
             "Made by `python benchmarks/scale.py` (see its docstring for how corpora are generated); "
             "raw numbers in `benchmarks/results/scale.json`. Times are medians in seconds "
             "(rdflib runs each step once past 500k triples); memory is the peak RSS of the process "
             "that ran the store.", "",
             f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
             + ", ".join(f"{k} {v}" for k, v in results["machine"]["versions"].items()) + ".", "",
             "## Summary", "",
             "| size | triples | store | load | all named queries | slowest query | context + pressure projection "
             "| policy projection | PageRank (full) | betweenness (full) | pressure view | peak memory |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for entry in sizes:
        for store, run in entry["runs"].items():
            if "error" in run:
                lines.append(f"| {entry['scale']}x | {entry['triples']:,} | {store} | failed: {run['error']} |")
                continue
            q = run["queries"]
            total = sum(v["median_s"] for v in q.values())
            slowest = max(q.items(), key=lambda kv: kv[1]["median_s"])
            pr = run["projection"]
            between = _s(run["betweenness_s"]) + (f" (k={run['betweenness_k']})" if run["betweenness_k"] else "")
            lines.append(
                f"| {entry['scale']}x | {entry['triples']:,} | {store} | {_s(run['load_s'])} | {_s(total)} | "
                f"{_s(slowest[1]['median_s'])} ({slowest[0].split()[0]}) | "
                f"{_s(pr['context_s'] + pr['pressure_s'])} | {_s(pr['policy_s'])} | {_s(run['pagerank_s'])} | "
                f"{between} | {_s(run.get('view_s'))} | {run['peak_rss_mb']:.0f} MB |")
    lines += ["", "## Named queries (median seconds; speed-up = rdflib ÷ Oxigraph)", ""]
    names = list(next(iter(sizes[-1]["runs"].values()))["queries"]) if sizes else []
    header = "| query | " + " | ".join(f"{e['scale']}x rdflib | {e['scale']}x oxigraph | speed-up" for e in sizes) + " |"
    lines += [header, "|---|" + "---:|" * (3 * len(sizes))]
    for name in names:
        cells = []
        for e in sizes:
            mem = e["runs"].get("memory", {}).get("queries", {}).get(name, {}).get("median_s")
            ox = e["runs"].get("oxigraph", {}).get("queries", {}).get(name, {}).get("median_s")
            ratio = f"{mem / ox:.0f}×" if mem and ox else "–"
            cells += [_s(mem), _s(ox), ratio]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    total_cells = []
    for e in sizes:
        mem = sum(v["median_s"] for v in e["runs"].get("memory", {}).get("queries", {}).values()) or None
        ox = sum(v["median_s"] for v in e["runs"].get("oxigraph", {}).get("queries", {}).values()) or None
        total_cells += [_s(mem), _s(ox), f"{mem / ox:.0f}×" if mem and ox else "–"]
    lines.append("| **all** | " + " | ".join(total_cells) + " |")
    lines += ["", "## Rows returned (Oxigraph)", "",
              "| query | " + " | ".join(f"{e['scale']}x" for e in sizes) + " |",
              "|---|" + "---:|" * len(sizes)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(
            str(e["runs"].get("oxigraph", {}).get("queries", {}).get(name, {}).get("rows", "–")) for e in sizes) + " |")
    last = sizes[-1]["runs"].get("oxigraph", {}) if sizes else {}
    bound = {n: q.get("binding") for n, q in last.get("queries", {}).items() if q.get("binding")}
    if bound:
        lines += ["", "## How parameters reach Oxigraph", "",
                  "Recorded by wrapping the pyoxigraph store: every bound query goes through "
                  "`Store.query(..., substitutions=...)`; no rdflib prepared query is involved. A "
                  "parameter the query does not project (SEP-0007 substitution refuses those) is "
                  "bound by an inline `VALUES` block instead.", "",
                  "| query | binding |", "|---|---|"] + [f"| {n} | {b} |" for n, b in bound.items()]
    lines += ["", "## Targets at about a million triples", ""]
    lines += _targets(sizes)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _targets(sizes: list[dict]) -> list[str]:
    near = [e for e in sizes if 900_000 <= e["triples"] <= 2_000_000]
    if not near:
        return ["No size between 0.9 and 2 million triples was run."]
    e = near[0]
    ox, mem = e["runs"].get("oxigraph", {}), e["runs"].get("memory", {})
    if "queries" not in ox:
        return ["Oxigraph did not run at this size."]
    slow = {n: q["median_s"] for n, q in ox["queries"].items() if q["median_s"] > TARGETS["query_s"]}
    speedup = (sum(q["median_s"] for q in mem["queries"].values()) /
               sum(q["median_s"] for q in ox["queries"].values())) if "queries" in mem else None
    pr = ox["projection"]
    rows = [("load ≤ 5 s (Oxigraph)", ox["load_s"], ox["load_s"] <= TARGETS["load_s"]),
            ("every named query ≤ 0.5 s (Oxigraph)", max(q["median_s"] for q in ox["queries"].values()),
             not slow),
            ("≥ 10× faster than rdflib over the query set", speedup,
             speedup is not None and speedup >= TARGETS["speedup"]),
            ("pressure projection ≤ 2 s (context + projection)", pr["context_s"] + pr["pressure_s"],
             pr["context_s"] + pr["pressure_s"] <= TARGETS["projection_s"]),
            ("policy projection ≤ 2 s (context + projection)", pr["context_s"] + pr["policy_s"],
             pr["context_s"] + pr["policy_s"] <= TARGETS["projection_s"]),
            ("PageRank ≤ 1 s (full projection)", ox["pagerank_s"], ox["pagerank_s"] <= TARGETS["pagerank_s"])]
    out = [f"At {e['scale']}x ({e['triples']:,} triples):", "", "| target | measured | met |", "|---|---:|---|"]
    for label, value, ok in rows:
        shown = f"{value:.1f}×" if label.startswith("≥") and value else _s(value)
        out.append(f"| {label} | {shown} | {'yes' if ok else 'NO'} |")
    if slow:
        out += ["", "Queries over 0.5 s: " + ", ".join(f"{n} ({_s(t)} s)" for n, t in slow.items()) + "."]
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
