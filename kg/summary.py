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
from typing import Any, Iterable, Mapping, Sequence

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

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
class Assertion:
    """One value one curated entry gives: in which document, of which thing and property, how
    the text qualifies it (None: as a plain fact), and the evidence passage."""

    document: URIRef
    thing: URIRef
    prop: URIRef
    value: Any
    qualifier: str | None
    evidence: URIRef


@dataclass(frozen=True)
class Side:
    """What one document states: the value, and the evidence passage that states it."""

    document: URIRef
    value: Any
    evidence: URIRef
    start: int


@dataclass(frozen=True)
class Disagreement:
    """Two values of one thing's property that documents give: ``a`` and ``b`` are the first
    passages of each side in document order, ``docs_a`` and ``docs_b`` every document on it."""

    thing: URIRef
    prop: URIRef
    kind: str
    a: Side
    b: Side
    docs_a: tuple[URIRef, ...]
    docs_b: tuple[URIRef, ...]

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


def _sides(g: Graph, doc: URIRef, assertions: Sequence[Assertion]) -> dict[tuple[URIRef, URIRef], list[Side]]:
    """Every compared value the document ``doc`` gives, each once, with the passage that gives it
    first (from the ``assertions`` of its curated entries: a document may give one number twice,
    in two passages)."""
    out: dict[tuple[URIRef, URIRef], list[Side]] = defaultdict(list)
    seen = set()
    given = [(int(g.value(a.evidence, MKG.start) or 0), i, a) for i, a in enumerate(assertions)
             if a.prop in COMPARED]
    for start, _, a in sorted(given):
        if (a.thing, a.prop, _key(a.value)) not in seen:
            seen.add((a.thing, a.prop, _key(a.value)))
            out[(a.thing, a.prop)].append(Side(doc, a.value, a.evidence, start))
    return out


def disagreements(graphs: Mapping[URIRef, Graph], assertions: Sequence[Assertion]) -> list[Disagreement]:
    """Where documents (``graphs``: document IRI -> its graph) give one thing different values of
    a compared property (dates that differ only in precision agree), and where claims on one
    subject take different positions: one disagreement per pair of values, not per pair of
    documents, so that it grows with the sources. A document is on a side when it gives that
    side's value (and, for a compared property, not the other's). Most direct first (numbers,
    by relative difference; dates, by days apart; conditions; positions)."""
    by_key: dict[tuple[URIRef, URIRef], dict[URIRef, list[Side]]] = defaultdict(dict)
    claims: dict[URIRef, list[tuple[URIRef, Side]]] = defaultdict(list)
    by_document: dict[URIRef, list[Assertion]] = defaultdict(list)
    for a in assertions:
        by_document[a.document].append(a)
    for doc, g in graphs.items():
        for key, sides in _sides(g, doc, by_document[doc]).items():
            by_key[key][doc] = sides
            if key[1] == MKG.position:
                for subject in g.objects(key[0], MKG.about):
                    claims[subject].extend((key[0], side) for side in sides)
    found: list[Disagreement] = []
    for (thing, prop), per_doc in by_key.items():
        holders: dict[str, dict[URIRef, Side]] = defaultdict(dict)  # value -> document -> its passage
        for doc in sorted(per_doc):
            for side in per_doc[doc]:
                holders[_key(side.value)].setdefault(doc, side)
        values = sorted(holders)
        for i, x in enumerate(values):
            for y in values[i + 1:]:
                only_x = [d for d in holders[x] if d not in holders[y]]
                only_y = [d for d in holders[y] if d not in holders[x]]
                if not only_x or not only_y:
                    continue
                a, b = holders[x][only_x[0]], holders[y][only_y[0]]
                if prop == MKG.date and dates_compatible(str(a.value), str(b.value)):
                    continue
                if only_y[0] < only_x[0]:
                    a, b, only_x, only_y = b, a, only_y, only_x
                found.append(Disagreement(thing, prop, COMPARED[prop], a, b, tuple(only_x), tuple(only_y)))
    found += _position_disagreements(claims)
    return sorted(found, key=lambda d: (RANKS[d.kind], -d.size, str(d.thing), str(d.a.document),
                                        d.a.start, str(d.b.document), d.b.start))


def _position_disagreements(claims: Mapping[URIRef, list[tuple[URIRef, Side]]]) -> list[Disagreement]:
    """Claims on one subject from different documents whose positions differ: one disagreement
    per pair of positions, its sides the first pair in document order."""
    out = []
    for subject, held in claims.items():
        pairs: dict[tuple[str, str], list[tuple[Side, Side]]] = defaultdict(list)
        for i, (claim_a, a) in enumerate(held):
            for claim_b, b in held[i + 1:]:
                if claim_a != claim_b and a.document != b.document and _key(a.value) != _key(b.value):
                    first, second = sorted([a, b], key=lambda s: (str(s.document), s.start))
                    pairs[tuple(sorted((_key(first.value), _key(second.value))))].append((first, second))
        for found in pairs.values():
            first, second = min(found, key=lambda p: (str(p[0].document), p[0].start, str(p[1].document), p[1].start))
            docs = {_key(first.value): set(), _key(second.value): set()}
            for s in (side for pair in found for side in pair):
                docs[_key(s.value)].add(s.document)
            out.append(Disagreement(subject, MKG.position, "position", first, second,
                                    tuple(sorted(docs[_key(first.value)])), tuple(sorted(docs[_key(second.value)]))))
    return out


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


