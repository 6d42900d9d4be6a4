"""Analysis stage: projections keep their evidence; analyses give concrete answers on the seed graph."""

from __future__ import annotations

import networkx as nx
import pytest

from kg import analysis as a
from kg.vocab import RES

TRUMP, MEXICO = str(RES["donald-trump"]), str(RES["mexico"])


@pytest.fixture(scope="module")
def projections(memory_store):
    ctx = a.GraphContext.load(memory_store)
    return {name: a.project(memory_store, name, ctx) for name in a.PROJECTIONS}


def test_pressure_network_edge_keeps_pressures_and_quotes(projections, seed_result):
    g = projections["pressure"]
    edge = g.edges[TRUMP, MEXICO]
    assert edge["weight"] == len(edge["pressures"]) >= 2
    tariff = next(p for p in edge["pressures"] if p["pressure"] == str(RES["trump-tariff-threat-2019"]))
    assert "tariff threat" in tariff["instruments"] and "2019-05" in tariff["dates"]
    texts = {d.name: d.text for d in seed_result.documents}
    assert tariff["evidence"]
    for ev in tariff["evidence"]:
        assert texts[ev["file"]][ev["start"]:ev["end"]] == ev["quote"]
    assert g.nodes[TRUMP]["label"] == "Donald Trump" and g.nodes[TRUMP]["cls"] == "Person"


def test_projection_nodes_are_iris_with_classes(projections):
    full = projections["full"]
    assert full.number_of_nodes() > 150 and full.is_multigraph()
    assert all(n.startswith("https://w3id.org/migration-kg/") for n in full)
    assert full.nodes[str(RES["migrant-protection-protocols"])]["cls"] == "Policy"
    bip = projections["agreements"]
    decl = str(RES["us-mexico-joint-declaration-2019-06-07"])
    assert set(bip.neighbors(decl)) >= {MEXICO, str(RES["united-states"])}
    assert nx.is_bipartite(bip)


def test_who_pressured_whom_ranking(projections):
    ranking = a.pressure_ranking(projections["pressure"])
    top_targets = [r["label"] for r in ranking["targets"][:2]]
    assert "Mexico" in top_targets
    pressurers = {r["label"]: r for r in ranking["pressurers"]}
    assert "Mexico" in pressurers["Donald Trump"]["counterparts"]
    assert "tariff threat" in pressurers["Donald Trump"]["instruments"]


def test_pressure_chain_from_tariff_threat_to_national_guard(projections):
    chains = a.pressure_chains(projections["policy"], str(RES["trump-tariff-threat-2019"]))
    paths = [[link["target"] for link in chain] for chain in chains]
    decl, guard = str(RES["us-mexico-joint-declaration-2019-06-07"]), str(RES["national-guard-deployment"])
    assert any(p[:2] == [decl, guard] for p in paths), paths
    link = next(c[0] for c in chains if c[0]["target"] == decl)
    assert link["relation"] == "resultedIn" and link["evidence"]


def test_reversals_in_time_order(projections):
    rows = a.reversal_table(projections["policy"])
    assert len(rows) == 9  # the nine PolicyReversal things declared in seeds/*.yaml (class: PolicyReversal)
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated)
    turn = next(r for r in rows if r["reversal"] == str(RES["amlo-turn-to-enforcement"]))
    assert turn["from"] == ["López Obrador’s humanitarian approach to migration"]
    # 002: "The López Obrador administration has adopted an enforcement-first approach to migration"
    assert turn["to"] == ["López Obrador administration’s enforcement-first approach to migration (2019)"]
    assert turn["sources"]
    # 000: "Mexico’s migration policy is hence transitioning from an emphasis of enforcement to one of protection"
    shift = next(r for r in rows if r["reversal"] == str(RES["lopez-obrador-shift-from-enforcement-to-protection"]))
    assert shift["from"] == ["earlier Mexican administrations’ enforcement-centred, securitized approach to migration"]
    assert shift["to"] == ["López Obrador’s humanitarian approach to migration"]


