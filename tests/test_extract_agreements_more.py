"""Agreement rules without an agreement verb: negotiations between two actors, a later commitment
by a party (or a body named by a party state's demonym), and the list of commitments after it
('These include, VP-ing ..., VP-ing ...'), each a proposed Policy. Hand-made sentences on the
extraction fixtures' gazetteer."""

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


def test_negotiations_between_two_actors_tell_an_agreement(ex):
    r = run(ex, "Last week's negotiations held in Washington between Mexico and the United States were successful.")
    (a,) = of_kind(r, "Agreement")
    assert a.rule == "agreement.mention" and set(a.props["party"]) == {"mexico", "united-states"}


@pytest.mark.parametrize("text", [
    "The negotiations were successful.",                                    # no parties
    "Negotiations between the two sides, Mexico said, were successful.",    # no actors after 'between'
    "The talks in Mexico ended.",
])
def test_no_agreement_from_negotiations_without_two_parties(ex, text):
    assert not of_kind(run(ex, text), "Agreement")


def test_a_party_commitment_and_its_list_continue_the_agreement(ex):
    r = run(ex, "Negotiations between Mexico and the United States were held. Trump spoke. The Mexican "
                "delegation promised to implement new measures. These include, sending 6,000 troops to the "
                "border, expanding the asylum programme and dismantling the gangs.")
    agreements = of_kind(r, "Agreement")
    assert len({a.thing for a in agreements}) == 1 and len(agreements) == 3
    assert [a.rule for a in agreements[1:]] == ["agreement.continued", "agreement.continued"]
    listed = [quote(r, p) for p in of_kind(r, "Policy") if p.rule == "policy.commitment-list"]
    assert listed == ["sending 6,000 troops to the border", "expanding the asylum programme",
                      "dismantling the gangs"]
    assert all(p.props["status"] == "proposed" for p in of_kind(r, "Policy") if p.rule == "policy.commitment-list")


@pytest.mark.parametrize("text", [
    # a commitment by someone who is no party of the agreement
    "Negotiations between Mexico and the United States were held. Trump spoke. Guatemala promised to act.",
    # 'These include' with no agreement just before
    "Mexico spoke. Trump spoke. The rain fell. These include, sending troops to the border.",
])
def test_no_continued_agreement_without_its_party_or_its_agreement(ex, text):
    assert not [a for a in of_kind(run(ex, text), "Agreement") if a.rule == "agreement.continued"]
