"""Every knob of the library in one typed object. `app/settings.py` fills it from the
environment and the command line; nothing in `index/` reads the environment itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IndexConfig:
    """Each knob is described where users set it: `app/settings.py`."""

    data_dir: Path
    """Where the embedded Chroma store, caches and model files live."""
    collection: str = "listlens"
    """Chroma collection holding the chunks; the document catalog sits beside it."""
    chroma_url: str | None = None
    """A Chroma server such as http://127.0.0.1:8000; unset = embedded store in data_dir."""
    chunk_size: int = 200
    """Tokens per chunk for prose (records and table entries are never merged)."""
    chunk_overlap: int = 30
    top_k: int = 8
    """Passages retrieved per question."""
    min_evidence_score: float = 0.34
    """Below this, the best evidence sentence is too weak and the answer is a refusal."""
    max_file_mb: float = 64.0
    backend: str = "extractive"
    """extractive | local | openai"""
    llm_model: str = "qwen2.5-1.5b"
    """Local model name or a GGUF file path."""
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_api_key: str | None = None
    llm_timeout_s: float = 60.0
    embed_batch_size: int = 16
    """Texts per encoder call. Batches of 8–16 short list records cost ~20 % less CPU than 64
    with the int8 model (BENCHMARKS.md); texts are grouped by length, so padding stays small."""
    screen_threshold: float = 0.82
    """Lowest screening score reported as a match (0–1; see index/screen.py DEFAULT_THRESHOLD)."""
    encoder: str = "onnx-int8"
    """onnx-int8 (an int8 ONNX copy of the packaged model, made once under data_dir/models; ~3×
    faster) | torch-float (the packaged model as shipped). Stored and question vectors must come
    from one encoder: re-ingest into a new collection after changing it."""
    record_tokens: int = 256
    """A list record's vector is made from its first this-many tokens (its names come first;
    256 = the model's limit, the whole record). Keyword search and the entity table read the
    whole record whatever this is."""
    model_dir: Path | None = None
    """Where the ONNX copy of the embedding model is kept; unset = data_dir/models. Point many
    data dirs at one place to export the model once."""

    @property
    def model_cache(self) -> Path:
        return self.model_dir or self.data_dir / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache" / self.collection
