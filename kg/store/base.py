"""What every store shares: the result type, term conversions, and the normalisation that makes
the same query give the same rows on every store."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from .. import defaults
from ..errors import QueryError
from ..sparql import COUNT_VAR, OrderKey, ParsedQuery, count_text, paged_text, parse
from .order import encoded_order

if TYPE_CHECKING:  # pragma: no cover
    from .child import Answer
    from .worker import Worker

#: Seconds a query may run before it is stopped (``kg query --timeout``).
DEFAULT_TIMEOUT = defaults.QUERY_TIMEOUT_S
#: The fields of a query's parse that make a store sort its rows itself: cleared, the engine's own
#: ``ORDER BY`` orders them (a page, a stream, a count).
ENGINE_ORDER = {"order": None, "unordered": None, "hidden": (), "unordered_shift": 0}
#: A restriction of a query: (variable name, the terms it may take).
Among = tuple[str, Sequence[Node]]
#: What a page keeps of an engine's answer: (shape, sink), ``shape`` as :func:`kg.store.child.shaped`
#: takes it; ``sink["total"]`` gets the answer's row count.
Window = tuple[tuple, dict]


@dataclass
class QueryResult:
    """Rows of a SELECT (terms or None), a boolean for ASK, or triples for CONSTRUCT/DESCRIBE."""

    vars: list[str]
    rows: list[tuple[Node | None, ...]]
    boolean: bool | None = None

    def records(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.vars, row)) for row in self.rows]


@dataclass
class Page(QueryResult):
    """One page of a SELECT's rows: ``rows`` start at row ``offset`` (0-based) of ``total``."""

    offset: int = 0
    total: int | None = None


