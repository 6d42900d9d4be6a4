"""Store stage: one suite run unchanged against every store — rdflib memory, on-disk Oxigraph, and
SPARQL over HTTP (a private Virtuoso loaded with ``kg push``, and ``kg serve``'s endpoint). Every
named query must give the same rows everywhere."""

from __future__ import annotations

import http.server
import os
import threading
import time
from decimal import Decimal

import pytest
from rdflib import XSD, Literal, URIRef

from helpers import names, run_kg
from kg import query as q
from kg.errors import KGError, QueryError, QueryTimeout, StoreError
from kg.sparql import parse
from kg.store import QueryResult, open_store
from kg.store.base import OrderKey, decode_term, order_value, sort_rows
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore, build_oxigraph, encode_oxigraph
from kg.vocab import RES

STORES = ["memory", "oxigraph", pytest.param("sparql-virtuoso", marks=pytest.mark.virtuoso), "sparql-kg-serve"]
DOCUMENT = "002_2cdf664f68f1b5a3"  # the tariff-threat article: dates, numbers and statements

# a value for each parameter, by (query, parameter) or by parameter
SAMPLE = {"actor": "donald-trump", "target": "mexico", "party": "mexico", "thing": "trump-tariff-threat-2019",
          "pressure": "trump-tariff-threat-2019", "document": DOCUMENT}
SAMPLE_BY_QUERY = {("actors", "class"): "mkg:Person", ("single-source", "class"): "mkg:Pressure",
                   ("policies", "actor"): "mexico", ("policy-reversals", "actor"): "andres-manuel-lopez-obrador"}


SAMPLE_BY_KIND = {"thing": "mexico", "document": DOCUMENT, "iri": "mkg:Pressure", "integer": "1",
                  "date": "2019", "literal": "Mexico"}


def sample(query: str, param) -> str:
    if (query, param.name) in SAMPLE_BY_QUERY:
        return SAMPLE_BY_QUERY[(query, param.name)]
    return SAMPLE.get(param.name, SAMPLE_BY_KIND[param.kind])


def cases() -> list[tuple[str, dict[str, str]]]:
    """Every catalogue query with its required parameters, then once with each optional one."""
    out = []
    for name, nq in q.catalogue().items():
        required = {p.name: sample(name, p) for p in nq.params if p.required}
        out.append((name, required))
        for p in nq.params:
            if not p.required:
                out.append((name, {**required, p.name: sample(name, p)}))
    return out


CASES = cases()


def case_id(case) -> str:
    name, params = case
    return name + "".join(f"-{k}" for k in params)


@pytest.fixture(scope="session")
def oxigraph_dir(seed_out, tmp_path_factory):
    return build_oxigraph(seed_out / "dataset.nq", tmp_path_factory.mktemp("ox") / "oxigraph")


@pytest.fixture(scope="session")
def kg_serve(seed_out, oxigraph_dir):
    """``kg serve``'s endpoint (guard + Oxigraph server) on the seed build, in this process."""
    import shutil

    from kg import server

    data = oxigraph_dir.parent
    shutil.copy(seed_out / "dataset.nq", data / "dataset.nq")
    endpoint = server.start(data, port=0, limits=server.Limits(timeout_s=30)).serve_in_thread()
    yield endpoint
    endpoint.stop()


@pytest.fixture(params=STORES)
def store(request, memory_store, oxigraph_dir):
    if request.param == "memory":
        yield memory_store
        return
    if request.param == "oxigraph":
        st = OxigraphStore(oxigraph_dir, read_only=True)
    elif request.param == "sparql-virtuoso":
        st = open_store("sparql", endpoint=request.getfixturevalue("virtuoso").endpoint)
    else:
        st = open_store("sparql", endpoint=request.getfixturevalue("kg_serve").url)
    yield st
    st.close()


