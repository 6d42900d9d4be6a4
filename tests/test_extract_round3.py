"""Pressures told by a frame (pressure_frames.py): directives ('told X to VP', 'telling X, "Do not
VP"'), requests for help ('sought help from X'), pressures the subject faces or is under, coercion
verbs whose subject is a pressure noun, and one-sided pressures (a withdrawn threat that names its
action, a criticism of an agreement). Hand-made sentences on the extraction fixtures' gazetteer."""

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


def pressure(ex, text):
    (p,) = of_kind(run(ex, text), "Pressure")
    return p


def sides(p):
    return p.props.get("exertedBy"), p.props.get("targets")


# --- directives ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, target, demand", [
    ("Trump told Mexico to halt the caravans.", "mexico", "halt the caravans"),
    ("Trump has ordered Guatemala not to admit the caravans.", "guatemala", "not to admit the caravans"),
    ("López Obrador visited Guatemala on Monday, telling Guatemala, “Don’t let them pass.”", "guatemala",
     "Don’t let them pass"),
    ("Trump instructed the Mexican government to deploy the National Guard.", "mexico",
     "deploy the National Guard"),
])
def test_a_directive_is_a_demand_on_its_object(ex, text, target, demand):
    p = pressure(ex, text)
    assert p.props["pressureType"] == "DEMAND" and p.rule == "pressure.demand"
    assert p.props["exertedBy"] in (["donald-trump"], ["andres-manuel-lopez-obrador"])
    assert p.props["targets"] == [target] and p.props["demands"] == [demand]


@pytest.mark.parametrize("text", [
    "Trump told Mexico that the caravans had stopped.",           # reported speech, not a directive
    "Trump told Fox News he was pleased with Mexico.",            # the medium hears it
    "López Obrador told reporters to expect a deal with Guatemala.",   # no actor as object
    "Trump ordered more troops to the border with Mexico.",       # 'to' + a noun phrase, not an infinitive
    "Trump told Mexico, “We will talk again next week.”",         # a quotation that is no imperative
])
def test_no_directive_without_an_actor_object_and_an_infinitive(ex, text):
    assert not of_kind(run(ex, text), "Pressure")


def test_a_negated_directive_keeps_its_negation(ex):
    p = pressure(ex, "Trump did not tell Mexico to close its border.")
    assert p.props["hedge"] == "did not" and "negated" in p.note


# --- requests for help ---------------------------------------------------------------------------

def test_seeking_help_from_an_actor_is_a_request_to_it(ex):
    p = pressure(ex, "The United States sought assistance from Mexico to manage the caravans.")
    assert sides(p) == (["united-states"], ["mexico"]) and p.props["pressureType"] == "REQUEST"
    assert p.props["demands"] == ["manage the caravans"]


@pytest.mark.parametrize("text", [
    "Thousands of migrants sought asylum in Mexico.",
    "The United States is seeking help with the caravans.",        # help from nobody named
    "Guatemala sought to improve its relations with Mexico.",
])
def test_seek_without_help_from_an_actor_is_no_pressure(ex, text):
    assert not of_kind(run(ex, text), "Pressure")


# --- faced pressures -----------------------------------------------------------------------------

def test_the_subject_of_facing_pressure_from_x_is_the_target(ex):
    p = pressure(ex, "López Obrador is facing mounting pressure from Trump over the caravans.")
    assert sides(p) == (["donald-trump"], ["andres-manuel-lopez-obrador"])
    assert p.props["pressureType"] == "COERCE" and p.rule == "pressure.coerce.faced"


def test_under_pressure_without_an_agent_names_the_target_only(ex):
    p = pressure(ex, "Mexico is under pressure to stop the caravans.")
    assert sides(p) == (None, ["mexico"]) and p.props["demands"] == ["stop the caravans"]
    assert "agent not named" in p.note


def test_a_pronoun_subject_stands_for_the_one_person_named_before(ex):
    p = pressure(ex, "Although López Obrador won by a landslide, he faces strong criticism for the deal.")
    assert sides(p) == (None, ["andres-manuel-lopez-obrador"]) and p.props["pressureType"] == "ACCUSE"


@pytest.mark.parametrize("text", [
    "Mexico faces a security threat on its southern border.",      # a danger, not an act of pressure
    "Guatemala faces high blood pressure rates.",                  # not the subject's target: premodifiers
    "The pressure on the border is high.",                         # no frame
])
def test_no_faced_pressure_without_the_frame(ex, text):
    assert not [p for p in of_kind(run(ex, text), "Pressure") if p.rule.endswith(".faced")]


def test_a_faced_pressure_already_told_is_not_told_twice(ex):
    (p,) = of_kind(run(ex, "Mexico came under pressure from the United States to stop the caravans."), "Pressure")
    assert sides(p) == (["united-states"], ["mexico"])


# --- one side unnamed ----------------------------------------------------------------------------

def test_a_pressure_noun_as_the_subject_of_a_coercion_verb(ex):
    p = pressure(ex, "Officials argued that the threats had forced Mexico to deploy the National Guard.")
    assert sides(p) == (None, ["mexico"]) and p.props["pressureType"] == "COERCE"
    assert p.props["demands"] == ["deploy the National Guard"]


def test_a_coercion_verb_with_no_pressure_noun_before_it_needs_an_agent(ex):
    assert not of_kind(run(ex, "Officials argued that the storms had forced Mexico to close its ports."),
                       "Pressure")


def test_a_withdrawn_threat_that_names_its_action_is_told_without_a_target(ex):
    p = pressure(ex, "Trump drops threat to impose tariffs")
    assert sides(p) == (["donald-trump"], None) and p.props["status"] == "withdrawn"
    assert "target not named" in p.note


def test_criticising_an_agreement_is_a_pressure_by_the_critic(ex):
    p = pressure(ex, "López Obrador denounced the Safe Third Country Agreement.")
    assert sides(p) == (["andres-manuel-lopez-obrador"], None) and p.props["pressureType"] == "ACCUSE"


@pytest.mark.parametrize("text", [
    "López Obrador denounced the violence in the region.",          # not an agreement or policy
    "Migrants denounced the Safe Third Country Agreement.",         # not a state, government or leader
])
def test_no_one_sided_criticism_of_anything_else(ex, text):
    assert not of_kind(run(ex, text), "Pressure")
