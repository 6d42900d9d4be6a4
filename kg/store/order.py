"""SPARQL's order of terms, on terms as the query processes send them (see :mod:`.child`): the
one collation by which every store sorts rows."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from rdflib import XSD

_NUMERIC = {str(XSD[t]) for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                                   "nonNegativeInteger", "positiveInteger", "negativeInteger",
                                   "nonPositiveInteger", "unsignedInt", "unsignedLong")}
_STRING = {None, str(XSD.string)}
_TEMPORAL = {str(XSD[t]) for t in ("date", "dateTime", "gYear", "gYearMonth")}  # ISO text sorts in time order


def encoded_order(encoded: tuple | None, as_string: bool = False) -> tuple:
    """:func:`kg.store.base.order_value` of an encoded term (see :mod:`kg.store.child`)."""
    if encoded is None:
        return (0,)
    kind = encoded[0]
    if as_string:
        return (3, 2, encoded[1], "") if kind != "b" else (0,)
    if kind == "b":
        return (1,)
    if kind == "u":
        return (2, encoded[1])
    _, lexical, dt, language = encoded
    if language:
        return (3, 2, lexical, language)
    if dt in _NUMERIC:
        try:
            return (3, 0, float(lexical), "")
        except ValueError:
            pass
    if dt in _TEMPORAL:
        return (3, 1, lexical, "")
    if dt in _STRING:
        return (3, 2, lexical, "")
    return (3, 3, dt or "", lexical)


class _Descending:
    """A sort key that orders the other way round."""

    __slots__ = ("value",)

    def __init__(self, value: tuple):
        self.value = value

    def __lt__(self, other: "_Descending") -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.value == other.value


def row_key(columns: Sequence[tuple[int, bool, bool]], encode: Callable[[Any], tuple]) -> Callable[[tuple], tuple]:
    """The sort key of a row of engine terms: for each (column, as_string, descending), the
    column's :func:`encoded_order`, so that rows sort as :func:`sort_rows` sorts their terms."""
    def key(row: tuple) -> tuple:
        out = []
        for i, as_string, descending in columns:
            term = row[i]
            value = encoded_order(None if term is None else encode(term), as_string)
            out.append(_Descending(value) if descending else value)
        return tuple(out)
    return key
