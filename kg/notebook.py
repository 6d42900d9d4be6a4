"""Notebook stage: find and open the built graph from Jupyter, turn results into pandas
DataFrames, and the ``%%sparql`` cell magic that ``%load_ext kg`` registers.

Nothing here imports pandas or IPython until it is used, so ``import kg`` stays light.

The magic runs the SPARQL (or the catalogue name) in its cell and returns a DataFrame::

    %%sparql --param actor=who --out pressures
    who-pressured-whom

``--limit N`` and ``--offset N`` return one page of rows (the DataFrame's ``attrs["total"]``
holds the answer's size); without them the DataFrame holds every row. ``--param NAME=VALUE`` binds a query parameter. A bare VALUE that names a notebook variable
takes that variable's value; a quoted VALUE (``--param actor="Donald Trump"``) is taken as
written, and so is anything else (``--param actor=mexico`` when no variable ``mexico`` exists),
exactly as ``kg query --param`` takes it. ``--out NAME`` also stores the DataFrame in the
notebook variable NAME. ``--store``, ``--data`` and ``--endpoint`` choose the graph as on the
command line (``--data`` and ``--endpoint`` also take a notebook variable); without them the
cell queries the store last opened with :func:`load`, or else the build at the repository root.
A malformed query or a bad parameter prints one line on stderr (``error: ...``) and the cell
returns None.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .errors import KGError
from .files import DATASET_FILE, OXIGRAPH_DIR
from .store import STORES, QueryResult, Store, open_store

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Environment variable naming the folder of the built dataset (default: build/ at the repo root).
DATA_ENV = "KG_DATA"
ROOT_MARKER = "pyproject.toml"


class MagicError(KGError):
    """A ``%%sparql`` line that cannot be parsed (unknown option, missing value, bad quoting)."""


# --- finding and opening the graph --------------------------------------------------------

def find_root(start: Path | None = None) -> Path:
    """The repository root: the first folder holding ``pyproject.toml``, walking up from
    ``start`` (the working directory by default), then from this package's own folder.

    >>> (find_root() / "pyproject.toml").exists()
    True
    """
    starts = [Path(start) if start else Path.cwd(), Path(__file__).resolve().parent]
    for origin in starts:
        for folder in [origin.resolve(), *origin.resolve().parents]:
            if (folder / ROOT_MARKER).is_file():
                return folder
    raise KGError(f"no {ROOT_MARKER} found above {starts[0]}; give the data folder explicitly")


def default_data_dir() -> Path:
    """``$KG_DATA`` when set, else ``build/`` at the repository root."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else find_root() / "build"


_default_store: Store | None = None
_opened: dict[tuple, Store] = {}


def load(data_dir: Path | str | None = None, store: str = "memory", endpoint: str | None = None) -> Store:
    """Open the built graph (``data_dir``, default :func:`default_data_dir`) in ``store``
    (memory, oxigraph) or a SPARQL ``endpoint``; the ``%%sparql`` magic then queries it."""
    global _default_store
    st = open_store(store, Path(data_dir) if data_dir is not None else default_data_dir(), endpoint=endpoint)
    _default_store = st
    return st


def _store_for(kind: str | None, data: str | None, endpoint: str | None) -> Store:
    """The store a magic cell asked for, opened once and reused until its files change."""
    if kind is None and data is None and endpoint is None:
        if _default_store is not None:
            return _default_store
        kind = "memory"
    kind = kind or "memory"
    folder = (Path(data) if data else default_data_dir()).resolve()
    if endpoint or kind == "sparql":
        key: tuple = ("sparql", endpoint)
    else:
        target = folder / (DATASET_FILE if kind == "memory" else OXIGRAPH_DIR)
        stamp = target.stat().st_mtime_ns if target.exists() else None
        key = (kind, str(folder), stamp)
    if key not in _opened:
        _opened[key] = open_store(kind, folder, endpoint=endpoint)
    return _opened[key]


# --- DataFrames ------------------------------------------------------------------------------

