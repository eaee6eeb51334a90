"""Summaries of sanctions actions, built from the facts read at ingest (ingest/facts.py).

- rows: one per subject, merged over every selected document that names it (by normalised name
  and aliases); each cell comes from a fact and is cited by the span the fact was read from, the
  reason by its own span, in the document's words. Structured sources (an FR entry, a table row)
  outrank a sentence.
- events: documents that name the same subjects (or carry the same FR document number) report
  one action; what they say about it is compared, and disagreements (counts, actions, lists,
  effective dates) become `conflicts`, every value with its sources.
- headline: what the documents state ("28 entities added: 27 to the Entity List, 1 to the MEU
  List"), and where the rows read differ from the stated counts, it says so.
- narrative: the sentences the facts were read from (extractive), or an LLM's text over them,
  checked like an answer (`check_reply`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from listlens.index.cite import Evidence
from listlens.index.entities import normalize
from listlens.index.errors import LLMUnavailable
from listlens.index.facts import StoredFact, load_facts
from listlens.index.store import Store
from listlens.index.types import AnswerSentence, Citation, Conflict, Passage, Summary, SummaryRow

NARRATIVE_MAX = 6
LLM_EVIDENCE = 10  # evidence sentences an LLM sees
MAX_ROWS = 500
# Units that count parties (not "entries", which count lines of a list).
_PARTY_UNITS = re.compile(r"entit|compan|firm|organi|individual|person|people|business|vendor|institut|"
                          r"part(?:y|ies)|exchange|subsidiar|vessel|aircraft")
_LEGAL_TAIL = re.compile(r"(?:\s+(?:co|ltd|limited|inc|llc|corp|corporation|company|pte|pvt|plc|gmbh|ag|sa|"
                         r"jsc|ooo|kk|s r o|sro|sdn bhd|bhd|llp|lp))+$")
_LIST_WORDS = {"added": "to", "designated": "on", "identified": "on", "proposed": "for", "removed": "from",
               "delisted": "from", "revised": "on", "corrected": "on"}


def _key(name: str) -> str:
    """Names that differ only in case, punctuation or legal form are one subject."""
    return _LEGAL_TAIL.sub("", normalize(name)).strip() or normalize(name)


def _listing(sf: StoredFact) -> bool:
    """Read from an FR entry or a table row (a Markdown row, or HTML cells, one paragraph each)."""
    return sf.text.startswith(("Entity List entry", "|")) or "\n\n" in sf.text


def _rank(sf: StoredFact) -> int:
    """How much a fact's source is trusted for a cell: the rule's own entry, then a table row
    or list-like enumeration, then a sentence of reporting."""
    doc_type = str(sf.metadata.get("doc_type", ""))
    if doc_type.startswith("fr_"):
        return 3
    return 2 if _listing(sf) or doc_type == "press_release" else 1


@dataclass
class Draft:
    """A row being assembled from the facts that name one subject."""

    keys: set[str]
    facts: list[StoredFact] = field(default_factory=list)
    names: Counter = field(default_factory=Counter)


class Citer:
    """Numbers citations once per span, in order of first use."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._by_span: dict[tuple[str, int, int], int] = {}

    def add(self, citation: Citation) -> int:
        span = (citation.file, citation.start, citation.end)
        if span not in self._by_span:
            self._by_span[span] = citation.n = len(self.citations) + 1
            self.citations.append(citation)
        return self._by_span[span]

    def fact(self, sf: StoredFact) -> int:
        return self.add(sf.citation())

    def reason(self, sf: StoredFact) -> int | None:
        c = sf.reason_citation()
        return self.add(c) if c is not None else None


# --- rows -------------------------------------------------------------------------------------

