"""Vocabulary: the closed ontology namespace and the one function that mints entity IRIs."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

#: Every IRI the project mints starts with this: the ontology, its graphs and its things.
BASE = "https://w3id.org/migration-kg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
RES = Namespace(BASE + "id/")


class MKG(DefinedNamespace):
    """Terms of ``ontology.ttl``; a misspelt term raises instead of minting an IRI."""

    _NS = Namespace("https://w3id.org/migration-kg/ontology#")
    _fail = True

    # classes of the contract
    Actor: URIRef
    Person: URIRef
    State: URIRef
    GovernmentBody: URIRef
    Administration: URIRef
    InternationalOrganization: URIRef
    CivilSocietyOrganization: URIRef
    PopulationGroup: URIRef
    CriminalGroup: URIRef
    Policy: URIRef
    Agreement: URIRef
    Pressure: URIRef
    PolicyReversal: URIRef
    Statistic: URIRef
    Document: URIRef
    Evidence: URIRef
    # further classes
    Statement: URIRef
    Claim: URIRef
    Disagreement: URIRef
    QualifiedValue: URIRef
    HedgedValue: URIRef
    Place: URIRef
    Instrument: URIRef
    PressureType: URIRef
    Status: URIRef
    Orientation: URIRef
    # properties of the contract
    exertedBy: URIRef
    targets: URIRef
    instrument: URIRef
    demands: URIRef
    resultedIn: URIRef
    pressured: URIRef
    fromPolicy: URIRef
    toPolicy: URIRef
    reversedBy: URIRef
    reverses: URIRef
    adoptedBy: URIRef
    party: URIRef
    commitment: URIRef
    value: URIRef
    valueMax: URIRef
    measure: URIRef
    about: URIRef
    date: URIRef
    evidence: URIRef
    quote: URIRef
    source: URIRef
    start: URIRef
    end: URIRef
    fileName: URIRef
    producer: URIRef
    position: URIRef
    heldBy: URIRef
    concerns: URIRef
    onProperty: URIRef
    disagreementKind: URIRef
    rank: URIRef
    order: URIRef
    sideA: URIRef
    sideB: URIRef
    valueA: URIRef
    valueB: URIRef
    sourcesA: URIRef
    sourcesB: URIRef
    qualifierA: URIRef
    qualifierB: URIRef
    ownClass: URIRef
    sortKey: URIRef
    citation: URIRef
    givesValue: URIRef
    sourceCount: URIRef
    sourceList: URIRef
    dateList: URIRef
    shownOf: URIRef
    shownProperty: URIRef
    shownText: URIRef
    plainText: URIRef
    shownExertedBy: URIRef
    plainExertedBy: URIRef
    shownTargets: URIRef
    plainTargets: URIRef
    shownInstrument: URIRef
    plainInstrument: URIRef
    shownPressureType: URIRef
    plainPressureType: URIRef
    shownDemands: URIRef
    plainDemands: URIRef
    shownAdoptedBy: URIRef
    plainAdoptedBy: URIRef
    shownAppliesTo: URIRef
    plainAppliesTo: URIRef
    shownOrientation: URIRef
    plainOrientation: URIRef
    shownStatus: URIRef
    plainStatus: URIRef
    shownParty: URIRef
    plainParty: URIRef
    shownCommitment: URIRef
    plainCommitment: URIRef
    shownCondition: URIRef
    plainCondition: URIRef
    shownFromPolicy: URIRef
    plainFromPolicy: URIRef
    shownToPolicy: URIRef
    plainToPolicy: URIRef
    shownReversedBy: URIRef
    plainReversedBy: URIRef
    shownAbout: URIRef
    plainAbout: URIRef
    qualifiedValue: URIRef
    inDocument: URIRef
    qualifier: URIRef
    # further properties
    pressureType: URIRef
    status: URIRef
    orientation: URIRef
    appliesTo: URIRef
    locatedIn: URIRef
    condition: URIRef
    unit: URIRef
    attributedTo: URIRef
    hedge: URIRef
    assertsProperty: URIRef
    reviewStatus: URIRef
    stance: URIRef
    supports: URIRef
    opposes: URIRef
    criticizes: URIRef
    leads: URIRef
    partOf: URIRef
    memberOf: URIRef
    role: URIRef
    cameoCode: URIRef
    ploverCode: URIRef
    # concept schemes and their members
    PloverEventTypes: URIRef
    StatusScheme: URIRef
    OrientationScheme: URIRef
    Proposed: URIRef
    Adopted: URIRef
    Implemented: URIRef
    Expanded: URIRef
    Abandoned: URIRef
    Signed: URIRef
    Ratified: URIRef
    Rejected: URIRef
    Issued: URIRef
    CarriedOut: URIRef
    Withdrawn: URIRef
    Enforcement: URIRef
    Protection: URIRef
    Development: URIRef
    # PLOVER event types (concepts of mkg:PloverEventTypes)
    AGREE: URIRef
    CONSULT: URIRef
    SUPPORT: URIRef
    CONCEDE: URIRef
    COOPERATE: URIRef
    AID: URIRef
    RETREAT: URIRef
    REQUEST: URIRef
    DEMAND: URIRef
    ACCUSE: URIRef
    REJECT: URIRef
    THREATEN: URIRef
    PROTEST: URIRef
    SANCTION: URIRef
    MOBILIZE: URIRef
    COERCE: URIRef
    ASSAULT: URIRef


ACTOR_CLASSES = (
    "Person", "State", "GovernmentBody", "Administration", "InternationalOrganization",
    "CivilSocietyOrganization", "PopulationGroup", "CriminalGroup",
)
STATEMENT_CLASSES = ("Policy", "Agreement", "Pressure", "PolicyReversal", "Statistic", "Claim")
THING_CLASSES = ACTOR_CLASSES + STATEMENT_CLASSES + ("Place", "Instrument")
#: Superclasses the build adds to things (the subclass closure); a thing's own class is never one.
ABSTRACT_CLASSES = ("Actor", "Statement")

STATUS = {
    "proposed": MKG.Proposed, "adopted": MKG.Adopted, "implemented": MKG.Implemented,
    "expanded": MKG.Expanded, "abandoned": MKG.Abandoned, "signed": MKG.Signed,
    "ratified": MKG.Ratified, "rejected": MKG.Rejected, "issued": MKG.Issued,
    "carried-out": MKG.CarriedOut, "withdrawn": MKG.Withdrawn,
}
ORIENTATION = {
    "enforcement": MKG.Enforcement, "protection": MKG.Protection, "development": MKG.Development,
}

#: Prefixes an ad-hoc query may use without declaring them.
PREFIXES = {"mkg": str(MKG._NS), "res": str(RES), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
            "owl": str(OWL), "skos": str(SKOS), "dcterms": str(DCTERMS), "prov": str(PROV)}

#: xsd datatype of a date by its precision: only as precise as the text.
DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}

CATALOGUE_GRAPH = RES["graph/catalogue"]
CANDIDATES_GRAPH = RES["graph/candidates"]
#: Where ``kg push`` puts the default graph (the union of the named graphs, each triple once) on a
#: server that has no default graph of its own; the sparql store then queries it as the default graph.
UNION_GRAPH = RES["graph/union"]
#: What the build computes from the other graphs (disagreements, per-thing summaries); never curated.
SUMMARY_GRAPH = RES["graph/summary"]
INSTRUMENT_SCHEME = RES["scheme/instruments"]

_SLUG = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


def is_slug(text: str) -> bool:
    """True if ``text`` is a valid thing id (lower-case words joined by hyphens)."""
    return bool(_SLUG.match(text))


def thing_iri(thing_id: str) -> URIRef:
    """The IRI of a curated thing, e.g. ``donald-trump`` -> ``res:donald-trump``."""
    if not is_slug(thing_id):
        raise ValueError(f"not a valid id: {thing_id!r}")
    return RES[thing_id]


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`%#?/\[\]\x7f-\x9f]')


def iri_segment(text: str) -> str:
    """``text`` as one path segment of an IRI: characters an IRI cannot hold, and the ones that
    would end or split the segment, are percent-encoded (UTF-8).

    >>> iri_segment("001 my <article>")
    '001%20my%20%3Carticle%3E'
    """
    return _NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), text)


def document_iri(stem: str) -> URIRef:
    """The IRI of a document (and of its named graph), from its file stem."""
    return RES["doc/" + iri_segment(stem)]


def evidence_iri(stem: str, start: int, end: int, thing_id: str) -> URIRef:
    """The IRI of the passage [start, end) of a document as support for one thing."""
    return RES[f"evidence/{iri_segment(stem)}/{start}-{end}/{iri_segment(thing_id)}"]


def term(name: str) -> URIRef:
    """The ontology term ``name`` (``Pressure``, ``exertedBy``, ``THREATEN``); a name the
    ontology does not define raises ``ValueError`` instead of minting an IRI.

    >>> term("Pressure") == MKG.Pressure
    True
    """
    try:
        return getattr(MKG, name)
    except AttributeError:
        raise ValueError(f"mkg:{name} is not a term of the ontology") from None


def plover_iri(code: str) -> URIRef:
    """The concept of a PLOVER event type, e.g. ``THREATEN``."""
    return term(code.upper())


def resolve_curie(text: str) -> URIRef:
    """``mkg:Term`` (a defined term), ``res:path`` (a thing), a bare term name, or a full IRI.

    >>> resolve_curie("res:mexico"), resolve_curie("Person") == MKG.Person
    (rdflib.term.URIRef('https://w3id.org/migration-kg/id/mexico'), True)
    """
    text = text.strip()
    if text.startswith("mkg:"):
        return term(text[4:])
    if text.startswith("res:") and text[4:] and not re.search(r"[\s<>\"{}|^`\\]", text):
        return RES[text[4:]]
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", text):
        return term(text)
    if re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", text):
        return URIRef(text)
    raise ValueError(f"not an IRI: {text!r}")


def local_id(iri: str) -> str:
    """The id of a thing IRI (the inverse of :func:`thing_iri`), or the IRI itself."""
    return iri[len(str(RES)):] if iri.startswith(str(RES)) else iri


def class_name(iri: str) -> str:
    """The name of one of the ontology's classes (``mkg:Pressure`` -> ``Pressure``), or the IRI."""
    ns = str(MKG._NS)
    return iri[len(ns):] if iri.startswith(ns) else iri
