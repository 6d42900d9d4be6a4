"""Build stage: compile the curated YAML of every document into an RDF dataset, validate it
with SHACL, and write it out atomically."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, SKOS

from . import vocab
from . import schema
from .checks import Fact, check_corpus
from .corpus import (CATALOGUE_FILE, LINE_KEYS, Document, date_in_text, find_documents, inside, key_line, locate,
                     parse_date, read_document, read_yaml)
from .errors import CorpusError, ValidationError
from .files import CANDIDATES_DIR, DATASET_FILE, OUTPUT_FILES, SUMMARY_FILE, package_file, staged_build, write_atomic
from .summary import UNREVIEWED, Assertion, add_summary
from .vocab import MKG, RES

#: The ontology as shipped in the package (a checked copy of the top-level ontology.ttl).
ONTOLOGY_FILE = package_file("ontology.ttl")
SHAPES_FILE = package_file("shapes.ttl")
_DATE_TYPES = vocab.DATE_TYPES

_ACTORS = schema.ACTORS


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
        return schema.kind_of(self.cls)


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
    #: with candidates: the dataset as if they were curated, what rests on them alone marked unreviewed
    candidate_view: Dataset | None = None


_as_list = schema.as_list


def _line(item: Any, default: int | None = None) -> int | None:
    return item.get("__line__", default) if isinstance(item, dict) else default


# --- things ---------------------------------------------------------------------------

def _read_things(data: dict, path: Path, things: dict[str, Thing]) -> None:
    """The ``things:`` of a loaded curation file, added to ``things``."""
    entries, line = data.get("things"), key_line(data, "things", 1)
    if entries is None:
        return
    if not isinstance(entries, list):
        raise CorpusError("'things' must be a list", str(path), line)
    for entry in entries:
        entry = schema.check(entry, schema.THING_KEYS, f"thing {_id_of(entry)}", str(path),
                             required=("id", "class", "label"), line=line)
        line = _line(entry)
        tid, cls, label = str(entry["id"]), entry["class"], str(entry["label"])
        if not vocab.is_slug(tid):
            raise CorpusError(f"thing id {tid!r} must be a lower-case slug like 'donald-trump'", str(path), line)
        if cls not in vocab.THING_CLASSES:
            raise CorpusError(f"thing {tid!r}: unknown class {cls!r} (one of {', '.join(vocab.THING_CLASSES)})",
                              str(path), key_line(entry, "class"))
        if not label.strip():
            raise CorpusError(f"thing {tid!r}: a label is required", str(path), key_line(entry, "label"))
        alts = [a.strip() for a in _as_list(entry.get("altLabels"))]
        if not all(alts):
            raise CorpusError(f"thing {tid!r}: an altLabel is empty", str(path), key_line(entry, "altLabels"))
        if tid in things:
            first = things[tid]
            raise CorpusError(f"thing {tid!r} declared twice (first at {first.file}:{first.line})",
                              str(path), line)
        things[tid] = Thing(tid, cls, label.strip(), [a for a in dict.fromkeys(alts) if a != label.strip()],
                            str(path), line or 0)


def _id_of(item: Any) -> str:
    return repr(item.get("id")) if isinstance(item, dict) else ""


# --- compiling one document --------------------------------------------------------

class _DocCompiler:
    """Compiles one document's curation file into its named graph."""

    def __init__(self, doc: Document, path: Path, data: dict, things: dict[str, Thing],
                 graph: Graph, plover: set[str]):
        self.doc, self.path, self.data, self.things = doc, path, data, things
        self.g, self.plover = graph, plover
        self.doc_iri = vocab.document_iri(doc.stem)
        self.used: set[str] = set()
        self.assertions: list[Assertion] = []
        self.facts: list[Fact] = []  # what the corpus-wide consistency checks read (kg.checks)

    def error(self, message: str, line: int | None) -> CorpusError:
        return CorpusError(message, str(self.path), line)

    def check(self, item: Any, allowed: frozenset[str], where: str, required: tuple[str, ...] = (),
              line: int | None = None) -> dict:
        return schema.check(item, allowed, where, str(self.path), required, line=line)

    def thing(self, tid: Any, allowed: frozenset[str] | None, where: str, line: int | None) -> Thing:
        if not isinstance(tid, str) or tid not in self.things:
            raise self.error(f"{where}: unknown entity {tid!r} (declare it in {CATALOGUE_FILE} "
                             f"or under 'things:')", line)
        thing = self.things[tid]
        if allowed is not None and thing.cls not in allowed and thing.kind not in allowed:
            raise self.error(f"{where}: {tid!r} is a {thing.cls}, expected {' or '.join(sorted(allowed))}",
                             line)
        self.used.add(tid)
        return thing

    def evidence(self, item: dict, where: str, subject: str) -> tuple[URIRef, str]:
        """The evidence node of an entry's quote, and the quoted text."""
        line = key_line(item, "quote")
        start, end = locate(self.doc, str(item["quote"]), item.get("occurrence"), where, self.path, line)
        ev = vocab.evidence_iri(self.doc.stem, start, end, subject)
        g = self.g
        g.add((ev, RDF.type, MKG.Evidence))
        g.add((ev, MKG.quote, Literal(self.doc.text[start:end])))
        g.add((ev, MKG.source, self.doc_iri))
        g.add((ev, MKG.start, Literal(start)))
        g.add((ev, MKG.end, Literal(end)))
        for who in _as_list(item.get("attributedTo")):
            g.add((ev, MKG.attributedTo,
                   self.thing(who, _ACTORS, f"{where}: attributedTo", key_line(item, "attributedTo")).iri))
        if item.get("hedge") is not None:
            g.add((ev, MKG.hedge, Literal(str(item["hedge"]))))
        return ev, self.doc.text[start:end]

    def date_literal(self, value: Any, quote: str, where: str, line: int | None) -> Literal:
        """A date as precise as the text: its month and day must be in the quote; a date that is
        only a year must have that year in the quote, or say "this/last/next year" (a year from the
        document's context needs a month, day or relative year stated in the quote, as "June 7" in
        a 2019 article)."""
        try:
            lexical, precision = parse_date(value)
        except ValueError as exc:
            raise self.error(f"{where}: {exc}", line) from None
        if len(lexical) == 4 and not re.search(rf"(?<!\d){lexical}(?!\d)", quote) \
                and not re.search(r"\b(?:this|last|next) year\b", quote, re.IGNORECASE):
            raise self.error(f"{where}: date {lexical} is not in its quote; quote the passage that states the "
                             f"year (add the neighbouring sentence as dateQuote), or give no date", line)
        if not date_in_text(quote, lexical):
            raise self.error(f"{where}: date {lexical} is more precise than its quote, which does not state "
                             f"its month or day; quote the passage that gives the date (the year may come "
                             f"from the document's context), or give a less precise date", line)
        return Literal(lexical, datatype=_DATE_TYPES[precision])

    def compile(self) -> None:
        data = self.data
        unknown = sorted(set(data) - schema.TOP_KEYS - LINE_KEYS)
        if unknown:
            raise self.error(f"unknown top-level key(s) {unknown}", key_line(data, unknown[0], 1))
        self.metadata(data.get("document") or {}, key_line(data, "document", 1))
        for key in ("mentions", "statements"):
            if data.get(key) is not None and not isinstance(data[key], list):
                raise self.error(f"'{key}' must be a list", key_line(data, key, 1))
        for i, item in enumerate(_as_list(data.get("mentions")), 1):
            item = self.check(item, schema.MENTION_KEYS, f"mention {i}", required=("id", "quote"),
                              line=key_line(data, "mentions"))
            thing = self.thing(item["id"], None, f"mention {i}", key_line(item, "id"))
            ev, _ = self.evidence(item, f"mention {i} ({thing.id})", thing.id)
            self.g.add((thing.iri, MKG.evidence, ev))
        for i, item in enumerate(_as_list(data.get("statements")), 1):
            self.statement(item, i, key_line(data, "statements"))

    def metadata(self, meta: Any, line: int | None) -> None:
        meta = schema.check(meta, schema.META_KEYS, "document", str(self.path), types={}, line=line)
        d = self.doc_iri
        for key in ("title", "date"):
            if key in meta:
                item = meta[key]
                if not isinstance(item, dict) or "value" not in item:
                    raise self.error(f"document {key}: expected {{value, quote}}", key_line(meta, key))
                item = schema.check(item, frozenset({"value", "quote", "occurrence", "note"}), f"document {key}",
                                    str(self.path), types={"quote": schema.TEXT, "occurrence": schema.INT,
                                                           "note": schema.TEXT})
                if isinstance(item["value"], (bool, list, dict, set)) or item["value"] is None:
                    raise self.error(f"document {key}: value must be one text value", key_line(item, "value"))
                item.setdefault("quote", str(item["value"]))
                ev, quote = self.evidence(item, f"document {key}", "doc-" + self.doc.stem)
                self.g.add((d, MKG.evidence, ev))
                if key == "title":
                    self.g.add((d, DCTERMS.title, Literal(str(item["value"]))))
                else:
                    self.g.add((d, DCTERMS.date, self.date_literal(item["value"], quote, "document date",
                                                                    key_line(item, "value"))))
        for key, pred in (("creator", DCTERMS.creator), ("publisher", DCTERMS.publisher),
                          ("producer", MKG.producer)):
            for item in _as_list(meta.get(key)):
                item = self.check(item, schema.MENTION_KEYS, f"document {key}", required=("id", "quote"),
                                  line=key_line(meta, key))
                thing = self.thing(item["id"], _ACTORS, f"document {key}", key_line(item, "id"))
                self.g.add((d, pred, thing.iri))
                self.g.add((d, MKG.evidence, self.evidence(item, f"document {key}", "doc-" + self.doc.stem)[0]))
                self.g.add((thing.iri, MKG.evidence, self.evidence(item, f"document {key}", thing.id)[0]))

    def statement(self, item: Any, i: int, line: int | None = None) -> None:
        item = self.check(item, schema.COMMON_KEYS | frozenset().union(*schema.EXTRA_KEYS.values())
                          | frozenset(k for refs in schema.REFS.values() for k in refs),
                          f"statement {i}", required=("id", "quote"), line=line)
        thing = self.thing(item["id"], None, f"statement {i}", key_line(item, "id"))
        where = f"statement {i} ({thing.id})"
        kind = thing.kind
        refs = schema.REFS.get(kind, {})
        unknown = sorted(set(item) - schema.statement_keys(thing.cls) - LINE_KEYS)
        if unknown:
            raise self.error(f"{where}: key(s) {unknown} do not apply to a {thing.cls}", key_line(item, unknown[0]))
        node, g = thing.iri, Graph()  # this entry's assertions, added to the document's graph at the end
        ev, quote = self.evidence(item, where, thing.id)
        self.g.add((node, MKG.evidence, ev))
        date_ev, date_quote = ev, quote
        if item.get("dateQuote") is not None:  # the neighbouring passage that states the date
            if item.get("date") is None:
                raise self.error(f"{where}: dateQuote without a date", key_line(item, "dateQuote"))
            date_ev, date_quote = self.evidence({"quote": item["dateQuote"], "__line__": key_line(item, "dateQuote")},
                                                f"{where}: dateQuote", thing.id)
            self.g.add((node, MKG.evidence, date_ev))
            date_quote = quote + " " + date_quote
        for key in item:
            pred = schema.ASSERTS.get(key) or (refs[key][0] if key in refs else None)
            if pred is not None:
                g.add((date_ev if key == "date" else ev, MKG.assertsProperty, pred))
        if item.get("date") is not None:
            g.add((node, MKG.date, self.date_literal(item["date"], date_quote, where, key_line(item, "date"))))
        line_at = key_line(item, "id")
        for key in ("adoptedBy", "opposes", "fromPolicy", "toPolicy", "status"):
            for value in _as_list(item.get(key)):
                self.facts.append(Fact(str(self.path), key_line(item, key) or line_at, i, thing.id, thing.cls, key,
                                       str(value), None if item.get("date") is None else str(item["date"])))
        for key, (pred, classes) in refs.items():
            for ref in _as_list(item.get(key)):
                g.add((node, pred, self.thing(ref, classes, f"{where}: {key}", key_line(item, key)).iri))
        if item.get("pressureType") is not None:
            code = str(item["pressureType"]).upper()
            if code not in self.plover:
                raise self.error(f"{where}: unknown pressureType {item['pressureType']!r} "
                                 f"(one of {', '.join(sorted(self.plover))})", key_line(item, "pressureType"))
            g.add((node, MKG.pressureType, vocab.plover_iri(code)))
        for demand in _as_list(item.get("demands")):
            if demand in self.things:
                g.add((node, MKG.demands, self.thing(demand, frozenset({"Policy"}), f"{where}: demands",
                                                     key_line(item, "demands")).iri))
            elif demand.strip():
                g.add((node, MKG.demands, Literal(demand.strip())))
            else:
                raise self.error(f"{where}: demands must be a policy id or text", key_line(item, "demands"))
        for key, scheme in (("status", vocab.STATUS), ("orientation", vocab.ORIENTATION)):
            if item.get(key) is not None:
                if item[key] not in scheme:
                    raise self.error(f"{where}: unknown {key} {item[key]!r} (one of {', '.join(scheme)})",
                                     key_line(item, key))
                g.add((node, schema.ASSERTS[key], scheme[item[key]]))
        for key in ("condition", "unit", "measure", "role", "position"):
            if item.get(key) is not None:
                if not str(item[key]).strip():
                    raise self.error(f"{where}: {key} must be text", key_line(item, key))
                g.add((node, schema.ASSERTS[key], Literal(str(item[key]).strip())))
        numbers = {}
        for key in ("value", "valueMax"):
            if item.get(key) is not None:
                numbers[key] = self.number(item, key, where)
                canonical = format(numbers[key].normalize(), "f")  # XSD 1.1: 444309, 2.5 (as Oxigraph writes it)
                g.add((node, schema.ASSERTS[key], Literal(canonical, datatype=XSD.decimal)))
        if "valueMax" in numbers and not numbers.get("value", numbers["valueMax"]) < numbers["valueMax"]:
            raise self.error(f"{where}: valueMax needs a value below it (a range is value to valueMax)",
                             key_line(item, "valueMax"))
        qualifier = self.qualifier(item)
        for triple in g:
            self.g.add(triple)
            if triple[0] == node:
                self.assertions.append(Assertion(self.doc_iri, node, triple[1], triple[2], qualifier,
                                                 date_ev if triple[1] == MKG.date else ev))

    def qualifier(self, item: dict) -> str | None:
        """How the text qualifies an entry: its hedge, and who the document attributes it to."""
        by = [self.things[w].label for w in _as_list(item.get("attributedTo")) if w in self.things]
        parts = [str(item["hedge"])] if item.get("hedge") is not None else []
        if by:
            parts.append("per " + " and ".join(by))
        return ", ".join(parts) or None

    def number(self, item: dict, key: str, where: str) -> Decimal:
        raw = item[key]
        try:
            number = Decimal(str(raw).replace(",", ""))
        except InvalidOperation:
            raise self.error(f"{where}: {key} {raw!r} is not a number", key_line(item, key)) from None
        if not number.is_finite():
            raise self.error(f"{where}: {key} {raw!r} is not a finite number", key_line(item, key))
        return number


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
        _read_things(read_yaml(inside(catalogue_path, seeds)), catalogue_path, things)

    docs: list[tuple[Document, Path, dict]] = []
    texts = find_documents(seeds)
    for txt in texts:
        doc = read_document(txt)
        yml = txt.with_suffix(".yaml")
        data = select_reviewed(read_yaml(inside(yml, seeds)), yml) if yml.exists() else {}
        _read_things(data, yml, things)
        docs.append((doc, yml, data))
    if not docs:
        raise CorpusError("no documents (*.txt) found", str(seeds))
    stems = {t.stem for t in texts}
    for yml in sorted(seeds.glob("*.yaml")):
        if yml.name != CATALOGUE_FILE and yml.stem not in stems:
            raise CorpusError(f"curation file without its document: {yml.stem}.txt is not in the folder",
                              str(yml))

    cat = ds.graph(vocab.CATALOGUE_GRAPH)
    cat.add((vocab.INSTRUMENT_SCHEME, RDF.type, SKOS.ConceptScheme))
    cat.add((vocab.INSTRUMENT_SCHEME, RDFS.label, Literal("instruments of pressure")))
    supers = _superclasses(ontology)
    for thing in things.values():
        for triple in _catalogue_entry(thing, supers):
            cat.add(triple)

    used: set[str] = set()
    assertions: list[Assertion] = []
    facts: list[Fact] = []
    for doc, yml, data in docs:
        doc_iri = vocab.document_iri(doc.stem)
        cat.add((doc_iri, RDF.type, MKG.Document))
        cat.add((doc_iri, MKG.fileName, Literal(doc.name)))
        g = ds.graph(doc_iri)
        compiler = _DocCompiler(doc, yml, data, things, g, plover)
        compiler.compile()
        assertions.extend(compiler.assertions)
        facts.extend(compiler.facts)
        used |= compiler.used
        _derive_shortcuts(g)

    check_corpus(facts)
    for thing in things.values():
        if thing.cls != "Instrument" and thing.id not in used:
            raise CorpusError(f"thing {thing.id!r} is declared but no document mentions it",
                              thing.file, thing.line)
    reviewed = {vocab.document_iri(doc.stem): doc.stem for doc, _, _ in docs}
    view = None
    if candidates is not None:  # before the summary: the view copies the curated graphs
        view = _compile_candidates(Path(candidates), ds, docs, things, plover, reviewed, assertions, supers)
    add_summary(ds, reviewed, assertions)
    _materialise_default_graph(ds)
    result = BuildResult(ds, [d for d, _, _ in docs], things, candidate_view=view)
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
            for key in ("id", *schema.REF_KEYS):
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