def norm(term):
    """A comparable value: numbers by value, ' | ' lists sorted, other terms by text and type."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return ("number", Decimal(str(value)).normalize())
        text = str(term)
        if " | " in text:
            text = " | ".join(sorted(text.split(" | ")))
        return ("literal", text, str(term.datatype or ""), term.language or "")
    return (type(term).__name__, str(term))


def normalised(result) -> list[tuple]:
    return sorted((tuple(norm(t) for t in row) for row in result.rows), key=repr)


@pytest.fixture(scope="session")
def reference(memory_store):
    """The memory store's answers, computed once per case."""
    cache = {}

    def get(name, params):
        key = (name, tuple(sorted(params.items())))
        if key not in cache:
            cache[key] = q.run(memory_store, name, params)
        return cache[key]
    return get


def records(store, name, **params):
    return q.to_records(q.run(store, name, params))


# --- the same answers everywhere --------------------------------------------------------------


@pytest.fixture(scope="session")
def reference_projections(memory_store):
    from kg import analysis

    return {name: analysis.project(memory_store, name) for name in analysis.PROJECTIONS}


def _edges(g):
    if g.is_multigraph():
        return sorted(((u, v, k, repr(d)) for u, v, k, d in g.edges(keys=True, data=True)))
    if not g.is_directed():  # an undirected edge is reported from whichever end came first
        return sorted((*sorted((u, v)), repr(d)) for u, v, d in g.edges(data=True))
    return sorted(((u, v, repr(d)) for u, v, d in g.edges(data=True)))


@pytest.mark.parametrize("name", ["full", "pressure", "policy", "agreements"])
def test_projection_is_the_same_on_every_store(store, reference_projections, name):
    # every analysis starts from a projection: same nodes, edges, attributes and quotes everywhere
    from kg import analysis

    g, ref = analysis.project(store, name), reference_projections[name]
    assert dict(g.nodes(data=True)) == dict(ref.nodes(data=True))
    assert _edges(g) == _edges(ref)
    bare = analysis.project(store, name, evidence=False)
    assert _edges(analysis.attach_evidence(store, bare)) == _edges(ref)


def test_analyses_give_the_same_answers_on_every_store(store, memory_store):
    from kg import analysis

    for fn in (analysis.who_pressured_whom, analysis.disagreements, analysis.single_source):
        assert fn(store) == fn(memory_store), fn.__name__
    assert analysis.timeline_of(store, "Donald Trump") == analysis.timeline_of(memory_store, "Donald Trump")

@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_named_query_gives_the_same_rows_on_every_store(store, reference, case):
    name, params = case
    expected = reference(name, params)
    got = q.run(store, name, params)
    assert got.vars == expected.vars
    assert expected.rows, f"{name} {params} has no rows on the seed graph: pick a better sample"
    got_rows, expected_rows = normalised(got), normalised(expected)
    if got_rows != expected_rows:  # a short message: pytest's own diff of long lists is very slow
        missing = [r for r in expected_rows if r not in got_rows][:2]
        extra = [r for r in got_rows if r not in expected_rows][:2]
        pytest.fail(f"{len(got_rows)} rows against {len(expected_rows)}; missing {missing}; extra {extra}")


def test_every_catalogue_query_and_parameter_is_covered():
    covered = {(name, p) for name, params in CASES for p in params} | {(name, None) for name, _ in CASES}
    for name, nq in q.catalogue().items():
        assert (name, None) in covered
        assert all((name, p.name) in covered for p in nq.params)


def test_who_pressured_whom_has_trump_tariff_threat_on_mexico(store):
    rows = records(store, "who-pressured-whom")
    hit = [r for r in rows if "Donald Trump" in names(r["exertedBy"]) and "Mexico" in names(r["targets"])
           and "tariff threat" in names(r["instrument"])]
    assert hit and any(r["pressure"] == str(RES["trump-tariff-threat-2019"]) for r in hit)
    assert any("THREATEN" in r["type"] for r in hit)


def test_bound_parameters_restrict_rows(store):
    everything = records(store, "who-pressured-whom")
    by_trump = records(store, "who-pressured-whom", actor="Trump")
    assert by_trump and len(by_trump) < len(everything)
    assert all("Donald Trump" in r["exertedBy"].split(" | ") for r in by_trump)
    both = records(store, "who-pressured-whom", actor="donald-trump", target="Mexico")
    assert both and all("Donald Trump" in r["exertedBy"] and "Mexico" in r["targets"].split(" | ") for r in both)
    assert len(both) < len(by_trump)


