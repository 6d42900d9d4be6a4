"""Conditional threats told without a pressure word: a negative action announced in the future
under a condition ('if Mexico doesn't stop …, I will be closing the border'; '"if that doesn't
work, we're going to close the border," Trump said'; 'Trump said that if the flow continues, he
would then impose new tariffs on Mexican goods').

The agent is the subject of the announced action: an actor, 'I'/'we' inside a quotation (its
speaker), or an unambiguous 'he'/'she' (see speakers.py). The target is the actor the condition
is about ('if Mexico …'), else an actor the action names or the sentence names, else the agent's
previous target. A threat is a pressure whatever its condition: the condition is the threat's
form, not a hedge on whether it was made, so it goes into the note; negation and hedge words
are recorded as for every pressure. The announced action is also a proposed Policy of the agent
(a threatened policy is never adopted)."""

from __future__ import annotations

from typing import Any

from . import confidence as C
from ..gazetteer import ACTOR_CLASSES
from .lexicon import CAMEO, CLAUSE_BREAKS, LEX, POLICY_NOUNS, RETALIATION, SUBORDINATORS, phrases
from .model import Entity

#: The actors a threat can be made against and by: those that decide (not groups of people).
DECIDING_CLASSES = {"State", "GovernmentBody", "Administration", "Person"}
FUTURE_PHRASES = phrases("future_phrases")
#: How many tokens may stand between the future marker and the action ('will then be closing').
MAX_GAP = 3


