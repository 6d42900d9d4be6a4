"""The product attacked as a hostile user would: SERVICE hidden every way SPARQL allows, a server
that slow or idle clients try to hold, links out of the corpus, queries that never end."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from helpers import MINI, run_kg
from kg import server
from kg.errors import QueryError, QueryTimeout
from kg.sparql import parse
from kg.store import open_store


class Listener:
    """A TCP server on 127.0.0.1 that records whether anything connected to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    spy = Listener()
    yield spy
    spy.close()


# Every way the issue found, and more: escapes that end a string early in Oxigraph's reading,
# each string form, \u and \U escapes of the keyword, comments, case, and nesting.
HIDDEN = [
    'SELECT * WHERE { BIND("a\\u005C" AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND("b" AS ?y) }',
    "SELECT * WHERE { BIND('a\\u005C' AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND('b' AS ?y) }",
    'SELECT * WHERE { BIND("""a\\u005C""" AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND("""b""" AS ?y) }',
    "SELECT * WHERE { BIND('''a\\u005C''' AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND('''b''' AS ?y) }",
    'SELECT * WHERE { BIND("a\\U0000005C" AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND("b" AS ?y) }',
    'SELECT * WHERE { BIND("a\\u005c\\u0022" AS ?x) SERVICE <{url}> { ?s ?p ?o } }',
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "SeLeCt * WhErE { sErViCe <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053\\U00000045RVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment with a \" quote\nSERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o # } SERVICE\n SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { BIND(<{url}> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", HIDDEN)
def test_the_parser_refuses_service_however_it_is_written(query):
    with pytest.raises(QueryError):
        parse(query.replace("{url}", "http://127.0.0.1:9/x"))


def test_the_word_service_as_text_or_a_name_is_a_query_like_any_other():
    for text in ('SELECT ?service WHERE { BIND("SERVICE <http://x> {}" AS ?service) }',
                 "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://x> { }",
                 "SELECT * WHERE { ?s ?p 'it said \\\\' } "):
        assert parse(text).form == "SELECT"


@pytest.fixture(scope="module")
def endpoint(seed_out, tmp_path_factory):
    data = tmp_path_factory.mktemp("guarded")
    shutil.copy(seed_out / "dataset.nq", data / "dataset.nq")
    ep = server.start(data, port=0, limits=server.Limits(timeout_s=5, workers=3, read_timeout_s=1,
                                                          request_read_s=2, max_connections=8)).serve_in_thread()
    yield ep
    ep.stop()


@pytest.mark.parametrize("query", HIDDEN)
def test_kg_serve_never_makes_an_outbound_request(endpoint, listener, query):
    r = requests.post(endpoint.url, data={"query": query.replace("{url}", listener.url)}, timeout=30)
    assert r.status_code == 400
    time.sleep(0.2)
    assert listener.connections == 0


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_kg_query_refuses_service_on_every_store(ox_build, listener, store):
    for query in (HIDDEN[0], HIDDEN[6], HIDDEN[9]):
        res = run_kg("query", query.replace("{url}", listener.url), "--store", store, "--data", str(ox_build))
        assert res.returncode == 1 and res.stdout == ""
        assert res.stderr.startswith("error: ") and res.stderr.count("\n") == 1, res.stderr
    assert listener.connections == 0


def test_from_clauses_do_not_fetch_on_the_memory_store(seed_result, listener):
    from kg.store.memory import MemoryStore

    st = MemoryStore(seed_result.dataset)
    rows = st.query(f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}").rows
    assert rows == [] and listener.connections == 0
    catalogue = "https://w3id.org/migration-kg/id/graph/catalogue"
    n = st.query(f"SELECT (COUNT(*) AS ?n) FROM <{catalogue}> WHERE {{ ?s ?p ?o }}").rows[0][0]
    expected = len(seed_result.dataset.graph(catalogue))
    assert int(n) == expected


@pytest.fixture(scope="module")
def ox_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("ox") / "build"
    res = run_kg("build", "--seeds", str(MINI), "--out", str(out), "--store", "oxigraph", "--no-views")
    assert res.returncode == 0, res.stderr
    return out


# --- the server cannot be held by one client ----------------------------------------------------