def test_centrality_mexico_is_the_most_pressed(projections):
    scores = a.centrality(projections["pressure"])
    best = max(scores, key=lambda n: scores[n]["pagerank"])
    assert best == MEXICO
    assert set(a.CENTRALITY_MEANING) == {"degree", "pagerank", "betweenness"}


def test_timeline_filters(memory_store):
    everything = a.timeline_of(memory_store)
    assert len(everything) > 20
    trump = a.timeline_of(memory_store, "Donald Trump")
    assert trump and len(trump) < len(everything)
    assert any(r["thing"] == str(RES["trump-tariff-threat-2019"]) for r in trump)
    june = a.timeline_of(memory_store, start="2019-06", end="2019-06")
    assert june and all(str(r["date"]).startswith("2019") for r in june)
    agreements = a.timeline_of(memory_store, cls="Agreement")
    assert agreements and {r["class"] for r in agreements} == {"Agreement"}
    with pytest.raises(a.AnalysisError, match="bad date"):
        a.timeline_of(memory_store, start="June")


def _row(r: dict) -> tuple:
    """A disagreement as people read it: subject, kind, and each side's value, qualifier, file and
    quote of its first document (whitespace as one space: document 000 is hard-wrapped)."""
    def side(x: str) -> tuple:
        return (str(r[f"value{x}"]), r.get(f"qualifier{x}") or None, r[f"file{x}"], " ".join(str(r[f"quote{x}"]).split()))
    return (r["thing"].rsplit("/", 1)[-1], r["kind"], side("A"), side("B"))


def _stems(sources: str) -> list[str]:
    """The file stems' first three characters in a ' | '-joined list of citations ('Title (002_x)')."""
    return [c.rsplit("(", 1)[-1][:3] for c in str(sources).split(" | ")]


#: The documents' real disagreements, read from the texts (each side's quote is its sentence).
EXPECTED_DISAGREEMENTS = [
    # 002: "if unauthorized migration does not drop in the first 45 days after the agreement was signed";
    # 003: "if that failed to reduce immigration within 90 days, would consider a safe third-country agreement"
    ("stat-90-days-deadline", "number",
     ("45", None, "002_2cdf664f68f1b5a3.txt",
      "if unauthorized migration does not drop in the first 45 days after the agreement was signed"),
     ("90", None, "003_e0d5432f213bd14e.txt",
      "if that failed to reduce immigration within 90 days, would consider a safe third-country agreement")),
    # 001 (before López Obrador's inauguration): "with a total expected to reach 23,000 this year";
    # 002: "Last year alone, Mexico received almost 30,000 applications for asylum ..."
    ("stat-asylum-applications-mexico-2018", "number",
     ("23000", "expected", "001_5efc4aa89b52658b.txt", "with a total expected to reach 23,000 this year"),
     ("30000", "almost", "002_2cdf664f68f1b5a3.txt",
      "Last year alone, Mexico received almost 30,000 applications for asylum, roughly ten times more than in "
      "2015, and this year it is on track to receive over 60,000.")),
    # 002: "... as a way of avoiding the tariffs that Trump had threatened" (and 003: "an extreme case of
    # duress"); 004: "In reality, they’re actually working more closely than it may seem to try to address
    # the problem."
    ("trump-tariff-threat-2019", "position",
     ("coerced", None, "002_2cdf664f68f1b5a3.txt",
      "The Mexican government agreed to these measures, on June 7, as a way of avoiding the tariffs that Trump "
      "had threatened."),
     ("cooperating", None, "004_81f69836fdd2b9cd.txt",
      "In reality, they’re actually working more closely than it may seem to try to address the problem.")),
    # 000: "the White House rebuked by affirming it was a negotiated policy"; 003: "which until then had been
    # allegedly a unilateral US measure"
    ("migrant-protection-protocols", "position",
     ("Mexico took part", "per White House", "000_744f73aabb0ea542.txt",
      "the White House rebuked by affirming it was a negotiated policy"),
     ("unilateral US measure", "allegedly", "003_e0d5432f213bd14e.txt",
      "which until then had been allegedly a unilateral US measure")),
    # 000: "Although Peña Nieto let the first caravans into Mexico ... he also decided to send a small
    # contingent of unarmed federal police forces to the Guatemalan border."; 004: "When the first migrant
    # caravans arrived in late 2018, Mexico welcomed them with open arms."
    ("migrant-caravans", "position",
     ("let in, then contained by federal police", None, "000_744f73aabb0ea542.txt",
      "Although Peña Nieto let the first caravans into Mexico and offered migrants asylum status, he also "
      "decided to send a small contingent of unarmed federal police forces to the Guatemalan border."),
     ("welcomed with open arms", None, "004_81f69836fdd2b9cd.txt",
      "When the first migrant caravans arrived in late 2018, Mexico welcomed them with open arms.")),
]


