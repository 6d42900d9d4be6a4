"""Query text: every decision about SPARQL text, made from a real parse (rdflib's grammar).

:func:`parse` reads a query once and answers what the rest of the product needs to know: its
form, projected variables, the trailing ``ORDER BY`` keys, the ``GROUP_CONCAT`` columns, and the
offsets where a ``VALUES`` block may go or the ordering ends. It refuses, with one line naming the
place, what cannot be parsed and every ``SERVICE`` clause, so that no query sent by a user ever
makes this product fetch a URL. Unicode escapes (``\\uXXXX``) are expanded before parsing, as
SPARQL 1.1 (§19.2) says, and engines receive the expanded text: they run what was checked.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from rdflib import XSD, Literal, URIRef, Variable
from rdflib.term import Node

from .errors import QueryError
from .vocab import PREFIXES

__all__ = ["OrderKey", "ParsedQuery", "count_text", "is_update", "paged_text", "parse", "sparql_term", "with_values"]

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class OrderKey:
    """One key of a trailing ``ORDER BY``: ``?var``, ``STR(?var)``, in ``ASC()`` or ``DESC()``."""

    var: str
    descending: bool = False
    as_string: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query that parsed and passed the checks.

    ``text`` is what an engine receives (escapes expanded, the project's prefixes that the query
    uses without declaring them declared on its first line, so line numbers stay the user's).
    """

    source: str
    text: str
    form: str
    prepared: Any = field(repr=False, compare=False)
    projected: tuple[str, ...] = ()
    order: tuple[OrderKey, ...] | None = None
    unordered: str | None = None
    #: order keys the query does not project: ``unordered`` projects them too, for sorting
    hidden: tuple[str, ...] = ()
    #: how many characters ``unordered`` adds before the WHERE group (the hidden keys)
    unordered_shift: int = 0
    where_brace: int | None = None
    where_end: int | None = None
    #: where each OPTIONAL group directly in the WHERE group begins (just inside its brace)
    optional_starts: tuple[int, ...] = ()
    concat: Mapping[str, tuple[bool, str]] = field(default_factory=dict)
    limited: bool = False
    #: a ``VALUES`` block after the WHERE group
    trailing_values: bool = False
    #: where the top-level ``SELECT`` keyword starts in ``text``
    select_at: int | None = None
    dataset_clause: bool = False
    variables: frozenset[str] = frozenset()

    @property
    def graph_result(self) -> bool:
        """True for CONSTRUCT and DESCRIBE, whose answer is triples."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


# --- the grammar: rdflib's, with markers that record where the top-level clauses start --------

_marks = threading.local()
#: pyparsing is not thread-safe (a parse action's arity is found at its first call, racily): one
#: parse at a time, which costs nothing, the parse holding the GIL anyway (kg serve's threads)
_PARSE_LOCK = threading.Lock()


def _marker(name: str, many: bool = False):
    from pyparsing import Empty

    def record(_s: str, loc: int, _toks: Any) -> list:
        if many:
            _marks.found.setdefault(name, set()).add(loc)
        else:
            _marks.found[name] = loc
        return []
    return Empty().set_parse_action(record)


@lru_cache(maxsize=1)
def _grammar():
    """rdflib's query grammar rebuilt at the top level, with zero-width markers before the top-level
    WHERE group and ORDER BY clause. Inner patterns are rdflib's own elements, so the parse tree
    is exactly the one ``rdflib.plugins.sparql.parser.parseQuery`` returns."""
    from pyparsing import CaselessKeyword as kw, OneOrMore, Optional, Suppress, ZeroOrMore
    from rdflib.plugins.sparql import parser as P
    from rdflib.plugins.sparql.parserutils import Comp, Param, ParamList
    from rdflib.plugins.sparql.pyparsing_compat import rest_of_line

    # the WHERE group's own parts, with a marker at the top of each OPTIONAL group that is not a
    # sub-select (where a
    # parameter's VALUES can restrict it too: see with_values)
    optional = Comp("OptionalGraphPattern", kw("OPTIONAL") + Param(
        "graph", Suppress("{") + (P.SubSelect | _marker("optional", many=True) + P.GroupGraphPatternSub) + Suppress("}")))
    part = (P.GroupOrUnionGraphPattern | optional | P.MinusGraphPattern | P.GraphGraphPattern
            | P.ServiceGraphPattern | P.Filter | P.Bind | P.InlineData)
    top = Comp("GroupGraphPatternSub", Optional(ParamList("part", Comp("TriplesBlock", P.TriplesBlock)))
               + ZeroOrMore(ParamList("part", part) + Optional(".")
                            + Optional(ParamList("part", Comp("TriplesBlock", P.TriplesBlock)))))
    group = Suppress("{") + (P.SubSelect | top) + _marker("where_end") + Suppress("}")
    where = Optional(kw("WHERE")) + Param("where", _marker("where") + group)
    modifier = (Optional(Param("groupby", P.GroupClause)) + Optional(Param("having", P.HavingClause))
                + Optional(Param("orderby", _marker("order") + P.OrderClause))
                + Optional(Param("limitoffset", P.LimitOffsetClauses)))
    datasets = ZeroOrMore(ParamList("datasetClause", P.DatasetClause))
    select = Comp("SelectQuery", _marker("select") + P.SelectClause + _marker("projection_end") + datasets + where + modifier
                  + P.ValuesClause)
    construct = Comp("ConstructQuery", kw("CONSTRUCT") + (
        P.ConstructTemplate + datasets + where + modifier + P.ValuesClause
        | datasets + kw("WHERE") + _marker("where") + "{"
        + Optional(Param("where", Comp("FakeGroupGraphPatten",
                                       ParamList("part", Comp("TriplesBlock", P.TriplesTemplate)))))
        + "}" + modifier + P.ValuesClause))
    ask = Comp("AskQuery", kw("ASK") + datasets + where + modifier + P.ValuesClause)
    describe = Comp("DescribeQuery", kw("DESCRIBE") + (OneOrMore(ParamList("var", P.VarOrIri)) | "*")
                    + datasets + Optional(where) + modifier + P.ValuesClause)
    query = P.Prologue + (select | construct | describe | ask)
    query.ignore("#" + rest_of_line)
    return query


def _expand(text: str) -> str:
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        return expandUnicodeEscapes(text)
    except ValueError as exc:
        raise QueryError(f"malformed SPARQL: {exc}") from None


def is_update(text: str) -> bool:
    """True if ``text`` is a SPARQL Update request (INSERT, DELETE, LOAD, DROP …).

    >>> is_update("INSERT DATA { <urn:a> <urn:b> <urn:c> }"), is_update("SELECT * { ?s ?p ?o }")
    (True, False)
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        with _PARSE_LOCK:
            parseUpdate(_expand(text))
    except Exception:  # noqa: BLE001 - not an update, whatever the parser says
        return False
    return True


