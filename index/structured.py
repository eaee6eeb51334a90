"""Questions the structured records answer exactly, by counting and listing rather than reading.

"How many entities in Pakistan did 86 FR 67319 add?" or "Which entities did FR Doc. 2023-03929
add under Russia?" are queries over list records and Entity List table entries, not passages to
find: every record or entry that carries that citation or comes from that rule (and names the
country, when the question names one) is counted once per entity, and each one is cited.
"""

from __future__ import annotations

import re

from listlens.index.answer import cite
from listlens.index.cite import Evidence
from listlens.index.cover import missing
from listlens.index.entities import normalize
from listlens.index.frame import FR_CITATION, Frame
from listlens.index.store import Store
from listlens.index.types import Answer, AnswerSentence, Passage
from listlens.ingest.dates import long_date

MAX_CITED = 40

Row = tuple[str, str, dict]  # (chunk id, text, metadata)


def _whole(row: Row) -> Evidence:
    """A record or table entry cited whole."""
    node_id, text, meta = row
    return Evidence(Passage(node_id, text, 1.0, meta), int(meta.get("start", 0)),
                    int(meta.get("end", 0)), text, 1.0)


def _citation(m: re.Match) -> str:
    return f"{m[1]} FR {m[2]}"


def _countries(rows: list[Row]) -> set[str]:
    return {c for _, _, m in rows for c in str(m.get("country", "")).split(" | ") if c}


def _name_with_places(rows: list[Row]) -> str:
    return f"{rows[0][2].get('entity', '')} ({', '.join(sorted(_countries(rows)))})"


def _rows_for(frame: Frame, store: Store) -> tuple[str, list[Row]] | None:
    """The records or table entries the question points at, and how to name that source."""
    if frame.documents:
        number = frame.documents[0]
        rows = [r for r in zip(*store.fr_document_chunks(number)) if r[2].get("kind") == "table_entry"]
        return f"FR Doc. {number}", rows
    if frame.citations:
        citation = frame.citations[0]
        rows = [r for r in zip(*store.records_containing(citation))
                if re.search(rf"\b{re.escape(citation)}\b", str(r[2].get("fr_citation", r[1])))]
        if frame.event == "added":
            # A record lists every notice that touched the entry, oldest first: the first
            # one added it, later ones revised it.
            rows = [r for r in rows if FR_CITATION.search(str(r[2].get("fr_citation", "")))
                    and _citation(FR_CITATION.search(str(r[2]["fr_citation"]))) == citation]
        return f"the citation {citation}", rows
    return None


def answer_from_records(frame: Frame, store: Store, versions: dict[str, str]) -> Answer | None:
    """The counted or listed answer, or None when the question is not one records answer:
    "how many" or "which" entities one FR document or FR citation added."""
    counting = "count" in frame.asks and frame.count_unit in (None, "entities", "entries")
    if not (counting or "names" in frame.asks) or frame.event not in (None, "added"):
        return None
    found = _rows_for(frame, store)
    if found is None:
        return None
    source, rows = found
    rows = [r for r in rows if versions.get(r[2].get("doc_id")) == r[2].get("version")]
    if not rows:
        return None
    names = frame.entities
    if names:  # "how many units of <a parent organisation> ...": the entries whose names hold it
        rows = [r for r in rows if any(n in normalize(str(r[2].get("entity", ""))) for n in names)] or rows
        if frame.excluding:  # "... not counting the parent itself": the parent is not one of them
            rows = [r for r in rows if normalize(str(r[2].get("entity", ""))) not in names] or rows
    countries = {c for _, _, m in rows for c in str(m.get("country", "")).split(" | ") if c}
    named = [c for c in countries if normalize(c) in frame.countries]
    if named:
        rows = [r for r in rows if set(str(r[2].get("country", "")).split(" | ")) & set(named)]
    by_entity: dict[str, list[Row]] = {}
    for row in rows:  # one entity may have several entries (countries) or sit on several lists
        by_entity.setdefault(normalize(str(row[2].get("entity", row[1]))), []).append(row)
    where = f" under {' / '.join(sorted(named))}" if named else ""
    if frame.several_places:
        by_entity = {k: v for k, v in by_entity.items() if len(_countries(v)) > 1}
        rows = [r for v in by_entity.values() for r in v]
        where = " listed under several country headings"
        if not rows:
            return None
    entities = {k: v[0] for k, v in by_entity.items()}
    listed = "; ".join(_name_with_places(by_entity[k]) if frame.several_places
                      else str(v[2].get("entity", "")) for k, v in entities.items())
    kind = "Entity List table" if rows[0][2].get("kind") == "table_entry" else "list records"
    per_doc = len({r[2].get("doc_id") for r in rows})
    entries = len(rows) // per_doc if kind == "Entity List table" else len(rows)
    if counting:
        text = f"The {kind} for {source} name {len(entities)} distinct entities{where}"
        if kind == "Entity List table" and entries != len(entities):
            text += f" in {entries} entries"
        text += f": {listed}."
    else:
        text = f"The {kind} for {source} name these entities{where}: {listed}."
    cited = list(entities.values()) if len(entities) == len(rows) else rows
    evidence = [_whole(row) for row in cited[:MAX_CITED]]
    citations = cite(evidence)
    sentence = AnswerSentence(text, [c.n for c in citations])
    return Answer(frame.text, text + "".join(f" [{c.n}]" for c in citations), False, citations,
                  [sentence], [], "records")