SEPARATOR = " | "
#: How a value or a source that rests on unreviewed candidates (``kg build --with-candidates``) is marked.
UNREVIEWED = "unreviewed"


def citation(label: str, stem: str) -> str:
    """How a source is named: its label with the file stem as its id, or the stem alone.

    >>> citation("Foreign Affairs", "002_x"), citation("003_y", "003_y")
    ('Foreign Affairs (002_x)', '003_y')
    """
    return label if label == stem else f"{label} ({stem})"


def add_summary(ds: Dataset, documents: dict[URIRef, str], assertions: Iterable[Assertion] = (), *,
                unreviewed: frozenset[URIRef] = frozenset()) -> Graph:
    """Fill the summary graph of ``ds`` (``documents``: IRI -> file stem; ``assertions``: what
    the curated entries give, for the values tables show): document labels, each thing's own
    class, sources, dates and sort key, its values as shown (qualified ones marked), qualified
    values by document, and disagreements. The caller materialises the default graph after.
    The documents in ``unreviewed`` (candidates) are cited as unreviewed."""
    summary = ds.graph(vocab.SUMMARY_GRAPH)
    graphs = {doc: ds.graph(doc) for doc in documents}
    union = Graph()
    for g in [*graphs.values(), ds.graph(vocab.CATALOGUE_GRAPH), ds.graph(vocab.ONTOLOGY_IRI)]:
        for triple in g:
            union.add(triple)
    names = {doc: document_label(union, doc, stem) for doc, stem in documents.items()}
    citations = {doc: citation(label, documents[doc]) + (f" ({UNREVIEWED})" if doc in unreviewed else "")
                 for doc, label in names.items()}
    for doc, label in names.items():
        summary.add((doc, RDFS.label, Literal(label)))
        summary.add((doc, MKG.citation, Literal(citations[doc])))
    assertions = list(assertions)
    for a in assertions:  # which passage gives which number
        if a.prop == MKG.value:
            summary.add((a.evidence, MKG.givesValue, a.value))
    _things(graphs, union, summary, citations, assertions)
    _shown(union, summary, assertions)
    for n, d in enumerate(disagreements(graphs, assertions), 1):
        node = _node("disagreement", d.thing, d.prop, d.a.evidence, d.b.evidence)
        for p, o in ((RDF.type, MKG.Disagreement), (MKG.concerns, d.thing), (MKG.onProperty, d.prop),
                     (MKG.disagreementKind, Literal(d.kind)), (MKG.rank, Literal(RANKS[d.kind])),
                     (MKG.order, Literal(n)), (MKG.sideA, d.a.evidence), (MKG.sideB, d.b.evidence),
                     (MKG.valueA, Literal(_text(union, d.a.value))), (MKG.valueB, Literal(_text(union, d.b.value))),
                     (MKG.sourcesA, Literal(SEPARATOR.join(sorted(citations[x] for x in d.docs_a)))),
                     (MKG.sourcesB, Literal(SEPARATOR.join(sorted(citations[x] for x in d.docs_b))))):
            summary.add((node, p, o))
        for prop, side in ((MKG.qualifierA, d.a), (MKG.qualifierB, d.b)):
            qualifier = _evidence_qualifier(union, side.evidence)
            if qualifier:
                summary.add((node, prop, Literal(qualifier)))
    return summary


def _things(graphs: Mapping[URIRef, Graph], union: Graph, summary: Graph, citations: dict[URIRef, str],
            assertions: list[Assertion]) -> None:
    """Each thing's own class, sources (as people name them), dates (time order) and sort key."""
    sources: dict[URIRef, set[URIRef]] = defaultdict(set)
    for doc, g in graphs.items():  # a scan of the document's own triples: a predicate lookup in
        for thing, p, _ in g:      # one graph of a Dataset reads that predicate in every graph
            if p == MKG.evidence:
                sources[thing].add(doc)
    dated: dict[URIRef, dict[str, set[str | None]]] = defaultdict(lambda: defaultdict(set))
    for a in assertions:
        if a.prop == MKG.date:
            dated[a.thing][str(a.value)].add(a.qualifier)
    own = {"Actor", "Statement"}
    for thing, cls in union.subject_objects(RDF.type):
        name = str(cls)[len(str(MKG._NS)):] if str(cls).startswith(str(MKG._NS)) else None
        if name and name not in own and (thing, RDFS.label, None) in union:
            summary.add((thing, MKG.ownClass, cls))
    for thing, docs in sources.items():
        summary.add((thing, MKG.sourceCount, Literal(len(docs))))
        shown = sorted(citations[d] for d in docs)
        summary.add((thing, MKG.sourceList, Literal(SEPARATOR.join(shown))))
    for thing in set(sources) | set(dated):
        dates = sorted(dated.get(thing, {}), key=lambda d: (date_span(d)[0], len(d)))
        if dates:
            summary.add((thing, MKG.dateList, Literal(SEPARATOR.join(
                _qualified(d, dated[thing][d]) for d in dates))))
            summary.add((thing, MKG.sortKey, Literal("0 " + date_span(dates[0])[0].isoformat())))
        else:
            summary.add((thing, MKG.sortKey, Literal("1")))


