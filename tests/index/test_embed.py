"""The embedding model: the float model as the package ships it, the int8 ONNX copy made from it
once and kept with a checksum, and the comparison vectors answers use."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from tests.conftest import MODEL_DIR

SENTENCES = [
    "Why were NSO Group and Candiru added to the Entity List?",
    "The ERC determined that NSO Group and Candiru developed and supplied spyware to foreign "
    "governments that used it to target journalists and activists.",
    "Entity List (EL) - Bureau of Industry and Security: 3409 entries, extracted July 9, 2026.",
    "The rule takes effect on November 4, 2021.",
]


def _embedder(encoder: str):
    from listlens.index.embed import load_embedder

    return load_embedder(64, encoder, MODEL_DIR)


@pytest.mark.parametrize("encoder", ["onnx-int8", "torch-float"])
def test_compare_vectors_are_unit_length_and_close_to_the_stored_ones(encoder):
    embedder = _embedder(encoder)
    exact, quick = embedder.encode(SENTENCES), embedder.compare(SENTENCES)
    assert quick.shape == exact.shape and quick.dtype == np.float32
    assert np.allclose(np.linalg.norm(quick, axis=1), 1.0, atol=1e-4)
    assert np.min(np.sum(exact * quick, axis=1)) > 0.9


@pytest.mark.parametrize("encoder", ["onnx-int8", "torch-float"])
def test_compare_ranks_evidence_as_the_float_model_does(encoder):
    embedder = _embedder(encoder)
    for vectors in (embedder.encode(SENTENCES), embedder.compare(SENTENCES)):
        sims = vectors[1:] @ vectors[0]
        assert int(np.argmax(sims)) == 0  # the sentence about NSO Group and Candiru's listing


def test_the_onnx_copy_encodes_as_the_float_model_does():
    texts = SENTENCES + ["Joint Stock Company Example Aviation Plant (a.k.a. JSC EAP) of Utopia "
                         "is on the Entity List (EL) under 99 FR 12345", "Utopia", "x " * 400]
    onnx, exact = _embedder("onnx-int8").encode(texts), _embedder("torch-float").encode(texts)
    cosines = np.sum(onnx * exact, axis=1)
    assert onnx.shape == exact.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-4)
    assert cosines.min() > 0.95 and np.median(cosines) > 0.98, cosines


def test_a_bulk_encode_of_repeated_texts_matches_encoding_each_once():
    embedder = _embedder("onnx-int8")
    texts = [SENTENCES[i % 3] for i in range(600)]  # > the cache's call size: the bulk path
    bulk = embedder.encode(texts)
    once = embedder.encode(SENTENCES[:3])
    assert bulk.shape == (600, 384)
    assert np.array_equal(bulk[:3], bulk[3:6]) and np.array_equal(bulk[:3], bulk[597:])
    # int8 activations are scaled per batch, so a text's vector moves a little with the batch
    # it is encoded in; it stays the same vector.
    assert np.min(np.sum(bulk[:3] * once, axis=1)) > 0.99


def test_the_onnx_copy_is_reused_while_its_checksum_holds_and_remade_when_not(tmp_path):
    from listlens.index.onnx_model import FILE_NAME, OnnxEncoder, cached_model, package_model_dir

    _embedder("onnx-int8")  # the session's copy exists
    cache = tmp_path / "models"
    shutil.copytree(MODEL_DIR, cache)
    path = cached_model(cache)
    made_at = path.stat().st_mtime_ns
    assert cached_model(cache) == path and path.stat().st_mtime_ns == made_at  # not made again

    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # a copy cut short (disk full, killed mid-write)
    assert cached_model(cache) == path
    assert path.read_bytes() != good[: len(good) // 2]
    stamp = json.loads((cache / (FILE_NAME + ".json")).read_text())
    import hashlib

    assert stamp["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    vectors = OnnxEncoder(path, package_model_dir(), threads=1).encode(SENTENCES)
    assert np.min(np.sum(vectors * _embedder("onnx-int8").encode(SENTENCES), axis=1)) > 0.99

    (cache / (FILE_NAME + ".json")).unlink()  # no checksum: not trusted, made again
    before = path.stat().st_mtime_ns
    cached_model(cache)
    assert path.stat().st_mtime_ns != before and (cache / (FILE_NAME + ".json")).exists()


def test_an_unknown_encoder_is_a_clear_error():
    from listlens.index.embed import load_embedder
    from listlens.index.errors import ListLensError

    with pytest.raises(ListLensError, match="unknown encoder"):
        load_embedder(64, "fp16-gpu", MODEL_DIR)


def _distinct_records(n: int) -> list[str]:
    return [f"Example Trading Company No. {i} (a.k.a. ETC-{i}) of Utopia is on the Entity List "
            f"(EL) under 99 FR {10000 + i}" for i in range(n)]


def test_a_bulk_encode_runs_in_worker_processes_and_keeps_each_texts_vector(tmp_path):
    """An ingest's batches go to worker processes; each row is still its own text's vector."""
    from listlens.index.embed import POOL_MIN_TEXTS, Embedder, OnnxBackend
    from listlens.index.onnx_model import OnnxEncoder, cached_model, package_model_dir

    path = cached_model(MODEL_DIR)
    backend = OnnxBackend(OnnxEncoder(path, package_model_dir(), 1), path, package_model_dir(), 2)
    embedder = Embedder(backend, batch_size=16)
    texts = _distinct_records(POOL_MIN_TEXTS + 9)
    try:
        pending = embedder.encode_later(texts)
        workers = [w.process for w in backend._pool.workers]
        assert len(workers) == 2 and all(p.poll() is None for p in workers)  # running
        pooled = pending()
    finally:
        embedder.close_workers()
    assert all(p.poll() is not None for p in workers)  # stopped at the ingest's end
    here = backend.encoder.encode(texts, batch_size=16)
    cosines = np.sum(pooled * here, axis=1)
    # int8 activations are scaled per batch, and a worker's batches hold other texts
    assert pooled.shape == (len(texts), 384) and cosines.min() > 0.98
    # each row is nearest to its own text's vector, not to a neighbour's
    assert np.array_equal(np.argmax(pooled @ here.T, axis=1), np.arange(len(texts)))


def test_a_worker_that_dies_costs_nothing_the_encode_is_done_here(caplog):
    from listlens.index.embed import POOL_MIN_TEXTS, Embedder, OnnxBackend
    from listlens.index.onnx_model import OnnxEncoder, cached_model, package_model_dir

    path = cached_model(MODEL_DIR)
    backend = OnnxBackend(OnnxEncoder(path, package_model_dir(), 1), path, package_model_dir(), 2)
    embedder = Embedder(backend, batch_size=16)
    texts = _distinct_records(POOL_MIN_TEXTS)
    try:
        embedder.encode_later(texts[::-1])()  # starts the workers
        backend._pool.workers[1].process.kill()
        backend._pool.workers[1].process.wait()
        vectors = embedder.encode_later(texts)()
    finally:
        embedder.close_workers()
    assert "encoding in this process" in caplog.text and "exit code" in caplog.text
    here = backend.encoder.encode(texts, batch_size=16)
    assert np.min(np.sum(vectors * here, axis=1)) > 0.98


def test_a_script_without_a_main_guard_ingests_once(tmp_path):
    """Workers are started as `python -m`, so a caller's script is never run again inside them
    (as multiprocessing's spawn would)."""
    import subprocess
    import sys

    script = tmp_path / "plain_script.py"
    script.write_text(
        "from pathlib import Path\n"
        "from listlens.index.embed import load_embedder\n"
        f"embedder = load_embedder(16, 'onnx-int8', Path({str(MODEL_DIR)!r}))\n"
        "texts = [f'Example Holding {i} of Utopia' for i in range(700)]\n"
        "print('script ran', flush=True)\n"
        "vectors = embedder.encode_later(texts)()\n"
        "embedder.close_workers()\n"
        "print('encoded', vectors.shape, flush=True)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("script ran") == 1 and "encoded (700, 384)" in done.stdout
