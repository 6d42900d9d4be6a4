"""The extractor: a blank spaCy pipeline with the gazetteer's span rulers, run block by block."""

from __future__ import annotations

import re
from bisect import bisect_right

from ..gazetteer import COUNTRIES, Gazetteer, fold_chars, fold_name, is_acronym
from .document import _DocContext
from .lexicon import KNOWN_BODIES, LEX
from .model import Extraction
from .names import _variants

#: Hard-wrapped text: a line that ends mid-sentence is at least this share of the widest line ...
WRAP_LINE_SHARE = 0.8
#: ... and at least this share of such lines are that wide.
WRAP_EVEN_LINES = 0.6


def _blank_nlp():
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z]\.)-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    return nlp


class Extractor:
    """Rules over a blank English spaCy pipeline, with the names of a :class:`Gazetteer`."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or Gazetteer()
        self.nlp = _blank_nlp()
        self.by_name: dict[str, KnownThing] = {}
        for name, thing in self.gaz.names():
            self.by_name.setdefault(fold_name(name), thing)
        self._build_rulers()
        # "U.S. President Donald Trump" -> donald-trump is a president of united-states
        self.person_state: dict[str, str] = {}
        for name, thing in self.gaz.names():
            m = re.match(r"^(.*?)\s*President\b", name)
            if thing.cls == "Person" and m and m.group(1):
                prefix = m.group(1).strip()
                st = self.by_name.get(fold_name(prefix))
                if st is None:
                    country = next((c for c, d in COUNTRIES.items() if d == prefix), None)
                    st = self.by_name.get(fold_name(country)) if country else None
                if st is not None and st.cls == "State":
                    self.person_state.setdefault(thing.id, st.id)

    # --- set-up ---------------------------------------------------------------------------------

    def _build_rulers(self) -> None:
        lower = self.nlp.add_pipe("span_ruler", name="gazetteer",
                                  config={"spans_key": "gaz", "phrase_matcher_attr": "LOWER"})
        exact = self.nlp.add_pipe("span_ruler", name="names",
                                  config={"spans_key": "names", "phrase_matcher_attr": "ORTH"})
        lower_patterns, exact_patterns = [], []
        for name, thing in self.gaz.names():
            target = exact_patterns if is_acronym(name) else lower_patterns
            for pattern in _variants(" ".join(fold_chars(name).split())):
                target.append({"label": thing.cls, "pattern": pattern, "id": thing.id})
        for country, demonym in COUNTRIES.items():
            known = self.by_name.get(fold_name(country))
            tid = known.id if known is not None and known.cls == "State" else "new:State:" + country
            if known is None:
                exact_patterns.append({"label": "State", "pattern": country, "id": tid})
            exact_patterns.append({"label": "Demonym", "pattern": demonym, "id": tid})
            if demonym.endswith(tuple(LEX.plural_demonym_endings)):   # "Mexicans": the state's nationals
                exact_patterns.append({"label": "Demonym", "pattern": demonym + "s", "id": tid})
        for cls, names in KNOWN_BODIES.items():
            for name in names:
                if fold_name(name) not in self.by_name:
                    exact_patterns.append({"label": cls, "pattern": name, "id": f"new:{cls}:{name}"})
        if lower_patterns:
            lower.add_patterns(lower_patterns)
        else:
            self.nlp.remove_pipe("gazetteer")
        exact.add_patterns(exact_patterns)
        self._gaz_acronyms = {fold_name(n) for n, _ in self.gaz.names() if is_acronym(n)}

    # --- text segmentation ------------------------------------------------------------------------

    @staticmethod
    def blocks(folded: str) -> list[tuple[int, int]]:
        """Spans of text between hard breaks (blank lines; single newlines unless hard-wrapped)."""
        lines = folded.split("\n")
        open_lengths = []
        total = 0
        for a, b in zip(lines, lines[1:]):
            a, b = a.rstrip(), b.strip()
            if a.strip() and b:
                total += 1
                if not re.search(r"[.!?:;\"')\]]$", a):
                    open_lengths.append(len(a.strip()))
        # hard-wrapped text: most lines end mid-sentence, at nearly the same width
        width = max(open_lengths, default=0)
        even = sum(1 for n in open_lengths if n >= WRAP_LINE_SHARE * width)
        wrapped = len(open_lengths) >= 3 and len(open_lengths) > total / 2 and even >= WRAP_EVEN_LINES * len(open_lengths)
        pattern = re.compile(r"\n[ \t\r\f\v]*\n\s*" if wrapped else r"\n\s*")
        out, pos = [], 0
        for m in pattern.finditer(folded):
            out.append((pos, m.start()))
            pos = m.end()
        out.append((pos, len(folded)))
        result = []
        for s, e in out:
            chunk = folded[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            if e - trail > s + lead:
                result.extend(_split_long(folded, s + lead, e - trail))
        return result

    @staticmethod
    def _collapse(block: str, offset: int) -> tuple[str, list[int], list[int]]:
        """Whitespace runs become one space; returns the text and an offset map (anchors)."""
        parts, ca, oa = [], [0], [offset]
        pos = clen = 0
        for m in re.finditer(r"\s{2,}|[^\S ]", block):
            parts.append(block[pos:m.start()])
            clen += m.start() - pos
            parts.append(" ")
            clen += 1
            pos = m.end()
            ca.append(clen)
            oa.append(offset + pos)
        parts.append(block[pos:])
        return "".join(parts), ca, oa

    # --- the document -----------------------------------------------------------------------------

    def process(self, text: str, stem: str = "doc") -> Extraction:
        """Extract entities and candidate statements from ``text``."""
        result = Extraction(text, stem)
        folded = fold_chars(text)
        blocks = self.blocks(folded)
        collapsed = [self._collapse(folded[s:e], s) for s, e in blocks]
        ctx = _DocContext(self, result, folded)
        ctx.find_dateline(blocks)
        for n, ((bstart, bend), (ctext, ca, oa), doc) in enumerate(zip(
                blocks, collapsed, self.nlp.pipe([c[0] for c in collapsed], batch_size=64))):
            ctx.block(doc, ca, oa, bstart, bend, n)
        result.sentences = ctx.sentences
        return result


MAX_BLOCK = 50_000  # characters; spaCy refuses texts over nlp.max_length (E088), and rules need no more


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of at most :data:`MAX_BLOCK` characters, each ending after a
    sentence end where there is one (else at a space, else anywhere)."""
    pieces = []
    while end - start > MAX_BLOCK:
        window = text[start:start + MAX_BLOCK]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > MAX_BLOCK // 2 else window.rfind(" ")
        cut = cut if cut > 0 else MAX_BLOCK
        pieces.append((start, start + cut))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces
