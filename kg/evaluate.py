"""Evaluation stage: score the extraction rules against hand-curated statements.

Three sets are scored (``evaluate_sets``): the seeds, the documents the rules were developed on
(leave-one-document-out, a training-set score), and the two halves of the evaluation set of
unseen articles in ``eval/`` (``dev``, read while working on rules; ``test``, only run, its
table the product's accuracy), each extracted with the seeds' gazetteer as ``kg extract`` would
for a user's new article."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

from . import progress
from .corpus import Document, find_documents, locate, read_document, read_yaml
from .errors import CorpusError
from .extract import Extraction, Extractor
from .gazetteer import ACTOR_CLASSES, Gazetteer, KnownThing, fold_name

KINDS = ("Pressure", "Agreement", "PolicyReversal", "Statistic", "Policy")
#: The accuracy issue 12 asks of unseen articles (precision, recall) per row.
TARGETS = {"entities": (0.9, 0.85), "Pressure": (0.8, 0.7), "Agreement": (0.8, 0.7),
           "PolicyReversal": (0.8, 0.7), "Statistic": (0.9, 0.9), "Policy": (0.7, 0.6)}
#: The sets ``kg evaluate`` scores, in order, and how each is described in its table's title.
SETS = ("seeds", "dev", "test")
SET_TITLES = {
    "seeds": "seeds: the documents the rules were developed on (leave-one-document-out; a training-set score, not accuracy)",
    "dev": "dev: unseen articles, half of eval/ (read while working on rules)",
    "test": "test: unseen articles, the other half of eval/ (run only; the product's accuracy)",
}
ROW_NAMES = {"entities": "entities (actors)", "Pressure": "pressures", "Agreement": "agreements",
             "PolicyReversal": "reversals", "Statistic": "statistics", "Policy": "policies"}


@dataclass
class Score:
    """Counts of one row of the table."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Miss:
    """A missed gold item (fn) or a wrong prediction (fp)."""

    document: str
    row: str
    kind: str          # "fn" or "fp"
    what: str
    quote: str


