"""Summary stage: what the build computes from the document graphs into the summary graph
(``res:graph/summary``), so that reading it is one pattern on every store: how people name each
document, and the disagreements between documents. Nothing here is curated; it is rebuilt with
the dataset."""

from __future__ import annotations

import calendar
import datetime as _dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from . import vocab
from .vocab import MKG, RES

#: The properties whose values two documents may disagree on, by kind, most direct first.
COMPARED: dict[URIRef, str] = {MKG.value: "number", MKG.valueMax: "number", MKG.date: "date",
                               MKG.condition: "condition", MKG.unit: "condition", MKG.position: "position"}
RANKS = {"number": 1, "date": 2, "condition": 3, "position": 4}


def date_span(value: str) -> tuple[_dt.date, _dt.date]:
    """The first and last day a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD) can mean.

    >>> date_span("2019-02")
    (datetime.date(2019, 2, 1), datetime.date(2019, 2, 28))
    """
    parts = [int(p) for p in str(value).split("-")[:3]]
    if len(parts) == 1:
        return _dt.date(parts[0], 1, 1), _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return _dt.date(parts[0], parts[1], 1), _dt.date(parts[0], parts[1], last)
    day = _dt.date(*parts)
    return day, day


def dates_compatible(a: str, b: str) -> bool:
    """True when one partial date contains the other (they differ only in precision).

    >>> dates_compatible("2019", "2019-05"), dates_compatible("2019-05", "2019-06-07")
    (True, False)
    """
    (a0, a1), (b0, b1) = date_span(a), date_span(b)
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


@dataclass(frozen=True)
class Side:
    """What one document states: the value, and the evidence passage that states it."""

    document: URIRef
    value: Any
    evidence: URIRef
    start: int


@dataclass(frozen=True)
class Disagreement:
    thing: URIRef
    prop: URIRef
    kind: str
    a: Side
    b: Side

    @property
    def size(self) -> float:
        """How far apart the two sides are: a relative difference for numbers, days for dates."""
        if self.kind == "number":
            try:
                x, y = Decimal(str(self.a.value)), Decimal(str(self.b.value))
            except InvalidOperation:
                return 0.0
            top = max(abs(x), abs(y))
            return float(abs(x - y) / top) if top else 0.0
        if self.kind == "date":
            (a0, a1), (b0, b1) = date_span(str(self.a.value)), date_span(str(self.b.value))
            return float(abs(((a0 - b0) + (a1 - b1)).days) / 2)
        return 0.0


def _sides(g: Graph, doc: URIRef) -> dict[tuple[URIRef, URIRef], list[Side]]:
    """Every compared value a document graph states, each with the passage that asserts it."""
    out: dict[tuple[URIRef, URIRef], list[Side]] = defaultdict(list)
    for prop in COMPARED:
        for thing, value in g.subject_objects(prop):
            passages = sorted((int(g.value(ev, MKG.start) or 0), ev) for ev in g.objects(thing, MKG.evidence)
                              if (ev, MKG.assertsProperty, prop) in g)
            if passages:
                out[(thing, prop)].append(Side(doc, value, passages[0][1], passages[0][0]))
    return out


