"""Extraction stage: turn a new document into candidate statements in the curated YAML format,
with rules over a blank spaCy pipeline (sentencizer, span rulers, lexical cues; no model).

The candidates are reviewed (:func:`review`, ``kg review``) before they enter the graph; see
``docs/extraction.md``.
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import tempfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from .corpus import find_all, read_document, read_yaml
from .errors import CorpusError, KGError
from .gazetteer import (ACTOR_CLASSES, COUNTRIES, Gazetteer, KnownThing, fold_chars, fold_name,
                        is_acronym, slugify)

MAX_BYTES = 5_000_000          # refuse documents larger than this (bytes)
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


class ExtractError(KGError):
    """A document that cannot be extracted, or a candidate file that cannot be reviewed."""


# =============================================================================================
# Lexicons (general English cues; nothing here is taken from the curated statements)
# =============================================================================================

MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], 1)}
MONTHS.update({"jan.": 1, "feb.": 2, "aug.": 8, "sept.": 9, "sep.": 9, "oct.": 10, "nov.": 11, "dec.": 12})

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12,
}
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
MULTIPLIERS = {"twice": 2, "double": 2, "triple": 3, "threefold": 3, "fourfold": 4, "fivefold": 5,
               "tenfold": 10}

UNIT_WORDS = {
    "percent": "percent", "per cent": "percent", "%": "percent", "percentage": "percent",
    "year": "years", "years": "years", "month": "months", "months": "months", "day": "days",
    "days": "days", "week": "weeks", "weeks": "weeks", "hour": "hours", "hours": "hours",
    "mile": "miles", "miles": "miles", "kilometer": "km", "kilometers": "km", "km": "km",
    "kilometre": "km", "kilometres": "km", "times": "times", "fold": "times",
    "dollars": "USD", "usd": "USD", "pesos": "MXN", "euros": "EUR",
}
PEOPLE_NOUNS = {
    "people", "persons", "migrants", "immigrants", "emigrants", "refugees", "asylum", "seekers",
    "claimants", "children", "minors", "families", "citizens", "nationals", "residents",
    "inhabitants", "troops", "soldiers", "members", "agents", "officers", "workers", "leaders",
    "americans", "mexicans", "guatemalans", "hondurans", "salvadorans", "women", "men", "adults",
    "individuals", "returnees", "deportees", "detainees", "apprehensions", "arrivals", "crossers",
    "voters", "respondents", "students", "police", "guardsmen",
}
YEAR_MIN, YEAR_MAX = 1800, 2100

# Actor titles: the capitalised name after them is a person.
PERSON_TITLES = {
    "President", "Vice-President", "Vice President", "Then-President", "Former President",
    "President-elect", "Senator", "Sen.", "Secretary", "Minister", "Governor", "Gov.", "Ambassador",
    "Commissioner", "Director", "Chancellor", "Prime Minister", "Mr.", "Ms.", "Mrs.", "Dr.", "Judge",
    "Mayor", "Rep.", "Representative", "Congressman", "Congresswoman", "Deputy", "General", "Gen.",
    "Pope", "King", "Queen", "Prince", "Foreign Minister", "Interior Secretary", "Attorney General",
    "Professor", "Prof.", "Sheriff", "Chief", "Commander", "Spokesman", "Spokeswoman", "Envoy",
    "Lawmaker", "Justice", "Lt.", "Col.", "Capt.", "Sgt.", "Adm.",
}
LOWER_TITLES = {"president", "minister", "secretary", "senator", "ambassador", "commissioner",
                "governor", "mayor", "director", "chancellor", "envoy", "spokesman", "spokeswoman",
                "chief", "head", "leader", "judge", "representative", "deputy", "general"}
SPEECH_VERBS = {"said", "says", "say", "told", "tells", "noted", "notes", "stated", "states", "claimed",
                "claims", "argued", "argues", "explained", "explains", "wrote", "writes", "added",
                "adds", "warned", "warns", "insisted", "insists", "cautions", "cautioned", "observed",
                "recalled", "announced", "declared", "tweeted", "maintains", "maintained", "asserted",
                "affirmed", "acknowledged", "admitted", "suggested", "remarked", "commented"}
RESEARCH_VERBS = {"find", "finds", "found", "show", "shows", "showed", "shown", "estimate",
                  "estimates", "estimated", "report", "reports", "reported", "argue", "argues",
                  "document", "documents", "documented", "conclude", "concludes", "concluded"}
BY_NOUNS = {"research", "work", "study", "studies", "analysis", "report", "book", "article", "paper",
            "observed", "produced", "written", "edited", "interview", "photo", "photograph",
            "reported", "conducted", "directed", "hosted", "led", "authored", "noted", "argued"}

PERSON_EVENTS = {"inauguration", "presidency", "election", "campaign", "reelection", "re-election",
                 "speech", "tweet", "tweets", "victory", "predecessor", "successor", "cabinet", "remarks"}
ORG_APPOSITION = {"agency": "GovernmentBody", "commission": "GovernmentBody", "ministry": "GovernmentBody",
                  "institute": "GovernmentBody", "office": "GovernmentBody", "department": "GovernmentBody",
                  "organization": "CivilSocietyOrganization", "group": "CivilSocietyOrganization",
                  "ngo": "CivilSocietyOrganization", "think": "CivilSocietyOrganization"}
GOV_KEYWORDS = {"Ministry", "Department", "Commission", "Agency", "Guard", "Police", "Army", "Navy",
                "Senate", "Congress", "Court", "Courts", "Secretariat", "Office", "Bureau", "Patrol",
                "Parliament", "Assembly", "Cabinet", "Customs", "Government", "Administration",
                "Council", "Force", "Forces", "Service", "Services", "Prosecutor", "Prosecutor's",
                "Tribunal", "Legislature", "Marines", "Coast"}
CSO_KEYWORDS = {"University", "College", "Center", "Centre", "Foundation", "Society", "Initiative",
                "Institute", "Institution", "Forum", "Network", "Alliance", "Association", "Project",
                "Coalition", "Federation", "Fund", "Trust", "Observatory", "Clinic", "Church",
                "Press", "Times", "Post", "Journal", "News", "Magazine", "Review", "Blog", "Group",
                "Union", "Movement", "Committee", "Program", "Programme", "Lab", "Laboratory",
                "School", "Academy"}
IO_KEYWORDS = {"Nations", "Organization", "Organisation"}
NATIONAL_PREFIXES = {"National", "Federal", "State", "Ministry", "Secretariat"}
NAME_CONNECTORS = {"of", "for", "and", "in", "at", "on", "de", "del", "la", "las", "los", "y", "du",
                   "von", "van", "der", "da", "without", "&"}
NOT_NAME_START = {"The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "For", "But",
                  "And", "Yet", "So", "As", "If", "When", "After", "Before", "Since", "While",
                  "Although", "Though", "Despite", "However", "Meanwhile", "Moreover", "Then",
                  "Now", "Still", "Even", "Also", "Both", "Its", "His", "Her", "Their", "Our", "Some",
                  "Many", "Most", "Much", "More", "All", "Any", "Each", "Every", "No", "Not", "It",
                  "He", "She", "They", "We", "I", "You", "There", "Here", "What", "Why", "How",
                  "Who", "Which", "Where", "Until", "Over", "From", "With", "By", "To", "Of",
                  "Or", "Nor", "Only", "Just", "Perhaps", "Indeed", "Instead", "Thus", "Hence",
                  "Furthermore", "Finally", "First", "Second", "Third", "Fourth", "Fifth", "Another",
                  "Other", "Such", "Several", "Few", "One", "Two", "Three", "Last", "Next", "Post",
                  "Read", "Click", "Subscribe", "Find", "About", "Comments",
                  "See", "Share", "Follow", "Sign", "Log", "Download", "Unlock", "Paywall-free",
                  "Current", "Former", "Then", "Senior", "Big", "Historically", "Clearly",
                  "January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
                  "Thursday", "Friday", "Saturday", "Sunday"}

# The same list of well-known bodies any analyst would recognise (general knowledge).
KNOWN_BODIES = {
    "InternationalOrganization": [
        "United Nations", "UN", "UNHCR", "UNICEF", "UNDP", "IOM", "International Organization for Migration",
        "ECLAC", "CEPAL", "Economic Commission for Latin America and the Caribbean", "OAS",
        "Organization of American States", "European Union", "EU", "World Bank", "IMF",
        "International Monetary Fund", "Inter-American Development Bank", "IDB", "NATO",
        "African Union", "Mercosur", "World Food Programme", "WFP", "International Labour Organization",
        "ILO", "OECD", "World Trade Organization", "WTO", "Inter-American Commission on Human Rights",
        "UN Human Rights Council", "International Criminal Court", "Red Cross",
        "International Committee of the Red Cross", "ICRC", "World Health Organization",
    ],
    "GovernmentBody": [
        "White House", "Pentagon", "Kremlin", "State Department", "Department of State",
        "Department of Homeland Security", "Department of Justice", "Justice Department",
        "Border Patrol", "ICE", "Immigration and Customs Enforcement", "Congress", "Senate",
        "House of Representatives", "Supreme Court", "Federal Reserve", "Downing Street",
        "Home Office", "Frontex", "Bundestag",
    ],
    "CivilSocietyOrganization": [
        "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "Bloomberg", "BBC", "CNN",
        "Al Jazeera", "New York Times", "Washington Post", "Wall Street Journal", "The Guardian",
        "Los Angeles Times", "El País", "Financial Times", "The Economist", "Foreign Affairs",
        "Foreign Policy", "Amnesty International", "Human Rights Watch", "Doctors Without Borders",
        "Médecins Sans Frontières", "MSF", "Oxfam", "Brookings Institution", "Council on Foreign Relations",
        "Migration Policy Institute", "Pew Research Center", "Cato Institute", "Heritage Foundation",
        "Wilson Center", "Human Rights First", "American Civil Liberties Union", "ACLU", "WOLA",
        "Washington Office on Latin America", "Center for Immigration Studies", "Atlantic Council",
        "Carnegie Endowment for International Peace", "Inter-American Dialogue", "Save the Children",
        "International Crisis Group", "Crisis Group", "Gallup",
    ],
}

GROUP_HEADS = {
    "migrants": "PopulationGroup", "refugees": "PopulationGroup", "seekers": "PopulationGroup",
    "claimants": "PopulationGroup", "minors": "PopulationGroup", "children": "PopulationGroup",
    "families": "PopulationGroup", "communities": "PopulationGroup", "citizens": "PopulationGroup",
    "nationals": "PopulationGroup", "emigrants": "PopulationGroup", "immigrants": "PopulationGroup",
    "returnees": "PopulationGroup", "businesses": "PopulationGroup", "scholars": "PopulationGroup",
    "academics": "PopulationGroup", "workers": "PopulationGroup",
    "groups": "CivilSocietyOrganization", "organizations": "CivilSocietyOrganization",
    "organisations": "CivilSocietyOrganization", "ngos": "CivilSocietyOrganization",
    "smugglers": "CriminalGroup", "traffickers": "CriminalGroup", "cartels": "CriminalGroup",
    "gangs": "CriminalGroup", "courts": "GovernmentBody", "officers": "GovernmentBody",
    "lawmakers": "GovernmentBody", "legislators": "GovernmentBody",
}
BARE_GROUP_HEADS = {"lawmakers", "legislators", "academics", "businesses", "smugglers", "traffickers",
                    "cartels"}
GROUP_MODIFIERS = {
    "unaccompanied", "undocumented", "irregular", "migrant", "asylum", "refugee", "human", "rights",
    "civil", "society", "organized", "organised", "crime", "criminal", "drug", "legal",
    "border", "immigration", "federal", "indigenous", "religious", "non-governmental", "humanitarian",
    "transit", "returning", "deported", "detained", "vulnerable", "child", "family", "labor", "labour",
    "foreign", "international", "us", "u.s.", "business", "community", "faith-based", "armed",
}
CRIME_MODIFIERS = {"organized", "organised", "crime", "criminal", "drug", "armed"}
CSO_MODIFIERS = {"human", "rights", "civil", "society", "non-governmental", "humanitarian",
                 "faith-based", "religious", "community", "advocacy"}
GOV_GROUP_MODIFIERS = {"immigration", "asylum", "border", "federal", "customs"}

# Pressure triggers: lower-case form -> (PLOVER type, CAMEO code, part of speech)
PRESSURE_TRIGGERS: dict[str, tuple[str, str, str]] = {}
for _w in ("threaten", "threatens", "threatened", "threatening"):
    PRESSURE_TRIGGERS[_w] = ("THREATEN", "130", "verb")
for _w in ("threat", "threats", "ultimatum"):
    PRESSURE_TRIGGERS[_w] = ("THREATEN", "130", "noun")
for _w in ("demand", "demanded", "demanding", "demands"):
    PRESSURE_TRIGGERS[_w] = ("DEMAND", "100", "verb")
for _w in ("pushing", "pushed"):
    PRESSURE_TRIGGERS[_w] = ("DEMAND", "100", "verb")
for _w in ("ask", "asks", "asked", "asking", "urge", "urges", "urged", "urging", "request", "requested",
           "requests", "appeal", "appealed", "appeals", "convince", "convinced", "persuade",
           "persuaded", "lobby", "lobbied", "bidding", "called", "calling", "calls"):
    PRESSURE_TRIGGERS[_w] = ("REQUEST", "020", "verb")
for _w in ("coerce", "coerced", "coercing", "force", "forced", "forcing", "compel", "compelled",
           "pressure", "pressured", "pressuring", "pressures", "press", "pressed", "pressing",
           "inducing", "induce", "induced", "blackmail", "blackmailed", "strong-arm", "bully", "bullied"):
    PRESSURE_TRIGGERS[_w] = ("COERCE", "170", "verb")
for _w in ("coercion", "pressure", "pressures", "duress"):
    PRESSURE_TRIGGERS.setdefault(_w, ("COERCE", "170", "noun"))
for _w in ("criticize", "criticized", "criticizes", "criticizing", "criticise", "criticised",
           "lambasted", "lambast", "condemned", "condemn", "denounced", "denounce", "accused", "accuse",
           "rebuked", "rebuke", "vilifying", "vilified", "disapproved", "blamed", "blame"):
    PRESSURE_TRIGGERS[_w] = ("ACCUSE", "111", "verb")
NOUN_PRESSURES = {"threat", "threats", "ultimatum", "coercion", "pressure", "pressures", "duress",
                  "demands", "demand", "request", "appeal", "criticism", "criticisms"}
SANCTION_VERBS = {"impose", "imposed", "imposes", "imposing", "raise", "raised", "levy", "levied", "slap",
                  "slapped", "hike", "hiked"}
SANCTION_OBJECTS = {"tariff", "tariffs", "sanctions", "sanction", "duties", "embargo", "levies"}
AGREEMENT_VERBS = {"agree", "agreed", "agrees", "agreeing", "sign", "signed", "signs", "signing",
                   "ratify", "ratified", "ratifies", "ratifying"}
AGREEMENT_NOUNS = {"agreement", "agreements", "deal", "deals", "declaration", "compact", "accord",
                   "accords", "treaty", "treaties", "pact", "memorandum", "accords"}
COMMIT_VERBS = {"promised", "promise", "promises", "pledged", "pledge", "committed", "commit",
                "vowed", "agreed"}

REVERSAL_VERBS = {"shelve", "shelved", "shelves", "abandon", "abandoned", "abandons", "abandoning",
                  "reverse", "reversed", "reverses", "reversing", "retract", "retracted", "retracting",
                  "rescind", "rescinded", "scrap", "scrapped", "revoke", "revoked", "withdraw",
                  "withdrew", "withdrawn", "drop", "dropped", "dropping", "desist", "backtrack",
                  "backtracked", "backtracking", "ditch", "ditched", "discontinue", "discontinued",
                  "transitioning", "transition", "transitioned", "shifted", "shifting", "shift",
                  "u-turn", "reversal", "about-face", "turnaround", "distance", "distancing"}
REVERSAL_NEEDS_OBJECT = {"drop", "dropped", "dropping", "withdraw", "withdrew", "withdrawn"}
POLICY_OBJECTS = {"threat", "threats", "plan", "plans", "policy", "policies", "program", "programs",
                  "programme", "programmes", "proposal", "proposals", "demand", "demands", "tariff",
                  "tariffs", "measure", "measures", "approach", "strategy", "idea", "pledge", "visas",
                  "requirement", "order", "ban", "initiative"}
CHANGE_ADJECTIVES = {"tougher", "harder", "harsher", "stricter", "softer", "new", "different",
                     "more restrictive", "less restrictive", "firmer", "hardline", "hard-line"}
APPROACH_NOUNS = {"approach", "stance", "line", "policy", "course", "strategy", "position", "measures",
                  "rules", "policies", "tactics"}
EARLIER_CUES = {"initially", "originally", "once", "formerly", "previously", "initial", "original"}

POLICY_NOUNS = {"program", "programs", "programme", "programmes", "plan", "plans", "visas", "visa",
                "deployment", "protocol", "protocols", "policy", "policies", "measures", "measure",
                "strategy", "approach", "law", "decree", "initiative", "reform", "reforms", "wall",
                "crackdown", "ban", "package", "scheme", "regulation", "regulations", "rule", "rules",
                "agenda"}
POLICY_VERBS = {
    "adopted": "adopted", "adopt": "adopted", "adopts": "adopted", "introduced": "adopted",
    "introduce": "adopted", "introducing": "adopted", "launched": "adopted", "launch": "adopted",
    "created": "adopted", "create": "adopted", "established": "adopted", "enacted": "adopted",
    "approved": "adopted", "announced": "proposed", "proposed": "proposed", "propose": "proposed",
    "proposes": "proposed", "suggested": "proposed", "pledged": "proposed", "promised": "proposed",
    "planned": "proposed", "plans": "proposed", "offered": "proposed", "offering": "proposed",
    "called": "proposed", "implemented": "implemented", "implement": "implemented",
    "implementing": "implemented", "issued": "implemented", "issue": "implemented",
    "issuing": "implemented", "sent": "implemented", "send": "implemented", "deployed": "implemented",
    "deploy": "implemented", "deploying": "implemented", "began": "implemented", "started": "implemented",
    "applied": "implemented", "enforced": "implemented", "used": "implemented", "expanded": "expanded",
    "expanding": "expanded", "expand": "expanded", "ramped": "expanded", "increased": "expanded",
    "extended": "expanded", "abandoned": "abandoned", "shelved": "abandoned", "scrapped": "abandoned",
    "dropped": "abandoned", "ended": "abandoned", "suspended": "abandoned", "welcomed": "implemented",
    "granted": "implemented", "grant": "implemented", "gave": "implemented", "focused": "adopted",
    "readmitting": "implemented", "supported": "implemented",
}
ENFORCEMENT_WORDS = {"enforcement", "security", "deport", "deported", "deportation", "deportations",
                     "detain", "detained", "detention", "detentions", "containment", "contain",
                     "militarization", "militarized", "troops", "guard", "wall", "crackdown", "control",
                     "controls", "raids", "checkpoints", "apprehended", "deter", "deterrence", "border",
                     "closing", "close", "securitization", "securitized", "restrict", "stop",
                     "enforcing", "hardline", "tougher", "harder"}
PROTECTION_WORDS = {"humanitarian", "asylum", "refugee", "refugees", "rights", "protection", "visas",
                    "visa", "integration", "shelters", "shelter", "welcome", "welcomed", "solidarity",
                    "legal", "regularization", "citizenship", "dignified"}
DEVELOPMENT_WORDS = {"development", "invest", "investing", "investment", "aid", "jobs", "economic",
                     "infrastructure", "employment", "growth", "poverty"}

HEDGE_MODALS = {"could", "would", "might", "may", "should", "must", "can", "will"}
HEDGE_WORDS = {"reportedly", "allegedly", "apparently", "possibly", "probably", "likely", "unlikely",
               "perhaps", "supposedly", "seemingly", "expected", "estimated", "rumored", "rumoured"}
HEDGE_PHRASES = [("seen", "as"), ("perceived", "as"), ("viewed", "as"), ("considered", "as"),
                 ("would", "consider"), ("on", "track", "to"), ("set", "to"), ("plans", "to"),
                 ("intends", "to"), ("expected", "to"), ("it", "is", "possible"), ("as", "long", "as")]
APPROXIMATORS = {"almost", "roughly", "about", "around", "approximately", "nearly", "some",
                 "estimated", "close", "an estimated", "approx.", "circa", "~"}
CLAUSE_BREAKS = {",", ";", ":", ".", "(", ")", '"', "-", "!", "?"}
SUBORDINATORS = {"days", "when", "after", "before", "although", "though", "if", "as", "while",
                 "since", "because", "despite", "once", "until", "whereas", "unless", "even"}

INSTRUMENT_CUES = [  # (cue words, PLOVER types it applies to, instrument id)
    ({"tariff", "tariffs", "duties", "levies"}, {"THREATEN", "SANCTION", "COERCE", "DEMAND"}, "tariff-threat"),
    ({"close", "closing", "closure", "shut", "seal"}, {"THREATEN"}, "border-closure-threat"),
    ({"aid", "funding", "assistance"}, {"THREATEN"}, "aid-cut-threat"),
    ({"negotiations", "negotiation", "negotiating", "talks"}, None, "negotiation-pressure"),
]
TYPE_INSTRUMENTS = {"REQUEST": "diplomatic-request", "ACCUSE": "public-criticism"}
CAMEO = {("THREATEN", "tariff-threat"): "1312", ("THREATEN", "border-closure-threat"): "1312",
         ("THREATEN", "aid-cut-threat"): "1311", ("SANCTION", None): "163"}


# =============================================================================================
# Reading documents (txt, md, html) and reducing markup to text
# =============================================================================================

def read_input(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of a document to extract from: plain text as is; Markdown and HTML reduced.

    Refuses missing, oversized, binary, non-UTF-8 and empty files with one clear error.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExtractError("file not found", str(path)) from None
    except OSError as exc:
        raise ExtractError(f"cannot read: {exc.strerror}", str(path)) from None
    if path.is_dir():
        raise ExtractError("is a folder, not a document", str(path))
    if size > max_bytes:
        raise ExtractError(f"too large ({size:,} bytes; the limit is {max_bytes:,}): split it into "
                           f"smaller documents or raise --max-bytes", str(path))
    try:
        doc = read_document(path)
    except CorpusError as exc:
        raise ExtractError(exc.message, exc.file, exc.line) from None
    text = doc.text
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        text = html_to_text(text)
    elif suffix in MARKDOWN_SUFFIXES:
        text = markdown_to_text(text)
    if not text.strip():
        raise ExtractError("no text left after removing markup", str(path))
    return text


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "section", "article", "header", "footer", "blockquote", "pre", "title", "figcaption",
               "figure", "hr", "dt", "dd", "main", "aside", "nav", "td", "th"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class _TextParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip() + "\n"


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page: one paragraph per block element, entities decoded.

    >>> html_to_text("<html><head><title>T</title><style>p{}</style></head><p>A &amp; B</p><p>C</p></html>")
    'T\\n\\nA & B\\n\\nC\\n'
    """
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.parts)
    title = " ".join("".join(parser.title).split())
    if title and title not in body:
        body = title + "\n\n" + body
    return _tidy(body)


