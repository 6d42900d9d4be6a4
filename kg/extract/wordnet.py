"""A development tool, never imported by the product: look words up in a local copy of
WordNet 3.0 (Debian's ``wordnet-base``, ``/usr/share/wordnet``) to find and check the sense
each lexicon entry comes from. ``kg/extract/data/lexicon.yaml`` is the frozen, reviewed result;
extraction reads only that file and downloads nothing.

    python -m kg.extract.wordnet threaten urge            # every sense of each word
    python -m kg.extract.wordnet --check                  # each lexicon entry's sense, checked

Synset names follow nltk's convention (``threaten.v.02``: the second sense of the word in the
index), so a name can be read with ``nltk.corpus.wordnet.synset`` too.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv", "s": "adj"}
LEXNAMES = ["adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
            "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
            "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
            "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
            "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
            "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
            "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl"]


@lru_cache(maxsize=None)
def _index(pos: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for line in (WORDNET / f"index.{POS[pos]}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        n_synsets, n_ptrs = int(parts[2]), int(parts[3])
        out[parts[0]] = [int(x) for x in parts[6 + n_ptrs:6 + n_ptrs + n_synsets]]
    return out


@lru_cache(maxsize=None)
def _data(pos: str) -> bytes:
    return (WORDNET / f"data.{POS[pos]}").read_bytes()


def synset_at(pos: str, offset: int) -> dict:
    data = _data(pos)
    end = data.index(b"\n", offset)
    line = data[offset:end].decode("latin-1")
    head, _, gloss = line.partition(" | ")
    parts = head.split()
    n_words = int(parts[3], 16)
    # an adjective's syntactic marker, (a) (p) (ip), is not part of the word (nltk drops it too)
    words = [re.sub(r"\((?:a|p|ip)\)$", "", parts[4 + 2 * i]).lower() for i in range(n_words)]
    k = 4 + 2 * n_words
    n_ptrs = int(parts[k])
    ptrs = [(parts[k + 1 + 4 * i], parts[k + 3 + 4 * i], int(parts[k + 2 + 4 * i]))
            for i in range(n_ptrs)]
    first = words[0]
    number = _index(pos)[first].index(offset) + 1 if offset in _index(pos).get(first, []) else 0
    return {"name": f"{first}.{pos}.{number:02d}", "lexname": LEXNAMES[int(parts[1])], "words": words,
            "gloss": gloss.strip(), "pointers": ptrs, "offset": offset, "pos": pos}


def senses(word: str, pos: str) -> list[dict]:
    """Every synset of ``word`` (a lemma, spaces as ``_``) for ``pos`` (n, v, a, r), in order."""
    key = word.lower().replace(" ", "_")
    return [synset_at(pos, off) for off in _index(pos).get(key, [])]


def synset(name: str) -> dict:
    """The synset named ``word.pos.NN``."""
    word, pos, number = name.rsplit(".", 2)
    return synset_at(pos, _index(pos)[word][int(number) - 1])


def hypernyms(s: dict, depth: int = 12) -> list[str]:
    """Names of the hypernyms (and instance hypernyms) of ``s`` up to ``depth`` levels."""
    out, frontier = [], [s]
    for _ in range(depth):
        nxt = []
        for x in frontier:
            for sym, pos, off in x["pointers"]:
                if sym in ("@", "@i"):
                    h = synset_at(pos, off)
                    out.append(h["name"])
                    nxt.append(h)
        frontier = nxt
    return out


def main(argv: list[str]) -> int:  # pragma: no cover - a development tool
    if argv[:1] == ["--check"]:
        from .lexicon import check_senses
        problems = check_senses(synset)
        print("\n".join(problems) or "every sense exists and names its entry")
        return 1 if problems else 0
    for word in argv:
        for pos in "vnar":
            for s in senses(word, pos):
                print(f"{s['name']:<28} {s['lexname']:<20} {', '.join(s['words'])}: {s['gloss'][:90]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
