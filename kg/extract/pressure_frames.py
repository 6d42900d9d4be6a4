"""Pressures told by a frame, not by the agent's trigger verb and its object alone:

* a directive (PLOVER DEMAND): 'X told Y to VP', 'X ordered Y not to VP', 'telling Y, "Do not VP"';
* a request for help (REQUEST, CAMEO 023): 'X sought help from Y';
* a pressure the subject undergoes: 'AMLO is facing pressure (from X)', 'Mexico is under pressure
  to VP' (the subject is the target; the agent is 'from X' or unnamed);
* a coercion verb whose subject is a pressure noun: 'the threats forced Mexico to VP' (the target
  is the object; the agent is unnamed unless the noun has an owner, which the noun rule handles);
* a withdrawn threat that names the action it threatened, or a criticism of an agreement or policy,
  with no actor as target ('Trump backs off threat to close border', 'X denounced the agreement';
  not 'dropped the threat of tariffs', which names no particular act).

The last three may name one side only: the text does not say who pressed, or whom. The candidate
then lacks that key and says so in its note; a reviewer completes it (kg review refuses to accept a
Pressure without both)."""

from __future__ import annotations

from . import confidence as C
from .lexicon import AGREEMENT_NOUNS, LEX, NOUN_PRESSURES, POLICY_NOUNS, SUBORDINATORS, entries, forms, phrases

#: faced_pressure_nouns: every form -> its PLOVER type.
FACED_TYPES = {f: spec["plover"] for noun, spec in entries("faced_pressure_nouns").items() for f in forms(noun, "noun")}
NEGATIVE_IMPERATIVES = phrases("negative_imperatives")
#: How many premodifiers may stand between a frame word and its noun ('facing a serious political pressure').
MAX_PREMODIFIERS = 3
QUOTE = '"'