def test_parameter_text_is_bound_never_pasted(store):
    sparql = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n'
              'SELECT ?thing WHERE { ?thing rdfs:label ?name }')
    for evil in ['x" } ; DROP ALL ; SELECT * { "', "x' . ?thing ?p ?o } #", 'Mexico\\" }', "a\nb}\u2028"]:
        assert q.run(store, sparql, {"name": evil}).rows == []
    assert q.run(store, sparql, {"name": "Mexico"}).rows == [(RES["mexico"],)]


def test_plain_strings_and_typed_numbers(store):
    labels = q.run(store, "SELECT ?l WHERE { <%s> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
                   % RES["mexico"]).rows
    assert labels == [(Literal("Mexico"),)] and labels[0][0].datatype is None
    stats = q.run(store, "statistics")
    values = [row[stats.vars.index("value")] for row in stats.rows]
    assert values and all(isinstance(v, Literal) and v.datatype in (XSD.decimal, XSD.integer, XSD.double)
                          for v in values)


def test_ask_and_construct(store):
    assert store.query("ASK { ?s a <https://w3id.org/migration-kg/ontology#Pressure> }").boolean is True
    assert store.query("ASK { ?s a <urn:nothing> }").boolean is False
    triples = store.query("CONSTRUCT { ?s <urn:label> ?l } WHERE { "
                          "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 5").rows
    assert len(triples) == 5 and all(p == URIRef("urn:label") for _, p, _ in triples)


def test_named_graphs_tell_the_source(store):
    rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?p <https://w3id.org/migration-kg/ontology#exertedBy> "
                       "<https://w3id.org/migration-kg/id/donald-trump> } }").rows
    assert rows and all(str(g).startswith(str(RES["doc/"])) for (g,) in rows)


def test_malformed_sparql_is_a_query_error(store):
    with pytest.raises(QueryError) as err:
        q.run(store, "SELECT * WHERE { ?s ?p }")
    assert "\n" not in str(err.value)


# --- opening stores by name -----------------------------------------------------------------------

def test_open_store_by_name(seed_out, tmp_path):
    import shutil

    assert isinstance(open_store("memory", seed_out), MemoryStore)
    with pytest.raises(StoreError, match="kg build --store oxigraph"):
        open_store("oxigraph", tmp_path)
    with pytest.raises(StoreError, match="needs an endpoint"):
        open_store("sparql", seed_out)
    with pytest.raises(StoreError, match="unknown store"):
        open_store("nosuch", seed_out)
    shutil.copy(seed_out / "dataset.nq", tmp_path / "dataset.nq")
    built = build_oxigraph(tmp_path / "dataset.nq", tmp_path / "oxigraph")
    stamp = {p: p.stat().st_mtime_ns for p in built.iterdir()}
    first = open_store("oxigraph", tmp_path)
    second = open_store("oxigraph", tmp_path)  # read-only: two readers at once
    assert records(first, "actors") == records(second, "actors")
    first.close()
    second.close()
    assert {p: p.stat().st_mtime_ns for p in built.iterdir() if p in stamp} == stamp


def test_oxigraph_binds_by_substitution(oxigraph_dir):
    """Parameters go to pyoxigraph as substitutions, not into the text (nor via rdflib)."""
    st = OxigraphStore(oxigraph_dir, read_only=True)
    st.timeout = None  # in this process, so that the spy sees the calls (a time limit runs them in a child)
    calls = []
    real = st.store

    class Spy:
        def query(self, sparql, **kwargs):
            calls.append((sparql, kwargs))
            return real.query(sparql, **kwargs)

    st.store = Spy()
    text = "SELECT ?actor ?label WHERE { ?actor rdfs:label ?label } ORDER BY ?label"
    rows = q.run(st, text, {"actor": "res:donald-trump"}).rows
    assert [str(r[1]) for r in rows] == ["Donald Trump"]
    sparql, kwargs = calls[-1]
    # the text is the query's, less the final ORDER BY that the store applies itself
    assert sparql == parse(text).unordered
    assert {str(k.value): v.value for k, v in kwargs["substitutions"].items()} == {"actor": str(RES["donald-trump"])}
    # a parameter the query does not project cannot be substituted: it is bound by VALUES
    assert records(st, "actor-activity", actor="donald-trump")
    assert "VALUES ?actor" in calls[-1][0]