@lru_cache(maxsize=512)
def parse(text: str, source: str = "query", prefixes: tuple[tuple[str, str], ...] | None = None) -> ParsedQuery:
    """Parse ``text``; raise :class:`QueryError` naming ``source`` and the line for a query that
    does not parse, uses an unknown prefix, or holds a ``SERVICE`` clause anywhere.

    ``prefixes`` (name, IRI) may be used without declaring them (default: the project's).

    >>> q = parse("SELECT ?a WHERE { ?a a mkg:Pressure } ORDER BY DESC(?a)")
    >>> q.form, q.projected, q.order, q.unordered.endswith("mkg:Pressure } ")
    ('SELECT', ('a',), (OrderKey(var='a', descending=True, as_string=False),), True)
    >>> parse('SELECT * { BIND("a\\\\u005C" AS ?x) SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }')
    Traceback (most recent call last):
    kg.errors.QueryError: query:1: malformed SPARQL at column 12, near 'BIND("a\\\\"'
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery

    if not text.strip():
        raise QueryError("empty query", source)
    known = dict(PREFIXES if prefixes is None else prefixes)
    expanded = _expand(text)
    try:
        with _PARSE_LOCK:
            _marks.found = {}
            tree = _grammar().parse_string(expanded, parse_all=True)
            marks = dict(_marks.found)
    except ParseBaseException as exc:
        if is_update(text):
            raise QueryError("this is a SPARQL Update; only queries are run here (the graph is read-only)",
                             source) from None
        raise QueryError(f"malformed SPARQL at column {exc.col}{_expected(exc)}{_found(exc)}",
                         source, exc.lineno) from None
    except RecursionError:
        raise QueryError("malformed SPARQL: the query nests too deeply", source) from None
    body = tree[1]
    declared = {decl.prefix or "" for decl in tree[0] if decl.name == "PrefixDecl"}
    used = sorted({p.prefix or "" for p in _walk_pnames(body)} - declared)
    missing = [p for p in used if p not in known]
    if missing:
        raise QueryError(f"unknown prefix '{missing[0]}:' (declare it with PREFIX {missing[0]}: <…>)", source)
    order = _order_keys(body)
    limited = bool(_get(body, "limitoffset"))
    trailing_values = bool(_get(body, "valuesClause"))
    header = "".join(f"PREFIX {p}: <{known[p]}> " for p in used)
    try:
        with _PARSE_LOCK:
            prepared = translateQuery(tree, initNs={p: known[p] for p in used})
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain Exceptions here
        raise QueryError(f"malformed SPARQL: {' '.join(str(exc).split())[:200]}", source) from None
    algebra = prepared.algebra
    if _contains(algebra, "ServiceGraphPattern"):
        raise QueryError("SERVICE is not allowed: this product never fetches data from other endpoints "
                         "while answering a query", source)
    form = FORMS[algebra.name]
    projected = tuple(str(v) for v in (_get(algebra, "PV") or ())) if form == "SELECT" else ()
    shift = len(header)
    unordered, hidden, extra = None, (), ""
    if order is not None and not limited and not trailing_values and "order" in marks:
        hidden = tuple(dict.fromkeys(k.var for k in order if k.var not in projected))
        plain_select = (not _get(body, "modifier") and not _get(body, "groupby")
                        and not _contains(algebra, "AggregateJoin") and "projection_end" in marks
                        and isinstance(_get(body, "projection"), list))
        if not hidden:
            unordered = header + expanded[:marks["order"]]
        elif plain_select and set(hidden) <= {str(v) for v in _walk(algebra) if isinstance(v, Variable)}:
            # the keys the query sorts by but does not show are added to the projection for the
            # store to sort by, and dropped after (a plain SELECT: no DISTINCT, no aggregate)
            at = marks["projection_end"]
            extra = "".join(f"?{v} " for v in hidden)
            unordered = header + expanded[:at] + extra + expanded[at:marks["order"]]
        else:
            hidden = ()
    return ParsedQuery(
        source=text, text=header + expanded, form=form, prepared=prepared, projected=projected,
        order=order if unordered is not None else None, unordered=unordered, hidden=hidden,
        unordered_shift=len(extra) if hidden else 0,
        where_brace=marks["where"] + shift if "where" in marks else None,
        where_end=marks["where_end"] + shift if "where_end" in marks else None,
        optional_starts=tuple(sorted(at + shift for at in marks.get("optional", ())
                                     if expanded[:at].rstrip().endswith("{"))),
        concat=_concat_columns(algebra, projected), limited=limited, trailing_values=trailing_values,
        select_at=marks["select"] + shift if "select" in marks and form == "SELECT" else None,
        dataset_clause=bool(_get(algebra, "datasetClause")),
        variables=frozenset(str(v) for v in _walk(algebra) if isinstance(v, Variable) and not v.startswith("__")))


def _get(node: Any, key: str) -> Any:
    """``node[key]`` or None: rdflib's ``CompValue.get`` returns the key itself when it is missing."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _expected(exc: Any) -> str:
    """What the parser expected, unless it is only "a query" (it then says nothing useful)."""
    message = " ".join(str(exc.msg).split())[:160]
    if not message or re.fullmatch(r"Expected (\w*Query|end of text|\{SelectQuery [^}]*\})", message):
        return ""
    return ": " + message[0].lower() + message[1:]


