"""New actors from general cues: titles, speech verbs, appositions, organisation words, groups."""

from __future__ import annotations

import re

from . import confidence as C
from ..gazetteer import COUNTRIES
from .lexicon import LEX, ADDRESSEE_VERBS, NAME_CONNECTORS, BY_NOUNS, CSO_KEYWORDS, GOV_KEYWORDS, IO_KEYWORDS, LOWER_TITLES, NATIONAL_PREFIXES, NOT_NAME_START, ORG_APPOSITION, PERSON_EVENTS, PERSON_TITLES, RESEARCH_VERBS, SPEECH_VERBS
from .model import _Ent

#: A word in the three before an employer opener that makes the name an employer ("a fellow at X")
EMPLOYMENT_CUES = re.compile(r"\b(" + "|".join(sorted(map(re.escape, LEX.employment_cues))) + r")\b")


class NameCues:
    """Proposing new actors (persons, bodies, administrations, groups) in a run of tokens."""

    def propose(self, toks, known: list[_Ent], byline: bool = False) -> list[_Ent]:
        out: list[_Ent] = []
        n = len(toks)
        known_at = {}
        for c in known:
            for k in range(c.i, c.j):
                known_at[k] = c
        runs = self._name_runs(toks)
        first = 1 if n > 1 and toks[0].text in LEX.byline_openers else 0
        if byline and len(runs) == 1 and runs[0] == (first, n) and 2 <= n - first <= 3 and not known_at \
                and all(t.is_title and t.is_alpha and t.text not in NOT_NAME_START for t in toks[first:]) \
                and not any(t.text in GOV_KEYWORDS | CSO_KEYWORDS | IO_KEYWORDS for t in toks[first:]):
            # a line holding only a name (a byline)
            return [_Ent(first, n, None, "Person", _join(toks, first, n), False, "name.byline", C.NAME_BYLINE)]
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
            while i < j - 1 and toks[i].lower_ in LEX.run_leading_words:   # "[Secretary] of the Department of X"
                i += 1
                words = words[1:]
                label = _join(toks, i, j)
            cls = _org_class(words)
            if cls:
                out.append(_Ent(i, j, None, cls, label, False, "name.organisation", C.NAME_ORGANISATION))
                continue
            # person cues
            role = _title_of_body(toks, i) if 2 <= len(words) <= 4 and not any(
                w.lower() in NAME_CONNECTORS for w in words) else None
            if role is not None:  # "acting Secretary of the Department of X (DX) First Last"
                start, role_text = role
                out.append(_Ent(i, j, None, "Person", label, False, "name.title", C.NAME_TITLE,
                                (f"{role_text} {label}",), title_start=start))
                continue
            title, title_at = _title_before(toks, i, known_at)
            if title and len(words) == 1 and words[0] in self.surnames:
                e = self.result.entities.get(self.surnames[words[0]])
                if e is not None:  # "Ms. Fedirka" after "Allison Fedirka"
                    out.append(_Ent(i, j, None, "Person", e.label, False, "name.surname", C.NAME_SURNAME))
                    continue
            if title:
                if len(words) <= 4 and not any(w in GOV_KEYWORDS | CSO_KEYWORDS for w in words):
                    out.append(_Ent(i, j, None, "Person", label, False, "name.title", C.NAME_TITLE,
                                    (f"{title} {label}",), title_start=title_at))
                continue
            if before == "," and after == "," and 2 <= len(words) <= 4 and _role_before_comma(toks, i - 1):
                out.append(_Ent(i, j, None, "Person", label, False, "name.appositive-role", C.NAME_APPOSITIVE_ROLE))
                continue
            if after == "," and 2 <= len(words) <= 4 and self._appositive_role(toks, j + 1):
                out.append(_Ent(i, j, None, "Person", label, False, "name.appositive-role", C.NAME_APPOSITIVE_ROLE))
                continue
            if after in SPEECH_VERBS and 2 <= len(words) <= 4:
                out.append(_Ent(i, j, None, "Person", label, False, "name.speaker", C.NAME_SPEAKER))
                continue
            if before.lower() in SPEECH_VERBS and before.lower() not in ADDRESSEE_VERBS and 2 <= len(words) <= 4 \
                    and toks[i - 1].i > 0:
                out.append(_Ent(i, j, None, "Person", label, False, "name.speaker", C.NAME_SPEAKER))
                continue
            if before == "by" and 2 <= len(words) <= 4 and (before2.lower() in BY_NOUNS):
                out.append(_Ent(i, j, None, "Person", label, False, "name.author", C.NAME_AUTHOR))
                continue
            if (before in {"/"} or after == "/") and self._credit_line(toks):
                if after == "/" and 2 <= len(words) <= 4:
                    out.append(_Ent(i, j, None, "Person", label, False, "name.credit", C.NAME_CREDIT))
                elif before == "/":
                    out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.credit", C.NAME_CREDIT))
                continue
            if after in RESEARCH_VERBS or (after == "and" and j + 2 < n and toks[j + 2].lower_ in RESEARCH_VERBS
                                           and toks[j + 1].is_title):
                # a finite verb has something after it: "Border report" (a headline) names no researcher
                verb_at = j if after in RESEARCH_VERBS else j + 2
                if len(words) <= 3 and not _is_place_like(words) and verb_at + 1 < n \
                        and toks[verb_at + 1].is_alpha:
                    out.append(_Ent(i, j, None, "Person", label, False, "name.researcher", C.NAME_RESEARCHER))
                continue
            if before == "and" and i > 1 and toks[i - 2].is_title and after in RESEARCH_VERBS | SPEECH_VERBS:
                out.append(_Ent(i, j, None, "Person", label, False, "name.researcher", C.NAME_RESEARCHER))
                continue
            if before.lower() in LEX.employer_openers and EMPLOYMENT_CUES.search(
                    " ".join(t.lower_ for t in toks[max(0, i - 3):i])):
                out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.employer", C.NAME_EMPLOYER))
                continue
            if after in {"'s", "'"} and j + 1 < n and toks[j + 1].lower_ in PERSON_EVENTS and len(words) <= 3 \
                    and not _is_place_like(words):
                out.append(_Ent(i, j, None, "Person", label, False, "name.person-event", C.NAME_PERSON_EVENT))
                continue
            if after in LEX.research_body_nouns:
                out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.research-body", C.NAME_CONTEXT_BODY))
                continue
            if before == "as" and i > 1 and toks[i - 2].lower_ == "such":
                out.append(_Ent(i, j, None, "CivilSocietyOrganization", label, False, "name.such-as", C.NAME_CONTEXT_BODY))
                continue
            # "the state of Chiapas", "the southern states of Chiapas, Oaxaca and Tabasco": places
            # within a country, not countries
            if i > 2 and toks[i - 1].text in {"of"} and toks[i - 2].lower_ in LEX.subnational_state_nouns:
                out.append(_Ent(i, j, None, "Place", label, False, "name.state-of", C.PLACE_STATE_OF))
                k = j
                while k + 1 < n and toks[k].text in {",", "and"} and toks[k + 1].is_title:
                    m = k + 1
                    while m < n and toks[m].is_title:
                        m += 1
                    out.append(_Ent(k + 1, m, None, "Place", _join(toks, k + 1, m), False, "name.state-of", C.PLACE_STATE_OF))
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
                    out.append(_Ent(k, k + 1, None, "Person", e.label, False, "name.surname", C.NAME_SURNAME))
            elif t.is_upper and t.is_alpha and t.text in self.acronyms:
                e = self.result.entities.get(self.acronyms[t.text])
                if e is not None:
                    out.append(_Ent(k, k + 1, e.id if e.known else None, e.cls, e.label, e.known,
                                    "name.acronym", C.NAME_ACRONYM))
        for k in range(2, n):
            t = toks[k]
            if t.is_upper and t.is_alpha and 2 <= len(t.text) <= 7 and k not in known_at \
                    and toks[k - 1].text == "," and toks[k - 2].lower_ in ORG_APPOSITION:
                out.append(_Ent(k, k + 1, None, ORG_APPOSITION[toks[k - 2].lower_], t.text, False,
                                "name.apposition", C.NAME_APPOSITION))
        out.extend(self._presidents(toks, known, out, known_at))
        out.extend(self._administrations(toks, known_at, out))
        out.extend(self._groups(toks, known_at))
        self._learn_acronyms(toks, known, out)
        return out


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


