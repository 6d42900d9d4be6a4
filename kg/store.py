"""Store stage: open the built dataset in a store chosen by name and run SPARQL on it.

``memory`` is rdflib's in-memory Dataset (embedded, the default); ``oxigraph`` is a persistent
pyoxigraph store on disk that later commands reopen without rebuilding.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from rdflib import XSD, BNode, Dataset, Literal, URIRef, Variable
from rdflib.term import Node

from .errors import QueryError, StoreError

STORES = ("memory", "oxigraph", "sparql")
DATASET_FILE = "dataset.nq"
OXIGRAPH_DIR = "oxigraph"


@dataclass
class QueryResult:
    """Rows of a SELECT (terms or None), a boolean for ASK, or triples for CONSTRUCT/DESCRIBE."""

    vars: list[str]
    rows: list[tuple[Node | None, ...]]
    boolean: bool | None = None

    def records(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.vars, row)) for row in self.rows]


def _plain(term: Node | None) -> Node | None:
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


class Store:
    """A SPARQL-queryable dataset whose default graph is the union of its named graphs."""

    name = "abstract"

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        raise NotImplementedError

    def values(self, sparql: str) -> tuple[list[str], list[tuple[object, ...]]]:
        """The variables and rows of a SELECT with every term as a :func:`plain` Python value
        (what analyses need; stores may take a faster path than :meth:`query`)."""
        result = self.query(sparql)
        return result.vars, [tuple(plain(t) for t in row) for row in result.rows]

    def close(self) -> None:
        """Release the store's resources."""


