"""Build stage: compile the curated YAML of every document into an RDF dataset, validate it
with SHACL, and write it out atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from . import vocab
from .corpus import CATALOGUE_FILE, Document, find_documents, locate, parse_date, read_document, read_yaml
from .errors import CorpusError, ValidationError
from .vocab import MKG, RES

PACKAGE_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = PACKAGE_DIR.parent / "ontology.ttl"
SHAPES_FILE = PACKAGE_DIR / "shapes.ttl"

_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}

# key -> (predicate, allowed target classes or None for literal-or-thing, many?)
_ACTORS = set(vocab.ACTOR_CLASSES)
_POLICYISH = {"Policy"}
_ANY = set(vocab.THING_CLASSES)
_REFS: dict[str, dict[str, tuple[URIRef, set[str]]]] = {
    "Pressure": {
        "exertedBy": (MKG.exertedBy, _ACTORS),
        "targets": (MKG.targets, _ACTORS),
        "resultedIn": (MKG.resultedIn, {"Policy", "Agreement", "PolicyReversal"}),
        "instrument": (MKG.instrument, {"Instrument"}),
    },
    "Policy": {
        "adoptedBy": (MKG.adoptedBy, _ACTORS),
        "appliesTo": (MKG.appliesTo, _ACTORS),
    },
    "Agreement": {
        "party": (MKG.party, _ACTORS),
        "commitment": (MKG.commitment, _POLICYISH),
    },
    "PolicyReversal": {
        "fromPolicy": (MKG.fromPolicy, _POLICYISH),
        "toPolicy": (MKG.toPolicy, _POLICYISH),
        "reversedBy": (MKG.reversedBy, _ACTORS),
    },
    "Statistic": {
        "about": (MKG.about, _ANY),
    },
    "Actor": {
        "supports": (MKG.supports, _ANY),
        "opposes": (MKG.opposes, _ANY),
        "criticizes": (MKG.criticizes, _ANY),
        "leads": (MKG.leads, _ACTORS),
        "partOf": (MKG.partOf, _ACTORS),
        "memberOf": (MKG.memberOf, _ACTORS),
    },
    "Place": {
        "locatedIn": (MKG.locatedIn, {"State", "Place"}),
    },
}
_REVIEW_KEYS = {"rule", "confidence", "review"}   # written by `kg extract`; not compiled
_COMMON_KEYS = {"id", "quote", "occurrence", "date", "attributedTo", "hedge", "note", "__line__"} | _REVIEW_KEYS
_EXTRA_KEYS = {
    "Pressure": {"pressureType", "demands", "status"},
    "Policy": {"status", "orientation"},
    "Agreement": {"status", "condition"},
    "PolicyReversal": set(),
    "Statistic": {"value", "valueMax", "unit", "measure"},
    "Actor": {"role"},
    "Instrument": set(),
    "Place": set(),
}
_ASSERTED = {"date": MKG.date, "pressureType": MKG.pressureType, "demands": MKG.demands,
             "status": MKG.status, "orientation": MKG.orientation, "condition": MKG.condition,
             "unit": MKG.unit, "measure": MKG.measure, "role": MKG.role, "value": MKG.value,
             "valueMax": MKG.valueMax}
_THING_KEYS = {"id", "class", "label", "altLabels", "note", "__line__"} | _REVIEW_KEYS


@dataclass
class Thing:
    """A declared thing: id, class and names, and where it was declared."""

    id: str
    cls: str
    label: str
    alt_labels: list[str]
    file: str
    line: int

    @property
    def iri(self) -> URIRef:
        return vocab.thing_iri(self.id)

    @property
    def kind(self) -> str:
        """The class, with every actor subclass folded into ``Actor``."""
        return "Actor" if self.cls in _ACTORS else self.cls


@dataclass
class BuildResult:
    """A compiled dataset with its summary and SHACL report."""

    dataset: Dataset
    documents: list[Document]
    things: dict[str, Thing]
    conforms: bool = True
    report: str = ""
    counts_by_class: dict[str, int] = field(default_factory=dict)
    counts_by_document: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _line(item: Any, default: int | None = None) -> int | None:
    return item.get("__line__", default) if isinstance(item, dict) else default


# --- things ---------------------------------------------------------------------------

def _read_things(entries: Any, path: Path, things: dict[str, Thing]) -> None:
    if entries is None:
        return
    if not isinstance(entries, list):
        raise CorpusError("'things' must be a list", str(path))
    for entry in entries:
        line = _line(entry)
        if not isinstance(entry, dict):
            raise CorpusError("each thing must be a mapping with id, class, label", str(path), line)
        unknown = set(entry) - _THING_KEYS
        if unknown:
            raise CorpusError(f"thing {entry.get('id')!r}: unknown key(s) {sorted(unknown)}", str(path), line)
        tid, cls, label = entry.get("id"), entry.get("class"), entry.get("label")
        if not isinstance(tid, str) or not vocab.is_slug(tid):
            raise CorpusError(f"thing id {tid!r} must be a lower-case slug like 'donald-trump'", str(path), line)
        if cls not in vocab.THING_CLASSES:
            raise CorpusError(f"thing {tid!r}: unknown class {cls!r} (one of {', '.join(vocab.THING_CLASSES)})",
                              str(path), line)
        if not isinstance(label, str) or not label.strip():
            raise CorpusError(f"thing {tid!r}: a label is required", str(path), line)
        alts = _as_list(entry.get("altLabels"))
        if not all(isinstance(a, str) and a.strip() for a in alts):
            raise CorpusError(f"thing {tid!r}: altLabels must be a list of names", str(path), line)
        if tid in things:
            first = things[tid]
            raise CorpusError(f"thing {tid!r} declared twice (first at {first.file}:{first.line})",
                              str(path), line)
        things[tid] = Thing(tid, cls, label.strip(), [a.strip() for a in alts if a.strip() != label.strip()],
                            str(path), line or 0)


# --- compiling one document --------------------------------------------------------

class _DocCompiler:
    """Compiles one document's curation file into its named graph."""

    def __init__(self, doc: Document, path: Path, data: dict, things: dict[str, Thing],
                 graph: Graph, plover: set[str]):
        self.doc, self.path, self.data, self.things = doc, path, data, things
        self.g, self.plover = graph, plover
        self.doc_iri = vocab.document_iri(doc.stem)
        self.used: set[str] = set()

    def error(self, message: str, line: int | None) -> CorpusError:
        return CorpusError(message, str(self.path), line)

    def thing(self, tid: Any, allowed: set[str] | None, where: str, line: int | None) -> Thing:
        if not isinstance(tid, str) or tid not in self.things:
            raise self.error(f"{where}: unknown entity {tid!r} (declare it in {CATALOGUE_FILE} "
                             f"or under 'things:')", line)
        thing = self.things[tid]
        if allowed is not None and thing.cls not in allowed and thing.kind not in allowed:
            raise self.error(f"{where}: {tid!r} is a {thing.cls}, expected {' or '.join(sorted(allowed))}",
                             line)
        self.used.add(tid)
        return thing

    def evidence(self, item: dict, where: str, subject: str) -> URIRef:
        line = _line(item)
        if "quote" not in item:
            raise self.error(f"{where}: a quote is required", line)
        start, end = locate(self.doc, item["quote"], item.get("occurrence"), where, self.path, line)
        ev = vocab.evidence_iri(self.doc.stem, start, end, subject)
        g = self.g
        g.add((ev, RDF.type, MKG.Evidence))
        g.add((ev, MKG.quote, Literal(self.doc.text[start:end])))
        g.add((ev, MKG.source, self.doc_iri))
        g.add((ev, MKG.start, Literal(start)))
        g.add((ev, MKG.end, Literal(end)))
        for who in _as_list(item.get("attributedTo")):
            g.add((ev, MKG.attributedTo, self.thing(who, _ACTORS, f"{where}: attributedTo", line).iri))
        if item.get("hedge") is not None:
            if not isinstance(item["hedge"], str):
                raise self.error(f"{where}: hedge must be text", line)
            g.add((ev, MKG.hedge, Literal(item["hedge"])))
        return ev

    def date(self, node: URIRef, value: Any, where: str, line: int | None) -> None:
        try:
            lexical, precision = parse_date(value)
        except ValueError as exc:
            raise self.error(f"{where}: {exc}", line) from None
        self.g.add((node, MKG.date, Literal(lexical, datatype=_DATE_TYPES[precision])))

    def compile(self) -> None:
        data = self.data
        unknown = set(data) - {"document", "mentions", "statements", "things", "__line__"}
        if unknown:
            raise self.error(f"unknown top-level key(s) {sorted(unknown)}", 1)
        self.metadata(data.get("document") or {})
        for i, item in enumerate(_as_list(data.get("mentions")), 1):
            line = _line(item)
            if not isinstance(item, dict) or set(item) - {"id", "quote", "occurrence", "note", "__line__"} - _REVIEW_KEYS:
                raise self.error(f"mention {i}: expected {{id, quote}}", line)
            thing = self.thing(item.get("id"), None, f"mention {i}", line)
            self.g.add((thing.iri, MKG.evidence, self.evidence(item, f"mention {i} ({thing.id})", thing.id)))
        for i, item in enumerate(_as_list(data.get("statements")), 1):
            if not isinstance(item, dict):
                raise self.error(f"statement {i}: expected a mapping", None)
            self.statement(item, i)

    def metadata(self, meta: dict) -> None:
        if not isinstance(meta, dict):
            raise self.error("'document' must be a mapping", 1)
        unknown = set(meta) - {"title", "creator", "publisher", "date", "__line__"}
        if unknown:
            raise self.error(f"document: unknown key(s) {sorted(unknown)}", _line(meta))
        d = self.doc_iri
        for key in ("title", "date"):
            if key in meta:
                item = meta[key]
                line = _line(item, _line(meta))
                if not isinstance(item, dict) or "value" not in item:
                    raise self.error(f"document {key}: expected {{value, quote}}", line)
                item.setdefault("quote", str(item["value"]))
                self.g.add((d, MKG.evidence, self.evidence(item, f"document {key}", "doc-" + self.doc.stem)))
                if key == "title":
                    self.g.add((d, DCTERMS.title, Literal(str(item["value"]))))
                else:
                    try:
                        lexical, precision = parse_date(item["value"])
                    except ValueError as exc:
                        raise self.error(f"document date: {exc}", line) from None
                    self.g.add((d, DCTERMS.date, Literal(lexical, datatype=_DATE_TYPES[precision])))
        for key, pred in (("creator", DCTERMS.creator), ("publisher", DCTERMS.publisher)):
            for item in _as_list(meta.get(key)):
                line = _line(item, _line(meta))
                if not isinstance(item, dict) or "id" not in item:
                    raise self.error(f"document {key}: expected {{id, quote}}", line)
                thing = self.thing(item["id"], _ACTORS, f"document {key}", line)
                self.g.add((d, pred, thing.iri))
                self.g.add((d, MKG.evidence, self.evidence(item, f"document {key}", "doc-" + self.doc.stem)))
                self.g.add((thing.iri, MKG.evidence, self.evidence(item, f"document {key}", thing.id)))

    def statement(self, item: dict, i: int) -> None:
        line = _line(item)
        thing = self.thing(item.get("id"), None, f"statement {i}", line)
        where = f"statement {i} ({thing.id})"
        kind = thing.kind
        refs = _REFS.get(kind, {})
        allowed = _COMMON_KEYS | set(refs) | _EXTRA_KEYS.get(kind, set())
        unknown = set(item) - allowed
        if unknown:
            raise self.error(f"{where}: key(s) {sorted(unknown)} do not apply to a {thing.cls}", line)
        node, g = thing.iri, self.g
        ev = self.evidence(item, where, thing.id)
        g.add((node, MKG.evidence, ev))
        for key in item:
            pred = _ASSERTED.get(key) or (refs[key][0] if key in refs else None)
            if pred is not None:
                g.add((ev, MKG.assertsProperty, pred))
        if item.get("date") is not None:
            self.date(node, item["date"], where, line)
        for key, (pred, classes) in refs.items():
            for ref in _as_list(item.get(key)):
                g.add((node, pred, self.thing(ref, classes, f"{where}: {key}", line).iri))
        if "pressureType" in item:
            code = str(item["pressureType"]).upper()
            if code not in self.plover:
                raise self.error(f"{where}: unknown pressureType {item['pressureType']!r} "
                                 f"(one of {', '.join(sorted(self.plover))})", line)
            g.add((node, MKG.pressureType, vocab.plover_iri(code)))
        for demand in _as_list(item.get("demands")):
            if isinstance(demand, str) and demand in self.things:
                g.add((node, MKG.demands, self.thing(demand, _POLICYISH, f"{where}: demands", line).iri))
            elif isinstance(demand, str) and demand.strip():
                g.add((node, MKG.demands, Literal(demand.strip())))
            else:
                raise self.error(f"{where}: demands must be a policy id or text", line)
        if "status" in item:
            if item["status"] not in vocab.STATUS:
                raise self.error(f"{where}: unknown status {item['status']!r} "
                                 f"(one of {', '.join(vocab.STATUS)})", line)
            g.add((node, MKG.status, vocab.STATUS[item["status"]]))
        if "orientation" in item:
            if item["orientation"] not in vocab.ORIENTATION:
                raise self.error(f"{where}: unknown orientation {item['orientation']!r} "
                                 f"(one of {', '.join(vocab.ORIENTATION)})", line)
            g.add((node, MKG.orientation, vocab.ORIENTATION[item["orientation"]]))
        for key, pred in (("condition", MKG.condition), ("unit", MKG.unit), ("measure", MKG.measure),
                          ("role", MKG.role)):
            if key in item:
                if not isinstance(item[key], str) or not item[key].strip():
                    raise self.error(f"{where}: {key} must be text", line)
                g.add((node, pred, Literal(item[key].strip())))
        numbers = {}
        for key, pred in (("value", MKG.value), ("valueMax", MKG.valueMax)):
            if key in item:
                raw = item[key]
                try:
                    if isinstance(raw, bool):
                        raise InvalidOperation
                    numbers[key] = Decimal(str(raw).replace(",", ""))
                except InvalidOperation:
                    raise self.error(f"{where}: {key} {raw!r} is not a number", line) from None
                g.add((node, pred, Literal(numbers[key], datatype=XSD.decimal)))
        if "valueMax" in numbers and not numbers.get("value", numbers["valueMax"]) < numbers["valueMax"]:
            raise self.error(f"{where}: valueMax needs a value below it (a range is value to valueMax)", line)


