"""Gazetteer: the names of known things (labels and altLabels of the curated YAML), and general
name lists (countries and their demonyms), for matching names in new text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .corpus import CATALOGUE_FILE, find_documents, read_yaml
from .schema import REF_KEYS
from .vocab import ACTOR_CLASSES

# --- one-to-one character folding ------------------------------------------------------------
# Every character maps to exactly one character, so offsets in the folded text are offsets in the
# original: accents are stripped, curly quotes and dashes straightened, line breaks become "\n" and
# every other whitespace a space. Case is kept (matching lower-cases through spaCy's LOWER attribute).

_SPECIAL = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2032": "'",
            "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u00ad": "-",
            "\u00a0": " ", "\u00ab": '"', "\u00bb": '"'}


class _FoldTable(dict):
    """A ``str.translate`` table computed lazily for the characters actually seen."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _SPECIAL:
            out = _SPECIAL[ch]
        elif ch in "\n\r\v\f\u2028\u2029\x85":
            out = "\n"
        elif ch.isspace():
            out = " "
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out = base if len(base) == 1 else ch
        self[code] = out
        return out


_TABLE = _FoldTable()


def fold_chars(text: str) -> str:
    """Fold ``text`` one character for one: same length, same offsets.

    >>> fold_chars("López’s — plan")
    "Lopez's - plan"
    >>> len(fold_chars("a\\u00a0b\\r\\nc")) == len("a\\u00a0b\\r\\nc")
    True
    """
    return text.translate(_TABLE)


def fold_name(text: str) -> str:
    """The key a name is compared by: folded, lower-case, single-spaced, no leading article.

    >>> fold_name("the  López Obrador administration")
    'lopez obrador administration'
    """
    words = fold_chars(text).lower().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slugify(text: str) -> str:
    """A lower-case slug for an id.

    >>> slugify("Olga Sánchez Cordero")
    'olga-sanchez-cordero'
    """
    s = re.sub(r"[^a-z0-9]+", "-", fold_chars(text).lower()).strip("-")
    return s or "x"


