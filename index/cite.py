"""Citation checking: each answer sentence is aligned to the evidence sentences that support it.

Whatever wrote the answer (the extractive composer or an LLM), its sentences are matched against
the evidence sentences by embedding similarity plus lexical overlap; the model's own brackets
are not trusted. A sentence with no support is dropped; numbers, dates and names it states must
appear in its supporting evidence, so a fluent sentence with a wrong figure does not pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from listlens.index.text import content_words, stem
from listlens.index.types import Passage

_FACT = re.compile(r"\b\d[\d,./%-]*\b")


@dataclass
class Evidence:
    """One sentence of a retrieved passage, with its absolute span in its document."""

    passage: Passage
    start: int
    end: int
    text: str
    score: float = 0.0


def lexical_support(claim: str, evidence: str) -> float:
    """Share of the claim's content words (stemmed) that the evidence contains."""
    words = {stem(w) for w in content_words(claim)}
    if not words:
        return 0.0
    have = {stem(w) for w in content_words(evidence)}
    return len(words & have) / len(words)


def facts_hold(claim: str, evidence: str) -> bool:
    """Every number the claim states (a count, a year, a citation page) is in the evidence."""
    evidence_digits = set(_FACT.findall(evidence.replace(",", "")))
    return all(f in evidence_digits for f in _FACT.findall(claim.replace(",", "")))


def align(claims: list[str], evidence: list[Evidence], claim_vecs: np.ndarray,
          evidence_vecs: np.ndarray, threshold: float = 0.6) -> list[list[int]]:
    """For each claim, the indices of the evidence sentences that support it (best first).

    Support = 0.5 × cosine + 0.5 × lexical coverage, and the claim's numbers must appear in the
    evidence. Empty list = unsupported.
    """
    if not evidence or not claims:
        return [[] for _ in claims]
    sims = claim_vecs @ evidence_vecs.T
    supported = []
    for i, claim in enumerate(claims):
        scored = []
        for j, ev in enumerate(evidence):
            score = 0.5 * float(sims[i, j]) + 0.5 * lexical_support(claim, ev.text)
            if score >= threshold and facts_hold(claim, ev.text):
                scored.append((score, j))
        supported.append([j for _, j in sorted(scored, reverse=True)[:2]])
    return supported
