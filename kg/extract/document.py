"""The state of one document: its entities, ids, dateline; block by block into sentences."""

from __future__ import annotations

import re
from bisect import bisect_left

from . import confidence as C
from ..gazetteer import fold_chars, fold_name, slugify
from .lexicon import LEX, MONTH_NAMES, PAGE_FURNITURE, CSO_KEYWORDS, GOV_KEYWORDS, IO_KEYWORDS, MONTHS, NOT_NAME_START, PERSON_TITLES, YEAR_MAX, YEAR_MIN
from .model import Entity, _Ent
from .names import NameCues
from .names_more import NameRuns
from .groups import GroupCues
from .rules import _Sentence
from .speakers import quotations
from .tokens import _map

_MONTH = "|".join(MONTH_NAMES)
#: A dateline, "12 June 2019" or "June 12, 2019": its last group is the year
DATELINE = (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+((?:19|20)\d\d)\b"),
            re.compile(rf"\b(?:{_MONTH})\s+\d{{1,2}},\s+((?:19|20)\d\d)\b"))


class _DocContext(NameCues, NameRuns, GroupCues):
    """State kept while walking one document: new names, aliases, dates, sentences."""

    def __init__(self, ex: Extractor, result: Extraction, folded: str):
        self.ex, self.result, self.folded = ex, result, folded
        self.sentences = 0
        self.new_by_key: dict[str, Entity] = {}      # folded name -> new entity
        self.surnames: dict[str, str] = {}           # surname -> person entity id
        self.acronyms: dict[str, str] = {}           # acronym -> entity id
        self.dateline_year: int | None = None
        self.month_years: dict[int, int] = {}
        self.presidents: list[tuple[str, str | None, _Ent]] = []   # (entity key, state id, span)
        self.last_targets: dict[str, list[str]] = {}                 # agent id -> targets of its last pressure
        self.last_agreement: tuple[str, int] | None = None           # (agreement id, sentence number)
        self.last_pressure_on: dict[str, list[tuple[str, str]]] = {}  # target id -> (agent, class) of its pressures
        self.counter: dict[str, int] = {}
        self.stem_slug = slugify(result.stem)
        self.quotes: list[tuple[int, int, Entity | None]] = []     # the block's quotations and speakers
        self.previous_persons: list[Entity] = []                    # the persons the previous sentence names

    # --- dates --------------------------------------------------------------------------------

    def find_dateline(self, blocks: list[tuple[int, int]]) -> None:
        """The document's own date, if the first lines or a citation line state one."""
        head = self.folded[:blocks[min(len(blocks), 6) - 1][1]] if blocks else ""
        m = DATELINE[0].search(head) or DATELINE[1].search(head)
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
                                                             "gazetteer", C.KNOWN_NAME)
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
        if e.known and e.cls == "Person" and len(e.label.split()) >= 2:   # a later "Obama" is Barack Obama
            self.surnames.setdefault(e.label.split()[-1], e.id)
        e.mentions.append((start, end))
        return e

    # --- one block --------------------------------------------------------------------------------

    def block(self, doc, ca, oa, bstart: int, bend: int, index: int = 1) -> None:
        toks = list(doc)
        starts = [_map(ca, oa, t.idx) for t in toks]
        ends = [_map(ca, oa, t.idx + len(t) - 1) + 1 for t in toks]
        is_line = "\n" not in self.folded[bstart:bend]
        ents = self.find_entities(doc, toks, byline=is_line and index > 0)
        # page furniture ("Last modified ...", "Part 2:", "Share this") yields no new actor and no statement
        furniture = [(sent.start, sent.end) for sent in doc.sents if PAGE_FURNITURE.search(sent.text)]
        if furniture:
            ents = [e for e in ents if e.known or e.rule == "name.byline"
                    or not any(a <= e.i < b for a, b in furniture)]
        resolved: list[tuple[_Ent, Entity]] = []
        for ent in ents:
            resolved.append((ent, self.entity_for(ent, starts[ent.i], ends[ent.j - 1])))
        years = [int(t.text) for t in toks if t.text.isdigit() and len(t.text) == 4
                 and YEAR_MIN <= int(t.text) <= YEAR_MAX]
        # the year a month without one belongs to: the same month with a year in this paragraph,
        # else the latest year of the paragraph, else the document's date; never a year of an
        # earlier paragraph ('enacted in 2019' ... 'suspended the program in January' was 2021)
        para_year = max(years) if years else self.dateline_year
        self.month_years = {}
        for k, t in enumerate(toks[:-1]):
            if t.lower_ in MONTHS and t.is_title and toks[k + 1].text.isdigit() and len(toks[k + 1].text) == 4:
                self.month_years.setdefault(MONTHS[t.lower_], int(toks[k + 1].text))
        resolved.sort(key=lambda pair: pair[0].i)
        firsts = [a.i for a, _ in resolved]
        self.quotes = quotations(toks, resolved)
        for sent in doc.sents:
            self.sentences += 1
            lo, hi = bisect_left(firsts, sent.start), bisect_left(firsts, sent.end)
            sent_ents = [(a, e) for a, e in resolved[lo:hi] if a.j <= sent.end]
            if (sent.start, sent.end) in furniture:
                continue
            s = _Sentence(self, toks, starts, ends, sent.start, sent.end, sent_ents, para_year, is_line)
            s.run()
            self.previous_persons = s.persons(sent.start, sent.end)

    # --- entity finding --------------------------------------------------------------------------

    def find_entities(self, doc, toks, byline: bool = False) -> list[_Ent]:
        ex = self.ex
        cands: list[_Ent] = []
        for span in doc.spans.get("gaz", []):
            text = span.text
            if fold_name(text) in ex._gaz_acronyms:
                continue
            if self._inside_name(toks, span.start, span.end) or self._shared_head(toks, span.start, span.end):
                continue
            thing = ex.gaz.things.get(span.id_)
            if thing is None:
                continue
            cands.append(_Ent(span.start, span.end, thing.id, thing.cls, thing.label, True, "gazetteer", C.KNOWN_NAME))
        for span in doc.spans.get("names", []):
            sid, label = span.id_, span.label_
            if self._inside_name(toks, span.start, span.end) and label != "Demonym":
                continue
            if label == "Demonym":
                if span.start > 0 and toks[span.start - 1].text in LEX.region_qualifiers:
                    continue
                nxt = toks[span.end].text if span.end < len(toks) else ""
                if nxt in {"-"}:
                    continue
                if sid.startswith("new:"):
                    _, cls, name = sid.split(":", 2)
                    if fold_name(name) in self.new_by_key:  # only states the text names
                        cands.append(_Ent(span.start, span.end, None, cls, name, False, "demonym", C.DEMONYM_NEW))
                else:
                    thing = ex.gaz.things[sid]
                    cands.append(_Ent(span.start, span.end, sid, thing.cls, thing.label, True, "demonym", C.DEMONYM_KNOWN))
            elif sid.startswith("new:"):
                _, cls, name = sid.split(":", 2)
                rule = "name.country" if cls == "State" else "name.known-body"
                cands.append(_Ent(span.start, span.end, None, cls, name, False, rule, C.KNOWN_BODY))
            else:
                thing = ex.gaz.things.get(sid)
                if thing is not None:
                    cands.append(_Ent(span.start, span.end, sid, thing.cls, thing.label, True, "gazetteer", C.KNOWN_NAME))
        cands.extend(self.propose(toks, cands, byline))
        cands.extend(self.context_groups(toks, cands))
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

    @staticmethod
    def _shared_head(toks, i: int, j: int) -> bool:
        """True when a name's common-noun head is shared by a coordination before it: in 'the US
        and Mexican governments' the alias 'Mexican governments' names only a part."""
        return j - i >= 2 and toks[j - 1].is_lower and toks[i].is_title and i >= 2 \
            and toks[i - 1].lower_ in LEX.coordinators and (toks[i - 2].is_title or toks[i - 2].is_upper)

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
