"""The catalogue of named SPARQL queries: ``.rq`` files with a header of title, description and
typed parameters. Light on purpose (no rdflib until a query is parsed), so ``kg query --list``
starts fast."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QueryError
from .files import package_file

if TYPE_CHECKING:  # pragma: no cover
    from . import sparql

QUERY_DIR = package_file("queries")
PARAM_KINDS = ("thing", "document", "iri", "literal", "integer", "date")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """A catalogue entry: a ``.rq`` file with a title, description and parameters."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    path: Path | None = None
    #: variables that identify a row's group in the query's order (``# page-key:``): the build
    #: indexes where each group starts, so a page reads only its own rows (:mod:`kg.store.pages`)
    page_key: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @cached_property
    def parsed(self) -> "sparql.ParsedQuery":
        """The query parsed and checked (:func:`kg.sparql.parse`); errors name its file and line."""
        from . import sparql

        return sparql.parse(self.sparql, str(self.path) if self.path else self.name)


_HEADER = re.compile(r"^#\s*(title|description|param|page-key):\s*(.*)$")


def parse_query_file(path: Path, text: str | None = None) -> NamedQuery:
    """Read a ``.rq`` file and its header comments (title, description, param lines)."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError("query file not found", str(path)) from None
        except UnicodeDecodeError:
            raise QueryError("query file is not valid UTF-8", str(path)) from None
    title, description, params, page_key = path.stem, "", [], ()
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line.strip())
        if not m:
            continue
        key, value = m.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = value.strip()
        elif key == "page-key":
            page_key = tuple(v.lstrip("?") for v in value.split())
            if not page_key or not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v) for v in page_key):
                raise QueryError("bad page-key line, expected '# page-key: VAR ...'", str(path), lineno)
        else:
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_KINDS:
                raise QueryError(f"bad param line, expected '# param: NAME KIND description' "
                                 f"with KIND one of {', '.join(PARAM_KINDS)}", str(path), lineno)
            desc = parts[2] if len(parts) > 2 else ""
            params.append(Param(parts[0], parts[1], desc, desc.startswith("required")))
    return NamedQuery(path.stem, title, description, tuple(params), text, path, page_key)


@lru_cache(maxsize=4)
def _catalogue(directory: str) -> dict[str, NamedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(Path(directory).glob("*.rq"))}


def catalogue(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every named query of the catalogue, by name."""
    return dict(_catalogue(str(directory)))


def get_query(name: str, directory: Path = QUERY_DIR) -> NamedQuery:
    """The named query ``name``; an unknown name lists the known ones."""
    queries = catalogue(directory)
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; known queries: {', '.join(queries)}")
    return queries[name]


def adhoc_query(text: str, name: str = "query") -> NamedQuery:
    """Wrap SPARQL text given on the command line or from a file (its header is honoured).
    The project's prefixes (:data:`kg.vocab.PREFIXES`) may be used without declaring them.

    >>> adhoc_query("SELECT * WHERE { ?p a mkg:Pressure }").parsed.text.split(" SELECT")[0]
    'PREFIX mkg: <https://w3id.org/migration-kg/ontology#>'
    """
    if not text.strip():
        raise QueryError("empty query")
    nq = parse_query_file(Path(name + ".rq"), text)
    return NamedQuery(name, nq.title if nq.title != name else "ad-hoc query", nq.description, nq.params, text)


def is_query_name(text: str) -> bool:
    """True if ``text`` looks like a catalogue name rather than SPARQL."""
    return bool(re.match(r"^[a-z0-9][a-z0-9-]*$", text.strip()))



def describe_catalogue(fmt: str = "table", directory: Path = QUERY_DIR) -> str:
    """The catalogue as a table, CSV or JSON: name, title, description, parameters."""
    entries = [{"name": nq.name, "title": nq.title, "description": nq.description,
                "params": [{"name": p.name, "kind": p.kind, "description": p.description}
                           for p in nq.params]}
               for nq in catalogue(directory).values()]
    if fmt == "json":
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    rows = [(e["name"], e["title"], "; ".join(f"{p['name']} ({p['kind']}): {p['description']}" for p in e["params"]),
             e["description"]) for e in entries]
    names = ["name", "title", "params", "description"]
    if fmt == "csv":
        import csv

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows([names, *rows])
        return buf.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r} (table, csv or json)")
    from .progress import terminal_width, text_table

    return text_table(names, rows, terminal_width(), f"{len(rows)} named queries", whole=(0,))
