"""Answering from evidence: pick the sentences that answer the question, or refuse.

The extractive composer needs no model beyond the embedding one. It scores every sentence of
the retrieved passages against the question's frame (meaning, shared rare words, whether the
sentence holds the kind of thing asked for, whether it is about the focus), then accepts an
answer only when a sentence fills the asked slot for the focus and the event asked
(`index/cover.py`). Otherwise it refuses, saying what the documents do hold about the focus.
Each part of a two-part question is answered or refused on its own. LLM backends start from the
same scored evidence (see `index/generate.py`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from listlens.index import cover
from listlens.index.cite import Evidence
from listlens.index.entities import normalize
from listlens.index.frame import Frame, parse
from listlens.ingest.safety import INJECTION as _INJECTION
from listlens.index.text import FR_DOC_NUMBER, content_words, sentence_spans, stem
from listlens.index.types import Answer, AnswerSentence, Citation, Passage
from listlens.ingest.dates import find_dates, long_date
from listlens.ingest.vocab import REASON_CUES, find_numbers

REFUSAL = "The documents don't say."

# The legal standard every Entity List addition cites; it says what kind of reason, not what
# was done.
_STANDARD = re.compile(r"\b(contrary|counter) to (the )?(U\.S\.|United States|US|American)?\s?"
                       r"(national security|foreign policy)", re.I)
# Sentences that speak of the one before: plural pointers ("These additions are based on ...")
# and "The two companies"; a singular "It" usually turns to something else.
_ANAPHORA = re.compile(r"(These|Those|They|This|It|Such|Both|The (two|three|four|five) (companies|entities|firms))\b")
_POINTS_BACK = re.compile(r"(These|Those|They|Such|Both|The (two|three|four|five) (companies|entities|firms))\b")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|for|on|the)\s+)?[A-Z][a-z]+)+")
_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")  # a body named in full, then by its acronym
_URL = re.compile(r"\(?https?://\S+|\bwww\.\S+|\b[\w.-]+\.(com|org|gov|net|media)/\S*")
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|this week|on (monday|tuesday|wednesday|thursday|friday))\b", re.I)
# A figure for "crews like A, B, C and others" is a total over a list; a name in it is one item.
_ENUMERATION = re.compile(r"\b(?:like|including|includes|such as|among them|e\.g\.,?)\s+((?:[\w.’'-]+\s?){1,4}"
                          r"(?:,\s*(?:[\w.’'-]+\s?){1,4}){1,}(?:,?\s*(?:and|or)\s+(?:[\w.’'-]+\s?){1,4})?)")
# Filing stamps and printing codes: lines of a Federal Register document that state nothing
# beyond its document number.
_STAMP = re.compile(r"^\[?FR Doc\.? [\d-]+ Filed\b|^BILLING CODE\b", re.I)
# Slots whose values a pattern can check (a count, a date, a citation): a sentence from the
# focus that holds one needs less closeness in meaning than a reason or a name does.
_CHECKABLE = frozenset({"count", "amount", "date", "fr_citation", "document_number", "rin", "docket",
                        "policy", "signer", "aliases", "authority", "country", "address"})
# Events a listing document is about by default; any other must be named by the evidence.
_LISTING_EVENTS = (None, "added", "designated")


@dataclass
class Question:
    """A frame plus the question's words, as the scorer uses them."""

    frame: Frame
    words: list[str]

    @classmethod
    def of(cls, frame: Frame) -> "Question":
        return cls(frame, content_words(frame.text))

    @classmethod
    def parse(cls, text: str) -> "Question":
        """A question read without an entity table (names as written only)."""
        return cls.of(parse(text))

    @property
    def text(self) -> str:
        return self.frame.text


def _informative(sentence: str, stamps: bool = False) -> bool:
    """A sentence worth quoting: some words beyond links and labels, no injected orders, and
    no filing stamp unless `stamps` (the stamp is where a rule states its document number)."""
    words = content_words(_URL.sub(" ", sentence))
    return (len(words) >= 4 and not _INJECTION.search(sentence)
            and (stamps or not _STAMP.match(sentence)))


