"""How the scorer judges answers, citations and retrieval: each rule with a case that passes and
one that must fail. The rules themselves are written out in `evals/metrics.py`."""

from __future__ import annotations

import pytest

from listlens.evals.gold import Evidence, GoldItem, same_file
from listlens.evals.metrics import aggregate, answer_correct, overlaps, percentile, score, score_item

RULE = "/corpus/rules/FR-2021-24123.xml"
NEWS = "/corpus/news/spyware.md"


def item(answer: str, kind: str = "why_listed", aliases: tuple[str, ...] = (),
         evidence: tuple[tuple[str, str], ...] = ()) -> GoldItem:
    return GoldItem("t-1", "question?", answer, kind, list(aliases),
                    [Evidence(f, q) for f, q in evidence])


def pred(answer: str, refused: bool = False, citations=(), retrieved=(), latency: float = 1.0):
    return {"id": "t-1", "question": "question?", "answer": answer, "refused": refused,
            "citations": [{"file": f, "text": t, "start": 0, "end": len(t)} for f, t in citations],
            "retrieved": [{"file": f, "text": t} for f, t in retrieved],
            "latency_s": latency, "backend": "extractive"}


# --- dates ------------------------------------------------------------------------------------

WHEN = item("November 26, 2021.", "when_listed")


@pytest.mark.parametrize("answer", [
    "The rule was published on November 26, 2021 [1].",
    "Entries carry 86 FR 67319, 11/26/21.",
    "Published 2021-11-26.",
    "It appeared on 26 November 2021.",
    "It appeared on Nov. 26, 2021.",
])
def test_a_date_matches_in_any_common_format(answer):
    assert answer_correct(WHEN, answer, refused=False)


@pytest.mark.parametrize("answer", [
    "The rule was published on November 24, 2021.",  # the announcement, not the publication
    "The rule was published in November 2021.",  # not a date: no day
    "The rule was published in the Federal Register.",
])
def test_a_different_or_missing_date_is_wrong(answer):
    assert not answer_correct(WHEN, answer, refused=False)


def test_every_date_of_a_two_date_answer_is_needed():
    both = item("Effective February 24, 2023; published February 27, 2023.", "when_listed")
    assert answer_correct(both, "It was effective 2/24/23 and published on 2/27/23.", False)
    assert not answer_correct(both, "It was published on February 27, 2023.", False)


# --- counts -----------------------------------------------------------------------------------

COUNT = item("10 entities under 13 entries.", "count", aliases=("ten entities / thirteen entries",))


@pytest.mark.parametrize("answer", [
    "The rule adds 10 entities under 13 entries [1].",
    "It adds ten entities under thirteen entries.",
    "Thirteen entries were added, covering ten entities.",
])
def test_counts_match_as_numbers_whether_written_in_digits_or_words(answer):
    assert answer_correct(COUNT, answer, refused=False)


@pytest.mark.parametrize("answer", [
    "The rule adds 10 entities under 12 entries.",  # one count off
    "The rule adds 10 entities.",  # half the answer
    "Entities were added on December 13, 2022.",  # 13 inside a date is not a count
])
def test_a_count_off_by_one_or_missing_is_wrong(answer):
    assert not answer_correct(COUNT, answer, refused=False)


def test_thousands_separators_and_number_words_normalise():
    big = item("3,409 entities.", "count")
    assert answer_correct(big, "The extraction contains 3409 entities.", False)
    assert not answer_correct(big, "The extraction contains 3,420 entities.", False)
    assert answer_correct(item("91.", "count", aliases=("ninety-one",)), "It added ninety-one entities.", False)


def test_percentages_read_as_percent():
    share = item("Over 40%.", "count", aliases=("more than 40 percent",))
    assert answer_correct(share, "over 40 percent of its transactions were illicit", False)
    assert not answer_correct(share, "about 4% of its transactions were illicit", False)


# --- aliases and paraphrase -------------------------------------------------------------------

WHY = item("Because they developed and supplied spyware to foreign governments that used it to "
           "maliciously target government officials, journalists, businesspeople, activists, "
           "academics, and embassy workers.",
           aliases=("for supplying spyware used by foreign governments to target journalists",))


def test_an_alias_contained_in_the_answer_is_right():
    assert answer_correct(WHY, "BIS said: for supplying spyware used by foreign governments to "
                               "target journalists.", False)


def test_enough_content_words_of_the_answer_is_right():
    # 60% of the canonical answer's content words, in other order and other wording around them.
    answer = ("The companies supplied spyware to foreign governments, which used it to target "
              "government officials, journalists, activists and academics.")
    assert answer_correct(WHY, answer, False)


def test_an_answer_on_the_topic_without_the_reason_is_wrong():
    assert not answer_correct(WHY, "BIS added NSO Group and Candiru, both of Israel, to the Entity "
                                   "List on November 4, 2021.", False)


