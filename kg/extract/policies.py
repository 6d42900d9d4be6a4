"""Policies: an adoption verb with a policy noun or a known policy; status and orientation."""

from __future__ import annotations

from typing import Any


from . import confidence as C
from ..gazetteer import ACTOR_CLASSES
from .lexicon import (PERSON_TITLES, CLAUSE_BREAKS, CONDITIONALS, INTENTION_NOUNS, LEX, POLICY_NOUNS, POLICY_VERBS,
                      PRESSURE_TRIGGERS, SPEECH_VERBS, entries)

#: Statuses a policy gets only when the text asserts it as done.
SETTLED_STATUSES = {"adopted", "implemented", "expanded"}
#: Pressure types whose object is what someone else should do.
DEMANDING_TYPES = {"DEMAND", "REQUEST", "COERCE", "THREATEN"}
from .model import Entity
from .tokens import _orientation

#: The longest infinitive phrase read as an intended policy, in tokens.
MAX_POLICY_WORDS = 14
#: Actors whose plans are not policies: groups of people.
GROUP_CLASSES = {"PopulationGroup", "CriminalGroup"}
#: How many lower-case premodifiers may stand between a policy's owner and its noun ('tough new immigration').
MAX_PREMODIFIERS = 4
#: the classes whose name, as a noun adjunct after an article, owns a policy ('the Obama initiative')
OWNER_ADJUNCTS = frozenset({"Person", "Administration"})
#: 'proposed' -> 'proposed': a participle before a policy noun that gives its status
STATUS_PREMODIFIERS: dict[str, str] = {w: spec["status"] for w, spec in entries("status_premodifiers").items()}


