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
from listlens.index.entities import normalize
from listlens.index.store import Store
from listlens.index.types import Answer, AnswerSentence, Passage
from listlens.ingest.dates import long_date

FR_CITATION = re.compile(r"\b(\d{1,3})\s*FR\s*(\d{2,6})\b")
FR_DOC = re.compile(r"\b(?:FR\s+Doc(?:ument)?\.?|Federal Register document)\s*(?:No\.?\s*)?(\d{4}-\d{4,6})\b", re.I)
_HOW_MANY = re.compile(r"\bhow many\b", re.I)
_WHICH = re.compile(r"\b(which|what|list|name)\s+(\w+\s+){0,2}(entities|companies|firms|organi[sz]ations|"
                    r"parties|persons|individuals|entries)\b", re.I)
_SEVERAL_PLACES = re.compile(r"\bmore than one (destination|country)|\bseveral (destinations|countries)|"
                             r"\bmultiple (destinations|countries)", re.I)
_EXCLUDING = re.compile(r"\b(not counting|excluding|other than|apart from|except|besides)\b", re.I)
_ADDED = re.compile(r"\badd(ed|s|ing)?\b|\baddition", re.I)
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


def _rows_for(question: str, store: Store) -> tuple[str, list[Row]] | None:
    """The records or table entries the question points at, and how to name that source."""
    if m := FR_DOC.search(question):
        rows = [r for r in zip(*store.fr_document_chunks(m[1])) if r[2].get("kind") == "table_entry"]
        return f"FR Doc. {m[1]}", rows
    if m := FR_CITATION.search(question):
        citation = f"{m[1]} FR {m[2]}"
        rows = [r for r in zip(*store.records_containing(citation))
                if re.search(rf"\b{re.escape(citation)}\b", str(r[2].get("fr_citation", r[1])))]
        if _ADDED.search(question):
            # A record lists every notice that touched the entry, oldest first: the first
            # one added it, later ones revised it.
            rows = [r for r in rows if FR_CITATION.search(str(r[2].get("fr_citation", "")))
                    and _citation(FR_CITATION.search(str(r[2]["fr_citation"]))) == citation]
        return f"the citation {citation}", rows
    return None


def answer_from_records(question: str, store: Store, versions: dict[str, str],
                        names: tuple[str, ...] = ()) -> Answer | None:
    """The counted or listed answer, or None when the question is not one records answer."""
    counting = bool(_HOW_MANY.search(question))
    if not (counting or _WHICH.search(question)):
        return None
    found = _rows_for(question, store)
    if found is None:
        return None
    source, rows = found
    rows = [r for r in rows if versions.get(r[2].get("doc_id")) == r[2].get("version")]
    if not rows:
        return None
    if names:  # "How many institutes of the Academy of Military Medical Sciences ..."
        rows = [r for r in rows if any(n in normalize(str(r[2].get("entity", ""))) for n in names)] or rows
        if _EXCLUDING.search(question):  # "... (not counting AMMS itself)": the parent is not one
            rows = [r for r in rows if normalize(str(r[2].get("entity", ""))) not in names] or rows
    countries = {c for _, _, m in rows for c in str(m.get("country", "")).split(" | ") if c}
    named = [c for c in countries if re.search(rf"\b{re.escape(c)}\b", question, re.I)]
    if named:
        rows = [r for r in rows if set(str(r[2].get("country", "")).split(" | ")) & set(named)]
    by_entity: dict[str, list[Row]] = {}
    for row in rows:  # one entity may have several entries (countries) or sit on several lists
        by_entity.setdefault(normalize(str(row[2].get("entity", row[1]))), []).append(row)
    where = f" under {' / '.join(sorted(named))}" if named else ""
    if _SEVERAL_PLACES.search(question):
        by_entity = {k: v for k, v in by_entity.items() if len(_countries(v)) > 1}
        rows = [r for v in by_entity.values() for r in v]
        where = " under more than one destination"
        if not rows:
            return None
    entities = {k: v[0] for k, v in by_entity.items()}
    names = "; ".join(_name_with_places(by_entity[k]) if _SEVERAL_PLACES.search(question)
                      else str(v[2].get("entity", "")) for k, v in entities.items())
    kind = "Entity List table" if rows[0][2].get("kind") == "table_entry" else "list records"
    per_doc = len({r[2].get("doc_id") for r in rows})
    entries = len(rows) // per_doc if kind == "Entity List table" else len(rows)
    if counting:
        text = f"The {kind} for {source} name {len(entities)} distinct entities{where}"
        if kind == "Entity List table" and entries != len(entities):
            text += f" in {entries} entries"
        text += f": {names}."
    else:
        text = f"The {kind} for {source} name these entities{where}: {names}."
    cited = list(entities.values()) if len(entities) == len(rows) else rows
    evidence = [_whole(row) for row in cited[:MAX_CITED]]
    citations = cite(evidence)
    sentence = AnswerSentence(text, [c.n for c in citations])
    return Answer(question, text + "".join(f" [{c.n}]" for c in citations), False, citations,
                  [sentence], [], "records")


