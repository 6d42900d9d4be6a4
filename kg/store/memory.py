"""The embedded default store: rdflib's in-memory Dataset, read from the build's N-Quads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Dataset, Variable
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..sparql import ParsedQuery, parse, with_values
from .base import Among, Store, encode_rdflib, plain_term
from .child import Answer

_TOLERANT = "Aggregate_GroupConcat_kg"
OLDER_BUILD = "this build has no default graph (an older version of kg made it); run 'kg build' again"


class MemoryStore(Store):
    """rdflib's in-memory Dataset (``default_union``: the default graph is the union, a set)."""

    name = "memory"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        if len(dataset.default_graph):  # the build's default graph is the union, each triple once
            dataset.default_union = False
        self._prepared: dict[str, Any] = {}

    @classmethod
    def from_file(cls, path: Path) -> "MemoryStore":
        path = Path(path)
        if not path.exists():
            raise StoreError("no built dataset here; run 'kg build' first", str(path))
        ds = Dataset()
        fmt = "nquads" if path.suffix == ".nq" else "trig"
        try:
            ds.parse(path, format=fmt)
        except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many types
            raise StoreError(f"cannot parse dataset: {' '.join(str(exc).split())[:200]}", str(path)) from None
        if not len(ds.default_graph):
            raise StoreError(OLDER_BUILD, str(path))
        return cls(ds)

    def _derive(self, parsed: ParsedQuery, text: str, **changes: Any) -> ParsedQuery:
        return parse(text, parsed.source)  # rdflib evaluates the algebra, so it is made anew

    def _answer(self, query: ParsedQuery, bindings: dict[str, Node], among: Among | None = None) -> Answer:
        if among is not None and among[0] not in query.projected:
            query, among = parse(with_values(query, {among[0]: among[1]})), None
        prepared, clause = self._prepare(query)
        target = self._dataset_for(clause) if clause else self.dataset
        init = {Variable(k): v for k, v in bindings.items()}
        try:
            res = target.query(prepared, initBindings=init)
            if res.type == "ASK":
                return Answer([], (), bool(res.askAnswer))
            if res.type in ("CONSTRUCT", "DESCRIBE"):
                return Answer(["subject", "predicate", "object"], _guarded(iter(res.graph)))
            names = [str(v) for v in res.vars]
            rows = _guarded(iter(res))
            if among is not None:  # rdflib is fastest filtering here, not joining a VALUES block
                i, wanted = names.index(among[0]), set(among[1])
                rows = (row for row in rows if row[i] in wanted)
            return Answer(names, rows)
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - rdflib's evaluation raises many types
            raise QueryError(f"query failed: {' '.join(str(exc).split())[:300]}") from None

    def _prepare(self, query: ParsedQuery) -> tuple[Any, list]:
        """The query's algebra and its dataset clause, taken out of it (see :meth:`_dataset_for`).
        ``GROUP_CONCAT(DISTINCT …)`` is evaluated by an accumulator that skips unbound values
        (rdflib's raises "Variable x is not bound", RDFLib/rdflib#716)."""
        cached = self._prepared.get(query.text)
        if cached is None:
            prepared = Query(query.prepared.prologue, _copy(query.prepared.algebra))
            for node in _nodes(prepared.algebra):
                if node.name == "Aggregate_GroupConcat" and dict.get(node, "distinct"):
                    node.name = _TOLERANT
            clause = list(dict.get(prepared.algebra, "datasetClause") or [])
            prepared.algebra["datasetClause"] = None
            _register_tolerant_group_concat()
            cached = self._prepared[query.text] = (prepared, clause)
        return cached

    def _dataset_for(self, clause: list) -> Dataset:
        """The dataset a ``FROM`` / ``FROM NAMED`` clause describes, made of this store's own graphs
        (rdflib would otherwise fetch the IRIs from the web). Without ``FROM`` the default graph
        is empty, as SPARQL says."""
        view = Dataset(default_union=False)
        graphs = {g.identifier: g for g in self.dataset.graphs()}
        for item in clause:
            default, named = dict.get(item, "default"), dict.get(item, "named")
            if default is not None:
                for triple in graphs.get(default, ()):
                    view.default_context.add(triple)
            if named is not None:
                target = view.graph(named)
                for triple in graphs.get(named, ()):
                    target.add(triple)
        return view

    def _encode(self, term: Any) -> tuple:
        return encode_rdflib(term)

    def _term(self, term: Any) -> Node:
        return plain_term(term)


def _guarded(rows: Any) -> Any:
    """Rows of an rdflib result, its evaluation errors made :class:`QueryError`."""
    try:
        for row in rows:
            yield tuple(row)
    except Exception as exc:  # noqa: BLE001
        raise QueryError(f"query failed: {' '.join(str(exc).split())[:300]}") from None


def _copy(node: Any) -> Any:
    """A copy of an algebra tree (its nodes, lists and dicts; terms are shared)."""
    if isinstance(node, CompValue):
        if isinstance(node, Expr):
            fn = node._evalfn.__func__ if node._evalfn is not None else None
            copy = Expr(node.name, fn, **{k: _copy(v) for k, v in node.items()})
        else:
            copy = CompValue(node.name, **{k: _copy(v) for k, v in node.items()})
        for key, value in vars(node).items():  # rdflib keeps some translations as attributes (EXISTS)
            if key not in ("name", "_evalfn", "ctx"):
                object.__setattr__(copy, key, _copy(value))
        return copy
    if isinstance(node, list):
        return [_copy(v) for v in node]
    if isinstance(node, tuple):
        return tuple(_copy(v) for v in node)
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, set):
        return set(node)
    return node


def _nodes(node: Any) -> list[CompValue]:
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.append(item)
            stack.extend(v for k, v in item.items() if k != "_vars")
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


def _register_tolerant_group_concat() -> None:
    """Add (never replace) an accumulator under a name only this store's queries use."""
    from rdflib.plugins.sparql import aggregates
    from rdflib.plugins.sparql.sparql import NotBoundError

    if _TOLERANT in aggregates.Aggregator.accumulator_classes:
        return

    class TolerantGroupConcat(aggregates.GroupConcat):
        def use_row(self, row):  # type: ignore[no-untyped-def]
            try:
                return super().use_row(row)
            except NotBoundError:
                return False

    aggregates.Aggregator.accumulator_classes[_TOLERANT] = TolerantGroupConcat