def _title_of_body(toks, i: int) -> tuple[int, str] | None:
    """A title naming its body right before the name at token ``i``: "Acting Secretary of the
    Department of Homeland Security (DHS) Jane Roe" -> (index of "Acting", "Acting Secretary of
    the Department of Homeland Security"). The acronym in brackets is left out of the role."""
    k = i - 1
    end = i
    if k >= 0 and toks[k].text == ")":
        while k >= 0 and toks[k].text != "(":
            k -= 1
        end = k
        k -= 1
    words_seen = 0
    while k >= 0 and words_seen < 10:
        t = toks[k].text
        if t in PERSON_TITLES and k + 1 < end and toks[k + 1].lower_ == "of":
            start = k
            if start > 0 and toks[start - 1].lower_ in LEX.title_qualifiers:
                start -= 1
            body = [x.text for x in toks[k + 1:end]]
            short = end == i and 1 <= len(body) - 1 <= 2 and all(x.is_title for x in toks[k + 2:end])  # "Secretary of State Rex Tillerson"
            if end - k > 9 or not (short or any(w in GOV_KEYWORDS | CSO_KEYWORDS | IO_KEYWORDS for w in body)):
                return None
            return start, _join(toks, start, end)
        if not (toks[k].is_title or toks[k].lower_ in NAME_CONNECTORS or toks[k].lower_ == "the"):
            return None
        k -= 1
        words_seen += 1
    return None


