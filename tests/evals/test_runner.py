"""How `--compare` specs become library settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from listlens.index.errors import InvalidInput

from listlens.evals.runner import eval_config, parse_specs
from listlens.index.config import IndexConfig


def test_the_baseline_keeps_its_extractive_composer_when_listlens_runs_an_llm():
    base = IndexConfig(data_dir=Path("/tmp/x"), backend="local")
    listlens, naive = (eval_config(base, Path("corpus"), s) for s in parse_specs("listlens,naive", base))
    assert (listlens.backend, naive.backend) == ("local", "extractive")
    assert listlens.collection == naive.collection  # the baseline adds its own suffix later


def test_settings_a_run_may_not_change_are_refused():
    with pytest.raises(InvalidInput, match="not a setting"):
        parse_specs("listlens:collection=other", IndexConfig(data_dir=Path("/tmp/x")))
    with pytest.raises(InvalidInput, match="unknown configuration"):
        parse_specs("fancy", IndexConfig(data_dir=Path("/tmp/x")))


def test_an_eval_reads_the_users_library_when_it_holds_exactly_the_corpus(tmp_path):
    """No second index of the same documents: the run answers from the user's library, and
    only while that library holds the corpus' documents, each with today's parse, and no other."""
    import json as _json

    from listlens.evals.runner import library_matches, run_eval
    from listlens.index.library import Library
    from tests.conftest import REPO, SAMPLE_CORPUS, make_config
    from tests.index.test_caches import write_list

    config = make_config(tmp_path / "data")
    library = Library(config)
    assert library.ingest([SAMPLE_CORPUS]).ok
    documents = len(library.documents())
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join((REPO / "app" / "sample_gold.jsonl").read_text().splitlines(True)[:2]))
    said: list[str] = []
    metrics = run_eval(gold, SAMPLE_CORPUS, tmp_path / "out", config, "listlens", log=said.append)
    ingest = metrics["results"]["listlens"]["ingest"]
    assert ingest["nodes"] == 0 and ingest["documents_unchanged"] == documents
    assert any("evaluating against it" in line for line in said)
    assert ingest["read_library"] == config.collection
    preds = [_json.loads(line) for line in (tmp_path / "out" / "predictions.jsonl").read_text().splitlines()]
    assert len(preds) == 2 and all(p["retrieved"] for p in preds)
    assert library_matches(library, SAMPLE_CORPUS, config) == documents

    # One document more than the corpus, or another chunking: not the same library.
    write_list(tmp_path / "extra.json", ["Driftwood Signals Company"], "Utopia")
    library.ingest([tmp_path / "extra.json"])
    assert library_matches(library, SAMPLE_CORPUS, config) == 0
    import dataclasses

    library.remove(str(tmp_path / "extra.json"))
    assert library_matches(library, SAMPLE_CORPUS, config) == documents
    assert library_matches(library, SAMPLE_CORPUS, dataclasses.replace(config, chunk_size=150)) == 0