class Store:
    """A SPARQL-queryable dataset whose default graph is the union of its named graphs.

    :meth:`query` parses the text once (refusing what :func:`kg.sparql.parse` refuses), runs it
    within ``timeout`` seconds (None: no limit) and normalises the rows, so that every store
    gives the same answer. A local store implements :meth:`_answer` (the engine's own answer)
    and :meth:`_encode` (one engine term as a tuple); each query then runs in a forked child
    that the time limit can kill (:mod:`kg.store.child`).
    """

    name = "abstract"
    forks = True
    #: whether queries go to one process that stays (:mod:`kg.store.worker`) rather than a child each
    keeps_worker = False
    #: whether a page and its total come from one pass over the engine's answer in this process
    #: (a local engine); a remote store pages the streamed answer and asks the engine to count
    pages_by_engine = True
    #: the time limit of a query that does not give one (``open_store(..., timeout=)``)
    timeout: float | None = DEFAULT_TIMEOUT

    def query(self, query: str | ParsedQuery, bindings: Mapping[str, Node] | None = None,
              timeout: Any = ...) -> QueryResult:
        """Run ``query`` with ``bindings`` (variable -> term), stopping it after ``timeout``
        seconds (default: the store's :attr:`timeout`; None: no limit)."""
        parsed = _parsed(query)
        timeout = self.timeout if timeout is ... else timeout
        names, boolean, rows = self._stream(parsed, dict(bindings or {}), timeout, False)
        return normalise(parsed, QueryResult(names, list(rows), boolean))

    def stream(self, query: str | ParsedQuery, bindings: Mapping[str, Node] | None = None,
               timeout: Any = ...) -> tuple[list[str], Iterator[tuple[Node | None, ...]]]:
        """The variables and an iterator of the rows of a SELECT (triples of a CONSTRUCT), in the
        order of the engine's own ``ORDER BY``, each row normalised as :meth:`query` does; no
        list of all rows is made."""
        parsed = _parsed(query)
        names, boolean, rows = self._engine_rows(parsed, bindings, timeout)
        if boolean is not None:
            raise QueryError("an ASK query has no rows to stream", parsed.source)
        return names, rows

    def _engine_rows(self, parsed: ParsedQuery, bindings: Mapping[str, Node] | None, timeout: Any,
                     window: "Window | None" = None) -> tuple[list[str], bool | None, Iterator[tuple]]:
        """The rows in the order of the engine's own ``ORDER BY``, normalised as :meth:`query`
        does (with ``window``: only those rows, see :meth:`_stream`)."""
        timeout = self.timeout if timeout is ... else timeout
        names, boolean, rows = self._stream(replace(parsed, **ENGINE_ORDER), dict(bindings or {}), timeout, False,
                                            window=window)
        fix = row_normaliser(parsed, names)
        return names, boolean, (fix(row) for row in rows)

    def count(self, query: str | ParsedQuery, bindings: Mapping[str, Node] | None = None,
              timeout: Any = ...) -> int:
        """How many rows the SELECT ``query`` has, counted by the engine (a ``COUNT(*)`` around
        it) where SPARQL allows, else by streaming them."""
        parsed = _parsed(query)
        text = count_text(parsed, bindings or {})
        if text is None:
            return sum(1 for _ in self.stream(parsed, bindings, timeout)[1])
        counting = self._derive(parsed, text, projected=(COUNT_VAR,), concat={}, limited=False, select_at=None,
                                where_brace=None, where_end=None, **ENGINE_ORDER)
        result = self.query(counting, timeout=timeout)
        value = plain(result.rows[0][0]) if result.rows else 0
        return int(value or 0)  # type: ignore[arg-type]

    def page(self, query: str | ParsedQuery, bindings: Mapping[str, Node] | None = None,
             limit: int = defaults.PAGE_ROWS, offset: int = 0, timeout: Any = ...) -> Page:
        """Rows ``offset`` to ``offset + limit`` of a SELECT, in the order of its ``ORDER BY``, and
        the total. A local engine makes an unsorted page itself (it stops there) and counts the
        rows apart; a sorted answer cannot stop early, so its page and total come from one
        evaluation whose rows past the page are counted, not decoded. An ASK or CONSTRUCT gives
        its whole answer."""
        parsed = _parsed(query)
        if parsed.form != "SELECT":
            whole = self.query(parsed, bindings, timeout)
            return Page(whole.vars, whole.rows, whole.boolean, 0, None if whole.boolean is not None else len(whole.rows))
        if int(limit) < 0 or int(offset) < 0:
            raise QueryError("a page's limit and offset are 0 or more")
        indexed = None if bindings else self._indexed_page(parsed, int(limit), int(offset), timeout)
        if indexed is not None:  # the build indexed where this query's rows start (kg.store.pages)
            return indexed
        text = paged_text(parsed, bindings or {}, limit, offset) if self.pages_by_engine and not parsed.order else None
        if text is not None:  # unsorted: the engine stops at the page, and counts in its own code
            result = self.query(self._derive(parsed, text, limited=True, **ENGINE_ORDER), timeout=timeout)
            names, rows = result.vars, result.rows
        elif self.pages_by_engine:  # sorted: one evaluation, the page's rows decoded, the rest counted
            sink: dict = {}
            if parsed.order and not any(k.var in parsed.concat for k in parsed.order):
                names, rows = self._top(parsed, bindings, timeout, int(offset), int(limit), sink)
            else:
                names, _boolean, rows = self._engine_rows(parsed, bindings, timeout,
                                                          (("window", int(offset), int(limit)), sink))
            page = list(rows)
            return Page(names, page, None, offset, sink.get("total"))
        else:
            names, stream = self.stream(parsed, bindings, timeout)
            rows = list(islice(stream, offset, offset + limit))
        if limit and ((rows and len(rows) < limit) or (not rows and offset == 0)):  # it holds the last row
            return Page(names, rows, None, offset, offset + len(rows))
        return Page(names, rows, None, offset, self.count(parsed, bindings, timeout))

    def _indexed_page(self, parsed: ParsedQuery, limit: int, offset: int, timeout: Any) -> Page | None:
        """A page read through the store's page index, or None (no index, or not this query)."""
        return None

    def _top(self, parsed: ParsedQuery, bindings: Mapping[str, Node] | None, timeout: Any, offset: int,
             limit: int, sink: dict) -> tuple[list[str], Iterator[tuple]]:
        """A sorted page as :meth:`query` orders it: the engine evaluates the query unsorted (its
        own ``ORDER BY`` reads every string from disk per comparison) and only the first
        ``offset + limit`` rows by the query's keys are kept as it goes; ``sink["total"]`` counts all."""
        timeout = self.timeout if timeout is ... else timeout
        names, _boolean, rows = self._stream(parsed, dict(bindings or {}), timeout, False,
                                             window=(("top", offset, limit, parsed.order or ()), sink))
        fix = row_normaliser(parsed, names)
        keep = [i for i, v in enumerate(names) if v not in parsed.hidden]
        if len(keep) == len(names):
            return names, (fix(row) for row in rows)
        return [names[i] for i in keep], (tuple(fix(row)[i] for i in keep) for row in rows)

    def _derive(self, parsed: ParsedQuery, text: str, **changes: Any) -> ParsedQuery:
        """``parsed`` with ``text`` that this module made from it by adding fixed syntax (a page's
        ``LIMIT``, a count around it), so it needs no second parse; a store that evaluates the
        parsed algebra rather than the text parses it anew."""
        return replace(parsed, text=text, **changes)

    def values(self, query: str | ParsedQuery, among: Among | None = None,
               timeout: Any = ...) -> tuple[list[str], list[tuple[object, ...]]]:
        """The variables and rows of a SELECT with every term as a :func:`plain` Python value
        (no rdflib term is made); ``among=(var, terms)`` keeps the rows whose ``?var`` is one of
        ``terms`` (each store restricts the query the way its engine evaluates fastest)."""
        parsed = _parsed(query)
        timeout = self.timeout if timeout is ... else timeout
        if parsed.order or parsed.concat:
            names, _boolean, rows = self._stream(parsed, {}, timeout, False, among)
            result = normalise(parsed, QueryResult(names, list(rows)))
            return result.vars, [tuple(plain(t) for t in row) for row in result.rows]
        names, _boolean, rows = self._stream(parsed, {}, timeout, True, among)
        return names, list(rows)

    def _stream(self, parsed: ParsedQuery, bindings: dict[str, Node], timeout: float | None,
                plain_values: bool, among: Among | None = None,
                window: "Window | None" = None) -> tuple[list[str], bool | None, Iterator[tuple]]:
        """The engine's answer as rows of rdflib terms (or plain values); with ``window`` (shape,
        sink) the rows of ``shape(answer)`` (a page of it), and ``sink["total"]`` the answer's row
        count once they are read."""
        from . import child

        if timeout is not None and self.forks and child.can_fork():
            request = (parsed, bindings, among, window[0] if window else None)
            sink = window[1] if window else None
            answer = None
            if self.keeps_worker:  # the text goes there, not rdflib's parse (which does not pickle)
                answer = self._worker().run((replace(parsed, prepared=None), *request[1:]), timeout, sink)
            if answer is None:  # no worker, or it is busy: a child for this query
                answer = child.run(lambda: self._serve(request), self._encode, timeout, sink)
            names, boolean, batches = answer
            return names, boolean, child.decode_batches(batches, decode_plain if plain_values else decode_term)
        with child.ENGINE_LOCK:
            answer = self._answer(parsed, bindings, among)
        rows = child.in_process(answer, timeout)
        if window:
            shaped = child.shaped(child.Answer(answer.vars, rows), window[0], self._encode)
            rows = _total_into(shaped, window[1])
        if plain_values:
            def convert(t: Any) -> object:
                return decode_plain(self._encode(t))
        else:
            convert = self._term
        cache: dict[Any, Any] = {}

        def row(values: tuple) -> tuple:
            out = []
            for t in values:
                if t is None:
                    out.append(None)
                    continue
                v = cache.get(t, cache)
                if v is cache:
                    v = cache[t] = convert(t)
                out.append(v)
            return tuple(out)
        return answer.vars, answer.boolean, (row(r) for r in rows)

    def _answer(self, query: ParsedQuery, bindings: dict[str, Node], among: Among | None = None) -> "Answer":
        """The engine's answer to ``query`` with ``bindings``, restricted by ``among``."""
        raise NotImplementedError

    def _serve(self, request: tuple) -> "Answer":
        """The answer to a request of :meth:`_stream`: (query, bindings, among, shape)."""
        from . import child

        parsed, bindings, among, shape = request
        answer = self._answer(parsed, bindings, among)
        return child.shaped(answer, shape, self._encode) if shape else answer

    def _worker(self) -> "Worker":
        from .worker import Worker

        if self.__dict__.get("_query_worker") is None:
            self._query_worker = Worker(self._serve, self._encode)
        return self._query_worker

    def _encode(self, term: Any) -> tuple:
        """One engine term as the tuple :func:`decode_term` reads."""
        raise NotImplementedError

    def _term(self, term: Any) -> Node:
        """One engine term as an rdflib term."""
        return decode_term(self._encode(term))

    def close(self) -> None:
        """Release the store's resources."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _total_into(answer: "Answer", sink: dict) -> Iterator[tuple]:
    """The rows of a shaped answer; then ``sink["total"]`` is its ``total``."""
    yield from answer.rows
    sink["total"] = answer.total


def _parsed(query: str | ParsedQuery) -> ParsedQuery:
    return query if isinstance(query, ParsedQuery) else parse(query)


# --- terms -----------------------------------------------------------------------------------

def plain_term(term: Node | None) -> Node | None:
    """Literals typed xsd:string become plain literals, so every store compares alike."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def plain(term: Node | None) -> object:
    """A Python value for a term: numbers as numbers, everything else as text.

    >>> plain(Literal(3)), plain(Literal("2019-05", datatype=XSD.gYearMonth)), plain(URIRef("urn:x"))
    (3, '2019-05', 'urn:x')
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool) or isinstance(value, (int, float)):
            return value
        if hasattr(value, "as_tuple"):  # Decimal
            return int(value) if value == value.to_integral_value() else float(value)
        return str(term)
    return str(term)


_PLAIN_NUMBERS = {str(XSD[t]): int for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                             "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_PLAIN_NUMBERS.update({str(XSD.double): float, str(XSD.float): float})
_XSD_STRING = str(XSD.string)


def decode_term(encoded: tuple) -> Node:
    """The rdflib term of an encoded term (see :mod:`kg.store.child`); xsd:string made plain."""
    kind = encoded[0]
    if kind == "u":
        return URIRef(encoded[1])
    if kind == "b":
        return BNode(encoded[1])
    _, lexical, datatype, language = encoded
    if language:
        return Literal(lexical, lang=language)
    if datatype is None or datatype == _XSD_STRING:
        return Literal(lexical)
    return Literal(lexical, datatype=URIRef(datatype))


def decode_plain(encoded: tuple) -> object:
    """:func:`plain` of an encoded term, without making an rdflib term where it can."""
    if encoded[0] != "l":
        return encoded[1]
    _, lexical, datatype, language = encoded
    kind = _PLAIN_NUMBERS.get(datatype) if datatype and not language else None
    if kind is not None:
        try:
            return kind(lexical)
        except ValueError:
            return lexical
    if datatype in (str(XSD.decimal), str(XSD.boolean)):
        return plain(decode_term(encoded))
    return lexical


def encode_rdflib(term: Node) -> tuple:
    """An rdflib term as the tuple :func:`decode_term` reads."""
    if isinstance(term, URIRef):
        return ("u", str(term))
    if isinstance(term, BNode):
        return ("b", str(term))
    if isinstance(term, Literal):
        return ("l", str(term), str(term.datatype) if term.datatype else None, term.language)
    raise TypeError(f"unsupported term {term!r}")


# --- one answer on every store ------------------------------------------------------------------

def normalise(query: ParsedQuery, result: QueryResult) -> QueryResult:
    """Rows as every store gives them: a ``GROUP_CONCAT`` is a plain literal (``""`` when it
    joined nothing; Oxigraph leaves it unbound), the parts of a ``DISTINCT`` one are sorted
    (SPARQL leaves their order open), and rows follow the query's trailing ``ORDER BY`` by one
    collation (engines differ on strings)."""
    if result.boolean is not None or query.graph_result:
        return result
    rows = result.rows
    if any(v in query.concat for v in result.vars):
        fix = row_normaliser(query, result.vars)
        rows = [fix(row) for row in rows]
    names = result.vars
    if query.order and set(k.var for k in query.order) <= set(names):
        rows = sort_rows(names, rows, query.order)
    if query.hidden and set(query.hidden) <= set(names):  # keys added only to sort by
        keep = [i for i, v in enumerate(names) if v not in query.hidden]
        names = [names[i] for i in keep]
        rows = [tuple(row[i] for i in keep) for row in rows]
    return QueryResult(names, rows, result.boolean)


def row_normaliser(query: ParsedQuery, names: list[str]) -> Callable[[tuple], tuple]:
    """What :func:`normalise` does to each row on its own (the ``GROUP_CONCAT`` columns)."""
    columns = {i: query.concat[v] for i, v in enumerate(names) if v in query.concat}
    if not columns:
        return lambda row: row
    return lambda row: tuple(_concat(t, *columns[i]) if i in columns else t for i, t in enumerate(row))


def _concat(term: Node | None, distinct: bool, separator: str) -> Node:
    if term is None:
        return Literal("")
    text = str(term)
    if distinct and separator and separator in text:
        text = separator.join(sorted(text.split(separator)))
    elif not (isinstance(term, Literal) and (term.language or term.datatype)):
        return term
    return Literal(text)


def order_value(term: Node | None, as_string: bool = False) -> tuple:
    """A sort key following SPARQL's ORDER BY: unbound, blank nodes, IRIs, then literals
    (numbers by value, dates in time order, strings by text, other types by type then text)."""
    if term is None:
        return (0,)
    if not isinstance(term, (URIRef, BNode, Literal)):
        return (4, str(term))
    return encoded_order(encode_rdflib(term), as_string)


def sort_rows(names: Sequence[str], rows: list[tuple], keys: Sequence[OrderKey]) -> list[tuple]:
    """``rows`` sorted by ``keys`` as ``ORDER BY`` would (stable, last key first)."""
    rows = list(rows)
    for key in reversed(keys):
        i = list(names).index(key.var)
        rows.sort(key=lambda row: order_value(row[i], key.as_string), reverse=key.descending)
    return rows


def chunks(rows: Iterator[Any], size: int = 2000) -> Iterator[list[Any]]:
    """``rows`` in lists of at most ``size``."""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
