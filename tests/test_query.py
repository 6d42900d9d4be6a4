"""Query stage: every named query answers with concrete rows on the seed graph; parameters are
bound, never formatted; errors are one clear line."""

from __future__ import annotations

import pytest
from rdflib import Literal

from kg import query as q
from kg.sparql import parse
from kg.errors import QueryError
from kg.vocab import RES

from helpers import names


def rows(store, name, **params):
    return q.to_records(q.run(store, name, params))


def test_catalogue_entries_have_title_description_and_typed_params():
    cat = q.catalogue()
    assert len(cat) >= 12
    for nq in cat.values():
        assert nq.title and nq.title != nq.name and len(nq.description) > 20, nq.name
        for p in nq.params:
            assert p.kind in q.PARAM_KINDS and p.description


def test_who_pressured_whom_has_trump_tariff_threat_on_mexico(memory_store):
    found = [r for r in rows(memory_store, "who-pressured-whom")
             if "Donald Trump" in r["exertedBy"].split(" | ") and "Mexico" in r["targets"].split(" | ")
             and "tariff threat" in (r["instrument"] or "")]
    assert found
    assert any("2019-05" in (r["date"] or "") for r in found)
    assert any("Foreign Affairs (002_2cdf664f68f1b5a3)" in r["sources"] for r in found)
    assert any("THREATEN" in (r["type"] or "") for r in found)


def test_who_pressured_whom_filters_by_bound_actor_name(memory_store):
    by_trump = rows(memory_store, "who-pressured-whom", actor="Trump")
    assert by_trump and all("Donald Trump" in r["exertedBy"].split(" | ") for r in by_trump)
    on_mexico = rows(memory_store, "who-pressured-whom", target="mexico")
    assert on_mexico and all("Mexico" in names(r["targets"]) for r in on_mexico)
    assert len(on_mexico) < len(rows(memory_store, "who-pressured-whom"))
    # 004: "In 2014, the U.S. experienced an influx of migrants ... Then-President Barack Obama asked his
    # Mexican counterpart to boost security at the Guatemalan border."
    obama = [r for r in on_mexico if r["pressure"] == str(RES["obama-southern-border-security-request-2014"])]
    assert obama == [{"pressure": str(RES["obama-southern-border-security-request-2014"]),
                      "pressureLabel": "Obama’s 2014 request that Mexico boost security at the Guatemalan border",
                      "exertedBy": "Barack Obama", "targets": "Mexico", "instrument": "diplomatic request",
                      "type": "REQUEST", "demands": "boost security at the Guatemalan border", "status": None,
                      "date": "2014", "sources": "What the US-Mexico Migration Dispute Is Really About "
                                                 "(004_81f69836fdd2b9cd)"}]
    # 003: "Mexico’s neighbors, both North and South, disapproved the issuing of humanitarian visas"
    (neighbours,) = [r for r in on_mexico if r["pressure"] == str(RES["neighbors-criticism-of-humanitarian-visas"])]
    assert neighbours["exertedBy"] == "Mexico’s southern neighbours | United States" and neighbours["type"] == "ACCUSE"


def test_pressure_outcomes_links_tariff_threat_to_june_7_declaration(memory_store):
    out = rows(memory_store, "pressure-outcomes", pressure="trump-tariff-threat-2019")
    assert {r["outcome"] for r in out} >= {str(RES["us-mexico-joint-declaration-2019-06-07"])}
    assert all(r["pressure"] == str(RES["trump-tariff-threat-2019"]) for r in out)
    assert "prevent illegal migration" in out[0]["demands"]


def test_policy_reversals_include_amlo_turn_to_enforcement(memory_store):
    out = rows(memory_store, "policy-reversals")
    turn = [r for r in out if r["reversal"] == str(RES["amlo-turn-to-enforcement"])]
    assert turn and turn[0]["from"] == "López Obrador’s humanitarian approach to migration"
    # 002: "The López Obrador administration has adopted an enforcement-first approach to migration"
    assert turn[0]["to"] == "López Obrador administration’s enforcement-first approach to migration (2019)"
    assert len(out) == 9  # the nine PolicyReversal things declared in seeds/*.yaml
    # 003: "And yet, in June 2019 Mexico accepted “for humanitarian reasons” its participation in the MPP"
    (mpp,) = [r for r in out if r["reversal"] == str(RES["mexico-accepts-mpp-participation-2019"])]
    assert (mpp["to"], mpp["reversedBy"], mpp["date"]) == ("Migrant Protection Protocols", "Mexico", "2019-06")
    by_trump = rows(memory_store, "policy-reversals", actor="donald-trump")
    assert by_trump and all("Donald Trump" in r["reversedBy"] for r in by_trump)


def test_agreements_june_7_declaration(memory_store):
    out = {r["agreement"]: r for r in rows(memory_store, "agreements")}
    decl = out[str(RES["us-mexico-joint-declaration-2019-06-07"])]
    assert set(decl["parties"].split(" | ")) >= {"Mexico", "United States"}
    assert "2019-06-07" in decl["date"]
    assert "National Guard deployment to the southern border" in decl["commitments"]
    guatemala = rows(memory_store, "agreements", party="Guatemala")
    assert guatemala and all("Guatemala" in r["parties"] for r in guatemala)


