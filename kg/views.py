"""Views stage: draw a projection as one self-contained, offline HTML page (vis-network, inlined).

The page is generated here rather than through pyvis's template: pyvis 0.3.2 writes node ids and
headings unescaped and links bootstrap from a CDN. Only pyvis's bundled copy of vis-network is
used, inlined into the page. Every text taken from the graph travels as JSON inside a
``<script type="application/json">`` block and reaches the page through ``textContent`` (tooltips,
legend) or the canvas (labels), so document text is escaped exactly once and never parsed as HTML.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from . import defaults
from .errors import KGError
from .files import page_asset

__all__ = ["STYLE", "ViewError", "default_view_path", "ego_graph", "export_graph", "export_projection", "inline",
           "prepare", "view_html", "write_default_views", "write_store_view", "write_view"]

#: Colour and vis-network shape of each class (shapes whose size scales, label drawn below).
STYLE: dict[str, dict[str, str]] = {
    "Person": {"color": "#4E79A7", "shape": "dot"},
    "State": {"color": "#1F3A68", "shape": "hexagon"},
    "GovernmentBody": {"color": "#76B7B2", "shape": "square"},
    "Administration": {"color": "#59A14F", "shape": "triangle"},
    "InternationalOrganization": {"color": "#B07AA1", "shape": "hexagon"},
    "CivilSocietyOrganization": {"color": "#EDC948", "shape": "triangleDown"},
    "PopulationGroup": {"color": "#FF9DA7", "shape": "dot"},
    "CriminalGroup": {"color": "#3B3B3B", "shape": "triangleDown"},
    "Actor": {"color": "#A0CBE8", "shape": "dot"},
    "Policy": {"color": "#F28E2B", "shape": "square"},
    "Agreement": {"color": "#2CA02C", "shape": "diamond"},
    "Pressure": {"color": "#D62728", "shape": "star"},
    "PolicyReversal": {"color": "#9C755F", "shape": "triangle"},
    "Statistic": {"color": "#BAB0AC", "shape": "diamond"},
    "Claim": {"color": "#17BECF", "shape": "diamond"},
    "Place": {"color": "#86BCB6", "shape": "triangleDown"},
    "Instrument": {"color": "#8CD17D", "shape": "triangle"},
    "Document": {"color": "#79706E", "shape": "square"},
    "Thing": {"color": "#C7C7C7", "shape": "dot"},
}
#: Colour of edges, by relation; other relations are grey.
EDGE_STYLE: dict[str, str] = {"pressured": "#D62728", "resultedIn": "#D62728", "exertedBy": "#E8898A",
                              "targets": "#E8898A", "commitment": "#2CA02C", "party": "#2CA02C",
                              "reverses": "#9C755F", "fromPolicy": "#9C755F", "toPolicy": "#9C755F"}
EDGE_COLOR = "#8C8C8C"
SIZE_MEASURES = ("pagerank", "degree", "betweenness")
#: The views ``kg build`` writes: projection name -> page title.
DEFAULT_VIEWS = {"full": "Full graph: every actor, statement and relation",
                 "pressure": "Pressure network: who pressured whom",
                 "policy": "Policy graph: pressures, agreements, policies and reversals"}
VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"
MAX_QUOTES = 12
LABEL_CHARS = 40
MIN_SIZE, MAX_SIZE = 8.0, 40.0
MAX_NODES, SIZE_BY = defaults.VIEW_MAX_NODES, "pagerank"  # what a page shows at most, and what sizes its nodes


class ViewError(KGError):
    """A view that cannot be drawn: a focus not in the graph, an unknown size measure."""


def style_of(cls: str | None) -> dict[str, str]:
    """The colour and shape of a class (``Thing``'s for classes without a style).

    >>> style_of("Pressure")["shape"], style_of("NoSuchClass") == STYLE["Thing"]
    ('star', True)
    """
    return STYLE.get(cls or "Thing", STYLE["Thing"])


@lru_cache(maxsize=1)
def _vis_js() -> str:
    from importlib.resources import files

    try:
        js = (files("pyvis") / VIS_JS).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover - packaging problem
        raise ViewError(f"vis-network not found in pyvis ({exc}); reinstall pyvis==0.3.2") from None
    # keep the inlined script from ending its own element (vis-network has no such text today)
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


# --- selecting, ranking and sizing ------------------------------------------------------

def ego_graph(g: nx.Graph, focus_iri: str, depth: int = 1) -> nx.Graph:
    """The neighbourhood of ``focus_iri`` up to ``depth`` steps away, edges followed both ways.

    The copy keeps every attribute and remembers the focus in ``graph["focus"]``.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "a")])
    >>> sorted(ego_graph(g, "b", 1)), sorted(ego_graph(g, "b", 2))
    (['a', 'b', 'c'], ['a', 'b', 'c', 'd'])
    """
    if focus_iri not in g:
        raise ViewError(f"{focus_iri!r} is not in this graph")
    if depth < 0:
        raise ViewError(f"depth must be 0 or more, not {depth}")
    sub = nx.ego_graph(g, focus_iri, radius=depth, undirected=True).copy()
    sub.graph.update(g.graph, focus=focus_iri)
    sub.graph.pop("limited", None)  # a cut-down graph's note does not hold for a neighbourhood of it
    return sub


def _ranking(g: nx.Graph, size_by: str | None) -> dict[Any, float]:
    """A cheap importance score of every node, to choose which nodes a large page keeps."""
    if size_by == "pagerank" and g.number_of_edges():
        simple = nx.DiGraph(g) if g.is_directed() else nx.Graph(g)
        weight = "weight" if any("weight" in d for _, _, d in simple.edges(data=True)) else None
        try:
            return nx.pagerank(simple, weight=weight)
        except nx.PowerIterationFailedConvergence:  # pragma: no cover
            pass
    return {n: float(d) for n, d in g.degree()}


def limit(g: nx.Graph, max_nodes: int, size_by: str | None = SIZE_BY) -> tuple[nx.Graph, str | None]:
    """Keep at most ``max_nodes`` nodes, the most central ones (and the focus); returns the graph
    and a sentence saying what was left out, or None when nothing was.

    >>> sub, note = limit(nx.star_graph(5), 3, "degree")
    >>> 0 in sub, len(sub), note.startswith("Showing the 3 most central of 6 nodes")
    (True, 3, True)
    """
    n = g.number_of_nodes()
    if max_nodes is None or n <= max_nodes:
        return g, g.graph.get("limited", {}).get("note")  # already cut down by an earlier call
    score = _ranking(g, size_by)
    focus = g.graph.get("focus")
    order = sorted(g.nodes, key=lambda v: (v != focus, -score.get(v, 0.0), str(g.nodes[v].get("label", v)), str(v)))
    keep = order[:max(max_nodes, 1)]
    sub = g.subgraph(keep).copy()
    sub.graph.update(g.graph)
    measure = "PageRank" if size_by == "pagerank" and g.number_of_edges() else "degree"
    note = (f"Showing the {len(sub):,} most central of {n:,} nodes (by {measure}) and the "
            f"{sub.number_of_edges():,} of {g.number_of_edges():,} edges between them. "
            "Draw a neighbourhood (kg view --focus NAME --depth N) to see the rest.")
    sub.graph["limited"] = {"note": note, "nodes": n, "edges": g.number_of_edges()}
    return sub, note


def prepare(store: Any, g: nx.Graph, max_nodes: int = MAX_NODES, size_by: str | None = SIZE_BY) -> nx.Graph:
    """Cut a projection made with ``evidence=False`` down to what a page shows (:func:`limit`)
    and load the evidence quotes of just those nodes and edges from ``store``."""
    from .analysis import attach_evidence

    shown, _note = limit(g, max_nodes, size_by)
    if shown is g:
        shown = g.copy()
    return attach_evidence(store, shown)


def _sizes(g: nx.Graph, size_by: str | None) -> tuple[dict[Any, float], dict[Any, dict[str, float]]]:
    if size_by is None:
        return {n: (MIN_SIZE + MAX_SIZE) / 3 for n in g}, {}
    if size_by not in SIZE_MEASURES:
        raise ViewError(f"unknown size measure {size_by!r} (one of {', '.join(SIZE_MEASURES)})")
    from .analysis import centrality

    n = g.number_of_nodes()
    scores = centrality(g, k=min(256, n) if n > 500 else None)
    top = max((s[size_by] for s in scores.values()), default=0.0) or 1.0
    return ({v: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(scores[v][size_by], 0.0) / top) for v in g},
            scores)


# --- the page data ------------------------------------------------------------------------

def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _quotes(evidence: list[dict[str, Any]] | None) -> tuple[list[dict[str, Any]], int]:
    evidence = list(evidence or [])
    keep = [{k: (v if isinstance(v, (int, float)) else str(v)) for k, v in e.items()
             if k in ("file", "start", "end", "quote", "attributedTo", "hedge") and v is not None}
            for e in evidence[:MAX_QUOTES]]
    return keep, max(len(evidence) - MAX_QUOTES, 0)


def _strings(values: Any) -> list[str]:
    if values is None:
        return []
    if isinstance(values, (str, int, float)):
        return [str(values)]
    return [str(v) for v in values]


def _round(scores: dict[str, float]) -> dict[str, float]:
    return {k: float(f"{v:.4g}") for k, v in scores.items()}


def page_data(g: nx.Graph, *, max_nodes: int = MAX_NODES, size_by: str | None = SIZE_BY) -> dict[str, Any]:
    """The JSON-ready content of a page: nodes and edges with their style, size and details,
    the vis-network options, the legend and the truncation note."""
    shown, note = limit(g, max_nodes, size_by)
    sizes, scores = _sizes(shown, size_by)
    focus = shown.graph.get("focus")
    ids = {node: i for i, node in enumerate(shown.nodes)}
    nodes = []
    for node, data in shown.nodes(data=True):
        cls = str(data.get("cls") or "Thing")
        style = style_of(cls)
        label = str(data.get("label") or node)
        if label == str(node):  # no label: show the IRI's local name
            label = re.split(r"[/#]", label.rstrip("/#"))[-1] or label
        evidence, more = _quotes(data.get("evidence"))
        nodes.append({"id": ids[node], "iri": str(node), "label": label, "short": _short(label), "cls": cls,
                      "color": style["color"], "shape": style["shape"], "size": round(sizes[node], 2),
                      "focus": node == focus, "dates": _strings(data.get("dates")),
                      "sources": _strings(data.get("sources")), "evidence": evidence, "more": more,
                      "scores": _round(scores.get(node, {}))})
    edges = []
    if shown.is_multigraph():
        triples = ((u, v, d) for u, v, _k, d in shown.edges(keys=True, data=True))
    else:
        triples = shown.edges(data=True)
    parallel: dict[tuple[int, int], int] = {}
    for i, (u, v, data) in enumerate(triples):
        relation = str(data.get("relation") or "")
        pair = (min(ids[u], ids[v]), max(ids[u], ids[v]))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        evidence, more = _quotes(data.get("evidence"))
        weight = data.get("weight")
        label = relation if not weight or weight == 1 else f"{relation} \u00d7{weight}"
        edge = {"id": i, "from": ids[u], "to": ids[v], "relation": relation, "label": _short(label, 30),
                "color": EDGE_STYLE.get(relation, EDGE_COLOR), "curve": round(0.2 * rank, 2),
                "width": round(1 + 1.5 * math.log2(weight), 2) if isinstance(weight, (int, float)) and weight >= 1 else 1,
                "sources": _strings(data.get("sources")), "evidence": evidence, "more": more}
        pressures = []
        for p in data.get("pressures") or []:
            p_evidence, p_more = _quotes(p.get("evidence"))
            pressures.append({"label": str(p.get("label") or p.get("pressure") or ""), "iri": str(p.get("pressure") or ""),
                              **{k: _strings(p.get(k)) for k in ("instruments", "types", "demands", "dates", "sources")},
                              "evidence": p_evidence, "more": p_more})
        if pressures:
            edge["pressures"] = pressures
            edge["evidence"], edge["more"] = [], 0  # shown per pressure instead
        edges.append(edge)
    counts: dict[str, int] = {}
    for item in nodes:
        counts[item["cls"]] = counts.get(item["cls"], 0) + 1
    legend = [{"cls": cls, "count": counts[cls], **style_of(cls)}
              for cls in [c for c in STYLE if c in counts] + sorted(c for c in counts if c not in STYLE)]
    return {"nodes": nodes, "edges": edges, "legend": legend, "note": note, "directed": shown.is_directed(),
            "total": {"nodes": g.graph.get("limited", {}).get("nodes", g.number_of_nodes()),
                      "edges": g.graph.get("limited", {}).get("edges", g.number_of_edges())},
            "size_by": size_by, "options": _options(len(nodes), len(edges), shown.is_directed())}


def _options(n_nodes: int, n_edges: int, directed: bool) -> dict[str, Any]:
    iterations = max(100, min(1000, 150_000 // max(n_nodes, 1)))
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 100},
        "nodes": {"font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"arrows": {"to": {"enabled": directed, "scaleFactor": 0.6}}, "smooth": False,
                  "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3},
                  "selectionWidth": 2},
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.25, "springLength": 140,
                                  "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.1},
                    "maxVelocity": 40, "minVelocity": 0.75,
                    "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": n_edges > 1500,
                        "hideEdgesOnZoom": n_edges > 3000, "navigationButtons": False, "keyboard": False,
                        "multiselect": False},
    }


def _json_for_script(value: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open markup, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --- the page -------------------------------------------------------------------------------

_SHAPE_SVG = {
    "dot": '<circle cx="8" cy="8" r="6"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
    "triangle": '<polygon points="8,2 15,14 1,14"/>',
    "triangleDown": '<polygon points="1,2 15,2 8,14"/>',
    "hexagon": '<polygon points="4,2 12,2 15.5,8 12,14 4,14 0.5,8"/>',
    "star": '<polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6"/>',
}


def _legend_html(legend: list[dict[str, Any]]) -> str:
    rows = []
    for item in legend:
        svg = _SHAPE_SVG.get(item["shape"], _SHAPE_SVG["dot"])
        rows.append(f'<li><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" '
                    f'fill="{html.escape(item["color"])}" stroke="#555" stroke-width="0.8">{svg}</svg>'
                    f'<span class="kg-cls">{html.escape(item["cls"])}</span>'
                    f'<span class="kg-count">{item["count"]:,}</span></li>')
    return "\n".join(rows)







def view_html(g: nx.Graph, title: str, *, max_nodes: int = MAX_NODES, size_by: str | None = SIZE_BY) -> str:
    """A complete, self-contained HTML page drawing the projection ``g``.

    Nodes are coloured and shaped by class (:data:`STYLE`, with a legend) and sized by
    ``size_by`` centrality (pagerank, degree, betweenness or None); edges are arrows labelled with
    their relation. Hovering shows label, class, dates and evidence quotes with file and offsets;
    clicking pins the details. A graph larger than ``max_nodes`` keeps its most central nodes and
    the page says so. The page loads nothing from outside itself.
    """
    if max_nodes is not None and max_nodes < 1:
        raise ViewError(f"max_nodes must be at least 1, not {max_nodes}")
    data = page_data(g, max_nodes=max_nodes, size_by=size_by)
    n_nodes, n_edges = len(data["nodes"]), len(data["edges"])
    counts = f"{n_nodes:,} nodes, {n_edges:,} edges"
    if data["note"]:
        counts += f" (of {data['total']['nodes']:,} and {data['total']['edges']:,})"
    note = f'<p id="kg-note">{html.escape(data["note"])}</p>' if data["note"] else ""
    sized = {"pagerank": "PageRank", "degree": "degree", "betweenness": "betweenness"}.get(size_by or "")
    size_note = f"<p>Size: {sized} centrality. Hover for details; click to pin.</p>" if sized \
        else "<p>Hover for details; click to pin.</p>"
    t = html.escape(str(title))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<link rel="icon" href="data:,">
<title>{t}</title>
<style>{page_asset("view.css")}</style>
</head>
<body>
<header>
<h1>{t}</h1>
<span id="kg-counts">{html.escape(counts)}</span>
<span id="kg-status" data-state="loading" role="status">loading\u2026</span>
<form id="kg-find" role="search"><label>Find <input name="q" type="search" autocomplete="off"></label></form>
{note}
</header>
<main>
<div id="kg-network"></div>
<aside id="kg-legend"><h2>Classes</h2><ul>
{_legend_html(data["legend"])}
</ul>{size_note}</aside>
<div id="kg-tip" role="tooltip" hidden></div>
</main>
<script type="application/json" id="kg-data">{_json_for_script(data)}</script>
<script>{_vis_js()}</script>
<script>{page_asset("view.js")}</script>
</body>
</html>
"""