class PolicyRules:
    """Policies rules, mixed into :class:`Sentence`."""

    def policies(self) -> None:
        self._policy_statements()
        self._intended_policies()
        self._owned_policies()
        self._governing_policies()

    def _policy_statements(self) -> None:
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
        self._quoted_policy(verb_k, status)

    def _quoted_policy(self, verb_k: int, status: str) -> None:
        """An adoption verb right before a term in quotation marks ('They also expand "expedited
        removal"'): the quoted term names the policy."""
        q = verb_k + 1
        if q >= self.sj or self.toks[q].text not in LEX.quotation_marks:
            return
        end = next((m for m in range(q + 2, min(self.sj, q + 7)) if self.toks[m].text in LEX.quotation_marks), None)
        if end is None or not all(self.toks[m].is_alpha or self.toks[m].text == "-" for m in range(q + 1, end)):
            return
        pid, props = self.new_policy(q + 1, end, self._adopter(verb_k), status, verb_k, "policy.quoted", C.POLICY_NEW)
        conf, note = self.qualify(props, verb_k, C.POLICY_NEW)
        note = self._unsettled(props, verb_k, note)
        self.emit("Policy", pid, self.sentence_span(), props, "policy.quoted", conf, note)

    def _intended_policies(self) -> None:
        """'Mexico pledged to take back more families', 'he planned to close the border': the
        infinitive after an intention verb is a proposed Policy of the verb's subject (never adopted;
        negated, it gets no status); after an intention noun ('the decision to send vaccine'), the
        noun's status, unsettled by a demand, modal or condition. A policy another rule gave for
        the same words is not repeated."""
        for k in range(self.si, self.sj - 2):
            if self.low(k + 1) != "to" or not (self.low(k) in LEX.intention_verbs or self.low(k) in INTENTION_NOUNS):
                continue
            status = INTENTION_NOUNS.get(self.low(k), "proposed")
            start = k + 2
            end = start
            while end < self.sj and self.toks[end].text not in CLAUSE_BREAKS and self.low(end) not in LEX.demand_ends \
                    and end - start < MAX_POLICY_WORDS:
                end += 1
            if end - start < 2 or self.low(start) in LEX.passive_participle_be or self._policy_told(start, end):
                continue   # "a decision to be made": a passive infinitive is no course of action
            adopter = self._adopter(k)
            if adopter is None:
                pronoun = self.pronoun_actor(k - 1)
                adopter = pronoun.id if pronoun is not None else None
            if adopter is not None and self._entity_class(adopter) in GROUP_CLASSES:
                continue   # "migrants who planned to settle in Mexico": a plan of people, not a policy
            pid, props = self.new_policy(start, end, adopter, status, k, "policy.intended", C.POLICY_INTENDED)
            conf, note = self.qualify(props, k, C.POLICY_INTENDED)
            if note:           # negated: the text says it was not intended
                props.pop("status")
            elif status == "proposed":
                note = "intended: proposed, not adopted"
            else:
                note = self._unsettled(props, k, note)
            self.emit("Policy", pid, self.sentence_span(), props, "policy.intended", conf, note)

    def _owned_policies(self) -> None:
        """A policy noun phrase that names whose policy it is: 'President Donald Trump's tough new
        immigration directives', 'the new Mexican policy', 'a new policy by President X'. No status:
        the phrase does not say whether the policy was proposed, adopted or in force."""
        k = self.si
        while k < self.sj:
            if self.low(k) not in POLICY_NOUNS:
                k += 1
                continue
            head = k
            while head + 1 < self.sj and self.low(head + 1) in POLICY_NOUNS:
                head += 1
            start, owner = self._policy_owner(k, head)
            if owner is not None and head == start and self._possessive(start - 1) and start - 2 in self.ent_at:
                start = self.ent_at[start - 2][0].i   # a bare noun keeps its owner: "Barack Obama's orders"
            if owner is not None and not self._phrase_told(start, head + 1):
                pid, props = self.new_policy(start, head + 1, owner.id, None, None, "policy.owned", C.POLICY_OWNED)
                conf, note = self.qualify(props, k, C.POLICY_OWNED)
                self.emit("Policy", pid, self.span(start, head + 1), props, "policy.owned", conf, note)
            k = head + 1

    def _governing_policies(self) -> None:
        """'under (a) PREMODIFIERS POLICY-NOUN': the rule an action is done by is a Policy; its status
        only from a status participle ('under proposed ... legislation' -> proposed), else none."""
        for k in range(self.si, self.sj - 2):
            if self.low(k) not in LEX.governing_prepositions:
                continue
            start = k + 2 if self.low(k + 1) in LEX.articles else k + 1
            m = start
            while m < self.sj and m - start <= MAX_PREMODIFIERS and self.low(m) not in POLICY_NOUNS \
                    and (m in self.ent_at or (self.toks[m].is_alpha and self.toks[m].is_lower)):
                m += 1
            if m >= self.sj or self.low(m) not in POLICY_NOUNS or m == start and self.low(m) in LEX.articles:
                continue
            head = m
            while head + 1 < self.sj and self.low(head + 1) in POLICY_NOUNS:
                head += 1
            if self._phrase_told(start, head + 1):
                continue
            status = next((STATUS_PREMODIFIERS[self.low(x)] for x in range(start, m)
                           if self.low(x) in STATUS_PREMODIFIERS), None)
            owner = next((self.ent_at[x][1].id for x in range(start, m) if x in self.ent_at
                          and self.ent_at[x][1].cls in ACTOR_CLASSES), None)
            pid, props = self.new_policy(start, head + 1, owner, status, k, "policy.governing", C.POLICY_GOVERNING)
            conf, note = self.qualify(props, k, C.POLICY_GOVERNING)
            note = self._unsettled(props, k, note)
            self.emit("Policy", pid, self.span(start, head + 1), props, "policy.governing", conf, note)

    def _policy_owner(self, k: int, head: int) -> tuple[int, Entity | None]:
        """(first token of the phrase, owner) of the policy noun(s) k..head: a possessor ('X's new
        NOUN'), a demonym among the premodifiers ('the new Mexican NOUN'), or 'NOUN by X'."""
        m = k - 1
        while m >= self.si and m not in self.ent_at and self.toks[m].is_alpha and self.toks[m].is_lower \
                and self.low(m) not in LEX.articles | LEX.prepositions | SPEECH_VERBS and k - m <= MAX_PREMODIFIERS:
            m -= 1   # (a speech verb is no premodifier: 'Mexican officials announced plans')
        pair = self.ent_at.get(m - 1 if self._possessive(m) else m)
        if pair is not None and pair[1].cls in ACTOR_CLASSES:
            a, e = pair
            if self._possessive(a.j) and a.j + 1 <= k:
                return a.j + 1, e
            if a.rule == "demonym" and a.j == m + 1:
                return a.i, e
            if a.j == m + 1 and a.i > self.si and self.low(a.i - 1) in LEX.articles and e.cls in OWNER_ADJUNCTS:
                return a.i, e   # a name as noun adjunct: 'the Obama initiative'
        b = head + 2   # 'a new policy by (center-left) President X'
        while b < self.sj and b - head - 1 <= MAX_PREMODIFIERS and b not in self.ent_at and (
                self.toks[b].is_lower or self.toks[b].text == "-" or self.toks[b].text in PERSON_TITLES):
            b += 1
        if self.low(head + 1) == "by" and b in self.ent_at and self.ent_at[b][1].cls in ACTOR_CLASSES:
            return m + 1, self.ent_at[b][1]
        return k, None

    def new_policy(self, start: int, end: int, adopter: str | None, status: str | None, date_near: int | None,
                   rule: str, conf: float) -> tuple[str, dict[str, Any]]:
        """A new Policy thing named by tokens [start, end), and the properties of its statement:
        adopter, status, orientation (from its words), date (near ``date_near``)."""
        pid = self.ctx.new_id("policy")
        self.ctx.result.entities[pid] = Entity(pid, "Policy", self.orig(start, end), False, rule, conf,
                                               mentions=[self.span(start, end)])
        props: dict[str, Any] = {}
        if adopter:
            props["adoptedBy"] = [adopter]
        if status:
            props["status"] = status
        orient = _orientation(self.lowers[start - self.si:end - self.si])
        if orient:
            props["orientation"] = orient
        d = self.date(date_near) if date_near is not None else ""
        if d:
            props["date"] = d
        return pid, props

    def _policy_told(self, start: int, end: int) -> bool:
        """Has a rule already given a Policy whose evidence covers tokens [start, end)?"""
        a, b = self.span(start, end)
        return any(st.kind == "Policy" and st.start < b and a < st.end for st in self.ctx.result.statements)

    def _phrase_told(self, start: int, end: int) -> bool:
        """Has a rule given a Policy whose evidence lies within tokens [start, end)? (A policy told
        by a whole sentence is another one.)"""
        a, b = self.span(start, end)
        return any(st.kind == "Policy" and a <= st.start and st.end <= b for st in self.ctx.result.statements)

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

    def _entity_class(self, tid: str) -> str | None:
        e = self.ctx.result.entities.get(tid)
        return e.cls if e is not None else None

    def _adopter(self, k: int) -> str | None:
        ci, cj = self.clause_bounds(k)
        for a, e in reversed(self.actors(ci, k)):
            if self._is_object_of_prep(a.i) and not self._possessive(a.j):
                continue
            if a.rule == "demonym" and not self._demonym_target(a):
                continue
            return e.id
        return None
