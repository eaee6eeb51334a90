"""Questions of particular shapes get answers of the matching shape: a document number, both
parts of a two-part question, names for "which companies", and no single figure read out of
a total. The documents are short ones written for these tests, ingested for real."""

from __future__ import annotations

import pytest

from tests.conftest import make_config

ARTICLE = """---
title: "Commerce lists four drone-parts suppliers"
publisher: "ListLens Test Wire"
date: 2030-03-05
---

The Bureau of Industry and Security said on Tuesday that it was adding the four companies to the Entity List, after months of review.

The four companies are Orion Microsystems, Vega Photonics, Lyra Components and Draco Logistics, all of which shipped flight controllers to drone makers serving the Russian military.

The final rule ([Federal Register document](https://www.federalregister.gov/d/2030-01234)) takes effect on publication.

Separately, investigators said the Kestrel Exchange had received almost $9 million from ransomware crews like Ryuk, Conti, Maze and others since 2019.
"""

RULE_SUMMARY = """---
title: "Additions of Entities to the Entity List"
date: 2030-04-01
---

# Additions of Entities to the Entity List

In this rule, the Bureau of Industry and Security amends the Export Administration Regulations by adding 12 entities under 14 entries to the Entity List.

These entries are listed under the destinations of China (5), Russia (7), and Turkey (2).

Two entities are added under two destinations, which accounts for the difference in the totals.
"""


@pytest.fixture(scope="module")
def shapes_library(tmp_path_factory):
    from listlens.index.library import Library

    folder = tmp_path_factory.mktemp("shapes-docs")
    (folder / "drone-parts.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "kestrel-rule.md").write_text(RULE_SUMMARY, encoding="utf-8")
    library = Library(make_config(tmp_path_factory.mktemp("shapes") / "data"))
    assert library.ingest([folder]).ok
    return library


def test_a_document_number_given_only_in_a_link_is_found(shapes_library):
    answer = shapes_library.ask("What is the Federal Register document number of the final rule "
                                "that added Orion Microsystems?")
    assert not answer.refused
    assert "2030-01234" in answer.text


def test_both_parts_of_a_two_part_question_are_answered(shapes_library):
    answer = shapes_library.ask("How many entities did the April 1, 2030 rule add, and how many of "
                                "its entries were under Russia?")
    assert "12 entities" in answer.text
    assert "Russia (7)" in answer.text


def test_which_companies_is_answered_with_their_names(shapes_library):
    answer = shapes_library.ask("Which four companies did BIS add to the Entity List for shipping "
                                "flight controllers?")
    assert all(name in answer.text for name in ("Orion Microsystems", "Vega Photonics",
                                                "Lyra Components", "Draco Logistics"))


def test_a_total_over_several_names_is_not_given_as_one_names_figure(shapes_library):
    answer = shapes_library.ask("How much money did the Kestrel Exchange receive specifically "
                                "from the Conti ransomware crew?")
    assert answer.refused
    assert "combined figure for Conti" in answer.text
    assert any("$9 million" in c.text for c in answer.citations), "the total is shown as context"
    # Asked for the total, the same sentence answers.
    total = shapes_library.ask("How much money did the Kestrel Exchange receive from ransomware crews?")
    assert not total.refused and "$9 million" in total.text


def test_a_quoted_section_name_is_read_and_possessives_are_not_quotes():
    from listlens.index.frame import parse

    assert parse("What does the 'Partner Nations Note' in the rule clarify?").phrases == (
        "partner nations note",)
    assert parse("Why did Treasury's OFAC designate Kestrel's operators?").phrases == ()
