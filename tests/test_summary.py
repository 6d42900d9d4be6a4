"""kg.summary.disagreements on hand-made documents: one disagreement per pair of values, every
document on its side, none for a document that gives both values."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg.summary import Assertion, disagreements
from kg.vocab import MKG

THING = URIRef("urn:t:troops")


def corpus(values: dict[str, list[int]]) -> tuple[dict[URIRef, Graph], list[Assertion]]:
    """Documents ``urn:d:NAME`` that each give the troop count ``values[NAME]`` (in this order)."""
    graphs, assertions = {}, []
    for name, given in values.items():
        doc, g = URIRef(f"urn:d:{name}"), Graph()
        for i, v in enumerate(given):
            ev = URIRef(f"urn:e:{name}-{i}")
            g.add((ev, MKG.start, Literal(10 * i)))
            assertions.append(Assertion(doc, THING, MKG.value, Literal(v), None, ev))
        graphs[doc] = g
    return graphs, assertions


def test_one_disagreement_per_pair_of_values_with_every_document_on_its_side():
    # a and c: 6000; b: 7000; d gives both, so it takes neither side
    found = disagreements(*corpus({"a": [6000], "b": [7000], "c": [6000], "d": [6000, 7000]}))
    assert [(str(x.a.value), str(x.b.value)) for x in found] == [("6000", "7000")]
    (one,) = found
    assert one.docs_a == (URIRef("urn:d:a"), URIRef("urn:d:c")) and one.docs_b == (URIRef("urn:d:b"),)
    assert one.a.evidence == URIRef("urn:e:a-0") and one.b.evidence == URIRef("urn:e:b-0")


def test_three_values_are_three_pairs_and_one_document_is_no_disagreement():
    found = disagreements(*corpus({"a": [1], "b": [2], "c": [3]}))
    assert sorted((str(x.a.value), str(x.b.value)) for x in found) == [("1", "2"), ("1", "3"), ("2", "3")]
    assert disagreements(*corpus({"a": [1, 2]})) == []


def test_the_pair_count_grows_with_values_not_documents():
    many = {f"x{i:03d}": [6000] for i in range(60)} | {f"y{i:03d}": [7000] for i in range(40)}
    (one,) = disagreements(*corpus(many))
    assert len(one.docs_a) == 60 and len(one.docs_b) == 40
