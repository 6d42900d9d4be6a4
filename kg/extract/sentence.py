"""One sentence: its tokens, actors, clauses, hedges, attribution and dates; emitting candidates."""

from __future__ import annotations


from . import confidence as C
from ..gazetteer import ACTOR_CLASSES
from .lexicon import (ADDRESSEE_VERBS, CONDITIONALS, HEDGE_MODALS, HEDGE_PHRASES, HEDGE_WORDS, LEX, MONTHS, RELATIVE_YEARS,
                      SPEECH_VERBS, SUBORDINATORS, UNIT_WORDS, YEAR_MAX, YEAR_MIN)
from .model import Candidate, Entity


class SentenceBase:
    def __init__(self, ctx: _DocContext, toks, starts, ends, si: int, sj: int,
                 ents: list[tuple[_Ent, Entity]], para_year: int | None, is_line: bool):
        self.ctx, self.toks, self.starts, self.ends = ctx, toks, starts, ends
        self.si, self.sj = si, sj
        self.ents = ents
        self.para_year = para_year
        self.is_line = is_line
        self.lowers = [t.lower_ for t in toks[si:sj]]
        self.ent_at: dict[int, tuple[_Ent, Entity]] = {}
        for a, e in ents:
            for k in range(a.i, a.j):
                self.ent_at[k] = (a, e)

    # --- helpers ------------------------------------------------------------------------------

    def low(self, k: int) -> str:
        return self.toks[k].lower_ if self.si <= k < self.sj else ""

    def opens_clause(self, x: int) -> bool:
        """Whether a condition or a subordinate clause starts at ``x``, ending the phrase before it
        ('tariffs if Trump's tariffs went ...', 'troops before Trump threatened'); 'even with
        visas' and 'as high as' do not."""
        nxt = self.toks[x + 1] if x + 1 < self.sj else None
        if self.low(x) in LEX.condition_openers or (self.low(x) in CONDITIONALS and nxt is not None and nxt.lower_ == "that"):
            return True   # ('providing support' is no condition; 'providing that X' is)
        return self.low(x) in SUBORDINATORS and nxt is not None and (
            nxt.text[:1].isupper() or nxt.lower_ in LEX.articles | LEX.person_subject_pronouns)

    def before_clause(self, start: int, end: int) -> int:
        """``end`` moved back over a duration that belongs to the clause opened at ``end``
        ('deploy troops months before Trump threatened' -> 'deploy troops')."""
        if end - 1 > start and UNIT_WORDS.get(self.low(end - 1)) in LEX.duration_units:
            end -= 1
            while end - 1 > start and (self.toks[end - 1].like_num or self.low(end - 1) in LEX.articles):
                end -= 1
        return end

    def actors(self, i: int, j: int) -> list[tuple[_Ent, Entity]]:
        return [(a, e) for a, e in self.ents if a.i >= i and a.j <= j and e.cls in ACTOR_CLASSES]

    def span(self, i: int, j: int) -> tuple[int, int]:
        return self.starts[i], self.ends[j - 1]

    def orig(self, i: int, j: int) -> str:
        """The document's own text of tokens [i, j), single-spaced."""
        if j <= i:
            return ""
        return " ".join(self.ctx.result.text[self.starts[i]:self.ends[j - 1]].split())

    def sentence_span(self) -> tuple[int, int]:
        i, j = self.si, self.sj
        while j > i + 1 and self.toks[j - 1].text in {'"', "'"}:
            j -= 1
        return self.span(i, j)

    def clause_bounds(self, k: int) -> tuple[int, int]:
        """Token range of the clause around ``k`` (split at ; : and at commas before subordinators)."""
        i = k
        while i > self.si and self.toks[i - 1].text not in {";", ":"}:
            i -= 1
        j = k + 1
        while j < self.sj and self.toks[j].text not in {";", ":"}:
            j += 1
        return i, j

    def negated(self, k: int) -> str:
        lo = max(self.si, k - 4)
        words = self.lowers[lo - self.si:k - self.si]
        for w_i, w in enumerate(words):
            if w in LEX.negators:
                start = lo + w_i
                aux = self.toks[start - 1].text if start - 1 >= self.si and self.low(start - 1) in LEX.negation_aux \
                    else ""
                return (aux + " " + self.toks[start].text).strip() if aux else self.toks[start].text
        return ""

    def hedge(self, k: int, lo: int | None = None) -> str:
        lo = self.si if lo is None else lo
        words = self.lowers[lo - self.si:k - self.si]
        for a, b, *rest in [p + ("",) for p in HEDGE_PHRASES]:
            phrase = [a, b] + [x for x in rest if x]
            for s in range(len(words) - len(phrase) + 1):
                if words[s:s + len(phrase)] == phrase:
                    return " ".join(phrase)
        window = list(range(max(lo, k - 6), k))
        for m in reversed(window):
            w = self.toks[m].text
            if w in HEDGE_MODALS - LEX.unhedging_modals:
                return w
        for w in words:
            if w in HEDGE_WORDS:
                return w
        after = self.lowers[k - self.si + 1:k - self.si + 3]
        for w in after:
            if w in HEDGE_WORDS:
                return w
        return ""

    def attribution(self) -> tuple[list[str], str]:
        """Who the sentence attributes its content to ("X said", "according to X")."""
        ids = []
        for k in range(self.si, self.sj - 1):
            if self.low(k) == "according" and self.low(k + 1) == "to":
                for a, e in self.actors(k + 2, min(self.sj, k + 10)):
                    ids.append(e.id)
                    break
            if self.low(k) in SPEECH_VERBS and k not in self.ent_at and not self.toks[k].is_title:
                before = self.ent_at.get(k - 1)
                after = self.ent_at.get(k + 1)
                if before and before[1].cls in ACTOR_CLASSES:
                    ids.append(before[1].id)
                elif after and after[1].cls in ACTOR_CLASSES and self.low(k) not in ADDRESSEE_VERBS:
                    ids.append(after[1].id)   # "said X"; but "told X": X heard it, the speaker is before
        if not ids:   # a sentence of a quotation whose attribution clause is in another sentence
            speakers = [self.quote_speaker(k) for k in range(self.si, self.sj) if self.toks[k].is_alpha]
            if speakers and all(sp is not None and sp.id == speakers[0].id for sp in speakers):
                ids.append(speakers[0].id)
        seen = []
        for i in ids:
            if i not in seen:
                seen.append(i)
        return seen, ""

    def date(self, near: int | None = None) -> str:
        """The date the sentence gives (as precise as the text), nearest to token ``near``."""
        best, best_dist = "", 10**9
        toks, n = self.toks, self.sj
        k = self.si
        while k < n:
            low = toks[k].lower_
            found, span_end = "", k + 1
            if low in MONTHS and toks[k].is_title:
                month = MONTHS[low]
                year = day = None
                m = k + 1
                if m < n and toks[m].text.isdigit() and 1 <= int(toks[m].text) <= 31 and len(toks[m].text) <= 2:
                    day = int(toks[m].text)
                    m += 1
                    if m < n and toks[m].text == ",":
                        m += 1
                if m < n and toks[m].text.isdigit() and len(toks[m].text) == 4:
                    year = int(toks[m].text)
                    m += 1
                if day is None and k - 1 >= self.si and toks[k - 1].text.isdigit() and len(toks[k - 1].text) <= 2:
                    day = int(toks[k - 1].text)
                if self.in_range(k):
                    k = m
                    continue
                if year is None:
                    year = self.ctx.month_years.get(month) or self.para_year
                if year is not None and (low != "may" or day or k - 1 < self.si
                                         or toks[k - 1].lower_ in LEX.may_month_cues):
                    found = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
                span_end = m
            elif low.isdigit() and len(low) == 4 and YEAR_MIN <= int(low) <= YEAR_MAX and k - 1 >= self.si \
                    and toks[k - 1].lower_ in LEX.year_cues \
                    and not self.in_range(k):
                found = low
            elif low in RELATIVE_YEARS and k + 1 < n and toks[k + 1].lower_ == "year" \
                    and self.ctx.dateline_year:
                found = str(self.ctx.dateline_year + RELATIVE_YEARS[low])
            if found:
                dist = 0 if near is None else abs(k - near)
                if dist < best_dist:
                    best, best_dist = found, dist
            k = span_end
        return best

    def in_range(self, k: int) -> bool:
        for m in range(max(self.si, k - 5), k):
            if self.low(m) in LEX.range_openers:
                return True
        nxt = [self.low(m) for m in range(k + 1, min(self.sj, k + 4))]
        return "to" in nxt[:2] and self.low(k - 1) not in {"in"}

    def emit(self, kind: str, thing: str, span: tuple[int, int], props: dict, rule: str, conf: float,
             note: str = "") -> Candidate:
        cand = Candidate(kind, thing, span[0], span[1], props, rule, round(conf, 2), note)
        res = self.ctx.result
        res.statements.append(cand)
        if thing not in res.entities and thing not in self.ctx.ex.gaz.things:
            res.entities[thing] = Entity(thing, kind, self._label(kind, props, span), False, rule, cand.confidence)
        return cand

    def _label(self, kind: str, props: dict, span: tuple[int, int]) -> str:
        """A readable label for a new statement thing (the reviewer may improve it)."""
        def names(key: str) -> str:
            out = []
            for tid in props.get(key, []) or []:
                e = self.ctx.result.entities.get(tid)
                thing = self.ctx.ex.gaz.things.get(tid)
                out.append(e.label if e else thing.label if thing else tid)
            return " and ".join(out)
        when = f" ({props['date']})" if props.get("date") else ""
        if kind == "Pressure":
            verb = {"THREATEN": "threat", "DEMAND": "demand", "REQUEST": "request", "COERCE": "pressure",
                    "SANCTION": "sanction", "ACCUSE": "criticism"}.get(props.get("pressureType"), "pressure")
            agent, target = names("exertedBy"), names("targets")
            owner = f"{agent}{chr(39) if agent.endswith('s') else chr(39) + 's'} {verb}" if agent else verb
            return f"{owner} on {target}{when}" if target else f"{owner}{when}"
        if kind == "Agreement":
            parties = names("party")
            return f"agreement of {parties}{when}" if parties else f"agreement{when}: {self._snippet(span)}"
        if kind == "PolicyReversal":
            who = names("reversedBy")
            return f"policy reversal by {who}{when}" if who else f"policy reversal{when}: {self._snippet(span)}"
        return self._snippet(span)

    def _snippet(self, span: tuple[int, int]) -> str:
        words = self.ctx.result.text[span[0]:span[1]].split()
        return " ".join(words[:12]) + (" ..." if len(words) > 12 else "")

    # --- all rules ----------------------------------------------------------------------------

    def run(self) -> None:
        if self.sj - self.si < 3 and not self.ents:
            return
        self.attributed, _ = self.attribution()
        self.roles()
        self.pressures()
        self.faced_pressures()
        self.conditional_threats()
        self.agreements()
        self.reversals()
        self.policies()
        self.statistics()

    def qualify(self, props: dict, k: int, conf: float, lo: int | None = None) -> tuple[float, str]:
        """Add hedge / negation / attribution to a statement's properties; lower the confidence."""
        note = ""
        neg = self.negated(k)
        if neg:
            props["hedge"] = neg
            note = "negated: the text says this did not happen"
            conf *= C.NEGATED
        else:
            h = self.hedge(k, lo)
            if h:
                props["hedge"] = h
                conf *= C.HEDGED
        attributed = [a for a in self.attributed if a not in props.get("exertedBy", [])] or \
            [a for a in self.attributed]
        if attributed:
            props["attributedTo"] = attributed[:2]
            conf *= C.ATTRIBUTED
        return conf, note

    # --- actor roles ------------------------------------------------------------------------------

    def roles(self) -> None:
        for a, e in self.ents:
            if a.rule == "name.title" and not e.known and a.alts:
                title = a.alts[0][: -len(a.label)].strip()
                if title and title not in LEX.courtesy_titles:
                    first = a.title_start if a.title_start is not None else a.i - len(title.split())
                    span = self.span(max(self.si, first), a.j)
                    self.emit("Actor", e.id, span, {"role": title}, "actor.title", C.ROLE_STATEMENT)
