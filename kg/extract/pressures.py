"""Pressures (PLOVER THREATEN, DEMAND, REQUEST, COERCE, SANCTION, ACCUSE): trigger, agent, target, instrument, demand."""

from __future__ import annotations

from typing import Any

import re

from . import confidence as C
from ..gazetteer import ACTOR_CLASSES
from .lexicon import LEX, PHRASAL_REVERSALS, WITHDRAWAL_VERBS, RETALIATION, CAMEO, CLAUSE_BREAKS, INSTRUMENT_CUES, NOUN_PRESSURES, PRESSURE_TRIGGERS, SANCTION_OBJECTS, SANCTION_VERBS, SPEECH_VERBS, SUBORDINATORS, TYPE_INSTRUMENTS, phrases

#: A nominal pressure that the sentence says was answered: 'in response to', 'faced with'
RESPONSE_CUES = re.compile(r"\b(" + "|".join(re.escape(" ".join(p)) for p in phrases("response_cues")) + r")\b")


#: The actors a criticism counts as pressure between: states, governments and their leaders.
DECIDING = {"Person", "State", "GovernmentBody", "Administration"}


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
            if low in LEX.noun_after_determiner and self.low(k - 1) in LEX.trigger_noun_determiners:
                is_noun = True
            if is_noun:
                agent, target = self._noun_agent_target(k)
                if agent is None and withdrawn:   # "The U.S. dropped the threat of tariffs on Mexico"
                    agent = self._subject_before(k)
                    target = next(((a, e) for a, e in self.actors(k + 1, self._target_limit(k))
                                   if agent is not None and e.id != agent[1].id), None)
                if agent is None or not (self._demand(k, target, ptype) or self._response_cue(k) or withdrawn
                                         or self._particular_act(k, target)):
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
                    and not (low.endswith("ing") and self.low(k - 1) in LEX.gerund_prepositions):
                inherited = self.ctx.last_targets.get(agent[1].id, [])
            one_sided = None if inherited else self._one_sided(k, low, ptype, agent, target, is_noun, withdrawn)
            if one_sided is not None:
                agent, target = one_sided
            elif agent is None or (target is None and not inherited):
                continue
            if ptype == "ACCUSE" and ((agent is not None and agent[1].cls not in DECIDING)
                                      or (target is not None and target[1].cls not in DECIDING)):
                continue
            if target is not None:
                targets = [target[1].id] + [e.id for e in self._coordinated(target[0]) if e.id != target[1].id]
            else:
                targets = list(inherited)
            props: dict[str, Any] = {"exertedBy": [agent[1].id]} if agent is not None else {}
            if targets:
                props["targets"] = targets
            if target is not None and agent is not None:
                self.ctx.last_targets[agent[1].id] = targets
                for t in targets:
                    self.ctx.last_pressure_on.setdefault(t, []).append((agent[1].id, agent[1].cls))
            instrument = self._instrument(k, ptype)
            if instrument:
                props["instrument"] = instrument
            props["pressureType"] = ptype
            if withdrawn:
                props["status"] = "withdrawn"
            demand = self._directive_demand(k) if low in LEX.pressure_directive_verbs else ""
            demand = demand or self._demand(k, target, ptype)
            if demand:
                props["demands"] = [demand]
            d = self.date(k)
            if d:
                props["date"] = d
            base = C.PRESSURE_ONE_SIDED if one_sided is not None else C.PRESSURE_INHERITED if target is None \
                else C.PRESSURE_NOUN if is_noun else C.PRESSURE_VERB
            conf, note = self.qualify(props, k, base)
            cam = CAMEO.get((ptype, instrument)) or CAMEO.get((ptype, None)) or cameo
            note = "; ".join(x for x in [f"CAMEO {cam}", note, self._side_note(agent, target, one_sided)] if x)
            rule = f"pressure.{ptype.lower()}" + (".noun" if is_noun else "")
            self.emit("Pressure", self.ctx.new_id("pressure"), self.sentence_span(), props, rule, conf, note)
            if ptype == "THREATEN" and not withdrawn and agent is not None:
                self.threatened_policies(k, agent[1])
            done.update(range(k, min(sj, k + 6)))

    @staticmethod
    def _side_note(agent, target, one_sided) -> str:
        if one_sided is not None:
            return "agent not named in the sentence" if agent is None else "target not named in the sentence"
        if target is None:
            return "target not named in the sentence: taken from the agent's previous pressure in this document"
        return ""

    def _trigger_ok(self, k: int, low: str) -> bool:
        """Readings of a trigger word that are not acts of pressure."""
        prev, nxt = self.low(k - 1), self.low(k + 1)
        if low in LEX.push_forms and not (prev in LEX.progressive_perfect_aux or nxt == "for"):
            return False
        if low in LEX.call_forms and nxt not in LEX.call_on_particles:
            return False
        if low in LEX.force_forms and prev in LEX.force_noun_premodifiers:
            return False
        if low in LEX.press_forms and not self._object_then_to(k):
            return False
        if low == "bidding" and nxt != "for":
            return False
        return self._frame_ok(k, low)

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
        if set(prev) & LEX.threat_forms:
            return None, None
        if set(nxt) & SANCTION_OBJECTS and not set(prev) & LEX.hypothetical_modals:
            if set(prev[-3:]) & LEX.threat_future_markers:   # "I will impose tariffs": announced, a threat
                return ("THREATEN", "1312", "verb"), None
            return ("SANCTION", "163", "verb"), None
        # passive: "5 percent tariffs would be imposed on Mexican imports"
        if prev and prev[-1] in LEX.passive_participle_be and set(prev) & SANCTION_OBJECTS:
            future = bool(set(prev) & LEX.future_modals)
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

    def _particular_act(self, k: int, target) -> bool:
        """A pressure noun told with its target that is a particular act: after a possessive pronoun
        ('Trump insisted that his threats would be effective because the Mexican government …': the
        clause subject's own act), or with the action it threatens."""
        return target is not None and (self.low(k - 1) in LEX.third_person_possessives or self._threat_content(k))

    def _threat_content(self, k: int) -> bool:
        """'Trump's threat to impose a 5% tax on Mexican imports': the noun names the negative action
        it threatens (threat_actions), so it is a threat made, not a mood."""
        return self.low(k + 1) == "to" and self.low(k + 2) in LEX.threat_actions

    def _response_cue(self, k: int) -> bool:
        """A nominal pressure that the sentence says was answered: 'in response to', 'faced with'."""
        words = self.lowers
        text = " ".join(words[max(0, k - self.si - 5):k - self.si])
        return bool(RESPONSE_CUES.search(text))

    def _noun_context(self, k: int) -> bool:
        prev = self.low(k - 1)
        if (k + 1) in self.ent_at or ((k + 2) in self.ent_at and self.low(k + 1) in LEX.noun_context_determiners):
            return prev not in LEX.verbal_context_words \
                and self.low(k + 1) != "the" and (k - 1) in self.ent_at
        if prev == "to":
            return self.low(k - 2) in LEX.response_to_heads
        return prev in LEX.trigger_noun_premodifiers or (k - 1 in self.ent_at) \
            or self.low(k + 1) in LEX.trigger_noun_complements

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
        if m < sj and self.low(m) in LEX.demand_openers and (self.low(m) == "to" or toks[m + 1].lower_.endswith("ing")):
            start = m + 1
        elif ptype in {"DEMAND", "REQUEST"} and self.low(k + 1) == "that":
            m = k + 2
            if target is not None and target[0].i == m:
                m = target[0].j
            start = m
        else:
            c = next((c for c in range(k + 1, min(sj, k + 25)) if self.low(c) in LEX.condition_openers), None)
            start = self.condition_demand_start(c) if c is not None else None
        if start is None or start >= sj:
            return ""
        end = self._demand_end(start)
        if end - start < 2:
            return ""
        return self.orig(start, end)

    def condition_demand_start(self, c: int) -> int | None:
        """Where the demand of the condition opened at ``c`` starts: after 'does not' ('if X does
        not VP'), after the subject of 'unless' ('unless X VP'); None for a positive 'if X VP',
        which says what sets the threat off, not what it asks."""
        for s in range(c + 1, min(self.sj - 1, c + 9)):
            if self.low(s) in LEX.demand_condition_aux and self.low(s + 1) in LEX.verbal_negators:
                return s + 2
        if self.low(c) not in LEX.negative_conditionals:
            return None
        m = c + 1
        while self.low(m) in LEX.articles:
            m += 1
        pair = self.ent_at.get(m)
        m = pair[0].j if pair is not None else m
        return m + 1 if self.low(m) in LEX.demand_condition_aux else m

    def _demand_end(self, start: int) -> int:
        """Where a demand that starts at ``start`` ends: a clause break or a demand_ends word."""
        end = start
        while end < self.sj and self.toks[end].text not in CLAUSE_BREAKS and self.low(end) not in LEX.demand_ends \
                and end - start < 18:
            end += 1
        return end
