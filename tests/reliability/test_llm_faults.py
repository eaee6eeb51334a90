"""LLM faults: whatever the answer model does — not there, too slow, junk, an empty reply — the
user gets the checked extractive answer and a notice saying why, within the timeout; never a
hang or a traceback. Real HTTP servers on 127.0.0.1 (tests/reliability/helpers.FakeLLM)."""

from __future__ import annotations

import dataclasses
import os
import time

import pytest

from listlens.index.library import Library
from tests.conftest import run_cli
from tests.index.llm_fixtures import closed_port_url
from tests.reliability.helpers import FakeLLM

QUESTION = "Why were NSO Group and Candiru added to the Entity List?"
TIMEOUT_S = 2.0
MODES = ["unreachable", "slow", "garbage", "empty", "null", "no_choices", "truncated", "error500"]


@pytest.fixture(scope="module")
def extractive(sample_library):
    answer = sample_library.ask(QUESTION, backend="extractive")
    assert not answer.refused, answer.text  # else the LLM would never be asked
    return answer


@pytest.fixture
def fake(request):
    mode = request.param
    if mode == "unreachable":
        yield mode, closed_port_url()
        return
    server = FakeLLM(mode, delay=TIMEOUT_S * 5)
    yield mode, server.url
    server.close()


def openai_library(sample_library, url: str) -> Library:
    config = dataclasses.replace(sample_library.config, openai_base_url=url, openai_model="fake",
                                 llm_timeout_s=TIMEOUT_S)
    return Library(config)


@pytest.mark.parametrize("fake", MODES, indirect=True)
def test_library_ask_falls_back_to_the_checked_extractive_answer(sample_library, extractive, fake):
    mode, url = fake
    library = openai_library(sample_library, url)
    for _ in range(2):  # the second ask reuses the kept generator: still no hang, same answer
        started = time.monotonic()
        answer = library.ask(QUESTION, backend="openai")
        elapsed = time.monotonic() - started
        assert answer.text == extractive.text, mode
        assert [c.text for c in answer.citations] == [c.text for c in extractive.citations]
        assert "extractive answer instead" in answer.notice, (mode, answer.notice)
        assert answer.backend == extractive.backend
        assert elapsed < TIMEOUT_S + 60, f"{mode}: took {elapsed:.1f} s"  # bounded, not a hang
    if mode == "slow":
        assert "did not reply within" in answer.notice


@pytest.mark.parametrize("fake", ["slow"], indirect=True)  # one CLI run: each costs a cold start
def test_cli_ask_prints_the_answer_and_a_note(sample_library, extractive, fake):
    mode, url = fake
    env = {"LISTLENS_OPENAI_BASE_URL": url, "LISTLENS_OPENAI_MODEL": "fake",
           "LISTLENS_LLM_TIMEOUT_S": str(TIMEOUT_S)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = run_cli("ask", QUESTION, "--backend", "openai", "--data-dir",
                         str(sample_library.config.data_dir), timeout=300)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert extractive.text in result.stdout
    assert "note:" in result.stdout and "extractive answer instead" in result.stdout
