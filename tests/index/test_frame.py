"""Question frames: each question shape, in at least three wordings of our own, parses to the same
slots. No entity table is needed for most shapes; the ones about listed names use a small one."""

from __future__ import annotations

import pytest

from listlens.index.entities import Entity, EntityTable, normalize
from listlens.index.frame import name_runs, parse


def _table(*names: str) -> EntityTable:
    entities = {}
    for i, name in enumerate(names):
        entities[normalize(name)] = Entity(name, [f"node-{i}"])
    return EntityTable(entities)


TABLE = _table("Orion Microsystems", "Vega Photonics Co., Ltd.", "Beijing Institute of Aerodynamics")


@pytest.mark.parametrize("question", [
    "Who signed FR Doc. 2030-01234?",
    "Which official signed the rule published as FR Doc. 2030-01234?",
    "FR Doc. 2030-01234 was signed by whom?",
    "Whose signature appears on FR Doc. 2030-01234?",
])
def test_signer_questions_ask_for_the_signer_of_the_named_document(question):
    frame = parse(question)
    assert "signer" in frame.asks
    assert "names" not in frame.asks and "document_number" not in frame.asks
    assert frame.documents == ("2030-01234",)


@pytest.mark.parametrize("question, unit", [
    ("How many entities did FR Doc. 2030-01234 add to the Entity List?", "entities"),
    ("What number of companies were added by FR Doc. 2030-01234?", "entities"),
    ("FR Doc. 2030-01234 added how many persons to the Entity List?", "entities"),
    ("How many entries did FR Doc. 2030-01234 add?", "entries"),
])
def test_count_questions_carry_unit_event_and_document(question, unit):
    frame = parse(question)
    assert frame.asks == ("count",)
    assert frame.count_unit == unit
    assert frame.event == "added"
    assert frame.documents == ("2030-01234",)


@pytest.mark.parametrize("question, event", [
    ("How many entities did the rule remove from the Unverified List?", "removed"),
    ("What number of persons were taken off the UVL?", "removed"),
    ("How many entries does the rule correct?", "corrected"),
    ("How many entities were designated by Treasury?", "designated"),
])
def test_the_event_of_a_count_is_read(question, event):
    assert parse(question).event == event


@pytest.mark.parametrize("question", [
    "Why was Orion Microsystems added to the Entity List?",
    "On what basis did BIS list Orion Microsystems?",
    "What activity led the Commerce Department to add Orion Microsystems?",
    "What was the justification for adding Orion Microsystems?",
])
def test_reason_questions_focus_on_the_listed_entity(question):
    frame = parse(question, TABLE)
    assert "reason" in frame.asks
    assert frame.entities[0] == "orion microsystems"
    assert frame.names == ()
    assert frame.entity_ids == ("node-0",)


@pytest.mark.parametrize("question", [
    "Is Zhongshan Radiance Photonics on the Entity List?",
    "Does Zhongshan Radiance Photonics appear on any list?",
    "Which list is Zhongshan Radiance Photonics on?",
])
def test_a_made_up_name_is_carried_as_written_and_matches_no_entity(question):
    frame = parse(question, TABLE)
    assert "membership" in frame.asks
    assert frame.entities == ()
    assert frame.names == ("Zhongshan Radiance Photonics",)


@pytest.mark.parametrize(("question", "asked_list"), [
    ("Is Orion Microsystems on the Entity List?", "Entity List"),
    ("Which list is Orion Microsystems on?", ""),
    ("is orion microsystems sanctioned?", ""),  # in lower case, a listed entity is still a name
])
def test_a_membership_question_about_a_listed_entity_keeps_the_name_as_written(question, asked_list):
    frame = parse(question, TABLE)
    assert frame.asks == ("membership",)
    assert frame.entities == ("orion microsystems",)
    assert frame.asked_name.lower() == "orion microsystems" and frame.asked_list == asked_list


@pytest.mark.parametrize("question", [
    "is vega radiance trading sanctioned?",  # in lower case, and no listed entity: no name
    "Is the license exception available to a party on the Entity List?",
    "Are entities on the Entity List subject to a license requirement?",
])
def test_a_question_naming_no_one_is_not_a_membership_question(question):
    frame = parse(question, TABLE)
    assert "membership" not in frame.asks and frame.asked_name is None


