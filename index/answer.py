"""Answering from evidence: pick the sentences that answer the question, or refuse.

The extractive composer needs no model beyond the embedding one: it scores every sentence of the
retrieved passages against the question (meaning, shared rare words, and whether the sentence
holds the kind of thing asked for — a date for "when", a number for "how many"), answers with
the best ones, each cited, and refuses when even the best is weak. LLM backends start from the
same selected evidence (see `index/generate.py`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from listlens.index.cite import Evidence
from listlens.index.entities import normalize
from listlens.ingest.dates import long_date, parse_date
from listlens.ingest.safety import INJECTION as _INJECTION
from listlens.index.text import FR_DOC_NUMBER, content_words, sentence_spans, stem
from listlens.index.types import Answer, AnswerSentence, Citation, Passage

REFUSAL = "The documents don't say."

_DATE = re.compile(r"\b(19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_NUMBER = re.compile(r"\b\d[\d,.]*\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|dozen|hundred|thousand|million|billion)\b", re.I)
_MONEY = re.compile(r"\$\s?\d|\b\d[\d,.]*\s*(million|billion|thousand)?\s*(dollars|USD)\b", re.I)
_DOCNUM = re.compile(r"\b(19|20)\d{2}-\d{4,5}\b|\bRIN\b|\bDocket\b", re.I)
_FR_CITE = re.compile(r"\b\d{1,3} FR \d{2,6}\b")

# What a question asks for, and what a sentence must hold to answer it.
_WANTS = [
    ("money", re.compile(r"\b(penalt|fine[ds]?\b|dollars|\$|how much money|value of)", re.I), _MONEY),
    ("document", re.compile(r"\b(what|which)\b[^?]*\b(document number|federal register (document|notice)|"
                            r"FR Doc|RIN\b|docket)", re.I), _DOCNUM),
    ("citation", re.compile(r"\b(what|which)\b[^?]*\b(citation|FR page)", re.I), _FR_CITE),
    ("date", re.compile(r"\b(when|what date|which date|on what date|effective date|listing date|what day)\b", re.I), _DATE),
    ("number", re.compile(r"\b(how many|what share|what percentage|what proportion|how much|what portion)\b", re.I), _NUMBER),
]
_REASON_Q = re.compile(r"\b(why|reasons?|on what basis|basis for|conduct|activity|activities|grounds|"
                       r"what led|led \w+ to|for what|justification|rationale)\b", re.I)
# Words that introduce a reason in this field's prose ("for engaging in", "contrary to", ...).
_REASON_S = re.compile(r"\b(because|due to|contrary to|on the basis|based on|reasonable cause|"
                       r"showed|found that|evidence|involved in|in support of|supports?|supporting|"
                       r"role in|acting|trade in|traffick\w*|facilitat\w*|enabl\w*|accused|threaten\w*|"
                       r"endanger\w*|divert\w*|procur\w*|acquir\w*|on behalf of|contribut\w*|assist\w*|"
                       r"for (its|their|the) \w+|for \w+ing|\w+ing (items|technology|spyware|tools) for)\b", re.I)
# The legal standard every addition cites; it says what kind of reason, not what was done.
_STANDARD = re.compile(r"\b(contrary|counter) to (the )?(U\.S\.|United States|US|American)?\s?"
                       r"(national security|foreign policy)", re.I)
# Numbers that are not counts: citations, dates, section numbers, document numbers.
_NOT_COUNTS = re.compile(r"\b\d+ FR \d+|\b\d{4}-\d{2,5}(-\d{2})?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|§+\s*[\d.()a-z]+|"
                         r"\b(19|20)\d{2}\b|\b(?i:no\.|nos\.|part|parts|section|supplement|title) \d+|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
                         r"[a-z]*\.? \d{1,2}\b")
# Lines written to steer a language model, not to inform a reader: never evidence.
_ANAPHORA = re.compile(r"(These|Those|They|This|It|Such|Both|The (two|three|four) (companies|entities|firms))\b")
# Plural pointers speak of the entities just named ("These additions are based on ..."); a
# singular "It is the second exchange ..." usually turns to something else.
_POINTS_BACK = re.compile(r"(These|Those|They|Such|Both|The (two|three|four) (companies|entities|firms))\b")
_PLURAL_ASK = re.compile(r"\b(companies|entities|firms|organi[sz]ations|individuals|persons|people|"
                         r"officials|institutes|institutions|exchanges|banks|subsidiaries|groups|vessels)\b", re.I)
# "How much did X process specifically for Conti?" is not answered by a figure for "gangs like
# Ryuk, Conti, Maze and others": that figure is a total over a list the name is only part of.
_SPECIFIC_Q = re.compile(r"\b(specifically|alone|by itself|individually|in particular|exclusively|solely)\b", re.I)
_ENUMERATION = re.compile(r"\b(?:like|including|includes|such as|among them|e\.g\.,?)\s+((?:[\w.’'-]+\s?){1,4}"
                          r"(?:,\s*(?:[\w.’'-]+\s?){1,4}){1,}(?:,?\s*(?:and|or)\s+(?:[\w.’'-]+\s?){1,4})?)")
# "How many entities did the rule add, and how many of its entries were under Russia?"
_NEXT_PART = re.compile(r",?\s+and\s+(?=(how|what|which|when|who|whom|where|why|under which|on what|in what|"
                        r"does|did|is|are|was|were)\b)", re.I)
_PROVISION_Q = re.compile(r"\b(which|what)\s+(paragraph|subsection|section|provision)\b", re.I)
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|for|on|the)\s+)?[A-Z][a-z]+)+")
_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")  # "End-User Review Committee (ERC)"
_PUBLISHED_Q = re.compile(r"\bpublish(ed)?\b|\bpublication date\b", re.I)
_URL = re.compile(r"\(?https?://\S+|\bwww\.\S+|\b[\w.-]+\.(com|org|gov|net|media)/\S*")
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|this week|on (monday|tuesday|wednesday|thursday|friday))\b", re.I)
# "Which four companies ...", "Who was ...": the answer must name someone the question does not.
_IDENTITY_Q = re.compile(r"^\s*(who\b|(which|what|name|list|identify)\s+(\S+\s+){0,4}?(compan|entit|firm|"
                         r"organi[sz]ation|individual|person|people|official|institut|exchange|bank|"
                         r"subsidiar|group|vessel|manufacturer|supplier))", re.I)
_PROPER_NAME = re.compile(r"(?:[A-Z][\w&'’.-]*[a-z0-9\w])(?:[\s\u00a0]+(?:(?:of|and|de|for|the)[\s\u00a0]+)?"
                          r"[A-Z][\w&'’.-]*)*")
_NOT_NAMES = frozenset("the a an this that these those it they he she its their in on at for and but as "
                       "according us u s january february march april may june july august september "
                       "october november december monday tuesday wednesday thursday friday".split())
# A license review policy is one of a few set phrases of the EAR; a sentence that only says
# where the policy is stated ("identified in the License Review Policy column") names none.
_POLICY_Q = re.compile(r"\b(licen[cs]e )?review policy\b", re.I)
_POLICY_S = re.compile(r"\b(policy of denial|presumption of (denial|approval)|case[- ]by[- ]case)\b", re.I)
_ALL_WANTS = [*_WANTS, ("reason", _REASON_Q, _REASON_S), ("names", _IDENTITY_Q, _PROPER_NAME),
              ("policy", _POLICY_Q, _POLICY_S)]
_MUST = {name: must for name, _, must in _ALL_WANTS}
_REMOVAL_Q = re.compile(r"\b(removed|removal|delisted|taken off)\b", re.I)
# "FR Doc. 2023-03929" or "86 FR 60760" in a question says which document it is about; it does
# not ask for a document number or a citation.
_REFERENCE = re.compile(r"\b(?:FR\s+Doc(?:ument)?\.?|Federal Register document)\s*(?:No\.?\s*)?\d{4}-\d{4,6}\b|"
                        r"\b\d{1,3} FR \d{2,6}\b", re.I)
# A quoted name opens after a space and closes before one: "Treasury's OFAC ... SUEX's" is
# two possessives, not a quotation.
_QUOTED = re.compile(r"(?:(?<=[\s(])|^)[‘'“\"]([A-Z][^'’”\"]{3,60})[’'”\"](?![A-Za-z])")
# Filing stamps and printing codes: lines of a Federal Register document that state nothing
# beyond its document number.
_STAMP = re.compile(r"^\[?FR Doc\.? [\d-]+ Filed\b|^BILLING CODE\b", re.I)
_REMOVAL_S = re.compile(r"\bremov|\bdelist", re.I)


@dataclass
class Question:
    text: str
    words: list[str]
    wants: tuple[str, ...]  # what kinds of thing it asks for: date, number, reason, ...
    about_removal: bool
    focus: tuple[str, ...] = ()  # normalised names of the entities and documents it is about
    phrases: tuple[str, ...] = ()  # quoted section names or terms ("the 'Allied Governments Note'")

    @classmethod
    def parse(cls, text: str, names: tuple[str, ...] = ()) -> "Question":
        """`names`: the normalised entity names the entity table found in the question."""
        asking = _REFERENCE.sub(" ", text)
        wants = tuple(name for name, ask, _ in _ALL_WANTS if ask.search(asking))
        if "money" in wants:  # "how much ... in dollars" asks for money, not any number
            wants = tuple(w for w in wants if w != "number")
        documents = tuple(normalize(m) for m in FR_DOC_NUMBER.findall(text))
        # "What does the 'Allied Governments Note' ... clarify?": a named section or term.
        quoted = tuple(normalize(m) for m in _QUOTED.findall(text))
        return cls(text, content_words(text), wants, bool(_REMOVAL_Q.search(text)),
                   names + documents, quoted)


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
    """Word stems, plus the initials of each run of capitalised words: a question about
    "OFAC" shares a word with "the Office of Foreign Assets Control designated ..."."""
    initials = {"".join(w[0] for w in m[0].split() if w[0].isupper()).lower()
                for m in _CAPITALISED_RUN.finditer(text)}
    return {stem(w) for w in content_words(text)} | {a for a in initials if len(a) >= 3}


def sentence_stems(evidence: list[Evidence]) -> list[set[str]]:
    """Each sentence's word stems; a sentence opening with "These"/"They" also gets those of
    the sentence before it, which it speaks of ("These additions are based on ...")."""
    stems = [_stems(ev.text) for ev in evidence]
    for i in range(1, len(evidence)):
        if (_POINTS_BACK.match(evidence[i].text)
                and evidence[i - 1].passage.node_id == evidence[i].passage.node_id):
            stems[i] = stems[i] | stems[i - 1]
    return stems


def about_focus(question: Question, ev: Evidence, names: tuple[str, ...] | None = None) -> bool:
    """Does the sentence, its passage or its document name what the question is about?"""
    m = ev.passage.metadata
    context = normalize(" ".join(str(x) for x in (ev.passage.text, m.get("title", ""),
                                                  m.get("doc_entities", ""), m.get("fr_doc", ""),
                                                  m.get("entity", ""), m.get("aliases", ""))))
    return any(f" {name} " in f" {context} " for name in (question.focus if names is None else names))


def holds_answer_type(question: Question, ev: Evidence) -> float:
    """The share of the kinds of thing asked for ("when ... and under which citation?") that
    the sentence holds; 1.0 when the question asks for nothing in particular."""
    if not question.wants:
        return 1.0
    return sum(_holds(question, want, ev) for want in question.wants) / len(question.wants)


def new_names(question: Question, ev: Evidence) -> set[str]:
    """The proper names in the sentence that the question does not already name."""
    asked = f" {normalize(question.text)} "
    found = {normalize(m) for m in _PROPER_NAME.findall(ev.text.replace("**", ""))}
    return {n for n in found if n and n not in _NOT_NAMES and f" {n} " not in asked}


def _holds(question: Question, want: str, ev: Evidence) -> bool:
    kind = ev.passage.metadata.get("kind")
    if want in ("reason", "number") and kind in ("record", "table_entry"):
        return False  # a list record says who is listed, never why, and counts nothing
    if want == "names":
        if kind in ("record", "table_entry"):  # names someone new unless it is the one asked about
            return not about_focus(question, ev)
        # "Which four companies" wants several names; "Who was the CEO" one.
        return len(new_names(question, ev)) >= (2 if _PLURAL_ASK.search(question.text) else 1)
    if want == "number":
        return bool(_NUMBER.search(_NOT_COUNTS.sub(" ", ev.text)))
    if want == "date" and _RELATIVE_DAY.search(ev.text) and ev.passage.metadata.get("published"):
        return True  # "today" in a dated release
    return bool(_MUST[want].search(ev.text))


def score_evidence(question: Question, evidence: list[Evidence], q_vec: np.ndarray,
                   ev_vecs: np.ndarray) -> None:
    """Set each evidence sentence's score: meaning + rare shared words + answer type.

    A question word found in the sentence counts fully; found only around it (its passage, the
    document title, the entities the document lists) it counts half: "This rule is effective November 4, 2021" answers a
    question about NSO Group when it sits in the rule that lists NSO Group.
    """
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
        score *= 0.6 + 0.4 * holds_answer_type(question, ev)
        if question.focus and not about_focus(question, ev):
            score *= 0.6  # about some other entity or rule than the one asked about
        if question.phrases and not about_focus(question, ev, question.phrases):
            score *= 0.8  # outside the section the question names
        score -= 0.01 * ranks[ev.passage.node_id]  # retrieval order breaks near-ties
        ev.score = score


def evidence_bar(question: Question, best: Evidence, min_score: float) -> float:
    """How good the best sentence must be. Lower when it comes from the entity or rule the
    question names and holds exactly the kind of thing asked for (a count from "FR Doc.
    2024-03969" for "how many entities did FR Doc. 2024-03969 add"): long questions about one
    rule compare weakly with any one sentence, however right. Only for values a pattern can
    check (counts, dates, sums, document numbers, policies), not reasons or names."""
    concrete = question.wants and not {"reason", "names"} & set(question.wants)  # checkable values
    if question.focus and concrete and about_focus(question, best) \
            and holds_answer_type(question, best) == 1.0:
        # A list record of the very entity asked about, holding the date or citation asked
        # for, is the answer however long its address makes it.
        return min_score * (0.6 if best.passage.metadata.get("kind") in ("record", "table_entry") else 0.8)
    return min_score


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


def refusal(question: Question, evidence: list[Evidence], reason: str) -> Answer:
    """Say the documents don't hold the answer, and show the closest evidence."""
    closest = sorted(evidence, key=lambda e: e.score, reverse=True)[:2]
    text = REFUSAL + " " + reason
    if closest:
        text += " The closest passages are cited below."
    return Answer(question.text, text, True, cite(closest), [], [], "extractive")


def select(question: Question, evidence: list[Evidence], max_sentences: int = 3) -> list[Evidence]:
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


def _with_following(question: Question, chosen: list[Evidence], evidence: list[Evidence]) -> list[Evidence]:
    """Rules name the entities in one sentence and give the reason in the next ("These
    additions are based on ..."), and prose goes on about the same subject in the next
    sentence ("They ...", "The ERC makes ..." after "The End-User Review Committee (ERC)"): add
    the sentence that follows the best one in its passage when it explains what the best one
    only names, or carries its subject on."""
    top = chosen[0]
    following = [e for e in evidence if e.passage.node_id == top.passage.node_id and e.start > top.start]
    if not following:
        return chosen
    nxt = min(following, key=lambda e: e.start)
    explains = ("reason" in question.wants and _REASON_S.search(nxt.text)
                and not _REASON_S.search(top.text))
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
               and _REASON_S.search(e.text) and not _STANDARD.search(e.text)]
    if not conduct:
        return chosen
    return [top, max(conduct, key=lambda e: e.score), *chosen[1:]][:3]


