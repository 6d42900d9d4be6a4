"""Endpoint stage: query any SPARQL 1.1 endpoint over HTTP, and push the built dataset to one.

:class:`SparqlStore` speaks the SPARQL 1.1 Protocol with ``requests`` (GET, or a form-encoded
POST for long queries; never a raw-body POST, which hangs on Virtuoso). Parameters are bound by
an inline ``VALUES`` block whose terms are serialised and checked here, never by pasting user text
into the query. :func:`push` loads every named graph of a build through the Graph Store HTTP
Protocol (one ``PUT`` per graph) or, where there is none, through SPARQL Update in batches.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError
from .store import DATASET_FILE, QueryResult, Store, ordered_as_query, plain_concats

RESULTS_JSON = "application/sparql-results+json"
GRAPH_TYPES = {
    "application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
    "application/x-turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
    "text/rdf+n3": "n3", "text/n3": "n3",
}
ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
MAX_GET_URL = 2000


# --- a small SPARQL lexer: enough to tell code from strings, IRIs and comments -------------------

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRINGS = [re.compile(p, re.S) for p in (
    r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''",
    r'"(?:[^"\\\n\r]|\\.)*"', r"'(?:[^'\\\n\r]|\\.)*'")]
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(sparql: str) -> str:
    """Apply the ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes SPARQL allows anywhere in a query."""
    def repl(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _UNICODE_ESCAPE.sub(repl, sparql)


def code_only(sparql: str) -> str:
    """The query with string literals and comments blanked out (same length, IRIs kept).

    >>> code_only('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    'SELECT * { ?s ?p           }          '
    """
    out = list(sparql)
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = n
            for stop in ("\n", "\r"):
                k = sparql.find(stop, i)
                if k >= 0:
                    j = min(j, k)
            out[i:j] = " " * (j - i)
            i = j
        elif c in "\"'":
            for pattern in _STRINGS:
                m = pattern.match(sparql, i)
                if m:
                    out[i:m.end()] = " " * (m.end() - i)
                    i = m.end()
                    break
            else:  # unterminated: let the real parser reject it, keep the rest as code
                i += 1
        elif c == "<":
            m = _IRIREF.match(sparql, i)
            i = m.end() if m else i + 1
        elif c == "\\":
            i += 2
        else:
            i += 1
    return "".join(out)


def _blank_iris(code: str) -> str:
    return _IRIREF.sub(lambda m: " " * len(m.group(0)), code)


_SERVICE = re.compile(r"(?<![\w:/#?$\-])SERVICE(?![\w:\-])", re.I)


def uses_service(sparql: str) -> bool:
    """True if the query may contain a ``SERVICE`` clause (conservative: IRIs are not skipped).

    >>> uses_service('SELECT * { SERVICE <http://x> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT ?service { ?s <http://x/service> "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(code_only(unescape_codepoints(sparql))))


_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.I)
_WHERE = re.compile(r"(?<![\w?$:])WHERE(?![\w:])", re.I)


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; None when not a query (an update)."""
    m = _FORM.search(_blank_iris(code_only(sparql)))
    return m.group(1).upper() if m else None


def _where_brace(sparql: str) -> int:
    """Offset of the ``{`` that opens the query's top-level WHERE group."""
    code = _blank_iris(code_only(sparql))
    form = _FORM.search(code)
    if form is None:
        raise QueryError("cannot bind parameters: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    depth, pos = 0, form.end()
    where_at = None
    for m in re.finditer(r"[{}]|" + _WHERE.pattern, code[pos:], re.I):
        tok = m.group(0)
        at = pos + m.start()
        if tok == "{":
            if depth == 0 and (where_at is not None or form.group(1).upper() != "CONSTRUCT"):
                return at
            depth += 1
        elif tok == "}":
            depth -= 1
        elif depth == 0:
            where_at = at
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def group_concat_vars(sparql: str) -> frozenset[str]:
    """Variables the query projects straight from a ``GROUP_CONCAT`` (``(GROUP_CONCAT(...) AS ?v)``).

    >>> sorted(group_concat_vars('SELECT (GROUP_CONCAT(DISTINCT STR(?d); separator=" | ") AS ?dates) {}'))
    ['dates']
    """
    code = _blank_iris(code_only(sparql))
    found = set()
    for m in re.finditer(r"GROUP_CONCAT\s*\(", code, re.I):
        depth, i = 1, m.end()
        while i < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[i], 0)
            i += 1
        alias = re.match(r"\s*AS\s+[?$](\w+)", code[i:], re.I)
        if alias:
            found.add(alias.group(1))
    return frozenset(found)


def sparql_term(term: Node) -> str:
    """An rdflib term written as SPARQL, with every character that could end it escaped.

    >>> sparql_term(Literal('say "hi"\\n} DROP ALL'))
    '"say \\\\"hi\\\\"\\\\n} DROP ALL"'
    >>> sparql_term(URIRef("https://w3id.org/migration-kg/id/mexico"))
    '<https://w3id.org/migration-kg/id/mexico>'
    """
    if isinstance(term, URIRef):
        text = str(term)
        if not re.fullmatch(r'[^<>"{}|^`\\\x00-\x20]+', text):
            raise QueryError(f"not a usable IRI: {text!r}")
        return f"<{text}>"
    if isinstance(term, Literal):
        body = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r").replace("\t", "\\t").replace("\b", "\\b").replace("\f", "\\f"))
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{body}"^^{sparql_term(URIRef(term.datatype))}'
        return f'"{body}"'
    raise QueryError(f"cannot bind {term!r} over HTTP (only IRIs and literals)")


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Put ``VALUES`` for each binding at the start of the top-level WHERE group.

    >>> bind_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": Literal(5)})
    'SELECT ?x WHERE { VALUES ?o { "5"^^<http://www.w3.org/2001/XMLSchema#integer> } ?x ?p ?o }'
    """
    if not bindings:
        return sparql
    block = []
    for name, term in bindings.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"not a variable name: {name!r}")
        block.append(f"VALUES ?{name} {{ {sparql_term(term)} }}")
    at = _where_brace(sparql) + 1
    return sparql[:at] + " " + " ".join(block) + sparql[at:]


# --- results ------------------------------------------------------------------------------------

def _json_term(cell: Mapping[str, Any]) -> Node:
    kind = cell.get("type")
    value = cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        lang = cell.get("xml:lang")
        dt = cell.get("datatype")
        if lang:
            return Literal(value, lang=lang)
        if dt and dt != str(XSD.string):
            return Literal(value, datatype=URIRef(dt))
        return Literal(value)
    raise StoreError(f"unsupported term in SPARQL results: {kind!r}")


def parse_results_json(data: Mapping[str, Any]) -> QueryResult:
    """A :class:`QueryResult` from SPARQL 1.1 JSON results (xsd:string literals made plain)."""
    if "boolean" in data:
        return QueryResult([], [], bool(data["boolean"]))
    names = list(data.get("head", {}).get("vars", []))
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append(tuple(_json_term(binding[v]) if v in binding else None for v in names))
    return QueryResult(names, rows)


def _first_line(text: str, limit: int = 300) -> str:
    """The gist of an error body, in one line (HTML pages reduced to their text)."""
    if re.search(r"<(!DOCTYPE|html|body|h1|p)\b", text[:500], re.I):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]*>", "\n", text)
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return " ".join(lines[:2])[:limit] if lines else "(no message)"


# --- the store ----------------------------------------------------------------------------------

class SparqlStore(Store):
    """A remote SPARQL 1.1 endpoint, queried over HTTP with timeouts.

    Parameters are bound with an inline ``VALUES`` block; a malformed query the endpoint rejects
    raises :class:`QueryError`, an endpoint that cannot be reached or fails raises
    :class:`StoreError`.
    """

    name = "sparql"

    def __init__(self, endpoint: str, timeout: float = 60.0, connect_timeout: float = 5.0,
                 user: str | None = None, password: str | None = None, method: str = "auto",
                 **_ignored: Any):
        import requests

        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"not an http(s) endpoint URL: {endpoint!r}")
        if method not in ("auto", "GET", "POST"):
            raise StoreError(f"unknown HTTP method {method!r} (auto, GET or POST)")
        self.endpoint = endpoint
        self.timeout = (connect_timeout, timeout)
        self.method = method
        self.session = requests.Session()
        self.session.headers["Accept"] = ACCEPT
        if user:
            self.session.auth = _auth(self.session, endpoint, user, password or "")

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        text = bind_values(sparql, bindings or {})
        response = self._send(text)
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype in (RESULTS_JSON, "application/json"):
            try:
                result = parse_results_json(response.json())
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise StoreError(f"{self.endpoint} sent malformed JSON results: {_first_line(str(exc))}") from None
            result.rows = plain_concats(sparql, result.vars, result.rows)
            # the same order on every store (Virtuoso orders some strings differently)
            result.rows = ordered_as_query(sparql, result.vars, result.rows)
            return result
        if ctype in GRAPH_TYPES:
            graph = Graph()
            try:
                graph.parse(data=response.content, format=GRAPH_TYPES[ctype])
            except Exception as exc:
                raise StoreError(f"{self.endpoint} sent an unreadable graph: {_first_line(str(exc))}") from None
            from .store import _plain

            return QueryResult(["subject", "predicate", "object"],
                               [tuple(_plain(t) for t in triple) for triple in graph])
        raise StoreError(f"{self.endpoint} answered with unexpected content type {ctype or 'none'!r}")

    def _send(self, text: str):
        import requests
        from urllib.parse import urlencode

        use_get = self.method == "GET" or (
            self.method == "auto" and len(self.endpoint) + len(urlencode({"query": text})) < MAX_GET_URL)
        try:
            if use_get:
                response = self.session.get(self.endpoint, params={"query": text}, timeout=self.timeout)
            else:
                response = self.session.post(self.endpoint, data={"query": text}, timeout=self.timeout)
        except requests.exceptions.ConnectTimeout:
            raise StoreError(f"cannot reach SPARQL endpoint {self.endpoint}: connection timed out") from None
        except requests.exceptions.Timeout:
            raise StoreError(f"SPARQL endpoint {self.endpoint} did not answer within "
                             f"{self.timeout[1]:g} s") from None
        except requests.exceptions.ConnectionError as exc:
            reason = "connection refused" if "refused" in str(exc).lower() else _first_line(str(exc), 160)
            raise StoreError(f"cannot reach SPARQL endpoint {self.endpoint}: {reason}") from None
        except requests.exceptions.RequestException as exc:
            raise StoreError(f"request to {self.endpoint} failed: {_first_line(str(exc))}") from None
        if response.status_code == 400:
            raise QueryError(f"malformed SPARQL (endpoint says: {_first_line(response.text)})")
        if response.status_code >= 300:
            raise StoreError(f"SPARQL endpoint {self.endpoint} answered HTTP {response.status_code}: "
                             f"{_first_line(response.text)}")
        return response

    def close(self) -> None:
        self.session.close()


def _auth(session, url: str, user: str, password: str):
    """HTTP Digest auth when the server asks for it (Virtuoso's ``-auth`` endpoints), else Basic."""
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    try:
        probe = session.get(url, timeout=(5, 30))
    except requests.exceptions.RequestException:
        return HTTPDigestAuth(user, password)
    challenge = probe.headers.get("WWW-Authenticate", "")
    if probe.status_code == 401 and challenge.lower().startswith("basic"):
        return HTTPBasicAuth(user, password)
    return HTTPDigestAuth(user, password)


# --- push ---------------------------------------------------------------------------------------

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


def read_graphs(data_dir: Path) -> dict[str | None, list]:
    """The built dataset's triples (pyoxigraph terms) grouped by graph IRI (None: default graph)."""
    import pyoxigraph as ox

    data_dir = Path(data_dir)
    nq, trig = data_dir / DATASET_FILE, data_dir / "dataset.trig"
    path, fmt = (nq, ox.RdfFormat.N_QUADS) if nq.exists() else (trig, ox.RdfFormat.TRIG)
    if not path.exists():
        raise StoreError("no built dataset here; run 'kg build' first", str(nq))
    graphs: dict[str | None, list] = {}
    try:
        for quad in ox.parse(path=str(path), format=fmt):
            key = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            graphs.setdefault(key, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"cannot read dataset: {_first_line(str(exc))}", str(path)) from None
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
    probe = SparqlStore(endpoint, timeout=timeout, user=user, password=password)
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
            session.auth = _auth(session, target, user, password or "")
        report = PushReport(endpoint, protocol, target)
        for graph, triples in graphs.items():
            if protocol == "gsp":
                _put_graph(session, target, graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), timeout)
            else:
                _update_graph(session, target, graph, triples, batch_size, timeout)
            report.graphs[graph or "(default graph)"] = len(triples)
        _verify(probe, graphs)
        report.seconds = time.perf_counter() - started
        return report
    finally:
        session.close()
        probe.close()


def _server_header(store: SparqlStore) -> str:
    return store._send("ASK {}").headers.get("Server", "")


def _check(response, what: str) -> None:
    if response.status_code in (401, 403):
        raise StoreError(f"{what}: not allowed (HTTP {response.status_code}: {_first_line(response.text, 120)}); "
                         f"give --user and --password of an account allowed to write")
    if response.status_code >= 300:
        raise StoreError(f"{what}: HTTP {response.status_code}: {_first_line(response.text)}")


def _post(session, method: str, url: str, what: str, timeout: float, **kwargs) -> None:
    import requests

    try:
        response = session.request(method, url, timeout=(5, timeout), **kwargs)
    except requests.exceptions.Timeout:
        raise StoreError(f"{what}: no answer from {url} within {timeout:g} s") from None
    except requests.exceptions.RequestException as exc:
        raise StoreError(f"{what}: cannot reach {url}: {_first_line(str(exc), 160)}") from None
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


def _verify(store: SparqlStore, graphs: Mapping[str | None, list]) -> None:
    named = {g: len(t) for g, t in graphs.items() if g is not None}
    if not named:
        return
    values = " ".join(sparql_term(URIRef(g)) for g in named)
    result = store.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                         f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
    found = {str(g): int(n) for g, n in result.rows}
    wrong = [g for g, n in named.items() if found.get(g, 0) != n]
    if wrong:
        g = wrong[0]
        raise StoreError(f"after loading, graph <{g}> has {found.get(g, 0)} triples at {store.endpoint}, "
                         f"expected {named[g]} ({len(wrong)} graph(s) differ)")
