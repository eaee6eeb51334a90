"""Shared fixtures: the real embedding model, real Chroma (embedded and a `chroma run` server)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# One ONNX copy of the embedding model for the whole session, made on first use: every library
# and every `listlens` subprocess (which inherits the variable) shares it.
os.environ.setdefault("LISTLENS_MODEL_DIR", tempfile.mkdtemp(prefix="listlens-test-models-"))
MODEL_DIR = Path(os.environ["LISTLENS_MODEL_DIR"])

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "app" / "sample_corpus"
SHARED_CORPUS = (REPO / ".." / "shared" / "corpus").resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 120) -> None:
    """Return once something listens on 127.0.0.1:`port`; fail early if `proc` exits first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"process exited with {proc.returncode} before listening")
            time.sleep(0.3)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f} s")


def make_config(data_dir: Path, **kwargs):
    from listlens.index.config import IndexConfig

    return IndexConfig(data_dir=data_dir, **{"model_dir": MODEL_DIR, **kwargs})


@pytest.fixture
def library(tmp_path):
    """An empty library in an embedded store of its own."""
    from listlens.index.library import Library

    return Library(make_config(tmp_path / "data"))


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory):
    """The bundled sample corpus, ingested once for the whole session (read-only use)."""
    from listlens.index.library import Library

    lib = Library(make_config(tmp_path_factory.mktemp("sample") / "data"))
    report = lib.ingest([SAMPLE_CORPUS])
    assert report.ok, report.failures
    return lib


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on 127.0.0.1; yields its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command is not installed (it comes with chromadb)")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_port(port, proc, timeout=60)
    except (RuntimeError, TimeoutError) as exc:
        proc.kill()
        pytest.fail(f"chroma run did not start: {exc}")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def run_cli(*args: str, cwd: Path = REPO, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the real `listlens` command in a subprocess."""
    return subprocess.run([sys.executable, "-m", "listlens.app.cli", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=timeout)