# --- the whole corpus ----------------------------------------------------------------

def _plover_codes(ontology: Graph) -> set[str]:
    codes = set()
    for concept in ontology.subjects(RDF.type, MKG.PressureType):
        for notation in ontology.objects(concept, SKOS.notation):
            codes.add(str(notation))
    return codes


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """Parse ``ontology.ttl``; a syntax error names the file and line."""
    return _parse_turtle(path)


def _parse_turtle(path: Path) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError:
        raise CorpusError("file not found", str(path)) from None
    except Exception as exc:  # rdflib raises several parser exception types
        msg = " ".join(str(exc).split())
        raise CorpusError(f"malformed Turtle: {msg[:300]}", str(path)) from None
    return g


def compile_corpus(seeds: Path, ontology_path: Path = ONTOLOGY_FILE,
                   candidates: Path | None = None) -> BuildResult:
    """Compile every document of ``seeds`` (and its ``.yaml``) into a dataset.

    The default graph of the result is the union of its named graphs: the ontology,
    the catalogue of things, and one graph per document named by the document's IRI.
    """
    seeds = Path(seeds)
    ontology = load_ontology(ontology_path)
    plover = _plover_codes(ontology)
    ds = Dataset(default_union=True)
    ds.bind("mkg", str(MKG._NS))
    ds.bind("res", str(RES))
    ds.bind("skos", str(SKOS))
    ds.bind("dcterms", str(DCTERMS))
    og = ds.graph(vocab.ONTOLOGY_IRI)
    for t in ontology:
        og.add(t)

    things: dict[str, Thing] = {}
    catalogue_path = seeds / CATALOGUE_FILE
    if catalogue_path.exists():
        _read_things(read_yaml(catalogue_path).get("things"), catalogue_path, things)

    docs: list[tuple[Document, Path, dict]] = []
    for txt in find_documents(seeds):
        doc = read_document(txt)
        yml = txt.with_suffix(".yaml")
        data = select_reviewed(read_yaml(yml), yml) if yml.exists() else {}
        _read_things(data.get("things"), yml, things)
        docs.append((doc, yml, data))
    if not docs:
        raise CorpusError("no documents (*.txt) found", str(seeds))

    cat = ds.graph(vocab.CATALOGUE_GRAPH)
    cat.add((vocab.INSTRUMENT_SCHEME, RDF.type, SKOS.ConceptScheme))
    cat.add((vocab.INSTRUMENT_SCHEME, RDFS.label, Literal("instruments of pressure")))
    for thing in things.values():
        cat.add((thing.iri, RDF.type, MKG[thing.cls]))
        cat.add((thing.iri, RDFS.label, Literal(thing.label)))
        for alt in thing.alt_labels:
            cat.add((thing.iri, SKOS.altLabel, Literal(alt)))
        if thing.cls == "Instrument":
            cat.add((thing.iri, RDF.type, SKOS.Concept))
            cat.add((thing.iri, SKOS.prefLabel, Literal(thing.label)))
            cat.add((thing.iri, SKOS.inScheme, vocab.INSTRUMENT_SCHEME))

    used: set[str] = set()
    for doc, yml, data in docs:
        doc_iri = vocab.document_iri(doc.stem)
        cat.add((doc_iri, RDF.type, MKG.Document))
        cat.add((doc_iri, MKG.fileName, Literal(doc.name)))
        g = ds.graph(doc_iri)
        compiler = _DocCompiler(doc, yml, data, things, g, plover)
        compiler.compile()
        used |= compiler.used
        _derive_shortcuts(g)

    for thing in things.values():
        if thing.cls != "Instrument" and thing.id not in used:
            raise CorpusError(f"thing {thing.id!r} is declared but no document mentions it",
                              thing.file, thing.line)
    if candidates is not None:
        _compile_candidates(Path(candidates), ds, docs, things, plover)
    result = BuildResult(ds, [d for d, _, _ in docs], things)
    _count(result)
    return result


