"""The general lexicons the rules use (cue words, titles, units, stop words), loaded from
``data/lexicon.yaml``, where every entry names the general source it comes from (a WordNet 3.0
sense, a PLOVER event type, a CAMEO code, a closed class of English).

Verbs and nouns are stored as lemmas and matched in every inflection: :func:`forms` adds them
with lemminflect, whose tables ship inside the package (nothing is downloaded). The names below
are the sets and maps several rule modules import; each is built once, at import. A set only one
rule needs is read by its lexicon's name from :data:`LEX` (``LEX.participle_openers``), and a
lexicon of multi-word entries with :func:`phrases`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

DATA = Path(__file__).resolve().parent / "data" / "lexicon.yaml"

#: Years a four-digit number may be read as (outside: a count).
YEAR_MIN, YEAR_MAX = 1800, 2100


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The lexicon file, parsed once."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(DATA, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


_UPOS = {"verb": "VERB", "noun": "NOUN"}


def forms(lemma: str, inflect: str) -> set[str]:
    """``lemma`` and, for a verb or a noun, all its inflections (lemminflect's tables, or its
    rules for a word the tables do not hold): ``threaten`` -> threatens, threatened, threatening."""
    out = {lemma}
    upos = _UPOS.get(inflect)
    if upos is None:
        return out
    import lemminflect

    infl = lemminflect.getAllInflections(lemma, upos=upos) or lemminflect.getAllInflectionsOOV(lemma, upos=upos)
    for values in infl.values():
        out.update(values)
    return out


def entries(name: str) -> dict[str, Any]:
    """The entries of one lexicon as a mapping (a list of entries maps each to its lexicon's source)."""
    lex = load()[name]
    ents = lex["entries"]
    if isinstance(ents, list):
        return {e: lex["source"] for e in ents}
    return dict(ents)


def words(name: str) -> frozenset[str]:
    """Every form of every entry of one lexicon (lower-case unless the lexicon is ``case: exact``)."""
    lex = load()[name]
    exact = lex.get("case") == "exact"
    out: set[str] = set()
    for entry in entries(name):
        for f in forms(str(entry), lex.get("inflect", "none")):
            out.add(f if exact else f.lower())
    return frozenset(out)


def phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """The entries of a lexicon of multi-word entries, each as its words, in the file's order:
    ``in response to`` -> ('in', 'response', 'to')."""
    return tuple(tuple(str(e).split()) for e in entries(name))


class _Lexicons:
    """Every lexicon by name, as :func:`words` gives it, read on first use: ``LEX.articles``. The
    rule modules take the sets only one of them needs from here; a name no lexicon has is an error."""

    def __getattr__(self, name: str) -> frozenset[str]:
        if name.startswith("__") or name not in load():
            raise AttributeError(f"{DATA.name} has no lexicon {name!r}")
        value = words(name)
        setattr(self, name, value)
        return value


LEX = _Lexicons()


def _by_form(name: str, value: Callable[[str, Any], Any]) -> dict[str, Any]:
    lex = load()[name]
    out: dict[str, Any] = {}
    for entry, spec in entries(name).items():
        for f in sorted(forms(str(entry), lex.get("inflect", "none"))):
            out.setdefault(f.lower(), value(entry, spec))
    return out


def _pressure_triggers() -> dict[str, tuple[str, str, str]]:
    """Lower-case form -> (PLOVER type, CAMEO code, part of speech); a verb reading wins."""
    out: dict[str, tuple[str, str, str]] = {}
    names = [n for n in load() if n.startswith("pressure_")]
    for name in sorted(names, key=lambda n: not n.endswith("_verbs")):
        lex = load()[name]
        pos = lex["inflect"]
        for f in words(name):
            out.setdefault(f, (lex["plover"], str(lex["cameo"]), pos))
    return out


def check_senses(synset: Callable[[str], dict]) -> list[str]:
    """Problems with the WordNet senses the entries cite: a sense that does not exist, or one whose
    words do not include the entry (composed sources, 'X + Y', are checked for existence only)."""
    problems = []
    for name, lex in load().items():
        if name in ("removed", "instrument_cues", "cameo_codes"):
            continue
        for entry, spec in entries(name).items():
            text = spec if isinstance(spec, str) else (spec or {}).get("source", "") if isinstance(spec, dict) else ""
            for m in re.finditer(r"WordNet 3\.0 ([\w'-]+\.[nvasr]\.\d\d)", str(text)):
                try:
                    s = synset(m.group(1))
                except (KeyError, IndexError):
                    problems.append(f"{name}: {entry}: no sense {m.group(1)}")
                    continue
                if s["name"] != m.group(1):
                    problems.append(f"{name}: {entry}: {m.group(1)} is named {s['name']}")
                composed = "+" in text or "(" in text or " of " in text.split(":")[0]
                key = str(entry).lower().rstrip(".").replace(" ", "_")
                if not composed and not any(key == w or key.rstrip("s") == w or key.replace("-", "_") == w
                                            or key.replace("-", "") == w for w in s["words"]):
                    lemmas = forms(key, "noun") | forms(key, "verb")
                    if not any(w in s["words"] for w in lemmas):
                        from lemminflect import getAllLemmas
                        base = {v for vs in getAllLemmas(key).values() for v in vs}
                        if not base & set(s["words"]):
                            problems.append(f"{name}: {entry}: {m.group(1)} has {s['words']}")
    return problems


# --- the sets and maps the rules use --------------------------------------------------------------

MONTHS: dict[str, int] = {k.lower(): int(v) for k, v in entries("months").items()}
#: The full name of each month, January to December (the longest entry of each number).
MONTH_NAMES: list[str] = [max((k for k, v in MONTHS.items() if v == n), key=len).capitalize() for n in range(1, 13)]
RELATIVE_YEARS: dict[str, int] = {k: int(v) for k, v in entries("relative_years").items()}
NUMBER_WORDS: dict[str, int] = {k: int(v) for k, v in entries("number_words").items()}
SCALES: dict[str, int] = {k: int(v) for k, v in entries("scales").items()}
MULTIPLIERS: dict[str, int] = {k: int(v) for k, v in entries("multipliers").items()}
UNIT_WORDS: dict[str, str] = dict(entries("unit_words"))
PEOPLE_NOUNS = words("people_nouns")

PERSON_TITLES = words("person_titles")
LOWER_TITLES = words("lower_titles")
SPEECH_VERBS = words("speech_verbs")
ADDRESSEE_VERBS = words("addressee_verbs")
RESEARCH_VERBS = words("research_verbs")
BY_NOUNS = words("by_nouns")
PERSON_EVENTS = words("person_events")
ORG_APPOSITION: dict[str, str] = {w: load()["org_apposition"]["classes"][w] for w in entries("org_apposition")}
GOV_KEYWORDS = words("gov_keywords")
CSO_KEYWORDS = words("cso_keywords")
IO_KEYWORDS = words("io_keywords")
NATIONAL_PREFIXES = words("national_prefixes")
NAME_CONNECTORS = words("name_connectors")
NOT_NAME_START = words("not_name_start")

KNOWN_BODIES: dict[str, list[str]] = {}
for _name, _spec in entries("known_bodies").items():
    KNOWN_BODIES.setdefault(_spec["class"], []).append(_name)

GROUP_HEADS: dict[str, str] = {w: load()["group_heads"]["classes"][w] for w in entries("group_heads")}
BARE_GROUP_HEADS = words("bare_group_heads")
GROUP_MODIFIERS = words("group_modifiers")
CRIME_MODIFIERS = words("crime_modifiers")
CSO_MODIFIERS = words("cso_modifiers")
GOV_GROUP_MODIFIERS = words("gov_group_modifiers")

PRESSURE_TRIGGERS = _pressure_triggers()
NOUN_PRESSURES = words("noun_pressures")
RETALIATION = words("retaliation")
SANCTION_VERBS = words("sanction_verbs")
SANCTION_OBJECTS = words("sanction_objects")
AGREEMENT_VERBS = words("agreement_verbs")
AGREEMENT_NOUNS = words("agreement_nouns")
COMMIT_VERBS = words("commit_verbs")

REVERSAL_VERBS = words("reversal_verbs") | words("reversal_nouns")
REVERSAL_NEEDS_OBJECT = words("reversal_needs_object")
WITHDRAWAL_VERBS = words("withdrawal_verbs")
#: (first word form, particle) of a phrasal reversal: ("backed", "off")
PHRASAL_REVERSALS: set[tuple[str, str]] = {(f, entry.split()[1]) for entry in entries("phrasal_reversals")
                                           for f in forms(entry.split()[0], "verb")}
POLICY_OBJECTS = words("policy_objects")
CHANGE_ADJECTIVES = words("change_adjectives")
APPROACH_NOUNS = words("approach_nouns")
EARLIER_CUES = words("earlier_cues")

POLICY_NOUNS = words("policy_nouns")
POLICY_VERBS: dict[str, str] = _by_form("policy_verbs", lambda _e, spec: spec["status"])
INTENTION_NOUNS: dict[str, str] = _by_form("intention_nouns", lambda _e, spec: spec["status"])
ENFORCEMENT_WORDS = words("enforcement_words")
PROTECTION_WORDS = words("protection_words")
DEVELOPMENT_WORDS = words("development_words")

HEDGE_MODALS = words("hedge_modals")
HEDGE_WORDS = words("hedge_words")
HEDGE_PHRASES: list[tuple[str, ...]] = list(phrases("hedge_phrases"))
APPROXIMATORS = words("approximators")
CLAUSE_BREAKS = words("clause_breaks")
SUBORDINATORS = words("subordinators")
CONDITIONALS = words("conditionals")

PAGE_FURNITURE = re.compile("|".join(f"(?:{p})" for p in entries("page_furniture")), re.IGNORECASE)

INSTRUMENT_CUES: list[tuple[set[str], set[str] | None, str]] = [
    (set(c["words"]), set(c["types"]) if c.get("types") else None, c["instrument"])
    for c in load()["instrument_cues"]["entries"]]
TYPE_INSTRUMENTS: dict[str, str] = dict(entries("type_instruments"))
CAMEO: dict[tuple[str, str | None], str] = {(c["type"], c["instrument"]): str(c["code"])
                                            for c in load()["cameo_codes"]["entries"]}