def test_disagreements_are_the_documents_real_ones(memory_store):
    rows = [_row(r) for r in a.disagreements(memory_store)]
    for expected in EXPECTED_DISAGREEMENTS:
        assert expected in rows, expected[0]
    # one row per pair of values, by subject and the documents on each side: 2 numbers, 1 condition (the 45-
    # vs 90-day clause of the June 2019 agreement), and 10 pairs of positions on eight questions
    # (docs/curation.md, "Disagreements")
    sides = {(r["thing"].rsplit("/", 1)[-1], r["kind"], tuple(_stems(r["sourcesA"])), tuple(_stems(r["sourcesB"])))
             for r in a.disagreements(memory_store)}
    assert len(rows) == len(sides) and sorted(sides) == sorted([
        ("stat-90-days-deadline", "number", ("002",), ("003",)),
        ("stat-asylum-applications-mexico-2018", "number", ("001",), ("002",)),
        ("us-mexico-joint-declaration-2019-06-07", "condition", ("002",), ("003",)),
        ("amlo-turn-to-enforcement", "position", ("002",), ("003",)),
        ("amlo-turn-to-enforcement", "position", ("002",), ("004",)),
        ("amlo-turn-to-enforcement", "position", ("003",), ("004",)),
        ("enforcement-first-approach", "position", ("002",), ("004",)),
        # 000: visas "seen as a means of deterring migrants"; 003 and 004: a legal stay and work
        ("humanitarian-visas", "position", ("000",), ("003", "004")),
        # 000: "transitioning from an emphasis of enforcement to one of protection"; 002, 003, 004: the reverse
        ("lopez-obrador-administration", "position", ("000",), ("002", "003", "004")),
        ("mexico-migration-policy", "position", ("002",), ("003",)),
        ("migrant-caravans", "position", ("000",), ("004",)),
        ("migrant-protection-protocols", "position", ("000",), ("003",)),
        # 002 and 003: coerced; 004: cooperating
        ("trump-tariff-threat-2019", "position", ("002", "003"), ("004",)),
    ])
    # most direct first: numbers, then conditions, then positions
    kinds = [k for _, k, _, _ in rows]
    assert kinds == sorted(kinds, key=["number", "date", "condition", "position"].index)


def test_disagreements_and_single_source(memory_store):
    rows = a.disagreements(memory_store)
    assert any({str(r["valueA"]), str(r["valueB"])} == {"45", "90"} for r in rows)
    from kg.summary import dates_compatible

    assert not any(r["property"] == "date" and dates_compatible(str(r["valueA"]), str(r["valueB"])) for r in rows)
    single = a.single_source(memory_store)
    assert single and all(r["source"].endswith(")") and " | " not in r["source"] for r in single)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips(projections, tmp_path, fmt):
    g = projections["pressure"]
    from kg.views import export_graph

    path = export_graph(g, tmp_path / f"pressure.{fmt}")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert "five percent tariff" in path.read_text(encoding="utf-8")