# --- reviewed and unreviewed candidates (kg extract) --------------------------------------------

REVIEW_STATES = ("candidate", "accepted", "rejected")


def select_reviewed(data: dict, path: Path, keep: frozenset[str] = frozenset({"accepted"}),
                    classes: dict[str, str] | None = None) -> dict:
    """The entries of a curation file that are compiled: those without ``review`` or whose
    ``review`` is in ``keep``. A ``review: candidate`` thing is kept when a kept entry uses it,
    and so are the candidate mentions of the things kept entries use. With ``classes``
    (id -> class), statements the shapes would reject (a Pressure without agent or target, a
    Statistic without value or measure) are left out too.
    """
    def state(item: Any) -> str | None:
        if not isinstance(item, dict) or "review" not in item:
            return None
        value = item["review"]
        if value not in REVIEW_STATES:
            raise CorpusError(f"review must be one of {', '.join(REVIEW_STATES)}, not {value!r}",
                              str(path), _line(item))
        return value

    statements = []
    for item in _as_list(data.get("statements")):
        st = state(item)
        if st is not None and st not in keep:
            continue
        if classes is not None and isinstance(item, dict):
            cls = classes.get(item.get("id"))
            if cls == "Pressure" and not (item.get("exertedBy") and item.get("targets")):
                continue
            if cls == "Statistic" and (item.get("value") is None or not item.get("measure")):
                continue
        statements.append(item)
    used: set[str] = set()
    for item in statements:
        if isinstance(item, dict):
            for key in ("id", *(k for refs in _REFS.values() for k in refs), "attributedTo", "demands"):
                used.update(v for v in _as_list(item.get(key)) if isinstance(v, str))
    meta = data.get("document")
    if isinstance(meta, dict):
        for key in ("creator", "publisher"):
            used.update(i.get("id") for i in _as_list(meta.get(key)) if isinstance(i, dict))
    for key in ("things", "mentions"):  # a thing or mention accepted on its own
        used.update(i.get("id") for i in _as_list(data.get(key)) if isinstance(i, dict) and
                    i.get("review") in keep - {"candidate"})
    things, dropped = [], set()
    for item in _as_list(data.get("things")):
        st = state(item)
        if st is None or st in keep - {"candidate"} or (st == "candidate" and item.get("id") in used):
            things.append(item)
        elif isinstance(item, dict):
            dropped.add(item.get("id"))
    mentions = []
    for item in _as_list(data.get("mentions")):
        st = state(item)
        if isinstance(item, dict) and item.get("id") in dropped:
            continue
        if st is None or st in keep - {"candidate"} or (st == "candidate" and item.get("id") in used):
            mentions.append(item)
    out = dict(data)
    out.update(things=things, mentions=mentions, statements=statements)
    return out


