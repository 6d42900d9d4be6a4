"""Command line: a thin layer that parses options, makes one library call, and renders.

Library errors (:class:`kg.errors.KGError`) become one line on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Callable

import click

from . import defaults
from .errors import KGError

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("build")


#: Optional packages and the extra that installs them.
EXTRAS = {"spacy": "extract", "lemminflect": "extract", "pandas": "notebook", "matplotlib": "notebook",
          "IPython": "notebook", "nbclient": "notebook", "nbformat": "notebook"}


def _clean_errors(fn: Callable) -> Callable:
    """Library errors become one line ``error: …`` on stderr and exit status 1."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except ModuleNotFoundError as exc:
            extra = EXTRAS.get((exc.name or "").split(".")[0])
            if extra is None:
                raise
            click.echo(f"error: this command needs {exc.name}, which the '{extra}' extra installs: "
                       f"pip install 'migration-kg[{extra}]'", err=True)
            sys.exit(1)
    return wrapper


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="--param")
        name, value = item.split("=", 1)
        out[name.strip()] = value
    return out


store_option = click.option("--store", type=click.Choice(defaults.STORES),
                            default="memory", show_default=True, help="Where the graph lives.")
read_store_option = click.option("--store", type=click.Choice(defaults.READ_STORES), default="auto",
                                 show_default=True,
                                 help="Where the graph lives (auto: the build's Oxigraph store if it left one, else memory).")
data_option = click.option("--data", "data_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
                           show_default=True, help="Folder of the built dataset.")
endpoint_option = click.option("--endpoint", default=None, metavar="URL",
                               help="Query a SPARQL 1.1 endpoint instead of the local build.")
timeout_option = click.option("--timeout", type=click.FloatRange(min=0), default=defaults.QUERY_TIMEOUT_S,
                              show_default=True,
                              metavar="SECONDS", help="Stop a query that runs longer than this (0: no limit).")


@dataclass(frozen=True)
class Where:
    """Where a command finds the graph: --store, --data, --endpoint and --timeout."""

    store: str
    data_dir: Path
    endpoint: str | None
    timeout: float
    candidates: bool = False

    def open(self):  # type: ignore[no-untyped-def]
        from .store import open_store

        return open_store(self.store, self.data_dir, endpoint=self.endpoint, timeout=self.timeout or None,
                          candidates=self.candidates)


candidates_option = click.option(
    "--with-candidates", "candidates", is_flag=True,
    help="Include the unreviewed candidates of 'kg build --with-candidates', marked (unreviewed).")


def store_options(fn: Callable) -> Callable:
    """--store, --data, --endpoint, --timeout and --with-candidates, given to the command as one ``where``."""
    @wraps(fn)
    def wrapper(*args, store: str, data_dir: Path, endpoint: str | None, timeout: float, candidates: bool,
                **kwargs):
        return fn(*args, where=Where(store, data_dir, endpoint, timeout, candidates), **kwargs)
    return read_store_option(data_option(endpoint_option(timeout_option(candidates_option(wrapper)))))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="migration-kg")
def main() -> None:
    """Knowledge graph of US pressure on Mexico's migration policy."""


@main.command()
@click.option("--seeds", type=click.Path(path_type=Path), default=DEFAULT_SEEDS, show_default=True,
              help="Folder of documents (*.txt) and curation files (*.yaml).")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Output folder.")
@store_option
@click.option("--views/--no-views", default=True, show_default=True, help="Also write the default views.")
@click.option("--with-candidates", type=click.Path(path_type=Path), default=None,
              help="Also add unreviewed candidates from this folder: in their own named graph, and in OUT/with-candidates/ as if curated, marked unreviewed (read commands: --with-candidates).")
@_clean_errors
def build(seeds: Path, out: Path, store: str, views: bool, with_candidates: Path | None) -> None:
    """Compile seeds/ into an RDF dataset in build/, validated with SHACL."""
    from . import pipeline

    summary = pipeline.run_build(seeds, out, store=store, views=views, candidates=with_candidates)
    click.echo(summary)