def question_parts(text: str) -> list[str]:
    """A question that asks two things ("When was X added, and under which notice?") as its
    parts; one part when it asks one thing."""
    return [p.strip() for p in _NEXT_PART.split(text)[::2] if p and p.strip()]


def _with_each_part(question: Question, chosen: list[Evidence], evidence: list[Evidence], embedder,
                    min_score: float) -> list[Evidence]:
    """Add, for each part of a two-part question, the sentence that answers that part best when
    the sentences chosen for the whole question do not already. A part is about what the whole
    question is about ("how many of its entries ...")."""
    parts = question_parts(question.text)
    for part in parts if len(parts) > 1 else []:
        sub = replace(Question.parse(part), focus=question.focus, phrases=question.phrases)
        copies = [replace(e) for e in evidence]
        vecs = embedder.compare([part] + [e.text for e in copies])
        score_evidence(sub, copies, vecs[0], vecs[1:])
        i = max(range(len(copies)), key=lambda k: copies[k].score)
        if copies[i].score >= min_score * 0.8 and evidence[i] not in chosen and len(chosen) < 4:
            chosen = [*chosen, evidence[i]]
    return chosen


def _only_combined(question: Question, top: Evidence) -> str | None:
    """The name a question asks about specifically when the figure the best sentence gives
    covers a list that name is only one item of; None otherwise."""
    if not (_SPECIFIC_Q.search(question.text) and {"number", "money"} & set(question.wants)):
        return None
    names = {w for w in re.findall(r"\b[A-Z][\w-]+", question.text[1:]) if w.lower() not in _NOT_NAMES}
    for m in _ENUMERATION.finditer(top.text):
        items = re.findall(r"[\w-]+", m[1])
        for name in names:
            if name in items:
                return name
    return None


