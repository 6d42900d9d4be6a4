"""Reviewing a candidate file: listing statements and recording decisions in place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

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
    agent: str = ""        # exertedBy / party / adoptedBy / reversedBy, as written
    target: str = ""       # targets / fromPolicy
    value: str = ""        # a statistic's value (and valueMax, unit), a role, a demand
    status: str = ""       # the curated status (issued, adopted, signed ...)
    hedge: str = ""


@dataclass
class UnusedActor:
    """A candidate actor that no accepted statement uses (``kg review --actors``)."""

    id: str
    cls: str
    label: str
    review: str
    confidence: float | None


_AGENT_KEYS = ("exertedBy", "party", "adoptedBy", "reversedBy", "attributedTo")
_TARGET_KEYS = ("targets", "fromPolicy", "toPolicy", "about")


def _ids(value) -> str:
    if value is None:
        return ""
    return ", ".join(str(v) for v in (value if isinstance(value, list) else [value]))


def _fields(item: dict) -> dict[str, str]:
    """The fields a reviewer checks, as short strings."""
    agent = next((_ids(item[k]) for k in _AGENT_KEYS if item.get(k)), "")
    target = next((_ids(item[k]) for k in _TARGET_KEYS if item.get(k)), "")
    if item.get("value") is not None:
        value = str(item["value"]) + (f"-{item['valueMax']}" if item.get("valueMax") is not None else "")
        value += f" {item['unit']}" if item.get("unit") else ""
        value += f" ({item['measure']})" if item.get("measure") else ""
    else:
        value = _ids(item.get("demands") or item.get("commitment") or item.get("role") or item.get("pressureType") or "")
    return {"agent": agent, "target": target, "value": value, "status": str(item.get("status") or ""),
            "hedge": str(item.get("hedge") or "")}


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
           seeds: Path | None = None, accept_kinds: Iterable[str] = (), reject_kinds: Iterable[str] = (),
           accept_above: float | None = None, reject_below: float | None = None,
           accept_actors: Iterable[str] = ()) -> list[ReviewItem]:
    """Record review decisions in a candidate file (in place, atomically) and list its statements.

    Statements are chosen by number (as listed, in file order), by class (``accept_kinds``:
    Pressure, Agreement ...), or by confidence (``accept_above``: at least; ``reject_below``:
    under); a number or class named to reject wins over a threshold to accept. Accepting a
    statement also accepts the candidate things it uses and their mentions; ``accept_actors``
    (ids, or ``all``) accepts candidate actors that no statement uses. A Pressure without an
    agent and a target cannot be accepted until they are filled in.
    """
    path = Path(path)
    if path.suffix == ".yaml" and not path.with_suffix(".txt").exists():
        raise ExtractError(f"candidate file without its document: {path.with_suffix('.txt').name} is not beside "
                           f"it (kg extract writes both; quotes and offsets refer to it)", str(path))
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
    accept_kinds, reject_kinds = set(accept_kinds), set(reject_kinds)
    for n, item in enumerate(statements, 1):
        kind = _statement_kind(item, things, gaz_classes)
        problem = _problem(item, kind)
        conf = item.get("confidence")
        pending = item.get("review", "candidate") == "candidate"
        by_threshold = isinstance(conf, (int, float)) and pending
        if n in reject or (pending and kind in reject_kinds) or (
                by_threshold and reject_below is not None and conf < reject_below):
            decisions[n] = "rejected"
        elif n in accept or (pending and (accept_all or kind in accept_kinds)) or (
                by_threshold and accept_above is not None and conf >= accept_above):
            if problem:
                if n in accept:
                    raise ExtractError(f"statement {n} ({item.get('id')}): {problem}", str(path),
                                       item.get("__line__"))
                skipped.append(n)
                continue
            decisions[n] = "accepted"
    actor_ids = _chosen_actors(data, accept_actors, path)
    if decisions or actor_ids:
        _apply_review(path, data, statements, decisions, actor_ids)
        data = read_yaml(path)
        statements = [s for s in (data.get("statements") or []) if isinstance(s, dict)]
    out = []
    for n, item in enumerate(statements, 1):
        kind = _statement_kind(item, things, gaz_classes)
        out.append(ReviewItem(n, str(item.get("id")), kind, str(item.get("review", "accepted")),
                              str(item.get("rule", "")), item.get("confidence"), str(item.get("quote", "")),
                              _problem(item, kind) if n in skipped else "", **_fields(item)))
    return out


def unused_actors(path: Path) -> list[UnusedActor]:
    """Candidate actors of a candidate file that no accepted statement uses (they would be left
    out of the graph): listed by ``kg review --actors``, accepted with ``--accept-actor``."""
    from ..gazetteer import curated_ids

    data = read_yaml(Path(path))
    used: set[str] = set()
    for item in data.get("statements") or []:
        if isinstance(item, dict) and item.get("review", "accepted") == "accepted":
            used |= curated_ids({"statements": [item]})
    out = []
    for t in data.get("things") or []:
        if isinstance(t, dict) and t.get("class") in ACTOR_CLASSES and t.get("id") not in used:
            out.append(UnusedActor(str(t["id"]), str(t["class"]), str(t.get("label", "")),
                                   str(t.get("review", "accepted")), t.get("confidence")))
    return out


def _chosen_actors(data: dict, chosen: Iterable[str], path: Path) -> set[str]:
    chosen = list(chosen)
    if not chosen:
        return set()
    actors = {t["id"] for t in data.get("things") or []
              if isinstance(t, dict) and t.get("class") in ACTOR_CLASSES and "id" in t}
    if "all" in chosen:
        return actors
    unknown = [c for c in chosen if c not in actors]
    if unknown:
        raise ExtractError(f"no candidate actor {unknown[0]!r} in the file", str(path))
    return set(chosen)


def _apply_review(path: Path, data: dict, statements: list[dict], decisions: dict[int, str],
                  actor_ids: set[str] = frozenset()) -> None:
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

    accepted_ids: set[str] = set(actor_ids)
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
