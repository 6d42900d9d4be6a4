"""A remote SPARQL 1.1 endpoint (Virtuoso, ``kg serve``, any other), queried over HTTP.

It speaks the SPARQL 1.1 Protocol with ``requests``: GET, or a form-encoded POST for long queries
(never a raw-body POST, which hangs on Virtuoso). Parameters are bound by an inline ``VALUES``
block whose terms are serialised and checked by :func:`kg.sparql.sparql_term`, never by pasting
user text into the query. The time limit covers the whole exchange, not one socket read.
"""

from __future__ import annotations

import re
import time
from typing import Any, Iterator, Mapping
from urllib.parse import urlencode, urlsplit

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError, QueryTimeout, StoreError
from ..sparql import ParsedQuery, with_values
from ..vocab import BASE, UNION_GRAPH
from .base import Among, Store, plain_term
from .child import stopped

RESULTS_JSON = "application/sparql-results+json"
GRAPH_TYPES = {
    "application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
    "application/x-turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
    "text/rdf+n3": "n3", "text/n3": "n3",
}
ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
MAX_GET_URL = 2000
CONNECT_TIMEOUT = 5.0


def json_term(cell: Mapping[str, Any]) -> Node:
    """The rdflib term of one binding of SPARQL 1.1 JSON results (xsd:string made plain)."""
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


def first_line(text: str, limit: int = 300) -> str:
    """The gist of an error body, in one line (HTML pages reduced to their text)."""
    if re.search(r"<(!DOCTYPE|html|body|h1|p)\b", text[:500], re.I):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]*>", "\n", text)
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return " ".join(lines[:2])[:limit] if lines else "(no message)"


