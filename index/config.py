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
    embed_batch_size: int = 64

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache" / self.collection
