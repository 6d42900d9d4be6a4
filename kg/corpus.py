"""Corpus stage: read documents and their curation files, and locate quotes in the text."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
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


def read_text(path: Path) -> str:
    """The UTF-8 text of a file; a missing, unreadable or non-UTF-8 file is one error with its line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", str(path)) from None
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror}", str(path)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {exc.start})",
                          str(path), line) from None


def read_document(path: Path) -> Document:
    """Read a UTF-8 text document; refuse a missing, non-UTF-8 or empty one."""
    text = read_text(path)
    if "\x00" in text:
        raise CorpusError("binary file (contains NUL bytes), not a text document", str(path))
    if not text.strip():
        raise CorpusError("empty document", str(path))
    return Document(path, text)


#: libyaml's parser where PyYAML has it (about 10x faster on a large corpus), else PyYAML's own.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe YAML loader that keeps dates as text (the build parses them itself, so that a bad
    date is an error with its line) and records each mapping's line in ``__line__`` and each
    key's line in ``__lines__``. A value its tag cannot make (``!!int x``) is an error at its node."""

    def construct_object(self, node: yaml.Node, deep: bool = False):  # type: ignore[no-untyped-def]
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.tag.rsplit(':', 1)[-1]} value {getattr(node, 'value', '')!r} is invalid "
                            f"({' '.join(str(exc).split())[:80]})", node.start_mark) from None


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {key.value: key.start_mark.line + 1 for key, _ in node.value
                            if isinstance(key, yaml.ScalarNode)}
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.Node) -> str:
    """A date stays its text; an explicit ``!!timestamp`` on something else is an error with its line."""
    text = loader.construct_scalar(node)  # type: ignore[arg-type]
    if not re.match(r"^\d{4}-\d{1,2}-\d{1,2}", str(text)):
        raise yaml.constructor.ConstructorError(None, None, f"!!timestamp {text!r} is not a date", node.start_mark)
    return text


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

#: Keys the loader adds to every mapping.
LINE_KEYS = frozenset({"__line__", "__lines__"})


def key_line(item: Any, key: str, default: int | None = None) -> int | None:
    """The line of ``key`` in a loaded mapping (else the mapping's line, else ``default``)."""
    if not isinstance(item, dict):
        return default
    return item.get("__lines__", {}).get(key) or item.get("__line__", default)


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a curation file; a syntax error names the file and line."""
    text = read_text(path)
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CorpusError(f"malformed YAML: {exc.problem or exc.context}", str(path), line) from None
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise CorpusError(f"malformed YAML: control character U+{char:04X} is not allowed", str(path), line) from None
    except yaml.YAMLError as exc:
        raise CorpusError(f"malformed YAML: {' '.join(str(exc).split())[:200]}", str(path)) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor refused a value (e.g. !!int x)
        raise CorpusError(f"malformed YAML: {' '.join(str(exc).split())[:200]}", str(path)) from None
    if data is None:
        return {"__line__": 1, "__lines__": {}}
    if not isinstance(data, dict):
        raise CorpusError("expected a mapping at the top level", str(path), 1)
    return data


def inside(path: Path, folder: Path) -> Path:
    """``path`` itself, after checking that it does not lead (through a symbolic link) out of
    ``folder``; a corpus never reads files from elsewhere."""
    if path.is_symlink():
        target = path.resolve()
        root = folder.resolve()
        if target != root and root not in target.parents:
            raise CorpusError(f"is a symbolic link to {target}, outside the corpus folder; copy the file "
                              f"in instead", str(path))
    return path


def find_documents(seeds: Path) -> list[Path]:
    """The documents of a seeds folder: every ``*.txt``, sorted by name (links out of it refused)."""
    if not seeds.is_dir():
        raise CorpusError("seeds folder not found", str(seeds))
    return [inside(p, seeds) for p in sorted(seeds.glob("*.txt"))]


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


@lru_cache(maxsize=1)
def _month_words() -> dict[str, int]:
    from .files import package_file

    data = yaml.safe_load(package_file("data/calendar.yaml").read_text(encoding="utf-8"))
    return {word: int(month) for month, words in data["months"].items() for word in words}


def date_in_text(text: str, lexical: str) -> bool:
    """True if ``text`` states the month and day a date gives (the year may come from the
    document's context): a date is only as precise as its quote.

    >>> date_in_text("On June 7, the two countries released", "2019-06-07")
    True
    >>> date_in_text("a raid last month", "2019-05"), date_in_text("in late May", "2019-05")
    (False, True)
    """
    parts = [int(p) for p in lexical.split("-")[:3]]
    if len(parts) == 1:
        return True
    month = parts[1]
    words = {w.rstrip(".") for w in re.findall(r"[a-z]+\.?", fold(text))}
    numeric = re.search(rf"(?<!\d)0?{month}[/.-]\d|\d{{4}}-0?{month}(?!\d)", text)
    if not numeric and not any(_month_words().get(w) == month for w in words):
        return False
    if len(parts) == 3:
        day = parts[2]
        return bool(re.search(rf"(?<![\d,.])0?{day}(?:st|nd|rd|th)?(?!\d|[,.]\d)", text))
    return True


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching aliases."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
