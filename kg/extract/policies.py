"""Policies: an adoption verb with a policy noun or a known policy; status and orientation."""

from __future__ import annotations

from typing import Any


from . import confidence as C
from .lexicon import CONDITIONALS, LEX, POLICY_NOUNS, POLICY_VERBS, PRESSURE_TRIGGERS

#: Statuses a policy gets only when the text asserts it as done.
SETTLED_STATUSES = {"adopted", "implemented", "expanded"}
#: Pressure types whose object is what someone else should do.
DEMANDING_TYPES = {"DEMAND", "REQUEST", "COERCE", "THREATEN"}
from .model import Entity
from .tokens import _orientation


class PolicyRules:
    """Policies rules, mixed into :class:`Sentence`."""

    def policies(self) -> None:
        si, sj, lows = self.si, self.sj, self.lowers
        verb_k, status = None, None
        for k in range(si, sj):
            st = POLICY_VERBS.get(lows[k - si])
            if st and not (lows[k - si] in {"called"} and self.low(k + 1) != "for"):
                if lows[k - si] in {"plans"} and self.low(k + 1) != "to":
                    continue
                verb_k, status = k, st
                break
        known = [(a, e) for a, e in self.ents if e.cls == "Policy"]
        emitted = set()
        for a, e in known:
            if e.id in emitted:
                continue
            if verb_k is None and not self._policy_noun_near(a):
                continue
            props: dict[str, Any] = {}
            adopter = self._adopter(verb_k if verb_k is not None else a.i)
            if adopter:
                props["adoptedBy"] = [adopter]
            if status:
                props["status"] = status
            orient = _orientation(lows)
            if orient:
                props["orientation"] = orient
            d = self.date(a.i)
            if d:
                props["date"] = d
            conf, note = self.qualify(props, verb_k if verb_k is not None else a.i, C.POLICY_NAMED)
            note = self._unsettled(props, verb_k if verb_k is not None else a.i, note)
            self.emit("Policy", e.id, self.sentence_span(), props, "policy.named", conf, note)
            emitted.add(e.id)
        if known or verb_k is None:
            return
        # a new policy: an adoption verb followed by a policy noun phrase
        for k in range(verb_k + 1, min(sj, verb_k + 9)):
            if lows[k - si] in POLICY_NOUNS:
                while k + 1 < sj and lows[k + 1 - si] in POLICY_NOUNS:  # the whole noun: "visa program"
                    k += 1
                start = verb_k + 1
                while start < k and lows[start - si] in LEX.policy_label_skips:
                    start += 1
                end = k + 1
                if end < sj and lows[end - si] in LEX.policy_noun_complements:
                    end = self._phrase_end(end + 1) if end + 1 < sj else end
                    end = min(end, k + 7)
                label = self.orig(start, end)
                if not label or label.lower() in POLICY_NOUNS:
                    return
                pid = self.ctx.new_id("policy")
                self.ctx.result.entities[pid] = Entity(pid, "Policy", label, False, "policy.noun", C.POLICY_NEW,
                                                       mentions=[self.span(start, end)])
                props = {}
                adopter = self._adopter(verb_k)
                if adopter:
                    props["adoptedBy"] = [adopter]
                props["status"] = status
                orient = _orientation(lows)
                if orient:
                    props["orientation"] = orient
                d = self.date(verb_k)
                if d:
                    props["date"] = d
                conf, note = self.qualify(props, verb_k, C.POLICY_NEW)
                note = self._unsettled(props, verb_k, note)
                self.emit("Policy", pid, self.sentence_span(), props, "policy.noun", conf, note)
                return

    def _unsettled(self, props: dict, k: int, note: str) -> str:
        """A policy that is demanded, hypothetical, conditional or negated is never adopted or
        implemented: a demand, modal or condition makes it ``proposed``; a negation drops the
        status (the text says it did not happen). Returns the note, extended with the reason."""
        if props.get("status") not in SETTLED_STATUSES:
            return note
        why = ""
        if self.negated(k):
            props.pop("status")
            return note
        if any(PRESSURE_TRIGGERS.get(self.low(m), ("", "", ""))[0] in DEMANDING_TYPES for m in range(self.si, k)):
            why = "demanded"
        elif any(self.low(m) in CONDITIONALS for m in range(self.si, k)):
            why = "conditional"
        elif props.get("hedge"):
            why = "hypothetical"
        if why:
            props["status"] = "proposed"
            note = (note + "; " if note else "") + f"{why}: proposed, not adopted"
        return note

    def _policy_noun_near(self, a: _Ent) -> bool:
        return any(self.low(m) in POLICY_NOUNS for m in range(a.i, min(self.sj, a.j + 1)))

    def _adopter(self, k: int) -> str | None:
        ci, cj = self.clause_bounds(k)
        for a, e in reversed(self.actors(ci, k)):
            if self._is_object_of_prep(a.i) and not self._possessive(a.j):
                continue
            if a.rule == "demonym" and not self._demonym_target(a):
                continue
            return e.id
        return None
