"""Small helpers on words and numbers shared by the rule families."""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from ..corpus import find_all
from .lexicon import DEVELOPMENT_WORDS, ENFORCEMENT_WORDS, PROTECTION_WORDS, entries

_STEMS = list(entries("reversal_stems"))


def _stem(word: str) -> str:
    """The base of a reversal verb, for rule names: 'dropped' -> 'drop', 'shelved' -> 'shelve'."""
    for base in _STEMS:
        if word.startswith(base[:5]) or word.startswith(base):
            return base
    return word.replace("-", "")


def _num(value: Decimal):
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _orientation(words: Iterable[str]) -> str | None:
    ws = set(words)
    scores = {"enforcement": len(ws & ENFORCEMENT_WORDS), "protection": len(ws & PROTECTION_WORDS),
              "development": len(ws & DEVELOPMENT_WORDS)}
    best = max(scores, key=scores.get)
    if scores[best] == 0 or list(scores.values()).count(scores[best]) > 1:
        return None
    return best


# =============================================================================================
# Writing the candidate file
# =============================================================================================

def _quote(text: str, start: int, end: int, seen: dict[str, dict[int, int]] | None = None
           ) -> tuple[str, int | None]:
    """A quote for [start, end): single-spaced, with an occurrence when it is not unique
    (``seen`` keeps, for each quote already looked up in ``text``, its starts and their numbers)."""
    quote = " ".join(text[start:end].split())
    seen = {} if seen is None else seen
    places = seen.get(quote)
    if places is None:
        places = seen[quote] = {s: n for n, (s, _e) in enumerate(find_all(text, quote), 1)}
    return quote, (places.get(start) if len(places) > 1 else None)


def _map(ca: list[int], oa: list[int], c: int) -> int:
    k = bisect_right(ca, c) - 1
    return oa[k] + (c - ca[k])

