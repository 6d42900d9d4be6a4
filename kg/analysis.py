"""Analysis stage: project the graph into networkx with named SPARQL queries, and answer the
questions users ask of it (who pressured whom, chains, reversals, centrality, timeline,
disagreements) with pure functions over those graphs."""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import networkx as nx
from rdflib import URIRef

from .errors import KGError
from .query import QUERY_DIR, NamedQuery, documents, get_query, parse_query_file, resolve_thing
from .store import Store, plain
from .summary import date_span
from . import defaults, vocab
from .vocab import MKG

PROJECTION_DIR = QUERY_DIR / "projections"
_MKG, _EVIDENCE = str(MKG._NS), str(MKG.Evidence)
PROJECTIONS = defaults.PROJECTIONS
STATEMENT_CLASSES = set(vocab.STATEMENT_CLASSES)
ACTOR_CLASSES = set(vocab.ACTOR_CLASSES)


class AnalysisError(KGError):
    """An analysis asked of something the graph does not have."""


@lru_cache(maxsize=None)
def _projection_query(name: str) -> NamedQuery:
    return parse_query_file(PROJECTION_DIR / f"{name}.rq")


def _rows(store: Store, name: str, only: tuple[str, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """Rows of a projection query; ``only=(var, iris)`` keeps those whose ``?var`` is one of ``iris``."""
    among = None if only is None else (only[0], [URIRef(iri) for iri in only[1]])
    names, rows = store.values(_projection_query(name).parsed, among=among)
    return [dict(zip(names, row)) for row in rows]


# --- projections ------------------------------------------------------------------------

@dataclass
class GraphContext:
    """Node facts shared by every projection: labels, classes, dates, sources and evidence.

    ``evidence`` holds the quotes of the things it was loaded for (:meth:`load_evidence`);
    ``sources`` the documents that give evidence for each thing, quotes loaded or not.
    """

    labels: dict[str, str]
    classes: dict[str, str]
    dates: dict[str, list[tuple[str, str]]]
    evidence: dict[str, list[dict[str, Any]]]
    sources: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, things: Iterable[str] | None = None, evidence: bool = True,
             files: dict[str, str] | None = None) -> "GraphContext":
        """The facts of every node, or only of ``things`` (IRIs) when given; ``evidence=False``
        leaves the quotes out (sources are still there), to be loaded later for the few nodes
        that show them. ``files`` maps document IRIs to file names (read from the store when
        not given)."""
        subset = None if things is None else sorted(set(things))
        wanted = set(subset or ())

        def only(var: str) -> tuple[str, Sequence[str]] | None:
            return None if subset is None else (var, subset)
        labels, classes = {}, {}
        for row in _rows(store, "nodes", only("node")):
            node, cls_iri = row["node"], row["cls"]
            if not cls_iri.startswith(_MKG) or cls_iri == _EVIDENCE or node.startswith(_MKG):
                continue
            labels[node] = row["label"]
            # keep the most specific class: Person beats Actor, Policy beats Statement
            name = cls_iri[len(_MKG):]
            if name not in vocab.ABSTRACT_CLASSES or node not in classes:
                classes[node] = name
        files = _doc_files(store) if files is None else files
        dates: dict[str, list[tuple[str, str]]] = defaultdict(list)
        # every date, kept in Python: dates are few, and a VALUES block of many things costs more
        for row in _rows(store, "dates"):
            if row["doc"] in files and (subset is None or row["thing"] in wanted):
                dates[row["thing"]].append((str(row["date"]), files[row["doc"]]))
        ctx = cls(labels, classes, dict(dates), {})
        if evidence:
            ctx.load_evidence(store, subset, files)
        else:
            sources: dict[str, set[str]] = defaultdict(set)
            for row in _rows(store, "sources", only("thing")):
                if row["doc"] in files:
                    sources[row["thing"]].add(files[row["doc"]])
            ctx.sources = {thing: sorted(f) for thing, f in sources.items()}
        return ctx

    def load_evidence(self, store: Store, things: Iterable[str] | None = None,
                      files: dict[str, str] | None = None) -> None:
        """Load the quotes of ``things`` (every thing when None) into :attr:`evidence`."""
        subset = None if things is None else sorted(set(things) - set(self.evidence))
        if subset == []:
            return
        files = _doc_files(store) if files is None else files
        evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        seen = set()
        rows = [dict(row, file=files[row["doc"]])
                for row in _rows(store, "evidence", None if subset is None else ("thing", subset))
                if row["doc"] in files]
        # a total order, so the kept row and the list order do not depend on the store's row order
        rows = sorted(rows,
                      key=lambda r: (r["file"], r["start"], r["end"], str(r.get("attributedTo") or ""),
                                     str(r.get("hedge") or "")))
        for row in rows:
            key = (row["thing"], row["file"], row["start"], row["end"])
            if key in seen:
                continue
            seen.add(key)
            evidence[row["thing"]].append({k: row[k] for k in ("file", "start", "end", "quote", "attributedTo", "hedge")
                                           if row.get(k) is not None})
        for thing in subset or []:
            evidence.setdefault(thing, [])
        self.evidence.update(evidence)
        for thing, items in evidence.items():
            self.sources[thing] = sorted({e["file"] for e in items})

    def add_node(self, g: nx.Graph, node: str) -> None:
        if node in g:
            return
        dates = sorted({d for d, _ in self.dates.get(node, [])})
        g.add_node(node, label=self.labels.get(node, node), cls=self.classes.get(node, "Thing"),
                   dates=dates, evidence=self.evidence.get(node, []), sources=self.sources.get(node, []))

    def statement_evidence(self, statement: str, files: Iterable[str]) -> list[dict[str, Any]]:
        files = set(files)
        return [e for e in self.evidence.get(statement, []) if e["file"] in files]


def _file_of(doc_iri: str, store_files: dict[str, str]) -> str:
    return store_files.get(doc_iri, doc_iri.rsplit("/", 1)[-1] + ".txt")


def _doc_files(store: Store) -> dict[str, str]:
    return documents(store)


_NODE_COLUMNS = {"pressures": ("pressure", "actor", "target"), "agreements": ("actor", "agreement"),
                 "full": ("source", "target"), "policy": ("source", "target")}


def project(store: Store, name: str, context: GraphContext | None = None,
            evidence: bool = True) -> nx.MultiDiGraph | nx.DiGraph | nx.Graph:
    """The projection ``name`` (full, pressure, policy, agreements) of the graph in ``store``.

    Nodes are keyed by IRI with ``label``, ``cls``, ``dates``, ``sources`` and ``evidence``;
    every edge keeps the statements behind it (``statements``, ``sources``) and their
    ``evidence`` quotes. With ``evidence=False`` the quotes are left out (empty lists), which is
    much faster on a large graph; :func:`attach_evidence` adds them later to the nodes that need
    them.
    """
    if name not in PROJECTIONS:
        raise AnalysisError(f"unknown projection {name!r} (one of {', '.join(PROJECTIONS)})")
    query = {"pressure": "pressures", "agreements": "agreements", "full": "full"}.get(name, "policy")
    rows = _rows(store, query)
    files = _doc_files(store)
    rows = [row for row in rows if row["doc"] in files]  # document graphs only
    # without a shared context, load the facts of just the nodes this projection shows
    things = {row[k] for row in rows for k in _NODE_COLUMNS[query]}
    ctx = context or GraphContext.load(store, things, evidence, files)
    if query == "full":  # relations between things: both ends have a label
        rows = [row for row in rows if row["source"] in ctx.labels and row["target"] in ctx.labels]
    if name == "pressure":
        g = _pressure_projection(store, rows, ctx, files)
    elif name == "agreements":
        g = nx.Graph(name="actor-agreement")
        for row in rows:
            ctx.add_node(g, row["actor"])
            ctx.add_node(g, row["agreement"])
            g.nodes[row["actor"]]["bipartite"] = 0
            g.nodes[row["agreement"]]["bipartite"] = 1
            file = _file_of(row["doc"], files)
            if g.has_edge(row["actor"], row["agreement"]):
                data = g.edges[row["actor"], row["agreement"]]
                data["sources"] = sorted(set(data["sources"]) | {file})
            else:
                g.add_edge(row["actor"], row["agreement"], relation="party", sources=[file],
                           statements=[row["agreement"]])
    else:
        g = nx.MultiDiGraph(name=name)
        grouped: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for row in rows:
            grouped[(row["source"], row["relation"], row["target"])].add(_file_of(row["doc"], files))
        for (source, relation, target), sources in sorted(grouped.items()):
            ctx.add_node(g, source)
            ctx.add_node(g, target)
            statement = source if ctx.classes.get(source) in STATEMENT_CLASSES else target
            g.add_edge(source, target, key=relation, relation=relation, sources=sorted(sources),
                       statements=[statement])
    _fill_evidence(g, ctx)
    return g


def _fill_evidence(g: nx.Graph, ctx: GraphContext, nodes: set[str] | None = None) -> None:
    """Give nodes (all, or ``nodes``) and the edges whose statements are among them the quotes
    that ``ctx`` holds: an edge gets its statements' evidence from the edge's own sources."""
    for node, data in g.nodes(data=True):
        if nodes is None or node in nodes:
            data["evidence"] = ctx.evidence.get(node, [])
            data["sources"] = ctx.sources.get(node, data.get("sources", []))
    for _u, _v, data in g.edges(data=True):
        if "pressures" in data:  # new item dicts: a copy of the graph shares the old ones
            data["pressures"] = [
                dict(item, evidence=ctx.statement_evidence(item["pressure"], item["sources"]))
                if nodes is None or item["pressure"] in nodes else item for item in data["pressures"]]
            data["evidence"] = [e for item in data["pressures"] for e in item.get("evidence", [])]
        elif nodes is None or any(s in nodes for s in data.get("statements", [])):
            data["evidence"] = [e for s in data.get("statements", [])
                                for e in ctx.statement_evidence(s, data.get("sources", []))]


def attach_evidence(store: Store, g: nx.Graph, nodes: Iterable[str] | None = None) -> nx.Graph:
    """Load the evidence quotes of ``nodes`` (default: every node of ``g`` and every statement
    on its edges) from ``store`` and put them on those nodes and on the edges whose statements
    they are, as :func:`project` does; returns ``g``. Use it after
    ``project(..., evidence=False)`` and cutting the graph down to what will be shown."""
    if nodes is None:
        wanted = set(g.nodes) | {s for _u, _v, d in g.edges(data=True) for s in d.get("statements", [])}
    else:
        wanted = set(nodes)
    ctx = GraphContext({}, {}, {}, {})
    ctx.load_evidence(store, wanted)
    _fill_evidence(g, ctx, wanted)
    return g


def _pressure_projection(store: Store, rows: list[dict[str, Any]], ctx: GraphContext,
                         files: dict[str, str]) -> nx.DiGraph:
    g = nx.DiGraph(name="pressure")
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    dated: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # pressure -> file -> dates
    # the facts of every pressure: a VALUES block of this projection's pressures would make
    # Oxigraph evaluate each UNION branch per value, 10x slower than reading them all
    for row in _rows(store, "pressure-facts"):
        if row["key"] == "date":
            dated[row["pressure"]][_file_of(row["doc"], files)].add(str(row["value"]))
        else:
            facts[row["pressure"]][row["key"]].add(str(row["value"]))
    pressures: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        actor, target, p = row["actor"], row["target"], row["pressure"]
        ctx.add_node(g, actor)
        ctx.add_node(g, target)
        entry = pressures[(actor, target)].setdefault(p, {
            "pressure": p, "label": ctx.labels.get(p, p), "instruments": facts[p]["instrument"],
            "types": facts[p]["type"], "demands": facts[p]["demand"], "dates": set(), "sources": set()})
        file = _file_of(row["doc"], files)
        entry["sources"].add(file)
        entry["dates"] |= dated[p].get(file, set())  # the dates the documents stating this edge give
    for (actor, target), by_pressure in pressures.items():
        items = []
        for entry in sorted(by_pressure.values(), key=lambda e: (sorted(e["dates"]) or ["9999"], e["label"])):
            items.append({k: (sorted(v) if isinstance(v, set) else v) for k, v in entry.items()})
        g.add_edge(actor, target, relation="pressured", weight=len(items), pressures=items,
                   statements=[i["pressure"] for i in items],
                   sources=sorted({s for i in items for s in i["sources"]}))
    return g


# --- analyses (pure functions over projections) -------------------------------------------

def pressure_ranking(g: nx.DiGraph) -> dict[str, list[dict[str, Any]]]:
    """Rank actors of a pressure network by pressures exerted and received.

    Returns ``{"pressurers": [...], "targets": [...]}``, each entry with the actor, its label,
    the number of distinct pressures, the actors on the other side, instruments and dates.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("us", "mx", pressures=[{"pressure": "p1", "instruments": ["tariff threat"], "dates": ["2019-05"]}])
    >>> g.add_edge("us", "gt", pressures=[{"pressure": "p2", "instruments": [], "dates": []}])
    >>> [(r["actor"], r["pressures"]) for r in pressure_ranking(g)["pressurers"]]
    [('us', 2)]
    >>> [(r["actor"], r["counterparts"]) for r in pressure_ranking(g)["targets"]]
    [('gt', ['us']), ('mx', ['us'])]
    """
    def side(out: bool) -> list[dict[str, Any]]:
        rows = []
        for node in g.nodes:
            edges = g.out_edges(node, data=True) if out else g.in_edges(node, data=True)
            items, others = {}, set()
            for u, v, data in edges:
                others.add(v if out else u)
                for p in data.get("pressures", []):
                    items[p["pressure"]] = p
            if not items:
                continue
            rows.append({
                "actor": node, "label": g.nodes[node].get("label", node), "pressures": len(items),
                "counterparts": sorted(g.nodes[o].get("label", o) for o in others),
                "instruments": sorted({i for p in items.values() for i in p.get("instruments", [])}),
                "dates": sorted({d for p in items.values() for d in p.get("dates", [])}),
            })
        return sorted(rows, key=lambda r: (-r["pressures"], r["label"]))
    return {"pressurers": side(True), "targets": side(False)}


_LEADS_TO = {"resultedIn": False, "commitment": False, "toPolicy": False}


def pressure_chains(g: nx.MultiDiGraph, start: str | None = None, max_depth: int = 6) -> list[list[dict[str, Any]]]:
    """Chains from a pressure through what it produced to what that led to.

    Follows ``resultedIn`` (pressure → outcome), ``commitment`` (agreement → policy) and
    ``toPolicy`` (reversal → new policy) edges of a policy projection. Each chain is a list of
    links ``{"source", "relation", "target", "sources", "evidence"}``; only maximal chains are
    returned.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, c in [("threat", "Pressure"), ("deal", "Agreement"), ("guard", "Policy")]:
    ...     g.add_node(n, cls=c, label=n)
    >>> _ = g.add_edge("threat", "deal", key="resultedIn", relation="resultedIn", sources=["a.txt"], evidence=[])
    >>> _ = g.add_edge("deal", "guard", key="commitment", relation="commitment", sources=["a.txt"], evidence=[])
    >>> [[(l["source"], l["target"]) for l in chain] for chain in pressure_chains(g)]
    [[('threat', 'deal'), ('deal', 'guard')]]
    """
    starts = [start] if start else sorted(n for n, d in g.nodes(data=True) if d.get("cls") == "Pressure")
    chains: list[list[dict[str, Any]]] = []

    def links(node: str) -> list[dict[str, Any]]:
        out = []
        for _, target, data in g.out_edges(node, data=True):
            if data.get("relation") in _LEADS_TO:
                out.append({"source": node, "source_label": g.nodes[node].get("label", node),
                            "relation": data["relation"], "target": target,
                            "target_label": g.nodes[target].get("label", target),
                            "sources": data.get("sources", []), "evidence": data.get("evidence", [])})
        return sorted(out, key=lambda link: (link["relation"], link["target"]))

    def walk(node: str, path: list[dict[str, Any]], seen: set[str]) -> None:
        nxt = [link for link in links(node) if link["target"] not in seen] if len(path) < max_depth else []
        if not nxt:
            if path:
                chains.append(path)
            return
        for link in nxt:
            walk(link["target"], path + [link], seen | {link["target"]})

    for node in starts:
        if node not in g:
            raise AnalysisError(f"{node!r} is not in the graph")
        walk(node, [], {node})
    return chains


def reversal_table(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every policy reversal of a policy projection, in time order (undated last).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("r", cls="PolicyReversal", label="turn", dates=["2019-06"], sources=["a.txt"], evidence=[])
    >>> g.add_node("old", cls="Policy", label="visas"); g.add_node("new", cls="Policy", label="guard")
    >>> g.add_node("amlo", cls="Person", label="AMLO")
    >>> _ = g.add_edge("r", "old", key="fromPolicy", relation="fromPolicy")
    >>> _ = g.add_edge("r", "new", key="toPolicy", relation="toPolicy")
    >>> _ = g.add_edge("r", "amlo", key="reversedBy", relation="reversedBy")
    >>> [(r["from"], r["to"], r["by"], r["date"]) for r in reversal_table(g)]
    [(['visas'], ['guard'], ['AMLO'], '2019-06')]
    """
    rows = []
    for node, data in g.nodes(data=True):
        if data.get("cls") != "PolicyReversal":
            continue
        rel = defaultdict(list)
        for _, target, edge in g.out_edges(node, data=True):
            rel[edge.get("relation")].append(g.nodes[target].get("label", target))
        dates = data.get("dates", [])
        rows.append({"reversal": node, "label": data.get("label", node), "from": sorted(rel["fromPolicy"]),
                     "to": sorted(rel["toPolicy"]), "by": sorted(rel["reversedBy"]),
                     "date": dates[0] if dates else None, "dates": dates,
                     "sources": data.get("sources", []), "evidence": data.get("evidence", [])})
    return sorted(rows, key=lambda r: (r["date"] is None, r["date"] or "", r["label"]))


def reversal_chains(g: nx.MultiDiGraph) -> list[list[str]]:
    """Sequences of policies where each one reversed the one before (via ``reverses`` edges).

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("b", "a", key="reverses", relation="reverses")
    >>> _ = g.add_edge("c", "b", key="reverses", relation="reverses")
    >>> reversal_chains(g)
    [['a', 'b', 'c']]
    """
    rev = nx.DiGraph()
    for new, old, data in g.edges(data=True):
        if data.get("relation") == "reverses":
            rev.add_edge(old, new)
    chains = []
    for root in sorted(n for n in rev if rev.in_degree(n) == 0):
        for leaf in sorted(n for n in rev if rev.out_degree(n) == 0):
            for path in nx.all_simple_paths(rev, root, leaf):
                chains.append(path)
    return sorted(chains)


CENTRALITY_MEANING = {
    "degree": "how many others it is directly tied to: in the pressure network, how many actors it pressed or was pressed by",
    "pagerank": "how much pressure flows to it from actors who are themselves pressed a lot: high for the ultimate targets of pressure",
    "betweenness": "how often it lies on the shortest path between two others: a broker or relay through which pressure passes",
}


def centrality(g: nx.Graph, k: int | None = None, seed: int = 0) -> dict[str, dict[str, float]]:
    """Degree, PageRank and betweenness of every node (betweenness sampled with ``k`` pivots
    when given, or automatically on graphs of more than 2,000 nodes).

    >>> g = nx.DiGraph([("us", "mx"), ("mx", "gt")])
    >>> c = centrality(g)
    >>> max(c, key=lambda n: c[n]["betweenness"])
    'mx'
    """
    if g.number_of_nodes() == 0:
        return {}
    simple = nx.DiGraph(g) if g.is_directed() else nx.Graph(g)
    weight = "weight" if any("weight" in d for _, _, d in simple.edges(data=True)) else None
    degree = nx.degree_centrality(simple)
    pagerank = nx.pagerank(simple, weight=weight) if simple.number_of_edges() else {n: 1 / len(simple) for n in simple}
    if k is None and simple.number_of_nodes() > defaults.EXACT_BETWEENNESS_MAX_NODES:
        k = 500
    between = nx.betweenness_centrality(simple, k=min(k, len(simple)) if k else None, seed=seed)
    return {n: {"degree": degree[n], "pagerank": pagerank[n], "betweenness": between[n]} for n in simple}


def timeline(rows: Iterable[dict[str, Any]], *, things: set[str] | None = None, document: str | None = None,
             cls: str | None = None, start: str | None = None, end: str | None = None) -> list[dict[str, Any]]:
    """Filter dated statements (rows with date, thing, label, class, file) and sort them by date.

    ``start``/``end`` are partial dates; an item is kept when its span overlaps the range.

    >>> rows = [{"date": "2019-06-07", "thing": "d", "label": "deal", "class": "Agreement", "file": "a"},
    ...         {"date": "2014", "thing": "p", "label": "plan", "class": "Policy", "file": "b"}]
    >>> [r["label"] for r in timeline(rows)]
    ['plan', 'deal']
    >>> [r["label"] for r in timeline(rows, start="2019-06")]
    ['deal']
    """
    lo = date_span(start)[0] if start else None
    hi = date_span(end)[1] if end else None
    out = []
    for row in rows:
        if things is not None and row["thing"] not in things:
            continue
        if document and document not in (row["file"], row["file"].rsplit(".", 1)[0]):
            continue
        if cls and row["class"] != cls:
            continue
        first, last = date_span(row["date"])
        if (lo and last < lo) or (hi and first > hi):
            continue
        out.append(dict(row))
    return sorted(out, key=lambda r: (date_span(r["date"])[0], len(str(r["date"])), r["label"], r["file"]))


def validate_date(value: str | None, name: str) -> None:
    if value is None:
        return
    try:
        date_span(value)
    except (ValueError, TypeError):
        raise AnalysisError(f"--{name} {value!r}: bad date, use YYYY, YYYY-MM or YYYY-MM-DD") from None


# --- store-level conveniences used by the CLI and the notebook ------------------------------

def who_pressured_whom(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Ranked pressurers and targets of the graph in ``store``."""
    return pressure_ranking(project(store, "pressure", evidence=False))


def chains_of(store: Store, start: str | None = None) -> list[list[dict[str, Any]]]:
    """The pressure chains of the graph in ``store`` (from the pressure named ``start``, an id,
    IRI or name, or from every pressure), each link with the quotes behind it."""
    iri = str(resolve_thing(store, start, "from")) if start else None
    policy = project(store, "policy", evidence=False)
    on_chains = {n for chain in pressure_chains(policy, iri) for link in chain for n in (link["source"], link["target"])}
    attach_evidence(store, policy, on_chains)  # quotes for just the statements on the chains
    return pressure_chains(policy, iri)


def reversals_of(store: Store) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """The policy reversals of the graph in ``store`` in time order, with their quotes, and the
    sequences of policies reversed one after another (by label)."""
    policy = project(store, "policy", evidence=False)
    attach_evidence(store, policy, [n for n, d in policy.nodes(data=True) if d.get("cls") == "PolicyReversal"])
    chains = [[policy.nodes[n].get("label", n) for n in c] for c in reversal_chains(policy)]
    return reversal_table(policy), chains


def centrality_of(store: Store, which: str = "pressure", top: int = 15) -> list[dict[str, Any]]:
    """The ``top`` actors of a projection (``pressure`` or ``full``) by PageRank, with degree and
    betweenness (every actor when ``top`` is 0)."""
    g = project(store, which, evidence=False)
    rows = [{"label": g.nodes[n].get("label", n), "class": g.nodes[n].get("cls"), "node": n, **scores}
            for n, scores in centrality(g).items()
            if which == "pressure" or g.nodes[n].get("cls") in ACTOR_CLASSES]
    rows.sort(key=lambda r: (-r["pagerank"], r["label"]))
    return rows[:top] if top > 0 else rows


def timeline_of(store: Store, actor: str | None = None, **filters: Any) -> list[dict[str, Any]]:
    """The timeline of the graph in ``store``, optionally limited to one actor's statements."""
    for key in ("start", "end"):
        validate_date(filters.get(key), key)
    result = store.query(get_query("timeline").parsed)
    rows = [{k: plain(v) for k, v in zip(result.vars, r)} for r in result.rows]
    for r in rows:
        r["date"] = str(r["date"])
    things = None
    if actor:
        iri = str(resolve_thing(store, actor, "actor"))
        full = project(store, "full", evidence=False)
        things = {iri} | set(full.predecessors(iri) if iri in full else []) | set(full.successors(iri) if iri in full else [])
    return timeline(rows, things=things, **filters)


def disagreements(store: Store) -> list[dict[str, Any]]:
    """Where documents disagree, most direct first (the build computes them: kg.summary), each
    side with its value, source and quote."""
    result = store.query(get_query("disagreements").parsed)
    return [{k: plain(v) for k, v in zip(result.vars, r)} for r in result.rows]


def single_source(store: Store) -> list[dict[str, Any]]:
    """Statements that only one document supports: label, class (its name), source, thing."""
    result = store.query(get_query("single-source").parsed)
    rows = [{k: plain(v) for k, v in zip(result.vars, r)} for r in result.rows]
    return [{"label": r["label"], "class": vocab.class_name(str(r["class"])), "source": r["source"],
             "thing": r["thing"]} for r in rows]
