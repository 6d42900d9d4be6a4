"""Agreements: agree/sign/ratify, deals, declarations; parties, commitments, status, condition."""

from __future__ import annotations

from typing import Any


from . import confidence as C
from ..gazetteer import ACTOR_CLASSES, COUNTRIES, fold_name
from .lexicon import AGREEMENT_NOUNS, AGREEMENT_VERBS, CLAUSE_BREAKS, COMMIT_VERBS, LEX, SUBORDINATORS, phrases
from .model import Entity
from .tokens import _orientation

#: ("joint", "declaration"), ...: a joint document, an agreement event when released or signed
JOINT_DOCUMENTS = set(phrases("joint_documents"))
#: 'Mexican' -> 'Mexico'
STATE_OF_DEMONYM = {d: name for name, d in COUNTRIES.items()}


class AgreementRules:
    """Agreements rules, mixed into :class:`Sentence`."""

    def agreements(self) -> None:
        si, sj, lows = self.si, self.sj, self.lowers
        named = [(a, e) for a, e in self.ents if e.cls == "Agreement"]
        events: list[int] = []
        for k in range(si, sj):
            low = lows[k - si]
            if low in AGREEMENT_VERBS:
                if low.startswith("agree") and self.low(k + 1) in {"with"}:
                    continue
                if low in LEX.sign_nouns and self.low(k + 1) in LEX.sign_noun_complements:
                    continue
                if self.low(k - 1) in LEX.passive_be_forms and \
                        set(lows[max(0, k - si - 4):k - si]) & AGREEMENT_NOUNS:
                    continue  # "after the agreement was signed": a reference, not a new event
                if events and self.segment(events[-1]) == self.segment(k):
                    continue
                if self._refused_condition(k):
                    continue  # "if Mexico did not agree to his terms": no agreement, not even proposed
                if self.low(k - 1) in LEX.articles and self._clause_end(k + 1):
                    continue  # "details emerged from the signing.": the event told before, named again
                events.append(k)
            elif low in LEX.reach_verbs and \
                    set(lows[k - si + 1:k - si + 4]) & AGREEMENT_NOUNS:
                events.append(k)
            elif (low, self.low(k + 1)) in JOINT_DOCUMENTS and self.low(k - 1) in LEX.joint_determiners \
                    and any(w in LEX.release_verbs for w in lows):
                events.append(k)
        rule = "agreement.verb"
        if not events:
            cue = set(lows) & LEX.named_agreement_cues
            if named and cue:
                events, rule = [named[0][0].i], "agreement.named"
            else:
                for k in range(si, sj):
                    if lows[k - si] in AGREEMENT_NOUNS and self.low(k - 1) in LEX.agreement_noun_premodifiers:
                        commit = any(lows[m - si] in COMMIT_VERBS - {"agreed"} and self.low(m + 1) == "to"
                                     for m in range(k + 1, sj - 1))
                        if self._noun_commitment(k) or commit:
                            events, rule = [k], "agreement.noun"
                            break
            if not events:
                k = self._agreement_mention(named)
                if k is not None:
                    events, rule = [k], "agreement.mention"
            if not events and self.ctx.last_agreement and self.ctx.sentences - self.ctx.last_agreement[1] <= 1:
                k = next((m for m in range(si, sj - 1) if lows[m - si] in COMMIT_VERBS and self.low(m + 1) == "to"
                          and not self._refused_condition(m)), None)
                if k is not None:
                    events, rule = [k], "agreement.continued"
            if not events and self.ctx.last_agreement:
                k = self._party_commitment() or self.inclusion_of_last_agreement()
                if k is not None:
                    events, rule = [k], "agreement.continued"
        if not events:
            return
        segments = [self.segment(k) for k in events] if len(events) > 1 else [(si, sj)]
        used_named: set[str] = set()
        for k, (ci, cj) in zip(events, segments):
            inside = [(a, e) for a, e in named if a.i >= ci and a.j <= cj]
            if rule == "agreement.continued":
                thing_id, r, conf = self.ctx.last_agreement[0], rule, C.AGREEMENT_PREVIOUS
            elif inside and not self._conditional(inside[0][0].i, k):
                thing_id, r, conf = inside[0][1].id, "agreement.named", C.AGREEMENT_NAMED
            elif self.low(k + 1) in LEX.agreement_anaphors and self.ctx.last_agreement:
                thing_id, r, conf = self.ctx.last_agreement[0], "agreement.anaphor", C.AGREEMENT_PREVIOUS
            else:
                thing_id, r, conf = self.ctx.new_id("agreement"), rule, C.AGREEMENT_NEW
            used_named.add(thing_id)
            self._emit_agreement(thing_id, k, ci, cj, r, conf, single=len(events) == 1)
        # a named agreement the event only conditions or proposes ("would start negotiations on X")
        for a, e in named:
            if e.id not in used_named and self._conditional(a.i, events[0]):
                self._emit_agreement(e.id, a.i, si, sj, "agreement.proposed", C.AGREEMENT_PROPOSED, single=True,
                                     status="proposed")
                used_named.add(e.id)

    def _agreement_mention(self, named) -> int | None:
        """An agreement noun without an agreement verb that still tells an agreement: with its other
        party ('a Safe Third Country agreement with Guatemala')."""
        for a, _ in named:
            if self._with_party(a.j - 1):
                return a.i
        for k in range(self.si, self.sj):
            if self.low(k) not in AGREEMENT_NOUNS or any(a.i <= k < a.j for a, _ in named):
                continue
            if self._with_party(k):
                return k
        for k in range(self.si, self.sj):
            if self.low(k) in LEX.negotiation_nouns and self._between_parties(k):
                return k
        return None

    def _party_commitment(self) -> int | None:
        """'X promised to VP' where X, the sentence's first actor, is a party of the document's last
        agreement, or a body named by a party state's demonym ('The Mexican delegation'): the
        agreement's commitment, told later."""
        m = next((m for m in range(self.si, self.sj - 1) if self.low(m) in COMMIT_VERBS
                  and self.low(m + 1) == "to" and not self._refused_condition(m)), None)
        subject = self.actors(self.si, m)[:1] if m is not None else []
        if not subject:
            return None
        parties = set(self._last_parties(self.ctx.last_agreement[0]))
        a, e = subject[0]
        state = STATE_OF_DEMONYM.get(e.label.split()[0]) if not e.known and e.cls == "GovernmentBody" else None
        known = self.ctx.ex.by_name.get(fold_name(state)) if state else None
        return m if e.id in parties or (known is not None and known.id in parties) else None

    def _last_parties(self, thing_id: str) -> list[str]:
        return [p for c in self.ctx.result.statements if c.kind == "Agreement" and c.thing == thing_id
                for p in c.props.get("party", [])]

    def _between_parties(self, k: int) -> bool:
        """'negotiations (held in X) between A and B', A and B actors, before the clause ends."""
        for m in range(k + 1, min(self.sj - 3, k + 8)):
            if self.toks[m].text in {",", ";"}:
                return False
            if self.low(m) == "between":
                a = m + 2 if self.low(m + 1) in LEX.articles else m + 1
                if a not in self.ent_at or self.ent_at[a][1].cls not in ACTOR_CLASSES:
                    return False
                b = self.ent_at[a][0].j
                b = b + 1 if self.low(b) in LEX.coordinators else -1
                b = b + 1 if b > 0 and self.low(b) in LEX.articles else b
                return b in self.ent_at and self.ent_at[b][1].cls in ACTOR_CLASSES
        return False

    def _with_party(self, k: int) -> bool:
        """'agreement with (the) X', X an actor; not the verb ('has to deal with X', 'will deal with X')."""
        m = k + 3 if self.low(k + 2) in LEX.articles else k + 2
        verb = self.low(k - 1) == "to" or self.low(k - 1) in LEX.hedge_modals
        return not verb and self.low(k + 1) == "with" and m in self.ent_at and self.ent_at[m][1].cls in ACTOR_CLASSES

    def segment(self, k: int) -> tuple[int, int]:
        """The comma-delimited stretch around ``k`` (names that contain commas stay whole)."""
        i = k
        while i > self.si and self.toks[i - 1].text not in {",", ";", ":"} or (
                i > self.si and (i - 1) in self.ent_at and self.ent_at[i - 1][0].i < i - 1):
            i -= 1
        j = k + 1
        while j < self.sj and (self.toks[j].text not in {",", ";", ":", "."} or (
                j in self.ent_at and self.ent_at[j][0].i < j)):
            j += 1
        return i, j

    def _refused_condition(self, k: int) -> bool:
        """A verb negated in a condition ('if Mexico did not agree to his terms'): no event."""
        return bool(self.negated(k)) and self._in_condition(k)

    def _in_condition(self, k: int) -> bool:
        """Whether ``k`` is in a clause opened by 'if' or 'unless' (up to a comma before it)."""
        for m in range(k - 1, max(self.si, k - 12) - 1, -1):
            if self.toks[m].text in CLAUSE_BREAKS:
                return False
            if self.low(m) in LEX.condition_openers:
                return True
        return False

    def _demonym_agent(self, a) -> bool:
        """'the Mexican government', 'the US and Mexican governments': the demonym's state acts."""
        return a.rule == "demonym" and a.j < self.sj and self.low(a.j) in LEX.demonym_agent_heads

    def _conditional(self, i: int, k: int) -> bool:
        """The named agreement at ``i`` is only proposed: after if/unless, 'negotiations on', 'consider'."""
        before = self.lowers[max(0, i - self.si - 6):i - self.si]
        return bool(set(before) & LEX.proposal_cues) and i > k

    def _noun_commitment(self, k: int) -> bool:
        """'the agreement between X and Y to VP': a nominal agreement with a commitment."""
        for m in range(k + 1, min(self.sj, k + 12)):
            if self.low(m) == "to" and not (m + 1) in self.ent_at and self.low(m + 1) not in LEX.articles:
                return True
            if self.low(m) in {",", ";"} or self.low(m) in LEX.commitment_clause_verbs:
                return False
        return False

    def _emit_agreement(self, thing_id: str, trigger: int, ci: int, cj: int, rule: str, conf: float,
                        single: bool, status: str | None = None) -> None:
        si = self.si
        first = ci
        if single and self.lowers[0] in SUBORDINATORS:
            for m in range(si, trigger):
                if self.toks[m].text == ",":
                    first = m + 1
                    break
        parties = []
        for a, e in self.actors(first, cj):
            if e.cls in {"State", "Person", "Administration", "GovernmentBody", "InternationalOrganization"} \
                    and e.id not in parties and (self._is_agent(a, e) or self._demonym_agent(a)):
                parties.append(e.id)
        props: dict[str, Any] = {}
        if parties:
            props["party"] = parties[:6]
        words = set(self.lowers[ci - si:cj - si])
        if status:
            props["status"] = status
        elif words & LEX.ratify_forms:
            props["status"] = "ratified" if "ratified" in words and not words & LEX.ratification_intent_cues \
                else "proposed"
        elif words & LEX.reject_forms:
            props["status"] = "rejected"
        elif words & LEX.signed_status_cues and "would" not in words:
            props["status"] = "signed"
        elif words & LEX.proposed_status_cues:
            props["status"] = "proposed"
        cond = self._condition(trigger)
        if cond:
            props["condition"] = cond
        d = self.date(trigger)
        if d:
            props["date"] = d
        commitments = self._commitments(first, parties)
        if rule == "agreement.continued" and self.low(trigger) in LEX.inclusion_verbs:
            commitments += self.included_commitments(trigger, parties or self._last_parties(thing_id)[:1])
        if commitments:
            props["commitment"] = commitments
        conditional = next((w for w in self.lowers[:trigger - si] if w in LEX.condition_openers), None)
        if conditional and status is None:
            props["status"] = "proposed"
        conf, note = self.qualify(props, trigger, conf)
        if conditional and "hedge" not in props:
            props["hedge"] = conditional
            conf *= C.HEDGED
        span = self.sentence_span() if single else self.span(ci, cj)
        self.emit("Agreement", thing_id, span, props, rule, conf, note)
        self.ctx.last_agreement = (thing_id, self.ctx.sentences)

    def _condition(self, k: int) -> str:
        for m in range(self.si, self.sj):
            if self.low(m) in LEX.condition_openers:
                end = m + 1
                while end < self.sj and self.toks[end].text not in {",", ";", "."} and end - m < 25:
                    end += 1
                if end - m > 3:
                    return self.orig(m, end)
        return ""

    def _commitments(self, first: int, parties: list[str]) -> list[str]:
        """Policies the parties commit to: "promised to VP", "agreed to VP" (new Policy things)."""
        out = []
        for m in range(first, self.sj - 2):
            if self.low(m) in COMMIT_VERBS and self.low(m + 1) == "to" and not self._refused_condition(m):
                start = m + 2
                if self.toks[start].text in {'"', "'"}:
                    start += 1
                end = start
                while end < self.sj and self.toks[end].text not in {",", ";", ":", ".", '"', "(", ")"} \
                        and self.low(end) not in LEX.commitment_ends and not (end > start and self.opens_clause(end)) \
                        and end - start < 14:
                    end += 1
                if start < end < self.sj and self.opens_clause(end):
                    end = self.before_clause(start, end)
                if end - start < 2:
                    continue
                if self.low(start) in LEX.anaphoric_objects:
                    continue
                label = self.orig(start, end)
                pid = self.ctx.new_id("policy")
                adopter = None
                for a, e in reversed(self.actors(first, m)):
                    adopter = e.id
                    break
                props: dict[str, Any] = {"status": "proposed"}
                if adopter:
                    props["adoptedBy"] = [adopter]
                orient = _orientation(self.lowers[start - self.si:end - self.si])
                if orient:
                    props["orientation"] = orient
                self.ctx.result.entities.setdefault(pid, Entity(pid, "Policy", label, False, "policy.commitment", C.POLICY_COMMITMENT,
                                                                mentions=[self.span(start, end)]))
                self.emit("Policy", pid, self.span(start, end), props, "policy.commitment", C.POLICY_COMMITMENT)
                out.append(pid)
        return out
