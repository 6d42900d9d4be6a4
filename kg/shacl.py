"""SHACL validation of a build. pyshacl checks the core constraints; the SPARQL-based ones
(``sh:sparql``), which rdflib's engine evaluates slowly (two thirds of the validation at 50
documents), run on an in-memory Oxigraph copy of the same graph, once each.

A SPARQL constraint here runs with ``$this`` free, not pre-bound once per focus node: a
solution that binds ``?this`` is kept if that is a focus node of the shape, one that leaves it
unbound counts for every focus node. That equals pre-binding for a constraint that uses
``$this`` only in triple patterns and as a projected or grouping variable, which is how
``shapes.ttl`` writes them (a test plants a violation of each)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from . import vocab


@dataclass
class SparqlConstraint:
    shape: URIRef | BNode
    select: str
    message: str


def validate_graph(data: Graph, shapes: Graph) -> tuple[bool, str, list[str]]:
    """(conforms, report text, one line per violation) of ``data`` against ``shapes``."""
    import pyshacl

    shapes = _copy(shapes)
    constraints = detach_sparql(shapes)
    # the data already holds the ontology graph; pyshacl's ont_graph mixing is very slow
    conforms, report_graph, text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                                    allow_warnings=True)
    violations = _violations(report_graph)
    extra = sparql_violations(data, shapes, constraints)
    if extra:
        text += "".join(f"\nConstraint Violation in SPARQLConstraintComponent: {line}" for line in extra)
    return bool(conforms) and not extra, text, sorted(violations + extra)


def detach_sparql(shapes: Graph) -> list[SparqlConstraint]:
    """Take out of ``shapes`` the ``sh:sparql`` constraints this module can run as pyshacl would,
    with their prefixes declared: those of a node shape (no ``sh:path``) of severity Violation
    whose focus nodes are its explicit targets (no other shape refers to it, it is no class).
    The others stay for pyshacl."""
    found = []
    for shape, node in list(shapes.subject_objects(SH.sparql)):
        if not _runs_here(shapes, shape):
            continue
        shapes.remove((shape, SH.sparql, node))
        if (node, SH.deactivated, Literal(True)) in shapes:
            continue
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for holder in shapes.objects(node, SH.prefixes) for d in shapes.objects(holder, SH.declare))
        found.append(SparqlConstraint(shape, prefixes + str(shapes.value(node, SH.select)),
                                      str(shapes.value(node, SH.message) or "SPARQL constraint not met")))
    return found


def _runs_here(shapes: Graph, shape: URIRef | BNode) -> bool:
    targets = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
    return (any((shape, t, None) in shapes for t in targets)
            and (shape, SH.path, None) not in shapes
            and (shape, SH.deactivated, Literal(True)) not in shapes
            and shapes.value(shape, SH.severity, default=SH.Violation) == SH.Violation
            and (None, None, shape) not in shapes
            and not any((shape, RDF.type, c) in shapes for c in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class"))))


def sparql_violations(data: Graph, shapes: Graph, constraints: list[SparqlConstraint]) -> list[str]:
    """The violations of ``constraints`` in ``data``, one line each as :func:`_violations` writes them."""
    if not constraints:
        return []
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_extend(_quads(data))
    lines = []
    for c in constraints:
        focus = _focus_nodes(store, shapes, c.shape)
        result = store.query(c.select)
        names = {v.value for v in result.variables}
        for solution in result:
            this = solution["this"] if "this" in names else None
            for node in ([this.value] if this is not None else sorted(focus)):
                if node in focus:
                    lines.append(f"{vocab.local_id(node)}: {_message(c.message, solution, names)}")
    return lines


def _message(template: str, solution: Any, names: set[str]) -> str:
    """``template`` with each ``{?var}`` replaced by the solution's value of ``var``."""
    def value(match: re.Match) -> str:
        term = solution[match.group(1)] if match.group(1) in names else None
        return "" if term is None else term.value
    return re.sub(r"\{[?$](\w+)\}", value, template)


def _focus_nodes(store: Any, shapes: Graph, shape: URIRef | BNode) -> set[str]:
    """The IRIs of ``shape``'s focus nodes in the data (its explicit targets)."""
    nodes = {str(n) for n in shapes.objects(shape, SH.targetNode)}
    queries = [f"SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS.subClassOf}>* <{c}> }}" for c in shapes.objects(shape, SH.targetClass)]
    queries += [f"SELECT DISTINCT ?x WHERE {{ ?x <{p}> ?o }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    queries += [f"SELECT DISTINCT ?x WHERE {{ ?s <{p}> ?x }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    for query in queries:
        nodes.update(s["x"].value for s in store.query(query))
    return nodes


def _quads(data: Graph) -> list:
    import pyoxigraph as ox

    from .store.oxigraph import term_converter

    term = term_converter()
    return [ox.Quad(term(s), term(p), term(o), ox.DefaultGraph()) for s, p, o in data]


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True)
    return out


def _violations(report: Graph) -> list[str]:
    """One line per SHACL violation: the focus node, the path and the message."""
    lines = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(res, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        message = report.value(res, SH.resultMessage)
        where = vocab.local_id(str(focus)) + (f" {path.n3(report.namespace_manager)}" if path is not None else "")
        lines.append(f"{where}: {message}")
    return lines
