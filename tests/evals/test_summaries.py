"""Summary gold: loading, and the metrics on hand-made summaries (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listlens.evals.split import CHECK, TUNE, split_ids
from listlens.evals.summaries import (ExpectedRow, SummaryGoldItem, load_summary_gold,
                                      match_rows, score_summaries, score_summary_item)
from tests.conftest import REPO

EXPECTED = [ExpectedRow("Poly Asia Pacific Ltd.", ["added"], "Entity List", "China",
                        "nuclear activities", ["PAPL"]),
            ExpectedRow("Corad Technology Japan K.K.", ["added"], "Entity List", "Japan",
                        "sales of technology"),
            ExpectedRow("Corad Technology Pte Ltd.", ["added"], "Entity List", "Singapore"),
            ExpectedRow("Moscow Institute of Physics and Technology", ["added"],
                        "Military End-User List", "Russia")]


def row(entity, action="added", list_name="Entity List (EL)", countries=(), reason="",
        citations=(), aliases=()):
    return {"entity": entity, "aliases": list(aliases), "countries": list(countries),
            "list_name": list_name, "action": action, "reason": reason,
            "citations": list(citations)}


def summary(headline, rows, citations=()):
    return {"headline": headline, "rows": rows,
            "citations": [{"n": n, "text": t} for n, t in citations]}


def item(rows=EXPECTED, counts=({"n": 4},), **kw):
    return SummaryGoldItem("s-1", "news_table", doc="x.md", rows=list(rows) if rows is not None
                           else None, counts=list(counts), **kw)


def test_names_match_across_case_punctuation_legal_forms_and_aliases():
    produced = [row("POLY ASIA PACIFIC LIMITED"), row("corad technology japan kk"),
                row("Moscow Inst. of Physics & Technology"), row("Corad Technology Pte. Ltd")]
    pairs = match_rows(EXPECTED, produced)
    assert pairs == [(0, 0), (1, 1), (2, 3), (3, 2)]  # "Inst." is a misspelling away
    assert match_rows(EXPECTED[:1], [row("PAPL")]) == [(0, 0)]


def test_similar_names_of_different_entities_are_not_matched():
    # The Corad companies differ by a word: each may match only itself.
    produced = [row("Corad Technology (Shenzhen) Ltd."), row("Moscow Aviation Institute")]
    assert match_rows(EXPECTED, produced) == []


def test_a_perfect_summary_scores_one_everywhere():
    produced = [row("Poly Asia Pacific Ltd.", countries=["China"], reason="contributions to nuclear activities"),
                row("Corad Technology Japan K.K.", countries=["Japan"], citations=[1]),
                row("Corad Technology Pte Ltd.", countries=["Singapore"]),
                row("Moscow Institute of Physics and Technology", list_name="Military End User (MEU) List",
                    countries=["Russia"])]
    got = score_summary_item(item(), summary("Four entities added to the Entity List and the MEU List",
                                             produced, [(1, "for sales of technology to Iran")]))
    assert got["matched"] == got["expected_rows"] == got["produced_rows"] == 4
    assert got["actions_ok"] == got["lists_ok"] == got["countries_ok"] == 4
    assert got["reasons_judged"] == got["reasons_ok"] == 2  # one from the row, one from its citation
    assert got["counts_ok"] == 1 and not got["missed"] and not got["spurious"]


def test_wrong_rows_actions_lists_reasons_and_counts_are_each_counted():
    produced = [row("Poly Asia Pacific Ltd.", action="removed", reason="| **Poly** | China |"),
                row("Raimondo"), row("Procuring"),
                row("Corad Technology Japan K.K.", list_name="SDN List (OFAC)", countries=["China"])]
    got = score_summary_item(item(counts=[{"n": 28}, {"n": 27}]),
                             summary("4 entities added to the Entity List", produced))
    assert got["matched"] == 2 and got["produced_rows"] == 4 and got["expected_rows"] == 4
    assert got["actions_ok"] == 1 and got["lists_ok"] == 1 and got["countries_ok"] == 0
    assert got["reasons_ok"] == 0 and got["reasons_judged"] == 2
    assert sorted(got["spurious"]) == ["Procuring", "Raimondo"]
    assert got["counts_ok"] == 0 and got["counts_expected"] == 2


def test_counts_in_words_agree_with_digits():
    got = score_summary_item(item(rows=None, counts=[{"n": 28}, {"n": 27}, {"n": 1}]),
                             summary("Twenty-eight entities: twenty-seven added to the Entity List, "
                                     "one to the MEU List", []))
    assert got["counts_ok"] == 3 and "expected_rows" not in got  # rows not judged


def test_pooled_metrics_and_halves():
    gold = [item(), SummaryGoldItem("s-2", "fr_abstract", doc="y.md", counts=[{"n": 7}], split=CHECK)]
    gold[0].split = TUNE
    preds = [{"id": "s-1", "summary": summary("4 entities", [row("Corad Technology Pte Ltd."), row("Raimondo")])},
             {"id": "s-2", "summary": None, "error": "no document matches"}]
    result = score_summaries(gold, preds)
    overall = result["overall"]
    assert overall["row_precision"] == 0.5 and overall["row_recall"] == 0.25
    assert overall["action_accuracy"] == 1.0 and overall["count_agreement"] == 0.5
    assert overall["spurious_rows"] == 1
    assert result["by_split"][TUNE]["count_agreement"] == 1.0
    assert result["by_split"][CHECK]["count_agreement"] == 0.0
    assert result["split_gap"]["count_agreement"] == 1.0
    assert result["items"][1]["error"] == "no document matches"


def test_loading_checks_the_format(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x"}) + "\n")
    with pytest.raises(ValueError, match="doc or a since"):
        load_summary_gold(bad)
    bad.write_text(json.dumps({"id": "x", "doc": "a.md", "rows": [{"action": "added"}]}) + "\n")
    with pytest.raises(ValueError, match="subject"):
        load_summary_gold(bad)
    bad.write_text(json.dumps({"id": "x", "doc": "a.md", "counts": [{"n": "7"}]}) + "\n")
    with pytest.raises(ValueError, match="integer"):
        load_summary_gold(bad)


@pytest.mark.parametrize("path", ["evals/summary_gold.jsonl", "app/sample_summary_gold.jsonl"])
def test_the_project_summary_gold_sets_load_and_their_split_is_the_seeded_one(path):
    gold = load_summary_gold(REPO / path, REPO / "app" / "sample_corpus")
    assert len(gold) >= 4
    assert split_ids([(g.id, g.kind) for g in gold]) == {g.id: g.split for g in gold}
    for g in gold:
        for r in g.rows or []:
            # Reason quotes are a few words, never a copied passage.
            assert len(r.reason_quote.split()) <= 8, (g.id, r.subject)
    if path.startswith("app/"):
        assert all(Path(g.doc).exists() for g in gold)