@pytest.mark.parametrize("question", [
    "Is Beijing Institute of Radiance Optics on the Entity List?",
    "When was Beijing Institute of Radiance Optics added?",
    "Why did BIS list the Beijing Institute of Radiance Optics?",
])
def test_a_shared_city_word_does_not_match_another_entity(question):
    frame = parse(question, TABLE)
    assert frame.entities == ()
    assert frame.names == ("Beijing Institute of Radiance Optics",)


@pytest.mark.parametrize("question, lists", [
    ("Is Orion Microsystems on the MEU list?", ("Military End-User List",)),
    ("Which Orion Microsystems entries appear on the Unverified List (UVL)?", ("Unverified List",)),
    ("Was Orion Microsystems placed on the Military End User list or the Entity List?",
     ("Entity List", "Military End-User List")),
])
def test_lists_named_are_read(question, lists):
    assert set(parse(question, TABLE).lists) == set(lists)


@pytest.mark.parametrize("question", [
    "When was Orion Microsystems added to the Entity List, and under which Federal Register citation?",
    "On what date was Orion Microsystems listed and what FR citation does its entry carry?",
    "When did BIS add Orion Microsystems; what is the citation of that notice?",
])
def test_two_part_questions_become_two_frames_sharing_the_focus(question):
    frame = parse(question, TABLE)
    assert len(frame.parts) == 2
    assert "date" in frame.parts[0].asks
    assert "fr_citation" in frame.parts[1].asks
    assert all(p.entities == frame.entities == ("orion microsystems",) for p in frame.parts)


@pytest.mark.parametrize("question", [
    "How much revenue did Vega Photonics lose after it was listed?",
    "What amount of money did Vega Photonics lose in sales?",
    "How much did Vega Photonics lose in revenue because of the listing?",
])
def test_amount_questions_are_not_counts(question):
    frame = parse(question, TABLE)
    assert "amount" in frame.asks and "count" not in frame.asks


@pytest.mark.parametrize("question", [
    "How did the EU respond to the designation?",
    "How did the EU react after Treasury sanctioned the exchange?",
    "What was the EU's response to the listing?",
])
def test_response_questions_ask_for_a_response(question):
    assert "response" in parse(question).asks


@pytest.mark.parametrize("question", [
    "What is the Federal Register document number of the rule that added Orion Microsystems?",
    "Which FR Doc. number belongs to the final rule that listed Orion Microsystems?",
    "Under which document number was the rule adding Orion Microsystems published?",
])
def test_document_number_questions_about_the_rule_that_did_something(question):
    frame = parse(question, TABLE)
    assert "document_number" in frame.asks
    assert frame.via_rule
    assert frame.entities == ("orion microsystems",)


@pytest.mark.parametrize("question", [
    "What RIN does FR Doc. 2030-01234 carry?",
    "What is the regulation identifier number of FR Doc. 2030-01234?",
    "Give the RIN of FR Doc. 2030-01234.",
])
def test_a_document_reference_is_the_focus_not_the_ask(question):
    frame = parse(question)
    assert "rin" in frame.asks
    assert "document_number" not in frame.asks and "fr_citation" not in frame.asks
    assert frame.names == ()


@pytest.mark.parametrize("question, months", [
    ("Which entities did BIS add in December 2030?", ("2030-12",)),
    ("What did the March 3, 2031 rule change?", ("2031-03-03",)),
    ("How many persons were added in Sept. 2029?", ("2029-09",)),
])
def test_months_are_constraints(question, months):
    assert parse(question).months == months


def test_name_runs_keep_legal_forms_and_stop_at_question_words():
    assert name_runs("Did Vega Photonics Co., Ltd. ship parts?") == ["Vega Photonics Co., Ltd."]
    assert name_runs("Why was the Bank of Kestrel listed?") == ["Bank of Kestrel"]


@pytest.mark.parametrize("question, slot", [
    ("What is the docket number of FR Doc. 2030-01234?", "docket"),
    ("Give the document number of the rule that added Orion Microsystems.", "document_number"),
    ("What is the RIN number of FR Doc. 2030-01234?", "rin"),
])
def test_an_identifier_number_is_not_a_count(question, slot):
    asks = parse(question, TABLE).asks
    assert slot in asks and "count" not in asks
