"""The screening benchmark on the sample corpus's list data: every kind of query is generated
and scored, beside the two baselines. No timing or accuracy bars here (the full list data and
`listlens bench --only screen` are for that)."""

from __future__ import annotations

from listlens.evals.bench import screen_rows
from listlens.evals.screen_bench import NEGATIVE_KINDS, run
from tests.conftest import SAMPLE_CORPUS


def test_the_screening_benchmark_scores_every_kind_and_both_baselines():
    got = run(str(SAMPLE_CORPUS / "lists"), per_kind=8, seed=3, baseline_sample=20)
    assert got["records"] == 35 and got["queries"] > 0
    kinds = got["per_kind"]
    for kind in ("word_order", "legal_form", "typos", "news", *NEGATIVE_KINDS):
        assert kinds[kind]["n"] > 0, kind
    assert 0 <= got["recall"] <= 1 and 0 <= got["precision"] <= 1
    assert set(got["baselines"]) == {"difflib_scan", "entity_table"}
    for baseline in got["baselines"].values():
        assert baseline["p50_ms"] <= baseline["p95_ms"]
        assert "recall" in baseline["screen_on_same_sample"]
    assert got["batch_names_per_s"] > 0 and got["single_p50_ms"] <= got["single_p95_ms"]
    rows = screen_rows(got)  # the bench table has a row per kind and one for speed
    assert any(r[0].startswith("screening: typos") for r in rows)
    assert any(r[0] == "screening speed" for r in rows)
