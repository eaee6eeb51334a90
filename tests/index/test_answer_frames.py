"""An answer must fill the slot asked, for the focus and the event asked, or say what is missing.

One test per failure class, each asked in three wordings of our own, over short documents written
for these tests (fictional entities and rules in the 2030s) and ingested for real: the embedding
model, Chroma, the entity table.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_config

ABSTRACT = """---
title: "Additions of Entities to the Entity List"
source: federal_register
source_name: Federal Register
original_published: 2031-05-14 00:00:00 +0000
---

# Additions of Entities to the Entity List

**Source:** Federal Register
**Original Published:** May 14, 2031 00:00 UTC
**Document Number:** 2031-00077

## Summary

In this rule, the Bureau of Industry and Security (BIS) amends the Export Administration Regulations (EAR) by adding thirty-three (33) entities to the Entity List under the destinations of Armenia, Georgia and Kazakhstan. These entities have been determined to be acting contrary to the national security interests of the United States. This rule also corrects six existing entries on the Entity List.
"""

BIG_ABSTRACT = """---
title: "Additions to the Unverified List"
source: federal_register
source_name: Federal Register
original_published: 2031-08-02 00:00:00 +0000
---

# Additions to the Unverified List

**Source:** Federal Register
**Original Published:** August 2, 2031 00:00 UTC
**Document Number:** 2031-00418

## Summary

The Bureau of Industry and Security (BIS) is amending the Export Administration Regulations (EAR) by adding one hundred and twelve persons to the Unverified List (UVL). The persons are added because end-use checks could not be completed.
"""

NEWS = """---
title: "Drone-parts broker Kestrel Systems lands on trade blacklist"
publisher: "ListLens Test Wire"
date: 2031-05-16
---

The Commerce Department added Kestrel Systems, a drone-parts broker based in Yerevan, to the Entity List on Tuesday.

Officials said Kestrel Systems had shipped flight controllers to a Russian drone maker in breach of export controls.

Analysts estimate that the worldwide market for commercial drone parts grew to $4 billion last year.

The European Union has discussed drone exports at several meetings this year.