def _role_before_comma(toks, comma: int) -> bool:
    """Does a role phrase end at the comma before a name ("The Speaker of the House, Name,")?
    The phrase starts at the sentence start or a determiner and holds a title before any verb."""
    k = comma - 1
    seen = 0
    while k >= 0 and seen < 10 and toks[k].text not in {",", ";", ":", "."}:
        if (toks[k].text in PERSON_TITLES or toks[k].lower_ in LOWER_TITLES) and (
                k == 0 or toks[k - 1].lower_ in LEX.role_determiners):
            return True
        k -= 1
        seen += 1
    return False


def _title_before(toks, i: int, known_at=()) -> tuple[str, int]:
    """The person title right before token ``i`` (President, Interior Secretary, foreign minister)
    and its first token; a capitalised portfolio before a title noun is part of it ("Homeland
    Security Secretary"), a known name is not ("U.S. Secretary")."""
    k = i - 1
    words = []
    while k >= 0 and len(words) < 3:
        t = toks[k].text
        if t in PERSON_TITLES or t.lower() in LOWER_TITLES or t == "-" or t in LEX.title_prefixes:
            words.insert(0, t)
            k -= 1
        else:
            break
    if not any(w in PERSON_TITLES or w.lower() in LOWER_TITLES for w in words):
        return "", i
    if words[0] in PERSON_TITLES:
        while k >= 0 and len(words) < 6 and k not in known_at and _name_token(toks[k]) \
                and toks[k].text not in NOT_NAME_START:
            words.insert(0, toks[k].text)
            k -= 1
    if k >= 1 and toks[k].text == "-" and toks[k - 1].text in LEX.title_prefixes | {w.lower() for w in LEX.title_prefixes}:
        words[:0] = [toks[k - 1].text, "-"]   # "then-Homeland Security Secretary"
        k -= 2
    return " ".join(words).replace(" - ", "-"), k + 1


def _org_class(words: list[str]) -> str:
    ws = set(words)
    if ws & IO_KEYWORDS and ws & LEX.io_name_words:
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
