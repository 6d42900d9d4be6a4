"""New actors, part three: groups told by their context rather than by a modifier list.

* a population group after a noun of mass movement (``the illegal flow of migrants``, ``a record
  influx of Central American teenagers``, ``the flow of drugs and immigrants``): the group is what
  moves, so it is acted on even without a modifier;
* a government body named by a state's demonym or abbreviation and a national body head
  (``Mexican security forces``, ``U.S. authorities``, ``the Mexican delegation``);
* a group of experts that speaks (``analysts said``, ``Top advisors insisted``);
* a hyphenated group modifier (``would-be migrants``);
* a new name followed by a known acronym in brackets (``Department of Homeland Security (DHS)``)
  is that known thing.

Every cue word is a lexicon of ``data/lexicon.yaml`` (``flow_nouns``, ``national_body_heads``,
``body_head_modifiers``, ``speaking_group_heads``, ``rank_modifiers``, ``adverb_suffix``)."""

from __future__ import annotations

from . import confidence as C
from ..gazetteer import COUNTRIES
from .lexicon import LEX, GROUP_HEADS, GROUP_MODIFIERS, NOT_NAME_START, ORG_APPOSITION, PERSON_TITLES, SPEECH_VERBS, entries, load
from .model import _Ent
from .names import _join

#: national body head -> class ("forces" -> GovernmentBody)
NATIONAL_BODY_HEADS: dict[str, str] = {w: load()["national_body_heads"]["classes"][w]
                                       for w in entries("national_body_heads")}
DEMONYMS = frozenset(COUNTRIES.values())
#: the rules of the gazetteer's well-known bodies (news outlets among them)
KNOWN_BODY_RULES = frozenset({"name.known-body"})


def _head(tok) -> str:
    """A group head's lower-case form, without a dash glued to it ('migrants-')."""
    return tok.lower_.rstrip("-")


def _is_adverb(tok) -> bool:
    return tok.is_alpha and tok.is_lower and any(tok.lower_.endswith(s) for s in LEX.adverb_suffix) \
        and tok.lower_ not in GROUP_HEADS


def _national(toks, m: int) -> bool:
    """A state's demonym or abbreviation at ``m`` ('Mexican', 'U.S.')."""
    return 0 <= m < len(toks) and (toks[m].text in DEMONYMS or toks[m].text in LEX.group_place_modifiers)


