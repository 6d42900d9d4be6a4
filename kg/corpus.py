"""Corpus stage: read documents and their curation files, and locate quotes in the text."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusError, QuoteError

CATALOGUE_FILE = "catalogue.yaml"


@dataclass(frozen=True)
class Document:
    """A source document as stored: ``text`` is what offsets count in (code points)."""

    path: Path
    text: str

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Curation:
    """A parsed curation YAML file; mappings carry their line in ``__line__``."""

    path: Path
    data: dict[str, Any] = field(default_factory=dict)


def read_document(path: Path) -> Document:
    """Read a UTF-8 text document; refuse a missing, non-UTF-8 or empty one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", str(path)) from None
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror}", str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {exc.start})",
            str(path), line) from None
    if "\x00" in text:
        raise CorpusError("binary file (contains NUL bytes), not a text document", str(path))
    if not text.strip():
        raise CorpusError("empty document", str(path))
    return Document(path, text)


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's 1-based line as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a curation file; a syntax error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError("file not found", str(path)) from None
    except UnicodeDecodeError:
        raise CorpusError("not valid UTF-8", str(path)) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CorpusError(f"malformed YAML: {exc.problem or exc.context}", str(path), line) from None
    except yaml.YAMLError as exc:
        raise CorpusError(f"malformed YAML: {exc}", str(path)) from None
    if data is None:
        return {"__line__": 1}
    if not isinstance(data, dict):
        raise CorpusError("expected a mapping at the top level", str(path), 1)
    return data


def find_documents(seeds: Path) -> list[Path]:
    """The documents of a seeds folder: every ``*.txt``, sorted by name."""
    if not seeds.is_dir():
        raise CorpusError("seeds folder not found", str(seeds))
    return sorted(seeds.glob("*.txt"))


# --- quote location ---------------------------------------------------------------

_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def _pattern(quote: str) -> re.Pattern[str]:
    words = quote.split()
    if not words:
        raise ValueError("empty quote")
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find_all(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``quote`` occurs in ``text``, whitespace runs matching any run."""
    return [(m.start(), m.end()) for m in _pattern(quote).finditer(text)]


def locate(doc: Document, quote: str, occurrence: int | None = None,
           where: str = "", yaml_path: Path | None = None, line: int | None = None) -> tuple[int, int]:
    """Offsets [start, end) of ``quote`` in ``doc`` (code points).

    Whitespace in the quote matches any whitespace run (documents may be hard-wrapped);
    every other character must be equal. Raises :class:`QuoteError` if the quote is absent,
    or present more than once and ``occurrence`` (1-based) does not choose.
    """
    file = str(yaml_path) if yaml_path else str(doc.path)
    if not isinstance(quote, str) or not quote.strip():
        raise QuoteError(f"{where}: empty quote", file, line)
    hits = find_all(doc.text, quote)
    short = quote if len(quote) <= 80 else quote[:77] + "..."
    if not hits:
        hint = ""
        if find_all(doc.text.translate(_FOLD), quote.translate(_FOLD)):
            hint = " (it matches if quotes/dashes are normalised: use the document's own characters)"
        raise QuoteError(f"{where}: quote not found in {doc.name}: {short!r}{hint}", file, line)
    if occurrence is not None:
        if not isinstance(occurrence, int) or not 1 <= occurrence <= len(hits):
            raise QuoteError(f"{where}: occurrence {occurrence!r} out of range 1..{len(hits)} "
                             f"for quote {short!r}", file, line)
        return hits[occurrence - 1]
    if len(hits) > 1:
        raise QuoteError(f"{where}: quote found {len(hits)} times in {doc.name}, add "
                         f"'occurrence: N' or lengthen it: {short!r}", file, line)
    return hits[0]


# --- dates ------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(value: Any) -> tuple[str, str]:
    """Normalise a curated date to (lexical form, precision: 'year'|'month'|'day').

    >>> parse_date("2019-05")
    ('2019-05', 'month')
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat(), "day"
    text = str(value).strip()
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"bad date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"bad date {text!r}: month {month} out of range")
    if day:
        try:
            _dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValueError(f"bad date {text!r}: {exc}") from None
        return text, "day"
    return text, "month" if month else "year"


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching aliases."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
