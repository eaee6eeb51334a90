"""Answers written by an LLM, then checked like any other answer.

The model gets the question and the best evidence sentences (chosen exactly as the extractive
composer chooses them). Its reply is split into sentences; each is aligned to the evidence that
supports it (`index/cite.py`), unsupported sentences are dropped, and a reply with no supported
sentence becomes a refusal. If the model cannot be reached or replies with nothing usable, the
user gets the extractive answer and a notice saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from listlens.index.answer import Question, compose_extractive, refusal, scored_evidence
from listlens.index.cite import align
from listlens.index.errors import LLMUnavailable
from listlens.index.prompts import NOT_FOUND, answer_messages
from listlens.index.text import sentence_spans
from listlens.index.types import Answer, AnswerSentence, Citation, Passage

MAX_EVIDENCE = 8
UNSUPPORTED = "The model's answer was not supported by the passages."
_BRACKETS = re.compile(r"\s*\[\d+(?:\s*[,-]\s*\d+)*\]")


def compose_with_llm(question_text: str, passages: list[Passage], embedder, generator,
                     min_score: float, on_token: Callable[[str], None] | None = None,
                     names: tuple[str, ...] = ()) -> Answer:
    question = Question.parse(question_text, names)
    evidence = scored_evidence(question, passages, embedder)
    if not evidence:
        return refusal(question, [], "Nothing in the library matches the question.")
    ranked = sorted(evidence, key=lambda e: e.score, reverse=True)
    if ranked[0].score < min_score * 0.8:
        # Nothing close enough to bother the model with.
        return refusal(question, ranked, "No passage answers it closely enough.")
    chosen = ranked[:MAX_EVIDENCE]
    try:
        if on_token is None:
            reply = generator.generate(answer_messages(question.text, [e.text for e in chosen]))
        else:
            pieces = []
            for piece in generator.stream(answer_messages(question.text, [e.text for e in chosen])):
                pieces.append(piece)
                on_token(piece)
            reply = "".join(pieces)
    except LLMUnavailable as exc:
        answer = compose_extractive(question_text, passages, embedder, min_score, names)
        answer.notice = f"{exc} — showing the extractive answer instead."
        return answer
    answer = check_reply(question, reply, chosen, embedder, generator.name)
    if answer.refused and answer.notice == UNSUPPORTED:
        # Nothing the model wrote could be checked against the passages; quoting them can.
        quoted = compose_extractive(question_text, passages, embedder, min_score, names)
        quoted.notice = UNSUPPORTED + " Showing the extractive answer instead."
        return quoted
    return answer


def check_reply(question: Question, reply: str, evidence, embedder, backend: str) -> Answer:
    """Keep the reply's sentences that the evidence supports, each with its citations."""
    reply = reply.strip()
    if not reply or NOT_FOUND.lower() in reply.lower():
        answer = refusal(question, evidence, "")
        answer.text = answer.text.replace("  ", " ").strip()
        answer.backend = backend
        return answer
    claims = [c for c in (_BRACKETS.sub("", reply[s:e]).strip() for s, e in sentence_spans(reply))
              if len(c) > 3]
    vecs = embedder.compare(claims + [e.text for e in evidence])
    support = align(claims, evidence, vecs[:len(claims)], vecs[len(claims):])
    citations: list[Citation] = []
    by_evidence: dict[int, int] = {}
    sentences: list[AnswerSentence] = []
    for claim, supporters in zip(claims, support):
        if not supporters:
            continue  # unsupported: dropped, never shown as if it were sourced
        numbers = []
        for j in supporters:
            if j not in by_evidence:
                ev = evidence[j]
                m = ev.passage.metadata
                by_evidence[j] = len(citations) + 1
                citations.append(Citation(
                    n=by_evidence[j], file=ev.passage.source, title=str(m.get("title", "")),
                    published=m.get("published") or None, start=ev.start, end=ev.end,
                    text=ev.text, doc_type=str(m.get("doc_type", "")),
                    publisher=str(m.get("publisher", "")), fr_citation=str(m.get("fr_citation", "")),
                    score=round(ev.score, 4)))
            numbers.append(by_evidence[j])
        sentences.append(AnswerSentence(claim, numbers))
    if not sentences:
        answer = refusal(question, evidence, UNSUPPORTED)
        answer.backend = backend
        answer.notice = UNSUPPORTED
        return answer
    text = " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in sentences)
    dropped = len(claims) - len(sentences)
    notice = f"{dropped} unsupported sentence(s) removed." if dropped else ""
    return Answer(question.text, text, False, citations, sentences, [], backend, notice=notice)