def group_subjects(facts: list[StoredFact]) -> list[Draft]:
    """One draft per subject: facts whose subjects share a normalised name or alias; a bare
    surname or first word ("Oliynyk", "Suex") joins the one longer name it is part of."""
    by_key: dict[str, Draft] = {}
    drafts: list[Draft] = []
    for sf in facts:
        for subject in sf.fact.subjects:
            keys = {k for k in (_key(n) for n in [subject.name, *subject.aliases]) if k}
            draft = next((by_key[k] for k in keys if k in by_key), None)
            if draft is None:
                draft = Draft(set())
                drafts.append(draft)
            draft.keys |= keys
            for k in keys:
                by_key[k] = draft
            if sf not in draft.facts:
                draft.facts.append(sf)
            draft.names[subject.name] += 1
    # "Oliynyk" → "Volodymyr Oliynyk": a one-word subject that is the first or last word of
    # exactly one longer subject is that subject.
    merged: list[Draft] = []
    for draft in drafts:
        short = [k for k in draft.keys if " " not in k]
        # Never for a name an FR entry or a table row gives: a listing names each party in full.
        if short and all(" " not in k for k in draft.keys) and not any(_listing(sf) for sf in draft.facts):
            hosts = [d for d in drafts if d is not draft and any(
                " " in k and (k.split()[0] in short or k.split()[-1] in short) for k in d.keys)]
            if len(hosts) == 1:
                host = hosts[0]
                host.keys |= draft.keys
                host.facts += [f for f in draft.facts if f not in host.facts]
                continue
        merged.append(draft)
    return merged


def _vote(values: list[tuple[int, str]]) -> list[str]:
    """Distinct non-empty values, most trusted and most frequent first."""
    score: Counter = Counter()
    for rank, value in values:
        if value:
            score[value] += 10 * rank + 1
    return [v for v, _ in score.most_common()]


def build_row(draft: Draft, citer: Citer) -> tuple[SummaryRow, list[Conflict]]:
    facts = sorted(draft.facts, key=lambda sf: -_rank(sf))
    best = facts[0]
    # The name as the most trusted source writes it; among equals, the one written most often.
    written = [s.name for sf in facts[:1] for s in sf.fact.subjects if _key(s.name) in draft.keys]
    entity = written[0] if written else draft.names.most_common(1)[0][0]
    subjects = [(sf, s) for sf in facts for s in sf.fact.subjects if _key(s.name) in draft.keys
                or any(_key(a) in draft.keys for a in s.aliases)]
    aliases = [a for a in dict.fromkeys(a for _, s in subjects for a in s.aliases) if a != entity]
    countries = _vote([(_rank(sf), s.country) for sf, s in subjects])
    structured_countries = [s.country for sf, s in subjects if _rank(sf) == 3 and s.country]
    if structured_countries:  # an FR entry per country: every one of them, none from reporting
        countries = list(dict.fromkeys(structured_countries))
    else:
        countries = countries[:1]  # reporting: the country most sources give
    actions = _vote([(_rank(sf), sf.fact.action) for sf in facts])
    lists = _vote([(_rank(sf), sf.fact.list_name) for sf in facts])
    reasons = sorted((sf for sf in facts if sf.fact.reason), key=lambda sf: (-_rank(sf), len(sf.fact.reason) > 400))
    row = SummaryRow(entity=entity, aliases=aliases, countries=countries, list_name=lists[0] if lists else "",
                     action=actions[0] if actions else "added")
    row.fr_citation = next((sf.fact.fr_citation for sf in facts if sf.fact.fr_citation), "")
    published = [sf.published for sf in facts if _rank(sf) == 3 and sf.published] or \
        [sf.published for sf in facts if sf.published]
    row.published = min(published) if published else ""
    effective = defaultdict(list)
    for sf in facts:
        if sf.fact.effective:
            effective[sf.fact.effective].append(sf)
    row.effective = " / ".join(sorted(effective))
    per_doc: dict[str, StoredFact] = {}
    for sf in facts:
        per_doc.setdefault(sf.doc_id, sf)
    row.citations = [citer.fact(sf) for sf in list(per_doc.values())[:3]]
    if reasons:
        reason = reasons[0]
        row.reason = _plain(reason.fact.reason)
        f = reason.fact
        inside = reason in per_doc.values() and f.start <= f.reason_start and f.reason_end <= f.end
        n = None if inside else citer.reason(reason)  # a table row's citation already quotes it
        if n is not None and n not in row.citations:
            row.citations.append(n)
    row.sources = list(dict.fromkeys(sf.source for sf in facts))
    conflicts = []
    for subject, values in (("action on", actions), ("list of", lists)):
        if len(values) > 1 and len({sf.doc_id for sf in facts}) > 1:
            conflicts.append(_conflict(f"{subject} {entity}", [
                (v, [sf for sf in facts if (sf.fact.action if subject == "action on" else sf.fact.list_name) == v])
                for v in values], citer))
    if len(effective) > 1:
        conflicts.append(_conflict(f"effective date of {entity}", sorted(effective.items()), citer))
    return row, conflicts


