"""Fixtures for the LLM backend tests: real packaged models, real servers on 127.0.0.1.

Imported by test modules (not a conftest.py, so it cannot clash with other folders' fixtures).
Model-needing fixtures skip with the pip command to run when the packages are missing.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from listlens.index import models
from listlens.index.errors import LLMUnavailable
from listlens.index.llm import wait_until_serving

TEST_MODEL = "qwen2.5-0.5b"  # small enough for CI, real enough to follow a chat template
N_CTX = 1024


def _require(model_name: str) -> None:
    spec = models.MODELS[model_name]
    try:
        if isinstance(spec, models.PartedModel):
            models.find_parts(model_name, spec)
        else:
            models.assemble(model_name, Path("."))
    except LLMUnavailable as exc:
        pytest.skip(f"model packages not installed: {exc}")


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def small_model_path(model_cache) -> Path:
    """The 0.5B GGUF file, joined from its packages into a temporary cache."""
    pytest.importorskip("xllamacpp", reason="xllamacpp is not installed (pip install xllamacpp)")
    _require(TEST_MODEL)
    return models.assemble(TEST_MODEL, model_cache)


@pytest.fixture(scope="session")
def local_generator(small_model_path, model_cache):
    from listlens.index.llm import LocalGenerator

    # One thread: immune to other processes on the cores (see LocalGenerator's docstring).
    gen = LocalGenerator(TEST_MODEL, model_cache, n_ctx=N_CTX, n_threads=1)
    gen.check()
    yield gen
    gen.close()


@pytest.fixture(scope="session")
def llama_server_url(small_model_path) -> str:
    """A real OpenAI-compatible server (xllamacpp.Server) on 127.0.0.1; yields its /v1 URL."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(small_model_path)
    params.n_ctx = N_CTX
    params.n_parallel = 1
    params.verbosity = -1
    params.ui = False
    params.endpoint_metrics = True
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 1
    server = xllamacpp.Server(params)
    wait_until_serving(server)  # else deleting it can hang forever (see index.llm)
    base = server.listening_address
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"xllamacpp server at {base} not healthy after 60 s")
        time.sleep(0.2)
    yield f"{base}/v1"
    del server  # the destructor stops the listener and frees the model


def closed_port_url() -> str:
    """A 127.0.0.1 URL on which nothing listens (bind a free port, then release it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class FakeServer:
    """A tiny TCP server on 127.0.0.1 that accepts connections and either says nothing or
    sends a fixed reply; for the failure modes a real server is hard to provoke into."""

    def __init__(self, reply: bytes | None) -> None:
        self.reply = reply
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/v1"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self._conns.append(conn)  # kept open: a silent server must not hang up either
            if self.reply is not None:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(self.reply)
                except OSError:
                    pass
                conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._conns:
            conn.close()
        self._sock.close()


@pytest.fixture
def silent_server():
    server = FakeServer(reply=None)
    yield server.url
    server.close()


@pytest.fixture
def garbage_server():
    body = b"<html><body>this is not an API</body></html>"
    reply = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    server = FakeServer(reply=reply)
    yield server.url
    server.close()


@pytest.fixture
def unfounded_server():
    """An OpenAI-compatible reply that is well formed and says something no passage supports."""
    import json

    body = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                       "choices": [{"index": 0, "finish_reason": "stop", "message": {
                           "role": "assistant",
                           "content": "The moon is made of green cheese according to Treasury."}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
    reply = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    server = FakeServer(reply=reply)
    yield server.url
    server.close()