def test_a_bare_yes_or_no_alias_is_not_enough_on_its_own():
    # "No" appears in almost any text; it cannot be checked without a judge, so it is skipped
    # and the answer must carry the canonical answer's content.
    yes_no = item("No; the reason is given in the preamble of the Federal Register rule.",
                  "summary_fact", aliases=("No",))
    assert not answer_correct(yes_no, "No license exception applies to these entities.", False)
    assert answer_correct(yes_no, "No: the table does not say; the reason is in the preamble of "
                                  "the Federal Register rule.", False)


def test_citation_markers_are_not_read_as_numbers():
    assert not answer_correct(item("1.", "count"), "The rule adds entities [1].", False)


# --- refusal ----------------------------------------------------------------------------------

UNANSWERABLE = item("Not answerable from the corpus.", "unanswerable")


def test_refusing_an_unanswerable_question_is_right_and_answering_it_is_a_false_answer():
    refused = score_item(UNANSWERABLE, pred("The documents don't say.", refused=True))
    answered = score_item(UNANSWERABLE, pred("NSO Group was removed on 2023-01-01.", refused=False))
    assert refused["correct"] and not refused["false_answer"]
    assert not answered["correct"] and answered["false_answer"]


def test_refusing_an_answerable_question_is_wrong_but_not_a_false_answer():
    row = score_item(WHEN, pred("The documents don't say. Closest: November 26, 2021.", refused=True))
    assert not row["correct"] and not row["false_answer"]


# --- citations --------------------------------------------------------------------------------

QUOTE = ("these entities traffic in cyber exploits used to gain access to information systems, "
         "threatening the privacy and security of individuals and organizations worldwide")
CITED = item("Trafficking in cyber exploits.", evidence=((NEWS, QUOTE),))


def test_a_citation_that_overlaps_a_gold_quote_supports_the_answer():
    # Cited sentence contains the quote's words; another document saying it counts too.
    row = score_item(CITED, pred("Trafficking in cyber exploits [1].", citations=[
        ("/elsewhere/other.md", "Specifically, these entities traffic in cyber exploits used to "
                                "gain access to information systems.")]))
    assert row["cited_supported"]
    assert row["cited_in_gold_file"] == [False]


def test_a_citation_sharing_only_a_name_does_not_support():
    assert not overlaps("Positive Technologies, located in Russia, was added.",
                        "Positive Technologies traffics in cyber exploits.")
    row = score_item(CITED, pred("Trafficking in cyber exploits [1].", citations=[
        (NEWS, "The ERC also voted to add Positive Technologies, located in Russia.")]))
    assert not row["cited_supported"]
    assert row["cited_in_gold_file"] == [True]


def test_evidence_recall_needs_the_gold_file_and_the_quote_in_the_top_k():
    retrieved = [(RULE, "unrelated preamble text about the committee")] * 4 + [(NEWS, QUOTE + ".")]
    row = score_item(CITED, pred("x", retrieved=retrieved))
    assert not row["hit@1"] and row["hit@5"] and row["hit@10"]
    wrong_file = score_item(CITED, pred("x", retrieved=[(RULE, QUOTE)]))
    assert not wrong_file["hit@1"] and not wrong_file["file_hit@1"]


def test_gold_paths_match_ingested_paths_by_their_trailing_folders():
    assert same_file("shared/corpus/raw/news/x/a.md", "/srv/data/shared/corpus/raw/news/x/a.md")
    assert not same_file("shared/corpus/raw/news/x/a.md", "/srv/data/shared/corpus/raw/news/y/a.md")


# --- aggregation ------------------------------------------------------------------------------

def test_aggregate_counts_each_metric_over_its_own_items():
    gold = [GoldItem("a", "q", "November 26, 2021.", "when_listed"),
            GoldItem("b", "q", "Not answerable.", "unanswerable"),
            GoldItem("c", "q", "Not answerable.", "unanswerable")]
    preds = [{**pred("On 2021-11-26."), "id": "a"},
             {**pred("Refused.", refused=True, latency=3.0), "id": "b"},
             {**pred("Made up.", latency=5.0), "id": "c"}]
    result = score(gold, preds)
    overall = result["overall"]
    assert overall["answer_accuracy"] == 1.0
    assert overall["refusal_accuracy"] == 0.5
    assert overall["false_answer_rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert overall["latency_p50_s"] == 3.0 and overall["latency_p95_s"] == 5.0
    assert result["by_kind"]["unanswerable"]["accuracy"] == 0.5
    assert aggregate([])["answer_accuracy"] is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0


def test_markup_in_gold_quotes_is_ignored():
    # Quotes are cut from raw XML and JSON; passages are the parsed text without the markup.
    assert overlaps("<NAME>Thea D. Rozman Kendler,</NAME>",
                    "Thea D. Rozman Kendler, Assistant Secretary for Export Administration.")
    assert overlaps('"count": 3409,', "The extraction lists 3409 entities.")
    assert not overlaps('"count": 3409,', "The extraction lists 13409 entities.")
