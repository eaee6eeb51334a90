"""Generated gold sets: templated questions, with answers and evidence, from a library's own
list records and Federal Register documents.

Hand-written gold sets are small and get tuned on. A generated set is large, covers the whole
library, and nobody picked its items, so users can regression-test their own corpus with it
(`listlens eval --generate FILE`, then `listlens eval --gold FILE`). Every item is read from
what the library stored at ingest (record fields, FR document metadata, FR summaries, FR
tables), never from an answer the pipeline gave.

Templates (each item carries its `template`; `kind` is the question kind it belongs to):
- `record_citation` (what_rule): the FR citation of a listed entity's record;
- `record_date` (when_listed): the date an entity was listed;
- `membership` (who_listed): "Is X on the <list>?" for an entity that is;
- `which_list` (who_listed): "Which list is X on?";
- `alias` (who_listed): "Which listed entity is also known as Y?";
- `fr_published`, `fr_effective` (summary_fact): an FR document's publication and effective dates;
- `fr_table_count` (count): the number of entries in an FR rule's list table;
- `fr_count_words`, `fr_count_digits` (count): a count an FR summary states ("adding seven
  entities to the Entity List", "adding 57 entities"), by how the number is written;
- `negative` (unanswerable): a made-up name of the same shape as a listed one, on no list.

Only unambiguous facts become questions: an entity on one list, with one citation or one date
across all its records; a count stated once per document for one noun. Sampling is seeded: the
same library and seed give the same set.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listlens.index.entities import LEGAL_FORMS, normalize
from listlens.ingest.vocab import find_numbers, is_count, number_words
from listlens.index.errors import InvalidInput

SEED = 20261202
PER_TEMPLATE = 20
TEMPLATES = ("record_citation", "record_date", "membership", "which_list", "alias",
             "fr_published", "fr_effective", "fr_table_count", "fr_count_words",
             "fr_count_digits", "negative")
NOT_STATED = "Not on any list in the library."
_FR_DOC_TYPES = ("fr_rule", "fr_abstract")
_ONE_CITATION = re.compile(r"^\s*(\d+ FR \d+)(?:,\s*[\d/]+)?\.?\s*$")
# What an FR summary counts, and the verb that says what happened to them.
_COUNTED = re.compile(r"\s+(entities|entity|persons|individuals|companies|organizations|"
                      r"addresses|entries|entry)\b", re.I)
_ACTION = re.compile(r"\b(adding|adds|add|removing|removes|remove|revising|revises|revise|"
                     r"placing|places)\s+(?:\w+\s+){0,2}$", re.I)
_LIST_AFTER = re.compile(r"^[^.;]{0,80}?\b(to|from|on)\s+the\s+((?:[A-Z(][\w()-]*\s+){0,4}List)\b")
_BASE_VERB = {"add": "add", "remov": "remove", "revis": "revise", "plac": "add"}


@dataclass
class Record:
    """What the library holds about one listed name (merged over every record naming it)."""

    name: str
    lists: set[str] = field(default_factory=set)
    citations: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    list_aliases: set[str] = field(default_factory=set)  # "SDN List"
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class FrDocument:
    fr_doc: str
    title: str = ""
    published: str = ""
    effective: str = ""
    # Passages as (source, text): one FR document may come as an abstract and as the full rule.
    heading: tuple[str, str] | None = None  # the chunk that opens the document: it names it
    dates: tuple[str, str] | None = None  # the chunk that states its dates, where there is one
    summaries: list[tuple[str, str]] = field(default_factory=list)
    table: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class LibraryFacts:
    records: dict[str, Record]  # normalised name → record
    names: set[str]  # every normalised name and alias on any list or FR table
    words: set[str]  # every word of those names
    common: set[str]  # words shared by many names ("technology", "institute"): their shape
    fr_docs: dict[str, FrDocument]


def short_list(list_name: str) -> str:
    """'Entity List (EL) - Bureau of Industry and Security' → 'Entity List';
    'Specially Designated Nationals (SDN) - Treasury Department' → 'Specially Designated
    Nationals List'."""
    name = list_name.split(" - ")[0]
    name = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    return name if not name or name.endswith("List") else name + " List"


