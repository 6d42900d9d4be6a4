"""Policy reversals: shelve, abandon, reverse, from X to Y; who reversed which policy."""

from __future__ import annotations

from typing import Any


from . import confidence as C
from .lexicon import CLAUSE_BREAKS, INTENTION_NOUNS, LEX, PHRASAL_REVERSALS, APPROACH_NOUNS, CHANGE_ADJECTIVES, EARLIER_CUES, POLICY_OBJECTS, REVERSAL_NEEDS_OBJECT, REVERSAL_VERBS
from .lexicon import phrases
from .model import Entity

#: (noun, preposition) of a departure from a former policy: ("change", "from"), ("break", "with")
DEPARTURES = set(phrases("departure_phrases"))
from .tokens import _orientation, _stem


class ReversalRules:
    """Policy reversals rules, mixed into :class:`Sentence`."""

    def reversals(self) -> None:
        si, sj = self.si, self.sj
        lows = self.lowers
        trigger = None
        rule = ""
        from_phrase = to_phrase = None
        for k in range(si, sj):
            low = lows[k - si]
            if low == "u" and self.low(k + 1) in {"turn", "-"} or low == "u-turn":
                trigger, rule = k, "reversal.u-turn"
                break
            if (low, self.low(k + 1)) in PHRASAL_REVERSALS:   # "backed off his threat", "called off the tariffs"
                trigger, rule = k + 1, f"reversal.{_stem(low)}-{self.low(k + 1)}"
                break
            if low in LEX.reversal_noun_triggers:
                trigger, rule = k, "reversal.noun"
                break
            if (low, self.low(k + 1)) in DEPARTURES:   # "a stark change from the past"
                trigger, rule = k, "reversal.departure"
                break
            if low in LEX.shift_triggers:
                trigger, rule = k, "reversal.shift"
                from_phrase, to_phrase = self._from_to(k)
                break
            if low in LEX.distance_triggers and self.low(k + 1) in LEX.reflexive_pronouns and self.low(k + 2) == "from":
                trigger, rule = k, "reversal.distance"
                break
            if low == "now" and self.low(k + 1) == "-" and self.low(k + 2) in LEX.abandoned_adjectives:
                trigger, rule = k + 2, "reversal.abandoned"
                break
            if low in REVERSAL_VERBS and low not in LEX.shift_triggers | LEX.reversal_noun_triggers | LEX.distance_triggers:
                if low in REVERSAL_NEEDS_OBJECT and not self._policy_object(k) or self._only_intended(k):
                    continue
                trigger, rule = k, f"reversal.{_stem(low)}"
                break
            if low == "from" and k > si and lows[k - si - 1] in LEX.change_verbs:
                trigger, rule = k, "reversal.from-to"
                from_phrase, to_phrase = self._from_to(k - 1)
                break
            if low in LEX.new_approach_verbs and \
                    self._change_adjective(k + 1):
                trigger, rule = k, "reversal.new-approach"
                to_phrase = (k + 1, self._phrase_end(k + 1))
                break
            if low in EARLIER_CUES and ("now" in lows or "no" in lows and "longer" in lows):
                trigger, rule = k, "reversal.contrast"
                break
            if low == "since" and self.low(k - 1) in LEX.have_forms and k + 1 < sj and \
                    self.low(k + 1).endswith("ed"):
                trigger, rule = k + 1, "reversal.since"
                break
        if trigger is None:
            return
        props: dict[str, Any] = {}
        ci, cj = self.clause_bounds(trigger)
        actor = None
        for a, e in reversed(self.actors(ci, trigger)):
            if self._is_object_of_prep(a.i) and not self._possessive(a.j):
                continue
            actor = e
            break
        if actor is not None:
            props["reversedBy"] = [actor.id]
        for key, phrase in (("fromPolicy", from_phrase), ("toPolicy", to_phrase)):
            if phrase and phrase[1] - phrase[0] >= 1:
                pid = self._policy_for_phrase(*phrase, adopter=actor.id if actor else None)
                if pid:
                    props[key] = pid
        if "fromPolicy" not in props and rule not in {"reversal.u-turn", "reversal.noun", "reversal.contrast",
                                                                  "reversal.departure"}:
            known = self._known_object(trigger)
            if known is not None:
                props["fromPolicy"] = known
        if "fromPolicy" not in props and rule not in {"reversal.u-turn", "reversal.noun", "reversal.contrast",
                                                                  "reversal.departure"}:
            obj_end = self._phrase_end(trigger + 1)
            if obj_end - trigger > 1:
                pid = self._policy_for_phrase(trigger + 1, obj_end, adopter=None)
                if pid:
                    props["fromPolicy"] = pid
        d = self.date(trigger)
        if d:
            props["date"] = d
        conf = {"reversal.contrast": C.REVERSAL_CONTRAST, "reversal.new-approach": C.REVERSAL_NEW_APPROACH,
                "reversal.since": C.REVERSAL_SINCE}.get(rule, C.REVERSAL)
        conf, note = self.qualify(props, trigger, conf)
        self.emit("PolicyReversal", self.ctx.new_id("reversal"), self.sentence_span(), props, rule, conf, note)

    def _only_intended(self, k: int) -> bool:
        """'a bid to end the policy', 'plans to scrap it', 'sought to end it': intended, not done."""
        if self.low(k - 1) != "to":
            return False
        before = self.low(k - 2)
        return before in LEX.intention_verbs or INTENTION_NOUNS.get(before) == "proposed"

    def _policy_object(self, k: int) -> bool:
        """Whether the verb at ``k`` has a policy as object: 'dropped the plan', 'halted the MPP
        program', 'terminated the Trump-era Migrant Protection Protocols' (a known policy)."""
        if self.low(k + 1) not in LEX.reversal_object_openers:
            return False
        return any(self.low(m) in POLICY_OBJECTS or m in self.ent_at and self.ent_at[m][1].cls in {"Policy", "Agreement"}
                   for m in self._object_window(k))

    def _known_object(self, k: int) -> str | None:
        """The known policy or agreement that is the object of the verb at ``k``, if any."""
        return next((self.ent_at[m][1].id for m in self._object_window(k)
                     if m in self.ent_at and self.ent_at[m][1].cls in {"Policy", "Agreement"}), None)

    def _object_window(self, k: int) -> range:
        """The tokens after the verb at ``k`` up to a clause break (a parenthesis or a hyphen
        inside the object is none: 'the Trump-era Migrant Protection Protocols (MPP) program')."""
        m = k + 1
        while m < min(self.sj, k + 10) and self.toks[m].text not in CLAUSE_BREAKS - {"(", ")", "-"}:
            m += 1
        return range(k + 1, m)

    def _change_adjective(self, k: int) -> bool:
        words = [self.low(m) for m in range(k, min(self.sj, k + 4))]
        if words and words[0] in CHANGE_ADJECTIVES and len(words) > 1 and words[1] in APPROACH_NOUNS:
            return True
        return bool(words) and words[0] in LEX.articles and any(w in CHANGE_ADJECTIVES for w in words[1:3]) \
            and any(w in APPROACH_NOUNS for w in words[1:4])

    def _from_to(self, k: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        f = t = None
        for m in range(k, min(self.sj, k + 6)):
            if self.low(m) == "from":
                f = (m + 1, self._phrase_end(m + 1, stop={"to"}))
                for n2 in range(f[1], min(self.sj, f[1] + 3)):
                    if self.low(n2) == "to":
                        t = (n2 + 1, self._phrase_end(n2 + 1))
                        break
                break
            if self.low(m) in LEX.toward_prepositions:
                t = (m + 1, self._phrase_end(m + 1))
                break
        return f, t

    def _phrase_end(self, start: int, stop: set[str] | None = None) -> int:
        end = start
        stop = (stop or set()) | LEX.phrase_ends
        while end < self.sj and (self.toks[end].text not in {",", ";", ".", ":", "(", ")", "-", '"'}
                                 or self._in_word_hyphen(end)) \
                and self.low(end) not in stop and end - start < 10:
            end += 1
        return end

    def _in_word_hyphen(self, m: int) -> bool:
        """A hyphen inside a compound ('Trump-era'), not a dash between clauses."""
        return self.toks[m].text == "-" and m > self.si and not self.toks[m - 1].whitespace_ \
            and not self.toks[m].whitespace_

    def _policy_for_phrase(self, i: int, j: int, adopter: str | None) -> str | None:
        for m in range(i, j):
            hit = self.ent_at.get(m)
            if hit and hit[1].cls == "Policy":
                return hit[1].id
        words = [self.low(m) for m in range(i, j)]
        definite = bool(words) and words[0] in LEX.policy_phrase_determiners
        while words and words[0] in LEX.policy_phrase_determiners:
            words = words[1:]
            i += 1
        if not words or words[0] in LEX.pronoun_objects or len(words) > 10:
            return None
        if words[0] in {"of"}:
            return None
        if definite and len(words) == 1 and words[0] in POLICY_OBJECTS:
            return None   # 'suspended the program': an anaphor, not a name of a policy
        label = self.orig(i, j)
        if not label:
            return None
        pid = self.ctx.new_id("policy")
        self.ctx.result.entities[pid] = Entity(pid, "Policy", label, False, "policy.phrase", C.POLICY_PHRASE,
                                               mentions=[self.span(i, j)])
        props: dict[str, Any] = {}
        if adopter:
            props["adoptedBy"] = [adopter]
        orient = _orientation(words)
        if orient:
            props["orientation"] = orient
        self.emit("Policy", pid, self.span(i, j), props, "policy.phrase", C.POLICY_PHRASE)
        return pid