def _conflict(subject: str, values: list[tuple], citer: Citer) -> Conflict:
    return Conflict(subject, [{"value": value, "citations": list(dict.fromkeys(citer.fact(sf) for sf in sfs[:2])),
                               "sources": sorted({sf.source for sf in sfs})} for value, sfs in values])


def _plain(text: str) -> str:
    """Cell text for display: Markdown emphasis and links reduced to their words (the citation
    still quotes the exact span)."""
    text = re.sub(r"\[([^\]]*)\]\((?:https?:)?[^)\s]*\)", r"\1", text)
    return " ".join(re.sub(r"\*\*|__|https?://\S+", "", text).split()).strip(" |")


# --- events and counts ------------------------------------------------------------------------

def events(facts: list[StoredFact], drafts: list[Draft]) -> list[set[str]]:
    """Documents reporting one action: those that share a subject or an FR document number."""
    parent: dict[str, str] = {}

    def find(d: str) -> str:
        while parent.setdefault(d, d) != d:
            d = parent[d]
        return d

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for sf in facts:
        find(sf.doc_id)
    for draft in drafts:
        docs = [sf.doc_id for sf in draft.facts]
        for d in docs[1:]:
            union(docs[0], d)
    by_fr: dict[str, str] = {}
    for sf in facts:
        number = str(sf.metadata.get("fr_doc", "")) or sf.fact.fr_doc
        if number:
            union(sf.doc_id, by_fr.setdefault(number, sf.doc_id))
    groups: dict[str, set[str]] = defaultdict(set)
    for d in parent:
        groups[find(d)].add(d)
    return list(groups.values())


def stated_counts(facts: list[StoredFact], event: set[str], citer: Citer) -> tuple[dict[str, tuple[int, set[str]]], list[Conflict]]:
    """action → (the number of parties the event's documents say were acted on, the lists they
    name for it): each document's first count of parties for that action, the opening sentence;
    documents that disagree become a conflict."""
    by_action: dict[str, dict[int, list[StoredFact]]] = defaultdict(lambda: defaultdict(list))
    for doc_id in sorted(event):
        seen: set[str] = set()
        for sf in facts:
            f = sf.fact
            if sf.doc_id != doc_id or f.count is None or not _PARTY_UNITS.search(f.count_unit):
                continue
            if f.subjects:  # "designated three companies: A, B and C" counts those three only
                continue
            if f.action in seen:
                continue
            seen.add(f.action)
            by_action[f.action][f.count].append(sf)
    out: dict[str, tuple[int, set[str]]] = {}
    conflicts = []
    for action, values in by_action.items():
        ranked = sorted(values.items(), key=lambda kv: (-max(_rank(sf) for sf in kv[1]), -len(kv[1])))
        out[action] = (ranked[0][0], {sf.fact.list_name for sf in ranked[0][1] if sf.fact.list_name})
        if len(values) > 1:
            conflicts.append(_conflict("number of entities acted on", sorted(values.items()), citer))
    return out, conflicts