def test_the_forked_child_queries_the_open_store(oxigraph_dir, monkeypatch):
    """A query with a time limit runs in a child that uses the parent's open store: it does not
    open the store again (its caches would be cold)."""
    import pyoxigraph as ox

    st = OxigraphStore(oxigraph_dir, read_only=True)

    def refuse(*_args, **_kwargs):
        raise OSError("opened again")
    monkeypatch.setattr(ox.Store, "read_only", staticmethod(refuse))
    rows = q.run(st, "SELECT ?label WHERE { res:donald-trump rdfs:label ?label }", timeout=30).rows
    assert [str(r[0]) for r in rows] == ["Donald Trump"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_one_query_process_stays_until_a_time_limit_or_close(oxigraph_dir):
    """On a read-only Oxigraph store one process answers query after query; an error leaves it,
    a query past its time limit or cut short ends it (the next query gets a new one), close() too."""
    st = OxigraphStore(oxigraph_dir, read_only=True)
    label = "SELECT ?label WHERE { res:donald-trump rdfs:label ?label }"
    assert [str(r[0]) for r in q.run(st, label, timeout=30).rows] == ["Donald Trump"]
    first = st._query_worker._process.pid
    assert [str(r[0]) for r in q.run(st, label, timeout=30).rows] == ["Donald Trump"]
    with pytest.raises(QueryError):
        st.query("SELECT ?x WHERE { BIND(<no-such-function>(1) AS ?x) }", timeout=30)
    assert st._query_worker._process.pid == first
    with pytest.raises(QueryTimeout):
        st.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=0.5)
    assert not _alive(first) and st._query_worker._process is None
    every = st.query("SELECT ?s ?o WHERE { ?s rdfs:label ?o }", timeout=30).rows
    second = st._query_worker._process.pid
    names, rows = st.stream("SELECT ?s ?o WHERE { ?s rdfs:label ?o }", timeout=30)
    next(rows)
    rows.close()  # a reader that stops early: the process is still writing, so it goes
    assert not _alive(second)
    assert st.query("SELECT ?s ?o WHERE { ?s rdfs:label ?o }", timeout=30).rows == every
    third = st._query_worker._process.pid
    st.close()
    assert third != second and not _alive(third)


def test_threads_querying_one_store_with_and_without_forks(oxigraph_dir):
    """Threads that fork children (time limit) and threads reading rows here (no limit) share one
    open store: every query ends, with its whole answer."""
    st = OxigraphStore(oxigraph_dir, read_only=True)
    text = "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"
    expected = len(q.run(st, text, timeout=None).rows)
    counts: list[int] = []
    errors: list[BaseException] = []

    def work(timeout):
        try:
            for _ in range(8):
                counts.append(len(q.run(st, text, timeout=timeout).rows))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(t,), daemon=True) for t in (30, 30, None, None)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not [t for t in threads if t.is_alive()] and not errors
    assert counts == [expected] * 32