def markdown_to_text(markup: str) -> str:
    """Text of a Markdown document: headings, emphasis, links, images and code marks removed.

    >>> markdown_to_text("# Title\\n\\nSome *bold* [link](http://x) and `code`.\\n")
    'Title\\n\\nSome bold link and code.\\n'
    """
    out = []
    in_fence = False
    for line in markup.splitlines():
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            continue
        if re.match(r"^\s*\[[^\]]+\]:\s*\S+", line):          # link reference definitions
            continue
        if re.match(r"^\s*([-*_]\s*){3,}$", line):            # horizontal rules
            out.append("")
            continue
        line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)         # headings
        line = re.sub(r"\s#+\s*$", "", line)
        line = re.sub(r"^\s*>\s?", "", line)                  # block quotes
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)  # list markers
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)  # images
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)   # links
        line = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", line)
        line = re.sub(r"<[^>]+>", "", line)                    # inline HTML
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])", r"\1", line)
        line = line.replace("`", "")
        out.append(line)
    return _tidy("\n".join(out))


# =============================================================================================
# Results
# =============================================================================================

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


# =============================================================================================
# The pipeline
# =============================================================================================

def _blank_nlp():
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z]\.)-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    return nlp


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


class Extractor:
    """Rules over a blank English spaCy pipeline, with the names of a :class:`Gazetteer`."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or Gazetteer()
        self.nlp = _blank_nlp()
        self.by_name: dict[str, KnownThing] = {}
        for name, thing in self.gaz.names():
            self.by_name.setdefault(fold_name(name), thing)
        self._build_rulers()
        # "U.S. President Donald Trump" -> donald-trump is a president of united-states
        self.person_state: dict[str, str] = {}
        for name, thing in self.gaz.names():
            m = re.match(r"^(.*?)\s*President\b", name)
            if thing.cls == "Person" and m and m.group(1):
                prefix = m.group(1).strip()
                st = self.by_name.get(fold_name(prefix))
                if st is None:
                    country = next((c for c, d in COUNTRIES.items() if d == prefix), None)
                    st = self.by_name.get(fold_name(country)) if country else None
                if st is not None and st.cls == "State":
                    self.person_state.setdefault(thing.id, st.id)

    # --- set-up ---------------------------------------------------------------------------------

    def _build_rulers(self) -> None:
        lower = self.nlp.add_pipe("span_ruler", name="gazetteer",
                                  config={"spans_key": "gaz", "phrase_matcher_attr": "LOWER"})
        exact = self.nlp.add_pipe("span_ruler", name="names",
                                  config={"spans_key": "names", "phrase_matcher_attr": "ORTH"})
        lower_patterns, exact_patterns = [], []
        for name, thing in self.gaz.names():
            target = exact_patterns if is_acronym(name) else lower_patterns
            for pattern in _variants(" ".join(fold_chars(name).split())):
                target.append({"label": thing.cls, "pattern": pattern, "id": thing.id})
        for country, demonym in COUNTRIES.items():
            known = self.by_name.get(fold_name(country))
            tid = known.id if known is not None and known.cls == "State" else "new:State:" + country
            if known is None:
                exact_patterns.append({"label": "State", "pattern": country, "id": tid})
            exact_patterns.append({"label": "Demonym", "pattern": demonym, "id": tid})
        for cls, names in KNOWN_BODIES.items():
            for name in names:
                if fold_name(name) not in self.by_name:
                    exact_patterns.append({"label": cls, "pattern": name, "id": f"new:{cls}:{name}"})
        if lower_patterns:
            lower.add_patterns(lower_patterns)
        else:
            self.nlp.remove_pipe("gazetteer")
        exact.add_patterns(exact_patterns)
        self._gaz_acronyms = {fold_name(n) for n, _ in self.gaz.names() if is_acronym(n)}

    # --- text segmentation ------------------------------------------------------------------------

    @staticmethod
    def blocks(folded: str) -> list[tuple[int, int]]:
        """Spans of text between hard breaks (blank lines; single newlines unless hard-wrapped)."""
        lines = folded.split("\n")
        open_lengths = []
        total = 0
        for a, b in zip(lines, lines[1:]):
            a, b = a.rstrip(), b.strip()
            if a.strip() and b:
                total += 1
                if not re.search(r"[.!?:;\"')\]]$", a):
                    open_lengths.append(len(a.strip()))
        # hard-wrapped text: most lines end mid-sentence, at nearly the same width
        width = max(open_lengths, default=0)
        even = sum(1 for n in open_lengths if n >= 0.8 * width)
        wrapped = len(open_lengths) >= 3 and len(open_lengths) > total / 2 and even >= 0.6 * len(open_lengths)
        pattern = re.compile(r"\n[ \t\r\f\v]*\n\s*" if wrapped else r"\n\s*")
        out, pos = [], 0
        for m in pattern.finditer(folded):
            out.append((pos, m.start()))
            pos = m.end()
        out.append((pos, len(folded)))
        result = []
        for s, e in out:
            chunk = folded[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            if e - trail > s + lead:
                result.extend(_split_long(folded, s + lead, e - trail))
        return result

    @staticmethod
    def _collapse(block: str, offset: int) -> tuple[str, list[int], list[int]]:
        """Whitespace runs become one space; returns the text and an offset map (anchors)."""
        parts, ca, oa = [], [0], [offset]
        pos = clen = 0
        for m in re.finditer(r"\s{2,}|[^\S ]", block):
            parts.append(block[pos:m.start()])
            clen += m.start() - pos
            parts.append(" ")
            clen += 1
            pos = m.end()
            ca.append(clen)
            oa.append(offset + pos)
        parts.append(block[pos:])
        return "".join(parts), ca, oa

    # --- the document -----------------------------------------------------------------------------

    def process(self, text: str, stem: str = "doc") -> Extraction:
        """Extract entities and candidate statements from ``text``."""
        result = Extraction(text, stem)
        folded = fold_chars(text)
        blocks = self.blocks(folded)
        collapsed = [self._collapse(folded[s:e], s) for s, e in blocks]
        ctx = _DocContext(self, result, folded)
        ctx.find_dateline(blocks)
        for n, ((bstart, bend), (ctext, ca, oa), doc) in enumerate(zip(
                blocks, collapsed, self.nlp.pipe([c[0] for c in collapsed], batch_size=64))):
            ctx.block(doc, ca, oa, bstart, bend, n)
        result.sentences = ctx.sentences
        return result


MAX_BLOCK = 50_000  # characters; spaCy refuses texts over nlp.max_length (E088), and rules need no more


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of at most :data:`MAX_BLOCK` characters, each ending after a
    sentence end where there is one (else at a space, else anywhere)."""
    pieces = []
    while end - start > MAX_BLOCK:
        window = text[start:start + MAX_BLOCK]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > MAX_BLOCK // 2 else window.rfind(" ")
        cut = cut if cut > 0 else MAX_BLOCK
        pieces.append((start, start + cut))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def _map(ca: list[int], oa: list[int], c: int) -> int:
    k = bisect_right(ca, c) - 1
    return oa[k] + (c - ca[k])