def headline(rows: list[SummaryRow], stated: dict[str, tuple[int, set[str]]], n_docs: int,
             titles: list[str]) -> str:
    """What the documents say, in numbers: "28 entities added: 27 to the Entity List, 1 to the
    MEU List"; where the rows named differ from the count stated, "5 entities added to the
    Entity List (4 of them named)"."""
    if not rows and not stated:
        return titles[0] if n_docs == 1 and titles else (
            f"{n_docs} documents; none names a party acted on" if n_docs else "No documents selected")
    by_action: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        by_action[r.action][r.list_name] += 1
    parts = []
    for action in sorted(set(by_action) | set(stated),
                         key=lambda a: -(stated[a][0] if a in stated else sum(by_action[a].values()))):
        lists = by_action.get(action, Counter())
        found = sum(lists.values())
        total, said = stated.get(action, (found, set()))
        word = "entity" if total == 1 else "entities"
        named = [(name, k) for name, k in lists.most_common() if name]
        prep = _LIST_WORDS.get(action, "on")
        where = {name for name, _ in named} | said
        if found != total:
            part = f"{total} {word} {action}" + (f" {prep} the {where.pop()}" if len(where) == 1 else "")
            part += (" (none named)" if not found else f" ({found} of them named)" if found < total
                     else f" ({found} named, more than the {total} stated)")
        elif len(named) == 1 and named[0][1] == found:
            part = f"{total} {word} {action} {prep} the {named[0][0]}"
        elif named:
            unnamed = found - sum(k for _, k in named)
            part = f"{total} {word} {action}: " + ", ".join(f"{k} {prep} the {name}" for name, k in named) + (
                f", {unnamed} on a list not given" if unnamed else "")
        else:
            part = f"{total} {word} {action}"
        parts.append(part)
    line = "; ".join(parts)
    citations = sorted({r.fr_citation for r in rows if r.fr_citation})
    dates = sorted({r.published for r in rows if r.published})
    effective = sorted({r.effective for r in rows if r.effective})
    if citations:
        line += f" — {', '.join(citations[:3])}" + (" and others" if len(citations) > 3 else "")
    if dates:
        line += f", published {dates[0]}" + (f" to {dates[-1]}" if len(dates) > 1 else "")
    if effective:
        line += f", effective {effective[0]}"
    if n_docs > 1:
        line += f" (from {n_docs} documents)"
    return line


# --- narrative --------------------------------------------------------------------------------

