"""Agent and target from the clause's structure: the subject before a verb (after a leading
subordinate clause, or the main clause's subject for a participle), the object after it, the
possessor of a pressure noun, coordination, passive 'by X'. Used by every rule family."""

from __future__ import annotations

from ..gazetteer import ACTOR_CLASSES
from .lexicon import LEX, RESEARCH_VERBS, SPEECH_VERBS, SUBORDINATORS
from .model import Entity, _Ent


class ClauseRoles:
    """Subject, object and possessor heuristics on tokens, mixed into :class:`Sentence`."""

    def _clause_end(self, k: int) -> bool:
        return k >= self.sj or self.toks[k].text in {".", ",", ";", ":", "!", "?"}

    def _object_then_to(self, k: int) -> bool:
        for m in range(k + 1, min(self.sj, k + 6)):
            if self.low(m) in LEX.press_object_markers:
                return (k + 1) in self.ent_at or (k + 2) in self.ent_at
        return False

    def _dash(self, m: int) -> bool:
        t = self.toks[m]
        return t.text == "-" and (bool(t.whitespace_) or self.toks[m - 1].whitespace_ != ""
                                  or self.ctx.result.text[self.starts[m]] in "\u2014\u2013")

    def _target_limit(self, k: int) -> int:
        """Where the search for a target after token ``k`` stops (dash, bracket, semicolon)."""
        for m in range(k + 1, self.sj):
            if self.toks[m].text in {";", ":", "(", "!", "?"} or self._dash(m) or self._attribution_tag(m):
                return m
        return self.sj

    def _attribution_tag(self, m: int) -> bool:
        """A comma opening ', X said' or ', according to X': the speaker, not an object."""
        if self.toks[m].text != ",":
            return False
        if self.low(m + 1) == "according" and self.low(m + 2) == "to":
            return True
        actor = self.ent_at.get(m + 1) or (self.ent_at.get(m + 2) if self.low(m + 1) in LEX.articles else None)
        return actor is not None and self.low(actor[0].j) in SPEECH_VERBS | RESEARCH_VERBS

    def _is_agent(self, a: _Ent, e: Entity) -> bool:
        if e.cls == "State" and a.j in self.ent_at and self.ent_at[a.j][1].cls == "Person":
            return False  # "U.S. President Donald Trump": the state qualifies the person
        return e.cls in ACTOR_CLASSES and a.rule != "demonym"

    def _noun_agent_target(self, k: int):
        """'X's threat', 'U.S. pressures', 'pressure from X'; the target follows or is the subject."""
        ci, cj = self.clause_bounds(k)
        agent = target = None
        m = k - 1
        while m >= ci and self.low(m) in LEX.possessor_skips:
            m -= 1
        if m >= ci and m in self.ent_at and self._is_agent(*self.ent_at[m]):
            agent = self.ent_at[m]
        if agent is None and m >= ci and self.low(m) in LEX.third_person_possessives:
            # "Trump backed off his threat ...": the possessive pronoun is the clause's subject
            agent = self._subject_before(m)
        if agent is None and self.low(k + 1) in LEX.agent_prepositions:
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
        ci = self._reported_clause_start(ci, k)
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
        pronoun = self.pronoun_subject(k, ci)
        if pronoun is not None and (agent is None or agent[0].j <= pronoun[0].i):
            agent = pronoun   # "Trump said that he would press Mexico", '"We will press Mexico," Trump said'
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
            if comma is not None and (self.lowers[0] in SUBORDINATORS | LEX.leading_clause_openers
                                      or self.low(k - 1) in LEX.leading_verb_markers):
                for a, e in self.actors(comma + 1, min(cj, comma + 8)):
                    if self._is_agent(a, e):
                        agent = (a, e)
                        break
                limit = comma
        if agent is None:
            return None, None
        for a, e in self.actors(k + 1, limit):
            if e.id == agent[1].id or a.i <= agent[0].i < a.j or self._embedded_subject(a):
                continue
            if self._possessive(a.j) and not self._actor_noun(a.j + 1):
                continue
            if a.rule == "demonym" and not self._demonym_target(a):
                continue
            target = (a, e)
            break
        return agent, target

    def _reported_clause_start(self, ci: int, k: int) -> int:
        """Where the clause of the verb at ``k`` starts when it is reported speech: after 'X said
        (Wednesday) that' the speaker is not the subject of what follows ('Mexico said that more
        than 10,000 people have requested visas')."""
        for m in range(k - 1, ci, -1):
            if self.low(m) == "that" and any(self.low(v) in SPEECH_VERBS for v in range(max(ci, m - 3), m)):
                return m + 1
        return ci

    def _participle_clause(self, k: int) -> bool:
        """Is the trigger at ``k`` a participle opening a clause after a comma ("…, while also
        urging X", "…, threatening X")?"""
        if not self.low(k).endswith("ing"):
            return False
        m = k - 1
        while m > self.si and self.low(m) in LEX.participle_openers:
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
        return self.low(k) in LEX.attempt_nouns

    def _coordinated(self, ent: _Ent) -> list[Entity]:
        """Actors listed with ``ent``: 'X and Y', 'X, Y and Z' (a comma alone is not a list)."""
        out, seps = [], []
        m = ent.j
        while m + 1 < self.sj and (self.toks[m].text == "," or self.toks[m].text in LEX.coordinators):
            step = 2 if self.toks[m].text == "," and self.low(m + 1) in LEX.coordinators else 1
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
        return self.low(k) in LEX.actor_nouns

    def _is_object_of_prep(self, i: int) -> bool:
        m = i - 1
        while m >= self.si and self.low(m) in LEX.preposition_object_determiners:
            m -= 1
        return self.low(m) in LEX.prepositions

    def _demonym_target(self, a: _Ent) -> bool:
        """'Mexican goods', 'the Mexican government', and a plural demonym ('a ban on Guatemalans')."""
        nxt = self.low(a.j)
        return nxt in LEX.demonym_target_heads or self._plural_demonym(a)

    def _plural_demonym(self, a: _Ent) -> bool:
        text = self.toks[a.j - 1].text
        return a.j - a.i == 1 and text.endswith("s") and text[:-1].endswith(tuple(LEX.plural_demonym_endings))

    def _embedded_subject(self, a: _Ent) -> bool:
        """An actor right before a finite auxiliary is the subject of a clause of its own ('what
        the Trump administration is calling …'), not the object of the verb before it; the object of
        a preposition never is ('tariffs on Mexico is …': the whole phrase is the subject)."""
        return self.low(a.j) in LEX.be_forms | LEX.have_forms and not self._possessive(a.j) \
            and not self._is_object_of_prep(a.i)
