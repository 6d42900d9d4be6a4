"""A page index beside an on-disk Oxigraph store: where each group of a named query's sorted rows
starts, so that a page is read without evaluating the rest of the answer.

At build (:func:`write_index`) each named query with a ``# page-key:`` header and no required
parameter is answered once in full. Its rows, in :meth:`kg.store.Store.query`'s order, fall into
runs of equal key (the ``page-key`` variables). The index keeps each run's key and length. A page
is then the runs it overlaps: the query restricted to their keys (:func:`kg.sparql.with_rows`)
gives their rows, which are sorted and sliced as usual. A query is not indexed when a key is
unbound or a blank node in some row, or when one key appears in two places of the order.

The index is a folder beside the store (``oxigraph.pages/``), with one file per query text. It
records the store's RocksDB identity, so a store made anew ignores an index that is not its own.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..sparql import ParsedQuery, with_rows
from .base import Page, decode_term, encode_rdflib

if TYPE_CHECKING:  # pragma: no cover
    from ..named_queries import NamedQuery
    from .base import Store

#: what the index folder of the store at ``oxigraph`` is called: ``oxigraph.pages``
SUFFIX = ".pages"
_FORMAT = 1


def index_dir(store_dir: Path) -> Path:
    """The page index folder of the store at ``store_dir``."""
    return store_dir.with_name(store_dir.name + SUFFIX)


def identity(store_dir: Path) -> str | None:
    """The RocksDB identity of the store at ``store_dir`` (unique to each database made)."""
    try:
        return (store_dir / "IDENTITY").read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _file_name(parsed: ParsedQuery) -> str:
    return hashlib.sha256(parsed.text.encode("utf-8")).hexdigest()[:32] + ".json"


def runs(vars: list[str], rows: Iterable[tuple], key: tuple[str, ...]) -> tuple[list, list[int]] | None:
    """The keys of the runs of ``rows`` (sorted) that share their ``key`` columns, and each run's
    length; None when a key is unbound or a blank node, or comes back after another key."""
    if not key or any(k not in vars for k in key):
        return None
    columns = [vars.index(k) for k in key]
    keys: list[tuple] = []
    counts: list[int] = []
    seen: set[tuple] = set()
    for row in rows:
        k = tuple(row[i] for i in columns)
        if keys and k == keys[-1]:
            counts[-1] += 1
            continue
        if k in seen or any(t is None or encode_rdflib(t)[0] == "b" for t in k):
            return None
        seen.add(k)
        keys.append(k)
        counts.append(1)
    return keys, counts


def write_index(store: "Store", store_dir: Path, target: Path, queries: Iterable["NamedQuery"]) -> list[str]:
    """Index the queries of ``queries`` that have a page key and need no parameter, answered on
    ``store`` (the store at ``store_dir``), into the new folder ``target``; the names indexed."""
    ident = identity(store_dir)
    target.mkdir(parents=True, exist_ok=True)
    done = []
    if ident is None:
        return done
    for q in queries:
        if not q.page_key or any(p.required for p in q.params):
            continue
        result = store.query(q.parsed, {}, timeout=None)
        found = runs(result.vars, result.rows, q.page_key)
        if found is None:
            continue
        keys, counts = found
        entry = {"format": _FORMAT, "identity": ident, "query": q.name, "vars": result.vars,
                 "key": list(q.page_key), "keys": [[encode_rdflib(t) for t in k] for k in keys], "counts": counts}
        (target / _file_name(q.parsed)).write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        done.append(q.name)
    return done


@dataclass
class Entry:
    """One query's runs: the answer's variables, the key variables, each run's key and first row."""

    vars: list[str]
    key: list[str]
    keys: list[list]
    starts: list[int]
    total: int

    def window(self, offset: int, limit: int) -> tuple[list[tuple], int]:
        """The keys of the runs that rows ``offset`` to ``offset + limit`` fall in, and the row
        at which the first of them starts."""
        if limit <= 0 or offset >= self.total:
            return [], offset
        first = bisect.bisect_right(self.starts, offset) - 1
        last = bisect.bisect_left(self.starts, offset + limit)
        keys = [tuple(decode_term(tuple(t)) for t in k) for k in self.keys[first:last]]
        return keys, self.starts[first]


class PageIndex:
    """The page index of the store at ``store_dir``, read one query at a time as pages ask."""

    def __init__(self, store_dir: Path):
        self.folder = index_dir(store_dir)
        self.identity = identity(store_dir)
        self._entries: dict[str, Entry | None] = {}

    def entry(self, parsed: ParsedQuery) -> Entry | None:
        name = _file_name(parsed)
        if name not in self._entries:
            self._entries[name] = self._read(self.folder / name)
        return self._entries[name]

    def _read(self, path: Path) -> Entry | None:
        if self.identity is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("format") != _FORMAT or data.get("identity") != self.identity:
            return None
        counts = data["counts"]
        starts = [0, *accumulate(counts)]
        return Entry(data["vars"], data["key"], data["keys"], starts[:-1], starts[-1])

    def page(self, store: "Store", parsed: ParsedQuery, limit: int, offset: int, timeout: Any) -> Page | None:
        """Rows ``offset`` to ``offset + limit`` of ``parsed`` (no parameters) and the total, from
        the rows of the runs that the page overlaps; None when the query is not indexed."""
        entry = self.entry(parsed)
        if entry is None:
            return None
        keys, first = entry.window(offset, limit)
        if not keys:
            return Page(list(entry.vars), [], None, offset, entry.total)
        restricted = replace(parsed, text=with_rows(parsed, entry.key, keys, parsed.text),
                             unordered=with_rows(parsed, entry.key, keys, parsed.unordered) if parsed.unordered else None,
                             prepared=None, where_brace=None, where_end=None, optional_starts=())
        result = store.query(restricted, timeout=timeout)
        rows = result.rows[offset - first:offset - first + limit]
        return Page(result.vars, rows, None, offset, entry.total)