class PressureFrames:
    """Directives, requests for help, faced pressures and one-sided pressures, mixed into :class:`Sentence`."""

    # --- gates of trigger words read only in a frame (called from PressureRules._trigger_ok) ----------

    def _frame_ok(self, k: int, low: str) -> bool:
        if low in LEX.pressure_directive_verbs:
            return self._directive(k) is not None
        if low in LEX.pressure_help_request_verbs:
            return self._help_source(k) is not None
        return True

    def _directive(self, k: int) -> tuple[int, int] | None:
        """(start, end) of what 'told Y to VP' / 'told Y not to VP' / 'telling Y, "Do not VP"' asks,
        when an actor is the verb's object; else None."""
        m = k + 1
        while m < self.sj and m not in self.ent_at and self.low(m) in LEX.preposition_object_determiners:
            m += 1
        if m not in self.ent_at or m > k + 3:
            m = k + 2 if (k + 2) in self.ent_at and self.toks[k + 1].is_lower and self.toks[k + 1].is_alpha else None
        if m is None or self.ent_at[m][0].i != m:
            return None
        j = self.ent_at[m][0].j
        if self.low(j) in LEX.verbal_negators:
            j += 1
            negative = True
        else:
            negative = False
        if self.low(j) == "to" and self.toks[j + 1].is_alpha and self.low(j + 1) not in LEX.articles \
                and (j + 1) not in self.ent_at:
            start = j - 1 if negative else j + 1
            return start, self._demand_end(start)
        if negative:
            return None
        q = j + 1 if self.low(j) in {",", ":"} else j
        if self.low(q) == QUOTE and tuple(self.lowers[q + 1 - self.si:q + 3 - self.si]) in NEGATIVE_IMPERATIVES:
            end = next((e for e in range(q + 1, self.sj) if self.low(e) == QUOTE), self.sj)
            while end > q + 1 and not self.toks[end - 1].is_alpha:
                end -= 1
            return q + 1, end
        return None

    def _directive_demand(self, k: int) -> str:
        span = self._directive(k)
        if span is None or span[1] - span[0] < 2:
            return ""
        return self.orig(*span)

    def _help_source(self, k: int):
        """'sought help from Mexico', 'seeking U.S. assistance from ...': the actor after 'from'."""
        m = k + 1
        while m < min(self.sj, k + 2 + MAX_PREMODIFIERS) and self.low(m) not in LEX.help_nouns:
            m += 1
        if self.low(m) not in LEX.help_nouns or self.low(m + 1) != "from":
            return None
        for a, e in self.actors(m + 2, min(self.sj, m + 6)):
            return a, e
        return None

    # --- pressures with one side unnamed (called from PressureRules.pressures) --------------------

    def _one_sided(self, k: int, low: str, ptype: str, agent, target, is_noun: bool, withdrawn: bool):
        """(agent, target) when the sentence tells a pressure with one side unnamed, else None."""
        if agent is None and target is None and not is_noun and ptype == "COERCE" and self._pressure_noun_subject(k):
            for a, e in self.actors(k + 1, self._target_limit(k)):
                if a.rule != "demonym" or self._demonym_target(a):
                    return None, (a, e)
            return None
        if agent is not None and target is None and (
                (is_noun and withdrawn and self._threat_content(k)) or (ptype == "ACCUSE" and self._accused_thing(k))):
            return agent, None
        return None

    def _pressure_noun_subject(self, k: int) -> bool:
        """Is the subject of the verb at ``k`` a pressure noun, with no actor before the verb in its
        clause ('arguing that trade threats served to force the Mexican government to …')?"""
        ci = self._reported_clause_start(self.clause_bounds(k)[0], k)
        if self.actors(ci, k):
            return False
        return any(self.low(m) in NOUN_PRESSURES for m in range(ci, k))

    def _accused_thing(self, k: int) -> bool:
        """Is the object of the criticism verb at ``k`` an agreement or a policy ('denounced the agreement')?"""
        m = k + 1
        while self.low(m) in LEX.preposition_object_determiners:
            m += 1
        if m in self.ent_at and self.ent_at[m][1].cls in {"Agreement", "Policy"}:
            return True
        for n in range(m, min(self.sj, m + MAX_PREMODIFIERS)):
            if self.low(n) in AGREEMENT_NOUNS or self.low(n) in POLICY_NOUNS:
                return True
            if not self.toks[n].is_alpha:
                break
        return False

    # --- faced pressures (a pass of its own) ------------------------------------------------------

    def faced_pressures(self) -> None:
        """'AMLO is facing a serious political pressure', 'Mexico came under pressure to VP': the
        subject is the target; 'from X' after the noun is the agent."""
        for k in range(self.si, self.sj):
            low = self.low(k)
            if low not in LEX.facing_verbs and low not in LEX.subjection_prepositions:
                continue
            n = k + 1
            while n < min(self.sj, k + 1 + MAX_PREMODIFIERS) and self.low(n) not in FACED_TYPES \
                    and self.toks[n].is_alpha and self.toks[n].is_lower and n not in self.ent_at \
                    and self.low(n) not in LEX.prepositions:
                n += 1
            ptype = FACED_TYPES.get(self.low(n))
            if ptype is None or self._premodifier(n):
                continue
            ci, _ = self.clause_bounds(k)
            target = self.pronoun_subject(k, ci) or self._subject_before(k)
            if target is None:
                continue
            agent = None
            if self.low(n + 1) in LEX.agent_prepositions:
                agent = next(iter(self.actors(n + 2, min(self.sj, n + 8))), None)
                if agent is not None and agent[1].id == target[1].id:
                    continue
            if self._pressure_told(target[1].id):
                continue
            props = {"targets": [target[1].id], "pressureType": ptype}
            if agent is not None:
                props = {"exertedBy": [agent[1].id], **props}
            if self.low(n + 1) == "to" and n + 2 < self.sj and self.toks[n + 2].is_alpha:
                props["demands"] = [self.orig(n + 2, self._demand_end(n + 2))]
            d = self.date(k)
            if d:
                props["date"] = d
            conf, note = self.qualify(props, k, C.PRESSURE_FACED if agent is not None else C.PRESSURE_ONE_SIDED)
            note = "; ".join(x for x in [note, "" if agent is not None else
                                         "agent not named in the sentence (the subject undergoes the pressure)"] if x)
            self.emit("Pressure", self.ctx.new_id("pressure"), self.sentence_span(), props,
                      f"pressure.{ptype.lower()}.faced", conf, note)

    def _premodifier(self, n: int) -> bool:
        """Is the noun at ``n`` a premodifier of a noun after it ('blood pressure rates')? A lower-case
        word that is no preposition, coordinator or subordinator follows it (Quirk et al. 1985, 17.108)."""
        t = self.toks[n + 1] if n + 1 < self.sj else None
        return t is not None and t.is_alpha and t.is_lower and t.lower_ not in LEX.prepositions \
            and t.lower_ not in LEX.coordinators and t.lower_ not in SUBORDINATORS

    def _pressure_told(self, target: str) -> bool:
        """Has a rule already told a pressure on ``target`` in this sentence?"""
        span = self.sentence_span()
        return any(c.kind == "Pressure" and (c.start, c.end) == span and target in c.props.get("targets", [])
                   for c in self.ctx.result.statements)