def _open(url: str) -> socket.socket:
    host, port = url.split("//")[1].split("/")[0].split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """True if the server closes the connection within ``seconds`` (reads EOF or an error)."""
    sock.settimeout(seconds)
    started = time.monotonic()
    try:
        while sock.recv(4096):
            pass
    except socket.timeout:
        return False
    except OSError:
        pass
    return time.monotonic() - started <= seconds


def test_a_body_shorter_than_its_length_and_an_idle_connection_are_dropped(endpoint):
    short = _open(endpoint.url)
    short.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: 1000\r\n\r\nquery=ASK")
    idle = _open(endpoint.url)
    assert _closed_within(short, 4) and _closed_within(idle, 4)


def test_a_slow_sender_is_dropped_at_the_request_deadline(endpoint):
    sock = _open(endpoint.url)
    started = time.monotonic()
    sock.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\n")
    try:
        while time.monotonic() - started < 8:
            sock.sendall(b"X-Slow: 1\r\n")  # each line well inside the read timeout
            time.sleep(0.5)
    except OSError:
        pass
    elapsed = time.monotonic() - started
    assert elapsed < 6, f"the connection stayed open {elapsed:.1f} s"


def test_too_many_connections_are_refused_not_queued(endpoint):
    held = [_open(endpoint.url) for _ in range(8)]
    time.sleep(0.2)
    extra = _open(endpoint.url)
    extra.settimeout(5)
    assert extra.recv(100).startswith(b"HTTP/1.1 503")
    for sock in held + [extra]:
        sock.close()


FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "SELECT ?l WHERE { <https://w3id.org/migration-kg/id/mexico> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


def test_runaway_queries_do_not_keep_cheap_ones_waiting(endpoint):
    statuses = []

    def runaway():
        statuses.append(requests.post(endpoint.url, data={"query": FOREVER}, timeout=30).status_code)

    threads = [threading.Thread(target=runaway) for _ in range(endpoint.pool.size + 1)]
    for t in threads:
        t.start()
    time.sleep(0.3)  # every worker is busy with a runaway query
    started = time.monotonic()
    cheap = requests.post(endpoint.url, data={"query": CHEAP}, headers={"Accept": "text/csv"}, timeout=30)
    seconds = time.monotonic() - started
    for t in threads:
        t.join(30)
    assert cheap.status_code == 200 and "Mexico" in cheap.text
    assert seconds < 4, f"a cheap query waited {seconds:.1f} s behind runaway ones"
    assert set(statuses) <= {503}


# --- a query cannot run forever -----------------------------------------------------------------

@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_kg_query_stops_at_its_time_limit(ox_build, store):
    started = time.monotonic()
    res = run_kg("query", FOREVER, "--store", store, "--data", str(ox_build), "--timeout", "1")
    assert time.monotonic() - started < 15
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr == "error: query stopped: it ran past the time limit of 1 s " \
                         "(give a longer one with --timeout, or narrow the query)\n"


def test_the_library_stops_the_query_and_leaves_no_process(ox_build):
    import os

    st = open_store("memory", ox_build, timeout=0.5)
    before = set(os.listdir("/proc")) if Path("/proc").exists() else set()
    with pytest.raises(QueryTimeout):
        st.query(FOREVER)
    time.sleep(0.2)
    after = set(os.listdir("/proc")) if Path("/proc").exists() else set()
    children = [p for p in after - before if p.isdigit() and _parent(p) == os.getpid()]
    assert children == []
    assert st.query(CHEAP).rows  # the store still answers


def _parent(pid: str) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


# --- the corpus stays in its folder -------------------------------------------------------------

def test_a_link_out_of_the_corpus_folder_is_refused(mini, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (mini / "002_link.txt").symlink_to(outside)
    res = run_kg("build", "--seeds", str(mini), "--out", str(tmp_path / "out"), "--no-views")
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert "002_link.txt" in res.stderr and "outside the corpus folder" in res.stderr


def test_a_link_inside_the_folder_is_followed(mini):
    from kg.build import compile_corpus

    (mini / "001_tariffs.txt").rename(mini / "real.text")
    (mini / "001_tariffs.txt").symlink_to(mini / "real.text")
    assert compile_corpus(mini).counts_by_class["Document"] == 1