def _found(exc: Any) -> str:
    line = exc.line or ""
    word = line[exc.col - 1:].split()[:1] if exc.col else []
    return f", near {word[0][:30]!r}" if word else ", at the end of the query"


def _walk(node: Any) -> Iterable[Any]:
    """Every CompValue, list item and value under ``node`` (parse trees and algebra alike)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(v for k, v in item.items() if k != "_vars")
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif hasattr(item, "as_list") and not isinstance(item, (str, Node)):  # ParseResults
            stack.extend(list(item))


def _walk_pnames(node: Any) -> Iterable[Any]:
    from rdflib.plugins.sparql.parserutils import CompValue

    return (v for v in _walk(node) if isinstance(v, CompValue) and v.name == "pname")


def _contains(node: Any, name: str) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    return any(isinstance(v, CompValue) and v.name == name for v in _walk(node))


def _order_keys(body: Any) -> tuple[OrderKey, ...] | None:
    """The keys of the top-level ORDER BY when each is ``?v`` or ``STR(?v)``, plain or in
    ``ASC()``/``DESC()``; otherwise None."""
    clause = _get(body, "orderby")
    if not clause:
        return None
    keys = []
    for cond in clause["condition"]:
        expr = _get(cond, "expr")
        descending = str(_get(cond, "order") or "").upper() == "DESC"
        expr = _unwrap(expr)
        as_string = False
        if getattr(expr, "name", None) == "Builtin_STR":
            expr, as_string = _unwrap(_get(expr, "arg")), True
        if not isinstance(expr, Variable):
            return None
        keys.append(OrderKey(str(expr), descending, as_string))
    return tuple(keys)


def _unwrap(expr: Any) -> Any:
    """The one operand of a chain of single-operand expression nodes (the parser nests them)."""
    while str(getattr(expr, "name", "")).endswith("Expression") and not _get(expr, "other") and "op" not in expr:
        expr = _get(expr, "expr")
    return expr


def _concat_columns(algebra: Any, projected: tuple[str, ...]) -> dict[str, tuple[bool, str]]:
    """Projected variables bound straight to a ``GROUP_CONCAT``: name -> (DISTINCT?, separator)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    results: dict[Variable, tuple[bool, str]] = {}
    extends: list[tuple[Variable, Any]] = []
    for node in _walk(algebra):
        if not isinstance(node, CompValue):
            continue
        if node.name == "Aggregate_GroupConcat":
            sep = _get(node, "separator")
            results[node["res"]] = (bool(_get(node, "distinct")), " " if sep is None else str(sep))
        elif node.name == "Extend":
            extends.append((node["var"], node["expr"]))
    return {str(var): results[expr] for var, expr in extends
            if isinstance(expr, Variable) and expr in results and str(var) in projected}