class _DocContext:
    """State kept while walking one document: new names, aliases, dates, sentences."""

    def __init__(self, ex: Extractor, result: Extraction, folded: str):
        self.ex, self.result, self.folded = ex, result, folded
        self.sentences = 0
        self.new_by_key: dict[str, Entity] = {}      # folded name -> new entity
        self.surnames: dict[str, str] = {}           # surname -> person entity id
        self.acronyms: dict[str, str] = {}           # acronym -> entity id
        self.dateline_year: int | None = None
        self.last_year: int | None = None
        self.month_years: dict[int, int] = {}
        self.presidents: list[tuple[str, str | None, _Ent]] = []   # (entity key, state id, span)
        self.last_targets: dict[str, list[str]] = {}                 # agent id -> targets of its last pressure
        self.last_agreement: tuple[str, int] | None = None           # (agreement id, sentence number)
        self.last_pressure_on: dict[str, list[tuple[str, str]]] = {}  # target id -> (agent, class) of its pressures
        self.counter: dict[str, int] = {}
        self.stem_slug = slugify(result.stem)

    # --- dates --------------------------------------------------------------------------------

    def find_dateline(self, blocks: list[tuple[int, int]]) -> None:
        """The document's own date, if the first lines or a citation line state one."""
        head = self.folded[:blocks[min(len(blocks), 6) - 1][1]] if blocks else ""
        m = re.search(r"\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|"
                      r"October|November|December)\s+((?:19|20)\d\d)\b", head) or re.search(
            r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
            r"December)\s+\d{1,2},\s+((?:19|20)\d\d)\b", head)
        if m:
            self.dateline_year = int(m.group(m.lastindex))
            return
        m = re.search(r"\b((?:19|20)\d\d)/(\d\d)/(\d\d)\b", self.folded)
        if m:
            self.dateline_year = int(m.group(1))

    # --- entities -----------------------------------------------------------------------------

    def entity_for(self, ent: _Ent, start: int, end: int) -> Entity:
        """The document-level entity of a span (registering new ones), with this mention."""
        res = self.result
        if ent.known and ent.id:
            thing = self.ex.gaz.things.get(ent.id)
            e = res.entities.get(ent.id)
            if e is None:
                e = Entity(ent.id, thing.cls if thing else ent.cls, thing.label if thing else ent.label,
                           True, ent.rule, ent.conf)
                res.entities[ent.id] = e
        else:
            key = fold_name(ent.label)
            e = self.new_by_key.get(key)
            if e is None:
                known = self.ex.by_name.get(key)
                if known is not None:
                    e = res.entities.get(known.id) or Entity(known.id, known.cls, known.label, True,
                                                             "gazetteer", 0.9)
                    res.entities[known.id] = e
                else:
                    tid = slugify(ent.label)
                    if tid in self.ex.gaz.things or tid in res.entities:
                        tid = f"{tid}-{self.stem_slug}"
                    e = Entity(tid, ent.cls, ent.label, False, ent.rule, ent.conf)
                    res.entities[tid] = e
                self.new_by_key[key] = e
            for alt in ent.alts:
                if alt != e.label and alt not in e.alt_labels and not e.known:
                    e.alt_labels.append(alt)
            if e.cls == "Person" and not e.known:
                words = e.label.split()
                if len(words) >= 2:
                    self.surnames.setdefault(words[-1], e.id)
        if not e.known and not e.mentions:
            surface = " ".join(self.result.text[start:end].split())
            folded = " ".join(fold_chars(surface).split())
            if folded != surface and folded in e.label:
                e.label = e.label.replace(folded, surface)
        e.mentions.append((start, end))
        return e

    # --- one block --------------------------------------------------------------------------------

    def block(self, doc, ca, oa, bstart: int, bend: int, index: int = 1) -> None:
        toks = list(doc)
        starts = [_map(ca, oa, t.idx) for t in toks]
        ends = [_map(ca, oa, t.idx + len(t) - 1) + 1 for t in toks]
        is_line = "\n" not in self.folded[bstart:bend]
        ents = self.find_entities(doc, toks, byline=is_line and index > 0)
        resolved: list[tuple[_Ent, Entity]] = []
        for ent in ents:
            resolved.append((ent, self.entity_for(ent, starts[ent.i], ends[ent.j - 1])))
        years = [int(t.text) for t in toks if t.text.isdigit() and len(t.text) == 4
                 and YEAR_MIN <= int(t.text) <= YEAR_MAX]
        # the year a month without one belongs to: the same month with a year in this paragraph,
        # else the latest year of the paragraph, the document's date, or the last year before it
        para_year = max(years) if years else (self.dateline_year or self.last_year)
        self.month_years = {}
        for k, t in enumerate(toks[:-1]):
            if t.lower_ in MONTHS and t.is_title and toks[k + 1].text.isdigit() and len(toks[k + 1].text) == 4:
                self.month_years.setdefault(MONTHS[t.lower_], int(toks[k + 1].text))
        if years:
            self.last_year = years[-1]
        resolved.sort(key=lambda pair: pair[0].i)
        firsts = [a.i for a, _ in resolved]
        for sent in doc.sents:
            self.sentences += 1
            lo, hi = bisect_left(firsts, sent.start), bisect_left(firsts, sent.end)
            sent_ents = [(a, e) for a, e in resolved[lo:hi] if a.j <= sent.end]
            s = _Sentence(self, toks, starts, ends, sent.start, sent.end, sent_ents, para_year, is_line)
            s.run()

    # --- entity finding --------------------------------------------------------------------------

    def find_entities(self, doc, toks, byline: bool = False) -> list[_Ent]:
        ex = self.ex
        cands: list[_Ent] = []
        for span in doc.spans.get("gaz", []):
            text = span.text
            if fold_name(text) in ex._gaz_acronyms:
                continue
            if self._inside_name(toks, span.start, span.end):
                continue
            thing = ex.gaz.things.get(span.id_)
            if thing is None:
                continue
            cands.append(_Ent(span.start, span.end, thing.id, thing.cls, thing.label, True, "gazetteer", 0.9))
        for span in doc.spans.get("names", []):
            sid, label = span.id_, span.label_
            if self._inside_name(toks, span.start, span.end) and label != "Demonym":
                continue
            if label == "Demonym":
                if span.start > 0 and toks[span.start - 1].text in {"Central", "South", "Latin", "North"}:
                    continue
                nxt = toks[span.end].text if span.end < len(toks) else ""
                if nxt in {"-"}:
                    continue
                if sid.startswith("new:"):
                    _, cls, name = sid.split(":", 2)
                    if fold_name(name) in self.new_by_key:  # only states the text names
                        cands.append(_Ent(span.start, span.end, None, cls, name, False, "demonym", 0.6))
                else:
                    thing = ex.gaz.things[sid]
                    cands.append(_Ent(span.start, span.end, sid, thing.cls, thing.label, True, "demonym", 0.7))
            elif sid.startswith("new:"):
                _, cls, name = sid.split(":", 2)
                rule = "name.country" if cls == "State" else "name.known-body"
                cands.append(_Ent(span.start, span.end, None, cls, name, False, rule, 0.85))
            else:
                thing = ex.gaz.things.get(sid)
                if thing is not None:
                    cands.append(_Ent(span.start, span.end, sid, thing.cls, thing.label, True, "gazetteer", 0.9))
        cands.extend(self.propose(toks, cands, byline))
        return self.resolve(cands, toks)

    @staticmethod
    def _inside_name(toks, i: int, j: int) -> bool:
        """True when a match is the start of a longer capitalised name (Mexico Security Initiative)."""
        if j < len(toks):
            nxt = toks[j]
            if nxt.is_title and nxt.text not in NOT_NAME_START and j > 0 and not toks[j - 1].is_punct \
                    and nxt.text not in PERSON_TITLES and not nxt.text.endswith("."):
                if nxt.text in GOV_KEYWORDS | CSO_KEYWORDS | IO_KEYWORDS:
                    return True
        return False

    def resolve(self, cands: list[_Ent], toks) -> list[_Ent]:
        """Non-overlapping entities: longer spans first, known names before new ones on ties."""
        cands.sort(key=lambda c: (-(c.j - c.i), not c.known, -c.conf, c.i))
        taken = [False] * (len(toks) + 1)
        out = []
        for c in cands:
            if any(taken[k] for k in range(c.i, c.j)):
                continue
            for k in range(c.i, c.j):
                taken[k] = True
            out.append(c)
        out.sort(key=lambda c: c.i)
        return out

    # --- proposals of new actors --------------------------------------------------------------

    def propose(self, toks, known: list[_Ent], byline: bool = False) -> list[_Ent]:
        out: list[_Ent] = []
        n = len(toks)
        known_at = {}
        for c in known:
            for k in range(c.i, c.j):
                known_at[k] = c
        runs = self._name_runs(toks)
        first = 1 if n > 1 and toks[0].text in {"By", "by", "BY"} else 0
        if byline and len(runs) == 1 and runs[0] == (first, n) and 2 <= n - first <= 3 and not known_at \
                and all(t.is_title and t.is_alpha and t.text not in NOT_NAME_START for t in toks[first:]):
            # a line holding only a name (a byline)
            return [_Ent(first, n, None, "Person", _join(toks, first, n), False, "name.byline", 0.6)]
        split_runs = []
        for i, j in runs:
            ands = [m for m in range(i, j) if toks[m].lower_ == "and"]
            words = {t.text for t in toks[i:j]}
            if ands and not words & (GOV_KEYWORDS | CSO_KEYWORDS | IO_KEYWORDS) and j < n and (
                    toks[j].lower_ in RESEARCH_VERBS | SPEECH_VERBS):
                prev = i
                for m in ands + [j]:
                    if m > prev:
                        split_runs.append((prev, m))
                    prev = m + 1
            else:
                split_runs.append((i, j))
        runs = split_runs
        for i, j in runs:
            words = [t.text for t in toks[i:j]]
            label = _join(toks, i, j)
            before = toks[i - 1].text if i > 0 else ""
            before2 = toks[i - 2].text if i > 1 else ""
            after = toks[j].lower_ if j < n else ""
            covered = all(k in known_at for k in range(i, j))
            if covered:
                continue
            cls = _org_class(words)
            if cls:
                out.append(_Ent(i, j, None, cls, label, False, "name.organisation", 0.8))
                continue
            # person cues
            title = _title_before(toks, i)
            if title and len(words) == 1 and words[0] in self.surnames:
                e = self.result.entities.get(self.surnames[words[0]])
                if e is not None:  # "Ms. Fedirka" after "Allison Fedirka"
                    out.append(_Ent(i, j, None, "Person", e.label, False, "name.surname", 0.7))
                    continue
            if title:
                if len(words) <= 4 and not any(w in GOV_KEYWORDS | CSO_KEYWORDS for w in words):
                    out.append(_Ent(i, j, None, "Person", label, False, "name.title", 0.85,
                                    (f"{title} {label}",)))
                continue
            if after == "," and 2 <= len(words) <= 4 and self._appositive_role(toks, j + 1):
                out.append(_Ent(i, j, None, "Person", label, False, "name.appositive-role", 0.7))
                continue
            if after in SPEECH_VERBS and 2 <= len(words) <= 4:
                out.append(_Ent(i, j, None, "Person", label, False, "name.speaker", 0.75))
                continue
            if before.lower() in SPEECH_VERBS and 2 <= len(words) <= 4 and toks[i - 1].i > 0:
                out.append(_Ent(i, j, None, "Person", label, False, "name.speaker", 0.75))
                continue
            if before == "by" and 2 <= len(words) <= 4 and (before2.lower() in BY_NOUNS):
                out.append(_Ent(i, j, None, "Person", label, False, "name.author", 0.75))
                continue
            if (before in {"/"} or after == "/") and self._credit_line(toks):
                if after == "/" and 2 <= len(words) <= 4:
                    out.append(_Ent(i, j, None, "Person", label, False, "name.credit", 0.7))
                elif before == "/":
                    out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.credit", 0.7))
                continue
            if after in RESEARCH_VERBS or (after == "and" and j + 2 < n and toks[j + 2].lower_ in RESEARCH_VERBS
                                           and toks[j + 1].is_title):
                if len(words) <= 3 and not _is_place_like(words):
                    out.append(_Ent(i, j, None, "Person", label, False, "name.researcher", 0.6))
                continue
            if before == "and" and i > 1 and toks[i - 2].is_title and after in RESEARCH_VERBS | SPEECH_VERBS:
                out.append(_Ent(i, j, None, "Person", label, False, "name.researcher", 0.6))
                continue
            lower_before = before.lower()
            if lower_before in {"for", "at", "with", "joining", "joined", "join", "to"}:
                cue = " ".join(t.lower_ for t in toks[max(0, i - 3):i])
                if re.search(r"\b(worked|works|work|working|analyst|researcher|fellow|editor|reporter|"
                             r"correspondent|joining|joined|join|subscribe)\b", cue):
                    out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.employer", 0.7))
                    continue
            if after in {"'s", "'"} and j + 1 < n and toks[j + 1].lower_ in PERSON_EVENTS and len(words) <= 3 \
                    and not _is_place_like(words):
                out.append(_Ent(i, j, None, "Person", label, False, "name.person-event", 0.6))
                continue
            if after in {"researchers", "research", "scholars", "study", "survey", "report", "data"}:
                out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.research-body", 0.6))
                continue
            if before == "as" and i > 1 and toks[i - 2].lower_ == "such":
                out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.such-as", 0.6))
                continue
            # "the state of Chiapas", "the southern states of Chiapas, Oaxaca and Tabasco": places
            # within a country, not countries
            if i > 2 and toks[i - 1].text in {"of"} and toks[i - 2].lower_ in {"state", "states"}:
                out.append(_Ent(i, j, None, "Place", label, False, "name.state-of", 0.7))
                k = j
                while k + 1 < n and toks[k].text in {",", "and"} and toks[k + 1].is_title:
                    m = k + 1
                    while m < n and toks[m].is_title:
                        m += 1
                    out.append(_Ent(k + 1, m, None, "Place", _join(toks, k + 1, m), False, "name.state-of", 0.7))
                    k = m
                continue
        # single surnames of persons already introduced, acronyms of organisations
        for k, t in enumerate(toks):
            if k in known_at:
                continue
            if t.is_title and t.text in self.surnames and (k + 1 >= n or not toks[k + 1].is_title) \
                    and (k == 0 or not toks[k - 1].is_title):
                e = self.result.entities.get(self.surnames[t.text])
                if e is not None:
                    out.append(_Ent(k, k + 1, None, "Person", e.label, False, "name.surname", 0.7))
            elif t.is_upper and t.is_alpha and t.text in self.acronyms:
                e = self.result.entities.get(self.acronyms[t.text])
                if e is not None:
                    out.append(_Ent(k, k + 1, e.id if e.known else None, e.cls, e.label, e.known,
                                    "name.acronym", 0.75))
        for k in range(2, n):
            t = toks[k]
            if t.is_upper and t.is_alpha and 2 <= len(t.text) <= 7 and k not in known_at \
                    and toks[k - 1].text == "," and toks[k - 2].lower_ in ORG_APPOSITION:
                out.append(_Ent(k, k + 1, None, ORG_APPOSITION[toks[k - 2].lower_], t.text, False,
                                "name.apposition", 0.7))
        out.extend(self._presidents(toks, known, out, known_at))
        out.extend(self._administrations(toks, known_at, out))
        out.extend(self._groups(toks, known_at))
        self._learn_acronyms(toks, known, out)
        return out

    @staticmethod
    def _appositive_role(toks, k: int) -> bool:
        """'Name, Mexico's interior minister, ...': a role noun within the apposition after a name."""
        if k >= len(toks):
            return False
        first = toks[k]
        if not (first.lower_ in LOWER_TITLES | {"the", "a", "an", "his", "her", "its", "their"}
                or first.text in COUNTRIES.values()
                or (first.is_title and k + 1 < len(toks) and toks[k + 1].lower_ in {"'s", "'"})):
            return False
        for m in range(k, min(len(toks), k + 6)):
            if toks[m].text in {",", ".", ";", "(", ")"}:
                return False
            if toks[m].lower_ in LOWER_TITLES | {"spokesperson", "adviser", "advisor", "analyst", "researcher",
                                                 "professor", "economist", "lawmaker", "official"}:
                return True
        return False

    @staticmethod
    def _credit_line(toks) -> bool:
        """A photo credit or byline: 'Name Name / Agency' and nothing else."""
        slash = [k for k, t in enumerate(toks) if t.text == "/"]
        return len(slash) == 1 and len(toks) <= 9 and all(
            _name_token(t) or t.text in {"/", "-", "."} for t in toks)

    def _name_runs(self, toks) -> list[tuple[int, int]]:
        runs, n, k = [], len(toks), 0
        while k < n:
            t = toks[k]
            if _name_token(t) and not (t.text in NOT_NAME_START and (k == 0 or toks[k - 1].is_sent_start
                                                                      or toks[k - 1].is_punct)):
                j = k + 1
                while j < n:
                    u = toks[j]
                    if _name_token(u) or u.text in {"St.", "Jr.", "U.S.", "Ft."}:
                        j += 1
                    elif u.text == "-" and j + 1 < n and _name_token(toks[j + 1]) and not u.whitespace_ \
                            and not toks[j - 1].whitespace_:
                        j += 2
                    elif u.lower_ in NAME_CONNECTORS and j + 1 < n and (_name_token(toks[j + 1]) or toks[j + 1].text in {"St.", "Ft."} or (
                            toks[j + 1].lower_ == "the" and u.lower_ == "of" and j + 2 < n and _name_token(toks[j + 2]))):
                        j += 2 if toks[j + 1].lower_ != "the" else 3
                    else:
                        break
                # a title is a cue, not part of the name: the name starts after the last title
                i = k
                for m in range(k, j - 1):
                    if toks[m].text in PERSON_TITLES and toks[m + 1].text != "-":
                        i = m + 1
                while i < j and (toks[i].text in PERSON_TITLES or toks[i].text in NOT_NAME_START
                                 or toks[i].text == "-" or _title_pair(toks, i)):
                    i += 2 if _title_pair(toks, i) else 1
                while j > i and (toks[j - 1].lower_ in NAME_CONNECTORS or toks[j - 1].text == "-"):
                    j -= 1
                if j > i:
                    runs.append((i, j))
                k = max(j, k + 1)
            else:
                k += 1
        return runs

    def _state_before(self, toks, k: int, known_at) -> tuple[str | None, int]:
        """The state named right before token ``k`` ('U.S.', 'Mexican', "Mexico's"), and where."""
        if k > 1 and toks[k - 1].lower_ in {"'s", "'"} and (k - 2) in known_at and known_at[k - 2].cls == "State":
            c = known_at[k - 2]
            return (c.id or "new:" + c.label), c.i
        if k > 0 and (k - 1) in known_at and known_at[k - 1].cls == "State":
            c = known_at[k - 1]
            return (c.id or "new:" + c.label), c.i
        return None, k

    def _presidents(self, toks, known: list[_Ent], proposed: list[_Ent], known_at) -> list[_Ent]:
        """Remember who is called President; resolve 'the U.S. President', "Mexico's President"."""
        n = len(toks)
        for c in known + proposed:
            if c.cls != "Person":
                continue
            k = c.i
            title = [t.text for t in toks[max(0, k - 3):k]] + [t.text for t in toks[c.i:c.j]]
            if "President" not in title or "Vice" in title:
                continue
            state = self.ex.person_state.get(c.id or "")
            if state is None:
                p = next((m for m in range(max(0, k - 3), c.j) if toks[m].text == "President"), None)
                if p is not None:
                    state, _ = self._state_before(toks, p, known_at)
            self.presidents.append((c.id or "new:" + c.label, state, c))
        out = []
        for k, t in enumerate(toks):
            if t.lower_ != "president" or (k + 1 < n and _name_token(toks[k + 1])
                                            and toks[k + 1].text not in NOT_NAME_START):
                continue
            if k > 0 and toks[k - 1].text == "-":
                continue
            state, i = self._state_before(toks, k, known_at)
            if state is None and not (k > 0 and toks[k - 1].lower_ == "the" and t.text == "President"):
                continue
            if state is None:
                i = k - 1
            match = None
            for key, st, c in reversed(self.presidents):
                if state is None or st == state:
                    match = c
                    break
            if match is None and state is not None:
                for key, st, c in reversed(self.presidents):
                    if st is None:
                        match = c
                        break
            if match is None:
                continue
            out.append(_Ent(i, k + 1, match.id, "Person", match.label, match.known, "name.role", 0.7))
        return out

    def _administrations(self, toks, known_at, proposed: list[_Ent] = ()) -> list[_Ent]:
        """'X administration', 'the X and Y administrations', "X's administration", 'administration of X'."""
        out, n = [], len(toks)
        persons = dict(known_at)
        for c in proposed:
            if c.cls == "Person":
                for k in range(c.i, c.j):
                    persons.setdefault(k, c)
        for k, t in enumerate(toks):
            low = t.lower_
            if low not in {"administration", "administrations", "government"}:
                continue
            if low.startswith("administration") and k > 0 and toks[k - 1].is_title:
                owners = []
                prev = persons.get(k - 1)
                if prev is not None and prev.cls == "Person":
                    owners.append(prev)
                    i = prev.i
                elif prev is None or prev.rule == "demonym":
                    i = k - 1
                    while i > 0 and (toks[i - 1].is_title or toks[i - 1].text == "-") \
                            and toks[i - 1].text not in NOT_NAME_START and (i - 1) not in persons:
                        i -= 1
                    name = _join(toks, i, k)
                    if name in COUNTRIES.values():
                        if i > 0 and toks[i - 1].lower_ in {"previous", "successive", "past", "former", "prior"}:
                            label = f"{toks[i - 1].lower_} {name} administrations"
                            out.append(_Ent(i - 1, k + 1, None, "Administration", label, False,
                                            "name.administration", 0.6))
                        continue
                    out.append(self._administration_named(name, i, k + 1))
                else:
                    continue
                for owner in owners:
                    out.append(self._administration_of(owner, k, k + 1))
                if low == "administrations" and i > 1 and toks[i - 1].lower_ == "and":
                    other = persons.get(i - 2)
                    if other is not None and other.cls == "Person":
                        out.append(self._administration_of(other, i - 1, i))
                    else:
                        h = i - 1
                        while h > 0 and toks[h - 1].is_title and (h - 1) not in persons:
                            h -= 1
                        if h < i - 1:
                            out.append(self._administration_named(_join(toks, h, i - 1), h, i - 1))
            elif k > 1 and toks[k - 1].lower_ in {"'s", "'"}:
                owner = persons.get(k - 2)
                if owner is not None and owner.cls == "Person":
                    out.append(self._administration_of(owner, k - 1, k + 1))
            elif low == "administration" and k + 2 < n and toks[k + 1].lower_ == "of":
                m = k + 2
                while m < n and toks[m].text in PERSON_TITLES:
                    m += 1
                owner = persons.get(m)
                if owner is not None and owner.cls == "Person":
                    out.append(self._administration_of(owner, k, k + 1))
        return out

    def _administration_named(self, name: str, i: int, j: int) -> _Ent:
        label = f"{name} administration"
        known = self.ex.by_name.get(fold_name(label))
        if known is not None and known.cls == "Administration":
            return _Ent(i, j, known.id, "Administration", known.label, True, "name.administration", 0.8)
        return _Ent(i, j, None, "Administration", label, False, "name.administration", 0.8)

    def _administration_of(self, person: _Ent, i: int, j: int) -> _Ent:
        thing = self.ex.gaz.things.get(person.id) if person.id else None
        names = [fold_name(n) for n in (thing.names if thing else [person.label])]
        for other in self.ex.gaz.things.values():
            if other.cls != "Administration":
                continue
            for o in other.names:
                core = fold_name(o).replace("administration", "").replace("'s", "").strip()
                if len(core) > 3 and any(core in nm.split(" ", 0)[0] and (nm == core or nm.endswith(" " + core)
                                                                       or core in nm.split())
                                         or (len(nm) > 3 and nm in core) for nm in names):
                    return _Ent(i, j, other.id, "Administration", other.label, True,
                                "name.administration-of", 0.75)
        surname = person.label.split()[-1] if person.label else person.label
        return _Ent(i, j, None, "Administration", f"{surname} administration", False, "name.administration-of", 0.6)

    def _groups(self, toks, known_at) -> list[_Ent]:
        out = []
        for k, t in enumerate(toks):
            head = t.lower_
            cls = GROUP_HEADS.get(head)
            if cls is None:
                continue
            i = k
            mods = []
            while i > 0 and len(mods) < 3:
                p = toks[i - 1]
                pl = p.lower_
                if pl in GROUP_MODIFIERS or (p.text in COUNTRIES.values()) or p.text in {"Central", "U.S.", "US"}:
                    mods.append(pl)
                    i -= 1
                elif p.text == "American" and i > 1 and toks[i - 2].text in {"Central", "Latin", "South", "North"}:
                    mods.append("american")
                    i -= 1
                else:
                    break
            if not mods and head not in BARE_GROUP_HEADS:
                continue
            if head in {"officers", "courts"} and not (set(mods) & GOV_GROUP_MODIFIERS):
                continue
            if cls == "CivilSocietyOrganization" and not (set(mods) & CSO_MODIFIERS):
                if set(mods) & CRIME_MODIFIERS:
                    cls = "CriminalGroup"
                else:
                    continue
            elif set(mods) & CRIME_MODIFIERS and cls == "PopulationGroup":
                continue
            if any(k2 in known_at for k2 in range(i, k + 1)):
                if all(k2 in known_at for k2 in range(i, k + 1)):
                    continue
            label = " ".join(x.text for x in toks[i:k + 1])
            if label[0].isupper() and label.split()[0] in NOT_NAME_START:
                label = label[0].lower() + label[1:]
            same = self.ex.by_name.get(head)
            if same is not None and same.cls == cls:   # "migrant smugglers" is the known "smugglers"
                out.append(_Ent(i, k + 1, same.id, cls, same.label, True, "name.group", 0.6))
                continue
            out.append(_Ent(i, k + 1, None, cls, label, False, "name.group", 0.6))
        return out

    def _learn_acronyms(self, toks, known: list[_Ent], proposed: list[_Ent]) -> None:
        """'Name (ACR ...)' defines ACR; an all-capital word spelling a new name's initials too."""
        n = len(toks)
        spans = known + proposed
        for c in spans:
            if c.j + 1 < n and toks[c.j].text == "(" and toks[c.j + 1].is_upper and toks[c.j + 1].is_alpha \
                    and len(toks[c.j + 1].text) >= 2:
                acr = toks[c.j + 1].text
                self.acronyms.setdefault(acr, c.id if c.known and c.id else self._pending_id(c))
            if not c.known and c.cls not in {"Person", "State", "PopulationGroup"}:
                initials = "".join(w[0] for w in c.label.split() if w[0].isupper() and w.lower() not in NAME_CONNECTORS)
                if len(initials) >= 3:
                    self.acronyms.setdefault(initials, self._pending_id(c))

    def _pending_id(self, c: _Ent) -> str:
        key = fold_name(c.label)
        e = self.new_by_key.get(key)
        if e is not None:
            return e.id
        known = self.ex.by_name.get(key)
        if known is not None:
            return known.id
        tid = slugify(c.label)
        if tid in self.ex.gaz.things:
            tid = f"{tid}-{self.stem_slug}"
        return tid

    # --- ids for statement things -----------------------------------------------------------------

    def new_id(self, kind: str) -> str:
        self.counter[kind] = self.counter.get(kind, 0) + 1
        return f"{kind}-{self.stem_slug}-{self.counter[kind]}"


