"""Screening: is this name on a list in the library, under which name, and how close?

A real library (real Chroma, the real embedding model) holds two small list files written for
these tests: an Entity List extract and an NS-CMIC extract carrying a Chinese alias. Every test
screens names the way an analyst types them.
"""

from __future__ import annotations

import json

import pytest

from listlens.index.frame import parse
from listlens.index.screen import (DEFAULT_THRESHOLD, ListRecord, ScreeningError, build_matcher,
                                   name_tokens, several_names)
from tests.conftest import make_config

ENTITY_LIST = {
    "list_id": "bis-entity-list", "extracted": "2026-07-09", "source_file": "test extract",
    "entities": [
        {"name": "Hefei National Laboratory for Physical Sciences at the Microscale", "aliases": [],
         "country": "China", "address": "Hefei, Anhui", "federal_register": "86 FR 67319, 11/26/21",
         "notes": "For all items subject to the EAR. (See § 744.11 of the EAR)"},
        {"name": "Positive Technologies", "aliases": ["JSC Positive Technologies"],
         "country": "Russia", "address": "Moscow", "federal_register": "86 FR 60760, 11/4/21",
         "notes": "For all items subject to the EAR. (See § 744.11 of the EAR)"},
        {"name": "Joint Stock Company Kronshtadt", "aliases": ["AO Kronshtadt"],
         "country": "Russia", "address": "Moscow", "federal_register": "87 FR 12226, 3/3/22",
         "notes": "For all items subject to the EAR. (See § 744.11 of the EAR)"},
    ]}
CMIC_LIST = {
    "list_id": "ofac-nscmic", "extracted": "2026-07-09", "source_file": "test extract",
    "entities": [
        {"name": "Megvii Technology Limited", "aliases": ["旷视科技有限公司"], "country": "China",
         "address": "Beijing", "effective_date": "2022-02-09",
         "notes": "Listing Date (CMIC): 16 Dec 2021; Program: CMIC-EO13959"},
    ]}


@pytest.fixture(scope="module")
def lists_library(tmp_path_factory):
    from listlens.index.library import Library

    root = tmp_path_factory.mktemp("screen")
    docs = root / "lists"
    docs.mkdir()
    (docs / "entity_list.json").write_text(json.dumps(ENTITY_LIST, ensure_ascii=False), encoding="utf-8")
    (docs / "cmic.json").write_text(json.dumps(CMIC_LIST, ensure_ascii=False), encoding="utf-8")
    library = Library(make_config(root / "data"))
    report = library.ingest([docs])
    assert report.ok, report.failures
    return library


def top(result):
    assert result.matches, result.text()
    return result.matches[0]


# --- normalisation ---------------------------------------------------------------------------

def test_legal_forms_punctuation_and_case_do_not_count():
    assert name_tokens("Megvii Technology Co., Ltd.")[0] == name_tokens("MEGVII TECHNOLOGY LIMITED")[0]
    assert name_tokens("Joint Stock Company Kronshtadt")[0] == name_tokens("Kronshtadt JSC")[0]
    # "private" is a legal form only next to one
    assert "private" in name_tokens("Private Security Company")[0]


def test_cyrillic_and_chinese_are_transliterated():
    assert name_tokens("Кронштадт") == (name_tokens("Kronshtadt")[0], True)
    tokens, transliterated = name_tokens("旷视科技有限公司")
    assert transliterated and tokens == name_tokens("Kuangshikeji")[0]  # legal form dropped


# --- screening -------------------------------------------------------------------------------

def test_an_exact_name_matches_with_its_record(lists_library):
    m = top(lists_library.screen("Positive Technologies"))
    assert m.score == 1.0 and m.record.entity == "Positive Technologies"
    assert "Entity List" in m.record.list_name and m.record.countries == ["Russia"]
    assert m.record.fr_citation.startswith("86 FR 60760")
    assert m.record.data_date == "2026-07-09"
    assert m.record.link.endswith(f"#chars={m.record.start}-{m.record.end}")
    assert "Positive Technologies" in m.record.text


def test_a_name_in_cyrillic_matches_its_latin_listing(lists_library):
    m = top(lists_library.screen("АО Кронштадт"))
    assert m.record.entity == "Joint Stock Company Kronshtadt" and m.transliterated
    assert "transliterated" in m.how()


