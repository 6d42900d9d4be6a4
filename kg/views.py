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

#: Colour and shape of each class: every class has its own colour AND its own shape, so a class
#: never depends on colour alone. Colours come from colour-blind-safe schemes (Okabe & Ito's eight,
#: then Paul Tol's "muted" ones); shapes are drawn as SVG (:data:`SHAPE_SVG`), the same picture on
#: the canvas and in the legend.
STYLE: dict[str, dict[str, str]] = {
    "Person": {"color": "#0072B2", "shape": "dot"},
    "State": {"color": "#E69F00", "shape": "hexagon"},
    "GovernmentBody": {"color": "#56B4E9", "shape": "trapezoid"},
    "Administration": {"color": "#332288", "shape": "pentagon"},
    "InternationalOrganization": {"color": "#AA4499", "shape": "octagon"},
    "CivilSocietyOrganization": {"color": "#44AA99", "shape": "plus"},
    "PopulationGroup": {"color": "#CC79A7", "shape": "triangle"},
    "CriminalGroup": {"color": "#000000", "shape": "cross"},
    "Actor": {"color": "#6699CC", "shape": "ring"},
    "Policy": {"color": "#009E73", "shape": "square"},
    "Agreement": {"color": "#F0E442", "shape": "diamond"},
    "Pressure": {"color": "#D55E00", "shape": "star"},
    "PolicyReversal": {"color": "#882255", "shape": "triangleDown"},
    "Statistic": {"color": "#DDCC77", "shape": "pill"},
    "Claim": {"color": "#CC6677", "shape": "parallelogram"},
    "Place": {"color": "#999933", "shape": "pin"},
    "Instrument": {"color": "#88CCEE", "shape": "chevron"},
    "Document": {"color": "#999999", "shape": "page"},
    "Thing": {"color": "#DDDDDD", "shape": "semicircle"},
}
#: SVG of each shape in a 16×16 box (filled with the class colour, outlined in grey).
SHAPE_SVG: dict[str, str] = {
    "dot": '<circle cx="8" cy="8" r="6.5"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "diamond": '<polygon points="8,0.8 15.2,8 8,15.2 0.8,8"/>',
    "triangle": '<polygon points="8,1.5 15,14.5 1,14.5"/>',
    "triangleDown": '<polygon points="1,1.5 15,1.5 8,14.5"/>',
    "hexagon": '<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"/>',
    "star": '<polygon points="8,0.5 10.2,5.6 15.5,5.9 11.4,9.4 12.7,14.8 8,11.8 3.3,14.8 4.6,9.4 0.5,5.9 5.8,5.6"/>',
    "pentagon": '<polygon points="8,1 15,6.2 12.3,14.5 3.7,14.5 1,6.2"/>',
    "octagon": '<polygon points="5.1,1 10.9,1 15,5.1 15,10.9 10.9,15 5.1,15 1,10.9 1,5.1"/>',
    "plus": '<polygon points="5.5,1 10.5,1 10.5,5.5 15,5.5 15,10.5 10.5,10.5 10.5,15 5.5,15 5.5,10.5 1,10.5 1,5.5 5.5,5.5"/>',
    "cross": '<polygon points="3.5,1 8,5.5 12.5,1 15,3.5 10.5,8 15,12.5 12.5,15 8,10.5 3.5,15 1,12.5 5.5,8 1,3.5"/>',
    "ring": '<path fill-rule="evenodd" d="M8 1.2a6.8 6.8 0 1 0 0.01 0zM8 4.6a3.4 3.4 0 1 1 -0.01 0z"/>',
    "pill": '<rect x="0.8" y="4" width="14.4" height="8" rx="4"/>',
    "parallelogram": '<polygon points="4.5,3 15.5,3 11.5,13 0.5,13"/>',
    "pin": '<path d="M8 15.5C4 10.5 2.2 8.4 2.2 6.1a5.8 5.8 0 0 1 11.6 0C13.8 8.4 12 10.5 8 15.5z"/>',
    "chevron": '<polygon points="1,1.5 9,1.5 15,8 9,14.5 1,14.5 7,8"/>',
    "page": '<polygon points="2.5,0.8 10,0.8 13.5,4.3 13.5,15.2 2.5,15.2"/>',
    "semicircle": '<path d="M1 11.5a7 7 0 0 1 14 0z"/>',
    "trapezoid": '<polygon points="4,2.5 12,2.5 15.5,13.5 0.5,13.5"/>',
}
#: Classes whose nodes a page collapses by default into one "N statistics" node per neighbour:
#: numbers and documents are evidence, not actors; the page has a control to expand them.
COLLAPSED = ("Statistic", "Document")
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
LINE_CHARS, LABEL_LINES = 22, 2  # node labels: two lines of about 22 characters
FONT_SIZE, MIN_FONT_PX = 14, 12  # label font (canvas units), and the least a page opens at (screen px)
EDGE_LABELS_UP_TO = 40  # pages with more edges open with relation labels off (a control turns them on)
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