def evidence_sentences(passages: list[Passage], limit: int = 160, stamps: bool = False) -> list[Evidence]:
    """The sentences of the passages with their spans in the source documents.

    Records and table entries stay whole: they are one statement about one entity.
    """
    out: list[Evidence] = []
    for p in passages:
        if p.metadata.get("kind") in ("record", "table_entry"):
            out.append(Evidence(p, p.start, p.end, p.text))
            continue
        for s, e in sentence_spans(p.text):
            if _informative(p.text[s:e], stamps):
                out.append(Evidence(p, p.start + s, p.start + e, p.text[s:e]))
        if len(out) >= limit:
            break
    return out[:limit]


def shortlist(question: Question, evidence: list[Evidence], limit: int = 40) -> list[Evidence]:
    """The sentences worth embedding: those sharing the most question words, in passage order
    among equals. Embedding is the cost of an answer; most sentences share nothing."""
    if len(evidence) <= limit:
        return evidence
    q = {stem(w) for w in question.words}
    overlap = [len(q & words) for words in sentence_stems(evidence)]
    keep = sorted(range(len(evidence)), key=lambda i: (-overlap[i], i))[:limit]
    return [evidence[i] for i in sorted(keep)]


def _stems(text: str) -> set[str]:
    """Word stems, plus the initials of each run of capitalised words: a question about an
    agency by its acronym shares a word with a sentence naming it in full."""
    initials = {"".join(w[0] for w in m[0].split() if w[0].isupper()).lower()
                for m in _CAPITALISED_RUN.finditer(text)}
    return {stem(w) for w in content_words(text)} | {a for a in initials if len(a) >= 3}


def sentence_stems(evidence: list[Evidence]) -> list[set[str]]:
    """Each sentence's word stems; a sentence opening with "These"/"They" also gets those of
    the sentence before it, which it speaks of."""
    stems = [_stems(ev.text) for ev in evidence]
    for i in range(1, len(evidence)):
        if (_POINTS_BACK.match(evidence[i].text)
                and evidence[i - 1].passage.node_id == evidence[i].passage.node_id):
            stems[i] = stems[i] | stems[i - 1]
    return stems


def holds_answer_type(frame: Frame, ev: Evidence) -> float:
    """The share of the slots asked for that the sentence fills; 1.0 when nothing in particular
    is asked."""
    if not frame.asks:
        return 1.0
    return sum(cover.fills(frame, slot, ev) for slot in frame.asks) / len(frame.asks)


def score_evidence(question: Question, evidence: list[Evidence], q_vec: np.ndarray,
                   ev_vecs: np.ndarray) -> None:
    """Set each evidence sentence's score: meaning + rare shared words + answer type.

    A question word found in the sentence counts fully; found only around it (its passage, the
    document title, the entities the document lists) it counts half: a rule's effective date
    answers a question about an entity when it sits in the rule that lists that entity.
    """
    frame = question.frame
    own = sentence_stems(evidence)
    passages = {ev.passage.node_id: ev.passage for ev in evidence}  # each passage once
    around = {node_id: _stems(" ".join(str(x) for x in (
        p.text, p.metadata.get("title", ""), p.metadata.get("doc_entities", ""))))
        for node_id, p in passages.items()}
    df = Counter(w for d in own for w in d)
    n = len(own)
    q_stems = {stem(w) for w in question.words}
    weights = {w: math.log(1 + n / (1 + df[w])) for w in q_stems}
    total = sum(weights.values()) or 1.0
    sims = ev_vecs @ q_vec
    ranks = {}
    for ev in evidence:
        ranks.setdefault(ev.passage.node_id, len(ranks))
    for ev, have, sim in zip(evidence, own, sims):
        context = around[ev.passage.node_id]
        lexical = sum(w * (1.0 if s in have else 0.5 if s in context else 0.0)
                      for s, w in weights.items()) / total
        score = 0.55 * float(sim) + 0.45 * lexical
        score *= 0.6 + 0.4 * holds_answer_type(frame, ev)
        if (frame.focus or frame.names) and not cover.about_focus(frame, ev):
            score *= 0.6  # about some other entity or rule than the one asked about
        if frame.phrases and not cover.names_in(frame.phrases, cover.context_text(ev)):
            score *= 0.8  # outside the section the question names
        if frame.stated and {n.value for n in find_numbers(ev.text)} & set(frame.stated):
            score *= 1.25  # states the count the question gives of what it is about
        score -= 0.01 * ranks[ev.passage.node_id]  # retrieval order breaks near-ties
        ev.score = score