# --- facts a rule states about itself --------------------------------------------------------

# (asked slot, metadata key, how the answer says it)
_FACTS = [
    ("signer", "signer", "was signed by {}"),
    ("rin", "rin", "carries RIN {}"),
    ("docket", "docket", "carries Docket No. {}"),
    ("effective", "effective", "is effective as of {}"),
    ("published", "published", "was published on {}"),
]


def _facts_asked(frame: Frame) -> list[str]:
    """The document facts a frame asks for: its signer, RIN, docket, or a date of the document."""
    asked = [a for a in frame.asks if a in ("signer", "rin", "docket")]
    if "date" in frame.asks and frame.date_of:
        asked.append(frame.date_of)
    return asked


def _sentence_holding(rows: list[Row], value: str, is_date: bool) -> Evidence | None:
    """The first sentence of the document's chunks that states `value`."""
    from listlens.index.text import sentence_spans
    from listlens.ingest.dates import find_dates

    for node_id, text, meta in sorted(rows, key=lambda r: int(r[2].get("start", 0))):
        for s, e in sentence_spans(text):
            sentence = text[s:e]
            found = (value in (iso for _, iso in find_dates(sentence))) if is_date else value in sentence
            if found:
                start = int(meta.get("start", 0))
                return Evidence(Passage(node_id, text, 1.0, meta), start + s, start + e, sentence, 1.0)
    return None


def rules_naming(store: Store, node_ids: list[str]) -> list[str]:
    """The FR document numbers of the rules whose Entity List tables hold these chunks."""
    if not node_ids:
        return []
    _, _, metas = store.get_chunks(node_ids)
    return list(dict.fromkeys(str(m["fr_doc"]) for m in metas
                              if m.get("kind") == "table_entry" and m.get("fr_doc")))


def asks_document_fact(frame: Frame) -> bool:
    """Whether the frame asks a fact a document states about itself, of a rule it names only by
    what the rule did ("the rule that added X")."""
    return bool(_facts_asked(frame)) and frame.via_rule and not frame.documents


def answer_from_document_facts(frame: Frame, store: Store, versions: dict[str, str],
                               fr_doc: str | None = None) -> Answer | None:
    """Who signed a named FR document, its RIN, docket, effective and publication dates — read
    from what the parser recorded, each cited where the document states it. `fr_doc`: the rule
    the question means without giving its number ("the rule that added X"). A fact the
    document does not record is refused, saying what the library does hold about the document."""
    number = frame.documents[0] if frame.documents else fr_doc
    asked = _facts_asked(frame)
    if not number or not asked or {"count", "names"} & set(frame.asks):
        return None
    rows = [r for r in zip(*store.fr_document_chunks(number))
            if versions.get(r[2].get("doc_id")) == r[2].get("version")]
    rows = [r for r in rows if r[2].get("doc_type") == "fr_rule"] or rows
    if not rows:
        return None
    meta = rows[0][2]
    evidence: list[Evidence] = []
    claims: list[str] = []
    for slot, key, phrase in _FACTS:
        value = str(meta.get(key, ""))
        if slot not in asked or not value:
            continue
        is_date = key in ("effective", "published")
        ev = _sentence_holding(rows, value, is_date)
        if ev is None:
            continue
        if key == "signer" and meta.get("signer_title"):
            value = f"{value}, {meta['signer_title']}"
        evidence.append(ev)
        claims.append(phrase.format(long_date(value) if is_date else value))
    if not claims:
        if {"signer", "rin", "docket"} & set(asked):
            return _unrecorded(frame, number, rows)
        return None  # a date the parser did not record may still be in the text: read it
    citations = cite(evidence)
    sentences = [AnswerSentence(f"FR Doc. {number} {claim}.", [c.n]) for claim, c in zip(claims, citations)]
    text = " ".join(f"{s.text} [{s.citations[0]}]" for s in sentences)
    return Answer(frame.text, text, False, citations, sentences, [], "records")


