"""The curation format, in one place: which keys each kind of entry takes, what each key's value
must be, and which RDF property each key asserts. The build, the gazetteer and ``kg extract``
all read it from here (``docs/curation.md`` describes it for people)."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from . import vocab
from .corpus import LINE_KEYS, key_line
from .errors import CorpusError
from .vocab import MKG

ACTORS = frozenset(vocab.ACTOR_CLASSES)
ANY_THING = frozenset(vocab.THING_CLASSES)

#: Reference keys by kind ("Actor" for every actor class): key -> (predicate, classes it may name).
REFS: dict[str, dict[str, tuple[URIRef, frozenset[str]]]] = {
    "Pressure": {
        "exertedBy": (MKG.exertedBy, ACTORS),
        "targets": (MKG.targets, ACTORS),
        "resultedIn": (MKG.resultedIn, frozenset({"Policy", "Agreement", "PolicyReversal"})),
        "instrument": (MKG.instrument, frozenset({"Instrument"})),
    },
    "Policy": {"adoptedBy": (MKG.adoptedBy, ACTORS), "appliesTo": (MKG.appliesTo, ACTORS)},
    "Agreement": {"party": (MKG.party, ACTORS), "commitment": (MKG.commitment, frozenset({"Policy"}))},
    "PolicyReversal": {
        "fromPolicy": (MKG.fromPolicy, frozenset({"Policy"})),
        "toPolicy": (MKG.toPolicy, frozenset({"Policy"})),
        "reversedBy": (MKG.reversedBy, ACTORS),
    },
    "Statistic": {"about": (MKG.about, ANY_THING)},
    "Claim": {"about": (MKG.about, ANY_THING), "heldBy": (MKG.heldBy, ACTORS)},
    "Actor": {
        "supports": (MKG.supports, ANY_THING), "opposes": (MKG.opposes, ANY_THING),
        "criticizes": (MKG.criticizes, ANY_THING), "leads": (MKG.leads, ACTORS),
        "partOf": (MKG.partOf, ACTORS), "memberOf": (MKG.memberOf, ACTORS),
    },
    "Place": {"locatedIn": (MKG.locatedIn, frozenset({"State", "Place"}))},
}
#: Every key whose values are thing ids (the reference keys, plus attribution and demands).
REF_KEYS = tuple(dict.fromkeys([k for refs in REFS.values() for k in refs] + ["attributedTo", "demands"]))

#: Literal-valued keys each kind takes beyond the common ones.
EXTRA_KEYS: dict[str, frozenset[str]] = {
    "Pressure": frozenset({"pressureType", "demands", "status"}),
    "Policy": frozenset({"status", "orientation"}),
    "Agreement": frozenset({"status", "condition"}),
    "PolicyReversal": frozenset(),
    "Statistic": frozenset({"value", "valueMax", "unit", "measure"}),
    "Claim": frozenset({"position"}),
    "Actor": frozenset({"role"}),
    "Instrument": frozenset(),
    "Place": frozenset(),
}
#: The property each literal key asserts (recorded on the evidence as mkg:assertsProperty).
ASSERTS = {"date": MKG.date, "pressureType": MKG.pressureType, "demands": MKG.demands,
           "status": MKG.status, "orientation": MKG.orientation, "condition": MKG.condition,
           "unit": MKG.unit, "measure": MKG.measure, "role": MKG.role, "value": MKG.value,
           "valueMax": MKG.valueMax, "position": MKG.position}

REVIEW_KEYS = frozenset({"rule", "confidence", "review"})  # written by `kg extract`; not compiled
COMMON_KEYS = frozenset({"id", "quote", "occurrence", "date", "dateQuote", "attributedTo", "hedge", "note"}) | REVIEW_KEYS
THING_KEYS = frozenset({"id", "class", "label", "altLabels", "note"}) | REVIEW_KEYS
MENTION_KEYS = frozenset({"id", "quote", "occurrence", "note"}) | REVIEW_KEYS
TOP_KEYS = frozenset({"document", "mentions", "statements", "things"})
META_KEYS = frozenset({"title", "creator", "publisher", "producer", "date"})

# What a value must be: one text, one whole number, one number, a date, or one or many ids/texts.
TEXT, INT, NUMBER, DATE, TEXTS = "text", "whole number", "number", "date", "texts"
VALUE_TYPES: dict[str, str] = {
    "id": TEXT, "class": TEXT, "label": TEXT, "altLabels": TEXTS, "note": TEXT, "quote": TEXT,
    "occurrence": INT, "date": DATE, "dateQuote": TEXT, "hedge": TEXT, "rule": TEXT, "confidence": NUMBER, "review": TEXT,
    "pressureType": TEXT, "status": TEXT, "orientation": TEXT, "condition": TEXT, "unit": TEXT,
    "measure": TEXT, "role": TEXT, "value": NUMBER, "valueMax": NUMBER, "position": TEXT,
    **{key: TEXTS for key in REF_KEYS},
}


def kind_of(cls: str) -> str:
    """The kind a class is curated as: every actor class is an ``Actor``."""
    return "Actor" if cls in ACTORS else cls


def statement_keys(cls: str) -> frozenset[str]:
    """Every key a statement about a thing of class ``cls`` may have."""
    kind = kind_of(cls)
    return COMMON_KEYS | frozenset(REFS.get(kind, {})) | EXTRA_KEYS.get(kind, frozenset())


def check(item: Any, allowed: frozenset[str], where: str, path: str, required: tuple[str, ...] = (),
          types: dict[str, str] | None = None, line: int | None = None) -> dict:
    """``item`` as a mapping whose keys are ``allowed`` and whose values have the right type
    (:data:`VALUE_TYPES`, or ``types``); otherwise one :class:`CorpusError` naming the file and
    the key's line (``line``: where ``item`` itself stands, for an item that is no mapping)."""
    types = VALUE_TYPES if types is None else types
    if not isinstance(item, dict):
        raise CorpusError(f"{where}: expected a mapping (key: value), not {_kind(item)}", path, line)
    unknown = sorted(str(k) for k in set(item) - allowed - LINE_KEYS)
    if unknown:
        raise CorpusError(f"{where}: unknown key(s) {unknown}", path, key_line(item, unknown[0]))
    for key in required:
        if item.get(key) is None:
            raise CorpusError(f"{where}: {key!r} is required", path, key_line(item, key))
    for key, value in item.items():
        expected = types.get(key)
        if expected is not None and value is not None and not _fits(value, expected):
            raise CorpusError(f"{where}: {key} must be {_say(expected)}, not {_kind(value)}", path,
                              key_line(item, key))
    return item


def _fits(value: Any, expected: str) -> bool:
    if isinstance(value, bool):
        return False
    if expected == TEXT:
        return isinstance(value, (str, int, float))
    if expected == INT:
        return isinstance(value, int)
    if expected == NUMBER:
        return isinstance(value, (int, float, str))
    if expected == DATE:
        return isinstance(value, (str, int))
    if expected == TEXTS:
        values = value if isinstance(value, list) else [value]
        return all(isinstance(v, str) for v in values)
    return True


def _say(expected: str) -> str:
    return {TEXT: "one text value", INT: "one whole number", NUMBER: "one number",
            DATE: "a date (YYYY, YYYY-MM or YYYY-MM-DD)", TEXTS: "an id or text, or a list of them"}[expected]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (quote it if it is text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, bytes):
        return "binary data"
    return f"{value!r}"


def as_list(value: Any) -> list:
    """A key's value as a list (one value, a list, or nothing)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
