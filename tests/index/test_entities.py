"""The entity table finds an entity however the question spells it."""

from listlens.index.entities import Entity, EntityTable, normalize


def table(*names_and_aliases: tuple[str, list[str]]) -> EntityTable:
    entities = {}
    for i, (name, aliases) in enumerate(names_and_aliases):
        entity = Entity(name, [f"node-{i}"])
        for n in [name, *aliases]:
            entities[normalize(n)] = entity
    return EntityTable(entities)


TABLE = table(
    ("Spacety Co., Ltd. (Changsha)", []),
    ("Computer Security Initiative Consultancy PTE. LTD.", ["COSEINC"]),
    ("Hefei National Laboratory for Physical Sciences at Microscale", []),
    ("NSO Group", []),
    ("Candiru", ["Saito Tech Ltd."]),
    ("Finval", []),
)


def test_legal_forms_and_punctuation_do_not_matter():
    assert normalize("Spacety Co., Ltd.") == normalize("SPACETY CO LTD") == "spacety"
    assert normalize("Promtekhkomplekt JSC") == "promtekhkomplekt"
    assert normalize("AO Kronshtadt") == "ao kronshtadt"  # a leading form is part of the name


def test_names_and_aliases_are_found_in_a_question():
    found = TABLE.find_in("When was COSEINC added, and why was Candiru listed?")
    assert [e.name for e in found] == ["Computer Security Initiative Consultancy PTE. LTD.", "Candiru"]


def test_a_slightly_misspelt_name_is_found():
    assert [e.name for e in TABLE.find_in("Why was Candiro added?")] == ["Candiru"]


def test_an_english_word_is_not_corrected_into_a_name():
    # "final" is one letter from the entity "Finval"; only words written as names are corrected
    assert [e.name for e in TABLE.find_in("Which final rule added NSO Group?")] == ["NSO Group"]
    assert [e.name for e in TABLE.find_in("why was candiro added?")] == ["Candiru"]  # all lower case


def test_the_first_words_of_a_long_name_find_it():
    found = TABLE.find_in("What did the rule say about Hefei National Laboratory?")
    assert found and found[0].name.startswith("Hefei National Laboratory")


def test_lookup_by_partial_name():
    assert TABLE.lookup("Spacety")[0].name == "Spacety Co., Ltd. (Changsha)"
    assert TABLE.lookup("Saito Tech")[0].name == "Candiru"


def test_ordinary_questions_name_no_entity():
    assert TABLE.find_in("What license review policy applies to the entities?") == []


def test_names_in_other_scripts_are_found_by_their_transliteration():
    # Cyrillic and Chinese names used to fold to "" and could never be found.
    cyrillic = table(("Rostec", ["Ростех"]), ("Almaz-Antey", ["Алмаз-Антей"]), ("Huawei", ["华为"]))
    assert [e.name for e in cyrillic.find_in("Когда Ростех попал в список?")] == ["Rostec"]
    assert [e.name for e in cyrillic.find_in("Why was Rostekh listed?")] == ["Rostec"]
    assert cyrillic.lookup("Алмаз-Антей")[0].name == "Almaz-Antey"
    assert [e.name for e in cyrillic.find_in("华为 was added in 2019")] == ["Huawei"]
