"""Serve stage: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

The queries run in the real Oxigraph server (``oxigraph serve-read-only``, shipped by the PyPI
package ``oxigraph``): a few such processes, each running one query at a time, so that a query
still running at the time limit can be stopped by killing its process (Oxigraph's own
``--timeout-s`` misses some queries) while the others go on. A small guard in front of them
(stdlib :class:`~http.server.ThreadingHTTPServer`) is the only thing clients reach. It refuses updates (403) and ``SERVICE`` clauses (400, so the server never makes outbound
requests), caps the size of a result, answers GET and POST (form or ``application/sparql-query``)
in JSON, XML, CSV or TSV (Turtle, N-Triples, RDF/XML or JSON-LD for graphs) chosen by ``Accept``
or ``?format=``, streams each answer as it arrives (:mod:`kg.relay`: a stopped or failed query
is an HTTP error while the answer is under 1 MB, past that a stream cut short, never a truncated
answer that looks whole), and serves an offline query page at ``/``.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import select
import signal
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping
from urllib.parse import parse_qs, urlencode, urlsplit

from . import relay
from .errors import QueryError, StoreError
from .files import DATASET_FILE, OXIGRAPH_DIR, page_asset
from .sparql import is_update, parse
from .store.oxigraph import build_oxigraph
from .upstream import HOST, Pool, ServerError, free_port, oxigraph_binary  # noqa: F401 - kg.server's API

if TYPE_CHECKING:
    from .query import NamedQuery

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_RESULT_MB = 64.0
DEFAULT_WORKERS = max(4, min(8, os.cpu_count() or 1))
GRACE_S = 1.0  # past the time limit, a query Oxigraph did not stop itself is killed
MAX_QUERY_BYTES = 1 << 20
READ_TIMEOUT_S = 10.0  # a client silent this long (mid-request or idle between requests) is dropped
REQUEST_READ_S = 20.0  # a whole request (line, headers, body) must arrive within this
MAX_CONNECTIONS = 64
LONG_S = 1.0  # a query still computing after this long is a long one; workers are kept free of them
ACCEPT_RESULTS = ("application/sparql-results+json", "application/n-triples")

RESULT_TYPES = {  # name -> media type, for SELECT and ASK
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {  # name -> media type, for CONSTRUCT and DESCRIBE
    "ttl": "text/turtle", "nt": "application/n-triples", "rdf": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
           "turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "text/plain": "nt", "rdfxml": "rdf",
           "json-ld": "jsonld", "sparql-results+json": "json", "sparql-results+xml": "xml",
           "text/tab-separated-values": "tsv", "text/csv": "csv"}
#: ``format=`` names real clients send for graph results (SPARQLWrapper: xml, json, turtle, n3)
GRAPH_ALIASES = {"xml": "rdf", "rdfxml": "rdf", "rdf+xml": "rdf", "application/rdf+xml": "rdf",
                 "json": "jsonld", "json-ld": "jsonld", "application/ld+json": "jsonld", "turtle": "ttl",
                 "n3": "ttl", "text/turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nt": "nt",
                 "application/n-triples": "nt", "text/plain": "nt"}


def prepare_store(data_dir: Path) -> tuple[Path, bool]:
    """The on-disk Oxigraph store of a build, made from ``dataset.nq`` if it is missing."""
    data_dir = Path(data_dir)
    store = data_dir / OXIGRAPH_DIR
    if store.exists():
        return store, False
    dataset = data_dir / DATASET_FILE
    if not dataset.exists():
        raise StoreError("no built dataset here; run 'kg build' first", str(dataset))
    return build_oxigraph(dataset, store), True


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"


def _text(status: int, message: str) -> Reply:
    return Reply(status, (message.rstrip("\n") + "\n").encode("utf-8"))


def negotiate(accept: str, choices: dict[str, str], default: str) -> str | None:
    """The name in ``choices`` that ``accept`` prefers (highest q, then order); None if none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "json")
    'xml'
    >>> negotiate("*/*", RESULT_TYPES, "json")
    'json'
    >>> negotiate("image/png", RESULT_TYPES, "json") is None
    True
    """
    if not accept.strip():
        return default
    by_type = {mt: name for name, mt in choices.items()}
    by_type.update({mt: name for mt, name in ALIASES.items() if name in choices and "/" in mt})
    ranked = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            name = default if media == "*/*" or choices[default].startswith(media[:-1]) else next(
                (n for n, mt in choices.items() if mt.startswith(media[:-1])), None)
        else:
            name = by_type.get(media)
        if name:
            ranked.append((-q, i, name))
    return min(ranked)[2] if ranked else None


class Guard:
    """Checks, forwards and re-encodes SPARQL requests; shared by the request handler threads."""

    def __init__(self, pool: Pool, timeout_s: float, max_result_bytes: int, page: bytes, long_s: float = LONG_S):
        self.pool = pool
        self.timeout_s = timeout_s
        self.max_result_bytes = max_result_bytes
        self.page = page
        self.long_s = long_s

    def answer(self, params: dict[str, list[str]], accept: str) -> "Reply | Pending":
        """The reply to a request that fails its checks, or the checked query to :meth:`forward`."""
        import pyoxigraph as ox

        if "update" in params:
            return _text(403, "this endpoint is read-only: updates are refused")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return _text(400, "give exactly one SPARQL query in the 'query' parameter")
        try:  # every decision about the text comes from a real parse, and Oxigraph runs what was parsed
            query = parse(queries[0])
        except QueryError as exc:
            if is_update(queries[0]):
                return _text(403, "this endpoint is read-only: updates are refused")
            return _text(400, str(exc))
        graph = query.graph_result
        choices = GRAPH_TYPES if graph else RESULT_TYPES
        wanted = params.get("format", [""])[0].strip().lower()
        if wanted:
            name = (GRAPH_ALIASES if graph else ALIASES).get(wanted, wanted)
            if name not in choices:
                return _text(400, f"unknown format {wanted!r} for a {query.form} query "
                                  f"(one of {', '.join(choices)})")
        else:
            name = negotiate(accept, choices, "ttl" if graph else "json")
            if name is None:
                return _text(406, f"cannot answer a {query.form} query in {accept!r}; "
                                  f"acceptable: {', '.join(choices.values())}")
        forward = {"query": query.text}
        for key in ("default-graph-uri", "named-graph-uri"):
            if key in params:
                forward[key] = params[key]
        media = choices[name]
        fmt = (ox.RdfFormat if graph else ox.QueryResultsFormat).from_media_type(media)
        if media.startswith("text/") or media.endswith(("json", "xml")):
            media += "; charset=utf-8"
        return Pending(urlencode(forward, doseq=True), graph, fmt, media)

    def forward(self, pending: "Pending", out: relay.Out) -> Reply | None:
        """Run the query in an idle Oxigraph process and write its answer, re-encoded as the
        client asked, to ``out`` as it arrives; the error to answer instead, if any. The process is
        killed if the time limit passes.

        A query still computing after ``long_s`` counts as long; when as many long queries
        run as the pool keeps for them (all workers but its reserve), it is stopped instead, so
        that short queries from other clients keep being answered.
        """
        import pyoxigraph as ox

        upstream = self.pool.acquire(wait=self.timeout_s)
        if upstream is None:
            return _text(503, f"busy: all {self.pool.size} query workers are running queries; try again")
        started = time.monotonic()
        deadline = started + self.timeout_s + GRACE_S
        healthy = long = False
        conn = http.client.HTTPConnection(HOST, upstream.port, timeout=self.timeout_s + GRACE_S)
        stopped = _text(503, f"query stopped: it ran past the time limit of {self.timeout_s:g} s")
        try:
            conn.connect()
            sock = conn.sock
            conn.request("POST", "/query", body=pending.form.encode("utf-8"), headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT_RESULTS[pending.graph]})
            while not select.select([sock], [], [], max(0.0, (deadline if long else min(deadline, started + self.long_s))
                                                          - time.monotonic()))[0]:
                if time.monotonic() >= deadline:
                    return stopped
                if not long:
                    if not self.pool.start_long():
                        return _text(503, f"busy: {self.pool.long} long queries are running, as many as this "
                                          f"endpoint runs at once; this one was stopped after {self.long_s:g} s. "
                                          f"Try again later or narrow the query")
                    long = True
            response = conn.getresponse()
            source = relay.Source(response, sock, deadline)
            if response.status != 200:
                text = _read_some(source).decode("utf-8", "replace").strip()
                return _text(response.status if 400 <= response.status < 600 else 502,
                             text or http.client.responses.get(response.status, ""))
            try:
                if pending.graph:
                    ox.serialize(ox.parse(source, format=ox.RdfFormat.N_TRIPLES), out, format=pending.fmt)
                else:
                    ox.parse_query_results(source, format=ox.QueryResultsFormat.JSON).serialize(out, format=pending.fmt)
            except relay.TooLarge:
                mb = self.max_result_bytes / (1 << 20)
                return _text(413, f"the result is larger than this endpoint's cap of {mb:g} MB; "
                                  f"add a LIMIT or narrow the query")
            except (SyntaxError, ValueError) as exc:
                return self._failed(source.tail, exc)
            healthy = True
            return None
        except TimeoutError:
            return stopped
        except (OSError, http.client.HTTPException) as exc:
            return _text(502, f"the query engine failed: {exc}")
        finally:
            conn.close()
            if long:
                self.pool.end_long()
            if healthy:
                self.pool.release(upstream)
            else:
                self.pool.discard(upstream)

    def _failed(self, tail: bytes, exc: Exception) -> Reply:
        if "cancelled" in tail.decode("utf-8", "replace"):
            return _text(503, f"query stopped: it ran past the time limit of {self.timeout_s:g} s")
        return _text(500, f"query failed while its results were produced: {' '.join(str(exc).split())[:200]}")


@dataclass
class Pending:
    """A checked query to forward: the form to post, whether it makes a graph, and the format
    (pyoxigraph's, and its media type) the client gets."""

    form: str
    graph: bool
    fmt: object
    media: str


def _read_some(source: relay.Source, limit: int = 1 << 16) -> bytes:
    """At most ``limit`` bytes of an error body."""
    parts, size = [], 0
    while size < limit:
        chunk = source.read(limit - size)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


class Handler(BaseHTTPRequestHandler):
    """One request: the page at ``/``, SPARQL at ``/query`` (or ``/sparql``), nothing else."""

    server_version = "kg-sparql"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT_S  # every socket read: a silent client is dropped, idle or mid-request
    guard: Guard  # set on the subclass made by make_server
    server: "Server"

    def handle_one_request(self) -> None:
        # the request line, headers and body must all arrive by this deadline (slow senders too)
        limits = self.server.limits
        self.server.watch(self, time.monotonic() + limits.read_timeout_s + limits.request_read_s)
        try:
            super().handle_one_request()
        finally:
            self.server.unwatch(self)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def _send(self, reply: Reply, head_only: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        relay.send_common_headers(self)
        if reply.status == 405:
            self.send_header("Allow", "GET, POST, HEAD")
        self.end_headers()
        if not head_only:
            self.wfile.write(reply.body)

    def _route(self) -> str | None:
        path = urlsplit(self.path).path.rstrip("/") or "/"
        if path in ("/", "/index.html"):
            return "page"
        if path in ("/query", "/sparql"):
            return "query"
        if path in ("/update", "/store", "/sparql-graph-crud", "/sparql-graph-crud-auth"):
            return "write"
        return None

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        route = self._route()
        reply = Reply(200, self.guard.page, "text/html; charset=utf-8") if route == "page" else _text(
            404 if route is None else 405, "use GET or POST")
        self._send(reply, head_only=True)

    def do_GET(self) -> None:  # noqa: N802
        route = self._route()
        self.server.unwatch(self)
        if route == "page":
            self._send(Reply(200, self.guard.page, "text/html; charset=utf-8"))
        elif route == "query":
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            self._answer(params)
        elif route == "write":
            self._send(_text(403, "this endpoint is read-only: updates are refused"))
        else:
            self._send(_text(404, "not found: the query page is at / and SPARQL at /query"))

    def do_POST(self) -> None:  # noqa: N802
        route = self._route()
        body = self._body()
        self.server.unwatch(self)
        if body is None:
            return
        if route == "write":
            self._send(_text(403, "this endpoint is read-only: updates are refused"))
            return
        if route != "query":
            self._send(_text(404 if route is None else 405, "POST SPARQL queries to /query"))
            return
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._send(_text(403, "this endpoint is read-only: updates are refused"))
            return
        if ctype == "application/sparql-query":
            params.pop("query", None)
            params["query"] = [body.decode("utf-8", "replace")]
        elif ctype == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            self._send(_text(415, "send application/x-www-form-urlencoded or application/sparql-query"))
            return
        self._answer(params)

    def _answer(self, params: dict[str, list[str]]) -> None:
        """Check the query, then stream its answer (see :class:`relay.Out`): an error found after
        the first bytes were sent cuts the stream short instead of ending it."""
        reply = self.guard.answer(params, self.headers.get("Accept", ""))
        if isinstance(reply, Reply):
            self._send(reply)
            return
        out = relay.Out(self, reply.media, self.guard.max_result_bytes)
        try:
            failed = self.guard.forward(reply, out)
            if failed is None and not out.committed:
                self._send(Reply(200, out.body(), reply.media))
            elif failed is None:
                out.end()
            elif not out.committed:
                self._send(failed)
            else:
                self.close_connection = True
        except relay.ClientGone:
            self.close_connection = True

    def _refuse_write(self) -> None:
        self._body()
        self._send(_text(403, "this endpoint is read-only: updates are refused"))

    do_PUT = do_DELETE = do_PATCH = _refuse_write  # noqa: N815

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                self._send(_text(411, "send a Content-Length"))
                return None
            return b""
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0 or size > MAX_QUERY_BYTES:
            self.close_connection = True
            self._send(_text(413, f"the request is larger than {MAX_QUERY_BYTES} bytes"))
            return None
        return self.rfile.read(size)


class Server(ThreadingHTTPServer):
    """The guard's HTTP server: at most ``limits.max_connections`` connections at once (more are
    answered 503 and closed), and a reaper that drops a connection whose request has not arrived
    in full by its deadline."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type, limits: "Limits"):
        super().__init__(address, handler)
        self.limits = limits
        self.slots = threading.BoundedSemaphore(limits.max_connections)
        self.reading: dict[Handler, float] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.reaper = threading.Thread(target=self._reap, name="kg-serve-reaper", daemon=True)
        self.reaper.start()

    def process_request(self, request: socket.socket, client_address: tuple) -> None:
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Content-Length: 27\r\nConnection: close\r\n\r\nbusy: too many connections\n")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: socket.socket, client_address: tuple) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def watch(self, handler: Handler, deadline: float) -> None:
        with self.lock:
            self.reading[handler] = deadline

    def unwatch(self, handler: Handler) -> None:
        with self.lock:
            self.reading.pop(handler, None)

    def _reap(self) -> None:
        while not self.stopping.wait(0.25):
            now = time.monotonic()
            with self.lock:
                late = [h for h, deadline in self.reading.items() if deadline < now]
                for handler in late:
                    del self.reading[handler]
            for handler in late:
                handler.close_connection = True
                with contextlib.suppress(OSError):
                    handler.connection.shutdown(socket.SHUT_RDWR)

    def server_close(self) -> None:
        self.stopping.set()
        super().server_close()


@dataclass
class Endpoint:
    """A running endpoint: the guard's URL, and how to stop it and the Oxigraph servers behind it."""

    url: str
    httpd: Server
    pool: Pool
    thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def serve_in_thread(self) -> "Endpoint":
        """Serve from a daemon thread (for notebooks and tests); :meth:`stop` ends it."""
        self.thread = threading.Thread(target=self.serve_forever, name="kg-serve", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread.join()
            self.thread = None
        self.httpd.server_close()
        self.pool.close()


@dataclass(frozen=True)
class Limits:
    """What the endpoint allows: the time limit of a query, the size of a result, the query
    workers, how long a client may be silent, how long a whole request may take to arrive, how
    many connections are open at once, and when a query counts as long."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    max_result_mb: float = DEFAULT_MAX_RESULT_MB
    workers: int = DEFAULT_WORKERS
    read_timeout_s: float = READ_TIMEOUT_S
    request_read_s: float = REQUEST_READ_S
    max_connections: int = MAX_CONNECTIONS
    long_s: float = LONG_S

    def check(self) -> None:
        for name in ("timeout_s", "max_result_mb", "read_timeout_s", "request_read_s", "long_s"):
            if getattr(self, name) <= 0:
                raise ServerError(f"--{name.replace('_', '-')} must be positive")
        if self.workers < 1 or self.max_connections < 1:
            raise ServerError("--workers and the connection limit must be at least 1")


def start(data_dir: Path = Path("build"), port: int = DEFAULT_PORT, limits: Limits = Limits()) -> Endpoint:
    """Start Oxigraph servers on the build's store and the guard on ``127.0.0.1:port``."""
    limits.check()
    location, _ = prepare_store(data_dir)
    page = query_page().encode("utf-8")
    pool = Pool(location, limits.timeout_s, limits.workers)
    try:
        guard = Guard(pool, limits.timeout_s, int(limits.max_result_mb * (1 << 20)), page, limits.long_s)
        handler = type("BoundHandler", (Handler,), {"guard": guard, "timeout": limits.read_timeout_s})
        try:
            httpd = Server((HOST, port), handler, limits)
        except OSError as exc:
            raise ServerError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    except BaseException:
        pool.close()
        raise
    return Endpoint(f"http://{HOST}:{httpd.server_address[1]}/query", httpd, pool)


def serve(data_dir: Path = Path("build"), port: int = DEFAULT_PORT, limits: Limits = Limits(),
          on_ready: Callable[[Endpoint], None] | None = None) -> None:
    """Run the endpoint until interrupted (Ctrl-C or SIGTERM), then stop the Oxigraph servers."""
    endpoint = start(data_dir, port, limits)

    def _stop(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _stop)
    try:
        if on_ready:
            on_ready(endpoint)
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.httpd.server_close()
        endpoint.pool.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


# --- the query page -----------------------------------------------------------------------------

def query_page(queries: Mapping[str, "NamedQuery"] | None = None) -> str:
    """The offline query page (``static/query-page.*`` inlined): a form, the catalogue's queries
    as examples, the prefixes that need no declaration, no outside resources."""
    from .query import catalogue
    from .vocab import PREFIXES

    queries = catalogue() if queries is None else queries
    options = []
    for nq in queries.values():
        title = nq.description or nq.title
        options.append(f'<option value="{html.escape(nq.name)}" title="{html.escape(title)}" '
                       f'data-query="{html.escape(nq.sparql)}">{html.escape(nq.title)}</option>')
    first = next(iter(queries.values()), None)
    initial = first.sparql if first else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    formats = "".join(f'<option value="{n}">{html.escape(n.upper())} ({html.escape(mt)})</option>'
                      for n, mt in RESULT_TYPES.items())
    prefixes = ", ".join(f"<code>{html.escape(p)}:</code> <code>&lt;{html.escape(iri)}&gt;</code>"
                         for p, iri in PREFIXES.items())
    parts = {"@@CSS@@": page_asset("query-page.css"), "@@JS@@": page_asset("query-page.js"),
             "@@OPTIONS@@": "".join(options), "@@INITIAL@@": html.escape(initial), "@@FORMATS@@": formats,
             "@@PREFIXES@@": prefixes}
    page = page_asset("query-page.html")
    for marker, value in parts.items():
        page = page.replace(marker, value)
    return page
