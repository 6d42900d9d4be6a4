"""Extraction rules for groups and bodies told by their context (kg/extract/groups.py): a group
after a noun of mass movement, a national body, experts who speak, a hyphenated group modifier,
a new name expanded by a known acronym, and a run cut before a second titled person. Hand-made
sentences on the extraction fixtures' gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.gazetteer import ACTOR_CLASSES, Gazetteer

from helpers import run

FSEEDS = Path(__file__).resolve().parent / "fixtures" / "extract" / "seeds"


@pytest.fixture(scope="module")
def ex():
    return Extractor(Gazetteer.from_seeds(FSEEDS))


def groups(result, rule=None):
    return sorted((e.label, e.cls) for e in result.entities.values()
                  if not e.known and e.cls in ACTOR_CLASSES and (rule is None or e.rule == rule))


# --- a group after a noun of mass movement --------------------------------------------------------

@pytest.mark.parametrize("text, label", [
    ("Mexico promised to stem the illegal flow of migrants.", "migrants"),
    ("Trump said the flow of drugs and immigrants must stop.", "immigrants"),
    ("Mexico curbed the wave of predominantly Central American migrants.", "Central American migrants"),
    ("The U.S. faced a record influx of Central American teenagers.", "Central American teenagers"),
])
def test_a_group_after_a_flow_noun(ex, text, label):
    assert (label, "PopulationGroup") in groups(run(ex, text))


@pytest.mark.parametrize("text", [
    "Mexico promised to stem the flow of drugs.",            # not a group of people
    "The migrants crossed the river.",                       # a bare group noun without the flow noun
    "A wave of criticism followed the flow of information.",
])
def test_no_group_without_a_flow_noun_and_a_group_head(ex, text):
    assert not groups(run(ex, text))


# --- national bodies ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, label", [
    ("The treatment of migrants by Mexican security forces was decried.", "Mexican security forces"),
    ("U.S. authorities say the number could grow.", "U.S. authorities"),
    ("The Mexican delegation promised to act.", "Mexican delegation"),
])
def test_a_national_body(ex, text, label):
    assert (label, "GovernmentBody") in groups(run(ex, text), "name.national-body")


@pytest.mark.parametrize("text", [
    "Mexico would not tolerate control over Mexican forces.",   # 'forces' needs a function modifier
    "Market forces and the authorities disagreed.",             # no state
    "The delegation left.",
])
def test_no_national_body_without_a_state_or_a_function(ex, text):
    assert not groups(run(ex, text), "name.national-body")


# --- experts who speak, hyphenated modifiers ------------------------------------------------------

def test_experts_as_the_subject_of_a_speech_verb(ex):
    assert ("analysts", "PopulationGroup") in groups(run(ex, "Still, analysts said the policy marked a change."))
    assert ("Top advisors", "PopulationGroup") in groups(run(ex, "Top advisors insisted that he was not bluffing."))
    assert not groups(run(ex, "The report quoted analysts at length."), "name.speaking-group")


def test_a_hyphenated_group_modifier(ex):
    assert ("would-be migrants", "PopulationGroup") in groups(run(ex, "She told desperate would-be migrants not to come."))
    assert not groups(run(ex, "She said it would-be fine for migrants."))


# --- names ----------------------------------------------------------------------------------------

def test_a_new_name_expanded_by_a_known_acronym_is_that_thing(tmp_path):
    (tmp_path / "catalogue.yaml").write_text(
        "things:\n  - {id: dhs, class: GovernmentBody, label: U.S. Department of Homeland Security, altLabels: [DHS]}\n",
        encoding="utf-8")
    ex = Extractor(Gazetteer.from_seeds(tmp_path))
    r = run(ex, "The Department of Homeland Security (DHS) announced the rule.")
    assert [e.id for e in r.entities.values() if e.cls == "GovernmentBody"] == ["dhs"]
    r = run(ex, "The Department of Labor (DOL) announced the rule.")
    assert "Department of Labor" in [e.label for e in r.entities.values() if not e.known]


def test_a_run_is_cut_before_a_second_titled_person(ex):
    r = run(ex, "Yesterday acting Secretary of the Department of Labor (DOL) Kevin Roe and Guatemalan Interior "
                "Minister Enrique Degenhart Asturias signed a letter.")
    persons = sorted(e.label for e in r.entities.values() if e.cls == "Person")
    assert persons == ["Enrique Degenhart Asturias", "Kevin Roe"]
    r = run(ex, "Department of Health and Human Services Secretary Alex Roe spoke.")   # no demonym: no cut
    assert "Human Services" not in [e.label for e in r.entities.values()]


def test_a_one_word_name_in_apposition_to_an_organisation_noun(ex):
    r = run(ex, "His political party, Morena, holds a majority.")
    assert ("Morena", "CivilSocietyOrganization") in groups(r)
    assert not groups(run(ex, "His political party, Mexico, holds a majority."))   # a known name is that thing
    assert not groups(run(ex, "The party, which holds a majority, met."))


def test_a_byline_of_two_authors_before_a_news_body(ex):
    r = run(ex, "By Jane Roe </p><p>and John Doe Los Angeles Times\n\nMexico acted.")
    persons = sorted(e.label for e in r.entities.values() if e.cls == "Person")
    assert persons == ["Jane Roe", "John Doe"]
    assert "Los Angeles Times" in [e.label for e in r.entities.values()]
    r = run(ex, "Mexico acted by Monday and Tuesday.")        # not a byline
    assert not [e for e in r.entities.values() if e.cls == "Person"]


def test_a_group_head_of_a_social_class_or_a_caravan_needs_a_modifier(ex):
    assert ("business class", "PopulationGroup") in groups(run(ex, "Guatemala's business class sounded the alarm."))
    assert ("migrant caravan", "PopulationGroup") in groups(run(ex, "A growing migrant caravan left Honduras."))
    assert not groups(run(ex, "The caravan left. The class met."))