def _near_duplicate(a: str, b: str) -> bool:
    wa, wb = set(content_words(a)), set(content_words(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > 0.8


def scored_evidence(question: Question, passages: list[Passage], embedder) -> list[Evidence]:
    """The shortlisted sentences of `passages`, each scored against the question."""
    evidence = shortlist(question, evidence_sentences(passages, stamps="document" in question.wants))
    if evidence:
        vecs = embedder.compare([question.text] + [e.text for e in evidence])
        score_evidence(question, evidence, vecs[0], vecs[1:])
    return evidence


def compose_extractive(question_text: str, passages: list[Passage], embedder,
                       min_score: float, names: tuple[str, ...] = ()) -> Answer:
    question = Question.parse(question_text, names)
    evidence = scored_evidence(question, passages, embedder)
    if not evidence:
        return refusal(question, [], "Nothing in the library matches the question.")
    best = max(evidence, key=lambda e: e.score)
    if best.score < evidence_bar(question, best, min_score):
        return refusal(question, evidence, "No passage answers it closely enough.")
    if question.about_removal and not any(_REMOVAL_S.search(e.text) for e in evidence
                                          if e.score >= min_score):
        # A false premise: the question assumes a removal the documents never record.
        answer = refusal(question, evidence, "They record no removal; what they do record is cited below.")
        return answer
    chosen = select(question, evidence)
    if "reason" in question.wants:
        chosen = _with_conduct(chosen, evidence)
    chosen = _with_each_part(question, chosen, evidence, embedder, min_score)
    if (combined := _only_combined(question, chosen[0])) is not None:
        return refusal(question, evidence, f"They give only a combined figure for {combined} "
                                           "together with others.")
    if "reason" in question.wants or not question.wants:
        chosen = _with_following(question, chosen, evidence)
    citations = cite(chosen)
    sentences = [AnswerSentence(c.text, [c.n]) for c in citations]
    top = chosen[0]
    if _PROVISION_Q.search(question.text) and top.passage.metadata.get("paragraph"):
        # "Which paragraph of 15 CFR 744.11 ...": say which, as the regulation numbers it.
        sentences.insert(0, AnswerSentence(f"It is {top.passage.metadata.get('title')}.", [1]))
    published = top.passage.metadata.get("published")
    if "date" in question.wants and published:
        if not _DATE.search(top.text) and _RELATIVE_DAY.search(top.text):
            # "today designated" means the release's own date, which its metadata records.
            sentences.insert(1, AnswerSentence(
                f"The document saying so is dated {long_date(published)}.", [1]))
        elif _PUBLISHED_Q.search(question.text) and not any(
                published in (parse_date(c.text) or "") for c in citations):
            sentences.insert(1, AnswerSentence(
                f"{top.passage.metadata.get('title') or 'The document'} was published on "
                f"{long_date(published)}.", [1]))
    text = " ".join(f"{s.text} [{s.citations[0]}]" for s in sentences)
    return Answer(question.text, text, False, citations, sentences, [], "extractive")
