"""New actors, part two: name runs, presidents, administrations, groups, acronyms."""

from __future__ import annotations


from . import confidence as C
from ..gazetteer import COUNTRIES, fold_name
from .lexicon import LEX, CSO_KEYWORDS, GOV_KEYWORDS, IO_KEYWORDS, BARE_GROUP_HEADS, CRIME_MODIFIERS, CSO_MODIFIERS, GOV_GROUP_MODIFIERS, GROUP_HEADS, GROUP_MODIFIERS, LOWER_TITLES, NAME_CONNECTORS, NOT_NAME_START, PERSON_TITLES
from .model import _Ent
from .names import _join, _name_token, _title_pair


class NameRuns:
    """Runs of name tokens, role words, administrations, groups, acronyms."""

    @staticmethod
    def _appositive_role(toks, k: int) -> bool:
        """'Name, Mexico's interior minister, ...': a role noun within the apposition after a name."""
        if k >= len(toks):
            return False
        first = toks[k]
        if not (first.lower_ in LOWER_TITLES | LEX.articles | LEX.third_person_possessives
                or first.text in COUNTRIES.values()
                or (first.is_title and k + 1 < len(toks) and toks[k + 1].lower_ in {"'s", "'"})):
            return False
        for m in range(k, min(len(toks), k + 6)):
            if toks[m].text in {",", ".", ";", "(", ")"}:
                return False
            if toks[m].lower_ in LOWER_TITLES | LEX.appositive_role_nouns:
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
                    if _name_token(u) or u.text in LEX.name_abbreviations:
                        j += 1
                    elif u.text == "-" and j + 1 < n and _name_token(toks[j + 1]) and not u.whitespace_ \
                            and not toks[j - 1].whitespace_:
                        j += 2
                    elif u.lower_ in NAME_CONNECTORS and j + 1 < n and toks[j + 1].text not in NOT_NAME_START and (
                            _name_token(toks[j + 1]) or toks[j + 1].text in LEX.place_abbreviations or (
                            toks[j + 1].lower_ == "the" and u.lower_ == "of" and j + 2 < n and _name_token(toks[j + 2]))):
                        j += 2 if toks[j + 1].lower_ != "the" else 3
                    else:
                        break
                if _headline_case(toks, k, j):  # "Mexico Agreed To Deploy Troops Before Deal With Trump"
                    k = j
                    continue
                # a title inside a run starts a new run: "Department of Homeland Security
                # Secretary John Kelly and Secretary of State Rex Tillerson" -> the body, then each
                # titled person
                inner = sorted({c for m in range(k + 1, j - 1) if toks[m].text in PERSON_TITLES
                                and _name_token(toks[m + 1]) | (toks[m + 1].lower_ == "of") for c in (m, self.title_cut(toks, k, m))})
                if inner:
                    cuts = [k] + inner + [j]
                    for a, b in zip(cuts, cuts[1:]):
                        while b > a and toks[b - 1].lower_ in NAME_CONNECTORS:
                            b -= 1
                        seg = self._title_segment(toks, a, b)
                        if seg and not self.title_lead(toks, a, b):
                            runs.append(seg)
                    k = j
                    continue
                # a title is a cue, not part of the name: the name starts after the last title
                i = k
                for m in range(k, j - 1):
                    if toks[m].text in PERSON_TITLES and toks[m + 1].text != "-":
                        i = m + 1
                while i < j and (toks[i].text in PERSON_TITLES or toks[i].text in NOT_NAME_START
                                 or toks[i].text == "-" or _title_pair(toks, i)
                                 or (i > k and toks[i].is_lower and toks[i].lower_ in NAME_CONNECTORS)):
                    i += 2 if _title_pair(toks, i) else 1   # ("Monday in Guatemala": not "in Guatemala")
                while j > i and (toks[j - 1].lower_ in NAME_CONNECTORS or toks[j - 1].text == "-"):
                    j -= 1
                if j > i:
                    runs.append((i, j))
                k = max(j, k + 1)
            else:
                k += 1
        return runs

    @staticmethod
    def _title_segment(toks, a: int, b: int) -> tuple[int, int] | None:
        """The name in a run segment [a, b): after a leading title ("Secretary John Kelly"), after
        "Title of X" the last two name tokens ("Secretary of State Rex Tillerson"); a segment
        without a title is kept whole (a body: "Department of Homeland Security")."""
        if b <= a:
            return None
        if toks[a].text not in PERSON_TITLES:
            return a, b
        if a + 1 < b and toks[a + 1].lower_ == "of":
            body = a + 3 if a + 2 < b and toks[a + 2].lower_ == "the" else a + 2
            if any(t.text in GOV_KEYWORDS | CSO_KEYWORDS | IO_KEYWORDS for t in toks[body:b]):
                return (body, b) if b > body else None   # "Secretary of the Department of X": the body
            return (b - 2, b) if b - 2 > a + 2 else None
        return (a + 1, b) if b > a + 1 else None

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
            out.append(_Ent(i, k + 1, match.id, "Person", match.label, match.known, "name.role", C.NAME_ROLE))
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
            if low not in LEX.administration_heads:
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
                        if i > 0 and toks[i - 1].lower_ in LEX.previous_qualifiers:
                            label = f"{toks[i - 1].lower_} {name} administrations"
                            out.append(_Ent(i - 1, k + 1, None, "Administration", label, False,
                                            "name.administration", C.ADMINISTRATION_LIST))
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
            return _Ent(i, j, known.id, "Administration", known.label, True, "name.administration", C.ADMINISTRATION_NAMED)
        return _Ent(i, j, None, "Administration", label, False, "name.administration", C.ADMINISTRATION_NAMED)

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
                                "name.administration-of", C.ADMINISTRATION_OF_KNOWN)
        surname = person.label.split()[-1] if person.label else person.label
        return _Ent(i, j, None, "Administration", f"{surname} administration", False, "name.administration-of", C.ADMINISTRATION_OF_NEW)

    def _groups(self, toks, known_at) -> list[_Ent]:
        out = []
        for k, t in enumerate(toks):
            head = t.lower_.rstrip("-")       # "migrants- this May": a dash glued to the head
            cls = GROUP_HEADS.get(head)
            if cls is None:
                continue
            i = k
            mods = []
            while i > 0 and len(mods) < 3:
                p = toks[i - 1]
                pl = p.lower_
                if pl in GROUP_MODIFIERS or (p.text in COUNTRIES.values()) or p.text in LEX.group_place_modifiers:
                    mods.append(pl)
                    i -= 1
                elif p.text == "American" and i > 1 and toks[i - 2].text in LEX.region_qualifiers:
                    mods.append("american")
                    i -= 1
                else:
                    break
            if not mods and head not in BARE_GROUP_HEADS:
                continue
            if head in LEX.government_only_group_heads and not (set(mods) & GOV_GROUP_MODIFIERS):
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
            label = " ".join(x.text for x in toks[i:k + 1]).rstrip("-")
            if label[0].isupper() and label.split()[0] in NOT_NAME_START:
                label = label[0].lower() + label[1:]
            same = self.ex.by_name.get(head)
            if same is not None and same.cls == cls:   # "migrant smugglers" is the known "smugglers"
                out.append(_Ent(i, k + 1, same.id, cls, same.label, True, "name.group", C.GROUP))
                continue
            out.append(_Ent(i, k + 1, None, cls, label, False, "name.group", C.GROUP))
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


#: Capitalised closed-class words inside one run that make it headline-style Title Case, not a
#: name: a name holds at most one ("Doctors Without Borders", "Secretary Of State" in a heading).
HEADLINE_FUNCTION_WORDS = 2


def _headline_case(toks, i: int, j: int) -> bool:
    """A run [i, j) that capitalises prepositions, articles or coordinators is a Title Case
    heading: its known names are found by the gazetteer, and it proposes no new one."""
    closed = LEX.prepositions | LEX.articles | LEX.coordinators
    return sum(1 for t in toks[i + 1:j] if t.is_title and t.lower_ in closed) >= HEADLINE_FUNCTION_WORDS