def _catalogue_entry(thing: Thing, supers: dict[URIRef, set[URIRef]]) -> list[tuple]:
    """The catalogue's triples of one thing: its class and their superclasses (RDFS closure, so
    ``?x a mkg:Actor`` answers), labels, and an instrument's SKOS concept."""
    out: list[tuple] = [(thing.iri, RDF.type, MKG[thing.cls]), (thing.iri, RDFS.label, Literal(thing.label))]
    out += [(thing.iri, RDF.type, sup) for sup in supers.get(MKG[thing.cls], ())]
    out += [(thing.iri, SKOS.altLabel, Literal(alt)) for alt in thing.alt_labels]
    if thing.cls == "Instrument":
        out += [(thing.iri, RDF.type, SKOS.Concept), (thing.iri, SKOS.prefLabel, Literal(thing.label)),
                (thing.iri, SKOS.inScheme, vocab.INSTRUMENT_SCHEME)]
    return out


def _compile_candidates(folder: Path, ds: Dataset, docs: list, things: dict[str, Thing], plover: set[str],
                        reviewed: dict[URIRef, str], assertions: list[Assertion],
                        supers: dict[URIRef, set[URIRef]]) -> Dataset:
    """Unreviewed candidates of ``folder`` (written by ``kg extract``): in ``ds`` in their own named
    graph, vocab.CANDIDATES_GRAPH, every evidence marked as unreviewed; and a copy of ``ds`` in
    which each candidate document is a document (its graph, its things in the catalogue) and the
    summary marks what rests on candidates alone as unreviewed, so every named query reads them.
    Documents already in the seeds (reviewed and copied there) are skipped; rejected entries are
    left out."""
    if not folder.is_dir():
        raise CorpusError("candidates folder not found", str(folder))
    seen = {doc.stem for doc, _, _ in docs}
    for yml in sorted(folder.glob("*.yaml")):
        if yml.name != "catalogue.yaml" and not yml.with_suffix(".txt").exists():
            raise CorpusError(f"candidate file without its document: {yml.with_suffix('.txt').name} is not in "
                              f"the folder (kg extract writes both; copy them together)", str(yml))
    view = Dataset(default_union=True)
    for s, p, o, g in ds.quads((None, None, None, None)):
        view.graph(getattr(g, "identifier", g)).add((s, p, o))
    cat, pooled = view.graph(vocab.CATALOGUE_GRAPH), ds.graph(vocab.CANDIDATES_GRAPH)
    extra: dict[str, Thing] = {}
    documents: dict[URIRef, str] = {}
    marked: list[Assertion] = []
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
        _read_things(data, yml, local)
        for tid, thing in local.items():
            if tid not in things and tid not in extra:
                extra[tid] = thing
                for triple in _catalogue_entry(thing, supers):
                    cat.add(triple)
                    pooled.add(triple)
        doc_iri = vocab.document_iri(doc.stem)
        for triple in ((doc_iri, RDF.type, MKG.Document), (doc_iri, MKG.fileName, Literal(doc.name))):
            cat.add(triple)
            pooled.add(triple)
        g = view.graph(doc_iri)
        compiler = _DocCompiler(doc, yml, data, {**things, **extra}, g, plover)
        compiler.compile()
        for ev in set(g.subjects(RDF.type, MKG.Evidence)):
            g.add((ev, MKG.reviewStatus, Literal("candidate")))
        _derive_shortcuts(g)
        for triple in g:
            pooled.add(triple)
        documents[doc_iri] = doc.stem
        marked += [replace(a, qualifier=", ".join([UNREVIEWED] + ([a.qualifier] if a.qualifier else [])))
                   for a in compiler.assertions]
    add_summary(view, {**reviewed, **documents}, assertions + marked, unreviewed=frozenset(documents))
    _materialise_default_graph(view)
    return view