def _variants(name: str) -> list[str]:
    """A name as written, with hyphens as spaces, and with one space as a hyphen (third-country).

    >>> _variants("Safe Third Country")
    ['Safe Third Country', 'Safe-Third Country', 'Safe Third-Country']
    """
    out = [name]
    if "-" in name:
        out.append(re.sub(r"(?<=\w)-(?=\w)", " ", name))
    words = name.split(" ")
    if 2 <= len(words) <= 6:
        for k in range(1, len(words)):
            if words[k - 1][-1:].isalpha() and words[k][:1].isalpha():
                out.append(" ".join(words[:k - 1] + [words[k - 1] + "-" + words[k]] + words[k + 1:]))
    seen: list[str] = []
    for v in out:
        if v not in seen:
            seen.append(v)
    return seen


def _join(toks, i: int, j: int) -> str:
    out = []
    for k in range(i, j):
        out.append(toks[k].text)
        if k < j - 1 and toks[k].whitespace_:
            out.append(" ")
    return "".join(out)


_TITLE_APOS = re.compile(r"^[A-Z][a-z]+'?[a-z]*$")
_INITIALS_OR_CAMEL = re.compile(r"^(?:(?:[A-Z]\.){2,}|[A-Z][a-z]*[A-Z][A-Za-z]*)$")


def _name_token(t) -> bool:
    """A token that can be part of a proper name: Mexico, INM, U.S., VerfBlog, O'Neil."""
    text = t.text
    first = text[:1]
    if not ("A" <= first <= "Z"):
        return False
    if t.is_title:
        return t.is_alpha or bool(_TITLE_APOS.match(text))
    if t.is_upper and t.is_alpha:
        return 2 <= len(text) <= 7
    return bool(_INITIALS_OR_CAMEL.match(text))


def _title_pair(toks, i: int) -> bool:
    if i + 1 >= len(toks):
        return False
    pair = toks[i].text + " " + toks[i + 1].text
    return pair in PERSON_TITLES


def _title_before(toks, i: int) -> str:
    """The person title right before token ``i`` (President, Interior Secretary, foreign minister)."""
    if i == 0:
        return ""
    k = i - 1
    words = []
    while k >= 0 and len(words) < 3:
        t = toks[k].text
        if t in PERSON_TITLES or t.lower() in LOWER_TITLES or t == "-" or (
                t in {"Vice", "Then", "Former", "Interior", "Foreign", "Prime", "Attorney"}):
            words.insert(0, t)
            k -= 1
        else:
            break
    title = " ".join(words).replace(" - ", "-")
    if not words:
        return ""
    if any(w in PERSON_TITLES or w.lower() in LOWER_TITLES for w in words):
        return title
    return ""