def is_acronym(name: str) -> bool:
    """Short all-capital names (US, UN, INM, AMLO) are matched case-sensitively."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in name


# --- general name lists -------------------------------------------------------------------------
# Sovereign states (and a few widely used short forms) with their demonyms. General knowledge,
# not derived from the curated documents.
COUNTRIES: dict[str, str] = {
    "Afghanistan": "Afghan", "Albania": "Albanian", "Algeria": "Algerian", "Angola": "Angolan",
    "Argentina": "Argentine", "Armenia": "Armenian", "Australia": "Australian", "Austria": "Austrian",
    "Bahamas": "Bahamian", "Bangladesh": "Bangladeshi", "Belarus": "Belarusian", "Belgium": "Belgian",
    "Belize": "Belizean", "Bolivia": "Bolivian", "Bosnia and Herzegovina": "Bosnian", "Brazil": "Brazilian",
    "Bulgaria": "Bulgarian", "Cambodia": "Cambodian", "Cameroon": "Cameroonian", "Canada": "Canadian",
    "Chile": "Chilean", "China": "Chinese", "Colombia": "Colombian", "Costa Rica": "Costa Rican",
    "Croatia": "Croatian", "Cuba": "Cuban", "Cyprus": "Cypriot", "Czech Republic": "Czech",
    "Denmark": "Danish", "Dominican Republic": "Dominican", "Ecuador": "Ecuadorian", "Egypt": "Egyptian",
    "El Salvador": "Salvadoran", "Eritrea": "Eritrean", "Estonia": "Estonian", "Ethiopia": "Ethiopian",
    "Finland": "Finnish", "France": "French", "Germany": "German", "Ghana": "Ghanaian", "Greece": "Greek",
    "Guatemala": "Guatemalan", "Guinea": "Guinean", "Guyana": "Guyanese", "Haiti": "Haitian",
    "Honduras": "Honduran", "Hungary": "Hungarian", "Iceland": "Icelandic", "India": "Indian",
    "Indonesia": "Indonesian", "Iran": "Iranian", "Iraq": "Iraqi", "Ireland": "Irish", "Israel": "Israeli",
    "Italy": "Italian", "Jamaica": "Jamaican", "Japan": "Japanese", "Jordan": "Jordanian",
    "Kazakhstan": "Kazakh", "Kenya": "Kenyan", "Lebanon": "Lebanese", "Libya": "Libyan",
    "Lithuania": "Lithuanian", "Malaysia": "Malaysian", "Mali": "Malian", "Mexico": "Mexican",
    "Morocco": "Moroccan", "Netherlands": "Dutch", "New Zealand": "New Zealander",
    "Nicaragua": "Nicaraguan", "Niger": "Nigerien", "Nigeria": "Nigerian", "North Korea": "North Korean",
    "Norway": "Norwegian", "Pakistan": "Pakistani", "Panama": "Panamanian", "Paraguay": "Paraguayan",
    "Peru": "Peruvian", "Philippines": "Filipino", "Poland": "Polish", "Portugal": "Portuguese",
    "Qatar": "Qatari", "Romania": "Romanian", "Russia": "Russian", "Rwanda": "Rwandan",
    "Saudi Arabia": "Saudi", "Senegal": "Senegalese", "Serbia": "Serbian", "Singapore": "Singaporean",
    "Somalia": "Somali", "South Africa": "South African", "South Korea": "South Korean",
    "South Sudan": "South Sudanese", "Spain": "Spanish", "Sri Lanka": "Sri Lankan", "Sudan": "Sudanese",
    "Sweden": "Swedish", "Switzerland": "Swiss", "Syria": "Syrian", "Thailand": "Thai",
    "Tunisia": "Tunisian", "Turkey": "Turkish", "Uganda": "Ugandan", "Ukraine": "Ukrainian",
    "United Kingdom": "British", "United States": "American", "Uruguay": "Uruguayan",
    "Venezuela": "Venezuelan", "Vietnam": "Vietnamese", "Yemen": "Yemeni", "Zimbabwe": "Zimbabwean",
}


# --- known things ---------------------------------------------------------------------------------

@dataclass
class KnownThing:
    """A curated thing and every name it goes by."""

    id: str
    cls: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)   # stems of the documents whose YAML uses it

    @property
    def names(self) -> list[str]:
        return [self.label, *self.alt_labels]

    @property
    def is_actor(self) -> bool:
        return self.cls in ACTOR_CLASSES


@dataclass
class Gazetteer:
    """Known things by id, and the names to look for (name -> thing id)."""

    things: dict[str, KnownThing] = field(default_factory=dict)

    def names(self) -> Iterable[tuple[str, KnownThing]]:
        """Every (name, thing) pair, labels first."""
        for thing in self.things.values():
            seen = set()
            for name in thing.names:
                key = fold_name(name)
                if key and key not in seen:
                    seen.add(key)
                    yield name, thing

    def __len__(self) -> int:
        return len(self.things)

    @classmethod
    def from_seeds(cls, seeds: Path | None, holdout: str | None = None) -> "Gazetteer":
        """Read the things of ``seeds`` (catalogue and document files).

        With ``holdout`` (a document stem) the gazetteer is what the curators would have known
        without that document: things only used by it are left out (a thing is kept if another document's YAML declares, mentions
        or refers to it), and an altLabel is kept only if it occurs in another document's text.
        Duplicate declarations are merged (their names united).
        """
        gaz = cls()
        if seeds is None or not Path(seeds).is_dir():
            return gaz
        seeds = Path(seeds)
        cat = seeds / CATALOGUE_FILE
        if cat.exists():
            gaz._add_things(_load(cat).get("things"), None)
        texts: dict[str, str] = {}
        uses: dict[str, set[str]] = {}
        for txt in find_documents(seeds):
            stem = txt.stem
            yml = txt.with_suffix(".yaml")
            if yml.exists():
                data = _load(yml)
                gaz._add_things(data.get("things"), stem)
                for tid in _referenced_ids(data):
                    uses.setdefault(tid, set()).add(stem)
            if holdout is not None and stem != holdout:
                texts[stem] = " ".join(fold_chars(txt.read_text(encoding="utf-8")).lower().split())
        for tid, stems in uses.items():
            if tid in gaz.things:
                gaz.things[tid].sources |= stems
        if holdout is None:
            return gaz
        kept: dict[str, KnownThing] = {}
        for tid, thing in gaz.things.items():
            if not (thing.sources - {holdout}):
                continue
            thing.alt_labels = [a for a in thing.alt_labels if _attested(a, texts)]
            kept[tid] = thing
        gaz.things = kept
        return gaz

    def _add_things(self, entries, stem: str | None) -> None:
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            tid, tcls, label = entry.get("id"), entry.get("class"), entry.get("label")
            if not isinstance(tid, str) or not isinstance(label, str) or not isinstance(tcls, str):
                continue
            alts = [a for a in (entry.get("altLabels") or []) if isinstance(a, str) and a.strip()]
            if tid in self.things:
                thing = self.things[tid]
                for name in [label, *alts]:
                    if name not in thing.names:
                        thing.alt_labels.append(name)
            else:
                self.things[tid] = KnownThing(tid, tcls, label.strip(), [a.strip() for a in alts])
            if stem is not None:
                self.things[tid].sources.add(stem)


def _load(path: Path) -> dict:
    """A curation file, read as the build reads it (libyaml where PyYAML has it)."""
    return read_yaml(path)


def _attested(name: str, texts: dict[str, str]) -> bool:
    key = " ".join(fold_chars(name).lower().split())
    pattern = re.compile(r"(?<![\w])" + re.escape(key) + r"(?![\w])")
    return any(pattern.search(t) for t in texts.values())


def _referenced_ids(data: dict) -> set[str]:
    """Every id a curation file mentions, states something about, or refers to."""
    ids: set[str] = set()
    for item in (data.get("mentions") or []) + (data.get("statements") or []):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("id"), str):
            ids.add(item["id"])
        for key in REF_KEYS:
            value = item.get(key)
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str):
                    ids.add(v)
    meta = data.get("document") or {}
    if isinstance(meta, dict):
        for key in ("creator", "publisher"):
            for item in meta.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    ids.add(item["id"])
    return ids


def curated_ids(data: dict) -> set[str]:
    """Public form of the id scan, used by the evaluation."""
    return _referenced_ids(data)
