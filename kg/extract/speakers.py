"""Who speaks: the speaker of a quotation, from its attribution clause after it ('"…," X said',
'"…," said X') or before it ('X said: "…"', 'X said that "…"'), and the actor a subject pronoun
stands for: 'I'/'we' inside a quotation are its speaker; 'he'/'she' are the one person the
sentence names before the pronoun, or else the one person the previous sentence names. An
ambiguous pronoun (two persons) stands for nobody."""

from __future__ import annotations

from ..gazetteer import ACTOR_CLASSES
from .lexicon import LEX, SPEECH_VERBS
from .model import Entity, _Ent

#: Every double quotation mark is folded to this one character (text.py), opening and closing alike.
QUOTE = '"'
#: Punctuation between a reporting clause and the quotation it introduces ('X said: "…"').
INTRODUCERS = {",", ":"}


def _speaker_ent(pair) -> bool:
    return pair is not None and pair[1].cls in ACTOR_CLASSES and pair[0].rule != "demonym"


def quotations(toks, resolved: list[tuple[_Ent, Entity]]) -> list[tuple[int, int, Entity | None]]:
    """The block's quotations as (opening mark, closing mark, speaker): marks pair up in order, a
    last unpaired one runs to the block's end; the speaker is the actor of the attribution clause
    right after the closing mark, else right before the opening mark, else unknown."""
    ent_at: dict[int, tuple[_Ent, Entity]] = {}
    for a, e in resolved:
        for k in range(a.i, a.j):
            ent_at[k] = (a, e)
    marks = [k for k, t in enumerate(toks) if t.text == QUOTE]
    out = []
    for n in range(0, len(marks), 2):
        qa = marks[n]
        qb = marks[n + 1] if n + 1 < len(marks) else len(toks)
        speaker = _speaker_after(toks, ent_at, qb) or _speaker_before(toks, ent_at, qa)
        out.append((qa, qb, speaker))
    return out


def _speaker_after(toks, ent_at, qb: int) -> Entity | None:
    """'"…," X said' or '"…," said X' (a determiner may open X: 'said the minister')."""
    m = qb + 1
    if m >= len(toks):
        return None
    pair = ent_at.get(m)
    if _speaker_ent(pair) and pair[0].i == m and pair[0].j < len(toks) \
            and toks[pair[0].j].lower_ in SPEECH_VERBS:
        return pair[1]
    if toks[m].lower_ in SPEECH_VERBS:
        m += 1
        while m < len(toks) and toks[m].lower_ in LEX.articles:
            m += 1
        pair = ent_at.get(m)
        if _speaker_ent(pair):
            return pair[1]
    return None


def _speaker_before(toks, ent_at, qa: int) -> Entity | None:
    """'X said: "…"', 'X said, "…"', 'X said "…"' and 'X <verb> that "…"' (reported speech)."""
    m = qa - 1
    if m < 1:
        return None
    if toks[m].text in INTRODUCERS and toks[m - 1].lower_ in SPEECH_VERBS:
        verb = m - 1
    elif toks[m].lower_ in SPEECH_VERBS:
        verb = m
    elif toks[m].lower_ == "that" and toks[m - 1].is_alpha:
        verb = m - 1     # the complementiser after a verb of saying, writing or posting
    else:
        return None
    pair = ent_at.get(verb - 1)
    return pair[1] if _speaker_ent(pair) else None


class SpeakerRoles:
    """The speaker of the quotation around a token and the actor of a subject pronoun, mixed into
    :class:`Sentence` (the block's quotations are ``ctx.quotes``, the previous sentence's persons
    ``ctx.previous_persons``)."""

    def quote_speaker(self, k: int) -> Entity | None:
        for qa, qb, speaker in self.ctx.quotes:
            if qa < k < qb:
                return speaker
        return None

    def in_quote(self, k: int) -> bool:
        return any(qa < k < qb for qa, qb, _ in self.ctx.quotes)

    def persons(self, i: int, j: int) -> list[Entity]:
        """The distinct persons named in tokens [i, j), in order."""
        out: list[Entity] = []
        for a, e in self.actors(i, j):
            if e.cls == "Person" and all(p.id != e.id for p in out):
                out.append(e)
        return out

    def pronoun_subject(self, k: int, lo: int) -> tuple[_Ent, Entity] | None:
        """The actor of a subject pronoun right before the verb at ``k`` ('he threatened', 'we will
        press', 'she has not asked'), as a one-token span at the pronoun; None when there is no
        such pronoun after ``lo`` or it is ambiguous."""
        m = k - 1
        while m >= max(lo, k - 4) and (self.low(m) in LEX.be_forms | LEX.have_forms | LEX.hedge_modals
                                       | LEX.threat_future_markers | LEX.negators):
            m -= 1
        if m < lo or m in self.ent_at:
            return None
        e = self.pronoun_actor(m)
        if e is None:
            return None
        return _Ent(m, m + 1, e.id, e.cls, e.label, e.known, "pronoun", e.confidence), e

    def pronoun_actor(self, k: int) -> Entity | None:
        """The actor the subject pronoun at ``k`` stands for, when it is unambiguous."""
        low = self.low(k)
        if low in LEX.first_person_subjects:
            return self.quote_speaker(k)
        if low in LEX.person_subject_pronouns and not self.in_quote(k):
            before = self.persons(self.si, k)
            if before:
                return before[0] if len(before) == 1 else None
            previous = self.ctx.previous_persons
            return previous[0] if len(previous) == 1 else None
        return None
