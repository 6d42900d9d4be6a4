"""Writing an extraction as a candidate YAML file in the curated format."""

from __future__ import annotations

from typing import Any

import yaml

from ..gazetteer import ACTOR_CLASSES
from .tokens import _quote


_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml's emitter when available


class _BlockDumper(_SafeDumper):
    """Block mappings with lists in flow style: ``exertedBy: [donald-trump]``."""


_BlockDumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def _flow(item: dict) -> str:
    return yaml.dump(item, Dumper=_SafeDumper, default_flow_style=True, allow_unicode=True, sort_keys=False,
                     width=10**6).strip()


def render_yaml(ex: Extraction, source_name: str) -> str:
    """The candidate file of one extraction, in the curated format plus rule/confidence/review."""
    text = ex.text
    seen: dict[str, dict[int, int]] = {}
    used: set[str] = set()
    stmts = [c for c in ex.statements if c.end > c.start]
    for c in stmts:
        used.add(c.thing)
        for key in ("exertedBy", "targets", "party", "adoptedBy", "reversedBy", "about", "attributedTo",
                    "commitment"):
            used.update(c.props.get(key, []) or [])
        for key in ("fromPolicy", "toPolicy", "instrument"):
            if c.props.get(key):
                used.add(c.props[key])
    lines = [
        f"# Candidates extracted automatically from {source_name} by `kg extract` (rules, no model).",
        "# Nothing here is in the graph until reviewed: `kg review THIS.yaml` lists the statements;",
        "# `kg review THIS.yaml --accept 1,3 --reject 2` (or --accept-all), or set `review: accepted` /",
        "# `review: rejected` by hand. Then copy this file and its .txt into seeds/ and run `kg build`.",
        "# rule: which rule proposed the entry; confidence: 0..1 (lowered for hedges and negation).",
        "",
    ]
    things = [e for e in ex.entities.values() if not e.known and (e.id in used or e.mentions)]
    lines.append("things:" if things else "things: []")
    for e in sorted(things, key=lambda e: (e.cls not in ACTOR_CLASSES, e.cls, e.id)):
        item: dict[str, Any] = {"id": e.id, "class": e.cls, "label": e.label}
        if e.alt_labels:
            item["altLabels"] = e.alt_labels[:5]
        item.update({"rule": e.rule, "confidence": round(e.confidence, 2), "review": "candidate"})
        lines.append("  - " + _flow(item))
    lines.append("")
    mentions = []
    named = set(ACTOR_CLASSES) | {"Place"}  # things recorded by their mentions alone
    for e in ex.entities.values():
        if not e.mentions or (e.cls not in named and e.known and e.id not in used):
            continue
        if e.cls not in named and e.cls not in {"Policy", "Agreement"}:
            continue
        if not e.known and e.cls not in named and e.id not in used:
            continue
        start, end = e.mentions[0]
        quote, occ = _quote(text, start, end, seen)
        item = {"id": e.id, "quote": quote}
        if occ:
            item["occurrence"] = occ
        item.update({"rule": e.rule, "confidence": round(e.confidence, 2), "review": "candidate"})
        mentions.append(item)
    lines.append("mentions:" if mentions else "mentions: []")
    for item in mentions:
        lines.append("  - " + _flow(item))
    lines.append("")
    lines.append("statements:" if stmts else "statements: []")
    for n, c in enumerate(stmts, 1):
        quote, occ = _quote(text, c.start, c.end, seen)
        item = {"id": c.thing, "quote": quote}
        if occ:
            item["occurrence"] = occ
        item.update(c.props)
        if c.note:
            item["note"] = c.note
        item.update({"rule": c.rule, "confidence": c.confidence, "review": "candidate"})
        lines.append(f"  # [{n}] {c.kind}")
        dumped = yaml.dump(item, Dumper=_BlockDumper, default_flow_style=False, allow_unicode=True,
                           sort_keys=False, width=100).rstrip("\n").split("\n")
        lines.append("  - " + dumped[0])
        lines.extend("    " + ln for ln in dumped[1:])
    return "\n".join(lines) + "\n"