# --- facts a rule states about itself --------------------------------------------------------

# (what the question says, metadata key, how the answer says it)
_FACTS = [
    (re.compile(r"\bsign(ed|er|ature)\b", re.I), "signer", "was signed by {}"),
    (re.compile(r"\bRIN\b"), "rin", "carries RIN {}"),
    (re.compile(r"\bdocket\b", re.I), "docket", "carries Docket No. {}"),
    (re.compile(r"\beffective\b|\btake[sn]? effect\b", re.I), "effective", "is effective as of {}"),
    (re.compile(r"\bpublish(ed)?\b|\bpublication\b", re.I), "published", "was published on {}"),
]


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


def asks_document_fact(question: str) -> bool:
    return any(asked.search(question) for asked, _, _ in _FACTS) and not FR_DOC.search(question)


def answer_from_document_facts(question: str, store: Store, versions: dict[str, str],
                               fr_doc: str | None = None) -> Answer | None:
    """Who signed a named FR document, its RIN, docket, effective and publication dates — read
    from what the parser recorded, each cited where the document states it. `fr_doc`: the rule
    the question means without giving its number ("the rule that added NSO Group")."""
    m = FR_DOC.search(question)
    number = m[1] if m else fr_doc
    if not number or _HOW_MANY.search(question) or _WHICH.search(question):
        return None
    rows = [r for r in zip(*store.fr_document_chunks(number))
            if versions.get(r[2].get("doc_id")) == r[2].get("version")]
    rows = [r for r in rows if r[2].get("doc_type") == "fr_rule"] or rows
    if not rows:
        return None
    meta = rows[0][2]
    evidence: list[Evidence] = []
    claims: list[str] = []
    for asked, key, phrase in _FACTS:
        value = str(meta.get(key, ""))
        if not (asked.search(question) and value):
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
        return None
    citations = cite(evidence)
    sentences = [AnswerSentence(f"FR Doc. {number} {claim}.", [c.n]) for claim, c in zip(claims, citations)]
    text = " ".join(f"{s.text} [{s.citations[0]}]" for s in sentences)
    return Answer(question, text, False, citations, sentences, [], "records")



# --- how many aliases an entry gives ------------------------------------------------------------

_ALIASES_Q = re.compile(r"\bhow many (aliases|alternat(e|ive) names|other names|a\.?k\.?a\.?s?)\b", re.I)


def answer_alias_count(question: str, store: Store, versions: dict[str, str],
                       entity_node_ids: list[str]) -> Answer | None:
    """"How many aliases does Candiru's Entity List entry give?" — counted from the entity's
    list records; each list's count is given when the lists disagree."""
    if not _ALIASES_Q.search(question) or not entity_node_ids:
        return None
    ids, texts, metas = store.get_chunks(entity_node_ids)
    rows = [r for r in zip(ids, texts, metas) if r[2].get("kind") == "record"
            and versions.get(r[2].get("doc_id")) == r[2].get("version")]
    named_lists = [r for r in rows if str(r[2].get("list_name", "")).split(" (")[0].lower() in question.lower()]
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
    return Answer(question, text, False, citations, sentences, [], "records")