def test_a_chinese_name_matches_the_listed_chinese_alias_and_so_does_its_pinyin(lists_library):
    for query in ("旷视科技", "旷视科技有限公司", "Kuangshi Keji"):
        m = top(lists_library.screen(query))
        assert m.record.entity == "Megvii Technology Limited", query
        assert m.matched_name == "旷视科技有限公司" and m.is_alias
        assert "CMIC" in m.record.list_name and m.record.programs == "CMIC-EO13959"


def test_word_order_and_legal_form_do_not_matter(lists_library):
    m = top(lists_library.screen("Technologies Positive LLC"))
    assert m.record.entity == "Positive Technologies" and m.score == 1.0
    assert top(lists_library.screen("Megvii Technology Co., Ltd.")).record.entity == "Megvii Technology Limited"


def test_a_typo_matches_below_a_perfect_score_and_says_which_words_differ(lists_library):
    m = top(lists_library.screen("Positve Technologies"))
    assert m.record.entity == "Positive Technologies"
    assert DEFAULT_THRESHOLD <= m.score < 1.0
    assert ("positve", "positive") in m.agree and "positve≈positive" in m.how()


def test_typos_are_counted_on_the_whole_name_against_a_budget_that_grows_with_its_length(lists_library):
    # a slip in each word, two slips in one ten-letter word, slips in a legal form too
    for typed in ("Postive Technolgies", "Joint Stock Company Kornshtadd", "Megvi Tecnology Limted"):
        m = top(lists_library.screen(typed))
        assert DEFAULT_THRESHOLD <= m.score < 1.0, (typed, m.how())
    assert top(lists_library.screen("Megvi Tecnology Limted")).record.entity == "Megvii Technology Limited"


def test_a_slip_in_a_short_word_is_forgiven_in_a_long_enough_name():
    # Short words must otherwise agree exactly (initials and acronyms name other entities), so
    # only the whole-name budget can find these; the records are built in memory.
    matcher = build_matcher([_record("r1", "Vela Marine Services"), _record("r2", "Tor Pen Trading")])
    for typed, listed in (("Ela Marine Srvices", "Vela Marine Services"),
                          ("Tor Ren Trading", "Tor Pen Trading")):
        result = matcher.screen(typed)
        assert result.matched and result.matches[0].record.entity == listed, result.text()
    assert not matcher.screen("Tor Xq Trading").matched  # another short word, not a slip


def _record(node_id: str, name: str) -> ListRecord:
    return ListRecord(node_id=node_id, entity=name, aliases=[], countries=["Malta"],
                      list_name="Entity List (EL)", fr_citation="", programs="", start_date="",
                      data_date="2026-07-09", source="list.json", title="list", start=0, end=0,
                      text=name)


def test_a_different_short_word_is_not_taken_for_a_typo(lists_library):
    # within two edits of "Megvii Technology", but "Mekxa" is another word, not a slip of it
    assert not lists_library.screen("Mekxa Technology").matched
    assert not lists_library.screen("Positive Tekhnika Holding").matched


def test_the_first_words_of_a_long_name_match_it(lists_library):
    m = top(lists_library.screen("Hefei National Laboratory"))
    assert m.record.entity.startswith("Hefei National Laboratory")
    assert "microscale" in m.listed_only  # the explanation says what the query left out


def test_a_made_up_name_sharing_a_city_word_gets_no_match(lists_library):
    result = lists_library.screen("Hefei Sunrise Trading Co., Ltd.")
    assert not result.matched and result.matches == []
    text = result.text()
    assert text.startswith("No match for “Hefei Sunrise Trading Co., Ltd.”")
    # it names every list searched and the date of its data
    assert "Entity List (EL)" in text and "Non-SDN Chinese Military-Industrial Complex" in text
    assert "2026-07-09" in text


def test_a_made_up_name_gets_no_match(lists_library):
    assert not lists_library.screen("Zorblax Dynamics").matched


def test_country_agreement_raises_and_conflict_lowers_the_score(lists_library):
    plain = top(lists_library.screen("Positve Technologies")).score
    same = top(lists_library.screen("Positve Technologies", country="RU"))
    assert same.score > plain and same.country == "match"
    assert top(lists_library.screen("Positive Technologies", country="Russian Federation")).country == "match"
    other = lists_library.screen("Positive Technologies", country="China", threshold=0.5)
    assert top(other).score < 1.0 and top(other).country == "conflict"
    # a conflicting country can take a near match below the threshold
    assert lists_library.screen("Positve Technologies", threshold=0.9).matched
    assert not lists_library.screen("Positve Technologies", country="CN", threshold=0.9).matched