def test_cli_reopens_oxigraph_store_without_rebuilding(tmp_path):
    from helpers import MINI

    out = tmp_path / "build"
    built = run_kg("build", "--seeds", str(MINI), "--out", str(out), "--store", "oxigraph", "--no-views")
    assert built.returncode == 0, built.stderr
    (out / "dataset.nq").rename(out / "moved.nq")  # the store alone must answer
    res = run_kg("query", "who-pressured-whom", "--store", "oxigraph", "--data", str(out), "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert "Donald Trump" in res.stdout and "tariff threat" in res.stdout


# --- the sparql store's errors --------------------------------------------------------------------

class _Fake(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        if "slow" in self.path:
            time.sleep(2)
        status, body, ctype = {
            "/html500": (500, b"<html><body><h1>Internal Error</h1><p>disk full</p></body></html>", "text/html"),
            "/bad400": (400, b"Virtuoso 37000 Error SP030: syntax error\n\nSPARQL query:\n...", "text/plain"),
            "/weird": (200, b"hello", "image/png"),
            "/broken": (200, b'{"head": {"vars": ["x"]}, "results": {"bindings": [', "application/sparql-results+json"),
        }.get(self.path.split("?")[0], (200, b'{"boolean": true}', "application/sparql-results+json"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass


@pytest.fixture(scope="module")
def fake_endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path, kind, pattern", [
    ("/html500", StoreError, r"answered HTTP 500: Internal Error disk full$"),
    ("/bad400", QueryError, r"malformed SPARQL \(endpoint says: Virtuoso 37000 Error SP030"),
    ("/weird", StoreError, r"unexpected content type 'image/png'"),
    ("/broken", StoreError, r"malformed JSON results"),
    ("/slow", QueryTimeout, r"query stopped: it ran past the time limit of 0.5 s"),
])
def test_sparql_store_errors_are_one_line(fake_endpoint, path, kind, pattern):
    st = open_store("sparql", endpoint=fake_endpoint + path, timeout=0.5)
    with pytest.raises(kind, match=pattern) as err:
        st.query("ASK {}")
    assert "\n" not in str(err.value)
    st.close()


def test_sparql_store_unreachable_and_bad_url():
    from kg.server import free_port

    st = open_store("sparql", endpoint=f"http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(StoreError, match="cannot reach SPARQL endpoint .*: connection refused$"):
        st.query("ASK {}")
    with pytest.raises(StoreError, match="not an http"):
        open_store("sparql", endpoint="ftp://example.org/sparql")


def test_cli_query_endpoint_errors_are_one_line():
    from kg.server import free_port

    res = run_kg("query", "actors", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql")
    assert res.returncode == 1
    assert res.stderr.startswith("error: cannot reach SPARQL endpoint") and res.stderr.count("\n") == 1


def test_long_queries_are_posted_as_a_form(fake_endpoint):
    """Long queries go as a form-encoded POST (never a raw body, which hangs Virtuoso)."""
    seen = {}

    class Recorder(_Fake):
        def do_POST(self):  # noqa: N802
            seen["ctype"] = self.headers["Content-Type"]
            seen["body"] = self.rfile.read(int(self.headers["Content-Length"]))
            self.path = "/"
            self.do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        st = open_store("sparql", endpoint=f"http://127.0.0.1:{server.server_address[1]}/sparql")
        assert st.query("ASK { ?s ?p ?o }" + " " * 3000 + "#" + "x" * 100).boolean is True
        assert seen["ctype"] == "application/x-www-form-urlencoded" and seen["body"].startswith(b"query=")
    finally:
        server.shutdown()
        server.server_close()


# --- Virtuoso through the console command -----------------------------------------------------------

@pytest.mark.virtuoso
def test_kg_push_loaded_every_named_graph(virtuoso, seed_result):
    assert "verified by counting" in virtuoso.push_output
    st = open_store("sparql", endpoint=virtuoso.endpoint)
    graphs = {str(g): int(n) for g, n in st.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/migration-kg/')) } GROUP BY ?g").rows}
    expected = {}
    for ctx in seed_result.dataset.graphs():
        if len(ctx) and str(ctx.identifier).startswith("https://w3id.org/migration-kg/"):
            expected[str(ctx.identifier)] = len(ctx)
    assert graphs == expected
    st.close()


@pytest.mark.virtuoso
def test_kg_push_again_replaces_not_duplicates(virtuoso, seed_out):
    before = open_store("sparql", endpoint=virtuoso.endpoint).query("SELECT (COUNT(*) AS ?n) WHERE { "
                                                                  "GRAPH ?g { ?s ?p ?o } }").rows
    res = run_kg("push", "--endpoint", virtuoso.endpoint, "--data", str(seed_out), "--user", "dba",
                 "--password", "dba")
    assert res.returncode == 0, res.stderr
    after = open_store("sparql", endpoint=virtuoso.endpoint).query("SELECT (COUNT(*) AS ?n) WHERE { "
                                                                 "GRAPH ?g { ?s ?p ?o } }").rows
    assert before == after


@pytest.mark.virtuoso
def test_kg_push_needs_credentials_and_anonymous_endpoint_stays_read_only(virtuoso, seed_out):
    res = run_kg("push", "--endpoint", virtuoso.endpoint, "--data", str(seed_out))
    assert res.returncode == 1 and "give --user and --password" in res.stderr and res.stderr.count("\n") == 1
    st = open_store("sparql", endpoint=virtuoso.endpoint, build_dataset=False)  # the server's own view
    with pytest.raises(KGError):
        st.query("INSERT DATA { GRAPH <urn:kg:test> { <urn:a> <urn:b> <urn:c> } }")
    assert st.query("ASK { GRAPH <urn:kg:test> { ?s ?p ?o } }").boolean is False


@pytest.mark.virtuoso
def test_cli_query_on_virtuoso(virtuoso):
    import json

    res = run_kg("query", "who-pressured-whom", "--endpoint", virtuoso.endpoint, "-p", "actor=Donald Trump",
                 "--format", "json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert any("Mexico" in r["targets"].split(" | ") and "tariff threat" in r["instrument"] for r in rows)
    assert rows and all("Donald Trump" in r["exertedBy"].split(" | ") for r in rows)


@pytest.mark.virtuoso
def test_cli_analyze_on_virtuoso_matches_memory(virtuoso, seed_out):
    import json

    local = run_kg("analyze", "who", "--format", "json", "--data", str(seed_out))
    remote = run_kg("analyze", "who", "--format", "json", "--endpoint", virtuoso.endpoint)
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)


@pytest.fixture
def writable_oxigraph(tmp_path):
    """A read-write ``oxigraph serve`` on an empty store: a generic SPARQL server to push to."""
    import subprocess

    import requests

    from kg.server import free_port, oxigraph_binary

    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "db"),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=1)
            break
        except requests.exceptions.RequestException:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_push_to_a_generic_server_by_gsp_or_update(writable_oxigraph, seed_out, seed_result, protocol):
    from kg.push import push

    from kg.vocab import UNION_GRAPH

    report = push(seed_out, writable_oxigraph, protocol=protocol, batch_size=500)
    expected = {str(c.identifier): len(c) for c in seed_result.dataset.graphs() if len(c)
                and str(c.identifier).startswith("https://w3id.org/migration-kg/")}
    assert report.graphs == {**expected, str(UNION_GRAPH): len(seed_result.dataset.default_graph)}
    assert report.protocol == protocol
    st = open_store("sparql", endpoint=writable_oxigraph)
    graphs = {str(g): int(n) for g, n in st.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows}
    assert graphs == expected
    push(seed_out, writable_oxigraph, protocol=protocol)  # again: graphs replaced, not doubled
    assert {str(g): int(n) for g, n in st.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows} == expected
    # the blank nodes of the ontology's OWL axioms arrive whole
    assert st.query("ASK { GRAPH ?g { ?x a <http://www.w3.org/2002/07/owl#AllDisjointClasses> ; "
                    "<http://www.w3.org/2002/07/owl#members> ?list } }").boolean is True


# --- ORDER BY applied by the Oxigraph store -------------------------------------------------------

@pytest.mark.parametrize("name", [n for n, nq in q.catalogue().items() if nq.parsed.order])
def test_oxigraph_client_side_order_matches_the_engine(oxigraph_dir, name):
    """Sorting decoded rows gives the order Oxigraph's own ORDER BY gives (compared on the keys:
    rows with equal keys may come in any order)."""
    nq = q.catalogue()[name]
    params = {p.name: sample(name, p) for p in nq.params if p.required}
    st = OxigraphStore(oxigraph_dir, read_only=True)
    ours = q.run(st, name, params)
    import pyoxigraph as ox

    from kg.store.oxigraph import to_oxigraph

    from kg.sparql import with_values

    bound = q.bind_params(st, nq, params)
    inline = {k: v for k, v in bound.items() if k not in nq.parsed.projected}
    subs = {ox.Variable(k): to_oxigraph(v) for k, v in bound.items() if k not in inline}
    engine = st.store.query(with_values(nq.parsed, inline), substitutions=subs)  # with the engine's own ORDER BY
    names = [v.value for v in engine.variables]
    engine_rows = [tuple(decode_term(encode_oxigraph(sol[v])) if sol[v] is not None else None for v in names)
                   for sol in engine]
    keys = [k for k in nq.parsed.order if k.var not in nq.parsed.hidden]  # both sorted by the hidden ones first

    def key_seq(vars_, rows):
        idx = [vars_.index(k.var) for k in keys]
        def value(term):  # "" is how GROUP_CONCAT of nothing reads; lists compared as sets
            if term is None or (isinstance(term, Literal) and " | " in term):
                return Literal(" | ".join(sorted(str(term or "").split(" | ")))) if term else None
            return None if term == Literal("") else term
        return [tuple(order_value(value(row[i]), k.as_string) for i, k in zip(idx, keys)) for row in rows]
    assert len(ours.rows) == len(engine_rows) > 0
    assert key_seq(ours.vars, ours.rows) == key_seq(names, engine_rows)


def test_sort_rows_follows_sparql_order():
    rows = [(Literal(10),), (None,), (Literal(9),), (URIRef("urn:b"),), (Literal("a"),), (Literal("2019-06-07", datatype=XSD.date),),
            (Literal("2019", datatype=XSD.gYear),)]
    asc = sort_rows(["x"], rows, [OrderKey("x")])
    assert asc == [(None,), (URIRef("urn:b"),), (Literal(9),), (Literal(10),), (Literal("2019", datatype=XSD.gYear),),
                   (Literal("2019-06-07", datatype=XSD.date),), (Literal("a"),)]
    assert sort_rows(["x"], rows, [OrderKey("x", descending=True)]) == asc[::-1]
    two = [(Literal("b"), Literal(1)), (Literal("a"), Literal(2)), (Literal("a"), Literal(1))]
    assert sort_rows(["s", "n"], two, [OrderKey("s"), OrderKey("n", descending=True)]) == [
        (Literal("a"), Literal(2)), (Literal("a"), Literal(1)), (Literal("b"), Literal(1))]


# --- a user's own counting query, and pages -------------------------------------------------------

def _curated_pressures_by(actor: str) -> set[str]:
    from helpers import curated

    data, classes = curated()
    return {s["id"] for d in data for s in (d.get("statements") or [])
            if classes.get(s["id"]) == "Pressure" and actor in (s.get("exertedBy") or [])}


def test_a_users_counting_query_counts_each_pressure_once(store):
    # the default graph is one set of triples on every store: a pressure stated in several
    # documents is still one solution
    expected = len(_curated_pressures_by("donald-trump"))
    rows = store.query("SELECT (COUNT(?p) AS ?n) (COUNT(DISTINCT ?p) AS ?d) WHERE { "
                       "?p a mkg:Pressure ; mkg:exertedBy/rdfs:label 'Donald Trump' }").rows
    assert [(int(n), int(d)) for n, d in rows] == [(expected, expected)]
    assert store.count("SELECT ?p WHERE { ?p a mkg:Pressure ; mkg:exertedBy res:donald-trump }") == expected


def test_the_first_query_a_user_writes_finds_actors(store):
    # only subclasses are curated (Person, State, ...); the build states their superclass too
    from kg.vocab import ACTOR_CLASSES

    from helpers import curated

    _data, classes = curated()
    actor_classes = set(ACTOR_CLASSES)
    assert store.count("SELECT ?a WHERE { ?a a mkg:Actor }") == sum(c in actor_classes for c in classes.values())
    assert store.count("SELECT ?a WHERE { ?a a mkg:Person }") == sum(c == "Person" for c in classes.values())
    assert store.query("ASK { res:donald-trump a mkg:Actor }").boolean is True


@pytest.mark.parametrize("name", ["actors", "single-source", "statistics", "who-pressured-whom"])
def test_pages_are_slices_of_the_streamed_answer(store, reference, name):
    parsed = q.get_query(name).parsed
    names, stream = store.stream(parsed)
    every = list(stream)
    assert names == reference(name, {}).vars
    assert normalised(QueryResult(names, every)) == normalised(reference(name, {}))
    pages, offset = [], 0
    while True:
        page = store.page(parsed, limit=40, offset=offset)
        assert page.total == len(every) and page.offset == offset
        if not page.rows:
            break
        pages.extend(page.rows)
        offset += 40
    assert pages == every  # each page is where the engine's ORDER BY puts it, none lost or repeated


@pytest.mark.parametrize("text", [
    "SELECT ?a ?label WHERE { ?a rdfs:label ?label } ORDER BY DESC(?label) ?a",
    "SELECT ?a WHERE { ?a rdfs:label ?label } ORDER BY ?label ?a",  # a key the query does not project
    "SELECT ?s ?v WHERE { GRAPH ?g { ?s mkg:value ?v } } ORDER BY DESC(?v) ?s ?g",
])
@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_sorted_page_is_a_slice_of_the_sorted_answer(memory_store, oxigraph_dir, kind, text):
    """A local engine's page of a sorted query holds the rows :meth:`query` puts there (one
    collation), whichever way its keys run. (A remote store pages in its engine's own order.)"""
    store = memory_store if kind == "memory" else OxigraphStore(oxigraph_dir, read_only=True)
    every = store.query(text).rows
    for offset, limit in ((0, 7), (7, 7), (len(every) - 3, 10), (len(every) + 5, 10), (2, 0)):
        page = store.page(text, limit=limit, offset=offset)
        assert page.rows == every[offset:offset + limit] and page.total == len(every), (offset, limit)
    assert len(every) > 10


def test_pages_of_a_query_that_limits_itself(store):
    text = "SELECT ?a WHERE { ?a a mkg:Person } ORDER BY ?a LIMIT 5"
    every = store.query(text).rows
    page = store.page(text, limit=2, offset=3)
    assert len(every) == 5 and page.rows == every[3:5] and page.total == 5


def test_a_page_and_its_total_are_one_evaluation(memory_store, monkeypatch):
    """A local engine's page is cut from one evaluation: rows past it are counted, not queried again."""
    calls = []
    answer = memory_store._answer
    monkeypatch.setattr(memory_store, "_answer", lambda *a, **k: calls.append(1) or answer(*a, **k))
    text = "SELECT ?a WHERE { ?a a mkg:Person } ORDER BY ?a"
    every = memory_store.query(text, timeout=None).rows
    calls.clear()
    page = memory_store.page(text, limit=2, offset=1, timeout=None)
    assert calls == [1] and page.rows == every[1:3] and page.total == len(every)


def test_a_fork_of_the_process_does_not_share_or_stop_its_query_process(oxigraph_dir):
    """A process forked after the store answered a query (multiprocessing, say) starts its own
    query process, and its exit leaves the parent's running."""
    st = OxigraphStore(oxigraph_dir, read_only=True)
    label = "SELECT ?label WHERE { res:donald-trump rdfs:label ?label }"
    assert [str(r[0]) for r in q.run(st, label, timeout=30).rows] == ["Donald Trump"]
    parent_worker = st._query_worker._process.pid
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked process
        try:
            rows = q.run(st, label, timeout=30).rows
            os.write(write_fd, f"{rows[0][0]} {st._query_worker._process.pid}".encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    got = os.read(read_fd, 200).decode()
    os.waitpid(pid, 0)
    label_seen, child_worker = got.rsplit(" ", 1)
    assert label_seen == "Donald Trump" and int(child_worker) != parent_worker
    assert _alive(parent_worker)
    assert [str(r[0]) for r in q.run(st, label, timeout=30).rows] == ["Donald Trump"]
    assert st._query_worker._process.pid == parent_worker
    st.close()