class ThreatRules:
    """Conditional threats (PLOVER THREATEN, CAMEO 1311/1312), mixed into :class:`Sentence`."""

    def conditional_threats(self) -> None:
        si, sj = self.si, self.sj
        conditions = [(c, self._condition_end(c)) for c in range(si, sj) if self.low(c) in LEX.condition_openers]
        if not conditions:
            return
        for v in range(si, sj):
            if self.low(v) not in LEX.threat_actions or any(c < v < end for c, end in conditions):
                continue
            future = self._future_before(v)
            if future is None:
                continue
            agent = self._action_subject(future)
            if agent is None or agent.cls not in DECIDING_CLASSES or self._told(agent):
                continue
            # the condition that governs the action: the first one before it, else the first after it
            before = [ce for ce in conditions if ce[0] < v]
            c, c_end = before[0] if before else conditions[0]
            self._emit_threat(agent, v, future, c, c_end)
            return

    # --- the parts of the construction ----------------------------------------------------------

    def _condition_end(self, c: int) -> int:
        """The end of the condition clause opened at ``c``: the next clause break."""
        m = c + 1
        while m < self.sj and self.toks[m].text not in CLAUSE_BREAKS:
            m += 1
        return m

    def _future_before(self, v: int) -> int | None:
        """The future marker ('will', 'would', 'going to') a few tokens before the action at ``v``."""
        for m in range(v - 1, max(self.si, v - 2 - MAX_GAP), -1):
            if self.toks[m].text in CLAUSE_BREAKS or m in self.ent_at:
                return None
            if self.low(m) in LEX.threat_future_markers:
                return m
            for phrase in FUTURE_PHRASES:
                n = len(phrase)
                if m - n + 1 >= self.si and tuple(self.low(x) for x in range(m - n + 1, m + 1)) == phrase:
                    return m - n + 1
        return None

    def _action_subject(self, future: int) -> Entity | None:
        """The subject before the future marker: an actor or a pronoun that stands for one."""
        m = future - 1
        if self.low(m) in LEX.be_forms:
            m -= 1
        if m < self.si:
            return None
        pair = self.ent_at.get(m)
        if pair is not None:
            return pair[1] if pair[1].cls in ACTOR_CLASSES and pair[0].rule != "demonym" else None
        return self.pronoun_actor(m)

    def _told(self, agent: Entity) -> bool:
        """Has a pressure rule already proposed a pressure by this agent for this sentence?"""
        span = self.sentence_span()
        return any(st.kind == "Pressure" and (st.start, st.end) == span and agent.id in st.props.get("exertedBy", [])
                   for st in self.ctx.result.statements)

    def _threat_targets(self, agent: Entity, v: int, c: int) -> tuple[list[str], bool]:
        """(targets, inherited): the condition's subject, an actor after the action, an actor of the
        sentence, else the agent's previous target in the document."""
        def fits(pair) -> bool:
            a, e = pair
            return e.id != agent.id and e.cls in DECIDING_CLASSES \
                and (a.rule != "demonym" or self._demonym_target(a))
        m = c + 1
        while self.low(m) in LEX.articles:
            m += 1
        subject = self.ent_at.get(m)
        if subject is not None and fits(subject):
            return [subject[1].id], False
        for pair in self.actors(v + 1, self.sj) + self.actors(self.si, v):
            if fits(pair):
                return [pair[1].id], False
        return list(self.ctx.last_targets.get(agent.id, [])), True

    def _condition_demand(self, c: int, c_end: int) -> str:
        """What the condition asks of its subject: 'if X does not VP' / 'unless X VP' -> VP."""
        start = self.condition_demand_start(c)
        return self.orig(start, c_end) if start is not None and c_end - start >= 2 else ""

    def _emit_threat(self, agent: Entity, v: int, future: int, c: int, c_end: int) -> None:
        targets, inherited = self._threat_targets(agent, v, c)
        if not targets:
            return
        props: dict[str, Any] = {"exertedBy": [agent.id], "targets": targets}
        instrument = self._instrument(v, "THREATEN")
        if instrument:
            props["instrument"] = instrument
        props["pressureType"] = "THREATEN"
        demand = self._condition_demand(c, c_end)
        if demand:
            props["demands"] = [demand]
        d = self.date(v)
        if d:
            props["date"] = d
        conf, note = self._threat_qualify(props, future, v, C.PRESSURE_INHERITED if inherited else C.CONDITIONAL_THREAT)
        self.ctx.last_targets[agent.id] = targets
        for t in targets:
            self.ctx.last_pressure_on.setdefault(t, []).append((agent.id, agent.cls))
        cam = CAMEO.get(("THREATEN", instrument)) or "130"
        condition = self.orig(c, c_end)
        note = "; ".join(x for x in [f"CAMEO {cam}", f"conditional threat: {condition}", note,
                                     "target not named in the sentence: taken from the agent's previous "
                                     "pressure in this document" if inherited else ""] if x)
        self.emit("Pressure", self.ctx.new_id("pressure"), self.sentence_span(), props,
                  "pressure.threaten.conditional", conf, note)
        self._threatened_policy(agent, v)

    def _threat_qualify(self, props: dict, future: int, v: int, conf: float) -> tuple[float, str]:
        """Negation and hedges between the future marker and the action ('will not close', 'would
        probably close'); the future marker itself is the threat's content, not a hedge."""
        note = ""
        neg = next((self.toks[m].text for m in range(future, v) if self.low(m) in LEX.verbal_negators), "")
        if neg:
            props["hedge"] = f"{self.toks[future].text} {neg}"
            note = "negated: the text says this did not happen"
            conf *= C.NEGATED
        else:
            h = self.hedge(v, future + 1)
            if h and h.lower() not in LEX.threat_future_markers:
                props["hedge"] = h
                conf *= C.HEDGED
        attributed = [a for a in self.attributed if a not in props["exertedBy"]] or list(self.attributed)
        if attributed:
            props["attributedTo"] = attributed[:2]
            conf *= C.ATTRIBUTED
        return conf, note

    def threatened_policies(self, k: int, agent: Entity) -> None:
        """The policies a threat at ``k`` names, each a proposed Policy of its agent: the infinitive
        ('the threat to impose a 5% tax on Mexican imports') or every policy noun phrase after the
        trigger ('threatening a ban on Guatemalans … and a tax on remittances')."""
        if self.low(k + 1) == "to" and self.low(k + 2) in LEX.threat_actions:
            self._threatened_policy(agent, k + 2)
            return
        m, limit = k + 1, self._target_limit(k)
        limit = next((x for x in range(k + 1, limit) if self.opens_clause(x)), limit)
        while m < limit:
            if self.low(m) in POLICY_NOUNS and self.toks[m].is_lower:
                start = self._premodifiers(k, m)
                end = min(self._phrase_end(m + 1), limit)
                if end - start >= 2 and not self._policy_told(start, end):   # a bare 'tariffs' names no policy
                    pid, props = self.new_policy(start, end, agent.id, "proposed", start, "policy.threatened",
                                                 C.POLICY_THREATENED)
                    self.emit("Policy", pid, self.span(start, end), props, "policy.threatened",
                              C.POLICY_THREATENED, "threatened: proposed, not adopted")
                m = end
            m += 1

    def _premodifiers(self, k: int, m: int) -> int:
        """The first of the lower-case words right before the noun at ``m`` and after ``k`` that
        modify it ('retaliatory tariffs'); determiners, prepositions and possessives are not."""
        closed = LEX.articles | LEX.prepositions | LEX.coordinators | LEX.third_person_possessives | SUBORDINATORS
        first = k if self.low(k) in RETALIATION else k + 1   # the trigger itself: 'retaliatory tariffs'
        start = m
        while start - 1 >= first and self.toks[start - 1].is_lower and self.toks[start - 1].is_alpha \
                and self.low(start - 1) not in closed and self.low(start - 1) not in POLICY_NOUNS:
            start -= 1
        return start

    def _threatened_policy(self, agent: Entity, v: int) -> None:
        """The threatened action as a proposed Policy of the agent ('close the border')."""
        end = self._phrase_end(v + 1, stop=LEX.demand_ends) if v + 1 < self.sj else v + 1
        end = min(end, v + 8)
        if end - v < 2:
            return
        pid, props = self.new_policy(v, end, agent.id, "proposed", v, "policy.threatened", C.POLICY_THREATENED)
        self.emit("Policy", pid, self.sentence_span(), props, "policy.threatened", C.POLICY_THREATENED,
                  "threatened: proposed, not adopted")