@main.command()
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path), help="Run the SPARQL in this file.")
@click.option("--list", "list_", is_flag=True, help="Describe the catalogue of named queries.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter.")
@click.option("--format", "fmt", type=click.Choice(defaults.FORMATS), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help=f"Rows to show (table default: {defaults.PAGE_ROWS}; csv and json: every row).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Rows to skip first.")
@click.option("--all", "all_", is_flag=True, help="Every row, also in a table.")
@store_options
@_clean_errors
def query(query: str | None, query_file: Path | None, list_: bool, params: tuple[str, ...], fmt: str,
          limit: int | None, offset: int, all_: bool, where: Where) -> None:
    """Run a named query (kg query NAME), SPARQL text, or a .rq file.

    A table shows one page of rows and the total; CSV and JSON stream every row."""
    import sys

    if list_:
        from .named_queries import describe_catalogue

        click.echo(describe_catalogue(fmt), nl=False)
        return
    from . import query as q

    if query_file is not None:
        named = q.parse_query_file(query_file)
    elif query:
        named = q.get_query(query) if q.is_query_name(query) else q.adhoc_query(query)
    else:
        raise click.UsageError("give a query NAME, SPARQL text, --file Q.rq, or --list")
    if all_ and limit is not None:
        raise click.UsageError("give --all or --limit, not both")
    paged = not all_ and (fmt == "table" or limit is not None or offset) and named.parsed.form == "SELECT"
    with where.open() as st:
        if not paged:
            if named.parsed.form == "ASK" or (fmt == "table" and named.parsed.form != "SELECT"):
                _echo(q.render(q.run(st, named, _params(params)), fmt))
            elif fmt == "table":
                for block in q.table_blocks(*q.stream(st, named, _params(params))):
                    click.echo(block, nl=False)
            else:
                q.write_rows(*q.stream(st, named, _params(params)), fmt, sys.stdout)
            return
        page = q.run_page(st, named, _params(params), defaults.PAGE_ROWS if limit is None else limit, offset)
        if fmt == "table":
            click.echo(q.render(page, fmt), nl=False)
        else:
            q.write_rows(page.vars, page.rows, fmt, sys.stdout)


format_option = click.option("--format", "fmt", type=click.Choice(defaults.FORMATS), default="table",
                             show_default=True)