def _unrecorded(frame: Frame, number: str, rows: list[Row]) -> Answer:
    """"The documents don't say who signed FR Doc. X; they give its title and publication date
    [1]": the document is in the library, the fact asked is not in it."""
    first = min(rows, key=lambda r: int(r[2].get("start", 0)))
    meta = first[2]
    title = _sentence_holding([first], str(meta.get("title", "")), False) if meta.get("title") else None
    ev = title or _whole(first)
    held = "its title and publication date" if meta.get("published") else "its title"
    focus = frame if frame.documents else _with_document(frame, number)
    text = f"The documents don't say {missing(focus)}; they give {held}"
    if meta.get("published"):
        text += f" ({meta.get('title', '')}, published {long_date(str(meta['published'])[:10])})"
    citations = cite([ev])
    sentence = AnswerSentence(text + ".", [1])
    return Answer(frame.text, text + ". [1]", True, citations, [sentence], [], "records")


def _with_document(frame: Frame, number: str) -> Frame:
    from dataclasses import replace

    return replace(frame, documents=(number,))


# --- how many aliases an entry gives ------------------------------------------------------------

def answer_alias_count(frame: Frame, store: Store, versions: dict[str, str]) -> Answer | None:
    """"How many aliases does X's entry give?" — counted from the entity's list records; each
    list's count is given when the lists disagree."""
    entity_node_ids = list(frame.entity_ids)
    if not ("aliases" in frame.asks and "count" in frame.asks) or not entity_node_ids:
        return None
    ids, texts, metas = store.get_chunks(entity_node_ids)
    rows = [r for r in zip(ids, texts, metas) if r[2].get("kind") == "record"
            and versions.get(r[2].get("doc_id")) == r[2].get("version")]
    named_lists = [r for r in rows if any(str(r[2].get("list_name", "")).lower().startswith(n.lower().removesuffix(" list"))
                                          for n in frame.lists)]
    rows = named_lists or rows
    if not rows:
        return None
    counts: dict[int, list[Row]] = {}
    for row in rows:
        aliases = {a.strip() for a in str(row[2].get("aliases", "")).split(" | ") if a.strip()}
        counts.setdefault(len(aliases), []).append(row)
    name = str(rows[0][2].get("entity", ""))
    evidence = [_whole(row) for group in counts.values() for row in group]
    citations = cite(evidence)
    by_id = {c.n: e.passage.node_id for c, e in zip(citations, evidence)}
    sentences = []
    for n, group in counts.items():
        numbers = [c for c, node in by_id.items() if node in {g[0] for g in group}]
        lists = sorted({str(g[2].get("list_name", "")) for g in group})
        sentences.append(AnswerSentence(f"The {' and '.join(lists)} record for {name} gives "
                                        f"{n} alias{'es' if n != 1 else ''}.", numbers))
    text = " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in sentences)
    return Answer(frame.text, text, False, citations, sentences, [], "records")


# --- counts and names read at ingest ------------------------------------------------------------

def _unit_of(unit: str) -> str | None:
    from listlens.index.frame import UNITS

    return next((name for name, pattern in UNITS.items() if pattern.match(unit.lower())), None) if unit else None


def answer_from_facts(frame: Frame, store: Store, versions: dict[str, str]) -> Answer | None:
    """"How many entities did FR Doc. X add?" from the counts the document states, read at
    ingest (ingest/facts.py) with the event and unit they count: a count of corrections never
    answers a question about additions. None when the document states no such count (the
    composer then reads the evidence), or when the question names no document."""
    from listlens.index.facts import load_facts

    if "count" not in frame.asks or frame.parts or not frame.documents or frame.countries:
        return None
    doc_ids = [d for d, m in store.ready_catalog().items() if m.get("fr_doc") in frame.documents]
    if not doc_ids:
        return None
    wanted_unit = frame.count_unit or "entities"
    found = [f for f in load_facts(store, versions, doc_ids)
             if f.fact.count is not None and (frame.event is None or f.fact.action == frame.event)
             and _unit_of(f.fact.count_unit) == wanted_unit
             and (not frame.lists or not f.fact.list_name
                  or any(n.split()[0].lower() in f.fact.list_name.lower() for n in frame.lists))]
    if not found:
        return None
    fact = found[0]
    counts = {f.fact.count for f in found}
    if len(counts) > 1:
        return None  # the document states different counts: leave it to the evidence
    number = fact.fact.fr_doc or frame.documents[0]
    to = {"added": "to", "removed": "from", "delisted": "from"}.get(fact.fact.action, "on")
    where = f" {to} the {fact.fact.list_name}" if fact.fact.list_name else ""
    text = f"FR Doc. {number} states that it {fact.fact.action} {fact.fact.count} {wanted_unit}{where}."
    citation = fact.citation(1)
    sentences = [AnswerSentence(text, [1]), AnswerSentence(citation.text, [1])]
    return Answer(frame.text, f"{text} [1] {citation.text} [1]", False, [citation], sentences, [], "facts")
