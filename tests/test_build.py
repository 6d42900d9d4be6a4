"""Build stage: compiling curation files, evidence, SHACL, atomic outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef
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


#: Things declared in seeds/*.yaml, by class, counted in the YAML (not in the build's output):
#: `grep -ho "class: Policy[,}]" seeds/*.yaml | wc -l` for each class; the eight actor classes
#: summed (Person 24, State 15, GovernmentBody 14, Administration 6, InternationalOrganization 4,
#: CivilSocietyOrganization 18, PopulationGroup 15, CriminalGroup 3 = 99).
SEED_CLASS_COUNTS = {"Actor": 99, "Pressure": 22, "Policy": 85, "Agreement": 7, "PolicyReversal": 9,
                     "Statistic": 57, "Claim": 22, "Place": 3, "Instrument": 6, "Document": 5}


def _evidence_in_yaml() -> int:
    """Evidence passages the curation files call for, counted from the YAML alone: one per distinct
    (thing, quote, occurrence) of a file's mentions and statements (and each dateQuote), plus, for
    the document metadata, one for the document and one for each actor named."""
    import yaml

    total = 0
    for path in sorted(SEEDS.glob("0*.yaml")):
        data, seen = yaml.safe_load(path.read_text(encoding="utf-8")), set()
        for item in (data.get("mentions") or []) + (data.get("statements") or []):
            seen.add((item["id"], " ".join(item["quote"].split()), item.get("occurrence")))
            if item.get("dateQuote"):
                seen.add((item["id"], " ".join(item["dateQuote"].split()), None))
        for value in (data.get("document") or {}).values():
            for item in value if isinstance(value, list) else [value]:
                seen.add(("document", str(item.get("quote", item.get("value"))), item.get("occurrence")))
                if "id" in item:
                    seen.add((item["id"], str(item["quote"]), item.get("occurrence")))
        total += len(seen)
    return total


def test_seed_graph_has_exactly_the_things_the_yaml_declares(seed_result):
    assert seed_result.counts_by_class == {**SEED_CLASS_COUNTS, "Evidence": 667}
    assert _evidence_in_yaml() == 667


def test_readme_counts_table_matches_the_seed_graph(seed_result):
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| ([a-z][^|]*?) \| (\d+) \|$", readme, flags=re.M))
    shown = {label.split(" (")[0]: int(n) for label, n in table.items()}
    counts = seed_result.counts_by_class
    assert shown == {"actors": counts["Actor"], "pressures": counts["Pressure"], "policies": counts["Policy"],
                     "agreements": counts["Agreement"], "policy reversals": counts["PolicyReversal"],
                     "statistics": counts["Statistic"], "claims": counts["Claim"], "places": counts["Place"],
                     "evidence passages": counts["Evidence"]}


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


def test_sparql_constraints_on_oxigraph_find_what_pyshacl_finds(mini):
    """The SPARQL constraints run on Oxigraph with $this free (kg.shacl) report exactly the
    violations pyshacl itself reports with them pre-bound, on planted faults of each."""
    import pyshacl
    from rdflib import Graph

    from kg.build import SHAPES_FILE, _parse_turtle
    from kg.shacl import _violations, validate_graph

    result = compile_corpus(mini)
    g = result.dataset.graph(vocab.document_iri("001_tariffs"))
    ev = next(g.objects(RES["tariff-threat-2019"], MKG.evidence))
    end = g.value(ev, MKG.end)
    planted = [(RES["mexico"], RDF.type, MKG.Person), (RES["tariff-threat-2019"], RDF.type, MKG.Agreement),
               (RES["stray"], RDF.type, MKG.Actor)]
    data = Graph()
    for t in result.dataset.triples((None, None, None)):
        if t != (ev, MKG.end, end):
            data.add(t)
    for t in [*planted, (ev, MKG.end, Literal(int(end) + 3))]:
        data.add(t)
    conforms, _text, ours = validate_graph(data, _parse_turtle(SHAPES_FILE))
    _c, report, _t = pyshacl.validate(data, shacl_graph=_parse_turtle(SHAPES_FILE), inference="none",
                                      allow_warnings=True)
    def kinds_sorted(line):  # GROUP_CONCAT's order is the engine's
        return re.sub(r"disjoint kinds \(([^)]*)\)", lambda m: "(" + ", ".join(sorted(m[1].split(", "))) + ")", line)
    assert not conforms and [kinds_sorted(v) for v in ours] == [kinds_sorted(v) for v in sorted(_violations(report))]
    # mexico: two actor classes; tariff-threat-2019: two kinds; stray: no actor class, no label, no
    # evidence; the span: six
    assert len(ours) == 6 and [v for v in ours if "characters but" in v] == [
        f"{vocab.local_id(str(vocab.document_iri('001_tariffs')))}: Evidence {ev}: mkg:quote has "
        f"{int(end) - int(g.value(ev, MKG.start))} characters but mkg:end - mkg:start is "
        f"{int(end) + 3 - int(g.value(ev, MKG.start))}."]


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


# --- curation fixes (issue 11): one real-world thing, one IRI ------------------------------------

def _docs_of(ds, thing):
    return {vocab.local_id(str(ds.value(ev, MKG.source))).removeprefix("doc/")
            for ev in ds.objects(RES[thing], MKG.evidence)}


def test_the_two_enforcement_approaches_are_two_policies(seed_result):
    ds = seed_result.dataset
    # 000: "Mexico’s migration policy is hence transitioning from an emphasis of enforcement to one of
    # protection" -- the earlier approach, given up; 002: "The López Obrador administration has adopted an
    # enforcement-first approach to migration" -- his own, adopted.
    shift, turn = RES["lopez-obrador-shift-from-enforcement-to-protection"], RES["amlo-turn-to-enforcement"]
    assert set(ds.objects(shift, MKG.fromPolicy)) == {RES["previous-administrations-enforcement-approach"]}
    assert set(ds.objects(turn, MKG.toPolicy)) == {RES["enforcement-first-approach"]}
    assert "000_744f73aabb0ea542" not in _docs_of(ds, "enforcement-first-approach")
    # 000: "AMLO’s administration is averse to both securitizing the border" opposes the earlier one only
    assert set(ds.objects(RES["lopez-obrador-administration"], MKG.opposes)) == \
        {RES["previous-administrations-enforcement-approach"]}
    # 002: "just as previous Mexican administrations have done when faced with pressure from Washington"
    assert set(ds.objects(RES["enforcement-first-approach"], MKG.adoptedBy)) == \
        {RES["lopez-obrador-administration"], RES["andres-manuel-lopez-obrador"], RES["mexico"]}
    assert set(ds.objects(RES["previous-administrations-enforcement-approach"], MKG.adoptedBy)) == \
        {RES["previous-mexican-administrations"]}


def test_the_central_america_development_claims_are_five_policies(seed_result):
    ds = seed_result.dataset
    assert (RES["central-america-development-plan"], None, None) not in ds
    status = vocab.STATUS
    # 001: "calling on all countries concerned to increase aid for the development of the Northern Triangle"
    assert set(ds.objects(RES["increased-development-aid-for-northern-triangle"], MKG.status)) == {status["proposed"]}
    # 002: "He has even proposed a $30 billion aid package for Central American countries"
    assert set(ds.objects(RES["amlo-central-america-aid-package"], MKG.status)) == {status["proposed"]}
    assert (RES["stat-30-billion-central-america-aid-package"], MKG.about, RES["amlo-central-america-aid-package"]) in ds
    # 003: "President López Obrador’s first international act was to sign it" (the ECLAC program): adopted only
    assert set(ds.objects(RES["eclac-regional-development-program"], MKG.status)) == {status["adopted"]}
    assert (RES["mexico-central-america-development-agreement"], MKG.commitment,
            RES["eclac-regional-development-program"]) in ds
    # 003: "Mexico’s President is bidding for the US to support his modest socioeconomic development programs"
    assert (RES["amlo-bid-for-us-support-of-development-programs-2021"], MKG.demands,
            RES["amlo-modest-development-programs-2021"]) in ds
    # 004: "the best way to solve the crisis is by investing in development of the Central American countries"
    assert (RES["mexico"], MKG.supports, RES["investment-in-central-american-development"]) in ds
    # the 2019 attempt on the Trump administration (002) and the 2021 bid (003) are two pressures
    assert _docs_of(ds, "amlo-attempt-to-convince-trump-administration") == {"002_2cdf664f68f1b5a3"}
    assert set(ds.objects(RES["amlo-attempt-to-convince-trump-administration"], MKG.targets)) == \
        {RES["trump-administration"]}
    assert _docs_of(ds, "amlo-bid-for-us-support-of-development-programs-2021") == {"003_e0d5432f213bd14e"}


def test_mpp_start_and_mexicos_acceptance_are_dated_apart(seed_result):
    ds = seed_result.dataset
    # 002: "The program began in December" (2018, the mid-2019 article's December)
    assert set(ds.objects(RES["migrant-protection-protocols"], MKG.date)) == \
        {Literal("2018-12", datatype=XSD.gYearMonth)}
    # 003: "And yet, in June 2019 Mexico accepted “for humanitarian reasons” its participation in the MPP"
    assert set(ds.objects(RES["mexico-accepts-mpp-participation-2019"], MKG.date)) == \
        {Literal("2019-06", datatype=XSD.gYearMonth)}


def test_the_2014_unaccompanied_minors_are_one_group(seed_result):
    ds = seed_result.dataset
    # 004: "particularly unaccompanied minors"; 003: "unaccompanied children from Central America"
    assert _docs_of(ds, "unaccompanied-minors") == {"003_e0d5432f213bd14e", "004_81f69836fdd2b9cd"}
    assert (RES["unaccompanied-minors"], SKOS.altLabel, Literal("unaccompanied children from Central America")) in ds
    # 002's "minors traveling alone" (apprehended in fiscal year 2019) are another group
    assert (RES["stat-80-percent-families-or-minors"], MKG.about, RES["minors-traveling-alone"]) in ds
    assert (RES["stat-80-percent-families-or-minors"], MKG.about, RES["unaccompanied-minors"]) not in ds


def test_parties_attributions_and_producer_as_the_texts_give_them(seed_result):
    from rdflib.namespace import DCTERMS

    ds = seed_result.dataset
    # 003: "Mexico’s neighbors, both North and South, disapproved the issuing of humanitarian visas"
    assert set(ds.objects(RES["neighbors-criticism-of-humanitarian-visas"], MKG.exertedBy)) == \
        {RES["united-states"], RES["mexico-southern-neighbors"]}
    # 003: "The trend in the US-Mexico relation ... through various cooperation agreements"
    assert set(ds.objects(RES["us-mexico-security-cooperation-agreements"], MKG.party)) == \
        {RES["mexico"], RES["united-states"]}
    # 003: "recalling that one of the two ambassadors who led the drafting process is a Mexican diplomat"
    (ev,) = ds.objects(RES["stat-2-ambassadors-global-compact"], MKG.evidence)
    assert set(ds.objects(ev, MKG.attributedTo)) == {RES["marcelo-ebrard"]}
    # 001: "This episode was produced by Luisa Leme." -- producer, not author
    d1 = vocab.document_iri("001_5efc4aa89b52658b")
    assert ds.value(d1, MKG.producer) == RES["luisa-leme"] and ds.value(d1, DCTERMS.creator) is None


def test_a_year_from_the_neighbouring_sentence_is_quoted_beside_the_statement(seed_result):
    ds = seed_result.dataset
    # 004: "In 2014, the U.S. experienced an influx of migrants ... Then-President Barack Obama asked his
    # Mexican counterpart to boost security at the Guatemalan border."
    request = RES["obama-southern-border-security-request-2014"]
    assert set(ds.objects(request, MKG.date)) == {Literal("2014", datatype=XSD.gYear)}
    quotes = {" ".join(str(ds.value(ev, MKG.quote)).split()) for ev in ds.objects(request, MKG.evidence)}
    assert "In 2014, the U.S. experienced an influx of migrants, particularly unaccompanied minors, over the " \
           "Mexican border." in quotes
    # every year-only date is stated in one of its thing's quotes in that document
    for thing, date in ds.subject_objects(MKG.date):
        if date.datatype == XSD.gYear and (thing, RDF.type, MKG.Document) not in ds:
            assert any(str(date) in str(ds.value(ev, MKG.quote)) or "year" in str(ds.value(ev, MKG.quote))
                       for ev in ds.objects(thing, MKG.evidence)), thing


# --- build-time consistency checks (kg/checks.py): each fires on a small bad corpus -------------

def _append_statement(mini: Path, text: str) -> None:
    path = mini / "001_tariffs.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def _one_error_line(mini: Path, tmp_path: Path) -> str:
    from helpers import run_kg

    res = run_kg("build", "--seeds", str(mini), "--out", str(tmp_path / "out"), "--no-views")
    assert res.returncode == 1 and res.stderr.startswith("error: ") and res.stderr.count("\n") == 1, res.stderr
    return res.stderr.strip()


def test_check_a_policy_adopted_and_opposed_by_the_same_actor(mini, tmp_path):
    _append_statement(mini, "  - id: mexico\n    quote: Mexico agreed to send 6,000 National Guard members\n"
                            "    opposes: [guard-deployment]\n")
    yml = mini / "001_tariffs.yaml"
    assert _one_error_line(mini, tmp_path) == (
        f"error: {yml}:35: statement 5 (mexico): 'mexico' opposes policy 'guard-deployment', which it adopts "
        f"({yml}:24, statement 3 (guard-deployment)); if these are two policies, split them")


def test_check_a_reversal_cycle(mini, tmp_path):
    _edit(mini / "catalogue.yaml", "- {id: guard-deployment,",
          "- {id: tariff-policy, class: Policy, label: five percent tariff}\n"
          "  - {id: turn-a, class: PolicyReversal, label: turn a}\n"
          "  - {id: turn-b, class: PolicyReversal, label: turn b}\n  - {id: guard-deployment,")
    _append_statement(mini, "  - id: tariff-policy\n    quote: five percent\n    status: proposed\n"
                            "  - id: turn-a\n    quote: released a joint statement\n"
                            "    fromPolicy: tariff-policy\n    toPolicy: guard-deployment\n"
                            "  - id: turn-b\n    quote: Mexico agreed\n"
                            "    fromPolicy: guard-deployment\n    toPolicy: tariff-policy\n")
    yml = mini / "001_tariffs.yaml"
    assert _one_error_line(mini, tmp_path) == (
        f"error: {yml}:39: statement 6 (turn-a): policy reversals form a cycle: guard-deployment -> tariff-policy "
        f"-> guard-deployment; a policy given up cannot also be the one that replaced it (one id standing for two "
        f"policies?)")


def test_check_two_contradictory_statuses_from_one_document(mini, tmp_path):
    _append_statement(mini, "  - id: guard-deployment\n    quote: Mexico agreed to send 6,000 National Guard members\n"
                            "    status: proposed\n")
    yml = mini / "001_tariffs.yaml"
    assert _one_error_line(mini, tmp_path) == (
        f"error: {yml}:35: statement 5 (guard-deployment): status 'proposed' contradicts status 'adopted' that the "
        f"same document gives 'guard-deployment' (line 25, statement 3 (guard-deployment)); two things under one "
        f"id? split them, or date the two steps")


def test_check_a_year_not_in_the_quote_and_the_neighbouring_quote_that_fixes_it(mini, tmp_path):
    _append_statement(mini, "  - id: guard-deployment\n    quote: Mexico agreed to send 6,000 National Guard members\n"
                            "    date: 2019\n")
    yml = mini / "001_tariffs.yaml"
    assert _one_error_line(mini, tmp_path) == (
        f"error: {yml}:35: statement 5 (guard-deployment): date 2019 is not in its quote; quote the passage that "
        f"states the year (add the neighbouring sentence as dateQuote), or give no date")
    _append_statement(mini, "    dateQuote: In late May 2019\n")
    ds = compile_corpus(mini).dataset
    assert Literal("2019", datatype=XSD.gYear) in set(ds.objects(RES["guard-deployment"], MKG.date))


def test_sparql_constraints_that_need_pyshacl_stay_with_it():
    """A SPARQL constraint on a property shape, on a shape another shape uses, on a warning-only
    or deactivated shape, stays in the shapes for pyshacl; one on a targeted node shape is taken."""
    from rdflib import Graph

    from kg.shacl import detach_sparql

    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:Taken a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
        ex:OnPath a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
        ex:Used a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
        ex:User a sh:NodeShape ; sh:targetClass ex:D ; sh:node ex:Used .
        ex:Warning a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
        ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
    """)
    SH = "http://www.w3.org/ns/shacl#"
    taken = detach_sparql(shapes)
    left = {str(s).split(":")[-1] for s, _ in shapes.subject_objects(URIRef(SH + "sparql"))}
    assert [str(c.shape).split(":")[-1] for c in taken] == ["Taken"]
    assert left == {"OnPath", "Used", "Warning", "Off"}