def list_aliases(list_name: str, short: str) -> list[str]:
    """Other ways to name a list in an answer: its abbreviation ('SDN List')."""
    abbr = re.search(r"\(([A-Z][\w-]{1,10})\)", list_name)
    return [f"{abbr[1]} List"] if abbr and abbr[1] not in short else []


def read_library(store) -> LibraryFacts:
    """The records and FR documents of the current version of every document in `store`."""
    versions = store.ready_versions()
    records: dict[str, Record] = {}
    names: set[str] = set()
    fr_docs: dict[str, FrDocument] = {}
    for _ids, texts, metas in store.iter_chunks():
        for text, meta in zip(texts, metas):
            if versions.get(meta.get("doc_id")) != meta.get("version"):
                continue
            kind, doc_type = meta.get("kind"), meta.get("doc_type")
            if kind in ("record", "table_entry") and meta.get("entity"):
                aliases = [a for a in str(meta.get("aliases") or "").split(" | ") if a.strip()]
                names.update(filter(None, map(normalize, [meta["entity"], *aliases])))
            if kind == "record" and meta.get("entity"):
                _add_record(records, text, meta)
            if doc_type in _FR_DOC_TYPES and meta.get("fr_doc"):
                _add_fr_chunk(fr_docs, text, meta)
    words = {w for n in names for w in n.split()}
    return LibraryFacts(records, names, words, _common_words(names), fr_docs)


def _add_record(records: dict[str, Record], text: str, meta: dict) -> None:
    key = normalize(str(meta["entity"]))
    if not key:
        return
    rec = records.setdefault(key, Record(str(meta["entity"]).strip()))
    list_name = str(meta.get("list_name") or "")
    rec.lists.add(short_list(list_name))
    rec.list_aliases.update(list_aliases(list_name, short_list(list_name)))
    if meta.get("fr_citation"):
        rec.citations.add(str(meta["fr_citation"]).strip())
    if meta.get("start_date"):
        rec.dates.add(str(meta["start_date"]))
    rec.aliases.update(a.strip() for a in str(meta.get("aliases") or "").split(" | ") if a.strip())
    rec.evidence.append({"file": str(meta.get("source", "")), "quote": text})


def _add_fr_chunk(fr_docs: dict[str, FrDocument], text: str, meta: dict) -> None:
    doc = fr_docs.setdefault(str(meta["fr_doc"]), FrDocument(str(meta["fr_doc"])))
    doc.title = doc.title or str(meta.get("title") or "")
    doc.published = doc.published or str(meta.get("published") or "")
    doc.effective = doc.effective or str(meta.get("effective") or "")
    passage = (str(meta.get("source") or ""), text)
    if int(meta.get("start", 1) or 0) == 0:
        doc.heading = doc.heading or passage
    if text.lstrip().startswith("DATES"):
        doc.dates = doc.dates or passage
    if meta.get("kind") == "summary":
        doc.summaries.append(passage)
    if meta.get("kind") == "table_entry" and meta.get("list_name"):
        doc.table[short_list(str(meta["list_name"]))].append(passage)


# --- templates -------------------------------------------------------------------------------

def _item(template: str, kind: str, question: str, answer: str, aliases: list[str],
          evidence: list[dict[str, str]], notes: str = "") -> dict[str, Any]:
    return {"question": question, "answer": answer, "answer_aliases": aliases, "kind": kind,
            "evidence": evidence[:3], "notes": notes, "template": template}


def _single_list(facts: LibraryFacts) -> Iterator[Record]:
    for key in sorted(facts.records):
        rec = facts.records[key]
        if len(rec.lists) == 1 and next(iter(rec.lists)):
            yield rec


def record_citation(facts: LibraryFacts) -> Iterator[dict]:
    for rec in _single_list(facts):
        # Every record must cite one and the same FR page ("86 FR 60760, 11/4/21" in one
        # list file and "86 FR 60760" in another agree).
        found = {m[1] if (m := _ONE_CITATION.match(c)) else "" for c in rec.citations}
        if len(found) == 1 and "" not in found:
            citation, (list_name,) = found.pop(), rec.lists
            yield _item("record_citation", "what_rule",
                        f"Which Federal Register citation added {rec.name} to the {list_name}?",
                        citation, sorted(rec.citations - {citation}), rec.evidence)


def record_date(facts: LibraryFacts) -> Iterator[dict]:
    for rec in _single_list(facts):
        if len(rec.dates) == 1:
            (list_name,), (date,) = rec.lists, rec.dates
            yield _item("record_date", "when_listed",
                        f"When was {rec.name} added to the {list_name}?", date, [], rec.evidence)


def membership(facts: LibraryFacts) -> Iterator[dict]:
    for rec in _single_list(facts):
        (list_name,) = rec.lists
        yield _item("membership", "who_listed", f"Is {rec.name} on the {list_name}?",
                    f"{rec.name} is on the {list_name}.",
                    [f"{rec.name} is on the {a}." for a in sorted(rec.list_aliases)], rec.evidence)


def which_list(facts: LibraryFacts) -> Iterator[dict]:
    for rec in _single_list(facts):
        (list_name,) = rec.lists
        yield _item("which_list", "who_listed", f"Which list is {rec.name} on?", list_name,
                    sorted(rec.list_aliases), rec.evidence)


def alias(facts: LibraryFacts) -> Iterator[dict]:
    owners: dict[str, set[str]] = defaultdict(set)  # alias → entities that carry it
    for key, rec in facts.records.items():
        for a in rec.aliases:
            owners[normalize(a)].add(key)
    for rec in _single_list(facts):
        key = normalize(rec.name)
        for a in sorted(rec.aliases):
            na = normalize(a)
            # Only an alias that names this entity alone and is not just its name again.
            if na and na != key and owners[na] == {key} and na not in facts.records \
                    and na not in key and key not in na:
                yield _item("alias", "who_listed", f"Which listed entity is also known as {a}?",
                            rec.name, [], rec.evidence)
                break


def _fr_name(doc: FrDocument) -> str:
    return f"FR Doc. {doc.fr_doc}" + (f" (\u201c{doc.title}\u201d)" if doc.title else "")


def _fr_evidence(doc: FrDocument) -> list[dict[str, str]]:
    return [{"file": source, "quote": text} for source, text in filter(None, (doc.dates, doc.heading))]


def fr_published(facts: LibraryFacts) -> Iterator[dict]:
    for number in sorted(facts.fr_docs):
        doc = facts.fr_docs[number]
        if doc.published:
            yield _item("fr_published", "summary_fact",
                        f"When was {_fr_name(doc)} published in the Federal Register?",
                        doc.published, [], _fr_evidence(doc))


def fr_effective(facts: LibraryFacts) -> Iterator[dict]:
    for number in sorted(facts.fr_docs):
        doc = facts.fr_docs[number]
        if doc.effective:
            yield _item("fr_effective", "summary_fact",
                        f"When did {_fr_name(doc)} take effect?", doc.effective, [],
                        _fr_evidence(doc))


def fr_table_count(facts: LibraryFacts) -> Iterator[dict]:
    for number in sorted(facts.fr_docs):
        doc = facts.fr_docs[number]
        for list_name in sorted(doc.table):
            entries = doc.table[list_name]
            if len({source for source, _ in entries}) != 1:
                continue  # two copies of one rule's table: which count would be asked?
            n = len(entries)
            yield _item("fr_table_count", "count",
                        f"How many {list_name} entries does the table of {_fr_name(doc)} set out?",
                        str(n), [number_words(n)] if number_words(n) else [],
                        [{"file": entries[0][0], "quote": entries[0][1]}],
                        "counted from the rule's table entries")


