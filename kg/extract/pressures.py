"""Pressures (PLOVER THREATEN, DEMAND, REQUEST, COERCE, SANCTION, ACCUSE): trigger, agent, target, instrument, demand."""

from __future__ import annotations

import re

from . import confidence as C
from ..gazetteer import ACTOR_CLASSES
from .lexicon import PHRASAL_REVERSALS, WITHDRAWAL_VERBS, RETALIATION, CAMEO, CLAUSE_BREAKS, INSTRUMENT_CUES, NOUN_PRESSURES, PRESSURE_TRIGGERS, SANCTION_OBJECTS, SANCTION_VERBS, SPEECH_VERBS, SUBORDINATORS, TYPE_INSTRUMENTS


#: Words between a comma and a participle trigger ("…, while also urging X").
PARTICIPLE_OPENERS = {"while", "also", "and", "thereby", "thus", "even", "then", "again", "repeatedly", "publicly"}
#: Possessive pronouns before a pressure noun ("his threat"): the agent is the clause's subject.
POSSESSIVE_PRONOUNS = {"his", "her", "its", "their"}


class PressureRules:
    """Pressures (PLOVER THREATEN, DEMAND, REQUEST, COERCE, SANCTION, ACCUSE) rules, mixed into :class:`Sentence`."""

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
            if trig is None and low in RETALIATION:
                trig = ("THREATEN", "130", "verb")
            if trig is None:
                continue
            ptype, cameo, pos = trig
            withdrawn = self._withdrawn(k)
            is_noun = low in NOUN_PRESSURES and (pos == "noun" or self._noun_context(k))
            if not self._trigger_ok(k, low):
                continue
            if low in {"appeal", "appeals", "request", "requests", "demand", "demands"} and self.low(k - 1) in {
                    "the", "a", "an", "its", "their", "this", "that"}:
                is_noun = True
            if is_noun:
                agent, target = self._noun_agent_target(k)
                if agent is None and withdrawn:   # "The U.S. dropped the threat of tariffs on Mexico"
                    agent = self._subject_before(k)
                    target = next(((a, e) for a, e in self.actors(k + 1, self._target_limit(k))
                                   if agent is not None and e.id != agent[1].id), None)
                if agent is None or not (self._demand(k, target, ptype) or self._response_cue(k) or withdrawn):
                    continue
            elif passive_target is not None:
                agent, target = passive_target
            else:
                agent, target = self._agent_target(k, ptype)
            inherited = []
            retaliation = low in RETALIATION
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
            if withdrawn:
                props["status"] = "withdrawn"
            demand = self._demand(k, target, ptype)
            if demand:
                props["demands"] = [demand]
            d = self.date(k)
            if d:
                props["date"] = d
            conf, note = self.qualify(props, k, (C.PRESSURE_VERB if not is_noun else C.PRESSURE_NOUN) if target is not None else C.PRESSURE_INHERITED)
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
        return True

    def _withdrawn(self, k: int) -> bool:
        """Is the trigger the object of a withdrawal ("dropped the threat", "backed off his threat")?
        Then it is the same act told again, with status withdrawn."""
        for m in range(max(self.si, k - 4), k):
            if self.low(m) in WITHDRAWAL_VERBS or (self.low(m), self.low(m + 1)) in PHRASAL_REVERSALS:
                return True
        return False

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
        if agent is None and m >= ci and self.low(m) in POSSESSIVE_PRONOUNS:
            # "Trump backed off his threat ...": the possessive pronoun is the clause's subject
            agent = self._subject_before(m)
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
        if self._participle_clause(k):
            # "Mexico pledged to take back families ..., while also urging Biden to ...": the
            # participle's subject is the main clause's subject, not the nearest actor before it
            agent = self._subject_before(k, main_clause=True)
            if agent is not None:
                ci = k
        for a, e in reversed(self.actors(ci, k)):
            if agent is not None:
                break
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

    def _participle_clause(self, k: int) -> bool:
        """Is the trigger at ``k`` a participle opening a clause after a comma ("…, while also
        urging X", "…, threatening X")?"""
        if not self.low(k).endswith("ing"):
            return False
        m = k - 1
        while m > self.si and self.low(m) in PARTICIPLE_OPENERS:
            m -= 1
        return m > self.si and self.toks[m].text == "," and self.low(m + 1) != "which"

    def _subject_before(self, k: int, main_clause: bool = False):
        """The subject of the clause (or, with ``main_clause``, of the sentence) before token ``k``:
        the first actor that is not the object of a preposition nor a possessor of a non-actor."""
        start = self.si if main_clause else self.clause_bounds(k)[0]
        for a, e in self.actors(start, k):
            if self._is_object_of_prep(a.i) and not self._possessive(a.j):
                continue
            if self._possessive(a.j) and not self._actor_noun(a.j + 1):
                continue
            if self._is_agent(a, e):
                return a, e
        return None

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