| Entity | Country | Reason |
|---|---|---|
| **Kestrel Systems** | Armenia | Supplying flight controllers to Russian drone makers |
| **Talon Avionics** | Georgia | Re-exporting navigation modules to Russia |
"""

LIST = {
    "list_id": "bis-entity-list",
    "source_file": "ListLens test extract",
    "extracted": "2031-06-01",
    "count": 3,
    "entities": [
        {"name": "Kestrel Systems", "aliases": ["Kestrel Systems LLC"], "country": "Armenia",
         "address": "5 Test Street, Yerevan, Armenia.", "status": None, "effective_date": None,
         "federal_register": "96 FR 30001, 5/14/31", "notes": "All items subject to the EAR."},
        {"name": "Talon Avionics", "aliases": [], "country": "Georgia",
         "address": "9 Sample Avenue, Tbilisi, Georgia.", "status": None, "effective_date": None,
         "federal_register": "96 FR 30001, 5/14/31", "notes": "All items subject to the EAR."},
        {"name": "Zhongshan Radiance Optics Co., Ltd.", "aliases": [], "country": "China",
         "address": "1 Example Road, Zhongshan, China.", "status": None, "effective_date": None,
         "federal_register": "96 FR 30001, 5/14/31", "notes": "All items subject to the EAR."},
    ],
}


@pytest.fixture(scope="module")
def frames_library(tmp_path_factory):
    from listlens.index.library import Library

    folder = tmp_path_factory.mktemp("frame-docs")
    (folder / "abstract.md").write_text(ABSTRACT, encoding="utf-8")
    (folder / "uvl-abstract.md").write_text(BIG_ABSTRACT, encoding="utf-8")
    (folder / "kestrel-news.md").write_text(NEWS, encoding="utf-8")
    (folder / "entity-list.json").write_text(json.dumps(LIST), encoding="utf-8")
    library = Library(make_config(tmp_path_factory.mktemp("frames") / "data"))
    report = library.ingest([folder])
    assert report.ok, report.failures
    return library


@pytest.mark.parametrize("question", [
    "How many entities did FR Doc. 2031-00077 add to the Entity List?",
    "What number of entities were added by FR Doc. 2031-00077?",
    "FR Doc. 2031-00077 added how many entities?",
])
def test_a_count_of_additions_is_the_number_added_not_another_number(frames_library, question):
    answer = frames_library.ask(question)
    assert not answer.refused, answer.text
    assert "33" in answer.sentences[0].text
    assert "six" not in answer.sentences[0].text


def test_a_count_the_document_states_is_answered_from_the_fact_read_at_ingest(frames_library):
    answer = frames_library.ask("How many entities did FR Doc. 2031-00077 add to the Entity List?")
    assert answer.backend == "facts"
    assert answer.sentences[0].text == "FR Doc. 2031-00077 states that it added 33 entities to the Entity List."
    assert "thirty-three (33) entities" in answer.citations[0].text


@pytest.mark.parametrize("question", [
    "How many entries did FR Doc. 2031-00077 correct?",
    "What number of existing entries does FR Doc. 2031-00077 correct?",
    "FR Doc. 2031-00077 corrected how many entries?",
])
def test_a_count_of_corrections_is_not_the_count_of_additions(frames_library, question):
    answer = frames_library.ask(question)
    assert not answer.refused, answer.text
    assert "6" in answer.sentences[0].text and "33" not in answer.sentences[0].text


@pytest.mark.parametrize("question", [
    "How many persons did FR Doc. 2031-00418 add to the Unverified List?",
    "What number of persons were added to the UVL by FR Doc. 2031-00418?",
    "FR Doc. 2031-00418 added how many persons to the Unverified List?",
])
def test_counts_written_in_words_above_twelve_are_read(frames_library, question):
    answer = frames_library.ask(question)
    assert not answer.refused, answer.text
    assert "112" in answer.sentences[0].text


@pytest.mark.parametrize("question", [
    "Who signed FR Doc. 2031-00077?",
    "Which official signed FR Doc. 2031-00077?",
    "FR Doc. 2031-00077 was signed by whom?",
])
def test_a_signer_the_document_does_not_give_is_refused_saying_what_it_does_give(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused
    assert "don't say who signed FR Doc. 2031-00077" in answer.text
    assert "they give its title and publication date" in answer.text
    assert "published May 14, 2031" in answer.text
    assert "2031-00077" in answer.citations[0].text


@pytest.mark.parametrize("question", [
    "How much revenue did Kestrel Systems lose after it was listed?",
    "How much money did Kestrel Systems lose in sales because of the listing?",
    "What amount of revenue did Kestrel Systems lose?",
])
def test_an_unrelated_figure_does_not_answer_an_amount_question(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused, answer.text
    assert "$4 billion" not in answer.text


@pytest.mark.parametrize("question", [
    "How did the European Union respond to the listing of Kestrel Systems?",
    "How did the EU react when Kestrel Systems was added?",
    "What was the European Union's response to the Kestrel Systems listing?",
])
def test_a_response_question_is_not_answered_by_the_entitys_record(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused, answer.text
    assert not any("96 FR 30001" in s.text for s in answer.sentences)


@pytest.mark.parametrize("question", [
    "How did Armenia respond to the listing of Kestrel Systems?",
    "How did Armenia react when Kestrel Systems was added?",
    "What was Armenia's response to the Kestrel Systems listing?",
])
def test_a_record_naming_the_actor_and_the_entity_is_not_a_response(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused, answer.text


@pytest.mark.parametrize("question", [
    "What is the docket number of FR Doc. 2031-00077?",
    "Which docket number does FR Doc. 2031-00077 carry?",
    "Give the docket number of FR Doc. 2031-00077.",
])
def test_an_identifier_the_document_does_not_give_is_refused_not_counted(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused and "33" not in answer.text


@pytest.mark.parametrize("question", [
    "Is Zhongshan Radiance Photonics on the Entity List?",
    "Does Zhongshan Radiance Photonics appear on any list?",
    "Which list is Zhongshan Radiance Photonics on?",
])
def test_a_made_up_name_is_not_found_rather_than_matched_to_another_entity(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused
    # "not found on the lists in the library" or, asked about one list, "on the Entity List in
    # the library"; either way the lists searched are named.
    assert "Zhongshan Radiance Photonics" in answer.text and "not found on the" in answer.text
    assert "in the library (searched:" in answer.text and "Entity List" in answer.text
    assert "Optics" not in answer.text and not answer.citations
    assert answer.backend == "screen"  # the one membership path: the name screened against the lists


@pytest.mark.parametrize("question", [
    "Why was Zhongshan Radiance Photonics added to the Entity List?",
    "When did BIS add Zhongshan Radiance Photonics?",
    "Under which citation was Zhongshan Radiance Photonics listed?",
])
def test_other_questions_about_a_made_up_name_do_not_borrow_a_record(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused, answer.text
    assert "96 FR 30001" not in answer.text


@pytest.mark.parametrize("question", [
    "Is Talon Avionics on the Entity List?",
    "Which list is Talon Avionics on?",
    "Does Talon Avionics appear on the Entity List?",
])
def test_a_listed_name_is_answered_from_its_record(frames_library, question):
    answer = frames_library.ask(question)
    assert not answer.refused
    assert "Talon Avionics is on the Entity List" in answer.text
    assert "96 FR 30001" in answer.citations[0].text
    assert answer.backend == "screen"


@pytest.mark.parametrize("question", [
    "Is Talon Avionics on the Unverified List?",
    "Is Talon Avionics listed on the UVL?",
    "Does Talon Avionics appear on the Unverified List?",
])
def test_a_listed_name_asked_about_another_list_is_not_found_there(frames_library, question):
    answer = frames_library.ask(question)
    assert answer.refused, answer.text
    assert "Talon Avionics was not found on the" in answer.text and "in the library (searched:" in answer.text
    assert "The same name is on other lists: Entity List" in answer.text
    assert answer.citations and all(c.text.startswith("Talon Avionics") for c in answer.citations)


@pytest.mark.parametrize("question", [
    "Why did the Commerce Department add Talon Avionics to the Entity List?",
    "What conduct led to the listing of Talon Avionics?",
    "On what grounds was Talon Avionics listed?",
])
def test_table_rows_are_rendered_as_sentences(frames_library, question):
    answer = frames_library.ask(question)
    assert not answer.refused, answer.text
    assert "Re-exporting navigation modules" in answer.text
    assert "|" not in answer.text and "**" not in answer.text
    assert any(c.text.startswith("|") for c in answer.citations)  # the quote stays exact


@pytest.mark.parametrize("question", [
    "How many entities did FR Doc. 2031-00077 add, and who signed it?",
    "Who signed FR Doc. 2031-00077, and how many entities did it add?",
    "How many entities did FR Doc. 2031-00077 add; who signed the rule?",
])
def test_each_part_of_a_two_part_question_is_answered_or_refused(frames_library, question):
    answer = frames_library.ask(question)
    assert not answer.refused, answer.text
    assert "33" in answer.text
    assert "don't say who signed" in answer.text
