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

from listlens.index import cover
from listlens.index.answer import Question, compose_extractive, refusal, scored_evidence
from listlens.index.cite import Evidence, align
from listlens.index.frame import Frame
from listlens.index.errors import LLMUnavailable
from listlens.index.prompts import NOT_FOUND, answer_messages
from listlens.index.text import sentence_spans
from listlens.index.types import Answer, AnswerSentence, Citation, Passage

MAX_EVIDENCE = 8
UNSUPPORTED = "The model's answer was not supported by the passages."
_BRACKETS = re.compile(r"\s*\[\d+(?:\s*[,-]\s*\d+)*\]")


def compose_with_llm(frame: Frame, passages: list[Passage], embedder, generator,
                     min_score: float, on_token: Callable[[str], None] | None = None,
                     lists_searched: tuple[str, ...] = ()) -> Answer:
    """The model's answer to the frame, kept only where the evidence supports each sentence and
    some kept sentence fills the slot asked; otherwise the extractive answer (or refusal)."""
    question = Question.of(frame)
    evidence = scored_evidence(question, passages, embedder)

    def extractive() -> Answer:
        return compose_extractive(frame, passages, embedder, min_score, lists_searched)

    ranked = sorted(evidence, key=lambda e: e.score, reverse=True)
    if not ranked or ranked[0].score < min_score * 0.8 or not any(cover.covers(frame, e) for e in ranked):
        # Nothing close enough, or nothing that fills the slot asked: the extractive composer
        # says what the documents do hold.
        return extractive()
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
        answer = extractive()
        answer.notice = f"{exc} — showing the extractive answer instead."
        return answer
    answer = check_reply(question, reply, chosen, embedder, generator.name)
    if answer.refused and answer.notice == UNSUPPORTED:
        # Nothing the model wrote could be checked against the passages; quoting them can.
        quoted = extractive()
        quoted.notice = UNSUPPORTED + " Showing the extractive answer instead."
        return quoted
    return answer


def check_reply(question: Question, reply: str, evidence, embedder, backend: str) -> Answer:
    """Keep the reply's sentences that the evidence supports, each with its citations. The
    reply must also answer the frame: some kept sentence fills the slot asked, from evidence
    about the focus; else it counts as unsupported."""
    frame = question.frame
    reply = reply.strip()
    if not reply or NOT_FOUND.lower() in reply.lower():
        answer = refusal(frame, evidence, "")
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
    slot = cover.primary(frame.asks)
    fills_slot = slot is None
    for claim, supporters in zip(claims, support):
        if not supporters:
            continue  # unsupported: dropped, never shown as if it were sourced
        first = evidence[supporters[0]]
        as_claim = Evidence(first.passage, first.start, first.end, claim)
        fills_slot = fills_slot or any(cover.covers(frame, evidence[j]) for j in supporters) \
            and cover.fills(frame, slot, as_claim, strict=False)
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
    if not sentences or not fills_slot:
        answer = refusal(frame, evidence, UNSUPPORTED)
        answer.backend = backend
        answer.notice = UNSUPPORTED
        return answer
    text = " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in sentences)
    dropped = len(claims) - len(sentences)
    notice = f"{dropped} unsupported sentence(s) removed." if dropped else ""
    return Answer(frame.text, text, False, citations, sentences, [], backend, notice=notice)