def dataframe(result: QueryResult | list[Mapping[str, Any]], columns: list[str] | None = None) -> "pd.DataFrame":
    """A pandas DataFrame of a query result (one column per variable, numbers as numbers,
    IRIs and other terms as text, unbound as None) or of a list of records (``columns`` picks
    and orders them).

    >>> from rdflib import Literal, URIRef
    >>> r = QueryResult(["who", "n"], [(URIRef("https://example.org/a"), Literal(3))])
    >>> dataframe(r).to_dict("records")
    [{'who': 'https://example.org/a', 'n': 3}]
    """
    import pandas as pd

    from .query import to_records

    if isinstance(result, QueryResult):
        if result.boolean is not None:
            return pd.DataFrame({"boolean": [result.boolean]})
        records, names = to_records(result), list(result.vars)
    else:
        records = [dict(r) for r in result]
        names = list(columns) if columns else list(dict.fromkeys(k for r in records for k in r))
    return pd.DataFrame.from_records(records, columns=columns or names)


def readable(df: "pd.DataFrame") -> "pd.DataFrame":
    """``df`` for reading: label columns first, and an IRI column dropped where its label column
    (``xLabel`` or ``label`` beside ``thing``) names the same things.

    >>> import pandas as pd
    >>> readable(pd.DataFrame([{"thing": "https://w3id.org/migration-kg/id/a", "class": "Policy", "label": "A"}]))
      label   class
    0     A  Policy
    """
    names = list(df.columns)
    labels = [c for c in names if c.lower().endswith("label")]
    drop = {c for c in names if f"{c}Label" in names or f"{c}label" in names}
    if "label" in names:
        drop |= {c for c in names if c in ("thing", "iri") or
                 (c not in labels and df[c].astype(str).str.startswith("https://w3id.org/migration-kg/id/").all())}
    rest = [c for c in names if c not in drop and c not in labels]
    return df[labels + rest]


# --- views ---------------------------------------------------------------------------------