def cite(evidence: list[Evidence], first_n: int = 1) -> list[Citation]:
    citations = []
    for i, ev in enumerate(evidence, start=first_n):
        m = ev.passage.metadata
        citations.append(Citation(
            n=i, file=ev.passage.source, title=str(m.get("title", "")),
            published=m.get("published") or None, start=ev.start, end=ev.end, text=ev.text,
            doc_type=str(m.get("doc_type", "")), publisher=str(m.get("publisher", "")),
            fr_citation=str(m.get("fr_citation", "")), score=round(ev.score, 4)))
    return citations


def refusal(frame: Frame, evidence: list[Evidence], reason: str) -> Answer:
    """Say the documents don't hold the answer, and show the closest evidence."""
    closest = sorted(evidence, key=lambda e: e.score, reverse=True)[:2]
    text = REFUSAL + (" " + reason if reason else "")
    if closest:
        text += " The closest passages are cited below."
    return Answer(frame.text, text, True, cite(closest), [], [], "extractive")


def _what_it_is(ev: Evidence) -> str:
    """What a piece of evidence about the focus is, for a refusal: "its title and publication
    date", "its Entity List record"."""
    m = ev.passage.metadata
    kind = m.get("kind")
    if kind in ("record", "table_entry"):
        return f"its record on the {m.get('list_name') or 'list'}"
    if m.get("fr_doc"):
        return "its title and publication date" if m.get("published") else "its title"
    return "what is cited"


def refusal_with_known(frame: Frame, evidence: list[Evidence], lists_searched: tuple[str, ...] = ()) -> Answer:
    """A refusal that says what is missing and what the documents do hold about the focus:
    "The documents don't say who signed FR Doc. X; they give its title and publication date [1]."
    A name the lists do not hold, and no document mentions, is said to be not found."""
    if frame.names and not frame.focus and not any(cover.about_focus(frame, e) for e in evidence):
        searched = f" (searched: {', '.join(lists_searched)})" if lists_searched else ""
        text = (f"The documents don't say: “{frame.names[0]}” is not found on the lists in the "
                f"library{searched}, and no document in the library mentions it.")
        return Answer(frame.text, text, True, [], [], [], "extractive")
    about = sorted((e for e in evidence if (frame.focus or frame.names) and cover.about_focus(frame, e)),
                   key=lambda e: e.score, reverse=True)[:1]
    if not about:
        return refusal(frame, evidence, f"Nothing in them says {cover.missing(frame)}.")
    citations = cite(about)
    text = f"The documents don't say {cover.missing(frame)}; they give {_what_it_is(about[0])} [1]."
    sentence = AnswerSentence(text.removesuffix(" [1]."), [1])
    return Answer(frame.text, text, True, citations, [sentence], [], "extractive")


def select(evidence: list[Evidence], max_sentences: int = 3) -> list[Evidence]:
    """The best sentence, plus others nearly as good that add something new."""
    ranked = sorted(evidence, key=lambda e: e.score, reverse=True)
    chosen: list[Evidence] = []
    for ev in ranked:
        if len(chosen) >= max_sentences or ev.score < ranked[0].score * 0.85:
            break
        if any(_near_duplicate(ev.text, c.text) for c in chosen):
            continue
        chosen.append(ev)
    return chosen


