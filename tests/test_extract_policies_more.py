"""Policy rules of branch extract-dev2: intention verbs and nouns of trying and meaning ('seeks to
VP', 'is meant to VP', 'efforts to VP', 'an agreement to VP'), a policy noun phrase after 'under',
a quoted term after an adoption verb, an owner after 'by' with premodifiers or as a noun adjunct,
and a known person's later surname. Hand-made sentences on the extraction fixtures' gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.gazetteer import Gazetteer

from helpers import of_kind, quote, run

FSEEDS = Path(__file__).resolve().parent / "fixtures" / "extract" / "seeds"


@pytest.fixture(scope="module")
def ex():
    return Extractor(Gazetteer.from_seeds(FSEEDS))


def policies(r, rule):
    return [p for p in of_kind(r, "Policy") if p.rule == rule]


@pytest.mark.parametrize("text, adopter", [
    ("Mexico seeks to grant legal documents to members of the caravan.", "mexico"),
    ("Trump praised the Mexican government's efforts to persuade its citizens.", "mexico"),
    ("Mexico signed an agreement to cooperate on asylum petitions.", "mexico"),
])
def test_intentions_of_seeking_and_efforts_are_proposed(ex, text, adopter):
    (p,) = policies(run(ex, text), "policy.intended")
    assert p.props["status"] == "proposed" and p.props.get("adoptedBy") == [adopter]


def test_a_negated_intention_gets_no_status(ex):
    (p,) = policies(run(ex, "Mexico does not seek to help the migrants at the border."), "policy.intended")
    assert "status" not in p.props


def test_a_policy_noun_phrase_after_under(ex):
    r = run(ex, "Families were expelled under a U.S. emergency health order.")
    (p,) = policies(r, "policy.governing")
    assert quote(r, p) == "U.S. emergency health order" and "status" not in p.props
    assert p.props["adoptedBy"] == ["united-states"]
    r = run(ex, "Migrants will not qualify under proposed immigration reform legislation.")
    (p,) = policies(r, "policy.governing")
    assert p.props["status"] == "proposed"          # from the participle; never adopted
    assert not policies(run(ex, "The migrants waited under a bridge."), "policy.governing")


def test_a_quoted_term_after_an_adoption_verb(ex):
    r = run(ex, "The directives expand “expedited removal” to the whole country.")
    (p,) = policies(r, "policy.quoted")
    assert r.entities[p.thing].label == "expedited removal" and p.props["status"] == "expanded"
    (p,) = policies(run(ex, "Trump would expand “expedited removal” if Mexico refused."), "policy.quoted")
    assert p.props["status"] == "proposed"          # hypothetical or conditional: proposed
    assert not policies(run(ex, "They expand “the number of agents who may work here and there now”."),
                        "policy.quoted")


def test_owners_after_by_and_as_noun_adjunct(ex):
    r = run(ex, "The visas are part of a new policy by center-left President López Obrador.")
    (p,) = policies(r, "policy.owned")
    assert p.props["adoptedBy"] == ["andres-manuel-lopez-obrador"] and quote(r, p) == "new policy"
    r = run(ex, "President Donald Trump spoke.\n\nCritics referred to the Trump initiative on asylum.")
    (p,) = policies(r, "policy.owned")
    assert p.props["adoptedBy"] == ["donald-trump"] and quote(r, p) == "Trump initiative"
    assert not policies(run(ex, "Critics referred to the initiative on asylum."), "policy.owned")
