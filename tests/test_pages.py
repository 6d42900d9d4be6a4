"""The page index an Oxigraph build leaves beside its store (kg.store.pages): a page read through
it holds exactly the rows of the full answer's slice, a store made anew ignores an index that is
not its own, and a query whose key runs come back is not indexed."""

from __future__ import annotations

import json
import shutil

import pytest
from rdflib import BNode, Literal, URIRef

from kg import named_queries as q
from kg.store.oxigraph import OxigraphStore, build_oxigraph
from kg.store.pages import PageIndex, index_dir, runs

INDEXED = sorted(n for n, nq in q.catalogue().items() if nq.page_key)


@pytest.fixture(scope="module")
def store_dir(seed_out, tmp_path_factory):
    return build_oxigraph(seed_out / "dataset.nq", tmp_path_factory.mktemp("pages") / "oxigraph")


def test_the_catalogue_declares_page_keys_that_its_queries_project():
    assert INDEXED == ["policies", "single-source", "statistics", "timeline", "who-pressured-whom"]
    for name in INDEXED:
        nq = q.get_query(name)
        assert set(nq.page_key) <= set(nq.parsed.projected), name


@pytest.mark.parametrize("name", INDEXED)
def test_an_indexed_page_is_the_slice_of_the_full_answer(store_dir, name):
    store = OxigraphStore(store_dir, read_only=True)
    parsed = q.get_query(name).parsed
    assert store.pages.entry(parsed) is not None      # the build indexed it
    every = store.query(parsed).rows
    assert len(every) > 20
    for limit in (1, 7, 50):
        for offset in [*range(0, len(every) + limit, limit), len(every) + 3]:
            page = store.page(parsed, limit=limit, offset=offset)
            assert (page.rows, page.total, page.offset) == (every[offset:offset + limit], len(every), offset)
    store.close()


def test_a_page_with_a_parameter_does_not_read_the_index(store_dir, monkeypatch):
    store = OxigraphStore(store_dir, read_only=True)
    parsed = q.get_query("statistics").parsed
    doc = store.query("SELECT ?d WHERE { ?d a mkg:Document } ORDER BY ?d LIMIT 1").rows[0][0]
    monkeypatch.setattr(PageIndex, "page", lambda *a, **k: pytest.fail("index read for a bound query"))
    every = store.query(parsed, {"document": doc}).rows
    page = store.page(parsed, {"document": doc}, limit=2, offset=1)
    assert page.rows == every[1:3] and page.total == len(every)
    store.close()


def test_a_store_made_anew_ignores_the_index_of_another(store_dir, seed_out, tmp_path):
    other = build_oxigraph(seed_out / "dataset.nq", tmp_path / "oxigraph")
    shutil.rmtree(index_dir(other))
    shutil.copytree(index_dir(store_dir), index_dir(other))   # the same answers, another database
    store = OxigraphStore(other, read_only=True)
    parsed = q.get_query("single-source").parsed
    assert store.pages.entry(parsed) is None
    every = store.query(parsed).rows
    assert store.page(parsed, limit=5, offset=5).rows == every[5:10]
    store.close()


def test_a_damaged_index_file_is_not_read(store_dir, seed_out, tmp_path):
    other = build_oxigraph(seed_out / "dataset.nq", tmp_path / "oxigraph")
    for f in index_dir(other).iterdir():
        f.write_text("{not json", encoding="utf-8")
    store = OxigraphStore(other, read_only=True)
    parsed = q.get_query("policies").parsed
    assert store.pages.entry(parsed) is None
    assert store.page(parsed, limit=3).rows == store.query(parsed).rows[:3]
    store.close()


def test_a_query_whose_key_returns_is_not_indexed(seed_out, tmp_path):
    # ordered by label first, one document's statistics come back after another's: not runs
    text = ("# page-key: file\nPREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n"
            "SELECT ?file ?label WHERE { GRAPH ?d { ?s mkg:value ?v } ?s <http://www.w3.org/2000/01/rdf-schema#label> "
            "?label . ?d mkg:fileName ?file } ORDER BY ?label ?file")
    scattered = q.parse_query_file(tmp_path / "scattered.rq", text)
    grouped = q.parse_query_file(tmp_path / "grouped.rq", text.replace("ORDER BY ?label ?file", "ORDER BY ?file ?label"))
    out = build_oxigraph(seed_out / "dataset.nq", tmp_path / "oxigraph", queries=[scattered, grouped])
    files = [json.loads(f.read_text(encoding="utf-8"))["query"] for f in index_dir(out).iterdir()]
    assert files == ["grouped"]


def test_runs_need_bound_named_keys_in_one_place_each():
    a, b = URIRef("urn:a"), URIRef("urn:b")
    assert runs(["k", "v"], [(a, Literal(1)), (a, Literal(2)), (b, Literal(3))], ("k",)) == ([(a,), (b,)], [2, 1])
    assert runs(["k", "v"], [(a, Literal(1)), (b, Literal(2)), (a, Literal(3))], ("k",)) is None
    assert runs(["k"], [(a,), (None,)], ("k",)) is None
    assert runs(["k"], [(BNode("x"),)], ("k",)) is None
    assert runs(["k"], [(a,)], ("other",)) is None


def test_a_bad_page_key_line_names_its_file_and_line(tmp_path):
    from kg.errors import QueryError

    with pytest.raises(QueryError) as err:
        q.parse_query_file(tmp_path / "bad.rq", "# title: t\n# page-key: ?a b-c\nSELECT ?a WHERE { ?a ?b ?c }")
    assert str(err.value).startswith(f"{tmp_path / 'bad.rq'}:2: bad page-key line")