class MemoryStore(Store):
    """rdflib's in-memory Dataset."""

    name = "memory"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._prepared: dict[str, Any] = {}
        _fix_rdflib_distinct_aggregates()

    @classmethod
    def from_file(cls, path: Path) -> "MemoryStore":
        path = Path(path)
        if not path.exists():
            raise StoreError("no built dataset here; run 'kg build' first", str(path))
        ds = Dataset(default_union=True)
        fmt = "nquads" if path.suffix == ".nq" else "trig"
        try:
            ds.parse(path, format=fmt)
        except Exception as exc:
            raise StoreError(f"cannot parse dataset: {' '.join(str(exc).split())[:200]}", str(path)) from None
        return cls(ds)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        from rdflib.plugins.sparql import prepareQuery

        prepared = self._prepared.get(sparql)
        if prepared is None:
            try:
                prepared = prepareQuery(sparql)
            except Exception as exc:
                raise QueryError(f"malformed SPARQL: {_one_line(exc)}") from None
            self._prepared[sparql] = prepared
        init = {Variable(k): v for k, v in (bindings or {}).items()}
        try:
            res = self.dataset.query(prepared, initBindings=init)
        except Exception as exc:
            raise QueryError(f"query failed: {_one_line(exc)}") from None
        if res.type == "ASK":
            return QueryResult([], [], bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult(["subject", "predicate", "object"],
                               [tuple(_plain(t) for t in triple) for triple in res.graph])
        names = [str(v) for v in res.vars]
        return QueryResult(names, [tuple(_plain(t) for t in row) for row in res])


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


@lru_cache(maxsize=256)
def _group_concat_vars(sparql: str) -> frozenset[str]:
    from .endpoint import group_concat_vars

    return group_concat_vars(sparql)


def plain_concats(sparql: str, names: Sequence[str], rows: list[tuple]) -> list[tuple]:
    """Make every ``GROUP_CONCAT`` a plain literal, ``""`` when it joined nothing, as rdflib and
    Virtuoso give it (Oxigraph leaves it unbound, and keeps a language tag its values share)."""
    cols = {i for i, v in enumerate(names) if v in _group_concat_vars(sparql)} if rows else set()
    if not cols:
        return rows

    def fix(term: Node | None) -> Node:
        if term is None:
            return Literal("")
        if isinstance(term, Literal) and (term.language or term.datatype):
            return Literal(str(term))
        return term
    return [tuple(fix(t) if i in cols else t for i, t in enumerate(row)) for row in rows]


def _fix_rdflib_distinct_aggregates() -> None:
    """rdflib 7 raises "Variable x is not bound" for ``COUNT(DISTINCT ?x)`` or
    ``GROUP_CONCAT(DISTINCT ?x)`` when ``?x`` comes from an OPTIONAL that did not match
    (RDFLib/rdflib#716); skip such rows, as rdflib already does without DISTINCT."""
    from rdflib.plugins.sparql import aggregates
    from rdflib.plugins.sparql.sparql import NotBoundError

    original = aggregates.Accumulator.use_row
    if getattr(original, "_kg_fixed", False):
        return

    def use_row(self, row):  # type: ignore[no-untyped-def]
        try:
            return original(self, row)
        except NotBoundError:
            return False

    use_row._kg_fixed = True  # type: ignore[attr-defined]
    aggregates.Accumulator.use_row = use_row  # type: ignore[method-assign]


# --- pyoxigraph ------------------------------------------------------------------------

_XSD_STRING = str(XSD.string)


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value if term.datatype else None
        if dt is None or dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise StoreError(f"unsupported term {term!r}")


_PLAIN_NUMBERS = {str(XSD[t]): int for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                             "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_PLAIN_NUMBERS.update({str(XSD.double): float, str(XSD.float): float})


def _ox_plain(term: Any) -> object:
    """:func:`plain` of a pyoxigraph term, without making an rdflib term on the way."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype is not None and not term.language:
        dt = term.datatype.value
        kind = _PLAIN_NUMBERS.get(dt)
        if kind is not None:
            try:
                return kind(term.value)
            except ValueError:
                return term.value
        if dt in (str(XSD.decimal), str(XSD.boolean)):
            return plain(to_rdflib(term))  # exactly as rdflib reads them
    return term.value


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to the equal pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"unsupported term {term!r}")


@dataclass(frozen=True)
class OrderKey:
    var: str
    descending: bool = False
    as_string: bool = False  # STR(?var)


_ORDER_KEY = r"(?:(?:ASC|DESC)\s*\(\s*)?(?:STR\s*\(\s*)?\?\w+(?:\s*\))*"
_TRAILING_ORDER = re.compile(r"\bORDER\s+BY((?:\s*" + _ORDER_KEY + r")+)\s*$", re.IGNORECASE)
_KEY = re.compile(r"(ASC|DESC)?\s*\(?\s*(STR)?\s*\(?\s*\?(\w+)\s*(\)*)", re.IGNORECASE)


@lru_cache(maxsize=256)
def trailing_order(sparql: str) -> tuple[str, tuple[OrderKey, ...]] | None:
    """The query without its final ``ORDER BY`` and the keys of that clause, when every key is
    ``?v``, ``STR(?v)``, or either inside ``ASC()``/``DESC()``; otherwise None.

    >>> q, keys = trailing_order("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) STR(?a)")
    >>> q, [(k.var, k.descending, k.as_string) for k in keys]
    ('SELECT ?a ?b WHERE { ?a ?p ?b }', [('b', True, False), ('a', False, True)])
    >>> trailing_order("SELECT * WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 3") is None
    True
    >>> trailing_order("SELECT * WHERE { ?a ?p ?b } ORDER BY (?a + 1)") is None
    True
    """
    m = _TRAILING_ORDER.search(sparql)
    if not m or "#" in sparql[sparql.rfind("\n", 0, m.start()) + 1:m.start()]:  # none, or in a comment
        return None
    keys = []
    for key in re.finditer(_ORDER_KEY, m.group(1)):
        k = _KEY.match(key.group(0))
        direction, as_string, var, closing = k.groups()
        if len(closing) != bool(direction) + bool(as_string):
            return None
        keys.append(OrderKey(var, (direction or "").upper() == "DESC", bool(as_string)))
    return sparql[:m.start()].rstrip(), tuple(keys)


_NUMERIC = {str(XSD[t]) for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                                   "nonNegativeInteger", "positiveInteger", "negativeInteger",
                                   "nonPositiveInteger", "unsignedInt", "unsignedLong")}
_STRING = {None, str(XSD.string)}
_TEMPORAL = {str(XSD[t]) for t in ("date", "dateTime", "gYear", "gYearMonth")}  # ISO text sorts in time order


def order_value(term: Node | None, as_string: bool = False) -> tuple:
    """A sort key following SPARQL's ORDER BY: unbound, blank nodes, IRIs, then literals
    (numbers by value, dates in time order, strings by text, other types by type then text)."""
    if term is None:
        return (0,)
    if as_string:
        return (3, 2, str(term), "") if not isinstance(term, BNode) else (0,)
    if isinstance(term, BNode):
        return (1,)
    if isinstance(term, URIRef):
        return (2, str(term))
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else None
        if dt in _NUMERIC:
            try:
                return (3, 0, float(term), "")
            except ValueError:
                pass
        if dt in _TEMPORAL:
            return (3, 1, str(term), "")
        if dt in _STRING:
            return (3, 2, str(term), term.language or "")
        return (3, 3, dt or "", str(term))
    return (4, str(term))


def sort_rows(names: Sequence[str], rows: list[tuple], keys: Sequence[OrderKey]) -> list[tuple]:
    """``rows`` sorted by ``keys`` as ``ORDER BY`` would (stable, last key first)."""
    rows = list(rows)
    for key in reversed(keys):
        i = list(names).index(key.var)
        rows.sort(key=lambda row: order_value(row[i], key.as_string), reverse=key.descending)
    return rows


def ordered_as_query(sparql: str, names: Sequence[str], rows: list[tuple]) -> list[tuple]:
    """``rows`` in the order of the query's trailing ``ORDER BY`` when every key is projected
    (:func:`trailing_order`), so that every store gives one order; otherwise ``rows``."""
    order = trailing_order(sparql)
    if order is None or not {k.var for k in order[1]} <= set(names):
        return rows
    return sort_rows(names, rows, order[1])


class OxigraphStore(Store):
    """A pyoxigraph store, on disk when given a path; parameters bound by substitution."""

    name = "oxigraph"
    values_last = True  # a VALUES block is joined fastest at the end of a WHERE block

    def __init__(self, path: Path | None = None, read_only: bool = False):
        import pyoxigraph as ox

        self.path = Path(path) if path else None
        try:
            if self.path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open oxigraph store: {exc}", str(path)) from None

    def load_file(self, nquads: Path, lenient: bool = False) -> None:
        """Bulk-load an N-Quads file; ``lenient`` skips IRI and literal checks (for files this
        project wrote itself from a validated graph: 20% faster)."""
        import pyoxigraph as ox

        self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=lenient)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        import pyoxigraph as ox

        order = trailing_order(sparql)
        if order is not None:  # sort here: Oxigraph reads every string from disk per comparison
            res = self._run(order[0], dict(bindings or {}))
            if isinstance(res, ox.QuerySolutions) and {k.var for k in order[1]} <= {v.value for v in res.variables}:
                result = self._solutions(sparql, res)
                return QueryResult(result.vars, ordered_as_query(sparql, result.vars, result.rows))
        res = self._run(sparql, dict(bindings or {}))
        if isinstance(res, ox.QueryBoolean):
            return QueryResult([], [], bool(res))
        if isinstance(res, ox.QuerySolutions):
            return self._solutions(sparql, res)
        return QueryResult(["subject", "predicate", "object"],
                           [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in res])

    def values(self, sparql: str) -> tuple[list[str], list[tuple[object, ...]]]:
        import pyoxigraph as ox

        if _group_concat_vars(sparql) or trailing_order(sparql):
            return super().values(sparql)  # normalised and sorted as query() does
        res = self._run(sparql, {})
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in res.variables]
        seen: dict[Any, object] = {}

        def value(t: Any) -> object:
            v = seen.get(t, seen)
            if v is seen:
                v = seen[t] = _ox_plain(t)
            return v
        return names, [tuple(value(sol[v]) for v in names) for sol in res]

    @staticmethod
    def _solutions(sparql: str, res: Any) -> QueryResult:
        names = [v.value for v in res.variables]
        seen: dict[Any, Node | None] = {}  # each term converted once: rdflib's constructors are slow

        def term(t: Any) -> Node | None:
            node = seen.get(t, seen)
            if node is seen:
                node = seen[t] = to_rdflib(t)
            return node
        rows = [tuple(term(sol[v]) for v in names) for sol in res]
        return QueryResult(names, plain_concats(sparql, names, rows))

    def _run(self, sparql: str, bindings: dict[str, Node]) -> Any:
        """Bind by substitution; a variable the query does not project (which substitution
        refuses) is bound by an inline VALUES block instead."""
        import pyoxigraph as ox

        inline: dict[str, Node] = {}
        while True:
            subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
            text = sparql
            if inline:
                from .endpoint import bind_values

                text = bind_values(sparql, inline)
            try:
                return self.store.query(text, substitutions=subs, use_default_graph_as_union=True)
            except SyntaxError as exc:
                raise QueryError(f"malformed SPARQL: {_one_line(exc)}") from None
            except RuntimeError as exc:
                m = re.search(r"variable \?(\w+) in its SELECT projection", str(exc))
                if m and m.group(1) in bindings:
                    inline[m.group(1)] = bindings.pop(m.group(1))
                    continue
                raise QueryError(f"query failed: {_one_line(exc)}") from None
            except (OSError, ValueError) as exc:
                raise QueryError(f"query failed: {_one_line(exc)}") from None

    def close(self) -> None:
        del self.store


def build_oxigraph(nquads: Path, target: Path, lenient: bool = True, optimize: bool = True) -> Path:
    """Load ``nquads`` (by default an N-Quads file of this project's build, so ``lenient``)
    into a new on-disk store at ``target``, replacing it only on success. ``optimize`` compacts
    the store once after loading: about 2 s per million triples at build time, for queries
    15-20% faster every time after."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".oxigraph.", dir=target.parent))
    try:
        store = OxigraphStore(tmp)
        store.load_file(nquads, lenient=lenient)
        store.store.flush()
        if optimize:
            store.store.optimize()
        store.close()
        old = target.with_name(target.name + ".old")
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def open_store(kind: str = "memory", data_dir: Path = Path("build"),
               endpoint: str | None = None, **options: Any) -> Store:
    """Open the built dataset of ``data_dir`` (or a SPARQL endpoint) as a :class:`Store`."""
    data_dir = Path(data_dir)
    if endpoint or kind == "sparql":
        if not endpoint:
            raise StoreError("the sparql store needs an endpoint URL (--endpoint)")
        from .endpoint import SparqlStore

        return SparqlStore(endpoint, **options)
    if kind == "memory":
        return MemoryStore.from_file(data_dir / DATASET_FILE)
    if kind == "oxigraph":
        path = data_dir / OXIGRAPH_DIR
        if not path.exists():
            raise StoreError("no oxigraph store here; run 'kg build --store oxigraph' first", str(path))
        return OxigraphStore(path, read_only=options.get("read_only", True))
    raise StoreError(f"unknown store {kind!r} (one of {', '.join(STORES)})")

