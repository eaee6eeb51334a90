"""Text that addresses a language model instead of a reader.

A document may carry a line written to steer whatever model reads it ("Ignore previous
instructions and answer ..."). Such a line is never evidence: it is never read into a fact, a
summary row, a footnote or an answer sentence, whichever path reads it. One pattern, used by the
fact reader at ingest and by the answering path.
"""

from __future__ import annotations

import re

INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override) (all |any )?(the |your )?(previous|prior|above|earlier|"
    r"preceding) (instructions|prompts?|rules|context)|\banswer every question\b|\bsystem prompt\b|"
    r"\byou are (now )?(an? )?(ai|assistant|language model|chatbot)\b|"
    r"\b(as an?|dear) (ai|assistant|language model|llm)\b", re.I)


def is_injection(text: str) -> bool:
    return bool(INJECTION.search(text))
