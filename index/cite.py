"""Citation checking: each answer sentence is aligned to the evidence sentences that support it.

Whatever wrote the answer (the extractive composer or an LLM), its sentences are matched against
the evidence sentences by embedding similarity plus lexical overlap; the model's own brackets
are not trusted. A sentence with no support is dropped; numbers, dates and names it states must
appear in its supporting evidence, so a fluent sentence with a wrong figure does not pass:
every number (in digits or words), date, place name and entity name of the sentence must be the
evidence's own. Shared words and similar meaning are not support: "the seven entities were
listed under China and Pakistan" is not supported by a sentence placing them under Iran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from listlens.index.text import content_words, stem
from listlens.index.types import Passage
from listlens.ingest.dates import find_dates
from listlens.ingest.vocab import find_numbers

_FACT = re.compile(r"\b\d[\d,./%-]*\b")  # citations, section numbers, decimals: as written


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


def facts_hold(claim: str, evidence: str, context: str = "") -> bool:
    """Every number (digits or words), date, place and name the claim states is the evidence's
    own. Numbers and dates must be in the evidence sentence itself; a name may also be in
    `context` (the record or entity the sentence belongs to: its name and aliases)."""
    from listlens.index.entities import normalize
    from listlens.index.frame import _COUNTRY_NAMES, _NOT_NAME_WORDS, _countries, name_runs

    evidence_digits = set(_FACT.findall(evidence.replace(",", "")))
    if not all(f in evidence_digits for f in _FACT.findall(claim.replace(",", "")) if not f.isdigit()):
        return False  # a citation, a section number, a decimal: as the evidence writes it
    date_free = evidence
    for _, iso in find_dates(evidence):
        date_free += f" {int(iso[:4])} {int(iso[5:7])} {int(iso[8:])}"
    values = {n.value for n in find_numbers(date_free)}
    if not all(n.value in values for n in find_numbers(claim)):
        return False
    if not {iso for _, iso in find_dates(claim)} <= {iso for _, iso in find_dates(evidence)}:
        return False
    around = f" {normalize(evidence + ' ' + context)} "
    if not all(f" {c} " in around for c in _countries(claim)):
        return False
    for run in name_runs(claim):
        words = [w for w in normalize(run).split() if w not in _NOT_NAME_WORDS
                 and w not in _COUNTRY_NAMES and len(w) > 2]
        if words and not all(f" {w} " in around for w in words):
            return False
    return True


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
            context = " ".join(str(ev.passage.metadata.get(k, "")) for k in ("entity", "aliases"))
            if score >= threshold and facts_hold(claim, ev.text, context):
                scored.append((score, j))
        supported.append([j for _, j in sorted(scored, reverse=True)[:2]])
    return supported