class GroupCues:
    """Groups and bodies from their context; a new name that is a known acronym's expansion."""

    def context_groups(self, toks, cands: list[_Ent]) -> list[_Ent]:
        known_at = {k for c in cands if c.known for k in range(c.i, c.j)}
        out: list[_Ent] = []
        for ent in (self._flow_groups(toks) + self._national_bodies(toks) + self._speaking_groups(toks)
                    + self._hyphen_groups(toks) + self._named_appositions(toks) + self._byline_names(toks, cands)):
            if not all(k in known_at for k in range(ent.i, ent.j)):
                out.append(ent)
        self._known_acronym_expansions(toks, cands)
        return out

    @staticmethod
    def _modifiers(toks, m: int) -> int:
        """The first token after the group modifiers, demonyms and regions starting at ``m``."""
        n = len(toks)
        while m < n - 1:
            t = toks[m]
            if t.lower_ in GROUP_MODIFIERS or t.text in DEMONYMS or t.text in LEX.group_place_modifiers:
                m += 1
            elif t.text in LEX.region_qualifiers and toks[m + 1].text in DEMONYMS | {"American"}:
                m += 2
            else:
                break
        return m

    def _flow_groups(self, toks) -> list[_Ent]:
        out = []
        n = len(toks)
        for k in range(n - 2):
            if toks[k].lower_ not in LEX.flow_nouns or toks[k + 1].lower_ != "of":
                continue
            m = k + 2
            while m < n and _is_adverb(toks[m]):
                m += 1
            # "the flow of drugs and immigrants": the group is the second conjunct
            if m + 2 < n and toks[m].is_alpha and toks[m].is_lower and _head(toks[m]) not in GROUP_HEADS \
                    and toks[m + 1].lower_ in LEX.coordinators:
                m += 2
            start = m
            m = self._modifiers(toks, m)
            if m < n and GROUP_HEADS.get(_head(toks[m])) == "PopulationGroup":
                label = _join(toks, start, m + 1).rstrip("-")
                out.append(_Ent(start, m + 1, None, "PopulationGroup", label, False, "name.group-flow", C.GROUP_FLOW))
        return out

    @staticmethod
    def _national_bodies(toks) -> list[_Ent]:
        out = []
        for k, t in enumerate(toks):
            cls = NATIONAL_BODY_HEADS.get(t.lower_)
            if cls is None:
                continue
            m = k - 1
            while m >= 0 and toks[m].lower_ in LEX.body_head_modifiers:
                m -= 1
            if not _national(toks, m) or (t.lower_ in LEX.modified_body_heads and m == k - 1):
                continue
            out.append(_Ent(m, k + 1, None, cls, _join(toks, m, k + 1), False, "name.national-body", C.NATIONAL_BODY))
        return out

    @staticmethod
    def _speaking_groups(toks) -> list[_Ent]:
        out = []
        n = len(toks)
        for k in range(n - 1):
            if toks[k].lower_ not in LEX.speaking_group_heads or toks[k + 1].lower_ not in SPEECH_VERBS:
                continue
            i = k
            while i > 0 and (toks[i - 1].lower_ in LEX.rank_modifiers or _national(toks, i - 1)):
                i -= 1
            out.append(_Ent(i, k + 1, None, "PopulationGroup", _join(toks, i, k + 1), False, "name.speaking-group", C.SPEAKING_GROUP))
        return out

    @staticmethod
    def _hyphen_groups(toks) -> list[_Ent]:
        out = []
        for k in range(1, len(toks) - 2):
            if toks[k].text != "-" or toks[k - 1].whitespace_ or toks[k].whitespace_:
                continue
            compound = f"{toks[k - 1].lower_}-{toks[k + 1].lower_}"
            if compound in GROUP_MODIFIERS and GROUP_HEADS.get(_head(toks[k + 2])) == "PopulationGroup":
                out.append(_Ent(k - 1, k + 3, None, "PopulationGroup", _join(toks, k - 1, k + 3).rstrip("-"),
                                False, "name.group", C.GROUP))
        return out

    @staticmethod
    def _named_appositions(toks) -> list[_Ent]:
        """'his political party, Morena,': a one-word name in apposition to an organisation noun."""
        out = []
        for k in range(2, len(toks) - 1):
            t = toks[k]
            cls = ORG_APPOSITION.get(toks[k - 2].lower_)
            if cls and toks[k - 1].text == "," and t.is_title and t.is_alpha and len(t.text) > 2 \
                    and t.text not in NOT_NAME_START and toks[k + 1].is_punct and not toks[k + 1].text == "-":
                out.append(_Ent(k, k + 1, None, cls, t.text, False, "name.apposition", C.NAME_APPOSITION))
        return out

    @staticmethod
    def _byline_names(toks, cands: list[_Ent]) -> list[_Ent]:
        """A byline of several authors ('By Jane Roe and John Doe Los Angeles Times', markup left
        between them): each run of two or three capitalised words before a known news body."""
        if not toks or toks[0].text not in LEX.byline_openers or len(toks) > 20:
            return []
        bodies = sorted(c.i for c in cands if c.rule in KNOWN_BODY_RULES)
        out, k, n = [], 1, len(toks)
        while k < n:
            j = k
            while j < n and toks[j].is_title and toks[j].is_alpha and j not in bodies:
                j += 1
            if 2 <= j - k <= 3 and not any(toks[m].text in NOT_NAME_START for m in range(k, j)):
                out.append(_Ent(k, j, None, "Person", _join(toks, k, j), False, "name.byline", C.NAME_BYLINE))
            if j < n and j in bodies:
                break
            k = max(j, k + 1)
        if out:   # the authors' names, not an organisation spanning a name and the news body
            cands[:] = [c for c in cands if c.known or c.rule in KNOWN_BODY_RULES
                        or not any(o.i <= c.i < o.j for o in out)]
        return out

    @staticmethod
    def title_cut(toks, k: int, m: int) -> int:
        """Where a run is cut before the title at ``m``: at a demonym right after a coordinator that
        leads the title ('Kevin McAleenan and Guatemalan Interior Minister Enrique ...' is cut after
        'and'), else at the title."""
        c = m - 1
        while c > k and toks[c].is_title and toks[c].text not in DEMONYMS:
            c -= 1
        if c > k + 1 and toks[c].text in DEMONYMS and toks[c - 1].lower_ in LEX.coordinators:
            return c
        return m

    @staticmethod
    def title_lead(toks, a: int, b: int) -> bool:
        """Is the run segment [a, b) the demonym and words that lead a title ('Guatemalan Interior')?"""
        return toks[a].text in DEMONYMS and a > 0 and toks[a - 1].lower_ in LEX.coordinators \
            and b < len(toks) and toks[b].text in PERSON_TITLES

    def _known_acronym_expansions(self, toks, cands: list[_Ent]) -> None:
        """'Name (ACR)' where ACR is a known thing's acronym: the new Name is that thing."""
        known_by_span = {(c.i, c.j): c for c in cands if c.known and c.id}
        for c in cands:
            if c.known or c.j + 2 >= len(toks) or toks[c.j].text != "(" or toks[c.j + 2].text != ")":
                continue
            k = known_by_span.get((c.j + 1, c.j + 2))
            if k is not None and k.cls == c.cls and toks[c.j + 1].is_upper:
                c.id, c.label, c.known, c.rule = k.id, k.label, True, "name.known-acronym"
