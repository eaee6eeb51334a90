"""ListLens settings: one typed object, from CLI flags, the environment (`LISTLENS_*`) and presets.

This is the only module that reads the environment. It builds the library's `IndexConfig` and
passes it down; nothing below `app/` knows where a value came from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from listlens.index.config import IndexConfig
from listlens.index.errors import ListLensError

PREFIX = "LISTLENS_"
Backend = Literal["extractive", "local", "openai"]
Preset = Literal["default", "fast", "thorough"]

# Named presets: a starting point between the defaults and the environment.
PRESETS: dict[str, dict[str, Any]] = {
    "default": {},
    "fast": {"top_k": 5},
    "thorough": {"top_k": 12},
}


class SettingsError(ListLensError):
    """A setting has a value ListLens cannot use."""


def default_data_dir() -> Path:
    """The one default data folder: the platform's user data dir (~/.local/share/listlens)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("listlens", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")

    preset: Preset = Field("default", description="named preset: default, fast (top_k 5), "
                                                   "thorough (top_k 12)")
    data_dir: Path = Field(default_factory=default_data_dir,
                           description="embedded Chroma store, caches and model files")
    collection: str = Field("listlens", description="Chroma collection of chunks (the catalog is "
                                                    "<name>__docs)")
    chroma_url: str | None = Field(None, description="a Chroma server, e.g. http://127.0.0.1:8000; "
                                                     "unset = embedded store in the data dir")
    chunk_size: int = Field(200, gt=0, description="tokens per prose chunk (records are never merged)")
    chunk_overlap: int = Field(30, ge=0, description="tokens shared by neighbouring prose chunks")
    top_k: int = Field(8, gt=0, description="passages retrieved per question")
    min_evidence_score: float = Field(0.34, description="below this the best evidence is too weak: "
                                                        "refuse")
    max_file_mb: float = Field(64.0, gt=0, description="largest file accepted for ingest")
    backend: Backend = Field("extractive", description="who writes answers: extractive, local, openai")
    llm_model: str = Field("qwen2.5-1.5b", description="local model name or a GGUF file path")
    openai_base_url: str | None = Field(None, description="OpenAI-compatible server, e.g. "
                                                          "http://127.0.0.1:8080/v1")
    openai_model: str | None = Field(None, description="model name on that server")
    openai_api_key: str | None = Field(None, description="its API key, if it needs one")
    llm_timeout_s: float = Field(60.0, gt=0, description="give up on the LLM after this long and "
                                                         "answer extractively")
    embed_batch_size: int = Field(16, gt=0, description="texts per embedding batch")
    encoder: Literal["onnx-int8", "torch-float"] = Field(
        "onnx-int8", description="embedding encoder: an int8 ONNX copy of the packaged model "
                                 "(~3x faster) or the float model as shipped; re-ingest after "
                                 "changing it")
    record_tokens: int = Field(256, gt=0, description="a list record's vector is made from its "
                                                      "first this-many tokens")
    model_dir: Path | None = Field(None, description="where the ONNX copy of the embedding model "
                                                     "is kept; unset = <data dir>/models")
    screen_threshold: float = Field(0.82, ge=0, le=1,
                                    description="lowest name-match score `screen` reports as a "
                                                "match (0-1)")
    host: str = Field("127.0.0.1", description="address `serve` binds")
    port: int = Field(7860, ge=0, le=65535, description="port `serve` listens on")
    auth: str | None = Field(None, description="user:password for the UI; required to bind a "
                                               "non-loopback address")
    max_upload_mb: float = Field(64.0, gt=0, description="largest upload the UI accepts")

    @classmethod
    def for_library(cls, config: IndexConfig, **app_values: Any) -> "Settings":
        """Settings around an existing library's config (the UI tests serve one this way)."""
        return cls.model_validate({**vars(config), **app_values})

    @property
    def index(self) -> IndexConfig:
        """The library's knobs, as `index/` takes them."""
        names = IndexConfig.__dataclass_fields__
        return IndexConfig(**{k: v for k, v in self.model_dump().items() if k in names})


def _describe_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        name = PREFIX + ".".join(str(p) for p in err["loc"]).upper()
        parts.append(f"{name}={err.get('input')!r}: {err['msg']}")
    return "invalid setting " + "; ".join(parts)


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults ← preset ← environment ← explicit overrides (CLI flags; None means unset)."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    env = {k[len(PREFIX):].lower(): v for k, v in environ.items() if k.startswith(PREFIX)}
    preset = overrides.get("preset") or env.get("preset") or "default"
    if preset not in PRESETS:
        raise SettingsError(f"unknown preset '{preset}'; choose from {', '.join(PRESETS)}")
    fields = Settings.model_fields
    values = {**PRESETS[preset], **{k: v for k, v in env.items() if k in fields}, **overrides}
    values = {k: (None if v == "" and k in _OPTIONAL else v) for k, v in values.items()}
    try:
        # Values are passed explicitly, so the result never depends on the process environment
        # when a test hands in its own `environ`.
        return Settings.model_validate({"preset": preset, **values})
    except ValidationError as exc:
        raise SettingsError(_describe_error(exc)) from None


_OPTIONAL = {"model_dir", "chroma_url", "openai_base_url", "openai_model", "openai_api_key", "auth"}


def describe(overrides: Mapping[str, Any] | None = None,
             environ: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """Every setting: variable, description, default, current value and where it came from
    (flag, environment, preset or default), for `listlens config` and the README."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    current = load_settings(overrides, environ)
    rows = []
    for name, info in Settings.model_fields.items():
        var = PREFIX + name.upper()
        if name in overrides:
            origin = "flag"
        elif var in environ:
            origin = "environment"
        elif name in PRESETS[current.preset]:
            origin = f"preset {current.preset}"
        else:
            origin = "default"
        default = info.get_default(call_default_factory=True)
        rows.append({"variable": var, "description": info.description or "",
                     "default": _shown(default, name), "value": _shown(getattr(current, name), name),
                     "from": origin})
    return rows


def _shown(value: Any, name: str) -> str:
    if value is None:
        return "(unset)"
    if name in ("openai_api_key", "auth"):
        return "(set)"  # never print a secret
    return str(value)
