"""Query stage: the catalogue of named SPARQL queries, parameter binding, and result rendering."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from . import defaults, vocab
from .corpus import fold
from .errors import QueryError
from .progress import terminal_width, text_table
from .store import Page, QueryResult, Store, plain
from .vocab import MKG, RES

from .named_queries import (PARAM_KINDS, QUERY_DIR, NamedQuery, Param, adhoc_query,  # noqa: F401 - re-exported
                        catalogue, describe_catalogue, get_query, is_query_name, parse_query_file)


# --- parameters -----------------------------------------------------------------------

_NAMES_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?thing ?name WHERE { { ?thing rdfs:label ?name } UNION { ?thing skos:altLabel ?name } }
"""
_DOCS_QUERY = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
SELECT ?doc ?file WHERE { ?doc a mkg:Document ; mkg:fileName ?file }
"""
_EXISTS_QUERY = "ASK { ?thing ?p ?o }"


def documents(store: Store) -> dict[str, str]:
    """Every document of the graph: its IRI -> its file name."""
    return {str(d): str(f) for d, f in store.query(_DOCS_QUERY).rows}


def _name_index(store: Store) -> dict[str, set[URIRef]]:
    cache = getattr(store, "_kg_names", None)
    if cache is None:
        cache = {}
        for thing, name in store.query(_NAMES_QUERY).rows:
            if isinstance(thing, URIRef) and name is not None:
                cache.setdefault(fold(str(name)), set()).add(thing)
        store._kg_names = cache  # type: ignore[attr-defined]
    return cache


def resolve_thing(store: Store, value: str, param: str = "thing") -> URIRef:
    """An id, a full IRI, ``res:id`` or a name (label or altLabel, any case or accents)."""
    value = value.strip()
    candidates: list[URIRef] = []
    if re.match(r"^https?://", value):
        candidates = [URIRef(value)]
    elif value.startswith("res:"):
        candidates = [RES[value[4:]]]
    elif vocab.is_slug(value):
        candidates = [vocab.thing_iri(value)]
    for iri in candidates:
        if store.query(_EXISTS_QUERY, {"thing": iri}).boolean:
            return iri
    hits = _name_index(store).get(fold(value), set())
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        ids = ", ".join(sorted(vocab.local_id(h) for h in hits))
        raise QueryError(f"--param {param}={value!r} is ambiguous: it names {ids}; give an id")
    raise QueryError(f"--param {param}={value!r}: unknown entity (no id, IRI or name matches)")


def resolve_document(store: Store, value: str, param: str = "document") -> URIRef:
    """A document by file name, stem or IRI."""
    value = value.strip()
    for doc, name in documents(store).items():
        if value in (doc, name, name.rsplit(".", 1)[0]):
            return URIRef(doc)
    raise QueryError(f"--param {param}={value!r}: unknown document")


def _resolve_iri(value: str, name: str) -> URIRef:
    try:
        return vocab.resolve_curie(value)
    except ValueError as exc:
        raise QueryError(f"--param {name}: {exc}") from None


def bind_params(store: Store, query: NamedQuery, given: Mapping[str, str]) -> dict[str, Node]:
    """Turn ``--param name=value`` strings into RDF terms for the query's declared parameters.

    Values become bound terms, never query text. Ad-hoc queries without declared
    parameters take IRIs (``<...>``, ``res:``, ``mkg:``) or plain literals.
    """
    bindings: dict[str, Node] = {}
    for name, raw in given.items():
        param = query.param(name)
        if param is None and query.params:
            known = ", ".join(p.name for p in query.params)
            raise QueryError(f"unknown parameter {name!r} for query {query.name!r} (known: {known})")
        if param is None:
            if name not in query.parsed.variables:
                raise QueryError(f"unknown parameter {name!r}: the query has no variable ?{name}")
            if raw.startswith("<") and raw.endswith(">"):
                bindings[name] = _resolve_iri(raw[1:-1], name)
            elif raw.startswith(("res:", "mkg:")):
                bindings[name] = _resolve_iri(raw, name)
            else:
                bindings[name] = Literal(raw)
            continue
        if param.kind == "thing":
            bindings[name] = resolve_thing(store, raw, name)
        elif param.kind == "document":
            bindings[name] = resolve_document(store, raw, name)
        elif param.kind == "iri":
            bindings[name] = _resolve_iri(raw, name)
        elif param.kind == "integer":
            if not re.match(r"^-?\d+$", raw.strip()):
                raise QueryError(f"--param {name}={raw!r}: not an integer")
            bindings[name] = Literal(int(raw))
        elif param.kind == "date":
            from .corpus import parse_date

            try:
                lexical, precision = parse_date(raw)
            except ValueError as exc:
                raise QueryError(f"--param {name}: {exc}") from None
            bindings[name] = Literal(lexical, datatype=vocab.DATE_TYPES[precision])
        else:
            bindings[name] = Literal(raw)
    missing = [p.name for p in query.params if p.required and p.name not in bindings]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=...")
    return bindings


def run(store: Store, query: NamedQuery | str, params: Mapping[str, str] | None = None,
        timeout: Any = ...) -> QueryResult:
    """Run a named query (by name or object) or SPARQL text on ``store`` with bound parameters,
    stopping it after ``timeout`` seconds (default: the store's; None: no limit)."""
    if isinstance(query, str):
        query = get_query(query) if is_query_name(query) else adhoc_query(query)
    bindings = bind_params(store, query, params or {})
    return store.query(query.parsed, bindings, timeout=timeout)


def _prepared(store: Store, query: NamedQuery | str, params: Mapping[str, str] | None):
    if isinstance(query, str):
        query = get_query(query) if is_query_name(query) else adhoc_query(query)
    return query.parsed, bind_params(store, query, params or {})


def run_page(store: Store, query: NamedQuery | str, params: Mapping[str, str] | None = None,
             limit: int = defaults.PAGE_ROWS, offset: int = 0, timeout: Any = ...) -> Page:
    """One page of a query's rows and their total (:meth:`kg.store.Store.page`)."""
    parsed, bindings = _prepared(store, query, params)
    return store.page(parsed, bindings, limit, offset, timeout=timeout)


def stream(store: Store, query: NamedQuery | str, params: Mapping[str, str] | None = None,
           timeout: Any = ...) -> tuple[list[str], Iterator[tuple[Node | None, ...]]]:
    """A query's variables and its rows one by one (:meth:`kg.store.Store.stream`)."""
    parsed, bindings = _prepared(store, query, params)
    return store.stream(parsed, bindings, timeout=timeout)


# --- rendering ------------------------------------------------------------------------

def short(term: Node | None) -> str:
    """A compact text for tables: ``res:``/``mkg:`` prefixes, literals as text."""
    if term is None:
        return ""
    text = str(term)
    for prefix, ns in (("res:", str(RES)), ("mkg:", str(MKG._NS))):
        if isinstance(term, URIRef) and text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def to_records(result: QueryResult) -> list[dict[str, object]]:
    return [{k: plain(v) for k, v in zip(result.vars, row)} for row in result.rows]


def write_rows(names: list[str], rows: Iterable[tuple[Node | None, ...]], fmt: str, out: IO[str]) -> int:
    """Write rows to ``out`` as they come, as ``csv`` (a header, then one line a row) or ``json``
    (a list of records); returns how many. No list of all rows is made."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if t is None else str(t) for t in row])
            count += 1
        return count
    if fmt != "json":
        raise QueryError(f"unknown format {fmt!r} (csv or json)")
    out.write("[")
    for row in rows:
        record = {k: plain(v) for k, v in zip(names, row)}
        out.write(("," if count else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


#: Narrower than this per column, a table shows each row as a block of ``name  value`` lines.
def _table(names: list[str], rows: Iterable[tuple[Node | None, ...]], width: int, footer: str | None,
           first: int = 1) -> str:
    # an IRI column whose label column is also selected is shown by its label only
    keep = [i for i, v in enumerate(names) if not (v + "Label" in names or (v + "label") in names)]
    return text_table([names[i] for i in keep], ([short(row[i]) for i in keep] for row in rows), width, footer, first)


def page_footer(page: QueryResult) -> str:
    """``rows 1–50 of 148 (--offset 50 for the next, --all for every row)``, or ``N row(s)``."""
    shown, offset = len(page.rows), getattr(page, "offset", 0)
    total = getattr(page, "total", None)
    if total is None or (offset == 0 and shown >= total):
        return f"{shown} row(s)"
    if not shown:
        return f"no rows from row {offset + 1}: the answer has {total} row(s)"
    text = f"rows {offset + 1}–{offset + shown} of {total}"
    if offset + shown < total:
        text += f" (--offset {offset + shown} for the next, --all for every row)"
    return text


def render(result: QueryResult, fmt: str = "table", width: int | None = None) -> str:
    """Render a result (or a :class:`~kg.store.Page` of one, with its footer) as ``table``
    (rich, fit to ``width``: default :func:`terminal_width`), ``csv`` or ``json``."""
    if result.boolean is not None:
        return json.dumps(result.boolean) if fmt == "json" else str(result.boolean).lower()
    if fmt in ("csv", "json"):
        buf = io.StringIO()
        if fmt == "json":
            json.dump(to_records(result), buf, indent=2, ensure_ascii=False)
        else:
            write_rows(result.vars, result.rows, fmt, buf)
        return buf.getvalue()
    if fmt == "table":
        return _table(result.vars, result.rows, width or terminal_width(), page_footer(result),
                      getattr(result, "offset", 0) + 1)
    raise QueryError(f"unknown format {fmt!r} (table, csv or json)")


def table_blocks(names: list[str], rows: Iterable[tuple[Node | None, ...]], block: int = 200,
                 width: int | None = None) -> Iterator[str]:
    """Every row as tables of ``block`` rows each, made one at a time, then the row count."""
    width = width or terminal_width()
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == block:
            yield _table(names, chunk, width, None, count + 1)
            count += len(chunk)
            chunk = []
    if chunk or not count:
        yield _table(names, chunk, width, None, count + 1)
    count += len(chunk)
    yield f"{count} row(s)\n"


def render_records(records: list[dict[str, object]], columns: list[str], fmt: str = "table",
                   title: str | None = None) -> str:
    """Render plain records (lists joined with '; ') as a table, CSV or JSON."""
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False, default=str)

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.4f}"
        if isinstance(value, (list, tuple, set)):
            return "; ".join(cell(v) for v in value)
        return str(value)

    rows = [tuple(Literal(cell(r.get(c))) for c in columns) for r in records]
    text = render(QueryResult(list(columns), rows), fmt)  # type: ignore[arg-type]
    return f"{title}\n{text}" if title and fmt == "table" else text
