"""Store stage: open the built dataset in a store chosen by name, and run SPARQL on it.

``memory`` (the default) is rdflib's in-memory Dataset read from ``dataset.nq``: nothing to run.
``oxigraph`` is the persistent pyoxigraph store ``kg build --store oxigraph`` leaves in
``oxigraph/``. ``sparql`` is any SPARQL 1.1 endpoint. On every store the default graph is the
union of the named graphs, the same query gives the same rows, and a query stops at its time limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..errors import StoreError
from ..files import CANDIDATES_DIR, DATASET_FILE, OXIGRAPH_DIR
from .base import DEFAULT_TIMEOUT, Page, QueryResult, Store, plain

__all__ = ["AUTO", "DEFAULT_TIMEOUT", "Page", "QueryResult", "STORES", "Store", "open_store", "plain"]


def _memory(data_dir: Path, endpoint: str | None, **options: Any) -> Store:
    from .memory import MemoryStore

    return MemoryStore.from_file(data_dir / DATASET_FILE)


def _oxigraph(data_dir: Path, endpoint: str | None, **options: Any) -> Store:
    from .oxigraph import OxigraphStore

    path = data_dir / OXIGRAPH_DIR
    if not path.exists():
        raise StoreError("no oxigraph store here; run 'kg build --store oxigraph' first", str(path))
    return OxigraphStore(path, read_only=options.get("read_only", True))


def _sparql(data_dir: Path, endpoint: str | None, **options: Any) -> Store:
    from .remote import SparqlStore

    if not endpoint:
        raise StoreError("the sparql store needs an endpoint URL (--endpoint)")
    return SparqlStore(endpoint, **options)


#: ``open_store(AUTO, …)``: Oxigraph where the build left ``oxigraph/``, else memory.
AUTO = "auto"
#: Store names and how each opens a build (or an endpoint).
STORES: dict[str, Callable[..., Store]] = {"memory": _memory, "oxigraph": _oxigraph, "sparql": _sparql}


def open_store(kind: str = "memory", data_dir: Path = Path("build"), endpoint: str | None = None,
               timeout: float | None = DEFAULT_TIMEOUT, candidates: bool = False, **options: Any) -> Store:
    """Open the built dataset of ``data_dir`` (or the SPARQL ``endpoint``) as a :class:`Store`
    (``kind`` ``"auto"``: the Oxigraph store the build left, if any, else memory)
    whose queries stop after ``timeout`` seconds unless they say otherwise (None: no limit).
    With ``candidates`` the default graph also holds the unreviewed candidates of
    ``kg build --with-candidates``, and the summary marks what rests on them alone as unreviewed."""
    if candidates:
        if endpoint:
            raise StoreError(f"--with-candidates reads a local build; push its {CANDIDATES_DIR}/ folder "
                             f"to query candidates on an endpoint")
        data_dir = Path(data_dir) / CANDIDATES_DIR
        if not (data_dir / DATASET_FILE).exists():
            raise StoreError("this build has no candidates; run 'kg build --with-candidates DIR' first",
                             str(data_dir))
    if endpoint:
        kind = "sparql"
    elif kind == AUTO:  # the build's persistent store when it left one: nothing to parse
        kind = "oxigraph" if (Path(data_dir) / OXIGRAPH_DIR).is_dir() else "memory"
    opener = STORES.get(kind)
    if opener is None:
        raise StoreError(f"unknown store {kind!r} (one of {', '.join(STORES)})")
    if timeout is not None and timeout <= 0:
        raise StoreError(f"a time limit must be positive, not {timeout:g}")
    store = opener(Path(data_dir), endpoint, **options)
    store.timeout = timeout
    return store