def disagreements(ds: Dataset, documents: Iterable[URIRef]) -> list[Disagreement]:
    """Pairs of documents that give one thing different values of a compared property (dates
    that differ only in precision agree), and claims on one subject whose positions differ; most
    direct first (numbers, by relative difference; dates, by days apart; conditions; positions)."""
    by_key: dict[tuple[URIRef, URIRef], dict[URIRef, list[Side]]] = defaultdict(dict)
    claims: dict[URIRef, list[tuple[URIRef, Side]]] = defaultdict(list)
    for doc in documents:
        g = ds.graph(doc)
        for key, sides in _sides(g, doc).items():
            by_key[key][doc] = sides
            if key[1] == MKG.position:
                for subject in g.objects(key[0], MKG.about):
                    claims[subject].extend((key[0], side) for side in sides)
    found: list[Disagreement] = []
    for (thing, prop), per_doc in by_key.items():
        docs = sorted(per_doc)
        for i, doc_a in enumerate(docs):
            for doc_b in docs[i + 1:]:
                values_a = {_key(s.value) for s in per_doc[doc_a]}
                values_b = {_key(s.value) for s in per_doc[doc_b]}
                for a in per_doc[doc_a]:
                    for b in per_doc[doc_b]:
                        if _key(a.value) in values_b or _key(b.value) in values_a:
                            continue
                        if prop == MKG.date and dates_compatible(str(a.value), str(b.value)):
                            continue
                        found.append(Disagreement(thing, prop, COMPARED[prop], a, b))
    for subject, held in claims.items():
        for i, (claim_a, a) in enumerate(held):
            for claim_b, b in held[i + 1:]:
                if claim_a != claim_b and a.document != b.document and _key(a.value) != _key(b.value):
                    first, second = sorted([a, b], key=lambda s: (str(s.document), s.start))
                    found.append(Disagreement(subject, MKG.position, "position", first, second))
    unique = {(d.thing, d.prop, d.a.evidence, d.b.evidence): d for d in found}
    return sorted(unique.values(), key=lambda d: (RANKS[d.kind], -d.size, str(d.thing), str(d.a.document),
                                                  d.a.start, str(d.b.document), d.b.start))


def _key(value: Any) -> str:
    """Values compared as people read them: numbers by value, text without case."""
    if isinstance(value, Literal) and value.datatype == XSD.decimal:
        return str(Decimal(str(value)).normalize())
    return " ".join(str(value).split()).casefold()


def document_label(g: Graph, doc: URIRef, stem: str) -> str:
    """How people name a document: its title, else its publisher and date, else its file stem;
    only what the text states (the catalogue gives the publisher's name)."""
    title = g.value(doc, DCTERMS.title)
    if title is not None:
        return str(title)
    parts = [str(g.value(p, RDFS.label) or "") for p in g.objects(doc, DCTERMS.publisher)]
    parts += [str(d) for d in g.objects(doc, DCTERMS.date)]
    parts = [p for p in parts if p]
    return ", ".join(parts) if parts else stem


def add_summary(ds: Dataset, documents: dict[URIRef, str]) -> Graph:
    """Fill the summary graph of ``ds``: document labels and disagreements (``documents``: IRI
    -> file stem). The caller materialises the default graph after this."""
    summary = ds.graph(vocab.SUMMARY_GRAPH)
    union = Graph()
    for name in list(documents) + [vocab.CATALOGUE_GRAPH]:
        for triple in ds.graph(name):
            union.add(triple)
    for doc, stem in documents.items():
        summary.add((doc, RDFS.label, Literal(document_label(union, doc, stem))))
    for n, d in enumerate(disagreements(ds, documents), 1):
        digest = hashlib.sha1(f"{d.thing} {d.prop} {d.a.evidence} {d.b.evidence}".encode()).hexdigest()[:16]
        node = RES[f"disagreement/{digest}"]
        for p, o in ((RDF.type, MKG.Disagreement), (MKG.concerns, d.thing), (MKG.onProperty, d.prop),
                     (MKG.disagreementKind, Literal(d.kind)), (MKG.rank, Literal(RANKS[d.kind])),
                     (MKG.order, Literal(n)), (MKG.sideA, d.a.evidence), (MKG.sideB, d.b.evidence),
                     (MKG.valueA, Literal(_text(union, d.a.value))), (MKG.valueB, Literal(_text(union, d.b.value)))):
            summary.add((node, p, o))
    return summary


def _text(g: Graph, value: Any) -> str:
    if isinstance(value, URIRef):
        return str(g.value(value, RDFS.label) or vocab.local_id(str(value)))
    return str(value)