def _superclasses(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    """Every class of the ontology -> all its superclasses (rdfs:subClassOf, transitively)."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    closure: dict[URIRef, set[URIRef]] = {}
    for cls in direct:
        seen, todo = set(), list(direct[cls])
        while todo:
            sup = todo.pop()
            if sup not in seen:
                seen.add(sup)
                todo.extend(direct.get(sup, ()))
        closure[cls] = seen
    return closure


def _materialise_default_graph(ds: Dataset) -> None:
    """The default graph holds the union of the named graphs, each triple once: the same set on
    every store (Oxigraph's union of named graphs repeats a triple once per graph holding it).
    Unreviewed candidates stay out of it: only ``GRAPH res:graph/candidates`` reaches them."""
    union = {(s, p, o) for s, p, o, g in ds.quads((None, None, None, None))
             if getattr(g, "identifier", g) != vocab.CANDIDATES_GRAPH}
    default = ds.default_graph
    for triple in union:
        default.add(triple)
    ds.default_union = False


def _derive_shortcuts(g: Graph) -> None:
    """Add mkg:pressured and mkg:reverses in the graph whose statements imply them."""
    pressures, reversals = set(), set()
    for s, p, _ in g:  # one scan of this graph (see summary._things)
        if p == MKG.exertedBy:
            pressures.add(s)
        elif p == MKG.toPolicy:
            reversals.add(s)
    for pressure in pressures:
        for agent in g.objects(pressure, MKG.exertedBy):
            for target in g.objects(pressure, MKG.targets):
                g.add((agent, MKG.pressured, target))
    for reversal in reversals:
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
    """Check the dataset against the SHACL shapes (:mod:`kg.shacl`); sets ``conforms``, ``report``
    and ``violations``."""
    from .shacl import validate_graph

    # the default graph is the union, materialised at compile time; pyshacl only reads it
    result.conforms, result.report, result.violations = validate_graph(result.dataset.default_graph,
                                                                       _parse_turtle(shapes_path))
    return result


# --- output ---------------------------------------------------------------------------

_OX_FORMATS = {"trig": "TRIG", "nquads": "N_QUADS", "turtle": "TURTLE", "json-ld": "JSON_LD"}


def serialize(result: BuildResult) -> dict[str, bytes]:
    """Every output file's bytes, by file name: all written by pyoxigraph from one list of quads,
    so every format keeps each literal's lexical form (rdflib's Turtle writer turns a decimal
    "444309" into 444309.0), and ``union.ttl`` holds each triple once. With candidates, also the
    N-Quads of the candidate view in ``with-candidates/``."""
    import pyoxigraph as ox

    quads = _ox_quads(result.dataset)
    prefixes = dict(vocab.PREFIXES)
    out: dict[str, bytes] = {}
    for name, fmt in OUTPUT_FILES.items():
        format_ = getattr(ox.RdfFormat, _OX_FORMATS[fmt])
        if fmt == "turtle":  # the default graph: the union, each triple once
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == ox.DefaultGraph()]
            out[name] = ox.serialize(triples, format=format_, prefixes=prefixes)
        elif format_.supports_datasets:
            out[name] = ox.serialize(quads, format=format_, prefixes=prefixes if fmt == "trig" else None)
    if result.candidate_view is not None:
        out[f"{CANDIDATES_DIR}/{DATASET_FILE}"] = ox.serialize(_ox_quads(result.candidate_view),
                                                             format=ox.RdfFormat.N_QUADS)
    summary = {"counts_by_class": result.counts_by_class,
               "counts_by_document": result.counts_by_document,
               "conforms": result.conforms}
    out[SUMMARY_FILE] = (json.dumps(summary, indent=2, sort_keys=True) + "\n").encode()
    return out


def _ox_quads(ds: Dataset) -> list:
    import pyoxigraph as ox

    from .store.oxigraph import term_converter

    term = term_converter()

    def graph(g: Any) -> Any:
        name = getattr(g, "identifier", g)
        return ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else term(name)
    return [ox.Quad(term(s), term(p), term(o), graph(g)) for s, p, o, g in ds.quads((None, None, None, None))]


def compile_and_validate(seeds: Path, ontology_path: Path = ONTOLOGY_FILE, shapes_path: Path = SHAPES_FILE,
                         candidates: Path | None = None) -> BuildResult:
    """Compile and validate; raise :class:`ValidationError` (first violation) if it does not conform."""
    result = validate(compile_corpus(seeds, ontology_path, candidates=candidates), shapes_path)
    if not result.conforms:
        count = len(result.violations)
        first = result.violations[0] if result.violations else "see the report"
        more = f" (and {count - 1} more)" if count > 1 else ""
        thing = result.things.get(first.split(" ", 1)[0].split(":", 1)[0])
        file, line = (thing.file, thing.line) if thing else (str(shapes_path), None)
        raise ValidationError(f"does not conform to the SHACL shapes: {first}{more}", file, line)
    return result


def build(seeds: Path, out_dir: Path, ontology_path: Path = ONTOLOGY_FILE,
          shapes_path: Path = SHAPES_FILE, candidates: Path | None = None) -> BuildResult:
    """Compile, validate and write the dataset files as one new build of ``out_dir``
    (:func:`kg.files.staged_build`): nothing changes there unless all of it succeeds."""
    result = compile_and_validate(seeds, ontology_path, shapes_path, candidates)
    with staged_build(out_dir) as stage:
        write_atomic(serialize(result), stage)
    return result