def test_actor_activity_of_trump(memory_store):
    out = rows(memory_store, "actor-activity", actor="Donald Trump")
    assert {"role": "agent", "relation": "exertedBy", "thing": str(RES["trump-tariff-threat-2019"])}.items() <= \
        next(r for r in out if r["thing"] == str(RES["trump-tariff-threat-2019"])).items()
    assert any(r["role"] == "object" for r in rows(memory_store, "actor-activity", actor="mexico"))


def test_actor_activity_requires_its_parameter(memory_store):
    with pytest.raises(QueryError, match="needs --param actor"):
        rows(memory_store, "actor-activity")


def test_document_statements_of_one_document(memory_store):
    out = rows(memory_store, "document-statements", document="003_e0d5432f213bd14e.txt")
    things = {r["thing"] for r in out}
    assert str(RES["migrant-protection-protocols"]) in things
    assert not any(r["property"] == "evidence" for r in out)
    other = rows(memory_store, "document-statements", document="001_5efc4aa89b52658b")
    assert {r["thing"] for r in other} != things


def test_statistics_with_source(memory_store):
    out = rows(memory_store, "statistics")
    hit = [r for r in out if r["value"] == 444309]
    assert hit and hit[0]["file"] == "002_2cdf664f68f1b5a3.txt" and "444,309" in hit[0]["quote"]
    assert len({r["statistic"] for r in out}) >= 50
    only = rows(memory_store, "statistics", document="004_81f69836fdd2b9cd.txt")
    assert only and {r["file"] for r in only} == {"004_81f69836fdd2b9cd.txt"}


def test_evidence_for_a_statement(memory_store, seed_result):
    out = rows(memory_store, "evidence", thing="trump-tariff-threat-2019")
    texts = {d.name: d.text for d in seed_result.documents}
    assert len({r["file"] for r in out}) >= 2
    for r in out:
        assert texts[r["file"]][r["start"]:r["end"]] == r["quote"]
    assert any("five percent tariff" in r["quote"] for r in out)


def test_single_source_statements(memory_store):
    out = {r["thing"]: r for r in rows(memory_store, "single-source")}
    assert str(RES["stat-444309-central-americans-apprehended"]) in out
    assert str(RES["trump-tariff-threat-2019"]) not in out  # several documents describe it
    pressures = rows(memory_store, "single-source", **{"class": "mkg:Pressure"})
    assert pressures and all(r["class"].endswith("#Pressure") for r in pressures)


def test_timeline_is_in_date_order(memory_store):
    out = rows(memory_store, "timeline")
    dates = [str(r["date"]) for r in out]
    assert dates == sorted(dates) and len(dates) > 20


def test_disagreements_45_vs_90_days(memory_store):
    out = rows(memory_store, "disagreements")
    days = [r for r in out if r["property"] == "value" and {r["valueA"], r["valueB"]} == {"45", "90"}]
    assert days, out
    assert "45 days" in days[0]["quoteA"] + days[0]["quoteB"]


def test_actors_and_policies(memory_store):
    actors = {r["label"]: r for r in rows(memory_store, "actors")}
    assert actors["Donald Trump"]["documents"] >= 4
    people = rows(memory_store, "actors", **{"class": "Person"})
    assert people and all(r["class"].endswith("#Person") for r in people)
    policies = {r["policy"] for r in rows(memory_store, "policies", actor="mexico")}
    assert str(RES["national-guard-deployment"]) in policies


def test_parameter_text_is_bound_not_formatted(memory_store):
    hostile = 'x" } UNION { ?s ?p ?o } #'
    with pytest.raises(QueryError, match="unknown entity"):
        rows(memory_store, "who-pressured-whom", actor=hostile)
    adhoc = q.adhoc_query("SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name }")
    result = q.run(memory_store, adhoc, {"name": hostile})
    assert result.rows == []
    result = q.run(memory_store, adhoc, {"name": "Donald Trump"})
    assert [str(r[0]) for r in result.rows] == [str(RES["donald-trump"])]


@pytest.mark.parametrize("bad,pattern", [
    ("SELECT ?s WHERE { ?s ?p }", "malformed SPARQL"),
    ("SELEKT * WHERE {}", "malformed SPARQL"),
])
def test_malformed_sparql_is_one_line(memory_store, bad, pattern):
    with pytest.raises(QueryError, match=pattern) as err:
        q.run(memory_store, q.adhoc_query(bad))
    assert "\n" not in str(err.value)


def test_unknown_query_and_parameter(memory_store):
    with pytest.raises(QueryError, match="unknown query 'who-is-who'; known queries: "):
        q.get_query("who-is-who")
    with pytest.raises(QueryError, match="unknown parameter 'colour'"):
        rows(memory_store, "who-pressured-whom", colour="red")
    with pytest.raises(QueryError, match="unknown document"):
        rows(memory_store, "statistics", document="nope.txt")


