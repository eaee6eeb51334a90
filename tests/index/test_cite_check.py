"""The citation check of generated answers: a sentence passes only when its numbers, dates, places
and names are its evidence's own, and the reply fills the slot the question asks. The replies are
written here as a model might write them; the check runs with the real embedding model."""

from __future__ import annotations

import pytest

from listlens.index.answer import Question
from listlens.index.cite import Evidence, facts_hold
from listlens.index.frame import parse
from listlens.index.types import Passage

RULE = ("In this rule, BIS adds seven entities to the Entity List. These seven entities, listed under "
        "the destination of Iran, supplied drone engines to the Russian military.")


@pytest.mark.parametrize("claim", [
    "The seven entities were listed under the destinations of China, Pakistan and the UAE.",
    "BIS listed the entities under China because they supplied drone engines.",
    "These seven entities, listed under the destination of Turkey, supplied drone engines.",
])
def test_a_place_the_evidence_does_not_give_is_not_supported(claim):
    assert not facts_hold(claim, RULE)


@pytest.mark.parametrize("claim, ok", [
    ("BIS added 7 entities under Iran.", True),
    ("BIS added seven entities under Iran.", True),
    ("BIS added eight entities under Iran.", False),
    ("BIS added 17 entities under Iran.", False),
])
def test_numbers_in_digits_or_words_must_be_the_evidences(claim, ok):
    assert facts_hold(claim, RULE) is ok


@pytest.mark.parametrize("claim, ok", [
    ("Kestrel Systems was added on May 14, 2031.", True),
    ("Kestrel Systems was added on May 15, 2031.", False),
    ("Talon Avionics was added on May 14, 2031.", False),
])
def test_dates_and_entity_names_must_be_the_evidences(claim, ok):
    evidence = "Kestrel Systems was added to the Entity List effective May 14, 2031."
    assert facts_hold(claim, evidence) is ok


@pytest.fixture(scope="module")
def embedder():
    from listlens.index.embed import load_embedder

    from tests.conftest import MODEL_DIR

    return load_embedder(32, model_cache=MODEL_DIR)


def _evidence(text: str, **meta) -> Evidence:
    return Evidence(Passage("n1", text, 1.0, {"kind": "text", "source": "rule.md", **meta}), 0, len(text), text)


def test_a_reply_contradicting_its_evidence_is_refused(embedder):
    from listlens.index.generate import UNSUPPORTED, check_reply

    question = Question.of(parse("Why were the seven Iran-located entities added to the Entity List?"))
    evidence = [_evidence(RULE)]
    reply = ("The seven entities were listed under the destinations of China, Pakistan and the UAE "
             "because they supplied drone engines to the Russian military.")
    answer = check_reply(question, reply, evidence, embedder, "test")
    assert answer.refused and answer.notice == UNSUPPORTED
    good = check_reply(question, "These seven entities, listed under the destination of Iran, supplied "
                                 "drone engines to the Russian military.", evidence, embedder, "test")
    assert not good.refused and good.citations[0].text == RULE


def test_a_supported_reply_that_does_not_fill_the_slot_is_refused(embedder):
    from listlens.index.generate import check_reply

    # Asked who signed the rule; the reply restates what the rule did, which is supported but
    # says nothing about a signer.
    question = Question.of(parse("Who signed the rule that added the seven entities?"))
    answer = check_reply(question, "BIS adds seven entities to the Entity List.", [_evidence(RULE)],
                         embedder, "test")
    assert answer.refused