def _compile_candidates(folder: Path, ds: Dataset, docs: list, things: dict[str, Thing],
                        plover: set[str]) -> None:
    """Unreviewed candidates of ``folder`` (written by ``kg extract``) in their own named graph,
    vocab.CANDIDATES_GRAPH, every evidence marked as unreviewed. Documents already in the seeds
    (reviewed and copied there) are skipped; rejected entries are left out."""
    if not folder.is_dir():
        raise CorpusError("candidates folder not found", str(folder))
    seen = {doc.stem for doc, _, _ in docs}
    g = ds.graph(vocab.CANDIDATES_GRAPH)
    extra: dict[str, Thing] = {}
    for txt in find_documents(folder):
        yml = txt.with_suffix(".yaml")
        if txt.stem in seen or not yml.exists():
            continue
        doc = read_document(txt)
        raw = read_yaml(yml)
        classes = {t.id: t.cls for t in {**things, **extra}.values()}
        classes.update({t.get("id"): t.get("class") for t in _as_list(raw.get("things")) if isinstance(t, dict)})
        data = select_reviewed(raw, yml, frozenset({"candidate", "accepted"}), classes)
        local: dict[str, Thing] = {}
        _read_things(data.get("things"), yml, local)
        for tid, thing in local.items():
            if tid in things or tid in extra:
                continue
            extra[tid] = thing
            g.add((thing.iri, RDF.type, MKG[thing.cls]))
            g.add((thing.iri, RDFS.label, Literal(thing.label)))
            for alt in thing.alt_labels:
                g.add((thing.iri, SKOS.altLabel, Literal(alt)))
        doc_iri = vocab.document_iri(doc.stem)
        g.add((doc_iri, RDF.type, MKG.Document))
        g.add((doc_iri, MKG.fileName, Literal(doc.name)))
        _DocCompiler(doc, yml, data, {**things, **extra}, g, plover).compile()
    for ev in set(g.subjects(RDF.type, MKG.Evidence)):
        g.add((ev, MKG.reviewStatus, Literal("candidate")))
    _derive_shortcuts(g)


