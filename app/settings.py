"""ListLens settings: one typed object, from the environment (`LISTLENS_*`) and CLI flags.

Every field of `IndexConfig` (the library's knobs) is settable as `LISTLENS_<FIELD>`; the app
adds where the UI listens. This is the only module that reads the environment.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from listlens.index.config import IndexConfig

PREFIX = "LISTLENS_"

# Named presets: a starting point that individual settings then override.
PRESETS: dict[str, dict[str, Any]] = {
    "default": {},
    "fast": {"top_k": 5},
    "thorough": {"top_k": 12},
}


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("listlens", appauthor=False))


@dataclass(frozen=True)
class Settings:
    index: IndexConfig = field(default_factory=IndexConfig)
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = None  # "user:password" for the web UI
    max_upload_mb: float = 64.0


_APP_FIELDS = {"host": str, "port": int, "auth": str, "max_upload_mb": float}


def _coerce(kind: Any, raw: str) -> Any:
    text = str(kind)
    if raw == "" and "None" in text:
        return None
    if "Path" in text:
        return Path(raw).expanduser()
    if "float" in text:
        return float(raw)
    if "int" in text:
        return int(raw)
    if "bool" in text:
        return raw.lower() in ("1", "true", "yes", "on")
    return raw


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults ← preset ← environment ← explicit overrides (CLI flags; None means unset)."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    preset = overrides.pop("preset", None) or environ.get(PREFIX + "PRESET", "default")
    if preset not in PRESETS:
        raise ValueError(f"unknown preset '{preset}'; choose from {', '.join(PRESETS)}")
    index_types = get_type_hints(IndexConfig)
    values: dict[str, Any] = {"data_dir": default_data_dir(), **PRESETS[preset]}
    app_values: dict[str, Any] = {}
    for name, kind in [*index_types.items(), *_APP_FIELDS.items()]:
        target = app_values if name in _APP_FIELDS else values
        raw = environ.get(PREFIX + name.upper())
        if raw is not None:
            try:
                target[name] = _coerce(kind, raw)
            except ValueError as exc:
                raise ValueError(f"{PREFIX}{name.upper()}={raw!r} is not a valid {kind}") from exc
        if name in overrides:
            value = overrides[name]
            target[name] = _coerce(kind, value) if isinstance(value, str) else value
    return Settings(index=IndexConfig(**values), **app_values)


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for `listlens config` and the README."""
    docs = _field_docs()
    rows = [(PREFIX + "PRESET", "default", f"one of: {', '.join(PRESETS)}")]
    for f in dataclasses.fields(IndexConfig):
        default = f.default if f.default is not dataclasses.MISSING else "(platform data dir)"
        rows.append((PREFIX + f.name.upper(), str(default), docs.get(f.name, "")))
    for f in dataclasses.fields(Settings):
        if f.name != "index":
            rows.append((PREFIX + f.name.upper(), str(f.default), ""))
    return rows


def _field_docs() -> dict[str, str]:
    """The docstrings written under each IndexConfig field."""
    import ast
    import inspect

    import listlens.index.config as module

    tree = ast.parse(inspect.getsource(module))
    docs, last = {}, None
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "IndexConfig":
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    last = stmt.target.id
                elif (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                      and last):
                    docs[last] = str(stmt.value.value)
                    last = None
    return docs
