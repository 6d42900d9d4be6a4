"""Reviewing a candidate file: listing statements and recording decisions in place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..corpus import read_yaml
from ..gazetteer import ACTOR_CLASSES, Gazetteer
from .model import ExtractError


@dataclass
class ReviewItem:
    """One statement of a candidate file, as listed by ``kg review``."""

    number: int
    id: str
    kind: str
    review: str
    rule: str
    confidence: float | None
    quote: str
    problem: str = ""


def _statement_kind(item: dict, things: dict[str, str], gaz_classes: dict[str, str]) -> str:
    cls = things.get(item.get("id"), gaz_classes.get(item.get("id"), ""))
    return "Actor" if cls in ACTOR_CLASSES else cls or "?"


def _problem(item: dict, kind: str) -> str:
    if kind == "Pressure" and not (item.get("exertedBy") and item.get("targets")):
        return "a Pressure needs exertedBy and targets: add them to the file before accepting"
    if kind == "Statistic" and (item.get("value") is None or not item.get("measure")):
        return "a Statistic needs value and measure"
    return ""


def review(path: Path, accept: Iterable[int] = (), reject: Iterable[int] = (), accept_all: bool = False,
           seeds: Path | None = None) -> list[ReviewItem]:
    """Record review decisions in a candidate file (in place, atomically) and list its statements.

    Accepting a statement also accepts the candidate things it uses and their mentions. A
    Pressure without an agent and a target cannot be accepted until they are filled in.
    """
    path = Path(path)
    data = read_yaml(path)
    statements = [s for s in (data.get("statements") or []) if isinstance(s, dict)]
    things = {t["id"]: t.get("class", "") for t in (data.get("things") or []) if isinstance(t, dict) and "id" in t}
    gaz_classes = {t.id: t.cls for t in Gazetteer.from_seeds(seeds).things.values()} if seeds else {}
    accept, reject = set(accept), set(reject)
    for n in accept | reject:
        if not 1 <= n <= len(statements):
            raise ExtractError(f"no statement {n} (the file has {len(statements)})", str(path))
    if accept & reject:
        raise ExtractError(f"statement(s) {sorted(accept & reject)} both accepted and rejected", str(path))
    decisions: dict[int, str] = {}
    skipped = []
    for n, item in enumerate(statements, 1):
        kind = _statement_kind(item, things, gaz_classes)
        problem = _problem(item, kind)
        if n in reject:
            decisions[n] = "rejected"
        elif n in accept or (accept_all and item.get("review", "candidate") == "candidate"):
            if problem:
                if n in accept:
                    raise ExtractError(f"statement {n} ({item.get('id')}): {problem}", str(path),
                                       item.get("__line__"))
                skipped.append(n)
                continue
            decisions[n] = "accepted"
    if decisions:
        _apply_review(path, data, statements, decisions)
        data = read_yaml(path)
        statements = [s for s in (data.get("statements") or []) if isinstance(s, dict)]
    out = []
    for n, item in enumerate(statements, 1):
        kind = _statement_kind(item, things, gaz_classes)
        out.append(ReviewItem(n, str(item.get("id")), kind, str(item.get("review", "accepted")),
                              str(item.get("rule", "")), item.get("confidence"), str(item.get("quote", "")),
                              _problem(item, kind) if n in skipped else ""))
    return out


def _apply_review(path: Path, data: dict, statements: list[dict], decisions: dict[int, str]) -> None:
    from ..files import write_atomic
    from ..gazetteer import curated_ids

    lines = path.read_text(encoding="utf-8").split("\n")
    starts = sorted(s.get("__line__", 0) for s in statements)

    def set_block(first: int, value: str) -> None:
        """Set ``review:`` inside the block mapping that starts on line ``first`` (1-based)."""
        later = [s for s in starts if s > first]
        stop = (later[0] - 1) if later else len(lines)
        for ln in range(first - 1, stop):
            m = re.match(r"^(\s*)(-\s+)?review:\s*\S*\s*$", lines[ln])
            if m:
                lines[ln] = re.sub(r"review:\s*\S*", f"review: {value}", lines[ln])
                return
        indent = re.match(r"^(\s*)-\s+", lines[first - 1])
        pad = " " * (len(indent.group(0)) if indent else 4)
        last = first - 1
        for ln in range(first, stop):
            if lines[ln].startswith(pad) and lines[ln].strip() and not lines[ln].lstrip().startswith("#"):
                last = ln
        lines.insert(last + 1, f"{pad}review: {value}")
        for idx, s in enumerate(starts):
            if s > last + 1:
                starts[idx] = s + 1

    def set_flow(line: int, value: str) -> None:
        """Set ``review:`` in the flow mapping ``{...}`` that starts on ``line`` (it may wrap)."""
        last = line - 1
        while last < len(lines) - 1 and not lines[last].rstrip().endswith("}"):
            last += 1
        for ln in range(line - 1, last + 1):
            if re.search(r"\breview:\s*\w+", lines[ln]):
                lines[ln] = re.sub(r"\breview:\s*\w+", f"review: {value}", lines[ln])
                return
        lines[last] = re.sub(r"\}\s*$", f", review: {value}}}", lines[last])

    accepted_ids: set[str] = set()
    for n, value in sorted(decisions.items(), key=lambda kv: -statements[kv[0] - 1].get("__line__", 0)):
        item = statements[n - 1]
        first = item.get("__line__", 0)
        if re.match(r"^\s*(-\s+)?\{", lines[first - 1]):
            set_flow(first, value)
        else:
            set_block(first, value)
    for n, item in enumerate(statements, 1):
        status = decisions.get(n, item.get("review", "candidate"))
        if status == "accepted":
            accepted_ids |= curated_ids({"statements": [item]})
    for section in ("things", "mentions"):
        for item in data.get(section) or []:
            if isinstance(item, dict) and item.get("id") in accepted_ids and item.get("review") == "candidate":
                set_flow(item["__line__"], "accepted")
    write_atomic({path.name: "\n".join(lines).encode("utf-8")}, path.parent)
