"""The embedding model: one float model for what is stored and searched, and an int8 copy for
comparing sentences with one another at answer time."""

from __future__ import annotations

import numpy as np

SENTENCES = [
    "Why were NSO Group and Candiru added to the Entity List?",
    "The ERC determined that NSO Group and Candiru developed and supplied spyware to foreign "
    "governments that used it to target journalists and activists.",
    "Entity List (EL) - Bureau of Industry and Security: 3409 entries, extracted July 9, 2026.",
    "The rule takes effect on November 4, 2021.",
]


def test_compare_vectors_are_unit_length_and_close_to_the_float_models():
    from listlens.index.embed import load_embedder

    embedder = load_embedder()
    exact, quick = embedder.encode(SENTENCES), embedder.compare(SENTENCES)
    assert quick.shape == exact.shape and quick.dtype == np.float32
    assert np.allclose(np.linalg.norm(quick, axis=1), 1.0, atol=1e-4)
    assert np.min(np.sum(exact * quick, axis=1)) > 0.9


def test_compare_ranks_evidence_as_the_float_model_does():
    from listlens.index.embed import load_embedder

    embedder = load_embedder()
    for vectors in (embedder.encode(SENTENCES), embedder.compare(SENTENCES)):
        sims = vectors[1:] @ vectors[0]
        assert int(np.argmax(sims)) == 0  # the sentence about NSO Group and Candiru's listing
