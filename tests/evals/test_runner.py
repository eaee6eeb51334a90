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
