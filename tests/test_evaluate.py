"""Evaluation stage: the matching rule, leave-one-document-out scoring on a hand-checked fixture,
the targets on the curated seeds, and the command."""

from __future__ import annotations

from pathlib import Path

from kg.evaluate import TARGETS, Score, _Gold, _compatible, _max_matching, evaluate, evaluate_sets
from kg.extract import Candidate

from helpers import SEEDS, run_kg

FSEEDS = Path(__file__).resolve().parent / "fixtures" / "extract" / "seeds"


def cand(kind, start, end, **props):
    return Candidate(kind, "x", start, end, props, "rule", 0.5)


def gold(kind, start, end, **props):
    return _Gold(kind, "g", start, end, props)


# --- the matching rule -------------------------------------------------------------------------------

def test_same_class_needs_overlapping_evidence():
    assert _compatible("Agreement", cand("Agreement", 0, 10), gold("Agreement", 5, 20), {})
    assert not _compatible("Agreement", cand("Agreement", 0, 10), gold("Agreement", 10, 20), {})


def test_pressures_need_the_same_agent_and_target():
    g = gold("Pressure", 0, 50, exertedBy=["donald-trump"], targets=["mexico"])
    assert _compatible("Pressure", cand("Pressure", 0, 50, exertedBy=["donald-trump"], targets=["mexico"]), g, {})
    assert not _compatible("Pressure", cand("Pressure", 0, 50, exertedBy=["mexico"], targets=["donald-trump"]), g, {})
    # a new actor aligned to a curated one counts as that actor
    p = cand("Pressure", 0, 50, exertedBy=["trump-new"], targets=["mexico"])
    assert _compatible("Pressure", p, g, {"trump-new": "donald-trump"})
    # where the curator gave no target, any target is accepted
    assert _compatible("Pressure", p, gold("Pressure", 0, 50, exertedBy=["donald-trump"]), {"trump-new": "donald-trump"})


def test_statistics_need_the_same_value():
    g = gold("Statistic", 0, 50, value=444309)
    assert _compatible("Statistic", cand("Statistic", 0, 50, value=444309), g, {})
    assert not _compatible("Statistic", cand("Statistic", 0, 50, value=223564), g, {})


def test_matching_is_one_to_one_and_maximal():
    # p0 fits g0 and g1, p1 fits only g0: the best matching uses both
    assert _max_matching(2, {0: [0, 1], 1: [0]}) == {0: 1, 1: 0}
    assert _max_matching(2, {0: [0], 1: [0]}) in ({0: 0}, {1: 0})


def test_score_arithmetic():
    s = Score(tp=3, fp=1, fn=3)
    assert (s.precision, s.recall, round(s.f1, 3)) == (0.75, 0.5, 0.6)
    assert Score().precision == 0.0


# --- leave-one-document-out on a hand-checked fixture --------------------------------------------------

def test_fixture_scores_as_checked_by_hand():
    result = evaluate(FSEEDS)
    rows = result.by_document
    # 001_alpha: Donald Trump is only in 001's curation, so he is found as a new Person (title cue);
    # López Obrador is not found (no cue); both pressures match; the STCA demand is an extra agreement
    assert (rows["001_alpha"]["entities"].tp, rows["001_alpha"]["entities"].fn) == (5, 1)
    assert (rows["001_alpha"]["Pressure"].tp, rows["001_alpha"]["Pressure"].fp) == (2, 0)
    assert rows["001_alpha"]["Statistic"].tp == 1
    assert rows["001_alpha"]["Agreement"].fp == 1
    # 002_beta: Olga Sánchez Cordero is new here (apposition cue); "Washington" is an alias only
    # 001 does not attest, so it is not known while 002 is tested
    assert (rows["002_beta"]["entities"].tp, rows["002_beta"]["entities"].fn) == (2, 1)
    assert rows["002_beta"]["Agreement"].tp == 1
    misses = result.render_misses()
    assert "fn united-states" in misses and "fn andres-manuel-lopez-obrador" in misses


def test_held_out_names_do_not_leak():
    """Scoring 002 alone must not know Olga Sánchez Cordero from 002's own curation."""
    result = evaluate(FSEEDS, ["002_beta"])
    assert list(result.by_document) == ["002_beta"]
    fps = [m for m in result.misses if m.row == "entities" and m.kind == "fp"]
    assert not fps


# --- the three sets: seeds (training documents), dev and test (unseen) -----------------------------------

def test_sets_are_scored_seeds_leave_one_out_and_eval_with_the_seed_gazetteer(tmp_path):
    import shutil
    shutil.copytree(FSEEDS, tmp_path / "dev")
    results = evaluate_sets(FSEEDS, tmp_path)
    assert [r.name for r in results] == ["seeds", "dev"]      # no test/ folder: skipped
    seeds, dev = results
    assert "developed on" in seeds.title() and "training-set" in seeds.title()
    # leave-one-out: 002's Olga Sánchez Cordero is new (found by apposition, not by id) ...
    assert seeds.by_document["002_beta"]["entities"].tp == 2
    # ... while dev documents are extracted with the full seed gazetteer, as `kg extract` does
    assert dev.by_document["002_beta"]["entities"].tp == 3
    assert dev.by_document["001_alpha"]["entities"].fn == 0


def test_unknown_set_is_an_error(tmp_path):
    import pytest
    from kg.errors import CorpusError
    with pytest.raises(CorpusError):
        evaluate_sets(FSEEDS, tmp_path, ["train"])


def test_targets_are_those_of_the_issue():
    assert TARGETS == {"entities": (0.9, 0.85), "Pressure": (0.8, 0.7), "Agreement": (0.8, 0.7),
                       "PolicyReversal": (0.8, 0.7), "Statistic": (0.9, 0.9), "Policy": (0.7, 0.6)}


def test_cli_never_lists_test_errors():
    proc = run_kg("evaluate", "--set", "test", "--misses")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("## test: unseen articles")
    assert " fn " not in proc.stdout and " fp " not in proc.stdout and "(cells:" not in proc.stdout
    assert "errors are not listed" in proc.stdout


def test_cli_evaluate_prints_the_table():
    proc = run_kg("evaluate", "--seeds", str(FSEEDS), "--misses")
    assert proc.returncode == 0, proc.stderr
    assert "| pressures |" in proc.stdout and "(cells: correct / predicted / gold)" in proc.stdout
    assert "fn andres-manuel-lopez-obrador" in proc.stdout


def test_cli_evaluate_bad_seeds_is_one_error_line(tmp_path):
    proc = run_kg("evaluate", "--seeds", str(tmp_path / "missing"))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