def test_unknown_projection():
    with pytest.raises(a.AnalysisError, match="unknown projection"):
        a.project(None, "nope")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", a.PROJECTIONS)
def test_projection_alone_loads_the_same_facts_as_the_shared_context(projections, memory_store, name):
    # `kg analyze` projects without a shared context and loads only the facts of its own nodes
    alone, shared = a.project(memory_store, name), projections[name]
    assert alone.number_of_nodes() == shared.number_of_nodes() > 0
    assert dict(alone.nodes(data=True)) == dict(shared.nodes(data=True))
    assert sorted(alone.edges(data=True), key=repr) == sorted(shared.edges(data=True), key=repr)


def test_context_of_some_things_holds_only_them(memory_store):
    ctx = a.GraphContext.load(memory_store, [TRUMP])
    assert set(ctx.labels) == {TRUMP} and set(ctx.evidence) <= {TRUMP}
    assert ctx.labels[TRUMP] == "Donald Trump" and ctx.evidence[TRUMP]


@pytest.mark.parametrize("name", a.PROJECTIONS)
def test_projection_without_evidence_then_attached_equals_the_full_projection(projections, memory_store, name):
    # kg analyze and the views project without quotes, then load them for what they show
    bare = a.project(memory_store, name, evidence=False)
    full = projections[name]
    assert sorted(bare.nodes) == sorted(full.nodes) and bare.number_of_edges() == full.number_of_edges()
    assert all(d["evidence"] == [] for _, d in bare.nodes(data=True))
    assert all(d.get("evidence") == [] for _, _, d in bare.edges(data=True))
    # the sources are there without the quotes
    assert {n: d["sources"] for n, d in bare.nodes(data=True)} == {n: d["sources"] for n, d in full.nodes(data=True)}
    a.attach_evidence(memory_store, bare)
    assert dict(bare.nodes(data=True)) == dict(full.nodes(data=True))
    assert sorted(bare.edges(data=True), key=repr) == sorted(full.edges(data=True), key=repr)


def test_attach_evidence_to_some_nodes_only(memory_store):
    g = a.project(memory_store, "pressure", evidence=False)
    tariff = str(RES["trump-tariff-threat-2019"])
    a.attach_evidence(memory_store, g, [tariff])
    edge = g.edges[TRUMP, MEXICO]
    item = next(p for p in edge["pressures"] if p["pressure"] == tariff)
    assert item["evidence"] and all(e["file"] in item["sources"] for e in item["evidence"])
    assert all(p["evidence"] == [] for p in edge["pressures"] if p["pressure"] != tariff)
    assert g.nodes[TRUMP]["evidence"] == []  # not asked for


def test_timeline_figure_draws_each_source_as_precisely_as_it_dates():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from kg import timeline

    events = [{"thing": "t", "label": "Tariff threat", "class": "Pressure", "date": "2019-05-30", "file": "a.txt"},
              {"thing": "t", "label": "Tariff threat", "class": "Pressure", "date": "2019-05", "file": "b.txt"},
              {"thing": "d", "label": "Joint declaration", "class": "Agreement", "date": "2019", "file": "a.txt"},
              {"thing": "x", "label": "A statistic", "class": "Statistic", "date": "2019", "file": "a.txt"}]
    fig = timeline.figure(events, titles={"a.txt": "First"}, zoom=("2019-01-01", "2019-12-31"))
    whole, zoom = fig.axes
    assert [t.get_text() for t in whole.get_yticklabels()] == ["Pressure: Tariff threat", "Agreement: Joint declaration"]
    lines = whole.get_lines()
    dots = [ln for ln in lines if ln.get_marker() == "o"]
    bars = [ln for ln in lines if ln.get_linestyle() == "-" and ln.get_linewidth() == 5]
    assert len(dots) == 1 and len(bars) == 2          # a day is a dot; a month and a year are bars
    assert sorted(round(b.get_alpha(), 2) for b in bars) == [0.35, 0.9]
    with pytest.raises(ValueError):
        timeline.figure(events[3:])