def _qualified(text: str, qualifiers: set[str | None]) -> str:
    """A value as shown: plain if any evidence gives it plainly, else with its qualifiers."""
    if None in qualifiers or not qualifiers:
        return text
    return f"{text} ({'; '.join(sorted(q for q in qualifiers if q))})"


def shown_predicates(ontology: Graph) -> dict[URIRef, tuple[URIRef, URIRef]]:
    """property -> (its sub-property of mkg:shownText, of mkg:plainText), as the ontology declares
    them: the properties whose values tables show."""
    found: dict[URIRef, dict[URIRef, URIRef]] = defaultdict(dict)
    for parent in (MKG.shownText, MKG.plainText):
        for sub in ontology.subjects(RDFS.subPropertyOf, parent):
            prop = ontology.value(sub, MKG.shownProperty)
            if isinstance(prop, URIRef) and isinstance(sub, URIRef):
                found[prop][parent] = sub
    return {prop: (subs[MKG.shownText], subs[MKG.plainText]) for prop, subs in found.items()
            if len(subs) == 2}


def _shown(union: Graph, summary: Graph, assertions: list[Assertion]) -> None:
    """The values of each (thing, property) as tables show them, for each property the ontology
    gives a mkg:shownText sub-property (one lookup for a query, where a node per pair took
    three); each value one document gives only hedged or attributed (mkg:QualifiedValue); each
    value that rests only on such evidence in every document (mkg:HedgedValue)."""
    values: dict[tuple[URIRef, URIRef], dict[Any, set[str | None]]] = defaultdict(lambda: defaultdict(set))
    for a in assertions:
        values[(a.thing, a.prop)][a.value].add(a.qualifier)
        if a.qualifier is not None:
            node = _node("qualified", a.document, a.thing, a.prop, a.value)
            for p, o in ((RDF.type, MKG.QualifiedValue), (MKG.shownOf, a.thing), (MKG.shownProperty, a.prop),
                         (MKG.qualifiedValue, a.value), (MKG.inDocument, a.document),
                         (MKG.qualifier, Literal(a.qualifier)), (MKG.evidence, a.evidence)):
                summary.add((node, p, o))
    shown = shown_predicates(union)
    for (thing, prop), by_value in values.items():
        if prop in shown:
            texts = {_text(union, v): v for v in by_value}
            order = sorted(texts, key=str.casefold)
            summary.add((thing, shown[prop][0],
                         Literal(SEPARATOR.join(_qualified(t, by_value[texts[t]]) for t in order))))
            plain = [t for t in order if None in by_value[texts[t]]]
            if plain:
                summary.add((thing, shown[prop][1], Literal(SEPARATOR.join(plain))))
        for value, qualifiers in by_value.items():
            if None not in qualifiers:
                hedged = _node("hedged", thing, prop, value)
                for p, o in ((RDF.type, MKG.HedgedValue), (MKG.shownOf, thing), (MKG.shownProperty, prop),
                             (MKG.qualifiedValue, value), (MKG.qualifier, Literal("; ".join(sorted(qualifiers))))):
                    summary.add((hedged, p, o))


def _evidence_qualifier(g: Graph, evidence: URIRef) -> str | None:
    """How an evidence passage is qualified: its hedge, and who the document attributes it to."""
    parts = [UNREVIEWED] if (evidence, MKG.reviewStatus, Literal("candidate")) in g else []
    parts += [str(h) for h in g.objects(evidence, MKG.hedge)]
    by = sorted(str(g.value(w, RDFS.label) or vocab.local_id(str(w))) for w in g.objects(evidence, MKG.attributedTo))
    if by:
        parts.append("per " + " and ".join(by))
    return ", ".join(parts) or None


def _node(kind: str, *parts: Any) -> URIRef:
    return RES[f"{kind}/" + hashlib.sha1(" ".join(repr(p) for p in parts).encode()).hexdigest()[:16]]


def _text(g: Graph, value: Any) -> str:
    """A value as people read it: a thing by its label, a PLOVER type by its code, a status or
    orientation by its name, a literal as written."""
    if isinstance(value, URIRef):
        for prop in (RDFS.label, SKOS.notation, SKOS.prefLabel):
            name = g.value(value, prop)
            if name is not None:
                return str(name)
        return vocab.local_id(str(value))
    return str(value)