def _with_following(frame: Frame, chosen: list[Evidence], evidence: list[Evidence]) -> list[Evidence]:
    """Rules name the entities in one sentence and give the reason in the next ("These
    additions are based on ..."), and prose goes on about the same subject in the next sentence
    (a pronoun, or the acronym the best sentence defined): add the sentence that follows the
    best one in its passage when it explains what the best one only names, or carries its
    subject on."""
    top = chosen[0]
    following = [e for e in evidence if e.passage.node_id == top.passage.node_id and e.start > top.start]
    if not following:
        return chosen
    nxt = min(following, key=lambda e: e.start)
    explains = ("reason" in frame.asks and REASON_CUES.search(nxt.text)
                and not REASON_CUES.search(top.text))
    defined = {f"{m[1]} " for m in _ACRONYM.finditer(top.text)}
    continues = _ANAPHORA.match(nxt.text) or any(
        nxt.text.startswith(a) or nxt.text.startswith("The " + a) for a in defined)
    if (explains or continues) and nxt not in chosen:
        return [top, nxt, *chosen[1:]]
    return chosen


def _with_conduct(chosen: list[Evidence], evidence: list[Evidence]) -> list[Evidence]:
    """When the best reason is only the legal standard ("activities contrary to U.S. national
    security"), add the best sentence that says what was done, if one comes close."""
    top = chosen[0]
    if not _STANDARD.search(top.text) or len(chosen) > 1 and not _STANDARD.search(chosen[1].text):
        return chosen
    conduct = [e for e in evidence if e not in chosen and e.score >= 0.5 * top.score
               and REASON_CUES.search(e.text) and not _STANDARD.search(e.text)
               and not any(_near_duplicate(e.text, c.text) for c in chosen)]
    if not conduct:
        return chosen
    return [top, max(conduct, key=lambda e: e.score), *chosen[1:]][:3]


def _only_combined(frame: Frame, top: Evidence) -> str | None:
    """The name a question asks about specifically when the figure the best sentence gives
    covers a list that name is only one item of; None otherwise."""
    if not (frame.specific and {"count", "amount"} & set(frame.asks)):
        return None
    asked = {w for n in frame.names + frame.entities for w in normalize(n).split()}
    for m in _ENUMERATION.finditer(top.text):
        for item in re.findall(r"[\w-]+", m[1]):
            if item.lower() in asked:
                return item
    return None


