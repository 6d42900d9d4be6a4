"""The things extraction produces: entities, candidate statements, an extraction, and the error."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field

from ..errors import KGError
from ..gazetteer import ACTOR_CLASSES


MAX_BYTES = 5_000_000          # refuse documents larger than this (bytes)
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


class ExtractError(KGError):
    """A document that cannot be extracted, or a candidate file that cannot be reviewed."""


@dataclass
class Entity:
    """An actor (or other thing) found in the document: known from the gazetteer or new."""

    id: str
    cls: str
    label: str
    known: bool
    rule: str
    confidence: float
    alt_labels: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Candidate:
    """One candidate statement: its thing, evidence span and properties."""

    kind: str                 # Pressure, Agreement, Policy, PolicyReversal, Statistic, Actor
    thing: str                # id of the thing the statement is about
    start: int
    end: int
    props: dict[str, Any]
    rule: str
    confidence: float
    note: str = ""


@dataclass
class Extraction:
    """Everything extracted from one document."""

    text: str
    stem: str
    entities: dict[str, Entity] = field(default_factory=dict)
    statements: list[Candidate] = field(default_factory=list)
    sentences: int = 0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {"sentences": self.sentences,
                               "entities": sum(1 for e in self.entities.values() if e.cls in ACTOR_CLASSES)}
        for st in self.statements:
            out[st.kind] = out.get(st.kind, 0) + 1
        return out


@dataclass
class _Ent:
    i: int                 # token span [i, j) in the block doc
    j: int
    id: str | None
    cls: str
    label: str
    known: bool
    rule: str
    conf: float
    alts: tuple[str, ...] = ()
    title_start: int | None = None   # name.title: the first token of the title before the name