def _wrap(text: str, width: int = LINE_CHARS, lines: int = LABEL_LINES) -> str:
    r"""A node label folded at word breaks into at most ``lines`` lines of about ``width``
    characters, the last one cut with an ellipsis: compact boxes pack without overlap.

    >>> _wrap("López Obrador’s 2019 containment strategy in southern Mexico")
    'López Obrador’s 2019\ncontainment strategy…'
    >>> _wrap("Mexico"), _wrap("Supercalifragilisticexpialidocious")
    ('Mexico', 'Supercalifragilistice…')
    """
    out, line = [], ""
    for word in " ".join(str(text).split()).split(" "):
        if len(word) > width:
            word = word[:width - 1] + "\u2026"
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    if len(out) > lines:
        last = out[lines - 1]
        out = out[:lines - 1] + [(last if len(last) < width else last[:width - 1]).rstrip() + "\u2026"]
    return "\n".join(out)


def _image(color: str, shape: str, stroke: str = "#4d4d4d", width: float = 0.9) -> str:
    """An SVG data URI of a class's shape, for the canvas (vis-network image nodes)."""
    from urllib.parse import quote

    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="-1.2 -1.2 18.4 18.4">'
           f'<g fill="{color}" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round">'
           f'{SHAPE_SVG.get(shape, SHAPE_SVG["dot"])}</g></svg>')
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")


def _class_images(classes: set[str]) -> dict[str, dict[str, str]]:
    out = {}
    for cls in sorted(classes):
        st = style_of(cls)
        out[cls] = {"color": st["color"], "shape": st["shape"], "image": _image(st["color"], st["shape"]),
                    "selected": _image(st["color"], st["shape"], "#000000", 2.0),
                    "focus": _image(st["color"], st["shape"], "#000000", 2.6)}
    return out


