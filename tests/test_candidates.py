"""Named queries with unreviewed candidates (``kg build --with-candidates``, read with
``--with-candidates``): the golden corpus plus one candidate file written by hand
(tests/fixtures/candidates/003_caravan.*). Expected rows are written from that text and its
entries; the curated rows are the golden answers of tests/golden/, unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_kg
from test_golden import FIXTURE, GOLDEN, RES, query_csv, read_csv

from kg.errors import StoreError
from kg.store import open_store

CANDIDATES = Path(__file__).resolve().parent / "fixtures" / "candidates"
STORES = ["memory", "oxigraph"]

#: The candidate pressure as its sentence gives it: every value rests on the candidate alone.
AID_THREAT = [RES + "aid-cut-threat-2018", "threat to cut aid to Honduras", "Donald Trump (unreviewed)",
              "Honduras (unreviewed)", "", "THREATEN (unreviewed)", "stop the caravan (unreviewed)",
              "issued (unreviewed)", "2018-10 (unreviewed)", "003_caravan (unreviewed)"]
#: The accepted-looking number of the candidate file (its rejected second reading, 5000, is left out).
POLICE = [RES + "stat-police-officers", "federal police officers at the Suchiate", "500", "", "people",
          "federal police officers sent to the Suchiate River", "Mexico (unreviewed)", "", "unreviewed",
          "003_caravan (unreviewed)", "003_caravan.txt", "Mexico sent 500 federal police officers to the Suchiate River"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    from kg.pipeline import run_build

    out = tmp_path_factory.mktemp("candidates") / "build"
    summary = run_build(FIXTURE, out, store="oxigraph", views=False, candidates=CANDIDATES)
    assert "SHACL: conforms" in summary and "with candidates:" in summary, summary
    return out


@pytest.fixture(scope="module")
def stores(out):
    opened = {(kind, c): open_store(kind, out, candidates=c) for kind in STORES for c in (False, True)}
    yield opened
    for store in opened.values():
        store.close()


def golden(case: str) -> list[list[str]]:
    return read_csv((GOLDEN / f"{case}.csv").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", STORES)
def test_candidates_join_the_named_queries_marked_unreviewed(stores, kind):
    got = query_csv(stores[(kind, True)], "who-pressured-whom", {})
    expected = golden("who-pressured-whom")
    assert got == [expected[0], AID_THREAT] + expected[1:]  # 2018-10 sorts first
    got = query_csv(stores[(kind, True)], "statistics", {})
    assert got == golden("statistics") + [POLICE]  # 003_caravan.txt sorts last
    assert not any("5000" in row for row in got)


@pytest.mark.parametrize("kind", STORES)
def test_a_value_a_curated_document_also_gives_stays_plain(stores, kind):
    """The candidate dates the National Guard deployment June 2019, as a curated text does: that
    date stays plain; the candidate document joins the sources, marked."""
    rows = {r[0]: r for r in query_csv(stores[(kind, True)], "policies", {})[1:]}
    guard = rows[RES + "guard-deployment"]
    assert guard[6] == "2019-06 | 2019-06-07"
    assert guard[7] == ("003_caravan (unreviewed) | From Visas to Checkpoints (002_visas) | "
                        "Tariff Threat Brings Mexico to the Table (001_tariff)")


@pytest.mark.parametrize("kind", STORES)
@pytest.mark.parametrize("case", ["who-pressured-whom", "statistics", "policies", "single-source"])
def test_without_the_flag_the_answers_are_the_curated_ones(stores, kind, case):
    assert query_csv(stores[(kind, False)], case, {}) == golden(case)


def test_a_build_without_candidates_says_so(tmp_path):
    from kg.build import build

    build(FIXTURE, tmp_path / "b")
    with pytest.raises(StoreError, match="no candidates; run 'kg build --with-candidates DIR'"):
        open_store("auto", tmp_path / "b", candidates=True)
    with pytest.raises(StoreError, match="reads a local build"):
        open_store("sparql", tmp_path / "b", endpoint="http://127.0.0.1:9/sparql", candidates=True)


def test_cli_with_candidates(out, tmp_path):
    r = run_kg("query", "who-pressured-whom", "--data", str(out), "--with-candidates", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert read_csv(r.stdout)[1] == AID_THREAT
    r = run_kg("query", "who-pressured-whom", "--data", str(out), "--format", "csv")
    assert r.returncode == 0 and read_csv(r.stdout) == golden("who-pressured-whom"), r.stderr
    from kg.build import build

    build(FIXTURE, tmp_path / "plain")
    r = run_kg("query", "actors", "--data", str(tmp_path / "plain"), "--with-candidates")
    assert r.returncode != 0 and r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and "no candidates" in r.stderr, r.stderr


@pytest.mark.parametrize("kind", STORES)
def test_single_source_counts_a_candidate_document_as_a_source(stores, kind):
    """A candidate thing is a statement of its class (the catalogue's RDFS closure) with one source."""
    mkg = "https://w3id.org/migration-kg/ontology#"
    expected = golden("single-source")
    aid = [RES + "aid-cut-threat-2018", "threat to cut aid to Honduras", mkg + "Pressure", "003_caravan (unreviewed)"]
    police = [RES + "stat-police-officers", "federal police officers at the Suchiate", mkg + "Statistic",
              "003_caravan (unreviewed)"]
    # ORDER BY ?class ?label: "US pressure…" < "threat…" and "daily…" < "federal…" < "threatened…" by code point
    assert query_csv(stores[(kind, True)], "single-source", {}) == \
        expected[:6] + [aid] + expected[6:7] + [police] + expected[7:]
