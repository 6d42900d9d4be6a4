"""An agreement's commitments listed after it: 'These include, sending 6,000 troops to the border,
expanding the MPP and dismantling the gangs.' -- in the sentence right after an agreement, an
anaphoric subject (``plural_anaphors``) and an inclusion verb (``inclusion_verbs``) continue that
agreement, and each gerund phrase of the list is one of its commitments: a Policy, always
``proposed`` (a commitment is a promise, not a policy in force)."""

from __future__ import annotations

from typing import Any

from . import confidence as C
from .lexicon import LEX
from .model import Entity
from .tokens import _orientation


class CommitmentLists:
    """Commitment lists, mixed into :class:`Sentence`."""

    def inclusion_of_last_agreement(self) -> int | None:
        """The inclusion verb of 'These include ...' right after an agreement, or None."""
        si = self.si
        if not (self.ctx.last_agreement and self.ctx.sentences - self.ctx.last_agreement[1] <= 1):
            return None
        if self.low(si) in LEX.plural_anaphors and self.low(si + 1) in LEX.inclusion_verbs:
            return si + 1
        return None

    def included_commitments(self, k: int, adopters: list[str]) -> list[str]:
        """Each gerund phrase after the inclusion verb at ``k``, up to a comma or 'and' before the
        next gerund: a new proposed Policy."""
        out, m, sj = [], k + 1, self.sj
        while m < sj:
            if self.toks[m].text in {",", ";", ":"} or self.low(m) in LEX.coordinators:
                m += 1
                continue
            if not (self.toks[m].is_alpha and self.low(m).endswith("ing") and self.toks[m].is_lower):
                break
            end = m + 1
            while end < sj and not self._list_break(end):
                end += 1
            out.append(self._commitment_policy(m, end, adopters))
            m = end
        return out

    def _list_break(self, k: int) -> bool:
        """Does the list item end before ``k``: a comma or 'and' before the next gerund, or the end?"""
        nxt = self.low(k + 1) if k + 1 < self.sj else ""
        if self.toks[k].text in {";", "."} or k + 1 >= self.sj:
            return True
        if self.toks[k].text == ",":
            return nxt.endswith("ing") or nxt in LEX.coordinators
        return self.low(k) in LEX.coordinators and nxt.endswith("ing") and self.toks[k + 1].is_lower

    def _commitment_policy(self, start: int, end: int, adopters: list[str]) -> str:
        pid = self.ctx.new_id("policy")
        props: dict[str, Any] = {"status": "proposed"}
        if adopters:
            props["adoptedBy"] = adopters[:1]
        orient = _orientation(self.lowers[start - self.si:end - self.si])
        if orient:
            props["orientation"] = orient
        self.ctx.result.entities.setdefault(pid, Entity(pid, "Policy", self.orig(start, end), False,
                                                        "policy.commitment-list", C.POLICY_COMMITMENT,
                                                        mentions=[self.span(start, end)]))
        self.emit("Policy", pid, self.span(start, end), props, "policy.commitment-list", C.POLICY_COMMITMENT,
                  "a commitment of the agreement before: proposed")
        return pid