def key_evidence(facts: list[StoredFact], limit: int) -> list[Evidence]:
    """The sentences that say most about the action: each document's sentences that state counts,
    subjects and reasons, and the reason passages of the listed parties; one per span; table rows
    and FR entries (already in the table) are not narrative."""
    scored: dict[tuple[str, int], tuple[float, Evidence]] = {}
    for sf in facts:
        listing = _listing(sf) or sf.text.startswith(("Entity List entry", "#"))
        if not listing and sf.text.rstrip().endswith((".", "”", '"', ")")) and len(sf.text) < 700:
            score = 2 * (sf.fact.count is not None) + bool(sf.fact.reason) + bool(sf.fact.subjects) + 0.5 * _rank(sf)
            scored.setdefault((sf.doc_id, sf.fact.start), (score, _evidence(sf, sf.fact.start, sf.fact.end, sf.text)))
        if sf.fact.reason and listing and "\n\n" not in sf.fact.reason and sf.fact.reason.rstrip().endswith("."):
            key = (sf.doc_id, sf.fact.reason_start)
            if key not in scored:  # the reason passage a rule gives for its entries
                scored[key] = (1.0 + 0.5 * _rank(sf), _evidence(sf, sf.fact.reason_start, sf.fact.reason_end, sf.fact.reason))
    chosen: list[Evidence] = []
    per_doc: Counter = Counter()
    docs = {k[0] for k in scored}
    for (doc_id, _), (score, ev) in sorted(scored.items(), key=lambda kv: -kv[1][0]):
        if len(chosen) >= limit:
            break
        if per_doc[doc_id] >= max(2, limit // max(1, len(docs))) + 1:
            continue
        chosen.append(ev)
        per_doc[doc_id] += 1
    order = {d: i for i, d in enumerate(dict.fromkeys(sf.source for sf in facts))}
    return sorted(chosen, key=lambda ev: (order.get(ev.passage.source, 0), ev.start))


def _evidence(sf: StoredFact, start: int, end: int, text: str) -> Evidence:
    meta = {**sf.metadata, "source": sf.source, "title": sf.title, "start": start, "end": end,
            "published": sf.published}
    return Evidence(Passage(f"{sf.doc_id}:{start}", text, 0.0, meta), start, end, text)


def _cite(citer: Citer, ev: Evidence) -> int:
    from listlens.index.answer import cite

    return citer.add(cite([ev])[0])


# --- the whole --------------------------------------------------------------------------------

def summarize(store: Store, docs: list[dict], embedder=None, generator=None) -> Summary:
    """Summarize the given catalog entries (each with doc_id, version and its metadata)."""
    order = sorted(docs, key=lambda d: (not str(d.get("doc_type", "")).startswith("fr_"), str(d.get("published", ""))))
    versions = {str(d["doc_id"]): str(d["version"]) for d in order}
    facts = load_facts(store, versions, versions)
    rank = {d: i for i, d in enumerate(versions)}
    facts.sort(key=lambda sf: (rank.get(sf.doc_id, 0), sf.fact.start))
    citer = Citer()
    drafts = group_subjects(facts)
    built = [build_row(d, citer) for d in drafts]
    rows = [row for row, _ in built]
    conflicts = [c for _, cs in built for c in cs]
    stated: dict[str, tuple[int, set[str]]] = {}
    for event in events(facts, drafts):
        counts, disagreements = stated_counts(facts, event, citer)
        for action, (n, lists) in counts.items():
            before = stated.get(action, (0, set()))
            stated[action] = (before[0] + n, before[1] | lists)
        conflicts += disagreements
    notice = ""
    if len(rows) > MAX_ROWS:
        notice = f"{len(rows):,} entities matched; the first {MAX_ROWS} are shown. Narrow the dates or documents."
        rows = rows[:MAX_ROWS]
    summary = Summary(headline(rows, stated, len(order), [str(d.get("title", "")) for d in order]), rows,
                      conflicts=conflicts, notice=notice,
                      documents=[{k: d.get(k, "") for k in ("doc_id", "title", "published", "doc_type", "source")}
                                 for d in order])
    key = key_evidence(facts, LLM_EVIDENCE if generator else NARRATIVE_MAX)
    sentences, backend, note = None, "extractive", ""
    if generator is not None and key:
        sentences, note = _llm_narrative(summary.headline, key, embedder, generator, citer)
        backend = generator.name if sentences else "extractive"
    sentences = sentences or []
    if len(sentences) < 3:  # too little survived the check: the facts' own sentences fill in
        said = " ".join(s.text for s in sentences)
        extra = [ev for ev in key if not said or _overlap(ev.text, said) < 0.6]
        sentences += [AnswerSentence(_plain(ev.text), [_cite(citer, ev)]) for ev in extra[:NARRATIVE_MAX - len(sentences)]]
    summary.sentences, summary.citations, summary.backend = sentences, citer.citations, backend
    summary.notice = " ".join(filter(None, [notice, note]))
    return summary


def _overlap(a: str, b: str) -> float:
    wa, wb = set(normalize(a).split()), set(normalize(b).split())
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


def _llm_narrative(title: str, evidence: list[Evidence], embedder, generator,
                   citer: Citer) -> tuple[list[AnswerSentence] | None, str]:
    """The LLM writes over the key sentences; `check_reply` keeps only what they support."""
    from listlens.index.answer import Question
    from listlens.index.generate import check_reply
    from listlens.index.prompts import summary_messages

    try:
        reply = generator.generate(summary_messages(title, [_plain(e.text) for e in evidence]), max_tokens=320)
    except LLMUnavailable as exc:
        return None, f"{exc} — showing the extractive narrative instead."
    checked = check_reply(Question.parse(title), reply, evidence, embedder, generator.name)
    if checked.refused:
        return None, "The model's narrative was not supported by the documents; showing key sentences instead."
    spans = {(e.passage.source, e.start, e.end): e for e in evidence}
    by_old = {c.n: c for c in checked.citations}
    out = []
    for s in checked.sentences[:8]:
        numbers = [_cite(citer, spans[(by_old[n].file, by_old[n].start, by_old[n].end)]) for n in s.citations]
        out.append(AnswerSentence(s.text, numbers))
    return out, checked.notice