def test_the_threshold_decides_what_counts_as_a_match(lists_library):
    assert lists_library.screen("Positve Technologies").matched
    assert not lists_library.screen("Positve Technologies", threshold=0.99).matched
    with pytest.raises(ScreeningError, match="between 0 and 1"):
        lists_library.screen("Positive Technologies", threshold=1.5)


def test_lists_can_be_chosen_and_an_unknown_list_is_an_error(lists_library):
    assert not lists_library.screen("Positive Technologies", lists=["CMIC"]).matched
    result = lists_library.screen("Positive Technologies", lists=["EL"])
    assert result.matched and [s.name for s in result.searched] == [
        "Entity List (EL) - Bureau of Industry and Security"]
    with pytest.raises(ScreeningError, match="no list 'XYZ'"):
        lists_library.screen("Positive Technologies", lists=["XYZ"])
    with pytest.raises(ScreeningError, match="not a country"):
        lists_library.screen("Positive Technologies", country="Atlantis")


def test_many_names_in_one_batch(lists_library):
    seen = []
    results = lists_library.screen_many([("Positive Technologies", None), ("Zorblax Dynamics", None),
                                         ("旷视科技", "CN")], progress=lambda d, t: seen.append((d, t)))
    assert [r.matched for r in results] == [True, False, True]
    assert seen[-1] == (3, 3)


def test_the_index_is_cached_by_store_fingerprint(lists_library):
    from listlens.index.library import Library

    lists_library.screen("Positive Technologies")
    cached = list(lists_library.config.cache_dir.glob("screen-*.json"))
    assert len(cached) == 1
    fresh = Library(lists_library.config)  # another process: loads the cache file
    assert top(fresh.screen("АО Кронштадт")).record.entity == "Joint Stock Company Kronshtadt"


# --- "Is X listed?" in the Ask path ----------------------------------------------------------

@pytest.mark.parametrize(("question", "name", "asked_list"), [
    ("Is Megvii listed?", "Megvii", ""),
    ("Is Megvii sanctioned?", "Megvii", ""),
    ("Is Megvii designated by OFAC?", "Megvii", ""),
    ("Which list is Positive Technologies on?", "Positive Technologies", ""),
    ("What lists is Positive Technologies on?", "Positive Technologies", ""),
    ("On which list is Positive Technologies?", "Positive Technologies", ""),
    ("Is AO Kronshtadt on the Entity List?", "AO Kronshtadt", "Entity List"),
    ("Is KOMOTSKY, Boris on the Specially Designated Nationals List?", "KOMOTSKY, Boris",
     "Specially Designated Nationals List"),
    ("Is Megvii on the Consolidated Screening List?", "Megvii", ""),  # it consolidates them all
])
def test_membership_questions_carry_the_name_and_list_as_written(question, name, asked_list):
    frame = parse(question)
    assert "membership" in frame.asks
    assert (frame.asked_name, frame.asked_list) == (name, asked_list)


@pytest.mark.parametrize("question", [
    "Why was Megvii listed?",
    "When was Megvii added?",
    "Are license exceptions available to a party on the Entity List?",
    "Is Megvii listed, and why?",  # two questions: the reason is asked too
    "Is it on the Entity List?",
])
def test_other_questions_are_not_membership_questions(question):
    frame = parse(question)
    assert "membership" not in frame.asks and frame.asked_name is None


@pytest.mark.parametrize("question", [
    "Is Megvii Technology listed?",
    "Which list is Megvii Technology Limited on?",
    "Is Megvii Technology on the NS-CMIC list?",
])
def test_is_x_listed_is_answered_from_the_record(lists_library, question):
    answer = lists_library.ask(question)
    assert not answer.refused, answer.text
    assert answer.text.startswith("Yes: Megvii Technology")
    assert "Non-SDN Chinese Military-Industrial Complex" in answer.text and "China" in answer.text
    assert answer.citations and "Megvii Technology Limited" in answer.citations[0].text


@pytest.mark.parametrize("question", [
    "Which list is Positive Technologies on?",
    "Is JSC Positive Technologies sanctioned?",  # a listed alias
    "On which list is Positive Technologies?",
])
def test_which_list_names_the_list_and_its_citation(lists_library, question):
    answer = lists_library.ask(question)
    assert not answer.refused, answer.text
    assert "Entity List" in answer.text and "86 FR 60760" in answer.text
    assert all("Positive Technologies" in c.text for c in answer.citations)


