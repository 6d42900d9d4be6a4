"""Build-time consistency checks on the curated statements of the whole corpus: the errors an
audit found that a machine can see. Each failure is one :class:`CorpusError` naming the file and
line of the statement at fault (and, in the message, the statement it conflicts with).

- a policy adopted by an actor that also opposes it (one node standing for two things);
- a cycle of policy reversals (A reversed into B, ... reversed back into A);
- one document giving one thing two statuses that cannot both hold (a policy both merely
  proposed and adopted, an agreement both signed and rejected, a pressure both carried out and
  withdrawn), unless the two statements carry different dates that tell the steps apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .errors import CorpusError


@dataclass(frozen=True)
class Fact:
    """One reference or status a curated statement gives, and where it stands."""

    file: str
    line: int | None
    index: int  # 1-based statement number in its file
    thing: str  # the statement's id
    cls: str  # the thing's class
    key: str  # adoptedBy, opposes, fromPolicy, toPolicy, status
    value: str
    date: str | None = None

    @property
    def where(self) -> str:
        return f"statement {self.index} ({self.thing})"

    @property
    def at(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


#: Status pairs one document may not give one thing (undated, or with the same date).
CONTRADICTORY = {
    "Policy": [frozenset({"proposed", s}) for s in ("adopted", "implemented", "expanded")],
    "Agreement": [frozenset({"rejected", "signed"}), frozenset({"rejected", "ratified"}),
                  frozenset({"proposed", "signed"}), frozenset({"proposed", "ratified"})],
    "Pressure": [frozenset({"carried-out", "withdrawn"})],
}


def check_corpus(facts: list[Fact]) -> None:
    """Raise the first inconsistency among ``facts`` (in file order), if any."""
    adopted_or_opposed(facts)
    reversal_cycles(facts)
    contradictory_statuses(facts)


def adopted_or_opposed(facts: list[Fact]) -> None:
    adopters: dict[tuple[str, str], Fact] = {}
    for f in facts:
        if f.key == "adoptedBy" and f.cls == "Policy":
            adopters.setdefault((f.thing, f.value), f)
    for f in facts:
        if f.key == "opposes" and (f.value, f.thing) in adopters:
            first = adopters[(f.value, f.thing)]
            raise CorpusError(f"{f.where}: {f.thing!r} opposes policy {f.value!r}, which it adopts "
                              f"({first.at}, {first.where}); if these are two policies, split them",
                              f.file, f.line)


def reversal_cycles(facts: list[Fact]) -> None:
    froms: dict[str, list[Fact]] = defaultdict(list)
    tos: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.key == "fromPolicy":
            froms[f.thing].append(f)
        elif f.key == "toPolicy":
            tos[f.thing].append(f)
    edges: dict[str, list[tuple[str, Fact]]] = defaultdict(list)  # policy -> (policy, the toPolicy fact)
    for reversal in sorted(set(froms) & set(tos)):
        for old in froms[reversal]:
            for new in tos[reversal]:
                edges[old.value].append((new.value, new))
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for child, fact in edges.get(node, ()):
            if state.get(child) == 1:
                cycle = " -> ".join(path[path.index(child):] + [child]) if child in path else f"{node} -> {child}"
                raise CorpusError(f"{fact.where}: policy reversals form a cycle: {cycle}; a policy given up "
                                  f"cannot also be the one that replaced it (one id standing for two policies?)",
                                  fact.file, fact.line)
            if state.get(child) is None:
                visit(child, path + [child])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])


def contradictory_statuses(facts: list[Fact]) -> None:
    by_doc: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.key == "status":
            by_doc[(f.file, f.thing)].append(f)
    for (_, _), given in by_doc.items():
        for i, a in enumerate(given):
            for b in given[i + 1:]:
                pair = frozenset({a.value, b.value})
                if pair in CONTRADICTORY.get(a.cls, []) and (a.date is None or b.date is None or a.date == b.date):
                    raise CorpusError(f"{b.where}: status {b.value!r} contradicts status {a.value!r} that the "
                                      f"same document gives {a.thing!r} (line {a.line}, {a.where}); two things "
                                      f"under one id? split them, or date the two steps", b.file, b.line)
