"""Serve stage: ``kg serve`` as users meet it, over HTTP on 127.0.0.1 — formats, read-only,
no SERVICE, the time limit, the result cap, the offline page, and 50 clients at once."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from helpers import ROOT
from kg.query import NamedQuery
from kg.server import free_port, query_page

PREFIXES = ("PREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
LABELS = PREFIXES + "SELECT ?actor ?label WHERE { ?actor a mkg:State ; rdfs:label ?label } ORDER BY ?label"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def start_serve(data: Path, *args: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--data", str(data), "--port", str(port), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited: {proc.stderr.read()}")
        try:
            if requests.get(base + "/", timeout=1).status_code == 200:
                return proc, base
        except requests.exceptions.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("kg serve did not start")


def stop_serve(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def served(seed_out, tmp_path_factory):
    """``kg serve`` on a copy of the seed build that has no Oxigraph store yet (it makes one)."""
    data = tmp_path_factory.mktemp("serve")
    shutil.copy(seed_out / "dataset.nq", data / "dataset.nq")
    proc, base = start_serve(data, "--timeout-s", "2")
    yield base
    stop_serve(proc)


def sparql(base, query, accept=None, method="GET", **extra):
    headers = {"Accept": accept} if accept else {}
    if method == "GET":
        return requests.get(base + "/query", params={"query": query, **extra}, headers=headers, timeout=30)
    return requests.post(base + "/query", data={"query": query, **extra}, headers=headers, timeout=30)


# --- formats --------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_json_results(served, method):
    r = sparql(served, LABELS, "application/sparql-results+json", method)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/sparql-results+json")
    rows = r.json()["results"]["bindings"]
    assert {"type": "literal", "value": "Mexico"} in [row["label"] for row in rows]


def test_xml_results(served):
    r = sparql(served, LABELS, "application/sparql-results+xml")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/sparql-results+xml")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    labels = [e.text for e in ET.fromstring(r.content).iterfind(".//s:binding[@name='label']/s:literal", ns)]
    assert "Mexico" in labels and "United States" in labels


def test_csv_and_tsv_results(served):
    r = sparql(served, LABELS, "text/csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {"actor": "https://w3id.org/migration-kg/id/mexico", "label": "Mexico"} in rows
    r = sparql(served, LABELS, "text/tab-separated-values", "POST")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/tab-separated-values")
    lines = r.text.splitlines()
    assert lines[0] == "?actor\t?label" and '<https://w3id.org/migration-kg/id/mexico>\t"Mexico"' in lines


def test_format_parameter_and_negotiation(served):
    assert sparql(served, LABELS, format="csv").text.startswith("actor,label")
    r = sparql(served, LABELS, "text/csv;q=0.5, application/sparql-results+xml")
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert sparql(served, LABELS, "*/*").headers["Content-Type"].startswith("application/sparql-results+json")
    r = sparql(served, LABELS, "image/png")
    assert r.status_code == 406 and "acceptable" in r.text


def test_raw_sparql_query_post_ask_and_construct(served):
    r = requests.post(served + "/query", data=PREFIXES + "ASK { ?p a mkg:Pressure }",
                      headers={"Content-Type": "application/sparql-query",
                               "Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True
    from rdflib import Graph

    r = sparql(served, PREFIXES + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a mkg:State ; rdfs:label ?l }",
               "text/turtle")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert len(g) >= 3


def test_the_default_graph_is_the_union_of_the_named_graphs_each_triple_once(served):
    def count(query):
        return int(sparql(served, query).json()["results"]["bindings"][0]["n"]["value"])
    every = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    distinct = count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    in_graphs = count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert every == distinct < in_graphs  # some triples stand in several graphs (a thing in two documents)


def test_syntax_error_is_400(served):
    r = sparql(served, "SELECT * WHERE { ?s ?p }")
    assert r.status_code == 400 and r.text.strip()
    assert sparql(served, "").status_code == 400


# --- read-only, no SERVICE ------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_updates_are_refused(served):
    before = sparql(served, COUNT).json()
    update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    attempts = [
        requests.post(served + "/update", data={"update": update}, timeout=10),
        requests.post(served + "/query", data={"update": update}, timeout=10),
        requests.post(served + "/query", data=update, headers={"Content-Type": "application/sparql-update"},
                      timeout=10),
        requests.put(served + "/store?graph=urn:x", data="<urn:a> <urn:b> <urn:c> .",
                     headers={"Content-Type": "application/n-triples"}, timeout=10),
        requests.delete(served + "/store?default", timeout=10),
        sparql(served, "DROP ALL"),
    ]
    assert [r.status_code for r in attempts[:5]] == [403] * 5
    assert 400 <= attempts[5].status_code < 500
    assert sparql(served, COUNT).json() == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . SERVICE ?x { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { # comment\nSERVICE <{url}> { ?s ?p ?o } }",
])
def test_service_is_refused_and_nothing_goes_out(served, query):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.3)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        r = sparql(served, query.replace("{url}", url))
        assert r.status_code == 400 and "SERVICE" in r.text
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_the_word_service_in_strings_names_and_iris_is_fine(served):
    q = ('SELECT ?service WHERE { BIND("SERVICE <http://x> {}" AS ?service) '
         'OPTIONAL { ?service <http://example.org/service> ?o } } # SERVICE')
    assert sparql(served, q).status_code == 200


# --- limits ---------------------------------------------------------------------------------------

def test_a_query_past_the_time_limit_is_stopped_while_others_are_served(served):
    slow = {}

    def run_slow():
        started = time.monotonic()
        slow["response"] = sparql(served, FOREVER)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    quick = sparql(served, LABELS)
    quick_seconds = time.monotonic() - started
    thread.join(30)
    assert quick.status_code == 200 and quick_seconds < 1.5
    assert slow["response"].status_code == 503 and "time limit" in slow["response"].text
    assert slow["seconds"] < 2 + 4


def test_fifty_concurrent_clients(served):
    queries = [(LABELS, "application/sparql-results+json"), (LABELS, "text/csv"),
               (PREFIXES + "SELECT ?p ?a ?t WHERE { ?p mkg:exertedBy ?a ; mkg:targets ?t }",
                "application/sparql-results+xml"), ("ASK { ?s ?p ?o }", "text/tab-separated-values")]
    deadline = time.monotonic() + 4

    def client(i):
        done, failures = 0, []
        with requests.Session() as session:
            while not done or time.monotonic() < deadline:  # every client sends at least one query
                query, accept = queries[(i + done) % len(queries)]
                try:
                    r = session.post(served + "/query", data={"query": query}, headers={"Accept": accept},
                                     timeout=20)
                    if r.status_code != 200 or not r.content:
                        failures.append(r.status_code)
                except requests.exceptions.RequestException as exc:
                    failures.append(repr(exc))
                done += 1
        return done, failures

    with ThreadPoolExecutor(50) as pool:  # 50 clients at once, each answered every time
        results = list(pool.map(client, range(50)))
    assert [f for _, failures in results for f in failures] == []
    assert all(done >= 1 for done, _ in results)


def test_result_size_cap(seed_out, tmp_path):
    from kg import server

    shutil.copy(seed_out / "dataset.nq", tmp_path / "dataset.nq")
    endpoint = server.start(tmp_path, port=0, limits=server.Limits(timeout_s=10, max_result_mb=0.05)).serve_in_thread()
    try:
        big = requests.get(endpoint.url, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30)
        assert big.status_code == 413 and "LIMIT" in big.text
        small = requests.get(endpoint.url, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}, timeout=30)
        assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 5
    finally:
        endpoint.stop()


@pytest.fixture
def streaming(seed_out, tmp_path, monkeypatch):
    """An endpoint in this process that holds back only 4 kB of an answer, with a 50 kB cap."""
    from kg import relay, server

    monkeypatch.setattr(relay, "HOLD_BYTES", 4096)
    shutil.copy(seed_out / "dataset.nq", tmp_path / "dataset.nq")
    endpoint = server.start(tmp_path, port=0, limits=server.Limits(timeout_s=10, max_result_mb=0.05)).serve_in_thread()
    yield endpoint
    endpoint.stop()


def test_a_large_answer_is_streamed_in_chunks_whole(streaming, monkeypatch):
    from kg import relay

    query = PREFIXES + "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"
    streamed = requests.get(streaming.url, params={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
    assert streamed.status_code == 200 and streamed.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in streamed.headers and len(streamed.content) > 4096
    monkeypatch.setattr(relay, "HOLD_BYTES", 1 << 30)
    whole = requests.get(streaming.url, params={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
    assert whole.headers.get("Content-Length") == str(len(whole.content)) and "Transfer-Encoding" not in whole.headers
    assert sorted(streamed.text.splitlines()) == sorted(whole.text.splitlines())
    counted = requests.get(streaming.url, params={"query": PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?l }"},
                           timeout=30).json()["results"]["bindings"][0]["n"]["value"]
    assert len(streamed.text.splitlines()) == int(counted) + 1  # the header line


def test_a_cap_passed_after_the_first_bytes_cuts_the_stream_short(streaming):
    r = requests.get(streaming.url, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, stream=True, timeout=30)
    assert r.status_code == 200 and r.headers.get("Transfer-Encoding") == "chunked"
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        r.content  # noqa: B018 - reading it is the test: it never ends as a whole answer
    small = requests.get(streaming.url, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}, timeout=30)
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 5


def test_an_http_1_0_client_gets_the_stream_until_the_connection_closes(streaming):
    from urllib.parse import quote, urlsplit

    url = urlsplit(streaming.url)
    query = quote(PREFIXES + "SELECT ?s ?label WHERE { ?s rdfs:label ?label }")
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(f"GET {url.path}?query={query} HTTP/1.0\r\nAccept: text/csv\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].endswith(b"200 OK") and b"chunked" not in head.lower() and len(body) > 4096
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert {"s": "https://w3id.org/migration-kg/id/mexico", "label": "Mexico"} in rows


def test_request_size_cap_and_unknown_paths(served):
    r = requests.post(served + "/query", data={"query": "#" * (2 << 20)}, timeout=30)
    assert r.status_code == 413
    assert requests.get(served + "/nothing", timeout=10).status_code == 404


# --- the page -------------------------------------------------------------------------------------

def test_offline_query_page(served):
    r = requests.get(served + "/", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = r.text
    for name in ("who-pressured-whom", "policy-reversals", "actors"):
        assert f'value="{name}"' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "<link" not in page and not re.search(r"<script[^>]+src", page, re.I)


def test_query_page_escapes_document_text():
    evil = NamedQuery("x", '</option><script>alert(1)</script>', 'a "quote" & <b>',
                      (), 'SELECT * { ?s ?p "</textarea><script>alert(2)</script>" }')
    page = query_page({"x": evil})
    assert "<script>alert" not in page and "</textarea><script>" not in page
    assert "&lt;/option&gt;&lt;script&gt;alert(1)" in page and "&quot;quote&quot; &amp;" in page


# --- lifecycle ------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """Child processes of ``pid``, whichever of its threads started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that just ended
            pass
    return found


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to see child processes")
def test_sigterm_stops_the_oxigraph_server_too(seed_out, tmp_path):
    shutil.copy(seed_out / "dataset.nq", tmp_path / "dataset.nq")
    proc, base = start_serve(tmp_path, "--workers", "2")
    try:
        children = _children(proc.pid)
    finally:
        stop_serve(proc)
    assert len(children) == 2, "two oxigraph servers should run as children of kg serve"
    assert proc.returncode == 0
    time.sleep(0.2)
    for child in children:
        stat = Path(f"/proc/{child}/stat")
        assert not stat.exists() or stat.read_text().split()[2] == "Z"
    out = proc.stdout.read()
    assert "SPARQL endpoint (read-only): " + base + "/query" in out


def test_serve_without_a_build_is_one_line_error(tmp_path):
    from helpers import run_kg

    res = run_kg("serve", "--data", str(tmp_path / "nothing"), "--port", str(free_port()))
    assert res.returncode == 1 and res.stderr.startswith("error: ") and res.stderr.count("\n") == 1
    assert "kg build" in res.stderr
