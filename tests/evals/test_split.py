"""The tune/check split: fixed, disjoint, complete, stratified by kind; and how it is reported."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from listlens.evals.floors import check_floors
from listlens.evals.gold import GoldItem, load_gold
from listlens.evals.metrics import score
from listlens.evals.report import split_findings, split_section
from listlens.evals.split import CHECK, SEED, TUNE, assign_splits, split_ids
from tests.conftest import REPO, SHARED_CORPUS

KINDS = ["why_listed", "count", "unanswerable"]


def pairs(n: int) -> list[tuple[str, str]]:
    return [(f"q-{i:03d}", KINDS[i % len(KINDS)]) for i in range(n)]


def test_the_split_is_deterministic_disjoint_and_covers_every_item():
    items = pairs(45)
    first, again = split_ids(items), split_ids(list(reversed(items)))
    assert first == again  # order of the file does not matter, only ids and kinds
    assert set(first) == {i for i, _ in items}
    assert set(first.values()) == {TUNE, CHECK}
    tune = {i for i, s in first.items() if s == TUNE}
    check = {i for i, s in first.items() if s == CHECK}
    assert not tune & check and len(tune) + len(check) == 45


def test_each_kind_is_halved_with_the_tune_half_rounded_up():
    halves = split_ids(pairs(44))
    kinds = dict(pairs(44))
    per_kind = Counter((kinds[i], s) for i, s in halves.items())
    for kind in KINDS:
        total = per_kind[(kind, TUNE)] + per_kind[(kind, CHECK)]
        assert per_kind[(kind, TUNE)] == (total + 1) // 2


def test_another_seed_gives_another_split_and_the_default_seed_is_fixed():
    items = pairs(40)
    assert split_ids(items) == split_ids(items, SEED)
    assert split_ids(items) != split_ids(items, SEED + 1)


def test_adding_a_kind_does_not_reshuffle_the_others():
    base = pairs(30)
    more = base + [(f"new-{i}", "brand_new_kind") for i in range(6)]
    old, new = split_ids(base), split_ids(more)
    assert all(new[i] == s for i, s in old.items())


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="more than once"):
        split_ids([("a", "count"), ("a", "count")])


def test_an_item_naming_its_split_keeps_it():
    items = [GoldItem("a", "q", "x", "count", split=CHECK), GoldItem("b", "q", "x", "count"),
             GoldItem("c", "q", "x", "count")]
    halves = assign_splits(items)
    assert halves["a"] == CHECK and set(halves) == {"a", "b", "c"}
    with pytest.raises(ValueError, match="unknown split"):
        assign_splits([GoldItem("a", "q", "x", "count", split="train")])


@pytest.mark.skipif(not (SHARED_CORPUS / "gold_dev.jsonl").exists(),
                    reason="the shared corpus is not next to the repo")
def test_the_dev_set_halves_every_kind_rounding_up_to_the_tune_half():
    gold = load_gold(SHARED_CORPUS / "gold_dev.jsonl")
    halves = assign_splits(gold)
    per_kind = Counter(g.kind for g in gold)
    assert sum(v == TUNE for v in halves.values()) == sum((n + 1) // 2 for n in per_kind.values())
    for kind in {g.kind for g in gold}:
        assert {halves[g.id] for g in gold if g.kind == kind} == {TUNE, CHECK}


def _prediction(item: GoldItem, answer: str, refused: bool = False) -> dict:
    return {"id": item.id, "question": item.question, "answer": answer, "refused": refused,
            "citations": [], "retrieved": [], "latency_s": 0.1, "backend": "extractive"}


def test_scores_are_given_per_half_with_their_gap_and_a_large_gap_is_a_finding():
    gold = [GoldItem(f"d-{i}", "When?", "2021-11-04", "when_listed") for i in range(8)]
    halves = assign_splits(gold)
    # Right on every tune item, wrong on every check item: a gap of 1.0.
    preds = [_prediction(g, "On November 4, 2021." if halves[g.id] == TUNE else "In 2019.")
             for g in gold]
    result = score(gold, preds)
    assert result["by_split"][TUNE]["answer_accuracy"] == 1.0
    assert result["by_split"][CHECK]["answer_accuracy"] == 0.0
    assert result["split_gap"]["answer_accuracy"] == 1.0
    assert {r["split"] for r in result["items"]} == {TUNE, CHECK}
    assert split_findings(result) and "answer_accuracy" in split_findings(result)[0]
    text = "\n".join(split_section({"listlens": result}, ["listlens"]))
    assert "## Tune and check halves" in text and "**Finding (`listlens`):**" in text


def test_floors_can_judge_the_check_half_only():
    gold = [GoldItem(f"d-{i}", "When?", "2021-11-04", "when_listed") for i in range(8)]
    halves = assign_splits(gold)
    preds = [_prediction(g, "On November 4, 2021." if halves[g.id] == CHECK else "In 2019.")
             for g in gold]
    metrics = {"results": {"listlens": score(gold, preds)}}
    floors = {"configs": {"listlens": {"min": {"answer_accuracy": 0.9}}}}
    assert check_floors(metrics, floors)  # overall 0.5 breaches
    assert check_floors(metrics, {**floors, "scope": CHECK}) == []


def test_the_recorded_dev_floors_judge_the_check_half():
    floors = json.loads((REPO / "evals" / "floors.json").read_text())
    assert floors["dev"]["scope"] == CHECK