def _echo(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


@main.group()
def analyze() -> None:
    """Analyses of the graph: who pressured whom, chains, reversals, centrality, timeline ..."""


@analyze.command("who")
@format_option
@store_options
@_clean_errors
def analyze_who(fmt: str, where: Where) -> None:
    """Who pressured whom: pressurers and targets ranked, with instruments and dates."""
    from . import analysis
    from .query import render_records

    with where.open() as st:
        ranking = analysis.who_pressured_whom(st)
    cols = ["label", "pressures", "counterparts", "instruments", "dates"]
    if fmt == "json":
        _echo(render_records([ranking], [], "json"))  # type: ignore[list-item]
    elif fmt == "csv":
        rows = [dict(r, side=side) for side in ("pressurers", "targets") for r in ranking[side]]
        _echo(render_records(rows, ["side", "actor"] + cols, "csv"))
    else:
        _echo(render_records(ranking["pressurers"], cols, "table", "Pressurers (pressures exerted)"))
        _echo(render_records(ranking["targets"], cols, "table", "Targets (pressures received)"))


@analyze.command("chains")
@click.option("--from", "start", default=None, metavar="PRESSURE", help="Start from this pressure (id or name).")
@format_option
@store_options
@_clean_errors
def analyze_chains(start: str | None, fmt: str, where: Where) -> None:
    """Chains from a pressure through what it produced to what that led to, with evidence."""
    from . import analysis
    from .query import render_records

    with where.open() as st:
        chains = analysis.chains_of(st, start)
    if fmt == "json":
        _echo(render_records(chains, [], "json"))  # type: ignore[arg-type]
        return
    rows = [{"chain": n, "step": step, "from": link["source_label"], "relation": link["relation"],
             "to": link["target_label"], "sources": link["sources"],
             "quote": " ".join(link["evidence"][0]["quote"].split()) if link["evidence"] else ""}
            for n, chain in enumerate(chains, 1) for step, link in enumerate(chain, 1)]
    _echo(render_records(rows, ["chain", "step", "from", "relation", "to", "sources", "quote"], fmt))


@analyze.command("reversals")
@format_option
@store_options
@_clean_errors
def analyze_reversals(fmt: str, where: Where) -> None:
    """Which policy reversed which, by whom, when, in time order, with sources."""
    from . import analysis
    from .query import render_records

    with where.open() as st:
        rows, chains = analysis.reversals_of(st)
    if fmt == "json":
        _echo(render_records(rows, [], "json"))
        return
    _echo(render_records(rows, ["date", "label", "from", "to", "by", "sources"], fmt))
    if chains and fmt == "table":
        _echo(render_records([{"chain": " -> ".join(c)} for c in chains], ["chain"], "table",
                             "Policies reversed in sequence"))


@analyze.command("centrality")
@click.option("--graph", "which", type=click.Choice(["pressure", "full"]), default="pressure", show_default=True)
@click.option("--top", type=int, default=15, show_default=True, help="How many actors (0: all).")
@format_option
@store_options
@_clean_errors
def analyze_centrality(which: str, top: int, fmt: str, where: Where) -> None:
    """Degree, PageRank and betweenness of actors, with what each measure means here."""
    from . import analysis
    from .query import render_records

    with where.open() as st:
        rows = analysis.centrality_of(st, which, top)
    if fmt == "table":
        for measure, meaning in analysis.CENTRALITY_MEANING.items():
            click.echo(f"{measure}: {meaning}.")
    _echo(render_records(rows, ["label", "class", "degree", "pagerank", "betweenness"], fmt))


@analyze.command("timeline")
@click.option("--actor", default=None, help="Only statements this actor takes part in (id or name).")
@click.option("--document", default=None, help="Only dates given by this document (file name or stem).")
@click.option("--class", "cls", default=None, help="Only things of this class (e.g. Pressure).")
@click.option("--from", "start", default=None, metavar="DATE", help="From this date (YYYY[-MM[-DD]]).")
@click.option("--to", "end", default=None, metavar="DATE", help="Up to this date (YYYY[-MM[-DD]]).")
@format_option
@store_options
@_clean_errors
def analyze_timeline(actor, document, cls, start, end, fmt, where) -> None:
    """Every dated statement in order, filtered by actor, document, class or date range."""
    from . import analysis
    from .query import render_records

    with where.open() as st:
        rows = analysis.timeline_of(st, actor, document=document, cls=cls, start=start, end=end)
    _echo(render_records(rows, ["date", "label", "class", "file"], fmt))


@analyze.command("disagreements")
@click.option("--single-source", is_flag=True, help="List statements resting on one source instead.")
@format_option
@store_options
@_clean_errors
def analyze_disagreements(single_source: bool, fmt: str, where: Where) -> None:
    """Where sources disagree (same thing, different values): each side's documents, and the first one's quote."""
    from . import analysis
    from .query import render_records

    with where.open() as st:
        if single_source:
            _echo(render_records(analysis.single_source(st), ["label", "class", "source"], fmt))
            return
        rows = analysis.disagreements(st)
    # sources as people name them, and each value with how its document qualifies it
    _echo(render_records(rows, ["label", "kind", "valueA", "qualifierA", "sourcesA", "quoteA",
                                "valueB", "qualifierB", "sourcesB", "quoteB"], fmt))


@analyze.command("export")
@click.argument("projection", type=click.Choice(defaults.PROJECTIONS))
@click.argument("path", type=click.Path(path_type=Path))
@store_options
@_clean_errors
def analyze_export(projection: str, path: Path, where: Where) -> None:
    """Export a projection to GraphML (.graphml) or GEXF (.gexf, for Gephi)."""
    from .views import export_projection

    with where.open() as st:
        g = export_projection(st, projection, path)
    click.echo(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@main.command()
@click.option("--kind", type=click.Choice(defaults.PROJECTIONS), default="full",
              show_default=True, help="Which projection to draw.")
@click.option("--focus", default=None, metavar="NAME",
              help="Draw only the neighbourhood of this entity (id, IRI or name).")
@click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True, help="Steps around --focus.")
@click.option("--max-nodes", type=click.IntRange(1), default=defaults.VIEW_MAX_NODES, show_default=True,
              help="Keep at most this many (the most central) nodes.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="HTML file to write [default: DATA/views/KIND[-FOCUS].html].")
@store_options
@_clean_errors
def view(kind: str, focus: str | None, depth: int, max_nodes: int, out: Path | None, where: Where) -> None:
    """Write an interactive, self-contained HTML view of a projection (opens offline)."""
    from .views import write_store_view

    with where.open() as st:
        path = write_store_view(st, out, kind, focus=focus, depth=depth, max_nodes=max_nodes,
                                data_dir=where.data_dir)
    click.echo(f"wrote {path}")


@main.command()
@click.option("--endpoint", required=True, metavar="URL", help="The SPARQL endpoint of the server to load.")
@data_option
@click.option("--user", default=None, help="Account allowed to write (HTTP Digest or Basic auth).")
@click.option("--password", default=None, help="Its password (or set KG_PUSH_PASSWORD).",
              envvar="KG_PUSH_PASSWORD")
@click.option("--graph-store", default=None, metavar="URL",
              help="Graph Store Protocol URL [default: found from the server, e.g. Virtuoso's "
                   "/sparql-graph-crud-auth].")
@click.option("--protocol", type=click.Choice(["auto", "gsp", "update"]), default="auto", show_default=True,
              help="PUT each named graph (gsp) or SPARQL Update in batches (update).")
@_clean_errors
def push(endpoint: str, data_dir: Path, user: str | None, password: str | None, graph_store: str | None,
         protocol: str) -> None:
    """Load the built dataset, with its named graphs, into a SPARQL server (each graph replaced)."""
    from .push import push as push_dataset

    click.echo(push_dataset(data_dir, endpoint, user=user, password=password, graph_store=graph_store,
                            protocol=protocol))


@main.command()
@data_option
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--timeout-s", type=click.FloatRange(min=1), default=30, show_default=True,
              help="Stop a query that runs longer than this.")
@click.option("--max-result-mb", type=click.FloatRange(min=0, min_open=True), default=64, show_default=True,
              help="Refuse results larger than this.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Queries run at once, each in its own Oxigraph process [default: 4 or the CPU count].")
@click.option("--read-timeout-s", type=click.FloatRange(min=0.1), default=10, show_default=True,
              help="Drop a client that sends nothing for this long (idle connections too).")
@_clean_errors
def serve(data_dir: Path, port: int, timeout_s: float, max_result_mb: float, workers: int | None,
          read_timeout_s: float) -> None:
    """Serve the build as a read-only SPARQL 1.1 endpoint on 127.0.0.1 (Ctrl-C stops it)."""
    from . import server

    def ready(endpoint: "server.Endpoint") -> None:
        click.echo(f"SPARQL endpoint (read-only): {endpoint.url}\nquery page: {endpoint.url[:-len('query')]}\n"
                   f"time limit {timeout_s:g} s; Ctrl-C stops", err=False)
        sys.stdout.flush()

    limits = server.Limits(timeout_s=timeout_s, max_result_mb=max_result_mb,
                           workers=workers or server.DEFAULT_WORKERS, read_timeout_s=read_timeout_s)
    server.serve(data_dir, port=port, limits=limits, on_ready=ready)


def _numbers(text: str, hint: str) -> set[int]:
    """'1,3,5-7' -> {1, 3, 5, 6, 7}."""
    out: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            if "-" in part:
                a, b = (int(x) for x in part.split("-", 1))
                out.update(range(a, b + 1))
            else:
                out.add(int(part))
        except ValueError:
            raise click.BadParameter(f"{part!r}: expected numbers like 1,3,5-7", param_hint=hint) from None
    return out


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("candidates"), show_default=True,
              help="Folder for the candidate files (STEM.yaml and the document's text STEM.txt).")