# --- binding values into text (for engines that take no bound terms) ---------------------------

_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
    raise QueryError(f"cannot bind {term!r} (only IRIs and literals)")


def with_values(query: ParsedQuery, bindings: Mapping[str, Node | Sequence[Node]], text: str | None = None,
                at_end: Mapping[str, Node | Sequence[Node]] | None = None, into_optionals: bool = False) -> str:
    """``text`` (``query.text`` or ``query.unordered``) with a ``VALUES`` block for each of
    ``bindings`` (one term or several) at the start of the top-level WHERE group, and for each of
    ``at_end`` at its end (where Oxigraph joins a block fastest). With ``into_optionals``, the
    one-term bindings also at the top of each OPTIONAL group of the WHERE group (Oxigraph
    evaluates an OPTIONAL on its own before it joins; Virtuoso's cost estimate overflows on it).

    >>> with_values(parse("SELECT ?x WHERE { ?x ?p ?o }"), {"o": Literal(5)})
    'SELECT ?x WHERE { VALUES ?o { "5"^^<http://www.w3.org/2001/XMLSchema#integer> } ?x ?p ?o }'
    >>> with_values(parse("SELECT ?x WHERE { ?x ?p ?o }"), {}, at_end={"x": [URIRef("urn:a"), URIRef("urn:b")]})
    'SELECT ?x WHERE { ?x ?p ?o  VALUES ?x { <urn:a> <urn:b> } }'
    """
    text = query.text if text is None else text
    if not bindings and not at_end:
        return text
    # a term bound at the top binds the variable in every row an OPTIONAL extends, so the same
    # VALUES inside each top-level OPTIONAL changes no answer, and lets an engine that evaluates
    # the OPTIONAL on its own (Oxigraph) look up only that term
    single = {k: v for k, v in bindings.items() if isinstance(v, Node) or len(v) == 1}
    inner = _values_block(single, " ", " ") if into_optionals else ""
    return _insert(query, text, _values_block(bindings, " ", ""), inner, _values_block(at_end or {}, " ", " "))


def with_rows(query: ParsedQuery, names: Sequence[str], rows: Sequence[Sequence[Node]], text: str) -> str:
    """``text`` (``query.text`` or ``query.unordered``) keeping only the solutions whose
    ``names`` take the terms of one of ``rows``: one ``VALUES`` block at the start of the WHERE
    group and of each OPTIONAL directly in it (as :func:`with_values` does for one term: every
    row such an OPTIONAL extends holds one of the tuples already, so no answer changes).

    >>> with_rows(parse("SELECT ?x WHERE { ?x ?p ?o OPTIONAL { ?x a ?c } }"), ["x"], [[URIRef("urn:a")]],
    ...           "SELECT ?x WHERE { ?x ?p ?o OPTIONAL { ?x a ?c } }")
    'SELECT ?x WHERE { VALUES (?x) { (<urn:a>) } ?x ?p ?o OPTIONAL {  VALUES (?x) { (<urn:a>) } ?x a ?c } }'
    """
    for name in names:
        if not _VAR.fullmatch(name):
            raise QueryError(f"not a variable name: {name!r}")
    block = (f"VALUES ({' '.join('?' + n for n in names)}) "
             f"{{ {' '.join('(' + ' '.join(sparql_term(t) for t in row) + ')' for row in rows)} }}")
    return _insert(query, text, " " + block, " " + block + " ", "")


