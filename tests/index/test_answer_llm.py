"""LLM-written answers go through the same checks as extractive ones, and a broken LLM never
costs the user an answer: they get the extractive one and a notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_config
from tests.index.llm_fixtures import (  # noqa: F401  (fixtures are used by name)
    closed_port_url, llama_server_url, model_cache, silent_server, small_model_path, unfounded_server)

from listlens.index.generate import UNSUPPORTED

QUESTION = "Under which executive order was SUEX designated?"


def _library_over_sample(sample_library, **settings):
    from listlens.index.library import Library

    return Library(make_config(sample_library.config.data_dir, **settings))


def _assert_checked(answer) -> None:
    """Every kept sentence carries citations, and every citation quotes its document exactly."""
    from listlens.ingest.readers import read_path

    for sentence in answer.sentences:
        assert sentence.citations, f"uncited sentence kept: {sentence.text}"
    for c in answer.citations:
        text = next(d.text for d in read_path(Path(c.file)) if d.source == c.file)
        assert text[c.start:c.end] == c.text


def test_local_model_answer_is_checked_and_cited(sample_library, small_model_path):
    library = _library_over_sample(sample_library, backend="local", llm_model=str(small_model_path))
    streamed: list[str] = []
    answer = library.ask(QUESTION, on_token=streamed.append)
    # A tiny model's reply may not survive the check; then the quoted answer stands in.
    assert answer.backend.startswith("local:") or UNSUPPORTED in answer.notice
    assert streamed, "tokens are streamed as the model writes them"
    _assert_checked(answer)
    if not answer.refused:
        assert "13694" in answer.text


def test_openai_compatible_server_answer_is_checked_and_cited(sample_library, llama_server_url):
    library = _library_over_sample(sample_library, backend="openai", openai_base_url=llama_server_url,
                                   openai_model="qwen")
    answer = library.ask(QUESTION)
    assert answer.backend == "openai:qwen" or UNSUPPORTED in answer.notice
    assert answer.notice == "" or "unsupported" in answer.notice or UNSUPPORTED in answer.notice
    _assert_checked(answer)


def test_unreachable_llm_server_falls_back_to_the_extractive_answer(sample_library):
    library = _library_over_sample(sample_library, backend="openai",
                                   openai_base_url=closed_port_url(), openai_model="any")
    answer = library.ask(QUESTION)
    assert answer.backend == "extractive" and "13694" in answer.text
    assert "127.0.0.1" in answer.notice and "extractive" in answer.notice


def test_a_silent_llm_server_times_out_into_the_extractive_answer(sample_library, silent_server):
    library = _library_over_sample(sample_library, backend="openai", openai_base_url=silent_server,
                                   openai_model="any", llm_timeout_s=2.0)
    answer = library.ask(QUESTION)
    assert answer.backend == "extractive" and not answer.refused
    assert answer.notice and answer.latency_s < 30


def test_openai_backend_without_a_url_says_what_is_missing(sample_library):
    answer = _library_over_sample(sample_library, backend="openai").ask(QUESTION)
    assert "server URL" in answer.notice and not answer.refused


def test_a_reply_no_passage_supports_gives_way_to_the_quoted_answer(sample_library, unfounded_server):
    library = _library_over_sample(sample_library, backend="openai", openai_base_url=unfounded_server,
                                   openai_model="m")
    answer = library.ask(QUESTION)
    assert "cheese" not in answer.text
    assert answer.backend == "extractive" and "13694" in answer.text
    assert answer.notice.startswith(UNSUPPORTED)
    _assert_checked(answer)