class View:
    """A drawn projection that Jupyter displays inline (its HTML is :func:`kg.views.inline`)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html


def show(g: Any, title: str, **kw: Any) -> View:
    """Draw the projection ``g`` in the notebook: an offline, sandboxed interactive view
    (options as :func:`kg.views.view_html`, plus ``height`` in pixels).

    >>> import networkx as nx
    >>> show(nx.DiGraph([("a", "b")]), "toy")._repr_html_().startswith("<iframe")
    True
    """
    from .views import inline

    return View(inline(g, title, **kw))


# --- the %%sparql magic --------------------------------------------------------------------

@dataclass
class MagicOptions:
    """What a ``%%sparql`` line asked for; each param is (name, value, quoted)."""

    params: list[tuple[str, str, bool]] = field(default_factory=list)
    out: str | None = None
    store: str | None = None
    data: str | None = None
    endpoint: str | None = None
    limit: int | None = None
    offset: int = 0
    quoted: set[str] = field(default_factory=set)


USAGE = ("%%sparql [--param NAME=VALUE ...] [--out NAME] [--store memory|oxigraph|sparql] "
         "[--data DIR] [--endpoint URL] [--limit N] [--offset N]")
_TOKEN = re.compile(r"""(?:[^\s"']+|"(?:\\.|[^"\\])*"|'[^']*')+""")
_OPTIONS = {"--param": "param", "-p": "param", "--out": "out", "-o": "out", "--store": "store",
            "--data": "data", "--endpoint": "endpoint", "--limit": "limit", "--offset": "offset"}


def _unquote(token: str) -> str:
    return shlex.split(token)[0] if token else ""


def parse_line(line: str) -> MagicOptions:
    """Parse the options of a ``%%sparql`` line, remembering which param values were quoted.

    >>> o = parse_line('--param actor=who -p target="Donald Trump" --out df')
    >>> o.params, o.out
    ([('actor', 'who', False), ('target', 'Donald Trump', True)], 'df')
    """
    try:
        shlex.split(line)
    except ValueError as exc:
        raise MagicError(f"cannot read the %%sparql line: {exc}; usage: {USAGE}") from None
    tokens = _TOKEN.findall(line)
    opts = MagicOptions()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name, _, inline_value = token.partition("=") if token.startswith("--") else (token, "", "")
        option = _OPTIONS.get(name)
        if option is None:
            raise MagicError(f"unexpected {_unquote(token)!r} on the %%sparql line; usage: {USAGE}")
        if inline_value:
            raw = inline_value
        else:
            i += 1
            if i >= len(tokens):
                raise MagicError(f"{name} needs a value; usage: {USAGE}")
            raw = tokens[i]
        if option == "param":
            whole_quoted = raw[:1] in ("\"", "'")
            text = _unquote(raw) if whole_quoted else raw
            pname, eq, value_raw = text.partition("=")
            if not eq or not pname.strip():
                raise MagicError(f"--param {_unquote(raw)!r}: expected NAME=VALUE")
            quoted = whole_quoted or value_raw[:1] in ("\"", "'")
            value = value_raw if whole_quoted else _unquote(value_raw)
            opts.params.append((pname.strip(), value, quoted))
        else:
            value = _unquote(raw)
            if option == "out" and not value.isidentifier():
                raise MagicError(f"--out {value!r}: not a Python variable name")
            if option == "store" and value not in STORES:
                raise MagicError(f"--store {value!r}: one of {', '.join(STORES)}")
            if option in ("limit", "offset"):
                if not value.isdigit():
                    raise MagicError(f"{name} {value!r}: a number of rows, 0 or more")
                setattr(opts, option, int(value))
                i += 1
                continue
            setattr(opts, option, value)
            if raw[:1] in ("\"", "'"):
                opts.quoted.add(option)
        i += 1
    return opts


def _param_text(value: Any, name: str, declared: bool) -> str:
    """The ``--param`` text for a notebook variable's value."""
    from rdflib import Literal, URIRef

    if value is None:
        raise MagicError(f"--param {name}: the notebook variable is None")
    if isinstance(value, URIRef):
        return str(value) if declared else f"<{value}>"
    if isinstance(value, Literal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    raise MagicError(f"--param {name}: cannot bind a {type(value).__name__}; use a string, number, date or IRI")


def _from_namespace(value: str | None, quoted: bool, namespace: Mapping[str, Any]) -> str | None:
    """A bare option value naming a notebook variable becomes that variable's value (as text)."""
    if value is not None and not quoted and value.isidentifier() and value in namespace:
        return str(namespace[value])
    return value


def sparql(line: str, cell: str, namespace: Mapping[str, Any] | None = None) -> Any:
    """Run the cell's SPARQL (or catalogue name) with the line's options; see the module doc.

    Returns a DataFrame (a boolean for ASK); on a user error prints ``error: ...`` on stderr
    and returns None.
    """
    from . import query as q

    namespace = namespace if namespace is not None else {}
    try:
        opts = parse_line(line)
        text = cell.strip()
        named = q.get_query(text) if q.is_query_name(text) else q.adhoc_query(cell)
        given: dict[str, str] = {}
        for name, value, quoted in opts.params:
            if not quoted and value.isidentifier() and value in namespace:
                given[name] = _param_text(namespace[value], name, bool(named.params))
            else:
                given[name] = value
        data, endpoint = (_from_namespace(getattr(opts, o), o in opts.quoted, namespace)
                          for o in ("data", "endpoint"))
        store = _store_for(opts.store, data, endpoint)
        if opts.limit is None and not opts.offset:
            result = q.run(store, named, given)
        else:
            from .defaults import PAGE_ROWS

            limit = PAGE_ROWS if opts.limit is None else opts.limit
            result = q.run_page(store, named, given, limit, opts.offset)
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    answer = result.boolean if result.boolean is not None else dataframe(result)
    if getattr(result, "total", None) is not None and result.boolean is None:
        answer.attrs["total"] = result.total  # the page's DataFrame knows the whole answer's size
        print(q.page_footer(result).split(" (")[0], file=sys.stderr)
    if opts.out:
        namespace[opts.out] = answer  # type: ignore[index]
    return answer


def load_ipython_extension(ipython: Any) -> None:
    """Register the ``%%sparql`` cell magic (``%load_ext kg``)."""
    from IPython.core.magic import no_var_expand

    @no_var_expand
    def sparql_magic(line: str, cell: str) -> Any:
        return sparql(line, cell, ipython.user_ns)

    sparql_magic.__doc__ = f"{USAGE}\n\n{__doc__}"
    ipython.register_magic_function(sparql_magic, magic_kind="cell", magic_name="sparql")
