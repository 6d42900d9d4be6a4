"""Push: load the built dataset, with its named graphs, into a SPARQL 1.1 server.

Each named graph is replaced as a whole through the Graph Store HTTP Protocol (one ``PUT`` per
graph) or, where there is none, through SPARQL Update in batches; afterwards the triples of each
graph are counted through the server's query endpoint.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from rdflib import URIRef

from .errors import StoreError
from .files import DATASET_FILE
from .sparql import sparql_term
from .vocab import UNION_GRAPH
from .store.remote import CONNECT_TIMEOUT, SparqlStore, auth_for, first_line

@dataclass
class PushReport:
    """What :func:`push` loaded: triples per graph, the protocol used, and the time taken."""

    endpoint: str
    protocol: str
    target: str
    graphs: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        total = sum(self.graphs.values())
        return (f"pushed {total} triples in {len(self.graphs)} named graphs to {self.target} "
                f"({self.protocol}) in {self.seconds:.1f} s; verified by counting at {self.endpoint}")


def read_graphs(data_dir: Path) -> dict[str, list]:
    """The built dataset's triples (pyoxigraph terms) grouped by graph IRI; the default graph (the
    union, each triple once) goes to the named graph :data:`kg.vocab.UNION_GRAPH`, since servers
    have no default graph of their own to hold it."""
    import pyoxigraph as ox

    data_dir = Path(data_dir)
    nq, trig = data_dir / DATASET_FILE, data_dir / "dataset.trig"
    path, fmt = (nq, ox.RdfFormat.N_QUADS) if nq.exists() else (trig, ox.RdfFormat.TRIG)
    if not path.exists():
        raise StoreError("no built dataset here; run 'kg build' first", str(nq))
    graphs: dict[str, list] = {}
    try:
        for quad in ox.parse(path=str(path), format=fmt):
            key = str(UNION_GRAPH) if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            graphs.setdefault(key, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"cannot read dataset: {first_line(str(exc))}", str(path)) from None
    return graphs


def graph_store_url(endpoint: str, authenticated: bool, server: str = "") -> str | None:
    """Where a server's Graph Store Protocol lives, when it can be told from the endpoint URL.

    >>> graph_store_url("http://127.0.0.1:8890/sparql", True, "Virtuoso/07.20")
    'http://127.0.0.1:8890/sparql-graph-crud-auth'
    >>> graph_store_url("http://127.0.0.1:7878/query", False, "Oxigraph/0.5")
    'http://127.0.0.1:7878/store'
    """
    parts = urlsplit(endpoint)
    if "virtuoso" in server.lower():
        path = "/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud"
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    if "oxigraph" in server.lower():
        return urlunsplit((parts.scheme, parts.netloc, "/store", "", ""))
    return None


def update_url(endpoint: str) -> str:
    """The SPARQL Update URL next to a query URL (``/query`` → ``/update``, else the same URL)."""
    parts = urlsplit(endpoint)
    if parts.path.endswith("/query"):
        return urlunsplit((parts.scheme, parts.netloc, parts.path[:-len("query")] + "update", "", ""))
    return endpoint


def push(data_dir: Path, endpoint: str, user: str | None = None, password: str | None = None,
         graph_store: str | None = None, protocol: str = "auto", batch_size: int = 2000,
         timeout: float = 300.0) -> PushReport:
    """Load the dataset built in ``data_dir`` into the SPARQL server behind ``endpoint``.

    Each named graph is replaced as a whole: with the Graph Store HTTP Protocol a ``PUT`` per graph
    (Virtuoso: ``/sparql-graph-crud-auth`` with HTTP Digest auth), otherwise SPARQL Update
    (``DROP SILENT GRAPH`` then ``INSERT DATA`` in batches, blank nodes of a graph kept in one
    batch). Afterwards the triples of each graph are counted through ``endpoint``.
    """
    import pyoxigraph as ox
    import requests

    if protocol not in ("auto", "gsp", "update"):
        raise StoreError(f"unknown protocol {protocol!r} (auto, gsp or update)")
    graphs = read_graphs(data_dir)
    started = time.perf_counter()
    probe = SparqlStore(endpoint, user=user, password=password, build_dataset=False)
    session = requests.Session()
    try:
        server = _server_header(probe)
        if protocol == "auto":
            graph_store = graph_store or graph_store_url(endpoint, bool(user), server)
            protocol = "gsp" if graph_store else "update"
        elif protocol == "gsp":
            graph_store = graph_store or graph_store_url(endpoint, bool(user), server)
            if not graph_store:
                raise StoreError("cannot tell where the Graph Store Protocol lives; give --graph-store URL")
        target = graph_store if protocol == "gsp" else update_url(endpoint)
        if user:
            session.auth = auth_for(session, target, user, password or "")
        report = PushReport(endpoint, protocol, target)
        for graph, triples in graphs.items():
            if protocol == "gsp":
                _put_graph(session, target, graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), timeout)
            else:
                _update_graph(session, target, graph, triples, batch_size, timeout)
            report.graphs[graph] = len(triples)
        _verify(probe, graphs, timeout)
        report.seconds = time.perf_counter() - started
        return report
    finally:
        session.close()
        probe.close()


def _server_header(store: SparqlStore) -> str:
    response, _body = store.send("ASK {}", 60.0)
    return response.headers.get("Server", "")


def _check(response, what: str) -> None:
    if response.status_code in (401, 403):
        raise StoreError(f"{what}: not allowed (HTTP {response.status_code}: {first_line(response.text, 120)}); "
                         f"give --user and --password of an account allowed to write")
    if response.status_code >= 300:
        raise StoreError(f"{what}: HTTP {response.status_code}: {first_line(response.text)}")


def _post(session, method: str, url: str, what: str, timeout: float, **kwargs) -> None:
    import requests

    try:
        response = session.request(method, url, timeout=(CONNECT_TIMEOUT, timeout), **kwargs)
    except requests.exceptions.Timeout:
        raise StoreError(f"{what}: no answer from {url} within {timeout:g} s") from None
    except requests.exceptions.RequestException as exc:
        raise StoreError(f"{what}: cannot reach {url}: {first_line(str(exc), 160)}") from None
    _check(response, what)


def _put_graph(session, url: str, graph: str | None, ntriples: bytes, timeout: float) -> None:
    params = {"default": ""} if graph is None else {"graph": graph}
    _post(session, "PUT", url, f"loading graph <{graph or 'default'}>", timeout, params=params,
          data=ntriples, headers={"Content-Type": "text/turtle; charset=utf-8"})


def _update_graph(session, url: str, graph: str | None, triples: list, batch_size: int, timeout: float) -> None:
    import pyoxigraph as ox

    what = f"loading graph <{graph or 'default'}>"
    if graph is not None:
        _post(session, "POST", url, what, timeout, data={"update": f"DROP SILENT GRAPH <{graph}>"})
    with_bnodes = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    plain = [t for t in triples if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
    batches: Iterable[list] = ([with_bnodes] if with_bnodes else []) + [
        plain[i:i + batch_size] for i in range(0, len(plain), batch_size)]
    for batch in batches:
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        update = f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}" if graph else f"INSERT DATA {{ {body} }}"
        _post(session, "POST", url, what, timeout, data={"update": update.encode("utf-8")})


def _verify(store: SparqlStore, graphs: Mapping[str, list], timeout: float) -> None:
    named = {g: len(t) for g, t in graphs.items()}
    if not named:
        return
    values = " ".join(sparql_term(URIRef(g)) for g in named)
    result = store.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                         f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g", timeout=timeout)
    found = {str(g): int(n) for g, n in result.rows}
    wrong = [g for g, n in named.items() if found.get(g, 0) != n]
    if wrong:
        g = wrong[0]
        raise StoreError(f"after loading, graph <{g}> has {found.get(g, 0)} triples at {store.endpoint}, "
                         f"expected {named[g]} ({len(wrong)} graph(s) differ)")
