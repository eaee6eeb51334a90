"""What answers say: counts from the records, refusals, false premises, hostile documents."""

from __future__ import annotations

import re

import pytest


def test_a_count_over_one_citation_is_answered_from_the_records(sample_library):
    answer = sample_library.ask("How many entities in Pakistan did 86 FR 67319 add?")
    assert not answer.refused and answer.backend == "records"
    count = int(re.search(r"name (\d+) distinct entities", answer.text)[1])
    # Each distinct entity is counted once, though it may be cited from two list files.
    assert len(answer.citations) >= count >= 3
    assert "Prime Tech" in answer.text
    for c in answer.citations:
        assert "86 FR 67319" in c.text and "Pakistan" in c.text


def test_which_entities_a_rule_added_are_listed_from_its_table(sample_library):
    answer = sample_library.ask("Which entities did FR Doc. 2021-24123 add under Israel?")
    assert answer.backend == "records"
    assert "NSO Group" in answer.text and "Candiru" in answer.text
    assert "Positive Technologies" not in answer.text  # listed under Russia
    assert all("ISRAEL" in c.text.upper() for c in answer.citations)


def test_a_question_about_a_rule_that_is_not_a_listing_is_read_not_counted(sample_library):
    answer = sample_library.ask("What license review policy applies to the entities added by FR Doc. 2021-24123?")
    assert answer.backend != "records"
    # The answer names the policy, not where policies are stated.
    assert "presumption of denial" in answer.sentences[0].text


def test_which_paragraph_is_answered_with_the_regulations_own_number(sample_library):
    answer = sample_library.ask("Which paragraph of 15 CFR 744.16 says whether license exceptions "
                                "are available?")
    assert answer.sentences[0].text.startswith("It is 15 CFR 744.16(b)")
    assert "no license exception may be used" in answer.text


def test_a_removal_the_documents_never_record_is_not_invented(sample_library):
    answer = sample_library.ask("On what date was NSO Group removed from the Entity List?")
    assert answer.refused
    assert "no removal" in answer.text
    assert answer.citations, "the refusal shows what the documents do record"


def test_instructions_inside_a_document_do_not_change_unrelated_answers(sample_library):
    # The Chatex article in the sample corpus carries an "Ignore previous instructions" line.
    answer = sample_library.ask("Under which executive order was SUEX designated?")
    assert "13694" in answer.text
    assert "ignore previous instructions" not in answer.text.lower()


def test_when_question_cites_a_record_with_the_date(sample_library):
    answer = sample_library.ask("When was Candiru added to the Entity List, and under which FR notice?")
    assert not answer.refused
    assert any("86 FR 60760" in c.text for c in answer.citations)


def test_every_citation_quotes_its_document_exactly(sample_library):
    from pathlib import Path

    from listlens.ingest.readers import read_path

    for question in ("Why was the Academy of Military Medical Sciences added?",
                     "What license review policy applies to NSO Group?"):
        for c in sample_library.ask(question).citations:
            text = next(d.text for d in read_path(Path(c.file)) if d.source == c.file)
            assert text[c.start:c.end] == c.text


def test_a_count_that_excludes_the_parent_leaves_it_out(sample_library):
    question = ("How many institutes of the Academy of Military Medical Sciences appear on the "
                "Entity List under 86 FR 71559{}?")
    everyone = sample_library.ask(question.format(""))
    institutes = sample_library.ask(question.format(" (not counting AMMS itself)"))
    assert everyone.backend == institutes.backend == "records"
    count = lambda a: int(re.search(r"name (\d+) distinct entities", a.text)[1])  # noqa: E731
    assert count(institutes) == count(everyone) - 1 >= 1
    assert "Institute of Basic Medicine" in institutes.text
    named = institutes.sentences[0].text.split(": ", 1)[1].rstrip(".").split("; ")
    assert "Academy of Military Medical Sciences" not in named


def test_a_fact_about_the_rule_that_listed_an_entity_is_read_from_that_rule(sample_library):
    # The question gives no document number: the rule is the one whose table names NSO Group.
    answer = sample_library.ask("Who signed the final rule that added NSO Group to the Entity List?")
    assert answer.backend == "records"
    assert "FR Doc. 2021-24123 was signed by Jeremy Pelter" in answer.text
    assert "Jeremy Pelter" in answer.citations[0].text


def test_aliases_are_counted_from_the_entry(sample_library):
    answer = sample_library.ask("How many aliases does Candiru's Entity List entry give?")
    assert answer.backend == "records"
    assert re.search(r"\bgives 7 aliases\b", answer.text)
    assert all("Candiru" in c.text for c in answer.citations)


def test_an_acronym_in_the_question_matches_the_name_spelt_out(sample_library):
    # The article says "Office of Foreign Assets Control", never "OFAC", in the dated sentence.
    answer = sample_library.ask("On what date did OFAC designate the Chatex exchange?")
    assert "November 8, 2021" in answer.sentences[0].text



def test_the_record_of_the_entity_asked_about_answers_a_checkable_slot_however_it_compares():
    # A record's long address makes it compare weakly with a short question; holding the slot
    # asked (a citation, a date) for the very entity asked about, it is the answer.
    from listlens.index.answer import accepted
    from listlens.index.cite import Evidence
    from listlens.index.frame import parse
    from listlens.index.types import Passage

    text = ("Kestrel Photonics PTE. LTD. (a.k.a. KESPHO) of Singapore is on the Entity List (EL) "
            "under 95 FR 12345, 3/4/30; address: 1 Harbour Rd.")
    meta = {"kind": "record", "entity": "Kestrel Photonics PTE. LTD.", "aliases": "KESPHO"}
    record = Evidence(Passage("r1", text, 1.0, meta), 0, len(text), text, score=0.05)
    for question in ("Which Federal Register citation added KESPHO?",
                     "Under what FR citation was KESPHO listed?",
                     "What is the citation of the notice that put KESPHO on the Entity List?"):
        frame = parse(question)
        frame = type(frame)(**{**frame.__dict__, "entities": ("kespho",), "names": ()})
        assert accepted(frame, record, 0.34), question
    why = parse("Why was KESPHO added?")
    why = type(why)(**{**why.__dict__, "entities": ("kespho",), "names": ()})
    assert not accepted(why, record, 0.34)  # a record never says why