def inline(g: nx.Graph, title: str, *, height: int = 640, **kw: Any) -> str:
    """The page of :func:`view_html` inside a sandboxed ``<iframe srcdoc>``, for Jupyter's
    ``IPython.display.HTML``: the page's scripts run isolated from the notebook, offline."""
    page = view_html(g, title, **kw)
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(str(title), quote=True)}" '
            f'sandbox="allow-scripts" style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe>')


def write_view(g: nx.Graph, path: Path, title: str, **kw: Any) -> Path:
    """Write the page of :func:`view_html` to ``path`` atomically; returns the path."""
    from .files import write_atomic

    path = Path(path)
    return write_atomic({path.name: view_html(g, title, **kw).encode("utf-8")}, path.parent)[0]


def _as_store(dataset_or_store: Any):
    from .store import Store
    from .store.memory import MemoryStore

    if isinstance(dataset_or_store, Store):
        return dataset_or_store
    return MemoryStore(dataset_or_store)


def write_default_views(dataset_or_store: Any, out_dir: Path, **kw: Any) -> list[Path]:
    """Write full.html, pressure.html and policy.html of a dataset (or store) into ``out_dir``."""
    from .analysis import GraphContext, project
    from .files import write_atomic

    store = _as_store(dataset_or_store)
    context = GraphContext.load(store, evidence=False)

    def shown(name: str) -> nx.Graph:
        g = project(store, name, context, evidence=False)
        return prepare(store, g, kw.get("max_nodes", MAX_NODES), kw.get("size_by", SIZE_BY))
    pages = {f"{name}.html": view_html(shown(name), title, **kw).encode("utf-8")
             for name, title in DEFAULT_VIEWS.items()}
    return write_atomic(pages, Path(out_dir))