def _derive_shortcuts(g: Graph) -> None:
    """Add mkg:pressured and mkg:reverses in the graph whose statements imply them."""
    for pressure in set(g.subjects(MKG.exertedBy, None)):
        for agent in g.objects(pressure, MKG.exertedBy):
            for target in g.objects(pressure, MKG.targets):
                g.add((agent, MKG.pressured, target))
    for reversal in set(g.subjects(MKG.toPolicy, None)):
        for new in g.objects(reversal, MKG.toPolicy):
            for old in g.objects(reversal, MKG.fromPolicy):
                g.add((new, MKG.reverses, old))


def _count(result: BuildResult) -> None:
    ds = result.dataset
    classes = Counter()
    for thing in result.things.values():
        classes[thing.kind] += 1
    classes["Document"] = len(result.documents)
    classes["Evidence"] = len(set(ds.subjects(RDF.type, MKG.Evidence)))
    result.counts_by_class = dict(classes)
    for doc in result.documents:
        g = ds.graph(vocab.document_iri(doc.stem))
        result.counts_by_document[doc.name] = len(g)


# --- validation -----------------------------------------------------------------------

def validate(result: BuildResult, shapes_path: Path = SHAPES_FILE) -> BuildResult:
    """Check the dataset against the SHACL shapes (pyshacl); sets ``conforms`` and ``report``."""
    import pyshacl

    data = Graph()
    for t in result.dataset.triples((None, None, None)):
        data.add(t)
    shapes = _parse_turtle(shapes_path)
    # the data already holds the ontology graph; pyshacl's ont_graph mixing is very slow
    conforms, report_graph, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True)
    result.conforms, result.report = bool(conforms), text
    result.violations = _violations(report_graph)
    return result