def _org_class(words: list[str]) -> str:
    ws = set(words)
    if ws & IO_KEYWORDS and ("International" in ws or "United" in ws or "World" in ws):
        return "InternationalOrganization"
    if ws & GOV_KEYWORDS:
        return "GovernmentBody"
    if "Institute" in ws and ws & NATIONAL_PREFIXES:
        return "GovernmentBody"
    if ws & CSO_KEYWORDS:
        return "CivilSocietyOrganization"
    return ""


def _is_place_like(words: list[str]) -> bool:
    return any(w in COUNTRIES for w in words)


# =============================================================================================
# Sentence-level rules
# =============================================================================================

class _Sentence:
    def __init__(self, ctx: _DocContext, toks, starts, ends, si: int, sj: int,
                 ents: list[tuple[_Ent, Entity]], para_year: int | None, is_line: bool):
        self.ctx, self.toks, self.starts, self.ends = ctx, toks, starts, ends
        self.si, self.sj = si, sj
        self.ents = ents
        self.para_year = para_year
        self.is_line = is_line
        self.lowers = [t.lower_ for t in toks[si:sj]]
        self.ent_at: dict[int, tuple[_Ent, Entity]] = {}
        for a, e in ents:
            for k in range(a.i, a.j):
                self.ent_at[k] = (a, e)

    # --- helpers ------------------------------------------------------------------------------

    def low(self, k: int) -> str:
        return self.toks[k].lower_ if self.si <= k < self.sj else ""

    def actors(self, i: int, j: int) -> list[tuple[_Ent, Entity]]:
        return [(a, e) for a, e in self.ents if a.i >= i and a.j <= j and e.cls in ACTOR_CLASSES]

    def span(self, i: int, j: int) -> tuple[int, int]:
        return self.starts[i], self.ends[j - 1]

    def orig(self, i: int, j: int) -> str:
        """The document's own text of tokens [i, j), single-spaced."""
        if j <= i:
            return ""
        return " ".join(self.ctx.result.text[self.starts[i]:self.ends[j - 1]].split())

    def sentence_span(self) -> tuple[int, int]:
        i, j = self.si, self.sj
        while j > i + 1 and self.toks[j - 1].text in {'"', "'"}:
            j -= 1
        return self.span(i, j)

    def clause_bounds(self, k: int) -> tuple[int, int]:
        """Token range of the clause around ``k`` (split at ; : and at commas before subordinators)."""
        i = k
        while i > self.si and self.toks[i - 1].text not in {";", ":"}:
            i -= 1
        j = k + 1
        while j < self.sj and self.toks[j].text not in {";", ":"}:
            j += 1
        return i, j

    def negated(self, k: int) -> str:
        lo = max(self.si, k - 4)
        words = self.lowers[lo - self.si:k - self.si]
        for w_i, w in enumerate(words):
            if w in {"not", "n't", "never", "no"}:
                start = lo + w_i
                aux = self.toks[start - 1].text if start - 1 >= self.si and self.low(start - 1) in {
                    "did", "does", "do", "has", "have", "had", "was", "were", "is", "are", "will",
                    "would", "could"} else ""
                return (aux + " " + self.toks[start].text).strip() if aux else self.toks[start].text
        return ""

    def hedge(self, k: int, lo: int | None = None) -> str:
        lo = self.si if lo is None else lo
        words = self.lowers[lo - self.si:k - self.si]
        for a, b, *rest in [p + ("",) for p in HEDGE_PHRASES]:
            phrase = [a, b] + [x for x in rest if x]
            for s in range(len(words) - len(phrase) + 1):
                if words[s:s + len(phrase)] == phrase:
                    return " ".join(phrase)
        window = list(range(max(lo, k - 6), k))
        for m in reversed(window):
            w = self.toks[m].text
            if w in HEDGE_MODALS - {"will", "can", "must"}:
                return w
        for w in words:
            if w in HEDGE_WORDS:
                return w
        after = self.lowers[k - self.si + 1:k - self.si + 3]
        for w in after:
            if w in HEDGE_WORDS:
                return w
        return ""

    def attribution(self) -> tuple[list[str], str]:
        """Who the sentence attributes its content to ("X said", "according to X")."""
        ids = []
        for k in range(self.si, self.sj - 1):
            if self.low(k) == "according" and self.low(k + 1) == "to":
                for a, e in self.actors(k + 2, min(self.sj, k + 10)):
                    ids.append(e.id)
                    break
            if self.low(k) in SPEECH_VERBS and k not in self.ent_at and not self.toks[k].is_title:
                before = self.ent_at.get(k - 1)
                after = self.ent_at.get(k + 1)
                if before and before[1].cls in ACTOR_CLASSES:
                    ids.append(before[1].id)
                elif after and after[1].cls in ACTOR_CLASSES:
                    ids.append(after[1].id)
        seen = []
        for i in ids:
            if i not in seen:
                seen.append(i)
        return seen, ""

    def date(self, near: int | None = None) -> str:
        """The date the sentence gives (as precise as the text), nearest to token ``near``."""
        best, best_dist = "", 10**9
        toks, n = self.toks, self.sj
        k = self.si
        while k < n:
            low = toks[k].lower_
            found, span_end = "", k + 1
            if low in MONTHS and toks[k].is_title:
                month = MONTHS[low]
                year = day = None
                m = k + 1
                if m < n and toks[m].text.isdigit() and 1 <= int(toks[m].text) <= 31 and len(toks[m].text) <= 2:
                    day = int(toks[m].text)
                    m += 1
                    if m < n and toks[m].text == ",":
                        m += 1
                if m < n and toks[m].text.isdigit() and len(toks[m].text) == 4:
                    year = int(toks[m].text)
                    m += 1
                if day is None and k - 1 >= self.si and toks[k - 1].text.isdigit() and len(toks[k - 1].text) <= 2:
                    day = int(toks[k - 1].text)
                if self.in_range(k):
                    k = m
                    continue
                if year is None:
                    year = self.ctx.month_years.get(month) or self.para_year
                if year is not None and (low != "may" or day or k - 1 < self.si
                                         or toks[k - 1].lower_ in {"in", "late", "early", "mid", "of", "since", "until", "by"}):
                    found = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
                span_end = m
            elif low.isdigit() and len(low) == 4 and YEAR_MIN <= int(low) <= YEAR_MAX and k - 1 >= self.si \
                    and toks[k - 1].lower_ in {"in", "since", "of", "until", "by", "year", "during"} \
                    and not self.in_range(k):
                found = low
            elif low in {"this", "last", "next"} and k + 1 < n and toks[k + 1].lower_ == "year" \
                    and self.ctx.dateline_year:
                found = str(self.ctx.dateline_year + {"this": 0, "last": -1, "next": 1}[low])
            if found:
                dist = 0 if near is None else abs(k - near)
                if dist < best_dist:
                    best, best_dist = found, dist
            k = span_end
        return best

    def in_range(self, k: int) -> bool:
        for m in range(max(self.si, k - 5), k):
            if self.low(m) in {"between", "from"}:
                return True
        nxt = [self.low(m) for m in range(k + 1, min(self.sj, k + 4))]
        return "to" in nxt[:2] and self.low(k - 1) not in {"in"}

    def emit(self, kind: str, thing: str, span: tuple[int, int], props: dict, rule: str, conf: float,
             note: str = "") -> Candidate:
        cand = Candidate(kind, thing, span[0], span[1], props, rule, round(conf, 2), note)
        res = self.ctx.result
        res.statements.append(cand)
        if thing not in res.entities and thing not in self.ctx.ex.gaz.things:
            res.entities[thing] = Entity(thing, kind, self._label(kind, props, span), False, rule, cand.confidence)
        return cand

    def _label(self, kind: str, props: dict, span: tuple[int, int]) -> str:
        """A readable label for a new statement thing (the reviewer may improve it)."""
        def names(key: str) -> str:
            out = []
            for tid in props.get(key, []) or []:
                e = self.ctx.result.entities.get(tid)
                thing = self.ctx.ex.gaz.things.get(tid)
                out.append(e.label if e else thing.label if thing else tid)
            return " and ".join(out)
        when = f" ({props['date']})" if props.get("date") else ""
        if kind == "Pressure":
            verb = {"THREATEN": "threat", "DEMAND": "demand", "REQUEST": "request", "COERCE": "pressure",
                    "SANCTION": "sanction", "ACCUSE": "criticism"}.get(props.get("pressureType"), "pressure")
            agent = names("exertedBy")
            return f"{agent}{chr(39) if agent.endswith('s') else chr(39) + 's'} {verb} on {names('targets')}{when}"
        if kind == "Agreement":
            parties = names("party")
            return f"agreement of {parties}{when}" if parties else f"agreement{when}: {self._snippet(span)}"
        if kind == "PolicyReversal":
            who = names("reversedBy")
            return f"policy reversal by {who}{when}" if who else f"policy reversal{when}: {self._snippet(span)}"
        return self._snippet(span)

    def _snippet(self, span: tuple[int, int]) -> str:
        words = self.ctx.result.text[span[0]:span[1]].split()
        return " ".join(words[:12]) + (" ..." if len(words) > 12 else "")

    # --- all rules ----------------------------------------------------------------------------

    def run(self) -> None:
        if self.sj - self.si < 3 and not self.ents:
            return
        self.attributed, _ = self.attribution()
        self.roles()
        self.pressures()
        self.agreements()
        self.reversals()
        self.policies()
        self.statistics()

    def qualify(self, props: dict, k: int, conf: float, lo: int | None = None) -> tuple[float, str]:
        """Add hedge / negation / attribution to a statement's properties; lower the confidence."""
        note = ""
        neg = self.negated(k)
        if neg:
            props["hedge"] = neg
            note = "negated: the text says this did not happen"
            conf *= 0.4
        else:
            h = self.hedge(k, lo)
            if h:
                props["hedge"] = h
                conf *= 0.6
        attributed = [a for a in self.attributed if a not in props.get("exertedBy", [])] or \
            [a for a in self.attributed]
        if attributed:
            props["attributedTo"] = attributed[:2]
            conf *= 0.9
        return conf, note

    # --- actor roles ------------------------------------------------------------------------------

    def roles(self) -> None:
        for a, e in self.ents:
            if a.rule == "name.title" and not e.known and a.alts:
                title = a.alts[0][: -len(a.label)].strip()
                if title and title not in {"Mr.", "Ms.", "Mrs.", "Dr."}:
                    span = self.span(max(self.si, a.i - len(title.split())), a.j)
                    self.emit("Actor", e.id, span, {"role": title}, "actor.title", 0.7)

    # --- pressures --------------------------------------------------------------------------------

    def pressures(self) -> None:
        toks, si, sj = self.toks, self.si, self.sj
        done: set[int] = set()
        for k in range(si, sj):
            if k in done:
                continue
            low = toks[k].lower_
            trig = PRESSURE_TRIGGERS.get(low)
            passive_target = None
            if trig is None and low in SANCTION_VERBS:
                trig, passive_target = self._sanction(k)
            if trig is None and low == "respond" and self.low(k + 1) == "in" and self.low(k + 2) == "kind" \
                    or low in {"retaliate", "retaliation", "retaliatory"}:
                trig = ("THREATEN", "130", "verb")
            if trig is None:
                continue
            ptype, cameo, pos = trig
            is_noun = low in NOUN_PRESSURES and (pos == "noun" or self._noun_context(k))
            if not self._trigger_ok(k, low):
                continue
            if low in {"appeal", "appeals", "request", "requests", "demand", "demands"} and self.low(k - 1) in {
                    "the", "a", "an", "its", "their", "this", "that"}:
                is_noun = True
            if is_noun:
                agent, target = self._noun_agent_target(k)
                if agent is None or not (self._demand(k, target, ptype) or self._response_cue(k)):
                    continue
            elif passive_target is not None:
                agent, target = passive_target
            else:
                agent, target = self._agent_target(k, ptype)
            inherited = []
            retaliation = low in {"respond", "retaliate", "retaliation", "retaliatory"}
            if agent is not None and target is None and retaliation:
                # retaliation is aimed at whoever last pressed the agent
                pressers = self.ctx.last_pressure_on.get(agent[1].id, [])
                states = [a for a, cls in pressers if cls == "State"]
                inherited = states[-1:] or [a for a, _ in pressers[-1:]]
            elif agent is not None and target is None and not is_noun and ptype in {"THREATEN", "DEMAND", "COERCE"} \
                    and self.low(k + 1) not in {".", ",", ";", ""} and not self._clause_end(k + 1) \
                    and not (low.endswith("ing") and self.low(k - 1) in {"for", "of", "by", "about"}):
                inherited = self.ctx.last_targets.get(agent[1].id, [])
            if agent is None or (target is None and not inherited):
                continue
            if ptype == "ACCUSE" and (agent[1].cls not in {"Person", "State", "GovernmentBody", "Administration"}
                                      or target[1].cls not in {"State", "GovernmentBody", "Administration",
                                                               "Person"}):
                continue
            if target is not None:
                targets = [target[1].id] + [e.id for e in self._coordinated(target[0]) if e.id != target[1].id]
            else:
                targets = list(inherited)
            props: dict[str, Any] = {"exertedBy": [agent[1].id], "targets": targets}
            if target is not None:
                self.ctx.last_targets[agent[1].id] = targets
                for t in targets:
                    self.ctx.last_pressure_on.setdefault(t, []).append((agent[1].id, agent[1].cls))
            instrument = self._instrument(k, ptype)
            if instrument:
                props["instrument"] = instrument
            props["pressureType"] = ptype
            demand = self._demand(k, target, ptype)
            if demand:
                props["demands"] = [demand]
            d = self.date(k)
            if d:
                props["date"] = d
            conf, note = self.qualify(props, k, (0.8 if not is_noun else 0.65) if target is not None else 0.45)
            cam = CAMEO.get((ptype, instrument)) or CAMEO.get((ptype, None)) or cameo
            note = "; ".join(x for x in [f"CAMEO {cam}", note, "" if target is not None else
                                         "target not named in the sentence: taken from the agent's previous "
                                         "pressure in this document"] if x)
            rule = f"pressure.{ptype.lower()}" + (".noun" if is_noun else "")
            self.emit("Pressure", self.ctx.new_id("pressure"), self.sentence_span(), props, rule, conf, note)
            done.update(range(k, min(sj, k + 6)))

    def _trigger_ok(self, k: int, low: str) -> bool:
        """Readings of a trigger word that are not acts of pressure."""
        prev, nxt = self.low(k - 1), self.low(k + 1)
        if low in {"pushing", "pushed"} and not (prev in {"is", "are", "was", "were", "been", "has", "have",
                                                          "had"} or nxt == "for"):
            return False
        if low in {"called", "calling", "calls"} and nxt not in {"on", "upon"}:
            return False
        if low in {"force", "forced", "forcing"} and prev in {"the", "a", "of", "security", "armed", "police",
                                                              "military", "task", "labor", "work"}:
            return False
        if low in {"pressing", "press"} and not self._object_then_to(k):
            return False
        if low == "bidding" and nxt != "for":
            return False
        # the object of a withdrawal is not a new act: "dropped the threat of tariffs"
        for m in range(max(self.si, k - 3), k):
            if self.low(m) in {"dropped", "drop", "retracted", "retract", "withdrew", "withdrawn", "lifted",
                               "lift", "rescinded", "abandoned", "suspended"}:
                return False
        return True

    def _sanction(self, k: int):
        """'impose/raise tariffs on X' (SANCTION) and 'tariffs would be imposed on X' (THREATEN)."""
        si, sj = self.si, self.sj
        nxt = [self.low(m) for m in range(k + 1, min(sj, k + 4))]
        prev = [self.low(m) for m in range(max(si, k - 4), k)]
        if set(prev) & {"threatened", "threaten", "threatening", "threat", "threatens"}:
            return None, None
        if set(nxt) & SANCTION_OBJECTS and not set(prev) & {"would", "could", "might"}:
            return ("SANCTION", "163", "verb"), None
        # passive: "5 percent tariffs would be imposed on Mexican imports"
        if prev[-1:] in (["be"], ["been"]) and set(prev) & SANCTION_OBJECTS:
            future = bool(set(prev) & {"would", "will"})
            target = None
            if self.low(k + 1) == "on":
                for a, e in self.actors(k + 2, min(sj, k + 6)):
                    target = (a, e)
                    break
            agent = None
            for m in range(si, k):
                if self.low(m) in SPEECH_VERBS and (m - 1) in self.ent_at:
                    agent = self.ent_at[m - 1]
            if agent is None:
                for a, e in reversed(self.actors(si, k)):
                    agent = (a, e)
                    break
            trig = ("THREATEN", "1312", "verb") if future else ("SANCTION", "163", "verb")
            return trig, (agent, target)
        return None, None

    def _response_cue(self, k: int) -> bool:
        """A nominal pressure that the sentence says was answered: 'in response to', 'faced with'."""
        words = self.lowers
        text = " ".join(words[max(0, k - self.si - 5):k - self.si])
        return bool(re.search(r"\b(in response to|response to|faced with|under|bowed to|yielded to|gave in to|"
                              r"because of|due to)\b", text))

    def _noun_context(self, k: int) -> bool:
        prev = self.low(k - 1)
        if (k + 1) in self.ent_at or ((k + 2) in self.ent_at and self.low(k + 1) in {"the", "its", "their"}):
            return prev not in {"to", "will", "would", "could", "did", "does", "can", "may", "might", "should"} \
                and self.low(k + 1) != "the" and (k - 1) in self.ent_at
        if prev == "to":
            return self.low(k - 2) in {"response", "due", "owing", "subject", "yield", "yielded", "bowed", "bow",
                                       "in", "given"}
        return prev in {"the", "a", "an", "its", "his", "her", "their", "of", "'s", "'", "this", "that", "under",
                        "from", "with", "s", "these", "such", "u.s", "u.s.", "increasing", "mounting",
                        "growing", "economic", "political", "more", "outright", "extreme"} or \
            (k - 1 in self.ent_at) or self.low(k + 1) in {"from", "of", "on", "to", "by", "against", "inducing"}

    def _clause_end(self, k: int) -> bool:
        return k >= self.sj or self.toks[k].text in {".", ",", ";", ":", "!", "?"}

    def _object_then_to(self, k: int) -> bool:
        for m in range(k + 1, min(self.sj, k + 6)):
            if self.low(m) in {"to", "for"}:
                return (k + 1) in self.ent_at or (k + 2) in self.ent_at
        return False

    def _dash(self, m: int) -> bool:
        t = self.toks[m]
        return t.text == "-" and (bool(t.whitespace_) or self.toks[m - 1].whitespace_ != ""
                                  or self.ctx.result.text[self.starts[m]] in "\u2014\u2013")

    def _target_limit(self, k: int) -> int:
        """Where the search for a target after token ``k`` stops (dash, bracket, semicolon)."""
        for m in range(k + 1, self.sj):
            if self.toks[m].text in {";", ":", "(", "!", "?"} or self._dash(m):
                return m
        return self.sj

    def _is_agent(self, a: _Ent, e: Entity) -> bool:
        if e.cls == "State" and a.j in self.ent_at and self.ent_at[a.j][1].cls == "Person":
            return False  # "U.S. President Donald Trump": the state qualifies the person
        return e.cls in ACTOR_CLASSES and a.rule != "demonym"

    def _noun_agent_target(self, k: int):
        """'X's threat', 'U.S. pressures', 'pressure from X'; the target follows or is the subject."""
        ci, cj = self.clause_bounds(k)
        agent = target = None
        m = k - 1
        while m >= ci and self.low(m) in {"'s", "'", "repeated", "new", "latest", "public", "economic",
                                          "political", "attempts", "attempt", "efforts"}:
            m -= 1
        if m >= ci and m in self.ent_at and self._is_agent(*self.ent_at[m]):
            agent = self.ent_at[m]
        if agent is None and self.low(k + 1) in {"from", "by"}:
            for a, e in self.actors(k + 2, min(cj, k + 8)):
                agent = (a, e)
                break
            if agent is not None:
                for a, e in reversed(self.actors(ci, k)):
                    if e.id != agent[1].id and not self._is_object_of_prep(a.i):
                        target = (a, e)
                        break
                return agent, target
        if agent is None:
            return None, None
        limit = self._target_limit(k)
        for a, e in self.actors(k + 1, limit):
            if e.id == agent[1].id or (self._possessive(a.j) and not self._actor_noun(a.j + 1)):
                continue
            if a.rule == "demonym" and not self._demonym_target(a):
                continue
            target = (a, e)
            break
        if target is None:
            for a, e in reversed(self.actors(ci, agent[0].i)):
                if e.id != agent[1].id:
                    target = (a, e)
                    break
        return agent, target

    def _agent_target(self, k: int, ptype: str):
        """Subject before a verb trigger (or after a leading subordinate clause); object after it."""
        ci, cj = self.clause_bounds(k)
        agent = target = None
        for a, e in reversed(self.actors(ci, k)):
            if self._is_object_of_prep(a.i) and not self._possessive(a.j):
                continue
            if not self._is_agent(a, e):
                continue
            if self._possessive(a.j) and not self._actor_noun(a.j + 1) and not self._attempt_noun(a.j + 1):
                continue
            agent = (a, e)
            break
        limit = self._target_limit(k)
        if agent is None:
            # passive: "was pressured by X"
            if self.low(k + 1) == "by":
                for a, e in self.actors(k + 2, min(limit, k + 8)):
                    agent = (a, e)
                    break
                for a, e in reversed(self.actors(ci, k)):
                    target = (a, e)
                    break
                return agent, target
            # "After criticizing X, Trump threatened ...": the subject follows the leading clause
            comma = next((m for m in range(k + 1, cj) if self.toks[m].text == ","), None)
            if comma is not None and (self.lowers[0] in SUBORDINATORS | {"after", "having", "in", "before"}
                                      or self.low(k - 1) in {"to", "after", "while"}):
                for a, e in self.actors(comma + 1, min(cj, comma + 8)):
                    if self._is_agent(a, e):
                        agent = (a, e)
                        break
                limit = comma
        if agent is None:
            return None, None
        for a, e in self.actors(k + 1, limit):
            if e.id == agent[1].id or a.i <= agent[0].i < a.j:
                continue
            if self._possessive(a.j) and not self._actor_noun(a.j + 1):
                continue
            if a.rule == "demonym" and not self._demonym_target(a):
                continue
            target = (a, e)
            break
        return agent, target

    def _attempt_noun(self, k: int) -> bool:
        return self.low(k) in {"attempts", "attempt", "efforts", "effort", "decision", "move", "bid", "plan",
                               "threat", "threats", "pressures", "pressure", "demand", "demands"}

    def _coordinated(self, ent: _Ent) -> list[Entity]:
        """Actors listed with ``ent``: 'X and Y', 'X, Y and Z' (a comma alone is not a list)."""
        out, seps = [], []
        m = ent.j
        while m + 1 < self.sj and self.toks[m].text in {",", "and", "or"}:
            step = 2 if self.toks[m].text == "," and self.low(m + 1) in {"and", "or"} else 1
            nxt = self.ent_at.get(m + step)
            if nxt is None or nxt[1].cls not in ACTOR_CLASSES or nxt[0].rule == "demonym":
                break
            seps.append(self.toks[m + step - 1].text)
            out.append(nxt[1])
            m = nxt[0].j
        while seps and seps[-1] == ",":
            seps.pop()
            out.pop()
        return out

    def _possessive(self, j: int) -> bool:
        return self.low(j) in {"'s", "'"}

    def _actor_noun(self, k: int) -> bool:
        return self.low(k) in {"government", "administration", "authorities", "officials", "president",
                               "leaders", "leader", "executive"}

    def _is_object_of_prep(self, i: int) -> bool:
        m = i - 1
        while m >= self.si and self.low(m) in {"the", "its", "his", "her", "their", "a", "an", "all", "other"}:
            m -= 1
        return self.low(m) in {"of", "from", "with", "on", "in", "into", "for", "about", "toward", "towards",
                               "between", "across", "at", "through", "against", "over", "under", "to",
                               "than", "like", "among", "within", "without", "along", "by"}

    def _demonym_target(self, a: _Ent) -> bool:
        nxt = self.low(a.j)
        return nxt in {"government", "authorities", "officials", "counterpart", "counterparts", "imports",
                       "goods", "exports", "products", "leaders", "president", "economy", "administration"}

    def _instrument(self, k: int, ptype: str) -> str | None:
        window = set(self.lowers[max(0, k - self.si - 2):k - self.si + 12])
        things = self.ctx.ex.gaz.things
        for cues, types, iid in INSTRUMENT_CUES:
            if window & cues and (types is None or ptype in types) and iid in things \
                    and things[iid].cls == "Instrument":
                return iid
        iid = TYPE_INSTRUMENTS.get(ptype)
        if iid and iid in things and things[iid].cls == "Instrument":
            return iid
        return None

    def _demand(self, k: int, target, ptype: str) -> str:
        """What the target is asked to do: "X to VP", "that X VP", "in VP-ing", "if X does not VP"."""
        toks, sj = self.toks, self.sj
        start = None
        m = target[0].j if target is not None else k + 1
        if target is not None and target[0].i < k:
            m = k + 1
        if m < sj and self.low(m) in {"to", "in", "into"} and (self.low(m) == "to" or toks[m + 1].lower_.endswith("ing")):
            start = m + 1
        elif ptype in {"DEMAND", "REQUEST"} and self.low(k + 1) == "that":
            m = k + 2
            if target is not None and target[0].i == m:
                m = target[0].j
            start = m
        else:
            for c in range(k + 1, min(sj, k + 25)):
                if self.low(c) in {"unless", "if"}:
                    c2 = c + 1
                    for s in range(c2, min(sj, c2 + 8)):
                        if self.low(s) in {"can", "did", "does", "do", "would", "will", "could"}:
                            c2 = s + 1
                            if self.low(c2) in {"not", "n't"}:
                                c2 += 1
                            break
                    start = c2
                    break
        if start is None or start >= sj:
            return ""
        end = start
        while end < sj and toks[end].text not in CLAUSE_BREAKS and self.low(end) not in {
                "if", "unless", "while", "because", "but", "which", "although", "though", "whereas", "so"} \
                and end - start < 18:
            end += 1
        if end - start < 2:
            return ""
        return self.orig(start, end)

    # --- agreements -------------------------------------------------------------------------------

    def agreements(self) -> None:
        si, sj, lows = self.si, self.sj, self.lowers
        named = [(a, e) for a, e in self.ents if e.cls == "Agreement"]
        events: list[int] = []
        for k in range(si, sj):
            low = lows[k - si]
            if low in AGREEMENT_VERBS:
                if low.startswith("agree") and self.low(k + 1) in {"with"}:
                    continue
                if low in {"sign", "signs"} and self.low(k + 1) in {"of", "that"}:
                    continue
                if self.low(k - 1) in {"was", "were", "been", "is", "are", "be"} and \
                        set(lows[max(0, k - si - 4):k - si]) & AGREEMENT_NOUNS:
                    continue  # "after the agreement was signed": a reference, not a new event
                if events and self.segment(events[-1]) == self.segment(k):
                    continue
                events.append(k)
            elif low in {"reach", "reached", "reaching", "struck", "strike", "conclude", "concluded"} and \
                    set(lows[k - si + 1:k - si + 4]) & AGREEMENT_NOUNS:
                events.append(k)
            elif low == "joint" and self.low(k + 1) in {"statement", "declaration", "communique"} and \
                    self.low(k - 1) in {"a", "the", "their"} and any(w in {"released", "issued", "signed", "published",
                                                                          "agreed", "adopted"} for w in lows):
                events.append(k)
        rule = "agreement.verb"
        if not events:
            cue = set(lows) & {"commitments", "commitment", "committed", "negotiations", "negotiating", "accept",
                               "accepted", "join", "joined", "withdraw", "withdrew", "ratify", "ratified"}
            if named and cue:
                events, rule = [named[0][0].i], "agreement.named"
            else:
                for k in range(si, sj):
                    if lows[k - si] in AGREEMENT_NOUNS and self.low(k - 1) in {
                            "the", "this", "that", "a", "an", "their", "its", "recent", "new", "june", "joint"}:
                        commit = any(lows[m - si] in COMMIT_VERBS - {"agreed"} and self.low(m + 1) == "to"
                                     for m in range(k + 1, sj - 1))
                        if self._noun_commitment(k) or commit:
                            events, rule = [k], "agreement.noun"
                            break
            if not events and self.ctx.last_agreement and self.ctx.sentences - self.ctx.last_agreement[1] <= 1:
                if any(lows[m - si] in COMMIT_VERBS and self.low(m + 1) == "to" for m in range(si, sj - 1)):
                    k = next(m for m in range(si, sj - 1) if lows[m - si] in COMMIT_VERBS and self.low(m + 1) == "to")
                    events, rule = [k], "agreement.continued"
        if not events:
            return
        segments = [self.segment(k) for k in events] if len(events) > 1 else [(si, sj)]
        used_named: set[str] = set()
        for k, (ci, cj) in zip(events, segments):
            inside = [(a, e) for a, e in named if a.i >= ci and a.j <= cj]
            if rule == "agreement.continued":
                thing_id, r, conf = self.ctx.last_agreement[0], rule, 0.5
            elif inside and not self._conditional(inside[0][0].i, k):
                thing_id, r, conf = inside[0][1].id, "agreement.named", 0.75
            elif self.low(k + 1) in {"it", "this", "them"} and self.ctx.last_agreement:
                thing_id, r, conf = self.ctx.last_agreement[0], "agreement.anaphor", 0.5
            else:
                thing_id, r, conf = self.ctx.new_id("agreement"), rule, 0.6
            used_named.add(thing_id)
            self._emit_agreement(thing_id, k, ci, cj, r, conf, single=len(events) == 1)
        # a named agreement the event only conditions or proposes ("would start negotiations on X")
        for a, e in named:
            if e.id not in used_named and self._conditional(a.i, events[0]):
                self._emit_agreement(e.id, a.i, si, sj, "agreement.proposed", 0.5, single=True,
                                     status="proposed")
                used_named.add(e.id)

    def segment(self, k: int) -> tuple[int, int]:
        """The comma-delimited stretch around ``k`` (names that contain commas stay whole)."""
        i = k
        while i > self.si and self.toks[i - 1].text not in {",", ";", ":"} or (
                i > self.si and (i - 1) in self.ent_at and self.ent_at[i - 1][0].i < i - 1):
            i -= 1
        j = k + 1
        while j < self.sj and (self.toks[j].text not in {",", ";", ":", "."} or (
                j in self.ent_at and self.ent_at[j][0].i < j)):
            j += 1
        return i, j

    def _conditional(self, i: int, k: int) -> bool:
        """The named agreement at ``i`` is only proposed: after if/unless, 'negotiations on', 'consider'."""
        before = self.lowers[max(0, i - self.si - 6):i - self.si]
        return bool(set(before) & {"negotiations", "consider", "considering", "negotiate"}) and i > k

    def _noun_commitment(self, k: int) -> bool:
        """'the agreement between X and Y to VP': a nominal agreement with a commitment."""
        for m in range(k + 1, min(self.sj, k + 12)):
            if self.low(m) == "to" and not (m + 1) in self.ent_at and self.low(m + 1) not in {"the", "a", "an"}:
                return True
            if self.low(m) in {",", ";", "is", "was", "are", "were", "has", "have", "will", "would"}:
                return False
        return False

    def _emit_agreement(self, thing_id: str, trigger: int, ci: int, cj: int, rule: str, conf: float,
                        single: bool, status: str | None = None) -> None:
        si = self.si
        first = ci
        if single and self.lowers[0] in SUBORDINATORS:
            for m in range(si, trigger):
                if self.toks[m].text == ",":
                    first = m + 1
                    break
        parties = []
        for a, e in self.actors(first, cj):
            if e.cls in {"State", "Person", "Administration", "GovernmentBody", "InternationalOrganization"} \
                    and e.id not in parties and not (a.rule == "demonym" and not self._demonym_target(a)) \
                    and self._is_agent(a, e):
                parties.append(e.id)
        props: dict[str, Any] = {}
        if parties:
            props["party"] = parties[:6]
        words = set(self.lowers[ci - si:cj - si])
        if status:
            props["status"] = status
        elif words & {"ratify", "ratified", "ratifies"}:
            props["status"] = "ratified" if "ratified" in words and not words & {"intentions", "intention", "to"} \
                else "proposed"
        elif words & {"rejected", "reject", "rejects"}:
            props["status"] = "rejected"
        elif words & {"signed", "sign", "agreed", "released", "reached", "reach", "signing"} and "would" not in words:
            props["status"] = "signed"
        elif words & {"negotiations", "consider", "proposed", "accept", "would"}:
            props["status"] = "proposed"
        cond = self._condition(trigger)
        if cond:
            props["condition"] = cond
        d = self.date(trigger)
        if d:
            props["date"] = d
        commitments = self._commitments(first, parties)
        if commitments:
            props["commitment"] = commitments
        conditional = next((w for w in self.lowers[:trigger - si] if w in {"if", "unless"}), None)
        if conditional and status is None:
            props["status"] = "proposed"
        conf, note = self.qualify(props, trigger, conf)
        if conditional and "hedge" not in props:
            props["hedge"] = conditional
            conf *= 0.6
        span = self.sentence_span() if single else self.span(ci, cj)
        self.emit("Agreement", thing_id, span, props, rule, conf, note)
        self.ctx.last_agreement = (thing_id, self.ctx.sentences)

    def _condition(self, k: int) -> str:
        for m in range(self.si, self.sj):
            if self.low(m) in {"if", "unless"}:
                end = m + 1
                while end < self.sj and self.toks[end].text not in {",", ";", "."} and end - m < 25:
                    end += 1
                if end - m > 3:
                    return self.orig(m, end)
        return ""

    def _commitments(self, first: int, parties: list[str]) -> list[str]:
        """Policies the parties commit to: "promised to VP", "agreed to VP" (new Policy things)."""
        out = []
        for m in range(first, self.sj - 2):
            if self.low(m) in COMMIT_VERBS and self.low(m + 1) == "to":
                start = m + 2
                if self.toks[start].text in {'"', "'"}:
                    start += 1
                end = start
                while end < self.sj and self.toks[end].text not in {",", ";", ".", '"', "(", ")"} \
                        and self.low(end) not in {"while", "and", "if", "unless", "because", "but"} \
                        and end - start < 14:
                    end += 1
                if end - start < 2:
                    continue
                if self.low(start) in {"these", "this", "those", "that", "it", "them"}:
                    continue
                label = self.orig(start, end)
                pid = self.ctx.new_id("policy")
                adopter = None
                for a, e in reversed(self.actors(first, m)):
                    adopter = e.id
                    break
                props: dict[str, Any] = {"status": "proposed"}
                if adopter:
                    props["adoptedBy"] = [adopter]
                orient = _orientation(self.lowers[start - self.si:end - self.si])
                if orient:
                    props["orientation"] = orient
                self.ctx.result.entities.setdefault(pid, Entity(pid, "Policy", label, False, "policy.commitment", 0.5,
                                                                mentions=[self.span(start, end)]))
                self.emit("Policy", pid, self.span(start, end), props, "policy.commitment", 0.5)
                out.append(pid)
        return out

    # --- reversals --------------------------------------------------------------------------------

    def reversals(self) -> None:
        si, sj = self.si, self.sj
        lows = self.lowers
        trigger = None
        rule = ""
        from_phrase = to_phrase = None
        for k in range(si, sj):
            low = lows[k - si]
            if low == "u" and self.low(k + 1) in {"turn", "-"} or low == "u-turn":
                trigger, rule = k, "reversal.u-turn"
                break
            if low in {"about-face", "turnaround", "reversal"}:
                trigger, rule = k, "reversal.noun"
                break
            if low in {"shift", "shifted", "shifting", "transition", "transitioning", "transitioned"}:
                trigger, rule = k, "reversal.shift"
                from_phrase, to_phrase = self._from_to(k)
                break
            if low in {"distance", "distancing"} and self.low(k + 1) in {"itself", "himself", "herself",
                                                                          "themselves"} and self.low(k + 2) == "from":
                trigger, rule = k, "reversal.distance"
                break
            if low == "now" and self.low(k + 1) == "-" and self.low(k + 2) in {"abandoned", "defunct", "scrapped",
                                                                             "shelved", "discontinued"}:
                trigger, rule = k + 2, "reversal.abandoned"
                break
            if low in REVERSAL_VERBS and low not in {"shift", "shifted", "shifting", "transition", "transitioning",
                                                     "transitioned", "u-turn", "reversal", "about-face",
                                                     "turnaround", "distance", "distancing"}:
                if low in REVERSAL_NEEDS_OBJECT:
                    obj = [self.low(m) for m in range(k + 1, min(sj, k + 5))]
                    if not (set(obj) & POLICY_OBJECTS) or self.low(k + 1) not in {"the", "its", "his", "their",
                                                                                 "this", "that", "these", "plans",
                                                                                 "her", "a"}:
                        continue
                trigger, rule = k, f"reversal.{_stem(low)}"
                break
            if low == "from" and k > si and lows[k - si - 1] in {"went", "gone", "go", "goes", "moved", "turned",
                                                                  "changed", "switched", "swung"}:
                trigger, rule = k, "reversal.from-to"
                from_phrase, to_phrase = self._from_to(k - 1)
                break
            if low == "from" and (k == si or self.low(k - 1) in {"that", ",", "and"}):
                for m in range(k + 1, sj):
                    if lows[m - si] in {"became", "become", "becoming", "turned"}:
                        trigger, rule = m, "reversal.from-became"
                        from_phrase = (k + 1, self._phrase_end(k + 1))
                        to_phrase = (m + 1, self._phrase_end(m + 1))
                        break
                if trigger is not None:
                    break
            if low in {"adopted", "taken", "adopting", "taking", "embraced"} and \
                    self._change_adjective(k + 1):
                trigger, rule = k, "reversal.new-approach"
                to_phrase = (k + 1, self._phrase_end(k + 1))
                break
            if low in EARLIER_CUES and ("now" in lows or "no" in lows and "longer" in lows):
                trigger, rule = k, "reversal.contrast"
                break
            if low in {"become", "became"} and self.low(k - 1) in {"has", "have", "had", "then", "later"} and (
                    lows[:2] in (["for", "all"], ["despite"]) or "despite" in lows or "although" in lows):
                trigger, rule = k, "reversal.contrast"
                break
            if k == si and low == "yet" or (k == si + 1 and low == "yet" and lows[0] == "and"):
                m = next((m for m in range(k + 1, sj) if lows[m - si] in {"accepted", "agreed", "bowed", "relented",
                                                                          "yielded", "conceded", "caved"}), None)
                if m is not None:
                    trigger, rule = m, "reversal.contrast"
                    break
            if low == "since" and self.low(k - 1) in {"has", "have", "had"} and k + 1 < sj and \
                    self.low(k + 1).endswith("ed"):
                trigger, rule = k + 1, "reversal.since"
                break
        if trigger is None:
            return
        props: dict[str, Any] = {}
        ci, cj = self.clause_bounds(trigger)
        actor = None
        for a, e in reversed(self.actors(ci, trigger)):
            if self._is_object_of_prep(a.i) and not self._possessive(a.j):
                continue
            actor = e
            break
        if actor is None and rule in {"reversal.from-became"}:
            for a, e in self.actors(trigger - 3 if trigger - 3 > si else si, trigger):
                actor = e
        if actor is not None:
            props["reversedBy"] = [actor.id]
        for key, phrase in (("fromPolicy", from_phrase), ("toPolicy", to_phrase)):
            if phrase and phrase[1] - phrase[0] >= 1:
                pid = self._policy_for_phrase(*phrase, adopter=actor.id if actor else None)
                if pid:
                    props[key] = pid
        if "fromPolicy" not in props and rule not in {"reversal.u-turn", "reversal.noun", "reversal.contrast"}:
            obj_end = self._phrase_end(trigger + 1)
            if obj_end - trigger > 1:
                pid = self._policy_for_phrase(trigger + 1, obj_end, adopter=None)
                if pid:
                    props["fromPolicy"] = pid
        d = self.date(trigger)
        if d:
            props["date"] = d
        conf = {"reversal.contrast": 0.4, "reversal.new-approach": 0.45, "reversal.from-became": 0.5,
                "reversal.since": 0.35}.get(rule, 0.7)
        conf, note = self.qualify(props, trigger, conf)
        self.emit("PolicyReversal", self.ctx.new_id("reversal"), self.sentence_span(), props, rule, conf, note)

    def _change_adjective(self, k: int) -> bool:
        words = [self.low(m) for m in range(k, min(self.sj, k + 4))]
        if words and words[0] in CHANGE_ADJECTIVES and len(words) > 1 and words[1] in APPROACH_NOUNS:
            return True
        return bool(words) and words[0] in {"a", "an", "the"} and any(w in CHANGE_ADJECTIVES for w in words[1:3]) \
            and any(w in APPROACH_NOUNS for w in words[1:4])

    def _from_to(self, k: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        f = t = None
        for m in range(k, min(self.sj, k + 6)):
            if self.low(m) == "from":
                f = (m + 1, self._phrase_end(m + 1, stop={"to"}))
                for n2 in range(f[1], min(self.sj, f[1] + 3)):
                    if self.low(n2) == "to":
                        t = (n2 + 1, self._phrase_end(n2 + 1))
                        break
                break
            if self.low(m) in {"to", "toward", "towards"}:
                t = (m + 1, self._phrase_end(m + 1))
                break
        return f, t

    def _phrase_end(self, start: int, stop: set[str] | None = None) -> int:
        end = start
        stop = (stop or set()) | {"after", "because", "while", "when", "which", "that", "as", "but", "and",
                                  "if", "in", "since", "than"}
        while end < self.sj and self.toks[end].text not in {",", ";", ".", ":", "(", ")", "-", '"'} \
                and self.low(end) not in stop and end - start < 10:
            end += 1
        return end

    def _policy_for_phrase(self, i: int, j: int, adopter: str | None) -> str | None:
        for m in range(i, j):
            hit = self.ent_at.get(m)
            if hit and hit[1].cls == "Policy":
                return hit[1].id
        words = [self.low(m) for m in range(i, j)]
        while words and words[0] in {"the", "a", "an", "this", "these", "that", "its", "his", "her", "their"}:
            words = words[1:]
            i += 1
        if not words or words[0] in {"it", "them", "him", "her", "there"} or len(words) > 10:
            return None
        if words[0] in {"of"}:
            return None
        label = self.orig(i, j)
        if not label:
            return None
        pid = self.ctx.new_id("policy")
        self.ctx.result.entities[pid] = Entity(pid, "Policy", label, False, "policy.phrase", 0.4,
                                               mentions=[self.span(i, j)])
        props: dict[str, Any] = {}
        if adopter:
            props["adoptedBy"] = [adopter]
        orient = _orientation(words)
        if orient:
            props["orientation"] = orient
        self.emit("Policy", pid, self.span(i, j), props, "policy.phrase", 0.4)
        return pid

    # --- policies ---------------------------------------------------------------------------------

    def policies(self) -> None:
        si, sj, lows = self.si, self.sj, self.lowers
        verb_k, status = None, None
        for k in range(si, sj):
            st = POLICY_VERBS.get(lows[k - si])
            if st and not (lows[k - si] in {"called"} and self.low(k + 1) != "for"):
                if lows[k - si] in {"plans"} and self.low(k + 1) != "to":
                    continue
                verb_k, status = k, st
                break
        known = [(a, e) for a, e in self.ents if e.cls == "Policy"]
        emitted = set()
        for a, e in known:
            if e.id in emitted:
                continue
            if verb_k is None and not self._policy_noun_near(a):
                continue
            props: dict[str, Any] = {}
            adopter = self._adopter(verb_k if verb_k is not None else a.i)
            if adopter:
                props["adoptedBy"] = [adopter]
            if status:
                props["status"] = status
            orient = _orientation(lows)
            if orient:
                props["orientation"] = orient
            d = self.date(a.i)
            if d:
                props["date"] = d
            conf, note = self.qualify(props, verb_k if verb_k is not None else a.i, 0.55)
            self.emit("Policy", e.id, self.sentence_span(), props, "policy.named", conf, note)
            emitted.add(e.id)
        if known or verb_k is None:
            return
        # a new policy: an adoption verb followed by a policy noun phrase
        for k in range(verb_k + 1, min(sj, verb_k + 9)):
            if lows[k - si] in POLICY_NOUNS:
                start = verb_k + 1
                while start < k and lows[start - si] in {"a", "an", "the", "its", "his", "her", "their", "to", "on",
                                                        "up", "for", "by", "with"}:
                    start += 1
                end = k + 1
                if end < sj and lows[end - si] in {"for", "of", "to"}:
                    end = self._phrase_end(end + 1) if end + 1 < sj else end
                    end = min(end, k + 7)
                label = self.orig(start, end)
                if not label or label.lower() in POLICY_NOUNS:
                    return
                pid = self.ctx.new_id("policy")
                self.ctx.result.entities[pid] = Entity(pid, "Policy", label, False, "policy.noun", 0.45,
                                                       mentions=[self.span(start, end)])
                props = {}
                adopter = self._adopter(verb_k)
                if adopter:
                    props["adoptedBy"] = [adopter]
                props["status"] = status
                orient = _orientation(lows)
                if orient:
                    props["orientation"] = orient
                d = self.date(verb_k)
                if d:
                    props["date"] = d
                conf, note = self.qualify(props, verb_k, 0.45)
                self.emit("Policy", pid, self.sentence_span(), props, "policy.noun", conf, note)
                return

    def _policy_noun_near(self, a: _Ent) -> bool:
        return any(self.low(m) in POLICY_NOUNS for m in range(a.i, min(self.sj, a.j + 1)))

    def _adopter(self, k: int) -> str | None:
        ci, cj = self.clause_bounds(k)
        for a, e in reversed(self.actors(ci, k)):
            if self._is_object_of_prep(a.i) and not self._possessive(a.j):
                continue
            if a.rule == "demonym" and not self._demonym_target(a):
                continue
            return e.id
        return None

    # --- statistics -------------------------------------------------------------------------------

    def statistics(self) -> None:
        toks, si, sj = self.toks, self.si, self.sj
        lows = self.lowers
        if self.is_line and any(w in {"doi", "citation", "isbn"} for w in lows):
            return
        k = si
        while k < sj:
            t = toks[k]
            if not (t.like_num or t.lower_ in MULTIPLIERS or t.lower_ == "half" or t.lower_.endswith("fold")):
                k += 1
                continue
            found = self._number(k)
            if found is None:
                k += 1
                continue
            value, unit, i, j, approx = found
            unit = unit or ("people" if self.low(j) in PEOPLE_NOUNS or self.low(j + 2) in PEOPLE_NOUNS
                            else "count")
            k = j
            measure, about = self._measure(i, j, unit)
            props: dict[str, Any] = {"value": _num(value)}
            props["unit"] = unit
            props["measure"] = measure
            if about:
                props["about"] = about
            d = self.date(i)
            if d:
                props["date"] = d
            conf = 0.7 if unit != "count" else 0.55
            if approx:
                props["hedge"] = approx
            conf, note = self.qualify(props, i, conf)
            if approx and "hedge" in props and props["hedge"] != approx:
                props["hedge"] = approx + "; " + props["hedge"]
            label = f"{self.orig(i, j)} {measure}".strip()
            sid = self.ctx.new_id("stat")
            self.ctx.result.entities[sid] = Entity(sid, "Statistic", label[:120], False, "statistic", conf)
            self.emit("Statistic", sid, self.sentence_span(), props, f"statistic.{unit}", conf, note)

    def _number(self, k: int):
        """A number expression at token ``k``: (value, unit, start, end, approximator) or None."""
        toks, sj = self.toks, self.sj
        t = toks[k]
        low = t.lower_
        text = t.text
        approx = ""
        if k - 1 >= self.si and self.low(k - 1) in APPROXIMATORS:
            approx = self.low(k - 1)
            if approx == "close":
                approx = "close to"
        elif k - 2 >= self.si and self.low(k - 2) == "close" and self.low(k - 1) == "to":
            approx = "close to"
        # multipliers: "twice the", "almost double the", "sevenfold", "ten times"
        if low in MULTIPLIERS or re.match(r"^[a-z]+fold$", low):
            if low in {"double", "twice", "triple"} and self.low(k + 1) not in {"the", "that"}:
                return None
            value = MULTIPLIERS.get(low)
            if value is None:
                value = NUMBER_WORDS.get(low[:-4])
            if value is None:
                return None
            return Decimal(value), "times", k, k + 1, approx
        if low == "half" and self.low(k + 1) == "a" and self.low(k + 2) in SCALES:
            return Decimal(SCALES[self.low(k + 2)]) / 2, self._unit_after(k + 3), k, k + 3, approx
        if not t.like_num or "/" in text or text.endswith("th") or text.endswith("st") or text.endswith("nd"):
            return None
        if text[0].isdigit():
            try:
                value = Decimal(text.replace(",", ""))
            except Exception:
                return None
            nxt, prv = (toks[k + 1] if k + 1 < sj else None), (toks[k - 1] if k > self.si else None)
            if nxt is not None and nxt.text == "-" and k + 2 < sj and toks[k + 2].text[:1].isdigit() and not t.whitespace_:
                return None
            if prv is not None and prv.text in {"-", "[", "/", "#", "No.", "no."} and not prv.whitespace_:
                return None
            if nxt is not None and nxt.text in {"]"}:
                return None
            if "," not in text and "." not in text and len(text) == 4 and YEAR_MIN <= int(value) <= YEAR_MAX:
                nxt_low = nxt.lower_ if nxt is not None else ""
                if nxt_low not in PEOPLE_NOUNS and nxt_low not in UNIT_WORDS:
                    return None
            if self._is_date_number(k):
                return None
            if prv is not None and prv.lower_ in {"page", "p.", "chapter", "section", "article", "no", "number"}:
                return None
        else:
            if low not in NUMBER_WORDS or low in {"hundred", "dozen"}:
                return None
            value = Decimal(NUMBER_WORDS[low])
            if low == "one" and self.low(k + 1) not in {"year", "month", "day", "week", "percent", "million",
                                                         "billion"}:
                return None
            if self.low(k - 1) in {"the", "these", "those", "both", "its", "their", "his", "her", "our", "of"} \
                    and not approx:
                return None
            nxt_low = self.low(k + 1)
            if nxt_low in {"of", "or", "and", "to", "-", ","} and not (nxt_low == "to" and self.low(k + 2) in NUMBER_WORDS):
                return None
        i, j = k, k + 1
        if k - 1 >= self.si and toks[k - 1].text in {"$", "US$", "USD"}:
            i = k - 1
            unit = "USD"
        else:
            unit = ""
        # scale words
        if j < sj and self.low(j) in SCALES:
            value *= SCALES[self.low(j)]
            j += 1
        if not unit:
            unit = self._unit_after(j)
            if unit in {"percent", "times", "years", "months", "days", "weeks", "hours", "miles", "km", "USD",
                        "MXN", "EUR"}:
                if j < sj and self.low(j) == "-":
                    j += 1
                if j < sj and self.low(j) in {"per"} and self.low(j + 1) == "cent":
                    j += 2
                else:
                    j += 1
        if not unit and self.low(j) == "to" and (self.toks[j + 1].like_num if j + 1 < sj else False):
            unit = self._unit_after(j + 2)  # "two to three years": the first takes the second's unit
            if unit:
                return value, unit, i, j, approx
        if not unit:
            unit = self._inherited_unit(k) or ""
        if not unit:
            unit = "people" if self.low(j) in PEOPLE_NOUNS or self.low(j + 1) in PEOPLE_NOUNS else "count"
            if unit == "count" and not text[0].isdigit():
                # spelled-out numbers count something only with a plural noun right after
                nxt = self.low(j)
                if not nxt.endswith("s") or nxt in {"is", "was", "has", "as", "its", "this", "thus"}:
                    return None
        return value, unit, i, j, approx

    def _unit_after(self, j: int) -> str:
        low = self.low(j)
        if low == "-":
            low = self.low(j + 1)
        if low == "per" and self.low(j + 1) == "cent":
            return "percent"
        return UNIT_WORDS.get(low, "")

    def _inherited_unit(self, k: int) -> str:
        """'from 61.6 percent in late May to 63.7': the second number takes the first one's unit."""
        if self.low(k - 1) != "to":
            return ""
        for m in range(k - 2, max(self.si, k - 10), -1):
            if self.low(m) == "from":
                for n2 in range(m + 1, k - 1):
                    u = self._unit_after(n2 + 1) if self.toks[n2].like_num else ""
                    if u:
                        return u
                return ""
        return ""

    def _is_date_number(self, k: int) -> bool:
        prev, nxt = self.low(k - 1), self.low(k + 1)
        if prev in MONTHS and self.toks[k - 1].is_title and len(self.toks[k].text) <= 2:
            return True
        if nxt in MONTHS and self.toks[k + 1].is_title and len(self.toks[k].text) <= 2:
            return True
        if prev == "," and self.low(k - 2).isdigit() and self.low(k - 3) in MONTHS:
            return True
        return False

    def _measure(self, i: int, j: int, unit: str) -> tuple[str, list[str]]:
        """What the number counts: the words after it up to the clause end (or 'the number of X')."""
        toks, sj = self.toks, self.sj
        end = j
        while end < sj and toks[end].text not in {",", ";", ".", ":", "(", ")"} and end - j < 12 \
                and self.low(end) not in {"which", "while", "but", "although", "according", "compared"}:
            end += 1
        words = self.orig(j, end) if end > j else ""
        if not words or words.split()[0] in {"to", "from", "in", "and", "of", "on"} and unit in {"count", "people"}:
            for m in range(i - 1, max(self.si, i - 20), -1):
                if self.low(m) == "number" and self.low(m + 1) == "of":
                    e2 = m + 2
                    while e2 < sj and self.low(e2) not in {"more", "also", "has", "have", "had", "increased",
                                                          "doubled", "rose", "fell", "was", "were", "is", "are",
                                                          ",", "from"} and e2 - m < 12:
                        e2 += 1
                    words = self.orig(m + 2, e2)
                    break
        if not words:
            ci, _ = self.clause_bounds(i)
            before = self.orig(max(ci, i - 8), i)
            words = f"{before} ({unit})" if before else {"percent": "share", "USD": "amount in U.S. dollars"}.get(unit, unit)
        about = []
        ci, cj = self.clause_bounds(i)
        for a, e in self.ents:
            if a.i >= ci and a.j <= cj and e.cls in ACTOR_CLASSES and e.id not in about and a.rule != "demonym":
                about.append(e.id)
        return words, about[:3]


_VERB_BASES = ("shelve", "abandon", "reverse", "retract", "rescind", "scrap", "revoke", "withdr", "drop",
               "desist", "backtrack", "ditch", "discontinue")


def _stem(word: str) -> str:
    """The base of a reversal verb, for rule names: 'dropped' -> 'drop', 'shelved' -> 'shelve'."""
    for base in _VERB_BASES:
        if word.startswith(base[:5]) or word.startswith(base):
            return "withdraw" if base == "withdr" else base
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


# =============================================================================================
# Many files, in parallel, streamed
# =============================================================================================

_WORKER: dict[str, Any] = {}


def _init_worker(gazetteer: Gazetteer, max_bytes: int) -> None:
    _WORKER["extractor"] = Extractor(gazetteer)
    _WORKER["max_bytes"] = max_bytes


def _extract_one(args: tuple[str, str]) -> tuple[str, Any, dict | None, list[tuple[str, str]] | None]:
    """Worker task: read, extract and stage one document; returns (path, stem, counts, staged),
    or (path, (message, file, line), None, None) on an error."""
    path_s, stage_s = args
    path, stage = Path(path_s), Path(stage_s)
    try:
        text = read_input(path, _WORKER["max_bytes"])
        stem = path.stem
        ex = _WORKER["extractor"].process(text, stem)
        body = render_yaml(ex, path.name)
        staged = []
        for name, data in ((f"{stem}.txt", text), (f"{stem}.yaml", body)):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=stage)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(data)
            staged.append((tmp, name))
        return path_s, stem, ex.counts(), staged
    except KGError as exc:
        return path_s, (exc.message, exc.file, exc.line), None, None


