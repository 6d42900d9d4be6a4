"""A fast persistent store: pyoxigraph on disk (``build/oxigraph``), reopened read-only by every
command after ``kg build --store oxigraph``."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..sparql import ParsedQuery, with_values
from .base import Among, Page, Store
from .pages import PageIndex, index_dir, write_index
from . import child
from .child import Answer

if TYPE_CHECKING:  # pragma: no cover
    from ..named_queries import NamedQuery


def to_oxigraph(term: Node) -> Any:
    """The pyoxigraph term equal to an rdflib term."""
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


def term_converter() -> Any:
    """:func:`to_oxigraph` with a memory: each distinct term is converted once (a graph repeats
    its subjects and predicates many times)."""
    cache: dict[Node, Any] = {}

    def convert(term: Node) -> Any:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_oxigraph(term)
        return found
    return convert


def encode_oxigraph(term: Any) -> tuple:
    """A pyoxigraph term as the tuple :func:`kg.store.base.decode_term` reads."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.datatype.value if term.datatype else None, term.language)
    raise StoreError(f"unsupported term {term!r}")


class OxigraphStore(Store):
    """A pyoxigraph store, on disk when given a path. Parameters are bound by substitution, or by
    an inline ``VALUES`` block for a variable a SELECT does not project (which substitution refuses).
    A trailing ``ORDER BY`` is applied here rather than by the engine, which reads every string
    from disk per comparison. A query's forked child uses this open store (warm caches): every
    engine call of the parent holds :data:`kg.store.child.ENGINE_LOCK`, which each fork takes."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None, read_only: bool = False):
        import pyoxigraph as ox

        self.path = Path(path) if path else None
        self.read_only = read_only
        with child.ENGINE_LOCK:
            try:
                if self.path is None:
                    self.store = ox.Store()
                elif read_only:
                    self.store = ox.Store.read_only(str(self.path))
                else:
                    self.store = ox.Store(str(self.path))
            except OSError as exc:
                raise StoreError(f"cannot open oxigraph store: {exc}", str(path)) from None
            empty = read_only and next(iter(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
        #: a read-only store never changes: one query process can keep it open, and the index of
        #: where its pages start that the build left beside it holds
        self.keeps_worker = read_only and self.path is not None
        self.pages = PageIndex(self.path) if self.keeps_worker else None
        if empty:
            raise StoreError("this store has no default graph (an older version of kg made it); "
                             "run 'kg build --store oxigraph' again", str(path))

    def load_file(self, nquads: Path, lenient: bool = False) -> None:
        """Bulk-load an N-Quads file; ``lenient`` skips IRI and literal checks (for files this
        project wrote itself from a validated graph: 20% faster)."""
        import pyoxigraph as ox

        with child.ENGINE_LOCK:
            self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=lenient)

    def _answer(self, query: ParsedQuery, bindings: dict[str, Node], among: Among | None = None) -> Answer:
        import pyoxigraph as ox

        inline = {k: v for k, v in bindings.items() if query.form == "SELECT" and k not in query.projected}
        # a block at the end of the group Oxigraph joins by hash: fastest for a restriction
        text = with_values(query, inline, query.unordered or query.text,
                           at_end={among[0]: among[1]} if among is not None else None, into_optionals=True)
        subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items() if k not in inline}
        try:
            res = self.store.query(text, substitutions=subs)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_one_line(exc)}") from None
        except (RuntimeError, OSError, ValueError) as exc:
            raise QueryError(f"query failed: {_one_line(exc)}") from None
        if isinstance(res, ox.QueryBoolean):
            return Answer([], (), bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            return Answer(names, _guarded(res, names))
        return Answer(["subject", "predicate", "object"],
                      _guarded(((t.subject, t.predicate, t.object) for t in res), None))

    def _indexed_page(self, parsed: ParsedQuery, limit: int, offset: int, timeout: Any) -> Page | None:
        return self.pages.page(self, parsed, limit, offset, timeout) if self.pages is not None else None

    def _encode(self, term: Any) -> tuple:
        return encode_oxigraph(term)

    def close(self) -> None:
        if self.__dict__.get("_query_worker") is not None:
            self._query_worker.stop()
        self.store = None


def _guarded(rows: Any, names: list[str] | None) -> Any:
    """Rows of a pyoxigraph result (solutions, whose values come in the order of ``names``, or
    triples), its evaluation errors made :class:`QueryError`."""
    try:
        if names is None:
            yield from rows
        else:
            yield from map(tuple, rows)
    except (RuntimeError, OSError, ValueError) as exc:
        raise QueryError(f"query failed: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def build_oxigraph(nquads: Path, target: Path, lenient: bool = True, optimize: bool = True,
                   queries: Iterable["NamedQuery"] | None = None, timings: dict | None = None) -> Path:
    """Load ``nquads`` (by default an N-Quads file of this project's build, so ``lenient``)
    into a new on-disk store at ``target``, replacing it only on success, with the page index of
    ``queries`` (default: the catalogue) beside it. ``optimize`` compacts the store once after
    loading: about 2 s per million triples at build time, for queries 15-20% faster every time after.
    ``timings`` gets the seconds of the load (``load_s``) and of the index (``index_s``)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".oxigraph.", dir=target.parent))
    tmp_pages = Path(tempfile.mkdtemp(prefix=".oxigraph-pages.", dir=target.parent))
    started = time.perf_counter()
    try:
        store = OxigraphStore(tmp)
        store.load_file(nquads, lenient=lenient)
        with child.ENGINE_LOCK:
            store.store.flush()
            if optimize:
                store.store.optimize()
        loaded = time.perf_counter()
        if queries is None:
            from ..named_queries import catalogue

            queries = catalogue().values()
        write_index(store, tmp, tmp_pages, queries)
        store.close()
        if timings is not None:
            timings.update(load_s=loaded - started, index_s=time.perf_counter() - loaded)
        for new, final in ((tmp, target), (tmp_pages, index_dir(target))):
            old = final.with_name(final.name + ".old")
            if final.exists():
                shutil.rmtree(old, ignore_errors=True)
                final.rename(old)
            new.rename(final)
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(tmp_pages, ignore_errors=True)
        raise
    return target
