"""Text generation backends behind one small interface; no prompts or answer logic here.

- `LocalGenerator`: a GGUF model run in-process by xllamacpp (llama.cpp), offline.
- `OpenAIGenerator`: any OpenAI-compatible server (vLLM, Ollama, llama.cpp, a hosted API),
  through llama-index's `OpenAILike`.

Every failure a user can meet (model missing, server down, timeout, junk reply) surfaces as
`LLMUnavailable` with a message that says what to do. Heavy imports happen on first use so
that importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Protocol, runtime_checkable

from listlens.index import models
from listlens.index.errors import LLMUnavailable

Messages = list[dict]  # [{"role": "system" | "user" | "assistant", "content": str}, ...]


@runtime_checkable
class Generator(Protocol):
    """Chat generation. `generate` returns non-empty text; `stream` yields pieces of it.

    Both raise LLMUnavailable (for `stream`, possibly during iteration) instead of returning
    nothing usable. Consume or close a stream: it holds the backend until then.
    """

    name: str  # "local:qwen2.5-1.5b" / "openai:<model>"

    def generate(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0) -> str: ...

    def stream(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0) -> Iterator[str]: ...

    def check(self) -> str: ...


class LocalGenerator:
    """A GGUF model (a name from `index.models.MODELS` or a file path) run by xllamacpp.

    n_threads=None lets llama.cpp use every core: fastest on an idle machine. When other work
    shares the cores, pass 1: measured on 2 busy cores, 2 threads decoded at 1-2 tokens/s
    where 1 thread kept 20-26 (llama.cpp's threads wait on each other every token).
    """

    def __init__(self, model: str | Path = models.DEFAULT_MODEL, cache_dir: Path | str = ".",
                 n_ctx: int = 4096, n_threads: int | None = None) -> None:
        self.model = model
        self.cache_dir = Path(cache_dir)
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        label = model if isinstance(model, str) and model in models.MODELS else Path(model).name
        self.name = f"local:{label}"
        self.model_path: Path | None = None
        self.load_seconds: float | None = None
        self._server: Any = None
        self._load_lock = threading.Lock()
        # llama.cpp serves one request per slot; we run one slot and queue callers here.
        self._run_lock = threading.Lock()

    def check(self) -> str:
        self._load()
        return f"{self.name}: {self.model_path} loaded in {self.load_seconds:.1f} s"

    def close(self) -> None:
        """Free the model (it is loaded again on next use)."""
        with self._load_lock, self._run_lock:
            self._server = None

    def generate(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0) -> str:
        server = self._load()
        request = {"messages": messages, "max_tokens": max_tokens, "temperature": temperature}
        with self._run_lock:
            reply = server.handle_chat_completions(request)
        _raise_if_error(reply, self.name)
        try:
            text = reply["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise LLMUnavailable(f"{self.name} returned a reply without a message") from None
        if not text.strip():
            raise LLMUnavailable(f"{self.name} returned an empty reply")
        return text

    def stream(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0) -> Iterator[str]:
        server = self._load()
        request = {"messages": messages, "max_tokens": max_tokens, "temperature": temperature,
                   "stream": True}
        # xllamacpp streams by calling us back from inside a blocking call, so that call runs
        # in a worker thread and hands chunks over through a queue.
        chunks: queue.Queue = queue.Queue()
        stop = threading.Event()
        done = object()

        def on_chunk(chunk: dict) -> bool:
            chunks.put(chunk)
            return stop.is_set()  # True tells llama.cpp to cancel: our reader has gone

        def run() -> None:
            try:
                server.handle_chat_completions(request, on_chunk)
            except Exception as exc:  # handed to the reader, who raises it as LLMUnavailable
                chunks.put(exc)
            finally:
                chunks.put(done)

        with self._run_lock:
            worker = threading.Thread(target=run, name="listlens-local-llm", daemon=True)
            worker.start()
            produced = False
            try:
                while (item := chunks.get()) is not done:
                    if isinstance(item, Exception):
                        raise LLMUnavailable(f"{self.name} failed: {item}")
                    _raise_if_error(item, self.name)
                    for choice in item.get("choices") or []:
                        piece = (choice.get("delta") or {}).get("content")
                        if piece:
                            produced = True
                            yield piece
                if not produced:
                    raise LLMUnavailable(f"{self.name} returned an empty reply")
            finally:
                stop.set()
                worker.join()

    def _load(self) -> Any:
        with self._load_lock:
            if self._server is None:
                path = models.resolve(self.model, self.cache_dir)
                try:
                    import xllamacpp
                except ImportError:
                    raise LLMUnavailable("the local LLM needs xllamacpp: run `pip install xllamacpp`") from None
                params = xllamacpp.CommonParams()
                params.model.path = str(path)
                params.n_ctx = self.n_ctx
                params.n_parallel = 1  # more slots would split n_ctx between them
                params.verbosity = -1  # otherwise llama.cpp logs every request to stderr
                params.ui = False
                params.offline = True
                if self.n_threads:
                    params.cpuparams.n_threads = self.n_threads
                    params.cpuparams_batch.n_threads = self.n_threads
                params.endpoint_metrics = True  # see wait_until_serving below
                start = time.perf_counter()
                try:
                    # Note: xllamacpp also opens an HTTP listener on a free 127.0.0.1 port.
                    server = xllamacpp.Server(params)
                except Exception as exc:
                    raise LLMUnavailable(f"could not load the model {path}: {exc}") from exc
                wait_until_serving(server)
                self._server = server
                self.load_seconds = time.perf_counter() - start
                self.model_path = path
            return self._server


def wait_until_serving(server: Any) -> None:
    """Block until an xllamacpp.Server's task loop runs; call right after constructing it.

    The constructor returns before its loop thread enters the task loop, and the destructor
    stops that loop with a signal that is lost if the loop has not started: the destructor
    then waits forever, holding the GIL (seen on a loaded 2-core machine). A metrics request
    is answered by the loop itself, so once it returns the server can be freed safely.
    Needs `params.endpoint_metrics = True`.
    """
    server.handle_metrics()


def _raise_if_error(reply: Any, name: str) -> None:
    if not isinstance(reply, dict):
        raise LLMUnavailable(f"{name} returned something that is not a chat completion")
    error = reply.get("error")
    if error is None and "code" in reply and "message" in reply:  # xllamacpp's own failures
        error = reply
    if error is not None:
        message = error.get("message", error) if isinstance(error, dict) else error
        raise LLMUnavailable(f"{name} failed: {message}")


class OpenAIGenerator:
    """A model behind an OpenAI-compatible `/v1/chat/completions` endpoint."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout_s: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        # Local servers ignore the key, but the OpenAI client refuses to start without one.
        self.api_key = api_key or "not-needed"
        self.timeout_s = timeout_s
        self.name = f"openai:{model}"
        self._llm: Any = None
        self._lock = threading.Lock()

    def check(self) -> str:
        import openai

        client = openai.OpenAI(base_url=self.base_url, api_key=self.api_key,
                               timeout=self.timeout_s, max_retries=0)
        with self._translate_errors():
            served = [m.id for m in client.models.list()]
        listed = ", ".join(served[:5]) or "no models listed"
        return f"{self.name}: server at {self.base_url} is up ({listed})"

    def generate(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0) -> str:
        llm, chat = self._client(), _chat_messages(messages)
        with self._translate_errors():
            reply = llm.chat(chat, max_tokens=max_tokens, temperature=temperature)
        text = reply.message.content or ""
        if not text.strip():
            raise LLMUnavailable(f"the LLM server at {self.base_url} returned an empty reply")
        return text

    def stream(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0) -> Iterator[str]:
        llm, chat = self._client(), _chat_messages(messages)
        produced = False
        with self._translate_errors():
            for part in llm.stream_chat(chat, max_tokens=max_tokens, temperature=temperature):
                if part.delta:
                    produced = True
                    yield part.delta
        if not produced:
            raise LLMUnavailable(f"the LLM server at {self.base_url} returned an empty reply")

    def _client(self) -> Any:
        with self._lock:
            if self._llm is None:
                from llama_index.llms.openai_like import OpenAILike

                # No retries: a dead server should fail once, within timeout_s, not 3 times
                # with backoff.
                self._llm = OpenAILike(model=self.model, api_base=self.base_url,
                                       api_key=self.api_key, is_chat_model=True,
                                       timeout=self.timeout_s, max_retries=0)
            return self._llm

    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        import httpx
        import openai

        where = f"the LLM server at {self.base_url}"
        try:
            yield
        except openai.APITimeoutError:
            raise LLMUnavailable(f"{where} did not reply within {self.timeout_s:g} s") from None
        except openai.APIConnectionError as exc:
            raise LLMUnavailable(f"could not reach {where}: {_connection_reason(exc)}") from None
        except openai.APIStatusError as exc:
            raise LLMUnavailable(f"{where} answered HTTP {exc.status_code}: {_short(exc.message)}") from None
        except (openai.OpenAIError, httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # Junk instead of a chat completion: HTML, truncated JSON, missing fields.
            raise LLMUnavailable(f"{where} sent a reply that is not a chat completion: {_short(str(exc))}") from None


def _chat_messages(messages: Messages) -> list:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]


def _connection_reason(exc: BaseException) -> str:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return "connection refused"
        seen = seen.__cause__ or seen.__context__
    return _short(str(exc.__cause__ or exc)) or "connection failed"


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_generator(backend: str, *, model: str | Path = models.DEFAULT_MODEL,
                   cache_dir: Path | str = ".", openai_base_url: str | None = None,
                   openai_model: str | None = None, openai_api_key: str | None = None,
                   timeout_s: float = 60.0, n_threads: int | None = None) -> Generator:
    """The generator for `backend` ("local" or "openai"), built from settings the caller owns."""
    if backend == "local":
        return LocalGenerator(model, cache_dir, n_threads=n_threads)
    if backend == "openai":
        if not openai_base_url or not openai_model:
            raise LLMUnavailable("the openai backend needs a server URL and a model name")
        return OpenAIGenerator(openai_base_url, openai_model, openai_api_key, timeout_s)
    raise LLMUnavailable(f"unknown LLM backend {backend!r}: use 'local' or 'openai'")