def write_store_view(store: Any, out: Path, kind: str = "full", focus: str | None = None, depth: int = 1,
                     **kw: Any) -> Path:
    """Project the graph in ``store`` (``kind``), optionally around the entity named ``focus``
    (an id, IRI or name) up to ``depth`` steps, and write its page to ``out``."""
    from .analysis import project
    from .query import resolve_thing

    store = _as_store(store)
    if kind not in defaults.PROJECTIONS:
        raise ViewError(f"unknown kind {kind!r} (one of {', '.join(defaults.PROJECTIONS)})")
    g = project(store, kind, evidence=False)
    title = DEFAULT_VIEWS.get(kind, "Actor\u2013agreement graph: who is party to what")
    if focus:
        try:
            iri = str(resolve_thing(store, focus, "focus"))
        except KGError as exc:
            raise ViewError(str(exc).replace("--param focus=", "--focus ", 1)) from None
        if iri not in g:
            raise ViewError(f"--focus {focus!r} is not in the {kind} view; try --kind full")
        g = ego_graph(g, iri, depth)
        label = g.nodes[iri].get("label", iri)
        title = f"{title.split(':')[0]} around {label} (depth {depth})"
    g = prepare(store, g, kw.get("max_nodes", MAX_NODES), kw.get("size_by", SIZE_BY))
    return write_view(g, out, title, **kw)


