"""Build stage: compiling curation files, evidence, SHACL, atomic outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Literal
from rdflib.namespace import SKOS

from kg import vocab
from kg.build import build, compile_corpus, validate
from kg.files import OUTPUT_FILES
from kg.corpus import read_document
from kg.errors import CorpusError, QuoteError, ValidationError
from kg.vocab import MKG, RES

from helpers import SEEDS


# --- the seed graph ------------------------------------------------------------------

def test_every_evidence_quote_is_in_its_document_at_its_offsets(seed_result):
    ds = seed_result.dataset
    texts = {vocab.document_iri(d.stem): d.text for d in seed_result.documents}
    evidence = list(ds.subjects(RDF.type, MKG.Evidence))
    assert len(evidence) > 300
    for ev in set(evidence):
        quote = ds.value(ev, MKG.quote)
        start, end = int(ds.value(ev, MKG.start)), int(ds.value(ev, MKG.end))
        source = ds.value(ev, MKG.source)
        assert texts[source][start:end] == str(quote), ev
        # the stored text is the file on disk, byte for byte
    for doc in seed_result.documents:
        assert read_document(SEEDS / doc.name).text == doc.text


def test_seed_graph_conforms_to_shacl(seed_result):
    assert seed_result.conforms, seed_result.report


def test_seed_graph_has_the_scale_of_the_documents(seed_result):
    counts = seed_result.counts_by_class
    assert counts["Actor"] >= 60
    assert counts["Pressure"] >= 20
    assert counts["Policy"] >= 40
    assert counts["PolicyReversal"] >= 8
    assert counts["Agreement"] >= 7
    assert counts["Statistic"] >= 50


def test_every_statement_node_has_one_label_and_evidence(seed_result):
    ds = seed_result.dataset
    for cls in ("Policy", "Agreement", "Pressure", "PolicyReversal", "Statistic", "Person", "State"):
        for node in set(ds.subjects(RDF.type, MKG[cls])):
            assert len(set(ds.objects(node, RDFS.label))) == 1, node
            assert list(ds.objects(node, MKG.evidence)), node


def test_named_graphs_follow_the_contract(seed_result):
    ds = seed_result.dataset
    names = {g.identifier for g in ds.graphs()}
    assert vocab.ONTOLOGY_IRI in names and vocab.CATALOGUE_GRAPH in names
    for doc in seed_result.documents:
        iri = vocab.document_iri(doc.stem)
        assert iri in names
        assert (iri, MKG.fileName, Literal(doc.name)) in ds.graph(vocab.CATALOGUE_GRAPH)
        # evidence in a document's graph is from that document only
        g = ds.graph(iri)
        assert set(g.objects(None, MKG.source)) == {iri}
    cat = ds.graph(vocab.CATALOGUE_GRAPH)
    trump = RES["donald-trump"]
    assert (trump, RDF.type, MKG.Person) in cat
    assert (trump, SKOS.altLabel, Literal("Trump")) in cat


def test_one_iri_for_trump_across_documents(seed_result):
    ds = seed_result.dataset
    sources = {ds.value(ev, MKG.source) for ev in ds.objects(RES["donald-trump"], MKG.evidence)}
    assert len(sources) >= 4


def test_tariff_threat_is_a_dated_pressure_by_trump_on_mexico(seed_result):
    ds = seed_result.dataset
    p = RES["trump-tariff-threat-2019"]
    assert (p, RDF.type, MKG.Pressure) in ds
    assert (p, MKG.exertedBy, RES["donald-trump"]) in ds
    assert (p, MKG.targets, RES["mexico"]) in ds
    assert (RES["donald-trump"], MKG.pressured, RES["mexico"]) in ds
    assert Literal("2019-05", datatype=XSD.gYearMonth) in set(ds.objects(p, MKG.date))



def test_mexican_states_are_places_in_mexico_not_countries(seed_result):
    ds = seed_result.dataset
    chiapas = RES["chiapas"]
    assert (chiapas, RDF.type, MKG.Place) in ds and (chiapas, RDF.type, MKG.State) not in ds
    assert not any((chiapas, RDF.type, MKG[c]) in ds for c in ("Actor", *vocab.ACTOR_CLASSES))
    assert (chiapas, MKG.locatedIn, RES["mexico"]) in ds
    assert seed_result.counts_by_class["Place"] == 3

def test_document_metadata_only_where_stated(seed_result):
    from rdflib.namespace import DCTERMS

    ds = seed_result.dataset
    verf = vocab.document_iri("003_e0d5432f213bd14e")
    assert ds.value(verf, DCTERMS.date) == Literal("2021-11-05", datatype=XSD.date)
    # document 000 states no date and no author
    d0 = vocab.document_iri("000_744f73aabb0ea542")
    assert ds.value(d0, DCTERMS.date) is None and ds.value(d0, DCTERMS.creator) is None


def test_dates_are_only_as_precise_as_the_text(seed_result):
    ds = seed_result.dataset
    for value in ds.objects(None, MKG.date):
        assert value.datatype in (XSD.date, XSD.gYearMonth, XSD.gYear)
        pattern = {XSD.gYear: r"^\d{4}$", XSD.gYearMonth: r"^\d{4}-\d{2}$", XSD.date: r"^\d{4}-\d{2}-\d{2}$"}
        assert re.match(pattern[value.datatype], str(value))


# --- the mini corpus: behaviour and bad inputs -------------------------------------------

def test_mini_corpus_compiles_and_conforms(mini):
    result = validate(compile_corpus(mini))
    assert result.conforms, result.report
    ds = result.dataset
    doc = vocab.document_iri("001_tariffs")
    g = ds.graph(doc)
    assert (RES["donald-trump"], MKG.pressured, RES["mexico"]) in g
    assert (RES["stat-guard"], MKG.value, Literal("6000", datatype=XSD.decimal)) in g
    assert (RES["tariff-threat-2019"], MKG.demands, Literal("stop migration")) in g
    ev = next(g.objects(RES["tariff-threat-2019"], MKG.evidence))
    assert "\n" in str(g.value(ev, MKG.quote))  # found across the hard line break


@pytest.mark.parametrize("extra, message", [
    ((RES["mexico"], RDF.type, MKG.Person), "Actor https://w3id.org/migration-kg/id/mexico is of 2 concrete actor classes"),
    ((RES["tariff-threat-2019"], RDF.type, MKG.Agreement), "https://w3id.org/migration-kg/id/tariff-threat-2019 is of 2 disjoint kinds"),
    ((RES["stray"], RDF.type, MKG.Actor), "Actor https://w3id.org/migration-kg/id/stray is of 0 concrete actor classes"),
])
def test_shacl_refuses_a_node_of_two_kinds(mini, extra, message):
    result = compile_corpus(mini)
    for graph in (result.dataset.graph(vocab.CATALOGUE_GRAPH), result.dataset.default_graph):
        graph.add(extra)  # the default graph is the union, materialised at compile time
    result = validate(result)
    assert not result.conforms
    assert any(message in v for v in result.violations), result.violations


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


BAD_INPUTS = {
    "quote not in text": ("001_tariffs.yaml", "quote: National Guard}", "quote: Navy Seals}",
                          r"001_tariffs.yaml:\d+: mention 3 \(national-guard\): quote not found"),
    "unknown entity": ("001_tariffs.yaml", "targets: [mexico]", "targets: [atlantis]",
                       r"001_tariffs.yaml:\d+: statement 1 \(tariff-threat-2019\): targets: unknown entity 'atlantis'"),
    "bad date": ("001_tariffs.yaml", "date: 2019-05", "date: 2019-13",
                 r"001_tariffs.yaml:\d+: statement 1 \(tariff-threat-2019\): bad date '2019-13'"),
    "malformed yaml": ("001_tariffs.yaml", "statements:", "statements: [",
                       r"001_tariffs.yaml:\d+: malformed YAML"),
    "wrong class": ("001_tariffs.yaml", "exertedBy: [donald-trump]", "exertedBy: [guard-deployment]",
                    r"'guard-deployment' is a Policy, expected"),
    "ambiguous quote": ("001_tariffs.yaml", 'quote: "imports from Mexico"', "quote: Mexico",
                        r"quote found \d times"),
    "duplicate id": ("catalogue.yaml", "- {id: mexico, class: State, label: Mexico}",
                     "- {id: mexico, class: State, label: Mexico}\n  - {id: mexico, class: State, label: México}",
                     r"catalogue.yaml:\d+: thing 'mexico' declared twice"),
    "bad pressure type": ("001_tariffs.yaml", "pressureType: THREATEN", "pressureType: SHOUT",
                          r"unknown pressureType 'SHOUT'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_error_and_outputs_unchanged(mini, tmp_path, case):
    out = tmp_path / "out"
    build(mini, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fname, old, new, pattern = BAD_INPUTS[case]
    _edit(mini / fname, old, new)
    with pytest.raises(CorpusError) as err:
        build(mini, out)
    message = str(err.value)
    assert "\n" not in message
    assert re.search(pattern, message), message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_non_utf8_and_empty_documents_are_refused(mini):
    (mini / "002_bad.txt").write_bytes(b"caf\xe9")
    with pytest.raises(CorpusError, match=r"002_bad.txt:1: not valid UTF-8"):
        compile_corpus(mini)
    (mini / "002_bad.txt").write_text("\n\n")
    with pytest.raises(CorpusError, match=r"002_bad.txt: empty document"):
        compile_corpus(mini)


def test_declared_but_unmentioned_thing_is_refused(mini):
    _edit(mini / "catalogue.yaml", "- {id: mexico,", "- {id: cuba, class: State, label: Cuba}\n  - {id: mexico,")
    with pytest.raises(CorpusError, match="'cuba' is declared but no document mentions it"):
        compile_corpus(mini)


def test_shacl_violation_stops_the_build(mini, tmp_path):
    # a pressure without a target passes the YAML schema but not the shapes
    _edit(mini / "001_tariffs.yaml", "    targets: [mexico]\n", "")
    out = tmp_path / "out"
    with pytest.raises(ValidationError, match="SHACL"):
        build(mini, out)
    assert not out.exists() or not any(out.iterdir())


def test_outputs_parse_back_to_the_same_dataset(mini, tmp_path):
    from rdflib.compare import isomorphic

    out = tmp_path / "out"
    result = build(mini, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "summary.json"])

    def graphs(ds: Dataset) -> dict:
        return {g.identifier: g for g in ds.graphs() if len(g)}
    expected = graphs(result.dataset)
    assert vocab.document_iri("001_tariffs") in expected
    for name, fmt in (("dataset.trig", "trig"), ("dataset.nq", "nquads"), ("dataset.jsonld", "json-ld")):
        back = graphs(Dataset().parse(out / name, format=fmt))
        assert set(back) == set(expected), name
        for iri, graph in expected.items():
            assert isomorphic(back[iri], graph), f"{name}: graph {iri} differs"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["conforms"] is True and summary["counts_by_class"]["Pressure"] == 1
