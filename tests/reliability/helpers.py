"""Real processes for the reliability suite: a `chroma run` server that can be stopped and
restarted on the same port and path, fake-but-real LLM HTTP servers, `listlens serve`.

Everything listens on 127.0.0.1 only. `LISTLENS_RELIABILITY_FULL=1` turns on the full counts
(more crash seeds, the shared corpus, 50 concurrent questions); see RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import REPO, free_port, wait_port

FULL = os.environ.get("LISTLENS_RELIABILITY_FULL") == "1"




class ChromaProcess:
    """`chroma run` on a fixed port and path: stop() kills it, start() brings it back there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        assert self.exe, "the `chroma` command is not installed (it comes with chromadb)"

    def start(self) -> None:
        self.proc = subprocess.Popen([self.exe, "run", "--path", str(self.path), "--host",
                                      "127.0.0.1", "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.proc, timeout=60)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # an outage, not a shutdown
            self.proc.wait(timeout=30)
        self.proc = None


# --- fake LLM servers ----------------------------------------------------------------------


def completion(content: str | None) -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}]}).encode()


class FakeLLM:
    """A real HTTP server on 127.0.0.1 that answers every POST in one bad way:

    - "garbage": 200 with an HTML page
    - "empty": a well-formed chat completion whose content is ""
    - "null": a chat completion whose content is null
    - "no_choices": 200 JSON without choices
    - "truncated": 200 with half a JSON object
    - "error500": HTTP 500
    - "slow": sleeps `delay` seconds before replying (longer than the client's timeout)
    """

    def __init__(self, mode: str, delay: float = 30.0) -> None:
        self.mode, self.delay, self.requests = mode, delay, 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _reply(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._reply(200, json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode())

            def do_POST(self):
                fake.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                mode = fake.mode
                try:
                    if mode == "slow":
                        time.sleep(fake.delay)
                        self._reply(200, completion("Too late."))
                    elif mode == "garbage":
                        self._reply(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
                    elif mode == "empty":
                        self._reply(200, completion(""))
                    elif mode == "null":
                        self._reply(200, completion(None))
                    elif mode == "no_choices":
                        self._reply(200, b'{"id": "x", "object": "chat.completion"}')
                    elif mode == "truncated":
                        self._reply(200, completion("The answer is")[:40])
                    elif mode == "error500":
                        self._reply(500, b'{"error": {"message": "model crashed"}}')
                    else:
                        raise AssertionError(mode)
                except OSError:
                    pass  # the client gave up (timeout): nothing to do

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- listlens serve ------------------------------------------------------------------------


class ServeProcess:
    """`listlens serve --sample` in a subprocess over its own data directory."""

    def __init__(self, data_dir: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "TQDM_DISABLE": "1"}
        self.log = open(data_dir.parent / f"serve-{self.port}.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "listlens.app.cli", "serve", "--sample",
                                      "--host", "127.0.0.1", "--port", str(self.port),
                                      "--data-dir", str(data_dir), *extra],
                                     cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_port(self.port, self.proc, timeout=300)
        except Exception:
            self.close()
            raise

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