# --- files for other tools ---------------------------------------------------------------------

def _flat(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def export_graph(g: nx.Graph, path: Path, fmt: str | None = None) -> Path:
    """Write a projection as GraphML or GEXF (list and dict attributes become JSON text)."""
    from .files import write_atomic

    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    flat = g.__class__()
    flat.graph.update({k: _flat(v) for k, v in g.graph.items()})
    for n, data in g.nodes(data=True):
        flat.add_node(n, **{k: _flat(v) for k, v in data.items()})
    if g.is_multigraph():
        for u, v, key, data in g.edges(keys=True, data=True):
            flat.add_edge(u, v, key=key, **{k: _flat(x) for k, x in data.items()})
    else:
        for u, v, data in g.edges(data=True):
            flat.add_edge(u, v, **{k: _flat(x) for k, x in data.items()})

    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buf)
    elif fmt == "gexf":
        nx.write_gexf(flat, buf)
    else:
        raise ViewError(f"unknown export format {fmt!r} (graphml or gexf)")
    write_atomic({path.name: buf.getvalue()}, path.parent)
    return path


def export_projection(store: Any, projection: str, path: Path) -> nx.Graph:
    """Write the projection ``projection`` of the graph in ``store``, every quote included, as
    GraphML or GEXF (by ``path``'s suffix); returns the graph written."""
    from .analysis import project

    g = project(_as_store(store), projection)
    export_graph(g, path)
    return g


def default_view_path(data_dir: Path, kind: str, focus: str | None = None) -> Path:
    """Where ``kg view`` writes a view by default: ``DATA/views/KIND[-FOCUS].html``, the focus
    name as a readable slug (accents folded: ``full-lopez-obrador.html``).

    >>> default_view_path(Path("build"), "full", "López Obrador").name
    'full-lopez-obrador.html'
    """
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", focus or "") if not unicodedata.combining(c))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60]
    return Path(data_dir) / "views" / (f"{kind}-{slug}.html" if slug else f"{kind}.html")