@click.option("--seeds", type=click.Path(path_type=Path), default=DEFAULT_SEEDS, show_default=True,
              help="Curated data whose names (labels, altLabels) the gazetteer looks for.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per core).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse documents larger than this (default 5,000,000).")
@_clean_errors
def extract(files: tuple[Path, ...], out: Path, seeds: Path, jobs: int, max_bytes: int | None) -> None:
    """Propose candidate statements for new documents (.txt, .md, .html), for review."""
    import os

    from .extract import MAX_BYTES, extract_files

    jobs = min(jobs or os.cpu_count() or 1, len(files))
    summary = extract_files(files, out, seeds=seeds, jobs=jobs, max_bytes=max_bytes or MAX_BYTES)
    click.echo(summary.render())


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--accept", default="", metavar="N,M", help="Accept these statements (numbers as listed).")
@click.option("--reject", default="", metavar="N,M", help="Reject these statements.")
@click.option("--accept-all", is_flag=True, help="Accept every statement still a candidate.")
@click.option("--accept-class", "accept_kinds", multiple=True, metavar="CLASS",
              help="Accept every candidate statement of this class (Pressure, Agreement, PolicyReversal, Statistic, Policy, Actor).")
@click.option("--reject-class", "reject_kinds", multiple=True, metavar="CLASS", help="Reject every candidate of this class.")
@click.option("--accept-above", type=click.FloatRange(0, 1), default=None, metavar="C",
              help="Accept every candidate whose confidence is at least C.")
@click.option("--reject-below", type=click.FloatRange(0, 1), default=None, metavar="C",
              help="Reject every candidate whose confidence is below C.")
@click.option("--actors", "list_actors", is_flag=True, help="Also list the actors no accepted statement uses.")
@click.option("--accept-actor", "accept_actors", multiple=True, metavar="ID",
              help="Accept this candidate actor even if no statement uses it (repeatable; 'all' for every one).")