@dataclass(frozen=True)
class StatedCount:
    value: int
    words: bool  # written in words ("seven", "thirty-three (33)") rather than digits
    noun: str
    verb: str  # add | remove | revise
    list_name: str  # "" when the sentence names no list for it
    sentence: str


def stated_counts(summary: str) -> list[StatedCount]:
    """Counts an FR summary states for an action: "adding seven entities to the Entity List"
    → (7, words, entities, add, Entity List); "adding 10 entities under 13 entries to the
    Entity List" gives the entries too. Read from the sentence's structure: a number directly
    followed by what it counts, after a verb of adding/removing/revising (or after "under",
    continuing the count before it), with the list it goes to or comes from."""
    found = []
    for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z(])", summary):
        previous: StatedCount | None = None
        for number in find_numbers(sentence):
            noun = _COUNTED.match(sentence, number.end)
            if not (noun and is_count(sentence, number)):
                continue
            before = sentence[:number.start]
            verb = _ACTION.search(before)
            if verb:
                base = next(v for k, v in _BASE_VERB.items() if verb[1].lower().startswith(k))
            elif previous and re.search(r"\bunder\s+$", before):
                base = previous.verb
            else:
                continue
            target = _LIST_AFTER.match(sentence[noun.end():])
            list_name = target[2] if target else (previous.list_name if previous and not verb else "")
            count = StatedCount(number.value, any(c.isalpha() for c in number.text),
                                noun[1].lower(), base, list_name, sentence.strip())
            if previous and not verb and not previous.list_name:
                previous = dataclasses.replace(previous, list_name=list_name)
                found[-1] = previous
            found.append(count)
            previous = count
    return found


def _fr_counts(facts: LibraryFacts, words: bool) -> Iterator[dict]:
    template = "fr_count_words" if words else "fr_count_digits"
    for number in sorted(facts.fr_docs):
        doc = facts.fr_docs[number]
        counts = [(source, c) for source, text in doc.summaries for c in stated_counts(text)]
        # A noun counted more than once for one action ("removing 9 persons from the UVL …
        # removing 27 persons") has no single answer: leave it out.
        values: dict[tuple, set[int]] = defaultdict(set)
        for _, c in counts:
            values[(c.noun, c.verb)].add(c.value)
        asked: set[tuple] = set()
        for source, c in counts:
            key = (c.noun, c.verb)
            if c.words != words or not c.list_name or len(values[key]) != 1 or key in asked:
                continue
            asked.add(key)
            preposition = "from" if c.verb == "remove" else ("on" if c.verb == "revise" else "to")
            noun = {"entity": "entities", "entry": "entries"}.get(c.noun, c.noun)
            yield _item(template, "count",
                        f"How many {noun} did FR Doc. {doc.fr_doc} {c.verb} {preposition} the "
                        f"{c.list_name}?", str(c.value),
                        [number_words(c.value)] if number_words(c.value) else [],
                        [{"file": source, "quote": c.sentence}])


def fr_count_words(facts: LibraryFacts) -> Iterator[dict]:
    return _fr_counts(facts, words=True)


def fr_count_digits(facts: LibraryFacts) -> Iterator[dict]:
    return _fr_counts(facts, words=False)


# --- negatives -------------------------------------------------------------------------------

_SYLLABLES = ("ba be bo da de do ka ke ko la le lo ma me mo na ne no ra re ro sa se so ta te "
              "to va ve vo za ze zo").split()
_CODAS = ("", "", "n", "r", "x", "l", "k", "s")
NEGATIVE_QUESTIONS = ("Why was {name} added to the {list}?", "When was {name} added to the {list}?",
                      "Which Federal Register citation added {name} to the {list}?",
                      "Is {name} on the {list}?")


