"""Extraction rules for statements told without their usual cue word: conditional threats (with
the speaker of a quotation and unambiguous pronouns as agents), what a threat names as proposed
policies, intended and owned policies, departures as reversals, agreements named with their other
party. Hand-made sentences on the extraction fixtures' gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.gazetteer import Gazetteer

from helpers import of_kind, run

FSEEDS = Path(__file__).resolve().parent / "fixtures" / "extract" / "seeds"


@pytest.fixture(scope="module")
def ex():
    return Extractor(Gazetteer.from_seeds(FSEEDS))


# --- conditional threats -------------------------------------------------------------------------

@pytest.mark.parametrize("text, instrument", [
    ("“If Mexico doesn’t stop the caravans, we’re going to close the border,” Trump said.", "border-closure-threat"),
    ("Trump said: “If Mexico does not act, I will impose tariffs on Mexican goods.”", "tariff-threat"),
    ("Trump said that if Mexico does not act, he would impose new tariffs on Mexican goods.", "tariff-threat"),
])
def test_conditional_threats_by_the_speaker(ex, text, instrument):
    r = run(ex, text)
    (p,) = of_kind(r, "Pressure")
    assert p.props["exertedBy"] == ["donald-trump"] and p.props["targets"] == ["mexico"]
    # "I will impose tariffs" is also the sanction rule's announced threat; either rule tells it once
    assert p.props["pressureType"] == "THREATEN" and p.rule in ("pressure.threaten", "pressure.threaten.conditional")
    assert p.props.get("instrument") in (instrument, None)
    assert "hedge" not in p.props            # the condition is the threat's form, not a hedge
    assert p.rule == "pressure.threaten" or "conditional threat: if mexico do" in p.note.lower()
    (pol,) = of_kind(r, "Policy")            # the threatened action: proposed, never adopted
    assert pol.props["status"] == "proposed" and pol.props["adoptedBy"] == ["donald-trump"]


def test_a_conditional_threat_keeps_its_demand_and_its_negation(ex):
    (p,) = of_kind(run(ex, "Trump said that if Mexico does not stop the caravans, he would close the border."),
                   "Pressure")
    assert p.props["demands"] == ["stop the caravans"]
    (n,) = of_kind(run(ex, "Trump said that if Mexico does not stop the caravans, he would not close the border."),
                   "Pressure")
    assert n.props["hedge"] == "would not" and n.confidence < p.confidence


def test_the_quotation_spans_sentences_and_the_target_comes_from_the_discourse(ex):
    r = run(ex, "Trump threatened Mexico with tariffs. “We will talk first. And if that does not work, we’re going "
                "to close the border,” Trump said.")
    conditional = [p for p in of_kind(r, "Pressure") if p.rule == "pressure.threaten.conditional"]
    assert [(p.props["exertedBy"], p.props["targets"]) for p in conditional] == [(["donald-trump"], ["mexico"])]
    assert "previous pressure" in conditional[0].note


@pytest.mark.parametrize("text", [
    "If Mexico does not stop the caravans, the border will close.",              # no agent
    "“If Mexico does not act, we will close the border,” the report said.",     # the speaker is no actor
    "Trump and López Obrador met. If Mexico acts, he will close the border.",   # two persons: 'he' is ambiguous
    "Trump will close the border with Mexico.",                                  # no condition
    "If Mexico does not act, Trump closed the border.",                          # done, not announced
])
def test_no_conditional_threat_without_its_parts(ex, text):
    assert not [p for p in of_kind(run(ex, text), "Pressure") if p.rule == "pressure.threaten.conditional"]


def test_a_quotation_attributes_its_sentences_to_its_speaker(ex):
    r = run(ex, "“Mexico will stop the caravans. We have 6,000 troops there,” Trump said.")
    (st,) = of_kind(r, "Statistic")
    assert st.props["attributedTo"] == ["donald-trump"]


# --- targets, nouns, policies a threat names ------------------------------------------------------

def test_a_plural_demonym_is_its_state_as_a_target(ex):
    (p,) = of_kind(run(ex, "Trump threatened a ban on Guatemalans coming to the U.S."), "Pressure")
    assert p.props["targets"] == ["guatemala"]


def test_a_subject_of_its_own_clause_is_not_the_target(ex):
    (p,) = of_kind(run(ex, "Trump pressured what the Trump administration is calling a partner, Guatemala."),
                   "Pressure")
    assert p.props["targets"] == ["guatemala"]


def test_a_threat_noun_with_its_action_or_after_a_possessive_is_an_act(ex):
    (p,) = of_kind(run(ex, "Talks suspended Trump's threat to impose a tax on Mexican imports."), "Pressure")
    assert (p.props["exertedBy"], p.props["targets"]) == (["donald-trump"], ["mexico"])
    (q,) = of_kind(run(ex, "Trump insisted that his threats would work because the Mexican government would "
                           "give in."), "Pressure")
    assert (q.props["exertedBy"], q.props["targets"]) == (["donald-trump"], ["mexico"])
    assert not of_kind(run(ex, "Trump's threats are a theme of the campaign."), "Pressure")


def test_the_policies_a_threat_names_are_proposed(ex):
    r = run(ex, "Trump threatened Guatemala with a ban on Guatemalan workers and a tax on remittances.")
    labels = sorted(r.entities[p.thing].label for p in of_kind(r, "Policy"))
    assert labels == ["ban on Guatemalan workers", "tax on remittances"]
    assert {p.props["status"] for p in of_kind(r, "Policy")} == {"proposed"}


def test_after_said_that_the_speaker_is_not_the_subject(ex):
    assert not of_kind(run(ex, "Mexico said that more than 10,000 people have requested visas."), "Pressure")


# --- policies, reversals, agreements --------------------------------------------------------------

@pytest.mark.parametrize("text, label, hedge", [
    ("Mexico pledged to take back more Central American families.", "take back more Central American families", None),
    ("Trump said he planned to close the border.", "close the border", None),
    ("Mexico never promised to take back families.", "take back families", "never"),
])
def test_an_intended_policy_is_proposed_or_negated(ex, text, label, hedge):
    r = run(ex, text)
    (p,) = [p for p in of_kind(r, "Policy") if p.rule == "policy.intended"]
    assert r.entities[p.thing].label == label
    assert p.props.get("hedge") == hedge
    assert p.props.get("status") == (None if hedge else "proposed")


def test_a_policy_noun_with_its_owner(ex):
    r = run(ex, "The visas are part of President Donald Trump's tough new immigration directives.")
    (p,) = of_kind(r, "Policy")
    assert r.entities[p.thing].label == "tough new immigration directives"
    assert p.props["adoptedBy"] == ["donald-trump"] and "status" not in p.props


@pytest.mark.parametrize("text", [
    "Analysts said the new policy marked a stark change from the past.",
    "The orders are a clear break with the Obama administration.",
    "Talks were successful in suspending the tariffs.",
])
def test_departures_and_suspensions_are_reversals(ex, text):
    assert len(of_kind(run(ex, text), "PolicyReversal")) == 1


def test_an_agreement_noun_with_its_other_party(ex):
    (a,) = of_kind(run(ex, "Trump secured a safe third country agreement with Guatemala."), "Agreement")
    assert set(a.props["party"]) == {"donald-trump", "guatemala"}
    assert not of_kind(run(ex, "Mexico has to deal with Guatemala."), "Agreement")
    assert not of_kind(run(ex, "A few details emerged from the signing."), "Agreement")


@pytest.mark.parametrize("text, agent", [
    ("Trump said that he would pressure Mexico to stop the caravans.", ["donald-trump"]),
    ("“We will press Mexico to stop the caravans,” Trump said.", ["donald-trump"]),
    ("Trump and López Obrador met. He pressured Mexico to stop the caravans.", None),   # ambiguous
])
def test_a_pronoun_subject_is_the_one_actor_it_can_stand_for(ex, text, agent):
    found = [p.props["exertedBy"] for p in of_kind(run(ex, text), "Pressure")]
    assert found == ([agent] if agent else [])


@pytest.mark.parametrize("text, label", [
    ("At a news conference, Harris said, “Do I declare this trip a success? Yes.”", "Do I"),
    ("She made a strong statement Monday in Guatemala telling migrants to stay home.", "in Guatemala"),
])
def test_no_person_from_an_auxiliary_or_a_stripped_connector(ex, text, label):
    assert label not in {e.label for e in run(ex, text).entities.values()}