@click.option("--html", "html", is_flag=True, help="Also write FILE.html: the document with every candidate highlighted in place.")
@click.option("--seeds", type=click.Path(path_type=Path), default=DEFAULT_SEEDS, show_default=True,
              help="Curated data (to show the class of statements about known things).")
@_clean_errors
def review(file: Path, accept: str, reject: str, accept_all: bool, accept_kinds: tuple[str, ...],
           reject_kinds: tuple[str, ...], accept_above: float | None, reject_below: float | None,
           list_actors: bool, accept_actors: tuple[str, ...], html: bool, seeds: Path) -> None:
    """List a candidate file's statements (most confident first) and record review decisions in it."""
    from .extract.review import review as review_file, unused_actors
    from .extract.review_html import write_html

    items = review_file(file, _numbers(accept, "--accept"), _numbers(reject, "--reject"), accept_all,
                        seeds=seeds if seeds.is_dir() else None, accept_kinds=accept_kinds,
                        reject_kinds=reject_kinds, accept_above=accept_above, reject_below=reject_below,
                        accept_actors=accept_actors)
    def cut(text: str, n: int) -> str:
        return text if len(text) <= n else text[:n - 3] + "..."
    click.echo(f"{'#':>4} {'review':<9} {'class':<14} {'conf':>4}  {'agent':<22} {'target':<22} {'value':<28} "
               f"{'status':<11} {'hedge':<10} quote")
    order = sorted(items, key=lambda it: (-(it.confidence if isinstance(it.confidence, (int, float)) else -1), it.number))
    for it in order:
        conf = f"{it.confidence:.2f}" if isinstance(it.confidence, (int, float)) else "    "
        click.echo(f"[{it.number:>2}] {it.review:<9} {it.kind:<14} {conf}  {cut(it.agent, 22):<22} {cut(it.target, 22):<22} "
                   f"{cut(it.value, 28):<28} {cut(it.status, 11):<11} {cut(it.hedge, 10):<10} {cut(it.quote, 70)}")
        if it.problem:
            click.echo(f"      not accepted: {it.problem}")
    counts = {s: sum(1 for it in items if it.review == s) for s in ("accepted", "rejected", "candidate")}
    click.echo(f"{len(items)} statements: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    unused = unused_actors(file)
    if list_actors:
        for a in unused:
            conf = f"{a.confidence:.2f}" if isinstance(a.confidence, (int, float)) else "    "
            click.echo(f"  actor {a.id:<36} {a.cls:<26} {conf} {a.review:<9} {a.label}")
    pending = [a for a in unused if a.review == "candidate"]
    if pending:
        click.echo(f"{len(pending)} candidate actors no accepted statement uses (left out of the graph): "
                   f"list them with --actors, keep them with --accept-actor ID (or all)")
    if html:
        out = write_html(file)
        click.echo(f"wrote: {out}")


@main.command()
@click.option("--seeds", type=click.Path(path_type=Path), default=DEFAULT_SEEDS, show_default=True,
              help="The curated documents the rules were developed on (also the known names for dev and test).")
@click.option("--eval", "eval_dir", type=click.Path(path_type=Path), default=Path("eval"), show_default=True,
              help="The evaluation set of unseen articles: its dev/ and test/ halves.")
@click.option("--set", "sets", multiple=True, type=click.Choice(["seeds", "dev", "test"]),
              help="Only this set (repeatable; default: all three).")
@click.option("--document", "documents", multiple=True, metavar="STEM", help="Only this document (repeatable).")
@click.option("--misses", is_flag=True,
              help="Also list every missed and every wrong item (seeds and dev only: test errors are never shown).")
@_clean_errors
def evaluate(seeds: Path, eval_dir: Path, sets: tuple[str, ...], documents: tuple[str, ...], misses: bool) -> None:
    """Score the extraction on the seeds (training documents), and the dev and test halves of eval/."""
    from .evaluate import SETS, evaluate_sets

    results = evaluate_sets(seeds, eval_dir, sets or SETS, list(documents) or None)
    for i, result in enumerate(results):
        if i:
            click.echo()
        click.echo(f"## {result.title()}")
        click.echo()
        click.echo(result.table())
        if result.name != "test":  # the test half shows only its totals, never where it fails
            click.echo()
            click.echo(result.per_document())
        if misses and result.name != "test":
            click.echo()
            click.echo(result.render_misses())
        elif misses:
            click.echo()
            click.echo("(test: errors are not listed, so that rules are never changed from them)")


if __name__ == "__main__":  # pragma: no cover
    main()
