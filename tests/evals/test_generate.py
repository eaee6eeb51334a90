"""Generated gold sets, on the real sample library: every template yields questions whose answers
and evidence are in the library, negatives name nothing listed, sampling is seeded."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from listlens.evals.generate import (TEMPLATES, LibraryFacts, generate, made_up_name,
                                     read_library, short_list, stated_counts, write_gold)
from listlens.evals.gold import load_gold
from listlens.index.entities import normalize

# The sample corpus holds one full FR rule (XML, with a table and a summary), list records on
# two lists (Entity List, SDN) with aliases and FR citations.
SAMPLE_TEMPLATES = set(TEMPLATES) - {"fr_count_digits"}  # its one summary writes "four"


@pytest.fixture(scope="module")
def generated(sample_library):
    return generate(sample_library.store, per_template=6)


def _library_texts(library) -> dict[str, str]:
    """Every chunk of the library, joined per source."""
    texts: dict[str, list[str]] = {}
    for _ids, docs, metas in library.store.iter_chunks():
        for text, meta in zip(docs, metas):
            texts.setdefault(meta["source"], []).append(text)
    return {source: "\n".join(parts) for source, parts in texts.items()}


def test_every_template_the_sample_can_fill_yields_questions(generated):
    per = Counter(item["template"] for item in generated)
    assert set(per) >= SAMPLE_TEMPLATES
    assert all(n <= 6 for n in per.values())
    assert len({item["id"] for item in generated}) == len(generated)


def test_answerable_items_carry_their_answer_and_evidence_from_the_library(generated, sample_library):
    texts = _library_texts(sample_library)
    for item in generated:
        if item["kind"] == "unanswerable":
            continue
        assert item["evidence"], item
        for ev in item["evidence"]:
            assert ev["quote"] in texts[ev["file"]], (item["id"], ev)
        quotes = " ".join(ev["quote"] for ev in item["evidence"])
        if item["template"] in ("record_citation", "alias"):
            assert item["answer"] in quotes, item
        if item["template"] == "which_list":  # "SDN List" for a record saying "… (SDN)"
            assert item["answer"].removesuffix(" List") in quotes, item
        if item["template"] in ("fr_count_words", "fr_count_digits"):
            values = [c.value for c in stated_counts(item["evidence"][0]["quote"])]
            assert int(item["answer"]) in values, item


def test_list_answers_name_the_list_as_people_do(generated):
    lists = {item["answer"] for item in generated if item["template"] == "which_list"}
    assert lists <= {"Entity List", "Specially Designated Nationals List"}
    assert short_list("Specially Designated Nationals (SDN) - Treasury Department") == \
        "Specially Designated Nationals List"
    assert short_list("Entity List (EL) - Bureau of Industry and Security") == "Entity List"


def test_the_table_count_is_the_number_of_entries_in_the_rule(generated):
    (item,) = [i for i in generated if i["template"] == "fr_table_count"]
    assert "2021-24123" in item["question"] and item["answer"] == "4"


def test_negatives_name_nothing_on_any_list_or_in_any_document(generated, sample_library):
    facts = read_library(sample_library.store)
    texts = "\n".join(_library_texts(sample_library).values()).lower()
    negatives = [i for i in generated if i["template"] == "negative"]
    assert len(negatives) == 6
    for item in negatives:
        assert item["kind"] == "unanswerable" and not item["evidence"]
        name = item["notes"].split("“")[1].split("”")[0]
        assert name in item["question"]
        invented = [w for w in normalize(name).split() if w not in facts.words]
        assert invented, item["question"]  # at least one made-up word ...
        assert all(w not in texts for w in invented if len(w) > 4)  # ... found nowhere


def test_made_up_names_keep_the_shape_of_the_real_one(sample_library):
    facts = read_library(sample_library.store)
    rng = random.Random(7)
    for real in ("Hangzhou Zhongke Microelectronics Co., Ltd.", "Muhammad Farrukh", "SUEX OTC, S.R.O."):
        name = made_up_name(real, facts, rng)
        assert name and len(name.split()) == len(real.split())
        assert normalize(name) not in facts.names
        if real.endswith("Co., Ltd."):
            assert name.endswith("Co., Ltd.")


def test_a_name_of_only_known_words_gives_no_negative():
    facts = LibraryFacts({}, {"acme"}, {"acme"}, set(), {})
    assert made_up_name("Co., Ltd.", facts, random.Random(1)) is None


def test_the_same_seed_gives_the_same_set_and_another_seed_another(sample_library):
    a = generate(sample_library.store, per_template=4, seed=11)
    b = generate(sample_library.store, per_template=4, seed=11)
    c = generate(sample_library.store, per_template=4, seed=12)
    assert a == b and a != c


def test_counts_stated_in_summaries_are_read_with_their_noun_action_and_list():
    text = ("The Bureau is amending the EAR by adding thirty-three (33) entities under 35 entries "
            "to the Entity List. This rule also removes one entity from the Unverified List (UVL). "
            "Of these 33 entities, 20 will be listed under the destination of Iran.")
    counts = [(c.value, c.words, c.noun, c.verb, c.list_name) for c in stated_counts(text)]
    assert counts == [(33, True, "entities", "add", "Entity List"),
                      (35, False, "entries", "add", "Entity List"),
                      (1, True, "entity", "remove", "Unverified List")]


def test_unknown_templates_and_empty_samples_are_refused(sample_library):
    with pytest.raises(ValueError, match="unknown template"):
        generate(sample_library.store, templates=("made_up",))
    with pytest.raises(ValueError, match="at least one"):
        generate(sample_library.store, per_template=0)


def test_the_written_file_loads_as_a_gold_set_with_templates(generated, tmp_path):
    path = tmp_path / "generated.jsonl"
    write_gold(generated, path)
    gold = load_gold(path)
    assert [g.id for g in gold] == [i["id"] for i in generated]
    assert {g.template for g in gold} == {i["template"] for i in generated}
    assert all(json.loads(line)["template"] for line in path.read_text().splitlines())