@dataclass
class Evaluation:
    """Scores per row (entities and each statement kind), per document, and the misses."""

    totals: dict[str, Score] = field(default_factory=dict)
    by_document: dict[str, dict[str, Score]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    sentences: int = 0
    name: str = ""

    def title(self) -> str:
        """The table's heading: which set, how many documents and sentences."""
        what = SET_TITLES.get(self.name, self.name)
        return f"{what} -- {len(self.by_document)} documents, {self.sentences} sentences"

    def table(self) -> str:
        """The scores as a Markdown table."""
        lines = ["| row | gold | predicted | correct | precision | recall | F1 | target P / R |",
                 "|---|---:|---:|---:|---:|---:|---:|---|"]
        for row in ("entities",) + KINDS:
            s = self.totals.get(row, Score())
            target = TARGETS.get(row)
            tgt = f"{target[0]:.2f} / {target[1]:.2f}" if target else "(none)"
            lines.append(f"| {ROW_NAMES[row]} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {s.precision:.2f} | "
                         f"{s.recall:.2f} | {s.f1:.2f} | {tgt} |")
        return "\n".join(lines)

    def per_document(self) -> str:
        head = "| document | " + " | ".join(ROW_NAMES[r] for r in ("entities",) + KINDS) + " |"
        lines = [head, "|---|" + "---:|" * (len(KINDS) + 1)]
        for doc, rows in self.by_document.items():
            cells = []
            for r in ("entities",) + KINDS:
                s = rows.get(r, Score())
                cells.append(f"{s.tp}/{s.tp + s.fp}/{s.tp + s.fn}")
            lines.append(f"| {doc} | " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n\n(cells: correct / predicted / gold)"

    def render_misses(self, limit: int | None = None) -> str:
        out = []
        for m in self.misses[:limit]:
            quote = m.quote if len(m.quote) <= 110 else m.quote[:107] + "..."
            out.append(f"{m.document} {m.row:<14} {m.kind} {m.what}: {quote!r}")
        return "\n".join(out)

    def meets_targets(self) -> bool:
        return all(self.totals[r].precision >= p and self.totals[r].recall >= rc
                   for r, (p, rc) in TARGETS.items())


def evaluate_sets(seeds: Path, eval_dir: Path | None, sets: Iterable[str] = SETS,
                  documents: list[str] | None = None) -> list[Evaluation]:
    """One Evaluation per set: ``seeds`` leave-one-document-out, ``dev`` and ``test`` (folders of
    ``eval_dir``) extracted with the gazetteer of ``seeds``. A set whose folder is missing is
    skipped; asking only for missing sets is an error."""
    out = []
    sets = list(sets)
    with progress.steps(len(sets), "kg evaluate") as step:
        for name in sets:
            step(name)
            result = _evaluate_set(name, seeds, eval_dir, documents)
            if result is not None:
                out.append(result)
    if not out:
        raise CorpusError("no evaluation set found", str(eval_dir or "eval"))
    return out


def _evaluate_set(name: str, seeds: Path, eval_dir: Path | None, documents: list[str] | None) -> "Evaluation | None":
    """One set's Evaluation, or None when its folder is missing or holds none of ``documents``."""
    if name not in SETS:
        raise CorpusError(f"unknown evaluation set {name!r} (expected one of {', '.join(SETS)})")
    folder = Path(seeds) if name == "seeds" else Path(eval_dir or "eval") / name
    if not folder.is_dir():
        if name == "seeds":
            raise CorpusError("no such folder of curated documents", str(folder))
        return None
    if documents and not any(t.stem in documents or t.name in documents for t in find_documents(folder)):
        return None
    result = evaluate(folder, documents, known=None if name == "seeds" else seeds)
    result.name = name
    return result


# --- gold -------------------------------------------------------------------------------------

@dataclass
class _Gold:
    kind: str
    id: str
    start: int
    end: int
    props: dict[str, Any]


def _spans(doc: Document, item: dict, yml: Path) -> tuple[int, int] | None:
    try:
        return locate(doc, item["quote"], item.get("occurrence"), "gold", yml, item.get("__line__"))
    except (CorpusError, KeyError, TypeError):
        return None


def _gold(doc: Document, data: dict, yml: Path, things: dict[str, KnownThing]):
    """Gold actors (id -> spans of their mentions) and gold statements of one document."""
    actors: dict[str, list[tuple[int, int]]] = {}
    statements: list[_Gold] = []

    def actor(tid: str, span) -> None:
        thing = things.get(tid)
        if thing is not None and thing.cls in ACTOR_CLASSES:
            actors.setdefault(tid, [])
            if span:
                actors[tid].append(span)

    for item in data.get("mentions") or []:
        if isinstance(item, dict) and "id" in item:
            actor(item["id"], _spans(doc, item, yml))
    meta = data.get("document") or {}
    for key in ("creator", "publisher"):
        for item in (meta.get(key) or []) if isinstance(meta, dict) else []:
            if isinstance(item, dict) and "id" in item:
                actor(item["id"], _spans(doc, item, yml))
    for item in data.get("statements") or []:
        if not isinstance(item, dict) or "id" not in item:
            continue
        span = _spans(doc, item, yml)
        thing = things.get(item["id"])
        if thing is None or span is None:
            continue
        if thing.cls in ACTOR_CLASSES:
            actor(item["id"], span)
            continue
        if thing.cls not in KINDS:
            continue
        if thing.cls == "Pressure" and not (item.get("exertedBy") or item.get("targets")):
            continue  # an outcome or status of a pressure described elsewhere, not an act of pressure
        statements.append(_Gold(thing.cls, item["id"], span[0], span[1], item))
    return actors, statements


# --- matching -----------------------------------------------------------------------------------

def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _max_matching(n_left: int, edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (networkx's Hopcroft-Karp): left index -> right index."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(("L", u) for u in range(n_left))
    g.add_edges_from((("L", u), ("R", v)) for u, vs in edges.items() for v in vs)
    pairs = nx.bipartite.hopcroft_karp_matching(g, top_nodes=[("L", u) for u in range(n_left)])
    return {u[1]: v[1] for u, v in pairs.items() if u[0] == "L"}


def _align_entities(ex: Extraction, gold: dict[str, list[tuple[int, int]]],
                    things: dict[str, KnownThing]) -> tuple[dict[str, str], Score, list, list]:
    """Match predicted actors to gold actors; returns (pred id -> gold id, score, fns, fps)."""
    preds = [e for e in ex.entities.values() if e.cls in ACTOR_CLASSES]
    mapping: dict[str, str] = {}
    for e in preds:
        if e.known and e.id in gold:
            mapping[e.id] = e.id
    taken = set(mapping.values())
    scored = []
    for e in preds:
        if e.id in mapping:
            continue
        names = {fold_name(e.label)} | {fold_name(a) for a in e.alt_labels} | {
            fold_name(ex.text[s:t]) for s, t in e.mentions}
        for gid, spans in gold.items():
            thing = things[gid]
            if gid in taken or thing.cls != e.cls:
                continue
            gnames = {fold_name(n) for n in thing.names}
            score = 0
            if names & gnames:
                score = 3
            elif any(_overlap(m, s) for m in e.mentions for s in spans):
                score = 1 + (1 if any(n and any(n in g or g in n for g in gnames) for n in names) else 0)
            if score:
                scored.append((score, e.id, gid))
    for score, pid, gid in sorted(scored, key=lambda x: -x[0]):
        if pid in mapping or gid in taken:
            continue
        mapping[pid] = gid
        taken.add(gid)
    s = Score(tp=len(mapping), fp=len(preds) - len(mapping), fn=len(gold) - len(taken))
    fns = [gid for gid in gold if gid not in taken]
    fps = [e for e in preds if e.id not in mapping]
    return mapping, s, fns, fps


def _ids(value) -> set[str]:
    if value is None:
        return set()
    return {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)}


def _value(v) -> Decimal | None:
    try:
        return Decimal(str(v).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def _compatible(kind: str, pred, gold: _Gold, mapping: dict[str, str]) -> bool:
    if not _overlap((pred.start, pred.end), (gold.start, gold.end)):
        return False
    if kind == "Pressure":
        for key in ("exertedBy", "targets"):
            g = _ids(gold.props.get(key))
            if g:
                p = {mapping.get(x, x) for x in _ids(pred.props.get(key))}
                if not p & g:
                    return False
    if kind == "Statistic":
        gv, pv = _value(gold.props.get("value")), _value(pred.props.get("value"))
        if gv is None or pv is None or gv != pv:
            return False
    return True


# --- the evaluation -------------------------------------------------------------------------------

def evaluate(seeds: Path, documents: list[str] | None = None, known: Path | None = None) -> Evaluation:
    """Scores of the extraction on the curated documents of ``seeds``.

    Without ``known``, leave-one-document-out: for each document the gazetteer is rebuilt
    without it (``Gazetteer.from_seeds(holdout=)``). With ``known`` (the curated corpus a user
    already has, e.g. ``seeds/``), every document is extracted with that corpus's gazetteer, as
    ``kg extract`` does for a new article. Predictions are matched one-to-one to curated items.
    """
    seeds = Path(seeds)
    things = Gazetteer.from_seeds(seeds).things
    result = Evaluation(totals={r: Score() for r in ("entities",) + KINDS})
    txts = find_documents(seeds)
    if documents:
        txts = [t for t in txts if t.stem in documents or t.name in documents]
    if not txts:
        raise CorpusError("no curated documents to evaluate", str(seeds))
    fixed = Extractor(Gazetteer.from_seeds(known)) if known is not None else None
    for txt in txts:
        yml = txt.with_suffix(".yaml")
        if not yml.exists():
            continue
        doc = read_document(txt)
        data = read_yaml(yml)
        gold_actors, gold_statements = _gold(doc, data, yml, things)
        extractor = fixed or Extractor(Gazetteer.from_seeds(seeds, holdout=txt.stem))
        ex = extractor.process(doc.text, txt.stem)
        result.sentences += ex.sentences
        rows: dict[str, Score] = {}
        mapping, s, fns, fps = _align_entities(ex, gold_actors, things)
        rows["entities"] = s
        for gid in fns:
            spans = gold_actors[gid]
            quote = doc.text[spans[0][0]:spans[0][1]] if spans else ""
            result.misses.append(Miss(txt.stem[:3], "entities", "fn", f"{gid} ({things[gid].cls})", quote))
        for e in fps:
            s0, e0 = e.mentions[0]
            result.misses.append(Miss(txt.stem[:3], "entities", "fp", f"{e.label} ({e.cls}, {e.rule})",
                                      doc.text[s0:e0]))
        for kind in KINDS:
            golds = [g for g in gold_statements if g.kind == kind]
            preds = [c for c in ex.statements if c.kind == kind]
            edges = {i: [j for j, g in enumerate(golds) if _compatible(kind, p, g, mapping)]
                     for i, p in enumerate(preds)}
            matched = _max_matching(len(preds), edges)
            rows[kind] = Score(tp=len(matched), fp=len(preds) - len(matched), fn=len(golds) - len(matched))
            hit_gold = set(matched.values())
            for j, g in enumerate(golds):
                if j not in hit_gold:
                    extra = _miss_detail(kind, g.props)
                    result.misses.append(Miss(txt.stem[:3], ROW_NAMES[kind], "fn", g.id + extra,
                                              doc.text[g.start:g.end]))
            for i, p in enumerate(preds):
                if i not in matched:
                    extra = _miss_detail(kind, p.props)
                    result.misses.append(Miss(txt.stem[:3], ROW_NAMES[kind], "fp", p.rule + extra,
                                              doc.text[p.start:p.end]))
        result.by_document[txt.stem] = rows
        for r, sc in rows.items():
            result.totals[r].add(sc)
    return result


def _miss_detail(kind: str, props: dict) -> str:
    """What a missed pressure or statistic was about, for the misses list."""
    if kind == "Pressure":
        return f" {sorted(_ids(props.get('exertedBy')))}->{sorted(_ids(props.get('targets')))}"
    if kind == "Statistic":
        return f" value {props.get('value')}"
    return ""