def _violations(report: Graph) -> list[str]:
    """One line per SHACL violation: the focus node, the path and the message."""
    sh = "http://www.w3.org/ns/shacl#"
    lines = []
    for res in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        if report.value(res, URIRef(sh + "resultSeverity")) != URIRef(sh + "Violation"):
            continue
        focus = report.value(res, URIRef(sh + "focusNode"))
        path = report.value(res, URIRef(sh + "resultPath"))
        message = report.value(res, URIRef(sh + "resultMessage"))
        where = vocab.local_id(str(focus)) + (f" {path.n3(report.namespace_manager)}" if path is not None else "")
        lines.append(f"{where}: {message}")
    return sorted(lines)


# --- output ---------------------------------------------------------------------------

OUTPUT_FILES = {
    "dataset.trig": "trig",
    "dataset.nq": "nquads",
    "union.ttl": "turtle",
    "dataset.jsonld": "json-ld",
}


def serialize(result: BuildResult) -> dict[str, bytes]:
    """Every output file's bytes, by file name."""
    ds = result.dataset
    out: dict[str, bytes] = {}
    for name, fmt in OUTPUT_FILES.items():
        if fmt == "turtle":
            union = Graph()
            for prefix, ns in ds.namespaces():
                union.bind(prefix, ns)
            for t in ds.triples((None, None, None)):
                union.add(t)
            out[name] = union.serialize(format="turtle").encode("utf-8")
        else:
            out[name] = ds.serialize(format=fmt).encode("utf-8")
    summary = {"counts_by_class": result.counts_by_class,
               "counts_by_document": result.counts_by_document,
               "conforms": result.conforms}
    out["summary.json"] = (json.dumps(summary, indent=2, sort_keys=True) + "\n").encode()
    return out


def write_atomic(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write every file to a temporary name in ``out_dir`` first, then rename them all.

    If anything fails before the renames, the previous outputs are left untouched.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    mode = 0o666 & ~_umask()
    for tmp, target in staged:
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    return [target for _, target in staged]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def build(seeds: Path, out_dir: Path, ontology_path: Path = ONTOLOGY_FILE,
          shapes_path: Path = SHAPES_FILE, candidates: Path | None = None) -> BuildResult:
    """Compile, validate and write the dataset; nothing is written unless all of it succeeds."""
    result = validate(compile_corpus(seeds, ontology_path, candidates=candidates), shapes_path)
    if not result.conforms:
        count = len(result.violations)
        first = result.violations[0] if result.violations else "see the report"
        more = f" (and {count - 1} more)" if count > 1 else ""
        raise ValidationError(f"the graph does not conform to the SHACL shapes: {first}{more}",
                              str(shapes_path))
    write_atomic(serialize(result), out_dir)
    return result
