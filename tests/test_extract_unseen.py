"""Extraction rules for faults a new article showed (none from the seeds or the evaluation set):
Title Case headlines, a name that runs into a date, a trailing ', X reported', a hyphenated
number compound, a portfolio before a title. Hand-made sentences on the fixtures' gazetteer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.extract.names_more import _headline_case
from kg.gazetteer import Gazetteer

from helpers import of_kind, quote, run

FSEEDS = Path(__file__).resolve().parent / "fixtures" / "extract" / "seeds"


@pytest.fixture(scope="module")
def ex():
    return Extractor(Gazetteer.from_seeds(FSEEDS))


def new_actors(result):
    return sorted(e.label for e in result.entities.values() if not e.known and e.cls not in
                  {"Policy", "Agreement", "Pressure", "PolicyReversal", "Statistic", "Place"})


def test_a_title_case_headline_proposes_no_new_actor(ex):
    r = run(ex, "Guatemala Signed A Pact With Washington Before The Summit In Geneva\n\n"
                "The ministers met on Monday.")
    assert new_actors(r) == []


@pytest.mark.parametrize("words, headline", [
    ("Doctors Without Borders", False),            # one capitalised preposition: a name
    ("Department of Homeland Security", False),
    ("Mexico Agreed To Send Troops With Trump", True),
    ("Guatemala Signed A Pact With Washington", True),
])
def test_headline_case_counts_capitalised_closed_class_words(ex, words, headline):
    toks = list(ex.nlp.make_doc(words))
    assert _headline_case(toks, 0, len(toks)) is headline


def test_a_name_does_not_run_into_a_month(ex):
    r = run(ex, "Officials met Senator Maria Keller in March, the paper said.")
    assert "Maria Keller" in new_actors(r)
    assert not any("March" in label for label in new_actors(r))


@pytest.mark.parametrize("tail", [", the Daily Ledger reported.", ", according to the Daily Ledger."])
def test_a_trailing_attribution_is_not_the_target(ex, tail):
    r = run(ex, "Trump threatened a tariff months ago" + tail)
    assert all("daily-ledger" not in p.props.get("targets", []) for p in of_kind(r, "Pressure"))
    r = run(ex, "Trump threatened Mexico with tariffs" + tail)
    (p,) = of_kind(r, "Pressure")
    assert p.props["exertedBy"] == ["donald-trump"] and p.props["targets"] == ["mexico"]


def test_a_hyphenated_number_compound_counts_its_noun(ex):
    r = run(ex, "The 3,200-officer deployment agreed in the talks is larger than Mexico had planned.")
    (s,) = of_kind(r, "Statistic")
    assert s.props["value"] == 3200
    assert s.props["measure"] == "officer deployment agreed in the talks"   # ends before "is"


def test_a_measure_ends_at_a_finite_be(ex):
    r = run(ex, "Officials said 800 agents were sent to the border.")
    (s,) = of_kind(r, "Statistic")
    assert s.props["measure"] == "agents"


@pytest.mark.parametrize("text, role", [
    ("Talks with Health Secretary Ana Ruiz Vega ended on Monday.", "Health Secretary"),
    ("Talks with then-Health Secretary Ana Ruiz Vega ended on Monday.", "then-Health Secretary"),
    ("Talks with Mexico Secretary Ana Ruiz Vega ended on Monday.", "Secretary"),   # a known name is not a portfolio
])
def test_a_portfolio_before_a_title_is_part_of_the_role(ex, text, role):
    r = run(ex, text)
    (a,) = of_kind(r, "Actor")
    assert a.props["role"] == role
    assert r.entities[a.thing].label == "Ana Ruiz Vega"


def test_a_threatened_policy_keeps_its_modifiers_and_stops_at_a_condition(ex):
    r = run(ex, "Trump threatened Mexico with tariffs. Mexico had threatened retaliatory tariffs if the "
                "initial set of Trump's tariffs went into effect on Monday.")
    labels = sorted(quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.threatened")
    assert labels == ["retaliatory tariffs"]      # not "tariffs went into effect on Monday"
    r = run(ex, "Trump threatened new tariffs on Mexican goods and a ban on remittances.")
    labels = sorted(quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.threatened")
    assert labels == ["ban on remittances", "new tariffs on Mexican goods"]
    r = run(ex, "Trump threatened Mexico with a ban on travellers even with valid visas and a tax on wages.")
    labels = sorted(quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.threatened")
    assert labels == ["ban on travellers even with valid visas", "tax on wages"]   # 'even' + preposition


@pytest.mark.parametrize("text, demands", [
    ("Trump threatened Mexico with tariffs if Mexico did not stop the caravans.", ["stop the caravans"]),
    ("Trump threatened Mexico with tariffs unless Mexico stopped the caravans.", ["stopped the caravans"]),
    # a positive condition says what sets the threat off, not what it asks
    ("Mexico threatened the United States with tariffs if the first tariffs went into effect.", []),
])
def test_only_a_negated_or_unless_condition_is_a_demand(ex, text, demands):
    (p,) = of_kind(run(ex, text), "Pressure")
    assert p.props.get("demands", []) == demands


def test_a_verb_refused_in_a_condition_is_no_agreement_and_no_commitment(ex):
    r = run(ex, "Trump threatened Mexico with tariffs if Mexico did not agree to his terms on the border.")
    assert of_kind(r, "Agreement") == []
    assert [p.rule for p in of_kind(r, "Policy")] == []


def test_a_commitment_ends_before_a_clause_and_at_a_colon(ex):
    r = run(ex, "Mexico agreed to deploy troops throughout the country months before Trump threatened it.")
    assert [quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.commitment"] == \
        ["deploy troops throughout the country"]
    r = run(ex, "Mexico Agreed To Deploy Troops Before Deal With Trump: Report\n\nThe talks went on.")
    assert [quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.commitment"] == ["Deploy Troops"]
    r = run(ex, "Mexico agreed to providing training for border agents.")   # 'providing' opens no condition here
    assert [quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.commitment"] == \
        ["providing training for border agents"]


def test_an_owned_policy_is_no_speech_and_a_bare_noun_keeps_its_owner(ex):
    r = run(ex, "Mexican officials announced plans to deploy troops. Trump's tariffs hurt Mexico.")
    owned = [quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.owned"]
    assert owned == ["Trump's tariffs"]


def test_a_coordinated_demonym_before_a_government_noun_is_a_party(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FSEEDS, seeds)
    cat = seeds / "catalogue.yaml"
    cat.write_text(cat.read_text(encoding="utf-8") + "  - {id: past-mexican-governments, class: Administration, "
                   "label: past Mexican governments, altLabels: [Mexican governments]}\n", encoding="utf-8")
    ex = Extractor(Gazetteer.from_seeds(seeds))
    r = run(ex, "The US and Mexican governments agreed on a deal to curb migration.")
    (a,) = of_kind(r, "Agreement")
    assert a.props["party"] == ["united-states", "mexico"]   # not the alias 'Mexican governments'
    r = run(ex, "Mexican governments have rarely thought about migration.")
    assert "past-mexican-governments" in {e.id for e in r.entities.values()}


@pytest.mark.parametrize("text, verb", [
    ("The Biden administration formally ended a Trump administration policy that forced migrants to wait.", "ended"),
    ("President Joe Biden halted the asylum program through an executive order.", "halted"),
    ("Mexico terminated the Trump-era humanitarian visas (HV) program in May.", "terminated"),
])
def test_ending_a_policy_is_a_reversal(ex, text, verb):
    r = run(ex, text)
    (rev,) = of_kind(r, "PolicyReversal")
    assert rev.rule == f"reversal.{verb}"
    if "humanitarian visas" in text:
        assert rev.props["fromPolicy"] == "humanitarian-visas"   # the known policy, not the phrase 'Trump'


@pytest.mark.parametrize("text", [
    "The talks ended in May.",                                      # 'end' without a policy as object
    "The court ruled against the administration's bid to end the policy.",   # intended, not done
    "Mexico sought to terminate the humanitarian visas program.",
])
def test_no_reversal_without_a_policy_object_or_when_only_intended(ex, text):
    assert of_kind(run(ex, text), "PolicyReversal") == []


def test_a_definite_bare_noun_object_is_an_anaphor_not_a_new_policy(ex):
    r = run(ex, "Mexico suspended the program in January.")
    (rev,) = of_kind(r, "PolicyReversal")
    assert "fromPolicy" not in rev.props
    assert [e.label for e in r.entities.values() if e.cls == "Policy"] == []


def test_a_month_takes_no_year_from_an_earlier_paragraph(ex):
    r = run(ex, "The program was enacted in 2019.\n\nMexico suspended the humanitarian visas program in January.")
    (rev,) = of_kind(r, "PolicyReversal")
    assert "date" not in rev.props
    r = run(ex, "In 2019 the program grew, and Mexico suspended the humanitarian visas program in January.")
    (rev,) = of_kind(r, "PolicyReversal")
    assert rev.props["date"] == "2019-01"