@pytest.mark.parametrize("question", [
    "Is Hefei Sunrise Trading listed?",
    "Which list is Hefei Sunrise Trading on?",
    "Is Hefei Sunrise Trading on the Entity List?",
])
def test_a_made_up_name_is_not_found_on_the_lists(lists_library, question):
    answer = lists_library.ask(question)
    assert answer.refused
    assert answer.text.startswith("Hefei Sunrise Trading was not found on the ")
    assert " in the library (searched: " in answer.text
    # the lists searched are named, with the date of their data
    assert "Entity List" in answer.text and "data of 2026-07-09" in answer.text
    assert answer.citations == []  # no other entity's record (the Hefei laboratory) is shown
    assert "Laboratory" not in answer.text


def test_a_close_name_on_another_list_gives_its_score(lists_library):
    answer = lists_library.ask("Is Megvi Technolgy on the Entity List?")
    assert answer.refused and "A close name (match score 0." in answer.text
    assert "is on other lists: Non-SDN Chinese Military-Industrial Complex" in answer.text


@pytest.mark.parametrize("question", [
    "Is Megvii Technology on the Entity List?",
    "Is Megvii Technology listed on the Entity List?",
    "Does Megvii Technology appear on the Entity List?",
])
def test_a_name_on_another_list_than_the_one_asked_is_said_so(lists_library, question):
    answer = lists_library.ask(question)
    assert answer.refused and "not found on the Entity List" in answer.text
    # legal forms aside, the very name: said as the same name, not as a close one
    assert "The same name is on other lists: Non-SDN Chinese Military-Industrial Complex" in answer.text
    assert [c.text for c in answer.citations] and all("Megvii" in c.text for c in answer.citations)


@pytest.mark.parametrize(("question", "found"), [
    ("Is Megvii Technology on the Non-SDN CMIC list?", True),
    ("Is Megvii Technology on the SDN list?", False),  # the NS-CMIC list is "Non-SDN"
    ("Is Joint Stock Company Kronshtadt on BIS's Entity List?", True),
    ("Is Joint Stock Company Kronshtadt on the Military End-User List?", False),
])
def test_the_list_asked_about_is_read_from_how_lists_are_named(lists_library, question, found):
    answer = lists_library.ask(question)
    assert answer.refused is not found, answer.text


def test_a_library_without_list_data_says_so(library):
    result = library.screen("Positive Technologies")
    assert not result.matched
    assert "no list data in the library" in result.text()


def test_a_membership_question_to_a_library_without_list_data_says_so(tmp_path):
    from listlens.index.library import Library

    note = tmp_path / "note.md"
    note.write_text("# Export control notes\n\nOur team keeps these notes on supplier due diligence. "
                    "Positive Technologies is a Moscow security firm we read about.\n", encoding="utf-8")
    library = Library(make_config(tmp_path / "data"))
    assert library.ingest([note]).ok
    answer = library.ask("Is Positive Technologies on the Entity List?")
    assert answer.refused and answer.citations == []
    assert "not found on the Entity List in the library (searched: no list data in the library)" in answer.text


def test_a_question_about_several_names_is_answered_for_each():
    assert several_names("Positive Technologies and Megvii Technology") == [
        "Positive Technologies", "Megvii Technology"]
    assert several_names("Alpha Optics, Beta Marine or Gamma Labs") == ["Alpha Optics", "Beta Marine", "Gamma Labs"]
    assert several_names("Megvii Technology") == []
    assert several_names("Alpha Optics and partners") == []  # "partners" names no one


@pytest.mark.parametrize("question", [
    "Are Positive Technologies and Zorblax Dynamics listed?",
    "Are Positive Technologies and Zorblax Dynamics on any list?",
    "Is Positive Technologies or Zorblax Dynamics sanctioned?",
])
def test_each_name_of_several_gets_its_own_answer(lists_library, question):
    answer = lists_library.ask(question)
    assert not answer.refused, answer.text  # one of the two is listed
    assert "Yes: Positive Technologies" in answer.text
    assert "Zorblax Dynamics was not found on the lists in the library (searched:" in answer.text
    assert answer.citations and all("Positive Technologies" in c.text for c in answer.citations)
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_several_names_none_listed_is_a_refusal_naming_each(lists_library):
    answer = lists_library.ask("Are Zorblax Dynamics and Quillion Labs listed?")
    assert answer.refused and not answer.citations
    assert "Zorblax Dynamics was not found" in answer.text and "Quillion Labs was not found" in answer.text