@dataclass
class ExtractSummary:
    """What one ``extract_files`` run wrote."""

    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    documents: int = 0

    def render(self) -> str:
        order = ["sentences", "entities", "Pressure", "Agreement", "Policy", "PolicyReversal", "Statistic", "Actor"]
        parts = [f"{k} {self.counts.get(k, 0)}" for k in order]
        lines = [f"documents: {self.documents}", "candidates: " + ", ".join(parts)]
        lines += [f"wrote: {p}" for p in self.files[:20]]
        if len(self.files) > 20:
            lines.append(f"... and {len(self.files) - 20} more files")
        return "\n".join(lines)


def extract_files(paths: Iterable[Path], out_dir: Path, seeds: Path | None = None, jobs: int = 1,
                  max_bytes: int = MAX_BYTES, gazetteer: Gazetteer | None = None) -> ExtractSummary:
    """Extract candidates from every document into ``out_dir`` (``STEM.yaml`` + ``STEM.txt``).

    Documents are processed in parallel across ``jobs`` processes and streamed (each worker
    writes its own files to a staging folder); nothing appears in ``out_dir`` unless every
    document succeeds.
    """
    paths = list(dict.fromkeys(Path(p) for p in paths))
    if not paths:
        raise ExtractError("no documents given")
    stems: dict[str, Path] = {}
    for p in paths:
        if p.stem == "catalogue":
            raise ExtractError("a document may not be called catalogue (its candidate file would be "
                               "mistaken for catalogue.yaml): rename it", str(p))
        if p.stem in stems:
            raise ExtractError(f"two documents would write the same candidate file {p.stem}.yaml "
                               f"({stems[p.stem]} and {p})", str(p))
        stems[p.stem] = p
    if gazetteer is None:
        gazetteer = Gazetteer.from_seeds(seeds)
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExtractError(f"cannot create the output folder: {exc.strerror}", str(out_dir)) from None
    stage = Path(tempfile.mkdtemp(prefix=".kg-extract-", dir=out_dir))
    summary = ExtractSummary()
    staged_all: list[tuple[str, str]] = []
    try:
        tasks = [(str(p), str(stage)) for p in paths]
        for path_s, stem_or_err, counts, staged in _run(tasks, gazetteer, max_bytes, jobs):
            if counts is None:
                message, file, line = stem_or_err
                raise ExtractError(message, file or path_s, line)
            staged_all.extend(staged or [])
            summary.documents += 1
            for k, v in counts.items():
                summary.counts[k] = summary.counts.get(k, 0) + v
        for tmp, name in staged_all:
            target = out_dir / name
            os.replace(tmp, target)
            if name.endswith(".yaml"):
                summary.files.append(target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    shutil.rmtree(stage, ignore_errors=True)
    return summary


def _run(tasks, gazetteer: Gazetteer, max_bytes: int, jobs: int) -> Iterator:
    if jobs <= 1 or len(tasks) == 1:
        _init_worker(gazetteer, max_bytes)
        for task in tasks:
            yield _extract_one(task)
        return
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(gazetteer, max_bytes)) as pool:
        chunk = max(1, min(16, len(tasks) // (jobs * 8) or 1))
        try:
            yield from pool.imap_unordered(_extract_one, tasks, chunksize=chunk)
        except BaseException:
            pool.terminate()
            raise


# =============================================================================================
# Review
# =============================================================================================

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
    from .files import write_atomic
    from .gazetteer import curated_ids

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