class SparqlStore(Store):
    """A remote SPARQL 1.1 endpoint, queried over HTTP within the query's time limit.

    A query the endpoint rejects as malformed raises :class:`QueryError`; an endpoint that cannot
    be reached or fails raises :class:`StoreError`. With ``build_dataset`` (the default) a build
    that ``kg push`` loaded is queried as the local stores query it (:meth:`_dataset`); without,
    every query sees the server's own dataset.
    """

    pages_by_engine = False  # Virtuoso orders a LIMIT/OFFSET page unlike its whole answer

    name = "sparql"
    forks = False

    def __init__(self, endpoint: str, user: str | None = None, password: str | None = None,
                 method: str = "auto", build_dataset: bool = True, **_ignored: Any):
        import requests

        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"not an http(s) endpoint URL: {endpoint!r}")
        if method not in ("auto", "GET", "POST"):
            raise StoreError(f"unknown HTTP method {method!r} (auto, GET or POST)")
        self.endpoint = endpoint
        self.method = method
        self._graphs: dict[str, Any] | None = None if build_dataset else {}
        self.session = requests.Session()
        self.session.headers["Accept"] = ACCEPT
        if user:
            self.session.auth = auth_for(self.session, endpoint, user, password or "")

    def _stream(self, parsed: ParsedQuery, bindings: dict[str, Node], timeout: float | None,
                plain_values: bool, among: Among | None = None,
                window: None = None) -> tuple[list[str], bool | None, Iterator[tuple]]:
        from .base import plain

        assert window is None, "a remote store pages the streamed answer (pages_by_engine is False)"

        values: dict = dict(bindings)
        if among is not None:
            values[among[0]] = among[1]
        response, body = self.send(with_values(parsed, values), timeout, self._dataset(timeout))
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        convert = (lambda t: plain(t)) if plain_values else (lambda t: t)
        if ctype in (RESULTS_JSON, "application/json"):
            import json

            try:
                data = json.loads(body)
                if "boolean" in data:
                    return [], bool(data["boolean"]), iter(())
                names = list(data["head"]["vars"])
                rows = [tuple(convert(json_term(b[v])) if v in b else None for v in names)
                        for b in data["results"]["bindings"]]
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise StoreError(f"{self.endpoint} sent malformed JSON results: {first_line(str(exc))}") from None
            return names, None, iter(rows)
        if ctype in GRAPH_TYPES:
            graph = Graph()
            try:
                graph.parse(data=body, format=GRAPH_TYPES[ctype])
            except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many types
                raise StoreError(f"{self.endpoint} sent an unreadable graph: {first_line(str(exc))}") from None
            return (["subject", "predicate", "object"], None,
                    iter([tuple(convert(plain_term(t)) for t in triple) for triple in graph]))
        raise StoreError(f"{self.endpoint} answered with unexpected content type {ctype or 'none'!r}")

    def _dataset(self, timeout: float | None) -> dict[str, Any]:
        """The protocol's dataset of every query: when the endpoint holds :data:`UNION_GRAPH`
        (``kg push`` put a build there), that graph is the default graph and the build's other
        graphs are the named ones, so that counts are the same as on the local stores (a server's
        own default graph merges every graph it holds, and repeats a triple per graph)."""
        if self._graphs is None:
            import json

            _response, body = self.send("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", timeout)
            try:
                found = {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}
            except (ValueError, KeyError, TypeError):
                found = set()
            ours = sorted(g for g in found if g.startswith(BASE) and g != str(UNION_GRAPH))
            self._graphs = ({"default-graph-uri": [str(UNION_GRAPH)], "named-graph-uri": ours}
                            if str(UNION_GRAPH) in found else {})
        return self._graphs

    def send(self, text: str, timeout: float | None, dataset: dict[str, Any] | None = None) -> tuple[Any, bytes]:
        """POST or GET ``text`` (with ``dataset``'s protocol fields); the response and its body,
        read within ``timeout`` seconds."""
        import requests

        fields: dict[str, Any] = {"query": text, **(dataset or {})}
        use_get = self.method == "GET" or (
            self.method == "auto" and len(self.endpoint) + len(urlencode(fields, doseq=True)) < MAX_GET_URL)
        deadline = None if timeout is None else time.monotonic() + timeout
        read = None if timeout is None else max(timeout, 0.001)
        try:
            if use_get:
                response = self.session.get(self.endpoint, params=fields, stream=True,
                                            timeout=(CONNECT_TIMEOUT, read))
            else:
                response = self.session.post(self.endpoint, data=fields, stream=True,
                                             timeout=(CONNECT_TIMEOUT, read))
            chunks = []
            for chunk in response.iter_content(1 << 16):
                chunks.append(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    response.close()
                    raise stopped(timeout)  # type: ignore[arg-type]
            body = b"".join(chunks)
        except QueryTimeout:
            raise
        except requests.exceptions.ConnectTimeout:
            raise StoreError(f"cannot reach SPARQL endpoint {self.endpoint}: connection timed out") from None
        except requests.exceptions.Timeout:
            raise stopped(timeout) from None  # type: ignore[arg-type]
        except requests.exceptions.ConnectionError as exc:
            reason = "connection refused" if "refused" in str(exc).lower() else first_line(str(exc), 160)
            raise StoreError(f"cannot reach SPARQL endpoint {self.endpoint}: {reason}") from None
        except requests.exceptions.RequestException as exc:
            raise StoreError(f"request to {self.endpoint} failed: {first_line(str(exc))}") from None
        if response.status_code == 400:
            raise QueryError(f"malformed SPARQL (endpoint says: {first_line(body.decode('utf-8', 'replace'))})")
        if response.status_code >= 300:
            raise StoreError(f"SPARQL endpoint {self.endpoint} answered HTTP {response.status_code}: "
                             f"{first_line(body.decode('utf-8', 'replace'))}")
        return response, body

    def close(self) -> None:
        self.session.close()


def auth_for(session: Any, url: str, user: str, password: str) -> Any:
    """HTTP Digest auth when the server asks for it (Virtuoso's ``-auth`` endpoints), else Basic."""
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    try:
        probe = session.get(url, timeout=(CONNECT_TIMEOUT, 30))
    except requests.exceptions.RequestException:
        return HTTPDigestAuth(user, password)
    challenge = probe.headers.get("WWW-Authenticate", "")
    if probe.status_code == 401 and challenge.lower().startswith("basic"):
        return HTTPBasicAuth(user, password)
    return HTTPDigestAuth(user, password)
