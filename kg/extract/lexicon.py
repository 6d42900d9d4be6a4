"""The general lexicons the rules use (cue words, titles, units, stop words)."""

from __future__ import annotations


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