def test_render_formats(memory_store):
    result = q.run(memory_store, "agreements")
    assert q.render(result, "csv").splitlines()[0].startswith("agreement,agreementLabel")
    import json

    assert isinstance(json.loads(q.render(result, "json")), list)
    table = q.render(q.QueryResult(["x"], [(Literal("[bold]text[/bold]"),)]), "table")
    assert "[bold]text[/bold]" in table  # document text is never read as markup


def test_adhoc_queries_may_use_the_project_prefixes_undeclared():
    text = "SELECT ?l WHERE { ?p a mkg:Place ; rdfs:label ?l }"
    out = parse(text).text
    assert out.endswith(text) and "\n" not in out  # error line numbers stay the text's own
    assert "PREFIX mkg:" in out and "PREFIX rdfs:" in out and "PREFIX skos:" not in out
    own = "PREFIX mkg: <urn:x#>\nSELECT * WHERE { ?p a mkg:Place }"
    assert parse(own).text == own  # a declared prefix is the query's own
    quoted = 'SELECT * WHERE { ?s ?p "mkg:not-a-name" } # res:comment'
    assert parse(quoted).text == quoted  # prefixes in strings and comments are not uses


def test_disagreements_query_row_from_the_texts(memory_store):
    out = rows(memory_store, "disagreements")
    assert len(out) == 13  # the value pairs listed in tests/test_analysis.py::test_disagreements_are_the_documents_real_ones
    (row,) = [r for r in out if r["thing"] == str(RES["migrant-protection-protocols"])]
    # 000: "Although Mexico’s government tried to distance itself by stating that the U.S. acted unilaterally,
    # the White House rebuked by affirming it was a negotiated policy."; 003: "... its participation in the
    # Migrant Protection Protocols (MPP), which until then had been allegedly a unilateral US measure"
    assert {k: " ".join(str(v).split()) for k, v in row.items() if k != "order"} == {
        "thing": str(RES["migrant-protection-protocols"]), "label": "Migrant Protection Protocols",
        "kind": "position", "property": "position",
        "valueA": "Mexico took part", "qualifierA": "per White House",
        "sourceA": "Mexico’s Response to the Central American Migrant Caravans (000_744f73aabb0ea542)",
        "fileA": "000_744f73aabb0ea542.txt", "quoteA": "the White House rebuked by affirming it was a negotiated policy",
        "valueB": "unilateral US measure", "qualifierB": "allegedly",
        "sourceB": "From Opposing the Wall to Becoming it: Dilemmas of Migration Policy in Mexico (003_e0d5432f213bd14e)",
        "fileB": "003_e0d5432f213bd14e.txt", "quoteB": "which until then had been allegedly a unilateral US measure",
        "sourcesA": "Mexico’s Response to the Central American Migrant Caravans (000_744f73aabb0ea542)",
        "sourcesB": "From Opposing the Wall to Becoming it: Dilemmas of Migration Policy in Mexico (003_e0d5432f213bd14e)"}


def test_parse_is_safe_from_many_threads_at_once():
    # in a fresh process (pyparsing learns each parse action's arity at its first call, racily):
    # kg serve parses every request in its own thread
    import subprocess
    import sys

    code = """
import threading
from kg.sparql import parse
barrier, errors = threading.Barrier(32), []
def work(i):
    barrier.wait()
    try:
        parse(f"SELECT ?a WHERE {{ ?a a mkg:State ; rdfs:label ?l{i} }} ORDER BY ?l{i}")
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=work, args=(i,)) for i in range(32)]
[t.start() for t in threads]; [t.join() for t in threads]
print(len(errors))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"


def test_a_bound_term_also_restricts_each_top_level_optional_on_request():
    """with_values(into_optionals=True) repeats a one-term binding at the top of each OPTIONAL of
    the WHERE group (not a sub-select, not a nested one); the answer cannot change, since every
    row an OPTIONAL extends already has that term."""
    from rdflib import URIRef

    from kg.sparql import parse, with_values

    q = parse("SELECT ?x WHERE { ?x ?p ?o OPTIONAL { ?o <urn:r> ?r OPTIONAL { ?r <urn:s> ?s } } "
              "OPTIONAL { SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?q ?z } GROUP BY ?x } }")
    o = URIRef("urn:o")
    assert with_values(q, {"o": o}) == ("SELECT ?x WHERE { VALUES ?o { <urn:o> } ?x ?p ?o OPTIONAL { ?o <urn:r> ?r "
                                        "OPTIONAL { ?r <urn:s> ?s } } OPTIONAL { SELECT ?x (COUNT(*) AS ?n) WHERE "
                                        "{ ?x ?q ?z } GROUP BY ?x } }")
    assert with_values(q, {"o": o}, into_optionals=True) == (
        "SELECT ?x WHERE { VALUES ?o { <urn:o> } ?x ?p ?o OPTIONAL {  VALUES ?o { <urn:o> } ?o <urn:r> ?r "
        "OPTIONAL { ?r <urn:s> ?s } } OPTIONAL { SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?q ?z } GROUP BY ?x } }")
    parse(with_values(q, {"o": o}, into_optionals=True))  # still a query