def _pseudo_word(rng: random.Random, length: int) -> str:
    word = ""
    while len(word) < min(8, max(4, length - 1)):
        word += rng.choice(_SYLLABLES)
    return (word + rng.choice(_CODAS)).capitalize()


def made_up_name(real: str, facts: LibraryFacts, rng: random.Random) -> str | None:
    """A name shaped like `real` (same number of words, its legal form and generic words
    kept) whose distinctive words are invented, and which names nothing in the library."""
    out = []
    for token in real.split():
        bare = re.sub(r"[^\w]", "", token).lower()
        # Legal forms and words many names share are the shape; anything else (a digit-bearing
        # word like "H3C" too) identifies the real entity and is replaced.
        if not bare or bare in LEGAL_FORMS or bare in facts.common or bare.isdigit():
            out.append(token)
            continue
        out.append(_pseudo_word(rng, len(bare)) + token[len(token.rstrip(",.)")):])
    name = " ".join(out)
    invented = set(normalize(name).split()) - set(normalize(real).split())
    if not invented or invented & facts.words or normalize(name) in facts.names:
        return None
    return name


def _common_words(names: set[str], min_names: int = 20) -> set[str]:
    counts: dict[str, int] = defaultdict(int)
    for name in names:
        for w in set(name.split()):
            counts[w] += 1
    return {w for w, n in counts.items() if n >= min_names}


def negatives(facts: LibraryFacts, n: int, seed: int) -> list[dict]:
    rng = random.Random(f"{seed}-negative")
    pool = list(_single_list(facts))
    out: list[dict] = []
    seen: set[str] = set()
    for _ in range(n * 20):
        if len(out) >= n or not pool:
            break
        real = rng.choice(pool)
        name = made_up_name(real.name, facts, rng)
        if not name or normalize(name) in seen:
            continue
        seen.add(normalize(name))
        question = NEGATIVE_QUESTIONS[len(out) % len(NEGATIVE_QUESTIONS)]
        out.append(_item("negative", "unanswerable",
                         question.format(name=name, list=next(iter(real.lists))), NOT_STATED,
                         ["The documents do not say.", "Not found on the lists in the library."],
                         [], f"made-up name “{name}”, shaped like a listed one; on no list"))
    return out


TEMPLATE_FUNCTIONS = {"record_citation": record_citation, "record_date": record_date,
                      "membership": membership, "which_list": which_list, "alias": alias,
                      "fr_published": fr_published, "fr_effective": fr_effective,
                      "fr_table_count": fr_table_count, "fr_count_words": fr_count_words,
                      "fr_count_digits": fr_count_digits}


def generate(store, per_template: int = PER_TEMPLATE, seed: int = SEED,
             templates: tuple[str, ...] = TEMPLATES) -> list[dict[str, Any]]:
    """Up to `per_template` items per template, sampled with `seed` from everything the
    library holds, each with an id `gen-<template>-NNN`."""
    unknown = set(templates) - set(TEMPLATES)
    if unknown:
        raise InvalidInput(f"unknown template {', '.join(sorted(unknown))}; "
                         f"choose from {', '.join(TEMPLATES)}")
    if per_template < 1:
        raise InvalidInput("generate at least one question per template")
    facts = read_library(store)
    items: list[dict[str, Any]] = []
    for template in templates:
        if template == "negative":
            chosen = negatives(facts, per_template, seed)
        else:
            candidates = list(TEMPLATE_FUNCTIONS[template](facts))
            rng = random.Random(f"{seed}-{template}")
            chosen = rng.sample(candidates, min(per_template, len(candidates)))
        for i, item in enumerate(chosen, start=1):
            items.append({"id": f"gen-{template}-{i:03d}", **item})
    return items


def write_gold(items: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
                    encoding="utf-8")
