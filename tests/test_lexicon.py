"""The lexicons: every English cue word the rules use is in ``kg/extract/data/lexicon.yaml`` with
its general source, none stands inline in a rule module, and every lexicon a rule names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kg import schema, vocab
from kg.extract import lexicon
from kg.extract.lexicon import LEX, UNIT_WORDS, entries, load, phrases, words

EXTRACT = Path(lexicon.__file__).resolve().parent
#: An English word or phrase as a rule would list it: lower case, or capitalised ("Vice").
WORD = re.compile(r"^[A-Za-z][a-z' -]*$")
#: A plain word or phrase between two alternation bars of a regular expression: "(worked|works)".
ALTERNATIVE = re.compile(r"(?<=[(|])(?:\\b)?([A-Za-z][a-z' ]*[a-z])(?:\\b)?(?=[|)])")

#: Literals, by the name they are assigned to, that hold no cue words: HTML element names (text.py)
#: and the names a package exports.
NON_LEXICAL_NAMES = {"_BLOCK_TAGS", "_SKIP_TAGS", "__all__"}
#: Strings of the data model, not cue words: the curation keys (kg/schema.py), statuses,
#: orientations and classes (kg/vocab.py), the lexicon names, the units a statistic takes (those
#: unit_words maps to, "count" and "people"), and the counts of an extraction's summary.
NON_LEXICAL = (set(schema.VALUE_TYPES) | schema.TOP_KEYS | set(vocab.STATUS) | set(vocab.ORIENTATION)
               | set(vocab.THING_CLASSES) | set(vocab.ABSTRACT_CLASSES) | set(load())
               | set(UNIT_WORDS.values()) | {"count", "people"} | {"sentences", "entities"})

LEXICON_KEYS = {"doc", "inflect", "case", "source", "entries", "plover", "cameo", "classes"}


def inline_words(source: str) -> list[tuple[int, list[str]]]:
    """(line, words) of each set, tuple or list literal of two or more English words, and of each
    regular expression with two or more word alternatives, outside the non-lexical ones."""
    tree = ast.parse(source)
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in NON_LEXICAL_NAMES for t in targets):
                skip.update(id(n) for n in ast.walk(node.value))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            strings = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            cues = [s for s in strings if WORD.match(s) and s not in NON_LEXICAL]
            if len(cues) >= 2:
                found.append((node.lineno, cues))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "|" in node.value:
            cues = [a for a in ALTERNATIVE.findall(re.sub(r"\\s[+*]?", " ", node.value)) if a not in NON_LEXICAL]
            if len(cues) >= 2:
                found.append((node.lineno, cues))
    return found


def rule_modules() -> list[Path]:
    return sorted(EXTRACT.glob("*.py"))


def test_no_inline_cue_words():
    problems = [f"{path.name}:{line}: {cues}" for path in rule_modules()
                for line, cues in inline_words(path.read_text(encoding="utf-8"))]
    assert not problems, "cue words belong in data/lexicon.yaml with their source:\n" + "\n".join(problems)


@pytest.mark.parametrize("planted", [
    'PARTICIPLE_OPENERS = {"while", "also", "thereby"}',
    'def f(low):\n    return low in ("threat", "threats")',
    'X = frozenset(["cease", "desist"])',
    'import re\nCUE = re.compile(r"\\b(worked|joined|subscribe)\\b")',
    'T = {"Vice", "Then", "Former"}',
])
def test_the_scan_finds_a_planted_set(planted):
    assert inline_words(planted)


@pytest.mark.parametrize("harmless", [
    '_BLOCK_TAGS = {"p", "div", "table"}',
    'KEYS = ("exertedBy", "targets", "party")',
    'SETTLED = {"adopted", "implemented"}',
    'def f(tok):\n    return tok in {",", ";", "and"}',
    'import re\nR = re.compile(r"^\\s*(```|~~~)")',
])
def test_the_scan_passes_non_lexical_literals(harmless):
    assert not inline_words(harmless)


def test_every_lexicon_a_rule_names_exists():
    names = set()
    for path in rule_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "LEX":
                names.add((path.name, node.attr))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in {"words", "entries", "phrases"} and node.args \
                    and isinstance(node.args[0], ast.Constant):
                names.add((path.name, node.args[0].value))
    assert names
    assert not [f"{m}: {n}" for m, n in sorted(names) if n not in load()]


def test_every_lexicon_has_a_doc_and_a_source():
    problems = []
    for name, lex in load().items():
        if name == "removed":
            continue
        if not lex.get("doc") or not lex.get("source") or not lex.get("entries"):
            problems.append(f"{name}: needs doc, source and entries")
        if set(lex) - LEXICON_KEYS:
            problems.append(f"{name}: unknown keys {sorted(set(lex) - LEXICON_KEYS)}")
        if lex.get("inflect", "none") not in {"none", "verb", "noun"}:
            problems.append(f"{name}: inflect {lex['inflect']!r}")
        if isinstance(lex.get("entries"), dict):
            problems += [f"{name}: {e}: no source" for e, spec in lex["entries"].items() if spec in (None, "")]
    assert not problems


def test_removed_entries_stay_removed():
    """An entry removed in review is in no lexicon it was removed from and in no rule module."""
    removed = load()["removed"]["entries"]
    assert all(set(r) == {"lexicon", "entry", "why"} and r["why"] for r in removed)
    strings = set()
    for path in rule_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
                strings.update(ALTERNATIVE.findall(node.value))
    for r in removed:
        entry = str(r["entry"])
        if r["lexicon"] in load():
            assert entry not in entries(r["lexicon"]), r
        assert entry not in strings, r
    for seed_only in ("desist", "june", "inducing", "subscribe"):
        assert any(r["entry"] == seed_only for r in removed)


def test_lex_reads_a_lexicon_once_and_refuses_an_unknown_name():
    assert LEX.articles == words("articles") == {"the", "a", "an"}
    assert LEX.articles is LEX.articles
    assert LEX.title_prefixes >= {"Vice", "Attorney"}   # case: exact keeps the capital
    with pytest.raises(AttributeError, match="no lexicon 'no_such_words'"):
        LEX.no_such_words


def test_phrases_and_the_derived_maps():
    assert phrases("response_cues")[0] == ("in", "response", "to")
    assert ("joint", "declaration") in phrases("joint_documents")
    assert lexicon.HEDGE_PHRASES[0] == ("seen", "as")
    assert lexicon.MONTH_NAMES[0] == "January" and lexicon.MONTH_NAMES[8] == "September"
    assert lexicon.RELATIVE_YEARS == {"this": 0, "last": -1, "next": 1}


@pytest.mark.skipif(not Path("/usr/share/wordnet/index.verb").exists(),
                    reason="WordNet 3.0 (Debian wordnet-base) is not installed")
def test_every_cited_wordnet_sense_exists_and_names_its_entry():
    from kg.extract.wordnet import synset

    assert lexicon.check_senses(synset) == []