def _near_duplicate(a: str, b: str) -> bool:
    wa, wb = set(content_words(a)), set(content_words(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > 0.8


def scored_evidence(question: Question, passages: list[Passage], embedder) -> list[Evidence]:
    """The shortlisted sentences of `passages`, each scored against the question."""
    stamps = bool({"document_number", "rin", "docket"} & set(question.frame.asks))
    evidence = shortlist(question, evidence_sentences(passages, stamps=stamps))
    if evidence:
        vecs = embedder.compare([question.text] + [e.text for e in evidence])
        score_evidence(question, evidence, vecs[0], vecs[1:])
    return evidence


def _bound_to_event(frame: Frame, ev: Evidence) -> bool:
    """An event other than a listing (a removal, a revision, a correction) must be the one the
    evidence speaks of: the date of an addition is not the date of a removal."""
    if frame.event in _LISTING_EVENTS or "count" in frame.asks:
        return True  # counts bind the event in the sentence itself (cover.counts_in)
    from listlens.index.frame import EVENTS

    return bool(EVENTS[frame.event].search(ev.text))


def accepted(frame: Frame, ev: Evidence, min_score: float) -> bool:
    """Whether `ev` answers the frame: it fills the asked slot, for the focus and the event,
    and is close enough to the question. Two kinds of evidence state a checkable value about
    the very thing asked and answer however their wording compares with a long question: the
    list record of the entity asked about, and a sentence of the FR document asked about."""
    if not cover.covers(frame, ev) or not _bound_to_event(frame, ev):
        return False
    slot = cover.primary(frame.asks)
    meta = ev.passage.metadata
    named_document = bool(meta.get("fr_doc")) and meta.get("fr_doc") in frame.documents
    if slot in _CHECKABLE and ((meta.get("kind") in ("record", "table_entry") and frame.focus)
                               or named_document):
        return True
    if named_document:  # the document asked about: its sentences compare weakly with a short part
        return ev.score >= min_score * 0.8
    if slot == "document_number" and not frame.documents and frame.stated:
        # "Which rule added 36 entities in December 2022": a document stating that count (and
        # published in the month named, if any) is identified by it, however it is worded.
        published = str(meta.get("published", ""))
        return not frame.months or any(published.startswith(m[:7]) for m in frame.months)
    focused = frame.focus or frame.names or _from_named_day(frame, ev)
    bar = min_score * 0.8 if (slot in _CHECKABLE and focused) else min_score
    return ev.score >= bar


def _from_named_day(frame: Frame, ev: Evidence) -> bool:
    """Whether the evidence comes from a document published on the day the question names
    ("the April 1, 2030 rule"): the question picks that document out by its date."""
    published = str(ev.passage.metadata.get("published", ""))
    return any(len(m) == 10 and published.startswith(m) for m in frame.months)


def _answer_unit(frame: Frame, evidence: list[Evidence], min_score: float) -> list[Evidence]:
    """The sentences that answer one frame (a question, or one part of it); [] when none does."""
    candidates = [e for e in evidence if accepted(frame, e, min_score)]
    if not candidates:
        return []
    chosen = select(candidates)
    if "reason" in frame.asks:
        chosen = _with_conduct(chosen, [e for e in evidence if cover.about_focus(frame, e)])
    if "reason" in frame.asks or not frame.asks:
        chosen = _with_following(frame, chosen, evidence)
    return chosen


def _rescored(part: Frame, evidence: list[Evidence], embedder) -> list[Evidence]:
    copies = [replace(e) for e in evidence]
    vecs = embedder.compare([part.text] + [e.text for e in copies])
    score_evidence(Question.of(part), copies, vecs[0], vecs[1:])
    return copies


def as_sentence(ev: Evidence) -> str:
    """The evidence as a sentence a reader can take in: a table row becomes "Name — Column:
    value; ..." using its table's header; anything else is quoted as written."""
    text = ev.text.strip()
    if not text.startswith("|"):
        return text
    cells = [c.strip().strip("*").strip() for c in text.strip("|").split("|")]
    header = cover.table_header(ev)
    if header == cells or len(header) != len(cells):
        header = []
    first, rest = cells[0], cells[1:]
    pairs = [f"{h}: {c}" if h else c for h, c in zip(header[1:] or [""] * len(rest), rest) if c]
    return f"{first} — {'; '.join(pairs)}." if pairs else f"{first}."


def compose_extractive(question: Frame | str, passages: list[Passage], embedder,
                       min_score: float, lists_searched: tuple[str, ...] = ()) -> Answer:
    """The extractive answer to a frame (a bare string is parsed without an entity table)."""
    frame = question if isinstance(question, Frame) else parse(question)
    q = Question.of(frame)
    evidence = scored_evidence(q, passages, embedder)
    if not evidence:
        if frame.names and not frame.focus:
            return refusal_with_known(frame, [], lists_searched)
        return refusal(frame, [], "Nothing in the library matches the question.")
    units = list(frame.parts or (frame,))
    answered: list[tuple[Frame, list[Evidence]]] = []
    for k, unit in enumerate(units):
        scored = evidence if unit is frame else _rescored(unit, evidence, embedder)
        chosen = _answer_unit(unit, scored, min_score)
        answered.append((unit, chosen))
        found = _document_found(unit, chosen)
        if found:  # "Which rule added X, and what else did it do?": "it" is the rule found
            units[k + 1:] = [replace(u, documents=(found,), entities=(), names=(), labels=())
                             for u in units[k + 1:]]
    if not any(chosen for _, chosen in answered):
        if frame.event == "removed" and not frame.parts:
            about = [e for e in evidence if cover.about_focus(frame, e)]
            if about:  # a false premise: the question assumes a removal the documents never record
                return refusal(frame, about, "They record no removal; what they do record is cited below.")
        return refusal_with_known(frame, evidence, lists_searched)
    first_unit, first_chosen = next((u, c) for u, c in answered if c)
    if (combined := _only_combined(frame, first_chosen[0])) is not None:
        return refusal(frame, evidence, f"They give only a combined figure for {combined} "
                                        "together with others.")
    return _render(frame, answered)


def _document_found(unit: Frame, chosen: list[Evidence]) -> str | None:
    """The FR document a "which document" part was answered with, for the parts after it."""
    if cover.primary(unit.asks) != "document_number" or not chosen or unit.documents:
        return None
    top = chosen[0]
    m = FR_DOC_NUMBER.search(top.text)
    return m[0] if m else (top.passage.metadata.get("fr_doc") or None)


def _render(frame: Frame, answered: list[tuple[Frame, list[Evidence]]]) -> Answer:
    """Sentences for each part, each cited; a part nothing answers is said to be unanswered."""
    chosen_all: list[Evidence] = []
    for _, chosen in answered:
        chosen_all += [e for e in chosen if all(e.start != c.start or e.passage.source != c.passage.source
                                                for c in chosen_all)]
    citations = cite(chosen_all[:6])
    number = {(c.file, c.start): c.n for c in citations}
    sentences: list[AnswerSentence] = []
    for unit, chosen in answered:
        chosen = list({(e.passage.source, e.start): e for e in reversed(chosen)}.values())[::-1]
        if not chosen:
            sentences.append(AnswerSentence(f"The documents don't say {cover.missing(unit)}.", []))
            continue
        refs = [number[(e.passage.source, e.start)] for e in chosen if (e.passage.source, e.start) in number]
        top = chosen[0]
        meta = top.passage.metadata
        lead = _lead(unit, top)
        if lead:
            sentences.append(AnswerSentence(lead, refs[:1]))
        for e, n in zip(chosen, refs):
            if all(s.text != as_sentence(e) for s in sentences):
                sentences.append(AnswerSentence(as_sentence(e), [n]))
        published = meta.get("published")
        if "date" in unit.asks and published and not find_dates(top.text) and _RELATIVE_DAY.search(top.text):
            # "today designated" means the release's own date, which its metadata records.
            sentences.append(AnswerSentence(
                f"The document saying so is dated {long_date(published)}.", refs[:1]))
    text = " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in sentences)
    return Answer(frame.text, text, False, citations, sentences, [], "extractive")


def _lead(unit: Frame, top: Evidence) -> str | None:
    """A sentence stating what metadata adds to the best evidence: the regulation's own number
    for "which paragraph", the document number for "which document"."""
    meta = top.passage.metadata
    slot = cover.primary(unit.asks)
    if slot == "provision" and meta.get("paragraph"):
        return f"It is {meta.get('title')}."
    if slot == "document_number" and meta.get("fr_doc") and not FR_DOC_NUMBER.search(top.text):
        when = f", published {long_date(meta['published'])}" if meta.get("published") else ""
        return f"It is FR Doc. {meta['fr_doc']} ({meta.get('title', '')}{when})."
    if slot == "count" and (counts := cover.counts_in(unit, top.text, meta.get("doc_type") == "list")):
        what = unit.count_unit or "entities"
        event = f" {unit.event}" if unit.event else ""
        where = f"FR Doc. {meta['fr_doc']}" if meta.get("fr_doc") else "The document"
        return f"{where} states {counts[0]} {what}{event}."
    return None