def _insert(query: ParsedQuery, text: str, top: str, inner: str, end_block: str) -> str:
    """``text`` with ``top`` at the start of the WHERE group, ``inner`` at the start of each
    OPTIONAL directly in it and ``end_block`` at its end."""
    if query.where_brace is None or query.where_end is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group", query.source)
    if text not in (query.text, query.unordered):
        raise QueryError("with_values takes the query's own text", query.source)
    shift = query.unordered_shift if text == query.unordered and text != query.text else 0
    start, end = query.where_brace + 1 + shift, query.where_end + shift
    body, at = [], start
    for opt in (o + shift for o in query.optional_starts):
        if inner and start < opt < end:
            body += [text[at:opt], inner]
            at = opt
    body.append(text[at:end])
    return text[:start] + top + "".join(body) + end_block + text[end:]


def paged_text(query: ParsedQuery, bindings: Mapping[str, Node], limit: int, offset: int) -> str | None:
    """The SELECT ``query`` with ``bindings`` and ``LIMIT``/``OFFSET``, so that the engine makes only
    one page (rows in the order of its ``ORDER BY``); None where the query limits itself or ends
    with ``VALUES``.

    >>> paged_text(parse("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x"), {}, 50, 100)
    'SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x\\nLIMIT 50 OFFSET 100'
    """
    if query.form != "SELECT" or query.limited or query.trailing_values:
        return None
    if int(limit) < 0 or int(offset) < 0:
        raise QueryError("a page's limit and offset are 0 or more")
    return with_values(query, bindings) + f"\nLIMIT {int(limit)} OFFSET {int(offset)}"


COUNT_VAR = "kg_rows"


def count_text(query: ParsedQuery, bindings: Mapping[str, Node]) -> str | None:
    """A query that counts the rows of the SELECT ``query`` with ``bindings`` in the engine (the
    query as a sub-select of ``SELECT (COUNT(*) AS ?kg_rows)``); None for a query with a dataset
    clause, which a sub-select cannot hold.

    >>> count_text(parse("PREFIX a: <urn:a#> SELECT ?x WHERE { ?x a:p ?o } ORDER BY ?x"), {})
    'PREFIX a: <urn:a#> SELECT (COUNT(*) AS ?kg_rows) WHERE { SELECT ?x WHERE { ?x a:p ?o } \\n}'
    """
    if query.select_at is None or query.dataset_clause:
        return None
    # without its ORDER BY where the query has one to drop: the count needs no sorting
    text, at = with_values(query, bindings, query.unordered or query.text), query.select_at
    return f"{text[:at]}SELECT (COUNT(*) AS ?{COUNT_VAR}) WHERE {{ {text[at:]}\n}}"


def _values_block(bindings: Mapping[str, Node | Sequence[Node]], before: str, after: str) -> str:
    """``VALUES`` for ``bindings``: the variables bound to one term each in one block (Virtuoso
    estimates a block per variable as their cross product and may refuse the query), others alone.

    >>> _values_block({"a": URIRef("urn:a"), "b": Literal(1), "c": [URIRef("urn:c"), URIRef("urn:d")]}, "", "")
    'VALUES (?a ?b) { (<urn:a> "1"^^<http://www.w3.org/2001/XMLSchema#integer>) } VALUES ?c { <urn:c> <urn:d> }'
    """
    if not bindings:
        return ""
    single: dict[str, Node] = {}
    block = []
    for name, terms in bindings.items():
        if not _VAR.fullmatch(name):
            raise QueryError(f"not a variable name: {name!r}")
        terms = [terms] if isinstance(terms, Node) else list(terms)
        if len(terms) == 1:
            single[name] = terms[0]
        else:
            block.append(f"VALUES ?{name} {{ {' '.join(sparql_term(t) for t in terms)} }}")
    if len(single) == 1:
        [(name, term)] = single.items()
        block.insert(0, f"VALUES ?{name} {{ {sparql_term(term)} }}")
    elif single:
        block.insert(0, f"VALUES ({' '.join('?' + n for n in single)}) "
                        f"{{ ({' '.join(sparql_term(t) for t in single.values())}) }}")
    return before + " ".join(block) + after