def _groups(g: nx.Graph, ids: dict[Any, int], focus: Any) -> list[dict[str, Any]]:
    """Collapse the nodes of :data:`COLLAPSED` classes: each goes to its best-connected neighbour
    of another class (its anchor); two or more of one class at one anchor make a group."""
    und = g.to_undirected(as_view=True) if g.is_directed() else g
    degree = dict(und.degree())

    def collapsible(v: Any) -> bool:
        return g.nodes[v].get("cls") in COLLAPSED and v != focus
    members: dict[tuple[str, Any], list[Any]] = {}
    for v in g:
        if not collapsible(v):
            continue
        anchors = [u for u in und.neighbors(v) if not collapsible(u)]
        if not anchors:
            continue
        anchor = max(anchors, key=lambda u: (degree[u], -ids[u]))
        members.setdefault((str(g.nodes[v]["cls"]), anchor), []).append(v)
    groups = []
    for (cls, anchor), vs in sorted(members.items(), key=lambda kv: (ids[kv[0][1]], kv[0][0])):
        if len(vs) < 2:
            continue
        around = sorted({ids[u] for v in vs for u in und.neighbors(v) if not collapsible(u)})
        noun = {"Statistic": "statistics", "Document": "documents"}.get(cls, cls)
        anchor_label = _short(str(g.nodes[anchor].get("label") or anchor), 28)
        groups.append({"id": f"group-{len(groups)}", "cls": cls, "anchor": ids[anchor],
                       "members": sorted(ids[v] for v in vs), "neighbours": around,
                       "label": f"{len(vs)} {noun}", "about": anchor_label})
    return groups


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
        nodes.append({"id": ids[node], "iri": str(node), "label": label, "short": _wrap(label), "cls": cls,
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
    titles = shown.graph.get("documents") or {}
    files = sorted({f for item in nodes + edges for f in item["sources"]})
    dates = sorted({d for item in nodes for d in item["dates"]})
    return {"nodes": nodes, "edges": edges, "legend": legend, "note": note, "directed": shown.is_directed(),
            "classes": _class_images({n["cls"] for n in nodes}), "groups": _groups(shown, ids, focus),
            "documents": [{"file": f, "title": str(titles.get(f) or f)} for f in files],
            "dates": [dates[0], dates[-1]] if dates else [],
            "layout": {"fontSize": FONT_SIZE, "minFontPx": MIN_FONT_PX,
                       "edgeLabels": len(edges) <= EDGE_LABELS_UP_TO},
            "total": {"nodes": g.graph.get("limited", {}).get("nodes", g.number_of_nodes()),
                      "edges": g.graph.get("limited", {}).get("edges", g.number_of_edges())},
            "size_by": size_by, "options": _options(len(nodes), len(edges), shown.is_directed())}


def _options(n_nodes: int, n_edges: int, directed: bool) -> dict[str, Any]:
    iterations = max(100, min(600, 60_000 // max(n_nodes, 1)))  # the spread after it removes overlaps
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 100},
        "nodes": {"font": {"size": FONT_SIZE, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "multi": False},
                  "shape": "image", "shapeProperties": {"useImageSize": False, "interpolation": True},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"arrows": {"to": {"enabled": directed, "scaleFactor": 0.6}}, "smooth": False,
                  "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3},
                  "selectionWidth": 2},
        "physics": {"enabled": True, "solver": "barnesHut",
                    # compact first: the page then spreads the nodes until no two labels overlap
                    "barnesHut": {"gravitationalConstant": -4000, "centralGravity": 0.3, "springLength": 110,
                                  "springConstant": 0.04, "damping": 0.4, "avoidOverlap": 0.2},
                    "maxVelocity": 40, "minVelocity": 0.75,
                    "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25,
                                      "fit": False}},
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



def _legend_html(legend: list[dict[str, Any]]) -> str:
    """The legend, one row per class: its shape, name and count, and a box that hides or shows it."""
    rows = []
    for item in legend:
        svg = SHAPE_SVG.get(item["shape"], SHAPE_SVG["dot"])
        rows.append(f'<li><label><input type="checkbox" class="kg-cls-filter" '
                    f'data-cls="{html.escape(item["cls"], quote=True)}" checked>'
                    f'<svg width="16" height="16" viewBox="-1 -1 18 18" aria-hidden="true" '
                    f'fill="{html.escape(item["color"])}" stroke="#4d4d4d" stroke-width="0.9">{svg}</svg>'
                    f'<span class="kg-cls">{html.escape(item["cls"])}</span>'
                    f'<span class="kg-count">{item["count"]:,}</span></label></li>')
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
    size_note = f"<p>Size: {sized} centrality. Hover for a summary; click for details.</p>" if sized \
        else "<p>Hover for a summary; click for details.</p>"
    grouped = sum(len(gr["members"]) for gr in data["groups"])
    expand = (f'<label><input type="checkbox" id="kg-expand"> Expand the {grouped:,} statistics and '
              f'documents folded into {len(data["groups"]):,} groups</label>') if data["groups"] else ""
    edge_labels = " checked" if data["layout"]["edgeLabels"] else ""
    span = " to ".join(data["dates"]) if data["dates"] else "no dates"
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
<aside id="kg-side">
<section id="kg-legend"><h2>Classes</h2><ul>
{_legend_html(data["legend"])}
</ul>{size_note}</section>
<section id="kg-controls"><h2>Show</h2>
{expand}
<label><input type="checkbox" id="kg-edge-labels"{edge_labels}> Relation labels on edges</label>
<div class="kg-buttons"><button type="button" id="kg-legible">Legible zoom</button> <button type="button" id="kg-fit">Fit all</button></div>
<h2>Dates <span class="kg-hint">({html.escape(span)})</span></h2>
<div class="kg-dates"><label>from <input id="kg-date-from" type="text" inputmode="numeric" placeholder="YYYY[-MM[-DD]]" size="10"></label>
<label>to <input id="kg-date-to" type="text" inputmode="numeric" placeholder="YYYY[-MM[-DD]]" size="10"></label></div>
<label><input type="checkbox" id="kg-undated" checked> and things without a date</label>
<h2>Documents</h2><ul id="kg-docs"></ul>
</section>
</aside>
<div id="kg-stage">
<div id="kg-network"></div>
<div id="kg-tip" role="tooltip" hidden></div>
<aside id="kg-panel" aria-live="polite" hidden><button type="button" id="kg-panel-close" aria-label="Close">\u00d7</button><div id="kg-panel-body"></div></aside>
</div>
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


_TITLES_QUERY = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?file ?title WHERE { ?doc a mkg:Document ; mkg:fileName ?file ; rdfs:label ?title }
"""


def document_titles(store: Any) -> dict[str, str]:
    """Every document's file name -> its title (the page's document filter shows titles)."""
    titles: dict[str, str] = {}
    for file, title in _as_store(store).query(_TITLES_QUERY).rows:
        titles.setdefault(str(file), str(title))
    return titles


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

    titles = document_titles(store)

    def shown(name: str) -> nx.Graph:
        g = project(store, name, context, evidence=False)
        g = prepare(store, g, kw.get("max_nodes", MAX_NODES), kw.get("size_by", SIZE_BY))
        g.graph["documents"] = titles
        return g
    pages = {f"{name}.html": view_html(shown(name), title, **kw).encode("utf-8")
             for name, title in DEFAULT_VIEWS.items()}
    return write_atomic(pages, Path(out_dir))


def write_store_view(store: Any, out: Path | None, kind: str = "full", focus: str | None = None, depth: int = 1,
                     data_dir: Path | None = None, **kw: Any) -> Path:
    """Project the graph in ``store`` (``kind``), optionally around the entity named ``focus``
    (an id, IRI or name) up to ``depth`` steps, and write its page to ``out`` (by default
    :func:`default_view_path` in ``data_dir``, named after the entity the focus resolves to)."""
    from .analysis import project
    from .query import resolve_thing

    store = _as_store(store)
    if kind not in defaults.PROJECTIONS:
        raise ViewError(f"unknown kind {kind!r} (one of {', '.join(defaults.PROJECTIONS)})")
    g = project(store, kind, evidence=False)
    iri = None
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
    g.graph["documents"] = document_titles(store)
    if out is None:
        if data_dir is None:
            raise ViewError("write_store_view needs out= or data_dir=")
        out = default_view_path(data_dir, kind, iri, g.nodes[iri].get("label") if iri else None)
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


def _slug(text: str) -> str:
    """A readable file-name part: accents folded (López -> lopez), other letters kept (any script).

    >>> _slug("López Obrador"), _slug("Андрей Мануэль"), _slug("  U.S. / México  ")
    ('lopez-obrador', 'андрей-мануэль', 'u-s-mexico')
    """
    import unicodedata

    def fold(c: str) -> str:  # Latin letters lose their accents; other scripts stay as written
        parts = unicodedata.normalize("NFKD", c)
        return "".join(x for x in parts if not unicodedata.combining(x)) if parts[:1].isascii() else c
    plain = "".join(fold(c) for c in unicodedata.normalize("NFC", text))
    return re.sub(r"[\W_]+", "-", plain).strip("-").lower()[:60].strip("-")


def default_view_path(data_dir: Path, kind: str, focus: str | None = None, label: str | None = None) -> Path:
    """Where ``kg view`` writes a view by default: ``DATA/views/KIND[-FOCUS].html``.

    ``focus`` is the IRI of the entity in the middle. A thing of the graph (``…/id/SLUG``) is
    named by its id, which is unique and readable (``full-andres-manuel-lopez-obrador.html``);
    any other IRI by a slug of ``label`` (or of the IRI) and a hash of the IRI after ``_``, a
    character ids never hold, so two foci never share a file.

    >>> default_view_path(Path("build"), "full", "https://w3id.org/migration-kg/id/andres-manuel-lopez-obrador").name
    'full-andres-manuel-lopez-obrador.html'
    >>> default_view_path(Path("build"), "full", "https://example.org/x/Lo%CC%81pez", "López").name
    'full-lopez_6db42284f1.html'
    """
    import hashlib
    from urllib.parse import unquote

    from . import vocab

    views = Path(data_dir) / "views"
    if not focus:
        return views / f"{kind}.html"
    base = str(vocab.RES)
    local = focus[len(base):] if focus.startswith(base) else ""
    if local and vocab.is_slug(local):
        return views / f"{kind}-{local}.html"
    readable = _slug(label or unquote(re.split(r"[/#]", focus.rstrip("/#"))[-1])) or "focus"
    digest = hashlib.sha1(focus.encode("utf-8")).hexdigest()[:10]
    return views / f"{kind}-{readable}_{digest}.html"
